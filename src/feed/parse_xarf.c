/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The "xarf" parser: X-ARF v4 JSON reports (standards.md 6.2; the schemas
 * in xarf/schemas/v4), one object or an array of them, or an e-mail that
 * carries one (when the input does not start with '{' or '[', it goes to
 * the mail path of parse_mail.c). Each report is one record and one
 * event; it is not a JSON Schema validator: it checks the core fields an
 * event needs and trusts the rest to be what the type schema says.
 *
 * Checked (a failure makes the report a malformed record naming the
 * field): xarf_version ^4\.[0-9]+\.[0-9]+$, report_id a UUID, timestamp a
 * time, reporter and sender each {org (1..200 bytes), contact (an
 * address), domain}, source_identifier, category one of the seven, type.
 * X-ARF v3 reports (a "Version" of 3 and a "Report") are converted first
 * as the spec requires: a new report_id, legacy_version "3", Report.Date
 * as timestamp, Report.Source (or SourceIp/Url) as source_identifier,
 * ReporterInfo as reporter and sender, ReportType as category and type by
 * the v3 schema's table, Attachment/Samples as evidence.
 *
 * Mapping: category/type ('-' read as '_') to RSIT by xarf_map below,
 * which covers every type of xarf/schemas/v4/types (and the names the
 * types README uses for two of them); copyright and reputation map
 * whatever the type; an unknown type is left unclassified for the feed's
 * default. infrastructure/botnet is an infected system, not a C2 server:
 * its schema describes "botnet infections and compromised systems", and
 * its sample reports a bot with a separate c2_server. source_identifier
 * is source.ip, source.network, source.url or source.fqdn by its form
 * (else extra.source_identifier); url, source_port, destination_ip,
 * destination_port, protocol (tcp/udp/icmp/sctp as transport, else as
 * application), service, malware_family and timestamp have fields of
 * their own; classification.identifier is "category/type"; report_id,
 * reporter's org, evidence_source, confidence, tags, description,
 * legacy_version and the evidence's descriptions and hashes (never its
 * payloads) go to extra. raw is the report's JSON as received.
 *
 * Streaming: the input is split into reports by a small scanner that
 * follows strings and nesting only, so memory is one report (at most
 * CIRT_FEED_MAIL_MAX bytes, option max=) plus a read chunk whatever the
 * array's length; a longer report is skipped and counted. Each report is
 * parsed by jansson (core/json.h: duplicate keys, bad UTF-8 refused;
 * nesting at most JSON_DEPTH).
 *
 * Layer: feed. A run is single-threaded and keeps no global state.
 */
#include "feed/parser.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/uuid.h"
#include "feed/parse_int.h"
#include "core/banned.h"

#define JSON_DEPTH 32
#define READ_CHUNK (64u << 10)
#define JOIN_MAX   4096

/* ---- category/type to RSIT ---- */

/* type NULL: every type of the category. */
static const struct {
	const char *cat, *type, *cls, *rsit;
} xarf_map[] = {
	{"messaging", "spam", "abusive-content", "spam"},
	{"messaging", "bulk_messaging", "abusive-content", "spam"},
	{"connection", "login_attack", "intrusion-attempts", "brute-force"},
	{"connection", "port_scan", "information-gathering", "scanner"},
	{"connection", "ddos", "availability", "ddos"},
	{"connection", "infected_host", "malicious-code", "infected-system"},
	{"connection", "reconnaissance", "information-gathering", "scanner"},
	{"connection", "scraping", "information-gathering", "scanner"},
	{"connection", "sql_injection", "intrusion-attempts", "exploit"},
	{"connection", "vulnerability_scan", "information-gathering",
	 "scanner"},
	{"connection", "vuln_scanning", "information-gathering", "scanner"},
	{"content", "phishing", "fraud", "phishing"},
	{"content", "malware", "malicious-code", "malware-distribution"},
	{"content", "csam", "abusive-content", "violence"},
	{"content", "csem", "abusive-content", "violence"},
	{"content", "exposed_data", "information-content-security",
	 "data-leak"},
	{"content", "brand_infringement", "fraud", "masquerade"},
	{"content", "fraud", "fraud", "masquerade"},
	{"content", "remote_compromise", "intrusions", "system-compromise"},
	{"content", "suspicious_registration", "fraud", "masquerade"},
	{"copyright", NULL, "fraud", "copyright"},
	{"infrastructure", "botnet", "malicious-code", "infected-system"},
	{"infrastructure", "bot", "malicious-code", "infected-system"},
	{"infrastructure", "compromised_server", "intrusions",
	 "system-compromise"},
	{"reputation", NULL, "other", "other"},
	{"vulnerability", "cve", "vulnerable", "vulnerable-system"},
	{"vulnerability", "misconfiguration", "vulnerable",
	 "vulnerable-system"},
	{"vulnerability", "open_service", "vulnerable",
	 "potentially-unwanted-accessible"},
	{"vulnerability", "open", "vulnerable",
	 "potentially-unwanted-accessible"},
};

