/*
 * imap4.h: the IMAP4 protocol module (protocol_imap4 and protocol_imap4s
 * of protocol.h): the client-side pre-authentication loop and the login
 * on the real server.  The tokenizer lives in imap_token.h.
 *
 * Real-server tags: s->imap_tag counts the tags used so far in the
 * session (0 at the start, never reset between retries); tag number n is
 * imap_server_tag(n), so the first command is "flim07".
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_IMAP4_H
#define PERDITION_IMAP4_H

#include <stddef.h>

struct session;

/*
 * The capability list perdition offers right now: imap_capability (any
 * STARTTLS or LOGINDISABLED in it dropped), then STARTTLS when STARTTLS
 * is enabled and the client is not yet on TLS, then LOGINDISABLED when
 * login_disabled (until STARTTLS was done, as 2.2) or tls_listen_force
 * before TLS.  Written NUL-terminated to dst (truncated to dstlen).
 * Returns the length written.
 */
size_t imap4_capability(const struct session *s, char *dst, size_t dstlen);

#endif
