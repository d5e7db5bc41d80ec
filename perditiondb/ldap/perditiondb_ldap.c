/*
 * perditiondb_ldap.c: map library that finds a user's real server in an
 * LDAP directory (perdition 2.2's "ldap" map, SPEC 5).
 *
 * map_library_opt is [V:]URL (RFC 4516), V the LDAP protocol version (2
 * or 3; without it 3, D-20: 2.2 bound with version 2, which current
 * servers refuse).  Default:
 *
 *   ldap://localhost/ou=mailbox,dc=nodomain?username,mailhost,port?one?(uid=%s)
 *
 * %s, or %Ns (the key right-justified in N columns), in the base DN or the
 * filter stands for the key, escaped as RFC 4514 (DN) or RFC 4515 (filter)
 * says, so a user name can never change the query (D-12; 2.2 pasted it in
 * as it was: "ali*" found alice).  The URL's attributes are, in order, the
 * user name for the real server, its host and its port; more are ignored.
 * When only the first has a value it is read as [user@]host[:port].  The
 * extensions bindname (a DN) and x-bindpw (its password) make a simple
 * bind; other extensions are ignored, unless critical ('!'), which stops
 * the library from loading.  Several space-separated hosts are tried in
 * order.  ldaps:// works with libldap's TLS settings (ldap.conf, LDAPTLS_*).
 *
 * As 2.2, one connection per lookup (a child lives for one login), with
 * 10 s for the connection and for each operation, as 2.2, and 10 s for the
 * whole lookup (ldapmap_deadline.c: libldap's own bounds miss a silent
 * ldaps:// server).  A search that matches several entries (2.2 crashed)
 * uses the first the server sends and logs so.  Returns 0 with the
 * parts, -2 when nothing matches (also when a base DN made from the key
 * does not exist), -1 on errors, each logged once, never with the bind
 * password.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#define LDAP_DEPRECATED 0
#include <dlfcn.h>
#include <ldap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "ldapmap_deadline.h"
#include "ldapmap_escape.h"
#include "maplog.h"
#include "perditiondb.h"

#define DEFAULT_URL "ldap://localhost/ou=mailbox,dc=nodomain?" \
		    "username,mailhost,port?one?(uid=%s)"
/* Seconds to connect (TCP and TLS), to wait for each answer, and for the
 * whole lookup. */
#define LDAPMAP_TIMEOUT 10
#define MAX_ATTRS 3
#define MAX_HOSTS 16
/* A value longer than this is no host, user or port (the schema's 1024). */
#define MAX_VALUE 1024
/* Room for a log-escaped string. */
#define ESC 512

struct ldapmap {
	int version;
	char *uris;    /* "ldap://h1:389 ldap://h2:389" for ldap_initialize */
	char *base;    /* decoded base DN, LDAPMAP_SLOT for each key */
	char *filter;  /* decoded filter, LDAPMAP_SLOT for each key */
	int scope;
	char *attrs[MAX_ATTRS + 1];
	int nattrs;
	char *bindname; /* NULL: no bind (anonymous, version 3) */
	char *bindpw;
	unsigned width[LDAPMAP_MAX_SLOTS];
	size_t nslots;
	size_t base_slots;
};

static struct ldapmap *map;
static bool init_failed;

static void map_free(struct ldapmap *m)
{
	if (m == NULL)
		return;
	free(m->uris);
	free(m->base);
	free(m->filter);
	for (int i = 0; i < m->nattrs; i++)
		free(m->attrs[i]);
	free(m->bindname);
	if (m->bindpw != NULL) {
		explicit_bzero(m->bindpw, strlen(m->bindpw));
		free(m->bindpw);
	}
	free(m);
}

/* Split "V:URL": the version (3 when absent) and where the URL starts. */
static int parse_version(const char *opt, int *version, const char **url)
{
	size_t d = strspn(opt, "0123456789");
	char esc[ESC];

	*version = LDAP_VERSION3;
	*url = opt;
	if (d == 0 || opt[d] != ':')
		return 0;
	*url = opt + d + 1;
	if (d == 1 && opt[0] - '0' >= LDAP_VERSION_MIN &&
	    opt[0] - '0' <= LDAP_VERSION_MAX) {
		*version = opt[0] - '0';
		return 0;
	}
	maplog_init_error("perditiondb_ldap: LDAP version \"%s\" is out of range "
			  "(%d to %d)", maplog_escape(esc, sizeof(esc), opt, d),
			  LDAP_VERSION_MIN, LDAP_VERSION_MAX);
	return -1;
}

