/*
 * check_daemon_map.c: unit tests for the daemon map's packet codec
 * (perditiondb/daemon/packet.c) and for the daemon map library itself,
 * talking to a scripted map server forked by the test.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "packet.h"
#include "perditiondb.h"

/* The library reads these from its host; here the test is the host. */
struct sockaddr_storage *peername;
struct sockaddr_storage *sockname;

/* ---------------------------------------------------------------- codec */

static size_t unhex(const char *h, unsigned char *out)
{
	size_t n = 0;

	for (; h[0] != '\0' && h[1] != '\0'; h += 2) {
		unsigned v;

		sscanf(h, "%2x", &v);
		out[n++] = (unsigned char)v;
	}
	return n;
}

static void str_is(const struct pdm_str *s, const char *want)
{
	ck_assert_uint_eq(s->len, strlen(want));
	ck_assert(memcmp(s->data, want, s->len) == 0);
}

START_TEST(test_round_trip)
{
	static const uint16_t types[] = { PDM_REQ, PDM_RSP, PDM_STR_REQ };
	static const char *const strs[] = { "bob@x", "@", "", "::1", "110",
					     "\x01\x7f\xff" };
	unsigned char buf[PDM_MAX_PACKET];
	struct pdm_packet p, q;
	const char *why = NULL;
	long len;

	memset(&p, 0, sizeof(p));
	p.flags = types[_i];
	p.nstr = pdm_nstrings(p.flags);
	p.saddr = 0x0100007f;
	p.daddr = 0xc0a80001;
	p.sport = 0xe4ba;
	p.dport = 110;
	for (size_t i = 0; i < p.nstr; i++) {
		p.str[i].data = strs[i];
		p.str[i].len = strlen(strs[i]);
	}
	len = pdm_encode(buf, sizeof(buf), &p);
	ck_assert_int_gt(len, PDM_HEAD_LEN);
	ck_assert_int_eq(pdm_decode(buf, (size_t)len, &q, &why), 0);
	ck_assert_uint_eq(q.flags, p.flags);
	ck_assert_uint_eq(q.nstr, p.nstr);
	ck_assert_uint_eq(q.saddr, p.saddr);
	ck_assert_uint_eq(q.daddr, p.daddr);
	ck_assert_uint_eq(q.sport, p.sport);
	ck_assert_uint_eq(q.dport, p.dport);
	for (size_t i = 0; i < p.nstr; i++)
		str_is(&q.str[i], strs[i]);
}
END_TEST

/* What perdition 2.2's own library sent (captured from Debian's build). */
static const char v22_req[] =
	"0707070700010001002200000100007f0100007fe4babf5d0005626f624078000140";
static const char v22_str_req[] =
	"0707070700010003003a000000000000000000000000000000"
	"05626f62407800014000033a3a310005353037363400033a3a31"
	"00053435323535";

START_TEST(test_decode_v22_packets)
{
	unsigned char buf[256];
	struct pdm_packet p;
	size_t n = unhex(v22_req, buf);

	ck_assert_int_eq(pdm_decode(buf, n, &p, NULL), 0);
	ck_assert_uint_eq(p.flags, PDM_REQ);
	str_is(&p.str[0], "bob@x");
	str_is(&p.str[1], "@");
	n = unhex(v22_str_req, buf);
	ck_assert_int_eq(pdm_decode(buf, n, &p, NULL), 0);
	ck_assert_uint_eq(p.flags, PDM_STR_REQ);
	str_is(&p.str[0], "bob@x");
	str_is(&p.str[1], "@");
	str_is(&p.str[2], "::1");
	str_is(&p.str[3], "50764");
	str_is(&p.str[4], "::1");
	str_is(&p.str[5], "45255");
}
END_TEST

