/*
 * check_options.c: unit tests for the option machinery (options*.c):
 * every option of the table, defaults, validation, config files, --help,
 * the startup option log with its 2.2 masks, and the 2.2 `opt` object.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <check.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compat22.h"
#include "defs.h"
#include "options.h"

/* The table, as the tests see it (generated from OPTION_TABLE too). */
static const struct {
	const char *name;
	int letter;
	int scope;
	enum option_kind kind;
	size_t off;
} tbl[OPTION_COUNT] = {
#define T(kind, name, letter, scope, mask22, arg, def, help) \
	{ #name, letter, scope, OPT_KIND_##kind, \
	  offsetof(struct options, name) },
	OPTION_TABLE(T)
#undef T
};

#define MAXARGS 32

/* Parse args (NULL-terminated, argv[0] excluded) as invoked as argv0. */
static int parse0(struct options *o, const char *argv0,
		  const char *const *args, char *err, size_t errlen)
{
	char *argv[MAXARGS];
	int argc = 0;

	argv[argc++] = (char *)argv0;
	for (; *args != NULL && argc < MAXARGS - 1; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	options_defaults(o);
	err[0] = '\0';
	return options_parse_argv(o, argc, argv, err, errlen);
}

static int parse(struct options *o, const char *const *args, char *err,
		 size_t errlen)
{
	return parse0(o, "/usr/sbin/perdition", args, err, errlen);
}

static int read_opts(struct options *o, const char *argv0,
		     const char *const *args, char *err, size_t errlen)
{
	char *argv[MAXARGS];
	int argc = 0;

	argv[argc++] = (char *)argv0;
	for (; *args != NULL && argc < MAXARGS - 1; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	err[0] = '\0';
	return options_read(o, argc, argv, err, errlen);
}

static bool available(int i)
{
#ifndef WITH_SSL_SUPPORT
	if (tbl[i].scope & OPT_SSL)
		return false;
#endif
#ifndef WITH_PAM_SUPPORT
	if (tbl[i].scope & OPT_PAM)
		return false;
#endif
	(void)i;
	return true;
}

/* A valid argument for option i, and a check that it landed. */
static const char *sample_arg(int i)
{
	switch (tbl[i].kind) {
	case OPT_KIND_FLAG: return NULL;
	case OPT_KIND_UINT: return "42";
	case OPT_KIND_INT: return "-7";
	case OPT_KIND_STR: return "/val";
	case OPT_KIND_STATE: return "remote_login";
	case OPT_KIND_LOGPASSWD: return "OK";
	case OPT_KIND_PROTO: return "imap4";
	case OPT_KIND_SSLMODE: return "tls_listen";
	case OPT_KIND_PROTOVER: return "TLSv1.3";
	case OPT_KIND_FD: return "5";
	}
	return NULL;
}

static void check_sample(const struct options *o, int i)
{
	const void *f = (const char *)o + tbl[i].off;

	switch (tbl[i].kind) {
	case OPT_KIND_FLAG:
		ck_assert_msg(*(const bool *)f, "%s", tbl[i].name);
		break;
	case OPT_KIND_UINT:
		ck_assert_uint_eq(*(const unsigned long *)f, 42);
		break;
	case OPT_KIND_INT:
		ck_assert_int_eq(*(const int *)f, -7);
		break;
	case OPT_KIND_STR:
		ck_assert_str_eq(*(char *const *)f, "/val");
		break;
	case OPT_KIND_STATE:
		ck_assert_uint_eq(*(const unsigned *)f, STATE_REMOTE_LOGIN);
		break;
	case OPT_KIND_LOGPASSWD:
		ck_assert_uint_eq(*(const unsigned *)f, LOG_PASSWD_OK);
		break;
	case OPT_KIND_PROTO:
		ck_assert_int_eq(*(const int *)f, PROTO_IMAP4);
		break;
	case OPT_KIND_SSLMODE:
		ck_assert_uint_eq(*(const unsigned *)f, SSL_MODE_TLS_LISTEN);
		break;
	case OPT_KIND_PROTOVER:
		ck_assert_str_eq(*(char *const *)f, "tlsv1.3");
		break;
	case OPT_KIND_FD:
		ck_assert_uint_eq(*(const unsigned long *)f, 5);
		break;
	}
	ck_assert_msg(o->given[i] && o->seen[i], "%s not marked given",
		      tbl[i].name);
}

/* Every option in its long form, --name ARG and --name=ARG. */
START_TEST(test_every_long_option)
{
	struct options o;
	char err[512], name[128], eq[256];
	const char *arg = sample_arg(_i);
	const char *args[4] = { name, arg, NULL, NULL };
	int rc;

	snprintf(name, sizeof(name), "--%s", tbl[_i].name);
	rc = parse(&o, args, err, sizeof(err));
	if (!available(_i)) {
		ck_assert_int_eq(rc, -1);
		ck_assert_msg(strstr(err, "is only supported when") != NULL,
			      "%s", err);
		options_free(&o);
		return;
	}
	ck_assert_msg(rc == 0, "%s: %s", tbl[_i].name, err);
	check_sample(&o, _i);
	options_free(&o);

	if (arg != NULL) {
		snprintf(eq, sizeof(eq), "--%s=%s", tbl[_i].name, arg);
		args[0] = eq;
		args[1] = NULL;
		ck_assert_int_eq(parse(&o, args, err, sizeof(err)), 0);
		check_sample(&o, _i);
		options_free(&o);
	}
}
END_TEST

/* Every option that has a letter, as -x ARG. */
START_TEST(test_every_short_option)
{
	struct options o;
	char err[512], name[8];
	const char *args[3] = { name, sample_arg(_i), NULL };

	if (tbl[_i].letter == 0 || !available(_i))
		return;
	snprintf(name, sizeof(name), "-%c", tbl[_i].letter);
	ck_assert_msg(parse(&o, args, err, sizeof(err)) == 0, "%s: %s",
		      tbl[_i].name, err);
	check_sample(&o, _i);
	options_free(&o);
}
END_TEST

/* Every option as a config-file key, long and (if any) short. */
START_TEST(test_every_file_option)
{
	struct options o;
	char err[512], path[] = "/tmp/check_options_XXXXXX";
	const char *arg = sample_arg(_i);
	int fd = mkstemp(path), rc;
	FILE *f = fdopen(fd, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "# every option\n%s%s%s\n", tbl[_i].name, arg ? " " : "",
		arg ? arg : "");
	fclose(f);
	options_defaults(&o);
	rc = options_parse_file(&o, path, err, sizeof(err));
	if (tbl[_i].scope & OPT_CLI_ONLY) {
		/* help, version, config_file: ignored inside a file. */
		ck_assert_int_eq(rc, 0);
		ck_assert(!o.seen[_i]);
	} else if (!available(_i)) {
		ck_assert_int_eq(rc, -1);
		ck_assert_msg(strstr(err, "line 2") != NULL, "%s", err);
	} else {
		ck_assert_msg(rc == 0, "%s", err);
		ck_assert(o.seen[_i]);
		ck_assert(!o.given[_i]);
		o.given[_i] = true; /* for check_sample() */
		check_sample(&o, _i);
	}
	options_free(&o);
	if (tbl[_i].letter != 0 && available(_i) &&
	    !(tbl[_i].scope & OPT_CLI_ONLY)) {
		f = fopen(path, "w");
		fprintf(f, "%c %s\n", tbl[_i].letter, arg ? arg : "");
		fclose(f);
		options_defaults(&o);
		ck_assert_int_eq(options_parse_file(&o, path, err,
						    sizeof(err)), 0);
		o.given[_i] = true;
		check_sample(&o, _i);
		options_free(&o);
	}
	unlink(path);
}
END_TEST

START_TEST(test_defaults)
{
	struct options o;

	options_defaults(&o);
	ck_assert(!o.debug && !o.inetd_mode && !o.no_lookup);
	ck_assert_uint_eq(o.timeout, 1800);
	ck_assert_uint_eq(o.authenticate_timeout, 1800);
	ck_assert_uint_eq(o.connect_relog, 300);
	ck_assert_uint_eq(o.connection_limit, 0);
	ck_assert_str_eq(o.domain_delimiter, "@");
	ck_assert_str_eq(o.log_facility, "mail");
	ck_assert_str_eq(o.group, PERDITION_GROUP);
	ck_assert_str_eq(o.username, PERDITION_USER);
	ck_assert_str_eq(o.ok_line, "You are so in");
	ck_assert_str_eq(o.pop_capability, "UIDL.USER");
	ck_assert_str_eq(o.imap_capability, "IMAP4 IMAP4REV1");
	ck_assert_str_eq(o.managesieve_capability,
			 DEFAULT_MANAGESIEVE_CAPABILITY);
	ck_assert_str_eq(o.map_library, DEFAULT_MAP_LIBRARY);
	ck_assert_ptr_null(o.map_library_opt);
	ck_assert_ptr_null(o.bind_address);
	ck_assert_ptr_null(o.outgoing_server);
	ck_assert_ptr_null(o.listen_port);
	ck_assert_ptr_null(o.pid_file);
	ck_assert_uint_eq(o.add_domain, 0);
	ck_assert_uint_eq(o.add_domain_strip_depth, 1);
	ck_assert_uint_eq(o.log_passwd, LOG_PASSWD_NEVER);
	ck_assert_int_eq(o.protocol, PROTO_POP3);
	ck_assert_uint_eq(o.ssl_mode, SSL_MODE_EMPTY);
	ck_assert_int_eq(o.ssl_cert_verify_depth, 9);
	ck_assert_str_eq(o.ssl_listen_min_proto_version, "tlsv1.2");
	ck_assert_str_eq(o.ssl_outgoing_min_proto_version, "tlsv1.2");
	ck_assert_ptr_null(o.ssl_listen_max_proto_version);
	ck_assert_str_eq(o.ssl_ca_path, PERDITION_SYSCONFDIR "/perdition.ca/");
	ck_assert_str_eq(o.ssl_cert_file,
			 PERDITION_SYSCONFDIR "/perdition.crt.pem");
	ck_assert_str_eq(o.ssl_key_file,
			 PERDITION_SYSCONFDIR "/perdition.key.pem");
	for (int i = 0; i < OPTION_COUNT; i++)
		ck_assert(!o.given[i] && !o.seen[i]);
	options_free(&o);
}
END_TEST

/* Usage errors: one message naming the option. */
struct err_case {
	const char *args[8];
	bool finish; /* the error comes from options_finish() */
	const char *want;
};

static const struct err_case err_cases[] = {
	{ { "-t", "abc" }, false,
	  "Parameter to t|timeout must be a positive integer: \"abc\"" },
	{ { "--authenticate_timeout", "-1" }, false,
	  "Parameter to authenticate_timeout must be a positive integer: "
	  "\"-1\"" },
	{ { "-L", "99999999999999999999999" }, false,
	  "Parameter to L|connection_limit must be a positive integer" },
	{ { "--connect_relog=1x" }, false,
	  "Parameter to connect_relog must be a positive integer: \"1x\"" },
	{ { "--bogus" }, false, "--bogus: unknown option" },
	{ { "--bogus=1" }, false, "--bogus: unknown option" },
	{ { "-Z" }, false, "-Z: unknown option" },
	{ { "-d", "-Z" }, false, "-Z: unknown option" },
	{ { "--debug=1" }, false, "--debug: option does not take an argument" },
	{ { "-t" }, false, "-t: missing argument" },
	{ { "--timeout" }, false, "--timeout: missing argument" },
	{ { "extra" }, false, "trailing argument: extra" },
	{ { "-d", "extra", "more" }, false, "trailing argument: extra" },
	{ { "--pid_file", "relative" }, false,
	  "Invalid pid file: \"relative\"" },
	{ { "-P", "foo" }, false, "Unknown protocol: \"foo\"" },
	{ { "-P", "" }, false, "Unknown protocol: \"\"" },
	{ { "--log_passwd", "sometimes" }, false,
	  "Unknown log_passwd value: \"sometimes\"" },
	{ { "-A", "bogus" }, false, "unknown state for add_domain: \"bogus\"" },
	{ { "-S", "3" }, false, "unknown state for strip_domain: \"3\"" },
	{ { "--lower_case", "all," }, false,
	  "unknown state for lower_case: \"\"" },
	{ { "-A", "all,99999999999" }, false, "strip depth for add_domain" },
#ifdef WITH_SSL_SUPPORT
	{ { "--ssl_mode", "ssl_listen,tls_listen" }, false,
	  "invalid ssl_mode combination: \"ssl_listen,tls_listen\"" },
	{ { "--ssl_mode", "none,ssl_all" }, false,
	  "invalid ssl_mode combination" },
	{ { "--ssl_mode", "tls_all", "--ssl_mode", "none" }, false,
	  "invalid ssl_mode combination: \"none\"" },
	{ { "--ssl_mode", "ssl_outgoing", "--ssl_mode", "tls_outgoing_force" },
	  false, "invalid ssl_mode combination" },
	{ { "--ssl_mode", "ssl_all,tls_all_force" }, false,
	  "invalid ssl_mode combination" },
	{ { "--ssl_mode", "bogus" }, false, "unknown ssl_mode: \"bogus\"" },
	{ { "--ssl_listen_min_proto_version", "" }, false,
	  "Invalid protocol version for ssl_listen_min_proto_version: \"\"" },
	{ { "--ssl_outgoing_max_proto_version", "tlsv2" }, false,
	  "Invalid protocol version for ssl_outgoing_max_proto_version: "
	  "\"tlsv2\"" },
	{ { "--ssl_passphrase_fd", "x" }, false,
	  "Parameter to ssl_passphrase_fd must be a positive integer" },
	{ { "--ssl_passphrase_fd", "3", "--ssl_passphrase_file", "/p" }, true,
	  "ssl_passphrase_fd and ssl_passphrase_file may not be used "
	  "together" },
	{ { "--ssl_listen_max_proto_version", "tlsv1.1" }, true,
	  "ssl_listen_min_proto_version \"tlsv1.2\" is newer than "
	  "ssl_listen_max_proto_version \"tlsv1.1\"" },
	{ { "--ssl_outgoing_min_proto_version", "tlsv1.3",
	    "--ssl_outgoing_max_proto_version", "tlsv1.2" }, true,
	  "ssl_outgoing_min_proto_version \"tlsv1.3\" is newer than "
	  "ssl_outgoing_max_proto_version \"tlsv1.2\"" },
#else
	{ { "--ssl_mode", "ssl_all" }, false,
	  "ssl_mode is only supported when ssl support is compiled in" },
	{ { "-P", "pop3s" }, true,
	  "protocol POP3S is only supported when ssl support is compiled in" },
#endif
#ifdef WITH_PAM_SUPPORT
	{ { "-a", "-P", "managesieve" }, true,
	  "authenticate_in is not supported with the MANAGESIEVE protocol" },
#else
	{ { "-a" }, false,
	  "authenticate_in is only supported when pam support is compiled in" },
#endif
};

START_TEST(test_usage_errors)
{
	const struct err_case *c = &err_cases[_i];
	struct options o;
	char err[512];
	int rc = parse(&o, c->args, err, sizeof(err));

	if (c->finish) {
		ck_assert_msg(rc == 0, "%s", err);
		rc = options_finish(&o, err, sizeof(err));
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strstr(err, c->want) == err, "got \"%s\" want \"%s\"",
		      err, c->want);
	ck_assert(strchr(err, '\n') == NULL);
	options_free(&o);
}
END_TEST

/* Valid values that must not be rejected. */
START_TEST(test_valid_values)
{
	static const char *const ok[][6] = {
		{ "-t", "", NULL },           /* "" counts as digits: 0 */
		{ "-t", "0", NULL },
		{ "--timeout", "4294967295", NULL },
		{ "-P", "Imap4", NULL },
		{ "-P", "MANAGESIEVE", NULL },
		{ "--pid_file", "", NULL },
		{ "--pid_file", "/run/x.pid", NULL },
		{ "--log_passwd", "ALWAYS", NULL },
		{ "-A", "", NULL },
		{ "-M", "", NULL },
#ifdef WITH_SSL_SUPPORT
		{ "--ssl_cert_verify_depth", "12abc", NULL }, /* like atoi */
		{ "--ssl_mode", "none", NULL },
		{ "--ssl_mode", "ssl_listen,tls_outgoing", NULL },
		{ "--ssl_mode", "TLS_ALL_FORCE", NULL },
		{ "--ssl_mode", "tls_listen_force,ssl_outgoing", NULL },
		{ "--ssl_mode", "tls_listen", "--ssl_mode", "tls_outgoing",
		  NULL },
		{ "--ssl_listen_min_proto_version", "sslv3",
		  "--ssl_listen_max_proto_version", "tlsv1", NULL },
		/* Per side: a low outgoing max does not touch listen. */
		{ "--ssl_outgoing_min_proto_version", "tlsv1",
		  "--ssl_outgoing_max_proto_version", "tlsv1.1", NULL },
		{ "--ssl_listen_max_proto_version", "tlsv1.3", NULL },
		{ "--ssl_passphrase_fd", "0", NULL },
#endif
	};
	struct options o;
	char err[512];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ck_assert_msg(parse(&o, ok[i], err, sizeof(err)) == 0,
			      "%s %s: %s", ok[i][0], ok[i][1], err);
		ck_assert_msg(options_finish(&o, err, sizeof(err)) == 0,
			      "%s %s: %s", ok[i][0], ok[i][1], err);
		options_free(&o);
	}
	{
		const char *a[] = { "-t", "", "--ssl_cert_verify_depth", "-3x",
				    NULL };

		ck_assert_int_eq(parse(&o, a, err, sizeof(err)),
				 available(OPTION_IDX_ssl_cert_verify_depth)
					 ? 0 : -1);
		ck_assert_uint_eq(o.timeout, 0);
		if (available(OPTION_IDX_ssl_cert_verify_depth))
			ck_assert_int_eq(o.ssl_cert_verify_depth, -3);
		options_free(&o);
	}
}
END_TEST

START_TEST(test_state_lists)
{
	static const struct {
		const char *args[6];
		unsigned add, strip, lower, depth;
	} cases[] = {
		{ { "-A", "servername_lookup,local_auth,3" },
		  STATE_SERVERNAME_LOOKUP | STATE_LOCAL_AUTH, 0, 0, 3 },
		{ { "-A", "all,0" }, STATE_ALL, 0, 0, 0 },
		{ { "-A", "2" }, 0, 0, 0, 2 },
		{ { "-A", "remote_login", "-A", "local_authentication" },
		  STATE_REMOTE_LOGIN | STATE_LOCAL_AUTH, 0, 0, 1 },
		{ { "-S", "ALL" }, 0, STATE_ALL, 0, 1 },
		{ { "-S", "Server_Lookup,remote_login" }, 0,
		  STATE_SERVERNAME_LOOKUP | STATE_REMOTE_LOGIN, 0, 1 },
		{ { "--lower_case", "remote_login" }, 0, 0, STATE_REMOTE_LOGIN,
		  1 },
		{ { "--lower_case", "LOCAL_AUTHENTICATION,all" }, 0, 0,
		  STATE_ALL, 1 },
	};
	struct options o;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_msg(parse(&o, cases[i].args, err, sizeof(err)) == 0,
			      "%s", err);
		ck_assert_uint_eq(o.add_domain, cases[i].add);
		ck_assert_uint_eq(o.strip_domain, cases[i].strip);
		ck_assert_uint_eq(o.lower_case, cases[i].lower);
		ck_assert_uint_eq(o.add_domain_strip_depth, cases[i].depth);
		options_free(&o);
	}
}
END_TEST

