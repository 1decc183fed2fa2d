/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Service levels: the severity names, the targets per severity (table
 * sla_targets, one row per severity, set up by migration 0003 with the
 * defaults of docs/incidents.md), changing them, and an incident's due
 * times and breaches. See incident/sla.h.
 *
 * Layer: incident. cirt_sla_json() and the name functions are pure and
 * thread-safe; the others use the caller's store connection, and
 * cirt_sla_set() runs its own transaction with its audit entry.
 */
#include "incident/sla.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/banned.h"

#define MINUTE_US   (INT64_C(60) * 1000000)
#define MINUTES_MAX 525600

static const char *const names[CIRT_SEVERITY_COUNT] = {
	"low",
	"medium",
	"high",
	"critical",
};

/* Used for a severity without a row (the migration writes all four). */
static const struct cirt_sla_target defaults[CIRT_SEVERITY_COUNT] = {
	{1440, 43200},
	{240, 10080},
	{60, 4320},
	{15, 1440},
};

static const struct cirt_sql q_targets = {
	"SELECT severity, acknowledge_minutes, resolve_minutes "
	"FROM sla_targets ORDER BY severity",
	NULL};
static const struct cirt_sql q_set = {
	"INSERT INTO sla_targets (severity, acknowledge_minutes, "
	"resolve_minutes) VALUES (?, ?, ?) ON CONFLICT (severity) DO UPDATE "
	"SET acknowledge_minutes = excluded.acknowledge_minutes, "
	"resolve_minutes = excluded.resolve_minutes",
	NULL};

const char *cirt_severity_name(int sev)
{
	return sev >= 0 && sev < CIRT_SEVERITY_COUNT ? names[sev] : "?";
}

int cirt_severity_parse(const char *s, int *out)
{
	for (int i = 0; i < CIRT_SEVERITY_COUNT; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	return -CIRT_EINVAL;
}

int cirt_sla_targets(struct cirt_db *db,
		     struct cirt_sla_target t[CIRT_SEVERITY_COUNT],
		     struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_targets, d);
	int64_t sev;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	memcpy(t, defaults, sizeof(defaults));
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		sev = cirt_stmt_i64(s, 0);
		if (sev < 0 || sev >= CIRT_SEVERITY_COUNT)
			continue;
		t[sev].acknowledge_minutes = cirt_stmt_i64(s, 1);
		t[sev].resolve_minutes = cirt_stmt_i64(s, 2);
	}
	return rc;
}

json_t *
cirt_sla_targets_json(const struct cirt_sla_target t[CIRT_SEVERITY_COUNT])
{
	json_t *a = json_array();

	for (int i = 0; i < CIRT_SEVERITY_COUNT; i++)
		json_array_append_new(
			a, json_pack("{s:s, s:I, s:I}", "severity", names[i],
				     "acknowledge_minutes",
				     (json_int_t)t[i].acknowledge_minutes,
				     "resolve_minutes",
				     (json_int_t)t[i].resolve_minutes));
	return a;
}

int cirt_sla_check(const struct cirt_sla_target *t, struct cirt_diag *d)
{
	if (t->acknowledge_minutes < 1 || t->acknowledge_minutes > MINUTES_MAX)
		return cirt_diag_set(d, -CIRT_EINVAL, "acknowledge_minutes",
				     "acknowledge_minutes must be 1 to %d "
				     "(a year)",
				     MINUTES_MAX);
	if (t->resolve_minutes < 1 || t->resolve_minutes > MINUTES_MAX)
		return cirt_diag_set(d, -CIRT_EINVAL, "resolve_minutes",
				     "resolve_minutes must be 1 to %d "
				     "(a year)",
				     MINUTES_MAX);
	if (t->acknowledge_minutes > t->resolve_minutes)
		return cirt_diag_set(d, -CIRT_EINVAL, "acknowledge_minutes",
				     "acknowledge_minutes (%lld) must not be "
				     "more than resolve_minutes (%lld)",
				     (long long)t->acknowledge_minutes,
				     (long long)t->resolve_minutes);
	return 0;
}

static int store_target(struct cirt_db *db, const struct cirt_actor *who,
			int sev, const struct cirt_sla_target *t,
			struct cirt_diag *d)
{
	struct cirt_sla_target old[CIRT_SEVERITY_COUNT];
	struct cirt_stmt *s;
	char object[32];
	json_t *detail;
	int rc;

	rc = cirt_sla_targets(db, old, d);
	if (rc < 0)
		return rc;
	s = cirt_db_stmt(db, &q_set, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, sev);
	cirt_stmt_bind_i64(s, 2, t->acknowledge_minutes);
	cirt_stmt_bind_i64(s, 3, t->resolve_minutes);
	rc = cirt_stmt_exec(s, d);
	if (rc < 0)
		return rc;
	snprintf(object, sizeof(object), "sla:%s", names[sev]);
	detail = json_pack(
		"{s:I, s:I, s:I, s:I}", "acknowledge_minutes",
		(json_int_t)t->acknowledge_minutes, "resolve_minutes",
		(json_int_t)t->resolve_minutes, "was_acknowledge_minutes",
		(json_int_t)old[sev].acknowledge_minutes, "was_resolve_minutes",
		(json_int_t)old[sev].resolve_minutes);
	rc = cirt_audit_append(db, who, "sla.set", object, detail, d);
	json_decref(detail);
	return rc;
}

int cirt_sla_set(struct cirt_db *db, const struct cirt_actor *who, int sev,
		 const struct cirt_sla_target *t, struct cirt_diag *d)
{
	int rc;

	if (sev < 0 || sev >= CIRT_SEVERITY_COUNT)
		return cirt_diag_set(d, -CIRT_EINVAL, "severity",
				     "severity must be low, medium, high or "
				     "critical");
	rc = cirt_sla_check(t, d);
	if (rc < 0)
		return rc;
	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	rc = store_target(db, who, sev, t, d);
	return cirt_db_end(db, rc, d);
}

/* Whether due passed before the clock stopped (stop; 0 while it runs)
 * or, while it runs, before now. */
static json_t *breached(int64_t due, int64_t stop, int64_t now)
{
	return json_boolean((stop ? stop : now) > due);
}

json_t *cirt_sla_json(const struct cirt_sla_target *t, const char *status,
		      int64_t reported_at, int64_t acknowledged_at,
		      int64_t resolved_at, int64_t closed_at, int64_t now)
{
	int64_t ack_by = reported_at + t->acknowledge_minutes * MINUTE_US;
	int64_t resolve_by = reported_at + t->resolve_minutes * MINUTE_US;
	int64_t stop = resolved_at ? resolved_at : closed_at;

	if (strcmp(status, "rejected") == 0 || strcmp(status, "duplicate") == 0)
		return json_pack("{s:n, s:n, s:b, s:b}", "acknowledge_by",
				 "resolve_by", "acknowledge_breached", 0,
				 "resolve_breached", 0);
	return json_pack("{s:o, s:o, s:o, s:o}", "acknowledge_by",
			 cirt_json_time(ack_by), "resolve_by",
			 cirt_json_time(resolve_by), "acknowledge_breached",
			 breached(ack_by, acknowledged_at, now),
			 "resolve_breached", breached(resolve_by, stop, now));
}
