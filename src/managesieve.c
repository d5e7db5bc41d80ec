/*
 * managesieve.c: ManageSieve (RFC 5804): the client's pre-authentication
 * dialogue (capabilities, NOOP, LOGOUT, STARTTLS, AUTHENTICATE "PLAIN")
 * and the login on the real server with AUTHENTICATE "PLAIN".
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "defs.h"
#include "imap_token.h"
#include "log.h"
#include "managesieve.h"
#include "proto_core.h"
#include "protocol.h"
#include "sasl_plain.h"
#include "session.h"
#include "str.h"
#include "xalloc.h"
#include "xclient.h"

/* NO texts, byte for byte as perdition 2.2 (SPEC 3.4); the inner quotes
 * are not escaped there either. */
#define T_UNKNOWN "Unknown command, mate"
#define T_CAPA_ARGS "Too many arguments, expected CAPABILITY, mate"
#define T_NOOP_ARGS "Too many arguments, expected NOOP [String], mate"
#define T_NOOP_BAD "Invalid AUTHENTICATE PLAIN challenge, mate"
#define T_LOGOUT_ARGS "Too many arguments, expected LOGOUT, mate"
#define T_AUTH_ARGS "Incorrect argument count, expected " \
	"AUTHENTICATE <mechanism> [<challenge>], mate"
#define T_AUTH_MECH "Unknown SASL mechanism, mate"
#define T_CANCELLED "Authentication cancelled, mate"
#define T_RESPONSE "Expected one string as the SASL response, mate"
#define T_PLAIN_BAD "Invalid AUTHENTICATE \"PLAIN\" challenge, mate"
#define T_BASE64 "Invalid base64 encoded challenge, mate"
#define T_EMPTY "Empty challenge, mate"
#define T_NO_AUTHC "Challenge has no authentication id, mate"
#define T_EMPTY_AUTHC "Empty authentication id, mate"
#define T_NO_PASSWD "Challenge has no password, mate"
#define T_TRAILING "Trailing garbage in challenge, mate"
/* Our own: 2.2 has no line limit we could match. */
#define T_TOO_LONG "Line too long, mate"
#define T_FIELD_TOO_LONG "Challenge field too long, mate"

/* ------------------------------------------------------- command parsing */

void sieve_cmd_init(struct sieve_cmd *c)
{
	memset(c, 0, sizeof(*c));
}

void sieve_cmd_free(struct sieve_cmd *c)
{
	for (size_t i = 0; i < c->nargs; i++) {
		explicit_bzero(c->args[i].data, c->args[i].len);
		free(c->args[i].data);
	}
	sieve_cmd_init(c);
}

static void add_arg(struct sieve_cmd *c, enum imap_arg_type type, char *data,
		    size_t len)
{
	c->args[c->nargs].type = type;
	c->args[c->nargs].data = data;
	c->args[c->nargs].len = len;
	c->nargs++;
}

int sieve_parse_line(struct sieve_cmd *c, const char *line, size_t len,
		     bool first)
{
	size_t pos = 0;

	if (first) {
		const char *sp = memchr(line, ' ', len);
		size_t tl = sp != NULL ? (size_t)(sp - line) : len;
		size_t n = tl < sizeof(c->name) - 1 ? tl : sizeof(c->name) - 1;

		memcpy(c->name, line, n);
		c->name[n] = '\0';
		c->name_len = tl;
		pos = tl;
	}
	for (;;) {
		struct imap_arg arg;
		int r = imap_arg_next(line, len, &pos, MAX_LITERAL_SIZE, &arg);
		char *data;
		long n;

		if (r == IMAP_ARG_END)
			return SIEVE_PARSE_DONE;
		if (r != IMAP_ARG_OK) {
			c->syntax_error = true;
			return SIEVE_PARSE_DONE;
		}
		if (c->nargs == MAX_ARGS) {
			c->too_many = true;
			return SIEVE_PARSE_DONE;
		}
		switch (arg.type) {
		case IMAP_ARG_LITERAL:
			c->literal = arg.literal_size;
			return SIEVE_PARSE_LITERAL;
		case IMAP_ARG_QUOTED:
			data = xmalloc(arg.len + 1);
			n = imap_unquote(arg.start, arg.len, data, arg.len + 1);
			if (n < 0) {
				free(data);
				c->syntax_error = true;
				return SIEVE_PARSE_DONE;
			}
			add_arg(c, IMAP_ARG_QUOTED, data, (size_t)n);
			break;
		default:
			add_arg(c, IMAP_ARG_ATOM, xstrndup(arg.start, arg.len),
				arg.len);
			break;
		}
	}
}

