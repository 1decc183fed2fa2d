/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * JSON helpers (core/json.c): what cirt_json_parse() refuses (malformed
 * input with line and column, duplicate keys, invalid UTF-8, \u0000, lone
 * surrogates) and its nesting budget exactly at and one over the limit,
 * for objects and arrays; cirt_json_only(); the typed getters for
 * missing, required, wrong-type and out-of-range members; cirt_json_time(),
 * cirt_json_dump(), and cirt_json_add_string() against jansson's output.
 */
#include "testlib.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/compiler.h"
#include "core/err.h"
#include "core/json.h"

#define BYTES(lit) lit, sizeof(lit) - 1

/* open^k leaf close^k, NUL-terminated; caller frees. */
static char *nested(const char *open, const char *close, size_t k,
		    const char *leaf)
{
	size_t lo = strlen(open), lc = strlen(close), ll = strlen(leaf);
	char *s = malloc(k * (lo + lc) + ll + 1);
	char *p = s;

	assert_non_null(s);
	for (size_t i = 0; i < k; i++, p += lo)
		memcpy(p, open, lo);
	memcpy(p, leaf, ll);
	p += ll;
	for (size_t i = 0; i < k; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return s;
}

/* Parse s with max_depth; on success the value is freed at once. */
static int parse_depth(const char *s, size_t max_depth, struct cirt_diag *d)
{
	json_t *v = (json_t *)1;
	int rc;

	cirt_diag_init(d);
	rc = cirt_json_parse(s, strlen(s), max_depth, &v, d);
	if (rc == 0)
		assert_non_null(v);
	else
		assert_null(v);
	json_decref(v);
	return rc;
}

/* Document s nests depth levels: accepted at max_depth == depth, refused
 * with -CIRT_ELIMIT at depth - 1. Frees s. */
static void assert_depth(char *s, size_t depth)
{
	struct cirt_diag at, over;
	char want[64];
	int rc_at, rc_over;

	rc_at = parse_depth(s, depth, &at);
	rc_over = parse_depth(s, depth - 1, &over);
	free(s);
	if (rc_at != 0)
		fail_msg("depth %zu at limit %zu: rc %d (%s)", depth, depth,
			 rc_at, at.message);
	if (rc_over != -CIRT_ELIMIT)
		fail_msg("depth %zu at limit %zu: rc %d (%s)", depth, depth - 1,
			 rc_over, over.message);
	snprintf(want, sizeof(want), "deeper than %zu levels", depth - 1);
	assert_non_null(strstr(over.message, want));
}

static const size_t depths[] = {1, 2, 3, 31, 32, 33};

static void test_json_parse_depth_empty_containers(void **state)
{
	size_t k;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(depths); i++) {
		k = depths[i];
		/* [[...[]...]] and {"a":{"a":...{}...}} */
		assert_depth(nested("[", "]", k, ""), k);
		assert_depth(nested("{\"a\":", "}", k - 1, "{}"), k);
	}
}

static void test_json_parse_depth_scalar_leaf(void **state)
{
	size_t k;

	(void)state;
	/* A scalar adds no level: [1] nests 1, {"a":{"a":1}} nests 2. */
	for (size_t i = 0; i < CIRT_ARRAY_LEN(depths); i++) {
		k = depths[i];
		assert_depth(nested("[", "]", k, "1"), k);
		assert_depth(nested("{\"a\":", "}", k, "\"x\""), k);
	}
}

static void test_json_parse_depth_mixed(void **state)
{
	(void)state;
	/* {"a":[{"a":[...]}]}: two levels per step */
	assert_depth(nested("{\"a\":[", "]}", 16, ""), 32);
	/* the deepest branch counts, not the first */
	assert_depth(nested("{\"x\":[],\"y\":", "}", 3, "{}"), 4);
	assert_depth(nested("[[],", "]", 4, "[[]]"), 6);
}

static void test_json_parse_depth_beyond_parser(void **state)
{
	/* jansson parses at most 2048 levels (JSON_PARSER_MAX_DEPTH); one
	 * more is still well-formed JSON nested too deep: a budget error. */
	char *s;
	struct cirt_diag d;
	int rc;

	(void)state;
	s = nested("[", "]", 2048, "");
	rc = parse_depth(s, 32, &d);
	free(s);
	assert_int_equal(rc, -CIRT_ELIMIT);
	s = nested("[", "]", 2049, "");
	rc = parse_depth(s, 32, &d);
	free(s);
	if (rc != -CIRT_ELIMIT)
		fail_msg("2049 levels: rc %d, want -CIRT_ELIMIT (%s)", rc,
			 d.message);
}

