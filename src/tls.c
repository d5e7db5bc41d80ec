/*
 * tls.c: OpenSSL contexts and handshakes.
 *
 * Both contexts are built once in the parent, so the key (and its
 * passphrase) is read once and no child parses certificates.  The outgoing
 * context has its own cipher list (CVE-2013-4584: 2.0 used the listening
 * one).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "conn.h"
#include "log.h"
#include "tls.h"

#ifdef WITH_SSL_SUPPORT
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

static struct tls_config cfg;
static SSL_CTX *listen_ctx;
static SSL_CTX *outgoing_ctx;

/* Log OpenSSL's error queue, most recent last. */
static void log_ssl_errors(const char *what)
{
	unsigned long e;
	char buf[256];
	bool any = false;

	while ((e = ERR_get_error()) != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		log_err("%s: %s", what, buf);
		any = true;
	}
	if (!any)
		log_err("%s", what);
}

static int proto_version(const char *name)
{
	static const struct {
		const char *name;
		int version;
	} v[] = {
		{ "sslv3", SSL3_VERSION },     { "tlsv1", TLS1_VERSION },
		{ "tlsv1.1", TLS1_1_VERSION }, { "tlsv1.2", TLS1_2_VERSION },
		{ "tlsv1.3", TLS1_3_VERSION },
	};

	if (name == NULL || *name == '\0')
		return 0; /* OpenSSL's default */
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (strcmp(v[i].name, name) == 0)
			return v[i].version;
	return 0;
}

/* Read the key's passphrase: the first line of ssl_passphrase_file, or a
 * line from ssl_passphrase_fd (prompting with echo off on a terminal). */
static int passphrase_cb(char *buf, int size, int rwflag, void *u)
{
	int fd, n = 0;
	bool tty, opened = false;
	struct termios old, quiet;

	(void)rwflag;
	(void)u;
	if (cfg.passphrase_file != NULL) {
		fd = open(cfg.passphrase_file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			log_err("Could not open passphrase file \"%s\": %s",
				cfg.passphrase_file, strerror(errno));
			return 0;
		}
		opened = true;
	} else {
		fd = cfg.passphrase_fd;
	}
	tty = isatty(fd);
	if (tty) {
		fputs("Enter passphrase for the SSL key: ", stderr);
		fflush(stderr);
		tcgetattr(fd, &old);
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(fd, TCSANOW, &quiet);
	}
	/* Byte by byte: stop at the end of the first line. */
	while (n < size - 1) {
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || ch == '\n')
			break;
		if (ch != '\r')
			buf[n++] = ch;
	}
	buf[n] = '\0';
	if (tty) {
		tcsetattr(fd, TCSANOW, &old);
		fputc('\n', stderr);
	}
	if (opened)
		close(fd);
	return n;
}

/* Apply the accept_* options to a failed verification. */
static int verify_cb(int ok, X509_STORE_CTX *store)
{
	int err = X509_STORE_CTX_get_error(store);

	if (ok)
		return 1;
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		ok = cfg.cert_accept_expired;
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		ok = cfg.cert_accept_not_yet_valid;
		break;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		ok = cfg.cert_accept_self_signed;
		break;
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		ok = cfg.ca_accept_self_signed;
		break;
	default:
		ok = 0;
	}
	if (!ok)
		log_info("Certificate verification failed at depth %d: %s",
			 X509_STORE_CTX_get_error_depth(store), X509_verify_cert_error_string(err));
	return ok;
}

/* Client certificates are asked for but not required; a bad one is
 * logged and let through, since perdition authenticates by password. */
static int client_verify_cb(int ok, X509_STORE_CTX *store)
{
	if (!ok)
		log_debug("client certificate not verified: %s",
			  X509_verify_cert_error_string(X509_STORE_CTX_get_error(store)));
	return 1;
}

static int common_setup(SSL_CTX *ctx, const char *min, const char *max, const char *ciphers,
			bool compression)
{
	int vmin = proto_version(min), vmax = proto_version(max);

	if (vmin != 0 && !SSL_CTX_set_min_proto_version(ctx, vmin))
		return -1;
	if (vmax != 0 && !SSL_CTX_set_max_proto_version(ctx, vmax))
		return -1;
	if (vmin != 0 && vmin < TLS1_2_VERSION)
		SSL_CTX_set_security_level(ctx, 0); /* old protocols were asked for */
	if (ciphers != NULL && *ciphers != '\0' && !SSL_CTX_set_cipher_list(ctx, ciphers)) {
		log_err("Invalid cipher list \"%s\"", ciphers);
		return -1;
	}
	if (!compression)
		SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION);
	SSL_CTX_set_verify_depth(ctx, cfg.cert_verify_depth);
	return 0;
}