/* Garbage: each must be refused without reading past the given length. */
static const struct {
	const char *hex;
	const char *what;
} garbage[] = {
	{ "", "empty" },
	{ "07070707", "only magic" },
	{ "0707070700010001002200000100007f0100007fe4babf", "23 bytes" },
	{ "0807070700010001001c000000000000000000000000000000000000", "bad magic" },
	{ "0707070700020001001c000000000000000000000000000000000000", "version 2" },
	{ "0707070700010001001c000100000000000000000000000000000000", "checksum type" },
	{ "0707070700010004001c000000000000000000000000000000000000", "flags 4" },
	{ "0707070700010000001c000000000000000000000000000000000000", "flags 0" },
	{ "070707070001000100ff000000000000000000000000000000000000", "length too big" },
	{ "07070707000100010004000000000000000000000000000000000000", "length too small" },
	{ "0707070700010001001c000000000000000000000000000000ff0000", "string past end" },
	{ "0707070700010001001c00000000000000000000000000000000ffff", "string 0xffff" },
	{ "0707070700010001001a00000000000000000000000000000000", "one string of two" },
	{ "0707070700010001001b0000000000000000000000000000000000", "half a length" },
	{ "0707070700010001001e0000000000000000000000000000000000000000", "trailing bytes" },
	{ "0707070700010002001c000000000000000000000000000000000000", "rsp with two strings" },
	{ "0707070700010003002000000000000000000000000000000000000000000000", "str-req with four" },
	{ "ffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "all ones" },
};

START_TEST(test_decode_garbage)
{
	unsigned char buf[256];
	size_t n = unhex(garbage[_i].hex, buf);
	/* An exact-size heap copy, so ASan sees any read past the end. */
	unsigned char *exact = malloc(n > 0 ? n : 1);
	struct pdm_packet p;
	const char *why = NULL;

	memcpy(exact, buf, n);
	ck_assert_msg(pdm_decode(exact, n, &p, &why) == -1, "%s accepted",
		      garbage[_i].what);
	ck_assert_ptr_nonnull(why);
	free(exact);
}
END_TEST

START_TEST(test_decode_null_and_huge)
{
	unsigned char *big = calloc(1, PDM_MAX_PACKET + 10);
	struct pdm_packet p;

	ck_assert_int_eq(pdm_decode(NULL, 100, &p, NULL), -1);
	ck_assert_int_eq(pdm_decode(big, PDM_MAX_PACKET + 10, &p, NULL), -1);
	free(big);
}
END_TEST

/* Random bytes and random mutations of a valid packet never crash. */
START_TEST(test_decode_fuzz)
{
	unsigned char valid[256], buf[256];
	size_t vn = unhex(v22_str_req, valid);
	unsigned seed = 12345;
	struct pdm_packet p;

	for (int round = 0; round < 20000; round++) {
		size_t n;
		unsigned char *exact;

		seed = seed * 1103515245u + 12345u;
		if (round % 2 == 0) {
			n = vn;
			memcpy(buf, valid, vn);
			buf[(seed >> 8) % vn] ^= (unsigned char)(seed >> 16);
			n -= (seed >> 4) % 3 == 0 ? (seed >> 20) % (vn + 1) : 0;
		} else {
			n = (seed >> 8) % sizeof(buf);
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				buf[i] = (unsigned char)(seed >> 16);
			}
			if (n >= PDM_HEAD_LEN && (seed & 1)) {
				memcpy(buf, valid, 8);
				buf[8] = (unsigned char)(n >> 8);
				buf[9] = (unsigned char)n;
				buf[10] = buf[11] = 0;
			}
		}
		exact = malloc(n > 0 ? n : 1);
		memcpy(exact, buf, n);
		if (pdm_decode(exact, n, &p, NULL) == 0) {
			/* Whatever was accepted lies inside the packet. */
			for (size_t i = 0; i < p.nstr; i++)
				ck_assert(p.str[i].len == 0 ||
					  ((const unsigned char *)p.str[i].data >= exact &&
					   (const unsigned char *)p.str[i].data +
					   p.str[i].len <= exact + n));
		}
		free(exact);
	}
}
END_TEST

