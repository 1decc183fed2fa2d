/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Private to src/store: the backend vtable and the structures that db.c
 * shares with db_sqlite.c and db_pg.c.
 *
 * Parameters are recorded by db.c (values copied into the statement) and
 * handed to the backend all at once when the statement first runs, so the
 * two backends only implement prepare, run, next row, column access and
 * finalize.
 */
#ifndef CIRT_STORE_DB_INT_H
#define CIRT_STORE_DB_INT_H

#include "core/buf.h"
#include "store/db.h"

enum cirt_param_type {
	PARAM_UNSET,
	PARAM_NULL,
	PARAM_I64,
	PARAM_TEXT,
	PARAM_BLOB /* bytes, in stmt->text like a text */
};

struct cirt_param {
	enum cirt_param_type type;
	int64_t i;
	size_t off; /* text: offset into stmt->text */
	size_t len;
};

struct cirt_stmt {
	struct cirt_db *db;
	const struct cirt_sql *q;
	void *impl;		   /* backend statement */
	struct cirt_param *params; /* nparams entries */
	int nparams;
	struct cirt_buf text; /* bound text values, NUL-separated */
	struct cirt_buf blob; /* a bytes column decoded (PostgreSQL) */
	bool running;	      /* executed, rows may remain */
	bool bad_bind;	      /* a text with NUL was bound */
	int64_t changes;
};

struct cirt_db_ops {
	const char *name;
	/* Column type for an auto-assigned 64-bit primary key (@ID@). */
	const char *id_column;
	/* Column type for bytes (@BLOB@). */
	const char *blob_column;
	int (*open)(struct cirt_db *db, const struct cirt_db_target *t,
		    struct cirt_diag *d);
	void (*close)(struct cirt_db *db);
	bool (*broken)(struct cirt_db *db);
	int (*reconnect)(struct cirt_db *db, struct cirt_diag *d);
	int (*exec)(struct cirt_db *db, const char *sql, struct cirt_diag *d);
	/* Prepare sql (already in the backend's placeholder syntax). */
	int (*prepare)(struct cirt_stmt *s, const char *sql,
		       struct cirt_diag *d);
	void (*finalize)(struct cirt_stmt *s);
	/* First call: bind s->params and run; later calls: next row. */
	int (*step)(struct cirt_stmt *s, struct cirt_diag *d);
	/* Drop the current result; the statement can run again. */
	void (*reset)(struct cirt_stmt *s);
	bool (*col_null)(struct cirt_stmt *s, int col);
	const char *(*col_text)(struct cirt_stmt *s, int col, size_t *len);
	int64_t (*col_i64)(struct cirt_stmt *s, int col);
};

struct stmt_slot {
	const struct cirt_sql *key;
	struct cirt_stmt *stmt;
};

struct cirt_db {
	const struct cirt_db_ops *ops;
	void *conn;
	bool in_tx;
	unsigned next_name;	 /* PostgreSQL statement names s1, s2, ... */
	struct stmt_slot *slots; /* open-addressing cache, key = &cirt_sql */
	size_t nslots;
	size_t nused;
};

extern const struct cirt_db_ops cirt_db_sqlite_ops;
extern const struct cirt_db_ops cirt_db_pg_ops;

/* Text of parameter i (0-based) of s, NUL-terminated. */
const char *cirt_stmt_param_text(const struct cirt_stmt *s, int i);

#endif
