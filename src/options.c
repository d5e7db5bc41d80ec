/*
 * options.c: the options of this process, loaded once at start-up.
 *
 * The option table is options.h; the code that reads it is split by
 * concern into options_*.c (see options.h).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "defs.h"
#include "options.h"

struct options options;

void options_load(int argc, char **argv)
{
	char err[1024];
	int r = options_read(&options, argc, argv, err, sizeof(err));

	if (r < 0) {
		fprintf(stderr, "%s: %s\n",
			options.basename != NULL ? options.basename
						 : "perdition",
			err);
		exit(EXIT_USAGE);
	}
	if (options.help) {
		options_usage(stdout);
		exit(EXIT_OK);
	}
	if (options.version) {
		printf("perdition version %s\n", PACKAGE_VERSION);
		exit(EXIT_OK);
	}
}
