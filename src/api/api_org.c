/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * /api/v1/orgs: list, create, read organisations. Constituents and
 * partners see only their own organisation.
 *
 * Layer: api.
 */
#include "api/api.h"

#include "account/org.h"
#include "core/json.h"
#include "core/banned.h"

static int list_one(const struct cirt_org *o, void *arg)
{
	return cirt_api_list_add(arg, o->id, cirt_org_json(o));
}

int cirt_api_org_list(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const params[] = {"kind"};
	const struct cirt_principal *p = cirt_req_principal(r);
	const char *kind = cirt_req_query(r, "kind");
	struct cirt_org_filter f = {.kind = -1};
	struct cirt_api_list l;
	enum cirt_org_kind k;
	int rc;

	rc = cirt_api_query_only(r, params, 1, d);
	if (rc == 0)
		rc = cirt_api_page(r, &l, &f.after, d);
	if (rc < 0)
		return rc;
	if (kind && cirt_org_kind_parse(kind, &k) < 0) {
		cirt_api_list_release(&l);
		return cirt_diag_set(d, -CIRT_EINVAL, "kind",
				     "kind must be team, constituent or "
				     "partner");
	}
	if (kind)
		f.kind = (int)k;
	if (cirt_authz_scope(p, CIRT_ACT_ORG_READ) != CIRT_SCOPE_ALL)
		f.only = p->org_id;
	f.limit = l.limit + 1;
	rc = cirt_org_list(cirt_req_db(r), &f, list_one, &l, d);
	if (rc < 0) {
		cirt_api_list_release(&l);
		return rc;
	}
	return cirt_api_list_reply(r, &l);
}

int cirt_api_org_create(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const fields[] = {"name", "kind", "sector"};
	json_t *b = cirt_req_body(r);
	struct cirt_org_new n = {0};
	const char *kind;
	struct cirt_org o;
	int rc;

	rc = cirt_json_only(b, fields, 3, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "name", true, &n.name, &n.name_len,
				       d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "kind", true, &kind, NULL, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "sector", false, &n.sector, NULL, d);
	if (rc < 0)
		return rc;
	if (cirt_org_kind_parse(kind, &n.kind) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "kind",
				     "kind must be team, constituent or "
				     "partner");
	rc = cirt_org_create(cirt_req_db(r), cirt_req_actor(r), &n, &o, d);
	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 201, cirt_org_json(&o));
}

int cirt_api_org_get(struct cirt_req *r, struct cirt_diag *d)
{
	const char *name = cirt_req_param(r, "name");
	struct cirt_org o;
	int rc;

	rc = cirt_org_get(cirt_req_db(r), name, &o, d);
	if (rc < 0)
		return rc;
	if (!cirt_authz_covers(cirt_req_principal(r), CIRT_ACT_ORG_READ, 0,
			       o.id))
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "org",
				     "no organisation named '%s'", name);
	return cirt_req_reply_json(r, 200, cirt_org_json(&o));
}
