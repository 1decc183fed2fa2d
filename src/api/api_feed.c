/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Handlers of the constituency and feed routes: /api/v1/constituents,
 * /feeds, /rules, /events and /notifications. Each hands the body to the
 * same function the command line calls. Who sees which events is decided
 * by account/authz.c (cirt_authz_event_ceiling and the action's scope)
 * and applied in the event query's SQL.
 *
 * Layer: api.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account/authz.h"
#include "account/org.h"
#include "api/api.h"
#include "core/parse.h"
#include "core/time.h"
#include "feed/constituent.h"
#include "feed/events.h"
#include "feed/feed.h"
#include "feed/rule.h"
#include "notify/notify.h"

#include "core/banned.h"

int cirt_api_constituent_list(struct cirt_req *r, struct cirt_diag *d)
{
	const struct cirt_principal *p = cirt_req_principal(r);
	json_t *all = NULL;
	int rc = cirt_api_query_only(r, NULL, 0, d);

	if (rc == 0)
		rc = cirt_constituent_list(cirt_req_db(r), &all, d);
	if (rc < 0)
		return rc;
	if (cirt_authz_scope(p, CIRT_ACT_CONSTITUENCY_READ) != CIRT_SCOPE_ALL) {
		/* A constituent sees itself only. */
		json_t *mine = json_array(), *e;
		size_t i;

		json_array_foreach (all, i, e)
			if (strcmp(json_string_value(
					   json_object_get(e, "name")),
				   p->org) == 0)
				json_array_append(mine, e);
		json_decref(all);
		all = mine;
	}
	return cirt_api_reply_items(r, all);
}

int cirt_api_constituent_get(struct cirt_req *r, struct cirt_diag *d)
{
	const struct cirt_principal *p = cirt_req_principal(r);
	const char *name = cirt_req_param(r, "name");
	json_t *c = NULL;
	int rc;

	if (cirt_authz_scope(p, CIRT_ACT_CONSTITUENCY_READ) != CIRT_SCOPE_ALL &&
	    strcmp(name, p->org) != 0)
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "name",
				     "no constituent named '%s'", name);
	rc = cirt_constituent_get(cirt_req_db(r), name, &c, d);
	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 200, c);
}

int cirt_api_constituent_create(struct cirt_req *r, struct cirt_diag *d)
{
	json_t *c = NULL;
	int rc = cirt_constituent_add(cirt_req_db(r), cirt_req_actor(r),
				      cirt_req_body(r), &c, d);

	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 201, c);
}

/* A CSV body (text/csv) to a file descriptor the CSV reader can take. */
int cirt_api_constituent_import(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_constituent_import res;
	size_t len = 0;
	const char *csv = cirt_req_raw_body(r, &len);
	const char *type = cirt_req_header(r, "Content-Type");
	char path[] = "/tmp/cirtkit-import-XXXXXX";
	int fd, rc;

	if (!type || strncmp(type, "text/csv", 8) != 0)
		return cirt_diag_set(d, -CIRT_EMEDIA, "Content-Type",
				     "the body must be text/csv");
	fd = mkstemp(path);
	if (fd < 0)
		return cirt_diag_set(d, -CIRT_EIO, NULL,
				     "cannot make a temporary file");
	unlink(path);
	rc = write(fd, csv ? csv : "", len) == (ssize_t)len &&
			     lseek(fd, 0, SEEK_SET) == 0
		     ? 0
		     : cirt_diag_set(d, -CIRT_EIO, NULL,
				     "cannot write a temporary file");
	if (rc == 0)
		rc = cirt_constituent_import_csv(
			cirt_req_db(r), cirt_req_actor(r), fd, &res, d);
	close(fd);
	if (rc < 0)
		return rc;
	return cirt_req_reply_json(
		r, 200,
		json_pack("{s:I, s:I, s:I, s:I}", "rows", (json_int_t)res.rows,
			  "created", (json_int_t)res.created, "networks",
			  (json_int_t)res.networks, "contacts",
			  (json_int_t)res.contacts));
}

int cirt_api_feed_list(struct cirt_req *r, struct cirt_diag *d)
{
	json_t *all = NULL;
	int rc = cirt_api_query_only(r, NULL, 0, d);

	if (rc == 0)
		rc = cirt_feed_list(cirt_req_db(r), &all, d);
	if (rc < 0)
		return rc;
	return cirt_api_reply_items(r, all);
}

