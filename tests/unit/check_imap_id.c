/*
 * check_imap_id.c: unit tests of the IMAP ID list parser and serialiser
 * (imap_id.c), the XCLIENT line (xclient.c) and session ids
 * (session_id.c): good lists, every limit, garbage, NULs, every prefix,
 * and that nothing a client sends survives serialisation unescaped.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap_id.h"
#include "session_id.h"
#include "xclient.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct imap_id id;
static char out[IMAP_ID_MAX_FORMAT];

/* Parse s (length len, 0: strlen) and format it back; the result, or
 * "ERR". */
static const char *roundtrip(const char *s, size_t len)
{
	if (len == 0)
		len = strlen(s);
	if (imap_id_parse(s, len, &id) < 0)
		return "ERR";
	ck_assert_uint_gt(imap_id_format(&id, out, sizeof(out)), 0);
	return out;
}

static const struct {
	const char *in, *want;
} cases[] = {
	{ "NIL", "NIL" },
	{ "nil", "NIL" },
	{ "()", "NIL" },
	{ "(\"name\" \"Thunderbird\")", "(\"name\" \"Thunderbird\")" },
	{ "(\"name\" \"x\" \"version\" NIL)", "(\"name\" \"x\" \"version\" NIL)" },
	{ "(\"a\" nil)", "(\"a\" NIL)" },
	{ "( \"a\"  \"b\" )", "(\"a\" \"b\")" },
	{ "(\"q\\\"uo\\\\te\" \"v\\\"\")", "(\"q\\\"uo\\\\te\" \"v\\\"\")" },
	{ "(\"k\" {3}\r\nabc)", "(\"k\" \"abc\")" },
	{ "({1+}\r\nk {6}\r\na\r\nb\"c)", "(\"k\" \"ab\\\"c\")" },
	{ "(\"k\" {0}\r\n)", "(\"k\" \"\")" },
	{ "(\"k\" \"\xc3\xa9t\xe9\")", "(\"k\" \"t\")" },
	/* errors */
	{ "", "ERR" },
	{ "NIL ", "ERR" },
	{ "NILX", "ERR" },
	{ "(", "ERR" },
	{ ")", "ERR" },
	{ "(\"a\")", "ERR" },
	{ "(\"a\" \"b\" \"c\")", "ERR" },
	{ "(\"a\"\"b\")", "ERR" },
	{ "(\"a\" \"b\")x", "ERR" },
	{ "(\"a\" \"b\") ", "ERR" },
	{ "(\"a\" \"b\"", "ERR" },
	{ "(NIL \"b\")", "ERR" },
	{ "(atom \"b\")", "ERR" },
	{ "(\"a\" atom)", "ERR" },
	{ "(\"a\" \"b\\x\")", "ERR" },
	{ "(\"a\" \"b)", "ERR" },
	{ "(\"a\" {3}\r\nab)", "ERR" },
	{ "(\"a\" {3}\nabc)", "ERR" },
	{ "(\"a\" {3})", "ERR" },
	{ "(\"a\" {-1}\r\n)", "ERR" },
	{ "(\"a\" {1025}\r\n)", "ERR" },
	{ "(\"a\" {99999999999}\r\n)", "ERR" },
	{ "(\"a\" {3\r\nabc)", "ERR" },
	{ "((\"a\" \"b\"))", "ERR" },
	{ "(\"a\r\" \"b\")", "ERR" },
};

START_TEST(test_cases)
{
	ck_assert_str_eq(roundtrip(cases[_i].in, 0), cases[_i].want);
}
END_TEST

/* Every proper prefix of a good list is refused, and never overread
 * (a copy of exactly that many bytes). */
START_TEST(test_prefixes)
{
	const char *in = cases[_i].in;
	size_t len = strlen(in);

	if (strcmp(cases[_i].want, "ERR") == 0 || strcmp(in, "NIL") == 0 ||
	    strcmp(in, "nil") == 0)
		return;
	for (size_t k = 0; k < len; k++) {
		char *p = malloc(k ? k : 1);

		memcpy(p, in, k);
		ck_assert_int_eq(imap_id_parse(p, k, &id), -1);
		free(p);
	}
}
END_TEST

