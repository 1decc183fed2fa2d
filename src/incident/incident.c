/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Incidents: create, read, change, acknowledge, list and search. See
 * incident/incident.h; the timeline, tasks, evidence and links are in
 * incident_parts.c, the exchange formats in incident_io.c.
 */
#include "incident/incident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/org.h"
#include "account/user.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/time.h"
#include "incident/incident_int.h"
#include "incident/playbook.h"
#include "incident/sla.h"
#include "core/banned.h"

static const char *const status_names[ST_COUNT] = {
	[ST_NEW] = "new",
	[ST_TRIAGED] = "triaged",
	[ST_IN_PROGRESS] = "in-progress",
	[ST_CONTAINED] = "contained",
	[ST_ERADICATED] = "eradicated",
	[ST_RECOVERED] = "recovered",
	[ST_RESOLVED] = "resolved",
	[ST_CLOSED] = "closed",
	[ST_REJECTED] = "rejected",
	[ST_DUPLICATE] = "duplicate",
};

#define B(s) (1u << (s))

/* The workflow: the statuses each status may move to. */
static const unsigned moves[ST_COUNT] = {
	[ST_NEW] = B(ST_TRIAGED) | B(ST_REJECTED) | B(ST_DUPLICATE),
	[ST_TRIAGED] = B(ST_IN_PROGRESS) | B(ST_RESOLVED) | B(ST_REJECTED) |
		       B(ST_DUPLICATE),
	[ST_IN_PROGRESS] = B(ST_CONTAINED) | B(ST_RESOLVED) | B(ST_DUPLICATE),
	[ST_CONTAINED] = B(ST_ERADICATED) | B(ST_IN_PROGRESS),
	[ST_ERADICATED] = B(ST_RECOVERED) | B(ST_IN_PROGRESS),
	[ST_RECOVERED] = B(ST_RESOLVED) | B(ST_IN_PROGRESS),
	[ST_RESOLVED] = B(ST_CLOSED) | B(ST_IN_PROGRESS),
	[ST_CLOSED] = B(ST_IN_PROGRESS),
	[ST_REJECTED] = B(ST_TRIAGED),
	[ST_DUPLICATE] = B(ST_TRIAGED),
};

static const char *const reporter_kinds[] = {"team", "person", "constituent",
					     "partner", "feed"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define COLUMNS                                                                \
	"i.id, i.uuid, i.ref, i.title, i.description, i.class, i.type, "       \
	"i.severity, i.impact, i.tlp, i.status, i.reporter_kind, i.reporter, " \
	"i.assignee_id, COALESCE(u.name, ''), i.version, i.reported_at, "      \
	"i.created_at, i.updated_at, i.acknowledged_at, i.resolved_at, "       \
	"i.closed_at, i.source FROM incidents i LEFT JOIN users u ON u.id = "  \
	"i.assignee_id "

/* Visible to the caller: (ceiling, org, org). */
#define VISIBLE                                                           \
	"i.tlp <= ? AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM " \
	"incident_orgs v WHERE v.incident_id = i.id AND v.org_id = ?)) "

static const struct cirt_sql q_find = {
	"SELECT " COLUMNS "WHERE (i.ref = ? OR i.uuid = ?) AND " VISIBLE, NULL};

/* The list: every filter is off when its parameter says so. The search
 * finds an incident by its title and description, or by an entry of its
 * timeline the caller may see. */
#define LIST_HEAD                                                            \
	"SELECT " COLUMNS "JOIN sla_targets s ON s.severity = i.severity "   \
	"WHERE i.id < ? AND " VISIBLE                                        \
	"AND (? = '' OR ? LIKE '%,' || i.status || ',%') "                   \
	"AND (? = '' OR i.class = ?) AND (? = '' OR i.type = ?) "            \
	"AND (CAST(? AS BIGINT) < 0 OR i.severity = ?) "                     \
	"AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM incident_orgs " \
	"c WHERE c.incident_id = i.id AND c.org_id = ?)) "                   \
	"AND (CAST(? AS BIGINT) = 0 OR (CAST(? AS BIGINT) < 0 AND "          \
	"i.assignee_id IS NULL) OR i.assignee_id = ?) "                      \
	"AND (CAST(? AS BIGINT) = 0 OR i.reported_at >= ?) "                 \
	"AND (CAST(? AS BIGINT) = 0 OR i.reported_at < ?) "                  \
	"AND (CAST(? AS BIGINT) = 0 OR (i.status NOT IN ('rejected', "       \
	"'duplicate') AND ((i.acknowledged_at IS NULL AND i.reported_at + "  \
	"s.acknowledge_minutes * 60000000 <= ?) OR (i.resolved_at IS NULL "  \
	"AND i.closed_at IS NULL AND i.reported_at + s.resolve_minutes * "   \
	"60000000 <= ?)))) "
#define LIST_TAIL "ORDER BY i.id DESC LIMIT ?"

static const struct cirt_sql q_list = {LIST_HEAD LIST_TAIL, NULL};

/* With a search, the matching ids drive the query, through the full-text
 * indexes: an incident by its title and description, or by an entry of
 * its timeline the caller may see. */
static const struct cirt_sql q_search = {
	LIST_HEAD
	"AND i.id IN (SELECT rowid FROM incidents_fts WHERE incidents_fts "
	"MATCH ? UNION SELECT t.incident_id FROM incident_timeline t WHERE "
	"t.id IN (SELECT rowid FROM incident_timeline_fts WHERE "
	"incident_timeline_fts MATCH ?) AND (CAST(? AS BIGINT) = 1 OR "
	"t.kind IN ('comment', 'event'))) " LIST_TAIL,
	/* PostgreSQL: the ids as an array, so that the index on id looks
	 * them up rather than the table being walked in id order. */
	LIST_HEAD
	"AND i.id = ANY(ARRAY(SELECT id FROM incidents WHERE "
	"to_tsvector('simple', title || ' ' || description) @@ "
	"plainto_tsquery('simple', ?) UNION SELECT t.incident_id FROM "
	"incident_timeline t WHERE to_tsvector('simple', t.body) @@ "
	"plainto_tsquery('simple', ?) AND (CAST(? AS BIGINT) = 1 OR t.kind "
	"IN ('comment', 'event')))) " LIST_TAIL};

static const struct cirt_sql q_counter = {
	"INSERT INTO incident_counters (year, next) VALUES (?, 2) "
	"ON CONFLICT (year) DO UPDATE SET next = incident_counters.next + 1 "
	"RETURNING next - 1",
	NULL};

static const struct cirt_sql q_insert = {
	"INSERT INTO incidents (uuid, ref, title, description, class, type, "
	"severity, impact, tlp, status, reporter_kind, reporter, "
	"reporter_org_id, assignee_id, version, reported_at, created_at, "
	"updated_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, "
	"?, ?, 1, ?, ?, ?, ?) RETURNING id",
	NULL};

static const struct cirt_sql q_orgs = {
	"SELECT o.name, o.sector, io.acknowledged_at FROM incident_orgs io "
	"JOIN orgs o ON o.id = io.org_id WHERE io.incident_id = ? "
	"AND (CAST(? AS BIGINT) = 0 OR io.org_id = ?) ORDER BY o.name",
	NULL};
static const struct cirt_sql q_org_add = {
	"INSERT INTO incident_orgs (incident_id, org_id) VALUES (?, ?) "
	"ON CONFLICT DO NOTHING",
	NULL};
static const struct cirt_sql q_org_clear = {
	"DELETE FROM incident_orgs WHERE incident_id = ?", NULL};
static const struct cirt_sql q_org_ack = {
	"UPDATE incident_orgs SET acknowledged_at = ? WHERE incident_id = ? "
	"AND org_id = ? AND acknowledged_at IS NULL",
	NULL};

static const struct cirt_sql q_related = {
	"SELECT r.relation, o.ref, 0 FROM incident_relations r JOIN incidents "
	"o ON o.id = r.other_id WHERE r.incident_id = ? "
	"UNION ALL SELECT r.relation, o.ref, 1 FROM incident_relations r "
	"JOIN incidents o ON o.id = r.incident_id WHERE r.other_id = ? "
	"ORDER BY 3, 2, 1",
	NULL};
static const struct cirt_sql q_observables = {
	"SELECT type, value, role FROM incident_observables WHERE "
	"incident_id = ? ORDER BY id",
	NULL};
static const struct cirt_sql q_stix_refs = {
	"SELECT stix_id FROM incident_stix WHERE incident_id = ? "
	"ORDER BY stix_id",
	NULL};
static const struct cirt_sql q_tasks = {
	"SELECT t.id, t.title, COALESCE(u.name, ''), t.due_at, t.done_at, "
	"t.playbook FROM incident_tasks t LEFT JOIN users u ON u.id = "
	"t.owner_id WHERE t.incident_id = ? ORDER BY t.id",
	NULL};

static const struct cirt_sql q_touch = {
	"UPDATE incidents SET version = version + 1, updated_at = ? WHERE "
	"id = ?",
	NULL};
static const struct cirt_sql q_update = {
	"UPDATE incidents SET title = ?, description = ?, class = ?, "
	"type = ?, severity = ?, impact = ?, tlp = ?, status = ?, "
	"reporter_kind = ?, reporter = ?, reporter_org_id = ?, "
	"assignee_id = ?, acknowledged_at = ?, resolved_at = ?, "
	"closed_at = ?, version = version + 1, updated_at = ? "
	"WHERE id = ? AND version = ?",
	NULL};
static const struct cirt_sql q_reporter_org = {
	"SELECT reporter_org_id FROM incidents WHERE id = ?", NULL};
static const struct cirt_sql q_ack = {
	"UPDATE incidents SET acknowledged_at = ?, version = version + 1, "
	"updated_at = ? WHERE id = ? AND acknowledged_at IS NULL",
	NULL};
static const struct cirt_sql q_has_dup = {
	"SELECT 1 FROM incident_relations WHERE incident_id = ? AND "
	"relation = 'duplicate-of'",
	NULL};
static const struct cirt_sql q_relate = {
	"INSERT INTO incident_relations (incident_id, relation, other_id, "
	"created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
	NULL};
static const struct cirt_sql q_entry = {
	"INSERT INTO incident_timeline (incident_id, kind, author, "
	"counterpart, body, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
	NULL};
static const struct cirt_sql q_observable = {
	"INSERT INTO incident_observables (incident_id, type, value, role) "
	"VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
	NULL};

static const struct cirt_sql q_fts_add = {
	"INSERT INTO incidents_fts (rowid, title, description) "
	"VALUES (?, ?, ?)",
	NULL};
static const struct cirt_sql q_fts_del = {
	"INSERT INTO incidents_fts (incidents_fts, rowid, title, description) "
	"VALUES ('delete', ?, ?, ?)",
	NULL};
static const struct cirt_sql q_fts_entry = {
	"INSERT INTO incident_timeline_fts (rowid, body) VALUES (?, ?)", NULL};

static int fts_put(struct cirt_db *db, const struct cirt_sql *q, int64_t id,
		   const char *a, size_t alen, const char *b,
		   struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, q, d);

	if (s == NULL)
		return d && d->code ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, id);
	cirt_stmt_bind_text(s, 2, a, alen);
	if (b)
		cirt_stmt_bind_str(s, 3, b);
	return cirt_stmt_exec(s, d);
}

