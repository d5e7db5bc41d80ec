/*
 * options_desc.h: the option table of options.h as data, for the code
 * that walks it at run time, and the names of option values.
 *
 * Pure: nothing here allocates, logs or exits, so tools/gen_man_options
 * links options_desc.c as it is.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_OPTIONS_DESC_H
#define PERDITION_OPTIONS_DESC_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"

/* One row of OPTION_TABLE; offset is the field's in struct options. */
struct option_desc {
	const char *name;
	int letter;
	int scope;
	enum option_kind kind;
	const char *arg;
	const char *help;
	size_t offset;
};

/* The table, indexed by enum option_index. */
extern const struct option_desc option_descs[OPTION_COUNT];

/* The field of option idx in o (of the type OPT_TYPE_<kind>). */
void *option_field(struct options *o, int idx);
const void *option_cfield(const struct options *o, int idx);

/* Index of the option with this long name, or of this short letter;
 * -1 when there is none. */
int option_by_name(const char *name);
int option_by_letter(int c);

/* Protocols: valid ids, and the id of a name (any case) or -1. */
bool protocol_valid(int id);
int protocol_by_name(const char *name);

/* log_passwd: the name of a value (of its two low bits), and the value of
 * a name (any case) or -1. */
const char *log_passwd_name(unsigned v);
int log_passwd_by_name(const char *name);

/* Room for the longest text of a STATE value, with its NUL. */
#define OPTION_STATE_TEXT_MAX 64

/* A STATE mask as it is written: "all", or the long names of its states
 * joined by ",", or "" for none.  Returns buf. */
const char *option_state_text(unsigned st, char *buf, size_t len);

/* vsnprintf() into err when errlen > 0: the option code's error messages. */
void option_set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
