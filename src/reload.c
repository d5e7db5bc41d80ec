/*
 * reload.c: SIGHUP re-reads the configuration file (reload.h).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "log.h"
#include "options.h"
#include "options_desc.h"
#include "reload.h"

static int saved_argc;
static char **saved_argv;

/*
 * What was built once at start from these: listeners, the process and its
 * privileges, the log, the sandbox, TLS contexts (every ssl_ option), the
 * map library and the routing to default servers (which keep pointers to
 * the strings).  A change needs a restart.
 */
static const char *const restart_only[] = {
	"bind_address", "listen_port", "protocol", "username", "group",
	"pid_file", "no_daemon", "inetd_mode", "log_facility", "config_file",
	"authenticate_in", "debug", "quiet", "map_library", "map_library_opt",
	"outgoing_server", "outgoing_port", "query_key", "domain_delimiter",
	"client_server_specification", "no_lookup", "chroot", "no_seccomp",
};

/* Without the limits' channel and table from start, these need one too. */
static const char *const limits_options[] = {
	"connection_limit_per_address", "login_failures_delay",
	"login_failures_refuse", "login_failures_window",
};

void reload_init(int argc, char **argv)
{
	saved_argc = argc;
	saved_argv = argv;
}

static bool listed(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

static bool needs_restart(const char *name, bool limits_running)
{
	return strncmp(name, "ssl_", 4) == 0 ||
	       listed(name, restart_only, sizeof(restart_only) / sizeof(restart_only[0])) ||
	       (!limits_running &&
		listed(name, limits_options, sizeof(limits_options) / sizeof(limits_options[0])));
}

static bool is_string(enum option_kind k)
{
	return k == OPT_KIND_STR || k == OPT_KIND_PROTOVER;
}

static size_t field_size(enum option_kind k)
{
	switch (k) {
	case OPT_KIND_FLAG:
		return sizeof(bool);
	case OPT_KIND_UINT:
	case OPT_KIND_FD:
		return sizeof(unsigned long);
	case OPT_KIND_INT:
	case OPT_KIND_PROTO:
		return sizeof(int);
	default:
		return sizeof(unsigned);
	}
}

static bool same_value(const struct options *a, const struct options *b, int i)
{
	const void *fa = option_cfield(a, i), *fb = option_cfield(b, i);

	if (is_string(option_descs[i].kind)) {
		const char *sa = *(char *const *)fa, *sb = *(char *const *)fb;

		return sa == sb || (sa != NULL && sb != NULL && strcmp(sa, sb) == 0);
	}
	return memcmp(fa, fb, field_size(option_descs[i].kind)) == 0;
}

/* Give option i of n the old value (swapping strings, so each struct
 * still owns its own). */
static void keep_old(struct options *n, int i)
{
	void *fo = option_field(&options, i), *fn = option_field(n, i);
	unsigned char tmp[sizeof(unsigned long) > sizeof(char *) ? sizeof(unsigned long)
								 : sizeof(char *)];
	size_t sz = is_string(option_descs[i].kind) ? sizeof(char *)
						    : field_size(option_descs[i].kind);

	memcpy(tmp, fn, sz);
	memcpy(fn, fo, sz);
	memcpy(fo, tmp, sz);
}

/* Compare, keep restart-only values; returns how many changes apply. */
static unsigned merge(struct options *n, bool limits_running)
{
	unsigned applied = 0;

	for (int i = 0; i < OPTION_COUNT; i++) {
		if (same_value(&options, n, i)) {
			/* Keep the very string: modules set up at start
			 * (routing, the map) hold pointers to it. */
			if (is_string(option_descs[i].kind))
				keep_old(n, i);
			continue;
		}
		if (needs_restart(option_descs[i].name, limits_running)) {
			log_warning("Reload: option %s changed: it needs a restart, "
				    "keeping the old value", option_descs[i].name);
			keep_old(n, i);
			continue;
		}
		log_info("Reload: option %s changed", option_descs[i].name);
		applied++;
	}
	return applied;
}

unsigned reload_options(bool limits_running)
{
	struct options n;
	char err[1024];
	unsigned applied;

	if (saved_argv == NULL)
		return 0;
	if (options_reread(&n, saved_argc, saved_argv, err, sizeof(err)) != 0) {
		log_err("Reload: configuration not changed: %s", err);
		options_free(&n);
		return 0;
	}
	applied = merge(&n, limits_running);
	options_free(&options);
	options = n;
	return applied;
}