void sieve_add_literal(struct sieve_cmd *c, const char *data, size_t len)
{
	char *p = xmalloc(len + 1);

	memcpy(p, data, len);
	p[len] = '\0';
	add_arg(c, IMAP_ARG_LITERAL, p, len);
	c->literal = 0;
}

static bool is_cmd(const struct sieve_cmd *c, const char *name)
{
	/* name[] holds the whole token only when it is that short. */
	return c->name_len < sizeof(c->name) &&
	       str_eq_ci_n(c->name, c->name_len, name);
}

static void decide_no(struct sieve_decision *d, const char *text)
{
	d->act = SIEVE_ACT_NO;
	d->text = text;
}

static void decide_auth(const struct sieve_cmd *c, struct sieve_decision *d)
{
	/* An argument we could not parse still counts as one. */
	size_t count = c->nargs + (c->syntax_error ? 1 : 0);

	if (c->too_many || count == 0 || count > 2) {
		decide_no(d, T_AUTH_ARGS);
		return;
	}
	if (c->nargs == 0 || c->args[0].type != IMAP_ARG_QUOTED ||
	    !str_eq_ci_n(c->args[0].data, c->args[0].len, "PLAIN")) {
		decide_no(d, T_AUTH_MECH);
		return;
	}
	/* No initial response: an empty challenge asks for it. */
	if (count == 1) {
		d->act = SIEVE_ACT_AUTH_CONT;
		return;
	}
	if (c->nargs < 2 || c->args[1].type == IMAP_ARG_ATOM) {
		decide_no(d, T_PLAIN_BAD);
		return;
	}
	d->act = SIEVE_ACT_AUTH;
}

void sieve_decide(const struct sieve_cmd *c, bool tls_listen, bool tls_active,
		  struct sieve_decision *d)
{
	bool extra = c->nargs > 0 || c->syntax_error || c->too_many;

	memset(d, 0, sizeof(*d));
	if (is_cmd(c, "CAPABILITY")) {
		if (extra)
			decide_no(d, T_CAPA_ARGS);
		else
			d->act = SIEVE_ACT_CAPABILITY;
	} else if (is_cmd(c, "NOOP")) {
		if (c->too_many || c->nargs > 1 ||
		    (c->nargs == 1 && c->syntax_error))
			decide_no(d, T_NOOP_ARGS);
		else if (c->syntax_error ||
			 (c->nargs == 1 && c->args[0].type == IMAP_ARG_ATOM))
			decide_no(d, T_NOOP_BAD);
		else if (c->nargs == 1)
			d->act = SIEVE_ACT_NOOP_TAG;
		else
			d->act = SIEVE_ACT_NOOP;
	} else if (is_cmd(c, "LOGOUT")) {
		if (extra)
			decide_no(d, T_LOGOUT_ARGS);
		else
			d->act = SIEVE_ACT_LOGOUT;
	} else if (is_cmd(c, "STARTTLS")) {
		if (!tls_listen || tls_active || extra)
			decide_no(d, T_UNKNOWN);
		else
			d->act = SIEVE_ACT_STARTTLS;
	} else if (is_cmd(c, "AUTHENTICATE")) {
		decide_auth(c, d);
	} else {
		decide_no(d, T_UNKNOWN);
	}
}

/* ------------------------------------------------------- PLAIN */

