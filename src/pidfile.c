/*
 * pidfile.c: create, check and remove the standalone daemon's pid file.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "pidfile.h"
#include "str.h"

/* The file this process created, for pidfile_remove() (kept in static
 * storage so a signal handler can use it). */
static char created_path[PATH_MAX];
static pid_t created_by;

/*
 * Read the pid stored in path.  Returns the pid, 0 when the file holds
 * no usable pid, or -1 (errno set) when it cannot be read.
 */
static long pidfile_read(const char *path)
{
	char buf[32];
	unsigned long pid;
	ssize_t n;
	size_t len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	/* Bounded: a pid has at most 10 digits; anything longer is junk. */
	while (len < sizeof(buf) - 1) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	/* Accept a trailing newline (files written by other tools). */
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
			   buf[len - 1] == ' '))
		buf[--len] = '\0';
	if (len == 0 || str_to_ulong(buf, INT_MAX, &pid) < 0 || pid == 0)
		return 0;
	return (long)pid;
}

int pidfile_check(const char *path)
{
	long pid;

	pid = pidfile_read(path);
	if (pid < 0) {
		if (errno == ENOENT)
			return 0;
		log_err("Fatal error: could not read pid file [%s]: %s",
			path, strerror(errno));
		return -1;
	}
	if (pid > 0 && pid != (long)getpid() &&
	    (kill((pid_t)pid, 0) == 0 || errno == EPERM)) {
		log_err("Fatal error: Pid file [%s] exists for process [%ld] "
			"which appears to be running, exiting", path, pid);
		return -1;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		log_err("Fatal error: could not remove stale pid file [%s]: "
			"%s", path, strerror(errno));
		return -1;
	}
	log_info("Removed stale pid-file [%s]", path);
	return 0;
}

/* Create the directory holding path if it is missing (not recursive). */
static int pidfile_mkdir(const char *path, uid_t uid, gid_t gid)
{
	char dir[PATH_MAX];
	char *slash;
	struct stat st;

	if (str_copy(dir, path, sizeof(dir)) >= sizeof(dir)) {
		log_err("Fatal error: pid file name too long");
		return -1;
	}
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return 0;
	*slash = '\0';
	if (stat(dir, &st) == 0)
		return 0;
	if (mkdir(dir, 0770) < 0 && errno != EEXIST) {
		log_err("Fatal error: could not create directory [%s] for "
			"the pid file: %s", dir, strerror(errno));
		return -1;
	}
	if (geteuid() == 0 && chown(dir, uid, gid) < 0) {
		log_err("Fatal error: could not change owner of [%s]: %s",
			dir, strerror(errno));
		return -1;
	}
	return 0;
}

int pidfile_create(const char *path, uid_t uid, gid_t gid)
{
	char buf[32];
	int fd, len;
	ssize_t n;

	if (pidfile_check(path) < 0)
		return -1;
	if (pidfile_mkdir(path, uid, gid) < 0)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		log_err("Fatal error: could not create pid file [%s]: %s",
			path, strerror(errno));
		return -1;
	}
	/* Note it now, so a failure below still removes the file. */
	str_copy(created_path, path, sizeof(created_path));
	created_by = getpid();
	if (geteuid() == 0 && fchown(fd, uid, gid) < 0) {
		log_err("Fatal error: could not change owner of pid file "
			"[%s]: %s", path, strerror(errno));
		goto fail;
	}
	if (fchmod(fd, 0660) < 0) {
		log_err("Fatal error: could not change mode of pid file "
			"[%s]: %s", path, strerror(errno));
		goto fail;
	}
	len = snprintf(buf, sizeof(buf), "%ld", (long)created_by);
	do {
		n = write(fd, buf, (size_t)len);
	} while (n < 0 && errno == EINTR);
	if (n != len) {
		log_err("Fatal error: could not write pid file [%s]: %s",
			path, n < 0 ? strerror(errno) : "short write");
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		log_err("Fatal error: could not write pid file [%s]: %s",
			path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	pidfile_remove();
	return -1;
}

int pidfile_remove(void)
{
	if (created_path[0] == '\0' || created_by != getpid())
		return 0;
	if (unlink(created_path) < 0 && errno != ENOENT)
		return -1;
	/* Only once, even if a handler and the main path both get here. */
	created_path[0] = '\0';
	return 0;
}
