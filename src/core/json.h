/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * JSON in and out, on jansson. Input is loaded from an explicit (pointer,
 * length) with duplicate keys, invalid UTF-8 and \u0000 rejected, then
 * checked against a nesting budget. Members are read through typed getters
 * that name the field in every error, and objects are checked for unknown
 * members so that a typo is an error rather than a silently ignored field.
 *
 * Layer: core. Thread-safe (jansson objects are not shared across threads).
 */
#ifndef CIRT_CORE_JSON_H
#define CIRT_CORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/err.h"

/* Route jansson's allocations through the aborting wrappers; call once at
 * start-up before any thread exists. */
void cirt_json_setup(void);

/*
 * Parse p[0..n) into *out (caller must json_decref). Rejects malformed
 * JSON and duplicate keys (-CIRT_EINVAL, message with line and column) and
 * nesting deeper than max_depth (-CIRT_ELIMIT).
 */
int cirt_json_parse(const char *p, size_t n, size_t max_depth, json_t **out,
		    struct cirt_diag *d);

/* -CIRT_ELIMIT (with a message) if v nests deeper than max_depth. */
int cirt_json_check_depth(json_t *v, size_t max_depth, struct cirt_diag *d);

/* Fail with -CIRT_EINVAL naming the first member of obj not in names. */
int cirt_json_only(json_t *obj, const char *const *names, size_t n,
		   struct cirt_diag *d);

/*
 * Read string member name of obj. Missing: -CIRT_EINVAL if required, else
 * 0 with *out = NULL. Not a string: -CIRT_EINVAL. *out points into obj.
 */
int cirt_json_get_str(const json_t *obj, const char *name, bool required,
		      const char **out, size_t *len, struct cirt_diag *d);

/* Read an integer member within [min, max]; *present tells if it was there
 * (missing is an error only if required). */
int cirt_json_get_int(const json_t *obj, const char *name, bool required,
		      int64_t min, int64_t max, int64_t *out, bool *present,
		      struct cirt_diag *d);

/* Read a boolean member; *present tells if it was there. */
int cirt_json_get_bool(const json_t *obj, const char *name, bool *out,
		       bool *present, struct cirt_diag *d);

/* RFC 3339 string for a timestamp in microseconds, or JSON null if us is 0
 * (the convention for "not set"). New reference. */
json_t *cirt_json_time(int64_t us);

/* A comma-separated list ("a,b" or "a, b") as a JSON array of strings;
 * "" gives []. New reference. */
json_t *cirt_json_split(const char *list);

/* Compact serialisation; caller frees. Aborts on allocation failure. */
char *cirt_json_dump(const json_t *v, size_t *len);

/* Append s (UTF-8) to b as a JSON string, quoted and escaped as
 * jansson's compact output would: for answers written straight into a
 * buffer rather than through a tree. -CIRT_ELIMIT past b's ceiling. */
int cirt_json_add_string(struct cirt_buf *b, const char *s) CIRT_MUST_CHECK;

#endif
