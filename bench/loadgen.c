/*
 * loadgen.c: the benchmark's load generator.  One process, one epoll
 * loop, non-blocking sockets (optionally TLS), driving many POP3 or
 * IMAP sessions at once:
 *
 *   login  connect, greeting, USER/PASS or LOGIN, QUIT/LOGOUT, at a
 *          fixed concurrency, for a count or a time;
 *   fetch  log in and fetch message 1 (RETR 1 or FETCH 1 BODY[]) a
 *          number of times, checking its size and checksum;
 *   hold   log in N sessions and keep them until a line arrives on
 *          stdin, then log them all out;
 *   sum    print the size and checksum of a file (for fetch's -S/-K).
 *
 * Every reply is checked; one summary line of key=value pairs goes to
 * stdout.  The exit status is 0 only when nothing failed.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifdef WITH_SSL_SUPPORT
#include <openssl/err.h>
#include <openssl/ssl.h>
#endif

#define LINE_MAX_LEN 8192
#define SCRATCH_SIZE (1024 * 1024)

enum mode { M_LOGIN, M_FETCH, M_HOLD };
enum proto { P_POP3, P_IMAP };

enum state {
	ST_CONNECT, ST_TLS, ST_GREET, ST_USER, ST_PASS, ST_LOGIN, ST_SELECT,
	ST_FETCH_HDR, ST_FETCH_BODY, ST_FETCH_TAIL, ST_HELD, ST_QUIT,
	ST_DONE,
};

static const char *const state_names[] = {
	"connect", "tls", "greeting", "user", "pass", "login", "select",
	"fetch-header",
	"fetch-body", "fetch-tail", "held", "quit", "done",
};

struct cx {
	int fd;
	enum state st;
#ifdef WITH_SSL_SUPPORT
	SSL *ssl;
#endif
	uint32_t events;   /* what epoll waits for now */
	double t0;         /* connect() called */
	double t_fetch;    /* fetch command sent */
	unsigned fetches;  /* fetches left */
	uint64_t left;     /* body bytes still to read */
	uint64_t hash;
	unsigned char carry[8];
	unsigned ncarry;
	size_t inlen;
	size_t outoff, outlen;
	char out[512];
	char in[LINE_MAX_LEN];
};

/* Settings from the command line. */
static enum mode mode;
static enum proto proto;
static struct sockaddr_in addr;
static const char *user = "bench", *pass = "benchpw";
static unsigned concurrency = 1;
static unsigned long count_limit;     /* 0: no limit */
static double time_limit;             /* 0: no limit */
static double deadline_secs = 120;    /* whole run */
static unsigned long hold_n = 200;
static unsigned fetch_reps = 1;
static uint64_t expect_size;
static uint64_t expect_sum;
static bool use_tls;
static int verbose;

#ifdef WITH_SSL_SUPPORT
static SSL_CTX *ssl_ctx;
#endif

