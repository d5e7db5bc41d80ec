/*
 * imap4_sasl.c: IMAP4 AUTHENTICATE PLAIN, the client's (with the "+"
 * continuation or a SASL-IR initial response, "*" to cancel) and the
 * one perdition sends a real server that lists LOGINDISABLED and
 * AUTH=PLAIN.  Peer data is only ever a "%s" argument; buffers that held
 * a password are wiped.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "defs.h"
#include "imap4_sasl.h"
#include "imap_token.h"
#include "log.h"
#include "proto_core.h"
#include "protocol.h"
#include "sasl_plain.h"
#include "session.h"
#include "str.h"
#include "xalloc.h"

/* 2.2's replies to AUTHENTICATE, kept for what it already answered. */
#define BAD_AUTHENTICATE "BAD Mate, try AUTHENTICATE <mechanism>"
#define NO_AUTHENTICATE "NO AUTHENTICATE mechanism not supported, mate"
/* Ours, for the PLAIN exchange. */
#define T_CANCELLED "Authentication cancelled, mate"
#define T_TOO_LONG "SASL response too long, mate"
#define T_AUTHZ "Authorisation id differs from authentication id, " \
	"not allowed, mate"

bool imap4_sasl_authz_differs(const struct auth *a)
{
	return a->authz != NULL && strcmp(a->authz, a->user) != 0;
}

/* ------------------------------------------------------- client side */

/* "<tag> <text>", after the error sleep when sleep is set.  A client we
 * cannot write to is a failed read, as everywhere in IMAP. */
static enum proto_result reply(struct session *s, const char *tag,
			       const char *text, bool sleep)
{
	if (sleep)
		session_error_sleep();
	if (conn_printf(&s->client, "%s %s\r\n", tag, text) < 0)
		return PROTO_READ_FAILED;
	return PROTO_OK;
}

/* A refused exchange: answered, and a failed attempt. */
static enum proto_result refuse(struct session *s, const char *tag,
				const char *status, const char *text)
{
	enum proto_result r;

	session_error_sleep();
	r = proto_sent(conn_printf(&s->client, "%s %s %s\r\n", tag, status, text));
	return r != PROTO_OK ? PROTO_READ_FAILED : PROTO_AUTH_FAILED;
}

/* Decode the response b64[0..len) into credentials. */
static enum proto_result take_response(struct session *s, struct auth *a,
				       const char *tag, const char *b64,
				       size_t len)
{
	struct sasl_plain p;
	enum sasl_plain_result r;

	/* "=" is the empty initial response of RFC 4959. */
	if (len == 1 && b64[0] == '=')
		len = 0;
	r = sasl_plain_decode(b64, len, false, &p);
	if (r != SASL_PLAIN_OK)
		return refuse(s, tag, r == SASL_PLAIN_BAD_BASE64 ? "BAD" : "NO",
			      sasl_plain_result_text(r));
	if (p.authz != NULL && strcmp(p.authz, p.authc) != 0 &&
	    !s->cfg->sasl_authorisation_id) {
		sasl_plain_free(&p);
		return refuse(s, tag, "NO", T_AUTHZ);
	}
	a->authz = p.authz;
	a->user = p.authc;
	a->user_len = strlen(p.authc);
	a->passwd = p.passwd;
	str_copy(a->tag, tag, sizeof(a->tag));
	return PROTO_CREDENTIALS;
}

/* AUTHENTICATE PLAIN without an initial response: "+ ", then the
 * client's line (bounded by the longest message we take). */
static enum proto_result continuation(struct session *s, struct auth *a,
				      const char *tag)
{
	size_t cap = SASL_PLAIN_B64_MAX + 2, len;
	char *line;
	enum proto_result res;
	int r;

	if (conn_write(&s->client, "+ \r\n", 4) < 0)
		return PROTO_READ_FAILED;
	line = xmalloc(cap);
	r = conn_read_line(&s->client, line, SASL_PLAIN_B64_MAX, &len);
	if (r == CONN_TOOLONG)
		res = refuse(s, tag, "BAD", T_TOO_LONG);
	else if (r != CONN_OK)
		res = proto_read_failed(r);
	else if (len == 1 && line[0] == '*')
		res = refuse(s, tag, "BAD", T_CANCELLED);
	else
		res = take_response(s, a, tag, line, len);
	explicit_bzero(line, cap);
	free(line);
	return res;
}

