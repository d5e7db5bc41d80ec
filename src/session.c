/*
 * session.c: the child's life: greeting, pre-authentication loop,
 * user-name rules, server lookup, real-server login, relay, Close.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "defs.h"
#include "limits_channel.h"
#include "log.h"
#include "net.h"
#include "options.h"
#include "popmap.h"
#include "proctitle.h"
#include "protocol.h"
#include "proxy_accept.h"
#include "relay.h"
#include "sandbox.h"
#include "route.h"
#include "session.h"
#include "monitor.h"
#include "str.h"
#include "tls.h"
#include "username.h"

/* Computed once in the parent (session_init_parent). */
static unsigned greeting_checksum;
static char nodename[256] = "localhost";
static struct cidr_list proxy_trusted; /* proxy_protocol_trusted */

/* Longest escaped field we put in a log line. */
#define LOG_FIELD 1024

void session_init_parent(void)
{
	struct utsname u;

	greeting_checksum = options_checksum(&options);
	if (uname(&u) == 0)
		str_copy(nodename, u.nodename, sizeof(nodename));
	cidr_list_free(&proxy_trusted); /* a reload parses it again */
	if (options.proxy_protocol) {
		char err[128];

		/* options_finish() checked it: this cannot fail. */
		if (cidr_list_parse(options.proxy_protocol_trusted, &proxy_trusted, err,
				    sizeof(err)) < 0)
			log_err("proxy_protocol_trusted: %s", err);
	}
}

bool session_peer_is_proxy(const struct sockaddr_storage *peer)
{
	return options.proxy_protocol && cidr_list_match(&proxy_trusted, peer);
}

/*
 * proxy_protocol: a trusted balancer's header names the client (peer) and
 * the address it connected to (local); they replace the real ones for the
 * whole session.  A refusal or a bad header (logged) ends the session.
 * The deadline: 5 s, or authenticate_timeout or login_timeout if shorter.
 */
static void proxy_protocol_accept(struct session *s, int fd)
{
	unsigned long t = options.authenticate_timeout;

	if (options.login_timeout > 0 && (t == 0 || options.login_timeout < t))
		t = options.login_timeout;
	const struct proxy_accept_config pc = {
		.enabled = options.proxy_protocol,
		.trusted = &proxy_trusted,
		.timeout_ms = (t > 0 && t < 5 ? (unsigned)t : 5) * 1000u,
	};
	struct proxy_header h;

	if (!pc.enabled)
		return;
	if (proxy_accept(fd, &pc, s->have_peer ? &s->peer : NULL,
			 s->have_local ? &s->local : NULL, &h) < 0) {
		close(fd);
		_exit(EXIT_FATAL);
	}
	if (h.local)
		return;
	s->peer = h.src;
	s->local = h.dst;
	s->have_peer = s->have_local = true;
}

struct sandbox_config session_sandbox_config(void)
{
	struct sandbox_config c = {
		.seccomp = !options.no_seccomp,
	};

	return c;
}

/* Set by SIGTERM with shutdown_grace: the daemon is going and this
 * session ends now (every wait on its conns stops), with its Close line. */
static volatile sig_atomic_t session_stop;

static void stop_session(int sig)
{
	(void)sig;
	session_stop = 1;
}

/* With shutdown_grace, SIGTERM ends the session instead of the process
 * (no SA_RESTART: poll() returns at once). */
static void catch_shutdown(void)
{
	struct sigaction sa;

	if (options.shutdown_grace == 0)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stop_session;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
}

/* The client's conn while logging in: its deadline bounds the sleeps
 * after failures too (D-21); NULL or no deadline: no bound. */
static const struct conn *sleep_bound;

