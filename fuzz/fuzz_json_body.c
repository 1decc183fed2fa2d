/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Harness: an HTTP request body as the API reads it: strict JSON with the
 * nesting budget, then the typed getters and the unknown-field check that
 * the handlers use.
 */
#include <stdbool.h>

#include "core/json.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fields[] = {"name", "kind", "expires_days",
					     "disabled"};
	struct cirt_diag d;
	const char *s;
	size_t len;
	int64_t i;
	bool b, present;
	json_t *v = NULL;

	cirt_diag_init(&d);
	if (cirt_json_parse((const char *)data, size, 32, &v, &d) < 0)
		return 0;
	if (json_is_object(v)) {
		(void)cirt_json_only(v, fields, 4, &d);
		(void)cirt_json_get_str(v, "name", true, &s, &len, &d);
		(void)cirt_json_get_int(v, "expires_days", false, 0, 3650, &i,
					&present, &d);
		(void)cirt_json_get_bool(v, "disabled", &b, &present, &d);
	}
	json_decref(v);
	return 0;
}
