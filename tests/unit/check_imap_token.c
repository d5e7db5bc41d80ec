/*
 * check_imap_token.c: unit tests of the pure IMAP tokenizer: tags,
 * literal markers, argument lists, quoting and real-server tags, fed
 * garbage, NULs, huge numbers, long lines and every prefix of each line.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "imap_token.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- tags */

static const struct {
	const char *tag;
	size_t len; /* 0: strlen(tag) */
	bool valid;
} tag_cases[] = {
	{ "a", 0, true },
	{ "A001", 0, true },
	{ "a.b-c_d+e", 0, true },
	{ "[x", 0, true },
	{ "~!#$&'", 0, true },
	{ "", 0, false },
	{ "a%", 0, false },
	{ "%s%s%n", 0, false },
	{ "*", 0, false },
	{ "a*b", 0, false },
	{ "(", 0, false },
	{ ")", 0, false },
	{ "{1}", 0, false },
	{ "\"a\"", 0, false },
	{ "a\\b", 0, false },
	{ "a]", 0, false },
	{ "a b", 0, false },
	{ "a\x01", 0, false },
	{ "a\tb", 0, false },
	{ "\x7f", 0, false },
	{ "\x80", 0, false },
	{ "\xff\xfe", 0, false },
	{ "a\r", 0, false },
	{ "a\0b", 3, false },
	{ "\0", 1, false },
};

START_TEST(test_tag)
{
	size_t len = tag_cases[_i].len ? tag_cases[_i].len : strlen(tag_cases[_i].tag);

	ck_assert_msg(imap_tag_valid(tag_cases[_i].tag, len) == tag_cases[_i].valid,
		      "case %d", _i);
}
END_TEST

START_TEST(test_tag_length)
{
	char buf[MAX_TAG_LENGTH + 2];

	memset(buf, 'x', sizeof(buf));
	ck_assert(imap_tag_valid(buf, MAX_TAG_LENGTH));
	ck_assert(!imap_tag_valid(buf, MAX_TAG_LENGTH + 1));
}
END_TEST

/* ------------------------------------------------------------ literals */

static const struct {
	const char *s;
	int ret;
	unsigned long size;
	bool plus;
} lit_cases[] = {
	{ "{0}", 0, 0, false },
	{ "{5}", 0, 5, false },
	{ "{5+}", 0, 5, true },
	{ "{00005}", 0, 5, false },
	{ "{4096}", 0, 4096, false },
	{ "{4096+}", 0, 4096, true },
	{ "{4097}", -1, 0, false },
	{ "{-1}", -1, 0, false },
	{ "{+5}", -1, 0, false },
	{ "{4294967296}", -1, 0, false },
	{ "{18446744073709551617}", -1, 0, false },
	{ "{123456789012345678901234567890}", -1, 0, false },
	{ "{}", -1, 0, false },
	{ "{+}", -1, 0, false },
	{ "{ 1}", -1, 0, false },
	{ "{1 }", -1, 0, false },
	{ "{0x10}", -1, 0, false },
	{ "{1", -1, 0, false },
	{ "1}", -1, 0, false },
	{ "{1}x", -1, 0, false },
	{ "{1++}", -1, 0, false },
	{ "{1-}", -1, 0, false },
	{ "", -1, 0, false },
	{ "{", -1, 0, false },
	{ "}", -1, 0, false },
};

START_TEST(test_literal)
{
	unsigned long size = 99;
	bool plus = false;
	int r = imap_literal_parse(lit_cases[_i].s, strlen(lit_cases[_i].s),
				   MAX_LITERAL_SIZE, &size, &plus);

	ck_assert_msg(r == lit_cases[_i].ret, "case %d (%s)", _i, lit_cases[_i].s);
	if (r == 0) {
		ck_assert_uint_eq(size, lit_cases[_i].size);
		ck_assert(plus == lit_cases[_i].plus);
	}
}
END_TEST

START_TEST(test_literal_nul)
{
	unsigned long size;
	bool plus;

	ck_assert_int_eq(imap_literal_parse("{1\0}", 4, MAX_LITERAL_SIZE, &size, &plus), -1);
	ck_assert_int_eq(imap_literal_parse("{\0}", 3, MAX_LITERAL_SIZE, &size, &plus), -1);
}
END_TEST

