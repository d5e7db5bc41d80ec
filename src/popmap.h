/*
 * popmap.h: the map library (dlopen()ed once in the parent) and the
 * query_key expansion that asks it where a user lives.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_POPMAP_H
#define PERDITION_POPMAP_H

#include <stdbool.h>
#include <sys/socket.h>

/* Exported to map libraries (perditiondb.h, D-14): the client's and the
 * local address of the current session, or NULL. */
extern struct sockaddr_storage *peername;
extern struct sockaddr_storage *sockname;

/*
 * Load library (dlopen RTLD_NOW, dbserver_get or dbserver_get2, then
 * dbserver_init(opt) if present).  library NULL or "" loads nothing.
 * Returns 0, or -1 with an error logged that names the file.
 */
int popmap_load(const char *library, const char *opt);

/* SIGHUP: fini, close, load again; logs
 * Reloading map library "<lib>" with options "<opt>". */
int popmap_reload(void);

/* Call dbserver_fini and close the library. */
void popmap_unload(void);

/* Is a map library loaded? */
bool popmap_loaded(void);

/*
 * Expand one query_key format for user (SPEC 4): \U \u \D \d \i \I \p \P \\.
 * Returns a malloc'd key, or NULL if the format has an unknown escape
 * (the lookup is abandoned) or on allocation failure.
 */
char *popmap_expand_key(const char *fmt, const char *user, const char *delim,
			const struct sockaddr_storage *peer,
			const struct sockaddr_storage *local);

/*
 * Ask the map where user lives, trying each query_key in turn (or user
 * itself when query_key is NULL/"").  On success *result_r is a malloc'd
 * "[user<delim>]host[:port]" string.  Returns 0 found, -2 not found,
 * -1 error (logged).
 */
int popmap_lookup(const char *query_key, const char *user, const char *delim,
		  const struct sockaddr_storage *peer,
		  const struct sockaddr_storage *local, char **result_r);

#endif
