/*
 * check_imap4.c: the IMAP4 module over socketpairs: the greeting, the
 * pre-authentication loop (SPEC 3.3, checklist 32-58) and the login on a
 * scripted real server (SPEC 3.5, checklist 47-52, 59).
 *
 * The session hooks imap4.c calls are stubbed here: error sleeps are
 * counted instead of slept, and TLS handshakes always work.  How
 * read_auth() ends is its result; what the client was sent is read back
 * from its socket.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "defs.h"
#include "imap4.h"
#include "proto_core.h"
#include "protocol.h"
#include "session.h"
#include "str.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define LOOP "perdition ready on testhost 0002be72"
#define LOGOUT_IN "z LOGOUT\r\n"
#define LOGOUT_OUT "* BYE IMAP4 server logging out, mate\r\nz OK LOGOUT\r\n"
#define CONT "+ OK ready for additional input\r\n"

static struct session s;
static struct proto_config cfg;
static int cpeer = -1, speer = -1; /* the fake client's and server's ends */

/* ------------------------------------------------------ session stubs */

static int sleeps, tls_server_result;

void session_error_sleep(void)
{
	sleeps++;
}

int session_tls_client(struct session *x)
{
	conn_discard(&x->client);
	x->client_secure = SECURE_STARTTLS;
	return 0;
}

int session_tls_server(struct session *x)
{
	if (tls_server_result == 0)
		x->server_secure = SECURE_STARTTLS;
	return tls_server_result;
}

bool session_client_tls(const struct session *x)
{
	return x->client_secure != SECURE_PLAINTEXT;
}

/* ------------------------------------------------------------ fixture */

static void setup(void)
{
	int cp[2], sp[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, cp), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	memset(&s, 0, sizeof(s));
	s.proto = &protocol_imap4;
	memset(&cfg, 0, sizeof(cfg));
	cfg.imap_capability = "IMAP4 IMAP4REV1";
	cfg.ok_line = "You are so in";
	cfg.pop_capability = "";
	cfg.managesieve_capability = "";
	s.cfg = &cfg;
	conn_init(&s.client, cp[0], cp[0], 5, NULL);
	conn_init(&s.server, sp[0], sp[0], 5, NULL);
	cpeer = cp[1];
	speer = sp[1];
	str_copy(s.loop_token, LOOP, sizeof(s.loop_token));
	sleeps = 0;
	tls_server_result = 0;
}

static void teardown(void)
{
	conn_close(&s.client);
	conn_close(&s.server);
	close(cpeer);
	close(speer);
}

/* Write all of buf to fd, then end that direction. */
static void feed(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		ck_assert_int_gt(w, 0);
		buf += w;
		len -= (size_t)w;
	}
	shutdown(fd, SHUT_WR);
}

/* Everything the peer has been sent so far (malloc'd, NUL-terminated). */
static char *drain(int fd, size_t *len_r)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1);
	ssize_t r;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while ((r = read(fd, buf + len, cap - len)) > 0)
		len += (size_t)r;
	buf[len] = '\0';
	if (len_r != NULL)
		*len_r = len;
	return buf;
}

static void assert_drained(int fd, const char *want)
{
	char *got = drain(fd, NULL);

	ck_assert_msg(strcmp(got, want) == 0, "got [%s] want [%s]", got, want);
	free(got);
}

/* Run read_auth on the given client input; returns how it ended. */
static enum proto_result run_auth(const char *in, size_t len, struct auth *a)
{
	memset(a, 0, sizeof(*a));
	feed(cpeer, in, len);
	return protocol_imap4.read_auth(&s, a);
}

/* ----------------------------------------------------------- greeting */

/* TLS listening modes (ssl_mode tls_listen, tls_listen_force). */
enum { PLAIN = 0, LISTEN = 1, FORCE = 2 };

static void set_listen(int mode)
{
	cfg.tls_listen = mode != PLAIN;
	cfg.tls_listen_force = mode == FORCE;
}

static const struct {
	int listen;
	bool login_disabled;
	const char *imap_capability;
	enum secure secure;
	const char *caps;
} greet_cases[] = {
	{ PLAIN, false, "IMAP4 IMAP4REV1", SECURE_PLAINTEXT, "IMAP4 IMAP4REV1" },
	{ PLAIN, true, "IMAP4 IMAP4REV1", SECURE_PLAINTEXT, "IMAP4 IMAP4REV1 LOGINDISABLED" },
	{ PLAIN, false, "IMAP4REV1 STARTTLS  X", SECURE_PLAINTEXT, "IMAP4REV1 X" },
	{ PLAIN, false, "", SECURE_PLAINTEXT, "" },
#ifdef WITH_SSL_SUPPORT
	{ LISTEN, false, "IMAP4 IMAP4REV1", SECURE_PLAINTEXT,
	  "IMAP4 IMAP4REV1 STARTTLS" },
	{ FORCE, false, "IMAP4 IMAP4REV1", SECURE_PLAINTEXT,
	  "IMAP4 IMAP4REV1 STARTTLS LOGINDISABLED" },
	{ LISTEN, true, "IMAP4 IMAP4REV1", SECURE_PLAINTEXT,
	  "IMAP4 IMAP4REV1 STARTTLS LOGINDISABLED" },
	{ FORCE, false, "IMAP4 IMAP4REV1", SECURE_STARTTLS,
	  "IMAP4 IMAP4REV1" },
	{ LISTEN, true, "IMAP4 IMAP4REV1", SECURE_STARTTLS,
	  "IMAP4 IMAP4REV1" },
#endif
};

