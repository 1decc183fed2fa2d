/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Playbooks (incident/playbook.c) on SQLite and PostgreSQL: the shipped
 * set put in the store once (a deleted one stays deleted), its content;
 * creating, replacing and deleting with audit entries; every rule of a
 * playbook named in its error; one playbook per class entry; adding a
 * playbook's tasks to an incident by exact class:type, then by class.
 */
#include "testlib.h"

#include <stdio.h>
#include <string.h>

#include "incident/playbook.h"

static const struct cirt_sql q_seeds = {
	"SELECT count(*) FROM audit WHERE action = 'playbook.seed'", NULL};
static const struct cirt_sql q_puts = {
	"SELECT count(*) FROM audit WHERE action = 'playbook.put'", NULL};
static const struct cirt_sql q_deletes = {
	"SELECT count(*) FROM audit WHERE action = 'playbook.delete' "
	"AND object = 'playbook:phishing'",
	NULL};
static const struct cirt_sql q_incident = {
	"INSERT INTO incidents (uuid, ref, title, description, class, type, "
	"severity, impact, tlp, status, reporter_kind, reporter, version, "
	"reported_at, created_at, updated_at) VALUES (?, ?, 't', '', 'test', "
	"'test', 1, 'unknown', 2, 'new', 'team', 'test', 1, 0, 0, 0) "
	"RETURNING id",
	NULL};
static const struct cirt_sql q_tasks = {
	"SELECT title, due_at, playbook FROM incident_tasks "
	"WHERE incident_id = ? ORDER BY id",
	NULL};

static struct cirt_db *seeded(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_diag d;

	cirt_diag_init(&d);
	if (cirt_playbook_seed(db, &test_actor, &d) != 10)
		fail_msg("seed: %s", d.message);
	return db;
}

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, JSON_REJECT_DUPLICATES, &e);

	if (v == NULL)
		fail_msg("%s: %s", text, e.text);
	return v;
}

static int put(struct cirt_db *db, const char *name, const char *body,
	       struct cirt_diag *d)
{
	json_t *b = load(body);
	int rc;

	cirt_diag_init(d);
	rc = cirt_playbook_put(db, &test_actor, name, b, NULL, d);
	json_decref(b);
	return rc;
}

static void test_playbook_seed_once(void **state)
{
	static const char *const required[] = {
		"phishing",	     "ddos",
		"ransomware",	     "web-defacement",
		"malware-infection", "data-leak",
	};
	struct cirt_db *db = seeded(state);
	struct cirt_diag d;
	json_t *all, *p;

	cirt_diag_init(&d);
	assert_int_equal(test_count(db, &q_seeds), 1);
	assert_int_equal(cirt_playbook_list(db, &all, &d), 0);
	assert_int_equal(json_array_size(all), 10);
	json_decref(all);
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		assert_int_equal(cirt_playbook_get(db, required[i], &p, &d), 0);
		assert_string_equal(
			json_string_value(json_object_get(p, "name")),
			required[i]);
		assert_true(json_array_size(json_object_get(p, "tasks")) >= 5);
		assert_true(json_array_size(json_object_get(p, "tasks")) <= 10);
		assert_true(json_is_string(json_object_get(p, "updated_at")));
		json_decref(p);
	}
	/* A later init puts back nothing an admin deleted. */
	assert_int_equal(cirt_playbook_delete(db, &test_actor, "phishing", &d),
			 0);
	assert_int_equal(test_count(db, &q_deletes), 1);
	assert_int_equal(cirt_playbook_seed(db, &test_actor, &d), 0);
	assert_int_equal(cirt_playbook_get(db, "phishing", NULL, &d),
			 -CIRT_ENOTFOUND);
	assert_string_equal(d.field, "name");
	assert_int_equal(test_count(db, &q_seeds), 1);
	cirt_diag_init(&d);
	assert_int_equal(cirt_playbook_delete(db, &test_actor, "phishing", &d),
			 -CIRT_ENOTFOUND);
	assert_int_equal(test_count(db, &q_deletes), 1);
}

