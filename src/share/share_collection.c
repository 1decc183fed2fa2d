/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * API roots, collections and their grants. See share/share.h.
 */
#include "share/share.h"

#include <stdio.h>
#include <string.h>

#include "account/org.h"
#include "core/json.h"
#include "core/text.h"
#include "core/time.h"
#include "core/banned.h"

#define ROOT_COLS "id, name, title, description, created_at"
#define COLLECTION_COLS                                                 \
	"c.id, c.uuid, c.api_root_id, r.name, c.title, c.description, " \
	"coalesce(c.alias, ''), c.tlp_max, c.spec_versions, c.created_at"
#define COLLECTION_FROM \
	" FROM collections c JOIN api_roots r ON r.id = c.api_root_id "

static const struct cirt_sql q_root_get = {
	"SELECT " ROOT_COLS " FROM api_roots WHERE name = ?", NULL};
static const struct cirt_sql q_root_list = {
	"SELECT " ROOT_COLS " FROM api_roots ORDER BY name", NULL};
static const struct cirt_sql q_root_insert = {
	"INSERT INTO api_roots (name, title, description, created_at) "
	"VALUES (?, ?, ?, ?) RETURNING id",
	NULL};
static const struct cirt_sql q_insert = {
	"INSERT INTO collections (uuid, api_root_id, title, description, "
	"alias, tlp_max, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
	"RETURNING id",
	NULL};
static const struct cirt_sql q_grant = {
	"INSERT INTO collection_grants (collection_id, org_id, can_read, "
	"can_write) VALUES (?, ?, ?, ?)",
	NULL};
static const struct cirt_sql q_get = {
	"SELECT " COLLECTION_COLS COLLECTION_FROM
	"WHERE (CAST(? AS BIGINT) = 0 OR c.api_root_id = ?) "
	"AND (c.uuid = ? OR c.alias = ?) ORDER BY c.id LIMIT 1",
	NULL};
static const struct cirt_sql q_list = {
	"SELECT " COLLECTION_COLS COLLECTION_FROM
	"WHERE (CAST(? AS BIGINT) = 0 OR c.api_root_id = ?) ORDER BY c.id",
	NULL};
static const struct cirt_sql q_access = {
	"SELECT can_read, can_write FROM collection_grants "
	"WHERE collection_id = ? AND org_id = ?",
	NULL};
static const struct cirt_sql q_grants = {
	"SELECT o.name, g.can_read, g.can_write FROM collection_grants g "
	"JOIN orgs o ON o.id = g.org_id WHERE g.collection_id = ? "
	"ORDER BY o.name",
	NULL};

int cirt_root_check_name(const char *name, size_t len, struct cirt_diag *d)
{
	if (len > 0 && memchr(name, '@', len) != NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, "root",
				     "an API root name may not contain '@'");
	return cirt_text_check_ident(name, len, CIRT_ROOT_NAME_MAX, "root", d);
}

static void read_root(struct cirt_stmt *s, struct cirt_api_root *r)
{
	r->id = cirt_stmt_i64(s, 0);
	snprintf(r->name, sizeof(r->name), "%s", cirt_stmt_text(s, 1));
	snprintf(r->title, sizeof(r->title), "%s", cirt_stmt_text(s, 2));
	snprintf(r->description, sizeof(r->description), "%s",
		 cirt_stmt_text(s, 3));
	r->created_at = cirt_stmt_i64(s, 4);
}

int cirt_root_get(struct cirt_db *db, const char *name,
		  struct cirt_api_root *out, struct cirt_diag *d)
{
	struct cirt_stmt *s;
	int rc = CIRT_DB_DONE;

	if (cirt_utf8_valid(name, strlen(name), NULL)) {
		s = cirt_db_stmt(db, &q_root_get, d);
		if (s == NULL)
			return d ? d->code : -CIRT_EIO;
		cirt_stmt_bind_str(s, 1, name);
		rc = cirt_stmt_step(s, d);
		if (rc == CIRT_DB_ROW) {
			read_root(s, out);
			cirt_stmt_reset(s);
			return 0;
		}
	}
	if (rc < 0)
		return rc;
	return cirt_diag_set(d, -CIRT_ENOTFOUND, "root",
			     "no API root named '%s'", name);
}

