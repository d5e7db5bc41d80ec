/*
 * pop3.c: POP3 and POP3S: the client's pre-authentication dialogue
 * (greeting, CAPA, STLS, USER, PASS, QUIT) and the login on the real
 * server (greeting and loop check, optional STLS, USER and PASS).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "conn.h"
#include "defs.h"
#include "log.h"
#include "pop3.h"
#include "proto_core.h"
#include "protocol.h"
#include "sasl_plain.h"
#include "session.h"
#include "str.h"
#include "xalloc.h"
#include "xclient.h"

/* Replies, byte for byte as perdition 2.2 (SPEC 3.2). */
#define R_NULL "-ERR Null command, mate"
#define R_SHORT "-ERR Mate, the command is too short, must be one of " \
	"CAPA, USER, PASS or QUIT"
#define R_SHORT_STLS "-ERR Mate, the command is too short, must be one of " \
	"STLS, CAPA, USER, PASS or QUIT"
#define R_UNKNOWN "-ERR Mate, the command must be one of " \
	"CAPA, USER, PASS or QUIT"
#define R_UNKNOWN_STLS "-ERR Mate, the command must be one of " \
	"STLS, CAPA, USER, PASS or QUIT"
#define R_TRY_CAPA "-ERR Mate, try: CAPA"
#define R_TRY_STLS "-ERR Mate, try: STLS"
#define R_TRY_USER "-ERR Mate, try: USER <username>"
#define R_TRY_PASS "-ERR Mate, try: PASS <password>"
#define R_TRY_QUIT "-ERR Mate, try: QUIT"
#define R_NO_USER "-ERR USER not yet set, mate"
#define R_TLS_ACTIVE "-ERR TLS already active, mate"
#define R_STLS "+OK Begin TLS negotiation, mate"
#define R_QUIT "+OK QUIT"
#define R_CAPA "+OK Capability list follows, mate"
/* Our own: 2.2 has no line limit we could match. */
#define R_TOO_LONG "-ERR Line too long, mate"
/* Ours, for AUTH (RFC 5034). */
#define R_AUTH_LIST "+OK Mechanisms follow, mate\r\nPLAIN\r\n.\r\n"
#define R_AUTH_MECH "-ERR Unrecognised authentication mechanism, mate"
#define R_AUTH_ARGS "-ERR Mate, try: AUTH PLAIN [<initial response>]"
#define R_AUTH_CANCELLED "-ERR Authentication cancelled, mate"
#define R_AUTH_TOO_LONG "-ERR SASL response too long, mate"
#define R_AUTH_AUTHZ "-ERR Authorisation id differs from authentication id, " \
	"not allowed, mate"

enum pop3_cmd pop3_parse(char *line, size_t *len, struct pop3_request *r)
{
	static const struct {
		const char name[5];
		enum pop3_cmd cmd;
	} cmds[] = {
		{ "CAPA", POP3_CMD_CAPA }, { "STLS", POP3_CMD_STLS },
		{ "USER", POP3_CMD_USER }, { "PASS", POP3_CMD_PASS },
		{ "QUIT", POP3_CMD_QUIT }, { "AUTH", POP3_CMD_AUTH },
	};
	const char *sp;
	size_t n = 0, tok;

	/* 2.2 drops CR wherever it appears. */
	for (size_t i = 0; i < *len; i++)
		if (line[i] != '\r')
			line[n++] = line[i];
	line[n] = '\0';
	*len = n;

	memset(r, 0, sizeof(*r));
	r->arg = line + n;
	if (n == 0) {
		r->cmd = POP3_CMD_NULL;
		return r->cmd;
	}

	sp = memchr(line, ' ', n);
	tok = sp != NULL ? (size_t)(sp - line) : n;
	/* A prefix: strncasecmp stops at a NUL, which "AUTH" does not match. */
	r->auth_prefix = tok > 0 && tok <= 4 && strncasecmp(line, "AUTH", tok) == 0;
	if (sp != NULL) {
		r->arg = sp + 1;
		r->arg_len = n - tok - 1;
		/* Every single space starts another token. */
		r->nargs = 1;
		for (size_t i = 0; i < r->arg_len; i++)
			if (r->arg[i] == ' ')
				r->nargs++;
		r->arg_has_nul = memchr(r->arg, '\0', r->arg_len) != NULL;
	}

