/*
 * check_pop3.c: unit tests of the POP3 module: the pure command parser
 * and reply decisions, the CAPA list, and read_auth()/server_login()
 * over socket pairs.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "pop3.h"
#include "protocol.h"
#include "script_peer.h"
#include "session.h"
#include "str.h"

#define NOSLEEP 0
#define SLEEP 1
#define ANY (-1)

/* Tokens of the replies, to keep the table readable. */
#define T_NULL "-ERR Null command, mate"
#define T_SHORT "-ERR Mate, the command is too short, must be one of CAPA, USER, PASS or QUIT"
#define T_SHORT_S "-ERR Mate, the command is too short, must be one of STLS, CAPA, USER, PASS or QUIT"
#define T_ONEOF "-ERR Mate, the command must be one of CAPA, USER, PASS or QUIT"
#define T_ONEOF_S "-ERR Mate, the command must be one of STLS, CAPA, USER, PASS or QUIT"

struct dcase {
	const char *line;
	size_t len;           /* 0: strlen(line) */
	bool tls_listen, tls_active, have_user;
	enum pop3_action act;
	const char *text;     /* expected reply text, or NULL */
	int sleep;            /* SLEEP, NOSLEEP or ANY */
	const char *arg;      /* expected arg for USER/PASS */
	size_t arg_len;       /* 0: strlen(arg) */
};

#define L(s) s, sizeof(s) - 1

