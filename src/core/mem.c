/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Allocation wrappers that abort on exhaustion. See core/mem.h.
 */
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/banned.h"

static void *checked(void *p, size_t size)
{
	if (p == NULL && size != 0)
		cirt_fatalx("out of memory allocating %zu bytes", size);
	return p;
}

void *cirt_xmalloc(size_t size)
{
	return checked(malloc(size ? size : 1), size);
}

void *cirt_xcalloc(size_t n, size_t size)
{
	if (size != 0 && n > (size_t)-1 / size)
		cirt_fatalx("allocation of %zu x %zu bytes overflows", n, size);
	return checked(calloc(n ? n : 1, size ? size : 1), n * size);
}

void *cirt_xrealloc(void *p, size_t size)
{
	return checked(realloc(p, size ? size : 1), size);
}

char *cirt_xstrdup(const char *s)
{
	return cirt_xstrndup(s, strlen(s));
}

char *cirt_xstrndup(const char *s, size_t n)
{
	char *p;

	n = strnlen(s, n);
	p = cirt_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void cirt_wipe(void *p, size_t n)
{
	if (p != NULL)
		explicit_bzero(p, n);
}
