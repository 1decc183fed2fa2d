/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Time formatting (core/time.c): RFC 3339 UTC with milliseconds for the
 * epoch, known instants, leap days, instants before 1970 (negative
 * microseconds), and truncation, not rounding, of the microseconds. The
 * clocks get sanity checks only.
 */
#include "testlib.h"

#include <stdint.h>
#include <string.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_format_table),
		cmocka_unit_test(test_time_format_extremes_fit),
		cmocka_unit_test(test_time_now_us_plausible),
		cmocka_unit_test(test_time_mono_ns_not_decreasing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
