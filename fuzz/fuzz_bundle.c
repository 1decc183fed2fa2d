/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Harness: a STIX bundle or TAXII envelope as `cirtkit import` and TAXII
 * POST receive it: the streaming reader (stix/stix_bundle.h) under small
 * limits, every element through the validator (stix/stix.h, patterns
 * included), and the bundle-level checks.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "stix/stix.h"
#include "stix/stix_bundle.h"

static int check_one(const char *bytes, size_t len, json_t *obj, size_t index,
		     void *arg)
{
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;

	(void)bytes;
	(void)len;
	(void)index;
	(void)arg;
	cirt_stix_findings_init(&f);
	(void)cirt_stix_validate(obj, &m, &f);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cirt_bundle_limits lim = {64u << 10, 1000, 64};
	struct cirt_bundle_src src = {-1, (const char *)data, size};
	struct cirt_stix_findings f;
	struct cirt_bundle_info info;
	struct cirt_diag d;

	cirt_diag_init(&d);
	if (cirt_bundle_read(&src, &lim, check_one, NULL, &info, &d) == 0) {
		cirt_stix_findings_init(&f);
		cirt_stix_validate_bundle(info.hdr, info.count, &f);
	}
	cirt_bundle_info_release(&info);
	return 0;
}
