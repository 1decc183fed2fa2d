/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * IP addresses and prefixes (core/ip.c) and the longest-prefix match
 * (core/lpm.c):
 *  - parsing and formatting from one table of (input, flags, expected
 *    canonical text or refusal): IPv4, IPv6 in every notation (full,
 *    compressed, upper-case hex, IPv4-mapped), leading zeros and zone
 *    ids refused, prefixes /0 /32 /128, host bits refused unless loose
 *    and cleared when loose, lengths out of range, the input's length
 *    honoured; the output is RFC 5952 for IPv6 and dotted quad for IPv4;
 *  - prefix length, masking, containment, special-purpose ranges;
 *  - LPM: longest wins, nested prefixes, IPv4 and IPv6 kept apart, /0
 *    defaults, a value replaced, a prefix looked up as a key, and a
 *    property test: 100,000 random lookups over ~2,000 random prefixes
 *    of mixed lengths in both families, checked against a linear scan
 *    (fixed seed).
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ip.h"
#include "core/lpm.h"
#include "core/mem.h"

static struct cirt_ip ip_of(const char *s)
{
	struct cirt_ip ip;
	struct cirt_diag d;

	cirt_diag_init(&d);
	memset(&ip, 0, sizeof(ip));
	if (cirt_ip_parse(s, strlen(s), true, false, &ip, "ip", &d) < 0)
		fail_msg("\"%s\": %s", s, d.message);
	return ip;
}

/* ---- parse and format ---- */

enum {
	ADDR = 0,   /* one address only */
	PREFIX = 1, /* allow_prefix */
	LOOSE = 3,  /* allow_prefix and loose */
};

