/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Figures about the store for /metrics and `cirtkit check`: rows in the
 * main tables and the size of the database. Each figure is one indexed or
 * catalogue query, cheap enough to run on every scrape.
 *
 * Layer: store. Uses the caller's connection.
 */
#ifndef CIRT_STORE_STATS_H
#define CIRT_STORE_STATS_H

#include <stdint.h>

#include "store/db.h"

struct cirt_store_stats {
	int64_t orgs;
	int64_t users;
	int64_t tokens_active; /* neither revoked nor expired */
	int64_t sessions;
	int64_t audit_entries;
	int64_t bytes; /* database size */
	int schema_version;
};

int cirt_store_stats(struct cirt_db *db, struct cirt_store_stats *out,
		     struct cirt_diag *d) CIRT_MUST_CHECK;

/* One round trip to the store: 0, or -CIRT_EIO if it does not answer. */
int cirt_store_ping(struct cirt_db *db, struct cirt_diag *d) CIRT_MUST_CHECK;

/*
 * The backend's own consistency check (SQLite: integrity_check and
 * foreign_key_check; PostgreSQL: a round trip, as the server checks its
 * own pages). 0 if consistent; -CIRT_ECONFLICT with the first problem.
 */
int cirt_store_integrity(struct cirt_db *db,
			 struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