static const char *const categories[] = {
	"messaging",	 "content",	   "copyright",	 "connection",
	"vulnerability", "infrastructure", "reputation",
};

/* v3 ReportType (lower case, '-' as '_') to v4 category and type: the
 * table of xarf/schemas/v3/xarf-v3-legacy.json, with botnet as the v4
 * type name. */
static const struct {
	const char *v3, *cat, *type;
} v3_types[] = {
	{"spam", "messaging", "spam"},
	{"login_attack", "connection", "login_attack"},
	{"port_scan", "connection", "port_scan"},
	{"ddos", "connection", "ddos"},
	{"phishing", "content", "phishing"},
	{"malware", "content", "malware"},
	{"botnet", "infrastructure", "botnet"},
	{"copyright", "copyright", "copyright"},
};

static void classify(struct cirt_event *ev, const char *cat, const char *type)
{
	size_t i;

	for (i = 0; i < CIRT_ARRAY_LEN(xarf_map); i++)
		if (strcmp(cat, xarf_map[i].cat) == 0 &&
		    (xarf_map[i].type == NULL ||
		     strcmp(type, xarf_map[i].type) == 0)) {
			cirt_event_classify(ev, xarf_map[i].cls,
					    xarf_map[i].rsit);
			return;
		}
}

/* ---- reading members ---- */

/* ^4\.[0-9]+\.[0-9]+$ */
static bool version4(const char *s)
{
	int dots = 0;
	bool digit = false;

	if (s[0] != '4' || s[1] != '.')
		return false;
	for (s += 2; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9') {
			digit = true;
		} else if (*s == '.' && digit && dots == 0) {
			dots++;
			digit = false;
		} else {
			return false;
		}
	}
	return dots == 1 && digit;
}

/* ---- checks ---- */

/* A contact {org, contact, domain}: NULL, or the fault, with the member
 * at fault in *field. */
static const char *check_contact(const json_t *c, const char **field)
{
	static const char *const names[] = {"org", "contact", "domain"};
	const char *v;
	size_t i, n;

	*field = "";
	if (!json_is_object(c))
		return "missing or not an object";
	for (i = 0; i < CIRT_ARRAY_LEN(names); i++) {
		*field = names[i];
		v = cirt_feed_json_str(c, names[i]);
		if (v == NULL || v[0] == '\0')
			return "missing or not a string";
	}
	*field = "org";
	if (strlen(cirt_feed_json_str(c, "org")) > 200)
		return "longer than 200 bytes";
	*field = "contact";
	v = cirt_feed_json_str(c, "contact");
	n = strlen(v);
	if (strchr(v, '@') == NULL || v[0] == '@' || v[n - 1] == '@')
		return "not an e-mail address";
	return NULL;
}

static bool known_category(const char *s)
{
	size_t i;

	for (i = 0; i < CIRT_ARRAY_LEN(categories); i++)
		if (strcmp(s, categories[i]) == 0)
			return true;
	return false;
}

/* The core fields (xarf-core.json "required"): true, or false after
 * counting the record as malformed. */
