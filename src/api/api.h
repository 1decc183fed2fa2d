/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The HTTP API under /api/v1/ (and /healthz, /metrics): the route table
 * that `cirtkit serve` hands to the server, the handlers, and the helpers
 * they share for paging and query parameters. docs/http-api.md is the
 * reference for every route.
 *
 * Conventions: lists are {"items": [...], "next_cursor": "..."} in id
 * order, paged with ?limit= (1 to 1000, default 100) and ?cursor= (the
 * next_cursor of the previous page); next_cursor is absent on the last
 * page. Unknown query parameters and body fields are errors. An object
 * outside the caller's scope is answered 404, as if it did not exist.
 *
 * Layer: api (above account and http). Runs on worker threads.
 */
#ifndef CIRT_API_API_H
#define CIRT_API_API_H

#include <stddef.h>
#include <stdint.h>

#include "http/http.h"

extern const struct cirt_route cirt_api_routes[];
extern const size_t cirt_api_route_count;

#define CIRT_API_LIMIT_DEFAULT 100
#define CIRT_API_LIMIT_MAX     1000

/* Fail naming the first query parameter not in names[0..n). */
int cirt_api_query_only(const struct cirt_req *r, const char *const *names,
			size_t n, struct cirt_diag *d);

/* A page being built: items and whether a further one exists. */
struct cirt_api_list {
	json_t *items;
	int64_t limit;
	int64_t last; /* cursor of the last item taken */
	int more;
};

/* Read ?limit= and ?cursor= into *after and *limit, and set l up to
 * collect one page. The list query must be asked for *limit + 1 rows:
 * set the filter's limit from l->limit + 1. */
int cirt_api_page(const struct cirt_req *r, struct cirt_api_list *l,
		  int64_t *after, struct cirt_diag *d);

/* Add an item (reference stolen) with its cursor value; past the page,
 * only notes that there are more. Returns 0. */
int cirt_api_list_add(struct cirt_api_list *l, int64_t cursor, json_t *item);

/* Answer 200 with {"items": items} (reference stolen): a whole list,
 * without paging. */
int cirt_api_reply_items(struct cirt_req *r, json_t *items);

/* Answer 200 with the page, and free it. */
int cirt_api_list_reply(struct cirt_req *r, struct cirt_api_list *l);

/* Free a page that will not be sent. */
void cirt_api_list_release(struct cirt_api_list *l);

/* Parse a decimal id from a route parameter; -CIRT_ENOTFOUND if it is not
 * one (such a thing cannot exist). */
int cirt_api_param_id(const struct cirt_req *r, const char *name, int64_t *id,
		      struct cirt_diag *d);

/* The caller, as /api/v1/whoami shows it. */
json_t *cirt_api_principal_json(const struct cirt_principal *p);

/* Handlers, by file. */
int cirt_api_healthz(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_metrics(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_whoami(struct cirt_req *r, struct cirt_diag *d);

int cirt_api_org_list(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_org_create(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_org_get(struct cirt_req *r, struct cirt_diag *d);

int cirt_api_user_list(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_user_create(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_user_get(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_user_update(struct cirt_req *r, struct cirt_diag *d);

int cirt_api_token_list(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_token_create(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_token_get(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_token_revoke(struct cirt_req *r, struct cirt_diag *d);

int cirt_api_session_create(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_session_get(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_session_delete(struct cirt_req *r, struct cirt_diag *d);

int cirt_api_audit_list(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_audit_verify(struct cirt_req *r, struct cirt_diag *d);

int cirt_api_incident_create(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_list(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_get(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_update(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_ack(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_timeline(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_timeline_add(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_tasks(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_task_add(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_task_update(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_relate(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_unrelate(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_observable_add(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_link(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_unlink(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_evidence_add(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_evidence_list(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_evidence_get(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_iodef(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_stix(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_import(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_incident_share(struct cirt_req *r, struct cirt_diag *d);

/* api_incident_admin.c */
int cirt_api_sla_list(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_sla_set(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_playbook_list(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_playbook_get(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_playbook_put(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_playbook_delete(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_taxonomy(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_stats(struct cirt_req *r, struct cirt_diag *d);

int cirt_api_constituent_list(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_constituent_get(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_constituent_create(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_constituent_import(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_feed_list(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_feed_create(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_feed_get(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_feed_run(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_detect_indicators(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_detect_logs(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_rule_list(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_rule_create(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_rule_delete(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_event_list(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_event_get(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_notification_list(struct cirt_req *r, struct cirt_diag *d);
int cirt_api_notify_run(struct cirt_req *r, struct cirt_diag *d);

#endif
