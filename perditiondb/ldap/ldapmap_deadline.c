/*
 * ldapmap_deadline.c: the watchdog of one LDAP lookup (see
 * ldapmap_deadline.h).
 *
 * libldap tells us each connection's socket through its connect
 * callbacks: lc_add after the TCP connect (before any TLS), lc_del before
 * the socket is closed, so the watchdog never touches a descriptor that
 * has been closed and perhaps reused.  The thread blocks every signal:
 * the daemon's handlers keep running in the thread they expect.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "ldapmap_deadline.h"

struct ldapmap_deadline {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_condattr_t ca;
	struct timespec when; /* CLOCK_MONOTONIC */
	bool stopping;
	bool fired;
	int fd;               /* the open connection's socket, or -1 */
	struct ldap_conncb cb;
};

static void *watch(void *arg)
{
	struct ldapmap_deadline *dl = arg;

	pthread_mutex_lock(&dl->mu);
	while (!dl->stopping && !dl->fired) {
		if (pthread_cond_timedwait(&dl->cv, &dl->mu, &dl->when) == ETIMEDOUT) {
			dl->fired = true;
			if (dl->fd >= 0)
				shutdown(dl->fd, SHUT_RD);
		}
	}
	pthread_mutex_unlock(&dl->mu);
	return NULL;
}

static int on_add(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv,
		  struct sockaddr *addr, struct ldap_conncb *ctx)
{
	struct ldapmap_deadline *dl = ctx->lc_arg;
	int fd = -1;

	(void)ld;
	(void)srv;
	(void)addr;
	if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) != 1)
		return 0;
	pthread_mutex_lock(&dl->mu);
	dl->fd = fd;
	if (dl->fired) /* too late already */
		shutdown(fd, SHUT_RD);
	pthread_mutex_unlock(&dl->mu);
	return 0;
}

static void on_del(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
	struct ldapmap_deadline *dl = ctx->lc_arg;

	(void)ld;
	(void)sb;
	pthread_mutex_lock(&dl->mu);
	dl->fd = -1;
	pthread_mutex_unlock(&dl->mu);
}

static int init_sync(struct ldapmap_deadline *dl, unsigned seconds)
{
	if (pthread_condattr_init(&dl->ca) != 0)
		return -1;
	if (pthread_condattr_setclock(&dl->ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&dl->cv, &dl->ca) != 0) {
		pthread_condattr_destroy(&dl->ca);
		return -1;
	}
	if (pthread_mutex_init(&dl->mu, NULL) != 0) {
		pthread_cond_destroy(&dl->cv);
		pthread_condattr_destroy(&dl->ca);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &dl->when);
	dl->when.tv_sec += seconds;
	return 0;
}

static void fini_sync(struct ldapmap_deadline *dl)
{
	pthread_mutex_destroy(&dl->mu);
	pthread_cond_destroy(&dl->cv);
	pthread_condattr_destroy(&dl->ca);
}

struct ldapmap_deadline *ldapmap_deadline_start(unsigned seconds)
{
	struct ldapmap_deadline *dl = calloc(1, sizeof(*dl));
	sigset_t all, old;
	int rc;

	if (dl == NULL)
		return NULL;
	dl->fd = -1;
	dl->cb.lc_add = on_add;
	dl->cb.lc_del = on_del;
	dl->cb.lc_arg = dl;
	if (init_sync(dl, seconds) != 0) {
		free(dl);
		return NULL;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&dl->thread, NULL, watch, dl);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		fini_sync(dl);
		free(dl);
		return NULL;
	}
	return dl;
}

int ldapmap_deadline_attach(struct ldapmap_deadline *dl, LDAP *ld)
{
	if (dl == NULL)
		return 0;
	return ldap_set_option(ld, LDAP_OPT_CONNECT_CB, &dl->cb) ==
	       LDAP_OPT_SUCCESS ? 0 : -1;
}

bool ldapmap_deadline_passed(struct ldapmap_deadline *dl)
{
	bool fired;

	if (dl == NULL)
		return false;
	pthread_mutex_lock(&dl->mu);
	fired = dl->fired;
	pthread_mutex_unlock(&dl->mu);
	return fired;
}

void ldapmap_deadline_stop(struct ldapmap_deadline *dl)
{
	if (dl == NULL)
		return;
	pthread_mutex_lock(&dl->mu);
	dl->stopping = true;
	pthread_cond_signal(&dl->cv);
	pthread_mutex_unlock(&dl->mu);
	pthread_join(dl->thread, NULL);
	fini_sync(dl);
	free(dl);
}
