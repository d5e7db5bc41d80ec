/*
 * child_list.c: the daemon's live children, by pid (child_list.h).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "child_list.h"
#include "xalloc.h"

void child_list_add(struct child_list *l, pid_t pid)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		pid_t *p = xcalloc(cap, sizeof(*p));

		if (l->n > 0)
			memcpy(p, l->pids, l->n * sizeof(*p));
		free(l->pids);
		l->pids = p;
		l->cap = cap;
	}
	l->pids[l->n++] = pid;
}

void child_list_remove(struct child_list *l, pid_t pid)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->pids[i] == pid) {
			l->pids[i] = l->pids[--l->n];
			return;
		}
	}
}

size_t child_list_signal(const struct child_list *l, int sig)
{
	for (size_t i = 0; i < l->n; i++)
		kill(l->pids[i], sig);
	return l->n;
}

void child_list_free(struct child_list *l)
{
	free(l->pids);
	memset(l, 0, sizeof(*l));
}
