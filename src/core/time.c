/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Clocks and RFC 3339 formatting. See core/time.h.
 */
#include "core/time.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
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

/* Read n digits at s into *v; false if one is not a digit. */
static bool digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int cirt_time_parse(const char *s, size_t len, int64_t *us,
		    char key[CIRT_TIME_KEY_LEN], int *frac_digits)
{
	int y, mo, d, h, mi, sec, f = 0;
	int64_t micros = 0;
	size_t i = 19;

	if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || !digits(s, 4, &y) ||
	    !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
	    !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) ||
	    !digits(s + 17, 2, &sec))
		return -CIRT_EINVAL;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -CIRT_EINVAL;
	if (s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, f++)
			if (f < 6)
				micros = micros * 10 + (s[i] - '0');
		if (f == 0 || f > CIRT_TIME_FRAC_MAX)
			return -CIRT_EINVAL;
		for (int k = f; k < 6; k++)
			micros *= 10;
	}
	if (i + 1 != len || s[i] != 'Z')
		return -CIRT_EINVAL;
	if (us)
		*us = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 *
			      CIRT_US_PER_SEC +
		      sec * CIRT_US_PER_SEC + micros;
	if (key) {
		memcpy(key, s, 4);
		memcpy(key + 4, s + 5, 2);
		memcpy(key + 6, s + 8, 2);
		memcpy(key + 8, s + 11, 2);
		memcpy(key + 10, s + 14, 2);
		memcpy(key + 12, s + 17, 2);
		memset(key + 14, '0', CIRT_TIME_FRAC_MAX);
		if (f)
			memcpy(key + 14, s + 20, (size_t)f);
		key[14 + CIRT_TIME_FRAC_MAX] = '\0';
	}
	if (frac_digits)
		*frac_digits = f;
	return 0;
}
