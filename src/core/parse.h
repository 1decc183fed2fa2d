/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Range-checked parsing of numbers and booleans from text (configuration,
 * command-line flags, query parameters). Replaces atoi() and friends, which
 * are banned: every parser here rejects empty input, signs where not
 * allowed, trailing garbage and values outside [min, max].
 *
 * Layer: core. Pure functions, thread-safe.
 */
#ifndef CIRT_CORE_PARSE_H
#define CIRT_CORE_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/compiler.h"

/* Decimal integer, optional leading '-', within [min, max].
 * 0 or -CIRT_EINVAL. */
int cirt_parse_i64(const char *s, int64_t min, int64_t max,
		   int64_t *out) CIRT_MUST_CHECK;

/* A byte size: decimal digits with an optional k, m or g suffix (powers of
 * 1024), within [min, max]. 0 or -CIRT_EINVAL. */
int cirt_parse_size(const char *s, uint64_t min, uint64_t max,
		    uint64_t *out) CIRT_MUST_CHECK;

/* "true"/"false", "yes"/"no", "on"/"off", "1"/"0". 0 or -CIRT_EINVAL. */
int cirt_parse_bool(const char *s, bool *out) CIRT_MUST_CHECK;

#endif
