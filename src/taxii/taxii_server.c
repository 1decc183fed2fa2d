/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * TAXII 2.1 server resources: discovery (section 4.1), API root (4.2),
 * status (4.3), collections (5.1) and collection (5.2). See taxii/taxii.h.
 */
#include "taxii/taxii.h"

#include <stdio.h>
#include <string.h>

#include "account/authz.h"
#include "account/org.h"
#include "core/json.h"
#include "core/time.h"
#include "share/share_status.h"
#include "core/banned.h"

#define ROOT_URL_MAX (CIRT_ROOT_NAME_MAX + 16)

static void root_url(const char *name, char out[ROOT_URL_MAX])
{
	snprintf(out, ROOT_URL_MAX, "/taxii2/%s/", name);
}

static int add_root(const struct cirt_api_root *root, void *arg)
{
	char url[ROOT_URL_MAX];

	root_url(root->name, url);
	json_array_append_new(arg, json_string(url));
	return 0;
}

int cirt_taxii_discovery(struct cirt_req *r, struct cirt_diag *d)
{
	json_t *roots = json_array(), *body;
	char title[CIRT_ORG_NAME_MAX + 64], url[ROOT_URL_MAX];
	struct cirt_api_root def;
	struct cirt_org team;
	int rc;

	rc = cirt_root_list(cirt_req_db(r), add_root, roots, d);
	if (rc == 0)
		rc = cirt_org_team(cirt_req_db(r), &team, d);
	if (rc < 0) {
		json_decref(roots);
		return rc;
	}
	snprintf(title, sizeof(title), "%s TAXII 2.1", team.name);
	body = json_pack("{s:s, s:s}", "title", title, "description",
			 "Threat information shared by this team (cirtkit).");
	/* The default root is "default" when there is one (init makes it). */
	if (cirt_root_get(cirt_req_db(r), "default", &def, NULL) == 0) {
		root_url(def.name, url);
		json_object_set_new(body, "default", json_string(url));
	}
	if (json_array_size(roots) > 0)
		json_object_set(body, "api_roots", roots);
	json_decref(roots);
	return cirt_taxii_reply(r, 200, body);
}

int cirt_taxii_resolve(struct cirt_req *r, bool want_collection,
		       struct cirt_taxii_ctx *x, struct cirt_diag *d)
{
	const struct cirt_principal *p = cirt_req_principal(r);
	const char *key = cirt_req_param(r, "collection");
	int rc;

	memset(x, 0, sizeof(*x));
	x->ceiling = cirt_authz_tlp_ceiling(p);
	rc = cirt_root_get(cirt_req_db(r), cirt_req_param(r, "root"), &x->root,
			   d);
	if (rc < 0 || !want_collection)
		return rc;
	/* By id, or by alias (unique in the root, never UUID-shaped). */
	rc = cirt_collection_get(cirt_req_db(r), x->root.id, key, &x->c, d);
	if (rc == 0)
		rc = cirt_collection_access(cirt_req_db(r), p, &x->c,
					    &x->can_read, &x->can_write, d);
	if (rc == 0 && !x->can_read && !x->can_write)
		rc = cirt_diag_set(d, -CIRT_ENOTFOUND, "collection",
				   "no collection %s", key);
	return rc;
}

int cirt_taxii_root(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_taxii_ctx x;
	json_t *body;
	int rc = cirt_taxii_resolve(r, false, &x, d);

	if (rc < 0)
		return rc;
	body = json_pack("{s:s, s:[s], s:I}", "title", x.root.title, "versions",
			 CIRT_TAXII_MEDIA, "max_content_length",
			 (json_int_t)cirt_req_settings(r)->max_body);
	if (x.root.description[0])
		json_object_set_new(body, "description",
				    json_string(x.root.description));
	return cirt_taxii_reply(r, 200, body);
}

/* Lists of a status: successes, failures, pendings (none are empty). */
struct status_lists {
	json_t *lists[3];
};

static int add_item(const char *kind, const char *id, const char *version,
		    const char *message, void *arg)
{
	struct status_lists *s = arg;
	int i = strcmp(kind, "success") == 0   ? 0
		: strcmp(kind, "failure") == 0 ? 1
					       : 2;
	json_t *item = json_pack("{s:s, s:s}", "id", id, "version", version);

	if (*message)
		json_object_set_new(item, "message", json_string(message));
	json_array_append_new(s->lists[i], item);
	return 0;
}

json_t *cirt_taxii_status_json(const struct cirt_status *st, json_t *lists[3])
{
	static const char *const names[] = {"successes", "failures",
					    "pendings"};
	char ts[CIRT_TIME_LEN];
	json_t *body;

	cirt_time_format_us(st->request_ts, ts);
	body = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "id", st->id,
			 "status", st->pending ? "pending" : "complete",
			 "request_timestamp", ts, "total_count",
			 (json_int_t)st->total, "success_count",
			 (json_int_t)st->successes, "failure_count",
			 (json_int_t)st->failures, "pending_count",
			 (json_int_t)st->pendings);
	for (int i = 0; i < 3; i++)
		if (json_array_size(lists[i]) > 0)
			json_object_set(body, names[i], lists[i]);
	return body;
}