/* CA locations for verifying peers; missing files are not fatal (2.2). */
static void load_verify_locations(SSL_CTX *ctx)
{
	const char *file = cfg.ca_file, *path = cfg.ca_path;

	if (path != NULL && access(path, R_OK | X_OK) != 0)
		path = NULL;
	if ((file != NULL || path != NULL) && !SSL_CTX_load_verify_locations(ctx, file, path))
		log_ssl_errors("Error loading CA locations");
	if (cfg.ca_chain_file != NULL &&
	    !SSL_CTX_load_verify_locations(ctx, cfg.ca_chain_file, NULL))
		log_ssl_errors("Error loading CA chain file");
}

static int load_dh(SSL_CTX *ctx)
{
	const char *file = cfg.dh_params_file != NULL ? cfg.dh_params_file
							  : cfg.cert_file;
	BIO *bio = BIO_new_file(file, "r");
	EVP_PKEY *dh = NULL;

	if (bio != NULL) {
		dh = PEM_read_bio_Parameters(bio, NULL);
		BIO_free(bio);
	}
	ERR_clear_error();
	if (dh != NULL && SSL_CTX_set0_tmp_dh_pkey(ctx, dh)) {
		/* As 2.2, at start-up: from the DH file or the cert file. */
		log_info("Loaded Diffie-Hellman parameters: \"%s\"", file);
		return 0;
	}
	EVP_PKEY_free(dh);
	if (cfg.dh_params_file != NULL) {
		log_err("could not read DH params from file \"%s\"", cfg.dh_params_file);
		return -1;
	}
	log_err("could not read DH params from cert file \"%s\"", cfg.cert_file);
	SSL_CTX_set_dh_auto(ctx, 1);
	return 0;
}

static SSL_CTX *listen_context(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (ctx == NULL)
		return NULL;
	if (common_setup(ctx, cfg.listen_min_proto_version, cfg.listen_max_proto_version,
			 cfg.listen_ciphers, cfg.listen_compression) < 0)
		goto fail;
	if (!cfg.no_cipher_server_preference)
		SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_default_passwd_cb(ctx, passphrase_cb);
	if (SSL_CTX_use_certificate_chain_file(ctx, cfg.cert_file) != 1) {
		log_ssl_errors("SSL_CTX_use_certificate_chain_file");
		log_err("Error loading certificate chain file \"%s\"", cfg.cert_file);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, cfg.key_file, SSL_FILETYPE_PEM) != 1) {
		log_ssl_errors("SSL_CTX_use_PrivateKey_file");
		log_err("Error loading private key file \"%s\"", cfg.key_file);
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		log_err("Private key \"%s\" does not match the certificate \"%s\"",
			cfg.key_file, cfg.cert_file);
		goto fail;
	}
	if (load_dh(ctx) < 0)
		goto fail;
	if (!cfg.no_cert_verify && !cfg.no_client_cert_verify) {
		load_verify_locations(ctx);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, client_verify_cb);
	}
	/* Sessions live in one child only: a cache would never hit. */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

static SSL_CTX *outgoing_context(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		return NULL;
	if (common_setup(ctx, cfg.outgoing_min_proto_version,
			 cfg.outgoing_max_proto_version, cfg.outgoing_ciphers,
			 cfg.outgoing_compression) < 0) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (cfg.no_cert_verify) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	} else {
		load_verify_locations(ctx);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_cb);
	}
	return ctx;
}

