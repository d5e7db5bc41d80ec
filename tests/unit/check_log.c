/*
 * check_log.c: unit tests for the logger: escaping (D-11), the file
 * sink's line format and level filtering.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* ------------------------------------------------------------ log_escape */

/* What byte c must become (written independently of log.c). */
static const char *expected_escape(unsigned c, char *buf)
{
	switch (c) {
	case '\r': return "\\r";
	case '\n': return "\\n";
	case '\t': return "\\t";
	case '"': return "\\\"";
	case '\\': return "\\\\";
	}
	if (c < 0x20 || c >= 0x7f) {
		snprintf(buf, 5, "\\x%02x", c);
		return buf;
	}
	buf[0] = (char)c;
	buf[1] = '\0';
	return buf;
}

START_TEST(test_escape_every_byte)
{
	char in[3], out[32], exp[64], eb[8];
	unsigned c = (unsigned)_i;

	/* The byte between two letters, so the length is passed in, not
	 * found by strlen (NUL included). */
	in[0] = 'a';
	in[1] = (char)c;
	in[2] = 'z';
	log_escape(out, sizeof(out), in, 3);
	snprintf(exp, sizeof(exp), "a%sz", expected_escape(c, eb));
	ck_assert_str_eq(out, exp);
	/* No control byte and no bare quote survives. */
	for (const char *p = out; *p != '\0'; p++)
		ck_assert((unsigned char)*p >= 0x20 &&
			  (unsigned char)*p < 0x7f);
}
END_TEST

START_TEST(test_escape_nul_bytes)
{
	const char in[] = { 'u', '\0', 's', '\0', '\0' };
	char out[64];

	log_escape(out, sizeof(out), in, sizeof(in));
	ck_assert_str_eq(out, "u\\x00s\\x00\\x00");
}
END_TEST

START_TEST(test_escape_forged_line)
{
	const char *in = "bob\r\nMay 01 00:00:00 perdition[1]: Auth: \"x\"";
	char out[256];

	log_escape_str(out, sizeof(out), in);
	ck_assert_ptr_null(strchr(out, '\n'));
	ck_assert_ptr_null(strchr(out, '\r'));
	ck_assert_str_eq(out, "bob\\r\\nMay 01 00:00:00 perdition[1]: "
			      "Auth: \\\"x\\\"");
}
END_TEST

/* Truncation never splits an escape and always NUL-terminates. */
static const struct {
	const char *in;
	size_t dstlen;
	const char *out;
} trunc_cases[] = {
	{ "abcdef", 1, "" },
	{ "abcdef", 2, "a" },
	{ "abcdef", 7, "abcdef" },
	{ "abcdef", 6, "abcde" },
	{ "a\x01", 4, "a" },       /* \x01 needs 4 more bytes */
	{ "a\x01", 5, "a" },
	{ "a\x01", 6, "a\\x01" },
	{ "a\n", 3, "a" },
	{ "a\n", 4, "a\\n" },
	{ "\"\"", 4, "\\\"" },
	{ "\xff\xfe", 9, "\\xff\\xfe" },
	{ "\xff\xfe", 8, "\\xff" },
};

START_TEST(test_escape_truncation)
{
	char out[64];

	memset(out, 'X', sizeof(out));
	log_escape(out, trunc_cases[_i].dstlen, trunc_cases[_i].in,
		   strlen(trunc_cases[_i].in));
	ck_assert_str_eq(out, trunc_cases[_i].out);
	ck_assert_uint_lt(strlen(out), trunc_cases[_i].dstlen);
	/* Nothing past dstlen was touched. */
	ck_assert_int_eq(out[trunc_cases[_i].dstlen], 'X');
}
END_TEST

START_TEST(test_escape_zero_len_and_null)
{
	char out[8] = "junk";

	log_escape(out, sizeof(out), "abc", 0);
	ck_assert_str_eq(out, "");
	log_escape_str(out, sizeof(out), NULL);
	ck_assert_str_eq(out, "(null)");
	log_escape_str(out, 4, NULL);
	ck_assert_str_eq(out, "(nu");
}
END_TEST

