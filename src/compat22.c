/*
 * compat22.c: the exported `opt` that perdition 2.2's map libraries read.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "compat22.h"

struct compat22_opt opt;

void compat22_fill(const char *domain_delimiter)
{
	opt.domain_delimiter = domain_delimiter;
}