/* ------------------------------------------------------------ arguments */

/*
 * Each line is tokenized from position 0 and rendered as
 * "A:atom|Q:decoded|L:n|L+:n|" ending in "E" (end) or "S" (syntax error).
 */
static const struct {
	const char *line;
	size_t len; /* 0: strlen */
	const char *want;
} arg_cases[] = {
	{ "", 0, "E" },
	{ " bob pass", 0, "A:bob|A:pass|E" },
	{ " \"bob\" \"good pass\"", 0, "Q:bob|Q:good pass|E" },
	{ " \"b\\\"o\" x", 0, "Q:b\"o|A:x|E" },
	{ " \"a\\\\b\"", 0, "Q:a\\b|E" },
	{ " \"\"", 0, "Q:|E" },
	{ " \"a\\xb\"", 0, "S" },
	{ " \"a\\", 0, "S" },
	{ " \"unterminated", 0, "S" },
	{ " \"a\"b", 0, "S" },
	{ " a\"b", 0, "S" },
	{ "  bob", 0, "S" },
	{ " bob ", 0, "A:bob|S" },
	{ " bob  pass", 0, "A:bob|S" },
	{ "bob", 0, "S" },
	{ " ", 0, "S" },
	{ " {3}", 0, "L:3|E" },
	{ " {3+}", 0, "L+:3|E" },
	{ " bob {9}", 0, "A:bob|L:9|E" },
	{ " {3} x", 0, "S" },
	{ " {3}x", 0, "S" },
	{ " \"{3}\"", 0, "Q:{3}|E" },
	{ " {0}", 0, "L:0|E" },
	{ " {-1}", 0, "S" },
	{ " {4294967296}", 0, "S" },
	{ " {123456789012345678901234567890}", 0, "S" },
	{ " {4097}", 0, "S" },
	{ " {abc", 0, "S" },
	{ " b\\o", 0, "A:b\\o|E" },
	{ " p%ss*(x)]", 0, "A:p%ss*(x)]|E" },
	{ " a\0b", 4, "S" },
	{ " \"a\0b\"", 6, "S" },
	{ " \"a\rb\"", 0, "S" },
	{ " a\rb", 0, "S" },
	{ " \xc3\xa9t\xc3\xa9", 0, "A:\xc3\xa9t\xc3\xa9|E" },
};

/* Render the tokens of line[0..len) as described above. */
static void render(const char *line, size_t len, char *out, size_t outlen)
{
	size_t pos = 0, o = 0;
	struct imap_arg arg;
	char dec[8192];
	int r;

	out[0] = '\0';
	for (int guard = 0; guard < 10000; guard++) {
		size_t before = pos;

		r = imap_arg_next(line, len, &pos, MAX_LITERAL_SIZE, &arg);
		if (r == IMAP_ARG_END) {
			o += (size_t)snprintf(out + o, outlen - o, "E");
			return;
		}
		if (r != IMAP_ARG_OK) {
			o += (size_t)snprintf(out + o, outlen - o, "S");
			return;
		}
		ck_assert(pos > before && pos <= len);
		ck_assert(arg.start >= line && arg.start + arg.len <= line + len);
		switch (arg.type) {
		case IMAP_ARG_ATOM:
			o += (size_t)snprintf(out + o, outlen - o, "A:%.*s|",
					      (int)arg.len, arg.start);
			break;
		case IMAP_ARG_QUOTED:
			ck_assert(imap_unquote(arg.start, arg.len, dec, sizeof(dec)) >= 0);
			o += (size_t)snprintf(out + o, outlen - o, "Q:%s|", dec);
			break;
		case IMAP_ARG_LITERAL:
			o += (size_t)snprintf(out + o, outlen - o, "L%s:%lu|",
					      arg.literal_plus ? "+" : "",
					      arg.literal_size);
			ck_assert(pos == len);
			break;
		}
		if (o >= outlen)
			return;
	}
	ck_abort_msg("tokenizer did not terminate");
}

START_TEST(test_args)
{
	const char *line = arg_cases[_i].line;
	size_t len = arg_cases[_i].len ? arg_cases[_i].len : strlen(line);
	char out[1024];

	render(line, len, out, sizeof(out));
	ck_assert_msg(strcmp(out, arg_cases[_i].want) == 0,
		      "case %d: got %s want %s", _i, out, arg_cases[_i].want);
}
END_TEST

