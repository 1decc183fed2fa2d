/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The streaming bundle reader (stix/stix_bundle.c): elements handed over
 * with their exact bytes, from memory and from files much larger than the
 * window, and every malformed or oversized input refused with the element
 * at fault named, after the good elements before it.
 */
#include "testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "stix/stix_bundle.h"

struct seen {
	size_t n;
	char last[256];
	size_t total_len;
};

static int take(const char *bytes, size_t len, json_t *obj, size_t index,
		void *arg)
{
	struct seen *s = arg;

	assert_true(json_is_object(obj));
	assert_int_equal(index, s->n);
	snprintf(s->last, sizeof(s->last), "%.*s", (int)len, bytes);
	s->total_len += len;
	s->n++;
	return 0;
}

static int read_mem(const char *text, const struct cirt_bundle_limits *lim,
		    struct seen *s, struct cirt_bundle_info *info,
		    struct cirt_diag *d)
{
	struct cirt_bundle_src src = {-1, text, strlen(text)};

	memset(s, 0, sizeof(*s));
	cirt_diag_init(d);
	return cirt_bundle_read(&src, lim ? lim : &cirt_bundle_default_limits,
				take, s, info, d);
}

static void test_bundle_read_exact_bytes(void **state)
{
	const char *text =
		"{ \"type\": \"bundle\", \"objects\": [ {\"a\": 1},\n"
		"  { \"b\" : [1, 2, {\"c\": \"}]\"}] } ], \"id\": \"x\" }\n";
	struct cirt_bundle_info info;
	struct cirt_diag d;
	struct seen s;

	(void)state;
	assert_int_equal(read_mem(text, NULL, &s, &info, &d), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.last, "{ \"b\" : [1, 2, {\"c\": \"}]\"}] }");
	assert_true(info.has_objects);
	assert_int_equal(info.count, 2);
	assert_string_equal(
		json_string_value(json_object_get(info.hdr, "type")), "bundle");
	assert_string_equal(json_string_value(json_object_get(info.hdr, "id")),
			    "x");
	assert_null(json_object_get(info.hdr, "objects"));
	cirt_bundle_info_release(&info);
}

static void test_bundle_read_empty_and_absent(void **state)
{
	struct cirt_bundle_info info;
	struct cirt_diag d;
	struct seen s;

	(void)state;
	assert_int_equal(read_mem("{\"objects\":[]}", NULL, &s, &info, &d), 0);
	assert_true(info.has_objects);
	assert_int_equal(info.count, 0);
	cirt_bundle_info_release(&info);
	assert_int_equal(read_mem("{\"type\":\"bundle\"}", NULL, &s, &info, &d),
			 0);
	assert_false(info.has_objects);
	cirt_bundle_info_release(&info);
	assert_int_equal(read_mem("  {}  ", NULL, &s, &info, &d), 0);
	cirt_bundle_info_release(&info);
}

static void test_bundle_read_refusals(void **state)
{
	static const struct {
		const char *text;
		int rc;
		size_t before; /* elements handed over before the error */
		const char *words;
	} rows[] = {
		{"[1,2]", -CIRT_EINVAL, 0, "expected a JSON object"},
		{"{\"objects\":[{\"a\":1},{\"a\":}]}", -CIRT_EINVAL, 1,
		 "object 1: malformed JSON"},
		{"{\"objects\":[{\"a\":1},2]}", -CIRT_EINVAL, 1,
		 "object 1 is not a JSON object"},
		{"{\"objects\":[{\"a\":1,\"a\":2}]}", -CIRT_EINVAL, 0,
		 "duplicate"},
		{"{\"objects\":[{\"a\":\"\xff\"}]}", -CIRT_EINVAL, 0,
		 "object 0"},
		{"{\"objects\":[],\"objects\":[]}", -CIRT_EINVAL, 0, "twice"},
		{"{\"id\":1,\"id\":2,\"objects\":[]}", -CIRT_EINVAL, 0,
		 "twice"},
		{"{\"objects\":[{}]} x", -CIRT_EINVAL, 1, "data after"},
		{"{\"objects\":{}}", -CIRT_EINVAL, 0, "'['"},
		{"{\"objects\":[{}] \"x\":1}", -CIRT_EINVAL, 1, "',' or '}'"},
		{"{\"objects\":[{} {}]}", -CIRT_EINVAL, 1, "',' or ']'"},
		{"{\"objects\":[{}", -CIRT_EINVAL, 1, "',' or ']'"},
		{"{\"objects\":[{\"a\":[[[[[[[[1]]]]]]]]}]}", -CIRT_ELIMIT, 0,
		 "deeper"},
		{"{\"objects\":[{},{},{},{}]}", -CIRT_ELIMIT, 3, "more than 3"},
		{"", -CIRT_EINVAL, 0, "expected a JSON object"},
	};
	struct cirt_bundle_limits lim = {1 << 20, 3, 8};
	struct cirt_bundle_info info;
	struct cirt_diag d;
	struct seen s;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc = read_mem(rows[i].text, &lim, &s, &info, &d);

		if (rc != rows[i].rc || s.n != rows[i].before ||
		    strstr(d.message, rows[i].words) == NULL)
			fail_msg("row %zu: rc %d after %zu: %s", i, rc, s.n,
				 d.message);
		cirt_bundle_info_release(&info);
	}
}