/* "scheme://host:port" for each space-separated host of d, joined by
 * spaces: ldap_initialize() tries them in order. */
static char *host_uris(const LDAPURLDesc *d)
{
	char *hosts = d->lud_host != NULL ? strdup(d->lud_host) : strdup("");
	char *save = NULL, *r = NULL;
	size_t len = 0;
	int n = 0;

	if (hosts == NULL)
		return NULL;
	for (char *h = strtok_r(hosts, " ", &save); n == 0 || h != NULL;
	     h = strtok_r(NULL, " ", &save)) {
		LDAPURLDesc one = { 0 };
		char *u, *nr;

		one.lud_scheme = d->lud_scheme;
		one.lud_host = h;
		one.lud_port = d->lud_port;
		one.lud_scope = LDAP_SCOPE_DEFAULT;
		if (++n > MAX_HOSTS || (u = ldap_url_desc2str(&one)) == NULL)
			goto fail;
		nr = realloc(r, len + strlen(u) + 2);
		if (nr == NULL) {
			ldap_memfree(u);
			goto fail;
		}
		r = nr;
		if (len > 0)
			r[len++] = ' ';
		memcpy(r + len, u, strlen(u) + 1);
		len += strlen(u);
		ldap_memfree(u);
		if (h == NULL)
			break;
	}
	free(hosts);
	return r;
fail:
	free(hosts);
	free(r);
	return NULL;
}

/* bindname and x-bindpw (names case-insensitive, '!' = critical). */
static int parse_exts(char **exts, struct ldapmap *m)
{
	char esc[ESC];

	for (; exts != NULL && *exts != NULL; exts++) {
		bool crit = **exts == '!';
		const char *e = *exts + crit;
		const char *eq = strchr(e, '=');
		size_t nl = eq != NULL ? (size_t)(eq - e) : strlen(e);
		char **dst = NULL;

		if (nl == 8 && strncasecmp(e, "bindname", 8) == 0)
			dst = &m->bindname;
		else if (nl == 8 && strncasecmp(e, "x-bindpw", 8) == 0)
			dst = &m->bindpw;
		if (dst == NULL) {
			if (!crit)
				continue;
			/* The name only: the value may be a secret. */
			maplog_init_error("perditiondb_ldap: critical extension \"%s\" "
					  "is not supported",
					  maplog_escape(esc, sizeof(esc), e, nl));
			return -1;
		}
		free(*dst);
		*dst = strdup(eq != NULL ? eq + 1 : "");
		if (*dst == NULL)
			return -1;
	}
	if (m->bindpw != NULL && m->bindname == NULL) {
		maplog_init_error("perditiondb_ldap: x-bindpw given without bindname");
		return -1;
	}
	return 0;
}

/* Slots may only be in the base DN and the filter. */
static bool slots_placed(const LDAPURLDesc *d, size_t n)
{
	size_t elsewhere = ldapmap_slots(d->lud_host) + ldapmap_slots(d->lud_scheme);

	for (char **a = d->lud_attrs; a != NULL && *a != NULL; a++)
		elsewhere += ldapmap_slots(*a);
	for (char **e = d->lud_exts; e != NULL && *e != NULL; e++)
		elsewhere += ldapmap_slots(*e);
	return elsewhere == 0 &&
	       ldapmap_slots(d->lud_dn) + ldapmap_slots(d->lud_filter) == n;
}

/* Fill m from the parsed URL d (slots already counted in m->nslots). */
static int map_from_url(const LDAPURLDesc *d, struct ldapmap *m)
{
	if (!slots_placed(d, m->nslots)) {
		maplog_init_error("perditiondb_ldap: %%s may only stand in the base DN "
				  "and the filter of the URL");
		return -1;
	}
	if (d->lud_attrs == NULL || d->lud_attrs[0] == NULL) {
		maplog_init_error("perditiondb_ldap: the URL names no attributes "
				  "(user, host, port)");
		return -1;
	}
	for (m->nattrs = 0; m->nattrs < MAX_ATTRS && d->lud_attrs[m->nattrs];
	     m->nattrs++)
		if ((m->attrs[m->nattrs] = strdup(d->lud_attrs[m->nattrs])) == NULL)
			return -1;
	m->scope = d->lud_scope == LDAP_SCOPE_DEFAULT ? LDAP_SCOPE_BASE : d->lud_scope;
	m->base = strdup(d->lud_dn != NULL ? d->lud_dn : "");
	m->filter = strdup(d->lud_filter != NULL ? d->lud_filter : "(objectClass=*)");
	m->base_slots = ldapmap_slots(m->base);
	m->uris = host_uris(d);
	if (m->base == NULL || m->filter == NULL || m->uris == NULL) {
		maplog_init_error("perditiondb_ldap: out of memory or too many hosts "
				  "(at most %d)", MAX_HOSTS);
		return -1;
	}
	return parse_exts(d->lud_exts, m);
}

