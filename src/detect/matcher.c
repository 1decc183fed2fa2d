/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The compiled indicator set (matcher.h). Memory is what matters at ten
 * million indicators, so every value costs:
 *
 *  - one 16-byte source record (struct src below), and
 *  - one slot in a bucketed hash table: 4 bytes of key and 4 of source
 *    for IPv4 addresses, 8 of fingerprint and 4 of source for the rest.
 *    A bucket is one 64-byte cache line of keys (16 IPv4 keys or 8
 *    fingerprints) and the tables are sized for 85% load, so a miss
 *    (the common case) reads one cache line, rarely two.
 *
 * A value listed by several sources is one slot whose source records are
 * chained by their next field. Ranges sit in a core/lpm.h table whose
 * value is an index into ranges[], each range chained to its next
 * shorter listed range that contains it.
 *
 * While building, values wait in pending[] (their key or fingerprint,
 * one per source record, in the same order), so the tables are sized
 * once, exactly.
 */
#include "detect/matcher.h"

#include <ctype.h>
#include <libpsl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/crypto.h"
#include "core/log.h"
#include "core/lpm.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/uuid.h"
#include "feed/enrich.h"

#include "core/banned.h"

_Static_assert(CIRT_MATCHER_HOST_MAX == CIRT_EVENT_FQDN_MAX,
	       "a query holds a URL's host");

/* A source record; index 0 is unused so that 0 means "none". */
struct src {
	uint64_t key;  /* EVENT: id; FILE: line; STIX: index in uuids */
	uint32_t next; /* the next source of the same value, 0 none */
	uint8_t origin, tlp, confidence, kind;
};

/* How a pending value is filed (src.kind is the indicator kind). */
enum slot_kind {
	SLOT_V4,
	SLOT_FP,
	SLOT_RANGE
};

struct range {
	uint32_t head;	 /* first source */
	uint32_t parent; /* next shorter listed range containing it + 1 */
	struct cirt_ip net;
};

#define V4_PER_BUCKET 16
#define FP_PER_BUCKET 8

struct v4_table {
	uint32_t *keys; /* nb * V4_PER_BUCKET, 0 empty */
	uint32_t *refs;
	uint32_t nb;
	uint32_t zero; /* the source of 0.0.0.0, which cannot be a key */
};

struct fp_table {
	uint64_t *fps; /* nb * FP_PER_BUCKET, 0 empty */
	uint32_t *refs;
	uint32_t nb;
};

struct cirt_matcher {
	uint64_t seed[2]; /* the SipHash key */
	struct v4_table v4;
	struct fp_table fp;
	/* Ranges, apart by family ([0] IPv6, [1] IPv4): their prefix tables
	 * (value: index in ranges) and a bit per block a range touches
	 * (IPv4 /24s, IPv6 /24s), so most addresses never probe a table. */
	struct cirt_lpm *lpm[2];
	uint8_t *blocks[2];
	/* Screens in front of the tables, small enough to stay in cache, so
	 * most values not listed never touch a table: a bit per IPv4 /24
	 * holding a listed address, and a bit per fingerprint value
	 * (fp & filter_mask), about 4 bits a fingerprint. */
	uint8_t *v4exact;
	uint8_t *filter;
	uint64_t filter_mask;
	struct range *ranges;
	size_t nranges;
	/* Label counts of the listed domains, least and most: only those
	 * suffixes of a name are looked up. */
	unsigned dom_min, dom_max;
	/* Special-purpose addresses are allowed: none is looked up. */
	bool skip_special;
	struct src *srcs;
	size_t nsrcs; /* including the unused 0 */
	unsigned char (*uuids)[16];
	size_t nuuids;
	struct cirt_matcher_info info;
};

/* A growing set of fingerprints: the allowed domains. */
struct fp_set {
	uint64_t *v;
	size_t cap, count; /* cap a power of two */
};

struct cirt_matcher_builder {
	struct cirt_matcher *m;
	uint64_t *pending; /* per source: key or fingerprint */
	uint8_t *slot;	   /* per source: enum slot_kind */
	size_t cap;
	size_t uuid_cap;
	size_t nv4, nfp;
	bool allow_special;
	struct cirt_lpm *allow_nets;
	struct fp_set allow_domains;
	psl_ctx_t *psl;
};

static const char *const kind_names[CIRT_IOC_KINDS] = {
	"ip", "domain", "url", "md5", "sha1", "sha256", "email",
};

static const char *const drop_names[CIRT_IOC_DROP_REASONS] = {
	"special-range",
	"allowed-network",
	"allowed-domain",
	"too-broad",
};

const char *cirt_ioc_kind_name(enum cirt_ioc_kind k)
{
	return (unsigned)k < CIRT_IOC_KINDS ? kind_names[k] : "?";
}

