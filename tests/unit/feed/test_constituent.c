/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The constituency registry (feed/constituent.c) on SQLite and
 * PostgreSQL:
 *  - adding a constituent with AS numbers, ranges, domains and contacts,
 *    and reading it back: networks stored canonical ("AS64512" as 64512,
 *    IPv6 as RFC 5952, IDN domains as A-labels), contact defaults;
 *  - conflicts: a network another constituent owns (named, whatever
 *    notation it is given in), the same network twice in one body, a
 *    name taken by a constituent or by the team; a more specific range
 *    may have another owner;
 *  - every field checked and named when bad (AS numbers, CIDRs, host
 *    bits, domains, country, e-mail, language, role, frequency, format,
 *    TLP, unknown members), and nothing written when a change fails;
 *    CIRT_CONSTITUENT_ITEMS_MAX and the name's length, just under and
 *    just over;
 *  - CSV import: rows merging into one constituent, counts, re-import
 *    changing nothing, a bad line named with nothing kept (rows counted
 *    before and after), unknown column, no name column, empty file,
 *    more fields than the header, comments and quoted fields;
 *  - list and get; the e-mail address check from a table.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "account/org.h"
#include "core/mem.h"
#include "feed/constituent.h"

static const struct cirt_sql q_orgs = {"SELECT COUNT(*) FROM orgs", NULL};
static const struct cirt_sql q_nets = {"SELECT COUNT(*) FROM org_networks",
				       NULL};
static const struct cirt_sql q_contacts = {"SELECT COUNT(*) FROM contacts",
					   NULL};
static const struct cirt_sql q_audit = {"SELECT COUNT(*) FROM audit", NULL};

struct counts {
	int64_t orgs, nets, contacts, audit;
};

static struct counts counts(struct cirt_db *db)
{
	struct counts c;

	c.orgs = test_count(db, &q_orgs);
	c.nets = test_count(db, &q_nets);
	c.contacts = test_count(db, &q_contacts);
	c.audit = test_count(db, &q_audit);
	return c;
}

static void same_counts(const struct counts *a, const struct counts *b)
{
	assert_int_equal(a->orgs, b->orgs);
	assert_int_equal(a->nets, b->nets);
	assert_int_equal(a->contacts, b->contacts);
	assert_int_equal(a->audit, b->audit);
}

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);

	if (j == NULL)
		fail_msg("bad test JSON (%s): %s", err.text, text);
	return j;
}

/* Add the constituent described by text; its result code, d filled. */
static int add(struct cirt_db *db, const char *text, json_t **out,
	       struct cirt_diag *d)
{
	json_t *body = parse(text);
	int rc;

	cirt_diag_init(d);
	rc = cirt_constituent_add(db, &test_actor, body, out, d);
	json_decref(body);
	return rc;
}

static void must_add(struct cirt_db *db, const char *text)
{
	struct cirt_diag d;

	if (add(db, text, NULL, &d) < 0)
		fail_msg("add %s: %s: %s", text, d.field, d.message);
}

/* Import text as a CSV file. */
static int import(struct cirt_db *db, const char *text,
		  struct cirt_constituent_import *r, struct cirt_diag *d)
{
	char path[] = "/tmp/cirt-test-constituent-XXXXXX";
	int fd = mkstemp(path);
	size_t n = strlen(text);
	int rc;

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	cirt_diag_init(d);
	rc = cirt_constituent_import_csv(db, &test_actor, fd, r, d);
	close(fd);
	return rc;
}

static json_t *get(struct cirt_db *db, const char *name)
{
	struct cirt_diag d;
	json_t *out = NULL;

	cirt_diag_init(&d);
	if (cirt_constituent_get(db, name, &out, &d) < 0)
		fail_msg("get %s: %s", name, d.message);
	return out;
}

