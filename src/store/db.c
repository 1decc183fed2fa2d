/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Backend-independent part of the store interface: choosing the backend,
 * the per-connection cache of prepared statements, parameter recording,
 * placeholder translation and transactions. See store/db.h.
 */
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "store/db_int.h"
#include "core/banned.h"

/* Largest total of bound text in one statement (a STIX object, later). */
#define STMT_TEXT_MAX (64u << 20)

int cirt_db_open(const struct cirt_db_target *t, struct cirt_db **out,
		 struct cirt_diag *d)
{
	struct cirt_db *db;
	int rc;

	*out = NULL;
	db = cirt_xcalloc(1, sizeof(*db));
	db->ops = t->pg_conninfo ? &cirt_db_pg_ops : &cirt_db_sqlite_ops;
	rc = db->ops->open(db, t, d);
	if (rc < 0) {
		free(db);
		return rc;
	}
	*out = db;
	return 0;
}

static void stmt_free(struct cirt_stmt *s)
{
	s->db->ops->finalize(s);
	cirt_buf_release(&s->text);
	cirt_buf_release(&s->blob);
	free(s->params);
	free(s);
}

static void cache_clear(struct cirt_db *db)
{
	for (size_t i = 0; i < db->nslots; i++)
		if (db->slots[i].stmt)
			stmt_free(db->slots[i].stmt);
	CIRT_FREE(db->slots);
	db->nslots = 0;
	db->nused = 0;
}

void cirt_db_close(struct cirt_db *db)
{
	if (db == NULL)
		return;
	if (db->in_tx)
		cirt_db_rollback(db);
	cache_clear(db);
	db->ops->close(db);
	free(db);
}

enum cirt_db_kind cirt_db_kind(const struct cirt_db *db)
{
	return db->ops == &cirt_db_pg_ops ? CIRT_DB_PG : CIRT_DB_SQLITE;
}

int cirt_db_check(struct cirt_db *db, struct cirt_diag *d)
{
	if (!db->ops->broken(db))
		return 0;
	/* Server-side prepared statements died with the connection. */
	cache_clear(db);
	db->in_tx = false;
	return db->ops->reconnect(db, d);
}

static void reset_all(struct cirt_db *db)
{
	for (size_t i = 0; i < db->nslots; i++)
		if (db->slots[i].stmt)
			cirt_stmt_reset(db->slots[i].stmt);
}

int cirt_db_begin(struct cirt_db *db, struct cirt_diag *d)
{
	int rc;

	CIRT_ASSERT(!db->in_tx);
	rc = db->ops->exec(db,
			   cirt_db_kind(db) == CIRT_DB_PG ? "BEGIN"
							  : "BEGIN IMMEDIATE",
			   d);
	if (rc == 0)
		db->in_tx = true;
	return rc;
}

int cirt_db_commit(struct cirt_db *db, struct cirt_diag *d)
{
	int rc;

	CIRT_ASSERT(db->in_tx);
	reset_all(db);
	rc = db->ops->exec(db, "COMMIT", d);
	if (rc < 0) {
		cirt_db_rollback(db);
		return rc;
	}
	db->in_tx = false;
	return 0;
}

void cirt_db_rollback(struct cirt_db *db)
{
	if (!db->in_tx)
		return;
	reset_all(db);
	if (db->ops->exec(db, "ROLLBACK", NULL) < 0)
		cirt_log_warnx("%s: ROLLBACK failed", db->ops->name);
	db->in_tx = false;
}

bool cirt_db_in_tx(const struct cirt_db *db)
{
	return db->in_tx;
}

int cirt_db_end(struct cirt_db *db, int rc, struct cirt_diag *d)
{
	if (rc < 0) {
		cirt_db_rollback(db);
		return rc;
	}
	return cirt_db_commit(db, d);
}

int cirt_db_exec_script(struct cirt_db *db, const char *sql,
			struct cirt_diag *d)
{
	return db->ops->exec(db, sql, d);
}

/* Count `?` placeholders outside quoted text; for PostgreSQL also rewrite
 * them as $1, $2, ... into out (when out is not NULL). */
