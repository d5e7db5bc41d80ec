/*
 * options.c: command line, config file, --help and the option log, all
 * driven by the one OPTION_TABLE of options.h.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "config_file.h"
#include "defs.h"
#include "log.h"
#include "mask.h"
#include "options.h"
#include "str.h"

/* A config file larger than this is refused rather than read. */
#define MAX_CONFIG_FILE_SIZE (1024 * 1024)

/* getopt_long value of long option i (above every short letter). */
#define LONG_VAL_BASE 256

struct options options;

enum opt_kind {
	K_FLAG,
	K_UINT,
	K_INT,
	K_STR,
	K_STATE,
	K_LOGPASSWD,
	K_PROTO,
	K_SSLMODE,
	K_PROTOVER,
	K_FD,
};

struct opt_desc {
	const char *name;
	int letter;
	int scope;
	enum opt_kind kind;
	const char *arg;
	const char *help;
	size_t offset;
};

#define OPTION_DESC(kind, name, letter, scope, arg, def, help) \
	{ #name, letter, scope, K_##kind, arg, help, \
	  offsetof(struct options, name) },
static const struct opt_desc descs[OPTION_COUNT] = {
	OPTION_TABLE(OPTION_DESC)
};
#undef OPTION_DESC

static const char *sysconfdir = PERDITION_SYSCONFDIR;

/* Protocol shown as the default by --help (from the invocation name). */
static int usage_protocol = PROTO_POP3;

static const char *const proto_names[] = {
	"POP3", "POP3S", "IMAP4", "IMAP4S", "MANAGESIEVE",
};

/* Default ports by protocol: service names, and numbers for no_lookup. */
static const char *const port_names[] = {
	"pop3", "pop3s", "imap", "imaps", "sieve",
};
static const char *const port_numbers[] = {
	"110", "995", "143", "993", "4190",
};

