/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Log readers for matching (docs/detection.md): each turns one line of a
 * log into a record, the line's time and the values worth looking up
 * (addresses, names, URLs, file hashes, e-mail addresses), each with the
 * field it came from and its kind. Formats:
 *
 *  - zeek: Zeek's TSV logs, columns named by the "#fields" header (any
 *    log: conn, dns, http, ssl, files, smtp, ...), "\xHH" escapes, "-" and
 *    "(empty)" for unset, set and vector fields split on the set
 *    separator;
 *  - zeek-json: Zeek's JSON logs, one object per line;
 *  - eve: Suricata EVE JSON;
 *  - bind: BIND 9 query log lines ("client ... query: NAME IN A ...");
 *  - squid: Squid's native access.log;
 *  - csv: a header row, then records; the field map says which columns
 *    hold what.
 *
 * Every format has a default field map (which field holds what kind of
 * value); a map given by the user ("name=kind,...", kinds ip, domain,
 * host (an address or a name), url, md5, sha1, sha256, hash (by length),
 * email, time, ignore) adds to it and wins over it. A URL is also made of
 * a host field and a path field where a format splits them (Zeek http
 * host and uri, EVE http.hostname and http.url).
 *
 * Input is read through zlib, so gzip-compressed files are read the same
 * as plain ones. A line that cannot be read as its format is counted as
 * malformed, with its number and reason kept for the first few, and
 * reading goes on; header and comment lines are neither records nor
 * malformed.
 *
 * Layer: detect. Thread-safe: each call keeps its state (about 17 KiB and
 * its buffers) to itself.
 */
#ifndef CIRT_DETECT_LOGREAD_H
#define CIRT_DETECT_LOGREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "detect/matcher.h"

enum cirt_log_format {
	CIRT_LOG_AUTO, /* guessed from the first line */
	CIRT_LOG_ZEEK,
	CIRT_LOG_ZEEK_JSON,
	CIRT_LOG_EVE,
	CIRT_LOG_BIND,
	CIRT_LOG_SQUID,
	CIRT_LOG_CSV,
};

/* "auto", "zeek", "zeek-json", "eve", "bind", "squid", "csv". */
const char *cirt_log_format_name(enum cirt_log_format f);
/* The format named s, or -1. */
int cirt_log_format_parse(const char *s);

/* Longest line read, in bytes; a longer one is malformed (and skipped up
 * to its end). */
#define CIRT_LOG_LINE_MAX (1024 * 1024)
/* Most values taken from one line; the rest are ignored. */
#define CIRT_LOG_VALUES_MAX 64
/* Most entries in a field map. */
#define CIRT_LOG_MAP_MAX 64
/* Malformed lines whose number and reason are kept. */
#define CIRT_LOG_BAD_KEEP 10

/* A value to look up. v is not NUL-terminated; it lives until the
 * callback returns. */
struct cirt_log_value {
	const char *field; /* "id.resp_h", "dns.rrname", "url" */
	enum cirt_ioc_kind kind;
	const char *v;
	size_t n;
};

struct cirt_log_record {
	int64_t time_us; /* when it happened, 0 if the line has no time */
	uint64_t line;	 /* 1-based line number in its input */
	size_t nvalues;
	struct cirt_log_value values[CIRT_LOG_VALUES_MAX];
	const char *text; /* the whole line, without its end of line */
	size_t text_len;
};

/* Called once per record; a negative return stops reading and is
 * returned. */
typedef int (*cirt_log_fn)(const struct cirt_log_record *r, void *arg);

struct cirt_log_stats {
	uint64_t lines;	    /* every line read, headers included */
	uint64_t records;   /* lines that became records */
	uint64_t malformed; /* lines that could not be read */
	uint64_t values;    /* values handed over */
	uint64_t bytes;	    /* uncompressed bytes read */
	struct {
		uint64_t line;
		char reason[120];
	} bad[CIRT_LOG_BAD_KEEP];
};

struct cirt_log_map;

/* Parse a field map "name=kind,name=kind" (kinds above; for csv a name
 * may be a 1-based column number). NULL text gives an empty map. 0 or
 * -CIRT_EINVAL naming "fields" and the entry; -CIRT_ELIMIT past
 * CIRT_LOG_MAP_MAX entries. */
int cirt_log_map_parse(const char *text, struct cirt_log_map **out,
		       struct cirt_diag *d) CIRT_MUST_CHECK;
void cirt_log_map_free(struct cirt_log_map *m);

/*
 * Read the log on fd (plain or gzip; not closed) in format f with the
 * extra field map (NULL for the defaults; csv needs one), calling fn for
 * each record. name is what messages call the input. Stats are added to
 * *st. 0 at the end of input, a negative return of fn, -CIRT_EIO naming
 * the input, or -CIRT_EINVAL (csv without a map, a csv map naming a
 * column the header lacks, a zeek log without "#fields" before its first
 * record, an unknown format).
 */
int cirt_log_read(int fd, const char *name, enum cirt_log_format f,
		  const struct cirt_log_map *map, cirt_log_fn fn, void *arg,
		  struct cirt_log_stats *st, struct cirt_diag *d);

/* The same over text[0..len) in memory (plain, not gzip): for the HTTP
 * endpoint and tests. */
int cirt_log_read_mem(const char *text, size_t len, const char *name,
		      enum cirt_log_format f, const struct cirt_log_map *map,
		      cirt_log_fn fn, void *arg, struct cirt_log_stats *st,
		      struct cirt_diag *d);

#endif
