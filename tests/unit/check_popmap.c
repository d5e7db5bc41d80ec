/*
 * check_popmap.c: unit tests for the map-library loader, query_key
 * expansion and lookups (popmap.c), with small plugins compiled here and
 * the real gdbm map library fed by our makegdbm.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "popmap.h"

static char tmpdir[] = "/tmp/check_popmap.XXXXXX";
static char nosym_so[256], get_so[256], get2_so[256], badinit_so[256];
static char gdbm_so[1024], gdbm_db[256], makegdbm[1024];

static struct sockaddr_storage peer4, local4, peer6;

/* ---------------------------------------------------------------- plugins */

static const char nosym_src[] = "int not_a_map(void) { return 0; }\n";

/* dbserver_get: "b" found, "a" not found, "e" error; the value of key
 * "opt" is the opt string, so the test sees what was passed. */
static const char get_src[] =
	"#include <stdlib.h>\n"
	"#include <string.h>\n"
	"static char saved[256] = \"none\";\n"
	"int dbserver_init(char *o) { if (o) { strncpy(saved, o, 255); } return 0; }\n"
	"int dbserver_get(const char *k, const char *o, char **s, size_t *l) {\n"
	"  const char *v;\n"
	"  (void)o;\n"
	"  if (!strcmp(k, \"e\")) return -1;\n"
	"  if (!strcmp(k, \"e3\")) return -3;\n"
	"  if (!strcmp(k, \"opt\")) v = saved;\n"
	"  else if (!strcmp(k, \"b\")) v = \"user@host.example:110JUNK\";\n"
	"  else if (!strcmp(k, \"empty\")) v = \"\";\n"
	"  else if (!strncmp(k, \"echo:\", 5)) v = k + 5;\n"
	"  else return -2;\n"
	"  *s = malloc(strlen(v) + 1); memcpy(*s, v, strlen(v) + 1);\n"
	"  *l = strcmp(k, \"b\") ? strlen(v) : strlen(v) - 4;\n"
	"  return 0;\n"
	"}\n";

static const char get2_src[] =
	"#include <stdlib.h>\n"
	"#include <string.h>\n"
	"static char *d(const char *s) { return s ? strdup(s) : NULL; }\n"
	"int dbserver_get2(const char *k, const char *o, char **u, char **s, char **p) {\n"
	"  (void)o; *u = *s = *p = NULL;\n"
	"  if (!strcmp(k, \"full\")) { *u = d(\"carol\"); *s = d(\"h.example\"); *p = d(\"143\"); }\n"
	"  else if (!strcmp(k, \"host\")) { *s = d(\"h.example\"); }\n"
	"  else if (!strcmp(k, \"v6\")) { *s = d(\"::1\"); *p = d(\"110\"); }\n"
	"  else if (!strcmp(k, \"empty\")) { *u = d(\"\"); *s = d(\"\"); }\n"
	"  else if (!strcmp(k, \"list\")) { *u = d(\"carol\"); *s = d(\"h1,::1,h3:9\"); *p = d(\"143\"); }\n"
	"  else if (!strcmp(k, \"err\")) return -3;\n"
	"  else return -2;\n"
	"  return 0;\n"
	"}\n";

static const char badinit_src[] =
	"#include <stddef.h>\n"
	"int dbserver_init(char *o) { (void)o; return 1; }\n"
	"int dbserver_get(const char *k, const char *o, char **s, size_t *l)\n"
	"{ (void)k; (void)o; (void)s; (void)l; return -2; }\n";

static void build_so(const char *name, const char *src, char *out, size_t outlen)
{
	char cpath[300], cmd[1024];
	FILE *f;

	snprintf(cpath, sizeof(cpath), "%s/%s.c", tmpdir, name);
	snprintf(out, outlen, "%s/%s.so", tmpdir, name);
	f = fopen(cpath, "w");
	if (f == NULL || fputs(src, f) == EOF || fclose(f) != 0) {
		perror(cpath);
		exit(1);
	}
	snprintf(cmd, sizeof(cmd), "${CC:-cc} -shared -fPIC -o '%s' '%s'", out, cpath);
	if (system(cmd) != 0) {
		fprintf(stderr, "could not build %s\n", out);
		exit(1);
	}
}