int incident_fts_incident(struct cirt_db *db, int64_t id, const char *title,
			  const char *description, const char *old_title,
			  const char *old_description, struct cirt_diag *d)
{
	int rc = 0;

	if (cirt_db_kind(db) != CIRT_DB_SQLITE)
		return 0;
	if (old_title)
		rc = fts_put(db, &q_fts_del, id, old_title, strlen(old_title),
			     old_description, d);
	if (rc == 0)
		rc = fts_put(db, &q_fts_add, id, title, strlen(title),
			     description, d);
	return rc;
}

static int fts_entry(struct cirt_db *db, int64_t entry, const char *body,
		     size_t len, struct cirt_diag *d)
{
	if (cirt_db_kind(db) != CIRT_DB_SQLITE)
		return 0;
	return fts_put(db, &q_fts_entry, entry, body, len, NULL, d);
}

const char *incident_status_name(int s)
{
	return s >= 0 && s < ST_COUNT ? status_names[s] : "?";
}

int incident_status_parse(const char *s)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return -1;
}

static int in_list(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

void incident_view_of(const struct cirt_incident_env *env,
		      struct incident_view *v)
{
	v->ceiling = cirt_authz_incident_ceiling(env->p);
	v->team = cirt_authz_scope(env->p, CIRT_ACT_INCIDENT_READ) ==
		  CIRT_SCOPE_ALL;
	v->org = v->team ? 0 : env->p->org_id;
}

int cirt_incident_check_prefix(const char *prefix, struct cirt_diag *d)
{
	size_t n = strlen(prefix);

	if (n < 1 || n > CIRT_INCIDENT_PREFIX_MAX || prefix[0] < 'A' ||
	    prefix[0] > 'Z')
		goto bad;
	for (size_t i = 0; i < n; i++)
		if (!((prefix[i] >= 'A' && prefix[i] <= 'Z') ||
		      (prefix[i] >= '0' && prefix[i] <= '9')))
			goto bad;
	return 0;
bad:
	return cirt_diag_set(d, -CIRT_EINVAL, "incident_prefix",
			     "incident_prefix must be 1 to %d of A-Z and "
			     "0-9, starting with a letter",
			     CIRT_INCIDENT_PREFIX_MAX);
}

static char *dup_col(struct cirt_stmt *s, int col)
{
	return cirt_xstrdup(cirt_stmt_text(s, col));
}

#define COPY(dst, s, col) \
	snprintf((dst), sizeof(dst), "%s", cirt_stmt_text((s), (col)))

static void read_row(struct cirt_stmt *s, struct incident_row *r)
{
	enum cirt_tlp t;

	memset(r, 0, sizeof(*r));
	r->id = cirt_stmt_i64(s, 0);
	COPY(r->uuid, s, 1);
	COPY(r->ref, s, 2);
	r->title = dup_col(s, 3);
	r->description = dup_col(s, 4);
	COPY(r->cls, s, 5);
	COPY(r->type, s, 6);
	r->severity = (int)cirt_stmt_i64(s, 7);
	COPY(r->impact, s, 8);
	t = (enum cirt_tlp)cirt_stmt_i64(s, 9);
	r->tlp = t;
	r->status = incident_status_parse(cirt_stmt_text(s, 10));
	COPY(r->reporter_kind, s, 11);
	r->reporter = dup_col(s, 12);
	r->assignee_id = cirt_stmt_i64(s, 13);
	COPY(r->assignee, s, 14);
	r->version = cirt_stmt_i64(s, 15);
	r->reported_at = cirt_stmt_i64(s, 16);
	r->created_at = cirt_stmt_i64(s, 17);
	r->updated_at = cirt_stmt_i64(s, 18);
	r->acknowledged_at = cirt_stmt_i64(s, 19);
	r->resolved_at = cirt_stmt_i64(s, 20);
	r->closed_at = cirt_stmt_i64(s, 21);
	r->source = dup_col(s, 22);
}

int incident_find_id(struct cirt_db *db, const struct cirt_incident_env *env,
		     const char *ref, struct incident_view *v, int64_t *id,
		     struct cirt_diag *d)
{
	struct incident_row row;
	int rc;

	incident_view_of(env, v);
	rc = incident_find(db, v, ref, &row, d);
	*id = row.id;
	incident_row_release(&row);
	return rc;
}

void incident_row_release(struct incident_row *row)
{
	free(row->title);
	free(row->description);
	free(row->reporter);
	free(row->source);
	memset(row, 0, sizeof(*row));
}

static void bind_view(struct cirt_stmt *s, int at,
		      const struct incident_view *v)
{
	cirt_stmt_bind_i64(s, at, v->ceiling);
	cirt_stmt_bind_i64(s, at + 1, v->org);
	cirt_stmt_bind_i64(s, at + 2, v->org);
}

int incident_find(struct cirt_db *db, const struct incident_view *v,
		  const char *ref, struct incident_row *row,
		  struct cirt_diag *d)
{
	struct cirt_stmt *s;
	int rc;

	memset(row, 0, sizeof(*row));
	if (v->ceiling == CIRT_TLP_NONE || strlen(ref) > 64 ||
	    !cirt_utf8_valid(ref, strlen(ref), NULL))
		goto none;
	s = cirt_db_stmt(db, &q_find, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_str(s, 1, ref);
	cirt_stmt_bind_str(s, 2, ref);
	bind_view(s, 3, v);
	rc = cirt_stmt_step(s, d);
	if (rc < 0)
		return rc;
	if (rc == CIRT_DB_DONE)
		goto none;
	read_row(s, row);
	cirt_stmt_reset(s);
	return 0;
none:
	return cirt_diag_set(d, -CIRT_ENOTFOUND, "incident",
			     "no incident '%.64s'", ref);
}

/* Run s (bound) and add fn(row) for each row to arr. */
typedef json_t *(*row_json_fn)(struct cirt_stmt *s);

static int collect(struct cirt_stmt *s, json_t *arr, row_json_fn fn,
		   struct cirt_diag *d)
{
	int rc;

	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW)
		json_array_append_new(arr, fn(s));
	return rc;
}

static json_t *org_item(struct cirt_stmt *s)
{
	return json_pack("{s:s, s:s, s:o}", "org", cirt_stmt_text(s, 0),
			 "sector", cirt_stmt_text(s, 1), "acknowledged_at",
			 cirt_json_time(cirt_stmt_i64(s, 2)));
}

/* The constituents affected, as v may see them: a constituent sees only
 * itself among them, not who else is concerned. */
static int orgs_of(struct cirt_db *db, const struct incident_view *v,
		   int64_t id, json_t **out, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_orgs, d);
	int rc;

	*out = json_array();
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, id);
	cirt_stmt_bind_i64(s, 2, v->org);
	cirt_stmt_bind_i64(s, 3, v->org);
	rc = collect(s, *out, org_item, d);
	return rc < 0 ? rc : 0;
}

