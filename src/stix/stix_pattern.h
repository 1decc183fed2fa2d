/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX patterning (STIX 2.1 section 9, the grammar in
 * ../shared/data/stix/pattern_grammar/STIXPattern.g4): a parser for the
 * whole grammar, with the semantic rules of standards.md 1.11, and an
 * evaluator of parsed patterns against observations (STIX-17, STIX-18).
 *
 * Layer: stix. A parsed pattern is immutable and may be shared between
 * threads; parsing and evaluation are thread-safe.
 */
#ifndef CIRT_STIX_PATTERN_H
#define CIRT_STIX_PATTERN_H

#include <stddef.h>

#include "core/err.h"

struct cirt_pattern;

/*
 * Parse text[0..len). 0 with *out set (free with cirt_pattern_free), or
 * -CIRT_EINVAL with a message that gives the position (byte offset from
 * 0) and the reason, e.g. "at 14: expected ']' but found 'AND'".
 */
int cirt_pattern_parse(const char *text, size_t len, struct cirt_pattern **out,
		       struct cirt_diag *d);

void cirt_pattern_free(struct cirt_pattern *p);

#endif
