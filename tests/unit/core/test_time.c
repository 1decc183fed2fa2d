/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Time (core/time.c). Formatting: RFC 3339 UTC with milliseconds for the
 * epoch, known instants, leap days, instants before 1970 (negative
 * microseconds), and truncation, not rounding, of the microseconds.
 * Parsing: which strings are timestamps (STIX-03, TAXII parameters), the
 * reasons given, ordering by instant whatever the digits (STIX-06), the
 * leap second, microseconds and nanoseconds. The clocks get sanity checks
 * only.
 */
#include "testlib.h"

#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/time.h"

static void test_time_format_table(void **state)
{
	static const struct {
		int64_t us;
		const char *text;
	} rows[] = {
		{0, "1970-01-01T00:00:00.000Z"},
		{1, "1970-01-01T00:00:00.000Z"},
		{999, "1970-01-01T00:00:00.000Z"},
		{1000, "1970-01-01T00:00:00.001Z"},
		{999999, "1970-01-01T00:00:00.999Z"},
		{1000000, "1970-01-01T00:00:01.000Z"},
		/* 2026-11-22T10:15:00Z is 1795342500 s */
		{INT64_C(1795342500000000), "2026-11-22T10:15:00.000Z"},
		{INT64_C(1795342500123000), "2026-11-22T10:15:00.123Z"},
		/* truncated, never rounded up */
		{INT64_C(1795342500123999), "2026-11-22T10:15:00.123Z"},
		{INT64_C(1795342500999999), "2026-11-22T10:15:00.999Z"},
		{INT64_C(1795342559999999), "2026-11-22T10:15:59.999Z"},
		/* leap day, end of the day */
		{INT64_C(951868799999999), "2000-02-29T23:59:59.999Z"},
		/* 9999-12-31T23:59:59Z is 253402300799 s */
		{INT64_C(253402300799999999), "9999-12-31T23:59:59.999Z"},
		/* before 1970: towards the past, not towards zero */
		{-1, "1969-12-31T23:59:59.999Z"},
		{-999, "1969-12-31T23:59:59.999Z"},
		{-1000, "1969-12-31T23:59:59.999Z"},
		{-1001, "1969-12-31T23:59:59.998Z"},
		{-999999, "1969-12-31T23:59:59.000Z"},
		{-1000000, "1969-12-31T23:59:59.000Z"},
		{-1000001, "1969-12-31T23:59:58.999Z"},
		{-INT64_C(86400000000), "1969-12-31T00:00:00.000Z"},
		/* 1969-07-20T20:17:40Z is -14182940 s */
		{-INT64_C(14182940000000), "1969-07-20T20:17:40.000Z"},
		{-INT64_C(14182939876544), "1969-07-20T20:17:40.123Z"},
	};
	char out[CIRT_TIME_LEN];

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		memset(out, 'x', sizeof(out));
		cirt_time_format(rows[i].us, out);
		if (strcmp(out, rows[i].text) != 0)
			fail_msg("%lld: \"%s\", want \"%s\"",
				 (long long)rows[i].us, out, rows[i].text);
	}
}

static void test_time_format_extremes_fit(void **state)
{
	static const int64_t us[] = {INT64_MAX, INT64_MIN, INT64_MIN + 1};
	char out[CIRT_TIME_LEN];

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(us); i++) {
		memset(out, 'x', sizeof(out));
		cirt_time_format(us[i], out);
		assert_non_null(memchr(out, '\0', sizeof(out)));
		assert_true(strlen(out) > 0);
	}
}

static void test_time_now_us_plausible(void **state)
{
	/* 2020-01-01T00:00:00Z */
	const int64_t y2020 = INT64_C(1577836800) * CIRT_US_PER_SEC;
	int64_t a, b;

	(void)state;
	a = cirt_time_now_us();
	b = cirt_time_now_us();
	assert_true(a > y2020);
	assert_true(b - a < 60 * CIRT_US_PER_SEC);
}

static void test_time_mono_ns_not_decreasing(void **state)
{
	int64_t prev = cirt_time_mono_ns(), now;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		now = cirt_time_mono_ns();
		assert_true(now >= prev);
		prev = now;
	}
}

