/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The error convention: a closed set of codes, returned negated by every
 * action function (0 is success), and a diagnostic object that carries the
 * human message and the offending field from the place that found the
 * problem to the place that reports it (CLI line, HTTP error body).
 *
 * Layer: core. A diag is owned by one caller and used from one thread.
 *
 * The first error set on a diag is sticky: later cirt_diag_set() calls
 * return their code but keep the first message, so deep code can report
 * the root cause and the boundary checks once. The message and field are
 * always valid UTF-8 (bytes that are not, such as echoed input or a
 * character cut at the end, become '?'), so they can go into JSON as they
 * are. See docs/internals/errors.md.
 */
#ifndef CIRT_CORE_ERR_H
#define CIRT_CORE_ERR_H

#include <stdarg.h>
#include <stddef.h>

#include "core/compiler.h"

/* Codes are positive here and negated when returned: return -CIRT_EINVAL. */
enum cirt_err {
	CIRT_OK = 0,
	CIRT_EINVAL,	/* bad input: malformed, out of range, unknown name */
	CIRT_ELIMIT,	/* a budget was exceeded: size, depth, count */
	CIRT_ENOTFOUND, /* the named object does not exist */
	CIRT_ECONFLICT, /* exists already, stale version, illegal transition */
	CIRT_EPERM,	/* authenticated, but the role may not */
	CIRT_EAUTH,	/* no valid credentials */
	CIRT_EMEDIA,	/* wrong content type */
	CIRT_EIO,	/* storage, file or network failure */
	CIRT_EPROTO,	/* a peer violated a protocol */
	CIRT_EAGAIN,	/* busy, retry later */
	CIRT_EINTERNAL, /* a bug */
	CIRT_ERR_COUNT
};

#define CIRT_DIAG_MSG_MAX   512
#define CIRT_DIAG_FIELD_MAX 128

struct cirt_diag {
	int code;			 /* 0 or a negative CIRT_E* code */
	char field[CIRT_DIAG_FIELD_MAX]; /* offending field, "" if none */
	char message[CIRT_DIAG_MSG_MAX]; /* one sentence, no newline */
};

/* Reset a diag to "no error". */
void cirt_diag_init(struct cirt_diag *d);

/*
 * Record an error unless one is already recorded, and return code (a
 * negative CIRT_E* value) so that callers can write
 * `return cirt_diag_set(d, -CIRT_EINVAL, "name", "must not be empty")`.
 * d may be NULL; field may be NULL.
 */
int cirt_diag_set(struct cirt_diag *d, int code, const char *field,
		  const char *fmt, ...) CIRT_PRINTF(4, 5);
int cirt_diag_vset(struct cirt_diag *d, int code, const char *field,
		   const char *fmt, va_list ap) CIRT_PRINTF(4, 0);

/* Stable machine name of a code ("invalid", "not_found", ...). */
const char *cirt_err_name(int code);

#endif
