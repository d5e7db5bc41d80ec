/*
 * sqlmap.c: option string, identifier checks and results shared by the
 * SQL map libraries (see sqlmap.h).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "maplog.h"
#include "port_list.h"
#include "sqlmap.h"

static const char *const field_name[SQLMAP_NFIELDS] = {
	"host", "port", "dbname", "table", "user", "password",
	"server column", "user column", "port column",
};

/* Longest identifier or value we accept from the option string. */
#define SQLMAP_MAX_FIELD 255

bool sqlmap_identifier_ok(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return false;
	if (isdigit((unsigned char)*s))
		return false;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (!(isascii(c) && (isalnum(c) || c == '_' || c == '$')))
			return false;
	}
	return true;
}

bool sqlmap_number_ok(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 9)
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

void sqlmap_opt_free(struct sqlmap_opt *o)
{
	if (o->field[SQLMAP_PASSWORD] != NULL)
		explicit_bzero(o->field[SQLMAP_PASSWORD],
			       strlen(o->field[SQLMAP_PASSWORD]));
	for (int i = 0; i < SQLMAP_NFIELDS; i++)
		free(o->field[i]);
	free(o->host_buf);
	memset(o, 0, sizeof(*o));
}

/* Split o->field[SQLMAP_HOST] at ',' into o->hosts. */
static int split_hosts(const char *lib, struct sqlmap_opt *o)
{
	char *p;

	o->host_buf = strdup(o->field[SQLMAP_HOST]);
	if (o->host_buf == NULL)
		return -1;
	for (p = o->host_buf; p != NULL;) {
		char *comma = strchr(p, ',');

		if (comma != NULL)
			*comma = '\0';
		if (*p != '\0') {
			if (o->nhosts == SQLMAP_MAX_HOSTS) {
				maplog_init_error("%s: too many hosts in "
						  "map_library_opt (at most %d)",
						  lib, SQLMAP_MAX_HOSTS);
				return -1;
			}
			o->hosts[o->nhosts++] = p;
		}
		p = comma != NULL ? comma + 1 : NULL;
	}
	if (o->nhosts == 0) {
		maplog_init_error("%s: no host in map_library_opt", lib);
		return -1;
	}
	return 0;
}

/* Copy the fields of opt (or the defaults) into o->field. */
static int split_fields(const char *lib, const char *opt,
			const struct sqlmap_defaults *d, struct sqlmap_opt *o)
{
	const char *p = opt != NULL ? opt : "";

	bool present = opt != NULL && *opt != '\0';

	for (int i = 0; i < SQLMAP_NFIELDS; i++) {
		const char *end = strchr(p, ':');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);

		if (n > SQLMAP_MAX_FIELD) {
			maplog_init_error("%s: the %s field of map_library_opt "
					  "is longer than %d bytes", lib,
					  field_name[i], SQLMAP_MAX_FIELD);
			return -1;
		}
		/* An empty field takes the default, except a port column
		 * that is there but empty: 2.2 then selected no port. */
		if (n > 0 || (i == SQLMAP_PORT_COL && present))
			o->field[i] = strndup(p, n);
		else
			o->field[i] = strdup(d->field[i] != NULL ? d->field[i] : "");
		if (o->field[i] == NULL)
			return -1;
		present = end != NULL;
		p = end != NULL ? end + 1 : p + n;
	}
	/* 2.2 ignored what follows the ninth field: so do we, but say so. */
	if (*p != '\0')
		maplog(LOG_WARNING, "%s: map_library_opt has more than %d "
		       "fields; the rest is ignored", lib, SQLMAP_NFIELDS);
	return 0;
}

static int check_names(const char *lib, const struct sqlmap_opt *o)
{
	static const int names[] = { SQLMAP_TABLE, SQLMAP_SRV_COL,
				     SQLMAP_USER_COL, SQLMAP_PORT_COL };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = o->field[names[i]];

		if (names[i] == SQLMAP_PORT_COL &&
		    (*v == '\0' || sqlmap_number_ok(v)))
			continue;
		if (!sqlmap_identifier_ok(v)) {
			char esc[SQLMAP_MAX_FIELD * 4 + 1];

			maplog_init_error("%s: the %s in map_library_opt, "
					  "\"%s\", is not a plain SQL name "
					  "(letters, digits, _ and $)", lib,
					  field_name[names[i]],
					  maplog_escape(esc, sizeof(esc), v,
							strlen(v)));
			return -1;
		}
	}
	return 0;
}

