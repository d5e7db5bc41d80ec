/*
 * imap4.c: IMAP4 / IMAP4S, both sides: the greeting and pre-authentication
 * loop towards the client (SPEC 3.3) and the CAPABILITY / STARTTLS / LOGIN
 * dialogue with the real server (SPEC 3.5).
 *
 * Every read goes through conn, so bytes a client pipelines after LOGIN
 * stay buffered (D-5).  Peer data is only ever a "%s" argument.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conn.h"
#include "defs.h"
#include "imap4.h"
#include "imap4_id.h"
#include "imap4_sasl.h"
#include "imap_token.h"
#include "log.h"
#include "proto_core.h"
#include "protocol.h"
#include "session.h"
#include "str.h"
#include "xalloc.h"

/* A line buffer for conn_read_line(..., MAX_LINE_LENGTH, ...). */
#define LINE_SIZE (MAX_LINE_LENGTH + 2)

/* A refused command's {n+} literal bytes read and dropped, in all, before
 * the client is given up on instead (issue 15; D-18). */
#define DISCARD_MAX (64 * 1024)

/* The pre-authentication reply texts of perdition 2.2; most follow the
 * command's tag. */
#define BAD_TAG "* BAD Invalid tag, mate\r\n"
#define BAD_TOOLONG "* BAD Line too long, mate\r\n"
#define BAD_MISSING "BAD Missing command, mate"
#define BAD_NULL "BAD Null command, mate"
#define BAD_ARGUMENT "%s BAD Argument given to %s but there shouldn't be one, mate\r\n"
#define BAD_UNKNOWN "BAD Unrecognised command, mate"
#define BAD_STARTTLS_OFF "BAD STARTTLS disabled, mate"
#define BAD_TLS_ACTIVE "BAD SSL already active, mate"
#define BAD_LOGIN "BAD Mate, try LOGIN <username> <passwd>"
#define CONTINUE "+ OK ready for additional input\r\n"

/* Append word to dst[*n] with a separating space, bounded. */
static void cap_append(char *dst, size_t dstlen, size_t *n,
		       const char *word, size_t wlen)
{
	if (*n > 0 && *n + 1 < dstlen)
		dst[(*n)++] = ' ';
	if (*n + wlen >= dstlen)
		wlen = dstlen - 1 - *n;
	memcpy(dst + *n, word, wlen);
	*n += wlen;
	dst[*n] = '\0';
}

size_t imap4_capability(const struct session *s, char *dst, size_t dstlen)
{
	const char *p = s->cfg->imap_capability;
	bool tls = session_client_tls(s);
	size_t n = 0;

	if (dstlen == 0)
		return 0;
	dst[0] = '\0';
	while (*p != '\0') {
		size_t w = strcspn(p, " ");

		/* These two are ours to add or leave out. */
		if (w > 0 && !str_eq_ci_n(p, w, "STARTTLS") &&
		    !str_eq_ci_n(p, w, "LOGINDISABLED"))
			cap_append(dst, dstlen, &n, p, w);
		p += w;
		if (*p == ' ')
			p++;
	}
	if (proto_offer_tls(s))
		cap_append(dst, dstlen, &n, "STARTTLS", 8);
	if ((s->cfg->login_disabled && s->client_secure != SECURE_STARTTLS) ||
	    (s->cfg->tls_listen_force && !tls))
		cap_append(dst, dstlen, &n, "LOGINDISABLED", 13);
	return n;
}

/* A reply to the client was written (r is a conn write result).  IMAP has
 * always logged a client it cannot write to as a failed read. */
static enum proto_result sent(int r)
{
	return r < 0 ? PROTO_READ_FAILED : PROTO_OK;
}

/* "<tag> <text>" to the client; tagged_error() sleeps first. */
static enum proto_result tagged_reply(struct session *s, const char *tag,
				      const char *text)
{
	return sent(conn_printf(&s->client, "%s %s\r\n", tag, text));
}

static enum proto_result tagged_error(struct session *s, const char *tag,
				      const char *text)
{
	session_error_sleep();
	return tagged_reply(s, tag, text);
}

static enum proto_result imap4_greeting(struct session *s)
{
	char caps[MAX_LINE_LENGTH];

	imap4_capability(s, caps, sizeof(caps));
	return sent(conn_printf(&s->client, "* OK [CAPABILITY %s] %s\r\n",
				caps, s->loop_token));
}

