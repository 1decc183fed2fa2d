/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Running logs against a snapshot (detect.h): each record's values are
 * looked up, a URL also by its host; a match is handed to the caller and,
 * when the run records, remembered for the Sightings and stored as an
 * event for the constituent whose address the record holds.
 */
#include "detect/detect.h"

#include <string.h>

#include "account/org.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/time.h"
#include "core/tlp.h"
#include "core/uuid.h"
#include "feed/enrich.h"
#include "feed/event.h"
#include "feed/pipeline.h"
#include "feed/route.h"
#include "feed/rule.h"
#include "share/share.h"
#include "share/share_object.h"
#include "stix/stix_id.h"
#include "stix/stix_tlp.h"

#include "core/banned.h"

/* What was seen of one STIX indicator at one organisation. */
struct seen {
	uint32_t ref; /* a source of the indicator in the snapshot */
	int64_t org;
	uint64_t count;
	int64_t first, last; /* µs */
	uint64_t line;	     /* the last record counted, so that two */
	const char *source;  /* values of one line count once */
};

struct cirt_detect_run {
	struct cirt_detect_set *set;
	struct cirt_detect_store st;
	bool storing;
	cirt_detect_fn fn;
	void *arg;
	struct cirt_detect_stats stats;
	const char *source;
	struct cirt_diag *d;
	/* Storing: */
	struct cirt_route *route;
	struct cirt_feed feed;
	struct cirt_pipeline *pipe;
	struct cirt_event ev;
	int64_t team;
	struct seen *seen;
	size_t nseen, seen_cap;
	int error; /* the first storing failure, reported at the end */
	struct cirt_matcher_query q[CIRT_LOG_VALUES_MAX]; /* one line's */
};

static const struct cirt_sql q_sighting = {
	"SELECT sighting, count, first_seen, last_seen, created_at, "
	"updated_at FROM sightings WHERE indicator = ? AND org_id = ?",
	NULL};