START_TEST(test_nul)
{
	/* A NUL in a quoted string is refused; in a literal it is dropped
	 * on the way out. */
	ck_assert_str_eq(roundtrip("(\"a\0\" \"b\")", 10), "ERR");
	ck_assert_str_eq(roundtrip("(\"a\" {3}\r\nx\0y)", 14), "(\"a\" \"xy\")");
}
END_TEST

/* A list of n pairs with key and value sizes kl and vl. */
static char *make_list(size_t n, size_t kl, size_t vl, size_t *len_r)
{
	char *b = malloc(n * (kl + vl + 8) + 4), *p = b;

	*p++ = '(';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			*p++ = ' ';
		*p++ = '"';
		memset(p, 'k', kl);
		p += kl;
		*p++ = '"';
		*p++ = ' ';
		*p++ = '"';
		memset(p, 'v', vl);
		p += vl;
		*p++ = '"';
	}
	*p++ = ')';
	*len_r = (size_t)(p - b);
	return b;
}

START_TEST(test_limits)
{
	size_t len;
	char *b;

	b = make_list(IMAP_ID_MAX_PAIRS, IMAP_ID_MAX_KEY, IMAP_ID_MAX_VALUE, &len);
	ck_assert_int_eq(imap_id_parse(b, len, &id), 0);
	ck_assert_uint_eq(id.n, IMAP_ID_MAX_PAIRS);
	/* The same all escaped still fits IMAP_ID_MAX_FORMAT. */
	for (size_t i = 0; i < id.n; i++) {
		memset(id.pair[i].key, '"', id.pair[i].key_len);
		memset(id.pair[i].value, '\\', id.pair[i].value_len);
	}
	ck_assert_uint_gt(imap_id_format(&id, out, sizeof(out)), 0);
	ck_assert_uint_eq(imap_id_format(&id, out, 100), 0);
	free(b);
	b = make_list(IMAP_ID_MAX_PAIRS + 1, 1, 1, &len);
	ck_assert_int_eq(imap_id_parse(b, len, &id), -1);
	free(b);
	b = make_list(1, IMAP_ID_MAX_KEY + 1, 1, &len);
	ck_assert_int_eq(imap_id_parse(b, len, &id), -1);
	free(b);
	b = make_list(1, 1, IMAP_ID_MAX_VALUE + 1, &len);
	ck_assert_int_eq(imap_id_parse(b, len, &id), -1);
	free(b);
}
END_TEST

