/*
 * addr_limits.h: the daemon's per-address limits and its memory of
 * failed logins across connections (issue 15 point 2): at most
 * connection_limit_per_address sessions from one address; after
 * login_failures_delay failures in login_failures_window seconds from an
 * address or for a user name, a growing delay before each further failed
 * reply; after login_failures_refuse failures from an address, its new
 * connections are refused until the window passes.  A user name is only
 * ever delayed, never refused: a refusal would let anyone lock a chosen
 * user out.  Each decision is logged in a line etc/fail2ban matches.
 *
 * Pure bookkeeping: the daemon feeds it accepts, children's exits and
 * the children's messages (limits_msg.h) and does what it answers.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_ADDR_LIMITS_H
#define PERDITION_ADDR_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "addr_limits_table.h"
#include "limits_msg.h"

/* Addresses and user names remembered, each. */
#define ADDR_LIMITS_CAP 4096
/* Longest delay of a failed reply (seconds). */
#define ADDR_LIMITS_DELAY_CAP 30

struct addr_limits_config {
	unsigned long per_address;     /* 0 = no cap */
	unsigned long failures_delay;  /* 0 = no delay */
	unsigned long failures_refuse; /* 0 = no refusal */
	unsigned long window;          /* seconds */
};

struct addr_limits_child {
	pid_t pid;
	struct limits_addr addr;
	bool counted;  /* its address is final (else a PROXY header will say) */
};

struct addr_limits {
	struct addr_limits_config cfg;
	struct limits_table addrs, users;
	struct addr_limits_child *children;
	size_t n_children, cap_children;
};

/* Is any of the limits on? */
bool addr_limits_wanted(const struct addr_limits_config *c);

/* Start with cfg; cap entries per table (ADDR_LIMITS_CAP in the daemon). */
void addr_limits_init(struct addr_limits *l, const struct addr_limits_config *c, size_t cap);
void addr_limits_free(struct addr_limits *l);

/* New settings (a reload): the memory stays. */
void addr_limits_configure(struct addr_limits *l, const struct addr_limits_config *c);

/* May a new connection from a go on at now?  When not, the refusal is
 * logged ("Limit: refusing connection from ADDR: why"). */
bool addr_limits_admit(struct addr_limits *l, const struct limits_addr *a, time_t now);

/* A child was forked for a connection from a; counted says whether a is
 * final (false: the child will announce its client's address). */
void addr_limits_child_add(struct addr_limits *l, pid_t pid, const struct limits_addr *a,
			   bool counted);

/* A child ended. */
void addr_limits_child_gone(struct addr_limits *l, pid_t pid);

/* Live connections counted from a. */
unsigned long addr_limits_count(const struct addr_limits *l, const struct limits_addr *a);

/*
 * Child pid sent m at now.  Returns true when it waits for the answer
 * put in r.  A failed login is counted for the address the daemon knows
 * for pid (never one the message names) and for its user name.  Messages
 * from unknown pids, and announcements from a child that had none to
 * make, are ignored.
 */
bool addr_limits_message(struct addr_limits *l, pid_t pid, const struct limits_msg *m,
			 time_t now, struct limits_reply *r);

#endif
