/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Feeds as data: a feed is a row (name, collector and location, parser
 * and its options, schedule, TLP, default classification, provider,
 * deduplication window), not code. Running a feed collects its inputs
 * (a file, the new files of a directory, a download with a conditional
 * GET, the new messages of a maildir, the new objects of a partner's
 * TAXII collection) and sends each through the pipeline
 * (feed/pipeline.h): parse, enrich, deduplicate, route, store. Each run
 * is recorded with its counts (feed_runs); what it stored stays stored
 * even if a later input fails, and running it again stores nothing
 * twice.
 *
 * Layer: feed. Functions take a store connection owned by the caller's
 * thread.
 */
#ifndef CIRT_FEED_FEED_H
#define CIRT_FEED_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "core/config.h"
#include "feed/parser.h"
#include "store/db.h"

#define CIRT_FEED_NAME_MAX     64
#define CIRT_FEED_OPTIONS_MAX  1024
#define CIRT_FEED_LOCATION_MAX 2048

struct cirt_feed {
	int64_t id; /* 0 for a one-shot feed that is not stored */
	char name[CIRT_FEED_NAME_MAX + 1];
	char parser[32];
	char options[CIRT_FEED_OPTIONS_MAX + 1];
	char collector[16]; /* file, dir, url, maildir, taxii */
	char location[CIRT_FEED_LOCATION_MAX + 1];
	int64_t every_s; /* 0: only when asked */
	int tlp;	 /* enum cirt_tlp */
	char cls[40];	 /* default classification, "" none */
	char type[40];
	char provider[129];
	int64_t dedup_s;
	bool enabled;
	char etag[1024]; /* the last download's validators */
	char last_modified[1024];
	char cursor[1024]; /* TAXII: the last X-TAXII-Date-Added-Last */
	int64_t next_run;
};

/* Fill f with the defaults of a one-shot feed named name using parser:
 * TLP:AMBER, deduplication over 24 hours, no default class. */
void cirt_feed_defaults(struct cirt_feed *f, const char *name,
			const char *parser);

/*
 * Create a feed from body (docs/feeds.md): name, parser, one of file,
 * dir, url, maildir, taxii (the location; the collector follows), and
 * optional every ("30m", "1h", "1d"), tlp, class ("class[:type]"),
 * provider, options (object of strings, or "k=v;k=v"), dedup (a
 * duration), enabled. A taxii feed may give user and password or token,
 * kept in its options.
 */
int cirt_feed_add(struct cirt_db *db, const struct cirt_actor *who,
		  json_t *body, json_t **out,
		  struct cirt_diag *d) CIRT_MUST_CHECK;

/* Apply the optional settings of body (every, tlp, class, provider,
 * options, dedup, enabled) to f, as cirt_feed_add does; for a one-shot
 * ingest's overrides. 0 or -CIRT_EINVAL naming the field. */
int cirt_feed_apply(struct cirt_feed *f, json_t *body, struct cirt_diag *d);

int cirt_feed_get(struct cirt_db *db, const char *name, struct cirt_feed *f,
		  struct cirt_diag *d) CIRT_MUST_CHECK;

/* The feed as JSON (secrets in options hidden). */
json_t *cirt_feed_json(const struct cirt_feed *f);

/* Every feed with its last run. */
int cirt_feed_list(struct cirt_db *db, json_t **out,
		   struct cirt_diag *d) CIRT_MUST_CHECK;

/* Parse a duration "90s", "30m", "1h", "7d" (or plain seconds) within
 * [min, max] seconds. 0 or -CIRT_EINVAL naming field. */
int cirt_duration_parse(const char *s, int64_t min, int64_t max, int64_t *out,
			const char *field, struct cirt_diag *d);

/* How a run goes. */
enum cirt_feed_mode {
	CIRT_FEED_STORE, /* the whole pipeline */
	CIRT_FEED_ROUTE, /* parse, enrich, route; store nothing */
	CIRT_FEED_PARSE	 /* the parser alone */
};

struct cirt_feed_env {
	const struct cirt_config *cfg;
	const struct cirt_actor *actor;
	enum cirt_feed_mode mode;
};

/* What a run did. */
struct cirt_feed_report {
	int64_t run_id;	 /* feed_runs row, 0 when not stored */
	char status[16]; /* ok, not-modified, error */
	uint64_t inputs, records, events, bad, duplicates, stored, unrouted;
	uint64_t incidents; /* opened by rules */
	int64_t elapsed_us;
	char first_bad[CIRT_FEED_BAD_KEEP][200];
};

/*
 * Run feed f: its collector, or when files is not NULL the nfiles files
 * given (a one-shot ingest). Then the rules (feed/rule.h) for the
 * constituents it touched. The run is recorded even when it fails; the
 * report says what happened. 0, or the error that stopped it.
 */
int cirt_feed_run(struct cirt_db *db, const struct cirt_feed_env *env,
		  struct cirt_feed *f, char *const *files, int nfiles,
		  struct cirt_feed_report *r, struct cirt_diag *d);

/* Called after each feed cirt_feed_run_due() ran: its report, and the
 * run's return code and diag. */
typedef void (*cirt_feed_done_fn)(const struct cirt_feed *f,
				  const struct cirt_feed_report *r, int rc,
				  const struct cirt_diag *d, void *arg);

/*
 * Run every enabled scheduled feed whose next run is due. Each is first
 * claimed (its next run moved on, compare-and-set), so several servers
 * on one store never run the same feed at once. One feed's failure does
 * not stop the others. *failed (may be NULL) counts the failures. 0, or
 * an error of the store.
 */
int cirt_feed_run_due(struct cirt_db *db, const struct cirt_feed_env *env,
		      cirt_feed_done_fn done, void *arg, int *failed,
		      struct cirt_diag *d) CIRT_MUST_CHECK;

/* The report as JSON. */
json_t *cirt_feed_report_json(const struct cirt_feed *f,
			      const struct cirt_feed_report *r);

#endif
