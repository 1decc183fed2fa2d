/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX pattern parser (stix/stix_pattern.c, STIX-17): a table of valid
 * patterns that covers every production of STIXPattern.g4 (observation
 * operators, qualifiers, comparison operators with and without NOT, every
 * literal form, every path form, white space and comments, lexer corner
 * cases), the STIX 2.1 section 9 examples and every indicator pattern of
 * ../shared/data/stix/{examples,interop}; a table of invalid patterns,
 * each with the error position and reason; the limits (length, nesting,
 * path components, name length) just under and over; hostile shapes
 * (thousands of ORs, deep parentheses) in linear time; the conformance
 * level and the simple-term extraction; and the parse cost.
 */
#include "testlib.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/err.h"
#include "core/text.h"
#include "core/time.h"
#include "stix/stix_pattern.h"

/* A row from a string literal that may contain NUL bytes. */
#define BYTES(lit) lit, sizeof(lit) - 1

static int parse(const char *s, size_t n, struct cirt_diag *d)
{
	struct cirt_pattern *p = NULL;
	int rc;

	cirt_diag_init(d);
	rc = cirt_pattern_parse(s, n, &p, d);
	if (rc == 0 && p == NULL)
		fail_msg("%s: success without a pattern", s);
	if (rc != 0 && p != NULL)
		fail_msg("%s: failure with a pattern", s);
	cirt_pattern_free(p);
	return rc;
}

static void must_parse(const char *s)
{
	struct cirt_diag d;

	if (parse(s, strlen(s), &d) != 0)
		fail_msg("%s: %s", s, d.message);
}

static void test_pattern_parse_valid_table(void **state)
{
	static const char *const rows[] = {
		/* comparison operators and constants */
		"[file:size = 25536]",
		"[file:name = 'foo.dll']",
		"[file:name == 'foo.dll']",
		"[file:size != 4112]",
		"[file:size <> 4112]",
		"[file:size > 256]",
		"[file:size < 1024]",
		"[file:size <= 25145]",
		"[file:size >= 33312]",
		"[file:size > -1]",
		"[file:size > +1]",
		"[file:size > 0]",
		"[file:size > -0]",
		"[x:f > 1.5]",
		"[x:f > -1.5]",
		"[x:f > .5]",
		"[x:f > -.5]",
		"[x:f > +.5]",
		"[x:f > 00.5]",
		"[x:n = 9223372036854775807]",
		"[x:n = -9223372036854775808]",
		"[x:s > 'abc']",
		"[x:t > t'2016-01-01T00:00:00Z']",
		"[x:b_hex < h'ff']",
		"[x:b_bin >= b'AAAA']",
		"[x:flag = true]",
		"[x:flag != false]",
		"[process:name IN ('proccy', 'proximus', 'badproc')]",
		"[file:size IN (1, 2.5, -3)]",
		"[x:flag IN (true, false)]",
		"[x:b_hex IN (h'00', b'AA==')]",
		"[x:t IN (t'2016-01-01T00:00:00Z')]",
		"[x:y IN ()]",
		"[x:y IN ( 'one' )]",
		"[directory:path LIKE 'C:\\\\Windows\\\\%\\\\foo']",
		"[file:name LIKE 'a_b%']",
		"[directory:path MATCHES '^C:\\\\\\\\Windows\\\\\\\\w+$']",
		"[file:name MATCHES '']",
		"[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
		"[ipv4-addr:value ISSUPERSET '198.51.100.0/24']",
		"[ipv4-addr:value ISSUBSET '198.51.100.7']",
		"[ipv4-addr:value ISSUBSET '0.0.0.0/0']",
		"[ipv6-addr:value ISSUBSET '2001:db8::/32']",
		"[ipv6-addr:value ISSUPERSET '::1']",
		"[ipv6-addr:value ISSUBSET '::ffff:10.0.0.1/128']",
		"[network-traffic:dst_ref.value ISSUBSET '10.0.0.0/8']",
		"[network-traffic:dst_ref.value ISSUBSET '2001:db8::/32']",
		"[domain-name:resolves_to_refs[*].value ISSUBSET '10.0.0.0/8']",
		"[domain-name:resolves_to_refs[0].value ISSUPERSET '10.0.0.1']",
		"[EXISTS windows-registry-key:values]",
		"[NOT EXISTS file:name]",
		"[ NOT  EXISTS  file:name ]",
		/* NOT before every operator */
		"[file:name NOT = 'x']",
		"[file:name NOT != 'x']",
		"[file:size NOT > 1]",
		"[file:size NOT < 1]",
		"[file:size NOT >= 1]",
		"[file:size NOT <= 1]",
		"[file:name NOT IN ('a', 'b')]",
		"[file:name NOT LIKE 'a%']",
		"[file:name NOT MATCHES 'a']",
		"[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']",
		"[ipv4-addr:value NOT ISSUPERSET '10.0.0.0/8']",
		/* binary, hex and timestamp constants */
		"[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']",
		"[artifact:payload_bin = b'ABI=']",
		"[artifact:payload_bin = b'AB==']",
		"[artifact:payload_bin = b'AAAA\nBBBB']", /* 9.2: LF ignored */
		"[artifact:payload_bin = b'+/+/']",
		"[file:magic_number_hex = h'ffd8']",
		"[file:magic_number_hex = h'FFD8']",
		"[file:magic_number_hex = h'']",
		"[file:created = t'2014-01-13T07:03:17Z']",
		"[file:created = t'2014-01-13T07:03:17.1Z']",
		"[file:created = t'2014-01-13T07:03:17.123456789012Z']",
		"[file:created = t'2016-02-29T00:00:00Z']",
		"[file:created = t'2000-02-29T00:00:00Z']",
		"[file:created = t'2016-12-31T23:59:60Z']",
		"[file:created = t'0000-01-01T00:00:00Z']",
		"[file:created = t'9999-12-31T23:59:59.999Z']",
		"[x:s = 'it\\'s a \\\\ test']",
		"[x:s = '']",
		"[x:s = 'line\nbreak']",
		"[x:s = '\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80']",
		/* object paths */
		"[file:hashes.'SHA-256' = 'aa']",
		"[file:hashes.MD5 = 'aa']",
		"[file:hashes.'MD5' = 'aa']",
		"[network-traffic:protocols[0] = 'tcp']",
		"[network-traffic:protocols[+1] = 'tcp']",
		"[network-traffic:protocols[-1] = 'tcp']",
		"[network-traffic:protocols[*] = 'tcp']",
		"[file:extensions.'windows-pebinary-ext'.sections[*].entropy "
		"> 7.0]",
		"[email-message:from_ref.value = 'a@example.com']",
		"[directory:contains_refs[*].name = 'x']",
		"[x:'first-prop' = 1]",
		"[x:'it\\'s' = 1]",
		"[x:'a.b'.c = 1]",
		"[x:list[0][1][*].y = 1]",
		"[x-usb-device:usbdrive.serial_number = '5758']",
		"[x509-certificate:serial_number = '4c:0b']",
		"[x_custom:foo = 1]",
		"[_x:_y = 1]",
		"[X:Y = 1]",
		"[t:x = 1]",
		"[b:h = 1]",
		"[ANDROID:x = 1]",
		"[x:ORDER = 1]",
		"[x:INx = 1]",
		"[x:trueish = 1]",
		"[a-:b = 1]",
		"[file : hashes . 'SHA-256' = 'aa']",
		/* comparison expressions: precedence and parentheses */
		"[a:x = 1 AND a:y = 2]",
		"[a:x = 1 OR b:y = 2]",
		"[a:x = 1 AND a:y = 2 OR b:z = 3]",
		"[b:z = 3 OR a:x = 1 AND a:y = 2]",
		"[(a:x = 1 OR b:y = 2)]",
		"[(a:x = 1 AND a:y = 2) OR (b:m = 1 AND b:n = 2)]",
		"[a:x = 1 AND (a:y = 2 OR a:z = 3)]",
		"[((((a:x = 1))))]",
		"[(a:x = 1 OR a:y = 2) AND (a:z = 3 OR EXISTS a:w)]",
		/* observation expressions and operators */
		"[a:x = 1] AND [b:y = 2]",
		"[a:x = 1] OR [b:y = 2]",
		"[a:x = 1] FOLLOWEDBY [b:y = 2]",
		"[a:x = 1] AND [b:y = 2] OR [c:z = 3] FOLLOWEDBY [d:w = 4]",
		"([a:x = 1] OR [b:y = 2]) AND [c:z = 3]",
		"(([a:x = 1]))",
		"[a:x=1]AND[b:y=2]",
		"[a:x=1]OR([b:y=2]FOLLOWEDBY[c:z=3])",
		/* qualifiers */
		"[a:x = 1] REPEATS 5 TIMES",
		"[a:x = 1] REPEATS +5 TIMES",
		"[a:x = 1] WITHIN 300 SECONDS",
		"[a:x = 1] WITHIN 1.5 SECONDS",
		"[a:x = 1] WITHIN .001 SECONDS",
		"[a:x = 1] START t'2016-06-01T00:00:00Z' STOP "
		"t'2016-07-01T00:00:00Z'",
		"[a:x = 1] START t'2016-06-01T00:00:00Z' STOP "
		"t'2016-06-01T00:00:00.000000001Z'",
		"[a:x = 1] REPEATS 2 TIMES WITHIN 5 SECONDS START "
		"t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
		"[a:x = 1] START t'2016-06-01T00:00:00Z' STOP "
		"t'2016-07-01T00:00:00Z' WITHIN 5 SECONDS REPEATS 2 TIMES",
		"([a:x = 1] AND [b:y = 2]) WITHIN 300 SECONDS",
		"([a:x = 1] WITHIN 5 SECONDS) WITHIN 10 SECONDS",
		"([a:x = 1] REPEATS 2 TIMES) REPEATS 3 TIMES",
		"[a:x = 1] FOLLOWEDBY [b:y = 2] REPEATS 5 TIMES",
		/* white space and comments */
		"\t[\r\na:x\n=\v1\f]\r\n",
		"\xc2\xa0[a:x = 1]\xe3\x80\x80", /* U+00A0, U+3000 */
		"[a:x\xe2\x80\x80=\xe2\x80\xa9"
		"1]", /* U+2000, U+2029 */
		"[a:x\xc2\x85=\xe1\x9a\x80"
		"1\xe2\x81\x9f]", /* U+0085 ... */
		"/* comment */ [a:x = 1] /* another */",
		"[a:x /* inside */ = 1]",
		"[a:x = 1] // to the end of the line",
		"// first line\n[a:x = 1]",
		"[a:x = 1] /**/",
		"[a:x = 1] /* ** */",
	};

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++)
		must_parse(rows[i]);
}

