/*
 * gen_man_options.c: expand the OPTION_TABLE of src/options.h into the
 * OPTIONS section of perdition(8) and into the sample perdition.conf, so
 * that the man page, the sample file and --help all come from one table.
 *
 *   gen_man_options --man TEMPLATE   perdition.8.in with @OPTIONS@ expanded
 *   gen_man_options --options        just the troff option list
 *   gen_man_options --conf           a commented sample configuration file
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "options_desc.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Longest template line we accept; the template is ours, so be strict. */
#define MAX_LINE 4096

/* Column at which comments in the sample configuration are wrapped. */
#define CONF_WIDTH 76

/* Column at which the man page's generated text lines are broken. */
#define TROFF_WIDTH 72

struct gen_opt {
	const char *name;
	int letter;
	int scope;
	const char *arg;
	const char *help;
	enum option_kind kind;
	long num;	 /* default of the numeric kinds */
	const char *str; /* default of the string kinds, NULL when unset */
};

/* The default is a C expression of the option's own type: file it in the
 * member that can hold it. */
#define DEF_FLAG(d) .num = (d)
#define DEF_UINT(d) .num = (long)(d)
#define DEF_INT(d) .num = (d)
#define DEF_STR(d) .str = (d)
#define DEF_STATE(d) .num = (long)(d)
#define DEF_LOGPASSWD(d) .num = (long)(d)
#define DEF_PROTO(d) .num = (d)
#define DEF_SSLMODE(d) .num = (long)(d)
#define DEF_PROTOVER(d) .str = (d)
#define DEF_FD(d) .num = (long)(d)

#define GEN_OPT(kind_, name_, letter_, scope_, mask22_, arg_, def, help_) \
	{ .name = #name_, .letter = letter_, .scope = scope_, .arg = arg_, \
	  .help = help_, .kind = OPT_KIND_##kind_, DEF_##kind_(def) },
static const struct gen_opt table[] = {
	OPTION_TABLE(GEN_OPT)
};
#undef GEN_OPT


/* ------------------------------------------------------------ defaults */

/* A STATE mask as the option would be written, quoted. */
static void state_text(unsigned long st, char *buf, size_t len)
{
	char text[OPTION_STATE_TEXT_MAX];

	snprintf(buf, len, "\"%s\"",
		 option_state_text((unsigned)st, text, sizeof(text)));
}

/*
 * Write the default of o as plain text to buf.  Returns false when there
 * is nothing worth showing: an unset string or the protocol, whose help
 * text already says where the default comes from.
 */
static bool default_text(const struct gen_opt *o, char *buf, size_t len)
{
	unsigned long st = (unsigned long)o->num;

	buf[0] = '\0';
	switch (o->kind) {
	case OPT_KIND_FLAG:
		snprintf(buf, len, "%s", o->num ? "on" : "off");
		return true;
	case OPT_KIND_UINT:
	case OPT_KIND_FD:
		snprintf(buf, len, "%lu", (unsigned long)o->num);
		return true;
	case OPT_KIND_INT:
		snprintf(buf, len, "%ld", o->num);
		return true;
	case OPT_KIND_STR:
	case OPT_KIND_PROTOVER:
		if (o->str == NULL) {
			if (strstr(o->help, "default") != NULL)
				return false;
			snprintf(buf, len, "unset");
			return true;
		}
		snprintf(buf, len, "\"%s\"", o->str);
		return true;
	case OPT_KIND_STATE:
		state_text(st, buf, len);
		return true;
	case OPT_KIND_LOGPASSWD:
		snprintf(buf, len, "%s", log_passwd_name((unsigned)st));
		return true;
	case OPT_KIND_PROTO:
		return false;
	case OPT_KIND_SSLMODE:
		/* Only "" is used as a default; POP3S and IMAP4S then imply
		 * ssl_all, which the man page's text explains. */
		if (st == SSL_MODE_EMPTY)
			snprintf(buf, len, "\"\"");
		else
			snprintf(buf, len, "0x%lx", st);
		return true;
	}
	return false;
}

/* Where an option may be used, as a sentence, or NULL for anywhere. */
static const char *scope_text(int scope)
{
	if (scope & OPT_CLI_ONLY)
		return "Command line only; ignored in a configuration file.";
	if (scope & OPT_SSL)
		return "Only in builds with SSL/TLS support.";
	if (scope & OPT_PAM)
		return "Only in builds with PAM support.";
	return NULL;
}

/* ---------------------------------------------------------------- troff */

/* Write s with troff's special characters escaped.  Minus signs are
 * escaped so that options and paths can be cut and pasted; a path may
 * break after any slash, so long installation prefixes still fit. */
static void troff_escape(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\':
			fputs("\\e", f);
			break;
		case '-':
			fputs("\\-", f);
			break;
		case '/':
			/* Let long paths break after a slash. */
			fputs("/\\:", f);
			break;
		default:
			fputc(*s, f);
			break;
		}
	}
}

