/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Organisations. See account/org.h.
 */
#include "account/org.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/text.h"
#include "core/time.h"
#include "core/banned.h"

static const char *const kind_names[CIRT_ORG_KIND_COUNT] = {
	[CIRT_ORG_TEAM] = "team",
	[CIRT_ORG_CONSTITUENT] = "constituent",
	[CIRT_ORG_PARTNER] = "partner",
};

/*
 * Sectors for the national statistics: the sectors of NIS2 (Directive
 * (EU) 2022/2555) Annexes I and II, with banking and financial market
 * infrastructure apart as there, plus education, government (bodies
 * outside public administration proper, e.g. parliament and courts),
 * research and other.
 */
static const char *const sectors[] = {
	"energy",
	"transport",
	"banking",
	"financial-market-infrastructure",
	"health",
	"drinking-water",
	"waste-water",
	"digital-infrastructure",
	"ict-service-management",
	"public-administration",
	"space",
	"postal",
	"waste-management",
	"chemicals",
	"food",
	"manufacturing",
	"digital-providers",
	"research",
	"education",
	"government",
	"other",
};

#define NSECTORS (sizeof(sectors) / sizeof(sectors[0]))

static const struct cirt_sql q_insert = {
	"INSERT INTO orgs (name, kind, sector, created_at) VALUES (?, ?, ?, ?) "
	"RETURNING id",
	NULL};
static const struct cirt_sql q_by_name = {
	"SELECT id, name, kind, created_at, sector FROM orgs WHERE name = ?",
	NULL};
static const struct cirt_sql q_team = {
	"SELECT id, name, kind, created_at, sector FROM orgs "
	"WHERE kind = 'team'",
	NULL};
static const struct cirt_sql q_list = {
	"SELECT id, name, kind, created_at, sector FROM orgs "
	"WHERE id > ? AND (? = '' OR kind = ?) "
	"AND (CAST(? AS BIGINT) = 0 OR id = ?) ORDER BY id LIMIT ?",
	NULL};

const char *cirt_org_kind_name(enum cirt_org_kind k)
{
	return (unsigned)k < CIRT_ORG_KIND_COUNT ? kind_names[k] : "?";
}

int cirt_org_kind_parse(const char *s, enum cirt_org_kind *out)
{
	for (int i = 0; i < CIRT_ORG_KIND_COUNT; i++) {
		if (strcmp(s, kind_names[i]) == 0) {
			*out = (enum cirt_org_kind)i;
			return 0;
		}
	}
	return -CIRT_EINVAL;
}

const char *const *cirt_org_sectors(size_t *n)
{
	*n = NSECTORS;
	return sectors;
}

int cirt_org_check_sector(const char *sector, const char *field,
			  struct cirt_diag *d)
{
	char list[512];
	size_t used = 0;

	if (sector[0] == '\0')
		return 0;
	for (size_t i = 0; i < NSECTORS; i++)
		if (strcmp(sector, sectors[i]) == 0)
			return 0;
	list[0] = '\0';
	for (size_t i = 0; i < NSECTORS && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
					 "%s%s", i ? ", " : "", sectors[i]);
	return cirt_diag_set(d, -CIRT_EINVAL, field,
			     "%s '%.40s' is not a sector; sectors: %s", field,
			     sector, list);
}

int cirt_org_check_name(const char *name, size_t len, const char *field,
			struct cirt_diag *d)
{
	return cirt_text_check_line(name, len, 1, CIRT_ORG_NAME_MAX, field, d);
}

static void read_org(struct cirt_stmt *s, struct cirt_org *o)
{
	o->id = cirt_stmt_i64(s, 0);
	snprintf(o->name, sizeof(o->name), "%s", cirt_stmt_text(s, 1));
	if (cirt_org_kind_parse(cirt_stmt_text(s, 2), &o->kind) < 0)
		o->kind = CIRT_ORG_CONSTITUENT;
	o->created_at = cirt_stmt_i64(s, 3);
	snprintf(o->sector, sizeof(o->sector), "%s", cirt_stmt_text(s, 4));
}

/* Run a one-row lookup; -CIRT_ENOTFOUND (message left to the caller) when
 * there is no row. */
static int get_one(struct cirt_db *db, const struct cirt_sql *q,
		   const char *arg, struct cirt_org *out, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, q, d);
	struct cirt_org o;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	if (arg)
		cirt_stmt_bind_str(s, 1, arg);
	rc = cirt_stmt_step(s, d);
	if (rc < 0)
		return rc;
	if (rc == CIRT_DB_DONE)
		return -CIRT_ENOTFOUND;
	read_org(s, &o);
	cirt_stmt_reset(s);
	if (out)
		*out = o;
	return 0;
}

static int insert(struct cirt_db *db, const char *name, size_t len,
		  enum cirt_org_kind kind, const char *sector,
		  struct cirt_org *o, struct cirt_diag *d)
{
	struct cirt_diag inner;
	struct cirt_stmt *s;
	int rc;

