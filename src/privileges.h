/*
 * privileges.h: who the daemon runs as.  User and group lookup, the
 * drop from root, and the signal dispositions a forked child starts with.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_PRIVILEGES_H
#define PERDITION_PRIVILEGES_H

#include <sys/types.h>

/*
 * Resolve user and group (names, or numbers when no such name exists;
 * NULL is as ""), as the username and group options give them.
 * Returns 0, or -1 with "Fatal error: could not find ..." logged.
 */
int privileges_lookup(const char *user, const char *group, uid_t *uid_r, gid_t *gid_r);

/* When running as root, become user and group for good: setgroups,
 * setresgid, setresuid, then prove root cannot be regained.  Exits
 * EXIT_FATAL (logged) on any failure; does nothing when not root. */
void privileges_drop(const char *user, const char *group);

/* privileges_drop() to ids already looked up (inside a chroot the user
 * database may be out of reach). */
void privileges_drop_ids(uid_t uid, gid_t gid);

/* chroot to dir (nothing when NULL or ""), then chdir /.  Needs root:
 * called just before privileges_drop().  Returns 0, or -1 logged. */
int privileges_chroot(const char *dir);

/* Set the signal dispositions of a freshly forked (or inetd) session:
 * SIGHUP ignored, SIGPIPE fatal, defaults for the rest, nothing blocked. */
void signals_child(void);

#endif
