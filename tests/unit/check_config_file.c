/*
 * check_config_file.c: unit tests for the config-file tokenizer
 * (config_file.c, SPEC 2.3).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "config_file.h"
#include "defs.h"

/* Marks an entry without a value (NULL) in the tables below. */
#define NOVAL ((const char *)1)
#define MAXE 4

struct tok_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
	int rc;
	size_t n;
	const char *key[MAXE];
	const char *val[MAXE];
	unsigned line[MAXE];
};

static const struct tok_case cases[] = {
	{ "", 0, 0, 0, { 0 }, { 0 }, { 0 } },
	{ "\n\n   \n\t\n", 0, 0, 0, { 0 }, { 0 }, { 0 } },
	{ "debug\n", 0, 0, 1, { "debug" }, { NOVAL }, { 1 } },
	{ "  l   110   # short option\n", 0, 0, 1, { "l" }, { "110" },
	  { 1 } },
	{ "group mail\n\n# c\nlisten_port 23\n", 0, 0, 2,
	  { "group", "listen_port" }, { "mail", "23" }, { 1, 4 } },
	/* The rest of the line is one value; inner blanks stay. */
	{ "ok_line You are  so in  \n", 0, 0, 1, { "ok_line" },
	  { "You are  so in" }, { 1 } },
	{ "x\ty\tz\t\n", 0, 0, 1, { "x" }, { "y\tz" }, { 1 } },
	/* Continuation joins lines, also inside the key. */
	{ "a\\\nb c\n", 0, 0, 1, { "ab" }, { "c" }, { 1 } },
	{ "k one \\\n  two\nm 1\n", 0, 0, 2, { "k", "m" },
	  { "one   two", "1" }, { 1, 3 } },
	/* A comment ending in a backslash swallows the next line. */
	{ "# comment \\\nl 110\nm x\n", 0, 0, 1, { "m" }, { "x" }, { 3 } },
	{ "a 1 # c \\\nb 2\nc 3\n", 0, 0, 2, { "a", "c" }, { "1", "3" },
	  { 1, 3 } },
	/* An escaped backslash in a comment does not continue it. */
	{ "# c \\\\\nb 2\n", 0, 0, 1, { "b" }, { "2" }, { 2 } },
	/* Escapes in double quotes (SPEC 13 item 94). */
	{ "query_key \"\\\\u,\\\\D\\\\d\"\n", 0, 0, 1, { "query_key" },
	  { "\\u,\\D\\d" }, { 1 } },
	/* Single quotes are literal, backslash and # included. */
	{ "k 'a\\b \"c\" #d'\n", 0, 0, 1, { "k" }, { "a\\b \"c\" #d" },
	  { 1 } },
	/* Inside "...", a '...' section nests. */
	{ "k \"a'b'c\"\n", 0, 0, 1, { "k" }, { "abc" }, { 1 } },
	{ "k \"a # b\"  \n", 0, 0, 1, { "k" }, { "a # b" }, { 1 } },
	{ "k \\#notcomment\n", 0, 0, 1, { "k" }, { "#notcomment" }, { 1 } },
	{ "k a\\ \n", 0, 0, 1, { "k" }, { "a " }, { 1 } },
	{ "k '  '\n", 0, 0, 1, { "k" }, { "  " }, { 1 } },
	{ "pid_file \"\"\n", 0, 0, 1, { "pid_file" }, { "" }, { 1 } },
	{ "pid_file ''", 0, 0, 1, { "pid_file" }, { "" }, { 1 } },
	{ "'my key' v\n\\ k2 w\n", 0, 0, 2, { "my key", " k2" },
	  { "v", "w" }, { 1, 2 } },
	{ "a 1\nb 2", 0, 0, 2, { "a", "b" }, { "1", "2" }, { 1, 2 } },
	{ "a 1\r\nb 2\r\n", 0, 0, 2, { "a", "b" }, { "1", "2" }, { 1, 2 } },
	{ "a 1 \\\r\n2\r\n", 0, 0, 1, { "a" }, { "1 2" }, { 1 } },
	{ "#only a comment", 0, 0, 0, { 0 }, { 0 }, { 0 } },
	{ "k#v\n", 0, 0, 1, { "k" }, { NOVAL }, { 1 } },
	{ "k v#w\n", 0, 0, 1, { "k" }, { "v" }, { 1 } },
	/* Trailing backslash at the end of the file escapes nothing. */
	{ "a 1\nb x\\", 0, 0, 2, { "a", "b" }, { "1", "x" }, { 1, 2 } },
	{ "\\", 0, 0, 0, { 0 }, { 0 }, { 0 } },
	{ "# c\\", 0, 0, 0, { 0 }, { 0 }, { 0 } },
	/* Errors keep the entries before the bad line. */
	{ "k 'unterminated\n", 0, -1, 0, { 0 }, { 0 }, { 0 } },
	{ "a 1\nb \"x\nc 2\n", 0, -1, 1, { "a" }, { "1" }, { 1 } },
	{ "a 1\nb \"x", 0, -1, 1, { "a" }, { "1" }, { 1 } },
	{ "a 1\nb \0x\n", 9, -1, 1, { "a" }, { "1" }, { 1 } },
	{ "\0", 1, -1, 0, { 0 }, { 0 }, { 0 } },
};

