/*
 * mask.c: hide database passwords in map_library_opt for the log (see
 * mask.h).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mask.h"
#include "xalloc.h"

#define BINDPW "x-bindpw="
#define SQL_PASSWORD_FIELD 5 /* 0-based: host:port:db:table:user:pw */

static bool sql_library(const char *library)
{
	static const char *const names[] = { "mysql", "mariadb", "postgresql",
					     "pgsql", "odbc" };
	const char *base;

	if (library == NULL)
		return false;
	base = strrchr(library, '/');
	base = base != NULL ? base + 1 : library;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strstr(base, names[i]) != NULL)
			return true;
	return false;
}

/* Output buffer: at most one MASK_TEXT per byte of input, plus one. */
struct out {
	char *p;
	size_t n;
};

static void put(struct out *o, const char *s, size_t n)
{
	memcpy(o->p + o->n, s, n);
	o->n += n;
}

/* Start of the next "x-bindpw=" value at or after s, or NULL. */
static const char *bindpw_value(const char *s)
{
	for (; *s != '\0'; s++)
		if (strncasecmp(s, BINDPW, sizeof(BINDPW) - 1) == 0)
			return s + sizeof(BINDPW) - 1;
	return NULL;
}

/* Copy s[0..n) to o with every x-bindpw value masked. */
static void put_bindpw_masked(struct out *o, const char *s, size_t n)
{
	char *copy = xstrndup(s, n);
	const char *p = copy, *v;

	while ((v = bindpw_value(p)) != NULL) {
		size_t vl = strcspn(v, ",");

		put(o, p, (size_t)(v - p));
		if (vl > 0)
			put(o, MASK_TEXT, sizeof(MASK_TEXT) - 1);
		p = v + vl;
	}
	put(o, p, strlen(p));
	free(copy);
}

char *mask_map_opt(const char *library, const char *opt)
{
	struct out o;
	const char *pw = opt;
	size_t len;

	if (opt == NULL)
		return NULL;
	len = strlen(opt);
	/* Each mask replaces at least one byte; the SQL one may add 8. */
	o.p = xmalloc(len + (len + 1) * (sizeof(MASK_TEXT) - 1) + 1);
	o.n = 0;
	if (sql_library(library)) {
		for (int f = 0; f < SQL_PASSWORD_FIELD && pw != NULL; f++) {
			pw = strchr(pw, ':');
			if (pw != NULL)
				pw++;
		}
	} else {
		pw = NULL;
	}
	if (pw != NULL) {
		size_t pl = strcspn(pw, ":");

		put_bindpw_masked(&o, opt, (size_t)(pw - opt));
		if (pl > 0)
			put(&o, MASK_TEXT, sizeof(MASK_TEXT) - 1);
		put_bindpw_masked(&o, pw + pl, strlen(pw + pl));
	} else {
		put_bindpw_masked(&o, opt, len);
	}
	o.p[o.n] = '\0';
	return o.p;
}