/* Every prefix of every case, each in a buffer of exactly that size, so
 * an over-read shows up under ASan/valgrind; results must be sane. */
START_TEST(test_args_prefixes)
{
	const char *line = arg_cases[_i].line;
	size_t len = arg_cases[_i].len ? arg_cases[_i].len : strlen(line);
	char out[1024];

	for (size_t k = 0; k <= len; k++) {
		char *buf = malloc(k ? k : 1);

		memcpy(buf, line, k);
		render(buf, k, out, sizeof(out));
		ck_assert(out[0] != '\0');
		free(buf);
	}
}
END_TEST

START_TEST(test_args_long)
{
	size_t len = 5000;
	char *line = malloc(len);
	char out[64];
	size_t pos = 0;
	struct imap_arg arg;

	/* one 4999-byte atom */
	line[0] = ' ';
	memset(line + 1, 'a', len - 1);
	ck_assert_int_eq(imap_arg_next(line, len, &pos, MAX_LITERAL_SIZE, &arg), IMAP_ARG_OK);
	ck_assert_int_eq(arg.type, IMAP_ARG_ATOM);
	ck_assert_uint_eq(arg.len, len - 1);
	ck_assert_int_eq(imap_arg_next(line, len, &pos, MAX_LITERAL_SIZE, &arg), IMAP_ARG_END);

	/* one 4997-byte quoted string, and the same unterminated */
	line[1] = '"';
	line[len - 1] = '"';
	pos = 0;
	ck_assert_int_eq(imap_arg_next(line, len, &pos, MAX_LITERAL_SIZE, &arg), IMAP_ARG_OK);
	ck_assert_int_eq(arg.type, IMAP_ARG_QUOTED);
	ck_assert_uint_eq(arg.len, len - 3);
	line[len - 1] = 'a';
	pos = 0;
	ck_assert_int_eq(imap_arg_next(line, len, &pos, MAX_LITERAL_SIZE, &arg), IMAP_ARG_SYNTAX);

	/* 2500 one-byte atoms */
	for (size_t i = 0; i < len; i += 2) {
		line[i] = ' ';
		line[i + 1] = 'x';
	}
	render(line, len, out, sizeof(out));
	free(line);
}
END_TEST

/* Pseudo-random garbage: the tokenizer terminates and stays in bounds. */
START_TEST(test_args_garbage)
{
	static const char alphabet[] = " \"\\{}+0123456789ab\0\r\n\x80";
	unsigned seed = 12345;
	char out[16384];

	for (int iter = 0; iter < 3000; iter++) {
		size_t len = (size_t)(iter % 97);
		char *buf = malloc(len ? len : 1);

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		render(buf, len, out, sizeof(out));
		free(buf);
	}
}
END_TEST

/* -------------------------------------------------------------- unquote */

START_TEST(test_unquote)
{
	char dst[8];

	ck_assert_int_eq(imap_unquote("abc", 3, dst, sizeof(dst)), 3);
	ck_assert_str_eq(dst, "abc");
	ck_assert_int_eq(imap_unquote("a\\\"b\\\\", 6, dst, sizeof(dst)), 4);
	ck_assert_str_eq(dst, "a\"b\\");
	ck_assert_int_eq(imap_unquote("", 0, dst, sizeof(dst)), 0);
	ck_assert_str_eq(dst, "");
	ck_assert_int_eq(imap_unquote("1234567", 7, dst, sizeof(dst)), 7);
	ck_assert_int_eq(imap_unquote("12345678", 8, dst, sizeof(dst)), -1);
	ck_assert_int_eq(imap_unquote("a\\", 2, dst, sizeof(dst)), -1);
	ck_assert_int_eq(imap_unquote("a\\n", 3, dst, sizeof(dst)), -1);
	ck_assert_int_eq(imap_unquote("a\0b", 3, dst, sizeof(dst)), -1);
	ck_assert_int_eq(imap_unquote("a", 1, dst, 0), -1);
}
END_TEST

/* ---------------------------------------------------------------- quote */

