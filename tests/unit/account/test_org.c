/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Organisations (account/org.c) on SQLite and PostgreSQL: creation with
 * its audit entry, names at their limits and hostile names, the one team,
 * lookups, listing with filters and paging.
 */
#include "testlib.h"

#include <string.h>

#include "account/org.h"

static const struct cirt_sql q_audit = {"SELECT count(*) FROM audit", NULL};
static const struct cirt_sql q_orgs = {"SELECT count(*) FROM orgs", NULL};

static struct cirt_db *db_of(void **state)
{
	return ((struct test_store *)*state)->db;
}

static int add(struct cirt_db *db, const char *name, enum cirt_org_kind k,
	       struct cirt_diag *d)
{
	cirt_diag_init(d);
	return cirt_org_add(db, &test_actor, name, strlen(name), k, NULL, d);
}

static void test_org_add_and_get(void **state)
{
	struct cirt_db *db = db_of(state);
	struct cirt_org o, got;
	struct cirt_diag d;

	cirt_diag_init(&d);
	assert_int_equal(cirt_org_add(db, &test_actor, "Ministry of Health", 18,
				      CIRT_ORG_CONSTITUENT, &o, &d),
			 0);
	assert_true(o.id > 0);
	assert_true(o.created_at > 0);
	assert_int_equal(cirt_org_get(db, "Ministry of Health", &got, &d), 0);
	assert_int_equal(got.id, o.id);
	assert_int_equal(got.kind, CIRT_ORG_CONSTITUENT);
	assert_int_equal(got.created_at, o.created_at);
	assert_int_equal(test_count(db, &q_audit), 1);
	assert_int_equal(cirt_org_get(db, "ministry of health", &got, &d),
			 -CIRT_ENOTFOUND);
	assert_non_null(strstr(d.message, "ministry of health"));
}

static void test_org_name_limits(void **state)
{
	struct cirt_db *db = db_of(state);
	char name[CIRT_ORG_NAME_MAX + 8];
	struct cirt_diag d;

	memset(name, 'x', sizeof(name));
	name[CIRT_ORG_NAME_MAX] = '\0';
	assert_int_equal(add(db, name, CIRT_ORG_PARTNER, &d), 0);
	/* 126 bytes and a 3-byte character: 129 bytes, one too many. */
	memset(name, 'y', sizeof(name));
	memcpy(name + 126, "\xe2\x82\xac", 3); /* U+20AC EURO SIGN */
	name[129] = '\0';
	assert_int_equal(add(db, name, CIRT_ORG_PARTNER, &d), -CIRT_EINVAL);
	assert_string_equal(d.field, "name");
	name[125] = '\0';		       /* 125 bytes ... */
	memcpy(name + 125, "\xe2\x82\xac", 4); /* ... + 3 = 128, NUL copied */
	assert_int_equal(add(db, name, CIRT_ORG_PARTNER, &d), 0);
	assert_int_equal(add(db, "", CIRT_ORG_PARTNER, &d), -CIRT_EINVAL);
	assert_int_equal(test_count(db, &q_orgs), 2);
	assert_int_equal(test_count(db, &q_audit), 2);
}

static void test_org_hostile_names(void **state)
{
	static const struct {
		const char *name;
		int want;
	} rows[] = {
		{"'; DROP TABLE orgs; --", 0},
		{"Robert\"); DELETE FROM users; --", 0},
		{"100% \\ back?slash", 0},
		{"A/B", 0},
		{"Ελληνική Ομάδα", 0},
		{"bad \xff byte", -CIRT_EINVAL},     /* never valid UTF-8 */
		{"overlong \xc0\xaf", -CIRT_EINVAL}, /* '/' as two bytes */
		{"surrogate \xed\xa0\x80", -CIRT_EINVAL}, /* U+D800 */
		{"tab\tinside", -CIRT_EINVAL},
		{"line\nbreak", -CIRT_EINVAL},
		{"c1 \xc2\x85 control", -CIRT_EINVAL}, /* U+0085 */
		{" leading", -CIRT_EINVAL},
		{"trailing\xc2\xa0", -CIRT_EINVAL}, /* NO-BREAK SPACE */
	};
	struct cirt_db *db = db_of(state);
	struct cirt_diag d;
	struct cirt_org o;
	int64_t ok = 0;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (add(db, rows[i].name, CIRT_ORG_CONSTITUENT, &d) !=
		    rows[i].want)
			fail_msg("row %zu (%s): %s", i, rows[i].name,
				 d.message);
		if (rows[i].want == 0) {
			ok++;
			assert_int_equal(cirt_org_get(db, rows[i].name, &o, &d),
					 0);
			assert_string_equal(o.name, rows[i].name);
		} else {
			assert_string_equal(d.field, "name");
			assert_true(strlen(d.message) > 10);
		}
	}
	assert_int_equal(test_count(db, &q_orgs), ok);
	assert_int_equal(test_count(db, &q_audit), ok);
}