START_TEST(test_tokenize)
{
	const struct tok_case *c = &cases[_i];
	struct config_entry *e = NULL;
	size_t n = 99;
	char err[256];
	size_t len = c->len ? c->len : strlen(c->in);
	int rc = config_tokenize(c->in, len, &e, &n, err, sizeof(err));

	ck_assert_int_eq(rc, c->rc);
	ck_assert_uint_eq(n, c->n);
	for (size_t i = 0; i < n && i < MAXE; i++) {
		ck_assert_str_eq(e[i].key, c->key[i]);
		if (c->val[i] == NOVAL)
			ck_assert_ptr_null(e[i].value);
		else
			ck_assert_str_eq(e[i].value, c->val[i]);
		ck_assert_uint_eq(e[i].line, c->line[i]);
	}
	if (rc < 0)
		ck_assert_msg(strncmp(err, "line ", 5) == 0, "err: %s", err);
	config_entries_free(e, n);
}
END_TEST

/* The error names the line where it happened. */
START_TEST(test_error_lines)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} errs[] = {
		{ "a 1\nb 2\nc 'x\n", 0, "line 3: unterminated quote" },
		{ "a 1\\\n2\nb 'x\n", 0, "line 3: unterminated quote" },
		{ "# x\\\n y\nc \"", 0, "line 3: unterminated quote" },
		{ "a\nb\nc\nd \0", 10, "line 4: NUL byte" },
	};
	struct config_entry *e;
	size_t n;
	char err[256];

	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		size_t len = errs[i].len ? errs[i].len : strlen(errs[i].in);

		ck_assert_int_eq(config_tokenize(errs[i].in, len, &e, &n, err,
						 sizeof(err)), -1);
		ck_assert_str_eq(err, errs[i].want);
		config_entries_free(e, n);
	}
}
END_TEST

static char *repeat(const char *head, char c, size_t n, const char *tail)
{
	size_t hl = strlen(head), tl = strlen(tail);
	char *s = malloc(hl + n + tl + 1);

	memcpy(s, head, hl);
	memset(s + hl, c, n);
	memcpy(s + hl + n, tail, tl + 1);
	return s;
}