	if (tok != 4) {
		r->cmd = POP3_CMD_SHORT;
		return r->cmd;
	}
	r->cmd = POP3_CMD_UNKNOWN;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (str_eq_ci_n(line, 4, cmds[i].name)) {
			r->cmd = cmds[i].cmd;
			break;
		}
	}
	return r->cmd;
}

static void decide_error(struct pop3_decision *d, const char *text, bool sleep)
{
	d->act = POP3_ACT_ERROR;
	d->text = text;
	d->sleep = sleep;
}

void pop3_decide(const struct pop3_request *r, bool tls_listen,
		 bool tls_active, bool have_user, struct pop3_decision *d)
{
	bool offer = tls_listen && !tls_active;

	memset(d, 0, sizeof(*d));
	switch (r->cmd) {
	case POP3_CMD_NULL:
		decide_error(d, R_NULL, true);
		return;
	case POP3_CMD_SHORT:
		/* Clients probing AUTH get their answer at once (2.2). */
		decide_error(d, offer ? R_SHORT_STLS : R_SHORT, !r->auth_prefix);
		return;
	case POP3_CMD_UNKNOWN:
		decide_error(d, offer ? R_UNKNOWN_STLS : R_UNKNOWN,
			     !r->auth_prefix);
		return;
	case POP3_CMD_CAPA:
		if (r->nargs != 0)
			decide_error(d, R_TRY_CAPA, true);
		else
			d->act = POP3_ACT_CAPA;
		return;
	case POP3_CMD_STLS:
		if (!tls_listen)
			decide_error(d, R_UNKNOWN, true);
		else if (r->nargs != 0)
			decide_error(d, R_TRY_STLS, true);
		else if (tls_active)
			decide_error(d, R_TLS_ACTIVE, true);
		else {
			d->act = POP3_ACT_STLS;
			d->text = R_STLS;
		}
		return;
	case POP3_CMD_USER:
		if (r->nargs != 1 || r->arg_len == 0 || r->arg_has_nul)
			decide_error(d, R_TRY_USER, true);
		else
			d->act = POP3_ACT_USER;
		return;
	case POP3_CMD_PASS:
		if (!have_user)
			decide_error(d, R_NO_USER, true);
		else if (r->nargs == 0 || r->arg_has_nul)
			decide_error(d, R_TRY_PASS, true);
		else
			d->act = POP3_ACT_PASS;
		return;
	case POP3_CMD_AUTH:
		/* Answered at once, as 2.2 answered any AUTH. */
		d->act = r->nargs == 0 ? POP3_ACT_AUTH_LIST : POP3_ACT_AUTH;
		return;
	case POP3_CMD_QUIT:
		if (r->nargs != 0)
			decide_error(d, R_TRY_QUIT, true);
		else {
			d->act = POP3_ACT_QUIT;
			d->text = R_QUIT;
		}
		return;
	}
	decide_error(d, R_UNKNOWN, true);
}

static size_t append(char *out, size_t n, const char *s, size_t len)
{
	memcpy(out + n, s, len);
	return n + len;
}

char *pop3_capa_reply(const char *caps, bool add_stls, size_t *len_r)
{
	const char *sep, *p;
	size_t seplen, n = 0, clen;
	char *out;

	if (caps == NULL)
		caps = "";
	clen = strlen(caps);
	if (strchr(caps, '.') != NULL) {
		sep = ".";
		seplen = 1;
	} else {
		sep = "  ";
		seplen = 2;
	}
	/* Each entry grows by at most its CR LF over its separator. */
	out = xmalloc(sizeof(R_CAPA "\r\n") + 2 * clen + 2 +
		      sizeof("STLS\r\n.\r\n"));
	n = append(out, n, R_CAPA "\r\n", sizeof(R_CAPA "\r\n") - 1);
	for (p = caps;;) {
		const char *q = strstr(p, sep);
		size_t elen = q != NULL ? (size_t)(q - p) : strlen(p);

		/* STLS is ours to add or leave out. */
		if (elen > 0 && !str_eq_ci_n(p, elen, "STLS")) {
			n = append(out, n, p, elen);
			n = append(out, n, "\r\n", 2);
		}
		if (q == NULL)
			break;
		p = q + seplen;
	}
	if (add_stls)
		n = append(out, n, "STLS\r\n", 6);
	n = append(out, n, ".\r\n", 3);
	out[n] = '\0';
	*len_r = n;
	return out;
}

