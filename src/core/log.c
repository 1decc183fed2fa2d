/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Operator log on stderr. See core/log.h.
 */
#include "core/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/time.h"
#include "core/banned.h"

static atomic_int log_level = CIRT_LOG_INFO;

static const char *level_name(enum cirt_log_level level)
{
	switch (level) {
	case CIRT_LOG_ERR:
		return "error";
	case CIRT_LOG_WARNING:
		return "warning";
	case CIRT_LOG_INFO:
		return "info";
	case CIRT_LOG_DEBUG:
		return "debug";
	}
	return "?";
}

void cirt_log_set_level(enum cirt_log_level level)
{
	atomic_store(&log_level, (int)level);
}

int cirt_log_parse_level(const char *name)
{
	static const enum cirt_log_level levels[] = {
		CIRT_LOG_ERR, CIRT_LOG_WARNING, CIRT_LOG_INFO, CIRT_LOG_DEBUG};

	for (size_t i = 0; i < CIRT_ARRAY_LEN(levels); i++)
		if (strcmp(name, level_name(levels[i])) == 0)
			return (int)levels[i];
	return -1;
}

static void vlog(enum cirt_log_level level, int errnum, const char *fmt,
		 va_list ap) CIRT_PRINTF(3, 0);

static void vlog(enum cirt_log_level level, int errnum, const char *fmt,
		 va_list ap)
{
	char line[2048];
	char ts[CIRT_TIME_LEN];
	int n, m;

	if ((int)level > atomic_load(&log_level))
		return;
	cirt_time_format(cirt_time_now_us(), ts);
	n = snprintf(line, sizeof(line), "%s cirtkit[%ld] %s: ", ts,
		     (long)getpid(), level_name(level));
	if (n < 0)
		return;
	m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (m > 0)
		n = CIRT_MIN(n + m, (int)sizeof(line) - 2);
	if (errnum != 0)
		n += snprintf(line + n, sizeof(line) - (size_t)n - 1, ": %s",
			      strerror(errnum));
	n = CIRT_MIN(n, (int)sizeof(line) - 2);
	line[n++] = '\n';
	/* One write per line keeps lines whole across threads. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

void cirt_log(enum cirt_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, 0, fmt, ap);
	va_end(ap);
}

void cirt_log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(CIRT_LOG_WARNING, saved, fmt, ap);
	va_end(ap);
}

void cirt_log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(CIRT_LOG_WARNING, 0, fmt, ap);
	va_end(ap);
}

void cirt_fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(CIRT_LOG_ERR, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void cirt_fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(CIRT_LOG_ERR, 0, fmt, ap);
	va_end(ap);
	exit(1);
}

void cirt_assert_fail(const char *expr, const char *file, int line)
{
	cirt_log(CIRT_LOG_ERR, "assertion failed: %s at %s:%d", expr, file,
		 line);
	abort();
}
