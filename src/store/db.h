/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The store interface: one connection to the embedded SQLite store or to a
 * PostgreSQL server, behind the same calls. Modules above write their SQL
 * once, in the dialect both accept (`?` placeholders, BIGINT columns,
 * RETURNING, ON CONFLICT), as static struct cirt_sql objects; each
 * connection prepares a statement the first time it is used and keeps it.
 * There is no way to run SQL built from text at run time: every value goes
 * through a bound parameter.
 *
 * Layer: store. A connection (and its statements) is used by one thread at
 * a time; share connections between threads through store/db_pool.h.
 *
 * Statement lifecycle: cirt_db_stmt() returns the connection's prepared
 * statement for q, reset and ready to bind; bind every parameter (1-based),
 * then cirt_stmt_step() until it returns CIRT_DB_DONE or an error, which
 * both reset the statement. A caller that stops early calls
 * cirt_stmt_reset(). Column values are valid until the next step or reset.
 *
 * Transactions: cirt_db_begin() starts a write transaction (SQLite: BEGIN
 * IMMEDIATE, so writers queue instead of deadlocking; PostgreSQL: BEGIN).
 * Outside a transaction each statement commits on its own.
 *
 * Errors map to codes: a unique or primary key violation is
 * -CIRT_ECONFLICT, another constraint violation -CIRT_EINVAL, a busy or
 * serialisation failure -CIRT_EAGAIN, anything else -CIRT_EIO.
 * See docs/internals/store.md.
 */
#ifndef CIRT_STORE_DB_H
#define CIRT_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/err.h"

enum cirt_db_kind {
	CIRT_DB_SQLITE,
	CIRT_DB_PG
};

/* What to connect to: exactly one of sqlite_path and pg_conninfo. */
struct cirt_db_target {
	const char *sqlite_path;
	const char *pg_conninfo;
	bool create; /* SQLite: create the file if missing (init only) */
};

/* A statement, defined once as a static object by the module that uses it. */
struct cirt_sql {
	const char *sql; /* both dialects, `?` placeholders */
	const char *pg; /* PostgreSQL text where the dialects differ, or NULL */
};

#define CIRT_DB_DONE 0
#define CIRT_DB_ROW  1

/* Name of the SQLite file inside a data directory. */
#define CIRT_DB_SQLITE_FILE "cirtkit.db"

struct cirt_db;
struct cirt_stmt;

int cirt_db_open(const struct cirt_db_target *t, struct cirt_db **out,
		 struct cirt_diag *d) CIRT_MUST_CHECK;
/* Close and free; NULL is a no-op. */
void cirt_db_close(struct cirt_db *db);

enum cirt_db_kind cirt_db_kind(const struct cirt_db *db);

/* Reconnect if the server connection was lost (PostgreSQL). 0 or -CIRT_EIO. */
int cirt_db_check(struct cirt_db *db, struct cirt_diag *d);

int cirt_db_begin(struct cirt_db *db, struct cirt_diag *d) CIRT_MUST_CHECK;
int cirt_db_commit(struct cirt_db *db, struct cirt_diag *d) CIRT_MUST_CHECK;
/* Roll back the open transaction, if any. Never fails visibly. */
void cirt_db_rollback(struct cirt_db *db);
bool cirt_db_in_tx(const struct cirt_db *db);

/*
 * Finish the open transaction: commit if rc is 0, else roll back. Returns
 * rc, or the commit's error. Lets a change end in one line:
 * `return cirt_db_end(db, rc, d);`.
 */
int cirt_db_end(struct cirt_db *db, int rc, struct cirt_diag *d);

/*
 * Run a fixed script of statements without parameters (migrations only).
 * Must not contain data from outside the binary.
 */
int cirt_db_exec_script(struct cirt_db *db, const char *sql,
			struct cirt_diag *d) CIRT_MUST_CHECK;

/* The connection's prepared statement for q, or NULL with d set. */
struct cirt_stmt *cirt_db_stmt(struct cirt_db *db, const struct cirt_sql *q,
			       struct cirt_diag *d);

/* Bind parameter i (from 1). Text is copied. A text that is not valid
 * UTF-8 or contains a NUL byte makes the next step fail with
 * -CIRT_EINVAL, on both backends alike. */
void cirt_stmt_bind_text(struct cirt_stmt *s, int i, const char *v, size_t len);
/* Bind bytes (a BLOB / BYTEA column). Copied. */
void cirt_stmt_bind_blob(struct cirt_stmt *s, int i, const void *v, size_t len);
/* Bind a NUL-terminated string, or NULL as SQL NULL. */
void cirt_stmt_bind_str(struct cirt_stmt *s, int i, const char *v);
void cirt_stmt_bind_i64(struct cirt_stmt *s, int i, int64_t v);
void cirt_stmt_bind_null(struct cirt_stmt *s, int i);

/* CIRT_DB_ROW, CIRT_DB_DONE, or a negative code with d set. */
int cirt_stmt_step(struct cirt_stmt *s, struct cirt_diag *d) CIRT_MUST_CHECK;

/* Step a statement that returns no rows; 0 or a negative code. */
int cirt_stmt_exec(struct cirt_stmt *s, struct cirt_diag *d) CIRT_MUST_CHECK;

/* Rows changed by the last INSERT/UPDATE/DELETE run to completion. */
int64_t cirt_stmt_changes(const struct cirt_stmt *s);

void cirt_stmt_reset(struct cirt_stmt *s);

/* Column accessors for the current row (columns from 0). NULL reads as 0
 * or "". */
bool cirt_stmt_null(struct cirt_stmt *s, int col);
int64_t cirt_stmt_i64(struct cirt_stmt *s, int col);
const char *cirt_stmt_text(struct cirt_stmt *s, int col);
size_t cirt_stmt_len(struct cirt_stmt *s, int col);
/* A bytes column (@BLOB@ in a migration): its bytes and *len. */
const void *cirt_stmt_blob(struct cirt_stmt *s, int col, size_t *len);

#endif