/* The NO text of SPEC 3.4 for a refused message. */
static const char *plain_text(enum sasl_plain_result r)
{
	switch (r) {
	case SASL_PLAIN_OK:
		return NULL;
	case SASL_PLAIN_BAD_BASE64:
		return T_BASE64;
	case SASL_PLAIN_EMPTY:
		return T_EMPTY;
	case SASL_PLAIN_NO_AUTHCID:
		return T_NO_AUTHC;
	case SASL_PLAIN_EMPTY_AUTHCID:
		return T_EMPTY_AUTHC;
	case SASL_PLAIN_NO_PASSWD:
	case SASL_PLAIN_EMPTY_PASSWD:
		return T_NO_PASSWD;
	case SASL_PLAIN_TRAILING:
		return T_TRAILING;
	case SASL_PLAIN_TOO_LONG:
		return T_FIELD_TOO_LONG;
	}
	return T_BASE64;
}

const char *sieve_plain_decode(const char *b64, size_t len, char **authz_r,
			       char **user_r, char **passwd_r)
{
	struct sasl_plain p;
	/* An empty password goes on to the real server, as in 2.2. */
	enum sasl_plain_result r = sasl_plain_decode(b64, len, true, &p);

	if (r != SASL_PLAIN_OK)
		return plain_text(r);
	*authz_r = p.authz;
	*user_r = p.authc;
	*passwd_r = p.passwd;
	return NULL;
}

char *sieve_capa_lines(const char *caps, bool add_starttls, size_t *len_r)
{
	size_t clen, n = 0;
	const char *p;
	char *out;

	if (caps == NULL)
		caps = "";
	clen = strlen(caps);
	out = xmalloc(2 * clen + 2 + sizeof("\"STARTTLS\"\r\n"));
	for (p = caps;;) {
		const char *q = strstr(p, "  ");
		size_t elen = q != NULL ? (size_t)(q - p) : strlen(p);

		/* STARTTLS is ours to add or leave out. */
		if (elen > 0 && !str_eq_ci_n(p, elen, "\"STARTTLS\"")) {
			memcpy(out + n, p, elen);
			n += elen;
			memcpy(out + n, "\r\n", 2);
			n += 2;
		}
		if (q == NULL)
			break;
		p = q + 2;
	}
	if (add_starttls) {
		memcpy(out + n, "\"STARTTLS\"\r\n", 12);
		n += 12;
	}
	out[n] = '\0';
	*len_r = n;
	return out;
}

/* ------------------------------------------------------- client side */

/* "<status> "<text>"", or a literal when text holds CR or LF (2.2). */
static int status_line(struct session *s, const char *status, const char *text)
{
	if (strpbrk(text, "\r\n") != NULL)
		return conn_printf(&s->client, "%s {%zu}\r\n%s\r\n", status,
				   strlen(text), text);
	return conn_printf(&s->client, "%s \"%s\"\r\n", status, text);
}

static enum proto_result client_status(struct session *s, const char *status,
				       const char *text)
{
	return proto_sent(status_line(s, status, text));
}

static enum proto_result send_capabilities(struct session *s)
{
	size_t len;
	char *lines = sieve_capa_lines(s->cfg->managesieve_capability,
				       proto_offer_tls(s), &len);
	enum proto_result r = proto_client_write(s, lines, len);

	free(lines);
	return r;
}

/* The capability lines, then OK "<text>". */
static enum proto_result capabilities_ok(struct session *s, const char *text)
{
	enum proto_result r = send_capabilities(s);

	return r != PROTO_OK ? r : client_status(s, "OK", text);
}

static enum proto_result sieve_greeting(struct session *s)
{
	return capabilities_ok(s, s->loop_token);
}

/* OK (TAG <string>) "NOOP completed, mate" (RFC 5804, D-7). */
static enum proto_result noop_tag(struct session *s, const struct sieve_arg *tag)
{
	size_t qlen = 2 * tag->len + 3;
	char *q = xmalloc(qlen);
	long n = memchr(tag->data, '\0', tag->len) != NULL ? 0 :
		imap_quote(tag->data, q, qlen);
	int r;

	if (n > 0)
		r = conn_printf(&s->client,
				"OK (TAG %s) \"NOOP completed, mate\"\r\n", q);
	else if ((r = conn_printf(&s->client, "OK (TAG {%zu}\r\n",
				  tag->len)) == 0 &&
		 (r = conn_write(&s->client, tag->data, tag->len)) == 0)
		r = conn_printf(&s->client, ") \"NOOP completed, mate\"\r\n");
	free(q);
	return proto_sent(r);
}

