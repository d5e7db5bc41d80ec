/*
 * options_value.h: one option's value, parsed and set as its kind says.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_OPTIONS_VALUE_H
#define PERDITION_OPTIONS_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"

/*
 * Give option idx the value v (NULL for a flag) from the command line or,
 * when from_file, from a config file: a file neither sets command-line-only
 * options nor overrides the command line (D-3).  Marks the option seen (and
 * given, from the command line).  Returns 0, or -1 with a message in err.
 */
int option_apply(struct options *o, int idx, const char *v, bool from_file,
		 char *err, size_t errlen);

/* Rank of a protocol version name (sslv3 0 ... tlsv1.3 4, any case), or -1
 * for NULL or an unknown name. */
int option_protover_rank(const char *v);

#endif