/* STIX 2.1 section 9 (9.1, 9.3, 9.5, 9.6, 9.8), as printed there. */
static void test_pattern_parse_spec_examples(void **state)
{
	static const char *const rows[] = {
		"[user-account:value = 'Peter']",
		"[ipv6-addr:value = '2001:db8::1']",
		"[ipv4-addr:value = '203.0.113.1' OR ipv4-addr:value = "
		"'203.0.113.2']",
		"([ipv4-addr:value = '198.51.100.5'] FOLLOWEDBY "
		"[ipv4-addr:value = '198.51.100.10'])",
		"([ipv4-addr:value = '198.51.100.5' ] AND [ipv4-addr:value = "
		"'198.51.100.10']) WITHIN 300 SECONDS",
		"[file:name = 'foo.dll'] START t'2016-06-01T00:00:00Z' STOP "
		"t'2016-07-01T00:00:00Z'",
		"[ipv4-addr:value = '198.51.100.5'] AND [ ipv4-addr:value = "
		"'198.51.100.10']",
		"[file:size = 25536]",
		"[ipv4-addr:value = '198.51.100.1/32']",
		"[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = "
		"'203.0.113.33/32' OR ipv6-addr:value = "
		"'2001:0db8:dead:beef:dead:beef:dead:0001/128']",
		"[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = "
		"'203.0.113.33/32' OR ipv6-addr:value = "
		"'2001:0db8:dead:beef:dead:beef:dead:0001/128'] REPEATS 5 "
		"TIMES",
		"([ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = "
		"'203.0.113.33/32' OR ipv6-addr:value = "
		"'2001:0db8:dead:beef:dead:beef:dead:0001/128'] FOLLOWEDBY "
		"[domain-name:value = 'example.com']) WITHIN 600 SECONDS",
		"[ network-traffic:src_ref.value = '203.0.113.10' AND "
		"network-traffic:dst_ref.value = '198.51.100.58' ]",
		"[file:name = 'foo.dll'] FOLLOWEDBY [file:name = 'bar.dll'] "
		"REPEATS 5 TIMES",
		"[file:hashes.'SHA-256' = "
		"'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb00"
		"1"
		"9f']",
		"[email-message:from_ref.value MATCHES "
		"'.+\\\\@example\\\\.com$' "
		"AND email-message:body_multipart[*].body_raw_ref.name MATCHES "
		"'^Final Report.+\\\\.exe$']",
		"[file:hashes.'SHA-256' = "
		"'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb00"
		"1"
		"9f' AND file:mime_type = 'application/x-pdf']",
		"[file:hashes.'SHA-256' = "
		"'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52"
		"a"
		"9c' OR file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']\n"
		"AND [file:hashes.'SHA-256' = "
		"'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb00"
		"1"
		"9f']",
		"([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] "
		"FOLLOWEDBY [windows-registry-key:key = "
		"'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300 SECONDS",
		"[user-account:account_type = 'unix' AND user-account:user_id "
		"= "
		"'1007' AND user-account:account_login = 'Peter'] AND "
		"[user-account:account_type = 'unix' AND user-account:user_id "
		"= "
		"'1008' AND user-account:account_login = 'Paul'] AND "
		"[user-account:account_type = 'unix' AND user-account:user_id "
		"= "
		"'1009' AND user-account:account_login = 'Mary']",
		"[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND "
		"artifact:payload_bin MATCHES "
		"'\\\\xd4\\\\xc3\\\\xb2\\\\xa1\\\\x02\\\\x00\\\\x04\\\\x00']",
		"[file:name = 'foo.dll' AND file:parent_directory_ref.path = "
		"'C:\\\\Windows\\\\System32']",
		"[file:extensions.'windows-pebinary-ext'.sections[*].entropy > "
		"7.0]",
		"[file:mime_type = 'image/bmp' AND file:magic_number_hex = "
		"h'ffd8']",
		"[network-traffic:dst_ref.type = 'ipv4-addr' AND "
		"network-traffic:dst_ref.value = '203.0.113.33/32']",
		"[network-traffic:dst_ref.type = 'domain-name' AND "
		"network-traffic:dst_ref.value = 'example.com'] REPEATS 5 "
		"TIMES "
		"WITHIN 1800 SECONDS",
		"[domain-name:value = 'www.5z8.info' AND "
		"domain-name:resolves_to_refs[*].value = '198.51.100.1/32']",
		"[url:value = 'http://example.com/foo' OR url:value = "
		"'http://example.com/bar']",
		"[x509-certificate:issuer = 'CN=WEBMAIL' AND "
		"x509-certificate:serial_number = "
		"'4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']",
		"[windows-registry-key:key = "
		"'HKEY_CURRENT_USER\\\\Software\\\\CryptoLocker\\\\Files' OR "
		"windows-registry-key:key = "
		"'HKEY_CURRENT_"
		"USER\\\\Software\\\\Microsoft\\\\CurrentVersion\\\\"
		"Run\\\\CryptoLocker_0388']",
		"[(file:name = 'pdf.exe' OR file:size = 371712) AND "
		"file:created = t'2014-01-13T07:03:17Z']",
		"[email-message:sender_ref.value = 'jdoe@example.com' AND "
		"email-message:subject = 'Conference Info']",
		"[x-usb-device:usbdrive.serial_number = "
		"'575833314133343231313937']",
		"[process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s "
		"-r "
		"localMachine Root$'] FOLLOWEDBY [process:command_line "
		"MATCHES'^.+>-add GlobalSign.cer -c -s -r "
		"localMachineTrustedPublisher$'] WITHIN 300 SECONDS",
		"[network-traffic:dst_ref.value ISSUBSET "
		"'2001:0db8:dead:beef:0000:0000:0000:0000/64']",
		"([file:name = 'foo.dll'] AND [windows-registry-key:key = "
		"'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) OR "
		"[process:image_ref.name "
		"= 'fooproc' OR process:image_ref.name = 'procfoo']",
		"[file:size != 4112]",
		"[file:size <= 25145]",
		"[process:name IN ('proccy', 'proximus', 'badproc')]",
		"[directory:path LIKE 'C:\\\\Windows\\\\%\\\\foo']",
		"[directory:path MATCHES '^C:\\\\\\\\Windows\\\\\\\\w+$']",
		"[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
		"[ipv4-addr:value ISSUPERSET '198.51.100.0/24']",
		"[EXISTS windows-registry-key:values]",
		"[artifact:payload_bin = 'dGhpcyBpcyBhIHRlc3Q=']",
		"[artifact:payload_bin = 'this is a test']",
		"[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']",
		"[artifact:payload_bin = h'7468697320697320612074657374']",
		"[file:hashes.ssdeep = 'x']",
		"[file:extensions.'raster-image-ext'.image_height > 10]",
	};

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++)
		must_parse(rows[i]);
}

