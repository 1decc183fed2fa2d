/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Compiling the indicator set (detect.h): from the store's STIX
 * indicators and recent feed events, or from an indicator file, through
 * the allow-lists into a matcher snapshot, with a report of everything
 * that was left out and why.
 */
#include "detect/detect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/time.h"
#include "core/tlp.h"
#include "core/uuid.h"
#include "stix/stix_pattern.h"

#include "core/banned.h"

/* The latest version first, so the first row of each id is the one. */
static const struct cirt_sql q_indicators = {
	"SELECT stix_id, revoked, tlp, body FROM stix_objects "
	"WHERE type = 'indicator' ORDER BY stix_id, version_key DESC",
	NULL};
/* Events whose addresses and names are threats, not victims: not the
 * vulnerable, compromised or infected systems the feeds report. */
static const struct cirt_sql q_events = {
	"SELECT id, src_ip, src_fqdn, url, tlp FROM events "
	"WHERE feed <> 'detect' AND time_observation >= ? AND class NOT IN "
	"('vulnerable', 'intrusions', 'information-content-security', "
	"'other', 'test') AND type <> 'infected-system' ORDER BY id",
	NULL};
static const struct cirt_sql q_marker = {
	"SELECT (SELECT COALESCE(MAX(seq), 0) FROM stix_objects "
	"WHERE type = 'indicator'), (SELECT COALESCE(MAX(id), 0) FROM events "
	"WHERE feed <> 'detect')",
	NULL};

/* What a compilation counts and lists. */
struct compile {
	struct cirt_matcher_builder *b;
	json_t *uncompilable; /* [{id, reason}] */
	json_t *excluded;     /* [{value, kind, reason, source}] */
	json_t *invalid;      /* [{source, value, reason}] */
	uint64_t n_uncompilable, n_invalid, n_excluded;
	uint64_t stix, stix_compiled, revoked, expired, not_yet, events;
	uint64_t file_lines;
	int64_t now;
};

static void note(json_t *list, uint64_t *count, json_t *entry)
{
	if (++*count <= CIRT_DETECT_REPORT_MAX)
		json_array_append_new(list, entry);
	else
		json_decref(entry);
}

/* Add one value; 1 added, 0 left out or invalid (both noted). */
static int add(struct compile *c, enum cirt_ioc_kind k, const char *v, size_t n,
	       const struct cirt_ioc_src *src)
{
	enum cirt_ioc_drop why;
	struct cirt_diag d;
	char name[64];
	int rc;

	cirt_diag_init(&d);
	rc = cirt_matcher_add(c->b, k, v, n, src, &why, &d);
	if (rc > 0)
		return 1;
	cirt_ioc_src_id(src, name);
	if (rc == 0)
		note(c->excluded, &c->n_excluded,
		     json_pack("{s:s%, s:s, s:s, s:s}", "value", v, n, "kind",
			       cirt_ioc_kind_name(k), "reason",
			       cirt_ioc_drop_name(why), "source", name));
	else
		note(c->invalid, &c->n_invalid,
		     json_pack("{s:s, s:s%, s:s}", "source", name, "value", v,
			       n > 200 ? (size_t)200 : n, "reason", d.message));
	return 0;
}

/* Nothing but spaces and tabs. */
static bool blank(const char *s, size_t n)
{
	cirt_text_trim_blanks(&s, &n);
	return n == 0;
}

static void begin(struct compile *c, bool allow_special)
{
	memset(c, 0, sizeof *c);
	c->b = cirt_matcher_builder_new(allow_special);
	c->uncompilable = json_array();
	c->excluded = json_array();
	c->invalid = json_array();
	c->now = cirt_time_now_us();
}

/* ---- allow-lists --------------------------------------------------- */

static int allow_networks(struct compile *c, const char *list,
			  struct cirt_diag *d)
{
	const char *p = list;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (!blank(p, n) && cirt_matcher_allow_ip(c->b, p, n, NULL) < 0)
			return cirt_diag_set(d, -CIRT_EINVAL,
					     "detect_allow_networks",
					     "'%.*s' is not an address or "
					     "range",
					     (int)(n > 60 ? 60 : n), p);
		p = end ? end + 1 : NULL;
	}
	return 0;
}

