/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * API tokens (account/token.c) on SQLite and PostgreSQL: only the hash is
 * stored, and a token stops working when it expires, is revoked, or its
 * user is disabled, each with its own message.
 */
#include "testlib.h"

#include <string.h>

#include "account/token.h"
#include "account/user.h"
#include "core/crypto.h"
#include "core/time.h"

static const struct cirt_sql q_audit = {"SELECT count(*) FROM audit", NULL};
static const struct cirt_sql q_tokens = {"SELECT count(*) FROM tokens", NULL};
static const struct cirt_sql q_expire = {
	"UPDATE tokens SET expires_at = ? WHERE id = ?", NULL};
static const struct cirt_sql q_last_used = {
	"UPDATE tokens SET last_used_at = ? WHERE id = ?", NULL};

static int auth(struct cirt_db *db, const char *secret, struct cirt_diag *d)
{
	struct cirt_principal p;

	cirt_diag_init(d);
	return cirt_token_authenticate(db, secret, strlen(secret), &p, d);
}

static void test_token_create_and_use(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	char secret[CIRT_TOKEN_LEN + 1], hash[CIRT_SHA256_HEX_LEN];
	static const struct cirt_sql q_hash = {
		"SELECT count(*) FROM tokens WHERE hash = ?", NULL};
	struct cirt_principal p;
	struct cirt_token t;
	struct cirt_diag d;
	struct cirt_stmt *s;

	cirt_diag_init(&d);
	assert_int_equal(cirt_token_create(db, &test_actor, "alice", "TAXII", 5,
					   30, &t, secret, &d),
			 0);
	assert_int_equal(strlen(secret), CIRT_TOKEN_LEN);
	assert_true(cirt_token_looks_like(secret, strlen(secret)));
	assert_string_equal(t.user, "alice");
	assert_string_equal(t.label, "TAXII");
	assert_true(t.expires_at > cirt_time_now_us() + 29 * CIRT_US_PER_DAY);
	assert_int_equal(
		cirt_token_authenticate(db, secret, strlen(secret), &p, &d), 0);
	assert_string_equal(p.user, "alice");
	assert_int_equal(p.via, CIRT_VIA_TOKEN);
	assert_int_equal(p.cred_id, t.id);
	/* The store holds the hash, never the secret. */
	cirt_sha256_hex(secret, strlen(secret), hash);
	s = cirt_db_stmt(db, &q_hash, &d);
	cirt_stmt_bind_str(s, 1, hash);
	assert_int_equal(cirt_stmt_step(s, &d), CIRT_DB_ROW);
	assert_int_equal(cirt_stmt_i64(s, 0), 1);
	cirt_stmt_reset(s);
	s = cirt_db_stmt(db, &q_hash, &d);
	cirt_stmt_bind_str(s, 1, secret);
	assert_int_equal(cirt_stmt_step(s, &d), CIRT_DB_ROW);
	assert_int_equal(cirt_stmt_i64(s, 0), 0);
	cirt_stmt_reset(s);
}

static void test_token_never_expires(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	char secret[CIRT_TOKEN_LEN + 1];
	struct cirt_token t;
	struct cirt_diag d;

	cirt_diag_init(&d);
	assert_int_equal(cirt_token_create(db, &test_actor, "alice", NULL, 0, 0,
					   &t, secret, &d),
			 0);
	assert_int_equal(t.expires_at, 0);
	assert_int_equal(auth(db, secret, &d), 0);
}

static void test_token_rejections(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	char a[CIRT_TOKEN_LEN + 1], b[CIRT_TOKEN_LEN + 1];
	struct cirt_user_change off = {.set_disabled = true, .disabled = true};
	struct cirt_user_change on = {.set_disabled = true, .disabled = false};
	struct cirt_token ta, tb;
	struct cirt_diag d;

	cirt_diag_init(&d);
	assert_int_equal(cirt_token_create(db, &test_actor, "alice", NULL, 0, 1,
					   &ta, a, &d),
			 0);
	assert_int_equal(cirt_token_create(db, &test_actor, "alice", NULL, 0, 1,
					   &tb, b, &d),
			 0);
	/* malformed and unknown */
	assert_int_equal(auth(db, "cirt_xyz", &d), -CIRT_EAUTH);
	assert_non_null(strstr(d.message, "malformed"));
	assert_int_equal(auth(db,
			      "cirt_0000000000000000000000000000000000000"
			      "000000000000000000000000000",
			      &d),
			 -CIRT_EAUTH);
	assert_non_null(strstr(d.message, "unknown"));
	/* expired: move its expiry into the past */
	test_exec(db, &q_expire, 2, cirt_time_now_us() - 1, ta.id);
	assert_int_equal(auth(db, a, &d), -CIRT_EAUTH);
	assert_non_null(strstr(d.message, "expired"));
	/* revoked, once */
	assert_int_equal(cirt_token_revoke(db, &test_actor, tb.id, &d), 0);
	assert_int_equal(auth(db, b, &d), -CIRT_EAUTH);
	assert_non_null(strstr(d.message, "revoked"));
	assert_int_equal(cirt_token_revoke(db, &test_actor, tb.id, &d),
			 -CIRT_ECONFLICT);
	assert_int_equal(cirt_token_revoke(db, &test_actor, 999, &d),
			 -CIRT_ENOTFOUND);
	/* disabled user; enabling brings a live token back */
	test_exec(db, &q_expire, 2, 0, ta.id);
	assert_int_equal(auth(db, a, &d), 0);
	assert_int_equal(
		cirt_user_update(db, &test_actor, "alice", &off, NULL, &d), 0);
	assert_int_equal(auth(db, a, &d), -CIRT_EAUTH);
	assert_non_null(strstr(d.message, "disabled"));
	assert_int_equal(
		cirt_user_update(db, &test_actor, "alice", &on, NULL, &d), 0);
	assert_int_equal(auth(db, a, &d), 0);
	assert_int_equal(auth(db, b, &d), -CIRT_EAUTH);
}