/* ------------------------------------------------------------- LOGIN */

/* The arguments of a LOGIN being read. */
struct login {
	char user[MAX_CRED_LENGTH + 1], pass[MAX_CRED_LENGTH + 1];
	size_t lens[2];
	size_t len; /* of the line being parsed (the first or a continuation) */
	enum proto_result lost; /* PROTO_OK, or why the client is gone */
};

/* Read the line that continues a command after a literal's bytes. */
static int read_continuation(struct session *s, struct login *l, char *line,
			     size_t *len)
{
	int r = conn_read_line(&s->client, line, MAX_LINE_LENGTH, len);

	if (r != CONN_OK && r != CONN_TOOLONG)
		l->lost = proto_read_failed(r);
	return r;
}

/*
 * Decode one LOGIN argument into dst (MAX_CRED_LENGTH + 1 bytes,
 * NUL-terminated).  A literal's bytes are read here, after a continuation
 * request for a synchronising one; they may hold a NUL (the caller
 * decides).  Returns the decoded length or -1 for bad syntax (nothing
 * more read) or a lost client (l->lost).
 */
static long login_arg(struct session *s, struct login *l,
		      const struct imap_arg *arg, char *dst)
{
	int r;

	switch (arg->type) {
	case IMAP_ARG_ATOM:
		if (arg->len > MAX_CRED_LENGTH)
			return -1;
		memcpy(dst, arg->start, arg->len);
		dst[arg->len] = '\0';
		return (long)arg->len;
	case IMAP_ARG_QUOTED:
		return imap_unquote(arg->start, arg->len, dst, MAX_CRED_LENGTH + 1);
	case IMAP_ARG_LITERAL:
		/* An empty user or password is refused anyway; refusing {0}
		 * before the client sends more keeps the dialogue simple. */
		if (arg->literal_size == 0 || arg->literal_size > MAX_CRED_LENGTH)
			return -1;
		if (!arg->literal_plus &&
		    (l->lost = sent(conn_write(&s->client, CONTINUE,
					       strlen(CONTINUE)))) != PROTO_OK)
			return -1;
		r = conn_read_exact(&s->client, dst, arg->literal_size);
		if (r != CONN_OK) {
			l->lost = proto_read_failed(r);
			return -1;
		}
		dst[arg->literal_size] = '\0';
		return (long)arg->literal_size;
	}
	return -1;
}

/*
 * Parse the arguments of LOGIN starting at line[pos] (the space after
 * the command), reading literals and the lines that follow them, into l.
 * line is reused for continuation lines.  Returns 0, or -1 (syntax:
 * reply BAD, unless l->lost).
 */
static int login_args(struct session *s, struct login *l, char *line,
		      size_t pos)
{
	char *dst[2] = { l->user, l->pass };
	struct imap_arg arg;
	long got;
	int nargs = 0;

	for (;;) {
		int r = imap_arg_next(line, l->len, &pos, MAX_LITERAL_SIZE, &arg);

		if (r == IMAP_ARG_END)
			break;
		if (r != IMAP_ARG_OK || nargs == 2)
			return -1;
		got = login_arg(s, l, &arg, dst[nargs]);
		if (l->lost != PROTO_OK)
			return -1;
		/* Once a literal's bytes are in, the command goes on to the
		 * end of the next line, good argument or not. */
		if (arg.type == IMAP_ARG_LITERAL && got != -1) {
			if (read_continuation(s, l, line, &l->len) != CONN_OK)
				return -1;
			pos = 0;
		}
		if (got <= 0)
			return -1;
		l->lens[nargs++] = (size_t)got;
	}
	return nargs == 2 ? 0 : -1;
}

/* "tag LOGIN ...": the arguments start at line[pos].  *len: the length
 * of line, which is left holding the last line of the command. */
