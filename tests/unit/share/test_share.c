/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The sharing store (share/) on SQLite and PostgreSQL: collections and
 * grants, storing objects (bytes as received, duplicates, STIX-12
 * versioning, TLP ceilings), the TAXII queries (version and spec version
 * filters, types, ids, added_after, keyset paging), deletion, status
 * resources and paging cursors; taking in a stream (cirt_share_ingest)
 * on one thread and on two: every outcome once and in order, a reading
 * error after which what came before is kept, a stop from the caller.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/time.h"
#include "share/share_ingest.h"
#include "share/share_object.h"
#include "share/share_status.h"

#define AMBER "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
#define RED   "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
#define GREEN "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
#define ID1   "identity--00000001-0000-4000-8000-000000000000"

static struct cirt_db *db;
static struct cirt_collection coll;

/* A collection "c" in root "default" with the given ceiling. */
static void make_collection(void **state, enum cirt_tlp tlp)
{
	struct cirt_collection_new n = {"default", NULL, "Test", NULL,
					"c",	   tlp,	 NULL,	 0};
	struct cirt_diag d;

	db = ((struct test_store *)*state)->db;
	cirt_diag_init(&d);
	if (cirt_collection_add(db, &test_actor, &n, &coll, &d) < 0)
		fail_msg("collection: %s", d.message);
}

/* An identity version: id number, modified second, extra members. */
static char *identity(int id, int modified, const char *extra)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf),
		 "{\"type\": \"identity\", \"spec_version\": \"2.1\", "
		 "\"id\": \"identity--%08d-0000-4000-8000-000000000000\", "
		 "\"created\": \"2026-01-01T00:00:00.000Z\", "
		 "\"modified\": \"2026-01-01T00:00:%02d.000Z\", "
		 "\"name\": \"Org %d\"%s}",
		 id, modified, id, extra ? extra : "");
	return buf;
}

static enum cirt_share_outcome put_at(const char *text, int64_t added,
				      struct cirt_share_result *r)
{
	struct cirt_diag d;
	json_t *obj;
	int rc;

	cirt_diag_init(&d);
	obj = json_loads(text, 0, NULL);
	assert_non_null(obj);
	assert_int_equal(cirt_db_begin(db, &d), 0);
	rc = cirt_share_put(db, &coll, text, strlen(text), obj, added, r, &d);
	if (rc < 0)
		fail_msg("put: %s", d.message);
	assert_int_equal(cirt_db_commit(db, &d), 0);
	json_decref(obj);
	return r->outcome;
}

static enum cirt_share_outcome put(const char *text, int64_t added)
{
	struct cirt_share_result r;

	if (put_at(text, added, &r) == CIRT_SHARE_REFUSED)
		printf("# refused: %s\n", r.message);
	return r.outcome;
}

struct rows {
	int n;
	char id[64][80];
	char version[64][40];
	int64_t added[64], seq[64];
	char body[1024];
};

static int take(const struct cirt_share_row *row, void *arg)
{
	struct rows *r = arg;

	snprintf(r->id[r->n], sizeof(r->id[0]), "%s", row->id);
	snprintf(r->version[r->n], sizeof(r->version[0]), "%s", row->version);
	r->added[r->n] = row->date_added;
	r->seq[r->n] = row->seq;
	snprintf(r->body, sizeof(r->body), "%.*s", (int)row->body_len,
		 row->body);
	r->n++;
	return 0;
}

static struct cirt_share_query query(void)
{
	struct cirt_share_query q = {0};

	q.after_added = -1;
	q.last = true;
	q.ceiling = CIRT_TLP_AMBER_STRICT;
	q.limit = 64;
	q.with_body = true;
	return q;
}

static int list(const struct cirt_share_query *q, struct rows *r)
{
	struct cirt_diag d;

	memset(r, 0, sizeof(*r));
	cirt_diag_init(&d);
	if (cirt_share_list(db, &coll, q, take, r, &d) < 0)
		fail_msg("list: %s", d.message);
	return r->n;
}

