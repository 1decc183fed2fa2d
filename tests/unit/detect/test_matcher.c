/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The indicator matcher (detect/matcher.c), against its contract in
 * detect/matcher.h. Most checks are rows of (values added, value looked
 * up, set of sources expected), one table per kind:
 *  - IP: IPv4 exact; IPv6 in every notation (compressed, full, leading
 *    zeros, upper-case hex, embedded IPv4), IPv4-mapped the same as IPv4,
 *    IPv4-compatible and NAT64 forms not; zone ids refused; ranges with
 *    their first, last, previous and next addresses, /32 and /128 as
 *    addresses, host bits cleared, nested ranges all matching, ranges
 *    across several /24 blocks, IPv6 ranges, and IPv6 ranges over the
 *    IPv4-mapped block never matching IPv4 addresses;
 *  - domains: exact and subdomains on a label boundary only, case, one
 *    trailing dot, IDN both ways, invalid names refused;
 *  - URLs: the canonical form (scheme and host case, default ports, empty
 *    path, fragment) and what it keeps (path case, query bytes, percent
 *    escapes, other paths and hosts);
 *  - hashes of the three kinds in either case, wrong lengths refused;
 *  - e-mail addresses: case, angle brackets, IDN domain;
 *  - kinds kept apart when the same text is valid for two kinds;
 *  - no fixed difference between two values makes their fingerprints
 *    equal whatever the snapshot's key.
 * Then the drops (too-broad ranges, special-purpose ranges, allowed
 * networks and domains) with their reasons, several sources for one
 * value with their fields and id text, a refs array too small, the empty
 * matcher, the info counters, the kind and reason names, the length
 * limit and the input's length honoured.
 *
 * Rows use documentation addresses and names, which are special-purpose
 * ranges: the builders here do not drop those, except where a test says.
 * No row lists a name of one label (a top-level domain): the matcher may
 * leave public suffixes out.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ip.h"
#include "core/tlp.h"
#include "detect/matcher.h"

#define MAX_ADD	 5
#define REFUSED	 (-1) /* want: the lookup refuses the value */
#define NO_MATCH (-2) /* want: no match, or refused (either is right) */

/* One row: values of one kind added (the source of add[i] is file line
 * i + 1), a value looked up, and the expected sources as a bit mask (bit
 * i for add[i]) or REFUSED or NO_MATCH. */
struct row {
	const char *add[MAX_ADD];
	const char *look;
	int want;
};

static struct cirt_ioc_src file_src(int64_t line)
{
	struct cirt_ioc_src s;

	memset(&s, 0, sizeof(s));
	s.origin = CIRT_IOC_FILE;
	s.key = line;
	s.tlp = CIRT_TLP_GREEN;
	s.confidence = 50;
	return s;
}

/* Look v up in m as kind k; the result as a mask of file lines (bit
 * line - 1), or the lookup's negative return. Fails on a source that is
 * not a file line of 1..MAX_ADD or is returned twice. */
static int lookup_mask(const struct cirt_matcher *m, enum cirt_ioc_kind k,
		       const char *v)
{
	uint32_t refs[16];
	int n = cirt_matcher_lookup(m, k, v, strlen(v), refs, 16);
	int mask = 0;

	if (n < 0)
		return n;
	assert_true(n <= 16);
	for (int i = 0; i < n; i++) {
		struct cirt_ioc_src s;

		cirt_matcher_src(m, refs[i], &s);
		if (s.origin != CIRT_IOC_FILE || s.key < 1 || s.key > MAX_ADD)
			fail_msg("\"%s\": source %d is not a row's value", v,
				 i);
		if (mask & (1 << (int)(s.key - 1)))
			fail_msg("\"%s\": source line %lld returned twice", v,
				 (long long)s.key);
		mask |= 1 << (int)(s.key - 1);
	}
	return mask;
}

static bool want_ok(int want, int got)
{
	if (want == NO_MATCH)
		return got == 0 || got == -1;
	return got == want;
}

/* Run rows of kind k, each on a fresh matcher; every failing row is
 * printed, then the test fails once. */
static void run_rows(enum cirt_ioc_kind k, const struct row *rows, size_t n)
{
	size_t bad = 0;

	for (size_t r = 0; r < n; r++) {
		struct cirt_matcher_builder *b =
			cirt_matcher_builder_new(false);
		struct cirt_matcher *m;
		int got;

		assert_non_null(b);
		for (int i = 0; i < MAX_ADD && rows[r].add[i]; i++) {
			struct cirt_ioc_src s = file_src(i + 1);
			struct cirt_diag d;
			int rc;

			cirt_diag_init(&d);
			rc = cirt_matcher_add(b, k, rows[r].add[i],
					      strlen(rows[r].add[i]), &s, NULL,
					      &d);
			if (rc != 1) {
				print_error("%s row %zu: add \"%s\" returned "
					    "%d (%s)\n",
					    cirt_ioc_kind_name(k), r,
					    rows[r].add[i], rc, d.message);
				bad++;
			}
		}
		m = cirt_matcher_build(b);
		assert_non_null(m);
		got = lookup_mask(m, k, rows[r].look);
		if (!want_ok(rows[r].want, got)) {
			print_error("%s row %zu: add \"%s\"%s, look up \"%s\": "
				    "want %d, got %d\n",
				    cirt_ioc_kind_name(k), r, rows[r].add[0],
				    rows[r].add[1] ? " ..." : "", rows[r].look,
				    rows[r].want, got);
			bad++;
		}
		cirt_matcher_free(m);
	}
	if (bad)
		fail_msg("%zu failures in %zu %s rows", bad, n,
			 cirt_ioc_kind_name(k));
}

/* Values of kind k that cirt_matcher_add must refuse with -CIRT_EINVAL
 * and a message; each is then also refused by a lookup. */
static void run_refused(enum cirt_ioc_kind k, const char *const *vals, size_t n)
{
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(false);
	struct cirt_matcher *m;
	size_t bad = 0;

	assert_non_null(b);
	for (size_t i = 0; i < n; i++) {
		struct cirt_ioc_src s = file_src(1);
		struct cirt_diag d;
		int rc;

		cirt_diag_init(&d);
		rc = cirt_matcher_add(b, k, vals[i], strlen(vals[i]), &s, NULL,
				      &d);
		if (rc != -CIRT_EINVAL || d.code != -CIRT_EINVAL ||
		    d.message[0] == '\0') {
			print_error("%s: add \"%s\" returned %d (diag %d "
				    "\"%s\"), want -CIRT_EINVAL\n",
				    cirt_ioc_kind_name(k), vals[i], rc, d.code,
				    d.message);
			bad++;
		}
	}
	m = cirt_matcher_build(b);
	assert_non_null(m);
	for (size_t i = 0; i < n; i++) {
		int got = lookup_mask(m, k, vals[i]);

		if (got != -1) {
			print_error("%s: look up \"%s\" returned %d, want -1\n",
				    cirt_ioc_kind_name(k), vals[i], got);
			bad++;
		}
	}
	cirt_matcher_free(m);
	if (bad)
		fail_msg("%zu failures", bad);
}

#define RUN_ROWS(k, rows) run_rows(k, rows, sizeof(rows) / sizeof(rows[0]))
#define RUN_REFUSED(k, vals) \
	run_refused(k, vals, sizeof(vals) / sizeof(vals[0]))

/* ---- IP addresses ---- */

static const struct row ip_rows[] = {
	/* IPv4 exact */
	{{"192.0.2.1"}, "192.0.2.1", 1},
	{{"192.0.2.1"}, "192.0.2.2", 0},
	{{"192.0.2.1"}, "192.0.2.0", 0},
	{{"192.0.2.1"}, "192.0.3.1", 0},
	{{"192.0.2.1", "192.0.2.1"}, "192.0.2.1", 3},
	{{"192.0.2.1", "192.0.2.2"}, "192.0.2.2", 2},
	{{"192.0.2.1/32"}, "192.0.2.1", 1},
	{{"192.0.2.1/32"}, "192.0.2.2", 0},
	/* the ends of the IPv4 space */
	{{"0.0.0.0"}, "0.0.0.0", 1},
	{{"0.0.0.0", "0.0.0.0"}, "0.0.0.0", 3},
	{{"0.0.0.0"}, "0.0.0.1", 0},
	{{"0.0.0.1"}, "0.0.0.0", 0},
	{{"0.0.0.0"}, "::", 0},
	{{"255.255.255.255"}, "255.255.255.255", 1},
	{{"255.255.255.255"}, "::ffff:ffff:ffff", 1},
	{{"255.255.255.255"}, "255.255.255.254", 0},
	/* IPv4-mapped IPv6 is the IPv4 address, both ways */
	{{"192.0.2.1"}, "::ffff:192.0.2.1", 1},
	{{"192.0.2.1"}, "::ffff:c000:201", 1},
	{{"192.0.2.1"}, "::FFFF:C000:0201", 1},
	{{"192.0.2.1"}, "0:0:0:0:0:ffff:192.0.2.1", 1},
	{{"::ffff:192.0.2.1"}, "192.0.2.1", 1},
	{{"::ffff:c000:201", "192.0.2.1"}, "::ffff:192.0.2.1", 3},
	/* other embedded forms are IPv6 addresses of their own */
	{{"192.0.2.1"}, "::192.0.2.1", 0},	  /* IPv4-compatible */
	{{"192.0.2.1"}, "64:ff9b::192.0.2.1", 0}, /* NAT64 */
	{{"::192.0.2.1"}, "192.0.2.1", 0},
	{{"2001:db8::c000:201"}, "2001:db8::192.0.2.1", 1},
	{{"2001:db8::192.0.2.1"}, "2001:db8::c000:201", 1},
	{{"2001:db8::192.0.2.1"}, "192.0.2.1", 0},
	/* IPv6 notations */
	{{"2001:db8::1"}, "2001:db8::1", 1},
	{{"2001:db8::1"}, "2001:0db8::0001", 1},
	{{"2001:0db8::0001"}, "2001:db8::1", 1},
	{{"2001:db8::1"}, "2001:0db8:0000:0000:0000:0000:0000:0001", 1},
	{{"2001:db8::1"}, "2001:db8:0:0:0:0:0:1", 1},
	{{"2001:db8::1"}, "2001:DB8::1", 1},
	{{"2001:DB8::ABCD"}, "2001:db8::abcd", 1},
	{{"2001:db8::abcd"}, "2001:DB8:0::ABCD", 1},
	{{"2001:db8:0:0:1:0:0:1"}, "2001:db8::1:0:0:1", 1},
	{{"2001:db8::1:0:0:1"}, "2001:db8:0:0:1::1", 1},
	{{"2001:db8::1"}, "2001:db8::2", 0},
	{{"2001:db8::1"}, "2001:db8::1:0", 0},
	{{"2001:db8::1"}, "2001:db9::1", 0},
	{{"2001:db8::1/128"}, "2001:db8::1", 1},
	{{"2001:db8::1", "2001:0DB8::1", "2001:db8::1/128"}, "2001:db8::1", 7},
	/* IPv4 and IPv6 kept apart */
	{{"192.0.2.1"}, "2001:db8::c000:201", 0},
	{{"::c000:201"}, "192.0.2.1", 0},
	/* invalid lookups; zone ids refused */
	{{"2001:db8::1"}, "2001:db8::1%eth0", REFUSED},
	{{"2001:db8::1"}, "2001:db8::1%1", REFUSED},
	{{"192.0.2.1"}, "192.0.2.256", REFUSED},
	{{"192.0.2.1"}, "192.0.2", REFUSED},
	{{"192.0.2.1"}, "192.0.2.01", REFUSED},
	{{"192.0.2.1"}, "192.0.2.1.5", REFUSED},
	{{"192.0.2.1"}, "", REFUSED},
	{{"192.0.2.1"}, "example.com", REFUSED},
	{{"2001:db8::1"}, "2001:db8:::1", REFUSED},
	{{"2001:db8::1"}, "2001:db8::1::1", REFUSED},
	{{"2001:db8::1"}, "2001:db8:0:0:0:0:0:0:1", REFUSED},
	{{"2001:db8::1"}, "2001:db8::10000", REFUSED},
};

