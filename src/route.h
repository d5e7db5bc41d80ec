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
#include <sys/socket.h>

struct addrinfo;

/* What routing needs of the options of the same names; the strings are
 * borrowed and must outlive every route_find(). */
struct route_config {
	const char *outgoing_server;  /* default servers, "h[:p][,h[:p]...]", or NULL */
	const char *outgoing_port;    /* port when a server names none */
	const char *domain_delimiter;
	const char *query_key;        /* popmap key formats, or NULL */
	bool client_server_specification;
	bool no_lookup;               /* numeric hosts and ports only */
};

/* A chosen real server.  host and port are malloc'd. */
struct route {
	char *host;       /* as given (logged as server="host:port") */
	char *port;
	char *user;       /* user part of a map result, or NULL */
	bool user_in_place; /* -c: the id names the server after its delimiter */
	const struct addrinfo *ai; /* resolved default server (borrowed), or NULL */
};

/* Keep config for route_find() and parse and resolve its default servers;
 * once, in the parent.  Returns 0 or -1 (logged). */
int route_init(const struct route_config *config);

/*
 * Find the server for user (the authorisation id after servername_lookup
 * rules).  peer and local are the session's addresses (NULL: unknown) for
 * the popmap's query_key.  attempt counts failed logins in this session
 * (round robin).  Returns 0 with *r filled, or -1 when no server can be
 * determined.
 */
int route_find(const char *user, const struct sockaddr_storage *peer,
	       const struct sockaddr_storage *local, unsigned attempt, struct route *r);

void route_free(struct route *r);

#endif
