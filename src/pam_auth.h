/*
 * pam_auth.h: authenticate_in, checking credentials with PAM.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_PAM_AUTH_H
#define PERDITION_PAM_AUTH_H

#include <sys/socket.h>

#define PAM_SERVICE_NAME "perdition"

/* Load libpam, once (main() does it when authenticate_in is set).
 * Returns 0, or -1 after logging why. */
int pam_auth_load(void);

/*
 * Check user and passwd with PAM service "perdition": authentication,
 * then account management.  peer (may be NULL) becomes PAM_RHOST.
 * Returns 0 when both succeed, -1 otherwise (logged at debug).
 */
int pam_auth_check(const char *user, const char *passwd, const struct sockaddr_storage *peer);

#endif
