/*
 * perditiondb_mysql.c: map library that looks user names up in a MySQL
 * or MariaDB table, compatible with perdition 2.2's libperditiondb_mysql
 * (option string, defaults, query and result; see perditiondb(5)).
 *
 * One connection per lookup, as 2.2: a child serves one login, and a
 * connection made in the parent could not be shared by the children.
 * The user name is a bound parameter of a prepared statement, never text
 * in the query; table and column names come only from the option string,
 * checked by sqlmap_opt_parse() to be plain names.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <mysql.h>
#include <mysqld_error.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maplog.h"
#include "perditiondb.h"
#include "sqlmap.h"

#define LIB "perditiondb_mysql"

/* The longest server or port value a row may hold (sqlmap_result's cap). */
#define MYSQLMAP_MAX_VALUE 1020

/* MariaDB's MYSQL_BIND flags are my_bool, MySQL 8's are bool. */
typedef __typeof__(*((MYSQL_BIND *)0)->is_null) bind_flag;

static const struct sqlmap_defaults mysql_defaults =
	SQLMAP_DEFAULTS_22("0", "dbPerdition", "port");

/* The parsed option string (dbserver_init) and the query made from it. */
static struct sqlmap_state map;
static char *query;

/* One column of the answer, bound as text (the server converts). */
struct column {
	char buf[MYSQLMAP_MAX_VALUE + 1];
	unsigned long len;
	bind_flag is_null;
	bind_flag error;
};

/* `name`, or a number as it is: 2.2 pasted the port column into the
 * select list, so a number there is a constant port. */
static const char *quote(char *dst, size_t n, const char *name)
{
	snprintf(dst, n, sqlmap_number_ok(name) ? "%s" : "`%s`", name);
	return dst;
}

static char *build_query(const struct sqlmap_opt *o)
{
	char srv[80], port[80], table[80], user[80];
	const char *pc = o->field[SQLMAP_PORT_COL];
	size_t n = 64 + 4 * sizeof(srv);
	char *q = malloc(n);

	if (q == NULL)
		return NULL;
	snprintf(q, n, "SELECT %s%s%s FROM %s WHERE %s = ?",
		 quote(srv, sizeof(srv), o->field[SQLMAP_SRV_COL]),
		 *pc != '\0' ? ", " : "",
		 *pc != '\0' ? quote(port, sizeof(port), pc) : "",
		 quote(table, sizeof(table), o->field[SQLMAP_TABLE]),
		 quote(user, sizeof(user), o->field[SQLMAP_USER_COL]));
	return q;
}

static void map_free(void)
{
	sqlmap_state_free(&map);
	free(query);
	query = NULL;
}

/* Parse opt into map; 0, or -1 after one log line saying why. */
static int map_setup(const char *opt)
{
	map_free();
	if (sqlmap_state_setup(&map, LIB, opt, NULL, &mysql_defaults) < 0)
		return -1;
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
	if (mysql_library_init(0, NULL, NULL) != 0) {
		maplog_init_error("%s: the MySQL client library did not "
				  "initialise", LIB);
		return -1;
	}
	return map_setup(opt) < 0 ? -1 : 0;
}

int dbserver_fini(void)
{
	map_free();
	return 0;
}

/* Log a client-library error: the text names the server, user and
 * database at most, never the password. */
static void log_mysql(const char *what, const char *host, const char *err)
{
	sqlmap_log_host(LIB, what, host, err, strlen(err));
}

