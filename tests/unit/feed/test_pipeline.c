/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The pipeline (feed/pipeline.c) on SQLite and PostgreSQL, driven by
 * small inputs written here through the real parsers ("csv" with
 * self-mapping headers, "stix" for records that carry their own TLP):
 *  - the feed's default classification where the parser gave none, or
 *    only a class equal to the feed's; an unknown class:type becomes
 *    other:undetermined with "classification.original" in extra;
 *  - TLP: the stricter of the feed's and the event's;
 *  - deduplication: the same input twice stores nothing the second time;
 *    the same key inside the window is one event, outside it two; the
 *    input's time stands in for a missing source time;
 *  - batches: 2,500 records (more than CIRT_PIPE_BATCH) all stored and
 *    committed; an input that breaks off keeps what came before it,
 *    committed (seen from another connection);
 *  - CIRT_FEED_ROUTE and CIRT_FEED_PARSE store nothing (and need no
 *    store); routing to constituents loaded from the store, org_id and
 *    route columns, and cirt_pipeline_orgs listing each once, also past
 *    its first growth; enrichment (geo table) before routing; URL hosts
 *    and dropped names; raw records and malformed rows; a feed naming no
 *    parser.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "account/org.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/time.h"
#include "core/tlp.h"
#include "feed/constituent.h"
#include "feed/feed.h"
#include "feed/pipeline.h"
#include "feed/route.h"

#define REPORT_TIME INT64_C(1795168800000000) /* 2026-11-20T10:00:00Z */
#define HOUR	    (INT64_C(3600) * CIRT_US_PER_SEC)

static const struct cirt_sql q_count = {"SELECT COUNT(*) FROM events", NULL};
static const struct cirt_sql q_rows = {
	"SELECT class, type, tlp, extra, src_ip, route, org_id, src_fqdn, "
	"url, time_source, time_key, raw, feed, src_port, time_observation, "
	"src_asn, src_cc "
	"FROM events ORDER BY id",
	NULL};

/* One stored event, as the tests look at it. */
struct row {
	char cls[40], type[40], src_ip[64], route[8], fqdn[256];
	char url[CIRT_EVENT_URL_MAX + 1], feed[80], cc[3];
	char *extra, *raw;
	int64_t tlp, org, time_source, time_key, port, observed, asn;
};

struct rows {
	struct row *r;
	size_t n;
};

static void rows_free(struct rows *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->r[i].extra);
		free(rs->r[i].raw);
	}
	free(rs->r);
	rs->r = NULL;
	rs->n = 0;
}

static struct rows fetch(struct cirt_db *db)
{
	struct rows rs = {NULL, 0};
	struct cirt_diag d;
	struct cirt_stmt *s;
	int rc;

	cirt_diag_init(&d);
	s = cirt_db_stmt(db, &q_rows, &d);
	if (s == NULL)
		fail_msg("rows: %s", d.message);
	while ((rc = cirt_stmt_step(s, &d)) == CIRT_DB_ROW) {
		struct row *r;
		const void *raw;
		size_t len = 0;

		rs.r = cirt_xrealloc(rs.r, (rs.n + 1) * sizeof(*rs.r));
		r = &rs.r[rs.n++];
		memset(r, 0, sizeof(*r));
		snprintf(r->cls, sizeof(r->cls), "%s", cirt_stmt_text(s, 0));
		snprintf(r->type, sizeof(r->type), "%s", cirt_stmt_text(s, 1));
		r->tlp = cirt_stmt_i64(s, 2);
		r->extra = cirt_xstrdup(cirt_stmt_text(s, 3));
		snprintf(r->src_ip, sizeof(r->src_ip), "%s",
			 cirt_stmt_text(s, 4));
		snprintf(r->route, sizeof(r->route), "%s",
			 cirt_stmt_text(s, 5));
		r->org = cirt_stmt_null(s, 6) ? 0 : cirt_stmt_i64(s, 6);
		snprintf(r->fqdn, sizeof(r->fqdn), "%s", cirt_stmt_text(s, 7));
		snprintf(r->url, sizeof(r->url), "%s", cirt_stmt_text(s, 8));
		r->time_source = cirt_stmt_i64(s, 9);
		r->time_key = cirt_stmt_i64(s, 10);
		raw = cirt_stmt_blob(s, 11, &len);
		r->raw = cirt_xstrndup(raw ? raw : "", len);
		snprintf(r->feed, sizeof(r->feed), "%s", cirt_stmt_text(s, 12));
		r->port = cirt_stmt_i64(s, 13);
		r->observed = cirt_stmt_i64(s, 14);
		r->asn = cirt_stmt_i64(s, 15);
		snprintf(r->cc, sizeof(r->cc), "%s", cirt_stmt_text(s, 16));
	}
	cirt_stmt_reset(s);
	if (rc < 0)
		fail_msg("rows: %s", d.message);
	return rs;
}

