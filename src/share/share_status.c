/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * TAXII status resources and paging cursors. See share/share_status.h.
 */
#include "share/share_status.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/text.h"
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
static const struct cirt_sql q_key_get = {
	"SELECT value FROM server_secrets WHERE name = 'cursor'", NULL};
static const struct cirt_sql q_key_make = {
	"INSERT INTO server_secrets (name, value) VALUES ('cursor', ?) "
	"ON CONFLICT (name) DO NOTHING",
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

/* The store's cursor key: read, or made by the first server to need it
 * (any other's, if two race). */
static int cursor_key(struct cirt_db *db, unsigned char key[32],
		      struct cirt_diag *d)
{
	unsigned char fresh[32];
	char hex[65];
	struct cirt_stmt *s;
	int rc;

	for (int pass = 0; pass < 2; pass++) {
		s = cirt_db_stmt(db, &q_key_get, d);
		if (s == NULL)
			return d ? d->code : -CIRT_EIO;
		rc = cirt_stmt_step(s, d);
		if (rc == CIRT_DB_ROW) {
			const char *v = cirt_stmt_text(s, 0);

			rc = strlen(v) == 64 && cirt_hex_decode(v, 64, key)
				     ? 0
				     : -CIRT_EINTERNAL;
			cirt_stmt_reset(s);
			if (rc < 0)
				return cirt_diag_set(d, rc, NULL,
						     "the stored cursor key "
						     "is malformed");
			return 0;
		}
		if (rc < 0 || pass > 0)
			break;
		cirt_random_bytes(fresh, sizeof(fresh));
		cirt_hex_encode(fresh, sizeof(fresh), hex);
		s = cirt_db_stmt(db, &q_key_make, d);
		if (s == NULL)
			return d ? d->code : -CIRT_EIO;
		cirt_stmt_bind_str(s, 1, hex);
		rc = cirt_stmt_exec(s, d);
		if (rc < 0)
			return rc;
	}
	return rc < 0 ? rc
		      : cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
				      "no cursor key in the store");
}

/* The signature of a cursor: its 24 bytes, the collection, the query. */
static int sign(struct cirt_db *db, const unsigned char where[24],
		int64_t collection_id, const char *query,
		unsigned char mac[CIRT_SHA256_LEN], struct cirt_diag *d)
{
	unsigned char key[32];
	struct cirt_buf msg;
	int rc = cursor_key(db, key, d);

	if (rc < 0)
		return rc;
	cirt_buf_init(&msg, 1u << 20);
	if (cirt_buf_add(&msg, where, 24) < 0 ||
	    cirt_buf_addf(&msg, "|%" PRId64 "|%s", collection_id, query) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, NULL, "filters too long");
	cirt_hmac_sha256(key, sizeof(key), msg.data, msg.len, mac);
	cirt_buf_release(&msg);
	return 0;
}

static void put64(unsigned char *p, int64_t v)
{
	uint64_t u = (uint64_t)v;

	for (int i = 7; i >= 0; i--, u >>= 8)
		p[i] = (unsigned char)(u & 0xff);
}

static int64_t get64(const unsigned char *p)
{
	uint64_t u = 0;

	for (int i = 0; i < 8; i++)
		u = u << 8 | p[i];
	return (int64_t)u;
}

/* A cursor is hex of: after_added, after_seq, expires_at (8 bytes each,
 * big-endian) and the first 16 bytes of their signature. */
int cirt_cursor_make(struct cirt_db *db, int64_t collection_id,
		     const char *query, int64_t after_added, int64_t after_seq,
		     char next[CIRT_CURSOR_LEN + 1], struct cirt_diag *d)
{
	unsigned char raw[40], mac[CIRT_SHA256_LEN];
	int rc;

	put64(raw, after_added);
	put64(raw + 8, after_seq);
	put64(raw + 16, cirt_time_now_us() + CURSOR_KEEP_US);
	rc = sign(db, raw, collection_id, query, mac, d);
	if (rc < 0)
		return rc;
	memcpy(raw + 24, mac, 16);
	cirt_hex_encode(raw, sizeof(raw), next);
	return 0;
}

int cirt_cursor_read(struct cirt_db *db, const char *next,
		     int64_t collection_id, const char *query,
		     int64_t *after_added, int64_t *after_seq,
		     struct cirt_diag *d)
{
	unsigned char raw[40], mac[CIRT_SHA256_LEN];
	bool ok = strlen(next) == CIRT_CURSOR_LEN &&
		  cirt_hex_decode(next, CIRT_CURSOR_LEN, raw);
	int rc;

	if (ok) {
		rc = sign(db, raw, collection_id, query, mac, d);
		if (rc < 0)
			return rc;
		ok = cirt_ct_equal(mac, raw + 24, 16) &&
		     get64(raw + 16) >= cirt_time_now_us();
	}
	if (!ok)
		return cirt_diag_set(d, -CIRT_EINVAL, "next",
				     "next is not a page of this query: it "
				     "is unknown, more than an hour old, or "
				     "the filters changed");
	*after_added = get64(raw);
	*after_seq = get64(raw + 8);
	return 0;
}
