/*
 * perditiondb_daemon.c: map library that asks a map server over a UNIX
 * datagram socket where a user lives (perdition 2.2's "daemon" map).
 *
 * map_library_opt is socket[:timeout[:retries[:delimiter]]], default
 * /var/run/perdition.db:1:5:@.  An empty field keeps its default.
 *
 * The delimiter field is ours.  perdition 2.2's library sent the
 * daemon's domain_delimiter, read at offset 0x50 of the binary's exported
 * `opt`.  Our daemon exports a small `opt` with that field where 2.2 has
 * it (src/compat22.h, D-14), so 2.2's library works in it; this library
 * does not read it, as reading a host's data by offset ties a library to
 * one layout.  So the delimiter sent to the map server is "@" (the
 * default of both daemons) unless map_library_opt names another; a site
 * with -D X sets the same X here.  The server usually ignores it anyway.
 *
 * Each lookup binds a client socket map.<pid> inside a fresh private
 * directory /tmp/perdition-map-XXXXXX (mode 0700: the server must run as
 * root or as perdition's user, as with 2.2), sends the request and waits
 * timeout seconds for the answer, at most retries times, ignoring
 * datagrams that come from elsewhere or do not parse.  The socket and
 * directory are removed before returning.
 *
 * Requests are byte-for-byte what 2.2's library sends, so map servers
 * written for 2.2 keep working: an IPv4 client gives the old request,
 * whose header address and port fields hold the sockaddr_in values
 * (s_addr, sin_port, already in network byte order) written once more
 * big-endian -- on a little-endian host 127.0.0.1 travels as 01 00 00 7f.
 * A server gets the address back with ntohl() into s_addr.  Anything else
 * (IPv6) gives the string request with numeric text addresses.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "maplog.h"
#include "packet.h"
#include "perditiondb.h"

#ifndef PERDITION_LOCALSTATEDIR
#define PERDITION_LOCALSTATEDIR "/var"
#endif
#define DEFAULT_SOCKET		PERDITION_LOCALSTATEDIR "/run/perdition.db"
#define DEFAULT_TIMEOUT		1
#define DEFAULT_RETRIES		5
#define DEFAULT_DELIMITER	"@"
#define MAX_TIMEOUT		3600
#define MAX_RETRIES		100
#define MAX_DELIMITER		64
#define OPT_FIELDS		4 /* socket:timeout:retries:delimiter */
#define DIR_TEMPLATE		"/tmp/perdition-map-XXXXXX"

struct sun_name {
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static struct {
	struct sun_name server;
	unsigned timeout;
	unsigned retries;
	char delimiter[MAX_DELIMITER + 1];
} conf;

static void conf_defaults(void)
{
	snprintf(conf.server.path, sizeof(conf.server.path), "%s",
		 DEFAULT_SOCKET);
	conf.timeout = DEFAULT_TIMEOUT;
	conf.retries = DEFAULT_RETRIES;
	snprintf(conf.delimiter, sizeof(conf.delimiter), "%s",
		 DEFAULT_DELIMITER);
}

/* Decimal digits only, 1..max. */
static int parse_uint(const char *s, size_t n, unsigned max, unsigned *r)
{
	unsigned long v = 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < 1 || v > max)
		return -1;
	*r = (unsigned)v;
	return 0;
}

/*
 * Split s at ':' into at most OPT_FIELDS fields (f[i], fl[i] bytes); the
 * fields not there stay empty.  Returns -1 when there are more.
 */
static int split_fields(const char *s, const char *f[OPT_FIELDS],
			size_t fl[OPT_FIELDS])
{
	for (size_t i = 0;; i++) {
		const char *c = strchr(s, ':');

		if (i == OPT_FIELDS)
			return -1;
		f[i] = s;
		fl[i] = c != NULL ? (size_t)(c - s) : strlen(s);
		if (c == NULL)
			return 0;
		s = c + 1;
	}
}

static int set_socket(const char *f, size_t n)
{
	if (n >= sizeof(conf.server.path) || memchr(f, '\0', n) != NULL) {
		maplog_init_error("daemon map: socket path too long "
				  "(at most %zu bytes)",
				  sizeof(conf.server.path) - 1);
		return -1;
	}
	memcpy(conf.server.path, f, n);
	conf.server.path[n] = '\0';
	return 0;
}

