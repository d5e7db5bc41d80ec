/*
 * username.c: the user-name rules of SPEC 4 -- strip_domain, add_domain
 * and lower_case, applied per state in that order.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "username.h"
#include "xalloc.h"

const char *username_last_delim(const char *s, const char *delim)
{
	const char *last = NULL;

	if (s == NULL || delim == NULL || *delim == '\0')
		return NULL;
	/* Step one byte at a time so overlapping multi-character
	 * delimiters ("%%" in "a%%%b") find the rightmost start. */
	for (const char *p = strstr(s, delim); p != NULL; p = strstr(p + 1, delim))
		last = p;
	return last;
}

char *username_strip_labels(const char *host, unsigned depth)
{
	const char *p = host;

	if (host == NULL || *host == '\0')
		return NULL;
	for (unsigned i = 0; i < depth; i++) {
		p = strchr(p, '.');
		if (p == NULL)
			return NULL;
		p++;
	}
	if (*p == '\0' || *p == '.')
		return NULL;
	return xstrdup(p);
}

/* ASCII only: the locale of a daemon is not the user's. */
static void lower_ascii(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

char *username_mangle(const struct username_rules *rules, const char *user, unsigned state,
		      const char *domain, bool skip_strip)
{
	const char *delim = rules->domain_delimiter;
	char *s = xstrdup(user);

	if ((rules->strip_domain & state) != 0 && !skip_strip) {
		char *d = (char *)username_last_delim(s, delim);

		if (d != NULL)
			*d = '\0';
	}

	/* An empty delimiter can never be "absent", so nothing is added. */
	if ((rules->add_domain & state) != 0 && domain != NULL && delim != NULL &&
	    *delim != '\0' && username_last_delim(s, delim) == NULL) {
		size_t ul = strlen(s), dl = strlen(delim), nl = strlen(domain);
		char *n = xmalloc(ul + dl + nl + 1);

		memcpy(n, s, ul);
		memcpy(n + ul, delim, dl);
		memcpy(n + ul + dl, domain, nl + 1);
		free(s);
		s = n;
	}

	if ((rules->lower_case & state) != 0)
		lower_ascii(s);
	return s;
}
