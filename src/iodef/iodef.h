/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * IODEF v2 (RFC 7970, ITU-T X.1541) without a store: write an incident as
 * an IODEF-Document, and read IODEF-Documents (a partner's report) into
 * the same plain structure. libxml2 does the XML; the XML schema, when
 * one is configured, is the official iodef-2.0.xsd, whose remote imports
 * are resolved from local files, never from the network.
 *
 * What is carried (../shared/docs/standards.md section 3):
 *   IncidentID (@name = the team's domain), AlternativeID (a partner's
 *   id), RelatedActivity (related incidents), GenerationTime, ReportTime,
 *   DetectTime, Description (title, then description), Assessment
 *   (IncidentCategory "class:type", SystemImpact @severity, BusinessImpact
 *   @type), Contact (creator = the team; reporter; victims = affected
 *   constituents), EventData/Flow/System/Node/Address|DomainData (the
 *   observables, System @category source|target), History (the timeline).
 *   TLP maps to @restriction (standards.md 5.4; this is our choice):
 *     CLEAR -> public, GREEN -> green, AMBER -> amber, RED -> red,
 *     AMBER+STRICT -> restriction="ext-value" ext-restriction="amber+strict".
 *   Reading takes white as CLEAR, partner as GREEN, need-to-know as AMBER,
 *   private as RED (RFC 7970: may not be shared), default (absent) as the caller's default.
 *
 * Layer: iodef (core only). Thread-safe once cirt_iodef_setup() has run.
 */
#ifndef CIRT_IODEF_IODEF_H
#define CIRT_IODEF_IODEF_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"
#include "core/tlp.h"

/* Limits on what a document may hold (enforced when reading). */
#define CIRT_IODEF_MAX_BYTES	 (8u << 20) /* the document */
#define CIRT_IODEF_MAX_INCIDENTS 1000
#define CIRT_IODEF_MAX_ITEMS	 10000 /* contacts, observables, history */
#define CIRT_IODEF_MAX_ERRORS	 100   /* errors reported, then stop */

/* A contact (IODEF Contact): role and type are IODEF enumeration values
 * ("creator", "reporter", "victim", ...; "organization" or "person"). */
struct cirt_iodef_contact {
	char *role;
	char *type;
	char *name;  /* ContactName, or NULL */
	char *email; /* Email/EmailTo, or NULL */
	char *phone; /* Telephone/TelephoneNumber, or NULL */
};

/* An observable: an Address (category = the IODEF Address category:
 * "ipv4-addr", "ipv6-addr", "ipv4-net", "ipv6-net", "e-mail", "site-uri",
 * "asn", "mac") or a DomainData name (category "domain-name"), inside a
 * System whose @category is role ("source", "target", or "other" when
 * the System has another or no category). */
struct cirt_iodef_observable {
	char *category;
	char *value;
	char *role;
};

/* A HistoryItem: when, the IODEF action ("status-triage",
 * "status-new-info", "contact-source-site", "other", ...), and text. */
struct cirt_iodef_history {
	int64_t at; /* microseconds since the epoch */
	char *action;
	char *text; /* Description, or NULL */
};

/* One Incident. Strings are owned (malloc'd), NULL when absent; times are
 * microseconds since the epoch, 0 when absent. */
struct cirt_iodef_incident {
	char *id_name; /* IncidentID @name (the issuing team's FQDN) */
	char *id;      /* IncidentID text */
	char *alt_id_name, *alt_id; /* AlternativeID/IncidentID, or NULL */
	char *purpose;		    /* "reporting", "mitigation", ... */
	char *status;		    /* IODEF @status, or NULL */
	enum cirt_tlp tlp;	    /* from @restriction; NONE if absent */
	char *lang;		    /* xml:lang, or NULL */
	int64_t generation_time, report_time, detect_time, start_time, end_time;
	char *title;	   /* first Description */
	char *description; /* the other Descriptions, joined by blank lines */
	char *category;	   /* Assessment/IncidentCategory, or NULL */
	char *severity;	   /* SystemImpact @severity: low|medium|high */
	char *impact;	   /* BusinessImpact @type, or NULL */
	char **related;	   /* RelatedActivity/IncidentID texts */
	size_t nrelated;
	struct cirt_iodef_contact *contacts;
	size_t ncontacts;
	struct cirt_iodef_observable *observables;
	size_t nobservables;
	struct cirt_iodef_history *history;
	size_t nhistory;
};

struct cirt_iodef_doc {
	struct cirt_iodef_incident *incidents;
	size_t nincidents;
};

/* Initialise libxml2 once, before threads start (idempotent). */
void cirt_iodef_setup(void);

/* A loaded schema, shared read-only between threads. */
struct cirt_iodef_schema;

/*
 * Load iodef-2.0.xsd from path. Its imports (xmldsig, iodef-enum-1.0,
 * iodef-sci-1.0, xml.xsd) are taken from files beside it, or in a
 * "validation-stubs" directory beside it, by the basename of their
 * schemaLocation; the network is never used. -CIRT_EIO or -CIRT_EINVAL
 * with d naming the file.
 */
int cirt_iodef_schema_load(const char *path, struct cirt_iodef_schema **out,
			   struct cirt_diag *d) CIRT_MUST_CHECK;
void cirt_iodef_schema_free(struct cirt_iodef_schema *s);

/*
 * Write doc as an IODEF-Document (UTF-8, version="2.00", xml:lang "en"
 * unless the incident has one) that validates against iodef-2.0.xsd.
 * Appends to out. Every incident must have id_name, id, purpose and a
 * generation_time; a creator contact is added when there is none.
 */
int cirt_iodef_write(const struct cirt_iodef_doc *doc, struct cirt_buf *out,
		     struct cirt_diag *d) CIRT_MUST_CHECK;

/*
 * Read an IODEF-Document of len bytes (at most CIRT_IODEF_MAX_BYTES; no
 * DTD, no external entities, no network). With a schema, the document is
 * validated against it first; without one, the built-in rules IODEF-01
 * to IODEF-06 and IODEF-09 are checked. Any failure returns -CIRT_EINVAL
 * with every error found (up to CIRT_IODEF_MAX_ERRORS) appended to errors
 * as {"line": N, "message": "..."} objects in document order, d holding
 * the first; nothing is returned in out. On success out holds the
 * incidents (release with cirt_iodef_doc_release).
 */
int cirt_iodef_read(const char *xml, size_t len,
		    const struct cirt_iodef_schema *schema,
		    struct cirt_iodef_doc *out, json_t *errors,
		    struct cirt_diag *d) CIRT_MUST_CHECK;

void cirt_iodef_doc_release(struct cirt_iodef_doc *doc);

/* The BusinessImpact types of RFC 7970, "ext-value" last, then NULL. */
extern const char *const cirt_iodef_business_impacts[];

/* Map between TLP and IODEF restriction values (see above). restriction
 * returns the @restriction value and sets *ext to the ext-restriction
 * value or NULL. */
const char *cirt_iodef_restriction(enum cirt_tlp t, const char **ext);
enum cirt_tlp cirt_iodef_tlp(const char *restriction, const char *ext);

#endif
