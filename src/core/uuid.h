/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * RFC 4122 UUIDs: the text form (8-4-4-4-12 hex digits), random version 4
 * ids for collections, statuses and objects, and name-based version 5 ids
 * for deterministic STIX SCO ids.
 *
 * Layer: core. Pure functions apart from the random generator;
 * thread-safe.
 */
#ifndef CIRT_CORE_UUID_H
#define CIRT_CORE_UUID_H

#include <stdbool.h>
#include <stddef.h>

#define CIRT_UUID_LEN 36

/* Parse the text form of s[0..len) (hex digits of either case) into 16
 * bytes. 0 or -CIRT_EINVAL. */
int cirt_uuid_parse(const char *s, size_t len, unsigned char out[16]);

/* True if s (NUL-terminated) is the text form of a UUID. */
bool cirt_uuid_valid(const char *s);

/* Lower-case text of a UUID, NUL-terminated. */
void cirt_uuid_format(const unsigned char u[16], char out[CIRT_UUID_LEN + 1]);

/* A random version 4 UUID (getrandom), as text. */
void cirt_uuid4(char out[CIRT_UUID_LEN + 1]);

/* Version 5: SHA-1 of namespace and name, version and variant bits set. */
void cirt_uuid5(const unsigned char ns[16], const void *name, size_t len,
		unsigned char out[16]);

#endif
