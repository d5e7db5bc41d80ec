/*
 * check_monitor.c: unit tests for the monitor's messages (monitor_msg.c)
 * and, through a real monitor process, for log forwarding with the
 * sender's pid taken from the kernel.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "monitor.h"
#include "monitor_msg.h"

static unsigned char buf[MONITOR_MSG_MAX + 16];
static struct monitor_msg m;

START_TEST(test_log_round_trip)
{
	size_t n = monitor_msg_log(buf, LOG_INFO, "hello world", 11);

	ck_assert_uint_eq(n, 13);
	ck_assert_int_eq(monitor_msg_parse(buf, n, &m), 0);
	ck_assert_int_eq(m.type, MONITOR_MSG_LOG);
	ck_assert_int_eq(m.prio, LOG_INFO);
	ck_assert_str_eq(m.text, "hello world");
}
END_TEST

START_TEST(test_log_no_forged_lines)
{
	const char *evil = "x\nDec 01 00:00:00 perdition[1]: Auth: forged\r";
	size_t n = monitor_msg_log(buf, LOG_ERR, evil, strlen(evil));

	ck_assert_int_eq(monitor_msg_parse(buf, n, &m), 0);
	ck_assert_ptr_null(strchr(m.text, '\n'));
	ck_assert_ptr_null(strchr(m.text, '\r'));
	ck_assert_str_eq(m.text, "x?Dec 01 00:00:00 perdition[1]: Auth: forged?");
}
END_TEST

START_TEST(test_log_long_cut)
{
	static char big[MONITOR_LOG_TEXT_MAX + 100];
	size_t n;

	memset(big, 'a', sizeof(big));
	n = monitor_msg_log(buf, LOG_INFO, big, sizeof(big));
	ck_assert_uint_eq(n, MONITOR_LOG_TEXT_MAX + 2);
	ck_assert_int_eq(monitor_msg_parse(buf, n, &m), 0);
	ck_assert_uint_eq(m.text_len, MONITOR_LOG_TEXT_MAX);
}
END_TEST

START_TEST(test_pam_round_trip)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	size_t n;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(0x7f000001);
	n = monitor_msg_pam(buf, "alice", 5, "good pass", 9, &ss);
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(monitor_msg_parse(buf, n, &m), 0);
	ck_assert_int_eq(m.type, MONITOR_MSG_PAM);
	ck_assert_str_eq(m.user, "alice");
	ck_assert_str_eq(m.passwd, "good pass");
	ck_assert(m.have_peer);
	ck_assert_int_eq(memcmp(&m.peer, &ss, sizeof(*sin)), 0);
	monitor_msg_clear(&m);
	ck_assert_int_eq(m.passwd[0], '\0');
	n = monitor_msg_pam(buf, "bob", 3, "", 0, NULL);
	ck_assert_int_eq(monitor_msg_parse(buf, n, &m), 0);
	ck_assert(!m.have_peer);
	ck_assert_str_eq(m.passwd, "");
}
END_TEST

START_TEST(test_pam_refused_inputs)
{
	static char big[MAX_CRED_LENGTH + 2];

	memset(big, 'u', sizeof(big));
	ck_assert_uint_eq(monitor_msg_pam(buf, big, sizeof(big), "p", 1, NULL), 0);
	ck_assert_uint_eq(monitor_msg_pam(buf, "a\0b", 3, "p", 1, NULL), 0);
	ck_assert_uint_eq(monitor_msg_pam(buf, "a", 1, "p\0q", 3, NULL), 0);
}
END_TEST

/* Malformed messages: every one is refused. */
START_TEST(test_garbage)
{
	static const struct {
		const char *bytes;
		size_t len;
	} bad[] = {
		{ "", 0 },
		{ "X", 1 },
		{ "L", 1 },                       /* no prio */
		{ "L\x08x", 3 },                  /* prio > 7 */
		{ "R!", 2 },                      /* reopen with a tail */
		{ "P\0\1\0\1", 5 },               /* short header */
		{ "P\0\1\0\1\0", 6 },             /* lengths past the end */
		{ "P\0\1\0\1\0abc", 9 },          /* one byte too many */
		{ "P\0\1\0\1\0\0b", 8 },          /* NUL in user */
		{ "P\0\1\0\1\0a\0", 8 },          /* NUL in password */
		{ "P\x10\1\0\1\0ab", 8 },         /* user over the limit */
		{ "P\0\1\0\1\3abXYZ", 11 },       /* address of no family */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(monitor_msg_parse((const unsigned char *)bad[i].bytes, bad[i].len,
						&m) < 0, "case %zu accepted", i);
	memset(buf, 'L', sizeof(buf));
	ck_assert_int_lt(monitor_msg_parse(buf, MONITOR_MSG_MAX + 1, &m), 0);
	/* An address longer than any sockaddr (the fuzz target found it). */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "P\0\1\0\1\xff", 6);
	buf[6] = 'u';
	buf[7] = 'p';
	ck_assert_int_lt(monitor_msg_parse(buf, 8 + 255, &m), 0);
	/* Random bytes: no crash, and an accepted PAM message is sane. */
	srand(15);
	for (i = 0; i < 20000; i++) {
		size_t n = (size_t)rand() % 64, j;

		for (j = 0; j < n; j++)
			buf[j] = (unsigned char)rand();
		if (n > 0)
			buf[0] = "LPR"[rand() % 3];
		if (monitor_msg_parse(buf, n, &m) == 0 && m.type == MONITOR_MSG_PAM)
			ck_assert_uint_le(strlen(m.user) + strlen(m.passwd), n);
	}
}
END_TEST

/* A real monitor: lines forwarded by this process and by a child land
 * in the file with each sender's own pid. */
START_TEST(test_forwarding)
{
	char path[] = "/tmp/check_monitor_XXXXXX", want[64], text[4096];
	int fd = mkstemp(path), status;
	pid_t mon, child;
	FILE *f;
	size_t n;

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(log_open(path, LOG_DEBUG), 0);
	mon = monitor_start(true);
	ck_assert_int_ge(mon, 0);
	if (mon == 0)
		monitor_serve("check_monitor");
	ck_assert_int_eq(log_fd(), -1); /* forwarding, the file is closed */
	log_info("from the parent");
	child = fork();
	if (child == 0) {
		log_info("from the child");
		_exit(0);
	}
	waitpid(child, &status, 0);
	log_close();
	for (int i = 0; i < 100; i++) {
		f = fopen(path, "r");
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
		if (strstr(text, "from the child") != NULL)
			break;
		usleep(20000);
	}
	snprintf(want, sizeof(want), "[%ld]: from the parent\n", (long)getpid());
	ck_assert_ptr_nonnull(strstr(text, want));
	snprintf(want, sizeof(want), "[%ld]: from the child\n", (long)child);
	ck_assert_ptr_nonnull(strstr(text, want));
	kill(mon, SIGKILL);
	waitpid(mon, &status, 0);
	unlink(path);
}
END_TEST

static Suite *monitor_suite(void)
{
	Suite *s = suite_create("monitor");
	TCase *tc = tcase_create("messages");

	tcase_add_test(tc, test_log_round_trip);
	tcase_add_test(tc, test_log_no_forged_lines);
	tcase_add_test(tc, test_log_long_cut);
	tcase_add_test(tc, test_pam_round_trip);
	tcase_add_test(tc, test_pam_refused_inputs);
	tcase_add_test(tc, test_garbage);
	suite_add_tcase(s, tc);
	tc = tcase_create("process");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_forwarding);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(monitor_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