static int placeholders(const char *sql, struct cirt_buf *out)
{
	char quote = 0;
	int n = 0, rc = 0;

	for (const char *p = sql; *p && rc == 0; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?') {
			n++;
			if (out)
				rc = cirt_buf_addf(out, "$%d", n);
			continue;
		}
		if (out)
			rc = cirt_buf_add(out, p, 1);
	}
	return rc < 0 ? rc : n;
}

static struct cirt_stmt *stmt_new(struct cirt_db *db, const struct cirt_sql *q,
				  struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_xcalloc(1, sizeof(*s));
	const char *sql = q->sql;
	struct cirt_buf pg;
	int n, rc;

	s->db = db;
	s->q = q;
	cirt_buf_init(&s->text, STMT_TEXT_MAX);
	cirt_buf_init(&s->blob, STMT_TEXT_MAX);
	cirt_buf_init(&pg, 1u << 20);
	if (cirt_db_kind(db) == CIRT_DB_PG) {
		n = placeholders(q->pg ? q->pg : q->sql, &pg);
		sql = cirt_buf_str(&pg);
	} else {
		n = placeholders(sql, NULL);
	}
	if (n < 0) {
		free(s);
		return NULL;
	}
	s->nparams = n;
	s->params = cirt_xcalloc((size_t)n + 1, sizeof(*s->params));
	rc = db->ops->prepare(s, sql, d);
	cirt_buf_release(&pg);
	if (rc < 0) {
		free(s->params);
		free(s);
		return NULL;
	}
	return s;
}

static size_t slot_of(const struct cirt_db *db, const struct cirt_sql *q)
{
	uintptr_t h = (uintptr_t)q;

	h ^= h >> 17;
	h *= UINT64_C(0xed5ad4bb);
	h ^= h >> 11;
	return (size_t)h & (db->nslots - 1);
}

static void cache_grow(struct cirt_db *db)
{
	struct stmt_slot *old = db->slots;
	size_t oldn = db->nslots, j;

	db->nslots = oldn ? oldn * 2 : 64;
	db->slots = cirt_xcalloc(db->nslots, sizeof(*db->slots));
	for (size_t i = 0; i < oldn; i++) {
		if (old[i].key == NULL)
			continue;
		j = slot_of(db, old[i].key);
		while (db->slots[j].key)
			j = (j + 1) & (db->nslots - 1);
		db->slots[j] = old[i];
	}
	free(old);
}

struct cirt_stmt *cirt_db_stmt(struct cirt_db *db, const struct cirt_sql *q,
			       struct cirt_diag *d)
{
	struct cirt_stmt *s;
	size_t i;

	if (db->nused * 2 >= db->nslots)
		cache_grow(db);
	i = slot_of(db, q);
	while (db->slots[i].key && db->slots[i].key != q)
		i = (i + 1) & (db->nslots - 1);
	if (db->slots[i].key == q) {
		s = db->slots[i].stmt;
		cirt_stmt_reset(s);
		return s;
	}
	s = stmt_new(db, q, d);
	if (s == NULL)
		return NULL;
	db->slots[i].key = q;
	db->slots[i].stmt = s;
	db->nused++;
	return s;
}

static struct cirt_param *param(struct cirt_stmt *s, int i)
{
	CIRT_ASSERT(i >= 1 && i <= s->nparams);
	return &s->params[i - 1];
}

void cirt_stmt_bind_text(struct cirt_stmt *s, int i, const char *v, size_t len)
{
	struct cirt_param *p = param(s, i);

	/* Both backends get the same text: SQLite would store invalid
	 * UTF-8 that PostgreSQL refuses. */
	if (memchr(v, '\0', len) != NULL || !cirt_utf8_valid(v, len, NULL)) {
		s->bad_bind = true;
		return;
	}
	p->type = PARAM_TEXT;
	p->off = s->text.len;
	p->len = len;
	if (cirt_buf_add(&s->text, v, len) < 0 ||
	    cirt_buf_add(&s->text, "", 1) < 0)
		s->bad_bind = true;
}

