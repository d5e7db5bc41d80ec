/*
 * replay_main.c: a plain driver for the libFuzzer targets, so that each is
 * also built with the configured compiler (and sanitizers) and make check
 * replays its kept corpus.  Linked with one *_fuzzer.c, as
 * tests/fuzz/replay_<target>.
 *
 * Usage: replay_<target> [FILE|DIR]...  Without arguments it replays
 * $top_srcdir/tests/fuzz/corpus/<target>/.  Prints TAP (one test per
 * argument); a crash or abort prints "not ok" with the input's name and
 * ends the run by the same signal, so the test fails.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static char current[4096];
static int test_no;

static void on_crash(int sig)
{
	static const char pre[] = "not ok ";
	char num[16];
	size_t n = 0;
	int v = test_no;

	do
		num[sizeof(num) - ++n] = (char)('0' + v % 10);
	while ((v /= 10) != 0 && n < sizeof(num) - 1);
	/* Only async-signal-safe calls: the number, the input, the signal. */
	(void)!write(STDOUT_FILENO, pre, sizeof(pre) - 1);
	(void)!write(STDOUT_FILENO, num + sizeof(num) - n, n);
	(void)!write(STDOUT_FILENO, " - crashed on ", 14);
	(void)!write(STDOUT_FILENO, current, strlen(current));
	(void)!write(STDOUT_FILENO, "\n", 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read path whole and run the target on it; 0, or -1 (reason printed). */
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		printf("# %s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (cap - len < 4096) {
			cap = cap * 2 + 4096;
			buf = realloc(buf, cap);
			if (buf == NULL)
				abort();
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		printf("# %s: read error\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	/* Exactly len bytes, so that ASan sees a read past the end. */
	buf = realloc(buf, len > 0 ? len : 1);
	if (buf == NULL)
		abort();
	snprintf(current, sizeof(current), "%s", path);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

/* Replay a file or every regular file of a directory; returns how many
 * inputs ran, or -1. */
static long run_path(const char *path)
{
	struct stat st;
	struct dirent *e;
	long count = 0;
	DIR *d;

	if (stat(path, &st) != 0) {
		printf("# %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path) == 0 ? 1 : -1;
	d = opendir(path);
	if (d == NULL) {
		printf("# %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char file[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
		if (stat(file, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (run_file(file) != 0) {
			closedir(d);
			return -1;
		}
		count++;
	}
	closedir(d);
	return count;
}

/* The target's name: the program's, less "lt-" and "replay_". */
static const char *target_name(const char *argv0)
{
	const char *b = strrchr(argv0, '/');

	b = b != NULL ? b + 1 : argv0;
	if (strncmp(b, "lt-", 3) == 0)
		b += 3;
	if (strncmp(b, "replay_", 7) == 0)
		b += 7;
	return b;
}

int main(int argc, char **argv)
{
	static const int sigs[] = { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL };
	const char *name = target_name(argv[0]);
	char dflt[4096];
	char *dflt_argv[] = { dflt, NULL };
	char **paths = argv + 1;
	int npaths = argc - 1, failed = 0;

	if (npaths == 0) {
		const char *top = getenv("top_srcdir");

		snprintf(dflt, sizeof(dflt), "%s/tests/fuzz/corpus/%s",
			 top != NULL ? top : ".", name);
		paths = dflt_argv;
		npaths = 1;
	}
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], on_crash);
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%d\n", npaths);
	for (int i = 0; i < npaths; i++) {
		long n;

		test_no = i + 1;
		n = run_path(paths[i]);
		/* An empty corpus tests nothing: that is a failure too. */
		if (n <= 0)
			failed = 1;
		printf("%s %d - %s: %s, %ld inputs\n", n > 0 ? "ok" : "not ok",
		       test_no, name, paths[i], n < 0 ? 0 : n);
	}
	return failed;
}
