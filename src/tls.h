/*
 * tls.h: OpenSSL contexts (built once, in the parent) and handshakes for
 * both sides of a session.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_TLS_H
#define PERDITION_TLS_H

#include <stdbool.h>

struct conn;

/* What TLS needs of the ssl_* options (the same names without "ssl_");
 * the strings are borrowed and must outlive the process's TLS use. */
struct tls_config {
	bool listen;   /* ssl_mode has a listening mode */
	bool outgoing; /* ssl_mode has an outgoing mode */
	const char *cert_file, *key_file, *dh_params_file;
	const char *passphrase_file; /* else the passphrase comes from passphrase_fd */
	int passphrase_fd;
	const char *ca_file, *ca_path, *ca_chain_file;
	const char *listen_ciphers, *outgoing_ciphers;
	const char *listen_min_proto_version, *listen_max_proto_version;
	const char *outgoing_min_proto_version, *outgoing_max_proto_version;
	bool listen_compression, outgoing_compression;
	bool no_cipher_server_preference;
	bool no_cert_verify, no_client_cert_verify, no_cn_verify;
	bool cert_accept_expired, cert_accept_not_yet_valid, cert_accept_self_signed;
	bool ca_accept_self_signed;
	int cert_verify_depth;
};

/*
 * Keep config and build the listening context (config->listen) and the
 * outgoing context (config->outgoing), reading the key and its passphrase
 * now.  Returns 0, or -1 with the error logged.
 */
int tls_init(const struct tls_config *config);

/*
 * Run a handshake on c within timeout seconds (0: no limit): as the
 * server (accept) towards a client, or as the client (connect) towards a
 * real server named host (SNI and, unless ssl_no_cn_verify, the name the
 * certificate must carry).  On success c->ssl is set.  Returns 0 or -1
 * (logged).
 */
int tls_accept(struct conn *c, unsigned timeout);
int tls_connect(struct conn *c, const char *host, unsigned timeout);

#endif