/* Parse opt (NULL or "" = the default URL) into a new map, or log why
 * not (never the password) and return NULL. */
static struct ldapmap *map_parse(const char *opt)
{
	struct ldapmap *m = calloc(1, sizeof(*m));
	LDAPURLDesc *d = NULL;
	const char *url;
	char *tmpl = NULL;
	int n, rc;

	if (m == NULL)
		return NULL;
	if (opt == NULL || *opt == '\0')
		opt = DEFAULT_URL;
	if (parse_version(opt, &m->version, &url) != 0)
		goto fail;
	n = ldapmap_tmpl_prepare(url, &tmpl, m->width);
	if (n < 0) {
		maplog_init_error("perditiondb_ldap: bad %%s in the URL (at most %d, "
				  "at most %d wide, and no %%01)",
				  LDAPMAP_MAX_SLOTS, LDAPMAP_MAX_WIDTH);
		goto fail;
	}
	m->nslots = (size_t)n;
	if (!ldap_is_ldap_url(tmpl)) {
		maplog_init_error("perditiondb_ldap: not an LDAP URL (ldap://, ldaps:// "
				  "or ldapi://)");
		goto fail;
	}
	rc = ldap_url_parse(tmpl, &d);
	if (rc != LDAP_URL_SUCCESS) {
		maplog_init_error("perditiondb_ldap: the URL does not parse (error %d)", rc);
		goto fail;
	}
	if (map_from_url(d, m) != 0)
		goto fail;
	ldap_free_urldesc(d);
	free(tmpl);
	return m;
fail:
	if (d != NULL)
		ldap_free_urldesc(d);
	free(tmpl);
	map_free(m);
	return NULL;
}

int dbserver_init(char *opt)
{
	map_free(map);
	map = map_parse(opt);
	/* Not again at each lookup, should a host look up all the same. */
	init_failed = map == NULL;
	return map != NULL ? 0 : -1;
}

int dbserver_fini(void)
{
	map_free(map);
	map = NULL;
	return 0;
}

/* One lookup: the configuration, its connection and its deadline. */
struct lookup {
	const struct ldapmap *m;
	LDAP *ld;
	struct ldapmap_deadline *dl;
};

/* Why an operation failed: libldap's text and the server's, if any, or
 * that the lookup ran out of time. */
static void log_ldap_error(const struct lookup *lk, int rc, const char *what)
{
	char *diag = NULL, esc[ESC], esc2[ESC];
	const char *uris = lk->m->uris;

	maplog_escape(esc, sizeof(esc), uris, strlen(uris));
	if (ldapmap_deadline_passed(lk->dl)) {
		maplog(LOG_ERR, "perditiondb_ldap: %s on %s failed: no answer within "
		       "%d seconds", what, esc, LDAPMAP_TIMEOUT);
		return;
	}
	if (lk->ld != NULL)
		(void)ldap_get_option(lk->ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag);
	/* libldap's placeholder when it has nothing to add. */
	if (diag != NULL && strcmp(diag, "(unknown error code)") == 0) {
		ldap_memfree(diag);
		diag = NULL;
	}
	maplog(LOG_ERR, "perditiondb_ldap: %s on %s failed: %s%s%s", what, esc,
	       ldap_err2string(rc), diag != NULL && *diag != '\0' ? ": " : "",
	       diag != NULL ? maplog_escape(esc2, sizeof(esc2), diag, strlen(diag))
			    : "");
	ldap_memfree(diag);
}

