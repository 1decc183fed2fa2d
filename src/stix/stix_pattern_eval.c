/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX pattern evaluation: whether a set of timestamped observations
 * matches a parsed pattern (STIX 2.1 section 9, STIX-18), and the walk
 * that lists the terms of a simple pattern for the matcher builder. It
 * does not parse (stix_pattern.c) and does not fetch observations: the
 * caller passes them, each a time and a JSON object of SCOs keyed by id.
 *
 * Layer: stix. Thread-safe: all state is in a context on the caller's
 * stack and heap; the pattern is only read. Work is bounded by
 * CIRT_PATTERN_EVAL_BUDGET (-CIRT_ELIMIT past it), recursion by the
 * parser's depth and path limits, and each regex by PCRE2 limits.
 *
 * Design, in two stages:
 *  1. Every observation expression [ ... ] (a "leaf") is tested against
 *     every observation once: it matches an observation if some SCO in
 *     it, taken as the start of every object path, satisfies the
 *     comparison expression. The result is, per leaf, the sorted list of
 *     matching positions (observations sorted by time).
 *  2. The observation operators and qualifiers are a search for one
 *     binding: a choice of distinct observations for the leaves. Each
 *     node is an iterator over its bindings that backtracks on demand,
 *     within a window of positions: AND and REPEATS need disjoint parts
 *     (a shared "used" map), FOLLOWEDBY starts the next part's window at
 *     the time the previous part ended, START/STOP narrows the window,
 *     WITHIN tries each earliest observation with the window it allows,
 *     REPEATS takes its parts in order of their first observation (no
 *     permutations). Before a part is started, an upper bound on the
 *     number of disjoint bindings the remaining parts could have in
 *     their window (from the leaves' candidate counts) cuts hopeless
 *     branches, so [a] REPEATS 5 TIMES WITHIN 60 SECONDS over many
 *     observations costs a sliding window, not combinations. What is
 *     still exponential (AND of many identical parts that cannot all be
 *     placed) runs into the budget.
 *
 * Comparison rules (STIX 2.1 9.6, standards.md 1.11): a path that gives
 * no value is false whatever the operator (NOT EXISTS aside); an
 * operand of another type is false, or true for !=; NOT negates the
 * operator for each value; [*] is true if any element is; strings
 * compare by code point; _bin and _hex properties as octets, a string
 * constant converted when all its code points are below U+0100 (and a
 * string property against a b'' or h'' constant likewise); integers and
 * floats by exact value; LIKE (%, _) and MATCHES on NFC-normalised text,
 * or on the octets of _bin/_hex properties; MATCHES as a PCRE2 search
 * with DOTALL (Unicode for text, bytes for octets); ISSUBSET/ISSUPERSET
 * as CIDR containment of the same address family, identical blocks
 * included. A regex that hits a PCRE2 limit counts as no value (false).
 */
#include "stix/stix_pattern.h"

#include <stdlib.h>
#include <string.h>

#include <uninorm.h>
#include <unistr.h>

#include "core/log.h"
#include "core/mem.h"
#include "stix/stix_pattern_int.h"

#include "core/banned.h"

#define NONE UINT32_MAX

struct cands {
	uint32_t *v; /* positions, ascending */
	size_t n;
	size_t cap;
};

struct ectx {
	const struct cirt_pattern *p;
	const struct cirt_pattern_obs *obs;
	size_t n;
	uint32_t *perm;	     /* position -> index into obs */
	int64_t *time;	     /* by position, ascending */
	uint8_t *used;	     /* by position: taken by the current binding */
	struct cands *cands; /* by leaf */
	uint64_t left;	     /* budget */
	bool over;
	pcre2_match_data *md;
	json_t *objects; /* SCOs of the observation being tested */
};

/* Spend units of the budget; true once it is gone. */
static bool charge(struct ectx *e, uint64_t units)
{
	if (e->over || e->left < units) {
		e->over = true;
		e->left = 0;
		return true;
	}
	e->left -= units;
	return false;
}

/* ---- values ---- */

enum {
	R_FALSE,
	R_TRUE,
	R_INCOMPAT,
	R_MISSING
};

static int sign_of(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

/* Order of integer i and double f (not NaN), exactly (STIX 2.1 9.2). */
static int cmp_int_float(int64_t i, double f)
{
	int64_t t;
	double dt;

	if (f >= 9223372036854775808.0)
		return -1;
	if (f < -9223372036854775808.0)
		return 1;
	t = (int64_t)f; /* towards zero, in range */
	if (i != t)
		return i < t ? -1 : 1;
	dt = (double)t;
	return (f > dt) ? -1 : (f < dt) ? 1 : 0;
}

static int cmp_bytes(const void *a, size_t na, const void *b, size_t nb)
{
	int r = memcmp(a, b, na < nb ? na : nb);

	if (r != 0)
		return r < 0 ? -1 : 1;
	return (na > nb) - (na < nb);
}

/* The octets of a _bin (base64) or _hex property value, or NULL. */
static unsigned char *prop_octets(const struct cirt_pattern_cmp *c,
				  const json_t *v, size_t *len)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	unsigned char *out = cirt_xmalloc(n / 2 + n / 4 * 3 + 1);
	int rc;

	if (c->hex) {
		rc = cirt_pattern_hex_decode(s, n, out);
		*len = n / 2;
	} else {
		rc = cirt_pattern_base64_decode(s, n, false, out, len);
	}
	if (rc) {
		free(out);
		return NULL;
	}
	return out;
}

/* Order a string value against a string or binary constant as octets:
 * binary properties are decoded, strings taken as code points below
 * U+0100 (STIX 2.1 9.2, 9.6.4). */
static int order_octets(const struct cirt_pattern_cmp *c,
			const struct cirt_pattern_value *k, const json_t *v,
			int *ord)
{
	unsigned char *val, *con = NULL;
	const void *cp = k->str;
	size_t vlen, clen = k->len;

	if (c->binary)
		val = prop_octets(c, v, &vlen);
	else
		val = cirt_pattern_latin1(json_string_value(v),
					  json_string_length(v), &vlen);
	if (val == NULL)
		return R_INCOMPAT;
	if (k->kind == CIRT_PATTERN_V_STRING) {
		con = cirt_pattern_latin1(k->str, k->len, &clen);
		cp = con;
	}
	if (cp == NULL) {
		free(val);
		return R_INCOMPAT;
	}
	*ord = cmp_bytes(val, vlen, cp, clen);
	free(val);
	free(con);
	return R_TRUE;
}

static int order_number(const struct cirt_pattern_value *k, const json_t *v,
			int *ord)
{
	bool ki = k->kind == CIRT_PATTERN_V_INT;

	if (json_is_integer(v)) {
		*ord = ki ? sign_of(json_integer_value(v), k->i)
			  : cmp_int_float(json_integer_value(v), k->f);
	} else if (json_is_real(v)) {
		if (ki)
			*ord = -cmp_int_float(k->i, json_real_value(v));
		else
			*ord = (json_real_value(v) > k->f) -
			       (json_real_value(v) < k->f);
	} else {
		return R_INCOMPAT;
	}
	return R_TRUE;
}

/* Order value v against constant k: R_TRUE with *ord = sign(v - k), or
 * R_INCOMPAT. */
static int order(const struct cirt_pattern_cmp *c,
		 const struct cirt_pattern_value *k, const json_t *v, int *ord)
{
	struct cirt_pattern_time t;
	const char *why;

	switch (k->kind) {
	case CIRT_PATTERN_V_STRING:
		if (!json_is_string(v))
			return R_INCOMPAT;
		if (c->binary)
			return order_octets(c, k, v, ord);
		*ord = cmp_bytes(json_string_value(v), json_string_length(v),
				 k->str, k->len);
		return R_TRUE;
	case CIRT_PATTERN_V_INT:
	case CIRT_PATTERN_V_FLOAT:
		return order_number(k, v, ord);
	case CIRT_PATTERN_V_BOOL:
		if (!json_is_boolean(v))
			return R_INCOMPAT;
		*ord = json_is_true(v) != (k->i != 0);
		return R_TRUE;
	case CIRT_PATTERN_V_BINARY:
		if (!json_is_string(v))
			return R_INCOMPAT;
		return order_octets(c, k, v, ord);
	case CIRT_PATTERN_V_TIME:
		if (!json_is_string(v) ||
		    cirt_pattern_time_parse(json_string_value(v),
					    json_string_length(v), &t, &why))
			return R_INCOMPAT;
		*ord = cirt_pattern_time_cmp(&t, &k->t);
		return R_TRUE;
	}
	return R_INCOMPAT;
}

static int relation(const struct cirt_pattern_cmp *c, const json_t *v)
{
	int ord = 0, r;
	bool ok;

	r = order(c, &c->values[0], v, &ord);
	if (r != R_TRUE)
		return r;
	switch (c->op) {
	case CIRT_PATTERN_OP_EQ:
		ok = ord == 0;
		break;
	case CIRT_PATTERN_OP_NE:
		ok = ord != 0;
		break;
	case CIRT_PATTERN_OP_LT:
		ok = ord < 0;
		break;
	case CIRT_PATTERN_OP_LE:
		ok = ord <= 0;
		break;
	case CIRT_PATTERN_OP_GT:
		ok = ord > 0;
		break;
	default:
		ok = ord >= 0;
		break;
	}
	return ok ? R_TRUE : R_FALSE;
}

/* IN: equal to one of the set; incompatible only if with all of it. */
static int member(const struct cirt_pattern_cmp *c, const json_t *v)
{
	int r = R_INCOMPAT, ord;

	for (size_t i = 0; i < c->nvalues; i++) {
		if (order(c, &c->values[i], v, &ord) != R_TRUE)
			continue;
		if (ord == 0)
			return R_TRUE;
		r = R_FALSE;
	}
	return c->nvalues == 0 ? R_FALSE : r;
}

static bool ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] >= 0x80)
			return false;
	}
	return true;
}

