/*
 * perditiondb_posix_regex.c: map library that rewrites user names with
 * POSIX extended regular expressions read from popmap.re.
 *
 * Each entry of the file is "regex[:] substitution" in the grammar of
 * perdition.conf (src/config_file.c is compiled into this library).  The
 * first regex that matches the key wins; the result is the part of the key
 * before the match followed by the substitution, in which $0 is the whole
 * match and $1 to $9 the subexpressions.  The part after the match is
 * dropped.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_file.h"
#include "defs.h"
#include "maplog.h"
#include "perditiondb.h"

#ifndef PERDITION_SYSCONFDIR
#define PERDITION_SYSCONFDIR "/etc/perdition"
#endif
#define POSIX_REGEX_DEFAULT PERDITION_SYSCONFDIR "/popmap.re"

/* Largest popmap.re read; a bigger file is surely a mistake. */
#define MAP_FILE_MAX (16 * 1024 * 1024)

/* Longest result built; more cannot be a [user@]host[:port]. */
#define RESULT_MAX (4 * MAX_CRED_LENGTH)

/* $0 to $9. */
#define NSUB 10

struct rule {
	regex_t re;
	char *subst;
	unsigned line;
};

static struct rule *rules;
static size_t n_rules;
static int loaded;

static void free_rules(struct rule *r, size_t n)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		regfree(&r[i].re);
		free(r[i].subst);
	}
	free(r);
}

/*
 * Read all of path into a malloc'd buffer.  Returns 0, or -1 after
 * logging why.
 */
static int read_file(const char *path, char **text_r, size_t *len_r)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (f == NULL) {
		maplog_init_error("posix_regex: could not open %s: %s", path,
				  strerror(errno));
		return -1;
	}
	for (;;) {
		size_t got;

		if (len == cap) {
			char *nb;

			if (cap >= MAP_FILE_MAX) {
				maplog_init_error("posix_regex: %s: larger "
						  "than %d bytes", path,
						  MAP_FILE_MAX);
				goto fail;
			}
			cap = cap == 0 ? 8192 : cap * 2;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				maplog_init_error("posix_regex: %s: out of "
						  "memory", path);
				goto fail;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		maplog_init_error("posix_regex: could not read %s: %s", path,
				  strerror(errno));
		goto fail;
	}
	fclose(f);
	*text_r = buf;
	*len_r = len;
	return 0;
fail:
	fclose(f);
	free(buf);
	return -1;
}

/* Compile one entry into r.  Returns 0, or -1 after logging why. */
static int compile_entry(const char *path, const struct config_entry *e,
			 struct rule *r)
{
	size_t kl = strlen(e->key);
	char *pattern;
	char msg[256];
	int rc;

	if (e->value == NULL) {
		maplog_init_error("posix_regex: %s: line %u: no substitution "
				  "after the regular expression", path,
				  e->line);
		return -1;
	}
	/* The colon after the expression is optional, as in 2.2. */
	if (kl > 1 && e->key[kl - 1] == ':')
		kl--;
	pattern = strndup(e->key, kl);
	if (pattern == NULL) {
		maplog_init_error("posix_regex: %s: out of memory", path);
		return -1;
	}
	rc = regcomp(&r->re, pattern, REG_EXTENDED);
	if (rc != 0) {
		char esc[256];

		regerror(rc, NULL, msg, sizeof(msg));
		maplog_escape(esc, sizeof(esc), pattern, kl);
		free(pattern);
		maplog_init_error("posix_regex: %s: line %u: bad regular "
				  "expression \"%s\": %s", path, e->line, esc,
				  msg);
		return -1;
	}
	free(pattern);
	r->subst = strdup(e->value);
	if (r->subst == NULL) {
		regfree(&r->re);
		maplog_init_error("posix_regex: %s: out of memory", path);
		return -1;
	}
	r->line = e->line;
	return 0;
}

