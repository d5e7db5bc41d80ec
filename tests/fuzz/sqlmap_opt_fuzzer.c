/*
 * sqlmap_opt_fuzzer.c: libFuzzer target for sqlmap_opt_parse(), the
 * map_library_opt parser of the SQL map libraries.  Whatever it accepts
 * must hold only plain identifiers where SQL text is built from it.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sqlmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sqlmap_defaults d = { {
		"localhost", "0", "db", "t", "u", "p", "s", "user", "port",
	} };
	struct sqlmap_opt o;
	char s[4096];

	if (size >= sizeof(s))
		size = sizeof(s) - 1;
	memcpy(s, data, size);
	s[size] = '\0';
	if (sqlmap_opt_parse("fuzz", s, &d, &o) != 0)
		return 0;
	if (o.nhosts < 1 || o.nhosts > SQLMAP_MAX_HOSTS || o.port > 65535 ||
	    !sqlmap_identifier_ok(o.field[SQLMAP_TABLE]) ||
	    !sqlmap_identifier_ok(o.field[SQLMAP_SRV_COL]) ||
	    !sqlmap_identifier_ok(o.field[SQLMAP_USER_COL]) ||
	    !(sqlmap_identifier_ok(o.field[SQLMAP_PORT_COL]) ||
	      sqlmap_number_ok(o.field[SQLMAP_PORT_COL]) ||
	      o.field[SQLMAP_PORT_COL][0] == '\0'))
		abort();
	for (int i = 0; i < o.nhosts; i++)
		if (o.hosts[i][0] == '\0' || strchr(o.hosts[i], ',') != NULL)
			abort();
	sqlmap_opt_free(&o);
	return 0;
}
