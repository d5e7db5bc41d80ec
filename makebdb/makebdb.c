/*
 * makebdb.c: build the Berkeley DB hash popmap read by libperditiondb_bdb
 * from "key:value" lines on standard input, or dump one with -u.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <db.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "defs.h"
#include "popmap_input.h"

#define PROG "makebdb"
#define MKB_EXIT_USAGE 255
#define MKB_EXIT_ERROR 1

static void usage(int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f,
		PROG " version " PACKAGE_VERSION "\n"
		"Build a Berkeley DB popmap for perdition from key:value lines.\n"
		"\n"
		"Usage: " PROG " [-u] NAME < popmap\n"
		"  NAME  the Berkeley DB hash file to write (replaced when the\n"
		"        input is valid)\n"
		"  -u    instead, print the entries of NAME as key:value lines\n"
		"  -h    show this help\n"
		"\n"
		"Each input line is key:value, split at the first colon, for\n"
		"example \"alice:bob@mail.example.com:110\". Blank lines are skipped.\n");
	exit(status);
}

/* Berkeley DB's own explanation of a failure, on standard error. */
static void db_message(const DB_ENV *env, const char *prefix,
		       const char *msg)
{
	(void)env;
	(void)prefix;
	fprintf(stderr, PROG ": %s\n", msg);
}

/* Open name as a hash database, read-only or created afresh. */
static DB *open_db(const char *name, bool create)
{
	DB *db;
	int rc = db_create(&db, NULL, 0);

	if (rc != 0) {
		fprintf(stderr, PROG ": could not create a handle: %s\n",
			db_strerror(rc));
		return NULL;
	}
	db->set_errcall(db, db_message);
	/* Page checksums let the map library tell a damaged page from data
	 * instead of walking garbage; any Berkeley DB reader copes. */
	if (create && (rc = db->set_flags(db, DB_CHKSUM)) != 0) {
		fprintf(stderr, PROG ": could not enable checksums: %s\n",
			db_strerror(rc));
		db->close(db, 0);
		return NULL;
	}
	rc = db->open(db, NULL, name, NULL, DB_HASH,
		      create ? DB_CREATE | DB_EXCL : DB_RDONLY, 0644);
	if (rc != 0) {
		fprintf(stderr, PROG ": could not %s %s: %s\n",
			create ? "create" : "open", name, db_strerror(rc));
		db->close(db, 0);
		return NULL;
	}
	return db;
}

/* Store one entry (popmap_input_read callback). */
static int store(void *ctx, const char *key, size_t klen, const char *value, size_t vlen,
		 unsigned long lineno)
{
	DB *db = ctx;
	DBT k, v;
	int rc;

	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	k.data = (void *)key;
	k.size = (u_int32_t)klen;
	v.data = (void *)value;
	v.size = (u_int32_t)vlen;
	rc = db->put(db, NULL, &k, &v, DB_NOOVERWRITE);
	if (rc == DB_KEYEXIST)
		return POPMAP_DUPLICATE;
	if (rc != 0) {
		fprintf(stderr, PROG ": could not store line %lu: %s\n", lineno,
			db_strerror(rc));
		return POPMAP_STORE_ERROR;
	}
	return POPMAP_STORED;
}

static int build(const char *name)
{
	size_t tl = strlen(name) + 32;
	char *tmp = malloc(tl);
	DB *db;
	bool failed;

	if (tmp == NULL) {
		fprintf(stderr, PROG ": out of memory\n");
		return MKB_EXIT_ERROR;
	}
	/* Write beside NAME and rename, so a reader never sees half a map
	 * and bad input leaves the old map in place. */
	snprintf(tmp, tl, "%s.tmp.%ld", name, (long)getpid());
	unlink(tmp);
	db = open_db(tmp, true);
	if (db == NULL) {
		free(tmp);
		return MKB_EXIT_ERROR;
	}

	failed = popmap_input_read(PROG, stdin, store, db) < 0;
	if (db->close(db, 0) != 0)
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
	return failed ? MKB_EXIT_ERROR : 0;
}

static int dump(const char *name)
{
	DB *db = open_db(name, false);
	DBC *cur;
	DBT k, v;
	int rc;

	if (db == NULL)
		return MKB_EXIT_ERROR;
	rc = db->cursor(db, NULL, &cur, 0);
	if (rc != 0) {
		fprintf(stderr, PROG ": could not read %s: %s\n", name,
			db_strerror(rc));
		db->close(db, 0);
		return MKB_EXIT_ERROR;
	}
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	while ((rc = cur->get(cur, &k, &v, DB_NEXT)) == 0) {
		fwrite(k.data, 1, k.size, stdout);
		putchar(':');
		fwrite(v.data, 1, v.size, stdout);
		putchar('\n');
	}
	cur->close(cur);
	db->close(db, 0);
	if (rc != DB_NOTFOUND) {
		fprintf(stderr, PROG ": could not read %s: %s\n", name,
			db_strerror(rc));
		return MKB_EXIT_ERROR;
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, PROG ": error writing output: %s\n",
			strerror(errno));
		return MKB_EXIT_ERROR;
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
			usage(MKB_EXIT_USAGE);
		}
	}
	if (argc - optind != 1 || argv[optind][0] == '\0')
		usage(MKB_EXIT_USAGE);
	return unload ? dump(argv[optind]) : build(argv[optind]);
}
