/*
 * xalloc.h: allocation that never returns NULL.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_XALLOC_H
#define PERDITION_XALLOC_H

#include <stddef.h>

/* Allocation that exits the process (EXIT_FATAL, logged) when memory runs
 * out: a child has nothing better to do.  A size of 0 allocates 1 byte. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
