/*
 * net.c: server specifications, address formatting, resolution, connect
 * with a timeout and listening sockets.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "defs.h"
#include "net.h"
#include "str.h"
#include "xalloc.h"

/* A port is a service name or a number: short, printable, no colon. */
static bool port_ok(const char *p, size_t len)
{
	if (len == 0 || len > 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (p[i] <= ' ' || p[i] >= 0x7f || p[i] == ':' || p[i] == '[' || p[i] == ']')
			return false;
	return true;
}

static const char *find_last(const char *s, const char *delim)
{
	size_t dl = strlen(delim);
	const char *last = NULL;

	if (dl == 0)
		return NULL;
	for (const char *p = strstr(s, delim); p != NULL; p = strstr(p + 1, delim))
		last = p;
	return last;
}

int server_spec_parse(const char *s, const char *delim, struct server_spec *r)
{
	const char *hs = s, *he, *ps = NULL, *d = NULL;
	size_t plen = 0;

	memset(r, 0, sizeof(*r));
	if (strlen(s) > MAX_CRED_LENGTH)
		return -1;
	if (delim != NULL && *delim != '\0')
		d = find_last(s, delim);
	if (d != NULL) {
		if (d == s)
			return -1; /* empty user */
		hs = d + strlen(delim);
	}
	if (*hs == '[') {
		he = strchr(hs, ']');
		if (he == NULL || he == hs + 1)
			return -1;
		if (he[1] == ':')
			ps = he + 2;
		else if (he[1] != '\0')
			return -1;
		hs++;
	} else {
		const char *colon = strchr(hs, ':');
		if (colon != NULL) {
			if (strchr(colon + 1, ':') != NULL)
				return -1; /* a bare IPv6 address needs brackets */
			ps = colon + 1;
			he = colon;
		} else {
			he = hs + strlen(hs);
		}
	}
	if (ps != NULL) {
		plen = strlen(ps);
		if (!port_ok(ps, plen))
			return -1;
	}
	if (he == hs)
		return -1;
	for (const char *p = hs; p < he; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '[' || *p == ']' || *p == '/')
			return -1;
	r->host = xstrndup(hs, (size_t)(he - hs));
	if (ps != NULL)
		r->port = xstrndup(ps, plen);
	if (d != NULL)
		r->user = xstrndup(s, (size_t)(d - s));
	return 0;
}

void server_spec_free(struct server_spec *r)
{
	free(r->user);
	free(r->host);
	free(r->port);
	memset(r, 0, sizeof(*r));
}

int net_split_list(char *s, char **items, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(s, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ' || *t == '\t')
			t++;
		if (*t == '\0')
			continue;
		if (n == max)
			return -1;
		items[n++] = t;
	}
	return n;
}

const char *net_addr_str(const struct sockaddr_storage *sa, char *buf, size_t len)
{
	const void *a;

	if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		/* Show v4-mapped clients of a v6 listener as plain IPv4. */
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			if (inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], buf, (socklen_t)len) == NULL)
				str_copy(buf, "?", len);
			return buf;
		}
		a = &s6->sin6_addr;
	} else if (sa->ss_family == AF_INET) {
		a = &((const struct sockaddr_in *)sa)->sin_addr;
	} else {
		str_copy(buf, "?", len);
		return buf;
	}
	if (inet_ntop(sa->ss_family, a, buf, (socklen_t)len) == NULL)
		str_copy(buf, "?", len);
	return buf;
}

