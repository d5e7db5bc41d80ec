/*
 * log.c: the daemon's logger: syslog, an appended file, stdout or stderr.
 *
 * File-like sinks get "Mon DD HH:MM:SS <ident>[<pid>]: msg" lines, each
 * written with a single write(2) so that children appending to the same
 * file never interleave within a line.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "str.h"

/* Longest formatted message; longer ones are truncated. */
#define LOG_MSG_MAX 16384
/* Messages up to this long are formatted on the stack. */
#define LOG_MSG_SHORT 1024
/* Room for "Mmm dd hh:mm:ss ident[pid]: ". */
#define LOG_HEAD_MAX 160

enum sink {
	SINK_INIT,   /* before log_open(): "<ident>: msg" on stderr */
	SINK_SYSLOG,
	SINK_FILE,
	SINK_STDOUT,
	SINK_STDERR,
	SINK_CLOSED, /* after log_close(): messages are dropped */
	SINK_FORWARD, /* a file another process holds: lines go to it */
};

static struct {
	enum sink sink;
	int max_level;
	int fd;              /* SINK_FILE only */
	bool created;        /* log_open() made the file */
	int facility;        /* SINK_SYSLOG only */
	char ident[64];
	char path[4096];     /* SINK_FILE only */
	struct log_forwarder fwd; /* SINK_FORWARD only */
} lg = {
	.sink = SINK_INIT,
	.max_level = LOG_INFO,
	.fd = -1,
	.ident = "perdition",
};

static const struct {
	const char *name;
	int value;
} facilities[] = {
	{ "auth", LOG_AUTH },	  { "authpriv", LOG_AUTHPRIV },
	{ "cron", LOG_CRON },	  { "daemon", LOG_DAEMON },
	{ "ftp", LOG_FTP },	  { "kern", LOG_KERN },
	{ "lpr", LOG_LPR },	  { "mail", LOG_MAIL },
	{ "news", LOG_NEWS },	  { "syslog", LOG_SYSLOG },
	{ "user", LOG_USER },	  { "uucp", LOG_UUCP },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
};

void log_init(const char *ident)
{
	if (ident != NULL && *ident != '\0')
		str_copy(lg.ident, ident, sizeof(lg.ident));
	lg.sink = SINK_INIT;
}

/*
 * Open path for appending on a descriptor above 2, so that pointing
 * stdin/stdout/stderr at /dev/null when detaching never closes it (D-8).
 */
static int open_log_file(const char *path)
{
	int fd, fd2;

	/* Note whether we made the file: only then may the daemon hand it
	 * to its run user (a shared log file keeps its owner). */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY,
		  0644);
	lg.created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fd > 2)
		return fd;
	fd2 = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return fd2;
}

int log_open(const char *facility, int max_level)
{
	size_t i;

	log_close();
	lg.max_level = max_level;
	if (facility == NULL || *facility == '\0')
		facility = "mail";

	if (strcmp(facility, "-") == 0) {
		lg.sink = SINK_STDOUT;
		return 0;
	}
	if (strcmp(facility, "+") == 0) {
		lg.sink = SINK_STDERR;
		return 0;
	}
	if (facility[0] == '/') {
		if (str_copy(lg.path, facility, sizeof(lg.path)) >=
		    sizeof(lg.path)) {
			fprintf(stderr, "%s: log file name too long\n",
				lg.ident);
			lg.sink = SINK_INIT;
			return -1;
		}
		lg.fd = open_log_file(lg.path);
		if (lg.fd < 0) {
			fprintf(stderr, "%s: could not open log file \"%s\": "
				"%s\n", lg.ident, lg.path, strerror(errno));
			lg.sink = SINK_INIT;
			return -1;
		}
		lg.sink = SINK_FILE;
		return 0;
	}
	for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++) {
		if (strcasecmp(facility, facilities[i].name) == 0) {
			lg.facility = facilities[i].value;
			openlog(lg.ident, LOG_PID | LOG_CONS, lg.facility);
			lg.sink = SINK_SYSLOG;
			return 0;
		}
	}
	fprintf(stderr, "%s: unknown log facility \"%s\"\n", lg.ident,
		facility);
	lg.sink = SINK_INIT;
	return -1;
}