/* "at POS: ..." containing why, with code; false (and a message) if not. */
static bool error_is(const char *s, size_t n, int code, size_t pos,
		     const char *why)
{
	struct cirt_diag d;
	char at[32];
	int rc = parse(s, n, &d);

	snprintf(at, sizeof(at), "at %zu: ", pos);
	if (rc == code && strncmp(d.message, at, strlen(at)) == 0 &&
	    strstr(d.message, why) != NULL)
		return true;
	printf("# %.60s: %d \"%s\", want %d \"%s...%s\"\n", s, rc, d.message,
	       code, at, why);
	return false;
}

static void check_error(const char *s, size_t n, int code, size_t pos,
			const char *why)
{
	if (!error_is(s, n, code, pos, why))
		fail();
}

static void test_pattern_parse_invalid_table(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		size_t pos;
		const char *why;
	} rows[] = {
		/* structure */
		{BYTES(""), 0, "expected '[' or '(' but found the end"},
		{BYTES("   "), 3, "expected '[' or '('"},
		{BYTES("file:name = 'x'"), 0,
		 "expected '[' or '(' but found "
		 "'file'"},
		{BYTES("[file:name = 'x'"), 16,
		 "expected ']' but found the end"},
		{BYTES("[file:name = 'x' a:b = 1]"), 17,
		 "expected ']' but found 'a'"},
		{BYTES("[file:name = 'x']]"), 17,
		 "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the "
		 "pattern but found ']'"},
		{BYTES("[file:name = 'x' AND]"), 20,
		 "expected an object path, EXISTS or '(' but found ']'"},
		{BYTES("[file:name 'x']"), 11,
		 "expected a comparison operator but found string 'x'"},
		{BYTES("[file:name = ]"), 13, "expected a constant after '='"},
		{BYTES("[file name = 'x']"), 6,
		 "expected ':' after the object type but found 'name'"},
		{BYTES("[file: = 'x']"), 7,
		 "expected a property name after ':' but found '='"},
		{BYTES("[file:name. = 'x']"), 12,
		 "expected a property name after '.'"},
		{BYTES("[x:a-b = 1]"), 3, "property name 'a-b' contains '-'"},
		{BYTES("[x:y.a-b = 1]"), 5, "property name 'a-b' contains '-'"},
		{BYTES("[x:true = 1]"), 3,
		 "expected a property name after ':' but found 'true'"},
		{BYTES("[x:IN = 1]"), 3, "expected a property name after ':'"},
		{BYTES("[AND:x = 1]"), 1, "expected an object path"},
		{BYTES("[]"), 1, "expected an object path, EXISTS or '('"},
		{BYTES("()"), 1, "expected '[' or '('"},
		{BYTES("([a:x = 1]"), 10, "expected ')'"},
		{BYTES("[a:x = 1])"), 9, "expected AND, OR, FOLLOWEDBY"},
		{BYTES("[(a:x = 1]"), 9, "expected ')' but found ']'"},
		{BYTES("[a:x = 1] AND"), 13,
		 "expected '[' or '(' but found the "
		 "end"},
		{BYTES("[a:x = 1] FOLLOWEDBY"), 20, "expected '[' or '('"},
		{BYTES("[a:x = 1] OR OR [b:y = 2]"), 13,
		 "expected '[' or '(' but found 'OR'"},
		{BYTES("[a:x = 1] LAST 5"), 10, "but found 'LAST'"},
		{BYTES("[a:x = 1] ^"), 10, "but found '^'"},
		{BYTES("[a:x = 1] [b:y = 2]"), 10, "but found '['"},
		{BYTES("[NOT a:x = 1]"), 5,
		 "expected EXISTS after a leading NOT"},
		{BYTES("[a:x NOT EXISTS]"), 9,
		 "expected a comparison operator but found 'EXISTS'"},
		{BYTES("[a:x NOT NOT = 1]"), 9,
		 "expected a comparison operator but found 'NOT'"},
		{BYTES("[EXISTS 'a']"), 8, "expected an object path"},
		{BYTES("[a:x = 1 AND (a:y = 2]"), 21, "expected ')'"},
		/* lexer */
		{BYTES("[a:x = 1] $"), 10, "unexpected character '$'"},
		{BYTES("[a:x = 1] \xc3\xa9"), 10,
		 "unexpected character U+00E9"},
		{BYTES("[a:x = 1] \x01"), 10, "unexpected character U+0001"},
		{BYTES("[a:x = 1]\x00"), 9, "unexpected character U+0000"},
		{BYTES("[a:x ! 1]"), 5, "unexpected character '!'"},
		{BYTES("[a:x = 'y'] \xff"), 12, "not valid UTF-8"},
		{BYTES("[a:x = '\xc0\xaf']"), 8, "not valid UTF-8"},
		{BYTES("[a:x = 1] /* open"), 10, "unterminated comment"},
		{BYTES("[a:x = 1] /*/"), 10, "unterminated comment"},
		{BYTES("[a:x = 1] /"), 10, "but found '/'"},
		{BYTES("[a:x = 'y]"), 7, "unterminated string"},
		{BYTES("[a:x = 'a\\nb']"), 9, "invalid escape in a string"},
		{BYTES("[a:x = 'a\\"), 9, "invalid escape in a string"},
		{BYTES("[a:x = 012]"), 8, "expected ']' but found '12'"},
		{BYTES("[a:x = 1.]"), 8, "expected ']' but found '.'"},
		{BYTES("[a:x = 1e5]"), 8, "expected ']' but found 'e5'"},
		{BYTES("[a:x = --1]"), 7,
		 "expected a constant after '=' but "
		 "found '-'"},
		{BYTES("[a:x = 9223372036854775808]"), 7,
		 "integer out of range"},
		{BYTES("[a:x = -9223372036854775809]"), 7,
		 "integer out of range"},
		{BYTES("[a:x = t'2016-01-01T00:00:00Z]"), 7,
		 "unterminated t'...' constant"},
		/* constants */
		{BYTES("[x:y = h'abc']"), 7, "even number of digits, not 3"},
		{BYTES("[x:y = h'zz']"), 7, "invalid hex digit"},
		{BYTES("[x:y = b'abc']"), 7, "invalid base64"},
		{BYTES("[x:y = b'']"), 7, "invalid base64"},
		{BYTES("[x:y = b'\n']"), 7, "invalid base64"},
		{BYTES("[x:y = b'A===']"), 7, "invalid base64"},
		{BYTES("[x:y = b'AA=A']"), 7, "invalid base64"},
		{BYTES("[x:y = b'AA==AAAA']"), 7, "invalid base64"},
		{BYTES("[x:y = b'AA-_']"), 7, "invalid base64"},
		{BYTES("[x:y = t'2016-02-30T00:00:00Z']"), 7,
		 "not a real calendar date"},
		{BYTES("[x:y = t'2015-02-29T00:00:00Z']"), 7,
		 "not a real calendar date"},
		{BYTES("[x:y = t'1900-02-29T00:00:00Z']"), 7,
		 "not a real calendar date"},
		{BYTES("[x:y = t'2016-13-01T00:00:00Z']"), 7,
		 "not a real calendar date"},
		{BYTES("[x:y = t'2016-00-01T00:00:00Z']"), 7,
		 "not a real calendar date"},
		{BYTES("[x:y = t'2016-04-31T00:00:00Z']"), 7,
		 "not a real calendar date"},
		{BYTES("[x:y = t'2016-01-00T00:00:00Z']"), 7,
		 "not a real calendar date"},
		{BYTES("[x:y = t'2016-01-01T24:00:00Z']"), 7,
		 "not a real time of day"},
		{BYTES("[x:y = t'2016-01-01T00:60:00Z']"), 7,
		 "not a real time of day"},
		{BYTES("[x:y = t'2016-01-01T00:00:61Z']"), 7,
		 "not a real time of day"},
		{BYTES("[x:y = t'2016-01-01T12:00:60Z']"), 7,
		 "not a real time of day"},
		{BYTES("[x:y = t'2016-06-29T23:59:60Z']"), 7,
		 "not a real time of day"},
		{BYTES("[x:y = t'2016-01-01T00:00:00']"), 7, "the timestamp"},
		{BYTES("[x:y = t'2016-01-01T00:00:00z']"), 7, "the timestamp"},
		{BYTES("[x:y = t'2016-01-01T00:00:00.Z']"), 7, "the timestamp"},
		{BYTES("[x:y = t'2016-01-01 00:00:00Z']"), 7, "the timestamp"},
		{BYTES("[x:y = t'2016-01-01T00:00:00+01:00']"), 7,
		 "the timestamp"},
		{BYTES("[x:y = t'16-01-01T00:00:00Z']"), 7, "the timestamp"},
		{BYTES("[x:y = t'']"), 7, "the timestamp"},
		/* operators and their constants */
		{BYTES("[x:y > true]"), 7,
		 "expected a string, number, binary or timestamp constant "
		 "after '>' but found 'true'"},
		{BYTES("[x:y <= false]"), 8, "constant after '<='"},
		{BYTES("[x:y LIKE 5]"), 10,
		 "expected a string after LIKE but "
		 "found '5'"},
		{BYTES("[x:y LIKE b'AAAA']"), 10,
		 "expected a string after LIKE"},
		{BYTES("[x:y MATCHES h'00']"), 13,
		 "a string (the regex) after "
		 "MATCHES"},
		{BYTES("[x:y ISSUBSET 5]"), 14, "a string after ISSUBSET"},
		{BYTES("[x:y ISSUPERSET 5]"), 16, "a string after ISSUPERSET"},
		{BYTES("[x:y MATCHES '(']"), 13,
		 "invalid regular expression: missing closing parenthesis"},
		{BYTES("[x:y MATCHES 'a{2,1}']"), 13,
		 "invalid regular expression"},
		{BYTES("[x:y_bin MATCHES '(\xc4\x80']"), 17,
		 "invalid regular expression"},
		{BYTES("[x:y IN ('a', 1)]"), 14,
		 "must all be of one type, but a number follows a string"},
		{BYTES("[x:y IN (1, true)]"), 12, "a boolean follows a number"},
		{BYTES("[x:y IN (h'00', t'2016-01-01T00:00:00Z')]"), 16,
		 "a timestamp follows binary"},
		{BYTES("[x:y IN ('a',)]"), 13,
		 "expected a constant in the IN set but found ')'"},
		{BYTES("[x:y IN 'a']"), 8, "expected '(' after IN"},
		{BYTES("[x:y IN ('a' 'b')]"), 13, "expected ',' or ')'"},
		{BYTES("[x:y IN (]"), 9, "expected a constant in the IN set"},
		{BYTES("[x:y IN"), 7, "expected '(' after IN"},
		/* same-SCO rule (STIX 2.1 9.5) */
		{BYTES("[a:x = 1 AND b:y = 2]"), 13,
		 "comparisons joined by AND must start from the same object "
		 "type ('a' and 'b')"},
		{BYTES("[a:x = 1 AND a:y = 2 AND b:z = 3]"), 25,
		 "('a' and 'b')"},
		{BYTES("[(a:x = 1 OR b:y = 2) AND a:z = 3]"), 2,
		 "this operand mixes several"},
		{BYTES("[a:z = 3 AND (a:x = 1 OR b:y = 2)]"), 14,
		 "this operand mixes several"},
		{BYTES("[EXISTS a:x AND NOT EXISTS b:y]"), 27, "('a' and 'b')"},
		/* qualifiers */
		{BYTES("[a:x = 1] REPEATS 0 TIMES"), 18,
		 "REPEATS needs a positive integer"},
		{BYTES("[a:x = 1] REPEATS +0 TIMES"), 18,
		 "REPEATS needs a positive integer"},
		{BYTES("[a:x = 1] REPEATS -1 TIMES"), 18,
		 "expected a positive integer after REPEATS but found '-1'"},
		{BYTES("[a:x = 1] REPEATS 1.5 TIMES"), 18,
		 "expected a positive integer after REPEATS"},
		{BYTES("[a:x = 1] REPEATS 2"), 19, "expected TIMES"},
		{BYTES("[a:x = 1] REPEATS 2 SECONDS"), 20, "expected TIMES"},
		{BYTES("[a:x = 1] WITHIN 0 SECONDS"), 17,
		 "WITHIN needs a positive number of seconds"},
		{BYTES("[a:x = 1] WITHIN 0.0 SECONDS"), 17,
		 "WITHIN needs a positive number of seconds"},
		{BYTES("[a:x = 1] WITHIN -5 SECONDS"), 17,
		 "expected a positive number after WITHIN but found '-5'"},
		{BYTES("[a:x = 1] WITHIN '5' SECONDS"), 17,
		 "expected a positive number after WITHIN"},
		{BYTES("[a:x = 1] WITHIN 5"), 18, "expected SECONDS"},
		{BYTES("[a:x = 1] WITHIN 5 TIMES"), 19, "expected SECONDS"},
		{BYTES("[a:x = 1] START t'2016-01-02T00:00:00Z' STOP "
		       "t'2016-01-01T00:00:00Z'"),
		 10, "START must be earlier than STOP"},
		{BYTES("[a:x = 1] START t'2016-01-01T00:00:00Z' STOP "
		       "t'2016-01-01T00:00:00.000Z'"),
		 10, "START must be earlier than STOP"},
		{BYTES("[a:x = 1] START '2016-01-01T00:00:00Z' STOP "
		       "t'2016-01-02T00:00:00Z'"),
		 16, "expected a timestamp after START"},
		{BYTES("[a:x = 1] START t'2016-01-01T00:00:00Z'"), 39,
		 "expected STOP"},
		{BYTES("[a:x = 1] START t'2016-01-01T00:00:00Z' STOP 5"), 45,
		 "expected a timestamp after STOP"},
		{BYTES("[a:x = 1] STOP t'2016-01-01T00:00:00Z'"), 10,
		 "but found 'STOP'"},
		{BYTES("[a:x = 1] REPEATS 2 TIMES REPEATS 3 TIMES"), 26,
		 "only one REPEATS qualifier"},
		{BYTES("[a:x = 1] WITHIN 2 SECONDS REPEATS 2 TIMES WITHIN 3 "
		       "SECONDS"),
		 43, "only one WITHIN qualifier"},
		{BYTES("[a:x = 1] START t'2016-01-01T00:00:00Z' STOP "
		       "t'2016-01-02T00:00:00Z' START t'2016-01-01T00:00:00Z' "
		       "STOP t'2016-01-02T00:00:00Z'"),
		 69, "only one START/STOP qualifier"},
		{BYTES("([a:x = 1] WITHIN 2 SECONDS) WITHIN 3 SECONDS WITHIN 4 "
		       "SECONDS"),
		 46, "only one WITHIN qualifier"},
		/* paths */
		{BYTES("[a:x[1.5] = 1]"), 5, "expected a list index or '*'"},
		{BYTES("[a:x['a'] = 1]"), 5, "expected a list index or '*'"},
		{BYTES("[a:x[1 = 1]"), 7, "expected ']' after the list index"},
		{BYTES("[a:x[99999999999999999999] = 1]"), 5,
		 "integer out of range"},
		{BYTES("[a:'x\x00y' = 1]"), 3, "must not contain U+0000"},
		/* ISSUBSET / ISSUPERSET */
		{BYTES("[ipv4-addr:value ISSUBSET 'foo']"), 26,
		 "ISSUBSET needs an IPv4 address or CIDR block, not 'foo'"},
		{BYTES("[ipv4-addr:value ISSUBSET '2001:db8::/32']"), 26,
		 "needs an IPv4 address"},
		{BYTES("[ipv6-addr:value ISSUPERSET '10.0.0.0/8']"), 28,
		 "ISSUPERSET needs an IPv6 address"},
		{BYTES("[ipv4-addr:value ISSUBSET '10.0.0.0/33']"), 26,
		 "needs an IPv4"},
		{BYTES("[ipv4-addr:value ISSUBSET '010.0.0.0/8']"), 26,
		 "needs an IPv4"},
		{BYTES("[ipv4-addr:value ISSUBSET '10.0.0.0/08']"), 26,
		 "needs an IPv4"},
		{BYTES("[ipv4-addr:value ISSUBSET '10.0.0/8']"), 26,
		 "needs an IPv4"},
		{BYTES("[ipv4-addr:value ISSUBSET '10.0.0.256']"), 26,
		 "needs an IPv4"},
		{BYTES("[ipv4-addr:value ISSUBSET '10.0.0.0/']"), 26,
		 "needs an IPv4"},
		{BYTES("[ipv4-addr:value ISSUBSET ' 10.0.0.0']"), 26,
		 "needs an IPv4"},
		{BYTES("[ipv6-addr:value ISSUBSET '2001:db8::/129']"), 26,
		 "needs an IPv6"},
		{BYTES("[ipv6-addr:value ISSUBSET '2001:db8:::1']"), 26,
		 "needs an IPv6"},
		{BYTES("[ipv6-addr:value ISSUBSET 'fe80::1%eth0']"), 26,
		 "needs an IPv6"},
		{BYTES("[network-traffic:dst_ref.value ISSUBSET 'x']"), 40,
		 "needs an IP address"},
		{BYTES("[file:name ISSUBSET '10.0.0.0/8']"), 1,
		 "ISSUBSET applies only to the value of an ipv4-addr or "
		 "ipv6-addr object"},
		{BYTES("[ipv4-addr:resolves_to_refs ISSUBSET '10.0.0.0/8']"), 1,
		 "applies only to the value"},
		{BYTES("[ipv4-addr:value.x ISSUBSET '10.0.0.0/8']"), 1,
		 "applies only to the value"},
		{BYTES("[network-traffic:dst.value ISSUPERSET '10.0.0.0/8']"),
		 1, "ISSUPERSET applies only to the value"},
		{BYTES("[domain-name:list[*].value ISSUBSET '10.0.0.0/8']"), 1,
		 "applies only to the value"},
	};

	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++)
		bad += !error_is(rows[i].s, rows[i].len, -CIRT_EINVAL,
				 rows[i].pos, rows[i].why);
	assert_int_equal(bad, 0);
}

