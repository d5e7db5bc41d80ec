/*
 * imap_id.h: the argument list of the IMAP ID command (RFC 2971), pure
 * and bounded: a parser of what a client sends and a serialiser of what
 * we send a real server.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_IMAP_ID_H
#define PERDITION_IMAP_ID_H

#include <stdbool.h>
#include <stddef.h>

/* RFC 2971's limits: 30 pairs, fields of 30 bytes, values of 1024. */
#define IMAP_ID_MAX_PAIRS 30
#define IMAP_ID_MAX_KEY 30
#define IMAP_ID_MAX_VALUE 1024

/* The longest argument list we accept on the wire, literals included
 * (every field and value a literal, generous spacing). */
#define IMAP_ID_MAX_WIRE \
	(IMAP_ID_MAX_PAIRS * (IMAP_ID_MAX_KEY + IMAP_ID_MAX_VALUE + 48) + 16)

/* The longest imap_id_format() result (every byte escaped), with NUL. */
#define IMAP_ID_MAX_FORMAT \
	(IMAP_ID_MAX_PAIRS * (2 * (IMAP_ID_MAX_KEY + IMAP_ID_MAX_VALUE) + 6) + 8)

struct imap_id_pair {
	char key[IMAP_ID_MAX_KEY + 1];
	char value[IMAP_ID_MAX_VALUE + 1];
	size_t key_len, value_len; /* they may hold NULs from literals */
	bool nil;                  /* the value is NIL */
};

/* A parameter list: "NIL" (n == 0) or "(...)". */
struct imap_id {
	bool nil;
	size_t n;
	struct imap_id_pair pair[IMAP_ID_MAX_PAIRS];
};

/*
 * Parse an ID argument list, buf[0..len): NIL, or "(" pairs ")" where a
 * pair is a field string and a value string or NIL, strings quoted or
 * literal ({n} or {n+}, CR LF, n bytes, exactly as on the wire), tokens
 * separated by spaces.  Nothing may follow.  Returns 0 (*id filled) or
 * -1 (syntax, more than IMAP_ID_MAX_PAIRS pairs, an over-long field or
 * value).  Never reads past buf[len - 1].
 */
int imap_id_parse(const char *buf, size_t len, struct imap_id *id);

/* Does line[0..len) end with a literal marker "{n}" or "{n+}" (after a
 * space or "(")?  Then *n_r and *plus_r describe it; a marker that does
 * not parse or names more than max bytes sets *n_r to max + 1. */
bool imap_id_literal_at_end(const char *line, size_t len, unsigned long max,
			    unsigned long *n_r, bool *plus_r);

/* Remove the pairs whose field names one of our forwarding keys
 * (x-originating-*, x-connected-*, x-session-*, x-proxy-*, x-forward-*),
 * case-insensitively: no client may forge them. */
void imap_id_drop_forwarding(struct imap_id *id);

/* Append a pair (value NULL: NIL); -1 when full or a string too long. */
int imap_id_add(struct imap_id *id, const char *key, const char *value);

/*
 * Write the list as "NIL" or "(" quoted pairs ")" into dst (NUL
 * terminated).  Every string is quoted: " and \ escaped, CR, LF, NUL,
 * other control bytes and bytes above 0x7e dropped, so nothing a client
 * sent can end the line or the string.  Returns the length, or 0 when
 * dstlen is too small (IMAP_ID_MAX_FORMAT always suffices).
 */
size_t imap_id_format(const struct imap_id *id, char *dst, size_t dstlen);

#endif
