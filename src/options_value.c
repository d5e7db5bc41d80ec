/*
 * options_value.c: the defaults of the option table, and one option's
 * value parsed and set as its kind says.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "options_desc.h"
#include "options_value.h"
#include "str.h"
#include "xalloc.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

struct name_bits {
	const char *name;
	unsigned bits;
};

/* The state names 2.2 accepts, short forms included. */
static const struct name_bits state_names[] = {
	{ "servername_lookup", STATE_SERVERNAME_LOOKUP },
	{ "server_lookup", STATE_SERVERNAME_LOOKUP },
	{ "local_authentication", STATE_LOCAL_AUTH },
	{ "local_auth", STATE_LOCAL_AUTH },
	{ "remote_login", STATE_REMOTE_LOGIN },
	{ "all", STATE_ALL },
};

static const struct name_bits ssl_mode_names[] = {
	{ "none", SSL_MODE_NONE },
	{ "ssl_listen", SSL_MODE_SSL_LISTEN },
	{ "ssl_outgoing", SSL_MODE_SSL_OUTGOING },
	{ "ssl_all", SSL_MODE_SSL_ALL },
	{ "tls_listen", SSL_MODE_TLS_LISTEN },
	{ "tls_outgoing", SSL_MODE_TLS_OUTGOING },
	{ "tls_all", SSL_MODE_TLS_ALL },
	{ "tls_listen_force", SSL_MODE_TLS_LISTEN | SSL_MODE_TLS_LISTEN_FORCE },
	{ "tls_outgoing_force",
	  SSL_MODE_TLS_OUTGOING | SSL_MODE_TLS_OUTGOING_FORCE },
	{ "tls_all_force", SSL_MODE_TLS_ALL | SSL_MODE_TLS_LISTEN_FORCE |
				   SSL_MODE_TLS_OUTGOING_FORCE },
};

static const char *const protover_names[] = {
	"sslv3", "tlsv1", "tlsv1.1", "tlsv1.2", "tlsv1.3",
};

/* ----------------------------------------------------------- defaults */

static char *dup_default(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

#define DEF_FLAG(f, d) (f) = (d)
#define DEF_UINT(f, d) (f) = (d)
#define DEF_INT(f, d) (f) = (d)
#define DEF_STR(f, d) (f) = dup_default(d)
#define DEF_STATE(f, d) (f) = (d)
#define DEF_LOGPASSWD(f, d) (f) = (d)
#define DEF_PROTO(f, d) (f) = (d)
#define DEF_SSLMODE(f, d) (f) = (d)
#define DEF_PROTOVER(f, d) (f) = dup_default(d)
#define DEF_FD(f, d) (f) = (d)

void options_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
#define OPTION_DEFAULT(kind, name, letter, scope, mask22, arg, def, help) \
	DEF_##kind(o->name, def);
	OPTION_TABLE(OPTION_DEFAULT)
#undef OPTION_DEFAULT
	o->add_domain_strip_depth = 1;
}

static bool holds_string(enum option_kind kind)
{
	return kind == OPT_KIND_STR || kind == OPT_KIND_PROTOVER;
}

void options_free(struct options *o)
{
	for (int i = 0; i < OPTION_COUNT; i++) {
		if (holds_string(option_descs[i].kind)) {
			char **p = option_field(o, i);

			free(*p);
		}
	}
	free(o->basename);
	memset(o, 0, sizeof(*o));
}

/* ------------------------------------------------------------ helpers */

static void set_str(char **p, const char *v)
{
	free(*p);
	*p = v != NULL ? xstrdup(v) : NULL;
}

/* "t|timeout" for options with a letter, else the long name. */
static const char *display_name(int idx, char *buf, size_t len)
{
	const struct option_desc *d = &option_descs[idx];

	if (d->letter != 0)
		snprintf(buf, len, "%c|%s", d->letter, d->name);
	else
		snprintf(buf, len, "%s", d->name);
	return buf;
}

/* Length of the ','-separated item at p; *next is set to the item after
 * it, or to NULL after the last. */
static size_t list_item(const char *p, const char **next)
{
	const char *comma = strchr(p, ',');

	*next = comma != NULL ? comma + 1 : NULL;
	return comma != NULL ? (size_t)(comma - p) : strlen(p);
}

/* Add the bits of the name p (n bytes, any case) to *bits; false when the
 * table has no such name. */
static bool add_named_bits(const struct name_bits *t, size_t nt,
			   const char *p, size_t n, unsigned *bits)
{
	for (size_t i = 0; i < nt; i++) {
		if (str_eq_ci_n(p, n, t[i].name)) {
			*bits |= t[i].bits;
			return true;
		}
	}
	return false;
}