static void test_org_duplicate_and_one_team(void **state)
{
	struct cirt_db *db = db_of(state);
	struct cirt_diag d;
	struct cirt_org team;

	assert_int_equal(add(db, "CERT-XX", CIRT_ORG_TEAM, &d), 0);
	assert_int_equal(add(db, "CERT-XX", CIRT_ORG_PARTNER, &d),
			 -CIRT_ECONFLICT);
	assert_non_null(strstr(d.message, "already exists"));
	assert_int_equal(add(db, "Second team", CIRT_ORG_TEAM, &d),
			 -CIRT_ECONFLICT);
	assert_string_equal(d.field, "kind");
	assert_int_equal(cirt_org_team(db, &team, &d), 0);
	assert_string_equal(team.name, "CERT-XX");
	assert_int_equal(test_count(db, &q_orgs), 1);
	assert_int_equal(test_count(db, &q_audit), 1);
}

struct collect {
	int n;
	int64_t ids[64];
};

static int collect(const struct cirt_org *o, void *arg)
{
	struct collect *c = arg;

	c->ids[c->n++] = o->id;
	return 0;
}

static void test_org_list_filters_and_pages(void **state)
{
	struct cirt_db *db = db_of(state);
	struct cirt_org_filter f = {.kind = -1, .limit = 3};
	struct collect c = {0};
	struct cirt_diag d;
	struct cirt_org o;
	char name[16];

	for (int i = 0; i < 7; i++) {
		snprintf(name, sizeof(name), "org-%d", i);
		assert_int_equal(
			add(db, name,
			    i % 2 ? CIRT_ORG_PARTNER : CIRT_ORG_CONSTITUENT,
			    &d),
			0);
	}
	cirt_diag_init(&d);
	assert_int_equal(cirt_org_list(db, &f, collect, &c, &d), 0);
	assert_int_equal(c.n, 3);
	f.after = c.ids[2];
	assert_int_equal(cirt_org_list(db, &f, collect, &c, &d), 0);
	f.after = c.ids[5];
	assert_int_equal(cirt_org_list(db, &f, collect, &c, &d), 0);
	assert_int_equal(c.n, 7);
	for (int i = 1; i < 7; i++)
		assert_true(c.ids[i] > c.ids[i - 1]);
	/* kind filter */
	c.n = 0;
	f.after = 0;
	f.limit = 100;
	f.kind = CIRT_ORG_PARTNER;
	assert_int_equal(cirt_org_list(db, &f, collect, &c, &d), 0);
	assert_int_equal(c.n, 3);
	/* only one */
	assert_int_equal(cirt_org_get(db, "org-4", &o, &d), 0);
	c.n = 0;
	f.kind = -1;
	f.only = o.id;
	assert_int_equal(cirt_org_list(db, &f, collect, &c, &d), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.ids[0], o.id);
}

static void test_org_kind_names(void **state)
{
	enum cirt_org_kind k;

	(void)state;
	assert_int_equal(cirt_org_kind_parse("constituent", &k), 0);
	assert_int_equal(k, CIRT_ORG_CONSTITUENT);
	assert_int_equal(cirt_org_kind_parse("Team", &k), -CIRT_EINVAL);
	assert_string_equal(cirt_org_kind_name(CIRT_ORG_PARTNER), "partner");
	assert_string_equal(cirt_org_kind_name(CIRT_ORG_KIND_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_org_add_and_get),
		cmocka_unit_test(test_org_name_limits),
		cmocka_unit_test(test_org_hostile_names),
		cmocka_unit_test(test_org_duplicate_and_one_team),
		cmocka_unit_test(test_org_list_filters_and_pages),
		cmocka_unit_test(test_org_kind_names),
	};

	return test_run_on_both("org", tests, sizeof(tests) / sizeof(tests[0]),
				true);
}
