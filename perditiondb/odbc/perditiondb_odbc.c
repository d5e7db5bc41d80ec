/*
 * perditiondb_odbc.c: map library that looks user names up through
 * unixODBC, compatible with perdition 2.2's libperditiondb_odbc (option
 * string, defaults, query and result; see perditiondb(5)).
 *
 * The dbname field of the option string is the data source name (DSN):
 * odbc.ini says which driver, host and database it means, so the host
 * and port fields are ignored, as 2.2 ignores them.  One connection per
 * lookup, as 2.2: a child serves one login, and a connection made in the
 * parent could not be shared by the children.  The user name is a bound
 * parameter, never text in the query; table and column names come only
 * from the option string, checked by sqlmap_opt_parse() to be plain
 * names.  Each lookup runs in a short-lived process of its own, so that
 * a driver that ignores the ODBC time-outs still cannot hang a login.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sql.h>
#include <sqlext.h>

#include "maplog.h"
#include "perditiondb.h"
#include "sqlmap.h"

#define LIB "perditiondb_odbc"

/* The longest server or port value a row may hold (sqlmap_result's cap). */
#define ODBCMAP_MAX_VALUE 1020

/* Seconds a lookup may take in all, whatever the driver does with the
 * ODBC time-outs: the connection's and the query's, and some slack. */
#define ODBCMAP_DEADLINE (SQLMAP_CONNECT_TIMEOUT + SQLMAP_QUERY_TIMEOUT + 2)

static const struct sqlmap_defaults odbc_defaults =
	SQLMAP_DEFAULTS_22("", "dbPerdition", "port");

/* The parsed option string (dbserver_init, or the first lookup). */
static struct sqlmap_state map;

/* One handle and its kind, for the diagnostics of a failed call. */
struct odbc_handle {
	SQLSMALLINT type;
	SQLHANDLE h;
};

/* ---------------------------------------------------------- options */

/*
 * True when field idx is present in opt and empty.  2.2 passes an empty
 * user or password to SQLConnect as it is, and the driver then takes the
 * DSN's own (odbc.ini), so there "empty" is not "default".
 */
static bool field_given_empty(const char *opt, int idx)
{
	const char *p = opt;

	if (p == NULL || *p == '\0')
		return false;
	for (int i = 0; i < idx; i++) {
		p = strchr(p, ':');
		if (p == NULL)
			return false;
		p++;
	}
	return *p == ':' || *p == '\0';
}

/* opt with the host and port fields emptied: the DSN says where the
 * database is, and 2.2 accepts anything there. */
static char *drop_ignored_fields(const char *opt)
{
	const char *p = opt != NULL ? strchr(opt, ':') : NULL;
	size_t n;
	char *r;

	if (p != NULL)
		p = strchr(p + 1, ':');
	if (p == NULL)
		return strdup("");
	n = strlen(p);
	r = malloc(n + 2);
	if (r != NULL) {
		r[0] = ':';
		memcpy(r + 1, p, n + 1);
	}
	return r;
}

static int set_field(int idx, const char *v)
{
	char *e = strdup(v);

	if (e == NULL)
		return -1;
	free(map.o.field[idx]);
	map.o.field[idx] = e;
	return 0;
}

