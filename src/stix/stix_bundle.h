/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Reading a STIX bundle (or a TAXII envelope: any JSON object with an
 * "objects" array) one object at a time, in bounded memory, whatever its
 * size: only the outer object is walked here; each element, and each
 * other member, is parsed by jansson (strict: duplicate keys, invalid
 * UTF-8 and \u0000 refused) from a window of the input, so memory is one
 * object plus a read chunk. Each element is handed over with the exact
 * bytes it had in the input, so a store can keep them as received.
 *
 * Layer: stix. Single-threaded per call.
 */
#ifndef CIRT_STIX_BUNDLE_H
#define CIRT_STIX_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/err.h"

/* Where the bytes come from: a file descriptor, or memory (fd < 0). */
struct cirt_bundle_src {
	int fd;
	const char *mem;
	size_t mem_len;
};

struct cirt_bundle_limits {
	size_t object_max;  /* bytes of one element (or other member) */
	size_t objects_max; /* elements of "objects"; 0 for no limit */
	size_t depth_max;   /* JSON nesting inside one element */
};

/* The defaults for files and HTTP bodies: 16 MiB, no count limit, 64. */
extern const struct cirt_bundle_limits cirt_bundle_default_limits;

/*
 * Called for each element of "objects", in order: its bytes as received
 * (bytes[0..len), not NUL-terminated), the element parsed (an object;
 * borrowed, valid during the call) and its index from 0. A negative return
 * stops the reading and is returned.
 */
typedef int (*cirt_bundle_fn)(const char *bytes, size_t len, json_t *obj,
			      size_t index, void *arg);

/* What was read besides the elements. */
struct cirt_bundle_info {
	json_t *hdr;	  /* the members other than "objects" (owned) */
	bool has_objects; /* an "objects" member was there */
	size_t count;	  /* elements handed to fn */
};

/*
 * Read src. info is filled even on error (release it with
 * cirt_bundle_info_release). Errors: -CIRT_EINVAL (malformed JSON, an
 * element that is not an object, "objects" not an array, a repeated
 * member, trailing data) and -CIRT_ELIMIT (a budget), with a message
 * giving the byte offset and the element at fault; the elements before it
 * were handed over. -CIRT_EIO if the file cannot be read. An "objects"
 * member may be absent (STIX 2.1 section 8: it is optional).
 */
int cirt_bundle_read(const struct cirt_bundle_src *src,
		     const struct cirt_bundle_limits *lim, cirt_bundle_fn fn,
		     void *arg, struct cirt_bundle_info *info,
		     struct cirt_diag *d);

void cirt_bundle_info_release(struct cirt_bundle_info *info);

#endif