/* Bytes a byte takes once escaped for troff. */
static size_t troff_width(char c)
{
	return c == '\\' || c == '-' ? 2 : c == '/' ? 3 : 1;
}

/*
 * Write s as filled text lines of about TROFF_WIDTH columns.  Lines are
 * broken only at a lone space: troff keeps the runs of spaces inside a
 * line (the ManageSieve capabilities use two as a separator) but turns a
 * line break into exactly one.  Each line starts with \& so that it can
 * never read as a request.
 */
static void troff_text(FILE *f, const char *s)
{
	size_t col = 0;

	fputs("\\&", f);
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == ' ' && p > s && p[-1] != ' ' && p[1] != ' ' &&
		    p[1] != '\0') {
			size_t w = 0;

			/* Does the next word still fit? */
			for (const char *q = p + 1; *q != '\0' && *q != ' '; q++)
				w += troff_width(*q);
			if (col + 1 + w > TROFF_WIDTH) {
				fputs("\n\\&", f);
				col = 0;
				continue;
			}
		}
		char one[2] = { *p, '\0' };

		troff_escape(f, one);
		col += troff_width(*p);
	}
	fputc('\n', f);
}

static void troff_options(FILE *f)
{
	char def[1024];

	for (size_t i = 0; i < N_ELEMS(table); i++) {
		const struct gen_opt *o = &table[i];
		const char *scope = scope_text(o->scope);

		fputs(".TP\n", f);
		if (o->letter != 0)
			fprintf(f, "\\fB\\-%c\\fR, ", o->letter);
		fputs("\\fB\\-\\-", f);
		troff_escape(f, o->name);
		fputs("\\fR", f);
		if (o->arg != NULL) {
			fputs(" \\fI", f);
			troff_escape(f, o->arg);
			fputs("\\fR", f);
		}
		fputc('\n', f);
		troff_text(f, o->help);
		/* help, version and config_file have nothing worth calling
		 * a default. */
		if (!(o->scope & OPT_CLI_ONLY) &&
		    default_text(o, def, sizeof(def))) {
			char line[1100];

			snprintf(line, sizeof(line), "(default: %s)", def);
			troff_text(f, line);
		}
		if (scope != NULL) {
			fputs(".br\n", f);
			troff_text(f, scope);
		}
	}
}

/* Replace each @NAME@ of line by its build-time value. */
static void expand_line(FILE *f, const char *line)
{
	static const struct {
		const char *key;
		const char *value;
	} subst[] = {
		{ "@VERSION@", PACKAGE_VERSION },
		{ "@SYSCONFDIR@", PERDITION_SYSCONFDIR },
		{ "@LOCALSTATEDIR@", PERDITION_LOCALSTATEDIR },
		{ "@LIBDIR@", PERDITION_LIBDIR },
		{ "@USER@", PERDITION_USER },
		{ "@GROUP@", PERDITION_GROUP },
	};

	while (*line != '\0') {
		bool done = false;

		if (*line == '@') {
			for (size_t i = 0; i < N_ELEMS(subst); i++) {
				size_t kl = strlen(subst[i].key);

				if (strncmp(line, subst[i].key, kl) == 0) {
					troff_escape(f, subst[i].value);
					line += kl;
					done = true;
					break;
				}
			}
		}
		if (!done)
			fputc(*line++, f);
	}
}