static void test_lookup_ip_addresses(void **state)
{
	(void)state;
	RUN_ROWS(CIRT_IOC_IP, ip_rows);
}

static const struct row range_rows[] = {
	/* a /24: first and last inside, the neighbours outside */
	{{"198.51.100.0/24"}, "198.51.100.0", 1},
	{{"198.51.100.0/24"}, "198.51.100.255", 1},
	{{"198.51.100.0/24"}, "198.51.100.77", 1},
	{{"198.51.100.0/24"}, "198.51.99.255", 0},
	{{"198.51.100.0/24"}, "198.51.101.0", 0},
	{{"198.51.100.0/24"}, "::ffff:198.51.100.9", 1},
	{{"::ffff:198.51.100.0/120"}, "198.51.100.9", 1},
	{{"::ffff:198.51.100.0/120"}, "198.51.101.9", 0},
	/* host bits in the indicator cleared ("loose") */
	{{"198.51.100.77/24"}, "198.51.100.0", 1},
	{{"198.51.100.77/24"}, "198.51.100.255", 1},
	{{"198.51.100.77/24"}, "198.51.101.77", 0},
	{{"198.51.100.0/24", "198.51.100.5/24"}, "198.51.100.200", 3},
	{{"198.51.100.0/24", "198.51.100.0/24"}, "198.51.100.200", 3},
	/* nested ranges and an exact address: every one matches */
	{{"198.51.100.0/24", "198.51.100.128/25", "198.51.100.200"},
	 "198.51.100.200",
	 7},
	{{"198.51.100.0/24", "198.51.100.128/25", "198.51.100.200"},
	 "198.51.100.201",
	 3},
	{{"198.51.100.0/24", "198.51.100.128/25", "198.51.100.200"},
	 "198.51.100.128",
	 3},
	{{"198.51.100.0/24", "198.51.100.128/25", "198.51.100.200"},
	 "198.51.100.127",
	 1},
	{{"198.51.100.0/24", "198.51.100.128/25", "198.51.100.200"},
	 "198.51.101.200",
	 0},
	{{"198.51.100.128/25", "198.51.100.0/24", "198.51.0.0/16",
	  "198.0.0.0/8", "198.51.100.130/31"},
	 "198.51.100.131",
	 31},
	{{"198.51.100.128/25", "198.51.100.0/24", "198.51.0.0/16",
	  "198.0.0.0/8", "198.51.100.130/31"},
	 "198.51.7.1",
	 12},
	{{"198.51.100.0/25", "198.51.100.128/25"}, "198.51.100.127", 1},
	{{"198.51.100.0/25", "198.51.100.128/25"}, "198.51.100.128", 2},
	/* narrow ranges */
	{{"192.0.2.0/31"}, "192.0.2.0", 1},
	{{"192.0.2.0/31"}, "192.0.2.1", 1},
	{{"192.0.2.0/31"}, "192.0.2.2", 0},
	{{"192.0.2.4/30"}, "192.0.2.3", 0},
	{{"192.0.2.4/30"}, "192.0.2.7", 1},
	{{"192.0.2.4/30"}, "192.0.2.8", 0},
	/* ranges over several /24 blocks */
	{{"203.0.112.0/22"}, "203.0.112.0", 1},
	{{"203.0.112.0/22"}, "203.0.115.255", 1},
	{{"203.0.112.0/22"}, "203.0.111.255", 0},
	{{"203.0.112.0/22"}, "203.0.116.0", 0},
	{{"198.51.0.0/16"}, "198.51.255.255", 1},
	{{"198.51.0.0/16"}, "198.52.0.0", 0},
	{{"198.0.0.0/9"}, "198.127.255.255", 1},
	{{"198.0.0.0/9"}, "198.128.0.0", 0},
	{{"198.0.0.0/8"}, "198.0.0.0", 1},
	{{"198.0.0.0/8"}, "198.255.255.255", 1},
	{{"198.0.0.0/8"}, "197.255.255.255", 0},
	{{"198.0.0.0/8"}, "199.0.0.0", 0},
	/* IPv6 ranges */
	{{"2001:db8:1::/48"}, "2001:db8:1::", 1},
	{{"2001:db8:1::/48"}, "2001:db8:1:ffff:ffff:ffff:ffff:ffff", 1},
	{{"2001:db8:1::/48"}, "2001:db8:0:ffff:ffff:ffff:ffff:ffff", 0},
	{{"2001:db8:1::/48"}, "2001:db8:2::", 0},
	{{"2001:db8:1::/48"}, "2001:DB8:0001:0000::1", 1},
	{{"2001:db8:1::9/48"}, "2001:db8:1::5", 1},
	{{"2001:db8::/127"}, "2001:db8::1", 1},
	{{"2001:db8::/127"}, "2001:db8::2", 0},
	{{"2001:db8::/32", "2001:db8:1::/48", "2001:db8:1:2::/64",
	  "2001:db8:1:2::5"},
	 "2001:db8:1:2::5",
	 15},
	{{"2001:db8::/32", "2001:db8:1::/48", "2001:db8:1:2::/64",
	  "2001:db8:1:2::5"},
	 "2001:db8:1:2::6",
	 7},
	{{"2001:db8::/32", "2001:db8:1::/48", "2001:db8:1:2::/64",
	  "2001:db8:1:2::5"},
	 "2001:db8:1:3::",
	 3},
	{{"2001:db8::/32", "2001:db8:1::/48", "2001:db8:1:2::/64",
	  "2001:db8:1:2::5"},
	 "2001:db8:ffff::",
	 1},
	{{"2001:db8::/32", "2001:db8:1::/48", "2001:db8:1:2::/64",
	  "2001:db8:1:2::5"},
	 "2001:db9::",
	 0},
	{{"2001:db8::/32"}, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 1},
	{{"2001:db8::/32"}, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", 0},
	/* ranges of one family never match the other */
	{{"2001:db8::/32"}, "192.0.2.1", 0},
	{{"192.0.2.0/24"}, "2001:db8::c000:201", 0},
	{{"192.0.2.0/24"}, "::c000:201", 0},
};

static void test_lookup_ip_ranges(void **state)
{
	(void)state;
	RUN_ROWS(CIRT_IOC_IP, range_rows);
}

/*
 * IPv6 ranges whose addresses include the IPv4-mapped block ::ffff:0:0/96
 * (::/32, ::/80, ::fffe:0:0/95). Matching IPv4 addresses with them would
 * make them IPv4 /0 ranges, which the too-broad rule exists to refuse, so
 * they may be dropped as too broad or kept as IPv6 ranges, but an IPv4
 * address never matches them, whatever other ranges are listed (an IPv4
 * range in the same /24 must not change the answer).
 */
static void test_ip_v6_range_over_v4(void **state)
{
	static const char *const wide[] = {"::/32", "::/80", "::ffff:0:0/95"};
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++) {
		for (int with_v4 = 0; with_v4 < 2; with_v4++) {
			struct cirt_matcher_builder *b =
				cirt_matcher_builder_new(false);
			struct cirt_ioc_src s = file_src(1);
			struct cirt_matcher *m;
			int rc, got, got_in;

			rc = cirt_matcher_add(b, CIRT_IOC_IP, wide[i],
					      strlen(wide[i]), &s, NULL, NULL);
			assert_true(rc == 0 || rc == 1);
			s.key = 2;
			if (with_v4)
				assert_int_equal(
					cirt_matcher_add(b, CIRT_IOC_IP,
							 "192.0.2.128/25", 14,
							 &s, NULL, NULL),
					1);
			m = cirt_matcher_build(b);
			got = lookup_mask(m, CIRT_IOC_IP, "192.0.2.1");
			got_in = lookup_mask(m, CIRT_IOC_IP, "192.0.2.200");
			if (got != 0 || got_in != (with_v4 ? 2 : 0)) {
				print_error("\"%s\" (added: %d)%s: 192.0.2.1 "
					    "matches %d, want 0; 192.0.2.200 "
					    "matches %d, want %d\n",
					    wide[i], rc,
					    with_v4 ? " and 192.0.2.128/25"
						    : "",
					    got, got_in, with_v4 ? 2 : 0);
				bad++;
			}
			cirt_matcher_free(m);
		}
	}
	if (bad)
		fail_msg("%zu failures", bad);
}

