/*
 * dump_mask_fuzzer.c: libFuzzer target for dump_mask(), the password
 * masker of connection_logging.  The input is split at NUL bytes into
 * items fed through one state; each output must fit its buffer, and a
 * "PASS x" line must never show x.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dump_mask.h"
#include "mask.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char out[4 * 4096 + 1];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct dump_mask st = { 0 };

	while (p < end) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		size_t n = (size_t)((nul != NULL ? nul : end) - p);
		/* The first byte picks a small or a large buffer. */
		size_t cap = n > 0 && (p[0] & 1) ? 9 : sizeof(out);
		size_t w = dump_mask(&st, p, n, out, cap);

		if (w >= cap || out[w] != '\0' || strlen(out) != w ||
		    st.secret_items > DUMP_MASK_MAX_SECRET_ITEMS)
			abort();
		if (cap == sizeof(out) && n > 5 && st.secret_items == 0 &&
		    strncmp(p, "PASS ", 5) == 0 && memchr(p, '\n', n) == NULL &&
		    memchr(p, '\r', n) == NULL &&
		    strcmp(out, "PASS " MASK_TEXT) != 0 && strcmp(out, MASK_TEXT) != 0)
			abort();
		p += n + 1;
	}
	return 0;
}
