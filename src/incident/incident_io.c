/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Incidents in the exchange formats: export as IODEF v2 or as a STIX 2.1
 * bundle, import IODEF documents, share to a TAXII collection. The
 * mapping to IODEF is iodef/iodef.h's (docs/internals/iodef.md); this
 * file only moves fields between an incident and that structure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/time.h"
#include "incident/incident_int.h"
#include "incident/sla.h"
#include "share/share.h"
#include "share/share_object.h"
#include "stix/stix_id.h"
#include "stix/stix_tlp.h"
#include "core/banned.h"

static const struct cirt_sql q_history = {
	"SELECT kind, body, at, counterpart FROM incident_timeline WHERE "
	"incident_id = ? AND (CAST(? AS BIGINT) = 1 OR kind IN ('comment', "
	"'event')) ORDER BY id LIMIT 10000",
	NULL};
static const struct cirt_sql q_by_source = {
	"SELECT ref FROM incidents WHERE source = ? OR (? <> '' AND ref = ?)",
	NULL};

static char *dup_or_null(const char *s)
{
	return s && *s ? cirt_xstrdup(s) : NULL;
}

/* Our status as IODEF's coarser one. */
static const char *iodef_status(const char *status)
{
	if (strcmp(status, "new") == 0 || strcmp(status, "triaged") == 0)
		return "new";
	if (strcmp(status, "resolved") == 0 || strcmp(status, "closed") == 0 ||
	    strcmp(status, "rejected") == 0 || strcmp(status, "duplicate") == 0)
		return "resolved";
	return "in-progress";
}

/* Timeline kinds as IODEF HistoryItem actions. */
static const char *history_action(const char *kind)
{
	if (strcmp(kind, "in") == 0)
		return "status-new-info";
	if (strcmp(kind, "out") == 0)
		return "contact-target-site";
	if (strcmp(kind, "event") == 0)
		return "status-triage";
	return "other";
}

/* Our observable types as IODEF Address categories (NULL: not carried). */
static const char *address_category(const char *type, const char *value)
{
	bool net = strchr(value, '/') != NULL;

	if (strcmp(type, "ipv4-addr") == 0)
		return net ? "ipv4-net" : "ipv4-addr";
	if (strcmp(type, "ipv6-addr") == 0)
		return net ? "ipv6-net" : "ipv6-addr";
	if (strcmp(type, "domain-name") == 0)
		return "domain-name";
	if (strcmp(type, "url") == 0)
		return "site-uri";
	if (strcmp(type, "email-addr") == 0)
		return "e-mail";
	if (strcmp(type, "asn") == 0)
		return "asn";
	return NULL;
}

static const char *observable_type(const char *category)
{
	static const char *const map[][2] = {
		{"ipv4-addr", "ipv4-addr"},
		{"ipv4-net", "ipv4-addr"},
		{"ipv4-net-masked", "ipv4-addr"},
		{"ipv6-addr", "ipv6-addr"},
		{"ipv6-net", "ipv6-addr"},
		{"ipv6-net-masked", "ipv6-addr"},
		{"domain-name", "domain-name"},
		{"site-uri", "url"},
		{"e-mail", "email-addr"},
		{"asn", "asn"},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(category, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

static int history_of(struct cirt_db *db, const struct incident_view *v,
		      int64_t id, struct cirt_iodef_incident *x,
		      struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_history, d);
	size_t cap = 0;
	int rc;

	if (s == NULL)
		return d && d->code ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, id);
	cirt_stmt_bind_i64(s, 2, v->team);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		struct cirt_iodef_history *h;

		if (x->nhistory == cap) {
			cap = cap ? cap * 2 : 16;
			x->history = cirt_xrealloc(x->history,
						   cap * sizeof(*x->history));
		}
		h = &x->history[x->nhistory++];
		h->action = cirt_xstrdup(history_action(cirt_stmt_text(s, 0)));
		h->text = cirt_xstrdup(cirt_stmt_text(s, 1));
		h->at = cirt_stmt_i64(s, 2);
	}
	return rc < 0 ? rc : 0;
}

