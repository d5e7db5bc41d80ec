/*
 * imap_id.c: the IMAP ID argument list (RFC 2971): a bounded parser and
 * a sanitising serialiser.  No I/O, no allocation: a length the peer
 * sends is only compared with our own limits.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "imap_id.h"
#include "imap_token.h"
#include "str.h"

/* A cursor over the bytes being parsed. */
struct cursor {
	const char *buf;
	size_t len, pos;
};

/* Where a string's bytes go: dst holds max bytes plus a NUL. */
struct field {
	char *dst;
	size_t max, *len_r;
};

static void skip_spaces(struct cursor *c)
{
	while (c->pos < c->len && c->buf[c->pos] == ' ')
		c->pos++;
}

/* "..." at the cursor: the quote's inner bytes decoded into f. */
static int quoted(struct cursor *c, const struct field *f)
{
	size_t start = ++c->pos;
	long n;

	while (c->pos < c->len && c->buf[c->pos] != '"') {
		char ch = c->buf[c->pos];

		if (ch == '\r' || ch == '\n' || ch == '\0')
			return -1;
		if (ch == '\\')
			c->pos++;
		c->pos++;
	}
	if (c->pos >= c->len)
		return -1;
	n = imap_unquote(c->buf + start, c->pos - start, f->dst, f->max + 1);
	if (n < 0)
		return -1;
	c->pos++;
	*f->len_r = (size_t)n;
	return 0;
}

/* "{n}" or "{n+}", CR LF, then n bytes into f. */
static int literal(struct cursor *c, const struct field *f)
{
	const char *close = memchr(c->buf + c->pos, '}', c->len - c->pos);
	unsigned long n;
	bool plus;
	size_t mlen;

	if (close == NULL)
		return -1;
	mlen = (size_t)(close - (c->buf + c->pos)) + 1;
	if (imap_literal_parse(c->buf + c->pos, mlen, f->max, &n, &plus) < 0)
		return -1;
	c->pos += mlen;
	if (c->len - c->pos < 2 || memcmp(c->buf + c->pos, "\r\n", 2) != 0)
		return -1;
	c->pos += 2;
	if (c->len - c->pos < n)
		return -1;
	memcpy(f->dst, c->buf + c->pos, n);
	f->dst[n] = '\0';
	c->pos += n;
	*f->len_r = n;
	return 0;
}

/* Is the cursor at the atom NIL (case-insensitive, then a delimiter)? */
static bool at_nil(const struct cursor *c)
{
	size_t left = c->len - c->pos;

	if (left < 3 || !str_eq_ci_n(c->buf + c->pos, 3, "NIL"))
		return false;
	return left == 3 || c->buf[c->pos + 3] == ' ' || c->buf[c->pos + 3] == ')';
}

/* A string (quoted or literal) at the cursor into f. */
static int string(struct cursor *c, const struct field *f)
{
	if (c->pos >= c->len)
		return -1;
	if (c->buf[c->pos] == '"')
		return quoted(c, f);
	if (c->buf[c->pos] == '{')
		return literal(c, f);
	return -1;
}

/* One "field value" pair at the cursor. */
static int pair(struct cursor *c, struct imap_id_pair *p)
{
	const struct field key = { p->key, IMAP_ID_MAX_KEY, &p->key_len };
	const struct field value = { p->value, IMAP_ID_MAX_VALUE, &p->value_len };

	p->nil = false;
	if (string(c, &key) < 0)
		return -1;
	if (c->pos >= c->len || c->buf[c->pos] != ' ')
		return -1;
	skip_spaces(c);
	if (at_nil(c)) {
		c->pos += 3;
		p->nil = true;
		p->value[0] = '\0';
		p->value_len = 0;
		return 0;
	}
	return string(c, &value);
}

int imap_id_parse(const char *buf, size_t len, struct imap_id *id)
{
	struct cursor c = { buf, len, 0 };

	id->n = 0;
	id->nil = false;
	if (at_nil(&c) && len == 3) {
		id->nil = true;
		return 0;
	}
	if (len == 0 || buf[0] != '(')
		return -1;
	c.pos = 1;
	for (;;) {
		skip_spaces(&c);
		if (c.pos < len && buf[c.pos] == ')')
			return c.pos + 1 == len ? 0 : -1;
		if (id->n == IMAP_ID_MAX_PAIRS || pair(&c, &id->pair[id->n]) < 0)
			return -1;
		id->n++;
		/* A space or the closing parenthesis must follow. */
		if (c.pos >= len || (buf[c.pos] != ' ' && buf[c.pos] != ')'))
			return -1;
	}
}

