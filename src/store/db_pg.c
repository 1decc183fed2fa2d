/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * PostgreSQL backend of the store interface, through libpq: one server
 * connection per struct cirt_db, statements prepared server-side once per
 * connection (named s1, s2, ...), parameters and results in text format.
 * After a lost connection cirt_db_check() reconnects and the statement
 * cache is rebuilt on use.
 *
 * Layer: store. See store/db.h and docs/internals/store.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/log.h"
#include "core/mem.h"
#include "store/db_int.h"
#include "core/banned.h"

#define NUM_LEN 24 /* room for any int64 in decimal */

struct pg_stmt {
	char name[16];
	PGresult *res;
	int row;
	int nrows;
	const char **values; /* nparams */
	int *lengths;	     /* nparams, for bytes */
	int *formats;	     /* nparams: 1 for bytes, else 0 (text) */
	char *nums;	     /* nparams * NUM_LEN, text of integer params */
};

static PGconn *conn_of(struct cirt_db *db)
{
	return db->conn;
}

static void ignore_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* libpq messages end with a newline; keep the first line. */
static int set_message(struct cirt_diag *d, int code, const char *what,
		       const char *msg)
{
	size_t n = strcspn(msg, "\n");

	return cirt_diag_set(d, code, NULL, "postgresql: %s%.*s", what, (int)n,
			     msg);
}

static int map_result_error(PGconn *conn, PGresult *res, struct cirt_diag *d)
{
	const char *state =
		res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	int code = CIRT_EIO;

	if (state == NULL)
		state = "";
	if (strcmp(state, "23505") == 0)
		code = CIRT_ECONFLICT;
	else if (strncmp(state, "23", 2) == 0)
		code = CIRT_EINVAL;
	else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
		 strcmp(state, "55P03") == 0)
		code = CIRT_EAGAIN;
	return set_message(d, -code, "", PQerrorMessage(conn));
}

/*
 * Settings of every session. JIT off: the queries are short, keyed reads
 * whose estimated cost can still pass jit_above_cost (a page of a TAXII
 * collection, with its per-row subqueries, compiled for 350 ms to run for
 * 2). A server without JIT (before PostgreSQL 11) refuses the setting,
 * which changes nothing.
 */
static void session_settings(PGconn *conn)
{
	PQclear(PQexec(conn, "SET jit = off"));
}

static int pg_connect(struct cirt_db *db, const char *conninfo,
		      struct cirt_diag *d)
{
	static const char *const keys[] = {"dbname", "application_name",
					   "client_encoding", NULL};
	const char *values[] = {conninfo, "cirtkit", "UTF8", NULL};
	PGconn *conn = PQconnectdbParams(keys, values, 1);
	int rc;

	if (conn == NULL)
		return cirt_diag_set(d, -CIRT_EIO, "db",
				     "postgresql: out of memory connecting");
	if (PQstatus(conn) != CONNECTION_OK) {
		rc = set_message(d, -CIRT_EIO,
				 "cannot connect: ", PQerrorMessage(conn));
		PQfinish(conn);
		return rc;
	}
	PQsetNoticeProcessor(conn, ignore_notice, NULL);
	session_settings(conn);
	db->conn = conn;
	return 0;
}

static int pg_open(struct cirt_db *db, const struct cirt_db_target *t,
		   struct cirt_diag *d)
{
	return pg_connect(db, t->pg_conninfo, d);
}

static void pg_close(struct cirt_db *db)
{
	PQfinish(conn_of(db));
	db->conn = NULL;
}

static bool pg_broken(struct cirt_db *db)
{
	return PQstatus(conn_of(db)) != CONNECTION_OK;
}

static int pg_reconnect(struct cirt_db *db, struct cirt_diag *d)
{
	PQreset(conn_of(db));
	if (PQstatus(conn_of(db)) != CONNECTION_OK)
		return set_message(d, -CIRT_EIO, "cannot reconnect: ",
				   PQerrorMessage(conn_of(db)));
	PQsetNoticeProcessor(conn_of(db), ignore_notice, NULL);
	session_settings(conn_of(db));
	return 0;
}

