/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The pipeline (pipeline.h). The emit callback does every step for one
 * event; the only memory it uses is the pipeline's own (key buffer, the
 * set of constituents touched), so a feed of any size runs in the same
 * memory.
 */
#include "feed/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/mem.h"
#include "core/time.h"
#include "core/tlp.h"
#include "incident/taxonomy.h"

#include "core/banned.h"

struct cirt_pipeline {
	struct cirt_db *db;
	const struct cirt_feed *feed;
	const struct cirt_route *route;
	const struct cirt_geo *geo;
	enum cirt_feed_mode mode;
	struct cirt_pipe_stats st;
	int64_t now;
	int64_t report_time;
	size_t in_batch;
	bool in_tx;
	int64_t *orgs; /* open-addressing set; 0 empty */
	size_t orgs_cap, orgs_n;
	int64_t *orgs_list;
	struct cirt_diag *d; /* the current input's */
};

static const struct cirt_sql q_dup = {
	"SELECT 1 FROM events WHERE dedup = ? AND time_key BETWEEN ? AND ? "
	"LIMIT 1",
	NULL};

static const struct cirt_sql q_insert = {
	"INSERT INTO events (feed, provider, time_source, time_observation, "
	"time_key, src_ip, src_port, src_asn, src_cc, src_fqdn, url, dst_ip, "
	"dst_port, dst_asn, dst_cc, dst_fqdn, transport, application, class, "
	"type, identifier, malware, tlp, org_id, route, extra, raw, dedup) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	"?, ?, ?, ?, ?, ?, ?, ?)",
	NULL};

struct cirt_pipeline *cirt_pipeline_new(struct cirt_db *db,
					const struct cirt_feed *f,
					const struct cirt_route *route,
					const struct cirt_geo *geo,
					enum cirt_feed_mode mode)
{
	struct cirt_pipeline *p = cirt_xcalloc(1, sizeof *p);

	p->db = db;
	p->feed = f;
	p->route = route;
	p->geo = geo;
	p->mode = mode;
	return p;
}

void cirt_pipeline_free(struct cirt_pipeline *p)
{
	if (!p)
		return;
	if (p->in_tx)
		cirt_db_rollback(p->db);
	free(p->orgs);
	free(p->orgs_list);
	free(p);
}

const struct cirt_pipe_stats *cirt_pipeline_stats(const struct cirt_pipeline *p)
{
	return &p->st;
}

static void touch(struct cirt_pipeline *p, int64_t org)
{
	size_t i;

	if ((p->orgs_n + 1) * 2 > p->orgs_cap) {
		size_t cap = p->orgs_cap ? p->orgs_cap * 2 : 64;

		free(p->orgs);
		p->orgs = cirt_xcalloc(cap, sizeof *p->orgs);
		p->orgs_cap = cap;
		for (size_t k = 0; k < p->orgs_n; k++) {
			i = (size_t)p->orgs_list[k] & (cap - 1);
			while (p->orgs[i])
				i = (i + 1) & (cap - 1);
			p->orgs[i] = p->orgs_list[k];
		}
		p->orgs_list = cirt_xrealloc(p->orgs_list,
					     cap / 2 * sizeof *p->orgs_list);
	}
	i = (size_t)org & (p->orgs_cap - 1);
	while (p->orgs[i] && p->orgs[i] != org)
		i = (i + 1) & (p->orgs_cap - 1);
	if (!p->orgs[i]) {
		p->orgs[i] = org;
		p->orgs_list[p->orgs_n++] = org;
	}
}

const int64_t *cirt_pipeline_orgs(const struct cirt_pipeline *p, size_t *n)
{
	*n = p->orgs_n;
	return p->orgs_list;
}

/* The feed's classification where the parser gave none, and a known
 * class:type in the end: an unknown one is kept in extra and the event
 * becomes other:undetermined. */
static void classify(struct cirt_event *ev, const struct cirt_feed *f)
{
	char key[96];

	if (ev->cls[0] == '\0') {
		cirt_event_classify(ev, f->cls, f->type);
	} else if (ev->type[0] == '\0' && strcmp(ev->cls, f->cls) == 0) {
		snprintf(ev->type, sizeof ev->type, "%s", f->type);
	}
	if (ev->cls[0] && ev->type[0]) {
		snprintf(key, sizeof key, "%s:%s", ev->cls, ev->type);
		if (cirt_taxonomy_find(key))
			return;
		if (cirt_event_extra(ev, "classification.original", key,
				     strlen(key)) < 0) {
			/* extra is full: the class is lost, not the event */
		}
	} else if (ev->cls[0] &&
		   cirt_event_extra(ev, "classification.original", ev->cls,
				    strlen(ev->cls)) < 0) {
		/* as above */
	}
	cirt_event_classify(ev, "other", "undetermined");
}

