/*
 * imap4_sasl.h: SASL PLAIN for IMAP4, both sides: the client's
 * AUTHENTICATE PLAIN (RFC 3501 6.2.2, SASL-IR RFC 4959) and the login on
 * a real server by AUTHENTICATE PLAIN when LOGIN cannot work.  imap4.c
 * calls these; the decoding is sasl_plain.c's.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_IMAP4_SASL_H
#define PERDITION_IMAP4_SASL_H

#include <stdbool.h>
#include <stddef.h>

#include "protocol.h"

struct session;
struct auth;

/*
 * "tag AUTHENTICATE <args>": args[0..len) is what follows the command
 * and its space.  Answers everything but a well-formed PLAIN exchange
 * itself.  Returns PROTO_CREDENTIALS (in *a, tag copied), PROTO_OK (a
 * mechanism we do not offer, answered as 2.2), PROTO_AUTH_FAILED (a bad,
 * refused or cancelled exchange, answered) or a lost client.
 */
enum proto_result imap4_sasl_client(struct session *s, struct auth *a,
				    const char *tag, const char *args,
				    size_t len);

/*
 * Log in on the real server as user with a->passwd (and a->authz, when
 * it differs from the client's authentication id) by AUTHENTICATE PLAIN:
 * the initial response on the command line when sasl_ir (the server
 * lists SASL-IR), else after its "+" continuation.  Untagged lines are
 * forwarded to the client; resp gets the tagged reply's text.
 */
enum login_result imap4_sasl_server(struct session *s, const struct auth *a,
				    const char *user, bool sasl_ir,
				    char *resp, size_t resplen,
				    const char **reason_r);

/* Does the login have to pass an authorisation id on (one the client
 * sent that differs from its authentication id)? */
bool imap4_sasl_authz_differs(const struct auth *a);

#endif
