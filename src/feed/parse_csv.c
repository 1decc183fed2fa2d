/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The "csv" parser: any CSV feed, its columns mapped to event fields by
 * the feed's options, for sources no other parser knows. It classifies
 * nothing itself (the feed's default classification applies, or a
 * column mapped to classification.*).
 *
 * Options:
 *   map=COLUMN:FIELD,...  COLUMN a header name (ASCII case ignored) or #N
 *                         (1-based); FIELD a name cirt_event_set knows
 *                         (docs/feeds.md), "extra.NAME" or __IGNORE__.
 *                         With a header, columns named like a field
 *                         ("source.ip") map themselves.
 *   sep=C                 ',' (default), ';' (written ";;" or
 *                         "semicolon"), "tab", "pipe", or one character.
 *   header=yes|no         the first row names the columns (default yes).
 *   comment=C             lines starting with C are skipped (default
 *                         none).
 *   extra=yes|no          unmapped columns go to extra under their header
 *                         name, or "colN" (default yes).
 * A bad option, a FIELD that is not a field, a COLUMN not in the header,
 * or no mapping at all fails the run with a message naming the option.
 * A value that does not fit its field makes the row malformed (counted,
 * skipped), as does a row with more fields than the header.
 *
 * Layer: feed. One run is single-threaded; memory is one record and the
 * mapping.
 */
#include "feed/parser.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/mem.h"
#include "core/parse.h"
#include "feed/parse_int.h"
#include "core/text.h"

#include "core/banned.h"

#define MAP_OPTION_MAX 4096
#define MAPS_MAX       256

struct map {
	char *col;    /* header name, or NULL for #N */
	size_t idx;   /* #N - 1 */
	char *field;  /* event field name */
	bool matched; /* a header column took it */
};

struct col {
	const char *field; /* event field (borrowed from a map), or NULL */
	char *name;	   /* extra key (owned) */
};

struct run {
	struct cirt_feed_run fr;
	struct cirt_csv_opts o;
	bool header, extra;
	struct map maps[MAPS_MAX];
	size_t nmaps;
	struct col *cols;
	size_t ncols;
	bool have_cols; /* the columns are known */
};

static bool field_ok(const char *f)
{
	size_t i;

	if (strncmp(f, "extra.", 6) == 0)
		return f[6] != '\0';
	for (i = 0; cirt_event_fields[i] != NULL; i++)
		if (strcmp(cirt_event_fields[i], f) == 0)
			return strcmp(f, "extra.*") != 0;
	return false;
}

static char *trimmed(const char *p, size_t n)
{
	cirt_text_trim_blanks(&p, &n);
	return cirt_xstrndup(p, n);
}

/* One "COLUMN:FIELD" of map=. */
static int map_item(struct run *r, const char *p, size_t n)
{
	const char *colon = NULL;
	struct map *m;
	int64_t k;
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == ':')
			colon = p + i;
	if (colon == NULL || colon == p || colon == p + n - 1)
		return cirt_diag_set(r->fr.d, -CIRT_EINVAL, "map",
				     "option map=: \"%.*s\" is not "
				     "COLUMN:FIELD",
				     (int)CIRT_MIN(n, 80u), p);
	if (r->nmaps == MAPS_MAX)
		return cirt_diag_set(r->fr.d, -CIRT_ELIMIT, "map",
				     "option map=: more than %d columns",
				     MAPS_MAX);
	m = &r->maps[r->nmaps++];
	m->col = trimmed(p, (size_t)(colon - p));
	m->field = trimmed(colon + 1, n - (size_t)(colon - p) - 1);
	if (!field_ok(m->field))
		return cirt_diag_set(r->fr.d, -CIRT_EINVAL, "map",
				     "option map=: \"%s\" is not an event "
				     "field (see docs/feeds.md)",
				     m->field);
	if (m->col[0] == '#') {
		if (cirt_parse_i64(m->col + 1, 1, CIRT_CSV_FIELDS_MAX, &k) < 0)
			return cirt_diag_set(r->fr.d, -CIRT_EINVAL, "map",
					     "option map=: \"%s\" is not a "
					     "column number (#1 to #%d)",
					     m->col, CIRT_CSV_FIELDS_MAX);
		m->idx = (size_t)(k - 1);
		CIRT_FREE(m->col);
	} else if (!r->header) {
		return cirt_diag_set(r->fr.d, -CIRT_EINVAL, "map",
				     "option map=: column \"%s\" by name, "
				     "but header=no (use #N)",
				     m->col);
	}
	return 0;
}

