/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Playbooks: checking, storing and listing task templates, putting the
 * shipped ones (data/playbooks/NAME.json, compiled in as
 * cirt_playbook_files) in the store, and adding a playbook's tasks to a
 * new incident. See incident/playbook.h.
 *
 * Matching: a playbook lists "class:type" and "class" entries; an entry
 * belongs to at most one playbook (a second claim is -CIRT_ECONFLICT), so
 * an incident's class:type picks at most one playbook by its exact entry
 * and, failing that, at most one by its class.
 *
 * Seeding happens once per store: the audit entry "playbook.seed" that
 * records it is also the marker, so playbooks an admin deleted or changed
 * stay that way through later runs of `cirtkit init`.
 *
 * Layer: incident. Uses the caller's store connection; put, delete and
 * seed run their own transaction with their audit entry, apply runs in
 * the caller's.
 */
#include "incident/playbook.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/time.h"
#include "incident/taxonomy.h"
#include "core/banned.h"

#define NAME_MAX_LEN  64
#define TITLE_MAX     200
#define TASKS_MAX     100
#define CLASSES_MAX   64
#define DUE_HOURS_MAX 8760
#define HOUR_US	      (INT64_C(3600) * 1000000)
#define JSON_DEPTH    8

extern const struct cirt_embed_file cirt_playbook_files[];
extern const size_t cirt_playbook_files_count;

/* A checked playbook: canonical JSON of its classes and tasks. */
struct playbook {
	const char *title;
	char classes[CLASSES_MAX *
		     (CIRT_TAXONOMY_CLASS_MAX + CIRT_TAXONOMY_TYPE_MAX + 2)];
	json_t *tasks; /* [{"title", "due_hours"}] */
	size_t ntasks;
};

static const struct cirt_sql q_list = {
	"SELECT name, title, classes, tasks, updated_at FROM playbooks "
	"ORDER BY name",
	NULL};
static const struct cirt_sql q_get = {
	"SELECT name, title, classes, tasks, updated_at FROM playbooks "
	"WHERE name = ?",
	NULL};
static const struct cirt_sql q_upsert = {
	"INSERT INTO playbooks (name, title, classes, tasks, updated_at) "
	"VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
	"title = excluded.title, classes = excluded.classes, "
	"tasks = excluded.tasks, updated_at = excluded.updated_at",
	NULL};
static const struct cirt_sql q_seed = {
	"INSERT INTO playbooks (name, title, classes, tasks, updated_at) "
	"VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
	NULL};
static const struct cirt_sql q_delete = {"DELETE FROM playbooks WHERE name = ?",
					 NULL};
static const struct cirt_sql q_seeded = {
	"SELECT seq FROM audit WHERE action = 'playbook.seed' LIMIT 1", NULL};
static const struct cirt_sql q_add_task = {
	"INSERT INTO incident_tasks (incident_id, title, owner_id, due_at, "
	"done_at, playbook, created_at) VALUES (?, ?, NULL, ?, NULL, ?, ?)",
	NULL};

/* 1-64 of [a-z0-9-]. */
static int check_name(const char *name, struct cirt_diag *d)
{
	size_t n = strlen(name);

	if (n < 1 || n > NAME_MAX_LEN)
		return cirt_diag_set(d, -CIRT_EINVAL, "name",
				     "name must be 1 to %d characters of "
				     "a-z, 0-9 and '-'",
				     NAME_MAX_LEN);
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return cirt_diag_set(d, -CIRT_EINVAL, "name",
					     "name must be 1 to %d characters "
					     "of a-z, 0-9 and '-'",
					     NAME_MAX_LEN);
	}
	return 0;
}

/* True if the comma-separated list has entry e. */
static bool has_entry(const char *list, const char *e)
{
	size_t n = strlen(e);
	const char *p = list;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && memcmp(p, e, n) == 0)
			return true;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return false;
}

/* One entry of "classes": a class:type or a class, not listed twice. */
static int check_class(json_t *v, size_t i, struct playbook *pb,
		       struct cirt_diag *d)
{
	const char *s = json_string_value(v);
	char field[32];
	size_t used = strlen(pb->classes);

