/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Stored events, read back: listing with filters and paging, one event
 * with its raw record, and the JSON shape every way out uses (the API,
 * the command line, the digests): a flat object with IntelMQ-style dotted
 * keys ("source.ip", "classification.type", ...), "id", "constituent",
 * "tlp", "extra" (an object) and, for one event, "raw" (base64).
 *
 * Who sees what is decided by the caller through a filter's org and TLP
 * ceiling (account/authz.h cirt_authz_event_ceiling), applied in the SQL.
 *
 * Layer: feed.
 */
#ifndef CIRT_FEED_EVENTS_H
#define CIRT_FEED_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "store/db.h"

/* The columns cirt_event_row_json() reads, from "e" joined with the
 * owner as "o" (LEFT JOIN orgs o ON o.id = e.org_id). */
#define CIRT_EVENT_COLS                                                  \
	"e.id, e.feed, e.provider, e.time_source, e.time_observation, "  \
	"e.src_ip, e.src_port, e.src_asn, e.src_cc, e.src_fqdn, e.url, " \
	"e.dst_ip, e.dst_port, e.dst_asn, e.dst_cc, e.dst_fqdn, "        \
	"e.transport, e.application, e.class, e.type, e.identifier, "    \
	"e.malware, e.tlp, e.route, e.extra, o.name"
#define CIRT_EVENT_NCOLS 26

/* The event of the current row, its columns from col0. */
json_t *cirt_event_row_json(struct cirt_stmt *s, int col0);

struct cirt_event_filter {
	int64_t org;	   /* -1 any, 0 unrouted only, else that org */
	const char *feed;  /* "" any */
	const char *cls;   /* "" any; "class" or "class:type" */
	int64_t since;	   /* µs of observation, 0 none */
	int64_t until;	   /* µs, 0 none */
	int tlp_max;	   /* enum cirt_tlp: events above are not seen */
	int64_t before_id; /* paging: ids below it; 0 from the newest */
	int64_t limit;	   /* 1..1000 */
};

void cirt_event_filter_init(struct cirt_event_filter *f);

typedef int (*cirt_event_row_fn)(int64_t id, json_t *event, void *arg);

/* The events f selects, newest first; fn gets each (it owns it). */
int cirt_events_list(struct cirt_db *db, const struct cirt_event_filter *f,
		     cirt_event_row_fn fn, void *arg,
		     struct cirt_diag *d) CIRT_MUST_CHECK;

/* One event with "raw", if f's org and TLP let it be seen
 * (-CIRT_ENOTFOUND otherwise, the same as absent). */
int cirt_event_get(struct cirt_db *db, const struct cirt_event_filter *f,
		   int64_t id, json_t **out,
		   struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