static void test_json_parse_valid(void **state)
{
	static const char doc[] =
		"{\"s\": \"caf\\u00e9 \xe2\x82\xac\","
		" \"pair\": \"\\ud83d\\ude00\","
		" \"n\": [1, -2, 3.5, true, false, null], \"o\": {}}";
	struct cirt_diag d;
	json_t *v = NULL;

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(cirt_json_parse(doc, strlen(doc), 32, &v, &d), 0);
	assert_true(json_is_object(v));
	assert_string_equal(json_string_value(json_object_get(v, "s")),
			    "caf\xc3\xa9 \xe2\x82\xac");
	/* a valid surrogate pair: U+1F600 */
	assert_string_equal(json_string_value(json_object_get(v, "pair")),
			    "\xf0\x9f\x98\x80");
	assert_int_equal(json_array_size(json_object_get(v, "n")), 6);
	json_decref(v);
	assert_int_equal(cirt_json_parse(BYTES("[]"), 32, &v, &d), 0);
	assert_true(json_is_array(v));
	json_decref(v);
}

static void test_json_parse_uses_length(void **state)
{
	/* The length counts, not a terminating NUL. */
	static const char s[] = "{\"a\":1}garbage";
	struct cirt_diag d;
	json_t *v = NULL;

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(cirt_json_parse(s, 7, 32, &v, &d), 0);
	json_decref(v);
	assert_int_equal(cirt_json_parse(s, 6, 32, &v, &d), -CIRT_EINVAL);
	assert_null(v);
	cirt_diag_init(&d);
	assert_int_equal(cirt_json_parse(s, sizeof(s) - 1, 32, &v, &d),
			 -CIRT_EINVAL);
	assert_null(v);
}

static void test_json_parse_rejects(void **state)
{
	static const struct {
		const char *s;
		size_t len;
	} rows[] = {
		{BYTES("")},
		{BYTES(" ")},
		{BYTES("{")},
		{BYTES("}")},
		{BYTES("{\"a\":}")},
		{BYTES("{\"a\" 1}")},
		{BYTES("[1,]")},
		{BYTES("{\"a\":1,}")},
		{BYTES("{'a':1}")},
		{BYTES("{a:1}")},
		{BYTES("[nul]")},
		{BYTES("[01]")},
		{BYTES("[NaN]")},
		{BYTES("[\"a\tb\"]")}, /* raw control char */
		{BYTES("{\"a\":1}{}")},
		{BYTES("{}\x00")}, /* trailing NUL byte */
		/* duplicate keys, at the top and nested */
		{BYTES("{\"a\":1,\"a\":2}")},
		{BYTES("{\"a\":1,\"a\":1}")},
		{BYTES("{\"o\":{\"b\":true,\"b\":false}}")},
		{BYTES("[{\"k\":1,\"k\":{}}]")},
		/* invalid UTF-8 in values and keys */
		{BYTES("{\"a\":\"\xc3\x28\"}")},	 /* bad continuation */
		{BYTES("{\"a\":\"\xc0\xaf\"}")},	 /* overlong '/' */
		{BYTES("{\"a\":\"\xed\xa0\x80\"}")},	 /* raw surrogate */
		{BYTES("{\"a\":\"\xf4\x90\x80\x80\"}")}, /* > U+10FFFF */
		{BYTES("{\"a\":\"\xff\"}")},
		{BYTES("{\"\xe2\x82\":1}")}, /* truncated key */
		/* \u0000 */
		{BYTES("{\"a\":\"\\u0000\"}")},
		{BYTES("{\"a\":\"x\\u0000y\"}")},
		{BYTES("{\"\\u0000\":1}")},
		/* lone surrogates */
		{BYTES("{\"a\":\"\\ud800\"}")},
		{BYTES("{\"a\":\"\\udbff\"}")},
		{BYTES("{\"a\":\"\\udc00\"}")},
		{BYTES("{\"a\":\"\\ud800x\"}")},
		{BYTES("{\"a\":\"\\ud800\\u0041\"}")},
		{BYTES("{\"a\":\"\\ude00\\ud83d\"}")}, /* reversed pair */
		/* bad escapes */
		{BYTES("{\"a\":\"\\x41\"}")},
		{BYTES("{\"a\":\"\\u12\"}")},
	};
	struct cirt_diag d;
	json_t *v;
	int rc;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		v = (json_t *)1;
		cirt_diag_init(&d);
		rc = cirt_json_parse(rows[i].s, rows[i].len, 32, &v, &d);
		if (rc != -CIRT_EINVAL) {
			if (rc == 0)
				json_decref(v);
			fail_msg("row %zu: rc %d, want -CIRT_EINVAL", i, rc);
		}
		assert_null(v);
		assert_int_equal(d.code, -CIRT_EINVAL);
		if (strstr(d.message, "line ") == NULL ||
		    strstr(d.message, "column ") == NULL)
			fail_msg("row %zu: no position in \"%s\"", i,
				 d.message);
	}
}

