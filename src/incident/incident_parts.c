/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The parts of an incident beside its own fields: the timeline, tasks,
 * relations to other incidents, observables, links to STIX objects and
 * evidence files. See incident/incident.h. Each change finds the incident
 * as the caller may see it, changes it, bumps its version and writes its
 * audit entry, in one transaction.
 */
#include <stdio.h>
#include <string.h>

#include "account/user.h"
#include "core/crypto.h"
#include "core/json.h"
#include "core/text.h"
#include "core/time.h"
#include "incident/incident_int.h"
#include "stix/stix_id.h"
#include "core/banned.h"

static const struct cirt_sql q_timeline = {
	"SELECT id, kind, author, counterpart, body, at FROM "
	"incident_timeline WHERE incident_id = ? AND id > ? AND "
	"(CAST(? AS BIGINT) = 1 OR kind IN ('comment', 'event')) "
	"ORDER BY id LIMIT ?",
	NULL};
static const struct cirt_sql q_task_add = {
	"INSERT INTO incident_tasks (incident_id, title, owner_id, due_at, "
	"created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
	NULL};
static const struct cirt_sql q_task_get = {
	"SELECT t.id, t.title, t.owner_id, t.due_at, t.done_at, "
	"COALESCE(u.name, ''), t.playbook FROM incident_tasks t LEFT JOIN "
	"users u ON u.id = t.owner_id WHERE t.id = ? AND t.incident_id = ?",
	NULL};
static const struct cirt_sql q_task_set = {
	"UPDATE incident_tasks SET title = ?, owner_id = ?, due_at = ?, "
	"done_at = ? WHERE id = ?",
	NULL};
static const struct cirt_sql q_unrelate = {
	"DELETE FROM incident_relations WHERE incident_id = ? AND "
	"relation = ? AND other_id = ?",
	NULL};
static const struct cirt_sql q_stix_exists = {
	"SELECT 1 FROM stix_objects WHERE stix_id = ? LIMIT 1", NULL};
static const struct cirt_sql q_link = {
	"INSERT INTO incident_stix (incident_id, stix_id, created_at) "
	"VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
	NULL};
static const struct cirt_sql q_unlink = {
	"DELETE FROM incident_stix WHERE incident_id = ? AND stix_id = ?",
	NULL};
static const struct cirt_sql q_blob_put = {
	"INSERT INTO evidence_blobs (sha256, size, data) VALUES (?, ?, ?) "
	"ON CONFLICT (sha256) DO NOTHING",
	NULL};
static const struct cirt_sql q_evidence_put = {
	"INSERT INTO incident_evidence (incident_id, sha256, name, "
	"media_type, size, added_by, created_at) VALUES (?, ?, ?, ?, ?, ?, "
	"?) ON CONFLICT (incident_id, sha256) DO NOTHING",
	NULL};
static const struct cirt_sql q_evidence_list = {
	"SELECT sha256, name, media_type, size, added_by, created_at FROM "
	"incident_evidence WHERE incident_id = ? ORDER BY created_at, sha256",
	NULL};
static const struct cirt_sql q_evidence_get = {
	"SELECT e.name, e.media_type, b.data FROM incident_evidence e JOIN "
	"evidence_blobs b ON b.sha256 = e.sha256 WHERE e.incident_id = ? "
	"AND e.sha256 = ?",
	NULL};

static const char *const kinds[] = {"note", "comment", "in", "out"};
static const char *const relations[] = {"duplicate-of", "merged-into",
					"split-from", "related-to"};

