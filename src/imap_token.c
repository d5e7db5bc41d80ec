/*
 * imap_token.c: pure, bounded IMAP4 tokenizer.  No I/O, no allocation:
 * lengths a peer sends are only ever compared against our own limits.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include "defs.h"
#include "imap_token.h"

/* Longest literal size we parse: ten digits covers every size we could
 * ever accept and keeps the arithmetic far from overflow. */
#define LITERAL_MAX_DIGITS 10

bool imap_tag_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > MAX_TAG_LENGTH)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x21 || c > 0x7e)
			return false;
		if (strchr("(){%*\"\\]", c) != NULL)
			return false;
	}
	return true;
}

int imap_literal_parse(const char *s, size_t len, unsigned long max,
		       unsigned long *size_r, bool *plus_r)
{
	unsigned long v = 0;
	size_t i, end, ndigits;
	bool plus = false;

	if (len < 3 || s[0] != '{' || s[len - 1] != '}')
		return -1;
	end = len - 1;
	if (s[end - 1] == '+') {
		plus = true;
		end--;
	}
	ndigits = end - 1;
	if (ndigits == 0 || ndigits > LITERAL_MAX_DIGITS)
		return -1;
	for (i = 1; i < end; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*size_r = v;
	*plus_r = plus;
	return 0;
}

/* Scan a quoted string whose opening quote is line[p]; on success sets
 * *end_r to the index of the closing quote. */
static int scan_quoted(const char *line, size_t len, size_t p, size_t *end_r)
{
	for (p++; p < len; p++) {
		char c = line[p];

		if (c == '"') {
			*end_r = p;
			return 0;
		}
		if (c == '\0' || c == '\r' || c == '\n')
			return -1;
		if (c == '\\') {
			if (p + 1 >= len || (line[p + 1] != '"' && line[p + 1] != '\\'))
				return -1;
			p++;
		}
	}
	return -1; /* unterminated */
}

int imap_arg_next(const char *line, size_t len, size_t *pos,
		  unsigned long max_literal, struct imap_arg *arg)
{
	size_t p = *pos, q;

	if (p > len)
		return IMAP_ARG_SYNTAX;
	if (p == len)
		return IMAP_ARG_END;
	/* Every argument is introduced by exactly one space. */
	if (line[p] != ' ')
		return IMAP_ARG_SYNTAX;
	p++;
	if (p == len)
		return IMAP_ARG_SYNTAX; /* trailing space */
	memset(arg, 0, sizeof(*arg));
	switch (line[p]) {
	case ' ':
		return IMAP_ARG_SYNTAX; /* empty argument */
	case '"':
		if (scan_quoted(line, len, p, &q) < 0)
			return IMAP_ARG_SYNTAX;
		arg->type = IMAP_ARG_QUOTED;
		arg->start = line + p + 1;
		arg->len = q - p - 1;
		q++;
		/* The next byte must separate arguments or end the line. */
		if (q < len && line[q] != ' ')
			return IMAP_ARG_SYNTAX;
		*pos = q;
		return IMAP_ARG_OK;
	case '{':
		/* A literal marker is only a marker at the end of the line. */
		if (imap_literal_parse(line + p, len - p, max_literal,
				       &arg->literal_size, &arg->literal_plus) < 0)
			return IMAP_ARG_SYNTAX;
		arg->type = IMAP_ARG_LITERAL;
		arg->start = line + p;
		arg->len = len - p;
		*pos = len;
		return IMAP_ARG_OK;
	default:
		break;
	}
	for (q = p; q < len && line[q] != ' '; q++) {
		char c = line[q];

		if (c == '\0' || c == '\r' || c == '\n' || c == '"')
			return IMAP_ARG_SYNTAX;
	}
	arg->type = IMAP_ARG_ATOM;
	arg->start = line + p;
	arg->len = q - p;
	*pos = q;
	return IMAP_ARG_OK;
}

long imap_unquote(const char *src, size_t len, char *dst, size_t dstlen)
{
	size_t i, n = 0;

	if (dstlen == 0)
		return -1;
	for (i = 0; i < len; i++) {
		char c = src[i];

		if (c == '\0')
			return -1;
		if (c == '\\') {
			if (i + 1 >= len || (src[i + 1] != '"' && src[i + 1] != '\\'))
				return -1;
			c = src[++i];
		}
		if (n + 1 >= dstlen)
			return -1;
		dst[n++] = c;
	}
	dst[n] = '\0';
	return (long)n;
}

long imap_quote(const char *s, char *dst, size_t dstlen)
{
	size_t n = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n' || *p > 0x7f)
			return 0;
	if (dstlen < 3)
		return -1;
	dst[n++] = '"';
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		size_t need = (*p == '"' || *p == '\\') ? 2 : 1;

		/* Leave room for the closing quote and the NUL. */
		if (n + need + 2 > dstlen)
			return -1;
		if (need == 2)
			dst[n++] = '\\';
		dst[n++] = (char)*p;
	}
	dst[n++] = '"';
	dst[n] = '\0';
	return (long)n;
}

void imap_server_tag(unsigned n, char *dst)
{
	static const char digits[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char rev[IMAP_SERVER_TAG_SIZE];
	unsigned long v = (unsigned long)n + 7;
	size_t k = 0, i = 0;

	do {
		rev[k++] = digits[v % 62];
		v /= 62;
	} while (v > 0);
	if (k < 2)
		rev[k++] = '0';
	memcpy(dst, "flim", 4);
	i = 4;
	while (k > 0)
		dst[i++] = rev[--k];
	dst[i] = '\0';
}
