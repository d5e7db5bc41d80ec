/*
 * user_server_port.h: the "[user@]host[:port]" helpers perdition 2.2
 * exported to its map libraries.  Debian's 2.2 LDAP library
 * (libperditiondb_ldap.so.0) calls these six functions of the daemon
 * that loaded it to split an entry's value (SPEC 5, D-14), so our binary
 * exports them too (src/exports.list).
 *
 * Use, as that library does:
 *
 *	struct user_server_port *usp = NULL;
 *	if (user_server_port_str_assign(&usp, "bob@mail1:110") < 0)
 *		... error, usp is still NULL ...
 *	u = user_server_port_get_user(usp);     "bob"    (malloc'd)
 *	s = user_server_port_get_server(usp);   "mail1"  (malloc'd)
 *	p = user_server_port_get_port(usp);     "110"    (malloc'd)
 *	user_server_port_unassign(usp);   the caller now owns u, s and p
 *	user_server_port_destroy(usp);
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_USER_SERVER_PORT_H
#define PERDITION_USER_SERVER_PORT_H

/* The layout of 2.2's, though callers only use the accessors. */
struct user_server_port {
	char *user;   /* NULL when the string has no user part */
	char *server; /* host, without IPv6 brackets */
	char *port;   /* NULL when the string has no port */
};

/*
 * Parse str as [user<domain_delimiter>]host[:port] (server_spec_parse(),
 * with the daemon's --domain_delimiter) into *usp, which is allocated
 * when NULL; fields it held before are freed.  Returns 0, or -1 (logged)
 * for a NULL or malformed str, leaving *usp as it was given (a struct
 * allocated here is freed again).
 */
int user_server_port_str_assign(struct user_server_port **usp, const char *str);

/* The domain_delimiter str_assign splits at (NULL: none); set once by
 * main() after the options are read. */
void user_server_port_set_delimiter(const char *delim);

/* The fields (malloc'd or NULL); usp may be NULL.  Still owned by usp. */
char *user_server_port_get_user(const struct user_server_port *usp);
char *user_server_port_get_server(const struct user_server_port *usp);
char *user_server_port_get_port(const struct user_server_port *usp);

/* Forget the fields without freeing them: the caller took them. */
void user_server_port_unassign(struct user_server_port *usp);

/* Free usp and the fields it still holds; NULL is fine. */
void user_server_port_destroy(struct user_server_port *usp);

#endif
