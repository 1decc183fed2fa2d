/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Migration runner. See store/migrate.h.
 */
#include "store/migrate.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/time.h"
#include "store/db_int.h"
#include "core/banned.h"

extern const struct cirt_embed_file cirt_migration_files[];
extern const size_t cirt_migration_files_count;

#define MIGRATIONS_MAX 1000

static struct cirt_migration builtin[MIGRATIONS_MAX];
static size_t nbuiltin;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

/* "0001_accounts.sql" -> version 1, name "accounts". The build only embeds
 * files named so; anything else is a packaging bug. */
static void load_builtin(void)
{
	char num[5];
	int64_t v;

	CIRT_ASSERT(cirt_migration_files_count <= MIGRATIONS_MAX);
	for (size_t i = 0; i < cirt_migration_files_count; i++) {
		const struct cirt_embed_file *f = &cirt_migration_files[i];
		size_t n = strlen(f->name);
		char *name;

		CIRT_ASSERT(n > 9 && f->name[4] == '_');
		memcpy(num, f->name, 4);
		num[4] = '\0';
		if (cirt_parse_i64(num, 1, 9999, &v) < 0 || (size_t)v != i + 1)
			cirt_fatalx("migration %s is out of sequence", f->name);
		name = cirt_xstrndup(f->name + 5, n - 9); /* drop ".sql" */
		builtin[i].version = (int)v;
		builtin[i].name = name;
		builtin[i].sql = f->data;
	}
	nbuiltin = cirt_migration_files_count;
}

const struct cirt_migration *cirt_migrations(size_t *n)
{
	pthread_once(&builtin_once, load_builtin);
	*n = nbuiltin;
	return builtin;
}

int cirt_schema_latest(void)
{
	size_t n;
	const struct cirt_migration *m = cirt_migrations(&n);

	return n ? m[n - 1].version : 0;
}

static const struct cirt_sql q_has_table = {
	"SELECT count(*) FROM sqlite_master "
	"WHERE type = 'table' AND name = 'schema_migrations'",
	"SELECT count(*) FROM information_schema.tables "
	"WHERE table_schema = current_schema() "
	"AND table_name = 'schema_migrations'",
};

static const struct cirt_sql q_version = {
	"SELECT coalesce(max(version), 0) FROM schema_migrations", NULL};

static const struct cirt_sql q_record = {
	"INSERT INTO schema_migrations (version, name, applied_at) "
	"VALUES (?, ?, ?)",
	NULL};

static int query_int(struct cirt_db *db, const struct cirt_sql *q, int64_t *out,
		     struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, q, d);
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	rc = cirt_stmt_step(s, d);
	if (rc == CIRT_DB_ROW) {
		*out = cirt_stmt_i64(s, 0);
		cirt_stmt_reset(s);
		return 0;
	}
	return rc < 0 ? rc : -CIRT_EINTERNAL;
}

int cirt_schema_version(struct cirt_db *db, int *version, struct cirt_diag *d)
{
	int64_t n = 0;
	int rc;

	*version = 0;
	rc = query_int(db, &q_has_table, &n, d);
	if (rc < 0 || n == 0)
		return rc;
	rc = query_int(db, &q_version, &n, d);
	if (rc == 0)
		*version = (int)n;
	return rc;
}

/* Start a migration transaction; PostgreSQL also takes the lock that
 * keeps two migrating processes apart. */
static int begin_locked(struct cirt_db *db, struct cirt_diag *d)
{
	int rc = cirt_db_begin(db, d);

	if (rc == 0 && cirt_db_kind(db) == CIRT_DB_PG)
		rc = cirt_db_exec_script(
			db, "SELECT pg_advisory_xact_lock(7461236)", d);
	if (rc < 0)
		cirt_db_rollback(db);
	return rc;
}

static int create_version_table(struct cirt_db *db, struct cirt_diag *d)
{
	int rc = begin_locked(db, d);

	if (rc < 0)
		return rc;
	rc = cirt_db_exec_script(db,
				 "CREATE TABLE IF NOT EXISTS schema_migrations"
				 " (version BIGINT PRIMARY KEY,"
				 " name TEXT NOT NULL,"
				 " applied_at BIGINT NOT NULL)",
				 d);
	if (rc < 0) {
		cirt_db_rollback(db);
		return rc;
	}
	return cirt_db_commit(db, d);
}

/*
 * The migration's SQL for this backend: @ID@ and @BLOB@ become the
 * backend's column types, and the lines between a "--@sqlite" or "--@pg"
 * line and the next "--@..." line are kept only on that backend
 * ("--@end" closes a block).
 */
