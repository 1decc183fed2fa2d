/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * TAXII 2.1 object endpoints: manifest (section 5.3), objects GET and POST
 * (5.4, 5.5), object GET and DELETE (5.6, 5.7) and versions (5.8).
 *
 * Pages are built from the stored bytes, not re-serialised: an envelope is
 * {"more":..,"next":..,"objects":[ + the objects as received + ]}. A page
 * asks the store for limit + 1 versions to know whether there are more;
 * `next` is a signed cursor (nothing is written to read a page), bound to
 * the query's filters and the reader's TLP ceiling. A POST is one transaction: every object is
 * stored or refused (the status says which and why), with the status
 * resource and one audit entry; a body that turns out not to be a valid
 * envelope stores nothing. See taxii/taxii.h.
 */
#include "taxii/taxii.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/time.h"
#include "share/share_ingest.h"
#include "share/share_status.h"
#include "stix/stix_bundle.h"
#include "core/banned.h"

/* A page stops early, with more=true, past this many bytes. */
#define PAGE_BYTES_MAX (32u << 20)

enum kind {
	OBJECTS,
	MANIFEST,
	VERSIONS
};

struct page {
	enum kind kind;
	struct cirt_buf items; /* the list's elements, comma-separated */
	int64_t n, limit;
	bool more;
	int64_t first_added, last_added, last_seq;
};

/* TAXII's version of a row: modified, else created, else when it was
 * added (a value the server keeps consistent; section 3.4.2). */
static const char *row_version(const struct cirt_share_row *row,
			       char buf[CIRT_TIME_LEN])
{
	if (*row->version)
		return row->version;
	cirt_time_format_us(row->date_added, buf);
	return buf;
}

static int add_item(struct page *p, const struct cirt_share_row *row)
{
	char added[CIRT_TIME_LEN], ver[CIRT_TIME_LEN];
	struct cirt_buf *b = &p->items;
	int rc = p->n > 0 ? cirt_buf_add(b, ",", 1) : 0;

	if (rc < 0)
		return rc;
	/* Written straight into the page: a tree per record cost more than
	 * the query. */
	switch (p->kind) {
	case OBJECTS:
		return cirt_buf_add(b, row->body, row->body_len);
	case MANIFEST:
		cirt_time_format_us(row->date_added, added);
		if (cirt_buf_adds(b, "{\"id\":") < 0 ||
		    cirt_json_add_string(b, row->id) < 0 ||
		    cirt_buf_adds(b, ",\"date_added\":") < 0 ||
		    cirt_json_add_string(b, added) < 0 ||
		    cirt_buf_adds(b, ",\"version\":") < 0 ||
		    cirt_json_add_string(b, row_version(row, ver)) < 0 ||
		    cirt_buf_adds(b, ",\"media_type\":\"application/"
				     "stix+json;version=") < 0 ||
		    cirt_buf_adds(b, row->spec_version) < 0)
			return -CIRT_ELIMIT;
		return cirt_buf_adds(b, "\"}");
	default:
		return cirt_json_add_string(b, row_version(row, ver));
	}
}

static int take(const struct cirt_share_row *row, void *arg)
{
	struct page *p = arg;

	if (p->n == p->limit ||
	    (p->n > 0 && p->items.len + row->body_len > PAGE_BYTES_MAX)) {
		p->more = true;
		return -CIRT_ELIMIT; /* stops the walk; not an error */
	}
	if (add_item(p, row) < 0)
		return -CIRT_EINTERNAL;
	if (p->n == 0)
		p->first_added = row->date_added;
	p->last_added = row->date_added;
	p->last_seq = row->seq;
	p->n++;
	return 0;
}

/* The query's identity for its cursors: filters, endpoint, reader. */
static int signature(struct cirt_taxii_params *tp, enum kind kind,
		     const char *object, enum cirt_tlp ceiling,
		     struct cirt_diag *d)
{
	if (cirt_buf_addf(&tp->sig, "kind=%d;object=%s;ceiling=%d", kind,
			  object ? object : "", ceiling) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, NULL, "filters too long");
	return 0;
}

