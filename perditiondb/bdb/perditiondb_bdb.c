/*
 * perditiondb_bdb.c: map library that looks user names up in a Berkeley
 * DB hash file written by makebdb (keys and values stored without a NUL).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <db.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "maplog.h"
#include "perditiondb.h"

#ifndef PERDITION_SYSCONFDIR
#define PERDITION_SYSCONFDIR "/etc/perdition"
#endif
#define PERDITIONDB_BDB_DEFAULT PERDITION_SYSCONFDIR "/popmap.bdb.db"

/* Longest value returned; more cannot be a [user@]host[:port]. */
#define VALUE_MAX (4 * MAX_CRED_LENGTH)

/* Berkeley DB's own messages (bad file format...) go to our log, never
 * to standard error, which may be a client's socket under inetd. */
static void db_message(const DB_ENV *env, const char *prefix,
		       const char *msg)
{
	char esc[512];

	(void)env;
	(void)prefix;
	maplog_escape(esc, sizeof(esc), msg, strlen(msg));
	maplog(LOG_DEBUG, "bdb: %s", esc);
}

/*
 * The file is opened for each lookup so that a map rebuilt by makebdb
 * is seen at once, without a SIGHUP.
 */
int dbserver_get(const char *key, const char *opt, char **str, size_t *len)
{
	const char *path = opt != NULL && *opt != '\0' ? opt : PERDITIONDB_BDB_DEFAULT;
	size_t kl = strlen(key);
	DB *db;
	DBT k, v;
	char *out;
	int rc;

	if (kl > UINT32_MAX)
		return -2;
	if (db_create(&db, NULL, 0) != 0)
		return -3;
	db->set_errcall(db, db_message);
	rc = db->open(db, NULL, path, NULL, DB_HASH, DB_RDONLY, 0);
	if (rc != 0) {
		db->close(db, 0);
		return rc == ENOENT ? -2 : -1; /* no file: an empty map */
	}
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	k.data = (void *)key;
	k.size = (u_int32_t)kl;
	rc = db->get(db, NULL, &k, &v, 0);
	if (rc != 0) {
		db->close(db, 0);
		if (rc == DB_NOTFOUND || rc == DB_KEYEMPTY) {
			char esc[512];

			maplog_escape(esc, sizeof(esc), key, kl);
			maplog(LOG_INFO, "No match for %s", esc);
			return -2;
		}
		return -1;
	}
	if (v.size == 0 || v.size > VALUE_MAX) {
		db->close(db, 0);
		return v.size == 0 ? -2 : -3;
	}
	/* v.data belongs to the handle: copy it before closing. */
	out = malloc((size_t)v.size + 1);
	if (out == NULL) {
		db->close(db, 0);
		return -3;
	}
	memcpy(out, v.data, v.size);
	out[v.size] = '\0';
	*len = v.size;
	*str = out;
	db->close(db, 0);
	return 0;
}
