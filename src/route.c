/*
 * route.c: choose the real server for a user.  client_server_specification
 * first, then the popmap, then the default servers round robin.  Default
 * servers are parsed and resolved once, in the parent.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "net.h"
#include "options.h"
#include "popmap.h"
#include "route.h"
#include "session.h"
#include "str.h"
#include "username.h"

#define MAX_DEFAULT_SERVERS 64

struct default_server {
	char *host;
	char *port;
	struct addrinfo *ai; /* NULL when it did not resolve at start */
};

static struct default_server defaults[MAX_DEFAULT_SERVERS];
static int ndefaults;

int route_init(void)
{
	char *copy, *items[MAX_DEFAULT_SERVERS];
	int n;

	if (options.outgoing_server == NULL || *options.outgoing_server == '\0')
		return 0;
	copy = xstrdup(options.outgoing_server);
	n = net_split_list(copy, items, MAX_DEFAULT_SERVERS);
	if (n < 0) {
		log_err("Too many outgoing servers (at most %d)", MAX_DEFAULT_SERVERS);
		free(copy);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct server_spec sp;
		struct default_server *d = &defaults[ndefaults];

		if (server_spec_parse(items[i], NULL, &sp) < 0) {
			char esc[256];
			log_err("Invalid outgoing server: \"%s\"",
				log_escape_str(esc, sizeof(esc), items[i]));
			free(copy);
			return -1;
		}
		d->host = sp.host;
		d->port = sp.port != NULL ? sp.port : xstrdup(options.outgoing_port);
		/* Resolve now so no child looks the name up; if it fails,
		 * the child tries again (the name may appear later). */
		if (net_resolve(d->host, d->port, options.no_lookup, false, &d->ai) != 0)
			d->ai = NULL;
		ndefaults++;
	}
	free(copy);
	return 0;
}

static int pick_default(unsigned attempt, struct route *r)
{
	/* A random first server per session, the next on each retry. */
	static int first = -1;
	const struct default_server *d;

	if (ndefaults == 0)
		return -1;
	if (first < 0)
		first = (int)((unsigned)getpid() % (unsigned)ndefaults);
	d = &defaults[((unsigned)first + attempt) % (unsigned)ndefaults];
	if (r->host == NULL) {
		r->host = xstrdup(d->host);
		r->ai = d->ai;
	}
	if (r->port == NULL)
		r->port = xstrdup(d->port);
	return 0;
}

int route_find(struct session *s, const char *user, unsigned attempt, struct route *r)
{
	const char *delim = options.domain_delimiter;
	struct server_spec sp;

	(void)s;
	memset(r, 0, sizeof(*r));

	if (options.client_server_specification) {
		const char *d = username_last_delim(user, delim);
		if (d != NULL && server_spec_parse(d + strlen(delim), NULL, &sp) == 0) {
			r->host = sp.host;
			r->port = sp.port != NULL ? sp.port : xstrdup(options.outgoing_port);
			r->user_in_place = true;
			return 0;
		}
	}

	if (popmap_loaded()) {
		char *res = NULL;
		int rc = popmap_lookup(options.query_key, user, delim, peername, sockname, &res);
		if (rc == 0 && res != NULL) {
			if (server_spec_parse(res, delim, &sp) == 0) {
				r->user = sp.user;
				r->host = sp.host;
				r->port = sp.port;
			} else {
				char esc[256];
				log_err("Invalid server from map library: \"%s\"",
					log_escape_str(esc, sizeof(esc), res));
			}
		}
		free(res);
		if (r->host != NULL) {
			if (r->port == NULL)
				r->port = xstrdup(options.outgoing_port);
			return 0;
		}
	}
	if (pick_default(attempt, r) < 0) {
		route_free(r);
		return -1;
	}
	return 0;
}

void route_free(struct route *r)
{
	free(r->host);
	free(r->port);
	free(r->user);
	memset(r, 0, sizeof(*r));
}
