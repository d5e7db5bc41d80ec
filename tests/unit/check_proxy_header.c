/*
 * check_proxy_header.c: unit tests for the PROXY protocol header parser
 * (proxy_header.c) and its reader (proxy_read.c).
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proxy_header.h"
#include "proxy_read.h"

static const unsigned char sig[12] = "\r\n\r\n\0\r\nQUIT\n";

/* A v2 header: ver_cmd, fam, body of n bytes into out; its length. */
static size_t v2(unsigned char *out, unsigned cmd, unsigned fam, const void *body, size_t n)
{
	memcpy(out, sig, 12);
	out[12] = (unsigned char)(0x20 | cmd);
	out[13] = (unsigned char)fam;
	out[14] = (unsigned char)(n >> 8);
	out[15] = (unsigned char)n;
	memcpy(out + 16, body, n);
	return 16 + n;
}

static int parse_str(const char *s, struct proxy_header *h, const char **why)
{
	return proxy_header_parse((const unsigned char *)s, strlen(s), h, why);
}

static const char *addr_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void *a = ss->ss_family == AF_INET
			? (const void *)&((const struct sockaddr_in *)ss)->sin_addr
			: (const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr;

	return inet_ntop(ss->ss_family, a, buf, (socklen_t)len);
}

static unsigned port_of(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET ? ((const struct sockaddr_in *)ss)->sin_port
					      : ((const struct sockaddr_in6 *)ss)->sin6_port);
}

START_TEST(test_v1_valid)
{
	struct proxy_header h;
	const char *why = NULL;
	char b[64];

	ck_assert_int_eq(parse_str("PROXY TCP4 192.0.2.1 198.51.100.2 56324 143\r\n", &h, &why), 0);
	ck_assert_int_eq(h.version, 1);
	ck_assert(!h.local);
	ck_assert_str_eq(addr_str(&h.src, b, sizeof(b)), "192.0.2.1");
	ck_assert_uint_eq(port_of(&h.src), 56324);
	ck_assert_str_eq(addr_str(&h.dst, b, sizeof(b)), "198.51.100.2");
	ck_assert_uint_eq(port_of(&h.dst), 143);

	ck_assert_int_eq(parse_str("PROXY TCP6 2001:db8::1 ::1 0 65535\r\n", &h, &why), 0);
	ck_assert_int_eq(h.src.ss_family, AF_INET6);
	ck_assert_str_eq(addr_str(&h.src, b, sizeof(b)), "2001:db8::1");
	ck_assert_str_eq(addr_str(&h.dst, b, sizeof(b)), "::1");
	ck_assert_uint_eq(port_of(&h.src), 0);
	ck_assert_uint_eq(port_of(&h.dst), 65535);

	ck_assert_int_eq(parse_str("PROXY UNKNOWN\r\n", &h, &why), 0);
	ck_assert(h.local);
	ck_assert_int_eq(parse_str("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n", &h, &why), 0);
	ck_assert(h.local);
}
END_TEST

static const char *const v1_bad[] = {
	"PROXY TCP4 192.0.2.1 198.51.100.2 56324 143\n",     /* no CR */
	"PROXY TCP4 192.0.2.1 198.51.100.2 56324 143",       /* no CRLF */
	"PROXY TCP4 192.0.2.1 198.51.100.2 56324\r\n",       /* field missing */
	"PROXY TCP4 192.0.2.1 198.51.100.2 56324 143 1\r\n", /* field too many */
	"PROXY TCP4 192.0.2.1  198.51.100.2 56324 143\r\n",  /* two blanks */
	"PROXY TCP4 192.0.2.1 198.51.100.2 56324 143 \r\n",  /* trailing blank */
	"PROXY TCP4 2001:db8::1 198.51.100.2 1 2\r\n",       /* v6 in TCP4 */
	"PROXY TCP6 192.0.2.1 ::1 1 2\r\n",                  /* v4 in TCP6 */
	"PROXY TCP4 192.0.2.256 198.51.100.2 1 2\r\n",
	"PROXY TCP4 192.0.2.1 198.51.100.2 65536 2\r\n",
	"PROXY TCP4 192.0.2.1 198.51.100.2 -1 2\r\n",
	"PROXY TCP4 192.0.2.1 198.51.100.2 123456 2\r\n",
	"PROXY TCP4 192.0.2.1 198.51.100.2 1x 2\r\n",
	"PROXY UDP4 192.0.2.1 198.51.100.2 1 2\r\n",
	"PROXY UNKNOWNX\r\n",
	"PROXY \r\n",
	"PROXY\r\n",
	"PROX",
	"proxy TCP4 192.0.2.1 198.51.100.2 1 2\r\n",
	"PROXY TCP4 192.0.2.1\t198.51.100.2 1 2\r\n",
	"PROXY TCP4 192.0.2.1 198.51.100.2 1 2\r\r\n",
	"USER bob\r\n",
	"",
};

