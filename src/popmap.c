/*
 * popmap.c: loads the map library once in the parent, expands the
 * query_key formats and asks the library where a user lives.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "defs.h"
#include "log.h"
#include "mask.h"
#include "net.h"
#include "popmap.h"
#include "port_list.h"
#include "str.h"
#include "xalloc.h"

/* Exported to map libraries (the binary is linked -export-dynamic). */
struct sockaddr_storage *peername = NULL;
struct sockaddr_storage *sockname = NULL;

typedef int (*get_fn)(const char *, const char *, char **, size_t *);
typedef int (*get2_fn)(const char *, const char *, char **, char **, char **);
typedef int (*init_fn)(char *);
typedef int (*fini_fn)(void);

/* One loaded map library. */
struct lib {
	void *handle;
	get_fn get;
	get2_fn get2;
	init_fn init;
	fini_fn fini;
	int fd; /* the file loaded, to load again if a reload fails; or -1 */
};

static struct {
	struct lib lib;
	char *library; /* what was loaded last, for popmap_reload() */
	char *opt;
} map;

/* Log-safe copy of a string that may come from a client. */
#define ESC_LEN (MAX_CRED_LENGTH * 4 + 1)

bool popmap_loaded(void)
{
	return map.lib.handle != NULL;
}

/* Close l's library (its dbserver_fini has run) and its file. */
static void lib_close(struct lib *l)
{
	if (l->handle != NULL) {
		dlclose(l->handle);
		if (l->fd >= 0)
			close(l->fd);
	}
	memset(l, 0, sizeof(*l));
	l->fd = -1;
}

void popmap_unload(void)
{
	if (map.lib.handle == NULL)
		return;
	if (map.lib.fini != NULL)
		(void)map.lib.fini();
	lib_close(&map.lib);
}

/* dlopen path (name, for the log), find its functions and call
 * dbserver_init(opt).  Returns 0 (*l filled, l->fd -1), or -1 with an
 * error logged. */
static int lib_dlopen(const char *path, const char *name, char *opt,
		      struct lib *l)
{
	void *h = dlopen(path, RTLD_NOW);

	lib_close(l);
	if (h == NULL) {
		const char *e = dlerror();

		log_err("dlopen of \"%s\" failed: %s", name,
			e != NULL ? e : "unknown error");
		return -1;
	}
	l->get = (get_fn)dlsym(h, "dbserver_get");
	if (l->get == NULL)
		l->get2 = (get2_fn)dlsym(h, "dbserver_get2");
	if (l->get == NULL && l->get2 == NULL) {
		log_err("dlopen of \"%s\" failed: it exports neither "
			"dbserver_get nor dbserver_get2", name);
		dlclose(h);
		lib_close(l);
		return -1;
	}
	l->fini = (fini_fn)dlsym(h, "dbserver_fini");
	l->init = (init_fn)dlsym(h, "dbserver_init");
	if (l->init != NULL && l->init(opt) != 0) {
		log_err("dbserver_init of \"%s\" failed", name);
		dlclose(h);
		lib_close(l);
		return -1;
	}
	l->handle = h;
	return 0;
}

