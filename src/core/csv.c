/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The streaming CSV reader. See core/csv.h.
 *
 * The input goes through one window, data[start..end). A record is parsed
 * from start in one pass, never looking further than record_max + 2 bytes
 * (the record and a CRLF), so whether a record is complete or too long
 * never depends on how read() happened to cut the input. When the window
 * ends before the record does, the window is refilled (the unread bytes
 * slide to the front when there is too little room behind them) by a
 * chunk, or by as much as is pending for a long record, and the record is
 * parsed again from its start: a record that straddles one chunk boundary
 * is parsed twice, a long one a few times (the read doubles what is
 * there), which costs less than keeping a resumable state.
 *
 * Fields point into the window where they can; a quoted field with ""
 * inside, or with text after its closing quote, is copied unquoted into
 * the scratch area, which record_max + 2 bytes always suffice for since
 * unquoting only shrinks. Unquoted fields are scanned with a table of the
 * two bytes that end them (the separator and LF).
 */
#include "core/csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/banned.h"

const struct cirt_csv_opts cirt_csv_default_opts = {
	.sep = ',',
	.quote = '"',
};

enum parsed {
	P_DONE, /* a complete record */
	P_MORE, /* the window ends inside the record: refill */
	P_LONG, /* longer than record_max */
	P_OPEN, /* a quote still open at the end of the input */
};

/* Where one record's parse is. */
struct scan {
	size_t i;		   /* next byte */
	size_t lim;		   /* bytes past here are not looked at */
	bool at_end;		   /* lim is the end of the input */
	bool limited;		   /* lim was cut at record_max + 2 */
	size_t sp;		   /* scratch bytes used */
	int64_t nl;		   /* line ends inside the record */
	size_t nf;		   /* fields seen */
	bool too_many;		   /* more than fields_max */
	const unsigned char *stop; /* bytes that end an unquoted field */
};

static bool blank(const struct cirt_csv *c, char ch)
{
	return ch == ' ' || (ch == '\t' && c->o.sep != '\t');
}

static int64_t count_nl(const char *p, size_t n)
{
	int64_t k = 0;
	const char *q;

	while (n > 0 && (q = memchr(p, '\n', n)) != NULL) {
		k++;
		n -= (size_t)(q - p) + 1;
		p = q + 1;
	}
	return k;
}

/* True if data[i] ends the field: the separator, LF, CRLF, or the end of
 * the input. */
static bool field_end(const struct cirt_csv *c, const struct scan *s, size_t i)
{
	const char *p = c->data;

	if (i == s->lim)
		return s->at_end;
	if ((c->o.sep != '\0' && p[i] == c->o.sep) || p[i] == '\n')
		return true;
	return p[i] == '\r' && i + 1 < s->lim && p[i + 1] == '\n';
}

/*
 * A quoted field with "" or trailing text: unquote into the scratch area
 * from the byte after the opening quote. P_DONE with s->i on the byte
 * that ended the field.
 */
static int quoted_slow(struct cirt_csv *c, struct scan *s,
		       struct cirt_csv_field *f)
{
	const char *p = c->data, *q;
	char *o = c->scratch + s->sp;
	size_t n = 0, i = s->i, tail;

	for (;;) {
		q = memchr(p + i, c->o.quote, s->lim - i);
		if (q == NULL)
			return s->at_end    ? P_OPEN
			       : s->limited ? P_LONG
					    : P_MORE;
		memcpy(o + n, p + i, (size_t)(q - p) - i);
		s->nl += count_nl(p + i, (size_t)(q - p) - i);
		n += (size_t)(q - p) - i;
		i = (size_t)(q - p) + 1;
		if (i < s->lim && p[i] == c->o.quote) {
			o[n++] = c->o.quote;
			i++;
			continue;
		}
		if (i == s->lim && !s->at_end)
			return s->limited ? P_LONG : P_MORE;
		break;
	}
	/* After the closing quote: literal text up to the separator. */
	tail = n;
	while (i < s->lim && !s->stop[(unsigned char)p[i]])
		o[n++] = p[i++];
	if (i == s->lim && !s->at_end)
		return s->limited ? P_LONG : P_MORE;
	if (n > tail && o[n - 1] == '\r' && (i == s->lim || p[i] == '\n'))
		n--;
	while (c->o.trim && n > tail && blank(c, o[n - 1]))
		n--;
	f->p = o;
	f->n = n;
	s->sp += n;
	s->i = i;
	return P_DONE;
}

