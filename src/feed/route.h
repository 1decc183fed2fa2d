/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Routing: which constituent owns an event. A snapshot of the registry
 * (feed/constituent.h) is loaded once per run into memory: a longest-
 * prefix-match table of the address ranges, a hash of AS numbers and a
 * hash of domain names. The owner is found, in this order,
 *  1. by the longest range containing the source address (or the
 *     source network, for an event about a range),
 *  2. by the source AS number,
 *  3. by the source name (or the URL's host) or its closest parent that
 *     a constituent registered, label by label down to the name's
 *     registrable domain (libpsl, the public suffix list): so
 *     "mail.ministry.gov.example" is owned by whoever registered
 *     "ministry.gov.example", else "gov.example"; a public suffix
 *     (co.uk, blogspot.com) is never an owner.
 * An event that none of these finds is unrouted: kept, and counted.
 *
 * Layer: feed. A loaded snapshot is read-only and may be shared by
 * threads.
 */
#ifndef CIRT_FEED_ROUTE_H
#define CIRT_FEED_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ip.h"
#include "feed/event.h"
#include "store/db.h"

struct cirt_route;

/* An empty snapshot, filled with the add functions (tests, benchmark). */
struct cirt_route *cirt_route_new(void);
void cirt_route_free(struct cirt_route *r);
void cirt_route_add_cidr(struct cirt_route *r, const struct cirt_ip *net,
			 int64_t org);
void cirt_route_add_asn(struct cirt_route *r, int64_t asn, int64_t org);
/* name is canonical (cirt_domain_canon). */
void cirt_route_add_domain(struct cirt_route *r, const char *name, int64_t org);

/* Load the snapshot of every constituent's networks from the store. */
int cirt_route_load(struct cirt_db *db, struct cirt_route **out,
		    struct cirt_diag *d) CIRT_MUST_CHECK;

/* Set ev->constituent and ev->route ("cidr", "asn", "domain"); false,
 * with both cleared, when no constituent owns the event. */
bool cirt_route_event(const struct cirt_route *r, struct cirt_event *ev);

#endif
