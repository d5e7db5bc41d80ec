/*
 * protocol.c: the registry of protocol modules.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stddef.h>

#include "protocol.h"

/* Indexed by perdition 2.2's protocol numbers (enum protocol_id);
 * check_proto_core holds the two in step. */
static const struct protocol *const registry[] = {
	&protocol_pop3,
	&protocol_pop3s,
	&protocol_imap4,
	&protocol_imap4s,
	&protocol_managesieve,
};

const struct protocol *protocol_get(int id)
{
	if (id < 0 || (size_t)id >= sizeof(registry) / sizeof(registry[0]))
		return &protocol_pop3;
	return registry[id];
}
