/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The bounded buffer (core/buf.c): appends just under, exactly at and over
 * the ceiling (over returns -CIRT_ELIMIT and leaves the buffer empty and
 * reusable), NUL termination with binary contents, formatted appends,
 * detaching, and growth across many appends.
 */
#include "testlib.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"

/* The buffer holds nothing and takes up to max bytes again. */
static void assert_empty_reusable(struct cirt_buf *b, size_t max)
{
	size_t n = max < 2 ? max : 2;

	assert_null(b->data);
	assert_int_equal(b->len, 0);
	assert_int_equal(b->max, max);
	assert_string_equal(cirt_buf_str(b), "");
	assert_int_equal(cirt_buf_add(b, "ok", n), 0);
	assert_int_equal(b->len, n);
	assert_memory_equal(cirt_buf_str(b), "ok", n);
	cirt_buf_release(b);
}

static void test_buf_init_empty(void **state)
{
	struct cirt_buf b;

	(void)state;
	cirt_buf_init(&b, 16);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 16);
	assert_string_equal(cirt_buf_str(&b), "");
	cirt_buf_release(&b);
	assert_null(b.data);
}

static void test_buf_add_limits(void **state)
{
	static const struct {
		size_t max;
		size_t first; /* bytes already in the buffer */
		size_t n;     /* bytes then appended */
		int rc;
	} rows[] = {
		{8, 0, 7, 0},		 /* just under */
		{8, 0, 8, 0},		 /* exactly at max */
		{8, 0, 9, -CIRT_ELIMIT}, /* just over */
		{8, 5, 3, 0},		 /* reaching max in two steps */
		{8, 5, 4, -CIRT_ELIMIT}, /* passing it in two steps */
		{8, 8, 0, 0},		 /* nothing more at max */
		{8, 8, 1, -CIRT_ELIMIT}, /* one more at max */
		{0, 0, 0, 0},		 /* a zero ceiling */
		{0, 0, 1, -CIRT_ELIMIT},
		{64, 0, 64, 0}, /* the first allocation size */
		{64, 0, 65, -CIRT_ELIMIT},
		{100, 0, 100, 0},
		{100, 0, 101, -CIRT_ELIMIT},
	};
	char src[128];
	struct cirt_buf b;

	(void)state;
	memset(src, 'x', sizeof(src));
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		cirt_buf_init(&b, rows[i].max);
		if (rows[i].first > 0)
			assert_int_equal(cirt_buf_add(&b, src, rows[i].first),
					 0);
		assert_int_equal(cirt_buf_add(&b, src, rows[i].n), rows[i].rc);
		if (rows[i].rc < 0) {
			assert_empty_reusable(&b, rows[i].max);
			continue;
		}
		assert_int_equal(b.len, rows[i].first + rows[i].n);
		assert_true(b.len <= b.max);
		assert_true(b.cap <= b.max + 1);
		assert_int_equal(b.data[b.len], '\0');
		cirt_buf_release(&b);
	}
}

static void test_buf_add_huge_length(void **state)
{
	struct cirt_buf b;

	(void)state;
	/* The size check must not overflow: the bytes are never read. */
	cirt_buf_init(&b, 16);
	assert_int_equal(cirt_buf_adds(&b, "abc"), 0);
	assert_int_equal(cirt_buf_add(&b, "x", SIZE_MAX), -CIRT_ELIMIT);
	assert_empty_reusable(&b, 16);
	cirt_buf_init(&b, SIZE_MAX - 1);
	assert_int_equal(cirt_buf_adds(&b, "abc"), 0);
	assert_int_equal(cirt_buf_add(&b, "x", SIZE_MAX), -CIRT_ELIMIT);
	assert_null(b.data);
	cirt_buf_release(&b);
}

static void test_buf_add_binary_nul_terminated(void **state)
{
	/* 'a', NUL, 'b', 0xff */
	static const char bytes[] = {'a', '\0', 'b', '\xff'};
	struct cirt_buf b;

	(void)state;
	cirt_buf_init(&b, 64);
	assert_int_equal(cirt_buf_add(&b, bytes, sizeof(bytes)), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, bytes, sizeof(bytes));
	assert_int_equal(b.data[4], '\0');
	assert_int_equal(cirt_buf_add(&b, "", 0), 0);
	assert_int_equal(b.len, 4);
	assert_int_equal(b.data[4], '\0');
	cirt_buf_release(&b);
}

static void test_buf_adds_appends(void **state)
{
	struct cirt_buf b;

	(void)state;
	cirt_buf_init(&b, 64);
	assert_int_equal(cirt_buf_adds(&b, "foo"), 0);
	assert_int_equal(cirt_buf_adds(&b, ""), 0);
	assert_int_equal(cirt_buf_adds(&b, "bar"), 0);
	assert_string_equal(cirt_buf_str(&b), "foobar");
	assert_int_equal(b.len, 6);
	cirt_buf_release(&b);
}

