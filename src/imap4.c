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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

#include "conn.h"
#include "defs.h"
#include "imap4.h"
#include "imap_token.h"
#include "log.h"
#include "options.h"
#include "protocol.h"
#include "session.h"
#include "str.h"

/* A line buffer for conn_read_line(..., MAX_LINE_LENGTH, ...). */
#define LINE_SIZE (MAX_LINE_LENGTH + 2)

/* The pre-authentication reply texts of perdition 2.2. */
#define BAD_TAG "* BAD Invalid tag, mate\r\n"
#define BAD_TOOLONG "* BAD Line too long, mate\r\n"
#define BAD_MISSING "%s BAD Missing command, mate\r\n"
#define BAD_NULL "%s BAD Null command, mate\r\n"
#define BAD_ARGUMENT "%s BAD Argument given to %s but there shouldn't be one, mate\r\n"
#define BAD_UNKNOWN "%s BAD Unrecognised command, mate\r\n"
#define BAD_STARTTLS_OFF "%s BAD STARTTLS disabled, mate\r\n"
#define BAD_TLS_ACTIVE "%s BAD SSL already active, mate\r\n"
#define BAD_AUTHENTICATE "%s BAD Mate, try AUTHENTICATE <mechanism>\r\n"
#define NO_AUTHENTICATE "%s NO AUTHENTICATE mechanism not supported, mate\r\n"
#define BAD_LOGIN "%s BAD Mate, try LOGIN <username> <passwd>\r\n"
#define CONTINUE "+ OK ready for additional input\r\n"

static bool starttls_enabled(void)
{
#ifdef WITH_SSL_SUPPORT
	return (options.ssl_mode & (SSL_MODE_TLS_LISTEN | SSL_MODE_TLS_LISTEN_FORCE)) != 0;
#else
	return false;
#endif
}

static bool resp_line_wanted(void)
{
	return options.server_resp_line || options.server_ok_line;
}

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
	const char *p = options.imap_capability != NULL ? options.imap_capability : "";
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
	if (starttls_enabled() && !tls)
		cap_append(dst, dstlen, &n, "STARTTLS", 8);
	if ((options.login_disabled && s->client_secure != SECURE_STARTTLS) ||
	    ((options.ssl_mode & SSL_MODE_TLS_LISTEN_FORCE) && !tls))
		cap_append(dst, dstlen, &n, "LOGINDISABLED", 13);
	return n;
}

/* A reply to the client; a client we cannot write to is gone. */
static void client_reply(struct session *s, int r)
{
	if (r < 0)
		session_client_read_fatal(s, CONN_ERROR);
}

static void imap4_greeting(struct session *s)
{
	char caps[MAX_LINE_LENGTH];

	imap4_capability(s, caps, sizeof(caps));
	client_reply(s, conn_printf(&s->client, "* OK [CAPABILITY %s] %s\r\n",
				    caps, s->loop_token));
}

/* Read the line that continues a command after a literal's bytes. */
static int read_continuation(struct session *s, char *line, size_t *len)
{
	int r = conn_read_line(&s->client, line, MAX_LINE_LENGTH, len);

	if (r != CONN_OK && r != CONN_TOOLONG)
		session_client_read_fatal(s, r);
	return r;
}

/*
 * Decode one LOGIN argument into dst (MAX_CRED_LENGTH + 1 bytes,
 * NUL-terminated).  A literal's bytes are read here, after a continuation
 * request for a synchronising one; they may hold a NUL (the caller
 * decides).  Returns the decoded length or -1 for bad syntax (nothing
 * more read).
 */
static long login_arg(struct session *s, const struct imap_arg *arg, char *dst)
{
	long n;

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
		if (!arg->literal_plus)
			client_reply(s, conn_write(&s->client, CONTINUE,
						   strlen(CONTINUE)));
		n = conn_read_exact(&s->client, dst, arg->literal_size);
		if (n != CONN_OK)
			session_client_read_fatal(s, (int)n);
		dst[arg->literal_size] = '\0';
		return (long)arg->literal_size;
	}
	return -1;
}

/*
 * Parse the arguments of LOGIN starting at line[pos] (the space after
 * the command), reading literals and the lines that follow them.  On
 * success the credentials are in user and pass, their lengths in
 * lens_r[0] and lens_r[1].  line is reused for continuation lines.
 * Returns 0 or -1 (syntax: reply BAD).
 */
