/*
 * relay.c: move bytes both ways after login.
 *
 * Plain sockets (and pipes) use splice(2) through a pipe per direction, so
 * the payload of a bulk transfer never enters user space; until a
 * direction sees one, it copies through a buffer (see struct lane).  TLS
 * on either side uses one buffer per direction with SSL_pending honoured.
 * Either way the relay ends when a side closes or nothing moved for the
 * idle timeout.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "defs.h"
#include "log.h"
#include "relay.h"

static time_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* What both relays keep track of. */
struct relay {
	struct conn *client, *server;
	const struct relay_config *cfg;
	time_t last;       /* when bytes last moved */
	time_t next_relog; /* 0: never */
};

/* Milliseconds poll may wait: until the idle timeout or the next relog. */
static int wait_ms(const struct relay *r)
{
	time_t t = now();
	long ms = -1;

	if (r->cfg->timeout > 0) {
		long left = (long)(r->last + (time_t)r->cfg->timeout - t);
		ms = left <= 0 ? 0 : left * 1000;
	}
	if (r->next_relog > 0) {
		long left = (long)(r->next_relog - t);
		long rms = left <= 0 ? 0 : left * 1000;
		if (ms < 0 || rms < ms)
			ms = rms;
	}
	return ms > 2000000000L ? 2000000000 : (int)ms;
}

/* Must the relay end now (shutdown)? */
static bool stopped(const struct relay *r)
{
	return r->cfg->stop != NULL && *r->cfg->stop != 0;
}

/* connect_relog: log the Auth line again when its time has come. */
static void relog_when_due(struct relay *r)
{
	if (r->next_relog > 0 && now() >= r->next_relog) {
		r->cfg->relog(r->cfg->relog_arg);
		r->next_relog = now() + (time_t)r->cfg->relog_interval;
	}
}

/* Nothing moved for the idle timeout? */
static bool idle_expired(const struct relay *r)
{
	return r->cfg->timeout > 0 && now() - r->last >= (time_t)r->cfg->timeout;
}

/* Send what the login phase left buffered (pipelined by the peer, D-5). */
static int flush_buffered(struct conn *from, struct conn *to, uint64_t *count)
{
	size_t n = conn_buffered(from);

	if (n == 0)
		return 0;
	if (conn_write(to, conn_buffered_data(from), n) < 0)
		return -1;
	*count += n;
	conn_discard(from);
	return 0;
}

/*
 * One direction of the plain relay.  It starts by copying through buf
 * (the login's read buffer, empty by now): commands and replies are short,
 * and a short session then never creates a pipe.  At the first read that
 * fills buf, or a write the peer cannot take at once, the lane gets a
 * pipe of its own and moves everything after that with splice(2).
 */
struct lane {
	int src, dst;
	int pipe_r, pipe_w; /* -1 while the lane copies */
	size_t in_pipe;     /* bytes waiting in the pipe */
	unsigned char *buf;
	size_t buf_size;
	uint64_t *count;
};

static int lane_pipe(struct lane *l)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	l->pipe_r = p[0];
	l->pipe_w = p[1];
	return 0;
}

/* Copy mode: one read, written on at once; what dst does not take now
 * goes into the lane's pipe for lane_drain().  Returns 1 moved, 0 EOF,
 * -1 error, 2 nothing. */
static int lane_copy(struct lane *l)
{
	ssize_t n, w = 0;

	do
		n = read(l->src, l->buf, l->buf_size);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? 2 : -1;
	if (n == 0)
		return 0;
	*l->count += (uint64_t)n;
	while (w < n) {
		ssize_t k = write(l->dst, l->buf + w, (size_t)(n - w));

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno != EAGAIN)
			return -1;
		if (k < 0)
			break;
		w += k;
	}
	if ((size_t)n < l->buf_size && w == n)
		return 1;
	if (l->pipe_r < 0 && lane_pipe(l) < 0)
		return -1;
	/* The pipe is empty here and holds 64 KiB: this never blocks. */
	while (w < n) {
		ssize_t k = write(l->pipe_w, l->buf + w, (size_t)(n - w));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		w += k;
		l->in_pipe += (size_t)k;
	}
	return 1;
}

/* Move from the pipe to dst without blocking.  Returns -1 on error. */
static int lane_drain(struct lane *l)
{
	while (l->in_pipe > 0) {
		ssize_t n = splice(l->pipe_r, NULL, l->dst, NULL, l->in_pipe,
				   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0)
			return -1;
		l->in_pipe -= (size_t)n;
	}
	return 0;
}

