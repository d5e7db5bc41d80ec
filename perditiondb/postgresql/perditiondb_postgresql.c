/*
 * perditiondb_postgresql.c: map library that looks user names up in a
 * PostgreSQL table through libpq, compatible with perdition 2.2's
 * libperditiondb_postgresql (option string, defaults, query and result;
 * see perditiondb(5)).
 *
 * One connection per lookup, as 2.2: a child serves one login, and a
 * connection made in the parent could not be shared by the children.
 * The user name is the bound parameter $1 of PQsendQueryParams, never
 * text in the query; table and column names come only from the option
 * string, checked by sqlmap_opt_parse() to be plain names.  libpq is
 * driven through its non-blocking calls with our own deadlines, so a
 * server that accepts a connection and never answers cannot hang a
 * login.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maplog.h"
#include "perditiondb.h"
#include "sqlmap.h"

#define LIB "perditiondb_postgresql"

/* The select list's port column when the option string leaves it empty:
 * 2.2's library then still selected "port". */
#define PGMAP_DEFAULT_PORT_COL "port"

/* SQLSTATEs meaning the key cannot be written in the database's
 * encoding (e.g. bytes that are not UTF-8): no row can hold it. */
#define PGMAP_BAD_ENCODING "22021"
#define PGMAP_UNTRANSLATABLE "22P05"

/* Longest name the option string may hold (as sqlmap.c checks). */
#define PGMAP_MAX_NAME 255

static const struct sqlmap_defaults pg_defaults =
	SQLMAP_DEFAULTS_22("0", "dbperdition",
			   PGMAP_DEFAULT_PORT_COL);

/* The parsed option string (dbserver_init), the query made from it and
 * its port as text ("" for libpq's default). */
static struct sqlmap_state map;
static char *query;
static char port_text[12];

/* As 2.2: server and port columns and the table bare (so folded to lower
 * case), the user column double-quoted (so matched exactly); a number
 * as the port column is a constant port. */
static char *build_query(const struct sqlmap_opt *o)
{
	size_t n = 64 + 4 * (PGMAP_MAX_NAME + 1);
	char *q = malloc(n);

	if (q == NULL)
		return NULL;
	snprintf(q, n, "SELECT %s,%s FROM %s WHERE \"%s\" = $1",
		 o->field[SQLMAP_SRV_COL], o->field[SQLMAP_PORT_COL],
		 o->field[SQLMAP_TABLE], o->field[SQLMAP_USER_COL]);
	return q;
}

static void map_free(void)
{
	sqlmap_state_free(&map);
	free(query);
	query = NULL;
	port_text[0] = '\0';
}

/* Parse opt into map; 0, or -1 after one log line saying why. */
static int map_setup(const char *opt)
{
	map_free();
	if (sqlmap_state_setup(&map, LIB, opt, NULL, &pg_defaults) < 0)
		return -1;
	/* An empty port column: 2.2's library still selected "port". */
	if (*map.o.field[SQLMAP_PORT_COL] == '\0') {
		free(map.o.field[SQLMAP_PORT_COL]);
		map.o.field[SQLMAP_PORT_COL] = strdup(PGMAP_DEFAULT_PORT_COL);
	}
	if (map.o.port != 0)
		snprintf(port_text, sizeof(port_text), "%u", map.o.port);
	if (map.o.field[SQLMAP_PORT_COL] != NULL)
		query = build_query(&map.o);
	if (query == NULL) {
		maplog_init_error("%s: out of memory", LIB);
		map_free();
		return -1;
	}
	return 0;
}

int dbserver_init(char *opt)
{
	return map_setup(opt) < 0 ? -1 : 0;
}

int dbserver_fini(void)
{
	map_free();
	return 0;
}

/* Log a problem with host: libpq's message cut to its first line (it
 * names the server, user and database at most, never the password). */
