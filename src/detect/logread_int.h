/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Private to the log readers (logread.c, logread_text.c,
 * logread_json.c): the state of one read, the field maps, and the helpers
 * every format shares: the per-record scratch area, "add a value",
 * malformed-line bookkeeping and the time parsers.
 *
 * A read owns one struct lr, allocated per call; the format code keeps
 * its own state behind r->fs and frees it in its done function.
 */
#ifndef CIRT_DETECT_LOGREAD_INT_H
#define CIRT_DETECT_LOGREAD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/compiler.h"
#include "detect/logread.h"

/* The kinds a field map may name: the matcher's kinds first (same
 * numbers), then the ones resolved per value or never looked up. */
enum lr_kind {
	LR_HOST = CIRT_IOC_KINDS, /* an address if it parses as one, else a
				   * domain */
	LR_HASH,		  /* md5, sha1 or sha256 by length */
	LR_TIME,		  /* the record's time */
	LR_IGNORE,		  /* dropped */
	LR_NONE,		  /* not a value (a URL part only) */
};

/* Longest field name in a map, in bytes. */
#define LR_NAME_MAX 128

struct lr_map_entry {
	char name[LR_NAME_MAX + 1]; /* as written */
	char path[LR_NAME_MAX + 1]; /* name without "[]" (JSON paths) */
	size_t len, plen;
	uint8_t kind; /* enum cirt_ioc_kind or enum lr_kind */
	uint32_t col; /* 1-based column number for csv, 0 if a name */
};

struct cirt_log_map {
	size_t n;
	struct lr_map_entry e[CIRT_LOG_MAP_MAX];
};

/* Which part of a URL a field holds, where a format splits them. */
enum lr_part {
	LR_PART_NONE,
	LR_PART_HOST,
	LR_PART_PATH,
};

/* One field of a default map. */
struct lr_field {
	const char *name; /* JSON: a dotted path, "[]" for arrays */
	uint8_t kind;
	uint8_t part;
};

/* A field a read looks for: a default merged with the user's map. */
struct lr_want {
	const char *name; /* field name handed over with values */
	const char *path; /* name without "[]" */
	size_t plen;
	uint8_t kind;
	uint8_t part;
	char pathbuf[LR_NAME_MAX + 1]; /* path of a default field */
};

#define LR_WANT_MAX (CIRT_LOG_MAP_MAX + 32)

struct lr {
	enum cirt_log_format fmt;
	const char *name; /* the input, for messages */
	const struct cirt_log_map *map;
	cirt_log_fn fn;
	void *arg;
	struct cirt_log_stats *st;
	struct cirt_diag *d;
	uint64_t lineno;

	struct cirt_log_record rec;
	char *scratch; /* decoded values and composed URLs of one record */
	size_t scap, slen;
	const char *part[3]; /* URL host and path of this record, by part */
	size_t partn[3];

	struct lr_want want[LR_WANT_MAX];
	size_t nwant;
	const char *url_field; /* name of the composed URL, NULL for none */

	void *fs; /* the format's own state */
};

/* Fill r->want from defs[0..n) and the user's map (which wins on the same
 * path and adds the rest); url_field names the composed URL. */
void lr_want_build(struct lr *r, const struct lr_field *defs, size_t n,
		   const char *url_field);

/* The wanted field whose path is p[0..n), or NULL. */
const struct lr_want *lr_want_find(const struct lr *r, const char *p, size_t n);

/* Start a record for the line p[0..n): no values, no time, an empty
 * scratch area of at least 2 n + 64 bytes. */
void lr_begin(struct lr *r, const char *p, size_t n);

/* n bytes of scratch for this record, or NULL if it is used up (it never
 * is when the decoders only shrink, as they do). */
char *lr_scratch(struct lr *r, size_t n);

/* Add the value v[0..n) of kind (enum cirt_ioc_kind or enum lr_kind) from
 * field: "host" and "hash" are resolved, "ignore", "none" and "time" and
 * unset values ("", "-", "(empty)") are dropped; past
 * CIRT_LOG_VALUES_MAX values the rest are dropped. */
void lr_add(struct lr *r, const char *field, unsigned kind, const char *v,
	    size_t n);

/* Remember a URL part of this record. */
void lr_part(struct lr *r, unsigned part, const char *v, size_t n);

/* Add the URL made of the parts remembered (an absolute path part as it
 * is; "http://" host path when the path starts with '/'). */
void lr_compose(struct lr *r);

/* Hand the record over: 0, or the callback's negative return. */
int lr_emit(struct lr *r);

/* Count this line as malformed, keeping its number and reason for the
 * first few; returns 0 so line handlers can `return lr_bad(...)`. */
int lr_bad(struct lr *r, const char *fmt, ...) CIRT_PRINTF(2, 3);

/* Time parsers, into microseconds since the epoch; false if s[0..n) is
 * not such a time. Epoch seconds with an optional fraction. */
bool lr_time_epoch(const char *s, size_t n, int64_t *us);
/* YYYY-MM-DD, 'T' or ' ', HH:MM:SS, an optional fraction, and an optional
 * zone: "Z", "+HH:MM", "+HHMM" (none is UTC). */
bool lr_time_iso(const char *s, size_t n, int64_t *us);
/* BIND's "DD-Mon-YYYY HH:MM:SS[.fff]" at the start of s; *used is how
 * many bytes it took. */
bool lr_time_bind(const char *s, size_t n, int64_t *us, size_t *used);
/* Any of the above but BIND's, as a value says. */
bool lr_time_any(const char *s, size_t n, int64_t *us);

/* The first c in s[0..n), or NULL: memchr, but for the short values of
 * log fields, where a plain loop beats the call. */
static inline const char *lr_chr(const char *s, size_t n, char c)
{
	if (n > 32)
		return memchr(s, c, n);
	for (size_t i = 0; i < n; i++)
		if (s[i] == c)
			return s + i;
	return NULL;
}

/* The first s[0..k) in p[0..n), or NULL (memmem is not POSIX). */
const char *lr_find(const char *p, size_t n, const char *s, size_t k);

/* True if s[0..n) is an IPv4 address literal, or has the characters of
 * an IPv6 one (hex digits, dots and a colon; no name has a colon). */
bool lr_is_ip(const char *s, size_t n);

/* Zeek's default field map, for its TSV and JSON logs. */
extern const struct lr_field lr_zeek_fields[];
extern const size_t lr_zeek_nfields;

/* The formats, each with init (after the format is known, before the
 * first line), line (one line without its end, not empty: 0, or a
 * negative code that stops the read) and done (free what init took). */
int lr_zeek_init(struct lr *r);
int lr_zeek_line(struct lr *r, const char *p, size_t n);
void lr_zeek_done(struct lr *r);
int lr_bind_init(struct lr *r);
int lr_bind_line(struct lr *r, const char *p, size_t n);
int lr_squid_init(struct lr *r);
int lr_squid_line(struct lr *r, const char *p, size_t n);
int lr_csv_init(struct lr *r);
int lr_csv_line(struct lr *r, const char *p, size_t n);
void lr_csv_done(struct lr *r);
int lr_json_init(struct lr *r);
int lr_json_line(struct lr *r, const char *p, size_t n);
void lr_json_done(struct lr *r);

#endif