/* The JSON text of member key of o, compact and sorted. */
static char *member(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_non_null(v);
	return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

static void expect_member(json_t *o, const char *key, const char *want)
{
	char *got = member(o, key);

	if (strcmp(got, want) != 0)
		fail_msg("%s: got %s, want %s", key, got, want);
	free(got);
}

/* ---- add and get ---- */

static void test_constituent_add_canonical(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	struct counts before = counts(db), after;
	struct cirt_diag d;
	json_t *out = NULL, *got, *c;

	assert_int_equal(
		add(db,
		    "{\"name\": \"Ministry of Energy\", \"sector\": \"energy\","
		    " \"country\": \"FR\","
		    " \"asns\": [64512, \"AS64513\", \"as64514\", \"64515\"],"
		    " \"cidrs\": [\"192.0.2.0/24\", \"2001:DB8:0:0::/32\","
		    "  \"198.51.100.7\", \"::ffff:203.0.113.9\"],"
		    " \"domains\": [\"Energy.Example.\", \"b\xc3\xbc"
		    "cher.example\"],"
		    " \"contacts\": [{\"email\": \"abuse@energy.example\","
		    "  \"lang\": \"fr\", \"role\": \"abuse\", \"frequency\":"
		    "  \"immediate\", \"format\": \"xarf\", \"tlp\": "
		    "\"TLP:RED\"},"
		    " {\"email\": \"soc@energy.example\"}]}",
		    &out, &d),
		0);
	assert_non_null(out);
	expect_member(out, "name", "\"Ministry of Energy\"");
	expect_member(out, "sector", "\"energy\"");
	expect_member(out, "country", "\"FR\"");
	expect_member(out, "asns", "[64512,64513,64514,64515]");
	expect_member(out, "domains",
		      "[\"energy.example\",\"xn--bcher-kva.example\"]");
	/* An IPv4 address in the mapped notation is the IPv4 address. */
	expect_member(out, "cidrs",
		      "[\"192.0.2.0/24\",\"198.51.100.7\",\"2001:db8::/32\","
		      "\"203.0.113.9\"]");
	c = json_object_get(out, "contacts");
	assert_int_equal(json_array_size(c), 2);
	expect_member(json_array_get(c, 0), "email",
		      "\"abuse@energy.example\"");
	expect_member(json_array_get(c, 0), "lang", "\"fr\"");
	expect_member(json_array_get(c, 0), "role", "\"abuse\"");
	expect_member(json_array_get(c, 0), "frequency", "\"immediate\"");
	expect_member(json_array_get(c, 0), "format", "\"xarf\"");
	expect_member(json_array_get(c, 0), "tlp", "\"red\"");
	/* The defaults: en, abuse, daily, csv, amber. */
	expect_member(json_array_get(c, 1), "lang", "\"en\"");
	expect_member(json_array_get(c, 1), "role", "\"abuse\"");
	expect_member(json_array_get(c, 1), "frequency", "\"daily\"");
	expect_member(json_array_get(c, 1), "format", "\"csv\"");
	expect_member(json_array_get(c, 1), "tlp", "\"amber\"");
	assert_non_null(json_object_get(out, "created_at"));
	/* get shows the same. */
	got = get(db, "Ministry of Energy");
	assert_true(json_equal(got, out));
	json_decref(got);
	json_decref(out);
	after = counts(db);
	assert_int_equal(after.orgs, before.orgs + 1);
	assert_int_equal(after.nets, before.nets + 10);
	assert_int_equal(after.contacts, before.contacts + 2);
	assert_int_equal(after.audit, before.audit + 1);
	/* A bare name is a constituent too; out may be NULL. */
	assert_int_equal(add(db, "{\"name\": \"Bare\"}", NULL, &d), 0);
	got = get(db, "Bare");
	expect_member(got, "asns", "[]");
	expect_member(got, "cidrs", "[]");
	expect_member(got, "contacts", "[]");
	expect_member(got, "country", "\"\"");
	json_decref(got);
}

static void test_constituent_conflicts(void **state)
{
	static const struct {
		const char *body, *field;
	} rows[] = {
		/* owned by Grid, however it is written */
		{"{\"name\": \"B\", \"cidrs\": [\"192.0.2.0/24\"]}",
		 "cidrs[0]"},
		{"{\"name\": \"B\", \"cidrs\": [\"10.9.0.0/16\", "
		 "\"2001:0DB8:0000::/32\"]}",
		 "cidrs[1]"},
		{"{\"name\": \"B\", \"asns\": [\"AS64512\"]}", "asns[0]"},
		{"{\"name\": \"B\", \"asns\": [\"64512\"]}", "asns[0]"},
		{"{\"name\": \"B\", \"domains\": [\"GRID.example.\"]}",
		 "domains[0]"},
		{"{\"name\": \"B\", \"domains\": [\"xn--bcher-kva.example\"]}",
		 "domains[0]"},
	};
	struct cirt_db *db = test_with_alice(state);
	struct counts before, after;
	struct cirt_diag d;

	must_add(db, "{\"name\": \"Grid\", \"cidrs\": [\"192.0.2.0/24\", "
		     "\"2001:db8::/32\"], \"asns\": [64512], \"domains\": "
		     "[\"grid.example\", \"b\xc3\xbc"
		     "cher.example\"]}");
	before = counts(db);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc = add(db, rows[i].body, NULL, &d);

		if (rc != -CIRT_ECONFLICT ||
		    strcmp(d.field, rows[i].field) != 0 ||
		    strstr(d.message, "Grid") == NULL)
			fail_msg("%s: rc %d, %s: %s", rows[i].body, rc, d.field,
				 d.message);
		after = counts(db);
		same_counts(&before, &after);
	}
	/* The same network twice in one body. */
	assert_true(add(db,
			"{\"name\": \"B\", \"cidrs\": [\"10.0.0.0/8\", "
			"\"10.0.0.0/8\"]}",
			NULL, &d) < 0);
	assert_string_equal(d.field, "cidrs[1]");
	assert_true(add(db, "{\"name\": \"B\", \"asns\": [64600, \"AS64600\"]}",
			NULL, &d) < 0);
	assert_string_equal(d.field, "asns[1]");
	assert_true(add(db,
			"{\"name\": \"B\", \"contacts\": [{\"email\": "
			"\"a@b.example\"}, {\"email\": \"a@b.example\"}]}",
			NULL, &d) < 0);
	assert_string_equal(d.field, "contacts[1]");
	after = counts(db);
	same_counts(&before, &after);
	/* A name taken, by a constituent or by the team. */
	assert_int_equal(add(db, "{\"name\": \"Grid\"}", NULL, &d),
			 -CIRT_ECONFLICT);
	assert_string_equal(d.field, "name");
	assert_int_equal(add(db, "{\"name\": \"CIRT\"}", NULL, &d),
			 -CIRT_ECONFLICT);
	assert_string_equal(d.field, "name");
	after = counts(db);
	same_counts(&before, &after);
	/* A more specific range, or a subdomain, may have its own owner. */
	must_add(db, "{\"name\": \"Branch\", \"cidrs\": [\"192.0.2.128/25\", "
		     "\"2001:db8:1::/48\"], \"domains\": "
		     "[\"branch.grid.example\"]}");
	after = counts(db);
	assert_int_equal(after.nets, before.nets + 3);
}

