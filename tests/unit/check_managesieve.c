/*
 * check_managesieve.c: unit tests of the ManageSieve module: command
 * parsing and reply decisions, literals, SASL PLAIN texts,
 * capability lines, and read_auth()/server_login() over socket pairs.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "managesieve.h"
#include "protocol.h"
#include "sasl_plain.h"
#include "script_peer.h"
#include "session.h"
#include "str.h"

#define T_UNKNOWN "Unknown command, mate"
#define T_CAPA_ARGS "Too many arguments, expected CAPABILITY, mate"
#define T_NOOP_ARGS "Too many arguments, expected NOOP [String], mate"
#define T_NOOP_BAD "Invalid AUTHENTICATE PLAIN challenge, mate"
#define T_LOGOUT_ARGS "Too many arguments, expected LOGOUT, mate"
#define T_AUTH_ARGS "Incorrect argument count, expected AUTHENTICATE <mechanism> [<challenge>], mate"
#define T_AUTH_MECH "Unknown SASL mechanism, mate"
#define T_PLAIN_BAD "Invalid AUTHENTICATE \"PLAIN\" challenge, mate"

struct dcase {
	const char *line;
	size_t len; /* 0: strlen */
	bool tls_listen, tls_active;
	enum sieve_action act;
	const char *text;
};

#define L(s) s, sizeof(s) - 1
#define A17 " a a a a a a a a a a a a a a a a a"

