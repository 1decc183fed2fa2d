/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * What the IODEF reader (iodef_read.c) and writer (iodef_write.c) share
 * with iodef.c: the namespace, the enumerations of RFC 7970 that cirtkit
 * checks (those standards.md 3.2 lists), the list of line-numbered errors
 * a read returns, and the test for text that XML can carry.
 *
 * Layer: iodef. Not for use outside src/iodef/.
 */
#ifndef CIRT_IODEF_INT_H
#define CIRT_IODEF_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <libxml/xmlschemas.h>

#include "core/compiler.h"
#include "core/err.h"

#define IODEF_NS "urn:ietf:params:xml:ns:iodef-2.0"

/* A compiled iodef-2.0.xsd: read-only once loaded, shared by threads. */
struct cirt_iodef_schema {
	xmlSchemaPtr xsd;
};

/* Enumerations (NULL-terminated; "ext-value" last when the type has it). */
extern const char *const iodef_purpose_values[];
extern const char *const iodef_status_values[];
extern const char *const iodef_restriction_values[];
extern const char *const iodef_contact_role_values[];
extern const char *const iodef_contact_type_values[];
extern const char *const iodef_system_category_values[];
extern const char *const iodef_address_category_values[];
extern const char *const iodef_severity_values[];
extern const char *const iodef_action_values[];

/* An enumerated attribute: on element (NULL: on every element). */
struct iodef_enum_attr {
	const char *element;
	const char *attr;
	const char *const *values;
};

/* The enumerated attributes checked without a schema (IODEF-03). */
extern const struct iodef_enum_attr iodef_enum_attrs[];
extern const size_t iodef_enum_nattrs;

/* True if v is one of values. */
bool iodef_enum_has(const char *const *values, const char *v);

/*
 * The errors of one read, kept (up to CIRT_IODEF_MAX_ERRORS, in the order
 * found) as {"line": N, "message": "..."}; code is the first one's.
 */
struct iodef_errors {
	json_t *list;
	size_t n;
	int code;
};

void iodef_errors_init(struct iodef_errors *e);

/* Sort the errors by line (stable), append them to out (may be NULL),
 * put the first into d as "line N: message", free the list, and return
 * the code (0 if there was no error). */
int iodef_errors_finish(struct iodef_errors *e, json_t *out,
			struct cirt_diag *d);

void iodef_error(struct iodef_errors *e, int code, long line, const char *fmt,
		 ...) CIRT_PRINTF(4, 5);

/* Add a message libxml2 produced (its trailing newline dropped). */
void iodef_error_xml(struct iodef_errors *e, int code, long line,
		     const char *msg);

/*
 * 0 if s is text an XML 1.0 document can carry: valid UTF-8 with no
 * control characters other than tab, line feed and carriage return, and
 * no U+FFFE or U+FFFF. Otherwise -CIRT_EINVAL with d naming field.
 */
int iodef_check_text(const char *s, const char *field, struct cirt_diag *d);

#endif
