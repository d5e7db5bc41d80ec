/*
 * options.h: the ONE table of options.
 *
 * The table below drives the options struct, the defaults, getopt_long,
 * the config-file keys, --help, the startup option log with its 2.2 masks
 * and the man page's option list (tests/unit/check_manpage compares them).
 *
 * The code that reads it, by concern:
 *   options.c          the process's options: load them or exit
 *   options_desc.c     the table as data: names, kinds, field offsets,
 *                      names of values (also used by tools/gen_man_options)
 *   options_value.c    defaults, and one option's value parsed and set
 *   options_parse.c    argv, the config file and its search
 *   options_finish.c   checks across options, protocol-dependent defaults
 *   options_render.c   --help and the startup option log
 *   options_compat.c   2.2's option-log masks and the greeting checksum
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_OPTIONS_H
#define PERDITION_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

/* Protocols, in the order perdition 2.2 numbers them. */
enum protocol_id {
	PROTO_POP3 = 0,
	PROTO_POP3S,
	PROTO_IMAP4,
	PROTO_IMAP4S,
	PROTO_MANAGESIEVE,
};

/* Username states (add_domain, strip_domain, lower_case). */
#define STATE_SERVERNAME_LOOKUP 0x1u
#define STATE_LOCAL_AUTH 0x2u
#define STATE_REMOTE_LOGIN 0x4u
#define STATE_ALL 0x7u

/* log_passwd values: a mask of when the password is logged. */
#define LOG_PASSWD_NEVER 0x0u
#define LOG_PASSWD_FAIL 0x1u
#define LOG_PASSWD_OK 0x2u
#define LOG_PASSWD_ALWAYS 0x3u

/* ssl_mode bits. */
#define SSL_MODE_EMPTY 0x000u
#define SSL_MODE_NONE 0x001u
#define SSL_MODE_SSL_LISTEN 0x002u
#define SSL_MODE_SSL_OUTGOING 0x004u
#define SSL_MODE_TLS_LISTEN 0x008u
#define SSL_MODE_TLS_OUTGOING 0x010u
#define SSL_MODE_TLS_LISTEN_FORCE 0x020u
#define SSL_MODE_TLS_OUTGOING_FORCE 0x040u
#define SSL_MODE_SSL_ALL (SSL_MODE_SSL_LISTEN | SSL_MODE_SSL_OUTGOING)
#define SSL_MODE_TLS_ALL (SSL_MODE_TLS_LISTEN | SSL_MODE_TLS_OUTGOING)

#ifndef PERDITION_SYSCONFDIR
#define PERDITION_SYSCONFDIR "/etc/perdition"
#endif
#ifndef PERDITION_LOCALSTATEDIR
#define PERDITION_LOCALSTATEDIR "/var"
#endif
#ifndef PERDITION_LIBDIR
#define PERDITION_LIBDIR "/usr/lib"
#endif
#ifndef PERDITION_USER
#define PERDITION_USER "nobody"
#endif
#ifndef PERDITION_GROUP
#define PERDITION_GROUP "nogroup"
#endif

#define DEFAULT_MAP_LIBRARY PERDITION_LIBDIR "/libperditiondb_gdbm.so.0"
#define DEFAULT_MANAGESIEVE_CAPABILITY \
	"\"IMPLEMENTATION\" \"perdition\"  " \
	"\"SIEVE\" \"comparator-i;octet comparator-i;ascii-casemap fileinto " \
	"reject envelope encoded-character vacation subaddress " \
	"comparator-i;ascii-numeric relational regex imap4flags copy include " \
	"variables body enotify environment mailbox date\"  " \
	"\"SASL\" \"PLAIN\"  \"NOTIFY\" \"mailto\"  \"VERSION\" \"1.0\""