static const struct dcase dcases[] = {
	{ "CAPABILITY", 0, 0, 0, SIEVE_ACT_CAPABILITY, NULL },
	{ "capability", 0, 0, 0, SIEVE_ACT_CAPABILITY, NULL },
	{ "CAPABILITY x", 0, 0, 0, SIEVE_ACT_NO, T_CAPA_ARGS },
	{ "CAPABILITY ", 0, 0, 0, SIEVE_ACT_NO, T_CAPA_ARGS },
	{ "NOOP", 0, 0, 0, SIEVE_ACT_NOOP, NULL },
	{ "NOOP \"x\"", 0, 0, 0, SIEVE_ACT_NOOP_TAG, NULL },
	{ "NOOP a", 0, 0, 0, SIEVE_ACT_NO, T_NOOP_BAD },
	{ "NOOP  a", 0, 0, 0, SIEVE_ACT_NO, T_NOOP_BAD },
	{ "NOOP a b", 0, 0, 0, SIEVE_ACT_NO, T_NOOP_ARGS },
	{ "NOOP \"x\" \"y\"", 0, 0, 0, SIEVE_ACT_NO, T_NOOP_ARGS },
	{ "NOOP" A17, 0, 0, 0, SIEVE_ACT_NO, T_NOOP_ARGS },
	{ "LOGOUT", 0, 0, 0, SIEVE_ACT_LOGOUT, NULL },
	{ "Logout", 0, 0, 0, SIEVE_ACT_LOGOUT, NULL },
	{ "LOGOUT x", 0, 0, 0, SIEVE_ACT_NO, T_LOGOUT_ARGS },
	{ "STARTTLS", 0, 0, 0, SIEVE_ACT_NO, T_UNKNOWN },
	{ "STARTTLS", 0, 1, 0, SIEVE_ACT_STARTTLS, NULL },
	{ "starttls", 0, 1, 0, SIEVE_ACT_STARTTLS, NULL },
	{ "STARTTLS", 0, 1, 1, SIEVE_ACT_NO, T_UNKNOWN },
	{ "STARTTLS x", 0, 1, 0, SIEVE_ACT_NO, T_UNKNOWN },
	{ "FOO", 0, 0, 0, SIEVE_ACT_NO, T_UNKNOWN },
	{ "HAVESPACE \"x\" 10", 0, 0, 0, SIEVE_ACT_NO, T_UNKNOWN },
	{ "", 0, 0, 0, SIEVE_ACT_NO, T_UNKNOWN },
	{ " ", 0, 0, 0, SIEVE_ACT_NO, T_UNKNOWN },
	{ "CAPABILITYCAPABILITY", 0, 0, 0, SIEVE_ACT_NO, T_UNKNOWN },
	{ L("NO\0P"), 0, 0, SIEVE_ACT_NO, T_UNKNOWN },
	{ L("NOOP\0"), 0, 0, SIEVE_ACT_NO, T_UNKNOWN },
	{ "\x01\x02\xff", 0, 0, 0, SIEVE_ACT_NO, T_UNKNOWN },
	{ "AUTHENTICATE", 0, 0, 0, SIEVE_ACT_NO, T_AUTH_ARGS },
	{ "AUTHENTICATE PLAIN", 0, 0, 0, SIEVE_ACT_NO, T_AUTH_MECH },
	{ "AUTHENTICATE PLAIN AGJvYgBwdw==", 0, 0, 0, SIEVE_ACT_NO, T_AUTH_MECH },
	{ "AUTHENTICATE \"LOGIN\" \"x\"", 0, 0, 0, SIEVE_ACT_NO, T_AUTH_MECH },
	{ "AUTHENTICATE \"PLAINX\"", 0, 0, 0, SIEVE_ACT_NO, T_AUTH_MECH },
	{ "AUTHENTICATE \"PLAIN\"", 0, 0, 0, SIEVE_ACT_AUTH_CONT, NULL },
	{ "AUTHENTICATE \"PLAIN\" \"!!!\"", 0, 0, 0, SIEVE_ACT_AUTH, NULL },
	{ "AUTHENTICATE \"plain\" \"AGJvYgBwdw==\"", 0, 0, 0, SIEVE_ACT_AUTH, NULL },
	{ "AUTHENTICATE \"PLAIN\" AGJvYgBwdw==", 0, 0, 0, SIEVE_ACT_NO, T_PLAIN_BAD },
	{ "AUTHENTICATE \"PLAIN\" \"AGJvYgBwdw==", 0, 0, 0, SIEVE_ACT_NO, T_PLAIN_BAD },
	{ "AUTHENTICATE \"PLAIN\"  \"x\"", 0, 0, 0, SIEVE_ACT_NO, T_PLAIN_BAD },
	{ L("AUTHENTICATE \"PLAIN\" \"a\0b\""), 0, 0, SIEVE_ACT_NO, T_PLAIN_BAD },
	{ "AUTHENTICATE \"PLAIN\" \"a\" \"b\"", 0, 0, 0, SIEVE_ACT_NO, T_AUTH_ARGS },
	{ "AUTHENTICATE \"PLAIN\" \"a\" b", 0, 0, 0, SIEVE_ACT_NO, T_AUTH_ARGS },
	{ "AUTHENTICATE" A17, 0, 0, 0, SIEVE_ACT_NO, T_AUTH_ARGS },
	{ "AUTHENTICATE \"PLAIN\" {99999}", 0, 0, 0, SIEVE_ACT_NO, T_PLAIN_BAD },
	{ "AUTHENTICATE \"PLAIN\" {-1}", 0, 0, 0, SIEVE_ACT_NO, T_PLAIN_BAD },
};

START_TEST(test_decide)
{
	const struct dcase *t = &dcases[_i];
	size_t len = t->len ? t->len : strlen(t->line);
	struct sieve_cmd c;
	struct sieve_decision d;

	sieve_cmd_init(&c);
	ck_assert_int_eq(sieve_parse_line(&c, t->line, len, true),
			 SIEVE_PARSE_DONE);
	sieve_decide(&c, t->tls_listen, t->tls_active, &d);
	ck_assert_int_eq(d.act, t->act);
	if (t->text != NULL)
		ck_assert_str_eq(d.text, t->text);
	ck_assert_uint_le(c.nargs, MAX_ARGS);
	sieve_cmd_free(&c);
}
END_TEST