/* Parse opt into map; 0, or -1 after one log line saying why. */
static int map_setup(const char *opt)
{
	char *given = drop_ignored_fields(opt);
	int rc;

	sqlmap_state_free(&map);
	if (given == NULL) {
		maplog_init_error("%s: out of memory", LIB);
		return -1;
	}
	rc = sqlmap_state_setup(&map, LIB, opt, given, &odbc_defaults);
	sqlmap_secret_free(given);
	if (rc < 0)
		return -1;
	/* 2.2's odbc library selects its default port column when that
	 * field is empty (unlike its mysql one). */
	if ((field_given_empty(opt, SQLMAP_USER) &&
	     set_field(SQLMAP_USER, "")) ||
	    (field_given_empty(opt, SQLMAP_PASSWORD) &&
	     set_field(SQLMAP_PASSWORD, "")) ||
	    (*map.o.field[SQLMAP_PORT_COL] == '\0' &&
	     set_field(SQLMAP_PORT_COL, odbc_defaults.field[SQLMAP_PORT_COL]))) {
		maplog_init_error("%s: out of memory", LIB);
		sqlmap_state_free(&map);
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
	sqlmap_state_free(&map);
	return 0;
}

/* ---------------------------------------------------------- logging */

/* Blank every copy of the password in msg (a driver might quote a
 * connection string back), so that it cannot reach a log line. */
static void mask_password(char *msg)
{
	const char *pw = map.o.field[SQLMAP_PASSWORD];
	size_t n = strlen(pw);
	char *p;

	if (n == 0)
		return;
	while ((p = strstr(msg, pw)) != NULL)
		memset(p, '*', n);
}

/* Runs of line breaks and tabs in a driver's message become one space:
 * the log line stays one line and readable. */
static void one_line(char *s)
{
	char *w = s;

	for (char *r = s; *r != '\0'; r++) {
		if (*r == '\r' || *r == '\n' || *r == '\t') {
			if (w > s && w[-1] != ' ')
				*w++ = ' ';
			continue;
		}
		*w++ = *r;
	}
	while (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

/* The first diagnostic record of h: its SQLSTATE into state (6 bytes)
 * and its text into msg; false when there is none. */
static bool diag(const struct odbc_handle *h, char *state, char *msg,
		 size_t msglen)
{
	SQLINTEGER native = 0;
	SQLSMALLINT len = 0;
	SQLRETURN rc;

	state[0] = msg[0] = '\0';
	if (h->h == SQL_NULL_HANDLE)
		return false;
	rc = SQLGetDiagRec(h->type, h->h, 1, (SQLCHAR *)state, &native,
			   (SQLCHAR *)msg, (SQLSMALLINT)msglen, &len);
	if (!SQL_SUCCEEDED(rc)) {
		state[0] = msg[0] = '\0';
		return false;
	}
	state[5] = '\0';
	return true;
}

/* One log line: what failed on the DSN, and the driver's reason. */
static void log_odbc(const char *what, const struct odbc_handle *h)
{
	const char *dsn = map.o.field[SQLMAP_DBNAME];
	char state[6], msg[512], d[256], e[1024];

	if (!diag(h, state, msg, sizeof(msg)))
		snprintf(msg, sizeof(msg), "no diagnostic from the driver");
	mask_password(msg);
	one_line(msg);
	maplog(LOG_ERR, "%s: %s on DSN \"%s\" failed: %s%s%s%s", LIB, what,
	       maplog_escape(d, sizeof(d), dsn, strlen(dsn)),
	       state[0] != '\0' ? "[" : "", state,
	       state[0] != '\0' ? "] " : "",
	       maplog_escape(e, sizeof(e), msg, strlen(msg)));
}

/* ---------------------------------------------------------- query */

/*
 * Names that SQL reads as a function when left unquoted: a column called
 * "user" (2.2's default) would silently compare CURRENT_USER in
 * PostgreSQL and others.  Only these are quoted, with the driver's own
 * quote character, so every other name is folded as 2.2's query folded
 * it (PostgreSQL lower-cases unquoted tblPerdition).
 */
static bool needs_quotes(const char *name)
{
	static const char *const niladic[] = {
		"user", "current_user", "session_user", "system_user",
		"current_role", "current_catalog", "current_schema",
		"current_date", "current_time", "current_timestamp",
		"localtime", "localtimestamp",
	};

	for (size_t i = 0; i < sizeof(niladic) / sizeof(niladic[0]); i++)
		if (strcasecmp(name, niladic[i]) == 0)
			return true;
	return false;
}

/* The driver's identifier quote character, or '\0' when it has none. */
static char quote_char(SQLHDBC dbc)
{
	char q[8] = "";
	SQLSMALLINT len = 0;

	if (!SQL_SUCCEEDED(SQLGetInfo(dbc, SQL_IDENTIFIER_QUOTE_CHAR, q,
				      sizeof(q), &len)) ||
	    len != 1 || q[0] == ' ')
		return '\0';
	return q[0];
}

static const char *name_sql(char *dst, size_t n, const char *name, char q)
{
	if (q != '\0' && needs_quotes(name))
		snprintf(dst, n, "%c%s%c", q, name, q);
	else
		snprintf(dst, n, "%s", name);
	return dst;
}

/* "SELECT srv, port FROM table WHERE usercol = ?": the port column as
 * 2.2 pasted it, so a number there is a constant port. */
static void build_query(SQLHDBC dbc, char *q, size_t n)
{
	const struct sqlmap_opt *o = &map.o;
	const char *pc = o->field[SQLMAP_PORT_COL];
	char srv[80], port[80], table[80], user[80], qc = quote_char(dbc);

	snprintf(q, n, "SELECT %s%s%s FROM %s WHERE %s = ?",
		 name_sql(srv, sizeof(srv), o->field[SQLMAP_SRV_COL], qc),
		 *pc != '\0' ? ", " : "",
		 *pc != '\0' ? name_sql(port, sizeof(port), pc, qc) : "",
		 name_sql(table, sizeof(table), o->field[SQLMAP_TABLE], qc),
		 name_sql(user, sizeof(user), o->field[SQLMAP_USER_COL], qc));
}

/* ---------------------------------------------------------- lookup */

/* Environment and connection handles with the time-outs set, connected
 * to the DSN; -1 after a log line (handles left for the caller). */
static int odbc_connect(SQLHENV *env, SQLHDBC *dbc)
{
	struct odbc_handle h = { SQL_HANDLE_ENV, SQL_NULL_HANDLE };
	const struct sqlmap_opt *o = &map.o;
	SQLRETURN rc;

	if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE,
					  env))) {
		maplog(LOG_ERR, "%s: cannot allocate an ODBC environment", LIB);
		return -1;
	}
	h.h = *env;
	if (!SQL_SUCCEEDED(SQLSetEnvAttr(*env, SQL_ATTR_ODBC_VERSION,
					 (SQLPOINTER)SQL_OV_ODBC3, 0)) ||
	    !SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, *env, dbc))) {
		log_odbc("setting up ODBC", &h);
		return -1;
	}
	/* A driver without these says so and carries on: not fatal. */
	SQLSetConnectAttr(*dbc, SQL_ATTR_LOGIN_TIMEOUT,
			  (SQLPOINTER)(SQLULEN)SQLMAP_CONNECT_TIMEOUT, 0);
	SQLSetConnectAttr(*dbc, SQL_ATTR_CONNECTION_TIMEOUT,
			  (SQLPOINTER)(SQLULEN)SQLMAP_QUERY_TIMEOUT, 0);
	rc = SQLConnect(*dbc, (SQLCHAR *)o->field[SQLMAP_DBNAME], SQL_NTS,
			(SQLCHAR *)o->field[SQLMAP_USER], SQL_NTS,
			(SQLCHAR *)o->field[SQLMAP_PASSWORD], SQL_NTS);
	if (!SQL_SUCCEEDED(rc)) {
		h.type = SQL_HANDLE_DBC;
		h.h = *dbc;
		log_odbc("connecting", &h);
		return -1;
	}
	return 0;
}

