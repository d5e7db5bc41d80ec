/*
 * sasl_plain.h: SASL PLAIN (RFC 4616) messages, shared by every
 * protocol: a strict, bounded base64 decoder and the split into
 * authorisation id, authentication id and password; the encoder the
 * real-server side uses.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_SASL_PLAIN_H
#define PERDITION_SASL_PLAIN_H

#include <stdbool.h>
#include <stddef.h>

/* Longest authorisation id, authentication id or password we take. */
#define SASL_PLAIN_FIELD_MAX 4096

/* Bytes of base64 for n bytes of data, with the NUL that ends it. */
#define SASL_BASE64_SIZE(n) (((n) + 2) / 3 * 4 + 1)

/* Longest base64 PLAIN message we decode: three full fields, two NULs. */
#define SASL_PLAIN_B64_MAX (SASL_BASE64_SIZE(3 * SASL_PLAIN_FIELD_MAX + 2) - 1)

/* Why a message was refused; each caller words its own reply. */
enum sasl_plain_result {
	SASL_PLAIN_OK = 0,
	SASL_PLAIN_BAD_BASE64,     /* not strict base64, or over the bound */
	SASL_PLAIN_EMPTY,          /* decodes to nothing */
	SASL_PLAIN_NO_AUTHCID,     /* no NUL at all */
	SASL_PLAIN_EMPTY_AUTHCID,  /* the authentication id is empty */
	SASL_PLAIN_NO_PASSWD,      /* no second NUL */
	SASL_PLAIN_EMPTY_PASSWD,   /* the password is empty (when refused) */
	SASL_PLAIN_TRAILING,       /* a third NUL */
	SASL_PLAIN_TOO_LONG,       /* a field over SASL_PLAIN_FIELD_MAX */
};

/* A decoded message: malloc'd strings, none holding a NUL; authz is
 * NULL when the client sent an empty authorisation id. */
struct sasl_plain {
	char *authz;
	char *authc;
	char *passwd;
};

/*
 * Strict base64 (RFC 4648 alphabet, '=' padding only at the end, length
 * a multiple of 4, no white space) of in[0..len) into out[0..outlen).
 * Returns the decoded length, or -1 for bad input or too small an out.
 */
long sasl_base64_decode(const char *in, size_t len, unsigned char *out,
			size_t outlen);

/* base64 of in[0..len) into out, NUL-terminated; outlen must be at
 * least SASL_BASE64_SIZE(len), else out is "" and 0 is returned.
 * Returns the encoded length. */
size_t sasl_base64_encode(const unsigned char *in, size_t len, char *out,
			  size_t outlen);

/*
 * Decode the base64 PLAIN message b64[0..len) into *p (all NULL on any
 * error).  An empty password is refused unless allow_empty_passwd
 * (ManageSieve has always passed one on to the real server).
 */
enum sasl_plain_result sasl_plain_decode(const char *b64, size_t len,
					 bool allow_empty_passwd,
					 struct sasl_plain *p);

/* Free (and wipe the password of) a decoded message. */
void sasl_plain_free(struct sasl_plain *p);

/*
 * base64(authz NUL authc NUL passwd), malloc'd and NUL-terminated, its
 * length in *len_r.  authz may be NULL or "" for none.
 */
char *sasl_plain_encode(const char *authz, const char *authc,
			const char *passwd, size_t *len_r);

/* A short text for a refusal, for IMAP and POP3 replies
 * ("..., mate"). */
const char *sasl_plain_result_text(enum sasl_plain_result r);

#endif