bool imap_id_literal_at_end(const char *line, size_t len, unsigned long max,
			    unsigned long *n_r, bool *plus_r)
{
	size_t b = len;

	if (len < 3 || line[len - 1] != '}')
		return false;
	while (b > 0 && line[b - 1] != '{' && len - b < 16)
		b--;
	if (b == 0 || line[b - 1] != '{')
		return false;
	if (b > 1 && line[b - 2] != ' ' && line[b - 2] != '(')
		return false;
	if (imap_literal_parse(line + b - 1, len - b + 1, max, n_r, plus_r) < 0) {
		*n_r = max + 1;
		*plus_r = line[len - 2] == '+';
	}
	return true;
}

/* Is key[0..len) a field name only the proxy may send? */
static bool forwarding_key(const char *key, size_t len)
{
	static const char *const prefixes[] = {
		"x-originating-", "x-connected-", "x-session-", "x-proxy-",
		"x-forward-",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t pl = strlen(prefixes[i]);

		if (len >= pl && str_eq_ci_n(key, pl, prefixes[i]))
			return true;
	}
	return false;
}

void imap_id_drop_forwarding(struct imap_id *id)
{
	size_t kept = 0;

	for (size_t i = 0; i < id->n; i++) {
		if (forwarding_key(id->pair[i].key, id->pair[i].key_len))
			continue;
		if (kept != i)
			id->pair[kept] = id->pair[i];
		kept++;
	}
	id->n = kept;
}

int imap_id_add(struct imap_id *id, const char *key, const char *value)
{
	struct imap_id_pair *p;
	size_t kl = strlen(key), vl = value != NULL ? strlen(value) : 0;

	if (id->n == IMAP_ID_MAX_PAIRS || kl > IMAP_ID_MAX_KEY || vl > IMAP_ID_MAX_VALUE)
		return -1;
	p = &id->pair[id->n++];
	memcpy(p->key, key, kl + 1);
	p->key_len = kl;
	p->nil = value == NULL;
	if (value != NULL)
		memcpy(p->value, value, vl + 1);
	else
		p->value[0] = '\0';
	p->value_len = vl;
	id->nil = false;
	return 0;
}

/* Append s[0..len) quoted and sanitised at dst[*n]; false if it does
 * not fit (with room for the closing text). */
static bool put_quoted(char *dst, size_t dstlen, size_t *n, const char *s, size_t len)
{
	/* Room for both quotes and the final NUL. */
	if (*n + 2 >= dstlen)
		return false;
	dst[(*n)++] = '"';
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch > 0x7e)
			continue;
		if (*n + 3 >= dstlen)
			return false;
		if (ch == '"' || ch == '\\')
			dst[(*n)++] = '\\';
		dst[(*n)++] = (char)ch;
	}
	dst[(*n)++] = '"';
	return true;
}

static bool put(char *dst, size_t dstlen, size_t *n, const char *s)
{
	size_t l = strlen(s);

	if (*n + l >= dstlen)
		return false;
	memcpy(dst + *n, s, l);
	*n += l;
	return true;
}

size_t imap_id_format(const struct imap_id *id, char *dst, size_t dstlen)
{
	size_t n = 0;
	bool ok;

	if (dstlen == 0)
		return 0;
	if (id->n == 0) {
		ok = put(dst, dstlen, &n, "NIL");
	} else {
		ok = put(dst, dstlen, &n, "(");
		for (size_t i = 0; ok && i < id->n; i++) {
			const struct imap_id_pair *p = &id->pair[i];

			ok = (i == 0 || put(dst, dstlen, &n, " ")) &&
			     put_quoted(dst, dstlen, &n, p->key, p->key_len) &&
			     put(dst, dstlen, &n, " ") &&
			     (p->nil ? put(dst, dstlen, &n, "NIL") :
			      put_quoted(dst, dstlen, &n, p->value, p->value_len));
		}
		ok = ok && put(dst, dstlen, &n, ")");
	}
	if (!ok) {
		dst[0] = '\0';
		return 0;
	}
	dst[n] = '\0';
	return n;
}
