/*
 * check_sasl_plain.c: unit tests of the shared SASL PLAIN decoder and
 * encoder: strict base64, the three fields, every refusal, the bounds,
 * and garbage.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sasl_plain.h"

#define L(s) s, sizeof(s) - 1

struct bcase {
	const char *in;
	long want_len; /* -1: invalid */
	const char *want;
	size_t want_n;
};

static const struct bcase bcases[] = {
	{ "", 0, "", 0 },
	{ "AGJvYgBwdw==", 7, L("\0bob\0pw") },
	{ "YQ==", 1, L("a") },
	{ "YWI=", 2, L("ab") },
	{ "YWJj", 3, L("abc") },
	{ "YWJjZA==", 4, L("abcd") },
	{ "+/+/", 3, L("\xfb\xff\xbf") },
	{ "AGJvYgBwdw", -1, NULL, 0 },
	{ "AGJv YgBwdw==", -1, NULL, 0 },
	{ "AGJvYgBwdw==\n", -1, NULL, 0 },
	{ "=AAA", -1, NULL, 0 },
	{ "A=AA", -1, NULL, 0 },
	{ "AA=A", -1, NULL, 0 },
	{ "AA==AAAA", -1, NULL, 0 },
	{ "A===", -1, NULL, 0 },
	{ "!!!!", -1, NULL, 0 },
	{ "!!!", -1, NULL, 0 },
	{ "YW-j", -1, NULL, 0 },
	{ "YW_j", -1, NULL, 0 },
};

START_TEST(test_base64)
{
	const struct bcase *t = &bcases[_i];
	unsigned char out[64];
	char enc[96];
	long n = sasl_base64_decode(t->in, strlen(t->in), out, sizeof(out));

	ck_assert_int_eq(n, t->want_len);
	if (n >= 0) {
		ck_assert(memcmp(out, t->want, t->want_n) == 0);
		sasl_base64_encode(out, (size_t)n, enc, sizeof(enc));
		ck_assert_str_eq(enc, t->in);
	}
}
END_TEST

START_TEST(test_base64_bounds)
{
	unsigned char out[2];
	char enc[9];

	/* Output too small is an error, never an overflow. */
	ck_assert_int_eq(sasl_base64_decode("YWJj", 4, out, sizeof(out)), -1);
	ck_assert_int_eq(sasl_base64_decode("YWI=", 4, out, sizeof(out)), 2);
	ck_assert_uint_eq(sasl_base64_encode((const unsigned char *)"abcdef",
					      6, enc, 8), 0);
	ck_assert_str_eq(enc, "");
	ck_assert_uint_eq(sasl_base64_encode((const unsigned char *)"abcde",
					      5, enc, sizeof(enc)), 8);
	ck_assert_str_eq(enc, "YWJjZGU=");
}
END_TEST


struct pcase {
	const char *plain; /* encoded before the call */
	size_t len;
	bool allow_empty;
	enum sasl_plain_result want;
	const char *authz, *authc, *passwd;
};

static const struct pcase pcases[] = {
	{ L("\0bob\0pw"), false, SASL_PLAIN_OK, NULL, "bob", "pw" },
	{ L("admin\0bob\0good pass"), false, SASL_PLAIN_OK, "admin", "bob", "good pass" },
	{ L("\0bob\0"), true, SASL_PLAIN_OK, NULL, "bob", "" },
	{ L("\0bob\0"), false, SASL_PLAIN_EMPTY_PASSWD, NULL, NULL, NULL },
	{ "", 0, false, SASL_PLAIN_EMPTY, NULL, NULL, NULL },
	{ L("bob"), false, SASL_PLAIN_NO_AUTHCID, NULL, NULL, NULL },
	{ L("\0\0pw"), false, SASL_PLAIN_EMPTY_AUTHCID, NULL, NULL, NULL },
	{ L("a\0"), false, SASL_PLAIN_EMPTY_AUTHCID, NULL, NULL, NULL },
	{ L("a\0bob"), false, SASL_PLAIN_NO_PASSWD, NULL, NULL, NULL },
	{ L("\0bob\0pw\0x"), false, SASL_PLAIN_TRAILING, NULL, NULL, NULL },
	{ L("\0bob\0\0"), true, SASL_PLAIN_TRAILING, NULL, NULL, NULL },
	{ L("\0\0"), true, SASL_PLAIN_EMPTY_AUTHCID, NULL, NULL, NULL },
	{ L("\0"), true, SASL_PLAIN_EMPTY_AUTHCID, NULL, NULL, NULL },
};

