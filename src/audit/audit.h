/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The audit log: every change of state, with who made it, from which
 * address, when, what and to which object, appended in the same
 * transaction as the change itself, so the log and the data never
 * disagree.
 *
 * Entries form a hash chain: entry n stores the SHA-256 of entry n-1 and
 * its own SHA-256 over all its fields. cirt_audit_verify() recomputes the
 * chain and names the first entry that was edited, inserted or deleted.
 * The encoding that is hashed is in docs/internals/audit.md.
 *
 * Layer: audit (above store, below account). Appends are serialised by a
 * row lock on audit_head, across threads and across servers sharing one
 * PostgreSQL.
 */
#ifndef CIRT_AUDIT_AUDIT_H
#define CIRT_AUDIT_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/crypto.h"
#include "store/db.h"

/* Who acts: a user name (or "cli:<os user>") and an address ("local" for
 * the command line). Both borrowed. */
struct cirt_actor {
	const char *name;
	const char *addr;
};

/*
 * Append an entry inside the caller's open write transaction. object names
 * the target ("org:CERT-XX", "token:12"); detail (borrowed, may be NULL)
 * is a JSON object of what changed and must never hold a secret.
 */
int cirt_audit_append(struct cirt_db *db, const struct cirt_actor *who,
		      const char *action, const char *object, json_t *detail,
		      struct cirt_diag *d) CIRT_MUST_CHECK;

/* One entry as read back; strings valid only during the callback. */
struct cirt_audit_entry {
	int64_t seq;
	int64_t at;
	const char *actor;
	const char *addr;
	const char *action;
	const char *object;
	const char *detail;
	const char *prev_hash;
	const char *hash;
};

/* The JSON representation used by the API and `--format json`. */
json_t *cirt_audit_entry_json(const struct cirt_audit_entry *e);

/* Called per entry; a negative return stops the walk and is returned. */
typedef int (*cirt_audit_fn)(const struct cirt_audit_entry *e, void *arg);

/* Entries with seq > after, oldest first, at most limit of them. */
int cirt_audit_list(struct cirt_db *db, int64_t after, int64_t limit,
		    cirt_audit_fn fn, void *arg,
		    struct cirt_diag *d) CIRT_MUST_CHECK;

struct cirt_audit_report {
	int64_t entries;		/* entries checked */
	int64_t broken;			/* first broken entry, 0 if intact */
	char reason[256];		/* why it is broken */
	char head[CIRT_SHA256_HEX_LEN]; /* hash of the newest entry */
};

/*
 * Walk the whole chain in bounded memory. Returns 0 when the walk could be
 * done (r->broken tells whether the chain is intact), or a store error.
 */
int cirt_audit_verify(struct cirt_db *db, struct cirt_audit_report *r,
		      struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
