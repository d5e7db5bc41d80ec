/*
 * options_parse.c: options from the command line (getopt_long, built from
 * the table) and from the config file (found as SPEC 2.1 says, read
 * bounded, tokenized by config_file.c).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_file.h"
#include "log.h"
#include "options_desc.h"
#include "options_value.h"
#include "xalloc.h"

/* A config file larger than this is refused rather than read. */
#define MAX_CONFIG_FILE_SIZE (1024 * 1024)

/* getopt_long value of long option i (above every short letter). */
#define LONG_VAL_BASE 256

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const char *sysconfdir = PERDITION_SYSCONFDIR;

void options_set_sysconfdir(const char *dir)
{
	sysconfdir = dir != NULL ? dir : PERDITION_SYSCONFDIR;
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

/* ---------------------------------------------------------------- argv */

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
		const struct option_desc *d = &option_descs[i];

		longopts[i].name = d->name;
		longopts[i].has_arg = d->kind == OPT_KIND_FLAG ?
			no_argument : required_argument;
		longopts[i].flag = NULL;
		longopts[i].val = LONG_VAL_BASE + i;
		if (d->letter != 0) {
			shortopts[k++] = (char)d->letter;
			if (d->kind != OPT_KIND_FLAG)
				shortopts[k++] = ':';
		}
	}
	shortopts[k] = '\0';
}

/* Name of the option getopt_long complained about, for messages. */
static void bad_option_name(char **argv, int c, char *buf, size_t len)
{
	if (c >= LONG_VAL_BASE && c < LONG_VAL_BASE + OPTION_COUNT)
		snprintf(buf, len, "--%s",
			 option_descs[c - LONG_VAL_BASE].name);
	else if (c > 0 && c < LONG_VAL_BASE)
		snprintf(buf, len, "-%c", c);
	else if (optind > 0 && argv[optind - 1] != NULL)
		snprintf(buf, len, "%.*s",
			 (int)strcspn(argv[optind - 1], "="), argv[optind - 1]);
	else
		snprintf(buf, len, "?");
}

/* The message for getopt_long's '?' or ':' about option optopt. */
static void getopt_error(char **argv, int c, char *err, size_t errlen)
{
	char name[128];

	bad_option_name(argv, optopt, name, sizeof(name));
	if (c == ':')
		option_set_err(err, errlen, "%s: missing argument", name);
	else if (optopt >= LONG_VAL_BASE)
		option_set_err(err, errlen,
			       "%s: option does not take an argument", name);
	else
		option_set_err(err, errlen, "%s: unknown option", name);
}

int options_parse_argv(struct options *o, int argc, char **argv,
		       char *err, size_t errlen)
{
	int c, idx;

	build_getopt_tables();
	free(o->basename);
	o->basename = xstrdup(base_name(argc > 0 ? argv[0] : NULL));
	if (!o->given[OPTION_IDX_protocol])
		o->protocol = protocol_from_basename(o->basename);

	optind = 0; /* GNU: start over, so tests may parse many times */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			getopt_error(argv, c, err, errlen);
			return -1;
		}
		idx = c >= LONG_VAL_BASE ? c - LONG_VAL_BASE
					 : option_by_letter(c);
		if (idx < 0 || idx >= OPTION_COUNT) {
			option_set_err(err, errlen, "-%c: unknown option", c);
			return -1;
		}
		if (option_apply(o, idx, optarg, false, err, errlen) < 0)
			return -1;
		/* --help and --version win over anything after them. */
		if (o->help || o->version)
			return 0;
	}
	if (optind < argc) {
		option_set_err(err, errlen, "trailing argument: %.200s",
			       argv[optind]);
		return -1;
	}
	return 0;
}

/* --------------------------------------------------------- config file */

static bool fatal_in_file(int idx)
{
	enum option_kind kind = option_descs[idx].kind;

	return kind == OPT_KIND_PROTO || kind == OPT_KIND_LOGPASSWD ||
	       idx == OPTION_IDX_pid_file;
}

/* Read from fd into *buf (of *cap bytes, grown up to the limit) until
 * EOF.  Returns the length, or -1 with a message in err. */
static long read_all(int fd, const char *path, char **buf, size_t *cap,
		     char *err, size_t errlen)
{
	size_t len = 0;

	for (;;) {
		ssize_t r;

		if (len == *cap) {
			char *nb;

			if (*cap >= MAX_CONFIG_FILE_SIZE) {
				option_set_err(err, errlen,
					"config file \"%s\" is larger than %d "
					"bytes", path, MAX_CONFIG_FILE_SIZE);
				return -1;
			}
			nb = xmalloc(*cap * 2);
			memcpy(nb, *buf, len);
			free(*buf);
			*buf = nb;
			*cap *= 2;
		}
		r = read(fd, *buf + len, *cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			option_set_err(err, errlen,
				"error reading config file \"%s\": %s", path,
				strerror(errno));
			return -1;
		}
		if (r == 0)
			return (long)len;
		len += (size_t)r;
	}
}

