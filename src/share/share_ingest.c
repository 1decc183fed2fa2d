/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * A stream of STIX objects into a collection on two threads. See
 * share/share_ingest.h.
 */
#include "share/share_ingest.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/queue.h"
#include "core/banned.h"

/* What the reader may have parsed ahead of the store. */
#define AHEAD_ITEMS 4096
#define AHEAD_BYTES (8u << 20)

/* Inputs in memory below this are read on the caller's thread. */
#define ALONE_BYTES (64u << 10)

/* An object on its way from the reader to the store. */
struct item {
	size_t index;
	struct cirt_share_result *refused; /* why, or NULL: store it */
	struct cirt_share_offer offer;
	size_t len;
	char bytes[]; /* as received */
};

struct run {
	struct cirt_ingest *in;
	struct cirt_queue q;
	const struct cirt_bundle_src *src;
	const struct cirt_bundle_limits *lim;
	struct cirt_diag *d; /* the store's */
	int store_rc;	     /* on one thread: what stopped the reading */
};

/* ---- on the reader's thread ---- */

static int offer_one(const char *bytes, size_t len, json_t *obj, size_t index,
		     void *arg)
{
	struct run *run = arg;
	struct item *it = cirt_xmalloc(sizeof(*it) + len);
	struct cirt_share_result r;

	cirt_share_check(run->in->c, obj, &it->offer, &r);
	it->index = index;
	it->refused = NULL;
	if (r.outcome != CIRT_SHARE_STORED) {
		it->refused = cirt_xmalloc(sizeof(r));
		memcpy(it->refused, &r, sizeof(r));
	}
	it->len = len;
	memcpy(it->bytes, bytes, len);
	if (!cirt_queue_push(&run->q, it, sizeof(*it) + len)) {
		free(it->refused);
		free(it);
		return -CIRT_EAGAIN; /* the store gave up */
	}
	return 0;
}

static void *read_all(void *arg)
{
	struct run *run = arg;

	run->in->read_rc = cirt_bundle_read(run->src, run->lim, offer_one, run,
					    &run->in->info, &run->in->read_d);
	cirt_queue_end(&run->q);
	return NULL;
}

/* ---- on the store's thread ---- */

/* Store one checked object (unless refused) and tell the caller. */
static int store_one(struct run *run, size_t index,
		     const struct cirt_share_offer *o,
		     const struct cirt_share_result *refused, const char *bytes,
		     size_t len)
{
	struct cirt_ingest *in = run->in;
	struct cirt_share_result r;
	int rc;

	if (refused)
		return in->fn(index, refused, in->arg);
	rc = cirt_share_store(in->db, in->c, o, bytes, len, in->date_added, &r,
			      run->d);
	if (rc < 0)
		return rc;
	if (r.outcome == CIRT_SHARE_STORED)
		in->date_added++;
	return in->fn(index, &r, in->arg);
}

static int piped(struct run *run)
{
	struct item *it;
	pthread_t t;
	int rc = 0;

	cirt_queue_init(&run->q, AHEAD_ITEMS, AHEAD_BYTES);
	if (pthread_create(&t, NULL, read_all, run) != 0) {
		cirt_queue_release(&run->q);
		return cirt_diag_set(run->d, -CIRT_EINTERNAL, NULL,
				     "cannot start the reader thread");
	}
	while ((it = cirt_queue_pop(&run->q)) != NULL) {
		if (rc == 0) {
			rc = store_one(run, it->index, &it->offer, it->refused,
				       it->bytes, it->len);
			if (rc < 0)
				cirt_queue_cancel(&run->q);
		}
		free(it->refused);
		free(it);
	}
	pthread_join(t, NULL);
	cirt_queue_release(&run->q);
	if (rc < 0)
		run->in->read_rc = 0; /* the store stopped it, not the input */
	return rc;
}

/* The same, on one thread: check and store each object as it comes. */
static int put_one(const char *bytes, size_t len, json_t *obj, size_t index,
		   void *arg)
{
	struct run *run = arg;
	struct cirt_share_offer o;
	struct cirt_share_result r;
	int rc;

	cirt_share_check(run->in->c, obj, &o, &r);
	rc = store_one(run, index, &o,
		       r.outcome == CIRT_SHARE_STORED ? NULL : &r, bytes, len);
	if (rc < 0)
		run->store_rc = rc;
	return rc;
}

static int alone(struct run *run)
{
	run->in->read_rc = cirt_bundle_read(run->src, run->lim, put_one, run,
					    &run->in->info, &run->in->read_d);
	if (run->store_rc < 0) {
		run->in->read_rc = 0; /* the store stopped it, not the input */
		return run->store_rc;
	}
	return 0;
}

int cirt_share_ingest(struct cirt_ingest *in, const struct cirt_bundle_src *src,
		      const struct cirt_bundle_limits *lim, struct cirt_diag *d)
{
	struct run run = {.in = in, .src = src, .lim = lim, .d = d};
	int64_t last;
	int rc;

	in->read_rc = 0;
	cirt_diag_init(&in->read_d);
	memset(&in->info, 0, sizeof(in->info));
	rc = cirt_share_last_added(in->db, in->c, &last, d);
	if (rc < 0)
		return rc;
	if (in->date_added <= last)
		in->date_added = last + 1;
	if (src->fd < 0 && src->mem_len < ALONE_BYTES)
		return alone(&run);
	return piped(&run);
}
