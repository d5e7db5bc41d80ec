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

#include "defs.h"
#include "log.h"
#include "net.h"
#include "popmap.h"
#include "route.h"
#include "username.h"
#include "xalloc.h"

#define MAX_DEFAULT_SERVERS 64

struct default_server {
	char *host;
	char *port;
	struct addrinfo *ai; /* NULL when it did not resolve at start */
};

static struct route_config cfg;
static struct default_server defaults[MAX_DEFAULT_SERVERS];
static int ndefaults;

int route_init(const struct route_config *config)
{
	char *copy, *items[MAX_DEFAULT_SERVERS];
	int n;

	cfg = *config;
	if (cfg.outgoing_server == NULL || *cfg.outgoing_server == '\0')
		return 0;
	copy = xstrdup(cfg.outgoing_server);
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
		d->port = sp.port != NULL ? sp.port : xstrdup(cfg.outgoing_port);
		/* Resolve now so no child looks the name up; if it fails,
		 * the child tries again (the name may appear later). */
		if (net_resolve(d->host, d->port, cfg.no_lookup, false, &d->ai) != 0)
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

/* -c: "user<delim>host[:port]" names the server itself. */
static int from_user_name(const char *user, struct route *r)
{
	const char *d = username_last_delim(user, cfg.domain_delimiter);
	struct server_spec sp;

	if (d == NULL || server_spec_parse(d + strlen(cfg.domain_delimiter), NULL, &sp) != 0)
		return -1;
	r->host = sp.host;
	r->port = sp.port != NULL ? sp.port : xstrdup(cfg.outgoing_port);
	r->user_in_place = true;
	return 0;
}

/* Split list (modified) at commas, blanks around each part dropped.
 * Returns the count, or -1 for an empty part or more than max. */
static int split_servers(char *list, char **items, int max)
{
	int n = 0;

	for (char *p = list; p != NULL;) {
		char *comma = strchr(p, ',');
		char *end = comma != NULL ? comma : p + strlen(p);

		while (*p == ' ' || *p == '\t')
			p++;
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end == p || n == max)
			return -1;
		*end = '\0';
		items[n++] = p;
		p = comma != NULL ? comma + 1 : NULL;
	}
	return n;
}

/* Parse "h1[:p1],h2[:p2],..." (list, modified) into r's servers. */
static int parse_list(char *list, const char *default_port, struct route *r)
{
	char *items[ROUTE_MAX_SERVERS];
	int n = split_servers(list, items, ROUTE_MAX_SERVERS);

	if (n < 2)
		return -1;
	for (int i = 0; i < n; i++) {
		struct server_spec sp;

		if (server_spec_parse(items[i], NULL, &sp) != 0)
			return -1;
		if (sp.port == NULL)
			sp.port = xstrdup(default_port);
		if (i == 0) {
			r->host = sp.host;
			r->port = sp.port;
		} else {
			r->next_host[r->nnext] = sp.host;
			r->next_port[r->nnext] = sp.port;
			r->nnext++;
		}
	}
	return 0;
}

int route_parse_result(const char *res, const char *delim, const char *default_port,
		       struct route *r)
{
	const char *d = username_last_delim(res, delim);
	const char *servers = d != NULL ? d + strlen(delim) : res;
	struct server_spec sp;
	char *copy;
	int rc;

	memset(r, 0, sizeof(*r));
	if (strchr(servers, ',') == NULL) {
		/* One server: exactly 2.2's syntax. */
		if (server_spec_parse(res, delim, &sp) != 0)
			return -1;
		r->user = sp.user;
		r->host = sp.host;
		r->port = sp.port != NULL ? sp.port : xstrdup(default_port);
		return 0;
	}
	if (strlen(res) > MAX_CRED_LENGTH || d == res)
		return -1;
	copy = xstrdup(servers);
	rc = parse_list(copy, default_port, r);
	free(copy);
	if (rc == 0 && d != NULL)
		r->user = xstrndup(res, (size_t)(d - res));
	if (rc != 0)
		route_free(r);
	return rc;
}

bool route_has_next(const struct route *r)
{
	return r->taken < r->nnext;
}

int route_next(struct route *r)
{
	if (!route_has_next(r))
		return -1;
	free(r->host);
	free(r->port);
	r->host = r->next_host[r->taken];
	r->port = r->next_port[r->taken];
	r->next_host[r->taken] = r->next_port[r->taken] = NULL;
	r->taken++;
	r->ai = NULL;
	return 0;
}

/* Ask the popmap; 0 with r->host set when it named a usable server. */
static int from_popmap(const char *user, const struct sockaddr_storage *peer,
		       const struct sockaddr_storage *local, struct route *r)
{
	char *res = NULL;
	int rc = popmap_lookup(cfg.query_key, user, cfg.domain_delimiter, peer, local, &res);

	if (rc == 0 && res != NULL &&
	    route_parse_result(res, cfg.domain_delimiter, cfg.outgoing_port, r) != 0) {
		char esc[256];
		log_err("Invalid server from map library: \"%s\"",
			log_escape_str(esc, sizeof(esc), res));
	}
	free(res);
	return r->host != NULL ? 0 : -1;
}

int route_find(const char *user, const struct sockaddr_storage *peer,
	       const struct sockaddr_storage *local, unsigned attempt, struct route *r)
{
	memset(r, 0, sizeof(*r));
	if (cfg.client_server_specification && from_user_name(user, r) == 0)
		return 0;
	if (popmap_loaded() && from_popmap(user, peer, local, r) == 0)
		return 0;
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
	for (unsigned i = 0; i < r->nnext; i++) {
		free(r->next_host[i]);
		free(r->next_port[i]);
	}
	memset(r, 0, sizeof(*r));
}