START_TEST(test_literal)
{
	static const char lit[] = "AGJvYgBwdw==";
	struct sieve_cmd c;
	struct sieve_decision d;
	const char *l1 = "AUTHENTICATE \"PLAIN\" {12+}";

	sieve_cmd_init(&c);
	ck_assert_int_eq(sieve_parse_line(&c, l1, strlen(l1), true),
			 SIEVE_PARSE_LITERAL);
	ck_assert_uint_eq(c.literal, 12);
	sieve_add_literal(&c, lit, 12);
	ck_assert_int_eq(sieve_parse_line(&c, "", 0, false), SIEVE_PARSE_DONE);
	sieve_decide(&c, false, false, &d);
	ck_assert_int_eq(d.act, SIEVE_ACT_AUTH);
	ck_assert_int_eq(c.args[1].type, IMAP_ARG_LITERAL);
	ck_assert_str_eq(c.args[1].data, lit);
	sieve_cmd_free(&c);

	/* A literal mechanism and more after the literal. */
	sieve_cmd_init(&c);
	ck_assert_int_eq(sieve_parse_line(&c, "AUTHENTICATE {5}", 16, true),
			 SIEVE_PARSE_LITERAL);
	sieve_add_literal(&c, "PLAIN", 5);
	ck_assert_int_eq(sieve_parse_line(&c, " \"x\" \"y\"", 8, false),
			 SIEVE_PARSE_DONE);
	sieve_decide(&c, false, false, &d);
	ck_assert_str_eq(d.text, T_AUTH_ARGS);
	sieve_cmd_free(&c);

	/* Garbage after the literal's bytes. */
	sieve_cmd_init(&c);
	ck_assert_int_eq(sieve_parse_line(&c, "NOOP {0}", 8, true),
			 SIEVE_PARSE_LITERAL);
	sieve_add_literal(&c, "", 0);
	ck_assert_int_eq(sieve_parse_line(&c, "x", 1, false), SIEVE_PARSE_DONE);
	ck_assert(c.syntax_error);
	sieve_cmd_free(&c);
}
END_TEST

START_TEST(test_long_line)
{
	size_t len = 5000;
	char *buf = malloc(len);
	struct sieve_cmd c;
	struct sieve_decision d;

	memcpy(buf, "NOOP \"", 6);
	memset(buf + 6, 'x', len - 7);
	buf[len - 1] = '"';
	sieve_cmd_init(&c);
	sieve_parse_line(&c, buf, len, true);
	sieve_decide(&c, false, false, &d);
	ck_assert_int_eq(d.act, SIEVE_ACT_NOOP_TAG);
	ck_assert_uint_eq(c.args[0].len, len - 7);
	sieve_cmd_free(&c);

	memset(buf, 'A', len);
	sieve_cmd_init(&c);
	sieve_parse_line(&c, buf, len, true);
	sieve_decide(&c, false, false, &d);
	ck_assert_str_eq(d.text, T_UNKNOWN);
	sieve_cmd_free(&c);
	free(buf);
}
END_TEST

struct pcase {
	const char *plain; /* encoded before the call */
	size_t len;
	const char *err;
	const char *authz, *user, *passwd;
};

static const struct pcase pcases[] = {
	{ L("\0bob\0pw"), NULL, NULL, "bob", "pw" },
	{ L("admin\0bob\0good pass"), NULL, "admin", "bob", "good pass" },
	{ L("\0bob\0"), NULL, NULL, "bob", "" },
	{ "", 0, "Empty challenge, mate", NULL, NULL, NULL },
	{ L("bob"), "Challenge has no authentication id, mate", NULL, NULL, NULL },
	{ L("\0\0pw"), "Empty authentication id, mate", NULL, NULL, NULL },
	{ L("a\0"), "Empty authentication id, mate", NULL, NULL, NULL },
	{ L("a\0bob"), "Challenge has no password, mate", NULL, NULL, NULL },
	{ L("\0bob\0pw\0x"), "Trailing garbage in challenge, mate", NULL, NULL, NULL },
	{ L("\0bob\0\0"), "Trailing garbage in challenge, mate", NULL, NULL, NULL },
	/* A NUL inside a name shifts the split: a third NUL is refused
	 * as 2.2 does, before any lookup; no id ever holds a NUL. */
	{ L("\0ali\0ce\0alicepw"), "Trailing garbage in challenge, mate", NULL, NULL, NULL },
	{ L("ad\0min\0bob\0pw"), "Trailing garbage in challenge, mate", NULL, NULL, NULL },
};

