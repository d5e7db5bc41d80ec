/*
 * packet.h: the datagrams exchanged by the daemon map library and a map
 * server (perdition 2.2's "daemon" map protocol, version 1).
 *
 * A packet is a 24-byte header followed by a body of strings, each a
 * 16-bit big-endian length and that many bytes (no NUL):
 *
 *   u32 magic 0x07070707   u16 version 1   u16 flags   u16 length
 *   u16 cs_type 0          u32 saddr       u32 daddr   u16 sport  u16 dport
 *
 * length counts the whole packet, header included.  flags: 1 request
 * (body: key, delimiter), 3 string request (body: key, delimiter, source
 * address, source port, destination address, destination port, all as
 * text; the header's address fields are 0), 2 response (body: user,
 * server, port).  All header fields are big-endian.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITIONDB_DAEMON_PACKET_H
#define PERDITIONDB_DAEMON_PACKET_H

#include <stddef.h>
#include <stdint.h>

#define PDM_MAGIC		0x07070707u
#define PDM_VERSION		1
#define PDM_REQ			1
#define PDM_RSP			2
#define PDM_STR_REQ		3
#define PDM_HEAD_LEN		24
/* 2.2's limit: a little under 64 KiB, so that length fits in 16 bits. */
#define PDM_MAX_PACKET		65000
#define PDM_MAX_STRINGS		6

/* Bytes that are not NUL-terminated; data points into a packet buffer. */
struct pdm_str {
	const char *data;
	size_t len;
};

/*
 * A decoded (or to be encoded) packet.  saddr/daddr/sport/dport are the
 * header values as numbers (the encoder writes them big-endian, the
 * decoder reads them so).
 */
struct pdm_packet {
	uint16_t flags;
	uint32_t saddr;
	uint32_t daddr;
	uint16_t sport;
	uint16_t dport;
	size_t nstr;
	struct pdm_str str[PDM_MAX_STRINGS];
};

/* How many body strings a packet with these flags carries; 0 = bad flags. */
size_t pdm_nstrings(uint16_t flags);

/*
 * Write p into buf (size bytes).  p->nstr must equal
 * pdm_nstrings(p->flags).  Returns the packet length, or -1 when a
 * string is longer than 65535 bytes or the packet would not fit in
 * size or PDM_MAX_PACKET bytes.
 */
long pdm_encode(unsigned char *buf, size_t size, const struct pdm_packet *p);

/*
 * Parse the len bytes received in buf.  Checks magic, version, checksum
 * type (only 0), flags, that the header's length equals len and that the
 * strings exactly fill the body; never reads past buf + len.  Strings
 * point into buf.  Returns 0, or -1 with *why (if not NULL) set to a
 * short static reason.
 */
int pdm_decode(const unsigned char *buf, size_t len, struct pdm_packet *p,
	       const char **why);

#endif
