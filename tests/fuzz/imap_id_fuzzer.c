/*
 * imap_id_fuzzer.c: libFuzzer target for the IMAP ID list (imap_id.c):
 * imap_id_parse() on the input as the argument list, then the serialiser
 * on what it accepted, which must come out as one quoted line; and
 * imap_id_literal_at_end() on the input as a command line.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imap_id.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_format(struct imap_id *id)
{
	static char out[IMAP_ID_MAX_FORMAT];
	size_t n, quotes = 0, want = 0;

	imap_id_drop_forwarding(id);
	(void)imap_id_add(id, "x-originating-ip", "127.0.0.2");
	n = imap_id_format(id, out, sizeof(out));
	if (n == 0 || strlen(out) != n || strpbrk(out, "\r\n") != NULL)
		abort();
	if (id->n == 0)
		return;
	if (out[0] != '(' || out[n - 1] != ')')
		abort();
	/* Unescaped quotes come in pairs: every string is closed. */
	for (size_t i = 0; i < n; i++) {
		if (out[i] == '\\')
			i++;
		else if (out[i] == '"')
			quotes++;
	}
	for (size_t i = 0; i < id->n; i++)
		want += id->pair[i].nil ? 2 : 4;
	if (quotes != want)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct imap_id id;
	unsigned long n;
	bool plus;
	/* A copy of exactly size bytes, so ASan sees any overread. */
	char *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	if (imap_id_parse(buf, size, &id) == 0) {
		if (id.n > IMAP_ID_MAX_PAIRS)
			abort();
		for (size_t i = 0; i < id.n; i++)
			if (id.pair[i].key_len > IMAP_ID_MAX_KEY ||
			    id.pair[i].value_len > IMAP_ID_MAX_VALUE)
				abort();
		check_format(&id);
	}
	if (imap_id_literal_at_end(buf, size, IMAP_ID_MAX_VALUE, &n, &plus) &&
	    n > IMAP_ID_MAX_VALUE + 1)
		abort();
	free(buf);
	return 0;
}
