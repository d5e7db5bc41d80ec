/*
 * limits_channel.c: the datagram channel between children and the
 * daemon for the per-address limits (limits_channel.h).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "limits_channel.h"

/* How long a child waits for the daemon's answer (ms). */
#define ANSWER_WAIT_MS 2000

int limits_channel_open(int *daemon_fd, int *child_fd)
{
	int sv[2], one = 1;
	struct timeval tv = { 1, 0 };

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0)
		return -1;
	if (setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0 ||
	    fcntl(sv[0], F_SETFL, O_NONBLOCK) < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	fcntl(sv[0], F_SETFD, FD_CLOEXEC);
	fcntl(sv[1], F_SETFD, FD_CLOEXEC);
	/* A child never waits long for a busy daemon. */
	(void)setsockopt(sv[1], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	*daemon_fd = sv[0];
	*child_fd = sv[1];
	return 0;
}

/* Pick the sender's pid and the first passed descriptor out of the
 * control data; close any other descriptor. */
static void read_control(struct msghdr *mh, pid_t *pid, int *reply_fd)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred uc;

			memcpy(&uc, CMSG_DATA(c), sizeof(uc));
			*pid = uc.pid;
		} else if (c->cmsg_type == SCM_RIGHTS) {
			size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			for (size_t i = 0; i < n; i++) {
				int fd;

				memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
				if (*reply_fd < 0)
					*reply_fd = fd;
				else
					close(fd);
			}
		}
	}
}

int limits_channel_recv(int daemon_fd, pid_t *pid, struct limits_msg *m, int *reply_fd)
{
	uint8_t buf[LIMITS_MSG_MAX + 1];
	union {
		char space[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh;
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.space;
	mh.msg_controllen = sizeof(ctl.space);
	*pid = 0;
	*reply_fd = -1;
	do
		n = recvmsg(daemon_fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return 0;
	read_control(&mh, pid, reply_fd);
	if (*pid <= 0 || (mh.msg_flags & MSG_TRUNC) ||
	    limits_msg_parse(buf, (size_t)n, m) < 0) {
		if (*reply_fd >= 0)
			close(*reply_fd);
		*reply_fd = -1;
		return -1;
	}
	return 1;
}

void limits_channel_reply(int reply_fd, const struct limits_reply *r)
{
	uint8_t buf[LIMITS_REPLY_LEN];

	if (reply_fd < 0)
		return;
	limits_reply_encode(r, buf);
	(void)send(reply_fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_NOSIGNAL);
	close(reply_fd);
}

/* ------------------------------------------------------------ child */

static int channel_fd = -1;

void limits_child_attach(int fd)
{
	channel_fd = fd;
}

/* Send m with the end answer_fd along (or none: -1). */
static int send_msg(const struct limits_msg *m, int answer_fd)
{
	uint8_t buf[LIMITS_MSG_MAX];
	union {
		char space[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { buf, limits_msg_encode(m, buf) };
	struct msghdr mh;
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (answer_fd >= 0) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.space;
		mh.msg_controllen = sizeof(ctl.space);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &answer_fd, sizeof(int));
	}
	do
		n = sendmsg(channel_fd, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
}

/* Send m and wait (bounded) for the answer.  -1: none came. */
static int ask(const struct limits_msg *m, struct limits_reply *r)
{
	uint8_t buf[LIMITS_REPLY_LEN + 1];
	struct pollfd p;
	int sv[2], rc = -1;
	ssize_t n;

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	if (send_msg(m, sv[1]) < 0)
		goto out;
	close(sv[1]);
	sv[1] = -1;
	p.fd = sv[0];
	p.events = POLLIN;
	if (poll(&p, 1, ANSWER_WAIT_MS) <= 0)
		goto out;
	n = recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT);
	if (n > 0 && limits_reply_parse(buf, (size_t)n, r) == 0)
		rc = 0;
out:
	close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	return rc;
}

static void fill_user(struct limits_msg *m, const char *user, size_t len)
{
	m->user_len = len > LIMITS_USER_MAX ? LIMITS_USER_MAX : len;
	if (user != NULL)
		memcpy(m->user, user, m->user_len);
	else
		m->user_len = 0;
}

unsigned limits_child_login_failed(const char *user, size_t len)
{
	struct limits_msg m;
	struct limits_reply r;

	if (channel_fd < 0)
		return 0;
	memset(&m, 0, sizeof(m));
	m.type = LIMITS_MSG_LOGIN_FAILED;
	fill_user(&m, user, len);
	if (ask(&m, &r) != 0)
		return 0;
	return r.delay;
}

void limits_child_login_ok(const char *user, size_t len)
{
	struct limits_msg m;

	if (channel_fd < 0)
		return;
	memset(&m, 0, sizeof(m));
	m.type = LIMITS_MSG_LOGIN_OK;
	fill_user(&m, user, len);
	(void)send_msg(&m, -1);
}

bool limits_child_announce(const struct sockaddr_storage *peer)
{
	struct limits_msg m;
	struct limits_reply r;

	if (channel_fd < 0)
		return false;
	memset(&m, 0, sizeof(m));
	m.type = LIMITS_MSG_ANNOUNCE;
	limits_addr_from(&m.addr, peer);
	if (m.addr.family == 0)
		return false;
	return ask(&m, &r) == 0 && r.refuse;
}
