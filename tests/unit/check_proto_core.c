/*
 * check_proto_core.c: unit tests of the protocol core shared by the
 * POP3, IMAP4 and ManageSieve modules (line classes, capability tables,
 * the real server's capability list, the bye, reply modes) and of the
 * protocol registry and tables.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "options.h"
#include "proto_core.h"
#include "protocol.h"
#include "session.h"
#include "str.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define L(s) s, sizeof(s) - 1

/* ------------------------------------------------------- pure helpers */

static const struct {
	const char *line;
	size_t len;
	const char *tok;
	bool want;
} token_cases[] = {
	{ L("+OK"), "+OK", true },
	{ L("+ok hello"), "+OK", true },
	{ L("+Ok "), "+OK", true },
	{ L("+OKAY"), "+OK", false },
	{ L("+O"), "+OK", false },
	{ L(""), "+OK", false },
	{ L(" +OK"), "+OK", false },
	{ L("+OK\0"), "+OK", false },
	{ L("+O\0 x"), "+OK", false },
	{ L("* ok [CAPABILITY X]"), "* OK", true },
	{ L("* OKAY"), "* OK", false },
	{ L("\"STARTTLS\""), "\"STARTTLS\"", true },
	{ L("\"sasl\" \"PLAIN\""), "\"SASL\"", true },
	{ L("\"SASLX\""), "\"SASL\"", false },
	{ L("OK"), "OK", true },
	{ L("NO \"x\""), "OK", false },
};

START_TEST(test_starts_token)
{
	ck_assert_int_eq(proto_starts_token(token_cases[_i].line, token_cases[_i].len,
					    token_cases[_i].tok),
			 token_cases[_i].want);
}
END_TEST

enum { A = 1, B = 2, C = 4 };

static const struct proto_cap caps[] = {
	{ "STLS", A, false },
	{ "PIPELINING", B, true },
	{ "LITERAL+", C, false },
	{ NULL, 0, false },
};

START_TEST(test_cap_line)
{
	ck_assert_uint_eq(proto_cap_line(L("STLS"), caps), A);
	ck_assert_uint_eq(proto_cap_line(L("stls x"), caps), A);
	ck_assert_uint_eq(proto_cap_line(L("STLSX"), caps), 0);
	ck_assert_uint_eq(proto_cap_line(L("PIPELINING"), caps), B);
	ck_assert_uint_eq(proto_cap_line(L("pipelining"), caps), B);
	/* whole_line: no arguments, no trailing space */
	ck_assert_uint_eq(proto_cap_line(L("PIPELINING x"), caps), 0);
	ck_assert_uint_eq(proto_cap_line(L("PIPELINING "), caps), 0);
	ck_assert_uint_eq(proto_cap_line(L("PIPELININ"), caps), 0);
	ck_assert_uint_eq(proto_cap_line(L("PIPE\0LINING"), caps), 0);
	ck_assert_uint_eq(proto_cap_line(L(""), caps), 0);
	ck_assert_uint_eq(proto_cap_line(L(" STLS"), caps), 0);
}
END_TEST

START_TEST(test_cap_words)
{
	ck_assert_uint_eq(proto_cap_words(L("IMAP4rev1 literal+ STLS"), caps), A | C);
	ck_assert_uint_eq(proto_cap_words(L("PIPELINING"), caps), B);
	ck_assert_uint_eq(proto_cap_words(L("  STLS  "), caps), A);
	ck_assert_uint_eq(proto_cap_words(L("LITERAL++ STLS+"), caps), 0);
	ck_assert_uint_eq(proto_cap_words(L("ST\0S LITERAL+"), caps), C);
	ck_assert_uint_eq(proto_cap_words(L(""), caps), 0);
	/* The length bounds the list: "STLS" is past it. */
	ck_assert_uint_eq(proto_cap_words("LITERAL+ STLS", 8, caps), C);
}
END_TEST

START_TEST(test_read_failed)
{
	ck_assert_int_eq(proto_read_failed(CONN_TIMEOUT), PROTO_READ_TIMEOUT);
	ck_assert_int_eq(proto_read_failed(CONN_EOF), PROTO_READ_FAILED);
	ck_assert_int_eq(proto_read_failed(CONN_ERROR), PROTO_READ_FAILED);
	ck_assert_int_eq(proto_sent(0), PROTO_OK);
	ck_assert_int_eq(proto_sent(-1), PROTO_WRITE_FAILED);
}
END_TEST

/* ------------------------------------------------- registry and tables */