/* Fill x from the incident as shown by incident_json (j) and its row. */
static int to_iodef(struct cirt_db *db, const struct cirt_incident_env *env,
		    const struct incident_view *v, const struct incident_row *r,
		    json_t *j, struct cirt_iodef_incident *x,
		    struct cirt_diag *d)
{
	json_t *orgs = json_object_get(j, "constituents");
	json_t *obs = json_object_get(j, "observables");
	json_t *rel = json_object_get(j, "related");
	size_t i, n;
	json_t *it;

	memset(x, 0, sizeof(*x));
	x->id_name = cirt_xstrdup(env->team_domain);
	x->id = cirt_xstrdup(r->ref);
	x->purpose = cirt_xstrdup("reporting");
	x->status = cirt_xstrdup(
		iodef_status(json_string_value(json_object_get(j, "status"))));
	x->tlp = r->tlp;
	x->lang = cirt_xstrdup("en");
	x->generation_time = cirt_time_now_us();
	x->report_time = r->reported_at;
	x->title = cirt_xstrdup(r->title);
	x->description = dup_or_null(r->description);
	x->category =
		cirt_xstrdup(json_string_value(json_object_get(j, "class")));
	x->severity = cirt_xstrdup(r->severity >= 2   ? "high"
				   : r->severity == 1 ? "medium"
						      : "low");
	x->impact = cirt_xstrdup(r->impact);
	x->related = cirt_xcalloc(json_array_size(rel) + 1, sizeof(char *));
	json_array_foreach (rel, i, it)
		x->related[x->nrelated++] = cirt_xstrdup(
			json_string_value(json_object_get(it, "incident")));
	n = json_array_size(orgs) + 2;
	x->contacts = cirt_xcalloc(n, sizeof(*x->contacts));
	x->contacts[x->ncontacts].role = cirt_xstrdup("creator");
	x->contacts[x->ncontacts].type = cirt_xstrdup("organization");
	x->contacts[x->ncontacts++].name = cirt_xstrdup(env->team_domain);
	x->contacts[x->ncontacts].role = cirt_xstrdup("reporter");
	x->contacts[x->ncontacts].type = cirt_xstrdup(
		strcmp(r->reporter_kind, "person") == 0 ? "person"
							: "organization");
	x->contacts[x->ncontacts++].name = cirt_xstrdup(r->reporter);
	json_array_foreach (orgs, i, it) {
		x->contacts[x->ncontacts].role = cirt_xstrdup("victim");
		x->contacts[x->ncontacts].type = cirt_xstrdup("organization");
		x->contacts[x->ncontacts++].name = cirt_xstrdup(
			json_string_value(json_object_get(it, "org")));
	}
	x->observables =
		cirt_xcalloc(json_array_size(obs) + 1, sizeof(*x->observables));
	json_array_foreach (obs, i, it) {
		const char *value =
			json_string_value(json_object_get(it, "value"));
		const char *cat = address_category(
			json_string_value(json_object_get(it, "type")), value);
		struct cirt_iodef_observable *o;

		if (cat == NULL)
			continue;
		o = &x->observables[x->nobservables++];
		o->category = cirt_xstrdup(cat);
		o->value = cirt_xstrdup(value);
		o->role = cirt_xstrdup(
			json_string_value(json_object_get(it, "role")));
	}
	return history_of(db, v, r->id, x, d);
}

static void release_doc(struct cirt_iodef_incident *x)
{
	struct cirt_iodef_doc doc = {x, 1};

	cirt_iodef_doc_release(&doc);
}

/* Find ref and show it, as the caller may see it. */
static int load(struct cirt_db *db, const struct cirt_incident_env *env,
		const char *ref, struct incident_view *v,
		struct incident_row *row, json_t **j, struct cirt_diag *d)
{
	int rc;

