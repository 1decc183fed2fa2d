/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Feeds (feed.h): the feed rows, and a run: collect the inputs, send each
 * through the pipeline, record the run, apply the rules.
 *
 * Each collector hands the pipeline a file descriptor, so every parser
 * streams whatever the source: a download goes to an unlinked temporary
 * file first (feed/fetch.h). Inputs of a directory or maildir are known
 * by the SHA-256 of their content (feed_inputs), recorded after the
 * input's events are committed: a crash between the two makes the next
 * run read the input again, and deduplication keeps it from storing
 * anything twice. The same holds for the conditional-GET validators and
 * the TAXII cursor, saved only after the page's events are committed.
 */
#include "feed/feed.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/crypto.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/text.h"
#include "core/time.h"
#include "core/tlp.h"
#include "feed/fetch.h"
#include "feed/pipeline.h"
#include "feed/rule.h"
#include "incident/taxonomy.h"

#include "core/banned.h"

#define FEED_COLS                                                        \
	"id, name, parser, options, collector, location, every_s, tlp, " \
	"class, type, provider, dedup_s, enabled, etag, last_modified, " \
	"cursor, next_run"

static const struct cirt_sql q_get = {
	"SELECT " FEED_COLS " FROM feeds WHERE name = ?", NULL};
static const struct cirt_sql q_list = {
	"SELECT " FEED_COLS ", (SELECT r.status || ' ' || "
	"CAST(r.started_at AS TEXT) || ' ' || CAST(r.events AS TEXT) FROM "
	"feed_runs r WHERE r.feed = feeds.name ORDER BY r.id DESC LIMIT 1) "
	"FROM feeds ORDER BY name",
	NULL};
static const struct cirt_sql q_insert = {
	"INSERT INTO feeds (name, parser, options, collector, location, "
	"every_s, tlp, class, type, provider, dedup_s, enabled, created_at) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	NULL};
static const struct cirt_sql q_state = {
	"UPDATE feeds SET etag = ?, last_modified = ?, cursor = ?, "
	"next_run = ? WHERE id = ?",
	NULL};
/* A run still "running" when the feed starts again was cut short (its
 * process died) or is being overtaken by this one: say so. */
static const struct cirt_sql q_run_stale = {
	"UPDATE feed_runs SET status = 'error', error = 'interrupted, or "
	"overtaken by a later run' WHERE "
	"feed = ? AND status = 'running'",
	NULL};
static const struct cirt_sql q_run_start = {
	"INSERT INTO feed_runs (feed, started_at, status) VALUES (?, ?, "
	"'running') RETURNING id",
	NULL};
static const struct cirt_sql q_run_end = {
	"UPDATE feed_runs SET ended_at = ?, status = ?, inputs = ?, "
	"records = ?, events = ?, duplicates = ?, bad = ?, unrouted = ?, "
	"error = ? WHERE id = ?",
	NULL};
static const struct cirt_sql q_input_seen = {
	"SELECT 1 FROM feed_inputs WHERE feed = ? AND digest = ?", NULL};
static const struct cirt_sql q_input_done = {
	"INSERT INTO feed_inputs (feed, digest, name, done_at) VALUES (?, ?, "
	"?, ?) ON CONFLICT DO NOTHING",
	NULL};

static const struct cirt_sql q_due = {
	"SELECT name, next_run FROM feeds WHERE enabled = 1 AND every_s > 0 "
	"AND next_run <= ? ORDER BY next_run, name LIMIT 256",
	NULL};
static const struct cirt_sql q_claim = {
	"UPDATE feeds SET next_run = ? WHERE name = ? AND next_run = ?", NULL};

static const char *const collectors[] = {"file", "dir", "url", "maildir",
					 "taxii"};

void cirt_feed_defaults(struct cirt_feed *f, const char *name,
			const char *parser)
{
	memset(f, 0, sizeof *f);
	snprintf(f->name, sizeof f->name, "%s", name);
	snprintf(f->parser, sizeof f->parser, "%s", parser);
	snprintf(f->collector, sizeof f->collector, "file");
	f->tlp = CIRT_TLP_AMBER;
	f->dedup_s = 86400;
	f->enabled = true;
}

int cirt_duration_parse(const char *s, int64_t min, int64_t max, int64_t *out,
			const char *field, struct cirt_diag *d)
{
	size_t n = s ? strlen(s) : 0;
	int64_t mult = 1, v;
	char num[24];

	if (n > 0 && strchr("smhdw", s[n - 1])) {
		static const int64_t m[] = {1, 60, 3600, 86400, 604800};

		mult = m[strchr("smhdw", s[n - 1]) - "smhdw"];
		n--;
	}
	if (n == 0 || n >= sizeof num)
		goto bad;
	memcpy(num, s, n);
	num[n] = '\0';
	if (cirt_parse_i64(num, 0, INT64_MAX / 604800, &v) < 0)
		goto bad;
	v *= mult;
	if (v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	return cirt_diag_set(d, -CIRT_EINVAL, field,
			     "must be a duration such as 90s, 30m, 6h, 1d or "
			     "1w, from %llds to %llds",
			     (long long)min, (long long)max);
}

static void read_row(struct cirt_stmt *s, struct cirt_feed *f)
{
	memset(f, 0, sizeof *f);
	f->id = cirt_stmt_i64(s, 0);
	snprintf(f->name, sizeof f->name, "%s", cirt_stmt_text(s, 1));
	snprintf(f->parser, sizeof f->parser, "%s", cirt_stmt_text(s, 2));
	snprintf(f->options, sizeof f->options, "%s", cirt_stmt_text(s, 3));
	snprintf(f->collector, sizeof f->collector, "%s", cirt_stmt_text(s, 4));
	snprintf(f->location, sizeof f->location, "%s", cirt_stmt_text(s, 5));
	f->every_s = cirt_stmt_i64(s, 6);
	f->tlp = (int)cirt_stmt_i64(s, 7);
	snprintf(f->cls, sizeof f->cls, "%s", cirt_stmt_text(s, 8));
	snprintf(f->type, sizeof f->type, "%s", cirt_stmt_text(s, 9));
	snprintf(f->provider, sizeof f->provider, "%s", cirt_stmt_text(s, 10));
	f->dedup_s = cirt_stmt_i64(s, 11);
	f->enabled = cirt_stmt_i64(s, 12) != 0;
	snprintf(f->etag, sizeof f->etag, "%s", cirt_stmt_text(s, 13));
	snprintf(f->last_modified, sizeof f->last_modified, "%s",
		 cirt_stmt_text(s, 14));
	snprintf(f->cursor, sizeof f->cursor, "%s", cirt_stmt_text(s, 15));
	f->next_run = cirt_stmt_i64(s, 16);
}

int cirt_feed_get(struct cirt_db *db, const char *name, struct cirt_feed *f,
		  struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_get, d);
	int rc;

	if (!s)
		return d->code;
	cirt_stmt_bind_str(s, 1, name);
	rc = cirt_stmt_step(s, d);
	if (rc == CIRT_DB_ROW)
		read_row(s, f);
	cirt_stmt_reset(s);
	if (rc < 0)
		return rc;
	if (rc != CIRT_DB_ROW)
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "feed",
				     "no feed named '%s'", name);
	return 0;
}