/* Column col of the current row as text: 1 with buf filled, 0 for SQL
 * NULL, -1 on error, -3 when longer than buf can hold. */
static int column_text(SQLHSTMT st, SQLUSMALLINT col, char *buf, size_t n)
{
	SQLLEN ind = 0;
	SQLRETURN rc = SQLGetData(st, col, SQL_C_CHAR, buf, (SQLLEN)n, &ind);

	if (!SQL_SUCCEEDED(rc))
		return -1;
	if (ind == SQL_NULL_DATA)
		return 0;
	if (rc == SQL_SUCCESS_WITH_INFO &&
	    (ind == SQL_NO_TOTAL || ind >= (SQLLEN)n))
		return -3;
	buf[n - 1] = '\0';
	sqlmap_rtrim(buf); /* CHAR(n) columns come padded */
	return 1;
}

/* SQLSTATE 22021 (and 22018): the key cannot be written in the
 * column's character set, so no row can hold it: not found. */
static bool key_outside_charset(const struct odbc_handle *h)
{
	char state[6], msg[8];

	return diag(h, state, msg, sizeof(msg)) &&
	       (strcmp(state, "22021") == 0 || strcmp(state, "22018") == 0);
}

/* Prepare the query, bind key, run it: 0 with a row to fetch, -2 when
 * key cannot match, -1 after a log line. */
