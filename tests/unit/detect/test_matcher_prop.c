/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * A property test of the indicator matcher (detect/matcher.c): random
 * indicator sets and random lookups, every answer compared, as a set of
 * sources, with a naive reference written here (linear scans of short
 * lists; canonical forms made by this file, not by the matcher's code).
 *
 * Each round lists a few thousand values of every kind from random
 * sources: IPv4 addresses and ranges /8 to /32 in a few /8 blocks, IPv6
 * addresses and ranges /32 to /128 under a few /32 prefixes, domain names
 * of 2 to 4 labels over a tiny alphabet (so that names and their parents
 * are listed together often), URLs built from a few parts, MD5, SHA-1 and
 * SHA-256 hex, e-mail addresses; a tenth of them again from another
 * source. Lookups are biased so that more than half hit: listed values
 * written another way (IPv6 notations, IPv4-mapped, case, trailing dot,
 * default port, empty path, fragment, angle brackets), addresses inside,
 * at the edges of and just outside ranges, values mutated (a bit
 * flipped, a label added, dropped or replaced, a hex digit changed), fresh
 * values near the listed ones or anywhere, and values of one kind looked
 * up as another. A tenth of the address lookups go through
 * cirt_matcher_lookup_ip. The info counters are checked for each set.
 *
 * Domain names of one label are not listed: the matcher may leave out
 * public suffixes as too broad (those drops are counted apart). Every
 * other value made here is valid, so any refusal fails the test.
 *
 * CIRT_PROP_SEED sets the seed (printed at the start), CIRT_PROP_CASES
 * the number of lookups (default 1,000,000, in rounds of 100,000 with a
 * fresh set each).
 */
#include "testlib.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ip.h"
#include "core/tlp.h"
#include "detect/matcher.h"

#define DEFAULT_SEED  UINT64_C(20261122)
#define DEFAULT_CASES 1000000
#define PER_ROUND     100000 /* lookups per indicator set */
#define NIND	      3000   /* indicators per set */
#define TEXT_MAX      160    /* longest text made here */
#define SHOW_MAX      10     /* mismatches printed in full */

/* ---- random numbers (rand() is banned) ---- */

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static bool chance(unsigned one_in)
{
	return below(one_in) == 0;
}

/* ---- 128-bit addresses, IPv4 as ::ffff:a.b.c.d ---- */

struct u128 {
	uint64_t hi, lo;
};

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0,    0,
					    0, 0, 0, 0, 0xff, 0xff};

static struct u128 u128_of(const unsigned char a[16])
{
	struct u128 v = {0, 0};

	for (int i = 0; i < 8; i++) {
		v.hi = v.hi << 8 | a[i];
		v.lo = v.lo << 8 | a[8 + i];
	}
	return v;
}

static void u128_bytes(struct u128 v, unsigned char a[16])
{
	for (int i = 7; i >= 0; i--) {
		a[i] = (unsigned char)(v.hi & 0xff);
		a[8 + i] = (unsigned char)(v.lo & 0xff);
		v.hi >>= 8;
		v.lo >>= 8;
	}
}

/* The network mask of a prefix of len bits (0..128). */
static struct u128 mask_of(unsigned len)
{
	struct u128 m;

	m.hi = len == 0 ? 0 : len >= 64 ? UINT64_MAX : UINT64_MAX << (64 - len);
	m.lo = len <= 64    ? 0
	       : len == 128 ? UINT64_MAX
			    : UINT64_MAX << (128 - len);
	return m;
}

static bool is_mapped(const unsigned char a[16])
{
	return memcmp(a, v4_mapped, 12) == 0;
}

static bool is_mapped_u(struct u128 a)
{
	return a.hi == 0 && a.lo >> 32 == 0xffff;
}

/* ---- indicators and the reference ---- */

struct url_parts {
	unsigned scheme, port, path, query;
	char host[64]; /* canonical: lower case, no trailing dot */
};

static const char *const schemes[] = {"http", "https"};
static const char *const ports[] = {"", ":8080", ":8443"};
static const char *const paths[] = {"/",    "/a",     "/A", "/a/b",
				    "/%41", "/x.php", "/a/"};
static const char *const queries[] = {"",	  "?q=1",     "?Q=1",
				      "?q=1&r=2", "?r=2&q=1", "?q=%41"};

/* One listed value. IP: the masked address and length in the 128-bit
 * space; others: the canonical text (and the parts of a URL). */
struct ind {
	enum cirt_ioc_kind k;
	struct u128 net, mask;
	unsigned len;
	char canon[TEXT_MAX];
	size_t n;
	struct url_parts u;
	uint32_t src; /* index into the round's sources */
};

/* The reference's scan lists: each kind's values split by a part every
 * match shares (bucket_of), so that a lookup scans one short list. */
#define NBUCKET 512

struct ref_entry {
	struct u128 net, mask; /* IP */
	const char *s;	       /* others: the canonical text */
	size_t n;
	uint32_t src;
};

