/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * National statistics (incident/stats.c) on SQLite and PostgreSQL: a
 * generated set of incidents (fixed seed) written straight into the
 * store, and every figure of every grouping, over all time and over a
 * period with incidents on its edges, checked against a count made here
 * from the generated set; a small hand-made set for the exact figures
 * (median of an even count, "(none)", "(unknown)", one count per
 * distinct sector), the CSV and table renderings, and bad arguments.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account/org.h"
#include "core/buf.h"
#include "core/mem.h"
#include "incident/stats.h"

#define NGEN	300
#define NORGS	6
#define SEC	INT64_C(1000000)
#define BASE	INT64_C(1735689600) /* 2025-01-01T00:00:00Z, seconds */
#define SPAN	(420 * 86400)	    /* seconds of reported times */
#define MAXKEYS 128

static const struct cirt_sql q_incident = {
	"INSERT INTO incidents (uuid, ref, title, description, class, type, "
	"severity, impact, tlp, status, reporter_kind, reporter, version, "
	"reported_at, created_at, updated_at, acknowledged_at, resolved_at, "
	"closed_at) VALUES (?, ?, 'generated', '', ?, ?, 1, 'unknown', 2, ?, "
	"'team', 'test', 1, ?, ?, ?, ?, ?, NULL) RETURNING id",
	NULL};
static const struct cirt_sql q_affects = {
	"INSERT INTO incident_orgs (incident_id, org_id) VALUES (?, ?)", NULL};

static const struct {
	const char *name, *sector;
} orgs[NORGS] = {
	{"Grid Co", "energy"},	 {"Rail, Inc.", "transport"},
	{"Bank One", "banking"}, {"Bank Two", "banking"},
	{"Hospital", "health"},	 {"=Mystery", ""},
};

static const char *const classes[][2] = {
	{"fraud", "phishing"},
	{"fraud", "pharming"},
	{"availability", "ddos"},
	{"malicious-code", "ransomware"},
	{"malicious-code", "infected-system"},
	{"information-content-security", "defacement"},
	{"vulnerable", "vulnerable-system"},
};

static const char *const statuses[] = {
	"new",	     "triaged",	 "in-progress", "contained", "eradicated",
	"recovered", "resolved", "closed",	"rejected",  "duplicate",
};

/* One incident as generated. */
struct gen {
	const char *cls, *type, *status;
	int64_t reported; /* seconds */
	bool has_ack, has_res;
	int64_t ack, res; /* seconds after reported */
	int norgs;
	int orgs[3];
};

static struct gen gens[NGEN + 8];
static size_t ngens;
static int64_t org_ids[NORGS];
static uint64_t seed;

/* A fixed-seed generator (rand() is banned, and this is reproducible). */
static uint64_t next(uint64_t n)
{
	seed = seed * UINT64_C(6364136223846793005) +
	       UINT64_C(1442695040888963407);
	return (seed >> 33) % n;
}

static void make_orgs(struct cirt_db *db)
{
	struct cirt_org_new n;
	struct cirt_org o;
	struct cirt_diag d;

	cirt_diag_init(&d);
	for (int i = 0; i < NORGS; i++) {
		n.name = orgs[i].name;
		n.name_len = strlen(orgs[i].name);
		n.kind = CIRT_ORG_CONSTITUENT;
		n.sector = orgs[i].sector;
		if (cirt_org_create(db, &test_actor, &n, &o, &d) < 0)
			fail_msg("org: %s", d.message);
		org_ids[i] = o.id;
	}
}

static void bind_opt(struct cirt_stmt *s, int i, bool has, int64_t v)
{
	if (has)
		cirt_stmt_bind_i64(s, i, v);
	else
		cirt_stmt_bind_null(s, i);
}

