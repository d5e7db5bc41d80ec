/*
 * check_ldap_escape.c: unit tests for the LDAP map library's pure text
 * functions (perditiondb/ldap/ldapmap_escape.c): RFC 4515 filter and
 * RFC 4514 DN escaping of the key, the %s / %Ns slots of the URL, and
 * the "[user@]host[:port]" split of a single attribute.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ldapmap_escape.h"

struct esc_case {
	const char *in;
	size_t len;
	const char *filter; /* RFC 4515 */
	const char *dn;     /* RFC 4514 */
};

#define S(s) s, sizeof(s) - 1

static const struct esc_case esc_cases[] = {
	{ S("alice"), "alice", "alice" },
	{ S(""), "", "" },
	/* The names of the issue: none may change the filter. */
	{ S("ali*"), "ali\\2A", "ali*" },
	{ S("*)(uid=*"), "\\2A\\29\\28uid=\\2A", "*)(uid\\3D*" },
	{ S("a\\"), "a\\5C", "a\\5C" },
	{ S("x'OR'1'='1"), "x'OR'1'='1", "x'OR'1'\\3D'1" },
	{ S("o'neil"), "o'neil", "o'neil" },
	{ S("a\0b"), "a\\00b", "a\\00b" },
	{ S("j\xc3\xbcrgen"), "j\\C3\\BCrgen", "j\\C3\\BCrgen" },
	{ S("\xe9t\xe9"), "\\E9t\\E9", "\\E9t\\E9" },
	{ S("\x01\x1f\x7f"), "\\01\\1F\\7F", "\\01\\1F\\7F" },
	{ S("a\r\nb"), "a\\0D\\0Ab", "a\\0D\\0Ab" },
	/* DN specials, and spaces and '#' where they matter. */
	{ S("a,b+c;d"), "a,b+c;d", "a\\2Cb\\2Bc\\3Bd" },
	{ S("<\">"), "<\">", "\\3C\\22\\3E" },
	{ S(" a b "), " a b ", "\\20a b\\20" },
	{ S(" "), " ", "\\20" },
	{ S("#a#"), "#a#", "\\23a#" },
	{ S("uid=x,dc=y"), "uid=x,dc=y", "uid\\3Dx\\2Cdc\\3Dy" },
};

START_TEST(test_escape)
{
	const struct esc_case *c = &esc_cases[_i];
	char buf[128];
	size_t n;

	n = ldapmap_escape_filter(buf, sizeof(buf), c->in, c->len);
	ck_assert_str_eq(buf, c->filter);
	ck_assert_uint_eq(n, strlen(c->filter));
	ck_assert_uint_eq(ldapmap_escape_filter(NULL, 0, c->in, c->len), n);
	n = ldapmap_escape_dn(buf, sizeof(buf), c->in, c->len);
	ck_assert_str_eq(buf, c->dn);
	ck_assert_uint_eq(n, strlen(c->dn));
	ck_assert_uint_eq(ldapmap_escape_dn(NULL, 0, c->in, c->len), n);
}
END_TEST

START_TEST(test_escape_truncated)
{
	char buf[6];

	memset(buf, 'x', sizeof(buf));
	/* As snprintf: the full length back, the buffer cut and ended. */
	ck_assert_uint_eq(ldapmap_escape_filter(buf, sizeof(buf), "****", 4), 12);
	ck_assert_str_eq(buf, "\\2A\\2");
	ck_assert_uint_eq(ldapmap_escape_dn(buf, 1, ",", 1), 3);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(ldapmap_escape_dn(buf, sizeof(buf), "abcdefgh", 8), 8);
	ck_assert_str_eq(buf, "abcde");
}
END_TEST

/* Undo \XX escapes; returns the length. */
static size_t unescape(const char *s, char *out)
{
	size_t n = 0;

	while (*s != '\0') {
		if (*s == '\\') {
			char h[3] = { s[1], s[2], '\0' };

			ck_assert(isxdigit((unsigned char)h[0]) &&
				  isxdigit((unsigned char)h[1]));
			out[n++] = (char)strtol(h, NULL, 16);
			s += 3;
		} else {
			out[n++] = *s++;
		}
	}
	return n;
}