/* This incident's relations go to "related", the reverse ones to
 * "referenced_by". */
static int relations(struct cirt_db *db, int64_t id, json_t *to, json_t *from,
		     struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_related, d);
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, id);
	cirt_stmt_bind_i64(s, 2, id);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW)
		json_array_append_new(cirt_stmt_i64(s, 2) ? from : to,
				      json_pack("{s:s, s:s}", "relation",
						cirt_stmt_text(s, 0),
						"incident",
						cirt_stmt_text(s, 1)));
	return rc < 0 ? rc : 0;
}

static json_t *observable_item(struct cirt_stmt *s)
{
	return json_pack("{s:s, s:s, s:s}", "type", cirt_stmt_text(s, 0),
			 "value", cirt_stmt_text(s, 1), "role",
			 cirt_stmt_text(s, 2));
}

static json_t *stix_item(struct cirt_stmt *s)
{
	return json_string(cirt_stmt_text(s, 0));
}

static json_t *task_item(struct cirt_stmt *s)
{
	const char *owner = cirt_stmt_text(s, 2);

	return json_pack("{s:I, s:s, s:o, s:o, s:b, s:o, s:s}", "id",
			 (json_int_t)cirt_stmt_i64(s, 0), "title",
			 cirt_stmt_text(s, 1), "owner",
			 *owner ? json_string(owner) : json_null(), "due",
			 cirt_json_time(cirt_stmt_i64(s, 3)), "done",
			 !cirt_stmt_null(s, 4), "done_at",
			 cirt_json_time(cirt_stmt_i64(s, 4)), "playbook",
			 cirt_stmt_text(s, 5));
}

static int list_of(struct cirt_db *db, const struct cirt_sql *q, int64_t id,
		   int nbind, row_json_fn fn, json_t **out, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, q, d);
	int rc;

	*out = json_array();
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	for (int i = 1; i <= nbind; i++)
		cirt_stmt_bind_i64(s, i, id);
	rc = collect(s, *out, fn, d);
	return rc < 0 ? rc : 0;
}

int incident_json(struct cirt_db *db, const struct incident_view *v,
		  const struct incident_row *r, bool full,
		  const struct cirt_sla_target *targets, json_t **out,
		  struct cirt_diag *d)
{
	struct cirt_sla_target t[CIRT_SEVERITY_COUNT];
	json_t *o, *orgs = NULL, *obs = NULL, *stix = NULL;
	json_t *tasks = NULL, *to = NULL, *from = NULL;
	char cls[CIRT_TAXONOMY_CLASS_MAX + CIRT_TAXONOMY_TYPE_MAX + 2];
	int rc = 0;

	if (targets == NULL) {
		rc = cirt_sla_targets(db, t, d);
		targets = t;
	}
	if (rc == 0)
		rc = orgs_of(db, v, r->id, &orgs, d);
	if (full) {
		to = json_array();
		from = json_array();
		if (rc == 0)
			rc = relations(db, r->id, to, from, d);
		if (rc == 0)
			rc = list_of(db, &q_observables, r->id, 1,
				     observable_item, &obs, d);
		if (rc == 0)
			rc = list_of(db, &q_stix_refs, r->id, 1, stix_item,
				     &stix, d);
		if (rc == 0 && v->team)
			rc = list_of(db, &q_tasks, r->id, 1, task_item, &tasks,
				     d);
	}
	if (rc < 0) {
		json_decref(orgs);
		json_decref(obs);
		json_decref(stix);
		json_decref(tasks);
		json_decref(to);
		json_decref(from);
		return rc;
	}
	snprintf(cls, sizeof(cls), "%s:%s", r->cls, r->type);
	o = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:{s:s, "
		"s:s}, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
		"id", r->ref, "uuid", r->uuid, "title", r->title, "description",
		r->description, "class", cls, "severity",
		cirt_severity_name(r->severity), "impact", r->impact, "tlp",
		cirt_tlp_label(r->tlp), "status",
		incident_status_name(r->status), "constituents", orgs,
		"reporter", "kind", r->reporter_kind, "name", r->reporter,
		"assignee",
		r->assignee[0] ? json_string(r->assignee) : json_null(), "sla",
		cirt_sla_json(&targets[r->severity],
			      incident_status_name(r->status), r->reported_at,
			      r->acknowledged_at, r->resolved_at, r->closed_at,
			      cirt_time_now_us()),
		"version", (json_int_t)r->version, "reported_at",
		cirt_json_time(r->reported_at), "created_at",
		cirt_json_time(r->created_at), "updated_at",
		cirt_json_time(r->updated_at), "acknowledged_at",
		cirt_json_time(r->acknowledged_at), "resolved_at",
		cirt_json_time(r->resolved_at), "closed_at",
		cirt_json_time(r->closed_at));
	if (full) {
		json_object_set_new(o, "observables", obs);
		json_object_set_new(o, "stix_refs", stix);
		json_object_set_new(o, "related", to);
		json_object_set_new(o, "referenced_by", from);
	}
	if (r->source[0])
		json_object_set_new(o, "source", json_string(r->source));
	if (tasks)
		json_object_set_new(o, "tasks", tasks);
	*out = o;
	return 0;
}

/* The fields of a create or update body, checked. */
struct fields {
	const char *title, *description;
	size_t title_len, description_len;
	const struct cirt_taxonomy_type *cls;
	int severity;
	const char *impact;
	enum cirt_tlp tlp;
	int status;
	bool has_assignee;
	int64_t assignee; /* 0: nobody */
	bool has_constituents;
	int64_t orgs[CIRT_INCIDENT_LIST_MAX];
	size_t norgs;
	const char *reporter_kind, *reporter;
	int64_t reporter_org;
	int64_t duplicate_of;
	json_t *observables;
	int64_t reported_at;
};

static int bad_enum(struct cirt_diag *d, const char *field,
		    const char *const *names, size_t n)
{
	char list[512];
	size_t at = 0;

	list[0] = '\0';
	for (size_t i = 0; i < n && at < sizeof(list); i++)
		at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s",
				       i ? ", " : "", names[i]);
	return cirt_diag_set(d, -CIRT_EINVAL, field, "%s must be one of: %s",
			     field, list);
}

