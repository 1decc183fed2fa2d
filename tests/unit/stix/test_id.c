/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX identifiers (stix/stix_id.h): the id syntax of STIX-01, RFC 8785
 * canonical JSON, UUIDv5 and the deterministic SCO ids of STIX-11, the
 * latter against every vector of
 * ../shared/data/stix/test-vectors/sco-deterministic-ids.json.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/uuid.h"
#include "stix/stix_id.h"

/* STIX-01: the schema regex of standards.md 1.4 plus RFC 4122. */
static const struct {
	const char *id;
	bool ok;
} id_cases[] = {
	{"indicator--33fe3b22-0201-47cf-85d0-97c02164528d", true},
	{"relationship--81f12913-1372-4c96-85ec-E9034ac98aba", true},
	{"x-acme-thing--33fe3b22-0201-47cf-85d0-97c02164528d", true},
	{"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", true},
	{"abc--33fe3b22-0201-17cf-b5d0-97c02164528d", true},
	{"ab--33fe3b22-0201-47cf-85d0-97c02164528d", false},
	{"Indicator--33fe3b22-0201-47cf-85d0-97c02164528d", false},
	{"1ndicator--33fe3b22-0201-47cf-85d0-97c02164528d", false},
	{"indicator-33fe3b22-0201-47cf-85d0-97c02164528d", false},
	{"indicator---33fe3b22-0201-47cf-85d0-97c02164528d", false},
	{"indi_cator--33fe3b22-0201-47cf-85d0-97c02164528d", false},
	{"indicator--33fe3b22-0201-07cf-85d0-97c02164528d", false}, /* v0 */
	{"indicator--33fe3b22-0201-67cf-85d0-97c02164528d", false}, /* v6 */
	{"indicator--33fe3b22-0201-47cf-05d0-97c02164528d", false}, /* NCS */
	{"indicator--33fe3b22-0201-47cf-c5d0-97c02164528d", false}, /* MS */
	{"indicator--33fe3b22-0201-47cf-85d0-97c02164528", false},
	{"indicator--33fe3b22-0201-47cf-85d0-97c02164528dd", false},
	{"indicator--33fe3b22-0201-47cf-85d0-97c02164528g", false},
	{"indicator--33fe3b220201-47cf-85d0-97c02164528d0", false},
	{"indicator--", false},
	{"", false},
};

static void test_stix_id_valid_table(void **state)
{
	size_t tl = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(id_cases) / sizeof(id_cases[0]); i++) {
		const char *id = id_cases[i].id;

		if (cirt_stix_id_valid(id, strlen(id), &tl) != id_cases[i].ok)
			fail_msg("%s: expected %s", id,
				 id_cases[i].ok ? "valid" : "invalid");
		if (id_cases[i].ok)
			assert_int_equal(tl, strlen(id) - 38);
	}
	assert_int_equal(cirt_stix_id_uuid_version(id_cases[3].id,
						   strlen(id_cases[3].id)),
			 5);
	assert_int_equal(cirt_stix_id_uuid_version(id_cases[0].id,
						   strlen(id_cases[0].id)),
			 4);
	assert_int_equal(cirt_stix_id_uuid_version("bad", 3), 0);
}

