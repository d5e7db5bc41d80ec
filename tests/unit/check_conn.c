/*
 * check_conn.c: the one bounded line and literal reader.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "conn.h"
#include "defs.h"
#include "log.h"

static struct conn c;
static int peer;

static void setup(void)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	conn_init(&c, sv[0], sv[0], 2, NULL);
	peer = sv[1];
}

static void teardown(void)
{
	conn_close(&c);
	close(peer);
}

static void feed(const void *data, size_t len)
{
	ck_assert_int_eq(write(peer, data, len), (ssize_t)len);
}

START_TEST(test_lines)
{
	char line[MAX_LINE_LENGTH + 1];
	size_t len;

	feed("a1 NOOP\r\nUSER bob\nPASS x\r\r\nlast", 31);
	shutdown(peer, SHUT_WR);
	ck_assert_int_eq(conn_read_line(&c, line, MAX_LINE_LENGTH, &len), CONN_OK);
	ck_assert_str_eq(line, "a1 NOOP");
	ck_assert_int_eq(conn_read_line(&c, line, MAX_LINE_LENGTH, &len), CONN_OK);
	ck_assert_str_eq(line, "USER bob");
	ck_assert_int_eq(conn_read_line(&c, line, MAX_LINE_LENGTH, &len), CONN_OK);
	ck_assert_str_eq(line, "PASS x\r");
	ck_assert_int_eq(conn_read_line(&c, line, MAX_LINE_LENGTH, &len), CONN_OK);
	ck_assert_str_eq(line, "last");
	ck_assert_int_eq(conn_read_line(&c, line, MAX_LINE_LENGTH, &len), CONN_EOF);
}
END_TEST

START_TEST(test_nul_bytes_kept)
{
	char line[MAX_LINE_LENGTH + 1];
	size_t len;

	feed("a\0b\r\n", 5);
	ck_assert_int_eq(conn_read_line(&c, line, MAX_LINE_LENGTH, &len), CONN_OK);
	ck_assert_uint_eq(len, 3);
	ck_assert(memcmp(line, "a\0b", 3) == 0);
}
END_TEST

START_TEST(test_too_long_then_next)
{
	char line[MAX_LINE_LENGTH + 1];
	size_t len;
	size_t n = 5000 + 2 * CONN_BUF_SIZE;
	char *big = malloc(n + 2);

	memset(big, 'x', n);
	memcpy(big + n, "\r\n", 2);
	if (fork() == 0) {
		/* The peer writes more than a socket buffer: do it aside. */
		(void)!write(peer, big, n + 2);
		(void)!write(peer, "ok\r\n", 4);
		_exit(0);
	}
	ck_assert_int_eq(conn_read_line(&c, line, MAX_LINE_LENGTH, &len), CONN_TOOLONG);
	ck_assert_int_eq(conn_read_line(&c, line, MAX_LINE_LENGTH, &len), CONN_OK);
	ck_assert_str_eq(line, "ok");
	free(big);
}
END_TEST

START_TEST(test_exact_limit)
{
	char line[11];
	size_t len;

	feed("0123456789\r\n01234567890\r\n", 25);
	ck_assert_int_eq(conn_read_line(&c, line, 10, &len), CONN_OK);
	ck_assert_uint_eq(len, 10);
	ck_assert_int_eq(conn_read_line(&c, line, 10, &len), CONN_TOOLONG);
}
END_TEST

START_TEST(test_literal_and_pipelined)
{
	char line[MAX_LINE_LENGTH + 1], lit[8];
	size_t len;

	feed("a LOGIN {3}\r\nbob {2}\r\npwb NOOP\r\n", 32);
	ck_assert_int_eq(conn_read_line(&c, line, MAX_LINE_LENGTH, &len), CONN_OK);
	ck_assert_int_eq(conn_read_exact(&c, lit, 3), CONN_OK);
	ck_assert(memcmp(lit, "bob", 3) == 0);
	ck_assert_int_eq(conn_read_line(&c, line, MAX_LINE_LENGTH, &len), CONN_OK);
	ck_assert_str_eq(line, " {2}");
	ck_assert_int_eq(conn_read_exact(&c, lit, 2), CONN_OK);
	/* What the client sent after its credentials stays buffered (D-5). */
	ck_assert_uint_eq(conn_buffered(&c), 8);
	ck_assert(memcmp(conn_buffered_data(&c), "b NOOP\r\n", 8) == 0);
	conn_discard(&c);
	ck_assert_uint_eq(conn_buffered(&c), 0);
}
END_TEST

START_TEST(test_timeout)
{
	char line[16];
	size_t len;

	c.timeout = 1;
	ck_assert_int_eq(conn_read_line(&c, line, 15, &len), CONN_TIMEOUT);
	ck_assert_int_eq(conn_read_exact(&c, line, 4), CONN_TIMEOUT);
}
END_TEST

/* D-21: the deadline bounds the whole read, not each byte: a partial
 * line buffered and a byte arriving now and then do not extend it. */
