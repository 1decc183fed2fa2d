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

/* RFC 3339 UTC with digits (3 or 6) of the fraction, truncated. */
static void format(int64_t us, int digits, char out[CIRT_TIME_LEN])
{
	struct tm tm;
	int64_t rem;

	if (split(us, &tm, &rem) < 0) {
		snprintf(out, CIRT_TIME_LEN, "invalid-time");
		return;
	}
	snprintf(out, CIRT_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%0*dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, digits,
		 (int)(digits == 3 ? rem / 1000 : rem));
}

void cirt_time_format_us(int64_t us, char out[CIRT_TIME_LEN])
{
	format(us, 6, out);
}

void cirt_time_format(int64_t us, char out[CIRT_TIME_LEN])
{
	format(us, 3, out);
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

static int bad(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -CIRT_EINVAL;
}

#define FORM "must have the form YYYY-MM-DDTHH:MM:SS[.s]Z"

/* The fraction and 'Z' from s[19]: the digits' count and nanoseconds. */
static int parse_tail(const char *s, size_t len, int *f, int32_t *ns,
		      const char **why)
{
	size_t i = 19;

	*f = 0;
	*ns = 0;
	if (s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, (*f)++)
			if (*f < 9)
				*ns = *ns * 10 + (s[i] - '0');
		if (*f == 0)
			return bad(why, "must not have a '.' without fraction "
					"digits");
		if (*f > CIRT_TIME_FRAC_MAX)
			return bad(why, "has more than 27 fraction digits");
		for (int k = *f; k < 9; k++)
			*ns *= 10;
	}
	if (i + 1 == len && s[i] == 'Z')
		return 0;
	if (i == len || (i + 1 == len && s[i] == 'z'))
		return bad(why, "must end with an uppercase 'Z' (UTC)");
	if (s[i] == '+' || s[i] == '-' || s[i] == 'Z')
		return bad(why, "must be in UTC, written with 'Z'");
	return bad(why, FORM);
}

int cirt_time_parse(const char *s, size_t len, struct cirt_timestamp *t,
		    const char **why)
{
	int y, mo, d, h, mi, sec, f;
	int32_t ns;
	int rc;

	if (len < 20 || s[4] != '-' || s[7] != '-' || s[13] != ':' ||
	    s[16] != ':' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
	    !digits(s + 8, 2, &d) || !digits(s + 11, 2, &h) ||
	    !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &sec))
		return bad(why, FORM);
	if (s[10] != 'T')
		return bad(why, s[10] == 't' ? "must have an uppercase 'T' "
					       "between date and time"
					     : FORM);
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return bad(why, "is not a real calendar date");
	if (h > 23 || mi > 59 || sec > 60 ||
	    (sec == 60 && (h != 23 || mi != 59 || d != days_in_month(y, mo))))
		return bad(why, "is not a real time of day");
	rc = parse_tail(s, len, &f, &ns, why);
	if (rc < 0 || t == NULL)
		return rc;
	if (sec == 60) {
		sec = 59;
		ns = 999999999;
	}
	t->sec = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 + sec;
	t->nsec = ns;
	t->us = t->sec * CIRT_US_PER_SEC + ns / 1000;
	t->frac_digits = f;
	memcpy(t->key, s, 4);
	memcpy(t->key + 4, s + 5, 2);
	memcpy(t->key + 6, s + 8, 2);
	memcpy(t->key + 8, s + 11, 2);
	memcpy(t->key + 10, s + 14, 2);
	memcpy(t->key + 12, s + 17, 2);
	memset(t->key + 14, '0', CIRT_TIME_FRAC_MAX);
	if (f)
		memcpy(t->key + 14, s + 20, (size_t)f);
	t->key[14 + CIRT_TIME_FRAC_MAX] = '\0';
	return 0;
}

void cirt_time_format_exact(int64_t us, char out[CIRT_TIME_LEN])
{
	char *dot;

	cirt_time_format_us(us, out);
	dot = strchr(out, '.');
	if (us % CIRT_US_PER_SEC == 0 && dot != NULL) {
		dot[0] = 'Z';
		dot[1] = '\0';
	}
}

int cirt_time_parse_day(const char *s, int64_t *us, const char **why)
{
	struct cirt_timestamp t;
	size_t len = strlen(s);
	char full[32];

	if (len == 10) {
		/* A day: its first instant, through the one parser. */
		snprintf(full, sizeof(full), "%sT00:00:00Z", s);
		s = full;
		len += 10;
	}
	if (cirt_time_parse(s, len, &t, why) < 0) {
		if (why && len == 20 && s == full)
			*why = "must be a date YYYY-MM-DD";
		return -CIRT_EINVAL;
	}
	*us = t.us;
	return 0;
}
