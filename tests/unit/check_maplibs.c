/*
 * check_maplibs.c: unit tests for the posix_regex, cdb and bdb map
 * libraries, dlopen()ed from the build tree and called through the ABI of
 * perditiondb.h, with maps made by tinycdb's "cdb -c" and our makebdb.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef int (*get_fn)(const char *, const char *, char **, size_t *);
typedef int (*init_fn)(char *);
typedef int (*fini_fn)(void);

struct maplib {
	const char *name;
	char path[1024];
	void *h;
	get_fn get;
	init_fn init;
	fini_fn fini;
};

static struct maplib re_lib = { .name = "posix_regex" };
static struct maplib cdb_lib = { .name = "cdb" };
static struct maplib bdb_lib = { .name = "bdb" };

static char tmpdir[] = "/tmp/check_maplibs.XXXXXX";
static char makebdb[1024];
static char cdb_db[256], bdb_db[256];

/* The 10 000-byte key that every library must survive. */
static char huge_key[10001];

/* ---------------------------------------------------------------- helpers */

static void *sym(void *h, const char *name)
{
	void *p = dlsym(h, name);

	return p;
}

/* POSIX lets a dlsym() result hold a function's address. */
#define FN(type, h, name) ((type)(uintptr_t)sym((h), (name)))

static void load(struct maplib *m)
{
	const char *b = getenv("top_builddir");

	snprintf(m->path, sizeof(m->path),
		 "%s/perditiondb/.libs/libperditiondb_%s.so.0",
		 b != NULL ? b : ".", m->name);
	m->h = dlopen(m->path, RTLD_NOW | RTLD_LOCAL);
	if (m->h == NULL) {
		fprintf(stderr, "dlopen %s: %s\n", m->path, dlerror());
		return;
	}
	m->get = FN(get_fn, m->h, "dbserver_get");
	m->init = FN(init_fn, m->h, "dbserver_init");
	m->fini = FN(fini_fn, m->h, "dbserver_fini");
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "cannot write %s", path);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static size_t read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f != NULL, "cannot read %s", path);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

/*
 * Look key up through m; returns the library's code and, when it found
 * something, the value (NUL-terminated here) in a static buffer.
 */
static int lookup(struct maplib *m, const char *key, const char *opt,
		  const char **val_r)
{
	static char val[70000];
	char *s = NULL;
	size_t len = (size_t)-1;
	int rc;

	rc = m->get(key, opt, &s, &len);
	*val_r = NULL;
	if (rc == 0) {
		ck_assert_ptr_nonnull(s);
		/* The whole size_t is set (2.2's cdb wrote an int). */
		ck_assert_uint_lt(len, sizeof(val));
		memcpy(val, s, len);
		val[len] = '\0';
		free(s);
		*val_r = val;
	}
	return rc;
}