/* Sleep secs, but not past the login's deadline. */
static void sleep_within_login(unsigned secs)
{
	uint64_t ms = (uint64_t)secs * 1000, now;
	struct timespec ts;

	if (sleep_bound != NULL && sleep_bound->deadline_ms != 0) {
		now = conn_now_ms();
		if (now >= sleep_bound->deadline_ms)
			return;
		if (ms > sleep_bound->deadline_ms - now)
			ms = sleep_bound->deadline_ms - now;
	}
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !session_stop)
		;
}

void session_error_sleep(void)
{
	sleep_within_login(PROTOCOL_ERROR_SLEEP);
}

/* A failed login: the daemon counts it (addr_limits) and may have the
 * reply delayed. */
static void login_failed(const char *user, size_t len)
{
	sleep_within_login(limits_child_login_failed(user, len));
}

/* The protocol module ended the session before a login (r is neither
 * PROTO_OK nor PROTO_CREDENTIALS): log why and exit. */
static void session_end(struct session *s, enum proto_result r) __attribute__((noreturn));
static void session_end(struct session *s, enum proto_result r)
{
	if (session_stop) /* ended by the daemon's shutdown */
		r = PROTO_QUIT;
	switch (r) {
	case PROTO_QUIT:
		log_info("Closing NULL session:%s authorisation_id=NONE authentication_id=\"(null)\"",
			 s->from_to);
		conn_close(&s->client);
		_exit(EXIT_OK);
	case PROTO_READ_TIMEOUT:
		log_err("Fatal Error: Timeout reading authentication information from client%s: Exiting child",
			s->from_to);
		break;
	case PROTO_WRITE_FAILED:
		log_err("Fatal error writing to client%s: Exiting child", s->from_to);
		break;
	case PROTO_TLS_FAILED:
		log_err("Fatal error negotiating TLS with client%s: Exiting child", s->from_to);
		break;
	default:
		log_err("Fatal Error reading authentication information from client%s: Exiting child",
			s->from_to);
		break;
	}
	_exit(EXIT_FATAL);
}

static const char *or_empty(const char *v)
{
	return v != NULL ? v : "";
}

/* What the protocol modules need of the options (they never read them). */
static void proto_config_from_options(struct proto_config *c)
{
	unsigned m = options.ssl_mode;

	c->tls_listen = (m & (SSL_MODE_TLS_LISTEN | SSL_MODE_TLS_LISTEN_FORCE)) != 0;
	c->tls_listen_force = (m & SSL_MODE_TLS_LISTEN_FORCE) != 0;
	c->tls_outgoing = (m & (SSL_MODE_TLS_OUTGOING | SSL_MODE_TLS_OUTGOING_FORCE)) != 0;
	c->tls_outgoing_force = (m & SSL_MODE_TLS_OUTGOING_FORCE) != 0;
	c->login_disabled = options.login_disabled;
	c->sasl_authorisation_id = options.sasl_authorisation_id;
	c->resp_line = options.server_resp_line || options.server_ok_line;
	c->forward_client_address = options.forward_client_address;
	c->ok_line = or_empty(options.ok_line);
	c->pop_capability = or_empty(options.pop_capability);
	c->imap_capability = or_empty(options.imap_capability);
	c->managesieve_capability = or_empty(options.managesieve_capability);
}

void auth_clear(struct auth *a)
{
	str_wipe_free(a->passwd);
	free(a->authz);
	free(a->user);
	a->passwd = a->authz = a->user = NULL;
	a->tag[0] = '\0';
}

int session_tls_client(struct session *s)
{
	/* Plaintext the client pipelined after STARTTLS/STLS must never be
	 * taken as sent inside TLS. */
	conn_discard(&s->client);
	if (tls_accept(&s->client, s->client.timeout) < 0) {
		log_info("TLS handshake with client failed%s", s->from_to);
		return -1;
	}
	s->client_secure = SECURE_STARTTLS;
	return 0;
}

int session_tls_server(struct session *s)
{
	conn_discard(&s->server);
	if (tls_connect(&s->server, s->server_host, s->server.timeout) < 0)
		return -1;
	s->server_secure = SECURE_STARTTLS;
	return 0;
}

