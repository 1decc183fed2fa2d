/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * TAXII status resources and paging cursors. See share/share_status.h.
 */
#include "share/share_status.h"

#include <stdio.h>
#include <string.h>

#include "core/time.h"
#include "core/banned.h"

#define STATUS_KEEP_US (7 * CIRT_US_PER_DAY)
#define CURSOR_KEEP_US (3600 * CIRT_US_PER_SEC)

static const struct cirt_sql q_status_purge = {
	"DELETE FROM taxii_status WHERE expires_at < ?", NULL};
static const struct cirt_sql q_status_insert = {
	"INSERT INTO taxii_status (id, api_root_id, collection_id, status, "
	"request_timestamp, total_count, success_count, failure_count, "
	"pending_count, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	NULL};
static const struct cirt_sql q_detail_insert = {
	"INSERT INTO taxii_status_details (status_id, n, kind, stix_id, "
	"version, message) VALUES (?, ?, ?, ?, ?, ?)",
	NULL};
static const struct cirt_sql q_status_get = {
	"SELECT t.status, t.request_timestamp, t.total_count, "
	"t.success_count, t.failure_count, t.pending_count, "
	"coalesce(c.uuid, '') FROM taxii_status t "
	"LEFT JOIN collections c ON c.id = t.collection_id "
	"WHERE t.id = ? AND t.api_root_id = ? AND t.expires_at >= ?",
	NULL};
static const struct cirt_sql q_details = {
	"SELECT kind, stix_id, version, message FROM taxii_status_details "
	"WHERE status_id = ? ORDER BY n",
	NULL};
static const struct cirt_sql q_cursor_purge = {
	"DELETE FROM taxii_cursors WHERE expires_at < ?", NULL};
static const struct cirt_sql q_cursor_insert = {
	"INSERT INTO taxii_cursors (id, collection_id, query, after_added, "
	"after_seq, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
	NULL};
static const struct cirt_sql q_cursor_get = {
	"SELECT after_added, after_seq FROM taxii_cursors WHERE id = ? "
	"AND collection_id = ? AND query = ? AND expires_at >= ?",
	NULL};

static int run1(struct cirt_db *db, const struct cirt_sql *q, int64_t v,
		struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, q, d);

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, v);
	return cirt_stmt_exec(s, d);
}