static bool check_core(struct cirt_feed_run *r, const json_t *o)
{
	static const char *const required[] = {
		"xarf_version", "report_id",	     "timestamp",
		"category",	"source_identifier", "type",
	};
	static const char *const whos[] = {"reporter", "sender"};
	const char *v, *why, *field;
	size_t i;

	for (i = 0; i < CIRT_ARRAY_LEN(required); i++) {
		v = cirt_feed_json_str(o, required[i]);
		if (v == NULL || v[0] == '\0') {
			cirt_feed_bad(r->st, r->ev.line,
				      "%s: missing or not a string",
				      required[i]);
			return false;
		}
	}
	why = NULL;
	if (!version4(cirt_feed_json_str(o, "xarf_version")))
		why = "xarf_version";
	else if (!cirt_uuid_valid(cirt_feed_json_str(o, "report_id")))
		why = "report_id";
	else if (!known_category(cirt_feed_json_str(o, "category")))
		why = "category";
	if (why != NULL) {
		cirt_feed_bad(r->st, r->ev.line, "%s: \"%.60s\" is not %s", why,
			      cirt_feed_json_str(o, why),
			      why[0] == 'x'   ? "4.N.N"
			      : why[0] == 'r' ? "a UUID"
					      : "an X-ARF v4 category");
		return false;
	}
	for (i = 0; i < CIRT_ARRAY_LEN(whos); i++) {
		why = check_contact(json_object_get(o, whos[i]), &field);
		if (why != NULL) {
			cirt_feed_bad(r->st, r->ev.line, "%s%s%s: %s", whos[i],
				      field[0] != '\0' ? "." : "", field, why);
			return false;
		}
	}
	return true;
}

/* ---- mapping ---- */

static bool is_transport(const char *s)
{
	static const char *const t[] = {"tcp", "udp", "icmp", "sctp"};
	size_t i;

	for (i = 0; i < CIRT_ARRAY_LEN(t); i++)
		if (strcasecmp(s, t[i]) == 0)
			return true;
	return false;
}

/* Set field of the event from member name of o, when it is there. */
static int set_member(struct cirt_feed_run *r, const json_t *o,
		      const char *name, const char *field)
{
	char buf[32];
	const char *v =
		cirt_feed_json_text(json_object_get(o, name), buf, sizeof(buf));

	if (v == NULL || v[0] == '\0')
		return 0;
	return cirt_feed_run_set(r, field, v, strlen(v));
}

/* Source, destination, protocol and malware of the report. */
static int map_net(struct cirt_feed_run *r, const json_t *o)
{
	const char *v = cirt_feed_json_str(o, "source_identifier");
	int rc;

	rc = cirt_feed_run_source(r, v, strlen(v));
	if (rc == 1)
		rc = cirt_feed_run_extra(r, "source_identifier", v, strlen(v));
	if (rc < 0)
		return -1;
	if ((r->ev.url[0] == '\0' &&
	     set_member(r, o, "url", "source.url") < 0) ||
	    set_member(r, o, "source_port", "source.port") < 0 ||
	    set_member(r, o, "destination_ip", "destination.ip") < 0 ||
	    set_member(r, o, "destination_port", "destination.port") < 0 ||
	    set_member(r, o, "malware_family", "malware.name") < 0)
		return -1;
	v = cirt_feed_json_str(o, "protocol");
	if (v != NULL && v[0] != '\0' &&
	    cirt_feed_run_set(r,
			      is_transport(v) ? "protocol.transport"
					      : "protocol.application",
			      v, strlen(v)) < 0)
		return -1;
	if (r->ev.application[0] == '\0' &&
	    set_member(r, o, "service", "protocol.application") < 0)
		return -1;
	return 0;
}

/* Join the string member name of each element of array a (or each
 * string of a, with name NULL) with ", " into extra key. */
static int extra_list(struct cirt_feed_run *r, const json_t *a,
		      const char *name, const char *key)
{
	char buf[JOIN_MAX];
	size_t len = 0, i;
	const json_t *e;
	const char *v;

	json_array_foreach (a, i, e) {
		v = name != NULL ? cirt_feed_json_str(e, name)
				 : json_string_value(e);
		if (v == NULL || v[0] == '\0')
			continue;
		if (!cirt_feed_join(buf, sizeof(buf), &len, ", ", v, strlen(v)))
			break;
	}
	if (len == 0)
		return 0;
	return cirt_feed_run_extra(r, key, buf, len);
}

