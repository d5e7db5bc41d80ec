/*
 * options_compat.c: perdition 2.2's option-log masks, taken from the
 * MASK22 column of the option table, and the greeting checksum that sums
 * the option log as 2.2 does.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "options_compat.h"

#define OPTION_MASK22(kind, name, letter, scope, mask22, ...) mask22,
static const struct mask22_bit masks22[OPTION_COUNT] = {
	OPTION_TABLE(OPTION_MASK22)
};
#undef OPTION_MASK22

void options_masks22(const struct options *o, unsigned m[3])
{
	m[0] = m[1] = m[2] = 0;
	for (int i = 0; i < OPTION_COUNT; i++) {
		if (!o->given[i])
			continue;
		switch (masks22[i].word) {
		case MASK22_WORD_NONE:
			break;
		case MASK22_WORD_1:
			m[0] |= masks22[i].bit;
			break;
		case MASK22_WORD_2:
			m[1] |= masks22[i].bit;
			break;
		case MASK22_WORD_SSL:
			m[2] |= masks22[i].bit;
			break;
		}
	}
}

unsigned options_checksum(const struct options *o)
{
	uint32_t sum = 0;
	const char *s;

	for (int n = 0; (s = options_log_string(o, n)) != NULL; n++) {
		size_t len = strlen(s);

		/* Every byte but the last, as 2.2 sums them. */
		for (size_t i = 0; i + 1 < len; i++)
			sum += (unsigned char)s[i];
	}
	return sum;
}
