/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The store interface (store/db.c and both backends), on SQLite and on
 * PostgreSQL: statements, parameters, constraint errors, transactions,
 * hostile text as data.
 */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "store/db.h"

static const struct cirt_sql q_create = {
	"CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
	"n BIGINT CHECK (n >= 0))",
	NULL};
static const struct cirt_sql q_insert = {
	"INSERT INTO t (id, name, n) VALUES (?, ?, ?)", NULL};
static const struct cirt_sql q_get = {"SELECT name, n FROM t WHERE id = ?",
				      NULL};
static const struct cirt_sql q_count = {"SELECT count(*) FROM t", NULL};
static const struct cirt_sql q_quoted = {
	"SELECT '?', \"id\" FROM t WHERE id = ?", NULL};
static const struct cirt_sql q_update = {"UPDATE t SET n = n + 1", NULL};

static struct cirt_db *db_of(void **state)
{
	struct test_store *ts = *state;
	struct cirt_diag d;

	cirt_diag_init(&d);
	assert_int_equal(cirt_db_exec_script(ts->db, q_create.sql, &d), 0);
	return ts->db;
}

static int insert(struct cirt_db *db, int64_t id, const char *name, size_t len,
		  int64_t n, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_insert, d);

	assert_non_null(s);
	cirt_stmt_bind_i64(s, 1, id);
	cirt_stmt_bind_text(s, 2, name, len);
	cirt_stmt_bind_i64(s, 3, n);
	return cirt_stmt_exec(s, d);
}

static void test_db_roundtrip_hostile_text(void **state)
{
	static const char *const names[] = {
		"'; DROP TABLE t; --",
		"Robert\"); DELETE FROM t WHERE (\"1\" = \"1",
		"back\\slash %s %n $1 ? :name",
		"Ελληνικά 日本語 العربية 🚀",
		"",
	};
	struct cirt_db *db = db_of(state);
	struct cirt_diag d;
	struct cirt_stmt *s;

	cirt_diag_init(&d);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(insert(db, (int64_t)i + 1, names[i],
					strlen(names[i]), (int64_t)i, &d),
				 0);
	assert_int_equal(test_count(db, &q_count), 5);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		s = cirt_db_stmt(db, &q_get, &d);
		cirt_stmt_bind_i64(s, 1, (int64_t)i + 1);
		assert_int_equal(cirt_stmt_step(s, &d), CIRT_DB_ROW);
		assert_string_equal(cirt_stmt_text(s, 0), names[i]);
		assert_int_equal(cirt_stmt_len(s, 0), strlen(names[i]));
		assert_int_equal(cirt_stmt_i64(s, 1), (int64_t)i);
		assert_int_equal(cirt_stmt_step(s, &d), CIRT_DB_DONE);
	}
}

static void test_db_nul_in_text_rejected(void **state)
{
	struct cirt_db *db = db_of(state);
	struct cirt_diag d;

	cirt_diag_init(&d);
	assert_int_equal(insert(db, 1, "a\0b", 3, 0, &d), -CIRT_EINVAL);
	assert_int_equal(test_count(db, &q_count), 0);
	/* The statement is usable again afterwards. */
	cirt_diag_init(&d);
	assert_int_equal(insert(db, 1, "ab", 2, 0, &d), 0);
	assert_int_equal(test_count(db, &q_count), 1);
}

static void test_db_constraint_codes(void **state)
{
	struct cirt_db *db = db_of(state);
	struct cirt_diag d;

	cirt_diag_init(&d);
	assert_int_equal(insert(db, 1, "a", 1, 0, &d), 0);
	cirt_diag_init(&d);
	assert_int_equal(insert(db, 2, "a", 1, 0, &d), -CIRT_ECONFLICT);
	cirt_diag_init(&d);
	assert_int_equal(insert(db, 1, "b", 1, 0, &d), -CIRT_ECONFLICT);
	cirt_diag_init(&d);
	assert_int_equal(insert(db, 3, "c", 1, -1, &d), -CIRT_EINVAL);
	assert_true(strlen(d.message) > 0);
	assert_int_equal(test_count(db, &q_count), 1);
}

