/*
 * options_desc.c: the option table of options.h as data, and the names of
 * option values shared by parsing and rendering.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "options_desc.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

#define OPTION_DESC(kind, name, letter, scope, mask22, arg, def, help) \
	{ #name, letter, scope, OPT_KIND_##kind, arg, help, \
	  offsetof(struct options, name) },
const struct option_desc option_descs[OPTION_COUNT] = {
	OPTION_TABLE(OPTION_DESC)
};
#undef OPTION_DESC

/* In the order of enum protocol_id. */
static const char *const protocol_names[] = {
	"POP3", "POP3S", "IMAP4", "IMAP4S", "MANAGESIEVE",
};

static const char *const log_passwd_names[] = {
	[LOG_PASSWD_NEVER] = "never",
	[LOG_PASSWD_FAIL] = "fail",
	[LOG_PASSWD_OK] = "ok",
	[LOG_PASSWD_ALWAYS] = "always",
};

void *option_field(struct options *o, int idx)
{
	return (char *)o + option_descs[idx].offset;
}

const void *option_cfield(const struct options *o, int idx)
{
	return (const char *)o + option_descs[idx].offset;
}

int option_by_name(const char *name)
{
	for (int i = 0; i < OPTION_COUNT; i++)
		if (strcmp(option_descs[i].name, name) == 0)
			return i;
	return -1;
}

int option_by_letter(int c)
{
	for (int i = 0; i < OPTION_COUNT; i++)
		if (c != 0 && option_descs[i].letter == c)
			return i;
	return -1;
}

bool protocol_valid(int id)
{
	return id >= 0 && (size_t)id < N_ELEMS(protocol_names);
}

const char *protocol_name(int id)
{
	return protocol_valid(id) ? protocol_names[id] : "unknown";
}

int protocol_by_name(const char *name)
{
	for (size_t i = 0; i < N_ELEMS(protocol_names); i++)
		if (strcasecmp(name, protocol_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *log_passwd_name(unsigned v)
{
	return log_passwd_names[v & LOG_PASSWD_ALWAYS];
}

int log_passwd_by_name(const char *name)
{
	for (size_t i = 0; i < N_ELEMS(log_passwd_names); i++)
		if (strcasecmp(name, log_passwd_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *option_state_text(unsigned st, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ STATE_SERVERNAME_LOOKUP, "servername_lookup" },
		{ STATE_LOCAL_AUTH, "local_authentication" },
		{ STATE_REMOTE_LOGIN, "remote_login" },
	};
	size_t n = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if ((st & STATE_ALL) == STATE_ALL) {
		snprintf(buf, len, "all");
		return buf;
	}
	for (size_t i = 0; i < N_ELEMS(names) && n < len; i++) {
		if (st & names[i].bit) {
			int r = snprintf(buf + n, len - n, "%s%s",
					 n > 0 ? "," : "", names[i].name);

			if (r < 0)
				break;
			n += (size_t)r;
		}
	}
	return buf;
}

void option_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}
