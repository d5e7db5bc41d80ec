/*
 * managesieve.c: ManageSieve (RFC 5804): the client's pre-authentication
 * dialogue (capabilities, NOOP, LOGOUT, STARTTLS, AUTHENTICATE "PLAIN")
 * and the login on the real server with AUTHENTICATE "PLAIN".
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
#include "imap_token.h"
#include "log.h"
#include "managesieve.h"
#include "options.h"
#include "protocol.h"
#include "session.h"
#include "str.h"

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
#define T_PLAIN_ARGS "Incorrect argument count, expected " \
	"AUTHENTICATE \"PLAIN\" <challenge>, mate"
#define T_PLAIN_BAD "Invalid AUTHENTICATE \"PLAIN\" challenge, mate"
#define T_BASE64 "Invalid base64 encoded challenge, mate"
#define T_EMPTY "Empty challenge, mate"
#define T_NO_AUTHC "Challenge has no authentication id, mate"
#define T_EMPTY_AUTHC "Empty authentication id, mate"
#define T_NO_PASSWD "Challenge has no password, mate"
#define T_TRAILING "Trailing garbage in challenge, mate"
/* Our own: 2.2 has no line limit we could match. */
#define T_TOO_LONG "Line too long, mate"

/* Most capability lines we read from a real server. */
#define MAX_SERVER_CAPA_LINES 256

