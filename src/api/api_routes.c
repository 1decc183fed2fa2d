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
};

const size_t cirt_api_route_count =
	sizeof(cirt_api_routes) / sizeof(cirt_api_routes[0]);