/* Counters. */
static unsigned long started, ok, failed, active, held, logged_in;
static unsigned long errors_shown;
static double *lat;
static size_t nlat, lat_cap;
static uint64_t fetched_bytes;
static double fetch_secs;
static int ep;
static unsigned char scratch[SCRATCH_SIZE];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("loadgen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/* ------------------------------------------------------------ checksum */

/* A streaming 64-bit hash over 8-byte words: fast enough not to limit
 * the fetch, strong enough to notice lost, repeated or moved bytes. */
static uint64_t mix(uint64_t h, uint64_t w)
{
	h ^= w;
	h = (h << 29) | (h >> 35);
	return h * 0x9e3779b97f4a7c15ULL;
}

static void hash_init(struct cx *c)
{
	c->hash = 0x243f6a8885a308d3ULL;
	c->ncarry = 0;
}

static void hash_update(struct cx *c, const unsigned char *p, size_t n)
{
	uint64_t w;

	while (c->ncarry > 0 && c->ncarry < 8 && n > 0) {
		c->carry[c->ncarry++] = *p++;
		n--;
	}
	if (c->ncarry == 8) {
		memcpy(&w, c->carry, 8);
		c->hash = mix(c->hash, w);
		c->ncarry = 0;
	}
	while (n >= 8) {
		memcpy(&w, p, 8);
		c->hash = mix(c->hash, w);
		p += 8;
		n -= 8;
	}
	while (n > 0) {
		c->carry[c->ncarry++] = *p++;
		n--;
	}
}

static uint64_t hash_final(struct cx *c, uint64_t size)
{
	uint64_t w = 0;

	if (c->ncarry > 0) {
		memcpy(&w, c->carry, c->ncarry);
		c->hash = mix(c->hash, w ^ ((uint64_t)c->ncarry << 56));
	}
	return mix(c->hash, size);
}

static int cmd_sum(const char *path)
{
	static struct cx c;
	FILE *f = fopen(path, "rb");
	uint64_t size = 0;
	size_t n;

	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	hash_init(&c);
	while ((n = fread(scratch, 1, sizeof(scratch), f)) > 0) {
		hash_update(&c, scratch, n);
		size += n;
	}
	fclose(f);
	printf("size=%" PRIu64 " sum=%016" PRIx64 "\n", size, hash_final(&c, size));
	return 0;
}

/* ------------------------------------------------------------ sessions */

static void cx_fail(struct cx *c, const char *why, const char *line);
static void cx_finish(struct cx *c, bool good);
static void process_input(struct cx *c);

static void set_events(struct cx *c, uint32_t ev)
{
	struct epoll_event e = { .events = ev, .data.ptr = c };

	if (c->events == ev)
		return;
	c->events = ev;
	if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e) < 0)
		die("epoll_ctl: %s", strerror(errno));
}

/* Read up to n bytes: > 0, 0 EOF, -1 error, -2 try later. */
static ssize_t io_read(struct cx *c, void *buf, size_t n)
{
	ssize_t r;

#ifdef WITH_SSL_SUPPORT
	if (c->ssl != NULL) {
		int e;
		r = SSL_read(c->ssl, buf, (int)(n > INT32_MAX ? INT32_MAX : n));
		if (r > 0)
			return r;
		e = SSL_get_error(c->ssl, (int)r);
		if (e == SSL_ERROR_WANT_READ) {
			set_events(c, EPOLLIN);
			return -2;
		}
		if (e == SSL_ERROR_WANT_WRITE) {
			set_events(c, EPOLLOUT);
			return -2;
		}
		return e == SSL_ERROR_ZERO_RETURN ? 0 : -1;
	}
#endif
	r = read(c->fd, buf, n);
	if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
		set_events(c, EPOLLIN);
		return -2;
	}
	return r;
}

/* Write what is queued.  Returns 0 done, -2 later, -1 error. */
static int io_flush(struct cx *c)
{
	while (c->outoff < c->outlen) {
		ssize_t r;
		const char *p = c->out + c->outoff;
		size_t n = c->outlen - c->outoff;
#ifdef WITH_SSL_SUPPORT
		if (c->ssl != NULL) {
			int e;
			r = SSL_write(c->ssl, p, (int)n);
			if (r <= 0) {
				e = SSL_get_error(c->ssl, (int)r);
				if (e == SSL_ERROR_WANT_WRITE) {
					set_events(c, EPOLLOUT);
					return -2;
				}
				if (e == SSL_ERROR_WANT_READ) {
					set_events(c, EPOLLIN);
					return -2;
				}
				return -1;
			}
		} else
#endif
		{
			r = send(c->fd, p, n, MSG_NOSIGNAL);
			if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
				set_events(c, EPOLLOUT);
				return -2;
			}
			if (r <= 0)
				return -1;
		}
		c->outoff += (size_t)r;
	}
	set_events(c, EPOLLIN);
	return 0;
}

/* Queue one command (one write, as a real client) and enter st. */
static void cx_send(struct cx *c, enum state st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void cx_send(struct cx *c, enum state st, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->out, sizeof(c->out), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(c->out))
		die("command too long");
	c->outoff = 0;
	c->outlen = (size_t)n;
	c->st = st;
	if (io_flush(c) == -1)
		cx_fail(c, "write failed", strerror(errno));
}