/*
 * Kinds of option and the C type each is stored as:
 *   FLAG      bool, no argument
 *   UINT      unsigned long; the argument must be all digits ("" is 0)
 *   INT       int, parsed like atoi (ssl_cert_verify_depth, as 2.2)
 *   STR       char *, NULL when unset
 *   STATE     unsigned mask of STATE_*; add_domain also sets
 *             add_domain_strip_depth
 *   LOGPASSWD unsigned, LOG_PASSWD_*
 *   PROTO     int, enum protocol_id
 *   SSLMODE   unsigned mask of SSL_MODE_*
 *   PROTOVER  char *, one of sslv3 tlsv1 tlsv1.1 tlsv1.2 tlsv1.3
 *   FD        unsigned long, all digits (ssl_passphrase_fd)
 */
#define OPT_TYPE_FLAG bool
#define OPT_TYPE_UINT unsigned long
#define OPT_TYPE_INT int
#define OPT_TYPE_STR char *
#define OPT_TYPE_STATE unsigned
#define OPT_TYPE_LOGPASSWD unsigned
#define OPT_TYPE_PROTO int
#define OPT_TYPE_SSLMODE unsigned
#define OPT_TYPE_PROTOVER char *
#define OPT_TYPE_FD unsigned long

/* The kinds as values, for code that walks the table at run time. */
enum option_kind {
	OPT_KIND_FLAG,
	OPT_KIND_UINT,
	OPT_KIND_INT,
	OPT_KIND_STR,
	OPT_KIND_STATE,
	OPT_KIND_LOGPASSWD,
	OPT_KIND_PROTO,
	OPT_KIND_SSLMODE,
	OPT_KIND_PROTOVER,
	OPT_KIND_FD,
};

/* Option scope: where an option may be given. */
#define OPT_CLI_AND_FILE 0
#define OPT_CLI_ONLY 1 /* ignored inside a config file (help, config_file) */
#define OPT_SSL 2      /* needs an SSL build */
#define OPT_PAM 4      /* needs a PAM build */

/*
 * The 2.2 mask column: the bit an option sets, when given on the command
 * line, in one of the three masks of 2.2's startup option log (SPEC 6.3).
 *   MASK22(1, bit)    first word of "mask=0x%08x %08x"
 *   MASK22(2, bit)    second word
 *   MASK22(SSL, bit)  "ssl_mask=0x%08x"
 *   NO_MASK22         none
 * The bits are 2.2's, shared where 2.2 shares them, except that
 * connection_logging has its own 0x8 (2.2 gave it debug's bit, D-3).
 */
enum mask22_word {
	MASK22_WORD_NONE,
	MASK22_WORD_1,
	MASK22_WORD_2,
	MASK22_WORD_SSL,
};

struct mask22_bit {
	enum mask22_word word;
	unsigned bit;
};

#define MASK22(word, bit) { MASK22_WORD_##word, (bit) }
#define NO_MASK22 { MASK22_WORD_NONE, 0 }

/*
 * X(kind, name, short letter or 0, scope, 2.2 mask bit, argument name,
 *   default, help)
 * The default is a C expression of the option's type.  Defaults that depend
 * on the protocol or on the invocation name (listen_port, outgoing_port,
 * pid_file) are NULL here and filled in by options_finish().
 */
