/*
 * privileges.c: user and group lookup, dropping root, and the signal
 * dispositions of a child.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "defs.h"
#include "log.h"
#include "privileges.h"
#include "str.h"

/* Every signal whose disposition the daemon's parent changes. */
static const int parent_signals[] = {
	SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2, SIGPIPE,
};

/* Take a name's id (found: *id_r holds it), else the name read as a
 * number. */
static int id_or_number(const char *what, const char *name, bool found, unsigned long *id_r)
{
	if (found)
		return 0;
	if (*name != '\0' && str_to_ulong(name, 0xfffffffeUL, id_r) == 0)
		return 0;
	log_err("Fatal error: could not find %s \"%s\"", what, name);
	return -1;
}

int privileges_lookup(const char *user, const char *group, uid_t *uid_r, gid_t *gid_r)
{
	const struct passwd *pw;
	const struct group *gr;
	unsigned long id = 0;

	if (user == NULL)
		user = "";
	if (group == NULL)
		group = "";
	pw = getpwnam(user);
	if (pw != NULL)
		id = pw->pw_uid;
	if (id_or_number("user", user, pw != NULL, &id) < 0)
		return -1;
	*uid_r = (uid_t)id;
	gr = getgrnam(group);
	if (gr != NULL)
		id = gr->gr_gid;
	if (id_or_number("group", group, gr != NULL, &id) < 0)
		return -1;
	*gid_r = (gid_t)id;
	return 0;
}

void privileges_drop(const char *user, const char *group)
{
	uid_t uid;
	gid_t gid;

	if (geteuid() != 0)
		return;
	if (privileges_lookup(user, group, &uid, &gid) < 0)
		exit(EXIT_FATAL);
	privileges_drop_ids(uid, gid);
}

void privileges_drop_ids(uid_t uid, gid_t gid)
{
	if (geteuid() != 0)
		return;
	if (setgroups(1, &gid) < 0) {
		log_err("Fatal error: setgroups(%lu): %s", (unsigned long)gid,
			strerror(errno));
		exit(EXIT_FATAL);
	}
	if (setresgid(gid, gid, gid) < 0) {
		log_err("Fatal error: setresgid(%lu): %s", (unsigned long)gid,
			strerror(errno));
		exit(EXIT_FATAL);
	}
	if (setresuid(uid, uid, uid) < 0) {
		log_err("Fatal error: setresuid(%lu): %s", (unsigned long)uid,
			strerror(errno));
		exit(EXIT_FATAL);
	}
	/* Belt and braces: root must be gone for good. */
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		log_err("Fatal error: could still regain root after dropping "
			"privileges");
		exit(EXIT_FATAL);
	}
	log_debug("running as uid %lu gid %lu", (unsigned long)uid,
		  (unsigned long)gid);
}

int privileges_chroot(const char *dir)
{
	char e[256];

	if (dir == NULL || *dir == '\0')
		return 0;
	/* Resolved once here: the time zone is read from /etc. */
	tzset();
	if (chroot(dir) < 0 || chdir("/") < 0) {
		log_err("Fatal error: chroot \"%s\": %s", log_escape_str(e, sizeof(e), dir),
			strerror(errno));
		return -1;
	}
	log_debug("chroot to %s", log_escape_str(e, sizeof(e), dir));
	return 0;
}

/*
 * A child keeps the parent's handler for the signals whose default is to
 * end the process: that handler passes them on to that default, and
 * not resetting them saves 15 system calls per connection.  Those whose
 * default is to do nothing (SIGURG, SIGWINCH; SIGCHLD below) are reset,
 * so that they never interrupt a session's system calls.
 */
void signals_child(void)
{
	sigset_t none;
	size_t i;

	signal(SIGURG, SIG_DFL);
	signal(SIGWINCH, SIG_DFL);
	/* A reload (SIGHUP to every perdition process, e.g. by killall)
	 * must not cut open sessions; a peer gone mid-write is EPIPE, a
	 * write error, so the session still ends with its Close line. */
	for (i = 0; i < sizeof(parent_signals) / sizeof(parent_signals[0]); i++)
		signal(parent_signals[i],
		       parent_signals[i] == SIGHUP || parent_signals[i] == SIGPIPE
		       ? SIG_IGN : SIG_DFL);
	/* Signals that arrived since fork() are delivered now, with their
	 * default action. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}
