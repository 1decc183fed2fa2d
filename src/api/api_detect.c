/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * /api/v1/detect (detect/detect.h): logs posted to the server are
 * matched against its live indicator set, and the set's report. What a
 * match names is cut to the caller's TLP ceiling (account/authz.h).
 *
 * Layer: api.
 */
#include <string.h>

#include "account/authz.h"
#include "api/api.h"
#include "core/json.h"
#include "core/tlp.h"
#include "detect/detect.h"

#include "core/banned.h"

/* Matches listed in one answer; the summary counts them all. */
#define MATCHES_MAX 10000

static int live_set(struct cirt_req *r, struct cirt_detect_set **out,
		    struct cirt_diag *d)
{
	const struct cirt_http_settings *set = cirt_req_settings(r);

	*out = set->detect ? cirt_detect_live_get(set->detect) : NULL;
	if (!*out)
		return cirt_diag_set(d, -CIRT_EAGAIN, "indicators",
				     "the indicator set is being compiled; "
				     "try again in a few seconds");
	return 0;
}

int cirt_api_detect_indicators(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_detect_set *s = NULL;
	json_t *rep;
	int rc = cirt_api_query_only(r, NULL, 0, d);

	if (rc == 0)
		rc = live_set(r, &s, d);
	if (rc < 0 || !s)
		return rc;
	rep = json_deep_copy(s->report);
	cirt_detect_set_drop(s);
	return cirt_req_reply_json(r, 200, rep);
}

struct collect {
	json_t *matches;
	int ceiling;
	bool truncated;
};

static int on_match(const struct cirt_detect_match *mt, void *arg)
{
	struct collect *c = arg;
	json_t *o;

	if (json_array_size(c->matches) >= MATCHES_MAX) {
		c->truncated = true;
		return 0;
	}
	o = cirt_detect_match_obj(mt, c->ceiling);
	if (o)
		json_array_append_new(c->matches, o);
	return 0;
}

/* POST /api/v1/detect/logs?format=&fields=&source=&store=: the body is
 * a log. */
int cirt_api_detect_logs(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const q[] = {"format", "fields", "source", "store"};
	const struct cirt_http_settings *hs = cirt_req_settings(r);
	const char *format = cirt_req_query(r, "format");
	const char *source = cirt_req_query(r, "source");
	const char *store = cirt_req_query(r, "store");
	struct cirt_detect_store st = {cirt_req_db(r), hs->cfg,
				       cirt_req_actor(r)};
	struct collect c = {json_array(),
			    cirt_authz_tlp_ceiling(cirt_req_principal(r)),
			    false};
	struct cirt_log_map *map = NULL;
	struct cirt_detect_set *s = NULL;
	struct cirt_detect_run *run = NULL;
	struct cirt_detect_stats stats;
	const char *body, *enc;
	size_t len;
	int fmt = CIRT_LOG_AUTO, rc;
	json_t *bad;

	rc = cirt_api_query_only(r, q, 4, d);
	if (rc == 0 && format && (fmt = cirt_log_format_parse(format)) < 0)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "format",
				   "must be one of zeek, zeek-json, eve, bind, "
				   "squid, csv, auto");
	if (rc == 0 && store && strcmp(store, "true") != 0 &&
	    strcmp(store, "false") != 0)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "store",
				   "must be true or false");
	if (rc == 0 && source && (!*source || strlen(source) > 200))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "source",
				   "must be 1 to 200 bytes");
	enc = cirt_req_header(r, "Content-Encoding");
	if (rc == 0 && enc && strcmp(enc, "identity") != 0)
		rc = cirt_diag_set(d, -CIRT_EMEDIA, "Content-Encoding",
				   "'%.40s' is not taken: send the log as "
				   "plain text",
				   enc);
	if (rc == 0)
		rc = cirt_log_map_parse(cirt_req_query(r, "fields"), &map, d);
	if (rc == 0)
		rc = live_set(r, &s, d);
	if (rc < 0)
		goto out;
	body = cirt_req_raw_body(r, &len);
	run = cirt_detect_run_new(
		s, store && strcmp(store, "false") == 0 ? NULL : &st, on_match,
		&c);
	rc = cirt_detect_run_mem(run, body, len, source ? source : "request",
				 (enum cirt_log_format)fmt, map, d);
	if (rc == 0)
		rc = cirt_detect_run_finish(run, &stats, d);
	if (rc < 0)
		goto out;
	bad = json_array();
	for (size_t i = 0; i < stats.log.malformed && i < CIRT_LOG_BAD_KEEP;
	     i++)
		json_array_append_new(
			bad, json_pack("{s:I, s:s}", "line",
				       (json_int_t)stats.log.bad[i].line,
				       "reason", stats.log.bad[i].reason));
	rc = cirt_req_reply_json(
		r, 200,
		json_pack("{s:o, s:b, s:{s:I, s:I, s:I, s:I, s:o}, s:{s:I, "
			  "s:I, s:I}, s:o}",
			  "matches", c.matches, "truncated", c.truncated,
			  "summary", "lines", (json_int_t)stats.log.lines,
			  "records", (json_int_t)stats.log.records, "matches",
			  (json_int_t)stats.matches, "malformed",
			  (json_int_t)stats.log.malformed, "malformed_lines",
			  bad, "recorded", "sightings",
			  (json_int_t)stats.sightings, "events",
			  (json_int_t)stats.events, "incidents",
			  (json_int_t)stats.incidents, "indicators",
			  json_pack("{s:o, s:O}", "compiled_at",
				    cirt_json_time(s->compiled_at), "values",
				    json_object_get(s->report, "values"))));
	c.matches = NULL;
out:
	json_decref(c.matches);
	cirt_detect_run_free(run);
	cirt_detect_set_drop(s);
	cirt_log_map_free(map);
	return rc;
}
