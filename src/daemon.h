/*
 * daemon.h: standalone mode: listeners, detaching, pid file, privileges,
 * signals and the accept loop that forks one child per connection.
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

/* Drop to opt.username / opt.group when running as root: setgroups,
 * setresgid, setresuid.  Exits EXIT_FATAL on any failure. */
void privileges_drop(void);

/* Install the signal handlers of a child (SIGPIPE fatal, defaults for the
 * rest). */
void signals_child(void);

#endif