static void send_login(struct cx *c)
{
	if (proto == P_POP3)
		cx_send(c, ST_USER, "USER %s\r\n", user);
	else
		cx_send(c, ST_LOGIN, "a LOGIN %s %s\r\n", user, pass);
}

static void send_quit(struct cx *c)
{
	if (proto == P_POP3)
		cx_send(c, ST_QUIT, "QUIT\r\n");
	else
		cx_send(c, ST_QUIT, "c LOGOUT\r\n");
}

static void start_fetch(struct cx *c)
{
	hash_init(c);
	c->t_fetch = now();
	if (proto == P_POP3)
		cx_send(c, ST_FETCH_HDR, "RETR 1\r\n");
	else
		cx_send(c, ST_FETCH_HDR, "b FETCH 1 BODY[]\r\n");
}

static void add_latency(double v)
{
	if (nlat == lat_cap) {
		lat_cap = lat_cap ? lat_cap * 2 : 4096;
		lat = realloc(lat, lat_cap * sizeof(*lat));
		if (lat == NULL)
			die("out of memory");
	}
	lat[nlat++] = v;
}

static void login_done(struct cx *c)
{
	add_latency(now() - c->t0);
	logged_in++;
	switch (mode) {
	case M_FETCH:
		c->fetches = fetch_reps;
		if (proto == P_IMAP)
			cx_send(c, ST_SELECT, "s EXAMINE INBOX\r\n");
		else
			start_fetch(c);
		break;
	case M_HOLD:
		c->st = ST_HELD;
		held++;
		break;
	default:
		send_quit(c);
		break;
	}
}

static void fetch_done(struct cx *c)
{
	uint64_t sum = hash_final(c, expect_size);

	if (expect_sum != 0 && sum != expect_sum) {
		char b[64];
		snprintf(b, sizeof(b), "%016" PRIx64, sum);
		cx_fail(c, "checksum mismatch", b);
		return;
	}
	fetched_bytes += expect_size;
	fetch_secs += now() - c->t_fetch;
	if (--c->fetches > 0)
		start_fetch(c);
	else
		send_quit(c);
}

static bool prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* The size of the literal that ends an IMAP line ("... {123}"), or -1. */
static long long literal_size(const char *line, size_t len)
{
	const char *open;
	char *end;
	long long v;

	if (len < 3 || line[len - 1] != '}')
		return -1;
	open = memrchr(line, '{', len);
	if (open == NULL)
		return -1;
	errno = 0;
	v = strtoll(open + 1, &end, 10);
	if (errno != 0 || end != line + len - 1 || v < 0)
		return -1;
	return v;
}