static void test_share_put_keeps_bytes_and_order(void **state)
{
	struct cirt_share_query q;
	struct rows r;
	char *text;

	make_collection(state, CIRT_TLP_GREEN);
	assert_int_equal(put(identity(2, 0, NULL), 200), CIRT_SHARE_STORED);
	text = identity(1, 0, ",\n   \"x_note\" :  \"spaces kept\"");
	assert_int_equal(put(text, 100), CIRT_SHARE_STORED);
	q = query();
	assert_int_equal(list(&q, &r), 2);
	/* date_added order, not insertion order */
	assert_int_equal(r.added[0], 100);
	assert_int_equal(r.added[1], 200);
	q.types = "[\"identity\"]";
	q.limit = 1;
	assert_int_equal(list(&q, &r), 1);
	assert_string_equal(r.body, identity(1, 0,
					     ",\n   \"x_note\" :  "
					     "\"spaces kept\""));
	assert_string_equal(coll.spec_versions, "2.1");
}

static void test_share_duplicate_is_not_an_error(void **state)
{
	struct cirt_share_query q = query();
	struct cirt_share_result r;
	struct rows rows;

	make_collection(state, CIRT_TLP_GREEN);
	assert_int_equal(put(identity(1, 0, NULL), 100), CIRT_SHARE_STORED);
	assert_int_equal(put_at(identity(1, 0, NULL), 200, &r),
			 CIRT_SHARE_DUPLICATE);
	assert_string_equal(r.id, "identity--00000001-0000-4000-8000-"
				  "000000000000");
	assert_int_equal(list(&q, &rows), 1);
	assert_int_equal(rows.added[0], 100);
}

static void test_share_version_filters(void **state)
{
	struct cirt_share_query q;
	struct rows r;
	struct cirt_timestamp t;
	char keys[128];

	make_collection(state, CIRT_TLP_GREEN);
	assert_int_equal(put(identity(1, 0, NULL), 100), CIRT_SHARE_STORED);
	assert_int_equal(put(identity(1, 30, NULL), 300), CIRT_SHARE_STORED);
	assert_int_equal(put(identity(1, 10, NULL), 200), CIRT_SHARE_STORED);
	assert_int_equal(put(identity(2, 0, NULL), 150), CIRT_SHARE_STORED);
	q = query(); /* last (the default) */
	assert_int_equal(list(&q, &r), 2);
	assert_string_equal(r.version[0], "2026-01-01T00:00:00.000Z");
	assert_string_equal(r.version[1], "2026-01-01T00:00:30.000Z");
	q.last = false;
	q.first = true;
	assert_int_equal(list(&q, &r), 2);
	assert_string_equal(r.version[0], "2026-01-01T00:00:00.000Z");
	assert_int_equal(r.added[0], 100);
	q.last = true; /* first and last */
	assert_int_equal(list(&q, &r), 3);
	q.first = q.last = false;
	q.all = true;
	assert_int_equal(list(&q, &r), 4);
	q.all = false;
	assert_int_equal(cirt_time_parse("2026-01-01T00:00:10Z", 20, &t, NULL),
			 0);
	snprintf(keys, sizeof(keys), "[\"%s\"]", t.key);
	q.version_keys = keys; /* exact, with another precision */
	assert_int_equal(list(&q, &r), 1);
	assert_string_equal(r.version[0], "2026-01-01T00:00:10.000Z");
}

