/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Users. See account/user.h.
 */
#include "account/user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account_int.h"
#include "account/password.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/time.h"
#include "core/banned.h"

#define USER_COLS CIRT_PRINCIPAL_COLS ", u.created_at, u.updated_at"
#define USER_FROM " FROM users u" CIRT_PRINCIPAL_JOIN

static const struct cirt_sql q_insert = {
	"INSERT INTO users (name, org_id, role, password_hash, disabled, "
	"created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?) RETURNING id",
	NULL};
static const struct cirt_sql q_get = {
	"SELECT " USER_COLS USER_FROM "WHERE u.name = ?", NULL};
static const struct cirt_sql q_list = {
	"SELECT " USER_COLS USER_FROM
	"WHERE u.id > ? AND (CAST(? AS BIGINT) = 0 OR u.org_id = ?) "
	"AND (CAST(? AS BIGINT) = 0 OR u.id = ?) AND (? = '' OR u.role = ?) "
	"ORDER BY u.id LIMIT ?",
	NULL};
static const struct cirt_sql q_login = {"SELECT " CIRT_PRINCIPAL_COLS
					", u.password_hash" USER_FROM
					"WHERE u.name = ?",
					NULL};
static const struct cirt_sql q_set_disabled = {
	"UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", NULL};
static const struct cirt_sql q_set_role = {
	"UPDATE users SET role = ?, updated_at = ? WHERE id = ?", NULL};
static const struct cirt_sql q_set_password = {
	"UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
	NULL};
static const struct cirt_sql q_end_sessions = {
	"DELETE FROM sessions WHERE user_id = ?", NULL};

bool cirt_principal_read(struct cirt_stmt *s, int col, struct cirt_principal *p)
{
	memset(p, 0, sizeof(*p));
	p->user_id = cirt_stmt_i64(s, col);
	snprintf(p->user, sizeof(p->user), "%s", cirt_stmt_text(s, col + 1));
	if (cirt_role_parse(cirt_stmt_text(s, col + 2), &p->role) < 0)
		p->role = CIRT_ROLE_PARTNER; /* least privilege */
	p->org_id = cirt_stmt_i64(s, col + 4);
	snprintf(p->org, sizeof(p->org), "%s", cirt_stmt_text(s, col + 5));
	if (cirt_org_kind_parse(cirt_stmt_text(s, col + 6), &p->org_kind) < 0)
		p->org_kind = CIRT_ORG_PARTNER;
	return cirt_stmt_i64(s, col + 3) != 0;
}

static void read_user(struct cirt_stmt *s, struct cirt_user *u)
{
	struct cirt_principal p;

	memset(u, 0, sizeof(*u));
	u->disabled = cirt_principal_read(s, 0, &p);
	u->id = p.user_id;
	memcpy(u->name, p.user, sizeof(u->name));
	u->role = p.role;
	u->org_id = p.org_id;
	memcpy(u->org, p.org, sizeof(u->org));
	u->org_kind = p.org_kind;
	u->created_at = cirt_stmt_i64(s, CIRT_PRINCIPAL_NCOLS);
	u->updated_at = cirt_stmt_i64(s, CIRT_PRINCIPAL_NCOLS + 1);
}

int cirt_user_check_name(const char *name, size_t len, const char *field,
			 struct cirt_diag *d)
{
	return cirt_text_check_ident(name, len, CIRT_USER_NAME_MAX, field, d);
}

static int check_role_fits(enum cirt_role role, const struct cirt_org *o,
			   struct cirt_diag *d)
{
	enum cirt_org_kind need = cirt_role_org_kind(role);

	if (o->kind == need)
		return 0;
	return cirt_diag_set(d, -CIRT_EINVAL, "role",
			     "role '%s' needs an organisation of kind %s, "
			     "and '%s' is a %s",
			     cirt_role_name(role), cirt_org_kind_name(need),
			     o->name, cirt_org_kind_name(o->kind));
}

static int audit_user(struct cirt_db *db, const struct cirt_actor *who,
		      const char *action, const char *name, json_t *detail,
		      struct cirt_diag *d)
{
	char object[CIRT_USER_NAME_MAX + 8];
	int rc;

	snprintf(object, sizeof(object), "user:%s", name);
	rc = cirt_audit_append(db, who, action, object, detail, d);
	json_decref(detail);
	return rc;
}