/* A pattern of exactly len bytes: "[a:x = 1]" padded with spaces. */
static char *padded(size_t len)
{
	char *s = malloc(len + 1);

	memset(s, ' ', len);
	memcpy(s, "[a:x = 1]", 9);
	s[len] = '\0';
	return s;
}

/* Long tokens are cut in messages, at a character boundary. */
static void test_pattern_error_quotes_long_tokens(void **state)
{
	char pat[256], want[128];
	struct cirt_diag d;
	size_t o;

	(void)state;
	o = (size_t)snprintf(pat, sizeof(pat), "[a:x = 1] ");
	memset(pat + o, 'a', 60);
	pat[o + 60] = '\0';
	memset(want, 'a', 40);
	snprintf(want + 40, sizeof(want) - 40, "...'");
	check_error(pat, strlen(pat), -CIRT_EINVAL, 10, want);
	o = (size_t)snprintf(pat, sizeof(pat), "[a:x = 1] 'xx");
	for (int i = 0; i < 40; i++)
		o += (size_t)snprintf(pat + o, 3, "\xc3\xa9");
	snprintf(pat + o, sizeof(pat) - o, "'");
	assert_int_equal(parse(pat, strlen(pat), &d), -CIRT_EINVAL);
	assert_non_null(strstr(d.message, "found string 'xx\xc3\xa9"));
	assert_non_null(strstr(d.message, "\xc3\xa9..."));
	assert_true(cirt_utf8_valid(d.message, strlen(d.message), NULL));
}