	incident_view_of(env, v);
	rc = incident_find(db, v, ref, row, d);
	if (rc == 0)
		rc = incident_json(db, v, row, true, NULL, j, d);
	return rc;
}

int cirt_incident_export_iodef(struct cirt_db *db,
			       const struct cirt_incident_env *env,
			       const char *ref, struct cirt_buf *out,
			       struct cirt_diag *d)
{
	struct cirt_iodef_incident *x = cirt_xcalloc(1, sizeof(*x));
	struct cirt_iodef_doc doc = {x, 1};
	struct incident_view v;
	struct incident_row row;
	json_t *j = NULL;
	int rc;

	rc = load(db, env, ref, &v, &row, &j, d);
	if (rc == 0)
		rc = to_iodef(db, env, &v, &row, j, x, d);
	if (rc == 0)
		rc = cirt_iodef_write(&doc, out, d);
	json_decref(j);
	incident_row_release(&row);
	release_doc(x);
	return rc;
}

/* A STIX timestamp with milliseconds. */
static json_t *stix_time(int64_t us)
{
	char t[CIRT_TIME_LEN];

	cirt_time_format(us, t);
	return json_string(t);
}

/* A UUIDv5 id of type, named by the incident and name: the same every
 * time the incident is exported, so sharing it again adds no copies. */
static json_t *derived_id(const char *type, const char *incident_uuid,
			  const char *name)
{
	unsigned char ns[16], u[16];
	char text[CIRT_UUID_LEN + 1], id[96];

	if (cirt_uuid_parse(incident_uuid, strlen(incident_uuid), ns) < 0)
		memset(ns, 0, sizeof(ns));
	cirt_uuid5(ns, name, strlen(name), u);
	cirt_uuid_format(u, text);
	snprintf(id, sizeof(id), "%s--%s", type, text);
	return json_string(id);
}

/* The SCO of an observable, or NULL if its type has none. */
static json_t *sco_of(json_t *o, const char *marking)
{
	const char *type = json_string_value(json_object_get(o, "type"));
	const char *value = json_string_value(json_object_get(o, "value"));
	char id[CIRT_STIX_ID_MAX + 1];
	json_t *s;

	if (strcmp(type, "file-sha256") == 0)
		s = json_pack("{s:s, s:{s:s}}", "type", "file", "hashes",
			      "SHA-256", value);
	else if (strcmp(type, "asn") == 0)
		s = json_pack("{s:s, s:I}", "type", "autonomous-system",
			      "number", (json_int_t)strtoll(value, NULL, 10));
	else
		s = json_pack("{s:s, s:s}", "type", type, "value", value);
	if (cirt_stix_sco_id(s, id) < 0) {
		json_decref(s);
		return NULL;
	}
	json_object_set_new(s, "spec_version", json_string("2.1"));
	json_object_set_new(s, "id", json_string(id));
	json_object_set_new(s, "object_marking_refs",
			    json_pack("[s]", marking));
	return s;
}

/* The incident as STIX objects: the incident, its observables with a
 * related-to relationship each, relationships to the STIX objects it
 * links, and the TLP marking-definition. */
