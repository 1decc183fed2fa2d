/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Taking in a stream of STIX objects (a bundle file, a TAXII envelope)
 * for one collection, on two cores: a reader thread parses each object
 * (stix/stix_bundle.h) and checks it (cirt_share_check: validation, TLP,
 * no store), and hands it through a bounded queue (core/queue.h) to the
 * caller's thread, which alone touches the store (cirt_share_store) and
 * hears of each outcome, in order. Memory stays flat whatever the size of
 * the stream: the reader runs at most 4096 objects or 8 MiB ahead. Small
 * inputs in memory are taken on the caller's thread alone, since a thread
 * would cost more than it saves.
 *
 * Layer: share. The caller owns the transaction; fn may commit and begin
 * another between objects (and change date_added).
 */
#ifndef CIRT_SHARE_INGEST_H
#define CIRT_SHARE_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "share/share_object.h"
#include "stix/stix_bundle.h"

/* One object's outcome, on the store's thread, in the stream's order. A
 * negative return stops the ingest and is returned. */
typedef int (*cirt_ingest_fn)(size_t index, const struct cirt_share_result *r,
			      void *arg);

struct cirt_ingest {
	struct cirt_db *db;
	struct cirt_collection *c;
	/* The date_added of the next object stored (then one microsecond
	 * more for each), raised past the collection's latest at the start:
	 * every object gets its own, so that a client paging by added_after
	 * and X-TAXII-Date-Added-Last loses nothing of a large batch. fn may
	 * raise it (to the time of a new transaction), never lower it. */
	int64_t date_added;
	cirt_ingest_fn fn;
	void *arg;
	/* What the reader made of the input, also on error (release with
	 * cirt_bundle_info_release): read_rc is 0, or the error of
	 * cirt_bundle_read (in read_d) after which nothing more came. */
	struct cirt_bundle_info info;
	int read_rc;
	struct cirt_diag read_d;
};

/*
 * Take in every object of src. 0 when the input was read to its end or
 * to a reading error (see in->read_rc); a negative store error (in d) or
 * fn's negative return otherwise, after which the caller rolls back.
 */
int cirt_share_ingest(struct cirt_ingest *in, const struct cirt_bundle_src *src,
		      const struct cirt_bundle_limits *lim,
		      struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
