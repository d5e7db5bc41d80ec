/*
 * sandbox.h: what a session's process may still do: no_new_privs and a
 * seccomp allow-list (SPEC D-19).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_SANDBOX_H
#define PERDITION_SANDBOX_H

#include <stdbool.h>

struct sandbox_config {
	bool seccomp; /* false: no_seccomp, only no_new_privs */
};

/* Is the seccomp filter built in (libseccomp, not a sanitizer build)? */
bool sandbox_seccomp_available(void);

/* Once, in the parent: compile the filter each child loads (nothing to
 * do when cfg->seccomp is off or no filter is built in).  Returns 0, or
 * -1 after logging why. */
int sandbox_prepare(const struct sandbox_config *cfg);

/*
 * Enter the sandbox, for good: PR_SET_NO_NEW_PRIVS, then (cfg->seccomp
 * and available) the allow-list filter sandbox_prepare() compiled.  A system call not on the list
 * fails with EPERM; exec, ptrace, mount, the setuid family, module and
 * kexec calls, bpf and the like end the process.  Returns 0, or -1 after
 * logging why (the caller ends the session: it must not run unconfined).
 */
int sandbox_enter(const struct sandbox_config *cfg);

#endif
