/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Time: the wall clock in microseconds since the Unix epoch (the unit every
 * stored timestamp uses), a monotonic clock for durations, and RFC 3339
 * formatting in UTC.
 *
 * Layer: core. Pure functions, thread-safe.
 */
#ifndef CIRT_CORE_TIME_H
#define CIRT_CORE_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Room for "YYYY-MM-DDTHH:MM:SS.mmmZ" and its NUL, with room to spare
 * for the widest values the compiler cannot rule out. */
#define CIRT_TIME_LEN	96

#define CIRT_US_PER_SEC INT64_C(1000000)
#define CIRT_US_PER_DAY (INT64_C(86400) * CIRT_US_PER_SEC)

/* Wall clock, microseconds since 1970-01-01T00:00:00Z. */
int64_t cirt_time_now_us(void);

/* Monotonic clock in nanoseconds, for measuring durations. */
int64_t cirt_time_mono_ns(void);

/* Format us as RFC 3339 UTC with millisecond precision into out. */
void cirt_time_format(int64_t us, char out[CIRT_TIME_LEN]);

/* Format us as RFC 3339 UTC with microsecond precision, the form TAXII
 * 2.1 requires ("2026-11-22T10:00:00.123456Z"). */
void cirt_time_format_us(int64_t us, char out[CIRT_TIME_LEN]);

/* Fraction digits kept in a sort key: more than any real timestamp has. */
#define CIRT_TIME_FRAC_MAX 27
/* "YYYYMMDDHHMMSS" and CIRT_TIME_FRAC_MAX digits, and the NUL. */
#define CIRT_TIME_KEY_LEN (14 + CIRT_TIME_FRAC_MAX + 1)

/*
 * Parse an RFC 3339 timestamp in UTC, YYYY-MM-DDTHH:MM:SS[.fraction]Z
 * (uppercase T and Z, 1 to CIRT_TIME_FRAC_MAX fraction digits, a real
 * calendar date, seconds up to 60), from s[0..len). On success *us (may be
 * NULL) gets the microseconds since the epoch (digits past the sixth are
 * dropped) and key (may be NULL) a string that sorts like the instant,
 * whatever the number of fraction digits, and *frac_digits (may be NULL)
 * the count of fraction digits. 0 or -CIRT_EINVAL.
 */
int cirt_time_parse(const char *s, size_t len, int64_t *us,
		    char key[CIRT_TIME_KEY_LEN], int *frac_digits);

#endif