/* Options as "k=v;k=v" from a string or an object of strings. */
static int options_text(json_t *v, char *out, size_t n, struct cirt_diag *d)
{
	size_t len = 0;
	const char *k;
	json_t *x;

	out[0] = '\0';
	if (!v)
		return 0;
	if (json_is_string(v)) {
		if (json_string_length(v) >= n)
			return cirt_diag_set(d, -CIRT_EINVAL, "options",
					     "is longer than %zu bytes", n - 1);
		snprintf(out, n, "%s", json_string_value(v));
		return cirt_text_check_line(out, strlen(out), 0, n - 1,
					    "options", d);
	}
	if (!json_is_object(v))
		return cirt_diag_set(d, -CIRT_EINVAL, "options",
				     "must be an object of strings or "
				     "\"k=v;k=v\"");
	json_object_foreach (v, k, x) {
		const char *s = json_string_value(x);
		int w;

		if (!s || strchr(s, ';') || strchr(k, '=') || strchr(k, ';'))
			return cirt_diag_set(d, -CIRT_EINVAL, "options",
					     "'%s' must be a string without "
					     "';'",
					     k);
		w = snprintf(out + len, n - len, "%s%s=%s", len ? ";" : "", k,
			     s);
		if (w < 0 || (size_t)w >= n - len)
			return cirt_diag_set(d, -CIRT_EINVAL, "options",
					     "are longer than %zu bytes",
					     n - 1);
		len += (size_t)w;
	}
	return cirt_text_check_line(out, len, 0, n - 1, "options", d);
}

