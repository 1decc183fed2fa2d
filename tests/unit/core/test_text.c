/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Text validation (core/text.c): strict UTF-8 with the offset of the
 * first bad byte (overlong forms, surrogates, code points above U+10FFFF,
 * truncated sequences, stray continuation bytes, F5..FF), also at every
 * offset of long ASCII runs (the word-at-a-time path); one-line fields
 * (byte lengths at min-1/min/max/max+1 with multi-byte characters at the
 * boundary, C0/DEL/C1 controls, white space at either end); identifiers
 * (allowed set, first character, length at max and max+1). Every error
 * message names its field. Hex decoding: both cases, odd lengths and
 * bytes that are not digits.
 */
#include "testlib.h"

#include <stdbool.h>
#include <string.h>

#include "core/err.h"
#include "core/text.h"

/* A row from a string literal that may contain NUL bytes. */
#define BYTES(lit) lit, sizeof(lit) - 1

static void test_utf8_valid_table(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		bool ok;
		size_t bad; /* offset of the first bad byte when !ok */
	} rows[] = {
		{BYTES(""), true, 0},
		{BYTES("hello, world"), true, 0},
		{BYTES("\x00"), true, 0},	      /* NUL is UTF-8 */
		{BYTES("\x7f"), true, 0},	      /* DEL */
		{BYTES("\xc2\x80"), true, 0},	      /* U+0080 */
		{BYTES("\xc3\xa9"), true, 0},	      /* é */
		{BYTES("\xdf\xbf"), true, 0},	      /* U+07FF */
		{BYTES("\xe0\xa0\x80"), true, 0},     /* U+0800 */
		{BYTES("\xe2\x82\xac"), true, 0},     /* € */
		{BYTES("\xed\x9f\xbf"), true, 0},     /* U+D7FF */
		{BYTES("\xee\x80\x80"), true, 0},     /* U+E000 */
		{BYTES("\xef\xbf\xbf"), true, 0},     /* U+FFFF */
		{BYTES("\xf0\x90\x80\x80"), true, 0}, /* U+10000 */
		{BYTES("\xf0\x9f\x98\x80"), true, 0}, /* 😀 */
		{BYTES("\xf4\x8f\xbf\xbf"), true, 0}, /* U+10FFFF */
		{BYTES("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z"), true, 0},
		/* overlong forms */
		{BYTES("\xc0\x80"), false, 0},	       /* U+0000 */
		{BYTES("\xc0\xaf"), false, 0},	       /* '/' */
		{BYTES("\xc1\xbf"), false, 0},	       /* U+007F */
		{BYTES("\xe0\x80\x80"), false, 0},     /* U+0000 */
		{BYTES("\xe0\x9f\xbf"), false, 0},     /* U+07FF */
		{BYTES("\xf0\x80\x80\x80"), false, 0}, /* U+0000 */
		{BYTES("\xf0\x8f\xbf\xbf"), false, 0}, /* U+FFFF */
		{BYTES("ab\xe0\x80\xaf"), false, 2},   /* '/' after "ab" */
		/* UTF-16 surrogates */
		{BYTES("\xed\xa0\x80"), false, 0},	       /* U+D800 */
		{BYTES("\xed\xaf\xbf"), false, 0},	       /* U+DBFF */
		{BYTES("\xed\xb0\x80"), false, 0},	       /* U+DC00 */
		{BYTES("\xed\xbf\xbf"), false, 0},	       /* U+DFFF */
		{BYTES("\xed\xa0\xbd\xed\xb8\x80"), false, 0}, /* CESU pair */
		/* above U+10FFFF */
		{BYTES("\xf4\x90\x80\x80"), false, 0}, /* U+110000 */
		{BYTES("\xf7\xbf\xbf\xbf"), false, 0}, /* U+1FFFFF */
		/* truncated sequences */
		{BYTES("\xc3"), false, 0},
		{BYTES("a\xc3"), false, 1},
		{BYTES("\xe2\x82"), false, 0},
		{BYTES("ab\xe2\x82"), false, 2},
		{BYTES("\xf0\x9f\x98"), false, 0},
		{BYTES("\xe2\x82z"), false, 0}, /* ASCII too soon */
		{BYTES("\xc3\x28"), false, 0},	/* '(' not cont. */
		{BYTES("\xf0\x9f\x98\xc3\xa9"), false, 0},
		/* stray continuation bytes */
		{BYTES("\x80"), false, 0},
		{BYTES("\xbf"), false, 0},
		{BYTES("a\x80"), false, 1},
		{BYTES("\xc3\xa9\x80"), false, 2},     /* é + extra */
		{BYTES("\xe2\x82\xac\xac"), false, 3}, /* € + extra */
		/* bytes that never occur */
		{BYTES("\xf5\x80\x80\x80"), false, 0},
		{BYTES("\xf8\x88\x80\x80\x80"), false, 0},
		{BYTES("\xfc\x84\x80\x80\x80\x80"), false, 0},
		{BYTES("\xfe"), false, 0},
		{BYTES("ok\xff"), false, 2},
		/* the first bad byte is reported, not a later one */
		{BYTES("\xe2\x82\xac\xc0\xaf\xff"), false, 3},
	};
	size_t bad;
	bool ok;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		bad = 999;
		ok = cirt_utf8_valid(rows[i].s, rows[i].len, &bad);
		if (ok != rows[i].ok || (!ok && bad != rows[i].bad))
			fail_msg("row %zu: valid %d bad %zu, want %d %zu", i,
				 ok, bad, rows[i].ok, rows[i].bad);
	}
}

