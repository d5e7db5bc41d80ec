/*
 * check_addr_limits.c: unit tests for the per-address limits: the
 * bounded table (addr_limits_table.c), the messages (limits_msg.c), the
 * policy (addr_limits.c) and the channel (limits_channel.c).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr_limits.h"
#include "addr_limits_table.h"
#include "limits_channel.h"
#include "limits_msg.h"

static struct limits_addr v4(const char *s)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct limits_addr a;

	memset(&ss, 0, sizeof(ss));
	in->sin_family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, s, &in->sin_addr), 1);
	limits_addr_from(&a, &ss);
	return a;
}

/* ------------------------------------------------------------ table */

START_TEST(test_table_bound_and_eviction)
{
	struct limits_table t;
	char key[32];

	limits_table_init(&t, 4);
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		limits_entry_fail(limits_table_get(&t, key, strlen(key)), 0, 10);
		ck_assert_uint_le(t.used, 4);
	}
	ck_assert_uint_eq(t.evicted, 96);
	/* The four most recent stay, the oldest went. */
	ck_assert_ptr_nonnull(limits_table_find(&t, "k99", 3));
	ck_assert_ptr_nonnull(limits_table_find(&t, "k96", 3));
	ck_assert_ptr_null(limits_table_find(&t, "k95", 3));
	ck_assert_ptr_null(limits_table_find(&t, "k0", 2));
	/* Using an entry keeps it: k96 touched, then a new key evicts k97. */
	limits_table_get(&t, "k96", 3);
	limits_table_get(&t, "new", 3);
	ck_assert_ptr_nonnull(limits_table_find(&t, "k96", 3));
	ck_assert_ptr_null(limits_table_find(&t, "k97", 3));
	limits_table_free(&t);
}
END_TEST

START_TEST(test_table_long_key_cut)
{
	struct limits_table t;
	char a[300], b[300];

	memset(a, 'x', sizeof(a));
	memcpy(b, a, sizeof(b));
	b[299] = 'y';
	limits_table_init(&t, 8);
	limits_entry_fail(limits_table_get(&t, a, sizeof(a)), 0, 10);
	/* Past LIMITS_KEY_MAX bytes the keys are one. */
	ck_assert_ptr_eq(limits_table_find(&t, b, sizeof(b)), limits_table_find(&t, a, sizeof(a)));
	ck_assert_uint_eq(limits_table_find(&t, a, sizeof(a))->key_len, LIMITS_KEY_MAX);
	limits_table_free(&t);
}
END_TEST

START_TEST(test_window_expiry)
{
	struct limits_table t;
	struct limits_entry *e;

	limits_table_init(&t, 2);
	e = limits_table_get(&t, "a", 1);
	ck_assert_uint_eq(limits_entry_fail(e, 100, 60), 1);
	ck_assert_uint_eq(limits_entry_fail(e, 120, 60), 2);
	ck_assert_uint_eq(limits_entry_count(e, 159, 60), 2);
	ck_assert_uint_eq(limits_entry_count(e, 160, 60), 0);
	ck_assert_uint_eq(limits_entry_fail(e, 161, 60), 1);
	limits_table_free(&t);
}
END_TEST

/* --------------------------------------------------------- messages */

START_TEST(test_msg_round_trip)
{
	struct limits_msg m, p;
	uint8_t buf[LIMITS_MSG_MAX];
	size_t n;

	memset(&m, 0, sizeof(m));
	m.type = LIMITS_MSG_LOGIN_FAILED;
	m.addr = v4("127.0.0.2");
	m.user_len = 5;
	memcpy(m.user, "alice", 5);
	n = limits_msg_encode(&m, buf);
	ck_assert_uint_eq(n, LIMITS_MSG_HEAD + 5);
	ck_assert_int_eq(limits_msg_parse(buf, n, &p), 0);
	ck_assert_int_eq(p.type, LIMITS_MSG_LOGIN_FAILED);
	ck_assert_str_eq(p.user, "alice");
	ck_assert_int_eq(memcmp(&p.addr, &m.addr, sizeof(m.addr)), 0);
	/* One byte short or long, a bad length byte, type or family. */
	ck_assert_int_eq(limits_msg_parse(buf, n - 1, &p), -1);
	ck_assert_int_eq(limits_msg_parse(buf, n + 1, &p), -1);
	buf[20] = 200;
	ck_assert_int_eq(limits_msg_parse(buf, n, &p), -1);
	buf[20] = 5;
	buf[2] = 9;
	ck_assert_int_eq(limits_msg_parse(buf, n, &p), -1);
	buf[2] = 1;
	buf[3] = 5;
	ck_assert_int_eq(limits_msg_parse(buf, n, &p), -1);
	buf[3] = 4;
	buf[10] = 1; /* bytes past an IPv4 address must be zero */
	ck_assert_int_eq(limits_msg_parse(buf, n, &p), -1);
}
END_TEST

