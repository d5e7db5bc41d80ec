/*
 * monitor_msg.c: encoding and bounded decoding of the monitor's
 * messages.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <netinet/in.h>
#include <string.h>

#include "monitor_msg.h"

/* Bytes before a PAM message's strings. */
#define PAM_HEAD 6

size_t monitor_msg_log(unsigned char *buf, int prio, const char *text, size_t len)
{
	if (len > MONITOR_LOG_TEXT_MAX)
		len = MONITOR_LOG_TEXT_MAX;
	buf[0] = MONITOR_MSG_LOG;
	buf[1] = (unsigned char)(prio & 7);
	memcpy(buf + 2, text, len);
	return 2 + len;
}

static size_t addr_len(const struct sockaddr_storage *peer)
{
	if (peer == NULL)
		return 0;
	if (peer->ss_family == AF_INET)
		return sizeof(struct sockaddr_in);
	if (peer->ss_family == AF_INET6)
		return sizeof(struct sockaddr_in6);
	return 0;
}

size_t monitor_msg_pam(unsigned char *buf, const char *user, size_t user_len,
		       const char *passwd, size_t passwd_len,
		       const struct sockaddr_storage *peer)
{
	size_t alen = addr_len(peer);

	if (user_len > MAX_CRED_LENGTH || passwd_len > MAX_CRED_LENGTH ||
	    memchr(user, '\0', user_len) != NULL || memchr(passwd, '\0', passwd_len) != NULL)
		return 0;
	buf[0] = MONITOR_MSG_PAM;
	buf[1] = (unsigned char)(user_len >> 8);
	buf[2] = (unsigned char)user_len;
	buf[3] = (unsigned char)(passwd_len >> 8);
	buf[4] = (unsigned char)passwd_len;
	buf[5] = (unsigned char)alen;
	memcpy(buf + PAM_HEAD, user, user_len);
	memcpy(buf + PAM_HEAD + user_len, passwd, passwd_len);
	if (alen > 0)
		memcpy(buf + PAM_HEAD + user_len + passwd_len, peer, alen);
	return PAM_HEAD + user_len + passwd_len + alen;
}

size_t monitor_msg_reopen(unsigned char *buf)
{
	buf[0] = MONITOR_MSG_REOPEN;
	return 1;
}

static int parse_log(const unsigned char *buf, size_t len, struct monitor_msg *m)
{
	size_t i;

	if (len < 2 || buf[1] > 7 || len - 2 > MONITOR_LOG_TEXT_MAX)
		return -1;
	m->prio = buf[1];
	m->text_len = len - 2;
	/* A sender must not start a line of its own in the file. */
	for (i = 0; i < m->text_len; i++) {
		unsigned char c = buf[2 + i];

		m->text[i] = (char)(c < 0x20 && c != '\t' ? '?' : c);
	}
	m->text[m->text_len] = '\0';
	return 0;
}

static int parse_pam(const unsigned char *buf, size_t len, struct monitor_msg *m)
{
	size_t ulen, plen, alen;
	const unsigned char *p = buf + PAM_HEAD;

	if (len < PAM_HEAD)
		return -1;
	ulen = (size_t)buf[1] << 8 | buf[2];
	plen = (size_t)buf[3] << 8 | buf[4];
	alen = buf[5];
	if (ulen > MAX_CRED_LENGTH || plen > MAX_CRED_LENGTH ||
	    len - PAM_HEAD != ulen + plen + alen)
		return -1;
	/* Never more than the address's own size (found by monitor_msg's
	 * fuzz target: alen goes to 255). */
	if (alen != 0 && alen != sizeof(struct sockaddr_in) && alen != sizeof(struct sockaddr_in6))
		return -1;
	if (memchr(p, '\0', ulen) != NULL || memchr(p + ulen, '\0', plen) != NULL)
		return -1;
	memcpy(m->user, p, ulen);
	m->user[ulen] = '\0';
	memcpy(m->passwd, p + ulen, plen);
	m->passwd[plen] = '\0';
	memset(&m->peer, 0, sizeof(m->peer));
	m->have_peer = alen > 0;
	if (alen == 0)
		return 0;
	memcpy(&m->peer, p + ulen + plen, alen);
	if (alen != addr_len(&m->peer)) {
		monitor_msg_clear(m);
		return -1;
	}
	return 0;
}

int monitor_msg_parse(const unsigned char *buf, size_t len, struct monitor_msg *m)
{
	if (len == 0 || len > MONITOR_MSG_MAX)
		return -1;
	m->type = (enum monitor_msg_type)buf[0];
	switch (buf[0]) {
	case MONITOR_MSG_LOG:
		return parse_log(buf, len, m);
	case MONITOR_MSG_PAM:
		return parse_pam(buf, len, m);
	case MONITOR_MSG_REOPEN:
		return len == 1 ? 0 : -1;
	default:
		return -1;
	}
}

void monitor_msg_clear(struct monitor_msg *m)
{
	explicit_bzero(m->passwd, sizeof(m->passwd));
}