START_TEST(test_v1_bad)
{
	struct proxy_header h;
	const char *why = NULL;

	ck_assert_int_eq(parse_str(v1_bad[_i], &h, &why), -1);
	ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(test_v1_nul_and_long)
{
	struct proxy_header h;
	const char *why = NULL;
	static const unsigned char nul[] = "PROXY TCP4 1.2.3.4\0 5.6.7.8 1 2\r\n";
	char long_line[200];

	ck_assert_int_eq(proxy_header_parse(nul, sizeof(nul) - 1, &h, &why), -1);
	/* 108 bytes: one over the bound, however well formed. */
	memset(long_line, 0, sizeof(long_line));
	strcpy(long_line, "PROXY UNKNOWN ");
	memset(long_line + 14, 'x', 108 - 14 - 2);
	strcpy(long_line + 106, "\r\n");
	ck_assert_uint_eq(strlen(long_line), 108);
	ck_assert_int_eq(parse_str(long_line, &h, &why), -1);
	ck_assert_str_eq(why, "v1 header too long");
	long_line[105] = '\0';
	strcat(long_line, "\r\n");
	ck_assert_uint_eq(strlen(long_line), 107);
	ck_assert_int_eq(parse_str(long_line, &h, &why), 0);
}
END_TEST

START_TEST(test_v2_valid)
{
	unsigned char buf[256], body[64];
	struct proxy_header h;
	const char *why = NULL;
	char b[64];
	size_t n;

	/* INET, STREAM, with two TLVs after the addresses. */
	memcpy(body, "\xc0\x00\x02\x01\xc6\x33\x64\x02\xdc\x04\x00\x8f", 12);
	memcpy(body + 12, "\x04\x00\x02" "ab" "\x20\x00\x00", 8);
	n = v2(buf, 1, 0x11, body, 20);
	ck_assert_int_eq(proxy_header_version(buf, n), 2);
	ck_assert_int_eq(proxy_header_v2_total(buf, &why), (long)n);
	ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), 0);
	ck_assert_int_eq(h.version, 2);
	ck_assert(!h.local);
	ck_assert_str_eq(addr_str(&h.src, b, sizeof(b)), "192.0.2.1");
	ck_assert_str_eq(addr_str(&h.dst, b, sizeof(b)), "198.51.100.2");
	ck_assert_uint_eq(port_of(&h.src), 56324);
	ck_assert_uint_eq(port_of(&h.dst), 143);

	/* INET6. */
	memset(body, 0, 36);
	body[0] = 0x20, body[1] = 0x01, body[15] = 1; /* 2001::1 */
	body[31] = 1;                                 /* ::1 */
	body[33] = 7, body[35] = 9;
	n = v2(buf, 1, 0x21, body, 36);
	ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), 0);
	ck_assert_str_eq(addr_str(&h.src, b, sizeof(b)), "2001::1");
	ck_assert_str_eq(addr_str(&h.dst, b, sizeof(b)), "::1");
	ck_assert_uint_eq(port_of(&h.src), 7);
	ck_assert_uint_eq(port_of(&h.dst), 9);

	/* LOCAL (a health check), whatever its body; UNSPEC; UNIX. */
	n = v2(buf, 0, 0x00, "", 0);
	ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), 0);
	ck_assert(h.local);
	n = v2(buf, 0, 0x11, "garbage", 7);
	ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), 0);
	ck_assert(h.local);
	n = v2(buf, 1, 0x00, "", 0);
	ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), 0);
	ck_assert(h.local);
	memset(body, 0, sizeof(body));
	{
		unsigned char unix_body[216] = { 0 };

		n = v2(buf, 1, 0x31, unix_body, sizeof(unix_body));
		ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), 0);
		ck_assert(h.local);
	}
}
END_TEST