/* The string member key of the row's extra, or NULL; the caller frees. */
static char *extra_get(const struct row *r, const char *key)
{
	json_error_t err;
	json_t *j = json_loads(r->extra, 0, &err);
	const char *v;
	char *out;

	if (j == NULL)
		fail_msg("extra is not JSON (%s): %s", err.text, r->extra);
	v = json_string_value(json_object_get(j, key));
	out = v ? cirt_xstrdup(v) : NULL;
	json_decref(j);
	return out;
}

static void csv_feed(struct cirt_feed *f, const char *cls, const char *type)
{
	cirt_feed_defaults(f, "test-feed", "csv");
	snprintf(f->cls, sizeof(f->cls), "%s", cls);
	snprintf(f->type, sizeof(f->type), "%s", type);
	snprintf(f->provider, sizeof(f->provider), "Example Provider");
}

/* Run text through p as one input made at report_time. */
static int run(struct cirt_pipeline *p, const struct cirt_feed *f,
	       const char *text, int64_t report_time, struct cirt_diag *d)
{
	char path[] = "/tmp/cirt-test-pipeline-XXXXXX";
	int fd = mkstemp(path);
	size_t n = strlen(text);
	struct cirt_feed_src src;
	int rc;

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	src.fd = fd;
	src.name = "input.csv";
	src.report_time = report_time;
	src.options = f->options;
	src.record_max = 0;
	cirt_diag_init(d);
	rc = cirt_pipeline_input(p, &src, d);
	close(fd);
	return rc;
}

/* A fresh pipeline, one input, freed; its stats in *st. */
static void run_once(struct cirt_db *db, const struct cirt_feed *f,
		     const struct cirt_route *route, const char *text,
		     int64_t report_time, struct cirt_pipe_stats *st)
{
	struct cirt_pipeline *p =
		cirt_pipeline_new(db, f, route, NULL, CIRT_FEED_STORE);
	struct cirt_diag d;

	if (run(p, f, text, report_time, &d) < 0)
		fail_msg("input: %s: %s", d.field, d.message);
	*st = *cirt_pipeline_stats(p);
	cirt_pipeline_free(p);
}

/* ---- classification ---- */

static void test_pipeline_default_class(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_feed f;
	struct cirt_pipe_stats st;
	struct rows rs;
	char *orig;
	int64_t before = cirt_time_now_us();

	csv_feed(&f, "vulnerable", "vulnerable-system");
	run_once(db, &f, NULL,
		 "source.ip,source.port,classification.taxonomy,"
		 "classification.type\n"
		 "192.0.2.1,123,,\n"
		 "192.0.2.2,123,fraud,phishing\n"
		 "192.0.2.3,123,vulnerable,\n"
		 "192.0.2.4,123,fraud,\n",
		 REPORT_TIME, &st);
	assert_int_equal(st.parse.records, 4);
	assert_int_equal(st.parse.events, 4);
	assert_int_equal(st.stored, 4);
	assert_int_equal(st.duplicates, 0);
	assert_int_equal(st.unrouted, 4);
	assert_int_equal(st.routed, 0);
	rs = fetch(db);
	assert_int_equal(rs.n, 4);
	assert_string_equal(rs.r[0].cls, "vulnerable");
	assert_string_equal(rs.r[0].type, "vulnerable-system");
	assert_string_equal(rs.r[0].src_ip, "192.0.2.1");
	assert_int_equal(rs.r[0].port, 123);
	assert_string_equal(rs.r[0].feed, "test-feed");
	assert_string_equal(rs.r[0].route, "");
	assert_int_equal(rs.r[0].org, 0);
	assert_int_equal(rs.r[0].tlp, CIRT_TLP_AMBER);
	/* No source time: the input's time, the same for the key. */
	assert_int_equal(rs.r[0].time_source, REPORT_TIME);
	assert_int_equal(rs.r[0].time_key, REPORT_TIME);
	assert_true(rs.r[0].observed >= before);
	assert_true(rs.r[0].observed <= cirt_time_now_us());
	assert_string_equal(rs.r[0].raw, "192.0.2.1,123,,");
	assert_string_equal(rs.r[1].cls, "fraud");
	assert_string_equal(rs.r[1].type, "phishing");
	/* The feed's class without a type: the feed's type. */
	assert_string_equal(rs.r[2].cls, "vulnerable");
	assert_string_equal(rs.r[2].type, "vulnerable-system");
	/* Another class without a type is not a known class:type. */
	assert_string_equal(rs.r[3].cls, "other");
	assert_string_equal(rs.r[3].type, "undetermined");
	orig = extra_get(&rs.r[3], "classification.original");
	assert_non_null(orig);
	assert_string_equal(orig, "fraud");
	free(orig);
	rows_free(&rs);
}