/*
 * Read one command, with the literals it carries (no continuation is
 * sent, as 2.2).  With response set the first line holds no command
 * name, only arguments (a SASL response).  Returns CONN_OK, or
 * CONN_TOOLONG for a line over the limit, or the result of a failed read
 * (c is then empty).  line holds MAX_LINE_LENGTH + 1 bytes.
 */
static int read_command(struct session *s, struct sieve_cmd *c, char *line,
			bool response)
{
	bool first = !response;
	/* A response's arguments start at once: a space is put before them,
	 * as after a command name. */
	size_t skip = response ? 1 : 0;

	sieve_cmd_init(c);
	line[0] = ' ';
	for (;;) {
		size_t len;
		int r = conn_read_line(&s->client, line + skip,
				       MAX_LINE_LENGTH - skip, &len);
		char *lit;

		if (r != CONN_OK) {
			sieve_cmd_free(c);
			return r;
		}
		if (sieve_parse_line(c, line, len + skip, first) == SIEVE_PARSE_DONE)
			return CONN_OK;
		first = false;
		skip = 0;
		lit = xmalloc(c->literal + 1);
		r = c->literal > 0 ? conn_read_exact(&s->client, lit, c->literal) :
			CONN_OK;
		if (r == CONN_OK)
			sieve_add_literal(c, lit, c->literal);
		explicit_bzero(lit, c->literal + 1);
		free(lit);
		if (r != CONN_OK) {
			sieve_cmd_free(c);
			return r;
		}
	}
}

static enum proto_result starttls(struct session *s)
{
	enum proto_result r = client_status(s, "OK", "Begin TLS negotiation, mate");

	if (r == PROTO_OK)
		r = proto_start_tls(s);
	return r != PROTO_OK ? r :
		capabilities_ok(s, "TLS negotiation completed, mate");
}

/* AUTHENTICATE "PLAIN" with the initial response (or the response to
 * our empty challenge) in arg. */
static enum proto_result authenticate(struct session *s, struct auth *a,
				      const struct sieve_arg *arg)
{
	const char *err = sieve_plain_decode(arg->data, arg->len,
					     &a->authz, &a->user, &a->passwd);

	if (err != NULL) {
		enum proto_result r;

		session_error_sleep();
		r = client_status(s, "NO", err);
		return r != PROTO_OK ? r : PROTO_AUTH_FAILED;
	}
	/* Split at the NULs: neither id can hold one. */
	a->user_len = strlen(a->user);
	a->tag[0] = '\0';
	/* Pipelined bytes stay buffered for the relay (D-5). */
	return PROTO_CREDENTIALS;
}

/*
 * AUTHENTICATE "PLAIN" without an initial response (RFC 5804 2.1): an
 * empty challenge, then the client's response as one quoted string or
 * literal on a line of its own; "*" cancels.
 */
static enum proto_result authenticate_cont(struct session *s, struct auth *a)
{
	char line[MAX_LINE_LENGTH + 1];
	struct sieve_cmd c;
	const char *text = T_RESPONSE;
	enum proto_result res;
	int r;

	res = proto_client_write(s, "\"\"\r\n", 4);
	if (res != PROTO_OK)
		return res;
	r = read_command(s, &c, line, true);
	explicit_bzero(line, sizeof(line));
	if (r != CONN_OK && r != CONN_TOOLONG)
		return proto_read_failed(r);
	if (r == CONN_OK && c.nargs == 1 && !c.syntax_error && !c.too_many &&
	    c.args[0].type != IMAP_ARG_ATOM) {
		if (c.args[0].len != 1 || c.args[0].data[0] != '*') {
			res = authenticate(s, a, &c.args[0]);
			sieve_cmd_free(&c);
			return res;
		}
		text = T_CANCELLED;
	}
	sieve_cmd_free(&c);
	session_error_sleep();
	res = client_status(s, "NO", text);
	return res != PROTO_OK ? res : PROTO_AUTH_FAILED;
}