static const char *member(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

int cirt_status_save(struct cirt_db *db, struct cirt_status *st, json_t *items,
		     struct cirt_diag *d)
{
	struct cirt_stmt *s;
	json_t *item;
	size_t i;
	int64_t now = cirt_time_now_us();
	int rc;

	rc = run1(db, &q_status_purge, now, d);
	if (rc < 0)
		return rc;
	if (st->id[0] == '\0')
		cirt_uuid4(st->id);
	s = cirt_db_stmt(db, &q_status_insert, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_str(s, 1, st->id);
	cirt_stmt_bind_i64(s, 2, st->root_id);
	if (st->collection_id)
		cirt_stmt_bind_i64(s, 3, st->collection_id);
	else
		cirt_stmt_bind_null(s, 3);
	cirt_stmt_bind_str(s, 4, st->pending ? "pending" : "complete");
	cirt_stmt_bind_i64(s, 5, st->request_ts);
	cirt_stmt_bind_i64(s, 6, st->total);
	cirt_stmt_bind_i64(s, 7, st->successes);
	cirt_stmt_bind_i64(s, 8, st->failures);
	cirt_stmt_bind_i64(s, 9, st->pendings);
	cirt_stmt_bind_i64(s, 10, now + STATUS_KEEP_US);
	rc = cirt_stmt_exec(s, d);
	json_array_foreach (items, i, item) {
		if (rc < 0)
			break;
		s = cirt_db_stmt(db, &q_detail_insert, d);
		if (s == NULL)
			return d ? d->code : -CIRT_EIO;
		cirt_stmt_bind_str(s, 1, st->id);
		cirt_stmt_bind_i64(s, 2, (int64_t)i);
		cirt_stmt_bind_str(s, 3, member(item, "kind"));
		cirt_stmt_bind_str(s, 4, member(item, "id"));
		cirt_stmt_bind_str(s, 5, member(item, "version"));
		cirt_stmt_bind_str(s, 6, member(item, "message"));
		rc = cirt_stmt_exec(s, d);
	}
	return rc;
}

static int not_found(const char *id, struct cirt_diag *d)
{
	return cirt_diag_set(d, -CIRT_ENOTFOUND, "status",
			     "no status %s (unknown, or older than 7 days)",
			     id);
}

int cirt_status_get(struct cirt_db *db, int64_t root_id, const char *id,
		    struct cirt_status *st, cirt_status_item_fn fn, void *arg,
		    struct cirt_diag *d)
{
	struct cirt_stmt *s;
	int rc;

	if (!cirt_uuid_valid(id))
		return not_found(id, d);
	s = cirt_db_stmt(db, &q_status_get, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_str(s, 1, id);
	cirt_stmt_bind_i64(s, 2, root_id);
	cirt_stmt_bind_i64(s, 3, cirt_time_now_us());
	rc = cirt_stmt_step(s, d);
	if (rc < 0)
		return rc;
	if (rc == CIRT_DB_DONE)
		return not_found(id, d);
	memset(st, 0, sizeof(*st));
	snprintf(st->id, sizeof(st->id), "%s", id);
	st->root_id = root_id;
	st->pending = strcmp(cirt_stmt_text(s, 0), "pending") == 0;
	st->request_ts = cirt_stmt_i64(s, 1);
	st->total = cirt_stmt_i64(s, 2);
	st->successes = cirt_stmt_i64(s, 3);
	st->failures = cirt_stmt_i64(s, 4);
	st->pendings = cirt_stmt_i64(s, 5);
	snprintf(st->collection, sizeof(st->collection), "%s",
		 cirt_stmt_text(s, 6));
	cirt_stmt_reset(s);
	s = cirt_db_stmt(db, &q_details, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_str(s, 1, id);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		rc = fn(cirt_stmt_text(s, 0), cirt_stmt_text(s, 1),
			cirt_stmt_text(s, 2), cirt_stmt_text(s, 3), arg);
		if (rc < 0) {
			cirt_stmt_reset(s);
			return rc;
		}
	}
	return rc;
}

int cirt_cursor_save(struct cirt_db *db, int64_t collection_id,
		     const char *query, int64_t after_added, int64_t after_seq,
		     char id[CIRT_UUID_LEN + 1], struct cirt_diag *d)
{
	int64_t now = cirt_time_now_us();
	struct cirt_stmt *s;
	int rc;

	rc = run1(db, &q_cursor_purge, now, d);
	if (rc < 0)
		return rc;
	cirt_uuid4(id);
	s = cirt_db_stmt(db, &q_cursor_insert, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_str(s, 1, id);
	cirt_stmt_bind_i64(s, 2, collection_id);
	cirt_stmt_bind_str(s, 3, query);
	cirt_stmt_bind_i64(s, 4, after_added);
	cirt_stmt_bind_i64(s, 5, after_seq);
	cirt_stmt_bind_i64(s, 6, now + CURSOR_KEEP_US);
	return cirt_stmt_exec(s, d);
}

int cirt_cursor_load(struct cirt_db *db, const char *id, int64_t collection_id,
		     const char *query, int64_t *after_added,
		     int64_t *after_seq, struct cirt_diag *d)
{
	struct cirt_stmt *s;
	int rc = CIRT_DB_DONE;

	if (cirt_uuid_valid(id)) {
		s = cirt_db_stmt(db, &q_cursor_get, d);
		if (s == NULL)
			return d ? d->code : -CIRT_EIO;
		cirt_stmt_bind_str(s, 1, id);
		cirt_stmt_bind_i64(s, 2, collection_id);
		cirt_stmt_bind_str(s, 3, query);
		cirt_stmt_bind_i64(s, 4, cirt_time_now_us());
		rc = cirt_stmt_step(s, d);
		if (rc == CIRT_DB_ROW) {
			*after_added = cirt_stmt_i64(s, 0);
			*after_seq = cirt_stmt_i64(s, 1);
			cirt_stmt_reset(s);
			return 0;
		}
	}
	if (rc < 0)
		return rc;
	return cirt_diag_set(d, -CIRT_EINVAL, "next",
			     "next is not a page of this query: it is "
			     "unknown, more than an hour old, or the filters "
			     "changed");
}
