/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The line formats of the log readers (detect/logread.h): Zeek TSV, the
 * BIND 9 query log, Squid's native access.log and CSV with a field map.
 *
 * Zeek TSV is the hot path (millions of conn and dns lines): each
 * "#fields" header is turned once into a table saying, per column,
 * whether it is wanted and as what; a record is then cut with one memchr
 * per column, only wanted columns are looked at, and "\xHH" escapes are
 * decoded only in the wanted values that have a backslash. The other
 * formats are simpler and less hot.
 *
 * Formats:
 *  - Zeek ASCII writer: https://docs.zeek.org/en/master/log-formats.html
 *  - BIND 9 query log: the "queries" category of the BIND 9 ARM
 *    (https://bind9.readthedocs.io/en/v9.18.0/reference.html#logging);
 *  - Squid native log format:
 *    https://wiki.squid-cache.org/Features/LogFormat
 *
 * Layer: detect. State lives in the read (struct lr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/mem.h"
#include "core/text.h"
#include "detect/logread_int.h"
#include "core/banned.h"

const struct lr_field lr_zeek_fields[] = {
	{"ts", LR_TIME, LR_PART_NONE},
	{"id.orig_h", CIRT_IOC_IP, LR_PART_NONE},
	{"id.resp_h", CIRT_IOC_IP, LR_PART_NONE},
	{"query", CIRT_IOC_DOMAIN, LR_PART_NONE},	/* dns */
	{"answers", LR_HOST, LR_PART_NONE},		/* dns */
	{"host", LR_HOST, LR_PART_HOST},		/* http */
	{"uri", LR_NONE, LR_PART_PATH},			/* http */
	{"server_name", CIRT_IOC_DOMAIN, LR_PART_NONE}, /* ssl */
	{"md5", CIRT_IOC_MD5, LR_PART_NONE},		/* files */
	{"sha1", CIRT_IOC_SHA1, LR_PART_NONE},
	{"sha256", CIRT_IOC_SHA256, LR_PART_NONE},
	{"tx_hosts", CIRT_IOC_IP, LR_PART_NONE},
	{"rx_hosts", CIRT_IOC_IP, LR_PART_NONE},
	{"mailfrom", CIRT_IOC_EMAIL, LR_PART_NONE}, /* smtp */
	{"rcptto", CIRT_IOC_EMAIL, LR_PART_NONE},
};
const size_t lr_zeek_nfields = CIRT_ARRAY_LEN(lr_zeek_fields);

/* Zeek TSV. */

/* Longest "#empty_field" and "#unset_field" values kept. */
#define ZEEK_MARK_MAX 16

struct zcol {
	const char *name; /* in z->names */
	uint8_t kind;
	uint8_t part;
	bool want;
	bool set; /* set[...] or vector[...]: split on the set separator */
};

struct zeek {
	char sep, setsep;
	bool escaped; /* the record being read has a backslash */
	char empty[ZEEK_MARK_MAX], unset[ZEEK_MARK_MAX];
	size_t nempty, nunset;
	char *names; /* the "#fields" values, each NUL-terminated */
	size_t ncols;
	struct zcol *cols;
};

int lr_zeek_init(struct lr *r)
{
	struct zeek *z = cirt_xcalloc(1, sizeof(*z));

	z->sep = '\t';
	z->setsep = ',';
	memcpy(z->empty, "(empty)", 7);
	z->nempty = 7;
	z->unset[0] = '-';
	z->nunset = 1;
	r->fs = z;
	lr_want_build(r, lr_zeek_fields, lr_zeek_nfields, "url");
	return 0;
}

void lr_zeek_done(struct lr *r)
{
	struct zeek *z = r->fs;

	if (z == NULL)
		return;
	free(z->names);
	free(z->cols);
	free(z);
	r->fs = NULL;
}

/* Decode the "\xHH" escapes of v[0..n) into the record's scratch area,
 * when it has any. Other backslashes stay as they are. */
static void unescape(struct lr *r, const char **v, size_t *n)
{
	const char *s = *v;
	char *out;
	size_t k = 0;

	if (lr_chr(s, *n, '\\') == NULL)
		return;
	out = lr_scratch(r, *n);
	if (out == NULL)
		return;
	for (size_t i = 0; i < *n; i++) {
		int hi, lo;

		if (s[i] == '\\' && i + 3 < *n && s[i + 1] == 'x' &&
		    (hi = cirt_hex_value(s[i + 2])) >= 0 &&
		    (lo = cirt_hex_value(s[i + 3])) >= 0) {
			out[k++] = (char)(hi << 4 | lo);
			i += 3;
		} else {
			out[k++] = s[i];
		}
	}
	*v = out;
	*n = k;
}

static bool zeek_unset(const struct zeek *z, const char *v, size_t n)
{
	return (n == z->nunset && memcmp(v, z->unset, n) == 0) ||
	       (n == z->nempty && memcmp(v, z->empty, n) == 0);
}

static void zeek_one(struct lr *r, const struct zeek *z, const struct zcol *c,
		     const char *v, size_t n)
{
	if (z->escaped)
		unescape(r, &v, &n);
	lr_add(r, c->name, c->kind, v, n);
	lr_part(r, c->part, v, n);
}

static void zeek_value(struct lr *r, const struct zeek *z, const struct zcol *c,
		       const char *v, size_t n)
{
	const char *end = v + n, *q;

	if (n == 0 || zeek_unset(z, v, n))
		return;
	if (c->kind == LR_TIME) {
		int64_t us;

		if (lr_time_epoch(v, n, &us))
			r->rec.time_us = us;
		return;
	}
	if (!c->set) {
		zeek_one(r, z, c, v, n);
		return;
	}
	for (;;) {
		q = lr_chr(v, (size_t)(end - v), z->setsep);
		zeek_one(r, z, c, v, (size_t)((q ? q : end) - v));
		if (q == NULL)
			break;
		v = q + 1;
	}
}

static inline void zeek_col(struct lr *r, const struct zeek *z, size_t col,
			    const char *v, size_t n)
{
	if (col < z->ncols && z->cols[col].want)
		zeek_value(r, z, &z->cols[col], v, n);
}

/* Bytes that are zero in w get their high bit set, others none (exact,
 * unlike the shorter test with false positives). */
#define SWAR_LOW7 UINT64_C(0x7f7f7f7f7f7f7f7f)
static inline uint64_t zero_bytes(uint64_t w)
{
	return ~(((w & SWAR_LOW7) + SWAR_LOW7) | w | SWAR_LOW7);
}

/*
 * Cut p[0..n) at each separator and hand every column to zeek_col. Short
 * columns make one memchr per column cost more than the bytes: on
 * little-endian machines separators are found eight bytes at a time
 * instead, the lowest set bit being the first byte. One memchr says
 * whether any value needs unescaping.
 */
static size_t zeek_cut(struct lr *r, struct zeek *z, const char *p, size_t n)
{
	size_t col = 0, start = 0, i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t sepw =
		UINT64_C(0x0101010101010101) * (unsigned char)z->sep;
#endif

	z->escaped = memchr(p, '\\', n) != NULL;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (; i + 8 <= n; i += 8) {
		uint64_t w, m;

		memcpy(&w, p + i, 8);
		m = zero_bytes(w ^ sepw);
		while (m != 0) {
			size_t at = i + ((size_t)__builtin_ctzll(m) >> 3);

			zeek_col(r, z, col++, p + start, at - start);
			start = at + 1;
			m &= m - 1;
		}
	}
#endif
	for (; i < n; i++) {
		if (p[i] == z->sep) {
			zeek_col(r, z, col++, p + start, i - start);
			start = i + 1;
		}
	}
	zeek_col(r, z, col++, p + start, n - start);
	return col;
}

static int zeek_record(struct lr *r, struct zeek *z, const char *p, size_t n)
{
	size_t cols;

	if (z->cols == NULL)
		return cirt_diag_set(r->d, -CIRT_EINVAL, r->name,
				     "%s line %llu: a record before any "
				     "#fields header (is it a Zeek TSV log?)",
				     r->name, (unsigned long long)r->lineno);
	lr_begin(r, p, n);
	cols = zeek_cut(r, z, p, n);
	if (cols != z->ncols)
		return lr_bad(r, "has %zu columns where #fields names %zu",
			      cols, z->ncols);
	lr_compose(r);
	return lr_emit(r);
}

/* One byte given in a header, escaped or not ("\x09", ","). */
static bool header_char(const char *v, size_t n, char *out)
{
	int hi, lo;

	if (n == 1) {
		*out = v[0];
		return true;
	}
	if (n == 4 && v[0] == '\\' && v[1] == 'x' &&
	    (hi = cirt_hex_value(v[2])) >= 0 &&
	    (lo = cirt_hex_value(v[3])) >= 0) {
		*out = (char)(hi << 4 | lo);
		return true;
	}
	return false;
}

static void zeek_fields(struct lr *r, struct zeek *z, const char *v, size_t n)
{
	size_t ncols = 1, k = 0;
	char *s;

	for (size_t i = 0; i < n; i++)
		ncols += v[i] == z->sep;
	free(z->names);
	free(z->cols);
	z->names = cirt_xmalloc(n + 1);
	memcpy(z->names, v, n);
	z->names[n] = '\0';
	z->cols = cirt_xcalloc(ncols, sizeof(*z->cols));
	z->ncols = ncols;
	s = z->names;
	for (size_t i = 0; i <= n; i++) {
		struct zcol *c = &z->cols[k];
		const struct lr_want *w;

		if (i < n && z->names[i] != z->sep)
			continue;
		z->names[i] = '\0';
		c->name = s;
		w = lr_want_find(r, s, strlen(s));
		if (w != NULL) {
			c->name = w->name;
			c->kind = w->kind;
			c->part = r->url_field ? w->part : LR_PART_NONE;
			c->want =
				c->kind < LR_IGNORE || c->part != LR_PART_NONE;
		}
		k++;
		s = z->names + i + 1;
	}
}

static void zeek_types(struct zeek *z, const char *v, size_t n)
{
	const char *end = v + n, *q;

	for (size_t k = 0; k < z->ncols; k++) {
		size_t len;

		q = memchr(v, z->sep, (size_t)(end - v));
		len = (size_t)((q ? q : end) - v);
		z->cols[k].set = (len > 4 && memcmp(v, "set[", 4) == 0) ||
				 (len > 7 && memcmp(v, "vector[", 7) == 0);
		if (q == NULL)
			break;
		v = q + 1;
	}
}

static void zeek_mark(char *dst, size_t *dn, const char *v, size_t n)
{
	if (n == 0 || n > ZEEK_MARK_MAX)
		return;
	memcpy(dst, v, n);
	*dn = n;
}

/* A "#" line: a header Zeek writes, or a comment. */
static int zeek_header(struct lr *r, struct zeek *z, const char *p, size_t n)
{
	const char *v, *q;
	size_t kn, vn;

	if (n > 11 && memcmp(p, "#separator ", 11) == 0) {
		if (!header_char(p + 11, n - 11, &z->sep))
			return lr_bad(r, "a #separator other than one byte");
		return 0;
	}
	q = memchr(p, z->sep, n);
	if (q == NULL)
		return 0;
	kn = (size_t)(q - p);
	v = q + 1;
	vn = n - kn - 1;
	if (kn == 7 && memcmp(p, "#fields", 7) == 0)
		zeek_fields(r, z, v, vn);
	else if (kn == 6 && memcmp(p, "#types", 6) == 0 && z->cols != NULL)
		zeek_types(z, v, vn);
	else if (kn == 14 && memcmp(p, "#set_separator", 14) == 0 &&
		 !header_char(v, vn, &z->setsep))
		return lr_bad(r, "a #set_separator other than one byte");
	else if (kn == 12 && memcmp(p, "#empty_field", 12) == 0)
		zeek_mark(z->empty, &z->nempty, v, vn);
	else if (kn == 12 && memcmp(p, "#unset_field", 12) == 0)
		zeek_mark(z->unset, &z->nunset, v, vn);
	return 0;
}

int lr_zeek_line(struct lr *r, const char *p, size_t n)
{
	struct zeek *z = r->fs;

	if (p[0] == '#')
		return zeek_header(r, z, p, n);
	return zeek_record(r, z, p, n);
}

/* BIND 9 query log. */

static const struct lr_field bind_fields[] = {
	{"client", CIRT_IOC_IP, LR_PART_NONE},
	{"query", CIRT_IOC_DOMAIN, LR_PART_NONE},
	{"server", CIRT_IOC_IP, LR_PART_NONE},
};

int lr_bind_init(struct lr *r)
{
	/* The defaults stay first in r->want, in this order. */
	lr_want_build(r, bind_fields, CIRT_ARRAY_LEN(bind_fields), NULL);
	return 0;
}

static const char *span(const char *p, const char *end, char c)
{
	const char *q = memchr(p, c, (size_t)(end - p));

	return q ? q : end;
}

/*
 * "[DD-Mon-YYYY HH:MM:SS.mmm ][queries: info: ]client [@0x...]
 * ADDR#PORT (NAME): [view V: ]query: NAME CLASS TYPE FLAGS (SERVER)",
 * possibly behind a syslog prefix.
 */
int lr_bind_line(struct lr *r, const char *p, size_t n)
{
	const char *end = p + n, *s, *a, *hash, *q, *qe;
	int64_t us = 0;
	size_t used;

	lr_begin(r, p, n);
	if (lr_time_bind(p, n, &us, &used))
		r->rec.time_us = us;
	s = lr_find(p, n, "client ", 7);
	if (s == NULL)
		return lr_bad(r, "not a BIND query log line");
	s += 7;
	if (end - s > 3 && memcmp(s, "@0x", 3) == 0) {
		s = span(s, end, ' ');
		if (s == end)
			return lr_bad(r, "not a BIND query log line");
		s++;
	}
	a = s;
	hash = s < end ? span(s, end, '#') : end;
	if (hash == end || hash == a || memchr(a, ' ', (size_t)(hash - a)))
		return lr_bad(r, "not a BIND query log line");
	q = lr_find(hash, (size_t)(end - hash), " query: ", 8);
	if (q == NULL)
		return lr_bad(r, "not a BIND query log line");
	q += 8;
	qe = span(q, end, ' ');
	if (qe == q || qe == end)
		return lr_bad(r, "not a BIND query log line");
	lr_add(r, r->want[0].name, r->want[0].kind, a, (size_t)(hash - a));
	lr_add(r, r->want[1].name, r->want[1].kind, q, (size_t)(qe - q));
	/* The server address is the last parenthesised word. */
	if (end[-1] == ')') {
		const char *o = end - 1;

		while (o > qe && *o != '(')
			o--;
		if (*o == '(')
			lr_add(r, r->want[2].name, r->want[2].kind, o + 1,
			       (size_t)(end - 1 - (o + 1)));
	}
	return lr_emit(r);
}

/* Squid native access.log. */

static const struct lr_field squid_fields[] = {
	{"client", CIRT_IOC_IP, LR_PART_NONE},
	{"url", CIRT_IOC_URL, LR_PART_NONE},
	{"peer", LR_HOST, LR_PART_NONE},
};

int lr_squid_init(struct lr *r)
{
	lr_want_build(r, squid_fields, CIRT_ARRAY_LEN(squid_fields), NULL);
	return 0;
}

/* CONNECT's "host:port" or "[v6]:port" as the host alone. */
static void strip_port(const char **v, size_t *n)
{
	const char *s = *v, *c;

	if (*n > 1 && s[0] == '[') {
		c = memchr(s, ']', *n);
		if (c != NULL) {
			*v = s + 1;
			*n = (size_t)(c - s - 1);
		}
		return;
	}
	c = memchr(s, ':', *n);
	if (c != NULL && memchr(c + 1, ':', *n - (size_t)(c + 1 - s)) == NULL)
		*n = (size_t)(c - s);
}

#define SQUID_COLS 10

/*
 * "time elapsed client code/status bytes method URL user
 * hierarchy/peer type", separated by runs of spaces.
 */
int lr_squid_line(struct lr *r, const char *p, size_t n)
{
	const char *f[SQUID_COLS], *end = p + n, *s = p;
	size_t fn[SQUID_COLS], k = 0;
	unsigned url_kind = r->want[1].kind;
	int64_t us;

	while (k < SQUID_COLS) {
		while (s < end && *s == ' ')
			s++;
		if (s == end)
			break;
		f[k] = s;
		s = span(s, end, ' ');
		fn[k] = (size_t)(s - f[k]);
		k++;
	}
	if (k < 7 || !lr_time_epoch(f[0], fn[0], &us) ||
	    memchr(f[3], '/', fn[3]) == NULL)
		return lr_bad(r, "not a Squid native access.log line");
	lr_begin(r, p, n);
	r->rec.time_us = us;
	lr_add(r, r->want[0].name, r->want[0].kind, f[2], fn[2]);
	if (fn[5] == 7 && memcmp(f[5], "CONNECT", 7) == 0) {
		strip_port(&f[6], &fn[6]);
		if (url_kind == CIRT_IOC_URL)
			url_kind = LR_HOST;
	}
	lr_add(r, r->want[1].name, url_kind, f[6], fn[6]);
	if (k > 8) {
		const char *slash = memchr(f[8], '/', fn[8]);

		if (slash != NULL)
			lr_add(r, r->want[2].name, r->want[2].kind, slash + 1,
			       fn[8] - (size_t)(slash + 1 - f[8]));
	}
	return lr_emit(r);
}

/* CSV with a field map. */

struct ccol {
	const char *name;
	uint32_t col; /* 0-based, once the header is read */
	uint8_t kind;
};

struct csvs {
	bool header; /* the header row was read */
	size_t n;
	struct ccol c[CIRT_LOG_MAP_MAX];
	size_t need; /* columns a record must have */
};

int lr_csv_init(struct lr *r)
{
	bool value = false;

	for (size_t i = 0; r->map && i < r->map->n; i++)
		value |= r->map->e[i].kind < LR_TIME;
	if (!value)
		return cirt_diag_set(r->d, -CIRT_EINVAL, "fields",
				     "csv needs a field map naming at least "
				     "one column to look up "
				     "(name=kind,...)");
	r->fs = cirt_xcalloc(1, sizeof(struct csvs));
	return 0;
}

void lr_csv_done(struct lr *r)
{
	free(r->fs);
	r->fs = NULL;
}

/* Split the line p[0..n) as one CSV record: 1 with *rec, 0 if blank, or
 * -1 with the reason in why (the record is only valid while c is open). */
static int csv_split(struct cirt_csv *c, const char *p, size_t n,
		     struct cirt_csv_rec *rec, char *why, size_t why_len)
{
	struct cirt_csv_opts o = cirt_csv_default_opts;
	size_t seps = 1;
	int rc;

	for (size_t i = 0; i < n; i++)
		seps += p[i] == ',';
	o.trim = true;
	o.record_max = n;
	o.fields_max = CIRT_MIN(seps, (size_t)CIRT_CSV_FIELDS_MAX);
	if (cirt_csv_open(c, -1, p, n, &o, NULL) < 0) {
		snprintf(why, why_len, "cannot be read as CSV");
		return -1;
	}
	rc = cirt_csv_next(c, rec, NULL);
	if (rc > 0 && rec->bad != NULL) {
		snprintf(why, why_len, "%s", rec->bad);
		return -1;
	}
	return rc > 0;
}

static int csv_header(struct lr *r, struct csvs *cs,
		      const struct cirt_csv_rec *rec)
{
	for (size_t i = 0; i < r->map->n; i++) {
		const struct lr_map_entry *e = &r->map->e[i];
		struct ccol *c;
		size_t col = rec->nf;

		if (e->kind == LR_IGNORE)
			continue;
		if (e->col > 0 && e->col <= rec->nf)
			col = e->col - 1;
		for (size_t j = 0; e->col == 0 && j < rec->nf; j++)
			if (cirt_csv_field_is(&rec->f[j], e->name)) {
				col = j;
				break;
			}
		if (col == rec->nf)
			return cirt_diag_set(r->d, -CIRT_EINVAL, "fields",
					     "%s has no column \"%s\" in its "
					     "header",
					     r->name, e->name);
		c = &cs->c[cs->n++];
		c->name = e->name;
		c->col = (uint32_t)col;
		c->kind = e->kind;
		cs->need = CIRT_MAX(cs->need, col + 1);
	}
	cs->header = true;
	return 0;
}

static int csv_record(struct lr *r, struct csvs *cs, const char *p, size_t n,
		      const struct cirt_csv_rec *rec)
{
	if (rec->nf < cs->need)
		return lr_bad(r,
			      "has %zu columns where the field map needs %zu",
			      rec->nf, cs->need);
	lr_begin(r, p, n);
	for (size_t i = 0; i < cs->n; i++) {
		const struct cirt_csv_field *f = &rec->f[cs->c[i].col];
		const char *v = f->p;
		int64_t us;

		if (cs->c[i].kind == LR_TIME) {
			if (lr_time_any(f->p, f->n, &us))
				r->rec.time_us = us;
			continue;
		}
		/* A value unquoted from "" lives in the reader, which is
		 * closed before the record is handed over. */
		if (f->n > 0 && (f->p < p || f->p + f->n > p + n)) {
			char *copy = lr_scratch(r, f->n);

			if (copy == NULL)
				continue;
			memcpy(copy, f->p, f->n);
			v = copy;
		}
		lr_add(r, cs->c[i].name, cs->c[i].kind, v, f->n);
	}
	return 1;
}

int lr_csv_line(struct lr *r, const char *p, size_t n)
{
	struct csvs *cs = r->fs;
	struct cirt_csv c;
	struct cirt_csv_rec rec;
	char why[96];
	int rc;

	rc = csv_split(&c, p, n, &rec, why, sizeof(why));
	if (rc < 0) {
		cirt_csv_close(&c);
		return lr_bad(r, "%s", why);
	}
	if (rc == 0) {
		cirt_csv_close(&c);
		return 0;
	}
	if (!cs->header)
		rc = csv_header(r, cs, &rec);
	else
		rc = csv_record(r, cs, p, n, &rec);
	cirt_csv_close(&c);
	if (rc <= 0)
		return rc;
	return lr_emit(r);
}