#ifdef WITH_SSL_SUPPORT
START_TEST(test_ssl_modes)
{
	static const struct {
		const char *arg;
		unsigned want;
		const char *logged;
	} cases[] = {
		{ "none", SSL_MODE_NONE, "none" },
		{ "ssl_listen", SSL_MODE_SSL_LISTEN, "ssl_listen" },
		{ "ssl_outgoing", SSL_MODE_SSL_OUTGOING, "ssl_outgoing" },
		{ "ssl_all", SSL_MODE_SSL_ALL, "ssl_all" },
		{ "ssl_listen,ssl_outgoing", SSL_MODE_SSL_ALL, "ssl_all" },
		{ "tls_listen", SSL_MODE_TLS_LISTEN, "tls_listen" },
		{ "tls_outgoing", SSL_MODE_TLS_OUTGOING, "tls_outgoing" },
		{ "tls_all", SSL_MODE_TLS_ALL, "tls_all" },
		{ "tls_listen_force",
		  SSL_MODE_TLS_LISTEN | SSL_MODE_TLS_LISTEN_FORCE,
		  "tls_listen,tls_listen_force" },
		{ "tls_outgoing_force",
		  SSL_MODE_TLS_OUTGOING | SSL_MODE_TLS_OUTGOING_FORCE,
		  "tls_outgoing,tls_outgoing_force" },
		{ "tls_all_force",
		  SSL_MODE_TLS_ALL | SSL_MODE_TLS_LISTEN_FORCE |
			  SSL_MODE_TLS_OUTGOING_FORCE,
		  "tls_all,tls_all_force" },
		{ "ssl_listen,tls_outgoing",
		  SSL_MODE_SSL_LISTEN | SSL_MODE_TLS_OUTGOING,
		  "ssl_listen,tls_outgoing" },
	};
	struct options o;
	char err[256], want[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *a[] = { "--ssl_mode", cases[i].arg, NULL };

		ck_assert_msg(parse(&o, a, err, sizeof(err)) == 0, "%s", err);
		ck_assert_int_eq(options_finish(&o, err, sizeof(err)), 0);
		ck_assert_uint_eq(o.ssl_mode, cases[i].want);
		snprintf(want, sizeof(want), "ssl_mode=\"%s\", ",
			 cases[i].logged);
		ck_assert_msg(strncmp(options_log_string(&o, 2), want,
				      strlen(want)) == 0,
			      "%s", options_log_string(&o, 2));
		options_free(&o);
	}
}
END_TEST
#endif

