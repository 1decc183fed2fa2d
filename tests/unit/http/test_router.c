/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The router (http/http_router.c) and the one error-to-status table
 * (cirt_http_status_of in http/http_server.c): exact and parameter
 * matches on a table shaped like api/api_routes.c, percent-decoding of
 * parameters ("%2F" stays inside its segment, UTF-8 escapes), one
 * trailing slash ignored, empty segments never matching, HEAD as GET,
 * 405 versus 404 with the Allow list, bad escapes and decoded text that
 * is not UTF-8 or holds NUL; cirt_pct_decode() on its own; the HTTP
 * status of every CIRT_E* code.
 */
#include "testlib.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "http/http_router.h"
#include "http/http_server.h"

#define BYTES(lit) lit, sizeof(lit) - 1

/* Handlers are never called here. */
#define R(method, pattern)                              \
	{                                               \
		method, pattern, NULL, CIRT_ACT_SELF, 0 \
	}

static const struct cirt_route routes[] = {
	R("GET", "/healthz"),			       /* 0 */
	R("POST", "/api/v1/session"),		       /* 1 */
	R("GET", "/api/v1/session"),		       /* 2 */
	R("DELETE", "/api/v1/session"),		       /* 3 */
	R("GET", "/api/v1/orgs"),		       /* 4 */
	R("POST", "/api/v1/orgs"),		       /* 5 */
	R("GET", "/api/v1/orgs/{name}"),	       /* 6 */
	R("GET", "/api/v1/users/{name}"),	       /* 7 */
	R("PATCH", "/api/v1/users/{name}"),	       /* 8 */
	R("GET", "/api/v1/tokens/{id}"),	       /* 9 */
	R("DELETE", "/api/v1/tokens/{id}"),	       /* 10 */
	R("GET", "/api/v1/audit"),		       /* 11 */
	R("GET", "/api/v1/audit/verify"),	       /* 12 */
	R("GET", "/api/v1/orgs/{org}/members/{user}"), /* 13 */
};

