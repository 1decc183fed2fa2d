/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Routing (route.h): the registry snapshot in memory. Ranges live in a
 * longest-prefix-match table (core/lpm.h); AS numbers and domain names in
 * open-addressing hash tables (linear probing, load at most 1/2). Domain
 * keys are copied into one growing pool, so a snapshot is four blocks of
 * memory whatever the registry's size.
 */
#include "feed/route.h"

#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "core/lpm.h"
#include "core/mem.h"

#include "core/banned.h"

struct num_slot {
	int64_t key; /* 0: empty (AS 0 is reserved, never owned) */
	int64_t org;
};

struct name_slot {
	uint64_t hash;
	size_t off; /* into pool, +1; 0: empty */
	size_t len;
	int64_t org;
};

struct cirt_route {
	struct cirt_lpm *nets;
	struct num_slot *asns;
	size_t asn_cap, asn_count;
	struct name_slot *names;
	size_t name_cap, name_count;
	char *pool;
	size_t pool_len, pool_cap;
	psl_ctx_t *psl; /* the public suffix list, or NULL: the built-in */
};

struct cirt_route *cirt_route_new(void)
{
	struct cirt_route *r = cirt_xcalloc(1, sizeof *r);

	r->nets = cirt_lpm_new();
	/* The system's list when installed (Debian's publicsuffix), else
	 * the one built into libpsl. */
	r->psl = psl_latest(NULL);
	return r;
}

void cirt_route_free(struct cirt_route *r)
{
	if (!r)
		return;
	cirt_lpm_free(r->nets);
	free(r->asns);
	free(r->names);
	free(r->pool);
	psl_free(r->psl);
	free(r);
}

void cirt_route_add_cidr(struct cirt_route *r, const struct cirt_ip *net,
			 int64_t org)
{
	cirt_lpm_add(r->nets, net, (uint64_t)org);
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	return h;
}

static struct num_slot *asn_probe(struct num_slot *t, size_t cap, int64_t k)
{
	size_t i = (size_t)mix((uint64_t)k) & (cap - 1);

	while (t[i].key != 0 && t[i].key != k)
		i = (i + 1) & (cap - 1);
	return &t[i];
}

void cirt_route_add_asn(struct cirt_route *r, int64_t asn, int64_t org)
{
	struct num_slot *s;

	if (asn <= 0)
		return;
	if ((r->asn_count + 1) * 2 > r->asn_cap) {
		size_t cap = r->asn_cap ? r->asn_cap * 2 : 16;
		struct num_slot *t = cirt_xcalloc(cap, sizeof *t);

		for (size_t i = 0; i < r->asn_cap; i++)
			if (r->asns[i].key)
				*asn_probe(t, cap, r->asns[i].key) = r->asns[i];
		free(r->asns);
		r->asns = t;
		r->asn_cap = cap;
	}
	s = asn_probe(r->asns, r->asn_cap, asn);
	if (s->key == 0)
		r->asn_count++;
	s->key = asn;
	s->org = org;
}

static uint64_t name_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603u;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211u;
	}
	return mix(h);
}