/* Fill the pipe from src.  Returns 1 moved, 0 EOF, -1 error, 2 nothing. */
static int lane_fill(struct lane *l)
{
	for (;;) {
		ssize_t n = splice(l->src, NULL, l->pipe_w, NULL, SPLICE_CHUNK,
				   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 2;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		l->in_pipe += (size_t)n;
		*l->count += (uint64_t)n;
		return 1;
	}
}

/* Make fd non-blocking; returns its flags before, for restore_flags(). */
static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0 && !(fl & O_NONBLOCK))
		(void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	return fl;
}

static void restore_flags(int fd, int fl)
{
	if (fl >= 0 && !(fl & O_NONBLOCK))
		(void)fcntl(fd, F_SETFL, fl);
}

/* After one side closed, give the other what is still in its pipe. */
static void lane_finish(struct lane *l, unsigned timeout)
{
	while (l->in_pipe > 0) {
		struct pollfd p = { .fd = l->dst, .events = POLLOUT };
		if (poll(&p, 1, timeout ? (int)timeout * 1000 : 30000) <= 0)
			return;
		if (lane_drain(l) < 0)
			return;
	}
}

/*
 * A session spends most of its life idle in the relay, so once it has
 * been quiet for RELEASE_AFTER_MS, give back the memory the login phase
 * dirtied and the relay will not touch again: the stack below this frame
 * (TLS and name lookups go deep), the empty read buffers, free heap.
 * Each child's own copy of those pages is what an idle session costs.
 */
#define STACK_KEEP 4096             /* left alone below this frame */
#define STACK_RELEASE (256 * 1024) /* given back below that */
#define RELEASE_AFTER_MS 1000       /* of silence both ways */

