/*
 * pop3_cmd_fuzzer.c: libFuzzer target for the POP3 command parser, the
 * reply decision and the CAPA list builder.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "pop3.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[MAX_LINE_LENGTH + 1];
	struct pop3_request r;
	struct pop3_decision d;
	size_t len = size < MAX_LINE_LENGTH ? size : MAX_LINE_LENGTH;
	unsigned flags = size > 0 ? data[0] : 0;
	char *capa;

	memcpy(line, data, len);
	line[len] = '\0';
	pop3_parse(line, &len, &r);
	if (r.arg < line || r.arg + r.arg_len > line + len || r.arg[r.arg_len])
		abort();
	pop3_decide(&r, flags & 1, flags & 2, flags & 4, &d);
	if (d.act == POP3_ACT_ERROR && d.text == NULL)
		abort();

	/* The same bytes as a pop_capability string. */
	capa = pop3_capa_reply(line, flags & 8, &len);
	if (len != strlen(capa))
		abort();
	free(capa);
	return 0;
}