static void test_pipeline_unknown_class(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_feed f;
	struct cirt_pipe_stats st;
	struct rows rs;
	char *orig, *kept;

	csv_feed(&f, "", "");
	run_once(db, &f, NULL,
		 "source.ip,classification.taxonomy,classification.type,"
		 "note\n"
		 "192.0.2.1,made-up,thing,kept\n"
		 "192.0.2.2,fraud,not-a-fraud-type,\n"
		 "192.0.2.3,,,\n",
		 REPORT_TIME, &st);
	assert_int_equal(st.stored, 3);
	rs = fetch(db);
	assert_int_equal(rs.n, 3);
	for (size_t i = 0; i < 2; i++) {
		assert_string_equal(rs.r[i].cls, "other");
		assert_string_equal(rs.r[i].type, "undetermined");
	}
	orig = extra_get(&rs.r[0], "classification.original");
	kept = extra_get(&rs.r[0], "note");
	assert_string_equal(orig, "made-up:thing");
	assert_string_equal(kept, "kept");
	free(orig);
	free(kept);
	orig = extra_get(&rs.r[1], "classification.original");
	assert_string_equal(orig, "fraud:not-a-fraud-type");
	free(orig);
	/* No class at all, and none from the feed. */
	assert_string_equal(rs.r[2].cls, "other");
	assert_string_equal(rs.r[2].type, "undetermined");
	rows_free(&rs);
	/* A feed whose own default is not in the taxonomy. */
	csv_feed(&f, "bogus", "thing");
	snprintf(f.name, sizeof(f.name), "bogus-feed");
	run_once(db, &f, NULL, "source.ip\n192.0.2.9\n", REPORT_TIME, &st);
	rs = fetch(db);
	assert_int_equal(rs.n, 4);
	assert_string_equal(rs.r[3].cls, "other");
	assert_string_equal(rs.r[3].type, "undetermined");
	orig = extra_get(&rs.r[3], "classification.original");
	assert_string_equal(orig, "bogus:thing");
	free(orig);
	rows_free(&rs);
}

/* ---- TLP ---- */

#define TLP_RED	  "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
#define TLP_CLEAR "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
#define TLP_AMBER "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"

/* A STIX indicator for ip with the given marking ("" none). */
static void indicator(struct cirt_buf *b, int n, const char *ip,
		      const char *marking)
{
	int rc = cirt_buf_addf(
		b,
		"%s{\"type\": \"indicator\", \"spec_version\": \"2.1\", "
		"\"id\": \"indicator--00000000-0000-4000-8000-%012d\", "
		"\"created\": \"2026-11-20T10:00:00.000Z\", "
		"\"modified\": \"2026-11-20T10:00:00.000Z\", "
		"\"pattern\": \"[ipv4-addr:value = '%s']\", "
		"\"pattern_type\": \"stix\", "
		"\"valid_from\": \"2026-11-20T10:00:00Z\"%s%s%s}",
		n > 0 ? ", " : "", n, ip,
		marking[0] ? ", \"object_marking_refs\": [\"" : "", marking,
		marking[0] ? "\"]" : "");

	assert_int_equal(rc, 0);
}