static int insert(struct cirt_db *db, const struct cirt_user_new *u,
		  const struct cirt_org *o, const char *hash, int64_t *id,
		  struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_insert, d);
	struct cirt_diag inner;
	int64_t now = cirt_time_now_us();
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_diag_init(&inner);
	cirt_stmt_bind_text(s, 1, u->name, u->name_len);
	cirt_stmt_bind_i64(s, 2, o->id);
	cirt_stmt_bind_str(s, 3, cirt_role_name(u->role));
	cirt_stmt_bind_str(s, 4, hash);
	cirt_stmt_bind_i64(s, 5, now);
	cirt_stmt_bind_i64(s, 6, now);
	rc = cirt_stmt_step(s, &inner);
	if (rc == CIRT_DB_ROW) {
		*id = cirt_stmt_i64(s, 0);
		cirt_stmt_reset(s);
		return 0;
	}
	if (rc == -CIRT_ECONFLICT)
		return cirt_diag_set(d, rc, "name",
				     "a user named '%.*s' already exists",
				     (int)u->name_len, u->name);
	return cirt_diag_set(d, rc < 0 ? rc : -CIRT_EINTERNAL, NULL, "%s",
			     inner.message);
}

int cirt_user_add(struct cirt_db *db, const struct cirt_actor *who,
		  const struct cirt_user_new *u, struct cirt_user *out,
		  struct cirt_diag *d)
{
	char hash[CIRT_PASSWORD_HASH_MAX];
	struct cirt_org o;
	int64_t id = 0;
	int rc;

	rc = cirt_user_check_name(u->name, u->name_len, "name", d);
	if (rc == 0)
		rc = cirt_password_check_policy(u->password, u->password_len,
						d);
	if (rc == 0)
		rc = cirt_org_get(db, u->org, &o, d);
	if (rc == 0)
		rc = check_role_fits(u->role, &o, d);
	if (rc == 0)
		rc = cirt_password_hash(u->password, u->password_len, hash, d);
	if (rc < 0)
		return rc;
	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	rc = insert(db, u, &o, hash, &id, d);
	if (rc == 0)
		rc = audit_user(db, who, "user.add", u->name,
				json_pack("{s:I, s:s, s:s}", "id",
					  (json_int_t)id, "org", o.name, "role",
					  cirt_role_name(u->role)),
				d);
	rc = cirt_db_end(db, rc, d);
	if (rc == 0 && out)
		rc = cirt_user_get(db, u->name, out, d);
	return rc;
}

int cirt_user_get(struct cirt_db *db, const char *name, struct cirt_user *out,
		  struct cirt_diag *d)
{
	struct cirt_stmt *s = NULL;
	int rc = CIRT_DB_DONE;

	/* A name that cannot be stored cannot exist. */
	if (cirt_utf8_valid(name, strlen(name), NULL)) {
		s = cirt_db_stmt(db, &q_get, d);
		if (s == NULL)
			return d ? d->code : -CIRT_EIO;
		cirt_stmt_bind_str(s, 1, name);
		rc = cirt_stmt_step(s, d);
	}
	if (rc < 0)
		return rc;
	if (rc == CIRT_DB_DONE)
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "user",
				     "no user named '%s'", name);
	read_user(s, out);
	cirt_stmt_reset(s);
	return 0;
}

int cirt_user_list(struct cirt_db *db, const struct cirt_user_filter *f,
		   cirt_user_fn fn, void *arg, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_list, d);
	const char *role =
		f->role >= 0 ? cirt_role_name((enum cirt_role)f->role) : "";
	struct cirt_user u;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, f->after);
	cirt_stmt_bind_i64(s, 2, f->org_id);
	cirt_stmt_bind_i64(s, 3, f->org_id);
	cirt_stmt_bind_i64(s, 4, f->only);
	cirt_stmt_bind_i64(s, 5, f->only);
	cirt_stmt_bind_str(s, 6, role);
	cirt_stmt_bind_str(s, 7, role);
	cirt_stmt_bind_i64(s, 8, f->limit);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		read_user(s, &u);
		rc = fn(&u, arg);
		if (rc < 0) {
			cirt_stmt_reset(s);
			return rc;
		}
	}
	return rc;
}

/* Run an UPDATE of one user column (int or text value) by id. */
static int update(struct cirt_db *db, const struct cirt_sql *q, int64_t id,
		  const char *text, int64_t value, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, q, d);

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	if (text)
		cirt_stmt_bind_str(s, 1, text);
	else
		cirt_stmt_bind_i64(s, 1, value);
	cirt_stmt_bind_i64(s, 2, cirt_time_now_us());
	cirt_stmt_bind_i64(s, 3, id);
	return cirt_stmt_exec(s, d);
}

static int end_sessions(struct cirt_db *db, int64_t user_id,
			struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_end_sessions, d);

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, user_id);
	return cirt_stmt_exec(s, d);
}

static int change_role(struct cirt_db *db, const struct cirt_actor *who,
		       const struct cirt_user *u, enum cirt_role role,
		       struct cirt_diag *d)
{
	struct cirt_org o = {0};
	int rc;

