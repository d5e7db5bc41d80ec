/*
 * check_user_server_port.c: unit tests for the user_server_port_*
 * helpers the daemon exports to Debian's 2.2 LDAP map library
 * (user_server_port.c), used as that library uses them.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "user_server_port.h"

struct usp_case {
	const char *str;
	const char *delim;
	int rc;
	const char *user, *server, *port; /* NULL: absent */
};

static const struct usp_case cases[] = {
	{ "bob@mail1.example.com:110", "@", 0, "bob", "mail1.example.com", "110" },
	{ "mail1", "@", 0, NULL, "mail1", NULL },
	{ "mail1:1110", "@", 0, NULL, "mail1", "1110" },
	{ "carol@127.0.0.1", "@", 0, "carol", "127.0.0.1", NULL },
	/* The LAST delimiter splits, as for every map result. */
	{ "a@b@host:143", "@", 0, "a@b", "host", "143" },
	{ "[::1]:110", "@", 0, NULL, "::1", "110" },
	{ "u@[2001:db8::1]", "@", 0, "u", "2001:db8::1", NULL },
	/* The daemon's --domain_delimiter, several characters long. */
	{ "bob%%host:110", "%%", 0, "bob", "host", "110" },
	{ "bob@host", "%%", 0, NULL, "bob@host", NULL },
	/* Malformed: no host, empty user, bad port, bare IPv6. */
	{ "", "@", -1, NULL, NULL, NULL },
	{ "@host", "@", -1, NULL, NULL, NULL },
	{ "bob@", "@", -1, NULL, NULL, NULL },
	{ "host:", "@", -1, NULL, NULL, NULL },
	{ "host:1 0", "@", -1, NULL, NULL, NULL },
	{ "host:pop3", "@", 0, NULL, "host", "pop3" },
	{ "::1", "@", -1, NULL, NULL, NULL },
	{ "[::1", "@", -1, NULL, NULL, NULL },
	{ "a b", "@", -1, NULL, NULL, NULL },
};

static void assert_field(const char *got, const char *want)
{
	if (want == NULL)
		ck_assert_ptr_null(got);
	else
		ck_assert_str_eq(got, want);
}

START_TEST(test_assign)
{
	const struct usp_case *c = &cases[_i];
	struct user_server_port *usp = NULL;
	char *u, *s, *p;

	user_server_port_set_delimiter(c->delim);
	ck_assert_int_eq(user_server_port_str_assign(&usp, c->str), c->rc);
	if (c->rc != 0) {
		ck_assert_ptr_null(usp);
		return;
	}
	u = user_server_port_get_user(usp);
	s = user_server_port_get_server(usp);
	p = user_server_port_get_port(usp);
	assert_field(u, c->user);
	assert_field(s, c->server);
	assert_field(p, c->port);
	/* The 2.2 library takes the strings, then frees the holder. */
	user_server_port_unassign(usp);
	ck_assert_ptr_null(user_server_port_get_user(usp));
	ck_assert_ptr_null(user_server_port_get_server(usp));
	ck_assert_ptr_null(user_server_port_get_port(usp));
	user_server_port_destroy(usp);
	free(u);
	free(s);
	free(p);
}
END_TEST

START_TEST(test_reassign)
{
	struct user_server_port *usp = NULL;

	user_server_port_set_delimiter("@");
	ck_assert_int_eq(user_server_port_str_assign(&usp, "a@h1:1"), 0);
	/* A second assignment replaces (and frees) the first's fields. */
	ck_assert_int_eq(user_server_port_str_assign(&usp, "h2"), 0);
	ck_assert_ptr_null(user_server_port_get_user(usp));
	ck_assert_str_eq(user_server_port_get_server(usp), "h2");
	ck_assert_ptr_null(user_server_port_get_port(usp));
	/* A bad string leaves an existing holder as it was. */
	ck_assert_int_eq(user_server_port_str_assign(&usp, "h3:"), -1);
	ck_assert_ptr_nonnull(usp);
	ck_assert_str_eq(user_server_port_get_server(usp), "h2");
	/* destroy frees what is still held. */
	user_server_port_destroy(usp);
}
END_TEST

START_TEST(test_null)
{
	struct user_server_port *usp = NULL;

	user_server_port_set_delimiter("@");
	ck_assert_int_eq(user_server_port_str_assign(&usp, NULL), -1);
	ck_assert_ptr_null(usp);
	ck_assert_int_eq(user_server_port_str_assign(NULL, "host"), -1);
	ck_assert_ptr_null(user_server_port_get_user(NULL));
	ck_assert_ptr_null(user_server_port_get_server(NULL));
	ck_assert_ptr_null(user_server_port_get_port(NULL));
	user_server_port_unassign(NULL);
	user_server_port_destroy(NULL);
}
END_TEST

START_TEST(test_garbage)
{
	char buf[64];
	unsigned seed = 12345;

	user_server_port_set_delimiter("@");
	/* Random short strings from a small alphabet: never a crash, and
	 * whatever is accepted has a host. */
	for (int n = 0; n < 20000; n++) {
		static const char alpha[] = "ab@:[]1 \x01\xff";
		struct user_server_port *usp = NULL;
		size_t len = (seed = seed * 1103515245u + 12345u) % 12;

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		buf[len] = '\0';
		if (user_server_port_str_assign(&usp, buf) == 0) {
			ck_assert_ptr_nonnull(user_server_port_get_server(usp));
			ck_assert_uint_gt(strlen(user_server_port_get_server(usp)), 0);
		} else {
			ck_assert_ptr_null(usp);
		}
		user_server_port_destroy(usp);
	}
}
END_TEST

static Suite *usp_suite(void)
{
	Suite *s = suite_create("user_server_port");
	TCase *tc = tcase_create("str_assign");

	tcase_add_loop_test(tc, test_assign, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_reassign);
	tcase_add_test(tc, test_null);
	tcase_add_test(tc, test_garbage);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(usp_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