static int get_assignee(struct cirt_db *db, json_t *v, int64_t *out,
			struct cirt_diag *d)
{
	struct cirt_user u;
	int rc;

	if (json_is_null(v)) {
		*out = 0;
		return 0;
	}
	if (!json_is_string(v))
		return cirt_diag_set(d, -CIRT_EINVAL, "assignee",
				     "assignee must be a user name or null");
	rc = cirt_user_get(db, json_string_value(v), &u, NULL);
	if (rc == -CIRT_ENOTFOUND || (rc == 0 && u.org_kind != CIRT_ORG_TEAM))
		return cirt_diag_set(d, -CIRT_EINVAL, "assignee",
				     "assignee must be a user of the team; "
				     "'%.64s' is not",
				     json_string_value(v));
	if (rc < 0)
		return cirt_diag_set(d, rc, "assignee",
				     "cannot look up "
				     "the assignee");
	if (u.disabled)
		return cirt_diag_set(d, -CIRT_EINVAL, "assignee",
				     "user '%s' is disabled", u.name);
	*out = u.id;
	return 0;
}

static int get_constituents(struct cirt_db *db, json_t *v, struct fields *f,
			    struct cirt_diag *d)
{
	size_t i;
	json_t *it;
	struct cirt_org o;

	if (!json_is_array(v))
		return cirt_diag_set(d, -CIRT_EINVAL, "constituents",
				     "constituents must be an array of "
				     "organisation names");
	if (json_array_size(v) > CIRT_INCIDENT_LIST_MAX)
		return cirt_diag_set(d, -CIRT_EINVAL, "constituents",
				     "constituents must name at most %d "
				     "organisations",
				     CIRT_INCIDENT_LIST_MAX);
	f->norgs = 0;
	json_array_foreach (v, i, it) {
		bool seen = false;

		if (!json_is_string(it) ||
		    cirt_org_get(db, json_string_value(it), &o, NULL) < 0)
			return cirt_diag_set(
				d, -CIRT_EINVAL, "constituents",
				"constituents[%zu] is not an organisation", i);
		if (o.kind != CIRT_ORG_CONSTITUENT)
			return cirt_diag_set(d, -CIRT_EINVAL, "constituents",
					     "'%s' is a %s, not a constituent",
					     o.name,
					     cirt_org_kind_name(o.kind));
		for (size_t j = 0; j < f->norgs; j++)
			seen |= f->orgs[j] == o.id;
		if (!seen)
			f->orgs[f->norgs++] = o.id;
	}
	f->has_constituents = true;
	return 0;
}

static int get_reporter(struct cirt_db *db, json_t *v, struct fields *f,
			struct cirt_diag *d)
{
	static const char *const keys[] = {"kind", "name"};
	const char *kind, *name;
	struct cirt_org o;
	size_t len;
	int k, rc;

	if (!json_is_object(v))
		return cirt_diag_set(d, -CIRT_EINVAL, "reporter",
				     "reporter must be an object {kind, name}");
	rc = cirt_json_only(v, keys, 2, d);
	if (rc == 0)
		rc = cirt_json_get_str(v, "kind", true, &kind, NULL, d);
	if (rc == 0)
		rc = cirt_json_get_str(v, "name", true, &name, &len, d);
	if (rc < 0)
		return rc;
	k = in_list(kind, reporter_kinds, NELEM(reporter_kinds));
	if (k < 0)
		return bad_enum(d, "reporter.kind", reporter_kinds,
				NELEM(reporter_kinds));
	rc = cirt_text_check_line(name, len, 1, 256, "reporter.name", d);
	if (rc < 0)
		return rc;
	f->reporter_org = 0;
	if (k == 2 || k == 3) {
		enum cirt_org_kind want =
			k == 2 ? CIRT_ORG_CONSTITUENT : CIRT_ORG_PARTNER;

		if (cirt_org_get(db, name, &o, NULL) < 0 || o.kind != want)
			return cirt_diag_set(d, -CIRT_EINVAL, "reporter.name",
					     "'%.64s' is not a %s "
					     "organisation",
					     name, cirt_org_kind_name(want));
		f->reporter_org = o.id;
	}
	f->reporter_kind = reporter_kinds[k];
	f->reporter = name;
	return 0;
}

static int get_time(json_t *body, const char *name, int64_t *out,
		    struct cirt_diag *d)
{
	const char *s, *why = NULL;
	int rc = cirt_json_get_str(body, name, false, &s, NULL, d);

	if (rc < 0 || s == NULL)
		return rc;
	if (cirt_time_parse_day(s, out, &why) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, name, "%s %s", name,
				     why ? why : "is not a timestamp");
	return 0;
}

/* Read the fields of body present (update) or required (create). */
static int read_fields(struct cirt_db *db, json_t *body, bool create,
		       struct fields *f, struct cirt_diag *d)
{
	static const char *const create_keys[] = {
		"title",    "description", "class",	  "severity",
		"impact",   "tlp",	   "assignee",	  "constituents",
		"reporter", "observables", "reported_at",
	};
	static const char *const update_keys[] = {
		"title",	"description", "class",	       "severity",
		"impact",	"tlp",	       "status",       "assignee",
		"constituents", "reporter",    "duplicate_of", "version",
	};
	const char *s;
	json_t *v;
	int rc;

	memset(f, 0, sizeof(*f));
	f->severity = -1;
	f->tlp = CIRT_TLP_NONE;
	f->status = -1;
	rc = create ? cirt_json_only(body, create_keys, NELEM(create_keys), d)
		    : cirt_json_only(body, update_keys, NELEM(update_keys), d);
	if (rc == 0)
		rc = cirt_json_get_str(body, "title", create, &f->title,
				       &f->title_len, d);
	if (rc == 0 && f->title)
		rc = cirt_text_check_line(f->title, f->title_len, 1,
					  CIRT_INCIDENT_TITLE_MAX, "title", d);
	if (rc == 0)
		rc = cirt_json_get_str(body, "description", false,
				       &f->description, &f->description_len, d);
	if (rc == 0 && f->description)
		rc = cirt_text_check_block(f->description, f->description_len,
					   CIRT_INCIDENT_TEXT_MAX,
					   "description", d);
	if (rc == 0)
		rc = cirt_json_get_str(body, "class", create, &s, NULL, d);
	if (rc == 0 && s)
		rc = cirt_taxonomy_parse(s, "class", &f->cls, d);
	if (rc == 0)
		rc = cirt_json_get_str(body, "severity", create, &s, NULL, d);
	if (rc == 0 && s && cirt_severity_parse(s, &f->severity) < 0)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "severity",
				   "severity must be low, medium, high or "
				   "critical");
	if (rc == 0)
		rc = cirt_json_get_str(body, "impact", false, &f->impact, NULL,
				       d);
	if (rc == 0 && f->impact) {
		/* IODEF's BusinessImpact types, but for its ext-value. */
		size_t n = 0;

		while (cirt_iodef_business_impacts[n + 1])
			n++;
		if (in_list(f->impact, cirt_iodef_business_impacts, n) < 0)
			rc = bad_enum(d, "impact", cirt_iodef_business_impacts,
				      n);
	}
	if (rc == 0)
		rc = cirt_json_get_str(body, "tlp", create, &s, NULL, d);
	if (rc == 0 && s && cirt_tlp_parse(s, &f->tlp) < 0)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "tlp",
				   "tlp must be TLP:CLEAR, TLP:GREEN, "
				   "TLP:AMBER, TLP:AMBER+STRICT or TLP:RED");
	if (rc == 0 && !create)
		rc = cirt_json_get_str(body, "status", false, &s, NULL, d);
	if (rc == 0 && !create && s) {
		f->status = incident_status_parse(s);
		if (f->status < 0)
			rc = bad_enum(d, "status", status_names, ST_COUNT);
	}
	if (rc == 0 && (v = json_object_get(body, "assignee")) != NULL) {
		f->has_assignee = true;
		rc = get_assignee(db, v, &f->assignee, d);
	}
	if (rc == 0 && (v = json_object_get(body, "constituents")) != NULL)
		rc = get_constituents(db, v, f, d);
	if (rc == 0 && (v = json_object_get(body, "reporter")) != NULL)
		rc = get_reporter(db, v, f, d);
	if (rc == 0 && create &&
	    (v = json_object_get(body, "observables")) != NULL) {
		if (!json_is_array(v))
			rc = cirt_diag_set(d, -CIRT_EINVAL, "observables",
					   "observables must be an array");
		else if (json_array_size(v) > CIRT_INCIDENT_LIST_MAX)
			rc = cirt_diag_set(d, -CIRT_EINVAL, "observables",
					   "at most %d observables at once",
					   CIRT_INCIDENT_LIST_MAX);
		f->observables = v;
	}
	if (rc == 0 && create)
		rc = get_time(body, "reported_at", &f->reported_at, d);
	if (rc == 0 && f->reported_at > cirt_time_now_us() + 60000000)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "reported_at",
				   "reported_at must not be in the future");
	return rc;
}