/* Which strings are timestamps. */
static const struct {
	const char *s;
	bool ok;
} parse_rows[] = {
	{"2016-05-12T08:17:27.000Z", true},
	{"2016-05-12T08:17:27Z", true},
	{"2016-05-12T08:17:27.1Z", true},
	{"2016-05-12T08:17:27.123456789012345678901234567Z", true}, /* 27 */
	{"2016-05-12T08:17:27.1234567890123456789012345678Z", false},
	{"2016-05-12T08:17:27.Z", false},	  /* '.' without digits */
	{"2016-05-12T08:17:27.000", false},	  /* no Z */
	{"2016-05-12T08:17:27.000z", false},	  /* lower-case z */
	{"2016-05-12t08:17:27.000Z", false},	  /* lower-case t */
	{"2016-05-12T08:17:27.000+00:00", false}, /* offset, not Z */
	{"2016-05-12T08:17:27+01:00", false},
	{"2016-05-12 08:17:27.000Z", false},
	{"2016-5-12T08:17:27.000Z", false},
	{"16-05-12T08:17:27.000Z", false},
	{"2016-02-30T00:00:00.000Z", false}, /* no Feb 30 */
	{"2023-02-29T00:00:00.000Z", false}, /* not a leap year */
	{"2024-02-29T00:00:00.000Z", true},  /* leap year */
	{"2000-02-29T00:00:00.000Z", true},  /* 400-year rule */
	{"1900-02-29T00:00:00.000Z", false}, /* 100-year rule */
	{"2016-04-31T00:00:00.000Z", false},
	{"2016-13-01T00:00:00.000Z", false},
	{"2016-00-01T00:00:00.000Z", false},
	{"2016-01-00T00:00:00.000Z", false},
	{"2016-12-31T23:59:60.000Z", true}, /* leap second */
	{"2016-06-30T23:59:60Z", true},	    /* end of any month */
	{"2016-06-29T23:59:60Z", false},    /* not the last day */
	{"2016-12-31T12:00:60Z", false},    /* not 23:59 */
	{"2016-12-31T23:59:61.000Z", false},
	{"2016-12-31T24:00:00.000Z", false},
	{"2016-12-31T23:60:00.000Z", false},
	{"2016-12-31T23:59:5a.000Z", false},
	{"2016-12-31T23:59:59.0a0Z", false},
	{"2016-12-31T23:59:59.000ZZ", false},
	{"", false},
	{"Z", false},
};

static void test_time_parse_table(void **state)
{
	struct cirt_timestamp t;
	const char *why;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(parse_rows); i++) {
		const char *s = parse_rows[i].s;
		int rc;

		why = NULL;
		rc = cirt_time_parse(s, strlen(s), &t, &why);
		if ((rc == 0) != parse_rows[i].ok)
			fail_msg("%s: got %d (%s)", s, rc, why ? why : "");
		if (rc < 0) {
			assert_int_equal(rc, -CIRT_EINVAL);
			assert_non_null(why);
		}
		/* the length is honoured: no NUL is needed after it */
		if (parse_rows[i].ok)
			assert_int_equal(
				cirt_time_parse(s, strlen(s) - 1, NULL, NULL),
				-CIRT_EINVAL);
	}
}

static void test_time_parse_reasons(void **state)
{
	static const struct {
		const char *s, *why;
	} rows[] = {
		{"2016-05-12T08:17:27", "YYYY-MM-DD"},
		{"2016-05-12T08:17:27.000", "uppercase 'Z'"},
		{"2016-05-12T08:17:27.000z", "uppercase 'Z'"},
		{"2016-05-12T08:17:27+01:00", "in UTC"},
		{"2016-05-12t08:17:27Z", "uppercase 'T'"},
		{"2023-02-29T00:00:00Z", "calendar"},
		{"2023-02-20T25:00:00Z", "time of day"},
		{"2023-02-20T00:00:00.Z", "without fraction digits"},
		{"2023-02-20T00:00:00.1234567890123456789012345678Z",
		 "27 fraction digits"},
	};
	const char *why;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		why = "";
		assert_int_equal(cirt_time_parse(rows[i].s, strlen(rows[i].s),
						 NULL, &why),
				 -CIRT_EINVAL);
		if (strstr(why, rows[i].why) == NULL)
			fail_msg("%s: \"%s\", want \"%s\"", rows[i].s, why,
				 rows[i].why);
	}
}

