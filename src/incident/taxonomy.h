/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The incident classification: the Reference Security Incident Taxonomy
 * (RSIT, 11 classes and their types, as in the MISP "rsit" taxonomy), and
 * a few types of our own for what WTSA Resolution 50 names and RSIT folds
 * into a broader type (ransomware, web defacement, pharming, spoofing,
 * APT, data poisoning). Each of ours names the RSIT type it rolls up to,
 * so exports and statistics can be given in pure RSIT. Every WTSA
 * Resolution 50 term maps to one class:type (cirt_taxonomy_wtsa).
 *
 * Written as "class:type", e.g. "fraud:phishing".
 *
 * Layer: incident. Constant data, thread-safe.
 */
#ifndef CIRT_INCIDENT_TAXONOMY_H
#define CIRT_INCIDENT_TAXONOMY_H

#include <stddef.h>

#include <jansson.h>

#include "core/err.h"

#define CIRT_TAXONOMY_CLASS_MAX 40
#define CIRT_TAXONOMY_TYPE_MAX	40

struct cirt_taxonomy_type {
	const char *cls;       /* "fraud" */
	const char *type;      /* "phishing" */
	const char *cls_label; /* "Fraud" */
	const char *label;     /* "Phishing" */
	const char *rsit_type; /* ours: the RSIT type it rolls up to;
				 * NULL for RSIT's own */
	const char *wtsa;      /* WTSA Res. 50 terms it covers, comma-
				 * separated, or NULL */
	const char *description;
};

/* Every type, classes in RSIT order. */
size_t cirt_taxonomy_count(void);
const struct cirt_taxonomy_type *cirt_taxonomy_at(size_t i);

/* Find "class:type"; NULL if unknown. */
const struct cirt_taxonomy_type *cirt_taxonomy_find(const char *s);

/* Parse "class:type" or fail with -CIRT_EINVAL naming field and saying
 * what is allowed (the class's types, or the classes). */
int cirt_taxonomy_parse(const char *s, const char *field,
			const struct cirt_taxonomy_type **out,
			struct cirt_diag *d);

/* True if cls is a class name. */
int cirt_taxonomy_is_class(const char *cls);

/* The class:type a WTSA Res. 50 term ("phishing", "ransomware", ...)
 * maps to, or NULL. */
const struct cirt_taxonomy_type *cirt_taxonomy_wtsa(const char *term);

/* The whole taxonomy as JSON (GET /api/v1/taxonomy, `cirtkit taxonomy`):
 * {"classes": [{"class", "label", "types": [{"type", "label",
 * "rsit_type"?, "wtsa"?: [...], "description"}]}]}. */
json_t *cirt_taxonomy_json(void);

#endif
