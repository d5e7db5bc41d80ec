/*
 * script_peer.c: the scripted peer of script_peer.h.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conn.h"
#include "script_peer.h"
#include "session.h"

static pid_t peer_pid = -1;
static int report_fd = -1; /* the peer's complaint, if any */

/* s with CR and LF shown as \r and \n, cut to fit dst. */
static const char *visible(char *dst, size_t size, const char *s)
{
	size_t n = 0;

	for (; *s != '\0' && n + 3 < size; s++) {
		if (*s == '\r' || *s == '\n') {
			dst[n++] = '\\';
			dst[n++] = *s == '\r' ? 'r' : 'n';
		} else {
			dst[n++] = *s;
		}
	}
	dst[n] = '\0';
	return dst;
}

/* Tell the test what went wrong and end the peer with status. */
static void complain(int fd, int status, const char *want, const char *got)
{
	char msg[600], w[256], g[256];

	snprintf(msg, sizeof(msg), "peer: want [%s] got [%s]",
		 visible(w, sizeof(w), want), visible(g, sizeof(g), got));
	if (write(fd, msg, strlen(msg)) < 0)
		status = 5;
	_exit(status);
}

static void play(int fd, int report, const char *const *script)
{
	FILE *in = fdopen(dup(fd), "r");
	char buf[8192];

	for (; *script != NULL; script++) {
		const char *l = *script;

		if (l[0] == '!') {
			shutdown(fd, SHUT_WR);
		} else if (l[0] == '>') {
			if (write(fd, l + 2, strlen(l + 2)) < 0)
				complain(report, 2, "(to write)", l + 2);
		} else if (fgets(buf, sizeof(buf), in) == NULL) {
			complain(report, 3, l + 2, "(end of input)");
		} else if (strcmp(buf, l + 2) != 0) {
			complain(report, 4, l + 2, buf);
		}
	}
	/* Drain until the other side closes, so no write gets EPIPE. */
	while (fgets(buf, sizeof(buf), in) != NULL)
		;
	_exit(0);
}

void script_peer_start(struct conn *c, const char *const *script)
{
	int sv[2], rep[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(pipe(rep), 0);
	peer_pid = fork();
	ck_assert_int_ne(peer_pid, -1);
	if (peer_pid == 0) {
		close(sv[0]);
		close(rep[0]);
		play(sv[1], rep[1], script);
	}
	close(sv[1]);
	close(rep[1]);
	report_fd = rep[0];
	conn_init(c, sv[0], sv[0], 10, NULL);
}

void script_peer_end(struct conn *c)
{
	char msg[512];
	ssize_t n;
	int st;

	shutdown(c->wfd, SHUT_WR);
	ck_assert_int_eq(waitpid(peer_pid, &st, 0), peer_pid);
	conn_close(c);
	n = read(report_fd, msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(report_fd);
	report_fd = -1;
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "the scripted peer's expectations were not met (exit %d): %s",
		      WIFEXITED(st) ? WEXITSTATUS(st) : -1, msg);
}

void script_peer_read_auth(struct session *s, const char *const *script,
			   enum proto_result want)
{
	struct auth a;

	memset(&a, 0, sizeof(a));
	script_peer_start(&s->client, script);
	ck_assert_int_eq(s->proto->read_auth(s, &a), want);
	ck_assert_ptr_null(a.user);
	ck_assert_ptr_null(a.passwd);
	script_peer_end(&s->client);
}