	snprintf(field, sizeof(field), "classes[%zu]", i);
	if (s == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s must be a string", field);
	if (strchr(s, ':') || !cirt_taxonomy_is_class(s)) {
		int rc = cirt_taxonomy_parse(s, field, NULL, d);

		if (rc < 0)
			return rc;
	}
	if (has_entry(pb->classes, s))
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s: '%s' is listed twice", field, s);
	snprintf(pb->classes + used, sizeof(pb->classes) - used, "%s%s",
		 used ? "," : "", s);
	return 0;
}

static int check_classes(json_t *a, struct playbook *pb, struct cirt_diag *d)
{
	json_t *v;
	size_t i;
	int rc;

	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > CLASSES_MAX)
		return cirt_diag_set(d, -CIRT_EINVAL, "classes",
				     "classes must be an array of 1 to %d "
				     "\"class:type\" or \"class\" strings",
				     CLASSES_MAX);
	json_array_foreach (a, i, v) {
		rc = check_class(v, i, pb, d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* One task: {"title", "due_hours"}, added to pb->tasks. */
static int check_task(json_t *t, size_t i, struct playbook *pb,
		      struct cirt_diag *d)
{
	static const char *const fields[] = {"title", "due_hours"};
	struct cirt_diag inner;
	const char *title;
	char field[CIRT_DIAG_FIELD_MAX + 32];
	bool present;
	int64_t due;
	size_t len;
	int rc;

	snprintf(field, sizeof(field), "tasks[%zu]", i);
	if (!json_is_object(t))
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s must be an object {\"title\", "
				     "\"due_hours\"}",
				     field);
	cirt_diag_init(&inner);
	rc = cirt_json_only(t, fields, 2, &inner);
	if (rc == 0)
		rc = cirt_json_get_str(t, "title", true, &title, &len, &inner);
	if (rc == 0)
		rc = cirt_text_check_line(title, len, 1, TITLE_MAX, "title",
					  &inner);
	if (rc == 0)
		rc = cirt_json_get_int(t, "due_hours", true, 0, DUE_HOURS_MAX,
				       &due, &present, &inner);
	if (rc < 0) {
		snprintf(field, sizeof(field), "tasks[%zu].%s", i, inner.field);
		return cirt_diag_set(d, rc, field, "%s: %s", field,
				     inner.message);
	}
	json_array_append_new(pb->tasks,
			      json_pack("{s:s%, s:I}", "title", title, len,
					"due_hours", (json_int_t)due));
	return 0;
}

static int check_tasks(json_t *a, struct playbook *pb, struct cirt_diag *d)
{
	json_t *v;
	size_t i;
	int rc;

	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > TASKS_MAX)
		return cirt_diag_set(d, -CIRT_EINVAL, "tasks",
				     "tasks must be an array of 1 to %d "
				     "{\"title\", \"due_hours\"} objects",
				     TASKS_MAX);
	json_array_foreach (a, i, v) {
		rc = check_task(v, i, pb, d);
		if (rc < 0)
			return rc;
	}
	pb->ntasks = json_array_size(pb->tasks);
	return 0;
}

/*
 * Check a body against name. "name" may be there if it equals name, and
 * "updated_at" is ignored, so that what `playbook show` prints can be
 * given back. On success pb->tasks is a new reference.
 */
static int check_body(const char *name, json_t *body, struct playbook *pb,
		      struct cirt_diag *d)
{
	static const char *const fields[] = {"name", "title", "classes",
					     "tasks", "updated_at"};
	const char *given;
	size_t len;
	int rc;

	memset(pb, 0, sizeof(*pb));
	rc = check_name(name, d);
	if (rc == 0 && !json_is_object(body))
		rc = cirt_diag_set(d, -CIRT_EINVAL, NULL,
				   "a playbook must be a JSON object");
	if (rc == 0)
		rc = cirt_json_only(body, fields, 5, d);
	if (rc == 0)
		rc = cirt_json_get_str(body, "name", false, &given, NULL, d);
	if (rc == 0 && given && strcmp(given, name) != 0)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "name",
				   "name '%.64s' differs from the playbook's "
				   "name '%s'",
				   given, name);
	if (rc == 0)
		rc = cirt_json_get_str(body, "title", true, &pb->title, &len,
				       d);
	if (rc == 0)
		rc = cirt_text_check_line(pb->title, len, 1, TITLE_MAX, "title",
					  d);
	if (rc == 0)
		rc = check_classes(json_object_get(body, "classes"), pb, d);
	if (rc < 0)
		return rc;
	pb->tasks = json_array();
	rc = check_tasks(json_object_get(body, "tasks"), pb, d);
	if (rc < 0) {
		json_decref(pb->tasks);
		pb->tasks = NULL;
	}
	return rc;
}

/* The current row as a playbook's JSON. */
static json_t *row_json(struct cirt_stmt *s)
{
	json_t *tasks = NULL;

	if (cirt_json_parse(cirt_stmt_text(s, 3), cirt_stmt_len(s, 3),
			    JSON_DEPTH, &tasks, NULL) < 0)
		tasks = json_array();
	return json_pack("{s:s, s:s, s:o, s:o, s:o}", "name",
			 cirt_stmt_text(s, 0), "title", cirt_stmt_text(s, 1),
			 "classes", cirt_json_split(cirt_stmt_text(s, 2)),
			 "tasks", tasks, "updated_at",
			 cirt_json_time(cirt_stmt_i64(s, 4)));
}

static int not_found(const char *name, struct cirt_diag *d)
{
	return cirt_diag_set(d, -CIRT_ENOTFOUND, "name",
			     "no playbook named '%.64s'", name);
}

int cirt_playbook_list(struct cirt_db *db, json_t **out, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_list, d);
	json_t *a;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	a = json_array();
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW)
		json_array_append_new(a, row_json(s));
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int cirt_playbook_get(struct cirt_db *db, const char *name, json_t **out,
		      struct cirt_diag *d)
{
	struct cirt_stmt *s;
	int rc;