static void test_pattern_limit_length(void **state)
{
	struct cirt_diag d;
	char *s;

	(void)state;
	s = padded(CIRT_PATTERN_MAX_LEN);
	assert_int_equal(parse(s, CIRT_PATTERN_MAX_LEN, &d), 0);
	free(s);
	s = padded(CIRT_PATTERN_MAX_LEN + 1);
	check_error(s, CIRT_PATTERN_MAX_LEN + 1, -CIRT_ELIMIT,
		    CIRT_PATTERN_MAX_LEN, "pattern longer than 65536 bytes");
	free(s);
}

/* n '(' around "[" inner "]", or n '(' inside "[...]" when inner. */
static char *nested(size_t n, bool inside)
{
	const char *leaf = inside ? "a:x = 1" : "[a:x = 1]";
	size_t len = 2 * n + strlen(leaf) + 2, o = 0;
	char *s = malloc(len + 1);

	if (inside)
		s[o++] = '[';
	memset(s + o, '(', n);
	o += n;
	memcpy(s + o, leaf, strlen(leaf));
	o += strlen(leaf);
	memset(s + o, ')', n);
	o += n;
	if (inside)
		s[o++] = ']';
	s[o] = '\0';
	return s;
}

static void test_pattern_limit_depth(void **state)
{
	const size_t max = CIRT_PATTERN_MAX_DEPTH;
	struct cirt_diag d;
	char *s;

	(void)state;
	/* observation level: n '(' and the '[' make n + 1 levels */
	s = nested(max - 1, false);
	assert_int_equal(parse(s, strlen(s), &d), 0);
	free(s);
	s = nested(max, false);
	check_error(s, strlen(s), -CIRT_ELIMIT, max,
		    "nested deeper than 64 levels");
	free(s);
	/* comparison level */
	s = nested(max - 1, true);
	assert_int_equal(parse(s, strlen(s), &d), 0);
	free(s);
	s = nested(max, true);
	check_error(s, strlen(s), -CIRT_ELIMIT, max,
		    "nested deeper than 64 levels");
	free(s);
	/* far too deep: stops at the limit, not after reading it all */
	s = nested(100000, false);
	check_error(s, strlen(s) > CIRT_PATTERN_MAX_LEN ? 60000 : strlen(s),
		    -CIRT_ELIMIT, max, "nested deeper");
	free(s);
}

