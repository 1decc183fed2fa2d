/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Digest rendering and e-mail texts (notify/render.c): CSV columns in
 * order, RFC 4180 quoting, CRLF and the formula-injection guard; X-ARF
 * reports with every member xarf-core.json requires (read from
 * ../shared/data when there), the members each type's schema requires
 * when the event carries them, random UUIDv4 report ids, evidence with
 * its hash, never _internal, and the RSIT to X-ARF table; IODEF
 * documents that validate against the real iodef-2.0.xsd and read back
 * with their TLP; the digest checks and budgets; the texts in the six
 * languages, their fallback to English and their refusals.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/json.h"
#include "core/text.h"
#include "core/time.h"
#include "core/uuid.h"
#include "iodef/iodef.h"
#include "notify/render.h"

/* 2026-11-22T10:00:00Z */
#define T0 INT64_C(1795341600000000)

static const struct cirt_notify_ctx ctx = {
	"CERT-XX", "cert@cert.example", "cert.example",
	"en",	   CIRT_TLP_AMBER,	T0,
};

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);

	if (v == NULL)
		fail_msg("bad test JSON: %s (line %d)", e.text, e.line);
	return v;
}

/* Render text (a JSON digest) and return the output; the caller frees. */
static char *render(enum cirt_notify_format f, const char *text,
		    const struct cirt_notify_ctx *c, int want,
		    struct cirt_diag *d)
{
	json_t *events = load(text);
	struct cirt_buf out;
	const char *mime = NULL, *file = NULL;
	size_t len;
	int rc;

	cirt_diag_init(d);
	cirt_buf_init(&out, 16u << 20);
	rc = cirt_notify_render(f, events, c, &out, &mime, &file, d);
	json_decref(events);
	if (rc != want)
		fail_msg("render: %d, wanted %d (%s: %s)", rc, want, d->field,
			 d->message);
	if (rc == 0) {
		assert_string_equal(mime, cirt_notify_format_mime(f));
		assert_string_equal(file, cirt_notify_format_file(f));
	}
	return cirt_buf_detach(&out, &len);
}

static const char *const digest =
	"[{\"id\": 1, \"time.source\": \"2026-11-21T08:00:00Z\","
	" \"time.observation\": \"2026-11-21T09:00:00.5Z\","
	" \"source.ip\": \"192.0.2.7\", \"source.port\": 0,"
	" \"source.asn\": 64500, \"source.geolocation.cc\": \"XX\","
	" \"classification.taxonomy\": \"malicious-code\","
	" \"classification.type\": \"infected-system\","
	" \"malware.name\": \"mirai\", \"protocol.transport\": \"tcp\","
	" \"destination.ip\": \"2001:db8::1\", \"destination.port\": 23,"
	" \"feed.name\": \"drone, \\\"daily\\\"\","
	" \"feed.provider\": \"Shadowserver\", \"tlp\": \"amber\","
	" \"extra\": {\"a\": \"x,y\", \"n\": 1},"
	" \"raw\": \"aGVsbG8sIHdvcmxk\"},"
	" {\"id\": 2, \"source.fqdn\": \"bad.example\","
	" \"source.url\": \"http://bad.example/=cmd\","
	" \"feed.name\": \"=HYPERLINK(\\\"http://x\\\")\","
	" \"feed.provider\": \"+1\", \"constituent\": \"-Org\","
	" \"classification.identifier\": \"@SUM(A1)\","
	" \"malware.name\": \"plain\"}]";