static void test_pipeline_tlp(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_feed f;
	struct cirt_pipe_stats st;
	struct cirt_buf b;
	struct rows rs;

	cirt_buf_init(&b, 1 << 20);
	assert_int_equal(cirt_buf_adds(&b, "{\"type\": \"bundle\", \"id\": "
					   "\"bundle--00000000-0000-4000-8000-"
					   "000000000000\", \"objects\": ["),
			 0);
	indicator(&b, 0, "198.51.100.1", TLP_RED);
	indicator(&b, 1, "198.51.100.2", TLP_CLEAR);
	indicator(&b, 2, "198.51.100.3", "");
	indicator(&b, 3, "198.51.100.4", TLP_AMBER);
	assert_int_equal(cirt_buf_adds(&b, "]}"), 0);
	cirt_feed_defaults(&f, "stix-feed", "stix");
	f.tlp = CIRT_TLP_GREEN;
	snprintf(f.cls, sizeof(f.cls), "other");
	snprintf(f.type, sizeof(f.type), "other");
	run_once(db, &f, NULL, cirt_buf_str(&b), REPORT_TIME, &st);
	assert_int_equal(st.stored, 4);
	/* The same bundle through an AMBER feed. */
	snprintf(f.name, sizeof(f.name), "stix-feed-amber");
	f.tlp = CIRT_TLP_AMBER;
	run_once(db, &f, NULL, cirt_buf_str(&b), REPORT_TIME, &st);
	assert_int_equal(st.stored, 4);
	rs = fetch(db);
	assert_int_equal(rs.n, 8);
	assert_string_equal(rs.r[0].src_ip, "198.51.100.1");
	assert_int_equal(rs.r[0].tlp, CIRT_TLP_RED);
	assert_int_equal(rs.r[1].tlp, CIRT_TLP_GREEN); /* not CLEAR */
	assert_int_equal(rs.r[2].tlp, CIRT_TLP_GREEN);
	assert_int_equal(rs.r[3].tlp, CIRT_TLP_AMBER);
	assert_int_equal(rs.r[4].tlp, CIRT_TLP_RED);
	assert_int_equal(rs.r[5].tlp, CIRT_TLP_AMBER);
	assert_int_equal(rs.r[6].tlp, CIRT_TLP_AMBER);
	assert_int_equal(rs.r[7].tlp, CIRT_TLP_AMBER);
	/* valid_from is the source time. */
	assert_int_equal(rs.r[0].time_source, REPORT_TIME);
	rows_free(&rs);
	cirt_buf_release(&b);
}

/* ---- deduplication ---- */

static void test_pipeline_same_input_twice(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	const char *text = "source.ip,time.source,source.url\n"
			   "192.0.2.1,2026-11-20T09:00:00Z,\n"
			   "192.0.2.2,2026-11-20T09:00:00Z,\n"
			   "192.0.2.3,,\n"
			   ",,http://Phish.Example/login\n"
			   "2001:db8::1,2026-11-20 09:00:00,\n";
	struct cirt_pipeline *p;
	struct cirt_feed f;
	struct cirt_pipe_stats st;
	struct cirt_diag d;

	csv_feed(&f, "vulnerable", "vulnerable-system");
	run_once(db, &f, NULL, text, REPORT_TIME, &st);
	assert_int_equal(st.stored, 5);
	run_once(db, &f, NULL, text, REPORT_TIME, &st);
	assert_int_equal(st.stored, 0);
	assert_int_equal(st.duplicates, 5);
	assert_int_equal(test_count(db, &q_count), 5);
	/* The same pipeline given the input twice, a little later: the
	 * records without a source time fall within the window too. */
	p = cirt_pipeline_new(db, &f, NULL, NULL, CIRT_FEED_STORE);
	assert_int_equal(run(p, &f, text, REPORT_TIME + HOUR, &d), 0);
	assert_int_equal(run(p, &f, text, REPORT_TIME + 2 * HOUR, &d), 0);
	assert_int_equal(cirt_pipeline_stats(p)->stored, 0);
	assert_int_equal(cirt_pipeline_stats(p)->duplicates, 10);
	assert_int_equal(cirt_pipeline_stats(p)->parse.events, 10);
	cirt_pipeline_free(p);
	/* Two days later the window (a day) has passed for those. */
	run_once(db, &f, NULL, text, REPORT_TIME + 48 * HOUR, &st);
	assert_int_equal(st.stored, 2);
	assert_int_equal(st.duplicates, 3);
	/* Another feed with the same records is not a duplicate. */
	snprintf(f.name, sizeof(f.name), "other-feed");
	run_once(db, &f, NULL, text, REPORT_TIME, &st);
	assert_int_equal(st.stored, 5);
	assert_int_equal(test_count(db, &q_count), 12);
}