static enum proto_result login_command(struct session *s, struct auth *a,
				       const char *tag, char *line, size_t *len,
				       size_t pos)
{
	struct login l;
	int r;

	l.lost = PROTO_OK;
	l.len = *len;
	r = login_args(s, &l, line, pos);
	*len = l.len;
	/* A C string cannot carry a NUL in a password to the real server
	 * (RFC 3501 literals hold none): bad syntax.  A NUL in the name is
	 * the session's to refuse, as a failed login (auth.user_len). */
	if (r == 0 && memchr(l.pass, '\0', l.lens[1]) != NULL)
		r = -1;
	if (r < 0) {
		explicit_bzero(l.pass, sizeof(l.pass));
		if (l.lost != PROTO_OK)
			return l.lost;
		return tagged_error(s, tag, BAD_LOGIN);
	}
	a->user = xmalloc(l.lens[0] + 1);
	memcpy(a->user, l.user, l.lens[0] + 1);
	a->user_len = l.lens[0];
	a->passwd = xstrdup(l.pass);
	a->authz = NULL;
	str_copy(a->tag, tag, sizeof(a->tag));
	explicit_bzero(l.pass, sizeof(l.pass));
	return PROTO_CREDENTIALS;
}

/* ------------------------------------------------ other client commands */

/* The command without arguments word[0..n) names, or NULL. */
static const char *simple_name(const char *word, size_t n)
{
	static const char *const simple[] = {
		"NOOP", "CAPABILITY", "LOGOUT",
#ifdef WITH_SSL_SUPPORT
		"STARTTLS", /* a build without TLS knows no STARTTLS at all */
#endif
	};

	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (str_eq_ci_n(word, n, simple[i]))
			return simple[i];
	return NULL;
}

static enum proto_result starttls(struct session *s, const char *tag)
{
	enum proto_result r;

	if (session_client_tls(s))
		return tagged_error(s, tag, BAD_TLS_ACTIVE);
	r = tagged_reply(s, tag, "OK Begin TLS negotiation now");
	return r != PROTO_OK ? r : proto_start_tls(s);
}

/* "tag CMD" for cmd a simple_name(); args: something followed it. */
static enum proto_result simple_command(struct session *s, const char *tag,
					const char *cmd, bool args)
{
	char caps[MAX_LINE_LENGTH];
	enum proto_result r;

	if (strcmp(cmd, "STARTTLS") == 0 && !s->cfg->tls_listen)
		return tagged_error(s, tag, BAD_STARTTLS_OFF);
	if (args) {
		session_error_sleep();
		return sent(conn_printf(&s->client, BAD_ARGUMENT, tag, cmd));
	}
	if (strcmp(cmd, "NOOP") == 0)
		return tagged_reply(s, tag, "OK NOOP");
	if (strcmp(cmd, "CAPABILITY") == 0) {
		imap4_capability(s, caps, sizeof(caps));
		return sent(conn_printf(&s->client,
					"* CAPABILITY %s\r\n%s OK CAPABILITY\r\n",
					caps, tag));
	}
	if (strcmp(cmd, "LOGOUT") == 0) {
		r = sent(conn_printf(&s->client,
				     "* BYE IMAP4 server logging out, mate\r\n"
				     "%s OK LOGOUT\r\n", tag));
		return r != PROTO_OK ? r : PROTO_QUIT;
	}
	return starttls(s, tag);
}

/* The command of line[0..len) is line[cmd..cmd + cmdlen), not empty. */
static enum proto_result command(struct session *s, struct auth *a,
				 const char *tag, char *line, size_t *lenp,
				 size_t cmd, size_t cmdlen)
{
	const char *name = simple_name(line + cmd, cmdlen);
	size_t len = *lenp, after = cmd + cmdlen;

	if (name != NULL)
		return simple_command(s, tag, name, after < len);
	if (str_eq_ci_n(line + cmd, cmdlen, "AUTHENTICATE"))
		return imap4_sasl_client(s, a, tag, line + after + 1,
					 after < len ? len - after - 1 : 0);
	if (str_eq_ci_n(line + cmd, cmdlen, "LOGIN"))
		return login_command(s, a, tag, line, lenp, after);
	if (str_eq_ci_n(line + cmd, cmdlen, "ID"))
		return imap4_id_command(s, tag, line, lenp, after);
	return tagged_error(s, tag, BAD_UNKNOWN);
}

/* One client line: "tag command [arguments]"; *lenp as for
 * login_command. */
