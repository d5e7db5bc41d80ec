/*
 * options_render.c: the options as text for people: --help, and the
 * startup option log in perdition 2.2's format (SPEC 6.3).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "mask.h"
#include "options_compat.h"
#include "options_desc.h"
#include "xalloc.h"

/* ------------------------------------------------------ growable text */

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_grow(struct sbuf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;
	char *np;

	while (cap < b->len + need + 1)
		cap *= 2;
	np = xmalloc(cap);
	if (b->p != NULL)
		memcpy(np, b->p, b->len + 1);
	else
		np[0] = '\0';
	free(b->p);
	b->p = np;
	b->cap = cap;
}

static void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->p != NULL ? b->p + b->len : NULL, room, fmt,
			      ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		sb_grow(b, (size_t)n);
	}
}

/* ------------------------------------------------------ values as text */

static void state_string(struct sbuf *b, unsigned st)
{
	char text[OPTION_STATE_TEXT_MAX];

	sb_printf(b, "%s", option_state_text(st, text, sizeof(text)));
}

/* One more item of a ','-separated list, when want. */
static void sb_item(struct sbuf *b, bool *first, bool want, const char *item)
{
	if (!want)
		return;
	sb_printf(b, "%s%s", *first ? "" : ",", item);
	*first = false;
}

static void ssl_mode_string(struct sbuf *b, unsigned m)
{
	bool first = true;

	if (m == SSL_MODE_NONE) {
		sb_item(b, &first, true, "none");
		return;
	}
	if ((m & SSL_MODE_SSL_ALL) == SSL_MODE_SSL_ALL) {
		sb_item(b, &first, true, "ssl_all");
	} else if ((m & SSL_MODE_TLS_ALL) == SSL_MODE_TLS_ALL) {
		sb_item(b, &first, true, "tls_all");
	} else {
		sb_item(b, &first, m & SSL_MODE_SSL_LISTEN, "ssl_listen");
		sb_item(b, &first, m & SSL_MODE_SSL_OUTGOING, "ssl_outgoing");
		sb_item(b, &first, m & SSL_MODE_TLS_LISTEN, "tls_listen");
		sb_item(b, &first, m & SSL_MODE_TLS_OUTGOING, "tls_outgoing");
	}
	if ((m & SSL_MODE_TLS_LISTEN_FORCE) &&
	    (m & SSL_MODE_TLS_OUTGOING_FORCE)) {
		sb_item(b, &first, true, "tls_all_force");
	} else {
		sb_item(b, &first, m & SSL_MODE_TLS_OUTGOING_FORCE,
			"tls_outgoing_force");
		sb_item(b, &first, m & SSL_MODE_TLS_LISTEN_FORCE,
			"tls_listen_force");
	}
}

/* ---------------------------------------------------------------- help */

/* Print text word-wrapped at width, each line indented by indent. */
static void wrap(FILE *f, const char *text, int indent, int width)
{
	const char *p = text;
	int col = 0;

	while (*p != '\0') {
		size_t w;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		w = strcspn(p, " ");
		if (col > 0 && col + 1 + (int)w > width) {
			fputc('\n', f);
			col = 0;
		}
		if (col == 0) {
			fprintf(f, "%*s", indent, "");
			col = indent;
		} else {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, w, f);
		col += (int)w;
		p += w;
	}
	if (col > 0)
		fputc('\n', f);
}

/* The default of option i as --help shows it, or "" to show none. */
static void default_string(struct sbuf *b, const struct options *d, int i)
{
	const void *f = option_cfield(d, i);

	/* Help texts that explain their default say it better. */
	if (strstr(option_descs[i].help, "default") != NULL)
		return;
	switch (option_descs[i].kind) {
	case OPT_KIND_FLAG:
		sb_printf(b, "%s", *(const bool *)f ? "on" : "off");
		break;
	case OPT_KIND_UINT:
	case OPT_KIND_FD:
		sb_printf(b, "%lu", *(const unsigned long *)f);
		break;
	case OPT_KIND_INT:
		sb_printf(b, "%d", *(const int *)f);
		break;
	case OPT_KIND_STR:
	case OPT_KIND_PROTOVER:
		if (*(char *const *)f != NULL)
			sb_printf(b, "\"%s\"", *(char *const *)f);
		else
			sb_printf(b, "none");
		break;
	case OPT_KIND_STATE:
		sb_printf(b, "\"");
		state_string(b, *(const unsigned *)f);
		sb_printf(b, "\"");
		break;
	case OPT_KIND_LOGPASSWD:
		sb_printf(b, "%s", log_passwd_name(*(const unsigned *)f));
		break;
	case OPT_KIND_PROTO:
		sb_printf(b, "%s", protocol_name(*(const int *)f));
		break;
	case OPT_KIND_SSLMODE:
		sb_printf(b, "\"");
		ssl_mode_string(b, *(const unsigned *)f);
		sb_printf(b, "\"");
		break;
	}
}