START_TEST(test_v2_bad)
{
	unsigned char buf[PROXY_HEADER_MAX + 64], body[64];
	struct proxy_header h;
	const char *why = NULL;
	size_t n;

	memcpy(body, "\xc0\x00\x02\x01\xc6\x33\x64\x02\xdc\x04\x00\x8f", 12);
	n = v2(buf, 1, 0x11, body, 12);
	/* Every truncation, at every length short of the whole. */
	for (size_t k = 0; k < n; k++) {
		why = NULL;
		ck_assert_int_eq(proxy_header_parse(buf, k, &h, &why), -1);
		ck_assert_ptr_nonnull(why);
	}
	/* Wrong version, command, family, transport. */
	buf[12] = 0x11;
	ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), -1);
	buf[12] = 0x22;
	ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), -1);
	buf[12] = 0x21;
	buf[13] = 0x41;
	ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), -1);
	buf[13] = 0x12;
	ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), -1);
	buf[13] = 0x11;
	ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), 0);
	/* Address block longer than the body: INET6 in 12 bytes. */
	buf[13] = 0x21;
	ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), -1);
	/* A TLV running past the end. */
	memcpy(body + 12, "\x04\x00\x05" "ab", 5);
	n = v2(buf, 1, 0x11, body, 17);
	ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), -1);
	ck_assert_str_eq(why, "v2 header: malformed TLV");
	n = v2(buf, 1, 0x11, body, 14);
	ck_assert_int_eq(proxy_header_parse(buf, n, &h, &why), -1);
	/* Announcing more than the bound, and a length that is not len. */
	n = v2(buf, 0, 0x00, "", 0);
	buf[14] = 0x08, buf[15] = 0x01; /* 2049 */
	ck_assert_int_eq(proxy_header_v2_total(buf, &why), -1);
	ck_assert_str_eq(why, "v2 header too long");
	buf[14] = 0x08, buf[15] = 0x00; /* 2048: fine */
	ck_assert_int_eq(proxy_header_v2_total(buf, &why), PROXY_HEADER_MAX);
	memset(buf + 16, 0, 2048);
	ck_assert_int_eq(proxy_header_parse(buf, PROXY_HEADER_MAX, &h, &why), 0);
	ck_assert_int_eq(proxy_header_parse(buf, PROXY_HEADER_MAX - 1, &h, &why), -1);
	/* A broken signature. */
	buf[6] = 'X';
	ck_assert_int_eq(proxy_header_parse(buf, PROXY_HEADER_MAX, &h, &why), -1);
}
END_TEST

/* Garbage of every length never crashes and always says why. */
START_TEST(test_garbage)
{
	unsigned char buf[600];
	struct proxy_header h;
	unsigned seed = 12345;

	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(rand_r(&seed) % (int)sizeof(buf));
		const char *why = NULL;

		for (size_t i = 0; i < n; i++)
			buf[i] = (unsigned char)rand_r(&seed);
		/* Half of them start with a signature, to get further in. */
		if (round % 4 == 1 && n >= 16)
			memcpy(buf, sig, 12);
		else if (round % 4 == 2 && n >= 6)
			memcpy(buf, "PROXY ", 6);
		if (proxy_header_parse(buf, n, &h, &why) < 0)
			ck_assert_ptr_nonnull(why);
	}
}
END_TEST

/* ----------------------------------------------------------- the reader */

static int sp[2];

static void reader_setup(void)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
}

static void reader_teardown(void)
{
	close(sp[0]);
	close(sp[1]);
}

static void send_all(const void *p, size_t n)
{
	ck_assert_int_eq(write(sp[1], p, n), (ssize_t)n);
}

/* After the header, the next byte read is the client's first. */
static void assert_next(const char *want)
{
	char got[64] = { 0 };

	ck_assert_int_eq(read(sp[0], got, strlen(want)), (ssize_t)strlen(want));
	ck_assert_str_eq(got, want);
}

