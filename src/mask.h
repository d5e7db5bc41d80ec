/*
 * mask.h: the database password of a map library's option string,
 * hidden before the string reaches a log line (D-16).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_MASK_H
#define PERDITION_MASK_H

/* What a password is replaced with. */
#define MASK_TEXT "********"

/*
 * A copy of opt, the map_library_opt of map library `library` (a path;
 * NULL is ""), in which every password is replaced by MASK_TEXT and the
 * rest kept byte for byte:
 *
 *  - for an SQL map library (the file name, after the last '/', holds
 *    "mysql", "mariadb", "postgresql", "pgsql" or "odbc"): the sixth
 *    ':'-separated field, host:port:db:table:user:PASSWORD:..., when it
 *    is not empty;
 *  - for every library: the value of each "x-bindpw=" (matched without
 *    regard to case, as the LDAP URL extension; "!x-bindpw=" too), up
 *    to the next ',' or the end.
 *
 * The result is malloc'd (exits when memory runs out); NULL when opt is
 * NULL.  Pure otherwise: the same input always gives the same output.
 */
char *mask_map_opt(const char *library, const char *opt);

#endif