static enum proto_result handle_line(struct session *s, struct auth *a,
				     char *line, size_t *lenp)
{
	char tag[MAX_TAG_LENGTH + 1];
	size_t len = *lenp, sp = strcspn(line, " "), cmd, cmdlen;

	/* strcspn stops at a NUL too: a NUL in the tag makes it invalid. */
	if (sp < len && line[sp] != ' ')
		sp = len + 1;
	if (sp > len || !imap_tag_valid(line, sp)) {
		session_error_sleep();
		return sent(conn_write(&s->client, BAD_TAG, strlen(BAD_TAG)));
	}
	memcpy(tag, line, sp);
	tag[sp] = '\0';
	if (sp == len)
		return tagged_error(s, tag, BAD_MISSING);
	cmd = sp + 1;
	for (cmdlen = 0; cmd + cmdlen < len && line[cmd + cmdlen] != ' '; cmdlen++)
		;
	if (cmdlen == 0)
		return tagged_error(s, tag, BAD_NULL);
	return command(s, a, tag, line, lenp, cmd, cmdlen);
}

/* The size of the {n+} marker that ends line[0..len) in *n_r (one that
 * does not parse counts as too big); false if there is none. */
static bool plus_literal_at_end(const char *line, size_t len,
				unsigned long *n_r)
{
	size_t b = len;
	bool plus;

	if (len < 4 || memcmp(line + len - 2, "+}", 2) != 0)
		return false;
	while (b > 0 && line[b - 1] != '{' && line[b - 1] != ' ')
		b--;
	if (b == 0 || line[b - 1] != '{')
		return false;
	if (imap_literal_parse(line + b - 1, len - b + 1, ULONG_MAX, n_r,
			       &plus) < 0)
		*n_r = ULONG_MAX;
	return true;
}

/*
 * A refused command's {n+} literal comes anyway: read and drop its bytes
 * and the line that goes on after them, so nothing in them (a password)
 * is read as a command.  Past DISCARD_MAX, give up on the client.
 */
static enum proto_result skip_plus_literals(struct session *s, char *line,
					    size_t len)
{
	char sink[1024];
	unsigned long n, total = 0;
	int r = CONN_OK;

	while (r == CONN_OK && plus_literal_at_end(line, len, &n)) {
		if (n > DISCARD_MAX - total)
			return PROTO_READ_FAILED;
		total += n;
		for (; r == CONN_OK && n > 0; n -= n < sizeof(sink) ? n : sizeof(sink))
			r = conn_read_exact(&s->client, sink,
					    n < sizeof(sink) ? n : sizeof(sink));
		if (r == CONN_OK)
			r = conn_read_line(&s->client, line, MAX_LINE_LENGTH, &len);
	}
	explicit_bzero(sink, sizeof(sink));
	return r == CONN_OK || r == CONN_TOOLONG ? PROTO_OK : proto_read_failed(r);
}

/* Read and answer one client line; line holds LINE_SIZE bytes. */
static enum proto_result read_step(struct session *s, struct auth *a, char *line)
{
	enum proto_result res;
	size_t len;
	int r = conn_read_line(&s->client, line, MAX_LINE_LENGTH, &len);

	if (r == CONN_TOOLONG) {
		session_error_sleep();
		return sent(conn_write(&s->client, BAD_TOOLONG, strlen(BAD_TOOLONG)));
	}
	if (r != CONN_OK)
		return proto_read_failed(r);
	res = handle_line(s, a, line, &len);
	if (res == PROTO_OK)
		res = skip_plus_literals(s, line, len);
	/* The line may have held the password. */
	explicit_bzero(line, LINE_SIZE);
	return res;
}

static enum proto_result imap4_read_auth(struct session *s, struct auth *a)
{
	char line[LINE_SIZE];
	enum proto_result r;

	do
		r = read_step(s, a, line);
	while (r == PROTO_OK);
	return r;
}

/* ------------------------------------------------------------------ */
/* Real-server side */

/* Does line[0..len) start with "<tag> "?  Then *rest_r is what follows. */
static bool tagged(const char *line, size_t len, const char *tag, size_t *rest_r)
{
	size_t tl = strlen(tag);

	if (len <= tl || memcmp(line, tag, tl) != 0 || line[tl] != ' ')
		return false;
	*rest_r = tl + 1;
	return true;
}

/* Is line[off..len) the status OK (followed by a space or the end)? */
static bool status_ok(const char *line, size_t len, size_t off)
{
	return proto_starts_token(line + off, len - off, "OK");
}

/* Read one line from the real server; 0, or -1 on EOF, error, timeout or
 * an overlong line. */