/* What goes to extra. */
static int map_extra(struct cirt_feed_run *r, const json_t *o)
{
	static const char *const plain[] = {
		"report_id",
		"evidence_source",
		"description",
		"legacy_version",
	};
	const json_t *ev = json_object_get(o, "evidence");
	const json_t *conf = json_object_get(o, "confidence");
	const char *v;
	char buf[32];
	size_t i;

	for (i = 0; i < CIRT_ARRAY_LEN(plain); i++) {
		v = cirt_feed_json_str(o, plain[i]);
		if (v != NULL &&
		    cirt_feed_run_extra(r, plain[i], v, strlen(v)) < 0)
			return -1;
	}
	v = cirt_feed_json_str(json_object_get(o, "reporter"), "org");
	if (cirt_feed_run_extra(r, "reporter", v, strlen(v)) < 0)
		return -1;
	if (json_is_number(conf)) {
		snprintf(buf, sizeof(buf), "%g", json_number_value(conf));
		if (cirt_feed_run_extra(r, "confidence", buf, strlen(buf)) < 0)
			return -1;
	}
	if (extra_list(r, json_object_get(o, "tags"), NULL, "tags") < 0 ||
	    extra_list(r, ev, "description", "evidence_descriptions") < 0 ||
	    extra_list(r, ev, "hash", "evidence_hashes") < 0)
		return -1;
	if (json_array_size(ev) > 0 &&
	    cirt_event_extra_int(&r->ev, "evidence_count",
				 (int64_t)json_array_size(ev)) < 0) {
		cirt_feed_bad(r->st, r->ev.line, "too much for extra");
		return -1;
	}
	return 0;
}

/* A checked v4 report o into r->ev: 0, or -1 (counted as malformed). */
static int map(struct cirt_feed_run *r, const json_t *o)
{
	const char *cat = cirt_feed_json_str(o, "category");
	const char *ts = cirt_feed_json_str(o, "timestamp");
	const char *v = cirt_feed_json_str(o, "type");
	char type[48];
	int64_t us;

	cirt_feed_norm_name(v, strlen(v), '-', '_', type, sizeof(type));
	classify(&r->ev, cat, type);
	snprintf(r->ev.identifier, sizeof(r->ev.identifier), "%s/%s", cat,
		 type);
	if (cirt_event_parse_time(ts, strlen(ts), &us) < 0) {
		cirt_feed_bad(r->st, r->ev.line,
			      "timestamp: \"%.60s\" is not a time", ts);
		return -1;
	}
	r->ev.time_source = us;
	if (map_net(r, o) < 0 || map_extra(r, o) < 0)
		return -1;
	return 0;
}

/* ---- X-ARF v3 ---- */

/* Copy member from of src (if there) to o as name. */
static void copy(json_t *o, const char *name, const json_t *src,
		 const char *from)
{
	json_t *v = json_object_get(src, from);

	if (v != NULL && json_object_get(o, name) == NULL)
		json_object_set(o, name, v);
}

/* ReporterInfo as a v4 contact. */
static json_t *v3_contact(const json_t *ri)
{
	json_t *c = json_object();
	const char *mail = cirt_feed_json_str(ri, "ReporterContactEmail");
	const char *dom = cirt_feed_json_str(ri, "ReporterOrgDomain");

	if (mail == NULL)
		mail = cirt_feed_json_str(ri, "ReporterOrgEmail");
	if (dom == NULL && mail != NULL && strchr(mail, '@') != NULL)
		dom = strchr(mail, '@') + 1;
	copy(c, "org", ri, "ReporterOrg");
	if (mail != NULL)
		json_object_set_new(c, "contact", json_string(mail));
	if (dom != NULL)
		json_object_set_new(c, "domain", json_string(dom));
	return c;
}

/* Attachment (samples) or Samples (schema) as v4 evidence. */
static void v3_evidence(json_t *o, const json_t *rep)
{
	const json_t *a = json_object_get(rep, "Attachment");
	const json_t *e;
	json_t *out, *item;
	size_t i;

	if (!json_is_array(a))
		a = json_object_get(rep, "Samples");
	if (!json_is_array(a))
		return;
	out = json_array();
	json_array_foreach (a, i, e) {
		item = json_object();
		copy(item, "content_type", e, "ContentType");
		copy(item, "description", e, "Description");
		copy(item, "payload", e, "Data");
		copy(item, "payload", e, "Payload");
		json_array_append_new(out, item);
	}
	json_object_set_new(o, "evidence", out);
}

/* Source, destination and protocol, from Report.Source and
 * Report.AdditionalInfo (samples) or Report itself (schema). */
