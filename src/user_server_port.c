/*
 * user_server_port.c: the 2.2 helpers a map library may call to split a
 * "[user@]host[:port]" string (see user_server_port.h).  They wrap the
 * parser the daemon itself uses for map results, so a value means the
 * same whichever library returned it.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net.h"
#include "user_server_port.h"

/* The daemon's domain_delimiter, set once at start-up. */
static const char *delimiter;

void user_server_port_set_delimiter(const char *delim)
{
	delimiter = delim;
}

int user_server_port_str_assign(struct user_server_port **usp, const char *str)
{
	struct server_spec sp;
	char esc[256];

	if (usp == NULL || str == NULL)
		return -1;
	if (server_spec_parse(str, delimiter, &sp) != 0) {
		log_err("Invalid server from map library: \"%s\"",
			log_escape_str(esc, sizeof(esc), str));
		return -1;
	}
	if (*usp == NULL) {
		*usp = calloc(1, sizeof(**usp));
		if (*usp == NULL) {
			server_spec_free(&sp);
			log_err("user_server_port_str_assign: out of memory");
			return -1;
		}
	}
	free((*usp)->user);
	free((*usp)->server);
	free((*usp)->port);
	(*usp)->user = sp.user;
	(*usp)->server = sp.host;
	(*usp)->port = sp.port;
	return 0;
}

char *user_server_port_get_user(const struct user_server_port *usp)
{
	return usp != NULL ? usp->user : NULL;
}

char *user_server_port_get_server(const struct user_server_port *usp)
{
	return usp != NULL ? usp->server : NULL;
}

char *user_server_port_get_port(const struct user_server_port *usp)
{
	return usp != NULL ? usp->port : NULL;
}

void user_server_port_unassign(struct user_server_port *usp)
{
	if (usp != NULL)
		memset(usp, 0, sizeof(*usp));
}

void user_server_port_destroy(struct user_server_port *usp)
{
	if (usp == NULL)
		return;
	free(usp->user);
	free(usp->server);
	free(usp->port);
	free(usp);
}
