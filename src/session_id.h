/*
 * session_id.h: a random session id, named in the log and sent to the
 * real server with forward_client_address so both logs can be matched.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_SESSION_ID_H
#define PERDITION_SESSION_ID_H

/* 16 lower-case hex digits and a NUL. */
#define SESSION_ID_SIZE 17

/* Fill dst (SESSION_ID_SIZE bytes) with a new random id. */
void session_id_new(char *dst);

#endif