static int login_args(struct session *s, char *line, size_t len, size_t pos,
		      char *user, char *pass, size_t lens_r[2])
{
	char *dst[2] = { user, pass };
	struct imap_arg arg;
	long got;
	int nargs = 0;

	for (;;) {
		int r = imap_arg_next(line, len, &pos, MAX_LITERAL_SIZE, &arg);

		if (r == IMAP_ARG_END)
			break;
		if (r != IMAP_ARG_OK || nargs == 2)
			return -1;
		got = login_arg(s, &arg, dst[nargs]);
		/* Once a literal's bytes are in, the command goes on to the
		 * end of the next line, good argument or not. */
		if (arg.type == IMAP_ARG_LITERAL && got != -1) {
			if (read_continuation(s, line, &len) != CONN_OK)
				return -1;
			pos = 0;
		}
		if (got <= 0)
			return -1;
		lens_r[nargs++] = (size_t)got;
	}
	return nargs == 2 ? 0 : -1;
}

/* Results of one pre-authentication line. */
enum { LINE_AGAIN = 0, LINE_LOGIN = 1 };

/* Commands that take no argument; reply for "tag CMD". */
static int simple_command(struct session *s, const char *tag, const char *cmd)
{
	char caps[MAX_LINE_LENGTH];

	if (strcmp(cmd, "NOOP") == 0) {
		client_reply(s, conn_printf(&s->client, "%s OK NOOP\r\n", tag));
	} else if (strcmp(cmd, "CAPABILITY") == 0) {
		imap4_capability(s, caps, sizeof(caps));
		client_reply(s, conn_printf(&s->client,
					    "* CAPABILITY %s\r\n%s OK CAPABILITY\r\n",
					    caps, tag));
	} else if (strcmp(cmd, "LOGOUT") == 0) {
		client_reply(s, conn_printf(&s->client,
					    "* BYE IMAP4 server logging out, mate\r\n"
					    "%s OK LOGOUT\r\n", tag));
		session_null_close(s);
	} else { /* STARTTLS */
		if (session_client_tls(s)) {
			session_error_sleep();
			client_reply(s, conn_printf(&s->client, BAD_TLS_ACTIVE, tag));
			return LINE_AGAIN;
		}
		client_reply(s, conn_printf(&s->client,
					    "%s OK Begin TLS negotiation now\r\n", tag));
		if (session_tls_client(s) < 0) {
			log_err("Fatal error negotiating TLS with client%s: Exiting child",
				s->from_to);
			_exit(EXIT_FATAL);
		}
	}
	return LINE_AGAIN;
}

static int handle_line(struct session *s, struct auth *a, char *line, size_t len)
{
	static const char *const simple[] = { "NOOP", "CAPABILITY", "LOGOUT", "STARTTLS" };
	char tag[MAX_TAG_LENGTH + 1];
	char user[MAX_CRED_LENGTH + 1], pass[MAX_CRED_LENGTH + 1];
	size_t sp, cmd, cmdlen, i, lens[2];
	bool args;
	int r;

	sp = strcspn(line, " ");
	/* strcspn stops at a NUL too: a NUL in the tag makes it invalid. */
	if (sp < len && line[sp] != ' ')
		sp = len + 1;
	if (sp > len || !imap_tag_valid(line, sp)) {
		session_error_sleep();
		client_reply(s, conn_write(&s->client, BAD_TAG, strlen(BAD_TAG)));
		return LINE_AGAIN;
	}
	memcpy(tag, line, sp);
	tag[sp] = '\0';
	if (sp == len) {
		session_error_sleep();
		client_reply(s, conn_printf(&s->client, BAD_MISSING, tag));
		return LINE_AGAIN;
	}
	cmd = sp + 1;
	for (cmdlen = 0; cmd + cmdlen < len && line[cmd + cmdlen] != ' '; cmdlen++)
		;
	if (cmdlen == 0) {
		session_error_sleep();
		client_reply(s, conn_printf(&s->client, BAD_NULL, tag));
		return LINE_AGAIN;
	}
	args = cmd + cmdlen < len;

	for (i = 0; i < sizeof(simple) / sizeof(simple[0]); i++) {
		if (!str_eq_ci_n(line + cmd, cmdlen, simple[i]))
			continue;
		if (strcmp(simple[i], "STARTTLS") == 0 && !starttls_enabled()) {
#ifdef WITH_SSL_SUPPORT
			session_error_sleep();
			client_reply(s, conn_printf(&s->client, BAD_STARTTLS_OFF, tag));
			return LINE_AGAIN;
#else
			break; /* no STARTTLS at all in a build without TLS */
#endif
		}
		if (args) {
			session_error_sleep();
			client_reply(s, conn_printf(&s->client, BAD_ARGUMENT,
						    tag, simple[i]));
			return LINE_AGAIN;
		}
		return simple_command(s, tag, simple[i]);
	}

	if (str_eq_ci_n(line + cmd, cmdlen, "AUTHENTICATE")) {
		const char *mech = line + cmd + cmdlen + 1;
		size_t mlen = args ? len - cmd - cmdlen - 1 : 0;

		/* Exactly one non-empty argument names a mechanism. */
		if (mlen == 0 || memchr(mech, ' ', mlen) != NULL) {
			session_error_sleep();
			client_reply(s, conn_printf(&s->client, BAD_AUTHENTICATE, tag));
		} else {
			client_reply(s, conn_printf(&s->client, NO_AUTHENTICATE, tag));
		}
		return LINE_AGAIN;
	}

	if (!str_eq_ci_n(line + cmd, cmdlen, "LOGIN")) {
		session_error_sleep();
		client_reply(s, conn_printf(&s->client, BAD_UNKNOWN, tag));
		return LINE_AGAIN;
	}

	r = login_args(s, line, len, cmd + cmdlen, user, pass, lens);
	/* A C string cannot carry a NUL in a password to the real server
	 * (RFC 3501 literals hold none): bad syntax.  A NUL in the name is
	 * the session's to refuse, as a failed login (auth.user_len). */
	if (r == 0 && memchr(pass, '\0', lens[1]) != NULL)
		r = -1;
	if (r < 0) {
		explicit_bzero(pass, sizeof(pass));
		session_error_sleep();
		client_reply(s, conn_printf(&s->client, BAD_LOGIN, tag));
		return LINE_AGAIN;
	}
	a->user = xmalloc(lens[0] + 1);
	memcpy(a->user, user, lens[0] + 1);
	a->user_len = lens[0];
	a->passwd = xstrdup(pass);
	a->authz = NULL;
	str_copy(a->tag, tag, sizeof(a->tag));
	explicit_bzero(pass, sizeof(pass));
	return LINE_LOGIN;
}