static int assemble(struct cirt_req *r, struct page *p, const char *next)
{
	static const char *const lists[] = {"objects", "objects", "versions"};
	char first[CIRT_TIME_LEN], last[CIRT_TIME_LEN];
	struct cirt_buf out;
	size_t len;
	char *text;

	cirt_buf_init(&out, PAGE_BYTES_MAX + (1u << 20));
	/* Nothing found: the keys are omitted, {} (TAXII-21). */
	if (p->n > 0 &&
	    (cirt_buf_addf(&out, "{\"more\":%s", p->more ? "true" : "false") ||
	     (next && cirt_buf_addf(&out, ",\"next\":\"%s\"", next)) ||
	     cirt_buf_addf(&out, ",\"%s\":[", lists[p->kind]) ||
	     cirt_buf_add(&out, p->items.data, p->items.len) ||
	     cirt_buf_adds(&out, "]}")))
		return -CIRT_EINTERNAL;
	if (p->n == 0 && cirt_buf_adds(&out, "{}") < 0)
		return -CIRT_EINTERNAL;
	text = cirt_buf_detach(&out, &len);
	cirt_req_reply_text(r, 200, CIRT_TAXII_MEDIA, text, len);
	if (p->n > 0) {
		cirt_time_format_us(p->first_added, first);
		cirt_time_format_us(p->last_added, last);
		cirt_req_add_header(r, "X-TAXII-Date-Added-First", first);
		cirt_req_add_header(r, "X-TAXII-Date-Added-Last", last);
	}
	return 0;
}

/* Only exact versions were asked for. */
static bool exact_only(const struct cirt_share_query *q)
{
	return q->version_keys && !q->all && !q->first && !q->last;
}

/* One page of what tp selects; object names the object of object and
 * versions endpoints (404 when the reader sees no version of it). */
static int page(struct cirt_req *r, struct cirt_taxii_ctx *x,
		struct cirt_taxii_params *tp, enum kind kind,
		const char *object, struct cirt_diag *d)
{
	struct page p = {.kind = kind, .limit = tp->q.limit};
	char next[CIRT_CURSOR_LEN + 1];
	int rc;

	cirt_buf_init(&p.items, PAGE_BYTES_MAX + (1u << 20));
	tp->q.ceiling = x->ceiling;
	rc = signature(tp, kind, object, x->ceiling, d);
	if (rc == 0 && tp->next)
		rc = cirt_cursor_read(cirt_req_db(r), tp->next, x->c.id,
				      cirt_buf_str(&tp->sig),
				      &tp->q.after_added, &tp->q.after_seq, d);
	if (rc < 0)
		goto out;
	tp->q.limit = p.limit + 1;
	tp->q.with_body = kind == OBJECTS;
	rc = cirt_share_list(cirt_req_db(r), &x->c, &tp->q, take, &p, d);
	if (rc == -CIRT_ELIMIT && p.more)
		rc = 0;
	/* An object the reader sees, with nothing left by the filters, is
	 * an empty answer (TAXII-21); one it does not see, or versions of
	 * it asked for by name and not there (deleted: TAXII-18), are not
	 * there (TAXII-17). */
	if (rc == 0 && object && p.n == 0 && !tp->next) {
		rc = exact_only(&tp->q) ? 0
					: cirt_share_has(cirt_req_db(r), &x->c,
							 object, x->ceiling, d);
		if (rc == 0)
			rc = cirt_diag_set(d, -CIRT_ENOTFOUND, "object",
					   "no object %s in this collection",
					   object);
		rc = rc > 0 ? 0 : rc;
	}
	if (rc == 0 && p.more)
		rc = cirt_cursor_make(cirt_req_db(r), x->c.id,
				      cirt_buf_str(&tp->sig), p.last_added,
				      p.last_seq, next, d);
	if (rc == 0)
		rc = assemble(r, &p, p.more ? next : NULL);
out:
	cirt_buf_release(&p.items);
	return rc;
}

static int forbidden(const char *what, struct cirt_diag *d)
{
	return cirt_diag_set(d, -CIRT_EPERM, "collection",
			     "you may not %s this collection", what);
}

/* Resolve the collection and, for object endpoints, the object id. */
static int start(struct cirt_req *r, struct cirt_taxii_ctx *x, bool read,
		 const char **object, struct cirt_diag *d)
{
	int rc = cirt_taxii_resolve(r, true, x, d);

	if (rc < 0)
		return rc;
	if (read && !x->can_read)
		return forbidden("read", d);
	if (object) {
		*object = cirt_req_param(r, "object");
		if (strlen(*object) > CIRT_STIX_ID_MAX ||
		    !strstr(*object, "--"))
			return cirt_diag_set(d, -CIRT_ENOTFOUND, "object",
					     "no object %s in this collection",
					     *object);
	}
	return 0;
}

