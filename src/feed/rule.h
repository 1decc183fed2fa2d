/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Rules that turn events into incidents: a rule names a class (and
 * optionally a type), a threshold and a window; when a constituent has at
 * least threshold events of it observed within the window, an incident is
 * opened for that constituent (reporter: the feed rule), with the
 * addresses seen as observables. One incident per rule and constituent
 * per window: more events within it do not open another. The migration
 * installs two: "c2" (one botnet command-and-control server is enough)
 * and "infected-systems" (ten infected systems in a day).
 *
 * Layer: feed.
 */
#ifndef CIRT_FEED_RULE_H
#define CIRT_FEED_RULE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "core/config.h"
#include "store/db.h"

/* Create a rule from body: name, class ("class" or "class:type"),
 * threshold (1..1000000), window (a duration, 1m to 366d), severity
 * (low, medium, high, critical; default medium), enabled. */
int cirt_rule_add(struct cirt_db *db, const struct cirt_actor *who,
		  json_t *body, json_t **out,
		  struct cirt_diag *d) CIRT_MUST_CHECK;

int cirt_rule_delete(struct cirt_db *db, const struct cirt_actor *who,
		     const char *name, struct cirt_diag *d) CIRT_MUST_CHECK;

int cirt_rule_list(struct cirt_db *db, json_t **out,
		   struct cirt_diag *d) CIRT_MUST_CHECK;

/* Apply every enabled rule to the constituents orgs[0..n); *opened
 * counts the incidents opened. Each incident is its own transaction. */
int cirt_rule_apply(struct cirt_db *db, const struct cirt_actor *who,
		    const struct cirt_config *cfg, const int64_t *orgs,
		    size_t n, uint64_t *opened,
		    struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
