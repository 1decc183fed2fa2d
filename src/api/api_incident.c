/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * /api/v1/incidents: the incident workflow over HTTP. Each handler turns
 * the request into a call of incident/incident.h, which checks the input
 * and decides what the caller sees; docs/incidents.md is the reference.
 *
 * Layer: api.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/json.h"
#include "core/parse.h"
#include "incident/incident.h"
#include "core/banned.h"

static void env_of(struct cirt_req *r, struct cirt_incident_env *env)
{
	const struct cirt_http_settings *s = cirt_req_settings(r);

	env->p = cirt_req_principal(r);
	env->actor = cirt_req_actor(r);
	env->prefix = s->incident_prefix;
	env->team_domain = s->team_domain;
	env->schema = s->iodef_schema;
	env->evidence_max = s->max_upload;
}

static const char *id_param(const struct cirt_req *r)
{
	return cirt_req_param(r, "id");
}

/* Answer an incident with its version as the ETag. */
static int reply_incident(struct cirt_req *r, int status, json_t *inc)
{
	char etag[32];
	int rc;

	snprintf(etag, sizeof(etag), "\"%" PRId64 "\"",
		 (int64_t)json_integer_value(json_object_get(inc, "version")));
	rc = cirt_req_reply_json(r, status, inc);
	cirt_req_add_header(r, "ETag", etag);
	return rc;
}

int cirt_api_incident_create(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	char location[96];
	json_t *inc = NULL;
	int rc;

	env_of(r, &env);
	rc = cirt_incident_create(cirt_req_db(r), &env, cirt_req_body(r), &inc,
				  d);
	if (rc < 0)
		return rc;
	snprintf(location, sizeof(location), "/api/v1/incidents/%s",
		 json_string_value(json_object_get(inc, "id")));
	rc = reply_incident(r, 201, inc);
	cirt_req_add_header(r, "Location", location);
	return rc;
}

static int list_one(int64_t cursor, json_t *item, void *arg)
{
	return cirt_api_list_add(arg, cursor, item);
}

int cirt_api_incident_list(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const params[] = {
		"status",   "class",  "severity", "constituent",
		"assignee", "from",   "to",	  "q",
		"sla",	    "within", "limit",	  "cursor",
	};
	struct cirt_incident_filter f;
	struct cirt_incident_env env;
	struct cirt_api_list l;
	const char *key;
	int rc;

	env_of(r, &env);
	cirt_incident_filter_init(&f);
	rc = cirt_api_query_only(r, params, sizeof(params) / sizeof(params[0]),
				 d);
	if (rc == 0)
		rc = cirt_api_page(r, &l, &f.before, d);
	if (rc < 0)
		return rc;
	for (size_t i = 0; rc == 0 && (key = cirt_req_query_key(r, i)); i++)
		if (strcmp(key, "limit") != 0 && strcmp(key, "cursor") != 0)
			rc = cirt_incident_filter_set(cirt_req_db(r), &f, key,
						      cirt_req_query(r, key),
						      d);
	f.limit = l.limit + 1;
	if (rc == 0)
		rc = cirt_incident_list(cirt_req_db(r), &env, &f, list_one, &l,
					d);
	if (rc < 0) {
		cirt_api_list_release(&l);
		return rc;
	}
	return cirt_api_list_reply(r, &l);
}

int cirt_api_incident_get(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	json_t *inc;
	int rc;

	env_of(r, &env);
	rc = cirt_incident_get(cirt_req_db(r), &env, id_param(r), &inc, d);
	return rc < 0 ? rc : reply_incident(r, 200, inc);
}

