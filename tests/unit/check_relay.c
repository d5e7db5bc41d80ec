/*
 * check_relay.c: the plain relay over socket pairs: short messages (the
 * copy mode), bulk transfers (the switch to splice), a peer that reads
 * slowly, pipelined bytes left from the login, and the byte counts.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "relay.h"

static struct conn relay_client, relay_server; /* the relay's ends */
static int client, server; /* the test's ends */
static int counts_fd;      /* the relay's byte counts arrive here */
static pid_t relay_pid;

/* Start relay_run() in a child between two socket pairs; the bytes
 * pending[] are what the login phase left in the client's buffer.  A
 * sndbuf > 0 shrinks the relay's send buffer towards the client, so its
 * writes there meet a full socket early. */
static void start_relay(const char *pending, int sndbuf)
{
	int a[2], b[2], c[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
	if (sndbuf > 0)
		ck_assert_int_eq(setsockopt(a[1], SOL_SOCKET, SO_SNDBUF, &sndbuf,
					    sizeof(sndbuf)), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
	ck_assert_int_eq(pipe(c), 0);
	relay_pid = fork();
	ck_assert_int_ge(relay_pid, 0);
	if (relay_pid == 0) {
		const struct relay_config cfg = { .timeout = 20 };
		uint64_t n[2];

		close(a[0]);
		close(b[0]);
		close(c[0]);
		alarm(30); /* never outlive a broken test */
		conn_init(&relay_client, a[1], a[1], 0, NULL);
		conn_init(&relay_server, b[1], b[1], 0, NULL);
		if (pending != NULL) {
			size_t len = strlen(pending);

			/* As if read ahead by the login phase. */
			memcpy(relay_client.buf, pending, len);
			relay_client.end = len;
		}
		relay_run(&relay_client, &relay_server, &cfg, &n[0], &n[1]);
		if (write(c[1], n, sizeof(n)) != (ssize_t)sizeof(n))
			_exit(2);
		_exit(0);
	}
	close(a[1]);
	close(b[1]);
	close(c[1]);
	client = a[0];
	server = b[0];
	counts_fd = c[0];
}

/* Close both ends, wait for the relay; *received_r and *sent_r get its
 * counts. */
static void stop_relay(uint64_t *received_r, uint64_t *sent_r)
{
	uint64_t n[2];
	int status;

	close(client);
	close(server);
	ck_assert_int_eq(read(counts_fd, n, sizeof(n)), (ssize_t)sizeof(n));
	close(counts_fd);
	ck_assert_int_eq(waitpid(relay_pid, &status, 0), relay_pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	*received_r = n[0];
	*sent_r = n[1];
}

static void read_exactly(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		ck_assert_int_gt(n, 0);
		got += (size_t)n;
	}
}

/* The next bytes on fd are msg. */
static void expect(int fd, const char *msg)
{
	char buf[64];
	size_t len = strlen(msg);

	ck_assert_uint_lt(len, sizeof(buf));
	read_exactly(fd, buf, len);
	ck_assert_int_eq(memcmp(buf, msg, len), 0);
}

/* msg written on from arrives on to. */
static void pass(int from, int to, const char *msg)
{
	ck_assert_int_eq(write(from, msg, strlen(msg)), (ssize_t)strlen(msg));
	expect(to, msg);
}

START_TEST(test_short_messages)
{
	uint64_t rx, tx;

	start_relay(NULL, 0);
	for (int i = 0; i < 50; i++) {
		pass(client, server, "a NOOP\r\n");
		pass(server, client, "a OK done\r\n");
	}
	stop_relay(&rx, &tx);
	ck_assert_uint_eq(rx, 50 * 8);
	ck_assert_uint_eq(tx, 50 * 11);
}
END_TEST

START_TEST(test_after_idle)
{
	struct timespec ts = { 1, 300 * 1000 * 1000 };
	uint64_t rx, tx;

	start_relay(NULL, 0);
	pass(client, server, "a\r\n");
	/* Quiet long enough for the relay to give its login memory back. */
	nanosleep(&ts, NULL);
	pass(server, client, "* OK still\r\n");
	pass(client, server, "b\r\n");
	stop_relay(&rx, &tx);
	ck_assert_uint_eq(rx, 6);
	ck_assert_uint_eq(tx, 12);
}
END_TEST

START_TEST(test_pending_bytes_first)
{
	uint64_t rx, tx;

	start_relay("b LOGOUT\r\n", 0);
	expect(server, "b LOGOUT\r\n");
	pass(client, server, "c X\r\n");
	stop_relay(&rx, &tx);
	ck_assert_uint_eq(rx, 15);
	ck_assert_uint_eq(tx, 0);
}
END_TEST

/* A byte pattern no shifted or repeated chunk can match. */
static unsigned char pattern(uint64_t i)
{
	return (unsigned char)((i * 2654435761u) >> 13);
}

/* The server sends total bytes in writes of chunk bytes; the client
 * reads them, pausing first when slow is set so that the relay meets a
 * full socket.  Every byte is checked. */
static void bulk(size_t total, size_t chunk, bool slow)
{
	static unsigned char out[65536], in[65536];
	uint64_t rx, tx, got = 0;
	pid_t writer;
	int status;

	start_relay(NULL, slow ? 4096 : 0);
	writer = fork();
	ck_assert_int_ge(writer, 0);
	if (writer == 0) {
		uint64_t sent = 0;

		alarm(30);
		while (sent < total) {
			size_t n = total - sent < chunk ? total - sent : chunk;

			for (size_t i = 0; i < n; i++)
				out[i] = pattern(sent + i);
			if (write(server, out, n) != (ssize_t)n)
				_exit(1);
			sent += n;
			if (slow && sent % 64000 == 0) {
				/* Let the relay read short, in copy mode. */
				struct timespec ts = { 0, 1000 * 1000 };

				nanosleep(&ts, NULL);
			}
		}
		_exit(0);
	}
	if (slow) {
		/* Not reading yet: the relay meets a full socket. */
		struct timespec ts = { 0, 300 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	while (got < total) {
		ssize_t n = read(client, in, sizeof(in));

		ck_assert_int_gt(n, 0);
		for (ssize_t i = 0; i < n; i++)
			if (in[i] != pattern(got + (uint64_t)i))
				ck_abort_msg("byte %llu differs",
					     (unsigned long long)(got + (uint64_t)i));
		got += (uint64_t)n;
	}
	ck_assert_int_eq(waitpid(writer, &status, 0), writer);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	stop_relay(&rx, &tx);
	ck_assert_uint_eq(rx, 0);
	ck_assert_uint_eq(tx, total);
}

START_TEST(test_bulk_large_writes)
{
	bulk(8 * 1024 * 1024, 65536, false);
}
END_TEST

START_TEST(test_bulk_small_writes_slow_reader)
{
	bulk(4 * 1024 * 1024, 1000, true);
}
END_TEST

START_TEST(test_exactly_one_buffer)
{
	/* A read that fills the buffer switches the lane to splice. */
	bulk(sizeof(relay_server.buf), sizeof(relay_server.buf), false);
}
END_TEST

static void count_relog(void *arg)
{
	(*(unsigned *)arg)++;
}

/* Nothing moves: connect_relog's callback runs every relog_interval
 * seconds until the idle timeout ends the relay. */
START_TEST(test_idle_timeout_and_relog)
{
	unsigned relogs = 0;
	const struct relay_config cfg = {
		.timeout = 2, .relog_interval = 1, .relog = count_relog, .relog_arg = &relogs,
	};
	uint64_t rx, tx;
	int a[2], b[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
	conn_init(&relay_client, a[1], a[1], 0, NULL);
	conn_init(&relay_server, b[1], b[1], 0, NULL);
	ck_assert_int_eq(relay_run(&relay_client, &relay_server, &cfg, &rx, &tx), RELAY_TIMEOUT);
	ck_assert_uint_ge(relogs, 1);
	ck_assert_uint_eq(rx, 0);
	ck_assert_uint_eq(tx, 0);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("relay");
	TCase *tc = tcase_create("plain");
	SRunner *sr;
	int failed;

	signal(SIGPIPE, SIG_IGN);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_short_messages);
	tcase_add_test(tc, test_after_idle);
	tcase_add_test(tc, test_pending_bytes_first);
	tcase_add_test(tc, test_bulk_large_writes);
	tcase_add_test(tc, test_bulk_small_writes_slow_reader);
	tcase_add_test(tc, test_exactly_one_buffer);
	tcase_add_test(tc, test_idle_timeout_and_relog);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
