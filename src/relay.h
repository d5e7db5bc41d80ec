/*
 * relay.h: after a successful login, move bytes both ways until one side
 * closes or the idle timeout passes.  When both sides are plain sockets
 * (or pipes), short messages are copied and bulk moves with splice(2);
 * with TLS on either side, buffered reads and writes.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_RELAY_H
#define PERDITION_RELAY_H

struct session;

enum relay_result {
	RELAY_CLOSED = 0,   /* a side closed */
	RELAY_TIMEOUT = 1,  /* idle timeout */
	RELAY_ERROR = -1,
};

#include <stdint.h>

/* Relay.  Bytes already buffered in s->client and s->server are sent
 * first.  Every relog_interval seconds (0: never) calls relog(s).
 * *received_r counts bytes from the client, *sent_r bytes from the server. */
enum relay_result relay_run(struct session *s, unsigned timeout, unsigned relog_interval,
			    void (*relog)(struct session *s),
			    uint64_t *received_r, uint64_t *sent_r);

#endif