int cirt_ioc_kind_parse(const char *s)
{
	for (int i = 0; i < CIRT_IOC_KINDS; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

int cirt_ioc_hash_kind(size_t hexlen)
{
	return hexlen == 32   ? CIRT_IOC_MD5
	       : hexlen == 40 ? CIRT_IOC_SHA1
	       : hexlen == 64 ? CIRT_IOC_SHA256
			      : -1;
}

const char *cirt_ioc_drop_name(enum cirt_ioc_drop r)
{
	return (unsigned)r < CIRT_IOC_DROP_REASONS ? drop_names[r] : "?";
}

/* A bijective mixer, to spread IPv4 keys over buckets. */
static uint64_t mix64(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93u;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93u;
	h ^= h >> 32;
	return h;
}

/* The fingerprint of a canonical value: SipHash-1-3 under the
 * snapshot's random key, the kind folded into the key. */
static uint64_t hash_bytes(const uint64_t *seed, unsigned kind, const void *p,
			   size_t n)
{
	uint64_t h = cirt_siphash(
		seed[0], seed[1] ^ (uint64_t)kind * 0x9e3779b97f4a7c15u, 1, 3,
		p, n);

	return h ? h : 1; /* 0 marks an empty slot */
}

/* The bucket of a hash among nb: the high half scaled, no division. */
static uint32_t bucket_of(uint64_t h, uint32_t nb)
{
	return (uint32_t)(((h >> 32) * (uint64_t)nb) >> 32);
}

/* IPv4 keys are compared whole; the hash only spreads them. */
static uint64_t v4_hash(const uint64_t *seed, uint32_t k)
{
	return mix64(seed[0] ^ k);
}

static uint32_t v4_key(const struct cirt_ip *ip)
{
	return (uint32_t)ip->a[12] << 24 | (uint32_t)ip->a[13] << 16 |
	       (uint32_t)ip->a[14] << 8 | ip->a[15];
}

/* ---- canonical forms ---------------------------------------------- */

/* Canonical kinds of binary values: the decoded hash. */
static size_t hash_len(enum cirt_ioc_kind k)
{
	return k == CIRT_IOC_MD5 ? 16 : k == CIRT_IOC_SHA1 ? 20 : 32;
}

/* The canonical bytes of v[0..n) of kind k (not IP) into out
 * (CIRT_IOC_VALUE_MAX + 1 bytes); their length, or -1 when invalid. The
 * reason goes to d. A URL's host goes to url_host too, if not NULL
 * (CIRT_MATCHER_HOST_MAX + 1 bytes). */
static int canon(enum cirt_ioc_kind k, const char *v, size_t n, char *out,
		 char *url_host, struct cirt_diag *d)
{
	char host[CIRT_EVENT_FQDN_MAX + 1];
	char tmp[CIRT_IOC_VALUE_MAX + 1];
	const char *at;
	size_t hl;

	cirt_text_trim(&v, &n);
	if (n == 0 || n > CIRT_IOC_VALUE_MAX) {
		cirt_diag_set(d, -CIRT_EINVAL, "value",
			      n ? "is longer than %d bytes" : "is empty",
			      CIRT_IOC_VALUE_MAX);
		return -1;
	}
	switch (k) {
	case CIRT_IOC_DOMAIN:
		if (cirt_domain_canon(v, n, out, "value", d) < 0)
			return -1;
		return (int)strlen(out);
	case CIRT_IOC_URL: {
		char *hash;

		memcpy(tmp, v, n);
		tmp[n] = '\0';
		if (memchr(tmp, '\0', n) ||
		    cirt_url_canon(tmp, out, host, "value", d) < 0 || !*host) {
			cirt_diag_set(d, -CIRT_EINVAL, "value",
				      "is not a URL with a valid host");
			return -1;
		}
		hash = strchr(out, '#');
		if (hash)
			*hash = '\0';
		if (url_host)
			memcpy(url_host, host, strlen(host) + 1);
		return (int)strlen(out);
	}
	case CIRT_IOC_MD5:
	case CIRT_IOC_SHA1:
	case CIRT_IOC_SHA256:
		hl = hash_len(k);
		if (n != 2 * hl) {
			cirt_diag_set(d, -CIRT_EINVAL, "value",
				      "is not a %s: %zu hex digits wanted",
				      kind_names[k], 2 * hl);
			return -1;
		}
		if (!cirt_hex_decode(v, n, (unsigned char *)out)) {
			cirt_diag_set(d, -CIRT_EINVAL, "value",
				      "is not hexadecimal");
			return -1;
		}
		return (int)hl;
	case CIRT_IOC_EMAIL:
		if (n >= 2 && v[0] == '<' && v[n - 1] == '>') {
			v++;
			n -= 2;
		}
		at = NULL;
		for (size_t i = n; i > 0 && !at; i--)
			if (v[i - 1] == '@')
				at = v + i - 1;
		if (!at || at == v || at - v > 64 ||
		    cirt_domain_canon(at + 1, n - (size_t)(at - v) - 1, host,
				      "value", NULL) < 0) {
			cirt_diag_set(d, -CIRT_EINVAL, "value",
				      "is not an e-mail address");
			return -1;
		}
		hl = (size_t)(at - v);
		for (size_t i = 0; i < hl; i++) {
			unsigned char c = (unsigned char)v[i];

			if (c <= ' ' || c == 0x7f || c == '<' || c == '>') {
				cirt_diag_set(d, -CIRT_EINVAL, "value",
					      "is not an e-mail address");
				return -1;
			}
			out[i] = (char)tolower(c);
		}
		out[hl] = '@';
		memcpy(out + hl + 1, host, strlen(host) + 1);
		return (int)strlen(out);
	default:
		cirt_diag_set(d, -CIRT_EINVAL, "kind", "is not a value kind");
		return -1;
	}
}

/* ---- building ------------------------------------------------------ */

struct cirt_matcher_builder *cirt_matcher_builder_new(bool allow_special)
{
	struct cirt_matcher_builder *b = cirt_xcalloc(1, sizeof *b);

	b->m = cirt_xcalloc(1, sizeof *b->m);
	cirt_random_bytes(b->m->seed, sizeof b->m->seed);
	b->m->lpm[0] = cirt_lpm_new();
	b->m->lpm[1] = cirt_lpm_new();
	b->m->nsrcs = 1;
	b->allow_nets = cirt_lpm_new();
	b->allow_special = allow_special;
	b->m->skip_special = allow_special;
	/* The system's list (Debian's publicsuffix), else libpsl's own. */
	b->psl = psl_latest(NULL);
	return b;
}

void cirt_matcher_builder_free(struct cirt_matcher_builder *b)
{
	if (!b)
		return;
	cirt_matcher_free(b->m);
	free(b->pending);
	free(b->slot);
	cirt_lpm_free(b->allow_nets);
	free(b->allow_domains.v);
	psl_free(b->psl);
	free(b);
}

static bool set_has(const struct fp_set *s, uint64_t fp)
{
	if (s->cap == 0)
		return false;
	for (size_t i = fp & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		if (s->v[i] == fp)
			return true;
		if (s->v[i] == 0)
			return false;
	}
}

static void set_add(struct fp_set *s, uint64_t fp)
{
	if ((s->count + 1) * 2 > s->cap) {
		struct fp_set n = {.cap = s->cap ? s->cap * 2 : 64};

		n.v = cirt_xcalloc(n.cap, sizeof *n.v);
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i])
				set_add(&n, s->v[i]);
		free(s->v);
		*s = n;
	}
	if (!set_has(s, fp)) {
		size_t i = fp & (s->cap - 1);

		while (s->v[i])
			i = (i + 1) & (s->cap - 1);
		s->v[i] = fp;
		s->count++;
	}
}