/* The help paragraph of option i: its text, its default, its build. */
static void help_text(struct sbuf *b, const struct options *d, int i)
{
	const struct option_desc *o = &option_descs[i];
	size_t mark;

	b->len = 0;
	sb_printf(b, "%s (default: ", o->help);
	mark = b->len;
	default_string(b, d, i);
	if (b->len == mark) {
		/* Nothing to show: drop " (default: " again. */
		b->len = mark - strlen(" (default: ");
		b->p[b->len] = '\0';
	} else {
		sb_printf(b, ")");
	}
#ifndef WITH_SSL_SUPPORT
	if (o->scope & OPT_SSL)
		sb_printf(b, " [not in this build: no ssl support]");
#endif
#ifndef WITH_PAM_SUPPORT
	if (o->scope & OPT_PAM)
		sb_printf(b, " [not in this build: no pam support]");
#endif
}

void options_usage(FILE *f)
{
	struct options d;
	struct sbuf b = { 0 };

	options_defaults(&d);
	fprintf(f,
		"perdition version %s\n"
		"perdition is a POP3, IMAP4 and ManageSieve proxy.\n"
		"\n"
		"Usage: perdition [options]\n"
		"\n"
		"Options:\n",
		PACKAGE_VERSION);
	for (int i = 0; i < OPTION_COUNT; i++) {
		const struct option_desc *o = &option_descs[i];

		if (o->letter != 0)
			fprintf(f, "  -%c, --%s", o->letter, o->name);
		else
			fprintf(f, "      --%s", o->name);
		if (o->arg != NULL)
			fprintf(f, " %s", o->arg);
		fputc('\n', f);
		help_text(&b, &d, i);
		wrap(f, b.p, 8, 78);
	}
	free(b.p);
	options_free(&d);
}

/* ---------------------------------------------------------- option log */

#define S(x) ((x) != NULL ? (x) : "(null)")
#define B(x) ((x) ? "on" : "off")

static void log_line1(struct sbuf *b, const struct options *o,
		      const unsigned m[3])
{
	struct utsname u;
	const char *node = uname(&u) == 0 ? u.nodename : "";
	/* Never a database password in the log (D-16). */
	char *map_opt = mask_map_opt(o->map_library, o->map_library_opt);

	sb_printf(b, "add_domain=\"");
	state_string(b, o->add_domain);
	if (o->add_domain != 0)
		sb_printf(b, ",%u", o->add_domain_strip_depth);
	sb_printf(b, "\", ");
#ifdef WITH_PAM_SUPPORT
	sb_printf(b, "authenticate_in=%s, ", B(o->authenticate_in));
#endif
	sb_printf(b,
		  "authenticate_timeout=%lu, bind_address=\"%s\", "
		  "client_server_specification=%s, config_file=\"%s\", "
		  "connection_limit=%lu, connection_logging=%s, "
		  "connect_relog=%lu, debug=%s, domain_delimiter=\"%s\", "
		  "explicit_domain=\"%s\", group=\"%s\", "
		  "imap_capability=\"%s\", inetd_mode=%s, "
		  "listen_port=\"%s\", log_facility=\"%s\", "
		  "log_passwd=\"%s\", login_disabled=%s, lower_case=\"",
		  o->authenticate_timeout, S(o->bind_address),
		  B(o->client_server_specification), S(o->config_file),
		  o->connection_limit, B(o->connection_logging),
		  o->connect_relog, B(o->debug), S(o->domain_delimiter),
		  S(o->explicit_domain), S(o->group), S(o->imap_capability),
		  B(o->inetd_mode), S(o->listen_port), S(o->log_facility),
		  log_passwd_name(o->log_passwd), B(o->login_disabled));
	state_string(b, o->lower_case);
	sb_printf(b,
		  "\", managesieve_capability=\"%s\", map_library=\"%s\", "
		  "map_library_opt=\"%s\", no_bind_banner=%s, "
		  "no_daemon=%s, no_lookup=%s, tcp_keepalive=%s, "
		  "nodename=\"%s\", ok_line=\"%s\", outgoing_port=\"%s\", "
		  "outgoing_server=\"%s\", pid_file=\"%s\", "
		  "pop_capability=\"%s\", protocol=\"%s\", "
		  "server_resp_line=%s, strip_domain=\"",
		  S(o->managesieve_capability), S(o->map_library),
		  S(map_opt), B(o->no_bind_banner),
		  B(o->no_daemon), B(o->no_lookup), B(o->tcp_keepalive), node,
		  S(o->ok_line), S(o->outgoing_port), S(o->outgoing_server),
		  S(o->pid_file), S(o->pop_capability),
		  protocol_name(o->protocol), B(o->server_resp_line));
	free(map_opt);
	state_string(b, o->strip_domain);
	sb_printf(b,
		  "\", timeout=%lu, username=\"%s\", "
		  "username_from_database=%s, query_key=\"%s\", quiet=%s "
		  "(mask=0x%08x %08x)",
		  o->timeout, S(o->username), B(o->username_from_database),
		  S(o->query_key), B(o->quiet), m[0], m[1]);
}

