/*
 * check_mask.c: unit tests for the masking of database passwords in
 * map_library_opt (mask.c).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"

#define M MASK_TEXT
#define LIBDIR "/usr/lib/x86_64-linux-gnu/"

struct mask_case {
	const char *library;
	const char *opt;
	const char *want;
};

static const struct mask_case mask_cases[] = {
	/* SQL libraries: the sixth ':' field, the rest byte for byte. */
	{ LIBDIR "libperditiondb_mysql.so.0", "h:3306:db:t:u:SECRET:s:u:p",
	  "h:3306:db:t:u:" M ":s:u:p" },
	{ LIBDIR "libperditiondb_mysql.so.0.0.0", "h:3306:db:t:u:pw",
	  "h:3306:db:t:u:" M },
	{ "libperditiondb_postgresql.so.0", "a,b::db:t:u:x:srv",
	  "a,b::db:t:u:" M ":srv" },
	{ "/opt/libpgsql_map.so", "h:1:d:t:u:p", "h:1:d:t:u:" M },
	{ LIBDIR "libperditiondb_odbc.so.0", "::dsn:t:u:a very long secret",
	  "::dsn:t:u:" M },
	{ "/x/libmariadb_popmap.so", "h:1:d:t:u:p:", "h:1:d:t:u:" M ":" },
	/* The seed 002 deployment's nine fields. */
	{ "/usr/lib/libperditiondb_mysql.so.0.0.0",
	  "dbhost-vpn:3306:nest:mailboxes:nest_mail:xxxxxx:storage_ip:address:143",
	  "dbhost-vpn:3306:nest:mailboxes:nest_mail:" M
	  ":storage_ip:address:143" },
	/* Fewer than six fields, or an empty password: nothing to hide. */
	{ LIBDIR "libperditiondb_mysql.so.0", "h:3306:db:t:u", "h:3306:db:t:u" },
	{ LIBDIR "libperditiondb_mysql.so.0", "h:3306:db:t:u::s",
	  "h:3306:db:t:u::s" },
	{ LIBDIR "libperditiondb_mysql.so.0", "", "" },
	{ LIBDIR "libperditiondb_mysql.so.0", "localhost", "localhost" },
	/* Only the file name picks the grammar, not the directory. */
	{ "/srv/mysql/libperditiondb_gdbm.so.0", "/srv/mysql/a:b:c:d:e:f",
	  "/srv/mysql/a:b:c:d:e:f" },
	{ NULL, "a:b:c:d:e:f", "a:b:c:d:e:f" },
	{ "", "a:b:c:d:e:f", "a:b:c:d:e:f" },
	/* A file map's path stays as it is. */
	{ LIBDIR "libperditiondb_gdbm.so.0", "/etc/perdition/popmap.gdbm.db",
	  "/etc/perdition/popmap.gdbm.db" },
	/* LDAP: the x-bindpw extension, up to the next extension. */
	{ LIBDIR "libperditiondb_ldap.so.0",
	  "ldap://h/ou=m,dc=x?username,mailhost,port?one?(uid=%s)?"
	  "bindname=cn=admin%2Cdc=x,x-bindpw=SECRET",
	  "ldap://h/ou=m,dc=x?username,mailhost,port?one?(uid=%s)?"
	  "bindname=cn=admin%2Cdc=x,x-bindpw=" M },
	{ LIBDIR "libperditiondb_ldap.so.0",
	  "3:ldaps://h:636/dc=x??sub?(uid=%s)?!X-BindPW=a%2Cb,bindname=cn=m",
	  "3:ldaps://h:636/dc=x??sub?(uid=%s)?!X-BindPW=" M ",bindname=cn=m" },
	{ LIBDIR "libperditiondb_ldap.so.0", "ldap://h/dc=x????x-bindpw=",
	  "ldap://h/dc=x????x-bindpw=" },
	{ LIBDIR "libperditiondb_ldap.so.0",
	  "x-bindpw=one,x-bindpw=two,x-bindpw=three",
	  "x-bindpw=" M ",x-bindpw=" M ",x-bindpw=" M },
	{ LIBDIR "libperditiondb_ldap.so.0", "ldap://localhost/dc=x",
	  "ldap://localhost/dc=x" },
	/* x-bindpw anywhere, whatever the library. */
	{ "/usr/local/lib/libmymap.so", "url?x-bindpw=pw", "url?x-bindpw=" M },
	{ LIBDIR "libperditiondb_mysql.so.0", "h:1:d:t:u:pw:x-bindpw=z",
	  "h:1:d:t:u:" M ":x-bindpw=" M },
	/* Bytes a log would escape are kept for the log to escape. */
	{ LIBDIR "libperditiondb_mysql.so.0", "h\n:1:d:t:u:p\"w:\x01",
	  "h\n:1:d:t:u:" M ":\x01" },
};

START_TEST(test_mask)
{
	const struct mask_case *c = &mask_cases[_i];
	char *got = mask_map_opt(c->library, c->opt);

	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, c->want);
	free(got);
}
END_TEST

START_TEST(test_mask_null)
{
	ck_assert_ptr_null(mask_map_opt(LIBDIR "libperditiondb_mysql.so.0", NULL));
	ck_assert_ptr_null(mask_map_opt(NULL, NULL));
}
END_TEST

/* The same input always gives the same output (the greeting's token is
 * computed from the masked option log), and the password is nowhere in
 * it, however long or short. */
START_TEST(test_mask_stable)
{
	static const char *const pws[] = { "p", "12345678", "********",
					   "a-much-longer-password-than-eight" };

	for (size_t i = 0; i < sizeof(pws) / sizeof(pws[0]); i++) {
		char opt[128];
		char *a, *b;

		snprintf(opt, sizeof(opt), "h:3306:db:t:u:%s:s:u:p", pws[i]);
		a = mask_map_opt("libperditiondb_mysql.so.0", opt);
		b = mask_map_opt("libperditiondb_mysql.so.0", opt);
		ck_assert_str_eq(a, b);
		ck_assert_str_eq(a, "h:3306:db:t:u:" M ":s:u:p");
		free(a);
		free(b);
	}
}
END_TEST

/* Many short masks in a row: the output may be far longer than the
 * input; it must fit (ASan watches). */
START_TEST(test_mask_growth)
{
	char opt[4096], want[16384];
	size_t n = 0, w = 0;
	char *got;

	while (n + 12 < sizeof(opt)) {
		memcpy(opt + n, "x-bindpw=a,", 11);
		memcpy(want + w, "x-bindpw=" M ",", 18);
		n += 11;
		w += 18;
	}
	opt[n] = want[w] = '\0';
	got = mask_map_opt("libperditiondb_ldap.so.0", opt);
	ck_assert_str_eq(got, want);
	free(got);
}
END_TEST

static Suite *mask_suite(void)
{
	Suite *s = suite_create("mask");
	TCase *tc = tcase_create("map_opt");

	tcase_add_loop_test(tc, test_mask, 0,
			    (int)(sizeof(mask_cases) / sizeof(mask_cases[0])));
	tcase_add_test(tc, test_mask_null);
	tcase_add_test(tc, test_mask_stable);
	tcase_add_test(tc, test_mask_growth);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mask_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