bool pop3_is_ok(const char *line, size_t len)
{
	return proto_starts_token(line, len, "+OK");
}

/* ---------------------------------------------------------- client side */

static enum proto_result pop3_greeting(struct session *s)
{
	return proto_sent(conn_printf(&s->client, "+OK POP3 %s\r\n", s->loop_token));
}

static enum proto_result send_capa(struct session *s)
{
	size_t len;
	char *reply = pop3_capa_reply(s->cfg->pop_capability,
				      proto_offer_tls(s), &len);
	enum proto_result r = proto_client_write(s, reply, len);

	free(reply);
	return r;
}

/* The name of USER, kept (malloc'd, *user) until PASS takes it. */
static enum proto_result set_user(struct session *s, char **user,
				  const struct pop3_request *req)
{
	str_wipe_free(*user);
	*user = xstrndup(req->arg, req->arg_len);
	return proto_sent(conn_printf(&s->client, "+OK USER %s set, mate\r\n",
				      *user));
}

/* PASS: the credentials, with the name USER gave. */
static enum proto_result take_credentials(struct auth *a, char **user,
					  const struct pop3_request *req)
{
	a->authz = NULL;
	a->user = *user;
	a->user_len = strlen(*user); /* USER refused a NUL */
	a->passwd = xstrndup(req->arg, req->arg_len);
	a->tag[0] = '\0';
	*user = NULL;
	/* Anything the client pipelined stays in the connection's buffer
	 * for the relay (D-5). */
	return PROTO_CREDENTIALS;
}

/* A refused AUTH exchange: answered after the sleep; a failed attempt. */
static enum proto_result auth_refuse(struct session *s, const char *text)
{
	enum proto_result r;

	session_error_sleep();
	r = proto_client_line(s, text);
	return r != PROTO_OK ? r : PROTO_AUTH_FAILED;
}

/* Decode the SASL PLAIN response b64[0..len) into credentials. */
static enum proto_result auth_response(struct session *s, struct auth *a,
				       const char *b64, size_t len)
{
	struct sasl_plain p;
	enum sasl_plain_result r;
	char text[128];

	/* "=" is the empty initial response of RFC 5034. */
	if (len == 1 && b64[0] == '=')
		len = 0;
	r = sasl_plain_decode(b64, len, false, &p);
	if (r != SASL_PLAIN_OK) {
		snprintf(text, sizeof(text), "-ERR %s", sasl_plain_result_text(r));
		return auth_refuse(s, text);
	}
	if (p.authz != NULL && strcmp(p.authz, p.authc) != 0 &&
	    !s->cfg->sasl_authorisation_id) {
		sasl_plain_free(&p);
		return auth_refuse(s, R_AUTH_AUTHZ);
	}
	a->authz = p.authz;
	a->user = p.authc;
	a->user_len = strlen(p.authc);
	a->passwd = p.passwd;
	a->tag[0] = '\0';
	return PROTO_CREDENTIALS;
}

/* AUTH PLAIN without an initial response: "+ ", then the client's line
 * (bounded by the longest message we take); "*" cancels. */
static enum proto_result auth_continue(struct session *s, struct auth *a)
{
	size_t cap = SASL_PLAIN_B64_MAX + 2, len;
	enum proto_result res = proto_client_write(s, "+ \r\n", 4);
	char *line;
	int r;

	if (res != PROTO_OK)
		return res;
	line = xmalloc(cap);
	r = conn_read_line(&s->client, line, SASL_PLAIN_B64_MAX, &len);
	if (r == CONN_TOOLONG)
		res = auth_refuse(s, R_AUTH_TOO_LONG);
	else if (r != CONN_OK)
		res = proto_read_failed(r);
	else if (len == 1 && line[0] == '*')
		res = auth_refuse(s, R_AUTH_CANCELLED);
	else
		res = auth_response(s, a, line, len);
	explicit_bzero(line, cap);
	free(line);
	return res;
}

