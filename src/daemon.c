/*
 * daemon.c: the standalone daemon: listeners, detaching, the pid file,
 * the parent's signals, and the accept loop that forks one child per
 * connection.
 *
 * The parent does as little per connection as it can: accept, count,
 * fork, close.  Signal handlers only set flags; the loop keeps the
 * handled signals blocked except inside ppoll(), so a flag is never
 * missed between its check and the wait.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "addr_limits.h"
#include "child_list.h"
#include "daemon.h"
#include "defs.h"
#include "limits_channel.h"
#include "log.h"
#include "monitor.h"
#include "net.h"
#include "options.h"
#include "pidfile.h"
#include "popmap.h"
#include "privileges.h"
#include "proctitle.h"
#include "protocol.h"
#include "reload.h"
#include "sandbox.h"
#include "session.h"
#include "xalloc.h"

/* Most bind addresses (listening sockets) accepted. */
#define MAX_LISTENERS 64

/* Signals that end the daemon (SPEC 7). */
static const int exit_signals[] = {
	SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV,
	SIGALRM, SIGTERM, SIGURG, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF,
	SIGWINCH, SIGIO,
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static volatile sig_atomic_t got_hup;
static volatile sig_atomic_t got_chld;
static volatile sig_atomic_t exit_signal;

/* The daemon's own pid: its handlers find themselves in a child when
 * getpid() differs. */
static pid_t daemon_pid;

static int listeners[MAX_LISTENERS];
static size_t n_listeners;
static unsigned long n_children;

/* The per-address limits (addr_limits.h), when any is on: the table and
 * the children's channel (-1 when off). */
static struct addr_limits limits;
static bool limits_on;
static int limits_fd = -1, limits_child_fd = -1;

/* Live children by pid, for shutdown_grace (which a reload may set). */
static struct child_list children;

/* The longest shutdown_grace: stay under the init script's 30 s. */
#define SHUTDOWN_GRACE_MAX 25

/* ------------------------------------------------------------ signals */

static bool is_fault_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
	       sig == SIGFPE || sig == SIGTRAP;
}

static void parent_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (getpid() != daemon_pid) {
		/* A child keeps these handlers (see signals_child): do what
		 * the default action would have done. */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	switch (sig) {
	case SIGHUP:
		got_hup = 1;
		break;
	case SIGCHLD:
		got_chld = 1;
		break;
	default:
		/*
		 * A real fault (not one sent with kill) would repeat
		 * forever if we just returned: remove the pid file and let
		 * the default action take the process down.
		 */
		if (is_fault_signal(sig) && si != NULL && si->si_code > 0) {
			pidfile_remove();
			signal(sig, SIG_DFL);
			return;
		}
		if (exit_signal == 0)
			exit_signal = sig;
		break;
	}
}

/* Install the parent's handlers and block them outside ppoll(); *wait_r
 * receives the mask to wait with. */
static void signals_parent(sigset_t *wait_r)
{
	struct sigaction sa;
	sigset_t block;
	size_t i;

	daemon_pid = getpid();
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = parent_handler;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	sigemptyset(&block);

	for (i = 0; i < NELEM(exit_signals); i++) {
		sigaction(exit_signals[i], &sa, NULL);
		sigaddset(&block, exit_signals[i]);
	}
	sigaction(SIGHUP, &sa, NULL);
	sigaddset(&block, SIGHUP);
	sa.sa_flags = SA_SIGINFO | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	sigaddset(&block, SIGCHLD);

	/* USR1/USR2 do nothing; a failed write to a client must not kill
	 * the listener. */
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);

	sigprocmask(SIG_BLOCK, &block, wait_r);
	for (i = 0; i < NELEM(exit_signals); i++)
		sigdelset(wait_r, exit_signals[i]);
	sigdelset(wait_r, SIGHUP);
	sigdelset(wait_r, SIGCHLD);
}

static void reap_children(void)
{
	int status;
	pid_t pid;

	got_chld = 0;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == monitor_pid()) {
			log_err("The monitor (pid %ld) exited: no more PAM answers "
				"or log file lines", (long)pid);
			continue;
		}
		if (n_children > 0)
			n_children--;
		if (limits_on)
			addr_limits_child_gone(&limits, pid);
		child_list_remove(&children, pid);
	}
}

/* ---------------------------------------------------------- listeners */

