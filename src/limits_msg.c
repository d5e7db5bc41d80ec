/*
 * limits_msg.c: encode and parse the child-to-daemon limits messages.
 * The daemon trusts nothing in them but their shape: the length must be
 * exact, every field in range.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "limits_msg.h"

static const uint8_t v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

void limits_addr_from(struct limits_addr *a, const struct sockaddr_storage *sa)
{
	memset(a, 0, sizeof(*a));
	if (sa == NULL)
		return;
	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		a->family = 4;
		memcpy(a->bytes, &in->sin_addr, 4);
	} else if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		const uint8_t *b = in6->sin6_addr.s6_addr;

		if (memcmp(b, v4_mapped, sizeof(v4_mapped)) == 0) {
			a->family = 4;
			memcpy(a->bytes, b + 12, 4);
		} else {
			a->family = 6;
			memcpy(a->bytes, b, 16);
		}
	}
}

const char *limits_addr_str(const struct limits_addr *a, char *buf, size_t len)
{
	int af = a->family == 4 ? AF_INET : a->family == 6 ? AF_INET6 : 0;

	if (af == 0 || inet_ntop(af, a->bytes, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "unknown");
	return buf;
}

size_t limits_msg_encode(const struct limits_msg *m, uint8_t *buf)
{
	size_t ul = m->user_len > LIMITS_USER_MAX ? LIMITS_USER_MAX : m->user_len;

	buf[0] = 'L';
	buf[1] = 1;
	buf[2] = (uint8_t)m->type;
	buf[3] = m->addr.family;
	memcpy(buf + 4, m->addr.bytes, 16);
	buf[20] = (uint8_t)ul;
	memcpy(buf + LIMITS_MSG_HEAD, m->user, ul);
	return LIMITS_MSG_HEAD + ul;
}

static bool family_ok(const uint8_t *buf)
{
	static const uint8_t zero[16];

	switch (buf[3]) {
	case 0:
		return memcmp(buf + 4, zero, 16) == 0;
	case 4:
		return memcmp(buf + 8, zero, 12) == 0;
	case 6:
		return true;
	default:
		return false;
	}
}

int limits_msg_parse(const uint8_t *buf, size_t len, struct limits_msg *m)
{
	size_t ul;

	if (len < LIMITS_MSG_HEAD || len > LIMITS_MSG_MAX || buf[0] != 'L' || buf[1] != 1)
		return -1;
	if (buf[2] < LIMITS_MSG_LOGIN_FAILED || buf[2] > LIMITS_MSG_ANNOUNCE || !family_ok(buf))
		return -1;
	ul = buf[20];
	if (ul > LIMITS_USER_MAX || len != LIMITS_MSG_HEAD + ul)
		return -1;
	/* An announcement names an address and no user. */
	if (buf[2] == LIMITS_MSG_ANNOUNCE && (buf[3] == 0 || ul != 0))
		return -1;
	memset(m, 0, sizeof(*m));
	m->type = (enum limits_msg_type)buf[2];
	m->addr.family = buf[3];
	memcpy(m->addr.bytes, buf + 4, 16);
	m->user_len = ul;
	memcpy(m->user, buf + LIMITS_MSG_HEAD, ul);
	m->user[ul] = '\0';
	return 0;
}

void limits_reply_encode(const struct limits_reply *r, uint8_t *buf)
{
	unsigned d = r->delay > LIMITS_DELAY_MAX ? LIMITS_DELAY_MAX : r->delay;

	buf[0] = 'R';
	buf[1] = 1;
	buf[2] = r->refuse ? 1 : 0;
	buf[3] = (uint8_t)(d >> 8);
	buf[4] = (uint8_t)(d & 0xff);
}

int limits_reply_parse(const uint8_t *buf, size_t len, struct limits_reply *r)
{
	unsigned d;

	if (len != LIMITS_REPLY_LEN || buf[0] != 'R' || buf[1] != 1 || buf[2] > 1)
		return -1;
	d = ((unsigned)buf[3] << 8) | buf[4];
	if (d > LIMITS_DELAY_MAX)
		return -1;
	r->refuse = buf[2] == 1;
	r->delay = d;
	return 0;
}
