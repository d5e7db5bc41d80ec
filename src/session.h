/*
 * session.h: one client connection, from greeting to Close.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_SESSION_H
#define PERDITION_SESSION_H

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "conn.h"
#include "defs.h"
#include "sandbox.h"
#include "session_id.h"

struct imap_id;
struct protocol;
struct proto_config;

/* How a side of a session is protected, for the Auth log line. */
enum secure {
	SECURE_PLAINTEXT = 0,
	SECURE_SSL,      /* TLS from the first byte */
	SECURE_STARTTLS, /* STLS / STARTTLS done */
};

/* Credentials read from the client. */
struct auth {
	char *authz;   /* ManageSieve authorisation id, or NULL (logged NONE) */
	char *user;    /* authentication id as the client sent it */
	size_t user_len; /* its length: more than strlen(user) when the
			  * client put a NUL in it (an IMAP literal can) */
	char *passwd;  /* wiped before it is freed */
	char tag[MAX_TAG_LENGTH + 1]; /* IMAP tag of the LOGIN command */
};

struct session {
	struct conn client;
	struct conn server;
	bool have_server;          /* server conn is open */
	const struct protocol *proto;
	const struct proto_config *cfg; /* the options the protocol module needs */
	struct sockaddr_storage peer, local;
	bool have_peer, have_local;
	bool inetd;
	pid_t inetd_pid;
	char from_to[160];         /* " SRC:SPORT->DST:DPORT" or "" */
	char host[256];            /* host name shown in the greeting */
	char loop_token[320];      /* "perdition ready on <host> <csum>" */
	char server_host[256];     /* real server's name, for SNI and the certificate check */
	enum secure client_secure;
	enum secure server_secure;
	unsigned imap_tag;         /* next real-server IMAP tag number */
	char *local_domain;        /* add_domain's domain, computed on first use */
	bool local_domain_done;
	char auth_line[2 * MAX_CRED_LENGTH + 1024]; /* last Auth: line, for connect_relog */
	struct imap_id *client_id; /* the client's IMAP ID list, or NULL */
	char session_id[SESSION_ID_SIZE]; /* with forward_client_address, else "" */
};

/* Work done once in the parent before any session: the greeting's
 * checksum token and the node name. */
void session_init_parent(void);

/*
 * Run one session on the given descriptors (a socket twice in standalone
 * mode, 0 and 1 in inetd mode).  Never returns: exits 0 after a normal
 * close, EXIT_FATAL after a fatal error.
 */
void session_main(int rfd, int wfd, bool inetd) __attribute__((noreturn));

/* How a session's process is confined, from the options. */
struct sandbox_config session_sandbox_config(void);

/* Sleep PROTOCOL_ERROR_SLEEP seconds before an error reply (as 2.2). */
void session_error_sleep(void);

/*
 * TLS hooks for the protocol modules.  session_tls_client() runs the server
 * side of a handshake with the client after STLS/STARTTLS was answered
 * (buffered plaintext is discarded first) and sets client_secure;
 * session_tls_server() runs a client handshake on s->server and sets
 * server_secure.  Both return 0 or -1.
 */
int session_tls_client(struct session *s);
int session_tls_server(struct session *s);

/* Will a connection from peer start with a PROXY protocol header
 * (proxy_protocol on and peer in proxy_protocol_trusted)?  For the parent:
 * such a child learns its real client only from the header. */
bool session_peer_is_proxy(const struct sockaddr_storage *peer);

/* With the PROXY protocol: s->peer is now the client the proxy announced;
 * tell the daemon, which counts it for the per-address limits and may
 * refuse it (then the busy reply is sent on fd, the client socket, and
 * the child exits). */
void session_announce_peer(struct session *s, int fd);

/* Is the client side protected by TLS now? */
bool session_client_tls(const struct session *s);

/* Free and wipe credentials. */
void auth_clear(struct auth *a);

#endif