static int stix_objects(const struct incident_row *r, json_t *j,
			json_t *objects)
{
	const char *marking = cirt_tlp_marking_id(r->tlp);
	json_t *created = stix_time(r->created_at);
	json_t *inc, *it, *sco;
	char name[128];
	size_t i;

	inc = json_pack("{s:s, s:s, s:o, s:O, s:o, s:s, s:[s], s:[{s:s, "
			"s:s}], s:[s, s, s]}",
			"type", "incident", "spec_version", "2.1", "id",
			derived_id("incident", r->uuid, "incident"), "created",
			created, "modified", stix_time(r->updated_at), "name",
			r->title, "object_marking_refs", marking,
			"external_references", "source_name", "cirtkit",
			"external_id", r->ref, "labels",
			json_string_value(json_object_get(j, "class")),
			json_string_value(json_object_get(j, "severity")),
			json_string_value(json_object_get(j, "status")));
	if (r->description[0])
		json_object_set_new(inc, "description",
				    json_string(r->description));
	json_array_append(objects, inc);
	json_array_foreach (json_object_get(j, "observables"), i, it) {
		sco = sco_of(it, marking);
		if (sco == NULL)
			continue;
		snprintf(name, sizeof(name), "related-to %s",
			 json_string_value(json_object_get(sco, "id")));
		json_array_append_new(
			objects,
			json_pack("{s:s, s:s, s:o, s:O, s:O, s:s, s:O, s:O, "
				  "s:[s]}",
				  "type", "relationship", "spec_version", "2.1",
				  "id",
				  derived_id("relationship", r->uuid, name),
				  "created", created, "modified", created,
				  "relationship_type", "related-to",
				  "source_ref", json_object_get(inc, "id"),
				  "target_ref", json_object_get(sco, "id"),
				  "object_marking_refs", marking));
		json_array_append_new(objects, sco);
	}
	json_array_foreach (json_object_get(j, "stix_refs"), i, it) {
		snprintf(name, sizeof(name), "related-to %s",
			 json_string_value(it));
		json_array_append_new(
			objects,
			json_pack(
				"{s:s, s:s, s:o, s:O, s:O, s:s, s:O, s:O, "
				"s:[s]}",
				"type", "relationship", "spec_version", "2.1",
				"id", derived_id("relationship", r->uuid, name),
				"created", created, "modified", created,
				"relationship_type", "related-to", "source_ref",
				json_object_get(inc, "id"), "target_ref", it,
				"object_marking_refs", marking));
	}
	json_decref(inc);
	json_decref(created);
	return 0;
}

int cirt_incident_export_stix(struct cirt_db *db,
			      const struct cirt_incident_env *env,
			      const char *ref, struct cirt_buf *out,
			      struct cirt_diag *d)
{
	struct incident_view v;
	struct incident_row row;
	json_t *j = NULL, *bundle, *objects;
	char uuid[CIRT_UUID_LEN + 1], id[64], *text;
	int rc;

	rc = load(db, env, ref, &v, &row, &j, d);
	if (rc == 0) {
		objects = json_array();
		stix_objects(&row, j, objects);
		json_array_append_new(objects,
				      cirt_tlp_marking_object(row.tlp));
		cirt_uuid4(uuid);
		snprintf(id, sizeof(id), "bundle--%s", uuid);
		bundle = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id",
				   id, "objects", objects);
		text = json_dumps(bundle, JSON_INDENT(2));
		rc = text ? cirt_buf_adds(out, text) : -CIRT_EINTERNAL;
		free(text);
		json_decref(bundle);
	}
	json_decref(j);
	incident_row_release(&row);
	return rc;
}

int cirt_incident_share(struct cirt_db *db, const struct cirt_incident_env *env,
			const char *ref, const char *collection, json_t **out,
			struct cirt_diag *d)
{
	struct cirt_share_result res;
	struct cirt_collection c;
	struct incident_view v;
	struct incident_row row;
	json_t *j = NULL, *objects = json_array(), *it;
	int64_t added = 0, stored = 0;
	size_t i;
	int rc;

