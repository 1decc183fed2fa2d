/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Prometheus counters. See http/http_metrics.h.
 */
#include "http/http_metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/time.h"
#include "version.h"
#include "core/banned.h"

static const int statuses[] = {200, 201, 204, 400, 401, 403, 404, 405,
			       406, 409, 413, 415, 422, 500, 503, 0};
#define NSTATUS CIRT_ARRAY_LEN(statuses) /* last slot: any other */

/* Upper bounds in microseconds; the last bucket is +Inf. */
static const int64_t bounds_us[] = {500,     1000,    2500,   5000,   10000,
				    25000,   50000,   100000, 250000, 500000,
				    1000000, 2500000, 5000000};
#define NBUCKET (CIRT_ARRAY_LEN(bounds_us) + 1)

struct route_stats {
	atomic_uint_fast64_t count[NSTATUS];
	atomic_uint_fast64_t bucket[NBUCKET];
	atomic_uint_fast64_t sum_us;
};

static const struct cirt_route *route_table;
static size_t nroutes;
static struct route_stats *stats; /* nroutes + 1: the last is "unmatched" */
static int64_t started_us;

void cirt_metrics_init(const struct cirt_route *routes, size_t n)
{
	route_table = routes;
	nroutes = n;
	stats = cirt_xcalloc(n + 1, sizeof(*stats));
	for (size_t r = 0; r <= n; r++) {
		for (size_t i = 0; i < NSTATUS; i++)
			atomic_init(&stats[r].count[i], 0);
		for (size_t i = 0; i < NBUCKET; i++)
			atomic_init(&stats[r].bucket[i], 0);
		atomic_init(&stats[r].sum_us, 0);
	}
	started_us = cirt_time_now_us();
}

void cirt_metrics_free(void)
{
	CIRT_FREE(stats);
	nroutes = 0;
}

void cirt_metrics_observe(int route, int status, int64_t ns)
{
	struct route_stats *s;
	int64_t us = ns / 1000;
	size_t i;

	if (stats == NULL)
		return;
	s = &stats[route >= 0 && (size_t)route < nroutes ? (size_t)route
							 : nroutes];
	for (i = 0; i < NSTATUS - 1 && statuses[i] != status; i++)
		;
	atomic_fetch_add_explicit(&s->count[i], 1, memory_order_relaxed);
	for (i = 0; i < NBUCKET - 1 && us > bounds_us[i]; i++)
		;
	atomic_fetch_add_explicit(&s->bucket[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->sum_us, (uint_fast64_t)(us > 0 ? us : 0),
				  memory_order_relaxed);
}

static uint64_t load(atomic_uint_fast64_t *v)
{
	return atomic_load_explicit(v, memory_order_relaxed);
}

static void labels(size_t r, char *out, size_t n)
{
	if (r < nroutes)
		snprintf(out, n, "method=\"%s\",route=\"%s\"",
			 route_table[r].method, route_table[r].pattern);
	else
		snprintf(out, n, "method=\"*\",route=\"unmatched\"");
}

static int render_counts(struct cirt_buf *out)
{
	char lab[256];
	int rc = cirt_buf_adds(
		out, "# HELP cirtkit_http_requests_total HTTP requests "
		     "answered, by route, method and status.\n"
		     "# TYPE cirtkit_http_requests_total counter\n");

	for (size_t r = 0; rc == 0 && r <= nroutes; r++) {
		labels(r, lab, sizeof(lab));
		for (size_t i = 0; rc == 0 && i < NSTATUS; i++) {
			uint64_t v = load(&stats[r].count[i]);

			if (v == 0)
				continue;
			if (statuses[i])
				rc = cirt_buf_addf(
					out,
					"cirtkit_http_requests_total{%s,"
					"status=\"%d\"} %llu\n",
					lab, statuses[i],
					(unsigned long long)v);
			else
				rc = cirt_buf_addf(
					out,
					"cirtkit_http_requests_total{%s,"
					"status=\"other\"} %llu\n",
					lab, (unsigned long long)v);
		}
	}
	return rc;
}

static int render_histogram(struct cirt_buf *out, size_t r)
{
	uint64_t total = 0;
	char lab[256];
	int rc = 0;

	for (size_t i = 0; i < NBUCKET; i++)
		total += load(&stats[r].bucket[i]);
	if (total == 0)
		return 0;
	labels(r, lab, sizeof(lab));
	total = 0;
	for (size_t i = 0; rc == 0 && i < NBUCKET; i++) {
		total += load(&stats[r].bucket[i]);
		if (i < NBUCKET - 1)
			rc = cirt_buf_addf(
				out,
				"cirtkit_http_request_duration_seconds_bucket"
				"{%s,le=\"%g\"} %llu\n",
				lab, (double)bounds_us[i] / 1e6,
				(unsigned long long)total);
		else
			rc = cirt_buf_addf(
				out,
				"cirtkit_http_request_duration_seconds_bucket"
				"{%s,le=\"+Inf\"} %llu\n",
				lab, (unsigned long long)total);
	}
	if (rc == 0)
		rc = cirt_buf_addf(
			out,
			"cirtkit_http_request_duration_seconds_sum{%s} %.6f\n"
			"cirtkit_http_request_duration_seconds_count{%s} "
			"%llu\n",
			lab, (double)load(&stats[r].sum_us) / 1e6, lab,
			(unsigned long long)total);
	return rc;
}

/* Resident set size from /proc/self/statm, in bytes; 0 if unknown. */
static long long resident_bytes(void)
{
	long long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%lld %lld", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return resident * sysconf(_SC_PAGESIZE);
}

int cirt_metrics_render(struct cirt_buf *out)
{
	int rc = render_counts(out);

	if (rc == 0)
		rc = cirt_buf_adds(
			out, "# HELP cirtkit_http_request_duration_seconds "
			     "Time from request start to response queued.\n"
			     "# TYPE cirtkit_http_request_duration_seconds "
			     "histogram\n");
	for (size_t r = 0; rc == 0 && r <= nroutes; r++)
		rc = render_histogram(out, r);
	if (rc == 0)
		rc = cirt_buf_addf(
			out,
			"# HELP cirtkit_build_info Version of this binary.\n"
			"# TYPE cirtkit_build_info gauge\n"
			"cirtkit_build_info{version=\"%s\"} 1\n"
			"# HELP cirtkit_process_resident_memory_bytes "
			"Resident memory.\n"
			"# TYPE cirtkit_process_resident_memory_bytes gauge\n"
			"cirtkit_process_resident_memory_bytes %lld\n"
			"# HELP cirtkit_process_start_time_seconds Start "
			"time, Unix seconds.\n"
			"# TYPE cirtkit_process_start_time_seconds gauge\n"
			"cirtkit_process_start_time_seconds %lld\n",
			CIRT_VERSION, resident_bytes(),
			(long long)(started_us / CIRT_US_PER_SEC));
	return rc;
}
