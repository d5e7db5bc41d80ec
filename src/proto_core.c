/*
 * proto_core.c: what the protocol modules share (see proto_core.h).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "conn.h"
#include "defs.h"
#include "imap_token.h"
#include "log.h"
#include "proto_core.h"
#include "session.h"
#include "str.h"

bool proto_starts_token(const char *line, size_t len, const char *tok)
{
	size_t n = strlen(tok);

	return len >= n && str_eq_ci_n(line, n, tok) && (len == n || line[n] == ' ');
}

unsigned proto_cap_line(const char *line, size_t len, const struct proto_cap *caps)
{
	for (; caps->word != NULL; caps++) {
		if (caps->whole_line ? str_eq_ci_n(line, len, caps->word) :
		    proto_starts_token(line, len, caps->word))
			return caps->bit;
	}
	return 0;
}

unsigned proto_cap_words(const char *s, size_t len, const struct proto_cap *caps)
{
	unsigned bits = 0;
	size_t p = 0, w;

	while (p < len) {
		for (w = 0; p + w < len && s[p + w] != ' '; w++)
			;
		for (const struct proto_cap *c = caps; c->word != NULL; c++)
			if (str_eq_ci_n(s + p, w, c->word))
				bits |= c->bit;
		p += w + 1;
	}
	return bits;
}

/* ---------------------------------------------------------- client side */

enum proto_result proto_sent(int r)
{
	return r < 0 ? PROTO_WRITE_FAILED : PROTO_OK;
}

enum proto_result proto_read_failed(int r)
{
	return r == CONN_TIMEOUT ? PROTO_READ_TIMEOUT : PROTO_READ_FAILED;
}

enum proto_result proto_client_write(struct session *s, const void *buf, size_t len)
{
	return proto_sent(conn_write(&s->client, buf, len));
}

enum proto_result proto_client_line(struct session *s, const char *text)
{
	return proto_sent(conn_printf(&s->client, "%s\r\n", text));
}

enum proto_result proto_start_tls(struct session *s)
{
	return session_tls_client(s) < 0 ? PROTO_TLS_FAILED : PROTO_OK;
}

bool proto_offer_tls(const struct session *s)
{
	return s->cfg->tls_listen && !session_client_tls(s);
}

bool proto_pass_resp(const struct session *s, const char *resp)
{
	return s->cfg->resp_line && resp != NULL && resp[0] != '\0';
}

bool proto_pass_resp_fail(const struct session *s, const char *reason,
			  const char *resp)
{
	return proto_pass_resp(s, resp) && reason != NULL &&
	       strcmp(reason, REASON_REAUTH) == 0;
}

/* ----------------------------------------------------- real-server side */

int proto_server_line(struct session *s, char *line, size_t *len)
{
	return conn_read_line(&s->server, line, MAX_LINE_LENGTH, len);
}

bool proto_loop_detected(struct session *s, const char *line, size_t len)
{
	if (s->loop_token[0] == '\0' ||
	    memmem(line, len, s->loop_token, strlen(s->loop_token)) == NULL)
		return false;
	log_info("Loop detected, abandoning connection%s", s->from_to);
	return true;
}

enum proto_caps_result proto_read_caps(struct session *s,
				       bool (*ends)(const char *line, size_t len),
				       const struct proto_cap *caps, unsigned *bits_r,
				       char *line, size_t *len_r)
{
	for (int i = 0; i < MAX_SERVER_CAPA_LINES; i++) {
		if (proto_server_line(s, line, len_r) != CONN_OK)
			return PROTO_CAPS_DEAD;
		if (ends(line, *len_r))
			return PROTO_CAPS_OK;
		*bits_r |= proto_cap_line(line, *len_r, caps);
	}
	return PROTO_CAPS_TOO_MANY;
}

void proto_next_tag(struct session *s, char *tag)
{
	imap_server_tag(s->imap_tag, tag);
	s->imap_tag++;
}

void proto_server_bye(struct session *s)
{
	char tag[IMAP_SERVER_TAG_SIZE], line[MAX_LINE_LENGTH + 1];
	size_t len;
	int r;

	if (s->proto->tagged) {
		proto_next_tag(s, tag);
		r = conn_printf(&s->server, "%s %s\r\n", tag, s->proto->bye);
	} else {
		r = conn_printf(&s->server, "%s\r\n", s->proto->bye);
	}
	if (r == 0)
		(void)proto_server_line(s, line, &len);
}

enum login_result proto_login_fail(struct session *s, const char **reason_r,
				   const char *reason, bool bye)
{
	if (bye)
		proto_server_bye(s);
	*reason_r = reason;
	return LOGIN_FAILED;
}

void proto_set_resp(char *resp, size_t resplen, const char *line)
{
	if (resplen > 0)
		str_copy(resp, line, resplen);
}