static int root_insert(struct cirt_db *db, const struct cirt_actor *who,
		       const char *name, const char *title,
		       const char *description, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_root_insert, d);
	char object[CIRT_ROOT_NAME_MAX + 8];
	json_t *detail;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_str(s, 1, name);
	cirt_stmt_bind_str(s, 2, title);
	cirt_stmt_bind_str(s, 3, description ? description : "");
	cirt_stmt_bind_i64(s, 4, cirt_time_now_us());
	rc = cirt_stmt_exec(s, d);
	if (rc < 0)
		return rc;
	snprintf(object, sizeof(object), "root:%s", name);
	detail = json_pack("{s:s}", "title", title);
	rc = cirt_audit_append(db, who, "root.add", object, detail, d);
	json_decref(detail);
	return rc;
}

/* Inside the caller's transaction. */
static int root_ensure_tx(struct cirt_db *db, const struct cirt_actor *who,
			  const char *name, const char *title,
			  const char *description, struct cirt_api_root *out,
			  bool *made, struct cirt_diag *d)
{
	struct cirt_diag inner;
	int rc;

	cirt_diag_init(&inner);
	if (made)
		*made = false;
	rc = cirt_root_get(db, name, out, &inner);
	if (rc != -CIRT_ENOTFOUND)
		return rc < 0 ? cirt_diag_set(d, rc, NULL, "%s", inner.message)
			      : 0;
	rc = cirt_root_check_name(name, strlen(name), d);
	if (rc == 0)
		rc = cirt_text_check_line(title, strlen(title), 1,
					  CIRT_TITLE_MAX, "title", d);
	if (rc == 0 && description && *description)
		rc = cirt_text_check_line(description, strlen(description), 1,
					  CIRT_DESCRIPTION_MAX, "description",
					  d);
	if (rc == 0)
		rc = root_insert(db, who, name, title, description, d);
	if (rc == 0)
		rc = cirt_root_get(db, name, out, d);
	if (rc == 0 && made)
		*made = true;
	return rc;
}

int cirt_root_ensure(struct cirt_db *db, const struct cirt_actor *who,
		     const char *name, const char *title,
		     const char *description, struct cirt_api_root *out,
		     bool *made, struct cirt_diag *d)
{
	int rc = cirt_db_begin(db, d);

	if (rc < 0)
		return rc;
	rc = root_ensure_tx(db, who, name, title, description, out, made, d);
	return cirt_db_end(db, rc, d);
}

int cirt_root_list(struct cirt_db *db, cirt_root_fn fn, void *arg,
		   struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_root_list, d);
	struct cirt_api_root r;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		read_root(s, &r);
		rc = fn(&r, arg);
		if (rc < 0) {
			cirt_stmt_reset(s);
			return rc;
		}
	}
	return rc;
}

static void read_collection(struct cirt_stmt *s, struct cirt_collection *c)
{
	int64_t tlp;

	memset(c, 0, sizeof(*c));
	c->id = cirt_stmt_i64(s, 0);
	snprintf(c->uuid, sizeof(c->uuid), "%s", cirt_stmt_text(s, 1));
	c->root_id = cirt_stmt_i64(s, 2);
	snprintf(c->root, sizeof(c->root), "%s", cirt_stmt_text(s, 3));
	snprintf(c->title, sizeof(c->title), "%s", cirt_stmt_text(s, 4));
	snprintf(c->description, sizeof(c->description), "%s",
		 cirt_stmt_text(s, 5));
	snprintf(c->alias, sizeof(c->alias), "%s", cirt_stmt_text(s, 6));
	tlp = cirt_stmt_i64(s, 7);
	c->tlp_max = tlp >= CIRT_TLP_CLEAR && tlp < CIRT_TLP_RED
			     ? (enum cirt_tlp)tlp
			     : CIRT_TLP_CLEAR;
	snprintf(c->spec_versions, sizeof(c->spec_versions), "%s",
		 cirt_stmt_text(s, 8));
	c->created_at = cirt_stmt_i64(s, 9);
}

