/*
 * options_finish.c: after parsing, the checks across options and the
 * defaults that depend on the protocol or the invocation name.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cidr.h"
#include "options_desc.h"
#include "options_value.h"
#include "xalloc.h"

/* Default ports by protocol (enum protocol_id): service names, and
 * numbers for no_lookup. */
static const char *const port_names[] = {
	"pop3", "pop3s", "imap", "imaps", "sieve",
};
static const char *const port_numbers[] = {
	"110", "995", "143", "993", "4190",
};

/* min must not be newer than max (max unset: OpenSSL's newest). */
static int check_protover_range(const char *min, const char *max,
				const char *side, char *err, size_t errlen)
{
	if (max == NULL ||
	    option_protover_rank(min) <= option_protover_rank(max))
		return 0;
	option_set_err(err, errlen, "ssl_%s_min_proto_version \"%s\" is newer "
		       "than ssl_%s_max_proto_version \"%s\"", side, min, side,
		       max);
	return -1;
}

/* proxy_protocol_trusted must parse (the session parses it again, once,
 * in the parent). */
static int check_trusted(const struct options *o, char *err, size_t errlen)
{
	struct cidr_list l;
	char why[128];

	if (o->proxy_protocol_trusted == NULL)
		return 0;
	if (cidr_list_parse(o->proxy_protocol_trusted, &l, why, sizeof(why)) < 0) {
		option_set_err(err, errlen, "proxy_protocol_trusted: %s", why);
		return -1;
	}
	cidr_list_free(&l);
	return 0;
}

/* Options that may not be used together.  Returns 0 or -1 (err). */
static int check_combinations(const struct options *o, char *err,
			      size_t errlen)
{
	int p = o->protocol;

#ifndef WITH_SSL_SUPPORT
	if (p == PROTO_POP3S || p == PROTO_IMAP4S) {
		option_set_err(err, errlen, "protocol %s is only supported "
			       "when ssl support is compiled in",
			       protocol_name(p));
		return -1;
	}
#endif
	if (o->authenticate_in && p == PROTO_MANAGESIEVE) {
		option_set_err(err, errlen, "authenticate_in is not supported "
			       "with the MANAGESIEVE protocol");
		return -1;
	}
	if (o->seen[OPTION_IDX_ssl_passphrase_fd] &&
	    o->seen[OPTION_IDX_ssl_passphrase_file]) {
		option_set_err(err, errlen, "ssl_passphrase_fd and "
			       "ssl_passphrase_file may not be used together");
		return -1;
	}
	if (check_trusted(o, err, errlen) < 0)
		return -1;
	if (check_protover_range(o->ssl_listen_min_proto_version,
				 o->ssl_listen_max_proto_version, "listen",
				 err, errlen) < 0 ||
	    check_protover_range(o->ssl_outgoing_min_proto_version,
				 o->ssl_outgoing_max_proto_version,
				 "outgoing", err, errlen) < 0)
		return -1;
	return 0;
}

/* The defaults the table leaves NULL or empty. */
static void fill_derived(struct options *o)
{
	int p = o->protocol;
	const char *port = o->no_lookup ? port_numbers[p] : port_names[p];

	if (o->server_ok_line)
		o->server_resp_line = true;
	if (o->listen_port == NULL)
		o->listen_port = xstrdup(port);
	if (o->outgoing_port == NULL)
		o->outgoing_port = xstrdup(port);
	if (o->pid_file == NULL) {
		size_t len = strlen(PERDITION_LOCALSTATEDIR) +
			     2 * strlen(o->basename) + 16;

		o->pid_file = xmalloc(len);
		snprintf(o->pid_file, len, "%s/run/%s/%s.pid",
			 PERDITION_LOCALSTATEDIR, o->basename, o->basename);
	}
	if ((p == PROTO_POP3S || p == PROTO_IMAP4S) &&
	    o->ssl_mode == SSL_MODE_EMPTY)
		o->ssl_mode = SSL_MODE_SSL_ALL;
}

int options_finish(struct options *o, char *err, size_t errlen)
{
	if (!protocol_valid(o->protocol)) {
		option_set_err(err, errlen, "Unknown protocol: %d",
			       o->protocol);
		return -1;
	}
	if (o->basename == NULL)
		o->basename = xstrdup("perdition");
	if (check_combinations(o, err, errlen) < 0)
		return -1;
	fill_derived(o);
	return 0;
}
