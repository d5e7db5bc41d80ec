/*
 * addr_limits_table.c: the bounded failure-counter table: a fixed pool
 * of entries, hash chains by index and a least-recently-used list, so
 * lookups are O(1) and a full table forgets its oldest entry.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "addr_limits_table.h"
#include "xalloc.h"

/* FNV-1a: keys are short and the table is bounded, so a simple hash is
 * enough; the seed keeps chains unpredictable from outside. */
static size_t hash_key(const struct limits_table *t, const uint8_t *k, size_t len)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)t->entries;

	for (size_t i = 0; i < len; i++) {
		h ^= k[i];
		h *= 1099511628211ULL;
	}
	return (size_t)(h % t->n_buckets);
}

void limits_table_init(struct limits_table *t, size_t cap)
{
	if (cap == 0)
		cap = 1;
	t->cap = cap;
	t->n_buckets = cap * 2 + 1;
	t->entries = xcalloc(cap, sizeof(*t->entries));
	t->buckets = xcalloc(t->n_buckets, sizeof(*t->buckets));
	for (size_t i = 0; i < t->n_buckets; i++)
		t->buckets[i] = -1;
	t->used = 0;
	t->lru_head = t->lru_tail = -1;
	t->evicted = 0;
}

void limits_table_free(struct limits_table *t)
{
	free(t->entries);
	free(t->buckets);
	memset(t, 0, sizeof(*t));
}

static void lru_unlink(struct limits_table *t, int i)
{
	struct limits_entry *e = &t->entries[i];

	if (e->lru_prev >= 0)
		t->entries[e->lru_prev].lru_next = e->lru_next;
	else
		t->lru_head = e->lru_next;
	if (e->lru_next >= 0)
		t->entries[e->lru_next].lru_prev = e->lru_prev;
	else
		t->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = -1;
}

static void lru_push_front(struct limits_table *t, int i)
{
	struct limits_entry *e = &t->entries[i];

	e->lru_prev = -1;
	e->lru_next = t->lru_head;
	if (t->lru_head >= 0)
		t->entries[t->lru_head].lru_prev = i;
	t->lru_head = i;
	if (t->lru_tail < 0)
		t->lru_tail = i;
}

static int find_index(struct limits_table *t, const uint8_t *k, size_t len)
{
	int i = t->buckets[hash_key(t, k, len)];

	while (i >= 0) {
		const struct limits_entry *e = &t->entries[i];

		if (e->key_len == len && memcmp(e->key, k, len) == 0)
			return i;
		i = e->next;
	}
	return -1;
}

struct limits_entry *limits_table_find(struct limits_table *t, const void *key, size_t len)
{
	int i;

	if (len > LIMITS_KEY_MAX)
		len = LIMITS_KEY_MAX;
	i = find_index(t, key, len);
	return i >= 0 ? &t->entries[i] : NULL;
}

/* Take entry i out of its hash chain. */
static void chain_unlink(struct limits_table *t, int i)
{
	struct limits_entry *e = &t->entries[i];
	int *p = &t->buckets[hash_key(t, e->key, e->key_len)];

	while (*p >= 0 && *p != i)
		p = &t->entries[*p].next;
	if (*p == i)
		*p = e->next;
}

/* A slot for a new entry: a free one, else the least recently used. */
static int take_slot(struct limits_table *t)
{
	int i;

	if (t->used < t->cap)
		return (int)t->used++;
	i = t->lru_tail;
	chain_unlink(t, i);
	lru_unlink(t, i);
	t->evicted++;
	return i;
}

struct limits_entry *limits_table_get(struct limits_table *t, const void *key, size_t len)
{
	struct limits_entry *e;
	size_t b;
	int i;

	if (len > LIMITS_KEY_MAX)
		len = LIMITS_KEY_MAX;
	i = find_index(t, key, len);
	if (i >= 0) {
		lru_unlink(t, i);
		lru_push_front(t, i);
		return &t->entries[i];
	}
	i = take_slot(t);
	e = &t->entries[i];
	memset(e, 0, sizeof(*e));
	memcpy(e->key, key, len);
	e->key_len = len;
	e->used = 1;
	b = hash_key(t, e->key, len);
	e->next = t->buckets[b];
	t->buckets[b] = i;
	lru_push_front(t, i);
	return e;
}

static int window_over(const struct limits_entry *e, time_t now, unsigned window)
{
	return e->count == 0 || now < e->window_start ||
	       (unsigned long)(now - e->window_start) >= window;
}

unsigned long limits_entry_fail(struct limits_entry *e, time_t now, unsigned window)
{
	if (window_over(e, now, window)) {
		e->count = 0;
		e->window_start = now;
	}
	if (e->count < (unsigned long)-1)
		e->count++;
	return e->count;
}

unsigned long limits_entry_count(const struct limits_entry *e, time_t now, unsigned window)
{
	return window_over(e, now, window) ? 0 : e->count;
}