static void test_share_spec_versions(void **state)
{
	/* medallion's malware: a 2.0 version newer than the 2.1 one */
	static const char *v21 =
		"{\"type\":\"malware\",\"spec_version\":\"2.1\","
		"\"id\":\"malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec\","
		"\"created\":\"2017-01-27T13:49:53.997Z\","
		"\"modified\":\"2017-01-27T13:49:53.997Z\","
		"\"name\":\"Poison Ivy\",\"is_family\":true}";
	static const char *v20 =
		"{\"type\":\"malware\","
		"\"id\":\"malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec\","
		"\"created\":\"2017-01-27T13:49:53.997Z\","
		"\"modified\":\"2018-02-23T18:30:00.000Z\","
		"\"name\":\"Poison "
		"Ivy\",\"labels\":[\"remote-access-trojan\"]}";
	struct cirt_share_query q;
	struct rows r;

	make_collection(state, CIRT_TLP_GREEN);
	assert_int_equal(put(v21, 100), CIRT_SHARE_STORED);
	assert_int_equal(put(v20, 100), CIRT_SHARE_STORED);
	assert_string_equal(coll.spec_versions, "2.0,2.1");
	q = query(); /* latest spec version, then its last version */
	assert_int_equal(list(&q, &r), 1);
	assert_string_equal(r.version[0], "2017-01-27T13:49:53.997Z");
	q.spec_versions = "[\"2.0\"]";
	assert_int_equal(list(&q, &r), 1);
	assert_string_equal(r.version[0], "2018-02-23T18:30:00.000Z");
	q.spec_versions = "[\"2.0\",\"2.1\"]"; /* last of all */
	assert_int_equal(list(&q, &r), 1);
	assert_string_equal(r.version[0], "2018-02-23T18:30:00.000Z");
	q.last = false;
	q.all = true;
	assert_int_equal(list(&q, &r), 2);
}

static void test_share_versioning_rules(void **state)
{
	struct cirt_share_result r;

	make_collection(state, CIRT_TLP_GREEN);
	assert_int_equal(put(identity(1, 10,
				      ",\"created_by_ref\":"
				      "\"identity--00000009-0000-"
				      "4000-8000-000000000000\""),
			     100),
			 CIRT_SHARE_STORED);
	/* another creator */
	assert_int_equal(put_at(identity(1, 20, NULL), 200, &r),
			 CIRT_SHARE_REFUSED);
	assert_non_null(strstr(r.message, "creator"));
	/* a revocation, then nothing newer */
	assert_int_equal(put(identity(1, 30,
				      ",\"created_by_ref\":"
				      "\"identity--00000009-0000-"
				      "4000-8000-000000000000\","
				      "\"revoked\":true"),
			     300),
			 CIRT_SHARE_STORED);
	assert_int_equal(put_at(identity(1, 40,
					 ",\"created_by_ref\":"
					 "\"identity--00000009-0000-"
					 "4000-8000-000000000000\""),
				400, &r),
			 CIRT_SHARE_REFUSED);
	assert_non_null(strstr(r.message, "revoked"));
	/* an older version may still arrive late */
	assert_int_equal(put(identity(1, 20,
				      ",\"created_by_ref\":"
				      "\"identity--00000009-0000-"
				      "4000-8000-000000000000\""),
			     500),
			 CIRT_SHARE_STORED);
}

static void test_share_created_must_not_change(void **state)
{
	struct cirt_share_result r;
	char text[1024];

	make_collection(state, CIRT_TLP_GREEN);
	assert_int_equal(put(identity(1, 10, NULL), 100), CIRT_SHARE_STORED);
	snprintf(text, sizeof(text), "%s", identity(1, 20, NULL));
	memcpy(strstr(text, "2026-01-01T00:00:00.000Z"),
	       "2026-01-01T00:00:05.000Z", 24);
	assert_int_equal(put_at(text, 200, &r), CIRT_SHARE_REFUSED);
	assert_non_null(strstr(r.message, "STIX-12"));
}

