/*
 * check_manpage.c: the man page, --help and the sample perdition.conf
 * must all show every option of OPTION_TABLE, with the same help text,
 * the man pages must render without a warning, and the sample
 * configuration must be valid and give exactly the table's defaults.
 *
 * Needs the built perdition, man/perdition.8 and tools/gen_man_options
 * (make check builds them first); top_builddir and top_srcdir come from
 * the environment that Makefile.am's AM_TESTS_ENVIRONMENT sets.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "options.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Nothing we read should come near this; more means something is wrong. */
#define MAX_OUTPUT (4 * 1024 * 1024)

struct table_opt {
	const char *name;
	int letter;
	int scope;
	const char *arg;
	const char *help;
};

#define TABLE_OPT(kind, name, letter, scope, mask22, arg, def, help) \
	{ #name, letter, scope, arg, help },
static const struct table_opt table[OPTION_COUNT] = {
	OPTION_TABLE(TABLE_OPT)
};
#undef TABLE_OPT

static const char *builddir = ".";
static const char *srcdir = ".";

/* Read in main(), before the forked tests, so each test sees the same. */
static char *man_src;	    /* man/perdition.8 as built */
static char *man_flat;	    /* the same with troff line breaks undone */
static char *help_flat;	    /* perdition --help, blanks squeezed */
static int help_status = -1;
static char *conf_sample;   /* etc/perdition.conf of the source tree */
static char *conf_fresh;    /* gen_man_options --conf now */

/* ----------------------------------------------------------- helpers */

static char *read_stream(FILE *f)
{
	size_t len = 0, cap = 8192;
	char *buf = malloc(cap);

	if (buf == NULL)
		return NULL;
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			char *nb;

			if (cap >= MAX_OUTPUT) {
				free(buf);
				return NULL;
			}
			nb = realloc(buf, cap * 2);
			if (nb == NULL) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	buf[len] = '\0';
	return buf;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s;

	if (f == NULL)
		return NULL;
	s = read_stream(f);
	fclose(f);
	return s;
}

/* Run a shell command; returns its stdout (NULL on failure) and exit
 * status in *status. */
static char *run(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	char *out;
	int st;

	*status = -1;
	if (p == NULL)
		return NULL;
	out = read_stream(p);
	st = pclose(p);
	if (st != -1 && WIFEXITED(st))
		*status = WEXITSTATUS(st);
	return out;
}

static bool have_program(const char *prog)
{
	char cmd[256];
	int st;
	char *out;

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	out = run(cmd, &st);
	free(out);
	return st == 0;
}

/* Squeeze every run of blanks and newlines to one space. */
static char *squeeze(const char *s)
{
	char *r = malloc(strlen(s) + 1), *w = r;
	bool blank = false;

	if (r == NULL)
		return NULL;
	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t') {
			blank = true;
			continue;
		}
		if (blank && w != r)
			*w++ = ' ';
		blank = false;
		*w++ = *s;
	}
	*w = '\0';
	return r;
}

/* Undo the generator's line breaks: "\n\&" continues a filled line. */
static char *unbreak(const char *s)
{
	char *r = malloc(strlen(s) + 1), *w = r;

	if (r == NULL)
		return NULL;
	while (*s != '\0') {
		if (s[0] == '\n' && s[1] == '\\' && s[2] == '&') {
			*w++ = ' ';
			s += 3;
		} else {
			*w++ = *s++;
		}
	}
	*w = '\0';
	return r;
}

/* Text as the generator must have written it for troff. */
static char *troff_escaped(const char *s)
{
	char *r = malloc(3 * strlen(s) + 1), *w = r;

	if (r == NULL)
		return NULL;
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '-') {
			*w++ = '\\';
			*w++ = *s == '\\' ? 'e' : '-';
		} else if (*s == '/') {
			/* A place where a path may break. */
			*w++ = '/';
			*w++ = '\\';
			*w++ = ':';
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
	return r;
}

/* Does hay contain needle followed by one of the bytes of after (or by
 * the end of hay, when after contains "\0" as its first byte)? */
static bool contains_word(const char *hay, const char *needle,
			  const char *after)
{
	size_t n = strlen(needle);

	for (const char *p = strstr(hay, needle); p != NULL;
	     p = strstr(p + 1, needle))
		if (p[n] != '\0' && strchr(after, p[n]) != NULL)
			return true;
	return false;
}