static void run(const char *cmd)
{
	ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

/* ---------------------------------------------------------------- posix_regex */

struct re_case {
	const char *map;   /* popmap.re */
	const char *key;
	int rc;
	const char *want;  /* when rc == 0 */
};

static const struct re_case re_cases[] = {
	/* SPEC 13.121 */
	{ "(.*)@(.*): $1_$2@localhost\n", "user@x.y", 0, "user_x.y@localhost" },
	/* the colon after the expression is optional */
	{ "^bob$ bob@h2\n", "bob", 0, "bob@h2" },
	{ "^bob$:\tbob@h2:110\n", "bob", 0, "bob@h2:110" },
	/* text before the match kept, text after it dropped */
	{ "b+: X\n", "aabbbcc", 0, "aaX" },
	/* first match wins */
	{ "^a: first\n^a.*: second\n", "abc", 0, "first" },
	{ "^z: first\n^a.*: second\n", "abc", 0, "second" },
	{ "^z: h\n", "abc", -2, NULL },
	{ "^Bob$: h\n", "bob", -2, NULL },
	/* $0 is the whole match */
	{ "[0-9]+: n$0\n", "ab12cd", 0, "abn12" },
	/* '$' at the end, before a non-digit, past the subexpressions */
	{ "^(a): h$\n", "a", 0, "h$" },
	{ "^(a): $x$1\n", "a", 0, "$xa" },
	{ "^(a): h$5\n", "a", 0, "h$5" },
	{ "^a: $1$9\n", "a", 0, "$1$9" },
	{ "^(a): $$1\n", "a", 0, "$a" },
	/* a subexpression that took no part gives nothing */
	{ "^(a)|(b): [$2]\n", "a", 0, "[]" },
	/* $10 is $1 followed by 0 */
	{ "^(a)(b)?: $10\n", "a", 0, "a0" },
	/* config-file grammar: comments, blanks, quotes, escapes */
	{ "# comment\n\n  \"^a b$\": 'u@h'  # trailing\n", "a b", 0, "u@h" },
	{ "^a\\\\.b$: dot\n", "a.b", 0, "dot" },
	{ "^a\\\\.b$: dot\n", "axb", -2, NULL },
	{ "^a\\\n.b$: joined\n", "axb", 0, "joined" },
	{ "", "abc", -2, NULL },
	{ "# only a comment\n", "abc", -2, NULL },
	/* bytes a client may send reach the result unchanged */
	{ "^(.*)$: $1@h\n", "\x01\x7f\xff", 0, "\x01\x7f\xff@h" },
	{ "^(.*)$: $1@h\n", "", 0, "@h" },
	/* an empty result is "not found" */
	{ "^a$: \"\"\n", "a", -2, NULL },
	/* CRLF files */
	{ "^(a)$: $1@h\r\n^b: x\r\n", "a", 0, "a@h" },
};

static void re_write(const char *map, char *path, size_t pathlen)
{
	snprintf(path, pathlen, "%s/popmap.re", tmpdir);
	write_file(path, map, strlen(map));
}

START_TEST(test_re_cases)
{
	const struct re_case *c = &re_cases[_i];
	char path[300];
	const char *v;

	ck_assert_ptr_nonnull(re_lib.get);
	re_write(c->map, path, sizeof(path));
	ck_assert_int_eq(re_lib.init(path), 0);
	ck_assert_int_eq(lookup(&re_lib, c->key, path, &v), c->rc);
	if (c->rc == 0)
		ck_assert_str_eq(v, c->want);
	ck_assert_int_eq(re_lib.fini(), 0);
}
END_TEST

struct re_bad {
	const char *map;
	const char *msg;  /* expected in the error on stderr */
};

static const struct re_bad re_bad_cases[] = {
	{ "^a: h\n^b: h\n(abc: h\n", "line 3" },
	{ "^a: h\n[z-a]: h\n", "line 2" },
	{ "^abc$\n", "line 1: no substitution" },
	{ "^a: h\n\"^abc: h\n", "line 2" },
	{ "^a: h\n^b:\0 h\n", "NUL" },
	{ "a{99999}: h\n", "line 1" },
};

/* Send stderr to a file for the rest of this (forked) test. */
static void capture_stderr(char *path, size_t pathlen)
{
	snprintf(path, pathlen, "%s/stderr.%ld", tmpdir, (long)getpid());
	ck_assert_ptr_nonnull(freopen(path, "w", stderr));
}

START_TEST(test_re_bad)
{
	const struct re_bad *c = &re_bad_cases[_i];
	size_t len = strlen(c->map);
	char path[300], errpath[300], err[4096];
	const char *v;

	/* The NUL case: count to the real end of the literal. */
	if (strstr(c->msg, "NUL") != NULL)
		len += 1 + strlen(c->map + len + 1);
	snprintf(path, sizeof(path), "%s/bad.re", tmpdir);
	write_file(path, c->map, len);
	capture_stderr(errpath, sizeof(errpath));
	ck_assert_int_ne(re_lib.init(path), 0);
	fflush(stderr);
	read_file(errpath, err, sizeof(err));
	ck_assert_msg(strstr(err, path) != NULL, "no file name in: %s", err);
	ck_assert_msg(strstr(err, c->msg) != NULL, "no \"%s\" in: %s", c->msg,
		      err);
	/* A failed init leaves nothing half loaded. */
	ck_assert_int_eq(lookup(&re_lib, "a", path, &v), -1);
	ck_assert_int_eq(re_lib.fini(), 0);
}
END_TEST

START_TEST(test_re_missing_and_unreadable)
{
	char path[300], errpath[300], err[4096];

	capture_stderr(errpath, sizeof(errpath));
	snprintf(path, sizeof(path), "%s/nonexistent.re", tmpdir);
	ck_assert_int_ne(re_lib.init(path), 0);
	/* A directory opens but cannot be read. */
	ck_assert_int_ne(re_lib.init(tmpdir), 0);
	fflush(stderr);
	read_file(errpath, err, sizeof(err));
	ck_assert_msg(strstr(err, "could not open") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "nonexistent.re") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "could not read") != NULL, "%s", err);
}
END_TEST

