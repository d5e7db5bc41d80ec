/*
 * protocol.c: the registry of protocol modules.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stddef.h>

#include "options.h"
#include "protocol.h"

const struct protocol *protocol_get(int id)
{
	switch (id) {
	case PROTO_POP3:
		return &protocol_pop3;
	case PROTO_POP3S:
		return &protocol_pop3s;
	case PROTO_IMAP4:
		return &protocol_imap4;
	case PROTO_IMAP4S:
		return &protocol_imap4s;
	case PROTO_MANAGESIEVE:
		return &protocol_managesieve;
	default:
		return &protocol_pop3;
	}
}