START_TEST(test_plain)
{
	const struct pcase *t = &pcases[_i];
	char b64[128];
	char *z = NULL, *u = NULL, *p = NULL;
	const char *err;

	sasl_base64_encode((const unsigned char *)t->plain, t->len, b64,
			    sizeof(b64));
	err = sieve_plain_decode(b64, strlen(b64), &z, &u, &p);
	if (t->err != NULL) {
		ck_assert_str_eq(err, t->err);
		ck_assert_ptr_null(u);
		return;
	}
	ck_assert_ptr_null(err);
	if (t->authz == NULL)
		ck_assert_ptr_null(z);
	else
		ck_assert_str_eq(z, t->authz);
	ck_assert_str_eq(u, t->user);
	ck_assert_str_eq(p, t->passwd);
	free(z);
	free(u);
	free(p);
}
END_TEST

START_TEST(test_plain_bad_b64)
{
	char *z = NULL, *u = NULL, *p = NULL;

	ck_assert_str_eq(sieve_plain_decode("!!!", 3, &z, &u, &p),
			 "Invalid base64 encoded challenge, mate");
	ck_assert_str_eq(sieve_plain_decode(L("AG\0v"), &z, &u, &p),
			 "Invalid base64 encoded challenge, mate");
	ck_assert_ptr_null(u);
}
END_TEST

START_TEST(test_capa_lines)
{
	size_t len;
	/* The default managesieve_capability. */
	char *s = sieve_capa_lines(
		"\"IMPLEMENTATION\" \"perdition\"  "
		"\"SIEVE\" \"comparator-i;octet comparator-i;ascii-casemap fileinto "
		"reject envelope encoded-character vacation subaddress "
		"comparator-i;ascii-numeric relational regex imap4flags copy include "
		"variables body enotify environment mailbox date\"  "
		"\"SASL\" \"PLAIN\"  \"NOTIFY\" \"mailto\"  \"VERSION\" \"1.0\"",
		false, &len);

	ck_assert_str_eq(s,
		"\"IMPLEMENTATION\" \"perdition\"\r\n"
		"\"SIEVE\" \"comparator-i;octet comparator-i;ascii-casemap fileinto "
		"reject envelope encoded-character vacation subaddress "
		"comparator-i;ascii-numeric relational regex imap4flags copy include "
		"variables body enotify environment mailbox date\"\r\n"
		"\"SASL\" \"PLAIN\"\r\n\"NOTIFY\" \"mailto\"\r\n\"VERSION\" \"1.0\"\r\n");
	ck_assert_uint_eq(len, strlen(s));
	free(s);
	s = sieve_capa_lines("\"A\"  \"STARTTLS\"  \"B\" \"c\"", true, &len);
	ck_assert_str_eq(s, "\"A\"\r\n\"B\" \"c\"\r\n\"STARTTLS\"\r\n");
	free(s);
	s = sieve_capa_lines(NULL, false, &len);
	ck_assert_str_eq(s, "");
	free(s);
	s = sieve_capa_lines("      ", true, &len);
	ck_assert_str_eq(s, "\"STARTTLS\"\r\n");
	free(s);
}
END_TEST

/* ------------------------------------------------ over socket pairs */

static struct session sess;
static struct proto_config cfg;

