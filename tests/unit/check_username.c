/*
 * check_username.c: unit tests for the user-name rules (username.c).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "username.h"

/* One bit per state (username.c needs no more: the values of options.h's
 * STATE_* are the option table's business). */
#define SL 0x1u
#define LA 0x2u
#define RL 0x4u
#define ALL (SL | LA | RL)

struct mangle_case {
	const char *user;
	const char *delim;
	unsigned strip, add, lower; /* option masks */
	unsigned state;
	const char *domain;
	bool skip_strip;
	const char *want;
};

static const struct mangle_case mangle_cases[] = {
	/* Nothing set: the name is copied unchanged. */
	{ "Bob@Example.com", "@", 0, 0, 0, SL, "x.org", false, "Bob@Example.com" },
	/* strip_domain cuts at the LAST delimiter, only in its states. */
	{ "bob@example.com", "@", SL, 0, 0, SL, NULL, false, "bob" },
	{ "a@b@c", "@", SL, 0, 0, SL, NULL, false, "a@b" },
	{ "bob@example.com", "@", SL, 0, 0, RL, NULL, false, "bob@example.com" },
	{ "bob@example.com", "@", ALL, 0, 0, LA, NULL, false, "bob" },
	{ "bob", "@", ALL, 0, 0, SL, NULL, false, "bob" },
	{ "@dom", "@", SL, 0, 0, SL, NULL, false, "" },
	{ "bob@", "@", SL, 0, 0, SL, NULL, false, "bob" },
	/* skip_strip (-c in servername_lookup) leaves the name alone. */
	{ "bob@host:110", "@", SL, 0, 0, SL, NULL, true, "bob@host:110" },
	/* add_domain only without a delimiter and with a domain. */
	{ "bob", "@", 0, ALL, 0, SL, "example.com", false, "bob@example.com" },
	{ "bob@x.org", "@", 0, ALL, 0, SL, "example.com", false, "bob@x.org" },
	{ "bob", "@", 0, ALL, 0, SL, NULL, false, "bob" },
	{ "bob", "@", 0, RL, 0, SL, "example.com", false, "bob" },
	{ "bob", "@", 0, RL, 0, RL, "example.com", false, "bob@example.com" },
	/* strip then add: the domain is replaced. */
	{ "bob@x.org", "@", LA, LA, 0, LA, "example.com", false, "bob@example.com" },
	/* skip_strip still lets add_domain see the delimiter. */
	{ "bob@x.org", "@", SL, SL, 0, SL, "example.com", true, "bob@x.org" },
	/* lower_case, ASCII only, after add_domain. */
	{ "BoB", "@", 0, 0, RL, RL, NULL, false, "bob" },
	{ "BoB", "@", 0, 0, RL, SL, NULL, false, "BoB" },
	{ "BoB", "@", 0, RL, RL, RL, "EXAMPLE.com", false, "bob@example.com" },
	{ "\xc3\x89T\xc3\x89", "@", 0, 0, ALL, SL, NULL, false, "\xc3\x89t\xc3\x89" },
	/* Multi-character delimiters. */
	{ "bob%%x.org", "%%", SL, 0, 0, SL, NULL, false, "bob" },
	{ "a%%%b", "%%", SL, 0, 0, SL, NULL, false, "a%" },
	{ "bob%x.org", "%%", SL, 0, 0, SL, NULL, false, "bob%x.org" },
	{ "bob", "%%", 0, SL, 0, SL, "x.org", false, "bob%%x.org" },
	{ "bob%%y", "%%", 0, SL, 0, SL, "x.org", false, "bob%%y" },
	/* An empty delimiter: nothing to strip at, nothing added. */
	{ "bob@x", "", SL, SL, 0, SL, "x.org", false, "bob@x" },
	/* Control bytes pass through untouched (logging escapes them). */
	{ "b\r\nob@x", "@", SL, 0, ALL, SL, NULL, false, "b\r\nob" },
	{ "", "@", ALL, ALL, ALL, SL, "d", false, "@d" },
};

START_TEST(test_mangle)
{
	const struct mangle_case *c = &mangle_cases[_i];
	const struct username_rules rules = { c->delim, c->strip, c->add, c->lower };
	char *r;

	r = username_mangle(&rules, c->user, c->state, c->domain, c->skip_strip);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r, c->want);
	free(r);
}
END_TEST

