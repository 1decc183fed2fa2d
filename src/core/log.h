/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Diagnostic logging for operators: one line per event on stderr, with a
 * UTC timestamp and a syslog level. Machine events (the HTTP access log) go
 * through their own streams, not here.
 *
 * Layer: core. Thread-safe: each line is written with one write(2).
 * Never log secrets (passwords, tokens, cookies) or TLP:RED content.
 */
#ifndef CIRT_CORE_LOG_H
#define CIRT_CORE_LOG_H

#include "core/compiler.h"

enum cirt_log_level {
	CIRT_LOG_ERR = 3,
	CIRT_LOG_WARNING = 4,
	CIRT_LOG_INFO = 6,
	CIRT_LOG_DEBUG = 7,
};

/* Set the most verbose level that is still written (default INFO). */
void cirt_log_set_level(enum cirt_log_level level);

/* Parse "error", "warning", "info" or "debug"; -1 if unknown. */
int cirt_log_parse_level(const char *name);

void cirt_log(enum cirt_log_level level, const char *fmt, ...)
	CIRT_PRINTF(2, 3);
/* Warning with ": strerror(errno)" appended. */
void cirt_log_warn(const char *fmt, ...) CIRT_PRINTF(1, 2);
/* Warning without errno. */
void cirt_log_warnx(const char *fmt, ...) CIRT_PRINTF(1, 2);
/* Log an error with strerror(errno) and exit(1). */
CIRT_NORETURN void cirt_fatal(const char *fmt, ...) CIRT_PRINTF(1, 2);
/* Log an error and exit(1). */
CIRT_NORETURN void cirt_fatalx(const char *fmt, ...) CIRT_PRINTF(1, 2);

/* Always-on assertion for conditions no input can cause (a bug). */
#define CIRT_ASSERT(cond)                                            \
	do {                                                         \
		if (!(cond))                                         \
			cirt_assert_fail(#cond, __FILE__, __LINE__); \
	} while (0)

CIRT_NORETURN void cirt_assert_fail(const char *expr, const char *file,
				    int line);

#endif
