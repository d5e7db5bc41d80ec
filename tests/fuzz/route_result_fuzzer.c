/*
 * route_result_fuzzer.c: libFuzzer target for route_parse_result(), the
 * parser of map results naming one server or a per-user failover list
 * "[user<delim>]h1[:p1],h2[:p2],...".
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every server r names must be a non-empty host with a non-empty port. */
static void check_servers(struct route *r)
{
	unsigned n = 1;

	if (r->nnext >= ROUTE_MAX_SERVERS)
		abort();
	do {
		if (r->host == NULL || r->host[0] == '\0' || r->port == NULL || r->port[0] == '\0')
			abort();
	} while (route_next(r) == 0 && ++n);
	if (n != r->nnext + 1 || r->taken != r->nnext || route_has_next(r))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const delims[] = { NULL, "", "@", "%%", ":", "," };
	char s[2 * MAX_CRED_LENGTH + 2];
	size_t len = size > 1 ? size - 1 : 0;
	struct route r;

	if (size == 0)
		return 0;
	/* The first byte picks the delimiter; the rest is the result. */
	if (len > sizeof(s) - 1)
		len = sizeof(s) - 1;
	memcpy(s, data + 1, len);
	s[len] = '\0';
	if (route_parse_result(s, delims[data[0] % 6], "110", &r) != 0) {
		if (r.host != NULL || r.port != NULL || r.user != NULL || r.nnext != 0)
			abort(); /* nothing allocated on failure */
		return 0;
	}
	if (r.user != NULL && strlen(r.user) >= strlen(s))
		abort();
	check_servers(&r);
	route_free(&r);
	return 0;
}