static const struct {
	const char *in;
	int flags;
	const char *out; /* canonical text, or NULL: refused */
} parse_rows[] = {
	/* IPv4 */
	{"192.0.2.1", ADDR, "192.0.2.1"},
	{"0.0.0.0", ADDR, "0.0.0.0"},
	{"255.255.255.255", ADDR, "255.255.255.255"},
	{"010.1.1.1", ADDR, NULL}, /* leading zero: octal elsewhere */
	{"1.2.3.04", ADDR, NULL},
	{"1.2.3", ADDR, NULL},
	{"1.2.3.4.5", ADDR, NULL},
	{"256.1.1.1", ADDR, NULL},
	{"1.2.3.-4", ADDR, NULL},
	{" 1.2.3.4", ADDR, NULL},
	{"1.2.3.4 ", ADDR, NULL},
	{"0x7f.0.0.1", ADDR, NULL},
	{"2130706433", ADDR, NULL}, /* 127.0.0.1 as one number */
	{"", ADDR, NULL},
	{"/", PREFIX, NULL},
	/* IPv6 */
	{"2001:db8::1", ADDR, "2001:db8::1"},
	{"2001:DB8::1", ADDR, "2001:db8::1"},
	{"2001:0db8:0000:0000:0000:0000:0000:0001", ADDR, "2001:db8::1"},
	{"2001:db8:0:0:1:0:0:1", ADDR, "2001:db8::1:0:0:1"},	/* 5952 4.2.3 */
	{"2001:db8:0:1:1:1:1:1", ADDR, "2001:db8:0:1:1:1:1:1"}, /* 4.2.2 */
	{"2001:db8::0:1", ADDR, "2001:db8::1"},
	{"2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:FFFF", ADDR,
	 "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff"},
	{"1:0:0:0:0:0:0:8", ADDR, "1::8"},
	{"0:0:0:0:0:0:0:0", ADDR, "::"},
	{"::", ADDR, "::"},
	{"::1", ADDR, "::1"},
	{"fe80::", ADDR, "fe80::"},
	{"2001:db8:1:0:0:0:0:0", ADDR, "2001:db8:1::"},
	{"::ffff:192.0.2.1", ADDR, "192.0.2.1"},
	{"::FFFF:192.0.2.1", ADDR, "192.0.2.1"},
	{"::ffff:c000:0201", ADDR, "192.0.2.1"},
	{"0:0:0:0:0:ffff:192.0.2.1", ADDR, "192.0.2.1"},
	{"fe80::1%eth0", ADDR, NULL}, /* zone ids */
	{"fe80::1%1", ADDR, NULL},
	{"2001:db8::1::2", ADDR, NULL},
	{"2001:db8:::1", ADDR, NULL},
	{"12345::", ADDR, NULL},
	{"g::1", ADDR, NULL},
	{"1:2:3:4:5:6:7:8:9", ADDR, NULL},
	{"[2001:db8::1]", ADDR, NULL},
	{"::ffff:01.2.3.4", ADDR, NULL},
	/* prefixes */
	{"192.0.2.0/24", ADDR, NULL}, /* no prefix allowed */
	{"192.0.2.0/24", PREFIX, "192.0.2.0/24"},
	{"0.0.0.0/0", PREFIX, "0.0.0.0/0"},
	{"192.0.2.1/32", PREFIX, "192.0.2.1"},
	{"10.0.0.0/8", PREFIX, "10.0.0.0/8"},
	{"192.0.2.0/33", PREFIX, NULL},
	{"2001:db8::/32", PREFIX, "2001:db8::/32"},
	{"2001:DB8:0:0::/48", PREFIX, "2001:db8::/48"},
	{"::/0", PREFIX, "::/0"},
	{"2001:db8::1/128", PREFIX, "2001:db8::1"},
	{"2001:db8::/129", PREFIX, NULL},
	{"192.0.2.1/24", PREFIX, NULL}, /* host bits */
	{"192.0.2.1/24", LOOSE, "192.0.2.0/24"},
	{"198.51.100.7/0", LOOSE, "0.0.0.0/0"},
	{"2001:db8::1/32", PREFIX, NULL},
	{"2001:db8::1/32", LOOSE, "2001:db8::/32"},
	{"2001:db8:ffff:ffff::/33", LOOSE, "2001:db8:8000::/33"},
	{"::1/0", LOOSE, "::/0"},
	{"192.0.2.255/31", LOOSE, "192.0.2.254/31"},
	{"192.0.2.0/", PREFIX, NULL},
	{"192.0.2.0/x", PREFIX, NULL},
	{"192.0.2.0/ 24", PREFIX, NULL},
	{"192.0.2.0/24 ", PREFIX, NULL},
	{"192.0.2.0/24/1", PREFIX, NULL},
	{"192.0.2.0/1234567", PREFIX, NULL},
	{"/24", PREFIX, NULL},
	{"::/-0", PREFIX, NULL},
	{"0.0.0.0/-0", PREFIX, NULL},
};

/* Check one row; false (after printing why) if it fails. */
static bool parse_row(size_t i)
{
	const char *in = parse_rows[i].in;
	int flags = parse_rows[i].flags;
	struct cirt_ip ip, again;
	struct cirt_diag d;
	char out[CIRT_IP_TEXT_MAX + 1];
	int rc;

	cirt_diag_init(&d);
	memset(&ip, 0xaa, sizeof(ip));
	rc = cirt_ip_parse(in, strlen(in), (flags & 1) != 0, (flags & 2) != 0,
			   &ip, "addr", &d);
	if (parse_rows[i].out == NULL) {
		cirt_ip_format(&ip, out);
		if (rc == -CIRT_EINVAL && strcmp(d.field, "addr") == 0 &&
		    d.message[0] != '\0')
			return true;
		printf("# row %zu \"%s\": want refused, got rc %d \"%s\"\n", i,
		       in, rc, rc == 0 ? out : d.message);
		return false;
	}
	if (rc != 0) {
		printf("# row %zu \"%s\": %s\n", i, in, d.message);
		return false;
	}
	cirt_ip_format(&ip, out);
	if (strcmp(out, parse_rows[i].out) != 0) {
		printf("# row %zu \"%s\": got \"%s\", want \"%s\"\n", i, in,
		       out, parse_rows[i].out);
		return false;
	}
	/* The canonical text reads back to the same thing. */
	if (cirt_ip_parse(out, strlen(out), true, false, &again, NULL, NULL) <
		    0 ||
	    memcmp(again.a, ip.a, 16) != 0 || again.len != ip.len) {
		printf("# row %zu \"%s\": \"%s\" does not read back\n", i, in,
		       out);
		return false;
	}
	return true;
}