static void test_playbook_put_replace(void **state)
{
	struct cirt_db *db = seeded(state);
	struct cirt_diag d;
	json_t *b, *out = NULL;

	assert_int_equal(put(db, "drill",
			     "{\"title\": \"Exercise\", \"classes\": "
			     "[\"test:test\"], \"tasks\": [{\"title\": "
			     "\"Start\", \"due_hours\": 0}]}",
			     &d),
			 0);
	assert_int_equal(test_count(db, &q_puts), 1);
	/* What show prints can be given back; a class, then a type. */
	b = load("{\"name\": \"drill\", \"title\": \"Exercise 2\", "
		 "\"classes\": [\"other\", \"test:test\"], \"tasks\": "
		 "[{\"title\": \"Start\", \"due_hours\": 8760}, {\"title\": "
		 "\"Stop\", \"due_hours\": 1}], \"updated_at\": "
		 "\"2020-01-01T00:00:00.000Z\"}");
	assert_int_equal(
		cirt_playbook_put(db, &test_actor, "drill", b, &out, &d), 0);
	json_decref(b);
	assert_string_equal(json_string_value(json_object_get(out, "title")),
			    "Exercise 2");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(out, "classes"), 0)),
			    "other");
	assert_int_equal(json_array_size(json_object_get(out, "tasks")), 2);
	assert_string_not_equal(
		json_string_value(json_object_get(out, "updated_at")),
		"2020-01-01T00:00:00.000Z");
	json_decref(out);
	assert_int_equal(test_count(db, &q_puts), 2);
}