static void setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	memset(&cfg, 0, sizeof(cfg));
	cfg.ok_line = "You are so in";
	cfg.pop_capability = "";
	cfg.imap_capability = "";
	cfg.managesieve_capability = "\"IMPLEMENTATION\" \"perdition\"  \"SASL\" \"PLAIN\"";
	memset(&sess, 0, sizeof(sess));
	sess.cfg = &cfg;
	sess.proto = &protocol_managesieve;
	str_copy(sess.loop_token, "perdition ready on h 0002be72",
		 sizeof(sess.loop_token));
}

START_TEST(test_read_auth)
{
	static const char *const script[] = {
		"< \"IMPLEMENTATION\" \"perdition\"\r\n",
		"< \"A\"\r\n",
		"< OK \"perdition ready on h 0002be72\"\r\n",
		"> CAPABILITY\r\n",
		"< \"IMPLEMENTATION\" \"perdition\"\r\n",
		"< \"A\"\r\n",
		"< OK \"CAPABILITY completed, mate\"\r\n",
		"> NOOP\r\n",
		"< OK \"NOOP completed, mate\"\r\n",
		"> NOOP \"a\\\"b\"\r\n",
		"< OK (TAG \"a\\\"b\") \"NOOP completed, mate\"\r\n",
		"> NOOP {3+}\r\na\r\n\r\n",
		"< OK (TAG {3}\r\n", "< a\r\n",
		"< ) \"NOOP completed, mate\"\r\n",
		"> AUTHENTICATE \"PLAIN\" {28+}\r\nYWRtaW4AYm9iAGdvb2QgcGFzcw==\r\n"
		"LISTSCRIPTS\r\n",
		NULL,
	};
	struct auth a;

	memset(&a, 0, sizeof(a));
	cfg.managesieve_capability = "\"IMPLEMENTATION\" \"perdition\"  \"A\"";
	script_peer_start(&sess.client, script);
	ck_assert_int_eq(protocol_managesieve.greeting(&sess), PROTO_OK);
	ck_assert_int_eq(protocol_managesieve.read_auth(&sess, &a), PROTO_CREDENTIALS);
	ck_assert_str_eq(a.authz, "admin");
	ck_assert_str_eq(a.user, "bob");
	ck_assert_uint_eq(a.user_len, 3);
	ck_assert_str_eq(a.passwd, "good pass");
	/* D-5: the pipelined command is still buffered. */
	ck_assert_uint_eq(conn_buffered(&sess.client), 13);
	script_peer_end(&sess.client);
	free(a.authz);
	free(a.user);
	free(a.passwd);
}
END_TEST

/* How read_auth() ends without credentials. */
static const char *const logout_script[] = {
	"> NOOP\r\n", "< OK \"NOOP completed, mate\"\r\n",
	"> LOGOUT\r\n", "< OK \"LOGOUT completed, mate\"\r\n", NULL,
};
static const char *const eof_script[] = {
	"> AUTHENTICATE \"PLAIN\" {10}\r\nabc", "!", NULL,
};
/* STARTTLS without a TLS context: answered, then the handshake fails. */
static const char *const starttls_script[] = {
	"> STARTTLS\r\n", "< OK \"Begin TLS negotiation, mate\"\r\n", "!", NULL,
};

static const struct {
	const char *const *script;
	bool tls_listen;
	enum proto_result want;
} end_cases[] = {
	{ logout_script, false, PROTO_QUIT },
	{ eof_script, false, PROTO_READ_FAILED },
	{ starttls_script, true, PROTO_TLS_FAILED },
};

START_TEST(test_read_auth_ends)
{
	cfg.tls_listen = end_cases[_i].tls_listen;
	script_peer_read_auth(&sess, end_cases[_i].script, end_cases[_i].want);
}
END_TEST

