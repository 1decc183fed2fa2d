/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * JSON-lines access log. See http/http_access.h.
 */
#include "http/http_access.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/json.h"
#include "core/log.h"
#include "core/time.h"
#include "core/banned.h"

static int log_fd = -1;
static int own_fd; /* we opened it and close it */

int cirt_access_log_open(const char *spec, struct cirt_diag *d)
{
	if (strcmp(spec, "off") == 0) {
		log_fd = -1;
		return 0;
	}
	if (strcmp(spec, "-") == 0) {
		log_fd = STDOUT_FILENO;
		own_fd = 0;
		return 0;
	}
	log_fd = open(spec, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (log_fd < 0)
		return cirt_diag_set(d, -CIRT_EIO, "access_log",
				     "cannot open access log %s: %s", spec,
				     strerror(errno));
	own_fd = 1;
	return 0;
}

void cirt_access_log_close(void)
{
	if (own_fd && log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	own_fd = 0;
}

/* Copy text a client controls into out as printable ASCII, with '?' for
 * every other byte: the line is always valid JSON, whatever was sent. */
static const char *clean(const char *in, char *out, size_t n)
{
	size_t i = 0;

	if (in == NULL)
		return NULL;
	for (; in[i] && i + 1 < n; i++)
		out[i] = in[i] >= 0x20 && in[i] < 0x7f ? in[i] : '?';
	out[i] = '\0';
	return out;
}

void cirt_access_log_write(const struct cirt_access_rec *rec)
{
	char path[1024], agent[256];
	json_t *o;
	char *line;
	size_t len;

	if (log_fd < 0)
		return;
	o = json_pack("{s:o, s:s, s:s, s:s, s:s?, s:i, s:I, s:f, s:s?, s:s?}",
		      "time", cirt_json_time(cirt_time_now_us()), "addr",
		      rec->addr, "method", rec->method, "path",
		      clean(rec->path, path, sizeof(path)), "route", rec->route,
		      "status", rec->status, "bytes", (json_int_t)rec->bytes,
		      "duration_ms", (double)rec->duration_ns / 1e6, "user",
		      rec->user, "agent",
		      clean(rec->agent, agent, sizeof(agent)));
	if (o == NULL)
		return;
	line = cirt_json_dump(o, &len);
	json_decref(o);
	line[len] = '\n'; /* replaces the NUL; we pass the length */
	if (write(log_fd, line, len + 1) < 0)
		cirt_log_warn("access log");
	free(line);
}