static void handle_line(struct cx *c, const char *line, size_t len)
{
	switch (c->st) {
	case ST_GREET:
		if (proto == P_POP3 ? prefix(line, "+OK") : prefix(line, "* OK"))
			send_login(c);
		else
			cx_fail(c, "bad greeting", line);
		break;
	case ST_USER:
		if (prefix(line, "+OK"))
			cx_send(c, ST_PASS, "PASS %s\r\n", pass);
		else
			cx_fail(c, "USER refused", line);
		break;
	case ST_PASS:
		if (prefix(line, "+OK"))
			login_done(c);
		else
			cx_fail(c, "PASS refused", line);
		break;
	case ST_LOGIN:
		if (prefix(line, "* "))
			break;
		if (prefix(line, "a OK"))
			login_done(c);
		else
			cx_fail(c, "LOGIN refused", line);
		break;
	case ST_SELECT:
		if (prefix(line, "* "))
			break;
		if (prefix(line, "s OK"))
			start_fetch(c);
		else
			cx_fail(c, "EXAMINE refused", line);
		break;
	case ST_FETCH_HDR:
		if (proto == P_POP3) {
			if (!prefix(line, "+OK")) {
				cx_fail(c, "RETR refused", line);
				break;
			}
		} else {
			long long n = literal_size(line, len);
			if (prefix(line, "* ") && n < 0)
				break;
			if (n < 0) {
				cx_fail(c, "FETCH refused", line);
				break;
			}
			if ((uint64_t)n != expect_size) {
				cx_fail(c, "FETCH literal of the wrong size", line);
				break;
			}
		}
		c->left = expect_size;
		c->st = ST_FETCH_BODY;
		break;
	case ST_FETCH_TAIL:
		if (proto == P_POP3) {
			if (strcmp(line, ".") == 0)
				fetch_done(c);
			else
				cx_fail(c, "bytes after the message", line);
		} else {
			if (prefix(line, "b OK"))
				fetch_done(c);
			else if (!prefix(line, ")") && !prefix(line, "* "))
				cx_fail(c, "bad FETCH end", line);
		}
		break;
	case ST_QUIT:
		if (proto == P_POP3 ? prefix(line, "+OK") : prefix(line, "c OK"))
			cx_finish(c, true);
		else if (proto == P_POP3 || !prefix(line, "* "))
			cx_fail(c, "QUIT/LOGOUT refused", line);
		break;
	case ST_HELD:
		/* IMAP servers may send untagged news; POP3 must be quiet. */
		if (proto == P_POP3 || !prefix(line, "* "))
			cx_fail(c, "unexpected line while held", line);
		break;
	default:
		cx_fail(c, "line in wrong state", line);
		break;
	}
}

/* Take body bytes from the line buffer first. */
static void take_body(struct cx *c, const unsigned char *p, size_t n)
{
	hash_update(c, p, n);
	c->left -= n;
	if (c->left == 0)
		c->st = ST_FETCH_TAIL;
}

static void process_input(struct cx *c)
{
	size_t pos = 0;

	while (pos < c->inlen && c->st != ST_DONE) {
		char *nl;
		size_t len;

		if (c->st == ST_FETCH_BODY) {
			size_t n = c->inlen - pos;
			if (n > c->left)
				n = (size_t)c->left;
			take_body(c, (unsigned char *)c->in + pos, n);
			pos += n;
			continue;
		}
		nl = memchr(c->in + pos, '\n', c->inlen - pos);
		if (nl == NULL)
			break;
		len = (size_t)(nl - (c->in + pos));
		*nl = '\0';
		if (len > 0 && c->in[pos + len - 1] == '\r')
			c->in[pos + --len] = '\0';
		handle_line(c, c->in + pos, len);
		pos = (size_t)(nl - c->in) + 1;
	}
	if (c->st == ST_DONE)
		return;
	if (pos > 0) {
		memmove(c->in, c->in + pos, c->inlen - pos);
		c->inlen -= pos;
	}
	if (c->inlen == sizeof(c->in) - 1)
		cx_fail(c, "line too long", "");
}

static void on_readable(struct cx *c)
{
	for (;;) {
		ssize_t r;

		if (c->st == ST_FETCH_BODY) {
			size_t want = sizeof(scratch);
			if (want > c->left)
				want = (size_t)c->left;
			r = io_read(c, scratch, want);
			if (r > 0) {
				take_body(c, scratch, (size_t)r);
				continue;
			}
		} else {
			r = io_read(c, c->in + c->inlen, sizeof(c->in) - 1 - c->inlen);
			if (r > 0) {
				c->inlen += (size_t)r;
				process_input(c);
				if (c->st == ST_DONE)
					return;
				/* A queued command waits for POLLOUT first. */
				if (c->outoff < c->outlen)
					return;
				continue;
			}
		}
		if (r == -2)
			return;
		if (r == 0)
			cx_fail(c, "connection closed", state_names[c->st]);
		else
			cx_fail(c, "read error", strerror(errno));
		return;
	}
}

#ifdef WITH_SSL_SUPPORT
static void tls_step(struct cx *c)
{
	int r = SSL_connect(c->ssl), e;

	if (r == 1) {
		c->st = ST_GREET;
		set_events(c, EPOLLIN);
		on_readable(c);
		return;
	}
	e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ)
		set_events(c, EPOLLIN);
	else if (e == SSL_ERROR_WANT_WRITE)
		set_events(c, EPOLLOUT);
	else
		cx_fail(c, "TLS handshake failed",
			ERR_reason_error_string(ERR_peek_last_error()) ?: "?");
}
#endif

