/*
 * daemon_packet_fuzzer.c: libFuzzer target for pdm_decode(), the parser
 * of the daemon map's datagrams (perditiondb/daemon/packet.c).  What it
 * accepts must lie inside the packet and encode back to the same bytes.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char buf[PDM_MAX_PACKET + 16], out[PDM_MAX_PACKET];
	struct pdm_packet p;
	const char *why = NULL;
	long n;

	if (size == 0)
		return 0;
	/* Byte 0, bit 0: take the rest as it is, or with a valid magic,
	 * version, length and checksum type, to reach the body sooner. */
	size--;
	if (size > sizeof(buf))
		size = sizeof(buf);
	memcpy(buf, data + 1, size);
	if ((data[0] & 1) != 0 && size >= PDM_HEAD_LEN) {
		buf[0] = buf[1] = buf[2] = buf[3] = 0x07;
		buf[4] = 0;
		buf[5] = PDM_VERSION;
		buf[8] = (unsigned char)(size >> 8);
		buf[9] = (unsigned char)size;
		buf[10] = buf[11] = 0;
	}
	if (pdm_decode(buf, size, &p, &why) != 0) {
		if (why == NULL)
			abort();
		return 0;
	}
	if (p.nstr == 0 || p.nstr != pdm_nstrings(p.flags))
		abort();
	for (size_t i = 0; i < p.nstr; i++)
		if (p.str[i].len > 0 &&
		    ((const unsigned char *)p.str[i].data < buf + PDM_HEAD_LEN ||
		     (const unsigned char *)p.str[i].data + p.str[i].len > buf + size))
			abort();
	n = pdm_encode(out, sizeof(out), &p);
	if (n < 0 || (size_t)n != size || memcmp(out, buf, size) != 0)
		abort();
	return 0;
}