/* SQL LIKE over code points: '%' any run, '_' one. Backtracks only to
 * the last '%' (O(n * m) at worst, charged to the budget). */
static int like_match(struct ectx *e, const uint32_t *p, size_t m,
		      const uint32_t *t, size_t n)
{
	size_t i = 0, j = 0, star = SIZE_MAX, mark = 0, steps = 0;

	while (i < n) {
		if (++steps % 1024 == 0 && charge(e, 1024))
			return R_MISSING;
		if (j < m && p[j] == '%') {
			star = j++;
			mark = i;
		} else if (j < m && (p[j] == '_' || p[j] == t[i])) {
			i++;
			j++;
		} else if (star != SIZE_MAX) {
			j = star + 1;
			i = ++mark;
		} else {
			return R_FALSE;
		}
	}
	while (j < m && p[j] == '%')
		j++;
	return j == m ? R_TRUE : R_FALSE;
}

/* The octets of a binary property as code points U+0000-U+00FF. */
static uint32_t *octet_points(const struct cirt_pattern_cmp *c, const json_t *v,
			      size_t *n)
{
	unsigned char *b = prop_octets(c, v, n);
	uint32_t *u;

	if (b == NULL)
		return NULL;
	u = cirt_xcalloc(*n ? *n : 1, sizeof(*u));
	for (size_t i = 0; i < *n; i++)
		u[i] = b[i];
	free(b);
	return u;
}

