/*
 * daemon.h: standalone mode: listeners, detaching, pid file, signals and
 * the accept loop that forks one child per connection (privileges.h
 * drops root).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_DAEMON_H
#define PERDITION_DAEMON_H

/* Bind, detach (unless no_daemon or logging to -/+), write the pid file,
 * drop privileges, then accept and fork session_main() per connection.
 * Returns only on exit signals (after removing the pid file): exit code. */
int daemon_main(void);

/* Log "Starting perdition ..." (and with debug the option lines) when
 * SPEC 6.3 says so: (not quiet, not inetd, detaching) or debug.  Called
 * first thing after the logger opens, before anything can fail. */
void daemon_log_startup(void);

#endif
