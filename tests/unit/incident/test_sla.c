/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Service levels (incident/sla.c): severity names; the default targets,
 * changing one with its audit entry, the limits of a target, on SQLite
 * and PostgreSQL; an incident's due times and breaches with clocks
 * running and stopped.
 */
#include "testlib.h"

#include <string.h>

#include "incident/sla.h"

#define MIN INT64_C(60000000)

static const struct cirt_sql q_audit = {
	"SELECT count(*) FROM audit WHERE action = 'sla.set' "
	"AND object = 'sla:high'",
	NULL};

static void test_severity_names(void **state)
{
	static const char *const names[] = {"low", "medium", "high",
					    "critical"};
	int sev;

	(void)state;
	for (int i = 0; i < CIRT_SEVERITY_COUNT; i++) {
		assert_string_equal(cirt_severity_name(i), names[i]);
		assert_int_equal(cirt_severity_parse(names[i], &sev), 0);
		assert_int_equal(sev, i);
	}
	assert_string_equal(cirt_severity_name(4), "?");
	assert_string_equal(cirt_severity_name(-1), "?");
	assert_int_equal(cirt_severity_parse("High", &sev), -CIRT_EINVAL);
	assert_int_equal(cirt_severity_parse("", &sev), -CIRT_EINVAL);
	assert_int_equal(cirt_severity_parse("3", &sev), -CIRT_EINVAL);
}

static void test_sla_targets_default_and_set(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_sla_target t[CIRT_SEVERITY_COUNT];
	struct cirt_sla_target n = {30, 2880};
	struct cirt_diag d;
	json_t *j;

	cirt_diag_init(&d);
	assert_int_equal(cirt_sla_targets(db, t, &d), 0);
	/* docs/incidents.md: critical 15 min / 24 h, high 1 h / 72 h. */
	assert_int_equal(t[3].acknowledge_minutes, 15);
	assert_int_equal(t[3].resolve_minutes, 1440);
	assert_int_equal(t[2].acknowledge_minutes, 60);
	assert_int_equal(t[2].resolve_minutes, 4320);
	assert_int_equal(t[0].resolve_minutes, 43200);
	assert_int_equal(cirt_sla_set(db, &test_actor, 2, &n, &d), 0);
	assert_int_equal(cirt_sla_targets(db, t, &d), 0);
	assert_int_equal(t[2].acknowledge_minutes, 30);
	assert_int_equal(t[2].resolve_minutes, 2880);
	assert_int_equal(t[3].acknowledge_minutes, 15);
	assert_int_equal(test_count(db, &q_audit), 1);
	j = cirt_sla_targets_json(t);
	assert_int_equal(json_array_size(j), 4);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(j, 2), "severity")),
			    "high");
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(j, 2), "resolve_minutes")),
			 2880);
	json_decref(j);
}

static void test_sla_set_limits(void **state)
{
	static const struct {
		struct cirt_sla_target t;
		const char *field; /* NULL: accepted */
	} rows[] = {
		{{1, 1}, NULL},
		{{525600, 525600}, NULL},
		{{0, 10}, "acknowledge_minutes"},
		{{-5, 10}, "acknowledge_minutes"},
		{{525601, 525601}, "acknowledge_minutes"},
		{{10, 0}, "resolve_minutes"},
		{{10, 525601}, "resolve_minutes"},
		{{11, 10}, "acknowledge_minutes"},
	};
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_sla_target t[CIRT_SEVERITY_COUNT];
	struct cirt_sla_target ok = {1, 1};
	struct cirt_diag d;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cirt_diag_init(&d);
		if (rows[i].field == NULL) {
			assert_int_equal(cirt_sla_set(db, &test_actor, 2,
						      &rows[i].t, &d),
					 0);
			continue;
		}
		assert_int_equal(
			cirt_sla_set(db, &test_actor, 2, &rows[i].t, &d),
			-CIRT_EINVAL);
		assert_string_equal(d.field, rows[i].field);
	}
	/* Refused ones changed nothing. */
	assert_int_equal(cirt_sla_targets(db, t, &d), 0);
	assert_int_equal(t[2].acknowledge_minutes, 525600);
	assert_int_equal(test_count(db, &q_audit), 2);
	cirt_diag_init(&d);
	assert_int_equal(cirt_sla_set(db, &test_actor, 4, &ok, &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "severity");
}

static void check(json_t *o, bool ack_null, bool ack_breached,
		  bool res_breached)
{
	assert_int_equal(json_is_null(json_object_get(o, "acknowledge_by")),
			 ack_null);
	assert_int_equal(json_is_null(json_object_get(o, "resolve_by")),
			 ack_null);
	assert_int_equal(
		json_is_true(json_object_get(o, "acknowledge_breached")),
		ack_breached);
	assert_int_equal(json_is_true(json_object_get(o, "resolve_breached")),
			 res_breached);
	json_decref(o);
}

static void test_sla_json(void **state)
{
	const struct cirt_sla_target t = {15, 60};
	int64_t r = INT64_C(1767225600000000); /* 2026-01-01T00:00:00Z */
	json_t *o;

	(void)state;
	o = cirt_sla_json(&t, "new", r, 0, 0, 0, r + 5 * MIN);
	assert_string_equal(
		json_string_value(json_object_get(o, "acknowledge_by")),
		"2026-01-01T00:15:00.000Z");
	assert_string_equal(json_string_value(json_object_get(o, "resolve_by")),
			    "2026-01-01T01:00:00.000Z");
	check(o, false, false, false);
	/* Running past the target. */
	check(cirt_sla_json(&t, "new", r, 0, 0, 0, r + 16 * MIN), false, true,
	      false);
	check(cirt_sla_json(&t, "triaged", r, r + 14 * MIN, 0, 0, r + 61 * MIN),
	      false, false, true);
	/* Exactly on time is not a breach. */
	check(cirt_sla_json(&t, "new", r, 0, 0, 0, r + 15 * MIN), false, false,
	      false);
	/* Stopped late stays breached; stopped in time stays met. */
	check(cirt_sla_json(&t, "resolved", r, r + 20 * MIN, r + 50 * MIN, 0,
			    r + 1000 * MIN),
	      false, true, false);
	/* closed_at stops the resolve clock when resolved_at is not set. */
	check(cirt_sla_json(&t, "closed", r, r + 1 * MIN, 0, r + 59 * MIN,
			    r + 1000 * MIN),
	      false, false, false);
	check(cirt_sla_json(&t, "closed", r, r + 1 * MIN, 0, r + 61 * MIN,
			    r + 1000 * MIN),
	      false, false, true);
	/* Rejected and duplicate have no clocks. */
	check(cirt_sla_json(&t, "rejected", r, 0, r + 1000 * MIN, 0,
			    r + 1000 * MIN),
	      true, false, false);
	check(cirt_sla_json(&t, "duplicate", r, 0, 0, 0, r + 1000 * MIN), true,
	      false, false);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_severity_names),
		cmocka_unit_test(test_sla_json),
	};
	const struct CMUnitTest store[] = {
		cmocka_unit_test(test_sla_targets_default_and_set),
		cmocka_unit_test(test_sla_set_limits),
	};
	int failed = cmocka_run_group_tests_name("sla", pure, NULL, NULL);

	return failed + test_run_on_both("sla targets", store,
					 sizeof(store) / sizeof(store[0]),
					 true);
}
