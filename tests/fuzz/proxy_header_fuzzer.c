/*
 * proxy_header_fuzzer.c: libFuzzer target for the PROXY protocol header
 * parser (proxy_header.c) and the CIDR list parser and matcher (cidr.c).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "proxy_header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_header(const uint8_t *data, size_t size)
{
	struct proxy_header h;
	const char *reason = NULL;
	int v = proxy_header_version(data, size);

	if (proxy_header_parse(data, size, &h, &reason) < 0) {
		if (reason == NULL)
			abort();
		return;
	}
	/* A header that parsed is one the reader could have read. */
	if (v != h.version || (v == 1 && size > PROXY_V1_MAX) ||
	    (v == 2 && (size < PROXY_V2_HEAD || size > PROXY_HEADER_MAX)))
		abort();
	if (v == 2 && proxy_header_v2_total(data, &reason) != (long)size)
		abort();
	if (!h.local && (h.src.ss_family != h.dst.ss_family ||
			 (h.src.ss_family != AF_INET && h.src.ss_family != AF_INET6)))
		abort();
}

static void check_cidr(const uint8_t *data, size_t size)
{
	static char text[1024];
	struct cidr_list l;
	struct sockaddr_storage ss;
	char err[128];

	if (size > sizeof(text) - 1)
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = '\0';
	if (cidr_list_parse(text, &l, err, sizeof(err)) < 0) {
		if (l.count != 0 || l.items != NULL)
			abort();
		return;
	}
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = size > 0 && (data[0] & 1) ? AF_INET6 : AF_INET;
	memcpy(&ss, data, size < sizeof(ss) ? size : sizeof(ss));
	ss.ss_family = size > 0 && (data[0] & 1) ? AF_INET6 : AF_INET;
	(void)cidr_list_match(&l, &ss);
	for (size_t i = 0; i < l.count; i++) {
		unsigned max = l.items[i].family == AF_INET ? 32 : 128;

		if (l.items[i].bits > max)
			abort();
	}
	cidr_list_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_header(data, size);
	check_cidr(data, size);
	return 0;
}
