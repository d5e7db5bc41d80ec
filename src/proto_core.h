/*
 * proto_core.h: the protocol core, what the POP3, IMAP4 and ManageSieve
 * modules share: line classification, replies to the client, the real
 * server's lines, capability lists, loop detection, the bye and the
 * failure of a login.  None of it ends the process: client-side helpers
 * return an enum proto_result for the module to hand back to the session.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_PROTO_CORE_H
#define PERDITION_PROTO_CORE_H

#include <stdbool.h>
#include <stddef.h>

#include "protocol.h"

struct session;

/* Most capability lines we read from a real server before giving up. */
#define MAX_SERVER_CAPA_LINES 256

/* ------------------------------------------------------- pure helpers */

/* Is tok (case-insensitively) the first token of line[0..len), followed
 * by a space or the end of the line? */
bool proto_starts_token(const char *line, size_t len, const char *tok);

/* A capability we look for in a real server's list. */
struct proto_cap {
	const char *word; /* NULL ends a table */
	unsigned bit;
	bool whole_line;  /* the line must be the word alone, no arguments */
};

/* The bit of the entry of caps that line[0..len) names by its first
 * token (or as a whole, for whole_line entries); 0 for none. */
unsigned proto_cap_line(const char *line, size_t len, const struct proto_cap *caps);

/* The bits of the entries of caps that are words of the space-separated
 * list s[0..len) (IMAP lists every capability on one line). */
unsigned proto_cap_words(const char *s, size_t len, const struct proto_cap *caps);

/* ----------------------------------------------------- the client side */

/* A conn_write()/conn_printf() result: PROTO_OK or PROTO_WRITE_FAILED. */
enum proto_result proto_sent(int r);

/* A failed conn read (CONN_EOF, CONN_ERROR, CONN_TIMEOUT): why it ends
 * the session. */
enum proto_result proto_read_failed(int r);

/* Send len bytes / one line of ours (CR LF added) to the client. */
enum proto_result proto_client_write(struct session *s, const void *buf, size_t len);
enum proto_result proto_client_line(struct session *s, const char *text);

/* STLS/STARTTLS was answered: the handshake with the client. */
enum proto_result proto_start_tls(struct session *s);

/* Is STLS/STARTTLS to be offered now (TLS listening, client not on TLS)? */
bool proto_offer_tls(const struct session *s);

/* After a login: is the real server's reply line resp to be passed on
 * instead of ours (server_resp_line and there is one)?  A failure passes
 * it on only for a refused login (REASON_REAUTH). */
bool proto_pass_resp(const struct session *s, const char *resp);
bool proto_pass_resp_fail(const struct session *s, const char *reason,
			  const char *resp);

/* ------------------------------------------------ the real-server side */

/* Read one line from the real server (at most MAX_LINE_LENGTH bytes,
 * line holds one more); a conn_read_line() result. */
int proto_server_line(struct session *s, char *line, size_t *len);

/* Does line[0..len) hold our own greeting token?  Then log the loop. */
bool proto_loop_detected(struct session *s, const char *line, size_t len);

/* Results of proto_read_caps(). */
enum proto_caps_result {
	PROTO_CAPS_OK = 0,
	PROTO_CAPS_DEAD = -1,     /* a read failed: nothing more to say to the server */
	PROTO_CAPS_TOO_MANY = -2, /* no end after MAX_SERVER_CAPA_LINES lines */
};

/*
 * Read the real server's capability lines (at most
 * MAX_SERVER_CAPA_LINES) up to the first one ends() accepts, which is
 * left in line/len_r; the bits of caps the lines before it name are
 * or'ed into *bits_r.  line holds MAX_LINE_LENGTH + 1 bytes.
 */
enum proto_caps_result proto_read_caps(struct session *s,
				       bool (*ends)(const char *line, size_t len),
				       const struct proto_cap *caps, unsigned *bits_r,
				       char *line, size_t *len_r);

/* The next real-server tag (IMAP): s->imap_tag counts them. */
void proto_next_tag(struct session *s, char *tag);

/* Ask the real server to end the session (s->proto->bye, tagged when the
 * protocol tags) and read its one-line answer; errors are ignored: the
 * connection is closed next. */
void proto_server_bye(struct session *s);

/* A login failed for reason: say the bye first when bye is set (the
 * server can still hear it).  Returns LOGIN_FAILED. */
enum login_result proto_login_fail(struct session *s, const char **reason_r,
				   const char *reason, bool bye);

/* Keep the real server's reply line for server_resp_line. */
void proto_set_resp(char *resp, size_t resplen, const char *line);

#endif