/* Parse like atoi(): blanks, a sign, digits, anything after ignored. */
static int parse_int_loose(const char *s)
{
	long v = 0;
	bool neg = false;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > (long)INT_MAX + 1)
			v = (long)INT_MAX + 1;
	}
	if (neg)
		return v > INT_MAX ? INT_MIN : (int)-v;
	return v > INT_MAX ? INT_MAX : (int)v;
}

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* ------------------------------------------------------ kinds of value */

/* add_domain's strip depth: n digits at p. */
static int parse_strip_depth(const char *p, size_t n, unsigned long *depth)
{
	char num[32];

	if (n >= sizeof(num))
		return -1;
	memcpy(num, p, n);
	num[n] = '\0';
	return str_to_ulong(num, UINT_MAX, depth);
}

/* STATE[,STATE...] (add_domain: also a pure-digit strip depth). */
static int set_state(struct options *o, int idx, const char *v, char *err,
		     size_t errlen)
{
	unsigned bits = 0;
	unsigned long depth = o->add_domain_strip_depth;
	const char *next;

	if (*v == '\0')
		return 0;
	for (const char *p = v; p != NULL; p = next) {
		size_t n = list_item(p, &next);

		if (idx == OPTION_IDX_add_domain && all_digits(p, n)) {
			if (parse_strip_depth(p, n, &depth) < 0) {
				option_set_err(err, errlen,
					"strip depth for add_domain too "
					"large: \"%s\"", v);
				return -1;
			}
		} else if (!add_named_bits(state_names, N_ELEMS(state_names),
					   p, n, &bits)) {
			option_set_err(err, errlen,
				"unknown state for %s: \"%.*s\"",
				option_descs[idx].name,
				(int)(n > 200 ? 200 : n), p);
			return -1;
		}
	}
	/* Like 2.2, states given again add to those set before. */
	*(unsigned *)option_field(o, idx) |= bits;
	if (idx == OPTION_IDX_add_domain)
		o->add_domain_strip_depth = (unsigned)depth;
	return 0;
}

static bool ssl_mode_valid(unsigned m)
{
	const unsigned listen = SSL_MODE_SSL_LISTEN | SSL_MODE_TLS_LISTEN;
	const unsigned out = SSL_MODE_SSL_OUTGOING | SSL_MODE_TLS_OUTGOING;

	if ((m & SSL_MODE_NONE) && (m & ~SSL_MODE_NONE))
		return false;
	return (m & listen) != listen && (m & out) != out;
}

static int set_ssl_mode(struct options *o, const char *v, char *err,
			size_t errlen)
{
	unsigned m = o->ssl_mode;
	const char *next;

	if (*v == '\0')
		return 0;
	for (const char *p = v; p != NULL; p = next) {
		size_t n = list_item(p, &next);

		if (!add_named_bits(ssl_mode_names, N_ELEMS(ssl_mode_names), p,
				    n, &m)) {
			option_set_err(err, errlen,
				       "unknown ssl_mode: \"%.*s\"",
				       (int)(n > 200 ? 200 : n), p);
			return -1;
		}
	}
	if (!ssl_mode_valid(m)) {
		option_set_err(err, errlen,
			       "invalid ssl_mode combination: \"%s\"", v);
		return -1;
	}
	o->ssl_mode = m;
	return 0;
}

int option_protover_rank(const char *v)
{
	if (v == NULL)
		return -1;
	for (size_t i = 0; i < N_ELEMS(protover_names); i++)
		if (strcasecmp(v, protover_names[i]) == 0)
			return (int)i;
	return -1;
}

static int set_protover(struct options *o, int idx, const char *v,
			char *err, size_t errlen)
{
	int n = option_protover_rank(v);

	if (n < 0) {
		option_set_err(err, errlen,
			"Invalid protocol version for %s: \"%.200s\" "
			"(sslv3, tlsv1, tlsv1.1, tlsv1.2 or tlsv1.3)",
			option_descs[idx].name, v);
		return -1;
	}
	set_str(option_field(o, idx), protover_names[n]);
	return 0;
}

static int set_ulong(struct options *o, int idx, const char *v, char *err,
		     size_t errlen)
{
	unsigned long max = option_descs[idx].kind == OPT_KIND_FD ? INT_MAX
								  : UINT_MAX;
	unsigned long ul;
	char dn[64];

	if (str_to_ulong(v, max, &ul) < 0) {
		option_set_err(err, errlen,
			"Parameter to %s must be a positive integer: "
			"\"%.200s\"", display_name(idx, dn, sizeof(dn)), v);
		return -1;
	}
	*(unsigned long *)option_field(o, idx) = ul;
	return 0;
}