START_TEST(test_msg_garbage)
{
	uint8_t buf[LIMITS_MSG_MAX + 16];
	struct limits_msg m;
	struct limits_reply r;
	unsigned seed = 1, ok = 0;

	/* Random bytes of every length: never a crash, hardly ever a
	 * message, never a reply with an out-of-range delay. */
	for (int i = 0; i < 200000; i++) {
		size_t n = (size_t)(rand_r(&seed) % (int)sizeof(buf));

		for (size_t j = 0; j < n; j++)
			buf[j] = (uint8_t)rand_r(&seed);
		if (i % 2)
			buf[0] = 'L', buf[1] = 1;
		if (limits_msg_parse(buf, n, &m) == 0) {
			ok++;
			ck_assert_uint_le(m.user_len, LIMITS_USER_MAX);
		}
		if (limits_reply_parse(buf, n, &r) == 0)
			ck_assert_uint_le(r.delay, LIMITS_DELAY_MAX);
	}
	ck_assert_uint_lt(ok, 100);
}
END_TEST

/* ----------------------------------------------------------- policy */

static const struct addr_limits_config cfg = { 2, 3, 6, 900 };

static bool fail_from(struct addr_limits *l, pid_t pid, const char *user, time_t now,
		      struct limits_reply *r)
{
	struct limits_msg m;

	memset(&m, 0, sizeof(m));
	m.type = LIMITS_MSG_LOGIN_FAILED;
	m.user_len = strlen(user);
	memcpy(m.user, user, m.user_len);
	return addr_limits_message(l, pid, &m, now, r);
}

START_TEST(test_per_address_cap)
{
	struct addr_limits l;
	struct limits_addr a = v4("127.0.0.2"), b = v4("127.0.0.3");

	addr_limits_init(&l, &cfg, 16);
	ck_assert(addr_limits_admit(&l, &a, 0));
	addr_limits_child_add(&l, 10, &a, true);
	addr_limits_child_add(&l, 11, &a, true);
	ck_assert(!addr_limits_admit(&l, &a, 0));
	ck_assert(addr_limits_admit(&l, &b, 0));
	addr_limits_child_gone(&l, 10);
	ck_assert_uint_eq(addr_limits_count(&l, &a), 1);
	ck_assert(addr_limits_admit(&l, &a, 0));
	/* A child whose address a PROXY header will name is not counted
	 * until it does, and then as the announced address. */
	addr_limits_child_add(&l, 12, &a, false);
	ck_assert_uint_eq(addr_limits_count(&l, &a), 1);
	addr_limits_free(&l);
}
END_TEST

START_TEST(test_failures_delay_then_refuse)
{
	struct addr_limits l;
	struct limits_addr a = v4("127.0.0.2");
	struct limits_reply r;
	static const unsigned want[] = { 0, 0, 1, 2, 4, 8, 16, 30, 30 };

	addr_limits_init(&l, &cfg, 16);
	addr_limits_child_add(&l, 10, &a, true);
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char user[16];

		/* Another name each time: the address alone is delayed. */
		snprintf(user, sizeof(user), "u%u", i);
		ck_assert(fail_from(&l, 10, user, 100, &r));
		ck_assert_uint_eq(r.delay, want[i]);
		ck_assert(!r.refuse);
		ck_assert(addr_limits_admit(&l, &a, 100) == (i + 1 < 6 ? true : false) ||
			  i + 1 >= 6);
	}
	/* 9 failures >= 6: refused, until the window passes. */
	addr_limits_child_gone(&l, 10);
	ck_assert(!addr_limits_admit(&l, &a, 100));
	ck_assert(!addr_limits_admit(&l, &a, 999));
	ck_assert(addr_limits_admit(&l, &a, 1000));
	/* An unknown pid's messages do nothing. */
	ck_assert(!fail_from(&l, 99, "x", 100, &r));
	addr_limits_free(&l);
}
END_TEST

