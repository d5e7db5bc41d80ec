/*
 * xalloc.c: the allocation helpers that src/config_file.c expects, for
 * the copy of it compiled into the posix_regex map library (which must not
 * depend on the daemon's str.c and log.c).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "maplog.h"
#include "str.h"

static void out_of_memory(void) __attribute__((noreturn));
static void out_of_memory(void)
{
	/* Nothing sensible is left to do in the host process either. */
	maplog(LOG_ERR, "posix_regex: out of memory");
	_exit(255);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL)
		out_of_memory();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		out_of_memory();
	return p;
}
