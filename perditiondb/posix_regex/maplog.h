/*
 * maplog.h: how the map libraries report problems.  They are loaded by
 * our daemon and by perdition 2.2 alike, so they cannot link against
 * either's logger.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITIONDB_MAPLOG_H
#define PERDITIONDB_MAPLOG_H

#include <stddef.h>
#include <syslog.h>

/*
 * Log one message at prio (a syslog priority).  Inside our perdition it
 * goes to the daemon's own log; elsewhere to syslog(3).
 */
void maplog(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * An error that stops dbserver_init: as maplog(LOG_ERR, ...), and also on
 * standard error when the host has no logger we know, since at start-up
 * that is where an administrator looks (never when fd 2 is a socket, as
 * it may be the client's connection under inetd).
 */
void maplog_init_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * Escape len bytes of s for a log line: control bytes, DEL and bytes
 * above 0x7f as \xNN (\r \n \t by name), '"' and '\\' with a backslash.
 * Truncated to fit dst (dstlen >= 1); always NUL-terminated.
 */
char *maplog_escape(char *dst, size_t dstlen, const char *s, size_t len);

#endif
