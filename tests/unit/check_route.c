/*
 * check_route.c: choosing the real server (route.c) without the option
 * table: client_server_specification, the default servers round robin,
 * and no server at all.  Each test runs in its own process (route_init
 * keeps its servers for the process).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

static struct route_config config(const char *servers, bool csp)
{
	struct route_config c = {
		.outgoing_server = servers,
		.outgoing_port = "110",
		.domain_delimiter = "@",
		.client_server_specification = csp,
		.no_lookup = true,
	};

	return c;
}

START_TEST(test_round_robin)
{
	const struct route_config c = config("10.0.0.1:1,10.0.0.2,[::1]:3", false);
	bool seen[3] = { false, false, false };
	struct route r;
	char *first = NULL;

	ck_assert_int_eq(route_init(&c), 0);
	for (unsigned attempt = 0; attempt < 4; attempt++) {
		ck_assert_int_eq(route_find("bob", NULL, NULL, attempt, &r), 0);
		ck_assert(!r.user_in_place);
		ck_assert_ptr_null(r.user);
		ck_assert_ptr_nonnull(r.ai); /* resolved once, at route_init */
		if (strcmp(r.host, "10.0.0.1") == 0) {
			ck_assert_str_eq(r.port, "1");
			seen[0] = true;
		} else if (strcmp(r.host, "10.0.0.2") == 0) {
			ck_assert_str_eq(r.port, "110"); /* outgoing_port */
			seen[1] = true;
		} else {
			ck_assert_str_eq(r.host, "::1");
			ck_assert_str_eq(r.port, "3");
			seen[2] = true;
		}
		/* The fourth attempt comes round to the first server again. */
		if (attempt == 0)
			first = strdup(r.host);
		else if (attempt == 3)
			ck_assert_str_eq(r.host, first);
		route_free(&r);
	}
	ck_assert(seen[0] && seen[1] && seen[2]);
	free(first);
}
END_TEST

START_TEST(test_client_server_specification)
{
	const struct route_config c = config("10.0.0.9", true);
	struct route r;

	ck_assert_int_eq(route_init(&c), 0);
	ck_assert_int_eq(route_find("bob@a@mail.example:993", NULL, NULL, 0, &r), 0);
	ck_assert(r.user_in_place);
	ck_assert_str_eq(r.host, "mail.example");
	ck_assert_str_eq(r.port, "993");
	ck_assert_ptr_null(r.ai);
	route_free(&r);

	ck_assert_int_eq(route_find("bob@mail.example", NULL, NULL, 0, &r), 0);
	ck_assert_str_eq(r.port, "110");
	route_free(&r);

	/* No server after the delimiter: the default server. */
	ck_assert_int_eq(route_find("bob", NULL, NULL, 0, &r), 0);
	ck_assert(!r.user_in_place);
	ck_assert_str_eq(r.host, "10.0.0.9");
	route_free(&r);
	ck_assert_int_eq(route_find("bob@[::1", NULL, NULL, 0, &r), 0);
	ck_assert_str_eq(r.host, "10.0.0.9");
	route_free(&r);
}
END_TEST

START_TEST(test_specification_off)
{
	const struct route_config c = config("10.0.0.9", false);
	struct route r;

	ck_assert_int_eq(route_init(&c), 0);
	ck_assert_int_eq(route_find("bob@mail.example:993", NULL, NULL, 0, &r), 0);
	ck_assert(!r.user_in_place);
	ck_assert_str_eq(r.host, "10.0.0.9");
	route_free(&r);
}
END_TEST

START_TEST(test_no_server)
{
	const struct route_config c = config(NULL, true);
	struct route r;

	ck_assert_int_eq(route_init(&c), 0);
	ck_assert_int_eq(route_find("bob", NULL, NULL, 0, &r), -1);
	ck_assert_ptr_null(r.host);
	ck_assert_ptr_null(r.port);
}
END_TEST

START_TEST(test_bad_default_server)
{
	const struct route_config c = config("10.0.0.1,host:", false);

	ck_assert_int_eq(route_init(&c), -1);
}
END_TEST