START_TEST(test_garbage)
{
	static const char alphabet[] = " ()\"\\{}+0123NIL\0\r\nab\x80";
	unsigned seed = 4242;
	char buf[200];

	for (int iter = 0; iter < 20000; iter++) {
		size_t len = (size_t)(iter % 150);

		buf[0] = '(';
		for (size_t i = 1; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		if (imap_id_parse(buf, len, &id) == 0) {
			size_t n = imap_id_format(&id, out, sizeof(out));

			ck_assert_uint_gt(n, 0);
			ck_assert_ptr_null(strpbrk(out, "\r\n"));
			ck_assert_uint_eq(strlen(out), n);
		}
	}
}
END_TEST

START_TEST(test_forging)
{
	const char *in = "(\"X-Originating-IP\" \"6.6.6.6\" \"name\" \"c\" "
			 "\"x-session-id\" \"s\" \"x-connected-port\" \"1\" "
			 "\"x-forward-user\" \"u\" \"x-proxy-ttl\" \"9\" "
			 "\"x-originating-port\" NIL \"x-other\" \"kept\")";

	ck_assert_int_eq(imap_id_parse(in, strlen(in), &id), 0);
	imap_id_drop_forwarding(&id);
	ck_assert_uint_gt(imap_id_format(&id, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "(\"name\" \"c\" \"x-other\" \"kept\")");
	ck_assert_int_eq(imap_id_add(&id, "x-originating-ip", "127.0.0.2"), 0);
	ck_assert_int_eq(imap_id_add(&id, "k", NULL), 0);
	imap_id_format(&id, out, sizeof(out));
	ck_assert_str_eq(out, "(\"name\" \"c\" \"x-other\" \"kept\" "
			 "\"x-originating-ip\" \"127.0.0.2\" \"k\" NIL)");
}
END_TEST

START_TEST(test_add_limits)
{
	char big[IMAP_ID_MAX_VALUE + 2];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	id.n = 0;
	ck_assert_int_eq(imap_id_add(&id, "k", big), -1);
	ck_assert_int_eq(imap_id_add(&id, "0123456789012345678901234567890", "v"), -1);
	for (int i = 0; i < IMAP_ID_MAX_PAIRS; i++)
		ck_assert_int_eq(imap_id_add(&id, "k", "v"), 0);
	ck_assert_int_eq(imap_id_add(&id, "k", "v"), -1);
}
END_TEST

START_TEST(test_literal_at_end)
{
	unsigned long n;
	bool plus;

	ck_assert(imap_id_literal_at_end("(\"a\" {12}", 9, 1024, &n, &plus));
	ck_assert_uint_eq(n, 12);
	ck_assert(!plus);
	ck_assert(imap_id_literal_at_end("({3+}", 5, 1024, &n, &plus));
	ck_assert_uint_eq(n, 3);
	ck_assert(plus);
	ck_assert(imap_id_literal_at_end("(\"a\" {99999}", 12, 1024, &n, &plus));
	ck_assert_uint_eq(n, 1025);
	ck_assert(imap_id_literal_at_end("(\"a\" {x}", 8, 1024, &n, &plus));
	ck_assert_uint_eq(n, 1025);
	ck_assert(!imap_id_literal_at_end("(\"a\" \"b\")", 9, 1024, &n, &plus));
	ck_assert(!imap_id_literal_at_end("(\"a\"{3}", 7, 1024, &n, &plus));
	ck_assert(!imap_id_literal_at_end("}", 1, 1024, &n, &plus));
	ck_assert(!imap_id_literal_at_end("", 0, 1024, &n, &plus));
}
END_TEST

START_TEST(test_xclient)
{
	char line[XCLIENT_LINE_SIZE];

	ck_assert_uint_gt(xclient_format(line, sizeof(line), "127.0.0.2", 4321,
					 "0123456789abcdef"), 0);
	ck_assert_str_eq(line, "XCLIENT ADDR=127.0.0.2 PORT=4321 SESSION=0123456789abcdef");
	ck_assert_uint_gt(xclient_format(line, sizeof(line), "::1", 1, NULL), 0);
	ck_assert_str_eq(line, "XCLIENT ADDR=::1 PORT=1");
	ck_assert_uint_eq(xclient_format(line, sizeof(line), "1.2.3.4 X=y", 1, NULL), 0);
	ck_assert_uint_eq(xclient_format(line, sizeof(line), "1.2.3.4\r\nQUIT", 1, NULL), 0);
	ck_assert_uint_eq(xclient_format(line, sizeof(line), "1.2.3.4", 1, "a b"), 0);
	ck_assert_uint_eq(xclient_format(line, sizeof(line), "", 1, NULL), 0);
	ck_assert_uint_eq(xclient_format(line, 10, "1.2.3.4", 1, NULL), 0);
}
END_TEST

START_TEST(test_session_id)
{
	char a[SESSION_ID_SIZE], b[SESSION_ID_SIZE];

	session_id_new(a);
	session_id_new(b);
	ck_assert_uint_eq(strlen(a), SESSION_ID_SIZE - 1);
	ck_assert_uint_eq(strspn(a, "0123456789abcdef"), SESSION_ID_SIZE - 1);
	ck_assert_str_ne(a, b);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("imap_id");
	TCase *tc;
	SRunner *sr;
	int failed;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_cases, 0, (int)N(cases));
	tcase_add_loop_test(tc, test_prefixes, 0, (int)N(cases));
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_literal_at_end);
	suite_add_tcase(su, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, test_forging);
	tcase_add_test(tc, test_add_limits);
	suite_add_tcase(su, tc);

	tc = tcase_create("xclient");
	tcase_add_test(tc, test_xclient);
	tcase_add_test(tc, test_session_id);
	suite_add_tcase(su, tc);

	sr = srunner_create(su);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
