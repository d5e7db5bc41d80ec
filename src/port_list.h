/*
 * port_list.h: one port column for a per-user failover list.
 *
 * A directory that stores the server and the port in separate fields
 * (the SQL map libraries' port column, dbserver_get2) may hold a list
 * "h1,h2" in the server field; the port then belongs to every host of
 * the list, not only to the last one as plain joining would make it.
 * Shared by the daemon (popmap.c) and the SQL map libraries.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_PORT_LIST_H
#define PERDITION_PORT_LIST_H

#include <stdbool.h>

/* Does server hold a list (a comma)? */
bool port_list_is_list(const char *server);

/* "h1:port,h2:port,..." from the list in server and port (not empty):
 * a host that has a port keeps it, a bare IPv6 address gets brackets.
 * Returns a malloc()ed string, or NULL when out of memory. */
char *port_list_apply(const char *server, const char *port);

#endif
