/*
 * net.h: addresses, server specifications and sockets.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_NET_H
#define PERDITION_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* A parsed "[user<delim>]host[:port]" (host may be "[v6addr]").
 * Each field is malloc'd, or NULL when absent; host has no brackets. */
struct server_spec {
	char *user;
	char *host;
	char *port;
};

/*
 * Parse s as [user<delim>]host[:port]; delim may be NULL (no user part)
 * or several characters (the LAST occurrence splits).  An empty host, a
 * bad bracket, an empty or over-long port is an error.
 * Returns 0, or -1 (nothing allocated).
 */
int server_spec_parse(const char *s, const char *delim, struct server_spec *r);
void server_spec_free(struct server_spec *r);

/* Split a comma-separated list; returns the count (<= max) or -1 when
 * more than max.  Items point into the modified string s. */
int net_split_list(char *s, char **items, int max);

/* Numeric address and port of sa: "1.2.3.4", "::1"; port as number. */
const char *net_addr_str(const struct sockaddr_storage *sa, char *buf, size_t len);
unsigned net_port(const struct sockaddr_storage *sa);

/* " SRC:SPORT->DST:DPORT" (leading space) when both are known, else "". */
void net_from_to(char *buf, size_t len, const struct sockaddr_storage *peer,
		 bool have_peer, const struct sockaddr_storage *local, bool have_local);

/*
 * Resolve host and port (service names allowed unless numeric) into a
 * malloc'd addrinfo list (freeaddrinfo() it).  Returns 0 or an EAI_*
 * code.  passive: for bind().
 */
struct addrinfo;
int net_resolve(const char *host, const char *port, bool numeric, bool passive,
		struct addrinfo **res_r);

/* Port string to number (service name unless numeric); -1 if unknown. */
int net_port_number(const char *port, bool numeric);

/*
 * Connect to the first address of ai that answers within timeout
 * seconds (0 = system default).  Returns a connected blocking socket or
 * -1 (errno set).  keepalive sets SO_KEEPALIVE; TCP_NODELAY is always set.
 */
int net_connect(const struct addrinfo *ai, unsigned timeout, bool keepalive);

/* The same, waiting at most timeout_ms for each address (-1: no limit;
 * 0: only an immediate answer). */
int net_connect_ms(const struct addrinfo *ai, int timeout_ms, bool keepalive);

/* Bind and listen on one address (SO_REUSEADDR; IPV6_V6ONLY for v6).
 * Returns the socket or -1 (errno set). */
int net_listen(const struct sockaddr *sa, socklen_t salen);

/* Reverse lookup of sa into host (numeric when numeric or when the
 * lookup fails). */
void net_host_name(const struct sockaddr_storage *sa, bool numeric,
		   char *host, size_t len);

/* Look up sa's name now and answer net_host_name() for that address from
 * memory from then on (the parent does this for its listening addresses,
 * so children need no lookup; wildcard addresses are not kept);
 * net_host_name_forget() drops them all. */
void net_host_name_remember(const struct sockaddr_storage *sa);
void net_host_name_forget(void);

#endif
