/*
 * check_sqlmap.c: unit tests for the option string, identifier checks and
 * results shared by the SQL map libraries (perditiondb/sql/sqlmap.c).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sqlmap.h"

static const struct sqlmap_defaults defaults = { {
	"localhost", "0", "dbPerdition", "tblPerdition", "perdition",
	"perdition", "servername", "user", "port",
} };

START_TEST(test_defaults)
{
	struct sqlmap_opt o;

	/* NULL and "" both mean every default (2.2's mysql never looked
	 * anything up without a string: D-20). */
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(sqlmap_opt_parse("mysql", i ? "" : NULL,
						  &defaults, &o), 0);
		for (int f = 0; f < SQLMAP_NFIELDS; f++)
			ck_assert_str_eq(o.field[f], defaults.field[f]);
		ck_assert_int_eq(o.nhosts, 1);
		ck_assert_str_eq(o.hosts[0], "localhost");
		ck_assert_uint_eq(o.port, 0);
		sqlmap_opt_free(&o);
	}
}
END_TEST

START_TEST(test_seed_002)
{
	/* The deployment in shared/seeds/002: a number as the port column. */
	struct sqlmap_opt o;

	ck_assert_int_eq(sqlmap_opt_parse("mysql",
		"dbhost-vpn:3306:nest:mailboxes:nest_mail:xxxxxx:storage_ip:"
		"address:143", &defaults, &o), 0);
	ck_assert_str_eq(o.hosts[0], "dbhost-vpn");
	ck_assert_uint_eq(o.port, 3306);
	ck_assert_str_eq(o.field[SQLMAP_DBNAME], "nest");
	ck_assert_str_eq(o.field[SQLMAP_TABLE], "mailboxes");
	ck_assert_str_eq(o.field[SQLMAP_USER], "nest_mail");
	ck_assert_str_eq(o.field[SQLMAP_PASSWORD], "xxxxxx");
	ck_assert_str_eq(o.field[SQLMAP_SRV_COL], "storage_ip");
	ck_assert_str_eq(o.field[SQLMAP_USER_COL], "address");
	ck_assert_str_eq(o.field[SQLMAP_PORT_COL], "143");
	sqlmap_opt_free(&o);
}
END_TEST

START_TEST(test_hosts_and_empty_fields)
{
	struct sqlmap_opt o;

	ck_assert_int_eq(sqlmap_opt_parse("pg", "a,,b,c::mydb", &defaults,
					  &o), 0);
	ck_assert_int_eq(o.nhosts, 3);
	ck_assert_str_eq(o.hosts[0], "a");
	ck_assert_str_eq(o.hosts[1], "b");
	ck_assert_str_eq(o.hosts[2], "c");
	ck_assert_uint_eq(o.port, 0); /* empty field: the default */
	ck_assert_str_eq(o.field[SQLMAP_DBNAME], "mydb");
	ck_assert_str_eq(o.field[SQLMAP_TABLE], "tblPerdition");
	sqlmap_opt_free(&o);
	/* A port column given empty means "no port column" (2.2); one not
	 * given at all is the default. */
	ck_assert_int_eq(sqlmap_opt_parse("pg", "h:1:d:t:u:p:s:u:", &defaults,
					  &o), 0);
	ck_assert_str_eq(o.field[SQLMAP_PORT_COL], "");
	sqlmap_opt_free(&o);
	ck_assert_int_eq(sqlmap_opt_parse("pg", "h:1:d:t:u:p:s:u", &defaults,
					  &o), 0);
	ck_assert_str_eq(o.field[SQLMAP_PORT_COL], "port");
	sqlmap_opt_free(&o);
}
END_TEST

/* Strings every library must refuse at dbserver_init. */
static const char *const bad_opts[] = {
	"h:1:d:t;drop:u:p:s:u:p",	/* table not a name */
	"h:1:d:t:u:p:s s:u:p",		/* blank in a column */
	"h:1:d:t:u:p:s:u'x:p",		/* quote in the user column */
	"h:1:d:t:u:p:s:u:p-1",		/* port column neither */
	"h:1:d:1t:u:p:s:u:p",		/* name starting with a digit */
	"h:1:d:t:u:p:s:\"u\":p",	/* quoted name */
	"h:x:d",			/* port not a number */
	"h:70000:d",			/* port out of range */
	",,,",				/* no host */
	"h:1:d:t:u:p:s:u:p\xc3\xa9",	/* 8-bit name */
};

