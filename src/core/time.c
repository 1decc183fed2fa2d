/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Clocks and RFC 3339 formatting. See core/time.h.
 */
#include "core/time.h"

#include <stdio.h>
#include <time.h>
#include "core/banned.h"

int64_t cirt_time_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * CIRT_US_PER_SEC + ts.tv_nsec / 1000;
}

int64_t cirt_time_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * INT64_C(1000000000) + ts.tv_nsec;
}

/* Split us into a UTC calendar time and the microseconds past it. */
static int split(int64_t us, struct tm *tm, int64_t *rem)
{
	int64_t sec = us / CIRT_US_PER_SEC;
	time_t t;

	*rem = us % CIRT_US_PER_SEC;
	if (*rem < 0) {
		*rem += CIRT_US_PER_SEC;
		sec -= 1;
	}
	t = (time_t)sec;
	return gmtime_r(&t, tm) ? 0 : -1;
}

void cirt_time_format_us(int64_t us, char out[CIRT_TIME_LEN])
{
	struct tm tm;
	int64_t rem;

	if (split(us, &tm, &rem) < 0) {
		snprintf(out, CIRT_TIME_LEN, "invalid-time");
		return;
	}
	snprintf(out, CIRT_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)rem);
}

void cirt_time_format(int64_t us, char out[CIRT_TIME_LEN])
{
	struct tm tm;
	int64_t rem;

	if (split(us, &tm, &rem) < 0) {
		snprintf(out, CIRT_TIME_LEN, "invalid-time");
		return;
	}
	snprintf(out, CIRT_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(rem / 1000));
}