void log_reopen(void)
{
	int fd;

	switch (lg.sink) {
	case SINK_SYSLOG:
		closelog();
		openlog(lg.ident, LOG_PID | LOG_CONS, lg.facility);
		break;
	case SINK_FORWARD:
		/* The holder reopens, and says so. */
		lg.fwd.reopen();
		return;
	case SINK_FILE:
		/*
		 * Open the new file first and move it onto the old
		 * descriptor: log_fd() stays valid, and if the file cannot
		 * be opened (say, after dropping privileges) we keep
		 * logging to the old one.
		 */
		fd = open_log_file(lg.path);
		if (fd < 0) {
			log_err("Could not reopen log file \"%s\": %s",
				lg.path, strerror(errno));
			return;
		}
		if (dup3(fd, lg.fd, O_CLOEXEC) < 0) {
			close(lg.fd);
			lg.fd = fd;
		} else {
			close(fd);
		}
		break;
	default:
		break;
	}
	log_info("Reopened logger");
}

void log_close(void)
{
	switch (lg.sink) {
	case SINK_SYSLOG:
		closelog();
		break;
	case SINK_FILE:
		if (lg.fd >= 0)
			close(lg.fd);
		lg.fd = -1;
		break;
	default:
		break;
	}
	if (lg.sink != SINK_INIT)
		lg.sink = SINK_CLOSED;
}

void log_forward(const struct log_forwarder *fwd)
{
	if (lg.sink != SINK_FILE)
		return;
	close(lg.fd);
	lg.fd = -1;
	lg.fwd = *fwd;
	lg.sink = SINK_FORWARD;
}

bool log_file_created(void)
{
	return lg.sink == SINK_FILE && lg.created;
}

int log_fd(void)
{
	return lg.sink == SINK_FILE ? lg.fd : -1;
}

int log_enabled(int prio)
{
	if (lg.sink == SINK_CLOSED)
		return 0;
	return LOG_PRI(prio) <= lg.max_level;
}

/* Write the whole of iov[0..n) to fd: a log line is never worth blocking
 * forever on, but short writes to files and pipes are resumed. */
static void writev_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t w = writev(fd, iov, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
}

/* Emit one formatted message (msg, without newline) to the sink: the
 * time and ident header, the message and the newline go out in one
 * writev(), without copying the message again. */
static void emit_as(long pid, int prio, const char *msg, size_t mlen)
{
	char head[LOG_HEAD_MAX];
	struct iovec iov[3];
	size_t n = 0;
	int fd, r;

	switch (lg.sink) {
	case SINK_SYSLOG:
		syslog(prio, "%s", msg);
		return;
	case SINK_FORWARD:
		lg.fwd.write(prio, msg, mlen);
		return;
	case SINK_CLOSED:
		return;
	case SINK_INIT:
		fd = STDERR_FILENO;
		r = snprintf(head, sizeof(head), "%s: ", lg.ident);
		n = r > 0 ? (size_t)r : 0;
		break;
	case SINK_FILE:
	case SINK_STDOUT:
	case SINK_STDERR:
	default: {
		time_t now = time(NULL);
		struct tm tm;

		fd = lg.sink == SINK_FILE ? lg.fd :
		     lg.sink == SINK_STDOUT ? STDOUT_FILENO : STDERR_FILENO;
		if (localtime_r(&now, &tm) != NULL)
			n = strftime(head, sizeof(head), "%b %d %H:%M:%S ", &tm);
		r = snprintf(head + n, sizeof(head) - n, "%s[%ld]: ", lg.ident, pid);
		if (r > 0)
			n += (size_t)r;
		break;
	}
	}
	if (n >= sizeof(head))
		n = sizeof(head) - 1;
	iov[0].iov_base = head;
	iov[0].iov_len = n;
	iov[1].iov_base = (void *)msg;
	iov[1].iov_len = mlen;
	iov[2].iov_base = (void *)"\n";
	iov[2].iov_len = 1;
	writev_all(fd, iov, 3);
}