static void v3_net(json_t *o, const json_t *rep)
{
	const json_t *src = json_object_get(rep, "Source");
	const json_t *ai = json_object_get(rep, "AdditionalInfo");

	copy(o, "source_identifier", src, "IP");
	copy(o, "source_identifier", src, "URL");
	copy(o, "source_identifier", src, "Domain");
	copy(o, "source_identifier", rep, "SourceIp");
	copy(o, "source_identifier", rep, "Url");
	copy(o, "url", src, "URL");
	copy(o, "url", rep, "Url");
	copy(o, "source_port", src, "Port");
	copy(o, "source_port", rep, "SourcePort");
	copy(o, "destination_ip", ai, "DestinationIP");
	copy(o, "destination_ip", rep, "DestinationIp");
	copy(o, "destination_port", ai, "DestinationPort");
	copy(o, "destination_port", rep, "DestinationPort");
	copy(o, "protocol", ai, "Protocol");
	copy(o, "protocol", rep, "Protocol");
	copy(o, "malware_family", ai, "MalwareFamily");
}

/* Convert a v3 report to v4 (a new object), or NULL after counting it
 * as malformed. */
static json_t *v3_convert(struct cirt_feed_run *r, const json_t *v3)
{
	const json_t *ri = json_object_get(v3, "ReporterInfo");
	const json_t *rep = json_object_get(v3, "Report");
	const char *ver = cirt_feed_json_str(v3, "Version");
	const char *rt = cirt_feed_json_str(rep, "ReportType");
	char type[32], id[CIRT_UUID_LEN + 1];
	json_t *o;
	size_t i;

	if (ver == NULL || ver[0] != '3' || !json_is_object(ri) ||
	    !json_is_object(rep) || rt == NULL) {
		cirt_feed_bad(r->st, r->ev.line,
			      "%s: missing or wrong in an X-ARF v3 report",
			      ver == NULL || ver[0] != '3' ? "Version"
			      : !json_is_object(ri)	   ? "ReporterInfo"
			      : !json_is_object(rep)	   ? "Report"
						     : "Report.ReportType");
		return NULL;
	}
	cirt_feed_norm_name(rt, strlen(rt), '-', '_', type, sizeof(type));
	for (i = 0;
	     i < CIRT_ARRAY_LEN(v3_types) && strcmp(type, v3_types[i].v3); i++)
		;
	if (i == CIRT_ARRAY_LEN(v3_types)) {
		cirt_feed_bad(r->st, r->ev.line,
			      "Report.ReportType: \"%.40s\" is not an X-ARF "
			      "v3 type",
			      rt);
		return NULL;
	}
	o = json_object();
	cirt_uuid4(id);
	json_object_set_new(o, "xarf_version", json_string("4.0.0"));
	json_object_set_new(o, "legacy_version", json_string("3"));
	json_object_set_new(o, "report_id", json_string(id));
	copy(o, "timestamp", rep, "Date");
	json_object_set_new(o, "reporter", v3_contact(ri));
	json_object_set_new(o, "sender", v3_contact(ri));
	json_object_set_new(o, "category", json_string(v3_types[i].cat));
	json_object_set_new(o, "type", json_string(v3_types[i].type));
	v3_net(o, rep);
	v3_evidence(o, rep);
	return o;
}

/* ---- one report ---- */

/* Check, map and emit the report o with raw[0..n). */
static int report(struct cirt_feed_run *r, json_t *o, const char *raw, size_t n)
{
	json_t *v4 = NULL;
	int rc = 0;

	if (json_object_get(o, "xarf_version") == NULL &&
	    json_object_get(o, "Version") != NULL) {
		v4 = v3_convert(r, o);
		if (v4 == NULL)
			return 0;
		o = v4;
	}
	if (check_core(r, o) && map(r, o) == 0)
		rc = cirt_feed_run_emit(r, raw, n);
	json_decref(v4);
	return rc;
}

/* The report p[0..n), its raw record raw[0..raw_len) and line. */
static int report_bytes(struct cirt_feed_run *r, const char *p, size_t n,
			const char *raw, size_t raw_len, int64_t line)
{
	struct cirt_diag d;
	json_t *o;
	int rc;

	cirt_feed_rec_begin(r, line);
	cirt_diag_init(&d);
	if (cirt_json_parse(p, n, JSON_DEPTH, &o, &d) < 0) {
		cirt_feed_bad(r->st, line, "%s", d.message);
		return 0;
	}
	if (!json_is_object(o)) {
		cirt_feed_bad(r->st, line, "not a JSON object");
		json_decref(o);
		return 0;
	}
	rc = report(r, o, raw, raw_len);
	json_decref(o);
	return rc;
}