/* A popular-domains file: one name per line, or "rank,name" (the Tranco
 * and Umbrella lists); '#' comments. */
static int allow_domains(struct compile *c, const char *path,
			 struct cirt_diag *d)
{
	FILE *f;
	char line[1024];

	if (!path || !*path)
		return 0;
	f = fopen(path, "r");
	if (!f)
		return cirt_diag_set(d, -CIRT_EIO, "detect_allow_domains",
				     "cannot open %s: %s", path,
				     strerror(errno));
	while (fgets(line, sizeof line, f)) {
		char *s = line, *comma = strrchr(line, ',');
		size_t n;

		if (comma)
			s = comma + 1;
		n = strcspn(s, "\r\n");
		if (*s == '#' || blank(s, n))
			continue;
		/* A bad line in a list of a million is skipped, not fatal. */
		(void)cirt_matcher_allow_domain(c->b, s, n, NULL);
	}
	fclose(f);
	return 0;
}

/* ---- STIX indicators ----------------------------------------------- */

/* The kind a comparison's object path gives, or -1. */
static int term_kind(const struct cirt_pattern_term *t)
{
	static const struct {
		const char *type, *path;
		enum cirt_ioc_kind kind;
	} paths[] = {
		{"ipv4-addr", "value", CIRT_IOC_IP},
		{"ipv6-addr", "value", CIRT_IOC_IP},
		{"domain-name", "value", CIRT_IOC_DOMAIN},
		{"url", "value", CIRT_IOC_URL},
		{"email-addr", "value", CIRT_IOC_EMAIL},
		{"email-message", "from_ref.value", CIRT_IOC_EMAIL},
		{"network-traffic", "dst_ref.value", CIRT_IOC_IP},
		{"network-traffic", "src_ref.value", CIRT_IOC_IP},
		{"file", "hashes.MD5", CIRT_IOC_MD5},
		{"file", "hashes.'MD5'", CIRT_IOC_MD5},
		{"file", "hashes.'SHA-1'", CIRT_IOC_SHA1},
		{"file", "hashes.SHA1", CIRT_IOC_SHA1},
		{"file", "hashes.'SHA-256'", CIRT_IOC_SHA256},
		{"file", "hashes.SHA256", CIRT_IOC_SHA256},
	};

	for (size_t i = 0; i < CIRT_ARRAY_LEN(paths); i++)
		if (strcmp(t->type, paths[i].type) == 0 &&
		    strcmp(t->path, paths[i].path) == 0)
			return (int)paths[i].kind;
	return -1;
}

/* Why a term cannot be matched, into why; NULL when it can. */
static const char *term_problem(const struct cirt_pattern_term *t, int kind,
				char *why, size_t n)
{
	if (kind < 0)
		snprintf(why, n, "%s:%s is not something logs show", t->type,
			 t->path);
	else if (t->op == CIRT_PATTERN_OP_ISSUBSET && kind != CIRT_IOC_IP)
		snprintf(why, n, "ISSUBSET applies to addresses only");
	else if (t->op != CIRT_PATTERN_OP_EQ && t->op != CIRT_PATTERN_OP_IN &&
		 t->op != CIRT_PATTERN_OP_ISSUBSET)
		snprintf(why, n,
			 "%s:%s: only =, IN and ISSUBSET compare exactly",
			 t->type, t->path);
	else
		return NULL;
	return why;
}

/* The terms of one indicator's pattern into the builder; the reason
 * into why when some or all of it cannot be compiled. */