START_TEST(test_long_tokens)
{
	struct config_entry *e;
	size_t n;
	char err[256];
	char *s;

	/* Exactly the limit is fine, in the value and in the key. */
	s = repeat("k ", 'v', MAX_CONFIG_TOKEN, "\n");
	ck_assert_int_eq(config_tokenize(s, strlen(s), &e, &n, err,
					 sizeof(err)), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(strlen(e[0].value), MAX_CONFIG_TOKEN);
	config_entries_free(e, n);
	free(s);

	/* Trailing blanks past the limit are trimmed, not an error. */
	s = repeat("k ", 'v', MAX_CONFIG_TOKEN, "        \n");
	ck_assert_int_eq(config_tokenize(s, strlen(s), &e, &n, err,
					 sizeof(err)), 0);
	ck_assert_uint_eq(strlen(e[0].value), MAX_CONFIG_TOKEN);
	config_entries_free(e, n);
	free(s);

	/* One more byte is an error naming the line. */
	s = repeat("a 1\nk ", 'v', MAX_CONFIG_TOKEN + 1, "\n");
	ck_assert_int_eq(config_tokenize(s, strlen(s), &e, &n, err,
					 sizeof(err)), -1);
	ck_assert_uint_eq(n, 1);
	ck_assert_msg(strstr(err, "line 2: token longer") == err, "%s", err);
	config_entries_free(e, n);
	free(s);

	/* 5000-byte tokens: key, value, quoted, and a comment (fine). */
	s = repeat("", 'K', 5000, " v\n");
	ck_assert_int_eq(config_tokenize(s, strlen(s), &e, &n, err,
					 sizeof(err)), -1);
	ck_assert_str_eq(err, "line 1: token longer than 4093 bytes");
	config_entries_free(e, n);
	free(s);

	s = repeat("k \"", 'q', 5000, "\"\n");
	ck_assert_int_eq(config_tokenize(s, strlen(s), &e, &n, err,
					 sizeof(err)), -1);
	config_entries_free(e, n);
	free(s);

	s = repeat("#", 'c', 5000, "\nk v\n");
	ck_assert_int_eq(config_tokenize(s, strlen(s), &e, &n, err,
					 sizeof(err)), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(e[0].line, 2);
	config_entries_free(e, n);
	free(s);

	/* 5000 blanks between key and value are only blanks. */
	s = repeat("k", ' ', 5000, "v\n");
	ck_assert_int_eq(config_tokenize(s, strlen(s), &e, &n, err,
					 sizeof(err)), 0);
	ck_assert_str_eq(e[0].value, "v");
	config_entries_free(e, n);
	free(s);
}
END_TEST

/* Every prefix of a tricky file tokenizes without crashing. */
START_TEST(test_prefixes)
{
	static const char text[] =
		"# sample \\\n continued\n"
		"  l 110 # c\n"
		"query_key \"\\\\u,\\\\D\\\\d\" \n"
		"k 'a \"b\" \\c' \"d'e'f\" \\\n  g\r\n"
		"\\#h i\\ \n"
		"flag\n";
	struct config_entry *e;
	size_t n;
	char err[64];

	for (size_t len = 0; len <= sizeof(text) - 1; len++) {
		int rc = config_tokenize(text, len, &e, &n, err, sizeof(err));

		ck_assert(rc == 0 || rc == -1);
		config_entries_free(e, n);
	}
	ck_assert_int_eq(config_tokenize(text, sizeof(text) - 1, &e, &n, err,
					 sizeof(err)), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(e[2].value, "a \"b\" \\c def   g");
	ck_assert_str_eq(e[3].key, "#h");
	ck_assert_str_eq(e[3].value, "i ");
	ck_assert_str_eq(e[4].key, "flag");
	ck_assert_uint_eq(e[4].line, 8);
	config_entries_free(e, n);
}
END_TEST

/* Random bytes (control bytes, quotes, backslashes): no crash, bounded. */
START_TEST(test_garbage)
{
	static const char alphabet[] = "ab #'\"\\\n\r\t\x01\x7f\xff";
	unsigned seed = 12345;
	char buf[2048], err[128];

	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(round % (int)sizeof(buf));
		struct config_entry *e;
		size_t n;
		int rc;

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (seed >> 16) % 7 == 0
					 ? (char)(seed >> 8)
					 : alphabet[(seed >> 16) %
						    (sizeof(alphabet) - 1)];
		}
		rc = config_tokenize(buf, len, &e, &n, err, sizeof(err));
		ck_assert(rc == 0 || rc == -1);
		for (size_t i = 0; i < n; i++)
			ck_assert(e[i].line >= 1);
		config_entries_free(e, n);
	}
	/* A zero-size error buffer is allowed. */
	{
		struct config_entry *e;
		size_t n;

		ck_assert_int_eq(config_tokenize("'", 1, &e, &n, err, 0), -1);
		config_entries_free(e, n);
	}
}
END_TEST

static Suite *config_file_suite(void)
{
	Suite *s = suite_create("config_file");
	TCase *tc = tcase_create("tokenize");

	tcase_add_loop_test(tc, test_tokenize, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_error_lines);
	tcase_add_test(tc, test_long_tokens);
	tcase_add_test(tc, test_prefixes);
	tcase_add_test(tc, test_garbage);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(config_file_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
