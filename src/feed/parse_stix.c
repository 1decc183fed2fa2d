/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The "stix" parser: a STIX 2.1 bundle or a TAXII envelope (any object
 * with an "objects" array), read one object at a time by
 * cirt_bundle_read (stix/stix_bundle.h), so memory is one object whatever
 * the bundle's size. Every object is a record; these give events:
 *
 *  - an indicator (not revoked, pattern_type stix or absent) whose
 *    pattern is one '=' comparison of the value of an ipv4-addr,
 *    ipv6-addr, domain-name or url: source.ip (source.network for a
 *    CIDR), source.fqdn or source.url; valid_from is time.source;
 *    indicator_types "compromised" makes it malicious-code:
 *    infected-system, else "anonymization" other:other, else it is left
 *    for the feed's default;
 *  - an SCO of those four types at the top level, by its value.
 * Other objects, and indicators with any other pattern (several
 * comparisons, other observables, other operators), are records without
 * an event, not malformed ones; an indicator whose pattern does not parse
 * (stix/stix_pattern.h), or a value that is not what its type says, is
 * malformed. It does not validate STIX objects (stix_validate.c does).
 *
 * The most restrictive TLP marking among object_marking_refs (TLP 2.0 or
 * 1.0 marking-definition ids, stix/stix_tlp.h) is the event's tlp. extra
 * holds stix_id, name and indicator_types; raw is the object's bytes as
 * received.
 *
 * Limits: one object at most 16 MiB (parser option max=), nesting 64
 * (cirt_bundle_default_limits); the pattern parser's own limits. A bundle
 * that is not JSON, or breaks off, stops the run with the reader's error
 * (after the events before it).
 *
 * Layer: feed. A run is single-threaded and keeps no global state.
 */
#include "feed/parser.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "stix/stix_bundle.h"
#include "stix/stix_pattern.h"
#include "stix/stix_tlp.h"
#include "feed/parse_int.h"
#include "core/banned.h"

#define JOIN_MAX 1024

/* The four observable types that make events. */
static bool observable(const char *type)
{
	return strcmp(type, "ipv4-addr") == 0 ||
	       strcmp(type, "ipv6-addr") == 0 ||
	       strcmp(type, "domain-name") == 0 || strcmp(type, "url") == 0;
}

/* Set the source from the value v of an observable of type type: 1, or
 * 0 after counting the record as malformed. */
static int set_value(struct cirt_feed_run *r, const char *type, const char *v)
{
	size_t n = strlen(v);
	bool v4 = strcmp(type, "ipv4-addr") == 0;

	if (strcmp(type, "domain-name") == 0)
		return cirt_feed_run_set(r, "source.fqdn", v, n) == 0;
	if (strcmp(type, "url") == 0)
		return cirt_feed_run_set(r, "source.url", v, n) == 0;
	if (cirt_feed_run_set(
		    r, strchr(v, '/') != NULL ? "source.network" : "source.ip",
		    v, n) < 0)
		return 0;
	if (cirt_ip_is_v4(&r->ev.src.ip) != v4) {
		cirt_feed_bad(r->st, r->ev.line,
			      "value: \"%.60s\" is not an %s address", v,
			      v4 ? "IPv4" : "IPv6");
		return 0;
	}
	return 1;
}

/* The one usable comparison of pattern text, or none (*type NULL). The
 * strings live as long as *p. 0, or -1 if the pattern does not parse
 * (counted as malformed). */
static int pattern_value(struct cirt_feed_run *r, const char *text,
			 struct cirt_pattern **p, const char **type,
			 const char **value)
{
	struct cirt_pattern_term *t = NULL;
	struct cirt_diag d;
	size_t n = 0;

	*type = *value = NULL;
	cirt_diag_init(&d);
	if (cirt_pattern_parse(text, strlen(text), p, &d) < 0) {
		cirt_feed_bad(r->st, r->ev.line, "pattern: %s", d.message);
		return -1;
	}
	cirt_diag_init(&d);
	if (cirt_pattern_terms(*p, &t, &n, &d) == 0 && n == 1 &&
	    t[0].op == CIRT_PATTERN_OP_EQ && strcmp(t[0].path, "value") == 0 &&
	    t[0].nvalues == 1 && t[0].values[0].kind == CIRT_PATTERN_V_STRING &&
	    observable(t[0].type)) {
		*type = t[0].type;
		*value = t[0].values[0].str;
	}
	free(t);
	return 0;
}

/* The classification from indicator_types. */
static void indicator_class(struct cirt_feed_run *r, const json_t *types)
{
	const json_t *e;
	const char *v;
	bool anon = false;
	size_t i;

	json_array_foreach (types, i, e) {
		v = json_string_value(e);
		if (v == NULL)
			continue;
		if (strcmp(v, "compromised") == 0) {
			cirt_event_classify(&r->ev, "malicious-code",
					    "infected-system");
			return;
		}
		anon = anon || strcmp(v, "anonymization") == 0;
	}
	if (anon)
		cirt_event_classify(&r->ev, "other", "other");
}