/* Split s into lines at CRLF; every LF must follow a CR. */
static size_t crlf_lines(const char *s, char ***lines)
{
	size_t n = 0, cap = 16;
	char **v = malloc(cap * sizeof(*v));

	while (*s != '\0') {
		const char *e = strstr(s, "\r\n");
		const char *lf = strchr(s, '\n');

		assert_non_null(e);
		assert_ptr_equal(lf, e + 1);
		if (n == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = strndup(s, (size_t)(e - s));
		s = e + 2;
	}
	*lines = v;
	return n;
}

static void free_lines(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void test_csv(void **state)
{
	struct cirt_diag d;
	char *csv = render(CIRT_NOTIFY_CSV, digest, &ctx, 0, &d);
	struct cirt_buf head;
	char **lines;
	size_t n;

	(void)state;
	n = crlf_lines(csv, &lines);
	assert_int_equal(n, 3);

	/* The header is the documented column list, in order. */
	cirt_buf_init(&head, 4096);
	for (size_t k = 0; cirt_notify_csv_columns[k] != NULL; k++)
		assert_int_equal(cirt_buf_addf(&head, "%s%s", k ? "," : "",
					       cirt_notify_csv_columns[k]),
				 0);
	assert_string_equal(lines[0], cirt_buf_str(&head));
	assert_string_equal(cirt_notify_csv_columns[0], "time.source");
	assert_string_equal(cirt_notify_csv_columns[22], "extra");
	assert_null(cirt_notify_csv_columns[23]);
	cirt_buf_release(&head);

	/* Quoting: commas and quotes; numbers as they are (port 0). */
	assert_string_equal(
		lines[1],
		"2026-11-21T08:00:00Z,2026-11-21T09:00:00.5Z,192.0.2.7,,0,"
		"64500,XX,,,2001:db8::1,23,,tcp,,malicious-code,"
		"infected-system,,mirai,\"drone, \"\"daily\"\"\","
		"Shadowserver,amber,,\"{\"\"a\"\":\"\"x,y\"\",\"\"n\"\":1}\"");

	/* Formula injection: = + - @ get a leading quote, inside
	 * RFC 4180 quotes when the cell needs them. */
	assert_string_equal(lines[2],
			    ",,,,,,,bad.example,http://bad.example/=cmd,,,,,,"
			    ",,'@SUM(A1),plain,\"'=HYPERLINK(\"\"http://x\"\")"
			    "\",'+1,,'-Org,");
	free_lines(lines, n);
	free(csv);

	/* An empty digest is the header alone. */
	csv = render(CIRT_NOTIFY_CSV, "[]", &ctx, 0, &d);
	n = crlf_lines(csv, &lines);
	assert_int_equal(n, 1);
	free_lines(lines, n);
	free(csv);
}

static void test_digest_errors(void **state)
{
	static const struct {
		const char *json, *field;
		int rc;
	} bad[] = {
		{"{}", "events", -CIRT_EINVAL},
		{"[1]", "events[0]", -CIRT_EINVAL},
		{"[{\"source.ip\": \"192.0.2.1\"}]", "events[0].id",
		 -CIRT_EINVAL},
		{"[{\"id\": 1}, {\"id\": \"2\"}]", "events[1].id",
		 -CIRT_EINVAL},
		{"[{\"id\": 1, \"source.port\": 65536}]",
		 "events[0].source.port", -CIRT_EINVAL},
		{"[{\"id\": 1, \"source.port\": \"80\"}]",
		 "events[0].source.port", -CIRT_EINVAL},
		{"[{\"id\": 1, \"source.asn\": -1}]", "events[0].source.asn",
		 -CIRT_EINVAL},
		{"[{\"id\": 1, \"source.ip\": \"192.0.2.300\"}]",
		 "events[0].source.ip", -CIRT_EINVAL},
		{"[{\"id\": 1, \"source.network\": \"192.0.2.1/24\"}]",
		 "events[0].source.network", -CIRT_EINVAL},
		{"[{\"id\": 1, \"time.source\": \"yesterday\"}]",
		 "events[0].time.source", -CIRT_EINVAL},
		{"[{\"id\": 1, \"tlp\": \"white-ish\"}]", "events[0].tlp",
		 -CIRT_EINVAL},
		{"[{\"id\": 1, \"source.url\": \"http://a/\\nBcc: x\"}]",
		 "events[0].source.url", -CIRT_EINVAL},
		{"[{\"id\": 1, \"feed.name\": \"a\\u0000b\"}]",
		 "events[0].feed.name", -CIRT_EINVAL},
		{"[{\"id\": 1, \"feed.name\": \"a\\u0085b\"}]",
		 "events[0].feed.name", -CIRT_EINVAL},
		{"[{\"id\": 1, \"feed.name\": \"a\\uffffb\"}]",
		 "events[0].feed.name", -CIRT_EINVAL},
		{"[{\"id\": 1, \"extra\": []}]", "events[0].extra",
		 -CIRT_EINVAL},
		{"[{\"id\": 1, \"raw\": 5}]", "events[0].raw", -CIRT_EINVAL},
	};
	struct cirt_diag d;
	char *s;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_error_t e;
		json_t *ev = json_loads(bad[i].json, JSON_ALLOW_NUL, &e);
		struct cirt_buf out;

		assert_non_null(ev);
		cirt_diag_init(&d);
		cirt_buf_init(&out, 1 << 20);
		assert_int_equal(cirt_notify_render(CIRT_NOTIFY_CSV, ev, &ctx,
						    &out, NULL, NULL, &d),
				 bad[i].rc);
		assert_string_equal(d.field, bad[i].field);
		assert_null(out.data);
		json_decref(ev);
	}

	/* Unknown keys and nulls are ignored. */
	s = render(CIRT_NOTIFY_CSV,
		   "[{\"id\": 1, \"whatever\": [1], \"source.ip\": null}]",
		   &ctx, 0, &d);
	free(s);
}

static void test_budgets(void **state)
{
	json_t *events = json_array();
	struct cirt_buf out;
	struct cirt_diag d;
	char long_url[CIRT_NOTIFY_FIELD_MAX + 2];

	(void)state;
	for (int i = 0; i <= CIRT_NOTIFY_MAX_EVENTS; i++)
		json_array_append_new(events,
				      json_pack("{sIss}", "id", (json_int_t)i,
						"source.ip", "192.0.2.1"));
	cirt_buf_init(&out, 64u << 20);
	cirt_diag_init(&d);
	assert_int_equal(cirt_notify_render(CIRT_NOTIFY_CSV, events, &ctx, &out,
					    NULL, NULL, &d),
			 -CIRT_ELIMIT);
	json_array_remove(events, 0);
	cirt_diag_init(&d);
	assert_int_equal(cirt_notify_render(CIRT_NOTIFY_CSV, events, &ctx, &out,
					    NULL, NULL, &d),
			 0);
	cirt_buf_release(&out);

	/* The output ceiling: out keeps what it had. */
	cirt_buf_init(&out, 1000);
	assert_int_equal(cirt_buf_adds(&out, "kept"), 0);
	for (int f = 0; f < CIRT_NOTIFY_FORMAT_COUNT; f++) {
		cirt_diag_init(&d);
		assert_int_equal(cirt_notify_render((enum cirt_notify_format)f,
						    events, &ctx, &out, NULL,
						    NULL, &d),
				 -CIRT_ELIMIT);
		assert_string_equal(cirt_buf_str(&out), "kept");
	}
	cirt_buf_release(&out);
	json_decref(events);

	/* A text value: at CIRT_NOTIFY_FIELD_MAX bytes, and one over. */
	memset(long_url, 'a', sizeof(long_url) - 1);
	long_url[sizeof(long_url) - 1] = '\0';
	events = json_pack("[{sIss}]", "id", (json_int_t)1, "source.url",
			   long_url + 1);
	cirt_buf_init(&out, 1 << 20);
	cirt_diag_init(&d);
	assert_int_equal(cirt_notify_render(CIRT_NOTIFY_CSV, events, &ctx, &out,
					    NULL, NULL, &d),
			 0);
	json_decref(events);
	events = json_pack("[{sIss}]", "id", (json_int_t)1, "source.url",
			   long_url);
	cirt_diag_init(&d);
	assert_int_equal(cirt_notify_render(CIRT_NOTIFY_CSV, events, &ctx, &out,
					    NULL, NULL, &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "events[0].source.url");
	json_decref(events);
	cirt_buf_release(&out);
}

static void test_formats(void **state)
{
	enum cirt_notify_format f;

	(void)state;
	assert_int_equal(cirt_notify_format_parse("XARF", &f), 0);
	assert_int_equal(f, CIRT_NOTIFY_XARF);
	assert_int_equal(cirt_notify_format_parse("iodef", &f), 0);
	assert_int_equal(f, CIRT_NOTIFY_IODEF);
	assert_int_equal(cirt_notify_format_parse("csv", &f), 0);
	assert_int_equal(f, CIRT_NOTIFY_CSV);
	assert_int_equal(cirt_notify_format_parse("pdf", &f), -CIRT_EINVAL);
	assert_string_equal(cirt_notify_format_name(CIRT_NOTIFY_XARF), "xarf");
	assert_string_equal(cirt_notify_format_mime(CIRT_NOTIFY_CSV),
			    "text/csv; charset=utf-8");
	assert_string_equal(cirt_notify_format_file(CIRT_NOTIFY_IODEF),
			    "iodef.xml");
	assert_null(cirt_notify_format_name(CIRT_NOTIFY_FORMAT_COUNT));
}

static void test_xarf_map(void **state)
{
	static const struct {
		const char *cls, *type, *id, *category, *xtype;
	} map[] = {
		{"abusive-content", "spam", NULL, "messaging", "spam"},
		{"malicious-code", "infected-system", NULL, "connection",
		 "infected_host"},
		{"malicious-code", "ransomware", NULL, "connection",
		 "infected_host"},
		{"malicious-code", "c2-server", NULL, "infrastructure",
		 "botnet"},
		{"malicious-code", "malware-distribution", NULL, "content",
		 "malware"},
		{"fraud", "phishing", NULL, "content", "phishing"},
		{"fraud", "pharming", NULL, "content", "phishing"},
		{"intrusion-attempts", "brute-force", NULL, "connection",
		 "login_attack"},
		{"information-gathering", "scanner", NULL, "connection",
		 "port_scan"},
		{"availability", "ddos", NULL, "connection", "ddos"},
		{"vulnerable", "vulnerable-system", "cve-2021-44228",
		 "vulnerability", "cve"},
		{"vulnerable", "vulnerable-system", "openssh", "vulnerability",
		 "misconfiguration"},
		{"vulnerable", "weak-crypto", NULL, "vulnerability",
		 "misconfiguration"},
		{"vulnerable", "ddos-amplifier", NULL, "vulnerability",
		 "open_service"},
		{"vulnerable", NULL, NULL, "vulnerability", "open_service"},
		{"fraud", "masquerade", NULL, "reputation",
		 "threat_intelligence"},
		{NULL, NULL, NULL, "reputation", "threat_intelligence"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const char *c, *t;

		cirt_notify_xarf_type(map[i].cls, map[i].type, map[i].id, &c,
				      &t);
		assert_string_equal(c, map[i].category);
		assert_string_equal(t, map[i].xtype);
	}
}

/* One event of each mapped kind, with what its type schema needs. */
static const char *const xarf_digest =
	"[{\"id\": 1, \"time.source\": \"2026-11-21T08:00:00Z\","
	"  \"source.ip\": \"192.0.2.7\", \"source.port\": 4711,"
	"  \"protocol.transport\": \"TCP\", \"destination.ip\": "
	"\"2001:db8::1\","
	"  \"destination.port\": 23, \"malware.name\": \"mirai\","
	"  \"classification.taxonomy\": \"malicious-code\","
	"  \"classification.type\": \"infected-system\","
	"  \"raw\": \"aGVsbG8sIHdvcmxk\"},"
	" {\"id\": 2, \"source.ip\": \"192.0.2.8\", \"source.port\": 25,"
	"  \"protocol.application\": \"smtp\","
	"  \"extra\": {\"smtp_from\": \"spam@bad.example\"},"
	"  \"classification.taxonomy\": \"abusive-content\","
	"  \"classification.type\": \"spam\"},"
	" {\"id\": 3, \"source.url\": \"http://bad.example/login\","
	"  \"source.fqdn\": \"bad.example\", \"classification.taxonomy\":"
	"  \"fraud\", \"classification.type\": \"phishing\"},"
	" {\"id\": 4, \"source.ip\": \"2001:db8::7\","
	"  \"classification.taxonomy\": \"malicious-code\","
	"  \"classification.type\": \"c2-server\"},"
	" {\"id\": 5, \"source.ip\": \"192.0.2.9\", \"source.port\": 3389,"
	"  \"time.source\": \"2026-11-21T08:00:00.25Z\","
	"  \"protocol.transport\": \"tcp\","
	"  \"classification.taxonomy\": \"intrusion-attempts\","
	"  \"classification.type\": \"brute-force\"},"
	" {\"id\": 6, \"source.ip\": \"192.0.2.10\", \"source.port\": 443,"
	"  \"protocol.application\": \"https\","
	"  \"classification.identifier\": \"CVE-2024-3400\","
	"  \"classification.taxonomy\": \"vulnerable\","
	"  \"classification.type\": \"vulnerable-system\"},"
	" {\"id\": 7, \"source.network\": \"198.51.100.0/24\","
	"  \"classification.taxonomy\": \"fraud\","
	"  \"classification.type\": \"masquerade\"},"
	" {\"id\": 8, \"source.asn\": 64500,"
	"  \"classification.identifier\": \"blocklisted\"}]";

/* The "required" list of a schema object, as a JSON array, or NULL. */
static json_t *required_of(json_t *schema, bool type_schema)
{
	if (type_schema)
		schema = json_array_get(json_object_get(schema, "allOf"), 1);
	return json_object_get(schema, "required");
}

static void assert_has_all(json_t *report, json_t *required, const char *what)
{
	size_t i;
	json_t *k;

	json_array_foreach (required, i, k) {
		if (json_object_get(report, json_string_value(k)) == NULL)
			fail_msg("%s: report lacks %s", what,
				 json_string_value(k));
	}
}

/* Check report against xarf-core.json's and its type's required lists
 * when the shared data is there. */
static void check_schemas(json_t *report, const char *data)
{
	static const char *const core_required[] = {
		"xarf_version", "report_id",	     "timestamp", "reporter",
		"sender",	"source_identifier", "category",  "type"};
	char path[1024], type[64];
	json_error_t e;
	json_t *schema;

	for (size_t i = 0; i < 8; i++)
		assert_non_null(json_object_get(report, core_required[i]));
	if (data == NULL)
		return;
	snprintf(path, sizeof(path),
		 "%s/abuse-reporting/xarf/schemas/v4/xarf-core.json", data);
	schema = json_load_file(path, 0, &e);
	assert_non_null(schema);
	assert_true(json_array_size(required_of(schema, false)) >= 8);
	assert_has_all(report, required_of(schema, false), "core");
	assert_has_all(json_object_get(report, "reporter"),
		       json_object_get(
			       json_object_get(json_object_get(schema, "$defs"),
					       "contact_info"),
			       "required"),
		       "reporter");
	json_decref(schema);

	snprintf(type, sizeof(type), "%s",
		 json_string_value(json_object_get(report, "type")));
	for (char *p = type; *p != '\0'; p++)
		if (*p == '_')
			*p = '-';
	snprintf(path, sizeof(path),
		 "%s/abuse-reporting/xarf/schemas/v4/types/%s-%s.json", data,
		 json_string_value(json_object_get(report, "category")), type);
	schema = json_load_file(path, 0, &e);
	if (schema == NULL)
		fail_msg("no type schema %s", path);
	assert_has_all(report, required_of(schema, true), path);
	json_decref(schema);
}

static void test_xarf(void **state)
{
	static const char *const types[] = {"connection/infected_host",
					    "messaging/spam",
					    "content/phishing",
					    "infrastructure/botnet",
					    "connection/login_attack",
					    "vulnerability/cve",
					    "reputation/threat_intelligence",
					    "reputation/threat_intelligence"};
	const char *data = test_shared_data("the X-ARF v4 schemas");
	struct cirt_diag d;
	char *s = render(CIRT_NOTIFY_XARF, xarf_digest, &ctx, 0, &d);
	char hex[CIRT_SHA256_HEX_LEN], kind[64], *copy;
	json_t *all, *r, *ev;
	size_t i;

	(void)state;
	/* One report per line. */
	copy = s;
	for (i = 0; (copy = strchr(copy, '\n')) != NULL; i++)
		copy++;
	assert_int_equal(i, 10);
	all = load(s);
	assert_int_equal(json_array_size(all), 8);
	json_array_foreach (all, i, r) {
		const char *id =
			json_string_value(json_object_get(r, "report_id"));

		assert_string_equal(
			json_string_value(json_object_get(r, "xarf_version")),
			"4.0.0");
		assert_true(cirt_uuid_valid(id));
		assert_int_equal(id[14], '4');
		assert_non_null(strchr("89ab", id[19]));
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(
				id,
				json_string_value(json_object_get(
					json_array_get(all, k), "report_id")));
		assert_null(json_object_get(r, "_internal"));
		assert_string_equal(
			json_string_value(json_object_get(
				json_object_get(r, "sender"), "domain")),
			"cert.example");
		assert_string_equal(
			json_string_value(json_object_get(
				json_object_get(r, "reporter"), "contact")),
			"cert@cert.example");
		snprintf(kind, sizeof(kind), "%s/%s",
			 json_string_value(json_object_get(r, "category")),
			 json_string_value(json_object_get(r, "type")));
		assert_string_equal(kind, types[i]);
		check_schemas(r, data);
	}

	/* Source identifiers, ports, type members. */
	r = json_array_get(all, 0);
	assert_string_equal(
		json_string_value(json_object_get(r, "source_identifier")),
		"192.0.2.7");
	assert_int_equal(json_integer_value(json_object_get(r, "source_port")),
			 4711);
	assert_string_equal(json_string_value(json_object_get(r, "timestamp")),
			    "2026-11-21T08:00:00Z");
	assert_string_equal(json_string_value(json_object_get(r, "protocol")),
			    "tcp");
	assert_string_equal(
		json_string_value(json_object_get(r, "destination_ip")),
		"2001:db8::1");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(r, "tags"), 0)),
			    "malware:mirai");
	ev = json_array_get(json_object_get(r, "evidence"), 0);
	assert_non_null(ev);
	assert_string_equal(
		json_string_value(json_object_get(ev, "content_type")),
		"text/plain");
	assert_string_equal(json_string_value(json_object_get(ev, "payload")),
			    "aGVsbG8sIHdvcmxk");
	cirt_sha256_hex("hello, world", 12, hex);
	assert_string_equal(json_string_value(json_object_get(ev, "hash")) + 7,
			    hex);
	assert_int_equal(json_integer_value(json_object_get(ev, "size")), 12);
	r = json_array_get(all, 2);
	assert_string_equal(
		json_string_value(json_object_get(r, "source_identifier")),
		"bad.example");
	assert_string_equal(json_string_value(json_object_get(r, "url")),
			    "http://bad.example/login");
	r = json_array_get(all, 5);
	assert_string_equal(json_string_value(json_object_get(r, "cve_id")),
			    "CVE-2024-3400");
	assert_int_equal(json_integer_value(json_object_get(r, "service_port")),
			 443);
	r = json_array_get(all, 6);
	assert_string_equal(
		json_string_value(json_object_get(r, "source_identifier")),
		"198.51.100.0/24");
	/* No time at all: ctx's now. */
	assert_string_equal(json_string_value(json_object_get(r, "timestamp")),
			    "2026-11-22T10:00:00Z");
	r = json_array_get(all, 7);
	assert_string_equal(
		json_string_value(json_object_get(r, "source_identifier")),
		"AS64500");
	json_decref(all);
	free(s);

	s = render(CIRT_NOTIFY_XARF, "[]", &ctx, 0, &d);
	assert_string_equal(s, "[]\n");
	free(s);
}

