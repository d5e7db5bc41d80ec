/*
 * packet.c: encoder and bounded decoder for the daemon map protocol
 * (see packet.h).  Nothing here trusts a length read from a packet.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "packet.h"

static void put16(unsigned char *b, uint16_t v)
{
	b[0] = (unsigned char)(v >> 8);
	b[1] = (unsigned char)v;
}

static void put32(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
}

static uint16_t get16(const unsigned char *b)
{
	return (uint16_t)((unsigned)b[0] << 8 | b[1]);
}

static uint32_t get32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

size_t pdm_nstrings(uint16_t flags)
{
	switch (flags) {
	case PDM_REQ:
		return 2;
	case PDM_RSP:
		return 3;
	case PDM_STR_REQ:
		return 6;
	default:
		return 0;
	}
}

long pdm_encode(unsigned char *buf, size_t size, const struct pdm_packet *p)
{
	size_t n = pdm_nstrings(p->flags), len = PDM_HEAD_LEN;

	if (n == 0 || p->nstr != n)
		return -1;
	if (size > PDM_MAX_PACKET)
		size = PDM_MAX_PACKET;
	for (size_t i = 0; i < n; i++) {
		if (p->str[i].len > UINT16_MAX ||
		    (p->str[i].len > 0 && p->str[i].data == NULL))
			return -1;
		len += 2 + p->str[i].len;
		if (len > size)
			return -1;
	}
	if (len > size)
		return -1;

	put32(buf, PDM_MAGIC);
	put16(buf + 4, PDM_VERSION);
	put16(buf + 6, p->flags);
	put16(buf + 8, (uint16_t)len);
	put16(buf + 10, 0);
	put32(buf + 12, p->saddr);
	put32(buf + 16, p->daddr);
	put16(buf + 20, p->sport);
	put16(buf + 22, p->dport);
	unsigned char *o = buf + PDM_HEAD_LEN;
	for (size_t i = 0; i < n; i++) {
		put16(o, (uint16_t)p->str[i].len);
		if (p->str[i].len > 0)
			memcpy(o + 2, p->str[i].data, p->str[i].len);
		o += 2 + p->str[i].len;
	}
	return (long)len;
}

static int fail(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return -1;
}

int pdm_decode(const unsigned char *buf, size_t len, struct pdm_packet *p,
	       const char **why)
{
	size_t n, off;

	memset(p, 0, sizeof(*p));
	if (buf == NULL || len < PDM_HEAD_LEN)
		return fail(why, "packet shorter than its header");
	if (len > PDM_MAX_PACKET)
		return fail(why, "packet too long");
	if (get32(buf) != PDM_MAGIC)
		return fail(why, "bad magic number");
	if (get16(buf + 4) != PDM_VERSION)
		return fail(why, "unknown version");
	if (get16(buf + 8) != len)
		return fail(why, "length field does not match packet size");
	if (get16(buf + 10) != 0)
		return fail(why, "unsupported checksum type");
	p->flags = get16(buf + 6);
	n = pdm_nstrings(p->flags);
	if (n == 0)
		return fail(why, "unknown packet type");
	p->saddr = get32(buf + 12);
	p->daddr = get32(buf + 16);
	p->sport = get16(buf + 20);
	p->dport = get16(buf + 22);

	off = PDM_HEAD_LEN;
	for (size_t i = 0; i < n; i++) {
		size_t sl;

		if (len - off < 2)
			return fail(why, "string length past end of packet");
		sl = get16(buf + off);
		off += 2;
		if (sl > len - off)
			return fail(why, "string runs past end of packet");
		p->str[i].data = sl > 0 ? (const char *)buf + off : "";
		p->str[i].len = sl;
		off += sl;
	}
	p->nstr = n;
	if (off != len)
		return fail(why, "trailing bytes after the strings");
	return 0;
}