static int server_read(struct session *s, char *line, size_t *len)
{
	return proto_server_line(s, line, len) == CONN_OK ? 0 : -1;
}

/* Pass an untagged server line on to the client. */
static void forward(struct session *s, const char *line, size_t len)
{
	if (conn_write(&s->client, line, len) < 0 ||
	    conn_write(&s->client, "\r\n", 2) < 0)
		log_debug("could not forward a server line to the client");
}

/* Capabilities of the real server we care about. */
enum {
	CAP_STARTTLS = 1,
	CAP_LOGINDISABLED = 2,
	CAP_LITERAL_PLUS = 4,
	CAP_LITERAL_MINUS = 8,
	CAP_ID = 16,
	CAP_AUTH_PLAIN = 32,
	CAP_SASL_IR = 64,
};

static const struct proto_cap server_caps[] = {
	{ "STARTTLS", CAP_STARTTLS, false },
	{ "LOGINDISABLED", CAP_LOGINDISABLED, false },
	{ "LITERAL+", CAP_LITERAL_PLUS, false },
	{ "LITERAL-", CAP_LITERAL_MINUS, false },
	{ "ID", CAP_ID, false },
	{ "AUTH=PLAIN", CAP_AUTH_PLAIN, false },
	{ "SASL-IR", CAP_SASL_IR, false },
	{ NULL, 0, false },
};

/* Capabilities from a greeting "* OK [CAPABILITY ...] text".  Returns
 * false when the greeting has none. */
static bool greeting_caps(const char *line, size_t len, unsigned *caps)
{
	static const char key[] = "* OK [CAPABILITY ";
	const char *end;

	*caps = 0;
	if (len < sizeof(key) - 1 || strncasecmp(line, key, sizeof(key) - 1) != 0)
		return false;
	end = memchr(line, ']', len);
	if (end == NULL)
		return false;
	*caps = proto_cap_words(line + sizeof(key) - 1,
				(size_t)(end - line) - (sizeof(key) - 1), server_caps);
	return true;
}

/*
 * Send "<tag> CAPABILITY" and read up to the tagged reply, which must be
 * OK.  "* CAPABILITY" lines fill *caps; other untagged lines are
 * forwarded to the client when fwd is set.  Returns 0 or -1.
 */
static int server_capability(struct session *s, unsigned *caps, bool fwd)
{
	char tag[IMAP_SERVER_TAG_SIZE], line[LINE_SIZE];
	size_t len, rest;

	*caps = 0;
	proto_next_tag(s, tag);
	if (conn_printf(&s->server, "%s CAPABILITY\r\n", tag) < 0)
		return -1;
	for (;;) {
		if (server_read(s, line, &len) < 0)
			return -1;
		if (tagged(line, len, tag, &rest))
			return status_ok(line, len, rest) ? 0 : -1;
		if (len >= 13 && strncasecmp(line, "* CAPABILITY ", 13) == 0)
			*caps |= proto_cap_words(line + 13, len - 13, server_caps);
		else if (fwd && len > 0 && line[0] == '*')
			forward(s, line, len);
	}
}

/* Outgoing STARTTLS (ssl_mode tls_outgoing[_force]).  Returns 0 or -1. */
static int server_starttls(struct session *s)
{
	char tag[IMAP_SERVER_TAG_SIZE], line[LINE_SIZE];
	unsigned caps;
	size_t len, rest;

	if (server_capability(s, &caps, false) < 0)
		return -1;
	if (!(caps & CAP_STARTTLS)) {
		if (s->cfg->tls_outgoing_force)
			return -1;
		return 0; /* carry on in plaintext, as 2.2 */
	}
	proto_next_tag(s, tag);
	if (conn_printf(&s->server, "%s STARTTLS\r\n", tag) < 0)
		return -1;
	for (;;) {
		if (server_read(s, line, &len) < 0)
			return -1;
		if (tagged(line, len, tag, &rest))
			break;
	}
	if (!status_ok(line, len, rest))
		return -1;
	return session_tls_server(s);
}

/*
 * Wait for the "+" continuation of a synchronising literal.  Untagged
 * lines are forwarded.  Returns 1 on "+", 0 when the tagged reply came
 * instead (left in line/len), -1 on a read error.
 */