static void test_xarf_errors(void **state)
{
	struct cirt_notify_ctx c = ctx;
	struct cirt_diag d;
	json_t *events;
	struct cirt_buf out;
	char *big, *s;
	size_t n = (CIRT_NOTIFY_EVIDENCE_MAX / 3 + 1) * 4;

	(void)state;
	s = render(CIRT_NOTIFY_XARF,
		   "[{\"id\": 1, \"source.ip\": \"192.0.2.1\", \"raw\": "
		   "\"aGVsbG8=x\"}]",
		   &ctx, -CIRT_EINVAL, &d);
	assert_string_equal(d.field, "events[0].raw");
	free(s);
	s = render(CIRT_NOTIFY_XARF, "[{\"id\": 1}]", &ctx, -CIRT_EINVAL, &d);
	assert_string_equal(d.field, "events[0]");
	free(s);
	c.team_email = NULL;
	s = render(CIRT_NOTIFY_XARF, "[]", &c, -CIRT_EINVAL, &d);
	assert_string_equal(d.field, "team_email");
	free(s);
	c = ctx;
	c.team_org = "CERT\nBcc";
	s = render(CIRT_NOTIFY_IODEF, "[{\"id\": 1}]", &c, -CIRT_EINVAL, &d);
	assert_string_equal(d.field, "team_org");
	free(s);
	/* CSV needs no team. */
	c.team_org = NULL;
	s = render(CIRT_NOTIFY_CSV, "[{\"id\": 1}]", &c, 0, &d);
	free(s);

	/* A raw record over the evidence limit is left out. */
	big = malloc(n + 1);
	memset(big, 'A', n);
	big[n] = '\0';
	events = json_pack("[{sIssss}]", "id", (json_int_t)1, "source.ip",
			   "192.0.2.1", "raw", big);
	cirt_buf_init(&out, 32u << 20);
	cirt_diag_init(&d);
	assert_int_equal(cirt_notify_render(CIRT_NOTIFY_XARF, events, &ctx,
					    &out, NULL, NULL, &d),
			 0);
	assert_null(strstr(cirt_buf_str(&out), "evidence"));
	cirt_buf_release(&out);
	json_decref(events);
	free(big);
}

