/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Streaming bundle reader. See stix/stix_bundle.h.
 *
 * The input is read into one window of object_max + CHUNK bytes. Only the
 * outer object's punctuation ('{', '"key":', ',', '}', '[', ']') is looked
 * at here; every value is parsed by jansson with JSON_DISABLE_EOF_CHECK,
 * which reports how many bytes the value took. A value that runs past the
 * end of the window (jansson reports an error or a scalar ending exactly
 * there) is retried after the window is refilled as far as it goes, so an
 * element is parsed at most twice, and never more than object_max bytes
 * are held.
 */
#include "stix/stix_bundle.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/banned.h"

#define CHUNK (64u << 10)

const struct cirt_bundle_limits cirt_bundle_default_limits = {
	16u << 20,
	0,
	64,
};

struct reader {
	const struct cirt_bundle_src *src;
	const struct cirt_bundle_limits *lim;
	char *buf;	   /* the window's memory (fd sources) */
	const char *data;  /* the window's bytes */
	size_t cap;	   /* bytes the window can hold */
	size_t start, end; /* the unread part, [start, end) */
	uint64_t offset;   /* input offset of data[0] */
	size_t index;	   /* elements seen */
	bool eof;
	struct cirt_diag *d;
};

static uint64_t at(const struct reader *r)
{
	return r->offset + r->start;
}

/* Slide the unread bytes to the front and read until the window is full
 * or the input ends. 0, or -CIRT_ELIMIT if the window was already full,
 * or -CIRT_EIO. */
static int fill(struct reader *r)
{
	ssize_t n;

	if (r->eof)
		return 0;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->offset += r->start;
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap)
		return cirt_diag_set(r->d, -CIRT_ELIMIT, NULL,
				     "object %zu at byte %" PRIu64
				     " is larger than %zu bytes",
				     r->index, at(r), r->lim->object_max);
	while (r->end < r->cap) {
		n = read(r->src->fd, r->buf + r->end, r->cap - r->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cirt_diag_set(r->d, -CIRT_EIO, NULL,
					     "cannot read the input: %s",
					     strerror(errno));
		if (n == 0) {
			r->eof = true;
			break;
		}
		r->end += (size_t)n;
	}
	return 0;
}

/* The next byte that is not JSON white space (not consumed), or -1 at
 * the end of the input; < -1 is an error code. */
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
		rc = fill(r);
		if (rc < 0)
			return rc;
	}
}

static int expect(struct reader *r, char want, const char *what)
{
	int c = peek(r);

	if (c < -1)
		return c;
	if (c != (unsigned char)want)
		return cirt_diag_set(r->d, -CIRT_EINVAL, NULL,
				     "malformed JSON at byte %" PRIu64
				     ": expected %s",
				     at(r), what);
	r->start++;
	return 0;
}

/* Parse the value at the next non-blank byte; on success it is consumed
 * and *len is its size in bytes, blanks before it not counted. what names
 * it in an error ("object 3"). */
static int value(struct reader *r, const char *what, size_t flags, json_t **out,
		 size_t *len)
{
	size_t avail, used;
	json_error_t err;
	json_t *v;
	int rc;

	rc = peek(r);
	if (rc < -1)
		return rc;
	for (;;) {
		avail = r->end - r->start;
		v = json_loadb(r->data + r->start, avail,
			       flags | JSON_DISABLE_EOF_CHECK, &err);
		used = v ? (size_t)err.position : 0;
		/* A scalar may go on past the window; an error at its end
		 * may be the window's, not the input's. */
		if (!r->eof && (v ? used == avail && !json_is_object(v) &&
						!json_is_array(v)
				  : (size_t)err.position >= avail)) {
			json_decref(v);
			rc = fill(r);
			if (rc < 0)
				return rc;
			continue;
		}
		if (v == NULL)
			return cirt_diag_set(
				r->d,
				json_error_code(&err) ==
						json_error_stack_overflow
					? -CIRT_ELIMIT
					: -CIRT_EINVAL,
				NULL,
				"%s: malformed JSON at byte %" PRIu64 ": %s",
				what, at(r) + (uint64_t)err.position, err.text);
		*out = v;
		*len = used;
		r->start += used;
		return 0;
	}
}