int cirt_feed_apply(struct cirt_feed *f, json_t *body, struct cirt_diag *d)
{
	const char *every = NULL, *tlp = NULL, *cls = NULL, *provider = NULL;
	const char *dedup = NULL;
	bool enabled = f->enabled, has_enabled = false;
	json_t *options = json_object_get(body, "options");
	enum cirt_tlp level;

	if (cirt_json_get_str(body, "every", false, &every, NULL, d) < 0 ||
	    cirt_json_get_str(body, "tlp", false, &tlp, NULL, d) < 0 ||
	    cirt_json_get_str(body, "class", false, &cls, NULL, d) < 0 ||
	    cirt_json_get_str(body, "provider", false, &provider, NULL, d) <
		    0 ||
	    cirt_json_get_str(body, "dedup", false, &dedup, NULL, d) < 0 ||
	    cirt_json_get_bool(body, "enabled", &enabled, &has_enabled, d) < 0)
		return -CIRT_EINVAL;
	f->enabled = enabled;
	if (every && cirt_duration_parse(every, 60, 366 * 86400, &f->every_s,
					 "every", d) < 0)
		return -CIRT_EINVAL;
	if (dedup && cirt_duration_parse(dedup, 0, 366 * 86400, &f->dedup_s,
					 "dedup", d) < 0)
		return -CIRT_EINVAL;
	if (tlp) {
		if (cirt_tlp_parse(tlp, &level) < 0 || level == CIRT_TLP_NONE)
			return cirt_diag_set(d, -CIRT_EINVAL, "tlp",
					     "must be clear, green, amber, "
					     "amber+strict or red");
		f->tlp = level;
	}
	if (cls) {
		const struct cirt_taxonomy_type *t;

		f->type[0] = '\0';
		if (strchr(cls, ':')) {
			if (cirt_taxonomy_parse(cls, "class", &t, d) < 0)
				return -CIRT_EINVAL;
			snprintf(f->cls, sizeof f->cls, "%s", t->cls);
			snprintf(f->type, sizeof f->type, "%s", t->type);
		} else if (!cirt_taxonomy_is_class(cls)) {
			return cirt_diag_set(d, -CIRT_EINVAL, "class",
					     "'%s' is not a class of the "
					     "taxonomy (cirtkit taxonomy)",
					     cls);
		} else {
			snprintf(f->cls, sizeof f->cls, "%s", cls);
		}
	}
	if (provider) {
		if (cirt_text_check_line(provider, strlen(provider), 0, 128,
					 "provider", d) < 0)
			return -CIRT_EINVAL;
		snprintf(f->provider, sizeof f->provider, "%s", provider);
	}
	if (options)
		return options_text(options, f->options, sizeof f->options, d);
	return 0;
}

int cirt_feed_add(struct cirt_db *db, const struct cirt_actor *who,
		  json_t *body, json_t **out, struct cirt_diag *d)
{
	static const char *const names[] = {
		"name",	    "parser",  "file",	"dir",	  "url",
		"maildir",  "taxii",   "every", "tlp",	  "class",
		"provider", "options", "dedup", "enabled"};
	const char *name, *parser;
	struct cirt_feed f;
	int found = 0, rc;
	struct cirt_stmt *s;

	if (out)
		*out = NULL;
	if (!json_is_object(body))
		return cirt_diag_set(d, -CIRT_EINVAL, NULL,
				     "the body must be a JSON object");
	if (cirt_json_only(body, names, CIRT_ARRAY_LEN(names), d) < 0 ||
	    cirt_json_get_str(body, "name", true, &name, NULL, d) < 0 ||
	    cirt_json_get_str(body, "parser", true, &parser, NULL, d) < 0)
		return -CIRT_EINVAL;
	if (cirt_text_check_ident(name, strlen(name), CIRT_FEED_NAME_MAX,
				  "name", d) < 0)
		return -CIRT_EINVAL;
	if (!cirt_parser_find(parser))
		return cirt_diag_set(d, -CIRT_EINVAL, "parser",
				     "no parser named '%s' (cirtkit feed "
				     "parsers lists them)",
				     parser);
	cirt_feed_defaults(&f, name, parser);
	for (size_t i = 0; i < CIRT_ARRAY_LEN(collectors); i++) {
		const char *loc;

		if (cirt_json_get_str(body, collectors[i], false, &loc, NULL,
				      d) < 0)
			return -CIRT_EINVAL;
		if (!loc)
			continue;
		found++;
		snprintf(f.collector, sizeof f.collector, "%s", collectors[i]);
		if (strlen(loc) > CIRT_FEED_LOCATION_MAX ||
		    cirt_text_check_line(loc, strlen(loc), 1,
					 CIRT_FEED_LOCATION_MAX, collectors[i],
					 d) < 0)
			return cirt_diag_set(d, -CIRT_EINVAL, collectors[i],
					     "must be 1 to %d bytes on one "
					     "line",
					     CIRT_FEED_LOCATION_MAX);
		if ((i == 2 || i == 4) && strncmp(loc, "http://", 7) != 0 &&
		    strncmp(loc, "https://", 8) != 0)
			return cirt_diag_set(d, -CIRT_EINVAL, collectors[i],
					     "must be an http:// or https:// "
					     "URL");
		snprintf(f.location, sizeof f.location, "%s", loc);
	}
	if (found != 1)
		return cirt_diag_set(d, -CIRT_EINVAL, "url",
				     "give exactly one of file, dir, url, "
				     "maildir or taxii");
	rc = cirt_feed_apply(&f, body, d);
	if (rc < 0)
		return rc;
	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	s = cirt_db_stmt(db, &q_get, d);
	if (!s) {
		rc = d->code;
	} else {
		cirt_stmt_bind_str(s, 1, name);
		rc = cirt_stmt_step(s, d);
		cirt_stmt_reset(s);
		if (rc == CIRT_DB_ROW)
			rc = cirt_diag_set(d, -CIRT_ECONFLICT, "name",
					   "a feed named '%s' exists already",
					   name);
	}
	if (rc == 0) {
		s = cirt_db_stmt(db, &q_insert, d);
		rc = s ? 0 : d->code;
	}
	if (rc == 0) {
		cirt_stmt_bind_str(s, 1, f.name);
		cirt_stmt_bind_str(s, 2, f.parser);
		cirt_stmt_bind_str(s, 3, f.options);
		cirt_stmt_bind_str(s, 4, f.collector);
		cirt_stmt_bind_str(s, 5, f.location);
		cirt_stmt_bind_i64(s, 6, f.every_s);
		cirt_stmt_bind_i64(s, 7, f.tlp);
		cirt_stmt_bind_str(s, 8, f.cls);
		cirt_stmt_bind_str(s, 9, f.type);
		cirt_stmt_bind_str(s, 10, f.provider);
		cirt_stmt_bind_i64(s, 11, f.dedup_s);
		cirt_stmt_bind_i64(s, 12, f.enabled);
		cirt_stmt_bind_i64(s, 13, cirt_time_now_us());
		rc = cirt_stmt_step(s, d);
		if (rc == CIRT_DB_ROW) {
			f.id = cirt_stmt_i64(s, 0);
			rc = 0;
		} else if (rc == CIRT_DB_DONE) {
			rc = cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
					   "the insert returned no id");
		}
		cirt_stmt_reset(s);
	}
	if (rc == 0) {
		char object[CIRT_FEED_NAME_MAX + 8];
		json_t *detail = cirt_feed_json(&f);

		snprintf(object, sizeof object, "feed:%s", f.name);
		rc = cirt_audit_append(db, who, "feed.add", object, detail, d);
		json_decref(detail);
	}
	rc = cirt_db_end(db, rc, d);
	if (rc == 0 && out)
		*out = cirt_feed_json(&f);
	return rc;
}