/* The version the caller saw: If-Match "<n>" or "version" in the body. */
static int seen_version(struct cirt_req *r, int64_t *out, struct cirt_diag *d)
{
	const char *im = cirt_req_header(r, "If-Match");
	json_t *v = json_object_get(cirt_req_body(r), "version");
	char digits[24];
	size_t n;

	if (im) {
		n = strlen(im);
		if (n >= 3 && n < sizeof(digits) + 2 && im[0] == '"' &&
		    im[n - 1] == '"') {
			snprintf(digits, sizeof(digits), "%.*s", (int)(n - 2),
				 im + 1);
			if (cirt_parse_i64(digits, 1, INT64_MAX, out) == 0)
				return 0;
		}
		return cirt_diag_set(d, -CIRT_EINVAL, "If-Match",
				     "If-Match must be the incident's ETag, "
				     "such as \"3\"");
	}
	if (v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return cirt_diag_set(d, -CIRT_EINVAL, "version",
					     "version must be a positive "
					     "integer");
		*out = json_integer_value(v);
		return 0;
	}
	cirt_req_error_status(r, 428);
	return cirt_diag_set(d, -CIRT_EINVAL, "version",
			     "say which version you change: If-Match: "
			     "\"<version>\" or \"version\" in the body");
}

int cirt_api_incident_update(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	int64_t version;
	json_t *inc;
	int rc;

	env_of(r, &env);
	rc = seen_version(r, &version, d);
	if (rc == 0)
		rc = cirt_incident_update(cirt_req_db(r), &env, id_param(r),
					  version, cirt_req_body(r), &inc, d);
	return rc < 0 ? rc : reply_incident(r, 200, inc);
}

int cirt_api_incident_ack(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	json_t *inc;
	int rc;

	env_of(r, &env);
	rc = cirt_json_only(cirt_req_body(r), NULL, 0, d);
	if (rc == 0)
		rc = cirt_incident_ack(cirt_req_db(r), &env, id_param(r), &inc,
				       d);
	return rc < 0 ? rc : reply_incident(r, 200, inc);
}

int cirt_api_incident_timeline(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const params[] = {"limit", "cursor"};
	struct cirt_incident_env env;
	struct cirt_api_list l;
	int64_t after;
	int rc;

	env_of(r, &env);
	rc = cirt_api_query_only(r, params, 2, d);
	if (rc == 0)
		rc = cirt_api_page(r, &l, &after, d);
	if (rc < 0)
		return rc;
	rc = cirt_incident_timeline(cirt_req_db(r), &env, id_param(r), after,
				    l.limit + 1, list_one, &l, d);
	if (rc < 0) {
		cirt_api_list_release(&l);
		return rc;
	}
	return cirt_api_list_reply(r, &l);
}

int cirt_api_incident_timeline_add(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	json_t *entry;
	int rc;

	env_of(r, &env);
	rc = cirt_incident_timeline_add(cirt_req_db(r), &env, id_param(r),
					cirt_req_body(r), &entry, d);
	return rc < 0 ? rc : cirt_req_reply_json(r, 201, entry);
}

int cirt_api_incident_tasks(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	json_t *inc, *tasks;
	int rc;

	env_of(r, &env);
	rc = cirt_incident_get(cirt_req_db(r), &env, id_param(r), &inc, d);
	if (rc < 0)
		return rc;
	tasks = json_object_get(inc, "tasks");
	if (tasks == NULL) {
		json_decref(inc);
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "tasks",
				     "no tasks for %s", id_param(r));
	}
	tasks = json_pack("{s:O}", "items", tasks);
	json_decref(inc);
	return cirt_req_reply_json(r, 200, tasks);
}

int cirt_api_incident_task_add(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	json_t *task;
	int rc;

	env_of(r, &env);
	rc = cirt_incident_task_add(cirt_req_db(r), &env, id_param(r),
				    cirt_req_body(r), &task, d);
	return rc < 0 ? rc : cirt_req_reply_json(r, 201, task);
}

int cirt_api_incident_task_update(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	int64_t task;
	json_t *out;
	int rc;

	env_of(r, &env);
	rc = cirt_api_param_id(r, "task", &task, d);
	if (rc == 0)
		rc = cirt_incident_task_update(cirt_req_db(r), &env,
					       id_param(r), task,
					       cirt_req_body(r), &out, d);
	return rc < 0 ? rc : cirt_req_reply_json(r, 200, out);
}

