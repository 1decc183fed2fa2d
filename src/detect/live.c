/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The live indicator set of a server (detect.h): one snapshot at a time,
 * replaced whole. Requests hold the snapshot they started with, so a
 * swap never waits for them and they never see half of a set.
 */
#include "detect/detect.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"

#include "core/banned.h"

struct cirt_detect_live {
	pthread_mutex_t lock;
	struct cirt_detect_set *set;
};

struct cirt_detect_live *cirt_detect_live_new(void)
{
	struct cirt_detect_live *l = cirt_xcalloc(1, sizeof *l);

	pthread_mutex_init(&l->lock, NULL);
	return l;
}

void cirt_detect_live_free(struct cirt_detect_live *l)
{
	if (!l)
		return;
	cirt_detect_set_drop(l->set);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

struct cirt_detect_set *cirt_detect_live_get(struct cirt_detect_live *l)
{
	struct cirt_detect_set *s;

	pthread_mutex_lock(&l->lock);
	s = cirt_detect_set_hold(l->set);
	pthread_mutex_unlock(&l->lock);
	return s;
}

void cirt_detect_live_swap(struct cirt_detect_live *l,
			   struct cirt_detect_set *s)
{
	struct cirt_detect_set *old;

	pthread_mutex_lock(&l->lock);
	old = l->set;
	l->set = s;
	pthread_mutex_unlock(&l->lock);
	cirt_detect_set_drop(old);
}

int cirt_detect_live_refresh(struct cirt_detect_live *l, struct cirt_db *db,
			     const struct cirt_config *cfg, struct cirt_diag *d)
{
	struct cirt_detect_set *cur = cirt_detect_live_get(l), *fresh = NULL;
	int64_t marker[2];
	bool due;
	int rc;

	rc = cirt_detect_marker(db, marker, d);
	due = rc == 0 &&
	      (!cur || memcmp(marker, cur->marker, sizeof marker) != 0 ||
	       cirt_time_now_us() - cur->compiled_at >=
		       cfg->detect_rebuild * INT64_C(1000000));
	cirt_detect_set_drop(cur);
	if (!due)
		return rc;
	rc = cirt_detect_compile(db, cfg, &fresh, d);
	if (rc < 0)
		return rc;
	cirt_log(CIRT_LOG_INFO, "indicators: %lld compiled in %.2f s",
		 (long long)json_integer_value(
			 json_object_get(fresh->report, "sources")),
		 fresh->seconds);
	cirt_detect_live_swap(l, fresh);
	return 1;
}