struct round {
	struct ref_entry *list;			   /* by kind, then bucket */
	size_t start[CIRT_IOC_KINDS][NBUCKET + 1]; /* of each bucket */
	struct ind *ind; /* accepted values, in the order added */
	size_t n;
	size_t *by_kind[CIRT_IOC_KINDS]; /* indexes into ind per kind */
	size_t nk[CIRT_IOC_KINDS];
	struct cirt_ioc_src *src; /* one per add, accepted or not */
	size_t nsrc;
	uint64_t refused;
	uint64_t suffixes; /* domains left out as public suffixes */
};

/* ---- generators ---- */

static const char *const labels[] = {"a",  "b", "a",   "b", "ab",
				     "ba", "c", "x-1", "_s"};

/* A name of nlabels labels from the tiny alphabet, but for the last one
 * half of the time ("t0" to "t39"), so that some names are rare. */
static void gen_name(char *out, size_t cap, unsigned nlabels)
{
	size_t n = 0;

	out[0] = '\0';
	for (unsigned i = 0; i < nlabels; i++) {
		int w;

		if (i + 1 == nlabels && chance(2))
			w = snprintf(out + n, cap - n, "%st%u", i ? "." : "",
				     below(40));
		else
			w = snprintf(out + n, cap - n, "%s%s", i ? "." : "",
				     labels[below(sizeof(labels) /
						  sizeof(labels[0]))]);
		assert_true(w > 0 && (size_t)w < cap - n);
		n += (size_t)w;
	}
}

static void gen_hex(char *out, unsigned digits)
{
	for (unsigned i = 0; i < digits; i++)
		out[i] = "0123456789abcdef"[below(16)];
	out[digits] = '\0';
}

static unsigned hex_digits(enum cirt_ioc_kind k)
{
	return k == CIRT_IOC_MD5 ? 32 : k == CIRT_IOC_SHA1 ? 40 : 64;
}

/* An IPv4 address: in a few /8 blocks (so that ranges nest and overlap),
 * or anywhere when wide. */
static void gen_v4(unsigned char a[16], bool wide)
{
	static const unsigned char first[] = {198, 203, 192, 100};

	memcpy(a, v4_mapped, 12);
	if (wide) {
		for (int i = 12; i < 16; i++)
			a[i] = (unsigned char)below(256);
		return;
	}
	a[12] = first[below(4)];
	a[13] = (unsigned char)(chance(2) ? below(4) : below(256));
	a[14] = (unsigned char)(chance(2) ? below(4) : below(256));
	a[15] = (unsigned char)below(256);
}

/* An IPv6 address under a few /32 prefixes, or anywhere in 2000::/3
 * when wide; never IPv4-mapped nor under ::/32. */
static void gen_v6(unsigned char a[16], bool wide)
{
	static const unsigned char first[3][4] = {{0x20, 0x01, 0x0d, 0xb8},
						  {0x20, 0x01, 0x0d, 0xb9},
						  {0x2a, 0x00, 0x14, 0x50}};

	if (wide) {
		for (int i = 0; i < 16; i++)
			a[i] = (unsigned char)below(256);
		a[0] = (unsigned char)(0x20 | (a[0] & 0x1f));
		return;
	}
	memcpy(a, first[below(3)], 4);
	for (int g = 2; g < 8; g++) {
		unsigned v = below(4) < 2 ? 0
			     : chance(2)  ? below(4)
					  : below(65536);

		a[2 * g] = (unsigned char)(v >> 8);
		a[2 * g + 1] = (unsigned char)v;
	}
}

/* Text of address a in a random notation; *dotted says whether it ended
 * in IPv4 dotted form without the ::ffff: prefix (prefix lengths are then
 * written in IPv4 terms). */