/* Matching requests: route index and decoded parameters. */
static void test_route_find_matches(void **state)
{
	static const struct {
		const char *method, *path;
		int route;
		size_t nparams;
		const char *p0, *p1;
	} rows[] = {
		{"GET", "/healthz", 0, 0, NULL, NULL},
		{"HEAD", "/healthz", 0, 0, NULL, NULL},
		{"GET", "/healthz/", 0, 0, NULL, NULL},
		{"POST", "/api/v1/session", 1, 0, NULL, NULL},
		{"GET", "/api/v1/session", 2, 0, NULL, NULL},
		{"HEAD", "/api/v1/session", 2, 0, NULL, NULL},
		{"DELETE", "/api/v1/session", 3, 0, NULL, NULL},
		{"GET", "/api/v1/orgs", 4, 0, NULL, NULL},
		{"GET", "/api/v1/orgs/", 4, 0, NULL, NULL},
		{"POST", "/api/v1/orgs", 5, 0, NULL, NULL},
		{"GET", "/api/v1/audit", 11, 0, NULL, NULL},
		{"GET", "/api/v1/audit/verify", 12, 0, NULL, NULL},
		{"GET", "/api/v1/orgs/acme", 6, 1, "acme", NULL},
		{"GET", "/api/v1/orgs/acme/", 6, 1, "acme", NULL},
		{"HEAD", "/api/v1/orgs/acme", 6, 1, "acme", NULL},
		{"GET", "/api/v1/orgs/Blue%20Team", 6, 1, "Blue Team", NULL},
		{"GET", "/api/v1/orgs/caf%C3%A9", 6, 1, "caf\xc3\xa9", NULL},
		{"GET", "/api/v1/orgs/caf%c3%a9", 6, 1, "caf\xc3\xa9", NULL},
		{"GET", "/api/v1/orgs/caf\xc3\xa9", 6, 1, "caf\xc3\xa9", NULL},
		{"GET", "/api/v1/orgs/A%2FB", 6, 1, "A/B", NULL},
		{"GET", "/api/v1/orgs/A%2fB", 6, 1, "A/B", NULL},
		{"GET", "/api/v1/orgs/%2F", 6, 1, "/", NULL},
		{"GET", "/api/v1/orgs/100%25", 6, 1, "100%", NULL},
		{"GET", "/api/v1/orgs/%2541", 6, 1, "%41", NULL},
		{"GET", "/api/v1/orgs/a+b", 6, 1, "a+b", NULL},
		{"GET", "/api/v1/orgs/%7B%7D", 6, 1, "{}", NULL},
		{"GET", "/api/v1/orgs/{name}", 6, 1, "{name}", NULL},
		{"PATCH", "/api/v1/users/bob", 8, 1, "bob", NULL},
		{"DELETE", "/api/v1/tokens/7", 10, 1, "7", NULL},
		{"GET", "/api/v1/orgs/a%2Fb/members/c%20d", 13, 2, "a/b",
		 "c d"},
		{"GET", "/api/v1/orgs/x/members/%F0%9F%98%80/", 13, 2, "x",
		 "\xf0\x9f\x98\x80"},
	};
	struct cirt_route_match m;
	struct cirt_diag d;
	int rc;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		cirt_diag_init(&d);
		rc = cirt_route_find(routes, CIRT_ARRAY_LEN(routes),
				     rows[i].method, rows[i].path, &m, &d);
		if (rc != 0 || m.route != rows[i].route ||
		    m.nparams != rows[i].nparams) {
			cirt_route_match_release(&m);
			fail_msg("%s %s: rc %d route %d nparams %zu (%s)",
				 rows[i].method, rows[i].path, rc, m.route,
				 m.nparams, d.message);
		}
		assert_false(m.wrong_method);
		assert_int_equal(d.code, 0);
		if (m.nparams > 0) {
			assert_string_equal(m.values[0], rows[i].p0);
			assert_int_equal(m.names[0][0], '{');
		}
		if (m.nparams > 1)
			assert_string_equal(m.values[1], rows[i].p1);
		cirt_route_match_release(&m);
		assert_int_equal(m.nparams, 0);
	}
}

static void test_route_find_param_names(void **state)
{
	struct cirt_route_match m;

	(void)state;
	assert_int_equal(cirt_route_find(routes, CIRT_ARRAY_LEN(routes), "GET",
					 "/api/v1/orgs/o/members/u", &m, NULL),
			 0);
	assert_int_equal(m.nparams, 2);
	assert_true(strncmp(m.names[0], "{org}", 5) == 0);
	assert_true(strncmp(m.names[1], "{user}", 6) == 0);
	assert_string_equal(m.values[0], "o");
	assert_string_equal(m.values[1], "u");
	cirt_route_match_release(&m);
}

