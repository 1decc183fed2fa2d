/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * What a constituent receives: a digest of events rendered as the file
 * attached to a notification (CSV, X-ARF v4 or IODEF v2), and the subject
 * and plain-text body of the e-mail that carries it, in the contact's
 * language. Does not decide what is due or to whom (notify.c), nor build
 * or send the message (notify/mail.h).
 *
 * A digest is a JSON array of events, each a flat object with IntelMQ
 * style dotted keys, all optional but "id" (an integer): "time.source",
 * "time.observation" (RFC 3339), "source.ip", "source.network",
 * "source.port", "source.asn", "source.geolocation.cc", "source.fqdn",
 * "source.url", "destination.ip", "destination.port", "destination.asn",
 * "protocol.transport", "protocol.application", "classification.taxonomy"
 * (the RSIT class), "classification.type", "classification.identifier",
 * "malware.name", "feed.name", "feed.provider", "tlp" (clear, green,
 * amber, amber+strict, red), "constituent", "extra" (an object) and "raw"
 * (the record as received, base64). Ports and ASNs are integers. Other
 * keys are ignored. Text values must be one line: no control characters,
 * no U+FFFE or U+FFFF, at most CIRT_NOTIFY_FIELD_MAX bytes; a value that
 * breaks a rule fails the whole digest with -CIRT_EINVAL naming it
 * ("events[3].source.url"), since a report must not change silently.
 *
 * Layer: notify. Functions of their arguments (but X-ARF report ids,
 * which are random, and the clock when ctx gives no time); no I/O;
 * thread-safe.
 *
 * References: RFC 4180 (CSV); X-ARF v4 (../shared/docs/standards.md 6.2);
 * RFC 7970 (IODEF v2, standards.md 3.2); FIRST TLP 2.0 (standards.md 5).
 */
#ifndef CIRT_NOTIFY_RENDER_H
#define CIRT_NOTIFY_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"
#include "core/tlp.h"

/* Events in one digest. */
#define CIRT_NOTIFY_MAX_EVENTS 10000
/* Bytes in one text value of an event. */
#define CIRT_NOTIFY_FIELD_MAX 4096
/* Largest raw record attached as X-ARF evidence (decoded bytes); larger
 * records are left out of the report, which stays valid without them. */
#define CIRT_NOTIFY_EVIDENCE_MAX (5u << 20)
/* Rows of the classification table in a body; the rest are summed into
 * one "other" row. */
#define CIRT_NOTIFY_TEXT_ROWS 30

enum cirt_notify_format {
	CIRT_NOTIFY_CSV,   /* events.csv, text/csv; charset=utf-8 */
	CIRT_NOTIFY_XARF,  /* xarf.json, application/json */
	CIRT_NOTIFY_IODEF, /* iodef.xml, application/xml */
	CIRT_NOTIFY_FORMAT_COUNT
};

/* "csv", "xarf", "iodef"; NULL for a value out of range. */
const char *cirt_notify_format_name(enum cirt_notify_format f);

/* Parse a format name (as above, case-insensitive). 0 or -CIRT_EINVAL. */
int cirt_notify_format_parse(const char *s, enum cirt_notify_format *out);

/* The attachment's MIME type and file name (static strings; NULL for a
 * value out of range). */
const char *cirt_notify_format_mime(enum cirt_notify_format f);
const char *cirt_notify_format_file(enum cirt_notify_format f);

/* Who sends the digest and how (X-ARF reporter and sender, the IODEF
 * creator contact and IncidentID @name). The strings are borrowed. */
struct cirt_notify_ctx {
	const char *team_org;	 /* "CERT-XX"; required for X-ARF, IODEF */
	const char *team_email;	 /* the team's contact address; required
				  * for X-ARF, IODEF */
	const char *team_domain; /* the team's domain; required for X-ARF,
				  * IODEF */
	const char *lang;	 /* IODEF xml:lang; NULL or "" is "en" */
	enum cirt_tlp tlp;	 /* for events without a "tlp" of their own;
				  * CIRT_TLP_NONE for no marking */
	int64_t now;		 /* µs; report and generation time, 0 for
				  * the clock */
};