void session_announce_peer(struct session *s, int fd)
{
	if (!s->have_peer || !limits_child_announce(&s->peer))
		return;
	/* Refused: as at accept, the busy reply and no session. */
	if (s->proto->busy_line != NULL)
		(void)send(fd, s->proto->busy_line, strlen(s->proto->busy_line),
			   MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
	_exit(EXIT_OK);
}

bool session_client_tls(const struct session *s)
{
	return s->client.ssl != NULL;
}

static const char *secure_name(enum secure v)
{
	switch (v) {
	case SECURE_SSL:
		return "ssl";
	case SECURE_STARTTLS:
		return "starttls";
	default:
		return "plaintext";
	}
}

/* Domain for add_domain: explicit_domain, else the reverse name of the
 * local address with add_domain_strip_depth labels removed. */
static const char *local_domain(struct session *s)
{
	char host[NI_MAXHOST];

	if (s->local_domain_done)
		return s->local_domain;
	s->local_domain_done = true;
	if (options.explicit_domain != NULL && *options.explicit_domain != '\0') {
		s->local_domain = xstrdup(options.explicit_domain);
	} else if (s->have_local) {
		net_host_name(&s->local, options.no_lookup, host, sizeof(host));
		s->local_domain = username_strip_labels(host, options.add_domain_strip_depth);
	}
	return s->local_domain;
}

static char *mangle(struct session *s, const char *user, unsigned state)
{
	bool skip_strip = state == STATE_SERVERNAME_LOOKUP && options.client_server_specification;
	const char *domain = (options.add_domain & state) ? local_domain(s) : NULL;

	const struct username_rules rules = {
		.domain_delimiter = options.domain_delimiter,
		.strip_domain = options.strip_domain,
		.add_domain = options.add_domain,
		.lower_case = options.lower_case,
	};

	return username_mangle(&rules, user, state, domain, skip_strip);
}

/* Length of id for the log: the client's name may hold a NUL byte. */
static size_t id_len(const struct auth *a, const char *id)
{
	size_t n = strlen(id);

	return id == a->user && a->user_len > n ? a->user_len : n;
}

/* Build and log the Auth: line (SPEC 6.2); kept for connect_relog. */
static void log_auth(struct session *s, const struct auth *a, const char *id,
		     const char *host, const char *port, const char *status, bool ok)
{
	char authz[LOG_FIELD + 3], eid[LOG_FIELD], epw[LOG_FIELD], pw[LOG_FIELD + 10];
	char ehost[LOG_FIELD], eport[64], estatus[LOG_FIELD];
	unsigned want = ok ? LOG_PASSWD_OK : LOG_PASSWD_FAIL;

	if (a->authz != NULL) {
		char tmp[LOG_FIELD];
		log_escape_str(tmp, sizeof(tmp), a->authz);
		snprintf(authz, sizeof(authz), "\"%s\"", tmp);
	} else {
		str_copy(authz, "NONE", sizeof(authz));
	}
	log_escape(eid, sizeof(eid), id, id_len(a, id));
	pw[0] = '\0';
	if (options.debug && (options.log_passwd & want) && a->passwd != NULL) {
		log_escape_str(epw, sizeof(epw), a->passwd);
		snprintf(pw, sizeof(pw), " passwd=\"%s\"", epw);
	}
	log_escape_str(ehost, sizeof(ehost), host);
	log_escape_str(eport, sizeof(eport), port);
	log_escape_str(estatus, sizeof(estatus), status);
	snprintf(s->auth_line, sizeof(s->auth_line),
		 "Auth:%s client-secure=%s authorisation_id=%s authentication_id=\"%s\"%s "
		 "server=\"%s:%s\" protocol=%s server-secure=%s status=\"%s\"",
		 s->from_to, secure_name(s->client_secure), authz, eid, pw, ehost, eport,
		 protocol_name(options.protocol), secure_name(s->server_secure), estatus);
	log_notice("%s", s->auth_line);
	proctitle_set("%s: connect (%s)", options.basename, eid);
}

static void relog(void *arg)
{
	const struct session *s = arg;

	log_notice("%s", s->auth_line);
}

/* Label of a conn's logged traffic: connection_logging needs debug too,
 * as in 2.2. */
static const char *dump_label(const char *label)
{
	return options.connection_logging && options.debug ? label : NULL;
}

/* Tell the client and the log that this attempt failed. */
static void fail(struct session *s, const struct auth *a, const char *id, const char *host,
		 const char *port, const char *reason, const char *resp)
{
	char status[256];

	if (s->have_server) {
		conn_close(&s->server);
		s->have_server = false;
	}
	session_error_sleep();
	if (strcmp(reason, REASON_LOGIN_DISABLED) == 0 && host != NULL)
		session_error_sleep(); /* a server that disables logins: 6 s, as 2.2 */
	else if (strcmp(reason, REASON_NO_SASL) == 0)
		session_error_sleep();
	/* The daemon remembers failures across connections (addr_limits). */
	login_failed(a->user, a->user_len);
	s->proto->reply_fail(s, a, reason, resp);
	snprintf(status, sizeof(status), "failed: %s", reason);
	log_auth(s, a, id, host, port, status, false);
	s->server_secure = SECURE_PLAINTEXT;
}

/* An option's seconds as milliseconds, capped far beyond any session. */
static uint64_t secs_to_ms(unsigned long secs)
{
	return secs > 1000000000ul ? UINT64_C(1000000000000) : (uint64_t)secs * 1000u;
}

/* When a real-server attempt must end: the login's deadline, cut short
 * by server_timeout (per server tried); 0 = none. */
static uint64_t server_deadline(const struct session *s)
{
	uint64_t d = s->client.deadline_ms;

	if (options.server_timeout > 0) {
		uint64_t sd = conn_now_ms() + secs_to_ms(options.server_timeout);
		if (d == 0 || sd < d)
			d = sd;
	}
	return d;
}

static int connect_server(struct session *s, const struct route *r)
{
	struct addrinfo *res = NULL;
	const struct addrinfo *ai = r->ai;
	int fd, err;

	conn_init(&s->server, -1, -1, options.authenticate_timeout, dump_label("REAL:  "));
	s->server.mask_dump = options.log_passwd != LOG_PASSWD_ALWAYS;
	conn_set_stop(&s->server, &session_stop);
	conn_set_deadline(&s->server, server_deadline(s));
	if (conn_deadline_passed(&s->server)) {
		log_info("Could not connect to %s:%s: %s", r->host, r->port, strerror(ETIMEDOUT));
		return -1;
	}

	if (ai == NULL) {
		err = net_resolve(r->host, r->port, options.no_lookup, false, &res);
		if (err != 0) {
			log_info("Could not resolve %s:%s: %s", r->host, r->port, gai_strerror(err));
			return -1;
		}
		ai = res;
	}
	fd = net_connect_ms(ai, conn_timeout_now(&s->server), options.tcp_keepalive);
	err = errno;
	if (res != NULL)
		freeaddrinfo(res);
	if (fd < 0) {
		log_info("Could not connect to %s:%s: %s", r->host, r->port, strerror(err));
		return -1;
	}
	s->server.rfd = s->server.wfd = fd;
	s->have_server = true;
	str_copy(s->server_host, r->host, sizeof(s->server_host));
	if (options.ssl_mode & SSL_MODE_SSL_OUTGOING) {
		if (session_tls_server(s) < 0)
			return -1;
		s->server_secure = SECURE_SSL;
	}
	return 0;
}

/*
 * Connect to r's server; when r lists more servers (per-user failover),
 * a refused or timed-out connect, or a greeting that never comes, moves
 * on to the next one, one log line per skip, before the client hears
 * anything.  Returns 0 connected (r names the server), or -1 when the
 * last one failed too.
 */
static int connect_failover(struct session *s, struct route *r)
{
	char ehost[LOG_FIELD], eport[64];

	for (;;) {
		bool more = route_has_next(r);

		if (connect_server(s, r) == 0 && (!more || conn_await_data(&s->server) == CONN_OK))
			return 0;
		if (!more || conn_deadline_passed(&s->client) || session_stop)
			return -1;
		if (s->have_server) {
			conn_close(&s->server);
			s->have_server = false;
		}
		s->server_secure = SECURE_PLAINTEXT;
		log_info("Real server %s:%s unavailable%s: trying the next one",
			 log_escape_str(ehost, sizeof(ehost), r->host),
			 log_escape_str(eport, sizeof(eport), r->port), s->from_to);
		(void)route_next(r);
	}
}

/* The real server said OK: tell the client, log, relay, close, exit. */
static void relay_and_close(struct session *s, const struct auth *a, const char *id)
{
	const struct relay_config rc = {
		.timeout = (unsigned)options.timeout,
		.relog_interval = (unsigned)options.connect_relog,
		.relog = relog,
		.relog_arg = s,
		.stop = &session_stop,
	};
	uint64_t received = 0, sent = 0;
	enum relay_result rr;
	char eid[LOG_FIELD];

	/* The relay is bounded by timeout alone, not the login's deadline. */
	s->client.timeout = (unsigned)options.timeout;
	s->server.timeout = (unsigned)options.timeout;
	conn_set_deadline(&s->client, 0);
	conn_set_deadline(&s->server, 0);
	rr = relay_run(&s->client, &s->server, &rc, &received, &sent);
	if (rr == RELAY_TIMEOUT) {
		log_info("Timeout piping data.");
		if (s->proto->relay_timeout != NULL) {
			session_error_sleep();
			s->proto->relay_timeout(s);
		}
	}
	log_escape_str(eid, sizeof(eid), id);
	proctitle_set("%s: close (%s)", options.basename, eid);
	if (a->authz != NULL) {
		char ez[LOG_FIELD];
		log_escape_str(ez, sizeof(ez), a->authz);
		log_info("Closing session:%s authorisation_id=\"%s\" authentication_id=\"%s\" "
			 "received=%llu sent=%llu", s->from_to, ez, eid,
			 (unsigned long long)received, (unsigned long long)sent);
	} else {
		log_info("Closing session:%s authorisation_id=NONE authentication_id=\"%s\" "
			 "received=%llu sent=%llu", s->from_to, eid,
			 (unsigned long long)received, (unsigned long long)sent);
	}
	conn_close(&s->server);
	conn_close(&s->client);
	_exit(EXIT_OK);
}

/* authenticate_in: ask the monitor whether PAM accepts the credentials.
 * Returns 0, or -1 after telling the client. */
static int local_auth(struct session *s, const struct auth *a, const char *id,
		      const char *host, const char *port)
{
	char *user = mangle(s, a->user, STATE_LOCAL_AUTH);
	int r = monitor_pam_check(user, a->passwd, s->have_peer ? &s->peer : NULL,
				  (unsigned)options.authenticate_timeout);

	free(user);
	if (r == 0)
		return 0;
	log_info("Local authentication failure for client: Allowing retry.");
	session_error_sleep();
	login_failed(a->user, a->user_len);
	/* Only IMAP has a tag: the others leave it empty. */
	conn_printf(&s->client, "%s%s", a->tag, s->proto->auth_failure);
	log_auth(s, a, id, host, port, "failed: local authentication failure", false);
	return -1;
}

/*
 * Refusals before any lookup; true after telling the client.  Logins
 * disabled (or tls_listen_force before TLS); and a name holding a NUL
 * byte, which a map library or the real server would see cut short (2.2
 * looked up and logged in as the part before it): a failed login, as if
 * the server had refused it.
 */
static bool refused_early(struct session *s, const struct auth *a)
{
	if (options.login_disabled ||
	    ((options.ssl_mode & SSL_MODE_TLS_LISTEN_FORCE) && !session_client_tls(s))) {
		fail(s, a, a->user, NULL, NULL, REASON_LOGIN_DISABLED, "");
		return true;
	}
	if (memchr(a->user, '\0', a->user_len) != NULL) {
		fail(s, a, a->user, NULL, NULL, REASON_REAUTH, "");
		return true;
	}
	return false;
}

/* One login attempt with the credentials in a.  Returns only on failure. */
static void attempt_login(struct session *s, struct auth *a, unsigned attempt)
{
	struct route r;
	char *lookup = NULL, *remote = NULL, *base = NULL;
	const char *id = a->user;
	const char *reason = NULL;
	char resp[MAX_LINE_LENGTH + 1];
	const char *port = options.outgoing_port;

	memset(&r, 0, sizeof(r));
	resp[0] = '\0';
	if (refused_early(s, a))
		return;

	lookup = mangle(s, a->user, STATE_SERVERNAME_LOOKUP);
	if (route_find(lookup, s->have_peer ? &s->peer : NULL, s->have_local ? &s->local : NULL,
		       attempt, &r) < 0) {
		fail(s, a, id, NULL, port, REASON_NO_SERVER, "");
		goto out;
	}
	/* -c truncates the id at the delimiter (the host part named the
	 * server); -U logs in as the user the popmap returned. */
	if (r.user_in_place) {
		const char *d = username_last_delim(a->user, options.domain_delimiter);
		base = d != NULL ? xstrndup(a->user, (size_t)(d - a->user)) : xstrdup(a->user);
	} else if (options.username_from_database && r.user != NULL && *r.user != '\0') {
		base = xstrdup(r.user);
	} else {
		base = xstrdup(a->user);
	}
	if (options.username_from_database && r.user != NULL && *r.user != '\0')
		id = base;

	if (options.authenticate_in && local_auth(s, a, id, r.host, r.port) < 0)
		goto out;
	remote = mangle(s, base, STATE_REMOTE_LOGIN);

	if (connect_failover(s, &r) < 0) {
		fail(s, a, id, r.host, r.port, REASON_NO_CONNECT, "");
		goto out;
	}
	if (s->proto->server_login(s, a, remote, resp, sizeof(resp), &reason) != LOGIN_OK) {
		fail(s, a, id, r.host, r.port, reason != NULL ? reason : REASON_REAUTH, resp);
		goto out;
	}
	s->proto->reply_ok(s, a, resp);
	log_auth(s, a, id, r.host, r.port, "ok", true);
	limits_child_login_ok(a->user, a->user_len);
	relay_and_close(s, a, id);
out:
	free(lookup);
	free(remote);
	free(base);
	route_free(&r);
}

/* max_failed_logins reached: say so, log, close, exit. */
static void too_many_failures(struct session *s, unsigned failed) __attribute__((noreturn));
static void too_many_failures(struct session *s, unsigned failed)
{
	const char *line = s->proto->failed_limit_line;

	(void)conn_write(&s->client, line, strlen(line));
	log_info("Too many failed logins (%u) from client%s: Closing session", failed, s->from_to);
	conn_close(&s->client);
	_exit(EXIT_OK);
}

/* Greet the client, then read credentials and try them until the client
 * goes or a login works (relay_and_close() exits). */
static void converse(struct session *s) __attribute__((noreturn));
static void converse(struct session *s)
{
	enum proto_result r;

	/* forward_client_address: an id both logs name. */
	if (options.forward_client_address) {
		session_id_new(s->session_id);
		log_info("Session:%s session=%s", s->from_to, s->session_id);
	}
	r = s->proto->greeting(s);

	if (r != PROTO_OK)
		session_end(s, r);
	for (unsigned attempt = 0;; attempt++) {
		struct auth a;

		if (options.max_failed_logins > 0 && attempt >= options.max_failed_logins)
			too_many_failures(s, attempt);

		memset(&a, 0, sizeof(a));
		r = s->proto->read_auth(s, &a);
		if (r == PROTO_AUTH_FAILED) {
			/* Answered by the module; a failed attempt all the same,
			 * for this connection and for the address (addr_limits). */
			auth_clear(&a);
			login_failed(NULL, 0);
			continue;
		}
		if (r != PROTO_CREDENTIALS) {
			auth_clear(&a);
			session_end(s, r);
		}
		attempt_login(s, &a, attempt);
		auth_clear(&a);
	}
}

/* When the login phase must be over (D-21): authenticate_timeout and
 * login_timeout, the shorter, counted from the connection's start;
 * 0 = never. */
static uint64_t login_deadline(uint64_t start_ms)
{
	unsigned long secs = options.authenticate_timeout;

	if (options.login_timeout > 0 && (secs == 0 || options.login_timeout < secs))
		secs = options.login_timeout;
	return secs > 0 ? start_ms + secs_to_ms(secs) : 0;
}

void session_main(int rfd, int wfd, bool inetd)
{
	/* Static: large buffers, one per process.  Not cleared here: it is
	 * zero from exec and this runs once per process; a memset would
	 * dirty all its pages (27 KiB) in every child for nothing. */
	static struct session s;
	static struct proto_config cfg;
	const uint64_t start_ms = conn_now_ms();
	socklen_t len;
	bool announced;

	s.proto = protocol_get(options.protocol);
	proto_config_from_options(&cfg);
	s.cfg = &cfg;
	s.inetd = inetd;
	s.server.rfd = s.server.wfd = -1;
	if (inetd)
		s.inetd_pid = getppid();

	len = sizeof(s.peer);
	s.have_peer = getpeername(rfd, (struct sockaddr *)&s.peer, &len) == 0 &&
		      (s.peer.ss_family == AF_INET || s.peer.ss_family == AF_INET6);
	len = sizeof(s.local);
	s.have_local = getsockname(wfd, (struct sockaddr *)&s.local, &len) == 0 &&
		       (s.local.ss_family == AF_INET || s.local.ss_family == AF_INET6);
	announced = s.have_peer && session_peer_is_proxy(&s.peer);
	proxy_protocol_accept(&s, rfd);
	/* the peer is final from here on */
	if (announced)
		session_announce_peer(&s, wfd);
	peername = s.have_peer ? &s.peer : NULL;
	sockname = s.have_local ? &s.local : NULL;
	net_from_to(s.from_to, sizeof(s.from_to), &s.peer, s.have_peer, &s.local, s.have_local);

	if (inetd)
		log_info("Connect: %s inetd_pid=%d", s.from_to, (int)s.inetd_pid);
	else
		log_info("Connect: %s", s.from_to);
	proctitle_set("%s: connect (%s)", options.basename, s.from_to);

	conn_init(&s.client, rfd, wfd, (unsigned)options.authenticate_timeout,
		  dump_label("CLIENT:"));
	conn_set_deadline(&s.client, login_deadline(start_ms));
	conn_set_stop(&s.client, &session_stop);
	sleep_bound = &s.client;
	catch_shutdown();
	s.client.mask_dump = options.log_passwd != LOG_PASSWD_ALWAYS;
	if (options.no_bind_banner || !s.have_local)
		str_copy(s.host, nodename, sizeof(s.host));
	else
		net_host_name(&s.local, options.no_lookup, s.host, sizeof(s.host));
	snprintf(s.loop_token, sizeof(s.loop_token), "perdition ready on %s %08x", s.host,
		 greeting_checksum);

	if (options.ssl_mode & SSL_MODE_SSL_LISTEN) {
		if (session_tls_client(&s) < 0)
			_exit(EXIT_FATAL);
		s.client_secure = SECURE_SSL;
	}
	converse(&s);
}
