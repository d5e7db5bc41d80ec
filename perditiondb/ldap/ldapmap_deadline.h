/*
 * ldapmap_deadline.h: one deadline for a whole LDAP lookup.
 *
 * libldap's own time-outs (LDAP_OPT_NETWORK_TIMEOUT, LDAP_OPT_TIMEOUT) do
 * not cover everything: OpenLDAP 2.5's TLS handshake on an ldaps://
 * server that accepts and never answers spins on a non-blocking read
 * for ever.  So a lookup also runs under a watchdog thread that, when the
 * deadline passes, shuts down the reading side of the connection's socket:
 * every read then ends, and libldap fails the operation as if the server
 * had gone.  (Writes still work, so the unbind raises no SIGPIPE.)
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITIONDB_LDAPMAP_DEADLINE_H
#define PERDITIONDB_LDAPMAP_DEADLINE_H

#include <ldap.h>
#include <stdbool.h>

struct ldapmap_deadline;

/* Start a deadline seconds from now.  NULL when no thread can be made
 * (the lookup then relies on libldap's time-outs alone). */
struct ldapmap_deadline *ldapmap_deadline_start(unsigned seconds);

/* Watch the connections of ld (before its first operation).  Returns
 * 0, or -1 when libldap refused the callback. */
int ldapmap_deadline_attach(struct ldapmap_deadline *dl, LDAP *ld);

/* True once the deadline has passed (NULL: false). */
bool ldapmap_deadline_passed(struct ldapmap_deadline *dl);

/* Stop and free the deadline; call it after ldap_unbind_ext_s() of an
 * attached handle.  NULL is fine. */
void ldapmap_deadline_stop(struct ldapmap_deadline *dl);

#endif