START_TEST(test_escape_roundtrip)
{
	unsigned seed = 4242;
	char key[40], esc[200], back[200];

	/* Any bytes: the escaped form decodes to the key again, and has no
	 * byte the filter or DN syntax gives a meaning to. */
	for (int round = 0; round < 5000; round++) {
		size_t len = (seed = seed * 1103515245u + 12345u) % sizeof(key);

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			key[i] = (char)(seed >> 16);
		}
		ldapmap_escape_filter(esc, sizeof(esc), key, len);
		ck_assert_ptr_null(strpbrk(esc, "*()"));
		ck_assert_uint_eq(unescape(esc, back), len);
		ck_assert_mem_eq(back, key, len);
		ldapmap_escape_dn(esc, sizeof(esc), key, len);
		ck_assert_ptr_null(strpbrk(esc, ",+;<>=\""));
		ck_assert_uint_eq(unescape(esc, back), len);
		ck_assert_mem_eq(back, key, len);
	}
}
END_TEST

struct tmpl_case {
	const char *url;
	int n;
	const char *out;
	unsigned w0, w1;
};

static const struct tmpl_case tmpl_cases[] = {
	{ "ldap://localhost/ou=mailbox,dc=nodomain?"
	  "username,mailhost,port?one?(uid=%s)", 1,
	  "ldap://localhost/ou=mailbox,dc=nodomain?"
	  "username,mailhost,port?one?(uid=%01)", 0, 0 },
	{ "ldap://h/uid=%s,o=x??base?(mail=%10s)", 2,
	  "ldap://h/uid=%01,o=x??base?(mail=%01)", 0, 10 },
	{ "ldap://h/o=x??one?(uid=%1024s)", 1, "ldap://h/o=x??one?(uid=%01)",
	  1024, 0 },
	/* Not slots: hex escapes and a lone or unfinished '%'. */
	{ "ldap://h/o=a%2cb??one?(cn=%)%", 0, "ldap://h/o=a%2cb??one?(cn=%)%", 0, 0 },
	{ "ldap://h/??one?(uid=%5d)", 0, "ldap://h/??one?(uid=%5d)", 0, 0 },
	{ "%s%s", 2, "%01%01", 0, 0 },
	{ "%01s", 1, "%01", 1, 0 },
	/* Refused: a "%01" that would look like a slot, too wide, too many. */
	{ "ldap://h/o=%01??one?(uid=%s)", -1, NULL, 0, 0 },
	{ "ldap://h/??one?(uid=%1025s)", -1, NULL, 0, 0 },
	{ "ldap://h/??one?(uid=%99999999999999999999s)", -1, NULL, 0, 0 },
	{ "%s%s%s%s%s%s%s%s", 8, "%01%01%01%01%01%01%01%01", 0, 0 },
	{ "%s%s%s%s%s%s%s%s%s", -1, NULL, 0, 0 },
};

START_TEST(test_tmpl)
{
	const struct tmpl_case *c = &tmpl_cases[_i];
	unsigned width[LDAPMAP_MAX_SLOTS];
	char *out = (char *)1;
	int n = ldapmap_tmpl_prepare(c->url, &out, width);

	ck_assert_int_eq(n, c->n);
	if (n < 0) {
		ck_assert_ptr_null(out);
		return;
	}
	ck_assert_str_eq(out, c->out);
	if (n > 0)
		ck_assert_uint_eq(width[0], c->w0);
	if (n > 1)
		ck_assert_uint_eq(width[1], c->w1);
	free(out);
}
END_TEST

START_TEST(test_expand)
{
	unsigned width[3] = { 0, 8, 5 };
	size_t next = 0;
	char *s;

	ck_assert_uint_eq(ldapmap_slots("uid=\001,o=\001"), 2);
	ck_assert_uint_eq(ldapmap_slots(NULL), 0);
	/* The DN takes the first slot, the filter the next ones. */
	s = ldapmap_expand("uid=\001,ou=mailbox", width, 3, &next, "a,b", 3,
			   LDAPMAP_DN);
	ck_assert_str_eq(s, "uid=a\\2Cb,ou=mailbox");
	ck_assert_uint_eq(next, 1);
	free(s);
	s = ldapmap_expand("(|(uid=\001)(cn=\001))", width, 3, &next, "ali*", 4,
			   LDAPMAP_FILTER);
	ck_assert_str_eq(s, "(|(uid=    ali\\2A)(cn= ali\\2A))");
	ck_assert_uint_eq(next, 3);
	free(s);
	/* No widths left for a slot: refused. */
	ck_assert_ptr_null(ldapmap_expand("\001", width, 3, &next, "a", 1,
					  LDAPMAP_FILTER));
	ck_assert_uint_eq(next, 3);
	/* Padding in a DN: the leading space is escaped, the rest not. */
	next = 2;
	s = ldapmap_expand("uid=\001", width, 3, &next, "bob", 3, LDAPMAP_DN);
	ck_assert_str_eq(s, "uid=\\20 bob");
	free(s);
	/* No slot: the pattern as it is. */
	next = 0;
	s = ldapmap_expand("(objectClass=*)", width, 0, &next, "x", 1,
			   LDAPMAP_FILTER);
	ck_assert_str_eq(s, "(objectClass=*)");
	free(s);
}
END_TEST