START_TEST(test_mangle_huge)
{
	size_t n = 10000;
	char *u = malloc(n + 1), *r;
	struct username_rules rules = { .domain_delimiter = "@" };

	memset(u, 'A', n);
	u[n] = '\0';
	u[5000] = '@';
	rules.strip_domain = ALL;
	rules.lower_case = ALL;
	r = username_mangle(&rules, u, SL, "example.com", false);
	ck_assert_uint_eq(strlen(r), 5000);
	ck_assert_int_eq(r[0], 'a');
	ck_assert_int_eq(r[4999], 'a');
	free(r);

	/* No delimiter: add_domain makes it longer still, no truncation. */
	memset(u, '\x01', n);
	rules.strip_domain = 0;
	rules.add_domain = ALL;
	r = username_mangle(&rules, u, SL, "example.com", false);
	ck_assert_uint_eq(strlen(r), n + strlen("@example.com"));
	ck_assert_str_eq(r + n, "@example.com");
	free(r);
	free(u);
}
END_TEST

struct strip_case {
	const char *host;
	unsigned depth;
	const char *want; /* NULL: labels ran out */
};

static const struct strip_case strip_cases[] = {
	{ "a.b.example.com", 0, "a.b.example.com" },
	{ "a.b.example.com", 1, "b.example.com" },
	{ "a.b.example.com", 2, "example.com" },
	{ "a.b.example.com", 3, "com" },
	{ "a.b.example.com", 4, NULL },
	{ "a.b.example.com", 4000000000u, NULL },
	{ "localhost", 1, NULL },
	{ "localhost", 0, "localhost" },
	{ "127.0.0.1", 1, "0.0.1" }, /* numeric names are stripped too */
	{ "", 0, NULL },
	{ "host.", 1, NULL },
	{ "a..b", 1, NULL },
};

START_TEST(test_strip_labels)
{
	const struct strip_case *c = &strip_cases[_i];
	char *r = username_strip_labels(c->host, c->depth);

	if (c->want == NULL) {
		ck_assert_ptr_null(r);
	} else {
		ck_assert_ptr_nonnull(r);
		ck_assert_str_eq(r, c->want);
	}
	free(r);
}
END_TEST

START_TEST(test_strip_labels_null)
{
	ck_assert_ptr_null(username_strip_labels(NULL, 1));
}
END_TEST

START_TEST(test_last_delim)
{
	const char *s = "a@b@c";

	ck_assert_ptr_eq(username_last_delim(s, "@"), s + 3);
	ck_assert_ptr_eq(username_last_delim("abc", "@"), NULL);
	ck_assert_ptr_eq(username_last_delim(s, ""), NULL);
	ck_assert_ptr_eq(username_last_delim(s, NULL), NULL);
	ck_assert_ptr_eq(username_last_delim(NULL, "@"), NULL);
	s = "x::y::z";
	ck_assert_ptr_eq(username_last_delim(s, "::"), s + 4);
	s = "a%%%b";
	ck_assert_ptr_eq(username_last_delim(s, "%%"), s + 2);
	s = "@";
	ck_assert_ptr_eq(username_last_delim(s, "@"), s);
	ck_assert_ptr_eq(username_last_delim("ab", "abc"), NULL);
}
END_TEST

START_TEST(test_last_delim_garbage)
{
	size_t n = 10000;
	char *s = malloc(n + 1);

	for (size_t i = 0; i < n; i++)
		s[i] = (char)(1 + i % 255);
	s[n] = '\0';
	/* '@' occurs every 255 bytes; the last one is found. */
	{
		const char *d = username_last_delim(s, "@");
		size_t last = 0;

		for (size_t i = 0; i < n; i++)
			if (s[i] == '@')
				last = i;
		ck_assert_ptr_eq(d, s + last);
	}
	free(s);
}
END_TEST

static Suite *username_suite(void)
{
	Suite *s = suite_create("username");
	TCase *tc;

	tc = tcase_create("mangle");
	tcase_add_loop_test(tc, test_mangle, 0,
			    (int)(sizeof(mangle_cases) / sizeof(mangle_cases[0])));
	tcase_add_test(tc, test_mangle_huge);
	suite_add_tcase(s, tc);

	tc = tcase_create("strip_labels");
	tcase_add_loop_test(tc, test_strip_labels, 0,
			    (int)(sizeof(strip_cases) / sizeof(strip_cases[0])));
	tcase_add_test(tc, test_strip_labels_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("last_delim");
	tcase_add_test(tc, test_last_delim);
	tcase_add_test(tc, test_last_delim_garbage);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(username_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