/* The code points of text s[0..n) after NFC, or NULL. */
static uint32_t *nfc_points(const char *s, size_t n, size_t *len)
{
	uint8_t *nf = NULL;
	uint32_t *u;
	size_t nlen;

	if (!ascii(s, n)) {
		nf = u8_normalize(UNINORM_NFC, (const uint8_t *)s, n, NULL,
				  &nlen);
		if (nf == NULL)
			return NULL;
		s = (const char *)nf;
		n = nlen;
	}
	u = u8_to_u32((const uint8_t *)s, n, NULL, len);
	free(nf);
	return u;
}

/* LIKE on the NFC text, or on the octets of a binary property. */
static int like(struct ectx *e, const struct cirt_pattern_cmp *c,
		const json_t *v)
{
	size_t n;
	uint32_t *u;
	int r;

	if (!json_is_string(v))
		return R_INCOMPAT;
	if (c->binary)
		u = octet_points(c, v, &n);
	else
		u = nfc_points(json_string_value(v), json_string_length(v), &n);
	if (u == NULL)
		return c->binary ? R_INCOMPAT : R_MISSING;
	r = like_match(e, c->like, c->likelen, u, n);
	free(u);
	return r;
}

/* MATCHES: a PCRE2 search; strings NFC-normalised first, binary
 * properties as octets (STIX 2.1 9.6.1). */
static int matches(struct ectx *e, const struct cirt_pattern_cmp *c,
		   const json_t *v)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v), len;
	unsigned char *buf = NULL;
	int rc;

	if (!json_is_string(v) || c->re == NULL)
		return R_INCOMPAT;
	if (c->binary) {
		if ((buf = prop_octets(c, v, &len)) == NULL)
			return R_INCOMPAT;
	} else if (!ascii(s, n)) {
		buf = u8_normalize(UNINORM_NFC, (const uint8_t *)s, n, NULL,
				   &len);
		if (buf == NULL)
			return R_MISSING;
	}
	if (buf) {
		s = (const char *)buf;
		n = len;
	}
	if (charge(e, 1 + n / 16)) {
		free(buf);
		return R_MISSING;
	}
	rc = pcre2_match(c->re, (PCRE2_SPTR)s, n, 0, 0, e->md, e->p->mctx);
	free(buf);
	if (rc >= 0)
		return R_TRUE;
	return rc == PCRE2_ERROR_NOMATCH ? R_FALSE : R_MISSING;
}