static int imap4_read_auth(struct session *s, struct auth *a)
{
	char line[LINE_SIZE];
	size_t len;
	int r;

	for (;;) {
		r = conn_read_line(&s->client, line, MAX_LINE_LENGTH, &len);
		if (r == CONN_TOOLONG) {
			session_error_sleep();
			client_reply(s, conn_write(&s->client, BAD_TOOLONG,
						   strlen(BAD_TOOLONG)));
			continue;
		}
		if (r != CONN_OK)
			session_client_read_fatal(s, r);
		r = handle_line(s, a, line, len);
		/* The line may have held the password. */
		explicit_bzero(line, sizeof(line));
		if (r == LINE_LOGIN)
			return READ_AUTH_OK;
	}
}

/* ------------------------------------------------------------------ */
/* Real-server side */

/* Take the next real-server tag. */
static void next_tag(struct session *s, char *tag)
{
	imap_server_tag(s->imap_tag, tag);
	s->imap_tag++;
}

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
	return len - off >= 2 && strncasecmp(line + off, "OK", 2) == 0 &&
	       (len - off == 2 || line[off + 2] == ' ');
}

/* Send a whole line to the real server. */
static int server_send(struct session *s, const char *buf, size_t n)
{
	return conn_write(&s->server, buf, n);
}

/* Read one line from the real server; 0, or -1 on EOF, error, timeout or
 * an overlong line. */
static int server_read(struct session *s, char *line, size_t *len)
{
	return conn_read_line(&s->server, line, MAX_LINE_LENGTH, len) == CONN_OK ? 0 : -1;
}

/* Pass an untagged server line on to the client. */
static void forward(struct session *s, const char *line, size_t len)
{
	if (conn_write(&s->client, line, len) < 0 ||
	    conn_write(&s->client, "\r\n", 2) < 0)
		log_debug("could not forward a server line to the client");
}

/* Capabilities of the real server we care about. */
struct server_caps {
	bool starttls, logindisabled, literal_plus, literal_minus;
};

static void parse_caps(const char *line, size_t len, struct server_caps *c)
{
	size_t p = 0, w;

	while (p < len) {
		for (w = 0; p + w < len && line[p + w] != ' '; w++)
			;
		if (str_eq_ci_n(line + p, w, "STARTTLS"))
			c->starttls = true;
		else if (str_eq_ci_n(line + p, w, "LOGINDISABLED"))
			c->logindisabled = true;
		else if (str_eq_ci_n(line + p, w, "LITERAL+"))
			c->literal_plus = true;
		else if (str_eq_ci_n(line + p, w, "LITERAL-"))
			c->literal_minus = true;
		p += w + 1;
	}
}

/* Capabilities from a greeting "* OK [CAPABILITY ...] text".  Returns
 * false when the greeting has none. */