static int one_of(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static int stmt_err(struct cirt_diag *d)
{
	return d && d->code ? d->code : -CIRT_EIO;
}

/* Begin, find ref as env may see it, and check that env's caller may
 * change it (team) or only comment (constituent, when comment_ok). */
static int open_change(struct cirt_db *db, const struct cirt_incident_env *env,
		       const char *ref, struct incident_view *v,
		       struct incident_row *row, struct cirt_diag *d)
{
	int rc;

	incident_view_of(env, v);
	memset(row, 0, sizeof(*row));
	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	rc = incident_find(db, v, ref, row, d);
	if (rc < 0)
		cirt_db_rollback(db);
	return rc;
}

/* Finish a change: bump the version, audit, commit or roll back. */
static int close_change(struct cirt_db *db, const struct cirt_incident_env *env,
			struct incident_row *row, int rc, const char *action,
			json_t *detail, struct cirt_diag *d)
{
	if (rc == 0)
		rc = incident_touch(db, row->id, cirt_time_now_us(), d);
	if (rc == 0)
		rc = incident_audit(db, env->actor, row, action, detail, d);
	else
		json_decref(detail);
	incident_row_release(row);
	return cirt_db_end(db, rc, d);
}

static json_t *entry_json(int64_t id, const char *kind, const char *author,
			  const char *counterpart, const char *body, int64_t at)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)id,
			 "kind", kind, "author", author, "counterpart",
			 counterpart, "body", body, "at", cirt_json_time(at));
}

int cirt_incident_timeline_add(struct cirt_db *db,
			       const struct cirt_incident_env *env,
			       const char *ref, json_t *body, json_t **out,
			       struct cirt_diag *d)
{
	static const char *const keys[] = {"kind", "body", "counterpart"};
	const char *kind = NULL, *text, *who = "";
	size_t len, wlen = 0;
	struct incident_view v;
	struct incident_row row;
	int64_t now = cirt_time_now_us(), id = 0;
	int rc;

	rc = cirt_json_only(body, keys, 3, d);
	if (rc == 0)
		rc = cirt_json_get_str(body, "kind", false, &kind, NULL, d);
	if (rc == 0)
		rc = cirt_json_get_str(body, "body", true, &text, &len, d);
	if (rc == 0)
		rc = cirt_json_get_str(body, "counterpart", false, &who, &wlen,
				       d);
	if (rc < 0)
		return rc;
	if (kind == NULL)
		kind = "note";
	if (who == NULL)
		who = "";
	if (one_of(kind, kinds, 4) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "kind",
				     "kind must be note, comment, in or out");
	rc = len ? cirt_text_check_block(text, len, CIRT_INCIDENT_TEXT_MAX,
					 "body", d)
		 : cirt_diag_set(d, -CIRT_EINVAL, "body",
				 "body must not be empty");
	if (rc == 0 && wlen)
		rc = cirt_text_check_line(who, wlen, 1, 256, "counterpart", d);
	if (rc < 0)
		return rc;
	rc = open_change(db, env, ref, &v, &row, d);
	if (rc < 0)
		return rc;
	if (!v.team && strcmp(kind, "comment") != 0)
		rc = cirt_diag_set(d, -CIRT_EPERM, "kind",
				   "constituents may only add comments");
	if (rc == 0)
		rc = incident_entry_add(db, row.id, kind, env->actor->name, who,
					wlen, text, len, now, &id, d);
	rc = close_change(
		db, env, &row, rc, "incident.timeline",
		json_pack("{s:I, s:s}", "entry", (json_int_t)id, "kind", kind),
		d);
	if (rc == 0 && out)
		*out = json_pack("{s:I, s:s, s:s, s:s%, s:s%, s:o}", "id",
				 (json_int_t)id, "kind", kind, "author",
				 env->actor->name, "counterpart", who, wlen,
				 "body", text, len, "at", cirt_json_time(now));
	return rc;
}

