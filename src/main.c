/*
 * main.c: options, then an inetd session or the standalone daemon.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "defs.h"
#include "log.h"
#include "options.h"
#include "pam_auth.h"
#include "popmap.h"
#include "proctitle.h"
#include "route.h"
#include "session.h"
#include "tls.h"

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

int main(int argc, char **argv)
{
	int level;

	proctitle_init(argc, argv);
	log_init(base_name(argv[0]));
	options_load(argc, argv);

	level = options.debug ? LOG_DEBUG : options.quiet ? LOG_ERR : LOG_INFO;
	if (log_open(options.log_facility, level) < 0)
		return EXIT_FATAL;
	daemon_log_startup();

	/* Once, in the parent: TLS contexts, the map library, the default
	 * servers, libpam. */
	if (tls_init() < 0)
		return EXIT_FATAL;
	if (popmap_load(options.map_library, options.map_library_opt) < 0)
		return EXIT_FATAL;
	if (route_init() < 0)
		return EXIT_FATAL;
	if (options.authenticate_in && pam_auth_load() < 0)
		return EXIT_FATAL;
	session_init_parent();

	if (options.inetd_mode) {
		/* inetd may start us as root: keep no more privilege than the
		 * daemon's children (authenticate_in drops after PAM). */
		if (!options.authenticate_in)
			privileges_drop();
		signals_child();
		session_main(0, 1, true);
	}
	return daemon_main();
}