int incident_touch(struct cirt_db *db, int64_t id, int64_t now,
		   struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_touch, d);

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, now);
	cirt_stmt_bind_i64(s, 2, id);
	return cirt_stmt_exec(s, d);
}

int incident_entry_add(struct cirt_db *db, int64_t incident_id,
		       const char *kind, const char *author,
		       const char *counterpart, size_t counterpart_len,
		       const char *body, size_t len, int64_t at, int64_t *entry,
		       struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_entry, d);
	int64_t id;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, incident_id);
	cirt_stmt_bind_str(s, 2, kind);
	cirt_stmt_bind_str(s, 3, author);
	cirt_stmt_bind_text(s, 4, counterpart, counterpart_len);
	cirt_stmt_bind_text(s, 5, body, len);
	cirt_stmt_bind_i64(s, 6, at);
	rc = cirt_stmt_step(s, d);
	if (rc != CIRT_DB_ROW)
		return rc < 0 ? rc : -CIRT_EINTERNAL;
	id = cirt_stmt_i64(s, 0);
	cirt_stmt_reset(s);
	if (entry)
		*entry = id;
	/* Events say what the fields already say: not searched. */
	return strcmp(kind, "event") == 0 ? 0 : fts_entry(db, id, body, len, d);
}

int incident_event(struct cirt_db *db, int64_t incident_id,
		   const struct cirt_actor *who, const char *text,
		   struct cirt_diag *d)
{
	return incident_entry_add(db, incident_id, "event", who->name, "", 0,
				  text, strlen(text), cirt_time_now_us(), NULL,
				  d);
}

int incident_relation_put(struct cirt_db *db, int64_t incident_id,
			  const char *relation, int64_t other_id,
			  struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_relate, d);

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, incident_id);
	cirt_stmt_bind_str(s, 2, relation);
	cirt_stmt_bind_i64(s, 3, other_id);
	cirt_stmt_bind_i64(s, 4, cirt_time_now_us());
	return cirt_stmt_exec(s, d);
}

int incident_audit(struct cirt_db *db, const struct cirt_actor *who,
		   const struct incident_row *row, const char *action,
		   json_t *detail, struct cirt_diag *d)
{
	char object[CIRT_INCIDENT_REF_MAX + 16];
	int rc;

	snprintf(object, sizeof(object), "incident:%s", row->ref);
	rc = cirt_audit_append(db, who, action, object, detail, d);
	json_decref(detail);
	return rc;
}

/* Observable types and what their values must look like. */
static const char *const observable_types[] = {
	"ipv4-addr",  "ipv6-addr",   "domain-name", "url",
	"email-addr", "file-sha256", "asn",
};
static const char *const observable_roles[] = {"source", "target", "other"};

static bool valid_observable(int type, const char *v, size_t n)
{
	size_t i;

	switch (type) {
	case 0: /* ipv4-addr, optionally a CIDR block */
		for (i = 0; i < n; i++)
			if (!strchr("0123456789./", v[i]))
				return false;
		return n >= 7 && strchr(v, '.') != NULL;
	case 1:
		for (i = 0; i < n; i++)
			if (!strchr("0123456789abcdefABCDEF:./", v[i]))
				return false;
		return strchr(v, ':') != NULL;
	case 2:
		for (i = 0; i < n; i++)
			if (!strchr("abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_",
				    v[i]))
				return false;
		return n <= 253 && strchr(v, '.') != NULL && v[0] != '.' &&
		       v[0] != '-';
	case 3:
		return strstr(v, "://") != NULL && strchr(v, ' ') == NULL;
	case 4:
		return strchr(v, '@') != NULL && v[0] != '@' &&
		       v[n - 1] != '@' && strchr(v, ' ') == NULL;
	case 5:
		for (i = 0; i < n; i++)
			if (!strchr("0123456789abcdef", v[i]))
				return false;
		return n == 64;
	case 6:
		for (i = 0; i < n; i++)
			if (v[i] < '0' || v[i] > '9')
				return false;
		return n >= 1 && n <= 10;
	}
	return false;
}

int incident_observable_put(struct cirt_db *db, int64_t incident_id, json_t *o,
			    const char *field, struct cirt_diag *d)
{
	static const char *const keys[] = {"type", "value", "role"};
	const char *type, *value, *role = NULL;
	char ftype[64], fvalue[64], frole[64];
	struct cirt_stmt *s;
	size_t len;
	int t, rc;

	snprintf(ftype, sizeof(ftype), "%s.type", field);
	snprintf(fvalue, sizeof(fvalue), "%s.value", field);
	snprintf(frole, sizeof(frole), "%s.role", field);
	if (!json_is_object(o))
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s must be an object {type, value, "
				     "role}",
				     field);
	rc = cirt_json_only(o, keys, 3, d);
	if (rc < 0)
		return rc;
	if (!json_is_string(json_object_get(o, "type")))
		return cirt_diag_set(d, -CIRT_EINVAL, ftype,
				     "%s must be a string", ftype);
	if (!json_is_string(json_object_get(o, "value")))
		return cirt_diag_set(d, -CIRT_EINVAL, fvalue,
				     "%s must be a string", fvalue);
	if (json_object_get(o, "role") &&
	    !json_is_string(json_object_get(o, "role")))
		return cirt_diag_set(d, -CIRT_EINVAL, frole,
				     "%s must be a string", frole);
	type = json_string_value(json_object_get(o, "type"));
	value = json_string_value(json_object_get(o, "value"));
	len = json_string_length(json_object_get(o, "value"));
	role = json_string_value(json_object_get(o, "role"));
	if (role == NULL)
		role = "other";
	t = in_list(type, observable_types, NELEM(observable_types));
	if (t < 0)
		return bad_enum(d, ftype, observable_types,
				NELEM(observable_types));
	if (in_list(role, observable_roles, 3) < 0)
		return bad_enum(d, frole, observable_roles, 3);
	rc = cirt_text_check_line(value, len, 1, 2048, fvalue, d);
	if (rc < 0)
		return rc;
	if (!valid_observable(t, value, len))
		return cirt_diag_set(d, -CIRT_EINVAL, fvalue,
				     "'%.80s' is not a valid %s", value, type);
	s = cirt_db_stmt(db, &q_observable, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, incident_id);
	cirt_stmt_bind_str(s, 2, type);
	cirt_stmt_bind_text(s, 3, value, len);
	cirt_stmt_bind_str(s, 4, role);
	return cirt_stmt_exec(s, d);
}

static int set_orgs(struct cirt_db *db, int64_t id, const struct fields *f,
		    struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_org_clear, d);
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, id);
	rc = cirt_stmt_exec(s, d);
	for (size_t i = 0; rc == 0 && i < f->norgs; i++) {
		s = cirt_db_stmt(db, &q_org_add, d);
		if (s == NULL)
			return d ? d->code : -CIRT_EIO;
		cirt_stmt_bind_i64(s, 1, id);
		cirt_stmt_bind_i64(s, 2, f->orgs[i]);
		rc = cirt_stmt_exec(s, d);
	}
	return rc;
}

static void bind_opt_id(struct cirt_stmt *s, int i, int64_t id)
{
	if (id)
		cirt_stmt_bind_i64(s, i, id);
	else
		cirt_stmt_bind_null(s, i);
}