static int server_wait_continue(struct session *s, const char *tag,
				char *line, size_t *len)
{
	size_t rest;

	for (;;) {
		if (server_read(s, line, len) < 0)
			return -1;
		if (*len > 0 && line[0] == '+')
			return 1;
		if (tagged(line, *len, tag, &rest))
			return 0;
		if (*len > 0 && line[0] == '*')
			forward(s, line, *len);
	}
}

/* LOGIN with non-synchronising literals {n+}: all in one write, then the
 * first reply line into line/len.  Returns 0 or -1. */
static int send_login_plus(struct session *s, const char *tag, const char *user,
			   const char *pass, char *buf, size_t cap,
			   char *line, size_t *len)
{
	size_t ulen = strlen(user), plen = strlen(pass);
	size_t n;

	/* Lengths are ours, the strings are copied as bytes. */
	n = (size_t)snprintf(buf, cap, "%s LOGIN {%zu+}\r\n", tag, ulen);
	memcpy(buf + n, user, ulen);
	n += ulen;
	n += (size_t)snprintf(buf + n, cap - n, " {%zu+}\r\n", plen);
	memcpy(buf + n, pass, plen);
	n += plen;
	memcpy(buf + n, "\r\n", 2);
	n += 2;
	if (conn_write(&s->server, buf, n) < 0)
		return -1;
	/* Untagged lines before the tagged reply are read by the caller. */
	return server_read(s, line, len);
}

/* LOGIN with synchronising literals {n}: each after the server's "+".
 * The tagged reply (early or final) is left in line/len.  Returns 0 or
 * -1. */
static int send_login_sync(struct session *s, const char *tag, const char *user,
			   const char *pass, char *buf, size_t cap,
			   char *line, size_t *len)
{
	size_t ulen = strlen(user), plen = strlen(pass);
	size_t n;
	int r;

	n = (size_t)snprintf(buf, cap, "%s LOGIN {%zu}\r\n", tag, ulen);
	if (conn_write(&s->server, buf, n) < 0)
		return -1;
	r = server_wait_continue(s, tag, line, len);
	if (r <= 0)
		return r;
	memcpy(buf, user, ulen);
	n = ulen;
	n += (size_t)snprintf(buf + n, cap - n, " {%zu}\r\n", plen);
	if (conn_write(&s->server, buf, n) < 0)
		return -1;
	r = server_wait_continue(s, tag, line, len);
	if (r <= 0)
		return r;
	memcpy(buf, pass, plen);
	memcpy(buf + plen, "\r\n", 2);
	if (conn_write(&s->server, buf, plen + 2) < 0)
		return -1;
	return server_read(s, line, len);
}

/*
 * Send LOGIN with user and password as literals (they may hold any
 * byte but NUL, so quoting could fail).  With LITERAL+ (or LITERAL- and
 * small enough strings) it all goes in one write.  Leaves the first
 * reply line in line/len.  Returns 0, or -1 on an I/O error.
 */
static int server_send_login(struct session *s, unsigned caps, const char *tag,
			     const char *user, const char *pass,
			     char *line, size_t *len)
{
	size_t ulen = strlen(user), plen = strlen(pass);
	bool plus = (caps & CAP_LITERAL_PLUS) ||
		    ((caps & CAP_LITERAL_MINUS) && ulen <= 4096 && plen <= 4096);
	size_t cap = ulen + plen + IMAP_SERVER_TAG_SIZE + 80;
	char *buf = xmalloc(cap);
	int rc;

	if (plus)
		rc = send_login_plus(s, tag, user, pass, buf, cap, line, len);
	else
		rc = send_login_sync(s, tag, user, pass, buf, cap, line, len);
	/* The buffer held the password. */
	explicit_bzero(buf, cap);
	free(buf);
	return rc;
}

/* Greeting: "* OK ...", and not our own (a loop).  Left in line/len. */
static int server_greeting(struct session *s, char *line, size_t *len)
{
	if (server_read(s, line, len) < 0)
		return -1;
	if (!proto_starts_token(line, *len, "* OK")) {
		log_debug("real server greeting is not \"* OK\"");
		return -1;
	}
	return proto_loop_detected(s, line, *len) ? -1 : 0;
}

/* Send LOGIN and read to its tagged reply, forwarding untagged lines;
 * the reply's text (after the tag) goes to resp. */