/* A field that starts with a quote at s->i. */
static int quoted(struct cirt_csv *c, struct scan *s, struct cirt_csv_field *f)
{
	const char *p = c->data, *q;
	size_t from = s->i + 1, j, k;

	f->quoted = true;
	q = memchr(p + from, c->o.quote, s->lim - from);
	if (q == NULL)
		return s->at_end ? P_OPEN : s->limited ? P_LONG : P_MORE;
	j = (size_t)(q - p);
	if (j + 1 == s->lim && !s->at_end)
		return s->limited ? P_LONG : P_MORE;
	k = j + 1;
	if (k < s->lim && p[k] == c->o.quote) {
		s->i = from;
		return quoted_slow(c, s, f);
	}
	while (c->o.trim && k < s->lim && blank(c, p[k]))
		k++;
	if (k == s->lim && !s->at_end)
		return s->limited ? P_LONG : P_MORE;
	if (!field_end(c, s, k)) {
		s->i = from;
		return quoted_slow(c, s, f);
	}
	s->nl += count_nl(p + from, j - from);
	f->p = p + from;
	f->n = j - from;
	s->i = k < s->lim && p[k] == '\r' ? k + 1 : k;
	return P_DONE;
}

/* An unquoted field from s->i. */
static int unquoted(struct cirt_csv *c, struct scan *s,
		    struct cirt_csv_field *f)
{
	const char *p = c->data;
	size_t i = s->i, n;

	while (i < s->lim && !s->stop[(unsigned char)p[i]])
		i++;
	if (i == s->lim && !s->at_end)
		return s->limited ? P_LONG : P_MORE;
	n = i - s->i;
	if (n > 0 && p[i - 1] == '\r' && (i == s->lim || p[i] == '\n'))
		n--;
	while (c->o.trim && n > 0 && blank(c, p[s->i + n - 1]))
		n--;
	f->p = p + s->i;
	f->n = n;
	f->quoted = false;
	s->i = i;
	return P_DONE;
}

/* Parse the record at start; on P_DONE s->i is on its LF or the end. */
static int parse(struct cirt_csv *c, struct scan *s)
{
	struct cirt_csv_field f;
	int rc;

	for (;;) {
		while (c->o.trim && s->i < s->lim && blank(c, c->data[s->i]))
			s->i++;
		if (c->o.quote != '\0' && s->i < s->lim &&
		    c->data[s->i] == c->o.quote)
			rc = quoted(c, s, &f);
		else
			rc = unquoted(c, s, &f);
		if (rc != P_DONE)
			return rc;
		if (s->nf < c->o.fields_max)
			c->fields[s->nf++] = f;
		else
			s->too_many = true;
		if (s->i == s->lim || c->data[s->i] == '\n')
			return P_DONE;
		s->i++; /* the separator */
	}
}

static void scan_init(struct cirt_csv *c, struct scan *s)
{
	s->i = c->start;
	s->lim = c->end;
	s->limited = false;
	if (c->end - c->start > c->o.record_max + 2) {
		s->lim = c->start + c->o.record_max + 2;
		s->limited = true;
	}
	s->at_end = !s->limited && c->eof;
	s->sp = 0;
	s->nl = 0;
	s->nf = 0;
	s->too_many = false;
}

/* Read more input behind end. 0 (eof set when there is none), or
 * -CIRT_EIO. */
static int refill(struct cirt_csv *c, struct cirt_diag *d)
{
	size_t want;
	ssize_t n;

	if (c->fd < 0 || c->eof) {
		c->eof = true;
		return 0;
	}
	/* A chunk, or as much as is pending when a long record is: a
	 * record is then parsed O(log(record_max / chunk)) times. */
	want = CIRT_MAX(CIRT_CSV_CHUNK, c->end - c->start);
	if (c->start > 0 && c->cap - c->end < want) {
		memmove(c->buf, c->buf + c->start, c->end - c->start);
		c->end -= c->start;
		c->start = 0;
	}
	want = CIRT_MIN(want, c->cap - c->end);
	if (want == 0)
		return cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
				     "CSV window full");
	do {
		n = read(c->fd, c->buf + c->end, want);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return cirt_diag_set(d, -CIRT_EIO, NULL,
				     "cannot read the input: %s",
				     strerror(errno));
	if (n == 0)
		c->eof = true;
	c->end += (size_t)n;
	return 0;
}

