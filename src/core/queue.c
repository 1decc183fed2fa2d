/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The bounded pipeline queue. See core/queue.h.
 */
#include "core/queue.h"

#include <stdlib.h>
#include <time.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/banned.h"

/* How long a waiting consumer may leave items it was not woken for. */
#define LOOK_AGAIN_NS (10 * 1000 * 1000L)

void cirt_queue_init(struct cirt_queue *q, size_t max_items, size_t max_bytes)
{
	pthread_condattr_t monotonic;

	CIRT_ASSERT(max_items > 0);
	pthread_mutex_init(&q->mu, NULL);
	pthread_condattr_init(&monotonic);
	pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
	pthread_cond_init(&q->not_empty, &monotonic);
	pthread_condattr_destroy(&monotonic);
	pthread_cond_init(&q->not_full, NULL);
	q->items = cirt_xcalloc(max_items, sizeof(*q->items));
	q->sizes = cirt_xcalloc(max_items, sizeof(*q->sizes));
	q->cap = max_items;
	q->head = q->n = q->bytes = 0;
	q->max_bytes = max_bytes;
	q->wake = max_items / 4 ? max_items / 4 : 1;
	q->ended = q->cancelled = false;
	q->producer_waits = q->consumer_waits = false;
}

static bool full(const struct cirt_queue *q, size_t size)
{
	return q->n == q->cap || (q->n > 0 && q->bytes + size > q->max_bytes);
}

/* Wake the consumer when enough is there to be worth a wake-up. */
static bool worth_popping(const struct cirt_queue *q)
{
	return q->n >= q->wake || q->bytes >= q->max_bytes / 2;
}

/* Wake the producer when enough room is there. */
static bool worth_pushing(const struct cirt_queue *q)
{
	return q->cap - q->n >= q->wake && q->bytes <= q->max_bytes / 2;
}

bool cirt_queue_push(struct cirt_queue *q, void *item, size_t size)
{
	size_t tail;

	pthread_mutex_lock(&q->mu);
	while (!q->cancelled && full(q, size)) {
		/* Whatever is there is all the consumer will get for now. */
		if (q->consumer_waits)
			pthread_cond_signal(&q->not_empty);
		q->producer_waits = true;
		pthread_cond_wait(&q->not_full, &q->mu);
	}
	q->producer_waits = false;
	if (q->cancelled) {
		pthread_mutex_unlock(&q->mu);
		return false;
	}
	CIRT_ASSERT(!q->ended);
	tail = (q->head + q->n) % q->cap;
	q->items[tail] = item;
	q->sizes[tail] = size;
	q->n++;
	q->bytes += size;
	if (q->consumer_waits && worth_popping(q))
		pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->mu);
	return true;
}

void *cirt_queue_pop(struct cirt_queue *q)
{
	void *item = NULL;

	pthread_mutex_lock(&q->mu);
	while (q->n == 0 && !q->ended && !q->cancelled) {
		/* A producer waiting for its input leaves fewer items than
		 * worth a wake-up: look again after a while. */
		struct timespec until;

		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += LOOK_AGAIN_NS;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		q->consumer_waits = true;
		pthread_cond_timedwait(&q->not_empty, &q->mu, &until);
	}
	q->consumer_waits = false;
	if (q->n > 0) {
		item = q->items[q->head];
		q->bytes -= q->sizes[q->head];
		q->head = (q->head + 1) % q->cap;
		q->n--;
		if (q->producer_waits && worth_pushing(q))
			pthread_cond_signal(&q->not_full);
	}
	pthread_mutex_unlock(&q->mu);
	return item;
}

void cirt_queue_end(struct cirt_queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->ended = true;
	pthread_cond_broadcast(&q->not_empty);
	pthread_mutex_unlock(&q->mu);
}

void cirt_queue_cancel(struct cirt_queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->cancelled = true;
	pthread_cond_broadcast(&q->not_full);
	pthread_cond_broadcast(&q->not_empty);
	pthread_mutex_unlock(&q->mu);
}

void cirt_queue_release(struct cirt_queue *q)
{
	free(q->items);
	free(q->sizes);
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
	pthread_mutex_destroy(&q->mu);
	q->items = NULL;
	q->sizes = NULL;
}