/* Carry out the decision d on the command c. */
static enum proto_result act(struct session *s, struct auth *a,
			     const struct sieve_cmd *c,
			     const struct sieve_decision *d)
{
	enum proto_result r;

	switch (d->act) {
	case SIEVE_ACT_NO:
		session_error_sleep();
		return client_status(s, "NO", d->text);
	case SIEVE_ACT_CAPABILITY:
		return capabilities_ok(s, "CAPABILITY completed, mate");
	case SIEVE_ACT_NOOP:
		return client_status(s, "OK", "NOOP completed, mate");
	case SIEVE_ACT_NOOP_TAG:
		return noop_tag(s, &c->args[0]);
	case SIEVE_ACT_LOGOUT:
		r = client_status(s, "OK", "LOGOUT completed, mate");
		return r != PROTO_OK ? r : PROTO_QUIT;
	case SIEVE_ACT_STARTTLS:
		return starttls(s);
	case SIEVE_ACT_AUTH:
		return authenticate(s, a, &c->args[1]);
	case SIEVE_ACT_AUTH_CONT:
		return authenticate_cont(s, a);
	}
	return PROTO_OK;
}

/* Read and answer one command; line holds MAX_LINE_LENGTH + 1 bytes. */
static enum proto_result read_step(struct session *s, struct auth *a, char *line)
{
	struct sieve_cmd c;
	struct sieve_decision d;
	enum proto_result res;
	int r = read_command(s, &c, line, false);

	if (r == CONN_TOOLONG) {
		session_error_sleep();
		return client_status(s, "NO", T_TOO_LONG);
	}
	if (r != CONN_OK)
		return proto_read_failed(r);
	sieve_decide(&c, s->cfg->tls_listen, session_client_tls(s), &d);
	res = act(s, a, &c, &d);
	sieve_cmd_free(&c);
	return res;
}

static enum proto_result sieve_read_auth(struct session *s, struct auth *a)
{
	char line[MAX_LINE_LENGTH + 1];
	enum proto_result r;

	do
		r = read_step(s, a, line);
	while (r == PROTO_OK);
	/* The last line may have held the password. */
	explicit_bzero(line, sizeof(line));
	return r;
}

/* ------------------------------------------------------- server side */

/* What a real server's capability lines tell us. */
enum { CAP_STARTTLS = 1, CAP_SASL = 2, CAP_XCLIENT = 4 };

static const struct proto_cap server_caps[] = {
	{ "\"STARTTLS\"", CAP_STARTTLS, false },
	{ "\"SASL\"", CAP_SASL, false },
	{ "\"XCLIENT\"", CAP_XCLIENT, false },
	{ NULL, 0, false },
};

/* Capability lines are quoted strings; the first other line ends them. */
static bool is_status_line(const char *line, size_t len)
{
	return len == 0 || line[0] != '"';
}

/*
 * Read the real server's capability lines up to its first status line,
 * which must be OK (and not our own greeting).  A failure is
 * REASON_NEGOTIATION.
 */
static enum login_result read_server_caps(struct session *s, unsigned *caps,
					  const char **reason_r)
{
	char line[MAX_LINE_LENGTH + 1];
	size_t len;
	enum proto_caps_result r;

	*caps = 0;
	r = proto_read_caps(s, is_status_line, server_caps, caps, line, &len);
	if (r != PROTO_CAPS_OK)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION,
					r == PROTO_CAPS_TOO_MANY);
	/* 2.2 had no loop check here; our greeting token makes one
	 * possible (D-9). */
	if (!proto_starts_token(line, len, "OK") ||
	    proto_loop_detected(s, line, len))
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, true);
	return LOGIN_OK;
}

/* AUTHENTICATE "PLAIN" "<base64(authzid NUL authcid NUL passwd)>" */
static int send_plain(struct session *s, const char *authz, const char *user,
		      const char *passwd)
{
	static const char head[] = "AUTHENTICATE \"PLAIN\" \"";
	size_t bl;
	char *b64 = sasl_plain_encode(authz, user, passwd, &bl);
	size_t cl = sizeof(head) - 1 + bl + 3;
	char *cmd = xmalloc(cl);
	int r;

	/* One write, built by hand: no format buffer keeps the password. */
	memcpy(cmd, head, sizeof(head) - 1);
	memcpy(cmd + sizeof(head) - 1, b64, bl);
	memcpy(cmd + sizeof(head) - 1 + bl, "\"\r\n", 3);
	r = conn_write(&s->server, cmd, cl);
	explicit_bzero(b64, bl);
	explicit_bzero(cmd, cl);
	free(b64);
	free(cmd);
	return r;
}