static int subset(const struct cirt_pattern_cmp *c, const json_t *v)
{
	struct cirt_pattern_net net;

	if (!json_is_string(v) ||
	    cirt_pattern_net_parse(json_string_value(v), json_string_length(v),
				   &net) ||
	    net.family != c->net.family)
		return R_INCOMPAT;
	if (c->op == CIRT_PATTERN_OP_ISSUBSET)
		return cirt_pattern_net_within(&net, &c->net) ? R_TRUE
							      : R_FALSE;
	return cirt_pattern_net_within(&c->net, &net) ? R_TRUE : R_FALSE;
}

/* The comparison on one value a path gave, NOT applied. */
static bool test_value(struct ectx *e, const struct cirt_pattern_cmp *c,
		       const json_t *v)
{
	int r;

	switch (c->op) {
	case CIRT_PATTERN_OP_EXISTS:
		return true;
	case CIRT_PATTERN_OP_IN:
		r = member(c, v);
		break;
	case CIRT_PATTERN_OP_LIKE:
		r = like(e, c, v);
		break;
	case CIRT_PATTERN_OP_MATCHES:
		r = matches(e, c, v);
		break;
	case CIRT_PATTERN_OP_ISSUBSET:
	case CIRT_PATTERN_OP_ISSUPERSET:
		r = subset(c, v);
		break;
	default:
		r = relation(c, v);
		break;
	}
	if (r == R_MISSING)
		return false;
	if (r == R_INCOMPAT)
		r = c->op == CIRT_PATTERN_OP_NE ? R_TRUE : R_FALSE;
	return (r == R_TRUE) != c->negated;
}

/* ---- object paths ---- */

/*
 * Follow c's steps from v (step i onward); true as soon as one value at
 * the end passes the test. *seen tells whether the path gave any value.
 * ref: v came from a _ref/_refs property, so a further name dereferences
 * it through the observation's objects (STIX 2.1 9.7.4).
 */
static bool walk(struct ectx *e, const struct cirt_pattern_cmp *c,
		 const json_t *v, size_t i, bool ref, bool *seen)
{
	const struct cirt_pattern_step *st = &c->steps[i];
	size_t size;

	if (charge(e, 1))
		return false;
	if (i == c->nsteps) {
		if (json_is_null(v))
			return false;
		*seen = true;
		return test_value(e, c, v);
	}
	switch (st->kind) {
	case CIRT_PATTERN_STEP_KEY:
		if (ref && json_is_string(v))
			v = json_object_getn(e->objects, json_string_value(v),
					     json_string_length(v));
		if (!json_is_object(v))
			return false;
		v = json_object_getn(v, st->key, st->keylen);
		return v && walk(e, c, v, i + 1, st->ref, seen);
	case CIRT_PATTERN_STEP_INDEX:
		if (!json_is_array(v) || st->index < 0 ||
		    (uint64_t)st->index >= json_array_size(v))
			return false;
		return walk(e, c, json_array_get(v, (size_t)st->index), i + 1,
			    ref, seen);
	case CIRT_PATTERN_STEP_STAR:
		if (!json_is_array(v))
			return false;
		size = json_array_size(v);
		for (size_t k = 0; k < size; k++) {
			if (walk(e, c, json_array_get(v, k), i + 1, ref, seen))
				return true;
		}
		return false;
	}
	return false;
}

static bool eval_cmp(struct ectx *e, const struct cirt_pattern_cmp *c,
		     const json_t *obj)
{
	bool seen = false, hit;

	hit = walk(e, c, obj, 0, false, &seen);
	if (c->op == CIRT_PATTERN_OP_EXISTS)
		return seen != c->negated;
	return hit;
}

/* A comparison expression with obj (of type otype) as the start of
 * every path (STIX 2.1 9.5: one SCO for all of them). */
static bool eval_cnode(struct ectx *e, const struct cirt_pattern_cnode *n,
		       const json_t *obj, const char *otype)
{
	if (n->type && strcmp(n->type, otype) != 0)
		return false;
	switch (n->kind) {
	case CIRT_PATTERN_C_CMP:
		return eval_cmp(e, n->cmp, obj);
	case CIRT_PATTERN_C_AND:
		for (size_t i = 0; i < n->nkids; i++) {
			if (!eval_cnode(e, n->kids[i], obj, otype))
				return false;
		}
		return true;
	case CIRT_PATTERN_C_OR:
		for (size_t i = 0; i < n->nkids; i++) {
			if (eval_cnode(e, n->kids[i], obj, otype))
				return true;
		}
		return false;
	}
	return false;
}

