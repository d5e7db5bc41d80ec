/*
 * perditiondb_cdb.c: map library that looks user names up in a constant
 * database written by TinyCDB's "cdb -c" (keys and values without a NUL).
 *
 * perdition 2.2 stored the value's length through an int pointer where the
 * ABI has a size_t one; here the whole size_t is set.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <cdb.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "defs.h"
#include "perditiondb.h"

#ifndef PERDITION_SYSCONFDIR
#define PERDITION_SYSCONFDIR "/etc/perdition"
#endif
#define PERDITIONDB_CDB_DEFAULT PERDITION_SYSCONFDIR "/popmap.cdb"

/* Longest value returned; more cannot be a [user@]host[:port]. */
#define VALUE_MAX (4 * MAX_CRED_LENGTH)

/*
 * The file is opened for each lookup so that a rebuilt map (cdb -c
 * renames a new file into place) is seen at once.  TinyCDB checks every
 * offset against the file size, so a damaged file gives an error, not a
 * crash.
 */
int dbserver_get(const char *key, const char *opt, char **str, size_t *len)
{
	const char *path = opt != NULL && *opt != '\0' ? opt : PERDITIONDB_CDB_DEFAULT;
	size_t kl = strlen(key);
	struct cdb c;
	unsigned vl;
	char *v;
	int fd, rc;

	if (kl > UINT_MAX)
		return -2;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -2 : -1; /* no file: an empty map */
	if (cdb_init(&c, fd) != 0) {
		close(fd);
		return -1;
	}
	rc = cdb_find(&c, key, (unsigned)kl);
	if (rc <= 0) {
		cdb_free(&c);
		close(fd);
		return rc == 0 ? -2 : -1;
	}
	vl = cdb_datalen(&c);
	if (vl == 0 || vl > VALUE_MAX) {
		cdb_free(&c);
		close(fd);
		return vl == 0 ? -2 : -3;
	}
	v = malloc((size_t)vl + 1);
	if (v == NULL || cdb_read(&c, v, vl, cdb_datapos(&c)) != 0) {
		free(v);
		cdb_free(&c);
		close(fd);
		return -3;
	}
	v[vl] = '\0';
	cdb_free(&c);
	close(fd);
	*str = v;
	*len = vl;
	return 0;
}
