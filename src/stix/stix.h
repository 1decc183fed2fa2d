/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX validation: whether one top-level object (not a bundle) obeys
 * STIX 2.1 (../shared/docs/standards.md section 1; rules STIX-01 to
 * STIX-19), and the facts about it that the store and TAXII need. STIX
 * 2.0 objects (no spec_version on a type that is not a cyber-observable)
 * are accepted under the STIX 2.0 common rules, so that data from older
 * peers and from medallion can be kept.
 *
 * Every problem found is a finding with the JSON path of the field, the
 * rule it breaks (the STIX-nn id of standards.md 1.14) and one sentence.
 * Versioning across versions of one object (STIX-12) is checked by the
 * store, which sees the other versions.
 *
 * Layer: stix. Pure functions over jansson values; thread-safe.
 */
#ifndef CIRT_STIX_H
#define CIRT_STIX_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/err.h"
#include "core/time.h"
#include "stix/stix_tlp.h"

#define CIRT_STIX_TYPE_MAX 250
#define CIRT_STIX_ID_MAX   (CIRT_STIX_TYPE_MAX + 2 + 36)
/* Longest timestamp kept, with its NUL. */
#define CIRT_STIX_TIME_MAX CIRT_TIME_TEXT_MAX

/* The facts about a valid object. */
struct cirt_stix_meta {
	char type[CIRT_STIX_TYPE_MAX + 1];
	char id[CIRT_STIX_ID_MAX + 1];
	char spec_version[8];		   /* "2.1" or "2.0" */
	char created[CIRT_STIX_TIME_MAX];  /* "" when absent (SCOs) */
	char modified[CIRT_STIX_TIME_MAX]; /* "" when absent */
	char version[CIRT_STIX_TIME_MAX];  /* modified, else created, else "" */
	char created_by_ref[CIRT_STIX_ID_MAX + 1]; /* "" when absent */
	enum cirt_tlp
		tlp; /* most restrictive TLP marking, object or granular */
	bool revoked;
};

struct cirt_stix_finding {
	char path[256];	   /* "$.pattern", "$.external_references[0].url" */
	char rule[16];	   /* "STIX-05" */
	char message[320]; /* one sentence, valid UTF-8 */
};

#define CIRT_STIX_FINDINGS_MAX 16

/* Findings of one object: the first CIRT_STIX_FINDINGS_MAX are kept. */
struct cirt_stix_findings {
	size_t total;
	size_t n;
	struct cirt_stix_finding f[CIRT_STIX_FINDINGS_MAX];
};

void cirt_stix_findings_init(struct cirt_stix_findings *f);

/* Record a finding (printf-style message); returns -CIRT_EINVAL. */
int cirt_stix_find(struct cirt_stix_findings *f, const char *path,
		   const char *rule, const char *fmt, ...) CIRT_PRINTF(4, 5);

/*
 * Validate one top-level STIX object. 0 with *meta filled, or
 * -CIRT_EINVAL with at least one finding in *out.
 */
int cirt_stix_validate(json_t *obj, struct cirt_stix_meta *meta,
		       struct cirt_stix_findings *out);

/*
 * Validate the members of a bundle other than `objects` (passed as the
 * object hdr), and the count of objects it held (STIX-15). 0 or
 * -CIRT_EINVAL with findings.
 */
int cirt_stix_validate_bundle(json_t *hdr, size_t nobjects,
			      struct cirt_stix_findings *out);

#endif
