/*
 * addr_limits.c: per-address connection caps and the memory of failed
 * logins, in the daemon (see addr_limits.h for the policy).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr_limits.h"
#include "log.h"
#include "xalloc.h"

bool addr_limits_wanted(const struct addr_limits_config *c)
{
	return c->per_address > 0 || c->failures_delay > 0 || c->failures_refuse > 0;
}

void addr_limits_init(struct addr_limits *l, const struct addr_limits_config *c, size_t cap)
{
	memset(l, 0, sizeof(*l));
	l->cfg = *c;
	limits_table_init(&l->addrs, cap);
	limits_table_init(&l->users, cap);
}

void addr_limits_free(struct addr_limits *l)
{
	limits_table_free(&l->addrs);
	limits_table_free(&l->users);
	free(l->children);
	memset(l, 0, sizeof(*l));
}

void addr_limits_configure(struct addr_limits *l, const struct addr_limits_config *c)
{
	l->cfg = *c;
}

/* Table key of an address: its family byte and its bytes. */
static size_t addr_key(const struct limits_addr *a, uint8_t *key)
{
	size_t n = a->family == 4 ? 4 : 16;

	key[0] = a->family;
	memcpy(key + 1, a->bytes, n);
	return n + 1;
}

static bool same_addr(const struct limits_addr *a, const struct limits_addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, 16) == 0;
}

unsigned long addr_limits_count(const struct addr_limits *l, const struct limits_addr *a)
{
	unsigned long n = 0;

	for (size_t i = 0; i < l->n_children; i++)
		if (l->children[i].counted && same_addr(&l->children[i].addr, a))
			n++;
	return n;
}

static void log_refusal(const struct limits_addr *a, const char *why)
{
	char as[64];

	log_notice("Limit: refusing connection from %s: %s",
		   limits_addr_str(a, as, sizeof(as)), why);
}

bool addr_limits_admit(struct addr_limits *l, const struct limits_addr *a, time_t now)
{
	char why[128];
	uint8_t key[17];
	const struct limits_entry *e;
	unsigned long n;

	if (a->family == 0)
		return true;
	/* Failures first: theirs is the line fail2ban acts on. */
	e = l->cfg.failures_refuse > 0 ? limits_table_find(&l->addrs, key, addr_key(a, key)) : NULL;
	n = e != NULL ? limits_entry_count(e, now, (unsigned)l->cfg.window) : 0;
	if (e != NULL && n >= l->cfg.failures_refuse) {
		snprintf(why, sizeof(why), "%lu failed logins from this address within %lu s "
			 "(login_failures_refuse)", n, l->cfg.window);
		log_refusal(a, why);
		return false;
	}
	if (l->cfg.per_address > 0 && (n = addr_limits_count(l, a)) >= l->cfg.per_address) {
		snprintf(why, sizeof(why), "%lu connections open from this address "
			 "(connection_limit_per_address)", n);
		log_refusal(a, why);
		return false;
	}
	return true;
}

void addr_limits_child_add(struct addr_limits *l, pid_t pid, const struct limits_addr *a,
			   bool counted)
{
	struct addr_limits_child *c;

	if (l->n_children == l->cap_children) {
		size_t cap = l->cap_children ? l->cap_children * 2 : 64;
		struct addr_limits_child *n = xcalloc(cap, sizeof(*n));

		if (l->n_children > 0)
			memcpy(n, l->children, l->n_children * sizeof(*n));
		free(l->children);
		l->children = n;
		l->cap_children = cap;
	}
	c = &l->children[l->n_children++];
	c->pid = pid;
	c->addr = *a;
	c->counted = counted;
}

static struct addr_limits_child *child_of(struct addr_limits *l, pid_t pid)
{
	for (size_t i = 0; i < l->n_children; i++)
		if (l->children[i].pid == pid)
			return &l->children[i];
	return NULL;
}

void addr_limits_child_gone(struct addr_limits *l, pid_t pid)
{
	struct addr_limits_child *c = child_of(l, pid);

	if (c != NULL)
		*c = l->children[--l->n_children];
}

/* The delay for the count-th failure: none below the threshold, then
 * 1, 2, 4 ... seconds up to ADDR_LIMITS_DELAY_CAP. */
static unsigned delay_for(unsigned long count, unsigned long threshold)
{
	unsigned long step;

	if (threshold == 0 || count < threshold)
		return 0;
	step = count - threshold;
	if (step >= 5)
		return ADDR_LIMITS_DELAY_CAP;
	return 1u << step;
}

/* A failed login from child c: count it, pick the longer of the two
 * delays and say why. */
static void login_failed(struct addr_limits *l, const struct addr_limits_child *c,
			 const struct limits_msg *m, time_t now, struct limits_reply *r)
{
	unsigned window = (unsigned)l->cfg.window;
	uint8_t key[17];
	unsigned long na, nu = 0;
	unsigned da, du = 0;
	char as[64], why[LIMITS_USER_MAX * 4 + 128];

	na = limits_entry_fail(limits_table_get(&l->addrs, key, addr_key(&c->addr, key)),
			       now, window);
	if (m->user_len > 0)
		nu = limits_entry_fail(limits_table_get(&l->users, m->user, m->user_len), now,
				       window);
	da = delay_for(na, l->cfg.failures_delay);
	du = delay_for(nu, l->cfg.failures_delay);
	r->refuse = false;
	r->delay = da > du ? da : du;
	if (r->delay == 0)
		return;
	if (da >= du) {
		snprintf(why, sizeof(why), "%lu failed logins from this address within %u s",
			 na, window);
	} else {
		char eu[LIMITS_USER_MAX * 4 + 1];

		snprintf(why, sizeof(why), "%lu failed logins for user \"%s\" within %u s", nu,
			 log_escape(eu, sizeof(eu), m->user, m->user_len), window);
	}
	log_notice("Limit: delaying the reply to a failed login from %s by %u s: %s",
		   limits_addr_str(&c->addr, as, sizeof(as)), r->delay, why);
}

/* A PROXY header named the client: count it now, or refuse it. */
static void announced(struct addr_limits *l, struct addr_limits_child *c,
		      const struct limits_msg *m, time_t now, struct limits_reply *r)
{
	r->delay = 0;
	r->refuse = !addr_limits_admit(l, &m->addr, now);
	c->addr = m->addr;
	c->counted = !r->refuse;
}

bool addr_limits_message(struct addr_limits *l, pid_t pid, const struct limits_msg *m,
			 time_t now, struct limits_reply *r)
{
	struct addr_limits_child *c = child_of(l, pid);
	struct limits_entry *e;

	if (c == NULL)
		return false;
	switch (m->type) {
	case LIMITS_MSG_LOGIN_FAILED:
		login_failed(l, c, m, now, r);
		return true;
	case LIMITS_MSG_LOGIN_OK:
		/* The user got in: their own typos are forgiven (not the
		 * address's, or one good account would reset an attack). */
		if (m->user_len > 0 && (e = limits_table_find(&l->users, m->user, m->user_len)))
			e->count = 0;
		return false;
	case LIMITS_MSG_ANNOUNCE:
		if (c->counted)
			return false;
		announced(l, c, m, now, r);
		return true;
	}
	return false;
}