START_TEST(test_re_long_line)
{
	size_t n = 10000;
	char *map = malloc(n + 8);
	char path[300], errpath[300];

	memset(map, 'a', n);
	memcpy(map + n, ": h\n", 5);
	snprintf(path, sizeof(path), "%s/long.re", tmpdir);
	write_file(path, map, strlen(map));
	capture_stderr(errpath, sizeof(errpath));
	ck_assert_int_ne(re_lib.init(path), 0);
	free(map);
}
END_TEST

START_TEST(test_re_garbage_file)
{
	char buf[8192], path[300], errpath[300];
	const char *v;
	unsigned seed = 12345u + (unsigned)_i;

	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (char)((seed >> 16) | 1); /* never a NUL */
	}
	snprintf(path, sizeof(path), "%s/garbage.re", tmpdir);
	write_file(path, buf, sizeof(buf));
	capture_stderr(errpath, sizeof(errpath));
	/* Whatever init makes of it, lookups must stay safe. */
	if (re_lib.init(path) == 0) {
		int rc = lookup(&re_lib, "bob@example.com", NULL, &v);

		ck_assert(rc == 0 || rc == -2);
	}
	ck_assert_int_eq(re_lib.fini(), 0);
}
END_TEST

START_TEST(test_re_huge_key)
{
	char path[300];
	const char *v;

	re_write("^(.*)@(.*)$: $1_$2@h\n.*: h\n", path, sizeof(path));
	ck_assert_int_eq(re_lib.init(path), 0);
	ck_assert_int_eq(lookup(&re_lib, huge_key, NULL, &v), -2);
	ck_assert_int_eq(re_lib.fini(), 0);
}
END_TEST

START_TEST(test_re_result_too_long)
{
	char map[5000], key[200], path[300], errpath[300];
	const char *v;
	size_t o = 0;

	o += (size_t)snprintf(map, sizeof(map), "^.*$: ");
	while (o + 3 < 4000) {
		map[o++] = '$';
		map[o++] = '0';
	}
	map[o++] = '\n';
	map[o] = '\0';
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	re_write(map, path, sizeof(path));
	capture_stderr(errpath, sizeof(errpath));
	ck_assert_int_eq(re_lib.init(path), 0);
	ck_assert_int_eq(lookup(&re_lib, key, NULL, &v), -3);
	/* A short key still fits. */
	ck_assert_int_eq(lookup(&re_lib, "k", NULL, &v), 0);
	ck_assert_int_eq(re_lib.fini(), 0);
}
END_TEST

START_TEST(test_re_lifecycle)
{
	char path[300];
	const char *v;

	/* Before init and after fini there is no map. */
	ck_assert_int_eq(lookup(&re_lib, "a", NULL, &v), -1);
	re_write("^a$: one\n", path, sizeof(path));
	ck_assert_int_eq(re_lib.init(path), 0);
	ck_assert_int_eq(lookup(&re_lib, "a", NULL, &v), 0);
	ck_assert_str_eq(v, "one");
	/* A second init (SIGHUP) reads the file again. */
	re_write("^a$: two\n", path, sizeof(path));
	ck_assert_int_eq(re_lib.init(path), 0);
	ck_assert_int_eq(lookup(&re_lib, "a", NULL, &v), 0);
	ck_assert_str_eq(v, "two");
	ck_assert_int_eq(re_lib.fini(), 0);
	ck_assert_int_eq(re_lib.fini(), 0);
	ck_assert_int_eq(lookup(&re_lib, "a", NULL, &v), -1);
}
END_TEST

START_TEST(test_exports_only_abi)
{
	struct maplib *libs[] = { &re_lib, &cdb_lib, &bdb_lib };
	const char *hidden[] = { "config_tokenize", "xcalloc", "xstrndup",
				 "maplog", "maplog_escape", "maplog_init_error" };

	for (size_t i = 0; i < sizeof(libs) / sizeof(libs[0]); i++) {
		ck_assert_msg(libs[i]->h != NULL, "%s not loaded", libs[i]->path);
		ck_assert_ptr_nonnull(libs[i]->get);
		for (size_t j = 0; j < sizeof(hidden) / sizeof(hidden[0]); j++)
			ck_assert_msg(dlsym(libs[i]->h, hidden[j]) == NULL,
				      "%s exports %s", libs[i]->name,
				      hidden[j]);
	}
	ck_assert_ptr_nonnull(re_lib.init);
	ck_assert_ptr_nonnull(re_lib.fini);
}
END_TEST