START_TEST(test_encode_limits)
{
	static unsigned char buf[PDM_MAX_PACKET];
	char *big = malloc(70000);
	struct pdm_packet p;

	memset(big, 'a', 70000);
	memset(&p, 0, sizeof(p));
	p.flags = PDM_REQ;
	p.nstr = 2;
	p.str[0].data = big;
	p.str[1].data = "@";
	p.str[1].len = 1;
	p.str[0].len = 65536; /* over 16 bits */
	ck_assert_int_eq(pdm_encode(buf, sizeof(buf), &p), -1);
	p.str[0].len = 65000; /* fits 16 bits, not the packet */
	ck_assert_int_eq(pdm_encode(buf, sizeof(buf), &p), -1);
	p.str[0].len = PDM_MAX_PACKET - PDM_HEAD_LEN - 4 - 1;
	ck_assert_int_eq(pdm_encode(buf, sizeof(buf), &p), PDM_MAX_PACKET);
	p.str[0].len = 10;
	ck_assert_int_eq(pdm_encode(buf, 30, &p), -1); /* small buffer */
	ck_assert_int_eq(pdm_encode(buf, 39, &p), 39);
	p.nstr = 3; /* does not match the type */
	ck_assert_int_eq(pdm_encode(buf, sizeof(buf), &p), -1);
	p.flags = 9;
	p.nstr = 2;
	ck_assert_int_eq(pdm_encode(buf, sizeof(buf), &p), -1);
	free(big);
}
END_TEST

/* ---------------------------------------------------------------- options */

static const struct {
	const char *opt;
	int rc;
} init_cases[] = {
	{ "", 0 },
	{ "/tmp/x", 0 },
	{ "/tmp/x:2", 0 },
	{ "/tmp/x:2:3", 0 },
	{ "/tmp/x:2:3:%", 0 },
	{ "/tmp/x::", 0 },
	{ ":::+", 0 },
	{ "/tmp/x:0", -1 },
	{ "/tmp/x:abc", -1 },
	{ "/tmp/x:1:0", -1 },
	{ "/tmp/x:1:-1", -1 },
	{ "/tmp/x:99999999999999999999", -1 },
	{ "/tmp/x:3601", -1 },
	{ "/tmp/x:1:101", -1 },
	{ "/tmp/x:1:1:a:b", -1 },
	{ "/tmp/x:1:1:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", -1 },
	{ "/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", -1 },
	{ "/tmp/x:1\r\n:1", -1 },
};

START_TEST(test_init_options)
{
	char *o = strdup(init_cases[_i].opt);

	ck_assert_msg(dbserver_init(o) == init_cases[_i].rc, "opt \"%s\"",
		      init_cases[_i].opt);
	free(o);
	ck_assert_int_eq(dbserver_fini(), 0);
}
END_TEST

START_TEST(test_init_null)
{
	ck_assert_int_eq(dbserver_init(NULL), 0);
	ck_assert_int_eq(dbserver_fini(), 0);
}
END_TEST

/* ---------------------------------------------------------------- library */

enum mode {
	ANSWER,		/* reply "carol" "h.example" "143" */
	EMPTY,		/* not found */
	SILENT,		/* never reply */
	GARBAGE_FIRST,	/* a bad packet, a request-type packet, then ANSWER */
	STRANGER_FIRST,	/* a reply from another socket, then ANSWER */
	NUL_ANSWER,	/* a user name with a NUL in it */
	SECOND_TRY,	/* ignore the first request, answer the retry */
};

static char dir[] = "/tmp/check_daemon_map.XXXXXX";
static char srv_path[200], opt[300];
static pid_t srv_pid;
static int req_pipe[2];