/* Read all of path (bounded) into a malloc'd buffer. */
static int read_file(const char *path, char **buf_r, size_t *len_r,
		     char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096;
	char *buf;
	long len;

	if (fd < 0) {
		option_set_err(err, errlen,
			       "could not open config file \"%s\": %s", path,
			       strerror(errno));
		return -1;
	}
	buf = xmalloc(cap);
	len = read_all(fd, path, &buf, &cap, err, errlen);
	close(fd);
	if (len < 0) {
		free(buf);
		return -1;
	}
	*buf_r = buf;
	*len_r = (size_t)len;
	return 0;
}

/* Apply one config-file entry.  Returns 0, -1 or -2 as
 * options_parse_file(), with the message in err. */
static int apply_entry(struct options *o, const char *path,
		       const struct config_entry *e, char *err,
		       size_t errlen)
{
	int idx = strlen(e->key) == 1 ? option_by_letter(e->key[0])
				      : option_by_name(e->key);
	char aerr[512];

	if (idx < 0) {
		option_set_err(err, errlen,
			"config file \"%s\" line %u: unknown option: "
			"\"%.100s\"", path, e->line, e->key);
		return -1;
	}
	if (option_descs[idx].kind == OPT_KIND_FLAG && e->value != NULL) {
		option_set_err(err, errlen,
			"config file \"%s\" line %u: %s takes no value: "
			"\"%.100s\"", path, e->line, option_descs[idx].name,
			e->value);
		return -1;
	}
	if (option_apply(o, idx, e->value, true, aerr, sizeof(aerr)) < 0) {
		option_set_err(err, errlen, "config file \"%s\" line %u: %s",
			       path, e->line, aerr);
		return fatal_in_file(idx) ? -2 : -1;
	}
	return 0;
}

int options_parse_file(struct options *o, const char *path, char *err,
		       size_t errlen)
{
	struct config_entry *e = NULL;
	size_t n = 0, len = 0;
	char *buf = NULL, terr[256];
	int trc, rc = 0;

	if (read_file(path, &buf, &len, err, errlen) < 0)
		return -1;
	trc = config_tokenize(buf, len, &e, &n, terr, sizeof(terr));
	free(buf);

	for (size_t i = 0; i < n && rc == 0; i++)
		rc = apply_entry(o, path, &e[i], err, errlen);
	if (rc == 0 && trc < 0) {
		option_set_err(err, errlen, "config file \"%s\" %s", path,
			       terr);
		rc = -1;
	}
	config_entries_free(e, n);
	return rc;
}

/* perdition.<protocol>.conf names the protocol in lower case. */
static void lower_protocol_name(int p, char *buf, size_t len)
{
	const char *name = protocol_name(p);
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < len; i++) {
		char c = name[i];

		buf[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	buf[i] = '\0';
}

/* The default config file of SPEC 2.1, or NULL. */
static char *find_config_file(const struct options *o)
{
	char path[PATH_MAX];
	const char *bn = o->basename != NULL ? o->basename : "perdition";
	char proto[16];

	lower_protocol_name(protocol_from_basename(bn), proto, sizeof(proto));
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

/* The config file to read: -f's (none for -f ""), else the first found,
 * which then shows as config_file in the option log. */
static char *config_file_path(struct options *o)
{
	char *path;

	if (o->given[OPTION_IDX_config_file])
		return *o->config_file != '\0' ? xstrdup(o->config_file)
					       : NULL;
	path = find_config_file(o);
	if (path != NULL) {
		free(o->config_file);
		o->config_file = xstrdup(path);
	}
	return path;
}

/* options_read(); strict: any config-file error fails (with it in err). */
static int read_options(struct options *o, int argc, char **argv, char *err,
			size_t errlen, bool strict)
{
	char ferr[1024];
	char *path;

	options_defaults(o);
	if (options_parse_argv(o, argc, argv, err, errlen) < 0)
		return -1;
	if (o->help || o->version)
		return 1;

	path = config_file_path(o);
	if (path != NULL) {
		int r = options_parse_file(o, path, ferr, sizeof(ferr));

		free(path);
		if (r == -2 || (r < 0 && strict)) {
			option_set_err(err, errlen, "%s", ferr);
			return -1;
		}
		/* Other config-file errors are not fatal (as 2.2). */
		if (r < 0)
			log_err("%s", ferr);
	}
	return options_finish(o, err, errlen);
}

int options_read(struct options *o, int argc, char **argv, char *err,
		 size_t errlen)
{
	return read_options(o, argc, argv, err, errlen, false);
}

int options_reread(struct options *o, int argc, char **argv, char *err,
		   size_t errlen)
{
	return read_options(o, argc, argv, err, errlen, true);
}