/* ---- splitting the input into reports ---- */

enum split_state {
	S_BEFORE, /* before the top-level value */
	S_ARRAY,  /* in the array, before an element or ']' */
	S_ELEM,	  /* in a report */
	S_AFTER,  /* after an element: ',' or ']' */
	S_END,	  /* after the top-level value: only white space */
	S_STOP,	  /* broken structure: the rest is ignored */
};

struct split {
	struct cirt_feed_run *r;
	enum split_state state;
	struct cirt_buf cur; /* the current report's bytes */
	size_t depth;	     /* '{' and '[' open in the report */
	bool array, in_str, esc, started, big;
	int64_t index; /* reports begun */
	/* Inside an e-mail: the message is the raw record and its line the
	 * line; no records counted (the message was). */
	const char *raw;
	size_t raw_len;
	int64_t line;
};

static bool json_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void split_init(struct split *sp, struct cirt_feed_run *r)
{
	memset(sp, 0, sizeof(*sp));
	sp->r = r;
	sp->state = S_BEFORE;
	cirt_buf_init(&sp->cur, r->max);
}

static void elem_begin(struct split *sp)
{
	sp->state = S_ELEM;
	sp->depth = 0;
	sp->in_str = sp->esc = sp->started = sp->big = false;
	sp->index++;
}

/* The current report is complete. */
static int elem_end(struct split *sp)
{
	struct cirt_feed_run *r = sp->r;
	int64_t line = sp->raw != NULL ? sp->line : sp->index;
	int rc = 0;

	sp->state = sp->array ? S_AFTER : S_END;
	if (sp->raw == NULL)
		r->st->records++;
	if (sp->big)
		cirt_feed_bad(r->st, line,
			      "report longer than %zu bytes "
			      "(parser option max=)",
			      r->max);
	else if (sp->raw != NULL)
		rc = report_bytes(r, cirt_buf_str(&sp->cur), sp->cur.len,
				  sp->raw, sp->raw_len, line);
	else
		rc = report_bytes(r, cirt_buf_str(&sp->cur), sp->cur.len,
				  cirt_buf_str(&sp->cur), sp->cur.len, line);
	cirt_buf_release(&sp->cur);
	return rc;
}

/* How many bytes of p[0..n) belong to the current report; *done when it
 * ends there. Strings and nesting are followed; a scalar ends before the
 * first delimiter. */
static size_t elem_scan(struct split *sp, const char *p, size_t n, bool *done)
{
	size_t i;

	*done = false;
	for (i = 0; i < n; i++) {
		char c = p[i];

		if (sp->in_str) {
			if (sp->esc)
				sp->esc = false;
			else if (c == '\\')
				sp->esc = true;
			else if (c == '"')
				sp->in_str = false;
			continue;
		}
		if (sp->depth == 0 && sp->started &&
		    (c == ',' || c == ']' || c == '}' || json_ws(c))) {
			*done = true;
			return i;
		}
		sp->started = true;
		if (c == '"') {
			sp->in_str = true;
		} else if (c == '{' || c == '[') {
			sp->depth++;
		} else if (c == '}' || c == ']') {
			if (sp->depth == 0 || --sp->depth == 0) {
				*done = true;
				return i + 1;
			}
		}
	}
	return n;
}

/* Keep p[0..n) of the current report unless it is over the budget. */
static void elem_add(struct split *sp, const char *p, size_t n)
{
	if (sp->big || n == 0)
		return;
	if (n > sp->cur.max - sp->cur.len || cirt_buf_add(&sp->cur, p, n) < 0) {
		cirt_buf_release(&sp->cur);
		sp->big = true;
	}
}

static void split_broken(struct split *sp, const char *what)
{
	cirt_feed_bad(sp->r->st, sp->raw != NULL ? sp->line : sp->index,
		      "%s after report %" PRId64 "; the rest is ignored", what,
		      sp->index);
	sp->state = S_STOP;
}

