/*
 * perditiondb_nis.c: map library that looks user names up in a NIS (YP)
 * map with yp_match(3) in the host's default YP domain.
 *
 * map_library_opt is the map name, default user_mail_server.  As with
 * perdition 2.2, every YP failure -- no domain set, no server bound, no
 * such map, no such key -- counts as "not found" (-2), so the defaults
 * (-s) take over; the reason is logged at debug level.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <rpcsvc/ypclnt.h>

#include "maplog.h"
#include "perditiondb.h"

#define PERDITIONDB_NIS_DEFAULT_MAP "user_mail_server"

int dbserver_get(const char *key, const char *opt, char **str, size_t *len)
{
	const char *map = opt != NULL && *opt != '\0' ? opt :
		PERDITIONDB_NIS_DEFAULT_MAP;
	size_t kl;
	char *domain = NULL, *val = NULL;
	int vl = 0, e;

	if (key == NULL)
		return -3;
	kl = strlen(key);
	if (kl == 0 || kl > INT_MAX)
		return -2;
	e = yp_get_default_domain(&domain);
	if (e != 0 || domain == NULL || *domain == '\0') {
		maplog(LOG_DEBUG, "nis map: no default YP domain: %s",
		       yperr_string(e != 0 ? e : YPERR_NODOM));
		return -2;
	}
	e = yp_match(domain, map, key, (int)kl, &val, &vl);
	if (e != 0 || val == NULL || vl <= 0) {
		char esc[256];

		maplog(LOG_DEBUG, "nis map: no match for \"%s\" in %s: %s",
		       maplog_escape(esc, sizeof(esc), key, kl), map,
		       e != 0 ? yperr_string(e) : "empty value");
		free(val);
		return -2;
	}
	/* yp_match malloc()s the value; the caller frees it. */
	*str = val;
	*len = (size_t)vl;
	return 0;
}
