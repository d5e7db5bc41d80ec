/*
 * proctitle.c: set the title ps shows by overwriting the argument area.
 *
 * Linux shows /proc/<pid>/cmdline, which is the memory argv[] strings
 * were passed in.  The environment strings usually follow them, so we
 * move the environment (and the argument strings, which options may
 * still point into) to the heap and reuse the whole contiguous area.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proctitle.h"
#include "xalloc.h"

extern char **environ;

static char *title_area;   /* start of argv[0]'s original string */
static size_t title_len;   /* bytes usable, including the final NUL */

void proctitle_init(int argc, char **argv)
{
	char *end;
	char **env;
	size_t n;
	int i;

	if (argc < 1 || argv == NULL || argv[0] == NULL)
		return;

	/* The area runs as long as the strings are back to back. */
	end = argv[0] + strlen(argv[0]) + 1;
	for (i = 1; i < argc && argv[i] != NULL; i++) {
		if (argv[i] != end)
			break;
		end = argv[i] + strlen(argv[i]) + 1;
	}
	if (i == argc && environ != NULL) {
		for (n = 0; environ[n] != NULL; n++) {
			if (environ[n] != end)
				break;
			end = environ[n] + strlen(environ[n]) + 1;
		}
	}

	/* Move the environment away: setenv() and getenv() keep working. */
	if (environ != NULL) {
		for (n = 0; environ[n] != NULL; n++)
			;
		env = xcalloc(n + 1, sizeof(*env));
		for (n = 0; environ[n] != NULL; n++)
			env[n] = xstrdup(environ[n]);
		env[n] = NULL;
		environ = env;
	}
	/* And the arguments, which getopt results may point into. */
	title_area = argv[0];
	for (i = 0; i < argc && argv[i] != NULL; i++)
		argv[i] = xstrdup(argv[i]);
	title_len = (size_t)(end - title_area);
}

void proctitle_set(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	size_t n;

	if (title_area == NULL || title_len < 2)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = strlen(buf);
	if (n > title_len - 1)
		n = title_len - 1;
	memcpy(title_area, buf, n);
	/* NUL-fill the rest so ps shows the title alone. */
	memset(title_area + n, '\0', title_len - n);
}