/* Drop bytes through the next LF (and clear c->skip). 1 when done, 0
 * when the window ran out first (refill and call again). */
static int skip_line(struct cirt_csv *c)
{
	const char *q = memchr(c->data + c->start, '\n', c->end - c->start);

	if (q == NULL) {
		c->start = c->end;
		if (c->eof)
			c->skip = false;
		return c->eof;
	}
	c->start = (size_t)(q - c->data) + 1;
	c->line++;
	c->skip = false;
	return 1;
}

/* A malformed record that reading gives up at the end of its first line:
 * the message is in c->why. */
static void bad(struct cirt_csv *c, struct cirt_csv_rec *rec, size_t raw_len)
{
	const char *q = memchr(c->data + c->start, '\n', raw_len);

	if (q != NULL)
		raw_len = (size_t)(q - c->data) - c->start;
	if (raw_len > 0 && c->data[c->start + raw_len - 1] == '\r')
		raw_len--;
	rec->raw = c->data + c->start;
	rec->raw_len = raw_len;
	rec->nf = 0;
	rec->bad = c->why;
	rec->comment = false;
	c->skip = true;
}

/* A parsed record: fill rec and step over it. 1, or 0 for a blank line. */
static int done(struct cirt_csv *c, const struct scan *s,
		struct cirt_csv_rec *rec)
{
	size_t raw_len = s->i - c->start;

	if (raw_len > 0 && c->data[s->i - 1] == '\r')
		raw_len--;
	rec->raw = c->data + c->start;
	rec->raw_len = CIRT_MIN(raw_len, c->o.record_max);
	rec->f = c->fields;
	rec->nf = s->nf;
	rec->bad = NULL;
	rec->comment = false;
	c->start = s->i < c->end ? s->i + 1 : s->i;
	c->line += s->nl + 1;
	if (raw_len > c->o.record_max) {
		snprintf(c->why, sizeof(c->why), "longer than %zu bytes",
			 c->o.record_max);
		rec->bad = c->why;
	} else if (s->too_many) {
		snprintf(c->why, sizeof(c->why), "more than %zu fields",
			 c->o.fields_max);
		rec->bad = c->why;
	}
	if (rec->bad != NULL)
		rec->nf = 0;
	return !(s->nf == 1 && c->fields[0].n == 0 && !c->fields[0].quoted &&
		 !s->too_many);
}

/* Skip a UTF-8 byte order mark at the start of the input. */
static int bom(struct cirt_csv *c, struct cirt_diag *d)
{
	int rc;

	while (c->end - c->start < 3 && !c->eof) {
		rc = refill(c, d);
		if (rc < 0)
			return rc;
	}
	if (c->end - c->start >= 3 &&
	    memcmp(c->data + c->start, "\xef\xbb\xbf", 3) == 0)
		c->start += 3;
	c->bom_done = true;
	return 0;
}

enum step {
	S_RECORD, /* rec is filled */
	S_AGAIN,  /* progress was made: step again */
	S_NEED,	  /* the window needs more input */
	S_END,	  /* the input is over */
};

/* A comment line handed back: S_RECORD, or S_NEED. */
static int comment(struct cirt_csv *c, struct cirt_csv_rec *rec)
{
	size_t avail = c->end - c->start, n;
	const char *q;

	n = CIRT_MIN(avail, c->o.record_max + 2);
	q = memchr(c->data + c->start, '\n', n);
	if (q == NULL && n == avail && !c->eof)
		return S_NEED;
	n = q ? (size_t)(q - c->data) - c->start : CIRT_MIN(n, c->o.record_max);
	rec->raw = c->data + c->start;
	rec->raw_len = n > 0 && rec->raw[n - 1] == '\r' ? n - 1 : n;
	rec->raw_len = CIRT_MIN(rec->raw_len, c->o.record_max);
	rec->line = c->line;
	rec->nf = 0;
	rec->bad = NULL;
	rec->comment = true;
	if (q) {
		c->start += n + 1;
		c->line++;
	} else {
		c->start += n;
		c->skip = true;
	}
	return S_RECORD;
}