int dbserver_init(char *opt)
{
	const char *path = opt != NULL && *opt != '\0' ? opt : POSIX_REGEX_DEFAULT;
	struct config_entry *e = NULL;
	struct rule *r = NULL;
	size_t n = 0, done = 0;
	char *text;
	size_t len;
	char err[256];
	int rc = -1;

	/* A second init without fini (a careless host) must not leak. */
	dbserver_fini();
	if (read_file(path, &text, &len) < 0)
		return -1;
	if (config_tokenize(text, len, &e, &n, err, sizeof(err)) < 0) {
		maplog_init_error("posix_regex: %s: %s", path, err);
		goto out;
	}
	r = calloc(n == 0 ? 1 : n, sizeof(*r));
	if (r == NULL) {
		maplog_init_error("posix_regex: %s: out of memory", path);
		goto out;
	}
	for (; done < n; done++)
		if (compile_entry(path, &e[done], &r[done]) < 0)
			goto out;
	rules = r;
	n_rules = n;
	r = NULL;
	loaded = 1;
	rc = 0;
out:
	free_rules(r, done);
	config_entries_free(e, n);
	free(text);
	return rc;
}

int dbserver_fini(void)
{
	free_rules(rules, n_rules);
	rules = NULL;
	n_rules = 0;
	loaded = 0;
	return 0;
}

/* A growing output buffer that refuses to pass RESULT_MAX. */
struct out {
	char *b;
	size_t len, cap;
	int over;
};

static void out_add(struct out *o, const char *s, size_t n)
{
	if (o->over || n > RESULT_MAX - o->len) {
		o->over = 1;
		return;
	}
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap == 0 ? 256 : o->cap;
		char *nb;

		while (cap < o->len + n + 1)
			cap *= 2;
		nb = realloc(o->b, cap);
		if (nb == NULL) {
			o->over = 1;
			return;
		}
		o->b = nb;
		o->cap = cap;
	}
	memcpy(o->b + o->len, s, n);
	o->len += n;
	o->b[o->len] = '\0';
}

/*
 * Expand the substitution of r against key (matched as m).  $N for a
 * subexpression that did not take part gives nothing; $N beyond the
 * expression's subexpressions, '$' before anything but a digit and a
 * '$' at the end are kept literally, as 2.2 does.
 */
static void expand(struct out *o, const struct rule *r, const char *key,
		   const regmatch_t *m)
{
	const char *s = r->subst;

	out_add(o, key, (size_t)m[0].rm_so);
	while (*s != '\0') {
		const char *dollar = strchr(s, '$');
		size_t idx;

		if (dollar == NULL) {
			out_add(o, s, strlen(s));
			break;
		}
		out_add(o, s, (size_t)(dollar - s));
		s = dollar;
		if (s[1] < '0' || s[1] > '9' ||
		    (size_t)(s[1] - '0') > r->re.re_nsub) {
			out_add(o, s, 1);
			s++;
			continue;
		}
		idx = (size_t)(s[1] - '0');
		if (m[idx].rm_so >= 0 && m[idx].rm_eo >= m[idx].rm_so)
			out_add(o, key + m[idx].rm_so,
				(size_t)(m[idx].rm_eo - m[idx].rm_so));
		s += 2;
	}
}

int dbserver_get(const char *key, const char *opt, char **str, size_t *len)
{
	regmatch_t m[NSUB];

	(void)opt;
	if (!loaded)
		return -1;
	/* Bound the work a client's name can cause in regexec(). */
	if (strlen(key) > MAX_CRED_LENGTH)
		return -2;
	for (size_t i = 0; i < n_rules; i++) {
		struct out o = { NULL, 0, 0, 0 };

		if (regexec(&rules[i].re, key, NSUB, m, 0) != 0)
			continue;
		expand(&o, &rules[i], key, m);
		if (o.over) {
			maplog(LOG_ERR, "posix_regex: the result of line %u "
			       "is too long", rules[i].line);
			free(o.b);
			return -3;
		}
		if (o.len == 0) {
			free(o.b);
			return -2;
		}
		*str = o.b;
		*len = o.len;
		return 0;
	}
	return -2;
}