static const struct {
	const char *body, *field;
} invalid_rows[] = {
	{"[]", ""},
	{"{}", "name"},
	{"{\"name\": \"\"}", "name"},
	{"{\"name\": 7}", "name"},
	{"{\"name\": \"X\", \"colour\": \"red\"}", "colour"},
	{"{\"name\": \"X\", \"sector\": \"knitting\"}", "sector"},
	{"{\"name\": \"X\", \"country\": \"f1\"}", "country"},
	{"{\"name\": \"X\", \"country\": \"FRA\"}", "country"},
	{"{\"name\": \"X\", \"country\": \"F1\"}", "country"},
	{"{\"name\": \"X\", \"asns\": [0]}", "asns[0]"},
	{"{\"name\": \"X\", \"asns\": [-1]}", "asns[0]"},
	{"{\"name\": \"X\", \"asns\": [4294967296]}", "asns[0]"},
	{"{\"name\": \"X\", \"asns\": [1, \"AS\"]}", "asns[1]"},
	{"{\"name\": \"X\", \"asns\": [\"ASx1\"]}", "asns[0]"},
	{"{\"name\": \"X\", \"asns\": [\"64512 \"]}", "asns[0]"},
	{"{\"name\": \"X\", \"asns\": [\"AS-5\"]}", "asns[0]"},
	{"{\"name\": \"X\", \"asns\": [1.5]}", "asns[0]"},
	{"{\"name\": \"X\", \"asns\": 64512}", "asns"},
	{"{\"name\": \"X\", \"cidrs\": [\"192.0.2.0/33\"]}", "cidrs[0]"},
	{"{\"name\": \"X\", \"cidrs\": [\"192.0.2.1/24\"]}", "cidrs[0]"},
	{"{\"name\": \"X\", \"cidrs\": [\"2001:db8::1/32\"]}", "cidrs[0]"},
	{"{\"name\": \"X\", \"cidrs\": [\"10.0.0.0/8\", \"ten\"]}", "cidrs[1]"},
	{"{\"name\": \"X\", \"cidrs\": [\"fe80::/10%eth0\"]}", "cidrs[0]"},
	{"{\"name\": \"X\", \"cidrs\": [42]}", "cidrs[0]"},
	{"{\"name\": \"X\", \"cidrs\": \"10.0.0.0/8\"}", "cidrs"},
	{"{\"name\": \"X\", \"domains\": [\"a..example\"]}", "domains[0]"},
	{"{\"name\": \"X\", \"domains\": [\"bad name.example\"]}",
	 "domains[0]"},
	{"{\"name\": \"X\", \"contacts\": {}}", "contacts"},
	{"{\"name\": \"X\", \"contacts\": [\"a@b.example\"]}", "contacts[0]"},
	{"{\"name\": \"X\", \"contacts\": [{\"lang\": \"en\"}]}", "email"},
	{"{\"name\": \"X\", \"contacts\": [{\"email\": \"nobody\"}]}",
	 "contacts[0].email"},
	{"{\"name\": \"X\", \"contacts\": [{\"email\": \"a@b.example\"}, "
	 "{\"email\": \"a b@c.example\"}]}",
	 "contacts[1].email"},
	{"{\"name\": \"X\", \"contacts\": [{\"email\": \"a@b.example\", "
	 "\"lang\": \"english\"}]}",
	 "contacts[0].lang"},
	{"{\"name\": \"X\", \"contacts\": [{\"email\": \"a@b.example\", "
	 "\"lang\": \"e\"}]}",
	 "contacts[0].lang"},
	{"{\"name\": \"X\", \"contacts\": [{\"email\": \"a@b.example\", "
	 "\"lang\": \"en_GB\"}]}",
	 "contacts[0].lang"},
	{"{\"name\": \"X\", \"contacts\": [{\"email\": \"a@b.example\", "
	 "\"role\": \"boss\"}]}",
	 "contacts[0].role"},
	{"{\"name\": \"X\", \"contacts\": [{\"email\": \"a@b.example\", "
	 "\"frequency\": \"hourly\"}]}",
	 "contacts[0].frequency"},
	{"{\"name\": \"X\", \"contacts\": [{\"email\": \"a@b.example\", "
	 "\"format\": \"pdf\"}]}",
	 "contacts[0].format"},
	{"{\"name\": \"X\", \"contacts\": [{\"email\": \"a@b.example\", "
	 "\"tlp\": \"purple\"}]}",
	 "contacts[0].tlp"},
	{"{\"name\": \"X\", \"contacts\": [{\"email\": \"a@b.example\", "
	 "\"tlp\": \"none\"}]}",
	 "contacts[0].tlp"},
	{"{\"name\": \"X\", \"contacts\": [{\"email\": \"a@b.example\", "
	 "\"phone\": \"123\"}]}",
	 "phone"},
};

