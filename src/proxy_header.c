/*
 * proxy_header.c: HAProxy's PROXY protocol header, v1 and v2 (haproxy's
 * doc/proxy-protocol.txt), parsed from bytes already read.  Pure and
 * bounded: never reads past len, never allocates, never copies peer
 * bytes into the reason.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "proxy_header.h"

static const unsigned char v2_sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
};
static const char v1_sig[] = "PROXY ";
#define V1_SIG_LEN (sizeof(v1_sig) - 1)

/* v2 address block sizes by family: INET, INET6, UNIX. */
#define V2_INET_LEN 12
#define V2_INET6_LEN 36
#define V2_UNIX_LEN 216

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

int proxy_header_version(const unsigned char *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (memcmp(buf, v1_sig, min_size(len, V1_SIG_LEN)) == 0)
		return 1;
	if (memcmp(buf, v2_sig, min_size(len, sizeof(v2_sig))) == 0)
		return 2;
	return -1;
}

long proxy_header_v2_total(const unsigned char *head, const char **reason)
{
	size_t body = ((size_t)head[14] << 8) | head[15];

	if (memcmp(head, v2_sig, sizeof(v2_sig)) != 0) {
		*reason = "not a PROXY header";
		return -1;
	}
	if ((head[12] >> 4) != 2) {
		*reason = "unknown v2 version";
		return -1;
	}
	if (body > PROXY_V2_MAX_BODY) {
		*reason = "v2 header too long";
		return -1;
	}
	return (long)(PROXY_V2_HEAD + body);
}

/* ------------------------------------------------------------------ v1 */

/* A decimal port, 0-65535, 1-5 digits.  Returns 0 or -1. */
static int v1_port(const char *s, in_port_t *port)
{
	unsigned long v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 5)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 65535)
		return -1;
	*port = htons((uint16_t)v);
	return 0;
}

/* One address and port into ss.  Returns 0 or -1. */
static int v1_addr(int family, const char *addr, const char *port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		if (inet_pton(AF_INET, addr, &a->sin_addr) != 1)
			return -1;
		return v1_port(port, &a->sin_port);
	}
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	a6->sin6_family = AF_INET6;
	if (inet_pton(AF_INET6, addr, &a6->sin6_addr) != 1)
		return -1;
	return v1_port(port, &a6->sin6_port);
}

/* Split line at single spaces into at most max fields; -1 on an empty
 * field (two spaces) or too many. */
static int v1_split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *sp = strchr(p, ' ');

		if (n == max || (sp == p) || *p == '\0')
			return -1;
		fields[n++] = p;
		if (sp == NULL)
			return n;
		*sp = '\0';
		p = sp + 1;
	}
}

static int v1_parse(const unsigned char *buf, size_t len, struct proxy_header *h,
		    const char **reason)
{
	char line[PROXY_V1_MAX + 1];
	char *f[6];
	int family;

	if (len > PROXY_V1_MAX) {
		*reason = "v1 header too long";
		return -1;
	}
	if (len < V1_SIG_LEN + 2 || buf[len - 2] != '\r' || buf[len - 1] != '\n') {
		*reason = "v1 header not ended by CRLF";
		return -1;
	}
	for (size_t i = 0; i < len - 2; i++) {
		if (buf[i] < 0x20 || buf[i] > 0x7e) {
			*reason = "v1 header holds a control byte";
			return -1;
		}
	}
	memcpy(line, buf, len - 2);
	line[len - 2] = '\0';
	h->version = 1;
	/* UNKNOWN: the rest of the line is to be ignored. */
	if (strncmp(line + V1_SIG_LEN, "UNKNOWN", 7) == 0 &&
	    (line[V1_SIG_LEN + 7] == '\0' || line[V1_SIG_LEN + 7] == ' ')) {
		h->local = true;
		return 0;
	}
	if (v1_split(line, f, 6) != 6) {
		*reason = "v1 header malformed";
		return -1;
	}
	if (strcmp(f[1], "TCP4") == 0) {
		family = AF_INET;
	} else if (strcmp(f[1], "TCP6") == 0) {
		family = AF_INET6;
	} else {
		*reason = "v1 header: unknown protocol";
		return -1;
	}
	if (v1_addr(family, f[2], f[4], &h->src) < 0 || v1_addr(family, f[3], f[5], &h->dst) < 0) {
		*reason = "v1 header: bad address or port";
		return -1;
	}
	h->local = false;
	return 0;
}

