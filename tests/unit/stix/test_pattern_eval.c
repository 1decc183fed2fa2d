/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX pattern evaluation (stix/stix_pattern_eval.c, STIX-18): tables of
 * (pattern, observations, match or not) for each rule of STIX 2.1 section
 * 9 and standards.md 1.11: one SCO per observation expression, missing
 * paths, incompatible types and !=, NOT, code-point string order, LIKE
 * and MATCHES (NFC, DOTALL, search, Unicode vs octets, hostile regexes),
 * ISSUBSET/ISSUPERSET on IPv4 and IPv6 (identical blocks, prefix edges),
 * lists and [*], references, binary and hex, integers against floats,
 * timestamps, IN; the observation operators and qualifiers with their
 * timing edges; the evaluation budget; and use from several threads.
 *
 * Observations are written as JSON with ' for " : a list of {"t":
 * seconds, "o": {id: SCO, ...}}.
 */
#include "testlib.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/err.h"
#include "core/time.h"
#include "stix/stix_pattern.h"

struct obsset {
	json_t *doc;
	struct cirt_pattern_obs *v;
	size_t n;
};

static void obs_load(struct obsset *os, const char *text)
{
	char *j = strdup(text);
	json_error_t err;
	json_t *x, *t;
	size_t i;

	for (char *c = j; *c; c++) {
		if (*c == '\'')
			*c = '"';
	}
	os->doc = json_loads(j, JSON_REJECT_DUPLICATES, &err);
	if (os->doc == NULL || !json_is_array(os->doc))
		fail_msg("bad test observations %s: %s", j, err.text);
	free(j);
	os->n = json_array_size(os->doc);
	os->v = calloc(os->n + 1, sizeof(*os->v));
	json_array_foreach (os->doc, i, x) {
		t = json_object_get(x, "t");
		os->v[i].time_us = (int64_t)(json_number_value(t) * 1e6 + 0.5);
		os->v[i].objects = json_object_get(x, "o");
	}
}

static void obs_release(struct obsset *os)
{
	json_decref(os->doc);
	free(os->v);
}

/* 1 match, 0 none, or the negative error. */
static int eval(const char *pat, const char *obs, struct cirt_diag *d)
{
	struct cirt_pattern *p;
	struct obsset os;
	bool m = false;
	int rc;

	cirt_diag_init(d);
	if (cirt_pattern_parse(pat, strlen(pat), &p, d) != 0)
		fail_msg("%s: %s", pat, d->message);
	obs_load(&os, obs);
	rc = cirt_pattern_match(p, os.v, os.n, &m, d);
	obs_release(&os);
	cirt_pattern_free(p);
	return rc ? rc : m;
}

struct row {
	const char *pat;
	const char *obs;
	int want; /* 1, 0 or -CIRT_E... */
};

