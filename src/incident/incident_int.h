/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Private to src/incident: the stored row of an incident, finding one as
 * the caller may see it, and the vocabularies the files share.
 */
#ifndef CIRT_INCIDENT_INCIDENT_INT_H
#define CIRT_INCIDENT_INCIDENT_INT_H

#include "core/uuid.h"
#include "incident/incident.h"
#include "incident/sla.h"
#include "incident/taxonomy.h"

enum incident_status {
	ST_NEW,
	ST_TRIAGED,
	ST_IN_PROGRESS,
	ST_CONTAINED,
	ST_ERADICATED,
	ST_RECOVERED,
	ST_RESOLVED,
	ST_CLOSED,
	ST_REJECTED,
	ST_DUPLICATE,
	ST_COUNT
};

/* What the caller may see: every incident up to ceiling, and only those
 * affecting org when org is not 0. team: all of the timeline and tasks. */
struct incident_view {
	enum cirt_tlp ceiling;
	int64_t org;
	bool team;
};

struct incident_row {
	int64_t id;
	char uuid[CIRT_UUID_LEN + 1];
	char ref[CIRT_INCIDENT_REF_MAX + 1];
	char *title;
	char *description;
	char cls[CIRT_TAXONOMY_CLASS_MAX + 1];
	char type[CIRT_TAXONOMY_TYPE_MAX + 1];
	int severity;
	char impact[32];
	enum cirt_tlp tlp;
	int status;
	char reporter_kind[16];
	char *reporter;
	int64_t assignee_id;
	char assignee[CIRT_USER_NAME_MAX + 1];
	int64_t version;
	int64_t reported_at, created_at, updated_at;
	int64_t acknowledged_at, resolved_at, closed_at;
	char *source;
};

const char *incident_status_name(int s);
int incident_status_parse(const char *s);

void incident_view_of(const struct cirt_incident_env *env,
		      struct incident_view *v);

/* The incident ref names, as v may see it: -CIRT_ENOTFOUND naming it
 * otherwise. Release the row with incident_row_release. */
int incident_find(struct cirt_db *db, const struct incident_view *v,
		  const char *ref, struct incident_row *row,
		  struct cirt_diag *d);
void incident_row_release(struct incident_row *row);

/* The same, for callers that need only its id (and the view). */
int incident_find_id(struct cirt_db *db, const struct cirt_incident_env *env,
		     const char *ref, struct incident_view *v, int64_t *id,
		     struct cirt_diag *d);

/* The JSON of a row: as a list item (constituents, SLA), or full (also
 * relations, observables, STIX links and, for the team, tasks). targets
 * are the SLA targets, or NULL to read them. */
int incident_json(struct cirt_db *db, const struct incident_view *v,
		  const struct incident_row *row, bool full,
		  const struct cirt_sla_target *targets, json_t **out,
		  struct cirt_diag *d);

/* SQLite's full-text index, kept by hand (PostgreSQL indexes the
 * columns themselves): an incident's title and description (the old ones
 * too when they change, else NULL). */
int incident_fts_incident(struct cirt_db *db, int64_t id, const char *title,
			  const char *description, const char *old_title,
			  const char *old_description, struct cirt_diag *d);

/* Append an entry to the timeline, in the caller's transaction, and index
 * its body for search (not an event's); *entry (may be NULL) gets its id. */
int incident_entry_add(struct cirt_db *db, int64_t incident_id,
		       const char *kind, const char *author,
		       const char *counterpart, size_t counterpart_len,
		       const char *body, size_t len, int64_t at, int64_t *entry,
		       struct cirt_diag *d);

/* Add "incident_id is relation other_id" (once), in the caller's
 * transaction. */
int incident_relation_put(struct cirt_db *db, int64_t incident_id,
			  const char *relation, int64_t other_id,
			  struct cirt_diag *d);

/* Append an event to the timeline, in the caller's transaction. */
int incident_event(struct cirt_db *db, int64_t incident_id,
		   const struct cirt_actor *who, const char *text,
		   struct cirt_diag *d);

/* The audit entry of a change to row: action "incident.<what>". */
int incident_audit(struct cirt_db *db, const struct cirt_actor *who,
		   const struct incident_row *row, const char *action,
		   json_t *detail, struct cirt_diag *d);

/* Bump version and updated_at, in the caller's transaction. */
int incident_touch(struct cirt_db *db, int64_t id, int64_t now,
		   struct cirt_diag *d);

/* Create one incident from a checked body inside the caller's transaction
 * (create and import share it); *id gets its id. */
int incident_insert(struct cirt_db *db, const struct cirt_incident_env *env,
		    json_t *body, const char *source, int64_t *id,
		    char ref[CIRT_INCIDENT_REF_MAX + 1], struct cirt_diag *d);

/* Observables: check one {"type", "value", "role"} and store it. */
int incident_observable_put(struct cirt_db *db, int64_t incident_id, json_t *o,
			    const char *field, struct cirt_diag *d);

#endif