/* ---------------------------------------------------------------- cdb, bdb */

struct kv_case {
	const char *key;
	int rc;
	const char *want;
};

/* The same entries are put in both maps (see make_maps). */
static const struct kv_case kv_cases[] = {
	{ "alice", 0, "carol@127.0.0.1:23001" },
	{ "bob", 0, "127.0.0.2" },
	{ "dom.example", 0, "[::1]:110" },
	{ "x@y", 0, "u@v@w" },
	{ "Alice", -2, NULL },
	{ "alic", -2, NULL },
	{ "alice ", -2, NULL },
	{ "", -2, NULL },
	{ "nobody", -2, NULL },
	{ "\x01\xff", -2, NULL },
};

static const char map_text[] =
	"alice:carol@127.0.0.1:23001\n"
	"bob:127.0.0.2\n"
	"dom.example:[::1]:110\n"
	"x@y:u@v@w\n";

/* tinycdb's "+klen,dlen:key->data" records, ended by an empty line. */
static void make_cdb(const char *path, const char *text)
{
	char in[300], cmd[1024];
	FILE *f;
	const char *p = text;

	snprintf(in, sizeof(in), "%s.in", path);
	f = fopen(in, "w");
	ck_assert_ptr_nonnull(f);
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		const char *colon = strchr(p, ':');

		fprintf(f, "+%d,%d:%.*s->%.*s\n", (int)(colon - p),
			(int)(nl - colon - 1), (int)(colon - p), p,
			(int)(nl - colon - 1), colon + 1);
		p = nl + 1;
	}
	fputs("\n", f);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "cdb -c '%s' '%s'", path, in);
	run(cmd);
}

static void make_bdb(const char *path, const char *text)
{
	char cmd[2048];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s' '%s'", makebdb, path);
	p = popen(cmd, "w");
	ck_assert_ptr_nonnull(p);
	fputs(text, p);
	ck_assert_int_eq(pclose(p), 0);
}

static void make_maps(void)
{
	const char *b = getenv("top_builddir");

	snprintf(makebdb, sizeof(makebdb), "%s/makebdb/makebdb",
		 b != NULL ? b : ".");
	snprintf(cdb_db, sizeof(cdb_db), "%s/popmap.cdb", tmpdir);
	snprintf(bdb_db, sizeof(bdb_db), "%s/popmap.bdb.db", tmpdir);
}

static void check_kv(struct maplib *m, const char *db, const struct kv_case *c)
{
	const char *v;

	ck_assert_msg(m->get != NULL, "%s not loaded", m->path);
	ck_assert_int_eq(lookup(m, c->key, db, &v), c->rc);
	if (c->rc == 0)
		ck_assert_str_eq(v, c->want);
}

START_TEST(test_cdb_cases)
{
	make_cdb(cdb_db, map_text);
	check_kv(&cdb_lib, cdb_db, &kv_cases[_i]);
}
END_TEST

START_TEST(test_bdb_cases)
{
	make_bdb(bdb_db, map_text);
	check_kv(&bdb_lib, bdb_db, &kv_cases[_i]);
}
END_TEST

/* A long key, and a value that is the whole of a long line. */
static void check_long(struct maplib *m, const char *db)
{
	static char text[12000];
	char key[5000];
	const char *v;

	memset(key, 'k', 4000);
	key[4000] = '\0';
	snprintf(text, sizeof(text), "%s:%s\nshort:h\n", key, "host:1");
	(m == &cdb_lib ? make_cdb : make_bdb)(db, text);
	ck_assert_int_eq(lookup(m, key, db, &v), 0);
	ck_assert_str_eq(v, "host:1");
	ck_assert_int_eq(lookup(m, huge_key, db, &v), -2);
	ck_assert_int_eq(lookup(m, "short", db, &v), 0);
	ck_assert_str_eq(v, "h");
}

