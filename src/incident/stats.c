/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * National statistics: one pass over the incidents reported in the
 * period (rejected and duplicate left out), each turned into one item per
 * key it counts under (its class:type, its month, each constituent, each
 * distinct sector of its constituents), the items sorted by key and
 * summed run by run. Durations are kept in microseconds and reported in
 * seconds rounded to the millisecond. See incident/stats.h.
 *
 * Layer: incident. Reads with the caller's connection; the renderers are
 * pure. Memory grows with the number of items, at most
 * CIRT_STATS_ITEMS_MAX (-CIRT_ELIMIT past it: ask for a shorter period).
 */
#include "incident/stats.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/time.h"
#include "core/banned.h"

static const char *const by_names[] = {
	[CIRT_STATS_CLASS] = "class",
	[CIRT_STATS_SECTOR] = "sector",
	[CIRT_STATS_CONSTITUENT] = "constituent",
	[CIRT_STATS_MONTH] = "month",
};

#define NBY (sizeof(by_names) / sizeof(by_names[0]))

/* Incidents in [from, to) that count; 0 leaves a bound open. */
#define PERIOD                                               \
	"status NOT IN ('rejected', 'duplicate') "           \
	"AND (CAST(? AS BIGINT) = 0 OR i.reported_at >= ?) " \
	"AND (CAST(? AS BIGINT) = 0 OR i.reported_at < ?) "

static const struct cirt_sql q_incidents = {
	"SELECT i.id, i.class, i.type, i.reported_at, i.acknowledged_at, "
	"i.resolved_at, '', '' FROM incidents i WHERE " PERIOD "ORDER BY i.id",
	NULL};
/* With each affected constituent (NULL name: none). */
static const struct cirt_sql q_constituents = {
	"SELECT i.id, i.class, i.type, i.reported_at, i.acknowledged_at, "
	"i.resolved_at, o.name, o.sector FROM incidents i "
	"LEFT JOIN incident_orgs io ON io.incident_id = i.id "
	"LEFT JOIN orgs o ON o.id = io.org_id WHERE " PERIOD
	"ORDER BY i.id, o.name",
	NULL};

/* One count under one key. */
struct item {
	char *key;
	int64_t ack, res; /* durations, microseconds */
	bool has_ack, has_res;
};

/* Figures of a group of items: counts and the durations present. */
struct figures {
	int64_t incidents, acknowledged, resolved;
	int64_t *ack, *res; /* scratch, sorted in place */
};

struct tally {
	enum cirt_stats_by by;
	struct item *items;
	size_t n, cap;
	int64_t *tack, *tres; /* every incident once, for the total */
	size_t ntotal, nack, nres, tcap;
	int64_t last_id;
	size_t first_of_last; /* items of the last incident start here */
};

int cirt_stats_by_parse(const char *s, enum cirt_stats_by *out)
{
	for (size_t i = 0; i < NBY; i++) {
		if (strcmp(s, by_names[i]) == 0) {
			*out = (enum cirt_stats_by)i;
			return 0;
		}
	}
	return -CIRT_EINVAL;
}

static int add_item(struct tally *t, const char *key, const struct item *v,
		    struct cirt_diag *d)
{
	/* An incident counts once per distinct sector. */
	for (size_t i = t->first_of_last; i < t->n; i++)
		if (strcmp(t->items[i].key, key) == 0)
			return 0;
	if (t->n == CIRT_STATS_ITEMS_MAX)
		return cirt_diag_set(d, -CIRT_ELIMIT, "from",
				     "more than %d counts to make; ask for a "
				     "shorter period",
				     CIRT_STATS_ITEMS_MAX);
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->items = cirt_xrealloc(t->items, t->cap * sizeof(*t->items));
	}
	t->items[t->n] = *v;
	t->items[t->n].key = cirt_xstrdup(key);
	t->n++;
	return 0;
}

static void add_total(struct tally *t, const struct item *v)
{
	if (t->ntotal == t->tcap) {
		t->tcap = t->tcap ? t->tcap * 2 : 256;
		t->tack = cirt_xrealloc(t->tack, t->tcap * sizeof(int64_t));
		t->tres = cirt_xrealloc(t->tres, t->tcap * sizeof(int64_t));
	}
	t->ntotal++;
	if (v->has_ack)
		t->tack[t->nack++] = v->ack;
	if (v->has_res)
		t->tres[t->nres++] = v->res;
}