START_TEST(test_expand_limits)
{
	unsigned width[LDAPMAP_MAX_SLOTS];
	char *key = malloc(LDAPMAP_MAX_KEY + 1), *s;
	size_t next = 0;

	memset(key, '*', LDAPMAP_MAX_KEY + 1);
	for (int i = 0; i < LDAPMAP_MAX_SLOTS; i++)
		width[i] = LDAPMAP_MAX_WIDTH;
	/* The longest key, every byte escaped, in all eight slots. */
	s = ldapmap_expand("\001\001\001\001\001\001\001\001", width,
			   LDAPMAP_MAX_SLOTS, &next, key, LDAPMAP_MAX_KEY,
			   LDAPMAP_FILTER);
	ck_assert_ptr_null(s); /* 8 * 3 * 4096 > LDAPMAP_MAX_EXPANDED */
	next = 0;
	s = ldapmap_expand("(uid=\001)", width, 1, &next, key, LDAPMAP_MAX_KEY,
			   LDAPMAP_FILTER);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(strlen(s), 6 + 3 * LDAPMAP_MAX_KEY);
	free(s);
	next = 0;
	ck_assert_ptr_null(ldapmap_expand("(uid=\001)", width, 1, &next, key,
					  LDAPMAP_MAX_KEY + 1, LDAPMAP_FILTER));
	free(key);
}
END_TEST

struct split_case {
	const char *value;
	int rc;
	const char *user, *host, *port;
};

static const struct split_case split_cases[] = {
	{ "mail1.example.com", 0, NULL, "mail1.example.com", NULL },
	{ "bob@mail1:110", 0, "bob", "mail1", "110" },
	{ "a@b@[::1]:pop3", 0, "a@b", "::1", "pop3" },
	{ "h:143", 0, NULL, "h", "143" },
	{ "", -1, NULL, NULL, NULL },
	{ "@h", -1, NULL, NULL, NULL },
	{ "u@", -1, NULL, NULL, NULL },
	{ "h:", -1, NULL, NULL, NULL },
	{ "::1", -1, NULL, NULL, NULL },
	{ "[::1", -1, NULL, NULL, NULL },
	{ "[]:1", -1, NULL, NULL, NULL },
	{ "h x", -1, NULL, NULL, NULL },
	{ "u\n@h", -1, NULL, NULL, NULL },
	{ "h:1:2", -1, NULL, NULL, NULL },
};

static void field_eq(const char *got, const char *want)
{
	if (want == NULL)
		ck_assert_ptr_null(got);
	else
		ck_assert_str_eq(got, want);
}

START_TEST(test_split)
{
	const struct split_case *c = &split_cases[_i];
	char *u, *h, *p;

	ck_assert_int_eq(ldapmap_split_value(c->value, "@", &u, &h, &p), c->rc);
	field_eq(u, c->user);
	field_eq(h, c->host);
	field_eq(p, c->port);
	free(u);
	free(h);
	free(p);
}
END_TEST

static Suite *ldap_escape_suite(void)
{
	Suite *s = suite_create("ldap_escape");
	TCase *tc = tcase_create("escape");

	tcase_add_loop_test(tc, test_escape, 0,
			    (int)(sizeof(esc_cases) / sizeof(esc_cases[0])));
	tcase_add_test(tc, test_escape_truncated);
	tcase_add_test(tc, test_escape_roundtrip);
	suite_add_tcase(s, tc);

	tc = tcase_create("slots");
	tcase_add_loop_test(tc, test_tmpl, 0,
			    (int)(sizeof(tmpl_cases) / sizeof(tmpl_cases[0])));
	tcase_add_test(tc, test_expand);
	tcase_add_test(tc, test_expand_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("split");
	tcase_add_loop_test(tc, test_split, 0,
			    (int)(sizeof(split_cases) / sizeof(split_cases[0])));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ldap_escape_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
