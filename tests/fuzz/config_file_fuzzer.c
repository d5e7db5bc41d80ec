/*
 * config_file_fuzzer.c: libFuzzer target for the config-file tokenizer.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config_file.h"
#include "defs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_entry *e = NULL;
	size_t n = 0;
	char err[256];
	int rc;

	rc = config_tokenize((const char *)data, size, &e, &n, err,
			     sizeof(err));
	if (rc != 0 && rc != -1)
		abort();
	if (rc < 0 && strncmp(err, "line ", 5) != 0)
		abort();
	for (size_t i = 0; i < n; i++) {
		/* Every token is bounded and NUL-free by construction. */
		if (strlen(e[i].key) > MAX_CONFIG_TOKEN || e[i].line == 0 ||
		    (e[i].value != NULL &&
		     strlen(e[i].value) > MAX_CONFIG_TOKEN))
			abort();
	}
	config_entries_free(e, n);
	return 0;
}
