/*
 * proxy_read.c: read a PROXY protocol header from a socket before anything
 * else reads it: bounded in bytes and in time, and never past the header,
 * so the protocol's own reader (conn.c) starts at the client's first byte.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "proxy_read.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read exactly want bytes into buf before deadline.  0, or -1 with
 * *reason. */
static int read_exact(int fd, unsigned char *buf, size_t want, long long deadline,
		      const char **reason)
{
	size_t have = 0;

	while (have < want) {
		long long left = deadline - now_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int r;

		if (left <= 0) {
			*reason = "timeout";
			return -1;
		}
		r = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (r < 0 && errno != EINTR) {
			*reason = "read error";
			return -1;
		}
		if (r <= 0)
			continue;
		n = read(fd, buf + have, want - have);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			*reason = n == 0 ? "truncated (connection closed)" : "read error";
			return -1;
		}
		have += (size_t)n;
	}
	return 0;
}

/* The rest of a v1 line, byte by byte (nothing tells its length). */
static int read_v1(int fd, unsigned char *buf, size_t *len, long long deadline,
		   const char **reason)
{
	while (buf[*len - 1] != '\n') {
		if (*len == PROXY_V1_MAX) {
			*reason = "v1 header too long";
			return -1;
		}
		if (read_exact(fd, buf + *len, 1, deadline, reason) < 0)
			return -1;
		(*len)++;
		if (proxy_header_version(buf, *len) != 1) {
			*reason = "not a PROXY header";
			return -1;
		}
	}
	return 0;
}

int proxy_read_header(int fd, unsigned timeout_ms, struct proxy_header *h, const char **reason)
{
	unsigned char buf[PROXY_HEADER_MAX];
	long long deadline = now_ms() + timeout_ms;
	size_t len = 0;
	long total;

	/* The first byte tells the version ('P' or '\r'). */
	if (read_exact(fd, buf, 1, deadline, reason) < 0)
		return -1;
	len = 1;
	switch (proxy_header_version(buf, len)) {
	case 1:
		if (read_v1(fd, buf, &len, deadline, reason) < 0)
			return -1;
		break;
	case 2:
		/* Every v2 header is at least its 16-byte head long. */
		if (read_exact(fd, buf + 1, PROXY_V2_HEAD - 1, deadline, reason) < 0)
			return -1;
		total = proxy_header_v2_total(buf, reason);
		if (total < 0)
			return -1;
		len = (size_t)total;
		if (read_exact(fd, buf + PROXY_V2_HEAD, len - PROXY_V2_HEAD, deadline, reason) < 0)
			return -1;
		break;
	default:
		*reason = "not a PROXY header";
		return -1;
	}
	return proxy_header_parse(buf, len, h, reason);
}