	/* A name that cannot be stored cannot exist. */
	if (check_name(name, NULL) < 0)
		return not_found(name, d);
	s = cirt_db_stmt(db, &q_get, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_str(s, 1, name);
	rc = cirt_stmt_step(s, d);
	if (rc < 0)
		return rc;
	if (rc == CIRT_DB_DONE)
		return not_found(name, d);
	if (out)
		*out = row_json(s);
	cirt_stmt_reset(s);
	return 0;
}

/* -CIRT_ECONFLICT if another playbook than name lists one of classes. */
static int check_unclaimed(struct cirt_db *db, const char *name,
			   const char *classes, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_list, d);
	char other[NAME_MAX_LEN + 1], entry[96];
	const char *p;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		if (strcmp(cirt_stmt_text(s, 0), name) == 0)
			continue;
		for (p = classes; *p;) {
			const char *end = strchr(p, ',');
			size_t n = end ? (size_t)(end - p) : strlen(p);

			snprintf(entry, sizeof(entry), "%.*s", (int)n, p);
			if (has_entry(cirt_stmt_text(s, 2), entry)) {
				snprintf(other, sizeof(other), "%s",
					 cirt_stmt_text(s, 0));
				cirt_stmt_reset(s);
				return cirt_diag_set(
					d, -CIRT_ECONFLICT, "classes",
					"classes: '%s' belongs to playbook "
					"'%s' already; take it out of that one "
					"first",
					entry, other);
			}
			p = end ? end + 1 : p + n;
		}
	}
	return rc;
}

/* Write pb under name with q (insert or replace, or insert if new);
 * *changed (may be NULL) tells whether a row was written. */
static int store(struct cirt_db *db, const struct cirt_sql *q, const char *name,
		 const struct playbook *pb, int64_t now, bool *changed,
		 struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, q, d);
	char *tasks;
	size_t len;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	tasks = cirt_json_dump(pb->tasks, &len);
	cirt_stmt_bind_str(s, 1, name);
	cirt_stmt_bind_str(s, 2, pb->title);
	cirt_stmt_bind_str(s, 3, pb->classes);
	cirt_stmt_bind_text(s, 4, tasks, len);
	cirt_stmt_bind_i64(s, 5, now);
	rc = cirt_stmt_exec(s, d);
	if (rc == 0 && changed)
		*changed = cirt_stmt_changes(s) > 0;
	free(tasks);
	return rc;
}

