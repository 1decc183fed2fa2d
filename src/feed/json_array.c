/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Streaming reader of a top-level JSON array. See feed/json_array.h.
 *
 * Like the bundle reader (stix/stix_bundle.c) the input goes through one
 * window of element_max + 1 + 64 KiB bytes and each element is parsed by
 * jansson; unlike it, the end of an element is found first by a scanner
 * that only knows strings (with their escapes) and bracket nesting. That
 * costs one more pass over the bytes but makes bad elements skippable: an
 * element jansson refuses, or that nests too deep, is still delimited, and
 * one larger than element_max is scanned to its end without being kept
 * (the scanner's state survives refills, so nothing is scanned twice).
 * Depth is checked before jansson sees the bytes, so its recursion stays
 * within depth_max.
 */
#include "feed/json_array.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/banned.h"

#define CHUNK (64u << 10)

const struct cirt_json_array_limits cirt_json_array_default_limits = {
	1u << 20,
	32,
};

/* The scanner's state within one element. */
struct scan {
	size_t pos;	  /* bytes of the element scanned, from start */
	size_t depth;	  /* open brackets */
	size_t depth_max; /* the most seen */
	bool str, esc;	  /* inside a string, after a backslash */
	bool skipping;	  /* too large: reported, being dropped */
};

struct reader {
	const struct cirt_json_array_src *src;
	const struct cirt_json_array_limits *lim;
	char *buf;	   /* the window's memory (fd sources) */
	const char *data;  /* the window */
	size_t cap;	   /* bytes buf can hold */
	size_t start, end; /* unread bytes, data[start..end) */
	uint64_t offset;   /* input offset of data[0] */
	bool eof;
	size_t index; /* elements seen */
	struct scan sc;
	char why[JSON_ERROR_TEXT_LENGTH + 32];
	struct cirt_diag *d;
};

static uint64_t at(const struct reader *r)
{
	return r->offset + r->start;
}

/* Read more behind end, sliding the unread bytes to the front when less
 * than a chunk is free. 0 (eof set at the end), or -CIRT_EIO. */
static int refill(struct reader *r)
{
	size_t want;
	ssize_t n;

	if (r->eof)
		return 0;
	if (r->start > 0 && r->cap - r->end < CHUNK) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->offset += r->start;
		r->end -= r->start;
		r->start = 0;
	}
	want = CIRT_MIN(CHUNK, r->cap - r->end);
	do {
		n = read(r->src->fd, r->buf + r->end, want);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return cirt_diag_set(r->d, -CIRT_EIO, NULL,
				     "cannot read the input: %s",
				     strerror(errno));
	if (n == 0)
		r->eof = true;
	r->end += (size_t)n;
	return 0;
}

/* The next byte that is not JSON white space (not consumed), -1 at the
 * end of the input, or an error code below -1. */
static int peek(struct reader *r)
{
	int rc;

	for (;;) {
		while (r->start < r->end) {
			char c = r->data[r->start];

			if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
				return (unsigned char)c;
			r->start++;
		}
		if (r->eof)
			return -1;
		rc = refill(r);
		if (rc < 0)
			return rc;
	}
}

/* Scan the element at start up to data[lim): 1 when its end is found
 * (sc.pos is then its length), 0 when lim came first. */
static int scan(struct reader *r, size_t lim)
{
	struct scan *s = &r->sc;
	const char *p = r->data;
	size_t i;

	for (i = r->start + s->pos; i < lim; i++) {
		char c = p[i];

		if (s->str) {
			if (s->esc)
				s->esc = false;
			else if (c == '\\')
				s->esc = true;
			else if (c == '"') {
				s->str = false;
				if (s->depth == 0)
					goto found_after;
			}
			continue;
		}
		switch (c) {
		case '"':
			s->str = true;
			break;
		case '{':
		case '[':
			s->depth++;
			s->depth_max = CIRT_MAX(s->depth_max, s->depth);
			break;
		case '}':
		case ']':
			if (s->depth == 0)
				goto found;
			if (--s->depth == 0)
				goto found_after;
			break;
		case ',':
		case ' ':
		case '\t':
		case '\n':
		case '\r':
			if (s->depth == 0)
				goto found;
			break;
		default:
			break;
		}
	}
	s->pos = i - r->start;
	return 0;
found_after:
	i++;
found:
	s->pos = i - r->start;
	return 1;
}

/* Hand one element to fn. */
static int hand(struct reader *r, const char *bytes, size_t len, json_t *v,
		const char *bad, uint64_t offset, cirt_json_array_fn fn,
		void *arg)
{
	struct cirt_json_elem e = {bytes, len, v, bad, r->index, offset};

	return fn(&e, arg);
}

/* The element just delimited: check, parse, hand over, consume. */
static int complete(struct reader *r, uint64_t off, cirt_json_array_fn fn,
		    void *arg)
{
	const char *bytes = r->data + r->start;
	size_t len = r->sc.pos;
	json_error_t err;
	json_t *v = NULL;
	int rc;

	if (r->sc.skipping) {
		r->start += len;
		return 0;
	}
	if (len > r->lim->element_max) {
		snprintf(r->why, sizeof(r->why), "larger than %zu bytes",
			 r->lim->element_max);
		len = r->lim->element_max;
	} else if (len == 0) {
		snprintf(r->why, sizeof(r->why), "empty element");
	} else if (r->sc.depth_max > r->lim->depth_max) {
		snprintf(r->why, sizeof(r->why), "nested deeper than %zu",
			 r->lim->depth_max);
	} else {
		v = json_loadb(bytes, len,
			       JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
		if (v == NULL)
			snprintf(r->why, sizeof(r->why),
				 "malformed JSON at byte %" PRIu64 ": %s",
				 off + (uint64_t)err.position, err.text);
	}
	rc = hand(r, bytes, len, v, v ? NULL : r->why, off, fn, arg);
	json_decref(v);
	r->start += r->sc.pos;
	return rc;
}

/* The element at start: find its end, refilling, and hand it over. */
static int element(struct reader *r, cirt_json_array_fn fn, void *arg)
{
	size_t max = r->lim->element_max;
	uint64_t off = at(r);
	int rc;

	memset(&r->sc, 0, sizeof(r->sc));
	for (;;) {
		size_t lim = r->sc.skipping
				     ? r->end
				     : CIRT_MIN(r->end, r->start + max + 1);

		if (scan(r, lim))
			return complete(r, off, fn, arg);
		if (!r->sc.skipping && r->sc.pos > max) {
			snprintf(r->why, sizeof(r->why),
				 "larger than %zu bytes", max);
			rc = hand(r, r->data + r->start, max, NULL, r->why, off,
				  fn, arg);
			if (rc < 0)
				return rc;
			r->sc.skipping = true;
			continue;
		}
		if (r->eof) {
			if (r->sc.str || r->sc.depth > 0)
				return cirt_diag_set(
					r->d, -CIRT_EINVAL, NULL,
					"element %zu at byte %" PRIu64
					" is not closed at the end of the "
					"input",
					r->index, off);
			return complete(r, off, fn, arg);
		}
		if (r->sc.skipping) {
			r->start += r->sc.pos;
			r->sc.pos = 0;
		}
		rc = refill(r);
		if (rc < 0)
			return rc;
	}
}

static int expected(struct reader *r, const char *what)
{
	return cirt_diag_set(r->d, -CIRT_EINVAL, NULL,
			     "malformed JSON array at byte %" PRIu64
			     ": expected %s",
			     at(r), what);
}

static int elements(struct reader *r, cirt_json_array_fn fn, void *arg)
{
	int c, rc;

	c = peek(r);
	if (c < -1)
		return c;
	if (c != '[')
		return expected(r, "'[': the input is not a JSON array");
	r->start++;
	if (peek(r) == ']') {
		r->start++;
		return 0;
	}
	for (;;) {
		c = peek(r);
		if (c < -1)
			return c;
		if (c == -1)
			return expected(r, "an element or ']'");
		rc = element(r, fn, arg);
		r->index++;
		if (rc < 0)
			return rc;
		c = peek(r);
		if (c < -1)
			return c;
		if (c == ']') {
			r->start++;
			return 0;
		}
		if (c != ',')
			return expected(r, "',' or ']' after an element");
		r->start++;
	}
}

int cirt_json_array_read(const struct cirt_json_array_src *src,
			 const struct cirt_json_array_limits *lim,
			 cirt_json_array_fn fn, void *arg, size_t *count,
			 struct cirt_diag *d)
{
	struct reader r = {.src = src, .d = d};
	int rc = 0, c;

	r.lim = lim ? lim : &cirt_json_array_default_limits;
	if (src->fd < 0) {
		r.data = src->mem ? src->mem : "";
		r.end = src->mem_len;
		r.eof = true;
	} else {
		if (src->mem_len > CHUNK)
			return cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
					     "too many bytes read ahead");
		r.cap = r.lim->element_max + 1 + CHUNK;
		r.buf = cirt_xmalloc(r.cap);
		if (src->mem_len > 0)
			memcpy(r.buf, src->mem, src->mem_len);
		r.end = src->mem_len;
		r.data = r.buf;
	}
	/* A UTF-8 byte order mark. */
	while (rc == 0 && r.end < 3 && !r.eof)
		rc = refill(&r);
	if (r.end >= 3 && memcmp(r.data, "\xef\xbb\xbf", 3) == 0)
		r.start = 3;
	if (rc == 0)
		rc = elements(&r, fn, arg);
	if (rc == 0) {
		c = peek(&r);
		if (c < -1)
			rc = c;
		else if (c != -1)
			rc = cirt_diag_set(d, -CIRT_EINVAL, NULL,
					   "data after the JSON array at byte "
					   "%" PRIu64,
					   at(&r));
	}
	if (count)
		*count = r.index;
	free(r.buf);
	return rc;
}
