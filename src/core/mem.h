/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Heap allocation wrappers. Running out of memory is not a condition the
 * program recovers from: these log and abort. What untrusted input can
 * exhaust is a budget (core/buf.h), which fails recoverably instead.
 *
 * Layer: core. Thread-safe.
 */
#ifndef CIRT_CORE_MEM_H
#define CIRT_CORE_MEM_H

#include <stddef.h>

void *cirt_xmalloc(size_t size);
/* n * size, checked for overflow; zero-filled. */
void *cirt_xcalloc(size_t n, size_t size);
void *cirt_xrealloc(void *p, size_t size);
char *cirt_xstrdup(const char *s);
char *cirt_xstrndup(const char *s, size_t n);

/* Overwrite memory that held a secret, in a way the compiler keeps. */
void cirt_wipe(void *p, size_t n);

/* Free and set the pointer to NULL. */
#define CIRT_FREE(p)        \
	do {                \
		free(p);    \
		(p) = NULL; \
	} while (0)

#endif