	cirt_diag_init(&inner);
	/* Checked first: a failed INSERT would abort a PostgreSQL
	 * transaction and leave no way to tell which rule it broke. */
	if (kind == CIRT_ORG_TEAM) {
		rc = get_one(db, &q_team, NULL, NULL, d);
		if (rc == 0)
			return cirt_diag_set(d, -CIRT_ECONFLICT, "kind",
					     "there is already a team "
					     "organisation; there can be only "
					     "one");
		if (rc != -CIRT_ENOTFOUND)
			return rc;
	}
	s = cirt_db_stmt(db, &q_insert, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	memset(o, 0, sizeof(*o));
	snprintf(o->name, sizeof(o->name), "%.*s", (int)len, name);
	o->kind = kind;
	snprintf(o->sector, sizeof(o->sector), "%s", sector);
	o->created_at = cirt_time_now_us();
	cirt_stmt_bind_text(s, 1, name, len);
	cirt_stmt_bind_str(s, 2, cirt_org_kind_name(kind));
	cirt_stmt_bind_str(s, 3, sector);
	cirt_stmt_bind_i64(s, 4, o->created_at);
	rc = cirt_stmt_step(s, &inner);
	if (rc == CIRT_DB_ROW) {
		o->id = cirt_stmt_i64(s, 0);
		cirt_stmt_reset(s);
		return 0;
	}
	if (rc == -CIRT_ECONFLICT)
		return cirt_diag_set(d, rc, "name",
				     "an organisation named '%s' already "
				     "exists",
				     o->name);
	return cirt_diag_set(d, rc < 0 ? rc : -CIRT_EINTERNAL, NULL, "%s",
			     inner.message);
}

int cirt_org_add(struct cirt_db *db, const struct cirt_actor *who,
		 const char *name, size_t len, enum cirt_org_kind kind,
		 struct cirt_org *out, struct cirt_diag *d)
{
	struct cirt_org_new n = {name, len, kind, NULL};

	return cirt_org_create(db, who, &n, out, d);
}

int cirt_org_insert(struct cirt_db *db, const struct cirt_org_new *n,
		    struct cirt_org *out, struct cirt_diag *d)
{
	const char *sector = n->sector ? n->sector : "";
	int rc = cirt_org_check_name(n->name, n->name_len, "name", d);

	if (rc == 0)
		rc = cirt_org_check_sector(sector, "sector", d);
	if (rc == 0)
		rc = insert(db, n->name, n->name_len, n->kind, sector, out, d);
	return rc;
}

int cirt_org_create(struct cirt_db *db, const struct cirt_actor *who,
		    const struct cirt_org_new *n, struct cirt_org *out,
		    struct cirt_diag *d)
{
	const char *sector = n->sector ? n->sector : "";
	char object[CIRT_ORG_NAME_MAX + 8];
	struct cirt_org o;
	json_t *detail;
	int rc;

	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	rc = cirt_org_insert(db, n, &o, d);
	if (rc == 0) {
		snprintf(object, sizeof(object), "org:%s", o.name);
		detail = json_pack("{s:I, s:s}", "id", (json_int_t)o.id, "kind",
				   cirt_org_kind_name(n->kind));
		if (sector[0])
			json_object_set_new(detail, "sector",
					    json_string(sector));
		rc = cirt_audit_append(db, who, "org.add", object, detail, d);
		json_decref(detail);
	}
	rc = cirt_db_end(db, rc, d);
	if (rc == 0 && out)
		*out = o;
	return rc;
}

int cirt_org_get(struct cirt_db *db, const char *name, struct cirt_org *out,
		 struct cirt_diag *d)
{
	/* A name that cannot be stored cannot exist. */
	int rc = cirt_utf8_valid(name, strlen(name), NULL)
			 ? get_one(db, &q_by_name, name, out, d)
			 : -CIRT_ENOTFOUND;

	if (rc == -CIRT_ENOTFOUND)
		return cirt_diag_set(d, rc, "org", "no organisation named '%s'",
				     name);
	return rc;
}

int cirt_org_team(struct cirt_db *db, struct cirt_org *out, struct cirt_diag *d)
{
	int rc = get_one(db, &q_team, NULL, out, d);

	if (rc == -CIRT_ENOTFOUND)
		return cirt_diag_set(d, rc, "org",
				     "there is no team organisation: run "
				     "`cirtkit init`");
	return rc;
}

int cirt_org_list(struct cirt_db *db, const struct cirt_org_filter *f,
		  cirt_org_fn fn, void *arg, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_list, d);
	const char *kind =
		f->kind >= 0 ? cirt_org_kind_name((enum cirt_org_kind)f->kind)
			     : "";
	struct cirt_org o;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, f->after);
	cirt_stmt_bind_str(s, 2, kind);
	cirt_stmt_bind_str(s, 3, kind);
	cirt_stmt_bind_i64(s, 4, f->only);
	cirt_stmt_bind_i64(s, 5, f->only);
	cirt_stmt_bind_i64(s, 6, f->limit);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		read_org(s, &o);
		rc = fn(&o, arg);
		if (rc < 0) {
			cirt_stmt_reset(s);
			return rc;
		}
	}
	return rc;
}

json_t *cirt_org_json(const struct cirt_org *o)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)o->id,
			 "name", o->name, "kind", cirt_org_kind_name(o->kind),
			 "sector", o->sector, "created_at",
			 cirt_json_time(o->created_at));
}