int cirt_matcher_allow_ip(struct cirt_matcher_builder *b, const char *text,
			  size_t n, struct cirt_diag *d)
{
	struct cirt_ip ip;

	cirt_text_trim(&text, &n);
	if (cirt_ip_parse(text, n, true, true, &ip, NULL, NULL) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "allow",
				     "is not an address or range");
	cirt_lpm_add(b->allow_nets, &ip, 0);
	return 0;
}

int cirt_matcher_allow_domain(struct cirt_matcher_builder *b, const char *text,
			      size_t n, struct cirt_diag *d)
{
	char out[CIRT_IOC_VALUE_MAX + 1];
	int c = canon(CIRT_IOC_DOMAIN, text, n, out, NULL, NULL);

	if (c < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "allow",
				     "is not a domain name");
	set_add(&b->allow_domains,
		hash_bytes(b->m->seed, CIRT_IOC_DOMAIN, out, (size_t)c));
	return 0;
}

/* Room for one more source record (and its pending key). */
static int grow(struct cirt_matcher_builder *b)
{
	struct cirt_matcher *m = b->m;
	size_t cap;

	if (m->nsrcs < b->cap)
		return 0;
	if (m->nsrcs >= UINT32_MAX - 1)
		return -CIRT_ELIMIT;
	cap = b->cap ? b->cap * 2 : 1024;
	if (cap > UINT32_MAX)
		cap = UINT32_MAX;
	/* Large blocks are mmapped, so realloc moves pages, not bytes. */
	m->srcs = cirt_xrealloc(m->srcs, cap * sizeof *m->srcs);
	b->pending = cirt_xrealloc(b->pending, cap * sizeof *b->pending);
	b->slot = cirt_xrealloc(b->slot, cap);
	b->cap = cap;
	return 0;
}

