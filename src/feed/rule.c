/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Rules (rule.h). The incident is opened through the incident module as
 * the team's "feed" user, like an analyst would; the rule hit is written
 * after it, so a crash between the two can open a second incident on the
 * next run, never lose one.
 */
#include "feed/rule.h"

#include <stdio.h>
#include <string.h>

#include "account/authz.h"
#include "account/org.h"
#include "core/json.h"
#include "core/text.h"
#include "core/time.h"
#include "feed/feed.h"
#include "incident/incident.h"
#include "incident/sla.h"
#include "incident/taxonomy.h"

#include "core/banned.h"

static const struct cirt_sql q_rules = {
	"SELECT id, name, class, type, threshold, window_s, severity, enabled "
	"FROM feed_rules ORDER BY name",
	NULL};
static const struct cirt_sql q_insert = {
	"INSERT INTO feed_rules (name, class, type, threshold, window_s, "
	"severity, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	NULL};
static const struct cirt_sql q_exists = {
	"SELECT id FROM feed_rules WHERE name = ?", NULL};
static const struct cirt_sql q_delete_hits = {
	"DELETE FROM rule_hits WHERE rule_id = ?", NULL};
static const struct cirt_sql q_delete = {"DELETE FROM feed_rules WHERE id = ?",
					 NULL};
static const struct cirt_sql q_count = {
	"SELECT COUNT(*) FROM events WHERE org_id = ? AND class = ? AND "
	"(? = '' OR type = ?) AND time_observation >= ?",
	NULL};
static const struct cirt_sql q_hit = {
	"SELECT 1 FROM rule_hits WHERE rule_id = ? AND org_id = ? AND "
	"opened_at >= ?",
	NULL};
static const struct cirt_sql q_ips = {
	"SELECT DISTINCT src_ip FROM events WHERE org_id = ? AND class = ? "
	"AND (? = '' OR type = ?) AND time_observation >= ? AND src_ip <> '' "
	"ORDER BY src_ip LIMIT 20",
	NULL};
static const struct cirt_sql q_hit_insert = {
	"INSERT INTO rule_hits (rule_id, org_id, incident_id, opened_at) "
	"SELECT ?, ?, id, ? FROM incidents WHERE uuid = ?",
	NULL};
static const struct cirt_sql q_org_name = {"SELECT name FROM orgs WHERE id = ?",
					   NULL};

struct rule {
	int64_t id;
	char name[CIRT_FEED_NAME_MAX + 1];
	char cls[40], type[40];
	int64_t threshold, window_s;
	int severity;
	bool enabled;
};

static void read_rule(struct cirt_stmt *s, struct rule *r)
{
	r->id = cirt_stmt_i64(s, 0);
	snprintf(r->name, sizeof r->name, "%s", cirt_stmt_text(s, 1));
	snprintf(r->cls, sizeof r->cls, "%s", cirt_stmt_text(s, 2));
	snprintf(r->type, sizeof r->type, "%s", cirt_stmt_text(s, 3));
	r->threshold = cirt_stmt_i64(s, 4);
	r->window_s = cirt_stmt_i64(s, 5);
	r->severity = (int)cirt_stmt_i64(s, 6);
	r->enabled = cirt_stmt_i64(s, 7) != 0;
}

static json_t *rule_json(const struct rule *r)
{
	char cls[96];

	snprintf(cls, sizeof cls, "%s%s%s", r->cls, r->type[0] ? ":" : "",
		 r->type);
	return json_pack("{s:s, s:s, s:I, s:I, s:s, s:b}", "name", r->name,
			 "class", cls, "threshold", (json_int_t)r->threshold,
			 "window_s", (json_int_t)r->window_s, "severity",
			 cirt_severity_name(r->severity), "enabled",
			 r->enabled);
}

int cirt_rule_list(struct cirt_db *db, json_t **out, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_rules, d);
	json_t *a;
	int rc;

	*out = NULL;
	if (!s)
		return d->code;
	a = json_array();
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		struct rule r;

		read_rule(s, &r);
		json_array_append_new(a, rule_json(&r));
	}
	cirt_stmt_reset(s);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

