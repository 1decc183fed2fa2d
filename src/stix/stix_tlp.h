/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * TLP in STIX: the marking-definition ids that carry each level, the four
 * TLP 1.0 ones (STIX 2.1 section 7.2.1.4) and the five TLP 2.0 ones of the
 * OASIS extension (../shared/docs/standards.md 1.8, 5.2). The levels
 * themselves are core/tlp.h (included here). The level of a STIX object is
 * the most restrictive TLP marking it carries (TLP-03).
 *
 * Layer: stix. Pure functions and constant tables, thread-safe.
 */
#ifndef CIRT_STIX_TLP_H
#define CIRT_STIX_TLP_H

#include <jansson.h>

#include "core/tlp.h"

/* The level a marking-definition id stands for, TLP 1.0 or 2.0, or
 * CIRT_TLP_NONE if it is not a TLP marking. */
enum cirt_tlp cirt_tlp_of_marking(const char *marking_id);

/* The TLP 2.0 marking-definition id of a level (never TLP 1.0). */
const char *cirt_tlp_marking_id(enum cirt_tlp t);

/* The official TLP 2.0 marking-definition object of a level (TLP-04), a
 * new reference; NULL for NONE. */
json_t *cirt_tlp_marking_object(enum cirt_tlp t);

#endif