START_TEST(test_bad)
{
	struct sqlmap_opt o;

	ck_assert_int_eq(sqlmap_opt_parse("mysql", bad_opts[_i], &defaults,
					  &o), -1);
	/* Nothing is left allocated on failure. */
	for (int f = 0; f < SQLMAP_NFIELDS; f++)
		ck_assert_ptr_null(o.field[f]);
	ck_assert_ptr_null(o.host_buf);
}
END_TEST

START_TEST(test_tenth_field_ignored)
{
	/* 2.2 ignored fields after the ninth; a warning, not a refusal. */
	struct sqlmap_opt o;

	ck_assert_int_eq(sqlmap_opt_parse("mysql", "h:1:d:t:u:p:s:u:p:x;y",
					  &defaults, &o), 0);
	ck_assert_str_eq(o.field[SQLMAP_PORT_COL], "p");
	sqlmap_opt_free(&o);
}
END_TEST

START_TEST(test_too_long)
{
	char opt[600];
	struct sqlmap_opt o;

	memset(opt, 'a', sizeof(opt) - 1);
	opt[sizeof(opt) - 1] = '\0';
	ck_assert_int_eq(sqlmap_opt_parse("mysql", opt, &defaults, &o), -1);
	/* 17 hosts: one more than we try. */
	ck_assert_int_eq(sqlmap_opt_parse("mysql",
		"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q", &defaults, &o), -1);
}
END_TEST

START_TEST(test_identifiers)
{
	ck_assert(sqlmap_identifier_ok("user_name$2"));
	ck_assert(sqlmap_identifier_ok("_x"));
	ck_assert(!sqlmap_identifier_ok(""));
	ck_assert(!sqlmap_identifier_ok(NULL));
	ck_assert(!sqlmap_identifier_ok("a.b"));
	ck_assert(!sqlmap_identifier_ok("a`b"));
	ck_assert(!sqlmap_identifier_ok("9a"));
	ck_assert(sqlmap_number_ok("143"));
	ck_assert(!sqlmap_number_ok("1e3"));
	ck_assert(!sqlmap_number_ok("1234567890"));
}
END_TEST

START_TEST(test_result)
{
	char *s = NULL;
	size_t n = 0;

	ck_assert_int_eq(sqlmap_result("carol", "mail1", "143", &s, &n), 0);
	ck_assert_str_eq(s, "carol@mail1:143");
	ck_assert_uint_eq(n, strlen(s));
	free(s);
	ck_assert_int_eq(sqlmap_result(NULL, "mail1", "", &s, &n), 0);
	ck_assert_str_eq(s, "mail1");
	free(s);
	ck_assert_int_eq(sqlmap_result("", "mail1", NULL, &s, &n), 0);
	ck_assert_str_eq(s, "mail1");
	free(s);
	s = NULL;
	ck_assert_int_eq(sqlmap_result("carol", "", "143", &s, &n), -2);
	ck_assert_int_eq(sqlmap_result("carol", NULL, "143", &s, &n), -2);
	ck_assert_ptr_null(s);
}
END_TEST

/* A failover list in the server column: the port column's port goes to
 * every host that names none (not only to the last). */