static const struct dcase dcases[] = {
	/* SPEC 13.11-13.19 */
	{ "", 0, 0, 0, 0, POP3_ACT_ERROR, T_NULL, SLEEP, NULL, 0 },
	{ "\r", 0, 0, 0, 0, POP3_ACT_ERROR, T_NULL, SLEEP, NULL, 0 },
	{ "AU", 0, 0, 0, 0, POP3_ACT_ERROR, T_SHORT, NOSLEEP, NULL, 0 },
	{ "a", 0, 0, 0, 0, POP3_ACT_ERROR, T_SHORT, NOSLEEP, NULL, 0 },
	{ "aut", 0, 0, 0, 0, POP3_ACT_ERROR, T_SHORT, NOSLEEP, NULL, 0 },
	{ "AX", 0, 0, 0, 0, POP3_ACT_ERROR, T_SHORT, SLEEP, NULL, 0 },
	{ "NOOP", 0, 0, 0, 0, POP3_ACT_ERROR, T_ONEOF, SLEEP, NULL, 0 },
	{ "AUTH PLAIN", 0, 0, 0, 0, POP3_ACT_AUTH, NULL, NOSLEEP, "PLAIN", 0 },
	{ "auth", 0, 0, 0, 0, POP3_ACT_AUTH_LIST, NULL, NOSLEEP, NULL, 0 },
	{ "AUTH PLAIN AGJvYgBwdw==", 0, 0, 0, 1, POP3_ACT_AUTH, NULL, NOSLEEP,
	  "PLAIN AGJvYgBwdw==", 0 },
	{ "AUTHX", 0, 0, 0, 0, POP3_ACT_ERROR, T_SHORT, SLEEP, NULL, 0 },
	{ "CAPA", 0, 0, 0, 0, POP3_ACT_CAPA, NULL, ANY, NULL, 0 },
	{ "capa", 0, 0, 0, 0, POP3_ACT_CAPA, NULL, ANY, NULL, 0 },
	{ "CAPA x", 0, 0, 0, 0, POP3_ACT_ERROR, "-ERR Mate, try: CAPA", SLEEP, NULL, 0 },
	{ "CAPA ", 0, 0, 0, 0, POP3_ACT_ERROR, "-ERR Mate, try: CAPA", SLEEP, NULL, 0 },
	{ "USER bob", 0, 0, 0, 0, POP3_ACT_USER, NULL, ANY, "bob", 0 },
	{ "user Bob@example.com", 0, 0, 0, 1, POP3_ACT_USER, NULL, ANY, "Bob@example.com", 0 },
	{ "USER a b", 0, 0, 0, 0, POP3_ACT_ERROR, "-ERR Mate, try: USER <username>", SLEEP, NULL, 0 },
	{ "USER  bob", 0, 0, 0, 0, POP3_ACT_ERROR, "-ERR Mate, try: USER <username>", SLEEP, NULL, 0 },
	{ "USER", 0, 0, 0, 0, POP3_ACT_ERROR, "-ERR Mate, try: USER <username>", SLEEP, NULL, 0 },
	{ "USER ", 0, 0, 0, 0, POP3_ACT_ERROR, "-ERR Mate, try: USER <username>", SLEEP, NULL, 0 },
	{ "PASS x", 0, 0, 0, 0, POP3_ACT_ERROR, "-ERR USER not yet set, mate", SLEEP, NULL, 0 },
	{ "PASS", 0, 0, 0, 0, POP3_ACT_ERROR, "-ERR USER not yet set, mate", SLEEP, NULL, 0 },
	{ "PASS", 0, 0, 0, 1, POP3_ACT_ERROR, "-ERR Mate, try: PASS <password>", SLEEP, NULL, 0 },
	{ "PASS a  b", 0, 0, 0, 1, POP3_ACT_PASS, NULL, ANY, "a  b", 0 },
	{ "PASS good pass", 0, 0, 0, 1, POP3_ACT_PASS, NULL, ANY, "good pass", 0 },
	{ "pass  lead", 0, 0, 0, 1, POP3_ACT_PASS, NULL, ANY, " lead", 0 },
	{ "PASS ", 0, 0, 0, 1, POP3_ACT_PASS, NULL, ANY, "", 0 },
	{ "QUIT", 0, 0, 0, 0, POP3_ACT_QUIT, "+OK QUIT", ANY, NULL, 0 },
	{ "quit", 0, 0, 0, 1, POP3_ACT_QUIT, "+OK QUIT", ANY, NULL, 0 },
	{ "QUIT x", 0, 0, 0, 0, POP3_ACT_ERROR, "-ERR Mate, try: QUIT", SLEEP, NULL, 0 },
	/* STLS, SPEC 13.10, 13.14, 13.26 */
	{ "STLS", 0, 0, 0, 0, POP3_ACT_ERROR, T_ONEOF, SLEEP, NULL, 0 },
	{ "STLS", 0, 1, 0, 0, POP3_ACT_STLS, "+OK Begin TLS negotiation, mate", ANY, NULL, 0 },
	{ "stls", 0, 1, 0, 0, POP3_ACT_STLS, "+OK Begin TLS negotiation, mate", ANY, NULL, 0 },
	{ "STLS", 0, 1, 1, 0, POP3_ACT_ERROR, "-ERR TLS already active, mate", SLEEP, NULL, 0 },
	{ "STLS x", 0, 1, 0, 0, POP3_ACT_ERROR, "-ERR Mate, try: STLS", SLEEP, NULL, 0 },
	{ "NOOP", 0, 1, 0, 0, POP3_ACT_ERROR, T_ONEOF_S, SLEEP, NULL, 0 },
	{ "AUTH", 0, 1, 0, 0, POP3_ACT_AUTH_LIST, NULL, NOSLEEP, NULL, 0 },
	{ "AU", 0, 1, 0, 0, POP3_ACT_ERROR, T_SHORT_S, NOSLEEP, NULL, 0 },
	{ "NOOP", 0, 1, 1, 0, POP3_ACT_ERROR, T_ONEOF, SLEEP, NULL, 0 },
	/* Garbage: NUL and control bytes, CRs, odd spacing. */
	{ L("US\0R bob"), 0, 0, 0, POP3_ACT_ERROR, T_ONEOF, SLEEP, NULL, 0 },
	{ L("USER b\0b"), 0, 0, 0, POP3_ACT_ERROR, "-ERR Mate, try: USER <username>", SLEEP, NULL, 0 },
	{ L("PASS a\0b"), 0, 0, 1, POP3_ACT_ERROR, "-ERR Mate, try: PASS <password>", SLEEP, NULL, 0 },
	{ L("\0\0\0\0"), 0, 0, 0, POP3_ACT_ERROR, T_ONEOF, SLEEP, NULL, 0 },
	{ L("\0"), 0, 0, 0, POP3_ACT_ERROR, T_SHORT, SLEEP, NULL, 0 },
	{ "\x01\x02\x03\x04", 0, 0, 0, 0, POP3_ACT_ERROR, T_ONEOF, SLEEP, NULL, 0 },
	{ "\x7f\xff\x80\x1b bob", 0, 0, 0, 0, POP3_ACT_ERROR, T_ONEOF, SLEEP, NULL, 0 },
	{ "US\rER bob\r", 0, 0, 0, 0, POP3_ACT_USER, NULL, ANY, "bob", 0 },
	{ "PASS a\rb", 0, 0, 0, 1, POP3_ACT_PASS, NULL, ANY, "ab", 0 },
	{ "USER \x01\x7f", 0, 0, 0, 0, POP3_ACT_USER, NULL, ANY, "\x01\x7f", 0 },
	{ " USER bob", 0, 0, 0, 0, POP3_ACT_ERROR, T_SHORT, SLEEP, NULL, 0 },
	{ " ", 0, 0, 0, 0, POP3_ACT_ERROR, T_SHORT, SLEEP, NULL, 0 },
	{ "USERS bob", 0, 0, 0, 0, POP3_ACT_ERROR, T_SHORT, SLEEP, NULL, 0 },
	{ "USER\tbob", 0, 0, 0, 0, POP3_ACT_ERROR, T_SHORT, SLEEP, NULL, 0 },
	{ "PASS a b c", 0, 0, 0, 1, POP3_ACT_PASS, NULL, ANY, "a b c", 0 },
	{ "PASS    ", 0, 0, 0, 1, POP3_ACT_PASS, NULL, ANY, "   ", 0 },
};