/* Requests that find no route: 404 or 405 with the Allow list. */
static void test_route_find_not_found(void **state)
{
	static const struct {
		const char *method, *path;
		bool wrong_method;
		const char *allow;
	} rows[] = {
		/* no such path */
		{"GET", "/", false, ""},
		{"GET", "", false, ""},
		{"GET", "healthz", false, ""},
		{"GET", "/nothing", false, ""},
		{"GET", "/api/v1/Orgs", false, ""},
		{"GET", "/api/v1/orgsx", false, ""},
		{"GET", "/api/v1", false, ""},
		{"GET", "/api/v1/orgs/A/B", false, ""}, /* '/' not escaped */
		{"GET", "/api/v1/audit/verify/x", false, ""},
		{"GET", "/healthz/x", false, ""},
		/* empty segments never match */
		{"GET", "//healthz", false, ""},
		{"GET", "/healthz//", false, ""},
		{"GET", "/api//v1/orgs", false, ""},
		{"GET", "/api/v1//orgs", false, ""},
		{"GET", "/api/v1/orgs//", false, ""},
		{"GET", "/api/v1/orgs//acme", false, ""},
		{"GET", "/api/v1/orgs/acme//", false, ""},
		{"GET", "/api/v1/orgs//members/u", false, ""},
		{"GET", "//", false, ""},
		/* the path exists with other methods */
		{"PUT", "/api/v1/orgs", true, "GET, POST"},
		{"DELETE", "/api/v1/orgs/", true, "GET, POST"},
		{"DELETE", "/api/v1/orgs/acme", true, "GET"},
		{"POST", "/api/v1/users/bob", true, "GET, PATCH"},
		{"PUT", "/api/v1/session", true, "POST, GET, DELETE"},
		{"PATCH", "/api/v1/tokens/1", true, "GET, DELETE"},
		{"POST", "/api/v1/audit/verify", true, "GET"},
		{"POST", "/healthz", true, "GET"},
		{"get", "/healthz", true, "GET"},
	};
	struct cirt_route_match m;
	struct cirt_diag d;
	int rc;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		cirt_diag_init(&d);
		rc = cirt_route_find(routes, CIRT_ARRAY_LEN(routes),
				     rows[i].method, rows[i].path, &m, &d);
		cirt_route_match_release(&m);
		if (rc != -CIRT_ENOTFOUND || m.route != -1 ||
		    m.wrong_method != rows[i].wrong_method ||
		    strcmp(m.allow, rows[i].allow) != 0)
			fail_msg("%s \"%s\": rc %d route %d wrong_method %d "
				 "allow \"%s\"",
				 rows[i].method, rows[i].path, rc, m.route,
				 m.wrong_method, m.allow);
		assert_int_equal(m.nparams, 0);
		assert_int_equal(d.code, -CIRT_ENOTFOUND);
		if (rows[i].wrong_method) {
			assert_non_null(strstr(d.message, "not allowed"));
			assert_non_null(strstr(d.message, rows[i].allow));
		} else {
			assert_non_null(strstr(d.message, "no such endpoint"));
		}
	}
}

static void test_route_find_head_on_post_only_path(void **state)
{
	static const struct cirt_route post_only[] = {
		R("POST", "/api/v1/login"),
	};
	struct cirt_route_match m;
	struct cirt_diag d;

	(void)state;
	/* HEAD stands for GET only: no GET route, so 405 with Allow. */
	cirt_diag_init(&d);
	assert_int_equal(
		cirt_route_find(post_only, 1, "HEAD", "/api/v1/login", &m, &d),
		-CIRT_ENOTFOUND);
	cirt_route_match_release(&m);
	assert_true(m.wrong_method);
	assert_string_equal(m.allow, "POST");
	/* An empty table finds nothing. */
	assert_int_equal(cirt_route_find(post_only, 0, "POST", "/api/v1/login",
					 &m, NULL),
			 -CIRT_ENOTFOUND);
	cirt_route_match_release(&m);
	assert_false(m.wrong_method);
}