START_TEST(test_registry)
{
	static const int ids[] = { PROTO_POP3, PROTO_POP3S, PROTO_IMAP4,
				   PROTO_IMAP4S, PROTO_MANAGESIEVE };

	/* The registry's order is the options' protocol numbers. */
	for (size_t i = 0; i < N(ids); i++)
		ck_assert_str_eq(protocol_get(ids[i])->name, protocol_name(ids[i]));
	ck_assert_ptr_eq(protocol_get(-1), &protocol_pop3);
	ck_assert_ptr_eq(protocol_get(99), &protocol_pop3);
}
END_TEST

START_TEST(test_tables)
{
	const struct protocol *all[] = { &protocol_pop3, &protocol_pop3s, &protocol_imap4,
					 &protocol_imap4s, &protocol_managesieve };

	ck_assert_str_eq(protocol_pop3.bye, "QUIT");
	ck_assert_str_eq(protocol_imap4.bye, "LOGOUT");
	ck_assert_str_eq(protocol_managesieve.bye, "LOGOUT");
	ck_assert(protocol_imap4.tagged && protocol_imap4s.tagged);
	ck_assert(!protocol_pop3.tagged && !protocol_managesieve.tagged);
	ck_assert_str_eq(protocol_pop3s.auth_failure, "-ERR Authentication failure, mate\r\n");
	ck_assert_str_eq(protocol_imap4s.auth_failure, " NO Authentication failure\r\n");
	ck_assert_str_eq(protocol_pop3.busy_line, "-ERR Too many connections, mate\r\n");
	ck_assert_str_eq(protocol_pop3s.port, "pop3s");
	ck_assert_str_eq(protocol_pop3s.numeric_port, "995");
	ck_assert_str_eq(protocol_managesieve.numeric_port, "4190");
	for (size_t i = 0; i < N(all); i++) {
		ck_assert_ptr_nonnull(all[i]->greeting);
		ck_assert_ptr_nonnull(all[i]->read_auth);
		ck_assert_ptr_nonnull(all[i]->server_login);
		ck_assert_ptr_nonnull(all[i]->reply_ok);
		ck_assert_ptr_nonnull(all[i]->reply_fail);
		ck_assert_ptr_nonnull(all[i]->auth_failure);
	}
	ck_assert_ptr_nonnull(protocol_managesieve.relay_timeout);
}
END_TEST

/* ------------------------------------------- over a real-server socket */

static struct session s;
static struct proto_config cfg;
static int speer = -1;

static void setup(void)
{
	int sp[2];

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	memset(&s, 0, sizeof(s));
	memset(&cfg, 0, sizeof(cfg));
	cfg.ok_line = "";
	s.cfg = &cfg;
	s.proto = &protocol_pop3;
	conn_init(&s.server, sp[0], sp[0], 5, NULL);
	speer = sp[1];
	str_copy(s.loop_token, "perdition ready on h 0002be72", sizeof(s.loop_token));
}

static void teardown(void)
{
	conn_close(&s.server);
	close(speer);
}

/* The real server's part: all of it at once, then its side ends. */
static void feed(const char *text)
{
	size_t len = strlen(text);

	ck_assert_int_eq(write(speer, text, len), (ssize_t)len);
	shutdown(speer, SHUT_WR);
}

