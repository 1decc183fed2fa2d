/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * What TAXII keeps between requests, in the store so that any server of a
 * cluster can answer: status resources (the outcome of a POST of objects,
 * kept 7 days; TAXII 2.1 section 4.3) and the key of the paging cursors
 * (the `next` of an envelope: where a query stopped, bound to that query,
 * good for an hour), which are signed rather than stored.
 *
 * Layer: share. Use the caller's connection.
 */
#ifndef CIRT_SHARE_STATUS_H
#define CIRT_SHARE_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "share/share.h"

struct cirt_status {
	char id[CIRT_UUID_LEN + 1];
	int64_t root_id;
	int64_t collection_id;		    /* posted to; 0 for none (saving) */
	char collection[CIRT_UUID_LEN + 1]; /* its id, "" for none (getting) */
	bool pending;			    /* "pending", else "complete" */
	int64_t request_ts;
	int64_t total;
	int64_t successes;
	int64_t failures;
	int64_t pendings;
};

/*
 * Save st (with a new id unless st->id is set) with its items, a JSON array of
 * {"kind": "success"|"failure"|"pending", "id", "version", "message"},
 * inside the caller's transaction. It is kept 7 days from now; older
 * ones go.
 */
int cirt_status_save(struct cirt_db *db, struct cirt_status *st, json_t *items,
		     struct cirt_diag *d) CIRT_MUST_CHECK;

typedef int (*cirt_status_item_fn)(const char *kind, const char *id,
				   const char *version, const char *message,
				   void *arg);

/* Status id of root_id, items in order; -CIRT_ENOTFOUND if unknown or
 * expired. */
int cirt_status_get(struct cirt_db *db, int64_t root_id, const char *id,
		    struct cirt_status *st, cirt_status_item_fn fn, void *arg,
		    struct cirt_diag *d) CIRT_MUST_CHECK;

/* The length of a cursor: hex of where the query stopped, when the
 * cursor expires and its signature. */
#define CIRT_CURSOR_LEN 80

/*
 * A cursor for query (a canonical text of its filters and reader) stopped
 * after (after_added, after_seq) in collection_id: nothing is stored; the
 * cursor carries where it stopped and when it expires (an hour), signed
 * (HMAC-SHA-256) with the store's cursor key, which is made on first use.
 */
int cirt_cursor_make(struct cirt_db *db, int64_t collection_id,
		     const char *query, int64_t after_added, int64_t after_seq,
		     char next[CIRT_CURSOR_LEN + 1],
		     struct cirt_diag *d) CIRT_MUST_CHECK;

/* Read a cursor made for the same collection and query; -CIRT_EINVAL
 * naming `next` if it is malformed, expired, or was made for another
 * query, collection or store. */
int cirt_cursor_read(struct cirt_db *db, const char *next,
		     int64_t collection_id, const char *query,
		     int64_t *after_added, int64_t *after_seq,
		     struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
