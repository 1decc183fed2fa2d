/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The machinery every parser run shares (feed/parse_int.h): set-up and
 * options, setting event fields with the record's fault kept or counted,
 * emitting with the raw record, line and report-time fallback, the record
 * loops over a CSV input and over a JSON array, and small text helpers.
 * It knows no format: what a record means is the parser's business
 * (feed/parse_*.c), reading CSV and JSON arrays the readers'
 * (core/csv.h, feed/json_array.h).
 *
 * Contracts: what parser.h promises for every parser is kept here once:
 * a malformed record is counted (cirt_feed_bad) and skipped, never fatal;
 * each event carries its raw record, cut at CIRT_EVENT_RAW_MAX (and then
 * marked), and its line; an event without a time takes the input's
 * report_time. Memory is the event's extra and the readers' windows.
 *
 * Layer: feed. Single-threaded per run; no global state.
 */
#include "feed/parse_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/parse.h"
#include "feed/json_array.h"
#include "core/text.h"

#include "core/banned.h"

/* ---- the run ---- */

void cirt_feed_run_init(struct cirt_feed_run *r,
			const struct cirt_feed_src *src, cirt_emit_fn emit,
			void *arg, struct cirt_feed_stats *st,
			struct cirt_diag *d)
{
	memset(r, 0, sizeof(*r));
	r->src = src;
	r->emit = emit;
	r->arg = arg;
	r->st = st;
	r->d = d;
	r->max = src->record_max;
	cirt_event_init(&r->ev);
}

void cirt_feed_run_release(struct cirt_feed_run *r)
{
	cirt_event_release(&r->ev);
}

int cirt_feed_run_max(struct cirt_feed_run *r, size_t dflt)
{
	char v[32];
	uint64_t max;
	int rc;

	if (r->max == 0)
		r->max = dflt;
	rc = cirt_feed_option(r->src->options, "max", v, sizeof(v));
	if (rc < 0)
		return cirt_diag_set(r->d, -CIRT_EINVAL, "max",
				     "option max is too long");
	if (rc == 1) {
		if (cirt_parse_size(v, 1024, UINT64_C(1) << 30, &max) < 0)
			return cirt_diag_set(r->d, -CIRT_EINVAL, "max",
					     "option max=%s is not a size "
					     "from 1k to 1g",
					     v);
		r->max = (size_t)max;
	}
	return 0;
}

int cirt_feed_run_option(struct cirt_feed_run *r, const char *key, char *out,
			 size_t n)
{
	int rc = cirt_feed_option(r->src->options, key, out, n);

	if (rc < 0)
		return cirt_diag_set(r->d, rc, key,
				     "the option %s= is too long", key);
	return rc;
}

const char *cirt_feed_src_base(const struct cirt_feed_src *src)
{
	const char *b;

	if (src->name == NULL)
		return "";
	b = strrchr(src->name, '/');
	return b != NULL ? b + 1 : src->name;
}

/* ---- one record ---- */

void cirt_feed_rec_begin(struct cirt_feed_run *r, int64_t line)
{
	cirt_event_reset(&r->ev);
	cirt_diag_init(&r->rd);
	r->ev.line = line;
}

int cirt_feed_rec_set(struct cirt_feed_run *r, const char *name, const char *v,
		      size_t n)
{
	return cirt_event_set(&r->ev, name, v, n, &r->rd) < 0 ? -1 : 0;
}

int cirt_feed_rec_extra(struct cirt_feed_run *r, const char *name,
			const char *v, size_t n)
{
	if (cirt_event_extra(&r->ev, name, v, n) == 0)
		return 0;
	cirt_diag_set(&r->rd, -CIRT_ELIMIT, "extra", "extra is full");
	return -1;
}

int cirt_feed_rec_soft(struct cirt_feed_run *r, const char *name,
		       const char *col, const char *v, size_t n)
{
	if (cirt_event_set(&r->ev, name, v, n, NULL) == 0)
		return 0;
	return cirt_feed_rec_extra(r, col, v, n);
}