static uint64_t add_uuid(struct cirt_matcher_builder *b, const unsigned char *u)
{
	struct cirt_matcher *m = b->m;

	if (m->nuuids == b->uuid_cap) {
		b->uuid_cap = b->uuid_cap ? b->uuid_cap * 2 : 256;
		m->uuids = cirt_xrealloc(m->uuids, b->uuid_cap * 16);
	}
	memcpy(m->uuids[m->nuuids], u, 16);
	return m->nuuids++;
}

/* The index of range net, found or added. */
static size_t range_of(struct cirt_matcher *m, const struct cirt_ip *net)
{
	struct cirt_lpm *t = m->lpm[cirt_ip_is_v4(net)];
	uint64_t v;
	unsigned len;

	if (cirt_lpm_find(t, net, &v, &len) && len == net->len)
		return (size_t)v;
	if ((m->nranges & (m->nranges - 1)) == 0) /* 0, 1, 2, 4, ... */
		m->ranges = cirt_xrealloc(m->ranges,
					  (m->nranges ? m->nranges * 2 : 1) *
						  sizeof *m->ranges);
	m->ranges[m->nranges] = (struct range){.net = *net};
	cirt_lpm_add(t, net, m->nranges);
	return m->nranges++;
}

/* Whether an allow-list or a width rule leaves ip out. */
static bool ip_dropped(const struct cirt_matcher_builder *b,
		       const struct cirt_ip *ip, enum cirt_ioc_drop *why)
{
	uint64_t v;

	if (ip->len < (cirt_ip_is_v4(ip) ? 96 + 8 : 32))
		*why = CIRT_IOC_DROP_BROAD;
	else if (b->allow_special && cirt_ip_is_special(ip))
		*why = CIRT_IOC_DROP_SPECIAL;
	else if (cirt_lpm_find(b->allow_nets, ip, &v, NULL))
		*why = CIRT_IOC_DROP_NETWORK;
	else
		return false;
	return true;
}

int cirt_matcher_add(struct cirt_matcher_builder *b, enum cirt_ioc_kind k,
		     const char *v, size_t n, const struct cirt_ioc_src *src,
		     enum cirt_ioc_drop *why, struct cirt_diag *d)
{
	struct cirt_matcher *m = b->m;
	char out[CIRT_IOC_VALUE_MAX + 1];
	enum cirt_ioc_drop dummy;
	uint64_t pend = 0, key = (uint64_t)src->key;
	enum slot_kind slot;
	struct cirt_ip ip;
	size_t range = 0;
	unsigned labels = 0;
	size_t i;
	int rc;

	if (!why)
		why = &dummy;
	if ((unsigned)k >= CIRT_IOC_KINDS)
		return cirt_diag_set(d, -CIRT_EINVAL, "kind",
				     "is not a value kind");
	if (k == CIRT_IOC_IP) {
		cirt_text_trim(&v, &n);
		if (n > CIRT_IOC_VALUE_MAX ||
		    cirt_ip_parse(v, n, true, true, &ip, "value", d) < 0)
			return cirt_diag_set(d, -CIRT_EINVAL, "value",
					     "is not an IP address or range");
		if (ip_dropped(b, &ip, why)) {
			m->info.dropped[*why]++;
			return 0;
		}
		if (ip.len < 128) {
			slot = SLOT_RANGE;
			range = range_of(m, &ip);
		} else if (cirt_ip_is_v4(&ip)) {
			slot = SLOT_V4;
			pend = v4_key(&ip);
		} else {
			slot = SLOT_FP;
			pend = hash_bytes(m->seed, CIRT_IOC_IP, ip.a, 16);
		}
	} else {
		int c = canon(k, v, n, out, NULL, d);

		if (c < 0)
			return -CIRT_EINVAL;
		slot = SLOT_FP;
		pend = hash_bytes(m->seed, k, out, (size_t)c);
		labels = 1;
		for (int j = 0; k == CIRT_IOC_DOMAIN && j < c; j++)
			labels += out[j] == '.';
		if (k == CIRT_IOC_DOMAIN) {
			if (set_has(&b->allow_domains, pend))
				*why = CIRT_IOC_DROP_DOMAIN;
			else if (!strchr(out, '.') ||
				 (b->psl &&
				  psl_is_public_suffix2(
					  b->psl, out,
					  PSL_TYPE_ICANN |
						  PSL_TYPE_NO_STAR_RULE)))
				*why = CIRT_IOC_DROP_BROAD;
			else
				goto keep;
			m->info.dropped[*why]++;
			return 0;
		}
	}
keep:
	rc = grow(b);
	if (rc < 0)
		return cirt_diag_set(d, rc, "indicators", "more than %u values",
				     UINT32_MAX - 2);
	if (src->origin == CIRT_IOC_STIX)
		key = add_uuid(b, src->uuid);
	i = m->nsrcs++;
	m->srcs[i] = (struct src){
		.key = key,
		.origin = (uint8_t)src->origin,
		.tlp = src->tlp,
		.confidence = src->confidence,
		.kind = (uint8_t)k,
	};
	b->pending[i] = pend;
	b->slot[i] = (uint8_t)slot;
	if (k == CIRT_IOC_DOMAIN) {
		if (m->dom_min == 0 || labels < m->dom_min)
			m->dom_min = labels;
		if (labels > m->dom_max)
			m->dom_max = labels;
	}
	if (slot == SLOT_RANGE) {
		m->srcs[i].next = m->ranges[range].head;
		m->ranges[range].head = (uint32_t)i;
	} else if (slot == SLOT_V4) {
		b->nv4++;
	} else {
		b->nfp++;
	}
	m->info.sources++;
	m->info.by_kind[k]++;
	return 1;
}