static int bind_dgram(const char *path)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	unlink(path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

static void reply(int fd, const struct sockaddr_un *to, socklen_t tl,
		  const char *u, size_t ul, const char *s, const char *p)
{
	unsigned char out[512];
	struct pdm_packet r;
	long n;

	memset(&r, 0, sizeof(r));
	r.flags = PDM_RSP;
	r.nstr = 3;
	r.str[0].data = u;
	r.str[0].len = ul;
	r.str[1].data = s;
	r.str[1].len = strlen(s);
	r.str[2].data = p;
	r.str[2].len = strlen(p);
	n = pdm_encode(out, sizeof(out), &r);
	sendto(fd, out, (size_t)n, 0, (const struct sockaddr *)to, tl);
}

/* Fork a server for one lookup; the request bytes come back on req_pipe. */
static void start_server(enum mode mode)
{
	int ready[2];
	char c;

	snprintf(dir, sizeof(dir), "/tmp/check_daemon_map.XXXXXX");
	ck_assert(mkdtemp(dir) != NULL);
	snprintf(srv_path, sizeof(srv_path), "%s/srv", dir);
	snprintf(opt, sizeof(opt), "%s:1:2", srv_path);
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(req_pipe), 0);
	srv_pid = fork();
	ck_assert_int_ge(srv_pid, 0);
	if (srv_pid == 0) {
		unsigned char buf[PDM_MAX_PACKET];
		struct sockaddr_un from;
		socklen_t fl = sizeof(from);
		int fd = bind_dgram(srv_path);
		ssize_t n;
		int other;

		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		n = recvfrom(fd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &fl);
		if (n > 0 && write(req_pipe[1], buf, (size_t)n) != n)
			_exit(1);
		close(req_pipe[1]);
		switch (mode) {
		case ANSWER:
			break;
		case EMPTY:
			reply(fd, &from, fl, "", 0, "", "");
			_exit(0);
		case SILENT:
			sleep(30);
			_exit(0);
		case GARBAGE_FIRST:
			sendto(fd, "\x07\x07\x07\x07junk", 8, 0,
			       (struct sockaddr *)&from, fl);
			sendto(fd, buf, (size_t)n, 0,
			       (struct sockaddr *)&from, fl);
			break;
		case STRANGER_FIRST: {
			char p2[220];

			snprintf(p2, sizeof(p2), "%s/stranger", dir);
			other = bind_dgram(p2);
			reply(other, &from, fl, "evil", 4, "evil.example", "1");
			close(other);
			unlink(p2);
			break;
		}
		case NUL_ANSWER:
			reply(fd, &from, fl, "car\0ol", 6, "h.example", "143");
			_exit(0);
		case SECOND_TRY:
			fl = sizeof(from);
			n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);
			break;
		}
		reply(fd, &from, fl, "carol", 5, "h.example", "143");
		_exit(0);
	}
	close(ready[1]);
	close(req_pipe[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
}

static size_t stop_server(unsigned char *req, size_t size)
{
	ssize_t n = read(req_pipe[0], req, size);

	close(req_pipe[0]);
	kill(srv_pid, SIGKILL);
	waitpid(srv_pid, NULL, 0);
	unlink(srv_path);
	rmdir(dir);
	return n > 0 ? (size_t)n : 0;
}

static struct sockaddr_storage ss_peer, ss_local;

static void set_v4(struct sockaddr_storage *ss, const char *a, unsigned port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, a, &in->sin_addr);
}

static void set_v6(struct sockaddr_storage *ss, const char *a, unsigned port)
{
	struct sockaddr_in6 *in = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	in->sin6_family = AF_INET6;
	in->sin6_port = htons((uint16_t)port);
	inet_pton(AF_INET6, a, &in->sin6_addr);
}

static int lookup(const char *key, char **u, char **s, char **p)
{
	ck_assert_int_eq(dbserver_init(opt), 0);
	return dbserver_get2(key, opt, u, s, p);
}

static void hex_is(const unsigned char *b, size_t n, const char *want)
{
	char got[1024];

	ck_assert_uint_lt(n * 2, sizeof(got));
	for (size_t i = 0; i < n; i++)
		snprintf(got + 2 * i, 3, "%02x", b[i]);
	got[2 * n] = '\0';
	ck_assert_str_eq(got, want);
}

