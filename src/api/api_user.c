/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * /api/v1/users: list, create, read and change users. Admins manage
 * everyone; every user may change their own password, giving the current
 * one; constituents see the users of their organisation, partners only
 * themselves.
 *
 * Layer: api.
 */
#include "api/api.h"

#include <string.h>

#include "account/password.h"
#include "account/user.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/banned.h"

static int list_one(const struct cirt_user *u, void *arg)
{
	return cirt_api_list_add(arg, u->id, cirt_user_json(u));
}

/* Turn the caller's scope and the ?org= and ?role= filters into f. */
static int list_filter(struct cirt_req *r, struct cirt_user_filter *f,
		       struct cirt_diag *d)
{
	const struct cirt_principal *p = cirt_req_principal(r);
	const char *org = cirt_req_query(r, "org");
	const char *role = cirt_req_query(r, "role");
	enum cirt_role rl;
	struct cirt_org o;
	int rc;

	if (role && cirt_role_parse(role, &rl) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "role",
				     "role must be admin, analyst, "
				     "constituent or partner");
	f->role = role ? (int)rl : -1;
	if (org) {
		rc = cirt_org_get(cirt_req_db(r), org, &o, d);
		if (rc == 0 &&
		    !cirt_authz_covers(p, CIRT_ACT_ORG_READ, 0, o.id))
			rc = cirt_diag_set(d, -CIRT_ENOTFOUND, "org",
					   "no organisation named '%s'", org);
		if (rc < 0)
			return rc;
		f->org_id = o.id;
	}
	switch (cirt_authz_scope(p, CIRT_ACT_USER_READ)) {
	case CIRT_SCOPE_ALL:
		break;
	case CIRT_SCOPE_ORG:
		f->org_id = p->org_id;
		break;
	default:
		f->only = p->user_id;
		break;
	}
	return 0;
}

int cirt_api_user_list(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const params[] = {"org", "role"};
	struct cirt_user_filter f = {0};
	struct cirt_api_list l;
	int rc;

	rc = cirt_api_query_only(r, params, 2, d);
	if (rc == 0)
		rc = cirt_api_page(r, &l, &f.after, d);
	if (rc < 0)
		return rc;
	rc = list_filter(r, &f, d);
	if (rc == 0) {
		f.limit = l.limit + 1;
		rc = cirt_user_list(cirt_req_db(r), &f, list_one, &l, d);
	}
	if (rc < 0) {
		cirt_api_list_release(&l);
		return rc;
	}
	return cirt_api_list_reply(r, &l);
}

int cirt_api_user_create(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const fields[] = {"name", "org", "role", "password"};
	char generated[CIRT_PASSWORD_GEN_LEN + 1] = "";
	struct cirt_user_new u = {0};
	json_t *b = cirt_req_body(r), *out;
	const char *role;
	struct cirt_user user;
	int rc;

	rc = cirt_json_only(b, fields, 4, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "name", true, &u.name, &u.name_len,
				       d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "org", true, &u.org, NULL, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "role", true, &role, NULL, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "password", false, &u.password,
				       &u.password_len, d);
	if (rc < 0)
		return rc;
	if (cirt_role_parse(role, &u.role) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "role",
				     "role must be admin, analyst, "
				     "constituent or partner");
	if (u.password == NULL) {
		cirt_password_generate(generated);
		u.password = generated;
		u.password_len = strlen(generated);
	}
	rc = cirt_user_add(cirt_req_db(r), cirt_req_actor(r), &u, &user, d);
	if (rc == 0) {
		out = cirt_user_json(&user);
		/* Shown once, only when the server chose it. */
		if (generated[0])
			json_object_set_new(out, "password",
					    json_string(generated));
		rc = cirt_req_reply_json(r, 201, out);
	}
	cirt_wipe(generated, sizeof(generated));
	return rc;
}