static void test_uuid_rfc4122(void **state)
{
	unsigned char ns[16], u[16];
	char s[CIRT_UUID_LEN + 1];

	(void)state;
	/* Python's uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org'). */
	assert_int_equal(
		cirt_uuid_parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8", 36, ns),
		0);
	cirt_uuid5(ns, "python.org", 10, u);
	cirt_uuid_format(u, s);
	assert_string_equal(s, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
	cirt_uuid4(s);
	assert_int_equal(s[14], '4');
	assert_non_null(strchr("89ab", s[19]));
	assert_true(cirt_uuid_valid(s));
	assert_false(cirt_uuid_valid("6ba7b810-9dad-11d1-80b4-00c04fd430c8x"));
	assert_false(cirt_uuid_valid("6ba7b810-9dad-11d1-80b4-00c04fd430c"));
	assert_false(cirt_uuid_valid("6ba7b810_9dad-11d1-80b4-00c04fd430c8"));
	assert_int_equal(cirt_uuid_parse("6ba7b810-9dad-11d1-80b4", 23, ns),
			 -CIRT_EINVAL);
}

static char *jcs_of(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
	struct cirt_buf b;
	char *s;

	if (v == NULL)
		fail_msg("bad fixture %s: %s", text, e.text);
	cirt_buf_init(&b, 1 << 20);
	assert_int_equal(cirt_stix_jcs(v, &b), 0);
	json_decref(v);
	s = cirt_buf_detach(&b, NULL);
	return s;
}

/* RFC 8785 section 3.2.2.3 and appendix B: ECMAScript number forms. */
static void test_stix_jcs_numbers(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"0.0", "0"},
		{"-0.0", "0"},
		{"1e21", "1e+21"},
		{"1e20", "100000000000000000000"},
		{"1.2345678901234568e20", "123456789012345680000"},
		{"1e-7", "1e-7"},
		{"-1e-7", "-1e-7"},
		{"0.000001", "0.000001"},
		{"5e-324", "5e-324"},
		{"1.7976931348623157e308", "1.7976931348623157e+308"},
		{"333333333.33333329", "333333333.3333333"},
		{"4.50", "4.5"},
		{"2e-3", "0.002"},
		{"1e-27", "1e-27"},
		{"1E30", "1e+30"},
		{"-1.5", "-1.5"},
		{"0.1", "0.1"},
		{"1.0", "1"},
		{"123.456e3", "123456"},
		{"7.980693", "7.980693"},
		{"15139", "15139"},
		{"-15139", "-15139"},
		{"9007199254740993", "9007199254740992"},
		{"-9007199254740993", "-9007199254740992"},
	};
	char *s;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = jcs_of(cases[i].in);
		if (strcmp(s, cases[i].out) != 0)
			fail_msg("%s: got %s, want %s", cases[i].in, s,
				 cases[i].out);
		free(s);
	}
}

/* RFC 8785 section 3.2.3: keys by UTF-16 code units; 3.2.2.2 escapes. */
static void test_stix_jcs_order_and_escapes(void **state)
{
	static const char in[] =
		"{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\","
		"\"\\ufb33\":\"Hebrew\",\"1\":\"One\",\"\\ud83d\\ude00\":"
		"\"Emoji\",\"\\u0080\":\"Control\",\"\\u00f6\":\"o\"}";
	static const char want[] =
		"{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":"
		"\"Control\",\"\xc3\xb6\":\"o\",\"\xe2\x82\xac\":\"Euro Sign\","
		"\"\xf0\x9f\x98\x80\":\"Emoji\",\"\xef\xac\xb3\":\"Hebrew\"}";
	char *s;

	(void)state;
	s = jcs_of(in);
	assert_string_equal(s, want);
	free(s);
	/* Short escapes, \u00xx in lower case, '/' and DEL as they are. */
	s = jcs_of("[\"\\u001f\\b\\t\\n\\f\\r\\\"\\\\\\/\\u007f\\u00e9\","
		   "true,false,null,[],{}]");
	assert_string_equal(s, "[\"\\u001f\\b\\t\\n\\f\\r\\\"\\\\/\x7f"
			       "\xc3\xa9\",true,false,null,[],{}]");
	free(s);
}

static void test_stix_jcs_limits(void **state)
{
	char text[2 * 200 + 1];
	json_t *v;
	struct cirt_buf b;

	(void)state;
	for (size_t i = 0; i < 200; i++) {
		text[i] = '[';
		text[200 + i] = ']';
	}
	text[400] = '\0';
	v = json_loads(text, 0, NULL);
	assert_non_null(v);
	cirt_buf_init(&b, 1 << 20);
	assert_int_equal(cirt_stix_jcs(v, &b), -CIRT_ELIMIT);
	assert_int_equal(b.len, 0);
	json_decref(v);
	v = json_pack("{ss}", "value", "a rather long string for 16 bytes");
	cirt_buf_init(&b, 16);
	assert_int_equal(cirt_stix_jcs(v, &b), -CIRT_ELIMIT);
	json_decref(v);
}

/* STIX-11: every vector of sco-deterministic-ids.json, both the JCS
 * name and the id. */