/* Order by instant, whatever the number of digits: keys and us agree. */
static void test_time_parse_orders(void **state)
{
	static const struct {
		const char *a, *b;
		int want;
	} rows[] = {
		{"2016-05-12T08:17:27.000Z", "2016-05-12T08:17:27Z", 0},
		{"2016-05-12T08:17:27.5Z", "2016-05-12T08:17:27.500000Z", 0},
		{"2016-05-12T08:17:27.5Z", "2016-05-12T08:17:27.499999999Z", 1},
		{"2016-05-12T08:17:27.000001Z", "2016-05-12T08:17:27Z", 1},
		{"2016-05-12T08:17:27Z", "2016-05-12T08:17:28.000Z", -1},
		{"2016-12-31T23:59:59.999Z", "2016-12-31T23:59:60Z", -1},
		{"2016-12-31T23:59:60.999Z", "2017-01-01T00:00:00Z", -1},
		{"2016-02-29T00:00:00Z", "2016-03-01T00:00:00Z", -1},
		{"1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", -1},
		{"9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", 1},
	};
	struct cirt_timestamp a, b;
	int c;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		assert_int_equal(
			cirt_time_parse(rows[i].a, strlen(rows[i].a), &a, NULL),
			0);
		assert_int_equal(
			cirt_time_parse(rows[i].b, strlen(rows[i].b), &b, NULL),
			0);
		c = strcmp(a.key, b.key);
		c = c < 0 ? -1 : c > 0;
		if (c != rows[i].want)
			fail_msg("%s vs %s: %d", rows[i].a, rows[i].b, c);
		/* the microseconds never order the other way */
		assert_true(rows[i].want < 0   ? a.us <= b.us
			    : rows[i].want > 0 ? a.us >= b.us
					       : a.us == b.us);
		assert_int_equal(strlen(a.key), CIRT_TIME_KEY_LEN - 1);
	}
}

static void test_time_parse_values(void **state)
{
	static const struct {
		const char *s;
		int64_t us;
		int32_t nsec;
		int frac;
	} rows[] = {
		{"1970-01-01T00:00:00Z", 0, 0, 0},
		{"1970-01-01T00:00:01.5Z", 1500000, 500000000, 1},
		{"1970-01-01T00:00:00.0000019Z", 1, 1900, 7}, /* truncated */
		{"1970-01-01T00:00:00.1234567891Z", 123456, 123456789, 10},
		{"1969-12-31T23:59:59.000001Z", -999999, 1000, 6},
		{"2016-05-12T08:17:27.123Z", INT64_C(1463041047123000),
		 123000000, 3},
		/* the leap second folds into the end of :59 */
		{"2016-12-31T23:59:60.5Z", INT64_C(1483228799999999), 999999999,
		 1},
		{"2000-02-29T12:00:00Z", INT64_C(951825600000000), 0, 0},
	};
	struct cirt_timestamp t;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		assert_int_equal(
			cirt_time_parse(rows[i].s, strlen(rows[i].s), &t, NULL),
			0);
		if (t.us != rows[i].us || t.nsec != rows[i].nsec ||
		    t.frac_digits != rows[i].frac)
			fail_msg("%s: %lld us, %d ns, %d digits", rows[i].s,
				 (long long)t.us, (int)t.nsec, t.frac_digits);
		assert_true(t.sec * CIRT_US_PER_SEC <= t.us);
	}
}

static void test_time_parse_round_trips_format(void **state)
{
	static const int64_t us[] = {0, 1, -1, INT64_C(1795342500123456),
				     INT64_C(253402300799999999)};
	char text[CIRT_TIME_LEN];
	struct cirt_timestamp t;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(us); i++) {
		cirt_time_format_us(us[i], text);
		assert_int_equal(cirt_time_parse(text, strlen(text), &t, NULL),
				 0);
		assert_int_equal(t.us, us[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_format_table),
		cmocka_unit_test(test_time_format_extremes_fit),
		cmocka_unit_test(test_time_now_us_plausible),
		cmocka_unit_test(test_time_mono_ns_not_decreasing),
		cmocka_unit_test(test_time_parse_table),
		cmocka_unit_test(test_time_parse_reasons),
		cmocka_unit_test(test_time_parse_orders),
		cmocka_unit_test(test_time_parse_values),
		cmocka_unit_test(test_time_parse_round_trips_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