static enum login_result server_login_cmd(struct session *s, unsigned caps,
					  const char *user, const char *pass,
					  char *resp, size_t resplen,
					  const char **reason_r)
{
	char tag[IMAP_SERVER_TAG_SIZE], line[LINE_SIZE];
	size_t len, rest;

	proto_next_tag(s, tag);
	if (server_send_login(s, caps, tag, user, pass, line, &len) < 0)
		return LOGIN_FAILED;
	/* line holds the first reply line; forward untagged ones. */
	while (!tagged(line, len, tag, &rest)) {
		if (len > 0 && line[0] == '*')
			forward(s, line, len);
		if (server_read(s, line, &len) < 0)
			return LOGIN_FAILED;
	}
	proto_set_resp(resp, resplen, line + rest);
	if (status_ok(line, len, rest))
		return LOGIN_OK;
	return proto_login_fail(s, reason_r, REASON_REAUTH, true);
}

static enum login_result imap4_server_login(struct session *s, const struct auth *a,
					    const char *user, char *resp,
					    size_t resplen, const char **reason_r)
{
	char line[LINE_SIZE];
	unsigned caps;
	size_t len;

	proto_set_resp(resp, resplen, "");
	*reason_r = REASON_NEGOTIATION;
	if (server_greeting(s, line, &len) < 0)
		return LOGIN_FAILED;
	if (s->cfg->tls_outgoing && server_starttls(s) < 0)
		return LOGIN_FAILED;
	/* A greeting that lists the capabilities (Dovecot's does) saves the
	 * CAPABILITY round trip; after STARTTLS they must be asked again. */
	if (s->server_secure == SECURE_STARTTLS || !greeting_caps(line, len, &caps)) {
		if (server_capability(s, &caps, true) < 0)
			return LOGIN_FAILED;
	}
	/* The client's ID (and address) first, whatever the login command. */
	if (imap4_id_server(s, (caps & CAP_ID) != 0) < 0)
		return proto_login_fail(s, reason_r, REASON_NEGOTIATION, false);
	/* AUTHENTICATE PLAIN where LOGIN cannot work, or cannot carry the
	 * authorisation id the client was allowed to send. */
	if ((caps & CAP_LOGINDISABLED) || imap4_sasl_authz_differs(a)) {
		if (caps & CAP_AUTH_PLAIN)
			return imap4_sasl_server(s, a, user, caps & CAP_SASL_IR,
						 resp, resplen, reason_r);
		return proto_login_fail(s, reason_r, (caps & CAP_LOGINDISABLED) ?
					REASON_LOGIN_DISABLED : REASON_NO_SASL, true);
	}
	return server_login_cmd(s, caps, user, a->passwd, resp, resplen, reason_r);
}

static void imap4_reply_ok(struct session *s, const struct auth *a, const char *resp)
{
	if (proto_pass_resp(s, resp))
		(void)conn_printf(&s->client, "%s %s\r\n", a->tag, resp);
	else
		(void)conn_printf(&s->client, "%s OK %s\r\n", a->tag, s->cfg->ok_line);
}

static void imap4_reply_fail(struct session *s, const struct auth *a,
			     const char *reason, const char *resp)
{
	if (proto_pass_resp_fail(s, reason, resp))
		(void)conn_printf(&s->client, "%s %s\r\n", a->tag, resp);
	else
		(void)conn_printf(&s->client, "%s NO failed: %s\r\n", a->tag, reason);
}

/* IMAP4 and IMAP4S differ only in name and port. */
#define IMAP4_PROTOCOL(name_, port_, numeric_port_) {			\
	.name = name_, .port = port_, .numeric_port = numeric_port_,	\
	.busy_line = "* BYE Too many connections, mate\r\n",		\
	.failed_limit_line = "* BYE Too many failed logins\r\n",	\
	.auth_failure = " NO Authentication failure\r\n",		\
	.bye = "LOGOUT", .tagged = true,				\
	.greeting = imap4_greeting, .read_auth = imap4_read_auth,	\
	.server_login = imap4_server_login, .reply_ok = imap4_reply_ok,	\
	.reply_fail = imap4_reply_fail, .relay_timeout = NULL,		\
}

const struct protocol protocol_imap4 = IMAP4_PROTOCOL("IMAP4", "imap", "143");
const struct protocol protocol_imap4s = IMAP4_PROTOCOL("IMAP4S", "imaps", "993");
