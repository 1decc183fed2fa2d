/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Route matching and percent-decoding. A path is split on '/' before any
 * decoding, so "%2F" inside a segment stays part of that segment (an
 * organisation named "A/B" is /api/v1/orgs/A%2FB). Decoded text must be
 * valid UTF-8 without NUL bytes. A pattern that ends with '/' (the TAXII
 * ones) needs the trailing slash; for the others one is ignored.
 *
 * Layer: http. Pure functions, thread-safe.
 */
#ifndef CIRT_HTTP_ROUTER_H
#define CIRT_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "http/http.h"

#define CIRT_ROUTE_PARAMS_MAX 4

struct cirt_route_match {
	int route;	   /* index into the table, or -1 */
	bool wrong_method; /* the path exists with other methods */
	char allow[96];	   /* those methods, for the Allow header */
	size_t nparams;
	const char *names[CIRT_ROUTE_PARAMS_MAX]; /* point into patterns */
	char *values[CIRT_ROUTE_PARAMS_MAX];	  /* owned, decoded */
};

/*
 * Find the route for method and the raw (still encoded) path. 0 with
 * m->route set; -CIRT_ENOTFOUND (m->wrong_method tells 405 from 404);
 * -CIRT_EINVAL for bad percent-encoding. HEAD matches GET routes.
 * Release m with cirt_route_match_release() in every case.
 */
int cirt_route_find(const struct cirt_route *routes, size_t n,
		    const char *method, const char *path,
		    struct cirt_route_match *m, struct cirt_diag *d);

void cirt_route_match_release(struct cirt_route_match *m);

/*
 * Decode %XX escapes of s[0..len) into a new string (*out, caller frees).
 * -CIRT_EINVAL if an escape is malformed or the result is not valid UTF-8
 * or contains NUL; what names the text in the message.
 */
int cirt_pct_decode(const char *s, size_t len, const char *what, char **out,
		    struct cirt_diag *d);

#endif