static const char *const ip_refused[] = {
	"",
	"192.0.2.256",
	"192.0.2",
	"192.0.2.01",
	"192.0.2.1/33",
	"192.0.2.0/",
	"192.0.2.0/-1",
	"192.0.2.0/x",
	"192.0.2.0/24/24",
	"2001:db8::/129",
	"2001:db8::1%eth0", /* zone ids */
	"fe80::1%1",
	"2001:db8::1::1",
	"example.com",
};

static void test_add_ip_refused(void **state)
{
	(void)state;
	RUN_REFUSED(CIRT_IOC_IP, ip_refused);
}

/* cirt_matcher_lookup_ip on a parsed address is a CIRT_IOC_IP lookup. */
static void test_lookup_ip_parsed(void **state)
{
	static const char *const adds[] = {"198.51.100.0/24", "198.51.100.9",
					   "2001:db8::/48"};
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(false);
	struct cirt_matcher *m;
	struct cirt_ip ip;
	uint32_t refs[4];

	(void)state;
	for (int i = 0; i < 3; i++) {
		struct cirt_ioc_src s = file_src(i + 1);

		assert_int_equal(cirt_matcher_add(b, CIRT_IOC_IP, adds[i],
						  strlen(adds[i]), &s, NULL,
						  NULL),
				 1);
	}
	m = cirt_matcher_build(b);
	assert_non_null(m);
	assert_int_equal(cirt_ip_parse("::ffff:198.51.100.9", 19, false, false,
				       &ip, NULL, NULL),
			 0);
	assert_int_equal(cirt_matcher_lookup_ip(m, &ip, refs, 4), 2);
	assert_int_equal(cirt_ip_parse("198.51.100.10", 13, false, false, &ip,
				       NULL, NULL),
			 0);
	assert_int_equal(cirt_matcher_lookup_ip(m, &ip, refs, 4), 1);
	assert_int_equal(cirt_ip_parse("2001:db8::77", 12, false, false, &ip,
				       NULL, NULL),
			 0);
	assert_int_equal(cirt_matcher_lookup_ip(m, &ip, refs, 4), 1);
	assert_int_equal(cirt_ip_parse("2001:db8:1::", 12, false, false, &ip,
				       NULL, NULL),
			 0);
	assert_int_equal(cirt_matcher_lookup_ip(m, &ip, refs, 4), 0);
	cirt_matcher_free(m);
}

/* ---- what the builder drops ---- */

struct drop_row {
	enum cirt_ioc_kind kind;
	const char *v;
	int rc;			/* 1 added, 0 dropped */
	enum cirt_ioc_drop why; /* when dropped */
	const char *inside;	/* an address inside it, looked up after */
};

/* Add each row to b, check the return and the reason, build, and look up
 * each row's inside address: found (1) when the row was added. */
static void run_drops(struct cirt_matcher_builder *b,
		      const struct drop_row *rows, size_t n)
{
	struct cirt_matcher *m;
	size_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		struct cirt_ioc_src s = file_src((int64_t)i + 1);
		enum cirt_ioc_drop why = CIRT_IOC_DROP_REASONS;
		struct cirt_diag d;
		int rc;

		cirt_diag_init(&d);
		rc = cirt_matcher_add(b, rows[i].kind, rows[i].v,
				      strlen(rows[i].v), &s, &why, &d);
		if (rc != rows[i].rc || (rc == 0 && why != rows[i].why)) {
			print_error("add \"%s\": want %d (%s), got %d (%s) "
				    "%s\n",
				    rows[i].v, rows[i].rc,
				    rows[i].rc
					    ? "added"
					    : cirt_ioc_drop_name(rows[i].why),
				    rc,
				    rc == 0 && why < CIRT_IOC_DROP_REASONS
					    ? cirt_ioc_drop_name(why)
					    : "-",
				    d.message);
			bad++;
		}
	}
	m = cirt_matcher_build(b);
	assert_non_null(m);
	for (size_t i = 0; i < n; i++) {
		uint32_t refs[64];
		int got, found = 0;

		if (!rows[i].inside)
			continue;
		got = cirt_matcher_lookup(m, rows[i].kind, rows[i].inside,
					  strlen(rows[i].inside), refs, 64);
		for (int j = 0; j < got && j < 64; j++) {
			struct cirt_ioc_src s;

			cirt_matcher_src(m, refs[j], &s);
			if (s.key == (int64_t)i + 1)
				found = 1;
		}
		if (found != rows[i].rc) {
			print_error("look up \"%s\" (inside \"%s\"): found "
				    "%d, want %d\n",
				    rows[i].inside, rows[i].v, found,
				    rows[i].rc);
			bad++;
		}
	}
	cirt_matcher_free(m);
	if (bad)
		fail_msg("%zu failures", bad);
}

#define RUN_DROPS(b, rows) run_drops(b, rows, sizeof(rows) / sizeof(rows[0]))

static const struct drop_row broad_rows[] = {
	{CIRT_IOC_IP, "198.0.0.0/7", 0, CIRT_IOC_DROP_BROAD, "198.1.2.3"},
	{CIRT_IOC_IP, "198.51.100.7/7", 0, CIRT_IOC_DROP_BROAD, "199.1.2.3"},
	{CIRT_IOC_IP, "0.0.0.0/0", 0, CIRT_IOC_DROP_BROAD, "203.0.113.1"},
	{CIRT_IOC_IP, "128.0.0.0/1", 0, CIRT_IOC_DROP_BROAD, "203.0.113.2"},
	{CIRT_IOC_IP, "192.0.0.0/8", 1, 0, "192.255.0.1"},
	{CIRT_IOC_IP, "2001:db8::/31", 0, CIRT_IOC_DROP_BROAD, "2001:db9::1"},
	{CIRT_IOC_IP, "::/0", 0, CIRT_IOC_DROP_BROAD, "3fff::1"},
	{CIRT_IOC_IP, "2000::/3", 0, CIRT_IOC_DROP_BROAD, "2a00::1"},
	{CIRT_IOC_IP, "2001:db8::/32", 1, 0, "2001:db8:ffff::1"},
	/* IPv4-mapped: the length counts in IPv4 terms */
	{CIRT_IOC_IP, "::ffff:100.0.0.0/103", 0, CIRT_IOC_DROP_BROAD,
	 "101.2.3.4"},
	{CIRT_IOC_IP, "::ffff:100.0.0.0/104", 1, 0, "100.2.3.4"},
};

static void test_drop_too_broad(void **state)
{
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(false);

	(void)state;
	assert_non_null(b);
	RUN_DROPS(b, broad_rows);
}

/* With allow_special, the special-purpose ranges are dropped; their
 * neighbours (outside the documentation ranges) are kept. */
static const struct drop_row special_rows[] = {
	{CIRT_IOC_IP, "10.0.0.1", 0, CIRT_IOC_DROP_SPECIAL, "10.0.0.1"},
	{CIRT_IOC_IP, "::ffff:10.0.0.1", 0, CIRT_IOC_DROP_SPECIAL, NULL},
	{CIRT_IOC_IP, "192.168.0.0/16", 0, CIRT_IOC_DROP_SPECIAL,
	 "192.168.1.1"},
	{CIRT_IOC_IP, "127.0.0.1", 0, CIRT_IOC_DROP_SPECIAL, "127.0.0.1"},
	{CIRT_IOC_IP, "192.0.2.1", 0, CIRT_IOC_DROP_SPECIAL, "192.0.2.1"},
	{CIRT_IOC_IP, "198.51.100.0/25", 0, CIRT_IOC_DROP_SPECIAL,
	 "198.51.100.3"},
	{CIRT_IOC_IP, "203.0.113.255", 0, CIRT_IOC_DROP_SPECIAL,
	 "203.0.113.255"},
	{CIRT_IOC_IP, "224.0.0.1", 0, CIRT_IOC_DROP_SPECIAL, "224.0.0.1"},
	{CIRT_IOC_IP, "::1", 0, CIRT_IOC_DROP_SPECIAL, "::1"},
	{CIRT_IOC_IP, "fe80::1", 0, CIRT_IOC_DROP_SPECIAL, "fe80::1"},
	{CIRT_IOC_IP, "2001:db8::1", 0, CIRT_IOC_DROP_SPECIAL, "2001:db8::1"},
	{CIRT_IOC_IP, "2001:db8:5::/48", 0, CIRT_IOC_DROP_SPECIAL,
	 "2001:db8:5::1"},
	{CIRT_IOC_IP, "fd00::1", 0, CIRT_IOC_DROP_SPECIAL, "fd00::1"},
	/* just outside the documentation ranges */
	{CIRT_IOC_IP, "203.0.114.1", 1, 0, "203.0.114.1"},
	{CIRT_IOC_IP, "203.0.112.255", 1, 0, "203.0.112.255"},
	{CIRT_IOC_IP, "2001:db9::1", 1, 0, "2001:db9::1"},
	/* names are not addresses */
	{CIRT_IOC_DOMAIN, "example.com", 1, 0, "www.example.com"},
};

static void test_drop_special(void **state)
{
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(true);

	(void)state;
	assert_non_null(b);
	RUN_DROPS(b, special_rows);
}