/* The key of the current row for t->by into key[size]. */
static void row_key(struct tally *t, struct cirt_stmt *s, char *key,
		    size_t size)
{
	char when[CIRT_TIME_LEN];

	switch (t->by) {
	case CIRT_STATS_CLASS:
		snprintf(key, size, "%s:%s", cirt_stmt_text(s, 1),
			 cirt_stmt_text(s, 2));
		break;
	case CIRT_STATS_MONTH:
		cirt_time_format(cirt_stmt_i64(s, 3), when);
		snprintf(key, size, "%.7s", when);
		break;
	case CIRT_STATS_CONSTITUENT:
		snprintf(key, size, "%s",
			 cirt_stmt_null(s, 6) ? CIRT_STATS_NONE
					      : cirt_stmt_text(s, 6));
		break;
	case CIRT_STATS_SECTOR:
		if (cirt_stmt_null(s, 6))
			snprintf(key, size, "%s", CIRT_STATS_NONE);
		else if (cirt_stmt_text(s, 7)[0] == '\0')
			snprintf(key, size, "%s", CIRT_STATS_UNKNOWN);
		else
			snprintf(key, size, "%s", cirt_stmt_text(s, 7));
		break;
	}
}

static int take_row(struct tally *t, struct cirt_stmt *s, struct cirt_diag *d)
{
	int64_t id = cirt_stmt_i64(s, 0), reported = cirt_stmt_i64(s, 3);
	char key[256];
	struct item v = {0};

	v.has_ack = !cirt_stmt_null(s, 4);
	v.ack = v.has_ack ? cirt_stmt_i64(s, 4) - reported : 0;
	v.has_res = !cirt_stmt_null(s, 5);
	v.res = v.has_res ? cirt_stmt_i64(s, 5) - reported : 0;
	if (t->ntotal == 0 || id != t->last_id) {
		add_total(t, &v);
		t->last_id = id;
		t->first_of_last = t->n;
	}
	row_key(t, s, key, sizeof(key));
	return add_item(t, key, &v, d);
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const struct item *)a)->key,
		      ((const struct item *)b)->key);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Microseconds to seconds, rounded to the millisecond. */
static json_t *seconds(double us)
{
	double ms = us / 1000.0;
	int64_t r = (int64_t)(ms >= 0 ? ms + 0.5 : ms - 0.5);

	return json_real((double)r / 1000.0);
}

static json_t *mean(const int64_t *v, size_t n)
{
	double sum = 0;

	if (n == 0)
		return json_null();
	for (size_t i = 0; i < n; i++)
		sum += (double)v[i];
	return seconds(sum / (double)n);
}

/* The median of v[0..n), which it sorts; of an even count the mean of
 * the two middle values. */
