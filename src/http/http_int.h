/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Private to src/http: the request structure shared by the server and the
 * authentication code. Handlers see it only through http/http.h.
 */
#ifndef CIRT_HTTP_INT_H
#define CIRT_HTTP_INT_H

#include <netinet/in.h>

#include <microhttpd.h>

#include "core/buf.h"
#include "http/http.h"
#include "http/http_router.h"
#include "http/http_server.h"

#define CIRT_QUERY_MAX 32

struct cirt_query_arg {
	char *key;
	char *value;
};

struct cirt_req {
	struct cirt_http *srv;
	struct MHD_Connection *conn;
	const char *method; /* owned by libmicrohttpd */
	char *path;	    /* raw path, no query */
	int64_t start_ns;
	struct cirt_route_match match;
	const struct cirt_route *route; /* NULL if none matched */
	struct cirt_diag early; /* route or query error, answered at end */
	struct cirt_query_arg query[CIRT_QUERY_MAX];
	size_t nquery;
	struct cirt_buf body;
	bool too_large; /* the body passed max_body */
	json_t *json;
	struct cirt_principal who;
	struct cirt_actor actor;
	char addr[INET6_ADDRSTRLEN];
	struct cirt_db *db;
	struct MHD_Response *resp;
	int error_status; /* overrides the code's status when set */
	int status;
	uint64_t resp_bytes;
};

/* Authenticate the request from its Authorization header or session
 * cookie into r->who; 0 (also when no credentials were sent), or
 * -CIRT_EAUTH / -CIRT_EPERM (CSRF) with d set. */
int cirt_http_authenticate(struct cirt_req *r, struct cirt_diag *d);

#endif