static struct name_slot *name_probe(const struct cirt_route *r,
				    struct name_slot *t, size_t cap,
				    const char *s, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	while (t[i].off != 0 && !(t[i].hash == h && t[i].len == n &&
				  memcmp(r->pool + t[i].off - 1, s, n) == 0))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

void cirt_route_add_domain(struct cirt_route *r, const char *name, int64_t org)
{
	size_t n = strlen(name);
	uint64_t h = name_hash(name, n);
	struct name_slot *s;

	if (n == 0)
		return;
	if ((r->name_count + 1) * 2 > r->name_cap) {
		size_t cap = r->name_cap ? r->name_cap * 2 : 16;
		struct name_slot *t = cirt_xcalloc(cap, sizeof *t);

		for (size_t i = 0; i < r->name_cap; i++) {
			struct name_slot *o = &r->names[i];

			if (o->off)
				*name_probe(r, t, cap, r->pool + o->off - 1,
					    o->len, o->hash) = *o;
		}
		free(r->names);
		r->names = t;
		r->name_cap = cap;
	}
	s = name_probe(r, r->names, r->name_cap, name, n, h);
	if (s->off == 0) {
		if (r->pool_len + n > r->pool_cap) {
			r->pool_cap = (r->pool_cap + n) * 2;
			r->pool = cirt_xrealloc(r->pool, r->pool_cap);
		}
		memcpy(r->pool + r->pool_len, name, n);
		s->off = r->pool_len + 1;
		s->len = n;
		s->hash = h;
		r->pool_len += n;
		r->name_count++;
	}
	s->org = org;
}

static int64_t find_name(const struct cirt_route *r, const char *s, size_t n)
{
	const struct name_slot *slot;

	if (r->name_count == 0)
		return 0;
	slot = name_probe(r, r->names, r->name_cap, s, n, name_hash(s, n));
	return slot->off ? slot->org : 0;
}

static const struct cirt_sql q_networks = {
	"SELECT n.org_id, n.kind, n.value FROM org_networks n "
	"JOIN orgs o ON o.id = n.org_id WHERE o.kind = 'constituent'",
	NULL,
};

int cirt_route_load(struct cirt_db *db, struct cirt_route **out,
		    struct cirt_diag *d)
{
	struct cirt_route *r = cirt_route_new();
	struct cirt_stmt *s = cirt_db_stmt(db, &q_networks, d);
	int rc;

	*out = NULL;
	if (!s) {
		cirt_route_free(r);
		return d ? d->code : -CIRT_EIO;
	}
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		int64_t org = cirt_stmt_i64(s, 0);
		const char *kind = cirt_stmt_text(s, 1);
		const char *v = cirt_stmt_text(s, 2);

		if (strcmp(kind, "cidr") == 0) {
			struct cirt_ip ip;

			if (cirt_ip_parse(v, strlen(v), true, true, &ip, NULL,
					  NULL) == 0)
				cirt_route_add_cidr(r, &ip, org);
		} else if (strcmp(kind, "asn") == 0) {
			cirt_route_add_asn(r, strtoll(v, NULL, 10), org);
		} else {
			cirt_route_add_domain(r, v, org);
		}
	}
	cirt_stmt_reset(s);
	if (rc < 0) {
		cirt_route_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* The owner of name or of the closest parent down to its registrable
 * domain: a public suffix (co.uk, blogspot.com) is never an owner, since
 * the names under it belong to different registrants. */
static int64_t route_name(const struct cirt_route *r, const char *name)
{
	const psl_ctx_t *psl = r->psl ? r->psl : psl_builtin();
	const char *reg = psl ? psl_registrable_domain(psl, name) : NULL;
	const char *p = name;

	if (!reg)
		return 0;
	for (;;) {
		int64_t org = find_name(r, p, strlen(p));

		if (org)
			return org;
		if (p >= reg)
			return 0;
		p = strchr(p, '.');
		if (!p)
			return 0;
		p++;
	}
}

bool cirt_route_event(const struct cirt_route *r, struct cirt_event *ev)
{
	uint64_t v;
	int64_t org;

	ev->constituent = 0;
	ev->route[0] = '\0';
	if (ev->src.has_ip && cirt_lpm_find(r->nets, &ev->src.ip, &v, NULL)) {
		ev->constituent = (int64_t)v;
		memcpy(ev->route, "cidr", 5);
		return true;
	}
	if (ev->src.asn > 0 && r->asn_count > 0) {
		const struct num_slot *s =
			asn_probe(r->asns, r->asn_cap, ev->src.asn);

		if (s->key) {
			ev->constituent = s->org;
			memcpy(ev->route, "asn", 4);
			return true;
		}
	}
	if (ev->src.fqdn[0] && (org = route_name(r, ev->src.fqdn)) != 0) {
		ev->constituent = org;
		memcpy(ev->route, "domain", 7);
		return true;
	}
	return false;
}
