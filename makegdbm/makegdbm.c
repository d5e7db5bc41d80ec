/*
 * makegdbm.c: build the GDBM popmap read by libperditiondb_gdbm from
 * "key:value" lines on standard input, or dump one with -u.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <gdbm.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "defs.h"

#define PROG "makegdbm"
#define MKG_EXIT_USAGE 255
#define MKG_EXIT_ERROR 1

/* A key or a value is at most a credential long; one line holds both. */
#define LINE_MAX_BYTES (2 * MAX_CRED_LENGTH + 1)

static void usage(int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f,
		PROG " version " PACKAGE_VERSION "\n"
		"Build a GDBM popmap for perdition from key:value lines.\n"
		"\n"
		"Usage: " PROG " [-u] NAME < popmap\n"
		"  NAME  the GDBM file to write (replaced when the input is valid)\n"
		"  -u    instead, print the entries of NAME as key:value lines\n"
		"  -h    show this help\n"
		"\n"
		"Each input line is key:value, split at the first colon, for\n"
		"example \"alice:bob@mail.example.com:110\". Blank lines are skipped.\n");
	exit(status);
}

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

static int build(const char *name)
{
	static char line[LINE_MAX_BYTES + 1];
	unsigned long lineno = 0;
	size_t tl = strlen(name) + 32;
	char *tmp = malloc(tl);
	GDBM_FILE db;
	bool failed = false;
	bool bad;
	long len;

	if (tmp == NULL) {
		fprintf(stderr, PROG ": out of memory\n");
		return MKG_EXIT_ERROR;
	}
	/* Write beside NAME and rename, so a reader never sees half a map
	 * and bad input leaves the old map in place. */
	snprintf(tmp, tl, "%s.tmp.%ld", name, (long)getpid());
	db = gdbm_open(tmp, 0, GDBM_NEWDB, 0644, NULL);
	if (db == NULL) {
		fprintf(stderr, PROG ": could not create %s: %s\n", tmp,
			gdbm_strerror(gdbm_errno));
		free(tmp);
		return MKG_EXIT_ERROR;
	}

	while ((len = read_line(stdin, line, sizeof(line), &bad)) >= 0) {
		char *colon;
		datum k, v;
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
			fprintf(stderr, PROG ": invalid input on line: %lu\n",
				lineno);
			failed = true;
			continue;
		}
		*colon = '\0';
		k.dptr = line;
		k.dsize = (int)(colon - line);
		v.dptr = colon + 1;
		v.dsize = (int)strlen(colon + 1);
		rc = gdbm_store(db, k, v, GDBM_INSERT);
		if (rc == 1) {
			/* The spelling is perdition 2.2's. */
			fprintf(stderr, PROG ": dupicate key: %s\n", line);
			failed = true;
		} else if (rc != 0) {
			fprintf(stderr, PROG ": could not store line %lu: %s\n",
				lineno, gdbm_strerror(gdbm_errno));
			failed = true;
			break;
		}
	}
	if (ferror(stdin)) {
		fprintf(stderr, PROG ": error reading input: %s\n",
			strerror(errno));
		failed = true;
	}
	if (gdbm_close(db) != 0)
		failed = true;
	if (!failed && rename(tmp, name) != 0) {
		fprintf(stderr, PROG ": could not rename %s to %s: %s\n", tmp,
			name, strerror(errno));
		failed = true;
	}
	if (failed) {
		unlink(tmp);
		fprintf(stderr, PROG ": %s not written\n", name);
	}
	free(tmp);
	return failed ? MKG_EXIT_ERROR : 0;
}

static int dump(const char *name)
{
	GDBM_FILE db = gdbm_open(name, 0, GDBM_READER, 0, NULL);
	datum k;

	if (db == NULL) {
		fprintf(stderr, PROG ": could not open %s: %s\n", name,
			gdbm_strerror(gdbm_errno));
		return MKG_EXIT_ERROR;
	}
	k = gdbm_firstkey(db);
	while (k.dptr != NULL) {
		datum v = gdbm_fetch(db, k);
		datum next;

		if (v.dptr != NULL) {
			fwrite(k.dptr, 1, (size_t)k.dsize, stdout);
			putchar(':');
			fwrite(v.dptr, 1, (size_t)v.dsize, stdout);
			putchar('\n');
			free(v.dptr);
		}
		next = gdbm_nextkey(db, k);
		free(k.dptr);
		k = next;
	}
	gdbm_close(db);
	if (fflush(stdout) != 0) {
		fprintf(stderr, PROG ": error writing output: %s\n",
			strerror(errno));
		return MKG_EXIT_ERROR;
	}
	return 0;
}

int main(int argc, char **argv)
{
	bool unload = false;
	int c;

	while ((c = getopt(argc, argv, "hu")) != -1) {
		switch (c) {
		case 'h':
			usage(0);
			break;
		case 'u':
			unload = true;
			break;
		default:
			usage(MKG_EXIT_USAGE);
		}
	}
	if (argc - optind != 1 || argv[optind][0] == '\0')
		usage(MKG_EXIT_USAGE);
	return unload ? dump(argv[optind]) : build(argv[optind]);
}