/* A status names objects: those who see its collection may read it; one
 * without a collection (taken over from medallion), the team. */
static int status_access(struct cirt_req *r, const struct cirt_taxii_ctx *x,
			 const struct cirt_status *st, struct cirt_diag *d)
{
	const struct cirt_principal *p = cirt_req_principal(r);
	struct cirt_collection c;
	bool can_read = false, can_write = false;
	int rc = 0;

	if (st->collection[0] == '\0')
		cirt_authz_collection(p, false, false, &can_read, &can_write);
	else {
		rc = cirt_collection_get(cirt_req_db(r), x->root.id,
					 st->collection, &c, d);
		if (rc == 0)
			rc = cirt_collection_access(cirt_req_db(r), p, &c,
						    &can_read, &can_write, d);
	}
	if (rc == 0 && !can_read && !can_write)
		rc = cirt_diag_set(d, -CIRT_ENOTFOUND, "status",
				   "no status %s (unknown, or older than 7 "
				   "days)",
				   st->id);
	return rc;
}

int cirt_taxii_status(struct cirt_req *r, struct cirt_diag *d)
{
	struct status_lists s = {{json_array(), json_array(), json_array()}};
	struct cirt_taxii_ctx x;
	struct cirt_status st;
	int rc = cirt_taxii_resolve(r, false, &x, d);

	if (rc == 0)
		rc = cirt_status_get(cirt_req_db(r), x.root.id,
				     cirt_req_param(r, "status"), &st, add_item,
				     &s, d);
	if (rc == 0)
		rc = status_access(r, &x, &st, d);
	if (rc == 0)
		rc = cirt_taxii_reply(r, 200,
				      cirt_taxii_status_json(&st, s.lists));
	for (int i = 0; i < 3; i++)
		json_decref(s.lists[i]);
	return rc;
}

json_t *cirt_taxii_collection_json(const struct cirt_taxii_ctx *x)
{
	const struct cirt_collection *c = &x->c;
	json_t *media = json_array(), *o;
	char type[64];
	const char *p = c->spec_versions;

	/* Every spec version stored, or 2.1 for an empty collection. */
	while (*p) {
		snprintf(type, sizeof(type),
			 "application/stix+json;version=%.3s", p);
		json_array_append_new(media, json_string(type));
		p += strlen(p) > 3 ? 4 : 3;
	}
	if (json_array_size(media) == 0)
		json_array_append_new(
			media,
			json_string("application/stix+json;version=2.1"));
	o = json_pack("{s:s, s:s, s:b, s:b, s:o}", "id", c->uuid, "title",
		      c->title, "can_read", x->can_read, "can_write",
		      x->can_write, "media_types", media);
	if (c->description[0])
		json_object_set_new(o, "description",
				    json_string(c->description));
	if (c->alias[0])
		json_object_set_new(o, "alias", json_string(c->alias));
	return o;
}

struct listing {
	struct cirt_req *r;
	struct cirt_taxii_ctx *x;
	json_t *list;
	int rc;
};

static int add_collection(const struct cirt_collection *c, void *arg)
{
	struct listing *l = arg;
	struct cirt_diag d;

	cirt_diag_init(&d);
	l->x->c = *c;
	if (cirt_collection_access(cirt_req_db(l->r), cirt_req_principal(l->r),
				   c, &l->x->can_read, &l->x->can_write,
				   &d) < 0)
		return d.code;
	if (l->x->can_read || l->x->can_write)
		json_array_append_new(l->list,
				      cirt_taxii_collection_json(l->x));
	return 0;
}

int cirt_taxii_collections(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_taxii_ctx x;
	struct listing l = {r, &x, json_array(), 0};
	json_t *body;
	int rc = cirt_taxii_resolve(r, false, &x, d);

	if (rc == 0)
		rc = cirt_collection_list(cirt_req_db(r), x.root.id,
					  add_collection, &l, d);
	if (rc < 0) {
		json_decref(l.list);
		return rc;
	}
	/* No collections: the key is omitted, `{}` (TAXII-07). */
	body = json_object();
	if (json_array_size(l.list) > 0)
		json_object_set(body, "collections", l.list);
	json_decref(l.list);
	return cirt_taxii_reply(r, 200, body);
}

int cirt_taxii_collection(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_taxii_ctx x;
	int rc = cirt_taxii_resolve(r, true, &x, d);

	if (rc < 0)
		return rc;
	return cirt_taxii_reply(r, 200, cirt_taxii_collection_json(&x));
}
