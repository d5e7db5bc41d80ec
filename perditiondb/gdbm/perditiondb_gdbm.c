/*
 * perditiondb_gdbm.c: map library that looks user names up in a GDBM
 * file written by makegdbm (keys and values stored without a NUL).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <gdbm.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "perditiondb.h"

#ifndef PERDITION_SYSCONFDIR
#define PERDITION_SYSCONFDIR "/etc/perdition"
#endif
#define PERDITIONDB_GDBM_DEFAULT PERDITION_SYSCONFDIR "/popmap.gdbm.db"

/*
 * The file is opened for each lookup so that a map rebuilt by makegdbm
 * is seen at once, without a SIGHUP.
 */
int dbserver_get(const char *key, const char *opt, char **str, size_t *len)
{
	const char *path = opt != NULL && *opt != '\0' ? opt : PERDITIONDB_GDBM_DEFAULT;
	size_t kl = strlen(key);
	GDBM_FILE db;
	datum k, v;

	if (kl > INT_MAX)
		return -1;
	errno = 0;
	db = gdbm_open(path, 0, GDBM_READER, 0, NULL);
	if (db == NULL) {
		/* No file is an empty map, as for perdition 2.2, which logs
		 * nothing then: the default server, quietly.  A file we
		 * cannot read or that is damaged is an error. */
		return gdbm_errno == GDBM_FILE_OPEN_ERROR && errno == ENOENT ? -2 : -1;
	}
	k.dptr = (char *)key;
	k.dsize = (int)kl;
	v = gdbm_fetch(db, k);
	if (v.dptr == NULL) {
		/* Tell "no such key" from a damaged file. */
		int e = gdbm_last_errno(db);

		gdbm_close(db);
		return e == GDBM_ITEM_NOT_FOUND || e == GDBM_NO_ERROR ? -2 : -1;
	}
	gdbm_close(db);
	if (v.dsize <= 0) {
		free(v.dptr);
		return -2;
	}
	/* gdbm_fetch() malloc()s the value; the caller frees it. */
	*str = v.dptr;
	*len = (size_t)v.dsize;
	return 0;
}
