/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Migrations (store/migrate.c) on both backends: from empty to the
 * latest version, idempotence, and a failing migration that must leave
 * the database exactly as it was.
 */
#include "testlib.h"

#include <string.h>

#include "core/buf.h"
#include "store/migrate.h"

/* The names of the user tables, in order, as one string: the schema's
 * fingerprint for "exactly as it was". */
static const struct cirt_sql q_tables = {
	"SELECT name FROM sqlite_master WHERE type IN ('table', 'index') "
	"AND name NOT LIKE 'sqlite_%' ORDER BY name",
	"SELECT table_name FROM information_schema.tables "
	"WHERE table_schema = current_schema() ORDER BY table_name"};

static void fingerprint(struct cirt_db *db, struct cirt_buf *out)
{
	struct cirt_diag d;
	struct cirt_stmt *s;

	cirt_diag_init(&d);
	cirt_buf_init(out, 1 << 20);
	s = cirt_db_stmt(db, &q_tables, &d);
	assert_non_null(s);
	while (cirt_stmt_step(s, &d) == CIRT_DB_ROW) {
		assert_int_equal(cirt_buf_adds(out, cirt_stmt_text(s, 0)), 0);
		assert_int_equal(cirt_buf_adds(out, ","), 0);
	}
	assert_int_equal(d.code, 0);
}

static void test_migrate_empty_to_latest(void **state)
{
	struct test_store *ts = *state;
	struct cirt_diag d;
	int from = -1, to = -1, v = -1;
	size_t n;
	const struct cirt_migration *m = cirt_migrations(&n);

	cirt_diag_init(&d);
	assert_int_equal(cirt_schema_version(ts->db, &v, &d), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cirt_schema_check(ts->db, &d), -CIRT_ENOTFOUND);
	cirt_diag_init(&d);
	assert_int_equal(cirt_migrate(ts->db, m, n, &from, &to, &d), 0);
	assert_int_equal(from, 0);
	assert_int_equal(to, cirt_schema_latest());
	assert_int_equal(cirt_schema_check(ts->db, &d), 0);
	/* Again: nothing to do. */
	assert_int_equal(cirt_migrate(ts->db, m, n, &from, &to, &d), 0);
	assert_int_equal(from, to);
}

static void test_migrate_failure_changes_nothing(void **state)
{
	static const struct cirt_migration list[] = {
		{1, "first", "CREATE TABLE a (id @ID@, x TEXT)"},
		{2, "broken",
		 "CREATE TABLE b (id @ID@);"
		 "INSERT INTO a (x) VALUES ('half-written');"
		 "CREATE TABLE c (oops nonsense syntax here"},
		{3, "never", "CREATE TABLE d (id @ID@)"},
	};
	static const struct cirt_sql q_a = {"SELECT count(*) FROM a", NULL};
	struct test_store *ts = *state;
	struct cirt_buf before, after;
	struct cirt_diag d;
	int to = 0, v = 0;

	cirt_diag_init(&d);
	assert_int_equal(cirt_migrate(ts->db, list, 1, NULL, &to, &d), 0);
	assert_int_equal(to, 1);
	fingerprint(ts->db, &before);
	assert_int_not_equal(cirt_migrate(ts->db, list, 3, NULL, NULL, &d), 0);
	assert_non_null(strstr(d.message, "0002_broken"));
	assert_non_null(strstr(d.message, "unchanged"));
	fingerprint(ts->db, &after);
	assert_string_equal(cirt_buf_str(&before), cirt_buf_str(&after));
	assert_int_equal(test_count(ts->db, &q_a), 0);
	cirt_diag_init(&d);
	assert_int_equal(cirt_schema_version(ts->db, &v, &d), 0);
	assert_int_equal(v, 1);
	cirt_buf_release(&before);
	cirt_buf_release(&after);
}

static void test_migrate_concurrent_connections(void **state)
{
	struct test_store *ts = *state;
	struct cirt_db *other = test_store_connect(ts);
	struct cirt_diag d;
	int v = 0;
	size_t n;
	const struct cirt_migration *m = cirt_migrations(&n);

	cirt_diag_init(&d);
	assert_int_equal(cirt_migrate(ts->db, m, n, NULL, NULL, &d), 0);
	assert_int_equal(cirt_migrate(other, m, n, NULL, NULL, &d), 0);
	assert_int_equal(cirt_schema_version(other, &v, &d), 0);
	assert_int_equal(v, cirt_schema_latest());
	cirt_db_close(other);
}

static void test_migrate_newer_store_refused(void **state)
{
	struct cirt_migration future = {0, "future",
					"CREATE TABLE zz (id @ID@)"};
	struct test_store *ts = *state;
	struct cirt_diag d;

	cirt_diag_init(&d);
	future.version = cirt_schema_latest() + 1;
	assert_int_equal(cirt_migrate(ts->db, &future, 1, NULL, NULL, &d), 0);
	assert_int_equal(cirt_schema_check(ts->db, &d), -CIRT_ECONFLICT);
	assert_non_null(strstr(d.message, "newer than this binary"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_empty_to_latest),
		cmocka_unit_test(test_migrate_failure_changes_nothing),
		cmocka_unit_test(test_migrate_concurrent_connections),
		cmocka_unit_test(test_migrate_newer_store_refused),
	};

	return test_run_on_both("migrate", tests,
				sizeof(tests) / sizeof(tests[0]), false);
}