START_TEST(test_basename_protocol)
{
	static const struct {
		const char *argv0;
		int proto;
		const char *port;
	} cases[] = {
		{ "/usr/sbin/perdition", PROTO_POP3, "pop3" },
		{ "perdition.pop3", PROTO_POP3, "pop3" },
		{ "/x/perdition.imap4", PROTO_IMAP4, "imap" },
		{ "perdition.managesieve", PROTO_MANAGESIEVE, "sieve" },
		{ "/sbin/perdition.unknown", PROTO_POP3, "pop3" },
		{ "weird", PROTO_POP3, "pop3" },
		{ "", PROTO_POP3, "pop3" },
#ifdef WITH_SSL_SUPPORT
		{ "perdition.pop3s", PROTO_POP3S, "pop3s" },
		{ "perdition.imap4s", PROTO_IMAP4S, "imaps" },
		{ "/usr/sbin/perdition.imaps", PROTO_IMAP4S, "imaps" },
#endif
	};
	const char *none[] = { NULL };
	struct options o;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(parse0(&o, cases[i].argv0, none, err,
					sizeof(err)), 0);
		ck_assert_int_eq(o.protocol, cases[i].proto);
		ck_assert(!o.protocol_set);
		ck_assert_int_eq(options_finish(&o, err, sizeof(err)), 0);
		ck_assert_str_eq(o.listen_port, cases[i].port);
		ck_assert_str_eq(o.outgoing_port, cases[i].port);
		options_free(&o);
	}
	{
		const char *a[] = { "-P", "Imap4", NULL };

		ck_assert_int_eq(parse0(&o, "perdition.pop3", a, err,
					sizeof(err)), 0);
		ck_assert_int_eq(o.protocol, PROTO_IMAP4);
		ck_assert(o.protocol_set);
		ck_assert_str_eq(o.basename, "perdition.pop3");
		options_free(&o);
	}
}
END_TEST