static void test_json_parse_position(void **state)
{
	static const char s[] = "{\n  \"a\": 1,\n  \"b\": ,\n}";
	struct cirt_diag d;
	json_t *v;

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(cirt_json_parse(s, strlen(s), 32, &v, &d),
			 -CIRT_EINVAL);
	assert_non_null(strstr(d.message, "malformed JSON at line 3 column"));
	assert_string_equal(d.field, "");
	/* a NULL diag is fine */
	assert_int_equal(cirt_json_parse(s, strlen(s), 32, &v, NULL),
			 -CIRT_EINVAL);
}

/* The object the getter tests read. */
static json_t *fixture(void)
{
	static const char doc[] =
		"{\"s\":\"text\",\"e\":\"\",\"u\":\"caf\\u00e9\",\"n\":42,"
		"\"neg\":-7,\"max\":9223372036854775807,"
		"\"min\":-9223372036854775808,\"r\":1.5,\"r0\":1.0,"
		"\"t\":true,\"f\":false,\"z\":null,\"o\":{},\"a\":[],"
		"\"ns\":\"1\"}";
	json_t *v = NULL;

	assert_int_equal(cirt_json_parse(doc, strlen(doc), 32, &v, NULL), 0);
	return v;
}

static void test_json_only_table(void **state)
{
	static const char *const names[] = {"name", "role", "enabled"};
	static const struct {
		const char *doc;
		size_t n; /* how many of names are allowed */
		const char *bad;
	} rows[] = {
		{"{}", 3, NULL},
		{"{}", 0, NULL},
		{"{\"name\":1}", 3, NULL},
		{"{\"name\":1,\"role\":2,\"enabled\":3}", 3, NULL},
		{"{\"name\":1,\"enabled\":3}", 2, "enabled"},
		{"{\"name\":1}", 0, "name"},
		{"{\"Name\":1}", 3, "Name"},
		{"{\"name\":1,\"rol\":2}", 3, "rol"},
		{"{\"name \":1}", 3, "name "},
	};
	struct cirt_diag d;
	json_t *v;
	int rc;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		assert_int_equal(cirt_json_parse(rows[i].doc,
						 strlen(rows[i].doc), 8, &v,
						 NULL),
				 0);
		cirt_diag_init(&d);
		rc = cirt_json_only(v, names, rows[i].n, &d);
		json_decref(v);
		if (rc != (rows[i].bad ? -CIRT_EINVAL : 0))
			fail_msg("row %zu: rc %d", i, rc);
		if (rows[i].bad == NULL)
			continue;
		assert_string_equal(d.field, rows[i].bad);
		assert_non_null(strstr(d.message, "unknown field"));
		assert_non_null(strstr(d.message, rows[i].bad));
	}
}