static void addr_text(const unsigned char a[16], char *out, size_t cap,
		      bool *dotted)
{
	unsigned style = below(8);

	*dotted = false;
	if (is_mapped(a) && style < 5) {
		snprintf(out, cap, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
		*dotted = true;
	} else if (is_mapped(a) && style < 7) {
		snprintf(out, cap, "%s%u.%u.%u.%u",
			 style == 5 ? "::ffff:" : "0:0:0:0:0:FFFF:", a[12],
			 a[13], a[14], a[15]);
	} else if (style % 3 == 0) {
		char t[INET6_ADDRSTRLEN];

		assert_non_null(inet_ntop(AF_INET6, a, t, sizeof(t)));
		snprintf(out, cap, "%s", t);
	} else {
		size_t n = 0;

		/* every group written, with leading zeros or in capitals */
		for (int g = 0; g < 8; g++)
			n += (size_t)snprintf(
				out + n, cap - n,
				style % 3 == 1 ? "%s%04x" : "%s%X",
				g ? ":" : "",
				(unsigned)(a[2 * g] << 8 | a[2 * g + 1]));
	}
}

static void random_case(char *s, size_t n)
{
	unsigned how = below(3);

	for (size_t i = 0; i < n; i++) {
		if (how == 1 || (how == 2 && chance(2)))
			s[i] = (char)toupper((unsigned char)s[i]);
	}
}

static void lower(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
}

/* The reference's own canonical forms of what it wrote. */
static size_t canon_domain(const char *in, char *out)
{
	size_t n = strlen(in);

	memcpy(out, in, n + 1);
	lower(out, n);
	if (n > 0 && out[n - 1] == '.')
		out[--n] = '\0';
	return n;
}

static size_t canon_url(const struct url_parts *u, char *out)
{
	int n = snprintf(out, TEXT_MAX, "%s://%s%s%s%s", schemes[u->scheme],
			 u->host, ports[u->port], paths[u->path],
			 queries[u->query]);

	assert_true(n > 0 && n < TEXT_MAX);
	return (size_t)n;
}

/* A URL as a log might write it. */
static void url_text(const struct url_parts *u, char *out)
{
	char scheme[8], host[64];
	const char *port = ports[u->port], *path = paths[u->path];
	size_t n;

	snprintf(scheme, sizeof(scheme), "%s", schemes[u->scheme]);
	random_case(scheme, strlen(scheme));
	snprintf(host, sizeof(host), "%s", u->host);
	random_case(host, strlen(host));
	if (u->port == 0 && chance(3))
		port = u->scheme == 0 ? ":80" : ":443";
	if (u->path == 0 && chance(3))
		path = "";
	n = (size_t)snprintf(out, TEXT_MAX, "%s://%s%s%s%s", scheme, host, port,
			     path, queries[u->query]);
	if (chance(4))
		snprintf(out + n, TEXT_MAX - n, "#%s", chance(2) ? "f" : "top");
}

static void gen_url(struct url_parts *u)
{
	u->scheme = below(2);
	u->port = chance(4) ? 1 + below(2) : 0;
	u->path = below(sizeof(paths) / sizeof(paths[0]));
	u->query = chance(2) ? 0 : below(sizeof(queries) / sizeof(queries[0]));
	gen_name(u->host, sizeof(u->host), 2 + below(2));
}

static const char *const locals[] = {"u", "v", "uv", "info", "x1"};

/* "local@domain", canonical. */
static void gen_email(char *out)
{
	char dom[64];

	gen_name(dom, sizeof(dom), 2 + below(2));
	snprintf(out, TEXT_MAX, "%s@%s", locals[below(5)], dom);
}

static void email_text(const char *canon, char *out)
{
	char t[TEXT_MAX];

	snprintf(t, sizeof(t), "%s", canon);
	random_case(t, strlen(t));
	snprintf(out, TEXT_MAX, chance(4) ? "<%s>" : "%s", t);
}

static size_t canon_email(const char *in, char *out)
{
	size_t n = strlen(in);

	if (n >= 2 && in[0] == '<' && in[n - 1] == '>') {
		in++;
		n -= 2;
	}
	memcpy(out, in, n);
	out[n] = '\0';
	lower(out, n);
	return n;
}

/* ---- building a round ---- */

static void make_src(struct round *r, struct cirt_ioc_src *s)
{
	uint32_t i = (uint32_t)r->nsrc;

	memset(s, 0, sizeof(*s));
	s->origin = (enum cirt_ioc_origin)below(3);
	s->tlp = (uint8_t)below(5);
	s->confidence = (uint8_t)below(101);
	if (s->origin == CIRT_IOC_STIX) {
		for (int j = 0; j < 12; j++)
			s->uuid[j] = (unsigned char)below(256);
		s->uuid[12] = (unsigned char)(i >> 24);
		s->uuid[13] = (unsigned char)(i >> 16);
		s->uuid[14] = (unsigned char)(i >> 8);
		s->uuid[15] = (unsigned char)i;
	} else {
		s->key = (int64_t)i + 1;
	}
}

/* The index of the source s was made from, or -1. */
static int64_t src_index(const struct round *r, const struct cirt_ioc_src *s)
{
	int64_t i;

	if (s->origin == CIRT_IOC_STIX)
		i = (int64_t)s->uuid[12] << 24 | s->uuid[13] << 16 |
		    s->uuid[14] << 8 | s->uuid[15];
	else if (s->origin == CIRT_IOC_EVENT || s->origin == CIRT_IOC_FILE)
		i = s->key - 1;
	else
		return -1;
	if (i < 0 || (size_t)i >= r->nsrc)
		return -1;
	{
		const struct cirt_ioc_src *w = &r->src[i];

		if (w->origin != s->origin || w->tlp != s->tlp ||
		    w->confidence != s->confidence ||
		    (s->origin == CIRT_IOC_STIX
			     ? memcmp(w->uuid, s->uuid, 16) != 0
			     : w->key != s->key))
			return -1;
	}
	return i;
}

/* A random indicator: its text into text, its reference entry into e. */
static void gen_indicator(struct ind *e, char *text)
{
	unsigned what = below(100);
	unsigned char a[16];
	bool dotted;

	memset(e, 0, sizeof(*e));
	if (what < 40) {
		e->k = CIRT_IOC_IP;
		if (what < 20)
			gen_v4(a, false);
		else
			gen_v6(a, false);
		if (chance(2))
			e->len = 128;
		else if (is_mapped(a))
			e->len = 96 +
				 (chance(8) ? 8 + below(8) : 16 + below(17));
		else
			e->len = chance(8) ? 32 + below(16) : 48 + below(81);
		e->mask = mask_of(e->len);
		e->net = u128_of(a);
		e->net.hi &= e->mask.hi;
		e->net.lo &= e->mask.lo;
		/* loose: host bits written half of the time */
		if (!chance(2))
			u128_bytes(e->net, a);
		addr_text(a, text, TEXT_MAX, &dotted);
		if (e->len < 128 || chance(8)) {
			size_t n = strlen(text);

			snprintf(text + n, TEXT_MAX - n, "/%u",
				 dotted ? e->len - 96 : e->len);
		}
		return;
	}
	if (what < 60) {
		char name[TEXT_MAX];

		e->k = CIRT_IOC_DOMAIN;
		/* two labels at least: a single label is a top-level
		 * domain, which the matcher leaves out as too broad */
		gen_name(name, sizeof(name), 2 + below(3));
		e->n = canon_domain(name, e->canon);
		random_case(name, strlen(name));
		snprintf(text, TEXT_MAX, chance(5) ? "%s." : "%s", name);
		return;
	}
	if (what < 72) {
		e->k = CIRT_IOC_URL;
		gen_url(&e->u);
		e->n = canon_url(&e->u, e->canon);
		url_text(&e->u, text);
		return;
	}
	if (what < 90) {
		e->k = (enum cirt_ioc_kind)(CIRT_IOC_MD5 + below(3));
		gen_hex(e->canon, hex_digits(e->k));
		e->n = strlen(e->canon);
		snprintf(text, TEXT_MAX, "%s", e->canon);
		random_case(text, e->n);
		return;
	}
	e->k = CIRT_IOC_EMAIL;
	gen_email(e->canon);
	e->n = strlen(e->canon);
	email_text(e->canon, text);
}

static void round_add(struct round *r, struct cirt_matcher_builder *b,
		      const struct ind *e, const char *text)
{
	struct cirt_ioc_src *s = &r->src[r->nsrc];
	struct cirt_diag d;
	enum cirt_ioc_drop why = CIRT_IOC_DROP_REASONS;
	int rc;

	make_src(r, s);
	r->nsrc++;
	cirt_diag_init(&d);
	rc = cirt_matcher_add(b, e->k, text, strlen(text), s, &why, &d);
	if (rc == 0 && e->k == CIRT_IOC_DOMAIN && why == CIRT_IOC_DROP_BROAD) {
		r->suffixes++;
		return;
	}
	if (rc != 1) {
		if (r->refused < SHOW_MAX)
			print_message("# refused %s \"%s\": %d (%s%s)\n",
				      cirt_ioc_kind_name(e->k), text, rc,
				      rc == 0 && why < CIRT_IOC_DROP_REASONS
					      ? cirt_ioc_drop_name(why)
					      : "",
				      d.message);
		r->refused++;
		return;
	}
	r->ind[r->n] = *e;
	r->ind[r->n].src = (uint32_t)(r->nsrc - 1);
	r->by_kind[e->k][r->nk[e->k]++] = r->n;
	r->n++;
}

static struct cirt_matcher *round_build(struct round *r)
{
	struct cirt_matcher_builder *b = cirt_matcher_builder_new(false);
	struct cirt_matcher *m;

	assert_non_null(b);
	memset(r->nk, 0, sizeof(r->nk));
	r->n = r->nsrc = 0;
	r->refused = r->suffixes = 0;
	for (size_t i = 0; i < NIND; i++) {
		struct ind e;
		char text[TEXT_MAX];

		/* a listed value again from another source, written
		 * another way for names */
		if (r->n > 0 && chance(10)) {
			e = r->ind[below((unsigned)r->n)];
			if (e.k == CIRT_IOC_DOMAIN || e.k == CIRT_IOC_MD5 ||
			    e.k == CIRT_IOC_SHA1 || e.k == CIRT_IOC_SHA256) {
				snprintf(text, sizeof(text), "%s", e.canon);
				random_case(text, e.n);
				round_add(r, b, &e, text);
				continue;
			}
		}
		gen_indicator(&e, text);
		round_add(r, b, &e, text);
	}
	m = cirt_matcher_build(b);
	assert_non_null(m);
	return m;
}

/* ---- the info counters against the reference ---- */

static int cmp_ind(const void *pa, const void *pb)
{
	const struct ind *a = pa, *b = pb;

	if (a->k != b->k)
		return a->k < b->k ? -1 : 1;
	if (a->k == CIRT_IOC_IP) {
		if (a->len != b->len)
			return a->len < b->len ? -1 : 1;
		if (a->net.hi != b->net.hi)
			return a->net.hi < b->net.hi ? -1 : 1;
		if (a->net.lo != b->net.lo)
			return a->net.lo < b->net.lo ? -1 : 1;
		return 0;
	}
	return strcmp(a->canon, b->canon);
}

static void check_info(const struct round *r, const struct cirt_matcher *m)
{
	struct ind *sorted = malloc(r->n * sizeof(*sorted) + 1);
	struct cirt_matcher_info info;
	uint64_t values = 0, ranges = 0;

	assert_non_null(sorted);
	memcpy(sorted, r->ind, r->n * sizeof(*sorted));
	qsort(sorted, r->n, sizeof(*sorted), cmp_ind);
	for (size_t i = 0; i < r->n; i++) {
		if (i > 0 && cmp_ind(&sorted[i - 1], &sorted[i]) == 0)
			continue;
		values++;
		if (sorted[i].k == CIRT_IOC_IP && sorted[i].len < 128)
			ranges++;
	}
	free(sorted);
	cirt_matcher_info(m, &info);
	assert_int_equal(info.sources, r->n);
	for (int k = 0; k < CIRT_IOC_KINDS; k++)
		assert_int_equal(info.by_kind[k], r->nk[k]);
	assert_int_equal(info.values, values);
	assert_int_equal(info.ranges, ranges);
	for (int d = 0; d < CIRT_IOC_DROP_REASONS; d++)
		assert_int_equal(info.dropped[d],
				 d == CIRT_IOC_DROP_BROAD ? r->suffixes : 0);
	assert_true(info.bytes > 0);
}

/* ---- lookups ---- */

/* One lookup: its kind and text, and what the reference compares. */
struct query {
	enum cirt_ioc_kind k;
	char text[TEXT_MAX];
	struct u128 addr;     /* IP */
	char canon[TEXT_MAX]; /* others */
	size_t n;
	bool parsed; /* through cirt_matcher_lookup_ip */
};

static const struct ind *pick(const struct round *r, enum cirt_ioc_kind k)
{
	if (r->nk[k] == 0)
		return NULL;
	return &r->ind[r->by_kind[k][below((unsigned)r->nk[k])]];
}

static void query_ip(const struct round *r, struct query *q)
{
	const struct ind *e = pick(r, CIRT_IOC_IP);
	unsigned char a[16];
	struct u128 v, host;
	bool dotted;

	q->k = CIRT_IOC_IP;
	if (e && !chance(3)) {
		host.hi = ~e->mask.hi;
		host.lo = ~e->mask.lo;
		v = e->net;
		switch (below(6)) {
		case 0: /* somewhere inside */
			v.hi |= rnd() & host.hi;
			v.lo |= rnd() & host.lo;
			break;
		case 1: /* the last address */
			v.hi |= host.hi;
			v.lo |= host.lo;
			break;
		case 2: /* just before the first */
			if (v.lo-- == 0)
				v.hi--;
			break;
		case 3: /* just after the last */
			v.hi |= host.hi;
			v.lo |= host.lo;
			if (++v.lo == 0)
				v.hi++;
			break;
		case 4: { /* one bit flipped, in IPv4's 32 for IPv4 */
			unsigned bit;

			u128_bytes(v, a);
			bit = is_mapped(a) ? 96 + below(32) : below(128);
			if (bit < 64)
				v.hi ^= UINT64_C(1) << (63 - bit);
			else
				v.lo ^= UINT64_C(1) << (127 - bit);
			break;
		}
		default: /* the first */
			break;
		}
		u128_bytes(v, a);
	} else if (chance(2)) {
		gen_v4(a, chance(2));
	} else {
		gen_v6(a, chance(2));
	}
	q->addr = u128_of(a);
	q->parsed = chance(10);
	addr_text(a, q->text, TEXT_MAX, &dotted);
}

static void mutate_name(char *name, size_t cap)
{
	char t[TEXT_MAX], l[16];
	char *dot;

	gen_name(l, sizeof(l), 1);
	switch (below(6)) {
	case 0: /* a subdomain */
		snprintf(t, sizeof(t), "%s.%s", l, name);
		break;
	case 1: /* two levels down */
		gen_name(t, sizeof(t), 1);
		snprintf(t + strlen(t), sizeof(t) - strlen(t), ".%s.%s", l,
			 name);
		break;
	case 2: /* the parent */
		dot = strchr(name, '.');
		snprintf(t, sizeof(t), "%s", dot ? dot + 1 : name);
		break;
	case 3: /* the first label replaced */
		dot = strchr(name, '.');
		snprintf(t, sizeof(t), "%s%s", l, dot ? dot : "");
		break;
	case 4: /* a label added at the end */
		snprintf(t, sizeof(t), "%s.%s", name, l);
		break;
	default: /* the same name */
		snprintf(t, sizeof(t), "%s", name);
		break;
	}
	snprintf(name, cap, "%s", t);
}

static void query_domain(const struct round *r, struct query *q)
{
	const struct ind *e = pick(r, CIRT_IOC_DOMAIN);
	char name[TEXT_MAX];

	q->k = CIRT_IOC_DOMAIN;
	if (e && !chance(3)) {
		snprintf(name, sizeof(name), "%s", e->canon);
		if (!chance(4))
			mutate_name(name, sizeof(name));
	} else {
		gen_name(name, sizeof(name), 1 + below(5));
	}
	random_case(name, strlen(name));
	snprintf(q->text, TEXT_MAX, chance(5) ? "%s." : "%s", name);
	q->n = canon_domain(q->text, q->canon);
}

static void query_url(const struct round *r, struct query *q)
{
	const struct ind *e = pick(r, CIRT_IOC_URL);
	struct url_parts u;

	q->k = CIRT_IOC_URL;
	if (e && !chance(3)) {
		u = e->u;
		switch (chance(2) ? 5 : below(5)) {
		case 0:
			u.scheme ^= 1;
			break;
		case 1:
			u.port = below(3);
			break;
		case 2:
			u.path = below(sizeof(paths) / sizeof(paths[0]));
			break;
		case 3:
			u.query = below(sizeof(queries) / sizeof(queries[0]));
			break;
		case 4:
			mutate_name(u.host, sizeof(u.host));
			break;
		default:
			break;
		}
	} else {
		gen_url(&u);
	}
	url_text(&u, q->text);
	q->n = canon_url(&u, q->canon);
}

static void query_hash(const struct round *r, struct query *q)
{
	enum cirt_ioc_kind k = (enum cirt_ioc_kind)(CIRT_IOC_MD5 + below(3));
	const struct ind *e = pick(r, k);

	q->k = k;
	if (e && !chance(3)) {
		memcpy(q->canon, e->canon, e->n + 1);
		if (chance(3)) {
			size_t at = below((unsigned)e->n);
			char c;

			do
				c = "0123456789abcdef"[below(16)];
			while (c == q->canon[at]);
			q->canon[at] = c;
		}
	} else {
		gen_hex(q->canon, hex_digits(k));
	}
	q->n = strlen(q->canon);
	memcpy(q->text, q->canon, q->n + 1);
	random_case(q->text, q->n);
}

static void query_email(const struct round *r, struct query *q)
{
	const struct ind *e = pick(r, CIRT_IOC_EMAIL);
	char c[TEXT_MAX];
	int n = 0;

	q->k = CIRT_IOC_EMAIL;
	if (e && !chance(3)) {
		const char *at = strchr(e->canon, '@');
		char dom[TEXT_MAX];

		assert_non_null(at);
		snprintf(dom, sizeof(dom), "%s", at + 1);
		switch (below(4)) {
		case 0: /* another mailbox */
			n = snprintf(c, sizeof(c), "%s@%s", locals[below(5)],
				     dom);
			break;
		case 1: /* a subdomain is another address */
			mutate_name(dom, sizeof(dom));
			n = snprintf(c, sizeof(c), "%.*s@%s",
				     (int)(at - e->canon), e->canon, dom);
			break;
		default:
			n = snprintf(c, sizeof(c), "%s", e->canon);
			break;
		}
	} else {
		gen_email(c);
	}
	assert_true(n >= 0 && n < TEXT_MAX);
	email_text(c, q->text);
	q->n = canon_email(q->text, q->canon);
}

/* Text of one kind looked up as another: a hash, a URL's host or an
 * e-mail address's domain as a domain name. (Some listed domain names are
 * a listed MD5's text, so hash lookups check the other way.) */
static void query_cross(const struct round *r, struct query *q)
{
	const struct ind *e;

	switch (below(3)) {
	case 0:
		/* (a SHA-256 is too long for a label) */
		e = pick(r, (enum cirt_ioc_kind)(CIRT_IOC_MD5 + below(2)));
		if (e) {
			snprintf(q->text, TEXT_MAX, "%s", e->canon);
			break;
		}
		/* fall through */
	case 1:
		e = pick(r, CIRT_IOC_URL);
		if (e) {
			snprintf(q->text, TEXT_MAX, "%s", e->u.host);
			break;
		}
		/* fall through */
	default:
		e = pick(r, CIRT_IOC_EMAIL);
		snprintf(q->text, TEXT_MAX, "%s",
			 e ? strchr(e->canon, '@') + 1 : "a.b");
		break;
	}
	q->k = CIRT_IOC_DOMAIN;
	q->n = canon_domain(q->text, q->canon);
}

static void make_query(const struct round *r, struct query *q)
{
	unsigned what = below(100);

	memset(q, 0, sizeof(*q));
	if (what < 35)
		query_ip(r, q);
	else if (what < 55)
		query_domain(r, q);
	else if (what < 70)
		query_url(r, q);
	else if (what < 85)
		query_hash(r, q);
	else if (what < 95)
		query_email(r, q);
	else
		query_cross(r, q);
}

static unsigned fnv(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/*
 * The list of a value: IPv4 by the first octet (every range is /8 or
 * longer), IPv6 by the first 32 bits (every range is /32 or longer and
 * none starts with 32 zero bits, so none contains IPv4), a domain by its
 * last label (a parent domain has the same one), the others by the whole
 * text.
 */
static unsigned bucket_of(enum cirt_ioc_kind k, struct u128 a, const char *s,
			  size_t n)
{
	if (k == CIRT_IOC_IP) {
		if (is_mapped_u(a))
			return (unsigned)(a.lo >> 24) & 0xff;
		return 256 + (unsigned)(a.hi >> 32) % 256;
	}
	if (k == CIRT_IOC_DOMAIN) {
		size_t last = n;

		while (last > 0 && s[last - 1] != '.')
			last--;
		s += last;
		n -= last;
	}
	return fnv(s, n) % NBUCKET;
}

static unsigned ind_bucket(const struct ind *e)
{
	return bucket_of(e->k, e->net, e->canon, e->n);
}

/* Fill the scan lists from the round's values: count per list, then
 * place each value after the lists before its own. */
static void round_index(struct round *r)
{
	static size_t fill[CIRT_IOC_KINDS][NBUCKET];
	size_t at = 0;

	memset(fill, 0, sizeof(fill));
	for (size_t i = 0; i < r->n; i++) {
		const struct ind *e = &r->ind[i];

		if (e->k == CIRT_IOC_IP && !is_mapped_u(e->net))
			assert_true(e->net.hi >> 32 != 0);
		fill[e->k][ind_bucket(e)]++;
	}
	for (int k = 0; k < CIRT_IOC_KINDS; k++) {
		for (int b = 0; b < NBUCKET; b++) {
			size_t c = fill[k][b];

			r->start[k][b] = fill[k][b] = at;
			at += c;
		}
		r->start[k][NBUCKET] = at;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct ind *e = &r->ind[i];
		struct ref_entry *x = &r->list[fill[e->k][ind_bucket(e)]++];

		x->net = e->net;
		x->mask = e->mask;
		x->s = e->canon;
		x->n = e->n;
		x->src = e->src;
	}
}

/* The reference: the sources of every listed value q matches. */
static size_t reference(const struct round *r, const struct query *q,
			uint32_t *out)
{
	unsigned b = bucket_of(q->k, q->addr, q->canon, q->n);
	size_t n = 0;

	for (size_t j = r->start[q->k][b]; j < r->start[q->k][b + 1]; j++) {
		const struct ref_entry *e = &r->list[j];
		bool hit;

		if (q->k == CIRT_IOC_IP)
			hit = ((q->addr.hi ^ e->net.hi) & e->mask.hi) == 0 &&
			      ((q->addr.lo ^ e->net.lo) & e->mask.lo) == 0;
		else if (q->k == CIRT_IOC_DOMAIN)
			hit = e->n <= q->n &&
			      memcmp(q->canon + q->n - e->n, e->s, e->n) == 0 &&
			      (e->n == q->n ||
			       q->canon[q->n - e->n - 1] == '.');
		else
			hit = e->n == q->n && memcmp(e->s, q->canon, q->n) == 0;
		if (hit)
			out[n++] = e->src;
	}
	return n;
}

static int cmp_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return a < b ? -1 : a > b;
}

struct stats {
	uint64_t cases, hits, mismatches, by_kind[CIRT_IOC_KINDS];
	uint64_t hits_by_kind[CIRT_IOC_KINDS];
	uint64_t refused, suffixes;
};

static void show(const char *what, const uint32_t *v, size_t n)
{
	print_message("#   %s (%zu):", what, n);
	for (size_t i = 0; i < n && i < 12; i++)
		print_message(" %u", v[i]);
	print_message("%s\n", n > 12 ? " ..." : "");
}

/* Run one lookup and compare; false on a mismatch. */
static bool check_one(const struct round *r, const struct cirt_matcher *m,
		      const struct query *q, uint32_t *refs, size_t max,
		      uint32_t *want, struct stats *st, uint64_t nr)
{
	size_t nw = reference(r, q, want);
	int got;

	if (q->parsed) {
		struct cirt_ip ip;

		u128_bytes(q->addr, ip.a);
		ip.len = 128;
		got = cirt_matcher_lookup_ip(m, &ip, refs, max);
	} else {
		got = cirt_matcher_lookup(m, q->k, q->text, strlen(q->text),
					  refs, max);
	}
	if (got >= 0 && (size_t)got <= max) {
		for (int i = 0; i < got; i++) {
			struct cirt_ioc_src s;
			int64_t idx;

			cirt_matcher_src(m, refs[i], &s);
			idx = src_index(r, &s);
			refs[i] = idx < 0 ? UINT32_MAX : (uint32_t)idx;
		}
		qsort(refs, (size_t)got, sizeof(*refs), cmp_u32);
		qsort(want, nw, sizeof(*want), cmp_u32);
		if ((size_t)got == nw &&
		    memcmp(refs, want, nw * sizeof(*want)) == 0) {
			st->hits += nw > 0;
			st->hits_by_kind[q->k] += nw > 0;
			return true;
		}
	}
	if (st->mismatches < SHOW_MAX) {
		char a[INET6_ADDRSTRLEN] = "";
		unsigned char b[16];

		u128_bytes(q->addr, b);
		if (q->k == CIRT_IOC_IP)
			inet_ntop(AF_INET6, b, a, sizeof(a));
		print_message("# case %llu: %s%s \"%s\" (reference: \"%s\"): "
			      "%zu sources expected, matcher returned %d\n",
			      (unsigned long long)nr, cirt_ioc_kind_name(q->k),
			      q->parsed ? " (parsed)" : "", q->text,
			      q->k == CIRT_IOC_IP ? a : q->canon, nw, got);
		show("expected", want, nw);
		if (got > 0 && (size_t)got <= max)
			show("got", refs, (size_t)got);
	}
	st->mismatches++;
	return false;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);
	char *end;
	unsigned long long v;

	if (!s || !*s)
		return def;
	v = strtoull(s, &end, 0);
	if (*end != '\0')
		fail_msg("%s=\"%s\" is not a number", name, s);
	return v;
}