/* Options with the values of secrets replaced. */
static json_t *options_json(const char *opts)
{
	json_t *o = json_object();
	const char *p = opts;

	while (p && *p) {
		const char *end = strchr(p, ';'), *eq;
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char key[64];

		eq = memchr(p, '=', n);
		if (eq && (size_t)(eq - p) < sizeof key) {
			bool secret;

			memcpy(key, p, (size_t)(eq - p));
			key[eq - p] = '\0';
			secret = strcmp(key, "password") == 0 ||
				 strcmp(key, "token") == 0;
			json_object_set_new(
				o, key,
				secret ? json_string("(hidden)")
				       : json_stringn(eq + 1,
						      n - (size_t)(eq - p) -
							      1));
		}
		p = end ? end + 1 : NULL;
	}
	return o;
}

json_t *cirt_feed_json(const struct cirt_feed *f)
{
	char cls[96];

	snprintf(cls, sizeof cls, "%s%s%s", f->cls, f->type[0] ? ":" : "",
		 f->type);
	return json_pack(
		"{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:I, "
		"s:o, s:b}",
		"name", f->name, "parser", f->parser, "collector", f->collector,
		"location", f->location, "every_s", (json_int_t)f->every_s,
		"tlp", cirt_tlp_name((enum cirt_tlp)f->tlp), "class", cls,
		"provider", f->provider, "dedup_s", (json_int_t)f->dedup_s,
		"options", options_json(f->options), "enabled", f->enabled);
}

int cirt_feed_list(struct cirt_db *db, json_t **out, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_list, d);
	json_t *a;
	int rc;

	*out = NULL;
	if (!s)
		return d->code;
	a = json_array();
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		struct cirt_feed f;
		json_t *j;
		const char *last = cirt_stmt_text(s, 17);
		char status[16] = "";
		long long at = 0, events = 0;

		read_row(s, &f);
		j = cirt_feed_json(&f);
		if (last[0] &&
		    sscanf(last, "%15s %lld %lld", status, &at, &events) == 3)
			json_object_set_new(
				j, "last_run",
				json_pack("{s:s, s:o, s:I}", "status", status,
					  "started_at", cirt_json_time(at),
					  "events", (json_int_t)events));
		if (f.next_run)
			json_object_set_new(j, "next_run",
					    cirt_json_time(f.next_run));
		json_array_append_new(a, j);
	}
	cirt_stmt_reset(s);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* One run's working state. */
struct run {
	struct cirt_db *db;
	const struct cirt_feed_env *env;
	struct cirt_feed *f;
	struct cirt_pipeline *p;
	struct cirt_feed_report *r;
};