static void test_constituent_invalid_fields(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	struct counts before = counts(db), after;
	struct cirt_diag d;
	size_t failed = 0;

	for (size_t i = 0; i < sizeof(invalid_rows) / sizeof(invalid_rows[0]);
	     i++) {
		json_t *out = (json_t *)1;
		int rc = add(db, invalid_rows[i].body, &out, &d);

		if (rc != -CIRT_EINVAL ||
		    strcmp(d.field, invalid_rows[i].field) != 0 ||
		    d.message[0] == '\0') {
			printf("# %s: rc %d, field \"%s\" (want \"%s\"): %s\n",
			       invalid_rows[i].body, rc, d.field,
			       invalid_rows[i].field, d.message);
			failed++;
		}
		if (out != NULL) {
			printf("# %s: out set\n", invalid_rows[i].body);
			failed++;
		}
		after = counts(db);
		same_counts(&before, &after);
	}
	if (failed)
		fail_msg("%zu rows failed", failed);
	/* The same values that are good. */
	must_add(db, "{\"name\": \"X\", \"country\": \"\", \"contacts\": "
		     "[{\"email\": \"a@b.example\", \"lang\": \"pt-br\", "
		     "\"role\": \"management\", \"frequency\": \"never\", "
		     "\"format\": \"iodef\", \"tlp\": \"white\"}]}");
	{
		json_t *got = get(db, "X");
		json_t *c = json_array_get(json_object_get(got, "contacts"), 0);

		expect_member(c, "lang", "\"pt-br\"");
		expect_member(c, "tlp", "\"clear\"");
		json_decref(got);
	}
}

