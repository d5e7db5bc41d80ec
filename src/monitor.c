/*
 * monitor.c: the privileged helper.  One SOCK_SEQPACKET socketpair
 * joins it to the daemon and, through fork, to every session: each
 * message is one record, so concurrent senders never mix.  The kernel
 * tells it who sent what (SO_PASSCRED), so a child cannot claim another
 * pid in the log.  A PAM question carries one end of a socketpair of
 * its own (SCM_RIGHTS) for the answer, so replies never cross either;
 * a short-lived worker runs each PAM conversation, which may take
 * seconds, while the monitor goes on writing log lines.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "defs.h"
#include "log.h"
#include "monitor.h"
#include "monitor_msg.h"
#include "pam_auth.h"
#include "proctitle.h"

/* Most PAM conversations at once; more are answered no at once. */
#define MONITOR_MAX_WORKERS 64
/* Most descriptors taken from one message (all but one are closed). */
#define MONITOR_MAX_FDS 4

/* This process's end (daemon and sessions), or -1. */
static int client_fd = -1;
static pid_t running_pid;

/* The monitor's own state. */
static volatile sig_atomic_t got_hup, got_chld;
static unsigned workers;

bool monitor_wanted(bool authenticate_in, uid_t run_uid)
{
	return authenticate_in || (geteuid() == 0 && run_uid != 0 && log_fd() >= 0);
}

pid_t monitor_pid(void)
{
	return running_pid;
}

/* ------------------------------------------------- the sending side */

static void send_record(const void *buf, size_t len)
{
	while (send(client_fd, buf, len, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

static void forward_write(int prio, const char *msg, size_t len)
{
	/* Static: 16 KiB a child touches only when it logs. */
	static unsigned char buf[MONITOR_MSG_MAX];

	send_record(buf, monitor_msg_log(buf, prio, msg, len));
}

static void forward_reopen(void)
{
	unsigned char buf[1];

	send_record(buf, monitor_msg_reopen(buf));
}

/* Send msg with fd attached. */
static int send_with_fd(const unsigned char *msg, size_t len, int fd)
{
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { (void *)msg, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl.space, .msg_controllen = sizeof(ctl.space) };
	struct cmsghdr *c;
	ssize_t r;

	memset(&ctl, 0, sizeof(ctl));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	do
		r = sendmsg(client_fd, &mh, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	return r == (ssize_t)len ? 0 : -1;
}

/* Wait (bounded) for the one-byte answer on fd. */
static int read_answer(int fd, unsigned timeout)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int ms = timeout == 0 ? -1 : timeout > 2000000 ? 2000000000 : (int)timeout * 1000;
	char c = 0;
	int r;

	do
		r = poll(&p, 1, ms);
	while (r < 0 && errno == EINTR);
	if (r <= 0) {
		log_err("No answer from the monitor to a PAM question");
		return -1;
	}
	if (read(fd, &c, 1) != 1)
		return -1;
	return c == '1' ? 0 : -1;
}

int monitor_pam_check(const char *user, const char *passwd,
		      const struct sockaddr_storage *peer, unsigned timeout)
{
	static unsigned char buf[MONITOR_MSG_MAX];
	size_t len;
	int sv[2], r;

	if (client_fd < 0)
		return pam_auth_check(user, passwd, peer);
	len = monitor_msg_pam(buf, user, strlen(user), passwd, strlen(passwd), peer);
	if (len == 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		log_err("socketpair: %s", strerror(errno));
		explicit_bzero(buf, len);
		return -1;
	}
	r = send_with_fd(buf, len, sv[1]);
	explicit_bzero(buf, len);
	close(sv[1]);
	if (r == 0)
		r = read_answer(sv[0], timeout);
	else
		log_err("Could not reach the monitor: %s", strerror(errno));
	close(sv[0]);
	return r;
}

/* ---------------------------------------------------------- starting */

pid_t monitor_start(bool hold_log)
{
	static const struct log_forwarder fwd = { forward_write, forward_reopen };
	int sv[2], one = 1;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		log_err("Fatal error: socketpair for the monitor: %s", strerror(errno));
		return -1;
	}
	/* Before anyone sends: every record then carries its sender. */
	if (setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		log_err("Fatal error: SO_PASSCRED: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		log_err("Fatal error: fork of the monitor: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		client_fd = sv[1]; /* the monitor's own end, for serve() */
		return 0;
	}
	close(sv[1]);
	client_fd = sv[0];
	running_pid = pid;
	if (hold_log)
		log_forward(&fwd);
	return pid;
}

/* ------------------------------------------------------- the monitor */

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_chld = 1;
}

static void reap_workers(void)
{
	got_chld = 0;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		if (workers > 0)
			workers--;
}

/* Answer a PAM question (the asker sees no answer as a no). */
static void answer(int reply_fd, bool yes)
{
	if (send(reply_fd, yes ? "1" : "0", 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1)
		log_debug("could not answer a PAM question: %s", strerror(errno));
}

/* Run one PAM conversation in a worker; the answer goes to reply_fd. */
static void pam_worker(struct monitor_msg *m, int fd, int reply_fd)
{
	pid_t pid;

	if (workers >= MONITOR_MAX_WORKERS) {
		log_err("Too many PAM conversations at once: refusing one");
		answer(reply_fd, false);
		return;
	}
	pid = fork();
	if (pid < 0) {
		log_err("fork of a PAM worker: %s", strerror(errno));
		answer(reply_fd, false);
		return;
	}
	if (pid == 0) {
		int r;

		close(fd);
		signal(SIGCHLD, SIG_DFL);
		r = pam_auth_check(m->user, m->passwd, m->have_peer ? &m->peer : NULL);
		monitor_msg_clear(m);
		answer(reply_fd, r == 0);
		_exit(0);
	}
	workers++;
}

static void handle(int fd, struct monitor_msg *m, pid_t sender, int passed_fd)
{
	switch (m->type) {
	case MONITOR_MSG_LOG:
		log_write_as((long)sender, m->prio, m->text, m->text_len);
		break;
	case MONITOR_MSG_REOPEN:
		/* Only the daemon asks (for the SIGHUP it was sent). */
		if (sender == getppid())
			log_reopen();
		break;
	case MONITOR_MSG_PAM:
		if (passed_fd >= 0)
			pam_worker(m, fd, passed_fd);
		monitor_msg_clear(m);
		break;
	}
}

/* Take the sender's pid and the first passed descriptor from mh;
 * every other descriptor is closed. */
static pid_t take_control(struct msghdr *mh, int *fd_r)
{
	struct cmsghdr *c;
	pid_t pid = 0;

	*fd_r = -1;
	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred cr;

			memcpy(&cr, CMSG_DATA(c), sizeof(cr));
			pid = cr.pid;
		} else if (c->cmsg_type == SCM_RIGHTS) {
			size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int), i;

			for (i = 0; i < n; i++) {
				int fd;

				memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				if (*fd_r < 0)
					*fd_r = fd;
				else
					close(fd);
			}
		}
	}
	return pid;
}