static void test_playbook_rules(void **state)
{
	static const struct {
		const char *name, *body, *field, *text;
		int code;
	} rows[] = {
		{"Bad_Name", "{}", "name", "a-z", -CIRT_EINVAL},
		{"", "{}", "name", "1 to 64", -CIRT_EINVAL},
		{"x",
		 "{\"title\": \"T\", \"classes\": [\"test\"], \"tasks\": "
		 "[{\"title\": \"a\", \"due_hours\": 1}], \"owner\": 1}",
		 "owner", "owner", -CIRT_EINVAL},
		{"x", "{\"name\": \"y\", \"title\": \"T\"}", "name", "differs",
		 -CIRT_EINVAL},
		{"x", "{\"classes\": [\"test\"]}", "title", "required",
		 -CIRT_EINVAL},
		{"x", "{\"title\": \" T\", \"classes\": [\"test\"]}", "title",
		 "title", -CIRT_EINVAL},
		{"x", "{\"title\": \"T\", \"classes\": []}", "classes",
		 "1 to 64", -CIRT_EINVAL},
		{"x", "{\"title\": \"T\", \"classes\": \"test\"}", "classes",
		 "array", -CIRT_EINVAL},
		{"x", "{\"title\": \"T\", \"classes\": [\"test:x\"]}",
		 "classes[0]", "its types: test", -CIRT_EINVAL},
		{"x", "{\"title\": \"T\", \"classes\": [\"test\", \"bogus\"]}",
		 "classes[1]", "classes: abusive-content", -CIRT_EINVAL},
		{"x", "{\"title\": \"T\", \"classes\": [3]}", "classes[0]",
		 "string", -CIRT_EINVAL},
		{"x", "{\"title\": \"T\", \"classes\": [\"test\", \"test\"]}",
		 "classes[1]", "twice", -CIRT_EINVAL},
		{"x",
		 "{\"title\": \"T\", \"classes\": [\"test\"], \"tasks\": []}",
		 "tasks", "1 to 100", -CIRT_EINVAL},
		{"x",
		 "{\"title\": \"T\", \"classes\": [\"test\"], \"tasks\": "
		 "[{\"title\": \"a\", \"due_hours\": 8761}]}",
		 "tasks[0].due_hours", "between 0 and 8760", -CIRT_EINVAL},
		{"x",
		 "{\"title\": \"T\", \"classes\": [\"test\"], \"tasks\": "
		 "[{\"title\": \"a\", \"due_hours\": -1}]}",
		 "tasks[0].due_hours", "between 0 and 8760", -CIRT_EINVAL},
		{"x",
		 "{\"title\": \"T\", \"classes\": [\"test\"], \"tasks\": "
		 "[{\"title\": \"a\", \"due_hours\": 1}, {\"title\": "
		 "\"\", \"due_hours\": 1}]}",
		 "tasks[1].title", "tasks[1].title", -CIRT_EINVAL},
		{"x",
		 "{\"title\": \"T\", \"classes\": [\"test\"], \"tasks\": "
		 "[{\"title\": \"a\"}]}",
		 "tasks[0].due_hours", "required", -CIRT_EINVAL},
		{"x",
		 "{\"title\": \"T\", \"classes\": [\"test\"], \"tasks\": "
		 "[{\"title\": \"a\", \"due_hours\": 1, \"who\": 2}]}",
		 "tasks[0].who", "who", -CIRT_EINVAL},
		{"x",
		 "{\"title\": \"T\", \"classes\": [\"test\"], \"tasks\": "
		 "[\"a\"]}",
		 "tasks[0]", "object", -CIRT_EINVAL},
		/* One playbook per class entry. */
		{"x",
		 "{\"title\": \"T\", \"classes\": [\"test\", "
		 "\"fraud:phishing\"], \"tasks\": [{\"title\": \"a\", "
		 "\"due_hours\": 1}]}",
		 "classes", "playbook 'phishing'", -CIRT_ECONFLICT},
	};
	struct cirt_db *db = seeded(state);
	char body[16384], *p;
	struct cirt_diag d;
	json_t *all;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(put(db, rows[i].name, rows[i].body, &d),
				 rows[i].code);
		if (strcmp(d.field, rows[i].field) != 0 ||
		    strstr(d.message, rows[i].text) == NULL)
			fail_msg("row %zu: field '%s', message \"%s\"", i,
				 d.field, d.message);
	}
	/* 101 tasks; a title of 201 bytes. */
	p = body + snprintf(body, sizeof(body),
			    "{\"title\": \"T\", \"classes\": [\"test\"], "
			    "\"tasks\": [");
	for (int i = 0; i < 101; i++)
		p += snprintf(p, sizeof(body) - (size_t)(p - body),
			      "%s{\"title\": \"t%d\", \"due_hours\": 1}",
			      i ? ", " : "", i);
	snprintf(p, sizeof(body) - (size_t)(p - body), "]}");
	assert_int_equal(put(db, "x", body, &d), -CIRT_EINVAL);
	assert_string_equal(d.field, "tasks");
	snprintf(body, sizeof(body),
		 "{\"title\": \"T\", \"classes\": [\"test\"], \"tasks\": "
		 "[{\"title\": \"%0201d\", \"due_hours\": 1}]}",
		 0);
	assert_int_equal(put(db, "x", body, &d), -CIRT_EINVAL);
	assert_string_equal(d.field, "tasks[0].title");
	snprintf(body, sizeof(body),
		 "{\"title\": \"T\", \"classes\": [\"test\"], \"tasks\": "
		 "[{\"title\": \"%0200d\", \"due_hours\": 1}]}",
		 0);
	assert_int_equal(put(db, "x", body, &d), 0);
	/* Nothing refused was stored or audited. */
	assert_int_equal(test_count(db, &q_puts), 1);
	assert_int_equal(cirt_playbook_list(db, &all, &d), 0);
	assert_int_equal(json_array_size(all), 11);
	json_decref(all);
	/* Moving a class: out of one playbook, then into another. */
	assert_int_equal(put(db, "phishing",
			     "{\"title\": \"P\", \"classes\": "
			     "[\"fraud:phishing\"], \"tasks\": [{\"title\": "
			     "\"a\", \"due_hours\": 1}]}",
			     &d),
			 0);
	assert_int_equal(put(db, "pharming",
			     "{\"title\": \"P\", \"classes\": "
			     "[\"fraud:pharming\"], \"tasks\": [{\"title\": "
			     "\"a\", \"due_hours\": 1}]}",
			     &d),
			 0);
}