static int put_tx(struct cirt_db *db, const struct cirt_actor *who,
		  const char *name, const struct playbook *pb,
		  struct cirt_diag *d)
{
	char object[NAME_MAX_LEN + 16];
	struct cirt_diag inner;
	bool existed;
	json_t *detail;
	int rc;

	cirt_diag_init(&inner);
	rc = cirt_playbook_get(db, name, NULL, &inner);
	if (rc < 0 && rc != -CIRT_ENOTFOUND)
		return cirt_diag_set(d, rc, NULL, "%s", inner.message);
	existed = rc == 0;
	rc = check_unclaimed(db, name, pb->classes, d);
	if (rc == 0)
		rc = store(db, &q_upsert, name, pb, cirt_time_now_us(), NULL,
			   d);
	if (rc < 0)
		return rc;
	snprintf(object, sizeof(object), "playbook:%s", name);
	detail = json_pack("{s:b, s:o, s:I}", "created", !existed, "classes",
			   cirt_json_split(pb->classes), "tasks",
			   (json_int_t)pb->ntasks);
	rc = cirt_audit_append(db, who, "playbook.put", object, detail, d);
	json_decref(detail);
	return rc;
}

int cirt_playbook_put(struct cirt_db *db, const struct cirt_actor *who,
		      const char *name, json_t *body, json_t **out,
		      struct cirt_diag *d)
{
	struct playbook pb;
	int rc;

	rc = check_body(name, body, &pb, d);
	if (rc < 0)
		return rc;
	rc = cirt_db_begin(db, d);
	if (rc == 0) {
		rc = put_tx(db, who, name, &pb, d);
		rc = cirt_db_end(db, rc, d);
	}
	json_decref(pb.tasks);
	if (rc == 0 && out)
		rc = cirt_playbook_get(db, name, out, d);
	return rc;
}

int cirt_playbook_delete(struct cirt_db *db, const struct cirt_actor *who,
			 const char *name, struct cirt_diag *d)
{
	char object[NAME_MAX_LEN + 16];
	struct cirt_stmt *s;
	int rc;

	if (check_name(name, NULL) < 0)
		return not_found(name, d);
	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	s = cirt_db_stmt(db, &q_delete, d);
	if (s == NULL)
		return cirt_db_end(db, d ? d->code : -CIRT_EIO, d);
	cirt_stmt_bind_str(s, 1, name);
	rc = cirt_stmt_exec(s, d);
	if (rc == 0 && cirt_stmt_changes(s) == 0)
		rc = not_found(name, d);
	if (rc == 0) {
		snprintf(object, sizeof(object), "playbook:%.64s", name);
		rc = cirt_audit_append(db, who, "playbook.delete", object, NULL,
				       d);
	}
	return cirt_db_end(db, rc, d);
}

/* Check and store one shipped file unless a playbook of its name exists;
 * its name is the file's without ".json", added to names if stored. */
static int seed_one(struct cirt_db *db, const struct cirt_embed_file *f,
		    int64_t now, json_t *names, struct cirt_diag *d)
{
	char name[NAME_MAX_LEN + 1];
	struct cirt_diag inner;
	struct playbook pb;
	bool added = false;
	json_t *body = NULL;
	size_t n = strlen(f->name);
	int rc;

	cirt_diag_init(&inner);
	if (n <= 5 || n - 5 > NAME_MAX_LEN ||
	    strcmp(f->name + n - 5, ".json") != 0)
		return cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
				     "shipped playbook %s: not NAME.json",
				     f->name);
	snprintf(name, sizeof(name), "%.*s", (int)(n - 5), f->name);
	rc = cirt_json_parse(f->data, f->len, JSON_DEPTH, &body, &inner);
	if (rc == 0)
		rc = check_body(name, body, &pb, &inner);
	if (rc < 0) {
		json_decref(body);
		return cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
				     "shipped playbook %s: %s", f->name,
				     inner.message);
	}
	rc = store(db, &q_seed, name, &pb, now, &added, d);
	if (added)
		json_array_append_new(names, json_string(name));
	json_decref(pb.tasks);
	json_decref(body);
	return rc;
}

static int seeded(struct cirt_db *db, bool *done, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_seeded, d);
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	rc = cirt_stmt_step(s, d);
	if (rc < 0)
		return rc;
	*done = rc == CIRT_DB_ROW;
	if (*done)
		cirt_stmt_reset(s);
	return 0;
}

