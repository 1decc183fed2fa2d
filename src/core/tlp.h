/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Traffic Light Protocol levels (FIRST TLP 2.0; TLP 1.0 WHITE is read as
 * CLEAR), in order from least to most restrictive, with their names and
 * canonical labels (../shared/docs/standards.md 5.1, TLP-01, TLP-03).
 * Which marking carries which level in STIX is stix/stix_tlp.h; who may
 * receive which level is account/authz.h.
 *
 * Layer: core. Pure functions, thread-safe.
 */
#ifndef CIRT_CORE_TLP_H
#define CIRT_CORE_TLP_H

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

/* The more restrictive of two levels (NONE is the least, TLP-03). */
enum cirt_tlp cirt_tlp_max(enum cirt_tlp a, enum cirt_tlp b);

#endif