START_TEST(test_plain)
{
	const struct pcase *t = &pcases[_i];
	char b64[128];
	struct sasl_plain p;

	sasl_base64_encode((const unsigned char *)t->plain, t->len, b64,
			   sizeof(b64));
	ck_assert_int_eq(sasl_plain_decode(b64, strlen(b64), t->allow_empty, &p),
			 t->want);
	if (t->want != SASL_PLAIN_OK) {
		ck_assert_ptr_null(p.authz);
		ck_assert_ptr_null(p.authc);
		ck_assert_ptr_null(p.passwd);
		ck_assert_ptr_nonnull(sasl_plain_result_text(t->want));
		return;
	}
	if (t->authz == NULL)
		ck_assert_ptr_null(p.authz);
	else
		ck_assert_str_eq(p.authz, t->authz);
	ck_assert_str_eq(p.authc, t->authc);
	ck_assert_str_eq(p.passwd, t->passwd);
	sasl_plain_free(&p);
	ck_assert_ptr_null(p.passwd);
}
END_TEST

START_TEST(test_plain_bad_base64)
{
	static const char *const bad[] = {
		"!!!", "AGJvYgBwdw", "AGJv YgBwdw==", " AGJvYgBwdw==",
		"AGJvYgBwdw==\r", "AG=vYgBwdw==", "AGJvYgBwdw=A", "=",
	};
	struct sasl_plain p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(sasl_plain_decode(bad[i], strlen(bad[i]), true, &p),
				 SASL_PLAIN_BAD_BASE64);
	/* A NUL in the base64 itself. */
	ck_assert_int_eq(sasl_plain_decode(L("AG\0v"), true, &p),
			 SASL_PLAIN_BAD_BASE64);
	ck_assert_ptr_null(p.authc);
}
END_TEST

/* A message with fields of the given sizes, encoded. */
static char *message(size_t zl, size_t ul, size_t pl, size_t *len_r)
{
	char *z = malloc(zl + 1), *u = malloc(ul + 1), *p = malloc(pl + 1);
	char *b64;

	memset(z, 'z', zl);
	z[zl] = '\0';
	memset(u, 'u', ul);
	u[ul] = '\0';
	memset(p, 'p', pl);
	p[pl] = '\0';
	b64 = sasl_plain_encode(z, u, p, len_r);
	free(z);
	free(u);
	free(p);
	return b64;
}

START_TEST(test_plain_bounds)
{
	const size_t max = SASL_PLAIN_FIELD_MAX;
	static const size_t sizes[][4] = {
		/* authz, authc, passwd, OK? */
		{ 4096, 4096, 4096, 1 }, { 4097, 1, 1, 0 }, { 0, 4097, 1, 0 },
		{ 0, 1, 4097, 0 }, { 0, 1, 9000, 0 },
	};
	struct sasl_plain p;

	ck_assert_uint_eq(max, 4096);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t len;
		char *b64 = message(sizes[i][0], sizes[i][1], sizes[i][2], &len);
		enum sasl_plain_result r = sasl_plain_decode(b64, len, false, &p);

		ck_assert_int_eq(r, sizes[i][3] ? SASL_PLAIN_OK : SASL_PLAIN_TOO_LONG);
		if (r == SASL_PLAIN_OK) {
			ck_assert_uint_eq(strlen(p.authz), sizes[i][0]);
			ck_assert_uint_eq(strlen(p.authc), sizes[i][1]);
			ck_assert_uint_eq(strlen(p.passwd), sizes[i][2]);
			sasl_plain_free(&p);
		}
		free(b64);
	}
}
END_TEST

START_TEST(test_encode)
{
	size_t len;
	char *b64 = sasl_plain_encode(NULL, "bob", "pw", &len);

	ck_assert_str_eq(b64, "AGJvYgBwdw==");
	ck_assert_uint_eq(len, 12);
	free(b64);
	b64 = sasl_plain_encode("admin", "bob", "good pass", &len);
	ck_assert_str_eq(b64, "YWRtaW4AYm9iAGdvb2QgcGFzcw==");
	free(b64);
}
END_TEST

/* Random bytes and random base64 never crash, and a success always has
 * a non-empty authentication id and bounded fields. */
START_TEST(test_garbage)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
	char buf[256];
	struct sasl_plain p;

	srandom(14);
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)random() % sizeof(buf);
		bool b64 = round & 1;

		for (size_t i = 0; i < len; i++)
			buf[i] = b64 ? alphabet[random() % 65] : (char)random();
		if (sasl_plain_decode(buf, len, round & 2, &p) == SASL_PLAIN_OK) {
			ck_assert(p.authc[0] != '\0');
			ck_assert(strlen(p.passwd) <= SASL_PLAIN_FIELD_MAX);
			sasl_plain_free(&p);
		}
	}
}
END_TEST

static Suite *sasl_suite(void)
{
	Suite *s = suite_create("sasl_plain");
	TCase *tc = tcase_create("sasl_plain");

	tcase_add_loop_test(tc, test_base64, 0, sizeof(bcases) / sizeof(bcases[0]));
	tcase_add_test(tc, test_base64_bounds);
	tcase_add_loop_test(tc, test_plain, 0, sizeof(pcases) / sizeof(pcases[0]));
	tcase_add_test(tc, test_plain_bad_base64);
	tcase_add_test(tc, test_plain_bounds);
	tcase_add_test(tc, test_encode);
	tcase_add_test(tc, test_garbage);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sasl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
