/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * A bounded blocking queue from one producer thread to one consumer
 * thread, so that a pipeline (parse on one core, store on another) runs
 * in flat memory: push waits while the queue holds max_items items or
 * max_bytes bytes (an item larger than max_bytes still passes, alone).
 * A waiting thread is woken when a quarter of the queue is worth its
 * while, not at every item, so the threads hand over in runs and do not
 * pay a wake-up per item; a waiting consumer also looks every 10 ms, so
 * items pushed before the producer stops to wait for its own input are
 * not held back.
 *
 * The producer calls cirt_queue_end when it has nothing more; the
 * consumer then pops what is left and gets NULL. The consumer calls
 * cirt_queue_cancel to give up: pushes fail from then on (the producer
 * keeps its item), so the producer stops; after joining it, the consumer
 * pops the remaining items to free them.
 *
 * Layer: core. Thread-safe as described; allocation failure aborts.
 */
#ifndef CIRT_CORE_QUEUE_H
#define CIRT_CORE_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/compiler.h"

struct cirt_queue {
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	void **items;
	size_t *sizes;
	size_t cap, head, n;
	size_t bytes, max_bytes;
	size_t wake; /* items worth waking a waiting thread for */
	bool ended, cancelled;
	bool producer_waits, consumer_waits;
};

void cirt_queue_init(struct cirt_queue *q, size_t max_items, size_t max_bytes);

/* Wait for room, then add item of the given size; false once cancelled. */
bool cirt_queue_push(struct cirt_queue *q, void *item,
		     size_t size) CIRT_MUST_CHECK;

/* Wait for an item and take it; NULL once the queue is empty and ended
 * or cancelled. */
void *cirt_queue_pop(struct cirt_queue *q);

void cirt_queue_end(struct cirt_queue *q);
void cirt_queue_cancel(struct cirt_queue *q);

/* Free the queue's own memory (not the items left in it). */
void cirt_queue_release(struct cirt_queue *q);

#endif