/* ----------------------------------------------- every option, everywhere */

START_TEST(test_option_in_man_page)
{
	const struct table_opt *o = &table[_i];
	char want[256];
	char *help;

	ck_assert_msg(man_src != NULL, "%s/man/perdition.8 not readable",
		      builddir);
	snprintf(want, sizeof(want), "\\fB\\-\\-%s\\fR", o->name);
	ck_assert_msg(strstr(man_src, want) != NULL,
		      "--%s missing from perdition.8", o->name);
	if (o->letter != 0) {
		snprintf(want, sizeof(want), "\\fB\\-%c\\fR, \\fB\\-\\-%s\\fR",
			 o->letter, o->name);
		ck_assert_msg(strstr(man_src, want) != NULL,
			      "-%c, --%s missing from perdition.8", o->letter,
			      o->name);
	}
	/* The help text too, so a stale man page is caught. */
	help = troff_escaped(o->help);
	ck_assert_ptr_nonnull(help);
	ck_assert_msg(strstr(man_flat, help) != NULL,
		      "help of --%s differs in perdition.8", o->name);
	free(help);
}
END_TEST

START_TEST(test_option_in_help)
{
	const struct table_opt *o = &table[_i];
	char want[256];
	char *help;

	ck_assert_msg(help_flat != NULL, "perdition --help gave no output");
	ck_assert_int_eq(help_status, 0);
	snprintf(want, sizeof(want), "--%s", o->name);
	ck_assert_msg(contains_word(help_flat, want, " \n"),
		      "--%s missing from --help", o->name);
	if (o->letter != 0) {
		snprintf(want, sizeof(want), "-%c, --%s", o->letter, o->name);
		ck_assert_msg(contains_word(help_flat, want, " \n"),
			      "-%c, --%s missing from --help", o->letter,
			      o->name);
	}
	help = squeeze(o->help);
	ck_assert_ptr_nonnull(help);
	ck_assert_msg(strstr(help_flat, help) != NULL,
		      "help of --%s differs in --help", o->name);
	free(help);
}
END_TEST

START_TEST(test_option_in_sample_conf)
{
	const struct table_opt *o = &table[_i];
	char want[256];

	ck_assert_msg(conf_sample != NULL, "%s/etc/perdition.conf not readable",
		      srcdir);
	snprintf(want, sizeof(want), "\n#%s", o->name);
	if (o->scope & OPT_CLI_ONLY)
		ck_assert_msg(!contains_word(conf_sample, want, " \n"),
			      "command-line-only %s in perdition.conf",
			      o->name);
	else
		ck_assert_msg(contains_word(conf_sample, want, " \n"),
			      "%s missing from perdition.conf", o->name);
}
END_TEST

/* ------------------------------------------------------- rendering */

static const char *const man_pages[] = {
	"man/perdition.8",	/* in the build directory */
	"man/perditiondb.5",	/* in the source directory */
};

static void page_path(char *buf, size_t len, int i)
{
	snprintf(buf, len, "%s/%s", i == 0 ? builddir : srcdir, man_pages[i]);
}

START_TEST(test_man_renders_cleanly)
{
	char path[4096], cmd[8192];
	char *out;
	int st;

	if (!have_program("man")) {
		fprintf(stderr, "man not installed: rendering not checked\n");
		return;
	}
	page_path(path, sizeof(path), _i);
	/* stderr to the pipe, the page itself thrown away. */
	snprintf(cmd, sizeof(cmd),
		 "MANWIDTH=80 man --warnings -l -Tutf8 '%s' 2>&1 >/dev/null",
		 path);
	out = run(cmd, &st);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(st == 0, "man -l %s exited %d: %s", path, st, out);
	ck_assert_msg(out[0] == '\0', "man -l %s warned: %s", path, out);
	free(out);
}
END_TEST

