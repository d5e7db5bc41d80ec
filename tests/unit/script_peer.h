/*
 * script_peer.h: a scripted peer for the protocol modules' unit tests.
 * A child process on the other end of a socketpair plays a script:
 * "> text" is written, "< text" is a line it expects, byte for byte, and
 * "!" closes its writing side.  The test's side of the pair becomes a
 * conn; script_peer_end() fails the test unless every expected line came.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_SCRIPT_PEER_H
#define PERDITION_SCRIPT_PEER_H

#include "protocol.h"

struct conn;
struct session;

/* Start the peer playing script (NULL-terminated) and set up c (10 s
 * timeout) on this end. */
void script_peer_start(struct conn *c, const char *const *script);

/* End the dialogue (c is closed) and fail the test, saying which line,
 * unless the peer saw every line it expected. */
void script_peer_end(struct conn *c);

/* Run s->proto->read_auth() with the peer on s->client: it must end with
 * want (not PROTO_CREDENTIALS) and the peer must see every line it
 * expected. */
void script_peer_read_auth(struct session *s, const char *const *script,
			   enum proto_result want);

#endif