static void check_decision(const struct dcase *c, char *buf, size_t len)
{
	struct pop3_request r;
	struct pop3_decision d;

	pop3_parse(buf, &len, &r);
	ck_assert_uint_le(r.arg_len, len);
	ck_assert(r.arg >= buf && r.arg + r.arg_len <= buf + len);
	ck_assert_int_eq(r.arg[r.arg_len], '\0');
	pop3_decide(&r, c->tls_listen, c->tls_active, c->have_user, &d);
	ck_assert_int_eq(d.act, c->act);
	if (c->text != NULL)
		ck_assert_str_eq(d.text, c->text);
	if (c->sleep != ANY)
		ck_assert_int_eq(d.sleep, c->sleep);
	if (c->arg != NULL) {
		size_t alen = c->arg_len ? c->arg_len : strlen(c->arg);

		ck_assert_uint_eq(r.arg_len, alen);
		ck_assert(memcmp(r.arg, c->arg, alen) == 0);
	}
}

START_TEST(test_decide)
{
	const struct dcase *c = &dcases[_i];
	size_t len = c->len ? c->len : strlen(c->line);
	char *buf = malloc(len + 1);

	memcpy(buf, c->line, len);
	buf[len] = '\0';
	check_decision(c, buf, len);
	free(buf);
}
END_TEST

/* 5000-byte lines: longer than any line conn gives us, parsed anyway. */
START_TEST(test_long_lines)
{
	size_t len = 5000;
	char *buf = malloc(len + 1);
	struct pop3_request r;
	struct pop3_decision d;

	memset(buf, 'A', len);
	buf[len] = '\0';
	ck_assert_int_eq(pop3_parse(buf, &len, &r), POP3_CMD_SHORT);
	pop3_decide(&r, false, false, false, &d);
	ck_assert_int_eq(d.act, POP3_ACT_ERROR);
	ck_assert(d.sleep);

	len = 5000;
	memcpy(buf, "USER ", 5);
	memset(buf + 5, 'x', len - 5);
	buf[len] = '\0';
	ck_assert_int_eq(pop3_parse(buf, &len, &r), POP3_CMD_USER);
	ck_assert_uint_eq(r.arg_len, 4995);
	ck_assert_uint_eq(r.nargs, 1);

	len = 5000;
	memcpy(buf, "PASS ", 5);
	memset(buf + 5, ' ', len - 5);
	buf[len] = '\0';
	ck_assert_int_eq(pop3_parse(buf, &len, &r), POP3_CMD_PASS);
	ck_assert_uint_eq(r.nargs, 4996);

	len = 5000;
	memset(buf, '\r', len);
	buf[len] = '\0';
	ck_assert_int_eq(pop3_parse(buf, &len, &r), POP3_CMD_NULL);
	ck_assert_uint_eq(len, 0);
	free(buf);
}
END_TEST