int cirt_feed_rec_member(struct cirt_feed_run *r, const json_t *o,
			 const char *name, const char *field, bool hard)
{
	char num[32];
	const char *s =
		cirt_feed_json_text(json_object_get(o, name), num, sizeof(num));

	if (s == NULL)
		return 0;
	if (field == NULL)
		return cirt_feed_rec_extra(r, name, s, strlen(s));
	if (hard)
		return cirt_feed_rec_set(r, field, s, strlen(s));
	return cirt_feed_rec_soft(r, field, name, s, strlen(s));
}

void cirt_feed_rec_bad(struct cirt_feed_run *r)
{
	cirt_feed_bad(r->st, r->ev.line, "%s%s%s", r->rd.field,
		      r->rd.field[0] ? ": " : "", r->rd.message);
}

int cirt_feed_run_set(struct cirt_feed_run *r, const char *name, const char *v,
		      size_t n)
{
	struct cirt_diag d;

	cirt_diag_init(&d);
	if (cirt_event_set(&r->ev, name, v, n, &d) == 0)
		return 0;
	if (strncmp(d.message, name, strlen(name)) == 0)
		cirt_feed_bad(r->st, r->ev.line, "%s", d.message);
	else
		cirt_feed_bad(r->st, r->ev.line, "%s: %s", name, d.message);
	return -1;
}

int cirt_feed_run_extra(struct cirt_feed_run *r, const char *name,
			const char *v, size_t n)
{
	if (cirt_event_extra(&r->ev, name, v, n) == 0)
		return 0;
	cirt_feed_bad(r->st, r->ev.line, "too much for extra at %s", name);
	return -1;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* A name that could be a domain: letters, digits (or any non-ASCII
 * byte), '-', '_' and at least one inner '.'. */
static bool looks_fqdn(const char *s, size_t n)
{
	bool dot = false;
	size_t i;

	if (n == 0 || n > CIRT_EVENT_FQDN_MAX + 1 || s[0] == '.')
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.' && i + 1 < n)
			dot = true;
		else if (!(is_alnum((char)c) || c == '-' || c == '_' ||
			   c == '.' || c >= 0x80))
			return false;
	}
	return dot;
}

int cirt_feed_run_source(struct cirt_feed_run *r, const char *v, size_t n)
{
	struct cirt_ip ip;

	cirt_text_trim_blanks(&v, &n);
	if (n == 0)
		return 1;
	if (cirt_ip_parse(v, n, false, false, &ip, NULL, NULL) == 0)
		return cirt_feed_run_set(r, "source.ip", v, n);
	if (cirt_ip_parse(v, n, true, true, &ip, NULL, NULL) == 0)
		return cirt_feed_run_set(r, "source.network", v, n);
	if (cirt_feed_contains(v, n, "://"))
		return cirt_feed_run_set(r, "source.url", v, n);
	if (looks_fqdn(v, n))
		return cirt_feed_run_set(r, "source.fqdn", v, n);
	return 1;
}

int cirt_feed_run_emit(struct cirt_feed_run *r, const char *raw, size_t n)
{
	struct cirt_event *ev = &r->ev;
	int rc;

	if (n > CIRT_EVENT_RAW_MAX) {
		n = CIRT_EVENT_RAW_MAX;
		if (cirt_feed_run_extra(r, "raw_truncated", "true", 4) < 0)
			return 0;
	}
	ev->raw = raw;
	ev->raw_len = n;
	if (ev->time_source == 0)
		ev->time_source = r->src->report_time;
	rc = r->emit(ev, r->arg);
	if (rc < 0)
		return rc;
	r->st->events++;
	return 0;
}

/* A record callback said rc about the record raw[0..n) (not a skip):
 * count it, and emit it or count it as malformed. */
static int rec_end(struct cirt_feed_run *r, int rc, const char *raw, size_t n)
{
	r->st->records++;
	if (rc == CIRT_FEED_BAD) {
		cirt_feed_rec_bad(r);
		return 0;
	}
	return cirt_feed_run_emit(r, raw, n);
}

/* ---- the record loops ---- */