static void test_db_rollback_leaves_nothing(void **state)
{
	struct cirt_db *db = db_of(state);
	struct cirt_diag d;

	cirt_diag_init(&d);
	assert_int_equal(cirt_db_begin(db, &d), 0);
	assert_true(cirt_db_in_tx(db));
	assert_int_equal(insert(db, 1, "a", 1, 0, &d), 0);
	assert_int_equal(insert(db, 2, "b", 1, 0, &d), 0);
	cirt_db_rollback(db);
	assert_false(cirt_db_in_tx(db));
	assert_int_equal(test_count(db, &q_count), 0);
	/* cirt_db_end commits on 0 and rolls back on an error. */
	assert_int_equal(cirt_db_begin(db, &d), 0);
	assert_int_equal(insert(db, 1, "a", 1, 0, &d), 0);
	assert_int_equal(cirt_db_end(db, -CIRT_EINVAL, &d), -CIRT_EINVAL);
	assert_int_equal(test_count(db, &q_count), 0);
	assert_int_equal(cirt_db_begin(db, &d), 0);
	assert_int_equal(insert(db, 1, "a", 1, 0, &d), 0);
	assert_int_equal(cirt_db_end(db, 0, &d), 0);
	assert_int_equal(test_count(db, &q_count), 1);
}

static void test_db_failed_statement_in_tx_rolls_back(void **state)
{
	struct cirt_db *db = db_of(state);
	struct cirt_diag d;
	int rc;

	cirt_diag_init(&d);
	assert_int_equal(cirt_db_begin(db, &d), 0);
	rc = insert(db, 1, "a", 1, 0, &d);
	if (rc == 0)
		rc = insert(db, 2, "a", 1, 0, &d); /* duplicate name */
	assert_int_equal(cirt_db_end(db, rc, &d), -CIRT_ECONFLICT);
	assert_int_equal(test_count(db, &q_count), 0);
	/* The connection is usable after the failed transaction. */
	cirt_diag_init(&d);
	assert_int_equal(insert(db, 1, "a", 1, 0, &d), 0);
}

static void test_db_placeholder_in_quotes_is_text(void **state)
{
	struct cirt_db *db = db_of(state);
	struct cirt_diag d;
	struct cirt_stmt *s;

	cirt_diag_init(&d);
	assert_int_equal(insert(db, 7, "x", 1, 0, &d), 0);
	s = cirt_db_stmt(db, &q_quoted, &d);
	assert_non_null(s);
	cirt_stmt_bind_i64(s, 1, 7);
	assert_int_equal(cirt_stmt_step(s, &d), CIRT_DB_ROW);
	assert_string_equal(cirt_stmt_text(s, 0), "?");
	assert_int_equal(cirt_stmt_i64(s, 1), 7);
	cirt_stmt_reset(s);
}

static void test_db_changes_and_reuse(void **state)
{
	struct cirt_db *db = db_of(state);
	struct cirt_diag d;
	struct cirt_stmt *s, *again;

	cirt_diag_init(&d);
	for (int i = 1; i <= 3; i++)
		assert_int_equal(insert(db, i,
					i == 1	 ? "a"
					: i == 2 ? "b"
						 : "c",
					1, 0, &d),
				 0);
	s = cirt_db_stmt(db, &q_update, &d);
	assert_int_equal(cirt_stmt_exec(s, &d), 0);
	assert_int_equal(cirt_stmt_changes(s), 3);
	/* One prepared statement per query and connection. */
	again = cirt_db_stmt(db, &q_update, &d);
	assert_ptr_equal(s, again);
}

static void test_db_null_and_early_stop(void **state)
{
	static const struct cirt_sql q_null = {
		"SELECT NULL, ? UNION ALL SELECT 'x', ?", NULL};
	struct test_store *ts = *state;
	struct cirt_diag d;
	struct cirt_stmt *s;

	cirt_diag_init(&d);
	s = cirt_db_stmt(ts->db, &q_null, &d);
	assert_non_null(s);
	cirt_stmt_bind_null(s, 1);
	cirt_stmt_bind_str(s, 2, "y");
	assert_int_equal(cirt_stmt_step(s, &d), CIRT_DB_ROW);
	assert_true(cirt_stmt_null(s, 0));
	assert_string_equal(cirt_stmt_text(s, 0), "");
	assert_int_equal(cirt_stmt_i64(s, 0), 0);
	cirt_stmt_reset(s); /* stop early */
	s = cirt_db_stmt(ts->db, &q_null, &d);
	cirt_stmt_bind_str(s, 1, NULL);
	cirt_stmt_bind_str(s, 2, "z");
	assert_int_equal(cirt_stmt_step(s, &d), CIRT_DB_ROW);
	assert_int_equal(cirt_stmt_step(s, &d), CIRT_DB_ROW);
	assert_string_equal(cirt_stmt_text(s, 0), "x");
	assert_int_equal(cirt_stmt_step(s, &d), CIRT_DB_DONE);
}