/* Receive and act on one message.  Returns 0, or -1 when every sender
 * has gone. */
static int receive_one(int fd, bool hup)
{
	static unsigned char buf[MONITOR_MSG_MAX];
	static struct monitor_msg m;
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(struct ucred)) +
			   CMSG_SPACE(MONITOR_MAX_FDS * sizeof(int))];
	} ctl;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl.space, .msg_controllen = sizeof(ctl.space) };
	ssize_t n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	int passed;
	pid_t sender;

	/* An empty record reads as 0 too: the end only with POLLHUP. */
	if (n == 0)
		return hup ? -1 : 0;
	if (n < 0)
		return 0;
	sender = take_control(&mh, &passed);
	if (sender > 0 && !(mh.msg_flags & MSG_TRUNC) &&
	    monitor_msg_parse(buf, (size_t)n, &m) == 0)
		handle(fd, &m, sender, passed);
	explicit_bzero(buf, (size_t)n);
	if (passed >= 0)
		close(passed);
	return 0;
}

static void monitor_signals(sigset_t *wait_r)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	/* It ends when the last session has gone, so that sessions still
	 * running when the daemon is stopped keep their log. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, wait_r);
	sigdelset(wait_r, SIGHUP);
	sigdelset(wait_r, SIGCHLD);
}

void monitor_serve(const char *name)
{
	int fd = client_fd, null = open("/dev/null", O_RDWR);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	sigset_t wait_mask;

	client_fd = -1;
	/* In inetd mode 0 and 1 are the client: it must see the end of
	 * its session, not wait for us. */
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		if (null > STDERR_FILENO)
			close(null);
	}
	proctitle_set("%s: monitor", name != NULL ? name : "perdition");
	monitor_signals(&wait_mask);
	for (;;) {
		if (got_hup) {
			got_hup = 0;
			log_reopen();
		}
		if (got_chld)
			reap_workers();
		if (ppoll(&p, 1, NULL, &wait_mask) < 0)
			continue;
		if ((p.revents & (POLLIN | POLLHUP | POLLERR)) &&
		    receive_one(fd, (p.revents & POLLHUP) != 0) < 0)
			_exit(EXIT_OK);
	}
}