static void test_pipeline_dedup_window(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_feed f;
	struct cirt_pipe_stats st;
	struct rows rs;

	csv_feed(&f, "vulnerable", "vulnerable-system");
	f.dedup_s = 60;
	run_once(db, &f, NULL,
		 "source.ip,source.port,time.source\n"
		 "192.0.2.1,123,2026-11-20T10:00:00Z\n"
		 "192.0.2.1,123,2026-11-20T10:00:30Z\n"	 /* inside */
		 "192.0.2.1,123,2026-11-20T09:59:01Z\n"	 /* inside */
		 "192.0.2.1,123,2026-11-20T10:05:00Z\n"	 /* outside */
		 "192.0.2.1,123,2026-11-20T10:05:59Z\n"	 /* inside */
		 "192.0.2.1,124,2026-11-20T10:00:00Z\n"	 /* other port */
		 "192.0.2.2,123,2026-11-20T10:00:00Z\n"	 /* other address */
		 "192.0.2.1,123,2026-11-20T09:58:00Z\n", /* outside */
		 REPORT_TIME, &st);
	assert_int_equal(st.parse.events, 8);
	assert_int_equal(st.stored, 5);
	assert_int_equal(st.duplicates, 3);
	rs = fetch(db);
	assert_int_equal(rs.n, 5);
	assert_int_equal(rs.r[0].time_source, REPORT_TIME);
	assert_int_equal(rs.r[1].time_source, REPORT_TIME + 300 * 1000000LL);
	rows_free(&rs);
	/* A window of 0: only the same instant is the same event. */
	snprintf(f.name, sizeof(f.name), "exact");
	f.dedup_s = 0;
	run_once(db, &f, NULL,
		 "source.ip,time.source\n"
		 "192.0.2.1,2026-11-20T10:00:00Z\n"
		 "192.0.2.1,2026-11-20T10:00:01Z\n"
		 "192.0.2.1,2026-11-20T10:00:00Z\n",
		 REPORT_TIME, &st);
	assert_int_equal(st.stored, 2);
	assert_int_equal(st.duplicates, 1);
}

/* ---- batches ---- */

