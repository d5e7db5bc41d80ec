/*
 * xclient.c: XCLIENT ADDR=... PORT=... SESSION=... to a real server.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conn.h"
#include "defs.h"
#include "log.h"
#include "net.h"
#include "proto_core.h"
#include "session.h"
#include "xclient.h"

/* Only what a numeric address or a hex id holds: no space, no CR LF. */
static bool safe(const char *s)
{
	return strspn(s, "0123456789abcdefABCDEF.:-") == strlen(s);
}

size_t xclient_format(char *dst, size_t dstlen, const char *addr, unsigned port,
		      const char *session_id)
{
	bool with_id = session_id != NULL && *session_id != '\0';
	int n;

	if (dstlen == 0 || *addr == '\0' || !safe(addr) || (with_id && !safe(session_id)))
		return 0;
	if (with_id)
		n = snprintf(dst, dstlen, "XCLIENT ADDR=%s PORT=%u SESSION=%s", addr,
			     port, session_id);
	else
		n = snprintf(dst, dstlen, "XCLIENT ADDR=%s PORT=%u", addr, port);
	if (n < 0 || (size_t)n >= dstlen) {
		dst[0] = '\0';
		return 0;
	}
	return (size_t)n;
}

int xclient_send(struct session *s, const char *ok_token)
{
	char cmd[XCLIENT_LINE_SIZE + 2], addr[64], line[MAX_LINE_LENGTH + 1];
	size_t n, len;

	if (!s->have_peer)
		return 0;
	n = xclient_format(cmd, XCLIENT_LINE_SIZE, net_addr_str(&s->peer, addr, sizeof(addr)),
			   net_port(&s->peer), s->session_id);
	if (n == 0)
		return 0;
	memcpy(cmd + n, "\r\n", 2);
	if (conn_write(&s->server, cmd, n + 2) < 0 ||
	    proto_server_line(s, line, &len) != CONN_OK)
		return -1;
	if (!proto_starts_token(line, len, ok_token))
		log_info("Real server refused XCLIENT%s", s->from_to);
	return 0;
}
