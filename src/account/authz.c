/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The access table: role x action -> scope. See account/authz.h.
 */
#include "account/authz.h"

#include <string.h>

#include "core/compiler.h"
#include "core/err.h"
#include "core/banned.h"

static const char *const role_names[CIRT_ROLE_COUNT] = {
	[CIRT_ROLE_ADMIN] = "admin",
	[CIRT_ROLE_ANALYST] = "analyst",
	[CIRT_ROLE_CONSTITUENT] = "constituent",
	[CIRT_ROLE_PARTNER] = "partner",
};

static const char *const action_names[CIRT_ACT_COUNT] = {
	[CIRT_ACT_SELF] = "self",
	[CIRT_ACT_ORG_READ] = "org.read",
	[CIRT_ACT_ORG_CREATE] = "org.create",
	[CIRT_ACT_USER_READ] = "user.read",
	[CIRT_ACT_USER_CREATE] = "user.create",
	[CIRT_ACT_USER_UPDATE] = "user.update",
	[CIRT_ACT_USER_PASSWORD] = "user.password",
	[CIRT_ACT_TOKEN_READ] = "token.read",
	[CIRT_ACT_TOKEN_CREATE] = "token.create",
	[CIRT_ACT_TOKEN_REVOKE] = "token.revoke",
	[CIRT_ACT_AUDIT_READ] = "audit.read",
	[CIRT_ACT_METRICS_READ] = "metrics.read",
	[CIRT_ACT_TAXII] = "taxii",
	[CIRT_ACT_INCIDENT_READ] = "incident.read",
	[CIRT_ACT_INCIDENT_WRITE] = "incident.write",
	[CIRT_ACT_INCIDENT_COMMENT] = "incident.comment",
	[CIRT_ACT_INCIDENT_ADMIN] = "incident.admin",
	[CIRT_ACT_STATS_READ] = "stats.read",
	[CIRT_ACT_CONSTITUENCY_READ] = "constituency.read",
	[CIRT_ACT_CONSTITUENCY_WRITE] = "constituency.write",
	[CIRT_ACT_FEED_READ] = "feed.read",
	[CIRT_ACT_FEED_ADMIN] = "feed.admin",
	[CIRT_ACT_FEED_RUN] = "feed.run",
	[CIRT_ACT_EVENT_READ] = "event.read",
	[CIRT_ACT_DETECT_READ] = "detect.read",
	[CIRT_ACT_DETECT_RUN] = "detect.run",
};

#define N CIRT_SCOPE_NONE
#define S CIRT_SCOPE_SELF
#define O CIRT_SCOPE_ORG
#define A CIRT_SCOPE_ALL

/* The whole policy. Columns: admin, analyst, constituent, partner. */
static const enum cirt_scope table[CIRT_ACT_COUNT][CIRT_ROLE_COUNT] = {
	[CIRT_ACT_SELF] = {S, S, S, S},
	[CIRT_ACT_ORG_READ] = {A, A, O, O},
	[CIRT_ACT_ORG_CREATE] = {A, N, N, N},
	[CIRT_ACT_USER_READ] = {A, A, O, S},
	[CIRT_ACT_USER_CREATE] = {A, N, N, N},
	[CIRT_ACT_USER_UPDATE] = {A, N, N, N},
	[CIRT_ACT_USER_PASSWORD] = {A, S, S, S},
	[CIRT_ACT_TOKEN_READ] = {A, S, S, S},
	[CIRT_ACT_TOKEN_CREATE] = {A, S, S, S},
	[CIRT_ACT_TOKEN_REVOKE] = {A, S, S, S},
	[CIRT_ACT_AUDIT_READ] = {A, N, N, N},
	[CIRT_ACT_METRICS_READ] = {A, A, N, N},
	[CIRT_ACT_TAXII] = {A, A, A, A},
	[CIRT_ACT_INCIDENT_READ] = {A, A, O, N},
	[CIRT_ACT_INCIDENT_WRITE] = {A, A, N, N},
	[CIRT_ACT_INCIDENT_COMMENT] = {A, A, O, N},
	[CIRT_ACT_INCIDENT_ADMIN] = {A, N, N, N},
	[CIRT_ACT_STATS_READ] = {A, A, N, N},
	[CIRT_ACT_CONSTITUENCY_READ] = {A, A, O, N},
	[CIRT_ACT_CONSTITUENCY_WRITE] = {A, N, N, N},
	[CIRT_ACT_FEED_READ] = {A, A, N, N},
	[CIRT_ACT_FEED_ADMIN] = {A, N, N, N},
	[CIRT_ACT_FEED_RUN] = {A, A, N, N},
	[CIRT_ACT_EVENT_READ] = {A, A, O, N},
	[CIRT_ACT_DETECT_READ] = {A, A, N, N},
	[CIRT_ACT_DETECT_RUN] = {A, A, N, N},
};

