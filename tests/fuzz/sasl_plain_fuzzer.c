/*
 * sasl_plain_fuzzer.c: libFuzzer target for the shared SASL PLAIN
 * decoder (base64, the three fields, the bounds); a success must encode
 * back to a message that decodes to the same fields.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sasl_plain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sasl_plain p, q;
	size_t len;
	char *b64;

	if (sasl_plain_decode((const char *)data, size, size & 1, &p) != SASL_PLAIN_OK)
		return 0;
	if (p.authc == NULL || p.passwd == NULL || p.authc[0] == '\0' ||
	    strlen(p.authc) > SASL_PLAIN_FIELD_MAX ||
	    strlen(p.passwd) > SASL_PLAIN_FIELD_MAX ||
	    (p.authz != NULL && (p.authz[0] == '\0' ||
				 strlen(p.authz) > SASL_PLAIN_FIELD_MAX)))
		abort();
	b64 = sasl_plain_encode(p.authz, p.authc, p.passwd, &len);
	if (sasl_plain_decode(b64, len, true, &q) != SASL_PLAIN_OK ||
	    strcmp(q.authc, p.authc) != 0 || strcmp(q.passwd, p.passwd) != 0 ||
	    (p.authz == NULL) != (q.authz == NULL) ||
	    (p.authz != NULL && strcmp(p.authz, q.authz) != 0))
		abort();
	free(b64);
	sasl_plain_free(&p);
	sasl_plain_free(&q);
	return 0;
}
