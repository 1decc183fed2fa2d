/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Store figures and integrity check. See store/store_stats.h.
 */
#include "store/store_stats.h"

#include <string.h>

#include "core/time.h"
#include "store/migrate.h"
#include "core/banned.h"

static const struct cirt_sql q_counts = {
	"SELECT (SELECT count(*) FROM orgs), (SELECT count(*) FROM users), "
	"(SELECT count(*) FROM tokens WHERE revoked_at IS NULL "
	"AND (expires_at IS NULL OR expires_at > ?)), "
	"(SELECT count(*) FROM sessions), "
	"(SELECT seq FROM audit_head WHERE id = 1)",
	NULL};
static const struct cirt_sql q_bytes = {
	"SELECT page_count * page_size FROM pragma_page_count(), "
	"pragma_page_size()",
	"SELECT pg_database_size(current_database())"};
static const struct cirt_sql q_ping = {"SELECT 1", NULL};
static const struct cirt_sql q_integrity = {"PRAGMA integrity_check",
					    "SELECT 'ok'"};
static const struct cirt_sql q_fk = {"PRAGMA foreign_key_check",
				     "SELECT 1 WHERE false"};

/* Run q (binding *arg as its one parameter, if given); *out is the
 * statement positioned on its first row, or NULL if there is none. */
static int one_row(struct cirt_db *db, const struct cirt_sql *q,
		   const int64_t *arg, struct cirt_stmt **out,
		   struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, q, d);
	int rc;

	*out = NULL;
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	if (arg)
		cirt_stmt_bind_i64(s, 1, *arg);
	rc = cirt_stmt_step(s, d);
	if (rc < 0)
		return rc;
	*out = rc == CIRT_DB_ROW ? s : NULL;
	return 0;
}

int cirt_store_stats(struct cirt_db *db, struct cirt_store_stats *out,
		     struct cirt_diag *d)
{
	int64_t now = cirt_time_now_us();
	struct cirt_stmt *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = cirt_schema_version(db, &out->schema_version, d);
	if (rc == 0)
		rc = one_row(db, &q_counts, &now, &s, d);
	if (rc < 0)
		return rc;
	if (s) {
		out->orgs = cirt_stmt_i64(s, 0);
		out->users = cirt_stmt_i64(s, 1);
		out->tokens_active = cirt_stmt_i64(s, 2);
		out->sessions = cirt_stmt_i64(s, 3);
		out->audit_entries = cirt_stmt_i64(s, 4);
		cirt_stmt_reset(s);
	}
	rc = one_row(db, &q_bytes, NULL, &s, d);
	if (rc == 0 && s) {
		out->bytes = cirt_stmt_i64(s, 0);
		cirt_stmt_reset(s);
	}
	return rc;
}

int cirt_store_ping(struct cirt_db *db, struct cirt_diag *d)
{
	struct cirt_stmt *s = NULL;
	int rc = one_row(db, &q_ping, NULL, &s, d);

	if (s)
		cirt_stmt_reset(s);
	return rc;
}

int cirt_store_integrity(struct cirt_db *db, struct cirt_diag *d)
{
	struct cirt_stmt *s = NULL;
	int rc = one_row(db, &q_integrity, NULL, &s, d);

	if (rc < 0)
		return rc;
	if (s == NULL || strcmp(cirt_stmt_text(s, 0), "ok") != 0) {
		rc = cirt_diag_set(d, -CIRT_ECONFLICT, NULL,
				   "integrity check failed: %s",
				   s ? cirt_stmt_text(s, 0) : "no answer");
		if (s)
			cirt_stmt_reset(s);
		return rc;
	}
	cirt_stmt_reset(s);
	rc = one_row(db, &q_fk, NULL, &s, d);
	if (rc == 0 && s) {
		rc = cirt_diag_set(d, -CIRT_ECONFLICT, NULL,
				   "foreign key check failed in table %s",
				   cirt_stmt_text(s, 0));
		cirt_stmt_reset(s);
	}
	return rc;
}
