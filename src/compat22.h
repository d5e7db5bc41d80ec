/*
 * compat22.h: the exported `opt` that perdition 2.2's map libraries read
 * (SPEC 5, D-14).
 *
 * 2.2 exported its whole options struct under that name, and Debian's
 * 2.2 daemon-map library (libperditiondb_daemon.so.0) reads one field of
 * it: the domain_delimiter char * at offset 0x50 on x86-64.  Our options
 * struct is `options` and is nobody else's business; `opt` is this small
 * object holding only what 2.2's libraries read, at 2.2's offsets.  The
 * libraries reach it by name through the binary's dynamic symbol table
 * (perdition is linked with -export-dynamic); nothing of ours reads it.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PERDITION_COMPAT22_H
#define PERDITION_COMPAT22_H

#include <stddef.h>

/* 2.2's options_t as far as its libraries read it. */
struct compat22_opt {
	/* 2.2's fields before domain_delimiter: no library reads them. */
	unsigned char unread[0x50];
	/* 2.2's domain_delimiter: read by its daemon-map library (and sent
	 * to the map server with each request). */
	const char *domain_delimiter;
};

/* Where Debian's amd64 build of 2.2 has the field; 2.2 builds for other
 * architectures have other offsets, which we do not promise. */
_Static_assert(offsetof(struct compat22_opt, domain_delimiter) == 0x50,
	       "opt.domain_delimiter must be at 2.2's offset 0x50");

extern struct compat22_opt opt;

/*
 * Fill opt from our options, once at start-up (options do not change
 * afterwards: SIGHUP reloads the map library only).  domain_delimiter
 * must stay valid as long as a map library may run (the options' strings
 * live until exit).
 */
void compat22_fill(const char *domain_delimiter);

#endif