#define OPTION_TABLE(X) \
	X(STATE, add_domain, 'A', OPT_CLI_AND_FILE, MASK22(1, 0x1), "STATE[,STATE...][,STRIP_DEPTH]", 0, \
	  "Append a domain to the user name in the given states: servername_lookup, " \
	  "local_authentication, remote_login or all. The domain is explicit_domain, " \
	  "else the reverse lookup of the local address with STRIP_DEPTH (default 1) " \
	  "leading labels removed.") \
	X(FLAG, authenticate_in, 'a', OPT_PAM, MASK22(1, 0x2), NULL, false, \
	  "Check the credentials with PAM (service perdition) before contacting the real server.") \
	X(UINT, authenticate_timeout, 0, OPT_CLI_AND_FILE, MASK22(2, 0x10), "SECONDS", 1800, \
	  "Idle timeout before the user is authenticated; it also bounds the whole login phase " \
	  "from connect, however slowly the client sends; 0 means none.") \
	X(UINT, login_timeout, 0, OPT_CLI_AND_FILE, NO_MASK22, "SECONDS", 0, \
	  "Most seconds from connect to a successful login, real-server login included; " \
	  "0 means no limit but authenticate_timeout. Recommended: 60.") \
	X(UINT, server_timeout, 0, OPT_CLI_AND_FILE, NO_MASK22, "SECONDS", 0, \
	  "Most seconds for each real server tried to accept, greet and answer the login " \
	  "(then the next server of a failover list, or a failure); 0 means no limit but " \
	  "the login's. Recommended: 15.") \
	X(UINT, max_failed_logins, 0, OPT_CLI_AND_FILE, NO_MASK22, "COUNT", 0, \
	  "After COUNT failed logins on one connection, tell the client and close it; " \
	  "0 means no limit. Recommended: 3.") \
	X(FLAG, no_bind_banner, 'B', OPT_CLI_AND_FILE, MASK22(1, 0x80000), NULL, false, \
	  "Show the system's node name in the greeting instead of the name of the local address.") \
	X(STR, bind_address, 'b', OPT_CLI_AND_FILE, MASK22(1, 0x4), "SERVER[,SERVER...]", NULL, \
	  "Listen on these addresses, each host[:port] or [v6addr][:port]; the port defaults " \
	  "to listen_port. Unset: 0.0.0.0 on listen_port.") \
	X(FLAG, connection_logging, 'C', OPT_CLI_AND_FILE, MASK22(1, 0x8), NULL, false, \
	  "With debug, log everything client, perdition and real server say before authentication.") \
	X(UINT, connect_relog, 0, OPT_CLI_AND_FILE, MASK22(1, 0x40), "SECONDS", 300, \
	  "Log the Auth line again every SECONDS while relaying (for POP/IMAP before SMTP); 0 means never.") \
	X(FLAG, client_server_specification, 'c', OPT_CLI_AND_FILE, MASK22(1, 0x200), NULL, false, \
	  "Accept user names of the form user<delimiter>server[:port] that name the real server.") \
	X(UINT, connection_limit, 'L', OPT_CLI_AND_FILE, MASK22(1, 0x10), "LIMIT", 0, \
	  "Most sessions at once; further clients get an error reply. 0 means no limit.") \
	X(UINT, connection_limit_per_address, 0, OPT_CLI_AND_FILE, NO_MASK22, "LIMIT", 0, \
	  "Most sessions at once from one client address; further clients from it get the " \
	  "connection_limit error reply. 0 means no limit; 10 is recommended.") \
	X(STR, domain_delimiter, 'D', OPT_CLI_AND_FILE, MASK22(1, 0x100), "STRING", "@", \
	  "Delimiter between user name and domain; may be several characters.") \
	X(FLAG, debug, 'd', OPT_CLI_AND_FILE, MASK22(1, 0x80), NULL, false, \
	  "Log debugging messages and the options in effect.") \
	X(STR, explicit_domain, 'e', OPT_CLI_AND_FILE, MASK22(2, 0x4), "STRING", NULL, \
	  "Domain appended by add_domain instead of one derived from the local address.") \
	X(STR, log_facility, 'F', OPT_CLI_AND_FILE, MASK22(1, 0x2000), "FACILITY", "mail", \
	  "Syslog facility; a name starting with / is a file, - is stdout and + is stderr " \
	  "(the last two keep perdition in the foreground).") \
	X(STR, config_file, 'f', OPT_CLI_ONLY, MASK22(1, 0x400), "FILENAME", NULL, \
	  "Read options from FILENAME instead of the first of " PERDITION_SYSCONFDIR \
	  "/<basename>.conf, perdition.<protocol>.conf and perdition.conf; \"\" reads none.") \
	X(STR, group, 'g', OPT_CLI_AND_FILE, MASK22(1, 0x800), "GROUP", PERDITION_GROUP, \
	  "Group to run as (name or number).") \
	X(FLAG, help, 'h', OPT_CLI_ONLY, NO_MASK22, NULL, false, \
	  "Show this help and exit.") \
	X(STR, capability, 'I', OPT_CLI_AND_FILE, NO_MASK22, "STRING", NULL, \
	  "Deprecated: set pop_capability, imap_capability and managesieve_capability at once.") \
	X(STR, imap_capability, 0, OPT_CLI_AND_FILE, MASK22(2, 0x20), "STRING", "IMAP4 IMAP4REV1", \
	  "IMAP capabilities, space separated. STARTTLS and LOGINDISABLED are added as the ssl_mode requires.") \
	X(FLAG, inetd_mode, 'i', OPT_CLI_AND_FILE, MASK22(1, 0x1000), NULL, false, \
	  "Serve one session on standard input and output, as started by inetd.") \
	X(STR, listen_port, 'l', OPT_CLI_AND_FILE, MASK22(1, 0x8000), "PORT", NULL, \
	  "Port to listen on (default pop3, pop3s, imap, imaps or sieve by protocol).") \
	X(LOGPASSWD, log_passwd, 0, OPT_CLI_AND_FILE, MASK22(2, 0x8), "never|fail|ok|always", LOG_PASSWD_NEVER, \
	  "With debug, add the password to the Auth line of failed logins, successful ones, or both.") \
	X(UINT, login_failures_delay, 0, OPT_CLI_AND_FILE, NO_MASK22, "COUNT", 0, \
	  "After COUNT failed logins from one address, or for one user name, within " \
	  "login_failures_window, delay each further failed reply by 1, 2, 4 ... up to 30 " \
	  "seconds. 0 means never; 3 is recommended.") \
	X(UINT, login_failures_refuse, 0, OPT_CLI_AND_FILE, NO_MASK22, "COUNT", 0, \
	  "After COUNT failed logins from one address within login_failures_window, refuse " \
	  "its new connections until the window has passed (user names are never refused). " \
	  "0 means never; 20 is recommended.") \
	X(UINT, login_failures_window, 0, OPT_CLI_AND_FILE, NO_MASK22, "SECONDS", 900, \
	  "How long failed logins are remembered for login_failures_delay and " \
	  "login_failures_refuse; 900 is recommended.") \
	X(FLAG, login_disabled, 0, OPT_CLI_AND_FILE, MASK22(1, 0x4000), NULL, false, \
	  "Refuse every login.") \
	X(STATE, lower_case, 0, OPT_CLI_AND_FILE, MASK22(1, 0x10000), "STATE[,STATE...]", 0, \
	  "Lower-case the user name in the given states (see add_domain).") \
	X(STR, managesieve_capability, 0, OPT_CLI_AND_FILE, MASK22(2, 0x40), "STRING", DEFAULT_MANAGESIEVE_CAPABILITY, \
	  "ManageSieve capability lines, separated by two spaces.") \
	X(STR, map_library, 'M', OPT_CLI_AND_FILE, MASK22(1, 0x20000), "FILENAME", DEFAULT_MAP_LIBRARY, \
	  "Popmap library to load; \"\" means no lookups (use outgoing_server).") \
	X(STR, map_library_opt, 'm', OPT_CLI_AND_FILE, MASK22(1, 0x40000), "STRING", NULL, \
	  "String passed to the popmap library.") \
	X(FLAG, no_daemon, 0, OPT_CLI_AND_FILE, MASK22(1, 0x100000), NULL, false, \
	  "Stay in the foreground.") \
	X(FLAG, no_lookup, 'n', OPT_CLI_AND_FILE, MASK22(1, 0x200000), NULL, false, \
	  "Use numeric hosts and ports only; never resolve names.") \
	X(STR, ok_line, 'O', OPT_CLI_AND_FILE, MASK22(2, 0x1), "STRING", "You are so in", \
	  "Text sent after OK on a successful login.") \
	X(STR, outgoing_port, 'p', OPT_CLI_AND_FILE, MASK22(1, 0x400000), "PORT", NULL, \
	  "Default port of real servers (default as listen_port).") \
	X(STR, outgoing_server, 's', OPT_CLI_AND_FILE, MASK22(1, 0x800000), "SERVER[,SERVER...]", NULL, \
	  "Default real servers, host[:port] or [v6addr][:port], used round robin when " \
	  "the popmap finds nothing.") \
	X(STR, pid_file, 0, OPT_CLI_AND_FILE, MASK22(2, 0x2), "FILENAME", NULL, \
	  "Pid file (default " PERDITION_LOCALSTATEDIR "/run/<basename>/<basename>.pid); \"\" means none.") \
	X(STR, pop_capability, 0, OPT_CLI_AND_FILE, MASK22(2, 0x80), "STRING", "UIDL.USER", \
	  "POP3 capabilities, separated by . (or by two spaces when there is no .).") \
	X(PROTO, protocol, 'P', OPT_CLI_AND_FILE, MASK22(1, 0x1000000), "PROTOCOL", PROTO_POP3, \
	  "POP3, POP3S, IMAP4, IMAP4S or MANAGESIEVE (default from the invocation name).") \
	X(FLAG, proxy_protocol, 0, OPT_CLI_AND_FILE, NO_MASK22, NULL, false, \
	  "Read HAProxy's PROXY protocol header (v1 or v2) first on each connection and take " \
	  "the client's address from it; peers outside proxy_protocol_trusted are refused. " \
	  "Recommended on only behind a load balancer that sends it (send-proxy-v2).") \
	X(STR, proxy_protocol_trusted, 0, OPT_CLI_AND_FILE, NO_MASK22, "CIDR[,CIDR...]", \
	  "127.0.0.0/8,::1/128", \
	  "Networks allowed to send a PROXY header (with proxy_protocol); recommended: " \
	  "exactly your load balancers' addresses.") \
	X(STR, query_key, 0, OPT_CLI_AND_FILE, MASK22(1, 0x40000000), "FORMAT[,FORMAT...]", NULL, \
	  "Popmap keys to try in order; \\U user, \\u local part, \\d domain, \\D delimiter, " \
	  "\\i \\I addresses, \\p \\P ports, \\\\ backslash.") \
	X(FLAG, quiet, 'q', OPT_CLI_AND_FILE, MASK22(1, 0x80000000), NULL, false, \
	  "Log errors only.") \
	X(FLAG, server_ok_line, 0, OPT_CLI_AND_FILE, MASK22(1, 0x2000000), NULL, false, \
	  "Deprecated alias of server_resp_line.") \
	X(FLAG, server_resp_line, 'o', OPT_CLI_AND_FILE, MASK22(1, 0x2000000), NULL, false, \
	  "Send the real server's login reply to the client instead of ok_line.") \
	X(UINT, shutdown_grace, 0, OPT_CLI_AND_FILE, NO_MASK22, "SECONDS", 0, \
	  "On SIGTERM stop listening at once and give open sessions up to SECONDS (at most 25) " \
	  "to finish before ending them. 0 ends them at once; 20 is recommended.") \
	X(STATE, strip_domain, 'S', OPT_CLI_AND_FILE, MASK22(1, 0x4000000), "STATE[,STATE...]", 0, \
	  "Remove the domain from the user name in the given states (see add_domain).") \
	X(FLAG, tcp_keepalive, 0, OPT_CLI_AND_FILE, MASK22(2, 0x100), NULL, false, \
	  "Set SO_KEEPALIVE on client and real-server sockets.") \
	X(UINT, timeout, 't', OPT_CLI_AND_FILE, MASK22(1, 0x8000000), "SECONDS", 1800, \
	  "Idle timeout after authentication; 0 means none.") \
	X(STR, username, 'u', OPT_CLI_AND_FILE, MASK22(1, 0x10000000), "USERNAME", PERDITION_USER, \
	  "User to run as.") \
	X(FLAG, username_from_database, 'U', OPT_CLI_AND_FILE, MASK22(1, 0x20000000), NULL, false, \
	  "Log in to the real server as the user the popmap returned.") \
	X(FLAG, no_seccomp, 0, OPT_CLI_AND_FILE, NO_MASK22, NULL, false, \
	  "Do not confine sessions with the seccomp system-call filter (no_new_privs stays on). " \
	  "Recommended: unset.") \
	X(STR, chroot, 0, OPT_CLI_AND_FILE, NO_MASK22, "DIRECTORY", NULL, \
	  "Confine the unprivileged daemon and its sessions to DIRECTORY after start-up; map " \
	  "files, resolver files and ssl_ca_path must be inside it. Recommended: unset unless " \
	  "the map library works inside one (perdition(8)).") \
	X(FLAG, forward_client_address, 0, OPT_CLI_AND_FILE, NO_MASK22, NULL, false, \
	  "Tell real servers that offer it the client's address, port and a session id " \
	  "(IMAP ID x-originating-ip..., POP3 and ManageSieve XCLIENT). Recommended: on " \
	  "when the real servers trust perdition (Dovecot's login_trusted_networks).") \
	X(FLAG, sasl_authorisation_id, 0, OPT_CLI_AND_FILE, NO_MASK22, NULL, false, \
	  "Let IMAP and POP3 clients send a SASL PLAIN authorisation id that differs from " \
	  "their authentication id; it is passed on only by AUTHENTICATE/AUTH to the real " \
	  "server. Recommended: unset unless the real servers know master users.") \
	X(FLAG, version, 0, OPT_CLI_ONLY, NO_MASK22, NULL, false, \
	  "Show the version and exit.") \
	X(SSLMODE, ssl_mode, 0, OPT_SSL, MASK22(SSL, 0x400), "MODE[,MODE...]", SSL_MODE_EMPTY, \
	  "none, ssl_listen, ssl_outgoing, ssl_all, tls_listen, tls_outgoing, tls_all, " \
	  "tls_listen_force, tls_outgoing_force or tls_all_force.") \
	X(STR, ssl_ca_chain_file, 0, OPT_SSL, MASK22(SSL, 0x1), "FILENAME", NULL, \
	  "Certificate chain file used to verify peers.") \
	X(STR, ssl_ca_file, 0, OPT_SSL, MASK22(SSL, 0x2), "FILENAME", NULL, \
	  "CA certificates used to verify peers.") \
	X(STR, ssl_ca_path, 0, OPT_SSL, MASK22(SSL, 0x4), "DIRECTORY", PERDITION_SYSCONFDIR "/perdition.ca/", \
	  "Directory of hashed CA certificates used to verify peers.") \
	X(FLAG, ssl_ca_accept_self_signed, 0, OPT_SSL, MASK22(SSL, 0x8), NULL, false, \
	  "Accept a self-signed certificate in the peer's chain.") \
	X(STR, ssl_cert_file, 0, OPT_SSL, MASK22(SSL, 0x10), "FILENAME", PERDITION_SYSCONFDIR "/perdition.crt.pem", \
	  "Certificate (chain) of the listening side.") \
	X(FLAG, ssl_cert_accept_expired, 0, OPT_SSL, MASK22(SSL, 0x20), NULL, false, \
	  "Accept an expired peer certificate.") \
	X(FLAG, ssl_cert_accept_not_yet_valid, 0, OPT_SSL, MASK22(SSL, 0x40), NULL, false, \
	  "Accept a peer certificate that is not yet valid.") \
	X(FLAG, ssl_cert_accept_self_signed, 0, OPT_SSL, MASK22(SSL, 0x80), NULL, false, \
	  "Accept a self-signed peer certificate.") \
	X(INT, ssl_cert_verify_depth, 0, OPT_SSL, MASK22(SSL, 0x100), "DEPTH", 9, \
	  "Longest peer certificate chain accepted.") \
	X(STR, ssl_dh_params_file, 0, OPT_SSL, MASK22(SSL, 0x20000), "FILENAME", NULL, \
	  "Diffie-Hellman parameters (default: read from ssl_cert_file).") \
	X(STR, ssl_key_file, 0, OPT_SSL, MASK22(SSL, 0x200), "FILENAME", PERDITION_SYSCONFDIR "/perdition.key.pem", \
	  "Private key of the listening side.") \
	X(STR, ssl_listen_ciphers, 0, OPT_SSL, MASK22(SSL, 0x800), "STRING", NULL, \
	  "OpenSSL cipher list for the listening side.") \
	X(STR, ssl_outgoing_ciphers, 0, OPT_SSL, MASK22(SSL, 0x800), "STRING", NULL, \
	  "OpenSSL cipher list for connections to real servers.") \
	X(FLAG, ssl_no_cert_verify, 0, OPT_SSL, MASK22(SSL, 0x1000), NULL, false, \
	  "Do not verify real servers' certificates.") \
	X(FLAG, ssl_no_client_cert_verify, 0, OPT_SSL, MASK22(SSL, 0x3000), NULL, false, \
	  "Do not ask clients for a certificate.") \
	X(FLAG, ssl_no_cn_verify, 0, OPT_SSL, MASK22(SSL, 0x4000), NULL, false, \
	  "Do not check that a real server's certificate names that server.") \
	X(FD, ssl_passphrase_fd, 0, OPT_SSL, MASK22(SSL, 0x8000), "FD", 0, \
	  "Read the key's passphrase from this file descriptor.") \
	X(STR, ssl_passphrase_file, 0, OPT_SSL, MASK22(SSL, 0x10000), "FILENAME", NULL, \
	  "Read the key's passphrase from the first line of this file.") \
	X(PROTOVER, ssl_listen_min_proto_version, 0, OPT_SSL, MASK22(SSL, 0x40000), "VERSION", "tlsv1.2", \
	  "Oldest protocol accepted from clients: sslv3, tlsv1, tlsv1.1, tlsv1.2 or tlsv1.3.") \
	X(PROTOVER, ssl_outgoing_min_proto_version, 0, OPT_SSL, MASK22(SSL, 0x80000), "VERSION", "tlsv1.2", \
	  "Oldest protocol used with real servers.") \
	X(PROTOVER, ssl_listen_max_proto_version, 0, OPT_SSL, MASK22(SSL, 0x100000), "VERSION", NULL, \
	  "Newest protocol accepted from clients (default: OpenSSL's newest).") \
	X(PROTOVER, ssl_outgoing_max_proto_version, 0, OPT_SSL, MASK22(SSL, 0x200000), "VERSION", NULL, \
	  "Newest protocol used with real servers (default: OpenSSL's newest).") \
	X(FLAG, ssl_listen_compression, 0, OPT_SSL, MASK22(SSL, 0x400000), NULL, false, \
	  "Allow TLS compression with clients.") \
	X(FLAG, ssl_outgoing_compression, 0, OPT_SSL, MASK22(SSL, 0x800000), NULL, false, \
	  "Allow TLS compression with real servers.") \
	X(FLAG, ssl_no_cipher_server_preference, 0, OPT_SSL, MASK22(SSL, 0x1000000), NULL, false, \
	  "Let the client's cipher order win.")