static int man_page(FILE *f, const char *template)
{
	char line[MAX_LINE];
	FILE *in = fopen(template, "r");
	unsigned long n = 0;
	bool expanded = false;

	if (in == NULL) {
		perror(template);
		return -1;
	}
	while (fgets(line, sizeof(line), in) != NULL) {
		n++;
		if (strchr(line, '\n') == NULL && !feof(in)) {
			fprintf(stderr, "%s:%lu: line too long\n", template, n);
			fclose(in);
			return -1;
		}
		if (strcmp(line, "@OPTIONS@\n") == 0) {
			troff_options(f);
			expanded = true;
			continue;
		}
		expand_line(f, line);
	}
	if (ferror(in)) {
		perror(template);
		fclose(in);
		return -1;
	}
	fclose(in);
	if (!expanded) {
		fprintf(stderr, "%s: no @OPTIONS@ line\n", template);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------- sample config */

/*
 * Write text as "# " comment lines of at most CONF_WIDTH columns.  A line
 * never ends in a backslash: the config-file reader would join the next
 * line to it, even inside a comment.
 */
static void conf_comment(FILE *f, const char *text)
{
	const char *p = text;

	while (*p != '\0') {
		const char *end = p, *brk = NULL;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (end = p; *end != '\0'; end++) {
			if (*end == ' ' && end > p && end[-1] != '\\') {
				if (brk != NULL && end - p > CONF_WIDTH - 2)
					break;
				brk = end;
			}
		}
		if (*end == '\0' && end - p <= CONF_WIDTH - 2)
			brk = end;
		else if (brk == NULL)
			brk = end;
		fprintf(f, "# %.*s\n", (int)(brk - p), p);
		p = brk;
	}
}

/* True if a value must be quoted to survive the config-file grammar. */
static bool conf_needs_quotes(const char *v)
{
	size_t n = strlen(v);

	return n == 0 || strpbrk(v, "#\\\"'") != NULL || v[0] == ' ' ||
	       v[0] == '\t' || v[n - 1] == ' ' || v[n - 1] == '\t';
}

/* The value shown on an option's commented-out line. */
static void conf_value(FILE *f, const struct gen_opt *o)
{
	const char *v = NULL;
	char buf[64];

	switch (o->kind) {
	case OPT_KIND_FLAG:
		return;
	case OPT_KIND_UINT:
	case OPT_KIND_FD:
		snprintf(buf, sizeof(buf), "%lu", (unsigned long)o->num);
		v = buf;
		break;
	case OPT_KIND_INT:
		snprintf(buf, sizeof(buf), "%ld", o->num);
		v = buf;
		break;
	case OPT_KIND_LOGPASSWD:
		v = log_passwd_name((unsigned)o->num);
		break;
	case OPT_KIND_STR:
	case OPT_KIND_PROTOVER:
		v = o->str;
		break;
	case OPT_KIND_STATE:
	case OPT_KIND_PROTO:
	case OPT_KIND_SSLMODE:
		break;
	}
	/* No useful default value: show the form of the argument. */
	if (v == NULL || *v == '\0')
		v = o->arg;
	if (v == NULL)
		return;
	fputc(' ', f);
	if (!conf_needs_quotes(v))
		fputs(v, f);
	else if (strchr(v, '\'') == NULL)
		fprintf(f, "'%s'", v);
	else
		fprintf(f, "\"%s\"", v); /* no value of ours has both */
}

static void conf_option(FILE *f, const struct gen_opt *o)
{
	char def[1024], head[256];

	fputs("\n", f);
	if (o->letter != 0)
		snprintf(head, sizeof(head), "%s (-%c)%s%s", o->name,
			 o->letter, o->arg != NULL ? " " : "",
			 o->arg != NULL ? o->arg : "");
	else
		snprintf(head, sizeof(head), "%s%s%s", o->name,
			 o->arg != NULL ? " " : "",
			 o->arg != NULL ? o->arg : "");
	conf_comment(f, head);
	conf_comment(f, o->help);
	if (default_text(o, def, sizeof(def))) {
		char line[1100];

		snprintf(line, sizeof(line), "Default: %s.", def);
		conf_comment(f, line);
	}
	fprintf(f, "#%s", o->name);
	conf_value(f, o);
	fputc('\n', f);
}

/*
 * The README's "Hardened" example: the limits new in 3.0 at their
 * recommended values.  tests/e2e/test_cli.py runs it against Dovecot and
 * compares it with the README's.
 */
static const char *const hardened[][2] = {
	{ "authenticate_timeout", "30" },
	{ "login_timeout", "60" },
	{ "server_timeout", "15" },
	{ "max_failed_logins", "3" },
	{ "connection_limit", "200" },
	{ "connection_limit_per_address", "10" },
	{ "login_failures_delay", "3" },
	{ "login_failures_refuse", "20" },
	{ "login_failures_window", "900" },
	{ "shutdown_grace", "20" },
};

static bool option_exists(const char *name)
{
	for (size_t i = 0; i < N_ELEMS(table); i++)
		if (strcmp(table[i].name, name) == 0)
			return true;
	return false;
}

static void sample_hardened(FILE *f)
{
	fputs("\n#\n# Hardened example\n#\n", f);
	conf_comment(f,
		"The limits new in 3.0 at their recommended values (README, "
		"\"Hardened\"); uncomment the lines below to use them.  No "
		"option is needed for the sandbox: no_new_privs and the "
		"seccomp filter are on unless no_seccomp is set.");
	for (size_t i = 0; i < N_ELEMS(hardened); i++) {
		if (!option_exists(hardened[i][0])) {
			fprintf(stderr, "hardened example: no option %s\n",
				hardened[i][0]);
			exit(1);
		}
		fprintf(f, "#%s %s\n", hardened[i][0], hardened[i][1]);
	}
}

static void sample_conf(FILE *f)
{
	bool ssl_header = false;

	fputs("# perdition.conf: sample configuration for perdition(8), "
	      "version " PACKAGE_VERSION ".\n", f);
	conf_comment(f,
		"Generated from perdition's option table by "
		"tools/gen_man_options --conf.");
	fputs("#\n", f);
	conf_comment(f,
		"perdition reads the first of these files that exists: "
		PERDITION_SYSCONFDIR "/<name>.conf (<name> being the name "
		"it was invoked as, unless that is plain perdition), "
		PERDITION_SYSCONFDIR "/perdition.<protocol>.conf and "
		PERDITION_SYSCONFDIR "/perdition.conf.  The -f option "
		"names another file; -f \"\" reads none.");
	fputs("#\n", f);
	conf_comment(f,
		"Each line is an option's long name (or its one-letter "
		"short name) without dashes, then its value; the rest of "
		"the line is the value, so spaces need no quotes.  \"...\" "
		"and '...' quote, a backslash escapes the next character, "
		"a backslash at the end of a line joins the next line (in "
		"comments too) and comments start with #.  An option given on "
		"the command line wins over this file.  help, version and "
		"config_file are command-line only.");
	fputs("#\n", f);
	conf_comment(f,
		"Every option is shown below, commented out, with its "
		"default value, or with the form of its argument when it "
		"has no default.");
	for (size_t i = 0; i < N_ELEMS(table); i++) {
		const struct gen_opt *o = &table[i];

		if (o->scope & OPT_CLI_ONLY)
			continue;
		if ((o->scope & OPT_SSL) && !ssl_header) {
			fputs("\n#\n", f);
			conf_comment(f,
				"SSL/TLS options (only in builds with SSL/TLS "
				"support).");
			fputs("#\n", f);
			ssl_header = true;
		}
		conf_option(f, o);
	}
	sample_hardened(f);
}

/* ---------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fputs("usage: gen_man_options --man TEMPLATE | --options | --conf\n",
	      f);
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (argc == 3 && strcmp(argv[1], "--man") == 0) {
		rc = man_page(stdout, argv[2]);
	} else if (argc == 2 && strcmp(argv[1], "--options") == 0) {
		troff_options(stdout);
	} else if (argc == 2 && strcmp(argv[1], "--conf") == 0) {
		sample_conf(stdout);
	} else if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return EXIT_SUCCESS;
	} else {
		usage(stderr);
		return EXIT_FAILURE;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("stdout");
		rc = -1;
	}
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
