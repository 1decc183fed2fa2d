/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The STIX objects of collections: every version of every object, its
 * bytes exactly as received, the date it was added to the collection, and
 * the queries TAXII 2.1 needs (../shared/docs/standards.md 2.4, 2.5):
 * added_after, match[id], match[type], match[version] (first, last, all,
 * dates) and match[spec_version], in date_added order, paged by key (never
 * by offset), so a page costs the same at any collection size.
 *
 * TLP is enforced here for every way out: nothing above a collection's
 * ceiling is ever stored in it, and every query takes the reader's
 * ceiling (account/authz.h) and never returns a version above it.
 *
 * Layer: share. Functions use the caller's connection; cirt_share_put
 * runs inside the caller's write transaction.
 */
#ifndef CIRT_SHARE_OBJECT_H
#define CIRT_SHARE_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/time.h"
#include "share/share.h"
#include "stix/stix.h"

enum cirt_share_outcome {
	CIRT_SHARE_STORED,
	CIRT_SHARE_DUPLICATE, /* that version was there already: no error */
	CIRT_SHARE_REFUSED,
};

struct cirt_share_result {
	enum cirt_share_outcome outcome;
	char id[CIRT_STIX_ID_MAX + 1]; /* "" if the object had no usable id */
	char version[CIRT_STIX_TIME_MAX]; /* modified, else created, else "" */
	char message[512];		  /* why refused, in one line */
	int64_t date_added;		  /* when stored: the row's */
	struct cirt_stix_findings findings; /* all validation findings */
};

/* What cirt_share_check learnt about an object, for cirt_share_store. */
struct cirt_share_offer {
	struct cirt_stix_meta m;
	char key[CIRT_TIME_KEY_LEN]; /* the version as a sort key */
};

/*
 * The checks of cirt_share_put that need no store, so they can run on
 * another thread than the store's (c is only read): the validator, the
 * version's form, the TLP marking against c's ceiling. r is filled; its
 * outcome is CIRT_SHARE_STORED if the object may go on to
 * cirt_share_store, with o filled.
 */
void cirt_share_check(const struct cirt_collection *c, json_t *obj,
		      struct cirt_share_offer *o, struct cirt_share_result *r);

/*
 * The rest of cirt_share_put, for an object cirt_share_check let through:
 * its version against the stored versions, then the row. r is filled
 * anew (without findings).
 */
int cirt_share_store(struct cirt_db *db, struct cirt_collection *c,
		     const struct cirt_share_offer *o, const char *bytes,
		     size_t len, int64_t date_added,
		     struct cirt_share_result *r,
		     struct cirt_diag *d) CIRT_MUST_CHECK;

/*
 * Offer one object to c, inside the caller's write transaction: bytes as
 * received, obj parsed from them. Refused: a finding of the validator, a
 * TLP marking above c's ceiling (TLP:RED always), or a version that breaks
 * STIX versioning against the stored versions (created changed, another
 * creator, after a revocation). 0 with r filled, or a negative store error
 * (the caller rolls back).
 */
int cirt_share_put(struct cirt_db *db, struct cirt_collection *c,
		   const char *bytes, size_t len, json_t *obj,
		   int64_t date_added, struct cirt_share_result *r,
		   struct cirt_diag *d) CIRT_MUST_CHECK;

/*
 * The same for an object the caller made (serialised here), where a
 * refusal is an error: -CIRT_EINVAL naming field, "<id> refused: <why>".
 * r (may not be NULL) tells stored from duplicate.
 */
int cirt_share_put_made(struct cirt_db *db, struct cirt_collection *c,
			json_t *obj, int64_t date_added, const char *field,
			struct cirt_share_result *r,
			struct cirt_diag *d) CIRT_MUST_CHECK;

/* The latest date_added in c, 0 if it holds nothing. */
int cirt_share_last_added(struct cirt_db *db, const struct cirt_collection *c,
			  int64_t *added, struct cirt_diag *d) CIRT_MUST_CHECK;

/*
 * Which versions a query returns. Lists are JSON arrays of strings
 * (version_added of integers). Versions above the reader's ceiling are as
 * if they were not stored: first and last are among those the reader
 * sees (within the spec versions asked for), and without spec versions
 * each object comes in the newest spec version the reader sees.
 */
struct cirt_share_query {
	int64_t after_added; /* rows after (after_added, after_seq): the */
	int64_t after_seq;   /* added_after filter or a paging cursor */
	const char *ids;     /* match[id], or NULL */
	const char *types;   /* match[type], or NULL */
	const char *spec_versions; /* match[spec_version]; NULL: the latest */
	bool all, first, last;	   /* match[version] */
	const char *version_keys;  /* exact versions, as sort keys, or NULL */
	const char *version_added; /* the same as date_added microseconds,
				      the versions of SCOs; with keys */
	enum cirt_tlp ceiling;	   /* the reader's: nothing above it */
	int64_t limit;
	bool with_body;
};

/* One version of an object; strings valid during the callback. */
struct cirt_share_row {
	int64_t seq;
	int64_t date_added;
	const char *id;
	const char *type;
	const char *version;
	const char *spec_version;
	const char *body; /* "" unless asked for */
	size_t body_len;
};

typedef int (*cirt_share_row_fn)(const struct cirt_share_row *row, void *arg);

/* The versions of c that q selects, oldest date_added first. */
int cirt_share_list(struct cirt_db *db, const struct cirt_collection *c,
		    const struct cirt_share_query *q, cirt_share_row_fn fn,
		    void *arg, struct cirt_diag *d) CIRT_MUST_CHECK;

/* 1 if c holds a version of stix_id at or below ceiling, else 0; or a
 * negative store error. */
int cirt_share_has(struct cirt_db *db, const struct cirt_collection *c,
		   const char *stix_id, enum cirt_tlp ceiling,
		   struct cirt_diag *d);

/*
 * Delete the versions of stix_id in c that q selects (its version and
 * spec version filters; ids is ignored), with an audit entry. *deleted
 * gets how many; -CIRT_ENOTFOUND if none matched.
 */
int cirt_share_delete(struct cirt_db *db, const struct cirt_actor *who,
		      const struct cirt_collection *c, const char *stix_id,
		      const struct cirt_share_query *q, int64_t *deleted,
		      struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