/* Set the three capabilities from -I, leaving those the command line
 * set alone when -I comes from a file. */
static void set_capability(struct options *o, const char *v, bool from_file)
{
	static const int caps[] = {
		OPTION_IDX_pop_capability,
		OPTION_IDX_imap_capability,
		OPTION_IDX_managesieve_capability,
	};

	for (size_t i = 0; i < N_ELEMS(caps); i++) {
		if (from_file && o->given[caps[i]])
			continue;
		set_str(option_field(o, caps[i]), v);
		o->seen[caps[i]] = true;
		if (!from_file)
			o->given[caps[i]] = true;
	}
}

static int set_string(struct options *o, int idx, const char *v,
		      bool from_file, char *err, size_t errlen)
{
	if (idx == OPTION_IDX_pid_file && *v != '\0' && *v != '/') {
		option_set_err(err, errlen, "Invalid pid file: \"%.200s\"", v);
		return -1;
	}
	set_str(option_field(o, idx), v);
	if (idx == OPTION_IDX_capability)
		set_capability(o, v, from_file);
	return 0;
}

static int set_log_passwd(struct options *o, const char *v, char *err,
			  size_t errlen)
{
	int n = log_passwd_by_name(v);

	if (n < 0) {
		option_set_err(err, errlen,
			       "Unknown log_passwd value: \"%.200s\"", v);
		return -1;
	}
	o->log_passwd = (unsigned)n;
	return 0;
}

static int set_protocol(struct options *o, const char *v, char *err,
			size_t errlen)
{
	int n = protocol_by_name(v);

	if (n < 0) {
		option_set_err(err, errlen, "Unknown protocol: \"%.200s\"", v);
		return -1;
	}
	o->protocol = n;
	o->protocol_set = true;
	return 0;
}

/* ---------------------------------------------------------- one option */

/* Parse v as option idx's kind and store it. */
static int set_value(struct options *o, int idx, const char *v,
		     bool from_file, char *err, size_t errlen)
{
	switch (option_descs[idx].kind) {
	case OPT_KIND_FLAG:
		*(bool *)option_field(o, idx) = true;
		return 0;
	case OPT_KIND_UINT:
	case OPT_KIND_FD:
		return set_ulong(o, idx, v, err, errlen);
	case OPT_KIND_INT:
		*(int *)option_field(o, idx) = parse_int_loose(v);
		return 0;
	case OPT_KIND_STR:
		return set_string(o, idx, v, from_file, err, errlen);
	case OPT_KIND_STATE:
		return set_state(o, idx, v, err, errlen);
	case OPT_KIND_LOGPASSWD:
		return set_log_passwd(o, v, err, errlen);
	case OPT_KIND_PROTO:
		return set_protocol(o, v, err, errlen);
	case OPT_KIND_SSLMODE:
		return set_ssl_mode(o, v, err, errlen);
	case OPT_KIND_PROTOVER:
		return set_protover(o, idx, v, err, errlen);
	}
	return 0;
}

/* False (message in err) for an option this build leaves out. */
static bool in_this_build(const struct option_desc *d, char *err,
			  size_t errlen)
{
	const char *missing = NULL;

#ifndef WITH_SSL_SUPPORT
	if (d->scope & OPT_SSL)
		missing = "ssl";
#endif
#ifndef WITH_PAM_SUPPORT
	if (d->scope & OPT_PAM)
		missing = "pam";
#endif
	if (missing == NULL)
		return true;
	option_set_err(err, errlen, "%s is only supported when %s support "
		       "is compiled in", d->name, missing);
	return false;
}

int option_apply(struct options *o, int idx, const char *v, bool from_file,
		 char *err, size_t errlen)
{
	const struct option_desc *d = &option_descs[idx];
	char dn[64];

	if (from_file && (d->scope & OPT_CLI_ONLY))
		return 0;
	if (from_file && o->given[idx])
		return 0;
	if (!in_this_build(d, err, errlen))
		return -1;
	if (d->kind != OPT_KIND_FLAG && v == NULL) {
		option_set_err(err, errlen, "%s: missing argument",
			       display_name(idx, dn, sizeof(dn)));
		return -1;
	}
	if (set_value(o, idx, v, from_file, err, errlen) < 0)
		return -1;
	o->seen[idx] = true;
	if (!from_file)
		o->given[idx] = true;
	return 0;
}
