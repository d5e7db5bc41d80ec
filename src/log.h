/*
 * log.h: the daemon's logger (syslog, a file, stdout or stderr).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_LOG_H
#define PERDITION_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

/* Before log_open(): messages go to stderr as "<ident>: msg". */
void log_init(const char *ident);

/*
 * Open the sink named by facility: a syslog facility name ("mail",
 * "local0", ...), "/path" for a file (appended), "-" for stdout or "+" for
 * stderr.  Level: LOG_DEBUG with debug, LOG_ERR with quiet, else LOG_INFO.
 * Returns 0, or -1 with a message on stderr.
 */
int log_open(const char *facility, int max_level);

/* Close and open the sink again (SIGHUP); logs "Reopened logger". */
void log_reopen(void);

/* Close the sink (a child that closes descriptors calls it first). */
void log_close(void);

/* File descriptor of the log file, or -1 (so daemonizing keeps it). */
int log_fd(void);

/* Where a process that does not hold the log file sends its lines. */
struct log_forwarder {
	void (*write)(int prio, const char *msg, size_t len);
	void (*reopen)(void); /* log_reopen(): ask the holder to reopen */
};

/*
 * A log file is held by another process from now on: close ours and
 * hand every line to fwd (nothing changes for syslog, stdout and
 * stderr).  Forked children keep forwarding.
 */
void log_forward(const struct log_forwarder *fwd);

/* Write one line for process pid, as it would have (the holder of the
 * log file does this for the lines forwarded to it). */
void log_write_as(long pid, int prio, const char *msg, size_t len);

/* Did log_open() create the log file (rather than append to one)? */
bool log_file_created(void);

/* Log one line.  Never pass peer data as fmt: use "%s" and log_escape(). */
void log_msg(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Debug message prefixed "<func>: " as perdition 2.2 does. */
void log_debug_f(const char *func, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_debug_f(__func__, __VA_ARGS__)

/* How many warnings and errors log_msg() was asked for so far: lets a
 * caller tell whether a map library already said what went wrong. */
unsigned long log_problems(void);

/* Is prio logged at the current level? */
int log_enabled(int prio);

/*
 * Escape len bytes of s for a log line (D-11): CR, LF, TAB as \r \n \t,
 * '"' and '\\' as \" and \\, other bytes below 0x20 or 0x7f and above as
 * \xNN.  The result is always NUL-terminated and truncated to fit
 * dst (dstlen bytes, at least 1).  Returns dst.
 */
char *log_escape(char *dst, size_t dstlen, const char *s, size_t len);

/* log_escape() of a NUL-terminated string; NULL gives "(null)". */
char *log_escape_str(char *dst, size_t dstlen, const char *s);

#endif
