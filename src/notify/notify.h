/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Telling constituents: digests of the events each owns, one per
 * contact, when due by the contact's preference (immediately, daily,
 * weekly), in its language and format, never with an event above its
 * TLP ceiling.
 *
 * A digest is first recorded (notifications, with its events in
 * notification_events) and committed, then built and sent over SMTP, then
 * marked sent with its Message-ID. So an event goes into one digest per
 * contact, and a digest that failed (or was interrupted) is retried with
 * the same events and Message-ID, with backoff, until it is sent or
 * abandoned after CIRT_NOTIFY_ATTEMPTS: what is acknowledged by the SMTP
 * server is never sent twice, except when the process dies between the
 * server's acknowledgement and the commit that marks it (then the retry
 * repeats it, with the same Message-ID for the receiver to see).
 *
 * Layer: notify.
 */
#ifndef CIRT_NOTIFY_NOTIFY_H
#define CIRT_NOTIFY_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "core/config.h"
#include "store/db.h"

#define CIRT_NOTIFY_ATTEMPTS 8

struct cirt_notify_env {
	const struct cirt_config *cfg;
	const struct cirt_actor *actor;
	bool dry_run; /* say what is due, send and record nothing */
};

struct cirt_notify_report {
	uint64_t due, sent, failed, events;
	json_t *digests; /* one object per digest tried (owned) */
};

/* Send what is due: retries first, then new digests. 0, or an error of
 * the store (a failed send is counted, not returned). */
int cirt_notify_run(struct cirt_db *db, const struct cirt_notify_env *env,
		    struct cirt_notify_report *r,
		    struct cirt_diag *d) CIRT_MUST_CHECK;

void cirt_notify_report_release(struct cirt_notify_report *r);

/* The log of digests, newest first: to whom, when, how many events,
 * status and Message-ID. constituent "" for all. */
int cirt_notify_log(struct cirt_db *db, const char *constituent, int64_t limit,
		    json_t **out, struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
