/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * What an API handler sees of an HTTP request, and how it answers. The
 * server (http/http_server.c) has already matched the route, enforced the
 * body budget and content type, parsed the JSON body, authenticated the
 * caller, checked the route's action against the authorisation table and
 * lent a store connection, before the handler runs.
 *
 * A handler either answers with cirt_req_reply_*() and returns 0, or
 * returns a negative code with d set, and the server answers with the
 * error shape {"error": {"code", "message", "field"}} and the HTTP status
 * that the code maps to (one table, in http_server.c).
 *
 * Layer: http. A request and everything reached from it belong to the one
 * worker thread that runs the handler.
 */
#ifndef CIRT_HTTP_HTTP_H
#define CIRT_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "account/authz.h"
#include "audit/audit.h"
#include "store/db.h"

struct cirt_req;

typedef int (*cirt_handler_fn)(struct cirt_req *r, struct cirt_diag *d);

enum cirt_route_flags {
	CIRT_ROUTE_PUBLIC = 1 << 0, /* no credentials needed */
	CIRT_ROUTE_BODY = 1 << 1,   /* takes a JSON object body */
	CIRT_ROUTE_RAW = 1 << 2,    /* takes a body kept as bytes */
	/* TAXII 2.1 transport (section 1.6): Accept must name
	 * application/taxii+json (version 2.1), else 406; a body must be
	 * sent as it, else 415; errors are TAXII error resources. */
	CIRT_ROUTE_TAXII = 1 << 3,
	/* A body kept as bytes, up to max_upload rather than max_body. */
	CIRT_ROUTE_UPLOAD = 1 << 4,
};

/* The TAXII 2.1 media type, as every TAXII answer's Content-Type. */
#define CIRT_TAXII_MEDIA "application/taxii+json;version=2.1"

/* One endpoint. Patterns are literal segments and {name} parameters. */
struct cirt_route {
	const char *method;
	const char *pattern;
	cirt_handler_fn fn;
	enum cirt_action action; /* checked before fn unless PUBLIC */
	unsigned flags;
};

struct cirt_iodef_schema;
struct cirt_detect_live;

/* Settings that handlers read. */
struct cirt_http_settings {
	size_t max_body;   /* largest request body */
	size_t max_upload; /* largest upload (CIRT_ROUTE_UPLOAD) */
	const char *incident_prefix;
	const char *team_domain;
	const struct cirt_iodef_schema *iodef_schema; /* or NULL */
	int64_t token_days;    /* default token lifetime */
	int64_t session_hours; /* browser session lifetime */
	bool tls;	       /* served over HTTPS: cookies get Secure */
	const struct cirt_config *cfg;	 /* the whole configuration (feeds,
					* digests) */
	struct cirt_detect_live *detect; /* the live indicator set, or NULL */
};

/* Route parameter by name, percent-decoded; NULL if the route has none. */
const char *cirt_req_param(const struct cirt_req *r, const char *name);

/* Query parameter by name, percent-decoded; NULL if absent, "" if given
 * without a value. */
const char *cirt_req_query(const struct cirt_req *r, const char *name);

/* Name of the i-th query parameter (from 0), or NULL past the last. */
const char *cirt_req_query_key(const struct cirt_req *r, size_t i);

/* A request header, or NULL. */
const char *cirt_req_header(const struct cirt_req *r, const char *name);

/* The JSON object body (CIRT_ROUTE_BODY routes; {} when empty). */
json_t *cirt_req_body(const struct cirt_req *r);

/* The body as received (CIRT_ROUTE_RAW routes); *len gets its size. */
const char *cirt_req_raw_body(const struct cirt_req *r, size_t *len);

/* The authenticated caller (via CIRT_VIA_NONE on public routes without
 * credentials). */
const struct cirt_principal *cirt_req_principal(const struct cirt_req *r);

/* Who to write into the audit log for this request. */
const struct cirt_actor *cirt_req_actor(const struct cirt_req *r);

/* The client's address. */
const char *cirt_req_addr(const struct cirt_req *r);

/* The store connection lent for this request. */
struct cirt_db *cirt_req_db(const struct cirt_req *r);

const struct cirt_http_settings *cirt_req_settings(const struct cirt_req *r);

/* Answer with a JSON body (reference stolen; NULL for no body). */
int cirt_req_reply_json(struct cirt_req *r, int status, json_t *body);

/* Answer with a text body (taken, freed with free()). */
int cirt_req_reply_text(struct cirt_req *r, int status,
			const char *content_type, char *text, size_t len);

/* Answer this request's error with HTTP status instead of the one its
 * code maps to (TAXII's 422 for a body that is not an envelope). */
void cirt_req_error_status(struct cirt_req *r, int status);

/* Add a response header; only after a reply_* call. */
void cirt_req_add_header(struct cirt_req *r, const char *name,
			 const char *value);

#endif
