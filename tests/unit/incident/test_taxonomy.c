/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The incident taxonomy (incident/taxonomy.c): every RSIT class and type
 * of the MISP "rsit" machine tags in ../shared/data is there with its
 * label (skipped when the shared data is not there), nothing else but
 * our six types, each rolling up to an RSIT type of its class; every
 * WTSA Resolution 50 term of docs/incidents.md maps; parse errors name
 * the field and list what is allowed; the JSON form.
 */
#include "testlib.h"

#include <stdio.h>
#include <string.h>

#include "incident/taxonomy.h"

/* Ours: class:type and the RSIT type it rolls up to. */
static const struct {
	const char *cls, *type, *rsit;
} ours[] = {
	{"fraud", "pharming", "phishing"},
	{"intrusions", "apt", "system-compromise"},
	{"information-content-security", "defacement",
	 "unauthorised-information-modification"},
	{"malicious-code", "ransomware", "infected-system"},
	{"information-content-security", "data-poisoning",
	 "unauthorised-information-modification"},
	{"fraud", "spoofing", "masquerade"},
};

/* docs/incidents.md, "Taxonomy". */
static const struct {
	const char *term, *cls_type;
} wtsa[] = {
	{"phishing", "fraud:phishing"},
	{"spam", "abusive-content:spam"},
	{"pharming", "fraud:pharming"},
	{"scanning", "information-gathering:scanner"},
	{"intrusion", "intrusions:system-compromise"},
	{"DDoS", "availability:ddos"},
	{"APT", "intrusions:apt"},
	{"web defacement", "information-content-security:defacement"},
	{"unauthorised access",
	 "information-content-security:unauthorised-information-access"},
	{"malware", "malicious-code:infected-system"},
	{"ransomware", "malicious-code:ransomware"},
	{"data poisoning", "information-content-security:data-poisoning"},
	{"spoofing", "fraud:spoofing"},
};

#define NOURS (sizeof(ours) / sizeof(ours[0]))
#define NWTSA (sizeof(wtsa) / sizeof(wtsa[0]))

static const struct cirt_taxonomy_type *find2(const char *cls, const char *type)
{
	char s[128];

	snprintf(s, sizeof(s), "%s:%s", cls, type);
	return cirt_taxonomy_find(s);
}

static bool is_ours(const struct cirt_taxonomy_type *t)
{
	for (size_t i = 0; i < NOURS; i++)
		if (strcmp(t->cls, ours[i].cls) == 0 &&
		    strcmp(t->type, ours[i].type) == 0)
			return true;
	return false;
}

/* Every class and type of the shared RSIT file, with its labels; and
 * every type of ours is ours. */
static void test_taxonomy_matches_rsit(void **state)
{
	const char *dir = test_shared_data("RSIT classes and types");
	char path[1024];
	json_t *root, *values, *preds, *v, *e;
	json_error_t err;
	size_t i, j, rsit = 0, classes = 0;

	(void)state;
	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/taxonomies/rsit.machinetag.json", dir);
	root = json_load_file(path, 0, &err);
	if (root == NULL)
		fail_msg("%s: %s", path, err.text);
	preds = json_object_get(root, "predicates");
	json_array_foreach (preds, i, v) {
		const char *cls =
			json_string_value(json_object_get(v, "value"));
		const struct cirt_taxonomy_type *first = NULL;

		assert_true(cirt_taxonomy_is_class(cls));
		for (j = 0; j < cirt_taxonomy_count(); j++)
			if (strcmp(cirt_taxonomy_at(j)->cls, cls) == 0) {
				first = cirt_taxonomy_at(j);
				break;
			}
		if (first == NULL)
			fail_msg("class %s has no types", cls);
		assert_string_equal(
			first->cls_label,
			json_string_value(json_object_get(v, "expanded")));
		/* Classes in RSIT order. */
		assert_string_equal(first->cls, cls);
		classes++;
	}
	assert_int_equal(classes, 11);
	values = json_object_get(root, "values");
	json_array_foreach (values, i, v) {
		const char *cls =
			json_string_value(json_object_get(v, "predicate"));

		json_array_foreach (json_object_get(v, "entry"), j, e) {
			const char *type =
				json_string_value(json_object_get(e, "value"));
			const struct cirt_taxonomy_type *t = find2(cls, type);

			if (t == NULL)
				fail_msg("%s:%s is missing", cls, type);
			assert_string_equal(t->label,
					    json_string_value(json_object_get(
						    e, "expanded")));
			assert_null(t->rsit_type);
			assert_true(t->description[0] != '\0');
			rsit++;
		}
	}
	assert_int_equal(rsit + NOURS, cirt_taxonomy_count());
	json_decref(root);
}