static int dialect(struct cirt_db *db, const char *sql, struct cirt_buf *out)
{
	static const struct {
		const char *mark;
		size_t len;
	} marks[] = {{"@ID@", 4}, {"@BLOB@", 6}};
	const char *mine =
		cirt_db_kind(db) == CIRT_DB_SQLITE ? "--@sqlite" : "--@pg";
	const char *p = sql;
	bool keep = true;
	int rc = 0;

	while (rc == 0 && *p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) + 1 : strlen(p);

		if (strncmp(p, "--@", 3) == 0) {
			keep = strncmp(p, "--@end", 6) == 0 ||
			       (strncmp(p, mine, strlen(mine)) == 0 &&
				(p[strlen(mine)] == '\n' ||
				 p[strlen(mine)] == 0));
			p += n;
			continue;
		}
		for (const char *q = p; keep && rc == 0 && q < p + n;) {
			const char *hit = NULL;
			size_t which = 0;

			for (size_t i = 0; i < 2; i++) {
				const char *h = strstr(q, marks[i].mark);

				if (h && h < p + n &&
				    (hit == NULL || h < hit)) {
					hit = h;
					which = i;
				}
			}
			if (hit == NULL) {
				rc = cirt_buf_add(out, q, (size_t)(p + n - q));
				break;
			}
			rc = cirt_buf_add(out, q, (size_t)(hit - q));
			if (rc == 0)
				rc = cirt_buf_adds(
					out, which == 0 ? db->ops->id_column
							: db->ops->blob_column);
			q = hit + marks[which].len;
		}
		p += n;
	}
	return rc;
}

static int apply_one(struct cirt_db *db, const struct cirt_migration *m,
		     struct cirt_diag *d)
{
	struct cirt_diag inner;
	struct cirt_buf sql;
	struct cirt_stmt *s;
	int version = 0;
	int rc;

	cirt_diag_init(&inner);
	cirt_buf_init(&sql, 16u << 20);
	rc = begin_locked(db, &inner);
	if (rc < 0)
		goto out;
	/* Another process may have applied it while we waited. */
	rc = cirt_schema_version(db, &version, &inner);
	if (rc < 0 || version >= m->version)
		goto out_end;
	rc = dialect(db, m->sql, &sql);
	if (rc == 0)
		rc = cirt_db_exec_script(db, cirt_buf_str(&sql), &inner);
	if (rc < 0)
		goto out_end;
	s = cirt_db_stmt(db, &q_record, &inner);
	if (s == NULL) {
		rc = inner.code;
		goto out_end;
	}
	cirt_stmt_bind_i64(s, 1, m->version);
	cirt_stmt_bind_str(s, 2, m->name);
	cirt_stmt_bind_i64(s, 3, cirt_time_now_us());
	rc = cirt_stmt_exec(s, &inner);
out_end:
	if (rc < 0)
		cirt_db_rollback(db);
	else
		rc = cirt_db_commit(db, &inner);
out:
	cirt_buf_release(&sql);
	if (rc < 0)
		return cirt_diag_set(d, rc, NULL,
				     "migration %04d_%s failed, store left "
				     "unchanged: %s",
				     m->version, m->name, inner.message);
	return 0;
}

int cirt_migrate(struct cirt_db *db, const struct cirt_migration *list,
		 size_t n, int *from, int *to, struct cirt_diag *d)
{
	int version = 0;
	int rc;

	rc = create_version_table(db, d);
	if (rc == 0)
		rc = cirt_schema_version(db, &version, d);
	if (rc < 0)
		return rc;
	if (from)
		*from = version;
	for (size_t i = 0; i < n; i++) {
		if (list[i].version <= version)
			continue;
		rc = apply_one(db, &list[i], d);
		if (rc < 0)
			return rc;
		version = list[i].version;
	}
	if (to)
		*to = version;
	return 0;
}

int cirt_schema_check(struct cirt_db *db, struct cirt_diag *d)
{
	int latest = cirt_schema_latest(), version = 0;
	int rc = cirt_schema_version(db, &version, d);

	if (rc < 0)
		return rc;
	if (version == 0)
		return cirt_diag_set(d, -CIRT_ENOTFOUND, NULL,
				     "the store is empty: run `cirtkit init`");
	if (version < latest)
		return cirt_diag_set(d, -CIRT_ECONFLICT, NULL,
				     "the store has schema version %d, this "
				     "binary needs %d: run `cirtkit init` to "
				     "upgrade it",
				     version, latest);
	if (version > latest)
		return cirt_diag_set(d, -CIRT_ECONFLICT, NULL,
				     "the store has schema version %d, newer "
				     "than this binary (%d): upgrade cirtkit",
				     version, latest);
	return 0;
}
