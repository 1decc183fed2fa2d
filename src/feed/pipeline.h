/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The pipeline one input goes through: the parser emits events, and
 * each is completed (the feed's classification where the parser gave
 * none, checked against the taxonomy; observation time; TLP), enriched
 * (feed/enrich.h), routed (feed/route.h), given its deduplication key,
 * and stored.
 *
 * Storing is batched: events are written in transactions of
 * CIRT_PIPE_BATCH, and each input ends with a commit. A crash loses at
 * most the open batch, and a run repeated after it finds what was
 * committed through the deduplication key, so it stores nothing twice:
 * the key is what makes two events the same (feed, classification,
 * addresses, ports, name, URL, family), and an event is a duplicate when
 * one with its key exists within the feed's window around its time (the
 * source time, else the input's time, so the key is stable across
 * runs).
 *
 * Layer: feed. A pipeline belongs to one thread.
 */
#ifndef CIRT_FEED_PIPELINE_H
#define CIRT_FEED_PIPELINE_H

#include <stdint.h>

#include "feed/enrich.h"
#include "feed/feed.h"
#include "feed/parser.h"
#include "feed/route.h"
#include "store/db.h"

#define CIRT_PIPE_BATCH 1000

struct cirt_pipeline;

struct cirt_pipe_stats {
	struct cirt_feed_stats parse; /* records, events, bad */
	uint64_t duplicates, stored, routed, unrouted, names_dropped;
};

/* db may be NULL unless mode is CIRT_FEED_STORE; route and geo may be
 * NULL (nothing is routed, nothing enriched from data). */
struct cirt_pipeline *cirt_pipeline_new(struct cirt_db *db,
					const struct cirt_feed *f,
					const struct cirt_route *route,
					const struct cirt_geo *geo,
					enum cirt_feed_mode mode);

/* Run one input through; commits what it stored. 0 or the error that
 * stopped the input (what was committed before it stays). */
int cirt_pipeline_input(struct cirt_pipeline *p,
			const struct cirt_feed_src *src, struct cirt_diag *d);

/* One event made by the caller rather than a parser (detection's
 * matches): classified, enriched, routed and stored like the others, in
 * the open batch; cirt_pipeline_flush() commits it. */
int cirt_pipeline_event(struct cirt_pipeline *p, struct cirt_event *ev,
			struct cirt_diag *d) CIRT_MUST_CHECK;
int cirt_pipeline_flush(struct cirt_pipeline *p,
			struct cirt_diag *d) CIRT_MUST_CHECK;

const struct cirt_pipe_stats *
cirt_pipeline_stats(const struct cirt_pipeline *p);

/* The constituents that events were routed to, *n of them. */
const int64_t *cirt_pipeline_orgs(const struct cirt_pipeline *p, size_t *n);

/* Free; an open batch is rolled back. */
void cirt_pipeline_free(struct cirt_pipeline *p);

#endif