/* "[a:p.p.p... = 1]" with n names. */
static char *long_path(size_t n)
{
	size_t len = 4 + 3 * n + 6, o = 0;
	char *s = malloc(len + 1);

	memcpy(s, "[a:p", 4);
	o = 4;
	for (size_t i = 1; i < n; i++) {
		memcpy(s + o, i % 2 ? ".p" : "[0]", i % 2 ? 2 : 3);
		o += i % 2 ? 2 : 3;
	}
	memcpy(s + o, " = 1]", 6);
	return s;
}

static void test_pattern_limit_path(void **state)
{
	const size_t max = CIRT_PATTERN_MAX_STEPS;
	struct cirt_diag d;
	char *s;

	(void)state;
	s = long_path(max);
	assert_int_equal(parse(s, strlen(s), &d), 0);
	free(s);
	s = long_path(max + 1);
	assert_int_equal(parse(s, strlen(s), &d), -CIRT_ELIMIT);
	assert_non_null(strstr(d.message, "object path longer than 64"));
	free(s);
}

static void test_pattern_limit_names(void **state)
{
	const size_t max = CIRT_PATTERN_MAX_NAME;
	char name[400], pat[1024];

	(void)state;
	for (size_t n = max; n <= max + 1; n++) {
		memset(name, 'a', n);
		name[n] = '\0';
		snprintf(pat, sizeof(pat), "[%s:x = 1]", name);
		if (n == max)
			must_parse(pat);
		else
			check_error(pat, strlen(pat), -CIRT_EINVAL, 1,
				    "object type longer than 250 bytes");
		snprintf(pat, sizeof(pat), "[a:%s = 1]", name);
		if (n == max)
			must_parse(pat);
		else
			check_error(pat, strlen(pat), -CIRT_EINVAL, 3,
				    "property name longer than 250 bytes");
		snprintf(pat, sizeof(pat), "[a:x.'%s' = 1]", name);
		if (n == max)
			must_parse(pat);
		else
			check_error(pat, strlen(pat), -CIRT_EINVAL, 5,
				    "property name longer than 250 bytes");
	}
	/* escapes do not count: 250 names with \' inside */
	memset(name, 'a', max);
	memcpy(name, "\\'", 2);
	name[max + 1] = '\0';
	snprintf(pat, sizeof(pat), "[a:'%s' = 1]", name);
	must_parse(pat);
}