static int check_new(const struct cirt_collection_new *n, struct cirt_diag *d)
{
	int rc = cirt_text_check_line(n->title, strlen(n->title), 1,
				      CIRT_TITLE_MAX, "title", d);

	if (rc == 0 && n->description && *n->description)
		rc = cirt_text_check_line(
			n->description, strlen(n->description), 1,
			CIRT_DESCRIPTION_MAX, "description", d);
	if (rc == 0 && n->alias)
		rc = cirt_text_check_ident(n->alias, strlen(n->alias),
					   CIRT_ALIAS_MAX, "alias", d);
	if (rc == 0 && n->alias && cirt_uuid_valid(n->alias))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "alias",
				   "an alias may not have the form of a UUID: "
				   "it would hide a collection's id");
	if (rc == 0 && n->uuid && !cirt_uuid_valid(n->uuid))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "id",
				   "a collection id must be a UUID, not '%s'",
				   n->uuid);
	if (rc == 0 &&
	    (n->tlp_max < CIRT_TLP_CLEAR || n->tlp_max > CIRT_TLP_AMBER_STRICT))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "tlp_max",
				   "a collection's TLP ceiling must be clear, "
				   "green, amber or amber+strict: TLP:RED "
				   "never enters a shared collection");
	if (rc == 0 && n->ngrants > CIRT_GRANTS_MAX)
		rc = cirt_diag_set(d, -CIRT_ELIMIT, "grants",
				   "more than %d organisations in the grants",
				   CIRT_GRANTS_MAX);
	return rc;
}

static int insert(struct cirt_db *db, const struct cirt_collection_new *n,
		  int64_t root_id, const char *uuid, int64_t *id,
		  struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_insert, d);
	struct cirt_diag inner;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_diag_init(&inner);
	cirt_stmt_bind_str(s, 1, uuid);
	cirt_stmt_bind_i64(s, 2, root_id);
	cirt_stmt_bind_str(s, 3, n->title);
	cirt_stmt_bind_str(s, 4, n->description ? n->description : "");
	cirt_stmt_bind_str(s, 5, n->alias);
	cirt_stmt_bind_i64(s, 6, n->tlp_max);
	cirt_stmt_bind_i64(s, 7, cirt_time_now_us());
	rc = cirt_stmt_step(s, &inner);
	if (rc == CIRT_DB_ROW) {
		*id = cirt_stmt_i64(s, 0);
		cirt_stmt_reset(s);
		return 0;
	}
	if (rc == -CIRT_ECONFLICT)
		return cirt_diag_set(d, rc, n->alias ? "alias" : "id",
				     "a collection with this %s exists already",
				     n->alias ? "alias in this API root"
					      : "id");
	return cirt_diag_set(d, rc < 0 ? rc : -CIRT_EINTERNAL, NULL, "%s",
			     inner.message);
}

int cirt_grantee_get(struct cirt_db *db, const char *name, struct cirt_org *out,
		     struct cirt_diag *d)
{
	int rc = cirt_org_get(db, name, out, d);

	if (rc == 0 && out->kind == CIRT_ORG_TEAM)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "grants",
				   "'%s' is the team: it reads and writes "
				   "every collection already",
				   name);
	return rc;
}

static int add_grants(struct cirt_db *db, int64_t id,
		      const struct cirt_collection_new *n, json_t *detail,
		      struct cirt_diag *d)
{
	struct cirt_stmt *s;
	struct cirt_org o;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n->ngrants; i++) {
		const struct cirt_grant *g = &n->grants[i];

		rc = cirt_grantee_get(db, g->org, &o, d);
		if (rc < 0)
			break;
		s = cirt_db_stmt(db, &q_grant, d);
		if (s == NULL)
			return d ? d->code : -CIRT_EIO;
		cirt_stmt_bind_i64(s, 1, id);
		cirt_stmt_bind_i64(s, 2, o.id);
		cirt_stmt_bind_i64(s, 3, g->can_read);
		cirt_stmt_bind_i64(s, 4, g->can_write);
		rc = cirt_stmt_exec(s, d);
		if (rc == -CIRT_ECONFLICT)
			rc = cirt_diag_set(d, rc, "grants",
					   "'%s' is granted twice", g->org);
		if (rc == 0)
			json_array_append_new(
				detail, json_pack("{s:s, s:b, s:b}", "org",
						  o.name, "read", g->can_read,
						  "write", g->can_write));
	}
	return rc;
}