START_TEST(test_mandoc_lint)
{
	char path[4096], cmd[8192];
	char *out;
	int st;

	if (!have_program("mandoc")) {
		fprintf(stderr, "mandoc not installed: lint skipped\n");
		return;
	}
	page_path(path, sizeof(path), _i);
	snprintf(cmd, sizeof(cmd), "mandoc -T lint -W warning '%s' 2>&1",
		 path);
	out = run(cmd, &st);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(st == 0 && out[0] == '\0', "mandoc lint %s: %s", path,
		      out);
	free(out);
}
END_TEST

START_TEST(test_lexgrog_finds_name)
{
	static const char *const names[] = { "\"perdition - ",
					     "\"perditiondb - " };
	char path[4096], cmd[8192];
	char *out;
	int st;

	if (!have_program("lexgrog")) {
		fprintf(stderr, "lexgrog not installed: NAME not checked\n");
		return;
	}
	page_path(path, sizeof(path), _i);
	snprintf(cmd, sizeof(cmd), "lexgrog '%s' 2>&1", path);
	out = run(cmd, &st);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(st == 0 && strstr(out, names[_i]) != NULL,
		      "lexgrog %s: %s", path, out);
	free(out);
}
END_TEST

START_TEST(test_man_fully_expanded)
{
	ck_assert_ptr_nonnull(man_src);
	ck_assert_msg(strstr(man_src, "@OPTIONS@") == NULL,
		      "@OPTIONS@ left in perdition.8");
	for (const char *p = strchr(man_src, '@'); p != NULL;
	     p = strchr(p + 1, '@')) {
		size_t n = strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");

		ck_assert_msg(n == 0 || p[1 + n] != '@',
			      "unexpanded %.*s in perdition.8", (int)n + 2, p);
	}
}
END_TEST

/* ------------------------------------------------- sample configuration */

START_TEST(test_conf_no_line_continues)
{
	/* A trailing backslash would join the next line, even in a comment. */
	const char *texts[] = { conf_sample, conf_fresh };

	for (size_t t = 0; t < N_ELEMS(texts); t++) {
		ck_assert_ptr_nonnull(texts[t]);
		for (const char *p = strchr(texts[t], '\n'); p != NULL;
		     p = strchr(p + 1, '\n'))
			ck_assert_msg(p == texts[t] || p[-1] != '\\',
				      "line ends in a backslash: %.40s",
				      p - 40 > texts[t] ? p - 40 : texts[t]);
	}
}
END_TEST

/* The shipped sample is the generator's output, when this build has the
 * standard paths it was made with. */
START_TEST(test_conf_sample_up_to_date)
{
	ck_assert_ptr_nonnull(conf_sample);
	ck_assert_ptr_nonnull(conf_fresh);
	if (strcmp(PERDITION_SYSCONFDIR, "/etc/perdition") != 0 ||
	    strcmp(PERDITION_LIBDIR, "/usr/lib") != 0 ||
	    strcmp(PERDITION_USER, "nobody") != 0 ||
	    strcmp(PERDITION_GROUP, "nogroup") != 0) {
		fprintf(stderr, "non-standard paths: sample not compared\n");
		return;
	}
	ck_assert_msg(strcmp(conf_sample, conf_fresh) == 0,
		      "etc/perdition.conf is stale: run make sample-conf");
}
END_TEST

