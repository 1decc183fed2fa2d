/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The access log: one JSON object per answered request, one line each,
 * written with a single write(2) to stdout or an append-only file so that
 * lines from different threads never interleave. Never holds credentials:
 * only the path (no query string), the user name and the outcome.
 *
 * Layer: http. open() once at start-up; write() from any thread.
 */
#ifndef CIRT_HTTP_ACCESS_H
#define CIRT_HTTP_ACCESS_H

#include <stdint.h>

#include "core/err.h"

struct cirt_access_rec {
	const char *addr;
	const char *method;
	const char *path;
	const char *route; /* pattern, or NULL */
	const char *user;  /* or NULL */
	const char *agent; /* User-Agent, or NULL */
	int status;
	uint64_t bytes;
	int64_t duration_ns;
};

/* "-" for stdout, "off" for none, or a file path. */
int cirt_access_log_open(const char *spec, struct cirt_diag *d) CIRT_MUST_CHECK;
void cirt_access_log_write(const struct cirt_access_rec *rec);
void cirt_access_log_close(void);

#endif