static int find_rule(struct cirt_db *db, const char *name, int64_t *id,
		     struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_exists, d);
	int rc;

	if (!s)
		return d->code;
	cirt_stmt_bind_str(s, 1, name);
	rc = cirt_stmt_step(s, d);
	if (rc == CIRT_DB_ROW)
		*id = cirt_stmt_i64(s, 0);
	cirt_stmt_reset(s);
	if (rc < 0)
		return rc;
	return rc == CIRT_DB_ROW ? 0 : -CIRT_ENOTFOUND;
}

int cirt_rule_add(struct cirt_db *db, const struct cirt_actor *who,
		  json_t *body, json_t **out, struct cirt_diag *d)
{
	static const char *const names[] = {"name",   "class",	  "threshold",
					    "window", "severity", "enabled"};
	const char *name, *cls, *window, *sev = NULL;
	struct rule r;
	int64_t id;
	bool has_threshold, has_enabled;
	int64_t threshold;
	int rc;

	if (out)
		*out = NULL;
	memset(&r, 0, sizeof r);
	r.enabled = true;
	r.severity = 1;
	if (!json_is_object(body))
		return cirt_diag_set(d, -CIRT_EINVAL, NULL,
				     "the body must be a JSON object");
	if (cirt_json_only(body, names, 6, d) < 0 ||
	    cirt_json_get_str(body, "name", true, &name, NULL, d) < 0 ||
	    cirt_json_get_str(body, "class", true, &cls, NULL, d) < 0 ||
	    cirt_json_get_str(body, "window", true, &window, NULL, d) < 0 ||
	    cirt_json_get_str(body, "severity", false, &sev, NULL, d) < 0 ||
	    cirt_json_get_int(body, "threshold", true, 1, 1000000, &threshold,
			      &has_threshold, d) < 0 ||
	    cirt_json_get_bool(body, "enabled", &r.enabled, &has_enabled, d) <
		    0)
		return -CIRT_EINVAL;
	if (cirt_text_check_ident(name, strlen(name), CIRT_FEED_NAME_MAX,
				  "name", d) < 0)
		return -CIRT_EINVAL;
	snprintf(r.name, sizeof r.name, "%s", name);
	r.threshold = threshold;
	if (strchr(cls, ':')) {
		const struct cirt_taxonomy_type *t;

		if (cirt_taxonomy_parse(cls, "class", &t, d) < 0)
			return -CIRT_EINVAL;
		snprintf(r.cls, sizeof r.cls, "%s", t->cls);
		snprintf(r.type, sizeof r.type, "%s", t->type);
	} else if (!cirt_taxonomy_is_class(cls)) {
		return cirt_diag_set(d, -CIRT_EINVAL, "class",
				     "'%s' is not a class of the taxonomy",
				     cls);
	} else {
		snprintf(r.cls, sizeof r.cls, "%s", cls);
	}
	if (cirt_duration_parse(window, 60, 366 * 86400, &r.window_s, "window",
				d) < 0)
		return -CIRT_EINVAL;
	if (sev && cirt_severity_parse(sev, &r.severity) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "severity",
				     "must be low, medium, high or critical");
	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	rc = find_rule(db, name, &id, d);
	if (rc == 0)
		rc = cirt_diag_set(d, -CIRT_ECONFLICT, "name",
				   "a rule named '%s' exists already", name);
	else if (rc == -CIRT_ENOTFOUND)
		rc = 0;
	if (rc == 0) {
		struct cirt_stmt *s = cirt_db_stmt(db, &q_insert, d);

		rc = s ? 0 : d->code;
		if (s) {
			cirt_stmt_bind_str(s, 1, r.name);
			cirt_stmt_bind_str(s, 2, r.cls);
			cirt_stmt_bind_str(s, 3, r.type);
			cirt_stmt_bind_i64(s, 4, r.threshold);
			cirt_stmt_bind_i64(s, 5, r.window_s);
			cirt_stmt_bind_i64(s, 6, r.severity);
			cirt_stmt_bind_i64(s, 7, r.enabled);
			cirt_stmt_bind_i64(s, 8, cirt_time_now_us());
			rc = cirt_stmt_exec(s, d);
		}
	}
	if (rc == 0) {
		char object[CIRT_FEED_NAME_MAX + 8];
		json_t *detail = rule_json(&r);

		snprintf(object, sizeof object, "rule:%s", r.name);
		rc = cirt_audit_append(db, who, "rule.add", object, detail, d);
		json_decref(detail);
	}
	rc = cirt_db_end(db, rc, d);
	if (rc == 0 && out)
		*out = rule_json(&r);
	return rc;
}