/* Changes that answer the incident as it now is. */
static int reply_current(struct cirt_req *r, struct cirt_incident_env *env,
			 int status, struct cirt_diag *d)
{
	json_t *inc;
	int rc = cirt_incident_get(cirt_req_db(r), env, id_param(r), &inc, d);

	return rc < 0 ? rc : reply_incident(r, status, inc);
}

int cirt_api_incident_relate(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const fields[] = {"relation", "incident"};
	struct cirt_incident_env env;
	const char *rel, *other;
	json_t *b = cirt_req_body(r);
	int rc;

	env_of(r, &env);
	rc = cirt_json_only(b, fields, 2, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "relation", true, &rel, NULL, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "incident", true, &other, NULL, d);
	if (rc == 0)
		rc = cirt_incident_relate(cirt_req_db(r), &env, id_param(r),
					  rel, other, false, d);
	return rc < 0 ? rc : reply_current(r, &env, 201, d);
}

int cirt_api_incident_unrelate(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	int rc;

	env_of(r, &env);
	rc = cirt_incident_relate(cirt_req_db(r), &env, id_param(r),
				  cirt_req_param(r, "relation"),
				  cirt_req_param(r, "other"), true, d);
	return rc < 0 ? rc : reply_current(r, &env, 200, d);
}

int cirt_api_incident_observable_add(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	int rc;

	env_of(r, &env);
	rc = cirt_incident_observable_add(cirt_req_db(r), &env, id_param(r),
					  cirt_req_body(r), d);
	return rc < 0 ? rc : reply_current(r, &env, 201, d);
}

int cirt_api_incident_link(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const fields[] = {"id"};
	struct cirt_incident_env env;
	json_t *b = cirt_req_body(r);
	const char *stix_id;
	int rc;

	env_of(r, &env);
	rc = cirt_json_only(b, fields, 1, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "id", true, &stix_id, NULL, d);
	if (rc == 0)
		rc = cirt_incident_link(cirt_req_db(r), &env, id_param(r),
					stix_id, false, d);
	return rc < 0 ? rc : reply_current(r, &env, 201, d);
}

int cirt_api_incident_unlink(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	int rc;

	env_of(r, &env);
	rc = cirt_incident_link(cirt_req_db(r), &env, id_param(r),
				cirt_req_param(r, "stix_id"), true, d);
	return rc < 0 ? rc : reply_current(r, &env, 200, d);
}

int cirt_api_incident_evidence_add(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const params[] = {"name"};
	const char *name = cirt_req_query(r, "name");
	const char *type = cirt_req_header(r, "Content-Type");
	struct cirt_incident_env env;
	const char *bytes;
	json_t *out;
	size_t len;
	int rc;

	env_of(r, &env);
	rc = cirt_api_query_only(r, params, 1, d);
	if (rc < 0)
		return rc;
	if (name == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, "name",
				     "give the file's name: ?name=FILE");
	bytes = cirt_req_raw_body(r, &len);
	rc = cirt_incident_evidence_add(cirt_req_db(r), &env, id_param(r), name,
					type, bytes, len, &out, d);
	return rc < 0 ? rc : cirt_req_reply_json(r, 201, out);
}

int cirt_api_incident_evidence_list(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	json_t *items;
	int rc;

	env_of(r, &env);
	rc = cirt_incident_evidence_list(cirt_req_db(r), &env, id_param(r),
					 &items, d);
	return rc < 0 ? rc
		      : cirt_req_reply_json(r, 200,
					    json_pack("{s:o}", "items", items));
}