static json_t *median(int64_t *v, size_t n)
{
	if (n == 0)
		return json_null();
	qsort(v, n, sizeof(*v), cmp_i64);
	if (n % 2)
		return seconds((double)v[n / 2]);
	return seconds(((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0);
}

static json_t *figures_json(const char *key, int64_t incidents, int64_t *ack,
			    size_t nack, int64_t *res, size_t nres)
{
	json_t *o = json_object();

	if (key)
		json_object_set_new(o, "key", json_string(key));
	json_object_set_new(o, "incidents", json_integer(incidents));
	json_object_set_new(o, "acknowledged", json_integer((json_int_t)nack));
	json_object_set_new(o, "acknowledge_mean_s", mean(ack, nack));
	json_object_set_new(o, "acknowledge_median_s", median(ack, nack));
	json_object_set_new(o, "resolved", json_integer((json_int_t)nres));
	json_object_set_new(o, "resolve_mean_s", mean(res, nres));
	json_object_set_new(o, "resolve_median_s", median(res, nres));
	return o;
}

/* Sort the items and sum each run of one key into a row. */
static json_t *rows_json(struct tally *t)
{
	json_t *rows = json_array();
	int64_t *ack, *res;
	size_t i, j, nack, nres;

	if (t->n == 0)
		return rows;
	qsort(t->items, t->n, sizeof(*t->items), cmp_item);
	ack = cirt_xcalloc(t->n, sizeof(*ack));
	res = cirt_xcalloc(t->n, sizeof(*res));
	for (i = 0; i < t->n; i = j) {
		nack = nres = 0;
		for (j = i;
		     j < t->n && strcmp(t->items[j].key, t->items[i].key) == 0;
		     j++) {
			if (t->items[j].has_ack)
				ack[nack++] = t->items[j].ack;
			if (t->items[j].has_res)
				res[nres++] = t->items[j].res;
		}
		json_array_append_new(rows, figures_json(t->items[i].key,
							 (int64_t)(j - i), ack,
							 nack, res, nres));
	}
	free(ack);
	free(res);
	return rows;
}

static void tally_release(struct tally *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->items[i].key);
	free(t->items);
	free(t->tack);
	free(t->tres);
}

int cirt_stats(struct cirt_db *db, enum cirt_stats_by by, int64_t from,
	       int64_t to, json_t **out, struct cirt_diag *d)
{
	const struct cirt_sql *q =
		by == CIRT_STATS_CLASS || by == CIRT_STATS_MONTH
			? &q_incidents
			: &q_constituents;
	struct tally t = {.by = by};
	struct cirt_stmt *s;
	int rc;

	if ((unsigned)by >= NBY)
		return cirt_diag_set(d, -CIRT_EINVAL, "by",
				     "by must be class, sector, constituent "
				     "or month");
	if (from && to && from >= to)
		return cirt_diag_set(d, -CIRT_EINVAL, "to",
				     "to must be after from");
	s = cirt_db_stmt(db, q, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, from);
	cirt_stmt_bind_i64(s, 2, from);
	cirt_stmt_bind_i64(s, 3, to);
	cirt_stmt_bind_i64(s, 4, to);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		rc = take_row(&t, s, d);
		if (rc < 0) {
			cirt_stmt_reset(s);
			break;
		}
	}
	if (rc == 0)
		*out = json_pack("{s:s, s:o, s:o, s:o, s:o}", "by",
				 by_names[by], "from", cirt_json_time(from),
				 "to", cirt_json_time(to), "rows",
				 rows_json(&t), "total",
				 figures_json(NULL, (int64_t)t.ntotal, t.tack,
					      t.nack, t.tres, t.nres));
	tally_release(&t);
	return rc;
}

/* A figure as text: "" for null, else the number (seconds to the
 * millisecond, without trailing zero decimals: "90", "322.5"). */
static void number_text(json_t *v, char *buf, size_t size)
{
	int64_t ms, abs;
	int frac, digits = 3;

	if (json_is_integer(v)) {
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
		return;
	}
	if (!json_is_real(v)) {
		buf[0] = '\0';
		return;
	}
	ms = (int64_t)(json_real_value(v) * 1000.0 +
		       (json_real_value(v) >= 0 ? 0.5 : -0.5));
	abs = ms < 0 ? -ms : ms;
	frac = (int)(abs % 1000);
	if (frac == 0) {
		snprintf(buf, size, "%lld", (long long)(ms / 1000));
		return;
	}
	for (; frac % 10 == 0; frac /= 10)
		digits--;
	snprintf(buf, size, "%s%lld.%0*d", ms < 0 ? "-" : "",
		 (long long)(abs / 1000), digits, frac);
}

static const char *const columns[] = {
	"incidents",	      "acknowledged",
	"acknowledge_mean_s", "acknowledge_median_s",
	"resolved",	      "resolve_mean_s",
	"resolve_median_s",
};

#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

/* A CSV field (RFC 4180): quoted when it holds a comma, quote or line
 * break; one that a spreadsheet would take for a formula (=, +, -, @,
 * tab, CR first) gets a leading apostrophe. */
static int csv_field(struct cirt_buf *out, const char *s)
{
	bool formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	int rc = 0;

	if (!quote)
		return cirt_buf_adds(out, s);
	rc = cirt_buf_adds(out, formula ? "\"'" : "\"");
	for (const char *p = s; rc == 0 && *p; p++)
		rc = *p == '"' ? cirt_buf_adds(out, "\"\"")
			       : cirt_buf_add(out, p, 1);
	return rc == 0 ? cirt_buf_adds(out, "\"") : rc;
}