START_TEST(test_user_delay_only)
{
	struct addr_limits l;
	struct limits_reply r;
	char as[32];
	unsigned long i;

	addr_limits_init(&l, &cfg, 64);
	/* One user, attacked from 20 addresses, one failure each. */
	for (i = 0; i < 20; i++) {
		struct limits_addr a;

		snprintf(as, sizeof(as), "10.0.0.%lu", i + 1);
		a = v4(as);
		addr_limits_child_add(&l, (pid_t)(100 + i), &a, true);
		ck_assert(fail_from(&l, (pid_t)(100 + i), "victim", 50, &r));
		ck_assert(!r.refuse);
		ck_assert_uint_eq(r.delay, i + 1 < 3 ? 0 : i + 1 - 3 >= 5 ? 30 : 1u << (i + 1 - 3));
		/* No address is refused for it. */
		ck_assert(addr_limits_admit(&l, &a, 50));
	}
	/* A good login forgives the user. */
	{
		struct limits_msg m;

		memset(&m, 0, sizeof(m));
		m.type = LIMITS_MSG_LOGIN_OK;
		m.user_len = 6;
		memcpy(m.user, "victim", 6);
		ck_assert(!addr_limits_message(&l, 100, &m, 50, &r));
		ck_assert(fail_from(&l, 119, "victim", 50, &r));
		/* ...but not the address 10.0.0.20 (its 2nd failure). */
		ck_assert_uint_eq(r.delay, 0);
	}
	addr_limits_free(&l);
}
END_TEST

START_TEST(test_announce)
{
	struct addr_limits l;
	struct limits_addr lb = v4("127.0.0.1"), c = v4("192.0.2.7");
	struct limits_msg m;
	struct limits_reply r;

	addr_limits_init(&l, &cfg, 16);
	memset(&m, 0, sizeof(m));
	m.type = LIMITS_MSG_ANNOUNCE;
	m.addr = c;
	for (pid_t p = 1; p <= 3; p++) {
		addr_limits_child_add(&l, p, &lb, false);
		ck_assert(addr_limits_message(&l, p, &m, 0, &r));
		ck_assert(r.refuse == (p == 3));
	}
	ck_assert_uint_eq(addr_limits_count(&l, &c), 2);
	ck_assert_uint_eq(addr_limits_count(&l, &lb), 0);
	/* A counted child cannot announce again (nor move its count). */
	ck_assert(!addr_limits_message(&l, 1, &m, 0, &r));
	addr_limits_free(&l);
}
END_TEST

/* ---------------------------------------------------------- channel */

START_TEST(test_channel_garbage_and_fds)
{
	int dfd, cfd, reply_fd;
	struct limits_msg m;
	pid_t pid;

	ck_assert_int_eq(limits_channel_open(&dfd, &cfd), 0);
	ck_assert_int_eq(limits_channel_recv(dfd, &pid, &m, &reply_fd), 0);
	ck_assert_int_eq(send(cfd, "garbage", 7, 0), 7);
	ck_assert_int_eq(limits_channel_recv(dfd, &pid, &m, &reply_fd), -1);
	ck_assert_int_eq(reply_fd, -1);
	/* A real message: the kernel names the sender. */
	limits_child_attach(cfd);
	limits_child_login_ok("bob", 3);
	ck_assert_int_eq(limits_channel_recv(dfd, &pid, &m, &reply_fd), 1);
	ck_assert_int_eq(pid, getpid());
	ck_assert_int_eq(m.type, LIMITS_MSG_LOGIN_OK);
	ck_assert_str_eq(m.user, "bob");
	ck_assert_int_eq(reply_fd, -1);
	limits_child_attach(-1);
	close(dfd);
	close(cfd);
}
END_TEST

static Suite *addr_limits_suite(void)
{
	Suite *s = suite_create("addr_limits");
	TCase *tc = tcase_create("limits");

	tcase_add_test(tc, test_table_bound_and_eviction);
	tcase_add_test(tc, test_table_long_key_cut);
	tcase_add_test(tc, test_window_expiry);
	tcase_add_test(tc, test_msg_round_trip);
	tcase_add_test(tc, test_msg_garbage);
	tcase_add_test(tc, test_per_address_cap);
	tcase_add_test(tc, test_failures_delay_then_refuse);
	tcase_add_test(tc, test_user_delay_only);
	tcase_add_test(tc, test_announce);
	tcase_add_test(tc, test_channel_garbage_and_fds);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(addr_limits_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