static int parse_map(struct run *r)
{
	char *v = cirt_xmalloc(MAP_OPTION_MAX);
	const char *p;
	size_t n;
	int rc;

	rc = cirt_feed_option(r->fr.src->options, "map", v, MAP_OPTION_MAX);
	if (rc < 0)
		rc = cirt_diag_set(r->fr.d, rc, "map",
				   "option map= is too long");
	for (p = v; rc > 0 && *p;) {
		n = strcspn(p, ",");
		if (n > 0 && (rc = map_item(r, p, n)) < 0)
			break;
		rc = 1;
		p += n;
		if (*p == ',')
			p++;
	}
	free(v);
	return rc < 0 ? rc : 0;
}

/* A one-character option (sep=, comment=); "" leaves *out as it is. */
static int char_option(struct run *r, const char *key, char *out)
{
	static const struct {
		const char *name;
		char c;
	} names[] = {
		{"comma", ','}, {"semicolon", ';'}, {"tab", '\t'},
		{"pipe", '|'},	{"space", ' '},
	};
	char v[16];
	size_t i;
	int rc;

	rc = cirt_feed_option(r->fr.src->options, key, v, sizeof(v));
	if (rc == 0 || (rc > 0 && v[0] == '\0'))
		return 0;
	for (i = 0; rc > 0 && i < CIRT_ARRAY_LEN(names); i++) {
		if (strcmp(v, names[i].name) == 0) {
			*out = names[i].c;
			return 0;
		}
	}
	if (rc > 0 && strlen(v) == 1 && v[0] != '\n' && v[0] != '\r' &&
	    v[0] != '"') {
		*out = v[0];
		return 0;
	}
	return cirt_diag_set(r->fr.d, -CIRT_EINVAL, key,
			     "option %s=: one character, tab, comma, "
			     "semicolon, pipe or space",
			     key);
}

static int bool_option(struct run *r, const char *key, bool *out)
{
	char v[16];
	int rc;

	rc = cirt_feed_option(r->fr.src->options, key, v, sizeof(v));
	if (rc == 0)
		return 0;
	if (rc < 0 || cirt_parse_bool(v, out) < 0)
		return cirt_diag_set(r->fr.d, -CIRT_EINVAL, key,
				     "option %s=: yes or no", key);
	return 0;
}

static int options(struct run *r)
{
	int rc;

	r->o = cirt_csv_default_opts;
	r->header = true;
	r->extra = true;
	rc = char_option(r, "sep", &r->o.sep);
	if (rc == 0)
		rc = char_option(r, "comment", &r->o.comment);
	if (rc == 0 && r->o.comment == r->o.sep)
		rc = cirt_diag_set(r->fr.d, -CIRT_EINVAL, "comment",
				   "option comment=: the separator");
	if (rc == 0)
		rc = bool_option(r, "header", &r->header);
	if (rc == 0)
		rc = bool_option(r, "extra", &r->extra);
	if (rc == 0)
		rc = parse_map(r);
	return rc;
}

/* Make room for columns [0..n). */
static void cols_grow(struct run *r, size_t n)
{
	size_t i;

	if (n <= r->ncols)
		return;
	r->cols = cirt_xrealloc(r->cols, n * sizeof(*r->cols));
	for (i = r->ncols; i < n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "col%zu", i + 1);
		r->cols[i].field = NULL;
		r->cols[i].name = cirt_xstrdup(name);
	}
	r->ncols = n;
}

/* Give the #N mappings their columns. */
static int cols_numbered(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nmaps; i++) {
		if (r->maps[i].col != NULL)
			continue;
		if (r->header && r->maps[i].idx >= r->ncols)
			return cirt_diag_set(r->fr.d, -CIRT_EINVAL, "map",
					     "option map=: #%zu, but the "
					     "header has %zu columns",
					     r->maps[i].idx + 1, r->ncols);
		cols_grow(r, r->maps[i].idx + 1);
		r->cols[r->maps[i].idx].field = r->maps[i].field;
	}
	return 0;
}