/*
 * A feed added through the API reads local files (file, dir, maildir)
 * only below the feed_root setting: an API token must not turn the
 * server's own files (its keys, /etc) into events to read back. The
 * command line, run by the machine's own user, is not limited.
 */
static int local_allowed(const struct cirt_config *cfg, json_t *body,
			 struct cirt_diag *d)
{
	static const char *const local[] = {"file", "dir", "maildir"};
	char root[PATH_MAX], real[PATH_MAX];

	for (size_t i = 0; i < 3; i++) {
		const char *v =
			json_string_value(json_object_get(body, local[i]));
		size_t n;

		if (!v)
			continue;
		if (!cfg->feed_root[0] || !realpath(cfg->feed_root, root))
			return cirt_diag_set(d, -CIRT_EPERM, local[i],
					     "local files can be feeds through "
					     "the API only below the "
					     "feed_root setting, which is not "
					     "set; use the command line");
		n = strlen(root);
		if (!realpath(v, real) || strncmp(real, root, n) != 0 ||
		    (real[n] != '/' && real[n] != '\0'))
			return cirt_diag_set(d, -CIRT_EPERM, local[i],
					     "%s is not below feed_root (%s)",
					     v, cfg->feed_root);
	}
	return 0;
}

int cirt_api_feed_create(struct cirt_req *r, struct cirt_diag *d)
{
	json_t *f = NULL;
	int rc = local_allowed(cirt_req_settings(r)->cfg, cirt_req_body(r), d);

	if (rc == 0)
		rc = cirt_feed_add(cirt_req_db(r), cirt_req_actor(r),
				   cirt_req_body(r), &f, d);

	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 201, f);
}

int cirt_api_feed_get(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_feed f;
	int rc =
		cirt_feed_get(cirt_req_db(r), cirt_req_param(r, "name"), &f, d);

	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 200, cirt_feed_json(&f));
}

/* Run a feed now, in this request (a scheduler or a person asks). */
int cirt_api_feed_run(struct cirt_req *r, struct cirt_diag *d)
{
	const struct cirt_http_settings *set = cirt_req_settings(r);
	struct cirt_feed_env env = {set->cfg, cirt_req_actor(r),
				    CIRT_FEED_STORE};
	static const char *const q[] = {"dry_run"};
	struct cirt_feed_report rep;
	struct cirt_feed f;
	const char *dry;
	int rc;

	rc = cirt_api_query_only(r, q, 1, d);
	if (rc < 0)
		return rc;
	dry = cirt_req_query(r, "dry_run");
	if (dry && strcmp(dry, "true") == 0)
		env.mode = CIRT_FEED_ROUTE;
	rc = cirt_feed_get(cirt_req_db(r), cirt_req_param(r, "name"), &f, d);
	if (rc < 0)
		return rc;
	rc = cirt_feed_run(cirt_req_db(r), &env, &f, NULL, 0, &rep, d);
	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 200, cirt_feed_report_json(&f, &rep));
}

int cirt_api_rule_list(struct cirt_req *r, struct cirt_diag *d)
{
	json_t *all = NULL;
	int rc = cirt_api_query_only(r, NULL, 0, d);

	if (rc == 0)
		rc = cirt_rule_list(cirt_req_db(r), &all, d);
	if (rc < 0)
		return rc;
	return cirt_api_reply_items(r, all);
}

int cirt_api_rule_create(struct cirt_req *r, struct cirt_diag *d)
{
	json_t *out = NULL;
	int rc = cirt_rule_add(cirt_req_db(r), cirt_req_actor(r),
			       cirt_req_body(r), &out, d);

	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 201, out);
}

int cirt_api_rule_delete(struct cirt_req *r, struct cirt_diag *d)
{
	int rc = cirt_rule_delete(cirt_req_db(r), cirt_req_actor(r),
				  cirt_req_param(r, "name"), d);

	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 204, NULL);
}

/* The filter every event route starts from: what the caller may see. */
static void visible(const struct cirt_req *r, struct cirt_event_filter *f)
{
	const struct cirt_principal *p = cirt_req_principal(r);

	cirt_event_filter_init(f);
	f->tlp_max = (int)cirt_authz_event_ceiling(p);
	if (cirt_authz_scope(p, CIRT_ACT_EVENT_READ) != CIRT_SCOPE_ALL)
		f->org = p->org_id;
}