/* One step outside a report at p[0]: how many bytes it took. */
static size_t split_outside(struct split *sp, char c)
{
	if (json_ws(c) || (sp->state == S_BEFORE && (unsigned char)c >= 0xbb))
		return 1; /* white space, or a byte of a UTF-8 BOM */
	switch (sp->state) {
	case S_BEFORE:
		if (c == '[') {
			sp->array = true;
			sp->state = S_ARRAY;
			return 1;
		}
		elem_begin(sp);
		return 0;
	case S_ARRAY:
		if (c == ']') {
			sp->state = S_END;
			return 1;
		}
		elem_begin(sp);
		return 0;
	case S_AFTER:
		if (c == ',')
			sp->state = S_ARRAY;
		else if (c == ']')
			sp->state = S_END;
		else
			split_broken(sp, "no ',' or ']'");
		return 1;
	default:
		split_broken(sp, "data");
		return 1;
	}
}

/* Feed p[0..n) of the input. 0, or emit's negative result. */
static int split_feed(struct split *sp, const char *p, size_t n)
{
	size_t i = 0, k;
	bool done;
	int rc;

	while (i < n && sp->state != S_STOP) {
		if (sp->state != S_ELEM) {
			i += split_outside(sp, p[i]);
			continue;
		}
		k = elem_scan(sp, p + i, n - i, &done);
		elem_add(sp, p + i, k);
		i += k;
		if (done && (rc = elem_end(sp)) < 0)
			return rc;
	}
	return 0;
}

/* The input ended. */
static int split_end(struct split *sp)
{
	int rc = 0;

	if (sp->state == S_ELEM) {
		if (sp->depth == 0 && !sp->in_str) {
			rc = elem_end(sp);
		} else {
			if (sp->raw == NULL)
				sp->r->st->records++;
			cirt_feed_bad(sp->r->st,
				      sp->raw != NULL ? sp->line : sp->index,
				      "the input ends inside report %" PRId64,
				      sp->index);
		}
	}
	cirt_buf_release(&sp->cur);
	return rc;
}

int cirt_feed_xarf_json(struct cirt_feed_run *r, const char *j, size_t n,
			const char *raw, size_t raw_len, int64_t line)
{
	struct split sp;
	int rc;

	split_init(&sp, r);
	sp.raw = raw;
	sp.raw_len = raw_len;
	sp.line = line;
	rc = split_feed(&sp, j, n);
	if (rc == 0)
		rc = split_end(&sp);
	cirt_buf_release(&sp.cur);
	return rc;
}

/* ---- the run ---- */

/* The first byte of p[0..n) that is not white space or a BOM byte. */
static int first(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!json_ws(p[i]) && (unsigned char)p[i] < 0xbb)
			return (unsigned char)p[i];
	return -1;
}

static int xarf_read(struct cirt_feed_run *r, char *chunk)
{
	struct split sp;
	ssize_t got;
	int rc = 0, c;

	split_init(&sp, r);
	for (;;) {
		got = cirt_feed_read(r->src->fd, chunk, READ_CHUNK, r->d);
		if (got < 0) {
			rc = (int)got;
			break;
		}
		if (got == 0) {
			rc = split_end(&sp);
			break;
		}
		if (sp.state == S_BEFORE) {
			c = first(chunk, (size_t)got);
			if (c != -1 && c != '{' && c != '[') {
				rc = cirt_feed_mail_input(r, chunk,
							  (size_t)got);
				break;
			}
		}
		rc = split_feed(&sp, chunk, (size_t)got);
		if (rc < 0 || sp.state == S_STOP)
			break;
	}
	cirt_buf_release(&sp.cur);
	return rc;
}

static int xarf_run(const struct cirt_feed_src *src, cirt_emit_fn emit,
		    void *arg, struct cirt_feed_stats *st, struct cirt_diag *d)
{
	struct cirt_feed_run r;
	char *chunk;
	int rc;

	cirt_feed_run_init(&r, src, emit, arg, st, d);
	rc = cirt_feed_run_max(&r, CIRT_FEED_MAIL_MAX);
	if (rc == 0) {
		chunk = cirt_xmalloc(READ_CHUNK);
		rc = xarf_read(&r, chunk);
		free(chunk);
	}
	cirt_feed_run_release(&r);
	return rc;
}

const struct cirt_parser cirt_parser_xarf = {
	"xarf",
	"X-ARF v4 JSON reports (v3 converted), one or an array, or an e-mail",
	xarf_run,
};