START_TEST(test_finish)
{
	struct options o;
	char err[256];

	{
		const char *a[] = { "-n", "-P", "managesieve", NULL };

		ck_assert_int_eq(parse(&o, a, err, sizeof(err)), 0);
		ck_assert_int_eq(options_finish(&o, err, sizeof(err)), 0);
		ck_assert_str_eq(o.listen_port, "4190");
		ck_assert_str_eq(o.outgoing_port, "4190");
		ck_assert_str_eq(o.pid_file, PERDITION_LOCALSTATEDIR
				 "/run/perdition/perdition.pid");
		ck_assert_str_eq(o.basename, "perdition");
		options_free(&o);
	}
	{
		const char *a[] = { "-l", "23", "--pid_file", "",
				    "--server_ok_line", NULL };

		ck_assert_int_eq(parse0(&o, "/sbin/perdition.imap4", a, err,
					sizeof(err)), 0);
		ck_assert_int_eq(options_finish(&o, err, sizeof(err)), 0);
		ck_assert_str_eq(o.listen_port, "23");
		ck_assert_str_eq(o.outgoing_port, "imap");
		ck_assert_str_eq(o.pid_file, "");
		ck_assert(o.server_resp_line);
		options_free(&o);
	}
	{
		const char *a[] = { "-I", "CAP1 CAP2", NULL };

		ck_assert_int_eq(parse0(&o, "perdition.imap4", a, err,
					sizeof(err)), 0);
		ck_assert_int_eq(options_finish(&o, err, sizeof(err)), 0);
		ck_assert_str_eq(o.pop_capability, "CAP1 CAP2");
		ck_assert_str_eq(o.imap_capability, "CAP1 CAP2");
		ck_assert_str_eq(o.managesieve_capability, "CAP1 CAP2");
		ck_assert_str_eq(o.pid_file, PERDITION_LOCALSTATEDIR
				 "/run/perdition.imap4/perdition.imap4.pid");
		options_free(&o);
	}
	{
		/* A later --imap_capability beats an earlier -I. */
		const char *a[] = { "-I", "X", "--imap_capability", "Y", NULL };

		ck_assert_int_eq(parse(&o, a, err, sizeof(err)), 0);
		ck_assert_str_eq(o.imap_capability, "Y");
		ck_assert_str_eq(o.pop_capability, "X");
		options_free(&o);
	}
#ifdef WITH_SSL_SUPPORT
	{
		const char *none[] = { NULL };
		const char *a[] = { "--ssl_mode", "tls_listen", "-n", NULL };

		ck_assert_int_eq(parse0(&o, "perdition.pop3s", none, err,
					sizeof(err)), 0);
		ck_assert_int_eq(options_finish(&o, err, sizeof(err)), 0);
		ck_assert_uint_eq(o.ssl_mode, SSL_MODE_SSL_ALL);
		options_free(&o);
		ck_assert_int_eq(parse0(&o, "perdition.imaps", a, err,
					sizeof(err)), 0);
		ck_assert_int_eq(options_finish(&o, err, sizeof(err)), 0);
		ck_assert_uint_eq(o.ssl_mode, SSL_MODE_TLS_LISTEN);
		ck_assert_str_eq(o.listen_port, "993");
		options_free(&o);
	}
#endif
}
END_TEST

/* ------------------------------------------------------- config files */

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static const char *tpath(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return path;
}

static void setup_dir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_options_d_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	options_set_sysconfdir(tmpdir);
}

