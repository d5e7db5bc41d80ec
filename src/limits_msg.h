/*
 * limits_msg.h: the small fixed-format messages a child sends the
 * daemon about its client (a failed or good login, the address a PROXY
 * header announced) and the daemon's answer.  Pure encode and bounded
 * parse (fuzzed: tests/fuzz/limits_msg_fuzzer.c); limits_channel.h
 * carries them.
 *
 * Wire format of a message, LIMITS_MSG_HEAD bytes then the user name:
 *   'L' 1 TYPE FAMILY(0|4|6) ADDR[16] USERLEN USER[USERLEN]
 * and of an answer, LIMITS_REPLY_LEN bytes:
 *   'R' 1 VERDICT(0 go on, 1 refuse) DELAY-SECONDS(big endian, 2 bytes)
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_LIMITS_MSG_H
#define PERDITION_LIMITS_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define LIMITS_MSG_HEAD 21
#define LIMITS_USER_MAX 128
#define LIMITS_MSG_MAX (LIMITS_MSG_HEAD + LIMITS_USER_MAX)
#define LIMITS_REPLY_LEN 5
/* Longest delay an answer can carry (seconds). */
#define LIMITS_DELAY_MAX 3600

enum limits_msg_type {
	LIMITS_MSG_LOGIN_FAILED = 1, /* answer: the delay before the reply */
	LIMITS_MSG_LOGIN_OK = 2,     /* no answer */
	LIMITS_MSG_ANNOUNCE = 3,     /* answer: go on or refuse */
};

/* An address as the limits see it: no port; IPv4-mapped IPv6 is IPv4. */
struct limits_addr {
	uint8_t family; /* 0 unknown, 4, 6 */
	uint8_t bytes[16];
};

struct limits_msg {
	enum limits_msg_type type;
	struct limits_addr addr;
	size_t user_len;
	char user[LIMITS_USER_MAX + 1]; /* NUL-terminated; may hold NULs */
};

struct limits_reply {
	bool refuse;
	unsigned delay; /* seconds */
};

/* The limits address of sa (family 0 for anything but IPv4/IPv6). */
void limits_addr_from(struct limits_addr *a, const struct sockaddr_storage *sa);

/* Text of a, numeric ("unknown" for family 0). */
const char *limits_addr_str(const struct limits_addr *a, char *buf, size_t len);

/* Encode m into buf (LIMITS_MSG_MAX bytes); a longer user name is cut.
 * Returns the length. */
size_t limits_msg_encode(const struct limits_msg *m, uint8_t *buf);

/* Parse len bytes.  Returns 0, or -1 for anything not exactly one
 * well-formed message (m is then undefined). */
int limits_msg_parse(const uint8_t *buf, size_t len, struct limits_msg *m);

/* Encode r into buf (LIMITS_REPLY_LEN bytes); the delay is capped. */
void limits_reply_encode(const struct limits_reply *r, uint8_t *buf);

/* Parse an answer; 0 or -1. */
int limits_reply_parse(const uint8_t *buf, size_t len, struct limits_reply *r);

#endif
