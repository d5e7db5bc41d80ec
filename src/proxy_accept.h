/*
 * proxy_accept.h: the session's first step with proxy_protocol on: check
 * the peer is a trusted balancer and read its PROXY header.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_PROXY_ACCEPT_H
#define PERDITION_PROXY_ACCEPT_H

#include <stdbool.h>
#include <sys/socket.h>

#include "cidr.h"
#include "proxy_header.h"

struct proxy_accept_config {
	bool enabled;                     /* proxy_protocol */
	const struct cidr_list *trusted;  /* proxy_protocol_trusted, parsed once */
	unsigned timeout_ms;              /* header deadline */
};

/*
 * The connection on fd comes from peer to local (the real addresses; NULL
 * when unknown).  Refuse a peer outside pc->trusted, else read its header
 * into h.  Returns 0 (h->local: keep the real addresses; else take h's),
 * or -1 after logging the one line that says why: the caller closes.
 */
int proxy_accept(int fd, const struct proxy_accept_config *pc,
		 const struct sockaddr_storage *peer, const struct sockaddr_storage *local,
		 struct proxy_header *h);

#endif
