/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * IODEF v2 (iodef/): the TLP crosswalk both ways; the offline schema
 * loader; a rich incident with hostile and non-ASCII text written,
 * validated against the real iodef-2.0.xsd and read back unchanged; the
 * RFC 7970 examples read with and without the schema; the negative
 * fixtures, malformed XML, DOCTYPE/XXE and the rules without a schema
 * reported with their lines; every budget at its edge (bytes, incidents,
 * items, errors); what the writer refuses. The real schema and examples
 * come from ../shared/data; tests that need them skip without it.
 */
#include "testlib.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "iodef/iodef.h"

/* 2026-11-22T10:00:00Z */
#define T0 INT64_C(1795341600000000)

static struct cirt_iodef_schema *schema;

static int setup(void **state)
{
	const char *data = test_shared_data("the IODEF schema");
	struct cirt_diag d;
	char path[512];

	(void)state;
	cirt_iodef_setup();
	if (data == NULL)
		return 0;
	snprintf(path, sizeof(path), "%s/iodef/iodef-2.0.xsd", data);
	cirt_diag_init(&d);
	if (cirt_iodef_schema_load(path, &schema, &d) != 0) {
		printf("# cannot load %s: %s\n", path, d.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cirt_iodef_schema_free(schema);
	schema = NULL;
	return 0;
}

/* The shared file iodef/name, or NULL (and a skip line). */
static char *shared_file(const char *name, size_t *len)
{
	const char *data = test_shared_data("IODEF examples");
	char path[512];

	if (data == NULL)
		return NULL;
	snprintf(path, sizeof(path), "%s/iodef/%s", data, name);
	return test_read_file(path, len);
}

/* True if errors holds an entry at line (0: any line) whose message
 * contains what. */
static bool has_error(const json_t *errors, long line, const char *what)
{
	size_t i;
	json_t *e;

	json_array_foreach (errors, i, e) {
		json_int_t l = json_integer_value(json_object_get(e, "line"));
		const char *m =
			json_string_value(json_object_get(e, "message"));

		assert_non_null(m);
		assert_true(json_object_size(e) == 2);
		if ((line == 0 || l == line) && strstr(m, what) != NULL)
			return true;
	}
	return false;
}

static void dump_errors(const json_t *errors)
{
	size_t i;
	json_t *e;

	json_array_foreach (errors, i, e) {
		printf("# line %lld: %s\n",
		       (long long)json_integer_value(
			       json_object_get(e, "line")),
		       json_string_value(json_object_get(e, "message")));
	}
}

/* Read text; expect rc. errors is returned (decref it). */
static json_t *read_expect(const char *xml, size_t len,
			   const struct cirt_iodef_schema *s, int rc,
			   struct cirt_iodef_doc *doc)
{
	json_t *errors = json_array();
	struct cirt_diag d;
	int got;

	cirt_diag_init(&d);
	got = cirt_iodef_read(xml, len, s, doc, errors, &d);
	if (getenv("IODEF_DUMP") != NULL) {
		printf("# read (%s schema): %d\n", s ? "with" : "without", got);
		dump_errors(errors);
	}
	if (got != rc) {
		dump_errors(errors);
		fail_msg("read gave %d, not %d: %s", got, rc, d.message);
	}
	if (rc == 0) {
		assert_int_equal(json_array_size(errors), 0);
	} else {
		assert_true(json_array_size(errors) > 0);
		assert_int_equal(d.code, rc);
		assert_non_null(strstr(d.message, "line "));
		assert_null(doc->incidents);
		assert_int_equal(doc->nincidents, 0);
	}
	return errors;
}

/* ---- TLP ---- */

static void test_iodef_tlp_mapping(void **state)
{
	static const struct {
		enum cirt_tlp tlp;
		const char *restriction, *ext;
	} map[] = {
		{CIRT_TLP_CLEAR, "public", NULL},
		{CIRT_TLP_GREEN, "green", NULL},
		{CIRT_TLP_AMBER, "amber", NULL},
		{CIRT_TLP_AMBER_STRICT, "ext-value", "amber+strict"},
		{CIRT_TLP_RED, "red", NULL},
	};
	const char *ext = "x";

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		const char *r = cirt_iodef_restriction(map[i].tlp, &ext);

		assert_string_equal(r, map[i].restriction);
		if (map[i].ext == NULL)
			assert_null(ext);
		else
			assert_string_equal(ext, map[i].ext);
		assert_int_equal(cirt_iodef_tlp(r, ext), map[i].tlp);
	}
	assert_null(cirt_iodef_restriction(CIRT_TLP_NONE, &ext));
	assert_null(ext);
	assert_null(cirt_iodef_restriction(CIRT_TLP_NONE, NULL));

	/* The other restriction values. */
	assert_int_equal(cirt_iodef_tlp("white", NULL), CIRT_TLP_CLEAR);
	assert_int_equal(cirt_iodef_tlp("partner", NULL), CIRT_TLP_GREEN);
	assert_int_equal(cirt_iodef_tlp("need-to-know", NULL), CIRT_TLP_AMBER);
	assert_int_equal(cirt_iodef_tlp("private", NULL), CIRT_TLP_RED);
	assert_int_equal(cirt_iodef_tlp("default", NULL), CIRT_TLP_NONE);
	assert_int_equal(cirt_iodef_tlp(NULL, NULL), CIRT_TLP_NONE);
	assert_int_equal(cirt_iodef_tlp("ext-value", NULL), CIRT_TLP_NONE);
	assert_int_equal(cirt_iodef_tlp("ext-value", "TLP:RED"), CIRT_TLP_RED);
	assert_int_equal(cirt_iodef_tlp("ext-value", "secret"), CIRT_TLP_NONE);
	assert_int_equal(cirt_iodef_tlp("RED", NULL), CIRT_TLP_NONE);
	assert_int_equal(cirt_iodef_tlp("amber", "ignored"), CIRT_TLP_AMBER);
}

/* ---- schema loading ---- */

static void copy_file(const char *from, const char *to)
{
	size_t len;
	char *text = test_read_file(from, &len);
	FILE *f = fopen(to, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(text);
}

static void test_iodef_schema_load(void **state)
{
	static const char *const stubs[] = {"ds.xsd", "enum.xsd", "sci.xsd",
					    "xml.xsd"};
	const char *data = test_shared_data("the IODEF schema");
	struct cirt_iodef_schema *s = NULL;
	char dir[] = "/tmp/cirt-iodef-XXXXXX";
	char from[512], to[512];
	struct cirt_diag d;

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(
		cirt_iodef_schema_load("/nonexistent/iodef.xsd", &s, &d),
		-CIRT_EIO);
	assert_null(s);
	assert_non_null(strstr(d.message, "/nonexistent/iodef.xsd"));
	if (data == NULL)
		return;

	/* The schema without its stubs: the imports cannot be resolved
	 * and the network is not tried. */
	assert_non_null(mkdtemp(dir));
	snprintf(from, sizeof(from), "%s/iodef/iodef-2.0.xsd", data);
	snprintf(to, sizeof(to), "%s/iodef-2.0.xsd", dir);
	copy_file(from, to);
	cirt_diag_init(&d);
	assert_int_equal(cirt_iodef_schema_load(to, &s, &d), -CIRT_EIO);
	assert_null(s);
	assert_string_equal(d.field, "schema");
	assert_non_null(strstr(d.message, "no local copy"));
	assert_non_null(strstr(d.message, "xsd"));

	/* A stub beside the schema is found by its basename. */
	snprintf(to, sizeof(to), "%s/validation-stubs", dir);
	assert_int_equal(mkdir(to, 0700), 0);
	for (size_t i = 0; i < 4; i++) {
		snprintf(from, sizeof(from), "%s/iodef/validation-stubs/%s",
			 data, stubs[i]);
		snprintf(to, sizeof(to), "%s/validation-stubs/%s", dir,
			 stubs[i]);
		copy_file(from, to);
	}
	snprintf(to, sizeof(to), "%s/iodef-2.0.xsd", dir);
	cirt_diag_init(&d);
	assert_int_equal(cirt_iodef_schema_load(to, &s, &d), 0);
	assert_non_null(s);
	cirt_iodef_schema_free(s);

	/* Not a schema. */
	snprintf(from, sizeof(from), "%s/iodef/rfc7970-sec7.1-minimal.xml",
		 data);
	cirt_diag_init(&d);
	s = NULL;
	assert_int_equal(cirt_iodef_schema_load(from, &s, &d), -CIRT_EINVAL);
	assert_null(s);

	for (size_t i = 0; i < 4; i++) {
		snprintf(to, sizeof(to), "%s/validation-stubs/%s", dir,
			 stubs[i]);
		unlink(to);
	}
	snprintf(to, sizeof(to), "%s/validation-stubs", dir);
	rmdir(to);
	snprintf(to, sizeof(to), "%s/iodef-2.0.xsd", dir);
	unlink(to);
	rmdir(dir);
}

/* ---- the rich incident ---- */

/* Writable copies of literals, for the char * members (never freed). */
static char *S(const char *s)
{
	static char pool[1u << 16];
	static size_t used;
	size_t n = strlen(s) + 1;
	char *p;

	if (used + n > sizeof(pool))
		used = 0; /* older incidents are no longer in use */
	p = pool + used;
	memcpy(p, s, n);
	used += n;
	return p;
}

static struct cirt_iodef_contact rich_contacts[4];
static struct cirt_iodef_observable rich_observables[7];
static struct cirt_iodef_history rich_history[3];
static char *rich_related[2];

static void contact(struct cirt_iodef_contact *c, const char *role,
		    const char *type, const char *name, const char *email,
		    const char *phone)
{
	c->role = role != NULL ? S(role) : NULL;
	c->type = type != NULL ? S(type) : NULL;
	c->name = name != NULL ? S(name) : NULL;
	c->email = email != NULL ? S(email) : NULL;
	c->phone = phone != NULL ? S(phone) : NULL;
}

static void observable(struct cirt_iodef_observable *o, const char *category,
		       const char *value, const char *role)
{
	o->category = S(category);
	o->value = S(value);
	o->role = S(role);
}

static void history(struct cirt_iodef_history *h, int64_t at,
		    const char *action, const char *text)
{
	h->at = at;
	h->action = S(action);
	h->text = text != NULL ? S(text) : NULL;
}

/* Every member set, with text that XML must escape, and non-ASCII. */
static struct cirt_iodef_incident rich_incident(void)
{
	struct cirt_iodef_incident in;

	contact(&rich_contacts[0], "creator", "organization",
		"CIRT Ünïcødé <&> \"Team\" 'x'", "cirt@example.org",
		"+41 58 000 00 00");
	contact(&rich_contacts[1], "reporter", "person", "Zoë O'Brien",
		"zoe@example.net", NULL);
	contact(&rich_contacts[2], "victim", "organization",
		"Bäckerei & Söhne AG", NULL, NULL);
	contact(&rich_contacts[3], "x-night\tshift\n<&\"'>", "x-robot", NULL,
		"bot@example.org", NULL);
	observable(&rich_observables[0], "ipv4-addr", "192.0.2.1", "source");
	observable(&rich_observables[1], "ipv6-addr", "2001:db8::1", "source");
	observable(&rich_observables[2], "domain-name", "bücher.example",
		   "target");
	observable(&rich_observables[3], "site-uri",
		   "http://evil.example.com/a?b=<c>&d='e'\"f\"", "target");
	observable(&rich_observables[4], "e-mail", "phish@example.com",
		   "other");
	observable(&rich_observables[5], "ipv4-net", "198.51.100.0/24",
		   "other");
	observable(&rich_observables[6], "asn", "64496", "source");
	history(&rich_history[0], T0 + 1, "status-triage",
		"Triage: <b>bold</b> & done ✓");
	history(&rich_history[1], T0 + 3600000000, "block-host", NULL);
	history(&rich_history[2], T0 + 7200000000, "x-custom-action",
		"custom \"action\"");
	rich_related[0] = S("CIRT-2026-0001");
	rich_related[1] = S("CIRT-2026-0002 <&>");

	memset(&in, 0, sizeof(in));
	in.id_name = S("csirt.example.org");
	in.id = S("CIRT-2026-0042 <&\"'>");
	in.alt_id_name = S("partner.example.net");
	in.alt_id = S("P-77 ]]>");
	in.purpose = S("mitigation");
	in.status = S("in-progress");
	in.tlp = CIRT_TLP_AMBER_STRICT;
	in.lang = S("de-CH");
	in.generation_time = T0 + 123456;
	in.report_time = T0 - 60000000;
	in.detect_time = T0 - 3600000000;
	in.start_time = T0 - 7200000000 + 999999;
	in.end_time = T0 - 1;
	in.title = S("Phishing <script>alert('x')</script> & \"quotes\" – "
		     "Überweisung ✓ 𝄞");
	in.description = S("First paragraph\twith a tab.\r\n\nSecond ]]> "
			   "<!-- not a comment --> &amp; literal\n\n  "
			   "spaces  ");
	in.category = S("fraud:phishing");
	in.severity = S("high");
	in.impact = S("breach-credential");
	in.related = rich_related;
	in.nrelated = 2;
	in.contacts = rich_contacts;
	in.ncontacts = CIRT_ARRAY_LEN(rich_contacts);
	in.observables = rich_observables;
	in.nobservables = CIRT_ARRAY_LEN(rich_observables);
	in.history = rich_history;
	in.nhistory = CIRT_ARRAY_LEN(rich_history);
	return in;
}

static void assert_str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_incident_equal(const struct cirt_iodef_incident *a,
				  const struct cirt_iodef_incident *b)
{
	assert_str_eq(a->id_name, b->id_name);
	assert_str_eq(a->id, b->id);
	assert_str_eq(a->alt_id_name, b->alt_id_name);
	assert_str_eq(a->alt_id, b->alt_id);
	assert_str_eq(a->purpose, b->purpose);
	assert_str_eq(a->status, b->status);
	assert_int_equal(a->tlp, b->tlp);
	assert_str_eq(a->lang, b->lang);
	assert_int_equal(a->generation_time, b->generation_time);
	assert_int_equal(a->report_time, b->report_time);
	assert_int_equal(a->detect_time, b->detect_time);
	assert_int_equal(a->start_time, b->start_time);
	assert_int_equal(a->end_time, b->end_time);
	assert_str_eq(a->title, b->title);
	assert_str_eq(a->description, b->description);
	assert_str_eq(a->category, b->category);
	assert_str_eq(a->severity, b->severity);
	assert_str_eq(a->impact, b->impact);
	assert_int_equal(a->nrelated, b->nrelated);
	for (size_t i = 0; i < a->nrelated; i++)
		assert_str_eq(a->related[i], b->related[i]);
	assert_int_equal(a->ncontacts, b->ncontacts);
	for (size_t i = 0; i < a->ncontacts; i++) {
		assert_str_eq(a->contacts[i].role, b->contacts[i].role);
		assert_str_eq(a->contacts[i].type, b->contacts[i].type);
		assert_str_eq(a->contacts[i].name, b->contacts[i].name);
		assert_str_eq(a->contacts[i].email, b->contacts[i].email);
		assert_str_eq(a->contacts[i].phone, b->contacts[i].phone);
	}
	assert_int_equal(a->nobservables, b->nobservables);
	for (size_t i = 0; i < a->nobservables; i++) {
		assert_str_eq(a->observables[i].category,
			      b->observables[i].category);
		assert_str_eq(a->observables[i].value, b->observables[i].value);
		assert_str_eq(a->observables[i].role, b->observables[i].role);
	}
	assert_int_equal(a->nhistory, b->nhistory);
	for (size_t i = 0; i < a->nhistory; i++) {
		assert_int_equal(a->history[i].at, b->history[i].at);
		assert_str_eq(a->history[i].action, b->history[i].action);
		assert_str_eq(a->history[i].text, b->history[i].text);
	}
}

static void write_doc(const struct cirt_iodef_doc *doc, struct cirt_buf *out)
{
	struct cirt_diag d;

	cirt_diag_init(&d);
	cirt_buf_init(out, 64u << 20);
	if (cirt_iodef_write(doc, out, &d) != 0)
		fail_msg("write: %s (%s)", d.message, d.field);
}

static void test_iodef_write_validates(void **state)
{
	struct cirt_iodef_incident in = rich_incident();
	struct cirt_iodef_doc doc = {&in, 1}, back;
	struct cirt_buf out;
	const char *s;
	json_t *errors;

	(void)state;
	write_doc(&doc, &out);
	s = cirt_buf_str(&out);
	if (getenv("IODEF_DUMP") != NULL)
		fputs(s, stderr);
	/* The forms the schema and the mapping ask for. */
	assert_non_null(
		strstr(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
	assert_non_null(
		strstr(s, "xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\""));
	assert_non_null(strstr(s, "version=\"2.00\""));
	assert_non_null(strstr(s, "xml:lang=\"de-CH\""));
	assert_non_null(strstr(s, "purpose=\"mitigation\""));
	assert_non_null(strstr(s, "restriction=\"ext-value\" "
				  "ext-restriction=\"amber+strict\""));
	assert_non_null(strstr(s, "<IncidentID name=\"csirt.example.org\">"
				  "CIRT-2026-0042 &lt;&amp;&quot;'&gt;"));
	assert_non_null(strstr(s, "<GenerationTime>2026-11-22T10:00:00.123456Z"
				  "</GenerationTime>"));
	assert_non_null(strstr(s, "<EndTime>2026-11-22T09:59:59.999999Z"));
	assert_non_null(strstr(s, "<ReportTime>2026-11-22T09:59:00Z"));
	assert_non_null(strstr(s, "&lt;script&gt;"));
	assert_null(strstr(s, "<script>"));
	assert_non_null(strstr(s, "&#13;"));
	assert_non_null(strstr(s, "<Address category=\"ipv4-addr\">192.0.2.1"));
	assert_non_null(strstr(s, "<DomainData>"));
	assert_non_null(strstr(
		s, "role=\"ext-value\" "
		   "ext-role=\"x-night&#9;shift&#10;&lt;&amp;&quot;'&gt;\""));
	assert_non_null(strstr(s, "<System category=\"source\">"));
	assert_non_null(strstr(s, "<System>"));
	assert_non_null(strstr(s, "action=\"ext-value\" "
				  "ext-action=\"x-custom-action\""));
	assert_non_null(strstr(s, "Überweisung ✓ 𝄞"));

	/* Against the real schema; then without it. */
	if (schema != NULL) {
		errors = read_expect(out.data, out.len, schema, 0, &back);
		json_decref(errors);
		assert_incident_equal(&in, &back.incidents[0]);
		cirt_iodef_doc_release(&back);
	}
	errors = read_expect(out.data, out.len, NULL, 0, &back);
	json_decref(errors);
	cirt_iodef_doc_release(&back);
	cirt_buf_release(&out);
}

static void test_iodef_round_trip(void **state)
{
	struct cirt_iodef_incident in[3];
	struct cirt_iodef_doc doc = {in, 3}, back, again;
	struct cirt_iodef_contact creator;
	struct cirt_buf out, out2;
	json_t *errors;

	(void)state;
	in[0] = rich_incident();
	contact(&creator, "creator", "organization", "csirt.example.org", NULL,
		NULL);
	/* The least an incident can be: what the writer adds (a creator
	 * contact; the document's language) is what comes back. */
	memset(&in[1], 0, sizeof(in[1]));
	in[1].id_name = S("csirt.example.org");
	in[1].id = S("2");
	in[1].purpose = S("reporting");
	in[1].tlp = CIRT_TLP_NONE;
	in[1].lang = S("de-CH");
	in[1].generation_time = T0;
	in[1].contacts = &creator;
	in[1].ncontacts = 1;
	/* Each TLP level and an ext purpose and status. */
	in[2] = in[1];
	in[2].id = S("3");
	in[2].purpose = S("x-exercise");
	in[2].status = S("x-on-hold");
	in[2].tlp = CIRT_TLP_CLEAR;
	in[2].category = S("test:only-category");
	for (int t = CIRT_TLP_NONE; t < CIRT_TLP_COUNT; t++) {
		in[2].tlp = (enum cirt_tlp)t;
		for (int with = 0; with < 2; with++) {
			if (with && schema == NULL)
				continue;
			write_doc(&doc, &out);
			errors = read_expect(out.data, out.len,
					     with ? schema : NULL, 0, &back);
			json_decref(errors);
			assert_int_equal(back.nincidents, 3);
			for (size_t i = 0; i < 3; i++)
				assert_incident_equal(&in[i],
						      &back.incidents[i]);
			/* And the document is a fixed point. */
			write_doc(&back, &out2);
			assert_string_equal(cirt_buf_str(&out),
					    cirt_buf_str(&out2));
			errors = read_expect(out2.data, out2.len, NULL, 0,
					     &again);
			json_decref(errors);
			cirt_iodef_doc_release(&again);
			cirt_iodef_doc_release(&back);
			cirt_buf_release(&out);
			cirt_buf_release(&out2);
		}
	}
}

/* ---- the RFC 7970 examples ---- */

static void check_71(const struct cirt_iodef_doc *doc)
{
	const struct cirt_iodef_incident *in;

	assert_int_equal(doc->nincidents, 1);
	in = &doc->incidents[0];
	assert_string_equal(in->id_name, "csirt.example.com");
	assert_string_equal(in->id, "492382");
	assert_string_equal(in->purpose, "reporting");
	assert_null(in->status);
	assert_int_equal(in->tlp, CIRT_TLP_RED); /* private */
	assert_string_equal(in->lang, "en");
	/* 2015-07-18T09:00:00-05:00 = 14:00:00Z */
	assert_int_equal(in->generation_time, INT64_C(1437228000) * 1000000);
	assert_int_equal(in->report_time, 0);
	assert_null(in->title);
	assert_null(in->description);
	assert_null(in->category);
	assert_int_equal(in->ncontacts, 1);
	assert_string_equal(in->contacts[0].role, "creator");
	assert_string_equal(in->contacts[0].type, "organization");
	assert_null(in->contacts[0].name);
	assert_string_equal(in->contacts[0].email, "contact@csirt.example.com");
	assert_null(in->contacts[0].phone);
	assert_int_equal(in->nobservables, 0);
	assert_int_equal(in->nhistory, 0);
	assert_int_equal(in->nrelated, 0);
}

static void check_72(const struct cirt_iodef_doc *doc)
{
	const struct cirt_iodef_incident *in;

	assert_int_equal(doc->nincidents, 1);
	in = &doc->incidents[0];
	assert_string_equal(in->id_name, "csirt.example.com");
	assert_string_equal(in->id, "897923");
	assert_string_equal(in->purpose, "watch");
	assert_int_equal(in->tlp, CIRT_TLP_GREEN);
	/* 2015-10-02T11:18:00-05:00 = 16:18:00Z */
	assert_int_equal(in->generation_time, INT64_C(1443802680) * 1000000);
	/* RelatedActivity names a threat actor and a campaign, but no
	 * incident: nothing for related. */
	assert_int_equal(in->nrelated, 0);
	assert_non_null(strstr(in->title, "Orange Giraffe campaign"));
	assert_null(in->description);
	assert_null(in->category);
	assert_null(in->severity);
	assert_string_equal(in->impact, "breach-proprietary");
	assert_int_equal(in->ncontacts, 1);
	assert_string_equal(in->contacts[0].name, "CSIRT for example.com");
	assert_string_equal(in->contacts[0].email, "contact@csirt.example.com");
	/* The indicators are not observables of the incident. */
	assert_int_equal(in->nobservables, 0);
}

static void test_iodef_read_examples(void **state)
{
	struct cirt_iodef_doc doc;
	size_t len71, len72;
	char *x71 = shared_file("rfc7970-sec7.1-minimal.xml", &len71);
	char *x72 =
		shared_file("rfc7970-sec7.2-indicators-campaign.xml", &len72);
	json_t *errors;

	(void)state;
	if (x71 == NULL || x72 == NULL)
		return;
	for (int with = 0; with < 2; with++) {
		const struct cirt_iodef_schema *s = with ? schema : NULL;

		errors = read_expect(x71, len71, s, 0, &doc);
		check_71(&doc);
		cirt_iodef_doc_release(&doc);
		json_decref(errors);
		errors = read_expect(x72, len72, s, 0, &doc);
		check_72(&doc);
		cirt_iodef_doc_release(&doc);
		json_decref(errors);
	}
	free(x71);
	free(x72);
}

static void test_iodef_read_invalid_fixtures(void **state)
{
	struct cirt_iodef_doc doc;
	size_t lc, lp;
	char *contact = shared_file("invalid-missing-contact.xml", &lc);
	char *purpose = shared_file("invalid-missing-purpose.xml", &lp);
	json_t *errors;

	(void)state;
	if (contact == NULL || purpose == NULL)
		return;
	for (int with = 0; with < 2; with++) {
		const struct cirt_iodef_schema *s = with ? schema : NULL;

		/* Both name the Incident on line 4. */
		errors = read_expect(contact, lc, s, -CIRT_EINVAL, &doc);
		if (!has_error(errors, 4, "Contact"))
			dump_errors(errors);
		assert_true(has_error(errors, 4, "Contact"));
		json_decref(errors);
		errors = read_expect(purpose, lp, s, -CIRT_EINVAL, &doc);
		if (!has_error(errors, 4, "purpose"))
			dump_errors(errors);
		assert_true(has_error(errors, 4, "purpose"));
		json_decref(errors);
	}
	free(contact);
	free(purpose);
}

/* ---- hostile and broken input ---- */

#define XMLDECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define ROOT                                                \
	"<IODEF-Document version=\"2.00\" xml:lang=\"en\" " \
	"xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">\n"
#define HEAD XMLDECL ROOT
#define INCIDENT                                                  \
	"<Incident purpose=\"reporting\">\n"                      \
	"<IncidentID name=\"csirt.example.com\">1</IncidentID>\n" \
	"<GenerationTime>2015-07-18T09:00:00Z</GenerationTime>\n" \
	"<Contact role=\"creator\" type=\"organization\"/>\n"     \
	"</Incident>\n"
#define TAIL "</IODEF-Document>\n"

/* Read s with and without the schema; expect rc and an error at line
 * naming what (when what is not NULL). */
static void expect(const char *s, int rc, long line, const char *what)
{
	struct cirt_iodef_doc doc;
	json_t *errors;

	for (int with = 0; with < 2; with++) {
		if (with && schema == NULL)
			continue;
		errors = read_expect(s, strlen(s), with ? schema : NULL, rc,
				     &doc);
		if (rc == 0)
			cirt_iodef_doc_release(&doc);
		if (what != NULL && !has_error(errors, line, what)) {
			dump_errors(errors);
			fail_msg("no error at line %ld naming \"%s\" (%s "
				 "schema)",
				 line, what, with ? "with" : "without");
		}
		json_decref(errors);
	}
}

static void test_iodef_read_malformed(void **state)
{
	struct cirt_iodef_doc doc;

	(void)state;
	expect(HEAD INCIDENT TAIL, 0, 0, NULL);
	expect("", -CIRT_EINVAL, 0, NULL);
	expect("not xml at all", -CIRT_EINVAL, 1, "");
	expect(HEAD "<Incident purpose=\"reporting\">\n<IncidentID>\n" TAIL,
	       -CIRT_EINVAL, 5, "mismatch");
	expect(HEAD INCIDENT "<Incident a=\"1\" a=\"2\"/>\n" TAIL, -CIRT_EINVAL,
	       8, "");
	expect(HEAD INCIDENT "&undefined;" TAIL, -CIRT_EINVAL, 8, "undefined");
	expect(HEAD INCIDENT "\x01" TAIL, -CIRT_EINVAL, 8, "");
	expect(HEAD "<Incident purpose=\"reporting\">\n"
		    "<IncidentID name=\"x\">\xff\xfe</IncidentID>\n" TAIL,
	       -CIRT_EINVAL, 4, "");
	/* Well-formed, but not IODEF. */
	expect("<?xml version=\"1.0\"?>\n<foo/>\n", -CIRT_EINVAL, 2, "foo");
	expect("<?xml version=\"1.0\"?>\n<IODEF-Document "
	       "version=\"2.00\">" INCIDENT TAIL,
	       -CIRT_EINVAL, 2, "IODEF-Document");
	expect("<?xml version=\"1.0\"?>\n<IODEF-Document "
	       "xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">\n" INCIDENT TAIL,
	       -CIRT_EINVAL, 2, "version");
	expect(HEAD TAIL, -CIRT_EINVAL, 2, "Incident");

	/* errors may be NULL; d still gets the first. */
	{
		struct cirt_diag d;
		const char *s = "<a>";

		cirt_diag_init(&d);
		assert_int_equal(
			cirt_iodef_read(s, strlen(s), NULL, &doc, NULL, &d),
			-CIRT_EINVAL);
		assert_non_null(strstr(d.message, "line 1"));
	}
}

static void test_iodef_read_doctype_xxe(void **state)
{
	char secret[] = "/tmp/cirt-iodef-secret-XXXXXX";
	char xml[2048];
	struct cirt_iodef_doc doc;
	json_t *errors;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(secret);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("TOP-SECRET-MARKER", f);
	fclose(f);

	/* An external entity in the IncidentID. */
	snprintf(xml, sizeof(xml),
		 "<?xml version=\"1.0\"?>\n"
		 "<!DOCTYPE IODEF-Document [\n"
		 "<!ENTITY xxe SYSTEM \"file://%s\">\n"
		 "]>\n"
		 "<IODEF-Document version=\"2.00\" "
		 "xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">\n"
		 "<Incident purpose=\"reporting\">\n"
		 "<IncidentID name=\"x\">&xxe;</IncidentID>\n"
		 "<GenerationTime>2015-07-18T09:00:00Z</GenerationTime>\n"
		 "<Contact role=\"creator\" type=\"organization\"/>\n"
		 "</Incident>\n</IODEF-Document>\n",
		 secret);
	for (int with = 0; with < 2; with++) {
		char *dump;

		if (with && schema == NULL)
			continue;
		errors = read_expect(xml, strlen(xml), with ? schema : NULL,
				     -CIRT_EINVAL, &doc);
		assert_true(has_error(errors, 2, "DOCTYPE"));
		dump = json_dumps(errors, 0);
		assert_null(strstr(dump, "TOP-SECRET-MARKER"));
		free(dump);
		json_decref(errors);
	}
	unlink(secret);

	/* A remote DTD and a parameter entity: refused before any load. */
	expect("<?xml version=\"1.0\"?>\n"
	       "<!DOCTYPE IODEF-Document SYSTEM "
	       "\"http://attacker.example/evil.dtd\">\n" ROOT INCIDENT TAIL,
	       -CIRT_EINVAL, 2, "DOCTYPE");
	/* The billion laughs. */
	expect("<?xml version=\"1.0\"?>\n"
	       "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	       "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
	       "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
	       "]>\n<lolz>&lol3;</lolz>\n",
	       -CIRT_EINVAL, 2, "DOCTYPE");
}

/* A valid document of exactly len bytes (padded inside a comment). */
static char *doc_of_size(size_t len)
{
	const char *head = HEAD INCIDENT "<!--";
	const char *tail = "-->" TAIL;
	size_t h = strlen(head), t = strlen(tail);
	char *s = malloc(len + 1);

	assert_non_null(s);
	assert_true(len >= h + t);
	memcpy(s, head, h);
	memset(s + h, 'x', len - h - t);
	memcpy(s + len - t, tail, t);
	s[len] = '\0';
	return s;
}

static void test_iodef_read_byte_limit(void **state)
{
	struct cirt_iodef_doc doc;
	char *s = doc_of_size(CIRT_IODEF_MAX_BYTES);
	json_t *errors;

	(void)state;
	errors = read_expect(s, CIRT_IODEF_MAX_BYTES, NULL, 0, &doc);
	cirt_iodef_doc_release(&doc);
	json_decref(errors);
	free(s);
	s = doc_of_size(CIRT_IODEF_MAX_BYTES + 1);
	errors = read_expect(s, CIRT_IODEF_MAX_BYTES + 1, NULL, -CIRT_ELIMIT,
			     &doc);
	assert_true(has_error(errors, 0, "more than"));
	json_decref(errors);
	free(s);
}

/* A document of n incidents. */
static char *doc_of_incidents(size_t n)
{
	struct cirt_buf b;

	cirt_buf_init(&b, 64u << 20);
	assert_int_equal(cirt_buf_adds(&b, HEAD), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(cirt_buf_adds(&b, INCIDENT), 0);
	assert_int_equal(cirt_buf_adds(&b, TAIL), 0);
	return cirt_buf_detach(&b, NULL);
}

static void test_iodef_read_incident_limit(void **state)
{
	struct cirt_iodef_doc doc;
	char *s = doc_of_incidents(CIRT_IODEF_MAX_INCIDENTS);
	json_t *errors;

	(void)state;
	errors = read_expect(s, strlen(s), schema, 0, &doc);
	assert_int_equal(doc.nincidents, CIRT_IODEF_MAX_INCIDENTS);
	cirt_iodef_doc_release(&doc);
	json_decref(errors);
	free(s);
	s = doc_of_incidents(CIRT_IODEF_MAX_INCIDENTS + 1);
	errors = read_expect(s, strlen(s), schema, -CIRT_ELIMIT, &doc);
	/* Named at the first incident too many. */
	assert_true(has_error(errors, 3 + 5 * CIRT_IODEF_MAX_INCIDENTS,
			      "more than 1000 incidents"));
	json_decref(errors);
	free(s);
}

/* An incident with n contacts, n observables or n history items. */
static char *doc_of_items(size_t n, int kind)
{
	struct cirt_buf b;

	cirt_buf_init(&b, 64u << 20);
	assert_int_equal(cirt_buf_adds(&b, HEAD
				       "<Incident purpose=\"reporting\">\n"
				       "<IncidentID name=\"c\">1</IncidentID>\n"
				       "<GenerationTime>2015-07-18T09:00:00Z"
				       "</GenerationTime>\n"),
			 0);
	for (size_t i = 0; i < (kind == 0 ? n : 1); i++)
		assert_int_equal(cirt_buf_adds(&b, "<Contact role=\"cc\" "
						   "type=\"person\"/>\n"),
				 0);
	if (kind == 1) {
		assert_int_equal(cirt_buf_adds(&b, "<EventData><Flow>\n"), 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(
				cirt_buf_addf(&b,
					      "<System><Node><Address "
					      "category=\"asn\">%zu</Address>"
					      "</Node></System>\n",
					      i),
				0);
		assert_int_equal(cirt_buf_adds(&b, "</Flow></EventData>\n"), 0);
	}
	if (kind == 2) {
		assert_int_equal(cirt_buf_adds(&b, "<History>\n"), 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(
				cirt_buf_adds(&b,
					      "<HistoryItem action=\"other\">"
					      "<DateTime>2015-07-18T09:00:00Z"
					      "</DateTime></HistoryItem>\n"),
				0);
		assert_int_equal(cirt_buf_adds(&b, "</History>\n"), 0);
	}
	assert_int_equal(cirt_buf_adds(&b, "</Incident>\n" TAIL), 0);
	return cirt_buf_detach(&b, NULL);
}

static void test_iodef_read_item_limit(void **state)
{
	static const char *const what[] = {"contacts", "observables",
					   "history items"};
	struct cirt_iodef_doc doc;
	json_t *errors;
	char *s;

	(void)state;
	for (int kind = 0; kind < 3; kind++) {
		s = doc_of_items(CIRT_IODEF_MAX_ITEMS, kind);
		errors = read_expect(s, strlen(s), NULL, 0, &doc);
		assert_int_equal(kind == 0   ? doc.incidents[0].ncontacts
				 : kind == 1 ? doc.incidents[0].nobservables
					     : doc.incidents[0].nhistory,
				 CIRT_IODEF_MAX_ITEMS);
		cirt_iodef_doc_release(&doc);
		json_decref(errors);
		free(s);
		s = doc_of_items(CIRT_IODEF_MAX_ITEMS + 1, kind);
		errors = read_expect(s, strlen(s), NULL, -CIRT_ELIMIT, &doc);
		assert_true(has_error(errors, 0, what[kind]));
		json_decref(errors);
		free(s);
	}
}

static void test_iodef_read_error_cap(void **state)
{
	struct cirt_iodef_doc doc;
	struct cirt_diag d;
	struct cirt_buf b;
	json_t *errors = json_array();
	int rc;

	(void)state;
	/* 150 contacts without role or type: 300 errors, 100 reported,
	 * in document order. */
	cirt_buf_init(&b, 1u << 20);
	assert_int_equal(cirt_buf_adds(&b, HEAD
				       "<Incident purpose=\"reporting\">\n"
				       "<IncidentID name=\"c\">1</IncidentID>\n"
				       "<GenerationTime>2015-07-18T09:00:00Z"
				       "</GenerationTime>\n"),
			 0);
	for (int i = 0; i < 150; i++)
		assert_int_equal(cirt_buf_adds(&b, "<Contact/>\n"), 0);
	assert_int_equal(cirt_buf_adds(&b, "</Incident>\n" TAIL), 0);
	cirt_diag_init(&d);
	rc = cirt_iodef_read(b.data, b.len, NULL, &doc, errors, &d);
	assert_int_equal(rc, -CIRT_EINVAL);
	assert_int_equal(json_array_size(errors), CIRT_IODEF_MAX_ERRORS);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(errors, 0), "line")),
			 6);
	assert_non_null(strstr(d.message, "line 6: Contact lacks"));
	json_decref(errors);
	cirt_buf_release(&b);
}

/* The rules without a schema, and those checked with one too. */
static void test_iodef_read_rules(void **state)
{
	(void)state;
	/* Out of the XSD order: Contact before GenerationTime. */
	expect(HEAD "<Incident purpose=\"reporting\">\n"
		    "<IncidentID name=\"c\">1</IncidentID>\n"
		    "<Contact role=\"creator\" type=\"organization\"/>\n"
		    "<GenerationTime>2015-07-18T09:00:00Z</GenerationTime>\n"
		    "</Incident>\n" TAIL,
	       -CIRT_EINVAL, 0, "Contact");
	/* IODEF-03: an unknown value; ext-value without its ext-*. */
	expect(HEAD "<Incident purpose=\"browsing\">\n"
		    "<IncidentID name=\"c\">1</IncidentID>\n"
		    "<GenerationTime>2015-07-18T09:00:00Z</GenerationTime>\n"
		    "<Contact role=\"creator\" type=\"organization\"/>\n"
		    "</Incident>\n" TAIL,
	       -CIRT_EINVAL, 3, "browsing");
	expect(HEAD "<Incident purpose=\"reporting\">\n"
		    "<IncidentID name=\"c\">1</IncidentID>\n"
		    "<GenerationTime>2015-07-18T09:00:00Z</GenerationTime>\n"
		    "<Contact role=\"ext-value\" type=\"organization\"/>\n"
		    "</Incident>\n" TAIL,
	       -CIRT_EINVAL, 6, "ext-role");
	/* IODEF-04: an IPv4 address under the default ipv6-addr. */
	expect(HEAD "<Incident purpose=\"reporting\">\n"
		    "<IncidentID name=\"c\">1</IncidentID>\n"
		    "<GenerationTime>2015-07-18T09:00:00Z</GenerationTime>\n"
		    "<Contact role=\"creator\" type=\"organization\"/>\n"
		    "<EventData><Flow><System><Node>\n"
		    "<Address>192.0.2.7</Address>\n"
		    "</Node></System></Flow></EventData>\n"
		    "</Incident>\n" TAIL,
	       -CIRT_EINVAL, 8, "IODEF-04");
	expect(HEAD "<Incident purpose=\"reporting\">\n"
		    "<IncidentID name=\"c\">1</IncidentID>\n"
		    "<GenerationTime>2015-07-18T09:00:00Z</GenerationTime>\n"
		    "<Contact role=\"creator\" type=\"organization\"/>\n"
		    "<EventData><Flow><System><Node>\n"
		    "<Address category=\"ipv4-addr\">2001:db8::1</Address>\n"
		    "</Node></System></Flow></EventData>\n"
		    "</Incident>\n" TAIL,
	       -CIRT_EINVAL, 8, "not an IPv4");
	/* IODEF-04: a Node without an address or a name. */
	expect(HEAD "<Incident purpose=\"reporting\">\n"
		    "<IncidentID name=\"c\">1</IncidentID>\n"
		    "<GenerationTime>2015-07-18T09:00:00Z</GenerationTime>\n"
		    "<Contact role=\"creator\" type=\"organization\"/>\n"
		    "<EventData><Flow><System>\n<Node/>\n"
		    "</System></Flow></EventData>\n"
		    "</Incident>\n" TAIL,
	       -CIRT_EINVAL, 8, "");
	/* IODEF-05: an Indicator with two observables. */
	expect(HEAD "<Incident purpose=\"reporting\">\n"
		    "<IncidentID name=\"c\">1</IncidentID>\n"
		    "<GenerationTime>2015-07-18T09:00:00Z</GenerationTime>\n"
		    "<Contact role=\"creator\" type=\"organization\"/>\n"
		    "<IndicatorData>\n<Indicator>\n"
		    "<IndicatorID name=\"c\" version=\"1\">i</IndicatorID>\n"
		    "<ObservableReference uid-ref=\"a\"/>\n"
		    "<IndicatorReference uid-ref=\"b\"/>\n"
		    "</Indicator>\n</IndicatorData>\n"
		    "</Incident>\n" TAIL,
	       -CIRT_EINVAL, 0, "");
	/* IODEF-06: a HistoryItem without DateTime. */
	expect(HEAD "<Incident purpose=\"reporting\">\n"
		    "<IncidentID name=\"c\">1</IncidentID>\n"
		    "<GenerationTime>2015-07-18T09:00:00Z</GenerationTime>\n"
		    "<Contact role=\"creator\" type=\"organization\"/>\n"
		    "<History>\n<HistoryItem action=\"other\"/>\n</History>\n"
		    "</Incident>\n" TAIL,
	       -CIRT_EINVAL, 8, "DateTime");
	/* IODEF-09. */
	expect("<?xml version=\"1.0\"?>\n<IODEF-Document version=\"2.00\" "
	       "private-enum-id=\"1\" "
	       "xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">\n" INCIDENT TAIL,
	       -CIRT_EINVAL, 2, "IODEF-09");
	/* A timestamp without a time zone (valid xs:dateTime, but not
	 * an instant). */
	expect(HEAD "<Incident purpose=\"reporting\">\n"
		    "<IncidentID name=\"c\">1</IncidentID>\n"
		    "<GenerationTime>2015-07-18T09:00:00</GenerationTime>\n"
		    "<Contact role=\"creator\" type=\"organization\"/>\n"
		    "</Incident>\n" TAIL,
	       -CIRT_EINVAL, 5, "time zone");
	/* Offsets, fractions and white space in a timestamp. */
	{
		struct cirt_iodef_doc doc;
		const char *s =
			HEAD "<Incident purpose=\" reporting \">\n"
			     "<IncidentID name=\"c\">1</IncidentID>\n"
			     "<GenerationTime> 2015-07-18T23:30:00.5+14:00 "
			     "</GenerationTime>\n"
			     "<Contact role=\"creator\" type=\"person\"/>\n"
			     "</Incident>\n" TAIL;
		json_t *errors = read_expect(s, strlen(s), NULL, 0, &doc);

		assert_int_equal(doc.incidents[0].generation_time,
				 INT64_C(1437211800500000));
		assert_string_equal(doc.incidents[0].purpose, "reporting");
		cirt_iodef_doc_release(&doc);
		json_decref(errors);
	}
}

/* ---- what the writer refuses ---- */

static void expect_write(struct cirt_iodef_incident *in, int rc,
			 const char *field)
{
	struct cirt_iodef_doc doc = {in, 1};
	struct cirt_diag d;
	struct cirt_buf out;

	cirt_diag_init(&d);
	cirt_buf_init(&out, 64u << 20);
	assert_int_equal(cirt_buf_adds(&out, "keep"), 0);
	assert_int_equal(cirt_iodef_write(&doc, &out, &d), rc);
	assert_string_equal(d.field, field);
	/* Nothing was appended. */
	assert_string_equal(cirt_buf_str(&out), "keep");
	cirt_buf_release(&out);
}

static void test_iodef_write_refuses(void **state)
{
	struct cirt_iodef_incident in = rich_incident(), bad;
	struct cirt_iodef_contact c[2];
	struct cirt_iodef_observable o;
	struct cirt_iodef_history h;
	struct cirt_iodef_doc doc = {NULL, 0};
	struct cirt_diag d;
	struct cirt_buf out;

	(void)state;
	bad = in;
	bad.title = S("bell\a");
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].title");
	bad = in;
	bad.description = S("nul-ish \x1b[31m escape");
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].description");
	bad = in;
	bad.id = S("bad utf-8 \xc3\x28");
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].id");
	bad = in;
	bad.category = S("noncharacter \xef\xbf\xbe");
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].category");
	bad = in;
	bad.id_name = NULL;
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].id_name");
	bad = in;
	bad.purpose = S("");
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].purpose");
	bad = in;
	bad.purpose = S("ext-value");
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].purpose");
	bad = in;
	bad.generation_time = 0;
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].generation_time");
	bad = in;
	bad.end_time = INT64_C(253402300800) * 1000000;
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].end_time");
	bad = in;
	bad.severity = S("critical");
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].severity");
	bad = in;
	bad.lang = S("not a tag");
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].lang");
	bad = in;
	bad.alt_id_name = NULL;
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].alt_id_name");

	bad = in;
	memcpy(c, rich_contacts, sizeof(c));
	c[1].email = S("line\fbreak");
	bad.contacts = c;
	bad.ncontacts = 2;
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].contacts[1].email");
	c[1] = rich_contacts[1];
	c[1].role = NULL;
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].contacts[1].role");

	bad = in;
	o = rich_observables[0];
	o.category = S("url");
	bad.observables = &o;
	bad.nobservables = 1;
	expect_write(&bad, -CIRT_EINVAL,
		     "incidents[0].observables[0].category");
	o = rich_observables[0];
	o.role = S("sensor");
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].observables[0].role");

	bad = in;
	h = rich_history[0];
	h.at = 0;
	bad.history = &h;
	bad.nhistory = 1;
	expect_write(&bad, -CIRT_EINVAL, "incidents[0].history[0].at");

	bad = in;
	bad.ncontacts = CIRT_IODEF_MAX_ITEMS + 1;
	expect_write(&bad, -CIRT_ELIMIT, "incidents[0].contacts");

	cirt_diag_init(&d);
	cirt_buf_init(&out, 1024);
	assert_int_equal(cirt_iodef_write(&doc, &out, &d), -CIRT_EINVAL);
	doc.incidents = &in;
	doc.nincidents = CIRT_IODEF_MAX_INCIDENTS + 1;
	cirt_diag_init(&d);
	assert_int_equal(cirt_iodef_write(&doc, &out, &d), -CIRT_ELIMIT);
	/* An output too small for the document. */
	doc.nincidents = 1;
	cirt_diag_init(&d);
	assert_int_equal(cirt_iodef_write(&doc, &out, &d), -CIRT_ELIMIT);
	assert_int_equal(out.len, 0);
	cirt_buf_release(&out);
}