static const struct {
	const char *in;
	size_t dstlen;
	long ret;
	const char *out;
} quote_cases[] = {
	{ "bob", 64, 5, "\"bob\"" },
	{ "", 64, 2, "\"\"" },
	{ "good pass", 64, 11, "\"good pass\"" },
	{ "a\"b", 64, 6, "\"a\\\"b\"" },
	{ "a\\b", 64, 6, "\"a\\\\b\"" },
	{ "a\r\nb", 64, 0, NULL },
	{ "a\nb", 64, 0, NULL },
	{ "\xc3\xa9", 64, 0, NULL },
	{ "bob", 6, 5, "\"bob\"" },
	{ "bob", 5, -1, NULL },
	{ "\"", 5, 4, "\"\\\"\"" },
	{ "\"", 4, -1, NULL },
	{ "x", 2, -1, NULL },
};

START_TEST(test_quote)
{
	char dst[64];
	long r = imap_quote(quote_cases[_i].in, dst, quote_cases[_i].dstlen);

	ck_assert_msg(r == quote_cases[_i].ret, "case %d: %ld", _i, r);
	if (quote_cases[_i].out != NULL) {
		ck_assert_str_eq(dst, quote_cases[_i].out);
		ck_assert_uint_eq(strlen(dst), (size_t)r);
	}
}
END_TEST

/* Quoting then tokenizing gives back the original string. */
START_TEST(test_quote_roundtrip)
{
	static const char *const in[] = { "bob", "a\"b\\c", "\\\\\"\"", "x y  z", "{3}" };
	char q[64], line[80], dec[64];
	struct imap_arg arg;
	size_t pos;

	for (size_t i = 0; i < N(in); i++) {
		long n = imap_quote(in[i], q, sizeof(q));

		ck_assert_int_gt(n, 0);
		line[0] = ' ';
		memcpy(line + 1, q, (size_t)n);
		pos = 0;
		ck_assert_int_eq(imap_arg_next(line, (size_t)n + 1, &pos,
					       MAX_LITERAL_SIZE, &arg), IMAP_ARG_OK);
		ck_assert_int_eq(arg.type, IMAP_ARG_QUOTED);
		ck_assert_int_ge(imap_unquote(arg.start, arg.len, dec, sizeof(dec)), 0);
		ck_assert_str_eq(dec, in[i]);
	}
}
END_TEST

/* ---------------------------------------------------------- server tags */

static const struct {
	unsigned n;
	const char *tag;
} stag_cases[] = {
	{ 0, "flim07" },
	{ 1, "flim08" },
	{ 2, "flim09" },
	{ 3, "flim0a" },
	{ 28, "flim0z" },
	{ 29, "flim0A" },
	{ 54, "flim0Z" },
	{ 55, "flim10" },
	{ 62 * 62 - 8, "flimZZ" },
	{ 62 * 62 - 7, "flim100" },
	{ 0xffffffffu, "flim4GFfca" },
};

START_TEST(test_server_tag)
{
	char tag[IMAP_SERVER_TAG_SIZE];

	imap_server_tag(stag_cases[_i].n, tag);
	ck_assert_str_eq(tag, stag_cases[_i].tag);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("imap_token");
	TCase *tc;
	SRunner *sr;
	int failed;

	tc = tcase_create("tag");
	tcase_add_loop_test(tc, test_tag, 0, (int)N(tag_cases));
	tcase_add_test(tc, test_tag_length);
	suite_add_tcase(su, tc);

	tc = tcase_create("literal");
	tcase_add_loop_test(tc, test_literal, 0, (int)N(lit_cases));
	tcase_add_test(tc, test_literal_nul);
	suite_add_tcase(su, tc);

	tc = tcase_create("args");
	tcase_add_loop_test(tc, test_args, 0, (int)N(arg_cases));
	tcase_add_loop_test(tc, test_args_prefixes, 0, (int)N(arg_cases));
	tcase_add_test(tc, test_args_long);
	tcase_add_test(tc, test_args_garbage);
	suite_add_tcase(su, tc);

	tc = tcase_create("quote");
	tcase_add_test(tc, test_unquote);
	tcase_add_loop_test(tc, test_quote, 0, (int)N(quote_cases));
	tcase_add_test(tc, test_quote_roundtrip);
	suite_add_tcase(su, tc);

	tc = tcase_create("server_tag");
	tcase_add_loop_test(tc, test_server_tag, 0, (int)N(stag_cases));
	suite_add_tcase(su, tc);

	sr = srunner_create(su);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
