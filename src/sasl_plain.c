/*
 * sasl_plain.c: SASL PLAIN messages (RFC 4616) and the strict base64
 * they travel in, for the client side of every protocol and the
 * real-server side of IMAP and ManageSieve.  Pure: no I/O, no options.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sasl_plain.h"
#include "str.h"
#include "xalloc.h"

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_value(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

long sasl_base64_decode(const char *in, size_t len, unsigned char *out,
			size_t outlen)
{
	size_t n = 0;

	if (len % 4 != 0)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		bool last = i + 4 == len;
		int v[4];
		size_t pad = 0;

		for (int k = 0; k < 4; k++) {
			unsigned char ch = (unsigned char)in[i + k];

			/* '=' only as the last one or two bytes of input. */
			if (ch == '=' && last && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad > 0)
				return -1;
			v[k] = b64_value(ch);
			if (v[k] < 0)
				return -1;
		}
		if (n + 3 - pad > outlen)
			return -1;
		out[n++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[n++] = (unsigned char)((v[1] & 0xf) << 4 | v[2] >> 2);
		if (pad < 1)
			out[n++] = (unsigned char)((v[2] & 0x3) << 6 | v[3]);
	}
	return (long)n;
}

size_t sasl_base64_encode(const unsigned char *in, size_t len, char *out,
			  size_t outlen)
{
	size_t n = 0;

	if (outlen < SASL_BASE64_SIZE(len)) {
		if (outlen > 0)
			out[0] = '\0';
		return 0;
	}
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		size_t left = len - i;

		if (left > 1)
			v |= (unsigned)in[i + 1] << 8;
		if (left > 2)
			v |= in[i + 2];
		out[n++] = b64_alphabet[v >> 18 & 63];
		out[n++] = b64_alphabet[v >> 12 & 63];
		out[n++] = left > 1 ? b64_alphabet[v >> 6 & 63] : '=';
		out[n++] = left > 2 ? b64_alphabet[v & 63] : '=';
	}
	out[n] = '\0';
	return n;
}

/* Split buf[0..n) at its NULs into *p (strings still in buf). */
static enum sasl_plain_result split(const unsigned char *buf, size_t n,
				    bool allow_empty_passwd,
				    const unsigned char **authc_r,
				    const unsigned char **pw_r)
{
	const unsigned char *end = buf + n, *authc, *pw, *z;

	if (n == 0)
		return SASL_PLAIN_EMPTY;
	z = memchr(buf, '\0', n);
	if (z == NULL)
		return SASL_PLAIN_NO_AUTHCID;
	authc = z + 1;
	z = memchr(authc, '\0', (size_t)(end - authc));
	if ((z != NULL ? z : end) == authc)
		return SASL_PLAIN_EMPTY_AUTHCID;
	if (z == NULL)
		return SASL_PLAIN_NO_PASSWD;
	pw = z + 1;
	if (memchr(pw, '\0', (size_t)(end - pw)) != NULL)
		return SASL_PLAIN_TRAILING;
	if (authc - 1 - buf > SASL_PLAIN_FIELD_MAX ||
	    z - authc > SASL_PLAIN_FIELD_MAX || end - pw > SASL_PLAIN_FIELD_MAX)
		return SASL_PLAIN_TOO_LONG;
	if (pw == end && !allow_empty_passwd)
		return SASL_PLAIN_EMPTY_PASSWD;
	*authc_r = authc;
	*pw_r = pw;
	return SASL_PLAIN_OK;
}

enum sasl_plain_result sasl_plain_decode(const char *b64, size_t len,
					 bool allow_empty_passwd,
					 struct sasl_plain *p)
{
	size_t cap = len / 4 * 3 + 1;
	unsigned char *buf;
	const unsigned char *authc = NULL, *pw = NULL;
	enum sasl_plain_result r;
	long n;

	memset(p, 0, sizeof(*p));
	/* Over the bound: a field must be too long, or it is not PLAIN. */
	if (len > SASL_PLAIN_B64_MAX)
		return SASL_PLAIN_TOO_LONG;
	buf = xmalloc(cap);
	n = sasl_base64_decode(b64, len, buf, cap);
	r = n < 0 ? SASL_PLAIN_BAD_BASE64 :
		split(buf, (size_t)n, allow_empty_passwd, &authc, &pw);
	if (r == SASL_PLAIN_OK) {
		const unsigned char *end = buf + n;

		p->authz = authc - 1 > buf ?
			xstrndup((const char *)buf, (size_t)(authc - 1 - buf)) :
			NULL;
		p->authc = xstrndup((const char *)authc, (size_t)(pw - 1 - authc));
		p->passwd = xstrndup((const char *)pw, (size_t)(end - pw));
	}
	explicit_bzero(buf, cap);
	free(buf);
	return r;
}

void sasl_plain_free(struct sasl_plain *p)
{
	free(p->authz);
	free(p->authc);
	str_wipe_free(p->passwd);
	memset(p, 0, sizeof(*p));
}

char *sasl_plain_encode(const char *authz, const char *authc,
			const char *passwd, size_t *len_r)
{
	size_t zl = authz != NULL ? strlen(authz) : 0;
	size_t ul = strlen(authc), pl = strlen(passwd);
	size_t ml = zl + 1 + ul + 1 + pl;
	size_t bl = SASL_BASE64_SIZE(ml);
	unsigned char *msg = xmalloc(ml);
	char *out = xmalloc(bl);

	if (zl > 0)
		memcpy(msg, authz, zl);
	msg[zl] = '\0';
	memcpy(msg + zl + 1, authc, ul);
	msg[zl + 1 + ul] = '\0';
	memcpy(msg + zl + 2 + ul, passwd, pl);
	*len_r = sasl_base64_encode(msg, ml, out, bl);
	/* It held the password. */
	explicit_bzero(msg, ml);
	free(msg);
	return out;
}

const char *sasl_plain_result_text(enum sasl_plain_result r)
{
	switch (r) {
	case SASL_PLAIN_OK:
		return "OK";
	case SASL_PLAIN_BAD_BASE64:
		return "Invalid base64 in SASL PLAIN response, mate";
	case SASL_PLAIN_EMPTY:
		return "Empty SASL PLAIN response, mate";
	case SASL_PLAIN_NO_AUTHCID:
		return "SASL PLAIN response has no authentication id, mate";
	case SASL_PLAIN_EMPTY_AUTHCID:
		return "Empty authentication id, mate";
	case SASL_PLAIN_NO_PASSWD:
		return "SASL PLAIN response has no password, mate";
	case SASL_PLAIN_EMPTY_PASSWD:
		return "Empty password, mate";
	case SASL_PLAIN_TRAILING:
		return "Trailing garbage in SASL PLAIN response, mate";
	case SASL_PLAIN_TOO_LONG:
		return "SASL PLAIN field too long, mate";
	}
	return "Invalid SASL PLAIN response, mate";
}