static int add_item(int64_t id, json_t *e, void *arg)
{
	return cirt_api_list_add(arg, id, e);
}

static int query_day(const struct cirt_req *r, const char *name, int64_t *us,
		     struct cirt_diag *d)
{
	const char *v = cirt_req_query(r, name), *why = NULL;

	if (v && cirt_time_parse_day(v, us, &why) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, name, "%s %s", name,
				     why ? why : "is not a date");
	return 0;
}

int cirt_api_event_list(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const q[] = {"constituent", "unrouted", "feed",
					"class",       "since",	   "until",
					"limit",       "cursor"};
	struct cirt_event_filter f;
	struct cirt_api_list l;
	const char *constituent = cirt_req_query(r, "constituent");
	const char *unrouted = cirt_req_query(r, "unrouted");
	int64_t after = 0, limit = 0;
	int rc;

	visible(r, &f);
	rc = cirt_api_query_only(r, q, 8, d);
	if (rc == 0)
		rc = cirt_api_page(r, &l, &after, d);
	if (rc < 0)
		return rc;
	limit = l.limit;
	rc = query_day(r, "since", &f.since, d);
	if (rc == 0)
		rc = query_day(r, "until", &f.until, d);
	if (rc == 0 && f.org < 0 && constituent) {
		struct cirt_org o;

		rc = cirt_org_get(cirt_req_db(r), constituent, &o, d);
		f.org = o.id;
	}
	if (rc == 0 && f.org < 0 && unrouted && strcmp(unrouted, "true") == 0)
		f.org = 0;
	if (rc == 0) {
		f.feed = cirt_req_query(r, "feed") ? cirt_req_query(r, "feed")
						   : "";
		f.cls = cirt_req_query(r, "class") ? cirt_req_query(r, "class")
						   : "";
		f.before_id = after;
		f.limit = limit + 1;
		rc = cirt_events_list(cirt_req_db(r), &f, add_item, &l, d);
	}
	if (rc < 0) {
		cirt_api_list_release(&l);
		return rc;
	}
	return cirt_api_list_reply(r, &l);
}

int cirt_api_event_get(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_event_filter f;
	json_t *e = NULL;
	int64_t id;
	int rc;

	visible(r, &f);
	rc = cirt_api_param_id(r, "id", &id, d);
	if (rc == 0)
		rc = cirt_event_get(cirt_req_db(r), &f, id, &e, d);
	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 200, e);
}

int cirt_api_notification_list(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const q[] = {"constituent", "limit"};
	const char *c = cirt_req_query(r, "constituent");
	const char *lim = cirt_req_query(r, "limit");
	int64_t limit = CIRT_API_LIMIT_DEFAULT;
	json_t *all = NULL;
	int rc = cirt_api_query_only(r, q, 2, d);

	if (rc == 0 && lim &&
	    cirt_parse_i64(lim, 1, CIRT_API_LIMIT_MAX, &limit) < 0)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "limit",
				   "limit must be 1 to %d", CIRT_API_LIMIT_MAX);
	if (rc == 0)
		rc = cirt_notify_log(cirt_req_db(r), c ? c : "", limit, &all,
				     d);
	if (rc < 0)
		return rc;
	return cirt_api_reply_items(r, all);
}

int cirt_api_notify_run(struct cirt_req *r, struct cirt_diag *d)
{
	const struct cirt_http_settings *set = cirt_req_settings(r);
	static const char *const q[] = {"dry_run"};
	struct cirt_notify_env env = {set->cfg, cirt_req_actor(r), false};
	struct cirt_notify_report rep;
	const char *dry = cirt_req_query(r, "dry_run");
	json_t *out;
	int rc = cirt_api_query_only(r, q, 1, d);

	if (rc < 0)
		return rc;
	env.dry_run = dry && strcmp(dry, "true") == 0;
	rc = cirt_notify_run(cirt_req_db(r), &env, &rep, d);
	if (rc < 0) {
		cirt_notify_report_release(&rep);
		return rc;
	}
	out = json_pack("{s:I, s:I, s:I, s:I, s:O}", "due", (json_int_t)rep.due,
			"sent", (json_int_t)rep.sent, "failed",
			(json_int_t)rep.failed, "events",
			(json_int_t)rep.events, "digests", rep.digests);
	cirt_notify_report_release(&rep);
	return cirt_req_reply_json(r, 200, out);
}
