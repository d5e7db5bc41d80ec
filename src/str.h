/*
 * str.h: small string helpers used everywhere.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_STR_H
#define PERDITION_STR_H

#include <stdbool.h>
#include <stddef.h>

/* Until every caller includes xalloc.h itself (the protocol modules,
 * options.c and config_file.c still take it from here). */
#include "xalloc.h"

/* strlcpy(): copy at most size-1 bytes and NUL-terminate; returns
 * strlen(src), so a result >= size means truncation. */
size_t str_copy(char *dst, const char *src, size_t size);

/* Parse s as all decimal digits ("" is 0, as perdition 2.2) no larger than
 * max.  Returns 0, or -1 for anything else. */
int str_to_ulong(const char *s, unsigned long max, unsigned long *r);

/* Case-insensitive comparison of the first n bytes of a with b (b is
 * NUL-terminated and exactly n bytes long). */
bool str_eq_ci_n(const char *a, size_t n, const char *b);

/* Overwrite s with zeros (not optimised away) and free it; NULL is fine. */
void str_wipe_free(char *s);

#endif