static void test_db_syntax_error_is_reported(void **state)
{
	static const struct cirt_sql q_bad = {"SELEC nonsense", NULL};
	struct test_store *ts = *state;
	struct cirt_diag d;

	cirt_diag_init(&d);
	assert_null(cirt_db_stmt(ts->db, &q_bad, &d));
	assert_int_equal(d.code, -CIRT_EIO);
	assert_true(strlen(d.message) > 0);
}

static const struct cirt_sql q_blob_put = {
	"INSERT INTO b (id, data) VALUES (?, ?)", NULL};
static const struct cirt_sql q_blob_get = {"SELECT data FROM b WHERE id = ?",
					   NULL};

/* Bytes go in and come out as they are, NUL and invalid UTF-8 included,
 * on both backends (PostgreSQL sends them back as hex). */
static void test_db_blob_roundtrip(void **state)
{
	struct test_store *ts = *state;
	unsigned char all[256], *big = malloc(100000);
	const void *got;
	struct cirt_diag d;
	struct cirt_stmt *s;
	size_t len;

	cirt_diag_init(&d);
	assert_int_equal(
		cirt_db_exec_script(ts->db,
				    cirt_db_kind(ts->db) == CIRT_DB_SQLITE
					    ? "CREATE TABLE b (id "
					      "BIGINT, data BLOB)"
					    : "CREATE TABLE b (id "
					      "BIGINT, data BYTEA)",
				    &d),
		0);
	for (size_t i = 0; i < sizeof(all); i++)
		all[i] = (unsigned char)i;
	for (size_t i = 0; i < 100000; i++)
		big[i] = (unsigned char)(i * 7919u >> 3);
	for (int64_t id = 1; id <= 3; id++) {
		s = cirt_db_stmt(ts->db, &q_blob_put, &d);
		cirt_stmt_bind_i64(s, 1, id);
		cirt_stmt_bind_blob(s, 2, id == 1 ? (void *)all : big,
				    id == 1   ? sizeof(all)
				    : id == 2 ? 100000
					      : 0);
		assert_int_equal(cirt_stmt_exec(s, &d), 0);
	}
	for (int64_t id = 1; id <= 3; id++) {
		s = cirt_db_stmt(ts->db, &q_blob_get, &d);
		cirt_stmt_bind_i64(s, 1, id);
		assert_int_equal(cirt_stmt_step(s, &d), CIRT_DB_ROW);
		got = cirt_stmt_blob(s, 0, &len);
		if (id == 1) {
			assert_int_equal(len, sizeof(all));
			assert_memory_equal(got, all, sizeof(all));
		} else if (id == 2) {
			assert_int_equal(len, 100000);
			assert_memory_equal(got, big, 100000);
		} else {
			assert_int_equal(len, 0);
		}
		cirt_stmt_reset(s);
	}
	free(big);
}

static void test_db_missing_sqlite_store(void **state)
{
	struct cirt_db_target t = {"/nonexistent/dir/cirtkit.db", NULL, false};
	struct cirt_db *db = NULL;
	struct cirt_diag d;

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(cirt_db_open(&t, &db, &d), -CIRT_ENOTFOUND);
	assert_null(db);
	assert_non_null(strstr(d.message, "cirtkit init"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_roundtrip_hostile_text),
		cmocka_unit_test(test_db_nul_in_text_rejected),
		cmocka_unit_test(test_db_constraint_codes),
		cmocka_unit_test(test_db_rollback_leaves_nothing),
		cmocka_unit_test(test_db_failed_statement_in_tx_rolls_back),
		cmocka_unit_test(test_db_placeholder_in_quotes_is_text),
		cmocka_unit_test(test_db_changes_and_reuse),
		cmocka_unit_test(test_db_null_and_early_stop),
		cmocka_unit_test(test_db_syntax_error_is_reported),
		cmocka_unit_test(test_db_blob_roundtrip),
	};
	const struct CMUnitTest plain[] = {
		cmocka_unit_test(test_db_missing_sqlite_store),
	};
	int failed = test_run_on_both("store", tests,
				      sizeof(tests) / sizeof(tests[0]), false);

	return failed + cmocka_run_group_tests(plain, NULL, NULL);
}