static void test_buf_addf_formats(void **state)
{
	struct cirt_buf b;

	(void)state;
	cirt_buf_init(&b, 64);
	assert_int_equal(cirt_buf_adds(&b, "n="), 0);
	assert_int_equal(cirt_buf_addf(&b, "%d/%s/%05.1f", -42, "x", 2.5), 0);
	assert_int_equal(cirt_buf_addf(&b, "%s", ""), 0);
	assert_string_equal(cirt_buf_str(&b), "n=-42/x/002.5");
	assert_int_equal(b.len, strlen("n=-42/x/002.5"));
	cirt_buf_release(&b);
}

static void test_buf_addf_limits(void **state)
{
	struct cirt_buf b;

	(void)state;
	/* Exactly at max, then one over. */
	cirt_buf_init(&b, 5);
	assert_int_equal(cirt_buf_addf(&b, "%05d", 7), 0);
	assert_string_equal(cirt_buf_str(&b), "00007");
	assert_int_equal(cirt_buf_addf(&b, "%d", 1), -CIRT_ELIMIT);
	assert_empty_reusable(&b, 5);
	/* Over max in one go. */
	cirt_buf_init(&b, 5);
	assert_int_equal(cirt_buf_addf(&b, "%06d", 7), -CIRT_ELIMIT);
	assert_empty_reusable(&b, 5);
	/* Just under. */
	cirt_buf_init(&b, 5);
	assert_int_equal(cirt_buf_addf(&b, "%04d", 7), 0);
	assert_int_equal(b.len, 4);
	cirt_buf_release(&b);
}

static void test_buf_detach_empty(void **state)
{
	struct cirt_buf b;
	size_t len = 99;
	char *p;

	(void)state;
	cirt_buf_init(&b, 8);
	p = cirt_buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
	p = cirt_buf_detach(&b, NULL);
	assert_non_null(p);
	free(p);
	assert_null(b.data);
}

static void test_buf_detach_contents(void **state)
{
	struct cirt_buf b;
	size_t len = 0;
	char *p;

	(void)state;
	cirt_buf_init(&b, 8);
	assert_int_equal(cirt_buf_adds(&b, "abc"), 0);
	p = cirt_buf_detach(&b, &len);
	assert_string_equal(p, "abc");
	assert_int_equal(len, 3);
	free(p);
	/* The buffer is empty and the full budget is available again. */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(cirt_buf_add(&b, "12345678", 8), 0);
	assert_string_equal(cirt_buf_str(&b), "12345678");
	cirt_buf_release(&b);
}

static void test_buf_release_reusable(void **state)
{
	struct cirt_buf b;

	(void)state;
	cirt_buf_init(&b, 4);
	assert_int_equal(cirt_buf_adds(&b, "abcd"), 0);
	cirt_buf_release(&b);
	assert_empty_reusable(&b, 4);
	cirt_buf_release(&b); /* twice is harmless */
}

static void test_buf_add_many_appends_grow(void **state)
{
	static const char chunk[] = "0123456789abcdefghijklm"; /* 23 bytes */
	const size_t n = 10000, clen = sizeof(chunk) - 1;
	struct cirt_buf b;

	(void)state;
	cirt_buf_init(&b, n * clen);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(cirt_buf_add(&b, chunk, clen), 0);
		assert_int_equal(b.len, (i + 1) * clen);
		assert_int_equal(b.data[b.len], '\0');
		assert_true(b.cap > b.len);
		assert_true(b.cap <= b.max + 1);
	}
	for (size_t i = 0; i < n; i++)
		assert_memory_equal(b.data + i * clen, chunk, clen);
	/* Full now: one more byte is over. */
	assert_int_equal(cirt_buf_add(&b, "x", 1), -CIRT_ELIMIT);
	assert_empty_reusable(&b, n * clen);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_init_empty),
		cmocka_unit_test(test_buf_add_limits),
		cmocka_unit_test(test_buf_add_huge_length),
		cmocka_unit_test(test_buf_add_binary_nul_terminated),
		cmocka_unit_test(test_buf_adds_appends),
		cmocka_unit_test(test_buf_addf_formats),
		cmocka_unit_test(test_buf_addf_limits),
		cmocka_unit_test(test_buf_detach_empty),
		cmocka_unit_test(test_buf_detach_contents),
		cmocka_unit_test(test_buf_release_reusable),
		cmocka_unit_test(test_buf_add_many_appends_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