/* The named user, or 404 if absent or outside the caller's sight. */
static int visible_user(struct cirt_req *r, struct cirt_user *u,
			struct cirt_diag *d)
{
	const char *name = cirt_req_param(r, "name");
	int rc = cirt_user_get(cirt_req_db(r), name, u, d);

	if (rc < 0)
		return rc;
	if (!cirt_authz_covers(cirt_req_principal(r), CIRT_ACT_USER_READ, u->id,
			       u->org_id))
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "user",
				     "no user named '%s'", name);
	return 0;
}

int cirt_api_user_get(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_user u;
	int rc = visible_user(r, &u, d);

	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 200, cirt_user_json(&u));
}

static int denied(const struct cirt_principal *p, enum cirt_action a,
		  struct cirt_diag *d)
{
	return cirt_diag_set(d, -CIRT_EPERM, NULL, "role '%s' may not %s",
			     cirt_role_name(p->role), cirt_action_name(a));
}

/* Read the PATCH body into c; current password into *cur. */
static int read_change(json_t *b, struct cirt_user_change *c, const char **cur,
		       size_t *cur_len, struct cirt_diag *d)
{
	static const char *const fields[] = {"role", "disabled", "password",
					     "current_password"};
	const char *role;
	int rc;

	rc = cirt_json_only(b, fields, 4, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "role", false, &role, NULL, d);
	if (rc == 0 && role) {
		if (cirt_role_parse(role, &c->role) < 0)
			return cirt_diag_set(d, -CIRT_EINVAL, "role",
					     "role must be admin, analyst, "
					     "constituent or partner");
		c->set_role = true;
	}
	if (rc == 0)
		rc = cirt_json_get_bool(b, "disabled", &c->disabled,
					&c->set_disabled, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "password", false, &c->password,
				       &c->password_len, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "current_password", false, cur,
				       cur_len, d);
	return rc;
}

/* Who may change what: role and disabled need user.update over the
 * target and are never one's own (no locking oneself out); a password
 * needs user.password, and the current password unless the caller may
 * set anyone's. */
static int check_change(struct cirt_req *r, const struct cirt_user *u,
			const struct cirt_user_change *c, const char *cur,
			size_t cur_len, struct cirt_diag *d)
{
	const struct cirt_principal *p = cirt_req_principal(r);
	struct cirt_principal again;

	if (c->set_role || c->set_disabled) {
		if (!cirt_authz_covers(p, CIRT_ACT_USER_UPDATE, u->id,
				       u->org_id))
			return denied(p, CIRT_ACT_USER_UPDATE, d);
		if (u->id == p->user_id)
			return cirt_diag_set(d, -CIRT_ECONFLICT, NULL,
					     "you cannot disable your own "
					     "account or change its role");
	}
	if (c->password == NULL)
		return 0;
	if (!cirt_authz_covers(p, CIRT_ACT_USER_PASSWORD, u->id, u->org_id))
		return denied(p, CIRT_ACT_USER_PASSWORD, d);
	if (cirt_authz_scope(p, CIRT_ACT_USER_PASSWORD) == CIRT_SCOPE_ALL)
		return 0;
	if (cur == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, "current_password",
				     "current_password is required to change "
				     "your password");
	if (cirt_user_login(cirt_req_db(r), p->user, cur, cur_len, &again,
			    NULL) < 0)
		return cirt_diag_set(d, -CIRT_EPERM, "current_password",
				     "current_password is wrong");
	return 0;
}

int cirt_api_user_update(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_user_change c = {0};
	const char *cur = NULL;
	struct cirt_user u;
	size_t cur_len = 0;
	int rc;

	rc = visible_user(r, &u, d);
	if (rc == 0)
		rc = read_change(cirt_req_body(r), &c, &cur, &cur_len, d);
	if (rc == 0)
		rc = check_change(r, &u, &c, cur, cur_len, d);
	if (rc == 0)
		rc = cirt_user_update(cirt_req_db(r), cirt_req_actor(r), u.name,
				      &c, &u, d);
	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 200, cirt_user_json(&u));
}
