/*
 * floor.c: the least a fork-per-connection proxy can do, as a yardstick
 * for bench.py: accept, fork, connect to the back-end, copy bytes both
 * ways until one side closes, exit; the parent reaps on SIGCHLD.  No
 * greeting of its own, no parsing, no logging, no second login: the
 * client's LOGIN goes straight through.  What it costs per login on a
 * machine is the floor under any daemon of this model there.
 *
 * Usage: floor LISTEN_PORT BACKEND_PORT   (both on 127.0.0.1)
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_chld;

static void on_chld(int sig)
{
	(void)sig;
	got_chld = 1;
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static void serve(int c, int backend_port) __attribute__((noreturn));
static void serve(int c, int backend_port)
{
	struct sockaddr_in b = loopback(backend_port);
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);
	struct pollfd p[2] = { { c, POLLIN, 0 }, { s, POLLIN, 0 } };
	char buf[8192];

	signal(SIGCHLD, SIG_DFL);
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (s < 0 || connect(s, (struct sockaddr *)&b, sizeof(b)) < 0)
		_exit(1);
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (;;) {
		if (poll(p, 2, -1) < 0)
			continue;
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].revents == 0)
				continue;
			n = read(p[i].fd, buf, sizeof(buf));
			if (n <= 0 || write(p[1 - i].fd, buf, (size_t)n) != n)
				_exit(0);
		}
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	struct sigaction sa = { .sa_handler = on_chld };
	int l, one = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: floor LISTEN_PORT BACKEND_PORT\n");
		return 2;
	}
	a = loopback(atoi(argv[1]));
	l = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1024) < 0) {
		perror("floor: listen");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGCHLD, &sa, NULL); /* no SA_RESTART: accept returns */
	for (;;) {
		int c = accept(l, NULL, NULL);

		if (got_chld) {
			got_chld = 0;
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
		}
		if (c < 0)
			continue;
		if (fork() == 0) {
			close(l);
			serve(c, atoi(argv[2]));
		}
		close(c);
	}
}
