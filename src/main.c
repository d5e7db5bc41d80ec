/*
 * main.c: options, then an inetd session or the standalone daemon.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat22.h"
#include "daemon.h"
#include "defs.h"
#include "log.h"
#include "monitor.h"
#include "options.h"
#include "pam_auth.h"
#include "popmap.h"
#include "privileges.h"
#include "reload.h"
#include "proctitle.h"
#include "route.h"
#include "sandbox.h"
#include "session.h"
#include "tls.h"
#include "user_server_port.h"

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* The ssl_* options, for tls.c. */
static void tls_config_from_options(struct tls_config *t)
{
	const struct options *o = &options;

	t->listen = (o->ssl_mode & (SSL_MODE_SSL_LISTEN | SSL_MODE_TLS_LISTEN |
				    SSL_MODE_TLS_LISTEN_FORCE)) != 0;
	t->outgoing = (o->ssl_mode & (SSL_MODE_SSL_OUTGOING | SSL_MODE_TLS_OUTGOING |
				      SSL_MODE_TLS_OUTGOING_FORCE)) != 0;
	t->cert_file = o->ssl_cert_file;
	t->key_file = o->ssl_key_file;
	t->dh_params_file = o->ssl_dh_params_file;
	t->passphrase_file = o->ssl_passphrase_file;
	t->passphrase_fd = (int)o->ssl_passphrase_fd;
	t->ca_file = o->ssl_ca_file;
	t->ca_path = o->ssl_ca_path;
	t->ca_chain_file = o->ssl_ca_chain_file;
	t->listen_ciphers = o->ssl_listen_ciphers;
	t->outgoing_ciphers = o->ssl_outgoing_ciphers;
	t->listen_min_proto_version = o->ssl_listen_min_proto_version;
	t->listen_max_proto_version = o->ssl_listen_max_proto_version;
	t->outgoing_min_proto_version = o->ssl_outgoing_min_proto_version;
	t->outgoing_max_proto_version = o->ssl_outgoing_max_proto_version;
	t->listen_compression = o->ssl_listen_compression;
	t->outgoing_compression = o->ssl_outgoing_compression;
	t->no_cipher_server_preference = o->ssl_no_cipher_server_preference;
	t->no_cert_verify = o->ssl_no_cert_verify;
	t->no_client_cert_verify = o->ssl_no_client_cert_verify;
	t->no_cn_verify = o->ssl_no_cn_verify;
	t->cert_accept_expired = o->ssl_cert_accept_expired;
	t->cert_accept_not_yet_valid = o->ssl_cert_accept_not_yet_valid;
	t->cert_accept_self_signed = o->ssl_cert_accept_self_signed;
	t->ca_accept_self_signed = o->ssl_ca_accept_self_signed;
	t->cert_verify_depth = o->ssl_cert_verify_depth;
}

/* Once, in the parent: TLS contexts, the map library, the default
 * servers, libpam.  Returns 0 or -1 (logged). */
static int init_parent(void)
{
	struct sandbox_config sandbox;
	struct tls_config tls;
	const struct route_config route = {
		.outgoing_server = options.outgoing_server,
		.outgoing_port = options.outgoing_port,
		.domain_delimiter = options.domain_delimiter,
		.query_key = options.query_key,
		.client_server_specification = options.client_server_specification,
		.no_lookup = options.no_lookup,
	};

	tls_config_from_options(&tls);
	if (tls_init(&tls) < 0)
		return -1;
	if (popmap_load(options.map_library, options.map_library_opt) < 0)
		return -1;
	if (route_init(&route) < 0)
		return -1;
	if (options.authenticate_in && pam_auth_load() < 0)
		return -1;
	session_init_parent();
	sandbox = session_sandbox_config();
	return sandbox_prepare(&sandbox);
}

/* inetd mode: a monitor of this session's own when one is needed (see
 * daemon.c), then chroot (option) and become the run user, as the daemon
 * does before its first connection. */
static int inetd_drop(void)
{
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	pid_t pid;

	if (geteuid() == 0 &&
	    privileges_lookup(options.username, options.group, &uid, &gid) < 0)
		return -1;
	if (monitor_wanted(options.authenticate_in, uid)) {
		pid = monitor_start(log_fd() >= 0);
		if (pid < 0)
			return -1;
		if (pid == 0)
			monitor_serve(options.basename);
	}
	if (privileges_chroot(options.chroot) < 0)
		return -1;
	privileges_drop_ids(uid, gid);
	return 0;
}

int main(int argc, char **argv)
{
	struct sandbox_config sandbox;
	int level;

	proctitle_init(argc, argv);
	log_init(base_name(argv[0]));
	options_load(argc, argv);
	reload_init(argc, argv);
	/* What 2.2's map libraries read of the options (SPEC 5, D-14). */
	compat22_fill(options.domain_delimiter);
	user_server_port_set_delimiter(options.domain_delimiter);

	level = options.debug ? LOG_DEBUG : options.quiet ? LOG_ERR : LOG_INFO;
	if (log_open(options.log_facility, level) < 0)
		return EXIT_FATAL;
	daemon_log_startup();

	if (init_parent() < 0)
		return EXIT_FATAL;

	if (options.inetd_mode) {
		/* inetd may start us as root: keep no more privilege than the
		 * daemon's children. */
		if (inetd_drop() < 0)
			return EXIT_FATAL;
		signals_child();
		sandbox = session_sandbox_config();
		if (sandbox_enter(&sandbox) < 0)
			return EXIT_FATAL;
		session_main(0, 1, true);
	}
	return daemon_main();
}
