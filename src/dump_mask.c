/*
 * dump_mask.c: the password masker of connection_logging.  Masking too
 * much is harmless (a debug log line less useful); too little is not, so
 * whatever is unclear after a login command is masked.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "dump_mask.h"
#include "mask.h"

/* Output with a bound: bytes past cap - 1 are dropped. */
struct out {
	char *buf;
	size_t cap, len;
};

static void put(struct out *o, const char *s, size_t n)
{
	size_t room = o->cap - 1 - o->len;

	if (n > room)
		n = room;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* The word of line[0..len) at *pos: an atom up to a space, or a quoted
 * string (backslash escapes).  *pos moves past it and one space.
 * Returns false when there is none, or a quote is left open. */
static bool next_word(const char *line, size_t len, size_t *pos, size_t *start, size_t *wlen)
{
	size_t i = *pos;

	*start = i;
	if (i >= len)
		return false;
	if (line[i] == '"') {
		for (i++; i < len && line[i] != '"'; i++)
			if (line[i] == '\\')
				i++;
		if (i >= len)
			return false;
		i++;
	} else {
		while (i < len && line[i] != ' ')
			i++;
	}
	*wlen = i - *start;
	if (i < len && line[i] == ' ')
		i++;
	*pos = i;
	return *wlen > 0;
}

static bool word_is(const char *line, size_t start, size_t wlen, const char *what)
{
	return wlen == strlen(what) && strncasecmp(line + start, what, wlen) == 0;
}

/* Does the line end with a literal's announcement, {n} or {n+}? */
static bool ends_in_literal(const char *line, size_t len)
{
	size_t i;

	if (len < 3 || line[len - 1] != '}')
		return false;
	i = len - 1;
	if (line[i - 1] == '+')
		i--;
	if (i == 0 || line[i - 1] < '0' || line[i - 1] > '9')
		return false;
	while (i > 0 && line[i - 1] >= '0' && line[i - 1] <= '9')
		i--;
	return i > 0 && line[i - 1] == '{';
}

static void announce(struct dump_mask *st, unsigned items)
{
	st->secret_items += items;
	if (st->secret_items > DUMP_MASK_MAX_SECRET_ITEMS)
		st->secret_items = DUMP_MASK_MAX_SECRET_ITEMS;
}

/* A SASL command, mechanism word at *pos: where its response starts (or
 * len when it has none); announces the responses still to come. */
static size_t sasl_secret(struct dump_mask *st, const char *line, size_t len, size_t pos)
{
	size_t start, wlen;
	bool login;

	if (!next_word(line, len, &pos, &start, &wlen))
		return len;
	login = word_is(line, start, wlen, "LOGIN") || word_is(line, start, wlen, "\"LOGIN\"");
	if (pos >= len) {
		announce(st, 2); /* the LOGIN mechanism answers twice */
		return len;
	}
	if (login)
		announce(st, 1);
	if (ends_in_literal(line, len))
		announce(st, 2);
	return pos;
}

/* Where the secret of one command line starts, or len for none. */
static size_t secret_start(struct dump_mask *st, const char *line, size_t len)
{
	size_t pos = 0, start, wlen;

	if (!next_word(line, len, &pos, &start, &wlen))
		return len;
	if (word_is(line, start, wlen, "PASS"))
		return pos < len ? pos : len;
	if (word_is(line, start, wlen, "AUTH") || word_is(line, start, wlen, "AUTHENTICATE"))
		return sasl_secret(st, line, len, pos);
	/* IMAP: a tag first. */
	if (!next_word(line, len, &pos, &start, &wlen))
		return len;
	if (word_is(line, start, wlen, "AUTHENTICATE"))
		return sasl_secret(st, line, len, pos);
	if (!word_is(line, start, wlen, "LOGIN"))
		return len;
	if (ends_in_literal(line, len))
		announce(st, 2);
	/* The user name is kept unless it is itself a literal (or an
	 * unterminated quote): then the rest is masked from it on. */
	if (!next_word(line, len, &pos, &start, &wlen) || ends_in_literal(line + start, wlen))
		return start;
	return pos;
}

static void mask_line(struct dump_mask *st, const char *line, size_t len, struct out *o)
{
	size_t from;

	if (st->secret_items > 0) {
		st->secret_items--;
		if (ends_in_literal(line, len))
			announce(st, 2);
		from = 0;
	} else {
		from = secret_start(st, line, len);
	}
	put(o, line, from);
	if (from < len)
		put(o, MASK_TEXT, strlen(MASK_TEXT));
}

size_t dump_mask(struct dump_mask *st, const char *in, size_t len, char *out, size_t cap)
{
	struct out o = { out, cap, 0 };
	size_t i = 0;

	/* A literal is one item even when it holds line breaks. */
	bool whole = st->secret_items > 0;

	if (whole) {
		st->secret_items--;
		if (ends_in_literal(in, len))
			announce(st, 2);
		if (len > 0)
			put(&o, MASK_TEXT, strlen(MASK_TEXT));
		len = 0;
	}
	while (i < len) {
		const char *nl = memchr(in + i, '\n', len - i);
		size_t end = nl != NULL ? (size_t)(nl - in) : len, body = end;

		if (body > i && in[body - 1] == '\r')
			body--;
		mask_line(st, in + i, body - i, &o);
		put(&o, in + body, (nl != NULL ? end + 1 : end) - body);
		i = nl != NULL ? end + 1 : end;
	}
	out[o.len] = '\0';
	return o.len;
}