/* Per-user failover lists in a map result (route_parse_result). */
START_TEST(test_failover_list)
{
	struct route r;

	ck_assert_int_eq(route_parse_result("bob@h1:1, h2 ,[::1]:3", "@", "110", &r), 0);
	ck_assert_str_eq(r.user, "bob");
	ck_assert_str_eq(r.host, "h1");
	ck_assert_str_eq(r.port, "1");
	ck_assert_uint_eq(r.nnext, 2);
	ck_assert(route_has_next(&r));
	ck_assert_int_eq(route_next(&r), 0);
	ck_assert_str_eq(r.host, "h2");
	ck_assert_str_eq(r.port, "110");
	ck_assert_int_eq(route_next(&r), 0);
	ck_assert_str_eq(r.host, "::1");
	ck_assert_str_eq(r.port, "3");
	ck_assert(!route_has_next(&r));
	ck_assert_int_eq(route_next(&r), -1);
	ck_assert_str_eq(r.host, "::1");
	route_free(&r);

	/* No user part, no delimiter at all. */
	ck_assert_int_eq(route_parse_result("h1,h2:2", NULL, "143", &r), 0);
	ck_assert_ptr_null(r.user);
	ck_assert_str_eq(r.port, "143");
	ck_assert_uint_eq(r.nnext, 1);
	ck_assert_str_eq(r.next_port[0], "2");
	route_free(&r);
	ck_assert_ptr_null(r.host);
	ck_assert_uint_eq(r.nnext, 0);
}
END_TEST

START_TEST(test_single_result_as_22)
{
	struct route r;

	/* No comma after the last delimiter: a 2.2 result, one server. */
	ck_assert_int_eq(route_parse_result("a,b@host:995", "@", "110", &r), 0);
	ck_assert_str_eq(r.user, "a,b");
	ck_assert_str_eq(r.host, "host");
	ck_assert_str_eq(r.port, "995");
	ck_assert_uint_eq(r.nnext, 0);
	ck_assert(!route_has_next(&r));
	route_free(&r);
	ck_assert_int_eq(route_parse_result("host", "@", "110", &r), 0);
	ck_assert_str_eq(r.port, "110");
	ck_assert_ptr_null(r.user);
	route_free(&r);
}
END_TEST

START_TEST(test_failover_limits)
{
	struct route r;

	ck_assert_int_eq(route_parse_result("h1,h2,h3,h4,h5,h6,h7,h8", "@", "110", &r), 0);
	ck_assert_uint_eq(r.nnext, ROUTE_MAX_SERVERS - 1);
	ck_assert_str_eq(r.next_host[6], "h8");
	route_free(&r);
	ck_assert_int_eq(route_parse_result("h1,h2,h3,h4,h5,h6,h7,h8,h9", "@", "110", &r), -1);
	ck_assert_ptr_null(r.host);
	ck_assert_uint_eq(r.nnext, 0);
}
END_TEST

START_TEST(test_failover_garbage)
{
	static const char *const bad[] = {
		"h1,", ",h1", "h1,,h2", "h1, ,h2", ",", "@h1,h2", "bob@h1,h2:",
		"h1,h2:a b", "h1\th2,h3", "h1,[::1", "h1,a:b:c", "h1,h 2", "bob@,", "h1,[]:1",
	};
	struct route r;
	char big[6000];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(route_parse_result(bad[i], "@", "110", &r) == -1,
			      "accepted %s", bad[i]);
		ck_assert_ptr_null(r.host);
		ck_assert_ptr_null(r.user);
		ck_assert_uint_eq(r.nnext, 0);
	}
	/* With "@" as delimiter, "h1,u@h2" is user "h1,u" at one server. */
	ck_assert_int_eq(route_parse_result("h1,u@h2", "@", "110", &r), 0);
	ck_assert_str_eq(r.user, "h1,u");
	ck_assert_str_eq(r.host, "h2");
	ck_assert_uint_eq(r.nnext, 0);
	route_free(&r);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[10] = ',';
	ck_assert_int_eq(route_parse_result(big, "@", "110", &r), -1);
	ck_assert_ptr_null(r.host);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("route");
	TCase *tc = tcase_create("route");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_round_robin);
	tcase_add_test(tc, test_client_server_specification);
	tcase_add_test(tc, test_specification_off);
	tcase_add_test(tc, test_no_server);
	tcase_add_test(tc, test_bad_default_server);
	tcase_add_test(tc, test_failover_list);
	tcase_add_test(tc, test_single_result_as_22);
	tcase_add_test(tc, test_failover_limits);
	tcase_add_test(tc, test_failover_garbage);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