static int pg_exec(struct cirt_db *db, const char *sql, struct cirt_diag *d)
{
	PGresult *res = PQexec(conn_of(db), sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = map_result_error(conn_of(db), res, d);
	PQclear(res);
	return rc;
}

static int pg_prepare(struct cirt_stmt *s, const char *sql, struct cirt_diag *d)
{
	struct pg_stmt *ps = cirt_xcalloc(1, sizeof(*ps));
	PGresult *res;
	int rc = 0;

	snprintf(ps->name, sizeof(ps->name), "s%u", ++s->db->next_name);
	res = PQprepare(conn_of(s->db), ps->name, sql, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = map_result_error(conn_of(s->db), res, d);
	PQclear(res);
	if (rc < 0) {
		free(ps);
		return rc;
	}
	ps->values = cirt_xcalloc((size_t)s->nparams + 1, sizeof(char *));
	ps->nums = cirt_xcalloc((size_t)s->nparams + 1, NUM_LEN);
	ps->lengths = cirt_xcalloc((size_t)s->nparams + 1, sizeof(int));
	ps->formats = cirt_xcalloc((size_t)s->nparams + 1, sizeof(int));
	s->impl = ps;
	return 0;
}

static void pg_finalize(struct cirt_stmt *s)
{
	struct pg_stmt *ps = s->impl;

	if (ps == NULL)
		return;
	PQclear(ps->res);
	free(ps->values);
	free(ps->nums);
	free(ps->lengths);
	free(ps->formats);
	free(ps);
	s->impl = NULL;
}

static int64_t parse_i64(const char *t)
{
	return t ? (int64_t)strtoll(t, NULL, 10) : 0;
}

static int run(struct cirt_stmt *s, struct pg_stmt *ps, struct cirt_diag *d)
{
	ExecStatusType st;

	for (int i = 0; i < s->nparams; i++) {
		const struct cirt_param *p = &s->params[i];
		char *num = ps->nums + (size_t)i * NUM_LEN;

		ps->formats[i] = 0;

		switch (p->type) {
		case PARAM_I64:
			snprintf(num, NUM_LEN, "%" PRId64, p->i);
			ps->values[i] = num;
			break;
		case PARAM_TEXT:
			ps->values[i] = cirt_stmt_param_text(s, i);
			break;
		case PARAM_BLOB:
			ps->values[i] = cirt_stmt_param_text(s, i);
			ps->lengths[i] = (int)p->len;
			ps->formats[i] = 1;
			break;
		default:
			ps->values[i] = NULL;
			break;
		}
	}
	ps->res = PQexecPrepared(conn_of(s->db), ps->name, s->nparams,
				 ps->values, ps->lengths, ps->formats, 0);
	st = PQresultStatus(ps->res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		return map_result_error(conn_of(s->db), ps->res, d);
	ps->row = 0;
	ps->nrows = st == PGRES_TUPLES_OK ? PQntuples(ps->res) : 0;
	s->changes = parse_i64(PQcmdTuples(ps->res));
	return ps->nrows > 0 ? CIRT_DB_ROW : CIRT_DB_DONE;
}

static int pg_step(struct cirt_stmt *s, struct cirt_diag *d)
{
	struct pg_stmt *ps = s->impl;

	if (ps->res == NULL)
		return run(s, ps, d);
	ps->row++;
	return ps->row < ps->nrows ? CIRT_DB_ROW : CIRT_DB_DONE;
}

static void pg_reset(struct cirt_stmt *s)
{
	struct pg_stmt *ps = s->impl;

	PQclear(ps->res);
	ps->res = NULL;
	ps->row = 0;
	ps->nrows = 0;
}

static bool pg_col_null(struct cirt_stmt *s, int col)
{
	struct pg_stmt *ps = s->impl;

	return PQgetisnull(ps->res, ps->row, col) != 0;
}

static const char *pg_col_text(struct cirt_stmt *s, int col, size_t *len)
{
	struct pg_stmt *ps = s->impl;

	*len = (size_t)PQgetlength(ps->res, ps->row, col);
	return PQgetvalue(ps->res, ps->row, col);
}

static int64_t pg_col_i64(struct cirt_stmt *s, int col)
{
	struct pg_stmt *ps = s->impl;

	return parse_i64(PQgetvalue(ps->res, ps->row, col));
}

const struct cirt_db_ops cirt_db_pg_ops = {
	.name = "postgresql",
	.id_column = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.blob_column = "BYTEA",
	.open = pg_open,
	.close = pg_close,
	.broken = pg_broken,
	.reconnect = pg_reconnect,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.step = pg_step,
	.reset = pg_reset,
	.col_null = pg_col_null,
	.col_text = pg_col_text,
	.col_i64 = pg_col_i64,
};
