/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The TAXII 2.1 server under /taxii2/ (OASIS TAXII 2.1, 2021-06-10;
 * ../shared/docs/standards.md section 2): discovery, API roots, status,
 * collections, manifest, objects (GET, POST), object (GET, DELETE) and
 * versions. The route table is cirt_taxii_routes; the transport rules
 * (media types, 406, 415, error resources) are the HTTP server's, by the
 * CIRT_ROUTE_TAXII flag; the data and every TLP and access decision are
 * share/ and account/authz.c.
 *
 * Layer: taxii (beside api). Handlers run on HTTP worker threads.
 */
#ifndef CIRT_TAXII_H
#define CIRT_TAXII_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "http/http.h"
#include "share/share_object.h"

extern const struct cirt_route cirt_taxii_routes[];
extern const size_t cirt_taxii_route_count;

/* Largest page of objects, versions or manifest records. */
#define CIRT_TAXII_PAGE_MAX	1000
#define CIRT_TAXII_PAGE_DEFAULT 100

/* The filters an endpoint takes (standards.md 2.2). */
enum cirt_taxii_filter {
	TAXII_F_ADDED_AFTER = 1 << 0,
	TAXII_F_LIMIT = 1 << 1, /* with next */
	TAXII_F_ID = 1 << 2,
	TAXII_F_TYPE = 1 << 3,
	TAXII_F_VERSION = 1 << 4,
	TAXII_F_SPEC = 1 << 5,
};

/* A request's filters, as a store query, with the lists it owns. */
struct cirt_taxii_params {
	struct cirt_share_query q;
	const char *next;   /* the `next` asked for, or NULL */
	bool version_given; /* match[version] was there */
	char *ids, *types, *specs, *keys, *added; /* JSON arrays (owned) */
	struct cirt_buf sig; /* the filters in a canonical form */
};

/*
 * Read the filters in mask from r's query (the others are ignored, as
 * TAXII allows) into p. Malformed values are -CIRT_EINVAL naming the
 * parameter (TAXII: 400). Release p with cirt_taxii_params_release.
 */
int cirt_taxii_params(const struct cirt_req *r, unsigned mask,
		      struct cirt_taxii_params *p, struct cirt_diag *d);

void cirt_taxii_params_release(struct cirt_taxii_params *p);

/* What a request under an API root has resolved. */
struct cirt_taxii_ctx {
	struct cirt_api_root root;
	struct cirt_collection c;
	bool can_read;
	bool can_write;
	enum cirt_tlp ceiling; /* the caller's (account/authz.c) */
};

/*
 * Resolve the {root} of r's path and, if want_collection, its
 * {collection} for the caller: -CIRT_ENOTFOUND if either is unknown, or
 * the caller may neither read nor write the collection (TAXII-08: it is
 * none of their business).
 */
int cirt_taxii_resolve(struct cirt_req *r, bool want_collection,
		       struct cirt_taxii_ctx *x, struct cirt_diag *d);

/* The JSON of collection x->c as the caller sees it. */
json_t *cirt_taxii_collection_json(const struct cirt_taxii_ctx *x);

struct cirt_status;

/* The status resource of st with its lists of successes, failures and
 * pendings (JSON arrays, borrowed; empty ones are left out). */
json_t *cirt_taxii_status_json(const struct cirt_status *st, json_t *lists[3]);

/* Answer with a TAXII resource (reference stolen). */
int cirt_taxii_reply(struct cirt_req *r, int status, json_t *body);

/* Handlers, by file: taxii_server.c, taxii_objects.c. */
int cirt_taxii_discovery(struct cirt_req *r, struct cirt_diag *d);
int cirt_taxii_root(struct cirt_req *r, struct cirt_diag *d);
int cirt_taxii_status(struct cirt_req *r, struct cirt_diag *d);
int cirt_taxii_collections(struct cirt_req *r, struct cirt_diag *d);
int cirt_taxii_collection(struct cirt_req *r, struct cirt_diag *d);
int cirt_taxii_manifest(struct cirt_req *r, struct cirt_diag *d);
int cirt_taxii_objects_get(struct cirt_req *r, struct cirt_diag *d);
int cirt_taxii_objects_post(struct cirt_req *r, struct cirt_diag *d);
int cirt_taxii_object_get(struct cirt_req *r, struct cirt_diag *d);
int cirt_taxii_object_delete(struct cirt_req *r, struct cirt_diag *d);
int cirt_taxii_versions(struct cirt_req *r, struct cirt_diag *d);

#endif
