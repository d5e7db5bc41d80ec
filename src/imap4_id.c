/*
 * imap4_id.c: the IMAP ID command, client side and real-server side.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "defs.h"
#include "imap4_id.h"
#include "imap_id.h"
#include "imap_token.h"
#include "log.h"
#include "net.h"
#include "proto_core.h"
#include "session.h"
#include "xalloc.h"

#define ID_REPLY "* ID (\"name\" \"perdition\")\r\n%s OK ID completed\r\n"
#define BAD_ID "%s BAD Mate, try ID NIL or ID (\"field\" \"value\" ...)\r\n"
#define CONTINUE "+ OK ready for additional input\r\n"

/* Most literals one ID command may hold: a field and a value per pair. */
#define MAX_LITERALS (2 * IMAP_ID_MAX_PAIRS)

/* IMAP has always logged a client it cannot write to as a failed read. */
static enum proto_result sent(int r)
{
	return r < 0 ? PROTO_READ_FAILED : PROTO_OK;
}

/* The command being read: its bytes after "ID ", as on the wire. */
struct id_wire {
	char *buf;
	size_t len;
	enum proto_result lost; /* PROTO_OK, or why the client is gone */
};

static bool wire_append(struct id_wire *w, const char *p, size_t n)
{
	if (n > IMAP_ID_MAX_WIRE - w->len)
		return false;
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	return true;
}

/*
 * Read the literals the command's lines end with, and the lines after
 * them, appending all to w.  Returns 0 when the command is complete, -1
 * when it is refused (w->lost says whether the client is gone).  A
 * refused {n+} literal is left at the end of line for the caller to
 * skip.
 */
static int read_literals(struct session *s, struct id_wire *w, char *line,
			 size_t *lenp)
{
	unsigned long n;
	bool plus;
	int r;

	for (int count = 0; imap_id_literal_at_end(line, *lenp, IMAP_ID_MAX_VALUE,
						      &n, &plus); count++) {
		if (n > IMAP_ID_MAX_VALUE || count == MAX_LITERALS ||
		    n + 2 > IMAP_ID_MAX_WIRE - w->len)
			return -1;
		if (!plus && (w->lost = sent(conn_write(&s->client, CONTINUE,
							 strlen(CONTINUE)))) != PROTO_OK)
			return -1;
		wire_append(w, "\r\n", 2);
		r = conn_read_exact(&s->client, w->buf + w->len, n);
		if (r == CONN_OK) {
			w->len += n;
			r = conn_read_line(&s->client, line, MAX_LINE_LENGTH, lenp);
		}
		if (r != CONN_OK) {
			if (r != CONN_TOOLONG)
				w->lost = proto_read_failed(r);
			*lenp = 0;
			return -1;
		}
		if (!wire_append(w, line, *lenp))
			return -1;
	}
	return 0;
}

/* Read the whole command into w and parse it into id. */
static int read_id(struct session *s, struct id_wire *w, struct imap_id *id,
		   char *line, size_t *lenp, size_t pos)
{
	if (pos >= *lenp || line[pos] != ' ')
		return -1;
	if (!wire_append(w, line + pos + 1, *lenp - pos - 1) ||
	    read_literals(s, w, line, lenp) < 0)
		return -1;
	return imap_id_parse(w->buf, w->len, id);
}

enum proto_result imap4_id_command(struct session *s, const char *tag,
				   char *line, size_t *lenp, size_t pos)
{
	struct id_wire w = { xmalloc(IMAP_ID_MAX_WIRE), 0, PROTO_OK };
	struct imap_id *id = xmalloc(sizeof(*id));
	int r = read_id(s, &w, id, line, lenp, pos);

	free(w.buf);
	if (w.lost != PROTO_OK) {
		free(id);
		return w.lost;
	}
	if (r < 0) {
		free(id);
		session_error_sleep();
		return sent(conn_printf(&s->client, BAD_ID, tag));
	}
	/* Only the proxy may say where the client is. */
	imap_id_drop_forwarding(id);
	free(s->client_id);
	s->client_id = id;
	return sent(conn_printf(&s->client, ID_REPLY, tag));
}

/* Add the client's address and ours and the session id to id. */
static void add_addresses(const struct session *s, struct imap_id *id)
{
	char addr[64], port[16];

	if (s->have_peer) {
		imap_id_add(id, "x-originating-ip", net_addr_str(&s->peer, addr, sizeof(addr)));
		snprintf(port, sizeof(port), "%u", net_port(&s->peer));
		imap_id_add(id, "x-originating-port", port);
	}
	if (s->have_local) {
		imap_id_add(id, "x-connected-ip", net_addr_str(&s->local, addr, sizeof(addr)));
		snprintf(port, sizeof(port), "%u", net_port(&s->local));
		imap_id_add(id, "x-connected-port", port);
	}
	if (s->session_id[0] != '\0')
		imap_id_add(id, "x-session-id", s->session_id);
}

/* The list for the real server: the client's, then (forwarding) ours. */
static struct imap_id *server_list(const struct session *s)
{
	struct imap_id *id = xmalloc(sizeof(*id));

	if (s->client_id != NULL)
		*id = *s->client_id;
	else
		id->n = 0;
	if (s->cfg->forward_client_address) {
		/* Room for our five within RFC 2971's thirty. */
		if (id->n > IMAP_ID_MAX_PAIRS - 5)
			id->n = IMAP_ID_MAX_PAIRS - 5;
		add_addresses(s, id);
	}
	return id;
}

/* Read to the tagged reply of tag; untagged lines are dropped. */
static int read_tagged(struct session *s, const char *tag)
{
	char line[MAX_LINE_LENGTH + 1];
	size_t len, tl = strlen(tag);

	for (;;) {
		if (proto_server_line(s, line, &len) != CONN_OK)
			return -1;
		if (len > tl && memcmp(line, tag, tl) == 0 && line[tl] == ' ')
			return 0;
	}
}

int imap4_id_server(struct session *s, bool server_has_id)
{
	char tag[IMAP_SERVER_TAG_SIZE];
	struct imap_id *id;
	char *cmd;
	size_t n;
	int r;

	if (!server_has_id || (s->client_id == NULL && !s->cfg->forward_client_address))
		return 0;
	id = server_list(s);
	cmd = xmalloc(IMAP_ID_MAX_FORMAT + IMAP_SERVER_TAG_SIZE + 8);
	proto_next_tag(s, tag);
	n = (size_t)snprintf(cmd, IMAP_SERVER_TAG_SIZE + 8, "%s ID ", tag);
	n += imap_id_format(id, cmd + n, IMAP_ID_MAX_FORMAT);
	memcpy(cmd + n, "\r\n", 2);
	r = conn_write(&s->server, cmd, n + 2);
	free(cmd);
	free(id);
	if (r < 0)
		return -1;
	return read_tagged(s, tag);
}