enum proto_result imap4_sasl_client(struct session *s, struct auth *a,
				    const char *tag, const char *args,
				    size_t len)
{
	const char *sp = memchr(args, ' ', len);
	size_t mlen = sp != NULL ? (size_t)(sp - args) : len;

	if (mlen == 0)
		return reply(s, tag, BAD_AUTHENTICATE, true);
	if (!str_eq_ci_n(args, mlen, "PLAIN")) {
		/* 2.2's answers: one word is a mechanism we lack. */
		if (sp != NULL)
			return reply(s, tag, BAD_AUTHENTICATE, true);
		return reply(s, tag, NO_AUTHENTICATE, false);
	}
	if (sp == NULL)
		return continuation(s, a, tag);
	/* SASL-IR: exactly one more argument. */
	if (memchr(sp + 1, ' ', len - mlen - 1) != NULL || len == mlen + 1)
		return reply(s, tag, BAD_AUTHENTICATE, true);
	return take_response(s, a, tag, sp + 1, len - mlen - 1);
}

/* ------------------------------------------------------- server side */

/* Read one real-server line; 0, or -1 on EOF, error, timeout or an
 * overlong line. */
static int server_read(struct session *s, char *line, size_t *len)
{
	return proto_server_line(s, line, len) == CONN_OK ? 0 : -1;
}

/* Is line[0..len) the tagged reply to tag?  Then *rest_r is its text. */
static bool is_tagged(const char *line, size_t len, const char *tag,
		      size_t *rest_r)
{
	size_t tl = strlen(tag);

	if (len <= tl || memcmp(line, tag, tl) != 0 || line[tl] != ' ')
		return false;
	*rest_r = tl + 1;
	return true;
}

/* Pass an untagged server line on to the client. */
static void forward(struct session *s, const char *line, size_t len)
{
	if (line[0] == '*' && (conn_write(&s->client, line, len) < 0 ||
			       conn_write(&s->client, "\r\n", 2) < 0))
		log_debug("could not forward a server line to the client");
}

/*
 * Read up to the tagged reply (left in line/len, *rest_r its text) or,
 * when cont is set, a "+" continuation (returns 1).  Untagged lines are
 * forwarded.  Returns 0 for the tagged reply, -1 on a read error.
 */
static int server_reply(struct session *s, const char *tag, bool cont,
			char *line, size_t *len, size_t *rest_r)
{
	for (;;) {
		if (server_read(s, line, len) < 0)
			return -1;
		if (cont && *len > 0 && line[0] == '+')
			return 1;
		if (is_tagged(line, *len, tag, rest_r))
			return 0;
		if (*len > 0)
			forward(s, line, *len);
	}
}

/* "<tag> AUTHENTICATE PLAIN[ <b64>]\r\n" or "<b64>\r\n", one write,
 * built by hand so that no format buffer keeps the password. */
static int send_plain(struct session *s, const char *tag, const char *b64,
		      size_t blen, bool command, bool with_ir)
{
	size_t tl = command ? strlen(tag) : 0;
	size_t cap = tl + sizeof(" AUTHENTICATE PLAIN ") + blen + 2, n = 0;
	char *buf = xmalloc(cap);
	int r;

	if (command) {
		memcpy(buf, tag, tl);
		n = tl;
		memcpy(buf + n, " AUTHENTICATE PLAIN", 19);
		n += 19;
		if (with_ir)
			buf[n++] = ' ';
	}
	if (!command || with_ir) {
		memcpy(buf + n, b64, blen);
		n += blen;
	}
	memcpy(buf + n, "\r\n", 2);
	n += 2;
	r = conn_write(&s->server, buf, n);
	explicit_bzero(buf, cap);
	free(buf);
	return r;
}

/* Send the exchange; the tagged reply is left in line/len/rest. */
static int server_exchange(struct session *s, const char *tag,
			   const char *b64, size_t blen, bool sasl_ir,
			   char *line, size_t *len, size_t *rest)
{
	int r;

	if (send_plain(s, tag, b64, blen, true, sasl_ir) < 0)
		return -1;
	r = server_reply(s, tag, !sasl_ir, line, len, rest);
	if (r != 1)
		return r;
	if (send_plain(s, tag, b64, blen, false, false) < 0)
		return -1;
	r = server_reply(s, tag, false, line, len, rest);
	return r;
}

enum login_result imap4_sasl_server(struct session *s, const struct auth *a,
				    const char *user, bool sasl_ir,
				    char *resp, size_t resplen,
				    const char **reason_r)
{
	char tag[IMAP_SERVER_TAG_SIZE], line[MAX_LINE_LENGTH + 2];
	size_t blen, len = 0, rest = 0;
	char *b64 = sasl_plain_encode(imap4_sasl_authz_differs(a) ? a->authz : NULL,
				      user, a->passwd, &blen);
	int r;

	proto_next_tag(s, tag);
	r = server_exchange(s, tag, b64, blen, sasl_ir, line, &len, &rest);
	explicit_bzero(b64, blen);
	free(b64);
	if (r < 0)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	proto_set_resp(resp, resplen, line + rest);
	if (proto_starts_token(line + rest, len - rest, "OK"))
		return LOGIN_OK;
	return proto_login_fail(s, reason_r, REASON_REAUTH, true);
}