/* Without allow_special, the same values are kept. */
static void test_keep_special(void **state)
{
	struct drop_row rows[sizeof(special_rows) / sizeof(special_rows[0])];
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(false);

	(void)state;
	assert_non_null(b);
	memcpy(rows, special_rows, sizeof(rows));
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		rows[i].rc = 1;
	RUN_DROPS(b, rows);
}

/* With the special ranges allowed, a special address in a log is not
 * looked up at all: a listed range around it does not match it. */
static void test_special_not_looked_up(void **state)
{
	static const struct cirt_ioc_src src = {.origin = CIRT_IOC_FILE,
						.key = 1};
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(true);
	struct cirt_matcher *m;
	uint32_t refs[4];

	(void)state;
	assert_int_equal(cirt_matcher_add(b, CIRT_IOC_IP, "192.0.0.0/8", 11,
					  &src, NULL, NULL),
			 1);
	m = cirt_matcher_build(b);
	assert_int_equal(
		cirt_matcher_lookup(m, CIRT_IOC_IP, "192.0.3.1", 9, refs, 4),
		1);
	assert_int_equal(
		cirt_matcher_lookup(m, CIRT_IOC_IP, "192.168.1.1", 11, refs, 4),
		0);
	assert_int_equal(
		cirt_matcher_lookup(m, CIRT_IOC_IP, "192.0.2.1", 9, refs, 4),
		0);
	cirt_matcher_free(m);
}

static const struct drop_row network_rows[] = {
	{CIRT_IOC_IP, "198.51.100.7", 0, CIRT_IOC_DROP_NETWORK, "198.51.100.7"},
	{CIRT_IOC_IP, "::ffff:198.51.100.8", 0, CIRT_IOC_DROP_NETWORK,
	 "198.51.100.8"},
	{CIRT_IOC_IP, "198.51.100.128/25", 0, CIRT_IOC_DROP_NETWORK,
	 "198.51.100.129"},
	{CIRT_IOC_IP, "198.51.100.0/24", 0, CIRT_IOC_DROP_NETWORK,
	 "198.51.100.1"},
	{CIRT_IOC_IP, "198.51.101.7", 1, 0, "198.51.101.7"},
	{CIRT_IOC_IP, "198.51.99.255", 1, 0, "198.51.99.255"},
	/* wider than the allowed network: not inside it */
	{CIRT_IOC_IP, "198.51.0.0/16", 1, 0, "198.51.0.1"},
	{CIRT_IOC_IP, "192.0.2.1", 0, CIRT_IOC_DROP_NETWORK, "192.0.2.1"},
	{CIRT_IOC_IP, "192.0.2.2", 1, 0, "192.0.2.2"},
	{CIRT_IOC_IP, "2001:db8:1::5", 0, CIRT_IOC_DROP_NETWORK,
	 "2001:db8:1::5"},
	{CIRT_IOC_IP, "2001:db8:1:2::/64", 0, CIRT_IOC_DROP_NETWORK,
	 "2001:db8:1:2::1"},
	{CIRT_IOC_IP, "2001:db8:2::5", 1, 0, "2001:db8:2::5"},
};

static void test_drop_allowed_network(void **state)
{
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(false);
	struct cirt_diag d;

	(void)state;
	assert_non_null(b);
	cirt_diag_init(&d);
	assert_int_equal(cirt_matcher_allow_ip(b, "198.51.100.0/24", 15, &d),
			 0);
	assert_int_equal(cirt_matcher_allow_ip(b, "192.0.2.1", 9, &d), 0);
	assert_int_equal(cirt_matcher_allow_ip(b, "2001:db8:1::/48", 15, &d),
			 0);
	assert_int_equal(cirt_matcher_allow_ip(b, "not an address", 14, &d),
			 -CIRT_EINVAL);
	assert_int_equal(d.code, -CIRT_EINVAL);
	assert_string_equal(d.field, "allow");
	cirt_diag_init(&d);
	assert_int_equal(cirt_matcher_allow_ip(b, "192.0.2.1/33", 12, &d),
			 -CIRT_EINVAL);
	RUN_DROPS(b, network_rows);
}

static const struct drop_row domain_allow_rows[] = {
	{CIRT_IOC_DOMAIN, "example.org", 0, CIRT_IOC_DROP_DOMAIN, NULL},
	{CIRT_IOC_DOMAIN, "EXAMPLE.org.", 0, CIRT_IOC_DROP_DOMAIN, NULL},
	{CIRT_IOC_DOMAIN, "example.net", 0, CIRT_IOC_DROP_DOMAIN, NULL},
	/* the allow-list names one domain, not its subdomains */
	{CIRT_IOC_DOMAIN, "evil.example.org", 1, 0, "a.evil.example.org"},
	{CIRT_IOC_DOMAIN, "example.org.example.com", 1, 0,
	 "example.org.example.com"},
	{CIRT_IOC_DOMAIN, "xample.org", 1, 0, "a.xample.org"},
};

static void test_drop_allowed_domain(void **state)
{
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(false);
	struct cirt_matcher *m;
	struct cirt_diag d;
	struct cirt_ioc_src s = file_src(1);
	uint32_t refs[4];

	(void)state;
	assert_non_null(b);
	cirt_diag_init(&d);
	assert_int_equal(cirt_matcher_allow_domain(b, "example.org", 11, &d),
			 0);
	assert_int_equal(cirt_matcher_allow_domain(b, "EXAMPLE.net.", 12, &d),
			 0);
	assert_int_equal(cirt_matcher_allow_domain(b, "exa mple.com", 12, &d),
			 -CIRT_EINVAL);
	assert_int_equal(d.code, -CIRT_EINVAL);
	RUN_DROPS(b, domain_allow_rows);

	/* example.org itself is not listed: looking it up or a sibling of
	 * evil.example.org finds nothing */
	b = cirt_matcher_builder_new(false);
	assert_int_equal(cirt_matcher_allow_domain(b, "example.org", 11, NULL),
			 0);
	assert_int_equal(cirt_matcher_add(b, CIRT_IOC_DOMAIN, "example.org", 11,
					  &s, NULL, NULL),
			 0);
	assert_int_equal(cirt_matcher_add(b, CIRT_IOC_DOMAIN,
					  "evil.example.org", 16, &s, NULL,
					  NULL),
			 1);
	m = cirt_matcher_build(b);
	assert_int_equal(cirt_matcher_lookup(m, CIRT_IOC_DOMAIN, "example.org",
					     11, refs, 4),
			 0);
	assert_int_equal(cirt_matcher_lookup(m, CIRT_IOC_DOMAIN,
					     "www.example.org", 15, refs, 4),
			 0);
	assert_int_equal(cirt_matcher_lookup(m, CIRT_IOC_DOMAIN,
					     "evil.example.org", 16, refs, 4),
			 1);
	cirt_matcher_free(m);
	/* the refusal names the allow-list, as for addresses */
	assert_string_equal(d.field, "allow");
}

/* ---- domain names ---- */

/* A name of n bytes: labels of 63 'a' (and a shorter last one). */
static char *long_name(size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = i % 64 == 63 ? '.' : 'a';
	if (s[n - 1] == '.')
		s[n - 1] = 'b';
	s[n] = '\0';
	return s;
}

static const struct row domain_rows[] = {
	/* exact and subdomains, on a label boundary only */
	{{"example.com"}, "example.com", 1},
	{{"example.com"}, "www.example.com", 1},
	{{"example.com"}, "a.b.example.com", 1},
	{{"example.com"}, "badexample.com", 0},
	{{"example.com"}, "wwwexample.com", 0},
	{{"example.com"}, "xample.com", 0},
	{{"example.com"}, "example.com.evil.net", 0},
	{{"example.com"}, "example.co", 0},
	{{"example.com"}, "com", 0},
	{{"example.com"}, "example.net", 0},
	{{"www.example.com"}, "example.com", 0},
	{{"www.example.com"}, "mail.example.com", 0},
	{{"www.example.com"}, "x.www.example.com", 1},
	/* every listed parent matches */
	{{"example.com", "www.example.com", "x.www.example.com"},
	 "y.x.www.example.com",
	 7},
	{{"example.com", "www.example.com", "x.www.example.com"},
	 "x.www.example.com",
	 7},
	{{"example.com", "www.example.com", "x.www.example.com"},
	 "a.www.example.com",
	 3},
	{{"example.com", "www.example.com", "x.www.example.com"},
	 "example.com",
	 1},
	{{"example.com", "www.example.com", "x.www.example.com"},
	 "x.example.com",
	 1},
	{{"example.com", "www.example.com", "x.www.example.com"},
	 "x.www.example.net",
	 0},
	{{"example.com", "Example.Com", "example.com."}, "example.com", 7},
	/* letter case */
	{{"Example.COM"}, "www.example.com", 1},
	{{"example.com"}, "WWW.EXAMPLE.COM", 1},
	{{"EXAMPLE.COM"}, "Www.Example.Com", 1},
	/* one trailing dot, in the indicator and in the looked-up value */
	{{"example.com."}, "example.com", 1},
	{{"example.com."}, "www.example.com", 1},
	{{"example.com"}, "example.com.", 1},
	{{"example.com"}, "www.example.com.", 1},
	{{"example.com."}, "example.com.", 1},
	{{"example.com"}, "example.com..", REFUSED},
	/* IDN: bücher.example is xn--bcher-kva.example */
	{{"b\xc3\xbc"
	  "cher.example"},
	 "xn--bcher-kva.example",
	 1},
	{{"xn--bcher-kva.example"},
	 "b\xc3\xbc"
	 "cher.example",
	 1},
	{{"b\xc3\xbc"
	  "cher.example"},
	 "www.b\xc3\xbc"
	 "cher.example",
	 1},
	{{"xn--bcher-kva.example"},
	 "shop.b\xc3\xbc"
	 "cher.example",
	 1},
	{{"b\xc3\xbc"
	  "cher.example"},
	 "B\xc3\x9c" /* BÜCHER.example */
	 "CHER.example",
	 1},
	{{"B\xc3\x9c"
	  "CHER.EXAMPLE"},
	 "xn--bcher-kva.example",
	 1},
	{{"b\xc3\xbc"
	  "cher.example"},
	 "bucher.example",
	 0},
	{{"XN--BCHER-KVA.example"}, "xn--bcher-kva.example", 1},
	/* underscores and digits */
	{{"_dmarc.example.com"}, "_dmarc.example.com", 1},
	{{"example.com"}, "_dmarc.example.com", 1},
	{{"192.0.2.1.example.com"}, "192.0.2.1.example.com", 1},
	{{"x1-2.example.com"}, "a.x1-2.example.com", 1},
	/* invalid looked-up names */
	{{"example.com"}, "", REFUSED},
	{{"example.com"}, ".", REFUSED},
	{{"example.com"}, "exa mple.com", REFUSED},
	{{"example.com"}, ".example.com", REFUSED},
	{{"example.com"}, "www..example.com", REFUSED},
	{{"example.com"}, "www/example.com", REFUSED},
	{{"example.com"}, "www.example.com/", REFUSED},
	{{"example.com"}, "user@example.com", REFUSED},
	{{"example.com"}, "http://example.com", REFUSED},
	{{"example.com"}, "exa\x01mple.com", REFUSED},
};