/* One step of cirt_csv_next. */
static int step(struct cirt_csv *c, struct cirt_csv_rec *rec)
{
	struct scan s;

	if (c->skip)
		return skip_line(c) ? S_AGAIN : S_NEED;
	if (c->start == c->end)
		return c->eof ? S_END : S_NEED;
	if (c->o.comment != '\0' && c->data[c->start] == c->o.comment) {
		if (c->o.comments_out)
			return comment(c, rec);
		c->skip = true;
		return S_AGAIN;
	}
	s.stop = c->stop;
	scan_init(c, &s);
	rec->line = c->line;
	switch (parse(c, &s)) {
	case P_DONE:
		return done(c, &s, rec) ? S_RECORD : S_AGAIN;
	case P_LONG:
		snprintf(c->why, sizeof(c->why), "longer than %zu bytes",
			 c->o.record_max);
		bad(c, rec, c->o.record_max);
		return S_RECORD;
	case P_OPEN:
		snprintf(c->why, sizeof(c->why), "a quote is not closed");
		bad(c, rec, CIRT_MIN(c->end - c->start, c->o.record_max));
		return S_RECORD;
	default:
		return S_NEED;
	}
}

int cirt_csv_next(struct cirt_csv *c, struct cirt_csv_rec *rec,
		  struct cirt_diag *d)
{
	int rc;

	if (!c->bom_done) {
		rc = bom(c, d);
		if (rc < 0)
			return rc;
	}
	for (;;) {
		switch (step(c, rec)) {
		case S_RECORD:
			return 1;
		case S_END:
			return 0;
		case S_NEED:
			rc = refill(c, d);
			if (rc < 0)
				return rc;
			break;
		default:
			break;
		}
	}
}

int cirt_csv_open(struct cirt_csv *c, int fd, const char *pre, size_t pre_len,
		  const struct cirt_csv_opts *o, struct cirt_diag *d)
{
	memset(c, 0, sizeof(*c));
	c->o = o ? *o : cirt_csv_default_opts;
	c->fd = fd;
	if (c->o.record_max == 0)
		c->o.record_max = CIRT_CSV_RECORD_MAX;
	if (c->o.fields_max == 0)
		c->o.fields_max = CIRT_CSV_FIELDS_MAX;
	if (c->o.sep == '\n' || c->o.sep == '\r' ||
	    (c->o.sep != '\0' && c->o.sep == c->o.quote) ||
	    c->o.quote == '\n' || c->o.quote == '\r' || c->o.comment == '\n' ||
	    c->o.comment == '\r')
		return cirt_diag_set(d, -CIRT_EINVAL, "sep",
				     "the separator, quote and comment "
				     "characters must differ and not be line "
				     "ends");
	if (c->o.record_max > SIZE_MAX / 4)
		return cirt_diag_set(d, -CIRT_ELIMIT, NULL,
				     "CSV record limit too large");
	if (fd >= 0 && pre_len > CIRT_CSV_CHUNK)
		return cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
				     "more than a chunk read ahead");
	c->stop['\n'] = 1;
	if (c->o.sep != '\0')
		c->stop[(unsigned char)c->o.sep] = 1;
	c->line = 1;
	if (fd < 0) {
		c->data = pre ? pre : "";
		c->end = pre_len;
		c->eof = true;
	} else {
		c->cap = c->o.record_max + 2 + CIRT_CSV_CHUNK;
		c->buf = cirt_xmalloc(c->cap);
		if (pre_len > 0)
			memcpy(c->buf, pre, pre_len);
		c->end = pre_len;
		c->data = c->buf;
	}
	c->scratch = cirt_xmalloc(c->o.record_max + 2);
	c->fields = cirt_xcalloc(c->o.fields_max, sizeof(*c->fields));
	return 0;
}

void cirt_csv_close(struct cirt_csv *c)
{
	CIRT_FREE(c->buf);
	CIRT_FREE(c->scratch);
	CIRT_FREE(c->fields);
	c->data = NULL;
}

bool cirt_csv_field_is(const struct cirt_csv_field *f, const char *s)
{
	const char *p = f->p;
	size_t n = f->n, k = strlen(s), i;

	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 &&
	       (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	if (n != k)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char a = (unsigned char)p[i], b = (unsigned char)s[i];

		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}