/* ---- freezing ------------------------------------------------------ */

/* A bit per /24 block. */
#define BLOCKS_SIZE ((size_t)1 << 21)

/* Tables of megabytes get a mapping of their own and ask for huge pages:
 * a lookup lands in a random slot, and with 4 KiB pages nearly every one
 * would also miss the TLB. Zeroed, as calloc's. */
static void *table_alloc(size_t n)
{
	void *p;

	if (n < BLOCKS_SIZE)
		return cirt_xcalloc(1, n);
	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		cirt_fatalx("out of memory mapping %zu bytes", n);
	(void)madvise(p, n, MADV_HUGEPAGE); /* a hint; fine if refused */
	return p;
}

static void table_free(void *p, size_t n)
{
	if (!p)
		return;
	if (n < BLOCKS_SIZE)
		free(p);
	else
		munmap(p, n);
}

/* Buckets for count keys at 85% load, at least one. */
static uint32_t buckets(size_t count, size_t per)
{
	size_t nb = (count * 100 + per * 85 - 1) / (per * 85);

	return nb ? (uint32_t)nb : 1;
}

static void v4_insert(struct cirt_matcher *m, uint32_t k, uint32_t ref)
{
	struct v4_table *t = &m->v4;
	uint32_t b = bucket_of(v4_hash(m->seed, k), t->nb);

	if (k == 0) {
		m->srcs[ref].next = t->zero;
		t->zero = ref;
		return;
	}
	for (;;) {
		uint32_t *ks = t->keys + (size_t)b * V4_PER_BUCKET;
		uint32_t *rs = t->refs + (size_t)b * V4_PER_BUCKET;

		for (int j = 0; j < V4_PER_BUCKET; j++) {
			if (ks[j] == k) {
				m->srcs[ref].next = rs[j];
				rs[j] = ref;
				return;
			}
			if (ks[j] == 0) {
				ks[j] = k;
				rs[j] = ref;
				return;
			}
		}
		b = b + 1 == t->nb ? 0 : b + 1;
	}
}

static bool fp_insert(struct cirt_matcher *m, uint64_t fp, uint32_t ref)
{
	struct fp_table *t = &m->fp;
	uint32_t b = bucket_of(fp, t->nb);

	for (;;) {
		uint64_t *fs = t->fps + (size_t)b * FP_PER_BUCKET;
		uint32_t *rs = t->refs + (size_t)b * FP_PER_BUCKET;

		for (int j = 0; j < FP_PER_BUCKET; j++) {
			if (fs[j] == fp) {
				m->srcs[ref].next = rs[j];
				rs[j] = ref;
				return false;
			}
			if (fs[j] == 0) {
				fs[j] = fp;
				rs[j] = ref;
				return true;
			}
		}
		b = b + 1 == t->nb ? 0 : b + 1;
	}
}

/* The block of an address: its first 24 bits (IPv6) or its /24 (IPv4). */
static uint32_t block_of(const struct cirt_ip *ip, bool v4)
{
	const unsigned char *a = v4 ? ip->a + 12 : ip->a;

	return (uint32_t)a[0] << 16 | (uint32_t)a[1] << 8 | a[2];
}

static bool block_set(const uint8_t *blocks, uint32_t b)
{
	return blocks && (blocks[b >> 3] & (1u << (b & 7)));
}