static void test_lookup_domain(void **state)
{
	(void)state;
	RUN_ROWS(CIRT_IOC_DOMAIN, domain_rows);
}

/* Names at the length limits: labels of 63 bytes and names of 253 bytes
 * (254 with one trailing dot) are valid; 64 and 254 are not. */
static void test_domain_lengths(void **state)
{
	char label63[80], label64[80], x_label63[90];
	char *n253 = long_name(253), *n254 = long_name(254);
	char *n253dot = malloc(255);
	struct row rows[6];

	(void)state;
	assert_non_null(n253dot);
	memset(label63, 'a', 63);
	memcpy(label63 + 63, ".com", 5);
	memset(label64, 'a', 64);
	memcpy(label64 + 64, ".com", 5);
	snprintf(x_label63, sizeof(x_label63), "x.%s", label63);
	memcpy(n253dot, n253, 253);
	memcpy(n253dot + 253, ".", 2);
	memset(rows, 0, sizeof(rows));
	rows[0] = (struct row){{label63}, label63, 1};
	rows[1] = (struct row){{label63}, x_label63, 1};
	rows[2] = (struct row){{label63}, label64, REFUSED};
	rows[3] = (struct row){{n253}, n253, 1};
	rows[4] = (struct row){{n253dot}, n253, 1};
	rows[5] = (struct row){{label63}, n254, REFUSED};
	run_rows(CIRT_IOC_DOMAIN, rows, 6);
	{
		const char *bad[] = {label64, n254};

		run_refused(CIRT_IOC_DOMAIN, bad, 2);
	}
	free(n253);
	free(n254);
	free(n253dot);
}

static const char *const domain_refused[] = {
	"",
	".",
	"..",
	"example.com..",
	".example.com",
	"www..example.com",
	"exa mple.com",
	"exa\tmple.com",
	"www/example.com",
	"example.com:80",
	"user@example.com",
	"http://example.com/",
	"exa\x01mple.com",
	"exa*mple.com",
};

static void test_add_domain_refused(void **state)
{
	(void)state;
	RUN_REFUSED(CIRT_IOC_DOMAIN, domain_refused);
}

/* ---- URLs ---- */

static const struct row url_rows[] = {
	/* scheme and host case; path case matters */
	{{"http://www.example.com/Path"}, "HTTP://WWW.Example.COM/Path", 1},
	{{"HTTP://WWW.Example.COM/Path"}, "http://www.example.com/Path", 1},
	{{"http://www.example.com/Path"}, "http://www.example.com/path", 0},
	{{"http://www.example.com/Path"}, "http://www.example.com/PATH", 0},
	/* the default port dropped, any other kept */
	{{"http://example.com:80/a"}, "http://example.com/a", 1},
	{{"http://example.com/a"}, "http://example.com:80/a", 1},
	{{"https://example.com:443/a"}, "https://example.com/a", 1},
	{{"https://example.com/a"}, "HTTPS://example.com:443/a", 1},
	{{"http://example.com:8080/a"}, "http://example.com:8080/a", 1},
	{{"http://example.com:8080/a"}, "http://example.com/a", 0},
	{{"http://example.com/a"}, "http://example.com:8080/a", 0},
	{{"https://example.com/a"}, "https://example.com:80/a", 0},
	{{"http://example.com/a"}, "http://example.com:443/a", 0},
	/* an empty path is "/" */
	{{"http://example.com"}, "http://example.com/", 1},
	{{"http://example.com/"}, "http://example.com", 1},
	{{"http://example.com:80"}, "http://example.com/", 1},
	{{"http://example.com"}, "http://example.com/a", 0},
	/* the fragment dropped */
	{{"http://example.com/a#frag"}, "http://example.com/a", 1},
	{{"http://example.com/a"}, "http://example.com/a#frag", 1},
	{{"http://example.com/a#one"}, "http://example.com/a#two", 1},
	{{"http://example.com/a?q=1#frag"}, "http://example.com/a?q=1", 1},
	{{"http://example.com#frag"}, "http://example.com/", 1},
	/* the query kept byte for byte */
	{{"http://example.com/a?x=1&y=2"}, "http://example.com/a?x=1&y=2", 1},
	{{"http://example.com/a?x=1&y=2"}, "http://example.com/a?y=2&x=1", 0},
	{{"http://example.com/a?x=1&y=2"}, "http://example.com/a?X=1&y=2", 0},
	{{"http://example.com/a?x=1&y=2"}, "http://example.com/a", 0},
	{{"http://example.com/a"}, "http://example.com/a?", 0},
	{{"http://example.com/a?x=%20"}, "http://example.com/a?x=+", 0},
	/* percent-encoding not decoded */
	{{"http://example.com/%41"}, "http://example.com/%41", 1},
	{{"http://example.com/%41"}, "http://example.com/A", 0},
	{{"http://example.com/A"}, "http://example.com/%41", 0},
	{{"http://example.com/%41"}, "http://example.com/%61", 0},
	/* IDN host */
	{{"http://b\xc3\xbc"
	  "cher.example/x"},
	 "http://xn--bcher-kva.example/x",
	 1},
	{{"http://xn--bcher-kva.example/x"},
	 "http://B\xc3\x9c"
	 "CHER.example/x",
	 1},
	/* address hosts */
	{{"http://[2001:db8::1]/x"}, "http://[2001:DB8:0::1]/x", 1},
	{{"http://192.0.2.1/x"}, "http://192.0.2.1:80/x", 1},
	/* another path, host or scheme is another URL */
	{{"http://example.com/a"}, "http://example.com/a/b", 0},
	{{"http://example.com/a"}, "http://example.com/", 0},
	{{"http://example.com/a"}, "http://example.com/a/", 0},
	{{"http://example.com/a"}, "http://www.example.com/a", 0},
	{{"http://example.com/a"}, "http://example.net/a", 0},
	{{"http://example.com/a"}, "https://example.com/a", 0},
	{{"http://example.com/a", "HTTP://EXAMPLE.com:80/a#f",
	  "http://example.com/b"},
	 "http://example.com/a",
	 3},
	/* not URLs */
	{{"http://example.com/a"}, "example.com/a", REFUSED},
	{{"http://example.com/a"}, "", REFUSED},
	{{"http://example.com/a"}, "://example.com/a", REFUSED},
	{{"http://example.com/a"}, "http://exa mple.com/a", REFUSED},
	{{"http://example.com/a"}, "http://[2001:db8::1/a", REFUSED},
};

static void test_lookup_url(void **state)
{
	(void)state;
	RUN_ROWS(CIRT_IOC_URL, url_rows);
}

static const char *const url_refused[] = {
	"",
	"example.com/a",
	"://example.com/",
	"ht tp://example.com/",
	"http://exa mple.com/",
	"http://[2001:db8::1/",
	"http://.example.com/",
};

static void test_add_url_refused(void **state)
{
	(void)state;
	RUN_REFUSED(CIRT_IOC_URL, url_refused);
}

/* ---- hashes ---- */

#define MD5  "d41d8cd98f00b204e9800998ecf8427e"
#define SHA1 "da39a3ee5e6b4b0d3255bfef95601890afd80709"
#define SHA256                                                            \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85" \
	"5"

static const struct row md5_rows[] = {
	{{MD5}, MD5, 1},
	{{MD5}, "D41D8CD98F00B204E9800998ECF8427E", 1},
	{{"D41D8CD98F00B204E9800998ECF8427E"}, MD5, 1},
	{{MD5}, "d41d8cd98f00b204e9800998ecf8427f", 0},
	{{MD5}, "e41d8cd98f00b204e9800998ecf8427e", 0},
	{{MD5, "D41d8cd98f00b204e9800998ecf8427E"}, MD5, 3},
	{{MD5}, "d41d8cd98f00b204e9800998ecf8427", REFUSED},
	{{MD5}, MD5 "0", REFUSED},
	{{MD5}, "g41d8cd98f00b204e9800998ecf8427e", REFUSED},
	{{MD5}, SHA1, REFUSED},
	{{MD5}, "", REFUSED},
};

