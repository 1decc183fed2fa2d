/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * SQLite backend of the store interface: the embedded default store, one
 * file in the data directory, in WAL mode with 16 KB pages, synchronous=FULL
 * (a committed transaction survives a power cut, not only a crash), foreign
 * keys on. Writers queue on BEGIN IMMEDIATE with a busy timeout.
 *
 * Layer: store. See store/db.h and docs/internals/store.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/log.h"
#include "store/db_int.h"
#include "core/banned.h"

#define BUSY_TIMEOUT_MS 10000

/* page_size must come before journal_mode: it only applies to a new file. */
static const char setup_sql[] = "PRAGMA page_size = 16384;"
				"PRAGMA journal_mode = WAL;"
				"PRAGMA synchronous = FULL;"
				"PRAGMA foreign_keys = ON;"
				"PRAGMA trusted_schema = OFF;"
				"PRAGMA temp_store = MEMORY;";

static sqlite3 *conn_of(struct cirt_db *db)
{
	return db->conn;
}

static int map_error(sqlite3 *conn, int rc, struct cirt_diag *d)
{
	int code;

	if (rc == SQLITE_CONSTRAINT_UNIQUE ||
	    rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		code = CIRT_ECONFLICT;
	else if ((rc & 0xff) == SQLITE_CONSTRAINT)
		code = CIRT_EINVAL;
	else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		code = CIRT_EAGAIN;
	else
		code = CIRT_EIO;
	return cirt_diag_set(d, -code, NULL, "sqlite: %s",
			     conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
}

static int sq_exec(struct cirt_db *db, const char *sql, struct cirt_diag *d)
{
	int rc = sqlite3_exec(conn_of(db), sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : map_error(conn_of(db), rc, d);
}

static int sq_open(struct cirt_db *db, const struct cirt_db_target *t,
		   struct cirt_diag *d)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	sqlite3 *conn = NULL;
	int rc;

	if (!t->create && access(t->sqlite_path, F_OK) != 0)
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "data",
				     "no store at %s: run `cirtkit init` first",
				     t->sqlite_path);
	if (t->create)
		flags |= SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(t->sqlite_path, &conn, flags, NULL);
	if (rc != SQLITE_OK) {
		rc = cirt_diag_set(d, -CIRT_EIO, "data", "cannot open %s: %s",
				   t->sqlite_path,
				   conn ? sqlite3_errmsg(conn)
					: sqlite3_errstr(rc));
		sqlite3_close(conn);
		return rc;
	}
	sqlite3_extended_result_codes(conn, 1);
	sqlite3_busy_timeout(conn, BUSY_TIMEOUT_MS);
	db->conn = conn;
	rc = sq_exec(db, setup_sql, d);
	if (rc < 0) {
		sqlite3_close(conn);
		db->conn = NULL;
	}
	return rc;
}

static void sq_close(struct cirt_db *db)
{
	if (sqlite3_close(conn_of(db)) != SQLITE_OK)
		cirt_log_warnx("sqlite: close: %s",
			       sqlite3_errmsg(conn_of(db)));
	db->conn = NULL;
}

static bool sq_broken(struct cirt_db *db)
{
	(void)db;
	return false;
}

static int sq_reconnect(struct cirt_db *db, struct cirt_diag *d)
{
	(void)db;
	(void)d;
	return 0;
}

static int sq_prepare(struct cirt_stmt *s, const char *sql, struct cirt_diag *d)
{
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int rc;

	rc = sqlite3_prepare_v3(conn_of(s->db), sql, -1,
				SQLITE_PREPARE_PERSISTENT, &st, &tail);
	if (rc != SQLITE_OK)
		return map_error(conn_of(s->db), rc, d);
	if (tail && *tail) {
		sqlite3_finalize(st);
		return cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
				     "more than one statement in: %s", sql);
	}
	s->impl = st;
	return 0;
}

static void sq_finalize(struct cirt_stmt *s)
{
	sqlite3_finalize(s->impl);
	s->impl = NULL;
}

static void bind_all(struct cirt_stmt *s)
{
	sqlite3_stmt *st = s->impl;

	for (int i = 0; i < s->nparams; i++) {
		const struct cirt_param *p = &s->params[i];

		switch (p->type) {
		case PARAM_I64:
			sqlite3_bind_int64(st, i + 1, p->i);
			break;
		case PARAM_TEXT:
			/* Static: the text lives until cirt_stmt_reset(). */
			sqlite3_bind_text64(st, i + 1,
					    cirt_stmt_param_text(s, i), p->len,
					    SQLITE_STATIC, SQLITE_UTF8);
			break;
		case PARAM_BLOB:
			sqlite3_bind_blob64(st, i + 1,
					    cirt_stmt_param_text(s, i), p->len,
					    SQLITE_STATIC);
			break;
		default:
			sqlite3_bind_null(st, i + 1);
			break;
		}
	}
}

static int sq_step(struct cirt_stmt *s, struct cirt_diag *d)
{
	sqlite3_stmt *st = s->impl;
	int rc;

	if (!sqlite3_stmt_busy(st))
		bind_all(s);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return CIRT_DB_ROW;
	if (rc == SQLITE_DONE) {
		s->changes = sqlite3_changes64(conn_of(s->db));
		return CIRT_DB_DONE;
	}
	return map_error(conn_of(s->db), rc, d);
}

static void sq_reset(struct cirt_stmt *s)
{
	sqlite3_reset(s->impl);
	sqlite3_clear_bindings(s->impl);
}

static bool sq_col_null(struct cirt_stmt *s, int col)
{
	return sqlite3_column_type(s->impl, col) == SQLITE_NULL;
}

static const char *sq_col_text(struct cirt_stmt *s, int col, size_t *len)
{
	const char *t = (const char *)sqlite3_column_text(s->impl, col);

	*len = (size_t)sqlite3_column_bytes(s->impl, col);
	return t;
}

static int64_t sq_col_i64(struct cirt_stmt *s, int col)
{
	return sqlite3_column_int64(s->impl, col);
}

const struct cirt_db_ops cirt_db_sqlite_ops = {
	.name = "sqlite",
	.id_column = "INTEGER PRIMARY KEY",
	.blob_column = "BLOB",
	.open = sq_open,
	.close = sq_close,
	.broken = sq_broken,
	.reconnect = sq_reconnect,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.step = sq_step,
	.reset = sq_reset,
	.col_null = sq_col_null,
	.col_text = sq_col_text,
	.col_i64 = sq_col_i64,
};
