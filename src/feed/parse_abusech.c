/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Parsers of the abuse.ch feeds: URLhaus (CSV) and Feodo Tracker (CSV or
 * JSON). They do not fetch the feeds.
 *
 * urlhaus: malicious-code:malware-distribution, identifier urlhaus. Two
 * layouts, told apart by the header comment: the 2019 one ("# Dateadded
 * (UTC),URL,URL_status,Threat,Host,IPaddress,ASnumber,Country": time,
 * source.url, extra status and threat, source.fqdn (or source.ip when
 * Host is an address), source.ip, source.asn, source.geolocation.cc) and
 * the current csv_recent one ("# id,dateadded,url,url_status,
 * last_online,threat,tags,urlhaus_link,reporter": extra urlhaus_id,
 * time, source.url, extra status, last_online, threat, tags,
 * urlhaus_link, reporter). The same header as a plain first row is
 * understood too; without any header the layout is guessed from the
 * number of fields (8 or 9). A bad time, URL or IP makes the row
 * malformed.
 *
 * feodo: malicious-code:c2-server, identifier feodotracker, the C2
 * address as source.ip and malware.name in lower case. The input is JSON
 * if its first byte that is not white space is '[' (the array of
 * {ip_address, port, status, hostname, as_number, as_name, country,
 * first_seen, last_online, malware}), else CSV with '#' comments and a
 * header row naming the columns (first_seen_utc, dst_ip, dst_port,
 * c2_status, last_online, malware; older names as well), or without one
 * a plain list of IPs. Columns and members are mapped by name, the same
 * table for both forms; others go to extra under their own name.
 *
 * Layer: feed. One run is single-threaded; memory is one record (and a
 * read chunk).
 */
#include "feed/parser.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/csv.h"
#include "core/mem.h"
#include "feed/parse_int.h"
#include "core/banned.h"

#define FEODO_COLS_MAX 64

enum layout {
	L_UNKNOWN,
	L_2019,	  /* Dateadded (UTC),URL,URL_status,Threat,Host,... */
	L_RECENT, /* id,dateadded,url,url_status,last_online,... */
	L_HEADER, /* feodo: columns named by the header row */
	L_IPS,	  /* feodo: one IP a line */
};

struct run {
	struct cirt_feed_run fr;
	enum layout layout;
	int cols[FEODO_COLS_MAX];    /* feodo: each column's entry in
				   * feodo_map, or -1 */
	char *names[FEODO_COLS_MAX]; /* feodo: the header's names */
	size_t ncols;
};

/* The layout a header line (after '#' and blanks) announces. */
static enum layout urlhaus_layout(const char *p, size_t n)
{
	while (n > 0 && (*p == '#' || *p == ' ' || *p == '\t' || *p == '"')) {
		p++;
		n--;
	}
	if (cirt_feed_starts_nocase(p, n, "dateadded (utc),url") ||
	    cirt_feed_starts_nocase(p, n, "dateadded,url"))
		return L_2019;
	if (cirt_feed_starts_nocase(p, n, "id,dateadded") ||
	    cirt_feed_starts_nocase(p, n, "id\",\"dateadded"))
		return L_RECENT;
	return L_UNKNOWN;
}

static int urlhaus_2019(struct cirt_feed_run *r, const struct cirt_csv_field *f)
{
	struct cirt_ip ip;

	if (cirt_feed_rec_set(r, "time.source", f[0].p, f[0].n) < 0 ||
	    cirt_feed_rec_set(r, "source.url", f[1].p, f[1].n) < 0 ||
	    cirt_feed_rec_extra(r, "status", f[2].p, f[2].n) < 0 ||
	    cirt_feed_rec_extra(r, "threat", f[3].p, f[3].n) < 0 ||
	    cirt_feed_rec_set(r, "source.ip", f[5].p, f[5].n) < 0 ||
	    cirt_feed_rec_soft(r, "source.asn", "asnumber", f[6].p, f[6].n) <
		    0 ||
	    cirt_feed_rec_soft(r, "source.geolocation.cc", "country", f[7].p,
			       f[7].n) < 0)
		return CIRT_FEED_BAD;
	if (cirt_ip_parse(f[4].p, f[4].n, false, false, &ip, NULL, NULL) == 0) {
		if (!r->ev.src.has_ip) {
			r->ev.src.ip = ip;
			r->ev.src.has_ip = true;
		}
	} else if (cirt_feed_rec_soft(r, "source.fqdn", "host", f[4].p,
				      f[4].n) < 0) {
		return CIRT_FEED_BAD;
	}
	return CIRT_FEED_EMIT;
}