/* Set up lk->ld: version, time-outs, the deadline's watch. */
static int ldap_setup(struct lookup *lk)
{
	struct timeval tv = { LDAPMAP_TIMEOUT, 0 };
	int rc = ldap_initialize(&lk->ld, lk->m->uris);

	if (rc != LDAP_SUCCESS) {
		lk->ld = NULL;
		log_ldap_error(lk, rc, "ldap_initialize");
		return -1;
	}
	if (ldap_set_option(lk->ld, LDAP_OPT_PROTOCOL_VERSION, &lk->m->version) ||
	    ldap_set_option(lk->ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) ||
	    ldap_set_option(lk->ld, LDAP_OPT_TIMEOUT, &tv) ||
	    ldap_set_option(lk->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) ||
	    ldapmap_deadline_attach(lk->dl, lk->ld) != 0) {
		log_ldap_error(lk, LDAP_OTHER, "setting options");
		return -1;
	}
	return 0;
}

/* Bind if so configured.  Version 3 searches anonymously without a
 * bind; version 2 must bind first. */
static int ldap_bind(struct lookup *lk)
{
	const struct ldapmap *m = lk->m;
	struct berval cred = { 0, m->bindpw };
	char what[ESC + 16], esc[ESC];
	int rc;

	if (m->bindname == NULL && m->version != LDAP_VERSION2)
		return 0;
	cred.bv_len = m->bindpw != NULL ? strlen(m->bindpw) : 0;
	rc = ldap_sasl_bind_s(lk->ld, m->bindname != NULL ? m->bindname : "",
			      LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	if (rc == LDAP_SUCCESS)
		return 0;
	snprintf(what, sizeof(what), "bind as \"%s\"",
		 m->bindname == NULL ? "" :
		 maplog_escape(esc, sizeof(esc), m->bindname, strlen(m->bindname)));
	log_ldap_error(lk, rc, what);
	return -1;
}

/* The first value of attr, if any: *v_r malloc'd or NULL.  -1 for a
 * value that cannot be a user, host or port (too long, NUL bytes). */
static int first_value(LDAP *ld, LDAPMessage *e, const char *attr, char **v_r)
{
	struct berval **vals = ldap_get_values_len(ld, e, attr);
	int rc = 0;

	*v_r = NULL;
	if (vals == NULL)
		return 0;
	if (vals[0] != NULL && vals[0]->bv_len > 0) {
		if (vals[0]->bv_len > MAX_VALUE ||
		    memchr(vals[0]->bv_val, '\0', vals[0]->bv_len) != NULL)
			rc = -1;
		else if ((*v_r = strndup(vals[0]->bv_val, vals[0]->bv_len)) == NULL)
			rc = -1;
	}
	ldap_value_free_len(vals);
	return rc;
}

typedef int (*usp_assign_fn)(void **, const char *);
typedef char *(*usp_get_fn)(void *);
typedef void (*usp_void_fn)(void *);

/* Split with the loading daemon's own user_server_port helpers (ours and
 * 2.2's export them, D-14), so its --domain_delimiter applies.  Returns
 * 1 when they are not there. */
static int split_by_host(const char *v, char **u, char **s, char **p)
{
	union { void *obj; usp_assign_fn f; } assign = { dlsym(RTLD_DEFAULT,
		"user_server_port_str_assign") };
	union { void *obj; usp_get_fn f; } gu = { dlsym(RTLD_DEFAULT,
		"user_server_port_get_user") }, gs = { dlsym(RTLD_DEFAULT,
		"user_server_port_get_server") }, gp = { dlsym(RTLD_DEFAULT,
		"user_server_port_get_port") };
	union { void *obj; usp_void_fn f; } un = { dlsym(RTLD_DEFAULT,
		"user_server_port_unassign") }, de = { dlsym(RTLD_DEFAULT,
		"user_server_port_destroy") };
	void *usp = NULL;

	if (!assign.obj || !gu.obj || !gs.obj || !gp.obj || !un.obj || !de.obj)
		return 1;
	if (assign.f(&usp, v) < 0)
		return -1;
	*u = gu.f(usp);
	*s = gs.f(usp);
	*p = gp.f(usp);
	un.f(usp);
	de.f(usp);
	return 0;
}

/* The entry's values as user, server and port (SPEC 5). */
static int entry_result(LDAP *ld, LDAPMessage *e, const struct ldapmap *m,
			char **user, char **server, char **port)
{
	char *v[MAX_ATTRS] = { NULL, NULL, NULL }, esc[ESC];
	int rc = 0;

	for (int i = 0; i < m->nattrs && rc == 0; i++)
		rc = first_value(ld, e, m->attrs[i], &v[i]);
	if (rc == 0 && v[0] != NULL && v[1] == NULL && v[2] == NULL) {
		/* Only the first: it is "[user@]host[:port]". */
		rc = split_by_host(v[0], user, server, port);
		/* (The daemon's helper logs its own errors.) */
		if (rc > 0 &&
		    (rc = ldapmap_split_value(v[0], "@", user, server, port)) != 0)
			maplog(LOG_ERR, "perditiondb_ldap: bad value \"%s\" of %s",
			       maplog_escape(esc, sizeof(esc), v[0], strlen(v[0])),
			       m->attrs[0]);
		free(v[0]);
		return rc != 0 ? -1 : 0;
	}
	if (rc != 0) {
		maplog(LOG_ERR, "perditiondb_ldap: a value of the entry is longer than "
		       "%d bytes or holds a NUL", MAX_VALUE);
		for (int i = 0; i < MAX_ATTRS; i++)
			free(v[i]);
		return -1;
	}
	*user = v[0];
	*server = v[1];
	*port = v[2];
	return 0;
}

/* Log that several entries matched (2.2 crashed here). */
static void log_ambiguous(LDAP *ld, LDAPMessage *e, const char *filter)
{
	char *dn = ldap_get_dn(ld, e), esc[ESC], esc2[ESC];

	maplog(LOG_WARNING, "perditiondb_ldap: several entries match \"%s\"; "
	       "using the first, \"%s\"",
	       maplog_escape(esc, sizeof(esc), filter, strlen(filter)),
	       dn != NULL ? maplog_escape(esc2, sizeof(esc2), dn, strlen(dn)) : "");
	ldap_memfree(dn);
}

/* Search base/filter; 0 with the parts, -2 nothing found, -1 error. */
static int search(const struct lookup *lk, const char *base,
		  const char *filter, char **user, char **server, char **port)
{
	struct timeval tv = { LDAPMAP_TIMEOUT, 0 };
	const struct ldapmap *m = lk->m;
	LDAPMessage *res = NULL, *e;
	int rc, n;

	/* Two are enough to know the answer is not unique. */
	rc = ldap_search_ext_s(lk->ld, base, m->scope, filter, (char **)m->attrs,
			       0, NULL, NULL, &tv, 2, &res);
	if ((rc == LDAP_NO_SUCH_OBJECT || rc == LDAP_INVALID_DN_SYNTAX) &&
	    m->base_slots > 0) {
		/* The key names the base DN: no such user. */
		ldap_msgfree(res);
		return -2;
	}
	if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED) {
		log_ldap_error(lk, rc, "search");
		ldap_msgfree(res);
		return -1;
	}
	n = ldap_count_entries(lk->ld, res);
	e = ldap_first_entry(lk->ld, res);
	if (n <= 0 || e == NULL) {
		ldap_msgfree(res);
		return -2;
	}
	if (n > 1 || rc == LDAP_SIZELIMIT_EXCEEDED)
		log_ambiguous(lk->ld, e, filter);
	rc = entry_result(lk->ld, e, m, user, server, port);
	ldap_msgfree(res);
	if (rc == 0 && *user == NULL && *server == NULL && *port == NULL)
		return -2;
	return rc;
}

