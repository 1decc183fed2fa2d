/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * An owning, growable byte buffer with a mandatory ceiling.
 *
 * Invariants:
 *  - data is NULL while nothing was added; otherwise data[len] == '\0', so
 *    the contents can be handed to C string APIs (they may contain NULs);
 *  - len <= max at all times; an append that would pass max returns
 *    -CIRT_ELIMIT, releases the buffer and leaves it empty, so a caller
 *    needs one cleanup path whatever happened;
 *  - allocation failure aborts (core/mem.h): only the budget fails softly.
 *
 * Layer: core. A buffer belongs to one thread at a time.
 */
#ifndef CIRT_CORE_BUF_H
#define CIRT_CORE_BUF_H

#include <stddef.h>

#include "core/compiler.h"

struct cirt_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

/* Set up an empty buffer that will never hold more than max bytes. */
void cirt_buf_init(struct cirt_buf *b, size_t max);

/* Free the contents; the buffer is empty (same max) and reusable. */
void cirt_buf_release(struct cirt_buf *b);

/* Append n bytes. 0, or -CIRT_ELIMIT (and the buffer is released). */
int cirt_buf_add(struct cirt_buf *b, const void *p, size_t n) CIRT_MUST_CHECK;

/* Append a NUL-terminated string. */
int cirt_buf_adds(struct cirt_buf *b, const char *s) CIRT_MUST_CHECK;

/* Append formatted text. */
int cirt_buf_addf(struct cirt_buf *b, const char *fmt, ...)
	CIRT_PRINTF(2, 3) CIRT_MUST_CHECK;

/* The contents as a C string; "" when empty. Valid until the next change. */
const char *cirt_buf_str(const struct cirt_buf *b);

/* Hand the allocation to the caller (free() it); the buffer becomes empty.
 * Returns an allocated "" when empty, never NULL. */
char *cirt_buf_detach(struct cirt_buf *b, size_t *len);

#endif
