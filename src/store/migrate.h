/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Versioned schema migrations, shared by both backends. The migrations are
 * the files src/store/migrations/NNNN_name.sql compiled into the binary;
 * the version applied so far is recorded in the table schema_migrations.
 *
 * Each migration runs in its own transaction together with its row in
 * schema_migrations, so a migration that fails leaves the database exactly
 * as it was before it. Several processes may migrate at once: SQLite
 * serialises them on BEGIN IMMEDIATE, PostgreSQL on an advisory lock.
 *
 * In the SQL, @ID@ stands for the backend's auto-assigned 64-bit primary
 * key column; everything else must be valid in both dialects.
 *
 * Layer: store. Runs from `cirtkit init` only; `serve` merely checks.
 */
#ifndef CIRT_STORE_MIGRATE_H
#define CIRT_STORE_MIGRATE_H

#include <stddef.h>

#include "store/db.h"

struct cirt_migration {
	int version;
	const char *name;
	const char *sql;
};

/* The migrations built into this binary, in order; *n gets the count. */
const struct cirt_migration *cirt_migrations(size_t *n);

/* The newest schema version this binary knows. */
int cirt_schema_latest(void);

/* The store's schema version, 0 for an empty store. */
int cirt_schema_version(struct cirt_db *db, int *version,
			struct cirt_diag *d) CIRT_MUST_CHECK;

/*
 * Apply every migration of list[0..n) newer than the store's version.
 * *from and *to (may be NULL) get the versions before and after.
 */
int cirt_migrate(struct cirt_db *db, const struct cirt_migration *list,
		 size_t n, int *from, int *to,
		 struct cirt_diag *d) CIRT_MUST_CHECK;

/* 0 if the store is at this binary's version; otherwise an error that
 * says what to do. */
int cirt_schema_check(struct cirt_db *db, struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