int dbserver_get2(const char *key, const char *opt, char **user,
		  char **server, char **port)
{
	struct lookup lk = { NULL, NULL, NULL };
	char *base = NULL, *filter = NULL;
	size_t next = 0;
	int rc = -1;

	*user = *server = *port = NULL;
	/* A host that did not call dbserver_init still passes the option. */
	if (map == NULL && (init_failed || (map = map_parse(opt)) == NULL))
		return -1;
	if (key == NULL)
		return -1;
	lk.m = map;
	base = ldapmap_expand(map->base, map->width, map->nslots, &next, key,
			      strlen(key), LDAPMAP_DN);
	if (base != NULL)
		filter = ldapmap_expand(map->filter, map->width, map->nslots,
					&next, key, strlen(key), LDAPMAP_FILTER);
	if (filter == NULL) {
		maplog(LOG_ERR, "perditiondb_ldap: a key of %zu bytes is too long for "
		       "the query", strlen(key));
		goto out;
	}
	lk.dl = ldapmap_deadline_start(LDAPMAP_TIMEOUT);
	if (ldap_setup(&lk) == 0 && ldap_bind(&lk) == 0)
		rc = search(&lk, base, filter, user, server, port);
	if (lk.ld != NULL)
		ldap_unbind_ext_s(lk.ld, NULL, NULL);
	ldapmap_deadline_stop(lk.dl);
out:
	free(base);
	free(filter);
	return rc;
}
