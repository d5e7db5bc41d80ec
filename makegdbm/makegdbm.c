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
#include "popmap_input.h"

#define PROG "makegdbm"
#define MKG_EXIT_USAGE 255
#define MKG_EXIT_ERROR 1

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

/* Store one entry (popmap_input_read callback). */
static int store(void *ctx, const char *key, size_t klen, const char *value, size_t vlen,
		 unsigned long lineno)
{
	GDBM_FILE db = ctx;
	datum k = { (char *)key, (int)klen }, v = { (char *)value, (int)vlen };
	int rc = gdbm_store(db, k, v, GDBM_INSERT);

	if (rc == 1)
		return POPMAP_DUPLICATE;
	if (rc != 0) {
		fprintf(stderr, PROG ": could not store line %lu: %s\n", lineno,
			gdbm_strerror(gdbm_errno));
		return POPMAP_STORE_ERROR;
	}
	return POPMAP_STORED;
}

static int build(const char *name)
{
	size_t tl = strlen(name) + 32;
	char *tmp = malloc(tl);
	GDBM_FILE db;
	bool failed;

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

	failed = popmap_input_read(PROG, stdin, store, db) < 0;
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