static void test_share_tlp_on_the_way_in_and_out(void **state)
{
	struct cirt_share_query q;
	struct cirt_share_result r;
	struct rows rows;

	make_collection(state, CIRT_TLP_AMBER);
	assert_int_equal(put(identity(1, 0,
				      ",\"object_marking_refs\":"
				      "[\"" AMBER "\"]"),
			     100),
			 CIRT_SHARE_STORED);
	assert_int_equal(put(identity(2, 0,
				      ",\"object_marking_refs\":"
				      "[\"" GREEN "\"]"),
			     200),
			 CIRT_SHARE_STORED);
	assert_int_equal(put(identity(3, 0, NULL), 300), CIRT_SHARE_STORED);
	assert_int_equal(put_at(identity(4, 0,
					 ",\"object_marking_refs\":"
					 "[\"" RED "\"]"),
				400, &r),
			 CIRT_SHARE_REFUSED);
	assert_non_null(strstr(r.message, "TLP:RED"));
	coll.tlp_max = CIRT_TLP_GREEN;
	assert_int_equal(put_at(identity(5, 0,
					 ",\"object_marking_refs\":"
					 "[\"" AMBER "\"]"),
				500, &r),
			 CIRT_SHARE_REFUSED);
	assert_non_null(strstr(r.message, "ceiling TLP:GREEN"));
	q = query();
	assert_int_equal(list(&q, &rows), 3);
	q.ceiling = CIRT_TLP_GREEN; /* a partner team reads */
	assert_int_equal(list(&q, &rows), 2);
	assert_int_equal(rows.added[0], 200);
	q.ceiling = CIRT_TLP_NONE; /* only unmarked */
	assert_int_equal(list(&q, &rows), 1);
}

static void test_share_keyset_paging(void **state)
{
	struct cirt_share_query q;
	struct rows page;
	int seen = 0, pages = 0;

	make_collection(state, CIRT_TLP_GREEN);
	for (int i = 0; i < 25; i++) /* five share each date_added */
		assert_int_equal(put(identity(i, 0, NULL), 1000 + i / 5),
				 CIRT_SHARE_STORED);
	q = query();
	q.limit = 4;
	do {
		list(&q, &page);
		for (int i = 0; i < page.n; i++)
			assert_int_equal(strtol(page.id[i] + 10, NULL, 10),
					 seen++);
		if (page.n) {
			q.after_added = page.added[page.n - 1];
			q.after_seq = page.seq[page.n - 1];
		}
		pages++;
	} while (page.n == q.limit);
	assert_int_equal(seen, 25);
	assert_int_equal(pages, 7);
	/* added_after is strictly after */
	q = query();
	q.after_added = 1002;
	q.after_seq = INT64_MAX;
	assert_int_equal(list(&q, &page), 10);
}

static void test_share_type_and_id_filters(void **state)
{
	static const char *mal =
		"{\"type\":\"malware\",\"spec_version\":\"2.1\","
		"\"id\":\"malware--00000001-0000-4000-8000-000000000000\","
		"\"created\":\"2026-01-01T00:00:00.000Z\","
		"\"modified\":\"2026-01-01T00:00:00.000Z\","
		"\"name\":\"X\",\"is_family\":true}";
	struct cirt_share_query q;
	struct rows r;

	make_collection(state, CIRT_TLP_GREEN);
	assert_int_equal(put(identity(1, 0, NULL), 100), CIRT_SHARE_STORED);
	assert_int_equal(put(mal, 200), CIRT_SHARE_STORED);
	assert_int_equal(put(identity(2, 0, NULL), 300), CIRT_SHARE_STORED);
	q = query();
	q.types = "[\"malware\"]";
	assert_int_equal(list(&q, &r), 1);
	q.types = "[\"malware\",\"identity\"]";
	assert_int_equal(list(&q, &r), 3);
	q.types = "[\"tool\"]";
	assert_int_equal(list(&q, &r), 0);
	q.types = NULL;
	q.ids = "[\"identity--00000002-0000-4000-8000-000000000000\","
		"\"malware--00000001-0000-4000-8000-000000000000\"]";
	assert_int_equal(list(&q, &r), 2);
	assert_int_equal(r.added[0], 200);
	q.types = "[\"identity\"]"; /* ANDed */
	assert_int_equal(list(&q, &r), 1);
}

/* Versions above the reader's ceiling are as if they were not stored:
 * the last version a reader sees is the newest at or below its ceiling,
 * and so for the first version and the newest spec version. */
