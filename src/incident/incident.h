/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Incidents: the team's cases, from report to closure. An incident has a
 * readable identifier (PREFIX-YEAR-NNNNNN, the year it was reported) and a
 * UUID, a classification (incident/taxonomy.h), severity, impact, TLP,
 * a status that moves along the workflow below, the constituents it
 * affects, its reporter and assignee, related incidents, observables,
 * links to STIX objects, tasks, a timeline and evidence files.
 *
 * Workflow (an illegal move is -CIRT_ECONFLICT naming the allowed ones):
 *   new -> triaged | rejected | duplicate
 *   triaged -> in-progress | resolved | rejected | duplicate
 *   in-progress -> contained | resolved | duplicate
 *   contained -> eradicated | in-progress
 *   eradicated -> recovered | in-progress
 *   recovered -> resolved | in-progress
 *   resolved -> closed | in-progress
 *   closed -> in-progress;  rejected -> triaged;  duplicate -> triaged
 * Leaving "new" acknowledges the incident (if not yet); reaching resolved
 * (or rejected, duplicate) sets resolved_at, closed sets closed_at;
 * reopening clears both. "duplicate" needs a duplicate-of relation.
 *
 * Everything goes through functions that take the request body as JSON,
 * so the API and the command line validate alike, and answer JSON. Who
 * may see what is decided by account/authz.h; these functions apply it
 * (through env->p) in their SQL, so no caller filters on its own:
 * constituents see only incidents affecting their organisation up to
 * cirt_authz_incident_ceiling(), only comments and events in the
 * timeline, no tasks, evidence or notes; anything else is "not found".
 *
 * Layer: incident. Every change runs in one transaction with its audit
 * entry; a change that fails changes nothing.
 */
#ifndef CIRT_INCIDENT_INCIDENT_H
#define CIRT_INCIDENT_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "account/authz.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "iodef/iodef.h"
#include "store/db.h"

#define CIRT_INCIDENT_TITLE_MAX	   200
#define CIRT_INCIDENT_TEXT_MAX	   (64u * 1024) /* description, note */
#define CIRT_INCIDENT_REF_MAX	   40
#define CIRT_INCIDENT_PREFIX_MAX   16
#define CIRT_INCIDENT_LIST_MAX	   100 /* constituents, observables, ... */
#define CIRT_INCIDENT_SEARCH_MAX   200 /* bytes of a search text */
#define CIRT_INCIDENT_EVIDENCE_MAX (8u << 20) /* default evidence size */

/* Who asks and how the team is set up. */
struct cirt_incident_env {
	const struct cirt_principal *p;		/* access */
	const struct cirt_actor *actor;		/* the audit log */
	const char *prefix;			/* identifier prefix, "CIRT" */
	const char *team_domain;		/* IODEF IncidentID @name */
	const struct cirt_iodef_schema *schema; /* IODEF import, or NULL */
	size_t evidence_max;			/* bytes */
};

/* Check an identifier prefix: 1-16 of [A-Z0-9], starting with a letter. */
int cirt_incident_check_prefix(const char *prefix, struct cirt_diag *d);

/*
 * Create from body (fields: title, class, severity, tlp required;
 * description, impact, constituents, reporter, assignee, observables,
 * reported_at optional; docs/incidents.md). Applies the matching
 * playbook. *out gets the incident as cirt_incident_get shows it.
 */
int cirt_incident_create(struct cirt_db *db,
			 const struct cirt_incident_env *env, json_t *body,
			 json_t **out, struct cirt_diag *d) CIRT_MUST_CHECK;

/* The incident ref (identifier or UUID), with its tasks (team only). */
int cirt_incident_get(struct cirt_db *db, const struct cirt_incident_env *env,
		      const char *ref, json_t **out,
		      struct cirt_diag *d) CIRT_MUST_CHECK;

/*
 * Change the fields in body (title, description, class, severity, impact,
 * tlp, status, assignee, constituents, reporter, duplicate_of). version
 * is the version the caller saw, or -1 for "whatever is current" (the
 * command line); a stale version is -CIRT_ECONFLICT.
 */
int cirt_incident_update(struct cirt_db *db,
			 const struct cirt_incident_env *env, const char *ref,
			 int64_t version, json_t *body, json_t **out,
			 struct cirt_diag *d) CIRT_MUST_CHECK;

/* Acknowledge: the team (the SLA clock), or a constituent for its own
 * organisation. */
int cirt_incident_ack(struct cirt_db *db, const struct cirt_incident_env *env,
		      const char *ref, json_t **out,
		      struct cirt_diag *d) CIRT_MUST_CHECK;

/* Filters of a listing, from query parameters or command-line flags. */
struct cirt_incident_filter {
	unsigned statuses; /* bit per status, 0 = any */
	char cls[41];	   /* class, "" = any */
	char type[41];	   /* type within cls, "" = any */
	int severity;	   /* -1 = any */
	int64_t org_id;	   /* affected constituent, 0 = any */
	int64_t assignee;  /* user id, 0 = any, -1 = unassigned */
	int64_t from, to;  /* reported_at in [from, to), 0 = open */
	char q[CIRT_INCIDENT_SEARCH_MAX * 2 + 8]; /* full-text, "" = none */
	int sla;	    /* 0 any, 1 breached or due within sla_within */
	int64_t sla_within; /* microseconds */
	int64_t before;	    /* cursor: ids below this, 0 = from the top */
	int64_t limit;
};