static int pattern_terms(struct compile *c, const char *text,
			 const struct cirt_ioc_src *src, char *why, size_t n)
{
	struct cirt_pattern *p = NULL;
	struct cirt_pattern_term *terms = NULL;
	struct cirt_diag d;
	size_t nt = 0;
	int added = 0;

	cirt_diag_init(&d);
	if (cirt_pattern_parse(text, strlen(text), &p, &d) < 0) {
		snprintf(why, n, "pattern: %.200s", d.message);
		return 0;
	}
	if (cirt_pattern_terms(p, &terms, &nt, &d) < 0) {
		snprintf(why, n, "%.250s", d.message);
		cirt_pattern_free(p);
		return 0;
	}
	for (size_t i = 0; i < nt; i++) {
		const struct cirt_pattern_term *t = &terms[i];
		int kind = term_kind(t);

		if (term_problem(t, kind, why, n))
			continue;
		for (size_t j = 0; j < t->nvalues; j++) {
			const struct cirt_pattern_value *v = &t->values[j];

			if (v->kind != CIRT_PATTERN_V_STRING) {
				snprintf(why, n, "%s:%s: a string is wanted",
					 t->type, t->path);
				continue;
			}
			added += add(c, (enum cirt_ioc_kind)kind, v->str,
				     v->len, src);
		}
	}
	free(terms);
	cirt_pattern_free(p);
	return added;
}

static int64_t time_member(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	struct cirt_timestamp t;

	if (!s || cirt_time_parse(s, strlen(s), &t, NULL) < 0)
		return 0;
	return t.us;
}

/* One indicator row (the latest version of its id). */
static void stix_row(struct compile *c, const char *id, bool revoked, int tlp,
		     const char *body, size_t len)
{
	struct cirt_ioc_src src = {.origin = CIRT_IOC_STIX};
	char why[300] = "";
	json_t *obj, *conf;
	const char *pattern, *ptype;
	int64_t from, until;
	int added;

	c->stix++;
	if (revoked) {
		c->revoked++;
		return;
	}
	obj = json_loadb(body, len, 0, NULL);
	pattern = json_string_value(json_object_get(obj, "pattern"));
	ptype = json_string_value(json_object_get(obj, "pattern_type"));
	if (!obj || !pattern ||
	    cirt_uuid_parse(id + strlen("indicator--"),
			    strlen(id) - strlen("indicator--"), src.uuid) < 0) {
		snprintf(why, sizeof why, "not a readable indicator");
		goto out;
	}
	if (ptype && strcmp(ptype, "stix") != 0) {
		snprintf(why, sizeof why, "pattern_type '%.40s' is not stix",
			 ptype);
		goto out;
	}
	from = time_member(obj, "valid_from");
	until = time_member(obj, "valid_until");
	if (from > c->now) {
		c->not_yet++;
		goto done;
	}
	if (until && until <= c->now) {
		c->expired++;
		goto done;
	}
	conf = json_object_get(obj, "confidence");
	src.confidence = json_is_integer(conf) &&
					 json_integer_value(conf) >= 0 &&
					 json_integer_value(conf) <= 100
				 ? (uint8_t)json_integer_value(conf)
				 : CIRT_DETECT_CONF_NONE;
	/* Unmarked objects are handled as the sharing layer does. */
	src.tlp = (uint8_t)(tlp < 0 ? CIRT_TLP_AMBER : tlp);
	added = pattern_terms(c, pattern, &src, why, sizeof why);
	if (added > 0)
		c->stix_compiled++;
	else if (!why[0])
		snprintf(why, sizeof why, "every value was left out");
out:
	if (why[0])
		note(c->uncompilable, &c->n_uncompilable,
		     json_pack("{s:s, s:s}", "id", id, "reason", why));
done:
	json_decref(obj);
}

static int stix_indicators(struct compile *c, struct cirt_db *db,
			   struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_indicators, d);
	char last[CIRT_UUID_LEN + 32] = "";
	int rc;

	if (!s)
		return d->code;
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		const char *id = cirt_stmt_text(s, 0);

		if (strcmp(id, last) == 0 ||
		    strncmp(id, "indicator--", 11) != 0 ||
		    strlen(id) >= sizeof last)
			continue;
		snprintf(last, sizeof last, "%s", id);
		stix_row(c, id, cirt_stmt_i64(s, 1) != 0,
			 (int)cirt_stmt_i64(s, 2), cirt_stmt_text(s, 3),
			 cirt_stmt_len(s, 3));
	}
	cirt_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

