/*
 * session_id.c: random session ids from the kernel's generator.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "session_id.h"

void session_id_new(char *dst)
{
	unsigned char b[8];
	uint64_t v = 0;

	if (getrandom(b, sizeof(b), GRND_NONBLOCK) == (ssize_t)sizeof(b)) {
		for (size_t i = 0; i < sizeof(b); i++)
			v = (v << 8) | b[i];
	} else {
		/* Only an id, never a secret: unique enough without entropy. */
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		v = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec ^
		    ((uint64_t)getpid() << 16);
	}
	snprintf(dst, SESSION_ID_SIZE, "%016llx", (unsigned long long)v);
}
