/*
 * ldapmap_escape.c: escaping, key slots and value splitting for the LDAP
 * map library (see ldapmap_escape.h).  Pure functions over bytes.
 *
 * Both escapers use the \XX form for every byte they escape: RFC 4515
 * allows it for any byte of a filter value and RFC 4514 for any byte of
 * a DN value, and one form is easy to check.  Bytes above 0x7f are
 * escaped too, so a name in Latin-1 (not UTF-8) reaches the server as
 * the bytes it is, and the server, not this code, decides it matches
 * nothing.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ldapmap_escape.h"

static const char hex[] = "0123456789ABCDEF";

/* A bounded writer that counts what it would write, as snprintf. */
struct out {
	char *dst;
	size_t cap;
	size_t n;
};

static void put(struct out *o, char c)
{
	if (o->n + 1 < o->cap)
		o->dst[o->n] = c;
	o->n++;
}

static void put_hex(struct out *o, unsigned char c)
{
	put(o, '\\');
	put(o, hex[c >> 4]);
	put(o, hex[c & 0xf]);
}

static size_t finish(struct out *o)
{
	if (o->cap > 0)
		o->dst[o->n < o->cap ? o->n : o->cap - 1] = '\0';
	return o->n;
}

static bool filter_special(unsigned char c)
{
	return c < 0x20 || c >= 0x7f || c == '*' || c == '(' || c == ')' ||
	       c == '\\';
}

size_t ldapmap_escape_filter(char *dst, size_t dstlen, const char *src,
			     size_t len)
{
	struct out o = { dst, dstlen, 0 };

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];

		if (filter_special(c))
			put_hex(&o, c);
		else
			put(&o, (char)c);
	}
	return finish(&o);
}

static bool dn_special(unsigned char c, size_t i, size_t len)
{
	if (c < 0x20 || c >= 0x7f)
		return true;
	if (c != '\0' && strchr("\"+,;<=>\\", c) != NULL)
		return true;
	if (i == 0 && (c == ' ' || c == '#'))
		return true;
	return i + 1 == len && c == ' ';
}

size_t ldapmap_escape_dn(char *dst, size_t dstlen, const char *src,
			 size_t len)
{
	struct out o = { dst, dstlen, 0 };

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];

		if (dn_special(c, i, len))
			put_hex(&o, c);
		else
			put(&o, (char)c);
	}
	return finish(&o);
}

/* Length of a %s or %Ns token at s (s[0] == '%'), or 0 if none; its
 * width in *width, or UINT32_MAX when too wide. */
static size_t token_at(const char *s, unsigned *width)
{
	size_t i = 1;
	unsigned long w = 0;

	while (s[i] >= '0' && s[i] <= '9') {
		if (w <= LDAPMAP_MAX_WIDTH)
			w = w * 10 + (unsigned long)(s[i] - '0');
		i++;
	}
	if (s[i] != 's')
		return 0;
	*width = w > LDAPMAP_MAX_WIDTH ? UINT32_MAX : (unsigned)w;
	return i + 1;
}

int ldapmap_tmpl_prepare(const char *url, char **out_r,
			 unsigned width[LDAPMAP_MAX_SLOTS])
{
	size_t len = strlen(url), o = 0;
	int n = 0;
	char *out;

	*out_r = NULL;
	/* "%s" (2 bytes) becomes "%01" (3): never more than 1.5 times. */
	out = malloc(len + len / 2 + 1);
	if (out == NULL)
		return -2;
	for (size_t i = 0; i < len;) {
		unsigned w = 0;
		size_t t = url[i] == '%' ? token_at(url + i, &w) : 0;
		/* A "%01" of the URL itself would be taken for a slot. */
		bool bad = t == 0 ? strncmp(url + i, "%01", 3) == 0 :
				    n == LDAPMAP_MAX_SLOTS || w > LDAPMAP_MAX_WIDTH;

		if (bad) {
			free(out);
			return -1;
		}
		if (t == 0) {
			out[o++] = url[i++];
			continue;
		}
		width[n++] = w;
		memcpy(out + o, "%01", 3);
		o += 3;
		i += t;
	}
	out[o] = '\0';
	*out_r = out;
	return n;
}

size_t ldapmap_slots(const char *s)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++)
		if (*s == LDAPMAP_SLOT)
			n++;
	return n;
}

