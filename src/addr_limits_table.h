/*
 * addr_limits_table.h: a bounded table of failure counters, keyed by a
 * client address or a user name, for the per-address limits
 * (addr_limits.h).  Fixed size, allocated once: when it is full the
 * entry used least recently is forgotten, so a flood of new keys costs
 * memory of the cap, never more.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_ADDR_LIMITS_TABLE_H
#define PERDITION_ADDR_LIMITS_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Longest key kept; longer keys (user names) are cut to it. */
#define LIMITS_KEY_MAX 128

struct limits_entry {
	uint8_t key[LIMITS_KEY_MAX];
	size_t key_len;
	unsigned long count;  /* failures in the current window */
	time_t window_start;  /* when the first of them came */
	int next;             /* hash chain, -1 ends it */
	int lru_prev, lru_next; /* -1 ends the list */
	int used;             /* 0 = free slot */
};

struct limits_table {
	struct limits_entry *entries;
	int *buckets;
	size_t cap, n_buckets, used;
	int lru_head, lru_tail; /* head: most recent */
	unsigned long evicted;  /* how many entries were forgotten */
};

/* Allocate a table of cap entries (at least 1).  Exits when out of
 * memory (xalloc). */
void limits_table_init(struct limits_table *t, size_t cap);
void limits_table_free(struct limits_table *t);

/* The entry of key (cut to LIMITS_KEY_MAX), or NULL. */
struct limits_entry *limits_table_find(struct limits_table *t, const void *key,
				       size_t len);

/* The entry of key, created (count 0) when missing: evicts the least
 * recently used entry when the table is full.  Marks it used now. */
struct limits_entry *limits_table_get(struct limits_table *t, const void *key,
				      size_t len);

/* Count one failure at now in e: a window older than window seconds
 * starts again.  Returns the failures in the window, this one included. */
unsigned long limits_entry_fail(struct limits_entry *e, time_t now, unsigned window);

/* Failures of e in the window still open at now (0 after it passed). */
unsigned long limits_entry_count(const struct limits_entry *e, time_t now,
				 unsigned window);

#endif
