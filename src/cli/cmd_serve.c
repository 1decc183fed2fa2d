/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit serve`: run the HTTP(S) API until SIGINT or SIGTERM. Opens a
 * pool of store connections (one per worker thread), refuses to start on
 * a store at another schema version, and prints one line when it is ready
 * to answer ("listening on http://HOST:PORT"), which scripts and tests
 * wait for. Any number of servers may share one PostgreSQL store: all
 * state that matters (users, tokens, sessions, audit) is in the store.
 *
 * Unless the schedule setting is 0, a scheduler thread looks every
 * schedule seconds for feeds that are due (feed/feed.h
 * cirt_feed_run_due) and then for digests that are due
 * (notify/notify.h, when an SMTP server is configured), on its own store
 * connection, as the actor "scheduler".
 *
 * Layer: cli. The main thread only waits for a signal; requests run on
 * libmicrohttpd's worker threads.
 */
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "detect/detect.h"
#include "feed/feed.h"
#include "http/http_access.h"
#include "http/http_metrics.h"
#include "http/http_server.h"
#include "incident/incident.h"
#include "iodef/iodef.h"
#include "notify/notify.h"
#include "store/db_pool.h"
#include "store/migrate.h"
#include "taxii/taxii.h"
#include "core/banned.h"

static const char usage[] =
	"usage: cirtkit serve [--data DIR | --db CONNINFO] [--listen "
	"HOST:PORT]\n"
	"                     [--tls-cert FILE --tls-key FILE]\n"
	"\n"
	"Serve the HTTP API until interrupted (SIGINT or SIGTERM).\n"
	"\n"
	"  --listen HOST:PORT  address to listen on, port 0 for any free one\n"
	"                      (CIRTKIT_LISTEN; default 127.0.0.1:8080)\n"
	"  --tls-cert FILE     PEM certificate chain: serve HTTPS\n"
	"  --tls-key FILE      PEM private key for it\n" CIRT_CLI_STORE_HELP;

/* Two per CPU, at least 4: a worker waiting on the store (an fsync, a
 * lock) should not leave a CPU idle (bench/README.md). */
static unsigned worker_threads(const struct cirt_config *cfg)
{
	long n;

	if (cfg->threads > 0)
		return (unsigned)cfg->threads;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 2 ? 4u : (unsigned)(2 * n);
}

/* The host part of the listen address, for the ready line. */
static void listen_host(const char *listen, char *out, size_t n)
{
	const char *colon = strrchr(listen, ':');
	size_t len = colon ? (size_t)(colon - listen) : strlen(listen);

	snprintf(out, n, "%.*s", (int)len, listen);
}

static int check_schema(struct cirt_db_pool *pool, struct cirt_diag *d)
{
	struct cirt_db *db;
	int rc = cirt_db_pool_get(pool, &db, d);

	if (rc < 0)
		return rc;
	rc = cirt_schema_check(db, d);
	cirt_db_pool_put(pool, db);
	return rc;
}

/* Every route the server answers: the API and TAXII, in one table. */
static struct cirt_route *all_routes(size_t *n)
{
	size_t na = cirt_api_route_count, nt = cirt_taxii_route_count;
	struct cirt_route *r = cirt_xcalloc(na + nt, sizeof(*r));

	memcpy(r, cirt_api_routes, na * sizeof(*r));
	memcpy(r + na, cirt_taxii_routes, nt * sizeof(*r));
	*n = na + nt;
	return r;
}

static int wait_for_signal(void)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigwait(&set, &sig) != 0)
		return -1;
	return sig;
}

/* A background thread (the scheduler, the indicator set's refresher):
 * tick every `every` seconds until stopped. */
struct worker {
	const char *name;
	struct cirt_cli *c;
	void (*tick)(struct worker *w, struct cirt_db *db);
	int64_t every;
	struct cirt_detect_live *live;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	bool started;
};

static void sched_done(const struct cirt_feed *f,
		       const struct cirt_feed_report *r, int rc,
		       const struct cirt_diag *d, void *arg)
{
	(void)arg;
	if (rc < 0)
		cirt_log(CIRT_LOG_WARNING, "feed %s: %s", f->name, d->message);
	else
		cirt_log(CIRT_LOG_INFO,
			 "feed %s: %s, %llu events, %llu stored, %llu "
			 "unrouted",
			 f->name, r->status, (unsigned long long)r->events,
			 (unsigned long long)r->stored,
			 (unsigned long long)r->unrouted);
}

/* One look: due feeds, then due digests. */
static void sched_tick(struct worker *w, struct cirt_db *db)
{
	struct cirt_cli *c = w->c;
	const struct cirt_actor actor = {"scheduler", "local"};
	struct cirt_feed_env fenv = {&c->cfg, &actor, CIRT_FEED_STORE};
	struct cirt_notify_env nenv = {&c->cfg, &actor, false};
	struct cirt_notify_report r;
	struct cirt_diag d;

	cirt_diag_init(&d);
	if (cirt_db_check(db, &d) < 0 ||
	    cirt_feed_run_due(db, &fenv, sched_done, NULL, NULL, &d) < 0)
		cirt_log(CIRT_LOG_WARNING, "scheduler: %s", d.message);
	if (!c->cfg.smtp[0])
		return;
	cirt_diag_init(&d);
	if (cirt_notify_run(db, &nenv, &r, &d) < 0)
		cirt_log(CIRT_LOG_WARNING, "scheduler: digests: %s", d.message);
	else if (r.due > 0)
		cirt_log(CIRT_LOG_INFO, "digests: %llu sent, %llu failed",
			 (unsigned long long)r.sent,
			 (unsigned long long)r.failed);
	cirt_notify_report_release(&r);
}

/* One look at the store's indicators: a new set when they changed. */
static void detect_tick(struct worker *w, struct cirt_db *db)
{
	struct cirt_diag d;

	cirt_diag_init(&d);
	if (cirt_db_check(db, &d) < 0 ||
	    cirt_detect_live_refresh(w->live, db, &w->c->cfg, &d) < 0)
		cirt_log(CIRT_LOG_WARNING, "indicators: %s", d.message);
}

static void *worker_main(void *arg)
{
	struct worker *s = arg;
	struct cirt_db_target t = cirt_cli_target(s->c);
	struct cirt_db *db = NULL;
	struct cirt_diag d;

	cirt_diag_init(&d);
	if (cirt_db_open(&t, &db, &d) < 0) {
		cirt_log(CIRT_LOG_ERR, "%s: %s", s->name, d.message);
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		struct timespec until;

		pthread_mutex_unlock(&s->lock);
		s->tick(s, db);
		pthread_mutex_lock(&s->lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)s->every;
		/* every 0: one tick, then only the stop. */
		while (!s->stop &&
		       (s->every > 0
				? pthread_cond_timedwait(&s->wake, &s->lock,
							 &until) == 0
				: pthread_cond_wait(&s->wake, &s->lock) == 0))
			;
	}
	pthread_mutex_unlock(&s->lock);
	cirt_db_close(db);
	return NULL;
}

/* A worker ticks every `every` seconds; with every 0, once if `once`,
 * else never. */
static void worker_start(struct worker *s, const char *name, struct cirt_cli *c,
			 void (*tick)(struct worker *, struct cirt_db *),
			 int64_t every, bool once,
			 struct cirt_detect_live *live)
{
	memset(s, 0, sizeof *s);
	s->name = name;
	s->c = c;
	s->tick = tick;
	s->every = every;
	s->live = live;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	if (every > 0 || once)
		s->started =
			pthread_create(&s->thread, NULL, worker_main, s) == 0;
}

static void worker_stop(struct worker *s)
{
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	if (s->started)
		pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
}

static int serve(struct cirt_cli *c, struct cirt_db_pool *pool,
		 const struct cirt_iodef_schema *schema, struct cirt_diag *d)
{
	struct cirt_http_opts o = {0};
	struct cirt_http *h = NULL;
	struct cirt_route *routes;
	struct worker sched, detect;
	struct cirt_detect_live *live = cirt_detect_live_new();
	size_t nroutes;
	char host[256];
	int rc, sig;

	o.listen = c->cfg.listen;
	o.tls_cert_file = c->cfg.tls_cert;
	o.tls_key_file = c->cfg.tls_key;
	o.insecure_http = c->cfg.insecure_http;
	o.threads = worker_threads(&c->cfg);
	o.max_body = (size_t)c->cfg.max_body;
	routes = all_routes(&nroutes);
	o.routes = routes;
	o.nroutes = nroutes;
	o.pool = pool;
	o.settings.max_body = o.max_body;
	o.settings.token_days = c->cfg.token_days;
	o.settings.session_hours = c->cfg.session_hours;
	o.max_upload = (size_t)c->cfg.evidence_max;
	o.settings.max_upload = o.max_upload;
	o.settings.incident_prefix = c->cfg.incident_prefix;
	o.settings.team_domain = c->cfg.team_domain;
	o.settings.iodef_schema = schema;
	o.settings.cfg = &c->cfg;
	o.settings.detect = live;
	cirt_metrics_init(routes, nroutes);
	rc = cirt_http_start(&o, &h, d);
	if (rc < 0) {
		cirt_metrics_free();
		free(routes);
		cirt_detect_live_free(live);
		return rc;
	}
	listen_host(c->cfg.listen, host, sizeof(host));
	cirt_log(CIRT_LOG_INFO, "listening on %s://%s:%u (%u threads, %s)",
		 c->cfg.tls_cert[0] ? "https" : "http", host, cirt_http_port(h),
		 o.threads, c->cfg.db[0] ? "PostgreSQL" : c->store_path);
	worker_start(&sched, "scheduler", c, sched_tick, c->cfg.schedule, false,
		     NULL);
	/* The set compiles in the background: the server answers at once,
	 * and the detect routes say 503 until the set is there. With
	 * detect_poll 0 it compiles once and is never refreshed. */
	worker_start(&detect, "indicators", c, detect_tick, c->cfg.detect_poll,
		     true, live);
	sig = wait_for_signal();
	cirt_log(CIRT_LOG_INFO, "signal %d: stopping", sig);
	worker_stop(&detect);
	worker_stop(&sched);
	cirt_http_stop(h);
	cirt_metrics_free();
	free(routes);
	cirt_detect_live_free(live);
	return 0;
}

static int run(struct cirt_cli *c)
{
	struct cirt_db_target t = cirt_cli_target(c);
	struct cirt_iodef_schema *schema = NULL;
	struct cirt_db_pool *pool = NULL;
	struct cirt_diag d;
	sigset_t set;
	int rc;

	cirt_diag_init(&d);
	cirt_iodef_setup();
	/* Block the stop signals before any thread exists, so that only
	 * sigwait() in this thread receives them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Argon2id takes 19 MiB per hash: keep such blocks in their own
	 * mappings, returned to the system when freed. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	rc = cirt_incident_check_prefix(c->cfg.incident_prefix, &d);
	if (rc == 0 && c->cfg.iodef_schema[0])
		rc = cirt_iodef_schema_load(c->cfg.iodef_schema, &schema, &d);
	if (rc == 0)
		rc = cirt_access_log_open(c->cfg.access_log, &d);
	if (rc == 0)
		rc = cirt_db_pool_new(&t, worker_threads(&c->cfg), &pool, &d);
	if (rc == 0)
		rc = check_schema(pool, &d);
	if (rc == 0)
		rc = serve(c, pool, schema, &d);
	cirt_db_pool_free(pool);
	cirt_iodef_schema_free(schema);
	cirt_access_log_close();
	return rc < 0 ? cirt_cli_fail(&d) : CIRT_EXIT_OK;
}

int cirt_cmd_serve(int argc, char **argv)
{
	static const struct cirt_cli_opt opts[] = {
		{"listen", NULL, "listen", NULL, 0},
		{"tls-cert", NULL, "tls_cert", NULL, 0},
		{"tls-key", NULL, "tls_key", NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0)
		rc = run(&c);
	cirt_cli_release(&c);
	return rc;
}
