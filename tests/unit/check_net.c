/*
 * check_net.c: server specifications, lists and address formatting.
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

#include "defs.h"
#include "net.h"

struct spec_case {
	const char *in;
	const char *delim;
	int rc;
	const char *user, *host, *port;
};

static const struct spec_case spec_cases[] = {
	{ "mail.example.com", "@", 0, NULL, "mail.example.com", NULL },
	{ "host:110", "@", 0, NULL, "host", "110" },
	{ "host:pop3", "@", 0, NULL, "host", "pop3" },
	{ "bob@host", "@", 0, "bob", "host", NULL },
	{ "bob@host:143", "@", 0, "bob", "host", "143" },
	{ "a@b@host:1", "@", 0, "a@b", "host", "1" },
	{ "[::1]:4190", "@", 0, NULL, "::1", "4190" },
	{ "[::1]", "@", 0, NULL, "::1", NULL },
	{ "u@[2001:db8::1]:993", "@", 0, "u", "2001:db8::1", "993" },
	{ "bob%%host", "%%", 0, "bob", "host", NULL },
	{ "bob@host", NULL, 0, NULL, "bob@host", NULL },
	{ "", "@", -1, NULL, NULL, NULL },
	{ ":110", "@", -1, NULL, NULL, NULL },
	{ "host:", "@", -1, NULL, NULL, NULL },
	{ "@host", "@", -1, NULL, NULL, NULL },
	{ "bob@", "@", -1, NULL, NULL, NULL },
	{ "::1", "@", -1, NULL, NULL, NULL },
	{ "[::1", "@", -1, NULL, NULL, NULL },
	{ "[]:1", "@", -1, NULL, NULL, NULL },
	{ "[::1]x", "@", -1, NULL, NULL, NULL },
	{ "host:1:2", "@", -1, NULL, NULL, NULL },
	{ "ho st", "@", -1, NULL, NULL, NULL },
	{ "host\r\n:1", "@", -1, NULL, NULL, NULL },
	{ "host:1 0", "@", -1, NULL, NULL, NULL },
};

static int eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

START_TEST(test_spec_table)
{
	const struct spec_case *c = &spec_cases[_i];
	struct server_spec r;
	int rc = server_spec_parse(c->in, c->delim, &r);

	ck_assert_msg(rc == c->rc, "'%s': rc %d, want %d", c->in, rc, c->rc);
	if (rc == 0) {
		ck_assert_msg(eq(r.user, c->user), "'%s': user %s", c->in, r.user);
		ck_assert_msg(eq(r.host, c->host), "'%s': host %s", c->in, r.host);
		ck_assert_msg(eq(r.port, c->port), "'%s': port %s", c->in, r.port);
		server_spec_free(&r);
	}
}
END_TEST

START_TEST(test_spec_garbage)
{
	char *big = malloc(MAX_CRED_LENGTH + 100);
	struct server_spec r;

	memset(big, 'a', MAX_CRED_LENGTH + 99);
	big[MAX_CRED_LENGTH + 99] = '\0';
	ck_assert_int_eq(server_spec_parse(big, "@", &r), -1);
	/* Every single byte value as a host must not crash. */
	for (int b = 1; b < 256; b++) {
		char s[2] = { (char)b, 0 };
		if (server_spec_parse(s, "@", &r) == 0)
			server_spec_free(&r);
	}
	free(big);
}
END_TEST

START_TEST(test_split_list)
{
	char s[] = "a:1, b ,,c";
	char *items[4];

	ck_assert_int_eq(net_split_list(s, items, 4), 3);
	ck_assert_str_eq(items[0], "a:1");
	ck_assert_str_eq(items[1], "b ");
	ck_assert_str_eq(items[2], "c");
	char t[] = "a,b,c";
	ck_assert_int_eq(net_split_list(t, items, 2), -1);
}
END_TEST

START_TEST(test_from_to)
{
	struct sockaddr_storage a, b;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&a;
	struct sockaddr_in6 *b6 = (struct sockaddr_in6 *)&b;
	char buf[160];

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a4->sin_family = AF_INET;
	a4->sin_port = htons(5555);
	inet_pton(AF_INET, "192.0.2.1", &a4->sin_addr);
	b6->sin6_family = AF_INET6;
	b6->sin6_port = htons(110);
	inet_pton(AF_INET6, "::ffff:198.51.100.7", &b6->sin6_addr);
	net_from_to(buf, sizeof(buf), &a, true, &b, true);
	ck_assert_str_eq(buf, " 192.0.2.1:5555->198.51.100.7:110");
	net_from_to(buf, sizeof(buf), &a, false, &b, true);
	ck_assert_str_eq(buf, "");
	inet_pton(AF_INET6, "2001:db8::2", &b6->sin6_addr);
	net_from_to(buf, sizeof(buf), &a, true, &b, true);
	ck_assert_str_eq(buf, " 192.0.2.1:5555->2001:db8::2:110");
}
END_TEST

START_TEST(test_port_number)
{
	ck_assert_int_eq(net_port_number("110", true), 110);
	ck_assert_int_eq(net_port_number("65536", true), -1);
	ck_assert_int_eq(net_port_number("pop3", true), -1);
	ck_assert_int_eq(net_port_number("", true), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("net");
	TCase *tc = tcase_create("net");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_spec_table, 0, sizeof(spec_cases) / sizeof(spec_cases[0]));
	tcase_add_test(tc, test_spec_garbage);
	tcase_add_test(tc, test_split_list);
	tcase_add_test(tc, test_from_to);
	tcase_add_test(tc, test_port_number);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