	if (u->role == role)
		return 0;
	o.kind = u->org_kind;
	memcpy(o.name, u->org, sizeof(o.name));
	rc = check_role_fits(role, &o, d);
	if (rc == 0)
		rc = update(db, &q_set_role, u->id, cirt_role_name(role), 0, d);
	if (rc == 0)
		rc = audit_user(db, who, "user.role", u->name,
				json_pack("{s:s, s:s}", "from",
					  cirt_role_name(u->role), "to",
					  cirt_role_name(role)),
				d);
	return rc;
}

static int change_disabled(struct cirt_db *db, const struct cirt_actor *who,
			   const struct cirt_user *u, bool disabled,
			   struct cirt_diag *d)
{
	int rc;

	if (u->disabled == disabled)
		return 0;
	rc = update(db, &q_set_disabled, u->id, NULL, disabled ? 1 : 0, d);
	if (rc == 0 && disabled)
		rc = end_sessions(db, u->id, d);
	if (rc == 0)
		rc = audit_user(db, who,
				disabled ? "user.disable" : "user.enable",
				u->name, NULL, d);
	return rc;
}

static int change_password(struct cirt_db *db, const struct cirt_actor *who,
			   const struct cirt_user *u, const char *hash,
			   struct cirt_diag *d)
{
	int rc = update(db, &q_set_password, u->id, hash, 0, d);

	if (rc == 0)
		rc = end_sessions(db, u->id, d);
	if (rc == 0)
		rc = audit_user(db, who, "user.password", u->name, NULL, d);
	return rc;
}

int cirt_user_update(struct cirt_db *db, const struct cirt_actor *who,
		     const char *name, const struct cirt_user_change *c,
		     struct cirt_user *out, struct cirt_diag *d)
{
	char hash[CIRT_PASSWORD_HASH_MAX];
	struct cirt_user u;
	int rc = 0;

	/* The slow and the fallible-by-input parts come before the
	 * transaction. */
	if (c->password) {
		rc = cirt_password_check_policy(c->password, c->password_len,
						d);
		if (rc == 0)
			rc = cirt_password_hash(c->password, c->password_len,
						hash, d);
		if (rc < 0)
			return rc;
	}
	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	rc = cirt_user_get(db, name, &u, d);
	if (rc == 0 && c->set_role)
		rc = change_role(db, who, &u, c->role, d);
	if (rc == 0 && c->set_disabled)
		rc = change_disabled(db, who, &u, c->disabled, d);
	if (rc == 0 && c->password)
		rc = change_password(db, who, &u, hash, d);
	rc = cirt_db_end(db, rc, d);
	if (rc == 0 && out)
		rc = cirt_user_get(db, name, out, d);
	return rc;
}

int cirt_user_login(struct cirt_db *db, const char *name, const char *pw,
		    size_t len, struct cirt_principal *out, struct cirt_diag *d)
{
	struct cirt_stmt *s = NULL;
	char *hash = NULL;
	bool disabled = false, ok;
	int rc = CIRT_DB_DONE;

	/* A name that cannot be stored is an unknown user. */
	if (cirt_utf8_valid(name, strlen(name), NULL)) {
		s = cirt_db_stmt(db, &q_login, d);
		if (s == NULL)
			return d ? d->code : -CIRT_EIO;
		cirt_stmt_bind_str(s, 1, name);
		rc = cirt_stmt_step(s, d);
	}
	if (rc < 0)
		return rc;
	if (rc == CIRT_DB_ROW) {
		disabled = cirt_principal_read(s, 0, out);
		hash = cirt_xstrdup(cirt_stmt_text(s, CIRT_PRINCIPAL_NCOLS));
		cirt_stmt_reset(s);
	}
	/* Verify outside any statement: it takes tens of milliseconds. */
	if (hash) {
		ok = cirt_password_verify(hash, pw, len);
		free(hash);
	} else {
		cirt_password_burn(pw, len);
		ok = false;
	}
	if (!ok)
		return cirt_diag_set(d, -CIRT_EAUTH, NULL,
				     "wrong user name or password");
	if (disabled)
		return cirt_diag_set(d, -CIRT_EAUTH, NULL,
				     "user '%s' is disabled", name);
	out->via = CIRT_VIA_PASSWORD;
	return 0;
}

json_t *cirt_user_json(const struct cirt_user *u)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:b, s:o, s:o}", "id",
			 (json_int_t)u->id, "name", u->name, "org", u->org,
			 "role", cirt_role_name(u->role), "disabled",
			 u->disabled, "created_at",
			 cirt_json_time(u->created_at), "updated_at",
			 cirt_json_time(u->updated_at));
}