int cirt_incident_timeline(struct cirt_db *db,
			   const struct cirt_incident_env *env, const char *ref,
			   int64_t after, int64_t limit, cirt_incident_fn fn,
			   void *arg, struct cirt_diag *d)
{
	struct incident_view v;
	struct cirt_stmt *s;
	int64_t id;
	int rc;

	rc = incident_find_id(db, env, ref, &v, &id, d);
	if (rc < 0)
		return rc;
	s = cirt_db_stmt(db, &q_timeline, d);
	if (s == NULL)
		return stmt_err(d);
	cirt_stmt_bind_i64(s, 1, id);
	cirt_stmt_bind_i64(s, 2, after);
	cirt_stmt_bind_i64(s, 3, v.team);
	cirt_stmt_bind_i64(s, 4, limit);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		int64_t entry = cirt_stmt_i64(s, 0);

		rc = fn(entry,
			entry_json(entry, cirt_stmt_text(s, 1),
				   cirt_stmt_text(s, 2), cirt_stmt_text(s, 3),
				   cirt_stmt_text(s, 4), cirt_stmt_i64(s, 5)),
			arg);
		if (rc < 0) {
			cirt_stmt_reset(s);
			return rc;
		}
	}
	return rc < 0 ? rc : 0;
}

/* A task's owner: a user of the team (null clears). */
static int task_owner(struct cirt_db *db, json_t *v, int64_t *out,
		      struct cirt_diag *d)
{
	struct cirt_user u;

	if (json_is_null(v)) {
		*out = 0;
		return 0;
	}
	if (!json_is_string(v) ||
	    cirt_user_get(db, json_string_value(v), &u, NULL) < 0 ||
	    u.org_kind != CIRT_ORG_TEAM)
		return cirt_diag_set(d, -CIRT_EINVAL, "owner",
				     "owner must be a user of the team, or "
				     "null");
	*out = u.id;
	return 0;
}

static int task_due(json_t *v, int64_t *out, struct cirt_diag *d)
{
	const char *why = NULL;

	if (json_is_null(v)) {
		*out = 0;
		return 0;
	}
	if (!json_is_string(v) ||
	    cirt_time_parse_day(json_string_value(v), out, &why) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "due",
				     "due must be a date YYYY-MM-DD or an RFC "
				     "3339 timestamp, or null");
	return 0;
}

struct task {
	int64_t id;
	const char *title;
	size_t title_len;
	int64_t owner, due, done;
};

static int task_fields(struct cirt_db *db, json_t *body, bool create,
		       struct task *t, struct cirt_diag *d)
{
	static const char *const add_keys[] = {"title", "owner", "due"};
	static const char *const set_keys[] = {"title", "owner", "due", "done"};
	const char *title = NULL;
	bool done, present = false;
	size_t title_len = 0;
	json_t *v;
	int rc;

	rc = create ? cirt_json_only(body, add_keys, 3, d)
		    : cirt_json_only(body, set_keys, 4, d);
	if (rc == 0)
		rc = cirt_json_get_str(body, "title", create, &title,
				       &title_len, d);
	if (rc == 0 && title) {
		t->title = title;
		t->title_len = title_len;
		rc = cirt_text_check_line(title, t->title_len, 1, 200, "title",
					  d);
	}
	if (rc == 0 && (v = json_object_get(body, "owner")) != NULL)
		rc = task_owner(db, v, &t->owner, d);
	if (rc == 0 && (v = json_object_get(body, "due")) != NULL)
		rc = task_due(v, &t->due, d);
	if (rc == 0 && !create)
		rc = cirt_json_get_bool(body, "done", &done, &present, d);
	if (rc == 0 && present)
		t->done = done ? (t->done ? t->done : cirt_time_now_us()) : 0;
	return rc;
}

static json_t *task_json(const struct task *t, const char *owner,
			 const char *playbook)
{
	return json_pack(
		"{s:I, s:s%, s:o, s:o, s:b, s:o, s:s}", "id", (json_int_t)t->id,
		"title", t->title, t->title_len, "owner",
		owner && *owner ? json_string(owner) : json_null(), "due",
		cirt_json_time(t->due), "done", t->done != 0, "done_at",
		cirt_json_time(t->done), "playbook", playbook);
}

static void bind_opt(struct cirt_stmt *s, int i, int64_t v)
{
	if (v)
		cirt_stmt_bind_i64(s, i, v);
	else
		cirt_stmt_bind_null(s, i);
}

