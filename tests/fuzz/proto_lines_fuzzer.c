/*
 * proto_lines_fuzzer.c: libFuzzer target for the protocol core's
 * classification of real-server lines: status tokens and capability
 * lists (one capability a line, as POP3 and ManageSieve send them, or
 * a space-separated list, as IMAP does).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "proto_core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct proto_cap caps[] = {
	{ "STLS", 1, false },
	{ "PIPELINING", 2, true },
	{ "\"SASL\"", 4, false },
	{ "LITERAL+", 8, false },
	{ NULL, 0, false },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	unsigned bits;

	/* The input need not be NUL-terminated: every helper is bounded. */
	(void)proto_starts_token(line, size, "+OK");
	(void)proto_starts_token(line, size, "* OK");
	bits = proto_cap_line(line, size, caps);
	if (bits != 0 && bits != 1 && bits != 2 && bits != 4 && bits != 8)
		abort();
	if (proto_cap_words(line, size, caps) > 15)
		abort();
	return 0;
}
