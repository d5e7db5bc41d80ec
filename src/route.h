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

/* Servers one map result may list for per-user failover. */
#define ROUTE_MAX_SERVERS 8

/* A chosen real server.  host and port are malloc'd. */
struct route {
	char *host;       /* as given (logged as server="host:port") */
	char *port;
	char *user;       /* user part of a map result, or NULL */
	bool user_in_place; /* -c: the id names the server after its delimiter */
	const struct addrinfo *ai; /* resolved default server (borrowed), or NULL */
	/* Per-user failover: the servers after host:port, in order; the
	 * first taken of them are used up (their slots are NULL). */
	char *next_host[ROUTE_MAX_SERVERS - 1];
	char *next_port[ROUTE_MAX_SERVERS - 1];
	unsigned nnext;
	unsigned taken;
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

/*
 * Parse a map result into *r (which it clears first):
 * "[user<delim>]host[:port]" as in 2.2, or a failover list
 * "[user<delim>]h1[:p1],h2[:p2],..." of at most ROUTE_MAX_SERVERS
 * servers.  It is a list only when the part after the last delim holds a
 * comma (no 2.2 result can).  A server without a port gets default_port.
 * Returns 0, or -1 (nothing allocated) for an empty part, more than
 * ROUTE_MAX_SERVERS servers, an over-long result or a bad server.
 */
int route_parse_result(const char *res, const char *delim, const char *default_port,
		       struct route *r);

/* Another server left in r's failover list?  route_next() moves r->host
 * and r->port to it (0), or returns -1 when none is left. */
bool route_has_next(const struct route *r);
int route_next(struct route *r);

void route_free(struct route *r);

#endif
