/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Parsers: each turns one input (a file, a downloaded body, one e-mail)
 * in one format into events, streaming, and hands each event to the
 * pipeline through an emit callback as soon as it is complete. The names
 * are fixed for scripts: shadowserver, spamhaus-drop, spamhaus-asndrop,
 * spamhaus-cert, urlhaus, feodo, phishtank, openphish, blocklist, arf,
 * xarf, stix, csv (docs/feeds.md describes each).
 *
 * Contracts every parser keeps:
 *  - memory is bounded by one record (plus a read chunk), never by the
 *    input's size;
 *  - a malformed record is counted (cirt_feed_bad) and skipped, never
 *    fatal; only an unreadable input, or an input that is not the format
 *    at all (no header where one is required), fails the whole run;
 *  - each event carries its raw record (ev->raw) and the line or index
 *    it came from (ev->line);
 *  - a parser sets the classification it knows; the pipeline fills what
 *    is left from the feed's default.
 *
 * Layer: feed. A parser run is single-threaded; parsers keep no global
 * state.
 */
#ifndef CIRT_FEED_PARSER_H
#define CIRT_FEED_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "feed/event.h"

/* What a parser reads. */
struct cirt_feed_src {
	int fd;		     /* open for reading, at its start */
	const char *name;    /* the input's file name without directories
			      * ("2026-11-20-scan_ntp-nation.csv"), or "" */
	int64_t report_time; /* µs: when the input was made (file mtime,
			      * HTTP Last-Modified, the mail's Date); the
			      * event time when a record has none */
	const char *options; /* the feed's parser options, "k=v;k=v", or ""
			      * (cirt_feed_option) */
	size_t record_max;   /* bytes of one record; 0 for the default 1 MiB */
};

/* What a run counted. */
#define CIRT_FEED_BAD_KEEP 5
struct cirt_feed_stats {
	uint64_t records; /* records read (not comments or blank lines) */
	uint64_t events;  /* events emitted */
	uint64_t bad;	  /* records skipped as malformed */
	char first_bad[CIRT_FEED_BAD_KEEP][200]; /* the first messages:
						  * "line 7: ..." */
};

/*
 * Called for each event; it may change the event but not keep pointers
 * into it. A negative return stops the parser, which returns it.
 */
typedef int (*cirt_emit_fn)(struct cirt_event *ev, void *arg);

struct cirt_parser {
	const char *name;
	const char *summary; /* one line for `feed parsers` and the docs */
	int (*run)(const struct cirt_feed_src *src, cirt_emit_fn emit,
		   void *arg, struct cirt_feed_stats *st, struct cirt_diag *d);
};

/* The parser named name, or NULL. */
const struct cirt_parser *cirt_parser_find(const char *name);

/* Every parser, NULL-terminated, in name order. */
extern const struct cirt_parser *const cirt_parsers[];

/* Count a malformed record: st->bad += 1, and keep the message
 * ("line N: ...") if it is among the first CIRT_FEED_BAD_KEEP. */
void cirt_feed_bad(struct cirt_feed_stats *st, int64_t line, const char *fmt,
		   ...) CIRT_PRINTF(3, 4);

/* The value of option key in "k=v;k=v" into out (NUL-terminated, at most
 * n - 1 bytes): 1 if present, 0 if absent, -CIRT_ELIMIT if too long. */
int cirt_feed_option(const char *options, const char *key, char *out, size_t n);

/* The parsers, one per format (feed/parse_*.c). */
extern const struct cirt_parser cirt_parser_shadowserver;
extern const struct cirt_parser cirt_parser_spamhaus_drop;
extern const struct cirt_parser cirt_parser_spamhaus_asndrop;
extern const struct cirt_parser cirt_parser_spamhaus_cert;
extern const struct cirt_parser cirt_parser_urlhaus;
extern const struct cirt_parser cirt_parser_feodo;
extern const struct cirt_parser cirt_parser_phishtank;
extern const struct cirt_parser cirt_parser_openphish;
extern const struct cirt_parser cirt_parser_blocklist;
extern const struct cirt_parser cirt_parser_csv;
extern const struct cirt_parser cirt_parser_arf;
extern const struct cirt_parser cirt_parser_xarf;
extern const struct cirt_parser cirt_parser_stix;

#endif
