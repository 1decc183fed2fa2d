/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * What surrounds the incidents rather than being one: /api/v1/sla (the
 * targets per severity), /api/v1/playbooks (task templates per class),
 * /api/v1/taxonomy (the classification) and /api/v1/stats (the national
 * statistics, JSON or CSV). The route table names who may call which
 * (api_routes.c); these handlers only read their input and answer.
 * Lists that are never paged still answer {"items": [...]}.
 *
 * Layer: api. Runs on worker threads with the request's connection.
 */
#include "api/api.h"

#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/time.h"
#include "incident/playbook.h"
#include "incident/sla.h"
#include "incident/stats.h"
#include "incident/taxonomy.h"
#include "core/banned.h"

#define CSV_MAX (64u << 20)

int cirt_api_sla_list(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_sla_target t[CIRT_SEVERITY_COUNT];
	int rc;

	rc = cirt_api_query_only(r, NULL, 0, d);
	if (rc == 0)
		rc = cirt_sla_targets(cirt_req_db(r), t, d);
	if (rc < 0)
		return rc;
	return cirt_api_reply_items(r, cirt_sla_targets_json(t));
}

int cirt_api_sla_set(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const fields[] = {"acknowledge_minutes",
					     "resolve_minutes"};
	const char *name = cirt_req_param(r, "severity");
	json_t *b = cirt_req_body(r);
	struct cirt_sla_target t;
	bool present;
	int sev, rc;

	if (cirt_severity_parse(name, &sev) < 0)
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "severity",
				     "no severity '%.32s'; severities: low, "
				     "medium, high, critical",
				     name);
	rc = cirt_json_only(b, fields, 2, d);
	if (rc == 0)
		rc = cirt_json_get_int(b, "acknowledge_minutes", true, 1,
				       525600, &t.acknowledge_minutes, &present,
				       d);
	if (rc == 0)
		rc = cirt_json_get_int(b, "resolve_minutes", true, 1, 525600,
				       &t.resolve_minutes, &present, d);
	if (rc == 0)
		rc = cirt_sla_set(cirt_req_db(r), cirt_req_actor(r), sev, &t,
				  d);
	if (rc < 0)
		return rc;
	return cirt_req_reply_json(
		r, 200,
		json_pack("{s:s, s:I, s:I}", "severity",
			  cirt_severity_name(sev), "acknowledge_minutes",
			  (json_int_t)t.acknowledge_minutes, "resolve_minutes",
			  (json_int_t)t.resolve_minutes));
}

int cirt_api_playbook_list(struct cirt_req *r, struct cirt_diag *d)
{
	json_t *all = NULL;
	int rc;

	rc = cirt_api_query_only(r, NULL, 0, d);
	if (rc == 0)
		rc = cirt_playbook_list(cirt_req_db(r), &all, d);
	if (rc < 0)
		return rc;
	return cirt_api_reply_items(r, all);
}

int cirt_api_playbook_get(struct cirt_req *r, struct cirt_diag *d)
{
	json_t *p = NULL;
	int rc;

	rc = cirt_playbook_get(cirt_req_db(r), cirt_req_param(r, "name"), &p,
			       d);
	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 200, p);
}

/* 201 when the playbook is new, 200 when it was replaced. */
int cirt_api_playbook_put(struct cirt_req *r, struct cirt_diag *d)
{
	const char *name = cirt_req_param(r, "name");
	struct cirt_db *db = cirt_req_db(r);
	json_t *p = NULL;
	int existed, rc;

	existed = cirt_playbook_get(db, name, NULL, NULL) == 0;
	rc = cirt_playbook_put(db, cirt_req_actor(r), name, cirt_req_body(r),
			       &p, d);
	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, existed ? 200 : 201, p);
}

int cirt_api_playbook_delete(struct cirt_req *r, struct cirt_diag *d)
{
	int rc = cirt_playbook_delete(cirt_req_db(r), cirt_req_actor(r),
				      cirt_req_param(r, "name"), d);

	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 204, NULL);
}

int cirt_api_taxonomy(struct cirt_req *r, struct cirt_diag *d)
{
	int rc = cirt_api_query_only(r, NULL, 0, d);

	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 200, cirt_taxonomy_json());
}

/* Query parameter name as a time (YYYY-MM-DD or RFC 3339), 0 if absent. */
static int query_time(const struct cirt_req *r, const char *name, int64_t *us,
		      struct cirt_diag *d)
{
	const char *s = cirt_req_query(r, name);
	const char *why = NULL;

	*us = 0;
	if (s == NULL)
		return 0;
	if (cirt_time_parse_day(s, us, &why) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, name,
				     "%s '%.40s' %s (YYYY-MM-DD or RFC 3339)",
				     name, s, why ? why : "is not a date");
	return 0;
}

static int reply_csv(struct cirt_req *r, json_t *stats, struct cirt_diag *d)
{
	struct cirt_buf b;
	size_t len;
	char *text;
	int rc;

	cirt_buf_init(&b, CSV_MAX);
	rc = cirt_stats_csv(stats, &b);
	json_decref(stats);
	if (rc < 0)
		return cirt_diag_set(d, -CIRT_ELIMIT, "by",
				     "the statistics are larger than %u bytes "
				     "of CSV",
				     CSV_MAX);
	text = cirt_buf_detach(&b, &len);
	return cirt_req_reply_text(r, 200, "text/csv; charset=utf-8", text,
				   len);
}

int cirt_api_stats(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const params[] = {"by", "from", "to", "format"};
	const char *by_s = cirt_req_query(r, "by");
	const char *format = cirt_req_query(r, "format");
	enum cirt_stats_by by = CIRT_STATS_CLASS;
	int64_t from, to;
	json_t *out = NULL;
	int rc;

	rc = cirt_api_query_only(r, params, 4, d);
	if (rc == 0 && by_s && cirt_stats_by_parse(by_s, &by) < 0)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "by",
				   "by must be class, sector, constituent or "
				   "month");
	if (rc == 0 && format && strcmp(format, "json") &&
	    strcmp(format, "csv"))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "format",
				   "format must be json or csv");
	if (rc == 0)
		rc = query_time(r, "from", &from, d);
	if (rc == 0)
		rc = query_time(r, "to", &to, d);
	if (rc == 0)
		rc = cirt_stats(cirt_req_db(r), by, from, to, &out, d);
	if (rc < 0)
		return rc;
	if (format && strcmp(format, "csv") == 0)
		return reply_csv(r, out, d);
	return cirt_req_reply_json(r, 200, out);
}