/* Send one open input through the pipeline. */
static int run_fd(struct run *run, int fd, const char *name, int64_t time,
		  struct cirt_diag *d)
{
	struct cirt_feed_src src = {fd, name, time, run->f->options, 0};

	run->r->inputs++;
	return cirt_pipeline_input(run->p, &src, d);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Open a regular file within the size limit. */
static int open_input(const struct run *run, const char *path, int *fd,
		      int64_t *mtime, struct cirt_diag *d)
{
	struct stat st;

	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (*fd < 0)
		return cirt_diag_set(d, -CIRT_EIO, "file", "cannot open %s: %s",
				     path, strerror(errno));
	if (fstat(*fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(*fd);
		*fd = -1;
		return cirt_diag_set(d, -CIRT_EINVAL, "file",
				     "%s is not a regular file", path);
	}
	if ((uint64_t)st.st_size > run->env->cfg->feed_max) {
		close(*fd);
		*fd = -1;
		return cirt_diag_set(
			d, -CIRT_ELIMIT, "file",
			"%s is larger than feed_max (%llu "
			"bytes)",
			path, (unsigned long long)run->env->cfg->feed_max);
	}
	*mtime = (int64_t)st.st_mtim.tv_sec * 1000000 +
		 st.st_mtim.tv_nsec / 1000;
	return 0;
}

static int run_file(struct run *run, const char *path, struct cirt_diag *d)
{
	int64_t mtime;
	int fd, rc = open_input(run, path, &fd, &mtime, d);

	if (rc < 0)
		return rc;
	rc = run_fd(run, fd, base_name(path), mtime, d);
	close(fd);
	return rc;
}

static int input_seen(struct run *run, const char *digest, bool *seen,
		      struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(run->db, &q_input_seen, d);
	int rc;

	if (!s)
		return d->code;
	cirt_stmt_bind_str(s, 1, run->f->name);
	cirt_stmt_bind_str(s, 2, digest);
	rc = cirt_stmt_step(s, d);
	cirt_stmt_reset(s);
	*seen = rc == CIRT_DB_ROW;
	return rc < 0 ? rc : 0;
}

static int input_done(struct run *run, const char *digest, const char *name,
		      struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(run->db, &q_input_done, d);

	if (!s)
		return d->code;
	cirt_stmt_bind_str(s, 1, run->f->name);
	cirt_stmt_bind_str(s, 2, digest);
	cirt_stmt_bind_str(s, 3, name);
	cirt_stmt_bind_i64(s, 4, cirt_time_now_us());
	return cirt_stmt_exec(s, d);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, sorted, not starting with '.'. */
static int list_dir(const char *dir, char ***names, size_t *n,
		    struct cirt_diag *d)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (!dp)
		return cirt_diag_set(d, -CIRT_EIO, "dir", "cannot open %s: %s",
				     dir, strerror(errno));
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*names = cirt_xrealloc(*names, cap * sizeof **names);
		}
		(*names)[(*n)++] = cirt_xstrdup(e->d_name);
	}
	closedir(dp);
	if (*n)
		qsort(*names, *n, sizeof **names, by_name);
	return 0;
}

/* The new files of dir; a maildir moves each new/ message to cur/ once
 * its events are stored. */
