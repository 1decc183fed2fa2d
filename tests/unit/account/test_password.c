/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Passwords (account/password.c): the policy at its limits, Argon2id
 * hashing and verification, generated passwords.
 */
#include "testlib.h"

#include <string.h>

#include "account/password.h"

static void test_password_policy_limits(void **state)
{
	char pw[CIRT_PASSWORD_MAX + 2];
	struct cirt_diag d;

	(void)state;
	memset(pw, 'a', sizeof(pw));
	cirt_diag_init(&d);
	assert_int_equal(
		cirt_password_check_policy(pw, CIRT_PASSWORD_MIN - 1, &d),
		-CIRT_EINVAL);
	assert_string_equal(d.field, "password");
	assert_int_equal(
		cirt_password_check_policy(pw, CIRT_PASSWORD_MIN, NULL), 0);
	assert_int_equal(
		cirt_password_check_policy(pw, CIRT_PASSWORD_MAX, NULL), 0);
	assert_int_equal(
		cirt_password_check_policy(pw, CIRT_PASSWORD_MAX + 1, NULL),
		-CIRT_EINVAL);
}

static void test_password_policy_content(void **state)
{
	static const struct {
		const char *pw;
		int want;
	} rows[] = {
		{"correct horse battery", 0},
		{"pässwörd-ünïcödé", 0},
		{"'; DROP TABLE users; --", 0},
		{"tab\there-inside", -CIRT_EINVAL},
		{"newline\nin-the-middle", -CIRT_EINVAL},
		{" leading-space-pw", -CIRT_EINVAL},
		{"trailing-space-pw ", -CIRT_EINVAL},
		{"invalid-\xff-utf8-pw", -CIRT_EINVAL}, /* 0xFF never valid */
		{"overlong-\xc0\xaf-slash", -CIRT_EINVAL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(cirt_password_check_policy(
					 rows[i].pw, strlen(rows[i].pw), NULL),
				 rows[i].want);
}

static void test_password_hash_verify(void **state)
{
	char a[CIRT_PASSWORD_HASH_MAX], b[CIRT_PASSWORD_HASH_MAX];
	const char *pw = "a long enough password";

	(void)state;
	assert_int_equal(cirt_password_hash(pw, strlen(pw), a, NULL), 0);
	assert_int_equal(cirt_password_hash(pw, strlen(pw), b, NULL), 0);
	assert_non_null(strstr(a, "$argon2id$"));
	assert_string_not_equal(a, b); /* fresh salt each time */
	assert_true(cirt_password_verify(a, pw, strlen(pw)));
	assert_true(cirt_password_verify(b, pw, strlen(pw)));
	assert_false(cirt_password_verify(a, pw, strlen(pw) - 1));
	assert_false(
		cirt_password_verify(a, "A long enough password", strlen(pw)));
	assert_false(cirt_password_verify("not a hash", pw, strlen(pw)));
	cirt_password_burn(pw, strlen(pw));
}

static void test_password_generate(void **state)
{
	char a[CIRT_PASSWORD_GEN_LEN + 1], b[CIRT_PASSWORD_GEN_LEN + 1];

	(void)state;
	cirt_password_generate(a);
	cirt_password_generate(b);
	assert_int_equal(strlen(a), CIRT_PASSWORD_GEN_LEN);
	assert_string_not_equal(a, b);
	assert_int_equal(strspn(a, "abcdefghjkmnpqrstuvwxyz23456789"),
			 CIRT_PASSWORD_GEN_LEN);
	assert_int_equal(cirt_password_check_policy(a, strlen(a), NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_policy_limits),
		cmocka_unit_test(test_password_policy_content),
		cmocka_unit_test(test_password_hash_verify),
		cmocka_unit_test(test_password_generate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
