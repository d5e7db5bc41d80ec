/*
 * check_cidr.c: unit tests for the network lists of cidr.c
 * (proxy_protocol_trusted).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"

static struct sockaddr_storage addr(const char *text)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, text, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
		ss.ss_family = AF_INET;
	} else {
		ck_assert_int_eq(inet_pton(AF_INET6, text, &((struct sockaddr_in6 *)&ss)->sin6_addr), 1);
		ss.ss_family = AF_INET6;
	}
	return ss;
}

struct match_case {
	const char *list;
	const char *addr;
	bool want;
};

static const struct match_case match_cases[] = {
	{ "127.0.0.0/8,::1/128", "127.0.0.1", true },
	{ "127.0.0.0/8,::1/128", "127.255.3.4", true },
	{ "127.0.0.0/8,::1/128", "128.0.0.1", false },
	{ "127.0.0.0/8,::1/128", "::1", true },
	{ "127.0.0.0/8,::1/128", "::2", false },
	/* An IPv4-mapped peer (a dual-stack listener) is its IPv4 address. */
	{ "127.0.0.0/8,::1/128", "::ffff:127.0.0.9", true },
	{ "127.0.0.0/8,::1/128", "::ffff:10.0.0.1", false },
	{ "::ffff:0:0/96", "::ffff:10.0.0.1", true },
	/* A host without /BITS; host bits past the prefix are ignored. */
	{ "192.0.2.7", "192.0.2.7", true },
	{ "192.0.2.7", "192.0.2.8", false },
	{ "192.0.2.7/24", "192.0.2.200", true },
	{ "10.1.2.3/13", "10.7.255.255", true },
	{ "10.1.2.3/13", "10.8.0.0", false },
	{ "0.0.0.0/0", "203.0.113.5", true },
	{ "0.0.0.0/0", "2001:db8::1", false },
	{ "::/0", "2001:db8::1", true },
	{ "2001:db8::/33", "2001:db8:7fff::1", true },
	{ "2001:db8::/33", "2001:db8:8000::1", false },
	/* Blanks and commas both separate; an empty list matches nothing. */
	{ " 10.0.0.0/8 ,\t192.168.0.0/16 ", "192.168.4.4", true },
	{ "", "127.0.0.1", false },
	{ " , ", "127.0.0.1", false },
};

START_TEST(test_match)
{
	const struct match_case *c = &match_cases[_i];
	struct cidr_list l;
	struct sockaddr_storage ss = addr(c->addr);
	char err[128];

	ck_assert_int_eq(cidr_list_parse(c->list, &l, err, sizeof(err)), 0);
	ck_assert_msg(cidr_list_match(&l, &ss) == c->want, "%s in %s", c->addr, c->list);
	cidr_list_free(&l);
}
END_TEST

static const char *const bad_lists[] = {
	"127.0.0.0/33", "::1/129", "127.0.0.1/", "127.0.0.1/-1", "127.0.0.1/8x", "127.0.0.1/0008",
	"localhost", "127.0.0.0/8;::1", "[::1]/128", "1.2.3", "1.2.3.4.5", "/8", "::1/128/1",
	"127.0.0.0/8,garbage", "\xff\xfe",
};

START_TEST(test_bad)
{
	struct cidr_list l;
	char err[128];

	err[0] = '\0';
	ck_assert_int_eq(cidr_list_parse(bad_lists[_i], &l, err, sizeof(err)), -1);
	ck_assert(err[0] != '\0');
	ck_assert_ptr_null(l.items);
	ck_assert_uint_eq(l.count, 0);
}
END_TEST

START_TEST(test_bounds)
{
	struct cidr_list l;
	struct sockaddr_storage ss;
	char err[128];
	size_t n = 20 * (CIDR_LIST_MAX_ITEMS + 1);
	char *big = malloc(n + CIDR_LIST_MAX_TEXT + 2);

	/* Too many networks. */
	big[0] = '\0';
	for (int i = 0; i <= CIDR_LIST_MAX_ITEMS; i++)
		strcat(big, "10.0.0.1,");
	ck_assert_int_eq(cidr_list_parse(big, &l, err, sizeof(err)), -1);
	/* Exactly the bound is fine. */
	big[strlen("10.0.0.1,") * CIDR_LIST_MAX_ITEMS] = '\0';
	ck_assert_int_eq(cidr_list_parse(big, &l, err, sizeof(err)), 0);
	ck_assert_uint_eq(l.count, CIDR_LIST_MAX_ITEMS);
	cidr_list_free(&l);
	/* Too long a text, even of blanks. */
	memset(big, ' ', CIDR_LIST_MAX_TEXT + 1);
	big[CIDR_LIST_MAX_TEXT + 1] = '\0';
	ck_assert_int_eq(cidr_list_parse(big, &l, err, sizeof(err)), -1);
	free(big);
	/* Not an IP address family: no match. */
	ck_assert_int_eq(cidr_list_parse("0.0.0.0/0,::/0", &l, err, sizeof(err)), 0);
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNIX;
	ck_assert(!cidr_list_match(&l, &ss));
	cidr_list_free(&l);
}
END_TEST

static Suite *cidr_suite(void)
{
	Suite *s = suite_create("cidr");
	TCase *tc = tcase_create("cidr");

	tcase_add_loop_test(tc, test_match, 0, (int)(sizeof(match_cases) / sizeof(match_cases[0])));
	tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof(bad_lists) / sizeof(bad_lists[0])));
	tcase_add_test(tc, test_bounds);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cidr_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