	rc = load(db, env, ref, &v, &row, &j, d);
	if (rc == 0)
		rc = cirt_collection_get(db, 0, collection, &c, d);
	if (rc == 0 && (row.tlp == CIRT_TLP_RED || row.tlp > c.tlp_max))
		rc = cirt_diag_set(d, -CIRT_ECONFLICT, "tlp",
				   "%s is %s, above what collection '%s' "
				   "takes (%s)",
				   row.ref, cirt_tlp_label(row.tlp), c.title,
				   cirt_tlp_label(c.tlp_max));
	if (rc == 0)
		rc = stix_objects(&row, j, objects);
	if (rc == 0)
		rc = cirt_db_begin(db, d);
	if (rc < 0)
		goto out;
	rc = cirt_share_last_added(db, &c, &added, d);
	if (added < cirt_time_now_us())
		added = cirt_time_now_us();
	json_array_foreach (objects, i, it) {
		if (rc < 0)
			break;
		rc = cirt_share_put_made(db, &c, it, ++added, "collection",
					 &res, d);
		if (rc == 0 && res.outcome == CIRT_SHARE_STORED)
			stored++;
	}
	if (rc == 0)
		rc = incident_audit(db, env->actor, &row, "incident.share",
				    json_pack("{s:s, s:I}", "collection",
					      c.uuid, "objects",
					      (json_int_t)stored),
				    d);
	rc = cirt_db_end(db, rc, d);
	if (rc == 0)
		*out = json_pack("{s:s, s:I, s:I}", "collection", c.uuid,
				 "objects",
				 (json_int_t)json_array_size(objects), "stored",
				 (json_int_t)stored);
out:
	json_decref(objects);
	json_decref(j);
	incident_row_release(&row);
	return rc;
}

/* The body of an incident for an IODEF Incident. Observables that do
 * not fit ours go to *skipped, to be kept as a note. */
static json_t *from_iodef(const struct cirt_iodef_incident *x,
			  struct cirt_buf *skipped)
{
	const struct cirt_taxonomy_type *t =
		x->category ? cirt_taxonomy_find(x->category) : NULL;
	json_t *body, *obs = json_array();
	const char *reporter = x->id_name;
	char title[CIRT_INCIDENT_TITLE_MAX + 1];
	int64_t at = x->report_time ? x->report_time : x->generation_time;
	enum cirt_tlp tlp = x->tlp == CIRT_TLP_NONE ? CIRT_TLP_AMBER : x->tlp;
	char when[CIRT_TIME_LEN];

	for (size_t i = 0; i < x->ncontacts; i++)
		if (x->contacts[i].name &&
		    (strcmp(x->contacts[i].role, "creator") == 0 ||
		     strcmp(x->contacts[i].role, "reporter") == 0)) {
			reporter = x->contacts[i].name;
			break;
		}
	if (x->title)
		snprintf(title, sizeof(title), "%.*s", CIRT_INCIDENT_TITLE_MAX,
			 x->title);
	else
		snprintf(title, sizeof(title),
			 "IODEF incident %.60s from %.60s", x->id, x->id_name);
	/* Keep the title on one line and within its limit. */
	for (char *p = title; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	for (size_t i = 0; i < x->nobservables; i++) {
		const struct cirt_iodef_observable *o = &x->observables[i];
		const char *type = observable_type(o->category);

		if (type == NULL) {
			if (cirt_buf_addf(skipped, "%s %s\n", o->category,
					  o->value) < 0)
				break;
			continue;
		}
		json_array_append_new(
			obs,
			json_pack("{s:s, s:s, s:s}", "type", type, "value",
				  o->value, "role",
				  strcmp(o->role, "source") == 0 ||
						  strcmp(o->role, "target") == 0
					  ? o->role
					  : "other"));
	}
	if (at == 0 || at > cirt_time_now_us())
		at = cirt_time_now_us();
	cirt_time_format(at, when);
	body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:s}",
			 "title", title, "description",
			 x->description ? x->description : "", "class",
			 t ? x->category : "other:undetermined", "severity",
			 x->severity ? x->severity : "medium", "tlp",
			 cirt_tlp_name(tlp), "reporter", "kind", "person",
			 "name", reporter ? reporter : "unknown", "observables",
			 obs, "reported_at", when);
	if (x->impact)
		json_object_set_new(body, "impact", json_string(x->impact));
	return body;
}

