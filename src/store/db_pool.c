/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Connection pool. See store/db_pool.h.
 */
#include "store/db_pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/banned.h"

struct cirt_db_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *sqlite_path;
	char *pg_conninfo;
	struct cirt_db **idle;
	size_t nidle;
	size_t open; /* connections in existence, idle or lent */
	size_t max;
};

static struct cirt_db_target target_of(const struct cirt_db_pool *p)
{
	struct cirt_db_target t = {p->sqlite_path, p->pg_conninfo, false};

	return t;
}

int cirt_db_pool_new(const struct cirt_db_target *t, size_t max,
		     struct cirt_db_pool **out, struct cirt_diag *d)
{
	struct cirt_db_pool *p = cirt_xcalloc(1, sizeof(*p));
	struct cirt_db_target first;
	struct cirt_db *db;
	int rc;

	CIRT_ASSERT(max > 0);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->sqlite_path = t->sqlite_path ? cirt_xstrdup(t->sqlite_path) : NULL;
	p->pg_conninfo = t->pg_conninfo ? cirt_xstrdup(t->pg_conninfo) : NULL;
	p->idle = cirt_xcalloc(max, sizeof(*p->idle));
	p->max = max;
	first = target_of(p);
	rc = cirt_db_open(&first, &db, d);
	if (rc < 0) {
		cirt_db_pool_free(p);
		*out = NULL;
		return rc;
	}
	p->idle[p->nidle++] = db;
	p->open = 1;
	*out = p;
	return 0;
}

int cirt_db_pool_get(struct cirt_db_pool *p, struct cirt_db **out,
		     struct cirt_diag *d)
{
	struct cirt_db_target t = target_of(p);
	struct cirt_db *db = NULL;
	int rc;

	pthread_mutex_lock(&p->mu);
	while (p->nidle == 0 && p->open == p->max)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->nidle > 0)
		db = p->idle[--p->nidle];
	else
		p->open++;
	pthread_mutex_unlock(&p->mu);

	if (db == NULL) {
		rc = cirt_db_open(&t, &db, d);
		if (rc < 0) {
			pthread_mutex_lock(&p->mu);
			p->open--;
			pthread_cond_signal(&p->cv);
			pthread_mutex_unlock(&p->mu);
			return rc;
		}
	}
	rc = cirt_db_check(db, d);
	if (rc < 0) {
		cirt_db_pool_put(p, db);
		return rc;
	}
	*out = db;
	return 0;
}

void cirt_db_pool_put(struct cirt_db_pool *p, struct cirt_db *db)
{
	if (cirt_db_in_tx(db)) {
		cirt_log_warnx("store: connection returned inside a "
			       "transaction; rolled back");
		cirt_db_rollback(db);
	}
	pthread_mutex_lock(&p->mu);
	CIRT_ASSERT(p->nidle < p->max);
	p->idle[p->nidle++] = db;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void cirt_db_pool_free(struct cirt_db_pool *p)
{
	if (p == NULL)
		return;
	if (p->nidle != p->open)
		cirt_log_warnx("store: pool freed with %zu connections lent",
			       p->open - p->nidle);
	for (size_t i = 0; i < p->nidle; i++)
		cirt_db_close(p->idle[i]);
	free(p->idle);
	free(p->sqlite_path);
	free(p->pg_conninfo);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