/* TLP-02: how far each role's organisation stands from the team. */
static const enum cirt_tlp tlp_ceiling[CIRT_ROLE_COUNT] = {
	[CIRT_ROLE_ADMIN] = CIRT_TLP_AMBER_STRICT,
	[CIRT_ROLE_ANALYST] = CIRT_TLP_AMBER_STRICT,
	[CIRT_ROLE_CONSTITUENT] = CIRT_TLP_AMBER,
	[CIRT_ROLE_PARTNER] = CIRT_TLP_GREEN,
};

#undef N
#undef S
#undef O
#undef A

const char *cirt_role_name(enum cirt_role r)
{
	return (unsigned)r < CIRT_ROLE_COUNT ? role_names[r] : "?";
}

int cirt_role_parse(const char *s, enum cirt_role *out)
{
	for (int i = 0; i < CIRT_ROLE_COUNT; i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum cirt_role)i;
			return 0;
		}
	}
	return -CIRT_EINVAL;
}

enum cirt_org_kind cirt_role_org_kind(enum cirt_role r)
{
	switch (r) {
	case CIRT_ROLE_CONSTITUENT:
		return CIRT_ORG_CONSTITUENT;
	case CIRT_ROLE_PARTNER:
		return CIRT_ORG_PARTNER;
	default:
		return CIRT_ORG_TEAM;
	}
}

const char *cirt_action_name(enum cirt_action a)
{
	return (unsigned)a < CIRT_ACT_COUNT ? action_names[a] : "?";
}

enum cirt_scope cirt_authz_scope(const struct cirt_principal *p,
				 enum cirt_action a)
{
	if (p == NULL || p->via == CIRT_VIA_NONE ||
	    (unsigned)a >= CIRT_ACT_COUNT ||
	    (unsigned)p->role >= CIRT_ROLE_COUNT)
		return CIRT_SCOPE_NONE;
	return table[a][p->role];
}

bool cirt_authz_allows(const struct cirt_principal *p, enum cirt_action a)
{
	return cirt_authz_scope(p, a) != CIRT_SCOPE_NONE;
}

bool cirt_authz_covers(const struct cirt_principal *p, enum cirt_action a,
		       int64_t owner_user, int64_t owner_org)
{
	switch (cirt_authz_scope(p, a)) {
	case CIRT_SCOPE_ALL:
		return true;
	case CIRT_SCOPE_ORG:
		return owner_org == p->org_id;
	case CIRT_SCOPE_SELF:
		return owner_user != 0 && owner_user == p->user_id;
	case CIRT_SCOPE_NONE:
		break;
	}
	return false;
}

void cirt_authz_collection(const struct cirt_principal *p, bool grant_read,
			   bool grant_write, bool *can_read, bool *can_write)
{
	bool team = cirt_authz_allows(p, CIRT_ACT_TAXII) &&
		    cirt_role_org_kind(p->role) == CIRT_ORG_TEAM;

	*can_read =
		team || (cirt_authz_allows(p, CIRT_ACT_TAXII) && grant_read);
	*can_write =
		team || (cirt_authz_allows(p, CIRT_ACT_TAXII) && grant_write);
}

enum cirt_tlp cirt_authz_tlp_ceiling(const struct cirt_principal *p)
{
	if (!cirt_authz_allows(p, CIRT_ACT_TAXII))
		return CIRT_TLP_NONE;
	return tlp_ceiling[p->role];
}

static enum cirt_tlp ceiling_of(const struct cirt_principal *p,
				enum cirt_action a)
{
	switch (cirt_authz_scope(p, a)) {
	case CIRT_SCOPE_ALL:
		return CIRT_TLP_RED;
	case CIRT_SCOPE_ORG:
		return CIRT_TLP_AMBER;
	default:
		return CIRT_TLP_NONE;
	}
}

enum cirt_tlp cirt_authz_incident_ceiling(const struct cirt_principal *p)
{
	return ceiling_of(p, CIRT_ACT_INCIDENT_READ);
}

enum cirt_tlp cirt_authz_event_ceiling(const struct cirt_principal *p)
{
	return ceiling_of(p, CIRT_ACT_EVENT_READ);
}