int cirt_api_incident_evidence_get(struct cirt_req *r, struct cirt_diag *d)
{
	char type[128], name[256], disposition[320];
	struct cirt_incident_env env;
	struct cirt_buf out;
	size_t len;
	char *bytes;
	int rc;

	env_of(r, &env);
	cirt_buf_init(&out, SIZE_MAX / 2);
	rc = cirt_incident_evidence_get(cirt_req_db(r), &env, id_param(r),
					cirt_req_param(r, "sha256"), &out, type,
					name, d);
	if (rc < 0) {
		cirt_buf_release(&out);
		return rc;
	}
	bytes = cirt_buf_detach(&out, &len);
	rc = cirt_req_reply_text(r, 200, type, bytes, len);
	/* The name was checked on the way in: no quotes, one line. */
	snprintf(disposition, sizeof(disposition),
		 "attachment; filename=\"%s\"",
		 strchr(name, '"') ? "evidence" : name);
	cirt_req_add_header(r, "Content-Disposition", disposition);
	return rc;
}

int cirt_api_incident_iodef(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	struct cirt_buf out;
	size_t len;
	char *xml;
	int rc;

	env_of(r, &env);
	cirt_buf_init(&out, 64u << 20);
	rc = cirt_incident_export_iodef(cirt_req_db(r), &env, id_param(r), &out,
					d);
	if (rc < 0) {
		cirt_buf_release(&out);
		return rc;
	}
	xml = cirt_buf_detach(&out, &len);
	return cirt_req_reply_text(r, 200, "application/iodef+xml", xml, len);
}

int cirt_api_incident_stix(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_incident_env env;
	struct cirt_buf out;
	size_t len;
	char *json;
	int rc;

	env_of(r, &env);
	cirt_buf_init(&out, 64u << 20);
	rc = cirt_incident_export_stix(cirt_req_db(r), &env, id_param(r), &out,
				       d);
	if (rc < 0) {
		cirt_buf_release(&out);
		return rc;
	}
	json = cirt_buf_detach(&out, &len);
	return cirt_req_reply_text(r, 200, "application/stix+json;version=2.1",
				   json, len);
}

int cirt_api_incident_import(struct cirt_req *r, struct cirt_diag *d)
{
	const char *type = cirt_req_header(r, "Content-Type");
	json_t *errors = json_array(), *created = NULL, *existing = NULL;
	struct cirt_incident_env env;
	const char *xml;
	json_t *body;
	size_t len;
	int rc;

	env_of(r, &env);
	if (type == NULL || (strncmp(type, "application/iodef+xml", 21) != 0 &&
			     strncmp(type, "application/xml", 15) != 0 &&
			     strncmp(type, "text/xml", 8) != 0)) {
		json_decref(errors);
		return cirt_diag_set(d, -CIRT_EMEDIA, "Content-Type",
				     "Content-Type must be "
				     "application/iodef+xml");
	}
	xml = cirt_req_raw_body(r, &len);
	rc = cirt_incident_import(cirt_req_db(r), &env, xml, len, errors,
				  &created, &existing, d);
	if (rc < 0 && json_array_size(errors) > 0) {
		/* The error shape, with every schema error by line. */
		body = json_pack("{s:{s:s, s:s, s:s, s:o}}", "error", "code",
				 "invalid", "message", d->message, "field",
				 "document", "errors", errors);
		return cirt_req_reply_json(r, 400, body);
	}
	json_decref(errors);
	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 201,
				   json_pack("{s:o, s:o}", "created", created,
					     "existing", existing));
}

int cirt_api_incident_share(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const fields[] = {"collection"};
	struct cirt_incident_env env;
	json_t *b = cirt_req_body(r), *out;
	const char *coll;
	int rc;

	env_of(r, &env);
	rc = cirt_json_only(b, fields, 1, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "collection", true, &coll, NULL, d);
	if (rc == 0)
		rc = cirt_incident_share(cirt_req_db(r), &env, id_param(r),
					 coll, &out, d);
	return rc < 0 ? rc : cirt_req_reply_json(r, 200, out);
}
