/*
 * query_key_fuzzer.c: libFuzzer target for popmap_expand_key(), the
 * expansion of query_key formats (\U \u \D \d \i \I \p \P \\) with a
 * client's user name.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "popmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const delims[] = { NULL, "", "@", "%%", "\\", "\\U" };
	static char in[2 * MAX_CRED_LENGTH + 2];
	struct sockaddr_storage peer = { .ss_family = AF_INET6 };
	size_t len = size > 1 ? size - 1 : 0;
	const char *user;
	char *key;

	if (size == 0)
		return 0;
	/* Byte 0 picks the delimiter (and whether addresses are known);
	 * then the format, a NUL, the user name. */
	if (len > sizeof(in) - 2)
		len = sizeof(in) - 2;
	memcpy(in, data + 1, len);
	in[len] = in[len + 1] = '\0';
	user = in + strlen(in) + 1;
	key = popmap_expand_key(in, user, delims[data[0] % 6],
				data[0] & 0x80 ? &peer : NULL, data[0] & 0x40 ? &peer : NULL);
	if (key != NULL && strlen(key) > MAX_CRED_LENGTH)
		abort(); /* every key is bounded */
	free(key);
	return 0;
}