static void test_matcher_matches_reference(void **state)
{
	uint64_t seed = env_u64("CIRT_PROP_SEED", DEFAULT_SEED);
	uint64_t cases = env_u64("CIRT_PROP_CASES", DEFAULT_CASES);
	struct round r;
	struct stats st;
	size_t max = NIND + 8;
	uint32_t *refs = malloc(max * sizeof(*refs));
	uint32_t *want = malloc(max * sizeof(*want));

	(void)state;
	assert_non_null(refs);
	assert_non_null(want);
	memset(&r, 0, sizeof(r));
	memset(&st, 0, sizeof(st));
	r.ind = malloc(NIND * sizeof(*r.ind));
	r.list = malloc(NIND * sizeof(*r.list));
	assert_non_null(r.list);
	r.src = malloc(NIND * sizeof(*r.src));
	assert_non_null(r.ind);
	assert_non_null(r.src);
	for (int k = 0; k < CIRT_IOC_KINDS; k++) {
		r.by_kind[k] = malloc(NIND * sizeof(size_t));
		assert_non_null(r.by_kind[k]);
	}
	print_message("# seed %llu (CIRT_PROP_SEED), %llu cases "
		      "(CIRT_PROP_CASES)\n",
		      (unsigned long long)seed, (unsigned long long)cases);
	rng = seed;
	while (st.cases < cases) {
		struct cirt_matcher *m = round_build(&r);
		uint64_t end = st.cases + PER_ROUND;

		round_index(&r);
		st.refused += r.refused;
		st.suffixes += r.suffixes;
		check_info(&r, m);
		if (end > cases)
			end = cases;
		for (; st.cases < end; st.cases++) {
			struct query q;

			make_query(&r, &q);
			st.by_kind[q.k]++;
			check_one(&r, m, &q, refs, max, want, &st, st.cases);
		}
		cirt_matcher_free(m);
	}
	print_message("# %llu lookups, %llu with matches (%.0f%%), %llu "
		      "mismatches, %llu values refused, %llu domains left "
		      "out as public suffixes\n",
		      (unsigned long long)st.cases, (unsigned long long)st.hits,
		      st.cases ? 100.0 * (double)st.hits / (double)st.cases
			       : 0.0,
		      (unsigned long long)st.mismatches,
		      (unsigned long long)st.refused,
		      (unsigned long long)st.suffixes);
	for (int k = 0; k < CIRT_IOC_KINDS; k++)
		print_message("#   %s: %llu lookups, %llu with matches\n",
			      cirt_ioc_kind_name((enum cirt_ioc_kind)k),
			      (unsigned long long)st.by_kind[k],
			      (unsigned long long)st.hits_by_kind[k]);
	for (int k = 0; k < CIRT_IOC_KINDS; k++)
		free(r.by_kind[k]);
	free(r.ind);
	free(r.list);
	free(r.src);
	free(refs);
	free(want);
	if (st.mismatches || st.refused)
		fail_msg("seed %llu: %llu mismatches, %llu valid values "
			 "refused",
			 (unsigned long long)seed,
			 (unsigned long long)st.mismatches,
			 (unsigned long long)st.refused);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matcher_matches_reference),
	};

	return cmocka_run_group_tests_name("matcher_prop", tests, NULL, NULL);
}
