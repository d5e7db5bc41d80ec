/*
 * xclient.h: the XCLIENT command (Dovecot's POP3 and ManageSieve login
 * services, Postfix's ancestor of it) that tells a real server which
 * client the proxy speaks for, with forward_client_address.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_XCLIENT_H
#define PERDITION_XCLIENT_H

#include <stddef.h>

struct session;

/* Longest line xclient_format() writes, with its NUL. */
#define XCLIENT_LINE_SIZE 160

/*
 * "XCLIENT ADDR=<addr> PORT=<port>[ SESSION=<id>]" (no CR LF; no
 * SESSION when session_id is NULL or empty) into dst.  addr and
 * session_id must be ours (a numeric address, hex digits): anything but
 * letters, digits, '.', ':' and '-' in them makes it refuse.  Returns the
 * length, or 0 when refused or dstlen is too small.
 */
size_t xclient_format(char *dst, size_t dstlen, const char *addr, unsigned port,
		      const char *session_id);

/*
 * Send XCLIENT for s's client to the real server and read its one-line
 * reply (a reply other than ok_token, "+OK" or "OK", is logged and
 * ignored: the login goes on).  Nothing is sent without a peer address.
 * Returns 0, or -1 on an I/O error.
 */
int xclient_send(struct session *s, const char *ok_token);

#endif