/* Link each range to the next shorter listed one containing it, and mark
 * the blocks ranges touch. Ranges are at least /8 (IPv4), /32 (IPv6). */
static void link_ranges(struct cirt_matcher *m)
{
	for (size_t r = 0; r < m->nranges; r++) {
		const struct cirt_ip *net = &m->ranges[r].net;
		bool v4 = cirt_ip_is_v4(net);
		struct cirt_ip up = *net;
		unsigned len = cirt_ip_prefix_len(net);
		uint32_t first = block_of(net, v4);
		uint32_t count = len >= 24 ? 1 : 1u << (24 - len);
		uint64_t v;

		if (up.len > 0) {
			cirt_ip_mask(&up, up.len - 1u);
			if (cirt_lpm_find(m->lpm[v4], &up, &v, NULL))
				m->ranges[r].parent = (uint32_t)v + 1;
		}
		if (!m->blocks[v4])
			m->blocks[v4] = table_alloc(BLOCKS_SIZE);
		for (uint32_t i = 0; i < count; i++)
			m->blocks[v4][(first + i) >> 3] |=
				(uint8_t)(1u << ((first + i) & 7));
	}
}

struct cirt_matcher *cirt_matcher_build(struct cirt_matcher_builder *b)
{
	struct cirt_matcher *m = b->m;
	struct cirt_matcher_info *in = &m->info;
	size_t nv4, nfp;

	m->v4.nb = buckets(b->nv4, V4_PER_BUCKET);
	m->fp.nb = buckets(b->nfp, FP_PER_BUCKET);
	nv4 = (size_t)m->v4.nb * V4_PER_BUCKET;
	nfp = (size_t)m->fp.nb * FP_PER_BUCKET;
	m->v4.keys = table_alloc(nv4 * sizeof *m->v4.keys);
	m->v4.refs = table_alloc(nv4 * sizeof *m->v4.refs);
	m->fp.fps = table_alloc(nfp * sizeof *m->fp.fps);
	m->fp.refs = table_alloc(nfp * sizeof *m->fp.refs);
	if (b->nv4)
		m->v4exact = table_alloc(BLOCKS_SIZE);
	m->filter_mask = 65535;
	while (m->filter_mask < 4 * b->nfp &&
	       m->filter_mask < (UINT64_C(1) << 34))
		m->filter_mask = m->filter_mask << 1 | 1;
	m->filter = table_alloc((m->filter_mask + 1) / 8);
	link_ranges(m);
	in->values = m->nranges;
	for (size_t i = 1; i < m->nsrcs; i++) {
		if (b->slot[i] == SLOT_V4) {
			uint32_t blk = (uint32_t)b->pending[i] >> 8;

			m->v4exact[blk >> 3] |= (uint8_t)(1u << (blk & 7));
			v4_insert(m, (uint32_t)b->pending[i], (uint32_t)i);
			in->values += m->srcs[i].next == 0;
		} else if (b->slot[i] == SLOT_FP) {
			uint64_t f = b->pending[i] & m->filter_mask;

			m->filter[f >> 3] |= (uint8_t)(1u << (f & 7));
			in->values += fp_insert(m, b->pending[i], (uint32_t)i);
		}
	}
	in->ranges = m->nranges;
	in->bytes = sizeof *m + nv4 * 8 + nfp * 12 +
		    m->nsrcs * sizeof *m->srcs + m->nuuids * 16 +
		    m->nranges * (sizeof *m->ranges + 80) +
		    ((m->blocks[0] != NULL) + (m->blocks[1] != NULL) +
		     (m->v4exact != NULL)) *
			    BLOCKS_SIZE +
		    (m->filter_mask + 1) / 8;
	b->m = NULL;
	cirt_matcher_builder_free(b);
	return m;
}

void cirt_matcher_free(struct cirt_matcher *m)
{
	size_t nv4, nfp;

	if (!m)
		return;
	nv4 = (size_t)m->v4.nb * V4_PER_BUCKET;
	nfp = (size_t)m->fp.nb * FP_PER_BUCKET;

	table_free(m->v4.keys, nv4 * sizeof *m->v4.keys);
	table_free(m->v4.refs, nv4 * sizeof *m->v4.refs);
	table_free(m->fp.fps, nfp * sizeof *m->fp.fps);
	table_free(m->fp.refs, nfp * sizeof *m->fp.refs);
	cirt_lpm_free(m->lpm[0]);
	cirt_lpm_free(m->lpm[1]);
	free(m->ranges);
	table_free(m->blocks[0], BLOCKS_SIZE);
	table_free(m->blocks[1], BLOCKS_SIZE);
	table_free(m->v4exact, BLOCKS_SIZE);
	table_free(m->filter, (m->filter_mask + 1) / 8);
	free(m->srcs);
	free(m->uuids);
	free(m);
}