static void make_gdbm_db(void)
{
	const char *b = getenv("top_builddir");
	char cmd[2048];
	FILE *p;

	if (b == NULL)
		b = ".";
	snprintf(gdbm_so, sizeof(gdbm_so),
		 "%s/perditiondb/.libs/libperditiondb_gdbm.so.0", b);
	snprintf(makegdbm, sizeof(makegdbm), "%s/makegdbm/makegdbm", b);
	snprintf(gdbm_db, sizeof(gdbm_db), "%s/popmap.gdbm.db", tmpdir);
	snprintf(cmd, sizeof(cmd), "'%s' '%s'", makegdbm, gdbm_db);
	p = popen(cmd, "w");
	if (p == NULL) {
		perror("popen");
		exit(1);
	}
	fputs("alice:carol@127.0.0.1:23001\n"
	      "\n"
	      "bob:127.0.0.2\n"
	      "dom.example:[::1]:110\n"
	      "x@y:u@v@w\n", p);
	if (pclose(p) != 0) {
		fprintf(stderr, "%s failed\n", makegdbm);
		exit(1);
	}
}

static void set_addrs(void)
{
	struct sockaddr_in *a;
	struct sockaddr_in6 *b;

	a = (struct sockaddr_in *)&peer4;
	a->sin_family = AF_INET;
	a->sin_port = htons(4321);
	inet_pton(AF_INET, "192.0.2.1", &a->sin_addr);
	a = (struct sockaddr_in *)&local4;
	a->sin_family = AF_INET;
	a->sin_port = htons(110);
	inet_pton(AF_INET, "198.51.100.2", &a->sin_addr);
	b = (struct sockaddr_in6 *)&peer6;
	b->sin6_family = AF_INET6;
	b->sin6_port = htons(65535);
	inet_pton(AF_INET6, "2001:db8::7", &b->sin6_addr);
}

/* ---------------------------------------------------------------- expand */

struct expand_case {
	const char *fmt;
	const char *user;
	const char *delim;
	int addrs; /* 0: none, 1: v4 peer+local, 2: v6 peer, v4 local */
	const char *want; /* NULL: abandoned */
};

static const struct expand_case expand_cases[] = {
	{ "\\U", "bob@example.com", "@", 0, "bob@example.com" },
	{ "\\u", "bob@example.com", "@", 0, "bob" },
	{ "\\u", "a@b@c", "@", 0, "a@b" },
	{ "\\d", "a@b@c", "@", 0, "c" },
	{ "\\u", "bob", "@", 0, "bob" },
	{ "\\d", "bob", "@", 0, "" },
	{ "\\D", "bob", "@", 0, "@" },
	{ "\\u\\D\\d", "bob@example.com", "@", 0, "bob@example.com" },
	{ "\\u\\D\\d", "bob%%ex", "%%", 0, "bob%%ex" },
	{ "\\d", "a%%%b", "%%", 0, "b" },
	{ "\\\\", "bob", "@", 0, "\\" },
	{ "x\\\\u", "bob", "@", 0, "x\\u" },
	{ "plain", "bob", "@", 0, "plain" },
	{ "", "bob", "@", 0, "" },
	{ "\\i:\\p->\\I:\\P", "bob", "@", 1, "192.0.2.1:4321->198.51.100.2:110" },
	{ "\\i \\p", "bob", "@", 2, "2001:db8::7 65535" },
	{ "\\i\\I\\p\\P", "bob", "@", 0, "" }, /* no addresses known */
	{ "\\U@\\i", "bob", "@", 1, "bob@192.0.2.1" },
	{ "\\D", "bob", "", 0, "" },
	{ "\\u|\\d", "b@c", NULL, 0, "b@c|" },
	/* Unknown escapes and a trailing backslash abandon the lookup. */
	{ "\\q", "bob", "@", 0, NULL },
	{ "\\u\\", "bob", "@", 0, NULL },
	{ "\\", "bob", "@", 0, NULL },
	{ "ok\\x", "bob", "@", 1, NULL },
	{ "\\\x01", "bob", "@", 0, NULL },
	{ "\\n", "bob", "@", 0, NULL },
};

START_TEST(test_expand)
{
	const struct expand_case *c = &expand_cases[_i];
	const struct sockaddr_storage *p = NULL, *l = NULL;
	char *r;

	if (c->addrs == 1) {
		p = &peer4;
		l = &local4;
	} else if (c->addrs == 2) {
		p = &peer6;
		l = &local4;
	}
	r = popmap_expand_key(c->fmt, c->user, c->delim, p, l);
	if (c->want == NULL) {
		ck_assert_ptr_null(r);
	} else {
		ck_assert_ptr_nonnull(r);
		ck_assert_str_eq(r, c->want);
	}
	free(r);
}
END_TEST