static const char *const protover_names[] = {
	"sslv3", "tlsv1", "tlsv1.1", "tlsv1.2", "tlsv1.3",
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ helpers */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void *field(struct options *o, int idx)
{
	return (char *)o + descs[idx].offset;
}

static const void *cfield(const struct options *o, int idx)
{
	return (const char *)o + descs[idx].offset;
}

static void set_str(char **p, const char *v)
{
	free(*p);
	*p = v != NULL ? xstrdup(v) : NULL;
}

static char *dup_default(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* "t|timeout" for options with a letter, else the long name. */
static const char *display_name(int idx, char *buf, size_t len)
{
	if (descs[idx].letter != 0)
		snprintf(buf, len, "%c|%s", descs[idx].letter,
			 descs[idx].name);
	else
		snprintf(buf, len, "%s", descs[idx].name);
	return buf;
}

static int find_long(const char *name)
{
	for (int i = 0; i < OPTION_COUNT; i++)
		if (strcmp(descs[i].name, name) == 0)
			return i;
	return -1;
}

static int find_letter(int c)
{
	for (int i = 0; i < OPTION_COUNT; i++)
		if (c != 0 && descs[i].letter == c)
			return i;
	return -1;
}

static const char *base_name(const char *path)
{
	const char *slash;

	if (path == NULL || *path == '\0')
		return "perdition";
	slash = strrchr(path, '/');
	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

/* Protocol selected by the invocation name (SPEC 2.1). */
static int protocol_from_basename(const char *bn)
{
	static const struct {
		const char *name;
		int proto;
	} names[] = {
		{ "perdition.pop3", PROTO_POP3 },
		{ "perdition.pop3s", PROTO_POP3S },
		{ "perdition.imap4", PROTO_IMAP4 },
		{ "perdition.imap4s", PROTO_IMAP4S },
		{ "perdition.imaps", PROTO_IMAP4S },
		{ "perdition.managesieve", PROTO_MANAGESIEVE },
	};

	for (size_t i = 0; i < N_ELEMS(names); i++)
		if (bn != NULL && strcmp(bn, names[i].name) == 0)
			return names[i].proto;
	return PROTO_POP3;
}

const char *protocol_name(int id)
{
	if (id < 0 || (size_t)id >= N_ELEMS(proto_names))
		return "unknown";
	return proto_names[id];
}

void options_set_sysconfdir(const char *dir)
{
	sysconfdir = dir != NULL ? dir : PERDITION_SYSCONFDIR;
}

/* --------------------------------------------------------- defaults */

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
#define OPTION_DEFAULT(kind, name, letter, scope, arg, def, help) \
	DEF_##kind(o->name, def);
	OPTION_TABLE(OPTION_DEFAULT)
#undef OPTION_DEFAULT
	o->add_domain_strip_depth = 1;
}

void options_free(struct options *o)
{
	for (int i = 0; i < OPTION_COUNT; i++) {
		if (descs[i].kind == K_STR || descs[i].kind == K_PROTOVER) {
			char **p = field(o, i);

			free(*p);
		}
	}
	free(o->basename);
	memset(o, 0, sizeof(*o));
}

/* ------------------------------------------------ values of each kind */

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

static const struct {
	const char *name;
	unsigned bits;
} state_names[] = {
	{ "servername_lookup", STATE_SERVERNAME_LOOKUP },
	{ "server_lookup", STATE_SERVERNAME_LOOKUP },
	{ "local_authentication", STATE_LOCAL_AUTH },
	{ "local_auth", STATE_LOCAL_AUTH },
	{ "remote_login", STATE_REMOTE_LOGIN },
	{ "all", STATE_ALL },
};

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* STATE[,STATE...] (add_domain: also a pure-digit strip depth). */
static int parse_state(struct options *o, int idx, const char *v,
		       char *err, size_t errlen)
{
	unsigned *st = field(o, idx);
	unsigned bits = 0;
	unsigned long depth = o->add_domain_strip_depth;
	const char *p = v;

	if (*v == '\0')
		return 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		bool found = false;

		if (idx == OPTION_IDX_add_domain && all_digits(p, n)) {
			char num[32];

			if (n >= sizeof(num) ||
			    (str_copy(num, p, n + 1), false) ||
			    str_to_ulong(num, UINT_MAX, &depth) < 0) {
				set_err(err, errlen,
					"strip depth for add_domain too "
					"large: \"%s\"", v);
				return -1;
			}
			found = true;
		}
		for (size_t i = 0; !found && i < N_ELEMS(state_names); i++) {
			if (str_eq_ci_n(p, n, state_names[i].name)) {
				bits |= state_names[i].bits;
				found = true;
			}
		}
		if (!found) {
			set_err(err, errlen, "unknown state for %s: \"%.*s\"",
				descs[idx].name, (int)(n > 200 ? 200 : n), p);
			return -1;
		}
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	/* Like 2.2, states given again add to those set before. */
	*st |= bits;
	if (idx == OPTION_IDX_add_domain)
		o->add_domain_strip_depth = (unsigned)depth;
	return 0;
}

static const struct {
	const char *name;
	unsigned bits;
} ssl_mode_names[] = {
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

static bool ssl_mode_valid(unsigned m)
{
	const unsigned listen = SSL_MODE_SSL_LISTEN | SSL_MODE_TLS_LISTEN;
	const unsigned out = SSL_MODE_SSL_OUTGOING | SSL_MODE_TLS_OUTGOING;

	if ((m & SSL_MODE_NONE) && (m & ~SSL_MODE_NONE))
		return false;
	return (m & listen) != listen && (m & out) != out;
}

static int parse_ssl_mode(struct options *o, const char *v, char *err,
			  size_t errlen)
{
	unsigned m = o->ssl_mode;
	const char *p = v;

	if (*v == '\0')
		return 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		bool found = false;

		for (size_t i = 0; !found && i < N_ELEMS(ssl_mode_names); i++) {
			if (str_eq_ci_n(p, n, ssl_mode_names[i].name)) {
				m |= ssl_mode_names[i].bits;
				found = true;
			}
		}
		if (!found) {
			set_err(err, errlen, "unknown ssl_mode: \"%.*s\"",
				(int)(n > 200 ? 200 : n), p);
			return -1;
		}
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	if (!ssl_mode_valid(m)) {
		set_err(err, errlen, "invalid ssl_mode combination: \"%s\"", v);
		return -1;
	}
	o->ssl_mode = m;
	return 0;
}

static int protover_rank(const char *v)
{
	if (v == NULL)
		return -1;
	for (size_t i = 0; i < N_ELEMS(protover_names); i++)
		if (strcasecmp(v, protover_names[i]) == 0)
			return (int)i;
	return -1;
}

/* min must not be newer than max (max unset: OpenSSL's newest). */
static int check_protover_range(const char *min, const char *max, const char *side,
				char *err, size_t errlen)
{
	if (max == NULL || protover_rank(min) <= protover_rank(max))
		return 0;
	set_err(err, errlen, "ssl_%s_min_proto_version \"%s\" is newer than "
		"ssl_%s_max_proto_version \"%s\"", side, min, side, max);
	return -1;
}

static int parse_protocol(const char *v)
{
	for (size_t i = 0; i < N_ELEMS(proto_names); i++)
		if (strcasecmp(v, proto_names[i]) == 0)
			return (int)i;
	return -1;
}

static const char *const log_passwd_names[] = {
	[LOG_PASSWD_NEVER] = "never",
	[LOG_PASSWD_FAIL] = "fail",
	[LOG_PASSWD_OK] = "ok",
	[LOG_PASSWD_ALWAYS] = "always",
};

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
		set_str(field(o, caps[i]), v);
		o->seen[caps[i]] = true;
		if (!from_file)
			o->given[caps[i]] = true;
	}
}

/*
 * Give option idx the value v (NULL for a flag).  Returns 0 or -1 with a
 * message in err.
 */
static int apply(struct options *o, int idx, const char *v, bool from_file,
		 char *err, size_t errlen)
{
	const struct opt_desc *d = &descs[idx];
	char dn[64];
	unsigned long ul;
	int n;

	if (from_file && (d->scope & OPT_CLI_ONLY))
		return 0;
	if (from_file && o->given[idx])
		return 0;
#ifndef WITH_SSL_SUPPORT
	if (d->scope & OPT_SSL) {
		set_err(err, errlen,
			"%s is only supported when ssl support is compiled in",
			d->name);
		return -1;
	}
#endif
#ifndef WITH_PAM_SUPPORT
	if (d->scope & OPT_PAM) {
		set_err(err, errlen,
			"%s is only supported when pam support is compiled in",
			d->name);
		return -1;
	}
#endif
	if (d->kind != K_FLAG && v == NULL) {
		set_err(err, errlen, "%s: missing argument",
			display_name(idx, dn, sizeof(dn)));
		return -1;
	}

	switch (d->kind) {
	case K_FLAG:
		*(bool *)field(o, idx) = true;
		break;
	case K_UINT:
	case K_FD:
		if (str_to_ulong(v, d->kind == K_FD ? INT_MAX : UINT_MAX,
				 &ul) < 0) {
			set_err(err, errlen,
				"Parameter to %s must be a positive integer: "
				"\"%.200s\"",
				display_name(idx, dn, sizeof(dn)), v);
			return -1;
		}
		*(unsigned long *)field(o, idx) = ul;
		break;
	case K_INT:
		*(int *)field(o, idx) = parse_int_loose(v);
		break;
	case K_STR:
		if (idx == OPTION_IDX_pid_file && *v != '\0' && *v != '/') {
			set_err(err, errlen, "Invalid pid file: \"%.200s\"", v);
			return -1;
		}
		set_str(field(o, idx), v);
		if (idx == OPTION_IDX_capability)
			set_capability(o, v, from_file);
		break;
	case K_STATE:
		if (parse_state(o, idx, v, err, errlen) < 0)
			return -1;
		break;
	case K_LOGPASSWD:
		for (n = 0; n < (int)N_ELEMS(log_passwd_names); n++)
			if (strcasecmp(v, log_passwd_names[n]) == 0)
				break;
		if (n == (int)N_ELEMS(log_passwd_names)) {
			set_err(err, errlen,
				"Unknown log_passwd value: \"%.200s\"", v);
			return -1;
		}
		*(unsigned *)field(o, idx) = (unsigned)n;
		break;
	case K_PROTO:
		n = parse_protocol(v);
		if (n < 0) {
			set_err(err, errlen, "Unknown protocol: \"%.200s\"", v);
			return -1;
		}
		*(int *)field(o, idx) = n;
		o->protocol_set = true;
		break;
	case K_SSLMODE:
		if (parse_ssl_mode(o, v, err, errlen) < 0)
			return -1;
		break;
	case K_PROTOVER:
		n = protover_rank(v);
		if (n < 0) {
			set_err(err, errlen,
				"Invalid protocol version for %s: \"%.200s\" "
				"(sslv3, tlsv1, tlsv1.1, tlsv1.2 or tlsv1.3)",
				d->name, v);
			return -1;
		}
		set_str(field(o, idx), protover_names[n]);
		break;
	}
	o->seen[idx] = true;
	if (!from_file)
		o->given[idx] = true;
	return 0;
}

/* ---------------------------------------------------------- argv */

static struct option longopts[OPTION_COUNT + 1];
static char shortopts[2 + 2 * OPTION_COUNT];

static void build_getopt_tables(void)
{
	size_t k = 0;

	if (shortopts[0] != '\0')
		return;
	/* Leading ':' tells a missing argument from an unknown option. */
	shortopts[k++] = ':';
	for (int i = 0; i < OPTION_COUNT; i++) {
		longopts[i].name = descs[i].name;
		longopts[i].has_arg = descs[i].kind == K_FLAG ?
			no_argument : required_argument;
		longopts[i].flag = NULL;
		longopts[i].val = LONG_VAL_BASE + i;
		if (descs[i].letter != 0) {
			shortopts[k++] = (char)descs[i].letter;
			if (descs[i].kind != K_FLAG)
				shortopts[k++] = ':';
		}
	}
	shortopts[k] = '\0';
}

/* Name of the option getopt_long complained about, for messages. */
static void bad_option_name(char **argv, int c, char *buf, size_t len)
{
	if (c >= LONG_VAL_BASE && c < LONG_VAL_BASE + OPTION_COUNT)
		snprintf(buf, len, "--%s", descs[c - LONG_VAL_BASE].name);
	else if (c > 0 && c < LONG_VAL_BASE)
		snprintf(buf, len, "-%c", c);
	else if (optind > 0 && argv[optind - 1] != NULL)
		snprintf(buf, len, "%.*s",
			 (int)strcspn(argv[optind - 1], "="), argv[optind - 1]);
	else
		snprintf(buf, len, "?");
}

int options_parse_argv(struct options *o, int argc, char **argv,
		       char *err, size_t errlen)
{
	char name[128];
	int c, idx;

	build_getopt_tables();
	free(o->basename);
	o->basename = xstrdup(base_name(argc > 0 ? argv[0] : NULL));
	if (!o->given[OPTION_IDX_protocol])
		o->protocol = protocol_from_basename(o->basename);
	usage_protocol = o->protocol;

	optind = 0; /* GNU: start over, so tests may parse many times */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?') {
			bad_option_name(argv, optopt, name, sizeof(name));
			if (optopt >= LONG_VAL_BASE)
				set_err(err, errlen,
					"%s: option does not take an argument",
					name);
			else
				set_err(err, errlen, "%s: unknown option",
					name);
			return -1;
		}
		if (c == ':') {
			bad_option_name(argv, optopt, name, sizeof(name));
			set_err(err, errlen, "%s: missing argument", name);
			return -1;
		}
		idx = c >= LONG_VAL_BASE ? c - LONG_VAL_BASE : find_letter(c);
		if (idx < 0 || idx >= OPTION_COUNT) {
			set_err(err, errlen, "-%c: unknown option", c);
			return -1;
		}
		if (apply(o, idx, optarg, false, err, errlen) < 0)
			return -1;
		/* --help and --version win over anything after them. */
		if (o->help || o->version)
			return 0;
	}
	if (optind < argc) {
		set_err(err, errlen, "trailing argument: %.200s", argv[optind]);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------ config file */

static bool fatal_in_file(int idx)
{
	return descs[idx].kind == K_PROTO || descs[idx].kind == K_LOGPASSWD ||
	       idx == OPTION_IDX_pid_file;
}

/* Read all of path (bounded) into a malloc'd buffer. */
static int read_file(const char *path, char **buf_r, size_t *len_r,
		     char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, len = 0;
	char *buf;

	if (fd < 0) {
		set_err(err, errlen, "could not open config file \"%s\": %s",
			path, strerror(errno));
		return -1;
	}
	buf = xmalloc(cap);
	for (;;) {
		ssize_t r;

		if (len == cap) {
			char *nb;

			if (cap >= MAX_CONFIG_FILE_SIZE) {
				set_err(err, errlen,
					"config file \"%s\" is larger than %d "
					"bytes", path, MAX_CONFIG_FILE_SIZE);
				goto fail;
			}
			nb = xmalloc(cap * 2);
			memcpy(nb, buf, len);
			free(buf);
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			set_err(err, errlen,
				"error reading config file \"%s\": %s", path,
				strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	*buf_r = buf;
	*len_r = len;
	return 0;
fail:
	close(fd);
	free(buf);
	return -1;
}

int options_parse_file(struct options *o, const char *path, char *err,
		       size_t errlen)
{
	struct config_entry *e = NULL;
	size_t n = 0;
	char *buf = NULL, terr[256], aerr[512];
	size_t len = 0;
	int trc, rc = 0;

	if (read_file(path, &buf, &len, err, errlen) < 0)
		return -1;
	trc = config_tokenize(buf, len, &e, &n, terr, sizeof(terr));
	free(buf);

	for (size_t i = 0; i < n; i++) {
		int idx = strlen(e[i].key) == 1 ? find_letter(e[i].key[0])
						: find_long(e[i].key);

		if (idx < 0) {
			set_err(err, errlen,
				"config file \"%s\" line %u: unknown option: "
				"\"%.100s\"", path, e[i].line, e[i].key);
			rc = -1;
			break;
		}
		if (descs[idx].kind == K_FLAG && e[i].value != NULL) {
			set_err(err, errlen,
				"config file \"%s\" line %u: %s takes no "
				"value: \"%.100s\"", path, e[i].line,
				descs[idx].name, e[i].value);
			rc = -1;
			break;
		}
		if (apply(o, idx, e[i].value, true, aerr, sizeof(aerr)) < 0) {
			set_err(err, errlen, "config file \"%s\" line %u: %s",
				path, e[i].line, aerr);
			rc = fatal_in_file(idx) ? -2 : -1;
			break;
		}
	}
	if (rc == 0 && trc < 0) {
		set_err(err, errlen, "config file \"%s\" %s", path, terr);
		rc = -1;
	}
	config_entries_free(e, n);
	return rc;
}

/* The default config file of SPEC 2.1, or NULL. */
static char *find_config_file(const struct options *o)
{
	char path[PATH_MAX];
	const char *bn = o->basename != NULL ? o->basename : "perdition";
	char proto[16];
	int p = protocol_from_basename(bn);
	int i;

	/* perdition.<protocol>.conf names the protocol in lower case. */
	for (i = 0; proto_names[p][i] != '\0' && i < 15; i++) {
		char c = proto_names[p][i];

		proto[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	proto[i] = '\0';

	for (int k = 0; k < 3; k++) {
		int r;

		if (k == 0 && strcmp(bn, "perdition") == 0)
			continue;
		if (k == 0)
			r = snprintf(path, sizeof(path), "%s/%s.conf",
				     sysconfdir, bn);
		else if (k == 1)
			r = snprintf(path, sizeof(path),
				     "%s/perdition.%s.conf", sysconfdir,
				     proto);
		else
			r = snprintf(path, sizeof(path), "%s/perdition.conf",
				     sysconfdir);
		if (r < 0 || (size_t)r >= sizeof(path))
			continue;
		if (access(path, F_OK) == 0)
			return xstrdup(path);
	}
	return NULL;
}

int options_read(struct options *o, int argc, char **argv, char *err,
		 size_t errlen)
{
	char ferr[1024];
	char *path = NULL;

	options_defaults(o);
	if (options_parse_argv(o, argc, argv, err, errlen) < 0)
		return -1;
	if (o->help || o->version)
		return 1;

	if (o->given[OPTION_IDX_config_file]) {
		if (*o->config_file != '\0')
			path = xstrdup(o->config_file);
	} else {
		path = find_config_file(o);
		if (path != NULL)
			set_str(&o->config_file, path);
	}
	if (path != NULL) {
		int r = options_parse_file(o, path, ferr, sizeof(ferr));

		free(path);
		if (r == -2) {
			set_err(err, errlen, "%s", ferr);
			return -1;
		}
		/* Other config-file errors are not fatal (as 2.2). */
		if (r < 0)
			log_err("%s", ferr);
	}
	return options_finish(o, err, errlen);
}

void options_load(int argc, char **argv)
{
	char err[1024];
	int r = options_read(&options, argc, argv, err, sizeof(err));

	if (r < 0) {
		fprintf(stderr, "%s: %s\n",
			options.basename != NULL ? options.basename : "perdition", err);
		exit(EXIT_USAGE);
	}
	if (options.help) {
		options_usage(stdout);
		exit(EXIT_OK);
	}
	if (options.version) {
		printf("perdition version %s\n", PACKAGE_VERSION);
		exit(EXIT_OK);
	}
}

/* ------------------------------------------------------------ finish */

int options_finish(struct options *o, char *err, size_t errlen)
{
	int p = o->protocol;

	if (p < 0 || (size_t)p >= N_ELEMS(proto_names)) {
		set_err(err, errlen, "Unknown protocol: %d", p);
		return -1;
	}
	if (o->basename == NULL)
		o->basename = xstrdup("perdition");
#ifndef WITH_SSL_SUPPORT
	if (p == PROTO_POP3S || p == PROTO_IMAP4S) {
		set_err(err, errlen,
			"protocol %s is only supported when ssl support is "
			"compiled in", proto_names[p]);
		return -1;
	}
#endif
	if (o->authenticate_in && p == PROTO_MANAGESIEVE) {
		set_err(err, errlen,
			"authenticate_in is not supported with the "
			"MANAGESIEVE protocol");
		return -1;
	}
	if (o->seen[OPTION_IDX_ssl_passphrase_fd] &&
	    o->seen[OPTION_IDX_ssl_passphrase_file]) {
		set_err(err, errlen,
			"ssl_passphrase_fd and ssl_passphrase_file may not "
			"be used together");
		return -1;
	}
	if (check_protover_range(o->ssl_listen_min_proto_version,
				 o->ssl_listen_max_proto_version, "listen", err, errlen) < 0 ||
	    check_protover_range(o->ssl_outgoing_min_proto_version,
				 o->ssl_outgoing_max_proto_version, "outgoing", err, errlen) < 0)
		return -1;

	if (o->server_ok_line)
		o->server_resp_line = true;
	if (o->listen_port == NULL)
		o->listen_port = xstrdup(o->no_lookup ? port_numbers[p]
						      : port_names[p]);
	if (o->outgoing_port == NULL)
		o->outgoing_port = xstrdup(o->no_lookup ? port_numbers[p]
							: port_names[p]);
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
	return 0;
}

/* ------------------------------------------------ growable strings */

struct sbuf {
	char *p;
	size_t len, cap;
};

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
		{
			size_t cap = (b->cap ? b->cap : 256);
			char *np;

			while (cap < b->len + (size_t)n + 1)
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
	}
}

/* ------------------------------------------------------------ usage */

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

static void state_string(struct sbuf *b, unsigned st)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ STATE_SERVERNAME_LOOKUP, "servername_lookup" },
		{ STATE_LOCAL_AUTH, "local_authentication" },
		{ STATE_REMOTE_LOGIN, "remote_login" },
	};
	bool first = true;

	if ((st & STATE_ALL) == STATE_ALL) {
		sb_printf(b, "all");
		return;
	}
	for (size_t i = 0; i < N_ELEMS(names); i++) {
		if (st & names[i].bit) {
			sb_printf(b, "%s%s", first ? "" : ",", names[i].name);
			first = false;
		}
	}
}

static void ssl_mode_string(struct sbuf *b, unsigned m)
{
	bool first = true;

#define ADD_MODE(s) \
	do { \
		sb_printf(b, "%s%s", first ? "" : ",", s); \
		first = false; \
	} while (0)
	if (m == SSL_MODE_NONE) {
		ADD_MODE("none");
		return;
	}
	if ((m & SSL_MODE_SSL_ALL) == SSL_MODE_SSL_ALL) {
		ADD_MODE("ssl_all");
	} else if ((m & SSL_MODE_TLS_ALL) == SSL_MODE_TLS_ALL) {
		ADD_MODE("tls_all");
	} else {
		if (m & SSL_MODE_SSL_LISTEN)
			ADD_MODE("ssl_listen");
		if (m & SSL_MODE_SSL_OUTGOING)
			ADD_MODE("ssl_outgoing");
		if (m & SSL_MODE_TLS_LISTEN)
			ADD_MODE("tls_listen");
		if (m & SSL_MODE_TLS_OUTGOING)
			ADD_MODE("tls_outgoing");
	}
	if ((m & SSL_MODE_TLS_LISTEN_FORCE) &&
	    (m & SSL_MODE_TLS_OUTGOING_FORCE)) {
		ADD_MODE("tls_all_force");
	} else {
		if (m & SSL_MODE_TLS_OUTGOING_FORCE)
			ADD_MODE("tls_outgoing_force");
		if (m & SSL_MODE_TLS_LISTEN_FORCE)
			ADD_MODE("tls_listen_force");
	}
#undef ADD_MODE
}

/* The default of option i as --help shows it, or "" to show none. */
static void default_string(struct sbuf *b, const struct options *d, int i)
{
	const void *f = cfield(d, i);

	/* Help texts that explain their default say it better. */
	if (strstr(descs[i].help, "default") != NULL)
		return;
	switch (descs[i].kind) {
	case K_FLAG:
		sb_printf(b, "%s", *(const bool *)f ? "on" : "off");
		break;
	case K_UINT:
	case K_FD:
		sb_printf(b, "%lu", *(const unsigned long *)f);
		break;
	case K_INT:
		sb_printf(b, "%d", *(const int *)f);
		break;
	case K_STR:
	case K_PROTOVER:
		if (*(char *const *)f != NULL)
			sb_printf(b, "\"%s\"", *(char *const *)f);
		else
			sb_printf(b, "none");
		break;
	case K_STATE:
		sb_printf(b, "\"");
		state_string(b, *(const unsigned *)f);
		sb_printf(b, "\"");
		break;
	case K_LOGPASSWD:
		sb_printf(b, "%s", log_passwd_names[*(const unsigned *)f & 3]);
		break;
	case K_PROTO:
		sb_printf(b, "%s", protocol_name(usage_protocol));
		break;
	case K_SSLMODE:
		sb_printf(b, "\"");
		ssl_mode_string(b, *(const unsigned *)f);
		sb_printf(b, "\"");
		break;
	}
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
		const struct opt_desc *o = &descs[i];
		size_t mark;

		if (o->letter != 0)
			fprintf(f, "  -%c, --%s", o->letter, o->name);
		else
			fprintf(f, "      --%s", o->name);
		if (o->arg != NULL)
			fprintf(f, " %s", o->arg);
		fputc('\n', f);

		b.len = 0;
		sb_printf(&b, "%s (default: ", o->help);
		mark = b.len;
		default_string(&b, &d, i);
		if (b.len == mark) {
			/* Nothing to show: drop " (default: " again. */
			b.len = mark - strlen(" (default: ");
			b.p[b.len] = '\0';
		} else {
			sb_printf(&b, ")");
		}
#ifndef WITH_SSL_SUPPORT
		if (o->scope & OPT_SSL)
			sb_printf(&b, " [not in this build: no ssl support]");
#endif
#ifndef WITH_PAM_SUPPORT
		if (o->scope & OPT_PAM)
			sb_printf(&b, " [not in this build: no pam support]");
#endif
		wrap(f, b.p, 8, 78);
	}
	free(b.p);
	options_free(&d);
}

/* ---------------------------------------------------------- option log */

/* Which of the three masks of SPEC 6.3 an option's bit goes in. */
enum { MASK1, MASK2, MASK_SSL };

static unsigned mask_bit(int idx, int *which)
{
	*which = MASK1;
	switch (idx) {
	case OPTION_IDX_add_domain: return 0x1;
	case OPTION_IDX_authenticate_in: return 0x2;
	case OPTION_IDX_bind_address: return 0x4;
	/* 2.2 gave -C debug's bit (D-3); ours has its own. */
	case OPTION_IDX_connection_logging: return 0x8;
	case OPTION_IDX_connection_limit: return 0x10;
	case OPTION_IDX_connect_relog: return 0x40;
	case OPTION_IDX_debug: return 0x80;
	case OPTION_IDX_domain_delimiter: return 0x100;
	case OPTION_IDX_client_server_specification: return 0x200;
	case OPTION_IDX_config_file: return 0x400;
	case OPTION_IDX_group: return 0x800;
	case OPTION_IDX_inetd_mode: return 0x1000;
	case OPTION_IDX_log_facility: return 0x2000;
	case OPTION_IDX_login_disabled: return 0x4000;
	case OPTION_IDX_listen_port: return 0x8000;
	case OPTION_IDX_lower_case: return 0x10000;
	case OPTION_IDX_map_library: return 0x20000;
	case OPTION_IDX_map_library_opt: return 0x40000;
	case OPTION_IDX_no_bind_banner: return 0x80000;
	case OPTION_IDX_no_daemon: return 0x100000;
	case OPTION_IDX_no_lookup: return 0x200000;
	case OPTION_IDX_outgoing_port: return 0x400000;
	case OPTION_IDX_outgoing_server: return 0x800000;
	case OPTION_IDX_protocol: return 0x1000000;
	case OPTION_IDX_server_resp_line: return 0x2000000;
	case OPTION_IDX_server_ok_line: return 0x2000000;
	case OPTION_IDX_strip_domain: return 0x4000000;
	case OPTION_IDX_timeout: return 0x8000000;
	case OPTION_IDX_username: return 0x10000000;
	case OPTION_IDX_username_from_database: return 0x20000000;
	case OPTION_IDX_query_key: return 0x40000000;
	case OPTION_IDX_quiet: return 0x80000000u;
	default: break;
	}
	*which = MASK2;
	switch (idx) {
	case OPTION_IDX_ok_line: return 0x1;
	case OPTION_IDX_pid_file: return 0x2;
	case OPTION_IDX_explicit_domain: return 0x4;
	case OPTION_IDX_log_passwd: return 0x8;
	case OPTION_IDX_authenticate_timeout: return 0x10;
	case OPTION_IDX_imap_capability: return 0x20;
	case OPTION_IDX_managesieve_capability: return 0x40;
	case OPTION_IDX_pop_capability: return 0x80;
	case OPTION_IDX_tcp_keepalive: return 0x100;
	default: break;
	}
	*which = MASK_SSL;
	switch (idx) {
	case OPTION_IDX_ssl_ca_chain_file: return 0x1;
	case OPTION_IDX_ssl_ca_file: return 0x2;
	case OPTION_IDX_ssl_ca_path: return 0x4;
	case OPTION_IDX_ssl_ca_accept_self_signed: return 0x8;
	case OPTION_IDX_ssl_cert_file: return 0x10;
	case OPTION_IDX_ssl_cert_accept_expired: return 0x20;
	case OPTION_IDX_ssl_cert_accept_not_yet_valid: return 0x40;
	case OPTION_IDX_ssl_cert_accept_self_signed: return 0x80;
	case OPTION_IDX_ssl_cert_verify_depth: return 0x100;
	case OPTION_IDX_ssl_key_file: return 0x200;
	case OPTION_IDX_ssl_mode: return 0x400;
	case OPTION_IDX_ssl_listen_ciphers: return 0x800;
	case OPTION_IDX_ssl_outgoing_ciphers: return 0x800;
	case OPTION_IDX_ssl_no_cert_verify: return 0x1000;
	case OPTION_IDX_ssl_no_client_cert_verify: return 0x3000;
	case OPTION_IDX_ssl_no_cn_verify: return 0x4000;
	case OPTION_IDX_ssl_passphrase_fd: return 0x8000;
	case OPTION_IDX_ssl_passphrase_file: return 0x10000;
	case OPTION_IDX_ssl_dh_params_file: return 0x20000;
	case OPTION_IDX_ssl_listen_min_proto_version: return 0x40000;
	case OPTION_IDX_ssl_outgoing_min_proto_version: return 0x80000;
	case OPTION_IDX_ssl_listen_max_proto_version: return 0x100000;
	case OPTION_IDX_ssl_outgoing_max_proto_version: return 0x200000;
	case OPTION_IDX_ssl_listen_compression: return 0x400000;
	case OPTION_IDX_ssl_outgoing_compression: return 0x800000;
	case OPTION_IDX_ssl_no_cipher_server_preference: return 0x1000000;
	default: break;
	}
	return 0;
}

static void masks(const struct options *o, unsigned m[3])
{
	m[0] = m[1] = m[2] = 0;
	for (int i = 0; i < OPTION_COUNT; i++) {
		int which;
		unsigned bit = mask_bit(i, &which);

		if (o->given[i])
			m[which] |= bit;
	}
}

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
		  log_passwd_names[o->log_passwd & 3], B(o->login_disabled));
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

	masks(o, m);
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

unsigned options_checksum(const struct options *o)
{
	uint32_t sum = 0;
	const char *s;

	for (int n = 0; (s = options_log_string(o, n)) != NULL; n++) {
		size_t len = strlen(s);

		/* Every byte but the last, as 2.2 sums them. */
		for (size_t i = 0; i + 1 < len; i++)
			sum += (unsigned char)s[i];
	}
	return sum;
}