static void log_pg(const char *what, const char *host, const char *err)
{
	size_t n = strcspn(err, "\r\n");

	while (n > 0 && (err[n - 1] == ' ' || err[n - 1] == '\t'))
		n--;
	sqlmap_log_host(LIB, what, host, err, n);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until c's socket is ready for events: 1, 0 at the deadline, -1. */
static int wait_socket(PGconn *c, short events, long long deadline)
{
	struct pollfd p = { .fd = PQsocket(c), .events = events };

	if (p.fd < 0)
		return -1;
	for (;;) {
		long long left = deadline - now_ms();
		int r;

		if (left <= 0)
			return 0;
		r = poll(&p, 1, (int)left);
		if (r > 0)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

/* Drive PQconnectPoll until connected: 0, or -1 after a log line. */
static int finish_connect(PGconn *c, const char *host)
{
	long long deadline = now_ms() + SQLMAP_CONNECT_TIMEOUT * 1000LL;
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;

	while (st != PGRES_POLLING_OK) {
		int r;

		if (st == PGRES_POLLING_FAILED) {
			log_pg("cannot connect", host, PQerrorMessage(c));
			return -1;
		}
		r = wait_socket(c, st == PGRES_POLLING_READING ? POLLIN :
				POLLOUT, deadline);
		if (r == 0) {
			maplog(LOG_ERR, "%s: cannot connect on host \"%s\": "
			       "no answer within %d seconds", LIB, host,
			       SQLMAP_CONNECT_TIMEOUT);
			return -1;
		}
		if (r < 0) {
			log_pg("cannot connect", host, strerror(errno));
			return -1;
		}
		st = PQconnectPoll(c);
	}
	return 0;
}

/* A connection to host; NULL after a log line. */
static PGconn *connect_host(const char *host)
{
	static const char *const kw[] = {
		"host", "dbname", "user", "password", "connect_timeout",
		"options", "application_name", "port", NULL
	};
	char ct[16], opts[64];
	const char *val[sizeof(kw) / sizeof(kw[0])] = {
		host, map.o.field[SQLMAP_DBNAME], map.o.field[SQLMAP_USER],
		map.o.field[SQLMAP_PASSWORD], ct, opts, "perdition",
		*port_text != '\0' ? port_text : NULL, NULL
	};
	PGconn *c;

	snprintf(ct, sizeof(ct), "%d", SQLMAP_CONNECT_TIMEOUT);
	/* The server gives up on a slow query itself, too. */
	snprintf(opts, sizeof(opts), "-c statement_timeout=%d",
		 SQLMAP_QUERY_TIMEOUT * 1000);
	c = PQconnectStartParams(kw, val, 0);
	if (c == NULL) {
		maplog(LOG_ERR, "%s: out of memory", LIB);
		return NULL;
	}
	if (PQstatus(c) == CONNECTION_BAD) {
		/* Failed at once: a bad name, no route, no such socket. */
		log_pg("cannot connect", host, PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	if (finish_connect(c, host) < 0) {
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* Send the query for key and wait for its first result (NULL after a
 * log line).  The client bound is a second longer than the server's
 * statement_timeout, so a slow server's own error normally comes first. */
static PGresult *run_query(PGconn *c, const char *host, const char *key)
{
	long long deadline = now_ms() + (SQLMAP_QUERY_TIMEOUT + 1) * 1000LL;
	PGresult *res = NULL, *r;
	int f;

	if (PQsetnonblocking(c, 1) != 0 ||
	    !PQsendQueryParams(c, query, 1, NULL, &key, NULL, NULL, 0)) {
		log_pg("query failed", host, PQerrorMessage(c));
		return NULL;
	}
	while ((f = PQflush(c)) == 1)
		if (wait_socket(c, POLLOUT, deadline) != 1)
			break;
	for (;;) {
		while (f == 0 && PQisBusy(c)) {
			int w = wait_socket(c, POLLIN, deadline);

			if (w != 1) {
				f = w == 0 ? 1 : -1;
				break;
			}
			if (!PQconsumeInput(c))
				f = -1;
		}
		if (f != 0)
			break;
		if ((r = PQgetResult(c)) == NULL)
			return res;
		if (res == NULL)
			res = r;
		else
			PQclear(r);
	}
	if (f == 1)
		maplog(LOG_ERR, "%s: query failed on host \"%s\": no answer "
		       "within %d seconds", LIB, host, SQLMAP_QUERY_TIMEOUT + 1);
	else
		log_pg("query failed", host, PQerrorMessage(c));
	PQclear(res);
	return NULL;
}

/* A column's value as 2.2 took it: up to its first blank (CHAR(n)
 * columns pad with spaces); NULL for SQL NULL.  Copied into buf. */
static const char *value(const PGresult *res, int col, char *buf, size_t n)
{
	const char *v;
	size_t len;

	if (col >= PQnfields(res) || PQgetisnull(res, 0, col))
		return NULL;
	v = PQgetvalue(res, 0, col);
	len = strcspn(v, " ");
	if (len >= n)
		len = n - 1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return buf;
}

/* The first row's server and port made into the answer (as 2.2: the
 * user column only selects the row): 0, -2 or -1. */
static int make_result(const PGresult *res, const char *key, char **str,
		       size_t *len)
{
	char sbuf[PGMAP_MAX_NAME * 4 + 1], pbuf[64];
	const char *server, *port;

	if (PQntuples(res) < 1)
		return -2;
	server = value(res, 0, sbuf, sizeof(sbuf));
	port = value(res, 1, pbuf, sizeof(pbuf));
	if (server == NULL)
		return -2; /* as 2.2 (an empty one is an error) */
	return sqlmap_row_result(LIB, key, server, port, str, len);
}

/* Look key up on an open connection: 0, -2 or -1 (logged). */
static int lookup(PGconn *c, const char *host, const char *key, char **str,
		  size_t *len)
{
	PGresult *res = run_query(c, host, key);
	int rc = -1;

	if (res == NULL)
		return -1;
	if (PQresultStatus(res) == PGRES_TUPLES_OK) {
		rc = make_result(res, key, str, len);
	} else {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

		if (state != NULL && (strcmp(state, PGMAP_BAD_ENCODING) == 0 ||
				      strcmp(state, PGMAP_UNTRANSLATABLE) == 0))
			rc = -2;
		else
			log_pg("query failed", host,
			       PQresultErrorMessage(res));
	}
	PQclear(res);
	return rc;
}

int dbserver_get(const char *key, const char *opt, char **str, size_t *len)
{
	if (key == NULL || str == NULL || len == NULL)
		return -1;
	/* A host that skipped dbserver_init, or gave another string. */
	if (sqlmap_state_stale(&map, opt) && map_setup(opt) < 0)
		return -1;
	for (int i = 0; i < map.o.nhosts; i++) {
		const char *host = map.o.hosts[i];
		PGconn *c = connect_host(host);
		int rc;

		if (c == NULL)
			continue; /* the next host, as 2.2 */
		rc = lookup(c, host, key, str, len);
		PQfinish(c);
		return rc;
	}
	return -1;
}