int cirt_feed_csv_each(struct cirt_feed_run *r, const struct cirt_csv_opts *o,
		       const char *pre, size_t n, cirt_feed_csv_fn fn,
		       void *arg)
{
	struct cirt_csv_opts oo = *o;
	struct cirt_csv_rec rec;
	struct cirt_csv csv;
	int rc;

	oo.record_max = r->src->record_max;
	rc = cirt_csv_open(&csv, r->src->fd, pre, n, &oo, r->d);
	if (rc < 0)
		return rc;
	while ((rc = cirt_csv_next(&csv, &rec, r->d)) == 1) {
		if (rec.bad) {
			r->st->records++;
			cirt_feed_bad(r->st, rec.line, "%s", rec.bad);
			continue;
		}
		cirt_feed_rec_begin(r, rec.line);
		rc = fn(arg, &rec);
		if (rc < 0)
			break;
		if (rc == CIRT_FEED_SKIP)
			continue;
		rc = rec_end(r, rc, rec.raw, rec.raw_len);
		if (rc < 0)
			break;
	}
	cirt_csv_close(&csv);
	return rc;
}

struct json_each {
	struct cirt_feed_run *r;
	cirt_feed_json_fn fn;
	void *arg;
};

static int json_elem(const struct cirt_json_elem *e, void *arg)
{
	struct json_each *je = arg;
	struct cirt_feed_run *r = je->r;
	int rc;

	cirt_feed_rec_begin(r, (int64_t)e->index + 1);
	if (e->v == NULL || !json_is_object(e->v)) {
		r->st->records++;
		cirt_feed_bad(r->st, r->ev.line, "%s",
			      e->bad ? e->bad : "not a JSON object");
		return 0;
	}
	rc = je->fn(je->arg, e->v);
	if (rc < 0)
		return rc;
	return rec_end(r, rc, e->bytes, e->len);
}

int cirt_feed_json_each(struct cirt_feed_run *r, const char *pre, size_t n,
			cirt_feed_json_fn fn, void *arg)
{
	struct cirt_json_array_limits lim = cirt_json_array_default_limits;
	struct cirt_json_array_src js = {r->src->fd, pre, n};
	struct json_each je = {r, fn, arg};

	if (r->src->record_max)
		lim.element_max = r->src->record_max;
	return cirt_json_array_read(&js, &lim, json_elem, &je, NULL, r->d);
}

/* ---- text ---- */

const char *cirt_feed_json_text(const json_t *v, char *buf, size_t n)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return NULL;
}

const char *cirt_feed_json_str(const json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

void cirt_feed_copy(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

char cirt_feed_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

void cirt_feed_lower_str(char *s)
{
	for (; *s != '\0'; s++)
		*s = cirt_feed_lower(*s);
}

void cirt_feed_norm_name(const char *s, size_t n, char from, char to, char *out,
			 size_t size)
{
	size_t i;

	for (i = 0; i < n && i + 1 < size; i++) {
		char c = cirt_feed_lower(s[i]);

		out[i] = c == from ? to : c;
	}
	out[i] = '\0';
}

bool cirt_feed_starts_nocase(const char *p, size_t n, const char *s)
{
	size_t i, k = strlen(s);

	if (n < k)
		return false;
	for (i = 0; i < k; i++)
		if (cirt_feed_lower(p[i]) != s[i])
			return false;
	return true;
}

bool cirt_feed_join(char *buf, size_t size, size_t *len, const char *sep,
		    const char *s, size_t n)
{
	size_t k = *len > 0 ? strlen(sep) : 0;

	if (*len + k + n > size)
		return false;
	memcpy(buf + *len, sep, k);
	memcpy(buf + *len + k, s, n);
	*len += k + n;
	return true;
}

bool cirt_feed_contains(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (s[i] == needle[0] && memcmp(s + i, needle, k) == 0)
			return true;
	return false;
}

ssize_t cirt_feed_read(int fd, char *buf, size_t n, struct cirt_diag *d)
{
	ssize_t got;

	do {
		got = read(fd, buf, n);
	} while (got < 0 && errno == EINTR);
	if (got < 0)
		return cirt_diag_set(d, -CIRT_EIO, NULL,
				     "cannot read the input: %s",
				     strerror(errno));
	return got;
}