static void emit(int prio, const char *msg, size_t mlen)
{
	emit_as((long)getpid(), prio, msg, mlen);
}

void log_write_as(long pid, int prio, const char *msg, size_t len)
{
	if (lg.sink == SINK_FORWARD)
		return;
	emit_as(pid, prio, msg, len);
}

static void vlog(int prio, const char *prefix, const char *fmt, va_list ap)
{
	/* Most messages fit the small buffer; a longer one is formatted
	 * again on the heap.  Keeping big buffers off the stack spares each
	 * child the page faults of a deep stack. */
	char small[LOG_MSG_SHORT];
	char *msg = small, *big = NULL;
	size_t n = 0, cap = sizeof(small);
	int saved = errno, r;
	va_list again;

	if (!log_enabled(prio)) {
		errno = saved;
		return;
	}
	if (prefix != NULL) {
		n = str_copy(msg, prefix, cap - 2);
		if (n > cap - 3)
			n = cap - 3;
		msg[n++] = ':';
		msg[n++] = ' ';
		msg[n] = '\0';
	}
	va_copy(again, ap);
	errno = saved; /* so that %m works */
	r = vsnprintf(msg + n, cap - n, fmt, ap);
	if (r > 0 && (size_t)r >= cap - n) {
		size_t want = n + (size_t)r + 1;

		if (want > LOG_MSG_MAX)
			want = LOG_MSG_MAX;
		big = malloc(want);
		if (big != NULL) {
			memcpy(big, msg, n);
			errno = saved;
			vsnprintf(big + n, want - n, fmt, again);
			msg = big;
			cap = want;
		}
	}
	va_end(again);
	emit(prio, msg, strnlen(msg, cap - 1));
	free(big);
	errno = saved;
}

/* Warnings and errors logged so far, for log_problems(). */
static unsigned long problems;

unsigned long log_problems(void)
{
	return problems;
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio <= LOG_WARNING)
		problems++;
	va_start(ap, fmt);
	vlog(prio, NULL, fmt, ap);
	va_end(ap);
}

void log_debug_f(const char *func, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_DEBUG, func, fmt, ap);
	va_end(ap);
}

char *log_escape(char *dst, size_t dstlen, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;

	if (dstlen == 0)
		return dst;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[4];
		size_t elen;

		switch (c) {
		case '\r':
			e[0] = '\\', e[1] = 'r', elen = 2;
			break;
		case '\n':
			e[0] = '\\', e[1] = 'n', elen = 2;
			break;
		case '\t':
			e[0] = '\\', e[1] = 't', elen = 2;
			break;
		case '"':
		case '\\':
			e[0] = '\\', e[1] = (char)c, elen = 2;
			break;
		default:
			if (c < 0x20 || c >= 0x7f) {
				e[0] = '\\';
				e[1] = 'x';
				e[2] = hex[c >> 4];
				e[3] = hex[c & 0xf];
				elen = 4;
			} else {
				e[0] = (char)c;
				elen = 1;
			}
			break;
		}
		/* Never cut an escape sequence in half. */
		if (elen > dstlen - 1 - o)
			break;
		memcpy(dst + o, e, elen);
		o += elen;
	}
	dst[o] = '\0';
	return dst;
}

char *log_escape_str(char *dst, size_t dstlen, const char *s)
{
	if (s == NULL) {
		if (dstlen > 0)
			str_copy(dst, "(null)", dstlen);
		return dst;
	}
	return log_escape(dst, dstlen, s, strlen(s));
}
