/*
 * mapserver.c: a small reference map server for the daemon map library.
 * It answers every request from a key:value file (as makegdbm's input)
 * or with one fixed value, and writes one line per request to its log,
 * so tests can see exactly what perdition asked.
 *
 *   mapserver [-f FILE | -r VALUE] [-l LOG] [-q] SOCKET
 *
 * A value is [user<delimiter>]server[:port], split with the delimiter the
 * request carried ("@" if none); "[v6]:port" is understood.  A key not in
 * the file gets an empty response (not found).  -q never answers (for
 * timeout tests).  SIGTERM or SIGINT removes the socket and exits.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "maplog.h"
#include "packet.h"

#define MAX_LINE 4096

struct entry {
	char *key;
	char *value;
};

static struct entry *entries;
static size_t nentries;
static const char *fixed;
static volatile sig_atomic_t leaving;

static void on_signal(int sig)
{
	(void)sig;
	leaving = 1;
}

static void usage(FILE *f, int rc)
{
	fprintf(f, "Usage: mapserver [-f FILE | -r VALUE] [-l LOG] [-q] "
		"SOCKET\n");
	exit(rc);
}

static int load(const char *path)
{
	char line[MAX_LINE + 2];
	unsigned long n = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		fprintf(stderr, "mapserver: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t l = strlen(line);
		char *c;
		struct entry *ne;

		n++;
		if (l > 0 && line[l - 1] == '\n')
			line[--l] = '\0';
		else if (l > MAX_LINE) {
			fprintf(stderr, "mapserver: line %lu too long\n", n);
			fclose(f);
			return -1;
		}
		if (l == 0)
			continue;
		c = strchr(line, ':');
		if (c == NULL || c == line) {
			fprintf(stderr, "mapserver: invalid input on line: "
				"%lu\n", n);
			fclose(f);
			return -1;
		}
		*c = '\0';
		ne = realloc(entries, (nentries + 1) * sizeof(*entries));
		if (ne == NULL)
			abort();
		entries = ne;
		entries[nentries].key = strdup(line);
		entries[nentries].value = strdup(c + 1);
		if (entries[nentries].key == NULL ||
		    entries[nentries].value == NULL)
			abort();
		nentries++;
	}
	fclose(f);
	return 0;
}

static const char *lookup(const struct pdm_str *key)
{
	if (fixed != NULL)
		return fixed;
	for (size_t i = 0; i < nentries; i++)
		if (strlen(entries[i].key) == key->len &&
		    memcmp(entries[i].key, key->data, key->len) == 0)
			return entries[i].value;
	return NULL;
}

/* Split v into user, server and port (pointing into v or at ""). */
static void split(const char *v, const struct pdm_str *delim,
		  struct pdm_str out[3])
{
	const char *d = "@", *host = v, *end, *colon = NULL;
	size_t dl = 1;

	if (delim->len > 0) {
		d = delim->data;
		dl = delim->len;
	}
	out[0].data = out[1].data = out[2].data = "";
	out[0].len = out[1].len = out[2].len = 0;
	/* The user part ends at the last delimiter. */
	for (size_t i = 0, vl = strlen(v); i + dl <= vl; i++)
		if (memcmp(v + i, d, dl) == 0)
			host = v + i + dl;
	if (host != v) {
		out[0].data = v;
		out[0].len = (size_t)(host - v) - dl;
	}
	end = host + strlen(host);
	if (*host == '[') {
		const char *rb = strchr(host, ']');

		if (rb != NULL && rb[1] == ':')
			colon = rb + 1;
	} else {
		colon = strrchr(host, ':');
		if (colon != NULL && strchr(host, ':') != colon)
			colon = NULL; /* a bare IPv6 address */
	}
	out[1].data = host;
	out[1].len = (size_t)((colon != NULL ? colon : end) - host);
	if (colon != NULL) {
		out[2].data = colon + 1;
		out[2].len = (size_t)(end - colon - 1);
	}
}

static void log_str(FILE *log, const char *name, const struct pdm_str *s)
{
	char esc[MAX_LINE];

	fprintf(log, " %s=\"%s\"", name,
		maplog_escape(esc, sizeof(esc), s->data, s->len));
}