/* CIRT_CONSTITUENT_ITEMS_MAX networks in one change, and one more. */
static void test_constituent_items_limit(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	struct counts before = counts(db), after;
	struct cirt_diag d;
	json_t *body = json_object(), *asns = json_array(), *contacts;
	char name[CIRT_ORG_NAME_MAX + 2];

	for (int i = 1; i <= CIRT_CONSTITUENT_ITEMS_MAX + 1; i++)
		json_array_append_new(asns, json_integer(i));
	json_object_set_new(body, "name", json_string("Big"));
	json_object_set_new(body, "asns", asns);
	cirt_diag_init(&d);
	assert_int_equal(cirt_constituent_add(db, &test_actor, body, NULL, &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "asns");
	after = counts(db);
	same_counts(&before, &after);
	assert_int_equal(json_array_remove(asns, 0), 0);
	cirt_diag_init(&d);
	if (cirt_constituent_add(db, &test_actor, body, NULL, &d) < 0)
		fail_msg("%d networks: %s", CIRT_CONSTITUENT_ITEMS_MAX,
			 d.message);
	after = counts(db);
	assert_int_equal(after.nets, before.nets + CIRT_CONSTITUENT_ITEMS_MAX);
	json_decref(body);
	/* Contacts alike (refused before any is looked at). */
	body = json_object();
	contacts = json_array();
	for (int i = 0; i <= CIRT_CONSTITUENT_ITEMS_MAX; i++)
		json_array_append_new(contacts, json_object());
	json_object_set_new(body, "name", json_string("Many"));
	json_object_set_new(body, "contacts", contacts);
	cirt_diag_init(&d);
	assert_int_equal(cirt_constituent_add(db, &test_actor, body, NULL, &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "contacts");
	json_decref(body);
	/* Names: 128 bytes, then 129. */
	memset(name, 'n', sizeof(name));
	name[CIRT_ORG_NAME_MAX] = '\0';
	body = json_pack("{s:s}", "name", name);
	cirt_diag_init(&d);
	assert_int_equal(cirt_constituent_add(db, &test_actor, body, NULL, &d),
			 0);
	json_decref(body);
	name[CIRT_ORG_NAME_MAX] = 'n';
	name[CIRT_ORG_NAME_MAX + 1] = '\0';
	body = json_pack("{s:s}", "name", name);
	cirt_diag_init(&d);
	assert_int_equal(cirt_constituent_add(db, &test_actor, body, NULL, &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "name");
	json_decref(body);
}

/* ---- import ---- */

static const char import_csv[] =
	"# the registry, exported 2026-11-20\n"
	"name,sector,country,asns,cidrs,domains,email,lang,role,frequency,"
	"format,tlp\n"
	"Grid,energy,FR,64500,192.0.2.0/24 198.51.100.0/24,grid.example,"
	"abuse@grid.example,fr,abuse,daily,csv,amber\n"
	"Grid,,,,2001:DB8::/32,,soc@grid.example,en,security,immediate,xarf,"
	"red\n"
	"\"Rail, Inc.\",transport,DE,AS64501;AS64502,203.0.113.0/24;"
	"10.0.0.0/8,rail.example,abuse@rail.example,,,,,\n"
	"Grid,,,,,b\xc3\xbc"
	"cher.example,,,,,,\n";

static void test_constituent_import(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	struct cirt_constituent_import r;
	struct counts before = counts(db), after, again;
	struct cirt_diag d;
	json_t *list = NULL, *got;

	if (import(db, import_csv, &r, &d) < 0)
		fail_msg("import: %s: %s", d.field, d.message);
	assert_int_equal(r.rows, 4);
	assert_int_equal(r.created, 2);
	assert_int_equal(r.networks, 6 + 5);
	assert_int_equal(r.contacts, 3);
	after = counts(db);
	assert_int_equal(after.orgs, before.orgs + 2);
	assert_int_equal(after.nets, before.nets + 11);
	assert_int_equal(after.contacts, before.contacts + 3);
	assert_int_equal(after.audit, before.audit + 1);
	got = get(db, "Grid");
	expect_member(got, "country", "\"FR\"");
	expect_member(got, "sector", "\"energy\"");
	expect_member(got, "asns", "[64500]");
	expect_member(
		got, "cidrs",
		"[\"192.0.2.0/24\",\"198.51.100.0/24\",\"2001:db8::/32\"]");
	expect_member(got, "domains",
		      "[\"grid.example\",\"xn--bcher-kva.example\"]");
	assert_int_equal(json_array_size(json_object_get(got, "contacts")), 2);
	expect_member(json_array_get(json_object_get(got, "contacts"), 1),
		      "tlp", "\"red\"");
	json_decref(got);
	got = get(db, "Rail, Inc.");
	expect_member(got, "asns", "[64501,64502]");
	expect_member(got, "cidrs", "[\"10.0.0.0/8\",\"203.0.113.0/24\"]");
	json_decref(got);
	/* The same file again changes nothing. */
	if (import(db, import_csv, &r, &d) < 0)
		fail_msg("import again: %s: %s", d.field, d.message);
	assert_int_equal(r.rows, 4);
	assert_int_equal(r.created, 0);
	assert_int_equal(r.networks, 0);
	assert_int_equal(r.contacts, 0);
	again = counts(db);
	assert_int_equal(again.orgs, after.orgs);
	assert_int_equal(again.nets, after.nets);
	assert_int_equal(again.contacts, after.contacts);
	/* An import adds to a constituent made by hand. */
	must_add(db, "{\"name\": \"Bank\", \"asns\": [64999]}");
	assert_int_equal(import(db, "name,cidrs\nBank,172.16.0.0/12\n", &r, &d),
			 0);
	assert_int_equal(r.created, 0);
	assert_int_equal(r.networks, 1);
	got = get(db, "Bank");
	expect_member(got, "asns", "[64999]");
	expect_member(got, "cidrs", "[\"172.16.0.0/12\"]");
	json_decref(got);
	/* A header alone is no error. */
	assert_int_equal(import(db, "name,email\n", &r, &d), 0);
	assert_int_equal(r.rows, 0);
	/* list: by name, with counts; the team is not a constituent. */
	assert_int_equal(cirt_constituent_list(db, &list, &d), 0);
	assert_int_equal(json_array_size(list), 3);
	expect_member(json_array_get(list, 0), "name", "\"Bank\"");
	expect_member(json_array_get(list, 0), "networks", "2");
	expect_member(json_array_get(list, 0), "contacts", "0");
	expect_member(json_array_get(list, 1), "name", "\"Grid\"");
	expect_member(json_array_get(list, 1), "networks", "6");
	expect_member(json_array_get(list, 1), "contacts", "2");
	expect_member(json_array_get(list, 2), "name", "\"Rail, Inc.\"");
	expect_member(json_array_get(list, 2), "country", "\"DE\"");
	json_decref(list);
	/* get of what is not a constituent. */
	got = (json_t *)1;
	assert_int_equal(cirt_constituent_get(db, "CIRT", &got, &d),
			 -CIRT_ENOTFOUND);
	assert_null(got);
	cirt_diag_init(&d);
	assert_int_equal(cirt_constituent_get(db, "Nobody", &got, &d),
			 -CIRT_ENOTFOUND);
	assert_string_equal(d.field, "name");
}

/* A file that fails: the error, and nothing of it kept. */
static void expect_import_fails(struct cirt_db *db, const char *text, int code,
				const char *where)
{
	struct cirt_constituent_import r;
	struct counts before = counts(db), after;
	struct cirt_diag d;
	int rc = import(db, text, &r, &d);

	if (rc != code || strstr(d.message, where) == NULL)
		fail_msg("import \"%.60s\": rc %d (want %d), \"%s\" (want "
			 "\"%s\")",
			 text, rc, code, d.message, where);
	after = counts(db);
	same_counts(&before, &after);
}

static void test_constituent_import_errors(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	struct cirt_constituent_import r;
	struct cirt_diag d;

	must_add(db, "{\"name\": \"Owner\", \"cidrs\": [\"192.0.2.0/24\"]}");
	/* A bad value on line 4: the rows before it are not kept. */
	expect_import_fails(db,
			    "name,cidrs,email\n"
			    "A,10.0.0.0/8,a@a.example\n"
			    "B,172.16.0.0/12,b@b.example\n"
			    "C,192.168.0.1/16,c@c.example\n"
			    "D,192.168.0.0/16,d@d.example\n",
			    -CIRT_EINVAL, "line 4");
	/* Lines count from the top of the file, comments included. */
	expect_import_fails(db,
			    "# registry\n"
			    "name,cidrs\n"
			    "A,10.0.0.0/8\n"
			    "B,bad\n",
			    -CIRT_EINVAL, "line 4");
	expect_import_fails(db,
			    "name,email\n"
			    "A,a@a.example\n"
			    "B,not-an-address\n",
			    -CIRT_EINVAL, "line 3");
	expect_import_fails(db,
			    "name,lang\n"
			    "A,english\n",
			    -CIRT_EINVAL, "line 2");
	expect_import_fails(db,
			    "name,country\n"
			    "A,FR\n"
			    "B,France\n",
			    -CIRT_EINVAL, "line 3");
	/* A network another constituent owns. */
	expect_import_fails(db,
			    "name,cidrs\n"
			    "A,10.0.0.0/8\n"
			    "B,192.0.2.0/24\n",
			    -CIRT_ECONFLICT, "line 3");
	/* The team's name. */
	expect_import_fails(db,
			    "name,cidrs\n"
			    "A,10.0.0.0/8\n"
			    "CIRT,172.16.0.0/12\n",
			    -CIRT_ECONFLICT, "line 3");
	/* The header. */
	expect_import_fails(db, "name,phone\nA,123\n", -CIRT_EINVAL, "phone");
	expect_import_fails(db, "email,cidrs\na@a.example,10.0.0.0/8\n",
			    -CIRT_EINVAL, "name");
	expect_import_fails(db, "", -CIRT_EINVAL, "empty");
	expect_import_fails(db, "# only a comment\n\n", -CIRT_EINVAL, "empty");
	/* More fields than the header. */
	expect_import_fails(db,
			    "name,cidrs\n"
			    "A,10.0.0.0/8\n"
			    "B,172.16.0.0/12,extra\n",
			    -CIRT_EINVAL, "line 3");
	/* Not UTF-8. */
	expect_import_fails(db,
			    "name,sector\n"
			    "A\xff,energy\n",
			    -CIRT_EINVAL, "line 2");
	/* A quote never closed. */
	expect_import_fails(db,
			    "name,cidrs\n"
			    "A,10.0.0.0/8\n"
			    "\"B,172.16.0.0/12\n",
			    -CIRT_EINVAL, "line");
	/* After all that, a good file still goes in whole. */
	assert_int_equal(import(db,
				"name,cidrs\nA,10.0.0.0/8\nB,172.16.0.0/12\n",
				&r, &d),
			 0);
	assert_int_equal(r.created, 2);
}

/* ---- e-mail addresses ---- */

static void test_email_check(void **state)
{
	static const struct {
		const char *addr;
		bool ok;
	} rows[] = {
		{"abuse@example.org", true},
		{"a.b+tag@sub.example.org", true},
		{"x@xn--bcher-kva.example", true},
		{"o'brien@example.ie", true},
		{"a@b.example", true},
		{"", false},
		{"noat", false},
		{"@example.org", false},
		{"a@", false},
		{"a@example", false}, /* one label */
		{"a@.example.org", false},
		{"a@example..org", false},
		{"a@exa mple.org", false},
		{"a b@example.org", false},
		{"\"a\"@example.org", false},
		{"<a@example.org>", false},
		{"a@example.org>", false},
		{"Abuse <a@example.org>", false},
		{"a@@example.org", false},
		{"a@b@example.org", false},
		{"a,b@example.org", false},
		{"a;b@example.org", false},
		{"a\\b@example.org", false},
		{"a\tb@example.org", false},
		{"a\x01@example.org", false},
		{"\xc3\xa9@example.org", false},
		{"a@b\xc3\xbc"
		 "cher.example",
		 false}, /* U-labels: give the A-labels */
		{"a@example.org\n", false},
	};
	struct cirt_diag d;
	char big[400];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc;

		cirt_diag_init(&d);
		rc = cirt_email_check(rows[i].addr, "email", &d);
		if (rows[i].ok ? rc != 0
			       : rc != -CIRT_EINVAL ||
					 strcmp(d.field, "email") != 0)
			fail_msg("\"%s\": rc %d (%s)", rows[i].addr, rc,
				 d.message);
	}
	/* A local part of 64 bytes, then 65. */
	memset(big, 'l', 64);
	memcpy(big + 64, "@example.org", 13);
	assert_int_equal(cirt_email_check(big, "email", NULL), 0);
	memset(big, 'l', 65);
	memcpy(big + 65, "@example.org", 13);
	assert_int_equal(cirt_email_check(big, "email", NULL), -CIRT_EINVAL);
	/* 254 bytes in all, then 255. */
	memset(big, 'l', 60);
	big[60] = '@';
	for (size_t n = 61; n < 254; n++)
		big[n] = (n - 61) % 50 == 49 ? '.' : 'd';
	memcpy(big + 250, ".org", 5);
	assert_int_equal(strlen(big), 254);
	assert_int_equal(cirt_email_check(big, "email", NULL), 0);
	memcpy(big + 250, "d.org", 6);
	assert_int_equal(strlen(big), 255);
	assert_int_equal(cirt_email_check(big, "email", NULL), -CIRT_EINVAL);
	/* The vocabularies are what the schema allows. */
	assert_string_equal(cirt_contact_roles[0], "abuse");
	assert_null(cirt_contact_roles[4]);
	assert_null(cirt_contact_frequencies[4]);
	assert_null(cirt_contact_formats[3]);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_email_check),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constituent_add_canonical),
		cmocka_unit_test(test_constituent_conflicts),
		cmocka_unit_test(test_constituent_invalid_fields),
		cmocka_unit_test(test_constituent_items_limit),
		cmocka_unit_test(test_constituent_import),
		cmocka_unit_test(test_constituent_import_errors),
	};
	int failed = cmocka_run_group_tests_name("email", pure, NULL, NULL);

	failed += test_run_on_both("constituent", tests,
				   sizeof(tests) / sizeof(tests[0]), true);
	return failed;
}
