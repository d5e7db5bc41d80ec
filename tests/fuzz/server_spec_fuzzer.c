/*
 * server_spec_fuzzer.c: libFuzzer target for server_spec_parse(), the
 * parser of "[user<delim>]host[:port]" map results and -c user names.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const delims[] = { NULL, "", "@", "%%", ":", "]" };
	char s[2 * MAX_CRED_LENGTH + 2];
	size_t len = size > 1 ? size - 1 : 0;
	struct server_spec r;

	if (size == 0)
		return 0;
	/* The first byte picks the delimiter; the rest is the string. */
	if (len > sizeof(s) - 1)
		len = sizeof(s) - 1;
	memcpy(s, data + 1, len);
	s[len] = '\0';
	if (server_spec_parse(s, delims[data[0] % 6], &r) != 0) {
		if (r.user != NULL || r.host != NULL || r.port != NULL)
			abort(); /* nothing allocated on failure */
		return 0;
	}
	if (r.host == NULL || r.host[0] == '\0' || strlen(r.host) > strlen(s) ||
	    (r.port != NULL && r.port[0] == '\0') ||
	    (r.user != NULL && strlen(r.user) >= strlen(s)))
		abort();
	server_spec_free(&r);
	return 0;
}
