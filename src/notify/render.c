/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Rendering a digest of events (CSV, X-ARF v4, IODEF v2) and the text of
 * the e-mail that carries it. See notify/render.h for the digest's shape
 * and the contracts; this file does not build or send mail.
 *
 * Every render is two passes: the whole digest is checked first (types,
 * text rules, addresses, times, TLP names), then written into a private
 * buffer capped at what is left under out's ceiling and appended at the
 * end, so out is either extended by the whole file or left as it was.
 *
 * X-ARF: the core members of xarf-core.json (xarf_version "4.0.0", a
 * random UUIDv4 report_id, timestamp = time.source, else
 * time.observation, else now; reporter = sender = the team from ctx;
 * source_identifier = source.ip, else source.fqdn, else source.url, else
 * source.network, else "AS<n>"; category and type by
 * cirt_notify_xarf_type), source_port when the event has one, a short
 * description, a "malware:<name>" tag, the members the type's schema
 * requires where the event carries them (destination_ip,
 * destination_port, protocol, first_seen for connection types; url for
 * content types; service, service_port, cve_id for vulnerabilities;
 * smtp_from for spam; threat_type; compromise_evidence), and the raw
 * record as evidence (text/plain, base64 on one line, "sha256:<hex>",
 * size) when it decodes to at most CIRT_NOTIFY_EVIDENCE_MAX bytes. Never
 * "_internal".
 *
 * IODEF: per event one Incident, purpose="reporting", restriction from
 * the event's TLP (or ctx's) as the incident export writes it
 * (cirt_iodef_restriction, standards.md 5.4); IncidentID
 * @name = the team's domain, text = the event id; DetectTime =
 * time.source, ReportTime = time.observation, GenerationTime = now; a
 * Description in English; Assessment with the class:type as
 * IncidentCategory and a SystemImpact; the team as creator Contact; and
 * EventData/Flow with a System category="source" (Node: Address ipv4-
 * or ipv6-addr, ipv4- or ipv6-net, DomainData/Name, Address site-uri for
 * the URL, Address asn) and one category="target" for the destination,
 * each with a Service (ip-protocol, IANAService, Port) when known.
 *
 * The texts of the e-mail are in tables below, one per language, with
 * {name} placeholders so that each language orders its sentence freely.
 */
#include "notify/render.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/crypto.h"
#include "core/ip.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/time.h"
#include "core/uuid.h"
#include "incident/taxonomy.h"
#include "iodef/iodef.h"
#include "iodef/iodef_xml.h"
#include "core/banned.h"

/* Bytes of the X-ARF description (its schema allows 1000 characters). */
#define XARF_DESCRIPTION_MAX 1000

/* Depth of an event's "extra" object. */
#define EXTRA_DEPTH 16

#define STR_(x)	    #x
#define STR(x)	    STR_(x)

/* Column of the wrapped text of a body. */
#define TEXT_WIDTH 72

/* ---- formats ---- */

static const struct {
	const char *name, *mime, *file;
} formats[CIRT_NOTIFY_FORMAT_COUNT] = {
	{"csv", "text/csv; charset=utf-8", "events.csv"},
	{"xarf", "application/json", "xarf.json"},
	{"iodef", "application/xml", "iodef.xml"},
};

const char *cirt_notify_format_name(enum cirt_notify_format f)
{
	return (unsigned)f < CIRT_NOTIFY_FORMAT_COUNT ? formats[f].name : NULL;
}

const char *cirt_notify_format_mime(enum cirt_notify_format f)
{
	return (unsigned)f < CIRT_NOTIFY_FORMAT_COUNT ? formats[f].mime : NULL;
}

const char *cirt_notify_format_file(enum cirt_notify_format f)
{
	return (unsigned)f < CIRT_NOTIFY_FORMAT_COUNT ? formats[f].file : NULL;
}

int cirt_notify_format_parse(const char *s, enum cirt_notify_format *out)
{
	for (unsigned i = 0; s != NULL && i < CIRT_NOTIFY_FORMAT_COUNT; i++) {
		if (strcasecmp(s, formats[i].name) == 0) {
			*out = (enum cirt_notify_format)i;
			return 0;
		}
	}
	return -CIRT_EINVAL;
}

/* ---- the digest's fields and their checks ---- */

enum kind {
	K_TEXT,
	K_TIME,
	K_IP,
	K_NET,
	K_PORT,
	K_ASN,
	K_TLP,
	K_OBJ
};

const char *const cirt_notify_csv_columns[] = {
	"time.source",
	"time.observation",
	"source.ip",
	"source.network",
	"source.port",
	"source.asn",
	"source.geolocation.cc",
	"source.fqdn",
	"source.url",
	"destination.ip",
	"destination.port",
	"destination.asn",
	"protocol.transport",
	"protocol.application",
	"classification.taxonomy",
	"classification.type",
	"classification.identifier",
	"malware.name",
	"feed.name",
	"feed.provider",
	"tlp",
	"constituent",
	"extra",
	NULL,
};

/* The kind of each column, in the same order. */
static const enum kind kinds[] = {
	K_TIME, K_TIME, K_IP,	K_NET,	K_PORT, K_ASN,	K_TEXT, K_TEXT,
	K_TEXT, K_IP,	K_PORT, K_ASN,	K_TEXT, K_TEXT, K_TEXT, K_TEXT,
	K_TEXT, K_TEXT, K_TEXT, K_TEXT, K_TLP,	K_TEXT, K_OBJ,
};

#define NCOLUMNS CIRT_ARRAY_LEN(kinds)

_Static_assert(CIRT_ARRAY_LEN(cirt_notify_csv_columns) == NCOLUMNS + 1,
	       "a kind for every column");

/* Why s[0..n) cannot be a one-line value, or NULL if it can. */
static const char *text_fault(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n > CIRT_NOTIFY_FIELD_MAX)
		return "is longer than " STR(CIRT_NOTIFY_FIELD_MAX) " bytes";
	if (strlen(s) != n)
		return "contains a NUL character";
	if (!cirt_utf8_valid(s, n, NULL))
		return "is not valid UTF-8";
	for (size_t i = 0; i < n; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			return "contains a control character";
		if (u[i] == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 &&
		    u[i + 1] <= 0x9f)
			return "contains a control character";
		if (u[i] == 0xef && i + 2 < n && u[i + 1] == 0xbf &&
		    u[i + 2] >= 0xbe)
			return "contains U+FFFE or U+FFFF";
	}
	return NULL;
}

/* "events[3].source.ip" into f. */
static const char *fname(char f[CIRT_DIAG_FIELD_MAX], size_t i, const char *key)
{
	snprintf(f, CIRT_DIAG_FIELD_MAX, "events[%zu]%s%s", i,
		 key != NULL ? "." : "", key != NULL ? key : "");
	return f;
}

static int check_string(const json_t *v, enum kind k, const char *f,
			struct cirt_diag *d)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	const char *why = text_fault(s, n);
	struct cirt_ip ip;
	enum cirt_tlp tlp;

	if (why != NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, f, "%s %s", f, why);
	switch (k) {
	case K_TIME:
		if (cirt_time_parse(s, n, NULL, &why) < 0)
			return cirt_diag_set(d, -CIRT_EINVAL, f, "%s %s", f,
					     why);
		return 0;
	case K_IP:
	case K_NET:
		return cirt_ip_parse(s, n, k == K_NET, false, &ip, f, d);
	case K_TLP:
		if (cirt_tlp_parse(s, &tlp) < 0 || tlp == CIRT_TLP_NONE)
			return cirt_diag_set(d, -CIRT_EINVAL, f,
					     "%s must be clear, green, amber, "
					     "amber+strict or red",
					     f);
		return 0;
	default:
		return 0;
	}
}

static int check_value(json_t *v, enum kind k, const char *f,
		       struct cirt_diag *d)
{
	int64_t n;

	switch (k) {
	case K_PORT:
	case K_ASN:
		n = json_is_integer(v) ? json_integer_value(v) : -1;
		if (n < 0 || n > (k == K_PORT ? 65535 : INT64_C(4294967295)))
			return cirt_diag_set(
				d, -CIRT_EINVAL, f,
				"%s must be an integer from 0 "
				"to %s",
				f, k == K_PORT ? "65535" : "4294967295");
		return 0;
	case K_OBJ:
		if (!json_is_object(v))
			return cirt_diag_set(d, -CIRT_EINVAL, f,
					     "%s must be an object", f);
		return cirt_json_check_depth(v, EXTRA_DEPTH, d);
	default:
		if (!json_is_string(v))
			return cirt_diag_set(d, -CIRT_EINVAL, f,
					     "%s must be a string", f);
		return check_string(v, k, f, d);
	}
}

