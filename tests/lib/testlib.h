/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Helpers for the cmocka unit tests: a fresh, migrated store per test on
 * SQLite (a temporary file) or PostgreSQL (a schema of its own in the
 * server named by CIRT_TEST_PG_DSN, dropped afterwards), and a runner that
 * runs one list of store tests on both backends.
 *
 * Tests that need PostgreSQL are skipped, with a message, when
 * CIRT_TEST_PG_DSN is not set; ./check.sh always sets it.
 */
#ifndef CIRT_TESTLIB_H
#define CIRT_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "audit/audit.h"
#include "store/db.h"

struct test_store {
	struct cirt_db *db;
	bool pg;
	char dir[256];	   /* SQLite: temporary directory */
	char schema[64];   /* PostgreSQL: schema name */
	char target[1024]; /* SQLite path or PostgreSQL conninfo */
};

/* The actor tests write into the audit log. */
extern const struct cirt_actor test_actor;

/* cmocka setup/teardown: *state becomes a struct test_store *. */
int test_setup_sqlite(void **state);
int test_setup_pg(void **state);
int test_teardown(void **state);

/* An unmigrated store (for the migration tests). */
int test_setup_sqlite_empty(void **state);
int test_setup_pg_empty(void **state);

/* Open another connection to the same store. */
struct cirt_db *test_store_connect(const struct test_store *ts);

/* Run tests[0..n) once with each setup: on SQLite, and on PostgreSQL when
 * CIRT_TEST_PG_DSN is set. The tests' setup fields are ignored. */
int test_run_on_both(const char *name, const struct CMUnitTest *tests, size_t n,
		     bool migrated);

/*
 * The path of ../shared/data (real schemas, examples and samples beside
 * the clone), or NULL, after printing a TAP skip line naming why, when it
 * is not there. Tests that need it return early on NULL.
 */
const char *test_shared_data(const char *why);

/* Read a whole file (up to 64 MiB) into a NUL-terminated buffer; the
 * caller frees it. Fails the test if it cannot. */
char *test_read_file(const char *path, size_t *len);

/* An unlinked temporary file holding p[0..n), open for reading at its
 * start; the caller closes it. Fails the test if it cannot. */
int test_temp_fd(const void *p, size_t n);

/* The password test_with_alice() gives alice. */
#define TEST_PASSWORD "a good long password"

/* Fill the store with the team organisation "CIRT" and an analyst "alice"
 * (password TEST_PASSWORD); returns the store's connection. */
struct cirt_db *test_with_alice(void **state);

/* Run one fixed statement with up to two integer parameters. */
void test_exec(struct cirt_db *db, const struct cirt_sql *q, int nargs,
	       int64_t a, int64_t b);

/* Count rows: q must select one integer. */
int64_t test_count(struct cirt_db *db, const struct cirt_sql *q);

#endif
