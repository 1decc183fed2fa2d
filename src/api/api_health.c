/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Liveness and figures: /healthz (no credentials; 200 when the store
 * answers a round trip, 503 when it does not), /metrics (Prometheus text), and
 * /api/v1/whoami.
 *
 * Layer: api.
 */
#include "api/api.h"

#include <stdlib.h>

#include "core/buf.h"
#include "http/http_metrics.h"
#include "store/migrate.h"
#include "store/store_stats.h"
#include "version.h"
#include "core/banned.h"

#define METRICS_MAX (4u << 20)

/* The schema was checked when the server started; a round trip is
 * enough to know the store still answers. */
int cirt_api_healthz(struct cirt_req *r, struct cirt_diag *d)
{
	int rc = cirt_store_ping(cirt_req_db(r), d);

	if (rc < 0)
		return rc;
	return cirt_req_reply_json(r, 200,
				   json_pack("{s:s, s:s, s:i}", "status", "ok",
					     "version", CIRT_VERSION, "schema",
					     cirt_schema_latest()));
}

static int render_store(struct cirt_buf *out, const struct cirt_store_stats *s)
{
	return cirt_buf_addf(
		out,
		"# HELP cirtkit_store_rows Rows in the main tables.\n"
		"# TYPE cirtkit_store_rows gauge\n"
		"cirtkit_store_rows{table=\"orgs\"} %lld\n"
		"cirtkit_store_rows{table=\"users\"} %lld\n"
		"cirtkit_store_rows{table=\"sessions\"} %lld\n"
		"cirtkit_store_rows{table=\"audit\"} %lld\n"
		"# HELP cirtkit_store_tokens_active Tokens neither revoked nor "
		"expired.\n"
		"# TYPE cirtkit_store_tokens_active gauge\n"
		"cirtkit_store_tokens_active %lld\n"
		"# HELP cirtkit_store_bytes Size of the database.\n"
		"# TYPE cirtkit_store_bytes gauge\n"
		"cirtkit_store_bytes %lld\n"
		"# HELP cirtkit_store_schema_version Schema version.\n"
		"# TYPE cirtkit_store_schema_version gauge\n"
		"cirtkit_store_schema_version %d\n",
		(long long)s->orgs, (long long)s->users, (long long)s->sessions,
		(long long)s->audit_entries, (long long)s->tokens_active,
		(long long)s->bytes, s->schema_version);
}

int cirt_api_metrics(struct cirt_req *r, struct cirt_diag *d)
{
	struct cirt_store_stats st;
	struct cirt_buf out;
	size_t len;
	char *text;
	int rc;

	rc = cirt_store_stats(cirt_req_db(r), &st, d);
	if (rc < 0)
		return rc;
	cirt_buf_init(&out, METRICS_MAX);
	rc = cirt_metrics_render(&out);
	if (rc == 0)
		rc = render_store(&out, &st);
	if (rc < 0)
		return cirt_diag_set(d, rc, NULL, "metrics too large");
	text = cirt_buf_detach(&out, &len);
	return cirt_req_reply_text(
		r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}

int cirt_api_whoami(struct cirt_req *r, struct cirt_diag *d)
{
	(void)d;
	return cirt_req_reply_json(
		r, 200, cirt_api_principal_json(cirt_req_principal(r)));
}
