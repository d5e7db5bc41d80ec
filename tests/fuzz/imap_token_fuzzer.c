/*
 * imap_token_fuzzer.c: libFuzzer target for the IMAP tokenizer.  The
 * input is one client line: tag, then arguments, as imap4.c reads them.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "imap_token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	const char *sp = memchr(line, ' ', size);
	size_t pos = sp != NULL ? (size_t)(sp - line) : size;
	static char dec[MAX_LINE_LENGTH * 2 + 8];
	struct imap_arg arg;
	unsigned long n;
	bool plus;
	char *z;

	(void)imap_tag_valid(line, pos);
	(void)imap_literal_parse(line, size, MAX_LITERAL_SIZE, &n, &plus);
	while (imap_arg_next(line, size, &pos, MAX_LITERAL_SIZE, &arg) == IMAP_ARG_OK) {
		if (pos > size || arg.start + arg.len > line + size)
			abort();
		if (arg.type == IMAP_ARG_QUOTED)
			(void)imap_unquote(arg.start, arg.len, dec, sizeof(dec));
	}
	z = malloc(size + 1);
	memcpy(z, data, size);
	z[size] = '\0';
	(void)imap_quote(z, dec, sizeof(dec));
	free(z);
	return 0;
}