static const struct cirt_sql q_sighting_add = {
	"INSERT INTO sightings (indicator, org_id, sighting, count, "
	"first_seen, last_seen, created_at, updated_at) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	NULL};
static const struct cirt_sql q_sighting_set = {
	"UPDATE sightings SET count = ?, first_seen = ?, last_seen = ?, "
	"updated_at = ? WHERE sighting = ?",
	NULL};
static const struct cirt_sql q_org = {
	"SELECT name, created_at FROM orgs WHERE id = ?", NULL};

/* ---- matches ------------------------------------------------------- */

json_t *cirt_detect_match_obj(const struct cirt_detect_match *mt, int ceiling)
{
	const struct cirt_matcher *m = mt->set->m;
	json_t *ids = json_array();
	int tlp = CIRT_TLP_CLEAR, conf = -1;

	for (size_t i = 0; i < mt->nids; i++) {
		struct cirt_ioc_src src;

		cirt_matcher_src(m, mt->refs[i], &src);
		if (src.tlp > ceiling)
			continue;
		json_array_append_new(ids, json_string(mt->ids[i]));
		if (src.tlp > tlp)
			tlp = src.tlp;
		if (src.confidence != CIRT_DETECT_CONF_NONE &&
		    src.confidence > conf)
			conf = src.confidence;
	}
	if (json_array_size(ids) == 0) {
		json_decref(ids);
		return NULL;
	}
	return json_pack(
		"{s:o, s:s, s:I, s:s, s:s, s:s%, s:s, s:o, s:s, s:o}", "time",
		mt->rec->time_us ? cirt_json_time(mt->rec->time_us)
				 : json_null(),
		"source", mt->source, "line", (json_int_t)mt->rec->line,
		"field", mt->val->field, "kind",
		cirt_ioc_kind_name(mt->val->kind), "value", mt->value,
		strlen(mt->value), "matched_as", mt->host ? "host" : "value",
		"indicators", ids, "tlp", cirt_tlp_name((enum cirt_tlp)tlp),
		"confidence", conf < 0 ? json_null() : json_integer(conf));
}

char *cirt_detect_match_json(const struct cirt_detect_match *mt)
{
	json_t *o = cirt_detect_match_obj(mt, CIRT_TLP_RED);
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

	json_decref(o);
	return text;
}

/* The constituent whose address the record holds (not the matched
 * value), and that address in *local; 0 when none owns one. */
static int64_t owner(struct cirt_detect_run *r,
		     const struct cirt_log_record *rec,
		     const struct cirt_log_value *matched,
		     const struct cirt_log_value **local)
{
	*local = NULL;
	for (size_t i = 0; i < rec->nvalues; i++) {
		const struct cirt_log_value *v = &rec->values[i];

		if (v == matched || v->kind != CIRT_IOC_IP)
			continue;
		cirt_event_reset(&r->ev);
		if (cirt_ip_parse(v->v, v->n, false, false, &r->ev.src.ip, NULL,
				  NULL) < 0)
			continue;
		r->ev.src.has_ip = true;
		if (cirt_route_event(r->route, &r->ev)) {
			*local = v;
			return r->ev.constituent;
		}
	}
	return 0;
}

/* One indicator behind two sources: a feed event's URL and its host, a
 * STIX indicator's several values. */
static bool same_source(const struct cirt_matcher *m, uint32_t a, uint32_t b)
{
	struct cirt_ioc_src x, y;

	if (a == b)
		return true;
	cirt_matcher_src(m, a, &x);
	cirt_matcher_src(m, b, &y);
	return x.origin == y.origin && x.key == y.key &&
	       memcmp(x.uuid, y.uuid, sizeof x.uuid) == 0;
}

/* One indicator (its values are several sources) at one organisation. */
static void remember(struct cirt_detect_run *r, uint32_t ref, int64_t org,
		     const struct cirt_log_record *rec)
{
	int64_t t = rec->time_us ? rec->time_us : cirt_time_now_us();
	struct seen *s = NULL;

	for (size_t i = 0; i < r->nseen; i++)
		if (r->seen[i].org == org &&
		    same_source(r->set->m, r->seen[i].ref, ref)) {
			s = &r->seen[i];
			break;
		}
	if (!s) {
		if (r->nseen == r->seen_cap) {
			r->seen_cap = r->seen_cap ? r->seen_cap * 2 : 16;
			r->seen = cirt_xrealloc(r->seen,
						r->seen_cap * sizeof *r->seen);
		}
		s = &r->seen[r->nseen++];
		*s = (struct seen){.ref = ref, .org = org, .first = t};
	}
	if (s->count > 0 && s->line == rec->line && s->source == r->source)
		return;
	s->line = rec->line;
	s->source = r->source;
	s->count++;
	if (t < s->first)
		s->first = t;
	if (t > s->last)
		s->last = t;
}

/* The match as an event of the constituent that owns local (the source
 * address), for rules and digests; unrouted when local is NULL. */
static void store_event(struct cirt_detect_run *r,
			const struct cirt_detect_match *mt,
			const struct cirt_log_value *local)
{
	struct cirt_event *ev = &r->ev;
	struct cirt_diag d;

	cirt_event_reset(ev);
	if (local && cirt_ip_parse(local->v, local->n, false, false,
				   &ev->src.ip, NULL, NULL) == 0)
		ev->src.has_ip = true;
	cirt_diag_init(&d);
	if (mt->val->kind == CIRT_IOC_IP || mt->host)
		(void)cirt_event_set(ev, "destination.ip", mt->value,
				     strlen(mt->value), NULL);
	if (mt->val->kind == CIRT_IOC_DOMAIN || (mt->host && !ev->dst.has_ip))
		(void)cirt_event_set(ev, "destination.fqdn", mt->value,
				     strlen(mt->value), NULL);
	if (mt->val->kind == CIRT_IOC_URL && !mt->host)
		(void)cirt_event_set(ev, "source.url", mt->value,
				     strlen(mt->value), NULL);
	ev->time_source = mt->rec->time_us;
	cirt_event_classify(ev, "intrusion-attempts", "ids-alert");
	snprintf(ev->identifier, sizeof ev->identifier, "%s", mt->ids[0]);
	ev->tlp = mt->tlp;
	if (cirt_event_extra(ev, "log", mt->source, strlen(mt->source)) < 0 ||
	    cirt_event_extra(ev, "field", mt->val->field,
			     strlen(mt->val->field)) < 0 ||
	    (local && cirt_event_extra(ev, "local_field", local->field,
				       strlen(local->field)) < 0))
		return;
	ev->raw = mt->rec->text;
	ev->raw_len = mt->rec->text_len;
	/* Counted by the pipeline (stored, not duplicates): see finish. */
	if (cirt_pipeline_event(r->pipe, ev, &d) < 0 && !r->error)
		r->error =
			cirt_diag_set(r->d, d.code, d.field, "%s", d.message);
}

/* Report the sources refs[0..n) matched by val (as value); those already
 * reported for this record are skipped. */
static int report(struct cirt_detect_run *r, const struct cirt_log_record *rec,
		  const struct cirt_log_value *val, const char *value,
		  const char *host, const uint32_t *refs, int n, uint32_t *done,
		  size_t *ndone)
{
	struct cirt_detect_match mt = {
		.set = r->set,
		.rec = rec,
		.source = r->source,
		.val = val,
		.value = value,
		.host = host,
		.tlp = CIRT_TLP_CLEAR,
	};
	const struct cirt_log_value *local;
	struct cirt_ioc_src src;
	int64_t org = 0;
	int rc = 0;

	for (int i = 0; i < n && i < CIRT_DETECT_REFS_MAX; i++) {
		bool again = false;

		for (size_t j = 0; j < *ndone && !again; j++)
			again = same_source(r->set->m, done[j], refs[i]);
		if (again)
			continue;
		if (*ndone < CIRT_LOG_VALUES_MAX)
			done[(*ndone)++] = refs[i];
		cirt_matcher_src(r->set->m, refs[i], &src);
		cirt_matcher_src_id(r->set->m, refs[i], mt.ids[mt.nids]);
		mt.refs[mt.nids++] = refs[i];
		if (src.tlp > mt.tlp)
			mt.tlp = src.tlp;
	}
	if (mt.nids == 0)
		return 0;
	r->stats.matches++;
	if (r->fn)
		rc = r->fn(&mt, r->arg);
	if (!r->storing)
		return rc;
	org = owner(r, rec, val, &local);
	for (size_t i = 0; i < mt.nids; i++) {
		cirt_matcher_src(r->set->m, mt.refs[i], &src);
		if (src.origin == CIRT_IOC_STIX)
			remember(r, mt.refs[i], org ? org : r->team, rec);
	}
	store_event(r, &mt, local);
	return rc;
}

static int on_record(const struct cirt_log_record *rec, void *arg)
{
	struct cirt_detect_run *r = arg;
	const struct cirt_matcher *m = r->set->m;
	uint32_t done[CIRT_LOG_VALUES_MAX];
	bool valid[CIRT_LOG_VALUES_MAX];
	size_t ndone = 0;
	int rc = 0;

	/* Every value hashed and its slots fetched first, then looked up:
	 * the line's cache misses overlap. */
	for (size_t i = 0; i < rec->nvalues; i++)
		valid[i] = cirt_matcher_prepare(
				   m, rec->values[i].kind, rec->values[i].v,
				   rec->values[i].n, &r->q[i]) == 0;
	for (size_t i = 0; i < rec->nvalues && rc >= 0; i++) {
		const struct cirt_log_value *v = &rec->values[i];
		uint32_t refs[CIRT_DETECT_REFS_MAX];
		char text[CIRT_IOC_VALUE_MAX + 1];
		const char *host;
		struct cirt_ip ip;
		int n;

		if (!valid[i])
			continue;
		n = cirt_matcher_probe(m, &r->q[i], refs, CIRT_DETECT_REFS_MAX);
		if (n > 0 && v->n <= CIRT_IOC_VALUE_MAX) {
			memcpy(text, v->v, v->n);
			text[v->n] = '\0';
			rc = report(r, rec, v, text, NULL, refs, n, done,
				    &ndone);
		}
		/* A URL's host is a name or an address of its own. */
		host = r->q[i].host;
		if (rc < 0 || v->kind != CIRT_IOC_URL || !*host)
			continue;
		/* An address literal is an address, though it would pass
		 * as a name of digits. */
		n = cirt_ip_parse(host, strlen(host), false, false, &ip, NULL,
				  NULL) == 0
			    ? cirt_matcher_lookup_ip(m, &ip, refs,
						     CIRT_DETECT_REFS_MAX)
			    : cirt_matcher_lookup(m, CIRT_IOC_DOMAIN, host,
						  strlen(host), refs,
						  CIRT_DETECT_REFS_MAX);
		if (n > 0)
			rc = report(r, rec, v, host, host, refs, n, done,
				    &ndone);
	}
	return rc;
}

/* ---- runs ---------------------------------------------------------- */

struct cirt_detect_run *cirt_detect_run_new(struct cirt_detect_set *set,
					    const struct cirt_detect_store *st,
					    cirt_detect_fn fn, void *arg)
{
	struct cirt_detect_run *r = cirt_xcalloc(1, sizeof *r);

	r->set = cirt_detect_set_hold(set);
	r->fn = fn;
	r->arg = arg;
	if (st)
		r->st = *st;
	r->storing = st && st->db;
	cirt_event_init(&r->ev);
	return r;
}

/* Set up what storing needs, once, on the first log. */
static int storing_begin(struct cirt_detect_run *r, struct cirt_diag *d)
{
	struct cirt_org team;
	int rc;

	if (!r->storing || r->pipe)
		return 0;
	rc = cirt_route_load(r->st.db, &r->route, d);
	if (rc == 0)
		rc = cirt_org_team(r->st.db, &team, d);
	if (rc < 0)
		return rc;
	r->team = team.id;
	cirt_feed_defaults(&r->feed, "detect", "detect");
	r->feed.tlp = CIRT_TLP_CLEAR; /* each event has its indicators' */
	snprintf(r->feed.provider, sizeof r->feed.provider, "cirtkit");
	r->pipe = cirt_pipeline_new(r->st.db, &r->feed, r->route, NULL,
				    CIRT_FEED_STORE);
	return 0;
}

static int run(struct cirt_detect_run *r, int fd, const char *text, size_t len,
	       const char *name, enum cirt_log_format f,
	       const struct cirt_log_map *map, struct cirt_diag *d)
{
	int rc = storing_begin(r, d);

	r->source = name;
	r->d = d;
	if (rc < 0)
		return rc;
	if (text)
		rc = cirt_log_read_mem(text, len, name, f, map, on_record, r,
				       &r->stats.log, d);
	else
		rc = cirt_log_read(fd, name, f, map, on_record, r,
				   &r->stats.log, d);
	if (r->pipe) {
		struct cirt_diag keep;

		cirt_diag_init(&keep);
		if (cirt_pipeline_flush(r->pipe, rc < 0 ? &keep : d) < 0 &&
		    rc == 0)
			rc = d->code;
	}
	if (rc == 0 && r->error)
		rc = r->error;
	return rc;
}

int cirt_detect_run_fd(struct cirt_detect_run *r, int fd, const char *name,
		       enum cirt_log_format f, const struct cirt_log_map *map,
		       struct cirt_diag *d)
{
	return run(r, fd, NULL, 0, name, f, map, d);
}

int cirt_detect_run_mem(struct cirt_detect_run *r, const char *text, size_t len,
			const char *name, enum cirt_log_format f,
			const struct cirt_log_map *map, struct cirt_diag *d)
{
	return run(r, -1, text ? text : "", len, name, f, map, d);
}

/* ---- sightings ----------------------------------------------------- */

/* The collection sightings go to, made on first use. */
static int sighting_collection(struct cirt_detect_run *r,
			       struct cirt_collection *c, struct cirt_diag *d)
{
	struct cirt_collection_new n = {
		.root = "default",
		.title = "Sightings",
		.description = "STIX Sightings of indicators in the "
			       "constituency's logs (cirtkit match)",
		.alias = r->st.cfg->detect_collection,
		.tlp_max = CIRT_TLP_AMBER_STRICT,
	};
	struct cirt_diag nf;
	int rc;

	cirt_diag_init(&nf);
	rc = cirt_collection_get(r->st.db, 0, r->st.cfg->detect_collection, c,
				 &nf);
	if (rc != -CIRT_ENOTFOUND)
		return rc < 0 ? cirt_diag_set(d, rc, nf.field, "%s", nf.message)
			      : 0;
	return cirt_collection_add(r->st.db, r->st.actor, &n, c, d);
}

/* The STIX identity of an organisation: a UUIDv5 of its name, so every
 * version of every Sighting names it the same way. */
static json_t *identity(struct cirt_db *db, int64_t org, char *id,
			struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_org, d);
	char u[CIRT_UUID_LEN + 1], name[256];
	json_t *o = NULL;
	unsigned char ns[16], raw[16];
	int64_t created;

	if (!s)
		return NULL;
	cirt_stmt_bind_i64(s, 1, org);
	if (cirt_stmt_step(s, d) != CIRT_DB_ROW) {
		cirt_stmt_reset(s);
		return NULL;
	}
	snprintf(name, sizeof name, "cirtkit-org:%s", cirt_stmt_text(s, 0));
	created = cirt_stmt_i64(s, 1);
	/* In the namespace of deterministic STIX ids (ours: it parses). */
	(void)cirt_uuid_parse(CIRT_STIX_SCO_NAMESPACE, CIRT_UUID_LEN, ns);
	cirt_uuid5(ns, name, strlen(name), raw);
	cirt_uuid_format(raw, u);
	snprintf(id, 64, "identity--%s", u);
	o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s}", "type", "identity",
		      "spec_version", "2.1", "id", id, "created",
		      cirt_json_time(created), "modified",
		      cirt_json_time(created), "name", cirt_stmt_text(s, 0),
		      "identity_class", "organization");
	cirt_stmt_reset(s);
	return o;
}

