/*
 * username_fuzzer.c: libFuzzer target for the user-name rules of
 * username.c: username_mangle() (strip_domain, add_domain, lower_case),
 * username_strip_labels() and username_last_delim().
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "username.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Split the len bytes of in (NUL-terminated) at NULs into n strings;
 * those past the end are "". */
static void split(const char *in, size_t len, const char **out, size_t n)
{
	const char *p = in;

	for (size_t i = 0; i < n; i++) {
		out[i] = p;
		p += strlen(p);
		if (p < in + len)
			p++;
	}
}

static void check_mangle(const struct username_rules *r, const char *user, unsigned state,
			 const char *domain, bool skip)
{
	char *s = username_mangle(r, user, state, domain, skip);
	size_t ul = strlen(user), sl = strlen(s);
	size_t max = ul + strlen(r->domain_delimiter) + (domain != NULL ? strlen(domain) : 0);

	if (sl > max)
		abort();
	/* No rule for this state: the name is copied unchanged. */
	if (((r->strip_domain | r->add_domain | r->lower_case) & state) == 0 &&
	    strcmp(s, user) != 0)
		abort();
	if ((r->lower_case & state) != 0)
		for (const char *p = s; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				abort();
	/* Only stripping: a prefix of the name. */
	if ((r->add_domain & state) == 0 && (r->lower_case & state) == 0 &&
	    strncmp(s, user, sl) != 0)
		abort();
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned states[] = { 0x1u, 0x2u, 0x4u, 0x1u };
	static char in[4096 + 1];
	struct username_rules r;
	const char *f[4], *d;
	char *h;

	if (size < 2)
		return 0;
	/* Bytes 0 and 1: the masks, the state, skip_strip, a domain or none;
	 * then delimiter, user, domain and host, NUL-separated. */
	size -= 2;
	if (size > sizeof(in) - 1)
		size = sizeof(in) - 1;
	memcpy(in, data + 2, size);
	in[size] = '\0';
	split(in, size, f, 4);
	r.domain_delimiter = f[0];
	r.strip_domain = data[0] & 7u;
	r.add_domain = (data[0] >> 3) & 7u;
	r.lower_case = data[1] & 7u;
	check_mangle(&r, f[1], states[(data[1] >> 3) & 3u], data[1] & 0x20 ? NULL : f[2],
		     (data[0] & 0x40) != 0);

	d = username_last_delim(f[1], f[0]);
	if (d != NULL && (d < f[1] || strncmp(d, f[0], strlen(f[0])) != 0))
		abort();
	h = username_strip_labels(f[3], data[1] >> 6);
	if (h != NULL) {
		size_t hl = strlen(h), fl = strlen(f[3]);

		if (hl == 0 || hl > fl || strcmp(f[3] + fl - hl, h) != 0)
			abort();
		free(h);
	}
	return 0;
}