void cirt_incident_filter_init(struct cirt_incident_filter *f);

/* Set one filter from its name and text value ("status", "class",
 * "severity", "constituent", "assignee", "from", "to", "q", "sla",
 * "within"). -CIRT_EINVAL naming it; -CIRT_ENOTFOUND for a key that is
 * not a filter. */
int cirt_incident_filter_set(struct cirt_db *db, struct cirt_incident_filter *f,
			     const char *key, const char *value,
			     struct cirt_diag *d);

typedef int (*cirt_incident_fn)(int64_t cursor, json_t *item, void *arg);

/* Matching incidents, newest first; fn gets each (reference stolen). */
int cirt_incident_list(struct cirt_db *db, const struct cirt_incident_env *env,
		       const struct cirt_incident_filter *f,
		       cirt_incident_fn fn, void *arg,
		       struct cirt_diag *d) CIRT_MUST_CHECK;

/* Timeline: add {"kind", "body", "counterpart"}; list oldest first. */
int cirt_incident_timeline_add(struct cirt_db *db,
			       const struct cirt_incident_env *env,
			       const char *ref, json_t *body, json_t **out,
			       struct cirt_diag *d) CIRT_MUST_CHECK;
int cirt_incident_timeline(struct cirt_db *db,
			   const struct cirt_incident_env *env, const char *ref,
			   int64_t after, int64_t limit, cirt_incident_fn fn,
			   void *arg, struct cirt_diag *d) CIRT_MUST_CHECK;

/* Tasks: add {"title", "owner", "due"}; update task id with {"title",
 * "owner", "due", "done"}. */
int cirt_incident_task_add(struct cirt_db *db,
			   const struct cirt_incident_env *env, const char *ref,
			   json_t *body, json_t **out,
			   struct cirt_diag *d) CIRT_MUST_CHECK;
int cirt_incident_task_update(struct cirt_db *db,
			      const struct cirt_incident_env *env,
			      const char *ref, int64_t task, json_t *body,
			      json_t **out,
			      struct cirt_diag *d) CIRT_MUST_CHECK;

/* Relations ("duplicate-of", "merged-into", "split-from", "related-to"),
 * observables ({"type", "value", "role"}) and STIX links. */
int cirt_incident_relate(struct cirt_db *db,
			 const struct cirt_incident_env *env, const char *ref,
			 const char *relation, const char *other, bool remove,
			 struct cirt_diag *d) CIRT_MUST_CHECK;
int cirt_incident_observable_add(struct cirt_db *db,
				 const struct cirt_incident_env *env,
				 const char *ref, json_t *body,
				 struct cirt_diag *d) CIRT_MUST_CHECK;
int cirt_incident_link(struct cirt_db *db, const struct cirt_incident_env *env,
		       const char *ref, const char *stix_id, bool remove,
		       struct cirt_diag *d) CIRT_MUST_CHECK;

/* Evidence: store bytes by SHA-256 under a file name (at most
 * env->evidence_max bytes); list; fetch one (the bytes in *out). */
int cirt_incident_evidence_add(struct cirt_db *db,
			       const struct cirt_incident_env *env,
			       const char *ref, const char *name,
			       const char *media_type, const void *data,
			       size_t len, json_t **out,
			       struct cirt_diag *d) CIRT_MUST_CHECK;
int cirt_incident_evidence_list(struct cirt_db *db,
				const struct cirt_incident_env *env,
				const char *ref, json_t **out,
				struct cirt_diag *d) CIRT_MUST_CHECK;
int cirt_incident_evidence_get(struct cirt_db *db,
			       const struct cirt_incident_env *env,
			       const char *ref, const char *sha256,
			       struct cirt_buf *out, char media_type[128],
			       char name[256],
			       struct cirt_diag *d) CIRT_MUST_CHECK;

/* Exports: an IODEF-Document, or a STIX 2.1 bundle (the incident SDO,
 * its observables as SCOs, the TLP marking), appended to out. */
int cirt_incident_export_iodef(struct cirt_db *db,
			       const struct cirt_incident_env *env,
			       const char *ref, struct cirt_buf *out,
			       struct cirt_diag *d) CIRT_MUST_CHECK;
int cirt_incident_export_stix(struct cirt_db *db,
			      const struct cirt_incident_env *env,
			      const char *ref, struct cirt_buf *out,
			      struct cirt_diag *d) CIRT_MUST_CHECK;

/*
 * Import an IODEF-Document: one incident per Incident, all or none, in
 * one transaction. Schema and document errors are appended to errors
 * ({"line", "message"}) and nothing is created. *created gets the array
 * of new identifiers. An Incident already imported (same IncidentID name
 * and text) is not created again; its identifier is in *existing.
 */
int cirt_incident_import(struct cirt_db *db,
			 const struct cirt_incident_env *env, const char *xml,
			 size_t len, json_t *errors, json_t **created,
			 json_t **existing,
			 struct cirt_diag *d) CIRT_MUST_CHECK;

/* Share to a TAXII collection (its id or alias) as STIX 2.1, within the
 * collection's TLP ceiling (never RED). *out: {"collection", "objects"}. */
int cirt_incident_share(struct cirt_db *db, const struct cirt_incident_env *env,
			const char *ref, const char *collection, json_t **out,
			struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