/* Every byte value as the whole line and inside a command. */
START_TEST(test_all_bytes)
{
	for (int b = 0; b < 256; b++) {
		char buf[16];
		size_t len = 1;
		struct pop3_request r;
		struct pop3_decision d;

		buf[0] = (char)b;
		buf[1] = '\0';
		pop3_parse(buf, &len, &r);
		pop3_decide(&r, b & 1, b & 2, b & 4, &d);
		ck_assert(d.act != POP3_ACT_PASS && d.act != POP3_ACT_USER);

		memcpy(buf, "USER x", 7);
		buf[5] = (char)b;
		len = 6;
		pop3_parse(buf, &len, &r);
		pop3_decide(&r, false, false, false, &d);
		if (b == 0 || b == ' ' || b == '\r')
			ck_assert_int_eq(d.act, POP3_ACT_ERROR);
		else
			ck_assert_int_eq(d.act, POP3_ACT_USER);
	}
}
END_TEST

struct ccase {
	const char *caps;
	bool stls;
	const char *want;
};

#define CAPA_HEAD "+OK Capability list follows, mate\r\n"

static const struct ccase ccases[] = {
	{ "UIDL.USER", false, CAPA_HEAD "UIDL\r\nUSER\r\n.\r\n" },
	{ "UIDL.USER", true, CAPA_HEAD "UIDL\r\nUSER\r\nSTLS\r\n.\r\n" },
	{ "TOP  UIDL", false, CAPA_HEAD "TOP\r\nUIDL\r\n.\r\n" },
	{ "SASL PLAIN  TOP", false, CAPA_HEAD "SASL PLAIN\r\nTOP\r\n.\r\n" },
	{ "TOP UIDL.USER", false, CAPA_HEAD "TOP UIDL\r\nUSER\r\n.\r\n" },
	{ "UIDL.STLS.USER", false, CAPA_HEAD "UIDL\r\nUSER\r\n.\r\n" },
	{ "stls.UIDL", true, CAPA_HEAD "UIDL\r\nSTLS\r\n.\r\n" },
	{ "", false, CAPA_HEAD ".\r\n" },
	{ NULL, true, CAPA_HEAD "STLS\r\n.\r\n" },
	{ "..", false, CAPA_HEAD ".\r\n" },
	{ ".UIDL.", false, CAPA_HEAD "UIDL\r\n.\r\n" },
	{ "    ", false, CAPA_HEAD ".\r\n" },
	{ "A  ", false, CAPA_HEAD "A\r\n.\r\n" },
};

START_TEST(test_capa)
{
	const struct ccase *c = &ccases[_i];
	size_t len;
	char *got = pop3_capa_reply(c->caps, c->stls, &len);

	ck_assert_str_eq(got, c->want);
	ck_assert_uint_eq(len, strlen(c->want));
	free(got);
}
END_TEST

START_TEST(test_capa_big)
{
	/* Worst case growth: every byte a separator. */
	size_t n = 10000, len;
	char *caps = malloc(n + 1);
	char *got;

	memset(caps, '.', n);
	caps[n] = '\0';
	got = pop3_capa_reply(caps, true, &len);
	ck_assert_str_eq(got, CAPA_HEAD "STLS\r\n.\r\n");
	free(got);
	for (size_t i = 0; i < n; i++)
		caps[i] = i % 2 ? '.' : 'x';
	got = pop3_capa_reply(caps, true, &len);
	ck_assert_uint_eq(len, strlen(CAPA_HEAD) + 3 * (n / 2) + 9);
	free(got);
	free(caps);
}
END_TEST

START_TEST(test_is_ok)
{
	ck_assert(pop3_is_ok("+OK", 3));
	ck_assert(pop3_is_ok("+ok hello", 9));
	ck_assert(pop3_is_ok("+Ok ", 4));
	ck_assert(!pop3_is_ok("+OKAY", 5));
	ck_assert(!pop3_is_ok("-ERR x", 6));
	ck_assert(!pop3_is_ok("+O", 2));
	ck_assert(!pop3_is_ok("", 0));
	ck_assert(!pop3_is_ok(" +OK", 4));
	ck_assert(!pop3_is_ok("+OK\0", 4));
}
END_TEST

/* ------------------------------------------------ over socket pairs */

/* read_auth() and server_login() run in this process against a scripted
 * peer (script_peer.h) that checks every line it is sent. */
static struct session sess;
static struct proto_config cfg;