/* A one-element JSON list naming object, for match[id]. */
static char *only(const char *object)
{
	json_t *a = json_pack("[s]", object);
	char *text = cirt_json_dump(a, NULL);

	json_decref(a);
	return text;
}

static int listing(struct cirt_req *r, enum kind kind, unsigned mask, bool one,
		   struct cirt_diag *d)
{
	struct cirt_taxii_params tp;
	struct cirt_taxii_ctx x;
	const char *object = NULL;
	int rc;

	rc = start(r, &x, true, one ? &object : NULL, d);
	if (rc < 0)
		return rc;
	rc = cirt_taxii_params(r, mask, &tp, d);
	if (rc == 0 && one) {
		tp.ids = only(object);
		tp.q.ids = tp.ids;
	}
	if (rc == 0 && kind == VERSIONS) {
		tp.q.all = true; /* every version (section 5.8) */
		tp.q.last = false;
	}
	if (rc == 0)
		rc = page(r, &x, &tp, kind, object, d);
	cirt_taxii_params_release(&tp);
	return rc;
}

#define ALL_FILTERS                                                        \
	(TAXII_F_ADDED_AFTER | TAXII_F_LIMIT | TAXII_F_ID | TAXII_F_TYPE | \
	 TAXII_F_VERSION | TAXII_F_SPEC)

int cirt_taxii_manifest(struct cirt_req *r, struct cirt_diag *d)
{
	return listing(r, MANIFEST, ALL_FILTERS, false, d);
}

int cirt_taxii_objects_get(struct cirt_req *r, struct cirt_diag *d)
{
	return listing(r, OBJECTS, ALL_FILTERS, false, d);
}

int cirt_taxii_object_get(struct cirt_req *r, struct cirt_diag *d)
{
	return listing(r, OBJECTS,
		       TAXII_F_ADDED_AFTER | TAXII_F_LIMIT | TAXII_F_VERSION |
			       TAXII_F_SPEC,
		       true, d);
}

int cirt_taxii_versions(struct cirt_req *r, struct cirt_diag *d)
{
	return listing(r, VERSIONS,
		       TAXII_F_ADDED_AFTER | TAXII_F_LIMIT | TAXII_F_SPEC, true,
		       d);
}

/* Every spec version stored in the collection, as a JSON list. */
static char *all_specs(const struct cirt_collection *c)
{
	json_t *a = json_array();
	const char *p = c->spec_versions;
	char *text;

	while (*p) {
		json_array_append_new(a,
				      json_stringn(p, CIRT_MIN(3, strlen(p))));
		p += strlen(p) > 3 ? 4 : 3;
	}
	text = cirt_json_dump(a, NULL);
	json_decref(a);
	return text;
}

int cirt_taxii_object_delete(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_taxii_params tp;
	struct cirt_taxii_ctx x;
	const char *object;
	int64_t n = 0;
	int rc;

	rc = start(r, &x, false, &object, d);
	if (rc < 0)
		return rc;
	/* Both rights, or 403 (section 5.7; the 404 case is resolve's). */
	if (!x.can_read || !x.can_write)
		return forbidden("delete objects of", d);
	rc = cirt_taxii_params(r, TAXII_F_VERSION | TAXII_F_SPEC, &tp, d);
	if (rc < 0)
		goto out;
	/* Without filters DELETE removes the object: every version. */
	if (!tp.version_given) {
		tp.q.all = true;
		tp.q.last = false;
	}
	if (tp.specs == NULL) {
		tp.specs = all_specs(&x.c);
		tp.q.spec_versions = tp.specs;
	}
	tp.q.ceiling = x.ceiling; /* what the caller cannot see is not there */
	rc = cirt_share_delete(cirt_req_db(r), cirt_req_actor(r), &x.c, object,
			       &tp.q, &n, d);
	if (rc == 0)
		rc = cirt_req_reply_text(r, 200, CIRT_TAXII_MEDIA,
					 cirt_xstrdup(""), 0);
out:
	cirt_taxii_params_release(&tp);
	return rc;
}

/* ---- POST ---- */

struct post {
	struct cirt_db *db;
	struct cirt_collection *c;
	int64_t now;
	json_t *lists[3]; /* successes, failures, pendings */
	json_t *items;	  /* for the store: every item, in order */
	int64_t stored;	  /* successes that were new (not duplicates) */
	struct cirt_status st;
	struct cirt_diag *d;
};

