/*
 * ldapmap_escape.h: the pure text functions of the LDAP map library:
 * escaping a key for an LDAP filter (RFC 4515) and for a DN (RFC 4514),
 * finding the %s / %Ns places of the URL, putting the escaped key there,
 * and splitting a "[user@]host[:port]" value.  No I/O, no libldap: the
 * unit test and the fuzzer call them directly.
 *
 * How a key gets into the query: ldapmap_tmpl_prepare() replaces each
 * %s or %Ns of the option URL by "%01", which ldap_url_parse() decodes
 * to the byte 0x01 (LDAPMAP_SLOT) inside the base DN or the filter.  At
 * lookup ldapmap_expand() replaces each slot by the key, padded to its
 * width and escaped for where the slot is, so no key can change the
 * structure of the DN or of the filter.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITIONDB_LDAPMAP_ESCAPE_H
#define PERDITIONDB_LDAPMAP_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

/* Marks a key slot in a decoded DN or filter (see above). */
#define LDAPMAP_SLOT '\001'
/* At most this many %s in one URL, and this wide a %Ns. */
#define LDAPMAP_MAX_SLOTS 8
#define LDAPMAP_MAX_WIDTH 1024
/* A longer key is refused (perdition's own names stop at 4096). */
#define LDAPMAP_MAX_KEY 4096
/* An expanded DN or filter never gets longer than this. */
#define LDAPMAP_MAX_EXPANDED 65536

enum ldapmap_ctx {
	LDAPMAP_FILTER, /* an assertion value of a filter, RFC 4515 */
	LDAPMAP_DN      /* an attribute value of a DN, RFC 4514 */
};

/*
 * Escape len bytes of src as a filter value (RFC 4515 3): NUL, '*', '(',
 * ')', '\\', control bytes, DEL and every byte above 0x7f become \XX.
 * Writes at most dstlen bytes including a NUL (nothing when dstlen is 0)
 * and returns the length the whole escaped value needs, without the NUL,
 * as snprintf does: a result >= dstlen means it was cut.
 */
size_t ldapmap_escape_filter(char *dst, size_t dstlen, const char *src,
			     size_t len);

/*
 * Escape len bytes of src as a DN attribute value (RFC 4514 2.4): NUL,
 * '"', '+', ',', ';', '<', '=', '>', '\\', control bytes, DEL, bytes
 * above 0x7f, a leading ' ' or '#' and a trailing ' ' become \XX.
 * Returns as ldapmap_escape_filter() does.
 */
size_t ldapmap_escape_dn(char *dst, size_t dstlen, const char *src,
			 size_t len);

/*
 * Copy url to a malloc'd *out_r with each %s or %Ns (N decimal digits)
 * replaced by "%01", and the widths (0 for %s) stored in width[], in
 * order.  Returns the number of slots (0..LDAPMAP_MAX_SLOTS), -1 when url
 * already holds "%01" (it would be taken for a slot), has more than
 * LDAPMAP_MAX_SLOTS slots or a width above LDAPMAP_MAX_WIDTH, -2 when out
 * of memory.  *out_r is NULL unless the result is >= 0.
 */
int ldapmap_tmpl_prepare(const char *url, char **out_r,
			 unsigned width[LDAPMAP_MAX_SLOTS]);

/* Number of LDAPMAP_SLOT bytes in s (NULL: 0). */
size_t ldapmap_slots(const char *s);

/*
 * A malloc'd copy of pattern with each LDAPMAP_SLOT replaced by the key
 * (keylen bytes, may hold any byte) right-justified in width[i] columns
 * (padded with spaces before it, like printf's %Ns) and escaped for ctx;
 * i counts from *next, which is advanced past the slots used.  NULL when
 * the key is longer than LDAPMAP_MAX_KEY, the result longer than
 * LDAPMAP_MAX_EXPANDED, pattern has more slots than widths left
 * (nwidth), or memory runs out.
 */
char *ldapmap_expand(const char *pattern, const unsigned *width,
		     size_t nwidth, size_t *next, const char *key,
		     size_t keylen, enum ldapmap_ctx ctx);

/*
 * Split value as [user<delim>]host[:port] (the last delim splits; host
 * may be "[v6]", returned without brackets; port a number or service
 * name), as the daemon splits a map result, setting *user_r, *host_r,
 * *port_r to malloc'd strings or NULL when absent.  Returns 0, -1 when
 * malformed (empty user, host or port, bad brackets, a bare IPv6
 * address, a blank or control byte), -2 when out of memory; on error
 * all three are NULL.
 */
int ldapmap_split_value(const char *value, const char *delim, char **user_r,
			char **host_r, char **port_r);

#endif