static void test_taxonomy_ours_roll_up(void **state)
{
	const struct cirt_taxonomy_type *t, *up;
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < NOURS; i++) {
		t = find2(ours[i].cls, ours[i].type);
		assert_non_null(t);
		assert_non_null(t->rsit_type);
		assert_string_equal(t->rsit_type, ours[i].rsit);
		up = find2(ours[i].cls, t->rsit_type);
		assert_non_null(up);
		assert_null(up->rsit_type);
	}
	for (size_t i = 0; i < cirt_taxonomy_count(); i++) {
		t = cirt_taxonomy_at(i);
		if (t->rsit_type) {
			assert_true(is_ours(t));
			n++;
		}
		/* A class's types are together. */
		if (i > 0 && strcmp(t->cls, cirt_taxonomy_at(i - 1)->cls))
			for (size_t j = 0; j + 1 < i; j++)
				assert_string_not_equal(
					cirt_taxonomy_at(j)->cls, t->cls);
	}
	assert_int_equal(n, NOURS);
	assert_null(cirt_taxonomy_at(cirt_taxonomy_count()));
}

static void test_taxonomy_wtsa_terms(void **state)
{
	const struct cirt_taxonomy_type *t;
	char s[128];
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < NWTSA; i++) {
		t = cirt_taxonomy_wtsa(wtsa[i].term);
		if (t == NULL)
			fail_msg("WTSA term '%s' maps to nothing",
				 wtsa[i].term);
		snprintf(s, sizeof(s), "%s:%s", t->cls, t->type);
		assert_string_equal(s, wtsa[i].cls_type);
	}
	/* Any case; '-' for ' '. */
	t = cirt_taxonomy_wtsa("Web-Defacement");
	assert_non_null(t);
	assert_string_equal(t->type, "defacement");
	assert_non_null(cirt_taxonomy_wtsa("ddos"));
	assert_null(cirt_taxonomy_wtsa("ddo"));
	assert_null(cirt_taxonomy_wtsa("ddoss"));
	assert_null(cirt_taxonomy_wtsa(""));
	assert_null(cirt_taxonomy_wtsa("cryptojacking"));
	/* No type claims a term the table does not have. */
	for (size_t i = 0; i < cirt_taxonomy_count(); i++)
		if (cirt_taxonomy_at(i)->wtsa)
			n++;
	assert_int_equal(n, NWTSA);
}

static void test_taxonomy_parse_ok(void **state)
{
	const struct cirt_taxonomy_type *t = NULL;
	struct cirt_diag d;

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(cirt_taxonomy_parse("fraud:phishing", "class", &t, &d),
			 0);
	assert_string_equal(t->cls, "fraud");
	assert_string_equal(t->type, "phishing");
	assert_string_equal(t->cls_label, "Fraud");
	assert_int_equal(cirt_taxonomy_parse("test:test", "class", NULL, &d),
			 0);
	assert_int_equal(d.code, 0);
}

