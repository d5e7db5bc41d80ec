/*
 * popmap_input.c: read popmap text ("key:value" lines) for makegdbm and
 * makebdb.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "defs.h"
#include "popmap_input.h"

/* A key or a value is at most a credential long; one line holds both. */
#define LINE_MAX_BYTES (2 * MAX_CRED_LENGTH + 1)

/*
 * Read one line into buf (at most size-1 bytes kept, the rest dropped).
 * Returns its length, or -1 at end of input.  *bad is set when the line
 * was too long or held a NUL byte.
 */
static long read_line(FILE *in, char *buf, size_t size, bool *bad)
{
	size_t n = 0;
	int c;

	*bad = false;
	while ((c = getc(in)) != EOF && c != '\n') {
		if (c == '\0')
			*bad = true;
		if (n + 1 < size)
			buf[n++] = (char)c;
		else
			*bad = true;
	}
	if (c == EOF && n == 0 && !*bad)
		return -1;
	buf[n] = '\0';
	return (long)n;
}

int popmap_input_read(const char *prog, FILE *in, popmap_store_fn store, void *ctx)
{
	static char line[LINE_MAX_BYTES + 1];
	unsigned long lineno = 0;
	bool failed = false;
	bool bad;
	long len;

	while ((len = read_line(in, line, sizeof(line), &bad)) >= 0) {
		char *colon;
		int rc;

		lineno++;
		/* Tolerate popmaps edited with CRLF line ends. */
		if (!bad && len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (!bad && len == 0)
			continue;
		colon = bad ? NULL : strchr(line, ':');
		if (colon == NULL || colon == line || colon[1] == '\0' ||
		    (size_t)(colon - line) > MAX_CRED_LENGTH ||
		    strlen(colon + 1) > MAX_CRED_LENGTH) {
			fprintf(stderr, "%s: invalid input on line: %lu\n", prog, lineno);
			failed = true;
			continue;
		}
		*colon = '\0';
		rc = store(ctx, line, (size_t)(colon - line), colon + 1, strlen(colon + 1),
			   lineno);
		if (rc == POPMAP_DUPLICATE) {
			/* The spelling is perdition 2.2's. */
			fprintf(stderr, "%s: dupicate key: %s\n", prog, line);
			failed = true;
		} else if (rc != POPMAP_STORED) {
			failed = true;
			break;
		}
	}
	if (ferror(in)) {
		fprintf(stderr, "%s: error reading input: %s\n", prog, strerror(errno));
		failed = true;
	}
	return failed ? -1 : 0;
}