static void log_request(FILE *log, const unsigned char *buf, size_t len,
			const struct pdm_packet *p, const char *value)
{
	fprintf(log, "request type=%s",
		p->flags == PDM_REQ ? "req" : "str-req");
	log_str(log, "key", &p->str[0]);
	log_str(log, "delimiter", &p->str[1]);
	if (p->flags == PDM_REQ) {
		/* 2.2's encoding: the field is s_addr / sin_port, see
		 * perditiondb_daemon.c. */
		char sa[INET_ADDRSTRLEN], da[INET_ADDRSTRLEN];
		struct in_addr a;

		a.s_addr = p->saddr;
		inet_ntop(AF_INET, &a, sa, sizeof(sa));
		a.s_addr = p->daddr;
		inet_ntop(AF_INET, &a, da, sizeof(da));
		fprintf(log, " saddr=\"%s\" sport=\"%u\" daddr=\"%s\" "
			"dport=\"%u\"", sa, ntohs(p->sport), da,
			ntohs(p->dport));
	} else {
		log_str(log, "saddr", &p->str[2]);
		log_str(log, "sport", &p->str[3]);
		log_str(log, "daddr", &p->str[4]);
		log_str(log, "dport", &p->str[5]);
	}
	fprintf(log, " value=\"%s\" hex=", value != NULL ? value : "");
	for (size_t i = 0; i < len; i++)
		fprintf(log, "%02x", buf[i]);
	fputc('\n', log);
	fflush(log);
}

struct args {
	const char *file;
	const char *logpath;
	const char *socket;
	bool quiet;
};

static void parse_args(int argc, char **argv, struct args *a)
{
	int c;

	memset(a, 0, sizeof(*a));
	while ((c = getopt(argc, argv, "f:r:l:qh")) != -1) {
		switch (c) {
		case 'f':
			a->file = optarg;
			break;
		case 'r':
			fixed = optarg;
			break;
		case 'l':
			a->logpath = optarg;
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 1);
		}
	}
	if (optind + 1 != argc || (a->file != NULL && fixed != NULL))
		usage(stderr, 1);
	a->socket = argv[optind];
}

/* The server's socket, bound at path (already checked to fit); -1 on
 * error. */
static int open_socket(const char *path, struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	if (fd < 0) {
		perror("mapserver: socket");
		return -1;
	}
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, strlen(path));
	unlink(sun->sun_path);
	if (bind(fd, (struct sockaddr *)sun, sizeof(*sun)) != 0) {
		fprintf(stderr, "mapserver: bind %s: %s\n", sun->sun_path,
			strerror(errno));
		close(fd);
		return -1;
	}
	/* A test server: let perdition's children write whatever user they
	 * run as. */
	chmod(sun->sun_path, 0666);
	return fd;
}

/* Send the response to req (value NULL: not found) to from. */
static void answer(FILE *log, int fd, const struct pdm_packet *req,
		   const char *value, const struct sockaddr_un *from,
		   socklen_t fl)
{
	static unsigned char out[PDM_MAX_PACKET];
	struct pdm_packet rsp;
	long ol;

	memset(&rsp, 0, sizeof(rsp));
	rsp.flags = PDM_RSP;
	rsp.nstr = 3;
	if (value != NULL)
		split(value, &req->str[1], rsp.str);
	else
		rsp.str[0].data = rsp.str[1].data = rsp.str[2].data = "";
	ol = pdm_encode(out, sizeof(out), &rsp);
	if (ol < 0 || fl <= offsetof(struct sockaddr_un, sun_path))
		return;
	if (sendto(fd, out, (size_t)ol, 0, (const struct sockaddr *)from,
		   fl) < 0) {
		fprintf(log, "sendto: %s\n", strerror(errno));
		fflush(log);
	}
}

/* Answer requests until SIGTERM or SIGINT. */
static void serve(FILE *log, int fd, bool quiet)
{
	static unsigned char buf[PDM_MAX_PACKET + 1];

	while (!leaving) {
		struct sockaddr_un from;
		socklen_t fl = sizeof(from);
		struct pdm_packet req;
		const char *why = NULL, *value;
		ssize_t got;

		got = recvfrom(fd, buf, sizeof(buf), 0,
			       (struct sockaddr *)&from, &fl);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			perror("mapserver: recvfrom");
			break;
		}
		if (pdm_decode(buf, (size_t)got, &req, &why) != 0 ||
		    req.flags == PDM_RSP) {
			fprintf(log, "bad packet (%zd bytes): %s\n", got,
				why != NULL ? why : "a response");
			fflush(log);
			continue;
		}
		value = lookup(&req.str[0]);
		log_request(log, buf, (size_t)got, &req, value);
		if (!quiet)
			answer(log, fd, &req, value, &from, fl);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un sun;
	struct sigaction sa;
	struct args a;
	FILE *log = stdout;
	int fd;

	parse_args(argc, argv, &a);
	if (strlen(a.socket) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "mapserver: socket path too long\n");
		return 1;
	}
	if (a.file != NULL && load(a.file) != 0)
		return 1;
	if (a.logpath != NULL && (log = fopen(a.logpath, "a")) == NULL) {
		fprintf(stderr, "mapserver: %s: %s\n", a.logpath,
			strerror(errno));
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: recvfrom returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	fd = open_socket(a.socket, &sun);
	if (fd < 0)
		return 1;
	fprintf(log, "ready %s\n", sun.sun_path);
	fflush(log);
	serve(log, fd, a.quiet);
	close(fd);
	unlink(sun.sun_path);
	return 0;
}