static int set_delimiter(const char *f, size_t n)
{
	if (n > MAX_DELIMITER) {
		maplog_init_error("daemon map: delimiter too long");
		return -1;
	}
	memcpy(conf.delimiter, f, n);
	conf.delimiter[n] = '\0';
	return 0;
}

/* The timeout or retries field: n > 0 bytes at f, 1..max.  unit is
 * shown before the range in the error ("seconds, " or ""). */
static int set_number(const char *what, const char *unit, const char *f,
		      size_t n, unsigned max, unsigned *r)
{
	char esc[256];

	if (parse_uint(f, n, max, r) == 0)
		return 0;
	maplog_init_error("daemon map: bad %s \"%s\" (%s1-%u)", what,
			  maplog_escape(esc, sizeof(esc), f, n), unit, max);
	return -1;
}

int dbserver_init(char *opt)
{
	const char *f[OPT_FIELDS] = { NULL, NULL, NULL, NULL };
	size_t fl[OPT_FIELDS] = { 0, 0, 0, 0 };
	const char *s = opt != NULL ? opt : "";
	char esc[256];

	conf_defaults();
	if (*s == '\0')
		return 0;
	if (split_fields(s, f, fl) < 0) {
		maplog_init_error("daemon map: too many fields in \"%s\"; "
				  "expected socket[:timeout[:retries"
				  "[:delimiter]]]",
				  maplog_escape(esc, sizeof(esc), opt,
						strlen(opt)));
		return -1;
	}
	if ((fl[0] > 0 && set_socket(f[0], fl[0]) < 0) ||
	    (fl[1] > 0 && set_number("timeout", "seconds, ", f[1], fl[1],
				     MAX_TIMEOUT, &conf.timeout) < 0) ||
	    (fl[2] > 0 && set_number("retries", "", f[2], fl[2],
				     MAX_RETRIES, &conf.retries) < 0) ||
	    (fl[3] > 0 && set_delimiter(f[3], fl[3]) < 0))
		return -1;
	return 0;
}

int dbserver_fini(void)
{
	conf_defaults();
	return 0;
}

static void set_str(struct pdm_str *s, const char *v)
{
	s->data = v;
	s->len = strlen(v);
}