void cirt_matcher_info(const struct cirt_matcher *m,
		       struct cirt_matcher_info *out)
{
	*out = m->info;
}

/* ---- looking up ---------------------------------------------------- */

static uint32_t v4_find(const struct cirt_matcher *m, uint32_t k)
{
	const struct v4_table *t = &m->v4;
	uint32_t b = bucket_of(v4_hash(m->seed, k), t->nb);

	if (k == 0)
		return t->zero;
	for (;;) {
		const uint32_t *ks = t->keys + (size_t)b * V4_PER_BUCKET;

		for (int j = 0; j < V4_PER_BUCKET; j++) {
			if (ks[j] == k)
				return t->refs[(size_t)b * V4_PER_BUCKET + j];
			if (ks[j] == 0)
				return 0;
		}
		b = b + 1 == t->nb ? 0 : b + 1;
	}
}

static uint32_t fp_find(const struct cirt_matcher *m, uint64_t fp)
{
	const struct fp_table *t = &m->fp;
	uint32_t b = bucket_of(fp, t->nb);
	uint64_t f = fp & m->filter_mask;

	if (!(m->filter[f >> 3] & (1u << (f & 7))))
		return 0;

	for (;;) {
		const uint64_t *fs = t->fps + (size_t)b * FP_PER_BUCKET;

		for (int j = 0; j < FP_PER_BUCKET; j++) {
			if (fs[j] == fp)
				return t->refs[(size_t)b * FP_PER_BUCKET + j];
			if (fs[j] == 0)
				return 0;
		}
		b = b + 1 == t->nb ? 0 : b + 1;
	}
}

/* Append the sources chained from head to refs; the new count. */
static int collect(const struct cirt_matcher *m, uint32_t head, uint32_t *refs,
		   size_t max, int n)
{
	for (uint32_t r = head; r; r = m->srcs[r].next) {
		if ((size_t)n < max)
			refs[n] = r;
		n++;
	}
	return n;
}

static void prefetch_fp(const struct cirt_matcher *m, uint64_t fp)
{
	__builtin_prefetch(m->filter + ((fp & m->filter_mask) >> 3));
}

/* An address the allow-list of special ranges covers: in a log, it is
 * known-good like any allowed value, and nothing is looked up. */
static bool skipped(const struct cirt_matcher *m, const struct cirt_ip *ip)
{
	return m->skip_special && cirt_ip_is_special(ip);
}

static void prepare_ip(const struct cirt_matcher *m,
		       struct cirt_matcher_query *q)
{
	bool v4 = cirt_ip_is_v4(&q->ip);

	q->nfp = 0;
	q->skip = skipped(m, &q->ip);
	if (q->skip)
		return;
	if (q->ip.len == 128 && v4) {
		uint32_t k = v4_key(&q->ip);

		if (m->v4exact)
			__builtin_prefetch(m->v4exact + (k >> 11));
	} else if (q->ip.len == 128 && m->info.by_kind[CIRT_IOC_IP]) {
		q->fp[q->nfp++] = hash_bytes(m->seed, CIRT_IOC_IP, q->ip.a, 16);
		prefetch_fp(m, q->fp[0]);
	}
	if (m->blocks[v4])
		__builtin_prefetch(m->blocks[v4] + (block_of(&q->ip, v4) >> 3));
}

int cirt_matcher_prepare(const struct cirt_matcher *m, enum cirt_ioc_kind k,
			 const char *v, size_t n, struct cirt_matcher_query *q)
{
	unsigned labels = 1, want;
	int c;

	q->kind = k;
	q->nfp = 0;
	q->more = 0;
	if (k == CIRT_IOC_IP) {
		cirt_text_trim(&v, &n);
		if (cirt_ip_parse(v, n, false, false, &q->ip, NULL, NULL) < 0)
			return -1;
		prepare_ip(m, q);
		return 0;
	}
	q->host[0] = '\0';
	c = canon(k, v, n, q->name, q->host, NULL);
	if (c < 0)
		return -1;
	q->len = (uint16_t)c;
	if (m->info.by_kind[k] == 0)
		return 0; /* nothing of this kind to find */
	if (k != CIRT_IOC_DOMAIN) {
		q->fp[q->nfp++] = hash_bytes(m->seed, k, q->name, (size_t)c);
		prefetch_fp(m, q->fp[0]);
		return 0;
	}
	/* The name and its parents, label by label, as far as listed
	 * names have as many labels; their slots fetched at once. */
	for (int i = 0; i < c; i++)
		labels += q->name[i] == '.';
	want = labels < m->dom_max ? labels : m->dom_max;
	for (int at = 0; at < c && want >= m->dom_min; labels--) {
		const char *dot = memchr(q->name + at, '.', (size_t)(c - at));

		if (labels <= want) {
			if (q->nfp == CIRT_MATCHER_FPS) {
				q->more = (uint16_t)at; /* probe hashes on */
				break;
			}
			q->fp[q->nfp] = hash_bytes(m->seed, k, q->name + at,
						   (size_t)(c - at));
			prefetch_fp(m, q->fp[q->nfp++]);
		}
		if (!dot || labels <= m->dom_min)
			break;
		at = (int)(dot - q->name) + 1;
	}
	return 0;
}