/* Does some SCO of the observation at position pos satisfy expr? */
static bool leaf_matches(struct ectx *e, const struct cirt_pattern_cnode *expr,
			 size_t pos)
{
	json_t *objects = e->obs[e->perm[pos]].objects, *obj;
	const char *key, *type;

	if (!json_is_object(objects))
		return false;
	e->objects = objects;
	json_object_foreach (objects, key, obj) {
		type = json_string_value(json_object_get(obj, "type"));
		if (type == NULL || charge(e, 1))
			continue;
		if (eval_cnode(e, expr, obj, type))
			return true;
	}
	return false;
}

static void find_leaves(const struct cirt_pattern_onode *n,
			const struct cirt_pattern_onode **leaves)
{
	if (n->kind == CIRT_PATTERN_O_LEAF) {
		leaves[n->leaf] = n;
		return;
	}
	for (size_t i = 0; i < n->nkids; i++)
		find_leaves(n->kids[i], leaves);
}

static void cands_push(struct cands *c, uint32_t pos)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = cirt_xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n++] = pos;
}

/* Stage 1: the positions each leaf matches. */
static void find_candidates(struct ectx *e)
{
	const struct cirt_pattern_onode **leaves;
	size_t nl = e->p->nleaves;

	leaves = cirt_xcalloc(nl, sizeof(*leaves));
	find_leaves(e->p->root, leaves);
	for (size_t l = 0; l < nl && !e->over; l++) {
		for (size_t pos = 0; pos < e->n && !e->over; pos++) {
			if (leaf_matches(e, leaves[l]->expr, pos))
				cands_push(&e->cands[l], (uint32_t)pos);
		}
	}
	free(leaves);
}

/* ---- stage 2: bindings ---- */