/*
 * Render the digest events (a JSON array) in format, appending the file
 * to out; *mime and *file (either may be NULL) get the attachment's MIME
 * type and file name.
 *
 * CSV: a header row and one row per event, the columns in the order of
 * cirt_notify_csv_columns (every key above but "id", "raw" and "extra",
 * then "extra" as compact JSON), RFC 4180 quoting (a cell holding a
 * comma, a quote, CR or LF is quoted, quotes doubled), CRLF after every
 * row, no byte order mark. Against formula injection, a text cell that
 * starts with '=', '+', '-', '@', TAB or CR gets a leading "'" (OWASP's
 * rule): a spreadsheet then shows it as text. Number cells (ports, ASNs)
 * are never changed.
 *
 * X-ARF: a JSON array of X-ARF v4 reports, one per event, one per line
 * (cirt_notify_xarf_type() names the category and type).
 *
 * IODEF: one IODEF-Document with one Incident per event (see render.c
 * for the elements written).
 *
 * 0; -CIRT_EINVAL for a digest that breaks a rule above or a ctx
 * missing what the format needs; -CIRT_ELIMIT past
 * CIRT_NOTIFY_MAX_EVENTS or out's ceiling. On failure out is as it was.
 */
int cirt_notify_render(enum cirt_notify_format format, const json_t *events,
		       const struct cirt_notify_ctx *ctx, struct cirt_buf *out,
		       const char **mime, const char **file,
		       struct cirt_diag *d) CIRT_MUST_CHECK;

/* The CSV columns in order, NULL-terminated. */
extern const char *const cirt_notify_csv_columns[];

/*
 * The X-ARF v4 category and type for an RSIT classification (our own
 * types first rolled up to their RSIT type, incident/taxonomy.h):
 *
 *   abusive-content:spam                  messaging/spam
 *   malicious-code:infected-system        connection/infected_host
 *   malicious-code:c2-server              infrastructure/botnet
 *   malicious-code:malware-distribution   content/malware
 *   fraud:phishing                        content/phishing
 *   intrusion-attempts:brute-force        connection/login_attack
 *   information-gathering:scanner         connection/port_scan
 *   availability:ddos, availability:dos   connection/ddos
 *   vulnerable:vulnerable-system with a CVE identifier  vulnerability/cve
 *   vulnerable:vulnerable-system, weak-crypto,
 *     information-disclosure              vulnerability/misconfiguration
 *   vulnerable:(any other type)           vulnerability/open_service
 *   anything else, or none                reputation/threat_intelligence
 *
 * cls, type and identifier may be NULL. Static strings.
 */
void cirt_notify_xarf_type(const char *cls, const char *type,
			   const char *identifier, const char **category,
			   const char **xtype);

/* One row of the classification table of a body. */
struct cirt_notify_count {
	const char *classification; /* "class:type", or "" for none */
	size_t count;
};

/* What the text of a digest e-mail says. Strings are borrowed. */
struct cirt_notify_text_ctx {
	const char *team;	 /* the sending team, "CERT-XX" */
	const char *constituent; /* the receiving organisation */
	size_t nevents;		 /* events in the digest */
	const struct cirt_notify_count *counts; /* per classification, in
						 * the order to show */
	size_t ncounts;
	int64_t from, to;		/* µs, the period; 0 if unknown */
	enum cirt_tlp tlp;		/* the digest's marking, or NONE */
	enum cirt_notify_format format; /* of the attachment */
	const char *reply_to;		/* where to write back */
};

/* The language cirt_notify_text uses for a tag: "en", "fr", "es", "ru",
 * "ar" or "zh" by the primary subtag ("fr-CA" is "fr", "zh-Hans" is
 * "zh"), "en" for any other or NULL. Static string. */
const char *cirt_notify_lang(const char *lang);

/*
 * Write the subject (one line) and the plain-text body (UTF-8, LF line
 * ends, paragraphs wrapped at 72 columns) of a digest e-mail in lang's
 * language (cirt_notify_lang), appending to subject and body. The subject
 * starts with "[TLP:...] " when the digest is marked; the body greets,
 * says who sent what about whom and when, gives a table of counts per
 * classification, names the attachment, asks for action, says how the
 * TLP level lets the information be shared, and where to reply.
 * 0; -CIRT_EINVAL (naming the ctx member) for text with control
 * characters or a missing team, constituent or reply_to; -CIRT_ELIMIT
 * past a buffer's ceiling. On failure both buffers are as they were.
 */
int cirt_notify_text(const char *lang, const struct cirt_notify_text_ctx *ctx,
		     struct cirt_buf *subject, struct cirt_buf *body,
		     struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