/* "AUTH <mechanism> [<initial response>]" (RFC 5034). */
static enum proto_result auth_command(struct session *s, struct auth *a,
				      const struct pop3_request *req)
{
	const char *sp = memchr(req->arg, ' ', req->arg_len);
	size_t mlen = sp != NULL ? (size_t)(sp - req->arg) : req->arg_len;

	if (req->nargs > 2 || mlen == 0 || req->arg_has_nul ||
	    (sp != NULL && sp + 1 == req->arg + req->arg_len)) {
		session_error_sleep();
		return proto_client_line(s, R_AUTH_ARGS);
	}
	if (!str_eq_ci_n(req->arg, mlen, "PLAIN"))
		return proto_client_line(s, R_AUTH_MECH);
	if (sp == NULL)
		return auth_continue(s, a);
	return auth_response(s, a, sp + 1, req->arg_len - mlen - 1);
}

/* Carry out the decision d on the request req. */
static enum proto_result act(struct session *s, struct auth *a, char **user,
			     const struct pop3_request *req,
			     const struct pop3_decision *d)
{
	enum proto_result r;

	switch (d->act) {
	case POP3_ACT_ERROR:
		if (d->sleep)
			session_error_sleep();
		return proto_client_line(s, d->text);
	case POP3_ACT_CAPA:
		return send_capa(s);
	case POP3_ACT_STLS:
		r = proto_client_line(s, d->text);
		return r != PROTO_OK ? r : proto_start_tls(s);
	case POP3_ACT_USER:
		return set_user(s, user, req);
	case POP3_ACT_PASS:
		return take_credentials(a, user, req);
	case POP3_ACT_QUIT:
		r = proto_client_line(s, d->text);
		return r != PROTO_OK ? r : PROTO_QUIT;
	case POP3_ACT_AUTH_LIST:
		return proto_client_write(s, R_AUTH_LIST, strlen(R_AUTH_LIST));
	case POP3_ACT_AUTH:
		return auth_command(s, a, req);
	}
	return PROTO_OK;
}

/* Read and answer one client line; line holds MAX_LINE_LENGTH + 1 bytes. */
static enum proto_result read_step(struct session *s, struct auth *a,
				   char **user, char *line)
{
	struct pop3_request req;
	struct pop3_decision d;
	size_t len;
	int r = conn_read_line(&s->client, line, MAX_LINE_LENGTH, &len);

	if (r == CONN_TOOLONG) {
		session_error_sleep();
		return proto_client_line(s, R_TOO_LONG);
	}
	if (r != CONN_OK)
		return proto_read_failed(r);
	pop3_parse(line, &len, &req);
	pop3_decide(&req, s->cfg->tls_listen, session_client_tls(s),
		    *user != NULL, &d);
	return act(s, a, user, &req, &d);
}

static enum proto_result pop3_read_auth(struct session *s, struct auth *a)
{
	char line[MAX_LINE_LENGTH + 1];
	char *user = NULL;
	enum proto_result r;

	do
		r = read_step(s, a, &user, line);
	while (r == PROTO_OK);
	str_wipe_free(user);
	/* The last line may have held the password. */
	explicit_bzero(line, sizeof(line));
	return r;
}

/* ---------------------------------------------------------- server side */

/* Send "<verb1><arg1>\r\n" and, when verb2 is not NULL,
 * "<verb2><arg2>\r\n" in one write; returns 0 or -1. */
static int server_cmd(struct session *s, const char *verb1, const char *arg1,
		      const char *verb2, const char *arg2)
{
	size_t l1 = strlen(verb1) + strlen(arg1) + 2;
	size_t l2 = verb2 != NULL ? strlen(verb2) + strlen(arg2) + 2 : 0;
	char *buf = xmalloc(l1 + l2 + 1);
	size_t n = 0;
	int r;

	n = append(buf, n, verb1, strlen(verb1));
	n = append(buf, n, arg1, strlen(arg1));
	n = append(buf, n, "\r\n", 2);
	if (verb2 != NULL) {
		n = append(buf, n, verb2, strlen(verb2));
		n = append(buf, n, arg2, strlen(arg2));
		n = append(buf, n, "\r\n", 2);
	}
	r = conn_write(&s->server, buf, n);
	/* The buffer may hold the password. */
	explicit_bzero(buf, n);
	free(buf);
	return r;
}