/* Numeric host and port of sa, or "" for both (NULL, other families). */
static void name_of(const struct sockaddr_storage *sa, char *host,
		    size_t hl, char *port, size_t pl)
{
	socklen_t len;

	*host = '\0';
	*port = '\0';
	if (sa == NULL)
		return;
	if (sa->ss_family == AF_INET)
		len = sizeof(struct sockaddr_in);
	else if (sa->ss_family == AF_INET6)
		len = sizeof(struct sockaddr_in6);
	else
		return;
	if (getnameinfo((const struct sockaddr *)sa, len, host, (socklen_t)hl,
			port, (socklen_t)pl,
			NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		*host = '\0';
		*port = '\0';
	}
}

static bool is_v4_or_null(const struct sockaddr_storage *sa)
{
	return sa == NULL || sa->ss_family == AF_INET;
}

/* The request for key; buf must hold PDM_MAX_PACKET bytes. */
static long build_request(unsigned char *buf, const char *key)
{
	char sh[NI_MAXHOST], sp[NI_MAXSERV], dh[NI_MAXHOST], dp[NI_MAXSERV];
	struct pdm_packet p;

	memset(&p, 0, sizeof(p));
	set_str(&p.str[0], key);
	set_str(&p.str[1], conf.delimiter);
	if (is_v4_or_null(peername) && is_v4_or_null(sockname)) {
		/* As 2.2: the raw (network order) values, see above. */
		if (peername != NULL) {
			const struct sockaddr_in *in =
				(const struct sockaddr_in *)peername;

			p.saddr = in->sin_addr.s_addr;
			p.sport = in->sin_port;
		}
		if (sockname != NULL) {
			const struct sockaddr_in *in =
				(const struct sockaddr_in *)sockname;

			p.daddr = in->sin_addr.s_addr;
			p.dport = in->sin_port;
		}
		p.flags = PDM_REQ;
		p.nstr = 2;
	} else {
		name_of(peername, sh, sizeof(sh), sp, sizeof(sp));
		name_of(sockname, dh, sizeof(dh), dp, sizeof(dp));
		set_str(&p.str[2], sh);
		set_str(&p.str[3], sp);
		set_str(&p.str[4], dh);
		set_str(&p.str[5], dp);
		p.flags = PDM_STR_REQ;
		p.nstr = 6;
	}
	return pdm_encode(buf, PDM_MAX_PACKET, &p);
}

struct client {
	int fd;
	char dir[sizeof(DIR_TEMPLATE)];
	struct sun_name name;
};

static void client_close(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	if (c->name.path[0] != '\0')
		unlink(c->name.path);
	if (c->dir[0] != '\0')
		rmdir(c->dir);
}

static int client_open(struct client *c)
{
	struct sockaddr_un sun;
	int n;

	c->fd = -1;
	c->name.path[0] = '\0';
	memcpy(c->dir, DIR_TEMPLATE, sizeof(DIR_TEMPLATE));
	if (mkdtemp(c->dir) == NULL) {
		maplog(LOG_ERR, "daemon map: mkdtemp %s: %s", DIR_TEMPLATE,
		       strerror(errno));
		c->dir[0] = '\0';
		return -1;
	}
	n = snprintf(c->name.path, sizeof(c->name.path), "%s/map.%ld",
		     c->dir, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(c->name.path)) {
		c->name.path[0] = '\0';
		return -1;
	}
	c->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		maplog(LOG_ERR, "daemon map: socket: %s", strerror(errno));
		c->name.path[0] = '\0';
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, c->name.path, sizeof(sun.sun_path));
	if (bind(c->fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		maplog(LOG_ERR, "daemon map: bind %s: %s", c->name.path,
		       strerror(errno));
		c->name.path[0] = '\0';
		return -1;
	}
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Wait until deadline for a response from the server; 0 with *rsp filled
 * (pointing into buf), 1 on timeout, -1 on error.
 */
static int await_response(struct client *c, unsigned char *buf, long deadline,
			  struct pdm_packet *rsp)
{
	for (;;) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		struct sockaddr_un from;
		socklen_t fl = sizeof(from);
		long left = deadline - now_ms();
		const char *why = NULL;
		ssize_t got;
		int r;

		if (left <= 0)
			return 1;
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			maplog(LOG_ERR, "daemon map: poll: %s",
			       strerror(errno));
			return -1;
		}
		if (r == 0)
			return 1;
		memset(&from, 0, sizeof(from));
		got = recvfrom(c->fd, buf, PDM_MAX_PACKET, MSG_TRUNC,
			       (struct sockaddr *)&from, &fl);
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			maplog(LOG_ERR, "daemon map: recvfrom: %s",
			       strerror(errno));
			return -1;
		}
		/* Only the server's socket may answer. */
		if (fl <= offsetof(struct sockaddr_un, sun_path) ||
		    strncmp(from.sun_path, conf.server.path,
			    sizeof(from.sun_path)) != 0) {
			maplog(LOG_DEBUG, "daemon map: ignoring a datagram "
			       "not from %s", conf.server.path);
			continue;
		}
		if (got > PDM_MAX_PACKET) {
			maplog(LOG_ERR, "daemon map: ignoring an oversized "
			       "response");
			continue;
		}
		if (pdm_decode(buf, (size_t)got, rsp, &why) != 0 ||
		    rsp->flags != PDM_RSP) {
			maplog(LOG_ERR, "daemon map: ignoring a bad response "
			       "from %s: %s", conf.server.path,
			       why != NULL ? why : "not a response");
			continue;
		}
		return 0;
	}
}

/* A NUL-terminated copy of s; NULL when s holds a NUL or memory is out. */
static char *copy_str(const struct pdm_str *s)
{
	char *r;

	if (memchr(s->data, '\0', s->len) != NULL)
		return NULL;
	r = malloc(s->len + 1);
	if (r == NULL)
		return NULL;
	memcpy(r, s->data, s->len);
	r[s->len] = '\0';
	return r;
}

/*
 * Send req to the server once.  Returns 0 when sent, 1 when the server is
 * not (yet) there (after waiting a timeout, unless this is the last
 * attempt), -1 on any other error.
 */
