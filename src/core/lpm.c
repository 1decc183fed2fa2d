/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Longest-prefix match (lpm.h): for each prefix length in use, an
 * open-addressing hash table (linear probing, load at most 1/2) of the
 * masked addresses; a lookup masks the address to each length in use,
 * longest first, and probes. The lengths in use are kept in a small
 * sorted list, so an address costs one probe per distinct length.
 */
#include "core/lpm.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#include "core/banned.h"

struct slot {
	unsigned char a[16];
	uint64_t value;
	bool used;
};

struct level {
	struct slot *slots;
	size_t cap; /* power of two, 0 when unused */
	size_t count;
};

struct cirt_lpm {
	struct level lv[129];
	uint8_t lens[129]; /* lengths in use, longest first */
	size_t nlens;
	size_t count;
};

struct cirt_lpm *cirt_lpm_new(void)
{
	return cirt_xcalloc(1, sizeof(struct cirt_lpm));
}

void cirt_lpm_free(struct cirt_lpm *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < 129; i++)
		free(t->lv[i].slots);
	free(t);
}

/* FNV-1a over the 16 bytes, then a final mix. */
static uint64_t hash16(const unsigned char *a)
{
	uint64_t h = 1469598103934665603u;

	for (int i = 0; i < 16; i++) {
		h ^= a[i];
		h *= 1099511628211u;
	}
	h ^= h >> 29;
	return h;
}

static struct slot *probe(const struct level *l, const unsigned char *a)
{
	size_t mask = l->cap - 1;
	size_t i = (size_t)hash16(a) & mask;

	for (;;) {
		struct slot *s = &l->slots[i];

		if (!s->used || memcmp(s->a, a, 16) == 0)
			return s;
		i = (i + 1) & mask;
	}
}

static void grow(struct level *l)
{
	struct level n = {0};

	n.cap = l->cap ? l->cap * 2 : 8;
	n.slots = cirt_xcalloc(n.cap, sizeof *n.slots);
	for (size_t i = 0; i < l->cap; i++) {
		if (l->slots[i].used) {
			*probe(&n, l->slots[i].a) = l->slots[i];
			n.count++;
		}
	}
	free(l->slots);
	*l = n;
}

void cirt_lpm_add(struct cirt_lpm *t, const struct cirt_ip *prefix,
		  uint64_t value)
{
	struct cirt_ip m = *prefix;
	struct level *l = &t->lv[prefix->len];
	struct slot *s;

	cirt_ip_mask(&m, prefix->len);
	if (l->cap == 0) {
		size_t i = t->nlens;

		while (i > 0 && t->lens[i - 1] < prefix->len) {
			t->lens[i] = t->lens[i - 1];
			i--;
		}
		t->lens[i] = prefix->len;
		t->nlens++;
	}
	if ((l->count + 1) * 2 > l->cap)
		grow(l);
	s = probe(l, m.a);
	if (!s->used) {
		memcpy(s->a, m.a, 16);
		s->used = true;
		l->count++;
		t->count++;
	}
	s->value = value;
}

bool cirt_lpm_find(const struct cirt_lpm *t, const struct cirt_ip *addr,
		   uint64_t *value, unsigned *len)
{
	for (size_t i = 0; i < t->nlens; i++) {
		unsigned n = t->lens[i];
		struct cirt_ip m;
		const struct slot *s;

		if (n > addr->len)
			continue;
		m = *addr;
		cirt_ip_mask(&m, n);
		s = probe(&t->lv[n], m.a);
		if (s->used) {
			*value = s->value;
			if (len)
				*len = n;
			return true;
		}
	}
	return false;
}

size_t cirt_lpm_count(const struct cirt_lpm *t)
{
	return t->count;
}
