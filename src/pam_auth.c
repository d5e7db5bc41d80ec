/*
 * pam_auth.c: authenticate_in.  The conversation answers every prompt
 * with the password, so modules that ask twice (or ask for a token by
 * another name) still get it.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net.h"
#include "pam_auth.h"

#ifdef WITH_PAM_SUPPORT
#include <security/pam_appl.h>

/*
 * libpam is loaded with dlopen() only when authenticate_in is set, once,
 * in the parent.  Linked in, it brought libaudit and libcap-ng along:
 * 17 more mappings for fork() to copy and exit() to tear down, and a fork
 * handler run in every child: 3-6 % of the CPU of a login that never
 * uses PAM (bench/README).  The functions are looked up in the global
 * scope, as the dynamic linker would have bound them, so an LD_PRELOAD
 * wrapper (pam_wrapper) still comes first.
 */
#define PAM_LIBRARY "libpam.so.0"

static struct {
	bool loaded;
	int (*start)(const char *, const char *, const struct pam_conv *, pam_handle_t **);
	int (*set_item)(pam_handle_t *, int, const void *);
	int (*authenticate)(pam_handle_t *, int);
	int (*acct_mgmt)(pam_handle_t *, int);
	const char *(*strerror)(pam_handle_t *, int);
	int (*end)(pam_handle_t *, int);
} pam;

static void *pam_sym(const char *name)
{
	void *f = dlsym(RTLD_DEFAULT, name);

	if (f == NULL)
		log_err("Could not find %s in %s", name, PAM_LIBRARY);
	return f;
}

int pam_auth_load(void)
{
	if (pam.loaded)
		return 0;
	if (dlopen(PAM_LIBRARY, RTLD_NOW | RTLD_GLOBAL) == NULL) {
		log_err("Could not load %s for authenticate_in: %s", PAM_LIBRARY, dlerror());
		return -1;
	}
	/* POSIX's way to store a function pointer from dlsym(). */
	*(void **)&pam.start = pam_sym("pam_start");
	*(void **)&pam.set_item = pam_sym("pam_set_item");
	*(void **)&pam.authenticate = pam_sym("pam_authenticate");
	*(void **)&pam.acct_mgmt = pam_sym("pam_acct_mgmt");
	*(void **)&pam.strerror = pam_sym("pam_strerror");
	*(void **)&pam.end = pam_sym("pam_end");
	if (pam.start == NULL || pam.set_item == NULL || pam.authenticate == NULL ||
	    pam.acct_mgmt == NULL || pam.strerror == NULL || pam.end == NULL)
		return -1;
	pam.loaded = true;
	return 0;
}

static int conversation(int n, const struct pam_message **msg, struct pam_response **resp_r,
			void *data)
{
	const char *passwd = data;
	struct pam_response *resp;

	if (n <= 0 || n > PAM_MAX_NUM_MSG)
		return PAM_CONV_ERR;
	resp = calloc((size_t)n, sizeof(*resp));
	if (resp == NULL)
		return PAM_BUF_ERR;
	for (int i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
		case PAM_PROMPT_ECHO_ON:
			resp[i].resp = strdup(passwd);
			if (resp[i].resp == NULL)
				goto fail;
			break;
		default: /* PAM_TEXT_INFO, PAM_ERROR_MSG: nothing to answer */
			break;
		}
	}
	*resp_r = resp;
	return PAM_SUCCESS;
fail:
	for (int i = 0; i < n; i++)
		if (resp[i].resp != NULL) {
			explicit_bzero(resp[i].resp, strlen(resp[i].resp));
			free(resp[i].resp);
		}
	free(resp);
	return PAM_BUF_ERR;
}

int pam_auth_check(const char *user, const char *passwd, const struct sockaddr_storage *peer)
{
	struct pam_conv conv = { conversation, (void *)passwd };
	pam_handle_t *pamh = NULL;
	char rhost[64];
	int r;

	if (pam_auth_load() < 0)
		return -1;
	r = pam.start(PAM_SERVICE_NAME, user, &conv, &pamh);
	if (r != PAM_SUCCESS) {
		log_err("pam_start: %s", pam.strerror(pamh, r));
		return -1;
	}
	if (peer != NULL) {
		net_addr_str(peer, rhost, sizeof(rhost));
		r = pam.set_item(pamh, PAM_RHOST, rhost);
	}
	if (r == PAM_SUCCESS)
		r = pam.set_item(pamh, PAM_RUSER, user);
	if (r == PAM_SUCCESS)
		r = pam.authenticate(pamh, PAM_SILENT);
	if (r == PAM_SUCCESS)
		r = pam.acct_mgmt(pamh, PAM_SILENT);
	if (r != PAM_SUCCESS)
		log_debug("%s", pam.strerror(pamh, r));
	pam.end(pamh, r);
	return r == PAM_SUCCESS ? 0 : -1;
}

#else

int pam_auth_load(void)
{
	log_err("PAM support is not compiled in");
	return -1;
}

int pam_auth_check(const char *user, const char *passwd, const struct sockaddr_storage *peer)
{
	(void)user;
	(void)passwd;
	(void)peer;
	log_err("PAM support is not compiled in");
	return -1;
}

#endif
