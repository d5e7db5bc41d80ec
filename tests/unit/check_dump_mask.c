/*
 * check_dump_mask.c: unit tests for the password masker of
 * connection_logging (dump_mask.c, D-16).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dump_mask.h"
#include "mask.h"

#define M MASK_TEXT

/* Items fed one after the other through one state; want[i] is item i's
 * logged form. */
struct seq_case {
	const char *items[6];
	const char *want[6];
};

static const struct seq_case cases[] = {
	/* POP3 */
	{ { "USER alice", "PASS secret" }, { "USER alice", "PASS " M } },
	{ { "pass two words" }, { "pass " M } },
	{ { "PASS" }, { "PASS" } },
	{ { "PASS secret\r\n" }, { "PASS " M "\r\n" } },
	{ { "STAT", "LIST 1" }, { "STAT", "LIST 1" } },
	{ { "AUTH PLAIN AGFsaWNlAHNlY3JldA==" }, { "AUTH PLAIN " M } },
	{ { "AUTH PLAIN", "AGFsaWNlAHNlY3JldA==", "*", "STAT" },
	  { "AUTH PLAIN", M, M, "STAT" } },
	/* IMAP */
	{ { "a1 LOGIN alice secret" }, { "a1 LOGIN alice " M } },
	{ { "a1 login \"al ice\" \"se cret\"" }, { "a1 login \"al ice\" " M } },
	{ { "a1 LOGIN \"al\\\"ice\" x" }, { "a1 LOGIN \"al\\\"ice\" " M } },
	{ { "a1 LOGIN \"open quote secret" }, { "a1 LOGIN " M } },
	{ { "a1 LOGIN alice {6}", "secret", "", "a2 NOOP" },
	  { "a1 LOGIN alice " M, M, "", "a2 NOOP" } },
	{ { "a1 LOGIN {5+}", "alice", " {6+}", "secret", "", "a2 NOOP" },
	  { "a1 LOGIN " M, M, M, M, "", "a2 NOOP" } },
	{ { "a1 AUTHENTICATE PLAIN", "AGFsaWNlAHNlY3JldA==", "a2 X" },
	  { "a1 AUTHENTICATE PLAIN", M, M } },
	{ { "a1 AUTHENTICATE PLAIN AGFsaWNl", "a2 NOOP" },
	  { "a1 AUTHENTICATE PLAIN " M, "a2 NOOP" } },
	{ { "a1 SELECT INBOX", "a2 LOGOUT" }, { "a1 SELECT INBOX", "a2 LOGOUT" } },
	/* ManageSieve */
	{ { "AUTHENTICATE \"PLAIN\" \"AGFsaWNlAHNlY3JldA==\"" },
	  { "AUTHENTICATE \"PLAIN\" " M } },
	{ { "AUTHENTICATE \"PLAIN\" {20+}", "AGFsaWNlAHNlY3JldA==", "", "CAPABILITY" },
	  { "AUTHENTICATE \"PLAIN\" " M, M, "", "CAPABILITY" } },
	/* A write of several lines: each is looked at. */
	{ { "a1 AUTHENTICATE PLAIN\r\nAGFsaWNlAHNlY3JldA==\r\n" },
	  { "a1 AUTHENTICATE PLAIN\r\n" M "\r\n" } },
	{ { "USER a\r\nPASS b\r\n" }, { "USER a\r\nPASS " M "\r\n" } },
};

START_TEST(test_sequences)
{
	const struct seq_case *c = &cases[_i];
	struct dump_mask st = { 0 };
	char out[256];

	for (size_t i = 0; i < 6 && c->items[i] != NULL; i++) {
		size_t n = dump_mask(&st, c->items[i], strlen(c->items[i]), out, sizeof(out));

		ck_assert_uint_eq(n, strlen(out));
		ck_assert_msg(strcmp(out, c->want[i]) == 0, "case %d item %zu: got \"%s\"",
			      _i, i, out);
	}
}
END_TEST

START_TEST(test_secret_never_shown)
{
	static const char *const lines[] = {
		"PASS hunter2", "x LOGIN u hunter2", "x LOGIN \"u\" \"hunter2\"",
		"AUTH LOGIN aHVudGVyMg==", "x authenticate plain hunter2",
	};
	char out[128];

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct dump_mask st = { 0 };

		dump_mask(&st, lines[i], strlen(lines[i]), out, sizeof(out));
		ck_assert_ptr_null(strstr(out, "hunter2"));
		ck_assert_ptr_null(strstr(out, "aHVudGVyMg"));
		ck_assert_ptr_nonnull(strstr(out, M));
	}
}
END_TEST

START_TEST(test_bounds_and_garbage)
{
	struct dump_mask st = { 0 };
	char in[512], out[16];
	unsigned i, j;

	/* The output is always cut to fit and terminated. */
	ck_assert_uint_eq(dump_mask(&st, "PASS secret", 11, out, 8), 7);
	ck_assert_str_eq(out, "PASS **");
	ck_assert_uint_eq(dump_mask(&st, "abc", 3, out, 1), 0);
	ck_assert_str_eq(out, "");
	/* Garbage: bounded, and the state never grows past its limit. */
	srand(16);
	for (i = 0; i < 20000; i++) {
		size_t n = (size_t)rand() % sizeof(in);

		for (j = 0; j < n; j++)
			in[j] = "{}+0123 \"\\\r\nPASLOGINAUTHE"[rand() % 26];
		ck_assert_uint_lt(dump_mask(&st, in, n, out, sizeof(out)), sizeof(out));
		ck_assert_uint_le(st.secret_items, DUMP_MASK_MAX_SECRET_ITEMS);
	}
}
END_TEST

static Suite *dump_mask_suite(void)
{
	Suite *s = suite_create("dump_mask");
	TCase *tc = tcase_create("mask");

	tcase_add_loop_test(tc, test_sequences, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_secret_never_shown);
	tcase_add_test(tc, test_bounds_and_garbage);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dump_mask_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
