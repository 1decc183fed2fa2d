/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The event setters (feed/event.c), enrichment (feed/enrich.c) and
 * routing (feed/route.c):
 *  - cirt_event_set for every field name it lists, times in each
 *    accepted form (RFC 3339 with Z and with an offset, a space for the
 *    T, no zone, a bare date, Unix seconds) and refused ones, ports and
 *    AS numbers at and past their bounds, country codes; extra as JSON
 *    text (quotes, control characters, NUL, bytes that are not UTF-8)
 *    and its budget just under and over CIRT_EVENT_EXTRA_MAX;
 *  - canonical domain names (case, trailing dot, IDN to A-labels,
 *    non-transitional, bad labels, 63/64-byte labels, 253/254-byte
 *    names) and URLs (scheme and host case, default ports, empty path,
 *    query, fragment and userinfo kept, IPv6 and IDN hosts, bad hosts,
 *    the 2048-byte limit);
 *  - cirt_event_enrich: the URL's host as source.fqdn or source.ip, a bad
 *    name dropped and counted, ASN and country only where unset;
 *  - the geo prefix table (comments, longest prefix, a long comment
 *    line, a bad line named file:line) and MaxMind databases made here
 *    with Perl's MaxMind::DB::Writer (skipped, with a message, without
 *    it), the table winning over them;
 *  - routing: cidr before asn before domain, longest range, a network
 *    routed to the range holding it, domain suffixes label by label and
 *    never a TLD alone, unrouted events cleared; a snapshot loaded from
 *    the store (constituents made with cirt_constituent_add) on SQLite
 *    and PostgreSQL.
 */
#include "testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "account/org.h"
#include "core/buf.h"
#include "core/ip.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/time.h"
#include "feed/constituent.h"
#include "feed/enrich.h"
#include "feed/event.h"
#include "feed/route.h"

/* ---- helpers ---- */

static int set(struct cirt_event *ev, const char *name, const char *v,
	       struct cirt_diag *d)
{
	cirt_diag_init(d);
	return cirt_event_set(ev, name, v, strlen(v), d);
}

static void must_set(struct cirt_event *ev, const char *name, const char *v)
{
	struct cirt_diag d;

	if (set(ev, name, v, &d) < 0)
		fail_msg("%s = \"%s\": %s", name, v, d.message);
}

static void ip_text(const struct cirt_event_end *e, char *out)
{
	if (e->has_ip)
		cirt_ip_format(&e->ip, out);
	else
		out[0] = '\0';
}

/* extra as a JSON object; fails the test if it does not parse. */
static json_t *extra_json(const struct cirt_event *ev)
{
	struct cirt_buf b;
	json_error_t err;
	json_t *j;

	cirt_buf_init(&b, 2 * CIRT_EVENT_EXTRA_MAX);
	assert_int_equal(cirt_buf_adds(&b, "{"), 0);
	assert_int_equal(cirt_buf_add(&b, ev->extra.data ? ev->extra.data : "",
				      ev->extra.len),
			 0);
	assert_int_equal(cirt_buf_adds(&b, "}"), 0);
	j = json_loadb(b.data, b.len, JSON_ALLOW_NUL, &err);
	if (j == NULL)
		fail_msg("extra is not JSON (%s): %.200s", err.text, b.data);
	cirt_buf_release(&b);
	return j;
}

/* A temporary directory for files the tests write, and removing it. */
static char tmpdir[64];

/* cmocka setup and teardown of the geo tests: the teardown runs when a
 * test fails too, so no directory is left behind. */
