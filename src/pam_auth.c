/*
 * pam_auth.c: authenticate_in.  The conversation answers every prompt
 * with the password, so modules that ask twice (or ask for a token by
 * another name) still get it.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net.h"
#include "pam_auth.h"

#ifdef WITH_PAM_SUPPORT
#include <security/pam_appl.h>

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

	r = pam_start(PAM_SERVICE_NAME, user, &conv, &pamh);
	if (r != PAM_SUCCESS) {
		log_err("pam_start: %s", pam_strerror(pamh, r));
		return -1;
	}
	if (peer != NULL) {
		net_addr_str(peer, rhost, sizeof(rhost));
		r = pam_set_item(pamh, PAM_RHOST, rhost);
	}
	if (r == PAM_SUCCESS)
		r = pam_set_item(pamh, PAM_RUSER, user);
	if (r == PAM_SUCCESS)
		r = pam_authenticate(pamh, PAM_SILENT);
	if (r == PAM_SUCCESS)
		r = pam_acct_mgmt(pamh, PAM_SILENT);
	if (r != PAM_SUCCESS)
		log_debug("%s", pam_strerror(pamh, r));
	pam_end(pamh, r);
	return r == PAM_SUCCESS ? 0 : -1;
}

#else

int pam_auth_check(const char *user, const char *passwd, const struct sockaddr_storage *peer)
{
	(void)user;
	(void)passwd;
	(void)peer;
	log_err("PAM support is not compiled in");
	return -1;
}

#endif