static int execute(SQLHDBC dbc, SQLHSTMT st, const char *key, SQLLEN *klen)
{
	struct odbc_handle h = { SQL_HANDLE_STMT, st };
	char q[512];

	/* A driver that cannot bound a query still has the login's own. */
	SQLSetStmtAttr(st, SQL_ATTR_QUERY_TIMEOUT,
		       (SQLPOINTER)(SQLULEN)SQLMAP_QUERY_TIMEOUT, 0);
	build_query(dbc, q, sizeof(q));
	if (!SQL_SUCCEEDED(SQLPrepare(st, (SQLCHAR *)q, SQL_NTS))) {
		log_odbc("preparing the query", &h);
		return -1;
	}
	*klen = (SQLLEN)strlen(key);
	if (!SQL_SUCCEEDED(SQLBindParameter(st, 1, SQL_PARAM_INPUT,
					    SQL_C_CHAR, SQL_VARCHAR,
					    *klen > 0 ? (SQLULEN)*klen : 1, 0,
					    (SQLPOINTER)key, *klen, klen))) {
		log_odbc("binding the user name", &h);
		return -1;
	}
	if (!SQL_SUCCEEDED(SQLExecute(st))) {
		if (key_outside_charset(&h))
			return -2;
		log_odbc("the query", &h);
		return -1;
	}
	return 0;
}

/* The first row's server and port made into the answer (as 2.2: the
 * user column only selects the row); 0, -2 no row, -1 logged. */
static int fetch_result(SQLHSTMT st, const char *key, char **str,
			size_t *len)
{
	struct odbc_handle h = { SQL_HANDLE_STMT, st };
	char server[ODBCMAP_MAX_VALUE + 1], port[ODBCMAP_MAX_VALUE + 1];
	bool has_port = *map.o.field[SQLMAP_PORT_COL] != '\0';
	char k[256];
	int s, p = 0;
	SQLRETURN rc = SQLFetch(st);

	if (rc == SQL_NO_DATA)
		return -2;
	if (!SQL_SUCCEEDED(rc)) {
		log_odbc("fetching the row", &h);
		return -1;
	}
	s = column_text(st, 1, server, sizeof(server));
	if (s > 0 && has_port)
		p = column_text(st, 2, port, sizeof(port));
	if (s == -3 || p == -3) {
		maplog(LOG_ERR, "%s: the row for \"%s\" has a value longer "
		       "than %d bytes", LIB,
		       maplog_escape(k, sizeof(k), key, strlen(key)),
		       ODBCMAP_MAX_VALUE);
		return -1;
	}
	if (s < 0 || p < 0) {
		log_odbc("reading the row", &h);
		return -1;
	}
	/* A NULL or empty server: 2.2 also calls this an error, not "not
	 * found".  A NULL port: no port, the default one (2.2 appended
	 * garbage). */
	return sqlmap_row_result(LIB, key, s > 0 ? server : NULL,
				 p > 0 ? port : NULL, str, len);
}

/* Look key up on an open connection: 0, -2 or -1 (logged). */
static int lookup(SQLHDBC dbc, const char *key, char **str, size_t *len)
{
	struct odbc_handle h = { SQL_HANDLE_DBC, dbc };
	SQLHSTMT st = SQL_NULL_HSTMT;
	SQLLEN klen = 0;
	int rc;

	if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st))) {
		log_odbc("allocating a statement", &h);
		return -1;
	}
	rc = execute(dbc, st, key, &klen);
	if (rc == 0)
		rc = fetch_result(st, key, str, len);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	return rc;
}