/* lib_dlopen(library), holding the file open for a failed reload. */
static int lib_open(const char *library, char *opt, struct lib *l)
{
	int fd = open(library, O_RDONLY | O_CLOEXEC);

	if (lib_dlopen(library, library, opt, l) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	l->fd = fd;
	return 0;
}

int popmap_load(const char *library, const char *opt)
{
	char *lib_copy, *opt_copy;

	popmap_unload();
	/* Copy first: library and opt may be map.library and map.opt. */
	lib_copy = library != NULL ? xstrdup(library) : NULL;
	opt_copy = opt != NULL ? xstrdup(opt) : NULL;
	free(map.library);
	free(map.opt);
	map.library = lib_copy;
	map.opt = opt_copy;
	if (lib_copy == NULL || *lib_copy == '\0')
		return 0;
	return lib_open(lib_copy, opt_copy, &map.lib);
}

/*
 * The reload of map.library failed (logged): load the file loaded before
 * again, through the descriptor held on it (the path may now name
 * something else), rather than be left with no map (D-18).
 */
static void keep_old(int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (fd < 0 || lib_dlopen(path, map.library, map.opt, &map.lib) < 0) {
		log_err("Reloading map library \"%s\" failed and the one "
			"loaded before could not be loaded again: no map",
			map.library);
		if (fd >= 0)
			close(fd);
		return;
	}
	map.lib.fd = fd;
	log_err("Reloading map library \"%s\" failed: keeping the one "
		"loaded before", map.library);
}

/*
 * As 2.2: dbserver_fini and close, then load again (a library may keep
 * one global state; and with the old one still open, dlopen of the same
 * path would return it, never a new file).  But keep the old file open
 * until the new one is in.
 */
static int reload(void)
{
	bool had = map.lib.handle != NULL;
	int old_fd = had ? map.lib.fd : -1;

	if (had && map.lib.fini != NULL)
		(void)map.lib.fini();
	map.lib.fd = -1;
	lib_close(&map.lib);
	if (map.library == NULL || *map.library == '\0' ||
	    lib_open(map.library, map.opt, &map.lib) == 0) {
		if (old_fd >= 0)
			close(old_fd);
		return 0;
	}
	if (had)
		keep_old(old_fd);
	return -1;
}

int popmap_reload(void)
{
	char *shown = mask_map_opt(map.library, map.opt); /* D-16 */

	/* As perdition 2.2's option log, an unset string prints as "". */
	log_info("Reloading map library \"%s\" with options \"%s\"",
		 map.library != NULL ? map.library : "",
		 shown != NULL ? shown : "");
	free(shown);
	return reload();
}

/* Growing key buffer, never longer than MAX_CRED_LENGTH. */
struct keybuf {
	char b[MAX_CRED_LENGTH + 1];
	size_t len;
	bool overflow;
};

static void kb_add(struct keybuf *k, const char *s, size_t n)
{
	if (k->overflow || n > MAX_CRED_LENGTH - k->len) {
		k->overflow = true;
		return;
	}
	memcpy(k->b + k->len, s, n);
	k->len += n;
	k->b[k->len] = '\0';
}

static void kb_adds(struct keybuf *k, const char *s)
{
	kb_add(k, s, strlen(s));
}

static void kb_addr(struct keybuf *k, const struct sockaddr_storage *sa)
{
	char buf[INET6_ADDRSTRLEN + 1];

	if (sa != NULL)
		kb_adds(k, net_addr_str(sa, buf, sizeof(buf)));
}

static void kb_port(struct keybuf *k, const struct sockaddr_storage *sa)
{
	char buf[16];

	if (sa != NULL) {
		snprintf(buf, sizeof(buf), "%u", net_port(sa));
		kb_adds(k, buf);
	}
}

enum expand_rc { EXPAND_OK, EXPAND_BAD_ESCAPE, EXPAND_TOO_LONG };

/* Expand fmt (n bytes, need not be NUL-terminated) into k. */
static enum expand_rc expand(struct keybuf *k, const char *fmt, size_t n,
			     const char *user, const char *delim,
			     const struct sockaddr_storage *peer,
			     const struct sockaddr_storage *local)
{
	const char *d = NULL;
	size_t dl = delim != NULL ? strlen(delim) : 0;

	k->len = 0;
	k->b[0] = '\0';
	k->overflow = false;
	if (dl > 0) {
		for (const char *p = strstr(user, delim); p != NULL;
		     p = strstr(p + 1, delim))
			d = p;
	}
	for (size_t i = 0; i < n; i++) {
		if (fmt[i] != '\\') {
			kb_add(k, fmt + i, 1);
			continue;
		}
		if (++i == n)
			return EXPAND_BAD_ESCAPE; /* trailing backslash */
		switch (fmt[i]) {
		case 'U':
			kb_adds(k, user);
			break;
		case 'u':
			kb_add(k, user, d != NULL ? (size_t)(d - user) : strlen(user));
			break;
		case 'D':
			if (dl > 0)
				kb_adds(k, delim);
			break;
		case 'd':
			if (d != NULL)
				kb_adds(k, d + dl);
			break;
		case 'i':
			kb_addr(k, peer);
			break;
		case 'I':
			kb_addr(k, local);
			break;
		case 'p':
			kb_port(k, peer);
			break;
		case 'P':
			kb_port(k, local);
			break;
		case '\\':
			kb_add(k, "\\", 1);
			break;
		default:
			return EXPAND_BAD_ESCAPE;
		}
	}
	return k->overflow ? EXPAND_TOO_LONG : EXPAND_OK;
}

char *popmap_expand_key(const char *fmt, const char *user, const char *delim,
			const struct sockaddr_storage *peer,
			const struct sockaddr_storage *local)
{
	struct keybuf *k = xmalloc(sizeof(*k));
	char *r = NULL;

	if (expand(k, fmt, strlen(fmt), user, delim, peer, local) == EXPAND_OK)
		r = xstrndup(k->b, k->len);
	free(k);
	return r;
}

/* "[user<delim>]server[:port]" from dbserver_get2's parts; a bare IPv6
 * server gets brackets so server_spec_parse() can split it again. */
static char *join_parts(const char *user, const char *server, const char *port,
			const char *delim)
{
	size_t ul = user != NULL ? strlen(user) : 0;
	size_t sl = server != NULL ? strlen(server) : 0;
	size_t pl = port != NULL ? strlen(port) : 0;
	size_t dl = delim != NULL ? strlen(delim) : 0;
	bool br = server != NULL && strchr(server, ':') != NULL && server[0] != '[' &&
		  !port_list_is_list(server);
	char *r, *p;

	if (ul > MAX_CRED_LENGTH || sl > MAX_CRED_LENGTH || pl > MAX_CRED_LENGTH ||
	    dl > MAX_CRED_LENGTH)
		return NULL;
	p = r = xmalloc(ul + dl + sl + pl + 4);
	if (ul > 0) {
		memcpy(p, user, ul);
		p += ul;
		memcpy(p, delim, dl);
		p += dl;
	}
	if (br)
		*p++ = '[';
	if (sl > 0) {
		memcpy(p, server, sl);
		p += sl;
	}
	if (br)
		*p++ = ']';
	if (pl > 0) {
		*p++ = ':';
		memcpy(p, port, pl);
		p += pl;
	}
	*p = '\0';
	return r;
}

/* As join_parts; a failover list "h1,h2" in server gives the port to
 * each of its hosts (port_list.h). */
static char *join_get2(const char *user, const char *server, const char *port,
		       const char *delim)
{
	char *list, *r;

	if (server == NULL || port == NULL || port[0] == '\0' || !port_list_is_list(server) ||
	    strlen(server) > MAX_CRED_LENGTH || strlen(port) > MAX_CRED_LENGTH)
		return join_parts(user, server, port, delim);
	list = port_list_apply(server, port);
	if (list == NULL)
		return NULL;
	r = join_parts(user, list, NULL, delim);
	free(list);
	return r;
}

/* One lookup of key: 0 found (*result_r set), -2 not found, else error. */
static int lookup_one(const char *key, const char *delim, char **result_r)
{
	int rc;

	if (map.lib.get != NULL) {
		char *str = NULL;
		size_t len = 0;

		rc = map.lib.get(key, map.opt, &str, &len);
		if (rc != 0) {
			free(str);
			return rc;
		}
		if (str == NULL || len == 0) {
			free(str);
			return -2;
		}
		if (len > MAX_CRED_LENGTH) {
			free(str);
			return -1;
		}
		/* The library's string has len bytes and no NUL. */
		*result_r = xmalloc(len + 1);
		memcpy(*result_r, str, len);
		(*result_r)[len] = '\0';
		free(str);
		return 0;
	} else {
		char *u = NULL, *s = NULL, *p = NULL;

		rc = map.lib.get2(key, map.opt, &u, &s, &p);
		if (rc == 0) {
			if ((u == NULL || *u == '\0') && (s == NULL || *s == '\0') &&
			    (p == NULL || *p == '\0'))
				rc = -2;
			else if ((*result_r = join_get2(u, s, p, delim)) == NULL)
				rc = -1;
		}
		free(u);
		free(s);
		free(p);
		return rc;
	}
}

/* A lookup's debug lines are named after popmap_lookup, as they were
 * before its helpers were split out of it. */
#define lookup_debug(...) log_debug_f("popmap_lookup", __VA_ARGS__)

/* expand_key(): k holds the key. */
#define KEY_READY 1

/* Expand the format f (n bytes) into k.  Returns KEY_READY, or what the
 * lookup ends with (logged): -2 for an unknown escape (the lookup is
 * abandoned, the default servers serve), -1 for a key too long. */
static int expand_key(struct keybuf *k, const char *f, size_t n, const char *user,
		      const char *delim, const struct sockaddr_storage *peer,
		      const struct sockaddr_storage *local)
{
	char esc[ESC_LEN];

	switch (expand(k, f, n, user, delim, peer, local)) {
	case EXPAND_OK:
		return KEY_READY;
	case EXPAND_BAD_ESCAPE:
		log_escape(esc, sizeof(esc), f, n);
		lookup_debug("unknown escape in query_key \"%s\": "
			     "not looking up", esc);
		return -2;
	case EXPAND_TOO_LONG:
	default:
		/* Enough of the name to find it, not 40 KiB of log. */
		log_escape(esc, sizeof(esc), user, strnlen(user, 64));
		log_err("Map key for \"%s...\" is longer than %d bytes",
			esc, MAX_CRED_LENGTH);
		return -1;
	}
}

/* Look key up and log the outcome: 0 found (*result_r set), -2 not found,
 * -1 error. */
static int lookup_key(const char *key, const char *delim, char **result_r)
{
	char esc[ESC_LEN];
	unsigned long problems = log_problems();
	int rc = lookup_one(key, delim, result_r);

	if (rc == 0) {
		if (log_enabled(LOG_DEBUG)) {
			char esc2[ESC_LEN];

			log_escape_str(esc, sizeof(esc), key);
			log_escape_str(esc2, sizeof(esc2), *result_r);
			lookup_debug("\"%s\" -> \"%s\"", esc, esc2);
		}
		return 0;
	}
	if (rc != -2) {
		/* One line per failure: the library's own, when it logged
		 * one (it names the cause), else ours. */
		log_escape_str(esc, sizeof(esc), key);
		if (log_problems() == problems)
			log_err("Map library lookup of \"%s\" failed: %d", esc, rc);
		else
			lookup_debug("Map library lookup of \"%s\" failed: %d", esc, rc);
		return -1;
	}
	/* Not found (also: no map file) is no error: debug only. */
	if (log_enabled(LOG_DEBUG))
		lookup_debug("\"%s\" not found", log_escape_str(esc, sizeof(esc), key));
	return -2;
}

int popmap_lookup(const char *query_key, const char *user, const char *delim,
		  const struct sockaddr_storage *peer,
		  const struct sockaddr_storage *local, char **result_r)
{
	struct keybuf *k;
	const char *f, *end;
	int rc;

	*result_r = NULL;
	if (map.lib.handle == NULL)
		return -2;
	if (query_key == NULL || *query_key == '\0')
		query_key = "\\U";

	k = xmalloc(sizeof(*k));
	for (f = query_key;; f = end + 1) {
		end = strchr(f, ',');
		rc = expand_key(k, f, end != NULL ? (size_t)(end - f) : strlen(f), user, delim,
				peer, local);
		if (rc != KEY_READY)
			break;
		rc = lookup_key(k->b, delim, result_r);
		if (rc != -2 || end == NULL)
			break;
	}
	free(k);
	return rc;
}
