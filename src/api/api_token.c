/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * /api/v1/tokens: create, list, read and revoke API tokens. Everyone
 * manages their own; admins manage everyone's. The secret appears once,
 * in the answer to the POST that created it.
 *
 * Layer: api.
 */
#include "api/api.h"

#include "account/token.h"
#include "account/user.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/banned.h"

/* The named user if the caller may see them (404 otherwise, as if they
 * did not exist), and may do a for them (403 otherwise). */
static int target_user(struct cirt_req *r, const char *name, enum cirt_action a,
		       struct cirt_user *u, struct cirt_diag *d)
{
	const struct cirt_principal *p = cirt_req_principal(r);
	int rc = cirt_user_get(cirt_req_db(r), name, u, d);

	if (rc < 0)
		return rc;
	if (!cirt_authz_covers(p, CIRT_ACT_USER_READ, u->id, u->org_id))
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "user",
				     "no user named '%s'", name);
	if (!cirt_authz_covers(p, a, u->id, u->org_id))
		return cirt_diag_set(d, -CIRT_EPERM, "user",
				     "role '%s' may %s only for itself",
				     cirt_role_name(p->role),
				     cirt_action_name(a));
	return 0;
}

static int list_one(const struct cirt_token *t, void *arg)
{
	return cirt_api_list_add(arg, t->id, cirt_token_json(t));
}

int cirt_api_token_list(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const params[] = {"user"};
	const struct cirt_principal *p = cirt_req_principal(r);
	const char *user = cirt_req_query(r, "user");
	struct cirt_token_filter f = {0};
	struct cirt_api_list l;
	struct cirt_user u;
	int rc;

	rc = cirt_api_query_only(r, params, 1, d);
	if (rc == 0)
		rc = cirt_api_page(r, &l, &f.after, d);
	if (rc < 0)
		return rc;
	if (user) {
		rc = target_user(r, user, CIRT_ACT_TOKEN_READ, &u, d);
		f.user_id = u.id;
	} else if (cirt_authz_scope(p, CIRT_ACT_TOKEN_READ) != CIRT_SCOPE_ALL) {
		f.user_id = p->user_id;
	}
	if (rc == 0) {
		f.limit = l.limit + 1;
		rc = cirt_token_list(cirt_req_db(r), &f, list_one, &l, d);
	}
	if (rc < 0) {
		cirt_api_list_release(&l);
		return rc;
	}
	return cirt_api_list_reply(r, &l);
}

int cirt_api_token_create(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const fields[] = {"user", "label", "expires_days"};
	const struct cirt_principal *p = cirt_req_principal(r);
	char secret[CIRT_TOKEN_LEN + 1];
	json_t *b = cirt_req_body(r), *out;
	const char *user, *label;
	int64_t days = cirt_req_settings(r)->token_days;
	struct cirt_token t;
	struct cirt_user u;
	size_t label_len;
	bool has_days;
	int rc;

	rc = cirt_json_only(b, fields, 3, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "user", false, &user, NULL, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "label", false, &label, &label_len,
				       d);
	if (rc == 0)
		rc = cirt_json_get_int(b, "expires_days", false, 0,
				       CIRT_TOKEN_DAYS_MAX, &days, &has_days,
				       d);
	if (rc == 0)
		rc = target_user(r, user ? user : p->user,
				 CIRT_ACT_TOKEN_CREATE, &u, d);
	if (rc < 0)
		return rc;
	rc = cirt_token_create(cirt_req_db(r), cirt_req_actor(r), u.name, label,
			       label_len, days, &t, secret, d);
	if (rc < 0)
		return rc;
	out = cirt_token_json(&t);
	json_object_set_new(out, "token", json_string(secret));
	cirt_wipe(secret, sizeof(secret));
	return cirt_req_reply_json(r, 201, out);
}

/* The token with the id in the path, if the caller may do a with it;
 * otherwise 404, as if it did not exist. */
static int visible_token(struct cirt_req *r, enum cirt_action a,
			 struct cirt_token *t, struct cirt_diag *d)
{
	int64_t id;
	int rc = cirt_api_param_id(r, "id", &id, d);

	if (rc == 0)
		rc = cirt_token_get(cirt_req_db(r), id, t, d);
	if (rc < 0)
		return rc;
	if (!cirt_authz_covers(cirt_req_principal(r), a, t->user_id, t->org_id))
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "id",
				     "no token with id %lld", (long long)id);
	return 0;
}

int cirt_api_token_get(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_token t;
	int rc = visible_token(r, CIRT_ACT_TOKEN_READ, &t, d);

	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 200, cirt_token_json(&t));
}

int cirt_api_token_revoke(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_token t;
	int rc = visible_token(r, CIRT_ACT_TOKEN_REVOKE, &t, d);

	if (rc == 0)
		rc = cirt_token_revoke(cirt_req_db(r), cirt_req_actor(r), t.id,
				       d);
	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 204, NULL);
}