static int bind_one(const char *host, const char *port)
{
	struct addrinfo *ai = NULL;
	char h[256], p[64];
	int r, fd, flags;

	r = net_resolve(host, port, options.no_lookup, true, &ai);
	if (r != 0 || ai == NULL) {
		log_err("Fatal error: could not resolve listen address "
			"\"%s\" port \"%s\": %s",
			log_escape_str(h, sizeof(h), host),
			log_escape_str(p, sizeof(p), port),
			r != 0 ? gai_strerror(r) : "no address");
		return -1;
	}
	if (n_listeners >= MAX_LISTENERS) {
		log_err("Fatal error: more than %d listen addresses",
			MAX_LISTENERS);
		freeaddrinfo(ai);
		return -1;
	}
	fd = net_listen(ai->ai_addr, ai->ai_addrlen);
	if (fd < 0) {
		log_err("Fatal error: could not listen on %s:%s: %s",
			log_escape_str(h, sizeof(h), host),
			log_escape_str(p, sizeof(p), port), strerror(errno));
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	/* Non-blocking, so a client that went away between poll and
	 * accept cannot stall the loop; accepted sockets do not inherit
	 * it on Linux. */
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	listeners[n_listeners++] = fd;
	log_debug("listening on %s:%s", log_escape_str(h, sizeof(h), host),
		  log_escape_str(p, sizeof(p), port));
	return 0;
}

/* Bind every bind_address, or 0.0.0.0:<listen_port>. */
static int bind_all(void)
{
	char *items[MAX_LISTENERS];
	char *list;
	int n, i, r = 0;

	if (options.bind_address == NULL || *options.bind_address == '\0')
		return bind_one("0.0.0.0", options.listen_port);

	list = xstrdup(options.bind_address);
	n = net_split_list(list, items, MAX_LISTENERS);
	if (n <= 0) {
		log_err("Fatal error: bad or too long bind_address list");
		free(list);
		return -1;
	}
	for (i = 0; i < n && r == 0; i++) {
		struct server_spec spec;
		char e[256];

		if (server_spec_parse(items[i], NULL, &spec) < 0) {
			log_err("Fatal error: bad bind address \"%s\"",
				log_escape_str(e, sizeof(e), items[i]));
			r = -1;
			break;
		}
		r = bind_one(spec.host,
			     spec.port != NULL ? spec.port : options.listen_port);
		server_spec_free(&spec);
	}
	free(list);
	return r;
}

static void close_listeners(void)
{
	size_t i;

	for (i = 0; i < n_listeners; i++)
		close(listeners[i]);
	n_listeners = 0;
}

/* Work every child would otherwise repeat, done once here: the names of
 * our listening addresses (the greeting's host) and the time zone (the
 * log's timestamps), so a child reads no /etc file per connection. */
static void warm_parent(void)
{
	size_t i;

	tzset();
	net_host_name_forget();
	if (options.no_lookup)
		return;
	for (i = 0; i < n_listeners; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);

		if (getsockname(listeners[i], (struct sockaddr *)&ss, &len) == 0)
			net_host_name_remember(&ss);
	}
}

/* ---------------------------------------------------------- detaching */

/* fork, setsid, fork, chdir /, stdio to /dev/null.  The log file's
 * descriptor is above 2 (log.c sees to that), so it survives (D-8). */
