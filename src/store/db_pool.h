/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * A bounded pool of store connections shared by the HTTP worker threads.
 * A thread borrows a connection for the length of one request and gives it
 * back; when all are lent out, the next borrower waits. Connections are
 * opened on first need (one at creation, to fail fast) and checked for a
 * lost server connection when lent.
 *
 * Layer: store. Thread-safe.
 */
#ifndef CIRT_STORE_DB_POOL_H
#define CIRT_STORE_DB_POOL_H

#include <stddef.h>

#include "store/db.h"

struct cirt_db_pool;

/* Create a pool of at most max connections to t (strings are copied). */
int cirt_db_pool_new(const struct cirt_db_target *t, size_t max,
		     struct cirt_db_pool **out,
		     struct cirt_diag *d) CIRT_MUST_CHECK;

/* Borrow a connection; blocks while all are in use. */
int cirt_db_pool_get(struct cirt_db_pool *p, struct cirt_db **out,
		     struct cirt_diag *d) CIRT_MUST_CHECK;

/* Give a connection back; an open transaction is rolled back first. */
void cirt_db_pool_put(struct cirt_db_pool *p, struct cirt_db *db);

/* Close every connection; all must have been given back. NULL is a no-op. */
void cirt_db_pool_free(struct cirt_db_pool *p);

#endif