START_TEST(test_cdb_long)
{
	check_long(&cdb_lib, cdb_db);
}
END_TEST

START_TEST(test_bdb_long)
{
	check_long(&bdb_lib, bdb_db);
}
END_TEST

/* Damaged files: each variant must give an error or a miss, no crash. */
enum damage {
	DMG_MISSING,
	DMG_EMPTY,
	DMG_GARBAGE,
	DMG_TRUNCATED,
	DMG_DIRECTORY,
	DMG_FLIPPED,   /* bytes all over a valid file overwritten (makebdb's
			* page checksums let Berkeley DB notice) */
	DMG_COUNT
};

static void damage(const char *good, const char *path, int how, unsigned seed)
{
	static char buf[1 << 20];
	size_t n = 0;

	unlink(path);
	rmdir(path);
	if (how == DMG_MISSING)
		return;
	if (how == DMG_DIRECTORY) {
		ck_assert_int_eq(mkdir(path, 0700), 0);
		return;
	}
	if (how != DMG_EMPTY && how != DMG_GARBAGE)
		n = read_file(good, buf, sizeof(buf));
	if (how == DMG_GARBAGE) {
		n = 8192;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (char)(seed >> 16);
		}
	} else if (how == DMG_TRUNCATED) {
		n = n / 2 + seed % 64;
	} else if (how == DMG_FLIPPED) {
		for (size_t i = seed % 37; i < n; i += 53) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (char)(seed >> 16);
		}
	}
	write_file(path, buf, n);
}

static void check_damaged(struct maplib *m, const char *good, int how)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/damaged.%d", tmpdir, how);
	for (unsigned seed = 1; seed <= 8; seed++) {
		damage(good, path, how, seed);
		for (size_t i = 0; i < sizeof(kv_cases) / sizeof(kv_cases[0]); i++) {
			const char *v;
			int rc = lookup(m, kv_cases[i].key, path, &v);

			/* A flipped byte may leave an entry readable. */
			if (how == DMG_FLIPPED && rc == 0)
				continue;
			ck_assert_msg(rc == -1 || rc == -2 || rc == -3,
				      "%s damage %d key %zu: rc %d",
				      m->name, how, i, rc);
			/* No file is an empty map (2.2 logs nothing); a
			 * file we cannot use is an error. */
			if (how == DMG_MISSING)
				ck_assert_int_eq(rc, -2);
			if (how == DMG_EMPTY || how == DMG_DIRECTORY)
				ck_assert_int_eq(rc, -1);
		}
		if (how == DMG_MISSING || how == DMG_EMPTY ||
		    how == DMG_DIRECTORY)
			break;
	}
}

START_TEST(test_cdb_damaged)
{
	make_cdb(cdb_db, map_text);
	check_damaged(&cdb_lib, cdb_db, _i);
}
END_TEST

START_TEST(test_bdb_damaged)
{
	make_bdb(bdb_db, map_text);
	check_damaged(&bdb_lib, bdb_db, _i);
}
END_TEST

/*
 * A file as perdition 2.2's makebdb wrote it: plain DB_HASH, no page
 * checksums (ours adds them), keys and values without a NUL.
 */
START_TEST(test_bdb_plain)
{
	char path[300], in[300], cmd[1024];
	const char *v;

	snprintf(path, sizeof(path), "%s/plain.db", tmpdir);
	snprintf(in, sizeof(in), "%s/plain.in", tmpdir);
	write_file(in, "alice\ncarol@h1:110\nbob\nh2\n", 26);
	unlink(path);
	snprintf(cmd, sizeof(cmd),
		 "(db5.3_load -T -t hash '%s' || db_load -T -t hash '%s') "
		 "< '%s'", path, path, in);
	run(cmd);
	ck_assert_int_eq(lookup(&bdb_lib, "alice", path, &v), 0);
	ck_assert_str_eq(v, "carol@h1:110");
	ck_assert_int_eq(lookup(&bdb_lib, "bob", path, &v), 0);
	ck_assert_str_eq(v, "h2");
	ck_assert_int_eq(lookup(&bdb_lib, "carol", path, &v), -2);
}
END_TEST

/* Each library refuses the other's format. */
START_TEST(test_wrong_format)
{
	const char *v;

	make_cdb(cdb_db, map_text);
	make_bdb(bdb_db, map_text);
	ck_assert_int_eq(lookup(&bdb_lib, "alice", cdb_db, &v), -1);
	ck_assert_int_ne(lookup(&cdb_lib, "alice", bdb_db, &v), 0);
}
END_TEST

