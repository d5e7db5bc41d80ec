/*
 * imap_token.h: pure, bounded IMAP4 tokenizer (RFC 3501 tags, atoms,
 * quoted strings and literal markers {n} / {n+}).
 *
 * Nothing here does I/O or allocates: every function works on a byte
 * buffer and its length (the buffer may hold NUL bytes and need not be
 * NUL-terminated), so each one is a unit test and a fuzz target.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_IMAP_TOKEN_H
#define PERDITION_IMAP_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Is s[0..len) a valid client tag?  Non-empty, at most MAX_TAG_LENGTH
 * bytes, each printable ASCII 0x21-0x7e other than ( ) { % * " \ ]
 * (CVE-2007-5740: a tag never reaches a format string, but it must not
 * smuggle control bytes or NULs into our replies either).
 */
bool imap_tag_valid(const char *s, size_t len);

/*
 * Parse a literal marker "{n}" or "{n+}" that makes up all of s[0..len).
 * n must be 1 to 10 plain decimal digits and at most max.  On success
 * sets *size_r and *plus_r (non-synchronising literal) and returns 0;
 * returns -1 for anything else ("{-1}", "{}", "{4294967296}", "{ 1}",
 * a missing brace, ...).  {0} is valid here; callers decide whether an
 * empty string makes sense.
 */
int imap_literal_parse(const char *s, size_t len, unsigned long max,
		       unsigned long *size_r, bool *plus_r);

/* Kinds of argument token. */
enum imap_arg_type {
	IMAP_ARG_ATOM = 0,
	IMAP_ARG_QUOTED,
	IMAP_ARG_LITERAL, /* a {n}/{n+} marker that ends the line */
};

/* One argument found by imap_arg_next(). */
struct imap_arg {
	enum imap_arg_type type;
	/* ATOM: the atom's bytes; QUOTED: the bytes between the quotes,
	 * still escaped (see imap_unquote); LITERAL: the marker. */
	const char *start;
	size_t len;
	unsigned long literal_size; /* LITERAL only */
	bool literal_plus;          /* LITERAL only: {n+} */
};

/* Results of imap_arg_next(). */
enum {
	IMAP_ARG_OK = 1,
	IMAP_ARG_END = 0,     /* no more arguments on this line */
	IMAP_ARG_SYNTAX = -1, /* malformed */
};

/*
 * Read the next argument of line[0..len) at *pos.  Every argument is
 * introduced by exactly one space, so *pos starts at the space after the
 * command name (or at 0 on the line that follows a literal's bytes, which
 * is empty or continues with " arg ...").  Two spaces, a trailing space
 * or a missing space are syntax errors.  A quoted string is "..." with
 * \" and \\ as the only escapes and no NUL, CR or LF inside.  An atom is
 * a run of bytes other than space, NUL, CR, LF and '"' that does not
 * start with '{'.  A token that starts with '{' must be a literal marker
 * (imap_literal_parse with max_literal) that ends the line.  Returns
 * IMAP_ARG_OK (*arg filled, *pos advanced past the token), IMAP_ARG_END
 * (*pos == len) or IMAP_ARG_SYNTAX.
 */
int imap_arg_next(const char *line, size_t len, size_t *pos,
		  unsigned long max_literal, struct imap_arg *arg);

/*
 * Undo the escapes of a quoted string's inner bytes src[0..len) into
 * dst (dstlen bytes, NUL-terminated).  Returns the decoded length, or
 * -1 if an escape is bad or the result does not fit.
 */
long imap_unquote(const char *src, size_t len, char *dst, size_t dstlen);

/*
 * Encode s (NUL-terminated) as an IMAP quoted string "..." into dst
 * (dstlen bytes, NUL-terminated), escaping " and \.  Returns the length
 * written; 0 if s must be sent as a literal instead (it holds CR, LF or
 * bytes outside 0x01-0x7f); -1 if dst is too small.
 */
long imap_quote(const char *s, char *dst, size_t dstlen);

/*
 * The real-server tag for counter value n: "flim" followed by n + 7 in
 * base 62 (0-9 a-z A-Z), at least two digits, so n = 0 gives "flim07",
 * 2 gives "flim09", 3 gives "flim0a" (perdition 2.2's odometer).
 * dst must hold at least IMAP_SERVER_TAG_SIZE bytes.
 */
#define IMAP_SERVER_TAG_SIZE 16
void imap_server_tag(unsigned n, char *dst);

#endif