static void test_utf8_valid_respects_len(void **state)
{
	/* "é€": the length cuts the second character short */
	static const char s[] = "\xc3\xa9\xe2\x82\xac";
	size_t bad = 999;

	(void)state;
	assert_true(cirt_utf8_valid(s, 2, &bad));
	assert_true(cirt_utf8_valid(s, 5, &bad));
	assert_false(cirt_utf8_valid(s, 4, &bad));
	assert_int_equal(bad, 2);
	assert_false(cirt_utf8_valid(s, 1, &bad));
	assert_int_equal(bad, 0);
	assert_true(cirt_utf8_valid(s, 0, &bad));
	/* bad may be NULL */
	assert_false(cirt_utf8_valid(s, 1, NULL));
}

/* The eight-byte ASCII fast path: a bad byte, or a valid multi-byte
 * character, at every offset of a run longer than one word. */
static void test_utf8_valid_long_ascii(void **state)
{
	char s[40];
	size_t bad;

	(void)state;
	for (size_t at = 0; at < 32; at++) {
		memset(s, 'a', sizeof(s));
		s[at] = (char)0xff;
		bad = 999;
		assert_false(cirt_utf8_valid(s, sizeof(s), &bad));
		assert_int_equal(bad, at);
		/* é at the same place passes; cut in two, it does not */
		s[at] = (char)0xc3;
		s[at + 1] = (char)0xa9;
		assert_true(cirt_utf8_valid(s, sizeof(s), &bad));
		assert_false(cirt_utf8_valid(s, at + 1, &bad));
		assert_int_equal(bad, at);
		/* a stray continuation byte after the run */
		s[at] = (char)0xa9;
		assert_false(cirt_utf8_valid(s, sizeof(s), &bad));
		assert_int_equal(bad, at);
	}
}

static void test_hex_decode(void **state)
{
	unsigned char out[4];

	(void)state;
	assert_true(cirt_hex_decode("00fFa5", 6, out));
	assert_int_equal(out[0], 0x00);
	assert_int_equal(out[1], 0xff);
	assert_int_equal(out[2], 0xa5);
	assert_true(cirt_hex_decode("", 0, out));
	assert_false(cirt_hex_decode("abc", 3, out)); /* odd */
	assert_false(cirt_hex_decode("0g", 2, out));  /* not hex */
	assert_false(cirt_hex_decode("-1", 2, out));
	assert_false(cirt_hex_decode("a\0", 2, out));
}

