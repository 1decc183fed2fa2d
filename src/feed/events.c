/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Stored events read back (events.h). One statement with every filter
 * bound as "(? = '' OR ...)", newest first by id, with keyset paging.
 */
#include "feed/events.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/tlp.h"

#include "core/banned.h"

#define FILTER                                                               \
	" FROM events e LEFT JOIN orgs o ON o.id = e.org_id WHERE "          \
	"(? < 0 OR (? = 0 AND e.org_id IS NULL) OR e.org_id = ?) AND "       \
	"(? = '' OR e.feed = ?) AND (? = '' OR e.class = ?) AND "            \
	"(? = '' OR e.type = ?) AND (? = 0 OR e.time_observation >= ?) AND " \
	"(? = 0 OR e.time_observation < ?) AND e.tlp <= ? "

static const struct cirt_sql q_list = {
	"SELECT " CIRT_EVENT_COLS FILTER
	"AND (? = 0 OR e.id < ?) ORDER BY e.id DESC LIMIT ?",
	NULL};
static const struct cirt_sql q_one = {
	"SELECT " CIRT_EVENT_COLS ", e.raw" FILTER "AND e.id = ?", NULL};

void cirt_event_filter_init(struct cirt_event_filter *f)
{
	memset(f, 0, sizeof *f);
	f->org = -1;
	f->feed = "";
	f->cls = "";
	f->tlp_max = CIRT_TLP_RED;
	f->limit = 100;
}

static void put_str(json_t *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_set_new(o, k, json_string(v));
}

static void put_int(json_t *o, const char *k, int64_t v, int64_t unset)
{
	if (v != unset)
		json_object_set_new(o, k, json_integer(v));
}

json_t *cirt_event_row_json(struct cirt_stmt *s, int c)
{
	json_t *o = json_object(), *extra;
	const char *ip;

	json_object_set_new(o, "id", json_integer(cirt_stmt_i64(s, c)));
	put_str(o, "feed.name", cirt_stmt_text(s, c + 1));
	put_str(o, "feed.provider", cirt_stmt_text(s, c + 2));
	if (cirt_stmt_i64(s, c + 3))
		json_object_set_new(o, "time.source",
				    cirt_json_time(cirt_stmt_i64(s, c + 3)));
	json_object_set_new(o, "time.observation",
			    cirt_json_time(cirt_stmt_i64(s, c + 4)));
	ip = cirt_stmt_text(s, c + 5);
	put_str(o, strchr(ip, '/') ? "source.network" : "source.ip", ip);
	put_int(o, "source.port", cirt_stmt_i64(s, c + 6), -1);
	put_int(o, "source.asn", cirt_stmt_i64(s, c + 7), 0);
	put_str(o, "source.geolocation.cc", cirt_stmt_text(s, c + 8));
	put_str(o, "source.fqdn", cirt_stmt_text(s, c + 9));
	put_str(o, "source.url", cirt_stmt_text(s, c + 10));
	ip = cirt_stmt_text(s, c + 11);
	put_str(o, strchr(ip, '/') ? "destination.network" : "destination.ip",
		ip);
	put_int(o, "destination.port", cirt_stmt_i64(s, c + 12), -1);
	put_int(o, "destination.asn", cirt_stmt_i64(s, c + 13), 0);
	put_str(o, "destination.geolocation.cc", cirt_stmt_text(s, c + 14));
	put_str(o, "destination.fqdn", cirt_stmt_text(s, c + 15));
	put_str(o, "protocol.transport", cirt_stmt_text(s, c + 16));
	put_str(o, "protocol.application", cirt_stmt_text(s, c + 17));
	put_str(o, "classification.taxonomy", cirt_stmt_text(s, c + 18));
	put_str(o, "classification.type", cirt_stmt_text(s, c + 19));
	put_str(o, "classification.identifier", cirt_stmt_text(s, c + 20));
	put_str(o, "malware.name", cirt_stmt_text(s, c + 21));
	json_object_set_new(o, "tlp",
			    json_string(cirt_tlp_name(
				    (enum cirt_tlp)cirt_stmt_i64(s, c + 22))));
	put_str(o, "route", cirt_stmt_text(s, c + 23));
	extra = json_loads(cirt_stmt_text(s, c + 24), 0, NULL);
	json_object_set_new(o, "extra", extra ? extra : json_object());
	if (!cirt_stmt_null(s, c + 25))
		put_str(o, "constituent", cirt_stmt_text(s, c + 25));
	return o;
}

static int bind_filter(struct cirt_stmt *s, const struct cirt_event_filter *f)
{
	char cls[64] = "", *type = NULL;
	int i = 1;

	if (f->cls && *f->cls) {
		size_t n = strlen(f->cls);

		if (n >= sizeof cls)
			n = sizeof cls - 1;
		memcpy(cls, f->cls, n);
		cls[n] = '\0';
		type = strchr(cls, ':');
		if (type)
			*type++ = '\0';
	}
	cirt_stmt_bind_i64(s, i++, f->org);
	cirt_stmt_bind_i64(s, i++, f->org);
	cirt_stmt_bind_i64(s, i++, f->org);
	cirt_stmt_bind_str(s, i++, f->feed ? f->feed : "");
	cirt_stmt_bind_str(s, i++, f->feed ? f->feed : "");
	cirt_stmt_bind_str(s, i++, cls);
	cirt_stmt_bind_str(s, i++, cls);
	cirt_stmt_bind_str(s, i++, type ? type : "");
	cirt_stmt_bind_str(s, i++, type ? type : "");
	cirt_stmt_bind_i64(s, i++, f->since);
	cirt_stmt_bind_i64(s, i++, f->since);
	cirt_stmt_bind_i64(s, i++, f->until);
	cirt_stmt_bind_i64(s, i++, f->until);
	cirt_stmt_bind_i64(s, i++, f->tlp_max);
	return i;
}

int cirt_events_list(struct cirt_db *db, const struct cirt_event_filter *f,
		     cirt_event_row_fn fn, void *arg, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_list, d);
	int i, rc;

	if (!s)
		return d->code;
	i = bind_filter(s, f);
	cirt_stmt_bind_i64(s, i++, f->before_id);
	cirt_stmt_bind_i64(s, i++, f->before_id);
	cirt_stmt_bind_i64(s, i, f->limit);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		rc = fn(cirt_stmt_i64(s, 0), cirt_event_row_json(s, 0), arg);
		if (rc < 0)
			break;
	}
	cirt_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

int cirt_event_get(struct cirt_db *db, const struct cirt_event_filter *f,
		   int64_t id, json_t **out, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_one, d);
	int i, rc;

	*out = NULL;
	if (!s)
		return d->code;
	i = bind_filter(s, f);
	cirt_stmt_bind_i64(s, i, id);
	rc = cirt_stmt_step(s, d);
	if (rc == CIRT_DB_ROW) {
		size_t len = 0;
		const void *raw = cirt_stmt_blob(s, CIRT_EVENT_NCOLS, &len);
		json_t *o = cirt_event_row_json(s, 0);
		char *b64 = cirt_base64_encode(raw, len);

		json_object_set_new(o, "raw", json_string(b64));
		free(b64);
		*out = o;
	}
	cirt_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (!*out)
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "id", "no event %lld",
				     (long long)id);
	return 0;
}