static int exec_id(struct cirt_db *db, const struct cirt_sql *q, int64_t id,
		   struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, q, d);

	if (!s)
		return d->code;
	cirt_stmt_bind_i64(s, 1, id);
	return cirt_stmt_exec(s, d);
}

int cirt_rule_delete(struct cirt_db *db, const struct cirt_actor *who,
		     const char *name, struct cirt_diag *d)
{
	char object[CIRT_FEED_NAME_MAX + 8];
	int64_t id = 0;
	int rc = cirt_db_begin(db, d);

	if (rc < 0)
		return rc;
	rc = find_rule(db, name, &id, d);
	if (rc == -CIRT_ENOTFOUND)
		rc = cirt_diag_set(d, rc, "name", "no rule named '%s'", name);
	if (rc == 0)
		rc = exec_id(db, &q_delete_hits, id, d);
	if (rc == 0)
		rc = exec_id(db, &q_delete, id, d);
	if (rc == 0) {
		snprintf(object, sizeof object, "rule:%.64s", name);
		rc = cirt_audit_append(db, who, "rule.delete", object, NULL, d);
	}
	return cirt_db_end(db, rc, d);
}

/* Bind the event filter of r for org since: org, class, type, type. */
static void bind_filter(struct cirt_stmt *s, const struct rule *r, int64_t org,
			int64_t since)
{
	cirt_stmt_bind_i64(s, 1, org);
	cirt_stmt_bind_str(s, 2, r->cls);
	cirt_stmt_bind_str(s, 3, r->type);
	cirt_stmt_bind_str(s, 4, r->type);
	cirt_stmt_bind_i64(s, 5, since);
}

/* Whether r fires for org now: enough events, no incident in window. */
static int fires(struct cirt_db *db, const struct rule *r, int64_t org,
		 int64_t since, int64_t *count, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_count, d);
	int rc;

	if (!s)
		return d->code;
	bind_filter(s, r, org, since);
	rc = cirt_stmt_step(s, d);
	*count = rc == CIRT_DB_ROW ? cirt_stmt_i64(s, 0) : 0;
	cirt_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (*count < r->threshold)
		return 0;
	s = cirt_db_stmt(db, &q_hit, d);
	if (!s)
		return d->code;
	cirt_stmt_bind_i64(s, 1, r->id);
	cirt_stmt_bind_i64(s, 2, org);
	cirt_stmt_bind_i64(s, 3, since);
	rc = cirt_stmt_step(s, d);
	cirt_stmt_reset(s);
	if (rc < 0)
		return rc;
	return rc == CIRT_DB_ROW ? 0 : 1;
}

/* The body of the incident r opens for org. */
static int incident_body(struct cirt_db *db, const struct rule *r, int64_t org,
			 int64_t since, int64_t count, json_t **out,
			 struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_org_name, d);
	char name[CIRT_ORG_NAME_MAX + 1] = "", title[256], cls[96];
	json_t *obs;
	int rc;

	if (!s)
		return d->code;
	cirt_stmt_bind_i64(s, 1, org);
	rc = cirt_stmt_step(s, d);
	if (rc == CIRT_DB_ROW)
		snprintf(name, sizeof name, "%s", cirt_stmt_text(s, 0));
	cirt_stmt_reset(s);
	if (rc < 0)
		return rc;
	snprintf(cls, sizeof cls, "%s:%s", r->cls,
		 r->type[0] ? r->type : "other");
	if (!cirt_taxonomy_find(cls))
		snprintf(cls, sizeof cls, "%s", "other:undetermined");
	snprintf(title, sizeof title, "%lld %s event%s for %s",
		 (long long)count, r->type[0] ? r->type : r->cls,
		 count == 1 ? "" : "s", name);
	obs = json_array();
	s = cirt_db_stmt(db, &q_ips, d);
	if (!s) {
		json_decref(obs);
		return d->code;
	}
	bind_filter(s, r, org, since);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		const char *ip = cirt_stmt_text(s, 0);

		json_array_append_new(
			obs,
			json_pack("{s:s, s:s, s:s}", "type",
				  strchr(ip, ':') ? "ipv6-addr" : "ipv4-addr",
				  "value", ip, "role", "target"));
	}
	cirt_stmt_reset(s);
	if (rc < 0) {
		json_decref(obs);
		return rc;
	}
	*out = json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:[s], s:{s:s, s:s}, s:o}", "title",
		title, "description",
		"Opened by a feed rule: the events are listed with `cirtkit "
		"event list --constituent` and GET /api/v1/events.",
		"class", cls, "severity", cirt_severity_name(r->severity),
		"tlp", "amber", "constituents", name, "reporter", "kind",
		"feed", "name", r->name, "observables", obs);
	return 0;
}

