/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Detection (docs/detection.md): compiling the indicator set from the
 * store, and running logs against it.
 *
 * Compiling reads
 *  - the latest version of every STIX Indicator in any collection whose
 *    pattern is simple (one comparison, or comparisons joined by OR, each
 *    on ipv4-addr/ipv6-addr value (=, IN, ISSUBSET), domain-name, url or
 *    email-addr value, or a file hash) and which is valid now (valid_from
 *    passed, valid_until not, not revoked); every other one is listed
 *    with its reason;
 *  - the addresses, names and URLs of feed events observed within
 *    detect_event_days, except those that describe victims rather than
 *    threats (classes vulnerable, intrusions, information-content-
 *    security, other, test; type infected-system) and detection's own
 *    events;
 * through the allow-lists (special ranges, detect_allow_networks, which
 * holds the team's own networks, the popular domains of
 * detect_allow_domains) into
 * a snapshot. An indicator file (one value per line) compiles the same
 * way without a store.
 *
 * Running a log calls back with each match: the record, the field and
 * value, the indicators; a run may also record what it saw (struct
 * cirt_detect_store): STIX Sightings of the STIX indicators, kept as one
 * Sighting per indicator and organisation whose count and first and last
 * seen grow, and an event per match of class intrusion-attempts:ids-alert
 * owned by the constituent whose address the log line holds, so that the
 * feed rules (feed/rule.h) open incidents and the constituent's contacts
 * hear of it.
 *
 * Layer: detect. A snapshot (struct cirt_detect_set) is immutable and
 * reference counted, so a server swaps in a new one while runs still use
 * the old.
 */
#ifndef CIRT_DETECT_DETECT_H
#define CIRT_DETECT_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "audit/audit.h"
#include "core/config.h"
#include "detect/logread.h"
#include "detect/matcher.h"
#include "store/db.h"

/* Entries kept in a report's lists (the counts go on). */
#define CIRT_DETECT_REPORT_MAX 1000
/* Most indicators named in one match. */
#define CIRT_DETECT_REFS_MAX 16
/* Confidence of an indicator that states none. */
#define CIRT_DETECT_CONF_NONE 255

struct cirt_detect_set {
	struct cirt_matcher *m;
	int64_t compiled_at; /* µs */
	double seconds;	     /* to compile */
	int64_t marker[2];   /* what the store held: see cirt_detect_marker */
	json_t *report;	     /* what was compiled, left out and why */
	int refs;	     /* atomic */
};

/* Compile from the store with the settings of cfg. */
int cirt_detect_compile(struct cirt_db *db, const struct cirt_config *cfg,
			struct cirt_detect_set **out,
			struct cirt_diag *d) CIRT_MUST_CHECK;

/* Compile the indicator file path (one value per line, the kind guessed:
 * address or range, URL (has "://"), 32/40/64 hex digits, e-mail (has
 * '@'), else a domain name; '#' comments), as TLP:AMBER. Lines that are
 * not valid values are counted in the report, not fatal. */
int cirt_detect_compile_file(const char *path, const struct cirt_config *cfg,
			     struct cirt_detect_set **out,
			     struct cirt_diag *d) CIRT_MUST_CHECK;

/* What changes when indicators may have: the newest STIX indicator row
 * and the newest feed event. */
int cirt_detect_marker(struct cirt_db *db, int64_t marker[2],
		       struct cirt_diag *d) CIRT_MUST_CHECK;

/* Take and drop a reference; the last drop frees. */
struct cirt_detect_set *cirt_detect_set_hold(struct cirt_detect_set *s);
void cirt_detect_set_drop(struct cirt_detect_set *s);

/* A server's live set (live.c): the current snapshot, swapped whole. */
struct cirt_detect_live;

struct cirt_detect_live *cirt_detect_live_new(void);
void cirt_detect_live_free(struct cirt_detect_live *l);

/* The current snapshot, held (drop it when done), or NULL before the
 * first compilation. */
struct cirt_detect_set *cirt_detect_live_get(struct cirt_detect_live *l);

/* Put s in (the live set takes the caller's reference). */
void cirt_detect_live_swap(struct cirt_detect_live *l,
			   struct cirt_detect_set *s);

/* Compile and swap in a new snapshot when the store's marker has moved
 * or the current one is older than detect_rebuild (or there is none):
 * 1 when it did, 0 when nothing was due, or the error. */
int cirt_detect_live_refresh(struct cirt_detect_live *l, struct cirt_db *db,
			     const struct cirt_config *cfg,
			     struct cirt_diag *d) CIRT_MUST_CHECK;

/* One match, for the callback. ids[i] are "indicator--...", "event:N",
 * "line:N". */
struct cirt_detect_match {
	const struct cirt_detect_set *set;
	const struct cirt_log_record *rec;
	const char *source; /* the log's name */
	const struct cirt_log_value *val;
	const char *value; /* what matched: the value, or a URL's host */
	const char *host;  /* value when it is a URL's host, else NULL */
	size_t nids;
	char ids[CIRT_DETECT_REFS_MAX][64];
	uint32_t refs[CIRT_DETECT_REFS_MAX];
	int tlp; /* the highest of the indicators' */
};

/* A match as a JSON object (time, source, line, field, kind, value,
 * matched_as, indicators, tlp, confidence) naming only the indicators
 * at or below ceiling (enum cirt_tlp; TLP and confidence are theirs),
 * or NULL when none is. */
json_t *cirt_detect_match_obj(const struct cirt_detect_match *mt, int ceiling);

/* A match as its JSON line with every indicator (no newline); free()
 * it. */
char *cirt_detect_match_json(const struct cirt_detect_match *mt);

/* Where a run records what it saw; NULL members leave that out. */
struct cirt_detect_store {
	struct cirt_db *db;
	const struct cirt_config *cfg;
	const struct cirt_actor *actor;
};

struct cirt_detect_stats {
	struct cirt_log_stats log;
	uint64_t matches;
	uint64_t sightings; /* Sighting versions stored */
	uint64_t events;    /* events stored */
	uint64_t incidents; /* incidents opened by rules */
};

typedef int (*cirt_detect_fn)(const struct cirt_detect_match *mt, void *arg);

struct cirt_detect_run;

/* A run against set (held until the run is freed); fn is called for
 * every match; st (may be NULL) records into the store when its db is
 * set. */
struct cirt_detect_run *cirt_detect_run_new(struct cirt_detect_set *set,
					    const struct cirt_detect_store *st,
					    cirt_detect_fn fn, void *arg);

/* Read one log from fd (plain or gzip), or from memory. */
int cirt_detect_run_fd(struct cirt_detect_run *r, int fd, const char *name,
		       enum cirt_log_format f, const struct cirt_log_map *map,
		       struct cirt_diag *d) CIRT_MUST_CHECK;
int cirt_detect_run_mem(struct cirt_detect_run *r, const char *text, size_t len,
			const char *name, enum cirt_log_format f,
			const struct cirt_log_map *map,
			struct cirt_diag *d) CIRT_MUST_CHECK;

/* Store what the run saw (sightings, events, rule incidents), each in
 * committed transactions; then the totals. */
int cirt_detect_run_finish(struct cirt_detect_run *r,
			   struct cirt_detect_stats *out,
			   struct cirt_diag *d) CIRT_MUST_CHECK;

void cirt_detect_run_free(struct cirt_detect_run *r);

#endif