START_TEST(test_escape_long_input)
{
	static char in[5000], out[1024], big[5000 * 4 + 1];
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (char)(i % 256);
	log_escape(out, sizeof(out), in, sizeof(in));
	ck_assert_uint_lt(strlen(out), sizeof(out));
	ck_assert_uint_ge(strlen(out), sizeof(out) - 4);
	/* Big enough: all of it, and the prefix agrees. */
	log_escape(big, sizeof(big), in, sizeof(in));
	ck_assert_uint_gt(strlen(big), 5000);
	ck_assert_int_eq(strncmp(big, out, strlen(out)), 0);
	for (i = 0; big[i] != '\0'; i++)
		ck_assert((unsigned char)big[i] >= 0x20 &&
			  (unsigned char)big[i] < 0x7f);
}
END_TEST

/* ------------------------------------------------------------ file sink */

static char tmp_path[64];

static void tmp_setup(void)
{
	int fd;

	snprintf(tmp_path, sizeof(tmp_path), "/tmp/check_log.XXXXXX");
	fd = mkstemp(tmp_path);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static void tmp_teardown(void)
{
	log_close();
	unlink(tmp_path);
}

/* Read the whole log file (small in these tests). */
static char *read_log(void)
{
	static char buf[65536];
	FILE *f = fopen(tmp_path, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return n;
}

START_TEST(test_file_line_format)
{
	regex_t re;
	char want[256], *buf;
	int r;

	log_init("perdition.pop3");
	ck_assert_int_eq(log_open(tmp_path, LOG_INFO), 0);
	ck_assert_int_ge(log_fd(), 3);
	log_info("Connect: %s", " 1.2.3.4:5->6.7.8.9:110");
	buf = read_log();
	snprintf(want, sizeof(want),
		 "^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
		 "[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] "
		 "perdition\\.pop3\\[%ld\\]: Connect:  1\\.2\\.3\\.4:5->"
		 "6\\.7\\.8\\.9:110\n$", (long)getpid());
	r = regcomp(&re, want, REG_EXTENDED);
	ck_assert_int_eq(r, 0);
	ck_assert_msg(regexec(&re, buf, 0, NULL, 0) == 0,
		      "line does not match: \"%s\"", buf);
	regfree(&re);
}
END_TEST

START_TEST(test_file_debug_prefix)
{
	char *buf;

	log_init("perdition");
	ck_assert_int_eq(log_open(tmp_path, LOG_DEBUG), 0);
	log_debug("value=%d", 42);
	buf = read_log();
	/* Check names the test's function <name>_fn. */
	ck_assert_ptr_nonnull(strstr(buf, "]: test_file_debug_prefix_fn: "
					  "value=42\n"));
}
END_TEST

/* Level filtering: which priorities reach the file at each level. */
static const struct {
	int level;
	int lines; /* of err, notice, info, debug */
} level_cases[] = {
	{ LOG_ERR, 1 },
	{ LOG_INFO, 3 },
	{ LOG_DEBUG, 4 },
};

START_TEST(test_file_levels)
{
	char *buf;

	log_init("perdition");
	ck_assert_int_eq(log_open(tmp_path, level_cases[_i].level), 0);
	log_err("e");
	log_notice("n");
	log_info("i");
	log_debug("d");
	buf = read_log();
	ck_assert_int_eq(count_lines(buf), level_cases[_i].lines);
	ck_assert_int_eq(log_enabled(LOG_DEBUG),
			 level_cases[_i].level >= LOG_DEBUG);
	ck_assert(log_enabled(LOG_ERR));
}
END_TEST

START_TEST(test_file_reopen)
{
	char moved[80], *buf;
	int fd;

	log_init("perdition");
	ck_assert_int_eq(log_open(tmp_path, LOG_INFO), 0);
	fd = log_fd();
	log_info("before");
	/* Rotate: the old file moves away, reopen starts a new one on the
	 * same descriptor. */
	snprintf(moved, sizeof(moved), "%s.old", tmp_path);
	ck_assert_int_eq(rename(tmp_path, moved), 0);
	log_reopen();
	ck_assert_int_eq(log_fd(), fd);
	log_info("after");
	buf = read_log();
	ck_assert_ptr_null(strstr(buf, "before"));
	ck_assert_ptr_nonnull(strstr(buf, "]: Reopened logger\n"));
	ck_assert_ptr_nonnull(strstr(buf, "]: after\n"));
	unlink(moved);
}
END_TEST

START_TEST(test_file_long_message)
{
	static char big[40000];
	char *buf;

	memset(big, 'x', sizeof(big) - 1);
	log_init("perdition");
	ck_assert_int_eq(log_open(tmp_path, LOG_INFO), 0);
	log_info("%s", big);
	log_info("next");
	buf = read_log();
	/* Truncated, but still exactly one line each. */
	ck_assert_int_eq(count_lines(buf), 2);
	ck_assert_ptr_nonnull(strstr(buf, "]: next\n"));
}
END_TEST

/* Messages around the size formatted on the stack (1 KiB) and far
 * above it arrive whole, prefix included; only beyond 16 KiB is a
 * message cut. */
static const size_t whole_lens[] = { 1000, 1005, 1006, 1007, 1023, 1024, 1025, 3000, 16000 };

START_TEST(test_file_message_whole)
{
	static char msg[16384], want[16500];
	size_t len = whole_lens[_i];
	char *buf;

	memset(msg, 'a', len);
	msg[0] = '<';
	msg[len - 1] = '>';
	msg[len] = '\0';
	log_init("perdition");
	ck_assert_int_eq(log_open(tmp_path, LOG_DEBUG), 0);
	log_debug("%s|%d", msg, 7);
	buf = read_log();
	snprintf(want, sizeof(want), "]: test_file_message_whole_fn: %s|7\n", msg);
	ck_assert_int_eq(count_lines(buf), 1);
	ck_assert_ptr_nonnull(strstr(buf, want));
}
END_TEST

START_TEST(test_file_message_cut)
{
	static char msg[20000];
	char *buf, *p;

	memset(msg, 'b', sizeof(msg) - 1);
	log_init("perdition");
	ck_assert_int_eq(log_open(tmp_path, LOG_INFO), 0);
	log_info("%s", msg);
	buf = read_log();
	p = strstr(buf, "]: ");
	ck_assert_ptr_nonnull(p);
	/* 16383 bytes of message, then the newline. */
	ck_assert_uint_eq(strlen(p + 3), 16383 + 1);
	ck_assert_int_eq(p[3 + 16383], '\n');
}
END_TEST

START_TEST(test_open_errors)
{
	log_init("perdition");
	ck_assert_int_eq(log_open("/nonexistent-dir/x/log", LOG_INFO), -1);
	ck_assert_int_eq(log_open("no-such-facility", LOG_INFO), -1);
	ck_assert_int_eq(log_open("local3", LOG_INFO), 0);
	ck_assert_int_eq(log_fd(), -1);
	ck_assert_int_eq(log_open("+", LOG_INFO), 0);
	ck_assert_int_eq(log_fd(), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("log");
	TCase *tc;
	SRunner *sr;
	int failed;

	tc = tcase_create("escape");
	tcase_add_loop_test(tc, test_escape_every_byte, 0, 256);
	tcase_add_test(tc, test_escape_nul_bytes);
	tcase_add_test(tc, test_escape_forged_line);
	tcase_add_loop_test(tc, test_escape_truncation, 0,
			    sizeof(trunc_cases) / sizeof(trunc_cases[0]));
	tcase_add_test(tc, test_escape_zero_len_and_null);
	tcase_add_test(tc, test_escape_long_input);
	suite_add_tcase(s, tc);

	tc = tcase_create("file");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, test_file_line_format);
	tcase_add_test(tc, test_file_debug_prefix);
	tcase_add_loop_test(tc, test_file_levels, 0,
			    sizeof(level_cases) / sizeof(level_cases[0]));
	tcase_add_test(tc, test_file_reopen);
	tcase_add_test(tc, test_file_long_message);
	tcase_add_loop_test(tc, test_file_message_whole, 0,
			    (int)(sizeof(whole_lens) / sizeof(whole_lens[0])));
	tcase_add_test(tc, test_file_message_cut);
	tcase_add_test(tc, test_open_errors);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