static int check_event(const json_t *ev, size_t i, struct cirt_diag *d)
{
	char f[CIRT_DIAG_FIELD_MAX];
	json_t *v;
	int rc = 0;

	if (!json_is_object(ev))
		return cirt_diag_set(d, -CIRT_EINVAL, fname(f, i, NULL),
				     "%s is not an object", f);
	if (!json_is_integer(json_object_get(ev, "id")))
		return cirt_diag_set(d, -CIRT_EINVAL, fname(f, i, "id"),
				     "%s must be an integer", f);
	for (size_t k = 0; rc == 0 && k < NCOLUMNS; k++) {
		v = json_object_get(ev, cirt_notify_csv_columns[k]);
		if (v != NULL && !json_is_null(v))
			rc = check_value(
				v, kinds[k],
				fname(f, i, cirt_notify_csv_columns[k]), d);
	}
	v = json_object_get(ev, "raw");
	if (rc == 0 && v != NULL && !json_is_null(v) && !json_is_string(v))
		rc = cirt_diag_set(d, -CIRT_EINVAL, fname(f, i, "raw"),
				   "%s must be a base64 string", f);
	return rc;
}

static int check_digest(const json_t *events, struct cirt_diag *d)
{
	size_t n;
	int rc = 0;

	if (!json_is_array(events))
		return cirt_diag_set(d, -CIRT_EINVAL, "events",
				     "events must be a JSON array");
	n = json_array_size(events);
	if (n > CIRT_NOTIFY_MAX_EVENTS)
		return cirt_diag_set(d, -CIRT_ELIMIT, "events",
				     "a digest of %zu events is more than %d",
				     n, CIRT_NOTIFY_MAX_EVENTS);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = check_event(json_array_get(events, i), i, d);
	return rc;
}

/* Getters for checked events: NULL, or -1 for a number, when absent. */
static const char *get_s(const json_t *ev, const char *key)
{
	return json_string_value(json_object_get(ev, key));
}