static int cols_header(struct run *r, const struct cirt_csv_rec *rec)
{
	struct col *c;
	size_t i, k;

	cols_grow(r, rec->nf);
	for (i = 0; i < rec->nf; i++) {
		c = &r->cols[i];
		free(c->name);
		c->name = trimmed(rec->f[i].p, rec->f[i].n);
		for (k = 0; k < r->nmaps; k++) {
			if (r->maps[k].col &&
			    cirt_csv_field_is(&rec->f[i], r->maps[k].col)) {
				c->field = r->maps[k].field;
				r->maps[k].matched = true;
			}
		}
		if (c->field == NULL && c->name[0] && field_ok(c->name) &&
		    strncmp(c->name, "extra.", 6) != 0)
			c->field = c->name;
	}
	for (k = 0; k < r->nmaps; k++)
		if (r->maps[k].col && !r->maps[k].matched)
			return cirt_diag_set(r->fr.d, -CIRT_EINVAL, "map",
					     "option map=: no column \"%s\" "
					     "in the header",
					     r->maps[k].col);
	return cols_numbered(r);
}

static int cols_check(struct run *r)
{
	size_t i;

	for (i = 0; i < r->ncols; i++)
		if (r->cols[i].field != NULL)
			return 0;
	return cirt_diag_set(r->fr.d, -CIRT_EINVAL, "map",
			     "no column maps to an event field: give the "
			     "option map=COLUMN:FIELD,...");
}

static int row(struct run *r, const struct cirt_csv_rec *rec)
{
	const struct col *c;
	size_t i;

	if (r->header && rec->nf > r->ncols)
		return cirt_diag_set(&r->fr.rd, -CIRT_EINVAL, NULL,
				     "%zu fields, the header has %zu", rec->nf,
				     r->ncols);
	cols_grow(r, rec->nf);
	for (i = 0; i < rec->nf; i++) {
		c = &r->cols[i];
		if (rec->f[i].n == 0)
			continue;
		if (c->field) {
			if (cirt_feed_rec_set(&r->fr, c->field, rec->f[i].p,
					      rec->f[i].n) < 0)
				return -1;
		} else if (r->extra && c->name[0] &&
			   cirt_feed_rec_extra(&r->fr, c->name, rec->f[i].p,
					       rec->f[i].n) < 0) {
			return -1;
		}
	}
	return 0;
}

/* The columns, from the header row when there is one. 1 if rec was the
 * header. */
static int columns(struct run *r, const struct cirt_csv_rec *rec)
{
	int rc;

	r->have_cols = true;
	if (r->header) {
		rc = cols_header(r, rec);
		if (rc == 0)
			rc = cols_check(r);
		return rc < 0 ? rc : 1;
	}
	return 0;
}

/* cirt_feed_csv_fn: the header row first, if any, then the rows. */
static int record(void *arg, const struct cirt_csv_rec *rec)
{
	struct run *r = arg;
	int rc;

	if (!r->have_cols) {
		rc = columns(r, rec);
		if (rc < 0)
			return rc;
		if (rc == 1)
			return CIRT_FEED_SKIP;
	}
	return row(r, rec) < 0 ? CIRT_FEED_BAD : CIRT_FEED_EMIT;
}

static int run(const struct cirt_feed_src *src, cirt_emit_fn emit, void *arg,
	       struct cirt_feed_stats *st, struct cirt_diag *d)
{
	struct run *r = cirt_xcalloc(1, sizeof(*r));
	size_t i;
	int rc;

	cirt_feed_run_init(&r->fr, src, emit, arg, st, d);
	rc = options(r);
	if (rc == 0 && !r->header) {
		rc = cols_numbered(r);
		if (rc == 0)
			rc = cols_check(r);
	}
	if (rc == 0)
		rc = cirt_feed_csv_each(&r->fr, &r->o, NULL, 0, record, r);
	if (rc == 0 && r->header && !r->have_cols)
		rc = cirt_diag_set(d, -CIRT_EINVAL, NULL,
				   "no header row (option header=yes)");
	for (i = 0; i < r->nmaps; i++) {
		free(r->maps[i].col);
		free(r->maps[i].field);
	}
	for (i = 0; i < r->ncols; i++)
		free(r->cols[i].name);
	free(r->cols);
	cirt_feed_run_release(&r->fr);
	free(r);
	return rc;
}

const struct cirt_parser cirt_parser_csv = {
	"csv",
	"any CSV, columns mapped by the option map=COLUMN:FIELD,...",
	run,
};
