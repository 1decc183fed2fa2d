/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Placeholder: written by the STIX patterning work.
 */
#include "stix/stix_pattern.h"

#include "core/banned.h"

int cirt_pattern_parse(const char *text, size_t len, struct cirt_pattern **out,
		       struct cirt_diag *d)
{
	(void)text;
	(void)len;
	*out = NULL;
	return cirt_diag_set(d, -CIRT_EINVAL, NULL, "not implemented yet");
}

void cirt_pattern_free(struct cirt_pattern *p)
{
	(void)p;
}
