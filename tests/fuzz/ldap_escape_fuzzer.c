/*
 * ldap_escape_fuzzer.c: libFuzzer target for the LDAP map's escapers and
 * key slots (perditiondb/ldap/ldapmap_escape.c).  Whatever the key, an
 * escaped filter value has no byte that could end or extend the filter
 * and a DN value none that could add a component; the URL template code
 * never writes out of bounds and finds each slot again.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ldapmap_escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every byte outside a \XX escape must be harmless where it lands. */
static void check_escaped(const char *e, size_t n, const char *bad)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)e[i];

		if (c == '\\') {
			if (i + 2 >= n || !isxdigit((unsigned char)e[i + 1]) ||
			    !isxdigit((unsigned char)e[i + 2]))
				abort();
			i += 2;
		} else if (c < 0x20 || c >= 0x7f || strchr(bad, c) != NULL) {
			abort();
		}
	}
}

/* out with each "%01" turned into the slot byte, as URL decoding does. */
static char *decode_slots(const char *out)
{
	char *p = strdup(out), *w = p;

	for (const char *r = out; *r != '\0';) {
		if (strncmp(r, "%01", 3) == 0) {
			*w++ = LDAPMAP_SLOT;
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *key = (const char *)data;
	char small[16], *url, *out, *f, *d;
	unsigned width[LDAPMAP_MAX_SLOTS];
	size_t next = 0, need;
	int n;

	/* Escapers: the count matches a full write, a short buffer is cut
	 * and terminated. */
	need = ldapmap_escape_filter(NULL, 0, key, size);
	f = malloc(need + 1);
	if (ldapmap_escape_filter(f, need + 1, key, size) != need ||
	    strlen(f) != need)
		abort();
	check_escaped(f, need, "*()");
	ldapmap_escape_filter(small, sizeof(small), key, size);
	if (strlen(small) >= sizeof(small))
		abort();
	need = ldapmap_escape_dn(NULL, 0, key, size);
	d = malloc(need + 1);
	if (ldapmap_escape_dn(d, need + 1, key, size) != need || strlen(d) != need)
		abort();
	check_escaped(d, need, "\",+;<>=");
	free(f);
	free(d);

	/* The same bytes as a URL template, then as its key. */
	url = strndup(key, size);
	n = ldapmap_tmpl_prepare(url, &out, width);
	if (n < 0) {
		if (out != NULL)
			abort();
	} else {
		char *pat = decode_slots(out);

		f = ldapmap_expand(pat, width, (size_t)n, &next, key, size,
				   LDAPMAP_FILTER);
		/* Filled: every slot used, none left behind. */
		if (f != NULL && (next != ldapmap_slots(pat) ||
				  memchr(f, LDAPMAP_SLOT, strlen(f)) != NULL))
			abort();
		free(f);
		free(pat);
		free(out);
	}
	free(url);
	return 0;
}