/* Thousands of operands: linear, and no deep recursion. */
static void test_pattern_hostile_shapes(void **state)
{
	const size_t n = 4000;
	struct cirt_diag d;
	char *s = malloc(n * 24 + 64);
	size_t o = 0;
	int64_t t0;

	(void)state;
	/* comparison ORs */
	o = 0;
	s[o++] = '[';
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(s + o, 24, "%sa:x = %zu", i ? " OR " : "",
				      i);
	s[o++] = ']';
	t0 = cirt_time_mono_ns();
	assert_int_equal(parse(s, o, &d), 0);
	/* observation ORs, ANDs and FOLLOWEDBYs */
	for (int k = 0; k < 3; k++) {
		static const char *const ops[] = {" OR ", " AND ",
						  " FOLLOWEDBY "};
		o = 0;
		for (size_t i = 0; i < n / 2; i++)
			o += (size_t)snprintf(s + o, 32, "%s[a:x = 1]",
					      i ? ops[k] : "");
		assert_int_equal(parse(s, o, &d), 0);
	}
	/* many qualifiers, each on its own parenthesised level */
	o = 0;
	for (size_t i = 0; i < 60; i++)
		s[o++] = '(';
	o += (size_t)snprintf(s + o, 16, "[a:x = 1]");
	for (size_t i = 0; i < 60; i++)
		o += (size_t)snprintf(s + o, 24, ") REPEATS %zu TIMES", i + 1);
	assert_int_equal(parse(s, o, &d), 0);
	/* a long run of '(' cut off early */
	memset(s, '(', 60000);
	check_error(s, 60000, -CIRT_ELIMIT, 64, "nested deeper");
	if (cirt_time_mono_ns() - t0 > INT64_C(2000000000))
		fail_msg("hostile shapes took %lld ms",
			 (long long)((cirt_time_mono_ns() - t0) / 1000000));
	free(s);
}

static int level_of(const char *s)
{
	struct cirt_pattern *p;
	struct cirt_diag d;
	int level;

	cirt_diag_init(&d);
	if (cirt_pattern_parse(s, strlen(s), &p, &d) != 0)
		fail_msg("%s: %s", s, d.message);
	level = cirt_pattern_level(p);
	cirt_pattern_free(p);
	return level;
}

static void test_pattern_level(void **state)
{
	(void)state;
	assert_int_equal(level_of("[a:x = 1]"), 1);
	assert_int_equal(level_of("[a:x = 1 OR b:y LIKE 'x%']"), 1);
	assert_int_equal(level_of("(([a:x = 1]))"), 1);
	assert_int_equal(level_of("[a:x = 1] AND [b:y = 2]"), 2);
	assert_int_equal(level_of("[a:x = 1] OR [b:y = 2]"), 2);
	assert_int_equal(level_of("[a:x = 1] FOLLOWEDBY [b:y = 2]"), 3);
	assert_int_equal(level_of("[a:x = 1] REPEATS 2 TIMES"), 3);
	assert_int_equal(level_of("[a:x = 1] WITHIN 2 SECONDS"), 3);
	assert_int_equal(level_of("([a:x = 1] OR [b:y = 2]) START "
				  "t'2016-01-01T00:00:00Z' STOP "
				  "t'2016-01-02T00:00:00Z'"),
			 3);
}

static void test_pattern_terms_simple(void **state)
{
	const char *s = "[ipv4-addr:value = '10.0.0.1' OR "
			"file:hashes.'SHA-256' = 'ab'] OR "
			"([url:value IN ('http://a/', 'http://b/')] OR "
			"[x:list[*].'it\\'s'[0] > 5])";
	struct cirt_pattern_term *t;
	struct cirt_pattern *p;
	struct cirt_diag d;
	size_t n;

	(void)state;
	cirt_diag_init(&d);
	assert_int_equal(cirt_pattern_parse(s, strlen(s), &p, &d), 0);
	assert_int_equal(cirt_pattern_terms(p, &t, &n, &d), 0);
	assert_int_equal(n, 4);
	assert_string_equal(t[0].type, "ipv4-addr");
	assert_string_equal(t[0].path, "value");
	assert_int_equal(t[0].op, CIRT_PATTERN_OP_EQ);
	assert_int_equal(t[0].nvalues, 1);
	assert_int_equal(t[0].values[0].kind, CIRT_PATTERN_V_STRING);
	assert_string_equal(t[0].values[0].str, "10.0.0.1");
	assert_string_equal(t[1].type, "file");
	assert_string_equal(t[1].path, "hashes.'SHA-256'");
	assert_string_equal(t[2].type, "url");
	assert_int_equal(t[2].op, CIRT_PATTERN_OP_IN);
	assert_int_equal(t[2].nvalues, 2);
	assert_string_equal(t[2].values[1].str, "http://b/");
	assert_string_equal(t[3].path, "list[*].'it\\'s'[0]");
	assert_int_equal(t[3].op, CIRT_PATTERN_OP_GT);
	assert_int_equal(t[3].values[0].kind, CIRT_PATTERN_V_INT);
	assert_int_equal(t[3].values[0].i, 5);
	free(t);
	cirt_pattern_free(p);
}