/* What the real server was sent. */
static void assert_sent(const char *want)
{
	char buf[512];
	ssize_t n;

	fcntl(speer, F_SETFL, fcntl(speer, F_GETFL) | O_NONBLOCK);
	n = read(speer, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	ck_assert_str_eq(buf, want);
}

static bool is_dot(const char *line, size_t len)
{
	return len == 1 && line[0] == '.';
}

START_TEST(test_read_caps)
{
	char line[MAX_LINE_LENGTH + 1];
	unsigned bits = 0;
	size_t len;

	feed("TOP\r\nSTLS\r\nPIPELINING x\r\n.\r\nnext\r\n");
	ck_assert_int_eq(proto_read_caps(&s, is_dot, caps, &bits, line, &len),
			 PROTO_CAPS_OK);
	ck_assert_uint_eq(bits, A);
	ck_assert_str_eq(line, ".");
	ck_assert_int_eq(proto_server_line(&s, line, &len), CONN_OK);
	ck_assert_str_eq(line, "next");
}
END_TEST

START_TEST(test_read_caps_dead)
{
	char line[MAX_LINE_LENGTH + 1];
	unsigned bits = 0;
	size_t len;

	feed("STLS\r\nPIPELINING\r\n");
	ck_assert_int_eq(proto_read_caps(&s, is_dot, caps, &bits, line, &len),
			 PROTO_CAPS_DEAD);
	ck_assert_uint_eq(bits, A | B);
}
END_TEST

START_TEST(test_read_caps_too_many)
{
	char line[MAX_LINE_LENGTH + 1];
	size_t n = MAX_SERVER_CAPA_LINES * 3 + 4;
	char *text = malloc(n + 1);
	unsigned bits = 0;
	size_t len;

	for (size_t i = 0; i < MAX_SERVER_CAPA_LINES; i++)
		memcpy(text + 3 * i, "X\r\n", 3);
	memcpy(text + n - 4, ".\r\n", 4);
	feed(text);
	ck_assert_int_eq(proto_read_caps(&s, is_dot, caps, &bits, line, &len),
			 PROTO_CAPS_TOO_MANY);
	free(text);
}
END_TEST

START_TEST(test_bye_untagged)
{
	feed("+OK bye\r\n");
	proto_server_bye(&s);
	assert_sent("QUIT\r\n");
	ck_assert_uint_eq(s.imap_tag, 0);
}
END_TEST

START_TEST(test_bye_tagged)
{
	const char *reason = NULL;

	s.proto = &protocol_imap4;
	s.imap_tag = 1;
	feed("* BYE\r\n");
	ck_assert_int_eq(proto_login_fail(&s, &reason, REASON_REAUTH, true), LOGIN_FAILED);
	ck_assert_str_eq(reason, REASON_REAUTH);
	assert_sent("flim08 LOGOUT\r\n");
	ck_assert_uint_eq(s.imap_tag, 2);
}
END_TEST

START_TEST(test_fail_without_bye)
{
	const char *reason = NULL;

	ck_assert_int_eq(proto_login_fail(&s, &reason, REASON_NEGOTIATION, false),
			 LOGIN_FAILED);
	ck_assert_str_eq(reason, REASON_NEGOTIATION);
	assert_sent("");
}
END_TEST

START_TEST(test_loop)
{
	ck_assert(proto_loop_detected(&s, L("+OK POP3 perdition ready on h 0002be72")));
	ck_assert(!proto_loop_detected(&s, L("+OK POP3 perdition ready on h 0002be73")));
	s.loop_token[0] = '\0';
	ck_assert(!proto_loop_detected(&s, L("+OK")));
}
END_TEST

START_TEST(test_pass_resp)
{
	ck_assert(!proto_pass_resp(&s, "+OK in"));
	cfg.resp_line = true;
	ck_assert(proto_pass_resp(&s, "+OK in"));
	ck_assert(!proto_pass_resp(&s, ""));
	ck_assert(!proto_pass_resp(&s, NULL));
	ck_assert(proto_pass_resp_fail(&s, REASON_REAUTH, "-ERR no"));
	ck_assert(!proto_pass_resp_fail(&s, REASON_NEGOTIATION, "-ERR no"));
	ck_assert(!proto_pass_resp_fail(&s, NULL, "-ERR no"));
	ck_assert(!proto_pass_resp_fail(&s, REASON_REAUTH, ""));
}
END_TEST

START_TEST(test_set_resp)
{
	char resp[8] = "x";

	proto_set_resp(resp, sizeof(resp), "+OK Logged in.");
	ck_assert_str_eq(resp, "+OK Log");
	proto_set_resp(resp, 0, "changed");
	ck_assert_str_eq(resp, "+OK Log");
}
END_TEST

int main(void)
{
	Suite *su = suite_create("proto_core");
	TCase *tc = tcase_create("pure");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_starts_token, 0, (int)N(token_cases));
	tcase_add_test(tc, test_cap_line);
	tcase_add_test(tc, test_cap_words);
	tcase_add_test(tc, test_read_failed);
	tcase_add_test(tc, test_registry);
	tcase_add_test(tc, test_tables);
	suite_add_tcase(su, tc);

	tc = tcase_create("server");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_read_caps);
	tcase_add_test(tc, test_read_caps_dead);
	tcase_add_test(tc, test_read_caps_too_many);
	tcase_add_test(tc, test_bye_untagged);
	tcase_add_test(tc, test_bye_tagged);
	tcase_add_test(tc, test_fail_without_bye);
	tcase_add_test(tc, test_loop);
	tcase_add_test(tc, test_pass_resp);
	tcase_add_test(tc, test_set_resp);
	suite_add_tcase(su, tc);

	sr = srunner_create(su);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
