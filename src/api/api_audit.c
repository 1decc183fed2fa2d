/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * /api/v1/audit: read the audit log (admins), and verify its hash chain.
 *
 * Layer: api.
 */
#include "api/api.h"

#include "core/json.h"
#include "core/banned.h"

/* The JSON of one entry; detail is stored as JSON text by us. */
static int list_one(const struct cirt_audit_entry *e, void *arg)
{
	return cirt_api_list_add(arg, e->seq, cirt_audit_entry_json(e));
}

int cirt_api_audit_list(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_api_list l;
	int64_t after;
	int rc;

	rc = cirt_api_query_only(r, NULL, 0, d);
	if (rc == 0)
		rc = cirt_api_page(r, &l, &after, d);
	if (rc < 0)
		return rc;
	rc = cirt_audit_list(cirt_req_db(r), after, l.limit + 1, list_one, &l,
			     d);
	if (rc < 0) {
		cirt_api_list_release(&l);
		return rc;
	}
	return cirt_api_list_reply(r, &l);
}

int cirt_api_audit_verify(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_audit_report rep;
	int rc = cirt_audit_verify(cirt_req_db(r), &rep, d);

	if (rc < 0)
		return rc;
	return cirt_req_reply_json(
		r, 200,
		json_pack("{s:b, s:I, s:o, s:s?, s:s}", "intact",
			  rep.broken == 0, "entries", (json_int_t)rep.entries,
			  "broken_entry",
			  rep.broken ? json_integer(rep.broken) : json_null(),
			  "reason", rep.broken ? rep.reason : NULL, "head",
			  rep.head));
}
