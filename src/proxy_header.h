/*
 * proxy_header.h: HAProxy's PROXY protocol header, v1 (text) and v2
 * (binary): a pure parser, no I/O (proxy_read.c reads the bytes).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_PROXY_HEADER_H
#define PERDITION_PROXY_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* v1: the whole line, "PROXY ... \r\n", is at most 107 bytes. */
#define PROXY_V1_MAX 107
/* v2: a 16-byte head, then as many bytes as it announces (we take at most
 * PROXY_V2_MAX_BODY; the protocol allows 65535). */
#define PROXY_V2_HEAD 16
#define PROXY_V2_MAX_BODY 2048
#define PROXY_HEADER_MAX (PROXY_V2_HEAD + PROXY_V2_MAX_BODY)

struct proxy_header {
	int version;       /* 1 or 2 */
	bool local;        /* v2 LOCAL, v1 UNKNOWN, or no IP family announced:
			    * the connection's real addresses stand */
	struct sockaddr_storage src, dst; /* announced, when !local */
};

/*
 * Which header the first len bytes of buf begin: 1 or 2, 0 when len is
 * too short to tell (only len 0: the two start with different bytes), -1
 * when they begin neither.
 */
int proxy_header_version(const unsigned char *buf, size_t len);

/*
 * The total length of a v2 header from its first PROXY_V2_HEAD bytes, or
 * -1 (with *reason) when they are not a v2 head or announce more than
 * PROXY_V2_MAX_BODY bytes.
 */
long proxy_header_v2_total(const unsigned char *head, const char **reason);

/*
 * Parse len bytes that hold exactly one complete header (a v1 line with
 * its CRLF, or a v2 head and its body).  Returns 0, or -1 with *reason a
 * static string (never peer bytes).
 */
int proxy_header_parse(const unsigned char *buf, size_t len, struct proxy_header *h,
		       const char **reason);

#endif