/* An indicator: 1 to emit, 0 not (no event, or counted as malformed). */
static int indicator(struct cirt_feed_run *r, const json_t *o)
{
	const char *pt = cirt_feed_json_str(o, "pattern_type");
	const char *text = cirt_feed_json_str(o, "pattern");
	const char *from = cirt_feed_json_str(o, "valid_from");
	const char *type, *value;
	struct cirt_pattern *p = NULL;
	int64_t us;
	int rc = 0;

	if (json_is_true(json_object_get(o, "revoked")) ||
	    (pt != NULL && strcmp(pt, "stix") != 0))
		return 0;
	if (text == NULL) {
		cirt_feed_bad(r->st, r->ev.line, "pattern: missing");
		return 0;
	}
	if (pattern_value(r, text, &p, &type, &value) == 0 && type != NULL)
		rc = set_value(r, type, value);
	cirt_pattern_free(p);
	if (rc != 1)
		return 0;
	if (from != NULL) {
		if (cirt_event_parse_time(from, strlen(from), &us) < 0) {
			cirt_feed_bad(r->st, r->ev.line,
				      "valid_from: \"%.60s\" is not a time",
				      from);
			return 0;
		}
		r->ev.time_source = us;
	}
	indicator_class(r, json_object_get(o, "indicator_types"));
	return 1;
}

/* An SCO of one of the four types. */
static int sco(struct cirt_feed_run *r, const json_t *o, const char *type)
{
	const char *v = cirt_feed_json_str(o, "value");

	if (v == NULL || v[0] == '\0') {
		cirt_feed_bad(r->st, r->ev.line, "value: missing");
		return 0;
	}
	return set_value(r, type, v);
}

/* The most restrictive TLP of object_marking_refs. */
static void marking(struct cirt_feed_run *r, const json_t *o)
{
	const json_t *e;
	enum cirt_tlp t = CIRT_TLP_NONE;
	const char *v;
	size_t i;

	json_array_foreach (json_object_get(o, "object_marking_refs"), i, e) {
		v = json_string_value(e);
		if (v != NULL)
			t = cirt_tlp_max(t, cirt_tlp_of_marking(v));
	}
	if (t != CIRT_TLP_NONE)
		r->ev.tlp = (int)t;
}

/* stix_id, name and indicator_types into extra: 0 or -1. */
static int extras(struct cirt_feed_run *r, const json_t *o)
{
	const json_t *e;
	const char *v;
	char buf[JOIN_MAX];
	size_t len = 0, i;

	v = cirt_feed_json_str(o, "id");
	if (v != NULL && cirt_feed_run_extra(r, "stix_id", v, strlen(v)) < 0)
		return -1;
	v = cirt_feed_json_str(o, "name");
	if (v != NULL && cirt_feed_run_extra(r, "name", v, strlen(v)) < 0)
		return -1;
	json_array_foreach (json_object_get(o, "indicator_types"), i, e) {
		v = json_string_value(e);
		if (v != NULL && v[0] != '\0') /* what does not fit is left */
			cirt_feed_join(buf, sizeof(buf), &len, ", ", v,
				       strlen(v));
	}
	if (len > 0 && cirt_feed_run_extra(r, "indicator_types", buf, len) < 0)
		return -1;
	return 0;
}

/* cirt_bundle_fn: one object. */
static int object(const char *bytes, size_t len, json_t *o, size_t index,
		  void *arg)
{
	struct cirt_feed_run *r = arg;
	const char *type = cirt_feed_json_str(o, "type");
	int rc;

	r->st->records++;
	cirt_feed_rec_begin(r, (int64_t)index + 1);
	if (type == NULL) {
		cirt_feed_bad(r->st, r->ev.line, "type: missing");
		return 0;
	}
	if (strcmp(type, "indicator") == 0)
		rc = indicator(r, o);
	else if (observable(type))
		rc = sco(r, o, type);
	else
		rc = 0;
	if (rc != 1)
		return 0;
	marking(r, o);
	if (extras(r, o) < 0)
		return 0;
	return cirt_feed_run_emit(r, bytes, len);
}

static int stix_run(const struct cirt_feed_src *src, cirt_emit_fn emit,
		    void *arg, struct cirt_feed_stats *st, struct cirt_diag *d)
{
	struct cirt_bundle_src bs = {src->fd, NULL, 0};
	struct cirt_bundle_limits lim = cirt_bundle_default_limits;
	struct cirt_bundle_info info;
	struct cirt_feed_run r;
	int rc;

	cirt_feed_run_init(&r, src, emit, arg, st, d);
	rc = cirt_feed_run_max(&r, lim.object_max);
	if (rc == 0) {
		lim.object_max = r.max;
		rc = cirt_bundle_read(&bs, &lim, object, &r, &info, d);
		cirt_bundle_info_release(&info);
	}
	cirt_feed_run_release(&r);
	return rc;
}

const struct cirt_parser cirt_parser_stix = {
	"stix",
	"STIX 2.1 bundle or TAXII envelope: indicators and IP, domain and "
	"URL observables",
	stix_run,
};