static void release_page_interior(void *p, size_t n, uintptr_t page)
{
	uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t hi = ((uintptr_t)p + n) & ~(page - 1);

	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

static __attribute__((noinline)) void release_login_memory(struct conn *client,
							   struct conn *server)
{
	long ps = sysconf(_SC_PAGESIZE);
	uintptr_t page = ps > 0 ? (uintptr_t)ps : 4096;
	uintptr_t top = (uintptr_t)__builtin_frame_address(0) & ~(page - 1);

	malloc_trim(0);
	/* Only called with nothing buffered: the contents are scratch. */
	release_page_interior(client->buf, sizeof(client->buf), page);
	release_page_interior(server->buf, sizeof(server->buf), page);
	/* Below sp nothing is live.  Linux keeps other mappings a guard gap
	 * (1 MiB) away from the stack, and madvise skips unmapped parts. */
	if (top > STACK_KEEP + STACK_RELEASE)
		(void)madvise((void *)(top - STACK_KEEP - STACK_RELEASE), STACK_RELEASE,
			      MADV_DONTNEED);
}

/* Read when the pipe is empty, else wait to write. */
static void lanes_poll_set(const struct lane lanes[2], struct pollfd pfd[2])
{
	for (int i = 0; i < 2; i++) {
		pfd[i].fd = lanes[i].in_pipe == 0 ? lanes[i].src : lanes[i].dst;
		pfd[i].events = lanes[i].in_pipe == 0 ? POLLIN : POLLOUT;
		pfd[i].revents = 0;
	}
}

/* Move what poll found ready.  Returns false when a side closed or
 * failed. */
static bool lanes_move(struct relay *r, struct lane lanes[2], const struct pollfd pfd[2])
{
	for (int i = 0; i < 2; i++) {
		struct lane *l = &lanes[i];

		if (pfd[i].revents == 0)
			continue;
		r->last = now();
		if (l->in_pipe == 0) {
			int f = l->pipe_r < 0 ? lane_copy(l) : lane_fill(l);
			if (f <= 0)
				return false;
		}
		if (lane_drain(l) < 0)
			return false;
	}
	return true;
}

static enum relay_result splice_loop(struct relay *r, struct lane lanes[2])
{
	bool released = false;

	for (;;) {
		struct pollfd pfd[2];
		int n, ms = wait_ms(r);

		lanes_poll_set(lanes, pfd);
		/* Wake once after a quiet spell to give the login's memory
		 * back; a short session has exited by then, so it never pays. */
		if (!released && (ms < 0 || ms > RELEASE_AFTER_MS))
			ms = RELEASE_AFTER_MS;
		if (stopped(r))
			return RELAY_CLOSED;
		n = poll(pfd, 2, ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return RELAY_ERROR;
		relog_when_due(r);
		if (n == 0) {
			if (!released) {
				release_login_memory(r->client, r->server);
				released = true;
			}
			if (idle_expired(r))
				return RELAY_TIMEOUT;
			continue;
		}
		if (!lanes_move(r, lanes, pfd))
			return RELAY_CLOSED;
	}
}

static enum relay_result relay_splice(struct relay *r, uint64_t *received, uint64_t *sent)
{
	struct conn *c = r->client, *s = r->server;
	struct lane lanes[2] = {
		{ c->rfd, s->wfd, -1, -1, 0, c->buf, sizeof(c->buf), received },
		{ s->rfd, c->wfd, -1, -1, 0, s->buf, sizeof(s->buf), sent },
	};
	int fl_cr = set_nonblock(c->rfd);
	int fl_cw = c->wfd != c->rfd ? set_nonblock(c->wfd) : fl_cr;
	int fl_s = set_nonblock(s->rfd);
	enum relay_result result = splice_loop(r, lanes);

	/* Blocking again for what the session writes after the relay;
	 * lane_finish() polls before each splice. */
	restore_flags(c->wfd, fl_cw);
	if (c->rfd != c->wfd)
		restore_flags(c->rfd, fl_cr);
	restore_flags(s->wfd, fl_s);
	for (int i = 0; i < 2; i++) {
		if (lanes[i].pipe_r < 0)
			continue;
		lane_finish(&lanes[i], r->cfg->timeout);
		close(lanes[i].pipe_r);
		close(lanes[i].pipe_w);
	}
	return result;
}

/* Buffered relay, for TLS (or where splice is not possible). */
struct buf_lane {
	struct conn *src, *dst;
	unsigned char buf[RELAY_BUF_SIZE];
	uint64_t *count;
};

/* Poll for what the lanes' sources have; bytes a conn holds already
 * (buffered or TLS-pending) count as ready without polling.  Returns
 * whether any did. */
static bool buf_lanes_poll_set(struct buf_lane lanes[2], struct pollfd pfd[2])
{
	bool pending = false;

	for (int i = 0; i < 2; i++) {
		pfd[i].fd = lanes[i].src->rfd;
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
		if (conn_has_pending(lanes[i].src)) {
			pfd[i].revents = POLLIN;
			pending = true;
		}
	}
	return pending;
}

/* Read once from each ready source and write it all on.  Returns false
 * when a side closed or failed. */
static bool buf_lanes_move(struct relay *r, struct buf_lane lanes[2],
			   const struct pollfd pfd[2])
{
	for (int i = 0; i < 2; i++) {
		struct buf_lane *l = &lanes[i];
		ssize_t n;

		if (pfd[i].revents == 0)
			continue;
		r->last = now();
		n = conn_read_some(l->src, l->buf, sizeof(l->buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			return false;
		if (conn_write(l->dst, l->buf, (size_t)n) < 0)
			return false;
		*l->count += (uint64_t)n;
	}
	return true;
}

static enum relay_result relay_buffered(struct relay *r, uint64_t *received, uint64_t *sent)
{
	static struct buf_lane lanes[2];

	lanes[0].src = r->client;
	lanes[0].dst = r->server;
	lanes[0].count = received;
	lanes[1].src = r->server;
	lanes[1].dst = r->client;
	lanes[1].count = sent;
	/* Non-blocking, so a partial TLS record never stalls the other way. */
	(void)set_nonblock(r->client->rfd);
	(void)set_nonblock(r->client->wfd);
	(void)set_nonblock(r->server->rfd);
	for (;;) {
		struct pollfd pfd[2];
		int n = 0;
		bool pending = buf_lanes_poll_set(lanes, pfd);

		if (stopped(r))
			return RELAY_CLOSED;
		if (!pending) {
			n = poll(pfd, 2, wait_ms(r));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return RELAY_ERROR;
		}
		relog_when_due(r);
		if (!pending && n == 0) {
			if (idle_expired(r))
				return RELAY_TIMEOUT;
			continue;
		}
		if (!buf_lanes_move(r, lanes, pfd))
			return RELAY_CLOSED;
	}
}

/* splice(2) needs a socket or a pipe at each end. */
static bool spliceable(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && (S_ISSOCK(st.st_mode) || S_ISFIFO(st.st_mode));
}

enum relay_result relay_run(struct conn *client, struct conn *server,
			    const struct relay_config *config,
			    uint64_t *received_r, uint64_t *sent_r)
{
	struct relay r = { client, server, config, 0, 0 };

	*received_r = *sent_r = 0;
	/* Everyone's dumps stop here: connection_logging covers login only. */
	client->dump = NULL;
	server->dump = NULL;
	if (flush_buffered(client, server, received_r) < 0 ||
	    flush_buffered(server, client, sent_r) < 0)
		return RELAY_CLOSED;
	r.last = now();
	if (config->relog_interval > 0)
		r.next_relog = r.last + (time_t)config->relog_interval;
	if (client->ssl == NULL && server->ssl == NULL && spliceable(client->rfd) &&
	    spliceable(client->wfd) && spliceable(server->rfd))
		return relay_splice(&r, received_r, sent_r);
	return relay_buffered(&r, received_r, sent_r);
}