static bool has_crlf(const char *p)
{
	return strpbrk(p, "\r\n") != NULL;
}

/* What a CAPA list tells us. */
enum { CAP_STLS = 1, CAP_PIPELINING = 2, CAP_XCLIENT = 4 };

static const struct proto_cap server_caps[] = {
	{ "STLS", CAP_STLS, false },
	{ "PIPELINING", CAP_PIPELINING, true },
	{ "XCLIENT", CAP_XCLIENT, false },
	{ NULL, 0, false },
};

static bool is_dot_line(const char *line, size_t len)
{
	return len == 1 && line[0] == '.';
}

/* CAPA to the real server; *caps: what it lists (none after -ERR). */
static enum login_result server_capa(struct session *s, unsigned *caps,
				     const char **reason_r)
{
	char line[MAX_LINE_LENGTH + 1];
	size_t len;

	*caps = 0;
	if (conn_write(&s->server, "CAPA\r\n", 6) < 0 ||
	    proto_server_line(s, line, &len) != CONN_OK)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	if (pop3_is_ok(line, len) &&
	    proto_read_caps(s, is_dot_line, server_caps, caps, line,
			    &len) != PROTO_CAPS_OK)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	return LOGIN_OK;
}

/* tls_outgoing: CAPA, look for STLS (and PIPELINING), then STLS and a
 * handshake. */
static enum login_result server_stls(struct session *s, bool *pipelining,
				     const char **reason_r)
{
	bool force = s->cfg->tls_outgoing_force;
	char line[MAX_LINE_LENGTH + 1];
	unsigned caps = 0;
	size_t len;
	enum login_result r = server_capa(s, &caps, reason_r);

	if (r != LOGIN_OK)
		return r;
	if (caps & CAP_PIPELINING)
		*pipelining = true;
	if (!(caps & CAP_STLS))
		return force ? proto_login_fail(s, reason_r, REASON_NO_TLS, true) :
			LOGIN_OK;

	if (conn_write(&s->server, "STLS\r\n", 6) < 0 ||
	    proto_server_line(s, line, &len) != CONN_OK)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	if (!pop3_is_ok(line, len))
		return proto_login_fail(s, reason_r, force ? REASON_NO_TLS :
					REASON_NEGOTIATION, true);
	if (session_tls_server(s) < 0)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	/* What the server said before TLS no longer counts (RFC 2595). */
	*pipelining = false;
	return LOGIN_OK;
}

/* The real server's greeting: "+OK", and not our own (a loop).
 * *xclient_r: it says "+OK [XCLIENT]" (Dovecot, to a trusted proxy). */
static enum login_result server_greeting(struct session *s, bool *xclient_r,
					 const char **reason_r)
{
	char line[MAX_LINE_LENGTH + 1];
	size_t len;

	if (proto_server_line(s, line, &len) != CONN_OK)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	if (!pop3_is_ok(line, len) || proto_loop_detected(s, line, len))
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, true);
	*xclient_r = len >= 13 && strncasecmp(line + 4, "[XCLIENT]", 9) == 0;
	return LOGIN_OK;
}

/* forward_client_address: XCLIENT when the server lists it, in its
 * greeting (listed) or else in its CAPA. */
static enum login_result server_xclient(struct session *s, bool listed,
					const char **reason_r)
{
	unsigned caps = 0;

	if (!listed) {
		enum login_result r = server_capa(s, &caps, reason_r);

		if (r != LOGIN_OK)
			return r;
		listed = (caps & CAP_XCLIENT) != 0;
	}
	if (listed && xclient_send(s, "+OK") < 0)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	return LOGIN_OK;
}

/* USER and PASS, in one write when the server pipelines. */
static enum login_result server_user_pass(struct session *s, const char *user,
					  const char *passwd, bool pipelining,
					  char *resp, size_t resplen,
					  const char **reason_r)
{
	char line[MAX_LINE_LENGTH + 1];
	size_t len;

	if (server_cmd(s, "USER ", user, pipelining ? "PASS " : NULL, passwd) < 0 ||
	    proto_server_line(s, line, &len) != CONN_OK)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	proto_set_resp(resp, resplen, line);
	if (!pop3_is_ok(line, len)) {
		/* Drain the PASS reply we already asked for. */
		if (pipelining && proto_server_line(s, line, &len) != CONN_OK)
			return proto_login_fail(s, reason_r, REASON_REAUTH, false);
		return proto_login_fail(s, reason_r, REASON_REAUTH, true);
	}
	if ((!pipelining && server_cmd(s, "PASS ", passwd, NULL, NULL) < 0) ||
	    proto_server_line(s, line, &len) != CONN_OK)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	proto_set_resp(resp, resplen, line);
	if (!pop3_is_ok(line, len))
		return proto_login_fail(s, reason_r, REASON_REAUTH, true);
	return LOGIN_OK;
}