static void ip_text(const struct cirt_event_end *e, char *out)
{
	if (e->has_ip)
		cirt_ip_format(&e->ip, out);
	else
		out[0] = '\0';
}

/* The hex key of what makes two events the same. */
static void dedup_key(const struct cirt_event *ev, const char *feed,
		      const char *src, const char *dst, char out[33])
{
	char buf[CIRT_EVENT_URL_MAX + 2 * CIRT_EVENT_FQDN_MAX + 512];
	char hex[CIRT_SHA256_HEX_LEN];
	int n = snprintf(
		buf, sizeof buf, "%s|%s:%s|%s|%s|%d|%lld|%s|%d|%s|%s|%s|%s",
		feed, ev->cls, ev->type, ev->identifier, src, (int)ev->src.port,
		(long long)ev->src.asn, dst, (int)ev->dst.port, ev->src.fqdn,
		ev->url, ev->malware, ev->transport);

	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof buf)
		n = (int)sizeof buf - 1;
	cirt_sha256_hex(buf, (size_t)n, hex);
	memcpy(out, hex, 32);
	out[32] = '\0';
}

static int batch_begin(struct cirt_pipeline *p, struct cirt_diag *d)
{
	int rc;

	if (p->in_tx)
		return 0;
	rc = cirt_db_begin(p->db, d);
	if (rc == 0)
		p->in_tx = true;
	p->in_batch = 0;
	return rc;
}

static int batch_commit(struct cirt_pipeline *p, struct cirt_diag *d)
{
	int rc;

	if (!p->in_tx)
		return 0;
	p->in_tx = false;
	rc = cirt_db_commit(p->db, d);
	if (rc < 0)
		cirt_db_rollback(p->db);
	return rc;
}

static int is_dup(struct cirt_pipeline *p, const char *key, int64_t t,
		  struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(p->db, &q_dup, d);
	int64_t w = p->feed->dedup_s * 1000000;
	int rc;

	if (!s)
		return d->code;
	cirt_stmt_bind_str(s, 1, key);
	cirt_stmt_bind_i64(s, 2, t - w);
	cirt_stmt_bind_i64(s, 3, t + w);
	rc = cirt_stmt_step(s, d);
	cirt_stmt_reset(s);
	if (rc < 0)
		return rc;
	return rc == CIRT_DB_ROW;
}

static int store(struct cirt_pipeline *p, const struct cirt_event *ev,
		 const char *src, const char *dst, const char *key,
		 int64_t time_key, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(p->db, &q_insert, d);
	int tlp = ev->tlp > p->feed->tlp ? ev->tlp : p->feed->tlp;
	char *extra;
	size_t raw_len = ev->raw_len;
	int rc;

	if (!s)
		return d->code;
	if (raw_len > CIRT_EVENT_RAW_MAX)
		raw_len = CIRT_EVENT_RAW_MAX;
	extra = cirt_xmalloc(ev->extra.len + 3);
	extra[0] = '{';
	if (ev->extra.len)
		memcpy(extra + 1, ev->extra.data, ev->extra.len);
	memcpy(extra + 1 + ev->extra.len, "}", 2);
	cirt_stmt_bind_str(s, 1, p->feed->name);
	cirt_stmt_bind_str(s, 2, p->feed->provider);
	cirt_stmt_bind_i64(s, 3, ev->time_source);
	cirt_stmt_bind_i64(s, 4, ev->time_observation);
	cirt_stmt_bind_i64(s, 5, time_key);
	cirt_stmt_bind_str(s, 6, src);
	cirt_stmt_bind_i64(s, 7, ev->src.port);
	cirt_stmt_bind_i64(s, 8, ev->src.asn);
	cirt_stmt_bind_str(s, 9, ev->src.cc);
	cirt_stmt_bind_str(s, 10, ev->src.fqdn);
	cirt_stmt_bind_str(s, 11, ev->url);
	cirt_stmt_bind_str(s, 12, dst);
	cirt_stmt_bind_i64(s, 13, ev->dst.port);
	cirt_stmt_bind_i64(s, 14, ev->dst.asn);
	cirt_stmt_bind_str(s, 15, ev->dst.cc);
	cirt_stmt_bind_str(s, 16, ev->dst.fqdn);
	cirt_stmt_bind_str(s, 17, ev->transport);
	cirt_stmt_bind_str(s, 18, ev->application);
	cirt_stmt_bind_str(s, 19, ev->cls);
	cirt_stmt_bind_str(s, 20, ev->type);
	cirt_stmt_bind_str(s, 21, ev->identifier);
	cirt_stmt_bind_str(s, 22, ev->malware);
	cirt_stmt_bind_i64(s, 23, tlp);
	if (ev->constituent)
		cirt_stmt_bind_i64(s, 24, ev->constituent);
	else
		cirt_stmt_bind_null(s, 24);
	cirt_stmt_bind_str(s, 25, ev->route);
	cirt_stmt_bind_str(s, 26, extra);
	cirt_stmt_bind_blob(s, 27, ev->raw ? ev->raw : "", raw_len);
	cirt_stmt_bind_str(s, 28, key);
	rc = cirt_stmt_exec(s, d);
	free(extra);
	return rc;
}

