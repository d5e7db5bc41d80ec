/*
 * monitor_msg.h: the messages sessions and the daemon send the
 * privileged monitor (src/monitor.c): a log line, a PAM question, a
 * request to reopen the log file.  One message is one SOCK_SEQPACKET
 * record; nothing in it is trusted (the sender's pid comes from the
 * kernel, not from here).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_MONITOR_MSG_H
#define PERDITION_MONITOR_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "defs.h"

/* Longest log line text carried (longer ones are cut). */
#define MONITOR_LOG_TEXT_MAX 16384
/* Longest message of any type, with its header. */
#define MONITOR_MSG_MAX (8 + MONITOR_LOG_TEXT_MAX)

enum monitor_msg_type {
	MONITOR_MSG_LOG = 'L',    /* 'L' prio text */
	MONITOR_MSG_PAM = 'P',    /* 'P' ulen(2) plen(2) alen(1) user passwd addr */
	MONITOR_MSG_REOPEN = 'R', /* 'R' */
};

struct monitor_msg {
	enum monitor_msg_type type;
	int prio;                            /* LOG: 0 (emerg) .. 7 (debug) */
	char text[MONITOR_LOG_TEXT_MAX + 1]; /* LOG: control bytes made '?' */
	size_t text_len;
	char user[MAX_CRED_LENGTH + 1];      /* PAM: no NUL inside */
	char passwd[MAX_CRED_LENGTH + 1];
	struct sockaddr_storage peer;        /* PAM: the client, if have_peer */
	bool have_peer;
};

/* Encode a log line (text cut to MONITOR_LOG_TEXT_MAX).  buf holds
 * MONITOR_MSG_MAX bytes.  Returns the message's length. */
size_t monitor_msg_log(unsigned char *buf, int prio, const char *text, size_t len);

/* Encode a PAM question; peer may be NULL.  buf holds MONITOR_MSG_MAX
 * bytes.  Returns the length, or 0 when user or passwd is longer than
 * MAX_CRED_LENGTH or holds a NUL byte. */
size_t monitor_msg_pam(unsigned char *buf, const char *user, size_t user_len,
		       const char *passwd, size_t passwd_len,
		       const struct sockaddr_storage *peer);

/* Encode a reopen request.  Returns its length (1). */
size_t monitor_msg_reopen(unsigned char *buf);

/*
 * Decode len bytes of buf into *m.  Every length is checked against
 * the bytes there and the limits above; an IPv4/IPv6 address only.
 * Returns 0, or -1 for anything malformed (m is then undefined).
 */
int monitor_msg_parse(const unsigned char *buf, size_t len, struct monitor_msg *m);

/* Wipe the password held in m. */
void monitor_msg_clear(struct monitor_msg *m);

#endif