int cirt_incident_task_add(struct cirt_db *db,
			   const struct cirt_incident_env *env, const char *ref,
			   json_t *body, json_t **out, struct cirt_diag *d)
{
	struct incident_view v;
	struct incident_row row;
	struct cirt_stmt *s;
	struct task t;
	int rc;

	memset(&t, 0, sizeof(t));
	rc = task_fields(db, body, true, &t, d);
	if (rc < 0)
		return rc;
	rc = open_change(db, env, ref, &v, &row, d);
	if (rc < 0)
		return rc;
	s = cirt_db_stmt(db, &q_task_add, d);
	if (s == NULL)
		rc = stmt_err(d);
	if (rc == 0) {
		cirt_stmt_bind_i64(s, 1, row.id);
		cirt_stmt_bind_text(s, 2, t.title, t.title_len);
		bind_opt(s, 3, t.owner);
		bind_opt(s, 4, t.due);
		cirt_stmt_bind_i64(s, 5, cirt_time_now_us());
		rc = cirt_stmt_step(s, d);
		if (rc == CIRT_DB_ROW) {
			t.id = cirt_stmt_i64(s, 0);
			cirt_stmt_reset(s);
			rc = 0;
		} else if (rc == CIRT_DB_DONE) {
			rc = -CIRT_EINTERNAL;
		}
	}
	rc = close_change(db, env, &row, rc, "incident.task.add",
			  json_pack("{s:I}", "task", (json_int_t)t.id), d);
	if (rc == 0 && out)
		*out = task_json(
			&t, json_string_value(json_object_get(body, "owner")),
			"");
	return rc;
}

int cirt_incident_task_update(struct cirt_db *db,
			      const struct cirt_incident_env *env,
			      const char *ref, int64_t task, json_t *body,
			      json_t **out, struct cirt_diag *d)
{
	char title[256], owner[CIRT_USER_NAME_MAX + 1], playbook[65];
	struct incident_view v;
	struct incident_row row;
	struct cirt_stmt *s;
	struct task t;
	int rc;

	rc = open_change(db, env, ref, &v, &row, d);
	if (rc < 0)
		return rc;
	s = cirt_db_stmt(db, &q_task_get, d);
	if (s == NULL)
		rc = stmt_err(d);
	if (rc == 0) {
		cirt_stmt_bind_i64(s, 1, task);
		cirt_stmt_bind_i64(s, 2, row.id);
		rc = cirt_stmt_step(s, d);
		if (rc == CIRT_DB_DONE)
			rc = cirt_diag_set(d, -CIRT_ENOTFOUND, "task",
					   "incident %s has no task %lld",
					   row.ref, (long long)task);
	}
	if (rc == CIRT_DB_ROW) {
		memset(&t, 0, sizeof(t));
		t.id = task;
		snprintf(title, sizeof(title), "%s", cirt_stmt_text(s, 1));
		t.title = title;
		t.title_len = strlen(title);
		t.owner = cirt_stmt_i64(s, 2);
		t.due = cirt_stmt_i64(s, 3);
		t.done = cirt_stmt_i64(s, 4);
		snprintf(owner, sizeof(owner), "%s", cirt_stmt_text(s, 5));
		snprintf(playbook, sizeof(playbook), "%s",
			 cirt_stmt_text(s, 6));
		cirt_stmt_reset(s);
		rc = task_fields(db, body, false, &t, d);
	}
	if (rc == 0) {
		s = cirt_db_stmt(db, &q_task_set, d);
		if (s == NULL)
			rc = stmt_err(d);
	}
	if (rc == 0) {
		cirt_stmt_bind_text(s, 1, t.title, t.title_len);
		bind_opt(s, 2, t.owner);
		bind_opt(s, 3, t.due);
		bind_opt(s, 4, t.done);
		cirt_stmt_bind_i64(s, 5, task);
		rc = cirt_stmt_exec(s, d);
	}
	if (rc == 0 && json_object_get(body, "owner"))
		snprintf(owner, sizeof(owner), "%s",
			 json_is_string(json_object_get(body, "owner"))
				 ? json_string_value(
					   json_object_get(body, "owner"))
				 : "");
	rc = close_change(db, env, &row, rc, "incident.task.update",
			  json_pack("{s:I, s:O}", "task", (json_int_t)task,
				    "changes", body),
			  d);
	if (rc == 0 && out)
		*out = task_json(&t, owner, playbook);
	return rc;
}

