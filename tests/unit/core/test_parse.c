/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Strict number and boolean parsing (core/parse.c): the int64 and size
 * parsers at the edges of their types and of the caller's [min, max]
 * (just in and just out), k/m/g suffixes and their overflow, and every
 * spelling the boolean parser takes; junk, signs and white space are
 * rejected everywhere.
 */
#include "testlib.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/parse.h"

static void test_parse_i64_table(void **state)
{
	static const struct {
		const char *s;
		int64_t min, max;
		int rc;
		int64_t v;
	} rows[] = {
		{"0", INT64_MIN, INT64_MAX, 0, 0},
		{"-0", INT64_MIN, INT64_MAX, 0, 0},
		{"1", INT64_MIN, INT64_MAX, 0, 1},
		{"-1", INT64_MIN, INT64_MAX, 0, -1},
		{"007", INT64_MIN, INT64_MAX, 0, 7},
		{"9223372036854775807", INT64_MIN, INT64_MAX, 0, INT64_MAX},
		{"-9223372036854775808", INT64_MIN, INT64_MAX, 0, INT64_MIN},
		/* one past each end of int64 */
		{"9223372036854775808", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"-9223372036854775809", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		/* past uint64 as well */
		{"18446744073709551615", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"18446744073709551616", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"-18446744073709551616", INT64_MIN, INT64_MAX, -CIRT_EINVAL,
		 0},
		{"99999999999999999999999", INT64_MIN, INT64_MAX, -CIRT_EINVAL,
		 0},
		/* syntax */
		{"+1", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{" 1", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"1 ", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"1\n", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"-", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"--1", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"- 1", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"1-", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"1x", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"0x10", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"1e3", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"1.0", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"1,000", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		{"x", INT64_MIN, INT64_MAX, -CIRT_EINVAL, 0},
		/* [1, 10]: bounds just in and just out */
		{"0", 1, 10, -CIRT_EINVAL, 0},
		{"1", 1, 10, 0, 1},
		{"10", 1, 10, 0, 10},
		{"11", 1, 10, -CIRT_EINVAL, 0},
		{"-1", 1, 10, -CIRT_EINVAL, 0},
		/* [-5, -1] */
		{"-6", -5, -1, -CIRT_EINVAL, 0},
		{"-5", -5, -1, 0, -5},
		{"-1", -5, -1, 0, -1},
		{"0", -5, -1, -CIRT_EINVAL, 0},
		{"-0", -5, -1, -CIRT_EINVAL, 0},
		/* [0, 0] */
		{"0", 0, 0, 0, 0},
		{"1", 0, 0, -CIRT_EINVAL, 0},
		{"-1", 0, 0, -CIRT_EINVAL, 0},
		/* bounds next to the ends of the type */
		{"9223372036854775806", 0, INT64_MAX - 1, 0, INT64_MAX - 1},
		{"9223372036854775807", 0, INT64_MAX - 1, -CIRT_EINVAL, 0},
		{"-9223372036854775807", INT64_MIN + 1, 0, 0, INT64_MIN + 1},
		{"-9223372036854775808", INT64_MIN + 1, 0, -CIRT_EINVAL, 0},
	};
	int64_t v;
	int rc;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		v = 12345;
		rc = cirt_parse_i64(rows[i].s, rows[i].min, rows[i].max, &v);
		if (rc != rows[i].rc || (rc == 0 && v != rows[i].v))
			fail_msg("\"%s\" in [%lld, %lld]: rc %d value %lld",
				 rows[i].s, (long long)rows[i].min,
				 (long long)rows[i].max, rc, (long long)v);
	}
}

static void test_parse_i64_null(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(cirt_parse_i64(NULL, INT64_MIN, INT64_MAX, &v),
			 -CIRT_EINVAL);
}

static void test_parse_i64_stops_at_nul(void **state)
{
	/* "12", NUL, "3": only the C string is parsed */
	static const char s[] = {'1', '2', '\0', '3', '\0'};
	int64_t v = 0;

	(void)state;
	assert_int_equal(cirt_parse_i64(s, 0, 100, &v), 0);
	assert_int_equal(v, 12);
}

#define K UINT64_C(1024)
#define M (K * K)
#define G (K * K * K)

static void test_parse_size_table(void **state)
{
	static const struct {
		const char *s;
		uint64_t min, max;
		int rc;
		uint64_t v;
	} rows[] = {
		{"0", 0, UINT64_MAX, 0, 0},
		{"1", 0, UINT64_MAX, 0, 1},
		{"1k", 0, UINT64_MAX, 0, K},
		{"1K", 0, UINT64_MAX, 0, K},
		{"2m", 0, UINT64_MAX, 0, 2 * M},
		{"2M", 0, UINT64_MAX, 0, 2 * M},
		{"3g", 0, UINT64_MAX, 0, 3 * G},
		{"3G", 0, UINT64_MAX, 0, 3 * G},
		{"0k", 0, UINT64_MAX, 0, 0},
		{"0010k", 0, UINT64_MAX, 0, 10 * K},
		{"18446744073709551615", 0, UINT64_MAX, 0, UINT64_MAX},
		/* overflow of the digits and of the multiplication */
		{"18446744073709551616", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"18014398509481983k", 0, UINT64_MAX, 0, UINT64_MAX - (K - 1)},
		{"18014398509481984k", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"17592186044415m", 0, UINT64_MAX, 0, UINT64_MAX - (M - 1)},
		{"17592186044416m", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"17179869183g", 0, UINT64_MAX, 0, UINT64_MAX - (G - 1)},
		{"17179869184g", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		/* syntax */
		{"", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"k", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"-1", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"+1", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{" 1k", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"1 k", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"1k ", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"1kb", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"1kk", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"1t", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"1b", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"1.5k", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"0x10", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		{"k1", 0, UINT64_MAX, -CIRT_EINVAL, 0},
		/* the max_body bounds, [1k, 1g]: just in and just out */
		{"1023", K, G, -CIRT_EINVAL, 0},
		{"1024", K, G, 0, K},
		{"1k", K, G, 0, K},
		{"1g", K, G, 0, G},
		{"1024m", K, G, 0, G},
		{"1073741824", K, G, 0, G},
		{"1073741825", K, G, -CIRT_EINVAL, 0},
		{"1025m", K, G, -CIRT_EINVAL, 0},
		{"2g", K, G, -CIRT_EINVAL, 0},
		{"0", K, G, -CIRT_EINVAL, 0},
		{"0k", K, G, -CIRT_EINVAL, 0},
	};
	uint64_t v;
	int rc;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		v = 12345;
		rc = cirt_parse_size(rows[i].s, rows[i].min, rows[i].max, &v);
		if (rc != rows[i].rc || (rc == 0 && v != rows[i].v))
			fail_msg("\"%s\": rc %d value %llu", rows[i].s, rc,
				 (unsigned long long)v);
	}
}

static void test_parse_size_null(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(cirt_parse_size(NULL, 0, UINT64_MAX, &v),
			 -CIRT_EINVAL);
}

static void test_parse_bool_table(void **state)
{
	static const struct {
		const char *s;
		int rc;
		bool v;
	} rows[] = {
		{"true", 0, true},
		{"yes", 0, true},
		{"on", 0, true},
		{"1", 0, true},
		{"false", 0, false},
		{"no", 0, false},
		{"off", 0, false},
		{"0", 0, false},
		/* junk */
		{"", -CIRT_EINVAL, false},
		{"TRUE", -CIRT_EINVAL, false},
		{"True", -CIRT_EINVAL, false},
		{"t", -CIRT_EINVAL, false},
		{"y", -CIRT_EINVAL, false},
		{"n", -CIRT_EINVAL, false},
		{"2", -CIRT_EINVAL, false},
		{"01", -CIRT_EINVAL, false},
		{"-1", -CIRT_EINVAL, false},
		{"truex", -CIRT_EINVAL, false},
		{"tru", -CIRT_EINVAL, false},
		{" true", -CIRT_EINVAL, false},
		{"true ", -CIRT_EINVAL, false},
		{"yes\n", -CIRT_EINVAL, false},
		{"enabled", -CIRT_EINVAL, false},
	};
	bool v;
	int rc;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		v = !rows[i].v;
		rc = cirt_parse_bool(rows[i].s, &v);
		if (rc != rows[i].rc || (rc == 0 && v != rows[i].v))
			fail_msg("\"%s\": rc %d value %d", rows[i].s, rc, v);
	}
}

static void test_parse_bool_null(void **state)
{
	bool v;

	(void)state;
	assert_int_equal(cirt_parse_bool(NULL, &v), -CIRT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_i64_table),
		cmocka_unit_test(test_parse_i64_null),
		cmocka_unit_test(test_parse_i64_stops_at_nul),
		cmocka_unit_test(test_parse_size_table),
		cmocka_unit_test(test_parse_size_null),
		cmocka_unit_test(test_parse_bool_table),
		cmocka_unit_test(test_parse_bool_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