static void note(struct post *p, int which, const char *id, const char *version,
		 const char *message)
{
	static const char *const kinds[] = {"success", "failure", "pending"};
	json_t *item = json_pack("{s:s, s:s}", "id", id, "version", version);

	if (*message)
		json_object_set_new(item, "message", json_string(message));
	json_array_append_new(p->lists[which], json_copy(item));
	json_object_set_new(item, "kind", json_string(kinds[which]));
	json_array_append_new(p->items, item);
}

static int post_one(size_t index, const struct cirt_share_result *res,
		    void *arg)
{
	struct post *p = arg;
	char ver[CIRT_TIME_LEN];

	(void)index;
	/* An object without versions (an SCO) is known by its date_added. */
	if (!res->version[0])
		cirt_time_format_us(res->date_added ? res->date_added : p->now,
				    ver);
	p->st.total++;
	if (res->outcome == CIRT_SHARE_REFUSED) {
		p->st.failures++;
		note(p, 1, res->id, res->version[0] ? res->version : ver,
		     res->message);
	} else {
		p->st.successes++;
		p->stored += res->outcome == CIRT_SHARE_STORED;
		note(p, 0, res->id, res->version[0] ? res->version : ver,
		     res->outcome == CIRT_SHARE_DUPLICATE ? res->message : "");
	}
	return 0;
}

static int audit_post(struct cirt_req *r, const struct post *p,
		      struct cirt_diag *d)
{
	json_t *detail = json_pack(
		"{s:s, s:I, s:I, s:I, s:I}", "status", p->st.id, "total",
		(json_int_t)p->st.total, "stored", (json_int_t)p->stored,
		"already_there", (json_int_t)(p->st.successes - p->stored),
		"refused", (json_int_t)p->st.failures);
	char object[CIRT_UUID_LEN + 16];
	int rc;

	snprintf(object, sizeof(object), "collection:%s", p->c->uuid);
	rc = cirt_audit_append(p->db, cirt_req_actor(r), "objects.add", object,
			       detail, d);
	json_decref(detail);
	return rc;
}

static int post_tx(struct cirt_req *r, struct post *p, struct cirt_diag *d)
{
	struct cirt_bundle_limits lim = cirt_bundle_default_limits;
	struct cirt_ingest in = {.db = p->db,
				 .c = p->c,
				 .fn = post_one,
				 .arg = p,
				 .date_added = p->now};
	struct cirt_bundle_src src = {-1, NULL, 0};
	struct cirt_bundle_info info;
	int rc;

	src.mem = cirt_req_raw_body(r, &src.mem_len);
	lim.object_max = cirt_req_settings(r)->max_body;
	rc = cirt_share_ingest(&in, &src, &lim, d);
	info = in.info;
	if (rc == 0 && in.read_rc < 0) {
		*d = in.read_d;
		rc = in.read_rc;
	}
	if (rc == 0 && !info.has_objects) {
		cirt_req_error_status(r, 422);
		rc = cirt_diag_set(d, -CIRT_EINVAL, "objects",
				   "the body is not a TAXII envelope: it has "
				   "no \"objects\" list");
	}
	cirt_bundle_info_release(&info);
	if (rc == 0)
		rc = cirt_status_save(p->db, &p->st, p->items, d);
	if (rc == 0)
		rc = audit_post(r, p, d);
	return rc;
}

int cirt_taxii_objects_post(struct cirt_req *r, struct cirt_diag *d)
{
	struct post p = {0};
	struct cirt_taxii_ctx x;
	int rc;

	rc = start(r, &x, false, NULL, d);
	if (rc < 0)
		return rc;
	if (!x.can_write)
		return forbidden("write to", d);
	p.db = cirt_req_db(r);
	p.c = &x.c;
	p.now = cirt_time_now_us();
	p.d = d;
	p.st.root_id = x.root.id;
	p.st.collection_id = x.c.id;
	p.st.request_ts = p.now;
	for (int i = 0; i < 3; i++)
		p.lists[i] = json_array();
	p.items = json_array();
	rc = cirt_db_begin(p.db, d);
	if (rc == 0) {
		rc = post_tx(r, &p, d);
		rc = cirt_db_end(p.db, rc, d);
	}
	if (rc == 0)
		rc = cirt_taxii_reply(r, 202,
				      cirt_taxii_status_json(&p.st, p.lists));
	for (int i = 0; i < 3; i++)
		json_decref(p.lists[i]);
	json_decref(p.items);
	return rc;
}
