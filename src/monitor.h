/*
 * monitor.h: the one long-lived privileged helper (OpenSSH's monitor is
 * the model).  Started by the daemon while it is still root, it holds
 * the log file (children and the unprivileged daemon send it their
 * lines; SPEC D-17) and answers PAM yes/no for authenticate_in (D-19),
 * so no process that reads the network ever needs root.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_MONITOR_H
#define PERDITION_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Is a monitor needed: for authenticate_in, or when root holds a log file
 * and is about to become run_uid (another user)? */
bool monitor_wanted(bool authenticate_in, uid_t run_uid);

/*
 * Fork the monitor.  hold_log: it takes over the log file (this process
 * and its future children forward their lines to it from now on).
 * Returns the monitor's pid in the caller, 0 in the monitor (which
 * closes what it must not hold and calls monitor_serve()), -1 on error
 * (logged).
 */
pid_t monitor_start(bool hold_log);

/* The monitor's loop; name is the process title's prefix.  Ends (exit
 * 0) when every process that could talk to it has gone. */
void monitor_serve(const char *name) __attribute__((noreturn));

/* The running monitor's pid, or 0 (in the daemon: not a session). */
pid_t monitor_pid(void);

/*
 * authenticate_in: ask the monitor whether PAM accepts user and passwd
 * (peer, may be NULL, becomes PAM_RHOST); without a monitor, ask PAM
 * here.  Waits at most timeout seconds (0: no limit).  Returns 0 when
 * PAM says yes, -1 otherwise.
 */
int monitor_pam_check(const char *user, const char *passwd,
		      const struct sockaddr_storage *peer, unsigned timeout);

#endif
