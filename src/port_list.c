/*
 * port_list.c: give a failover list's hosts one port.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "port_list.h"

bool port_list_is_list(const char *server)
{
	return server != NULL && strchr(server, ',') != NULL;
}

/* Does the n-byte host s name its port ("h:p", "[v6]:p")?  A bare IPv6
 * address has colons but no port. */
static bool has_port(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);

	if (n > 0 && s[0] == '[') {
		const char *end = memchr(s, ']', n);
		return end != NULL && end + 1 < s + n && end[1] == ':';
	}
	return colon != NULL && memchr(colon + 1, ':', (size_t)(s + n - colon - 1)) == NULL;
}

char *port_list_apply(const char *server, const char *port)
{
	size_t pl = strlen(port), hosts = 1;
	const char *s = server;
	char *r, *p;

	for (const char *c = server; (c = strchr(c, ',')) != NULL; c++)
		hosts++;
	/* Each host grows by two brackets, a colon and the port at most. */
	p = r = malloc(strlen(server) + hosts * (pl + 3) + 1);
	if (r == NULL)
		return NULL;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t n = comma != NULL ? (size_t)(comma - s) : strlen(s);
		bool add = n > 0 && !has_port(s, n);
		bool bracket = add && s[0] != '[' && memchr(s, ':', n) != NULL;

		if (bracket)
			*p++ = '[';
		memcpy(p, s, n);
		p += n;
		if (bracket)
			*p++ = ']';
		if (add) {
			*p++ = ':';
			memcpy(p, port, pl);
			p += pl;
		}
		if (comma == NULL)
			break;
		*p++ = ',';
		s = comma + 1;
	}
	*p = '\0';
	return r;
}