static void on_event(struct cx *c, uint32_t ev)
{
	if (c->st == ST_CONNECT) {
		int err = 0;
		socklen_t len = sizeof(err);

		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err != 0) {
			cx_fail(c, "connect failed", strerror(err));
			return;
		}
#ifdef WITH_SSL_SUPPORT
		if (use_tls) {
			c->ssl = SSL_new(ssl_ctx);
			if (c->ssl == NULL)
				die("SSL_new failed");
			SSL_set_fd(c->ssl, c->fd);
			c->st = ST_TLS;
			tls_step(c);
			return;
		}
#endif
		c->st = ST_GREET;
		set_events(c, EPOLLIN);
		return;
	}
#ifdef WITH_SSL_SUPPORT
	if (c->st == ST_TLS) {
		tls_step(c);
		return;
	}
#endif
	if (c->outoff < c->outlen) {
		int r = io_flush(c);
		if (r == -1)
			cx_fail(c, "write failed", strerror(errno));
		if (r != 0)
			return;
	}
	if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR) || c->events == EPOLLIN)
		on_readable(c);
}

static void cx_close(struct cx *c)
{
#ifdef WITH_SSL_SUPPORT
	if (c->ssl != NULL) {
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
#endif
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->st = ST_DONE;
	if (active > 0)
		active--;
}

static void cx_finish(struct cx *c, bool good)
{
	if (good)
		ok++;
	else
		failed++;
	cx_close(c);
}

static void cx_fail(struct cx *c, const char *why, const char *line)
{
	if (errors_shown < 10 || verbose) {
		char esc[200];
		size_t j = 0;
		for (size_t i = 0; line[i] != '\0' && j + 5 < sizeof(esc); i++) {
			unsigned char ch = (unsigned char)line[i];
			if (ch >= 0x20 && ch < 0x7f)
				esc[j++] = (char)ch;
			else
				j += (size_t)snprintf(esc + j, sizeof(esc) - j, "\\x%02x", ch);
		}
		esc[j] = '\0';
		fprintf(stderr, "loadgen: session failed in %s: %s: %s\n",
			state_names[c->st], why, esc);
		errors_shown++;
	}
	if (c->st == ST_HELD && held > 0)
		held--;
	cx_finish(c, false);
}

/* Start one session in c.  Returns false if the socket could not be made. */
static bool cx_start(struct cx *c)
{
	struct epoll_event e;
	int one = 1;

	memset(c, 0, offsetof(struct cx, in));
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		c->st = ST_DONE;
		fprintf(stderr, "loadgen: socket: %s\n", strerror(errno));
		failed++;
		return false;
	}
	/* As a real client: commands go out at once. */
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	started++;
	active++;
	c->t0 = now();
	c->st = ST_CONNECT;
	c->events = EPOLLOUT;
	e.events = EPOLLOUT;
	e.data.ptr = c;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e) < 0)
		die("epoll_ctl add: %s", strerror(errno));
	if (connect(c->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 &&
	    errno != EINPROGRESS) {
		cx_fail(c, "connect failed", strerror(errno));
		return false;
	}
	return true;
}

/* ------------------------------------------------------------ runs */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double p)
{
	size_t i;

	if (nlat == 0)
		return 0;
	i = (size_t)(p * (double)nlat);
	if (i >= nlat)
		i = nlat - 1;
	return lat[i];
}

static void poll_once(int ms)
{
	struct epoll_event evs[256];
	int n = epoll_wait(ep, evs, 256, ms);

	if (n < 0 && errno != EINTR)
		die("epoll_wait: %s", strerror(errno));
	for (int i = 0; i < n; i++) {
		struct cx *c = evs[i].data.ptr;
		if (c->st != ST_DONE)
			on_event(c, evs[i].events);
	}
}

