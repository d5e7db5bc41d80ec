/*
 * tls.h: OpenSSL contexts (built once, in the parent) and handshakes for
 * both sides of a session.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_TLS_H
#define PERDITION_TLS_H

#include <stdbool.h>

struct conn;

/*
 * Build the listening context (when ssl_mode has a listening mode) and the
 * outgoing context (when it has an outgoing mode), reading the key and its
 * passphrase now.  Returns 0, or -1 with the error logged.
 */
int tls_init(void);

/*
 * Run a handshake on c within timeout seconds (0: no limit): as the
 * server (accept) towards a client, or as the client (connect) towards a
 * real server named host (SNI and, unless ssl_no_cn_verify, the name the
 * certificate must carry).  On success c->ssl is set.  Returns 0 or -1
 * (logged).
 */
int tls_accept(struct conn *c, unsigned timeout);
int tls_connect(struct conn *c, const char *host, unsigned timeout);

#endif
