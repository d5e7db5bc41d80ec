/*
 * perditiondb.h: the interface between perdition and a popmap (map)
 * library, compatible with perdition 2.2's map libraries.
 *
 * A map library is a shared object that perdition dlopen()s once at start
 * (and again on SIGHUP).  It exports dbserver_get, or else dbserver_get2,
 * and may export dbserver_init and dbserver_fini.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITIONDB_H
#define PERDITIONDB_H

#include <stddef.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Look up key.  opt is map_library_opt (may be NULL).  On success sets
 * *str to a malloc'd "[user<delimiter>]host[:port]" of *len bytes (it
 * need not be NUL-terminated; perdition frees it) and returns 0.
 * Returns -2 when the key is not found, -1 or -3 on errors.
 */
int dbserver_get(const char *key, const char *opt, char **str, size_t *len);

/*
 * Alternative to dbserver_get, used only when dbserver_get is absent.
 * Each of *user, *server and *port is set to a malloc'd string or NULL;
 * all empty or NULL means not found.  Returns 0, or a negative error.
 */
int dbserver_get2(const char *key, const char *opt, char **user,
		  char **server, char **port);

/* Called once after loading with map_library_opt; non-zero fails the load. */
int dbserver_init(char *opt);

/* Called before unloading (exit, SIGHUP). */
int dbserver_fini(void);

/*
 * Exported by the perdition binary for map libraries: the client's
 * address and the local address it connected to, for the session being
 * looked up.  Either may be NULL (inetd mode without sockets).
 */
extern struct sockaddr_storage *peername;
extern struct sockaddr_storage *sockname;

#ifdef __cplusplus
}
#endif

#endif