static void insert(struct cirt_db *db, const struct gen *g, size_t n)
{
	char uuid[40], ref[40];
	struct cirt_diag d;
	struct cirt_stmt *s;
	int64_t id, rep = g->reported * SEC;

	cirt_diag_init(&d);
	snprintf(uuid, sizeof(uuid), "00000000-0000-4000-8000-%012zu", n);
	snprintf(ref, sizeof(ref), "T-2025-%06zu", n);
	s = cirt_db_stmt(db, &q_incident, &d);
	assert_non_null(s);
	cirt_stmt_bind_str(s, 1, uuid);
	cirt_stmt_bind_str(s, 2, ref);
	cirt_stmt_bind_str(s, 3, g->cls);
	cirt_stmt_bind_str(s, 4, g->type);
	cirt_stmt_bind_str(s, 5, g->status);
	cirt_stmt_bind_i64(s, 6, rep);
	cirt_stmt_bind_i64(s, 7, rep);
	cirt_stmt_bind_i64(s, 8, rep);
	bind_opt(s, 9, g->has_ack, rep + g->ack * SEC);
	bind_opt(s, 10, g->has_res, rep + g->res * SEC);
	if (cirt_stmt_step(s, &d) != CIRT_DB_ROW)
		fail_msg("insert: %s", d.message);
	id = cirt_stmt_i64(s, 0);
	cirt_stmt_reset(s);
	for (int i = 0; i < g->norgs; i++)
		test_exec(db, &q_affects, 2, id, org_ids[g->orgs[i]]);
}

static void add(struct cirt_db *db, const struct gen *g)
{
	gens[ngens] = *g;
	insert(db, g, ngens);
	ngens++;
}

/* A random incident; status decides which clocks stopped. */
static void generate(struct gen *g)
{
	int k = (int)next(sizeof(classes) / sizeof(classes[0]));
	int st = (int)next(10);

	memset(g, 0, sizeof(*g));
	g->cls = classes[k][0];
	g->type = classes[k][1];
	g->status = statuses[st];
	g->reported = BASE + (int64_t)next(SPAN);
	g->has_ack = st > 0;
	g->ack = (int64_t)next(3 * 86400);
	g->has_res = st >= 6;
	g->res = g->ack + (int64_t)next(30 * 86400);
	g->norgs = (int)next(4);
	for (int i = 0; i < g->norgs; i++) {
		int o;
		bool dup;

		do {
			o = (int)next(NORGS);
			dup = false;
			for (int j = 0; j < i; j++)
				dup = dup || g->orgs[j] == o;
		} while (dup);
		g->orgs[i] = o;
	}
}

static void fill(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_diag d;
	struct gen g;

	cirt_diag_init(&d);
	seed = 20260101;
	ngens = 0;
	make_orgs(db);
	assert_int_equal(cirt_db_begin(db, &d), 0);
	for (int i = 0; i < NGEN; i++) {
		generate(&g);
		add(db, &g);
	}
	assert_int_equal(cirt_db_commit(db, &d), 0);
}

/* ---- the count made here ---- */

struct expect {
	char key[160];
	int n, nack, nres;
	double ack[NGEN + 8], res[NGEN + 8];
};

struct expected {
	struct expect *e;
	size_t n;
	struct expect total;
};

static struct expect *slot(struct expected *x, const char *key)
{
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->e[i].key, key) == 0)
			return &x->e[i];
	assert_true(x->n < MAXKEYS);
	snprintf(x->e[x->n].key, sizeof(x->e[0].key), "%.*s",
		 (int)sizeof(x->e[0].key) - 1, key);
	return &x->e[x->n++];
}

static void count(struct expect *e, const struct gen *g)
{
	e->n++;
	if (g->has_ack)
		e->ack[e->nack++] = (double)g->ack;
	if (g->has_res)
		e->res[e->nres++] = (double)g->res;
}

/* The keys g counts under for by, into keys[]; returns how many. */
static int keys_of(const struct gen *g, enum cirt_stats_by by,
		   char keys[3][160])
{
	struct tm tm;
	time_t t = (time_t)g->reported;
	int n = 0;

	switch (by) {
	case CIRT_STATS_CLASS:
		snprintf(keys[0], 160, "%s:%s", g->cls, g->type);
		return 1;
	case CIRT_STATS_MONTH:
		gmtime_r(&t, &tm);
		snprintf(keys[0], 160, "%04d-%02d", tm.tm_year + 1900,
			 tm.tm_mon + 1);
		return 1;
	case CIRT_STATS_CONSTITUENT:
		for (int i = 0; i < g->norgs; i++)
			snprintf(keys[i], 160, "%s", orgs[g->orgs[i]].name);
		break;
	case CIRT_STATS_SECTOR:
		for (int i = 0; i < g->norgs; i++) {
			const char *s = orgs[g->orgs[i]].sector;
			bool seen = false;

			if (*s == '\0')
				s = "(unknown)";
			for (int j = 0; j < n; j++)
				seen = seen || strcmp(keys[j], s) == 0;
			if (!seen)
				snprintf(keys[n++], 160, "%s", s);
		}
		return n ? n : (snprintf(keys[0], 160, "(none)"), 1);
	}
	if (g->norgs == 0) {
		snprintf(keys[0], 160, "(none)");
		return 1;
	}
	return g->norgs;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct expect *)a)->key,
		      ((const struct expect *)b)->key);
}

