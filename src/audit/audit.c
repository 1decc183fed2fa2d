/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Hash-chained audit log. See audit/audit.h and docs/internals/audit.md.
 */
#include "audit/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "core/time.h"
#include "core/banned.h"

#define VERIFY_BATCH 1000
#define ENTRY_MAX    (4u << 20)

static const char zero_hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* Taking the head row first locks it until commit: appends queue here. */
static const struct cirt_sql q_head_bump = {
	"UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
	NULL};
static const struct cirt_sql q_head_set = {
	"UPDATE audit_head SET hash = ? WHERE id = 1", NULL};
static const struct cirt_sql q_head_get = {
	"SELECT seq, hash FROM audit_head WHERE id = 1", NULL};
static const struct cirt_sql q_insert = {
	"INSERT INTO audit (seq, at, actor, addr, action, object, detail, "
	"prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	NULL};
static const struct cirt_sql q_max = {"SELECT coalesce(max(seq), 0) FROM audit",
				      NULL};
static const struct cirt_sql q_list = {
	"SELECT seq, at, actor, addr, action, object, detail, prev_hash, hash "
	"FROM audit WHERE seq > ? ORDER BY seq LIMIT ?",
	NULL};

static int add_field(struct cirt_buf *b, const char *s)
{
	int rc = cirt_buf_addf(b, "%zu:", strlen(s));

	if (rc == 0)
		rc = cirt_buf_adds(b, s);
	return rc ? rc : cirt_buf_add(b, "\n", 1);
}

/* The chain hash of an entry: SHA-256 over a length-prefixed encoding of
 * every field, the previous entry's hash included. */
static int entry_hash(const struct cirt_audit_entry *e,
		      char out[CIRT_SHA256_HEX_LEN])
{
	const char *fields[] = {e->actor,  e->addr,   e->action,
				e->object, e->detail, e->prev_hash};
	struct cirt_buf b;
	int rc;

	cirt_buf_init(&b, ENTRY_MAX);
	rc = cirt_buf_addf(&b, "cirtkit-audit-v1\n%" PRId64 "\n%" PRId64 "\n",
			   e->seq, e->at);
	for (size_t i = 0; rc == 0 && i < CIRT_ARRAY_LEN(fields); i++)
		rc = add_field(&b, fields[i]);
	if (rc == 0)
		cirt_sha256_hex(b.data, b.len, out);
	cirt_buf_release(&b);
	return rc;
}

static int bump_head(struct cirt_db *db, int64_t *seq,
		     char prev[CIRT_SHA256_HEX_LEN], struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_head_bump, d);
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	rc = cirt_stmt_step(s, d);
	if (rc != CIRT_DB_ROW)
		return rc < 0 ? rc
			      : cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
					      "audit_head row is missing");
	*seq = cirt_stmt_i64(s, 0);
	snprintf(prev, CIRT_SHA256_HEX_LEN, "%s", cirt_stmt_text(s, 1));
	cirt_stmt_reset(s);
	return 0;
}

int cirt_audit_append(struct cirt_db *db, const struct cirt_actor *who,
		      const char *action, const char *object, json_t *detail,
		      struct cirt_diag *d)
{
	char prev[CIRT_SHA256_HEX_LEN], hash[CIRT_SHA256_HEX_LEN];
	struct cirt_audit_entry e = {0};
	struct cirt_stmt *s;
	char *text;
	int rc;

	CIRT_ASSERT(cirt_db_in_tx(db));
	rc = bump_head(db, &e.seq, prev, d);
	if (rc < 0)
		return rc;
	text = detail ? cirt_json_dump(detail, NULL) : NULL;
	e.at = cirt_time_now_us();
	e.actor = who->name;
	e.addr = who->addr;
	e.action = action;
	e.object = object;
	e.detail = text ? text : "{}";
	e.prev_hash = prev;
	rc = entry_hash(&e, hash);
	if (rc < 0) {
		rc = cirt_diag_set(d, rc, NULL, "audit entry too large");
		goto out;
	}
	s = cirt_db_stmt(db, &q_insert, d);
	if (s == NULL) {
		rc = d ? d->code : -CIRT_EIO;
		goto out;
	}
	cirt_stmt_bind_i64(s, 1, e.seq);
	cirt_stmt_bind_i64(s, 2, e.at);
	cirt_stmt_bind_str(s, 3, e.actor);
	cirt_stmt_bind_str(s, 4, e.addr);
	cirt_stmt_bind_str(s, 5, e.action);
	cirt_stmt_bind_str(s, 6, e.object);
	cirt_stmt_bind_str(s, 7, e.detail);
	cirt_stmt_bind_str(s, 8, e.prev_hash);
	cirt_stmt_bind_str(s, 9, hash);
	rc = cirt_stmt_exec(s, d);
	if (rc < 0)
		goto out;
	s = cirt_db_stmt(db, &q_head_set, d);
	if (s == NULL) {
		rc = d ? d->code : -CIRT_EIO;
		goto out;
	}
	cirt_stmt_bind_str(s, 1, hash);
	rc = cirt_stmt_exec(s, d);
out:
	free(text);
	return rc;
}

static void read_entry(struct cirt_stmt *s, struct cirt_audit_entry *e)
{
	e->seq = cirt_stmt_i64(s, 0);
	e->at = cirt_stmt_i64(s, 1);
	e->actor = cirt_stmt_text(s, 2);
	e->addr = cirt_stmt_text(s, 3);
	e->action = cirt_stmt_text(s, 4);
	e->object = cirt_stmt_text(s, 5);
	e->detail = cirt_stmt_text(s, 6);
	e->prev_hash = cirt_stmt_text(s, 7);
	e->hash = cirt_stmt_text(s, 8);
}