int cirt_incident_relate(struct cirt_db *db,
			 const struct cirt_incident_env *env, const char *ref,
			 const char *relation, const char *other, bool remove,
			 struct cirt_diag *d)
{
	struct incident_view v;
	struct incident_row row, o;
	struct cirt_stmt *s;
	int rc;

	if (one_of(relation, relations, 4) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "relation",
				     "relation must be duplicate-of, "
				     "merged-into, split-from or related-to");
	rc = open_change(db, env, ref, &v, &row, d);
	if (rc < 0)
		return rc;
	memset(&o, 0, sizeof(o));
	rc = incident_find(db, &v, other, &o, d);
	if (rc < 0)
		rc = cirt_diag_set(d, rc, "incident", "no incident '%.64s'",
				   other);
	if (rc == 0 && o.id == row.id)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "incident",
				   "an incident cannot relate to itself");
	if (rc == 0 && !remove)
		rc = incident_relation_put(db, row.id, relation, o.id, d);
	s = rc == 0 && remove ? cirt_db_stmt(db, &q_unrelate, d) : NULL;
	if (rc == 0 && remove && s == NULL)
		rc = stmt_err(d);
	if (s) {
		cirt_stmt_bind_i64(s, 1, row.id);
		cirt_stmt_bind_str(s, 2, relation);
		cirt_stmt_bind_i64(s, 3, o.id);
		rc = cirt_stmt_exec(s, d);
	}
	if (rc == 0 && s && cirt_stmt_changes(s) == 0)
		rc = cirt_diag_set(d, -CIRT_ENOTFOUND, "relation",
				   "%s is not %s %s", row.ref, relation, o.ref);
	rc = close_change(db, env, &row, rc,
			  remove ? "incident.unrelate" : "incident.relate",
			  json_pack("{s:s, s:s}", "relation", relation,
				    "incident", o.ref),
			  d);
	incident_row_release(&o);
	return rc;
}

int cirt_incident_observable_add(struct cirt_db *db,
				 const struct cirt_incident_env *env,
				 const char *ref, json_t *body,
				 struct cirt_diag *d)
{
	struct incident_view v;
	struct incident_row row;
	int rc;

	rc = open_change(db, env, ref, &v, &row, d);
	if (rc < 0)
		return rc;
	rc = incident_observable_put(db, row.id, body, "observable", d);
	return close_change(db, env, &row, rc, "incident.observable",
			    json_deep_copy(body), d);
}

int cirt_incident_link(struct cirt_db *db, const struct cirt_incident_env *env,
		       const char *ref, const char *stix_id, bool remove,
		       struct cirt_diag *d)
{
	size_t n = strlen(stix_id), tl;
	struct incident_view v;
	struct incident_row row;
	struct cirt_stmt *s;
	int rc;

