/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The pipeline queue (core/queue.c): order, end and cancel on one thread;
 * the item and byte bounds (an item over the byte bound passes alone);
 * then a producer and a consumer on two threads through a queue of 4,
 * every item arriving once and in order, and a consumer that cancels
 * half-way stopping the producer without losing or leaking an item, and
 * an item pushed by a producer that then waits for its input reaching
 * the consumer without the queue filling or ending.
 */
#include "testlib.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "core/queue.h"

#define ITEMS 20000

static void *as_item(uintptr_t v)
{
	return (void *)v;
}

static void test_queue_order_and_end(void **state)
{
	struct cirt_queue q;

	(void)state;
	cirt_queue_init(&q, 4, 1000);
	for (uintptr_t i = 1; i <= 4; i++)
		assert_true(cirt_queue_push(&q, as_item(i), 10));
	assert_int_equal(q.n, 4);
	assert_int_equal(q.bytes, 40);
	assert_ptr_equal(cirt_queue_pop(&q), as_item(1));
	assert_true(cirt_queue_push(&q, as_item(5), 10)); /* wraps round */
	cirt_queue_end(&q);
	for (uintptr_t i = 2; i <= 5; i++)
		assert_ptr_equal(cirt_queue_pop(&q), as_item(i));
	assert_null(cirt_queue_pop(&q)); /* ended and empty */
	assert_int_equal(q.bytes, 0);
	cirt_queue_release(&q);
}

static void test_queue_cancel(void **state)
{
	struct cirt_queue q;

	(void)state;
	cirt_queue_init(&q, 4, 1000);
	assert_true(cirt_queue_push(&q, as_item(1), 1));
	cirt_queue_cancel(&q);
	assert_false(cirt_queue_push(&q, as_item(2), 1));
	/* what was there can still be taken, to be freed */
	assert_ptr_equal(cirt_queue_pop(&q), as_item(1));
	assert_null(cirt_queue_pop(&q));
	cirt_queue_release(&q);
}

static void test_queue_oversized_item_passes_alone(void **state)
{
	struct cirt_queue q;

	(void)state;
	cirt_queue_init(&q, 8, 100);
	assert_true(cirt_queue_push(&q, as_item(1), 500));
	assert_int_equal(q.bytes, 500);
	assert_ptr_equal(cirt_queue_pop(&q), as_item(1));
	/* just under and at the bound fit together; one byte more not */
	assert_true(cirt_queue_push(&q, as_item(2), 60));
	assert_true(cirt_queue_push(&q, as_item(3), 40));
	assert_int_equal(q.bytes, 100);
	cirt_queue_release(&q);
}

struct pair {
	struct cirt_queue q;
	uintptr_t pushed; /* by the producer */
	bool stopped;	  /* a push failed */
};

static void *produce(void *arg)
{
	struct pair *p = arg;

	for (uintptr_t i = 1; i <= ITEMS; i++) {
		if (!cirt_queue_push(&p->q, as_item(i), i % 97)) {
			p->stopped = true;
			break;
		}
		p->pushed = i;
	}
	cirt_queue_end(&p->q);
	return NULL;
}

static void test_queue_two_threads(void **state)
{
	struct pair p = {0};
	pthread_t t;
	uintptr_t want = 1;
	void *it;

	(void)state;
	cirt_queue_init(&p.q, 4, 150);
	assert_int_equal(pthread_create(&t, NULL, produce, &p), 0);
	while ((it = cirt_queue_pop(&p.q)) != NULL)
		assert_true((uintptr_t)it == want++);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(want - 1, ITEMS);
	assert_false(p.stopped);
	cirt_queue_release(&p.q);
}

static void test_queue_consumer_cancels(void **state)
{
	struct pair p = {0};
	pthread_t t;
	uintptr_t got = 0, want = 1;
	void *it;

	(void)state;
	cirt_queue_init(&p.q, 4, 1000);
	assert_int_equal(pthread_create(&t, NULL, produce, &p), 0);
	while ((it = cirt_queue_pop(&p.q)) != NULL) {
		assert_true((uintptr_t)it == want++);
		if (++got == ITEMS / 2)
			cirt_queue_cancel(&p.q);
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	/* the rest, as the consumer frees them after the join */
	while ((it = cirt_queue_pop(&p.q)) != NULL)
		assert_true((uintptr_t)it == want++);
	assert_true(p.stopped);
	/* every item pushed was taken once */
	assert_int_equal(want - 1, p.pushed);
	assert_true(p.pushed < ITEMS);
	cirt_queue_release(&p.q);
}

/* A producer that pushes one item and then waits (for its input, say)
 * must not keep it from the consumer until the queue fills. */
static void *push_one_and_wait(void *arg)
{
	struct pair *p = arg;
	struct timespec pause = {0, 1000 * 1000};

	if (!cirt_queue_push(&p->q, as_item(1), 1))
		return NULL;
	for (int i = 0;
	     i < 10000 && !__atomic_load_n(&p->stopped, __ATOMIC_ACQUIRE); i++)
		nanosleep(&pause, NULL);
	cirt_queue_end(&p->q);
	return NULL;
}

static void test_queue_item_not_held_back(void **state)
{
	struct pair p = {0};
	pthread_t t;
	bool ended;

	(void)state;
	cirt_queue_init(&p.q, 1024, 1 << 20);
	assert_int_equal(pthread_create(&t, NULL, push_one_and_wait, &p), 0);
	/* The producer ends only after the consumer has its item (or after
	 * 10 s, which fails the test: the item came only with the end). */
	assert_ptr_equal(cirt_queue_pop(&p.q), as_item(1));
	pthread_mutex_lock(&p.q.mu);
	ended = p.q.ended;
	pthread_mutex_unlock(&p.q.mu);
	assert_false(ended);
	__atomic_store_n(&p.stopped, true, __ATOMIC_RELEASE);
	assert_null(cirt_queue_pop(&p.q));
	assert_int_equal(pthread_join(t, NULL), 0);
	cirt_queue_release(&p.q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_order_and_end),
		cmocka_unit_test(test_queue_cancel),
		cmocka_unit_test(test_queue_oversized_item_passes_alone),
		cmocka_unit_test(test_queue_two_threads),
		cmocka_unit_test(test_queue_consumer_cancels),
		cmocka_unit_test(test_queue_item_not_held_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