static bool same_str(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/*
 * Uncomment every option line that shows a value (not a flag, not the
 * argument's form), read the result as a configuration file and check
 * that it yields exactly the defaults.
 */
START_TEST(test_conf_values_are_defaults)
{
	char path[] = "/tmp/check_manpage_XXXXXX";
	char err[512];
	struct options got, want;
	FILE *f;
	int fd, n = 0;

	ck_assert_ptr_nonnull(conf_fresh);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < N_ELEMS(table); i++) {
		const struct table_opt *o = &table[i];
		char key[256];
		const char *p, *eol;
		size_t vlen;

		if (o->arg == NULL || (o->scope & OPT_CLI_ONLY))
			continue;
#ifndef WITH_SSL_SUPPORT
		if (o->scope & OPT_SSL)
			continue;
#endif
#ifndef WITH_PAM_SUPPORT
		if (o->scope & OPT_PAM)
			continue;
#endif
		snprintf(key, sizeof(key), "\n#%s ", o->name);
		p = strstr(conf_fresh, key);
		ck_assert_msg(p != NULL, "no line for %s", o->name);
		p += 2;
		eol = strchr(p, '\n');
		ck_assert_ptr_nonnull(eol);
		vlen = (size_t)(eol - p) - strlen(o->name) - 1;
		if (vlen == strlen(o->arg) &&
		    memcmp(p + strlen(o->name) + 1, o->arg, vlen) == 0)
			continue; /* the argument's form, not a value */
		fprintf(f, "%.*s\n", (int)(eol - p), p);
		n++;
	}
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_gt(n, 10);

	options_defaults(&want);
	options_defaults(&got);
	err[0] = '\0';
	ck_assert_msg(options_parse_file(&got, path, err, sizeof(err)) == 0,
		      "sample configuration rejected: %s", err);
	unlink(path);

#define SAME_FLAG(n) ck_assert_msg(got.n == want.n, #n)
#define SAME_UINT(n) ck_assert_msg(got.n == want.n, #n)
#define SAME_INT(n) ck_assert_msg(got.n == want.n, #n)
#define SAME_STATE(n) ck_assert_msg(got.n == want.n, #n)
#define SAME_LOGPASSWD(n) ck_assert_msg(got.n == want.n, #n)
#define SAME_PROTO(n) ck_assert_msg(got.n == want.n, #n)
#define SAME_SSLMODE(n) ck_assert_msg(got.n == want.n, #n)
#define SAME_FD(n) ck_assert_msg(got.n == want.n, #n)
#define SAME_STR(n) \
	ck_assert_msg(same_str(got.n, want.n), "%s: \"%s\" not \"%s\"", #n, \
		      got.n != NULL ? got.n : "(null)", \
		      want.n != NULL ? want.n : "(null)")
#define SAME_PROTOVER(n) SAME_STR(n)
#define SAME(kind, name, ...) SAME_##kind(name);
	OPTION_TABLE(SAME)
#undef SAME
	options_free(&got);
	options_free(&want);
}
END_TEST

/* ---------------------------------------------------------------- main */

static void load_inputs(void)
{
	char path[4096], cmd[8192];
	char *s;
	int st;

	snprintf(path, sizeof(path), "%s/man/perdition.8", builddir);
	man_src = read_file(path);
	if (man_src != NULL)
		man_flat = unbreak(man_src);

	snprintf(cmd, sizeof(cmd), "'%s/perdition' --help 2>/dev/null",
		 builddir);
	s = run(cmd, &help_status);
	if (s != NULL)
		help_flat = squeeze(s);
	free(s);

	snprintf(path, sizeof(path), "%s/etc/perdition.conf", srcdir);
	conf_sample = read_file(path);

	snprintf(cmd, sizeof(cmd), "'%s/tools/gen_man_options' --conf",
		 builddir);
	conf_fresh = run(cmd, &st);
	if (st != 0) {
		free(conf_fresh);
		conf_fresh = NULL;
	}
}

int main(void)
{
	Suite *s = suite_create("manpage");
	TCase *tc;
	SRunner *sr;
	int failed;

	if (getenv("top_builddir") != NULL)
		builddir = getenv("top_builddir");
	if (getenv("top_srcdir") != NULL)
		srcdir = getenv("top_srcdir");
	load_inputs();

	tc = tcase_create("options");
	tcase_add_loop_test(tc, test_option_in_man_page, 0, OPTION_COUNT);
	tcase_add_loop_test(tc, test_option_in_help, 0, OPTION_COUNT);
	tcase_add_loop_test(tc, test_option_in_sample_conf, 0, OPTION_COUNT);
	suite_add_tcase(s, tc);

	tc = tcase_create("render");
	tcase_add_loop_test(tc, test_man_renders_cleanly, 0,
			    (int)N_ELEMS(man_pages));
	tcase_add_loop_test(tc, test_mandoc_lint, 0, (int)N_ELEMS(man_pages));
	tcase_add_loop_test(tc, test_lexgrog_finds_name, 0,
			    (int)N_ELEMS(man_pages));
	tcase_add_test(tc, test_man_fully_expanded);
	suite_add_tcase(s, tc);

	tc = tcase_create("sample_conf");
	tcase_add_test(tc, test_conf_no_line_continues);
	tcase_add_test(tc, test_conf_sample_up_to_date);
	tcase_add_test(tc, test_conf_values_are_defaults);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
