/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Harness: "METHOD PATH" against the real route table: route matching and
 * the percent-decoding of path segments.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "fuzz.h"
#include "http/http_router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cirt_route_match m;
	struct cirt_diag d;
	char *text, *space;
	char *decoded = NULL;

	if (size > 8192)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	space = strchr(text, ' ');
	cirt_diag_init(&d);
	if (space) {
		*space = '\0';
		(void)cirt_route_find(cirt_api_routes, cirt_api_route_count,
				      text, space + 1, &m, &d);
		cirt_route_match_release(&m);
	}
	if (cirt_pct_decode((const char *)data, size, "fuzz", &decoded, &d) ==
	    0)
		free(decoded);
	free(text);
	return 0;
}