static bool eq_ci(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

/* Does line[0..len) start with the token tok (then a space or its end)? */
static bool starts_token(const char *line, size_t len, const char *tok)
{
	size_t n = strlen(tok);

	return len >= n && eq_ci(line, tok, n) && (len == n || line[n] == ' ');
}

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
	size_t n = strlen(name);

	return c->name_len == n && n < sizeof(c->name) && eq_ci(c->name, name, n);
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
	    c->args[0].len != 5 || !eq_ci(c->args[0].data, "PLAIN", 5)) {
		decide_no(d, T_AUTH_MECH);
		return;
	}
	if (count == 1) {
		decide_no(d, T_PLAIN_ARGS);
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

/* ------------------------------------------------------- base64, PLAIN */

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_value(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

long sieve_base64_decode(const char *in, size_t len, unsigned char *out,
			 size_t outlen)
{
	size_t n = 0;

	if (len % 4 != 0)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		bool last = i + 4 == len;
		int v[4];
		size_t pad = 0;

		for (int k = 0; k < 4; k++) {
			unsigned char ch = (unsigned char)in[i + k];

			/* '=' only as the last one or two bytes of input. */
			if (ch == '=' && last && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad > 0)
				return -1;
			v[k] = b64_value(ch);
			if (v[k] < 0)
				return -1;
		}
		if (n + 3 - pad > outlen)
			return -1;
		out[n++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[n++] = (unsigned char)((v[1] & 0xf) << 4 | v[2] >> 2);
		if (pad < 1)
			out[n++] = (unsigned char)((v[2] & 0x3) << 6 | v[3]);
	}
	return (long)n;
}

size_t sieve_base64_encode(const unsigned char *in, size_t len, char *out,
			   size_t outlen)
{
	size_t n = 0;

	if (outlen < SIEVE_BASE64_SIZE(len)) {
		if (outlen > 0)
			out[0] = '\0';
		return 0;
	}
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		size_t left = len - i;

		if (left > 1)
			v |= (unsigned)in[i + 1] << 8;
		if (left > 2)
			v |= in[i + 2];
		out[n++] = b64_alphabet[v >> 18 & 63];
		out[n++] = b64_alphabet[v >> 12 & 63];
		out[n++] = left > 1 ? b64_alphabet[v >> 6 & 63] : '=';
		out[n++] = left > 2 ? b64_alphabet[v & 63] : '=';
	}
	out[n] = '\0';
	return n;
}

const char *sieve_plain_decode(const char *b64, size_t len, char **authz_r,
			       char **user_r, char **passwd_r)
{
	size_t cap = len / 4 * 3 + 1;
	unsigned char *buf = xmalloc(cap);
	const char *err = NULL;
	const unsigned char *end, *authc, *pw, *z;
	long n = sieve_base64_decode(b64, len, buf, cap);

	if (n < 0) {
		err = T_BASE64;
		goto out;
	}
	if (n == 0) {
		err = T_EMPTY;
		goto out;
	}
	end = buf + n;
	z = memchr(buf, '\0', (size_t)n);
	if (z == NULL) {
		err = T_NO_AUTHC;
		goto out;
	}
	authc = z + 1;
	z = memchr(authc, '\0', (size_t)(end - authc));
	if ((z != NULL ? z : end) == authc) {
		err = T_EMPTY_AUTHC;
		goto out;
	}
	if (z == NULL) {
		err = T_NO_PASSWD;
		goto out;
	}
	pw = z + 1;
	if (memchr(pw, '\0', (size_t)(end - pw)) != NULL) {
		err = T_TRAILING;
		goto out;
	}
	*authz_r = authc - 1 > buf ?
		xstrndup((const char *)buf, (size_t)(authc - 1 - buf)) : NULL;
	*user_r = xstrndup((const char *)authc, (size_t)(z - authc));
	*passwd_r = xstrndup((const char *)pw, (size_t)(end - pw));
out:
	explicit_bzero(buf, cap);
	free(buf);
	return err;
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
		if (elen > 0 && !(elen == 10 && eq_ci(p, "\"STARTTLS\"", 10))) {
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

/* "<status> "<text>"", or a literal when text holds CR or LF (2.2). */
static int status_line(struct session *s, const char *status, const char *text)
{
	if (strpbrk(text, "\r\n") != NULL)
		return conn_printf(&s->client, "%s {%zu}\r\n%s\r\n", status,
				   strlen(text), text);
	return conn_printf(&s->client, "%s \"%s\"\r\n", status, text);
}

static void client_status(struct session *s, const char *status,
			  const char *text)
{
	if (status_line(s, status, text) < 0)
		client_write_fatal(s);
}

static void send_capabilities(struct session *s)
{
	size_t len;
	char *lines = sieve_capa_lines(options.managesieve_capability,
				       tls_listen_mode() &&
				       !session_client_tls(s), &len);
	int r = conn_write(&s->client, lines, len);

	free(lines);
	if (r < 0)
		client_write_fatal(s);
}

static void sieve_greeting(struct session *s)
{
	send_capabilities(s);
	client_status(s, "OK", s->loop_token);
}

/* OK (TAG <string>) "NOOP completed, mate" (RFC 5804, D-7). */
static void noop_tag(struct session *s, const struct sieve_arg *tag)
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
	if (r < 0)
		client_write_fatal(s);
}

/*
 * Read one command, with the literals it carries (no continuation is
 * sent, as 2.2).  Returns 0, or -1 for a line over the limit (c is then
 * empty).  EOF, errors and timeouts end the child.
 */
static int read_command(struct session *s, struct sieve_cmd *c, char *line)
{
	bool first = true;

	sieve_cmd_init(c);
	for (;;) {
		size_t len;
		int r = conn_read_line(&s->client, line, MAX_LINE_LENGTH, &len);
		char *lit;

		if (r == CONN_TOOLONG) {
			sieve_cmd_free(c);
			return -1;
		}
		if (r != CONN_OK) {
			sieve_cmd_free(c);
			session_client_read_fatal(s, r);
		}
		if (sieve_parse_line(c, line, len, first) == SIEVE_PARSE_DONE)
			return 0;
		first = false;
		lit = xmalloc(c->literal + 1);
		if (c->literal > 0) {
			r = conn_read_exact(&s->client, lit, c->literal);
			if (r != CONN_OK) {
				free(lit);
				sieve_cmd_free(c);
				session_client_read_fatal(s, r);
			}
		}
		sieve_add_literal(c, lit, c->literal);
		explicit_bzero(lit, c->literal + 1);
		free(lit);
	}
}

static int sieve_read_auth(struct session *s, struct auth *a)
{
	char line[MAX_LINE_LENGTH + 1];

	for (;;) {
		struct sieve_cmd c;
		struct sieve_decision d;
		const char *err;

		if (read_command(s, &c, line) < 0) {
			session_error_sleep();
			client_status(s, "NO", T_TOO_LONG);
			continue;
		}
		sieve_decide(&c, tls_listen_mode(), session_client_tls(s), &d);
		switch (d.act) {
		case SIEVE_ACT_NO:
			session_error_sleep();
			client_status(s, "NO", d.text);
			break;
		case SIEVE_ACT_CAPABILITY:
			send_capabilities(s);
			client_status(s, "OK", "CAPABILITY completed, mate");
			break;
		case SIEVE_ACT_NOOP:
			client_status(s, "OK", "NOOP completed, mate");
			break;
		case SIEVE_ACT_NOOP_TAG:
			noop_tag(s, &c.args[0]);
			break;
		case SIEVE_ACT_LOGOUT:
			client_status(s, "OK", "LOGOUT completed, mate");
			sieve_cmd_free(&c);
			session_null_close(s);
		case SIEVE_ACT_STARTTLS:
			client_status(s, "OK", "Begin TLS negotiation, mate");
			if (session_tls_client(s) < 0) {
				log_err("Fatal error negotiating TLS with "
					"client%s: Exiting child", s->from_to);
				_exit(EXIT_FATAL);
			}
			send_capabilities(s);
			client_status(s, "OK", "TLS negotiation completed, mate");
			break;
		case SIEVE_ACT_AUTH:
			err = sieve_plain_decode(c.args[1].data, c.args[1].len,
						 &a->authz, &a->user,
						 &a->passwd);
			if (err != NULL) {
				session_error_sleep();
				client_status(s, "NO", err);
				break;
			}
			/* Split at the NULs: neither id can hold one. */
			a->user_len = strlen(a->user);
			a->tag[0] = '\0';
			sieve_cmd_free(&c);
			explicit_bzero(line, sizeof(line));
			/* Pipelined bytes stay buffered for the relay (D-5). */
			return READ_AUTH_OK;
		}
		sieve_cmd_free(&c);
	}
}

/* ------------------------------------------------------- server side */

static int server_line(struct session *s, char *line, size_t *len)
{
	return conn_read_line(&s->server, line, MAX_LINE_LENGTH, len);
}

static void set_resp(char *resp, size_t resplen, const char *line)
{
	if (resplen > 0)
		str_copy(resp, line, resplen);
}

static enum login_result fail(struct session *s, const char **reason_r,
			      const char *reason, bool logout)
{
	if (logout)
		session_server_bye(s, "LOGOUT\r\n");
	*reason_r = reason;
	return LOGIN_FAILED;
}

/* Results of read_server_caps(). */
enum { CAPS_OK = 0, CAPS_DEAD = -1, CAPS_BAD = -2 };

/*
 * Read the real server's capability lines up to its first atom line,
 * which must be OK.  Notes "STARTTLS" and any "SASL" line.
 */
static int read_server_caps(struct session *s, bool *stls, bool *sasl)
{
	char line[MAX_LINE_LENGTH + 1];
	size_t len;

	*stls = *sasl = false;
	for (int i = 0; i < MAX_SERVER_CAPA_LINES; i++) {
		if (server_line(s, line, &len) != CONN_OK)
			return CAPS_DEAD;
		if (len > 0 && line[0] == '"') {
			if (starts_token(line, len, "\"STARTTLS\""))
				*stls = true;
			else if (starts_token(line, len, "\"SASL\""))
				*sasl = true;
			continue;
		}
		if (!starts_token(line, len, "OK"))
			return CAPS_BAD;
		/* 2.2 had no loop check here; our greeting token makes one
		 * possible (D-9). */
		if (s->loop_token[0] != '\0' &&
		    memmem(line, len, s->loop_token,
			   strlen(s->loop_token)) != NULL) {
			log_info("Loop detected, abandoning connection%s",
				 s->from_to);
			return CAPS_BAD;
		}
		return CAPS_OK;
	}
	return CAPS_BAD;
}

static enum login_result caps_fail(struct session *s, const char **reason_r,
				   int r)
{
	return fail(s, reason_r, REASON_NEGOTIATION, r == CAPS_BAD);
}

/* AUTHENTICATE "PLAIN" "<base64(authzid NUL authcid NUL passwd)>" */
static int send_plain(struct session *s, const char *authz, const char *user,
		      const char *passwd)
{
	static const char head[] = "AUTHENTICATE \"PLAIN\" \"";
	size_t zl = strlen(authz), ul = strlen(user), pl = strlen(passwd);
	size_t ml = zl + 1 + ul + 1 + pl;
	size_t bl = SIEVE_BASE64_SIZE(ml);
	size_t cl = sizeof(head) - 1 + bl + 3;
	unsigned char *msg = xmalloc(ml);
	char *cmd = xmalloc(cl);
	size_t n;
	int r;

	memcpy(msg, authz, zl);
	msg[zl] = '\0';
	memcpy(msg + zl + 1, user, ul);
	msg[zl + 1 + ul] = '\0';
	memcpy(msg + zl + 2 + ul, passwd, pl);
	memcpy(cmd, head, sizeof(head) - 1);
	n = sizeof(head) - 1;
	n += sieve_base64_encode(msg, ml, cmd + n, bl);
	memcpy(cmd + n, "\"\r\n", 3);
	n += 3;
	r = conn_write(&s->server, cmd, n);
	explicit_bzero(msg, ml);
	explicit_bzero(cmd, cl);
	free(msg);
	free(cmd);
	return r;
}

static enum login_result sieve_server_login(struct session *s,
					    const struct auth *a,
					    const char *user, char *resp,
					    size_t resplen,
					    const char **reason_r)
{
	char line[MAX_LINE_LENGTH + 1];
	bool stls, sasl;
	size_t len;
	int r;

	set_resp(resp, resplen, "");
	r = read_server_caps(s, &stls, &sasl);
	if (r != CAPS_OK)
		return caps_fail(s, reason_r, r);

	if (options.ssl_mode &
	    (SSL_MODE_TLS_OUTGOING | SSL_MODE_TLS_OUTGOING_FORCE)) {
		if (stls) {
			if (conn_write(&s->server, "STARTTLS\r\n", 10) < 0 ||
			    server_line(s, line, &len) != CONN_OK)
				return fail(s, reason_r, REASON_NEGOTIATION,
					    false);
			if (!starts_token(line, len, "OK"))
				return fail(s, reason_r, REASON_NEGOTIATION,
					    true);
			if (session_tls_server(s) < 0)
				return fail(s, reason_r, REASON_NEGOTIATION,
					    false);
			/* The server states its capabilities again. */
			r = read_server_caps(s, &stls, &sasl);
			if (r != CAPS_OK)
				return caps_fail(s, reason_r, r);
		} else if (options.ssl_mode & SSL_MODE_TLS_OUTGOING_FORCE) {
			/* 2.2 ends the child here; a client error is kinder. */
			return fail(s, reason_r, REASON_NO_TLS, true);
		}
	}
	if (!sasl)
		return fail(s, reason_r, REASON_NO_SASL, true);

	if (send_plain(s, a->authz != NULL ? a->authz : "", user,
		       a->passwd != NULL ? a->passwd : "") < 0 ||
	    server_line(s, line, &len) != CONN_OK)
		return fail(s, reason_r, REASON_NEGOTIATION, false);
	set_resp(resp, resplen, line);
	if (!starts_token(line, len, "OK"))
		return fail(s, reason_r, REASON_REAUTH, true);
	return LOGIN_OK;
}

static bool resp_line_mode(void)
{
	return options.server_resp_line || options.server_ok_line;
}

static void sieve_reply_ok(struct session *s, const struct auth *a,
			   const char *resp)
{
	(void)a;
	if (resp_line_mode() && resp != NULL && resp[0] != '\0')
		(void)conn_printf(&s->client, "%s\r\n", resp);
	else
		(void)status_line(s, "OK",
				  options.ok_line != NULL ? options.ok_line : "");
}

static void sieve_reply_fail(struct session *s, const struct auth *a,
			     const char *reason, const char *resp)
{
	(void)a;
	if (resp_line_mode() && resp != NULL && resp[0] != '\0' &&
	    reason != NULL && strcmp(reason, REASON_REAUTH) == 0)
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
	.greeting = sieve_greeting,
	.read_auth = sieve_read_auth,
	.server_login = sieve_server_login,
	.reply_ok = sieve_reply_ok,
	.reply_fail = sieve_reply_fail,
	.relay_timeout = sieve_relay_timeout,
};
