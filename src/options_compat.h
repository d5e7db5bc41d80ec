/*
 * options_compat.h: what of perdition 2.2's option handling other code
 * still shows: the masks of the startup option log (SPEC 6.3).  The
 * greeting checksum built on the log is options_checksum() of options.h.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_OPTIONS_COMPAT_H
#define PERDITION_OPTIONS_COMPAT_H

#include "options.h"

/* The three masks of the option log of o, from the table's MASK22 column:
 * m[0] and m[1] the two words of "mask=", m[2] "ssl_mask=".  Only options
 * given on the command line set their bit, as in 2.2. */
void options_masks22(const struct options *o, unsigned m[3]);

#endif