static void test_share_tlp_hides_versions(void **state)
{
	struct cirt_share_query q;
	struct rows r;

	make_collection(state, CIRT_TLP_AMBER);
	assert_int_equal(put(identity(1, 0,
				      ",\"object_marking_refs\":"
				      "[\"" GREEN "\"]"),
			     100),
			 CIRT_SHARE_STORED);
	assert_int_equal(put(identity(1, 10,
				      ",\"object_marking_refs\":"
				      "[\"" AMBER "\"]"),
			     200),
			 CIRT_SHARE_STORED);
	assert_int_equal(put(identity(1, 20,
				      ",\"object_marking_refs\":"
				      "[\"" GREEN "\"]"),
			     300),
			 CIRT_SHARE_STORED);
	assert_int_equal(put(identity(1, 30,
				      ",\"object_marking_refs\":"
				      "[\"" AMBER "\"]"),
			     400),
			 CIRT_SHARE_STORED);
	q = query();
	assert_int_equal(list(&q, &r), 1);
	assert_string_equal(r.version[0], "2026-01-01T00:00:30.000Z");
	q.ceiling = CIRT_TLP_GREEN; /* a partner: 0 and 20 */
	assert_int_equal(list(&q, &r), 1);
	assert_string_equal(r.version[0], "2026-01-01T00:00:20.000Z");
	q.last = false;
	q.first = true;
	assert_int_equal(list(&q, &r), 1);
	assert_string_equal(r.version[0], "2026-01-01T00:00:00.000Z");
	q.first = false;
	q.all = true;
	assert_int_equal(list(&q, &r), 2);
	q.ceiling = CIRT_TLP_NONE; /* unmarked only: nothing */
	assert_int_equal(list(&q, &r), 0);
	assert_int_equal(cirt_share_has(db, &coll, ID1, CIRT_TLP_NONE, NULL),
			 0);
	assert_int_equal(cirt_share_has(db, &coll, ID1, CIRT_TLP_GREEN, NULL),
			 1);
	q.ceiling = CIRT_TLP_GREEN;
	q.all = false;
	q.spec_versions = "[\"2.2\"]"; /* never stored: nothing */
	q.last = true;
	assert_int_equal(list(&q, &r), 0);
}

static void test_share_delete(void **state)
{
	struct cirt_share_query q;
	struct rows r;
	struct cirt_diag d;
	int64_t n = 0;
	const char *id = "identity--00000001-0000-4000-8000-000000000000";

	make_collection(state, CIRT_TLP_GREEN);
	for (int v = 0; v < 3; v++)
		assert_int_equal(put(identity(1, v, NULL), 100 + v),
				 CIRT_SHARE_STORED);
	assert_int_equal(put(identity(2, 0, NULL), 200), CIRT_SHARE_STORED);
	cirt_diag_init(&d);
	q = query(); /* only the last version */
	q.spec_versions = "[\"2.1\"]";
	assert_int_equal(
		cirt_share_delete(db, &test_actor, &coll, id, &q, &n, &d), 0);
	assert_int_equal(n, 1);
	q = query(); /* the one before is the last now, the first stays */
	assert_int_equal(list(&q, &r), 2);
	assert_string_equal(r.version[0], "2026-01-01T00:00:01.000Z");
	q.last = false;
	q.first = true;
	assert_int_equal(list(&q, &r), 2);
	assert_string_equal(r.version[0], "2026-01-01T00:00:00.000Z");
	q = query();
	q.all = true;
	assert_int_equal(list(&q, &r), 3);
	q.spec_versions = "[\"2.1\"]";
	assert_int_equal(
		cirt_share_delete(db, &test_actor, &coll, id, &q, &n, &d), 0);
	assert_int_equal(n, 2);
	assert_int_equal(
		cirt_share_delete(db, &test_actor, &coll, id, &q, &n, &d),
		-CIRT_ENOTFOUND);
	q.spec_versions = NULL;
	assert_int_equal(list(&q, &r), 1);
}

static int take_item(const char *kind, const char *id, const char *version,
		     const char *message, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 512 - n, "%s %s %s %s;", kind, id, version, message);
	return 0;
}

