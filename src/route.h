/*
 * route.h: which real server a user goes to: client_server_specification,
 * the popmap, or the default servers (outgoing_server) round robin.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_ROUTE_H
#define PERDITION_ROUTE_H

#include <stdbool.h>

struct session;
struct addrinfo;

/* A chosen real server.  host and port are malloc'd. */
struct route {
	char *host;       /* as given (logged as server="host:port") */
	char *port;
	char *user;       /* user part of a map result, or NULL */
	bool user_in_place; /* -c: the id names the server after its delimiter */
	const struct addrinfo *ai; /* resolved default server (borrowed), or NULL */
};

/* Parse and resolve outgoing_server once, in the parent.  Returns 0 or -1
 * (logged). */
int route_init(void);

/*
 * Find the server for user (the authorisation id after servername_lookup
 * rules).  attempt counts failed logins in this session (round robin).
 * Returns 0 with *r filled, or -1 when no server can be determined.
 */
int route_find(struct session *s, const char *user, unsigned attempt, struct route *r);

void route_free(struct route *r);

#endif