static bool greeting_caps(const char *line, size_t len, struct server_caps *c)
{
	static const char key[] = "* OK [CAPABILITY ";
	const char *end;

	memset(c, 0, sizeof(*c));
	if (len < sizeof(key) - 1 || strncasecmp(line, key, sizeof(key) - 1) != 0)
		return false;
	end = memchr(line, ']', len);
	if (end == NULL)
		return false;
	parse_caps(line + sizeof(key) - 1, (size_t)(end - line) - (sizeof(key) - 1), c);
	return true;
}

/*
 * Send "<tag> CAPABILITY" and read up to the tagged reply, which must be
 * OK.  "* CAPABILITY" lines fill *c; other untagged lines are forwarded
 * to the client when fwd is set.  Returns 0 or -1.
 */
static int server_capability(struct session *s, struct server_caps *c, bool fwd)
{
	char tag[IMAP_SERVER_TAG_SIZE], line[LINE_SIZE];
	size_t len, rest;

	memset(c, 0, sizeof(*c));
	next_tag(s, tag);
	if (conn_printf(&s->server, "%s CAPABILITY\r\n", tag) < 0)
		return -1;
	for (;;) {
		if (server_read(s, line, &len) < 0)
			return -1;
		if (tagged(line, len, tag, &rest))
			return status_ok(line, len, rest) ? 0 : -1;
		if (len >= 13 && strncasecmp(line, "* CAPABILITY ", 13) == 0)
			parse_caps(line + 13, len - 13, c);
		else if (fwd && len > 0 && line[0] == '*')
			forward(s, line, len);
	}
}

