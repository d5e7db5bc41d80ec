/*
 * proxy_read.h: read a PROXY protocol header from a socket, exactly: not
 * one byte of what the client sends after it.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_PROXY_READ_H
#define PERDITION_PROXY_READ_H

#include "proxy_header.h"

/*
 * Read and parse one header from fd within timeout_ms milliseconds (v1
 * byte by byte up to its LF, at most PROXY_V1_MAX bytes; v2 its 16-byte
 * head, then the length it announces, at most PROXY_V2_MAX_BODY).
 * Returns 0, or -1 with *reason a static string (timeout, truncated,
 * too long, malformed).
 */
int proxy_read_header(int fd, unsigned timeout_ms, struct proxy_header *h, const char **reason);

#endif
