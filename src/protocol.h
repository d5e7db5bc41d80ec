/*
 * protocol.h: what each protocol module (POP3, IMAP4, ManageSieve)
 * provides, and the per-session configuration it works with.  Adding a
 * protocol means filling one struct protocol.
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

/*
 * What a protocol module needs of the options, filled once by the
 * session (session.c) so that no module reads the option table.  The
 * strings are never NULL ("" when unset).
 */
struct proto_config {
	bool tls_listen;          /* offer and accept STLS/STARTTLS */
	bool tls_listen_force;    /* no login before STLS/STARTTLS */
	bool tls_outgoing;        /* STLS/STARTTLS to the real server */
	bool tls_outgoing_force;  /* ... and fail without it */
	bool login_disabled;
	bool sasl_authorisation_id; /* IMAP/POP3 may take a differing authzid */
	bool resp_line;           /* server_resp_line or server_ok_line */
	bool forward_client_address; /* IMAP ID / XCLIENT to the real server */
	const char *ok_line;
	const char *pop_capability;
	const char *imap_capability;
	const char *managesieve_capability;
};

/*
 * How a client-side step ended.  Modules never end the process
 * themselves: anything but PROTO_OK and PROTO_CREDENTIALS ends the
 * session, and session.c writes the log line that says why.
 */
enum proto_result {
	PROTO_OK = 0,        /* done; go on */
	PROTO_CREDENTIALS,   /* read_auth(): the client sent credentials, in *a */
	PROTO_QUIT,          /* the client said QUIT/LOGOUT and was answered */
	PROTO_READ_FAILED,   /* EOF or error reading from the client */
	PROTO_READ_TIMEOUT,  /* the client was silent too long */
	PROTO_WRITE_FAILED,  /* the client cannot be written to */
	PROTO_TLS_FAILED,    /* TLS handshake after STLS/STARTTLS failed */
	/* read_auth(): a SASL exchange was malformed, refused or cancelled
	 * and the client was answered; a failed login attempt, but the
	 * session goes on. */
	PROTO_AUTH_FAILED,
};

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
	/* Full line (with CRLF) before closing a connection that reached
	 * max_failed_logins. */
	const char *failed_limit_line;
	/* Reply (with CRLF) to credentials authenticate_in refused; sent
	 * after the command's tag (IMAP; the others have none). */
	const char *auth_failure;
	/* Command that ends a real-server session ("QUIT"); IMAP tags it. */
	const char *bye;
	bool tagged;               /* commands to the real server carry tags */

	/* Send the greeting: PROTO_OK or a failure. */
	enum proto_result (*greeting)(struct session *s);

	/* Run the pre-authentication loop until the client has sent
	 * credentials (PROTO_CREDENTIALS), has failed a SASL exchange
	 * (PROTO_AUTH_FAILED, answered), has quit (PROTO_QUIT, answered)
	 * or is lost (a failure).  Handles CAPA/CAPABILITY, NOOP,
	 * STLS/STARTTLS and errors itself. */
	enum proto_result (*read_auth)(struct session *s, struct auth *a);

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

/* The module for a protocol number in perdition 2.2's order (enum
 * protocol_id of options.h: pop3, pop3s, imap4, imap4s, managesieve);
 * POP3 for any other. */
const struct protocol *protocol_get(int id);

#endif