/* A growing string that refuses to pass LDAPMAP_MAX_EXPANDED. */
struct buf {
	char *p;
	size_t len, cap;
	bool bad;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->bad)
		return;
	if (n > LDAPMAP_MAX_EXPANDED - b->len) {
		b->bad = true;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->p, cap);

		if (p == NULL) {
			b->bad = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Append the key, padded to width and escaped for ctx. */
static void add_key(struct buf *b, unsigned width, const char *key,
		    size_t keylen, enum ldapmap_ctx ctx)
{
	size_t pad = width > keylen ? width - keylen : 0;
	size_t (*esc)(char *, size_t, const char *, size_t) =
		ctx == LDAPMAP_DN ? ldapmap_escape_dn : ldapmap_escape_filter;
	char *v = malloc(pad + keylen + 1), *e = NULL;
	size_t need;

	if (v == NULL) {
		b->bad = true;
		return;
	}
	memset(v, ' ', pad);
	memcpy(v + pad, key, keylen);
	need = esc(NULL, 0, v, pad + keylen);
	if (need <= LDAPMAP_MAX_EXPANDED)
		e = malloc(need + 1);
	if (e == NULL) {
		b->bad = true;
	} else {
		esc(e, need + 1, v, pad + keylen);
		buf_add(b, e, need);
	}
	free(v);
	free(e);
}

char *ldapmap_expand(const char *pattern, const unsigned *width,
		     size_t nwidth, size_t *next, const char *key,
		     size_t keylen, enum ldapmap_ctx ctx)
{
	struct buf b = { NULL, 0, 0, false };
	size_t i = *next;

	if (keylen > LDAPMAP_MAX_KEY || i > nwidth ||
	    ldapmap_slots(pattern) > nwidth - i)
		return NULL;
	buf_add(&b, "", 0);
	for (const char *p = pattern; *p != '\0' && !b.bad;) {
		size_t run = strcspn(p, "\001");

		buf_add(&b, p, run);
		p += run;
		if (*p == LDAPMAP_SLOT) {
			add_key(&b, width[i++], key, keylen, ctx);
			p++;
		}
	}
	if (b.bad) {
		free(b.p);
		return NULL;
	}
	*next = i;
	return b.p;
}

static const char *last_delim(const char *s, const char *delim)
{
	size_t dl = delim != NULL ? strlen(delim) : 0;
	const char *last = NULL;

	if (dl == 0)
		return NULL;
	for (const char *p = strstr(s, delim); p != NULL; p = strstr(p + 1, delim))
		last = p;
	return last;
}

static bool bad_byte(unsigned char c)
{
	return c <= ' ' || c == 0x7f;
}

/* Find host [hs, *he) and port *ps (NULL if none) in hs; false if bad. */
static bool host_port(const char **hs, const char **he, const char **ps)
{
	const char *h = *hs, *c;

	*ps = NULL;
	if (*h == '[') {
		*he = strchr(h, ']');
		if (*he == NULL || *he == h + 1)
			return false;
		if ((*he)[1] == ':')
			*ps = *he + 2;
		else if ((*he)[1] != '\0')
			return false;
		*hs = h + 1;
	} else if ((c = strchr(h, ':')) != NULL) {
		if (strchr(c + 1, ':') != NULL)
			return false; /* a bare IPv6 address needs brackets */
		*he = c;
		*ps = c + 1;
	} else {
		*he = h + strlen(h);
	}
	if (*he == *hs)
		return false;
	for (const char *p = *hs; p < *he; p++)
		if (bad_byte((unsigned char)*p) || *p == '[' || *p == ']' || *p == '/')
			return false;
	if (*ps == NULL)
		return true;
	if (**ps == '\0' || strlen(*ps) > 64)
		return false;
	for (const char *p = *ps; *p != '\0'; p++)
		if (bad_byte((unsigned char)*p) || *p == ':' || *p == '[' || *p == ']')
			return false;
	return true;
}

int ldapmap_split_value(const char *value, const char *delim, char **user_r,
			char **host_r, char **port_r)
{
	const char *d = last_delim(value, delim), *hs = value, *he, *ps;

	*user_r = *host_r = *port_r = NULL;
	if (d != NULL) {
		if (d == value)
			return -1;
		for (const char *p = value; p < d; p++)
			if ((unsigned char)*p < ' ' || *p == 0x7f)
				return -1;
		hs = d + strlen(delim);
	}
	if (!host_port(&hs, &he, &ps))
		return -1;
	*host_r = strndup(hs, (size_t)(he - hs));
	if (ps != NULL)
		*port_r = strdup(ps);
	if (d != NULL)
		*user_r = strndup(value, (size_t)(d - value));
	if (*host_r == NULL || (ps != NULL && *port_r == NULL) ||
	    (d != NULL && *user_r == NULL)) {
		free(*user_r);
		free(*host_r);
		free(*port_r);
		*user_r = *host_r = *port_r = NULL;
		return -2;
	}
	return 0;
}
