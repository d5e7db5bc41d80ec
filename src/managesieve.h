/*
 * managesieve.h: the ManageSieve protocol module (protocol_managesieve
 * in protocol.h) and its pure, socket-free parts for tests and fuzzing:
 * command tokens, strict base64 and SASL PLAIN.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_MANAGESIEVE_H
#define PERDITION_MANAGESIEVE_H

#include <stdbool.h>
#include <stddef.h>

#include "defs.h"
#include "imap_token.h"

/* One argument of a client command, decoded (quoted strings unescaped,
 * literals read); data is malloc'd, NUL-terminated, may hold NULs. */
struct sieve_arg {
	enum imap_arg_type type; /* ATOM, QUOTED or LITERAL */
	char *data;
	size_t len;
};

/* A client command, possibly spread over several lines by literals. */
struct sieve_cmd {
	char name[16];          /* command token, truncated; "" when empty */
	size_t name_len;        /* real length of the command token */
	struct sieve_arg args[MAX_ARGS];
	size_t nargs;
	bool syntax_error;      /* an argument could not be parsed */
	bool too_many;          /* more than MAX_ARGS arguments */
	unsigned long literal;  /* pending literal size (SIEVE_PARSE_LITERAL) */
};

/* Results of sieve_parse_line(). */
enum {
	SIEVE_PARSE_DONE = 0,    /* the command is complete (maybe with errors) */
	SIEVE_PARSE_LITERAL = 1, /* read c->literal bytes, sieve_add_literal(),
				  * then parse the next line with first false */
};

/* Start an empty command. */
void sieve_cmd_init(struct sieve_cmd *c);

/*
 * Parse line[0..len) into c: with first, the command token and its
 * arguments; else the continuation after a literal (empty, or " arg...").
 * Literals larger than MAX_LITERAL_SIZE are syntax errors.  Bounded;
 * never reads past len.
 */
int sieve_parse_line(struct sieve_cmd *c, const char *line, size_t len,
		     bool first);

/* Add the bytes of the pending literal (copied). */
void sieve_add_literal(struct sieve_cmd *c, const char *data, size_t len);

/* Free the arguments (wiping them: they may hold a password). */
void sieve_cmd_free(struct sieve_cmd *c);

/* What the pre-authentication loop does with a command. */
enum sieve_action {
	SIEVE_ACT_NO = 0,     /* send NO "<text>" after a sleep */
	SIEVE_ACT_CAPABILITY, /* capability lines + OK "CAPABILITY completed..." */
	SIEVE_ACT_NOOP,       /* OK "NOOP completed, mate" */
	SIEVE_ACT_NOOP_TAG,   /* OK (TAG <args[0]>) "NOOP completed, mate", D-7 */
	SIEVE_ACT_LOGOUT,     /* OK "LOGOUT completed, mate", close */
	SIEVE_ACT_STARTTLS,   /* OK "Begin TLS negotiation, mate", handshake */
	SIEVE_ACT_AUTH,       /* args[1] is the PLAIN initial response */
	SIEVE_ACT_AUTH_CONT,  /* AUTHENTICATE "PLAIN" alone: empty challenge */
};

struct sieve_decision {
	enum sieve_action act;
	const char *text; /* NO text (without quotes) */
};

/* Decide the reply to c (pure). */
void sieve_decide(const struct sieve_cmd *c, bool tls_listen, bool tls_active,
		  struct sieve_decision *d);

/*
 * Decode a SASL PLAIN initial response (base64 of authzid NUL authcid NUL
 * passwd).  On success returns NULL and sets *authz_r (NULL when empty),
 * *user_r and *passwd_r (malloc'd).  Else returns the NO text of SPEC 3.4
 * (sasl_plain.c decodes) and sets nothing.
 */
const char *sieve_plain_decode(const char *b64, size_t len, char **authz_r,
			       char **user_r, char **passwd_r);

/* The capability lines (split on two spaces, "STARTTLS" dropped, then
 * added when add_starttls), CR LF after each; malloc'd, *len_r bytes. */
char *sieve_capa_lines(const char *caps, bool add_starttls, size_t *len_r);

#endif
