/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The normalised event: one observation from a feed or an abuse report
 * about one host, network, domain or URL, in the same shape whatever its
 * source. Field names follow IntelMQ's harmonisation ("source.ip",
 * "time.source", "classification.type", ...; docs/feeds.md lists them),
 * so mappings written for IntelMQ read naturally here.
 *
 * An event is a fixed-size record that a parser fills and hands on; it
 * owns no memory but its extra buffer, so one event is reused for every
 * record of a feed (cirt_event_reset between records) and a feed of any
 * size goes through in constant memory.
 *
 * Parsers set the fields they find through cirt_event_set() (by name,
 * from text: validated, canonicalised) or directly; what has no field of
 * its own goes into extra, a JSON object built as text
 * (cirt_event_extra()). The raw record is borrowed from the parser and is
 * valid during the emit call only.
 *
 * Layer: feed. An event belongs to one thread.
 */
#ifndef CIRT_FEED_EVENT_H
#define CIRT_FEED_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/ip.h"
#include "core/tlp.h"

#define CIRT_EVENT_FQDN_MAX  253
#define CIRT_EVENT_URL_MAX   2048
#define CIRT_EVENT_NAME_MAX  63 /* identifier, application, cc ... */
#define CIRT_EVENT_EXTRA_MAX (64 * 1024)
#define CIRT_EVENT_RAW_MAX   (1024 * 1024) /* stored raw record */

struct cirt_event_end {
	struct cirt_ip ip; /* len 0 and a[] zero: unset */
	bool has_ip;
	int32_t port; /* -1 unset */
	int64_t asn;  /* 0 unset */
	char cc[3];   /* ISO 3166-1 alpha-2, upper case; "" unset */
	char fqdn[CIRT_EVENT_FQDN_MAX + 1]; /* A-labels, lower case, no
					     * trailing dot after enrichment */
};

struct cirt_event {
	int64_t time_source;	  /* µs since the epoch, 0 unset */
	int64_t time_observation; /* µs; set by the pipeline */
	struct cirt_event_end src, dst;
	char url[CIRT_EVENT_URL_MAX + 1]; /* source.url */
	char transport[8]; /* protocol.transport: tcp, udp, ... */
	char application[CIRT_EVENT_NAME_MAX + 1]; /* protocol.application */
	char cls[40];  /* classification.taxonomy (RSIT class), "" unset */
	char type[40]; /* classification.type (RSIT type), "" unset */
	char identifier[CIRT_EVENT_NAME_MAX + 1]; /* classification.identifier:
						  * report type, family ... */
	char malware[CIRT_EVENT_NAME_MAX + 1];	  /* malware.name, lower case */
	struct cirt_buf extra; /* members of a JSON object without the braces:
				* "name":"value",... */
	const char *raw;       /* the record as received (borrowed) */
	size_t raw_len;
	int tlp;      /* enum cirt_tlp when the record carries its own
		       * marking (stricter ones win), -1 for the feed's */
	int64_t line; /* where the record began in its input (1-based), or
		       * its index in a JSON array + 1; 0 unknown */
	/* Set by the pipeline (feed/pipeline.c), not by parsers. */
	int64_t constituent; /* owning organisation id, 0 none */
	char route[8];	     /* how it was found: cidr, asn, domain, "" */
};

/* Set up an event (empty extra) and release it. */
void cirt_event_init(struct cirt_event *ev);
void cirt_event_release(struct cirt_event *ev);

/* Clear every field for the next record; keeps extra's memory. */
void cirt_event_reset(struct cirt_event *ev);

/*
 * Set the field named name (harmonisation name, see cirt_event_fields)
 * from the text v[0..n). Surrounding white space is trimmed, an empty
 * value leaves the field unset and is not an error. Names starting with
 * "extra." go to extra under the rest of the name. IPs are parsed (a
 * prefix for source.network), ports 0..65535, ASNs with or without "AS",
 * times as RFC 3339, "YYYY-MM-DD HH:MM:SS[.frac]" (UTC), or Unix seconds;
 * a two-letter country code is upper-cased. 0, or -CIRT_EINVAL naming the
 * field and the value's fault; -CIRT_EINVAL also for an unknown name.
 */
int cirt_event_set(struct cirt_event *ev, const char *name, const char *v,
		   size_t n, struct cirt_diag *d);

/* Add "name": v[0..n) (a JSON string) to extra; bytes that are not UTF-8
 * become U+FFFD. Empty values are skipped. -CIRT_ELIMIT past
 * CIRT_EVENT_EXTRA_MAX. */
int cirt_event_extra(struct cirt_event *ev, const char *name, const char *v,
		     size_t n) CIRT_MUST_CHECK;

/* Add "name": number (for values that are numbers in the source). */
int cirt_event_extra_int(struct cirt_event *ev, const char *name,
			 int64_t v) CIRT_MUST_CHECK;

/* Set classification "class:type" or class and type apart (copied as
 * given; the pipeline checks them against the taxonomy). */
void cirt_event_classify(struct cirt_event *ev, const char *cls,
			 const char *type);

/* The names cirt_event_set() knows, NULL-terminated (for messages and
 * docs/feeds.md). */
extern const char *const cirt_event_fields[];

/* Parse a time as cirt_event_set does for time.source: 0 or -1. */
int cirt_event_parse_time(const char *s, size_t n, int64_t *us);

#endif