/* libxml2 prints nothing: every message goes into the errors. */
static void test_iodef_quiet(void **state)
{
	static const char *const docs[] = {
		"<?xml version=\"1.0\" encoding=\"EUC-JP\"?>\n<a>\x8e\x30"
		"\x30</a>\n",
		"<?xml version=\"1.0\"?>\n<!DOCTYPE a SYSTEM "
		"\"http://attacker.example/a.dtd\">\n<a/>\n",
		"<a><b></a>",
		HEAD "<Incident/>" TAIL,
	};
	char path[] = "/tmp/cirt-iodef-stderr-XXXXXX";
	struct cirt_iodef_doc doc;
	struct cirt_diag d;
	struct stat st;
	json_t *errors;
	int fd, saved;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, 2), 2);
	for (size_t i = 0; i < CIRT_ARRAY_LEN(docs); i++) {
		for (int with = 0; with < 2; with++) {
			errors = json_array();
			cirt_diag_init(&d);
			assert_int_equal(cirt_iodef_read(docs[i],
							 strlen(docs[i]),
							 with ? schema : NULL,
							 &doc, errors, &d),
					 -CIRT_EINVAL);
			assert_true(json_array_size(errors) > 0);
			json_decref(errors);
		}
	}
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	unlink(path);
	assert_int_equal(st.st_size, 0);
}