static int element(struct reader *r, cirt_bundle_fn fn, void *arg)
{
	const char *bytes;
	char what[48];
	size_t len;
	json_t *v;
	int rc;

	if (r->lim->objects_max && r->index >= r->lim->objects_max)
		return cirt_diag_set(r->d, -CIRT_ELIMIT, "objects",
				     "more than %zu objects",
				     r->lim->objects_max);
	snprintf(what, sizeof(what), "object %zu", r->index);
	rc = value(r, what, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &v, &len);
	if (rc < 0)
		return rc;
	bytes = r->data + r->start - len;
	if (!json_is_object(v))
		rc = cirt_diag_set(r->d, -CIRT_EINVAL, "objects",
				   "object %zu is not a JSON object", r->index);
	else
		rc = cirt_json_check_depth(v, r->lim->depth_max, r->d);
	if (rc == 0)
		rc = fn(bytes, len, v, r->index, arg);
	json_decref(v);
	r->index++;
	return rc;
}

static int objects(struct reader *r, cirt_bundle_fn fn, void *arg)
{
	int c, rc = expect(r, '[', "'[' to start \"objects\"");

	if (rc < 0)
		return rc;
	c = peek(r);
	if (c == ']') {
		r->start++;
		return 0;
	}
	for (;;) {
		rc = element(r, fn, arg);
		if (rc < 0)
			return rc;
		c = peek(r);
		if (c < -1)
			return c;
		if (c == ']') {
			r->start++;
			return 0;
		}
		rc = expect(r, ',', "',' or ']' after an object");
		if (rc < 0)
			return rc;
	}
}

/* One "key": value member of the outer object. */
static int member(struct reader *r, cirt_bundle_fn fn, void *arg,
		  struct cirt_bundle_info *info)
{
	json_t *key = NULL, *v = NULL;
	const char *k;
	size_t len;
	int rc;

	rc = value(r, "member name", JSON_DECODE_ANY, &key, &len);
	if (rc == 0 && !json_is_string(key))
		rc = cirt_diag_set(r->d, -CIRT_EINVAL, NULL,
				   "malformed JSON at byte %" PRIu64
				   ": expected a member name",
				   at(r) - len);
	if (rc < 0)
		goto out;
	k = json_string_value(key);
	if ((strcmp(k, "objects") == 0 && info->has_objects) ||
	    json_object_get(info->hdr, k) != NULL) {
		rc = cirt_diag_set(r->d, -CIRT_EINVAL, k,
				   "member \"%s\" appears twice", k);
		goto out;
	}
	rc = expect(r, ':', "':' after a member name");
	if (rc < 0)
		goto out;
	if (strcmp(k, "objects") == 0) {
		info->has_objects = true;
		rc = objects(r, fn, arg);
		goto out;
	}
	rc = value(r, k, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &v, &len);
	if (rc == 0)
		rc = cirt_json_check_depth(v, r->lim->depth_max, r->d);
	if (rc == 0)
		json_object_set_new(info->hdr, k, json_incref(v));
out:
	json_decref(v);
	json_decref(key);
	return rc;
}

static int outer(struct reader *r, cirt_bundle_fn fn, void *arg,
		 struct cirt_bundle_info *info)
{
	int c, rc = expect(r, '{', "a JSON object");

	if (rc < 0)
		return rc;
	if (peek(r) == '}') {
		r->start++;
	} else {
		for (;;) {
			rc = member(r, fn, arg, info);
			if (rc < 0)
				return rc;
			c = peek(r);
			if (c == '}') {
				r->start++;
				break;
			}
			rc = expect(r, ',', "',' or '}' after a member");
			if (rc < 0)
				return rc;
		}
	}
	c = peek(r);
	if (c < -1)
		return c;
	if (c != -1)
		return cirt_diag_set(r->d, -CIRT_EINVAL, NULL,
				     "data after the end of the JSON object "
				     "at byte %" PRIu64,
				     at(r));
	return 0;
}

int cirt_bundle_read(const struct cirt_bundle_src *src,
		     const struct cirt_bundle_limits *lim, cirt_bundle_fn fn,
		     void *arg, struct cirt_bundle_info *info,
		     struct cirt_diag *d)
{
	struct reader r = {.src = src, .lim = lim, .d = d};
	int rc;

	memset(info, 0, sizeof(*info));
	info->hdr = json_object();
	if (src->fd < 0) {
		r.data = src->mem;
		r.end = src->mem_len;
		r.cap = src->mem_len;
		r.eof = true;
	} else {
		r.cap = lim->object_max + CHUNK;
		r.buf = cirt_xmalloc(r.cap);
		r.data = r.buf;
	}
	rc = outer(&r, fn, arg, info);
	info->count = r.index;
	free(r.buf);
	return rc;
}

void cirt_bundle_info_release(struct cirt_bundle_info *info)
{
	json_decref(info->hdr);
	info->hdr = NULL;
}