static void test_pattern_terms_not_simple(void **state)
{
	static const struct {
		const char *s;
		const char *why;
	} rows[] = {
		{"[a:x = 1 AND a:y = 2]",
		 "not simple: at 1: comparisons joined "
		 "by AND"},
		{"[a:x NOT = 1]", "not simple: at 1: a comparison with NOT"},
		{"[a:x = 1] AND [b:y = 2]",
		 "not simple: at 0: observation expressions joined by AND"},
		{"[a:x = 1] OR [b:y = 2] FOLLOWEDBY [c:z = 3]",
		 "not simple: at 0: FOLLOWEDBY"},
		{"[a:x = 1] OR [b:y = 2] REPEATS 2 TIMES",
		 "not simple: at 23: a REPEATS qualifier"},
		{"[a:x = 1] WITHIN 2 SECONDS", "a WITHIN qualifier"},
		{"[a:x = 1] START t'2016-01-01T00:00:00Z' STOP "
		 "t'2016-01-02T00:00:00Z'",
		 "a START/STOP qualifier"},
	};
	struct cirt_pattern_term *t;
	struct cirt_pattern *p;
	struct cirt_diag d;
	size_t n;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		cirt_diag_init(&d);
		assert_int_equal(cirt_pattern_parse(rows[i].s,
						    strlen(rows[i].s), &p, &d),
				 0);
		assert_int_equal(cirt_pattern_terms(p, &t, &n, &d),
				 -CIRT_EINVAL);
		assert_null(t);
		if (strstr(d.message, rows[i].why) == NULL)
			fail_msg("%s: \"%s\", want \"%s\"", rows[i].s,
				 d.message, rows[i].why);
		cirt_pattern_free(p);
	}
}

/* Parse the pattern of every STIX indicator below v. */
static size_t indicators(json_t *v, const char *file)
{
	const char *key, *type, *ptype;
	const json_t *pat;
	size_t n = 0, i;
	json_t *x;

	if (json_is_array(v)) {
		json_array_foreach (v, i, x)
			n += indicators(x, file);
		return n;
	}
	if (!json_is_object(v))
		return 0;
	type = json_string_value(json_object_get(v, "type"));
	ptype = json_string_value(json_object_get(v, "pattern_type"));
	pat = json_object_get(v, "pattern");
	if (type && strcmp(type, "indicator") == 0 && json_is_string(pat) &&
	    (ptype == NULL || strcmp(ptype, "stix") == 0)) {
		struct cirt_diag d;

		if (parse(json_string_value(pat), json_string_length(pat),
			  &d) != 0)
			fail_msg("%s: %s: %s", file, json_string_value(pat),
				 d.message);
		n++;
	}
	json_object_foreach (v, key, x)
		n += indicators(x, file);
	return n;
}

static void test_pattern_shared_indicators(void **state)
{
	static const char *const dirs[] = {"stix/examples", "stix/interop"};
	const char *root = test_shared_data("indicator patterns");
	char path[1024];
	struct dirent *de;
	json_error_t err;
	size_t n = 0, len;
	json_t *doc;
	char *text;
	DIR *dir;

	(void)state;
	if (root == NULL)
		return;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		if ((dir = opendir(path)) == NULL)
			continue;
		while ((de = readdir(dir)) != NULL) {
			len = strlen(de->d_name);
			if (len < 5 || strcmp(de->d_name + len - 5, ".json"))
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", root, dirs[i],
				 de->d_name);
			text = test_read_file(path, &len);
			doc = json_loadb(text, len, 0, &err);
			if (doc == NULL)
				fail_msg("%s: %s", path, err.text);
			n += indicators(doc, path);
			json_decref(doc);
			free(text);
		}
		closedir(dir);
	}
	printf("# %zu indicator patterns in the shared data parsed\n", n);
	assert_true(n > 0);
}

/* Not a correctness test: the cost of a typical import-time parse. */
static void test_pattern_parse_cost(void **state)
{
	static const char *const rows[] = {
		"[ipv4-addr:value = '198.51.100.1']",
		"[file:hashes.'SHA-256' = "
		"'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb00"
		"1"
		"9f']",
		"[url:value = 'http://example.com/foo' OR url:value = "
		"'http://example.com/bar']",
		"[email-message:from_ref.value MATCHES "
		"'.+\\\\@example\\\\.com$']",
	};
	const int iters = 20000;
	struct cirt_pattern *p;
	int64_t t0, ns;

	(void)state;
	for (size_t r = 0; r < CIRT_ARRAY_LEN(rows); r++) {
		t0 = cirt_time_mono_ns();
		for (int i = 0; i < iters; i++) {
			if (cirt_pattern_parse(rows[r], strlen(rows[r]), &p,
					       NULL) != 0)
				fail_msg("%s", rows[r]);
			cirt_pattern_free(p);
		}
		ns = (cirt_time_mono_ns() - t0) / iters;
		printf("# parse %lld ns: %s\n", (long long)ns, rows[r]);
		/* generous: sanitizer builds are several times slower */
		assert_true(ns < 500000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_parse_valid_table),
		cmocka_unit_test(test_pattern_parse_spec_examples),
		cmocka_unit_test(test_pattern_parse_invalid_table),
		cmocka_unit_test(test_pattern_error_quotes_long_tokens),
		cmocka_unit_test(test_pattern_limit_length),
		cmocka_unit_test(test_pattern_limit_depth),
		cmocka_unit_test(test_pattern_limit_path),
		cmocka_unit_test(test_pattern_limit_names),
		cmocka_unit_test(test_pattern_hostile_shapes),
		cmocka_unit_test(test_pattern_level),
		cmocka_unit_test(test_pattern_terms_simple),
		cmocka_unit_test(test_pattern_terms_not_simple),
		cmocka_unit_test(test_pattern_shared_indicators),
		cmocka_unit_test(test_pattern_parse_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