/* tls_outgoing: STARTTLS when the server offers it, then its
 * capabilities again. */
static enum login_result server_starttls(struct session *s, unsigned *caps,
					 const char **reason_r)
{
	char line[MAX_LINE_LENGTH + 1];
	size_t len;

	if (!(*caps & CAP_STARTTLS)) {
		/* 2.2 ends the child here; a client error is kinder. */
		if (s->cfg->tls_outgoing_force)
			return proto_login_fail(s, reason_r, REASON_NO_TLS, true);
		return LOGIN_OK;
	}
	if (conn_write(&s->server, "STARTTLS\r\n", 10) < 0 ||
	    proto_server_line(s, line, &len) != CONN_OK)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	if (!proto_starts_token(line, len, "OK"))
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, true);
	if (session_tls_server(s) < 0)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	/* The server states its capabilities again. */
	return read_server_caps(s, caps, reason_r);
}

static enum login_result sieve_server_login(struct session *s,
					    const struct auth *a,
					    const char *user, char *resp,
					    size_t resplen,
					    const char **reason_r)
{
	char line[MAX_LINE_LENGTH + 1];
	unsigned caps;
	size_t len;

	proto_set_resp(resp, resplen, "");
	if (read_server_caps(s, &caps, reason_r) != LOGIN_OK)
		return LOGIN_FAILED;
	if (s->cfg->tls_outgoing &&
	    server_starttls(s, &caps, reason_r) != LOGIN_OK)
		return LOGIN_FAILED;
	if (!(caps & CAP_SASL))
		return proto_login_fail(s, reason_r, REASON_NO_SASL, true);
	if (s->cfg->forward_client_address && (caps & CAP_XCLIENT) &&
	    xclient_send(s, "OK") < 0)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);

	if (send_plain(s, a->authz != NULL ? a->authz : "", user,
		       a->passwd != NULL ? a->passwd : "") < 0 ||
	    proto_server_line(s, line, &len) != CONN_OK)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	proto_set_resp(resp, resplen, line);
	if (!proto_starts_token(line, len, "OK"))
		return proto_login_fail(s, reason_r, REASON_REAUTH, true);
	return LOGIN_OK;
}

static void sieve_reply_ok(struct session *s, const struct auth *a,
			   const char *resp)
{
	(void)a;
	if (proto_pass_resp(s, resp))
		(void)conn_printf(&s->client, "%s\r\n", resp);
	else
		(void)status_line(s, "OK", s->cfg->ok_line);
}

static void sieve_reply_fail(struct session *s, const struct auth *a,
			     const char *reason, const char *resp)
{
	(void)a;
	if (proto_pass_resp_fail(s, reason, resp))
		(void)conn_printf(&s->client, "%s\r\n", resp);
	else
		(void)conn_printf(&s->client, "NO \"failed: %s\"\r\n",
				  reason != NULL ? reason : "");
}

static void sieve_relay_timeout(struct session *s)
{
	(void)conn_write(&s->client, "BYE \"Timeout\"\r\n", 15);
}

const struct protocol protocol_managesieve = {
	.name = "MANAGESIEVE",
	.port = "sieve",
	.numeric_port = "4190",
	.busy_line = "BYE \"Too many connections, mate\"\r\n",
	.failed_limit_line = "BYE \"Too many failed logins\"\r\n",
	/* Never sent (the options refuse authenticate_in with ManageSieve);
	 * the bytes are those perdition has always had here. */
	.auth_failure = "-ERR Authentication failure, mate\r\n",
	.bye = "LOGOUT",
	.tagged = false,
	.greeting = sieve_greeting,
	.read_auth = sieve_read_auth,
	.server_login = sieve_server_login,
	.reply_ok = sieve_reply_ok,
	.reply_fail = sieve_reply_fail,
	.relay_timeout = sieve_relay_timeout,
};