START_TEST(test_expand_huge)
{
	size_t n = 10000;
	char *u = malloc(n + 1), *r;

	memset(u, 'x', n);
	u[n] = '\0';
	/* Over MAX_CRED_LENGTH: refused, not truncated. */
	ck_assert_ptr_null(popmap_expand_key("\\U", u, "@", NULL, NULL));
	ck_assert_ptr_null(popmap_expand_key("\\u\\u", u + n - 3000, "@", NULL, NULL));
	r = popmap_expand_key("\\u", u + n - 3000, "@", NULL, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(strlen(r), 3000);
	free(r);
	/* A format of 10 000 backslash pairs. */
	{
		char *f = malloc(2 * n + 1);

		for (size_t i = 0; i < 2 * n; i++)
			f[i] = '\\';
		f[2 * n] = '\0';
		ck_assert_ptr_null(popmap_expand_key(f, "bob", "@", NULL, NULL));
		f[2 * 2000] = '\0';
		r = popmap_expand_key(f, "bob", "@", NULL, NULL);
		ck_assert_ptr_nonnull(r);
		ck_assert_uint_eq(strlen(r), 2000);
		free(r);
		free(f);
	}
	free(u);
}
END_TEST

/* ---------------------------------------------------------------- load */

START_TEST(test_load_none)
{
	char *r = (char *)1;

	ck_assert_int_eq(popmap_load(NULL, NULL), 0);
	ck_assert(!popmap_loaded());
	ck_assert_int_eq(popmap_load("", "x"), 0);
	ck_assert(!popmap_loaded());
	ck_assert_int_eq(popmap_lookup(NULL, "bob", "@", NULL, NULL, &r), -2);
	ck_assert_ptr_null(r);
	popmap_unload();
}
END_TEST

START_TEST(test_load_missing)
{
	ck_assert_int_eq(popmap_load("/nonexistent/libnothing.so", NULL), -1);
	ck_assert(!popmap_loaded());
}
END_TEST

START_TEST(test_load_nosym)
{
	ck_assert_int_eq(popmap_load(nosym_so, NULL), -1);
	ck_assert(!popmap_loaded());
}
END_TEST

START_TEST(test_load_badinit)
{
	ck_assert_int_eq(popmap_load(badinit_so, "whatever"), -1);
	ck_assert(!popmap_loaded());
}
END_TEST

START_TEST(test_load_not_a_library)
{
	ck_assert_int_eq(popmap_load(gdbm_db, NULL), -1);
	ck_assert(!popmap_loaded());
}
END_TEST

/* ---------------------------------------------------------------- lookup */

static void expect(const char *qk, const char *user, int rc, const char *want)
{
	char *r = NULL;

	ck_assert_int_eq(popmap_lookup(qk, user, "@", &peer4, &local4, &r), rc);
	if (want == NULL) {
		ck_assert_ptr_null(r);
	} else {
		ck_assert_ptr_nonnull(r);
		ck_assert_str_eq(r, want);
	}
	free(r);
}

START_TEST(test_get)
{
	ck_assert_int_eq(popmap_load(get_so, "the-opt"), 0);
	ck_assert(popmap_loaded());
	/* The result is exactly len bytes, NUL-terminated by us. */
	expect(NULL, "b", 0, "user@host.example:110");
	expect("", "b", 0, "user@host.example:110");
	expect(NULL, "a", -2, NULL);
	expect(NULL, "empty", -2, NULL);
	expect(NULL, "opt", 0, "the-opt");
	/* -2 tries the next format; the first found wins. */
	expect("a,b", "zzz", 0, "user@host.example:110");
	expect("\\u,b", "a@x", 0, "user@host.example:110");
	expect("x,y,z", "bob", -2, NULL);
	expect("a,,b", "bob", 0, "user@host.example:110");
	/* Any other negative value stops with an error. */
	expect("e,b", "bob", -1, NULL);
	expect("e3,b", "bob", -1, NULL);
	/* An unknown escape abandons the lookup: not found, later
	 * formats not tried. */
	expect("\\q,b", "bob", -2, NULL);
	expect("a,\\", "bob", -2, NULL);
	expect("echo:\\u\\D\\d", "bob@dom", 0, "echo:bob@dom" + 5);
	expect("echo:\\i:\\p", "bob", 0, "192.0.2.1:4321");
	popmap_unload();
	ck_assert(!popmap_loaded());
}
END_TEST

START_TEST(test_get_huge_key)
{
	size_t n = 10000;
	char *u = malloc(n + 1);

	memset(u, 'k', n);
	u[n] = '\0';
	ck_assert_int_eq(popmap_load(get_so, NULL), 0);
	expect(NULL, u, -1, NULL);
	expect("\\u", u, -1, NULL);
	expect("a,b", u, 0, "user@host.example:110");
	expect(NULL, "opt", 0, "none");
	popmap_unload();
	free(u);
}
END_TEST

START_TEST(test_get2)
{
	ck_assert_int_eq(popmap_load(get2_so, NULL), 0);
	expect(NULL, "full", 0, "carol@h.example:143");
	expect(NULL, "host", 0, "h.example");
	expect(NULL, "v6", 0, "[::1]:110");
	/* A failover list: the port goes to each host without one. */
	expect(NULL, "list", 0, "carol@h1:143,[::1]:143,h3:9");
	expect(NULL, "empty", -2, NULL);
	expect(NULL, "nobody", -2, NULL);
	expect("nobody,full", "x", 0, "carol@h.example:143");
	expect("err,full", "x", -1, NULL);
	popmap_unload();
}
END_TEST

START_TEST(test_get2_delim)
{
	char *r = NULL;

	ck_assert_int_eq(popmap_load(get2_so, NULL), 0);
	ck_assert_int_eq(popmap_lookup(NULL, "full", "%%", NULL, NULL, &r), 0);
	ck_assert_str_eq(r, "carol%%h.example:143");
	free(r);
	popmap_unload();
}
END_TEST

START_TEST(test_reload)
{
	ck_assert_int_eq(popmap_load(get_so, "first"), 0);
	expect(NULL, "opt", 0, "first");
	ck_assert_int_eq(popmap_reload(), 0);
	ck_assert(popmap_loaded());
	expect(NULL, "opt", 0, "first");
	/* Loading again replaces the library and its options. */
	ck_assert_int_eq(popmap_load(get2_so, NULL), 0);
	expect(NULL, "full", 0, "carol@h.example:143");
	ck_assert_int_eq(popmap_reload(), 0);
	expect(NULL, "full", 0, "carol@h.example:143");
	popmap_unload();
	/* Reloading a library that fails keeps failing cleanly. */
	ck_assert_int_eq(popmap_load(badinit_so, NULL), -1);
	ck_assert_int_eq(popmap_reload(), -1);
	ck_assert(!popmap_loaded());
}
END_TEST

/* Point the symlink link at target (NULL: at nothing). */
static void relink(const char *link, const char *target)
{
	unlink(link);
	if (target != NULL)
		ck_assert_int_eq(symlink(target, link), 0);
}

/* A reload whose library fails to load keeps the one loaded before
 * (D-18); a good new file behind the same path is picked up. */
START_TEST(test_reload_keeps_old)
{
	char link[300];

	snprintf(link, sizeof(link), "%s/libmap.so", tmpdir);
	relink(link, get_so);
	ck_assert_int_eq(popmap_load(link, "first"), 0);
	relink(link, gdbm_db); /* not a library */
	ck_assert_int_eq(popmap_reload(), -1);
	ck_assert(popmap_loaded());
	expect(NULL, "opt", 0, "first");
	relink(link, NULL);
	ck_assert_int_eq(popmap_reload(), -1);
	expect(NULL, "b", 0, "user@host.example:110");
	relink(link, badinit_so);
	ck_assert_int_eq(popmap_reload(), -1);
	expect(NULL, "opt", 0, "first");
	relink(link, get2_so);
	ck_assert_int_eq(popmap_reload(), 0);
	expect(NULL, "full", 0, "carol@h.example:143");
	relink(link, nosym_so);
	ck_assert_int_eq(popmap_reload(), -1);
	expect(NULL, "full", 0, "carol@h.example:143");
	popmap_unload();
	ck_assert(!popmap_loaded());
	unlink(link);
}
END_TEST

/* ---------------------------------------------------------------- gdbm */

START_TEST(test_gdbm)
{
	ck_assert_int_eq(access(gdbm_so, R_OK), 0);
	ck_assert_int_eq(popmap_load(gdbm_so, gdbm_db), 0);
	expect(NULL, "alice", 0, "carol@127.0.0.1:23001");
	expect(NULL, "bob", 0, "127.0.0.2");
	expect(NULL, "x@y", 0, "u@v@w");
	expect(NULL, "carol", -2, NULL);
	expect(NULL, "", -2, NULL);
	/* Keys are stored without a NUL: a prefix or suffix misses. */
	expect(NULL, "alic", -2, NULL);
	expect(NULL, "alicex", -2, NULL);
	expect("\\U,\\u", "alice@example.com", 0, "carol@127.0.0.1:23001");
	expect("\\d", "someone@dom.example", 0, "[::1]:110");
	expect("\\q,\\u", "alice@example.com", -2, NULL);
	popmap_unload();
}
END_TEST

START_TEST(test_gdbm_garbage)
{
	size_t n = 10000;
	char *u = malloc(n + 1);

	for (size_t i = 0; i < n; i++)
		u[i] = (char)(1 + i % 255);
	u[n] = '\0';
	ck_assert_int_eq(popmap_load(gdbm_so, gdbm_db), 0);
	expect(NULL, u, -1, NULL);
	u[4000] = '\0';
	expect(NULL, u, -2, NULL);
	expect(NULL, "\r\n\x7f\xff", -2, NULL);
	popmap_unload();
	free(u);
}
END_TEST

START_TEST(test_gdbm_missing_db)
{
	char path[300];
	FILE *f;

	/* No file: not found, as an empty map (2.2 logs nothing then). */
	snprintf(path, sizeof(path), "%s/no-such.db", tmpdir);
	ck_assert_int_eq(popmap_load(gdbm_so, path), 0);
	expect(NULL, "alice", -2, NULL);
	popmap_unload();
	/* A file that is not a GDBM map is an error. */
	snprintf(path, sizeof(path), "%s/not-gdbm.db", tmpdir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("this is no gdbm file, this is garbage\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(popmap_load(gdbm_so, path), 0);
	expect(NULL, "alice", -1, NULL);
	popmap_unload();
}
END_TEST

START_TEST(test_gdbm_rebuilt)
{
	char cmd[2048], db[300];
	FILE *p;

	/* Opened per lookup: a rebuilt map is seen without a reload. */
	snprintf(db, sizeof(db), "%s/rebuilt.db", tmpdir);
	snprintf(cmd, sizeof(cmd), "'%s' '%s'", makegdbm, db);
	p = popen(cmd, "w");
	fputs("k:one\n", p);
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_int_eq(popmap_load(gdbm_so, db), 0);
	expect(NULL, "k", 0, "one");
	p = popen(cmd, "w");
	fputs("k:two\n", p);
	ck_assert_int_eq(pclose(p), 0);
	expect(NULL, "k", 0, "two");
	/* Bad input leaves the old map in place. */
	p = popen(cmd, "w");
	fputs("k:three\nbad line\n", p);
	ck_assert_int_ne(pclose(p), 0);
	expect(NULL, "k", 0, "two");
	popmap_unload();
}
END_TEST

static Suite *popmap_suite(void)
{
	Suite *s = suite_create("popmap");
	TCase *tc;

	tc = tcase_create("expand");
	tcase_add_loop_test(tc, test_expand, 0,
			    (int)(sizeof(expand_cases) / sizeof(expand_cases[0])));
	tcase_add_test(tc, test_expand_huge);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_test(tc, test_load_none);
	tcase_add_test(tc, test_load_missing);
	tcase_add_test(tc, test_load_nosym);
	tcase_add_test(tc, test_load_badinit);
	tcase_add_test(tc, test_load_not_a_library);
	suite_add_tcase(s, tc);

	tc = tcase_create("lookup");
	tcase_add_test(tc, test_get);
	tcase_add_test(tc, test_get_huge_key);
	tcase_add_test(tc, test_get2);
	tcase_add_test(tc, test_get2_delim);
	tcase_add_test(tc, test_reload);
	tcase_add_test(tc, test_reload_keeps_old);
	suite_add_tcase(s, tc);

	tc = tcase_create("gdbm");
	tcase_add_test(tc, test_gdbm);
	tcase_add_test(tc, test_gdbm_garbage);
	tcase_add_test(tc, test_gdbm_missing_db);
	tcase_add_test(tc, test_gdbm_rebuilt);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	char cmd[300];
	int failed;

	log_init("check_popmap");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	set_addrs();
	build_so("nosym", nosym_src, nosym_so, sizeof(nosym_so));
	build_so("get", get_src, get_so, sizeof(get_so));
	build_so("get2", get2_src, get2_so, sizeof(get2_so));
	build_so("badinit", badinit_src, badinit_so, sizeof(badinit_so));
	make_gdbm_db();

	sr = srunner_create(popmap_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		failed++;
	return failed == 0 ? 0 : 1;
}
