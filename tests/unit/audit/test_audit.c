/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The hash-chained audit log (audit/audit.c) on SQLite and PostgreSQL:
 * appends inside transactions, and verification that names the first
 * entry that was edited, deleted, inserted or replaced.
 */
#include "testlib.h"

#include <string.h>

#include "audit/audit.h"

static const struct cirt_sql q_edit = {
	"UPDATE audit SET detail = '{\"forged\":true}' WHERE seq = ?", NULL};
static const struct cirt_sql q_delete = {"DELETE FROM audit WHERE seq = ?",
					 NULL};
static const struct cirt_sql q_prev = {
	"UPDATE audit SET prev_hash = hash WHERE seq = ?", NULL};
static const struct cirt_sql q_insert_past = {
	"INSERT INTO audit (seq, at, actor, addr, action, object, detail, "
	"prev_hash, hash) SELECT seq + ?, at, actor, addr, action, object, "
	"detail, hash, hash FROM audit WHERE seq = ?",
	NULL};
static const struct cirt_sql q_count = {"SELECT count(*) FROM audit", NULL};

static void append(struct cirt_db *db, int n)
{
	struct cirt_diag d;
	json_t *detail;
	char object[32];

	cirt_diag_init(&d);
	assert_int_equal(cirt_db_begin(db, &d), 0);
	for (int i = 0; i < n; i++) {
		snprintf(object, sizeof(object), "thing:%d", i);
		detail = json_pack("{s:i, s:s}", "i", i, "text",
				   "quote ' and \" and \\ and ünï");
		assert_int_equal(cirt_audit_append(db, &test_actor, "test.add",
						   object, detail, &d),
				 0);
		json_decref(detail);
	}
	assert_int_equal(cirt_db_commit(db, &d), 0);
}

static struct cirt_audit_report verify(struct cirt_db *db)
{
	struct cirt_audit_report r;
	struct cirt_diag d;

	cirt_diag_init(&d);
	if (cirt_audit_verify(db, &r, &d) < 0)
		fail_msg("verify: %s", d.message);
	return r;
}

static void test_audit_empty_and_intact(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_audit_report r = verify(db);

	assert_int_equal(r.broken, 0);
	assert_int_equal(r.entries, 0);
	append(db, 5);
	r = verify(db);
	assert_int_equal(r.broken, 0);
	assert_int_equal(r.entries, 5);
	assert_int_equal(strlen(r.head), 64);
}

static void test_audit_rollback_leaves_no_entry(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_diag d;

	append(db, 2);
	cirt_diag_init(&d);
	assert_int_equal(cirt_db_begin(db, &d), 0);
	assert_int_equal(cirt_audit_append(db, &test_actor, "x", "y", NULL, &d),
			 0);
	cirt_db_rollback(db);
	assert_int_equal(test_count(db, &q_count), 2);
	append(db, 1);
	assert_int_equal(verify(db).broken, 0);
	assert_int_equal(verify(db).entries, 3);
}

static void test_audit_detects_edit(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_audit_report r;

	append(db, 6);
	test_exec(db, &q_edit, 1, 4, 0);
	r = verify(db);
	assert_int_equal(r.broken, 4);
	assert_non_null(strstr(r.reason, "edited"));
	assert_int_equal(r.entries, 3);
}

static void test_audit_detects_deleted_middle(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_audit_report r;

	append(db, 6);
	test_exec(db, &q_delete, 1, 3, 0);
	r = verify(db);
	assert_int_equal(r.broken, 3);
	assert_non_null(strstr(r.reason, "deleted"));
}

static void test_audit_detects_deleted_tail(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_audit_report r;

	append(db, 6);
	test_exec(db, &q_delete, 1, 6, 0);
	r = verify(db);
	assert_int_equal(r.broken, 6);
	assert_non_null(strstr(r.reason, "end"));
}

static void test_audit_detects_inserted_past_head(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_audit_report r;

	append(db, 4);
	test_exec(db, &q_insert_past, 2, 1, 4); /* a copy of 4 as 5 */
	r = verify(db);
	assert_int_equal(r.broken, 5);
	assert_non_null(strstr(r.reason, "inserted"));
}

static void test_audit_detects_broken_link(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_audit_report r;

	append(db, 4);
	test_exec(db, &q_prev, 1, 2, 0);
	r = verify(db);
	assert_int_equal(r.broken, 2);
	assert_non_null(strstr(r.reason, "prev_hash"));
}

static void test_audit_verify_across_batches(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_audit_report r;

	append(db, 2503);
	r = verify(db);
	assert_int_equal(r.broken, 0);
	assert_int_equal(r.entries, 2503);
	test_exec(db, &q_edit, 1, 2001, 0);
	r = verify(db);
	assert_int_equal(r.broken, 2001);
}

static void test_audit_two_connections_one_chain(void **state)
{
	struct test_store *ts = *state;
	struct cirt_db *other = test_store_connect(ts);

	for (int i = 0; i < 5; i++) {
		append(ts->db, 2);
		append(other, 3);
	}
	assert_int_equal(verify(other).broken, 0);
	assert_int_equal(verify(ts->db).entries, 25);
	cirt_db_close(other);
}

static int count_entries(const struct cirt_audit_entry *e, void *arg)
{
	json_t *j = cirt_audit_entry_json(e);

	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "actor")),
			    "tester");
	assert_string_equal(json_string_value(json_object_get(j, "addr")),
			    "192.0.2.1");
	assert_true(json_is_object(json_object_get(j, "detail")));
	json_decref(j);
	(*(int *)arg)++;
	return 0;
}

static void test_audit_list_pages(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_diag d;
	int n = 0;

	append(db, 7);
	cirt_diag_init(&d);
	assert_int_equal(cirt_audit_list(db, 0, 3, count_entries, &n, &d), 0);
	assert_int_equal(n, 3);
	assert_int_equal(cirt_audit_list(db, 3, 100, count_entries, &n, &d), 0);
	assert_int_equal(n, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_audit_empty_and_intact),
		cmocka_unit_test(test_audit_rollback_leaves_no_entry),
		cmocka_unit_test(test_audit_detects_edit),
		cmocka_unit_test(test_audit_detects_deleted_middle),
		cmocka_unit_test(test_audit_detects_deleted_tail),
		cmocka_unit_test(test_audit_detects_inserted_past_head),
		cmocka_unit_test(test_audit_detects_broken_link),
		cmocka_unit_test(test_audit_verify_across_batches),
		cmocka_unit_test(test_audit_two_connections_one_chain),
		cmocka_unit_test(test_audit_list_pages),
	};

	return test_run_on_both("audit", tests,
				sizeof(tests) / sizeof(tests[0]), true);
}