static int detach(void)
{
	pid_t pid;
	int fd;

	pid = fork();
	if (pid < 0) {
		log_err("Fatal error: fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0)
		_exit(EXIT_OK);
	if (setsid() < 0) {
		log_err("Fatal error: setsid: %s", strerror(errno));
		_exit(EXIT_FATAL);
	}
	pid = fork();
	if (pid < 0) {
		log_err("Fatal error: fork: %s", strerror(errno));
		_exit(EXIT_FATAL);
	}
	if (pid > 0)
		_exit(EXIT_OK);
	if (chdir("/") < 0)
		log_err("chdir /: %s", strerror(errno));
	fd = open("/dev/null", O_RDWR);
	if (fd < 0) {
		log_err("Fatal error: open /dev/null: %s", strerror(errno));
		return -1;
	}
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

static bool log_is_terminal(void)
{
	const char *f = options.log_facility;

	return f != NULL && (strcmp(f, "-") == 0 || strcmp(f, "+") == 0);
}

/* ------------------------------------------------------ the accept loop */

/* Every child's confinement (daemon_main sets it from the options). */
static struct sandbox_config daemon_sandbox;

static void child_start(int fd) __attribute__((noreturn));
static void child_start(int fd)
{
	int one = 1;

	/* Only the listeners: the log file and anything else the
	 * session needs stay open. */
	close_listeners();
	if (limits_fd >= 0)
		close(limits_fd);
	limits_child_attach(limits_child_fd);
	signals_child();
	if (sandbox_enter(&daemon_sandbox) < 0)
		_exit(EXIT_FATAL);
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		log_debug("TCP_NODELAY: %s", strerror(errno));
	if (options.tcp_keepalive &&
	    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) < 0)
		log_debug("SO_KEEPALIVE: %s", strerror(errno));
	session_main(fd, fd, false);
}

/* Over connection_limit (D-2): tell the client, close, keep serving. */
static void refuse_busy(int fd, const struct sockaddr_storage *peer)
{
	const struct protocol *p = protocol_get(options.protocol);
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	char ft[160];
	bool have_local;

	if (p != NULL && p->busy_line != NULL)
		(void)send(fd, p->busy_line, strlen(p->busy_line),
			   MSG_DONTWAIT | MSG_NOSIGNAL);
	have_local = getsockname(fd, (struct sockaddr *)&local, &len) == 0;
	close(fd);
	net_from_to(ft, sizeof(ft), peer, true, &local, have_local);
	log_info("Connection limit of %lu reached: refusing connection%s",
		 options.connection_limit, ft);
}

/* Refused by the per-address limits (logged there): the busy reply. */
static void refuse_limited(int fd)
{
	const struct protocol *p = protocol_get(options.protocol);

	if (p != NULL && p->busy_line != NULL)
		(void)send(fd, p->busy_line, strlen(p->busy_line),
			   MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
}

/*
 * Is the peer a proxy that announces the real client (proxy_protocol on
 * and the peer trusted)?  Then the per-address limits wait for the
 * child's announcement (session_announce_peer()).
 */
static bool peer_is_announced(const struct sockaddr_storage *peer)
{
	return session_peer_is_proxy(peer);
}

static time_t monotonic_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Answer what the children said, a bounded batch per turn. */
static void limits_read(void)
{
	for (int i = 0; i < 64; i++) {
		struct limits_msg m;
		struct limits_reply r;
		pid_t pid;
		int reply_fd, got;

		got = limits_channel_recv(limits_fd, &pid, &m, &reply_fd);
		if (got == 0)
			return;
		if (got < 0)
			continue;
		if (got_chld)
			reap_children();
		if (addr_limits_message(&limits, pid, &m, monotonic_now(), &r))
			limits_channel_reply(reply_fd, &r);
		else if (reply_fd >= 0)
			close(reply_fd);
	}
}

/* After an error that may repeat at once: wait a little, not spin. */
static void back_off(void)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/*
 * Repeated identical accept() errors (EMFILE when out of descriptors
 * comes back every back_off) are logged at most once per
 * ACCEPT_ERR_SECONDS, with how many were not.
 */
#define ACCEPT_ERR_SECONDS 10

static struct {
	int err;       /* the last one logged, or 0 */
	time_t logged; /* when (CLOCK_MONOTONIC seconds) */
	unsigned long suppressed;
} accept_err;

/* Log err with the count of the ones left out before it, if any. */
static void accept_err_log(int err)
{
	if (accept_err.suppressed > 0)
		log_err("Error accepting connection: %s (repeated %lu times)",
			strerror(err), accept_err.suppressed);
	else
		log_err("Error accepting connection: %s", strerror(err));
	accept_err.suppressed = 0;
}

static void accept_failed(int err)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (err == accept_err.err &&
	    now.tv_sec - accept_err.logged < ACCEPT_ERR_SECONDS) {
		accept_err.suppressed++;
		return;
	}
	/* Another error: first the count of the old one. */
	if (err != accept_err.err && accept_err.suppressed > 0)
		accept_err_log(accept_err.err);
	accept_err_log(err);
	accept_err.err = err;
	accept_err.logged = now.tv_sec;
}

/* accept() works again: say how often it had failed unsaid. */
static void accept_err_clear(void)
{
	if (accept_err.suppressed > 0)
		accept_err_log(accept_err.err);
	accept_err.err = 0;
}

static void accept_one(int lfd)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	struct limits_addr la;
	bool announced = false;
	pid_t pid;
	int fd;

	fd = accept(lfd, (struct sockaddr *)&peer, &len);
	if (fd < 0) {
		switch (errno) {
		case EAGAIN:
#if EWOULDBLOCK != EAGAIN
		case EWOULDBLOCK:
#endif
		case EINTR:
		case ECONNABORTED:
		case EPROTO:
			return;
		default:
			/* Out of descriptors or memory: say so (not ten
			 * times a second) and back off rather than spin. */
			accept_failed(errno);
			back_off();
			return;
		}
	}
	if (accept_err.err != 0)
		accept_err_clear();
	if (got_chld)
		reap_children();
	if (options.connection_limit > 0 && n_children >= options.connection_limit) {
		refuse_busy(fd, &peer);
		return;
	}
	if (limits_on) {
		limits_addr_from(&la, &peer);
		announced = peer_is_announced(&peer);
		if (!announced && !addr_limits_admit(&limits, &la, monotonic_now())) {
			refuse_limited(fd);
			return;
		}
	}
	pid = fork();
	if (pid < 0) {
		log_err("Error forking child for connection: %s",
			strerror(errno));
		close(fd);
		return;
	}
	if (pid == 0)
		child_start(fd);
	n_children++;
	if (limits_on)
		addr_limits_child_add(&limits, pid, &la, !announced);
	child_list_add(&children, pid);
	close(fd);
}

/* Wait up to seconds for the children to end, answering their limits
 * messages meanwhile. */
static void wait_children(unsigned seconds, const sigset_t *wait_mask)
{
	time_t deadline = monotonic_now() + (time_t)seconds;
	struct pollfd p = { limits_fd, POLLIN, 0 };
	time_t left;

	if (got_chld)
		reap_children();
	while (n_children > 0 && (left = deadline - monotonic_now()) > 0) {
		struct timespec ts = { left, 0 };

		p.revents = 0;
		(void)ppoll(&p, limits_fd >= 0 ? 1 : 0, &ts, wait_mask);
		if (got_chld)
			reap_children();
		if (p.revents & POLLIN)
			limits_read();
	}
}

/*
 * SIGTERM with shutdown_grace: stop listening at once, let the sessions
 * finish for up to the grace period, then end them with SIGTERM (each
 * writes its Close line; SIGKILL for any that cannot).
 */
static void drain(const sigset_t *wait_mask)
{
	unsigned grace = options.shutdown_grace > SHUTDOWN_GRACE_MAX
				 ? SHUTDOWN_GRACE_MAX : (unsigned)options.shutdown_grace;

	close_listeners();
	if (got_chld)
		reap_children();
	log_info("Stopping on signal %d: no new connections, waiting up to %u s for %lu sessions",
		 SIGTERM, grace, n_children);
	wait_children(grace, wait_mask);
	if (n_children == 0)
		return;
	log_info("Ending %lu sessions still open", n_children);
	child_list_signal(&children, SIGTERM);
	wait_children(2, wait_mask);
	/* A signal that came just before a session's poll: once more. */
	child_list_signal(&children, SIGTERM);
	wait_children(1, wait_mask);
	child_list_signal(&children, SIGKILL);
}

/* Exit signal (or the pid file failing, as "signal 1" like 2.2). */
static int daemon_exit(int sig)
{
	log_info("Exiting on signal %d", sig);
	close_listeners();
	if (pidfile_remove() < 0)
		log_err("Could not remove pid file [%s]: %s", options.pid_file,
			strerror(errno));
	return EXIT_OK;
}

void daemon_log_startup(void)
{
	const char *s;
	int i;

	if (!((!options.quiet && !options.inetd_mode && !options.no_daemon &&
	       !log_is_terminal()) || options.debug))
		return;
	for (i = 0; (s = options_log_string(&options, i)) != NULL; i++) {
		log_info("%s", s);
		if (!options.debug)
			break;
	}
}

/*
 * The monitor holds the log file and answers PAM (D-17, D-19): needed
 * for authenticate_in, and when root opened a log file that the daemon
 * and its sessions, once another user, must not be able to rewrite.
 * Returns 0, or -1 (logged).
 */
static int start_monitor(uid_t run_uid)
{
	pid_t pid;

	if (!monitor_wanted(options.authenticate_in, run_uid))
		return 0;
	pid = monitor_start(log_fd() >= 0);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close_listeners();
		monitor_serve(options.basename);
	}
	log_debug("monitor started, pid %ld", (long)pid);
	return 0;
}

