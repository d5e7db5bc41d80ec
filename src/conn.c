/*
 * conn.c: bounded, buffered reads and complete writes on one side of a
 * session, over a plain descriptor or TLS.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef WITH_SSL_SUPPORT
#include <openssl/ssl.h>
#endif

#include "conn.h"
#include "log.h"

void conn_init(struct conn *c, int rfd, int wfd, unsigned timeout, const char *dump)
{
	/* Field by field: zeroing buf would dirty 8 KiB per conn per child
	 * for nothing (start == end means it holds no bytes). */
	c->rfd = rfd;
	c->wfd = wfd;
	c->timeout = timeout;
	c->deadline_ms = 0;
	c->stop = NULL;
	c->dump = dump;
	c->mask_dump = false;
	memset(&c->mask_in, 0, sizeof(c->mask_in));
	memset(&c->mask_out, 0, sizeof(c->mask_out));
	c->ssl = NULL;
	c->start = c->end = 0;
	c->in_bytes = c->out_bytes = 0;
	c->eof = false;
}

uint64_t conn_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void conn_set_deadline(struct conn *c, uint64_t deadline_ms)
{
	c->deadline_ms = deadline_ms;
}

void conn_set_stop(struct conn *c, const volatile sig_atomic_t *stop)
{
	c->stop = stop;
}

bool conn_deadline_passed(const struct conn *c)
{
	return c->deadline_ms != 0 && conn_now_ms() >= c->deadline_ms;
}

/* Seconds as poll() milliseconds; 0 = no limit (-1). */
static int secs_to_ms(unsigned secs)
{
	if (secs == 0)
		return -1;
	return secs > 2000000 ? 2000000000 : (int)secs * 1000;
}

int conn_timeout_now(const struct conn *c)
{
	int ms = secs_to_ms(c->timeout);
	uint64_t now, left;

	if (c->deadline_ms == 0)
		return ms;
	now = conn_now_ms();
	left = c->deadline_ms > now ? c->deadline_ms - now : 0;
	if (left > 2000000000u)
		left = 2000000000u;
	return ms < 0 || (uint64_t)ms > left ? (int)left : ms;
}

/* poll() one of c's descriptors, within ms (-1: no limit), through
 * EINTR; 0 (as a timeout) once c's stop flag is up. */
static int poll_one(const struct conn *c, int fd, short events, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	for (;;) {
		int r;

		if (c->stop != NULL && *c->stop)
			return 0;
		r = poll(&pfd, 1, ms);
		if (r < 0 && errno == EINTR)
			continue;
		return r < 0 ? -1 : r;
	}
}

/* Log traffic read (written, when out) on c under its label
 * (connection_logging); nothing without a label. */
static void dump(struct conn *c, bool out, const void *data, size_t len)
{
	static char esc[MAX_LINE_LENGTH * 4 + 1], masked[MAX_LINE_LENGTH * 4 + 1];
	const char *label = out ? (c->dump != NULL ? "SELF:  " : NULL) : c->dump;

	if (label == NULL)
		return;
	if (c->mask_dump) {
		len = dump_mask(out ? &c->mask_out : &c->mask_in, data, len, masked,
				sizeof(masked));
		data = masked;
	}
	log_escape(esc, sizeof(esc), data, len);
	log_msg(LOG_DEBUG, "%s \"%s\"", label, esc);
}

static bool tls_pending(const struct conn *c)
{
#ifdef WITH_SSL_SUPPORT
	if (c->ssl != NULL)
		return SSL_pending(c->ssl) > 0;
#else
	(void)c;
#endif
	return false;
}

int conn_wait_readable(struct conn *c, unsigned timeout)
{
	if (c->start < c->end || tls_pending(c))
		return 1;
	return poll_one(c, c->rfd, POLLIN, secs_to_ms(timeout));
}

/* One read from the peer into dst.  Returns bytes, 0 on EOF, -1 error. */
static ssize_t raw_read(struct conn *c, void *dst, size_t n)
{
#ifdef WITH_SSL_SUPPORT
	if (c->ssl != NULL) {
		int r = SSL_read(c->ssl, dst, n > INT32_MAX ? INT32_MAX : (int)n);
		if (r > 0)
			return r;
		int e = SSL_get_error(c->ssl, r);
		if (e == SSL_ERROR_ZERO_RETURN)
			return 0;
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
			errno = EAGAIN;
			return -1;
		}
		errno = EIO;
		return -1;
	}
#endif
	return read(c->rfd, dst, n);
}

/* Refill the buffer (compacting it first).  Returns CONN_OK, CONN_EOF,
 * CONN_ERROR or CONN_TIMEOUT. */
static int fill(struct conn *c)
{
	ssize_t r;

	if (c->eof)
		return CONN_EOF;
	if (c->start > 0) {
		memmove(c->buf, c->buf + c->start, c->end - c->start);
		c->end -= c->start;
		c->start = 0;
	}
	for (;;) {
		/* Past the deadline nothing more is read, however fast the
		 * peer sends; a partial line buffered does not skip the wait. */
		int w = conn_deadline_passed(c) ? 0 : tls_pending(c) ? 1 :
			poll_one(c, c->rfd, POLLIN, conn_timeout_now(c));
		if (w == 0)
			return CONN_TIMEOUT;
		if (w < 0)
			return CONN_ERROR;
		r = raw_read(c, c->buf + c->end, sizeof(c->buf) - c->end);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		break;
	}
	if (r < 0)
		return CONN_ERROR;
	if (r == 0) {
		c->eof = true;
		return CONN_EOF;
	}
	c->end += (size_t)r;
	c->in_bytes += (uint64_t)r;
	return CONN_OK;
}