/* Bad escapes and decoded text that is not UTF-8 or holds NUL. */
static void test_route_find_bad_encoding(void **state)
{
	static const char *const paths[] = {
		"/api/v1/orgs/%",
		"/api/v1/orgs/%4",
		"/api/v1/orgs/a%",
		"/api/v1/orgs/%zz",
		"/api/v1/orgs/%4g",
		"/api/v1/orgs/%g4",
		"/api/v1/orgs/%%41",
		"/api/v1/orgs/%4/",
		"/api/v1/orgs/%00", /* NUL */
		"/api/v1/orgs/a%00b",
		"/api/v1/orgs/%C3",	     /* truncated é */
		"/api/v1/orgs/%C3%28",	     /* bad continuation */
		"/api/v1/orgs/%C0%AF",	     /* overlong '/' */
		"/api/v1/orgs/%ED%A0%80",    /* surrogate U+D800 */
		"/api/v1/orgs/%F4%90%80%80", /* above U+10FFFF */
		"/api/v1/orgs/%FF",
		"/api/v1/orgs/\xff",	       /* raw, not escaped */
		"/api/v1/orgs/ok/members/%zz", /* second parameter */
	};
	struct cirt_route_match m;
	struct cirt_diag d;
	int rc;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(paths); i++) {
		cirt_diag_init(&d);
		rc = cirt_route_find(routes, CIRT_ARRAY_LEN(routes), "GET",
				     paths[i], &m, &d);
		cirt_route_match_release(&m);
		if (rc != -CIRT_EINVAL)
			fail_msg("\"%s\": rc %d route %d (%s)", paths[i], rc,
				 m.route, d.message);
		assert_int_equal(m.nparams, 0);
		assert_int_equal(m.route, -1);
		assert_int_equal(d.code, -CIRT_EINVAL);
		assert_string_equal(d.field, "path");
	}
}

static void test_route_find_release_twice(void **state)
{
	struct cirt_route_match m;

	(void)state;
	assert_int_equal(cirt_route_find(routes, CIRT_ARRAY_LEN(routes), "GET",
					 "/api/v1/tokens/42", &m, NULL),
			 0);
	cirt_route_match_release(&m);
	cirt_route_match_release(&m);
	assert_int_equal(m.nparams, 0);
}

static void test_pct_decode_table(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *out; /* NULL: -CIRT_EINVAL */
		size_t outlen;
	} rows[] = {
		{BYTES(""), "", 0},
		{BYTES("abc"), "abc", 3},
		{BYTES("%41"), "A", 1},
		{BYTES("%4a%4A"), "JJ", 2},
		{BYTES("a%20b"), "a b", 3},
		{BYTES("%25"), "%", 1},
		{BYTES("%2525"), "%25", 3}, /* decoded once only */
		{BYTES("+"), "+", 1},	    /* not a space */
		{BYTES("%2F%2f"), "//", 2},
		{BYTES("%C3%A9"), "\xc3\xa9", 2},		/* é */
		{BYTES("%e2%82%ac"), "\xe2\x82\xac", 3},	/* € */
		{BYTES("%F0%9F%98%80"), "\xf0\x9f\x98\x80", 4}, /* 😀 */
		{BYTES("%C3\xa9"), "\xc3\xa9", 2}, /* escaped + raw */
		{BYTES("%7F"), "\x7f", 1},
		{BYTES("%"), NULL, 0},
		{BYTES("%4"), NULL, 0},
		{BYTES("a%"), NULL, 0},
		{BYTES("a%4"), NULL, 0},
		{BYTES("%zz"), NULL, 0},
		{BYTES("%4z"), NULL, 0},
		{BYTES("%z4"), NULL, 0},
		{BYTES("% 41"), NULL, 0},
		{BYTES("%%41"), NULL, 0},
		{BYTES("%-1"), NULL, 0},
		{BYTES("%00"), NULL, 0},
		{BYTES("a%00"), NULL, 0},
		{BYTES("a\x00"
		       "b"),
		 NULL, 0}, /* raw NUL */
		{BYTES("%C3"), NULL, 0},
		{BYTES("%C3%28"), NULL, 0},
		{BYTES("%80"), NULL, 0},
		{BYTES("%C0%80"), NULL, 0},	  /* overlong NUL */
		{BYTES("%ED%A0%80"), NULL, 0},	  /* U+D800 */
		{BYTES("%F4%90%80%80"), NULL, 0}, /* U+110000 */
		{BYTES("%FF"), NULL, 0},
		{BYTES("\xff"), NULL, 0},
	};
	struct cirt_diag d;
	char *out;
	int rc;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		cirt_diag_init(&d);
		out = NULL;
		rc = cirt_pct_decode(rows[i].in, rows[i].len, "name", &out, &d);
		if (rows[i].out == NULL) {
			if (rc != -CIRT_EINVAL || out != NULL) {
				free(out);
				fail_msg("row %zu: rc %d, want -CIRT_EINVAL", i,
					 rc);
			}
			assert_string_equal(d.field, "name");
			assert_non_null(strstr(d.message, "name"));
			continue;
		}
		if (rc != 0)
			fail_msg("row %zu: rc %d (%s)", i, rc, d.message);
		assert_non_null(out);
		assert_int_equal(strlen(out), rows[i].outlen);
		assert_memory_equal(out, rows[i].out, rows[i].outlen + 1);
		free(out);
	}
}