/* Without a monitor, a created log file goes to the run user, so that
 * SIGHUP can still reopen it after we stop being root (D-8); a file that
 * existed keeps its owner.  Then chroot (option) and drop. */
static int become_run_user(uid_t uid, gid_t gid)
{
	if (log_file_created() && geteuid() == 0 && fchown(log_fd(), uid, gid) < 0)
		log_err("Could not change owner of the log file: %s", strerror(errno));
	if (privileges_chroot(options.chroot) < 0)
		return -1;
	privileges_drop_ids(uid, gid);
	return 0;
}

static void limits_config_from_options(struct addr_limits_config *c)
{
	c->per_address = options.connection_limit_per_address;
	c->failures_delay = options.login_failures_delay;
	c->failures_refuse = options.login_failures_refuse;
	c->window = options.login_failures_window;
}

/* The per-address limits, when any is on: the table and the channel
 * children inherit.  Returns 0 or -1 (logged). */
static int limits_start(void)
{
	struct addr_limits_config c;

	limits_config_from_options(&c);
	if (!addr_limits_wanted(&c))
		return 0;
	if (limits_channel_open(&limits_fd, &limits_child_fd) < 0) {
		log_err("Fatal error: could not create the limits channel: %s",
			strerror(errno));
		return -1;
	}
	addr_limits_init(&limits, &c, ADDR_LIMITS_CAP);
	limits_on = true;
	return 0;
}

