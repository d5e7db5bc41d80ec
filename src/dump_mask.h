/*
 * dump_mask.h: passwords hidden in the traffic connection_logging writes
 * to the log (-d -C; SPEC D-16), unless log_passwd is "always".
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_DUMP_MASK_H
#define PERDITION_DUMP_MASK_H

#include <stddef.h>

/* Most items masked whole after a command that announced them; a
 * client cannot keep the masking on for longer. */
#define DUMP_MASK_MAX_SECRET_ITEMS 8

/* What the previous items announced, one per direction of a conn. */
struct dump_mask {
	unsigned secret_items; /* items still to mask whole */
};

/*
 * Copy one logged item (a line or a literal read, or a write; lines are
 * split at LF) from in to out (cap bytes, at least 1; the result is cut
 * to fit and NUL-terminated), with the password replaced by MASK_TEXT:
 * POP3 "PASS x"; IMAP "tag LOGIN user x"; the response of "AUTH mech x"
 * (POP3), "AUTHENTICATE mech x" (ManageSieve) and "tag AUTHENTICATE
 * mech x" (IMAP); and whole items after them: the SASL responses that
 * follow a command without one, and the literals (and their
 * continuation lines) announced by {n} or {n+} at the end of such a
 * command.  Commands are matched without regard to case.  Returns the
 * length written.
 */
size_t dump_mask(struct dump_mask *st, const char *in, size_t len, char *out, size_t cap);

#endif