static void bind_opt_time(struct cirt_stmt *s, int i, int64_t t)
{
	bind_opt_id(s, i, t);
}

int incident_insert(struct cirt_db *db, const struct cirt_incident_env *env,
		    json_t *body, const char *source, int64_t *id,
		    char ref[CIRT_INCIDENT_REF_MAX + 1], struct cirt_diag *d)
{
	char uuid[CIRT_UUID_LEN + 1], year[CIRT_TIME_LEN], pb[65];
	struct incident_row row;
	struct cirt_stmt *s;
	struct fields f;
	int64_t now = cirt_time_now_us(), serial;
	size_t i;
	json_t *it;
	int rc;

	rc = read_fields(db, body, true, &f, d);
	if (rc < 0)
		return rc;
	if (f.tlp == CIRT_TLP_NONE)
		return cirt_diag_set(d, -CIRT_EINVAL, "tlp", "tlp is required");
	if (f.reported_at == 0)
		f.reported_at = now;
	cirt_time_format(f.reported_at, year);
	year[4] = '\0';
	s = cirt_db_stmt(db, &q_counter, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, strtol(year, NULL, 10));
	rc = cirt_stmt_step(s, d);
	if (rc < 0)
		return rc;
	serial = cirt_stmt_i64(s, 0);
	cirt_stmt_reset(s);
	snprintf(ref, CIRT_INCIDENT_REF_MAX + 1, "%.16s-%.4s-%06lld",
		 env->prefix, year, (long long)serial);
	cirt_uuid4(uuid);
	s = cirt_db_stmt(db, &q_insert, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_str(s, 1, uuid);
	cirt_stmt_bind_str(s, 2, ref);
	cirt_stmt_bind_text(s, 3, f.title, f.title_len);
	cirt_stmt_bind_text(s, 4, f.description ? f.description : "",
			    f.description ? f.description_len : 0);
	cirt_stmt_bind_str(s, 5, f.cls->cls);
	cirt_stmt_bind_str(s, 6, f.cls->type);
	cirt_stmt_bind_i64(s, 7, f.severity);
	cirt_stmt_bind_str(s, 8, f.impact ? f.impact : "unknown");
	cirt_stmt_bind_i64(s, 9, f.tlp);
	cirt_stmt_bind_str(s, 10, f.reporter_kind ? f.reporter_kind : "team");
	cirt_stmt_bind_str(s, 11, f.reporter ? f.reporter : env->actor->name);
	bind_opt_id(s, 12, f.reporter_org);
	bind_opt_id(s, 13, f.assignee);
	cirt_stmt_bind_i64(s, 14, f.reported_at);
	cirt_stmt_bind_i64(s, 15, now);
	cirt_stmt_bind_i64(s, 16, now);
	cirt_stmt_bind_str(s, 17, source ? source : "");
	rc = cirt_stmt_step(s, d);
	if (rc < 0)
		return rc == -CIRT_ECONFLICT
			       ? cirt_diag_set(d, rc, "id",
					       "identifier %s is taken: is "
					       "incident_prefix shared with "
					       "another store?",
					       ref)
			       : rc;
	*id = cirt_stmt_i64(s, 0);
	cirt_stmt_reset(s);
	rc = incident_fts_incident(db, *id, f.title,
				   f.description ? f.description : "", NULL,
				   NULL, d);
	if (rc == 0)
		rc = set_orgs(db, *id, &f, d);
	json_array_foreach (f.observables, i, it) {
		char field[48];

		if (rc < 0)
			break;
		snprintf(field, sizeof(field), "observables[%zu]", i);
		rc = incident_observable_put(db, *id, it, field, d);
	}
	if (rc == 0)
		rc = cirt_playbook_apply(db, *id, f.cls->cls, f.cls->type,
					 f.reported_at, pb, d);
	if (rc == 0)
		rc = incident_event(db, *id, env->actor, "created", d);
	if (rc == 0) {
		memset(&row, 0, sizeof(row));
		row.id = *id;
		snprintf(row.ref, sizeof(row.ref), "%s", ref);
		rc = incident_audit(
			db, env->actor, &row, "incident.create",
			json_pack("{s:s, s:s, s:s:s, s:s, s:s, s:s}", "uuid",
				  uuid, "class", f.cls->cls, "type",
				  f.cls->type, "severity",
				  cirt_severity_name(f.severity), "tlp",
				  cirt_tlp_name(f.tlp), "playbook", pb,
				  "source", source ? source : ""),
			d);
	}
	return rc;
}

static int get_json(struct cirt_db *db, const struct cirt_incident_env *env,
		    const char *ref, json_t **out, struct cirt_diag *d)
{
	struct incident_view v;
	struct incident_row row;
	int rc;

	incident_view_of(env, &v);
	rc = incident_find(db, &v, ref, &row, d);
	if (rc == 0)
		rc = incident_json(db, &v, &row, true, NULL, out, d);
	incident_row_release(&row);
	return rc;
}

int cirt_incident_create(struct cirt_db *db,
			 const struct cirt_incident_env *env, json_t *body,
			 json_t **out, struct cirt_diag *d)
{
	char ref[CIRT_INCIDENT_REF_MAX + 1];
	int64_t id;
	int rc;

	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	rc = incident_insert(db, env, body, NULL, &id, ref, d);
	rc = cirt_db_end(db, rc, d);
	if (rc == 0 && out)
		rc = get_json(db, env, ref, out, d);
	return rc;
}

int cirt_incident_get(struct cirt_db *db, const struct cirt_incident_env *env,
		      const char *ref, json_t **out, struct cirt_diag *d)
{
	return get_json(db, env, ref, out, d);
}

static int has_duplicate_of(struct cirt_db *db, int64_t id, bool *yes,
			    struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_has_dup, d);
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, id);
	rc = cirt_stmt_step(s, d);
	if (rc < 0)
		return rc;
	*yes = rc == CIRT_DB_ROW;
	cirt_stmt_reset(s);
	return 0;
}

static int bad_move(struct cirt_diag *d, int from, int to)
{
	char list[256];
	size_t at = 0;

	list[0] = '\0';
	for (int i = 0; i < ST_COUNT; i++)
		if (moves[from] & B(i))
			at += (size_t)snprintf(list + at, sizeof(list) - at,
					       "%s%s", at ? ", " : "",
					       status_names[i]);
	return cirt_diag_set(d, -CIRT_ECONFLICT, "status",
			     "cannot move from %s to %s; allowed: %s",
			     status_names[from], status_names[to], list);
}

/* The duplicate-of relation of an update, inside its transaction. */
static int relate_duplicate(struct cirt_db *db, const struct incident_view *v,
			    const struct incident_row *row, const char *other,
			    struct cirt_diag *d)
{
	struct incident_row o;
	int rc = incident_find(db, v, other, &o, d);

	if (rc < 0)
		return cirt_diag_set(d, rc, "duplicate_of",
				     "duplicate_of: no incident '%.64s'",
				     other);
	if (o.id == row->id)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "duplicate_of",
				   "an incident cannot duplicate itself");
	else
		rc = incident_relation_put(db, row->id, "duplicate-of", o.id,
					   d);
	incident_row_release(&o);
	return rc;
}

