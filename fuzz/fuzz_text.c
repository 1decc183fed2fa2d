/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Harness: the text and number rules every field passes through (UTF-8
 * validation, line and identifier checks, strict number parsing).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "core/text.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct cirt_diag d;
	uint64_t u;
	int64_t i;
	size_t bad;
	bool b;
	char *z;

	cirt_diag_init(&d);
	(void)cirt_utf8_valid(s, size, &bad);
	(void)cirt_text_check_line(s, size, 1, 128, "fuzz", &d);
	cirt_diag_init(&d);
	(void)cirt_text_check_ident(s, size, 64, "fuzz", &d);
	z = malloc(size + 1);
	memcpy(z, data, size);
	z[size] = '\0';
	(void)!cirt_parse_i64(z, INT64_MIN, INT64_MAX, &i);
	(void)!cirt_parse_size(z, 0, UINT64_MAX, &u);
	(void)!cirt_parse_bool(z, &b);
	free(z);
	return 0;
}
