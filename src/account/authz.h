/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Authorisation, decided in one place: who is asking (a principal), what
 * they want to do (an action), and how far their right reaches (a scope:
 * nothing, their own account, their own organisation, or everything).
 *
 * The HTTP layer refuses a route whose action has scope NONE for the
 * caller (403) before any handler runs; handlers turn the scope into a
 * filter on lists and check single objects with cirt_authz_covers(). No
 * other code decides access. The table is in authz.c and in
 * docs/http-api.md.
 *
 * Layer: account. Pure functions, thread-safe.
 */
#ifndef CIRT_ACCOUNT_AUTHZ_H
#define CIRT_ACCOUNT_AUTHZ_H

#include <stdbool.h>
#include <stdint.h>

#include "account/org.h"
#include "core/tlp.h"

enum cirt_role {
	CIRT_ROLE_ADMIN,
	CIRT_ROLE_ANALYST,
	CIRT_ROLE_CONSTITUENT,
	CIRT_ROLE_PARTNER,
	CIRT_ROLE_COUNT
};

enum cirt_auth_via {
	CIRT_VIA_NONE,	   /* not authenticated */
	CIRT_VIA_TOKEN,	   /* Authorization: Bearer, or Basic with a token */
	CIRT_VIA_PASSWORD, /* Basic with the user's password */
	CIRT_VIA_SESSION,  /* browser session cookie */
};

#define CIRT_USER_NAME_MAX 64
#define CIRT_CSRF_LEN	   64

/* An authenticated user, as every decision sees it. */
struct cirt_principal {
	int64_t user_id;
	char user[CIRT_USER_NAME_MAX + 1];
	enum cirt_role role;
	int64_t org_id;
	char org[CIRT_ORG_NAME_MAX + 1];
	enum cirt_org_kind org_kind;
	enum cirt_auth_via via;
	int64_t cred_id;	      /* token or session id */
	char csrf[CIRT_CSRF_LEN + 1]; /* session only */
};

enum cirt_action {
	CIRT_ACT_SELF, /* whoami, own session */
	CIRT_ACT_ORG_READ,
	CIRT_ACT_ORG_CREATE,
	CIRT_ACT_USER_READ,
	CIRT_ACT_USER_CREATE,
	CIRT_ACT_USER_UPDATE,	/* role, disable, enable */
	CIRT_ACT_USER_PASSWORD, /* set a password */
	CIRT_ACT_TOKEN_READ,
	CIRT_ACT_TOKEN_CREATE,
	CIRT_ACT_TOKEN_REVOKE,
	CIRT_ACT_AUDIT_READ,
	CIRT_ACT_METRICS_READ,
	CIRT_ACT_TAXII, /* speak TAXII at all; collections decide the rest */
	CIRT_ACT_INCIDENT_READ,	   /* see incidents (ORG: those affecting it) */
	CIRT_ACT_INCIDENT_WRITE,   /* create and change incidents */
	CIRT_ACT_INCIDENT_COMMENT, /* comment on and acknowledge incidents */
	CIRT_ACT_INCIDENT_ADMIN,   /* playbooks and SLA targets */
	CIRT_ACT_STATS_READ,	   /* national statistics */
	CIRT_ACT_CONSTITUENCY_READ,  /* constituents, their networks and
				      * contacts (ORG: its own) */
	CIRT_ACT_CONSTITUENCY_WRITE, /* add and import constituents */
	CIRT_ACT_FEED_READ,	     /* feeds, runs, rules, notifications */
	CIRT_ACT_FEED_ADMIN,	     /* add feeds and rules */
	CIRT_ACT_FEED_RUN,	     /* run feeds, ingest, send digests */
	CIRT_ACT_EVENT_READ,	     /* events (ORG: its own) */
	CIRT_ACT_DETECT_READ,	     /* the indicator set's report */
	CIRT_ACT_DETECT_RUN,	     /* match logs, record sightings */
	CIRT_ACT_COUNT
};

enum cirt_scope {
	CIRT_SCOPE_NONE,
	CIRT_SCOPE_SELF,
	CIRT_SCOPE_ORG,
	CIRT_SCOPE_ALL,
};

const char *cirt_role_name(enum cirt_role r);
/* 0 or -CIRT_EINVAL. */
int cirt_role_parse(const char *s, enum cirt_role *out);

/* The organisation kind a role's users must belong to: admins and analysts
 * to the team, constituents to a constituent, partners to a partner. */
enum cirt_org_kind cirt_role_org_kind(enum cirt_role r);

const char *cirt_action_name(enum cirt_action a);

/* How far p may perform a. */
enum cirt_scope cirt_authz_scope(const struct cirt_principal *p,
				 enum cirt_action a);

/* True if p may perform a at all. */
bool cirt_authz_allows(const struct cirt_principal *p, enum cirt_action a);

/* True if p may perform a on an object owned by user owner_user (0 if
 * none) in organisation owner_org. */
bool cirt_authz_covers(const struct cirt_principal *p, enum cirt_action a,
		       int64_t owner_user, int64_t owner_org);

/*
 * What p may do with a collection whose grant to p's organisation is
 * (grant_read, grant_write): the team (admins and analysts) reads and
 * writes every collection it runs; other organisations have exactly
 * their grant.
 */
void cirt_authz_collection(const struct cirt_principal *p, bool grant_read,
			   bool grant_write, bool *can_read, bool *can_write);

/*
 * The most restrictive TLP level p may receive (TLP-02): the team's own
 * people AMBER+STRICT (their organisation only), constituents AMBER (the
 * team's clients), partner teams GREEN (the community). RED is never
 * sent to anyone; nothing reaches an unauthenticated caller.
 */
enum cirt_tlp cirt_authz_tlp_ceiling(const struct cirt_principal *p);

/*
 * The most restrictive TLP level of an incident p may see: the team's
 * people every level (the incidents are the team's own), constituents
 * AMBER (and only incidents that affect their organisation), nobody
 * else anything.
 */
enum cirt_tlp cirt_authz_incident_ceiling(const struct cirt_principal *p);

/* The same for feed events (CIRT_ACT_EVENT_READ): the team sees every
 * event, a constituent its own up to AMBER, nobody else anything. */
enum cirt_tlp cirt_authz_event_ceiling(const struct cirt_principal *p);

#endif
