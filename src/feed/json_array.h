/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Reading a top-level JSON array ("[ {...}, {...} ]", the form of the
 * PhishTank and Feodo Tracker downloads) one element at a time in bounded
 * memory, whatever its size: a light scanner finds where each element
 * ends (strings, escapes and nesting only), and jansson parses just those
 * bytes (strict: duplicate keys, invalid UTF-8 and \u0000 refused). So
 * memory is one element plus a read chunk, and an element that is not
 * valid JSON, too deep or too large is handed over as malformed and
 * skipped, and the next one read. Only damage the scanner cannot get past
 * (a string never closed, no ',' or ']' between elements, the input not
 * being an array) stops the reading, with the byte offset.
 *
 * Layer: feed. Single-threaded per call.
 */
#ifndef CIRT_FEED_JSON_ARRAY_H
#define CIRT_FEED_JSON_ARRAY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

/* Where the bytes come from: a file descriptor, or memory (fd < 0). With
 * an fd, mem[0..mem_len) are bytes already read from it that come first
 * (at most 64 KiB). */
struct cirt_json_array_src {
	int fd;
	const char *mem;
	size_t mem_len;
};

struct cirt_json_array_limits {
	size_t element_max; /* bytes of one element */
	size_t depth_max;   /* nesting inside one element, itself 1 */
};

/* The defaults for feeds: 1 MiB, 32. */
extern const struct cirt_json_array_limits cirt_json_array_default_limits;

/* One element, valid during the callback. */
struct cirt_json_elem {
	const char *bytes; /* as received; for one too large, its first
			    * element_max bytes */
	size_t len;
	json_t *v;	 /* parsed (borrowed), or NULL if malformed */
	const char *bad; /* NULL, or why it is malformed */
	size_t index;	 /* from 0 */
	uint64_t offset; /* of its first byte in the input */
};

/* Called for each element in order; a negative return stops the reading
 * and is returned. */
typedef int (*cirt_json_array_fn)(const struct cirt_json_elem *e, void *arg);

/*
 * Read the array in src, calling fn for each element. 0 at its end, with
 * *count (may be NULL) the elements handed over; -CIRT_EINVAL if the
 * input is not a JSON array or is damaged past skipping (a message with
 * the byte offset), -CIRT_EIO if it cannot be read. lim NULL for the
 * defaults. Only white space may follow the closing ']'.
 */
int cirt_json_array_read(const struct cirt_json_array_src *src,
			 const struct cirt_json_array_limits *lim,
			 cirt_json_array_fn fn, void *arg, size_t *count,
			 struct cirt_diag *d);

#endif
