/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Playbooks: task templates per incident class. cirtkit ships playbooks
 * as data (data/playbooks/NAME.json, compiled in) for phishing, DDoS,
 * ransomware, web defacement, malware infection and data leak, at least;
 * `cirtkit init` puts them in the store once, and an admin edits them
 * there. When an incident is created, the playbook whose classes match it
 * most closely ("class:type" before "class") adds its tasks, each due
 * due_hours after the incident was reported. An entry of "classes"
 * belongs to one playbook at most (a second claim is -CIRT_ECONFLICT), so
 * the match is never ambiguous.
 *
 * A playbook as JSON: {"name", "title", "classes": ["fraud:phishing",
 * "availability"], "tasks": [{"title", "due_hours"}], "updated_at"}.
 * Names are 1-64 of [a-z0-9-]; 1-64 classes; 1-100 tasks of 1-200 bytes,
 * due_hours 0-8760 (0: no due time); a title of 1-200 bytes.
 *
 * Layer: incident. Changes run in their own transaction with their audit
 * entry, except cirt_playbook_apply, which runs inside the caller's.
 */
#ifndef CIRT_INCIDENT_PLAYBOOK_H
#define CIRT_INCIDENT_PLAYBOOK_H

#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "store/db.h"

/*
 * Put the shipped playbooks in the store, once per store (init): the
 * audit entry "playbook.seed" that records it is the marker, so what an
 * admin deleted or changed later stays so. Returns how many were put in
 * (0 when seeded before), or a negative code.
 */
int cirt_playbook_seed(struct cirt_db *db, const struct cirt_actor *who,
		       struct cirt_diag *d) CIRT_MUST_CHECK;

/* Every playbook, by name: a JSON array (reference to the caller). */
int cirt_playbook_list(struct cirt_db *db, json_t **out,
		       struct cirt_diag *d) CIRT_MUST_CHECK;
/* One playbook; -CIRT_ENOTFOUND naming it. */
int cirt_playbook_get(struct cirt_db *db, const char *name, json_t **out,
		      struct cirt_diag *d) CIRT_MUST_CHECK;
/* Create or replace name from body {"title", "classes", "tasks"} (checked:
 * unknown fields, classes in the taxonomy, limits; "name", if there, must
 * be name, and "updated_at" is ignored, so what get gives can be given
 * back). Audit "playbook.put". *out may be NULL. */
int cirt_playbook_put(struct cirt_db *db, const struct cirt_actor *who,
		      const char *name, json_t *body, json_t **out,
		      struct cirt_diag *d) CIRT_MUST_CHECK;
/* Delete (audit "playbook.delete"); tasks it made stay. -CIRT_ENOTFOUND
 * naming it. */
int cirt_playbook_delete(struct cirt_db *db, const struct cirt_actor *who,
			 const char *name, struct cirt_diag *d) CIRT_MUST_CHECK;

/*
 * Inside the caller's transaction: add the tasks of the playbook that
 * matches cls:type to incident incident_id, due from reported_at. Sets
 * *name to the playbook's name (a static "" if none matched; caller's
 * buffer of 65 bytes). 0 or a negative code.
 */
int cirt_playbook_apply(struct cirt_db *db, int64_t incident_id,
			const char *cls, const char *type, int64_t reported_at,
			char name[65], struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
