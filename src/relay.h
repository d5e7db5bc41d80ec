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

#include <signal.h>
#include <stdint.h>

struct conn;

enum relay_result {
	RELAY_CLOSED = 0,   /* a side closed */
	RELAY_TIMEOUT = 1,  /* idle timeout */
	RELAY_ERROR = -1,
};

struct relay_config {
	unsigned timeout;          /* idle seconds before RELAY_TIMEOUT, 0: none */
	unsigned relog_interval;   /* seconds between relog() calls, 0: never */
	void (*relog)(void *arg);  /* connect_relog; needed when relog_interval > 0 */
	void *relog_arg;
	/* Set (by a signal handler) when the session must end now, as at
	 * the end of shutdown_grace; NULL: never. */
	const volatile sig_atomic_t *stop;
};

/* Relay between client and server.  Bytes already buffered in either
 * conn are sent first; from then on neither conn logs its traffic (the
 * dump labels are cleared).  *received_r counts bytes from the client,
 * *sent_r bytes from the server.  Returns when a side closes, on the idle
 * timeout or on an error. */
enum relay_result relay_run(struct conn *client, struct conn *server,
			    const struct relay_config *config,
			    uint64_t *received_r, uint64_t *sent_r);

#endif