static char *many_rows(int n)
{
	struct cirt_buf b;

	cirt_buf_init(&b, 1 << 24);
	assert_int_equal(cirt_buf_adds(&b, "source.ip,source.port\n"), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(cirt_buf_addf(&b, "10.%d.%d.%d,%d\n",
					       i >> 16 & 255, i >> 8 & 255,
					       i & 255, i % 65536),
				 0);
	return cirt_buf_detach(&b, NULL);
}

static void test_pipeline_batches(void **state)
{
	struct test_store *ts = *state;
	struct cirt_db *db = ts->db, *other;
	char *text = many_rows(2500);
	struct cirt_feed f;
	struct cirt_pipe_stats st;

	csv_feed(&f, "vulnerable", "vulnerable-system");
	run_once(db, &f, NULL, text, REPORT_TIME, &st);
	assert_int_equal(st.parse.events, 2500);
	assert_int_equal(st.stored, 2500);
	assert_int_equal(test_count(db, &q_count), 2500);
	/* Committed: another connection sees them all. */
	other = test_store_connect(ts);
	assert_int_equal(test_count(other, &q_count), 2500);
	/* And the repeat stores nothing, across batch boundaries. */
	run_once(db, &f, NULL, text, REPORT_TIME, &st);
	assert_int_equal(st.stored, 0);
	assert_int_equal(st.duplicates, 2500);
	assert_int_equal(test_count(other, &q_count), 2500);
	cirt_db_close(other);
	free(text);
}

/* An input that breaks off: what came before is stored and committed. */
static void test_pipeline_broken_input(void **state)
{
	struct test_store *ts = *state;
	struct cirt_db *db = ts->db, *other;
	struct cirt_pipeline *p;
	struct cirt_feed f;
	struct cirt_diag d;
	struct cirt_buf b;
	int rc;

	cirt_buf_init(&b, 1 << 20);
	assert_int_equal(cirt_buf_adds(&b, "{\"type\": \"bundle\", \"id\": "
					   "\"bundle--00000000-0000-4000-8000-"
					   "000000000000\", \"objects\": ["),
			 0);
	indicator(&b, 0, "198.51.100.1", "");
	indicator(&b, 1, "198.51.100.2", "");
	assert_int_equal(cirt_buf_adds(&b, ", {\"type\": \"indic"), 0);
	cirt_feed_defaults(&f, "broken", "stix");
	snprintf(f.cls, sizeof(f.cls), "other");
	snprintf(f.type, sizeof(f.type), "other");
	p = cirt_pipeline_new(db, &f, NULL, NULL, CIRT_FEED_STORE);
	rc = run(p, &f, cirt_buf_str(&b), REPORT_TIME, &d);
	assert_true(rc < 0);
	assert_true(d.message[0] != '\0');
	assert_int_equal(cirt_pipeline_stats(p)->stored, 2);
	other = test_store_connect(ts);
	assert_int_equal(test_count(other, &q_count), 2);
	cirt_pipeline_free(p);
	assert_int_equal(test_count(other, &q_count), 2);
	cirt_db_close(other);
	cirt_buf_release(&b);
	/* A CSV input without its header row fails before any event. */
	csv_feed(&f, "", "");
	p = cirt_pipeline_new(db, &f, NULL, NULL, CIRT_FEED_STORE);
	assert_true(run(p, &f, "", REPORT_TIME, &d) < 0);
	assert_int_equal(cirt_pipeline_stats(p)->stored, 0);
	cirt_pipeline_free(p);
	/* A feed naming no parser. */
	cirt_feed_defaults(&f, "nothing", "no-such-parser");
	p = cirt_pipeline_new(db, &f, NULL, NULL, CIRT_FEED_STORE);
	assert_int_equal(run(p, &f, "x\n", REPORT_TIME, &d), -CIRT_EINVAL);
	assert_string_equal(d.field, "parser");
	cirt_pipeline_free(p);
	assert_int_equal(test_count(db, &q_count), 2);
}

static void test_pipeline_malformed_rows(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_feed f;
	struct cirt_pipe_stats st;
	struct rows rs;

	csv_feed(&f, "vulnerable", "vulnerable-system");
	run_once(db, &f, NULL,
		 "source.ip,source.port,source.fqdn\n"
		 "192.0.2.1,80,\n"
		 "not-an-ip,80,\n"
		 "192.0.2.2,99999,\n"
		 "192.0.2.3,80,bad name.example\n"
		 "192.0.2.4,80,WWW.Example.ORG.\n",
		 REPORT_TIME, &st);
	assert_int_equal(st.parse.records, 5);
	assert_int_equal(st.parse.bad, 2);
	assert_true(strstr(st.parse.first_bad[0], "line 3") != NULL);
	assert_true(strstr(st.parse.first_bad[1], "line 4") != NULL);
	assert_int_equal(st.stored, 3);
	assert_int_equal(st.names_dropped, 1);
	rs = fetch(db);
	assert_int_equal(rs.n, 3);
	assert_string_equal(rs.r[1].fqdn, "");
	assert_string_equal(rs.r[2].fqdn, "www.example.org");
	rows_free(&rs);
}

/* ---- modes ---- */

static void test_pipeline_route_and_parse_modes(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_route *r = cirt_route_new();
	struct cirt_pipeline *p;
	struct cirt_feed f;
	struct cirt_diag d;
	struct cirt_ip net;
	const char *text = "source.ip\n192.0.2.1\n192.0.2.2\n198.51.100.1\n";

	assert_int_equal(cirt_ip_parse("192.0.2.0/24", 12, true, false, &net,
				       NULL, NULL),
			 0);
	cirt_route_add_cidr(r, &net, 42);
	csv_feed(&f, "vulnerable", "vulnerable-system");
	for (int mode = CIRT_FEED_ROUTE; mode <= CIRT_FEED_PARSE; mode++) {
		for (int with_db = 0; with_db < 2; with_db++) {
			const struct cirt_pipe_stats *st;
			size_t n = 99;

			p = cirt_pipeline_new(with_db ? db : NULL, &f, r, NULL,
					      (enum cirt_feed_mode)mode);
			if (run(p, &f, text, REPORT_TIME, &d) < 0)
				fail_msg("mode %d: %s", mode, d.message);
			st = cirt_pipeline_stats(p);
			assert_int_equal(st->parse.events, 3);
			assert_int_equal(st->stored, 0);
			assert_int_equal(st->duplicates, 0);
			cirt_pipeline_orgs(p, &n);
			if (mode == CIRT_FEED_ROUTE) {
				assert_int_equal(st->routed, 2);
				assert_int_equal(st->unrouted, 1);
				assert_int_equal(n, 1);
			} else {
				assert_int_equal(st->routed, 0);
				assert_int_equal(n, 0);
			}
			cirt_pipeline_free(p);
		}
	}
	assert_int_equal(test_count(db, &q_count), 0);
	cirt_route_free(r);
}

/* ---- routing to constituents ---- */

static int64_t add_constituent(struct cirt_db *db, const char *text)
{
	json_error_t err;
	json_t *body = json_loads(text, 0, &err);
	struct cirt_diag d;
	struct cirt_org o;

	assert_non_null(body);
	cirt_diag_init(&d);
	if (cirt_constituent_add(db, &test_actor, body, NULL, &d) < 0)
		fail_msg("add: %s", d.message);
	assert_int_equal(
		cirt_org_get(db,
			     json_string_value(json_object_get(body, "name")),
			     &o, &d),
		0);
	json_decref(body);
	return o.id;
}

static void test_pipeline_orgs(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_route *r = NULL;
	struct cirt_pipeline *p;
	struct cirt_feed f;
	struct cirt_diag d;
	struct rows rs;
	const int64_t *orgs;
	size_t n = 0;
	int64_t a, b;

	a = add_constituent(db, "{\"name\": \"Grid\", \"cidrs\": "
				"[\"192.0.2.0/24\"], \"asns\": [64500]}");
	b = add_constituent(db, "{\"name\": \"Rail\", \"domains\": "
				"[\"rail.example\"]}");
	cirt_diag_init(&d);
	assert_int_equal(cirt_route_load(db, &r, &d), 0);
	csv_feed(&f, "vulnerable", "vulnerable-system");
	p = cirt_pipeline_new(db, &f, r, NULL, CIRT_FEED_STORE);
	assert_int_equal(run(p, &f,
			     "source.ip,source.asn,source.url\n"
			     "192.0.2.1,,\n"
			     "192.0.2.2,,\n"
			     "198.51.100.1,AS64500,\n"
			     ",,https://WWW.Rail.Example/x\n"
			     ",,https://mail.rail.example/\n"
			     "203.0.113.1,,\n",
			     REPORT_TIME, &d),
			 0);
	orgs = cirt_pipeline_orgs(p, &n);
	assert_int_equal(n, 2);
	assert_true((orgs[0] == a && orgs[1] == b) ||
		    (orgs[0] == b && orgs[1] == a));
	assert_int_equal(cirt_pipeline_stats(p)->routed, 5);
	assert_int_equal(cirt_pipeline_stats(p)->unrouted, 1);
	/* A second input adds only what is new. */
	assert_int_equal(run(p, &f, "source.ip\n192.0.2.77\n", REPORT_TIME, &d),
			 0);
	orgs = cirt_pipeline_orgs(p, &n);
	assert_int_equal(n, 2);
	cirt_pipeline_free(p);
	rs = fetch(db);
	assert_int_equal(rs.n, 7);
	assert_int_equal(rs.r[0].org, a);
	assert_string_equal(rs.r[0].route, "cidr");
	assert_int_equal(rs.r[2].org, a);
	assert_string_equal(rs.r[2].route, "asn");
	assert_int_equal(rs.r[3].org, b);
	assert_string_equal(rs.r[3].route, "domain");
	assert_string_equal(rs.r[3].fqdn, "www.rail.example");
	assert_string_equal(rs.r[3].url, "https://www.rail.example/x");
	assert_int_equal(rs.r[5].org, 0);
	assert_string_equal(rs.r[5].route, "");
	rows_free(&rs);
	cirt_route_free(r);
}

/* Enrichment comes before routing: an event with only an address is
 * routed by the AS number the geo table gives it. */
static void test_pipeline_geo_then_route(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	char path[] = "/tmp/cirt-test-pipeline-geo-XXXXXX";
	int fd = mkstemp(path);
	static const char table[] = "# test\n198.51.100.0/24 64500 nl\n";
	struct cirt_geo *geo = NULL;
	struct cirt_route *r = NULL;
	struct cirt_pipeline *p;
	struct cirt_feed f;
	struct cirt_diag d;
	struct rows rs;
	int64_t a;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, table, sizeof(table) - 1),
			 (ssize_t)(sizeof(table) - 1));
	close(fd);
	cirt_diag_init(&d);
	assert_int_equal(cirt_geo_open(&geo, path, NULL, NULL, &d), 0);
	unlink(path);
	a = add_constituent(db, "{\"name\": \"Grid\", \"asns\": [64500]}");
	assert_int_equal(cirt_route_load(db, &r, &d), 0);
	csv_feed(&f, "vulnerable", "vulnerable-system");
	p = cirt_pipeline_new(db, &f, r, geo, CIRT_FEED_STORE);
	assert_int_equal(run(p, &f,
			     "source.ip,source.asn\n"
			     "198.51.100.9,\n"
			     "198.51.100.10,AS65000\n",
			     REPORT_TIME, &d),
			 0);
	cirt_pipeline_free(p);
	rs = fetch(db);
	assert_int_equal(rs.n, 2);
	assert_int_equal(rs.r[0].asn, 64500);
	assert_string_equal(rs.r[0].cc, "NL");
	assert_int_equal(rs.r[0].org, a);
	assert_string_equal(rs.r[0].route, "asn");
	/* The feed's own ASN is kept, and routes nowhere. */
	assert_int_equal(rs.r[1].asn, 65000);
	assert_string_equal(rs.r[1].cc, "NL");
	assert_int_equal(rs.r[1].org, 0);
	rows_free(&rs);
	cirt_route_free(r);
	cirt_geo_close(geo);
}

