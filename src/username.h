/*
 * username.h: the user-name rules of SPEC 4 (strip_domain, add_domain,
 * lower_case) for each state.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_USERNAME_H
#define PERDITION_USERNAME_H

#include <stdbool.h>

/* The rules, as the options of the same names give them: each mask holds
 * the states (one bit each, STATE_* of options.h) the rule applies in. */
struct username_rules {
	const char *domain_delimiter; /* may be several characters, or "" */
	unsigned strip_domain;
	unsigned add_domain;
	unsigned lower_case;
};

/*
 * Apply the rules for one state (a single bit) to user and return a
 * malloc'd result.  domain is the domain add_domain appends
 * (explicit_domain or the stripped reverse name of the local address), or
 * NULL for none.  skip_strip: client_server_specification is on and state
 * is servername_lookup (strip_domain is skipped then).
 */
char *username_mangle(const struct username_rules *rules, const char *user, unsigned state,
		      const char *domain, bool skip_strip);

/* Remove depth leading labels of host ("a.b.c", 1 -> "b.c"); returns a
 * malloc'd string or NULL when the labels run out. */
char *username_strip_labels(const char *host, unsigned depth);

/* Find the last occurrence of delim in s, or NULL. */
const char *username_last_delim(const char *s, const char *delim);

#endif