static void test_share_status_and_cursor(void **state)
{
	struct cirt_status st = {0}, got;
	json_t *items = json_pack(
		"[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}]", "kind",
		"success", "id", "a", "version", "1", "message", "", "kind",
		"failure", "id", "b", "version", "2", "message", "why");
	char out[512] = "", id[CIRT_CURSOR_LEN + 1], other[CIRT_CURSOR_LEN + 1];
	struct cirt_diag d;
	int64_t added, seq;

	make_collection(state, CIRT_TLP_GREEN);
	cirt_diag_init(&d);
	st.root_id = coll.root_id;
	st.request_ts = cirt_time_now_us();
	st.total = 2;
	st.successes = st.failures = 1;
	assert_int_equal(cirt_db_begin(db, &d), 0);
	assert_int_equal(cirt_status_save(db, &st, items, &d), 0);
	assert_int_equal(cirt_db_commit(db, &d), 0);
	assert_int_equal(cirt_status_get(db, coll.root_id, st.id, &got,
					 take_item, out, &d),
			 0);
	assert_string_equal(out, "success a 1 ;failure b 2 why;");
	assert_int_equal(got.total, 2);
	assert_int_equal(cirt_status_get(db, coll.root_id + 1, st.id, &got,
					 take_item, out, &d),
			 -CIRT_ENOTFOUND);
	json_decref(items);
	cirt_diag_init(&d);
	assert_int_equal(cirt_cursor_make(db, coll.id, "q1", 17, 4, id, &d), 0);
	assert_int_equal(strlen(id), CIRT_CURSOR_LEN);
	assert_int_equal(
		cirt_cursor_read(db, id, coll.id, "q1", &added, &seq, &d), 0);
	assert_int_equal(added, 17);
	assert_int_equal(seq, 4);
	/* the key is made once: a second cursor reads the same way */
	assert_int_equal(
		cirt_cursor_make(db, coll.id, "q1", 1LL << 50, 9, other, &d),
		0);
	assert_int_equal(
		cirt_cursor_read(db, other, coll.id, "q1", &added, &seq, &d),
		0);
	assert_int_equal(added, 1LL << 50);
	/* another query or collection, a changed byte, one too few or too
	 * many, not hex */
	assert_int_equal(
		cirt_cursor_read(db, id, coll.id, "q2", &added, &seq, &d),
		-CIRT_EINVAL);
	assert_string_equal(d.field, "next");
	assert_int_equal(
		cirt_cursor_read(db, id, coll.id + 1, "q1", &added, &seq, &d),
		-CIRT_EINVAL);
	for (size_t i = 0; i < CIRT_CURSOR_LEN; i += 7) {
		char bad[CIRT_CURSOR_LEN + 2];

		memcpy(bad, id, sizeof(id));
		bad[i] = bad[i] == '0' ? '1' : '0';
		assert_int_equal(cirt_cursor_read(db, bad, coll.id, "q1",
						  &added, &seq, &d),
				 -CIRT_EINVAL);
		memcpy(bad, id, sizeof(id));
		bad[i] = 'g';
		assert_int_equal(cirt_cursor_read(db, bad, coll.id, "q1",
						  &added, &seq, &d),
				 -CIRT_EINVAL);
		memcpy(bad, id, sizeof(id));
		bad[CIRT_CURSOR_LEN - 1] = '\0';
		assert_int_equal(cirt_cursor_read(db, bad, coll.id, "q1",
						  &added, &seq, &d),
				 -CIRT_EINVAL);
		memcpy(bad, id, sizeof(id));
		bad[CIRT_CURSOR_LEN] = '0';
		bad[CIRT_CURSOR_LEN + 1] = '\0';
		assert_int_equal(cirt_cursor_read(db, bad, coll.id, "q1",
						  &added, &seq, &d),
				 -CIRT_EINVAL);
	}
}

