/*
 * managesieve_fuzzer.c: libFuzzer target for the ManageSieve command
 * parser (lines and literals), the reply decision and the SASL PLAIN
 * decoder.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "managesieve.h"
#include "str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct sieve_cmd c;
	struct sieve_decision d;
	bool first = true;
	char *authz = NULL, *user = NULL, *pw = NULL;

	/* The input is a sequence of CRLF-free lines; a literal takes its
	 * bytes from what follows, as the reader would. */
	sieve_cmd_init(&c);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		int r = sieve_parse_line(&c, p, len, first);

		p += len + (nl != NULL);
		if (r != SIEVE_PARSE_LITERAL)
			break;
		size_t n = c.literal < (size_t)(end - p) ? c.literal : (size_t)(end - p);
		sieve_add_literal(&c, p, n);
		p += n;
		first = false;
	}
	sieve_decide(&c, size & 1, size & 2, &d);
	if (d.act == SIEVE_ACT_NO && d.text == NULL)
		abort();
	sieve_cmd_free(&c);

	if (sieve_plain_decode((const char *)data, size, &authz, &user, &pw) == NULL) {
		if (user == NULL || pw == NULL)
			abort();
		free(authz);
		free(user);
		str_wipe_free(pw);
	}
	return 0;
}
