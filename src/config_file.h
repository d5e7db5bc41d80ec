/*
 * config_file.h: the config-file tokenizer of SPEC 2.3.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_CONFIG_FILE_H
#define PERDITION_CONFIG_FILE_H

#include <stddef.h>

/* One "key value" entry of a config file. */
struct config_entry {
	char *key;    /* as written, without dashes */
	char *value;  /* NULL when the line has no value */
	unsigned line;
};

/*
 * Tokenize text (len bytes, may contain NUL: an error) into a malloc'd
 * array of entries (*n_r of them).  Grammar: one "key [value]" per line,
 * # comments, \<newline> continuation (also inside comments), \x escapes,
 * '...' and "..." quoting; tokens up to MAX_CONFIG_TOKEN bytes.
 * Returns 0, or -1 with a message (naming the line) in err; even then
 * *entries_r holds the entries before the bad line (free them as usual).
 */
int config_tokenize(const char *text, size_t len, struct config_entry **entries_r,
		    size_t *n_r, char *err, size_t errlen);

void config_entries_free(struct config_entry *e, size_t n);

#endif
