/*
 * proxy_accept.c: the PROXY protocol on the listening side (HAProxy's
 * send-proxy / send-proxy-v2): who may send the header, reading it, and
 * the one log line when it goes wrong.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "log.h"
#include "net.h"
#include "proxy_accept.h"
#include "proxy_read.h"

/* Log "PROXY protocol: <what> <peer>-><local>: <reason>"; the reason is
 * always our own text, never peer bytes. */
static int refuse(const struct sockaddr_storage *peer, const struct sockaddr_storage *local,
		  const char *what, const char *reason)
{
	char ft[160];

	net_from_to(ft, sizeof(ft), peer, peer != NULL, local, local != NULL);
	log_info("PROXY protocol: %s %s: %s", what, ft[0] == ' ' ? ft + 1 : "unknown", reason);
	return -1;
}

int proxy_accept(int fd, const struct proxy_accept_config *pc,
		 const struct sockaddr_storage *peer, const struct sockaddr_storage *local,
		 struct proxy_header *h)
{
	const char *reason = "unknown";

	if (peer == NULL || !cidr_list_match(pc->trusted, peer))
		return refuse(peer, local, "untrusted peer", "refused");
	if (proxy_read_header(fd, pc->timeout_ms, h, &reason) < 0)
		return refuse(peer, local, "bad header", reason);
	if (h->local)
		log_debug("PROXY protocol: v%d header without addresses: keeping the real ones",
			  h->version);
	return 0;
}