static int csv_line(struct cirt_buf *out, const char *key, json_t *row)
{
	char num[64];
	int rc = csv_field(out, key);

	for (size_t i = 0; rc == 0 && i < NCOLUMNS; i++) {
		number_text(json_object_get(row, columns[i]), num, sizeof(num));
		rc = cirt_buf_addf(out, ",%s", num);
	}
	return rc == 0 ? cirt_buf_adds(out, "\r\n") : rc;
}

int cirt_stats_csv(json_t *stats, struct cirt_buf *out)
{
	json_t *row;
	size_t i;
	int rc = cirt_buf_adds(out, "key");

	for (i = 0; rc == 0 && i < NCOLUMNS; i++)
		rc = cirt_buf_addf(out, ",%s", columns[i]);
	if (rc == 0)
		rc = cirt_buf_adds(out, "\r\n");
	json_array_foreach (json_object_get(stats, "rows"), i, row) {
		if (rc == 0)
			rc = csv_line(
				out,
				json_string_value(json_object_get(row, "key")),
				row);
	}
	if (rc == 0)
		rc = csv_line(out, "total", json_object_get(stats, "total"));
	return rc;
}

/* A duration for people: "45s", "12m 30s", "3h 05m", "2d 04h"; "-" for
 * null. */
static void duration_text(json_t *v, char *buf, size_t size)
{
	int64_t s;

	if (!json_is_number(v)) {
		snprintf(buf, size, "-");
		return;
	}
	s = (int64_t)(json_number_value(v) + 0.5);
	if (s < 0)
		snprintf(buf, size, "%llds", (long long)s);
	else if (s < 60)
		snprintf(buf, size, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, size, "%lldm %02llds", (long long)(s / 60),
			 (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, size, "%lldh %02lldm", (long long)(s / 3600),
			 (long long)(s % 3600 / 60));
	else
		snprintf(buf, size, "%lldd %02lldh", (long long)(s / 86400),
			 (long long)(s % 86400 / 3600));
}

static int table_line(struct cirt_buf *out, int width, const char *key,
		      json_t *row)
{
	char t[4][32];

	duration_text(json_object_get(row, "acknowledge_mean_s"), t[0], 32);
	duration_text(json_object_get(row, "acknowledge_median_s"), t[1], 32);
	duration_text(json_object_get(row, "resolve_mean_s"), t[2], 32);
	duration_text(json_object_get(row, "resolve_median_s"), t[3], 32);
	return cirt_buf_addf(
		out, "%-*s %9lld %6lld %9s %9s %8lld %9s %9s\n", width, key,
		(long long)json_integer_value(
			json_object_get(row, "incidents")),
		(long long)json_integer_value(
			json_object_get(row, "acknowledged")),
		t[0], t[1],
		(long long)json_integer_value(json_object_get(row, "resolved")),
		t[2], t[3]);
}

int cirt_stats_table(json_t *stats, struct cirt_buf *out)
{
	json_t *rows = json_object_get(stats, "rows"), *row;
	const char *by = json_string_value(json_object_get(stats, "by"));
	int width = 5; /* "total" */
	char head[16];
	size_t i;
	int rc;

	snprintf(head, sizeof(head), "%s", by ? by : "key");
	for (char *p = head; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');

	json_array_foreach (rows, i, row) {
		size_t n =
			strlen(json_string_value(json_object_get(row, "key")));

		if (n > (size_t)width)
			width = n > 60 ? 60 : (int)n;
	}
	rc = cirt_buf_addf(out, "%-*s %9s %6s %9s %9s %8s %9s %9s\n", width,
			   head, "INCIDENTS", "ACKED", "ACK MEAN", "ACK MED",
			   "RESOLVED", "RES MEAN", "RES MED");
	json_array_foreach (rows, i, row) {
		if (rc == 0)
			rc = table_line(
				out, width,
				json_string_value(json_object_get(row, "key")),
				row);
	}
	if (rc == 0)
		rc = table_line(out, width, "total",
				json_object_get(stats, "total"));
	return rc;
}