static int open_incident(struct cirt_db *db, const struct cirt_actor *who,
			 const struct cirt_config *cfg, const struct rule *r,
			 int64_t org, int64_t since, int64_t count,
			 struct cirt_diag *d)
{
	struct cirt_principal p;
	struct cirt_incident_env env;
	struct cirt_org team;
	json_t *body = NULL, *inc = NULL;
	struct cirt_stmt *s;
	int rc = cirt_org_team(db, &team, d);

	if (rc < 0)
		return rc;
	memset(&p, 0, sizeof p);
	snprintf(p.user, sizeof p.user, "feed");
	p.role = CIRT_ROLE_ADMIN;
	p.org_id = team.id;
	snprintf(p.org, sizeof p.org, "%s", team.name);
	p.org_kind = team.kind;
	p.via = CIRT_VIA_TOKEN; /* authenticated, as the local admin is */
	memset(&env, 0, sizeof env);
	env.p = &p;
	env.actor = who;
	env.prefix = cfg->incident_prefix;
	env.team_domain = cfg->team_domain;
	env.evidence_max = (size_t)cfg->evidence_max;
	rc = incident_body(db, r, org, since, count, &body, d);
	if (rc == 0)
		rc = cirt_incident_create(db, &env, body, &inc, d);
	json_decref(body);
	if (rc < 0)
		return rc;
	rc = cirt_db_begin(db, d);
	if (rc == 0) {
		s = cirt_db_stmt(db, &q_hit_insert, d);
		rc = s ? 0 : d->code;
		if (s) {
			cirt_stmt_bind_i64(s, 1, r->id);
			cirt_stmt_bind_i64(s, 2, org);
			cirt_stmt_bind_i64(s, 3, cirt_time_now_us());
			cirt_stmt_bind_str(s, 4,
					   json_string_value(json_object_get(
						   inc, "uuid")));
			rc = cirt_stmt_exec(s, d);
		}
		rc = cirt_db_end(db, rc, d);
	}
	json_decref(inc);
	return rc;
}

int cirt_rule_apply(struct cirt_db *db, const struct cirt_actor *who,
		    const struct cirt_config *cfg, const int64_t *orgs,
		    size_t n, uint64_t *opened, struct cirt_diag *d)
{
	struct rule rules[64];
	size_t nrules = 0;
	struct cirt_stmt *s;
	int64_t now = cirt_time_now_us();
	int rc;

	*opened = 0;
	if (n == 0)
		return 0;
	s = cirt_db_stmt(db, &q_rules, d);
	if (!s)
		return d->code;
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW &&
	       nrules < CIRT_ARRAY_LEN(rules)) {
		read_rule(s, &rules[nrules]);
		if (rules[nrules].enabled)
			nrules++;
	}
	cirt_stmt_reset(s);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < nrules; i++) {
		int64_t since = now - rules[i].window_s * 1000000;

		for (size_t k = 0; k < n; k++) {
			int64_t count = 0;

			rc = fires(db, &rules[i], orgs[k], since, &count, d);
			if (rc == 1) {
				rc = open_incident(db, who, cfg, &rules[i],
						   orgs[k], since, count, d);
				if (rc == 0)
					(*opened)++;
			}
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}