#ifdef WITH_SSL_SUPPORT
static void log_line2(struct sbuf *b, const struct options *o,
		      const unsigned m[3])
{
	sb_printf(b, "ssl_mode=\"");
	ssl_mode_string(b, o->ssl_mode);
	sb_printf(b,
		  "\", ssl_ca_file=\"%s\", ssl_ca_path=\"%s\", "
		  "ssl_ca_accept_self_signed=\"%s\", ssl_cert_file=\"%s\", "
		  "ssl_cert_accept_expired=\"%s\", "
		  "ssl_cert_not_yet_valid=\"%s\", "
		  "ssl_cert_self_signed=\"%s\", ssl_cert_verify_depth=%d, "
		  "ssl_key_file=\"%s\", ssl_listen_ciphers=\"%s\", "
		  "ssl_outgoing_ciphers=\"%s\", ssl_no_cert_verify=\"%s\", "
		  "ssl_no_client_cert_verify=\"%s\", "
		  "ssl_no_cn_verify=\"%s\" ssl_passphrase_fd=%lu, "
		  "ssl_passphrase_file=\"%s\", ",
		  S(o->ssl_ca_file), S(o->ssl_ca_path),
		  B(o->ssl_ca_accept_self_signed), S(o->ssl_cert_file),
		  B(o->ssl_cert_accept_expired),
		  B(o->ssl_cert_accept_not_yet_valid),
		  B(o->ssl_cert_accept_self_signed), o->ssl_cert_verify_depth,
		  S(o->ssl_key_file), S(o->ssl_listen_ciphers),
		  S(o->ssl_outgoing_ciphers), B(o->ssl_no_cert_verify),
		  B(o->ssl_no_client_cert_verify), B(o->ssl_no_cn_verify),
		  o->ssl_passphrase_fd, S(o->ssl_passphrase_file));
	sb_printf(b,
		  "ssl_listen_min_proto_version=\"%s\", "
		  "ssl_outgoing_min_proto_version=\"%s\", "
		  "ssl_listen_max_proto_version=\"%s\", "
		  "ssl_outgoing_max_proto_version=\"%s\", "
		  "ssl_listen_compression=\"%s\", "
		  "ssl_outgoing_compression=\"%s\", "
		  "ssl_no_cipher_server_preference=\"%s\", "
		  "(ssl_mask=0x%08x) ",
		  S(o->ssl_listen_min_proto_version),
		  S(o->ssl_outgoing_min_proto_version),
		  S(o->ssl_listen_max_proto_version),
		  S(o->ssl_outgoing_max_proto_version),
		  B(o->ssl_listen_compression), B(o->ssl_outgoing_compression),
		  B(o->ssl_no_cipher_server_preference), m[2]);
}
#endif

#undef S
#undef B

const char *options_log_string(const struct options *o, int n)
{
	static struct sbuf b;
	unsigned m[3];

	options_masks22(o, m);
	b.len = 0;
	if (b.p != NULL)
		b.p[0] = '\0';
	switch (n) {
	case 0:
		sb_printf(&b, "Starting perdition version=%s protocol=%s",
			  PACKAGE_VERSION, protocol_name(o->protocol));
		break;
	case 1:
		log_line1(&b, o, m);
		break;
#ifdef WITH_SSL_SUPPORT
	case 2:
		log_line2(&b, o, m);
		break;
#endif
	default:
		return NULL;
	}
	return b.p;
}
