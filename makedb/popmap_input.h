/*
 * popmap_input.h: the popmap text format shared by makegdbm and makebdb:
 * "key:value" lines, split at the first colon, blank lines skipped.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_POPMAP_INPUT_H
#define PERDITION_POPMAP_INPUT_H

#include <stddef.h>
#include <stdio.h>

/* What a store callback reports. */
enum {
	POPMAP_STORED = 0,
	POPMAP_DUPLICATE = 1,    /* the key is there already */
	POPMAP_STORE_ERROR = -1, /* the database failed (callback said why) */
};

/* Store one entry; key and value are NUL-terminated as well. */
typedef int (*popmap_store_fn)(void *ctx, const char *key, size_t klen,
			       const char *value, size_t vlen, unsigned long lineno);

/*
 * Read in to the end, calling store for every valid line.  Invalid lines
 * (no colon, empty key or value, NUL bytes, longer than MAX_CRED_LENGTH
 * per field) and duplicate keys are reported on stderr as
 * "<prog>: invalid input on line: N" / "<prog>: dupicate key: K" (2.2's
 * spelling) and reading goes on; a store error stops it.  A CR before the
 * LF is ignored.  Returns 0 when every line was stored, -1 otherwise.
 */
int popmap_input_read(const char *prog, FILE *in, popmap_store_fn store, void *ctx);

#endif
