/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Browser sessions (account/session.c) on SQLite and PostgreSQL: login,
 * the cookie secret stored as a hash, CSRF token, expiry, logout, and the
 * audit entries of both.
 */
#include "testlib.h"

#include <string.h>

#include "account/session.h"
#include "account/user.h"
#include "core/time.h"

static const struct cirt_sql q_audit = {"SELECT count(*) FROM audit", NULL};
static const struct cirt_sql q_expire = {
	"UPDATE sessions SET expires_at = ? WHERE id = ?", NULL};

static void test_session_login_use_logout(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	char secret[CIRT_SESSION_SECRET_LEN + 1];
	struct cirt_principal p, q;
	struct cirt_diag d;
	int64_t expires, audit = test_count(db, &q_audit);

	cirt_diag_init(&d);
	assert_int_equal(cirt_session_login(db, "alice", TEST_PASSWORD,
					    strlen(TEST_PASSWORD), "192.0.2.5",
					    2, secret, &expires, &p, &d),
			 0);
	assert_int_equal(strlen(secret), CIRT_SESSION_SECRET_LEN);
	assert_int_equal(strlen(p.csrf), CIRT_CSRF_LEN);
	assert_int_equal(p.via, CIRT_VIA_SESSION);
	assert_true(expires > cirt_time_now_us() + 7000 * CIRT_US_PER_SEC);
	assert_int_equal(test_count(db, &q_audit), audit + 1);
	assert_int_equal(
		cirt_session_authenticate(db, secret, strlen(secret), &q, &d),
		0);
	assert_string_equal(q.user, "alice");
	assert_string_equal(q.csrf, p.csrf);
	assert_int_equal(q.cred_id, p.cred_id);
	assert_int_equal(cirt_session_end(db, &test_actor, q.cred_id, &d), 0);
	assert_int_equal(test_count(db, &q_audit), audit + 2);
	assert_int_equal(
		cirt_session_authenticate(db, secret, strlen(secret), &q, &d),
		-CIRT_EAUTH);
}

static void test_session_rejections(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	char secret[CIRT_SESSION_SECRET_LEN + 1];
	struct cirt_principal p;
	struct cirt_diag d;
	int64_t expires, audit = test_count(db, &q_audit);

	cirt_diag_init(&d);
	assert_int_equal(cirt_session_login(db, "alice", "wrong password!", 15,
					    "192.0.2.5", 2, secret, &expires,
					    &p, &d),
			 -CIRT_EAUTH);
	assert_int_equal(test_count(db, &q_audit), audit);
	cirt_diag_init(&d);
	assert_int_equal(cirt_session_authenticate(db, "nothex", 6, &p, &d),
			 -CIRT_EAUTH);
	assert_non_null(strstr(d.message, "malformed"));
	cirt_diag_init(&d);
	assert_int_equal(cirt_session_login(db, "alice", TEST_PASSWORD,
					    strlen(TEST_PASSWORD), "192.0.2.5",
					    2, secret, &expires, &p, &d),
			 0);
	test_exec(db, &q_expire, 2, cirt_time_now_us() - 1, p.cred_id);
	assert_int_equal(
		cirt_session_authenticate(db, secret, strlen(secret), &p, &d),
		-CIRT_EAUTH);
	assert_non_null(strstr(d.message, "expired"));
}

static void test_session_password_change_ends_it(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	char secret[CIRT_SESSION_SECRET_LEN + 1];
	struct cirt_user_change c = {.password = "another good password",
				     .password_len = 21};
	struct cirt_principal p;
	struct cirt_diag d;
	int64_t expires;

	cirt_diag_init(&d);
	assert_int_equal(cirt_session_login(db, "alice", TEST_PASSWORD,
					    strlen(TEST_PASSWORD), "192.0.2.5",
					    2, secret, &expires, &p, &d),
			 0);
	assert_int_equal(
		cirt_user_update(db, &test_actor, "alice", &c, NULL, &d), 0);
	assert_int_equal(
		cirt_session_authenticate(db, secret, strlen(secret), &p, &d),
		-CIRT_EAUTH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_login_use_logout),
		cmocka_unit_test(test_session_rejections),
		cmocka_unit_test(test_session_password_change_ends_it),
	};

	return test_run_on_both("session", tests,
				sizeof(tests) / sizeof(tests[0]), true);
}
