/*
 * cidr.c: lists of IPv4/IPv6 networks, parsed once and matched against
 * peer addresses (proxy_protocol_trusted).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "xalloc.h"

static const char separators[] = ", \t";

/* Clear the bits past the prefix. */
static void cidr_mask(struct cidr *c)
{
	size_t bytes = c->family == AF_INET ? 4 : 16;

	for (size_t i = 0; i < bytes; i++) {
		unsigned have = c->bits > i * 8 ? c->bits - (unsigned)(i * 8) : 0;

		if (have < 8)
			c->addr[i] &= (unsigned char)(0xffu << (8 - have));
	}
}

/* One "ADDRESS[/BITS]" (NUL-terminated, no separators).  0 or -1. */
static int cidr_parse_one(const char *item, struct cidr *c)
{
	char host[INET6_ADDRSTRLEN];
	const char *slash = strchr(item, '/');
	size_t hlen = slash != NULL ? (size_t)(slash - item) : strlen(item);
	unsigned max;

	memset(c, 0, sizeof(*c));
	if (hlen >= sizeof(host))
		return -1;
	memcpy(host, item, hlen);
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, c->addr) == 1)
		c->family = AF_INET;
	else if (inet_pton(AF_INET6, host, c->addr) == 1)
		c->family = AF_INET6;
	else
		return -1;
	max = c->family == AF_INET ? 32 : 128;
	c->bits = max;
	if (slash != NULL) {
		const char *p = slash + 1;
		unsigned v = 0;

		if (*p == '\0' || strlen(p) > 3)
			return -1;
		for (; *p != '\0'; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v = v * 10 + (unsigned)(*p - '0');
		}
		if (v > max)
			return -1;
		c->bits = v;
	}
	cidr_mask(c);
	return 0;
}

int cidr_list_parse(const char *text, struct cidr_list *l, char *err, size_t errlen)
{
	char *copy, *save = NULL;
	int rc = 0;

	l->items = NULL;
	l->count = 0;
	if (strlen(text) > CIDR_LIST_MAX_TEXT) {
		snprintf(err, errlen, "network list longer than %d characters", CIDR_LIST_MAX_TEXT);
		return -1;
	}
	copy = xstrdup(text);
	l->items = xmalloc(CIDR_LIST_MAX_ITEMS * sizeof(*l->items));
	for (char *t = strtok_r(copy, separators, &save); t != NULL;
	     t = strtok_r(NULL, separators, &save)) {
		if (l->count == CIDR_LIST_MAX_ITEMS) {
			snprintf(err, errlen, "more than %d networks", CIDR_LIST_MAX_ITEMS);
			rc = -1;
			break;
		}
		if (cidr_parse_one(t, &l->items[l->count]) < 0) {
			snprintf(err, errlen, "bad network \"%.64s\"", t);
			rc = -1;
			break;
		}
		l->count++;
	}
	free(copy);
	if (rc < 0)
		cidr_list_free(l);
	return rc;
}

static bool cidr_match_one(const struct cidr *c, int family, const unsigned char *addr)
{
	unsigned full = c->bits / 8, rest = c->bits % 8;

	if (c->family != family)
		return false;
	if (memcmp(c->addr, addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((addr[full] ^ c->addr[full]) & (unsigned char)(0xffu << (8 - rest))) == 0;
}

bool cidr_list_match(const struct cidr_list *l, const struct sockaddr_storage *sa)
{
	const unsigned char *v4 = NULL, *v6 = NULL;

	if (sa->ss_family == AF_INET) {
		v4 = (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr;
	} else if (sa->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;

		v6 = a->s6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a))
			v4 = a->s6_addr + 12;
	} else {
		return false;
	}
	for (size_t i = 0; i < l->count; i++) {
		if ((v4 != NULL && cidr_match_one(&l->items[i], AF_INET, v4)) ||
		    (v6 != NULL && cidr_match_one(&l->items[i], AF_INET6, v6)))
			return true;
	}
	return false;
}

void cidr_list_free(struct cidr_list *l)
{
	free(l->items);
	l->items = NULL;
	l->count = 0;
}
