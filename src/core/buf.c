/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Bounded growable buffer. See core/buf.h for the invariants.
 */
#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/banned.h"

void cirt_buf_init(struct cirt_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void cirt_buf_release(struct cirt_buf *b)
{
	CIRT_FREE(b->data);
	b->len = 0;
	b->cap = 0;
}

/* Make room for n more bytes plus the terminating NUL. */
static int grow(struct cirt_buf *b, size_t n)
{
	size_t need, cap;

	if (n > b->max - b->len) {
		cirt_buf_release(b);
		return -CIRT_ELIMIT;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > (size_t)-1 / 2 ? need : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	b->data = cirt_xrealloc(b->data, cap);
	b->cap = cap;
	return 0;
}

int cirt_buf_add(struct cirt_buf *b, const void *p, size_t n)
{
	int rc = grow(b, n);

	if (rc < 0)
		return rc;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int cirt_buf_adds(struct cirt_buf *b, const char *s)
{
	return cirt_buf_add(b, s, strlen(s));
}

int cirt_buf_addf(struct cirt_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -CIRT_EINTERNAL;
	rc = grow(b, (size_t)n);
	if (rc < 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

const char *cirt_buf_str(const struct cirt_buf *b)
{
	return b->data ? b->data : "";
}

char *cirt_buf_detach(struct cirt_buf *b, size_t *len)
{
	char *p = b->data ? b->data : cirt_xstrdup("");

	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}