/* Index of every option in the table, for masks of "given on the command line". */
enum option_index {
#define OPTION_INDEX(kind, name, ...) OPTION_IDX_##name,
	OPTION_TABLE(OPTION_INDEX)
#undef OPTION_INDEX
	OPTION_COUNT
};

struct options {
#define OPTION_FIELD(kind, name, ...) OPT_TYPE_##kind name;
	OPTION_TABLE(OPTION_FIELD)
#undef OPTION_FIELD
	/* Derived values, filled in by options_finish(). */
	unsigned add_domain_strip_depth; /* default 1 */
	char *basename;                  /* basename of argv[0] */
	bool protocol_set;               /* protocol came from -P, not argv[0] */
	bool given[OPTION_COUNT];        /* set on the command line (D-3) */
	bool seen[OPTION_COUNT];         /* set on the command line or in a file */
};

/* The options of this process; written only during start-up. */
extern struct options options;

/* -------------------------------------------------------- options.c */

/*
 * Parse argv (and then the config file) into options.  On a usage error,
 * prints one line naming the option to stderr and exits EXIT_USAGE.
 * --help and --version print to stdout and exit 0.  Config-file errors
 * are logged and stop processing of the file at that line (as 2.2).
 */
void options_load(int argc, char **argv);

/* -------------------------------------------------- options_value.c */