/* One lookup on a fresh connection: 0, -2 or -1 (logged). */
static int odbc_lookup(const char *key, char **str, size_t *len)
{
	SQLHENV env = SQL_NULL_HENV;
	SQLHDBC dbc = SQL_NULL_HDBC;
	int rc = -1;

	if (odbc_connect(&env, &dbc) == 0) {
		rc = lookup(dbc, key, str, len);
		SQLDisconnect(dbc);
	}
	if (dbc != SQL_NULL_HDBC)
		SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	if (env != SQL_NULL_HENV)
		SQLFreeHandle(SQL_HANDLE_ENV, env);
	return rc;
}

/* ---------------------------------------------------------- deadline */

/* What the lookup process sends back: rc, then len bytes of result. */
struct answer {
	int rc;
	unsigned len;
};

static bool write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* In the lookup process: look up, send the answer, never return. */
static void __attribute__((noreturn)) lookup_child(int fd, const char *key)
{
	struct answer a = { -1, 0 };
	char *str = NULL;
	size_t len = 0;

	a.rc = odbc_lookup(key, &str, &len);
	if (a.rc == 0)
		a.len = (unsigned)len;
	if (write_all(fd, &a, sizeof(a)) && a.rc == 0)
		write_all(fd, str, len);
	/* No atexit handlers, no stdio: they belong to the session. */
	_exit(0);
}

/* Read n bytes from fd by the monotonic deadline: 1, 0 on end of file
 * or error, -1 on time-out. */
static int read_by(int fd, void *buf, size_t n, const struct timespec *end)
{
	char *p = buf;

	while (n > 0) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		struct timespec now;
		long ms;
		ssize_t r;

		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (end->tv_sec - now.tv_sec) * 1000 +
		     (end->tv_nsec - now.tv_nsec) / 1000000;
		if (ms <= 0)
			return -1;
		if (poll(&pfd, 1, (int)ms) < 0 && errno != EINTR)
			return 0;
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		p += r;
		n -= (size_t)r;
	}
	return 1;
}

/* The lookup process's answer; -1 (logged) when it has none in time. */
static int read_answer(int fd, char **str, size_t *len)
{
	const char *dsn = map.o.field[SQLMAP_DBNAME];
	struct timespec end;
	struct answer a;
	char d[256], *r;
	int got;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ODBCMAP_DEADLINE;
	got = read_by(fd, &a, sizeof(a), &end);
	if (got <= 0) {
		maplog_escape(d, sizeof(d), dsn, strlen(dsn));
		if (got < 0)
			maplog(LOG_ERR, "%s: no answer from DSN \"%s\" within "
			       "%d seconds", LIB, d, ODBCMAP_DEADLINE);
		else
			maplog(LOG_ERR, "%s: the lookup on DSN \"%s\" ended "
			       "without an answer (driver crash?)", LIB, d);
		return -1;
	}
	if (a.rc != 0)
		return a.rc == -2 ? -2 : -1;
	if (a.len == 0 || a.len > 3 * ODBCMAP_MAX_VALUE ||
	    (r = malloc(a.len + 1)) == NULL)
		return -1;
	if (read_by(fd, r, a.len, &end) <= 0) {
		free(r);
		return -1;
	}
	r[a.len] = '\0';
	*str = r;
	*len = a.len;
	return 0;
}

/*
 * The ODBC time-outs are requests that a driver may ignore (MariaDB's
 * waits forever for a server that accepts and never answers), so the
 * lookup runs in a process of its own, killed if it has not answered
 * by the deadline: no driver can hang a login.
 */
static int guarded_lookup(const char *key, char **str, size_t *len)
{
	int fd[2], rc;
	pid_t pid;

	if (pipe(fd) < 0)
		return odbc_lookup(key, str, len);
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return odbc_lookup(key, str, len);
	}
	if (pid == 0) {
		close(fd[0]);
		lookup_child(fd[1], key);
	}
	close(fd[1]);
	rc = read_answer(fd[0], str, len);
	close(fd[0]);
	kill(pid, SIGKILL); /* done or too late: either way, gone */
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return rc;
}

int dbserver_get(const char *key, const char *opt, char **str, size_t *len)
{
	if (key == NULL || str == NULL || len == NULL)
		return -1;
	/* A host that skipped dbserver_init, or gave another string. */
	if (sqlmap_state_stale(&map, opt) && map_setup(opt) < 0)
		return -1;
	return guarded_lookup(key, str, len);
}