/* No private directory of ours is left in /tmp. */
static void no_leftovers(void)
{
	char mine[64];
	DIR *d = opendir("/tmp");
	struct dirent *e;

	snprintf(mine, sizeof(mine), "map.%ld", (long)getpid());
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		char p[600];

		if (strncmp(e->d_name, "perdition-map-", 14) != 0)
			continue;
		snprintf(p, sizeof(p), "/tmp/%s/%s", e->d_name, mine);
		ck_assert_msg(access(p, F_OK) != 0, "%s left behind", p);
	}
	closedir(d);
}

START_TEST(test_v4_request_as_v22)
{
	unsigned char req[PDM_MAX_PACKET];
	char *u, *s, *p;
	size_t n;

	/* The addresses of the 2.2 capture: 127.0.0.1:47844->:23999. */
	set_v4(&ss_peer, "127.0.0.1", 47844);
	set_v4(&ss_local, "127.0.0.1", 23999);
	peername = &ss_peer;
	sockname = &ss_local;
	start_server(ANSWER);
	ck_assert_int_eq(lookup("bob@x", &u, &s, &p), 0);
	n = stop_server(req, sizeof(req));
	hex_is(req, n, v22_req);
	ck_assert_str_eq(u, "carol");
	ck_assert_str_eq(s, "h.example");
	ck_assert_str_eq(p, "143");
	free(u);
	free(s);
	free(p);
	no_leftovers();
}
END_TEST

START_TEST(test_v6_request_as_v22)
{
	unsigned char req[PDM_MAX_PACKET];
	char *u, *s, *p;
	size_t n;

	set_v6(&ss_peer, "::1", 50764);
	set_v6(&ss_local, "::1", 45255);
	peername = &ss_peer;
	sockname = &ss_local;
	start_server(ANSWER);
	ck_assert_int_eq(lookup("bob@x", &u, &s, &p), 0);
	n = stop_server(req, sizeof(req));
	hex_is(req, n, v22_str_req);
	free(u);
	free(s);
	free(p);
}
END_TEST

START_TEST(test_no_addresses)
{
	unsigned char req[PDM_MAX_PACKET];
	struct pdm_packet q;
	char *u, *s, *p;
	size_t n;

	peername = NULL;
	sockname = NULL;
	start_server(ANSWER);
	ck_assert_int_eq(lookup("k", &u, &s, &p), 0);
	n = stop_server(req, sizeof(req));
	ck_assert_int_eq(pdm_decode(req, n, &q, NULL), 0);
	ck_assert_uint_eq(q.flags, PDM_REQ);
	ck_assert_uint_eq(q.saddr, 0);
	ck_assert_uint_eq(q.dport, 0);
	free(u);
	free(s);
	free(p);
}
END_TEST

START_TEST(test_delimiter_option)
{
	unsigned char req[PDM_MAX_PACKET];
	struct pdm_packet q;
	char *u, *s, *p;
	size_t n;

	peername = sockname = NULL;
	start_server(ANSWER);
	snprintf(opt + strlen(opt), sizeof(opt) - strlen(opt), ":%%%%");
	ck_assert_int_eq(lookup("a%%b", &u, &s, &p), 0);
	n = stop_server(req, sizeof(req));
	ck_assert_int_eq(pdm_decode(req, n, &q, NULL), 0);
	str_is(&q.str[1], "%%");
	free(u);
	free(s);
	free(p);
}
END_TEST

START_TEST(test_not_found)
{
	unsigned char req[64];
	char *u, *s, *p;

	peername = sockname = NULL;
	start_server(EMPTY);
	ck_assert_int_eq(lookup("nobody", &u, &s, &p), -2);
	ck_assert_ptr_null(u);
	ck_assert_ptr_null(s);
	ck_assert_ptr_null(p);
	stop_server(req, sizeof(req));
}
END_TEST

