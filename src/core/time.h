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

#endif
