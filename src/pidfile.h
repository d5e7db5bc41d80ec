/*
 * pidfile.h: the standalone daemon's pid file.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_PIDFILE_H
#define PERDITION_PIDFILE_H

#include <sys/types.h>

/*
 * Is path free to use?  A file naming a live process gives -1 and logs
 * "Fatal error: Pid file [path] exists for process [pid] which appears
 * to be running, exiting"; a stale one is removed (logged at INFO).
 * Returns 0 when the path is now free.
 */
int pidfile_check(const char *path);

/*
 * Create path (after pidfile_check()) holding our pid without a newline,
 * mode 0660.  A missing parent directory is created with mode 0770
 * (minus the umask); when running as root the directory and the file are
 * given to uid:gid.  Returns 0, or -1 with an error logged.
 */
int pidfile_create(const char *path, uid_t uid, gid_t gid);

/* Remove the pid file if this process created it.  Only calls getpid(2)
 * and unlink(2), so a signal handler may call it.  Returns 0 (also when
 * there was nothing to remove), or -1 with errno set. */
int pidfile_remove(void);

#endif