static void login_case(const char *const *script, enum login_result want,
		       const char *want_reason, const char *want_resp,
		       const char *authz)
{
	struct auth a;
	char resp[512];
	const char *reason = NULL;

	memset(&a, 0, sizeof(a));
	a.authz = (char *)authz;
	a.user = (char *)"bob";
	a.passwd = (char *)"good pass";
	script_peer_start(&sess.server, script);
	ck_assert_int_eq(protocol_managesieve.server_login(&sess, &a, "bob", resp,
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
		"> \"IMPLEMENTATION\" \"Dovecot\"\r\n\"SASL\" \"LOGIN\"\r\n"
		"OK \"Dovecot ready.\"\r\n",
		"< AUTHENTICATE \"PLAIN\" \"YWRtaW4AYm9iAGdvb2QgcGFzcw==\"\r\n",
		"> OK \"Logged in.\"\r\n",
		NULL,
	};

	login_case(script, LOGIN_OK, NULL, "OK \"Logged in.\"", "admin");
}
END_TEST

START_TEST(test_login_bad)
{
	static const char *const script[] = {
		"> \"SASL\" \"PLAIN\"\r\nOK\r\n",
		"< AUTHENTICATE \"PLAIN\" \"AGJvYgBnb29kIHBhc3M=\"\r\n",
		"> NO \"Authentication failed.\"\r\n",
		"< LOGOUT\r\n",
		"> OK \"bye\"\r\n",
		NULL,
	};

	login_case(script, LOGIN_FAILED, REASON_REAUTH,
		   "NO \"Authentication failed.\"", NULL);
}
END_TEST

START_TEST(test_login_no_sasl)
{
	static const char *const script[] = {
		"> \"IMPLEMENTATION\" \"x\"\r\nOK\r\n",
		"< LOGOUT\r\n",
		"> OK\r\n",
		NULL,
	};

	login_case(script, LOGIN_FAILED, REASON_NO_SASL, NULL, NULL);
}
END_TEST

START_TEST(test_login_bad_greeting)
{
	static const char *const script[] = {
		"> \"SASL\" \"PLAIN\"\r\nBYE \"go away\"\r\n",
		"< LOGOUT\r\n",
		"> OK\r\n",
		NULL,
	};

	login_case(script, LOGIN_FAILED, REASON_NEGOTIATION, NULL, NULL);
}
END_TEST

START_TEST(test_login_loop)
{
	static const char *const script[] = {
		"> \"SASL\" \"PLAIN\"\r\nOK \"perdition ready on h 0002be72\"\r\n",
		"< LOGOUT\r\n",
		"> OK\r\n",
		NULL,
	};

	login_case(script, LOGIN_FAILED, REASON_NEGOTIATION, NULL, NULL);
}
END_TEST

START_TEST(test_login_eof)
{
	static const char *const script[] = { "> \"SASL\"\r\n", "!", NULL };

	login_case(script, LOGIN_FAILED, REASON_NEGOTIATION, NULL, NULL);
}
END_TEST

static Suite *sieve_suite(void)
{
	Suite *s = suite_create("managesieve");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_decide, 0,
			    sizeof(dcases) / sizeof(dcases[0]));
	tcase_add_test(tc, test_literal);
	tcase_add_test(tc, test_long_line);
	tcase_add_loop_test(tc, test_plain, 0,
			    sizeof(pcases) / sizeof(pcases[0]));
	tcase_add_test(tc, test_plain_bad_b64);
	tcase_add_test(tc, test_capa_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("wire");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_read_auth);
	tcase_add_loop_test(tc, test_read_auth_ends, 0,
			    sizeof(end_cases) / sizeof(end_cases[0]));
	tcase_add_test(tc, test_login_ok);
	tcase_add_test(tc, test_login_bad);
	tcase_add_test(tc, test_login_no_sasl);
	tcase_add_test(tc, test_login_bad_greeting);
	tcase_add_test(tc, test_login_loop);
	tcase_add_test(tc, test_login_eof);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sieve_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
