/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * A streaming CSV reader: one record at a time from a file descriptor or
 * from memory, in a window of the input, without an allocation per record
 * or field. It reads RFC 4180 (quoted fields with "" for a quote, and
 * separators and line ends inside quotes) with the leniencies real feeds
 * need: a configurable separator (',', ';', tab, or none for whole
 * lines), LF or CRLF line ends, a UTF-8 byte order mark at the start,
 * comment lines, blank lines, optional trimming, and text after a closing
 * quote kept as it is (`"ab"c` is `abc`). It does not interpret a header
 * row: that is the caller's business.
 *
 * Malformed records (longer than record_max, more than fields_max fields,
 * a quote still open at the end of the input) are handed back one by one,
 * marked and with their line number, and reading goes on: a record that
 * is too long is given up at the end of its first line, so one bad quote
 * costs at most the lines of one record_max. Only a read error stops.
 *
 * Layer: core. A reader belongs to one thread. Memory: one window of
 * record_max + 64 KiB (fd sources), one scratch area of record_max for
 * fields that had to be unquoted, and fields_max field slots, allocated
 * at open and freed at close.
 */
#ifndef CIRT_CORE_CSV_H
#define CIRT_CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/err.h"

/* Bytes asked of read() at a time. */
#define CIRT_CSV_CHUNK	    (64u << 10)
#define CIRT_CSV_RECORD_MAX (1u << 20) /* default record_max */
#define CIRT_CSV_FIELDS_MAX 1024       /* default fields_max */

struct cirt_csv_opts {
	char sep;	   /* ',' ';' '\t' ...; '\0': a record is one field,
			    * the whole line */
	char quote;	   /* '"'; '\0' for none (quotes are data) */
	char comment;	   /* lines starting with it are skipped; '\0'
			    * for none */
	bool trim;	   /* drop spaces and tabs around fields (outside the
			    * quotes) and skip lines of only those */
	bool comments_out; /* hand comment lines back (rec->comment) rather
			    * than skip them */
	size_t record_max; /* bytes of one record without its line end;
			    * 0 for CIRT_CSV_RECORD_MAX */
	size_t fields_max; /* 0 for CIRT_CSV_FIELDS_MAX */
};

/* Options for RFC 4180 files: ',', '"', no comments, no trimming, no
 * limits but the defaults. */
extern const struct cirt_csv_opts cirt_csv_default_opts;

/* One field: bytes p[0..n), not NUL-terminated; may contain NULs. */
struct cirt_csv_field {
	const char *p;
	size_t n;
	bool quoted; /* it was written in quotes ("" is a present, empty
		      * value; an empty unquoted field may mean absent) */
};

/* A record, valid until the next call on the reader. */
struct cirt_csv_rec {
	const struct cirt_csv_field *f; /* fields[0..nf) */
	size_t nf;
	const char *raw; /* the record as in the input, all its lines,
			  * without the final line end; for a record that
			  * was too long, its first record_max bytes */
	size_t raw_len;
	int64_t line;	 /* line of the input where it starts, from 1 */
	const char *bad; /* NULL, or why the record is malformed (then nf
			  * is 0): "longer than 1048576 bytes", ... */
	bool comment;	 /* a comment line (comments_out): raw only, nf 0;
			  * raw is cut at record_max */
};

/* The reader. Its members are private to csv.c. */
struct cirt_csv {
	struct cirt_csv_opts o;
	int fd;
	char *buf;	   /* the window's memory (fd sources) */
	const char *data;  /* the window: buf, or the caller's memory */
	size_t cap;	   /* bytes buf can hold */
	size_t start, end; /* unread bytes, data[start..end) */
	bool eof;	   /* nothing more to read after end */
	bool skip;	   /* drop bytes up to the next line end first */
	bool bom_done;	   /* the start of the input was looked at */
	int64_t line;	   /* line of data[start] */
	char *scratch;	   /* unquoted field values */
	struct cirt_csv_field *fields;
	unsigned char stop[256]; /* bytes that end an unquoted field */
	char why[64];
};

/*
 * Open a reader on fd (not closed by the reader), or on memory when fd <
 * 0. pre[0..pre_len) are bytes that come first: with an fd, bytes already
 * read from it (at most CIRT_CSV_CHUNK; copied), or the whole input when
 * fd < 0 (borrowed: it must outlive the reader). o NULL for the defaults.
 * 0, or -CIRT_EINVAL (the separator is the quote, a line end, ...),
 * -CIRT_ELIMIT (record_max absurdly large); nothing to close then.
 */
int cirt_csv_open(struct cirt_csv *c, int fd, const char *pre, size_t pre_len,
		  const struct cirt_csv_opts *o, struct cirt_diag *d);

/*
 * The next record into *rec: 1, whether the record is good or not (see
 * rec->bad); 0 at the end of the input; -CIRT_EIO if reading failed.
 * Comment and blank lines are skipped, not returned.
 */
int cirt_csv_next(struct cirt_csv *c, struct cirt_csv_rec *rec,
		  struct cirt_diag *d);

/* Free what open allocated; the reader can be opened again. */
void cirt_csv_close(struct cirt_csv *c);

/* True if field f is the string s, ignoring ASCII case and white space
 * around f (for header names). */
bool cirt_csv_field_is(const struct cirt_csv_field *f, const char *s);

#endif