static int add_tx(struct cirt_db *db, const struct cirt_actor *who,
		  const struct cirt_collection_new *n,
		  struct cirt_collection *out, struct cirt_diag *d)
{
	char uuid[CIRT_UUID_LEN + 1], object[CIRT_UUID_LEN + 16];
	struct cirt_api_root root;
	json_t *grants = json_array(), *detail;
	int64_t id = 0;
	int rc;

	if (n->uuid)
		snprintf(uuid, sizeof(uuid), "%s", n->uuid);
	else
		cirt_uuid4(uuid);
	rc = root_ensure_tx(db, who, n->root, n->root, NULL, &root, NULL, d);
	if (rc == 0)
		rc = insert(db, n, root.id, uuid, &id, d);
	if (rc == 0)
		rc = add_grants(db, id, n, grants, d);
	if (rc == 0) {
		snprintf(object, sizeof(object), "collection:%s", uuid);
		detail = json_pack("{s:s, s:s, s:s, s:O}", "root", root.name,
				   "title", n->title, "tlp_max",
				   cirt_tlp_name(n->tlp_max), "grants", grants);
		rc = cirt_audit_append(db, who, "collection.add", object,
				       detail, d);
		json_decref(detail);
	}
	json_decref(grants);
	if (rc == 0)
		rc = cirt_collection_get(db, root.id, uuid, out, d);
	return rc;
}

int cirt_collection_add(struct cirt_db *db, const struct cirt_actor *who,
			const struct cirt_collection_new *n,
			struct cirt_collection *out, struct cirt_diag *d)
{
	int rc = check_new(n, d);

	if (rc == 0)
		rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	rc = add_tx(db, who, n, out, d);
	return cirt_db_end(db, rc, d);
}

int cirt_collection_get(struct cirt_db *db, int64_t root_id, const char *key,
			struct cirt_collection *out, struct cirt_diag *d)
{
	struct cirt_stmt *s;
	int rc = CIRT_DB_DONE;

	if (cirt_utf8_valid(key, strlen(key), NULL)) {
		s = cirt_db_stmt(db, &q_get, d);
		if (s == NULL)
			return d ? d->code : -CIRT_EIO;
		cirt_stmt_bind_i64(s, 1, root_id);
		cirt_stmt_bind_i64(s, 2, root_id);
		cirt_stmt_bind_str(s, 3, key);
		cirt_stmt_bind_str(s, 4, key);
		rc = cirt_stmt_step(s, d);
		if (rc == CIRT_DB_ROW) {
			read_collection(s, out);
			cirt_stmt_reset(s);
			return 0;
		}
	}
	if (rc < 0)
		return rc;
	return cirt_diag_set(d, -CIRT_ENOTFOUND, "collection",
			     "no collection '%s'", key);
}

int cirt_collection_list(struct cirt_db *db, int64_t root_id,
			 cirt_collection_fn fn, void *arg, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_list, d);
	struct cirt_collection c;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, root_id);
	cirt_stmt_bind_i64(s, 2, root_id);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		read_collection(s, &c);
		rc = fn(&c, arg);
		if (rc < 0) {
			cirt_stmt_reset(s);
			return rc;
		}
	}
	return rc;
}

int cirt_collection_access(struct cirt_db *db, const struct cirt_principal *p,
			   const struct cirt_collection *c, bool *can_read,
			   bool *can_write, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_access, d);
	bool r = false, w = false;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, c->id);
	cirt_stmt_bind_i64(s, 2, p->org_id);
	rc = cirt_stmt_step(s, d);
	if (rc < 0)
		return rc;
	if (rc == CIRT_DB_ROW) {
		r = cirt_stmt_i64(s, 0) != 0;
		w = cirt_stmt_i64(s, 1) != 0;
		cirt_stmt_reset(s);
	}
	cirt_authz_collection(p, r, w, can_read, can_write);
	return 0;
}

int cirt_collection_grants(struct cirt_db *db, const struct cirt_collection *c,
			   cirt_grant_fn fn, void *arg, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_grants, d);
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, c->id);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		rc = fn(cirt_stmt_text(s, 0), cirt_stmt_i64(s, 1) != 0,
			cirt_stmt_i64(s, 2) != 0, arg);
		if (rc < 0) {
			cirt_stmt_reset(s);
			return rc;
		}
	}
	return rc;
}
