/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * What the parsers (feed/parse_*.c) share, and nothing else uses: the
 * machinery of one run (set-up, the event reused for every record,
 * setting fields with the record's fault kept or counted, emitting), the
 * record loops over CSV and over a JSON array with their handling of
 * malformed records, and small text helpers. The code is in
 * parse_util.c, but for the e-mail and X-ARF entry points, which the arf
 * and xarf parsers hand each other (an X-ARF report may arrive inside an
 * e-mail, and an e-mail may be given to the xarf parser).
 *
 * Two ways to report a record's fault, for two styles of parser:
 *  - cirt_feed_rec_*() keep the first fault in r->rd and return -1; the
 *    record loop (or the parser) counts it once with cirt_feed_rec_bad()
 *    when the record is done ("field: message");
 *  - cirt_feed_run_set/_extra/_source() count the record as malformed at
 *    once and return -1, for code that gives up on the record there.
 *
 * Layer: feed. Private to the parsers; single-threaded per run.
 */
#ifndef CIRT_FEED_PARSE_INT_H
#define CIRT_FEED_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/csv.h"
#include "feed/event.h"
#include "feed/parser.h"

/* Default ceiling of one e-mail message or one X-ARF report, in bytes;
 * the parser option max= (with k, m or g) changes it. */
#define CIRT_FEED_MAIL_MAX (10u << 20)

/* One run of a parser: where events go, what is counted, and the event
 * that is reused for every record. A parser with state of its own embeds
 * it. */
struct cirt_feed_run {
	const struct cirt_feed_src *src;
	cirt_emit_fn emit;
	void *arg;
	struct cirt_feed_stats *st;
	struct cirt_diag *d; /* the run's: what stops it */
	struct cirt_diag rd; /* the current record's fault */
	struct cirt_event ev;
	size_t max; /* bytes of one record: src->record_max, or the max=
		     * option (cirt_feed_run_max); 0 for the default */
};

/* Set up r for one run (ev initialised); release it with
 * cirt_feed_run_release whatever happens after. */
void cirt_feed_run_init(struct cirt_feed_run *r,
			const struct cirt_feed_src *src, cirt_emit_fn emit,
			void *arg, struct cirt_feed_stats *st,
			struct cirt_diag *d);
void cirt_feed_run_release(struct cirt_feed_run *r);

/* r->max for the parsers that read whole messages or reports: the max=
 * option, else src->record_max when set, else dflt. 0, or -CIRT_EINVAL
 * naming "max". */
int cirt_feed_run_max(struct cirt_feed_run *r, size_t dflt);

/* The parser option key into out (n bytes): 1 if given, 0 if not (out
 * ""), or -CIRT_ELIMIT in r->d ("the option key= is too long"). */
int cirt_feed_run_option(struct cirt_feed_run *r, const char *key, char *out,
			 size_t n);

/* The input's name without its directories; "" if it has none. */
const char *cirt_feed_src_base(const struct cirt_feed_src *src);

/*
 * Start a record: r->ev cleared, r->rd without fault, r->ev.line line
 * (1-based; an element's index + 1 for JSON).
 */
void cirt_feed_rec_begin(struct cirt_feed_run *r, int64_t line);

/* Set field name of r->ev from v[0..n) (cirt_event_set): 0, or -1 with
 * the fault in r->rd. */
int cirt_feed_rec_set(struct cirt_feed_run *r, const char *name, const char *v,
		      size_t n);

/* The same, but a value that does not fit the field goes to extra under
 * col instead: -1 only if extra is full. */
int cirt_feed_rec_soft(struct cirt_feed_run *r, const char *name,
		       const char *col, const char *v, size_t n);

/* Add "name": v[0..n) to r->ev's extra: 0, or -1 ("extra is full" in
 * r->rd). */
int cirt_feed_rec_extra(struct cirt_feed_run *r, const char *name,
			const char *v, size_t n);

/*
 * Member name of the JSON object o (a string, or an integer as decimal
 * text; anything else is absent) into field with cirt_feed_rec_set
 * (hard) or cirt_feed_rec_soft (under name), or into extra under name
 * when field is NULL. 0 when absent.
 */
int cirt_feed_rec_member(struct cirt_feed_run *r, const json_t *o,
			 const char *name, const char *field, bool hard);

/* Count the current record as malformed for the fault in r->rd, as
 * "line N: field: message". */
void cirt_feed_rec_bad(struct cirt_feed_run *r);

/* Set field name of r->ev from v[0..n) (cirt_event_set); on failure the
 * record is counted as malformed with the reason, and -1 returned. */
int cirt_feed_run_set(struct cirt_feed_run *r, const char *name, const char *v,
		      size_t n);

/* Add "name": v[0..n) to r->ev's extra; -1 (record counted as malformed)
 * if extra is full. */
int cirt_feed_run_extra(struct cirt_feed_run *r, const char *name,
			const char *v, size_t n);

/* Set the source of r->ev from an identifier that may be an IP address,
 * a prefix, a URL or a domain name: 0, -1 (record counted as malformed),
 * or 1 if it is none of them (nothing set). */
int cirt_feed_run_source(struct cirt_feed_run *r, const char *v, size_t n);

/*
 * Hand r->ev on: raw[0..n) becomes its raw record (the first
 * CIRT_EVENT_RAW_MAX bytes, with extra "raw_truncated": "true" when cut),
 * the run's report_time its time when it has none; stats count it.
 * Returns emit's result (negative stops the run), or 0 after counting the
 * record as malformed if its extra overflowed.
 */
int cirt_feed_run_emit(struct cirt_feed_run *r, const char *raw, size_t n);

/* What a record callback says: r->ev is filled and goes out; the record
 * is not one (a header, a trailer: not counted); or it is malformed,
 * r->rd says why. A negative code stops the run instead. */
enum {
	CIRT_FEED_EMIT,
	CIRT_FEED_SKIP,
	CIRT_FEED_BAD,
};

/* Called with each well-formed CSV record, r->ev cleared (begin). */
typedef int (*cirt_feed_csv_fn)(void *arg, const struct cirt_csv_rec *rec);

/*
 * Read every CSV record of r->src (pre[0..n) first: bytes already read
 * from its fd) with options o (record_max from src), handing each to fn;
 * records the reader finds malformed are counted and skipped, the others
 * counted, emitted or counted as malformed by fn's answer. 0 at the end,
 * or a negative code: the reader's (-CIRT_EIO), fn's, or emit's.
 */
int cirt_feed_csv_each(struct cirt_feed_run *r, const struct cirt_csv_opts *o,
		       const char *pre, size_t n, cirt_feed_csv_fn fn,
		       void *arg);

/* Called with each element of a JSON array that is an object. */
typedef int (*cirt_feed_json_fn)(void *arg, json_t *obj);

/*
 * Read r->src as a JSON array (feed/json_array.h; pre[0..n) first, one
 * element at most src->record_max bytes, default 1 MiB), handing each
 * element that is an object to fn; every element is a record, with its
 * bytes as raw and its index + 1 as line, and one that is not an object
 * is malformed. 0, or the reader's, fn's or emit's negative code.
 */
int cirt_feed_json_each(struct cirt_feed_run *r, const char *pre, size_t n,
			cirt_feed_json_fn fn, void *arg);

/* A JSON value as text: a string as it is, an integer in decimal (in
 * buf, n bytes); NULL for anything else. */
const char *cirt_feed_json_text(const json_t *v, char *buf, size_t n);

/* The string member name of o, or NULL. */
const char *cirt_feed_json_str(const json_t *o, const char *name);

/* Copy s into dst (cap bytes), cut if need be; cheaper than snprintf for
 * the fields set on every record. */
void cirt_feed_copy(char *dst, size_t cap, const char *s);

/* ASCII upper case to lower case, of one byte and of a string in
 * place. */
char cirt_feed_lower(char c);
void cirt_feed_lower_str(char *s);

/* s[0..n) lower-cased, each from byte as to, into out (size bytes, cut
 * and NUL-terminated): type names written either way ("Login_Attack",
 * "login-attack"). */
void cirt_feed_norm_name(const char *s, size_t n, char from, char to, char *out,
			 size_t size);

/* True if p[0..n) starts with s (lower case), ignoring ASCII case. */
bool cirt_feed_starts_nocase(const char *p, size_t n, const char *s);

/* Append sep (unless *len is 0) and s[0..n) to buf[0..*len), if both fit
 * in size bytes: true, or false with nothing added. For the lists that
 * go to extra as one value ("a, b, c"). */
bool cirt_feed_join(char *buf, size_t size, size_t *len, const char *sep,
		    const char *s, size_t n);

/* True if needle (NUL-terminated, not empty) occurs in s[0..n). */
bool cirt_feed_contains(const char *s, size_t n, const char *needle);

/* read() into buf, at most n bytes, again after EINTR: the bytes read (0
 * at the end), or -CIRT_EIO in d ("cannot read the input"). */
ssize_t cirt_feed_read(int fd, char *buf, size_t n, struct cirt_diag *d);

/*
 * The input of the run, an e-mail message (parse_mail.c): head[0..
 * head_len), bytes already read from src->fd, then the rest of src->fd.
 * Counts one record; emits its events or counts it as malformed (as
 * well when it is longer than r->max). Returns 0, emit's negative result,
 * or -CIRT_EIO in r->d if the input cannot be read.
 */
int cirt_feed_mail_input(struct cirt_feed_run *r, const char *head,
			 size_t head_len);

/*
 * X-ARF JSON found inside an e-mail, j[0..n) (one report or an array of
 * them; parse_xarf.c): each report is checked and mapped as the xarf
 * parser does, and emitted with raw[0..raw_len) (the message) as its raw
 * record and line as its line. Counts no record (the caller counted the
 * message); a bad report is counted as malformed. 0 or emit's negative
 * result.
 */
int cirt_feed_xarf_json(struct cirt_feed_run *r, const char *j, size_t n,
			const char *raw, size_t raw_len, int64_t line);

#endif
