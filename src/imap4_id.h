/*
 * imap4_id.h: the IMAP ID command (RFC 2971) in the proxy: answered
 * before login, the client's list kept and passed on to the real server
 * before LOGIN, with the client's address when forward_client_address
 * is set (the x-originating-ip fields Dovecot's login_trusted_networks
 * reads).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_IMAP4_ID_H
#define PERDITION_IMAP4_ID_H

#include <stdbool.h>
#include <stddef.h>

#include "protocol.h"

struct session;

/*
 * "tag ID ...": line[pos] is the space after the command (pos == *lenp
 * when nothing follows).  Reads the literals and continuation lines of
 * the command through s->client (line, of MAX_LINE_LENGTH + 2 bytes, is
 * left holding the last line and *lenp its length), keeps the list in
 * s->client_id and answers "* ID ("name" "perdition")" and OK, or BAD.
 */
enum proto_result imap4_id_command(struct session *s, const char *tag,
				   char *line, size_t *lenp, size_t pos);

/*
 * Before LOGIN on the real server: when it lists ID (server_has_id) and
 * the client sent an ID or forward_client_address is set, send
 * "<tag> ID (...)" and read up to its tagged reply (whatever its status;
 * untagged lines are not passed on).  Returns 0, or -1 on an I/O error.
 */
int imap4_id_server(struct session *s, bool server_has_id);

#endif