static void test_ip_parse_table(void **state)
{
	size_t failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(parse_rows) / sizeof(parse_rows[0]); i++)
		failed += !parse_row(i);
	if (failed)
		fail_msg("%zu rows failed", failed);
}

/* Only s[0..n) is read, whatever follows. */
static void test_ip_parse_length(void **state)
{
	struct cirt_ip ip;
	char out[CIRT_IP_TEXT_MAX + 1];
	char big[200];

	(void)state;
	assert_int_equal(
		cirt_ip_parse("192.0.2.15", 9, false, false, &ip, NULL, NULL),
		0);
	cirt_ip_format(&ip, out);
	assert_string_equal(out, "192.0.2.1");
	assert_int_equal(cirt_ip_parse("192.0.2.0/24xyz", 12, true, false, &ip,
				       NULL, NULL),
			 0);
	cirt_ip_format(&ip, out);
	assert_string_equal(out, "192.0.2.0/24");
	assert_int_equal(
		cirt_ip_parse("2001:db8::1", 0, false, false, &ip, NULL, NULL),
		-CIRT_EINVAL);
	/* Long inputs are refused without reading past them. */
	memset(big, '1', sizeof(big));
	assert_int_equal(
		cirt_ip_parse(big, sizeof(big), true, true, &ip, "x", NULL),
		-CIRT_EINVAL);
	memset(big, ':', sizeof(big));
	assert_int_equal(
		cirt_ip_parse(big, sizeof(big), true, true, &ip, "x", NULL),
		-CIRT_EINVAL);
	big[0] = '1';
	big[1] = '/';
	assert_int_equal(
		cirt_ip_parse(big, sizeof(big), true, true, &ip, "x", NULL),
		-CIRT_EINVAL);
	/* The longest text fits CIRT_IP_TEXT_MAX. */
	ip = ip_of("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127");
	cirt_ip_format(&ip, out);
	assert_string_equal(out, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127");
	assert_true(strlen(out) <= CIRT_IP_TEXT_MAX);
}

/*
 * The IPv4-mapped notation with an IPv6 prefix length: "::ffff:192.0.2.0
 * /120" is the IPv4 /24. Whatever the code decides (read it so, or refuse
 * it), it must not become the single address 192.0.2.0.
 */
static void test_ip_parse_mapped_prefix(void **state)
{
	struct cirt_ip ip;
	char out[CIRT_IP_TEXT_MAX + 1];
	const char *in = "::ffff:192.0.2.0/120";
	int rc;

	(void)state;
	rc = cirt_ip_parse(in, strlen(in), true, false, &ip, "x", NULL);
	if (rc == 0) {
		cirt_ip_format(&ip, out);
		if (strcmp(out, "192.0.2.0/24") != 0)
			fail_msg("\"%s\" read as \"%s\"", in, out);
	}
	in = "::ffff:192.0.2.7/120";
	rc = cirt_ip_parse(in, strlen(in), true, false, &ip, "x", NULL);
	if (rc == 0) {
		cirt_ip_format(&ip, out);
		fail_msg("\"%s\" (host bits) accepted as \"%s\"", in, out);
	}
}

static void test_ip_is_v4_and_prefix_len(void **state)
{
	static const struct {
		const char *in;
		bool v4;
		unsigned len;
	} rows[] = {
		{"192.0.2.1", true, 32},     {"192.0.2.0/24", true, 24},
		{"0.0.0.0/0", true, 0},	     {"::ffff:1.2.3.4", true, 32},
		{"2001:db8::1", false, 128}, {"2001:db8::/48", false, 48},
		{"::/0", false, 0},	     {"::1", false, 128},
	};
	struct cirt_ip ip;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ip = ip_of(rows[i].in);
		if (cirt_ip_is_v4(&ip) != rows[i].v4 ||
		    cirt_ip_prefix_len(&ip) != rows[i].len)
			fail_msg("%s: v4 %d len %u", rows[i].in,
				 cirt_ip_is_v4(&ip), cirt_ip_prefix_len(&ip));
	}
	ip = ip_of("192.0.2.0/24");
	assert_int_equal(ip.len, 120); /* in the 128-bit space */
}

