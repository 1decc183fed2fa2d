/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Traffic Light Protocol: the levels (TLP 2.0, with TLP 1.0 WHITE read as
 * CLEAR), their order from least to most restrictive, their names, and
 * the STIX marking-definition ids that carry them: the four TLP 1.0 ones
 * (STIX 2.1 section 7.2.1.4) and the five TLP 2.0 ones of the OASIS
 * extension (../shared/docs/standards.md 1.8, 5.2). The level of a STIX
 * object is the most restrictive TLP marking it carries (TLP-03).
 *
 * Layer: stix. Pure functions and constant tables, thread-safe.
 */
#ifndef CIRT_STIX_TLP_H
#define CIRT_STIX_TLP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* In order: a higher value is more restrictive. */
enum cirt_tlp {
	CIRT_TLP_NONE = -1, /* no TLP marking */
	CIRT_TLP_CLEAR = 0,
	CIRT_TLP_GREEN,
	CIRT_TLP_AMBER,
	CIRT_TLP_AMBER_STRICT,
	CIRT_TLP_RED,
	CIRT_TLP_COUNT
};

/* "clear", "green", "amber", "amber+strict", "red" ("none" for NONE). */
const char *cirt_tlp_name(enum cirt_tlp t);

/* The canonical label: "TLP:AMBER+STRICT" (TLP-01). */
const char *cirt_tlp_label(enum cirt_tlp t);

/*
 * Parse a level case-insensitively, with or without "TLP:"; "white" is
 * read as CLEAR (TLP-01). 0 or -CIRT_EINVAL.
 */
int cirt_tlp_parse(const char *s, enum cirt_tlp *out);

/* The level a marking-definition id stands for, TLP 1.0 or 2.0, or
 * CIRT_TLP_NONE if it is not a TLP marking. */
enum cirt_tlp cirt_tlp_of_marking(const char *marking_id);

/* The TLP 2.0 marking-definition id of a level (never TLP 1.0). */
const char *cirt_tlp_marking_id(enum cirt_tlp t);

/* The more restrictive of two levels (NONE is the least). */
enum cirt_tlp cirt_tlp_max(enum cirt_tlp a, enum cirt_tlp b);

#endif
