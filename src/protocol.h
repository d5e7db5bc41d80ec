/*
 * protocol.h: what each protocol module (POP3, IMAP4, ManageSieve)
 * provides.  Adding a protocol means filling one struct protocol.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_PROTOCOL_H
#define PERDITION_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>

struct session;
struct auth;

/* Failure reasons of SPEC 3.6, sent as "failed: <reason>". */
#define REASON_LOGIN_DISABLED "Login Disabled"
#define REASON_NO_SERVER "Could not determine server"
#define REASON_NO_CONNECT "Could not connect to server"
#define REASON_NEGOTIATION "Connection Negotiation Failure"
#define REASON_NO_TLS "TLS not present"
#define REASON_REAUTH "Re-Authentication Failure"
#define REASON_NO_SASL "SASL mechanism unavailable"

/* Results of read_auth(). */
enum {
	READ_AUTH_OK = 1, /* credentials in *a */
};
/* read_auth() exits itself on QUIT/LOGOUT (session_null_close) and on
 * EOF, errors and timeouts (session_client_read_fatal). */

/* Results of server_login(). */
enum login_result {
	LOGIN_OK = 0,
	LOGIN_FAILED = -1, /* *reason_r says why; real server told to quit */
};

struct protocol {
	const char *name;          /* "POP3" */
	const char *port;          /* default port name, "pop3" */
	const char *numeric_port;  /* "110", used with no_lookup */
	/* Full reply line (with CRLF) for a client over connection_limit (D-2). */
	const char *busy_line;

	/* Send the greeting. */
	void (*greeting)(struct session *s);

	/* Run the pre-authentication loop until the client has sent
	 * credentials; returns READ_AUTH_OK.  Handles CAPA/CAPABILITY,
	 * NOOP, STLS/STARTTLS, QUIT/LOGOUT and errors itself. */
	int (*read_auth)(struct session *s, struct auth *a);

	/*
	 * Log in on the real server (s->server is connected): read and check
	 * its greeting (loop detection against s->loop_token), negotiate, then
	 * log in as user with a->passwd.  Untagged lines the server sends may
	 * be forwarded to the client.  resp receives the server's final reply
	 * line (for server_resp_line).  On failure sets *reason_r to a
	 * REASON_* and has asked the server to quit.
	 */
	enum login_result (*server_login)(struct session *s, const struct auth *a,
					  const char *user, char *resp, size_t resplen,
					  const char **reason_r);

	/* Tell the client the login worked (ok_line, or the server's reply
	 * line resp with server_resp_line). */
	void (*reply_ok)(struct session *s, const struct auth *a, const char *resp);

	/* Tell the client the login failed: "failed: <reason>", or with
	 * server_resp_line and a server reply line, that line. */
	void (*reply_fail)(struct session *s, const struct auth *a,
			   const char *reason, const char *resp);

	/* Relay idle timeout: what to tell the client (ManageSieve BYE). */
	void (*relay_timeout)(struct session *s);
};

extern const struct protocol protocol_pop3;
extern const struct protocol protocol_pop3s;
extern const struct protocol protocol_imap4;
extern const struct protocol protocol_imap4s;
extern const struct protocol protocol_managesieve;

/* The module for an enum protocol_id. */
const struct protocol *protocol_get(int id);

#endif