/* Reset o to the defaults of the table (o's old strings are not freed:
 * call options_free() first when reusing o). */
void options_defaults(struct options *o);

/* Free every string of o and zero it. */
void options_free(struct options *o);

/* -------------------------------------------------- options_parse.c */

/* Parse argv into o (which options_defaults() prepared) without reading a
 * config file; for tests.  Stops at --help or --version (setting o->help or
 * o->version).  Returns 0, or -1 with a message in err (errlen bytes). */
int options_parse_argv(struct options *o, int argc, char **argv,
		       char *err, size_t errlen);

/* Apply a config file to o, skipping options set on the command line.
 * Returns 0 if the whole file was read, -1 (message in err) otherwise;
 * lines before the bad one stay applied.  Returns -2 for a bad protocol,
 * log_passwd or pid_file value, which is a usage error even in a file. */
int options_parse_file(struct options *o, const char *path,
		       char *err, size_t errlen);

/*
 * Everything options_load() does, without printing or exiting: defaults,
 * argv, the config file (its errors are logged with log_err and are not
 * fatal), options_finish().  Returns 0, 1 when --help or --version was
 * given, or -1 with a usage-error message in err.
 */
int options_read(struct options *o, int argc, char **argv,
		 char *err, size_t errlen);

/* options_read() for a reload (SIGHUP): every config-file error fails it
 * (-1, the message in err) instead of being logged. */