/* daemon_start() went through: serve. */
#define DAEMON_SERVING (-1)

/* Everything before the first accept: refuse when another instance holds
 * the pid file (before the port is found busy), signals, bind, detach,
 * pid file, privileges.  Returns DAEMON_SERVING or an exit code. */
static int daemon_start(sigset_t *wait_r)
{
	bool have_pid_file = options.pid_file != NULL && *options.pid_file != '\0';
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;

	if (have_pid_file && pidfile_check(options.pid_file) < 0)
		return daemon_exit(1);
	if (geteuid() == 0 &&
	    privileges_lookup(options.username, options.group, &uid, &gid) < 0)
		return EXIT_FATAL;
	if (options.authenticate_in && geteuid() != 0)
		log_warning("Warning: not invoked as root, local "
			    "authentication may fail");

	signals_parent(wait_r);

	if (bind_all() < 0 || limits_start() < 0) {
		close_listeners();
		return EXIT_FATAL;
	}
	if (!options.no_daemon && !log_is_terminal() && detach() < 0)
		return EXIT_FATAL;
	daemon_pid = getpid();
	if (have_pid_file && pidfile_create(options.pid_file, uid, gid) < 0)
		return daemon_exit(1);
	warm_parent();
	if (start_monitor(uid) < 0 || become_run_user(uid, gid) < 0) {
		pidfile_remove();
		return EXIT_FATAL;
	}
	proctitle_set("%s: daemon",
		      options.basename != NULL ? options.basename : "perdition");
	return DAEMON_SERVING;
}

/* SIGHUP: the configuration file again (reload.c); then what the parent
 * derived from the options: the greeting's checksum, the limits. */
static void reload_config(void)
{
	struct addr_limits_config c;

	if (reload_options(limits_on) == 0)
		return;
	session_init_parent();
	if (limits_on) {
		limits_config_from_options(&c);
		addr_limits_configure(&limits, &c);
	}
}

/* One turn of the loop: what the signals asked for, then wait for and
 * accept connections. */
static void serve_once(struct pollfd *pfd, size_t n_pfd, const sigset_t *wait_mask)
{
	size_t i;

	if (got_hup) {
		got_hup = 0;
		log_reopen();
		reload_config();
		popmap_reload();
		warm_parent();
	}
	if (got_chld)
		reap_children();
	if (ppoll(pfd, n_pfd, NULL, wait_mask) < 0) {
		if (errno != EINTR) {
			log_err("poll: %s", strerror(errno));
			back_off();
		}
		return;
	}
	for (i = 0; i < n_listeners; i++) {
		if (pfd[i].revents & (POLLIN | POLLERR | POLLHUP))
			accept_one(pfd[i].fd);
	}
	if (n_pfd > n_listeners && (pfd[n_listeners].revents & POLLIN))
		limits_read();
}

int daemon_main(void)
{
	struct pollfd pfd[MAX_LISTENERS + 1];
	sigset_t wait_mask;
	int rc = daemon_start(&wait_mask);
	size_t i, n_pfd;

	if (rc != DAEMON_SERVING)
		return rc;
	daemon_sandbox = session_sandbox_config();
	for (i = 0; i < n_listeners; i++) {
		pfd[i].fd = listeners[i];
		pfd[i].events = POLLIN;
	}
	n_pfd = n_listeners;
	if (limits_fd >= 0) {
		pfd[n_pfd].fd = limits_fd;
		pfd[n_pfd++].events = POLLIN;
	}
	for (;;) {
		if (exit_signal == SIGTERM && options.shutdown_grace > 0)
			drain(&wait_mask);
		if (exit_signal != 0)
			return daemon_exit(exit_signal);
		serve_once(pfd, n_pfd, &wait_mask);
	}
}
