/*
 * pop3.c: POP3 and POP3S: the client's pre-authentication dialogue
 * (greeting, CAPA, STLS, USER, PASS, QUIT) and the login on the real
 * server (greeting and loop check, optional STLS, USER and PASS).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "defs.h"
#include "log.h"
#include "options.h"
#include "pop3.h"
#include "protocol.h"
#include "session.h"
#include "str.h"

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

/* Most CAPA lines we read from a real server before giving up. */
#define MAX_SERVER_CAPA_LINES 256

/* Case-insensitive comparison of n bytes, NUL bytes included. */
static bool eq_ci(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

enum pop3_cmd pop3_parse(char *line, size_t *len, struct pop3_request *r)
{
	static const struct {
		const char name[5];
		enum pop3_cmd cmd;
	} cmds[] = {
		{ "CAPA", POP3_CMD_CAPA }, { "STLS", POP3_CMD_STLS },
		{ "USER", POP3_CMD_USER }, { "PASS", POP3_CMD_PASS },
		{ "QUIT", POP3_CMD_QUIT },
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
	r->auth_prefix = tok > 0 && tok <= 4 && eq_ci(line, "AUTH", tok);
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
		if (eq_ci(line, cmds[i].name, 4)) {
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
		if (elen > 0 && !(elen == 4 && eq_ci(p, "STLS", 4))) {
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
	return len >= 3 && eq_ci(line, "+OK", 3) && (len == 3 || line[3] == ' ');
}

/* ---------------------------------------------------------- client side */

static bool tls_listen_mode(void)
{
	return (options.ssl_mode &
		(SSL_MODE_TLS_LISTEN | SSL_MODE_TLS_LISTEN_FORCE)) != 0;
}

static void client_write_fatal(struct session *s) __attribute__((noreturn));
static void client_write_fatal(struct session *s)
{
	log_err("Fatal error writing to client%s: Exiting child", s->from_to);
	_exit(EXIT_FATAL);
}

/* Send one line of ours (CR LF added); a dead client ends the child. */
static void client_line(struct session *s, const char *text)
{
	if (conn_printf(&s->client, "%s\r\n", text) < 0)
		client_write_fatal(s);
}

static void pop3_greeting(struct session *s)
{
	if (conn_printf(&s->client, "+OK POP3 %s\r\n", s->loop_token) < 0)
		client_write_fatal(s);
}

static void send_capa(struct session *s)
{
	size_t len;
	char *reply = pop3_capa_reply(options.pop_capability,
				      tls_listen_mode() &&
				      !session_client_tls(s), &len);
	int r = conn_write(&s->client, reply, len);

	free(reply);
	if (r < 0)
		client_write_fatal(s);
}

static int pop3_read_auth(struct session *s, struct auth *a)
{
	char line[MAX_LINE_LENGTH + 1];
	struct pop3_request req;
	struct pop3_decision d;
	char *user = NULL;

	for (;;) {
		size_t len;
		int r = conn_read_line(&s->client, line, MAX_LINE_LENGTH, &len);

		if (r == CONN_TOOLONG) {
			session_error_sleep();
			client_line(s, R_TOO_LONG);
			continue;
		}
		if (r != CONN_OK) {
			str_wipe_free(user);
			session_client_read_fatal(s, r);
		}

		pop3_parse(line, &len, &req);
		pop3_decide(&req, tls_listen_mode(), session_client_tls(s),
			    user != NULL, &d);
		switch (d.act) {
		case POP3_ACT_ERROR:
			if (d.sleep)
				session_error_sleep();
			client_line(s, d.text);
			break;
		case POP3_ACT_CAPA:
			send_capa(s);
			break;
		case POP3_ACT_STLS:
			client_line(s, d.text);
			if (session_tls_client(s) < 0) {
				log_err("Fatal error negotiating TLS with "
					"client%s: Exiting child", s->from_to);
				str_wipe_free(user);
				_exit(EXIT_FATAL);
			}
			break;
		case POP3_ACT_USER:
			str_wipe_free(user);
			user = xstrndup(req.arg, req.arg_len);
			if (conn_printf(&s->client, "+OK USER %s set, mate\r\n",
					user) < 0)
				client_write_fatal(s);
			break;
		case POP3_ACT_PASS:
			a->authz = NULL;
			a->user = user;
			a->user_len = strlen(user); /* USER refused a NUL */
			a->passwd = xstrndup(req.arg, req.arg_len);
			a->tag[0] = '\0';
			explicit_bzero(line, sizeof(line));
			/* Anything the client pipelined stays in the
			 * connection's buffer for the relay (D-5). */
			return READ_AUTH_OK;
		case POP3_ACT_QUIT:
			client_line(s, d.text);
			str_wipe_free(user);
			session_null_close(s);
		}
	}
}

/* ---------------------------------------------------------- server side */

/* Read one line from the real server; CONN_OK or an error. */
static int server_line(struct session *s, char *line, size_t *len)
{
	return conn_read_line(&s->server, line, MAX_LINE_LENGTH, len);
}

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

static enum login_result fail(struct session *s, const char **reason_r,
			      const char *reason, bool quit)
{
	if (quit)
		session_server_bye(s, "QUIT\r\n");
	*reason_r = reason;
	return LOGIN_FAILED;
}

static void set_resp(char *resp, size_t resplen, const char *line)
{
	if (resplen > 0)
		str_copy(resp, line, resplen);
}

static bool has_crlf(const char *p)
{
	return strpbrk(p, "\r\n") != NULL;
}

/*
 * tls_outgoing: CAPA, look for STLS (and PIPELINING), then STLS and a
 * handshake.  Returns NULL or a failure reason; *quit says whether the
 * server can still be told to QUIT.
 */
static const char *server_stls(struct session *s, bool *pipelining, bool *quit)
{
	bool force = (options.ssl_mode & SSL_MODE_TLS_OUTGOING_FORCE) != 0;
	char line[MAX_LINE_LENGTH + 1];
	bool stls = false;
	size_t len;

	*quit = false;
	if (conn_write(&s->server, "CAPA\r\n", 6) < 0 ||
	    server_line(s, line, &len) != CONN_OK)
		return REASON_NEGOTIATION;
	if (pop3_is_ok(line, len)) {
		for (int i = 0;; i++) {
			if (i == MAX_SERVER_CAPA_LINES ||
			    server_line(s, line, &len) != CONN_OK)
				return REASON_NEGOTIATION;
			if (len == 1 && line[0] == '.')
				break;
			if ((len == 4 || (len > 4 && line[4] == ' ')) &&
			    eq_ci(line, "STLS", 4))
				stls = true;
			if (len == 10 && eq_ci(line, "PIPELINING", 10))
				*pipelining = true;
		}
	}
	*quit = true;
	if (!stls)
		return force ? REASON_NO_TLS : NULL;

	if (conn_write(&s->server, "STLS\r\n", 6) < 0 ||
	    server_line(s, line, &len) != CONN_OK) {
		*quit = false;
		return REASON_NEGOTIATION;
	}
	if (!pop3_is_ok(line, len))
		return force ? REASON_NO_TLS : REASON_NEGOTIATION;
	*quit = false;
	if (session_tls_server(s) < 0)
		return REASON_NEGOTIATION;
	/* What the server said before TLS no longer counts (RFC 2595). */
	*pipelining = false;
	return NULL;
}

static enum login_result pop3_server_login(struct session *s,
					   const struct auth *a,
					   const char *user, char *resp,
					   size_t resplen, const char **reason_r)
{
	char line[MAX_LINE_LENGTH + 1];
	bool pipelining = false;
	size_t len;
	int r;

	set_resp(resp, resplen, "");

	if (server_line(s, line, &len) != CONN_OK)
		return fail(s, reason_r, REASON_NEGOTIATION, false);
	if (!pop3_is_ok(line, len))
		return fail(s, reason_r, REASON_NEGOTIATION, true);
	if (s->loop_token[0] != '\0' &&
	    memmem(line, len, s->loop_token, strlen(s->loop_token)) != NULL) {
		log_info("Loop detected, abandoning connection%s", s->from_to);
		return fail(s, reason_r, REASON_NEGOTIATION, true);
	}

	if (options.ssl_mode &
	    (SSL_MODE_TLS_OUTGOING | SSL_MODE_TLS_OUTGOING_FORCE)) {
		bool quit;
		const char *reason = server_stls(s, &pipelining, &quit);

		if (reason != NULL)
			return fail(s, reason_r, reason, quit);
	}

	/* Never let a name or password smuggle in another command. */
	if (has_crlf(user) || has_crlf(a->passwd))
		return fail(s, reason_r, REASON_REAUTH, true);

	if (pipelining) {
		if (server_cmd(s, "USER ", user, "PASS ", a->passwd) < 0)
			return fail(s, reason_r, REASON_NEGOTIATION, false);
	} else if (server_cmd(s, "USER ", user, NULL, NULL) < 0) {
		return fail(s, reason_r, REASON_NEGOTIATION, false);
	}
	if (server_line(s, line, &len) != CONN_OK)
		return fail(s, reason_r, REASON_NEGOTIATION, false);
	set_resp(resp, resplen, line);
	if (!pop3_is_ok(line, len)) {
		/* Drain the PASS reply we already asked for. */
		if (pipelining && server_line(s, line, &len) != CONN_OK)
			return fail(s, reason_r, REASON_REAUTH, false);
		return fail(s, reason_r, REASON_REAUTH, true);
	}

	if (!pipelining && server_cmd(s, "PASS ", a->passwd, NULL, NULL) < 0)
		return fail(s, reason_r, REASON_NEGOTIATION, false);
	r = server_line(s, line, &len);
	if (r != CONN_OK)
		return fail(s, reason_r, REASON_NEGOTIATION, false);
	set_resp(resp, resplen, line);
	if (!pop3_is_ok(line, len))
		return fail(s, reason_r, REASON_REAUTH, true);
	return LOGIN_OK;
}

static bool resp_line_mode(void)
{
	return options.server_resp_line || options.server_ok_line;
}

static void pop3_reply_ok(struct session *s, const struct auth *a,
			  const char *resp)
{
	(void)a;
	if (resp_line_mode() && resp != NULL && resp[0] != '\0')
		(void)conn_printf(&s->client, "%s\r\n", resp);
	else
		(void)conn_printf(&s->client, "+OK %s\r\n",
				  options.ok_line != NULL ? options.ok_line : "");
}

static void pop3_reply_fail(struct session *s, const struct auth *a,
			    const char *reason, const char *resp)
{
	(void)a;
	if (resp_line_mode() && resp != NULL && resp[0] != '\0' &&
	    reason != NULL && strcmp(reason, REASON_REAUTH) == 0)
		(void)conn_printf(&s->client, "%s\r\n", resp);
	else
		(void)conn_printf(&s->client, "-ERR failed: %s\r\n",
				  reason != NULL ? reason : "");
}

#define POP3_BUSY "-ERR Too many connections, mate\r\n"

const struct protocol protocol_pop3 = {
	.name = "POP3",
	.port = "pop3",
	.numeric_port = "110",
	.busy_line = POP3_BUSY,
	.greeting = pop3_greeting,
	.read_auth = pop3_read_auth,
	.server_login = pop3_server_login,
	.reply_ok = pop3_reply_ok,
	.reply_fail = pop3_reply_fail,
	.relay_timeout = NULL,
};

const struct protocol protocol_pop3s = {
	.name = "POP3S",
	.port = "pop3s",
	.numeric_port = "995",
	.busy_line = POP3_BUSY,
	.greeting = pop3_greeting,
	.read_auth = pop3_read_auth,
	.server_login = pop3_server_login,
	.reply_ok = pop3_reply_ok,
	.reply_fail = pop3_reply_fail,
	.relay_timeout = NULL,
};
