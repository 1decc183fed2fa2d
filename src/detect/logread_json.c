/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The JSON formats of the log readers (detect/logread.h): Zeek's JSON logs
 * and Suricata's EVE, one object per line.
 *
 * A line is cut into at most JSON_TOKENS tokens by jsmn (a tokenizer
 * that allocates nothing), then walked once. Wanted fields are dotted
 * paths ("dns.rrname"); arrays are transparent, so "dns.answers[].rdata"
 * is the path dns.answers.rdata and an array of strings at a wanted path
 * gives each string. Every wanted path and each of its prefixes are in a
 * small hash table built once per read, so an object whose key starts no
 * wanted path is skipped without looking inside, and the hash of a path
 * is carried down from its parent. Strings are used where they lie in the
 * line; only one with a backslash escape is decoded, by jansson, into the
 * record's scratch area.
 *
 * jsmn is a tokenizer, not a validator: it accepts a few malformed
 * objects (a trailing comma, for one). The walk refuses what would
 * mislead it (a key without exactly one value, text after the object),
 * which is what matters for reading values out.
 *
 * Formats: Zeek JSON logs (LogAscii::use_json,
 * https://docs.zeek.org/en/master/log-formats.html); Suricata EVE
 * (https://docs.suricata.io/en/latest/output/eve/eve-json-format.html),
 * DNS logging versions 2 and 3.
 *
 * Layer: detect. State lives in the read (struct lr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* Parent links make closing a bracket and a comma cost the depth, not
 * the tokens so far. */
#define JSMN_STATIC
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#include <jsmn.h>

#include "core/mem.h"
#include "detect/logread_int.h"
#include "core/banned.h"

/* Most tokens in one line: a big EVE alert with its DNS or HTTP object
 * has about 150. */
#define JSON_TOKENS 512
/* Deepest nesting walked into; deeper values are not looked at. */
#define JSON_DEPTH 32

static const struct lr_field eve_fields[] = {
	{"timestamp", LR_TIME, LR_PART_NONE},
	{"src_ip", CIRT_IOC_IP, LR_PART_NONE},
	{"dest_ip", CIRT_IOC_IP, LR_PART_NONE},
	{"dns.rrname", CIRT_IOC_DOMAIN, LR_PART_NONE},		 /* v2 */
	{"dns.rdata", LR_HOST, LR_PART_NONE},			 /* v1 */
	{"dns.queries[].rrname", CIRT_IOC_DOMAIN, LR_PART_NONE}, /* v3 */
	{"dns.answers[].rdata", LR_HOST, LR_PART_NONE},
	{"dns.grouped.A[]", CIRT_IOC_IP, LR_PART_NONE},
	{"dns.grouped.AAAA[]", CIRT_IOC_IP, LR_PART_NONE},
	{"dns.grouped.CNAME[]", CIRT_IOC_DOMAIN, LR_PART_NONE},
	{"http.hostname", LR_HOST, LR_PART_HOST},
	{"http.url", LR_NONE, LR_PART_PATH},
	{"tls.sni", CIRT_IOC_DOMAIN, LR_PART_NONE},
	{"fileinfo.md5", CIRT_IOC_MD5, LR_PART_NONE},
	{"fileinfo.sha1", CIRT_IOC_SHA1, LR_PART_NONE},
	{"fileinfo.sha256", CIRT_IOC_SHA256, LR_PART_NONE},
	{"smtp.mail_from", CIRT_IOC_EMAIL, LR_PART_NONE},
	{"smtp.rcpt_to[]", CIRT_IOC_EMAIL, LR_PART_NONE},
};

/* A path in the table: wanted itself (want >= 0), the start of a wanted
 * path (prefix), or both. */
struct jent {
	const char *path; /* NULL: a free slot */
	uint32_t plen;
	uint32_t hash;
	int16_t want;
	bool prefix;
};

struct jstate {
	jsmntok_t tok[JSON_TOKENS];
	struct jent *tab;
	uint32_t mask;
	char path[LR_NAME_MAX + 1]; /* the path being walked */
};

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

static uint32_t fnv(uint32_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
	return h;
}

static struct jent *jfind(const struct jstate *js, const char *p, size_t n,
			  uint32_t h)
{
	for (uint32_t i = h & js->mask;; i = (i + 1) & js->mask) {
		struct jent *e = &js->tab[i];

		if (e->path == NULL)
			return NULL;
		if (e->hash == h && e->plen == n && memcmp(e->path, p, n) == 0)
			return e;
	}
}

static void jput(struct jstate *js, const char *p, size_t n, int want)
{
	uint32_t h = fnv(FNV_BASIS, p, n), i;
	struct jent *e = jfind(js, p, n, h);

	if (e == NULL) {
		for (i = h & js->mask; js->tab[i].path != NULL;
		     i = (i + 1) & js->mask)
			;
		e = &js->tab[i];
		e->path = p;
		e->plen = (uint32_t)n;
		e->hash = h;
		e->want = -1;
	}
	if (want >= 0)
		e->want = (int16_t)want;
	else
		e->prefix = true;
}

int lr_json_init(struct lr *r)
{
	struct jstate *js = cirt_xcalloc(1, sizeof(*js));
	size_t count = 0, cap = 64;

	if (r->fmt == CIRT_LOG_EVE)
		lr_want_build(r, eve_fields, CIRT_ARRAY_LEN(eve_fields),
			      "http.url");
	else
		lr_want_build(r, lr_zeek_fields, lr_zeek_nfields, "url");
	for (size_t i = 0; i < r->nwant; i++)
		for (size_t k = 0; k < r->want[i].plen; k++)
			count += r->want[i].path[k] == '.';
	count += r->nwant;
	while (cap < 2 * count)
		cap *= 2;
	js->tab = cirt_xcalloc(cap, sizeof(*js->tab));
	js->mask = (uint32_t)cap - 1;
	for (size_t i = 0; i < r->nwant; i++) {
		const struct lr_want *w = &r->want[i];

		if (w->plen == 0 ||
		    (w->kind >= LR_IGNORE && w->part == LR_PART_NONE))
			continue;
		jput(js, w->path, w->plen, (int)i);
		for (size_t k = 0; k < w->plen; k++)
			if (w->path[k] == '.')
				jput(js, w->path, k, -1);
	}
	r->fs = js;
	return 0;
}

void lr_json_done(struct lr *r)
{
	struct jstate *js = r->fs;

	if (js == NULL)
		return;
	free(js->tab);
	free(js);
	r->fs = NULL;
}

/* One line's walk. */
struct walk {
	struct lr *r;
	struct jstate *js;
	const char *line;
	const jsmntok_t *t;
	int n;
};

/* The token after token i and everything inside it. */
static int skip(const struct walk *w, int i)
{
	int end = w->t[i].end;

	for (i++; i < w->n && w->t[i].start < end; i++)
		;
	return i;
}

/* Decode the string token t (it has an escape) into scratch. */
static bool unescape(struct walk *w, const jsmntok_t *t, const char **v,
		     size_t *n)
{
	json_error_t err;
	json_t *j;
	char *out;
	size_t len;

	/* The token's bytes with their quotes are one JSON string. */
	j = json_loadb(w->line + t->start - 1, (size_t)(t->end - t->start) + 2,
		       JSON_DECODE_ANY, &err);
	if (j == NULL)
		return false;
	len = json_string_length(j);
	out = json_is_string(j) ? lr_scratch(w->r, len) : NULL;
	if (out != NULL)
		memcpy(out, json_string_value(j), len);
	json_decref(j);
	*v = out;
	*n = len;
	return out != NULL;
}

static void take(struct walk *w, const struct lr_want *want, const jsmntok_t *t)
{
	const char *v = w->line + t->start;
	size_t n = (size_t)(t->end - t->start);
	int64_t us;

	if (want->kind == LR_TIME) {
		if (w->r->rec.time_us == 0 &&
		    (t->type == JSMN_STRING ? lr_time_any(v, n, &us)
					    : lr_time_epoch(v, n, &us)))
			w->r->rec.time_us = us;
		return;
	}
	if (t->type != JSMN_STRING)
		return;
	if (lr_chr(v, n, '\\') != NULL && !unescape(w, t, &v, &n))
		return;
	lr_add(w->r, want->name, want->kind, v, n);
	lr_part(w->r, want->part, v, n);
}

static int walk_object(struct walk *w, int i, size_t pl, uint32_t h, int depth);

/* The value at token v, at a path whose table entry is e. */
static int walk_value(struct walk *w, int v, size_t pl, uint32_t h,
		      const struct jent *e, int depth)
{
	const jsmntok_t *t = &w->t[v];
	int j = v + 1;

	switch (t->type) {
	case JSMN_OBJECT:
		if (e->prefix && depth < JSON_DEPTH)
			return walk_object(w, v, pl, h, depth + 1);
		return skip(w, v);
	case JSMN_ARRAY:
		if (depth >= JSON_DEPTH)
			return skip(w, v);
		for (int k = 0; k < t->size && j >= 0; k++) {
			if (j >= w->n)
				return -1;
			j = walk_value(w, j, pl, h, e, depth + 1);
		}
		return j;
	default:
		if (e->want >= 0)
			take(w, &w->r->want[e->want], t);
		return j;
	}
}

/* The object at token i, at the path js->path[0..pl) hashed to h (pl 0
 * at the top): the index after it, or -1 if it is malformed. */
static int walk_object(struct walk *w, int i, size_t pl, uint32_t h, int depth)
{
	char *path = w->js->path;
	int j = i + 1;

	for (int k = 0; k < w->t[i].size; k++) {
		const jsmntok_t *key = &w->t[j];
		size_t kn, at = pl ? pl + 1 : 0;
		uint32_t kh = h;
		const struct jent *e;
		int v = j + 1;

		if (v >= w->n || key->type != JSMN_STRING || key->size != 1)
			return -1;
		kn = (size_t)(key->end - key->start);
		if (at + kn > LR_NAME_MAX) {
			j = skip(w, v);
			continue;
		}
		if (pl) {
			path[pl] = '.';
			kh = fnv(kh, ".", 1);
		}
		memcpy(path + at, w->line + key->start, kn);
		kh = fnv(kh, w->line + key->start, kn);
		e = jfind(w->js, path, at + kn, kh);
		j = e ? walk_value(w, v, at + kn, kh, e, depth) : skip(w, v);
		if (j < 0)
			return -1;
	}
	return j;
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int lr_json_line(struct lr *r, const char *p, size_t n)
{
	struct jstate *js = r->fs;
	struct walk w = {r, js, p, js->tok, 0};
	jsmn_parser ps;
	size_t end;

	jsmn_init(&ps);
	w.n = jsmn_parse(&ps, p, n, js->tok, JSON_TOKENS);
	if (w.n == JSMN_ERROR_NOMEM)
		return lr_bad(r, "too many tokens (more than %d)", JSON_TOKENS);
	if (w.n == JSMN_ERROR_PART)
		return lr_bad(r, "truncated JSON");
	if (w.n < 0)
		return lr_bad(r, "not valid JSON");
	if (w.n == 0 || js->tok[0].type != JSMN_OBJECT)
		return lr_bad(r, "not a JSON object");
	end = (size_t)js->tok[0].end;
	while (end < n && space(p[end]))
		end++;
	if (end != n || js->tok[w.n - 1].start >= js->tok[0].end)
		return lr_bad(r, "text after the JSON object");
	lr_begin(r, p, n);
	if (walk_object(&w, 0, 0, FNV_BASIS, 0) != w.n)
		return lr_bad(r, "not valid JSON");
	lr_compose(r);
	return lr_emit(r);
}