/* Many constituents, in ROUTE mode (no rows, so the ids need not
 * exist): each listed once, past the set's first growth. */
static void test_pipeline_orgs_many(void **state)
{
	struct cirt_route *r = cirt_route_new();
	struct cirt_pipeline *p;
	struct cirt_feed f;
	struct cirt_diag d;
	struct cirt_buf b;
	const int64_t *orgs;
	size_t n = 0;
	unsigned char seen[400];

	(void)state;
	cirt_buf_init(&b, 1 << 20);
	assert_int_equal(cirt_buf_adds(&b, "source.ip\n"), 0);
	for (int i = 0; i < 300; i++) {
		struct cirt_ip net;
		char text[32];

		snprintf(text, sizeof(text), "10.%d.%d.0/24", i / 256, i % 256);
		assert_int_equal(cirt_ip_parse(text, strlen(text), true, false,
					       &net, NULL, NULL),
				 0);
		/* ids that collide in a small hash table: multiples of 64 */
		cirt_route_add_cidr(r, &net, 64 * (i + 1));
		for (int k = 0; k < 3; k++)
			assert_int_equal(cirt_buf_addf(&b, "10.%d.%d.%d\n",
						       i / 256, i % 256, k + 1),
					 0);
	}
	csv_feed(&f, "vulnerable", "vulnerable-system");
	p = cirt_pipeline_new(NULL, &f, r, NULL, CIRT_FEED_ROUTE);
	assert_int_equal(run(p, &f, cirt_buf_str(&b), REPORT_TIME, &d), 0);
	assert_int_equal(cirt_pipeline_stats(p)->routed, 900);
	orgs = cirt_pipeline_orgs(p, &n);
	assert_int_equal(n, 300);
	memset(seen, 0, sizeof(seen));
	for (size_t i = 0; i < n; i++) {
		assert_true(orgs[i] % 64 == 0);
		assert_true(orgs[i] / 64 >= 1 && orgs[i] / 64 <= 300);
		assert_int_equal(seen[orgs[i] / 64], 0);
		seen[orgs[i] / 64] = 1;
	}
	cirt_pipeline_free(p);
	cirt_buf_release(&b);
	cirt_route_free(r);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_pipeline_orgs_many),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipeline_default_class),
		cmocka_unit_test(test_pipeline_unknown_class),
		cmocka_unit_test(test_pipeline_tlp),
		cmocka_unit_test(test_pipeline_same_input_twice),
		cmocka_unit_test(test_pipeline_dedup_window),
		cmocka_unit_test(test_pipeline_batches),
		cmocka_unit_test(test_pipeline_broken_input),
		cmocka_unit_test(test_pipeline_malformed_rows),
		cmocka_unit_test(test_pipeline_route_and_parse_modes),
		cmocka_unit_test(test_pipeline_orgs),
		cmocka_unit_test(test_pipeline_geo_then_route),
	};
	int failed = cmocka_run_group_tests_name("pipeline", pure, NULL, NULL);

	failed += test_run_on_both("pipeline", tests,
				   sizeof(tests) / sizeof(tests[0]), true);
	return failed;
}