unsigned net_port(const struct sockaddr_storage *sa)
{
	if (sa->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	if (sa->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	return 0;
}

void net_from_to(char *buf, size_t len, const struct sockaddr_storage *peer,
		 bool have_peer, const struct sockaddr_storage *local, bool have_local)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (!have_peer || !have_local) {
		str_copy(buf, "", len);
		return;
	}
	snprintf(buf, len, " %s:%u->%s:%u", net_addr_str(peer, a, sizeof(a)), net_port(peer),
		 net_addr_str(local, b, sizeof(b)), net_port(local));
}

int net_resolve(const char *host, const char *port, bool numeric, bool passive,
		struct addrinfo **res_r)
{
	struct addrinfo hints;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = (passive ? AI_PASSIVE : 0) | (numeric ? AI_NUMERICHOST | AI_NUMERICSERV : 0);
	if (!passive)
		hints.ai_flags |= AI_ADDRCONFIG;
	*res_r = NULL;
	return getaddrinfo(host, port, &hints, res_r);
}

int net_port_number(const char *port, bool numeric)
{
	unsigned long v;

	if (str_to_ulong(port, 65535, &v) == 0 && *port != '\0')
		return (int)v;
	if (numeric)
		return -1;
	struct servent *se = getservbyname(port, "tcp");
	return se != NULL ? ntohs((unsigned short)se->s_port) : -1;
}

static void set_sockopts(int fd, bool keepalive)
{
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (keepalive)
		(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
}

/* Connect one address, waiting at most timeout ms (-1: no limit). */
static int connect_one(const struct addrinfo *ai, int timeout)
{
	int fd, err = 0;
	socklen_t errlen = sizeof(err);
	struct pollfd pfd;

	/* Non-blocking for a bounded connect, blocking again after. */
	fd = socket(ai->ai_family,
		    ai->ai_socktype | SOCK_CLOEXEC | (timeout >= 0 ? SOCK_NONBLOCK : 0),
		    ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		goto done;
	if (errno != EINPROGRESS || timeout < 0)
		goto fail;
	pfd.fd = fd;
	pfd.events = POLLOUT;
	for (;;) {
		int r = poll(&pfd, 1, timeout);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			errno = ETIMEDOUT;
			goto fail;
		}
		if (r < 0)
			goto fail;
		break;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0)
		goto fail;
	if (err != 0) {
		errno = err;
		goto fail;
	}
done:
	if (timeout >= 0) /* a new socket has no other status flag */
		(void)fcntl(fd, F_SETFL, 0);
	return fd;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

int net_connect(const struct addrinfo *ai, unsigned timeout, bool keepalive)
{
	return net_connect_ms(ai, timeout == 0 ? -1 : timeout > 2000000 ? 2000000000 :
			      (int)timeout * 1000, keepalive);
}

int net_connect_ms(const struct addrinfo *ai, int timeout_ms, bool keepalive)
{
	int fd = -1;

	errno = EHOSTUNREACH;
	for (; ai != NULL; ai = ai->ai_next) {
		fd = connect_one(ai, timeout_ms);
		if (fd >= 0) {
			set_sockopts(fd, keepalive);
			return fd;
		}
	}
	return -1;
}

int net_listen(const struct sockaddr *sa, socklen_t salen)
{
	int fd, one = 1, err;

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (sa->sa_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, sa, salen) < 0 || listen(fd, SOMAXCONN) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/*
 * Names of the daemon's own (listening) addresses, looked up once in the
 * parent: without them every child would read nsswitch.conf, host.conf,
 * resolv.conf and /etc/hosts (or ask DNS) just to print its greeting.
 * Refreshed on SIGHUP (daemon.c).
 */
#define HOST_CACHE_SLOTS 8
static struct host_cache {
	sa_family_t family;
	unsigned char addr[16];
	char name[256];
} host_cache[HOST_CACHE_SLOTS];
static size_t host_cache_used;

/* The address bytes of sa (4 or 16) in *p; 0 for other families. */
static size_t addr_bytes(const struct sockaddr_storage *sa, const void **p)
{
	if (sa->ss_family == AF_INET) {
		*p = &((const struct sockaddr_in *)sa)->sin_addr;
		return 4;
	}
	if (sa->ss_family == AF_INET6) {
		*p = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		return 16;
	}
	return 0;
}

static const struct host_cache *host_cache_find(const struct sockaddr_storage *sa)
{
	const void *a;
	size_t n = addr_bytes(sa, &a);

	for (size_t i = 0; n > 0 && i < host_cache_used; i++)
		if (host_cache[i].family == sa->ss_family &&
		    memcmp(host_cache[i].addr, a, n) == 0)
			return &host_cache[i];
	return NULL;
}

static void lookup_name(const struct sockaddr_storage *sa, bool numeric, char *host, size_t len)
{
	socklen_t salen = sa->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						   : sizeof(struct sockaddr_in);

	if (!numeric && getnameinfo((const struct sockaddr *)sa, salen, host, (socklen_t)len,
				    NULL, 0, NI_NAMEREQD) == 0)
		return;
	net_addr_str(sa, host, len);
}

void net_host_name_remember(const struct sockaddr_storage *sa)
{
	struct host_cache *c;
	const void *a;
	size_t n = addr_bytes(sa, &a);

	static const unsigned char any[16];

	/* A wildcard listener's connections arrive on many addresses. */
	if (n == 0 || memcmp(a, any, n) == 0 || host_cache_used >= HOST_CACHE_SLOTS ||
	    host_cache_find(sa) != NULL)
		return;
	c = &host_cache[host_cache_used];
	lookup_name(sa, false, c->name, sizeof(c->name));
	c->family = sa->ss_family;
	memcpy(c->addr, a, n);
	host_cache_used++;
}

void net_host_name_forget(void)
{
	host_cache_used = 0;
}

void net_host_name(const struct sockaddr_storage *sa, bool numeric, char *host, size_t len)
{
	const struct host_cache *c = numeric ? NULL : host_cache_find(sa);

	if (c != NULL) {
		str_copy(host, c->name, len);
		return;
	}
	lookup_name(sa, numeric, host, len);
}