static const char *const iodef_digest =
	"[{\"id\": 11, \"time.source\": \"2026-11-21T08:00:00.123Z\","
	"  \"time.observation\": \"2026-11-21T09:00:00Z\","
	"  \"source.ip\": \"192.0.2.7\", \"source.port\": 4711,"
	"  \"source.asn\": 64500, \"protocol.transport\": \"tcp\","
	"  \"destination.ip\": \"2001:db8::1\", \"destination.port\": 23,"
	"  \"protocol.application\": \"telnet\","
	"  \"classification.taxonomy\": \"malicious-code\","
	"  \"classification.type\": \"infected-system\","
	"  \"malware.name\": \"mirai\", \"tlp\": \"clear\"},"
	" {\"id\": 12, \"source.fqdn\": \"bad.example\","
	"  \"source.url\": \"http://bad.example/a?b=1&c=<x>\","
	"  \"classification.taxonomy\": \"fraud\","
	"  \"classification.type\": \"phishing\", \"tlp\": \"green\"},"
	" {\"id\": 13, \"source.network\": \"2001:db8:1::/48\","
	"  \"feed.provider\": \"Prov \\\"&\\\" <Co>\", \"tlp\": \"amber\"},"
	" {\"id\": 14, \"source.network\": \"198.51.100.0/24\","
	"  \"source.ip\": \"2001:db8::9\", \"tlp\": \"amber+strict\"},"
	" {\"id\": 15, \"source.ip\": \"192.0.2.1\", \"tlp\": \"red\"},"
	" {\"id\": 16, \"source.ip\": \"192.0.2.2\","
	"  \"classification.taxonomy\": \"availability\","
	"  \"classification.type\": \"ddos\", \"protocol.transport\": \"udp\","
	"  \"destination.port\": 53},"
	" {\"id\": 17}]";