	if (!cirt_stix_id_valid(stix_id, n, &tl))
		return cirt_diag_set(d, -CIRT_EINVAL, "id",
				     "'%.80s' is not a STIX identifier",
				     stix_id);
	rc = open_change(db, env, ref, &v, &row, d);
	if (rc < 0)
		return rc;
	if (!remove) {
		s = cirt_db_stmt(db, &q_stix_exists, d);
		if (s == NULL)
			rc = stmt_err(d);
		if (rc == 0) {
			cirt_stmt_bind_str(s, 1, stix_id);
			rc = cirt_stmt_step(s, d);
			if (rc == CIRT_DB_DONE)
				rc = cirt_diag_set(d, -CIRT_EINVAL, "id",
						   "%s is not in the sharing "
						   "store",
						   stix_id);
			else if (rc == CIRT_DB_ROW) {
				cirt_stmt_reset(s);
				rc = 0;
			}
		}
	}
	s = rc == 0 ? cirt_db_stmt(db, remove ? &q_unlink : &q_link, d) : NULL;
	if (rc == 0 && s == NULL)
		rc = stmt_err(d);
	if (rc == 0) {
		cirt_stmt_bind_i64(s, 1, row.id);
		cirt_stmt_bind_str(s, 2, stix_id);
		if (!remove)
			cirt_stmt_bind_i64(s, 3, cirt_time_now_us());
		rc = cirt_stmt_exec(s, d);
	}
	if (rc == 0 && remove && cirt_stmt_changes(s) == 0)
		rc = cirt_diag_set(d, -CIRT_ENOTFOUND, "id",
				   "%s is not linked to %s", row.ref, stix_id);
	return close_change(db, env, &row, rc,
			    remove ? "incident.unlink" : "incident.link",
			    json_pack("{s:s}", "stix_id", stix_id), d);
}

static int check_name(const char *name, struct cirt_diag *d)
{
	int rc = cirt_text_check_line(name, strlen(name), 1, 255, "name", d);

	if (rc == 0 && strchr(name, '/'))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "name",
				   "name must be a file name, without '/'");
	return rc;
}

static int check_media_type(const char *t, struct cirt_diag *d)
{
	size_t n = strlen(t), slash = strcspn(t, "/");

	for (size_t i = 0; i < n; i++)
		if (!(t[i] > ' ' && t[i] < 0x7f &&
		      !strchr("()<>@,;:\\\"[]?={}", t[i])) &&
		    t[i] != '/')
			goto bad;
	if (n && n < 128 && slash > 0 && slash < n - 1 &&
	    strchr(t + slash + 1, '/') == NULL)
		return 0;
bad:
	return cirt_diag_set(d, -CIRT_EINVAL, "media_type",
			     "media_type must look like type/subtype");
}

static json_t *evidence_json(const char *sha, const char *name,
			     const char *media_type, int64_t size,
			     const char *by, int64_t at)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:s, s:o}", "sha256", sha,
			 "name", name, "media_type", media_type, "size",
			 (json_int_t)size, "added_by", by, "created_at",
			 cirt_json_time(at));
}