static void test_stix_sco_id_vectors(void **state)
{
	const char *data = test_shared_data("SCO id vectors");
	char path[512], id[CIRT_STIX_ID_MAX + 1];
	json_t *doc, *vec, *sco, *props;
	struct cirt_buf b;
	size_t i, len;
	char *text;

	(void)state;
	if (data == NULL)
		return;
	snprintf(path, sizeof(path),
		 "%s/stix/test-vectors/sco-deterministic-ids.json", data);
	text = test_read_file(path, &len);
	doc = json_loadb(text, len, 0, NULL);
	free(text);
	assert_non_null(doc);
	assert_true(json_array_size(json_object_get(doc, "vectors")) >= 13);
	json_array_foreach (json_object_get(doc, "vectors"), i, vec) {
		props = json_object_get(vec, "id_contributing_properties");
		cirt_buf_init(&b, 1 << 20);
		assert_int_equal(cirt_stix_jcs(props, &b), 0);
		assert_string_equal(b.data,
				    json_string_value(json_object_get(
					    vec, "uuid5_name_rfc8785")));
		cirt_buf_release(&b);
		sco = json_deep_copy(props);
		json_object_set(sco, "type", json_object_get(vec, "type"));
		assert_int_equal(cirt_stix_sco_id(sco, id), 0);
		assert_string_equal(id, json_string_value(json_object_get(
						vec, "expected_id")));
		json_decref(sco);
	}
	json_decref(doc);
}

static json_t *obj(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);

	assert_non_null(v);
	return v;
}

/* STIX-11: one hash (MD5, SHA-1, SHA-256, SHA-512, else the first);
 * UUIDv4 cases; non-SCOs. */
static void test_stix_sco_id_rules(void **state)
{
	char a[CIRT_STIX_ID_MAX + 1], b[CIRT_STIX_ID_MAX + 1];
	json_t *x, *y;

	(void)state;
	x = obj("{\"type\":\"file\",\"hashes\":{\"SHA-256\":\"aa\","
		"\"MD5\":\"bb\",\"SHA-1\":\"cc\"}}");
	y = obj("{\"type\":\"file\",\"hashes\":{\"MD5\":\"bb\"},"
		"\"size\":25}");
	assert_int_equal(cirt_stix_sco_id(x, a), 0);
	assert_int_equal(cirt_stix_sco_id(y, b), 0);
	assert_string_equal(a, b);
	json_decref(x);
	json_decref(y);
	x = obj("{\"type\":\"file\",\"hashes\":{\"TLSH\":\"aa\","
		"\"SSDEEP\":\"bb\"}}");
	y = obj("{\"type\":\"file\",\"hashes\":{\"TLSH\":\"aa\"}}");
	assert_int_equal(cirt_stix_sco_id(x, a), 0);
	assert_int_equal(cirt_stix_sco_id(y, b), 0);
	assert_string_equal(a, b);
	json_decref(x);
	json_decref(y);
	/* process never has contributing properties; user-account with
	 * none of its own present needs a UUIDv4 too. */
	x = obj("{\"type\":\"process\",\"pid\":4}");
	assert_int_equal(cirt_stix_sco_id(x, a), -CIRT_ENOTFOUND);
	json_decref(x);
	x = obj("{\"type\":\"user-account\",\"display_name\":\"J\"}");
	assert_int_equal(cirt_stix_sco_id(x, a), -CIRT_ENOTFOUND);
	json_decref(x);
	x = obj("{\"type\":\"indicator\",\"name\":\"x\"}");
	assert_int_equal(cirt_stix_sco_id(x, a), -CIRT_EINVAL);
	json_decref(x);
	assert_null(cirt_stix_id_contributing("indicator"));
	assert_null(cirt_stix_id_contributing("process")[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stix_id_valid_table),
		cmocka_unit_test(test_uuid_rfc4122),
		cmocka_unit_test(test_stix_jcs_numbers),
		cmocka_unit_test(test_stix_jcs_order_and_escapes),
		cmocka_unit_test(test_stix_jcs_limits),
		cmocka_unit_test(test_stix_sco_id_vectors),
		cmocka_unit_test(test_stix_sco_id_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