static int parse_port(const char *lib, struct sqlmap_opt *o)
{
	const char *v = o->field[SQLMAP_PORT];
	char *end;
	long n;

	if (*v == '\0')
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < 0 || n > 65535) {
		maplog_init_error("%s: the port in map_library_opt is not a "
				  "number from 0 to 65535", lib);
		return -1;
	}
	o->port = (unsigned)n;
	return 0;
}

int sqlmap_opt_parse(const char *lib, const char *opt,
		     const struct sqlmap_defaults *defaults,
		     struct sqlmap_opt *o)
{
	memset(o, 0, sizeof(*o));
	if (split_fields(lib, opt, defaults, o) < 0 ||
	    split_hosts(lib, o) < 0 || parse_port(lib, o) < 0 ||
	    check_names(lib, o) < 0) {
		sqlmap_opt_free(o);
		return -1;
	}
	return 0;
}

/* "[user@]server[:port]", each part bounded. */
static int join_result(const char *user, const char *server, const char *port,
		       char **str, size_t *len)
{
	size_t ul = user != NULL ? strlen(user) : 0;
	size_t sl = server != NULL ? strlen(server) : 0;
	size_t pl = port != NULL ? strlen(port) : 0;
	char *r, *p;

	if (sl == 0)
		return -2;
	if (ul > SQLMAP_MAX_FIELD * 4 || sl > SQLMAP_MAX_FIELD * 4 ||
	    pl > SQLMAP_MAX_FIELD * 4)
		return -1;
	p = r = malloc(ul + sl + pl + 3);
	if (r == NULL)
		return -1;
	if (ul > 0) {
		memcpy(p, user, ul);
		p += ul;
		*p++ = '@';
	}
	memcpy(p, server, sl);
	p += sl;
	if (pl > 0) {
		*p++ = ':';
		memcpy(p, port, pl);
		p += pl;
	}
	*p = '\0';
	*str = r;
	*len = (size_t)(p - r);
	return 0;
}

int sqlmap_result(const char *user, const char *server, const char *port,
		  char **str, size_t *len)
{
	char *list = NULL;
	int rc;

	/* A failover list in the server column: the port column's port
	 * goes to each of its hosts (port_list.h). */
	if (server != NULL && server[0] != '\0' && port != NULL && port[0] != '\0' &&
	    strlen(port) <= SQLMAP_MAX_FIELD * 4 && port_list_is_list(server)) {
		list = port_list_apply(server, port);
		if (list == NULL)
			return -1;
		server = list;
		port = NULL;
	}
	rc = join_result(user, server, port, str, len);
	free(list);
	return rc;
}

char *sqlmap_rtrim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

void sqlmap_log_host(const char *lib, const char *what, const char *host,
		     const char *err, size_t errlen)
{
	char h[256], e[512];

	maplog(LOG_ERR, "%s: %s on host \"%s\": %s", lib, what,
	       maplog_escape(h, sizeof(h), host, strlen(host)),
	       maplog_escape(e, sizeof(e), err, errlen));
}

void sqlmap_secret_free(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void sqlmap_state_free(struct sqlmap_state *st)
{
	if (st->ready)
		sqlmap_opt_free(&st->o); /* wipes the password */
	sqlmap_secret_free(st->opt);
	memset(st, 0, sizeof(*st));
}

int sqlmap_state_setup(struct sqlmap_state *st, const char *lib,
		       const char *opt, const char *parse,
		       const struct sqlmap_defaults *defaults)
{
	sqlmap_state_free(st);
	if (sqlmap_opt_parse(lib, parse != NULL ? parse : opt, defaults,
			     &st->o) < 0)
		return -1;
	st->ready = true;
	st->opt = strdup(opt != NULL ? opt : "");
	if (st->opt == NULL) {
		maplog_init_error("%s: out of memory", lib);
		sqlmap_state_free(st);
		return -1;
	}
	return 0;
}

bool sqlmap_state_stale(const struct sqlmap_state *st, const char *opt)
{
	return !st->ready || strcmp(st->opt, opt != NULL ? opt : "") != 0;
}

int sqlmap_row_result(const char *lib, const char *key, const char *server,
		      const char *port, char **str, size_t *len)
{
	char k[256];

	if (server == NULL || *server == '\0') {
		maplog(LOG_ERR, "%s: the row for \"%s\" has no server", lib,
		       maplog_escape(k, sizeof(k), key, strlen(key)));
		return -1;
	}
	if (sqlmap_result(NULL, server, port, str, len) != 0) {
		maplog(LOG_ERR, "%s: out of memory", lib);
		return -1;
	}
	return 0;
}