static int64_t new_incident(struct cirt_db *db, int n)
{
	char uuid[40], ref[40];
	struct cirt_diag d;
	struct cirt_stmt *s;
	int64_t id;

	cirt_diag_init(&d);
	snprintf(uuid, sizeof(uuid), "00000000-0000-4000-8000-%012d", n);
	snprintf(ref, sizeof(ref), "T-2026-%06d", n);
	s = cirt_db_stmt(db, &q_incident, &d);
	assert_non_null(s);
	cirt_stmt_bind_str(s, 1, uuid);
	cirt_stmt_bind_str(s, 2, ref);
	if (cirt_stmt_step(s, &d) != CIRT_DB_ROW)
		fail_msg("incident: %s", d.message);
	id = cirt_stmt_i64(s, 0);
	cirt_stmt_reset(s);
	return id;
}

/* Apply to a new incident in a transaction; the tasks made. */
static size_t apply(struct cirt_db *db, int n, const char *cls,
		    const char *type, const char *want_name)
{
	int64_t id = new_incident(db, n), r = INT64_C(1767225600000000);
	struct cirt_diag d;
	struct cirt_stmt *s;
	char name[65];
	json_t *pb = NULL;
	size_t count = 0;

	cirt_diag_init(&d);
	assert_int_equal(cirt_db_begin(db, &d), 0);
	if (cirt_playbook_apply(db, id, cls, type, r, name, &d) < 0)
		fail_msg("apply: %s", d.message);
	assert_int_equal(cirt_db_commit(db, &d), 0);
	assert_string_equal(name, want_name);
	if (*want_name)
		assert_int_equal(cirt_playbook_get(db, want_name, &pb, &d), 0);
	s = cirt_db_stmt(db, &q_tasks, &d);
	cirt_stmt_bind_i64(s, 1, id);
	while (cirt_stmt_step(s, &d) == CIRT_DB_ROW) {
		json_t *t = json_array_get(json_object_get(pb, "tasks"), count);
		int64_t h = json_integer_value(json_object_get(t, "due_hours"));

		assert_non_null(t);
		assert_string_equal(
			cirt_stmt_text(s, 0),
			json_string_value(json_object_get(t, "title")));
		if (h)
			assert_int_equal(cirt_stmt_i64(s, 1),
					 r + h * INT64_C(3600000000));
		else
			assert_true(cirt_stmt_null(s, 1));
		assert_string_equal(cirt_stmt_text(s, 2), want_name);
		count++;
	}
	assert_int_equal(count, json_array_size(json_object_get(pb, "tasks")));
	json_decref(pb);
	return count;
}

static void test_playbook_apply(void **state)
{
	struct cirt_db *db = seeded(state);
	struct cirt_diag d;

	assert_true(apply(db, 1, "fraud", "phishing", "phishing") >= 5);
	assert_true(apply(db, 2, "fraud", "pharming", "phishing") >= 5);
	/* The exact entry before the class. */
	assert_true(apply(db, 3, "malicious-code", "ransomware",
			  "ransomware") >= 5);
	assert_true(apply(db, 4, "malicious-code", "c2-server",
			  "malware-infection") >= 5);
	assert_true(apply(db, 5, "vulnerable", "weak-crypto",
			  "vulnerable-system") >= 5);
	assert_int_equal(apply(db, 6, "test", "test", ""), 0);
	assert_int_equal(apply(db, 7, "abusive-content", "spam", ""), 0);
	/* A class entry of a playbook of its own. */
	assert_int_equal(put(db, "drill",
			     "{\"title\": \"Exercise\", \"classes\": "
			     "[\"test\"], \"tasks\": [{\"title\": \"Start\", "
			     "\"due_hours\": 0}, {\"title\": \"Stop\", "
			     "\"due_hours\": 2}]}",
			     &d),
			 0);
	assert_int_equal(apply(db, 8, "test", "test", "drill"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_playbook_seed_once),
		cmocka_unit_test(test_playbook_put_replace),
		cmocka_unit_test(test_playbook_rules),
		cmocka_unit_test(test_playbook_apply),
	};

	return test_run_on_both("playbook", tests,
				sizeof(tests) / sizeof(tests[0]), true);
}