int options_reread(struct options *o, int argc, char **argv,
		   char *err, size_t errlen);

/* Directory searched for the default config files (tests point it
 * elsewhere); NULL restores PERDITION_SYSCONFDIR. */
void options_set_sysconfdir(const char *dir);

/* ------------------------------------------------- options_finish.c */

/* Fill in protocol-dependent defaults (ports, pid file, ssl_mode for
 * POP3S/IMAP4S).  Returns 0 or -1 with a message in err. */
int options_finish(struct options *o, char *err, size_t errlen);

/* ------------------------------------------------- options_render.c */

/* Print --help to f. */
void options_usage(FILE *f);

/*
 * The startup option-log strings of SPEC 6.3, as they are now.
 * n is 0, 1 or 2 (2 only in SSL builds).  Returns NULL past the last one.
 * The string is static and valid until the next call.
 */
const char *options_log_string(const struct options *o, int n);

/* ------------------------------------------------- options_compat.c */

/* Sum of every byte but the last of each option-log string: the greeting
 * token (SPEC 3.1, D-9). */
unsigned options_checksum(const struct options *o);

/* --------------------------------------------------- options_desc.c */

/* Name of a protocol, "POP3" ... "MANAGESIEVE"; "unknown" out of range. */
const char *protocol_name(int id);

#endif