static void test_ip_mask(void **state)
{
	struct cirt_ip ip = ip_of("2001:db8:abcd:1234::1");
	char out[CIRT_IP_TEXT_MAX + 1];

	(void)state;
	cirt_ip_mask(&ip, 40);
	cirt_ip_format(&ip, out);
	assert_string_equal(out, "2001:db8:ab00::/40");
	ip = ip_of("192.0.2.77");
	cirt_ip_mask(&ip, 96 + 28);
	cirt_ip_format(&ip, out);
	assert_string_equal(out, "192.0.2.64/28");
	ip = ip_of("2001:db8::1");
	cirt_ip_mask(&ip, 500); /* clamped */
	assert_int_equal(ip.len, 128);
	cirt_ip_format(&ip, out);
	assert_string_equal(out, "2001:db8::1");
	cirt_ip_mask(&ip, 0);
	cirt_ip_format(&ip, out);
	assert_string_equal(out, "::/0");
}

static void test_ip_contains(void **state)
{
	static const struct {
		const char *prefix, *addr;
		bool in;
	} rows[] = {
		{"192.0.2.0/24", "192.0.2.0", true},
		{"192.0.2.0/24", "192.0.2.255", true},
		{"192.0.2.0/24", "192.0.3.0", false},
		{"192.0.2.0/24", "192.0.1.255", false},
		{"192.0.2.0/24", "192.0.2.128/25", true},
		{"192.0.2.0/24", "192.0.2.0/24", true},
		{"192.0.2.0/24", "192.0.2.0/23", false},
		{"192.0.2.1", "192.0.2.1", true},
		{"192.0.2.1", "192.0.2.2", false},
		{"0.0.0.0/0", "203.0.113.9", true},
		{"0.0.0.0/0", "2001:db8::1", false},
		{"10.0.0.0/8", "a00::1", false},
		{"10.0.0.0/8", "::ffff:10.9.8.7", true},
		{"::/0", "2001:db8::1", true},
		{"2001:db8::/32", "2001:db8:ffff::1", true},
		{"2001:db8::/32", "2001:db9::", false},
		{"2001:db8::/32", "2001:db8::/31", false},
		{"2001:db8::/32", "2001:db8:1::/48", true},
		{"2001:db8::1", "2001:db8::1", true},
		{"fe80::/10", "febf::1", true},
		{"fe80::/10", "fec0::1", false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cirt_ip p = ip_of(rows[i].prefix);
		struct cirt_ip a = ip_of(rows[i].addr);

		if (cirt_ip_contains(&p, &a) != rows[i].in)
			fail_msg("%s contains %s: %d", rows[i].prefix,
				 rows[i].addr, !rows[i].in);
	}
}

static void test_ip_is_special(void **state)
{
	static const struct {
		const char *addr;
		bool special;
	} rows[] = {
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"172.31.255.255", true},
		{"172.32.0.1", false},
		{"192.168.1.1", true},
		{"127.0.0.1", true},
		{"169.254.1.1", true},
		{"100.64.0.1", true},
		{"100.128.0.1", false},
		{"192.0.2.1", true},
		{"198.51.100.1", true},
		{"203.0.113.1", true},
		{"198.18.0.1", true},
		{"224.0.0.1", true},
		{"239.255.255.255", true},
		{"255.255.255.255", true},
		{"0.0.0.0", true},
		{"8.8.8.8", false},
		{"1.1.1.1", false},
		{"193.0.14.129", false},
		{"::", true},
		{"::1", true},
		{"fe80::1", true},
		{"fc00::1", true},
		{"fd12:3456::1", true},
		{"ff02::1", true},
		{"2001:db8::1", true},
		{"2001:4860:4860::8888", false},
		{"2a00:1450:4001::1", false},
		{"::ffff:10.0.0.1", true},
		{"::ffff:8.8.8.8", false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cirt_ip a = ip_of(rows[i].addr);

		if (cirt_ip_is_special(&a) != rows[i].special)
			fail_msg("%s: special %d", rows[i].addr,
				 !rows[i].special);
	}
}

/* ---- longest-prefix match ---- */

static void lpm_add_text(struct cirt_lpm *t, const char *p, uint64_t v)
{
	struct cirt_ip ip = ip_of(p);

	cirt_lpm_add(t, &ip, v);
}

/* The value found for addr, 0 if none; *len its user-visible length. */
static uint64_t lpm_get(const struct cirt_lpm *t, const char *addr,
			unsigned *len)
{
	struct cirt_ip ip = ip_of(addr);
	uint64_t v = 0;
	unsigned l = 999;

	if (!cirt_lpm_find(t, &ip, &v, &l))
		return 0;
	if (len)
		*len = l;
	return v;
}

static void test_lpm_longest_wins(void **state)
{
	struct cirt_lpm *t = cirt_lpm_new();
	unsigned len = 0;

	(void)state;
	assert_false(cirt_lpm_find(t, &(struct cirt_ip){{0}, 128},
				   &(uint64_t){0}, NULL));
	assert_int_equal(cirt_lpm_count(t), 0);
	lpm_add_text(t, "10.0.0.0/8", 1);
	lpm_add_text(t, "10.1.0.0/16", 2);
	lpm_add_text(t, "10.1.2.0/24", 3);
	lpm_add_text(t, "10.1.2.3/32", 4);
	lpm_add_text(t, "10.1.2.128/25", 5);
	assert_int_equal(cirt_lpm_count(t), 5);
	assert_int_equal(lpm_get(t, "10.200.0.1", &len), 1);
	assert_int_equal(len, 96 + 8);
	assert_int_equal(lpm_get(t, "10.1.200.1", &len), 2);
	assert_int_equal(len, 96 + 16);
	assert_int_equal(lpm_get(t, "10.1.2.4", NULL), 3);
	assert_int_equal(lpm_get(t, "10.1.2.3", &len), 4);
	assert_int_equal(len, 128);
	assert_int_equal(lpm_get(t, "10.1.2.200", NULL), 5);
	assert_int_equal(lpm_get(t, "11.0.0.1", NULL), 0);
	assert_int_equal(lpm_get(t, "9.255.255.255", NULL), 0);
	/* A prefix as the key: the longest range containing all of it. */
	assert_int_equal(lpm_get(t, "10.1.2.0/25", NULL), 3);
	assert_int_equal(lpm_get(t, "10.1.2.128/26", NULL), 5);
	assert_int_equal(lpm_get(t, "10.1.0.0/16", NULL), 2);
	assert_int_equal(lpm_get(t, "10.0.0.0/7", NULL), 0);
	cirt_lpm_free(t);
	cirt_lpm_free(NULL);
}

static void test_lpm_families_apart(void **state)
{
	struct cirt_lpm *t = cirt_lpm_new();

	(void)state;
	lpm_add_text(t, "10.0.0.0/8", 1);
	lpm_add_text(t, "a00::/8", 2); /* the same leading bits */
	lpm_add_text(t, "2001:db8::/32", 3);
	lpm_add_text(t, "2001:db8:1::/48", 4);
	assert_int_equal(lpm_get(t, "10.1.2.3", NULL), 1);
	assert_int_equal(lpm_get(t, "::ffff:10.1.2.3", NULL), 1);
	assert_int_equal(lpm_get(t, "a00::5", NULL), 2);
	assert_int_equal(lpm_get(t, "a01::5", NULL), 2);
	assert_int_equal(lpm_get(t, "2001:db8:1:2::3", NULL), 4);
	assert_int_equal(lpm_get(t, "2001:db8:2::3", NULL), 3);
	assert_int_equal(lpm_get(t, "32.1.13.184", NULL), 0); /* 2001:db8 */
	assert_int_equal(lpm_get(t, "8.8.8.8", NULL), 0);
	/* Defaults: the IPv4 one is longer in the shared space, so IPv4
	 * addresses never fall to the IPv6 default. */
	lpm_add_text(t, "::/0", 5);
	assert_int_equal(lpm_get(t, "2a00::1", NULL), 5);
	lpm_add_text(t, "0.0.0.0/0", 6);
	assert_int_equal(lpm_get(t, "8.8.8.8", NULL), 6);
	assert_int_equal(lpm_get(t, "2a00::1", NULL), 5);
	assert_int_equal(lpm_get(t, "10.9.9.9", NULL), 1);
	assert_int_equal(cirt_lpm_count(t), 6);
	cirt_lpm_free(t);
}

static void test_lpm_replace(void **state)
{
	struct cirt_lpm *t = cirt_lpm_new();
	struct cirt_ip loose;

	(void)state;
	lpm_add_text(t, "192.0.2.0/24", 1);
	lpm_add_text(t, "192.0.2.0/24", 2);
	assert_int_equal(cirt_lpm_count(t), 1);
	assert_int_equal(lpm_get(t, "192.0.2.9", NULL), 2);
	/* A prefix given with host bits is the same prefix. */
	assert_int_equal(cirt_ip_parse("192.0.2.0/24", 12, true, false, &loose,
				       NULL, NULL),
			 0);
	loose.a[15] = 7;
	cirt_lpm_add(t, &loose, 3);
	assert_int_equal(cirt_lpm_count(t), 1);
	assert_int_equal(lpm_get(t, "192.0.2.9", NULL), 3);
	/* Value 0 is a value like any other. */
	lpm_add_text(t, "198.51.100.0/24", 0);
	{
		struct cirt_ip a = ip_of("198.51.100.1");
		uint64_t v = 99;

		assert_true(cirt_lpm_find(t, &a, &v, NULL));
		assert_int_equal(v, 0);
	}
	/* Growth: many prefixes of one length. */
	for (unsigned i = 0; i < 5000; i++) {
		char p[32];

		snprintf(p, sizeof(p), "10.%u.%u.0/24", i >> 8, i & 255);
		lpm_add_text(t, p, 1000 + i);
	}
	assert_int_equal(cirt_lpm_count(t), 5002);
	for (unsigned i = 0; i < 5000; i += 7) {
		char a[32];

		snprintf(a, sizeof(a), "10.%u.%u.77", i >> 8, i & 255);
		assert_int_equal(lpm_get(t, a, NULL), 1000 + i);
	}
	cirt_lpm_free(t);
}

/* The property test: a fixed-seed generator (rand() is banned). */
static uint64_t seed;

static uint64_t next(void)
{
	seed = seed * UINT64_C(6364136223846793005) +
	       UINT64_C(1442695040888963407);
	return seed >> 16;
}

#define NPREFIX 2000
#define NLOOKUP 100000

struct naive {
	struct cirt_ip p[NPREFIX];
	uint64_t v[NPREFIX];
	size_t n;
};

/* A random address: near the ones the prefixes use, so that lookups hit
 * nested ranges and fall between them, or (wide) anywhere in its
 * family, so that most miss. */
static struct cirt_ip random_addr(bool v4, bool wide)
{
	static const unsigned char first[] = {10, 192, 198, 203};
	struct cirt_ip ip;

	memset(&ip, 0, sizeof(ip));
	ip.len = 128;
	for (int i = 0; i < 16; i++)
		ip.a[i] = (unsigned char)next();
	if (v4) {
		memset(ip.a, 0, 10);
		ip.a[10] = ip.a[11] = 0xff;
		if (wide)
			return ip;
		ip.a[12] = first[next() % 4];
		if (next() % 2)
			ip.a[13] = (unsigned char)(next() % 4);
	} else if (!wide) {
		ip.a[0] = 0x20;
		ip.a[1] = 0x01;
		ip.a[2] = 0x0d;
		ip.a[3] = (unsigned char)(0xb8 + next() % 2);
		if (next() % 2)
			ip.a[4] = (unsigned char)(next() % 4);
	}
	return ip;
}

/* Lengths /4 to /32 for IPv4, /8 to /128 for IPv6 (the /0 defaults are
 * tested above: here they would leave nothing to miss). */
static struct cirt_ip random_prefix(void)
{
	bool v4 = next() % 2;
	struct cirt_ip ip = random_addr(v4, false);
	unsigned len;

	if (v4)
		len = 96 + 4 + (unsigned)(next() % 29);
	else
		len = 8 + (unsigned)(next() % 121);
	cirt_ip_mask(&ip, len);
	return ip;
}

static void naive_add(struct naive *nv, const struct cirt_ip *p, uint64_t v)
{
	for (size_t i = 0; i < nv->n; i++) {
		if (nv->p[i].len == p->len &&
		    memcmp(nv->p[i].a, p->a, 16) == 0) {
			nv->v[i] = v;
			return;
		}
	}
	nv->p[nv->n] = *p;
	nv->v[nv->n++] = v;
}

/* Does prefix p contain address a? Written apart from cirt_ip_contains. */
static bool naive_in(const struct cirt_ip *p, const struct cirt_ip *a)
{
	unsigned whole = p->len / 8, bits = p->len % 8;

	if (memcmp(p->a, a->a, whole) != 0)
		return false;
	if (bits == 0)
		return true;
	return ((p->a[whole] ^ a->a[whole]) & (0xff00 >> bits) & 0xff) == 0;
}

static bool naive_find(const struct naive *nv, const struct cirt_ip *a,
		       uint64_t *v, unsigned *len)
{
	int best = -1;

	for (size_t i = 0; i < nv->n; i++)
		if (naive_in(&nv->p[i], a) &&
		    (best < 0 || nv->p[i].len > nv->p[best].len))
			best = (int)i;
	if (best < 0)
		return false;
	*v = nv->v[best];
	*len = nv->p[best].len;
	return true;
}

static void test_lpm_matches_linear_scan(void **state)
{
	struct naive *nv = cirt_xcalloc(1, sizeof(*nv));
	struct cirt_lpm *t = cirt_lpm_new();
	size_t hits = 0, v4hits = 0;

	(void)state;
	seed = 20261120;
	for (uint64_t i = 0; i < NPREFIX; i++) {
		struct cirt_ip p = random_prefix();
		uint64_t v = 1 + next() % 1000000;

		naive_add(nv, &p, v);
		cirt_lpm_add(t, &p, v);
	}
	assert_int_equal(cirt_lpm_count(t), nv->n);
	for (uint64_t i = 0; i < NLOOKUP; i++) {
		struct cirt_ip a = random_addr(next() % 2, next() % 4 == 0);
		uint64_t want = 0, got = 0;
		unsigned wlen = 0, glen = 0;
		bool w = naive_find(nv, &a, &want, &wlen);
		bool g = cirt_lpm_find(t, &a, &got, &glen);

		if (w != g || want != got || wlen != glen) {
			char text[CIRT_IP_TEXT_MAX + 1];

			cirt_ip_format(&a, text);
			fail_msg("lookup %llu of %s: lpm %d %llu /%u, scan %d "
				 "%llu /%u",
				 (unsigned long long)i, text, g,
				 (unsigned long long)got, glen, w,
				 (unsigned long long)want, wlen);
		}
		hits += w;
		v4hits += w && cirt_ip_is_v4(&a);
	}
	/* The generator must exercise hits in both families and misses. */
	assert_true(hits > NLOOKUP / 10);
	assert_true(hits < NLOOKUP);
	assert_true(v4hits > 0 && v4hits < hits);
	cirt_lpm_free(t);
	free(nv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_parse_table),
		cmocka_unit_test(test_ip_parse_length),
		cmocka_unit_test(test_ip_parse_mapped_prefix),
		cmocka_unit_test(test_ip_is_v4_and_prefix_len),
		cmocka_unit_test(test_ip_mask),
		cmocka_unit_test(test_ip_contains),
		cmocka_unit_test(test_ip_is_special),
		cmocka_unit_test(test_lpm_longest_wins),
		cmocka_unit_test(test_lpm_families_apart),
		cmocka_unit_test(test_lpm_replace),
		cmocka_unit_test(test_lpm_matches_linear_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
