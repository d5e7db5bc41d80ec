/*
 * sqlmap.h: what perdition's SQL map libraries (mysql, postgresql, odbc)
 * share: the 2.2 option string, the check that table and column names are
 * plain identifiers, and the "[user@]host[:port]" result.
 *
 * The option string, as perdition 2.2's libraries take it (fields split
 * at ':', empty or missing fields take the library's default):
 *
 *   host[,host...]:port:dbname:table:user:password:srvcol:usercol:portcol
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITIONDB_SQLMAP_H
#define PERDITIONDB_SQLMAP_H

#include <stdbool.h>
#include <stddef.h>

#define SQLMAP_MAX_HOSTS 16

/* Seconds a lookup may wait for a connection and for a query's answer:
 * far below any login deadline, so a silent database cannot hang one. */
#define SQLMAP_CONNECT_TIMEOUT 5
#define SQLMAP_QUERY_TIMEOUT 5

enum sqlmap_field {
	SQLMAP_HOST,
	SQLMAP_PORT,
	SQLMAP_DBNAME,
	SQLMAP_TABLE,
	SQLMAP_USER,
	SQLMAP_PASSWORD,
	SQLMAP_SRV_COL,
	SQLMAP_USER_COL,
	SQLMAP_PORT_COL,
	SQLMAP_NFIELDS
};

/* A library's defaults, one string per field (NULL = none). */
struct sqlmap_defaults {
	const char *field[SQLMAP_NFIELDS];
};

/*
 * The initialiser of perdition 2.2's defaults: the same in its mysql,
 * postgresql and odbc libraries but for the port, the database name and
 * the port column.
 */
#define SQLMAP_DEFAULTS_22(port, dbname, port_col) { {	\
	[SQLMAP_HOST] = "localhost",				\
	[SQLMAP_PORT] = (port),					\
	[SQLMAP_DBNAME] = (dbname),				\
	[SQLMAP_TABLE] = "tblPerdition",			\
	[SQLMAP_USER] = "perdition",				\
	[SQLMAP_PASSWORD] = "perdition",			\
	[SQLMAP_SRV_COL] = "servername",			\
	[SQLMAP_USER_COL] = "user",				\
	[SQLMAP_PORT_COL] = (port_col),				\
} }

struct sqlmap_opt {
	char *field[SQLMAP_NFIELDS]; /* each malloc'd, never NULL */
	char *hosts[SQLMAP_MAX_HOSTS]; /* point into field[SQLMAP_HOST] copy */
	int nhosts;
	char *host_buf;
	unsigned port; /* 0: the client library's default */
};

/*
 * Parse opt (NULL or "" = all defaults) for the library called lib (used
 * in messages).  Table and column names must be plain identifiers
 * (letters, digits, '_', '$', not starting with a digit) or, for the port
 * column, a number (2.2 pasted it into the select list, so a number there
 * is a constant port).  On a bad string logs one line naming lib and the
 * field (never the password) and returns -1; else fills o and returns 0.
 */
int sqlmap_opt_parse(const char *lib, const char *opt,
		     const struct sqlmap_defaults *defaults,
		     struct sqlmap_opt *o);

void sqlmap_opt_free(struct sqlmap_opt *o);

/* True if s is a plain SQL identifier as described above. */
bool sqlmap_identifier_ok(const char *s);

/* True if s is all decimal digits (and not empty). */
bool sqlmap_number_ok(const char *s);

/*
 * Build the map result "[user@]server[:port]" from a row's values (user
 * and port may be NULL or "", server must not be empty; a failover list
 * "h1,h2" in server gives the port to each host).  Sets *str
 * (malloc'd, NUL-terminated though the ABI does not need it) and *len and
 * returns 0; returns -2 when server is empty, -1 when out of memory.
 */
int sqlmap_result(const char *user, const char *server, const char *port,
		  char **str, size_t *len);

/* Trailing blanks removed in place (CHAR(n) columns pad with spaces). */
char *sqlmap_rtrim(char *s);

/*
 * One LOG_ERR line: lib: what on host "host": err, with host and the
 * first errlen bytes of err escaped.  For a client library's message,
 * which names the server, user and database at most, never the password.
 */
void sqlmap_log_host(const char *lib, const char *what, const char *host,
		     const char *err, size_t errlen);

/* free() for a string that may hold the database password: wiped first
 * (NULL is fine). */
void sqlmap_secret_free(char *s);

/*
 * A library's parsed option string, kept from dbserver_init to the
 * lookups: opt is the string as the host gave it (it may hold the
 * password), to notice another one in dbserver_get.
 */
struct sqlmap_state {
	bool ready;
	char *opt;
	struct sqlmap_opt o;
};

/*
 * Forget what st holds, then parse `parse` (NULL: opt itself) into st->o
 * and remember opt.  0, or -1 after one log line naming lib (a bad
 * string, or out of memory).
 */
int sqlmap_state_setup(struct sqlmap_state *st, const char *lib,
		       const char *opt, const char *parse,
		       const struct sqlmap_defaults *defaults);

/* Free what st holds (wiping the password) and clear it. */
void sqlmap_state_free(struct sqlmap_state *st);

/* True when st holds no parse of opt: a host that skipped dbserver_init,
 * or gave dbserver_get another string. */
bool sqlmap_state_stale(const struct sqlmap_state *st, const char *opt);

/*
 * The map result for key from a row's server and port (port NULL or "":
 * none), as sqlmap_result; logs one line naming lib and returns -1 when
 * server is NULL or "" (2.2 calls a row without a server an error, not
 * "not found") or when out of memory.  A library whose 2.2 treated a NULL
 * server otherwise checks that before.
 */
int sqlmap_row_result(const char *lib, const char *key, const char *server,
		      const char *port, char **str, size_t *len);

#endif
