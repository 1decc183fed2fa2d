/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Strict number and boolean parsing. See core/parse.h.
 */
#include "core/parse.h"

#include <string.h>

#include "core/err.h"
#include "core/banned.h"

/* Digits only, no sign, into *out; fails on overflow or no digits. */
static int parse_digits(const char **sp, uint64_t *out)
{
	const char *s = *sp;
	uint64_t v = 0;
	unsigned d;

	if (*s < '0' || *s > '9')
		return -CIRT_EINVAL;
	while (*s >= '0' && *s <= '9') {
		d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -CIRT_EINVAL;
		v = v * 10 + d;
		s++;
	}
	*sp = s;
	*out = v;
	return 0;
}

int cirt_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	bool neg = false;
	uint64_t mag;
	int64_t v;

	if (s == NULL)
		return -CIRT_EINVAL;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (parse_digits(&s, &mag) < 0 || *s != '\0')
		return -CIRT_EINVAL;
	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return -CIRT_EINVAL;
		v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	} else {
		if (mag > (uint64_t)INT64_MAX)
			return -CIRT_EINVAL;
		v = (int64_t)mag;
	}
	if (v < min || v > max)
		return -CIRT_EINVAL;
	*out = v;
	return 0;
}

int cirt_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v, mult = 1;

	if (s == NULL || parse_digits(&s, &v) < 0)
		return -CIRT_EINVAL;
	switch (*s) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mult = UINT64_C(1) << 10;
		s++;
		break;
	case 'm':
	case 'M':
		mult = UINT64_C(1) << 20;
		s++;
		break;
	case 'g':
	case 'G':
		mult = UINT64_C(1) << 30;
		s++;
		break;
	default:
		return -CIRT_EINVAL;
	}
	if (*s != '\0' || v > UINT64_MAX / mult)
		return -CIRT_EINVAL;
	v *= mult;
	if (v < min || v > max)
		return -CIRT_EINVAL;
	*out = v;
	return 0;
}

int cirt_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};

	if (s == NULL)
		return -CIRT_EINVAL;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(yes); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -CIRT_EINVAL;
}