static void test_taxonomy_parse_errors(void **state)
{
	static const struct {
		const char *in;
		const char *want[3]; /* in the message */
	} rows[] = {
		/* unknown class: the classes */
		{"frud:phishing",
		 {"'frud' is not a class", "abusive-content", "test"}},
		/* a class alone: its types */
		{"fraud", {"must be class:type", "phishing", "spoofing"}},
		/* unknown type: the class's types */
		{"fraud:phish", {"no type 'phish'", "masquerade", "pharming"}},
		{"availability:", {"no type ''", "ddos", "outage"}},
		{"", {"'' is not a class", "fraud", "vulnerable"}},
		{":", {"'' is not a class", "fraud", "other"}},
		{"Fraud:phishing", {"'Fraud' is not a class", "fraud", "test"}},
		{"fraud:phishing:x", {"no type 'phishing:x'", "phishing", ","}},
		/* long input is cut in the message */
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:b",
		 {"is not a class", "fraud", "intrusions"}},
	};
	const struct cirt_taxonomy_type *t;
	struct cirt_diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cirt_diag_init(&d);
		t = NULL;
		assert_int_equal(
			cirt_taxonomy_parse(rows[i].in, "class", &t, &d),
			-CIRT_EINVAL);
		assert_null(t);
		assert_string_equal(d.field, "class");
		assert_non_null(strstr(d.message, "class"));
		for (size_t j = 0; j < 3; j++)
			if (strstr(d.message, rows[i].want[j]) == NULL)
				fail_msg("'%s': no '%s' in \"%s\"", rows[i].in,
					 rows[i].want[j], d.message);
	}
	/* Another field name is the one named. */
	cirt_diag_init(&d);
	assert_int_equal(cirt_taxonomy_parse("x", "classes[2]", NULL, &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "classes[2]");
	assert_non_null(strstr(d.message, "classes[2]"));
	assert_false(cirt_taxonomy_is_class("fraud:phishing"));
	assert_false(cirt_taxonomy_is_class(""));
	assert_true(cirt_taxonomy_is_class("other"));
}

/* The type object of cls:type in the JSON classes, or NULL. */
static json_t *find_json(json_t *classes, const char *cls, const char *type)
{
	json_t *c, *ty;
	size_t i, k;

	json_array_foreach (classes, i, c) {
		if (strcmp(json_string_value(json_object_get(c, "class")), cls))
			continue;
		json_array_foreach (json_object_get(c, "types"), k, ty)
			if (strcmp(json_string_value(
					   json_object_get(ty, "type")),
				   type) == 0)
				return ty;
	}
	return NULL;
}

static void test_taxonomy_json(void **state)
{
	json_t *j = cirt_taxonomy_json(), *classes, *c, *types, *ty;
	size_t i, k, n = 0;

	(void)state;
	classes = json_object_get(j, "classes");
	assert_int_equal(json_array_size(classes), 11);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(classes, 0), "class")),
			    "abusive-content");
	json_array_foreach (classes, i, c) {
		assert_non_null(json_string_value(json_object_get(c, "label")));
		types = json_object_get(c, "types");
		json_array_foreach (types, k, ty) {
			const char *type =
				json_string_value(json_object_get(ty, "type"));
			const struct cirt_taxonomy_type *t = find2(
				json_string_value(json_object_get(c, "class")),
				type);

			assert_non_null(t);
			assert_string_equal(json_string_value(json_object_get(
						    ty, "description")),
					    t->description);
			assert_int_equal(json_object_get(ty, "rsit_type") !=
						 NULL,
					 t->rsit_type != NULL);
			assert_int_equal(json_object_get(ty, "wtsa") != NULL,
					 t->wtsa != NULL);
			n++;
		}
	}
	assert_int_equal(n, cirt_taxonomy_count());
	/* "fraud:spoofing": rsit_type masquerade, wtsa ["spoofing"]. */
	ty = find_json(classes, "fraud", "spoofing");
	assert_non_null(ty);
	assert_string_equal(json_string_value(json_object_get(ty, "rsit_type")),
			    "masquerade");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(ty, "wtsa"), 0)),
			    "spoofing");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_taxonomy_matches_rsit),
		cmocka_unit_test(test_taxonomy_ours_roll_up),
		cmocka_unit_test(test_taxonomy_wtsa_terms),
		cmocka_unit_test(test_taxonomy_parse_ok),
		cmocka_unit_test(test_taxonomy_parse_errors),
		cmocka_unit_test(test_taxonomy_json),
	};

	return cmocka_run_group_tests_name("taxonomy", tests, NULL, NULL);
}