static void test_share_collections_and_grants(void **state)
{
	struct cirt_grant g = {"Partner", true, false};
	struct cirt_collection_new n = {"other", NULL,		 "Shared", NULL,
					"s",	 CIRT_TLP_GREEN, &g,	   1};
	struct cirt_principal p = {0};
	struct cirt_collection c;
	struct cirt_org org;
	struct cirt_diag d;
	bool r, w;

	db = ((struct test_store *)*state)->db;
	cirt_diag_init(&d);
	assert_int_equal(cirt_org_add(db, &test_actor, "Partner", 7,
				      CIRT_ORG_PARTNER, &org, &d),
			 0);
	assert_int_equal(cirt_collection_add(db, &test_actor, &n, &c, &d), 0);
	assert_string_equal(c.root, "other");
	assert_int_equal(cirt_collection_get(db, 0, "s", &c, &d), 0);
	assert_int_equal(cirt_collection_get(db, c.root_id, c.uuid, &c, &d), 0);
	p.via = CIRT_VIA_TOKEN;
	p.role = CIRT_ROLE_PARTNER;
	p.org_id = org.id;
	assert_int_equal(cirt_collection_access(db, &p, &c, &r, &w, &d), 0);
	assert_true(r);
	assert_false(w);
	p.org_id = org.id + 100;
	assert_int_equal(cirt_collection_access(db, &p, &c, &r, &w, &d), 0);
	assert_false(r || w);
	/* the same alias again, RED, unknown organisation */
	assert_int_equal(cirt_collection_add(db, &test_actor, &n, &c, &d),
			 -CIRT_ECONFLICT);
	cirt_diag_init(&d);
	n.alias = "t";
	n.tlp_max = CIRT_TLP_RED;
	assert_int_equal(cirt_collection_add(db, &test_actor, &n, &c, &d),
			 -CIRT_EINVAL);
	cirt_diag_init(&d);
	n.tlp_max = CIRT_TLP_CLEAR;
	g.org = "Nobody";
	assert_int_equal(cirt_collection_add(db, &test_actor, &n, &c, &d),
			 -CIRT_ENOTFOUND);
}

/* ---- cirt_share_ingest: one thread for small inputs, two otherwise ---- */

struct outcomes {
	size_t n, stored, refused, duplicate;
	size_t stop_at; /* fn fails at this index; 0: never */
	bool in_order;
};

static int count(size_t index, const struct cirt_share_result *r, void *arg)
{
	struct outcomes *o = arg;

	if (index != o->n)
		o->in_order = false;
	o->n++;
	o->stored += r->outcome == CIRT_SHARE_STORED;
	o->refused += r->outcome == CIRT_SHARE_REFUSED;
	o->duplicate += r->outcome == CIRT_SHARE_DUPLICATE;
	return o->stop_at && index == o->stop_at ? -CIRT_ECONFLICT : 0;
}

/* An envelope of n identities, every seventh marked TLP:RED (refused),
 * and a malformed tail if asked. */
static char *envelope(int n, bool broken, size_t *len)
{
	struct cirt_buf b;

	cirt_buf_init(&b, 64u << 20);
	assert_int_equal(cirt_buf_add(&b, "{\"objects\": [", 13), 0);
	for (int i = 0; i < n; i++) {
		const char *o = identity(
			i + 1, 1,
			i % 7 == 3 ? ", \"object_marking_refs\": [\"" RED "\"]"
				   : NULL);

		if (i && cirt_buf_add(&b, ",", 1) < 0)
			fail();
		assert_int_equal(cirt_buf_add(&b, o, strlen(o)), 0);
	}
	if (broken)
		assert_int_equal(cirt_buf_add(&b, ", {\"type\": ", 11), 0);
	else
		assert_int_equal(cirt_buf_add(&b, "]}", 2), 0);
	*len = b.len;
	return b.data;
}

static int ingest(const char *text, size_t len, struct outcomes *o,
		  struct cirt_ingest *in, struct cirt_diag *d)
{
	struct cirt_bundle_src src = {-1, text, len};
	int rc;

	memset(in, 0, sizeof(*in));
	in->db = db;
	in->c = &coll;
	in->date_added = 1000;
	in->fn = count;
	in->arg = o;
	o->in_order = true;
	cirt_diag_init(d);
	assert_int_equal(cirt_db_begin(db, d), 0);
	rc = cirt_share_ingest(in, &src, &cirt_bundle_default_limits, d);
	cirt_bundle_info_release(&in->info);
	return rc;
}

