/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Placeholder: written by the STIX validator work.
 */
#include "stix/stix.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

void cirt_stix_findings_init(struct cirt_stix_findings *f)
{
	memset(f, 0, sizeof(*f));
}

int cirt_stix_find(struct cirt_stix_findings *f, const char *path,
		   const char *rule, const char *fmt, ...)
{
	va_list ap;

	if (f->n < CIRT_STIX_FINDINGS_MAX) {
		struct cirt_stix_finding *x = &f->f[f->n++];

		snprintf(x->path, sizeof(x->path), "%s", path);
		snprintf(x->rule, sizeof(x->rule), "%s", rule);
		va_start(ap, fmt);
		vsnprintf(x->message, sizeof(x->message), fmt, ap);
		va_end(ap);
	}
	f->total++;
	return -CIRT_EINVAL;
}

int cirt_stix_validate(json_t *obj, struct cirt_stix_meta *meta,
		       struct cirt_stix_findings *out)
{
	(void)obj;
	(void)meta;
	return cirt_stix_find(out, "$", "STIX-00", "not implemented yet");
}

int cirt_stix_validate_bundle(json_t *hdr, size_t nobjects,
			      struct cirt_stix_findings *out)
{
	(void)hdr;
	(void)nobjects;
	(void)out;
	return 0;
}