int tls_init(const struct tls_config *config)
{
	cfg = *config;
	if (cfg.listen) {
		listen_ctx = listen_context();
		if (listen_ctx == NULL) {
			log_err("Fatal error establishing SSL context for listening");
			return -1;
		}
	}
	if (cfg.outgoing) {
		outgoing_ctx = outgoing_context();
		if (outgoing_ctx == NULL) {
			log_ssl_errors("Fatal error establishing SSL context for outgoing connections");
			return -1;
		}
	}
	return 0;
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* Drive SSL_accept/SSL_connect on non-blocking descriptors until done,
 * failed or out of time. */
static int handshake(struct conn *c, SSL *ssl, bool accept, unsigned timeout)
{
	struct timespec deadline;
	int rfl = fcntl(c->rfd, F_GETFL), wfl = fcntl(c->wfd, F_GETFL), rc = -1;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout;
	fcntl(c->rfd, F_SETFL, rfl | O_NONBLOCK);
	fcntl(c->wfd, F_SETFL, wfl | O_NONBLOCK);
	for (;;) {
		int r = accept ? SSL_accept(ssl) : SSL_connect(ssl);
		struct pollfd p;
		long ms;

		if (r == 1) {
			rc = 0;
			break;
		}
		switch (SSL_get_error(ssl, r)) {
		case SSL_ERROR_WANT_READ:
			p.fd = c->rfd;
			p.events = POLLIN;
			break;
		case SSL_ERROR_WANT_WRITE:
			p.fd = c->wfd;
			p.events = POLLOUT;
			break;
		default:
			log_ssl_errors(accept ? "SSL_accept" : "SSL_connect");
			goto out;
		}
		ms = timeout ? ms_left(&deadline) : -1;
		if (c->deadline_ms != 0 && (ms < 0 || conn_timeout_now(c) < ms))
			ms = conn_timeout_now(c); /* the login's deadline (D-21) */
		if ((timeout || c->deadline_ms != 0) && ms <= 0) {
			log_info("Timeout during TLS handshake");
			goto out;
		}
		if (poll(&p, 1, ms > 2000000000L ? 2000000000 : (int)ms) < 0 && errno != EINTR)
			goto out;
	}
out:
	/* On success the descriptors stay non-blocking: a blocking SSL_read
	 * would wait forever for the rest of a record cut in half, past
	 * every timeout.  conn.c waits with poll() instead. */
	if (rc < 0) {
		fcntl(c->rfd, F_SETFL, rfl);
		fcntl(c->wfd, F_SETFL, wfl);
	}
	return rc;
}

static SSL *new_ssl(SSL_CTX *ctx, const struct conn *c)
{
	SSL *ssl = SSL_new(ctx);

	if (ssl == NULL)
		return NULL;
	if (!SSL_set_rfd(ssl, c->rfd) || !SSL_set_wfd(ssl, c->wfd)) {
		SSL_free(ssl);
		return NULL;
	}
	return ssl;
}

int tls_accept(struct conn *c, unsigned timeout)
{
	SSL *ssl;

	if (listen_ctx == NULL) {
		log_err("No SSL context for listening");
		return -1;
	}
	ssl = new_ssl(listen_ctx, c);
	if (ssl == NULL || handshake(c, ssl, true, timeout) < 0) {
		SSL_free(ssl);
		return -1;
	}
	c->ssl = ssl;
	return 0;
}

static bool is_ip_literal(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

int tls_connect(struct conn *c, const char *host, unsigned timeout)
{
	SSL *ssl;
	long vr;

	if (outgoing_ctx == NULL) {
		log_err("No SSL context for outgoing connections");
		return -1;
	}
	ssl = new_ssl(outgoing_ctx, c);
	if (ssl == NULL)
		return -1;
	if (host != NULL && !is_ip_literal(host))
		SSL_set_tlsext_host_name(ssl, host);
	if (host != NULL && !cfg.no_cert_verify && !cfg.no_cn_verify) {
		X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
		X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (is_ip_literal(host))
			X509_VERIFY_PARAM_set1_ip_asc(param, host);
		else
			X509_VERIFY_PARAM_set1_host(param, host, 0);
	}
	if (handshake(c, ssl, false, timeout) < 0) {
		vr = SSL_get_verify_result(ssl);
		if (vr != X509_V_OK)
			log_err("Certificate was not verified: %s", X509_verify_cert_error_string(vr));
		SSL_free(ssl);
		return -1;
	}
	vr = SSL_get_verify_result(ssl);
	if (!cfg.no_cert_verify && SSL_get0_peer_certificate(ssl) == NULL) {
		log_err("Certificate was not verified: no certificate from server");
		SSL_free(ssl);
		return -1;
	}
	if (vr != X509_V_OK)
		log_debug("server certificate accepted despite: %s",
			  X509_verify_cert_error_string(vr));
	c->ssl = ssl;
	return 0;
}

#else /* !WITH_SSL_SUPPORT */

int tls_init(const struct tls_config *config)
{
	(void)config;
	return 0;
}

int tls_accept(struct conn *c, unsigned timeout)
{
	(void)c;
	(void)timeout;
	log_err("SSL support is not compiled in");
	return -1;
}

int tls_connect(struct conn *c, const char *host, unsigned timeout)
{
	(void)c;
	(void)host;
	(void)timeout;
	log_err("SSL support is not compiled in");
	return -1;
}

#endif