static int seed_tx(struct cirt_db *db, const struct cirt_actor *who,
		   json_t *names, struct cirt_diag *d)
{
	int64_t now = cirt_time_now_us();
	bool done = false;
	json_t *detail;
	int rc;

	rc = seeded(db, &done, d);
	if (rc < 0 || done)
		return rc;
	for (size_t i = 0; i < cirt_playbook_files_count; i++) {
		rc = seed_one(db, &cirt_playbook_files[i], now, names, d);
		if (rc < 0)
			return rc;
	}
	detail = json_pack("{s:O}", "playbooks", names);
	rc = cirt_audit_append(db, who, "playbook.seed", "playbooks", detail,
			       d);
	json_decref(detail);
	return rc;
}

int cirt_playbook_seed(struct cirt_db *db, const struct cirt_actor *who,
		       struct cirt_diag *d)
{
	json_t *names = json_array();
	int rc;

	rc = cirt_db_begin(db, d);
	if (rc == 0) {
		rc = seed_tx(db, who, names, d);
		rc = cirt_db_end(db, rc, d);
	}
	if (rc == 0)
		rc = (int)json_array_size(names);
	json_decref(names);
	return rc;
}

/* The stored task list of the playbook for cls:type, copied into *tasks,
 * and its name; *tasks stays NULL if none matches. */
static int find_match(struct cirt_db *db, const char *cls, const char *type,
		      char name[65], char **tasks, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_list, d);
	char exact[CIRT_TAXONOMY_CLASS_MAX + CIRT_TAXONOMY_TYPE_MAX + 2];
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	snprintf(exact, sizeof(exact), "%s:%s", cls, type);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		const char *classes = cirt_stmt_text(s, 2);
		bool is_exact = has_entry(classes, exact);

		/* A class entry counts until an exact one turns up. */
		if (!is_exact && (*tasks || !has_entry(classes, cls)))
			continue;
		free(*tasks);
		*tasks = cirt_xstrndup(cirt_stmt_text(s, 3),
				       cirt_stmt_len(s, 3));
		snprintf(name, 65, "%s", cirt_stmt_text(s, 0));
		if (is_exact) {
			cirt_stmt_reset(s);
			return 0;
		}
	}
	return rc;
}

static int add_tasks(struct cirt_db *db, int64_t incident_id, json_t *tasks,
		     const char *name, int64_t reported_at, struct cirt_diag *d)
{
	int64_t now = cirt_time_now_us();
	struct cirt_stmt *s;
	json_t *t;
	size_t i;
	int rc;

	json_array_foreach (tasks, i, t) {
		json_int_t h =
			json_integer_value(json_object_get(t, "due_hours"));

		s = cirt_db_stmt(db, &q_add_task, d);
		if (s == NULL)
			return d ? d->code : -CIRT_EIO;
		cirt_stmt_bind_i64(s, 1, incident_id);
		cirt_stmt_bind_str(
			s, 2, json_string_value(json_object_get(t, "title")));
		if (h > 0)
			cirt_stmt_bind_i64(s, 3, reported_at + h * HOUR_US);
		else
			cirt_stmt_bind_null(s, 3);
		cirt_stmt_bind_str(s, 4, name);
		cirt_stmt_bind_i64(s, 5, now);
		rc = cirt_stmt_exec(s, d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int cirt_playbook_apply(struct cirt_db *db, int64_t incident_id,
			const char *cls, const char *type, int64_t reported_at,
			char name[65], struct cirt_diag *d)
{
	json_t *tasks = NULL;
	char *text = NULL;
	int rc;

	name[0] = '\0';
	rc = find_match(db, cls, type, name, &text, d);
	if (rc < 0 || text == NULL) {
		free(text);
		if (rc < 0)
			name[0] = '\0';
		return rc;
	}
	rc = cirt_json_parse(text, strlen(text), JSON_DEPTH, &tasks, d);
	free(text);
	if (rc == 0 && !json_is_array(tasks))
		rc = cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
				   "playbook %s: stored tasks are not a list",
				   name);
	if (rc == 0)
		rc = add_tasks(db, incident_id, tasks, name, reported_at, d);
	json_decref(tasks);
	return rc;
}