static int urlhaus_recent(struct cirt_feed_run *r,
			  const struct cirt_csv_field *f)
{
	/* extra names of the columns; time and URL are fields */
	static const char *const names[9] = {
		[0] = "urlhaus_id", [3] = "status", [4] = "last_online",
		[5] = "threat",	    [6] = "tags",   [7] = "urlhaus_link",
		[8] = "reporter",
	};
	size_t i;

	if (cirt_feed_rec_set(r, "time.source", f[1].p, f[1].n) < 0 ||
	    cirt_feed_rec_set(r, "source.url", f[2].p, f[2].n) < 0)
		return CIRT_FEED_BAD;
	for (i = 0; i < CIRT_ARRAY_LEN(names); i++)
		if (names[i] &&
		    cirt_feed_rec_extra(r, names[i], f[i].p, f[i].n) < 0)
			return CIRT_FEED_BAD;
	return CIRT_FEED_EMIT;
}

static int urlhaus_rec(void *arg, const struct cirt_csv_rec *rec)
{
	struct run *r = arg;
	unsigned want;
	enum layout l;

	l = urlhaus_layout(rec->raw, rec->raw_len);
	if (l != L_UNKNOWN)
		r->layout = l;
	if (rec->comment || l != L_UNKNOWN)
		return CIRT_FEED_SKIP;
	if (r->layout == L_UNKNOWN)
		r->layout = rec->nf == 8 ? L_2019 : L_RECENT;
	want = r->layout == L_2019 ? 8u : 9u;
	if (rec->nf != want) {
		cirt_diag_set(&r->fr.rd, -CIRT_EINVAL, NULL,
			      "%zu fields, not %u", rec->nf, want);
		return CIRT_FEED_BAD;
	}
	cirt_event_classify(&r->fr.ev, "malicious-code",
			    "malware-distribution");
	cirt_feed_copy(r->fr.ev.identifier, sizeof(r->fr.ev.identifier),
		       "urlhaus");
	if (r->layout == L_2019)
		return urlhaus_2019(&r->fr, rec->f);
	return urlhaus_recent(&r->fr, rec->f);
}

/* Feodo Tracker's columns (CSV) and members (JSON), by name. */
enum how {
	H_HARD,	 /* field; a bad value spoils the record */
	H_SOFT,	 /* field; a bad value goes to extra */
	H_EXTRA, /* extra under the given name */
};

static const struct {
	const char *name;
	enum how how;
	const char *field;
} feodo_map[] = {
	{"first_seen_utc", H_HARD, "time.source"},
	{"first_seen", H_HARD, "time.source"},
	{"firstseen", H_HARD, "time.source"},
	{"dst_ip", H_HARD, "source.ip"},
	{"dstip", H_HARD, "source.ip"},
	{"ip_address", H_HARD, "source.ip"},
	{"dst_port", H_SOFT, "source.port"},
	{"dstport", H_SOFT, "source.port"},
	{"port", H_SOFT, "source.port"},
	{"hostname", H_SOFT, "source.fqdn"},
	{"as_number", H_SOFT, "source.asn"},
	{"country", H_SOFT, "source.geolocation.cc"},
	{"malware", H_SOFT, "malware.name"},
	{"c2_status", H_EXTRA, "status"},
	{"status", H_EXTRA, "status"},
	{"lastonline", H_EXTRA, "last_online"},
};

static int feodo_find(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < CIRT_ARRAY_LEN(feodo_map); i++)
		if (strlen(feodo_map[i].name) == n &&
		    cirt_feed_starts_nocase(p, n, feodo_map[i].name))
			return (int)i;
	return -1;
}

/* Value v[0..n) of the column or member named name, entry k (or -1). */
static int feodo_set(struct cirt_feed_run *r, int k, const char *name,
		     const char *v, size_t n)
{
	if (k < 0)
		return cirt_feed_rec_extra(r, name, v, n);
	switch (feodo_map[k].how) {
	case H_HARD:
		return cirt_feed_rec_set(r, feodo_map[k].field, v, n);
	case H_SOFT:
		return cirt_feed_rec_soft(r, feodo_map[k].field, name, v, n);
	default:
		return cirt_feed_rec_extra(r, feodo_map[k].field, v, n);
	}
}

static void feodo_classify(struct cirt_feed_run *r)
{
	cirt_event_classify(&r->ev, "malicious-code", "c2-server");
	cirt_feed_copy(r->ev.identifier, sizeof(r->ev.identifier),
		       "feodotracker");
}

static int feodo_header(struct run *r, const struct cirt_csv_rec *rec)
{
	size_t i;
	bool known = false;

	if (rec->nf > FEODO_COLS_MAX)
		return cirt_diag_set(r->fr.d, -CIRT_ELIMIT, NULL,
				     "more than %d columns", FEODO_COLS_MAX);
	for (i = 0; i < rec->nf; i++) {
		r->cols[i] = feodo_find(rec->f[i].p, rec->f[i].n);
		r->names[i] = cirt_xstrndup(rec->f[i].p, rec->f[i].n);
		known = known || r->cols[i] >= 0;
	}
	r->ncols = rec->nf;
	if (known) {
		r->layout = L_HEADER;
		return CIRT_FEED_SKIP;
	}
	if (rec->nf == 1) {
		r->layout = L_IPS;
		return CIRT_FEED_EMIT;
	}
	return cirt_diag_set(r->fr.d, -CIRT_EINVAL, NULL,
			     "not a Feodo Tracker list: the first line names "
			     "no known column");
}