static void expect_for(struct expected *x, enum cirt_stats_by by, int64_t from,
		       int64_t to)
{
	char keys[3][160];

	memset(x, 0, sizeof(*x));
	x->e = cirt_xcalloc(MAXKEYS, sizeof(*x->e));
	for (size_t i = 0; i < ngens; i++) {
		const struct gen *g = &gens[i];
		int64_t at = g->reported * SEC;
		int n;

		if (strcmp(g->status, "rejected") == 0 ||
		    strcmp(g->status, "duplicate") == 0)
			continue;
		if ((from && at < from) || (to && at >= to))
			continue;
		count(&x->total, g);
		n = keys_of(g, by, keys);
		for (int k = 0; k < n; k++)
			count(slot(x, keys[k]), g);
	}
	qsort(x->e, x->n, sizeof(*x->e), cmp_key);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void check_time(json_t *v, double *vals, int n, bool median,
		       const char *what)
{
	double want = 0;

	if (n == 0) {
		if (!json_is_null(v))
			fail_msg("%s: want null", what);
		return;
	}
	if (median) {
		qsort(vals, (size_t)n, sizeof(double), cmp_double);
		want = n % 2 ? vals[n / 2]
			     : (vals[n / 2 - 1] + vals[n / 2]) / 2.0;
	} else {
		for (int i = 0; i < n; i++)
			want += vals[i];
		want /= n;
	}
	if (!json_is_number(v))
		fail_msg("%s: want %.3f, got a non-number", what, want);
	if (json_number_value(v) < want - 0.0006 ||
	    json_number_value(v) > want + 0.0006)
		fail_msg("%s: want %.4f, got %.4f", what, want,
			 json_number_value(v));
}

static void check_row(json_t *row, struct expect *e)
{
	char what[200];

	snprintf(what, sizeof(what), "%s", e->key);
	if (json_integer_value(json_object_get(row, "incidents")) != e->n)
		fail_msg("%s: %lld incidents, want %d", what,
			 (long long)json_integer_value(
				 json_object_get(row, "incidents")),
			 e->n);
	assert_int_equal(
		json_integer_value(json_object_get(row, "acknowledged")),
		e->nack);
	assert_int_equal(json_integer_value(json_object_get(row, "resolved")),
			 e->nres);
	check_time(json_object_get(row, "acknowledge_mean_s"), e->ack, e->nack,
		   false, what);
	check_time(json_object_get(row, "acknowledge_median_s"), e->ack,
		   e->nack, true, what);
	check_time(json_object_get(row, "resolve_mean_s"), e->res, e->nres,
		   false, what);
	check_time(json_object_get(row, "resolve_median_s"), e->res, e->nres,
		   true, what);
}

static void check_stats(struct cirt_db *db, enum cirt_stats_by by, int64_t from,
			int64_t to)
{
	static const char *const names[] = {"class", "sector", "constituent",
					    "month"};
	struct expected x;
	struct cirt_diag d;
	json_t *out = NULL, *rows;

	cirt_diag_init(&d);
	if (cirt_stats(db, by, from, to, &out, &d) < 0)
		fail_msg("stats: %s", d.message);
	assert_string_equal(json_string_value(json_object_get(out, "by")),
			    names[by]);
	assert_int_equal(json_is_null(json_object_get(out, "from")), from == 0);
	assert_int_equal(json_is_null(json_object_get(out, "to")), to == 0);
	expect_for(&x, by, from, to);
	rows = json_object_get(out, "rows");
	assert_int_equal(json_array_size(rows), x.n);
	for (size_t i = 0; i < x.n; i++) {
		json_t *row = json_array_get(rows, i);

		assert_string_equal(
			json_string_value(json_object_get(row, "key")),
			x.e[i].key);
		check_row(row, &x.e[i]);
	}
	snprintf(x.total.key, sizeof(x.total.key), "total");
	check_row(json_object_get(out, "total"), &x.total);
	assert_null(json_object_get(json_object_get(out, "total"), "key"));
	free(x.e);
	json_decref(out);
}

static void test_stats_generated_all_time(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;

	fill(state);
	for (int by = 0; by < 4; by++)
		check_stats(db, (enum cirt_stats_by)by, 0, 0);
}

/* [from, to) with incidents exactly on both edges and just inside. */
static void test_stats_generated_period(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	int64_t from = (BASE + 59 * 86400) * SEC;	 /* 2025-03-01 */
	int64_t to = (BASE + 257 * 86400 + 43200) * SEC; /* 09-15 12:00 */
	struct cirt_diag d;
	struct gen g = {"fraud", "phishing", "resolved", 0, true,
			true,	 60,	     3600,	 1, {2, 0, 0}};

	cirt_diag_init(&d);
	fill(state);
	assert_int_equal(cirt_db_begin(db, &d), 0);
	g.reported = from / SEC;
	add(db, &g);
	g.reported = to / SEC;
	add(db, &g);
	g.reported = to / SEC - 1;
	g.type = "pharming";
	add(db, &g);
	g.reported = from / SEC - 1;
	add(db, &g);
	assert_int_equal(cirt_db_commit(db, &d), 0);
	for (int by = 0; by < 4; by++) {
		check_stats(db, (enum cirt_stats_by)by, from, to);
		check_stats(db, (enum cirt_stats_by)by, from, 0);
		check_stats(db, (enum cirt_stats_by)by, 0, to);
	}
}

/* A set small enough to know every figure by heart. */
static void small_set(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_diag d;
	/* Bank One and Bank Two share "banking"; =Mystery has no sector. */
	struct gen set[] = {
		{"fraud",
		 "phishing",
		 "closed",
		 BASE,
		 true,
		 true,
		 10,
		 100,
		 2,
		 {2, 3, 0}},
		{"fraud",
		 "phishing",
		 "resolved",
		 BASE + 86400,
		 true,
		 true,
		 21,
		 200,
		 1,
		 {1, 0, 0}},
		{"fraud",
		 "phishing",
		 "in-progress",
		 BASE + 40 * 86400,
		 true,
		 false,
		 30,
		 0,
		 0,
		 {0, 0, 0}},
		{"availability",
		 "ddos",
		 "new",
		 BASE + 2 * 86400,
		 false,
		 false,
		 0,
		 0,
		 1,
		 {5, 0, 0}},
		{"availability",
		 "ddos",
		 "rejected",
		 BASE + 3 * 86400,
		 true,
		 true,
		 1,
		 2,
		 1,
		 {5, 0, 0}},
		{"availability",
		 "ddos",
		 "duplicate",
		 BASE + 3 * 86400,
		 true,
		 true,
		 1,
		 2,
		 0,
		 {0, 0, 0}},
	};

	cirt_diag_init(&d);
	ngens = 0;
	make_orgs(db);
	assert_int_equal(cirt_db_begin(db, &d), 0);
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		add(db, &set[i]);
	assert_int_equal(cirt_db_commit(db, &d), 0);
}

static json_t *stats_of(struct cirt_db *db, enum cirt_stats_by by)
{
	struct cirt_diag d;
	json_t *out = NULL;

	cirt_diag_init(&d);
	if (cirt_stats(db, by, 0, 0, &out, &d) < 0)
		fail_msg("stats: %s", d.message);
	return out;
}

static void test_stats_small_exact(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	json_t *s, *row;

	small_set(state);
	s = stats_of(db, CIRT_STATS_CLASS);
	assert_int_equal(json_array_size(json_object_get(s, "rows")), 2);
	row = json_array_get(json_object_get(s, "rows"), 1);
	assert_string_equal(json_string_value(json_object_get(row, "key")),
			    "fraud:phishing");
	/* 10, 21, 30: mean 20.333, median 21; resolved 100, 200. */
	assert_true(json_real_value(json_object_get(
			    row, "acknowledge_mean_s")) == 20.333);
	assert_true(json_real_value(json_object_get(
			    row, "acknowledge_median_s")) == 21.0);
	assert_true(json_real_value(json_object_get(row, "resolve_median_s")) ==
		    150.0);
	row = json_array_get(json_object_get(s, "rows"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "key")),
			    "availability:ddos");
	assert_int_equal(json_integer_value(json_object_get(row, "incidents")),
			 1);
	assert_true(json_is_null(json_object_get(row, "acknowledge_mean_s")));
	assert_true(json_is_null(json_object_get(row, "resolve_median_s")));
	row = json_object_get(s, "total");
	assert_int_equal(json_integer_value(json_object_get(row, "incidents")),
			 4);
	/* 10, 21, 30: even count? No: three. Total acknowledged 3. */
	assert_int_equal(
		json_integer_value(json_object_get(row, "acknowledged")), 3);
	json_decref(s);

	s = stats_of(db, CIRT_STATS_SECTOR);
	/* (none) 1, (unknown) 1, banking 1 (once for two banks),
	 * transport 1. */
	row = json_object_get(s, "rows");
	assert_int_equal(json_array_size(row), 4);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(row, 0), "key")),
			    "(none)");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(row, 1), "key")),
			    "(unknown)");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(row, 2), "key")),
			    "banking");
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(row, 2), "incidents")),
			 1);
	json_decref(s);

	s = stats_of(db, CIRT_STATS_MONTH);
	row = json_object_get(s, "rows");
	assert_int_equal(json_array_size(row), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(row, 0), "key")),
			    "2025-01");
	/* January: acknowledged 10 and 21: the median of two is 15.5. */
	assert_true(json_real_value(json_object_get(json_array_get(row, 0),
						    "acknowledge_median_s")) ==
		    15.5);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(row, 1), "key")),
			    "2025-02");
	json_decref(s);
}