START_TEST(test_result_list)
{
	static const char *const cases[][3] = {
		{ "h1,h2", "143", "carol@h1:143,h2:143" },
		{ "h1:110,h2", "143", "carol@h1:110,h2:143" },
		{ "::1,h2", "143", "carol@[::1]:143,h2:143" },
		{ "[::1],[::2]:9", "143", "carol@[::1]:143,[::2]:9" },
		{ "h1,,h2", "7", "carol@h1:7,,h2:7" },
		{ "h1,h2", "", "carol@h1,h2" },
		{ "h1,h2", NULL, "carol@h1,h2" },
		{ "h1", "143", "carol@h1:143" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = NULL;
		size_t n = 0;

		ck_assert_int_eq(sqlmap_result("carol", cases[i][0], cases[i][1], &s, &n), 0);
		ck_assert_str_eq(s, cases[i][2]);
		ck_assert_uint_eq(n, strlen(s));
		free(s);
	}
}
END_TEST

START_TEST(test_rtrim)
{
	char a[] = "mail1   \t ", b[] = "   ", c[] = "x";

	ck_assert_str_eq(sqlmap_rtrim(a), "mail1");
	ck_assert_str_eq(sqlmap_rtrim(b), "");
	ck_assert_str_eq(sqlmap_rtrim(c), "x");
}
END_TEST

START_TEST(test_state)
{
	struct sqlmap_state st;

	/* Parsed from opt itself; another string, or none, is stale. */
	memset(&st, 0, sizeof(st));
	ck_assert(sqlmap_state_stale(&st, NULL));
	ck_assert_int_eq(sqlmap_state_setup(&st, "mysql", "db1", NULL,
					    &defaults), 0);
	ck_assert(st.ready);
	ck_assert_str_eq(st.opt, "db1");
	ck_assert_str_eq(st.o.hosts[0], "db1");
	ck_assert(!sqlmap_state_stale(&st, "db1"));
	ck_assert(sqlmap_state_stale(&st, "db2"));
	ck_assert(sqlmap_state_stale(&st, NULL));
	/* parse given: it is parsed, opt is what is remembered. */
	ck_assert_int_eq(sqlmap_state_setup(&st, "odbc", NULL, "::dsn",
					    &defaults), 0);
	ck_assert_str_eq(st.opt, "");
	ck_assert_str_eq(st.o.field[SQLMAP_DBNAME], "dsn");
	ck_assert(!sqlmap_state_stale(&st, NULL));
	ck_assert(!sqlmap_state_stale(&st, ""));
	sqlmap_state_free(&st);
	ck_assert(!st.ready);
	ck_assert_ptr_null(st.opt);
	/* A bad string leaves nothing behind. */
	ck_assert_int_eq(sqlmap_state_setup(&st, "mysql", "h:99999", NULL,
					    &defaults), -1);
	ck_assert(!st.ready);
	ck_assert(sqlmap_state_stale(&st, "h:99999"));
	sqlmap_state_free(&st);
	sqlmap_secret_free(NULL);
}
END_TEST

START_TEST(test_row_result)
{
	char *s = NULL;
	size_t n = 0;

	ck_assert_int_eq(sqlmap_row_result("mysql", "carol", "mail1", "143",
					   &s, &n), 0);
	ck_assert_str_eq(s, "mail1:143");
	ck_assert_uint_eq(n, 9);
	free(s);
	ck_assert_int_eq(sqlmap_row_result("mysql", "carol", "mail1", NULL,
					   &s, &n), 0);
	ck_assert_str_eq(s, "mail1");
	free(s);
	s = NULL;
	/* No server is an error (2.2), not "not found". */
	ck_assert_int_eq(sqlmap_row_result("mysql", "carol", "", "143",
					   &s, &n), -1);
	ck_assert_int_eq(sqlmap_row_result("mysql", "carol", NULL, NULL,
					   &s, &n), -1);
	ck_assert_ptr_null(s);
}
END_TEST

START_TEST(test_log_host)
{
	/* Logs one line (stderr here): a long, multi-line message is cut
	 * to errlen and escaped, never overflowing. */
	char big[2000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[10] = '\n';
	sqlmap_log_host("mysql", "query failed", "db\x01host", big, 10);
	sqlmap_log_host("mysql", "query failed", big, big, strlen(big));
}
END_TEST

static Suite *sqlmap_suite(void)
{
	Suite *s = suite_create("sqlmap");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_seed_002);
	tcase_add_test(tc, test_hosts_and_empty_fields);
	tcase_add_loop_test(tc, test_bad, 0,
			    (int)(sizeof(bad_opts) / sizeof(bad_opts[0])));
	tcase_add_test(tc, test_tenth_field_ignored);
	tcase_add_test(tc, test_too_long);
	tcase_add_test(tc, test_identifiers);
	tcase_add_test(tc, test_result);
	tcase_add_test(tc, test_result_list);
	tcase_add_test(tc, test_rtrim);
	tcase_add_test(tc, test_state);
	tcase_add_test(tc, test_row_result);
	tcase_add_test(tc, test_log_host);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sqlmap_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
