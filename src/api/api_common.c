/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Helpers shared by the API handlers: paging, query parameters, ids. See
 * api/api.h.
 */
#include "api/api.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "account/org.h"
#include "core/parse.h"
#include "core/banned.h"

int cirt_api_query_only(const struct cirt_req *r, const char *const *names,
			size_t n, struct cirt_diag *d)
{
	static const char *const paging[] = {"limit", "cursor"};
	size_t i, j;

	for (i = 0;; i++) {
		const char *key = cirt_req_query_key(r, i);

		if (key == NULL)
			return 0;
		for (j = 0; j < n; j++)
			if (strcmp(key, names[j]) == 0)
				break;
		if (j < n)
			continue;
		for (j = 0; j < CIRT_ARRAY_LEN(paging); j++)
			if (strcmp(key, paging[j]) == 0)
				break;
		if (j == CIRT_ARRAY_LEN(paging))
			return cirt_diag_set(d, -CIRT_EINVAL, key,
					     "unknown query parameter '%s'",
					     key);
	}
}

int cirt_api_page(const struct cirt_req *r, struct cirt_api_list *l,
		  int64_t *after, struct cirt_diag *d)
{
	const char *limit = cirt_req_query(r, "limit");
	const char *cursor = cirt_req_query(r, "cursor");

	memset(l, 0, sizeof(*l));
	l->limit = CIRT_API_LIMIT_DEFAULT;
	*after = 0;
	if (limit &&
	    cirt_parse_i64(limit, 1, CIRT_API_LIMIT_MAX, &l->limit) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "limit",
				     "limit must be a number from 1 to %d",
				     CIRT_API_LIMIT_MAX);
	if (cursor && cirt_parse_i64(cursor, 0, INT64_MAX, after) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "cursor",
				     "cursor is not one this server gave out");
	l->items = json_array();
	return 0;
}

int cirt_api_list_add(struct cirt_api_list *l, int64_t cursor, json_t *item)
{
	if ((int64_t)json_array_size(l->items) >= l->limit) {
		l->more = 1;
		json_decref(item);
		return 0;
	}
	json_array_append_new(l->items, item);
	l->last = cursor;
	return 0;
}

int cirt_api_list_reply(struct cirt_req *r, struct cirt_api_list *l)
{
	json_t *body = json_pack("{s:o}", "items", l->items);
	char cursor[24];

	l->items = NULL;
	if (l->more) {
		snprintf(cursor, sizeof(cursor), "%" PRId64, l->last);
		json_object_set_new(body, "next_cursor", json_string(cursor));
	}
	return cirt_req_reply_json(r, 200, body);
}

void cirt_api_list_release(struct cirt_api_list *l)
{
	json_decref(l->items);
	l->items = NULL;
}

int cirt_api_param_id(const struct cirt_req *r, const char *name, int64_t *id,
		      struct cirt_diag *d)
{
	const char *v = cirt_req_param(r, name);

	if (v == NULL || cirt_parse_i64(v, 1, INT64_MAX, id) < 0)
		return cirt_diag_set(d, -CIRT_ENOTFOUND, name, "no %s '%s'",
				     name, v ? v : "");
	return 0;
}

json_t *cirt_api_principal_json(const struct cirt_principal *p)
{
	static const char *const via[] = {"none", "token", "password",
					  "session"};

	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "user", p->user, "org",
			 p->org, "org_kind", cirt_org_kind_name(p->org_kind),
			 "role", cirt_role_name(p->role), "auth",
			 (unsigned)p->via < 4 ? via[p->via] : "none");
}

int cirt_api_reply_items(struct cirt_req *r, json_t *items)
{
	return cirt_req_reply_json(r, 200, json_pack("{s:o}", "items", items));
}