static int64_t get_i(const json_t *ev, const char *key)
{
	const json_t *v = json_object_get(ev, key);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

static int64_t get_time(const json_t *ev, const char *key)
{
	const char *s = get_s(ev, key);
	struct cirt_timestamp t;

	if (s == NULL || cirt_time_parse(s, strlen(s), &t, NULL) < 0)
		return 0;
	return t.us;
}

static bool get_v4(const json_t *ev, const char *key)
{
	const char *s = get_s(ev, key);
	struct cirt_ip ip;

	return s != NULL &&
	       cirt_ip_parse(s, strlen(s), true, false, &ip, key, NULL) == 0 &&
	       cirt_ip_is_v4(&ip);
}

static enum cirt_tlp event_tlp(const json_t *ev,
			       const struct cirt_notify_ctx *ctx)
{
	const char *s = get_s(ev, "tlp");
	enum cirt_tlp t;

	if (s != NULL && cirt_tlp_parse(s, &t) == 0)
		return t;
	return ctx->tlp;
}

static int64_t now_of(const struct cirt_notify_ctx *ctx)
{
	return ctx->now != 0 ? ctx->now : cirt_time_now_us();
}

/* ---- CSV ---- */

static int csv_cell(struct cirt_buf *b, const char *s, size_t n, bool text)
{
	bool quote = false;
	const char *q;
	int rc = 0;

	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' ||
			s[i] == '\n';
	if (quote)
		rc = cirt_buf_add(b, "\"", 1);
	if (rc == 0 && text && n > 0 && s[0] != '\0' &&
	    strchr("=+-@\t\r", s[0]) != NULL)
		rc = cirt_buf_add(b, "'", 1);
	while (rc == 0 && n > 0) {
		q = quote ? memchr(s, '"', n) : NULL;
		if (q == NULL) {
			rc = cirt_buf_add(b, s, n);
			break;
		}
		rc = cirt_buf_add(b, s, (size_t)(q - s) + 1);
		if (rc == 0)
			rc = cirt_buf_add(b, "\"", 1);
		n -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	if (rc == 0 && quote)
		rc = cirt_buf_add(b, "\"", 1);
	return rc;
}

static int csv_value(struct cirt_buf *b, const json_t *v)
{
	char *dump;
	size_t n;
	int rc;

	if (json_is_string(v))
		return csv_cell(b, json_string_value(v), json_string_length(v),
				true);
	if (json_is_integer(v))
		return cirt_buf_addf(b, "%" PRId64,
				     (int64_t)json_integer_value(v));
	if (!json_is_object(v))
		return 0;
	dump = cirt_json_dump(v, &n);
	rc = csv_cell(b, dump, n, true);
	free(dump);
	return rc;
}

static int render_csv(const json_t *events, struct cirt_buf *b)
{
	size_t i;
	const json_t *ev;
	int rc = 0;

	for (size_t k = 0; rc == 0 && k < NCOLUMNS; k++)
		rc = cirt_buf_addf(b, "%s%s", k > 0 ? "," : "",
				   cirt_notify_csv_columns[k]);
	if (rc == 0)
		rc = cirt_buf_add(b, "\r\n", 2);
	json_array_foreach (events, i, ev) {
		for (size_t k = 0; rc == 0 && k < NCOLUMNS; k++) {
			if (k > 0)
				rc = cirt_buf_add(b, ",", 1);
			if (rc == 0)
				rc = csv_value(
					b, json_object_get(
						   ev,
						   cirt_notify_csv_columns[k]));
		}
		if (rc == 0)
			rc = cirt_buf_add(b, "\r\n", 2);
		if (rc < 0)
			break;
	}
	return rc;
}

/* ---- X-ARF ---- */

static const struct {
	const char *cls, *type; /* type NULL: any of the class */
	const char *category, *xtype;
} xarf_map[] = {
	{"abusive-content", "spam", "messaging", "spam"},
	{"malicious-code", "infected-system", "connection", "infected_host"},
	{"malicious-code", "c2-server", "infrastructure", "botnet"},
	{"malicious-code", "malware-distribution", "content", "malware"},
	{"fraud", "phishing", "content", "phishing"},
	{"intrusion-attempts", "brute-force", "connection", "login_attack"},
	{"information-gathering", "scanner", "connection", "port_scan"},
	{"availability", "ddos", "connection", "ddos"},
	{"availability", "dos", "connection", "ddos"},
	{"vulnerable", "vulnerable-system", "vulnerability",
	 "misconfiguration"},
	{"vulnerable", "weak-crypto", "vulnerability", "misconfiguration"},
	{"vulnerable", "information-disclosure", "vulnerability",
	 "misconfiguration"},
	{"vulnerable", NULL, "vulnerability", "open_service"},
};

/* "CVE-YYYY-N..." in either case. */
static bool is_cve(const char *s)
{
	size_t i;

	if (s == NULL || strncasecmp(s, "cve-", 4) != 0)
		return false;
	for (i = 4; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (s[8] != '-' || s[9] == '\0')
		return false;
	for (i = 9; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

void cirt_notify_xarf_type(const char *cls, const char *type,
			   const char *identifier, const char **category,
			   const char **xtype)
{
	const struct cirt_taxonomy_type *t;
	char s[CIRT_TAXONOMY_CLASS_MAX + CIRT_TAXONOMY_TYPE_MAX + 2];

	*category = "reputation";
	*xtype = "threat_intelligence";
	if (cls == NULL)
		return;
	if (type != NULL) {
		snprintf(s, sizeof(s), "%s:%s", cls, type);
		t = cirt_taxonomy_find(s);
		if (t != NULL && t->rsit_type != NULL)
			type = t->rsit_type;
	}
	if (strcmp(cls, "vulnerable") == 0 && type != NULL &&
	    strcmp(type, "vulnerable-system") == 0 && is_cve(identifier)) {
		*category = "vulnerability";
		*xtype = "cve";
		return;
	}
	for (size_t i = 0; i < CIRT_ARRAY_LEN(xarf_map); i++) {
		if (strcmp(xarf_map[i].cls, cls) != 0)
			continue;
		if (xarf_map[i].type != NULL &&
		    (type == NULL || strcmp(xarf_map[i].type, type) != 0))
			continue;
		*category = xarf_map[i].category;
		*xtype = xarf_map[i].xtype;
		return;
	}
}

static void put_s(json_t *o, const char *key, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, key, json_string(v));
}

static void put_i(json_t *o, const char *key, int64_t v)
{
	json_object_set_new(o, key, json_integer(v));
}

static json_t *contact_info(const struct cirt_notify_ctx *ctx)
{
	json_t *o = json_object();

	put_s(o, "org", ctx->team_org);
	put_s(o, "contact", ctx->team_email);
	put_s(o, "domain", ctx->team_domain);
	return o;
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Strict RFC 4648 base64 (padded, no white space) into out, which has
 * room for n / 4 * 3 bytes. False if s is not. */
static bool b64_decode(const char *s, size_t n, unsigned char *out, size_t *len)
{
	size_t o = 0;

	if (n % 4 != 0)
		return false;
	for (size_t i = 0; i < n; i += 4) {
		uint32_t w = 0;
		size_t pad = 0;

		for (size_t j = 0; j < 4; j++) {
			unsigned char c = (unsigned char)s[i + j];
			int v = 0;

			if (c == '=' && i + 4 == n && j >= 2)
				pad++;
			else if (pad > 0 || (v = b64_value(c)) < 0)
				return false;
			w = w << 6 | (uint32_t)v;
		}
		out[o++] = (unsigned char)(w >> 16);
		if (pad < 2)
			out[o++] = (unsigned char)(w >> 8);
		if (pad < 1)
			out[o++] = (unsigned char)w;
	}
	*len = o;
	return true;
}

/* The evidence item for the raw record, into o's "evidence"; nothing
 * when there is no record or it is too large. */
static int xarf_evidence(json_t *o, const json_t *ev, size_t i,
			 struct cirt_diag *d)
{
	const json_t *v = json_object_get(ev, "raw");
	const char *s = json_string_value(v);
	size_t n = json_string_length(v), len = 0;
	char hex[CIRT_SHA256_HEX_LEN], hash[8 + CIRT_SHA256_HEX_LEN];
	char f[CIRT_DIAG_FIELD_MAX];
	unsigned char *raw;
	json_t *item;

	if (s == NULL || n == 0 || n / 4 * 3 > CIRT_NOTIFY_EVIDENCE_MAX + 2)
		return 0;
	raw = cirt_xmalloc(n / 4 * 3 + 1);
	if (strlen(s) != n || !b64_decode(s, n, raw, &len)) {
		free(raw);
		return cirt_diag_set(d, -CIRT_EINVAL, fname(f, i, "raw"),
				     "%s is not base64 (RFC 4648, padded, "
				     "on one line)",
				     f);
	}
	if (len > CIRT_NOTIFY_EVIDENCE_MAX) {
		free(raw);
		return 0;
	}
	cirt_sha256_hex(raw, len, hex);
	free(raw);
	snprintf(hash, sizeof(hash), "sha256:%s", hex);
	item = json_object();
	put_s(item, "content_type", "text/plain");
	put_s(item, "description", "The record as received from the feed");
	put_s(item, "payload", s);
	put_s(item, "hash", hash);
	put_i(item, "size", (int64_t)len);
	json_object_set_new(o, "evidence", json_pack("[o]", item));
	return 0;
}

/* "malware:<name>" when the name fits the tag pattern. */
static void xarf_tags(json_t *o, const char *malware)
{
	char tag[CIRT_NOTIFY_FIELD_MAX + 16];

	if (malware == NULL || malware[0] == '\0' ||
	    !((malware[0] >= 'a' && malware[0] <= 'z') ||
	      (malware[0] >= '0' && malware[0] <= '9')))
		return;
	for (const char *p = malware; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '+' || *p == '-'))
			return;
	snprintf(tag, sizeof(tag), "malware:%s", malware);
	json_object_set_new(o, "tags", json_pack("[s]", tag));
}

/* Append "sep label value" to b when value is there. */
static void describe(struct cirt_buf *b, const char *label, const char *v)
{
	if (v == NULL || v[0] == '\0')
		return;
	if (cirt_buf_addf(b, "%s%s%s", b->len > 0 ? "; " : "", label, v) < 0)
		cirt_buf_release(b);
}

/* A one-line English summary of the event, cut at max bytes. */
static char *description(const json_t *ev, size_t max)
{
	const char *cls = get_s(ev, "classification.taxonomy");
	const char *type = get_s(ev, "classification.type");
	const struct cirt_taxonomy_type *t;
	struct cirt_buf b;
	char ct[CIRT_NOTIFY_FIELD_MAX * 2 + 2];
	size_t len;
	char *s;

	cirt_buf_init(&b, 8 * CIRT_NOTIFY_FIELD_MAX);
	if (cls != NULL || type != NULL) {
		snprintf(ct, sizeof(ct), "%s:%s", cls != NULL ? cls : "",
			 type != NULL ? type : "");
		t = cirt_taxonomy_find(ct);
		describe(&b, "", t != NULL ? t->label : NULL);
		if (cirt_buf_addf(&b, "%s%s%s", b.len > 0 ? " (" : "", ct,
				  b.len > 0 ? ")" : "") < 0)
			cirt_buf_release(&b);
	}
	describe(&b, "malware ", get_s(ev, "malware.name"));
	describe(&b, "identifier ", get_s(ev, "classification.identifier"));
	describe(&b, "reported by ", get_s(ev, "feed.provider"));
	describe(&b, "feed ", get_s(ev, "feed.name"));
	s = cirt_buf_detach(&b, &len);
	if (len > max) {
		/* Cut before a UTF-8 continuation byte never. */
		len = max - 3;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		memcpy(s + len, "...", 4);
	}
	return s;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; s != NULL && *list != NULL; list++)
		if (strcasecmp(s, *list) == 0)
			return true;
	return false;
}

static void xarf_connection(json_t *o, const json_t *ev, const char *xtype,
			    int64_t first_seen)
{
	static const char *const tcp_udp[] = {"tcp", "udp", NULL};
	static const char *const ip_protos[] = {"tcp", "udp", "icmp", "sctp",
						NULL};
	const char *proto = get_s(ev, "protocol.transport");
	bool infected = strcmp(xtype, "infected_host") == 0;
	char t[CIRT_TIME_LEN];
	char lower[8];
	int64_t port = get_i(ev, "destination.port");

	put_s(o, "destination_ip", get_s(ev, "destination.ip"));
	if (port > 0)
		put_i(o, "destination_port", port);
	if (in_list(proto, infected ? tcp_udp : ip_protos)) {
		size_t k;

		for (k = 0; proto[k] != '\0' && k + 1 < sizeof(lower); k++)
			lower[k] = (char)(proto[k] | 0x20);
		lower[k] = '\0';
		put_s(o, "protocol", lower);
	} else if (strcmp(xtype, "login_attack") == 0) {
		/* Required by the type: the services that take logins
		 * (ssh, imap, smtp, rdp, ...) are TCP. */
		put_s(o, "protocol", "tcp");
	}
	if (infected)
		put_s(o, "bot_type", "malicious");
	if (first_seen != 0) {
		cirt_time_format_exact(first_seen, t);
		put_s(o, "first_seen", t);
	}
}

static void xarf_vulnerability(json_t *o, const json_t *ev, const char *xtype)
{
	const char *app = get_s(ev, "protocol.application");
	const char *id = get_s(ev, "classification.identifier");
	char cve[CIRT_NOTIFY_FIELD_MAX + 1];
	int64_t port = get_i(ev, "source.port");

	if (strcmp(xtype, "cve") != 0) {
		put_s(o, "service", app != NULL ? app : id);
		return;
	}
	if (app != NULL && strlen(app) <= 200)
		put_s(o, "service", app);
	if (port > 0)
		put_i(o, "service_port", port);
	snprintf(cve, sizeof(cve), "%s", id);
	memcpy(cve, "CVE", 3);
	put_s(o, "cve_id", cve);
}

/* The members that the type's schema requires, where the event has
 * them. */
static void xarf_type_members(json_t *o, const json_t *ev, const char *category,
			      const char *xtype)
{
	const char *type = get_s(ev, "classification.type");
	const char *id = get_s(ev, "classification.identifier");
	const char *app = get_s(ev, "protocol.application");
	const json_t *from;

	if (strcmp(category, "connection") == 0) {
		xarf_connection(o, ev, xtype,
				get_time(ev, "time.source")
					? get_time(ev, "time.source")
					: get_time(ev, "time.observation"));
	} else if (strcmp(category, "content") == 0) {
		put_s(o, "url", get_s(ev, "source.url"));
	} else if (strcmp(category, "vulnerability") == 0) {
		xarf_vulnerability(o, ev, xtype);
	} else if (strcmp(xtype, "spam") == 0) {
		if (app == NULL || strcasecmp(app, "smtp") != 0)
			return;
		put_s(o, "protocol", "smtp");
		from = json_object_get(json_object_get(ev, "extra"),
				       "smtp_from");
		put_s(o, "smtp_from", json_string_value(from));
	} else if (strcmp(xtype, "botnet") == 0) {
		put_s(o, "compromise_evidence",
		      "Reported as a botnet command-and-control server");
	} else if (strcmp(xtype, "threat_intelligence") == 0) {
		put_s(o, "threat_type", type != NULL ? type : id);
	}
}

static int xarf_source(json_t *o, const json_t *ev, size_t i,
		       struct cirt_diag *d)
{
	static const char *const keys[] = {"source.ip", "source.fqdn",
					   "source.url", "source.network"};
	char f[CIRT_DIAG_FIELD_MAX], as[32];
	int64_t asn = get_i(ev, "source.asn");

	for (size_t k = 0; k < CIRT_ARRAY_LEN(keys); k++) {
		if (get_s(ev, keys[k]) != NULL) {
			put_s(o, "source_identifier", get_s(ev, keys[k]));
			return 0;
		}
	}
	if (asn > 0) {
		snprintf(as, sizeof(as), "AS%" PRId64, asn);
		put_s(o, "source_identifier", as);
		return 0;
	}
	return cirt_diag_set(d, -CIRT_EINVAL, fname(f, i, NULL),
			     "%s has no source to report (source.ip, "
			     "source.fqdn, source.url, source.network or "
			     "source.asn)",
			     f);
}

static int xarf_report(const json_t *ev, size_t i,
		       const struct cirt_notify_ctx *ctx, json_t **out,
		       struct cirt_diag *d)
{
	const char *category, *xtype;
	char id[CIRT_UUID_LEN + 1], t[CIRT_TIME_LEN];
	int64_t when = get_time(ev, "time.source"), port;
	json_t *o = json_object();
	char *desc;
	int rc;

	if (when == 0)
		when = get_time(ev, "time.observation");
	if (when == 0)
		when = now_of(ctx);
	cirt_notify_xarf_type(get_s(ev, "classification.taxonomy"),
			      get_s(ev, "classification.type"),
			      get_s(ev, "classification.identifier"), &category,
			      &xtype);
	cirt_uuid4(id);
	cirt_time_format_exact(when, t);
	put_s(o, "xarf_version", "4.0.0");
	put_s(o, "report_id", id);
	put_s(o, "timestamp", t);
	json_object_set_new(o, "reporter", contact_info(ctx));
	json_object_set_new(o, "sender", contact_info(ctx));
	rc = xarf_source(o, ev, i, d);
	port = get_i(ev, "source.port");
	if (port > 0)
		put_i(o, "source_port", port);
	put_s(o, "category", category);
	put_s(o, "type", xtype);
	xarf_type_members(o, ev, category, xtype);
	desc = description(ev, XARF_DESCRIPTION_MAX);
	if (desc[0] != '\0')
		put_s(o, "description", desc);
	free(desc);
	xarf_tags(o, get_s(ev, "malware.name"));
	if (rc == 0)
		rc = xarf_evidence(o, ev, i, d);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

static int need_team(const struct cirt_notify_ctx *ctx, struct cirt_diag *d)
{
	const char *v[] = {ctx->team_org, ctx->team_email, ctx->team_domain};
	static const char *const names[] = {"team_org", "team_email",
					    "team_domain"};

	for (size_t k = 0; k < CIRT_ARRAY_LEN(v); k++) {
		int rc;

		if (v[k] == NULL || v[k][0] == '\0')
			return cirt_diag_set(d, -CIRT_EINVAL, names[k],
					     "%s is required for X-ARF and "
					     "IODEF",
					     names[k]);
		rc = cirt_text_check_line(v[k], strlen(v[k]), 1, 200, names[k],
					  d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int render_xarf(const json_t *events, const struct cirt_notify_ctx *ctx,
		       struct cirt_buf *b, struct cirt_diag *d)
{
	size_t i, n;
	const json_t *ev;
	json_t *report = NULL;
	char *s;
	int rc = cirt_buf_add(b, "[", 1);

	json_array_foreach (events, i, ev) {
		if (rc == 0)
			rc = xarf_report(ev, i, ctx, &report, d);
		if (rc < 0)
			return rc;
		s = cirt_json_dump(report, &n);
		json_decref(report);
		rc = cirt_buf_add(b, i > 0 ? ",\n" : "\n", i > 0 ? 2 : 1);
		if (rc == 0)
			rc = cirt_buf_add(b, s, n);
		free(s);
	}
	if (rc == 0)
		rc = cirt_buf_adds(b, json_array_size(events) > 0 ? "\n]\n"
								  : "]\n");
	return rc;
}

/* ---- IODEF ---- */

static void address(struct cirt_iodef_xw *w, const char *category,
		    const char *v)
{
	cirt_iodef_xw_start(w, "Address");
	cirt_iodef_xw_attr(w, "category", category);
	cirt_iodef_xw_text(w, v);
	cirt_iodef_xw_end(w);
}

/* IANA protocol numbers of the transports feeds name. */
static const char *ip_protocol(const char *transport)
{
	static const struct {
		const char *name, *number;
	} protos[] = {{"icmp", "1"},	   {"tcp", "6"},     {"udp", "17"},
		      {"ipv6-icmp", "58"}, {"icmpv6", "58"}, {"sctp", "132"}};

	for (size_t i = 0; transport != NULL && i < CIRT_ARRAY_LEN(protos); i++)
		if (strcasecmp(transport, protos[i].name) == 0)
			return protos[i].number;
	return NULL;
}

static void service(struct cirt_iodef_xw *w, int64_t port, const char *proto,
		    const char *app)
{
	char n[24];

	if (port < 0 && proto == NULL && app == NULL)
		return;
	cirt_iodef_xw_start(w, "Service");
	if (proto != NULL)
		cirt_iodef_xw_attr(w, "ip-protocol", proto);
	if (app != NULL) {
		cirt_iodef_xw_start(w, "ServiceName");
		cirt_iodef_xw_element(w, "IANAService", app);
		cirt_iodef_xw_end(w);
	}
	if (port >= 0) {
		snprintf(n, sizeof(n), "%" PRId64, port);
		cirt_iodef_xw_element(w, "Port", n);
	}
	cirt_iodef_xw_end(w);
}

/* One System of a Flow for the source or destination side ("source" or
 * "destination" as prefix of the keys); false if the event has none. */
static bool has_side(const json_t *ev, bool src)
{
	if (src)
		return get_s(ev, "source.ip") != NULL ||
		       get_s(ev, "source.network") != NULL ||
		       get_s(ev, "source.fqdn") != NULL ||
		       get_s(ev, "source.url") != NULL ||
		       get_i(ev, "source.asn") > 0;
	return get_s(ev, "destination.ip") != NULL ||
	       get_i(ev, "destination.asn") > 0;
}

static void write_system(struct cirt_iodef_xw *w, const json_t *ev, bool src)
{
	const char *ip = get_s(ev, src ? "source.ip" : "destination.ip");
	const char *proto = ip_protocol(get_s(ev, "protocol.transport"));
	const char *app = get_s(ev, "protocol.application");
	int64_t asn = get_i(ev, src ? "source.asn" : "destination.asn");
	bool dst_port =
		get_i(ev, "destination.port") >= 0 && has_side(ev, false);
	bool app_here = src ? !dst_port : dst_port;
	char n[24];

	cirt_iodef_xw_start(w, "System");
	cirt_iodef_xw_attr(w, "category", src ? "source" : "target");
	cirt_iodef_xw_start(w, "Node");
	if (ip != NULL)
		address(w,
			get_v4(ev, src ? "source.ip" : "destination.ip")
				? "ipv4-addr"
				: "ipv6-addr",
			ip);
	if (src && get_s(ev, "source.network") != NULL)
		address(w,
			get_v4(ev, "source.network") ? "ipv4-net" : "ipv6-net",
			get_s(ev, "source.network"));
	if (src && get_s(ev, "source.fqdn") != NULL) {
		cirt_iodef_xw_start(w, "DomainData");
		cirt_iodef_xw_element(w, "Name", get_s(ev, "source.fqdn"));
		cirt_iodef_xw_end(w);
	}
	if (src && get_s(ev, "source.url") != NULL)
		address(w, "site-uri", get_s(ev, "source.url"));
	if (asn > 0) {
		snprintf(n, sizeof(n), "%" PRId64, asn);
		address(w, "asn", n);
	}
	cirt_iodef_xw_end(w); /* Node */
	/* The application is the service attacked when there is a target
	 * port (a scan, a login attempt), else the source's own (an open
	 * or vulnerable service). */
	service(w, get_i(ev, src ? "source.port" : "destination.port"), proto,
		app_here ? app : NULL);
	cirt_iodef_xw_end(w); /* System */
}

static void write_event_data(struct cirt_iodef_xw *w, const json_t *ev)
{
	bool src = has_side(ev, true), dst = has_side(ev, false);

	if (!src && !dst)
		return;
	cirt_iodef_xw_start(w, "EventData");
	cirt_iodef_xw_start(w, "Flow");
	if (src)
		write_system(w, ev, true);
	if (dst)
		write_system(w, ev, false);
	cirt_iodef_xw_end(w);
	cirt_iodef_xw_end(w);
}

/* SystemImpact @type for an RSIT class (and type). */
static const char *impact_of(const char *cls, const char *type)
{
	if (cls == NULL)
		return "unknown";
	if (strcmp(cls, "availability") == 0)
		return "availability-service";
	if (strcmp(cls, "intrusions") == 0 ||
	    (strcmp(cls, "malicious-code") == 0 && type != NULL &&
	     (strcmp(type, "infected-system") == 0 ||
	      strcmp(type, "ransomware") == 0)))
		return "takeover-system";
	if (strcmp(cls, "information-content-security") == 0 && type != NULL &&
	    strcmp(type, "data-leak") == 0)
		return "breach-privacy";
	return "unknown";
}

static void write_assessment(struct cirt_iodef_xw *w, const json_t *ev)
{
	const char *cls = get_s(ev, "classification.taxonomy");
	const char *type = get_s(ev, "classification.type");
	char ct[2 * CIRT_NOTIFY_FIELD_MAX + 2];

	cirt_iodef_xw_start(w, "Assessment");
	if (cls != NULL) {
		snprintf(ct, sizeof(ct), "%s%s%s", cls, type != NULL ? ":" : "",
			 type != NULL ? type : "");
		cirt_iodef_xw_element(w, "IncidentCategory", ct);
	}
	cirt_iodef_xw_start(w, "SystemImpact");
	cirt_iodef_xw_attr(w, "type", impact_of(cls, type));
	cirt_iodef_xw_end(w);
	cirt_iodef_xw_end(w);
}

/* The one TLP-to-restriction mapping, the incident export's. */
static void write_restriction(struct cirt_iodef_xw *w, enum cirt_tlp t)
{
	const char *ext = NULL;
	const char *r;

	if ((unsigned)t >= CIRT_TLP_COUNT)
		return;
	r = cirt_iodef_restriction(t, &ext);
	cirt_iodef_xw_attr(w, "restriction", r);
	if (ext)
		cirt_iodef_xw_attr(w, "ext-restriction", ext);
}

static void write_incident(struct cirt_iodef_xw *w, const json_t *ev,
			   const struct cirt_notify_ctx *ctx, const char *lang,
			   int64_t now)
{
	char id[24];
	char *desc;

	cirt_iodef_xw_start(w, "Incident");
	cirt_iodef_xw_attr(w, "purpose", "reporting");
	write_restriction(w, event_tlp(ev, ctx));
	cirt_iodef_xw_start(w, "IncidentID");
	cirt_iodef_xw_attr(w, "name", ctx->team_domain);
	snprintf(id, sizeof(id), "%" PRId64, get_i(ev, "id"));
	cirt_iodef_xw_text(w, id);
	cirt_iodef_xw_end(w);
	cirt_iodef_xw_time(w, "DetectTime", get_time(ev, "time.source"));
	cirt_iodef_xw_time(w, "ReportTime", get_time(ev, "time.observation"));
	cirt_iodef_xw_time(w, "GenerationTime", now);
	desc = description(ev, CIRT_NOTIFY_FIELD_MAX);
	if (desc[0] != '\0') {
		cirt_iodef_xw_start(w, "Description");
		if (strcmp(lang, "en") != 0)
			cirt_iodef_xw_attr(w, "xml:lang", "en");
		cirt_iodef_xw_text(w, desc);
		cirt_iodef_xw_end(w);
	}
	free(desc);
	write_assessment(w, ev);
	cirt_iodef_xw_start(w, "Contact");
	cirt_iodef_xw_attr(w, "role", "creator");
	cirt_iodef_xw_attr(w, "type", "organization");
	cirt_iodef_xw_element(w, "ContactName", ctx->team_org);
	cirt_iodef_xw_start(w, "Email");
	cirt_iodef_xw_element(w, "EmailTo", ctx->team_email);
	cirt_iodef_xw_end(w);
	cirt_iodef_xw_end(w); /* Contact */
	write_event_data(w, ev);
	cirt_iodef_xw_end(w); /* Incident */
}

static int render_iodef(const json_t *events, const struct cirt_notify_ctx *ctx,
			struct cirt_buf *b, struct cirt_diag *d)
{
	const char *lang =
		ctx->lang != NULL && ctx->lang[0] != '\0' ? ctx->lang : "en";
	struct cirt_iodef_xw w;
	int64_t now = now_of(ctx);
	const json_t *ev;
	size_t i;
	int rc;

	if (!cirt_iodef_lang_valid(lang))
		return cirt_diag_set(d, -CIRT_EINVAL, "lang",
				     "lang is not a language tag");
	if (json_array_size(events) == 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "events",
				     "an IODEF document needs an event");
	rc = cirt_iodef_xw_begin(&w, lang, b->max - b->len, d);
	if (rc < 0)
		return rc;
	json_array_foreach (events, i, ev) {
		if (w.failed || w.full)
			break;
		write_incident(&w, ev, ctx, lang, now);
	}
	return cirt_iodef_xw_finish(&w, b, d);
}

int cirt_notify_render(enum cirt_notify_format format, const json_t *events,
		       const struct cirt_notify_ctx *ctx, struct cirt_buf *out,
		       const char **mime, const char **file,
		       struct cirt_diag *d)
{
	struct cirt_buf b;
	int rc;

	if ((unsigned)format >= CIRT_NOTIFY_FORMAT_COUNT)
		return cirt_diag_set(d, -CIRT_EINVAL, "format",
				     "unknown digest format");
	if (ctx->tlp < CIRT_TLP_NONE || ctx->tlp >= CIRT_TLP_COUNT)
		return cirt_diag_set(d, -CIRT_EINVAL, "tlp",
				     "tlp is not a TLP level");
	rc = check_digest(events, d);
	if (rc == 0 && format != CIRT_NOTIFY_CSV)
		rc = need_team(ctx, d);
	if (rc < 0)
		return rc;
	cirt_buf_init(&b, out->max > out->len ? out->max - out->len : 0);
	if (format == CIRT_NOTIFY_CSV)
		rc = render_csv(events, &b);
	else if (format == CIRT_NOTIFY_XARF)
		rc = render_xarf(events, ctx, &b, d);
	else
		rc = render_iodef(events, ctx, &b, d);
	if (rc == -CIRT_ELIMIT)
		rc = cirt_diag_set(d, rc, "events",
				   "the %s file is larger than the %zu bytes "
				   "allowed",
				   formats[format].name, b.max);
	if (rc == 0 && b.len > 0)
		rc = cirt_buf_add(out, b.data, b.len);
	cirt_buf_release(&b);
	if (rc < 0)
		return rc;
	if (mime != NULL)
		*mime = formats[format].mime;
	if (file != NULL)
		*file = formats[format].file;
	return 0;
}

/* ---- the e-mail's text ---- */

/* Plural rules: ONE for n == 1 (en, es), ONE for n <= 1 (fr); the other
 * languages use wording that needs no plural (a count after a colon). */
enum plural {
	P_ONE_IS_1,
	P_ONE_LE_1,
	P_NONE
};

struct lang {
	const char *code;
	enum plural plural;
	const char *sep;	/* between sentences */
	const char *subject[2]; /* one, other */
	const char *greeting;
	const char *intro[2]; /* one, other */
	const char *period;
	const char *summary;
	const char *col_events, *col_class, *total, *other, *unclassified;
	const char *attach;
	const char *formats[CIRT_NOTIFY_FORMAT_COUNT];
	const char *action;
	const char *tlp_intro;
	const char *tlp_rules[CIRT_TLP_COUNT];
	const char *contact;
	const char *automatic;
	const char *closing;
};

/* U+00A0, before the French ':' and inside guillemets. */
#define NBSP "\xc2\xa0"

static const struct lang langs[] = {
	{
		"en",
		P_ONE_IS_1,
		" ",
		{"{team}: 1 security event concerning {org}",
		 "{team}: {n} security events concerning {org}"},
		"Dear colleagues,",
		{"{team} has received a report of 1 security event involving "
		 "systems, networks or domains that, according to our "
		 "records, belong to {org}.",
		 "{team} has received reports of {n} security events "
		 "involving systems, networks or domains that, according to "
		 "our records, belong to {org}."},
		"Observation period: {from} to {to} (UTC).",
		"Summary by classification:",
		"Events",
		"Classification (RSIT)",
		"Total",
		"(other classifications)",
		"(unclassified)",
		"The details of each event are in the attached file {file} "
		"({format}).",
		{"CSV, one event per line",
		 "X-ARF version 4, a JSON array with one report per event",
		 "IODEF version 2 (RFC 7970), XML with one incident per "
		 "event"},
		"Please investigate these events and take appropriate action, "
		"for example by cleaning compromised systems or by restricting "
		"services that should not be reachable from the Internet. If "
		"the affected systems are operated by your customers, please "
		"pass the relevant details on to them.",
		"This message and its attachment are marked {tlp}.",
		{"There is no restriction on sharing this information.",
		 "You may share this information with peers and partner "
		 "organisations within your community, but not through "
		 "publicly accessible channels.",
		 "You may share this information only within your "
		 "organisation and with its clients, and only with those who "
		 "need it to take action.",
		 "You may share this information only within your "
		 "organisation, and only with those who need it to take "
		 "action.",
		 "This information is for the named recipients only and must "
		 "not be shared any further."},
		"If you have questions, believe that this information is "
		"incorrect, or are not responsible for these resources, please "
		"contact us at {reply}.",
		"This message was generated automatically.",
		"Kind regards,",
	},
	{
		"fr",
		P_ONE_LE_1,
		" ",
		{"{team}" NBSP ": 1 événement de sécurité concernant {org}",
		 "{team}" NBSP ": {n} événements de sécurité concernant {org}"},
		"Madame, Monsieur,",
		{"{team} a reçu le signalement d'un événement de sécurité "
		 "impliquant des systèmes, réseaux ou domaines qui, d'après "
		 "nos informations, relèvent de {org}.",
		 "{team} a reçu le signalement de {n} événements de sécurité "
		 "impliquant des systèmes, réseaux ou domaines qui, d'après "
		 "nos informations, relèvent de {org}."},
		"Période d'observation" NBSP ": du {from} au {to} (UTC).",
		"Répartition par classification" NBSP ":",
		"Événements",
		"Classification (RSIT)",
		"Total",
		"(autres classifications)",
		"(non classé)",
		"Le détail de chaque événement figure dans le fichier joint "
		"{file} ({format}).",
		{"CSV, un événement par ligne",
		 "X-ARF version 4, un tableau JSON contenant un rapport par "
		 "événement",
		 "IODEF version 2 (RFC 7970), XML contenant un incident par "
		 "événement"},
		"Nous vous invitons à analyser ces événements et à prendre les "
		"mesures appropriées, par exemple en désinfectant les systèmes "
		"compromis ou en restreignant l'accès aux services qui ne "
		"devraient pas être joignables depuis Internet. Si les "
		"systèmes concernés sont exploités par vos clients, merci de "
		"leur transmettre les informations utiles.",
		"Ce message et sa pièce jointe sont marqués {tlp}.",
		{"La diffusion de ces informations n'est soumise à aucune "
		 "restriction.",
		 "Vous pouvez partager ces informations avec vos pairs et les "
		 "organisations partenaires de votre communauté, mais pas par "
		 "des canaux accessibles au public.",
		 "Vous ne pouvez partager ces informations qu'au sein de votre "
		 "organisation et avec ses clients, et uniquement avec les "
		 "personnes qui en ont besoin pour agir.",
		 "Vous ne pouvez partager ces informations qu'au sein de votre "
		 "organisation, et uniquement avec les personnes qui en ont "
		 "besoin pour agir.",
		 "Ces informations sont réservées aux seuls destinataires "
		 "nommés et ne doivent pas être diffusées davantage."},
		"Pour toute question, si vous pensez que ces informations sont "
		"erronées ou si ces ressources ne relèvent pas de votre "
		"responsabilité, merci de nous écrire à {reply}.",
		"Ce message a été généré automatiquement.",
		"Cordialement,",
	},
	{
		"es",
		P_ONE_IS_1,
		" ",
		{"{team}: 1 evento de seguridad relativo a {org}",
		 "{team}: {n} eventos de seguridad relativos a {org}"},
		"Estimados colegas:",
		{"{team} ha recibido información sobre un evento de seguridad "
		 "que afecta a sistemas, redes o dominios que, según nuestros "
		 "registros, pertenecen a {org}.",
		 "{team} ha recibido información sobre {n} eventos de "
		 "seguridad que afectan a sistemas, redes o dominios que, "
		 "según nuestros registros, pertenecen a {org}."},
		"Período de observación: del {from} al {to} (UTC).",
		"Resumen por clasificación:",
		"Eventos",
		"Clasificación (RSIT)",
		"Total",
		"(otras clasificaciones)",
		"(sin clasificar)",
		"Encontrarán el detalle de cada evento en el archivo adjunto "
		"{file} ({format}).",
		{"CSV, un evento por línea",
		 "X-ARF versión 4, una matriz JSON con un informe por evento",
		 "IODEF versión 2 (RFC 7970), XML con un incidente por "
		 "evento"},
		"Les rogamos que analicen estos eventos y adopten las medidas "
		"oportunas, por ejemplo desinfectando los sistemas "
		"comprometidos o restringiendo los servicios que no deberían "
		"ser accesibles desde Internet. Si los sistemas afectados son "
		"operados por sus clientes, les rogamos que les hagan llegar "
		"la información pertinente.",
		"Este mensaje y su adjunto están clasificados como {tlp}.",
		{"La difusión de esta información no está sujeta a ninguna "
		 "restricción.",
		 "Pueden compartir esta información con homólogos y "
		 "organizaciones asociadas de su comunidad, pero no a través "
		 "de canales de acceso público.",
		 "Solo pueden compartir esta información dentro de su "
		 "organización y con sus clientes, y únicamente con quienes "
		 "la necesiten para actuar.",
		 "Solo pueden compartir esta información dentro de su "
		 "organización, y únicamente con quienes la necesiten para "
		 "actuar.",
		 "Esta información está destinada exclusivamente a los "
		 "destinatarios indicados y no debe difundirse."},
		"Si tienen alguna pregunta, consideran que esta información es "
		"incorrecta o estos recursos no están bajo su "
		"responsabilidad, escríbannos a {reply}.",
		"Este mensaje se ha generado automáticamente.",
		"Atentamente,",
	},
	{
		"ru",
		P_NONE,
		" ",
		{NULL,
		 "{team}: события информационной безопасности, касающиеся "
		 "{org} (всего: {n})"},
		"Уважаемые коллеги!",
		{NULL,
		 "В {team} поступили сведения о событиях информационной "
		 "безопасности, затрагивающих системы, сети или домены, "
		 "которые, по нашим данным, принадлежат организации {org}. "
		 "Количество событий: {n}."},
		"Период наблюдения: с {from} по {to} (UTC).",
		"Распределение по классификации:",
		"Событий",
		"Классификация (RSIT)",
		"Итого",
		"(прочие классификации)",
		"(без классификации)",
		"Подробные сведения о каждом событии приведены во вложенном "
		"файле {file} ({format}).",
		{"CSV, одно событие на строку",
		 "X-ARF версии 4, массив JSON с одним отчётом на каждое "
		 "событие",
		 "IODEF версии 2 (RFC 7970), XML с одним инцидентом на каждое "
		 "событие"},
		"Просим вас проанализировать эти события и принять необходимые "
		"меры, например очистить скомпрометированные системы или "
		"ограничить доступ к службам, которые не должны быть доступны "
		"из интернета. Если затронутые системы эксплуатируются вашими "
		"клиентами, просим передать им соответствующие сведения.",
		"Это сообщение и вложение имеют метку {tlp}.",
		{"Распространение этой информации не ограничено.",
		 "Эту информацию можно передавать коллегам и партнёрским "
		 "организациям в вашем сообществе, но не по общедоступным "
		 "каналам.",
		 "Эту информацию можно передавать только внутри вашей "
		 "организации и её клиентам, и только тем, кому она необходима "
		 "для принятия мер.",
		 "Эту информацию можно передавать только внутри вашей "
		 "организации, и только тем, кому она необходима для принятия "
		 "мер.",
		 "Эта информация предназначена только для указанных "
		 "получателей и не подлежит дальнейшему распространению."},
		"Если у вас есть вопросы, если вы считаете эти сведения "
		"ошибочными или если эти ресурсы не относятся к вашей зоне "
		"ответственности, напишите нам по адресу {reply}.",
		"Это сообщение сформировано автоматически.",
		"С уважением,",
	},
	{
		"ar",
		P_NONE,
		" ",
		{NULL, "{team}: أحداث أمنية تخص {org} (العدد: {n})"},
		"الزملاء الأعزاء،",
		{NULL,
		 "تلقّى {team} معلومات عن أحداث أمنية تتعلق بأنظمة أو شبكات أو "
		 "نطاقات تعود، وفقاً لسجلاتنا، إلى {org}. عدد الأحداث: {n}."},
		"فترة الرصد: من {from} إلى {to} (بالتوقيت العالمي المنسق UTC).",
		"ملخص حسب التصنيف:",
		"الأحداث",
		"التصنيف (RSIT)",
		"المجموع",
		"(تصنيفات أخرى)",
		"(غير مصنف)",
		"تجدون تفاصيل كل حدث في الملف المرفق {file} ({format}).",
		{"CSV، حدث واحد في كل سطر",
		 "X-ARF الإصدار 4، مصفوفة JSON تتضمن تقريراً واحداً لكل حدث",
		 "IODEF الإصدار 2 (RFC 7970)، ملف XML يتضمن حادثاً واحداً لكل "
		 "حدث"},
		"نرجو منكم التحقق من هذه الأحداث واتخاذ الإجراءات المناسبة، "
		"مثل "
		"تنظيف الأنظمة المخترقة أو تقييد الخدمات التي لا ينبغي أن تكون "
		"متاحة من الإنترنت. وإذا كانت الأنظمة المتأثرة تابعة لعملائكم، "
		"فنرجو إبلاغهم بالمعلومات ذات الصلة.",
		"هذه الرسالة ومرفقها مصنفان بالوسم {tlp}.",
		{"لا توجد أي قيود على مشاركة هذه المعلومات.",
		 "يمكنكم مشاركة هذه المعلومات مع النظراء والمنظمات الشريكة "
		 "ضمن مجتمعكم، ولكن ليس عبر القنوات المتاحة للعموم.",
		 "لا يجوز مشاركة هذه المعلومات إلا داخل مؤسستكم ومع عملائها، "
		 "وفقط مع من يحتاجون إليها لاتخاذ الإجراءات اللازمة.",
		 "لا يجوز مشاركة هذه المعلومات إلا داخل مؤسستكم، وفقط مع من "
		 "يحتاجون إليها لاتخاذ الإجراءات اللازمة.",
		 "هذه المعلومات مخصصة للمستلمين المحددين فقط، ولا يجوز "
		 "مشاركتها مع أي طرف آخر."},
		"إذا كانت لديكم أي استفسارات، أو كنتم تعتقدون أن هذه المعلومات "
		"غير صحيحة، أو أن هذه الموارد لا تقع ضمن مسؤوليتكم، فيرجى "
		"التواصل معنا على العنوان {reply}.",
		"أُنشئت هذه الرسالة تلقائياً.",
		"مع خالص التحيات،",
	},
	{
		"zh",
		P_NONE,
		"",
		{NULL, "{team}：涉及 {org} 的安全事件（共 {n} 起）"},
		"尊敬的同事：",
		{NULL,
		 "{team} 收到了有关 {n} 起安全事件的信息。根据我们的记录，"
		 "所涉及的系统、网络或域名属于 {org}。"},
		"观测时间段：{from} 至 {to}（UTC）。",
		"按分类统计：",
		"事件数",
		"分类（RSIT）",
		"合计",
		"（其他分类）",
		"（未分类）",
		"每起事件的详细信息见附件 {file}（{format}）。",
		{"CSV 格式，每行一起事件",
		 "X-ARF 第 4 版，JSON 数组，每起事件一份报告",
		 "IODEF 第 2 版（RFC 7970），XML 格式，每起事件一个 "
		 "Incident"},
		"请调查上述事件并采取适当措施，例如清除受感染系统中的恶意软件，"
		"或限制不应从互联网访问的服务。如受影响的系统由贵方客户运营，"
		"请将相关信息转告客户。",
		"本邮件及其附件的标记为 {tlp}。",
		{"此信息的共享不受限制。",
		 "您可以与所在社区内的同行及合作伙伴机构共享此信息，但不得通过"
		 "公开渠道传播。",
		 "此信息仅可在贵组织内部及其客户范围内共享，且仅限于需要据此"
		 "采取行动的人员。",
		 "此信息仅可在贵组织内部共享，且仅限于需要据此采取行动的人员。",
		 "此信息仅供指定收件人本人使用，不得进一步传播。"},
		"如有疑问，或认为上述信息有误，或上述资源不属于贵方负责范围，"
		"请联系 {reply}。",
		"本邮件由系统自动生成。",
		"此致\n敬礼！",
	},
};

const char *cirt_notify_lang(const char *lang)
{
	size_t n = 0;

	if (lang == NULL)
		return "en";
	while (lang[n] != '\0' && lang[n] != '-' && lang[n] != '_')
		n++;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(langs); i++)
		if (n == 2 && strncasecmp(lang, langs[i].code, 2) == 0)
			return langs[i].code;
	return "en";
}

static const struct lang *find_lang(const char *lang)
{
	const char *code = cirt_notify_lang(lang);

	for (size_t i = 0; i < CIRT_ARRAY_LEN(langs); i++)
		if (strcmp(langs[i].code, code) == 0)
			return &langs[i];
	return &langs[0];
}

/* The one/other form of a message for n. */
static const char *plural(const struct lang *l, const char *const forms[2],
			  size_t n)
{
	bool one = (l->plural == P_ONE_IS_1 && n == 1) ||
		   (l->plural == P_ONE_LE_1 && n <= 1);

	return one && forms[0] != NULL ? forms[0] : forms[1];
}

struct var {
	const char *name;
	const char *value;
};

/* Append tpl to b with each {name} of vars replaced by its value; other
 * braces are copied. Values are not scanned again. */
static int expand(struct cirt_buf *b, const char *tpl, const struct var *vars,
		  size_t nvars)
{
	int rc = 0;

	while (rc == 0 && *tpl != '\0') {
		const char *open = strchr(tpl, '{'), *close;
		size_t k;

		if (open == NULL)
			return cirt_buf_adds(b, tpl);
		rc = cirt_buf_add(b, tpl, (size_t)(open - tpl));
		close = strchr(open, '}');
		if (close == NULL) {
			if (rc == 0)
				rc = cirt_buf_adds(b, open);
			break;
		}
		for (k = 0; k < nvars; k++)
			if (strlen(vars[k].name) ==
				    (size_t)(close - open - 1) &&
			    memcmp(vars[k].name, open + 1,
				   (size_t)(close - open - 1)) == 0)
				break;
		if (rc == 0 && k < nvars)
			rc = cirt_buf_adds(b, vars[k].value);
		else if (rc == 0)
			rc = cirt_buf_add(b, open, (size_t)(close - open + 1));
		tpl = close + 1;
	}
	return rc;
}

/* The code point at s (valid UTF-8) and its length. */
static uint32_t cp_at(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	if (u[0] < 0xe0) {
		*len = 2;
		return (uint32_t)(u[0] & 0x1f) << 6 | (u[1] & 0x3f);
	}
	if (u[0] < 0xf0) {
		*len = 3;
		return (uint32_t)(u[0] & 0x0f) << 12 |
		       (uint32_t)(u[1] & 0x3f) << 6 | (u[2] & 0x3f);
	}
	*len = 4;
	return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3f) << 12 |
	       (uint32_t)(u[2] & 0x3f) << 6 | (u[3] & 0x3f);
}

/* Columns a code point takes on a terminal: 0 for combining marks
 * (Latin, Arabic), 2 for East Asian wide characters, else 1. */
static unsigned cp_width(uint32_t c)
{
	if ((c >= 0x300 && c <= 0x36f) || (c >= 0x64b && c <= 0x65f) ||
	    c == 0x670)
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

static size_t str_width(const char *s, size_t n)
{
	size_t w = 0, len;

	for (size_t i = 0; i < n; i += len)
		w += cp_width(cp_at(s + i, &len));
	return w;
}

/* CJK punctuation that must not start a line, and brackets that must
 * not end one. */
static bool no_break_before(uint32_t c)
{
	return c == 0x3001 || c == 0x3002 || c == 0xff0c || c == 0xff1a ||
	       c == 0xff1b || c == 0xff01 || c == 0xff1f || c == 0xff09 ||
	       c == 0x300d || c == 0x300f || c == 0x3011;
}

static bool no_break_after(uint32_t c)
{
	return c == 0xff08 || c == 0x300c || c == 0x300e || c == 0x3010;
}

/* Append the paragraph s to b wrapped at width columns: lines break at
 * spaces (which are dropped) or between East Asian wide characters;
 * words longer than a line stay whole. Ends with a newline. */
static int wrap(struct cirt_buf *b, const char *s, size_t width)
{
	const char *line = s, *brk = NULL, *p = s;
	bool brk_space = false;
	uint32_t prev = 0;
	size_t col = 0, n;
	int rc = 0;

	while (*p != '\0' && rc == 0) {
		uint32_t c = cp_at(p, &n);
		unsigned w = cp_width(c);

		if (c == ' ') {
			brk = p;
			brk_space = true;
		} else if (p > line && (w == 2 || cp_width(prev) == 2) &&
			   prev != ' ' && !no_break_before(c) &&
			   !no_break_after(prev)) {
			brk = p;
			brk_space = false;
		}
		if (col + w > width && brk != NULL && brk > line) {
			rc = cirt_buf_add(b, line, (size_t)(brk - line));
			if (rc == 0)
				rc = cirt_buf_add(b, "\n", 1);
			line = brk_space ? brk + 1 : brk;
			brk = NULL;
			if (line > p) {
				/* The break was this space: drop it. */
				col = 0;
				prev = c;
				p += n;
				continue;
			}
			col = str_width(line, (size_t)(p - line));
		}
		col += w;
		prev = c;
		p += n;
	}
	if (rc == 0)
		rc = cirt_buf_add(b, line, (size_t)(p - line));
	if (rc == 0)
		rc = cirt_buf_add(b, "\n", 1);
	return rc;
}

/* Expand tpl and append it wrapped, then a blank line. */
static int paragraph(struct cirt_buf *b, const char *tpl,
		     const struct var *vars, size_t nvars)
{
	struct cirt_buf t;
	int rc;

	cirt_buf_init(&t, b->max);
	rc = expand(&t, tpl, vars, nvars);
	if (rc == 0)
		rc = wrap(b, cirt_buf_str(&t), TEXT_WIDTH);
	if (rc == 0)
		rc = cirt_buf_add(b, "\n", 1);
	cirt_buf_release(&t);
	return rc;
}

static int table_row(struct cirt_buf *b, size_t width, const char *count,
		     const char *label)
{
	size_t w = str_width(count, strlen(count));
	int rc = cirt_buf_add(b, "  ", 2);

	for (; rc == 0 && w < width; w++)
		rc = cirt_buf_add(b, " ", 1);
	if (rc == 0)
		rc = cirt_buf_addf(b, "%s  %s\n", count, label);
	return rc;
}

static int table(struct cirt_buf *b, const struct lang *l,
		 const struct cirt_notify_text_ctx *ctx)
{
	size_t width = str_width(l->col_events, strlen(l->col_events));
	size_t shown = CIRT_MIN(ctx->ncounts, (size_t)CIRT_NOTIFY_TEXT_ROWS);
	size_t rest = 0;
	char n[32];
	int rc;

	snprintf(n, sizeof(n), "%zu", ctx->nevents);
	width = CIRT_MAX(width, strlen(n));
	rc = cirt_buf_addf(b, "%s\n\n", l->summary);
	if (rc == 0)
		rc = table_row(b, width, l->col_events, l->col_class);
	for (size_t i = 0; rc == 0 && i < shown; i++) {
		const char *c = ctx->counts[i].classification;

		snprintf(n, sizeof(n), "%zu", ctx->counts[i].count);
		rc = table_row(b, width, n,
			       c != NULL && c[0] != '\0' ? c : l->unclassified);
	}
	for (size_t i = shown; i < ctx->ncounts; i++)
		rest += ctx->counts[i].count;
	if (rc == 0 && shown < ctx->ncounts) {
		snprintf(n, sizeof(n), "%zu", rest);
		rc = table_row(b, width, n, l->other);
	}
	snprintf(n, sizeof(n), "%zu", ctx->nevents);
	if (rc == 0)
		rc = table_row(b, width, n, l->total);
	if (rc == 0)
		rc = cirt_buf_add(b, "\n", 1);
	return rc;
}

static void fmt_day(int64_t us, char out[CIRT_TIME_LEN])
{
	time_t t = (time_t)(us / CIRT_US_PER_SEC);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(out, CIRT_TIME_LEN, "?");
		return;
	}
	snprintf(out, CIRT_TIME_LEN, "%04d-%02d-%02d %02d:%02d",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min);
}

static int check_text_ctx(const struct cirt_notify_text_ctx *c,
			  struct cirt_diag *d)
{
	const char *v[] = {c->team, c->constituent, c->reply_to};
	static const char *const names[] = {"team", "constituent", "reply_to"};
	int rc = 0;

	for (size_t k = 0; rc == 0 && k < CIRT_ARRAY_LEN(v); k++) {
		if (v[k] == NULL)
			return cirt_diag_set(d, -CIRT_EINVAL, names[k],
					     "%s is required", names[k]);
		rc = cirt_text_check_line(v[k], strlen(v[k]), 1, 254, names[k],
					  d);
	}
	if (rc == 0 && (unsigned)c->format >= CIRT_NOTIFY_FORMAT_COUNT)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "format",
				   "unknown digest format");
	if (rc == 0 && (c->tlp < CIRT_TLP_NONE || c->tlp >= CIRT_TLP_COUNT))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "tlp",
				   "tlp is not a TLP level");
	if (rc == 0 && c->ncounts > 0 && c->counts == NULL)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "counts",
				   "counts is missing");
	for (size_t i = 0; rc == 0 && i < c->ncounts; i++) {
		const char *s = c->counts[i].classification;

		if (s != NULL)
			rc = cirt_text_check_line(s, strlen(s), 0, 80, "counts",
						  d);
	}
	return rc;
}

static int write_body(struct cirt_buf *b, const struct lang *l,
		      const struct cirt_notify_text_ctx *ctx,
		      const struct var *vars, size_t nvars)
{
	struct cirt_buf tlp;
	int rc;

	rc = cirt_buf_addf(b, "%s\n\n", l->greeting);
	if (rc == 0)
		rc = paragraph(b, plural(l, l->intro, ctx->nevents), vars,
			       nvars);
	if (rc == 0 && ctx->from != 0 && ctx->to != 0)
		rc = paragraph(b, l->period, vars, nvars);
	if (rc == 0 && ctx->ncounts > 0)
		rc = table(b, l, ctx);
	if (rc == 0)
		rc = paragraph(b, l->attach, vars, nvars);
	if (rc == 0)
		rc = paragraph(b, l->action, vars, nvars);
	if (rc == 0 && ctx->tlp != CIRT_TLP_NONE) {
		cirt_buf_init(&tlp, b->max);
		rc = cirt_buf_addf(&tlp, "%s%s%s", l->tlp_intro, l->sep,
				   l->tlp_rules[ctx->tlp]);
		if (rc == 0)
			rc = paragraph(b, cirt_buf_str(&tlp), vars, nvars);
		cirt_buf_release(&tlp);
	}
	if (rc == 0)
		rc = paragraph(b, l->contact, vars, nvars);
	if (rc == 0)
		rc = paragraph(b, l->automatic, vars, nvars);
	if (rc == 0)
		rc = cirt_buf_addf(b, "%s\n%s\n", l->closing, ctx->team);
	return rc;
}

int cirt_notify_text(const char *lang, const struct cirt_notify_text_ctx *ctx,
		     struct cirt_buf *subject, struct cirt_buf *body,
		     struct cirt_diag *d)
{
	const struct lang *l = find_lang(lang);
	char n[32], from[CIRT_TIME_LEN], to[CIRT_TIME_LEN];
	struct cirt_buf s, b;
	int rc = check_text_ctx(ctx, d);
	const struct var vars[] = {
		{"team", ctx->team},
		{"org", ctx->constituent},
		{"n", n},
		{"from", from},
		{"to", to},
		{"file",
		 formats[(unsigned)ctx->format % CIRT_NOTIFY_FORMAT_COUNT]
			 .file},
		{"format",
		 l->formats[(unsigned)ctx->format % CIRT_NOTIFY_FORMAT_COUNT]},
		{"reply", ctx->reply_to},
		{"tlp", cirt_tlp_label(ctx->tlp)},
	};

	if (rc < 0)
		return rc;
	snprintf(n, sizeof(n), "%zu", ctx->nevents);
	fmt_day(ctx->from, from);
	fmt_day(ctx->to, to);
	cirt_buf_init(&s, subject->max > subject->len
				  ? subject->max - subject->len
				  : 0);
	cirt_buf_init(&b, body->max > body->len ? body->max - body->len : 0);
	if (ctx->tlp != CIRT_TLP_NONE)
		rc = cirt_buf_addf(&s, "[%s] ", cirt_tlp_label(ctx->tlp));
	if (rc == 0)
		rc = expand(&s, plural(l, l->subject, ctx->nevents), vars,
			    CIRT_ARRAY_LEN(vars));
	if (rc < 0) {
		rc = cirt_diag_set(d, rc, "subject",
				   "the subject is longer than %zu bytes",
				   s.max);
		goto out;
	}
	rc = write_body(&b, l, ctx, vars, CIRT_ARRAY_LEN(vars));
	if (rc < 0) {
		rc = cirt_diag_set(d, rc, "body",
				   "the body is longer than %zu bytes", b.max);
		goto out;
	}
	/* Both fit in what was left under the ceilings. */
	if (s.len > 0)
		rc = cirt_buf_add(subject, s.data, s.len);
	if (rc == 0 && b.len > 0)
		rc = cirt_buf_add(body, b.data, b.len);
out:
	cirt_buf_release(&s);
	cirt_buf_release(&b);
	return rc;
}