static int feodo_rec(void *arg, const struct cirt_csv_rec *rec)
{
	struct run *r = arg;
	size_t i;
	int rc;

	if (r->layout == L_UNKNOWN) {
		rc = feodo_header(r, rec);
		if (rc != CIRT_FEED_EMIT)
			return rc;
	}
	feodo_classify(&r->fr);
	if (r->layout == L_IPS) {
		if (rec->nf != 1) {
			cirt_diag_set(&r->fr.rd, -CIRT_EINVAL, NULL,
				      "%zu fields, not 1", rec->nf);
			return CIRT_FEED_BAD;
		}
		return cirt_feed_rec_set(&r->fr, "source.ip", rec->f[0].p,
					 rec->f[0].n) < 0
			       ? CIRT_FEED_BAD
			       : CIRT_FEED_EMIT;
	}
	if (rec->nf > r->ncols) {
		cirt_diag_set(&r->fr.rd, -CIRT_EINVAL, NULL,
			      "%zu fields, the header has %zu", rec->nf,
			      r->ncols);
		return CIRT_FEED_BAD;
	}
	for (i = 0; i < rec->nf; i++)
		if (feodo_set(&r->fr, r->cols[i], r->names[i], rec->f[i].p,
			      rec->f[i].n) < 0)
			return CIRT_FEED_BAD;
	return CIRT_FEED_EMIT;
}

/* A Feodo JSON element: its members by the same table. */
static int feodo_elem(void *arg, json_t *obj)
{
	struct run *r = arg;
	const char *key, *s;
	char num[32];
	json_t *v;

	feodo_classify(&r->fr);
	json_object_foreach (obj, key, v) {
		s = cirt_feed_json_text(v, num, sizeof(num));
		if (s != NULL && /* null; nothing else is in the feed */
		    feodo_set(&r->fr, feodo_find(key, strlen(key)), key, s,
			      strlen(s)) < 0)
			return CIRT_FEED_BAD;
	}
	return CIRT_FEED_EMIT;
}

/* Read into buf (cap bytes) until a byte that is not white space or a
 * byte order mark is there: that byte, or -1 at the end of the input;
 * *len is what was read. -CIRT_EIO below -1. */
static int first_byte(struct cirt_feed_run *r, char *buf, size_t cap,
		      size_t *len)
{
	size_t i = 0;
	ssize_t n;

	*len = 0;
	for (;;) {
		for (; i < *len; i++) {
			unsigned char c = (unsigned char)buf[i];

			if (c != ' ' && c != '\t' && c != '\r' && c != '\n' &&
			    c != 0xef && c != 0xbb && c != 0xbf)
				return c;
		}
		if (*len == cap)
			return -1;
		n = cirt_feed_read(r->src->fd, buf + *len, cap - *len, r->d);
		if (n < 0)
			return (int)n;
		if (n == 0)
			return -1;
		*len += (size_t)n;
	}
}

static int run_feodo(const struct cirt_feed_src *src, cirt_emit_fn emit,
		     void *arg, struct cirt_feed_stats *st, struct cirt_diag *d)
{
	static const struct cirt_csv_opts o = {
		.sep = ',',
		.quote = '"',
		.comment = '#',
		.trim = true,
	};
	char *pre = cirt_xmalloc(CIRT_CSV_CHUNK);
	struct run r = {.layout = L_UNKNOWN};
	size_t n, i;
	int rc, c;

	cirt_feed_run_init(&r.fr, src, emit, arg, st, d);
	c = first_byte(&r.fr, pre, CIRT_CSV_CHUNK, &n);
	if (c < -1)
		rc = c;
	else if (c == '[')
		rc = cirt_feed_json_each(&r.fr, pre, n, feodo_elem, &r);
	else
		rc = cirt_feed_csv_each(&r.fr, &o, pre, n, feodo_rec, &r);
	for (i = 0; i < r.ncols; i++)
		free(r.names[i]);
	cirt_feed_run_release(&r.fr);
	free(pre);
	return rc;
}

static int run_urlhaus(const struct cirt_feed_src *src, cirt_emit_fn emit,
		       void *arg, struct cirt_feed_stats *st,
		       struct cirt_diag *d)
{
	static const struct cirt_csv_opts o = {
		.sep = ',',
		.quote = '"',
		.comment = '#',
		.comments_out = true,
		.trim = true,
	};
	struct run r = {.layout = L_UNKNOWN};
	int rc;

	cirt_feed_run_init(&r.fr, src, emit, arg, st, d);
	rc = cirt_feed_csv_each(&r.fr, &o, NULL, 0, urlhaus_rec, &r);
	cirt_feed_run_release(&r.fr);
	return rc;
}

const struct cirt_parser cirt_parser_urlhaus = {
	"urlhaus",
	"abuse.ch URLhaus CSV (2019 and current layouts)",
	run_urlhaus,
};

const struct cirt_parser cirt_parser_feodo = {
	"feodo",
	"abuse.ch Feodo Tracker C2 list (CSV or JSON)",
	run_feodo,
};
