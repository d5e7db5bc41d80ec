/*
 * proctitle.h: set the process title shown by ps.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_PROCTITLE_H
#define PERDITION_PROCTITLE_H

/* Call first thing in main(); may move environ. */
void proctitle_init(int argc, char **argv);

/* Set the title; the result is truncated to the space argv had. */
void proctitle_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