/* cdb -c keeps the first of two equal keys reachable; ours reads it. */
START_TEST(test_cdb_rebuilt)
{
	const char *v;

	make_cdb(cdb_db, "alice:one\n");
	ck_assert_int_eq(lookup(&cdb_lib, "alice", cdb_db, &v), 0);
	ck_assert_str_eq(v, "one");
	make_cdb(cdb_db, "alice:two\n");
	ck_assert_int_eq(lookup(&cdb_lib, "alice", cdb_db, &v), 0);
	ck_assert_str_eq(v, "two");
}
END_TEST

/* The stored key has no trailing NUL, as 2.2's makebdb wrote it. */
START_TEST(test_bdb_format)
{
	char cmd[1024], out[4096];

	make_bdb(bdb_db, "alice:h1\n");
	snprintf(cmd, sizeof(cmd),
		 "db5.3_dump -p '%s' > '%s/dump' 2>/dev/null || "
		 "db_dump -p '%s' > '%s/dump'", bdb_db, tmpdir, bdb_db, tmpdir);
	run(cmd);
	snprintf(cmd, sizeof(cmd), "%s/dump", tmpdir);
	read_file(cmd, out, sizeof(out));
	ck_assert_msg(strstr(out, "type=hash") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "\n alice\n h1\n") != NULL, "%s", out);
}
END_TEST

/* A library configure left out (--disable-cdb...) has no tests. */
static bool built(const struct maplib *m)
{
	if (access(m->path, F_OK) == 0)
		return true;
	printf("# %s not built: its tests are skipped\n", m->path);
	return false;
}

static Suite *maplibs_suite(void)
{
	Suite *s = suite_create("maplibs");
	TCase *tc;

	if (built(&re_lib) && built(&cdb_lib) && built(&bdb_lib)) {
		tc = tcase_create("abi");
		tcase_add_test(tc, test_exports_only_abi);
		suite_add_tcase(s, tc);
	}

	if (!built(&re_lib))
		goto cdb;
	tc = tcase_create("posix_regex");
	tcase_add_loop_test(tc, test_re_cases, 0,
			    (int)(sizeof(re_cases) / sizeof(re_cases[0])));
	tcase_add_loop_test(tc, test_re_bad, 0,
			    (int)(sizeof(re_bad_cases) / sizeof(re_bad_cases[0])));
	tcase_add_test(tc, test_re_missing_and_unreadable);
	tcase_add_test(tc, test_re_long_line);
	tcase_add_loop_test(tc, test_re_garbage_file, 0, 8);
	tcase_add_test(tc, test_re_huge_key);
	tcase_add_test(tc, test_re_result_too_long);
	tcase_add_test(tc, test_re_lifecycle);
	suite_add_tcase(s, tc);

cdb:
	if (!built(&cdb_lib))
		goto bdb;
	tc = tcase_create("cdb");
	tcase_add_loop_test(tc, test_cdb_cases, 0,
			    (int)(sizeof(kv_cases) / sizeof(kv_cases[0])));
	tcase_add_test(tc, test_cdb_long);
	tcase_add_loop_test(tc, test_cdb_damaged, 0, DMG_COUNT);
	tcase_add_test(tc, test_cdb_rebuilt);
	suite_add_tcase(s, tc);

bdb:
	if (!built(&bdb_lib))
		return s;
	tc = tcase_create("bdb");
	tcase_add_loop_test(tc, test_bdb_cases, 0,
			    (int)(sizeof(kv_cases) / sizeof(kv_cases[0])));
	tcase_add_test(tc, test_bdb_long);
	tcase_add_loop_test(tc, test_bdb_damaged, 0, DMG_COUNT);
	tcase_add_test(tc, test_bdb_format);
	tcase_add_test(tc, test_bdb_plain);
	tcase_add_test(tc, test_wrong_format);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	char cmd[300];
	int failed;

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	memset(huge_key, 'a', sizeof(huge_key) - 1);
	huge_key[5000] = '@';
	load(&re_lib);
	load(&cdb_lib);
	load(&bdb_lib);
	make_maps();

	sr = srunner_create(maplibs_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		failed++;
	return failed == 0 ? 0 : 1;
}