static void test_token_create_rules(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	char secret[CIRT_TOKEN_LEN + 1], label[CIRT_TOKEN_LABEL_MAX + 2];
	struct cirt_token t;
	struct cirt_diag d;
	int64_t audit = test_count(db, &q_audit);

	memset(label, 'l', sizeof(label));
	cirt_diag_init(&d);
	assert_int_equal(cirt_token_create(db, &test_actor, "alice", label,
					   CIRT_TOKEN_LABEL_MAX, 1, &t, secret,
					   &d),
			 0);
	assert_int_equal(cirt_token_create(db, &test_actor, "alice", label,
					   CIRT_TOKEN_LABEL_MAX + 1, 1, &t,
					   secret, &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "label");
	cirt_diag_init(&d);
	assert_int_equal(cirt_token_create(db, &test_actor, "alice",
					   "bad\xffutf8", 8, 1, &t, secret, &d),
			 -CIRT_EINVAL);
	cirt_diag_init(&d);
	assert_int_equal(cirt_token_create(db, &test_actor, "alice", NULL, 0,
					   CIRT_TOKEN_DAYS_MAX, &t, secret, &d),
			 0);
	assert_int_equal(cirt_token_create(db, &test_actor, "alice", NULL, 0,
					   CIRT_TOKEN_DAYS_MAX + 1, &t, secret,
					   &d),
			 -CIRT_EINVAL);
	cirt_diag_init(&d);
	assert_int_equal(cirt_token_create(db, &test_actor, "nobody", NULL, 0,
					   1, &t, secret, &d),
			 -CIRT_ENOTFOUND);
	assert_int_equal(test_count(db, &q_tokens), 2);
	assert_int_equal(test_count(db, &q_audit), audit + 2);
}

static void test_token_last_used_hourly(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	char secret[CIRT_TOKEN_LEN + 1];
	struct cirt_token t;
	struct cirt_diag d;
	int64_t first;

	cirt_diag_init(&d);
	assert_int_equal(cirt_token_create(db, &test_actor, "alice", NULL, 0, 1,
					   &t, secret, &d),
			 0);
	assert_int_equal(t.last_used_at, 0);
	assert_int_equal(auth(db, secret, &d), 0);
	assert_int_equal(cirt_token_get(db, t.id, &t, &d), 0);
	first = t.last_used_at;
	assert_true(first > 0);
	assert_int_equal(auth(db, secret, &d), 0);
	assert_int_equal(cirt_token_get(db, t.id, &t, &d), 0);
	assert_int_equal(t.last_used_at, first); /* not rewritten */
	test_exec(db, &q_last_used, 2, first - 3601 * CIRT_US_PER_SEC, t.id);
	assert_int_equal(auth(db, secret, &d), 0);
	assert_int_equal(cirt_token_get(db, t.id, &t, &d), 0);
	assert_true(t.last_used_at >= first);
}

static int count(const struct cirt_token *t, void *arg)
{
	(void)t;
	(*(int *)arg)++;
	return 0;
}

static void test_token_list(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	char secret[CIRT_TOKEN_LEN + 1];
	struct cirt_token_filter f = {.limit = 100};
	struct cirt_token t;
	struct cirt_diag d;
	int n = 0;

	cirt_diag_init(&d);
	for (int i = 0; i < 3; i++)
		assert_int_equal(cirt_token_create(db, &test_actor, "alice",
						   NULL, 0, 1, &t, secret, &d),
				 0);
	assert_int_equal(cirt_token_list(db, &f, count, &n, &d), 0);
	assert_int_equal(n, 3);
	n = 0;
	f.user_id = t.user_id + 1000;
	assert_int_equal(cirt_token_list(db, &f, count, &n, &d), 0);
	assert_int_equal(n, 0);
	n = 0;
	f.user_id = t.user_id;
	f.after = t.id - 1;
	assert_int_equal(cirt_token_list(db, &f, count, &n, &d), 0);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_create_and_use),
		cmocka_unit_test(test_token_never_expires),
		cmocka_unit_test(test_token_rejections),
		cmocka_unit_test(test_token_create_rules),
		cmocka_unit_test(test_token_last_used_hourly),
		cmocka_unit_test(test_token_list),
	};

	return test_run_on_both("token", tests,
				sizeof(tests) / sizeof(tests[0]), true);
}