static void run_rows(const struct row *rows, size_t n)
{
	struct cirt_diag d;
	size_t bad = 0;
	int got;

	for (size_t i = 0; i < n; i++) {
		got = eval(rows[i].pat, rows[i].obs, &d);
		if (got != rows[i].want) {
			printf("# row %zu: %s on %.200s: got %d (%s), want "
			       "%d\n",
			       i, rows[i].pat, rows[i].obs, got, d.message,
			       rows[i].want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

#define ROWS(r) run_rows(r, CIRT_ARRAY_LEN(r))

/* One observation at t = 0. */
#define ONE(objects) "[{'t':0,'o':" objects "}]"

/* Two files, a directory and references between them. */
#define FILES                                                              \
	ONE("{'0':{'type':'file','name':'a.exe','size':100,"               \
	    "'hashes':{'MD5':'aa','SHA-256':'bb'},"                        \
	    "'created':'2014-01-13T07:03:17.000Z',"                        \
	    "'parent_directory_ref':'1','list':['x','y','z'],"             \
	    "'nested':[{'k':[1,2]},{'k':[3]}],'magic_number_hex':'ffd8'}," \
	    "'1':{'type':'directory','path':'C:\\\\Windows',"              \
	    "'contains_refs':['0','2']},"                                  \
	    "'2':{'type':'file','name':'b.dll','size':7.5,'empty':[]}}")

#define STR(s) ONE("{'0':{'type':'x-str','s':'" s "'}}")

static void test_eval_same_sco(void **state)
{
	static const struct row rows[] = {
		/* STIX 2.1 9.5: the example observed-data does not match */
		{"[network-traffic:src_ref.value = '203.0.113.10' AND "
		 "network-traffic:dst_ref.value = '198.51.100.58']",
		 ONE("{'0':{'type':'network-traffic','src_ref':'1'},"
		     "'1':{'type':'ipv4-addr','value':'203.0.113.10'},"
		     "'2':{'type':'network-traffic','dst_ref':'3'},"
		     "'3':{'type':'ipv4-addr','value':'198.51.100.58'}}"),
		 0},
		{"[network-traffic:src_ref.value = '203.0.113.10' AND "
		 "network-traffic:dst_ref.value = '198.51.100.58']",
		 ONE("{'0':{'type':'network-traffic','src_ref':'1',"
		     "'dst_ref':'3'},"
		     "'1':{'type':'ipv4-addr','value':'203.0.113.10'},"
		     "'3':{'type':'ipv4-addr','value':'198.51.100.58'}}"),
		 1},
		{"[(file:name = 'a' AND file:size = 1) OR process:pid = 5]",
		 ONE("{'0':{'type':'file','name':'a','size':2},"
		     "'1':{'type':'file','name':'b','size':1}}"),
		 0},
		{"[(file:name = 'a' AND file:size = 1) OR process:pid = 5]",
		 ONE("{'0':{'type':'file','name':'a','size':2},"
		     "'1':{'type':'file','name':'b','size':1},"
		     "'2':{'type':'process','pid':5}}"),
		 1},
		{"[(file:name = 'a' AND file:size = 1) OR process:pid = 5]",
		 ONE("{'0':{'type':'file','name':'a','size':1}}"), 1},
		{"[file:name = 'a' OR process:pid = 5]",
		 ONE("{'0':{'type':'process','pid':5}}"), 1},
		{"[file:name = 'a']", ONE("{'0':{'type':'x-file','name':'a'}}"),
		 0},
		{"[file:name = 'a']", ONE("{'0':{'name':'a'}}"), 0},
		{"[file:name = 'a']",
		 ONE("{'0':{'type':'file','name':'a'},"
		     "'1':'not an object'}"),
		 1},
		{"[file:name = 'a']", "[{'t':0,'o':[]}]", 0},
	};

	(void)state;
	ROWS(rows);
}

static void test_eval_missing_and_incompatible(void **state)
{
	static const struct row rows[] = {
		{"[file:name = 'a.exe']", FILES, 1},
		/* missing: false whatever the operator */
		{"[file:mime_type = 'x']", FILES, 0},
		{"[file:mime_type != 'x']", FILES, 0},
		{"[file:mime_type NOT = 'x']", FILES, 0},
		{"[file:mime_type NOT LIKE 'x']", FILES, 0},
		{"[file:mime_type NOT IN ('x')]", FILES, 0},
		{"[file:hashes.'SHA-1' != 'x']", FILES, 0},
		{"[file:name.x = 'a']", FILES, 0},
		{"[file:parent_directory_ref.nope != 'x']", FILES, 0},
		{"[file:parent_directory_ref.path = 'C:\\\\Windows']",
		 ONE("{'0':{'type':'file','parent_directory_ref':'9'}}"), 0},
		{"[EXISTS file:mime_type]", FILES, 0},
		{"[NOT EXISTS file:mime_type]", FILES, 1},
		{"[EXISTS file:name]", FILES, 1},
		{"[NOT EXISTS file:name]", FILES, 0},
		{"[NOT EXISTS file:hashes]", FILES, 1},
		{"[EXISTS file:hashes.MD5]", FILES, 1},
		{"[EXISTS x:v]", ONE("{'0':{'type':'x','v':null}}"), 0},
		/* incompatible: false, except != */
		{"[file:size = 'big']", FILES, 0},
		{"[file:size != 'big']", FILES, 1},
		{"[file:name > 5]", FILES, 0},
		{"[file:name < 5]", FILES, 0},
		{"[file:name NOT = 5]", FILES, 1},
		{"[file:name = true]", FILES, 0},
		{"[file:name != true]", FILES, 1},
		{"[file:name = t'2014-01-13T07:03:17Z']", FILES, 0},
		{"[file:name != t'2014-01-13T07:03:17Z']", FILES, 1},
		{"[file:hashes = 'aa']", FILES, 0},
		{"[file:hashes != 'aa']", FILES, 1},
		{"[file:list = 'x']", FILES, 0},
		{"[file:size IN ('a', 'b')]", FILES, 0},
		{"[file:size NOT IN ('a', 'b')]", FILES, 1},
		{"[file:created > 5]", FILES, 0},
		{"[file:size LIKE '1%']", FILES, 0},
		{"[file:size MATCHES '1']", FILES, 0},
	};

	(void)state;
	ROWS(rows);
}

static void test_eval_strings(void **state)
{
	static const struct row rows[] = {
		/* STIX 2.1 9.6.2: 'o' < 'oz' < 'o'+U+0300 < 'z' < U+00F2 */
		{"[x-str:s < 'oz']", STR("o"), 1},
		{"[x-str:s > 'oz']", STR("o\\u0300"), 1},
		{"[x-str:s < 'z']", STR("o\\u0300"), 1},
		{"[x-str:s > 'z']", STR("\\u00f2"), 1},
		{"[x-str:s > 'o\xcc\x80']", STR("\\u00f2"), 1},
		{"[x-str:s = '\xc3\xb2']", STR("o\\u0300"), 0},
		{"[x-str:s != '\xc3\xb2']", STR("o\\u0300"), 1},
		{"[x-str:s > 'a']", STR("ab"), 1},
		{"[x-str:s = 'a']", STR("ab"), 0},
		{"[x-str:s <= 'ab']", STR("ab"), 1},
		{"[x-str:s >= 'abc']", STR("ab"), 0},
		{"[x-str:s = '']", STR(""), 1},
		{"[x-str:s = 'A']", STR("a"), 0},
		/* code points, not UTF-16 units */
		{"[x-str:s > '\xef\xbf\xbf']", STR("\\ud83d\\ude00"), 1},
		{"[x-str:s = 'it\\'s \\\\']", STR("it\\u0027s \\\\"), 1},
		/* LIKE (9.6.1): % and _, after NFC */
		{"[x-str:s LIKE 'C:\\\\Windows\\\\%\\\\foo']",
		 STR("C:\\\\Windows\\\\System32\\\\foo"), 1},
		{"[x-str:s LIKE 'a%']", STR("abc"), 1},
		{"[x-str:s LIKE '%c']", STR("abc"), 1},
		{"[x-str:s LIKE '%b%']", STR("abc"), 1},
		{"[x-str:s LIKE 'a_c']", STR("abc"), 1},
		{"[x-str:s LIKE 'a_']", STR("abc"), 0},
		{"[x-str:s LIKE '_bc']", STR("abc"), 1},
		{"[x-str:s LIKE '%']", STR("abc"), 1},
		{"[x-str:s LIKE '']", STR("abc"), 0},
		{"[x-str:s LIKE 'ABC']", STR("abc"), 0},
		{"[x-str:s LIKE 'a%c%']", STR("abc"), 1},
		{"[x-str:s LIKE '%%%abc']", STR("abc"), 1},
		{"[x-str:s LIKE 'a%b%b']", STR("abcb"), 1},
		{"[x-str:s LIKE 'a%b%b']", STR("abc"), 0},
		{"[x-str:s LIKE '']", STR(""), 1},
		{"[x-str:s LIKE '%']", STR(""), 1},
		{"[x-str:s LIKE '_']", STR(""), 0},
		{"[x-str:s LIKE 'caf_']", STR("caf\\u00e9"), 1},
		{"[x-str:s LIKE 'cafe\xcc\x81']", STR("caf\\u00e9"), 1},
		{"[x-str:s LIKE 'caf\xc3\xa9']", STR("cafe\\u0301"), 1},
		{"[x-str:s LIKE 'caf_']", STR("cafe\\u0301"), 1},
		{"[x-str:s LIKE 'caf__']", STR("cafe\\u0301"), 0},
		{"[x-str:s LIKE '_\xf0\x9f\x98\x80_']", STR("a\\ud83d\\ude00b"),
		 1},
		{"[x-str:s NOT LIKE 'x%']", STR("abc"), 1},
		{"[x-str:s NOT LIKE 'a%']", STR("abc"), 0},
		{"[x-str:s LIKE '%a%a%a%a%a%a%a%b']",
		 STR("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 0},
		/* MATCHES (9.6.1): search, DOTALL, Unicode, NFC */
		{"[x-str:s MATCHES 'oba']", STR("foobar"), 1},
		{"[x-str:s MATCHES '^oba']", STR("foobar"), 0},
		{"[x-str:s MATCHES '^foo']", STR("foobar"), 1},
		{"[x-str:s MATCHES 'bar$']", STR("foobar"), 1},
		{"[x-str:s MATCHES '^a.b$']", STR("a\\nb"), 1},
		{"[x-str:s MATCHES '^.$']", STR("\\u00e9"), 1},
		{"[x-str:s MATCHES '^\xc3\xa9$']", STR("e\\u0301"), 1},
		{"[x-str:s MATCHES '^\\\\w$']", STR("\\u00c4"), 1},
		{"[x-str:s MATCHES '^\\\\d$']", STR("\\u0663"), 1},
		{"[x-str:s MATCHES '.+\\\\@example\\\\.com$']",
		 STR("jdoe@example.com"), 1},
		{"[x-str:s MATCHES '']", STR(""), 1},
		{"[x-str:s NOT MATCHES 'zzz']", STR("abc"), 1},
		{"[x-str:s NOT MATCHES 'b']", STR("abc"), 0},
		/* catastrophic backtracking: stopped by the match limit */
		{"[x-str:s MATCHES '^(a|aa)+$']",
		 STR("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		     "a"
		     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		     "!"),
		 0},
		{"[x-str:s MATCHES '^(\\\\w+\\\\s?)*$']",
		 STR("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"),
		 0},
	};

	(void)state;
	ROWS(rows);
}

#define IP(type, v) ONE("{'0':{'type':'" type "','value':'" v "'}}")

static void test_eval_cidr(void **state)
{
	static const struct row rows[] = {
		/* STIX 2.1 9.6.1 examples */
		{"[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
		 IP("ipv4-addr", "198.51.100.0/27"), 1},
		{"[ipv4-addr:value ISSUPERSET '198.51.100.0/24']",
		 IP("ipv4-addr", "198.51.100.0/27"), 0},
		{"[ipv4-addr:value ISSUPERSET '198.51.100.0/27']",
		 IP("ipv4-addr", "198.51.100.0/24"), 1},
		{"[ipv4-addr:value ISSUBSET '198.51.100.0/27']",
		 IP("ipv4-addr", "198.51.100.0/24"), 0},
		/* identical address or net: true both ways */
		{"[ipv4-addr:value ISSUBSET '198.51.100.7']",
		 IP("ipv4-addr", "198.51.100.7"), 1},
		{"[ipv4-addr:value ISSUPERSET '198.51.100.7']",
		 IP("ipv4-addr", "198.51.100.7"), 1},
		{"[ipv4-addr:value ISSUBSET '198.51.100.7/32']",
		 IP("ipv4-addr", "198.51.100.7"), 1},
		{"[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
		 IP("ipv4-addr", "198.51.100.0/24"), 1},
		{"[ipv4-addr:value ISSUPERSET '198.51.100.0/24']",
		 IP("ipv4-addr", "198.51.100.0/24"), 1},
		{"[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
		 IP("ipv4-addr", "198.51.101.1"), 0},
		{"[ipv4-addr:value ISSUBSET '0.0.0.0/0']",
		 IP("ipv4-addr", "10.1.2.3"), 1},
		{"[ipv4-addr:value ISSUBSET '10.1.2.0/31']",
		 IP("ipv4-addr", "10.1.2.3"), 0},
		{"[ipv4-addr:value ISSUBSET '10.1.2.2/31']",
		 IP("ipv4-addr", "10.1.2.3"), 1},
		{"[ipv4-addr:value ISSUBSET '10.1.2.255/24']",
		 IP("ipv4-addr", "10.1.2.3"), 1},
		{"[ipv4-addr:value ISSUBSET '10.0.0.0/8']",
		 IP("ipv4-addr", "not an address"), 0},
		{"[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']",
		 IP("ipv4-addr", "11.0.0.1"), 1},
		{"[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']",
		 IP("ipv4-addr", "10.0.0.1"), 0},
		{"[ipv4-addr:value ISSUBSET '10.0.0.0/8']",
		 ONE("{'0':{'type':'ipv4-addr'}}"), 0},
		/* IPv6, prefixes off byte boundaries, the ends */
		{"[ipv6-addr:value ISSUBSET '2001:db8::/32']",
		 IP("ipv6-addr", "2001:db8::1"), 1},
		{"[ipv6-addr:value ISSUBSET '2001:db8::/32']",
		 IP("ipv6-addr", "2001:db9::1"), 0},
		{"[ipv6-addr:value ISSUBSET '2001:db8:8000::/33']",
		 IP("ipv6-addr", "2001:db8:8000::1"), 1},
		{"[ipv6-addr:value ISSUBSET '2001:db8:8000::/33']",
		 IP("ipv6-addr", "2001:db8:7fff::1"), 0},
		{"[ipv6-addr:value ISSUPERSET '2001:db8:0:1::/64']",
		 IP("ipv6-addr", "2001:db8::/48"), 1},
		{"[ipv6-addr:value ISSUPERSET '2001:db8:1::/64']",
		 IP("ipv6-addr", "2001:db8::/48"), 0},
		{"[ipv6-addr:value ISSUBSET '2001:db8::1']",
		 IP("ipv6-addr", "2001:0db8:0000:0000:0000:0000:0000:0001"), 1},
		{"[ipv6-addr:value ISSUPERSET '2001:db8::1']",
		 IP("ipv6-addr", "2001:0db8:0000:0000:0000:0000:0000:0001"), 1},
		{"[ipv6-addr:value ISSUPERSET '2001:db8::1/128']",
		 IP("ipv6-addr", "2001:db8::2"), 0},
		{"[ipv6-addr:value ISSUBSET '::/0']", IP("ipv6-addr", "::"), 1},
		{"[ipv6-addr:value ISSUBSET '::/0']",
		 IP("ipv6-addr", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 1},
		{"[ipv6-addr:value ISSUBSET "
		 "'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127']",
		 IP("ipv6-addr", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 1},
		{"[ipv6-addr:value ISSUBSET "
		 "'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128']",
		 IP("ipv6-addr", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 0},
		{"[ipv6-addr:value ISSUBSET '::ffff:10.0.0.0/120']",
		 IP("ipv6-addr", "::ffff:10.0.0.1"), 1},
		{"[ipv6-addr:value ISSUBSET '::/0']",
		 IP("ipv6-addr", "10.0.0.1"), 0},
		/* through references; the family must agree */
		{"[network-traffic:dst_ref.value ISSUBSET '10.0.0.0/8']",
		 ONE("{'0':{'type':'network-traffic','dst_ref':'1'},"
		     "'1':{'type':'ipv4-addr','value':'10.1.1.1'}}"),
		 1},
		{"[network-traffic:dst_ref.value ISSUBSET '2001:db8::/32']",
		 ONE("{'0':{'type':'network-traffic','dst_ref':'1'},"
		     "'1':{'type':'ipv4-addr','value':'10.1.1.1'}}"),
		 0},
		{"[network-traffic:dst_ref.value ISSUBSET "
		 "'2001:0db8:dead:beef:0000:0000:0000:0000/64']",
		 ONE("{'0':{'type':'network-traffic','dst_ref':'1'},"
		     "'1':{'type':'ipv6-addr','value':'2001:db8:dead:beef::9'}"
		     "}"),
		 1},
		{"[domain-name:resolves_to_refs[*].value ISSUBSET "
		 "'10.0.0.0/8']",
		 ONE("{'0':{'type':'domain-name','value':'x.example',"
		     "'resolves_to_refs':['1','2']},"
		     "'1':{'type':'ipv6-addr','value':'::1'},"
		     "'2':{'type':'ipv4-addr','value':'10.9.9.9'}}"),
		 1},
	};

	(void)state;
	ROWS(rows);
}

static void test_eval_lists_and_refs(void **state)
{
	static const struct row rows[] = {
		{"[file:list[0] = 'x']", FILES, 1},
		{"[file:list[2] = 'z']", FILES, 1},
		{"[file:list[3] = 'z']", FILES, 0},
		{"[file:list[-1] = 'z']", FILES, 0},
		{"[file:list[3] != 'z']", FILES, 0},
		{"[file:list[*] = 'y']", FILES, 1},
		{"[file:list[*] = 'q']", FILES, 0},
		{"[file:list[*] NOT = 'x']", FILES, 1},
		{"[file:list[0] NOT = 'x']", FILES, 0},
		{"[file:list[*] != 'x']", FILES, 1},
		{"[file:list[*] IN ('q', 'z')]", FILES, 1},
		{"[EXISTS file:list[5]]", FILES, 0},
		{"[EXISTS file:list[*]]", FILES, 1},
		{"[EXISTS file:empty[*]]", FILES, 0},
		{"[NOT EXISTS file:empty[*]]", FILES, 1},
		{"[file:nested[*].k[*] = 3]", FILES, 1},
		{"[file:nested[1].k[0] = 3]", FILES, 1},
		{"[file:nested[0].k[*] > 2]", FILES, 0},
		{"[file:list[0].x = 1]", FILES, 0},
		{"[file:name[0] = 'a']", FILES, 0},
		{"[file:hashes[*] = 'aa']", FILES, 0},
		/* _ref and _refs are followed (9.7.4) */
		{"[file:parent_directory_ref.path = 'C:\\\\Windows']", FILES,
		 1},
		{"[file:parent_directory_ref = '1']", FILES, 1},
		{"[directory:contains_refs[*].name = 'b.dll']", FILES, 1},
		{"[directory:contains_refs[0].name = 'a.exe']", FILES, 1},
		{"[directory:contains_refs[1].name = 'a.exe']", FILES, 0},
		{"[directory:contains_refs[*].size > 50]", FILES, 1},
		{"[file:parent_directory_ref.contains_refs[*]"
		 ".parent_directory_ref.path = 'C:\\\\Windows']",
		 FILES, 1},
		{"[email-message:from_ref.value = 'a@example.com' AND "
		 "email-message:body_multipart[*].body_raw_ref.name MATCHES "
		 "'\\\\.exe$']",
		 ONE("{'0':{'type':'email-message','from_ref':'1',"
		     "'body_multipart':[{'body':'hi'},{'body_raw_ref':'2'}]},"
		     "'1':{'type':'email-addr','value':'a@example.com'},"
		     "'2':{'type':'file','name':'Final Report.exe'}}"),
		 1},
		/* only objects of the same observation */
		{"[file:parent_directory_ref.path = 'x']",
		 "[{'t':0,'o':{'0':{'type':'file','parent_directory_ref':'1'}}}"
		 ","
		 "{'t':1,'o':{'1':{'type':'directory','path':'x'}}}]",
		 0},
		{"[file:parent_directory_ref.path = 'x']",
		 ONE("{'0':{'type':'file','parent_directory_ref':'1'},"
		     "'1':'directory'}"),
		 0},
	};

	(void)state;
	ROWS(rows);
}

#define ART ONE("{'0':{'type':'artifact','payload_bin':'" b64 "'}}")

static void test_eval_binary(void **state)
{
#define b64 "dGhpcyBpcyBhIHRlc3Q="
	static const struct row rows[] = {
		/* STIX 2.1 9.6.4 */
		{"[artifact:payload_bin = 'dGhpcyBpcyBhIHRlc3Q=']", ART, 0},
		{"[artifact:payload_bin = 'this is a test']", ART, 1},
		{"[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']", ART, 1},
		{"[artifact:payload_bin = h'7468697320697320612074657374']",
		 ART, 1},
		{"[artifact:payload_bin != 'dGhpcyBpcyBhIHRlc3Q=']", ART, 1},
		/* a code point above U+00FF: false, or true for != */
		{"[artifact:payload_bin = 'this is a t\xc4\xa8st']", ART, 0},
		{"[artifact:payload_bin != 'this is a t\xc4\xa8st']", ART, 1},
		{"[artifact:payload_bin > 'this is a t\xc4\xa8st']", ART, 0},
		/* unsigned octets, the longer greater */
		{"[artifact:payload_bin > h'74']", ART, 1},
		{"[artifact:payload_bin < h'75']", ART, 1},
		{"[artifact:payload_bin < h'7468']", ART, 0},
		{"[artifact:payload_bin IN (h'00', b'dGhpcyBpcyBhIHRlc3Q=')]",
		 ART, 1},
		{"[artifact:payload_bin LIKE 'dGhp%']", ART, 0},
		{"[artifact:payload_bin LIKE 'this_is%t']", ART, 1},
		{"[artifact:payload_bin LIKE '%Ä¨%']", ART, 0},
		{"[artifact:payload_bin NOT LIKE 'x%']", ART, 1},
		{"[artifact:payload_bin = b'dGhp\ncyBpcyBhIHRlc3Q=']", ART, 1},
#undef b64
#define b64 "1MOyoQIABAA="
		{"[artifact:payload_bin MATCHES "
		 "'^\\\\xd4\\\\xc3\\\\xb2\\\\xa1']",
		 ART, 1},
		{"[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND "
		 "artifact:payload_bin MATCHES "
		 "'\\\\xd4\\\\xc3\\\\xb2\\\\xa1\\\\x02\\\\x00\\\\x04\\\\x00']",
		 ONE("{'0':{'type':'artifact','payload_bin':'" b64 "',"
		     "'mime_type':'application/vnd.tcpdump.pcap'}}"),
		 1},
#undef b64
#define b64 "w6k="
		/* octets, not UTF-8 characters */
		{"[artifact:payload_bin MATCHES '^..$']", ART, 1},
		{"[artifact:payload_bin MATCHES '^.$']", ART, 0},
		{"[artifact:payload_bin MATCHES '^\xc3\x83\xc2\xa9$']", ART, 1},
		{"[artifact:payload_bin = '\xc3\x83\xc2\xa9']", ART, 1},
		{"[artifact:payload_bin LIKE '_\xc2\xa9']", ART, 1},
		/* a regex that cannot be octets never matches */
		{"[artifact:payload_bin MATCHES '\xc4\x80']", ART, 0},
		{"[artifact:payload_bin NOT MATCHES '\xc4\x80']", ART, 1},
#undef b64
#define b64 "not base64!"
		{"[artifact:payload_bin = 'x']", ART, 0},
		{"[artifact:payload_bin != 'x']", ART, 1},
		{"[artifact:payload_bin MATCHES 'x']", ART, 0},
#undef b64
		/* _hex properties */
		{"[file:magic_number_hex = h'ffd8']", FILES, 1},
		{"[file:magic_number_hex = h'FFD8']", FILES, 1},
		{"[file:magic_number_hex = b'/9g=']", FILES, 1},
		{"[file:magic_number_hex = '\xc3\xbf\xc3\x98']", FILES, 1},
		{"[file:magic_number_hex = 'ffd8']", FILES, 0},
		{"[file:magic_number_hex > h'ff']", FILES, 1},
		{"[file:magic_number_hex < h'ff']", FILES, 0},
		{"[file:magic_number_hex MATCHES '^\\\\xff\\\\xd8$']", FILES,
		 1},
		{"[x:v_hex < h'ff']", ONE("{'0':{'type':'x','v_hex':'00'}}"),
		 1},
		{"[x:v_hex = h'ffd8']",
		 ONE("{'0':{'type':'x','v_hex':'FFD8'}}"), 1},
		{"[x:v_hex = h'ff']", ONE("{'0':{'type':'x','v_hex':'fff'}}"),
		 0},
		{"[x:v_hex = h'']", ONE("{'0':{'type':'x','v_hex':''}}"), 1},
		/* a binary constant against a string property */
		{"[file:name = h'612e657865']", FILES, 1},
		{"[file:name = b'YS5leGU=']", FILES, 1},
		{"[file:name != h'00']", FILES, 1},
	};

	(void)state;
	ROWS(rows);
}

#define NUMS                                                                 \
	ONE("{'0':{'type':'x-num','i':1,'f':1.5,'one':1.0,"                  \
	    "'big':9007199254740993,'bigf':9007199254740992.0,'neg':-3,"     \
	    "'huge':1e300,'nhuge':-1e300,'flag':true,'t':'2014-01-13T07:03:" \
	    "17.000Z'}}")

static void test_eval_numbers_bools_times(void **state)
{
	static const struct row rows[] = {
		{"[x-num:i = 1]", NUMS, 1},
		{"[x-num:i = 1.5]", NUMS, 0},
		{"[x-num:i < 1.5]", NUMS, 1},
		{"[x-num:i != 1.5]", NUMS, 1},
		{"[x-num:f = 1.5]", NUMS, 1},
		{"[x-num:f > 1]", NUMS, 1},
		{"[x-num:f = 1]", NUMS, 0},
		{"[x-num:f < 2]", NUMS, 1},
		{"[x-num:one = 1]", NUMS, 1},
		{"[x-num:one = 1.0]", NUMS, 1},
		{"[x-num:big = 9007199254740993]", NUMS, 1},
		{"[x-num:big = 9007199254740992]", NUMS, 0},
		{"[x-num:big > 9007199254740992.0]", NUMS, 1},
		{"[x-num:bigf = 9007199254740993]", NUMS, 0},
		{"[x-num:bigf < 9007199254740993]", NUMS, 1},
		{"[x-num:bigf = 9007199254740992]", NUMS, 1},
		{"[x-num:neg < -2.5]", NUMS, 1},
		{"[x-num:neg > -3.5]", NUMS, 1},
		{"[x-num:neg = -3]", NUMS, 1},
		{"[x-num:huge > 9223372036854775807]", NUMS, 1},
		{"[x-num:nhuge < -9223372036854775808]", NUMS, 1},
		{"[x-num:nhuge = -1.5]", NUMS, 0},
		{"[x-num:i > -9223372036854775808]", NUMS, 1},
		{"[x-num:i IN (0, 1.0)]", NUMS, 1},
		{"[x-num:f IN (1, 2)]", NUMS, 0},
		{"[x-num:flag = true]", NUMS, 1},
		{"[x-num:flag = false]", NUMS, 0},
		{"[x-num:flag != false]", NUMS, 1},
		{"[x-num:flag NOT = true]", NUMS, 0},
		{"[x-num:flag = 1]", NUMS, 0},
		{"[x-num:flag != 1]", NUMS, 1},
		{"[x-num:t = t'2014-01-13T07:03:17Z']", NUMS, 1},
		{"[x-num:t > t'2014-01-13T07:03:16.999999999Z']", NUMS, 1},
		{"[x-num:t < t'2014-01-13T07:03:17.000000001Z']", NUMS, 1},
		{"[x-num:t != t'2014-01-13T07:03:17Z']", NUMS, 0},
		{"[x-num:t = '2014-01-13T07:03:17Z']", NUMS, 0},
		{"[file:created = t'2014-01-13T07:03:17Z']", FILES, 1},
		{"[file:name IN ('x', 'a.exe')]", FILES, 1},
		{"[file:name IN ()]", FILES, 0},
		{"[file:name NOT IN ()]", FILES, 1},
		{"[file:name NOT IN ('a.exe', 'b.dll')]", FILES, 0},
		{"[file:name NOT IN ('a.exe')]", FILES, 1},
	};

	(void)state;
	ROWS(rows);
}

/* Observations of x-a, x-b, x-c objects at given seconds. */
#define A(t) "{'t':" #t ",'o':{'0':{'type':'x-a','v':1}}}"
#define B(t) "{'t':" #t ",'o':{'0':{'type':'x-b','v':1}}}"
#define C(t) "{'t':" #t ",'o':{'0':{'type':'x-c','v':1}}}"
#define AB(t)                                        \
	"{'t':" #t ",'o':{'0':{'type':'x-a','v':1}," \
	"'1':{'type':'x-b','v':1}}}"
#define AAA(t)                                       \
	"{'t':" #t ",'o':{'0':{'type':'x-a','v':1}," \
	"'1':{'type':'x-a','v':1},'2':{'type':'x-a','v':1}}}"
#define PA  "[x-a:v = 1]"
#define PB  "[x-b:v = 1]"
#define PC  "[x-c:v = 1]"
#define T10 "t'1970-01-01T00:00:10Z'"
#define T20 "t'1970-01-01T00:00:20Z'"

static void test_eval_observation_operators(void **state)
{
	static const struct row rows[] = {
		{PA " AND " PB, "[" A(0) "," B(1) "]", 1},
		{PA " AND " PB, "[" AB(0) "]", 0},
		{PA " AND " PB, "[" AB(0) "," A(1) "]", 1},
		{PA " AND " PA, "[" A(0) "]", 0},
		{PA " AND " PA, "[" A(0) "," A(5) "]", 1},
		{PA " AND " PA " AND " PA, "[" A(0) "," A(5) "]", 0},
		{PA " OR " PB, "[" B(3) "]", 1},
		{PA " OR " PB, "[" C(3) "]", 0},
		{PA " OR " PB " AND " PC, "[" B(1) "]", 0},
		{PA " OR " PB " AND " PC, "[" B(1) "," C(0) "]", 1},
		{"(" PA " OR " PB ") AND " PC, "[" B(1) "," C(0) "]", 1},
		{"(" PA " OR " PB ") AND " PC, "[" B(1) "]", 0},
		/* FOLLOWEDBY: time(b) >= time(a), different observations */
		{PA " FOLLOWEDBY " PB, "[" A(10) "," B(20) "]", 1},
		{PA " FOLLOWEDBY " PB, "[" B(10) "," A(20) "]", 0},
		{PA " FOLLOWEDBY " PB, "[" A(10) "," B(10) "]", 1},
		{PA " FOLLOWEDBY " PB, "[" B(10) "," A(10) "]", 1},
		{PA " FOLLOWEDBY " PB, "[" AB(10) "]", 0},
		{PA " FOLLOWEDBY " PB, "[" B(30) "," A(20) "," B(10) "]", 1},
		{PA " FOLLOWEDBY " PB " FOLLOWEDBY " PC,
		 "[" A(1) "," B(2) "," C(3) "]", 1},
		{PA " FOLLOWEDBY " PB " FOLLOWEDBY " PC,
		 "[" A(1) "," C(2) "," B(3) "]", 0},
		{"(" PA " AND " PB ") FOLLOWEDBY " PC,
		 "[" A(1) "," C(2) "," B(3) "]", 0},
		{"(" PA " AND " PB ") FOLLOWEDBY " PC,
		 "[" B(1) "," A(2) "," C(2) "]", 1},
		{PA " FOLLOWEDBY (" PB " AND " PC ")",
		 "[" B(1) "," A(2) "," C(3) "]", 0},
		{PA " FOLLOWEDBY (" PB " OR " PC ")",
		 "[" B(1) "," A(2) "," C(3) "]", 1},
	};

	(void)state;
	ROWS(rows);
}

static void test_eval_qualifiers(void **state)
{
	static const struct row rows[] = {
		/* REPEATS: different observations */
		{PA " REPEATS 3 TIMES", "[" A(1) "," A(2) "," A(3) "]", 1},
		{PA " REPEATS 3 TIMES", "[" A(1) "," A(2) "]", 0},
		{PA " REPEATS 3 TIMES", "[" AAA(1) "]", 0},
		{PA " REPEATS 1 TIMES", "[" A(1) "]", 1},
		{PA " REPEATS 1000000 TIMES", "[" A(1) "," A(2) "]", 0},
		{"(" PA " REPEATS 2 TIMES) REPEATS 2 TIMES",
		 "[" A(1) "," A(2) "," A(3) "," A(4) "]", 1},
		{"(" PA " REPEATS 2 TIMES) REPEATS 2 TIMES",
		 "[" A(1) "," A(2) "," A(3) "]", 0},
		/* WITHIN: latest < earliest + x */
		{"(" PA " AND " PB ") WITHIN 10 SECONDS",
		 "[" A(0) "," B(9.999) "]", 1},
		{"(" PA " AND " PB ") WITHIN 10 SECONDS",
		 "[" A(0) "," B(10) "]", 0},
		{"(" PA " AND " PB ") WITHIN 10 SECONDS", "[" B(0) "," A(5) "]",
		 1},
		{"(" PA " AND " PB ") WITHIN 10 SECONDS",
		 "[" A(0) "," B(100) "," A(95) "]", 1},
		{"(" PA " AND " PB ") WITHIN 0.5 SECONDS",
		 "[" A(0) "," B(0.4) "]", 1},
		{"(" PA " AND " PB ") WITHIN 0.5 SECONDS",
		 "[" A(0) "," B(0.5) "]", 0},
		{PA " WITHIN 1 SECONDS", "[" A(7) "]", 1},
		{PA " REPEATS 3 TIMES WITHIN 60 SECONDS",
		 "[" A(0) "," A(30) "," A(59) "]", 1},
		{PA " REPEATS 3 TIMES WITHIN 60 SECONDS",
		 "[" A(0) "," A(30) "," A(60) "]", 0},
		{PA " REPEATS 3 TIMES WITHIN 60 SECONDS",
		 "[" A(0) "," A(100) "," A(200) "," A(250) "," A(270) "]", 0},
		{PA " REPEATS 3 TIMES WITHIN 60 SECONDS",
		 "[" A(0) "," A(100) "," A(200) "," A(250) "," A(270) "," A(
			 255) "]",
		 1},
		{"(" PA " FOLLOWEDBY " PB ") WITHIN 5 SECONDS",
		 "[" A(0) "," B(6) "," A(3) "]", 1},
		{"(" PA " FOLLOWEDBY " PB ") WITHIN 5 SECONDS",
		 "[" A(0) "," B(6) "]", 0},
		/* windows that start at an observation the binding skips, and
		 * at repeated times */
		{"(" PA " AND " PB ") WITHIN 10 SECONDS",
		 "[" C(0) "," C(0) "," A(1) "," B(2) "]", 1},
		{"(" PA " AND " PB ") WITHIN 10 SECONDS",
		 "[" C(0) "," C(0) "," A(1) "," C(5) "," B(11) "]", 0},
		{"(" PA " WITHIN 5 SECONDS) REPEATS 2 TIMES",
		 "[" A(0) "," A(100) "]", 1},
		{"(" PA " AND " PB " WITHIN 5 SECONDS) REPEATS 2 TIMES",
		 "[" A(0) "," B(100) "]", 0},
		/* START/STOP: start <= t < stop */
		{PA " START " T10 " STOP " T20, "[" A(10) "]", 1},
		{PA " START " T10 " STOP " T20, "[" A(20) "]", 0},
		{PA " START " T10 " STOP " T20, "[" A(19.999999) "]", 1},
		{PA " START " T10 " STOP " T20, "[" A(9.999999) "]", 0},
		{PA " START " T10 " STOP " T20, "[" A(5) "," A(25) "]", 0},
		{PA " START t'1970-01-01T00:00:10.0000001Z' STOP " T20,
		 "[" A(10) "]", 0},
		{"(" PA " AND " PB ") START " T10 " STOP " T20,
		 "[" A(10) "," B(25) "]", 0},
		{"(" PA " AND " PB ") START " T10 " STOP " T20,
		 "[" A(10) "," B(15) "]", 1},
		{"(" PA " START " T10 " STOP " T20 ") REPEATS 2 TIMES",
		 "[" A(12) "," A(15) "," A(25) "]", 1},
		{"(" PA " START " T10 " STOP " T20 ") REPEATS 2 TIMES",
		 "[" A(12) "," A(25) "]", 0},
		{PA " REPEATS 2 TIMES START " T10 " STOP " T20
		    " WITHIN 2 SECONDS",
		 "[" A(12) "," A(15) "," A(16) "]", 1},
		{PA " REPEATS 2 TIMES START " T10 " STOP " T20
		    " WITHIN 2 SECONDS",
		 "[" A(12) "," A(15) "," A(21) "]", 0},
		/* qualifiers are not greedy (9.5.2) */
		{PA " FOLLOWEDBY " PB " REPEATS 2 TIMES",
		 "[" A(0) "," B(1) "," B(2) "]", 1},
		{PA " FOLLOWEDBY " PB " REPEATS 2 TIMES", "[" A(0) "," B(1) "]",
		 0},
		{PA " FOLLOWEDBY " PB " REPEATS 2 TIMES",
		 "[" A(5) "," B(1) "," B(2) "," B(6) "]", 0},
		{"(" PA " FOLLOWEDBY " PB ") REPEATS 2 TIMES",
		 "[" A(0) "," B(1) "," A(2) "," B(3) "]", 1},
		{"(" PA " FOLLOWEDBY " PB ") REPEATS 2 TIMES",
		 "[" A(0) "," B(1) "," A(2) "]", 0},
		{"(" PA " FOLLOWEDBY " PB ") REPEATS 2 TIMES",
		 "[" A(0) "," A(1) "," B(2) "," B(3) "]", 1},
		{PA " AND " PB " REPEATS 2 TIMES",
		 "[" A(0) "," B(1) "," B(2) "]", 1},
		{PA " AND " PB " REPEATS 2 TIMES", "[" A(0) "," B(1) "]", 0},
		{"(" PA " AND " PB ") REPEATS 2 TIMES",
		 "[" A(0) "," B(1) "," AB(3) "]", 0},
		{"(" PA " AND " PB ") REPEATS 2 TIMES",
		 "[" A(0) "," B(1) "," B(2) "," AB(3) "]", 1},
		{"(" PA " AND " PB ") REPEATS 2 TIMES",
		 "[" A(0) "," B(1) "," B(2) "," A(3) "]", 1},
	};

	(void)state;
	ROWS(rows);
}

/* n observations of x-a, one a second. */
static struct cirt_pattern_obs *many(size_t n, json_t **objects)
{
	struct cirt_pattern_obs *v = calloc(n, sizeof(*v));

	*objects = json_pack("{s{sssi}}", "0", "type", "x-a", "v", 1);
	for (size_t i = 0; i < n; i++) {
		/* in reverse: the evaluator sorts by time */
		v[i].time_us = (int64_t)(n - 1 - i) * 1000000;
		v[i].objects = *objects;
	}
	return v;
}

static int match_many(const char *pat, size_t n, struct cirt_diag *d)
{
	struct cirt_pattern_obs *v;
	struct cirt_pattern *p;
	json_t *objects;
	bool m;
	int rc;

	cirt_diag_init(d);
	if (cirt_pattern_parse(pat, strlen(pat), &p, d))
		fail_msg("%s: %s", pat, d->message);
	v = many(n, &objects);
	rc = cirt_pattern_match(p, v, n, &m, d);
	free(v);
	json_decref(objects);
	cirt_pattern_free(p);
	return rc ? rc : m;
}

static void test_eval_scale_and_budget(void **state)
{
	char pat[1024];
	struct cirt_diag d;
	int64_t t0 = cirt_time_mono_ns();
	size_t o = 0;

	(void)state;
	assert_int_equal(
		match_many(PA " REPEATS 60 TIMES WITHIN 60 SECONDS", 10000, &d),
		1);
	assert_int_equal(
		match_many(PA " REPEATS 61 TIMES WITHIN 60 SECONDS", 10000, &d),
		0);
	assert_int_equal(match_many(PA " REPEATS 10001 TIMES", 10000, &d), 0);
	assert_int_equal(match_many(PA " REPEATS 10000 TIMES", 10000, &d), 1);
	assert_int_equal(
		match_many(PA " FOLLOWEDBY " PA " FOLLOWEDBY " PB, 10000, &d),
		0);
	if (cirt_time_mono_ns() - t0 > INT64_C(5000000000))
		fail_msg("took %lld ms",
			 (long long)((cirt_time_mono_ns() - t0) / 1000000));
	/* 13 distinct observations wanted from 12: the search is
	 * exponential and runs out of budget instead of hanging */
	for (int i = 0; i < 13; i++)
		o += (size_t)snprintf(pat + o, sizeof(pat) - o, "%s%s",
				      i ? " AND " : "", PA);
	assert_int_equal(match_many(pat, 12, &d), -CIRT_ELIMIT);
	assert_non_null(strstr(d.message, "units of work"));
	assert_int_equal(match_many(pat, 13, &d), 1);
}

static void test_eval_arguments(void **state)
{
	struct cirt_pattern *p;
	struct cirt_diag d;
	bool m = true;

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(cirt_pattern_parse(PA, strlen(PA), &p, &d), 0);
	assert_int_equal(cirt_pattern_match(p, NULL, 0, &m, &d), 0);
	assert_false(m);
	m = true;
	assert_int_equal(cirt_pattern_match(p, NULL, 1, &m, &d), -CIRT_EINVAL);
	assert_false(m);
	assert_int_equal(cirt_pattern_match(NULL, NULL, 0, &m, &d),
			 -CIRT_EINVAL);
	cirt_pattern_free(p);
	cirt_pattern_free(NULL);
}

/* STIX-17: an invalid pattern yields no pattern, so it matches nothing. */
static void test_eval_invalid_matches_nothing(void **state)
{
	static const char *const bad[] = {
		"[x:y = h'abc']",
		"[x:y = b'abc']",
		"[a:x = 1 AND b:y = 2]",
		"[a:x = 1] REPEATS 0 TIMES",
	};
	static char sentinel;
	struct cirt_pattern *p;
	struct cirt_diag d;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(bad); i++) {
		cirt_diag_init(&d);
		p = (struct cirt_pattern *)(void *)&sentinel;
		assert_int_equal(
			cirt_pattern_parse(bad[i], strlen(bad[i]), &p, &d),
			-CIRT_EINVAL);
		assert_null(p);
	}
}

struct shared {
	const struct cirt_pattern *p;
	struct obsset *os;
	int hits;
};

static void *worker(void *arg)
{
	struct shared *s = arg;
	bool m;

	for (int i = 0; i < 200; i++) {
		if (cirt_pattern_match(s->p, s->os->v, s->os->n, &m, NULL) ==
			    0 &&
		    m)
			s->hits++;
	}
	return NULL;
}

/* One parsed pattern, several threads (run under TSan to check). */
static void test_eval_threads(void **state)
{
	const char *pat = "[x-str:s MATCHES '^a.c$' AND x-str:s LIKE 'a%'] "
			  "FOLLOWEDBY [x-str:s = 'abc']";
	struct shared s[4];
	pthread_t th[4];
	struct cirt_pattern *p;
	struct obsset os;

	(void)state;
	assert_int_equal(cirt_pattern_parse(pat, strlen(pat), &p, NULL), 0);
	obs_load(&os, "[{'t':1,'o':{'0':{'type':'x-str','s':'abc'}}},"
		      "{'t':2,'o':{'0':{'type':'x-str','s':'abc'}}}]");
	for (int i = 0; i < 4; i++) {
		s[i].p = p;
		s[i].os = &os;
		s[i].hits = 0;
		assert_int_equal(pthread_create(&th[i], NULL, worker, &s[i]),
				 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(s[i].hits, 200);
	}
	obs_release(&os);
	cirt_pattern_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eval_same_sco),
		cmocka_unit_test(test_eval_missing_and_incompatible),
		cmocka_unit_test(test_eval_strings),
		cmocka_unit_test(test_eval_cidr),
		cmocka_unit_test(test_eval_lists_and_refs),
		cmocka_unit_test(test_eval_binary),
		cmocka_unit_test(test_eval_numbers_bools_times),
		cmocka_unit_test(test_eval_observation_operators),
		cmocka_unit_test(test_eval_qualifiers),
		cmocka_unit_test(test_eval_scale_and_budget),
		cmocka_unit_test(test_eval_arguments),
		cmocka_unit_test(test_eval_invalid_matches_nothing),
		cmocka_unit_test(test_eval_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