/* One cirt_text_check_line() row: field "title", [min, max] bytes. */
struct line_row {
	const char *s;
	size_t len;
	size_t min, max;
	int rc;
	const char *msg; /* a fragment of the message when rc != 0 */
};

static void check_line_rows(const struct line_row *rows, size_t n)
{
	struct cirt_diag d;
	int rc;

	for (size_t i = 0; i < n; i++) {
		cirt_diag_init(&d);
		rc = cirt_text_check_line(rows[i].s, rows[i].len, rows[i].min,
					  rows[i].max, "title", &d);
		if (rc != rows[i].rc)
			fail_msg("row %zu: rc %d, want %d (%s)", i, rc,
				 rows[i].rc, d.message);
		if (rc == 0) {
			assert_int_equal(d.code, 0);
			continue;
		}
		assert_int_equal(d.code, rc);
		assert_string_equal(d.field, "title");
		if (strncmp(d.message, "title ", 6) != 0 ||
		    strstr(d.message, rows[i].msg) == NULL)
			fail_msg("row %zu: message \"%s\" lacks \"%s\"", i,
				 d.message, rows[i].msg);
	}
}

static void test_text_check_line_lengths(void **state)
{
	static const struct line_row rows[] = {
		{BYTES("a"), 2, 5, -CIRT_EINVAL, "2 to 5 bytes long, not 1"},
		{BYTES("ab"), 2, 5, 0, NULL},
		{BYTES("abcde"), 2, 5, 0, NULL},
		{BYTES("abcdef"), 2, 5, -CIRT_EINVAL, "not 6"},
		{BYTES(""), 0, 5, 0, NULL},
		{BYTES(""), 1, 5, -CIRT_EINVAL, "not 0"},
		/* lengths are bytes: é is 2, € is 3, 😀 is 4 */
		{BYTES("abc\xc3\xa9"), 1, 5, 0, NULL},
		{BYTES("abcd\xc3\xa9"), 1, 5, -CIRT_EINVAL, "not 6"},
		{BYTES("ab\xe2\x82\xac"), 1, 5, 0, NULL},
		{BYTES("abc\xe2\x82\xac"), 1, 5, -CIRT_EINVAL, "not 6"},
		{BYTES("a\xf0\x9f\x98\x80"), 1, 5, 0, NULL},
		{BYTES("ab\xf0\x9f\x98\x80"), 1, 5, -CIRT_EINVAL, "not 6"},
		{BYTES("\xc3\xa9"), 2, 5, 0, NULL}, /* one character */
		{BYTES("\xc3\xa9"), 3, 5, -CIRT_EINVAL, "not 2"},
		{BYTES("\xe2\x82\xac"), 3, 3, 0, NULL},
		{BYTES("\xe2\x82\xac"), 4, 8, -CIRT_EINVAL, "not 3"},
		{BYTES("\xe2\x82\xac"), 1, 2, -CIRT_EINVAL, "not 3"},
	};

	(void)state;
	check_line_rows(rows, CIRT_ARRAY_LEN(rows));
}