/* Outgoing STARTTLS (ssl_mode tls_outgoing[_force]).  Returns 0 or -1. */
static int server_starttls(struct session *s)
{
	char tag[IMAP_SERVER_TAG_SIZE], line[LINE_SIZE];
	struct server_caps c;
	bool force = (options.ssl_mode & SSL_MODE_TLS_OUTGOING_FORCE) != 0;
	size_t len, rest;

	if (server_capability(s, &c, false) < 0)
		return -1;
	if (!c.starttls) {
		if (force)
			return -1;
		return 0; /* carry on in plaintext, as 2.2 */
	}
	next_tag(s, tag);
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

/* Tell the real server we are leaving and read (at most) one line. */
static void server_logout(struct session *s)
{
	char tag[IMAP_SERVER_TAG_SIZE], line[LINE_SIZE];
	size_t len;

	next_tag(s, tag);
	if (conn_printf(&s->server, "%s LOGOUT\r\n", tag) == 0)
		(void)server_read(s, line, &len);
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

/*
 * Send LOGIN with user and password as literals (they may hold any
 * byte but NUL, so quoting could fail).  With LITERAL+ (or LITERAL- and
 * small enough strings) it all goes in one write.  Leaves the tagged
 * reply in line/len.  Returns 0, or -1 on an I/O error.
 */
static int server_send_login(struct session *s, const struct server_caps *c,
			     const char *tag, const char *user, const char *pass,
			     char *line, size_t *len)
{
	size_t ulen = strlen(user), plen = strlen(pass);
	bool plus = c->literal_plus ||
		    (c->literal_minus && ulen <= 4096 && plen <= 4096);
	size_t cap = ulen + plen + IMAP_SERVER_TAG_SIZE + 80;
	char *buf = xmalloc(cap);
	size_t n;
	int r, rc = -1;

	if (plus) {
		/* Lengths are ours, the strings are copied as bytes. */
		n = (size_t)snprintf(buf, cap, "%s LOGIN {%zu+}\r\n", tag, ulen);
		memcpy(buf + n, user, ulen);
		n += ulen;
		n += (size_t)snprintf(buf + n, cap - n, " {%zu+}\r\n", plen);
		memcpy(buf + n, pass, plen);
		n += plen;
		memcpy(buf + n, "\r\n", 2);
		n += 2;
		if (server_send(s, buf, n) < 0)
			goto out;
		rc = server_read(s, line, len);
		/* Untagged lines before the tagged reply are read by the caller. */
		goto out;
	}

	n = (size_t)snprintf(buf, cap, "%s LOGIN {%zu}\r\n", tag, ulen);
	if (server_send(s, buf, n) < 0)
		goto out;
	r = server_wait_continue(s, tag, line, len);
	if (r <= 0) {
		rc = r;
		goto out;
	}
	memcpy(buf, user, ulen);
	n = ulen;
	n += (size_t)snprintf(buf + n, cap - n, " {%zu}\r\n", plen);
	if (server_send(s, buf, n) < 0)
		goto out;
	r = server_wait_continue(s, tag, line, len);
	if (r <= 0) {
		rc = r;
		goto out;
	}
	memcpy(buf, pass, plen);
	memcpy(buf + plen, "\r\n", 2);
	if (server_send(s, buf, plen + 2) < 0)
		goto out;
	rc = server_read(s, line, len);
out:
	explicit_bzero(buf, cap);
	free(buf);
	return rc;
}

static enum login_result imap4_server_login(struct session *s, const struct auth *a,
					    const char *user, char *resp,
					    size_t resplen, const char **reason_r)
{
	char tag[IMAP_SERVER_TAG_SIZE], line[LINE_SIZE];
	struct server_caps c;
	size_t len, rest;

	if (resplen > 0)
		resp[0] = '\0';
	*reason_r = REASON_NEGOTIATION;

	/* Greeting: "* OK ...", and not our own (a loop). */
	if (server_read(s, line, &len) < 0)
		return LOGIN_FAILED;
	if (len < 4 || strncasecmp(line, "* OK", 4) != 0 ||
	    (len > 4 && line[4] != ' ')) {
		log_debug("real server greeting is not \"* OK\"");
		return LOGIN_FAILED;
	}
	if (s->loop_token[0] != '\0' &&
	    memmem(line, len, s->loop_token, strlen(s->loop_token)) != NULL) {
		log_info("Loop detected, abandoning connection%s", s->from_to);
		return LOGIN_FAILED;
	}

	if ((options.ssl_mode & (SSL_MODE_TLS_OUTGOING | SSL_MODE_TLS_OUTGOING_FORCE)) &&
	    server_starttls(s) < 0)
		return LOGIN_FAILED;

	/* A greeting that lists the capabilities (Dovecot's does) saves the
	 * CAPABILITY round trip; after STARTTLS they must be asked again. */
	if (s->server_secure == SECURE_STARTTLS || !greeting_caps(line, len, &c)) {
		if (server_capability(s, &c, true) < 0)
			return LOGIN_FAILED;
	}
	if (c.logindisabled) {
		*reason_r = REASON_LOGIN_DISABLED;
		server_logout(s);
		return LOGIN_FAILED;
	}

	next_tag(s, tag);
	if (server_send_login(s, &c, tag, user, a->passwd, line, &len) < 0)
		return LOGIN_FAILED;
	/* line holds the first reply line; forward untagged ones. */
	while (!tagged(line, len, tag, &rest)) {
		if (len > 0 && line[0] == '*')
			forward(s, line, len);
		if (server_read(s, line, &len) < 0)
			return LOGIN_FAILED;
	}
	if (resplen > 0)
		str_copy(resp, line + rest, resplen);
	if (status_ok(line, len, rest))
		return LOGIN_OK;
	*reason_r = REASON_REAUTH;
	server_logout(s);
	return LOGIN_FAILED;
}

static void imap4_reply_ok(struct session *s, const struct auth *a, const char *resp)
{
	if (resp_line_wanted() && resp != NULL && resp[0] != '\0')
		(void)conn_printf(&s->client, "%s %s\r\n", a->tag, resp);
	else
		(void)conn_printf(&s->client, "%s OK %s\r\n", a->tag,
				  options.ok_line != NULL ? options.ok_line : "");
}

static void imap4_reply_fail(struct session *s, const struct auth *a,
			     const char *reason, const char *resp)
{
	if (resp_line_wanted() && resp != NULL && resp[0] != '\0' &&
	    strcmp(reason, REASON_REAUTH) == 0)
		(void)conn_printf(&s->client, "%s %s\r\n", a->tag, resp);
	else
		(void)conn_printf(&s->client, "%s NO failed: %s\r\n", a->tag, reason);
}

const struct protocol protocol_imap4 = {
	.name = "IMAP4",
	.port = "imap",
	.numeric_port = "143",
	.busy_line = "* BYE Too many connections, mate\r\n",
	.greeting = imap4_greeting,
	.read_auth = imap4_read_auth,
	.server_login = imap4_server_login,
	.reply_ok = imap4_reply_ok,
	.reply_fail = imap4_reply_fail,
	.relay_timeout = NULL,
};

const struct protocol protocol_imap4s = {
	.name = "IMAP4S",
	.port = "imaps",
	.numeric_port = "993",
	.busy_line = "* BYE Too many connections, mate\r\n",
	.greeting = imap4_greeting,
	.read_auth = imap4_read_auth,
	.server_login = imap4_server_login,
	.reply_ok = imap4_reply_ok,
	.reply_fail = imap4_reply_fail,
	.relay_timeout = NULL,
};