static void test_stats_csv_and_table(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_buf b;
	json_t *s;

	small_set(state);
	cirt_buf_init(&b, 1 << 20);
	s = stats_of(db, CIRT_STATS_CONSTITUENT);
	assert_int_equal(cirt_stats_csv(s, &b), 0);
	assert_string_equal(cirt_buf_str(&b),
			    "key,incidents,acknowledged,acknowledge_mean_s,"
			    "acknowledge_median_s,resolved,resolve_mean_s,"
			    "resolve_median_s\r\n"
			    "(none),1,1,30,30,0,,\r\n"
			    "\"'=Mystery\",1,0,,,0,,\r\n"
			    "Bank One,1,1,10,10,1,100,100\r\n"
			    "Bank Two,1,1,10,10,1,100,100\r\n"
			    "\"Rail, Inc.\",1,1,21,21,1,200,200\r\n"
			    "total,4,3,20.333,21,2,150,150\r\n");
	cirt_buf_release(&b);
	assert_int_equal(cirt_stats_table(s, &b), 0);
	assert_non_null(strstr(cirt_buf_str(&b), "CONSTITUENT"));
	assert_non_null(strstr(cirt_buf_str(&b), "Rail, Inc."));
	assert_non_null(strstr(cirt_buf_str(&b), "2m 30s"));
	assert_non_null(strstr(cirt_buf_str(&b), "\ntotal "));
	cirt_buf_release(&b);
	json_decref(s);
}