static int feed_events(struct compile *c, struct cirt_db *db, int64_t days,
		       struct cirt_diag *d)
{
	struct cirt_stmt *s;
	int rc;

	if (days <= 0)
		return 0;
	s = cirt_db_stmt(db, &q_events, d);
	if (!s)
		return d->code;
	cirt_stmt_bind_i64(s, 1, c->now - days * 86400 * INT64_C(1000000));
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		struct cirt_ioc_src src = {
			.origin = CIRT_IOC_EVENT,
			.key = cirt_stmt_i64(s, 0),
			.tlp = (uint8_t)cirt_stmt_i64(s, 4),
			.confidence = CIRT_DETECT_CONF_NONE,
		};
		static const enum cirt_ioc_kind kinds[] = {
			CIRT_IOC_IP, CIRT_IOC_DOMAIN, CIRT_IOC_URL};

		c->events++;
		for (int i = 0; i < 3; i++)
			if (cirt_stmt_len(s, i + 1) > 0)
				(void)add(c, kinds[i], cirt_stmt_text(s, i + 1),
					  cirt_stmt_len(s, i + 1), &src);
	}
	cirt_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* ---- the result ---------------------------------------------------- */

static struct cirt_detect_set *finish(struct compile *c, int64_t t0)
{
	struct cirt_detect_set *s = cirt_xcalloc(1, sizeof *s);
	struct cirt_matcher_info in;
	json_t *kinds = json_object(), *drops = json_object();

	s->m = cirt_matcher_build(c->b);
	s->compiled_at = c->now;
	s->seconds = (double)(cirt_time_mono_ns() - t0) / 1e9;
	s->refs = 1;
	cirt_matcher_info(s->m, &in);
	for (int k = 0; k < CIRT_IOC_KINDS; k++)
		json_object_set_new(kinds, cirt_ioc_kind_name(k),
				    json_integer((json_int_t)in.by_kind[k]));
	for (int r = 0; r < CIRT_IOC_DROP_REASONS; r++)
		json_object_set_new(drops, cirt_ioc_drop_name(r),
				    json_integer((json_int_t)in.dropped[r]));
	s->report = json_pack(
		"{s:o, s:f, s:I, s:I, s:I, s:o, s:I, s:{s:I, s:I, s:I, s:I, "
		"s:I, s:I}, s:I, s:I, s:o, s:I, s:o, s:I, s:o, s:I, s:o}",
		"compiled_at", cirt_json_time(c->now), "seconds", s->seconds,
		"values", (json_int_t)in.values, "sources",
		(json_int_t)in.sources, "ranges", (json_int_t)in.ranges,
		"by_kind", kinds, "bytes", (json_int_t)in.bytes, "stix",
		"indicators", (json_int_t)c->stix, "compiled",
		(json_int_t)c->stix_compiled, "revoked", (json_int_t)c->revoked,
		"expired", (json_int_t)c->expired, "not_yet_valid",
		(json_int_t)c->not_yet, "uncompilable",
		(json_int_t)c->n_uncompilable, "events", (json_int_t)c->events,
		"file_lines", (json_int_t)c->file_lines, "excluded_by_reason",
		drops, "excluded_count", (json_int_t)c->n_excluded, "excluded",
		c->excluded, "invalid_count", (json_int_t)c->n_invalid,
		"invalid", c->invalid, "uncompilable_count",
		(json_int_t)c->n_uncompilable, "uncompilable_list",
		c->uncompilable);
	return s;
}

static void abandon(struct compile *c)
{
	cirt_matcher_builder_free(c->b);
	json_decref(c->uncompilable);
	json_decref(c->excluded);
	json_decref(c->invalid);
}

int cirt_detect_compile(struct cirt_db *db, const struct cirt_config *cfg,
			struct cirt_detect_set **out, struct cirt_diag *d)
{
	int64_t t0 = cirt_time_mono_ns(), marker[2];
	struct compile c;
	int rc;

