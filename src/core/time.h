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

/* Format us as RFC 3339 UTC, with microseconds only when the time has a
 * fraction ("2026-11-22T10:00:00Z", "2026-11-22T10:00:00.000123Z"). */
void cirt_time_format_exact(int64_t us, char out[CIRT_TIME_LEN]);

/* Most fraction digits a timestamp may have: more than any real one. */
#define CIRT_TIME_FRAC_MAX 27
/* "YYYYMMDDHHMMSS" and CIRT_TIME_FRAC_MAX digits, and the NUL. */
#define CIRT_TIME_KEY_LEN (14 + CIRT_TIME_FRAC_MAX + 1)
/* Longest timestamp text, "YYYY-MM-DDTHH:MM:SS.", the digits, 'Z', NUL. */
#define CIRT_TIME_TEXT_MAX (20 + CIRT_TIME_FRAC_MAX + 2)

/* A timestamp read by cirt_time_parse. A leap second (23:59:60 on the
 * last day of a month) folds into the end of :59 for us, sec and nsec,
 * so they never order against the text; key keeps it exact. */
struct cirt_timestamp {
	int64_t us;	 /* since the epoch; later digits dropped */
	int64_t sec;	 /* whole seconds since the epoch */
	int32_t nsec;	 /* nanoseconds past sec; later dropped */
	int frac_digits; /* fraction digits written, 0 without '.' */
	char key[CIRT_TIME_KEY_LEN]; /* sorts as the instant, whatever the
					digits; compare with strcmp */
};

/*
 * Parse an RFC 3339 timestamp in UTC, YYYY-MM-DDTHH:MM:SS[.fraction]Z
 * (uppercase T and Z, 1 to CIRT_TIME_FRAC_MAX fraction digits, a real
 * calendar date and time of day), from s[0..len). The one timestamp
 * parser: STIX properties, pattern constants, TAXII parameters. 0 with *t
 * filled (t may be NULL), or -CIRT_EINVAL with a reason in *why (may be
 * NULL) that completes a sentence about the value, e.g. "is not a real
 * calendar date".
 */
int cirt_time_parse(const char *s, size_t len, struct cirt_timestamp *t,
		    const char **why);

/* A date YYYY-MM-DD (its first instant, UTC) or an RFC 3339 timestamp as
 * above, into microseconds: for command-line and query filters. */
int cirt_time_parse_day(const char *s, int64_t *us, const char **why);

#endif
