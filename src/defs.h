/*
 * defs.h: every hard limit of the daemon in one place.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_DEFS_H
#define PERDITION_DEFS_H

/* Longest line (without CRLF) read from a client or a real server
 * before authentication; a longer line is a protocol error. */
#define MAX_LINE_LENGTH 4096

/* Size of the read buffer of one connection. */
#define CONN_BUF_SIZE 8192

/* Largest IMAP/ManageSieve literal accepted before authentication. */
#define MAX_LITERAL_SIZE 4096

/* Most arguments a pre-authentication command may carry. */
#define MAX_ARGS 16

/* Longest user name, password or server string we carry around. */
#define MAX_CRED_LENGTH 4096

/* Longest IMAP tag we accept from a client. */
#define MAX_TAG_LENGTH 256

/* Longest config-file token (value), as perdition 2.2. */
#define MAX_CONFIG_TOKEN 4093

/* Seconds slept before most protocol-error replies (perdition 2.2). */
#define PROTOCOL_ERROR_SLEEP 3

/* Relay buffer used when either side is TLS. */
#define RELAY_BUF_SIZE 16384

/* Bytes moved by one splice(2) call. */
#define SPLICE_CHUNK (1024 * 1024)

/* Exit statuses. */
#define EXIT_OK 0
#define EXIT_FATAL 255
#define EXIT_USAGE 1

#endif
