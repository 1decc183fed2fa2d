/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Route matching. See http/http_router.h.
 */
#include "http/http_router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/banned.h"

int cirt_pct_decode(const char *s, size_t len, const char *what, char **out,
		    struct cirt_diag *d)
{
	char *o = cirt_xmalloc(len + 1);
	size_t n = 0;
	int hi, lo;

	for (size_t i = 0; i < len; i++) {
		if (s[i] != '%') {
			o[n++] = s[i];
			continue;
		}
		hi = i + 2 < len ? cirt_hex_value(s[i + 1]) : -1;
		lo = hi >= 0 ? cirt_hex_value(s[i + 2]) : -1;
		if (hi < 0 || lo < 0) {
			free(o);
			return cirt_diag_set(d, -CIRT_EINVAL, what,
					     "bad percent-encoding in %s",
					     what);
		}
		o[n++] = (char)(hi << 4 | lo);
		i += 2;
	}
	o[n] = '\0';
	if (memchr(o, '\0', n) != NULL || !cirt_utf8_valid(o, n, NULL)) {
		free(o);
		return cirt_diag_set(d, -CIRT_EINVAL, what,
				     "%s is not valid UTF-8 text", what);
	}
	*out = o;
	return 0;
}

/* Next segment of a path: [*p, end of segment); advances *p past it. */
static bool next_segment(const char **p, const char **seg, size_t *len)
{
	const char *s = *p, *e;

	if (*s == '/')
		s++;
	if (*s == '\0')
		return false;
	e = strchr(s, '/');
	if (e == NULL)
		e = s + strlen(s);
	*seg = s;
	*len = (size_t)(e - s);
	*p = e;
	return true;
}

/* Does pattern match path? Fills params (decoded) if so. */
static int match_path(const char *pattern, const char *path,
		      struct cirt_route_match *m, struct cirt_diag *d)
{
	const char *pp = pattern, *xp = path, *ps, *xs;
	size_t pl, xl;
	bool more_p, more_x;
	int rc;

	m->nparams = 0;
	if (pattern[strlen(pattern) - 1] == '/' &&
	    (*path == '\0' || path[strlen(path) - 1] != '/'))
		return 0;
	for (;;) {
		more_p = next_segment(&pp, &ps, &pl);
		more_x = next_segment(&xp, &xs, &xl);
		if (!more_p || !more_x)
			return more_p == more_x ? 1 : 0;
		if (xl == 0)
			return 0; /* "//" never matches */
		if (ps[0] == '{') {
			CIRT_ASSERT(m->nparams < CIRT_ROUTE_PARAMS_MAX);
			rc = cirt_pct_decode(xs, xl, "path",
					     &m->values[m->nparams], d);
			if (rc < 0)
				return rc;
			m->names[m->nparams++] = ps;
		} else if (pl != xl || memcmp(ps, xs, pl) != 0) {
			return 0;
		}
	}
}

static void drop_params(struct cirt_route_match *m)
{
	for (size_t i = 0; i < m->nparams; i++)
		CIRT_FREE(m->values[i]);
	m->nparams = 0;
}

static void add_allow(struct cirt_route_match *m, const char *method)
{
	size_t n = strlen(m->allow);

	if (strstr(m->allow, method) != NULL)
		return;
	snprintf(m->allow + n, sizeof(m->allow) - n, "%s%s", n ? ", " : "",
		 method);
}

int cirt_route_find(const struct cirt_route *routes, size_t n,
		    const char *method, const char *path,
		    struct cirt_route_match *m, struct cirt_diag *d)
{
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	int rc;

	memset(m, 0, sizeof(*m));
	m->route = -1;
	if (path[0] != '/')
		return cirt_diag_set(d, -CIRT_ENOTFOUND, NULL,
				     "no such endpoint: %s", path);
	for (size_t i = 0; i < n; i++) {
		rc = match_path(routes[i].pattern, path, m, d);
		if (rc < 0) {
			drop_params(m);
			return rc;
		}
		if (rc == 0) {
			drop_params(m);
			continue;
		}
		if (strcmp(routes[i].method, want) == 0) {
			m->route = (int)i;
			m->wrong_method = false;
			return 0;
		}
		m->wrong_method = true;
		add_allow(m, routes[i].method);
		drop_params(m);
	}
	if (m->wrong_method)
		return cirt_diag_set(d, -CIRT_ENOTFOUND, NULL,
				     "%s is not allowed on %s (allowed: %s)",
				     method, path, m->allow);
	return cirt_diag_set(d, -CIRT_ENOTFOUND, NULL,
			     "no such endpoint: %s %s", method, path);
}

void cirt_route_match_release(struct cirt_route_match *m)
{
	drop_params(m);
}
