/*
 * config_file.c: the config-file tokenizer (SPEC 2.3).
 *
 * One "key [value]" entry per line.  Whitespace ends the key; the rest of
 * the line, with unquoted blanks at both ends dropped, is the value.  '#'
 * starts a comment, a backslash escapes the next byte (a newline: the
 * lines are joined, in comments too), '...' is literal and "..." is
 * literal except for backslash escapes and nested '...'.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_file.h"
#include "defs.h"
#include "str.h"

enum phase {
	PH_START,   /* before the key: blanks are skipped */
	PH_KEY,     /* inside the key */
	PH_GAP,     /* blanks between key and value */
	PH_VALUE,   /* inside the value */
	PH_COMMENT, /* up to the end of the line */
};

struct tok {
	const char *p;
	size_t len;
	size_t i;
	unsigned line;
	unsigned entry_line;
	enum phase ph;
	bool sq, dq;  /* inside '...' / "..." */
	bool have_value;
	char key[MAX_CONFIG_TOKEN + 1];
	size_t klen;
	char val[MAX_CONFIG_TOKEN + 1];
	size_t vlen;  /* bytes in val, trailing unquoted blanks included */
	size_t vsig;  /* bytes up to the last significant one */
	struct config_entry *e;
	size_t n, cap;
	char *err;
	size_t errlen;
};

static int tok_error(struct tok *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int tok_error(struct tok *t, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (t->errlen > 0)
		snprintf(t->err, t->errlen, "line %u: %s", t->line, msg);
	return -1;
}

static bool is_blank(char c)
{
	/* A lone CR counts as a blank so CRLF files read like LF ones. */
	return c == ' ' || c == '\t' || c == '\r';
}

/* Length of the newline at t->i + off: 1 for LF, 2 for CRLF, else 0. */
static size_t newline_at(const struct tok *t, size_t off)
{
	size_t j = t->i + off;

	if (j < t->len && t->p[j] == '\n')
		return 1;
	if (j + 1 < t->len && t->p[j] == '\r' && t->p[j + 1] == '\n')
		return 2;
	return 0;
}

static int add_byte(struct tok *t, char c)
{
	if (t->ph == PH_KEY) {
		if (t->klen >= MAX_CONFIG_TOKEN)
			return tok_error(t, "token longer than %d bytes",
					 MAX_CONFIG_TOKEN);
		t->key[t->klen++] = c;
		return 0;
	}
	if (t->vlen >= MAX_CONFIG_TOKEN)
		return tok_error(t, "token longer than %d bytes",
				 MAX_CONFIG_TOKEN);
	t->val[t->vlen++] = c;
	t->vsig = t->vlen;
	t->have_value = true;
	return 0;
}

/* An unquoted blank inside the value: kept only if something follows
 * (a blank past the limit is dropped: anything after it fails anyway). */
static void add_blank(struct tok *t, char c)
{
	if (t->vlen < MAX_CONFIG_TOKEN)
		t->val[t->vlen++] = c;
}

static void finish_entry(struct tok *t)
{
	struct config_entry *ce;

	if (t->ph != PH_KEY && t->ph != PH_GAP && t->ph != PH_VALUE)
		return;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct config_entry *e = xcalloc(cap, sizeof(*e));

		if (t->n > 0)
			memcpy(e, t->e, t->n * sizeof(*e));
		free(t->e);
		t->e = e;
		t->cap = cap;
	}
	ce = &t->e[t->n++];
	ce->key = xstrndup(t->key, t->klen);
	ce->value = t->have_value ? xstrndup(t->val, t->vsig) : NULL;
	ce->line = t->entry_line;
	t->klen = 0;
	t->vlen = 0;
	t->vsig = 0;
	t->have_value = false;
}

/* An unquoted, unescaped newline: the entry (if any) is complete. */
static void end_line(struct tok *t, size_t nl)
{
	finish_entry(t);
	t->ph = PH_START;
	t->i += nl;
	t->line++;
}

