/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Request counters and latency histograms for /metrics, in the Prometheus
 * text format (version 0.0.4). Counters are per process, as Prometheus
 * expects: each server of a cluster is scraped on its own.
 *
 * Layer: http. cirt_metrics_init() once before serving; observe() from any
 * worker thread (relaxed atomics, no locks); render() from any thread.
 */
#ifndef CIRT_HTTP_METRICS_H
#define CIRT_HTTP_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "http/http.h"

/* Set up counters for routes[0..n); the table must outlive the metrics. */
void cirt_metrics_init(const struct cirt_route *routes, size_t n);
void cirt_metrics_free(void);

/* Count one answered request: route index (-1 when no route matched),
 * status and duration in nanoseconds. */
void cirt_metrics_observe(int route, int status, int64_t ns);

/* Append the HTTP and process metrics to out. */
int cirt_metrics_render(struct cirt_buf *out) CIRT_MUST_CHECK;

#endif