static int put(struct cirt_db *db, struct cirt_collection *c, json_t *obj,
	       int64_t *added, struct cirt_diag *d)
{
	struct cirt_share_result res;

	return cirt_share_put_made(db, c, obj, ++*added, "sighting", &res, d);
}

/* One Sighting's row and new version, inside the open transaction. */
static int sighting(struct cirt_detect_run *r, struct cirt_collection *c,
		    const struct seen *s, int64_t *added, struct cirt_diag *d)
{
	struct cirt_db *db = r->st.db;
	struct cirt_stmt *q = cirt_db_stmt(db, &q_sighting, d);
	struct cirt_ioc_src src;
	char ind[64], sid[64], who[64], u[CIRT_UUID_LEN + 1];
	int64_t count = (int64_t)s->count, first = s->first, last = s->last;
	int64_t now = cirt_time_now_us(), created = now, prev = 0;
	json_t *ident, *obj;
	bool known;
	int rc;

	cirt_matcher_src(r->set->m, s->ref, &src);
	cirt_matcher_src_id(r->set->m, s->ref, ind);
	if (!q)
		return d->code;
	cirt_stmt_bind_str(q, 1, ind);
	cirt_stmt_bind_i64(q, 2, s->org);
	rc = cirt_stmt_step(q, d);
	known = rc == CIRT_DB_ROW;
	if (known) {
		snprintf(sid, sizeof sid, "%s", cirt_stmt_text(q, 0));
		count += cirt_stmt_i64(q, 1);
		if (cirt_stmt_i64(q, 2) < first)
			first = cirt_stmt_i64(q, 2);
		if (cirt_stmt_i64(q, 3) > last)
			last = cirt_stmt_i64(q, 3);
		created = cirt_stmt_i64(q, 4);
		prev = cirt_stmt_i64(q, 5);
	}
	cirt_stmt_reset(q);
	if (rc < 0)
		return rc;
	/* Each version must be newer than the last, to the millisecond. */
	if (now <= prev + 1000)
		now = prev + 1000;
	if (!known) {
		cirt_uuid4(u);
		snprintf(sid, sizeof sid, "sighting--%s", u);
	}
	q = cirt_db_stmt(db, known ? &q_sighting_set : &q_sighting_add, d);
	if (!q)
		return d->code;
	if (known) {
		cirt_stmt_bind_i64(q, 1, count);
		cirt_stmt_bind_i64(q, 2, first);
		cirt_stmt_bind_i64(q, 3, last);
		cirt_stmt_bind_i64(q, 4, now);
		cirt_stmt_bind_str(q, 5, sid);
	} else {
		cirt_stmt_bind_str(q, 1, ind);
		cirt_stmt_bind_i64(q, 2, s->org);
		cirt_stmt_bind_str(q, 3, sid);
		cirt_stmt_bind_i64(q, 4, count);
		cirt_stmt_bind_i64(q, 5, first);
		cirt_stmt_bind_i64(q, 6, last);
		cirt_stmt_bind_i64(q, 7, created);
		cirt_stmt_bind_i64(q, 8, now);
	}
	rc = cirt_stmt_exec(q, d);
	if (rc < 0 || src.tlp > CIRT_TLP_AMBER_STRICT)
		return rc; /* RED stays in the table, out of collections */
	ident = identity(db, s->org, who, d);
	if (!ident)
		return d->code ? d->code
			       : cirt_diag_set(d, -CIRT_ENOTFOUND, "org",
					       "organisation %lld is gone",
					       (long long)s->org);
	rc = put(db, c, ident, added, d);
	json_decref(ident);
	if (rc < 0)
		return rc;
	obj = json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:I, s:o, s:o, "
			"s:[s], s:[s]}",
			"type", "sighting", "spec_version", "2.1", "id", sid,
			"created", cirt_json_time(created), "modified",
			cirt_json_time(now), "sighting_of_ref", ind, "count",
			(json_int_t)(count > 999999999 ? 999999999 : count),
			"first_seen", cirt_json_time(first), "last_seen",
			cirt_json_time(last), "where_sighted_refs", who,
			"object_marking_refs",
			cirt_tlp_marking_id((enum cirt_tlp)src.tlp));
	rc = put(db, c, obj, added, d);
	json_decref(obj);
	if (rc == 0)
		r->stats.sightings++;
	return rc;
}

