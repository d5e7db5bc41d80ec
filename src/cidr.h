/*
 * cidr.h: lists of IPv4/IPv6 networks ("127.0.0.0/8,::1/128") and the
 * test whether an address is in one.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_CIDR_H
#define PERDITION_CIDR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Bounds on what cidr_list_parse() takes. */
#define CIDR_LIST_MAX_TEXT 8192
#define CIDR_LIST_MAX_ITEMS 256

struct cidr {
	int family;             /* AF_INET or AF_INET6 */
	unsigned char addr[16]; /* network, host bits cleared */
	unsigned bits;          /* prefix length */
};

struct cidr_list {
	struct cidr *items;
	size_t count;
};

/*
 * Parse text: networks ADDRESS[/BITS] separated by commas and/or blanks
 * (no /BITS: one host).  Returns 0, or -1 with a message in err; l is
 * empty then.
 */
int cidr_list_parse(const char *text, struct cidr_list *l, char *err, size_t errlen);

/* Is sa (AF_INET or AF_INET6; an IPv4-mapped IPv6 address counts as its
 * IPv4 address too) in one of the networks? */
bool cidr_list_match(const struct cidr_list *l, const struct sockaddr_storage *sa);

void cidr_list_free(struct cidr_list *l);

#endif
