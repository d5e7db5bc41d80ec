/*
 * pop3.h: the POP3 protocol module (protocol_pop3, protocol_pop3s in
 * protocol.h) and its pure, socket-free parts for tests and fuzzing.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_POP3_H
#define PERDITION_POP3_H

#include <stdbool.h>
#include <stddef.h>

/* What the first token of a client line is. */
enum pop3_cmd {
	POP3_CMD_NULL = 0, /* empty line */
	POP3_CMD_SHORT,    /* first token is not 4 bytes long */
	POP3_CMD_UNKNOWN,  /* 4 bytes, none of ours */
	POP3_CMD_CAPA,
	POP3_CMD_STLS,
	POP3_CMD_USER,
	POP3_CMD_PASS,
	POP3_CMD_QUIT,
	POP3_CMD_AUTH,     /* RFC 5034 */
};

/* One parsed client line; pointers point into the parsed line. */
struct pop3_request {
	enum pop3_cmd cmd;
	bool auth_prefix;  /* first token is a non-empty prefix of AUTH */
	size_t nargs;      /* tokens after the command; "  " makes an empty one */
	const char *arg;   /* rest of the line after "CMD ", NUL-terminated */
	size_t arg_len;
	bool arg_has_nul;  /* arg holds a NUL byte */
};

/*
 * Parse one client line (without its CR LF) of *len bytes; line[*len]
 * must be a NUL.  CR bytes anywhere are dropped in place (as perdition
 * 2.2) and *len updated.  The line is split on every single space; the
 * command is matched case-insensitively.  Never reads past *len.
 * Returns r->cmd.
 */
enum pop3_cmd pop3_parse(char *line, size_t *len, struct pop3_request *r);

/* What the pre-authentication loop does with a request. */
enum pop3_action {
	POP3_ACT_ERROR = 0, /* send text (an -ERR line), after a sleep if asked */
	POP3_ACT_CAPA,      /* send the capability list */
	POP3_ACT_STLS,      /* send text, then TLS handshake */
	POP3_ACT_USER,      /* remember arg; "+OK USER <arg> set, mate" */
	POP3_ACT_PASS,      /* arg is the password: try to log in */
	POP3_ACT_QUIT,      /* send text and close */
	POP3_ACT_AUTH_LIST, /* AUTH alone: list the mechanisms */
	POP3_ACT_AUTH,      /* AUTH <mechanism> [<initial response>] in arg */
};

struct pop3_decision {
	enum pop3_action act;
	const char *text;  /* static reply line without CR LF, or NULL */
	bool sleep;        /* sleep PROTOCOL_ERROR_SLEEP before text */
};

/*
 * Decide the reply to r (pure).  tls_listen: STLS is offered and
 * accepted (tls_listen or tls_listen_force); tls_active: the client is
 * under TLS now; have_user: USER was accepted.
 */
void pop3_decide(const struct pop3_request *r, bool tls_listen,
		 bool tls_active, bool have_user, struct pop3_decision *d);

/*
 * The CAPA reply: "+OK Capability list follows, mate", one line per entry
 * of caps (split on '.', or on two spaces when caps has no '.'; empty
 * entries and STLS dropped), "STLS" when add_stls, then ".".  Each line
 * ends in CR LF.  Returns a malloc'd string (*len_r bytes).
 */
char *pop3_capa_reply(const char *caps, bool add_stls, size_t *len_r);

/* Is line (len bytes) a POP3 "+OK" status line (first token +OK, any case)? */
bool pop3_is_ok(const char *line, size_t len);

#endif