static void test_share_ingest_small_and_large(void **state)
{
	/* 20 objects stay under 64 KiB (one thread); 2000 do not. */
	static const int sizes[] = {20, 2000};
	struct cirt_ingest in;
	struct cirt_diag d;
	struct rows r;

	make_collection(state, CIRT_TLP_AMBER);
	for (size_t k = 0; k < 2; k++) {
		struct outcomes o = {0};
		size_t len;
		char *text = envelope(sizes[k], false, &len);
		int n = sizes[k], red = (n + 3) / 7;

		assert_true((len < (64u << 10)) == (k == 0));
		assert_int_equal(ingest(text, len, &o, &in, &d), 0);
		assert_int_equal(in.read_rc, 0);
		assert_int_equal(cirt_db_commit(db, &d), 0);
		assert_true(o.in_order);
		assert_int_equal(o.n, n);
		assert_int_equal(o.refused, red);
		/* the first envelope's objects are there already */
		assert_int_equal(o.duplicate, k == 0 ? 0 : 20 - (20 + 3) / 7);
		assert_int_equal(o.stored + o.duplicate + o.refused, n);
		free(text);
	}
	assert_int_equal(
		list(&(struct cirt_share_query){.after_added = -1,
						.last = true,
						.ceiling = CIRT_TLP_AMBER,
						.limit = 64},
		     &r),
		64);
}

static void test_share_ingest_read_error_keeps_what_came_before(void **state)
{
	make_collection(state, CIRT_TLP_AMBER);
	for (int n = 20; n <= 2000; n += 1980) {
		struct outcomes o = {0};
		struct cirt_ingest in;
		struct cirt_diag d;
		size_t len;
		char *text = envelope(n, true, &len);

		assert_int_equal(ingest(text, len, &o, &in, &d), 0);
		assert_int_equal(in.read_rc, -CIRT_EINVAL);
		if (strstr(in.read_d.message, "byte") == NULL)
			fail_msg("message: %s", in.read_d.message);
		assert_int_equal(o.n, n);
		assert_true(o.in_order);
		cirt_db_rollback(db);
		free(text);
	}
}

static void test_share_ingest_fn_stops_it(void **state)
{
	make_collection(state, CIRT_TLP_AMBER);
	for (int n = 20; n <= 2000; n += 1980) {
		struct outcomes o = {.stop_at = 10};
		struct cirt_ingest in;
		struct cirt_diag d;
		size_t len;
		char *text = envelope(n, false, &len);

		assert_int_equal(ingest(text, len, &o, &in, &d),
				 -CIRT_ECONFLICT);
		/* nothing after the stop; not the input's fault */
		assert_int_equal(o.n, 11);
		assert_int_equal(in.read_rc, 0);
		cirt_db_rollback(db);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_share_put_keeps_bytes_and_order),
		cmocka_unit_test(test_share_duplicate_is_not_an_error),
		cmocka_unit_test(test_share_version_filters),
		cmocka_unit_test(test_share_spec_versions),
		cmocka_unit_test(test_share_versioning_rules),
		cmocka_unit_test(test_share_created_must_not_change),
		cmocka_unit_test(test_share_tlp_on_the_way_in_and_out),
		cmocka_unit_test(test_share_keyset_paging),
		cmocka_unit_test(test_share_type_and_id_filters),
		cmocka_unit_test(test_share_tlp_hides_versions),
		cmocka_unit_test(test_share_delete),
		cmocka_unit_test(test_share_status_and_cursor),
		cmocka_unit_test(test_share_collections_and_grants),
		cmocka_unit_test(test_share_ingest_small_and_large),
		cmocka_unit_test(
			test_share_ingest_read_error_keeps_what_came_before),
		cmocka_unit_test(test_share_ingest_fn_stops_it),
	};

	return test_run_on_both("share", tests,
				sizeof(tests) / sizeof(tests[0]), true);
}
