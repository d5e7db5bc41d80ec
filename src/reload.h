/*
 * reload.h: SIGHUP re-reads the configuration file (issue 15 point 6).
 * Options that need no root and no new listener take effect for new
 * connections; the others are logged as needing a restart and keep their
 * old values; the command line still wins over the file; a file with an
 * error changes nothing and the error is logged.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_RELOAD_H
#define PERDITION_RELOAD_H

#include <stdbool.h>

/* Keep argv (main; proctitle_init() has copied its strings) for reloads. */
void reload_init(int argc, char **argv);

/*
 * Re-read the configuration into the options.  limits_running: the
 * per-address limits were set up at start (else turning them on needs a
 * restart).  Returns the number of options whose new value now applies
 * (0 also when the file is bad or unchanged).
 */
unsigned reload_options(bool limits_running);

#endif
