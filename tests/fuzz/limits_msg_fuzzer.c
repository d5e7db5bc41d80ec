/*
 * limits_msg_fuzzer.c: libFuzzer target for the child-to-daemon limits
 * messages (limits_msg.c) and what the daemon does with them
 * (addr_limits.c, on a small table so evictions happen).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr_limits.h"
#include "limits_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_message(const uint8_t *data, size_t size)
{
	static struct addr_limits l;
	static bool ready;
	const struct addr_limits_config c = { 2, 1, 5, 60 };
	struct limits_msg m;
	struct limits_reply r;
	uint8_t again[LIMITS_MSG_MAX];

	if (limits_msg_parse(data, size, &m) < 0)
		return;
	/* What parses encodes back to the same bytes. */
	if (limits_msg_encode(&m, again) != size || memcmp(again, data, size) != 0)
		abort();
	if (!ready) {
		addr_limits_init(&l, &c, 8);
		ready = true;
	}
	if (l.n_children == 0)
		addr_limits_child_add(&l, 42, &m.addr, m.type != LIMITS_MSG_ANNOUNCE);
	if (addr_limits_message(&l, 42, &m, (time_t)data[size - 1], &r) &&
	    r.delay > ADDR_LIMITS_DELAY_CAP)
		abort();
	if (l.addrs.used > l.addrs.cap || l.users.used > l.users.cap)
		abort();
	if (size % 3 == 0)
		addr_limits_child_gone(&l, 42);
}

static void check_reply(const uint8_t *data, size_t size)
{
	struct limits_reply r;
	uint8_t again[LIMITS_REPLY_LEN];

	if (limits_reply_parse(data, size, &r) < 0)
		return;
	if (r.delay > LIMITS_DELAY_MAX)
		abort();
	limits_reply_encode(&r, again);
	if (memcmp(again, data, LIMITS_REPLY_LEN) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_message(data, size);
	check_reply(data, size);
	return 0;
}
