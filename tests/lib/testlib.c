/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Store fixtures for unit tests. See tests/lib/testlib.h.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "account/user.h"
#include "core/json.h"
#include "core/mem.h"
#include "store/migrate.h"

const struct cirt_actor test_actor = {"tester", "192.0.2.1"};

static unsigned schema_seq;

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static void pg_admin(const char *sql)
{
	const char *dsn = getenv("CIRT_TEST_PG_DSN");
	PGconn *c = PQconnectdb(dsn);
	PGresult *r;

	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("cannot connect to %s: %s", dsn, PQerrorMessage(c));
	PQsetNoticeProcessor(c, quiet, NULL);
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

struct cirt_db *test_store_connect(const struct test_store *ts)
{
	struct cirt_db_target t = {NULL, NULL, true};
	struct cirt_diag d;
	struct cirt_db *db = NULL;

	cirt_diag_init(&d);
	if (ts->pg)
		t.pg_conninfo = ts->target;
	else
		t.sqlite_path = ts->target;
	if (cirt_db_open(&t, &db, &d) < 0)
		fail_msg("open %s: %s", ts->target, d.message);
	return db;
}

static int setup(void **state, bool pg, bool migrated)
{
	struct test_store *ts = cirt_xcalloc(1, sizeof(*ts));
	struct cirt_diag d;
	size_t n;
	const struct cirt_migration *m = cirt_migrations(&n);

	cirt_json_setup();
	cirt_diag_init(&d);
	ts->pg = pg;
	if (pg) {
		char sql[128];

		snprintf(ts->schema, sizeof(ts->schema), "t_%ld_%u",
			 (long)getpid(), ++schema_seq);
		snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", ts->schema);
		pg_admin(sql);
		snprintf(ts->target, sizeof(ts->target),
			 "%s options='-csearch_path=%s'",
			 getenv("CIRT_TEST_PG_DSN"), ts->schema);
	} else {
		snprintf(ts->dir, sizeof(ts->dir), "/tmp/cirt-unit-XXXXXX");
		if (mkdtemp(ts->dir) == NULL)
			fail_msg("mkdtemp failed");
		snprintf(ts->target, sizeof(ts->target), "%s/%s", ts->dir,
			 CIRT_DB_SQLITE_FILE);
	}
	ts->db = test_store_connect(ts);
	if (migrated && cirt_migrate(ts->db, m, n, NULL, NULL, &d) < 0)
		fail_msg("migrate: %s", d.message);
	*state = ts;
	return 0;
}

int test_setup_sqlite(void **state)
{
	return setup(state, false, true);
}

int test_setup_pg(void **state)
{
	return setup(state, true, true);
}

int test_setup_sqlite_empty(void **state)
{
	return setup(state, false, false);
}

int test_setup_pg_empty(void **state)
{
	return setup(state, true, false);
}

int test_teardown(void **state)
{
	struct test_store *ts = *state;
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char path[1100];

	cirt_db_close(ts->db);
	if (ts->pg) {
		char sql[128];

		snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE",
			 ts->schema);
		pg_admin(sql);
	} else {
		for (size_t i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), "%s%s", ts->target,
				 suffix[i]);
			unlink(path);
		}
		rmdir(ts->dir);
	}
	free(ts);
	return 0;
}

int test_run_on_both(const char *name, const struct CMUnitTest *tests, size_t n,
		     bool migrated)
{
	struct CMUnitTest *copy = cirt_xcalloc(n, sizeof(*copy));
	char group[128];
	int failed;

	for (size_t i = 0; i < n; i++) {
		copy[i] = tests[i];
		copy[i].setup_func =
			migrated ? test_setup_sqlite : test_setup_sqlite_empty;
		copy[i].teardown_func = test_teardown;
	}
	snprintf(group, sizeof(group), "%s on SQLite", name);
	failed = _cmocka_run_group_tests(group, copy, n, NULL, NULL);
	if (getenv("CIRT_TEST_PG_DSN") == NULL ||
	    *getenv("CIRT_TEST_PG_DSN") == '\0') {
		printf("# SKIP %s on PostgreSQL: CIRT_TEST_PG_DSN is not set\n",
		       name);
		free(copy);
		return failed;
	}
	for (size_t i = 0; i < n; i++)
		copy[i].setup_func =
			migrated ? test_setup_pg : test_setup_pg_empty;
	snprintf(group, sizeof(group), "%s on PostgreSQL", name);
	failed += _cmocka_run_group_tests(group, copy, n, NULL, NULL);
	free(copy);
	return failed;
}

void test_exec(struct cirt_db *db, const struct cirt_sql *q, int nargs,
	       int64_t a, int64_t b)
{
	struct cirt_diag d;
	struct cirt_stmt *s;

	cirt_diag_init(&d);
	s = cirt_db_stmt(db, q, &d);
	if (s == NULL)
		fail_msg("prepare %s: %s", q->sql, d.message);
	if (nargs > 0)
		cirt_stmt_bind_i64(s, 1, a);
	if (nargs > 1)
		cirt_stmt_bind_i64(s, 2, b);
	if (cirt_stmt_exec(s, &d) < 0)
		fail_msg("%s: %s", q->sql, d.message);
}

int64_t test_count(struct cirt_db *db, const struct cirt_sql *q)
{
	struct cirt_diag d;
	struct cirt_stmt *s;
	int64_t n;

	cirt_diag_init(&d);
	s = cirt_db_stmt(db, q, &d);
	if (s == NULL || cirt_stmt_step(s, &d) != CIRT_DB_ROW)
		fail_msg("%s: %s", q->sql, d.message);
	n = cirt_stmt_i64(s, 0);
	cirt_stmt_reset(s);
	return n;
}

struct cirt_db *test_with_alice(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_user_new u = {"alice",	 5,
				  "CIRT",	 CIRT_ROLE_ANALYST,
				  TEST_PASSWORD, strlen(TEST_PASSWORD)};
	struct cirt_diag d;

	cirt_diag_init(&d);
	if (cirt_org_add(db, &test_actor, "CIRT", 4, CIRT_ORG_TEAM, NULL, &d) <
		    0 ||
	    cirt_user_add(db, &test_actor, &u, NULL, &d) < 0)
		fail_msg("test_with_alice: %s", d.message);
	return db;
}

const char *test_shared_data(const char *why)
{
	struct stat st;

	if (stat(CIRT_TEST_SHARED_DATA, &st) == 0 && S_ISDIR(st.st_mode))
		return CIRT_TEST_SHARED_DATA;
	printf("# SKIP %s: %s is not there\n", why, CIRT_TEST_SHARED_DATA);
	return NULL;
}

int test_temp_fd(const void *p, size_t n)
{
	char path[] = "/tmp/cirt-test-XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got;
	char *buf;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	buf = cirt_xmalloc(cap + 1);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			if (cap >= (64u << 20))
				fail_msg("%s is larger than 64 MiB", path);
			cap *= 2;
			buf = cirt_xrealloc(buf, cap + 1);
		}
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}