void cirt_stmt_bind_blob(struct cirt_stmt *s, int i, const void *v, size_t len)
{
	struct cirt_param *p = param(s, i);

	p->type = PARAM_BLOB;
	p->off = s->text.len;
	p->len = len;
	if (cirt_buf_add(&s->text, v, len) < 0 ||
	    cirt_buf_add(&s->text, "", 1) < 0)
		s->bad_bind = true;
}

void cirt_stmt_bind_str(struct cirt_stmt *s, int i, const char *v)
{
	if (v == NULL)
		cirt_stmt_bind_null(s, i);
	else
		cirt_stmt_bind_text(s, i, v, strlen(v));
}

void cirt_stmt_bind_i64(struct cirt_stmt *s, int i, int64_t v)
{
	struct cirt_param *p = param(s, i);

	p->type = PARAM_I64;
	p->i = v;
}

void cirt_stmt_bind_null(struct cirt_stmt *s, int i)
{
	param(s, i)->type = PARAM_NULL;
}

const char *cirt_stmt_param_text(const struct cirt_stmt *s, int i)
{
	return s->text.data + s->params[i].off;
}

int cirt_stmt_step(struct cirt_stmt *s, struct cirt_diag *d)
{
	int rc;

	if (!s->running) {
		if (s->bad_bind) {
			cirt_stmt_reset(s);
			return cirt_diag_set(d, -CIRT_EINVAL, NULL,
					     "a text value is not valid UTF-8, "
					     "contains a NUL byte, or is too "
					     "large to store");
		}
		for (int i = 0; i < s->nparams; i++)
			CIRT_ASSERT(s->params[i].type != PARAM_UNSET);
		s->running = true;
	}
	rc = s->db->ops->step(s, d);
	if (rc != CIRT_DB_ROW)
		cirt_stmt_reset(s);
	return rc;
}

int cirt_stmt_exec(struct cirt_stmt *s, struct cirt_diag *d)
{
	int rc = cirt_stmt_step(s, d);

	if (rc == CIRT_DB_ROW) {
		cirt_stmt_reset(s);
		rc = 0;
	}
	return rc;
}

int64_t cirt_stmt_changes(const struct cirt_stmt *s)
{
	return s->changes;
}

void cirt_stmt_reset(struct cirt_stmt *s)
{
	if (s->running)
		s->db->ops->reset(s);
	s->running = false;
	s->bad_bind = false;
	cirt_buf_release(&s->text);
	for (int i = 0; i < s->nparams; i++)
		s->params[i].type = PARAM_UNSET;
}

bool cirt_stmt_null(struct cirt_stmt *s, int col)
{
	return s->db->ops->col_null(s, col);
}

const char *cirt_stmt_text(struct cirt_stmt *s, int col)
{
	size_t len;
	const char *t = s->db->ops->col_text(s, col, &len);

	return t ? t : "";
}

size_t cirt_stmt_len(struct cirt_stmt *s, int col)
{
	size_t len = 0;

	s->db->ops->col_text(s, col, &len);
	return len;
}

const void *cirt_stmt_blob(struct cirt_stmt *s, int col, size_t *len)
{
	const char *t = s->db->ops->col_text(s, col, len);

	if (t == NULL) {
		*len = 0;
		return "";
	}
	if (cirt_db_kind(s->db) == CIRT_DB_SQLITE)
		return t;
	/* PostgreSQL sends bytea as text: "\\x" and two hex digits a byte. */
	s->blob.len = 0;
	if (*len < 2 || t[0] != '\\' || t[1] != 'x' || (*len - 2) % 2)
		goto bad;
	for (size_t at = 2; at < *len;) {
		unsigned char chunk[4096];
		size_t n = *len - at < 2 * sizeof(chunk) ? *len - at
							 : 2 * sizeof(chunk);

		if (!cirt_hex_decode(t + at, n, chunk) ||
		    cirt_buf_add(&s->blob, chunk, n / 2) < 0)
			goto bad;
		at += n;
	}
	*len = s->blob.len;
	return s->blob.len ? s->blob.data : "";
bad:
	s->blob.len = 0;
	*len = 0;
	return "";
}

int64_t cirt_stmt_i64(struct cirt_stmt *s, int col)
{
	return s->db->ops->col_i64(s, col);
}