START_TEST(test_ignores_garbage_and_strangers)
{
	unsigned char req[PDM_MAX_PACKET];
	char *u, *s, *p;

	peername = sockname = NULL;
	start_server(_i == 0 ? GARBAGE_FIRST : STRANGER_FIRST);
	ck_assert_int_eq(lookup("k", &u, &s, &p), 0);
	stop_server(req, sizeof(req));
	ck_assert_str_eq(u, "carol");
	ck_assert_str_eq(s, "h.example");
	free(u);
	free(s);
	free(p);
}
END_TEST

START_TEST(test_nul_in_answer)
{
	unsigned char req[PDM_MAX_PACKET];
	char *u, *s, *p;

	peername = sockname = NULL;
	start_server(NUL_ANSWER);
	ck_assert_int_eq(lookup("k", &u, &s, &p), -1);
	ck_assert_ptr_null(u);
	stop_server(req, sizeof(req));
}
END_TEST

START_TEST(test_retry_after_timeout)
{
	unsigned char req[PDM_MAX_PACKET];
	char *u, *s, *p;

	peername = sockname = NULL;
	start_server(SECOND_TRY);
	ck_assert_int_eq(lookup("k", &u, &s, &p), 0);
	stop_server(req, sizeof(req));
	ck_assert_str_eq(p, "143");
	free(u);
	free(s);
	free(p);
}
END_TEST

START_TEST(test_silent_server_times_out)
{
	unsigned char req[PDM_MAX_PACKET];
	char *u, *s, *p;
	time_t t0 = time(NULL);

	peername = sockname = NULL;
	start_server(SILENT);
	/* timeout 1 s, 2 tries: about 2 s, never much more. */
	ck_assert_int_eq(lookup("k", &u, &s, &p), -1);
	ck_assert_int_le(time(NULL) - t0, 4);
	stop_server(req, sizeof(req));
	no_leftovers();
}
END_TEST

START_TEST(test_no_server)
{
	char *u, *s, *p;
	char *o = strdup("/nonexistent/perdition.db:1:1");

	peername = sockname = NULL;
	ck_assert_int_eq(dbserver_init(o), 0);
	ck_assert_int_eq(dbserver_get2("k", o, &u, &s, &p), -1);
	free(o);
	no_leftovers();
}
END_TEST

START_TEST(test_huge_key)
{
	char *key = malloc(70001);
	char *u, *s, *p;
	char *o = strdup("/nonexistent/perdition.db:1:1");

	memset(key, 'k', 70000);
	key[70000] = '\0';
	peername = sockname = NULL;
	ck_assert_int_eq(dbserver_init(o), 0);
	ck_assert_int_eq(dbserver_get2(key, o, &u, &s, &p), -1);
	free(key);
	free(o);
}
END_TEST

static Suite *daemon_map_suite(void)
{
	Suite *s = suite_create("daemon_map");
	TCase *tc = tcase_create("codec");

	tcase_add_loop_test(tc, test_round_trip, 0, 3);
	tcase_add_test(tc, test_decode_v22_packets);
	tcase_add_loop_test(tc, test_decode_garbage, 0,
			    (int)(sizeof(garbage) / sizeof(garbage[0])));
	tcase_add_test(tc, test_decode_null_and_huge);
	tcase_add_test(tc, test_decode_fuzz);
	tcase_add_test(tc, test_encode_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("options");
	tcase_add_loop_test(tc, test_init_options, 0,
			    (int)(sizeof(init_cases) / sizeof(init_cases[0])));
	tcase_add_test(tc, test_init_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("library");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_v4_request_as_v22);
	tcase_add_test(tc, test_v6_request_as_v22);
	tcase_add_test(tc, test_no_addresses);
	tcase_add_test(tc, test_delimiter_option);
	tcase_add_test(tc, test_not_found);
	tcase_add_loop_test(tc, test_ignores_garbage_and_strangers, 0, 2);
	tcase_add_test(tc, test_nul_in_answer);
	tcase_add_test(tc, test_retry_after_timeout);
	tcase_add_test(tc, test_silent_server_times_out);
	tcase_add_test(tc, test_no_server);
	tcase_add_test(tc, test_huge_key);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(daemon_map_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
