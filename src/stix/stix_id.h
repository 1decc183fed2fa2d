/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX identifiers (STIX 2.1 section 2.9, standards.md 1.4): the syntax
 * check of "<type>--<UUID>" (the schema regex plus RFC 4122 version and
 * variant), RFC 8785 JSON canonicalisation (JCS) and the
 * deterministic id of a cyber-observable from its ID contributing
 * properties (STIX-11). Does not decide whether an id fits the object
 * that carries it: stix_validate.c does.
 *
 * Layer: stix. Pure functions, thread-safe. JCS output goes to a caller's
 * bounded cirt_buf; nesting deeper than CIRT_STIX_JCS_DEPTH_MAX is
 * refused with -CIRT_ELIMIT, so hostile input cannot exhaust the stack.
 *
 * References: RFC 4122 (UUIDs), RFC 8785 (JCS), ECMA-262 Number::toString
 * (number form), STIX 2.1 sections 2.9 and 6 (ID contributing properties).
 */
#ifndef CIRT_STIX_ID_H
#define CIRT_STIX_ID_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/compiler.h"
#include "stix/stix.h"

/* The namespace of deterministic SCO ids (STIX 2.1 section 2.9). */
#define CIRT_STIX_SCO_NAMESPACE "00abedb4-aa42-466c-9c01-fed23315a9b7"

#define CIRT_STIX_JCS_DEPTH_MAX 64

/*
 * True if id[0..len) has the form of a STIX identifier: a type part of 3
 * or more characters [a-z0-9-] starting with a letter and ending with a
 * letter or digit, "--", and an RFC 4122 UUID (hex digits of either case,
 * version 1 to 5, variant 10). *type_len (may be NULL) gets the length of
 * the type part.
 */
bool cirt_stix_id_valid(const char *id, size_t len, size_t *type_len);

/* The version digit (1 to 5) of the UUID of a valid id, or 0. */
int cirt_stix_id_uuid_version(const char *id, size_t len);

/*
 * Append the RFC 8785 canonical form of v to out: members sorted by
 * UTF-16 code units, no white space, strings escaped as JCS says,
 * numbers as ECMAScript prints them (integers beyond 2^53 go through a
 * double, as JCS does). 0, -CIRT_ELIMIT (out's budget or nesting; out is
 * then released) or -CIRT_EINVAL (a value JSON cannot hold).
 */
int cirt_stix_jcs(const json_t *v, struct cirt_buf *out) CIRT_MUST_CHECK;

/*
 * The ID contributing properties of an SCO type (NULL-terminated; empty
 * for process, which always gets a UUIDv4), or NULL if type is not one
 * of the 18 SCO types of STIX 2.1.
 */
const char *const *cirt_stix_id_contributing(const char *type);

/*
 * The deterministic id of the SCO obj ("type" member and its ID
 * contributing properties; a "hashes" member contributes one hash, the
 * first present of MD5, SHA-1, SHA-256, SHA-512, else its first key).
 * 0 with out filled, -CIRT_ENOTFOUND when a UUIDv4 must be used instead
 * (process, or none of the properties present), -CIRT_EINVAL when obj is
 * not an object of an SCO type, -CIRT_ELIMIT when the name is too deep
 * or over 1 MiB.
 */
int cirt_stix_sco_id(const json_t *obj, char out[CIRT_STIX_ID_MAX + 1]);

#endif