static void report_latency(void)
{
	double sum = 0;

	qsort(lat, nlat, sizeof(*lat), cmp_double);
	for (size_t i = 0; i < nlat; i++)
		sum += lat[i];
	printf(" p50_ms=%.3f p99_ms=%.3f mean_ms=%.3f",
	       pct(0.50) * 1e3, pct(0.99) * 1e3, nlat ? sum / (double)nlat * 1e3 : 0.0);
}

static const char *proto_name(void)
{
	return proto == P_POP3 ? "pop3" : "imap";
}

/* login and fetch: keep `concurrency` sessions going until the count or
 * the time is used up. */
static int run_sessions(void)
{
	unsigned n = mode == M_FETCH ? 1 : concurrency;
	struct cx *cxs = calloc(n, sizeof(*cxs));
	double t0 = now(), stop_at = time_limit > 0 ? t0 + time_limit : 0;
	double end = t0 + deadline_secs, secs;
	unsigned long limit = mode == M_FETCH ? 1 : count_limit;

	if (cxs == NULL)
		die("out of memory");
	for (unsigned i = 0; i < n; i++)
		cxs[i].st = ST_DONE;
	for (;;) {
		double t = now();
		bool more = (limit == 0 || started < limit) &&
			    (stop_at == 0 || t < stop_at);

		if (more) {
			for (unsigned i = 0; i < n; i++) {
				if (cxs[i].st == ST_DONE &&
				    (limit == 0 || started < limit))
					cx_start(&cxs[i]);
			}
		}
		if (active == 0 && !more)
			break;
		if (t > end) {
			for (unsigned i = 0; i < n; i++)
				if (cxs[i].st != ST_DONE)
					cx_fail(&cxs[i], "deadline passed", "");
			break;
		}
		poll_once(100);
	}
	secs = now() - t0;
	printf("mode=%s proto=%s tls=%d c=%u ok=%lu fail=%lu secs=%.3f rate=%.1f",
	       mode == M_FETCH ? "fetch" : "login", proto_name(), use_tls, n, ok,
	       failed, secs, secs > 0 ? (double)ok / secs : 0.0);
	report_latency();
	if (mode == M_FETCH)
		printf(" bytes=%" PRIu64 " fetch_secs=%.4f mbps=%.1f", fetched_bytes,
		       fetch_secs, fetch_secs > 0 ? (double)fetched_bytes / fetch_secs / 1e6 : 0.0);
	printf("\n");
	free(cxs);
	return failed == 0 && ok > 0 ? 0 : 1;
}

/* hold: open hold_n sessions, `concurrency` logins in flight, report,
 * wait for a line on stdin, log out. */
static int run_hold(void)
{
	struct cx *cxs = calloc(hold_n, sizeof(*cxs));
	double t0 = now(), end = t0 + deadline_secs;
	unsigned long next = 0, held_max;
	char line[64];
	int rc;

	if (cxs == NULL)
		die("out of memory");
	for (unsigned long i = 0; i < hold_n; i++)
		cxs[i].st = ST_DONE;
	while (now() < end) {
		unsigned long inflight = active - held;
		while (next < hold_n && inflight < concurrency) {
			if (!cx_start(&cxs[next++]))
				break;
			inflight++;
		}
		if (next >= hold_n && active == held)
			break;
		/* Stop opening after the first failure: the most held is
		 * what we have then. */
		if (failed > 0 && active == held)
			break;
		if (failed > 0)
			next = hold_n;
		poll_once(100);
	}
	/* At the deadline, sessions still logging in are given up (they
	 * are not failures: the run was out of time, not the server). */
	for (unsigned long i = 0; i < next; i++)
		if (cxs[i].st != ST_DONE && cxs[i].st != ST_HELD)
			cx_close(&cxs[i]);
	held_max = held;
	printf("mode=hold proto=%s tls=%d held=%lu fail=%lu secs=%.3f timed_out=%d",
	       proto_name(), use_tls, held, failed, now() - t0, held < hold_n && failed == 0);
	report_latency();
	printf("\nHELD\n");
	fflush(stdout);
	/* The driver measures now; it writes a line when done. */
	while (fgets(line, sizeof(line), stdin) == NULL && !feof(stdin))
		;
	{
		/* Connections dropped while we were waiting are failures. */
		unsigned long before = failed;
		for (int k = 0; k < 3; k++)
			poll_once(0);
		rc = failed == before ? 0 : 1;
	}
	for (unsigned long i = 0; i < hold_n; i++)
		if (cxs[i].st == ST_HELD)
			send_quit(&cxs[i]);
	end = now() + 60;
	while (active > 0 && now() < end)
		poll_once(100);
	printf("mode=hold-end held=%lu ok=%lu fail=%lu\n", held_max, ok, failed);
	free(cxs);
	return rc == 0 && failed == 0 && held_max == hold_n ? 0 : 1;
}