/* A file of n small objects, for reading through a small window. */
static char *write_file(size_t n, size_t pad, size_t *bytes)
{
	static char path[64];
	struct cirt_buf b;
	int fd;

	snprintf(path, sizeof(path), "/tmp/cirt-bundle-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	cirt_buf_init(&b, 64u << 20);
	assert_int_equal(
		cirt_buf_adds(&b, "{\"type\":\"bundle\",\"objects\":["), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(
			cirt_buf_addf(&b, "%s{\"i\":%zu,\"p\":\"%*s\"}",
				      i ? ",\n" : "", i, (int)pad, "x"),
			0);
	assert_int_equal(cirt_buf_adds(&b, "],\"id\":\"bundle--1\"}"), 0);
	assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
	close(fd);
	*bytes = b.len;
	cirt_buf_release(&b);
	return path;
}

static int read_file(const char *path, const struct cirt_bundle_limits *lim,
		     struct seen *s, struct cirt_bundle_info *info,
		     struct cirt_diag *d)
{
	struct cirt_bundle_src src = {open(path, O_RDONLY), NULL, 0};
	int rc;

	assert_true(src.fd >= 0);
	memset(s, 0, sizeof(*s));
	cirt_diag_init(d);
	rc = cirt_bundle_read(&src, lim, take, s, info, d);
	close(src.fd);
	return rc;
}

static void test_bundle_read_file_larger_than_window(void **state)
{
	struct cirt_bundle_limits lim = {4096, 0, 8};
	struct cirt_bundle_info info;
	struct cirt_diag d;
	struct seen s;
	size_t bytes;
	char *path = write_file(20000, 200, &bytes); /* about 4.5 MB */

	(void)state;
	assert_int_equal(read_file(path, &lim, &s, &info, &d), 0);
	assert_int_equal(s.n, 20000);
	assert_true(bytes > 40 * (4096 + (64u << 10)));
	assert_string_equal(json_string_value(json_object_get(info.hdr, "id")),
			    "bundle--1");
	cirt_bundle_info_release(&info);
	unlink(path);
}

static void test_bundle_read_object_limit_edge(void **state)
{
	struct cirt_bundle_limits lim = {1000, 0, 8};
	struct cirt_bundle_info info;
	struct cirt_diag d;
	struct seen s;
	size_t bytes;
	char *path;

	(void)state;
	/* {"i":0,"p":"xx..."}: 15 bytes + pad; the limit is the window,
	 * 1000 + 64 KiB, so a 60 KiB object is fine and 70 KiB is not. */
	path = write_file(3, 60000, &bytes);
	assert_int_equal(read_file(path, &lim, &s, &info, &d), 0);
	assert_int_equal(s.n, 3);
	cirt_bundle_info_release(&info);
	unlink(path);
	path = write_file(3, 70000, &bytes);
	assert_int_equal(read_file(path, &lim, &s, &info, &d), -CIRT_ELIMIT);
	assert_non_null(strstr(d.message, "larger than"));
	cirt_bundle_info_release(&info);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundle_read_exact_bytes),
		cmocka_unit_test(test_bundle_read_empty_and_absent),
		cmocka_unit_test(test_bundle_read_refusals),
		cmocka_unit_test(test_bundle_read_file_larger_than_window),
		cmocka_unit_test(test_bundle_read_object_limit_edge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