static void test_iodef(void **state)
{
	static const enum cirt_tlp tlps[] = {
		CIRT_TLP_CLEAR,	       CIRT_TLP_GREEN, CIRT_TLP_AMBER,
		CIRT_TLP_AMBER_STRICT, CIRT_TLP_RED,   CIRT_TLP_AMBER,
		CIRT_TLP_AMBER};
	const char *data = test_shared_data("the IODEF schema");
	struct cirt_notify_ctx c = ctx;
	struct cirt_iodef_schema *schema = NULL;
	struct cirt_iodef_doc doc;
	struct cirt_diag d;
	char path[1024];
	json_t *errors;
	char *xml;

	(void)state;
	c.lang = "fr";
	xml = render(CIRT_NOTIFY_IODEF, iodef_digest, &c, 0, &d);
	assert_non_null(strstr(xml, "version=\"2.00\""));
	assert_non_null(strstr(xml, "xml:lang=\"fr\""));
	/* The incident export's mapping (cirt_iodef_restriction). */
	assert_non_null(strstr(xml, "restriction=\"public\""));
	assert_non_null(strstr(xml, "restriction=\"green\""));
	assert_non_null(strstr(xml, "restriction=\"amber\""));
	assert_non_null(strstr(xml, "restriction=\"ext-value\" "
				    "ext-restriction=\"amber+strict\""));
	assert_non_null(strstr(xml, "restriction=\"red\""));
	assert_non_null(strstr(xml, "<Address category=\"ipv4-addr\">"
				    "192.0.2.7</Address>"));
	assert_non_null(strstr(xml, "<Address category=\"ipv6-net\">"
				    "2001:db8:1::/48</Address>"));
	assert_non_null(strstr(xml, "<Address category=\"ipv4-net\">"
				    "198.51.100.0/24</Address>"));
	assert_non_null(strstr(xml, "<Address category=\"site-uri\">"
				    "http://bad.example/a?b=1&amp;c=&lt;x&gt;"
				    "</Address>"));
	assert_non_null(strstr(xml, "<Name>bad.example</Name>"));
	assert_non_null(strstr(xml, "<Port>23</Port>"));
	assert_non_null(strstr(xml, "ip-protocol=\"17\""));
	/* The application goes with the target's port. */
	assert_true(strstr(xml, "<IANAService>telnet</IANAService>") >
		    strstr(xml, "category=\"target\""));
	assert_non_null(strstr(xml, "<DetectTime>2026-11-21T08:00:00.123000Z"));
	assert_non_null(strstr(xml, "<GenerationTime>2026-11-22T10:00:00Z"));
	assert_non_null(strstr(xml, "<IncidentID name=\"cert.example\">17<"));
	if (data == NULL) {
		free(xml);
		return;
	}
	snprintf(path, sizeof(path), "%s/iodef/iodef-2.0.xsd", data);
	cirt_diag_init(&d);
	if (cirt_iodef_schema_load(path, &schema, &d) < 0)
		fail_msg("schema: %s", d.message);
	errors = json_array();
	cirt_diag_init(&d);
	if (cirt_iodef_read(xml, strlen(xml), schema, &doc, errors, &d) < 0) {
		char *e = json_dumps(errors, 0);

		fprintf(stderr, "%s\n%s\n", xml, e);
		free(e);
		fail_msg("not valid IODEF: %s", d.message);
	}
	assert_int_equal(doc.nincidents, 7);
	for (size_t i = 0; i < doc.nincidents; i++) {
		char id[8];

		snprintf(id, sizeof(id), "%zu", 11 + i);
		assert_string_equal(doc.incidents[i].id, id);
		assert_string_equal(doc.incidents[i].id_name, "cert.example");
		assert_string_equal(doc.incidents[i].purpose, "reporting");
		assert_int_equal(doc.incidents[i].tlp, tlps[i]);
	}
	assert_string_equal(doc.incidents[0].category,
			    "malicious-code:infected-system");
	cirt_iodef_doc_release(&doc);
	json_decref(errors);
	cirt_iodef_schema_free(schema);
	free(xml);

	/* An empty digest has no IODEF form (an IODEF-Document needs an
	 * Incident); nor does a bad language tag. */
	xml = render(CIRT_NOTIFY_IODEF, "[]", &ctx, -CIRT_EINVAL, &d);
	free(xml);
	c.lang = "not a tag";
	xml = render(CIRT_NOTIFY_IODEF, "[{\"id\": 1}]", &c, -CIRT_EINVAL, &d);
	assert_string_equal(d.field, "lang");
	free(xml);
}