static void usage(void)
{
	fputs("usage: loadgen login|fetch|hold [-P pop3|imap] [-H ip] -p port\n"
	      "         [-u user] [-w pass] [-c concurrency] [-n count] [-t secs]\n"
	      "         [-N sessions] [-r reps] [-S size] [-K sum] [-s] [-T deadline]\n"
	      "       loadgen sum FILE\n", stderr);
	exit(2);
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || *end != '\0' || end == s)
		die("bad number: %s", s);
	return v;
}

int main(int argc, char **argv)
{
	const char *host = "127.0.0.1";
	unsigned long port = 0;
	struct rlimit rl;
	int o;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "sum") == 0) {
		if (argc != 3)
			usage();
		return cmd_sum(argv[2]);
	}
	if (strcmp(argv[1], "login") == 0)
		mode = M_LOGIN;
	else if (strcmp(argv[1], "fetch") == 0)
		mode = M_FETCH;
	else if (strcmp(argv[1], "hold") == 0)
		mode = M_HOLD;
	else
		usage();
	argv++;
	argc--;
	while ((o = getopt(argc, argv, "P:H:p:u:w:c:n:t:N:r:S:K:sT:v")) != -1) {
		switch (o) {
		case 'P':
			if (strcmp(optarg, "pop3") == 0)
				proto = P_POP3;
			else if (strcmp(optarg, "imap") == 0)
				proto = P_IMAP;
			else
				usage();
			break;
		case 'H': host = optarg; break;
		case 'p': port = num(optarg); break;
		case 'u': user = optarg; break;
		case 'w': pass = optarg; break;
		case 'c': concurrency = (unsigned)num(optarg); break;
		case 'n': count_limit = num(optarg); break;
		case 't': time_limit = strtod(optarg, NULL); break;
		case 'N': hold_n = num(optarg); break;
		case 'r': fetch_reps = (unsigned)num(optarg); break;
		case 'S': expect_size = num(optarg); break;
		case 'K': expect_sum = strtoull(optarg, NULL, 16); break;
		case 's': use_tls = true; break;
		case 'T': deadline_secs = strtod(optarg, NULL); break;
		case 'v': verbose++; break;
		default: usage();
		}
	}
	if (port == 0 || port > 65535 || concurrency == 0 || fetch_reps == 0)
		usage();
	if (mode == M_FETCH && expect_size == 0)
		die("fetch needs -S size");
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1)
		die("bad address %s", host);

	/* Many sessions need many descriptors: take the hard limit. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
#ifdef WITH_SSL_SUPPORT
	if (use_tls) {
		ssl_ctx = SSL_CTX_new(TLS_client_method());
		if (ssl_ctx == NULL)
			die("SSL_CTX_new failed");
		SSL_CTX_set_verify(ssl_ctx, SSL_VERIFY_NONE, NULL);
		/* Every login pays a full handshake, as a new client would. */
		SSL_CTX_set_session_cache_mode(ssl_ctx, SSL_SESS_CACHE_OFF);
	}
#else
	if (use_tls)
		die("built without TLS support");
#endif
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		die("epoll_create1: %s", strerror(errno));
	if (mode == M_HOLD)
		return run_hold();
	return run_sessions();
}
