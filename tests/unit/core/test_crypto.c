/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Core cryptographic helpers (core/crypto.c): SHA-256 against the FIPS
 * 180-2 test vectors ("", "abc", the 448-bit message, a million 'a'),
 * HMAC-SHA-256 against RFC 4231, hex encoding, the constant-time comparison's results, and that the
 * random generator fills its buffer and differs between calls.
 */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"

static void test_sha256_hex_vectors(void **state)
{
	static const struct {
		const char *in;
		const char *hex;
	} rows[] = {
		{"", "e3b0c44298fc1c149afbf4c8996fb924"
		     "27ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223"
			"b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039"
		 "a33ce45964ff2167f6ecedd419db06c1"},
	};
	char hex[CIRT_SHA256_HEX_LEN];

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		memset(hex, 'x', sizeof(hex));
		cirt_sha256_hex(rows[i].in, strlen(rows[i].in), hex);
		assert_string_equal(hex, rows[i].hex);
	}
}

static void test_sha256_million_a(void **state)
{
	const size_t n = 1000000;
	char hex[CIRT_SHA256_HEX_LEN];
	char *a = malloc(n);

	(void)state;
	assert_non_null(a);
	memset(a, 'a', n);
	cirt_sha256_hex(a, n, hex);
	free(a);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
				 "f1809a48a497200e046d39ccc7112cd0");
}

static void test_sha256_raw_bytes(void **state)
{
	/* SHA-256("abc"), big-endian words ba7816bf 8f01cfea ... */
	static const unsigned char want[CIRT_SHA256_LEN] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	unsigned char md[CIRT_SHA256_LEN];

	(void)state;
	cirt_sha256("abc", 3, md);
	assert_memory_equal(md, want, sizeof(want));
	/* embedded NUL bytes are hashed too */
	cirt_sha256("abc\0", 4, md);
	assert_memory_not_equal(md, want, sizeof(want));
}

/* RFC 4231 test cases 1, 2 and 6 (a key longer than the block). */
static void test_hmac_sha256_vectors(void **state)
{
	unsigned char key1[20], key6[131], md[CIRT_SHA256_LEN];
	char hex[CIRT_SHA256_HEX_LEN];
	static const char data6[] =
		"Test Using Larger Than Block-Size Key - Hash Key First";

	(void)state;
	memset(key1, 0x0b, sizeof(key1));
	memset(key6, 0xaa, sizeof(key6));
	cirt_hmac_sha256(key1, sizeof(key1), "Hi There", 8, md);
	cirt_hex_encode(md, sizeof(md), hex);
	assert_string_equal(hex, "b0344c61d8db38535ca8afceaf0bf12b"
				 "881dc200c9833da726e9376c2e32cff7");
	cirt_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, md);
	cirt_hex_encode(md, sizeof(md), hex);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c7"
				 "5a003f089d2739839dec58b964ec3843");
	cirt_hmac_sha256(key6, sizeof(key6), data6, sizeof(data6) - 1, md);
	cirt_hex_encode(md, sizeof(md), hex);
	assert_string_equal(hex, "60e431591ee0b67f0d8a26aacbf5b77f"
				 "8e0bc6213728c5140546040f0ee37f54");
}

static void test_hex_encode_table(void **state)
{
	/* 00 01 7f 80 ab ff */
	static const unsigned char bytes[] = {0x00, 0x01, 0x7f,
					      0x80, 0xab, 0xff};
	char out[2 * sizeof(bytes) + 2];

	(void)state;
	memset(out, 'Z', sizeof(out));
	cirt_hex_encode(bytes, sizeof(bytes), out);
	assert_string_equal(out, "00017f80abff");
	assert_int_equal(out[2 * sizeof(bytes) + 1], 'Z'); /* no overrun */
	memset(out, 'Z', sizeof(out));
	cirt_hex_encode(bytes, 0, out);
	assert_string_equal(out, "");
	assert_int_equal(out[1], 'Z');
	cirt_hex_encode(bytes + 5, 1, out);
	assert_string_equal(out, "ff");
}

static void test_ct_equal_table(void **state)
{
	static const struct {
		const char *a, *b;
		size_t n;
		bool eq;
	} rows[] = {
		{"abcdef", "abcdef", 6, true},
		{"abcdef", "xbcdef", 6, false}, /* first byte */
		{"abcdef", "abcdex", 6, false}, /* last byte */
		{"abcdef", "abcdeg", 6, false}, /* one bit: 'f' ^ 'g' == 1 */
		{"abcdef", "abcxxx", 3, true},	/* only n bytes count */
		{"abc", "xyz", 0, true},
		{"a\0b", "a\0c", 3, false},
	};

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++)
		if (cirt_ct_equal(rows[i].a, rows[i].b, rows[i].n) !=
		    rows[i].eq)
			fail_msg("row %zu", i);
}

static void test_random_bytes_differ(void **state)
{
	static const unsigned char zero[32];
	unsigned char a[32], b[32];

	(void)state;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	cirt_random_bytes(a, sizeof(a));
	cirt_random_bytes(b, sizeof(b));
	/* Each fails with probability 2^-256. */
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_memory_not_equal(b, zero, sizeof(b));
	cirt_random_bytes(a, 0);
}

static void test_random_bytes_fills_large(void **state)
{
	/* More than one getrandom() call may return; the tail gets filled. */
	const size_t n = 1 << 20;
	static const unsigned char zero[64];
	unsigned char *p = calloc(1, n);

	(void)state;
	assert_non_null(p);
	cirt_random_bytes(p, n);
	assert_memory_not_equal(p, zero, sizeof(zero));
	assert_memory_not_equal(p + n - sizeof(zero), zero, sizeof(zero));
	free(p);
}

/* The SipHash paper's example (Appendix A) and the reference code's
 * first vector: key 00..0f; messages 00..0e and empty. */
static void test_siphash_vectors(void **state)
{
	const uint64_t k0 = UINT64_C(0x0706050403020100);
	const uint64_t k1 = UINT64_C(0x0f0e0d0c0b0a0908);
	unsigned char m[15];

	(void)state;
	for (unsigned i = 0; i < sizeof m; i++)
		m[i] = (unsigned char)i;
	assert_true(cirt_siphash(k0, k1, 2, 4, m, sizeof m) ==
		    UINT64_C(0xa129ca6149be45e5));
	assert_true(cirt_siphash(k0, k1, 2, 4, m, 0) ==
		    UINT64_C(0x726fdb47dd0e0e31));
	/* Another key, another value; 1-3 differs from 2-4. */
	assert_true(cirt_siphash(k0, k1 ^ 1, 2, 4, m, sizeof m) !=
		    UINT64_C(0xa129ca6149be45e5));
	assert_true(cirt_siphash(k0, k1, 1, 3, m, sizeof m) !=
		    cirt_siphash(k0, k1, 2, 4, m, sizeof m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_hex_vectors),
		cmocka_unit_test(test_sha256_million_a),
		cmocka_unit_test(test_sha256_raw_bytes),
		cmocka_unit_test(test_hmac_sha256_vectors),
		cmocka_unit_test(test_hex_encode_table),
		cmocka_unit_test(test_ct_equal_table),
		cmocka_unit_test(test_random_bytes_differ),
		cmocka_unit_test(test_random_bytes_fills_large),
		cmocka_unit_test(test_siphash_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