/* ------------------------------------------------------------------ v2 */

/* The TLVs after the addresses: skipped, but each must fit. */
static int v2_tlvs(const unsigned char *p, size_t len)
{
	while (len > 0) {
		size_t n;

		if (len < 3)
			return -1;
		n = ((size_t)p[1] << 8) | p[2];
		if (n > len - 3)
			return -1;
		p += 3 + n;
		len -= 3 + n;
	}
	return 0;
}

static void v2_inet(const unsigned char *a, struct proxy_header *h)
{
	struct sockaddr_in *s = (struct sockaddr_in *)&h->src;
	struct sockaddr_in *d = (struct sockaddr_in *)&h->dst;

	memset(&h->src, 0, sizeof(h->src));
	memset(&h->dst, 0, sizeof(h->dst));
	s->sin_family = d->sin_family = AF_INET;
	memcpy(&s->sin_addr, a, 4);
	memcpy(&d->sin_addr, a + 4, 4);
	memcpy(&s->sin_port, a + 8, 2);
	memcpy(&d->sin_port, a + 10, 2);
}

static void v2_inet6(const unsigned char *a, struct proxy_header *h)
{
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)&h->src;
	struct sockaddr_in6 *d = (struct sockaddr_in6 *)&h->dst;

	memset(&h->src, 0, sizeof(h->src));
	memset(&h->dst, 0, sizeof(h->dst));
	s->sin6_family = d->sin6_family = AF_INET6;
	memcpy(&s->sin6_addr, a, 16);
	memcpy(&d->sin6_addr, a + 16, 16);
	memcpy(&s->sin6_port, a + 32, 2);
	memcpy(&d->sin6_port, a + 34, 2);
}

/* The address block's size for a family nibble, 0 for UNSPEC, -1 unknown. */
static long v2_addr_len(unsigned family)
{
	switch (family) {
	case 0:
		return 0;
	case 1:
		return V2_INET_LEN;
	case 2:
		return V2_INET6_LEN;
	case 3:
		return V2_UNIX_LEN;
	default:
		return -1;
	}
}

static int v2_parse(const unsigned char *buf, size_t len, struct proxy_header *h,
		    const char **reason)
{
	long total, alen;
	unsigned cmd, family, transport;
	const unsigned char *body = buf + PROXY_V2_HEAD;

	if (len < PROXY_V2_HEAD) {
		*reason = "v2 header truncated";
		return -1;
	}
	total = proxy_header_v2_total(buf, reason);
	if (total < 0)
		return -1;
	if ((size_t)total != len) {
		*reason = "v2 header length mismatch";
		return -1;
	}
	h->version = 2;
	cmd = buf[12] & 0x0fu;
	family = buf[13] >> 4;
	transport = buf[13] & 0x0fu;
	if (cmd == 0) { /* LOCAL: a health check; the body is to be ignored */
		h->local = true;
		return 0;
	}
	alen = v2_addr_len(family);
	if (cmd != 1 || alen < 0 || transport > 2) {
		*reason = "v2 header: unknown command or family";
		return -1;
	}
	if ((size_t)alen > len - PROXY_V2_HEAD) {
		*reason = "v2 header: address block truncated";
		return -1;
	}
	if (v2_tlvs(body + alen, len - PROXY_V2_HEAD - (size_t)alen) < 0) {
		*reason = "v2 header: malformed TLV";
		return -1;
	}
	/* UNSPEC and UNIX: no IP addresses, the real ones stand. */
	h->local = family != 1 && family != 2;
	if (!h->local && transport != 1) {
		*reason = "v2 header: not a stream";
		return -1;
	}
	if (family == 1)
		v2_inet(body, h);
	else if (family == 2)
		v2_inet6(body, h);
	return 0;
}

int proxy_header_parse(const unsigned char *buf, size_t len, struct proxy_header *h,
		       const char **reason)
{
	memset(h, 0, sizeof(*h));
	switch (proxy_header_version(buf, len)) {
	case 1:
		return v1_parse(buf, len, h, reason);
	case 2:
		return v2_parse(buf, len, h, reason);
	default:
		*reason = "not a PROXY header";
		return -1;
	}
}