/* An address the allow-list does not cover. */
static int lookup_ip(const struct cirt_matcher *m, const struct cirt_ip *ip,
		     uint32_t *refs, size_t max)
{
	bool v4 = cirt_ip_is_v4(ip);
	uint64_t v;
	int n = 0;

	if (ip->len == 128 && v4 && block_set(m->v4exact, v4_key(ip) >> 8))
		n = collect(m, v4_find(m, v4_key(ip)), refs, max, 0);
	else if (ip->len == 128 && m->info.by_kind[CIRT_IOC_IP])
		n = collect(
			m,
			fp_find(m, hash_bytes(m->seed, CIRT_IOC_IP, ip->a, 16)),
			refs, max, 0);
	/* Ranges of the address's family only: an IPv6 range that spans
	 * the IPv4-mapped block is not an IPv4 indicator. */
	if (!block_set(m->blocks[v4], block_of(ip, v4)))
		return n;
	if (cirt_lpm_find(m->lpm[v4], ip, &v, NULL))
		for (uint64_t r = v + 1; r; r = m->ranges[r - 1].parent)
			n = collect(m, m->ranges[r - 1].head, refs, max, n);
	return n;
}

int cirt_matcher_lookup_ip(const struct cirt_matcher *m,
			   const struct cirt_ip *ip, uint32_t *refs, size_t max)
{
	return skipped(m, ip) ? 0 : lookup_ip(m, ip, refs, max);
}

int cirt_matcher_probe(const struct cirt_matcher *m,
		       const struct cirt_matcher_query *q, uint32_t *refs,
		       size_t max)
{
	int n = 0;

	if (q->kind == CIRT_IOC_IP)
		return q->skip ? 0 : lookup_ip(m, &q->ip, refs, max);
	for (unsigned i = 0; i < q->nfp; i++)
		n = collect(m, fp_find(m, q->fp[i]), refs, max, n);
	/* A name with more parents to try than a query holds. */
	for (int at = q->more; at > 0 && at < q->len;) {
		const char *dot =
			memchr(q->name + at, '.', (size_t)(q->len - at));

		n = collect(
			m,
			fp_find(m, hash_bytes(m->seed, q->kind, q->name + at,
					      (size_t)(q->len - at))),
			refs, max, n);
		at = dot ? (int)(dot - q->name) + 1 : q->len;
	}
	return n;
}

int cirt_matcher_lookup(const struct cirt_matcher *m, enum cirt_ioc_kind k,
			const char *v, size_t n, uint32_t *refs, size_t max)
{
	struct cirt_matcher_query q;

	if (cirt_matcher_prepare(m, k, v, n, &q) < 0)
		return -1;
	return cirt_matcher_probe(m, &q, refs, max);
}

void cirt_matcher_src(const struct cirt_matcher *m, uint32_t ref,
		      struct cirt_ioc_src *out)
{
	const struct src *s = &m->srcs[ref];

	memset(out, 0, sizeof *out);
	out->origin = (enum cirt_ioc_origin)s->origin;
	out->tlp = s->tlp;
	out->confidence = s->confidence;
	if (s->origin == CIRT_IOC_STIX)
		memcpy(out->uuid, m->uuids[s->key], 16);
	else
		out->key = (int64_t)s->key;
}

void cirt_ioc_src_id(const struct cirt_ioc_src *src, char *out)
{
	char u[CIRT_UUID_LEN + 1];

	switch (src->origin) {
	case CIRT_IOC_STIX:
		cirt_uuid_format(src->uuid, u);
		snprintf(out, 64, "indicator--%s", u);
		break;
	case CIRT_IOC_EVENT:
		snprintf(out, 64, "event:%lld", (long long)src->key);
		break;
	default:
		snprintf(out, 64, "line:%lld", (long long)src->key);
		break;
	}
}

void cirt_matcher_src_id(const struct cirt_matcher *m, uint32_t ref, char *out)
{
	struct cirt_ioc_src src;

	cirt_matcher_src(m, ref, &src);
	cirt_ioc_src_id(&src, out);
}
