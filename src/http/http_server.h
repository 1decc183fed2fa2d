/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The HTTP(S) server on libmicrohttpd: a pool of worker threads with epoll,
 * each request answered by the route table given at start. Plain HTTP is
 * refused on a non-loopback address unless insecure_http says otherwise;
 * HTTPS (GnuTLS inside libmicrohttpd) accepts TLS 1.2 and 1.3 only.
 *
 * Layer: http. start() and stop() from the main thread.
 */
#ifndef CIRT_HTTP_SERVER_H
#define CIRT_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "store/db_pool.h"

struct cirt_http_opts {
	const char *listen;	   /* HOST:PORT; port 0 picks a free one */
	const char *tls_cert_file; /* NULL or "" for plain HTTP */
	const char *tls_key_file;
	bool insecure_http;
	unsigned threads;
	size_t max_body;
	size_t max_upload; /* bodies of CIRT_ROUTE_UPLOAD routes */
	const struct cirt_route *routes; /* must outlive the server */
	size_t nroutes;
	struct cirt_db_pool *pool;
	struct cirt_http_settings settings;
};

struct cirt_http;

int cirt_http_start(const struct cirt_http_opts *o, struct cirt_http **out,
		    struct cirt_diag *d) CIRT_MUST_CHECK;

/* The port actually bound. */
unsigned cirt_http_port(const struct cirt_http *h);

/* Stop accepting, finish requests in flight, free. NULL is a no-op. */
void cirt_http_stop(struct cirt_http *h);

/* The HTTP status an error code is answered with (the one mapping). */
int cirt_http_status_of(int code);

#endif