static int emit(struct cirt_event *ev, void *arg)
{
	struct cirt_pipeline *p = arg;
	struct cirt_diag *d = p->d;
	char src[CIRT_IP_TEXT_MAX + 1], dst[CIRT_IP_TEXT_MAX + 1];
	char key[33];
	int64_t time_key;
	int rc;

	if (p->mode == CIRT_FEED_PARSE)
		return 0;
	classify(ev, p->feed);
	ev->time_observation = p->now;
	cirt_event_enrich(ev, p->geo, &p->st.names_dropped);
	if (p->route && cirt_route_event(p->route, ev)) {
		p->st.routed++;
		touch(p, ev->constituent);
	} else {
		p->st.unrouted++;
	}
	if (p->mode == CIRT_FEED_ROUTE)
		return 0;
	ip_text(&ev->src, src);
	ip_text(&ev->dst, dst);
	dedup_key(ev, p->feed->name, src, dst, key);
	time_key = ev->time_source ? ev->time_source : p->report_time;
	rc = batch_begin(p, d);
	if (rc == 0)
		rc = is_dup(p, key, time_key, d);
	if (rc == 1) {
		p->st.duplicates++;
		return 0;
	}
	if (rc == 0)
		rc = store(p, ev, src, dst, key, time_key, d);
	if (rc < 0)
		return rc;
	p->st.stored++;
	if (++p->in_batch >= CIRT_PIPE_BATCH)
		rc = batch_commit(p, d);
	return rc;
}

int cirt_pipeline_event(struct cirt_pipeline *p, struct cirt_event *ev,
			struct cirt_diag *d)
{
	p->d = d;
	p->now = cirt_time_now_us();
	p->report_time = p->now;
	return emit(ev, p);
}

int cirt_pipeline_flush(struct cirt_pipeline *p, struct cirt_diag *d)
{
	return batch_commit(p, d);
}

int cirt_pipeline_input(struct cirt_pipeline *p,
			const struct cirt_feed_src *src, struct cirt_diag *d)
{
	const struct cirt_parser *parser = cirt_parser_find(p->feed->parser);
	struct cirt_feed_stats st;
	int rc;

	if (!parser)
		return cirt_diag_set(d, -CIRT_EINVAL, "parser",
				     "no parser named '%s'", p->feed->parser);
	memset(&st, 0, sizeof st);
	p->d = d;
	p->now = cirt_time_now_us();
	p->report_time = src->report_time ? src->report_time : p->now;
	rc = parser->run(src, emit, p, &st, d);
	if (rc == 0)
		rc = batch_commit(p, d);
	else if (p->in_tx) {
		/* Keep what the input gave before it failed: the events
		 * stored are complete ones. */
		struct cirt_diag keep;

		cirt_diag_init(&keep);
		(void)batch_commit(p, &keep);
	}
	p->st.parse.records += st.records;
	p->st.parse.events += st.events;
	for (uint64_t i = 0; i < st.bad && i < CIRT_FEED_BAD_KEEP; i++) {
		uint64_t at = p->st.parse.bad + i;

		if (at < CIRT_FEED_BAD_KEEP)
			memcpy(p->st.parse.first_bad[at], st.first_bad[i],
			       sizeof st.first_bad[i]);
	}
	p->st.parse.bad += st.bad;
	return rc;
}
