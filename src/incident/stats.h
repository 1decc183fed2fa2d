/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * National statistics: incidents counted by class and type, sector,
 * constituent or month (of reported_at, UTC), within [from, to), with
 * how many were acknowledged and resolved and the mean and median times
 * to acknowledge and to resolve (seconds from reported_at). Rejected and
 * duplicate incidents are not counted. An incident affecting several
 * constituents counts once for each (once per distinct sector), and one
 * affecting none counts under "(none)"; so rows may sum past the total,
 * which counts each incident once. By sector, constituents whose sector
 * is not known count under "(unknown)".
 *
 * JSON: {"by", "from", "to", "rows": [{"key", "incidents",
 * "acknowledged", "acknowledge_mean_s", "acknowledge_median_s",
 * "resolved", "resolve_mean_s", "resolve_median_s"}], "total": {...}}
 * with null means and medians where nothing was counted. Rows are in key
 * order (months ascending).
 *
 * Layer: incident.
 */
#ifndef CIRT_INCIDENT_STATS_H
#define CIRT_INCIDENT_STATS_H

#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "store/db.h"

#define CIRT_STATS_NONE	   "(none)"
#define CIRT_STATS_UNKNOWN "(unknown)"
/* Most counts (incident and key) one computation makes. */
#define CIRT_STATS_ITEMS_MAX 4000000

enum cirt_stats_by {
	CIRT_STATS_CLASS,
	CIRT_STATS_SECTOR,
	CIRT_STATS_CONSTITUENT,
	CIRT_STATS_MONTH,
};

/* "class", "sector", "constituent", "month". 0 or -CIRT_EINVAL. */
int cirt_stats_by_parse(const char *s, enum cirt_stats_by *out);

/* Compute; from/to are microseconds (to exclusive; 0 = unbounded). */
int cirt_stats(struct cirt_db *db, enum cirt_stats_by by, int64_t from,
	       int64_t to, json_t **out, struct cirt_diag *d) CIRT_MUST_CHECK;

/* Render the JSON as CSV (header line, one line per row, then "total";
 * RFC 4180 with CRLF, null as an empty field, a key a spreadsheet would
 * take for a formula prefixed with an apostrophe), or as a table for
 * people (durations as "3h 05m"). Appended to out. */
int cirt_stats_csv(json_t *stats, struct cirt_buf *out) CIRT_MUST_CHECK;
int cirt_stats_table(json_t *stats, struct cirt_buf *out) CIRT_MUST_CHECK;

#endif