/* AUTH PLAIN with the initial response (RFC 5034): the only way to pass
 * on an authorisation id the client was allowed to send. */
static enum login_result server_auth_plain(struct session *s,
					   const struct auth *a,
					   const char *user, char *resp,
					   size_t resplen, const char **reason_r)
{
	char line[MAX_LINE_LENGTH + 1];
	size_t blen, len;
	char *b64 = sasl_plain_encode(a->authz, user, a->passwd, &blen);
	int r = server_cmd(s, "AUTH PLAIN ", b64, NULL, NULL);

	explicit_bzero(b64, blen);
	free(b64);
	if (r < 0 || proto_server_line(s, line, &len) != CONN_OK)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	proto_set_resp(resp, resplen, line);
	if (!pop3_is_ok(line, len))
		return proto_login_fail(s, reason_r, REASON_REAUTH, true);
	return LOGIN_OK;
}

static enum login_result pop3_server_login(struct session *s,
					   const struct auth *a,
					   const char *user, char *resp,
					   size_t resplen, const char **reason_r)
{
	bool pipelining = false, xclient = false;

	proto_set_resp(resp, resplen, "");
	if (server_greeting(s, &xclient, reason_r) != LOGIN_OK)
		return LOGIN_FAILED;
	if (s->cfg->tls_outgoing &&
	    server_stls(s, &pipelining, reason_r) != LOGIN_OK)
		return LOGIN_FAILED;
	if (s->cfg->forward_client_address &&
	    server_xclient(s, xclient, reason_r) != LOGIN_OK)
		return LOGIN_FAILED;
	/* Never let a name or password smuggle in another command. */
	if (has_crlf(user) || has_crlf(a->passwd))
		return proto_login_fail(s, reason_r, REASON_REAUTH, true);
	if (a->authz != NULL && strcmp(a->authz, a->user) != 0)
		return server_auth_plain(s, a, user, resp, resplen, reason_r);
	return server_user_pass(s, user, a->passwd, pipelining, resp, resplen,
				reason_r);
}

static void pop3_reply_ok(struct session *s, const struct auth *a,
			  const char *resp)
{
	(void)a;
	if (proto_pass_resp(s, resp))
		(void)conn_printf(&s->client, "%s\r\n", resp);
	else
		(void)conn_printf(&s->client, "+OK %s\r\n", s->cfg->ok_line);
}

static void pop3_reply_fail(struct session *s, const struct auth *a,
			    const char *reason, const char *resp)
{
	(void)a;
	if (proto_pass_resp_fail(s, reason, resp))
		(void)conn_printf(&s->client, "%s\r\n", resp);
	else
		(void)conn_printf(&s->client, "-ERR failed: %s\r\n",
				  reason != NULL ? reason : "");
}

/* POP3 and POP3S differ only in name and port. */
#define POP3_PROTOCOL(name_, port_, numeric_port_) {			\
	.name = name_, .port = port_, .numeric_port = numeric_port_,	\
	.busy_line = "-ERR Too many connections, mate\r\n",		\
	.failed_limit_line = "-ERR Too many failed logins\r\n",	\
	.auth_failure = "-ERR Authentication failure, mate\r\n",	\
	.bye = "QUIT", .tagged = false,					\
	.greeting = pop3_greeting, .read_auth = pop3_read_auth,		\
	.server_login = pop3_server_login, .reply_ok = pop3_reply_ok,	\
	.reply_fail = pop3_reply_fail, .relay_timeout = NULL,		\
}

const struct protocol protocol_pop3 = POP3_PROTOCOL("POP3", "pop3", "110");
const struct protocol protocol_pop3s = POP3_PROTOCOL("POP3S", "pop3s", "995");