/* The options' defaults, as the session would pass them. */
static void setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	memset(&cfg, 0, sizeof(cfg));
	cfg.ok_line = "You are so in";
	cfg.pop_capability = "UIDL.USER";
	cfg.imap_capability = "";
	cfg.managesieve_capability = "";
	memset(&sess, 0, sizeof(sess));
	sess.cfg = &cfg;
	sess.proto = &protocol_pop3;
	str_copy(sess.loop_token, "perdition ready on h 0002be72",
		 sizeof(sess.loop_token));
}

START_TEST(test_read_auth_basic)
{
	static const char *const script[] = {
		"> CAPA\r\n",
		"< +OK Capability list follows, mate\r\n",
		"< UIDL\r\n", "< USER\r\n", "< .\r\n",
		"> USER bob\r\n",
		"< +OK USER bob set, mate\r\n",
		"> AU\r\n",
		"< " T_SHORT "\r\n",
		"> PASS a  b\r\nLIST\r\n",
		NULL,
	};
	struct auth a;

	memset(&a, 0, sizeof(a));
	script_peer_start(&sess.client, script);
	ck_assert_int_eq(protocol_pop3.read_auth(&sess, &a), PROTO_CREDENTIALS);
	ck_assert_str_eq(a.user, "bob");
	ck_assert_uint_eq(a.user_len, 3);
	ck_assert_str_eq(a.passwd, "a  b");
	ck_assert_ptr_null(a.authz);
	/* D-5: what followed PASS is still buffered. */
	ck_assert_uint_eq(conn_buffered(&sess.client), 6);
	ck_assert(memcmp(conn_buffered_data(&sess.client), "LIST\r\n", 6) == 0);
	script_peer_end(&sess.client);
	free(a.user);
	free(a.passwd);
}
END_TEST

START_TEST(test_read_auth_stls_list)
{
	static const char *const script[] = {
		"> CAPA\r\n",
		"< +OK Capability list follows, mate\r\n",
		"< TOP\r\n", "< UIDL\r\n", "< STLS\r\n", "< .\r\n",
		"> auth\r\n",
		"< +OK Mechanisms follow, mate\r\n", "< PLAIN\r\n", "< .\r\n",
		"> USER x\r\n",
		"< +OK USER x set, mate\r\n",
		"> USER y\r\n",
		"< +OK USER y set, mate\r\n",
		"> PASS \r\n",
		NULL,
	};
	struct auth a;

	memset(&a, 0, sizeof(a));
	cfg.pop_capability = "TOP  UIDL";
	cfg.tls_listen = true;
	script_peer_start(&sess.client, script);
	ck_assert_int_eq(protocol_pop3.read_auth(&sess, &a), PROTO_CREDENTIALS);
	ck_assert_str_eq(a.user, "y");
	ck_assert_str_eq(a.passwd, "");
	script_peer_end(&sess.client);
	free(a.user);
	free(a.passwd);
}
END_TEST

/* How read_auth() ends without credentials. */
static const char *const quit_script[] = {
	"> USER bob\r\n", "< +OK USER bob set, mate\r\n",
	"> QUIT\r\n", "< +OK QUIT\r\n", NULL,
};
static const char *const eof_script[] = {
	"> USER bob\r\n", "< +OK USER bob set, mate\r\n", "!", NULL,
};
/* STLS without a TLS context: answered, then the handshake fails. */
static const char *const stls_script[] = {
	"> STLS\r\n", "< +OK Begin TLS negotiation, mate\r\n", "!", NULL,
};

static const struct {
	const char *const *script;
	bool tls_listen;
	enum proto_result want;
} end_cases[] = {
	{ quit_script, false, PROTO_QUIT },
	{ eof_script, false, PROTO_READ_FAILED },
	{ stls_script, true, PROTO_TLS_FAILED },
};

START_TEST(test_read_auth_ends)
{
	cfg.tls_listen = end_cases[_i].tls_listen;
	script_peer_read_auth(&sess, end_cases[_i].script, end_cases[_i].want);
}
END_TEST