/* Enter the key or the value when a non-blank byte shows up. */
static void begin_token(struct tok *t)
{
	if (t->ph == PH_START) {
		t->ph = PH_KEY;
		t->entry_line = t->line;
	} else if (t->ph == PH_GAP) {
		t->ph = PH_VALUE;
		t->have_value = true;
	}
}

/* A backslash at t->i, outside single quotes.  Returns 0 or -1. */
static int escape(struct tok *t)
{
	size_t nl = newline_at(t, 1);

	if (nl > 0) {
		/* Continuation: the next line is part of this one. */
		t->i += 1 + nl;
		t->line++;
		return 0;
	}
	if (t->i + 1 >= t->len) {
		/* A backslash at the very end of the file escapes nothing. */
		t->i++;
		return 0;
	}
	if (t->ph == PH_COMMENT) {
		t->i += 2;
		return 0;
	}
	begin_token(t);
	if (add_byte(t, t->p[t->i + 1]) < 0)
		return -1;
	t->i += 2;
	return 0;
}

/* One byte inside '...' or "...".  Returns 0 or -1. */
static int quoted(struct tok *t, char c)
{
	if (c == '\n' || newline_at(t, 0) > 0)
		return tok_error(t, "unterminated quote");
	if (t->sq) {
		t->i++;
		if (c == '\'') {
			t->sq = false;
			return 0;
		}
		return add_byte(t, c);
	}
	if (c == '\\')
		return escape(t);
	t->i++;
	if (c == '"') {
		t->dq = false;
		return 0;
	}
	if (c == '\'') {
		t->sq = true;
		return 0;
	}
	return add_byte(t, c);
}

/* One byte outside quotes.  Returns 0 or -1. */
static int unquoted(struct tok *t, char c)
{
	size_t nl = newline_at(t, 0);

	if (nl > 0) {
		end_line(t, nl);
		return 0;
	}
	if (t->ph == PH_COMMENT) {
		if (c == '\\')
			return escape(t);
		t->i++;
		return 0;
	}
	if (c == '\\')
		return escape(t);
	if (is_blank(c)) {
		if (t->ph == PH_KEY) {
			t->ph = PH_GAP;
		} else if (t->ph == PH_VALUE) {
			add_blank(t, c);
		}
		t->i++;
		return 0;
	}
	if (c == '#') {
		finish_entry(t);
		t->ph = PH_COMMENT;
		t->i++;
		return 0;
	}
	begin_token(t);
	t->i++;
	if (c == '\'' || c == '"') {
		/* An empty quoted value ("") is still a value. */
		if (c == '\'')
			t->sq = true;
		else
			t->dq = true;
		return 0;
	}
	return add_byte(t, c);
}

int config_tokenize(const char *text, size_t len,
		    struct config_entry **entries_r, size_t *n_r,
		    char *err, size_t errlen)
{
	struct tok *t = xcalloc(1, sizeof(*t));
	int rc = 0;

	t->p = text;
	t->len = len;
	t->line = 1;
	t->ph = PH_START;
	t->err = err;
	t->errlen = errlen;
	if (errlen > 0)
		err[0] = '\0';

	while (t->i < t->len) {
		char c = t->p[t->i];

		if (c == '\0') {
			rc = tok_error(t, "NUL byte");
			break;
		}
		if (t->sq || t->dq)
			rc = quoted(t, c);
		else
			rc = unquoted(t, c);
		if (rc < 0)
			break;
	}
	if (rc == 0 && (t->sq || t->dq))
		rc = tok_error(t, "unterminated quote");
	if (rc == 0)
		finish_entry(t);

	*entries_r = t->e;
	*n_r = t->n;
	free(t);
	return rc;
}

void config_entries_free(struct config_entry *e, size_t n)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		free(e[i].key);
		free(e[i].value);
	}
	free(e);
}
