/*
 * conn.h: one side of a session (client or real server): a descriptor
 * pair, an optional TLS object, one bounded read buffer and timeouts.
 *
 * All protocol reads go through conn_read_line()/conn_read_exact(), so
 * the line and literal limits hold for every protocol, plain or TLS.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_CONN_H
#define PERDITION_CONN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "defs.h"
#include "dump_mask.h"

struct conn {
	int rfd;            /* read from here */
	int wfd;            /* write here (== rfd except in inetd mode) */
	void *ssl;          /* SSL * when TLS is up, else NULL */
	unsigned timeout;   /* idle timeout in seconds, 0 = none */
	uint64_t deadline_ms; /* conn_now_ms() when every wait ends, 0 = none */
	const volatile sig_atomic_t *stop; /* when *stop: no more waiting */
	const char *dump;   /* label of logged traffic, or NULL (not logged) */
	bool mask_dump;     /* hide passwords in logged traffic (D-16) */
	struct dump_mask mask_in, mask_out; /* the masker's state per direction */
	unsigned char buf[CONN_BUF_SIZE];
	size_t start, end;  /* unread bytes are buf[start..end) */
	uint64_t in_bytes;  /* bytes read from the peer */
	uint64_t out_bytes; /* bytes written to the peer */
	bool eof;
};

/* Results of the readers. */
enum {
	CONN_OK = 1,
	CONN_EOF = 0,
	CONN_ERROR = -1,   /* read error (errno set) */
	CONN_TIMEOUT = -2, /* idle timeout expired */
	CONN_TOOLONG = -3, /* line longer than the limit */
};

/* Set up c on rfd/wfd (no TLS, nothing buffered).  timeout: idle seconds
 * of every read and write, 0 = none.  dump: when not NULL, every line or
 * literal read is logged at LOG_DEBUG as <dump> "<escaped bytes>", and
 * every write under the label "SELF:  "; the caller decides when
 * (connection_logging with debug), and sets mask_dump to have passwords
 * masked (dump_mask.h). */
void conn_init(struct conn *c, int rfd, int wfd, unsigned timeout, const char *dump);

/* Once *stop is set (by a signal handler: the daemon is shutting down),
 * every wait on c ends at once as a timeout would; NULL: never. */
void conn_set_stop(struct conn *c, const volatile sig_atomic_t *stop);

/* Monotonic clock (CLOCK_MONOTONIC) in milliseconds. */
uint64_t conn_now_ms(void);

/* Bound every later read, write and TLS handshake on c, whatever the
 * peer sends, by an absolute conn_now_ms() time; 0 removes the bound.
 * The login phase sets it (D-21); the relay after login clears it. */
void conn_set_deadline(struct conn *c, uint64_t deadline_ms);

/* Milliseconds the next wait on c may take: the idle timeout, cut short
 * by the deadline; -1 = no limit, 0 = the deadline has passed. */
int conn_timeout_now(const struct conn *c);

/* Has c's deadline (if any) passed? */
bool conn_deadline_passed(const struct conn *c);

/*
 * Read one line ending in LF.  The line, without CR LF (a bare LF also
 * ends it), is copied to line[0..*len_r) and NUL-terminated; line must
 * hold max+1 bytes.  Embedded NUL bytes are kept (use *len_r).  A line
 * longer than max is consumed up to its LF and CONN_TOOLONG returned.
 * Returns CONN_OK, CONN_EOF, CONN_ERROR, CONN_TIMEOUT or CONN_TOOLONG.
 */
int conn_read_line(struct conn *c, char *line, size_t max, size_t *len_r);

/* Read exactly n bytes (a literal).  Same returns as conn_read_line. */
int conn_read_exact(struct conn *c, void *dst, size_t n);

/* Write all of buf; returns 0 or -1. */
int conn_write(struct conn *c, const void *buf, size_t n);

/* Format and write one reply; the format must be a literal of ours. */
int conn_printf(struct conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Bytes read from the peer but not yet consumed (pipelined data, D-5). */
size_t conn_buffered(const struct conn *c);
const unsigned char *conn_buffered_data(const struct conn *c);

/* Read what is available now (buffered bytes first, then one read of the
 * peer, which may block unless the caller polled first).  Returns bytes
 * (> 0), 0 on EOF, -1 on error with errno (EAGAIN: try again later). */
ssize_t conn_read_some(struct conn *c, void *dst, size_t n);

/* Has the conn bytes to give without reading the descriptor (buffered
 * or TLS-pending)? */
bool conn_has_pending(const struct conn *c);

/* Drop buffered plaintext (at STARTTLS/STLS). */
void conn_discard(struct conn *c);

/* Wait until the peer has something to read or the timeout passes:
 * 1 readable, 0 timeout, -1 error.  Honours buffered and TLS-pending data. */
int conn_wait_readable(struct conn *c, unsigned timeout);

/* Wait until at least one byte from the peer is buffered (it stays
 * unread): CONN_OK, CONN_EOF, CONN_ERROR or CONN_TIMEOUT. */
int conn_await_data(struct conn *c);

/* Close the descriptors (and free TLS); safe to call twice. */
void conn_close(struct conn *c);

#endif