static void login_case(const char *const *script, enum login_result want,
		       const char *want_reason, const char *want_resp)
{
	struct auth a;
	char resp[512];
	const char *reason = NULL;

	memset(&a, 0, sizeof(a));
	a.user = (char *)"bob";
	a.passwd = (char *)"good  pass";
	script_peer_start(&sess.server, script);
	ck_assert_int_eq(protocol_pop3.server_login(&sess, &a, "bob", resp,
						    sizeof(resp), &reason),
			 want);
	if (want_reason != NULL)
		ck_assert_str_eq(reason, want_reason);
	if (want_resp != NULL)
		ck_assert_str_eq(resp, want_resp);
	script_peer_end(&sess.server);
}

START_TEST(test_login_ok)
{
	static const char *const script[] = {
		"> +OK dovecot ready\r\n",
		"< USER bob\r\n",
		"> +OK\r\n",
		"< PASS good  pass\r\n",
		"> +OK Logged in.\r\n",
		NULL,
	};

	login_case(script, LOGIN_OK, NULL, "+OK Logged in.");
}
END_TEST

START_TEST(test_login_bad_pass)
{
	static const char *const script[] = {
		"> +OK dovecot ready\r\n",
		"< USER bob\r\n",
		"> +OK\r\n",
		"< PASS good  pass\r\n",
		"> -ERR [AUTH] Authentication failed.\r\n",
		"< QUIT\r\n",
		"> +OK bye\r\n",
		NULL,
	};

	login_case(script, LOGIN_FAILED, REASON_REAUTH,
		   "-ERR [AUTH] Authentication failed.");
}
END_TEST

START_TEST(test_login_bad_greeting)
{
	static const char *const script[] = {
		"> * OK IMAP here\r\n",
		"< QUIT\r\n",
		"> +OK bye\r\n",
		NULL,
	};

	login_case(script, LOGIN_FAILED, REASON_NEGOTIATION, NULL);
}
END_TEST

START_TEST(test_login_loop)
{
	static const char *const script[] = {
		"> +OK POP3 perdition ready on h 0002be72\r\n",
		"< QUIT\r\n",
		"> +OK bye\r\n",
		NULL,
	};

	login_case(script, LOGIN_FAILED, REASON_NEGOTIATION, NULL);
}
END_TEST

START_TEST(test_login_eof)
{
	static const char *const script[] = { "!", NULL };

	login_case(script, LOGIN_FAILED, REASON_NEGOTIATION, NULL);
}
END_TEST

START_TEST(test_login_tls_absent)
{
	static const char *const script[] = {
		"> +OK hi\r\n",
		"< CAPA\r\n",
		"> +OK\r\nUIDL\r\nPIPELINING\r\n.\r\n",
		"< USER bob\r\n",
		"< PASS good  pass\r\n",
		"> +OK\r\n+OK in\r\n",
		NULL,
	};

	cfg.tls_outgoing = true;
	login_case(script, LOGIN_OK, NULL, "+OK in");
}
END_TEST

START_TEST(test_login_tls_forced)
{
	static const char *const script[] = {
		"> +OK hi\r\n",
		"< CAPA\r\n",
		"> -ERR no\r\n",
		"< QUIT\r\n",
		"> +OK bye\r\n",
		NULL,
	};

	cfg.tls_outgoing = cfg.tls_outgoing_force = true;
	login_case(script, LOGIN_FAILED, REASON_NO_TLS, NULL);
}
END_TEST

static Suite *pop3_suite(void)
{
	Suite *s = suite_create("pop3");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_decide, 0,
			    sizeof(dcases) / sizeof(dcases[0]));
	tcase_add_test(tc, test_long_lines);
	tcase_add_test(tc, test_all_bytes);
	tcase_add_loop_test(tc, test_capa, 0,
			    sizeof(ccases) / sizeof(ccases[0]));
	tcase_add_test(tc, test_capa_big);
	tcase_add_test(tc, test_is_ok);
	suite_add_tcase(s, tc);

	tc = tcase_create("wire");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_read_auth_basic);
	tcase_add_test(tc, test_read_auth_stls_list);
	tcase_add_loop_test(tc, test_read_auth_ends, 0,
			    sizeof(end_cases) / sizeof(end_cases[0]));
	tcase_add_test(tc, test_login_ok);
	tcase_add_test(tc, test_login_bad_pass);
	tcase_add_test(tc, test_login_bad_greeting);
	tcase_add_test(tc, test_login_loop);
	tcase_add_test(tc, test_login_eof);
	tcase_add_test(tc, test_login_tls_absent);
	tcase_add_test(tc, test_login_tls_forced);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pop3_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