/* First index in v[0..n) whose value is >= x. */
static size_t lower_u32(const uint32_t *v, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* First position whose time is >= t. */
static uint32_t lower_time(const struct ectx *e, int64_t t)
{
	size_t lo = 0, hi = e->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (e->time[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

/*
 * An upper bound on the number of pairwise disjoint bindings of n in
 * positions [lo, hi): a leaf has at most one per candidate, OR the sum,
 * AND and FOLLOWEDBY the fewest of any part, REPEATS k a k-th.
 */
static uint64_t bound(struct ectx *e, const struct cirt_pattern_onode *n,
		      uint32_t lo, uint32_t hi)
{
	const struct cands *c;
	uint64_t b, x;

	if (charge(e, 1) || lo >= hi)
		return 0;
	switch (n->kind) {
	case CIRT_PATTERN_O_LEAF:
		c = &e->cands[n->leaf];
		return lower_u32(c->v, c->n, hi) - lower_u32(c->v, c->n, lo);
	case CIRT_PATTERN_O_OR:
		for (b = 0, x = 0; x < n->nkids; x++)
			b += bound(e, n->kids[x], lo, hi);
		return b;
	case CIRT_PATTERN_O_AND:
	case CIRT_PATTERN_O_FOLLOWEDBY:
		b = UINT64_MAX;
		for (x = 0; x < n->nkids && b > 0; x++)
			b = CIRT_MIN(b, bound(e, n->kids[x], lo, hi));
		return b;
	case CIRT_PATTERN_O_REPEATS:
		return bound(e, n->kids[0], lo, hi) / (uint64_t)n->repeats;
	case CIRT_PATTERN_O_WITHIN:
		return bound(e, n->kids[0], lo, hi);
	case CIRT_PATTERN_O_STARTSTOP:
		return bound(e, n->kids[0],
			     CIRT_MAX(lo, lower_time(e, n->start_us)),
			     CIRT_MIN(hi, lower_time(e, n->stop_us)));
	}
	return 0;
}

/* An iterator over the bindings of one node within positions [lo, hi).
 * While it holds a binding, its observations are marked in e->used. */
struct it {
	const struct cirt_pattern_onode *n;
	uint32_t lo, hi;
	bool started;
	uint32_t minp, maxp; /* first and last position of the binding */
	size_t k;	     /* LEAF: next candidate; OR: kid; WITHIN: start */
	uint32_t pick;	     /* LEAF: the position held, or NONE */
	struct it **kids;
	size_t nkids;
};

static void it_free(struct it *it)
{
	if (it == NULL)
		return;
	for (size_t i = 0; i < it->nkids; i++)
		it_free(it->kids[i]);
	free(it->kids);
	free(it);
}

static void it_init(struct it *it, const struct cirt_pattern_onode *n,
		    uint32_t lo, uint32_t hi)
{
	if (it->n != n) {
		for (size_t i = 0; i < it->nkids; i++)
			it_free(it->kids[i]);
		free(it->kids);
		it->kids = NULL;
		it->nkids = 0;
		it->n = n;
	}
	it->lo = lo;
	it->hi = hi < lo ? lo : hi;
	it->started = false;
	it->pick = NONE;
}

/* Kid i, allocated on first use. */
static struct it *kid(struct it *it, size_t i)
{
	size_t cap;

	if (i >= it->nkids) {
		cap = CIRT_MAX(i + 1, it->nkids * 2);
		it->kids = cirt_xrealloc(it->kids, cap * sizeof(*it->kids));
		for (size_t j = it->nkids; j < cap; j++)
			it->kids[j] = cirt_xcalloc(1, sizeof(struct it));
		it->nkids = cap;
	}
	return it->kids[i];
}

static bool it_next(struct ectx *e, struct it *it);

static bool next_leaf(struct ectx *e, struct it *it)
{
	const struct cands *c = &e->cands[it->n->leaf];
	uint32_t pos;

	if (it->pick != NONE) {
		e->used[it->pick] = 0;
		it->pick = NONE;
	}
	if (!it->started) {
		it->started = true;
		it->k = lower_u32(c->v, c->n, it->lo);
	}
	while (it->k < c->n && (pos = c->v[it->k]) < it->hi) {
		it->k++;
		if (charge(e, 1))
			return false;
		if (!e->used[pos]) {
			e->used[pos] = 1;
			it->pick = it->minp = it->maxp = pos;
			return true;
		}
	}
	return false;
}

static bool next_or(struct ectx *e, struct it *it)
{
	const struct cirt_pattern_onode *n = it->n;
	struct it *k = kid(it, 0);

	if (!it->started) {
		it->started = true;
		it->k = 0;
		it_init(k, n->kids[0], it->lo, it->hi);
	}
	for (;;) {
		if (it_next(e, k)) {
			it->minp = k->minp;
			it->maxp = k->maxp;
			return true;
		}
		if (e->over || ++it->k >= n->nkids)
			return false;
		it_init(k, n->kids[it->k], it->lo, it->hi);
	}
}

/* The number of parts of an AND, FOLLOWEDBY or REPEATS node. */
static size_t seq_parts(const struct cirt_pattern_onode *n)
{
	return n->kind == CIRT_PATTERN_O_REPEATS ? (size_t)n->repeats
						 : n->nkids;
}

/*
 * Start part j of an AND, FOLLOWEDBY or REPEATS, unless an upper bound
 * shows that parts j.. cannot all be found in its window (then false):
 * this cuts the search short where a later part has no candidates left,
 * which keeps [a] FOLLOWEDBY [a] FOLLOWEDBY [b] linear without any b.
 */
static bool seq_start(struct ectx *e, struct it *it, size_t j)
{
	const struct cirt_pattern_onode *n = it->n;
	struct it *prev = j > 0 ? it->kids[j - 1] : NULL;
	uint32_t lo = it->lo;
	size_t m;

	switch (n->kind) {
	case CIRT_PATTERN_O_REPEATS:
		if (prev)
			lo = prev->minp + 1; /* parts by first position */
		m = seq_parts(n);
		if (bound(e, n->kids[0], lo, it->hi) < m - j)
			return false;
		it_init(kid(it, j), n->kids[0], lo, it->hi);
		return true;
	case CIRT_PATTERN_O_FOLLOWEDBY:
		if (prev)
			lo = CIRT_MAX(lo, lower_time(e, e->time[prev->maxp]));
		break;
	default:
		if (j > 0)
			goto start;
		break;
	}
	for (size_t k = j; k < n->nkids; k++) {
		if (bound(e, n->kids[k], lo, it->hi) == 0)
			return false;
	}
start:
	it_init(kid(it, j), n->kids[j], lo, it->hi);
	return true;
}

/* AND, FOLLOWEDBY, REPEATS: parts on distinct observations, found by
 * backtracking from the last part to the first. */
static bool next_seq(struct ectx *e, struct it *it)
{
	size_t m = seq_parts(it->n), j;

	if (!it->started) {
		it->started = true;
		if (!seq_start(e, it, 0))
			return false;
		j = 0;
	} else {
		j = m - 1;
	}
	for (;;) {
		if (it_next(e, it->kids[j])) {
			if (j + 1 == m)
				break;
			if (seq_start(e, it, j + 1))
				j++;
		} else if (j == 0 || e->over) {
			return false;
		} else {
			j--;
		}
	}
	it->minp = it->kids[0]->minp;
	it->maxp = it->kids[0]->maxp;
	for (j = 1; j < m; j++) {
		it->minp = CIRT_MIN(it->minp, it->kids[j]->minp);
		it->maxp = CIRT_MAX(it->maxp, it->kids[j]->maxp);
	}
	return true;
}

/* WITHIN: the window for the earliest observation at position s. */
static void within_start(struct ectx *e, struct it *it, size_t s)
{
	int64_t t0 = e->time[s], end;

	it->k = s;
	end = t0 > INT64_MAX - it->n->within_us ? INT64_MAX
						: t0 + it->n->within_us;
	it_init(kid(it, 0), it->n->kids[0], (uint32_t)s,
		CIRT_MIN(it->hi, lower_time(e, end)));
}

/* WITHIN x SECONDS: latest < earliest + x (STIX 2.1 9.5.1). Each binding
 * is found in the window of its earliest time, and only there. */
static bool next_within(struct ectx *e, struct it *it)
{
	struct it *k;
	size_t s;

	if (!it->started) {
		it->started = true;
		if (it->lo >= it->hi)
			return false;
		within_start(e, it, it->lo);
	}
	k = it->kids[0];
	for (;;) {
		if (it_next(e, k)) {
			if (e->time[k->minp] != e->time[it->k])
				continue;
			it->minp = k->minp;
			it->maxp = k->maxp;
			return true;
		}
		for (s = it->k + 1; s < it->hi && e->time[s] == e->time[it->k];)
			s++;
		if (e->over || s >= it->hi)
			return false;
		within_start(e, it, s);
	}
}

/* START x STOP y: observation times in [x, y) (STIX 2.1 9.5.1). */
static bool next_startstop(struct ectx *e, struct it *it)
{
	const struct cirt_pattern_onode *n = it->n;
	struct it *k = kid(it, 0);

	if (!it->started) {
		it->started = true;
		it_init(k, n->kids[0],
			CIRT_MAX(it->lo, lower_time(e, n->start_us)),
			CIRT_MIN(it->hi, lower_time(e, n->stop_us)));
	}
	if (!it_next(e, k))
		return false;
	it->minp = k->minp;
	it->maxp = k->maxp;
	return true;
}

/* Advance to the next binding: true, or false when there is none more
 * (its observations are then released) or the budget is spent. */
static bool it_next(struct ectx *e, struct it *it)
{
	if (charge(e, 1))
		return false;
	switch (it->n->kind) {
	case CIRT_PATTERN_O_LEAF:
		return next_leaf(e, it);
	case CIRT_PATTERN_O_OR:
		return next_or(e, it);
	case CIRT_PATTERN_O_AND:
	case CIRT_PATTERN_O_FOLLOWEDBY:
	case CIRT_PATTERN_O_REPEATS:
		return next_seq(e, it);
	case CIRT_PATTERN_O_WITHIN:
		return next_within(e, it);
	case CIRT_PATTERN_O_STARTSTOP:
		return next_startstop(e, it);
	}
	return false;
}

/* ---- the entry point ---- */

struct timed {
	int64_t time;
	uint32_t index;
};

static int by_time(const void *a, const void *b)
{
	const struct timed *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* Positions: the observations in time order. */
static void ectx_init(struct ectx *e, const struct cirt_pattern *p,
		      const struct cirt_pattern_obs *obs, size_t n)
{
	struct timed *t = cirt_xcalloc(n, sizeof(*t));

	memset(e, 0, sizeof(*e));
	e->p = p;
	e->obs = obs;
	e->n = n;
	e->left = CIRT_PATTERN_EVAL_BUDGET;
	for (size_t i = 0; i < n; i++) {
		t[i].time = obs[i].time_us;
		t[i].index = (uint32_t)i;
	}
	qsort(t, n, sizeof(*t), by_time);
	e->perm = cirt_xcalloc(n, sizeof(*e->perm));
	e->time = cirt_xcalloc(n, sizeof(*e->time));
	for (size_t i = 0; i < n; i++) {
		e->perm[i] = t[i].index;
		e->time[i] = t[i].time;
	}
	free(t);
	e->used = cirt_xcalloc(n, 1);
	e->cands = cirt_xcalloc(p->nleaves, sizeof(*e->cands));
	if (p->regexes) {
		e->md = pcre2_match_data_create(1, NULL);
		if (e->md == NULL)
			cirt_fatalx("out of memory (pcre2 match data)");
	}
}

static void ectx_release(struct ectx *e)
{
	for (size_t l = 0; l < e->p->nleaves; l++)
		free(e->cands[l].v);
	free(e->cands);
	free(e->used);
	free(e->time);
	free(e->perm);
	pcre2_match_data_free(e->md);
}

int cirt_pattern_match(const struct cirt_pattern *p,
		       const struct cirt_pattern_obs *obs, size_t n,
		       bool *matched, struct cirt_diag *d)
{
	struct ectx e;
	struct it *root;

	*matched = false;
	if (p == NULL || (obs == NULL && n > 0))
		return cirt_diag_set(d, -CIRT_EINVAL, NULL,
				     "no pattern or no observations");
	if (n >= NONE)
		return cirt_diag_set(d, -CIRT_ELIMIT, NULL,
				     "too many observations (%zu)", n);
	if (n == 0)
		return 0;
	ectx_init(&e, p, obs, n);
	find_candidates(&e);
	root = cirt_xcalloc(1, sizeof(*root));
	it_init(root, p->root, 0, (uint32_t)n);
	*matched = !e.over && it_next(&e, root);
	it_free(root);
	ectx_release(&e);
	if (e.over) {
		*matched = false;
		return cirt_diag_set(d, -CIRT_ELIMIT, NULL,
				     "evaluating the pattern took more than "
				     "%u units of work",
				     CIRT_PATTERN_EVAL_BUDGET);
	}
	return 0;
}

/* ---- simple patterns: a walk over the tree for the matcher builder ---- */

struct terms {
	struct cirt_pattern_term *v;
	size_t n;
	size_t cap;
	struct cirt_diag *d;
};

static int not_simple(struct terms *t, uint32_t pos, const char *why)
{
	return cirt_diag_set(t->d, -CIRT_EINVAL, NULL, "not simple: at %u: %s",
			     (unsigned)pos, why);
}

static int terms_cmp(struct terms *t, const struct cirt_pattern_cnode *c)
{
	const struct cirt_pattern_cmp *cmp = c->cmp;
	int rc;

	if (c->kind == CIRT_PATTERN_C_AND)
		return not_simple(t, c->pos, "comparisons joined by AND");
	if (c->kind == CIRT_PATTERN_C_OR) {
		for (size_t i = 0; i < c->nkids; i++) {
			if ((rc = terms_cmp(t, c->kids[i])) != 0)
				return rc;
		}
		return 0;
	}
	if (cmp->negated)
		return not_simple(t, c->pos, "a comparison with NOT");
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4;
		t->v = cirt_xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	t->v[t->n].type = cmp->type;
	t->v[t->n].path = cmp->path;
	t->v[t->n].op = cmp->op;
	t->v[t->n].values = cmp->values;
	t->v[t->n].nvalues = cmp->nvalues;
	t->n++;
	return 0;
}

static int terms_obs(struct terms *t, const struct cirt_pattern_onode *o)
{
	static const char *const why[] = {
		[CIRT_PATTERN_O_AND] = "observation expressions joined by AND",
		[CIRT_PATTERN_O_FOLLOWEDBY] = "FOLLOWEDBY",
		[CIRT_PATTERN_O_REPEATS] = "a REPEATS qualifier",
		[CIRT_PATTERN_O_WITHIN] = "a WITHIN qualifier",
		[CIRT_PATTERN_O_STARTSTOP] = "a START/STOP qualifier",
	};
	int rc;

	if (o->kind == CIRT_PATTERN_O_LEAF)
		return terms_cmp(t, o->expr);
	if (o->kind != CIRT_PATTERN_O_OR)
		return not_simple(t, o->pos, why[o->kind]);
	for (size_t i = 0; i < o->nkids; i++) {
		if ((rc = terms_obs(t, o->kids[i])) != 0)
			return rc;
	}
	return 0;
}

int cirt_pattern_terms(const struct cirt_pattern *p,
		       struct cirt_pattern_term **out, size_t *n,
		       struct cirt_diag *d)
{
	struct terms t = {.d = d};
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = terms_obs(&t, p->root)) != 0) {
		free(t.v);
		return rc;
	}
	*out = t.v;
	*n = t.n;
	return 0;
}