/* ---- threads ---- */

struct worker {
	const char *xml;
	size_t len;
	int failures;
};

/* Read (against the shared schema) and write, many times. */
static void *work(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < 50; i++) {
		struct cirt_iodef_doc doc;
		struct cirt_diag d;
		struct cirt_buf out;

		cirt_diag_init(&d);
		if (cirt_iodef_read(w->xml, w->len, schema, &doc, NULL, &d) !=
		    0) {
			w->failures++;
			continue;
		}
		cirt_buf_init(&out, 1u << 20);
		if (cirt_iodef_write(&doc, &out, &d) != 0 ||
		    strstr(cirt_buf_str(&out), "897923") == NULL)
			w->failures++;
		cirt_buf_release(&out);
		cirt_iodef_doc_release(&doc);
		/* And an error, whose handler must stay on this thread. */
		if (cirt_iodef_read("<a>", 3, schema, &doc, NULL, &d) == 0)
			w->failures++;
	}
	return NULL;
}

static void test_iodef_threads(void **state)
{
	struct worker w[4];
	pthread_t t[4];
	size_t len;
	char *xml = shared_file("rfc7970-sec7.2-indicators-campaign.xml", &len);

	(void)state;
	if (xml == NULL || schema == NULL) {
		free(xml);
		return;
	}
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){xml, len, 0};
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].failures, 0);
	}
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iodef_tlp_mapping),
		cmocka_unit_test(test_iodef_schema_load),
		cmocka_unit_test(test_iodef_write_validates),
		cmocka_unit_test(test_iodef_round_trip),
		cmocka_unit_test(test_iodef_read_examples),
		cmocka_unit_test(test_iodef_read_invalid_fixtures),
		cmocka_unit_test(test_iodef_read_malformed),
		cmocka_unit_test(test_iodef_read_doctype_xxe),
		cmocka_unit_test(test_iodef_read_byte_limit),
		cmocka_unit_test(test_iodef_read_incident_limit),
		cmocka_unit_test(test_iodef_read_item_limit),
		cmocka_unit_test(test_iodef_read_error_cap),
		cmocka_unit_test(test_iodef_read_rules),
		cmocka_unit_test(test_iodef_write_refuses),
		cmocka_unit_test(test_iodef_quiet),
		cmocka_unit_test(test_iodef_threads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