static void test_pct_decode_respects_len(void **state)
{
	/* "%41%42": the length cuts the input short */
	static const char s[] = "%41%42";
	char *out = NULL;

	(void)state;
	assert_int_equal(cirt_pct_decode(s, 3, "q", &out, NULL), 0);
	assert_string_equal(out, "A");
	free(out);
	out = NULL;
	/* "%4" then "1" past the end: an escape may not reach beyond len */
	assert_int_equal(cirt_pct_decode(s, 2, "q", &out, NULL), -CIRT_EINVAL);
	assert_null(out);
	assert_int_equal(cirt_pct_decode(s, 5, "q", &out, NULL), -CIRT_EINVAL);
	assert_null(out);
	assert_int_equal(cirt_pct_decode(s, 0, "q", &out, NULL), 0);
	assert_string_equal(out, "");
	free(out);
}

static void test_http_status_of_every_code(void **state)
{
	static const struct {
		int code;
		int status;
	} rows[] = {
		{CIRT_EINVAL, 400},    {CIRT_ELIMIT, 413},
		{CIRT_ENOTFOUND, 404}, {CIRT_ECONFLICT, 409},
		{CIRT_EPERM, 403},     {CIRT_EAUTH, 401},
		{CIRT_EMEDIA, 415},    {CIRT_EIO, 503},
		{CIRT_EPROTO, 400},    {CIRT_EAGAIN, 503},
		{CIRT_EINTERNAL, 500},
	};
	bool seen[CIRT_ERR_COUNT] = {false};

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		assert_int_equal(cirt_http_status_of(-rows[i].code),
				 rows[i].status);
		assert_int_equal(cirt_http_status_of(rows[i].code),
				 rows[i].status);
		seen[rows[i].code] = true;
	}
	/* A new code must get a row here. */
	for (int c = CIRT_EINVAL; c < CIRT_ERR_COUNT; c++)
		if (!seen[c])
			fail_msg("no row for %s", cirt_err_name(c));
}

static void test_http_status_of_out_of_range(void **state)
{
	/* 0 means a handler failed without saying why: a bug. */
	static const int codes[] = {0,	     CIRT_ERR_COUNT, -CIRT_ERR_COUNT,
				    1000,    -1000,	     INT_MAX,
				    -INT_MAX};

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(codes); i++)
		assert_int_equal(cirt_http_status_of(codes[i]), 500);
}

/* Kept separate and last: negating INT_MIN is undefined behaviour. */
static void test_http_status_of_int_min(void **state)
{
	(void)state;
	assert_int_equal(cirt_http_status_of(INT_MIN), 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_find_matches),
		cmocka_unit_test(test_route_find_param_names),
		cmocka_unit_test(test_route_find_not_found),
		cmocka_unit_test(test_route_find_head_on_post_only_path),
		cmocka_unit_test(test_route_find_bad_encoding),
		cmocka_unit_test(test_route_find_release_twice),
		cmocka_unit_test(test_pct_decode_table),
		cmocka_unit_test(test_pct_decode_respects_len),
		cmocka_unit_test(test_http_status_of_every_code),
		cmocka_unit_test(test_http_status_of_out_of_range),
		cmocka_unit_test(test_http_status_of_int_min),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
