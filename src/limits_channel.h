/*
 * limits_channel.h: how children tell the daemon about their clients
 * for the per-address limits (addr_limits.h).  One AF_UNIX datagram
 * socketpair made before the first fork: children send on one end, the
 * daemon reads the other with SO_PASSCRED, so the kernel, not the
 * message, says which child spoke.  A child that needs an answer sends
 * one end of a fresh socketpair along (SCM_RIGHTS) and waits, bounded,
 * on the other; no answer in time means go on without a delay.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_LIMITS_CHANNEL_H
#define PERDITION_LIMITS_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "limits_msg.h"

/* ------------------------------------------------------- the daemon */

/* Make the pair: *daemon_fd (non-blocking, SO_PASSCRED) and *child_fd.
 * Returns 0 or -1 (errno set). */
int limits_channel_open(int *daemon_fd, int *child_fd);

/*
 * Read one message from daemon_fd: *pid the sender, *reply_fd the
 * descriptor to answer on or -1 (every other descriptor that came along
 * is closed).  Returns 1 for a message, 0 when none is waiting, -1 for a
 * datagram that was no well-formed message (dropped; *reply_fd -1).
 */
int limits_channel_recv(int daemon_fd, pid_t *pid, struct limits_msg *m, int *reply_fd);

/* Send r on reply_fd (never blocking) and close it. */
void limits_channel_reply(int reply_fd, const struct limits_reply *r);

/* -------------------------------------------------------- the child */

/* In a new child: fd is its end of the channel (-1: limits are off). */
void limits_child_attach(int fd);

/* The client's login as user (len bytes) failed: tell the daemon.
 * Returns the seconds the reply is to be delayed by (0 when the limits
 * are off); the caller sleeps them, within its own deadline. */
unsigned limits_child_login_failed(const char *user, size_t len);

/* The client logged in as user. */
void limits_child_login_ok(const char *user, size_t len);

/* A PROXY header named the client peer: true when the daemon refuses it
 * (too many connections or failed logins from there). */
bool limits_child_announce(const struct sockaddr_storage *peer);

#endif