	*out = NULL;
	begin(&c, cfg->detect_allow_special);
	rc = cirt_detect_marker(db, marker, d);
	if (rc == 0)
		rc = allow_networks(&c, cfg->detect_allow_networks, d);
	if (rc == 0)
		rc = allow_domains(&c, cfg->detect_allow_domains, d);
	if (rc == 0)
		rc = stix_indicators(&c, db, d);
	if (rc == 0)
		rc = feed_events(&c, db, cfg->detect_event_days, d);
	if (rc < 0) {
		abandon(&c);
		return rc;
	}
	*out = finish(&c, t0);
	memcpy((*out)->marker, marker, sizeof marker);
	return 0;
}

/* The kind of an indicator file's line. */
static enum cirt_ioc_kind guess(const char *s, size_t n)
{
	size_t hex = 0;

	for (size_t i = 0; i + 3 <= n; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
			return CIRT_IOC_URL;
	if (memchr(s, '@', n))
		return CIRT_IOC_EMAIL;
	while (hex < n && cirt_hex_value(s[hex]) >= 0)
		hex++;
	if (hex == n && cirt_ioc_hash_kind(n) >= 0)
		return (enum cirt_ioc_kind)cirt_ioc_hash_kind(n);
	if (memchr(s, ':', n) || strspn(s, "0123456789./") == n)
		return CIRT_IOC_IP;
	return CIRT_IOC_DOMAIN;
}

int cirt_detect_compile_file(const char *path, const struct cirt_config *cfg,
			     struct cirt_detect_set **out, struct cirt_diag *d)
{
	int64_t t0 = cirt_time_mono_ns();
	struct compile c;
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	FILE *f;
	int rc;

	*out = NULL;
	f = fopen(path, "r");
	if (!f)
		return cirt_diag_set(d, -CIRT_EIO, "indicators",
				     "cannot open %s: %s", path,
				     strerror(errno));
	begin(&c, cfg->detect_allow_special);
	rc = allow_networks(&c, cfg->detect_allow_networks, d);
	if (rc == 0)
		rc = allow_domains(&c, cfg->detect_allow_domains, d);
	while (rc == 0 && (got = getline(&line, &cap, f)) >= 0) {
		struct cirt_ioc_src src = {
			.origin = CIRT_IOC_FILE,
			.key = (int64_t)++c.file_lines,
			.tlp = CIRT_TLP_AMBER,
			.confidence = CIRT_DETECT_CONF_NONE,
		};
		size_t n = (size_t)got;

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n == 0 || line[0] == '#')
			continue;
		(void)add(&c, guess(line, n), line, n, &src);
	}
	free(line);
	if (rc == 0 && ferror(f))
		rc = cirt_diag_set(d, -CIRT_EIO, "indicators", "cannot read %s",
				   path);
	fclose(f);
	if (rc < 0) {
		abandon(&c);
		return rc;
	}
	*out = finish(&c, t0);
	return 0;
}

int cirt_detect_marker(struct cirt_db *db, int64_t marker[2],
		       struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_marker, d);
	int rc;

	if (!s)
		return d->code;
	rc = cirt_stmt_step(s, d);
	if (rc == CIRT_DB_ROW) {
		marker[0] = cirt_stmt_i64(s, 0);
		marker[1] = cirt_stmt_i64(s, 1);
		rc = 0;
	} else if (rc == CIRT_DB_DONE) {
		rc = cirt_diag_set(d, -CIRT_EINTERNAL, NULL, "no marker row");
	}
	cirt_stmt_reset(s);
	return rc;
}

struct cirt_detect_set *cirt_detect_set_hold(struct cirt_detect_set *s)
{
	if (s)
		__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	return s;
}

void cirt_detect_set_drop(struct cirt_detect_set *s)
{
	if (!s || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	cirt_matcher_free(s->m);
	json_decref(s->report);
	free(s);
}