START_TEST(test_read_v1_exact)
{
	struct proxy_header h;
	const char *why = NULL;
	static const char in[] = "PROXY TCP4 192.0.2.1 198.51.100.2 56324 143\r\nA1 LOGIN\r\n";

	send_all(in, sizeof(in) - 1);
	ck_assert_int_eq(proxy_read_header(sp[0], 2000, &h, &why), 0);
	ck_assert(!h.local);
	assert_next("A1 LOGIN\r\n");
}
END_TEST

START_TEST(test_read_v2_exact)
{
	unsigned char buf[128];
	struct proxy_header h;
	const char *why = NULL;
	size_t n = v2(buf, 1, 0x11, "\x7f\x00\x00\x02\x7f\x00\x00\x01\x01\x02\x00\x8f", 12);

	memcpy(buf + n, "USER x\r\n", 8);
	send_all(buf, n + 8);
	ck_assert_int_eq(proxy_read_header(sp[0], 2000, &h, &why), 0);
	ck_assert_uint_eq(port_of(&h.src), 0x0102);
	assert_next("USER x\r\n");
}
END_TEST

START_TEST(test_read_bad)
{
	struct proxy_header h;
	const char *why = NULL;
	char line[300];
	time_t t0;

	/* Not a header: refused at the first byte. */
	send_all("USER bob\r\n", 10);
	ck_assert_int_eq(proxy_read_header(sp[0], 2000, &h, &why), -1);
	ck_assert_str_eq(why, "not a PROXY header");
	assert_next("SER bob\r\n");

	/* Over-long: stops reading at 107 bytes. */
	memset(line, 'x', sizeof(line));
	memcpy(line, "PROXY UNKNOWN ", 14);
	send_all(line, sizeof(line));
	ck_assert_int_eq(proxy_read_header(sp[0], 2000, &h, &why), -1);
	ck_assert_str_eq(why, "v1 header too long");
	ck_assert_int_eq(read(sp[0], line, sizeof(line)), (ssize_t)(sizeof(line) - PROXY_V1_MAX));

	/* Slow: a deadline, not a wait for ever. */
	send_all("PROXY TCP4", 10);
	t0 = time(NULL);
	ck_assert_int_eq(proxy_read_header(sp[0], 300, &h, &why), -1);
	ck_assert_str_eq(why, "timeout");
	ck_assert_int_le(time(NULL) - t0, 2);

	/* Truncated: the peer went away. */
	shutdown(sp[1], SHUT_WR);
	ck_assert_int_eq(proxy_read_header(sp[0], 2000, &h, &why), -1);
	ck_assert_str_eq(why, "truncated (connection closed)");
}
END_TEST

START_TEST(test_read_v2_too_long)
{
	unsigned char buf[16];
	struct proxy_header h;
	const char *why = NULL;

	v2(buf, 1, 0x11, "", 0);
	buf[14] = 0xff, buf[15] = 0xff;
	send_all(buf, 16);
	send_all("after", 5);
	ck_assert_int_eq(proxy_read_header(sp[0], 2000, &h, &why), -1);
	ck_assert_str_eq(why, "v2 header too long");
	assert_next("after");
}
END_TEST

static Suite *proxy_header_suite(void)
{
	Suite *s = suite_create("proxy_header");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_v1_valid);
	tcase_add_loop_test(tc, test_v1_bad, 0, (int)(sizeof(v1_bad) / sizeof(v1_bad[0])));
	tcase_add_test(tc, test_v1_nul_and_long);
	tcase_add_test(tc, test_v2_valid);
	tcase_add_test(tc, test_v2_bad);
	tcase_add_test(tc, test_garbage);
	suite_add_tcase(s, tc);

	tc = tcase_create("read");
	tcase_add_checked_fixture(tc, reader_setup, reader_teardown);
	tcase_add_test(tc, test_read_v1_exact);
	tcase_add_test(tc, test_read_v2_exact);
	tcase_add_test(tc, test_read_bad);
	tcase_add_test(tc, test_read_v2_too_long);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(proxy_header_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