/* ---- texts ---- */

static const struct cirt_notify_count counts[] = {
	{"malicious-code:infected-system", 3},
	{"abusive-content:spam", 1},
	{"", 1},
};

static const struct cirt_notify_text_ctx tctx = {
	"CERT-XX",
	"Example Org",
	5,
	counts,
	3,
	T0 - 7 * CIRT_US_PER_DAY,
	T0,
	CIRT_TLP_AMBER,
	CIRT_NOTIFY_CSV,
	"cert@cert.example",
};

static void text(const char *lang, const struct cirt_notify_text_ctx *c,
		 char **subject, char **body)
{
	struct cirt_buf s, b;
	struct cirt_diag d;
	size_t n;

	cirt_buf_init(&s, 4096);
	cirt_buf_init(&b, 65536);
	cirt_diag_init(&d);
	if (cirt_notify_text(lang, c, &s, &b, &d) < 0)
		fail_msg("text %s: %s", lang, d.message);
	*subject = cirt_buf_detach(&s, &n);
	*body = cirt_buf_detach(&b, &n);
}

/* b with its line breaks as spaces, for phrases a wrap may split. */
static char *flat(const char *b)
{
	char *f = strdup(b);

	for (char *p = f; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	return f;
}

static void test_text_languages(void **state)
{
	static const char *const langs[] = {"en", "fr", "es", "ru", "ar", "zh"};
	char *subject[6], *body[6], *s, *b, *f;

	(void)state;
	for (size_t i = 0; i < 6; i++) {
		text(langs[i], &tctx, &subject[i], &body[i]);
		s = subject[i];
		b = body[i];
		assert_true(cirt_utf8_valid(s, strlen(s), NULL));
		assert_true(cirt_utf8_valid(b, strlen(b), NULL));
		assert_null(strchr(s, '\n'));
		assert_int_equal(strncmp(s, "[TLP:AMBER] CERT-XX", 19), 0);
		assert_non_null(strstr(s, "Example Org"));
		assert_non_null(strstr(s, "5"));
		f = flat(b);
		assert_non_null(strstr(f, "Example Org"));
		assert_non_null(strstr(f, "cert@cert.example"));
		assert_non_null(strstr(f, "TLP:AMBER"));
		assert_non_null(strstr(f, "events.csv"));
		free(f);
		assert_non_null(strstr(b, "2026-11-15 10:00"));
		assert_non_null(strstr(b, "2026-11-22 10:00"));
		assert_non_null(
			strstr(b, "      3  malicious-code:infected-system\n"));
		assert_non_null(strstr(b, "      1  abusive-content:spam\n"));
		assert_null(strchr(b, '{'));
		assert_null(strchr(b, '}'));
		assert_null(strchr(b, '\r'));
		assert_non_null(strstr(b, "\nCERT-XX\n"));
		for (size_t k = 0; k < i; k++) {
			assert_string_not_equal(s, subject[k]);
			assert_string_not_equal(b, body[k]);
		}
		assert_string_equal(cirt_notify_lang(langs[i]), langs[i]);
	}
	assert_string_equal(subject[0],
			    "[TLP:AMBER] CERT-XX: 5 security events concerning "
			    "Example Org");
	assert_non_null(strstr(body[0], "Dear colleagues,\n\nCERT-XX has "
					"received reports of 5 security "
					"events"));
	assert_non_null(strstr(body[0], "  Events  Classification (RSIT)\n"
					"       3  malicious-code:infected-"
					"system\n"));
	assert_non_null(strstr(body[0], "       1  (unclassified)\n"
					"       5  Total\n"));
	assert_non_null(strstr(body[1], "Madame, Monsieur,"));
	assert_non_null(strstr(body[3], "Уважаемые коллеги!"));
	assert_non_null(strstr(body[5], "此致\n敬礼！\nCERT-XX\n"));

	/* Fallback: other languages, regions and scripts. */
	for (size_t k = 0; k < 4; k++) {
		static const char *const other[] = {"de", NULL, "english", ""};

		text(other[k], &tctx, &s, &b);
		assert_string_equal(s, subject[0]);
		assert_string_equal(b, body[0]);
		free(s);
		free(b);
	}
	text("fr-CA", &tctx, &s, &b);
	assert_string_equal(b, body[1]);
	free(s);
	free(b);
	text("ZH_hans", &tctx, &s, &b);
	assert_string_equal(b, body[5]);
	free(s);
	free(b);
	for (size_t i = 0; i < 6; i++) {
		free(subject[i]);
		free(body[i]);
	}
}

/* No wrapped line is wider than 72 columns (CJK counting two). */
static void test_text_wrap(void **state)
{
	static const char *const langs[] = {"en", "fr", "es", "ru", "ar", "zh"};
	char *s, *b;

	(void)state;
	for (size_t i = 0; i < 6; i++) {
		text(langs[i], &tctx, &s, &b);
		for (char *line = b; *line != '\0';) {
			char *e = strchr(line, '\n');
			size_t w = 0;

			assert_non_null(e);
			for (char *p = line; p < e;) {
				unsigned char c = (unsigned char)*p;
				unsigned cp = c;
				size_t n = c < 0x80   ? 1
					   : c < 0xe0 ? 2
					   : c < 0xf0 ? 3
						      : 4;

				if (n == 2)
					cp = (c & 0x1fu) << 6 |
					     ((unsigned char)p[1] & 0x3fu);
				if (n == 3)
					cp = (c & 0x0fu) << 12 |
					     ((unsigned char)p[1] & 0x3fu)
						     << 6 |
					     ((unsigned char)p[2] & 0x3fu);
				if (cp >= 0x64b && cp <= 0x65f)
					w += 0;
				else if (cp >= 0x2e80 && cp <= 0xa4cf)
					w += 2;
				else if (cp >= 0xff00 && cp <= 0xff60)
					w += 2;
				else
					w += 1;
				p += n;
			}
			if (w > 72)
				fail_msg("%s: line too wide: %.*s", langs[i],
					 (int)(e - line), line);
			line = e + 1;
		}
		free(s);
		free(b);
	}
}

static void test_text_variants(void **state)
{
	struct cirt_notify_text_ctx c = tctx;
	struct cirt_notify_count many[40];
	char *s, *b, *f;

	(void)state;
	/* One event, no TLP, no period, no table, IODEF. */
	c.nevents = 1;
	c.ncounts = 0;
	c.tlp = CIRT_TLP_NONE;
	c.from = 0;
	c.format = CIRT_NOTIFY_IODEF;
	text("en", &c, &s, &b);
	assert_string_equal(s, "CERT-XX: 1 security event concerning "
			       "Example Org");
	assert_null(strstr(b, "TLP"));
	assert_null(strstr(b, "Observation period"));
	assert_null(strstr(b, "Total"));
	assert_non_null(strstr(b, "iodef.xml"));
	f = flat(b);
	assert_non_null(strstr(f, "IODEF version 2"));
	free(f);
	free(s);
	free(b);
	text("fr", &c, &s, &b);
	assert_non_null(strstr(s, "1 événement de sécurité"));
	free(s);
	free(b);

	/* Every TLP level has its sentence. */
	c = tctx;
	for (int t = CIRT_TLP_CLEAR; t < CIRT_TLP_COUNT; t++) {
		c.tlp = (enum cirt_tlp)t;
		text("es", &c, &s, &b);
		assert_non_null(strstr(b, cirt_tlp_label(c.tlp)));
		free(s);
		free(b);
	}

	/* A long table ends in one "other" row. */
	for (size_t i = 0; i < 40; i++) {
		many[i].classification = "other:other";
		many[i].count = 1;
	}
	c = tctx;
	c.counts = many;
	c.ncounts = 40;
	c.nevents = 40;
	text("en", &c, &s, &b);
	assert_non_null(strstr(b, "      10  (other classifications)\n"
				  "      40  Total\n"));
	free(s);
	free(b);
}

static void test_text_errors(void **state)
{
	struct cirt_notify_text_ctx c = tctx;
	struct cirt_notify_count bad[] = {{"a\nb", 1}};
	struct cirt_buf s, b;
	struct cirt_diag d;

	(void)state;
	cirt_buf_init(&s, 4096);
	cirt_buf_init(&b, 65536);
	c.team = "CERT\r\nBcc: x@y.org";
	cirt_diag_init(&d);
	assert_int_equal(cirt_notify_text("en", &c, &s, &b, &d), -CIRT_EINVAL);
	assert_string_equal(d.field, "team");
	c = tctx;
	c.reply_to = NULL;
	cirt_diag_init(&d);
	assert_int_equal(cirt_notify_text("en", &c, &s, &b, &d), -CIRT_EINVAL);
	assert_string_equal(d.field, "reply_to");
	c = tctx;
	c.counts = bad;
	c.ncounts = 1;
	cirt_diag_init(&d);
	assert_int_equal(cirt_notify_text("en", &c, &s, &b, &d), -CIRT_EINVAL);
	assert_string_equal(d.field, "counts");
	assert_null(s.data);
	assert_null(b.data);

	/* Ceilings: both buffers keep what they had. */
	cirt_buf_release(&s);
	cirt_buf_init(&s, 20);
	assert_int_equal(cirt_buf_adds(&s, "x"), 0);
	cirt_diag_init(&d);
	assert_int_equal(cirt_notify_text("en", &tctx, &s, &b, &d),
			 -CIRT_ELIMIT);
	assert_string_equal(cirt_buf_str(&s), "x");
	assert_null(b.data);
	cirt_buf_release(&s);
	cirt_buf_init(&s, 4096);
	cirt_buf_release(&b);
	cirt_buf_init(&b, 200);
	cirt_diag_init(&d);
	assert_int_equal(cirt_notify_text("ar", &tctx, &s, &b, &d),
			 -CIRT_ELIMIT);
	assert_null(s.data);
	assert_null(b.data);
	cirt_buf_release(&s);
	cirt_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_digest_errors),
		cmocka_unit_test(test_budgets),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_xarf_map),
		cmocka_unit_test(test_xarf),
		cmocka_unit_test(test_xarf_errors),
		cmocka_unit_test(test_iodef),
		cmocka_unit_test(test_text_languages),
		cmocka_unit_test(test_text_wrap),
		cmocka_unit_test(test_text_variants),
		cmocka_unit_test(test_text_errors),
	};

	cirt_json_setup();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