static const struct row sha1_rows[] = {
	{{SHA1}, SHA1, 1},
	{{SHA1}, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", 1},
	{{"DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"}, SHA1, 1},
	{{SHA1}, "da39a3ee5e6b4b0d3255bfef95601890afd80708", 0},
	{{SHA1}, "da39a3ee5e6b4b0d3255bfef95601890afd8070", REFUSED},
	{{SHA1}, SHA1 "0", REFUSED},
	{{SHA1}, "da39a3ee5e6b4b0d3255bfef95601890afd8070z", REFUSED},
	{{SHA1}, MD5, REFUSED},
};

static const struct row sha256_rows[] = {
	{{SHA256}, SHA256, 1},
	{{SHA256},
	 "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
	 1},
	{{"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"},
	 SHA256,
	 1},
	{{SHA256},
	 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b856",
	 0},
	{{SHA256},
	 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
	 REFUSED},
	{{SHA256}, SHA256 "5", REFUSED},
	{{SHA256}, SHA1, REFUSED},
};

static const char *const md5_refused[] = {
	"",	 "d41d8cd98f00b204e9800998ecf8427",
	MD5 "e", "x41d8cd98f00b204e9800998ecf8427e",
	SHA1,	 "d41d8cd98f00b204 e9800998ecf8427e",
};

static const char *const sha1_refused[] = {
	"", MD5, "da39a3ee5e6b4b0d3255bfef95601890afd8070", SHA1 "9", SHA256,
};

static const char *const sha256_refused[] = {
	"",
	SHA1,
	SHA256 "0",
	"-3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
};

static void test_lookup_hashes(void **state)
{
	(void)state;
	RUN_ROWS(CIRT_IOC_MD5, md5_rows);
	RUN_ROWS(CIRT_IOC_SHA1, sha1_rows);
	RUN_ROWS(CIRT_IOC_SHA256, sha256_rows);
	RUN_REFUSED(CIRT_IOC_MD5, md5_refused);
	RUN_REFUSED(CIRT_IOC_SHA1, sha1_refused);
	RUN_REFUSED(CIRT_IOC_SHA256, sha256_refused);
}

/* ---- e-mail addresses ---- */

static const struct row email_rows[] = {
	{{"user@example.com"}, "user@example.com", 1},
	{{"user@example.com"}, "USER@Example.COM", 1},
	{{"User@EXAMPLE.com"}, "user@example.com", 1},
	{{"user@example.com"}, "<user@example.com>", 1},
	{{"<User@Example.com>"}, "user@example.com", 1},
	{{"<user@example.com>"}, "<USER@EXAMPLE.COM>", 1},
	{{"user@example.com"}, "user@example.com.", 1},
	{{"user@example.com"}, "other@example.com", 0},
	{{"user@example.com"}, "user@www.example.com", 0},
	{{"user@example.com"}, "user@example.net", 0},
	{{"user@example.com"}, "xuser@example.com", 0},
	{{"user@example.com", "USER@example.com", "<user@example.com>"},
	 "User@Example.Com",
	 7},
	/* IDN domain part */
	{{"user@b\xc3\xbc"
	  "cher.example"},
	 "user@xn--bcher-kva.example",
	 1},
	{{"user@xn--bcher-kva.example"},
	 "USER@B\xc3\x9c"
	 "CHER.example",
	 1},
	/* not e-mail addresses */
	{{"user@example.com"}, "userexample.com", REFUSED},
	{{"user@example.com"}, "@example.com", REFUSED},
	{{"user@example.com"}, "user@", REFUSED},
	{{"user@example.com"}, "user@exa mple.com", REFUSED},
	{{"user@example.com"}, "user@.example.com", REFUSED},
	{{"user@example.com"}, "", REFUSED},
};

static const char *const email_refused[] = {
	"",	 "userexample.com",   "@example.com",
	"user@", "user@exa mple.com", "user@example..com",
};

static void test_lookup_email(void **state)
{
	(void)state;
	RUN_ROWS(CIRT_IOC_EMAIL, email_rows);
	RUN_REFUSED(CIRT_IOC_EMAIL, email_refused);
}

/* ---- kinds kept apart ---- */

struct kind_row {
	enum cirt_ioc_kind k[3];
	const char *add[3];
	enum cirt_ioc_kind lk;
	const char *look;
	int want;
};

static const struct kind_row kind_rows[] = {
	{{CIRT_IOC_DOMAIN},
	 {"example.com"},
	 CIRT_IOC_EMAIL,
	 "x@example.com",
	 0},
	{{CIRT_IOC_EMAIL},
	 {"x@example.com"},
	 CIRT_IOC_DOMAIN,
	 "example.com",
	 0},
	{{CIRT_IOC_EMAIL},
	 {"x@example.com"},
	 CIRT_IOC_DOMAIN,
	 "x.example.com",
	 0},
	{{CIRT_IOC_DOMAIN},
	 {"example.com"},
	 CIRT_IOC_URL,
	 "http://example.com/",
	 0},
	{{CIRT_IOC_URL},
	 {"http://example.com/"},
	 CIRT_IOC_DOMAIN,
	 "example.com",
	 0},
	{{CIRT_IOC_MD5}, {MD5}, CIRT_IOC_DOMAIN, MD5, 0},
	{{CIRT_IOC_MD5}, {MD5}, CIRT_IOC_DOMAIN, "x." MD5, 0},
	{{CIRT_IOC_DOMAIN}, {"example.com"}, CIRT_IOC_MD5, MD5, 0},
	{{CIRT_IOC_SHA256},
	 {SHA256},
	 CIRT_IOC_MD5,
	 "e3b0c44298fc1c149afbf4c8996fb924",
	 0},
	{{CIRT_IOC_MD5, CIRT_IOC_DOMAIN, CIRT_IOC_SHA1},
	 {MD5, "x." MD5, MD5 "00000000"},
	 CIRT_IOC_MD5,
	 MD5,
	 1},
	{{CIRT_IOC_MD5, CIRT_IOC_DOMAIN, CIRT_IOC_SHA1},
	 {MD5, "x." MD5, MD5 "00000000"},
	 CIRT_IOC_DOMAIN,
	 "x." MD5,
	 2},
	{{CIRT_IOC_MD5, CIRT_IOC_DOMAIN, CIRT_IOC_SHA1},
	 {MD5, "x." MD5, MD5 "00000000"},
	 CIRT_IOC_SHA1,
	 MD5 "00000000",
	 4},
	{{CIRT_IOC_IP}, {"192.0.2.1"}, CIRT_IOC_DOMAIN, "192.0.2.1", NO_MATCH},
	{{CIRT_IOC_IP},
	 {"2001:db8::1"},
	 CIRT_IOC_URL,
	 "http://[2001:db8::1]/",
	 0},
	{{CIRT_IOC_DOMAIN},
	 {"example.com"},
	 CIRT_IOC_IP,
	 "example.com",
	 REFUSED},
	{{CIRT_IOC_IP, CIRT_IOC_DOMAIN},
	 {"2001:db8::1", "example.com"},
	 CIRT_IOC_IP,
	 "2001:db8::1",
	 1},
};

static void test_kinds_apart(void **state)
{
	size_t bad = 0;

	(void)state;
	for (size_t r = 0; r < sizeof(kind_rows) / sizeof(kind_rows[0]); r++) {
		const struct kind_row *kr = &kind_rows[r];
		struct cirt_matcher_builder *b =
			cirt_matcher_builder_new(false);
		struct cirt_matcher *m;
		int got;

		for (int i = 0; i < 3 && kr->add[i]; i++) {
			struct cirt_ioc_src s = file_src(i + 1);

			assert_int_equal(cirt_matcher_add(b, kr->k[i],
							  kr->add[i],
							  strlen(kr->add[i]),
							  &s, NULL, NULL),
					 1);
		}
		m = cirt_matcher_build(b);
		got = lookup_mask(m, kr->lk, kr->look);
		if (!want_ok(kr->want, got)) {
			print_error(
				"row %zu: %s \"%s\" listed, %s \"%s\" looked "
				"up: want %d, got %d\n",
				r, cirt_ioc_kind_name(kr->k[0]), kr->add[0],
				cirt_ioc_kind_name(kr->lk), kr->look, kr->want,
				got);
			bad++;
		}
		cirt_matcher_free(m);
	}
	if (bad)
		fail_msg("%zu failures", bad);
}

/* ---- fingerprints ---- */

/* s with bytes outside printable ASCII as \xHH, for messages. */
static const char *escaped(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	for (; *s && n + 5 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f)
			out[n++] = (char)c;
		else
			n += (size_t)snprintf(out + n, cap - n, "\\x%02x", c);
	}
	out[n] = '\0';
	return out;
}

/*
 * The header promises that two values share a fingerprint with
 * probability 2^-64 and that the random key means "nobody can aim for
 * it". Each row is a listed value and another value of the same kind and
 * length, made from it by one fixed difference in the hashed bytes (bit 7
 * of byte 7 flipped, then bit 2 of byte 12 and bit 7 of byte 15): the two
 * must never match, whatever the key.
 */
static void test_fingerprints_not_aimed(void **state)
{
	static const struct {
		enum cirt_ioc_kind k;
		const char *listed, *other;
	} rows[] = {
		{CIRT_IOC_MD5, MD5, "d41d8cd98f00b284e9800998e8f842fe"},
		{CIRT_IOC_SHA1, SHA1,
		 "da39a3ee5e6b4b8d3255bfef91601810afd80709"},
		{CIRT_IOC_SHA256, SHA256,
		 "e3b0c44298fc1c949afbf4c89d6fb9a427ae41e4649b934ca495991b7852b"
		 "855"},
		{CIRT_IOC_IP, "2001:db8::1", "2001:db8:0:80::400:81"},
	};
	/* the same difference in the bytes of a URL's path and of an
	 * e-mail address's local part (hashed as text) */
	char url[48] = "http://example.com/aaaaaaaaaaaaaaaaaaaaaa";
	char email[48] = "aaaaaaaaaaaaaaaa@example.com";
	char text[96];
	size_t bad = 0;

	(void)state;
	url[23] ^= (char)0x80;
	url[28] ^= 0x04;
	url[31] ^= (char)0x80;
	email[7] ^= (char)0x80;
	email[12] ^= 0x04;
	email[15] ^= (char)0x80;
	for (int round = 0; round < 4; round++) {
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]) + 2;
		     i++) {
			const char *const texts[][2] = {
				{"http://example.com/aaaaaaaaaaaaaaaaaaaaaa",
				 url},
				{"aaaaaaaaaaaaaaaa@example.com", email},
			};
			size_t nr = sizeof(rows) / sizeof(rows[0]);
			enum cirt_ioc_kind k = i < nr	 ? rows[i].k
					       : i == nr ? CIRT_IOC_URL
							 : CIRT_IOC_EMAIL;
			const char *listed =
				i < nr ? rows[i].listed : texts[i - nr][0];
			const char *other =
				i < nr ? rows[i].other : texts[i - nr][1];
			struct cirt_matcher_builder *b =
				cirt_matcher_builder_new(false);
			struct cirt_ioc_src s = file_src(1);
			struct cirt_matcher *m;
			int got;

			assert_int_equal(cirt_matcher_add(b, k, listed,
							  strlen(listed), &s,
							  NULL, NULL),
					 1);
			m = cirt_matcher_build(b);
			got = lookup_mask(m, k, other);
			if (got > 0) {
				if (round == 0)
					print_error("%s \"%s\" listed: "
						    "\"%s\" matches it\n",
						    cirt_ioc_kind_name(k),
						    listed,
						    escaped(other, text,
							    sizeof(text)));
				bad++;
			}
			cirt_matcher_free(m);
		}
	}
	if (bad)
		fail_msg("%zu matches between different values", bad);
}

