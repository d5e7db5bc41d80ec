/*
 * maplog.c: logging for the map libraries (see maplog.h).
 *
 * Our perdition is linked with -export-dynamic, so a library it loaded can
 * find the daemon's log_msg() at run time.  Both it and popmap_load() must
 * be present before we trust log_msg to be ours: another host (perdition
 * 2.2) might export an unrelated function of that name.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "maplog.h"

typedef void (*host_log_fn)(int, const char *, ...);

static host_log_fn host_logger(void)
{
	/* POSIX lets dlsym's object pointer hold a function's address. */
	union {
		void *obj;
		host_log_fn fn;
	} u;

	if (dlsym(RTLD_DEFAULT, "popmap_load") == NULL)
		return NULL;
	u.fn = NULL;
	u.obj = dlsym(RTLD_DEFAULT, "log_msg");
	return u.obj == NULL ? NULL : u.fn;
}

static bool stderr_is_socket(void)
{
	struct stat st;

	return fstat(STDERR_FILENO, &st) != 0 || S_ISSOCK(st.st_mode);
}

static void emit(int prio, bool startup, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void emit(int prio, bool startup, const char *fmt, va_list ap)
{
	char msg[1024];
	host_log_fn host;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	host = host_logger();
	if (host != NULL) {
		host(prio, "%s", msg);
		return;
	}
	syslog(LOG_MAIL | prio, "%s", msg);
	if (startup && !stderr_is_socket())
		fprintf(stderr, "%s\n", msg);
}

void maplog(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(prio, false, fmt, ap);
	va_end(ap);
}

void maplog_init_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_ERR, true, fmt, ap);
	va_end(ap);
}

char *maplog_escape(char *dst, size_t dstlen, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[4];
		size_t n = 0;

		if (c == '\r' || c == '\n' || c == '\t') {
			e[n++] = '\\';
			e[n++] = c == '\r' ? 'r' : c == '\n' ? 'n' : 't';
		} else if (c == '"' || c == '\\') {
			e[n++] = '\\';
			e[n++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			e[n++] = '\\';
			e[n++] = 'x';
			e[n++] = hex[c >> 4];
			e[n++] = hex[c & 0xf];
		} else {
			e[n++] = (char)c;
		}
		if (o + n >= dstlen)
			break;
		for (size_t j = 0; j < n; j++)
			dst[o++] = e[j];
	}
	dst[o] = '\0';
	return dst;
}