static void test_text_check_line_controls(void **state)
{
	static const struct line_row rows[] = {
		{BYTES("a\x01z"), 1, 64, -CIRT_EINVAL, "U+0001 at offset 1"},
		{BYTES("a\x00z"), 1, 64, -CIRT_EINVAL, "U+0000"},
		{BYTES("a\tz"), 1, 64, -CIRT_EINVAL, "U+0009"},
		{BYTES("a\nz"), 1, 64, -CIRT_EINVAL, "U+000A"},
		{BYTES("a\rz"), 1, 64, -CIRT_EINVAL, "U+000D"},
		{BYTES("ab\x1b[0m"), 1, 64, -CIRT_EINVAL, "U+001B at offset 2"},
		{BYTES("a\x1fz"), 1, 64, -CIRT_EINVAL, "U+001F"},
		{BYTES("a\x7fz"), 1, 64, -CIRT_EINVAL, "U+007F"}, /* DEL */
		{BYTES("a\xc2\x80z"), 1, 64, -CIRT_EINVAL, "U+0080"},
		{BYTES("a\xc2\x85z"), 1, 64, -CIRT_EINVAL, "U+0085"}, /* NEL */
		{BYTES("a\xc2\x9fz"), 1, 64, -CIRT_EINVAL, "U+009F"},
		{BYTES("\x01"), 1, 64, -CIRT_EINVAL, "at offset 0"},
		{BYTES("a\n"), 1, 64, -CIRT_EINVAL, "control characters"},
		/* the neighbours of the control ranges are fine */
		{BYTES("a\x20z"), 1, 64, 0, NULL},
		{BYTES("a~z"), 1, 64, 0, NULL},
		{BYTES("a\xc2\xa1z"), 1, 64, 0, NULL}, /* ¡ U+00A1 */
	};

	(void)state;
	check_line_rows(rows, CIRT_ARRAY_LEN(rows));
}

static void test_text_check_line_spaces(void **state)
{
	static const struct line_row rows[] = {
		{BYTES(" a"), 1, 64, -CIRT_EINVAL, "start or end"},
		{BYTES("a "), 1, 64, -CIRT_EINVAL, "start or end"},
		{BYTES(" "), 1, 64, -CIRT_EINVAL, "start or end"},
		{BYTES("  "), 1, 64, -CIRT_EINVAL, "start or end"},
		{BYTES("\xc2\xa0"
		       "a"),
		 1, 64, -CIRT_EINVAL, "start or end"},
		{BYTES("a\xc2\xa0"), 1, 64, -CIRT_EINVAL, "start or end"},
		{BYTES("\xe3\x80\x80"
		       "a"),
		 1, 64, -CIRT_EINVAL, "start"},
		{BYTES("a\xe3\x80\x80"), 1, 64, -CIRT_EINVAL, "end"},
		{BYTES("\xe2\x80\x82"
		       "a"),
		 1, 64, -CIRT_EINVAL, "start"},
		{BYTES("a\xe2\x80\x8b"), 1, 64, -CIRT_EINVAL, "end"},
		/* inner white space is fine */
		{BYTES("a b"), 1, 64, 0, NULL},
		{BYTES("a  b"), 1, 64, 0, NULL},
		{BYTES("Blue Team 2"), 1, 64, 0, NULL},
		{BYTES("a\xc2\xa0"
		       "b"),
		 1, 64, 0, NULL}, /* U+00A0 */
		{BYTES("a\xe3\x80\x80"
		       "b"),
		 1, 64, 0, NULL}, /* U+3000 */
	};

	(void)state;
	check_line_rows(rows, CIRT_ARRAY_LEN(rows));
}

static void test_text_check_line_bad_utf8(void **state)
{
	static const struct line_row rows[] = {
		{BYTES("ab\xc3"), 1, 64, -CIRT_EINVAL, "offset 2"},
		{BYTES("\xc0\xaf"), 1, 64, -CIRT_EINVAL, "not valid UTF-8"},
		{BYTES("a\xed\xa0\x80"), 1, 64, -CIRT_EINVAL, "offset 1"},
		{BYTES("\xff"), 1, 64, -CIRT_EINVAL, "offset 0"},
		{BYTES("\xf4\x90\x80\x80"), 1, 64, -CIRT_EINVAL, "UTF-8"},
	};

	(void)state;
	check_line_rows(rows, CIRT_ARRAY_LEN(rows));
}

static void test_text_check_line_null_diag(void **state)
{
	(void)state;
	assert_int_equal(cirt_text_check_line(" a", 2, 1, 64, "title", NULL),
			 -CIRT_EINVAL);
	assert_int_equal(cirt_text_check_line("a", 1, 1, 64, "title", NULL), 0);
}