static int store_sightings(struct cirt_detect_run *r, struct cirt_diag *d)
{
	struct cirt_collection c;
	char obj[CIRT_UUID_LEN + 16];
	json_t *detail;
	int64_t added = 0;
	int rc;

	if (r->nseen == 0)
		return 0;
	rc = sighting_collection(r, &c, d);
	if (rc == 0)
		rc = cirt_db_begin(r->st.db, d);
	if (rc < 0)
		return rc;
	rc = cirt_share_last_added(r->st.db, &c, &added, d);
	if (added < cirt_time_now_us())
		added = cirt_time_now_us();
	for (size_t i = 0; i < r->nseen && rc == 0; i++)
		rc = sighting(r, &c, &r->seen[i], &added, d);
	snprintf(obj, sizeof obj, "collection:%s", c.uuid);
	detail = json_pack("{s:I, s:I}", "indicators", (json_int_t)r->nseen,
			   "matches", (json_int_t)r->stats.matches);
	if (rc == 0)
		rc = cirt_audit_append(r->st.db, r->st.actor,
				       "detect.sightings", obj, detail, d);
	json_decref(detail);
	return cirt_db_end(r->st.db, rc, d);
}

int cirt_detect_run_finish(struct cirt_detect_run *r,
			   struct cirt_detect_stats *out, struct cirt_diag *d)
{
	int rc = 0;

	if (r->storing && r->pipe) {
		size_t n;
		const int64_t *orgs = cirt_pipeline_orgs(r->pipe, &n);

		struct cirt_diag later;

		/* The events are committed: their rules run even when the
		 * Sightings could not be stored. */
		cirt_diag_init(&later);
		rc = store_sightings(r, d);
		if (n > 0 &&
		    cirt_rule_apply(r->st.db, r->st.actor, r->st.cfg, orgs, n,
				    &r->stats.incidents, &later) < 0 &&
		    rc == 0)
			rc = cirt_diag_set(d, later.code, later.field, "%s",
					   later.message);
		r->nseen = 0;
		r->stats.events = cirt_pipeline_stats(r->pipe)->stored;
	}
	if (out)
		*out = r->stats;
	return rc;
}

void cirt_detect_run_free(struct cirt_detect_run *r)
{
	if (!r)
		return;
	cirt_pipeline_free(r->pipe);
	cirt_route_free(r->route);
	cirt_event_release(&r->ev);
	free(r->seen);
	cirt_detect_set_drop(r->set);
	free(r);
}