/* Keep what the IODEF Incident says beyond the fields, as timeline notes. */
static int notes_of(struct cirt_db *db, const struct cirt_incident_env *env,
		    int64_t id, const struct cirt_iodef_incident *x,
		    const char *skipped, struct cirt_diag *d)
{
	static const char not_imported[] = "observables not imported";
	const char *author = env->actor->name;
	int64_t now = cirt_time_now_us();
	char text[256], when[CIRT_TIME_LEN];
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < x->nhistory; i++) {
		cirt_time_format(x->history[i].at, when);
		snprintf(text, sizeof(text), "%s %s: %.200s", when,
			 x->history[i].action,
			 x->history[i].text ? x->history[i].text : "");
		rc = incident_entry_add(db, id, "in", author, x->id_name,
					strlen(x->id_name), text, strlen(text),
					now, NULL, d);
	}
	if (rc == 0 && *skipped)
		rc = incident_entry_add(db, id, "in", author, not_imported,
					strlen(not_imported), skipped,
					strlen(skipped), now, NULL, d);
	return rc;
}

/* Imported before, or one of ours coming back (own is its IncidentID
 * when it was issued under our domain, else ""). */
static int known_source(struct cirt_db *db, const char *source, const char *own,
			char ref[CIRT_INCIDENT_REF_MAX + 1],
			struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_by_source, d);
	int rc;

	if (s == NULL)
		return d && d->code ? d->code : -CIRT_EIO;
	cirt_stmt_bind_str(s, 1, source);
	cirt_stmt_bind_str(s, 2, own);
	cirt_stmt_bind_str(s, 3, own);
	rc = cirt_stmt_step(s, d);
	if (rc != CIRT_DB_ROW)
		return rc < 0 ? rc : 0;
	snprintf(ref, CIRT_INCIDENT_REF_MAX + 1, "%s", cirt_stmt_text(s, 0));
	cirt_stmt_reset(s);
	return 1;
}

int cirt_incident_import(struct cirt_db *db,
			 const struct cirt_incident_env *env, const char *xml,
			 size_t len, json_t *errors, json_t **created,
			 json_t **existing, struct cirt_diag *d)
{
	char ref[CIRT_INCIDENT_REF_MAX + 1], source[600];
	struct cirt_iodef_doc doc;
	int rc;

	memset(&doc, 0, sizeof(doc));
	rc = cirt_iodef_read(xml, len, env->schema, &doc, errors, d);
	if (rc < 0)
		return rc;
	*created = json_array();
	*existing = json_array();
	rc = cirt_db_begin(db, d);
	for (size_t i = 0; rc == 0 && i < doc.nincidents; i++) {
		const struct cirt_iodef_incident *x = &doc.incidents[i];
		struct cirt_buf skipped;
		json_t *body;
		int64_t id;

		snprintf(source, sizeof(source), "%.255s:%.255s", x->id_name,
			 x->id);
		rc = known_source(
			db, source,
			strcmp(x->id_name, env->team_domain) == 0 ? x->id : "",
			ref, d);
		if (rc == 1) {
			json_array_append_new(*existing, json_string(ref));
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		cirt_buf_init(&skipped, 1u << 20);
		body = from_iodef(x, &skipped);
		rc = incident_insert(db, env, body, source, &id, ref, d);
		if (rc < 0)
			cirt_diag_set(d, rc, NULL, "Incident %zu", i + 1);
		if (rc == 0)
			rc = notes_of(db, env, id, x, cirt_buf_str(&skipped),
				      d);
		if (rc == 0)
			json_array_append_new(*created, json_string(ref));
		cirt_buf_release(&skipped);
		json_decref(body);
	}
	if (rc < 0 && d && d->code && json_array_size(errors) == 0)
		json_array_append_new(errors, json_pack("{s:i, s:s}", "line", 0,
							"message", d->message));
	rc = cirt_db_end(db, rc, d);
	cirt_iodef_doc_release(&doc);
	if (rc < 0) {
		json_decref(*created);
		json_decref(*existing);
		*created = *existing = NULL;
	}
	return rc;
}