static int update_in_tx(struct cirt_db *db, const struct cirt_incident_env *env,
			const struct incident_view *v, struct incident_row *r,
			int64_t version, json_t *body, struct cirt_diag *d)
{
	int64_t now = cirt_time_now_us();
	const char *dup = NULL;
	struct cirt_stmt *s;
	struct fields f;
	int status, rc;
	int64_t reporter_org = 0;
	char event[128];

	rc = read_fields(db, body, false, &f, d);
	if (rc == 0)
		rc = cirt_json_get_str(body, "duplicate_of", false, &dup, NULL,
				       d);
	if (rc < 0)
		return rc;
	if (version >= 0 && version != r->version)
		return cirt_diag_set(d, -CIRT_ECONFLICT, "version",
				     "incident %s is at version %lld, not "
				     "%lld: read it again",
				     r->ref, (long long)r->version,
				     (long long)version);
	status = r->status;
	event[0] = '\0';
	if (f.status >= 0 && f.status != r->status) {
		bool has_dup = dup != NULL;

		if (!(moves[r->status] & B(f.status)))
			return bad_move(d, r->status, f.status);
		if (f.status == ST_DUPLICATE && !has_dup) {
			rc = has_duplicate_of(db, r->id, &has_dup, d);
			if (rc < 0)
				return rc;
			if (!has_dup)
				return cirt_diag_set(
					d, -CIRT_EINVAL, "duplicate_of",
					"status duplicate needs duplicate_of: "
					"the incident this one duplicates");
		}
		status = f.status;
		snprintf(event, sizeof(event), "status: %s -> %s",
			 status_names[r->status], status_names[status]);
		if (r->status == ST_NEW && r->acknowledged_at == 0)
			r->acknowledged_at = now;
		if (status == ST_RESOLVED || status == ST_REJECTED ||
		    status == ST_DUPLICATE) {
			r->resolved_at = now;
		} else if (status == ST_CLOSED) {
			if (r->resolved_at == 0)
				r->resolved_at = now;
			r->closed_at = now;
		} else {
			r->resolved_at = 0;
			r->closed_at = 0;
		}
	}
	if (dup) {
		rc = relate_duplicate(db, v, r, dup, d);
		if (rc < 0)
			return rc;
	}
	if (f.reporter == NULL) {
		s = cirt_db_stmt(db, &q_reporter_org, d);
		if (s == NULL)
			return d ? d->code : -CIRT_EIO;
		cirt_stmt_bind_i64(s, 1, r->id);
		rc = cirt_stmt_step(s, d);
		if (rc < 0)
			return rc;
		reporter_org = cirt_stmt_i64(s, 0);
		cirt_stmt_reset(s);
	} else {
		reporter_org = f.reporter_org;
	}
	s = cirt_db_stmt(db, &q_update, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	if (f.title)
		cirt_stmt_bind_text(s, 1, f.title, f.title_len);
	else
		cirt_stmt_bind_str(s, 1, r->title);
	if (f.description)
		cirt_stmt_bind_text(s, 2, f.description, f.description_len);
	else
		cirt_stmt_bind_str(s, 2, r->description);
	cirt_stmt_bind_str(s, 3, f.cls ? f.cls->cls : r->cls);
	cirt_stmt_bind_str(s, 4, f.cls ? f.cls->type : r->type);
	cirt_stmt_bind_i64(s, 5, f.severity >= 0 ? f.severity : r->severity);
	cirt_stmt_bind_str(s, 6, f.impact ? f.impact : r->impact);
	cirt_stmt_bind_i64(s, 7, f.tlp != CIRT_TLP_NONE ? f.tlp : r->tlp);
	cirt_stmt_bind_str(s, 8, status_names[status]);
	cirt_stmt_bind_str(s, 9,
			   f.reporter ? f.reporter_kind : r->reporter_kind);
	cirt_stmt_bind_str(s, 10, f.reporter ? f.reporter : r->reporter);
	bind_opt_id(s, 11, reporter_org);
	bind_opt_id(s, 12, f.has_assignee ? f.assignee : r->assignee_id);
	bind_opt_time(s, 13, r->acknowledged_at);
	bind_opt_time(s, 14, r->resolved_at);
	bind_opt_time(s, 15, r->closed_at);
	cirt_stmt_bind_i64(s, 16, now);
	cirt_stmt_bind_i64(s, 17, r->id);
	cirt_stmt_bind_i64(s, 18, r->version);
	rc = cirt_stmt_exec(s, d);
	if (rc < 0)
		return rc;
	if (cirt_stmt_changes(s) != 1)
		return cirt_diag_set(d, -CIRT_ECONFLICT, "version",
				     "incident %s changed meanwhile: read it "
				     "again",
				     r->ref);
	if (f.title || f.description)
		rc = incident_fts_incident(
			db, r->id, f.title ? f.title : r->title,
			f.description ? f.description : r->description,
			r->title, r->description, d);
	if (rc == 0 && f.has_constituents)
		rc = set_orgs(db, r->id, &f, d);
	if (rc == 0 && event[0])
		rc = incident_event(db, r->id, env->actor, event, d);
	if (rc == 0 && f.has_assignee && f.assignee != r->assignee_id) {
		struct cirt_user u;

		snprintf(event, sizeof(event), "unassigned");
		if (f.assignee &&
		    cirt_user_get(db,
				  json_string_value(
					  json_object_get(body, "assignee")),
				  &u, NULL) == 0)
			snprintf(event, sizeof(event), "assigned to %s",
				 u.name);
		rc = incident_event(db, r->id, env->actor, event, d);
	}
	if (rc == 0) {
		json_t *detail = json_deep_copy(body);

		json_object_del(detail, "description");
		json_object_set_new(detail, "version",
				    json_integer(r->version + 1));
		rc = incident_audit(db, env->actor, r, "incident.update",
				    detail, d);
	}
	return rc;
}

int cirt_incident_update(struct cirt_db *db,
			 const struct cirt_incident_env *env, const char *ref,
			 int64_t version, json_t *body, json_t **out,
			 struct cirt_diag *d)
{
	struct incident_view v;
	struct incident_row row;
	int rc;

	incident_view_of(env, &v);
	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	rc = incident_find(db, &v, ref, &row, d);
	if (rc == 0)
		rc = update_in_tx(db, env, &v, &row, version, body, d);
	incident_row_release(&row);
	rc = cirt_db_end(db, rc, d);
	if (rc == 0 && out)
		rc = get_json(db, env, ref, out, d);
	return rc;
}

int cirt_incident_ack(struct cirt_db *db, const struct cirt_incident_env *env,
		      const char *ref, json_t **out, struct cirt_diag *d)
{
	int64_t now = cirt_time_now_us();
	struct incident_view v;
	struct incident_row row;
	struct cirt_stmt *s;
	int rc;

	incident_view_of(env, &v);
	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	rc = incident_find(db, &v, ref, &row, d);
	if (rc == 0) {
		s = cirt_db_stmt(db, v.team ? &q_ack : &q_org_ack, d);
		rc = s ? 0 : (d ? d->code : -CIRT_EIO);
	}
	if (rc == 0) {
		cirt_stmt_bind_i64(s, 1, now);
		if (v.team) {
			cirt_stmt_bind_i64(s, 2, now);
			cirt_stmt_bind_i64(s, 3, row.id);
		} else {
			cirt_stmt_bind_i64(s, 2, row.id);
			cirt_stmt_bind_i64(s, 3, v.org);
		}
		rc = cirt_stmt_exec(s, d);
	}
	/* Acknowledged already: nothing to do, nothing to audit. */
	if (rc == 0 && cirt_stmt_changes(s) == 1) {
		char text[CIRT_ORG_NAME_MAX + 32];

		snprintf(text, sizeof(text), "acknowledged by %s",
			 v.team ? "the team" : env->p->org);
		if (!v.team)
			rc = incident_touch(db, row.id, now, d);
		if (rc == 0)
			rc = incident_event(db, row.id, env->actor, text, d);
		if (rc == 0)
			rc = incident_audit(
				db, env->actor, &row, "incident.ack",
				json_pack("{s:s}", "by",
					  v.team ? "team" : env->p->org),
				d);
	}
	incident_row_release(&row);
	rc = cirt_db_end(db, rc, d);
	if (rc == 0 && out)
		rc = get_json(db, env, ref, out, d);
	return rc;
}

void cirt_incident_filter_init(struct cirt_incident_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->severity = -1;
	f->limit = 100;
}

/* Turn a search text into an FTS5 query of quoted words (every word must
 * occur): nothing the user types is FTS5 syntax. */
static int fts_words(const char *in, char *out, size_t size,
		     struct cirt_diag *d)
{
	size_t at = 0, n = strlen(in);
	bool word = false;

	if (n < 1 || n > CIRT_INCIDENT_SEARCH_MAX ||
	    cirt_text_check_line(in, n, 1, CIRT_INCIDENT_SEARCH_MAX, "q",
				 NULL) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "q",
				     "q must be 1 to %d bytes of text on one "
				     "line",
				     CIRT_INCIDENT_SEARCH_MAX);
	for (size_t i = 0; i < n && at + 4 < size; i++) {
		unsigned char c = (unsigned char)in[i];
		bool part = c >= 0x80 || (c >= '0' && c <= '9') ||
			    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

		if (part && !word) {
			if (at)
				out[at++] = ' ';
			out[at++] = '"';
		} else if (!part && word) {
			out[at++] = '"';
		}
		word = part;
		if (part)
			out[at++] = (char)c;
	}
	if (word)
		out[at++] = '"';
	out[at] = '\0';
	if (at == 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "q",
				     "q must contain a word");
	return 0;
}

int cirt_incident_filter_set(struct cirt_db *db, struct cirt_incident_filter *f,
			     const char *key, const char *value,
			     struct cirt_diag *d)
{
	const char *why = NULL;

	if (strcmp(key, "status") == 0) {
		char one[32];
		const char *p = value;

		f->statuses = 0;
		while (*p) {
			size_t n = strcspn(p, ",");
			int st;

			snprintf(one, sizeof(one), "%.*s",
				 (int)(n < 31 ? n : 31), p);
			st = incident_status_parse(one);
			if (st < 0 || n > 31)
				return bad_enum(d, "status", status_names,
						ST_COUNT);
			f->statuses |= B(st);
			p += n + (p[n] == ',');
		}
		return f->statuses
			       ? 0
			       : bad_enum(d, "status", status_names, ST_COUNT);
	}
	if (strcmp(key, "class") == 0) {
		const struct cirt_taxonomy_type *t;

		if (strchr(value, ':') == NULL) {
			if (!cirt_taxonomy_is_class(value))
				return cirt_diag_set(d, -CIRT_EINVAL, "class",
						     "'%.64s' is not a class "
						     "of the taxonomy",
						     value);
			snprintf(f->cls, sizeof(f->cls), "%s", value);
			f->type[0] = '\0';
			return 0;
		}
		if (cirt_taxonomy_parse(value, "class", &t, d) < 0)
			return -CIRT_EINVAL;
		snprintf(f->cls, sizeof(f->cls), "%s", t->cls);
		snprintf(f->type, sizeof(f->type), "%s", t->type);
		return 0;
	}
	if (strcmp(key, "severity") == 0) {
		if (cirt_severity_parse(value, &f->severity) < 0)
			return cirt_diag_set(d, -CIRT_EINVAL, "severity",
					     "severity must be low, medium, "
					     "high or critical");
		return 0;
	}
	if (strcmp(key, "constituent") == 0) {
		struct cirt_org o;

		if (cirt_org_get(db, value, &o, NULL) < 0)
			return cirt_diag_set(d, -CIRT_EINVAL, "constituent",
					     "no organisation named '%.64s'",
					     value);
		f->org_id = o.id;
		return 0;
	}
	if (strcmp(key, "assignee") == 0) {
		struct cirt_user u;

		if (strcmp(value, "none") == 0) {
			f->assignee = -1;
			return 0;
		}
		if (cirt_user_get(db, value, &u, NULL) < 0)
			return cirt_diag_set(d, -CIRT_EINVAL, "assignee",
					     "no user named '%.64s'", value);
		f->assignee = u.id;
		return 0;
	}
	if (strcmp(key, "from") == 0 || strcmp(key, "to") == 0) {
		int64_t *t = key[0] == 'f' ? &f->from : &f->to;

		if (cirt_time_parse_day(value, t, &why) < 0)
			return cirt_diag_set(d, -CIRT_EINVAL, key,
					     "%s must be a date YYYY-MM-DD or "
					     "an RFC 3339 timestamp",
					     key);
		if (*t == 0)
			*t = 1; /* the epoch itself: not "open" */
		return 0;
	}
	if (strcmp(key, "q") == 0)
		return fts_words(value, f->q, sizeof(f->q), d);
	if (strcmp(key, "sla") == 0) {
		if (strcmp(value, "due") != 0)
			return cirt_diag_set(d, -CIRT_EINVAL, "sla",
					     "sla must be 'due'");
		f->sla = 1;
		return 0;
	}
	if (strcmp(key, "within") == 0) {
		char *end;
		long long m = strtoll(value, &end, 10);

		if (*value == '\0' || *end || m < 0 || m > 525600)
			return cirt_diag_set(d, -CIRT_EINVAL, "within",
					     "within must be 0 to 525600 "
					     "minutes");
		f->sla_within = (int64_t)m * 60000000;
		return 0;
	}
	return -CIRT_ENOTFOUND;
}

int cirt_incident_list(struct cirt_db *db, const struct cirt_incident_env *env,
		       const struct cirt_incident_filter *f,
		       cirt_incident_fn fn, void *arg, struct cirt_diag *d)
{
	char statuses[160] = "";
	struct cirt_sla_target targets[CIRT_SEVERITY_COUNT];
	struct incident_row *rows;
	struct incident_view v;
	struct cirt_stmt *s;
	int64_t due = cirt_time_now_us() + f->sla_within, got = 0;
	int n = 0, rc;

	incident_view_of(env, &v);
	if (v.ceiling == CIRT_TLP_NONE)
		return 0;
	if (f->statuses) {
		size_t at = 1;

		statuses[0] = ',';
		for (int i = 0; i < ST_COUNT; i++)
			if (f->statuses & B(i))
				at += (size_t)snprintf(statuses + at,
						       sizeof(statuses) - at,
						       "%s,", status_names[i]);
	}
	rc = cirt_sla_targets(db, targets, d);
	if (rc < 0)
		return rc;
	s = cirt_db_stmt(db, f->q[0] ? &q_search : &q_list, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, ++n, f->before > 0 ? f->before : INT64_MAX);
	bind_view(s, ++n, &v);
	n += 2;
	cirt_stmt_bind_str(s, ++n, statuses);
	cirt_stmt_bind_str(s, ++n, statuses);
	cirt_stmt_bind_str(s, ++n, f->cls);
	cirt_stmt_bind_str(s, ++n, f->cls);
	cirt_stmt_bind_str(s, ++n, f->type);
	cirt_stmt_bind_str(s, ++n, f->type);
	cirt_stmt_bind_i64(s, ++n, f->severity);
	cirt_stmt_bind_i64(s, ++n, f->severity);
	cirt_stmt_bind_i64(s, ++n, f->org_id);
	cirt_stmt_bind_i64(s, ++n, f->org_id);
	cirt_stmt_bind_i64(s, ++n, f->assignee);
	cirt_stmt_bind_i64(s, ++n, f->assignee);
	cirt_stmt_bind_i64(s, ++n, f->assignee);
	cirt_stmt_bind_i64(s, ++n, f->from);
	cirt_stmt_bind_i64(s, ++n, f->from);
	cirt_stmt_bind_i64(s, ++n, f->to);
	cirt_stmt_bind_i64(s, ++n, f->to);
	cirt_stmt_bind_i64(s, ++n, f->sla);
	cirt_stmt_bind_i64(s, ++n, due);
	cirt_stmt_bind_i64(s, ++n, due);
	if (f->q[0]) {
		cirt_stmt_bind_str(s, ++n, f->q);
		cirt_stmt_bind_str(s, ++n, f->q);
		cirt_stmt_bind_i64(s, ++n, v.team);
	}
	cirt_stmt_bind_i64(s, ++n, f->limit);
	/* The page is read whole before each item's own queries run on the
	 * same connection. */
	rows = cirt_xcalloc((size_t)f->limit + 1, sizeof(*rows));
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW && got < f->limit)
		read_row(s, &rows[got++]);
	if (rc == CIRT_DB_ROW)
		cirt_stmt_reset(s);
	rc = rc < 0 ? rc : 0;
	for (int64_t i = 0; i < got; i++) {
		json_t *item;

		if (rc == 0)
			rc = incident_json(db, &v, &rows[i], false, targets,
					   &item, d);
		if (rc == 0)
			rc = fn(rows[i].id, item, arg);
		incident_row_release(&rows[i]);
	}
	free(rows);
	return rc;
}
