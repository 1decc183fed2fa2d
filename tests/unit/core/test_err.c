/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The error convention (core/err.c): cirt_diag_set() returns its code,
 * keeps the first error (sticky), accepts a NULL diag and a NULL field,
 * truncates long texts; cirt_err_name() for every code, negated or not,
 * and for codes outside the set.
 */
#include "testlib.h"

#include <limits.h>
#include <string.h>

#include "core/err.h"

static void test_diag_init_clears(void **state)
{
	struct cirt_diag d;

	(void)state;
	memset(&d, 'x', sizeof(d));
	cirt_diag_init(&d);
	assert_int_equal(d.code, 0);
	assert_string_equal(d.field, "");
	assert_string_equal(d.message, "");
}

static void test_diag_set_returns_code(void **state)
{
	struct cirt_diag d;

	(void)state;
	for (int code = CIRT_EINVAL; code < CIRT_ERR_COUNT; code++) {
		cirt_diag_init(&d);
		assert_int_equal(cirt_diag_set(&d, -code, "f", "m %d", code),
				 -code);
		assert_int_equal(d.code, -code);
	}
}

static void test_diag_set_records_field_and_message(void **state)
{
	struct cirt_diag d;

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(cirt_diag_set(&d, -CIRT_EINVAL, "name",
				       "%s must be %d to %d bytes", "name", 1,
				       64),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "name");
	assert_string_equal(d.message, "name must be 1 to 64 bytes");
}

static void test_diag_set_first_error_sticky(void **state)
{
	struct cirt_diag d;

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(cirt_diag_set(&d, -CIRT_ELIMIT, "body", "first"),
			 -CIRT_ELIMIT);
	/* Later errors return their own code but do not overwrite. */
	assert_int_equal(cirt_diag_set(&d, -CIRT_EINVAL, "other", "second"),
			 -CIRT_EINVAL);
	assert_int_equal(cirt_diag_set(&d, -CIRT_EIO, NULL, "third"),
			 -CIRT_EIO);
	assert_int_equal(d.code, -CIRT_ELIMIT);
	assert_string_equal(d.field, "body");
	assert_string_equal(d.message, "first");
	/* Until the diag is reset. */
	cirt_diag_init(&d);
	assert_int_equal(cirt_diag_set(&d, -CIRT_EIO, "db", "again"),
			 -CIRT_EIO);
	assert_int_equal(d.code, -CIRT_EIO);
	assert_string_equal(d.message, "again");
}

static void test_diag_set_null_diag(void **state)
{
	(void)state;
	assert_int_equal(cirt_diag_set(NULL, -CIRT_EPERM, "f", "x %s", "y"),
			 -CIRT_EPERM);
	assert_int_equal(cirt_diag_set(NULL, -CIRT_EINVAL, NULL, "x"),
			 -CIRT_EINVAL);
}

static void test_diag_set_null_field_is_empty(void **state)
{
	struct cirt_diag d;

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(cirt_diag_set(&d, -CIRT_ENOTFOUND, NULL, "gone"),
			 -CIRT_ENOTFOUND);
	assert_string_equal(d.field, "");
	assert_string_equal(d.message, "gone");
}

static void test_diag_set_long_texts_truncated(void **state)
{
	char big[2 * CIRT_DIAG_MSG_MAX];
	struct cirt_diag d;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cirt_diag_init(&d);
	assert_int_equal(cirt_diag_set(&d, -CIRT_EINVAL, big, "%s", big),
			 -CIRT_EINVAL);
	assert_int_equal(strlen(d.field), CIRT_DIAG_FIELD_MAX - 1);
	assert_int_equal(strlen(d.message), CIRT_DIAG_MSG_MAX - 1);
}

static void test_err_name_every_code(void **state)
{
	static const struct {
		int code;
		const char *name;
	} rows[] = {
		{CIRT_OK, "ok"},
		{CIRT_EINVAL, "invalid"},
		{CIRT_ELIMIT, "too_large"},
		{CIRT_ENOTFOUND, "not_found"},
		{CIRT_ECONFLICT, "conflict"},
		{CIRT_EPERM, "forbidden"},
		{CIRT_EAUTH, "unauthorized"},
		{CIRT_EMEDIA, "unsupported_media_type"},
		{CIRT_EIO, "unavailable"},
		{CIRT_EPROTO, "protocol"},
		{CIRT_EAGAIN, "busy"},
		{CIRT_EINTERNAL, "internal"},
	};

	(void)state;
	/* A new code must get a row here. */
	assert_int_equal(CIRT_ARRAY_LEN(rows), CIRT_ERR_COUNT);
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		assert_int_equal(rows[i].code, (int)i);
		assert_string_equal(cirt_err_name(rows[i].code), rows[i].name);
		assert_string_equal(cirt_err_name(-rows[i].code), rows[i].name);
	}
}

static void test_err_name_out_of_range(void **state)
{
	static const int codes[] = {
		CIRT_ERR_COUNT, -CIRT_ERR_COUNT, CIRT_ERR_COUNT + 1, 1000,
		-1000,		INT_MAX,	 -INT_MAX,
	};

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(codes); i++)
		assert_string_equal(cirt_err_name(codes[i]), "internal");
}

/* Kept separate and last: negating INT_MIN is undefined behaviour. */
static void test_err_name_int_min(void **state)
{
	(void)state;
	assert_string_equal(cirt_err_name(INT_MIN), "internal");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diag_init_clears),
		cmocka_unit_test(test_diag_set_returns_code),
		cmocka_unit_test(test_diag_set_records_field_and_message),
		cmocka_unit_test(test_diag_set_first_error_sticky),
		cmocka_unit_test(test_diag_set_null_diag),
		cmocka_unit_test(test_diag_set_null_field_is_empty),
		cmocka_unit_test(test_diag_set_long_texts_truncated),
		cmocka_unit_test(test_err_name_every_code),
		cmocka_unit_test(test_err_name_out_of_range),
		cmocka_unit_test(test_err_name_int_min),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
