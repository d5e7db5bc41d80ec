/*
 * child_list.h: the pids of the daemon's live children, kept only when
 * something needs them (shutdown_grace ends them by pid: signalling the
 * process group could hit whatever started the daemon).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_CHILD_LIST_H
#define PERDITION_CHILD_LIST_H

#include <stddef.h>
#include <sys/types.h>

struct child_list {
	pid_t *pids;
	size_t n, cap;
};

void child_list_add(struct child_list *l, pid_t pid);
void child_list_remove(struct child_list *l, pid_t pid);

/* Send sig to every child listed; returns how many. */
size_t child_list_signal(const struct child_list *l, int sig);

void child_list_free(struct child_list *l);

#endif