static void test_json_get_str_cases(void **state)
{
	static const char *const wrong[] = {"n", "r", "t", "z", "o", "a"};
	json_t *v = fixture();
	struct cirt_diag d;
	const char *s;
	size_t len;

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(cirt_json_get_str(v, "s", true, &s, &len, &d), 0);
	assert_string_equal(s, "text");
	assert_int_equal(len, 4);
	assert_int_equal(cirt_json_get_str(v, "e", true, &s, &len, &d), 0);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	assert_int_equal(cirt_json_get_str(v, "u", false, &s, NULL, &d), 0);
	assert_string_equal(s, "caf\xc3\xa9");
	/* missing, optional */
	s = "stale";
	len = 9;
	assert_int_equal(cirt_json_get_str(v, "nope", false, &s, &len, &d), 0);
	assert_null(s);
	assert_int_equal(len, 0);
	assert_int_equal(d.code, 0);
	/* missing, required */
	assert_int_equal(cirt_json_get_str(v, "nope", true, &s, &len, &d),
			 -CIRT_EINVAL);
	assert_null(s);
	assert_string_equal(d.field, "nope");
	assert_string_equal(d.message, "nope is required");
	/* wrong types, null included */
	for (size_t i = 0; i < CIRT_ARRAY_LEN(wrong); i++) {
		cirt_diag_init(&d);
		assert_int_equal(
			cirt_json_get_str(v, wrong[i], false, &s, &len, &d),
			-CIRT_EINVAL);
		assert_string_equal(d.field, wrong[i]);
		assert_non_null(strstr(d.message, "must be a string"));
	}
	json_decref(v);
}

/* Shorthands for the rows below. */
#define BAD	(-CIRT_EINVAL)
#define NOT_INT "must be an integer"

static void test_json_get_int_cases(void **state)
{
	static const struct {
		const char *name;
		bool required;
		int64_t min, max;
		int rc;
		bool present;
		int64_t v;
		const char *msg;
	} rows[] = {
		{"n", true, 0, 100, 0, true, 42, NULL},
		{"n", false, 42, 42, 0, true, 42, NULL},
		{"n", false, 43, 100, BAD, false, 0, "between 43 and 100"},
		{"n", false, 0, 41, BAD, false, 0, "between 0 and 41"},
		{"neg", false, -7, -1, 0, true, -7, NULL},
		{"neg", false, -6, 0, BAD, false, 0, "between"},
		{"max", false, INT64_MIN, INT64_MAX, 0, true, INT64_MAX, NULL},
		{"max", false, 0, INT64_MAX - 1, BAD, false, 0, "between"},
		{"min", false, INT64_MIN, INT64_MAX, 0, true, INT64_MIN, NULL},
		{"min", false, INT64_MIN + 1, 0, BAD, false, 0, "between"},
		{"nope", false, 0, 100, 0, false, 0, NULL},
		{"nope", true, 0, 100, BAD, false, 0, "nope is required"},
		{"r", false, 0, 100, BAD, false, 0, NOT_INT},
		{"r0", false, 0, 100, BAD, false, 0, NOT_INT},
		{"ns", false, 0, 100, BAD, false, 0, NOT_INT},
		{"t", false, 0, 100, BAD, false, 0, NOT_INT},
		{"z", true, 0, 100, BAD, false, 0, NOT_INT},
		{"a", false, 0, 100, BAD, false, 0, NOT_INT},
	};
	json_t *v = fixture();
	struct cirt_diag d;
	bool present;
	int64_t out;
	int rc;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		cirt_diag_init(&d);
		present = !rows[i].present;
		out = 12345;
		rc = cirt_json_get_int(v, rows[i].name, rows[i].required,
				       rows[i].min, rows[i].max, &out, &present,
				       &d);
		if (rc != rows[i].rc || present != rows[i].present ||
		    (present && out != rows[i].v))
			fail_msg("row %zu: rc %d present %d value %lld", i, rc,
				 present, (long long)out);
		if (rc == 0)
			continue;
		assert_string_equal(d.field, rows[i].name);
		assert_non_null(strstr(d.message, rows[i].msg));
	}
	json_decref(v);
}

#undef BAD
#undef NOT_INT

static void test_json_get_bool_cases(void **state)
{
	static const char *const wrong[] = {"n", "s", "ns", "z", "o", "a"};
	json_t *v = fixture();
	struct cirt_diag d;
	bool present, out;

	(void)state;
	cirt_diag_init(&d);
	out = false;
	assert_int_equal(cirt_json_get_bool(v, "t", &out, &present, &d), 0);
	assert_true(present);
	assert_true(out);
	assert_int_equal(cirt_json_get_bool(v, "f", &out, &present, &d), 0);
	assert_true(present);
	assert_false(out);
	out = true;
	assert_int_equal(cirt_json_get_bool(v, "nope", &out, &present, &d), 0);
	assert_false(present);
	assert_int_equal(d.code, 0);
	for (size_t i = 0; i < CIRT_ARRAY_LEN(wrong); i++) {
		cirt_diag_init(&d);
		assert_int_equal(
			cirt_json_get_bool(v, wrong[i], &out, &present, &d),
			-CIRT_EINVAL);
		assert_false(present);
		assert_string_equal(d.field, wrong[i]);
		assert_non_null(strstr(d.message, "must be true or false"));
	}
	json_decref(v);
}