int cirt_incident_evidence_add(struct cirt_db *db,
			       const struct cirt_incident_env *env,
			       const char *ref, const char *name,
			       const char *media_type, const void *data,
			       size_t len, json_t **out, struct cirt_diag *d)
{
	char sha[CIRT_SHA256_HEX_LEN], type[128];
	struct incident_view v;
	struct incident_row row;
	struct cirt_stmt *s;
	int64_t now = cirt_time_now_us();
	int rc;

	if (media_type == NULL || *media_type == '\0')
		media_type = "application/octet-stream";
	/* The type without its parameters ("text/plain; charset=..."). */
	snprintf(type, sizeof(type), "%.*s", (int)strcspn(media_type, "; \t"),
		 media_type);
	rc = check_name(name, d);
	if (rc == 0 && strcspn(media_type, "; \t") >= sizeof(type))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "media_type",
				   "media_type must be under %zu bytes",
				   sizeof(type));
	if (rc == 0)
		rc = check_media_type(type, d);
	if (rc < 0)
		return rc;
	if (len > env->evidence_max)
		return cirt_diag_set(d, -CIRT_ELIMIT, "evidence",
				     "evidence files are at most %zu bytes "
				     "(evidence_max); this one has %zu",
				     env->evidence_max, len);
	cirt_sha256_hex(data, len, sha);
	rc = open_change(db, env, ref, &v, &row, d);
	if (rc < 0)
		return rc;
	s = cirt_db_stmt(db, &q_blob_put, d);
	if (s == NULL)
		rc = stmt_err(d);
	if (rc == 0) {
		cirt_stmt_bind_str(s, 1, sha);
		cirt_stmt_bind_i64(s, 2, (int64_t)len);
		cirt_stmt_bind_blob(s, 3, data, len);
		rc = cirt_stmt_exec(s, d);
	}
	if (rc == 0) {
		s = cirt_db_stmt(db, &q_evidence_put, d);
		if (s == NULL)
			rc = stmt_err(d);
	}
	if (rc == 0) {
		cirt_stmt_bind_i64(s, 1, row.id);
		cirt_stmt_bind_str(s, 2, sha);
		cirt_stmt_bind_str(s, 3, name);
		cirt_stmt_bind_str(s, 4, type);
		cirt_stmt_bind_i64(s, 5, (int64_t)len);
		cirt_stmt_bind_str(s, 6, env->actor->name);
		cirt_stmt_bind_i64(s, 7, now);
		rc = cirt_stmt_exec(s, d);
	}
	rc = close_change(db, env, &row, rc, "incident.evidence",
			  json_pack("{s:s, s:s, s:I}", "sha256", sha, "name",
				    name, "size", (json_int_t)len),
			  d);
	if (rc == 0 && out)
		*out = evidence_json(sha, name, type, (int64_t)len,
				     env->actor->name, now);
	return rc;
}

int cirt_incident_evidence_list(struct cirt_db *db,
				const struct cirt_incident_env *env,
				const char *ref, json_t **out,
				struct cirt_diag *d)
{
	struct incident_view v;
	struct cirt_stmt *s;
	int64_t id;
	int rc;

	rc = incident_find_id(db, env, ref, &v, &id, d);
	if (rc < 0)
		return rc;
	if (!v.team)
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "evidence",
				     "no evidence for %s", ref);
	s = cirt_db_stmt(db, &q_evidence_list, d);
	if (s == NULL)
		return stmt_err(d);
	cirt_stmt_bind_i64(s, 1, id);
	*out = json_array();
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW)
		json_array_append_new(*out, evidence_json(cirt_stmt_text(s, 0),
							  cirt_stmt_text(s, 1),
							  cirt_stmt_text(s, 2),
							  cirt_stmt_i64(s, 3),
							  cirt_stmt_text(s, 4),
							  cirt_stmt_i64(s, 5)));
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

int cirt_incident_evidence_get(struct cirt_db *db,
			       const struct cirt_incident_env *env,
			       const char *ref, const char *sha256,
			       struct cirt_buf *out, char media_type[128],
			       char name[256], struct cirt_diag *d)
{
	struct incident_view v;
	struct cirt_stmt *s;
	const void *bytes;
	int64_t id;
	size_t len;
	int rc;

	rc = incident_find_id(db, env, ref, &v, &id, d);
	if (rc < 0)
		return rc;
	s = v.team ? cirt_db_stmt(db, &q_evidence_get, d) : NULL;
	if (v.team && s == NULL)
		return stmt_err(d);
	if (s) {
		cirt_stmt_bind_i64(s, 1, id);
		cirt_stmt_bind_str(s, 2, sha256);
		rc = cirt_stmt_step(s, d);
		if (rc < 0)
			return rc;
	}
	if (s == NULL || rc == CIRT_DB_DONE)
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "evidence",
				     "%s has no evidence %.64s", ref, sha256);
	snprintf(name, 256, "%s", cirt_stmt_text(s, 0));
	snprintf(media_type, 128, "%s", cirt_stmt_text(s, 1));
	bytes = cirt_stmt_blob(s, 2, &len);
	rc = cirt_buf_add(out, bytes, len);
	cirt_stmt_reset(s);
	return rc < 0 ? cirt_diag_set(d, rc, "evidence", "evidence too large")
		      : 0;
}