int cirt_audit_list(struct cirt_db *db, int64_t after, int64_t limit,
		    cirt_audit_fn fn, void *arg, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_list, d);
	struct cirt_audit_entry e;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, after);
	cirt_stmt_bind_i64(s, 2, limit);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		read_entry(s, &e);
		rc = fn(&e, arg);
		if (rc < 0) {
			cirt_stmt_reset(s);
			return rc;
		}
	}
	return rc;
}

struct verify_state {
	struct cirt_audit_report *r;
	int64_t next;			/* seq expected next */
	char prev[CIRT_SHA256_HEX_LEN]; /* stored hash of the last entry */
};

/* Record the first broken entry; the conflict code stops the walk. */
static int broken(struct verify_state *v, int64_t seq, const char *reason)
{
	v->r->broken = seq;
	snprintf(v->r->reason, sizeof(v->r->reason), "%s", reason);
	return -CIRT_ECONFLICT;
}

static int verify_one(const struct cirt_audit_entry *e, void *arg)
{
	struct verify_state *v = arg;
	char hash[CIRT_SHA256_HEX_LEN];

	if (e->seq != v->next)
		return broken(v, v->next,
			      "entry is missing: the chain skips from the "
			      "entry before it to a later one (deleted)");
	if (strcmp(e->prev_hash, v->prev) != 0)
		return broken(v, e->seq,
			      "prev_hash does not match the entry before it "
			      "(an entry before it was deleted, inserted or "
			      "replaced)");
	if (entry_hash(e, hash) < 0 || strcmp(hash, e->hash) != 0)
		return broken(v, e->seq,
			      "content does not match its hash (edited)");
	snprintf(v->prev, sizeof(v->prev), "%s", e->hash);
	v->next++;
	v->r->entries++;
	return 0;
}

static int read_head(struct cirt_db *db, int64_t *seq,
		     char hash[CIRT_SHA256_HEX_LEN], struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_head_get, d);
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	rc = cirt_stmt_step(s, d);
	if (rc != CIRT_DB_ROW)
		return rc < 0 ? rc
			      : cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
					      "audit_head row is missing");
	*seq = cirt_stmt_i64(s, 0);
	snprintf(hash, CIRT_SHA256_HEX_LEN, "%s", cirt_stmt_text(s, 1));
	cirt_stmt_reset(s);
	return 0;
}

/* Rows past the head can only be forged: the head moves in the same
 * transaction as every insert. Read max(seq) before the head again, so a
 * concurrent append cannot look like a forgery. */
static int check_tail(struct cirt_db *db, int64_t head_seq,
		      struct cirt_audit_report *r, struct cirt_diag *d)
{
	char hash[CIRT_SHA256_HEX_LEN];
	struct cirt_stmt *s = cirt_db_stmt(db, &q_max, d);
	int64_t max = 0, now_seq = 0;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	rc = cirt_stmt_step(s, d);
	if (rc != CIRT_DB_ROW)
		return rc < 0 ? rc : -CIRT_EINTERNAL;
	max = cirt_stmt_i64(s, 0);
	cirt_stmt_reset(s);
	rc = read_head(db, &now_seq, hash, d);
	if (rc == 0 && max > now_seq) {
		r->broken = head_seq + 1;
		snprintf(r->reason, sizeof(r->reason),
			 "entries exist after the head of the log (inserted "
			 "at the end)");
	}
	return rc;
}

int cirt_audit_verify(struct cirt_db *db, struct cirt_audit_report *r,
		      struct cirt_diag *d)
{
	struct verify_state v = {.r = r, .next = 1};
	char head_hash[CIRT_SHA256_HEX_LEN];
	int64_t head_seq = 0, before;
	int rc;

	memset(r, 0, sizeof(*r));
	snprintf(v.prev, sizeof(v.prev), "%s", zero_hash);
	/* Read the head first: entries appended during the walk are past
	 * it and are left for the next run. */
	rc = read_head(db, &head_seq, head_hash, d);
	if (rc < 0)
		return rc;
	do {
		before = v.next;
		rc = cirt_audit_list(
			db, v.next - 1,
			CIRT_MIN(VERIFY_BATCH, head_seq - (v.next - 1)),
			verify_one, &v, d);
		if (rc == -CIRT_ECONFLICT)
			return 0;
		if (rc < 0)
			return rc;
	} while (v.next > before && v.next <= head_seq);
	if (v.next - 1 != head_seq) {
		snprintf(r->reason, sizeof(r->reason),
			 "the log ends at entry %" PRId64 " but its head "
			 "records %" PRId64 " entries (entries deleted at "
			 "the end)",
			 v.next - 1, head_seq);
		r->broken = v.next;
	} else if (strcmp(head_hash, v.prev) != 0) {
		/* Every entry up to the head is sound, so what is missing is
		 * the entry the head was made for. */
		snprintf(r->reason, sizeof(r->reason),
			 "the head of the log holds the hash of an entry that "
			 "is not there (entries deleted at the end and the "
			 "head moved back, or the head edited)");
		r->broken = head_seq + 1;
	} else {
		rc = check_tail(db, head_seq, r, d);
	}
	snprintf(r->head, sizeof(r->head), "%s", v.prev);
	return rc;
}

json_t *cirt_audit_entry_json(const struct cirt_audit_entry *e)
{
	/* detail is JSON text that this module wrote. */
	json_t *detail = json_loads(e->detail, 0, NULL);

	return json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:o, s:s}", "seq",
			 (json_int_t)e->seq, "time", cirt_json_time(e->at),
			 "actor", e->actor, "addr", e->addr, "action",
			 e->action, "object", e->object, "detail",
			 detail ? detail : json_object(), "hash", e->hash);
}