/* ---- sources ---- */

static const unsigned char uuid1[16] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
					0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
					0x0d, 0x0e, 0x0f, 0xf0};

/* Three sources of one value: a STIX indicator, a feed event and a line
 * of a file; each comes back whole, with its id text. */
static void test_sources_all_returned(void **state)
{
	struct cirt_ioc_src src[3], got;
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(false);
	struct cirt_matcher *m;
	uint32_t refs[8];
	int seen[3] = {0, 0, 0};
	const char *vals[] = {"192.0.2.1", "::ffff:192.0.2.1", "192.0.2.1/32"};

	(void)state;
	memset(src, 0, sizeof(src));
	src[0].origin = CIRT_IOC_STIX;
	memcpy(src[0].uuid, uuid1, 16);
	src[0].tlp = CIRT_TLP_AMBER;
	src[0].confidence = 80;
	src[1].origin = CIRT_IOC_EVENT;
	src[1].key = INT64_C(9007199254740993);
	src[1].tlp = CIRT_TLP_RED;
	src[1].confidence = 0;
	src[2].origin = CIRT_IOC_FILE;
	src[2].key = 7;
	src[2].tlp = CIRT_TLP_CLEAR;
	src[2].confidence = 100;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(cirt_matcher_add(b, CIRT_IOC_IP, vals[i],
						  strlen(vals[i]), &src[i],
						  NULL, NULL),
				 1);
		assert_int_equal(cirt_matcher_add(b, CIRT_IOC_DOMAIN,
						  "example.com", 11, &src[i],
						  NULL, NULL),
				 1);
	}
	m = cirt_matcher_build(b);
	assert_non_null(m);
	for (int pass = 0; pass < 2; pass++) {
		int n = pass ? cirt_matcher_lookup(m, CIRT_IOC_DOMAIN,
						   "www.example.com", 15, refs,
						   8)
			     : cirt_matcher_lookup(m, CIRT_IOC_IP, "192.0.2.1",
						   9, refs, 8);

		assert_int_equal(n, 3);
		memset(seen, 0, sizeof(seen));
		for (int i = 0; i < n; i++) {
			char id[64];
			int j;

			cirt_matcher_src(m, refs[i], &got);
			cirt_matcher_src_id(m, refs[i], id);
			j = got.origin == CIRT_IOC_STIX	   ? 0
			    : got.origin == CIRT_IOC_EVENT ? 1
			    : got.origin == CIRT_IOC_FILE  ? 2
							   : -1;
			assert_true(j >= 0);
			assert_int_equal(seen[j], 0);
			seen[j] = 1;
			assert_int_equal(got.tlp, src[j].tlp);
			assert_int_equal(got.confidence, src[j].confidence);
			if (j == 0) {
				assert_memory_equal(got.uuid, uuid1, 16);
				assert_string_equal(
					id, "indicator--01020304-0506-0708-"
					    "090a-0b0c0d0e0ff0");
			} else {
				assert_int_equal(got.key, src[j].key);
				assert_string_equal(id, j == 1 ? "event:"
								 "9007199254"
								 "740993"
							       : "line:7");
			}
		}
	}
	cirt_matcher_free(m);
}

/* A refs array smaller than the matches: filled to max, the return says
 * how many matched, nothing written past max. */
static void test_refs_too_small(void **state)
{
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(false);
	struct cirt_matcher *m;
	uint32_t refs[8];
	int keys = 0;

	(void)state;
	for (int i = 1; i <= 5; i++) {
		struct cirt_ioc_src s = file_src(i);
		const char *v = i <= 3 ? "198.51.100.7" : "198.51.100.0/24";

		assert_int_equal(cirt_matcher_add(b, CIRT_IOC_IP, v, strlen(v),
						  &s, NULL, NULL),
				 1);
	}
	m = cirt_matcher_build(b);
	for (int i = 0; i < 8; i++)
		refs[i] = 0xdeadbeef;
	assert_int_equal(cirt_matcher_lookup(m, CIRT_IOC_IP, "198.51.100.7", 12,
					     refs, 2),
			 5);
	for (int i = 0; i < 2; i++) {
		struct cirt_ioc_src s;

		assert_int_not_equal(refs[i], 0xdeadbeef);
		cirt_matcher_src(m, refs[i], &s);
		assert_true(s.key >= 1 && s.key <= 5);
		keys |= 1 << (int)s.key;
	}
	assert_int_equal(__builtin_popcount((unsigned)keys), 2);
	for (int i = 2; i < 8; i++)
		assert_int_equal(refs[i], 0xdeadbeef);
	assert_int_equal(cirt_matcher_lookup(m, CIRT_IOC_IP, "198.51.100.7", 12,
					     refs + 7, 0),
			 5);
	assert_int_equal(refs[7], 0xdeadbeef);
	assert_int_equal(cirt_matcher_lookup(m, CIRT_IOC_IP, "198.51.100.8", 12,
					     refs, 1),
			 2);
	assert_int_equal(cirt_matcher_lookup(m, CIRT_IOC_IP, "198.51.100.8", 12,
					     refs, 8),
			 2);
	cirt_matcher_free(m);
}

/* A matcher built from nothing matches nothing and still refuses what is
 * not valid. */
static void test_empty_matcher(void **state)
{
	static const char *const vals[CIRT_IOC_KINDS] = {
		"192.0.2.1", "example.com", "http://example.com/", MD5,
		SHA1,	     SHA256,	    "user@example.com",
	};
	struct cirt_matcher *m =
		cirt_matcher_build(cirt_matcher_builder_new(false));
	struct cirt_matcher_info info;
	struct cirt_ip ip;
	uint32_t refs[4];

	(void)state;
	assert_non_null(m);
	for (int k = 0; k < CIRT_IOC_KINDS; k++) {
		assert_int_equal(cirt_matcher_lookup(m, (enum cirt_ioc_kind)k,
						     vals[k], strlen(vals[k]),
						     refs, 4),
				 0);
		assert_int_equal(cirt_matcher_lookup(m, (enum cirt_ioc_kind)k,
						     "", 0, refs, 4),
				 -1);
	}
	assert_int_equal(
		cirt_matcher_lookup(m, CIRT_IOC_IP, "2001:db8::1", 11, refs, 4),
		0);
	assert_int_equal(
		cirt_ip_parse("192.0.2.1", 9, false, false, &ip, NULL, NULL),
		0);
	assert_int_equal(cirt_matcher_lookup_ip(m, &ip, refs, 4), 0);
	memset(&info, 0xff, sizeof(info));
	cirt_matcher_info(m, &info);
	assert_int_equal(info.values, 0);
	assert_int_equal(info.sources, 0);
	assert_int_equal(info.ranges, 0);
	for (int k = 0; k < CIRT_IOC_KINDS; k++)
		assert_int_equal(info.by_kind[k], 0);
	for (int r = 0; r < CIRT_IOC_DROP_REASONS; r++)
		assert_int_equal(info.dropped[r], 0);
	cirt_matcher_free(m);
	/* a builder freed without building */
	cirt_matcher_builder_free(cirt_matcher_builder_new(true));
}

/* ---- info ---- */