static int run_dir(struct run *run, const char *dir, bool maildir,
		   struct cirt_diag *d)
{
	char **names;
	size_t n;
	int rc = list_dir(dir, &names, &n, d);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		char path[4096], digest[CIRT_SHA256_HEX_LEN];
		int64_t mtime;
		bool seen = false;
		int fd;

		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir,
				     names[i]) >= sizeof path)
			continue;
		if (open_input(run, path, &fd, &mtime, d) < 0) {
			/* Not a regular file (a subdirectory): skip. */
			if (d->code == -CIRT_EINVAL) {
				cirt_diag_init(d);
				continue;
			}
			rc = d->code;
			break;
		}
		rc = cirt_sha256_fd_hex(fd, digest);
		if (rc < 0)
			rc = cirt_diag_set(d, rc, "dir", "cannot read %s",
					   path);
		if (rc == 0 && run->env->mode == CIRT_FEED_STORE)
			rc = input_seen(run, digest, &seen, d);
		if (rc == 0 && !seen) {
			if (lseek(fd, 0, SEEK_SET) < 0)
				rc = cirt_diag_set(d, -CIRT_EIO, "dir",
						   "cannot rewind %s", path);
			else
				rc = run_fd(run, fd, names[i], mtime, d);
			if (rc == 0 && run->env->mode == CIRT_FEED_STORE)
				rc = input_done(run, digest, names[i], d);
		}
		close(fd);
		if (rc == 0 && maildir && strstr(dir, "/new") &&
		    run->env->mode == CIRT_FEED_STORE) {
			char to[4096 + 8];
			size_t len = strlen(dir);

			snprintf(to, sizeof to, "%.*s/cur/%s%s", (int)(len - 4),
				 dir, names[i],
				 strchr(names[i], ':') ? "" : ":2,S");
			if (rename(path, to) < 0) {
				/* Seen by digest anyway: harmless. */
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static void fetch_defaults(const struct run *run, struct cirt_fetch_req *q)
{
	q->timeout_ms = run->env->cfg->feed_timeout * 1000;
	q->size_max = run->env->cfg->feed_max;
}

static int save_state(struct run *run, struct cirt_diag *d)
{
	struct cirt_stmt *s;

	if (run->env->mode != CIRT_FEED_STORE || run->f->id == 0)
		return 0;
	s = cirt_db_stmt(run->db, &q_state, d);
	if (!s)
		return d->code;
	cirt_stmt_bind_str(s, 1, run->f->etag);
	cirt_stmt_bind_str(s, 2, run->f->last_modified);
	cirt_stmt_bind_str(s, 3, run->f->cursor);
	cirt_stmt_bind_i64(s, 4, run->f->next_run);
	cirt_stmt_bind_i64(s, 5, run->f->id);
	return cirt_stmt_exec(s, d);
}

static int run_url(struct run *run, struct cirt_diag *d)
{
	struct cirt_fetch_req q;
	struct cirt_fetch_res res;
	char name[256];
	const char *path, *end;
	int rc;

	cirt_fetch_req_init(&q, run->f->location);
	fetch_defaults(run, &q);
	q.etag = run->f->etag;
	q.last_modified = run->f->last_modified;
	cirt_fetch_res_init(&res);
	rc = cirt_fetch(&q, &res, d);
	if (rc == 0 && res.not_modified) {
		snprintf(run->r->status, sizeof run->r->status, "not-modified");
	} else if (rc == 0) {
		/* The name of the resource: Shadowserver report types are
		 * read from it. */
		path = strstr(run->f->location, "://");
		path = path ? strchr(path + 3, '/') : NULL;
		end = path ? path + strcspn(path, "?#") : NULL;
		name[0] = '\0';
		if (path) {
			const char *b = end;

			while (b > path && b[-1] != '/')
				b--;
			snprintf(name, sizeof name, "%.*s", (int)(end - b), b);
		}
		rc = run_fd(run, res.fd, name,
			    res.last_modified_us ? res.last_modified_us
						 : cirt_time_now_us(),
			    d);
		if (rc == 0) {
			snprintf(run->f->etag, sizeof run->f->etag, "%s",
				 res.etag);
			snprintf(run->f->last_modified,
				 sizeof run->f->last_modified, "%s",
				 res.last_modified);
		}
	}
	cirt_fetch_res_release(&res);
	return rc;
}

/* A TAXII option of the feed ("user", "password", "token"). */
static void taxii_opt(const struct cirt_feed *f, const char *key, char *out,
		      size_t n)
{
	if (cirt_feed_option(f->options, key, out, n) != 1)
		out[0] = '\0';
}

static int run_taxii(struct run *run, struct cirt_diag *d)
{
	char user[256], password[256], token[512], basic[520], next[1024] = "";
	int rc = 0;

	taxii_opt(run->f, "user", user, sizeof user);
	taxii_opt(run->f, "password", password, sizeof password);
	taxii_opt(run->f, "token", token, sizeof token);
	snprintf(basic, sizeof basic, "%s:%s", user, password);
	for (int pages = 0; pages < 100000; pages++) {
		struct cirt_fetch_taxii_req q;
		struct cirt_fetch_taxii_res res;
		bool again = false;

		memset(&q, 0, sizeof q);
		cirt_fetch_req_init(&q.http, NULL);
		fetch_defaults(run, &q.http);
		q.http.basic = user[0] ? basic : NULL;
		q.http.bearer = token[0] ? token : NULL;
		q.collection = run->f->location;
		q.added_after = run->f->cursor;
		q.next = next;
		q.limit = 1000;
		cirt_fetch_taxii_res_init(&res);
		rc = cirt_fetch_taxii_page(&q, &res, d);
		if (rc == 0)
			rc = run_fd(run, res.http.fd, "taxii",
				    cirt_time_now_us(), d);
		if (rc == 0) {
			/* The cursor moves to what this page ended with; a
			 * server that says "more" without a next token is
			 * paged by added_after alone. */
			snprintf(next, sizeof next, "%s", res.next);
			if (res.http.date_added_last[0])
				snprintf(run->f->cursor, sizeof run->f->cursor,
					 "%s", res.http.date_added_last);
			again = res.more &&
				(next[0] || (res.count > 0 &&
					     res.http.date_added_last[0]));
		}
		cirt_fetch_taxii_res_release(&res);
		if (rc < 0 || !again)
			break;
	}
	return rc;
}

static int run_collector(struct run *run, struct cirt_diag *d)
{
	const char *c = run->f->collector;

	if (strcmp(c, "file") == 0)
		return run_file(run, run->f->location, d);
	if (strcmp(c, "dir") == 0)
		return run_dir(run, run->f->location, false, d);
	if (strcmp(c, "maildir") == 0) {
		char sub[CIRT_FEED_LOCATION_MAX + 8];
		int rc;

		snprintf(sub, sizeof sub, "%s/cur", run->f->location);
		rc = run_dir(run, sub, true, d);
		snprintf(sub, sizeof sub, "%s/new", run->f->location);
		return rc == 0 ? run_dir(run, sub, true, d) : rc;
	}
	if (strcmp(c, "url") == 0)
		return run_url(run, d);
	if (strcmp(c, "taxii") == 0)
		return run_taxii(run, d);
	return cirt_diag_set(d, -CIRT_EINVAL, "collector",
			     "unknown collector '%s'", c);
}

static int run_record(struct run *run, bool start, const char *error,
		      struct cirt_diag *d)
{
	struct cirt_feed_report *r = run->r;
	struct cirt_stmt *s;
	int rc;

	if (run->env->mode != CIRT_FEED_STORE)
		return 0;
	if (start) {
		struct cirt_stmt *stale =
			cirt_db_stmt(run->db, &q_run_stale, d);

		if (!stale)
			return d->code;
		cirt_stmt_bind_str(stale, 1, run->f->name);
		rc = cirt_stmt_exec(stale, d);
		if (rc < 0)
			return rc;
		s = cirt_db_stmt(run->db, &q_run_start, d);
		if (!s)
			return d->code;
		cirt_stmt_bind_str(s, 1, run->f->name);
		cirt_stmt_bind_i64(s, 2, cirt_time_now_us());
		rc = cirt_stmt_step(s, d);
		if (rc == CIRT_DB_ROW)
			r->run_id = cirt_stmt_i64(s, 0);
		cirt_stmt_reset(s);
		return rc < 0 ? rc : 0;
	}
	s = cirt_db_stmt(run->db, &q_run_end, d);
	if (!s)
		return d->code;
	cirt_stmt_bind_i64(s, 1, cirt_time_now_us());
	cirt_stmt_bind_str(s, 2, r->status);
	cirt_stmt_bind_i64(s, 3, (int64_t)r->inputs);
	cirt_stmt_bind_i64(s, 4, (int64_t)r->records);
	cirt_stmt_bind_i64(s, 5, (int64_t)r->stored);
	cirt_stmt_bind_i64(s, 6, (int64_t)r->duplicates);
	cirt_stmt_bind_i64(s, 7, (int64_t)r->bad);
	cirt_stmt_bind_i64(s, 8, (int64_t)r->unrouted);
	cirt_stmt_bind_str(s, 9, error);
	cirt_stmt_bind_i64(s, 10, r->run_id);
	return cirt_stmt_exec(s, d);
}

int cirt_feed_run(struct cirt_db *db, const struct cirt_feed_env *env,
		  struct cirt_feed *f, char *const *files, int nfiles,
		  struct cirt_feed_report *r, struct cirt_diag *d)
{
	struct run run = {db, env, f, NULL, r};
	struct cirt_route *route = NULL;
	struct cirt_geo *geo = NULL;
	int64_t start = cirt_time_mono_ns();
	struct cirt_diag end;
	int rc;

	memset(r, 0, sizeof *r);
	snprintf(r->status, sizeof r->status, "ok");
	if (!cirt_parser_find(f->parser))
		return cirt_diag_set(d, -CIRT_EINVAL, "parser",
				     "no parser named '%s'", f->parser);
	rc = run_record(&run, true, NULL, d);
	if (rc == 0 && env->mode != CIRT_FEED_PARSE)
		rc = cirt_route_load(db, &route, d);
	if (rc == 0 && env->mode != CIRT_FEED_PARSE)
		rc = cirt_geo_open(&geo, env->cfg->geo_table,
				   env->cfg->geo_asn_mmdb,
				   env->cfg->geo_country_mmdb, d);
	if (rc == 0) {
		run.p = cirt_pipeline_new(env->mode == CIRT_FEED_STORE ? db
								       : NULL,
					  f, route, geo, env->mode);
		if (files) {
			for (int i = 0; rc == 0 && i < nfiles; i++)
				rc = run_file(&run, files[i], d);
		} else {
			rc = run_collector(&run, d);
		}
	}
	if (run.p) {
		const struct cirt_pipe_stats *st = cirt_pipeline_stats(run.p);

		r->records = st->parse.records;
		r->events = st->parse.events;
		r->bad = st->parse.bad;
		r->duplicates = st->duplicates;
		r->stored = st->stored;
		r->unrouted = st->unrouted;
		memcpy(r->first_bad, st->parse.first_bad, sizeof r->first_bad);
	}
	if (rc == 0 && run.p && env->mode == CIRT_FEED_STORE) {
		size_t n;
		const int64_t *orgs = cirt_pipeline_orgs(run.p, &n);

		rc = cirt_rule_apply(db, env->actor, env->cfg, orgs, n,
				     &r->incidents, d);
	}
	if (rc < 0)
		snprintf(r->status, sizeof r->status, "error");
	if (f->every_s > 0)
		f->next_run = cirt_time_now_us() + f->every_s * 1000000;
	cirt_diag_init(&end);
	if (env->mode == CIRT_FEED_STORE) {
		/* The run is recorded whatever happened, with the feed's new
		 * state and the audit entry, in one transaction. */
		char object[CIRT_FEED_NAME_MAX + 8];
		json_t *detail = cirt_feed_report_json(f, r);
		int rc2 = cirt_db_begin(db, &end);

		if (rc < 0)
			json_object_set_new(detail, "error",
					    json_string(d->message));
		if (rc2 == 0)
			rc2 = run_record(&run, false, rc < 0 ? d->message : "",
					 &end);
		if (rc2 == 0 && rc == 0)
			rc2 = save_state(&run, &end);
		snprintf(object, sizeof object, "feed:%s", f->name);
		if (rc2 == 0)
			rc2 = cirt_audit_append(db, env->actor, "feed.run",
						object, detail, &end);
		json_decref(detail);
		rc2 = cirt_db_end(db, rc2, &end);
		if (rc == 0 && rc2 < 0) {
			*d = end;
			rc = rc2;
		}
	}
	cirt_pipeline_free(run.p);
	cirt_route_free(route);
	cirt_geo_close(geo);
	r->elapsed_us = (cirt_time_mono_ns() - start) / 1000;
	return rc;
}

int cirt_feed_run_due(struct cirt_db *db, const struct cirt_feed_env *env,
		      cirt_feed_done_fn done, void *arg, int *failed,
		      struct cirt_diag *d)
{
	char(*names)[CIRT_FEED_NAME_MAX + 1] = cirt_xcalloc(256, sizeof *names);
	int64_t seen[256], now = cirt_time_now_us();
	size_t n = 0;
	struct cirt_stmt *s = cirt_db_stmt(db, &q_due, d);
	int rc;

	if (failed)
		*failed = 0;
	if (!s) {
		free(names);
		return d->code;
	}
	cirt_stmt_bind_i64(s, 1, now);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW && n < 256) {
		snprintf(names[n], sizeof names[n], "%s", cirt_stmt_text(s, 0));
		seen[n++] = cirt_stmt_i64(s, 1);
	}
	cirt_stmt_reset(s);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		struct cirt_feed_report r;
		struct cirt_feed f;
		struct cirt_diag one;
		int claimed;

		rc = cirt_feed_get(db, names[i], &f, d);
		if (rc == -CIRT_ENOTFOUND) {
			cirt_diag_init(d);
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		/* Claim it: move its next run on unless another did. */
		s = cirt_db_stmt(db, &q_claim, d);
		if (!s) {
			rc = d->code;
			break;
		}
		cirt_stmt_bind_i64(s, 1, now + f.every_s * 1000000);
		cirt_stmt_bind_str(s, 2, f.name);
		cirt_stmt_bind_i64(s, 3, seen[i]);
		rc = cirt_stmt_exec(s, d);
		claimed = rc == 0 && cirt_stmt_changes(s) == 1;
		if (rc < 0)
			break;
		if (!claimed)
			continue;
		cirt_diag_init(&one);
		rc = cirt_feed_run(db, env, &f, NULL, 0, &r, &one);
		if (rc < 0 && failed)
			(*failed)++;
		if (done)
			done(&f, &r, rc, &one, arg);
		rc = 0;
	}
	free(names);
	return rc < 0 ? rc : 0;
}

json_t *cirt_feed_report_json(const struct cirt_feed *f,
			      const struct cirt_feed_report *r)
{
	json_t *j = json_pack(
		"{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "feed",
		f->name, "status", r->status, "inputs", (json_int_t)r->inputs,
		"records", (json_int_t)r->records, "events",
		(json_int_t)r->events, "bad", (json_int_t)r->bad, "duplicates",
		(json_int_t)r->duplicates, "stored", (json_int_t)r->stored,
		"unrouted", (json_int_t)r->unrouted, "incidents",
		(json_int_t)r->incidents);
	json_t *bad = json_array();

	for (uint64_t i = 0; i < r->bad && i < CIRT_FEED_BAD_KEEP; i++)
		json_array_append_new(bad, json_string(r->first_bad[i]));
	json_object_set_new(j, "first_bad", bad);
	if (r->run_id)
		json_object_set_new(j, "run", json_integer(r->run_id));
	return j;
}