static int send_request(struct client *c, const unsigned char *req,
			long req_len, bool last)
{
	struct sockaddr_un to;
	int e;

	memset(&to, 0, sizeof(to));
	to.sun_family = AF_UNIX;
	memcpy(to.sun_path, conf.server.path, sizeof(to.sun_path));
	if (sendto(c->fd, req, (size_t)req_len, 0, (struct sockaddr *)&to,
		   sizeof(to)) == req_len)
		return 0;
	e = errno;
	if (e == EINTR)
		return 1;
	if (e != ENOENT && e != ECONNREFUSED && e != EAGAIN && e != ENOBUFS) {
		maplog(LOG_ERR, "daemon map: send to %s: %s",
		       conf.server.path, strerror(e));
		return -1;
	}
	maplog(LOG_DEBUG, "daemon map: send to %s: %s", conf.server.path,
	       strerror(e));
	/* Server not (yet) there: wait, then retry. */
	if (!last)
		poll(NULL, 0, (int)conf.timeout * 1000);
	return 1;
}

/*
 * Send req and wait for the response, at most conf.retries times.
 * Returns 0 with *rsp filled (pointing into buf), 1 when no answer came,
 * -1 on error.
 */
static int exchange(struct client *c, const unsigned char *req, long req_len,
		    unsigned char *buf, struct pdm_packet *rsp)
{
	for (unsigned attempt = 0; attempt < conf.retries; attempt++) {
		long deadline = now_ms() + (long)conf.timeout * 1000;
		int r = send_request(c, req, req_len,
				     attempt + 1 >= conf.retries);

		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		r = await_response(c, buf, deadline, rsp);
		if (r <= 0)
			return r;
	}
	return 1;
}

/* The user, server and port of a response: 0 (each malloc'd), -2 for
 * not found (all three empty), -1 when unusable. */
static int take_response(const struct pdm_packet *rsp, char **user,
			 char **server, char **port)
{
	if (rsp->str[0].len == 0 && rsp->str[1].len == 0 &&
	    rsp->str[2].len == 0)
		return -2;
	*user = copy_str(&rsp->str[0]);
	*server = copy_str(&rsp->str[1]);
	*port = copy_str(&rsp->str[2]);
	if (*user != NULL && *server != NULL && *port != NULL)
		return 0;
	maplog(LOG_ERR, "daemon map: unusable response from %s",
	       conf.server.path);
	free(*user);
	free(*server);
	free(*port);
	*user = *server = *port = NULL;
	return -1;
}

/* Ask the server about key; returns as dbserver_get2. */
static int ask_server(const char *key, unsigned char *req,
		      unsigned char *buf, char **user, char **server,
		      char **port)
{
	struct client c = { .fd = -1, .dir = "" };
	struct pdm_packet rsp;
	long req_len = build_request(req, key);
	int rc = -1;

	if (req_len < 0) {
		maplog(LOG_ERR, "daemon map: key too long for a request");
		return -1;
	}
	if (client_open(&c) != 0)
		goto out;
	memset(&rsp, 0, sizeof(rsp));
	if (exchange(&c, req, req_len, buf, &rsp) < 0)
		goto out;
	if (rsp.flags != PDM_RSP || rsp.nstr != 3) {
		maplog(LOG_ERR, "daemon map: no answer from %s after %u "
		       "tries", conf.server.path, conf.retries);
		goto out;
	}
	rc = take_response(&rsp, user, server, port);
out:
	client_close(&c);
	return rc;
}

int dbserver_get2(const char *key, const char *opt, char **user,
		  char **server, char **port)
{
	unsigned char *req, *buf;
	int rc;

	(void)opt; /* parsed by dbserver_init, as 2.2 */
	*user = *server = *port = NULL;
	if (conf.retries == 0) /* a host that never called dbserver_init */
		conf_defaults();
	if (key == NULL)
		return -3;
	req = malloc(PDM_MAX_PACKET);
	buf = malloc(PDM_MAX_PACKET);
	if (req == NULL || buf == NULL)
		rc = -3;
	else
		rc = ask_server(key, req, buf, user, server, port);
	free(req);
	free(buf);
	return rc;
}
