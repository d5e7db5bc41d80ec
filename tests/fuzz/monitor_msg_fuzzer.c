/*
 * monitor_msg_fuzzer.c: libFuzzer target for monitor_msg_parse(), the
 * privileged monitor's decoder of what sessions send it; what it
 * accepts must encode back to the same bytes.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "monitor_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct monitor_msg m;
static unsigned char again[MONITOR_MSG_MAX];

static void check_round_trip(const uint8_t *data, size_t size)
{
	size_t n = 0;

	switch (m.type) {
	case MONITOR_MSG_LOG:
		if (m.text_len > MONITOR_LOG_TEXT_MAX || strlen(m.text) != m.text_len)
			abort();
		for (size_t i = 0; i < m.text_len; i++)
			if ((unsigned char)m.text[i] < 0x20 && m.text[i] != '\t')
				abort();
		return;
	case MONITOR_MSG_PAM:
		n = monitor_msg_pam(again, m.user, strlen(m.user), m.passwd, strlen(m.passwd),
				    m.have_peer ? &m.peer : NULL);
		break;
	case MONITOR_MSG_REOPEN:
		n = monitor_msg_reopen(again);
		break;
	default:
		abort();
	}
	if (n != size || memcmp(again, data, n) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (monitor_msg_parse(data, size, &m) == 0)
		check_round_trip(data, size);
	monitor_msg_clear(&m);
	return 0;
}