static int tmp_make(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/cirt-test-route-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static void tmp_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static void tmp_write(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	tmp_path(path, sizeof(path), name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int tmp_remove(void **state)
{
	static const char *const names[] = {"geo.txt", "bad.txt", "asn.mmdb",
					    "cc.mmdb", "mk.pl"};
	char path[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		tmp_path(path, sizeof(path), names[i]);
		unlink(path);
	}
	(void)state;
	return rmdir(tmpdir);
}

/* ---- cirt_event_set ---- */

/* A good value for every field cirt_event_fields lists. */
static const struct {
	const char *name, *value;
} field_values[] = {
	{"time.source", "2026-11-20T10:00:00Z"},
	{"source.ip", "192.0.2.1"},
	{"source.network", "192.0.2.0/24"},
	{"source.port", "443"},
	{"source.asn", "AS64500"},
	{"source.geolocation.cc", "nl"},
	{"source.fqdn", "www.example.org"},
	{"source.url", "http://www.example.org/"},
	{"destination.ip", "2001:db8::1"},
	{"destination.network", "2001:db8::/32"},
	{"destination.port", "25"},
	{"destination.asn", "64501"},
	{"destination.geolocation.cc", "FR"},
	{"destination.fqdn", "mail.example.net"},
	{"protocol.transport", "tcp"},
	{"protocol.application", "https"},
	{"classification.taxonomy", "fraud"},
	{"classification.type", "phishing"},
	{"classification.identifier", "openphish"},
	{"malware.name", "emotet"},
	{"extra.*", NULL},
	{"__IGNORE__", "anything"},
};

static void test_event_set_every_field(void **state)
{
	struct cirt_event ev;
	struct cirt_diag d;
	size_t n = 0;

	(void)state;
	cirt_event_init(&ev);
	for (size_t i = 0; cirt_event_fields[i]; i++) {
		const char *name = cirt_event_fields[i];
		size_t k;

		for (k = 0; k < sizeof(field_values) / sizeof(field_values[0]);
		     k++)
			if (strcmp(field_values[k].name, name) == 0)
				break;
		if (k == sizeof(field_values) / sizeof(field_values[0]))
			fail_msg("no test value for field %s", name);
		n++;
		if (field_values[k].value == NULL)
			continue;
		if (set(&ev, name, field_values[k].value, &d) != 0)
			fail_msg("%s: %s", name, d.message);
	}
	assert_int_equal(n, sizeof(field_values) / sizeof(field_values[0]));
	assert_true(ev.time_source > 0);
	assert_true(ev.src.has_ip);
	assert_int_equal(ev.src.port, 443);
	assert_int_equal(ev.src.asn, 64500);
	assert_string_equal(ev.src.cc, "NL");
	assert_string_equal(ev.src.fqdn, "www.example.org");
	assert_string_equal(ev.url, "http://www.example.org/");
	assert_true(ev.dst.has_ip);
	assert_int_equal(ev.dst.port, 25);
	assert_int_equal(ev.dst.asn, 64501);
	assert_string_equal(ev.dst.cc, "FR");
	assert_string_equal(ev.dst.fqdn, "mail.example.net");
	assert_string_equal(ev.transport, "tcp");
	assert_string_equal(ev.application, "https");
	assert_string_equal(ev.cls, "fraud");
	assert_string_equal(ev.type, "phishing");
	assert_string_equal(ev.identifier, "openphish");
	assert_string_equal(ev.malware, "emotet");
	assert_int_equal(ev.extra.len, 0); /* __IGNORE__ */
	/* Unknown names are refused, naming them. */
	assert_int_equal(set(&ev, "source.colour", "red", &d), -CIRT_EINVAL);
	assert_string_equal(d.field, "source.colour");
	assert_int_equal(set(&ev, "nonsense", "x", &d), -CIRT_EINVAL);
	assert_string_equal(d.field, "nonsense");
	assert_int_equal(set(&ev, "extra.*x", "1", &d), 0); /* a plain key */
	/* An empty value (after trimming) leaves the field as it is. */
	assert_int_equal(set(&ev, "source.port", "   ", &d), 0);
	assert_int_equal(ev.src.port, 443);
	assert_int_equal(set(&ev, "source.ip", "", &d), 0);
	assert_true(ev.src.has_ip);
	/* Reset clears everything. */
	cirt_event_reset(&ev);
	assert_int_equal(ev.time_source, 0);
	assert_false(ev.src.has_ip);
	assert_int_equal(ev.src.port, -1);
	assert_int_equal(ev.dst.port, -1);
	assert_int_equal(ev.src.asn, 0);
	assert_string_equal(ev.src.cc, "");
	assert_string_equal(ev.url, "");
	assert_string_equal(ev.cls, "");
	assert_int_equal(ev.tlp, -1);
	assert_int_equal(ev.extra.len, 0);
	assert_string_equal(cirt_buf_str(&ev.extra), "");
	cirt_event_release(&ev);
}

static const struct {
	const char *in;
	const char *out; /* cirt_time_format_us, or NULL: refused */
} time_rows[] = {
	{"2026-11-20T10:00:00Z", "2026-11-20T10:00:00.000000Z"},
	{"2026-11-20T10:00:00z", "2026-11-20T10:00:00.000000Z"},
	{"2026-11-20T10:00:00+02:00", "2026-11-20T08:00:00.000000Z"},
	{"2026-11-20T10:00:00-05:30", "2026-11-20T15:30:00.000000Z"},
	{"2026-11-20T10:00:00+0200", "2026-11-20T08:00:00.000000Z"},
	{"2026-11-20T10:00:00+02", "2026-11-20T08:00:00.000000Z"},
	{"2026-11-20T01:00:00+02:00", "2026-11-19T23:00:00.000000Z"},
	{"2026-11-20T10:00:00.123456Z", "2026-11-20T10:00:00.123456Z"},
	{"2026-11-20T10:00:00.5+01:00", "2026-11-20T09:00:00.500000Z"},
	{"2026-11-20 10:00:00", "2026-11-20T10:00:00.000000Z"},
	{"2026-11-20 10:00:00.25", "2026-11-20T10:00:00.250000Z"},
	{"2026-11-20 10:00:00Z", "2026-11-20T10:00:00.000000Z"},
	{"2026-11-20 10:00:00+01:00", "2026-11-20T09:00:00.000000Z"},
	{"2026-11-20T10:00:00", "2026-11-20T10:00:00.000000Z"},
	{"2026-11-20", "2026-11-20T00:00:00.000000Z"},
	{"1700000000", "2023-11-14T22:13:20.000000Z"},
	{"  2026-11-20T10:00:00Z \r\n", "2026-11-20T10:00:00.000000Z"},
	{"2024-02-29", "2024-02-29T00:00:00.000000Z"},
	{"2026-02-30T10:00:00Z", NULL},
	{"2025-02-29", NULL},
	{"2026-11-20T25:00:00Z", NULL},
	{"2026-11-20T10:61:00Z", NULL},
	{"2026-11-20T10:00:00+25:00", NULL},
	{"2026-11-20T10:00:00+02:60", NULL},
	{"2026-11-20T10:00:00+2", NULL},
	{"2026-11-20T10:00:00 +02:00", NULL},
	{"2026-11-20T10:00:00Z junk", NULL},
	{"2026-11-2", NULL},
	{"20-11-2026", NULL},
	{"yesterday", NULL},
	{"-1700000000", NULL},
	{"1700000000.5", NULL},
	{"99999999999999", NULL}, /* past the year 9999 */
	{"2026-11-20T10:00:00.1234567890123456789012345678901234567890Z", NULL},
};

static void test_event_set_time(void **state)
{
	struct cirt_event ev;
	struct cirt_diag d;
	size_t failed = 0;

	(void)state;
	cirt_event_init(&ev);
	for (size_t i = 0; i < sizeof(time_rows) / sizeof(time_rows[0]); i++) {
		char out[CIRT_TIME_LEN];
		int rc;

		ev.time_source = 0;
		rc = set(&ev, "time.source", time_rows[i].in, &d);
		cirt_time_format_us(ev.time_source, out);
		if (time_rows[i].out == NULL) {
			if (rc != -CIRT_EINVAL ||
			    strcmp(d.field, "time.source") != 0) {
				printf("# \"%s\": want refused, got %s\n",
				       time_rows[i].in, out);
				failed++;
			}
		} else if (rc != 0 || strcmp(out, time_rows[i].out) != 0) {
			printf("# \"%s\": want %s, got rc %d %s (%s)\n",
			       time_rows[i].in, time_rows[i].out, rc, out,
			       d.message);
			failed++;
		}
	}
	/* cirt_event_parse_time is the same parser. */
	{
		int64_t us = 0;

		assert_int_equal(cirt_event_parse_time("2026-11-20", 10, &us),
				 0);
		assert_int_equal(us, INT64_C(1795132800) * CIRT_US_PER_SEC);
		assert_int_equal(cirt_event_parse_time("2026-11-20", 9, &us),
				 -1);
		assert_int_equal(cirt_event_parse_time("", 0, &us), -1);
	}
	cirt_event_release(&ev);
	if (failed)
		fail_msg("%zu time rows failed", failed);
}

static void test_event_set_numbers(void **state)
{
	static const struct {
		const char *name, *in;
		int64_t want; /* -99: refused */
	} rows[] = {
		{"source.port", "0", 0},
		{"source.port", "65535", 65535},
		{"source.port", "65536", -99},
		{"source.port", "-1", -99},
		{"source.port", " 8080 ", 8080},
		{"source.port", "http", -99},
		{"source.port", "1e3", -99},
		{"source.port", "99999999999", -99},
		{"destination.port", "0", 0},
		{"destination.port", "65536", -99},
		{"source.asn", "AS123", 123},
		{"source.asn", "as123", 123},
		{"source.asn", "123", 123},
		{"source.asn", "4294967295", 4294967295},
		{"source.asn", "AS4294967296", -99},
		{"source.asn", "-1", -99},
		{"source.asn", "AS-1", -99},
		{"source.asn", "AS", -99},
		{"source.asn", "ASN123", -99},
		{"source.asn", "12a", -99},
		{"destination.asn", "AS64501", 64501},
		{"destination.asn", "-1", -99},
	};
	struct cirt_event ev;
	struct cirt_diag d;

	(void)state;
	cirt_event_init(&ev);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bool src = strncmp(rows[i].name, "source.", 7) == 0;
		bool port = strstr(rows[i].name, "port") != NULL;
		struct cirt_event_end *e = src ? &ev.src : &ev.dst;
		int64_t got;
		int rc;

		cirt_event_reset(&ev);
		rc = set(&ev, rows[i].name, rows[i].in, &d);
		got = port ? e->port : e->asn;
		if (rows[i].want == -99) {
			if (rc != -CIRT_EINVAL ||
			    strcmp(d.field, rows[i].name) != 0)
				fail_msg("%s \"%s\": accepted as %lld",
					 rows[i].name, rows[i].in,
					 (long long)got);
			/* and left unset */
			assert_int_equal(got, port ? -1 : 0);
		} else if (rc != 0 || got != rows[i].want) {
			fail_msg("%s \"%s\": rc %d, %lld", rows[i].name,
				 rows[i].in, rc, (long long)got);
		}
	}
	cirt_event_release(&ev);
}

static void test_event_set_text_fields(void **state)
{
	struct cirt_event ev;
	struct cirt_diag d;
	char text[CIRT_IP_TEXT_MAX + 1];
	char *big;

	(void)state;
	cirt_event_init(&ev);
	/* Country codes: two letters, upper-cased. */
	must_set(&ev, "source.geolocation.cc", "de");
	assert_string_equal(ev.src.cc, "DE");
	must_set(&ev, "destination.geolocation.cc", " Fr ");
	assert_string_equal(ev.dst.cc, "FR");
	assert_int_equal(set(&ev, "source.geolocation.cc", "DEU", &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "source.geolocation.cc");
	assert_int_equal(set(&ev, "source.geolocation.cc", "1A", &d),
			 -CIRT_EINVAL);
	assert_int_equal(set(&ev, "source.geolocation.cc", "D", &d),
			 -CIRT_EINVAL);
	assert_string_equal(ev.src.cc, "DE");
	/* Addresses: canonical; a network may carry host bits. */
	must_set(&ev, "source.ip", "2001:DB8:0::0:1");
	ip_text(&ev.src, text);
	assert_string_equal(text, "2001:db8::1");
	must_set(&ev, "source.network", "198.51.100.7/24");
	ip_text(&ev.src, text);
	assert_string_equal(text, "198.51.100.0/24");
	must_set(&ev, "destination.ip", "::ffff:192.0.2.9");
	ip_text(&ev.dst, text);
	assert_string_equal(text, "192.0.2.9");
	assert_true(cirt_ip_is_v4(&ev.dst.ip));
	assert_int_equal(set(&ev, "source.ip", "192.0.2.256", &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "source.ip");
	assert_int_equal(set(&ev, "destination.ip", "fe80::1%eth0", &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "destination.ip");
	assert_int_equal(set(&ev, "source.network", "192.0.2.0/40", &d),
			 -CIRT_EINVAL);
	/* Names: lower case, no trailing dot; a bare dot is no name. */
	must_set(&ev, "source.fqdn", "WWW.Example.ORG.");
	assert_string_equal(ev.src.fqdn, "www.example.org");
	assert_int_equal(set(&ev, "destination.fqdn", ".", &d), 0);
	assert_string_equal(ev.dst.fqdn, "");
	big = cirt_xmalloc(CIRT_EVENT_URL_MAX + 2);
	memset(big, 'a', CIRT_EVENT_URL_MAX + 1);
	big[CIRT_EVENT_FQDN_MAX] = '\0';
	must_set(&ev, "source.fqdn", big);
	big[CIRT_EVENT_FQDN_MAX] = 'a';
	big[CIRT_EVENT_FQDN_MAX + 1] = '\0';
	assert_int_equal(set(&ev, "source.fqdn", big, &d), -CIRT_EINVAL);
	assert_string_equal(d.field, "source.fqdn");
	assert_int_equal(set(&ev, "source.fqdn", "bad\x01name", &d),
			 -CIRT_EINVAL);
	/* URLs: kept as given (enrichment canonicalises), 2048 bytes. */
	must_set(&ev, "source.url", " HTTP://Example.ORG/A ");
	assert_string_equal(ev.url, "HTTP://Example.ORG/A");
	memcpy(big, "http://x/", 9);
	memset(big + 9, 'a', CIRT_EVENT_URL_MAX + 1 - 9);
	big[CIRT_EVENT_URL_MAX] = '\0';
	must_set(&ev, "source.url", big);
	assert_int_equal(strlen(ev.url), CIRT_EVENT_URL_MAX);
	big[CIRT_EVENT_URL_MAX] = 'a';
	big[CIRT_EVENT_URL_MAX + 1] = '\0';
	assert_int_equal(set(&ev, "source.url", big, &d), -CIRT_EINVAL);
	assert_string_equal(d.field, "source.url");
	free(big);
	/* Words: lower-cased where the field says so, bounded. */
	must_set(&ev, "protocol.transport", "UDP");
	assert_string_equal(ev.transport, "udp");
	assert_int_equal(set(&ev, "protocol.transport", "tcpudpxyz", &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "protocol.transport");
	must_set(&ev, "protocol.application", "HTTP");
	assert_string_equal(ev.application, "http");
	assert_int_equal(set(&ev, "protocol.application", "a\x01", &d),
			 -CIRT_EINVAL);
	must_set(&ev, "classification.taxonomy", "Malicious-Code");
	assert_string_equal(ev.cls, "malicious-code");
	must_set(&ev, "classification.type", "C2-Server");
	assert_string_equal(ev.type, "c2-server");
	must_set(&ev, "classification.identifier", "Scan_NTP");
	assert_string_equal(ev.identifier, "Scan_NTP");
	must_set(&ev, "malware.name", "Emotet");
	assert_string_equal(ev.malware, "emotet");
	{
		char name[CIRT_EVENT_NAME_MAX + 2];

		memset(name, 'm', sizeof(name));
		name[CIRT_EVENT_NAME_MAX] = '\0';
		must_set(&ev, "malware.name", name);
		name[CIRT_EVENT_NAME_MAX] = 'm';
		name[CIRT_EVENT_NAME_MAX + 1] = '\0';
		assert_int_equal(set(&ev, "malware.name", name, &d),
				 -CIRT_EINVAL);
		assert_string_equal(d.field, "malware.name");
	}
	cirt_event_classify(&ev, "fraud", "phishing");
	assert_string_equal(ev.cls, "fraud");
	assert_string_equal(ev.type, "phishing");
	cirt_event_classify(&ev, "other", NULL);
	assert_string_equal(ev.type, "");
	cirt_event_release(&ev);
}

/* The contract says a prefix is for source.network; source.ip is one
 * address. */
static void test_event_set_ip_is_one_address(void **state)
{
	struct cirt_event ev;
	struct cirt_diag d;
	char text[CIRT_IP_TEXT_MAX + 1];
	int rc;

	(void)state;
	cirt_event_init(&ev);
	rc = set(&ev, "source.ip", "192.0.2.7/24", &d);
	ip_text(&ev.src, text);
	cirt_event_release(&ev);
	if (rc == 0)
		fail_msg("source.ip \"192.0.2.7/24\" accepted as \"%s\"", text);
}

static void test_event_extra_escaping(void **state)
{
	struct cirt_event ev;
	struct cirt_diag d;
	json_t *j;
	const char *v;

	(void)state;
	cirt_event_init(&ev);
	assert_int_equal(cirt_event_extra(&ev, "plain", "value", 5), 0);
	assert_string_equal(cirt_buf_str(&ev.extra), "\"plain\":\"value\"");
	assert_int_equal(cirt_event_extra(&ev, "empty", "", 0), 0);
	assert_int_equal(cirt_event_extra(&ev, "k\"ey\\", "q\"b\\s/", 7), 0);
	assert_int_equal(cirt_event_extra(&ev, "ctl", "a\nb\tc\x01\x1f\x7f", 9),
			 0);
	assert_int_equal(cirt_event_extra(&ev, "nul", "a\0b", 3), 0);
	/* Not UTF-8: a stray byte, an overlong form, a surrogate, a cut
	 * sequence; good sequences kept. */
	assert_int_equal(cirt_event_extra(&ev, "bad1",
					  "a\xff"
					  "b",
					  3),
			 0);
	assert_int_equal(cirt_event_extra(&ev, "bad2", "\xc0\x80", 2), 0);
	assert_int_equal(cirt_event_extra(&ev, "bad3", "\xed\xa0\x80", 3), 0);
	assert_int_equal(cirt_event_extra(&ev, "bad4", "x\xe2\x82", 3), 0);
	assert_int_equal(cirt_event_extra(&ev, "good",
					  "\xc3\xa9\xe2\x82\xac"
					  "\xf0\x9f\x98\x80",
					  9),
			 0);
	assert_int_equal(cirt_event_extra(&ev, "k\xff", "v", 1), 0);
	assert_int_equal(cirt_event_extra_int(&ev, "count", -42), 0);
	assert_int_equal(cirt_event_extra_int(&ev, "big", INT64_MAX), 0);
	must_set(&ev, "extra.via_set", " trimmed ");
	assert_true(cirt_utf8_valid(ev.extra.data, ev.extra.len, NULL));
	j = extra_json(&ev);
	assert_string_equal(json_string_value(json_object_get(j, "plain")),
			    "value");
	assert_null(json_object_get(j, "empty"));
	assert_string_equal(json_string_value(json_object_get(j, "k\"ey\\")),
			    "q\"b\\s/");
	assert_string_equal(json_string_value(json_object_get(j, "ctl")),
			    "a\nb\tc\x01\x1f\x7f");
	assert_int_equal(json_string_length(json_object_get(j, "nul")), 3);
	assert_memory_equal(json_string_value(json_object_get(j, "nul")),
			    "a\0b", 3);
	assert_string_equal(json_string_value(json_object_get(j, "bad1")),
			    "a\xef\xbf\xbd"
			    "b");
	v = json_string_value(json_object_get(j, "bad2"));
	assert_non_null(v);
	assert_null(strchr(v, '\xc0'));
	assert_true(strstr(v, "\xef\xbf\xbd") != NULL);
	v = json_string_value(json_object_get(j, "bad3"));
	assert_non_null(v);
	assert_true(strstr(v, "\xef\xbf\xbd") != NULL);
	assert_null(strstr(v, "\xed\xa0"));
	v = json_string_value(json_object_get(j, "bad4"));
	assert_non_null(v);
	assert_true(strncmp(v, "x\xef\xbf\xbd", 4) == 0);
	assert_string_equal(json_string_value(json_object_get(j, "good")),
			    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	assert_non_null(json_object_get(j, "k\xef\xbf\xbd"));
	assert_int_equal(json_integer_value(json_object_get(j, "count")), -42);
	assert_int_equal(json_integer_value(json_object_get(j, "big")),
			 INT64_MAX);
	assert_string_equal(json_string_value(json_object_get(j, "via_set")),
			    "trimmed");
	json_decref(j);
	(void)d;
	cirt_event_release(&ev);
}

static void test_event_extra_budget(void **state)
{
	struct cirt_event ev;
	struct cirt_diag d;
	char *v = cirt_xmalloc(CIRT_EVENT_EXTRA_MAX + 1);
	json_t *j;
	int rc = 0, i;

	(void)state;
	memset(v, 'v', CIRT_EVENT_EXTRA_MAX + 1);
	cirt_event_init(&ev);
	/* Just under: "k":"..." with 16 bytes to spare. */
	assert_int_equal(
		cirt_event_extra(&ev, "k", v, CIRT_EVENT_EXTRA_MAX - 16 - 6),
		0);
	assert_true(ev.extra.len <= CIRT_EVENT_EXTRA_MAX);
	/* Over: -CIRT_ELIMIT, and extra is still a JSON object. */
	assert_int_equal(cirt_event_extra(&ev, "k2", v, 64), -CIRT_ELIMIT);
	j = extra_json(&ev);
	json_decref(j);
	cirt_event_reset(&ev);
	assert_int_equal(cirt_event_extra(&ev, "k", v, CIRT_EVENT_EXTRA_MAX),
			 -CIRT_ELIMIT);
	j = extra_json(&ev);
	json_decref(j);
	/* Growing by steps reaches the limit, not memory exhaustion. */
	cirt_event_reset(&ev);
	for (i = 0; i < 100 && rc == 0; i++)
		rc = cirt_event_extra(&ev, "step", v, 10000);
	assert_int_equal(rc, -CIRT_ELIMIT);
	assert_true(i <= 7);
	assert_true(ev.extra.len <= CIRT_EVENT_EXTRA_MAX);
	j = extra_json(&ev);
	json_decref(j);
	/* Escaping counts: 1/6 of the limit in control bytes is too much. */
	cirt_event_reset(&ev);
	memset(v, '\x01', CIRT_EVENT_EXTRA_MAX / 5);
	assert_int_equal(
		cirt_event_extra(&ev, "c", v, CIRT_EVENT_EXTRA_MAX / 5),
		-CIRT_ELIMIT);
	/* Through cirt_event_set: the field is named. */
	cirt_event_reset(&ev);
	memset(v, 'v', CIRT_EVENT_EXTRA_MAX);
	v[CIRT_EVENT_EXTRA_MAX] = '\0';
	assert_int_equal(set(&ev, "extra.huge", v, &d), -CIRT_ELIMIT);
	assert_string_equal(d.field, "extra.huge");
	/* The event is usable afterwards. */
	cirt_event_reset(&ev);
	assert_int_equal(cirt_event_extra(&ev, "after", "ok", 2), 0);
	assert_string_equal(cirt_buf_str(&ev.extra), "\"after\":\"ok\"");
	cirt_event_release(&ev);
	free(v);
}

/* ---- canonical names and URLs ---- */

static const struct {
	const char *in;
	const char *out; /* NULL: refused */
} domain_rows[] = {
	{"example.com", "example.com"},
	{"Example.COM", "example.com"},
	{"example.com.", "example.com"},
	{" example.com ", "example.com"},
	{"_dmarc.Example.com", "_dmarc.example.com"},
	{"a-b.example", "a-b.example"},
	{"localhost", "localhost"},
	{"b\xc3\xbc"
	 "cher.example",
	 "xn--bcher-kva.example"},
	{"B\xc3\x9c"
	 "CHER.example",
	 "xn--bcher-kva.example"},
	{"xn--bcher-kva.example", "xn--bcher-kva.example"},
	{"XN--BCHER-KVA.EXAMPLE", "xn--bcher-kva.example"},
	{"m\xc3\xbcnchen.de.", "xn--mnchen-3ya.de"},
	{"fa\xc3\x9f.de", "xn--fa-hia.de"}, /* non-transitional */
	{"\xe4\xbe\x8b\xe3\x81\x88.\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88",
	 "xn--r8jz45g.xn--zckzah"},
	{"", NULL},
	{".", NULL},
	{"..", NULL},
	{".example.com", NULL},
	{"example..com", NULL},
	{"example.com..", NULL},
	{"a b.example", NULL},
	{"exa$mple.com", NULL},
	{"exa/mple.com", NULL},
	{"exa:mple.com", NULL},
	{"exa@mple.com", NULL},
	{"bad\x01.com", NULL},
	{"ex\xff"
	 "ample.com",
	 NULL},
	{"\xc3.example", NULL},
};

static void test_domain_canon_table(void **state)
{
	char out[CIRT_EVENT_FQDN_MAX + 1];
	struct cirt_diag d;
	size_t failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(domain_rows) / sizeof(domain_rows[0]);
	     i++) {
		const char *in = domain_rows[i].in;
		int rc;

		cirt_diag_init(&d);
		memset(out, 'z', sizeof(out));
		rc = cirt_domain_canon(in, strlen(in), out, "name", &d);
		if (domain_rows[i].out == NULL) {
			if (rc != -CIRT_EINVAL ||
			    strcmp(d.field, "name") != 0 || out[0] != '\0') {
				printf("# \"%s\": want refused, got %d "
				       "\"%.80s\"\n",
				       in, rc, rc == 0 ? out : "");
				failed++;
			}
		} else if (rc != 0 || strcmp(out, domain_rows[i].out) != 0) {
			printf("# \"%s\": want \"%s\", got %d \"%s\" %s\n", in,
			       domain_rows[i].out, rc, rc == 0 ? out : "",
			       d.message);
			failed++;
		}
	}
	if (failed)
		fail_msg("%zu domain rows failed", failed);
}

static void test_domain_canon_lengths(void **state)
{
	char in[600], out[CIRT_EVENT_FQDN_MAX + 1];
	size_t n;

	(void)state;
	/* A label of 63 bytes, then 64. */
	memset(in, 'a', 63);
	memcpy(in + 63, ".example", 9);
	assert_int_equal(cirt_domain_canon(in, strlen(in), out, NULL, NULL), 0);
	assert_string_equal(out, in);
	memset(in, 'a', 64);
	memcpy(in + 64, ".example", 9);
	assert_int_equal(cirt_domain_canon(in, strlen(in), out, NULL, NULL),
			 -CIRT_EINVAL);
	/* 253 bytes (labels of 49 and dots), with a trailing dot, then 254. */
	n = 0;
	while (n < 253) {
		size_t k = 253 - n < 50 ? 253 - n : 49;

		memset(in + n, 'b', k);
		n += k;
		if (n < 253)
			in[n++] = '.';
	}
	in[n] = '\0';
	assert_int_equal(strlen(in), 253);
	assert_int_equal(cirt_domain_canon(in, 253, out, NULL, NULL), 0);
	assert_string_equal(out, in);
	in[253] = '.';
	in[254] = '\0';
	assert_int_equal(cirt_domain_canon(in, 254, out, NULL, NULL), 0);
	assert_int_equal(strlen(out), 253);
	in[253] = 'b';
	assert_int_equal(cirt_domain_canon(in, 254, out, NULL, NULL),
			 -CIRT_EINVAL);
	/* Short enough in UTF-8, too long as A-labels: a label of 61 'a'
	 * and one U+00E4 is 63 bytes, its A-label 69; four labels of 55 'a'
	 * and U+00E4 are 231 bytes, as A-labels 4 x 63 + 3 = 255. */
	memset(in, 'a', 61);
	memcpy(in + 61, "\xc3\xa4.example", 11);
	assert_int_equal(cirt_domain_canon(in, 63, out, NULL, NULL),
			 -CIRT_EINVAL);
	assert_int_equal(cirt_domain_canon(in, strlen(in), out, NULL, NULL),
			 -CIRT_EINVAL);
	assert_int_equal(
		cirt_domain_canon(in + 6, strlen(in + 6), out, NULL, NULL), 0);
	assert_int_equal(strlen(out), 63 + 8);
	assert_string_equal(out + 55 + 4, "-uve.example");
	n = 0;
	for (int label = 0; label < 4; label++) {
		memset(in + n, 'a', 55);
		memcpy(in + n + 55, "\xc3\xa4.", 3);
		n += 58;
	}
	assert_int_equal(cirt_domain_canon(in, n - 1, out, NULL, NULL),
			 -CIRT_EINVAL);
	assert_int_equal(cirt_domain_canon(in, 3 * 58 - 1, out, NULL, NULL), 0);
	assert_int_equal(strlen(out), 3 * 63 + 2);
	/* Only n bytes are read. */
	assert_int_equal(
		cirt_domain_canon("example.com/extra", 11, out, NULL, NULL), 0);
	assert_string_equal(out, "example.com");
	/* Very long input is refused, not overflowed. */
	memset(in, 'c', sizeof(in));
	assert_int_equal(cirt_domain_canon(in, sizeof(in), out, NULL, NULL),
			 -CIRT_EINVAL);
}

static const struct {
	const char *in;
	const char *out, *host; /* out NULL: refused */
} url_rows[] = {
	{"HTTP://WWW.Example.COM/Path?Q=1", "http://www.example.com/Path?Q=1",
	 "www.example.com"},
	{"http://example.com", "http://example.com/", "example.com"},
	{"http://example.com:80/", "http://example.com/", "example.com"},
	{"http://example.com:80", "http://example.com/", "example.com"},
	{"https://example.com:443/x", "https://example.com/x", "example.com"},
	{"http://example.com:443/x", "http://example.com:443/x", "example.com"},
	{"https://example.com:80/x", "https://example.com:80/x", "example.com"},
	{"https://example.com:8443/x", "https://example.com:8443/x",
	 "example.com"},
	{"http://example.com:/x", "http://example.com/x", "example.com"},
	{"http://example.com?q=1", "http://example.com/?q=1", "example.com"},
	{"http://example.com#frag", "http://example.com/#frag", "example.com"},
	{"http://example.com/a?b=C&d=%2F#F", "http://example.com/a?b=C&d=%2F#F",
	 "example.com"},
	{"http://example.com/a%2Fb/../c", "http://example.com/a%2Fb/../c",
	 "example.com"},
	{"http://User:Pass@Example.com/", "http://User:Pass@example.com/",
	 "example.com"},
	{"http://u@p@Example.com:80/x", "http://u@p@example.com/x",
	 "example.com"},
	{"http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a",
	 "2001:db8::1"},
	{"http://[2001:db8:0::1]/", "http://[2001:db8::1]/", "2001:db8::1"},
	{"http://[2001:db8::1]", "http://[2001:db8::1]/", "2001:db8::1"},
	{"http://192.0.2.1/x", "http://192.0.2.1/x", "192.0.2.1"},
	{"http://192.0.2.1:80/x", "http://192.0.2.1/x", "192.0.2.1"},
	{"http://b\xc3\xbc"
	 "cher.example/\xc3\xbc?x",
	 "http://xn--bcher-kva.example/\xc3\xbc?x", "xn--bcher-kva.example"},
	{"ftp://FTP.Example.com", "ftp://ftp.example.com/", "ftp.example.com"},
	{"  http://example.com/a  ", "http://example.com/a", "example.com"},
	{"http://example.com./", "http://example.com/", "example.com"},
	{"example.com/x", NULL, NULL},
	{"://example.com", NULL, NULL},
	{"http://", NULL, NULL},
	{"http:///x", NULL, NULL},
	{"http://exa mple.com/", NULL, NULL},
	{"http://ex$ample.com/", NULL, NULL},
	{"http://[2001:db8::1/", NULL, NULL},
	{"http://[zz::1]/", NULL, NULL},
	{"ht tp://example.com", NULL, NULL},
	{"javascript:alert(1)", NULL, NULL},
	{"", NULL, NULL},
};

static void test_url_canon_table(void **state)
{
	char out[CIRT_EVENT_URL_MAX + 1], host[CIRT_EVENT_FQDN_MAX + 1];
	struct cirt_diag d;
	size_t failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(url_rows) / sizeof(url_rows[0]); i++) {
		const char *in = url_rows[i].in;
		int rc;

		cirt_diag_init(&d);
		memset(out, 'z', sizeof(out));
		memset(host, 'z', sizeof(host));
		rc = cirt_url_canon(in, out, host, "url", &d);
		if (url_rows[i].out == NULL) {
			if (rc != -CIRT_EINVAL || strcmp(d.field, "url") != 0 ||
			    out[0] != '\0' || host[0] != '\0') {
				printf("# \"%s\": want refused, got %d "
				       "\"%.80s\"\n",
				       in, rc, rc == 0 ? out : "");
				failed++;
			}
		} else if (rc != 0 || strcmp(out, url_rows[i].out) != 0 ||
			   strcmp(host, url_rows[i].host) != 0) {
			printf("# \"%s\": want \"%s\" \"%s\", got %d \"%s\" "
			       "\"%s\" %s\n",
			       in, url_rows[i].out, url_rows[i].host, rc,
			       rc == 0 ? out : "", rc == 0 ? host : "",
			       d.message);
			failed++;
		}
	}
	if (failed)
		fail_msg("%zu URL rows failed", failed);
}

static void test_url_canon_length(void **state)
{
	char *in = cirt_xmalloc(CIRT_EVENT_URL_MAX + 64);
	char out[CIRT_EVENT_URL_MAX + 1], host[CIRT_EVENT_FQDN_MAX + 1];
	struct cirt_diag d;
	size_t pre = strlen("http://example.com/");

	(void)state;
	memcpy(in, "http://example.com/", pre);
	memset(in + pre, 'a', CIRT_EVENT_URL_MAX - pre);
	in[CIRT_EVENT_URL_MAX] = '\0';
	cirt_diag_init(&d);
	assert_int_equal(cirt_url_canon(in, out, host, "url", &d), 0);
	assert_string_equal(out, in);
	in[CIRT_EVENT_URL_MAX] = 'a';
	in[CIRT_EVENT_URL_MAX + 1] = '\0';
	assert_int_equal(cirt_url_canon(in, out, host, "url", &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "url");
	assert_string_equal(out, "");
	assert_string_equal(host, "");
	/* Growing by canonicalisation: "http://h" + 2040 bytes of query
	 * becomes one byte longer ("/"). */
	memcpy(in, "http://example.com?", 19);
	memset(in + 19, 'q', CIRT_EVENT_URL_MAX - 19);
	in[CIRT_EVENT_URL_MAX] = '\0';
	cirt_diag_init(&d);
	assert_int_equal(cirt_url_canon(in, out, host, "url", &d),
			 -CIRT_EINVAL);
	free(in);
}

/* ---- enrichment ---- */

static void test_enrich_url_host(void **state)
{
	struct cirt_event ev;
	char text[CIRT_IP_TEXT_MAX + 1];
	uint64_t dropped = 0;

	(void)state;
	cirt_event_init(&ev);
	must_set(&ev, "source.url", "HTTP://WWW.Example.COM:80/x");
	cirt_event_enrich(&ev, NULL, &dropped);
	assert_string_equal(ev.url, "http://www.example.com/x");
	assert_string_equal(ev.src.fqdn, "www.example.com");
	assert_false(ev.src.has_ip);
	/* An address literal gives source.ip. */
	cirt_event_reset(&ev);
	must_set(&ev, "source.url", "http://192.0.2.5/x");
	cirt_event_enrich(&ev, NULL, &dropped);
	assert_true(ev.src.has_ip);
	ip_text(&ev.src, text);
	assert_string_equal(text, "192.0.2.5");
	assert_string_equal(ev.src.fqdn, "");
	cirt_event_reset(&ev);
	must_set(&ev, "source.url", "https://[2001:DB8::5]/");
	cirt_event_enrich(&ev, NULL, &dropped);
	assert_true(ev.src.has_ip);
	ip_text(&ev.src, text);
	assert_string_equal(text, "2001:db8::5");
	/* IDN host. */
	cirt_event_reset(&ev);
	must_set(&ev, "source.url",
		 "http://b\xc3\xbc"
		 "cher.example/");
	cirt_event_enrich(&ev, NULL, &dropped);
	assert_string_equal(ev.src.fqdn, "xn--bcher-kva.example");
	assert_string_equal(ev.url, "http://xn--bcher-kva.example/");
	/* The feed's own address or name wins over the URL's host. */
	cirt_event_reset(&ev);
	must_set(&ev, "source.url", "http://www.example.com/");
	must_set(&ev, "source.ip", "198.51.100.1");
	cirt_event_enrich(&ev, NULL, &dropped);
	assert_string_equal(ev.src.fqdn, "");
	ip_text(&ev.src, text);
	assert_string_equal(text, "198.51.100.1");
	cirt_event_reset(&ev);
	must_set(&ev, "source.url", "http://www.example.com/");
	must_set(&ev, "source.fqdn", "Other.Example.NET");
	cirt_event_enrich(&ev, NULL, &dropped);
	assert_string_equal(ev.src.fqdn, "other.example.net");
	assert_false(ev.src.has_ip);
	/* A URL whose host is bad stays as it was, and gives no name. */
	cirt_event_reset(&ev);
	must_set(&ev, "source.url", "http://exa mple/x");
	cirt_event_enrich(&ev, NULL, &dropped);
	assert_string_equal(ev.url, "http://exa mple/x");
	assert_string_equal(ev.src.fqdn, "");
	assert_int_equal(dropped, 0);
	cirt_event_release(&ev);
}

static void test_enrich_drops_bad_names(void **state)
{
	struct cirt_event ev;
	uint64_t dropped = 0;

	(void)state;
	cirt_event_init(&ev);
	must_set(&ev, "source.fqdn", "Bad Name.example");
	must_set(&ev, "destination.fqdn",
		 "B\xc3\xbc"
		 "cher.Example");
	cirt_event_enrich(&ev, NULL, &dropped);
	assert_string_equal(ev.src.fqdn, "");
	assert_string_equal(ev.dst.fqdn, "xn--bcher-kva.example");
	assert_int_equal(dropped, 1);
	cirt_event_reset(&ev);
	must_set(&ev, "source.fqdn", "a..b");
	must_set(&ev, "destination.fqdn", "exa$mple.com");
	cirt_event_enrich(&ev, NULL, &dropped);
	assert_int_equal(dropped, 3);
	assert_string_equal(ev.src.fqdn, "");
	assert_string_equal(ev.dst.fqdn, "");
	/* dropped may be NULL. */
	cirt_event_reset(&ev);
	must_set(&ev, "source.fqdn", "a..b");
	cirt_event_enrich(&ev, NULL, NULL);
	assert_string_equal(ev.src.fqdn, "");
	cirt_event_release(&ev);
}

/* ---- geo: the prefix table ---- */

static const char geo_table[] = "# PREFIX ASN CC\n"
				"\n"
				"198.51.100.0/24 64500 NL\n"
				"   \n"
				"198.51.100.128/25\t64501\tbe\n"
				"2001:db8::/32 64502 DE\n"
				"203.0.113.0/24 64503\n"
				"192.0.2.0/24 0 FR\n"
				"10.0.0.0/8 64504 -\n"
				"# the end\n";

static void lookup(const struct cirt_geo *g, const char *addr, int64_t *asn,
		   char cc[3])
{
	struct cirt_ip ip;

	assert_int_equal(cirt_ip_parse(addr, strlen(addr), false, false, &ip,
				       NULL, NULL),
			 0);
	cirt_geo_lookup(g, &ip, asn, cc);
}

static void expect_geo(const struct cirt_geo *g, const char *addr, int64_t asn,
		       const char *cc)
{
	int64_t a = -1;
	char c[3] = "??";

	lookup(g, addr, &a, c);
	if (a != asn || strcmp(c, cc) != 0)
		fail_msg("%s: want AS%lld \"%s\", got AS%lld \"%s\"", addr,
			 (long long)asn, cc, (long long)a, c);
}

static void test_geo_table(void **state)
{
	struct cirt_geo *g = NULL;
	struct cirt_diag d;
	char path[256];

	(void)state;
	tmp_write("geo.txt", geo_table);
	tmp_path(path, sizeof(path), "geo.txt");
	cirt_diag_init(&d);
	if (cirt_geo_open(&g, path, NULL, "", &d) < 0)
		fail_msg("geo: %s", d.message);
	assert_non_null(g);
	expect_geo(g, "198.51.100.7", 64500, "NL");
	expect_geo(g, "198.51.100.200", 64501, "BE");
	expect_geo(g, "2001:db8:5::1", 64502, "DE");
	expect_geo(g, "203.0.113.1", 64503, "");
	expect_geo(g, "192.0.2.1", 0, "FR");
	expect_geo(g, "10.1.1.1", 64504, "");
	expect_geo(g, "8.8.8.8", 0, "");
	expect_geo(g, "2001:db9::1", 0, "");
	expect_geo(NULL, "198.51.100.7", 0, "");
	/* Enrichment fills only what is unset, source and destination. */
	{
		struct cirt_event ev;

		cirt_event_init(&ev);
		must_set(&ev, "source.ip", "198.51.100.7");
		must_set(&ev, "source.asn", "AS123");
		must_set(&ev, "destination.ip", "2001:db8::9");
		must_set(&ev, "destination.geolocation.cc", "US");
		cirt_event_enrich(&ev, g, NULL);
		assert_int_equal(ev.src.asn, 123);
		assert_string_equal(ev.src.cc, "NL");
		assert_int_equal(ev.dst.asn, 64502);
		assert_string_equal(ev.dst.cc, "US");
		/* A network event is looked up by its range. */
		cirt_event_reset(&ev);
		must_set(&ev, "source.network", "198.51.100.128/26");
		cirt_event_enrich(&ev, g, NULL);
		assert_int_equal(ev.src.asn, 64501);
		cirt_event_release(&ev);
	}
	cirt_geo_close(g);
	cirt_geo_close(NULL);
	/* Nothing configured: no geo, no error. */
	g = (struct cirt_geo *)1;
	assert_int_equal(cirt_geo_open(&g, NULL, "", NULL, &d), 0);
	assert_null(g);
}

/* Lines longer than a read buffer: a long comment is a comment, and
 * CRLF line ends are line ends. */
static void test_geo_table_long_lines(void **state)
{
	struct cirt_geo *g = NULL;
	struct cirt_diag d;
	char path[256];
	char *text = cirt_xmalloc(4096);

	(void)state;
	tmp_path(path, sizeof(path), "geo.txt");
	memcpy(text, "# ", 2);
	memset(text + 2, 'x', 2000);
	snprintf(text + 2002, 4096 - 2002, "\r\n198.51.100.0/24 64500 NL\r\n");
	tmp_write("geo.txt", text);
	free(text);
	cirt_diag_init(&d);
	if (cirt_geo_open(&g, path, NULL, NULL, &d) < 0)
		fail_msg("long comment: %s", d.message);
	expect_geo(g, "198.51.100.7", 64500, "NL");
	cirt_geo_close(g);
}

static void test_geo_table_bad_lines(void **state)
{
	static const char *const bad[] = {
		"198.51.100.7/24 1 NL\n",   /* host bits */
		"not-a-prefix 1 NL\n",	    /* not an address */
		"198.51.100.0/24 AS1 NL\n", /* not a number */
		"198.51.100.0/24 1 NLD\n",  /* not a country */
		"198.51.100.0/24 -5 NL\n",  /* negative */
		"198.51.100.0/24 4294967296 NL\n",
		"198.51.100.0/24\n", /* no ASN */
		"198.51.100.0/33 1 NL\n",
	};
	char path[256], text[256], where[300];
	struct cirt_geo *g;
	struct cirt_diag d;

	(void)state;
	tmp_path(path, sizeof(path), "bad.txt");
	snprintf(where, sizeof(where), "%s:3", path);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc;

		snprintf(text, sizeof(text), "# header\n10.0.0.0/8 1 FR\n%s",
			 bad[i]);
		tmp_write("bad.txt", text);
		cirt_diag_init(&d);
		g = (struct cirt_geo *)1;
		rc = cirt_geo_open(&g, path, NULL, NULL, &d);
		if (rc != -CIRT_EINVAL || strcmp(d.field, "geo_table") != 0 ||
		    strstr(d.message, where) == NULL)
			fail_msg("\"%s\": rc %d, %s: %s", bad[i], rc, d.field,
				 d.message);
		assert_null(g);
	}
	/* A file that is not there. */
	tmp_path(path, sizeof(path), "missing.txt");
	cirt_diag_init(&d);
	assert_int_equal(cirt_geo_open(&g, path, NULL, NULL, &d), -CIRT_EIO);
	assert_string_equal(d.field, "geo_table");
	assert_null(g);
	/* Databases that are not there, or not databases. */
	cirt_diag_init(&d);
	assert_int_equal(cirt_geo_open(&g, NULL, path, NULL, &d), -CIRT_EIO);
	assert_string_equal(d.field, "geo_asn_mmdb");
	tmp_write("bad.txt", "10.0.0.0/8 1 FR\n");
	tmp_path(path, sizeof(path), "bad.txt");
	cirt_diag_init(&d);
	assert_int_equal(cirt_geo_open(&g, NULL, NULL, path, &d), -CIRT_EIO);
	assert_string_equal(d.field, "geo_country_mmdb");
	cirt_diag_init(&d);
	assert_int_equal(cirt_geo_open(&g, path, path, NULL, &d), -CIRT_EIO);
	assert_null(g);
}

/* ---- geo: MaxMind databases ---- */

static const char mmdb_script[] =
	"use strict; use warnings;\n"
	"use MaxMind::DB::Writer::Tree;\n"
	"my ($asn_path, $cc_path) = @ARGV;\n"
	"my %t = (autonomous_system_number => 'uint32',\n"
	"  autonomous_system_organization => 'utf8_string',\n"
	"  country => 'map', iso_code => 'utf8_string', names => 'map',\n"
	"  en => 'utf8_string');\n"
	"sub tree { MaxMind::DB::Writer::Tree->new(ip_version => 6,\n"
	"  record_size => 24, database_type => $_[0], languages => ['en'],\n"
	"  description => {en => 'cirtkit test'},\n"
	"  remove_reserved_networks => 0,\n"
	"  map_key_type_callback => sub { $t{$_[0]} }) }\n"
	"sub asn { {autonomous_system_number => $_[0],\n"
	"  autonomous_system_organization => 'Test'} }\n"
	"sub cc { {country => {iso_code => $_[0], names => {en => 'x'}}} }\n"
	"my $a = tree('GeoLite2-ASN');\n"
	"$a->insert_network('198.51.100.0/24', asn(65001));\n"
	"$a->insert_network('203.0.113.0/24', asn(65002));\n"
	"$a->insert_network('2001:db8:1::/48', asn(65003));\n"
	"open my $f, '>:raw', $asn_path or die; $a->write_tree($f);\n"
	"close $f or die;\n"
	"my $c = tree('GeoLite2-Country');\n"
	"$c->insert_network('198.51.100.0/24', cc('NL'));\n"
	"$c->insert_network('203.0.113.0/24', cc('FR'));\n"
	"$c->insert_network('2001:db8:1::/48', cc('DE'));\n"
	"$c->insert_network('192.0.2.0/24', cc('se'));\n"
	"open $f, '>:raw', $cc_path or die; $c->write_tree($f);\n"
	"close $f or die;\n";

/* Run perl with up to three arguments; its exit status. */
static int perl(const char *a1, const char *a2, const char *a3)
{
	pid_t pid = fork();
	int status = 0;

	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execlp("perl", "perl", a1, a2, a3, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void test_geo_mmdb(void **state)
{
	char script[256], asn[256], cc[256], table[256];
	struct cirt_geo *g = NULL;
	struct cirt_diag d;

	(void)state;
	if (perl("-MMaxMind::DB::Writer::Tree", "-e1", NULL) != 0) {
		printf("# SKIP geo_mmdb: Perl's MaxMind::DB::Writer is not "
		       "installed (Debian: libmaxmind-db-writer-perl)\n");
		return;
	}
	tmp_write("mk.pl", mmdb_script);
	tmp_path(script, sizeof(script), "mk.pl");
	tmp_path(asn, sizeof(asn), "asn.mmdb");
	tmp_path(cc, sizeof(cc), "cc.mmdb");
	tmp_path(table, sizeof(table), "geo.txt");
	assert_int_equal(perl(script, asn, cc), 0);
	cirt_diag_init(&d);
	if (cirt_geo_open(&g, NULL, asn, cc, &d) < 0)
		fail_msg("geo: %s", d.message);
	expect_geo(g, "198.51.100.7", 65001, "NL");
	expect_geo(g, "203.0.113.9", 65002, "FR");
	expect_geo(g, "2001:db8:1::5", 65003, "DE");
	expect_geo(g, "::ffff:198.51.100.7", 65001, "NL");
	expect_geo(g, "192.0.2.1", 0, "SE"); /* country only, upper-cased */
	expect_geo(g, "8.8.8.8", 0, "");
	expect_geo(g, "2001:db8:2::5", 0, "");
	cirt_geo_close(g);
	/* Only one of the two. */
	assert_int_equal(cirt_geo_open(&g, NULL, NULL, cc, &d), 0);
	expect_geo(g, "198.51.100.7", 0, "NL");
	cirt_geo_close(g);
	assert_int_equal(cirt_geo_open(&g, "", asn, "", &d), 0);
	expect_geo(g, "198.51.100.7", 65001, "");
	cirt_geo_close(g);
	/* The table wins where it knows; the databases fill the rest. */
	tmp_write("geo.txt", "198.51.100.0/24 64500 BE\n"
			     "203.0.113.0/25 64600 -\n"
			     "2001:db8:1::/48 0 AT\n");
	assert_int_equal(cirt_geo_open(&g, table, asn, cc, &d), 0);
	expect_geo(g, "198.51.100.7", 64500, "BE");
	expect_geo(g, "203.0.113.9", 64600, "FR");
	expect_geo(g, "203.0.113.200", 65002, "FR");
	expect_geo(g, "2001:db8:1::5", 65003, "AT");
	{
		struct cirt_event ev;

		cirt_event_init(&ev);
		must_set(&ev, "source.url", "http://203.0.113.9/x");
		cirt_event_enrich(&ev, g, NULL);
		assert_int_equal(ev.src.asn, 64600);
		assert_string_equal(ev.src.cc, "FR");
		cirt_event_release(&ev);
	}
	cirt_geo_close(g);
}

/* ---- routing ---- */

static struct cirt_route *sample_route(void)
{
	struct cirt_route *r = cirt_route_new();
	static const struct {
		const char *net;
		int64_t org;
	} nets[] = {
		{"192.0.2.0/24", 1},
		{"192.0.2.128/25", 2},
		{"2001:db8::/32", 3},
		{"2001:db8:aa::/48", 9},
	};

	for (size_t i = 0; i < sizeof(nets) / sizeof(nets[0]); i++) {
		struct cirt_ip ip;

		assert_int_equal(cirt_ip_parse(nets[i].net, strlen(nets[i].net),
					       true, false, &ip, NULL, NULL),
				 0);
		cirt_route_add_cidr(r, &ip, nets[i].org);
	}
	cirt_route_add_asn(r, 64500, 4);
	cirt_route_add_asn(r, 0, 99); /* AS 0 is never owned */
	cirt_route_add_domain(r, "example.org", 5);
	cirt_route_add_domain(r, "gov.example", 6);
	cirt_route_add_domain(r, "ministry.gov.example", 7);
	cirt_route_add_domain(r, "example", 8); /* a TLD: never routes */
	cirt_route_add_domain(r, "", 98);
	return r;
}

struct route_case {
	const char *ip, *net, *asn, *fqdn, *url;
	int64_t org;
	const char *how;
};

static const struct route_case route_cases[] = {
	{"192.0.2.1", NULL, NULL, NULL, NULL, 1, "cidr"},
	{"192.0.2.200", NULL, NULL, NULL, NULL, 2, "cidr"},
	{"192.0.2.1", NULL, "64500", "www.example.org", NULL, 1, "cidr"},
	{"198.51.100.1", NULL, "64500", "a.example.org", NULL, 4, "asn"},
	{NULL, NULL, "AS64500", "a.example.org", NULL, 4, "asn"},
	{"198.51.100.1", NULL, "65000", "a.b.example.org", NULL, 5, "domain"},
	{NULL, NULL, NULL, "example.org", NULL, 5, "domain"},
	{NULL, NULL, NULL, "notexample.org", NULL, 0, ""},
	{NULL, NULL, NULL, "example.org.evil.test", NULL, 0, ""},
	{NULL, NULL, NULL, "mail.ministry.gov.example", NULL, 7, "domain"},
	{NULL, NULL, NULL, "ministry.gov.example", NULL, 7, "domain"},
	{NULL, NULL, NULL, "www.gov.example", NULL, 6, "domain"},
	{NULL, NULL, NULL, "gov.example", NULL, 6, "domain"},
	{NULL, NULL, NULL, "other.example", NULL, 0, ""},
	{NULL, NULL, NULL, "example", NULL, 0, ""},
	{NULL, NULL, NULL, NULL, "https://Portal.Ministry.GOV.example/login", 7,
	 "domain"},
	{NULL, NULL, NULL, NULL, "http://192.0.2.130/x", 2, "cidr"},
	{NULL, "192.0.2.128/26", NULL, NULL, NULL, 2, "cidr"},
	{NULL, "192.0.2.0/25", NULL, NULL, NULL, 1, "cidr"},
	{NULL, "192.0.2.0/24", NULL, NULL, NULL, 1, "cidr"},
	{NULL, "192.0.2.0/23", NULL, NULL, NULL, 0, ""},
	{NULL, "192.0.2.0/23", "64500", NULL, NULL, 4, "asn"},
	{"2001:db8::1", NULL, NULL, NULL, NULL, 3, "cidr"},
	{"2001:db8:aa::1", NULL, NULL, NULL, NULL, 9, "cidr"},
	{NULL, "2001:db8:aa:bb::/64", NULL, NULL, NULL, 9, "cidr"},
	{NULL, "2001:db8::/31", NULL, NULL, NULL, 0, ""},
	{"::ffff:192.0.2.1", NULL, NULL, NULL, NULL, 1, "cidr"},
	{"198.51.100.1", NULL, "65000", "unknown.test", NULL, 0, ""},
};

static void prepare(struct cirt_event *ev, const struct route_case *c)
{
	cirt_event_reset(ev);
	if (c->ip)
		must_set(ev, "source.ip", c->ip);
	if (c->net)
		must_set(ev, "source.network", c->net);
	if (c->asn)
		must_set(ev, "source.asn", c->asn);
	if (c->fqdn)
		must_set(ev, "source.fqdn", c->fqdn);
	if (c->url)
		must_set(ev, "source.url", c->url);
	cirt_event_enrich(ev, NULL, NULL);
	/* What a previous record left must not survive. */
	ev->constituent = 77;
	memcpy(ev->route, "asn", 4);
}

static void test_route_order(void **state)
{
	struct cirt_route *r = sample_route();
	struct cirt_event ev;
	size_t failed = 0;

	(void)state;
	cirt_event_init(&ev);
	for (size_t i = 0; i < sizeof(route_cases) / sizeof(route_cases[0]);
	     i++) {
		const struct route_case *c = &route_cases[i];
		bool ok;

		prepare(&ev, c);
		ok = cirt_route_event(r, &ev);
		if (ok != (c->org != 0) || ev.constituent != c->org ||
		    strcmp(ev.route, c->how) != 0) {
			printf("# case %zu (%s %s %s %s %s): want %lld %s, got "
			       "%d %lld \"%s\"\n",
			       i, c->ip ? c->ip : "-", c->net ? c->net : "-",
			       c->asn ? c->asn : "-", c->fqdn ? c->fqdn : "-",
			       c->url ? c->url : "-", (long long)c->org, c->how,
			       ok, (long long)ev.constituent, ev.route);
			failed++;
		}
	}
	/* The destination is never the owner. */
	cirt_event_reset(&ev);
	must_set(&ev, "destination.ip", "192.0.2.1");
	must_set(&ev, "destination.asn", "64500");
	must_set(&ev, "destination.fqdn", "example.org");
	ev.constituent = 5;
	assert_false(cirt_route_event(r, &ev));
	assert_int_equal(ev.constituent, 0);
	assert_string_equal(ev.route, "");
	cirt_event_release(&ev);
	cirt_route_free(r);
	if (failed)
		fail_msg("%zu routing cases failed", failed);
}

static void test_route_empty_and_replace(void **state)
{
	struct cirt_route *r = cirt_route_new();
	struct cirt_event ev;
	char name[64];

	(void)state;
	cirt_event_init(&ev);
	must_set(&ev, "source.ip", "192.0.2.1");
	must_set(&ev, "source.asn", "64500");
	must_set(&ev, "source.fqdn", "www.example.org");
	assert_false(cirt_route_event(r, &ev));
	assert_int_equal(ev.constituent, 0);
	/* Adding again replaces. */
	cirt_route_add_domain(r, "example.org", 5);
	cirt_route_add_domain(r, "example.org", 6);
	assert_true(cirt_route_event(r, &ev));
	assert_int_equal(ev.constituent, 6);
	cirt_route_add_asn(r, 64500, 7);
	cirt_route_add_asn(r, 64500, 8);
	assert_true(cirt_route_event(r, &ev));
	assert_int_equal(ev.constituent, 8);
	assert_string_equal(ev.route, "asn");
	/* Growth: many names and numbers, each found. */
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "d%d.example.net", i);
		cirt_route_add_domain(r, name, 1000 + i);
		cirt_route_add_asn(r, 100000 + i, 5000 + i);
	}
	for (int i = 0; i < 3000; i += 13) {
		cirt_event_reset(&ev);
		snprintf(name, sizeof(name), "www.d%d.example.net", i);
		must_set(&ev, "source.fqdn", name);
		assert_true(cirt_route_event(r, &ev));
		assert_int_equal(ev.constituent, 1000 + i);
		cirt_event_reset(&ev);
		ev.src.asn = 100000 + i;
		assert_true(cirt_route_event(r, &ev));
		assert_int_equal(ev.constituent, 5000 + i);
	}
	cirt_event_reset(&ev);
	must_set(&ev, "source.fqdn", "d3000.example.net");
	assert_false(cirt_route_event(r, &ev));
	cirt_event_release(&ev);
	cirt_route_free(r);
	cirt_route_free(NULL);
}

/* ---- the snapshot from the store (both backends) ---- */

static int64_t add_constituent(struct cirt_db *db, const char *body_text)
{
	json_error_t err;
	json_t *body = json_loads(body_text, 0, &err), *out = NULL;
	struct cirt_diag d;
	struct cirt_org o;

	if (!body)
		fail_msg("bad test JSON: %s", err.text);
	cirt_diag_init(&d);
	if (cirt_constituent_add(db, &test_actor, body, &out, &d) < 0)
		fail_msg("add: %s: %s", d.field, d.message);
	json_decref(out);
	assert_int_equal(
		cirt_org_get(db,
			     json_string_value(json_object_get(body, "name")),
			     &o, &d),
		0);
	json_decref(body);
	return o.id;
}

static int64_t route_of(const struct cirt_route *r, const char *name,
			const char *value)
{
	struct cirt_event ev;
	int64_t org;

	cirt_event_init(&ev);
	must_set(&ev, name, value);
	cirt_event_enrich(&ev, NULL, NULL);
	cirt_route_event(r, &ev);
	org = ev.constituent;
	cirt_event_release(&ev);
	return org;
}

static const struct cirt_sql q_team_net = {
	"INSERT INTO org_networks (org_id, kind, value) VALUES (?, 'cidr', "
	"'203.0.113.0/24')",
	NULL};

static void test_route_load(void **state)
{
	struct cirt_db *db = test_with_alice(state);
	struct cirt_route *r = NULL;
	struct cirt_diag d;
	struct cirt_org team;
	int64_t a, b, c;

	cirt_diag_init(&d);
	/* An empty registry loads and routes nothing. */
	assert_int_equal(cirt_route_load(db, &r, &d), 0);
	assert_non_null(r);
	assert_int_equal(route_of(r, "source.ip", "192.0.2.1"), 0);
	cirt_route_free(r);
	a = add_constituent(db, "{\"name\": \"Grid\", \"cidrs\": "
				"[\"192.0.2.0/24\", \"2001:DB8::/32\"], "
				"\"asns\": [64500]}");
	b = add_constituent(db, "{\"name\": \"Rail\", \"cidrs\": "
				"[\"192.0.2.128/25\"], \"domains\": "
				"[\"Ministry.Example\"]}");
	c = add_constituent(db, "{\"name\": \"Bank\", \"asns\": "
				"[\"AS64501\"], \"domains\": [\"b\xc3\xbc"
				"cher.example\"]}");
	/* A team's networks (not a constituent) are not routed to. */
	assert_int_equal(cirt_org_team(db, &team, &d), 0);
	test_exec(db, &q_team_net, 1, team.id, 0);
	assert_int_equal(cirt_route_load(db, &r, &d), 0);
	assert_int_equal(route_of(r, "source.ip", "192.0.2.1"), a);
	assert_int_equal(route_of(r, "source.ip", "192.0.2.200"), b);
	assert_int_equal(route_of(r, "source.network", "192.0.2.192/26"), b);
	assert_int_equal(route_of(r, "source.ip", "2001:db8::9"), a);
	assert_int_equal(route_of(r, "source.asn", "64500"), a);
	assert_int_equal(route_of(r, "source.asn", "AS64501"), c);
	assert_int_equal(route_of(r, "source.fqdn", "x.Ministry.example"), b);
	assert_int_equal(route_of(r, "source.fqdn",
				  "www.b\xc3\xbc"
				  "cher.example"),
			 c);
	assert_int_equal(
		route_of(r, "source.url", "http://www.xn--bcher-kva.example/"),
		c);
	assert_int_equal(route_of(r, "source.ip", "203.0.113.1"), 0);
	assert_int_equal(route_of(r, "source.ip", "198.51.100.1"), 0);
	cirt_route_free(r);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_event_set_every_field),
		cmocka_unit_test(test_event_set_time),
		cmocka_unit_test(test_event_set_numbers),
		cmocka_unit_test(test_event_set_text_fields),
		cmocka_unit_test(test_event_set_ip_is_one_address),
		cmocka_unit_test(test_event_extra_escaping),
		cmocka_unit_test(test_event_extra_budget),
		cmocka_unit_test(test_domain_canon_table),
		cmocka_unit_test(test_domain_canon_lengths),
		cmocka_unit_test(test_url_canon_table),
		cmocka_unit_test(test_url_canon_length),
		cmocka_unit_test(test_enrich_url_host),
		cmocka_unit_test(test_enrich_drops_bad_names),
		cmocka_unit_test_setup_teardown(test_geo_table, tmp_make,
						tmp_remove),
		cmocka_unit_test_setup_teardown(test_geo_table_long_lines,
						tmp_make, tmp_remove),
		cmocka_unit_test_setup_teardown(test_geo_table_bad_lines,
						tmp_make, tmp_remove),
		cmocka_unit_test_setup_teardown(test_geo_mmdb, tmp_make,
						tmp_remove),
		cmocka_unit_test(test_route_order),
		cmocka_unit_test(test_route_empty_and_replace),
	};
	const struct CMUnitTest store[] = {
		cmocka_unit_test(test_route_load),
	};
	int failed = cmocka_run_group_tests_name("route", pure, NULL, NULL);

	failed += test_run_on_both("route_load", store,
				   sizeof(store) / sizeof(store[0]), true);
	return failed;
}