static void test_stats_empty_and_errors(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	enum cirt_stats_by by;
	struct cirt_diag d;
	json_t *s = NULL;

	cirt_diag_init(&d);
	s = stats_of(db, CIRT_STATS_SECTOR);
	assert_int_equal(json_array_size(json_object_get(s, "rows")), 0);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(s, "total"), "incidents")),
			 0);
	assert_true(json_is_null(json_object_get(json_object_get(s, "total"),
						 "resolve_mean_s")));
	json_decref(s);
	s = NULL;
	assert_int_equal(cirt_stats(db, CIRT_STATS_CLASS, 20, 20, &s, &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "to");
	assert_null(s);
	assert_int_equal(cirt_stats_by_parse("month", &by), 0);
	assert_int_equal(by, CIRT_STATS_MONTH);
	assert_int_equal(cirt_stats_by_parse("constituent", &by), 0);
	assert_int_equal(by, CIRT_STATS_CONSTITUENT);
	assert_int_equal(cirt_stats_by_parse("Month", &by), -CIRT_EINVAL);
	assert_int_equal(cirt_stats_by_parse("", &by), -CIRT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_generated_all_time),
		cmocka_unit_test(test_stats_generated_period),
		cmocka_unit_test(test_stats_small_exact),
		cmocka_unit_test(test_stats_csv_and_table),
		cmocka_unit_test(test_stats_empty_and_errors),
	};

	return test_run_on_both("stats", tests,
				sizeof(tests) / sizeof(tests[0]), true);
}