int conn_await_data(struct conn *c)
{
	return c->start < c->end ? CONN_OK : fill(c);
}

int conn_read_line(struct conn *c, char *line, size_t max, size_t *len_r)
{
	size_t len = 0;
	bool toolong = false;

	*len_r = 0;
	line[0] = '\0';
	for (;;) {
		unsigned char *nl = memchr(c->buf + c->start, '\n', c->end - c->start);
		size_t avail = (nl != NULL ? (size_t)(nl - c->buf) : c->end) - c->start;
		size_t take = avail;

		if (!toolong) {
			if (len + take > max + 1) { /* +1: room for a CR we strip */
				toolong = true;
			} else {
				memcpy(line + len, c->buf + c->start, take);
				len += take;
			}
		}
		c->start += avail;
		if (nl != NULL) {
			c->start++; /* the LF */
			break;
		}
		int r = fill(c);
		if (r != CONN_OK) {
			/* A final line without LF is still a line; an EOF
			 * before anything was read is an EOF. */
			if (r == CONN_EOF && (len > 0 || toolong))
				break;
			return r;
		}
	}
	if (toolong)
		return CONN_TOOLONG;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > max)
		return CONN_TOOLONG;
	line[len] = '\0';
	*len_r = len;
	dump(c, false, line, len);
	return CONN_OK;
}

int conn_read_exact(struct conn *c, void *dst, size_t n)
{
	size_t got = 0;

	while (got < n) {
		if (c->start == c->end) {
			int r = fill(c);
			if (r != CONN_OK)
				return r;
		}
		size_t take = c->end - c->start;
		if (take > n - got)
			take = n - got;
		memcpy((char *)dst + got, c->buf + c->start, take);
		c->start += take;
		got += take;
	}
	dump(c, false, dst, n);
	return CONN_OK;
}

/* Wait until fd is ready for events, within the conn's timeout and
 * deadline: 0 ready, -1 not. */
static int wait_fd(const struct conn *c, int fd, short events)
{
	return poll_one(c, fd, events, conn_timeout_now(c)) > 0 ? 0 : -1;
}

int conn_write(struct conn *c, const void *buf, size_t n)
{
	const char *p = buf;
	size_t left = n;

	dump(c, true, buf, n);
	while (left > 0) {
		ssize_t w;
#ifdef WITH_SSL_SUPPORT
		if (c->ssl != NULL) {
			int r = SSL_write(c->ssl, p, left > INT32_MAX ? INT32_MAX : (int)left);
			if (r <= 0) {
				int e = SSL_get_error(c->ssl, r);
				if (e == SSL_ERROR_WANT_READ && wait_fd(c, c->rfd, POLLIN) == 0)
					continue;
				if (e == SSL_ERROR_WANT_WRITE && wait_fd(c, c->wfd, POLLOUT) == 0)
					continue;
				return -1;
			}
			w = r;
		} else
#endif
		{
			w = write(c->wfd, p, left);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0 && errno == EAGAIN && wait_fd(c, c->wfd, POLLOUT) == 0)
				continue;
			if (w <= 0)
				return -1;
		}
		p += w;
		left -= (size_t)w;
		c->out_bytes += (uint64_t)w;
	}
	return 0;
}

int conn_printf(struct conn *c, const char *fmt, ...)
{
	char buf[MAX_LINE_LENGTH * 2 + 64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(buf)) {
		/* Never send a cut line: keep the CRLF ending. */
		n = (int)sizeof(buf) - 1;
		buf[n - 2] = '\r';
		buf[n - 1] = '\n';
	}
	return conn_write(c, buf, (size_t)n);
}

ssize_t conn_read_some(struct conn *c, void *dst, size_t n)
{
	size_t have = c->end - c->start;
	ssize_t r;

	if (have > 0) {
		if (have > n)
			have = n;
		memcpy(dst, c->buf + c->start, have);
		c->start += have;
		return (ssize_t)have;
	}
	r = raw_read(c, dst, n);
	if (r > 0)
		c->in_bytes += (uint64_t)r;
	return r;
}

bool conn_has_pending(const struct conn *c)
{
	return c->start < c->end || tls_pending(c);
}

size_t conn_buffered(const struct conn *c)
{
	return c->end - c->start;
}

const unsigned char *conn_buffered_data(const struct conn *c)
{
	return c->buf + c->start;
}

void conn_discard(struct conn *c)
{
	c->start = c->end = 0;
}

void conn_close(struct conn *c)
{
#ifdef WITH_SSL_SUPPORT
	if (c->ssl != NULL) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
#endif
	if (c->rfd >= 0)
		close(c->rfd);
	if (c->wfd >= 0 && c->wfd != c->rfd)
		close(c->wfd);
	c->rfd = c->wfd = -1;
}