START_TEST(test_greeting)
{
	char want[512];

	set_listen(greet_cases[_i].listen);
	cfg.login_disabled = greet_cases[_i].login_disabled;
	cfg.imap_capability = greet_cases[_i].imap_capability;
	s.client_secure = greet_cases[_i].secure;
	ck_assert_int_eq(protocol_imap4.greeting(&s), PROTO_OK);
	snprintf(want, sizeof(want), "* OK [CAPABILITY %s] " LOOP "\r\n",
		 greet_cases[_i].caps);
	assert_drained(cpeer, want);
}
END_TEST

/* ----------------------------------------------- pre-auth command table */

static const struct {
	const char *in;
	size_t len; /* 0: strlen */
	const char *out;
	int sleeps;
} cmd_cases[] = {
	{ "a CAPABILITY\r\n", 0, "* CAPABILITY IMAP4 IMAP4REV1\r\na OK CAPABILITY\r\n", 0 },
	{ "a capability\n", 0, "* CAPABILITY IMAP4 IMAP4REV1\r\na OK CAPABILITY\r\n", 0 },
	{ "b NOOP\r\n", 0, "b OK NOOP\r\n", 0 },
	{ "b NoOp\r\n", 0, "b OK NOOP\r\n", 0 },
	{ "c NOOP x\r\n", 0,
	  "c BAD Argument given to NOOP but there shouldn't be one, mate\r\n", 1 },
	{ "c NOOP \r\n", 0,
	  "c BAD Argument given to NOOP but there shouldn't be one, mate\r\n", 1 },
	{ "c CAPABILITY x\r\n", 0,
	  "c BAD Argument given to CAPABILITY but there shouldn't be one, mate\r\n", 1 },
	{ "c LOGOUT x\r\n", 0,
	  "c BAD Argument given to LOGOUT but there shouldn't be one, mate\r\n", 1 },
	{ "a% NOOP\r\n", 0, "* BAD Invalid tag, mate\r\n", 1 },
	{ "%s%s%s%n NOOP\r\n", 0, "* BAD Invalid tag, mate\r\n", 1 },
	{ "* NOOP\r\n", 0, "* BAD Invalid tag, mate\r\n", 1 },
	{ "( NOOP\r\n", 0, "* BAD Invalid tag, mate\r\n", 1 },
	{ "\" NOOP\r\n", 0, "* BAD Invalid tag, mate\r\n", 1 },
	{ "\\ NOOP\r\n", 0, "* BAD Invalid tag, mate\r\n", 1 },
	{ "a] NOOP\r\n", 0, "* BAD Invalid tag, mate\r\n", 1 },
	{ "{1} NOOP\r\n", 0, "* BAD Invalid tag, mate\r\n", 1 },
	{ "a\x01 NOOP\r\n", 0, "* BAD Invalid tag, mate\r\n", 1 },
	{ "a\0b NOOP\r\n", 10, "* BAD Invalid tag, mate\r\n", 1 },
	{ "\r\n", 0, "* BAD Invalid tag, mate\r\n", 1 },
	{ " NOOP\r\n", 0, "* BAD Invalid tag, mate\r\n", 1 },
	{ "h\r\n", 0, "h BAD Missing command, mate\r\n", 1 },
	{ "i  NOOP\r\n", 0, "i BAD Null command, mate\r\n", 1 },
	{ "i \r\n", 0, "i BAD Null command, mate\r\n", 1 },
	{ "g FOO\r\n", 0, "g BAD Unrecognised command, mate\r\n", 1 },
	{ "x XYZZY (\"name\" \"x\")\r\n", 0, "x BAD Unrecognised command, mate\r\n", 1 },
	/* ID (RFC 2971, issue 14): understood where 2.2 said BAD. */
	{ "x ID (\"name\" \"x\")\r\n", 0,
	  "* ID (\"name\" \"perdition\")\r\nx OK ID completed\r\n", 0 },
	{ "x id NIL\r\n", 0, "* ID (\"name\" \"perdition\")\r\nx OK ID completed\r\n", 0 },
	{ "x ID (\"a\" {2}\r\nbc)\r\n", 0, "+ OK ready for additional input\r\n"
	  "* ID (\"name\" \"perdition\")\r\nx OK ID completed\r\n", 0 },
	{ "x ID (\"a\" {2+}\r\nbc)\r\n", 0,
	  "* ID (\"name\" \"perdition\")\r\nx OK ID completed\r\n", 0 },
	{ "x ID\r\n", 0, "x BAD Mate, try ID NIL or ID (\"field\" \"value\" ...)\r\n", 1 },
	{ "x ID (\"a\")\r\n", 0, "x BAD Mate, try ID NIL or ID (\"field\" \"value\" ...)\r\n", 1 },
	{ "x ID (\"a\" {5000}\r\n", 0,
	  "x BAD Mate, try ID NIL or ID (\"field\" \"value\" ...)\r\n", 1 },
	{ "x ID (\"a\0\" \"b\")\r\n", 17,
	  "x BAD Mate, try ID NIL or ID (\"field\" \"value\" ...)\r\n", 1 },
	{ "x SELECT INBOX\r\n", 0, "x BAD Unrecognised command, mate\r\n", 1 },
	{ "x NOOPS\r\n", 0, "x BAD Unrecognised command, mate\r\n", 1 },
	{ "x NOO\r\n", 0, "x BAD Unrecognised command, mate\r\n", 1 },
	{ "x N\0OP\r\n", 8, "x BAD Unrecognised command, mate\r\n", 1 },
	{ "e AUTHENTICATE CRAM-MD5\r\n", 0,
	  "e NO AUTHENTICATE mechanism not supported, mate\r\n", 0 },
	{ "f AUTHENTICATE\r\n", 0, "f BAD Mate, try AUTHENTICATE <mechanism>\r\n", 1 },
	{ "f AUTHENTICATE CRAM-MD5 AGFAYg==\r\n", 0,
	  "f BAD Mate, try AUTHENTICATE <mechanism>\r\n", 1 },
	{ "f AUTHENTICATE \r\n", 0, "f BAD Mate, try AUTHENTICATE <mechanism>\r\n", 1 },
#ifdef WITH_SSL_SUPPORT
	{ "d STARTTLS\r\n", 0, "d BAD STARTTLS disabled, mate\r\n", 1 },
#else
	{ "d STARTTLS\r\n", 0, "d BAD Unrecognised command, mate\r\n", 1 },
#endif
	{ "j LOGIN bob\r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN\r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN \r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN a b c\r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN a  b\r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN a b \r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN \"\" x\r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN x \"\"\r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN \"b\\o\" x\r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN \"bob x\r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN b\0b x\r\n", 15, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN {0}\r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN {-1}\r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN {4294967296}\r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN {123456789012345678901234567890}\r\n", 0,
	  "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN {4097}\r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN {3} x\r\n", 0, "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN {3}\r\nbob\r\n", 0,
	  CONT "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN {3}\r\nbobx y\r\n", 0,
	  CONT "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	/* A NUL in a password literal: RFC 3501 syntax error (a NUL in the
	 * name is a login the session refuses: test_login_nul_name). */
	{ "j LOGIN bob {3}\r\np\0w\r\n", 22,
	  CONT "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN {3+}\r\nbob {3+}\r\n\0pw\r\n", 29,
	  "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "a NOOP\r\nb NOOP\r\n", 0, "a OK NOOP\r\nb OK NOOP\r\n", 0 },
	/* A refused {n+} literal's bytes and the rest of its command are
	 * read and dropped, never run as commands (issue 15; D-18). */
	{ "j LOGIN {0+}\r\nb LOGOUT\r\n", 0,
	  "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "j LOGIN a b {10+}\r\nb LOGOUT\r\n\r\n", 0,
	  "j BAD Mate, try LOGIN <username> <passwd>\r\n", 1 },
	{ "g FOO {10+}\r\nb LOGOUT\r\n {8+}\r\nc NOOP\r\n\r\n", 0,
	  "g BAD Unrecognised command, mate\r\n", 1 },
	{ "d LOGOUT {10+}\r\nb LOGOUT\r\n\r\n", 0,
	  "d BAD Argument given to LOGOUT but there shouldn't be one, mate\r\n", 1 },
};

START_TEST(test_command)
{
	const char *in = cmd_cases[_i].in;
	size_t len = cmd_cases[_i].len ? cmd_cases[_i].len : strlen(in);
	char *buf = malloc(len + sizeof(LOGOUT_IN));
	char want[1024];
	struct auth a;

	memcpy(buf, in, len);
	memcpy(buf + len, LOGOUT_IN, sizeof(LOGOUT_IN));
	ck_assert_int_eq(run_auth(buf, len + strlen(LOGOUT_IN), &a), PROTO_QUIT);
	snprintf(want, sizeof(want), "%s%s", cmd_cases[_i].out, LOGOUT_OUT);
	assert_drained(cpeer, want);
	ck_assert_int_eq(sleeps, cmd_cases[_i].sleeps);
	free(buf);
}
END_TEST

START_TEST(test_long_line)
{
	size_t len = 5000;
	char *buf = malloc(len + 2 + sizeof(LOGOUT_IN));
	struct auth a;

	memcpy(buf, "a LOGIN ", 8);
	memset(buf + 8, 'x', len - 8);
	memcpy(buf + len, "\r\n" LOGOUT_IN, 2 + sizeof(LOGOUT_IN));
	ck_assert_int_eq(run_auth(buf, strlen(buf), &a), PROTO_QUIT);
	assert_drained(cpeer, "* BAD Line too long, mate\r\n" LOGOUT_OUT);
	ck_assert_int_eq(sleeps, 1);
	free(buf);
}
END_TEST

START_TEST(test_eof)
{
	struct auth a;

	ck_assert_int_eq(run_auth("a NOOP\r\n", 8, &a), PROTO_READ_FAILED);
	assert_drained(cpeer, "a OK NOOP\r\n");
}
END_TEST

/* A client that cannot be written to is logged as a failed read. */
START_TEST(test_client_gone)
{
	struct auth a;

	signal(SIGPIPE, SIG_IGN);
	memset(&a, 0, sizeof(a));
	feed(cpeer, "a NOOP\r\n", 8);
	close(cpeer);
	cpeer = -1;
	ck_assert_int_eq(protocol_imap4.read_auth(&s, &a), PROTO_READ_FAILED);
	ck_assert_ptr_null(a.user);
}
END_TEST

START_TEST(test_eof_in_literal)
{
	struct auth a;
	const char *in = "a LOGIN {5}\r\nbo";

	ck_assert_int_eq(run_auth(in, strlen(in), &a), PROTO_READ_FAILED);
	ck_assert_ptr_null(a.user);
	assert_drained(cpeer, CONT);
}
END_TEST

/* An over-limit {n+} literal (a password, say) below the discard bound
 * is read and dropped: the commands inside it are not run. */
START_TEST(test_big_plus_literal)
{
	static const char head[] = "j LOGIN {5000+}\r\n";
	size_t n = strlen(head), i;
	char *buf = malloc(n + 5000 + 2 + sizeof(LOGOUT_IN));
	struct auth a;

	memcpy(buf, head, n);
	for (i = 0; i < 5000; i++)
		buf[n + i] = "b LOGOUT\r\n"[i % 10];
	memcpy(buf + n + 5000, "\r\n" LOGOUT_IN, 2 + sizeof(LOGOUT_IN));
	ck_assert_int_eq(run_auth(buf, strlen(buf), &a), PROTO_QUIT);
	assert_drained(cpeer, "j BAD Mate, try LOGIN <username> <passwd>\r\n"
		       LOGOUT_OUT);
	free(buf);
}
END_TEST

/* Past the discard bound the client is given up on. */
START_TEST(test_huge_plus_literal)
{
	struct auth a;
	const char *in = "j LOGIN {70000+}\r\nb LOGOUT\r\n";

	ck_assert_int_eq(run_auth(in, strlen(in), &a), PROTO_READ_FAILED);
	ck_assert_ptr_null(a.user);
	assert_drained(cpeer, "j BAD Mate, try LOGIN <username> <passwd>\r\n");
}
END_TEST

/* ------------------------------------------------------- LOGIN parsing */

static const struct {
	const char *in;
	const char *tag, *user, *pass;
	const char *out;    /* sent to the client before returning */
	const char *rest;   /* left buffered (D-5) */
	int sleeps;
} login_cases[] = {
	{ "l LOGIN \"bob\" \"good pass\"\r\n", "l", "bob", "good pass", "", "", 0 },
	{ "l login bob secret\r\n", "l", "bob", "secret", "", "", 0 },
	{ "l LOGIN bob secret\n", "l", "bob", "secret", "", "", 0 },
	{ "a LOGIN {3}\r\nbob {9}\r\ngood pass\r\n", "a", "bob", "good pass",
	  CONT CONT, "", 0 },
	{ "a LOGIN {3+}\r\nbob {9+}\r\ngood pass\r\n", "a", "bob", "good pass",
	  "", "", 0 },
	/* D-10: each argument decoded by its own type */
	{ "a LOGIN {3}\r\nbob \"q\\\"x\"\r\n", "a", "bob", "q\"x", CONT, "", 0 },
	{ "a LOGIN \"bob\" {4}\r\np\\\"x\r\n", "a", "bob", "p\\\"x", CONT, "", 0 },
	{ "a LOGIN \"b\\\"o\" x\r\n", "a", "b\"o", "x", "", "", 0 },
	{ "a LOGIN \"a\\\\b\" \"{3}\"\r\n", "a", "a\\b", "{3}", "", "", 0 },
	{ "a LOGIN bob {4}\r\na\r\nb\r\n", "a", "bob", "a\r\nb", CONT, "", 0 },
	{ "a LOGIN bob p%s%n*(\r\n", "a", "bob", "p%s%n*(", "", "", 0 },
	/* D-5: what follows LOGIN stays buffered */
	{ "a LOGIN bob pass\r\nx SELECT INBOX\r\n", "a", "bob", "pass", "",
	  "x SELECT INBOX\r\n", 0 },
	{ "a LOGIN {3+}\r\nbob pass\r\nx SELECT INBOX\r\ny", "a", "bob", "pass", "",
	  "x SELECT INBOX\r\ny", 0 },
	/* errors first, then a login in the same loop */
	{ "a NOOP x\r\nb LOGIN u p\r\n", "b", "u", "p",
	  "a BAD Argument given to NOOP but there shouldn't be one, mate\r\n", "", 1 },
	{ "a LOGIN u\r\nb CAPABILITY\r\nc LOGIN u p\r\n", "c", "u", "p",
	  "a BAD Mate, try LOGIN <username> <passwd>\r\n"
	  "* CAPABILITY IMAP4 IMAP4REV1\r\nb OK CAPABILITY\r\n", "", 1 },
};

START_TEST(test_login)
{
	struct auth a;
	size_t n;
	char rest[256];

	ck_assert_int_eq(run_auth(login_cases[_i].in, strlen(login_cases[_i].in), &a),
			 PROTO_CREDENTIALS);
	ck_assert_str_eq(a.tag, login_cases[_i].tag);
	ck_assert_str_eq(a.user, login_cases[_i].user);
	ck_assert_str_eq(a.passwd, login_cases[_i].pass);
	ck_assert_uint_eq(a.user_len, strlen(login_cases[_i].user));
	ck_assert_ptr_null(a.authz);
	assert_drained(cpeer, login_cases[_i].out);
	ck_assert_int_eq(sleeps, login_cases[_i].sleeps);
	n = conn_buffered(&s.client);
	ck_assert_uint_lt(n, sizeof(rest));
	memcpy(rest, conn_buffered_data(&s.client), n);
	rest[n] = '\0';
	ck_assert_str_eq(rest, login_cases[_i].rest);
	free(a.user);
	free(a.passwd);
}
END_TEST

/* ---------------------------------------------- AUTHENTICATE PLAIN */

/* base64 of "\0bob\0good pass" and "admin\0bob\0good pass". */
#define B64_BOB "AGJvYgBnb29kIHBhc3M="
#define B64_ADMIN "YWRtaW4AYm9iAGdvb2QgcGFzcw=="

static const struct {
	const char *in;
	bool allow_authz;
	enum proto_result want;
	const char *authz, *out;
	int sleeps;
} sasl_cases[] = {
	{ "a AUTHENTICATE PLAIN " B64_BOB "\r\n", false, PROTO_CREDENTIALS, NULL, "", 0 },
	{ "a authenticate plain\r\n" B64_BOB "\r\n", false, PROTO_CREDENTIALS, NULL, "+ \r\n", 0 },
	{ "a AUTHENTICATE PLAIN " B64_ADMIN "\r\n", true, PROTO_CREDENTIALS, "admin", "", 0 },
	{ "a AUTHENTICATE PLAIN " B64_ADMIN "\r\n", false, PROTO_AUTH_FAILED, NULL,
	  "a NO Authorisation id differs from authentication id, not allowed, mate\r\n", 1 },
	{ "a AUTHENTICATE PLAIN\r\n*\r\n", false, PROTO_AUTH_FAILED, NULL,
	  "+ \r\na BAD Authentication cancelled, mate\r\n", 1 },
	{ "a AUTHENTICATE PLAIN =\r\n", false, PROTO_AUTH_FAILED, NULL,
	  "a NO Empty SASL PLAIN response, mate\r\n", 1 },
	{ "a AUTHENTICATE PLAIN %s%n\r\n", false, PROTO_AUTH_FAILED, NULL,
	  "a BAD Invalid base64 in SASL PLAIN response, mate\r\n", 1 },
	{ "a AUTHENTICATE PLAIN\r\n\x01\x02\xff\r\n", false, PROTO_AUTH_FAILED, NULL,
	  "+ \r\na BAD Invalid base64 in SASL PLAIN response, mate\r\n", 1 },
	{ "a AUTHENTICATE PLAIN YWJj\r\n", false, PROTO_AUTH_FAILED, NULL,
	  "a NO SASL PLAIN response has no authentication id, mate\r\n", 1 },
	{ "a AUTHENTICATE PLAIN\r\n", false, PROTO_READ_FAILED, NULL, "+ \r\n", 0 },
};

START_TEST(test_sasl)
{
	struct auth a;

	cfg.sasl_authorisation_id = sasl_cases[_i].allow_authz;
	ck_assert_int_eq(run_auth(sasl_cases[_i].in, strlen(sasl_cases[_i].in), &a),
			 sasl_cases[_i].want);
	assert_drained(cpeer, sasl_cases[_i].out);
	ck_assert_int_eq(sleeps, sasl_cases[_i].sleeps);
	if (sasl_cases[_i].want == PROTO_CREDENTIALS) {
		ck_assert_str_eq(a.tag, "a");
		ck_assert_str_eq(a.user, "bob");
		ck_assert_str_eq(a.passwd, "good pass");
		if (sasl_cases[_i].authz == NULL)
			ck_assert_ptr_null(a.authz);
		else
			ck_assert_str_eq(a.authz, sasl_cases[_i].authz);
	} else {
		ck_assert_ptr_null(a.user);
		ck_assert_ptr_null(a.passwd);
	}
	free(a.authz);
	free(a.user);
	free(a.passwd);
	cfg.sasl_authorisation_id = false;
}
END_TEST

/* A NUL in a literal name reaches the session whole, with its length,
 * for the session to refuse before any lookup (issue 12). */
static const struct {
	const char *in;
	size_t len;
	const char *user;
	size_t user_len;
	const char *pass, *out;
} nul_cases[] = {
	{ "j LOGIN {3}\r\nb\0b y\r\n", 20, "b\0b", 3, "y", CONT },
	{ "j LOGIN {6+}\r\nalice\0 pw\r\n", 25, "alice\0", 6, "pw", "" },
	{ "j LOGIN {1+}\r\n\0 \"pw\"\r\n", 22, "\0", 1, "pw", "" },
};

START_TEST(test_login_nul_name)
{
	struct auth a;

	ck_assert_int_eq(run_auth(nul_cases[_i].in, nul_cases[_i].len, &a), PROTO_CREDENTIALS);
	ck_assert_str_eq(a.tag, "j");
	ck_assert_uint_eq(a.user_len, nul_cases[_i].user_len);
	ck_assert_mem_eq(a.user, nul_cases[_i].user, a.user_len + 1);
	ck_assert_uint_lt(strlen(a.user), a.user_len);
	ck_assert_str_eq(a.passwd, nul_cases[_i].pass);
	assert_drained(cpeer, nul_cases[_i].out);
	ck_assert_int_eq(sleeps, 0);
	free(a.user);
	free(a.passwd);
}
END_TEST

/* After a login fails the loop goes on with what was pipelined (D-5). */
START_TEST(test_login_again)
{
	struct auth a;
	const char *in = "a LOGIN u p\r\nb NOOP\r\nc LOGIN v q\r\n";

	ck_assert_int_eq(run_auth(in, strlen(in), &a), PROTO_CREDENTIALS);
	ck_assert_str_eq(a.user, "u");
	free(a.user);
	free(a.passwd);
	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(protocol_imap4.read_auth(&s, &a), PROTO_CREDENTIALS);
	ck_assert_str_eq(a.tag, "c");
	ck_assert_str_eq(a.user, "v");
	ck_assert_str_eq(a.passwd, "q");
	assert_drained(cpeer, "b OK NOOP\r\n");
	free(a.user);
	free(a.passwd);
}
END_TEST

#ifdef WITH_SSL_SUPPORT
START_TEST(test_starttls)
{
	struct auth a;
	const char *in = "d STARTTLS\r\n";

	set_listen(LISTEN);
	ck_assert_int_eq(run_auth(in, strlen(in), &a), PROTO_READ_FAILED);
	assert_drained(cpeer, "d OK Begin TLS negotiation now\r\n");
	ck_assert_int_eq(s.client_secure, SECURE_STARTTLS);
	ck_assert_int_eq(sleeps, 0);
}
END_TEST

START_TEST(test_starttls_again)
{
	struct auth a;
	const char *in = "e STARTTLS\r\nf CAPABILITY\r\ng STARTTLS x\r\n";

	set_listen(FORCE);
	s.client_secure = SECURE_STARTTLS;
	ck_assert_int_eq(run_auth(in, strlen(in), &a), PROTO_READ_FAILED);
	assert_drained(cpeer, "e BAD SSL already active, mate\r\n"
		       "* CAPABILITY IMAP4 IMAP4REV1\r\nf OK CAPABILITY\r\n"
		       "g BAD Argument given to STARTTLS but there shouldn't be one, mate\r\n");
	ck_assert_int_eq(sleeps, 2);
}
END_TEST
#endif

/* --------------------------------------------------------- real server */

/* TLS to the real server (ssl_mode tls_outgoing, tls_outgoing_force). */
enum { OUT = 1, OUT_FORCE = 2 };

static const struct {
	const char *name;
	int outgoing;
	unsigned first_tag;
	const char *script;  /* what the server says */
	const char *sent;    /* what it must receive */
	int result;
	const char *reason;  /* on failure */
	const char *resp;
	const char *client;  /* forwarded to the client */
} srv_cases[] = {
	{ "plain", 0, 0,
	  "* OK IMAP ready\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nflim07 OK done\r\n"
	  "+ go\r\n+ go\r\nflim08 OK Logged in\r\n",
	  "flim07 CAPABILITY\r\nflim08 LOGIN {3}\r\nbob {9}\r\ngood pass\r\n",
	  LOGIN_OK, NULL, "OK Logged in", "" },
	{ "literal+", 0, 0,
	  "* OK\r\n* CAPABILITY IMAP4rev1 LITERAL+\r\nflim07 OK done\r\n"
	  "flim08 ok [CAPABILITY IMAP4rev1 X] Logged in\r\n",
	  "flim07 CAPABILITY\r\nflim08 LOGIN {3+}\r\nbob {9+}\r\ngood pass\r\n",
	  LOGIN_OK, NULL, "ok [CAPABILITY IMAP4rev1 X] Logged in", "" },
	{ "literal-", 0, 0,
	  "* OK\r\n* CAPABILITY IMAP4rev1 literal-\r\nflim07 OK\r\nflim08 OK\r\n",
	  "flim07 CAPABILITY\r\nflim08 LOGIN {3+}\r\nbob {9+}\r\ngood pass\r\n",
	  LOGIN_OK, NULL, "OK", "" },
	{ "untagged forwarded", 0, 0,
	  "* OK hi\r\n* CAPABILITY IMAP4rev1\r\n* OK [ALERT] note\r\nflim07 OK\r\n"
	  "+ \r\n* NO warn\r\n+\r\n* 3 EXISTS\r\nflim08 OK in\r\n",
	  "flim07 CAPABILITY\r\nflim08 LOGIN {3}\r\nbob {9}\r\ngood pass\r\n",
	  LOGIN_OK, NULL, "OK in", "* OK [ALERT] note\r\n* NO warn\r\n* 3 EXISTS\r\n" },
	{ "greeting caps", 0, 0,
	  "* OK [CAPABILITY IMAP4rev1 LITERAL+ AUTH=PLAIN] ready\r\nflim07 OK in\r\n",
	  "flim07 LOGIN {3+}\r\nbob {9+}\r\ngood pass\r\n",
	  LOGIN_OK, NULL, "OK in", "" },
	{ "greeting caps logindisabled", 0, 0,
	  "* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] ready\r\n* BYE\r\nflim07 OK\r\n",
	  "flim07 LOGOUT\r\n",
	  LOGIN_FAILED, REASON_LOGIN_DISABLED, "", "" },
	{ "greeting caps unterminated", 0, 0,
	  "* OK [CAPABILITY IMAP4rev1 LITERAL+ ready\r\n* CAPABILITY IMAP4rev1\r\n"
	  "flim07 OK\r\n+\r\n+\r\nflim08 OK\r\n",
	  "flim07 CAPABILITY\r\nflim08 LOGIN {3}\r\nbob {9}\r\ngood pass\r\n",
	  LOGIN_OK, NULL, "OK", "" },
	{ "rejected", 0, 0,
	  "* OK\r\n* CAPABILITY IMAP4rev1\r\nflim07 OK\r\n+\r\n+\r\n"
	  "flim08 NO [AUTHENTICATIONFAILED] bad\r\n* BYE\r\n",
	  "flim07 CAPABILITY\r\nflim08 LOGIN {3}\r\nbob {9}\r\ngood pass\r\n"
	  "flim09 LOGOUT\r\n",
	  LOGIN_FAILED, REASON_REAUTH, "NO [AUTHENTICATIONFAILED] bad", "" },
	{ "no literal", 0, 0,
	  "* OK\r\n* CAPABILITY IMAP4rev1\r\nflim07 OK\r\nflim08 BAD literals\r\n",
	  "flim07 CAPABILITY\r\nflim08 LOGIN {3}\r\nflim09 LOGOUT\r\n",
	  LOGIN_FAILED, REASON_REAUTH, "BAD literals", "" },
	{ "retry tags", 0, 2,
	  "* OK\r\n* CAPABILITY IMAP4rev1\r\nflim09 OK\r\n+\r\n+\r\nflim0a NO\r\n",
	  "flim09 CAPABILITY\r\nflim0a LOGIN {3}\r\nbob {9}\r\ngood pass\r\n"
	  "flim0b LOGOUT\r\n",
	  LOGIN_FAILED, REASON_REAUTH, "NO", "" },
	{ "tag carry", 0, 28,
	  "* OK\r\n* CAPABILITY IMAP4rev1 LITERAL+\r\nflim0z OK\r\nflim0A OK\r\n",
	  "flim0z CAPABILITY\r\nflim0A LOGIN {3+}\r\nbob {9+}\r\ngood pass\r\n",
	  LOGIN_OK, NULL, "OK", "" },
	{ "logindisabled", 0, 0,
	  "* OK\r\n* CAPABILITY IMAP4rev1 LOGINDISABLED\r\nflim07 OK\r\n",
	  "flim07 CAPABILITY\r\nflim08 LOGOUT\r\n",
	  LOGIN_FAILED, REASON_LOGIN_DISABLED, "", "" },
	{ "preauth", 0, 0, "* PREAUTH hi\r\n", "", LOGIN_FAILED, REASON_NEGOTIATION, "", "" },
	{ "bye", 0, 0, "* BYE go away\r\n", "", LOGIN_FAILED, REASON_NEGOTIATION, "", "" },
	{ "okay", 0, 0, "* OKAY\r\n", "", LOGIN_FAILED, REASON_NEGOTIATION, "", "" },
	{ "pop3", 0, 0, "+OK POP3\r\n", "", LOGIN_FAILED, REASON_NEGOTIATION, "", "" },
	{ "empty", 0, 0, "", "", LOGIN_FAILED, REASON_NEGOTIATION, "", "" },
	{ "loop", 0, 0, "* OK [CAPABILITY IMAP4 IMAP4REV1] " LOOP "\r\n", "",
	  LOGIN_FAILED, REASON_NEGOTIATION, "", "" },
	{ "capability NO", 0, 0, "* OK\r\nflim07 NO\r\n", "flim07 CAPABILITY\r\n",
	  LOGIN_FAILED, REASON_NEGOTIATION, "", "" },
	{ "eof after greeting", 0, 0, "* OK\r\n", "flim07 CAPABILITY\r\n",
	  LOGIN_FAILED, REASON_NEGOTIATION, "", "" },
	{ "eof in login", 0, 0, "* OK\r\n* CAPABILITY X\r\nflim07 OK\r\n+\r\n",
	  "flim07 CAPABILITY\r\nflim08 LOGIN {3}\r\nbob {9}\r\n",
	  LOGIN_FAILED, REASON_NEGOTIATION, "", "" },
#ifdef WITH_SSL_SUPPORT
	{ "tls_outgoing without STARTTLS", OUT, 0,
	  "* OK\r\n* CAPABILITY IMAP4rev1\r\nflim07 OK\r\n"
	  "* CAPABILITY IMAP4rev1 LITERAL+\r\nflim08 OK\r\nflim09 OK\r\n",
	  "flim07 CAPABILITY\r\nflim08 CAPABILITY\r\nflim09 LOGIN {3+}\r\nbob {9+}\r\n"
	  "good pass\r\n", LOGIN_OK, NULL, "OK", "" },
	{ "tls_outgoing_force without STARTTLS", OUT_FORCE, 0,
	  "* OK\r\n* CAPABILITY IMAP4rev1\r\nflim07 OK\r\n",
	  "flim07 CAPABILITY\r\n", LOGIN_FAILED, REASON_NEGOTIATION, "", "" },
	{ "tls_outgoing STARTTLS", OUT, 0,
	  "* OK\r\n* CAPABILITY IMAP4rev1 STARTTLS\r\nflim07 OK\r\nflim08 OK go\r\n"
	  "* CAPABILITY IMAP4rev1 LITERAL+\r\nflim09 OK\r\nflim0a OK\r\n",
	  "flim07 CAPABILITY\r\nflim08 STARTTLS\r\nflim09 CAPABILITY\r\n"
	  "flim0a LOGIN {3+}\r\nbob {9+}\r\ngood pass\r\n", LOGIN_OK, NULL, "OK", "" },
	{ "tls_outgoing STARTTLS refused", OUT, 0,
	  "* OK\r\n* CAPABILITY IMAP4rev1 STARTTLS\r\nflim07 OK\r\nflim08 BAD no\r\n",
	  "flim07 CAPABILITY\r\nflim08 STARTTLS\r\n", LOGIN_FAILED,
	  REASON_NEGOTIATION, "", "" },
#endif
};

START_TEST(test_server)
{
	struct auth a;
	char resp[MAX_LINE_LENGTH + 1];
	const char *reason = NULL;
	enum login_result r;

	memset(&a, 0, sizeof(a));
	a.user = "bob";
	a.passwd = "good pass";
	str_copy(a.tag, "l", sizeof(a.tag));
	cfg.tls_outgoing = srv_cases[_i].outgoing != 0;
	cfg.tls_outgoing_force = srv_cases[_i].outgoing == OUT_FORCE;
	s.imap_tag = srv_cases[_i].first_tag;
	feed(speer, srv_cases[_i].script, strlen(srv_cases[_i].script));
	r = protocol_imap4.server_login(&s, &a, "bob", resp, sizeof(resp), &reason);
	ck_assert_msg((int)r == srv_cases[_i].result, "%s: result %d", srv_cases[_i].name, r);
	if (r != LOGIN_OK)
		ck_assert_str_eq(reason, srv_cases[_i].reason);
	ck_assert_str_eq(resp, srv_cases[_i].resp);
	assert_drained(speer, srv_cases[_i].sent);
	assert_drained(cpeer, srv_cases[_i].client);
}
END_TEST

/* A server line longer than our limit is a negotiation failure. */
START_TEST(test_server_long_line)
{
	struct auth a = { .user = "bob", .passwd = "pw" };
	char *script = malloc(MAX_LINE_LENGTH + 32);
	const char *reason = NULL;
	char resp[64];

	memcpy(script, "* OK ", 5);
	memset(script + 5, 'x', MAX_LINE_LENGTH);
	memcpy(script + 5 + MAX_LINE_LENGTH, "\r\n", 3);
	feed(speer, script, strlen(script));
	ck_assert_int_eq(protocol_imap4.server_login(&s, &a, "bob", resp, sizeof(resp),
						     &reason), LOGIN_FAILED);
	ck_assert_str_eq(reason, REASON_NEGOTIATION);
	free(script);
}
END_TEST

/* ------------------------------------------------------------- replies */

static const struct {
	bool resp_line;
	const char *ok_line;
	const char *reason; /* NULL: reply_ok */
	const char *resp;
	const char *out;
} reply_cases[] = {
	{ false, "You are so in", NULL, "OK Logged in", "l OK You are so in\r\n" },
	{ false, "Text", NULL, "", "l OK Text\r\n" },
	{ true, "You are so in", NULL, "OK [CAPABILITY IMAP4rev1] Logged in",
	  "l OK [CAPABILITY IMAP4rev1] Logged in\r\n" },
	{ true, "You are so in", NULL, "", "l OK You are so in\r\n" },
	{ false, "x", REASON_REAUTH, "NO bad", "l NO failed: Re-Authentication Failure\r\n" },
	{ true, "x", REASON_REAUTH, "NO [AUTHENTICATIONFAILED] bad",
	  "l NO [AUTHENTICATIONFAILED] bad\r\n" },
	{ true, "x", REASON_REAUTH, "", "l NO failed: Re-Authentication Failure\r\n" },
	{ true, "x", REASON_NEGOTIATION, "NO x",
	  "l NO failed: Connection Negotiation Failure\r\n" },
	{ false, "x", REASON_LOGIN_DISABLED, "", "l NO failed: Login Disabled\r\n" },
	{ false, "x", REASON_NO_SERVER, "", "l NO failed: Could not determine server\r\n" },
};

START_TEST(test_reply)
{
	struct auth a = { .user = "bob" };

	str_copy(a.tag, "l", sizeof(a.tag));
	cfg.resp_line = reply_cases[_i].resp_line;
	cfg.ok_line = reply_cases[_i].ok_line;
	if (reply_cases[_i].reason == NULL)
		protocol_imap4.reply_ok(&s, &a, reply_cases[_i].resp);
	else
		protocol_imap4.reply_fail(&s, &a, reply_cases[_i].reason,
					  reply_cases[_i].resp);
	assert_drained(cpeer, reply_cases[_i].out);
}
END_TEST

START_TEST(test_tables)
{
	ck_assert_str_eq(protocol_imap4.name, "IMAP4");
	ck_assert_str_eq(protocol_imap4.port, "imap");
	ck_assert_str_eq(protocol_imap4.numeric_port, "143");
	ck_assert_str_eq(protocol_imap4s.name, "IMAP4S");
	ck_assert_str_eq(protocol_imap4s.port, "imaps");
	ck_assert_str_eq(protocol_imap4s.numeric_port, "993");
	ck_assert_str_eq(protocol_imap4.busy_line, "* BYE Too many connections, mate\r\n");
	ck_assert_ptr_null(protocol_imap4.relay_timeout);
	ck_assert_ptr_null(protocol_imap4s.relay_timeout);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("imap4");
	TCase *tc;
	SRunner *sr;
	int failed;

	tc = tcase_create("client");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_greeting, 0, (int)N(greet_cases));
	tcase_add_loop_test(tc, test_command, 0, (int)N(cmd_cases));
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_eof);
	tcase_add_test(tc, test_client_gone);
	tcase_add_test(tc, test_eof_in_literal);
	tcase_add_test(tc, test_big_plus_literal);
	tcase_add_test(tc, test_huge_plus_literal);
	tcase_add_loop_test(tc, test_login, 0, (int)N(login_cases));
	tcase_add_loop_test(tc, test_sasl, 0, (int)N(sasl_cases));
	tcase_add_test(tc, test_login_again);
	tcase_add_loop_test(tc, test_login_nul_name, 0, (int)N(nul_cases));
#ifdef WITH_SSL_SUPPORT
	tcase_add_test(tc, test_starttls);
	tcase_add_test(tc, test_starttls_again);
#endif
	suite_add_tcase(su, tc);

	tc = tcase_create("server");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_server, 0, (int)N(srv_cases));
	tcase_add_test(tc, test_server_long_line);
	tcase_add_loop_test(tc, test_reply, 0, (int)N(reply_cases));
	tcase_add_test(tc, test_tables);
	suite_add_tcase(su, tc);

	sr = srunner_create(su);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