static void teardown_dir(void)
{
	static const char *const names[] = {
		"perdition.conf", "perdition.pop3.conf", "perdition.imap4.conf",
		"myproxy.conf", "c.conf", "big.conf",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(tpath(names[i]));
	rmdir(tmpdir);
	options_set_sysconfdir(NULL);
}

/* D-3: the command line beats the file for every option. */
START_TEST(test_cli_beats_file)
{
	struct options o;
	char err[512];
	const char *a[] = { "-l", "23010", "-s", "Y", "-b", "C",
			    "--query_key", "R", "-C", "-f", NULL, NULL };

	write_file("c.conf",
		   "l 23999\n"
		   "outgoing_server X\n"
		   "bind_address B\n"
		   "query_key Q\n"
		   "connection_logging\n"
		   "debug\n"
		   "timeout 5\n");
	a[10] = tpath("c.conf");
	ck_assert_msg(read_opts(&o, "perdition", a, err, sizeof(err)) == 0,
		      "%s", err);
	ck_assert_str_eq(o.listen_port, "23010");
	ck_assert_str_eq(o.outgoing_server, "Y");
	ck_assert_str_eq(o.bind_address, "C");
	ck_assert_str_eq(o.query_key, "R");
	ck_assert(o.connection_logging);
	ck_assert(o.debug); /* -C no longer masks debug */
	ck_assert_uint_eq(o.timeout, 5);
	ck_assert_str_eq(o.config_file, tpath("c.conf"));
	options_free(&o);

	/* Every option: a file value never overrides the command line. */
	for (int i = 0; i < OPTION_COUNT; i++) {
		struct options p;
		const char *arg = sample_arg(i);
		char line[256];

		if (!available(i) || (tbl[i].scope & OPT_CLI_ONLY) ||
		    tbl[i].kind == OPT_KIND_FLAG)
			continue;
		options_defaults(&p);
		p.given[i] = true;
		snprintf(line, sizeof(line), "%s %s\n", tbl[i].name, arg);
		write_file("c.conf", line);
		ck_assert_int_eq(options_parse_file(&p, tpath("c.conf"), err,
						    sizeof(err)), 0);
		ck_assert_msg(!p.seen[i], "%s", tbl[i].name);
		options_free(&p);
	}
}
END_TEST

START_TEST(test_file_errors)
{
	struct options o;
	char err[512];

	/* An unknown key stops processing; earlier lines stay. */
	write_file("c.conf", "timeout 5\nbogus 1\nconnect_relog 7\n");
	options_defaults(&o);
	ck_assert_int_eq(options_parse_file(&o, tpath("c.conf"), err,
					    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "line 2: unknown option: \"bogus\"") !=
			      NULL, "%s", err);
	ck_assert_uint_eq(o.timeout, 5);
	ck_assert_uint_eq(o.connect_relog, 300);
	options_free(&o);

	/* A bad number is not fatal either. */
	write_file("c.conf", "t 5\nt abc\n");
	options_defaults(&o);
	ck_assert_int_eq(options_parse_file(&o, tpath("c.conf"), err,
					    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "line 2: Parameter to t|timeout must be") !=
			      NULL, "%s", err);
	options_free(&o);

	/* A flag with a value, a value-less option. */
	write_file("c.conf", "debug yes\n");
	options_defaults(&o);
	ck_assert_int_eq(options_parse_file(&o, tpath("c.conf"), err,
					    sizeof(err)), -1);
	ck_assert(!o.debug);
	options_free(&o);
	write_file("c.conf", "timeout\n");
	options_defaults(&o);
	ck_assert_int_eq(options_parse_file(&o, tpath("c.conf"), err,
					    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "missing argument") != NULL, "%s", err);
	options_free(&o);

	/* protocol, log_passwd and pid_file are usage errors (-2). */
	write_file("c.conf", "protocol foo\n");
	options_defaults(&o);
	ck_assert_int_eq(options_parse_file(&o, tpath("c.conf"), err,
					    sizeof(err)), -2);
	ck_assert_msg(strstr(err, "Unknown protocol: \"foo\"") != NULL, "%s",
		      err);
	options_free(&o);
	write_file("c.conf", "log_passwd x\n");
	options_defaults(&o);
	ck_assert_int_eq(options_parse_file(&o, tpath("c.conf"), err,
					    sizeof(err)), -2);
	options_free(&o);
	write_file("c.conf", "pid_file rel\n");
	options_defaults(&o);
	ck_assert_int_eq(options_parse_file(&o, tpath("c.conf"), err,
					    sizeof(err)), -2);
	options_free(&o);
	{
		const char *a[] = { "-f", NULL, NULL };

		a[1] = tpath("c.conf");
		ck_assert_int_eq(read_opts(&o, "perdition", a, err,
					   sizeof(err)), -1);
		ck_assert_msg(strstr(err, "Invalid pid file: \"rel\"") != NULL,
			      "%s", err);
		options_free(&o);
	}

	/* Tokenizer errors name the line; lines before stay applied. */
	write_file("c.conf", "timeout 5\nok_line 'x\nconnect_relog 7\n");
	options_defaults(&o);
	ck_assert_int_eq(options_parse_file(&o, tpath("c.conf"), err,
					    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "line 2: unterminated quote") != NULL, "%s",
		      err);
	ck_assert_uint_eq(o.timeout, 5);
	ck_assert_str_eq(o.ok_line, "You are so in");
	options_free(&o);

	/* A missing file is an error, not a crash. */
	options_defaults(&o);
	ck_assert_int_eq(options_parse_file(&o, "/nonexistent/x.conf", err,
					    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "could not open") != NULL, "%s", err);
	options_free(&o);
}
END_TEST

/* Non-fatal file errors do not stop options_read(). */
START_TEST(test_file_errors_not_fatal)
{
	struct options o;
	char err[512];
	const char *a[] = { "-f", NULL, NULL };
	char *big;
	FILE *f;

	write_file("c.conf", "timeout 5\nbogus\nconnect_relog 7\n");
	a[1] = tpath("c.conf");
	ck_assert_int_eq(read_opts(&o, "perdition", a, err, sizeof(err)), 0);
	ck_assert_uint_eq(o.timeout, 5);
	ck_assert_uint_eq(o.connect_relog, 300);
	options_free(&o);

	a[1] = "/nonexistent/perdition.conf";
	ck_assert_int_eq(read_opts(&o, "perdition", a, err, sizeof(err)), 0);
	options_free(&o);

	/* A 5000-byte token, NUL bytes, a huge number. */
	big = malloc(6000);
	memset(big, 'x', 5000);
	big[5000] = '\0';
	f = fopen(tpath("big.conf"), "w");
	fprintf(f, "timeout 6\nok_line %s\n", big);
	fclose(f);
	a[1] = tpath("big.conf");
	ck_assert_int_eq(read_opts(&o, "perdition", a, err, sizeof(err)), 0);
	ck_assert_uint_eq(o.timeout, 6);
	ck_assert_str_eq(o.ok_line, "You are so in");
	options_free(&o);
	free(big);

	f = fopen(tpath("big.conf"), "w");
	fwrite("timeout 7\nok_line a\0b\nconnect_relog 1\n", 1, 37, f);
	fclose(f);
	ck_assert_int_eq(read_opts(&o, "perdition", a, err, sizeof(err)), 0);
	ck_assert_uint_eq(o.timeout, 7);
	ck_assert_uint_eq(o.connect_relog, 300);
	options_free(&o);

	write_file("big.conf", "timeout 99999999999999999999999999\n");
	ck_assert_int_eq(read_opts(&o, "perdition", a, err, sizeof(err)), 0);
	ck_assert_uint_eq(o.timeout, 1800);
	options_free(&o);
}
END_TEST

START_TEST(test_file_grammar)
{
	struct options o;
	char err[512];

	write_file("c.conf",
		   "# perdition.conf \\\n"
		   "timeout 5\n"
		   "connect_relog 7\n"
		   "query_key \"\\\\u,\\\\D\\\\d\"\n"
		   "ok_line   Hello   there   # comment\n"
		   "f /nonexistent\n"
		   "config_file /x\n"
		   "h\n"
		   "help\n"
		   "  A all,2\n"
		   "D '%%'\n"
		   "map_library \"\"\n");
	options_defaults(&o);
	ck_assert_msg(options_parse_file(&o, tpath("c.conf"), err,
					 sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(o.timeout, 1800); /* commented out */
	ck_assert_uint_eq(o.connect_relog, 7);
	ck_assert_str_eq(o.query_key, "\\u,\\D\\d");
	ck_assert_str_eq(o.ok_line, "Hello   there");
	ck_assert_ptr_null(o.config_file);
	ck_assert(!o.help);
	ck_assert_uint_eq(o.add_domain, STATE_ALL);
	ck_assert_uint_eq(o.add_domain_strip_depth, 2);
	ck_assert_str_eq(o.domain_delimiter, "%%");
	ck_assert_str_eq(o.map_library, "");
	for (int i = 0; i < OPTION_COUNT; i++)
		ck_assert(!o.given[i]);
	options_free(&o);
}
END_TEST

/* SPEC 2.1: <basename>.conf, perdition.<proto>.conf, perdition.conf. */
START_TEST(test_config_search)
{
	struct options o;
	char err[512];
	const char *none[] = { NULL };
	const char *imap[] = { "-P", "imap4", NULL };
	const char *off[] = { "-f", "", NULL };

	ck_assert_int_eq(read_opts(&o, "myproxy", none, err, sizeof(err)), 0);
	ck_assert_ptr_null(o.config_file);
	options_free(&o);

	write_file("perdition.conf", "timeout 1\n");
	ck_assert_int_eq(read_opts(&o, "myproxy", none, err, sizeof(err)), 0);
	ck_assert_uint_eq(o.timeout, 1);
	ck_assert_str_eq(o.config_file, tpath("perdition.conf"));
	options_free(&o);

	write_file("perdition.pop3.conf", "timeout 2\n");
	ck_assert_int_eq(read_opts(&o, "myproxy", none, err, sizeof(err)), 0);
	ck_assert_uint_eq(o.timeout, 2);
	options_free(&o);

	write_file("myproxy.conf", "timeout 3\n");
	ck_assert_int_eq(read_opts(&o, "/usr/sbin/myproxy", none, err,
				   sizeof(err)), 0);
	ck_assert_uint_eq(o.timeout, 3);
	options_free(&o);

	/* -P does not change the search: the basename's protocol does. */
	write_file("perdition.imap4.conf", "timeout 4\n");
	ck_assert_int_eq(read_opts(&o, "perdition", imap, err, sizeof(err)), 0);
	ck_assert_uint_eq(o.timeout, 2);
	ck_assert_int_eq(o.protocol, PROTO_IMAP4);
	options_free(&o);
	ck_assert_int_eq(read_opts(&o, "perdition.imap4", none, err,
				   sizeof(err)), 0);
	ck_assert_uint_eq(o.timeout, 4);
	options_free(&o);

	/* -f "" reads nothing. */
	ck_assert_int_eq(read_opts(&o, "myproxy", off, err, sizeof(err)), 0);
	ck_assert_uint_eq(o.timeout, 1800);
	ck_assert_str_eq(o.config_file, "");
	options_free(&o);

	/* A protocol from the file is used, basename defaults are not
	 * re-applied. */
	write_file("perdition.conf", "protocol IMAP4\n");
	unlink(tpath("perdition.pop3.conf"));
	ck_assert_int_eq(read_opts(&o, "perdition", none, err, sizeof(err)), 0);
	ck_assert_int_eq(o.protocol, PROTO_IMAP4);
	ck_assert_str_eq(o.listen_port, "imap");
	options_free(&o);
}
END_TEST

/* ------------------------------------------------------------ --help */

/* Static: GCC's dangling-pointer check misreads a local here. */
static char *usage_buf;
static size_t usage_len;

static char *usage_text(void)
{
	FILE *f;

	usage_buf = NULL;
	f = open_memstream(&usage_buf, &usage_len);
	ck_assert_ptr_nonnull(f);
	options_usage(f);
	fclose(f);
	return usage_buf;
}

START_TEST(test_usage_lists_every_option)
{
	char *text = usage_text();
	char want[128];

	for (int i = 0; i < OPTION_COUNT; i++) {
		if (tbl[i].letter != 0)
			snprintf(want, sizeof(want), "  -%c, --%s\n",
				 tbl[i].letter, tbl[i].name);
		else
			snprintf(want, sizeof(want), "      --%s", tbl[i].name);
		if (strstr(text, want) == NULL) {
			/* An argument may follow the name. */
			want[strlen(want) - (tbl[i].letter ? 1 : 0)] = '\0';
			snprintf(want + strlen(want), sizeof(want) - strlen(want),
				 " ");
		}
		ck_assert_msg(strstr(text, want) != NULL, "missing %s",
			      tbl[i].name);
	}
	/* D-15: the POP3 default is shown, not the IMAP one. */
	{
		const char *p = strstr(text, "--pop_capability");
		const char *q = strstr(p, "--protocol");

		ck_assert_ptr_nonnull(p);
		ck_assert_ptr_nonnull(strstr(p, "\"UIDL.USER\""));
		ck_assert(strstr(p, "\"UIDL.USER\"") < q);
	}
	ck_assert_ptr_nonnull(strstr(text, "(default: 1800)"));
	ck_assert_ptr_nonnull(strstr(text, "(default: \"@\")"));
	/* Lines are wrapped. */
	for (char *line = text, *nl; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		ck_assert_ptr_nonnull(nl);
		ck_assert_msg(nl - line <= 78 || memchr(line, ' ', 8) == line,
			      "long line: %.*s", (int)(nl - line), line);
	}
	free(text);
}
END_TEST

/* Run options_load() in a child; collect its stdout, stderr, status. */
static int run_load(const char *const *args, char *out, size_t outlen,
		    char *errbuf, size_t errlen)
{
	int po[2], pe[2], status;
	pid_t pid;
	ssize_t n;

	ck_assert_int_eq(pipe(po), 0);
	ck_assert_int_eq(pipe(pe), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *argv[MAXARGS];
		int argc = 0;

		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		argv[argc++] = "perdition";
		for (; *args != NULL; args++)
			argv[argc++] = (char *)*args;
		argv[argc] = NULL;
		options_set_sysconfdir("/nonexistent");
		options_load(argc, argv);
		_exit(77);
	}
	close(po[1]);
	close(pe[1]);
	{
		size_t got = 0;

		while (got + 1 < outlen &&
		       (n = read(po[0], out + got, outlen - 1 - got)) > 0)
			got += (size_t)n;
		out[got] = '\0';
		got = 0;
		while (got + 1 < errlen &&
		       (n = read(pe[0], errbuf + got, errlen - 1 - got)) > 0)
			got += (size_t)n;
		errbuf[got] = '\0';
	}
	close(po[0]);
	close(pe[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(test_load_exits)
{
	static char out[65536], errb[4096];
	const char *help[] = { "--help", NULL };
	const char *h[] = { "-d", "-h", "--bogus", NULL };
	const char *ver[] = { "--version", NULL };
	const char *bogus[] = { "--bogus", NULL };
	const char *t[] = { "-t", "abc", NULL };
	const char *trail[] = { "X", NULL };
	const char *ok[] = { "-f", "", "-d", NULL };

	ck_assert_int_eq(run_load(help, out, sizeof(out), errb, sizeof(errb)),
			 0);
	ck_assert_ptr_nonnull(strstr(out, "--ssl_no_cipher_server_preference"));
	ck_assert_str_eq(errb, "");
	ck_assert_int_eq(run_load(h, out, sizeof(out), errb, sizeof(errb)), 0);
	ck_assert_ptr_nonnull(strstr(out, "--add_domain"));

	ck_assert_int_eq(run_load(ver, out, sizeof(out), errb, sizeof(errb)),
			 0);
	ck_assert_str_eq(out, "perdition version " PACKAGE_VERSION "\n");

	ck_assert_int_eq(run_load(bogus, out, sizeof(out), errb,
				  sizeof(errb)), EXIT_USAGE);
	ck_assert_str_eq(errb, "perdition: --bogus: unknown option\n");
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(run_load(t, out, sizeof(out), errb, sizeof(errb)),
			 EXIT_USAGE);
	ck_assert_str_eq(errb, "perdition: Parameter to t|timeout must be a "
			       "positive integer: \"abc\"\n");
	ck_assert_int_eq(run_load(trail, out, sizeof(out), errb,
				  sizeof(errb)), EXIT_USAGE);
	ck_assert_str_eq(errb, "perdition: trailing argument: X\n");

	/* No error: options_load() returns (the child exits 77). */
	ck_assert_int_eq(run_load(ok, out, sizeof(out), errb, sizeof(errb)),
			 77);
}
END_TEST

/* ------------------------------------------------------- option log */

START_TEST(test_log_strings)
{
	static const char *const keys1[] = {
		"add_domain=\"",
#ifdef WITH_PAM_SUPPORT
		"authenticate_in=",
#endif
		"authenticate_timeout=", "bind_address=\"",
		"client_server_specification=", "config_file=\"",
		"connection_limit=", "connection_logging=", "connect_relog=",
		"debug=", "domain_delimiter=\"", "explicit_domain=\"",
		"group=\"", "imap_capability=\"", "inetd_mode=",
		"listen_port=\"", "log_facility=\"", "log_passwd=\"",
		"login_disabled=", "lower_case=\"", "managesieve_capability=\"",
		"map_library=\"", "map_library_opt=\"", "no_bind_banner=",
		"no_daemon=", "no_lookup=", "tcp_keepalive=", "nodename=\"",
		"ok_line=\"", "outgoing_port=\"", "outgoing_server=\"",
		"pid_file=\"", "pop_capability=\"", "protocol=\"",
		"server_resp_line=", "strip_domain=\"", "timeout=",
		"username=\"", "username_from_database=", "query_key=\"",
		"quiet=", "(mask=0x",
	};
	struct options o;
	char err[256];
	const char *a[] = { "--no_daemon", "-F", "+", "-d", "-M", "", "-s",
			    "h:1", "-b", "127.0.0.1", "-l", "23001",
			    "--pid_file", "", "-f", "/dev/null", "-A", "all,2",
			    "--log_passwd", "fail", NULL };
	const char *s, *p;

	ck_assert_int_eq(read_opts(&o, "perdition", a, err, sizeof(err)), 0);
	ck_assert_str_eq(options_log_string(&o, 0),
			 "Starting perdition version=" PACKAGE_VERSION
			 " protocol=POP3");
	s = options_log_string(&o, 1);
	p = s;
	for (size_t i = 0; i < sizeof(keys1) / sizeof(keys1[0]); i++) {
		const char *q = strstr(p, keys1[i]);

		ck_assert_msg(q != NULL, "%s missing or out of order in %s",
			      keys1[i], s);
		p = q + strlen(keys1[i]);
	}
	ck_assert_ptr_nonnull(strstr(s, "add_domain=\"all,2\", "));
	ck_assert_ptr_nonnull(strstr(s, "debug=on, "));
	ck_assert_ptr_nonnull(strstr(s, "quiet=off (mask="));
	ck_assert_ptr_nonnull(strstr(s, "log_passwd=\"fail\""));
	ck_assert_ptr_nonnull(strstr(s, "timeout=1800, "));
	ck_assert_ptr_nonnull(strstr(s, "map_library_opt=\"(null)\""));
	ck_assert_ptr_nonnull(strstr(s, "listen_port=\"23001\""));
	/* A 0x1 A, 0x4 b, 0x80 d, 0x400 f, 0x2000 F, 0x8000 l, 0x20000 M,
	 * 0x100000 no_daemon, 0x800000 s; mask2 0x2 pid_file, 0x8 log_passwd */
	ck_assert_msg(strstr(s, "(mask=0x0092a485 0000000a)") != NULL, "%s", s);
	ck_assert(s[strlen(s) - 1] == ')');
#ifdef WITH_SSL_SUPPORT
	{
		static const char *const keys2[] = {
			"ssl_mode=\"", "ssl_ca_file=\"", "ssl_ca_path=\"",
			"ssl_ca_accept_self_signed=\"", "ssl_cert_file=\"",
			"ssl_cert_accept_expired=\"",
			"ssl_cert_not_yet_valid=\"", "ssl_cert_self_signed=\"",
			"ssl_cert_verify_depth=", "ssl_key_file=\"",
			"ssl_listen_ciphers=\"", "ssl_outgoing_ciphers=\"",
			"ssl_no_cert_verify=\"", "ssl_no_client_cert_verify=\"",
			"ssl_no_cn_verify=\"off\" ssl_passphrase_fd=",
			"ssl_passphrase_file=\"",
			"ssl_listen_min_proto_version=\"",
			"ssl_outgoing_min_proto_version=\"",
			"ssl_listen_max_proto_version=\"",
			"ssl_outgoing_max_proto_version=\"",
			"ssl_listen_compression=\"",
			"ssl_outgoing_compression=\"",
			"ssl_no_cipher_server_preference=\"",
			"(ssl_mask=0x00000000) ",
		};

		s = options_log_string(&o, 2);
		p = s;
		for (size_t i = 0; i < sizeof(keys2) / sizeof(keys2[0]); i++) {
			const char *q = strstr(p, keys2[i]);

			ck_assert_msg(q != NULL, "%s missing in %s", keys2[i],
				      s);
			p = q + strlen(keys2[i]);
		}
		ck_assert_str_eq(p, "");
		ck_assert_ptr_null(options_log_string(&o, 3));
	}
#else
	ck_assert_ptr_null(options_log_string(&o, 2));
#endif
	options_free(&o);

#ifdef WITH_SSL_SUPPORT
	{
		const char *b[] = { "--ssl_no_client_cert_verify",
				    "--ssl_mode", "tls_all",
				    "--ssl_no_cipher_server_preference", NULL };

		ck_assert_int_eq(read_opts(&o, "perdition", b, err,
					   sizeof(err)), 0);
		ck_assert_ptr_nonnull(strstr(options_log_string(&o, 2),
					     "(ssl_mask=0x01003400) "));
		ck_assert_ptr_nonnull(strstr(options_log_string(&o, 1),
					     "(mask=0x00000000 00000000)"));
		options_free(&o);
	}
#endif
}
END_TEST

START_TEST(test_checksum)
{
	struct options o;
	char err[256];
	const char *a[] = { "-f", "", "-l", "110", NULL };
	const char *b[] = { "-f", "", "-l", "111", NULL };
	unsigned c1, c2, c3;
	uint32_t sum = 0;
	const char *s;

	ck_assert_int_eq(read_opts(&o, "perdition", a, err, sizeof(err)), 0);
	c1 = options_checksum(&o);
	c2 = options_checksum(&o);
	ck_assert_uint_eq(c1, c2);
	for (int n = 0; (s = options_log_string(&o, n)) != NULL; n++)
		for (size_t i = 0; i + 1 < strlen(s); i++)
			sum += (unsigned char)s[i];
	ck_assert_uint_eq(c1, sum);
	options_free(&o);

	ck_assert_int_eq(read_opts(&o, "perdition", a, err, sizeof(err)), 0);
	ck_assert_uint_eq(options_checksum(&o), c1);
	options_free(&o);

	ck_assert_int_eq(read_opts(&o, "perdition", b, err, sizeof(err)), 0);
	c3 = options_checksum(&o);
	ck_assert_uint_ne(c1, c3);
	options_free(&o);
	ck_assert_str_eq(protocol_name(PROTO_MANAGESIEVE), "MANAGESIEVE");
	ck_assert_str_eq(protocol_name(PROTO_IMAP4S), "IMAP4S");
	ck_assert_str_eq(protocol_name(99), "unknown");
}
END_TEST

/*
 * SPEC 6.3: the bit each option sets when given on the command line, in
 * mask word 0 or 1 ("mask=") or 2 ("ssl_mask="); -1 for none.  Kept apart
 * from the table's MASK22 column, so a slip there shows here.
 */
static const struct {
	const char *name;
	int word;
	unsigned bit;
} spec_masks[OPTION_COUNT] = {
	{ "add_domain", 0, 0x1 },
	{ "authenticate_in", 0, 0x2 },
	{ "authenticate_timeout", 1, 0x10 },
	{ "login_timeout", -1, 0 },
	{ "server_timeout", -1, 0 },
	{ "max_failed_logins", -1, 0 },
	{ "no_bind_banner", 0, 0x80000 },
	{ "bind_address", 0, 0x4 },
	{ "connection_logging", 0, 0x8 },
	{ "connect_relog", 0, 0x40 },
	{ "client_server_specification", 0, 0x200 },
	{ "connection_limit", 0, 0x10 },
	{ "connection_limit_per_address", -1, 0 },
	{ "domain_delimiter", 0, 0x100 },
	{ "debug", 0, 0x80 },
	{ "explicit_domain", 1, 0x4 },
	{ "log_facility", 0, 0x2000 },
	{ "config_file", 0, 0x400 },
	{ "group", 0, 0x800 },
	{ "help", -1, 0 },
	{ "capability", -1, 0 },
	{ "imap_capability", 1, 0x20 },
	{ "inetd_mode", 0, 0x1000 },
	{ "listen_port", 0, 0x8000 },
	{ "log_passwd", 1, 0x8 },
	{ "login_failures_delay", -1, 0 },
	{ "login_failures_refuse", -1, 0 },
	{ "login_failures_window", -1, 0 },
	{ "login_disabled", 0, 0x4000 },
	{ "lower_case", 0, 0x10000 },
	{ "managesieve_capability", 1, 0x40 },
	{ "map_library", 0, 0x20000 },
	{ "map_library_opt", 0, 0x40000 },
	{ "no_daemon", 0, 0x100000 },
	{ "no_lookup", 0, 0x200000 },
	{ "ok_line", 1, 0x1 },
	{ "outgoing_port", 0, 0x400000 },
	{ "outgoing_server", 0, 0x800000 },
	{ "pid_file", 1, 0x2 },
	{ "pop_capability", 1, 0x80 },
	{ "protocol", 0, 0x1000000 },
	{ "proxy_protocol", -1, 0 },
	{ "proxy_protocol_trusted", -1, 0 },
	{ "query_key", 0, 0x40000000 },
	{ "quiet", 0, 0x80000000 },
	{ "server_ok_line", 0, 0x2000000 },
	{ "server_resp_line", 0, 0x2000000 },
	{ "shutdown_grace", -1, 0 },
	{ "strip_domain", 0, 0x4000000 },
	{ "tcp_keepalive", 1, 0x100 },
	{ "timeout", 0, 0x8000000 },
	{ "username", 0, 0x10000000 },
	{ "username_from_database", 0, 0x20000000 },
	{ "no_seccomp", -1, 0 },
	{ "chroot", -1, 0 },
	{ "forward_client_address", -1, 0 },
	{ "sasl_authorisation_id", -1, 0 },
	{ "version", -1, 0 },
	{ "ssl_mode", 2, 0x400 },
	{ "ssl_ca_chain_file", 2, 0x1 },
	{ "ssl_ca_file", 2, 0x2 },
	{ "ssl_ca_path", 2, 0x4 },
	{ "ssl_ca_accept_self_signed", 2, 0x8 },
	{ "ssl_cert_file", 2, 0x10 },
	{ "ssl_cert_accept_expired", 2, 0x20 },
	{ "ssl_cert_accept_not_yet_valid", 2, 0x40 },
	{ "ssl_cert_accept_self_signed", 2, 0x80 },
	{ "ssl_cert_verify_depth", 2, 0x100 },
	{ "ssl_dh_params_file", 2, 0x20000 },
	{ "ssl_key_file", 2, 0x200 },
	{ "ssl_listen_ciphers", 2, 0x800 },
	{ "ssl_outgoing_ciphers", 2, 0x800 },
	{ "ssl_no_cert_verify", 2, 0x1000 },
	{ "ssl_no_client_cert_verify", 2, 0x3000 },
	{ "ssl_no_cn_verify", 2, 0x4000 },
	{ "ssl_passphrase_fd", 2, 0x8000 },
	{ "ssl_passphrase_file", 2, 0x10000 },
	{ "ssl_listen_min_proto_version", 2, 0x40000 },
	{ "ssl_outgoing_min_proto_version", 2, 0x80000 },
	{ "ssl_listen_max_proto_version", 2, 0x100000 },
	{ "ssl_outgoing_max_proto_version", 2, 0x200000 },
	{ "ssl_listen_compression", 2, 0x400000 },
	{ "ssl_outgoing_compression", 2, 0x800000 },
	{ "ssl_no_cipher_server_preference", 2, 0x1000000 },
};

/* The three masks the option log shows for o. */
static void logged_masks(const struct options *o, unsigned m[3])
{
	const char *s = strstr(options_log_string(o, 1), "(mask=0x");

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(sscanf(s, "(mask=0x%x %x)", &m[0], &m[1]), 2);
	m[2] = 0;
#ifdef WITH_SSL_SUPPORT
	s = strstr(options_log_string(o, 2), "(ssl_mask=0x");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(sscanf(s, "(ssl_mask=0x%x)", &m[2]), 1);
#endif
}

START_TEST(test_mask22_bits)
{
	struct options o;
	unsigned got[3], want[3] = { 0, 0, 0 };

	ck_assert_str_eq(spec_masks[_i].name, tbl[_i].name);
	options_defaults(&o);
	o.given[_i] = true;
	logged_masks(&o, got);
	if (spec_masks[_i].word >= 0)
		want[spec_masks[_i].word] = spec_masks[_i].bit;
#ifndef WITH_SSL_SUPPORT
	want[2] = 0;
#endif
	ck_assert_msg(got[0] == want[0] && got[1] == want[1] &&
		      got[2] == want[2], "%s: 0x%x 0x%x 0x%x", tbl[_i].name,
		      got[0], got[1], got[2]);
	options_free(&o);
}
END_TEST

/* D-14: 2.2's daemon-map library reads opt's domain_delimiter at 0x50. */
START_TEST(test_compat22_opt)
{
	static char delim[] = "%";
	const char *at_0x50;

	compat22_fill(delim);
	memcpy(&at_0x50, (const char *)&opt + 0x50, sizeof(at_0x50));
	ck_assert_ptr_eq(at_0x50, delim);
}
END_TEST

static Suite *options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("table");
	TCase *tf = tcase_create("files");
	TCase *tl = tcase_create("output");

	tcase_add_loop_test(tc, test_every_long_option, 0, OPTION_COUNT);
	tcase_add_loop_test(tc, test_every_short_option, 0, OPTION_COUNT);
	tcase_add_loop_test(tc, test_every_file_option, 0, OPTION_COUNT);
	tcase_add_test(tc, test_defaults);
	tcase_add_loop_test(tc, test_usage_errors, 0,
			    (int)(sizeof(err_cases) / sizeof(err_cases[0])));
	tcase_add_test(tc, test_valid_values);
	tcase_add_test(tc, test_state_lists);
#ifdef WITH_SSL_SUPPORT
	tcase_add_test(tc, test_ssl_modes);
#endif
	tcase_add_test(tc, test_basename_protocol);
	tcase_add_test(tc, test_finish);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(tf, setup_dir, teardown_dir);
	tcase_add_test(tf, test_cli_beats_file);
	tcase_add_test(tf, test_file_errors);
	tcase_add_test(tf, test_file_errors_not_fatal);
	tcase_add_test(tf, test_file_grammar);
	tcase_add_test(tf, test_config_search);
	suite_add_tcase(s, tf);

	tcase_add_checked_fixture(tl, setup_dir, teardown_dir);
	tcase_add_test(tl, test_usage_lists_every_option);
	tcase_add_test(tl, test_load_exits);
	tcase_add_test(tl, test_log_strings);
	tcase_add_test(tl, test_checksum);
	tcase_add_loop_test(tl, test_mask22_bits, 0, OPTION_COUNT);
	tcase_add_test(tl, test_compat22_opt);
	suite_add_tcase(s, tl);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(options_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
