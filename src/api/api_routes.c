/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The route table: every endpoint, the action the caller must be allowed
 * (account/authz.c decides), and how the server treats it. One line per
 * endpoint; docs/http-api.md describes each.
 *
 * Layer: api.
 */
#include "api/api.h"
#include "core/banned.h"

#define P CIRT_ROUTE_PUBLIC
#define B CIRT_ROUTE_BODY

const struct cirt_route cirt_api_routes[] = {
	{"GET", "/healthz", cirt_api_healthz, CIRT_ACT_SELF, P},
	{"GET", "/metrics", cirt_api_metrics, CIRT_ACT_METRICS_READ, 0},
	{"GET", "/api/v1/whoami", cirt_api_whoami, CIRT_ACT_SELF, 0},

	{"POST", "/api/v1/session", cirt_api_session_create, CIRT_ACT_SELF,
	 P | B},
	{"GET", "/api/v1/session", cirt_api_session_get, CIRT_ACT_SELF, 0},
	{"DELETE", "/api/v1/session", cirt_api_session_delete, CIRT_ACT_SELF,
	 0},

	{"GET", "/api/v1/orgs", cirt_api_org_list, CIRT_ACT_ORG_READ, 0},
	{"POST", "/api/v1/orgs", cirt_api_org_create, CIRT_ACT_ORG_CREATE, B},
	{"GET", "/api/v1/orgs/{name}", cirt_api_org_get, CIRT_ACT_ORG_READ, 0},

	{"GET", "/api/v1/users", cirt_api_user_list, CIRT_ACT_USER_READ, 0},
	{"POST", "/api/v1/users", cirt_api_user_create, CIRT_ACT_USER_CREATE,
	 B},
	{"GET", "/api/v1/users/{name}", cirt_api_user_get, CIRT_ACT_USER_READ,
	 0},
	{"PATCH", "/api/v1/users/{name}", cirt_api_user_update,
	 CIRT_ACT_USER_PASSWORD, B},

	{"GET", "/api/v1/tokens", cirt_api_token_list, CIRT_ACT_TOKEN_READ, 0},
	{"POST", "/api/v1/tokens", cirt_api_token_create, CIRT_ACT_TOKEN_CREATE,
	 B},
	{"GET", "/api/v1/tokens/{id}", cirt_api_token_get, CIRT_ACT_TOKEN_READ,
	 0},
	{"DELETE", "/api/v1/tokens/{id}", cirt_api_token_revoke,
	 CIRT_ACT_TOKEN_REVOKE, 0},

	{"GET", "/api/v1/audit", cirt_api_audit_list, CIRT_ACT_AUDIT_READ, 0},
	{"GET", "/api/v1/audit/verify", cirt_api_audit_verify,
	 CIRT_ACT_AUDIT_READ, 0},

#define I  "/api/v1/incidents"
#define IR CIRT_ACT_INCIDENT_READ
#define IW CIRT_ACT_INCIDENT_WRITE
#define IC CIRT_ACT_INCIDENT_COMMENT
	{"GET", I, cirt_api_incident_list, IR, 0},
	{"POST", I, cirt_api_incident_create, IW, B},
	{"POST", I "/import", cirt_api_incident_import, IW, CIRT_ROUTE_RAW},
	{"GET", I "/{id}", cirt_api_incident_get, IR, 0},
	{"PATCH", I "/{id}", cirt_api_incident_update, IW, B},
	{"POST", I "/{id}/acknowledge", cirt_api_incident_ack, IC, B},
	{"GET", I "/{id}/timeline", cirt_api_incident_timeline, IR, 0},
	{"POST", I "/{id}/timeline", cirt_api_incident_timeline_add, IC, B},
	{"GET", I "/{id}/tasks", cirt_api_incident_tasks, IW, 0},
	{"POST", I "/{id}/tasks", cirt_api_incident_task_add, IW, B},
	{"PATCH", I "/{id}/tasks/{task}", cirt_api_incident_task_update, IW, B},
	{"POST", I "/{id}/relations", cirt_api_incident_relate, IW, B},
	{"DELETE", I "/{id}/relations/{relation}/{other}",
	 cirt_api_incident_unrelate, IW, 0},
	{"POST", I "/{id}/observables", cirt_api_incident_observable_add, IW,
	 B},
	{"GET", I "/{id}/stix", cirt_api_incident_stix, IR, 0},
	{"POST", I "/{id}/stix", cirt_api_incident_link, IW, B},
	{"DELETE", I "/{id}/stix/{stix_id}", cirt_api_incident_unlink, IW, 0},
	{"GET", I "/{id}/evidence", cirt_api_incident_evidence_list, IW, 0},
	{"POST", I "/{id}/evidence", cirt_api_incident_evidence_add, IW,
	 CIRT_ROUTE_UPLOAD},
	{"GET", I "/{id}/evidence/{sha256}", cirt_api_incident_evidence_get, IW,
	 0},
	{"GET", I "/{id}/iodef", cirt_api_incident_iodef, IR, 0},
	{"POST", I "/{id}/share", cirt_api_incident_share, IW, B},
#undef I
#undef IR
#undef IW
#undef IC

	{"GET", "/api/v1/sla", cirt_api_sla_list, CIRT_ACT_INCIDENT_READ, 0},
	{"PUT", "/api/v1/sla/{severity}", cirt_api_sla_set,
	 CIRT_ACT_INCIDENT_ADMIN, B},
	/* Playbooks are the team's: constituents may not read them. */
	{"GET", "/api/v1/playbooks", cirt_api_playbook_list,
	 CIRT_ACT_INCIDENT_WRITE, 0},
	{"GET", "/api/v1/playbooks/{name}", cirt_api_playbook_get,
	 CIRT_ACT_INCIDENT_WRITE, 0},
	{"PUT", "/api/v1/playbooks/{name}", cirt_api_playbook_put,
	 CIRT_ACT_INCIDENT_ADMIN, B},
	{"DELETE", "/api/v1/playbooks/{name}", cirt_api_playbook_delete,
	 CIRT_ACT_INCIDENT_ADMIN, 0},
	{"GET", "/api/v1/taxonomy", cirt_api_taxonomy, CIRT_ACT_INCIDENT_READ,
	 0},
	{"GET", "/api/v1/stats", cirt_api_stats, CIRT_ACT_STATS_READ, 0},

	{"GET", "/api/v1/constituents", cirt_api_constituent_list,
	 CIRT_ACT_CONSTITUENCY_READ, 0},
	{"POST", "/api/v1/constituents", cirt_api_constituent_create,
	 CIRT_ACT_CONSTITUENCY_WRITE, B},
	{"POST", "/api/v1/constituents/import", cirt_api_constituent_import,
	 CIRT_ACT_CONSTITUENCY_WRITE, CIRT_ROUTE_UPLOAD},
	{"GET", "/api/v1/constituents/{name}", cirt_api_constituent_get,
	 CIRT_ACT_CONSTITUENCY_READ, 0},
	{"GET", "/api/v1/feeds", cirt_api_feed_list, CIRT_ACT_FEED_READ, 0},
	{"POST", "/api/v1/feeds", cirt_api_feed_create, CIRT_ACT_FEED_ADMIN, B},
	{"GET", "/api/v1/feeds/{name}", cirt_api_feed_get, CIRT_ACT_FEED_READ,
	 0},
	{"POST", "/api/v1/feeds/{name}/run", cirt_api_feed_run,
	 CIRT_ACT_FEED_RUN, 0},
	{"GET", "/api/v1/rules", cirt_api_rule_list, CIRT_ACT_FEED_READ, 0},
	{"POST", "/api/v1/rules", cirt_api_rule_create, CIRT_ACT_FEED_ADMIN, B},
	{"DELETE", "/api/v1/rules/{name}", cirt_api_rule_delete,
	 CIRT_ACT_FEED_ADMIN, 0},
	{"GET", "/api/v1/events", cirt_api_event_list, CIRT_ACT_EVENT_READ, 0},
	{"GET", "/api/v1/events/{id}", cirt_api_event_get, CIRT_ACT_EVENT_READ,
	 0},
	{"GET", "/api/v1/notifications", cirt_api_notification_list,
	 CIRT_ACT_FEED_READ, 0},
	{"POST", "/api/v1/notifications/run", cirt_api_notify_run,
	 CIRT_ACT_FEED_RUN, 0},
	{"GET", "/api/v1/detect/indicators", cirt_api_detect_indicators,
	 CIRT_ACT_DETECT_READ, 0},
	{"POST", "/api/v1/detect/logs", cirt_api_detect_logs,
	 CIRT_ACT_DETECT_RUN, CIRT_ROUTE_UPLOAD},
};

const size_t cirt_api_route_count =
	sizeof(cirt_api_routes) / sizeof(cirt_api_routes[0]);