START_TEST(test_deadline_partial_line)
{
	char line[64];
	size_t len;
	uint64_t start = conn_now_ms();

	c.timeout = 10;
	conn_set_deadline(&c, start + 300);
	ck_assert(!conn_deadline_passed(&c));
	ck_assert_int_le(conn_timeout_now(&c), 300);
	ck_assert_int_gt(conn_timeout_now(&c), 0);
	feed("NO", 2);
	ck_assert_int_eq(conn_read_line(&c, line, sizeof(line) - 1, &len), CONN_TIMEOUT);
	ck_assert_uint_ge(conn_now_ms() - start, 290);
	ck_assert_uint_lt(conn_now_ms() - start, 2000);
	ck_assert(conn_deadline_passed(&c));
	ck_assert_int_eq(conn_timeout_now(&c), 0);
	/* Past the deadline, even a complete line ready to read is refused. */
	feed("OP\r\nNOOP\r\n", 10);
	ck_assert_int_eq(conn_read_line(&c, line, sizeof(line) - 1, &len), CONN_TIMEOUT);
	/* Cleared, the idle timeout alone applies again (the partial line
	 * read before the timeout is gone: the session ends there). */
	conn_set_deadline(&c, 0);
	ck_assert_int_eq(conn_timeout_now(&c), 10000);
	ck_assert_int_eq(conn_read_line(&c, line, sizeof(line) - 1, &len), CONN_OK);
	ck_assert_str_eq(line, "OP");
	ck_assert_int_eq(conn_read_line(&c, line, sizeof(line) - 1, &len), CONN_OK);
	ck_assert_str_eq(line, "NOOP");
}
END_TEST

/* Without a deadline the idle timeout bounds a partial line too. */
START_TEST(test_idle_timeout_partial_line)
{
	char line[64];
	size_t len;
	uint64_t start = conn_now_ms();

	c.timeout = 1;
	feed("NO", 2);
	ck_assert_int_eq(conn_read_line(&c, line, sizeof(line) - 1, &len), CONN_TIMEOUT);
	ck_assert_uint_lt(conn_now_ms() - start, 3000);
	ck_assert_int_eq(conn_timeout_now(&c), 1000);
	ck_assert(!conn_deadline_passed(&c));
}
END_TEST

static volatile sig_atomic_t stop_flag;

static void raise_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* The shutdown flag: a signal setting it ends a wait at once (as a
 * timeout), and once up no wait starts, however long the timeout. */
START_TEST(test_stop_flag)
{
	struct sigaction sa;
	struct itimerval it = { .it_value = { .tv_usec = 200000 } };
	char line[64];
	size_t len;
	uint64_t start = conn_now_ms();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = raise_stop;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	stop_flag = 0;
	c.timeout = 10;
	conn_set_stop(&c, &stop_flag);
	feed("NO", 2);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	ck_assert_int_eq(conn_read_line(&c, line, sizeof(line) - 1, &len), CONN_TIMEOUT);
	ck_assert_int_eq(stop_flag, 1);
	ck_assert_uint_ge(conn_now_ms() - start, 150);
	ck_assert_uint_lt(conn_now_ms() - start, 5000);
	start = conn_now_ms();
	ck_assert_int_eq(conn_read_exact(&c, line, 4), CONN_TIMEOUT);
	ck_assert_uint_lt(conn_now_ms() - start, 1000);
	/* Without the flag the same conn reads on. */
	conn_set_stop(&c, NULL);
	feed("OP\r\n", 4);
	ck_assert_int_eq(conn_read_line(&c, line, sizeof(line) - 1, &len), CONN_OK);
}
END_TEST

START_TEST(test_eof_mid_literal)
{
	char lit[8];

	feed("ab", 2);
	shutdown(peer, SHUT_WR);
	ck_assert_int_eq(conn_read_exact(&c, lit, 8), CONN_EOF);
}
END_TEST

START_TEST(test_write_and_counts)
{
	char got[32];

	ck_assert_int_eq(conn_printf(&c, "%s OK %s\r\n", "a1", "done"), 0);
	ck_assert_int_eq(read(peer, got, sizeof(got)), 12);
	ck_assert(memcmp(got, "a1 OK done\r\n", 12) == 0);
	ck_assert_uint_eq(c.out_bytes, 12);
}
END_TEST

/* With a dump label, reads and writes are logged (the caller decided:
 * conn.c knows no options); without one, nothing is. */
START_TEST(test_dump_label)
{
	char path[] = "/tmp/check_conn.XXXXXX", line[MAX_LINE_LENGTH + 1], log[1024];
	int fd = mkstemp(path);
	struct conn quiet;
	size_t len;
	FILE *f;

	ck_assert_int_ge(fd, 0);
	close(fd);
	log_init("perdition");
	ck_assert_int_eq(log_open(path, LOG_DEBUG), 0);
	c.dump = "CLIENT:";
	feed("a1 NOOP\r\n", 9);
	ck_assert_int_eq(conn_read_line(&c, line, MAX_LINE_LENGTH, &len), CONN_OK);
	ck_assert_int_eq(conn_printf(&c, "a1 OK\r\n"), 0);
	conn_init(&quiet, c.rfd, c.wfd, 2, NULL);
	feed("a2 NOOP\r\n", 9);
	ck_assert_int_eq(conn_read_line(&quiet, line, MAX_LINE_LENGTH, &len), CONN_OK);
	ck_assert_int_eq(conn_printf(&quiet, "a2 OK\r\n"), 0);
	log_close();

	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	len = fread(log, 1, sizeof(log) - 1, f);
	fclose(f);
	unlink(path);
	log[len] = '\0';
	ck_assert_ptr_nonnull(strstr(log, "]: CLIENT: \"a1 NOOP\"\n"));
	ck_assert_ptr_nonnull(strstr(log, "]: SELF:   \"a1 OK\\r\\n\"\n"));
	ck_assert_ptr_null(strstr(log, "a2"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("conn");
	TCase *tc = tcase_create("conn");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_nul_bytes_kept);
	tcase_add_test(tc, test_too_long_then_next);
	tcase_add_test(tc, test_exact_limit);
	tcase_add_test(tc, test_literal_and_pipelined);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_eof_mid_literal);
	tcase_add_test(tc, test_stop_flag);
	tcase_add_test(tc, test_deadline_partial_line);
	tcase_add_test(tc, test_idle_timeout_partial_line);
	tcase_add_test(tc, test_write_and_counts);
	tcase_add_test(tc, test_dump_label);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
