/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Service levels: per severity, a target time to acknowledge and a target
 * time to resolve, counted from when the incident was reported. An
 * incident's due times follow its current severity and the current
 * targets; an acknowledge clock stops at acknowledged_at, a resolve clock
 * at resolved_at (or closed_at); rejected and duplicate incidents have
 * none.
 *
 * Targets as JSON: [{"severity": "low", "acknowledge_minutes": 1440,
 * "resolve_minutes": 43200}, ...] in severity order. Minutes are 1 to
 * 525600 (a year).
 *
 * Layer: incident.
 */
#ifndef CIRT_INCIDENT_SLA_H
#define CIRT_INCIDENT_SLA_H

#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "store/db.h"

#define CIRT_SEVERITY_COUNT 4

struct cirt_sla_target {
	int64_t acknowledge_minutes;
	int64_t resolve_minutes;
};

/* "low", "medium", "high", "critical". */
const char *cirt_severity_name(int sev);
/* 0 or -CIRT_EINVAL. */
int cirt_severity_parse(const char *s, int *out);

/* The targets of every severity. */
int cirt_sla_targets(struct cirt_db *db,
		     struct cirt_sla_target t[CIRT_SEVERITY_COUNT],
		     struct cirt_diag *d) CIRT_MUST_CHECK;
json_t *
cirt_sla_targets_json(const struct cirt_sla_target t[CIRT_SEVERITY_COUNT]);
/* Check targets: minutes 1 to 525600 each, acknowledge not more than
 * resolve. 0 or -CIRT_EINVAL naming the field. */
int cirt_sla_check(const struct cirt_sla_target *t, struct cirt_diag *d);
/* Set one severity's targets (audit "sla.set"). */
int cirt_sla_set(struct cirt_db *db, const struct cirt_actor *who, int sev,
		 const struct cirt_sla_target *t,
		 struct cirt_diag *d) CIRT_MUST_CHECK;

/*
 * The "sla" object of an incident: {"acknowledge_by", "resolve_by" (RFC
 * 3339 or null when the clock does not run), "acknowledge_breached",
 * "resolve_breached" (booleans: the target passed before the clock
 * stopped, or before now while it runs)}. status is the incident's.
 */
json_t *cirt_sla_json(const struct cirt_sla_target *t, const char *status,
		      int64_t reported_at, int64_t acknowledged_at,
		      int64_t resolved_at, int64_t closed_at, int64_t now);

#endif