static void test_json_time_values(void **state)
{
	static const struct {
		int64_t us;
		const char *text; /* NULL: JSON null */
	} rows[] = {
		{0, NULL},
		{1, "1970-01-01T00:00:00.000Z"},
		{-1, "1969-12-31T23:59:59.999Z"},
		{INT64_C(1795342500123456), "2026-11-22T10:15:00.123Z"},
	};
	json_t *j;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		j = cirt_json_time(rows[i].us);
		assert_non_null(j);
		if (rows[i].text == NULL)
			assert_true(json_is_null(j));
		else
			assert_string_equal(json_string_value(j), rows[i].text);
		json_decref(j);
	}
}

static void test_json_dump_compact(void **state)
{
	static const char doc[] =
		"{ \"a\" : [1, true, null, \"x\"], \"r\": 0.1,"
		" \"u\": \"caf\\u00e9\" }";
	static const char want[] =
		"{\"a\":[1,true,null,\"x\"],\"r\":0.1,\"u\":\"caf\xc3\xa9\"}";
	json_t *v = NULL;
	size_t len = 0;
	char *s;

	(void)state;
	assert_int_equal(cirt_json_parse(doc, strlen(doc), 8, &v, NULL), 0);
	s = cirt_json_dump(v, &len);
	assert_string_equal(s, want);
	assert_int_equal(len, strlen(want));
	free(s);
	s = cirt_json_dump(v, NULL);
	assert_string_equal(s, want);
	free(s);
	json_decref(v);
}

/* cirt_json_add_string writes what jansson would, byte for byte, for
 * every ASCII byte, quotes, backslashes and multi-byte characters; and
 * stops at the buffer's ceiling. */
static void test_json_add_string_as_jansson(void **state)
{
	static const char *const rows[] = {
		"",
		"plain",
		"a\"b",
		"back\\slash",
		"tab\there",
		"caf\xc3\xa9",
		"\xe2\x82\xac \xf0\x9f\x98\x80",
		"\"\"",
		"\\",
		"end\n",
		"indicator--0a1b2c3d-0000-4000-8000-000000000000",
	};
	char all[128];
	struct cirt_buf b;

	(void)state;
	for (int i = 1; i < 128; i++)
		all[i - 1] = (char)i;
	all[127] = '\0';
	for (size_t i = 0; i <= CIRT_ARRAY_LEN(rows); i++) {
		const char *s = i < CIRT_ARRAY_LEN(rows) ? rows[i] : all;
		json_t *v = json_string(s);
		char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		cirt_buf_init(&b, 4096);
		assert_int_equal(cirt_json_add_string(&b, s), 0);
		assert_string_equal(cirt_buf_str(&b), want);
		/* exactly at the ceiling fits; one byte under does not */
		cirt_buf_release(&b);
		cirt_buf_init(&b, strlen(want));
		assert_int_equal(cirt_json_add_string(&b, s), 0);
		cirt_buf_release(&b);
		cirt_buf_init(&b, strlen(want) - 1);
		assert_int_equal(cirt_json_add_string(&b, s), -CIRT_ELIMIT);
		cirt_buf_release(&b);
		free(want);
		json_decref(v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_parse_valid),
		cmocka_unit_test(test_json_parse_uses_length),
		cmocka_unit_test(test_json_parse_rejects),
		cmocka_unit_test(test_json_parse_position),
		cmocka_unit_test(test_json_parse_depth_empty_containers),
		cmocka_unit_test(test_json_parse_depth_scalar_leaf),
		cmocka_unit_test(test_json_parse_depth_mixed),
		cmocka_unit_test(test_json_parse_depth_beyond_parser),
		cmocka_unit_test(test_json_only_table),
		cmocka_unit_test(test_json_get_str_cases),
		cmocka_unit_test(test_json_get_int_cases),
		cmocka_unit_test(test_json_get_bool_cases),
		cmocka_unit_test(test_json_time_values),
		cmocka_unit_test(test_json_dump_compact),
		cmocka_unit_test(test_json_add_string_as_jansson),
	};

	cirt_json_setup();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