/* One cirt_text_check_ident() row: field "user", max 64. */
struct ident_row {
	const char *s;
	size_t len;
	int rc;
};

static void test_text_check_ident_table(void **state)
{
	static const struct ident_row rows[] = {
		{BYTES("alice"), 0},
		{BYTES("a"), 0},
		{BYTES("0day"), 0},
		{BYTES("a.b_c@d-e"), 0},
		{BYTES("bob@example.org"), 0},
		{BYTES("a."), 0},
		{BYTES("z9-"), 0},
		{BYTES(""), -CIRT_EINVAL},
		{BYTES("Alice"), -CIRT_EINVAL},
		{BYTES("aLICE"), -CIRT_EINVAL},
		{BYTES(".a"), -CIRT_EINVAL},
		{BYTES("_a"), -CIRT_EINVAL},
		{BYTES("@a"), -CIRT_EINVAL},
		{BYTES("-a"), -CIRT_EINVAL},
		{BYTES("."), -CIRT_EINVAL},
		{BYTES("a b"), -CIRT_EINVAL},
		{BYTES("a/b"), -CIRT_EINVAL},
		{BYTES("a+b"), -CIRT_EINVAL},
		{BYTES("a:b"), -CIRT_EINVAL},
		{BYTES("a\x00"
		       "b"),
		 -CIRT_EINVAL},
		{BYTES("caf\xc3\xa9"), -CIRT_EINVAL}, /* "café" */
		{BYTES("a\n"), -CIRT_EINVAL},
	};
	struct cirt_diag d;
	int rc;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		cirt_diag_init(&d);
		rc = cirt_text_check_ident(rows[i].s, rows[i].len, 64, "user",
					   &d);
		if (rc != rows[i].rc)
			fail_msg("row %zu: rc %d, want %d", i, rc, rows[i].rc);
		if (rc < 0) {
			assert_int_equal(d.code, rc);
			assert_string_equal(d.field, "user");
			assert_true(strncmp(d.message, "user ", 5) == 0);
		}
	}
}

static void test_text_check_ident_length(void **state)
{
	char name[66];
	struct cirt_diag d;

	(void)state;
	memset(name, 'a', sizeof(name));
	cirt_diag_init(&d);
	assert_int_equal(cirt_text_check_ident(name, 63, 64, "user", &d), 0);
	assert_int_equal(cirt_text_check_ident(name, 64, 64, "user", &d), 0);
	assert_int_equal(cirt_text_check_ident(name, 65, 64, "user", &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "user");
	assert_non_null(strstr(d.message, "1 to 64"));
	assert_int_equal(cirt_text_check_ident(name, 66, 64, "user", NULL),
			 -CIRT_EINVAL);
}

static void test_text_check_ident_messages(void **state)
{
	struct cirt_diag d;

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(cirt_text_check_ident("abC", 3, 64, "login", &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "login");
	assert_non_null(strstr(d.message, "login may contain only"));
	assert_non_null(strstr(d.message, "offset 2"));
	cirt_diag_init(&d);
	assert_int_equal(cirt_text_check_ident("-ab", 3, 64, "login", &d),
			 -CIRT_EINVAL);
	assert_non_null(strstr(d.message, "login must start with"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid_table),
		cmocka_unit_test(test_utf8_valid_respects_len),
		cmocka_unit_test(test_utf8_valid_long_ascii),
		cmocka_unit_test(test_hex_decode),
		cmocka_unit_test(test_text_check_line_lengths),
		cmocka_unit_test(test_text_check_line_controls),
		cmocka_unit_test(test_text_check_line_spaces),
		cmocka_unit_test(test_text_check_line_bad_utf8),
		cmocka_unit_test(test_text_check_line_null_diag),
		cmocka_unit_test(test_text_check_ident_table),
		cmocka_unit_test(test_text_check_ident_length),
		cmocka_unit_test(test_text_check_ident_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