/* A connection to host with the time-outs set; NULL after a log line. */
static MYSQL *connect_host(const struct sqlmap_opt *o, const char *host)
{
	unsigned int ct = SQLMAP_CONNECT_TIMEOUT, qt = SQLMAP_QUERY_TIMEOUT;
	MYSQL *db = mysql_init(NULL);

	if (db == NULL) {
		maplog(LOG_ERR, "%s: out of memory", LIB);
		return NULL;
	}
	mysql_options(db, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_options(db, MYSQL_OPT_READ_TIMEOUT, &qt);
	mysql_options(db, MYSQL_OPT_WRITE_TIMEOUT, &qt);
	if (mysql_real_connect(db, host, o->field[SQLMAP_USER],
			       o->field[SQLMAP_PASSWORD],
			       o->field[SQLMAP_DBNAME], o->port, NULL,
			       0) == NULL) {
		log_mysql("cannot connect", host, mysql_error(db));
		mysql_close(db);
		return NULL;
	}
	return db;
}

static void bind_column(MYSQL_BIND *b, struct column *c)
{
	memset(b, 0, sizeof(*b));
	b->buffer_type = MYSQL_TYPE_STRING;
	b->buffer = c->buf;
	b->buffer_length = sizeof(c->buf) - 1;
	b->length = &c->len;
	b->is_null = &c->is_null;
	b->error = &c->error;
}

/* The column's value as a C string, or NULL for SQL NULL. */
static const char *column_text(struct column *c)
{
	if (c->is_null)
		return NULL;
	c->buf[c->len < sizeof(c->buf) ? c->len : sizeof(c->buf) - 1] = '\0';
	return c->buf;
}

/*
 * True when the server refused key because it cannot be written in the
 * user column's character set (8-bit bytes that are not UTF-8 against a
 * latin1 table, say): no row can hold such a name, so it is not found.
 */
static bool key_outside_charset(unsigned int err)
{
	return err == ER_CANT_AGGREGATE_2COLLATIONS ||
	       err == ER_CANT_AGGREGATE_3COLLATIONS ||
	       err == ER_CANT_AGGREGATE_NCOLLATIONS ||
	       err == ER_INVALID_CHARACTER_STRING;
}

/* Run the prepared query for key; 0 with cols filled, -2 no row, -1. */
static int run_query(MYSQL_STMT *st, const char *key, struct column *cols,
		     unsigned ncols)
{
	MYSQL_BIND param, res[2];
	unsigned long klen = (unsigned long)strlen(key);
	int rc;

	memset(&param, 0, sizeof(param));
	param.buffer_type = MYSQL_TYPE_STRING;
	param.buffer = (void *)key;
	param.buffer_length = klen;
	param.length = &klen;
	for (unsigned i = 0; i < ncols; i++)
		bind_column(&res[i], &cols[i]);
	if (mysql_stmt_bind_param(st, &param) != 0)
		return -1;
	if (mysql_stmt_execute(st) != 0)
		return key_outside_charset(mysql_stmt_errno(st)) ? -2 : -1;
	if (mysql_stmt_bind_result(st, res) != 0)
		return -1;
	rc = mysql_stmt_fetch(st);
	if (rc == MYSQL_NO_DATA)
		return -2;
	if (rc == MYSQL_DATA_TRUNCATED)
		return -3;
	return rc == 0 ? 0 : -1;
}

/* The row's server and port made into the answer (as 2.2: the user
 * column only selects the row). */
static int make_result(const char *key, struct column *cols, unsigned ncols,
		       char **str, size_t *len)
{
	const char *server = column_text(&cols[0]);
	const char *port = ncols > 1 ? column_text(&cols[1]) : NULL;

	/* A NULL or empty server: 2.2 also calls this an error, not "not
	 * found". */
	return sqlmap_row_result(LIB, key, server, port, str, len);
}

/* Look key up on an open connection: 0, -2 or -1 (logged). */
static int lookup(MYSQL *db, const char *host, const char *key, char **str,
		  size_t *len)
{
	struct column cols[2];
	unsigned ncols = *map.o.field[SQLMAP_PORT_COL] != '\0' ? 2 : 1;
	MYSQL_STMT *st = mysql_stmt_init(db);
	int rc;

	if (st == NULL) {
		log_mysql("cannot prepare the query", host, mysql_error(db));
		return -1;
	}
	if (mysql_stmt_prepare(st, query, (unsigned long)strlen(query)) != 0) {
		log_mysql("cannot prepare the query", host,
			  mysql_stmt_error(st));
		mysql_stmt_close(st);
		return -1;
	}
	memset(cols, 0, sizeof(cols));
	rc = run_query(st, key, cols, ncols);
	if (rc == -1)
		log_mysql("query failed", host, mysql_stmt_error(st));
	else if (rc == -3)
		log_mysql("query failed", host, "a value is too long");
	else if (rc == 0)
		rc = make_result(key, cols, ncols, str, len);
	mysql_stmt_close(st);
	return rc < -2 ? -1 : rc;
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
		MYSQL *db = connect_host(&map.o, host);
		int rc;

		if (db == NULL)
			continue; /* the next host, as 2.2 */
		rc = lookup(db, host, key, str, len);
		mysql_close(db);
		return rc;
	}
	return -1;
}