static void test_info_counts(void **state)
{
	static const struct {
		enum cirt_ioc_kind k;
		const char *v;
		int rc;
	} adds[] = {
		{CIRT_IOC_IP, "192.0.2.1", 1},
		{CIRT_IOC_IP, "::ffff:192.0.2.1", 1}, /* same value */
		{CIRT_IOC_IP, "192.0.2.1/32", 1},     /* same value */
		{CIRT_IOC_IP, "198.51.100.0/24", 1},
		{CIRT_IOC_IP, "198.51.100.9/24", 1}, /* same range */
		{CIRT_IOC_IP, "2001:db8::/48", 1},
		{CIRT_IOC_IP, "2001:db8::1", 1},
		{CIRT_IOC_IP, "198.0.0.0/7", 0},    /* too broad */
		{CIRT_IOC_IP, "203.0.113.5", 0},    /* allowed network */
		{CIRT_IOC_IP, "203.0.113.0/25", 0}, /* allowed network */
		{CIRT_IOC_IP, "not an address", -CIRT_EINVAL},
		{CIRT_IOC_DOMAIN, "example.com", 1},
		{CIRT_IOC_DOMAIN, "EXAMPLE.com.", 1}, /* same value */
		{CIRT_IOC_DOMAIN, "www.example.com", 1},
		{CIRT_IOC_DOMAIN, "example.org", 0}, /* allowed domain */
		{CIRT_IOC_URL, "http://example.com/a", 1},
		{CIRT_IOC_MD5, MD5, 1},
		{CIRT_IOC_SHA1, SHA1, 1},
		{CIRT_IOC_SHA256, SHA256, 1},
		{CIRT_IOC_SHA256, SHA256, 1}, /* same value, another source */
		{CIRT_IOC_EMAIL, "user@example.com", 1},
	};
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(false);
	struct cirt_matcher *m;
	struct cirt_matcher_info info;

	(void)state;
	assert_int_equal(cirt_matcher_allow_ip(b, "203.0.113.0/24", 14, NULL),
			 0);
	assert_int_equal(cirt_matcher_allow_domain(b, "example.org", 11, NULL),
			 0);
	for (size_t i = 0; i < sizeof(adds) / sizeof(adds[0]); i++) {
		struct cirt_ioc_src s = file_src((int64_t)i + 1);

		assert_int_equal(cirt_matcher_add(b, adds[i].k, adds[i].v,
						  strlen(adds[i].v), &s, NULL,
						  NULL),
				 adds[i].rc);
	}
	m = cirt_matcher_build(b);
	assert_non_null(m);
	cirt_matcher_info(m, &info);
	/* 192.0.2.1, 198.51.100.0/24, 2001:db8::/48, 2001:db8::1,
	 * example.com, www.example.com, the URL, three hashes, the e-mail */
	assert_int_equal(info.values, 11);
	assert_int_equal(info.sources, 16);
	assert_int_equal(info.by_kind[CIRT_IOC_IP], 7);
	assert_int_equal(info.by_kind[CIRT_IOC_DOMAIN], 3);
	assert_int_equal(info.by_kind[CIRT_IOC_URL], 1);
	assert_int_equal(info.by_kind[CIRT_IOC_MD5], 1);
	assert_int_equal(info.by_kind[CIRT_IOC_SHA1], 1);
	assert_int_equal(info.by_kind[CIRT_IOC_SHA256], 2);
	assert_int_equal(info.by_kind[CIRT_IOC_EMAIL], 1);
	assert_int_equal(info.ranges, 2);
	assert_int_equal(info.dropped[CIRT_IOC_DROP_BROAD], 1);
	assert_int_equal(info.dropped[CIRT_IOC_DROP_NETWORK], 2);
	assert_int_equal(info.dropped[CIRT_IOC_DROP_DOMAIN], 1);
	assert_int_equal(info.dropped[CIRT_IOC_DROP_SPECIAL], 0);
	assert_true(info.bytes > 0);
	cirt_matcher_free(m);

	/* special-range drops are counted too */
	b = cirt_matcher_builder_new(true);
	for (int i = 0; i < 3; i++) {
		struct cirt_ioc_src s = file_src(i + 1);
		const char *v = i == 0	 ? "10.0.0.1"
				: i == 1 ? "::1"
					 : "fe80::/64";

		assert_int_equal(cirt_matcher_add(b, CIRT_IOC_IP, v, strlen(v),
						  &s, NULL, NULL),
				 0);
	}
	m = cirt_matcher_build(b);
	cirt_matcher_info(m, &info);
	assert_int_equal(info.dropped[CIRT_IOC_DROP_SPECIAL], 3);
	assert_int_equal(info.values, 0);
	assert_int_equal(info.sources, 0);
	cirt_matcher_free(m);
}

/* ---- names ---- */

static void test_kind_names(void **state)
{
	static const char *const names[CIRT_IOC_KINDS] = {
		"ip", "domain", "url", "md5", "sha1", "sha256", "email",
	};

	(void)state;
	for (int k = 0; k < CIRT_IOC_KINDS; k++) {
		assert_string_equal(cirt_ioc_kind_name((enum cirt_ioc_kind)k),
				    names[k]);
		assert_int_equal(cirt_ioc_kind_parse(names[k]), k);
	}
	assert_int_equal(cirt_ioc_kind_parse(""), -1);
	assert_int_equal(cirt_ioc_kind_parse("ipv4"), -1);
	assert_int_equal(cirt_ioc_kind_parse("sha"), -1);
	assert_int_equal(cirt_ioc_kind_parse("sha2566"), -1);
	assert_int_equal(cirt_ioc_kind_parse("e-mail"), -1);
}

static void test_drop_names(void **state)
{
	(void)state;
	assert_string_equal(cirt_ioc_drop_name(CIRT_IOC_DROP_SPECIAL),
			    "special-range");
	assert_string_equal(cirt_ioc_drop_name(CIRT_IOC_DROP_NETWORK),
			    "allowed-network");
	assert_string_equal(cirt_ioc_drop_name(CIRT_IOC_DROP_DOMAIN),
			    "allowed-domain");
	assert_string_equal(cirt_ioc_drop_name(CIRT_IOC_DROP_BROAD),
			    "too-broad");
}

/* ---- lengths ---- */

/* "http://example.com/aaa...": n bytes. */
static char *long_url(size_t n)
{
	static const char head[] = "http://example.com/";
	char *s = malloc(n + 1);

	assert_non_null(s);
	memcpy(s, head, sizeof(head) - 1);
	memset(s + sizeof(head) - 1, 'a', n - (sizeof(head) - 1));
	s[n] = '\0';
	return s;
}

/* Values of CIRT_IOC_VALUE_MAX bytes are accepted, one byte more is
 * refused, by the builder and by a lookup. */
static void test_value_max(void **state)
{
	char *under = long_url(CIRT_IOC_VALUE_MAX - 1);
	char *at = long_url(CIRT_IOC_VALUE_MAX);
	char *over = long_url(CIRT_IOC_VALUE_MAX + 1);
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(false);
	struct cirt_ioc_src s = file_src(1);
	struct cirt_matcher *m;
	struct cirt_diag d;
	uint32_t refs[4];

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(cirt_matcher_add(b, CIRT_IOC_URL, under,
					  CIRT_IOC_VALUE_MAX - 1, &s, NULL, &d),
			 1);
	s.key = 2;
	assert_int_equal(cirt_matcher_add(b, CIRT_IOC_URL, at,
					  CIRT_IOC_VALUE_MAX, &s, NULL, &d),
			 1);
	assert_int_equal(cirt_matcher_add(b, CIRT_IOC_URL, over,
					  CIRT_IOC_VALUE_MAX + 1, &s, NULL, &d),
			 -CIRT_EINVAL);
	assert_int_equal(d.code, -CIRT_EINVAL);
	m = cirt_matcher_build(b);
	assert_int_equal(cirt_matcher_lookup(m, CIRT_IOC_URL, under,
					     CIRT_IOC_VALUE_MAX - 1, refs, 4),
			 1);
	assert_int_equal(cirt_matcher_lookup(m, CIRT_IOC_URL, at,
					     CIRT_IOC_VALUE_MAX, refs, 4),
			 1);
	assert_int_equal(cirt_matcher_lookup(m, CIRT_IOC_URL, over,
					     CIRT_IOC_VALUE_MAX + 1, refs, 4),
			 -1);
	cirt_matcher_free(m);
	free(under);
	free(at);
	free(over);
}

/* Only v[0..n) is read: the bytes after it are not part of the value. */
static void test_length_honoured(void **state)
{
	static const struct {
		enum cirt_ioc_kind k;
		const char *v;
		size_t n;
		const char *look;
	} rows[] = {
		{CIRT_IOC_IP, "192.0.2.1999", 9, "192.0.2.1"},
		{CIRT_IOC_IP, "198.51.100.0/2400", 15, "198.51.100.7"},
		{CIRT_IOC_DOMAIN, "example.comx", 11, "www.example.com"},
		{CIRT_IOC_URL, "http://example.com/a/b", 20,
		 "http://example.com/a"},
		{CIRT_IOC_MD5, MD5 "ff", 32, MD5},
		{CIRT_IOC_EMAIL, "user@example.community", 16,
		 "user@example.com"},
	};
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(false);
	struct cirt_matcher *m;
	uint32_t refs[4];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cirt_ioc_src s = file_src((int64_t)i + 1);

		assert_int_equal(cirt_matcher_add(b, rows[i].k, rows[i].v,
						  rows[i].n, &s, NULL, NULL),
				 1);
	}
	m = cirt_matcher_build(b);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char more[64];
		size_t n = strlen(rows[i].look);

		assert_int_equal(cirt_matcher_lookup(m, rows[i].k, rows[i].look,
						     n, refs, 4),
				 1);
		/* and a lookup reads only its n bytes too */
		snprintf(more, sizeof(more), "%s7x", rows[i].look);
		assert_int_equal(
			cirt_matcher_lookup(m, rows[i].k, more, n, refs, 4), 1);
	}
	cirt_matcher_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_ip_addresses),
		cmocka_unit_test(test_lookup_ip_ranges),
		cmocka_unit_test(test_ip_v6_range_over_v4),
		cmocka_unit_test(test_add_ip_refused),
		cmocka_unit_test(test_lookup_ip_parsed),
		cmocka_unit_test(test_drop_too_broad),
		cmocka_unit_test(test_drop_special),
		cmocka_unit_test(test_special_not_looked_up),
		cmocka_unit_test(test_keep_special),
		cmocka_unit_test(test_drop_allowed_network),
		cmocka_unit_test(test_drop_allowed_domain),
		cmocka_unit_test(test_lookup_domain),
		cmocka_unit_test(test_domain_lengths),
		cmocka_unit_test(test_add_domain_refused),
		cmocka_unit_test(test_lookup_url),
		cmocka_unit_test(test_add_url_refused),
		cmocka_unit_test(test_lookup_hashes),
		cmocka_unit_test(test_lookup_email),
		cmocka_unit_test(test_kinds_apart),
		cmocka_unit_test(test_fingerprints_not_aimed),
		cmocka_unit_test(test_sources_all_returned),
		cmocka_unit_test(test_refs_too_small),
		cmocka_unit_test(test_empty_matcher),
		cmocka_unit_test(test_info_counts),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_drop_names),
		cmocka_unit_test(test_value_max),
		cmocka_unit_test(test_length_honoured),
	};

	return cmocka_run_group_tests_name("matcher", tests, NULL, NULL);
}
