/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The log readers' common part (detect/logread.h): input through zlib or
 * from memory, split into lines; the format, given or guessed from the
 * first line; field maps; the shared record helpers (logread_int.h). The
 * formats themselves are in logread_text.c (zeek, bind, squid, csv) and
 * logread_json.c (zeek-json, eve).
 *
 * Lines are cut with memchr in one window of CIRT_LOG_LINE_MAX + 2 bytes
 * plus a read chunk, so a line is never copied unless it straddles two
 * reads (then the partial line slides to the front once). A line longer
 * than the limit is dropped while it streams past, and counted malformed.
 * Nothing is allocated per line: a record's decoded values go to one
 * scratch area that grows to twice the longest line seen.
 *
 * Layer: detect. No global state; a read belongs to its caller's thread.
 */
#include "detect/logread.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/mem.h"
#include "core/time.h"
#include "detect/logread_int.h"
#include "core/text.h"

#include "core/banned.h"

/* Bytes asked of zlib at a time, and its own buffer. */
#define LR_CHUNK (128u << 10)

static const char *const format_names[] = {
	[CIRT_LOG_AUTO] = "auto",
	[CIRT_LOG_ZEEK] = "zeek",
	[CIRT_LOG_ZEEK_JSON] = "zeek-json",
	[CIRT_LOG_EVE] = "eve",
	[CIRT_LOG_BIND] = "bind",
	[CIRT_LOG_SQUID] = "squid",
	[CIRT_LOG_CSV] = "csv",
};

const char *cirt_log_format_name(enum cirt_log_format f)
{
	return (unsigned)f < CIRT_ARRAY_LEN(format_names) ? format_names[f]
							  : "?";
}

int cirt_log_format_parse(const char *s)
{
	for (size_t i = 0; s && i < CIRT_ARRAY_LEN(format_names); i++)
		if (strcmp(s, format_names[i]) == 0)
			return (int)i;
	return -1;
}

/* Field maps. */

static const char *const kind_names[] = {
	[CIRT_IOC_IP] = "ip",	    [CIRT_IOC_DOMAIN] = "domain",
	[CIRT_IOC_URL] = "url",	    [CIRT_IOC_MD5] = "md5",
	[CIRT_IOC_SHA1] = "sha1",   [CIRT_IOC_SHA256] = "sha256",
	[CIRT_IOC_EMAIL] = "email", [LR_HOST] = "host",
	[LR_HASH] = "hash",	    [LR_TIME] = "time",
	[LR_IGNORE] = "ignore",
};

#define KIND_LIST \
	"ip, domain, host, url, md5, sha1, sha256, hash, email, time, ignore"

static int kind_parse(const char *s, size_t n)
{
	for (size_t i = 0; i < CIRT_ARRAY_LEN(kind_names); i++)
		if (strlen(kind_names[i]) == n &&
		    memcmp(s, kind_names[i], n) == 0)
			return (int)i;
	return -1;
}

/* Entries are echoed in messages cut to this many bytes. */
#define ECHO_MAX   64
#define ECHO(p, n) (int)CIRT_MIN((n), (size_t)ECHO_MAX), (p)

/* A 1-based column number, or 0 if name is not all digits. */
static uint32_t column_number(const char *s, size_t n)
{
	uint32_t v = 0;

	if (n == 0 || n > 6)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	return v;
}

static int map_entry(struct cirt_log_map *m, const char *s, size_t n,
		     struct cirt_diag *d)
{
	const char *eq = memchr(s, '=', n), *name = s, *kind;
	size_t nn, kn;
	struct lr_map_entry *e;
	int k;

	if (eq == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, "fields",
				     "\"%.*s\" is not name=kind", ECHO(s, n));
	nn = (size_t)(eq - s);
	kind = eq + 1;
	kn = n - nn - 1;
	cirt_text_trim_blanks(&name, &nn);
	cirt_text_trim_blanks(&kind, &kn);
	if (nn == 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "fields",
				     "\"%.*s\" has an empty name", ECHO(s, n));
	if (nn > LR_NAME_MAX)
		return cirt_diag_set(d, -CIRT_EINVAL, "fields",
				     "\"%.*s...\" is longer than %d bytes",
				     ECHO(name, nn), LR_NAME_MAX);
	for (size_t i = 0; i < nn; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return cirt_diag_set(d, -CIRT_EINVAL, "fields",
					     "\"%.*s\" has a control character",
					     ECHO(s, n));
	k = kind_parse(kind, kn);
	if (k < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "fields",
				     "\"%.*s\": unknown kind \"%.*s\" (kinds: "
				     "%s)",
				     ECHO(s, n), ECHO(kind, kn), KIND_LIST);
	for (size_t i = 0; i < m->n; i++)
		if (m->e[i].len == nn && memcmp(m->e[i].name, name, nn) == 0)
			return cirt_diag_set(d, -CIRT_EINVAL, "fields",
					     "\"%.*s\" is named twice",
					     ECHO(name, nn));
	if (m->n == CIRT_LOG_MAP_MAX)
		return cirt_diag_set(d, -CIRT_ELIMIT, "fields",
				     "more than %d entries (at \"%.*s\")",
				     CIRT_LOG_MAP_MAX, ECHO(s, n));
	e = &m->e[m->n++];
	memcpy(e->name, name, nn);
	e->name[nn] = '\0';
	e->len = nn;
	e->kind = (uint8_t)k;
	/* JSON paths are matched without their array marks. */
	for (size_t i = 0; i < nn; i++) {
		if (name[i] == '[' && i + 1 < nn && name[i + 1] == ']') {
			i++;
			continue;
		}
		e->path[e->plen++] = name[i];
	}
	e->path[e->plen] = '\0';
	e->col = column_number(name, nn);
	return 0;
}

int cirt_log_map_parse(const char *text, struct cirt_log_map **out,
		       struct cirt_diag *d)
{
	struct cirt_log_map *m = cirt_xcalloc(1, sizeof(*m));
	const char *p = text, *end;
	size_t index = 0;
	int rc;

	*out = NULL;
	if (text == NULL) {
		*out = m;
		return 0;
	}
	end = text + strlen(text);
	{
		const char *all = text;
		size_t n = (size_t)(end - text);

		cirt_text_trim_blanks(&all, &n);
		if (n == 0) {
			*out = m;
			return 0;
		}
	}
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *s = p;
		size_t n = (size_t)((comma ? comma : end) - p);

		index++;
		cirt_text_trim_blanks(&s, &n);
		if (n == 0) {
			rc = cirt_diag_set(d, -CIRT_EINVAL, "fields",
					   "entry %zu is empty", index);
			goto fail;
		}
		rc = map_entry(m, s, n, d);
		if (rc < 0)
			goto fail;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*out = m;
	return 0;
fail:
	free(m);
	return rc;
}

void cirt_log_map_free(struct cirt_log_map *m)
{
	free(m);
}

/* Wanted fields. */

static void want_path(struct lr_want *w, const char *name)
{
	size_t j = 0;

	for (size_t i = 0; name[i] != '\0' && j < LR_NAME_MAX; i++) {
		if (name[i] == '[' && name[i + 1] == ']') {
			i++;
			continue;
		}
		w->pathbuf[j++] = name[i];
	}
	w->pathbuf[j] = '\0';
	w->path = w->pathbuf;
	w->plen = j;
}

void lr_want_build(struct lr *r, const struct lr_field *defs, size_t n,
		   const char *url_field)
{
	r->nwant = 0;
	for (size_t i = 0; i < n && r->nwant < LR_WANT_MAX; i++) {
		struct lr_want *w = &r->want[r->nwant++];

		w->name = defs[i].name;
		want_path(w, defs[i].name);
		w->kind = defs[i].kind;
		w->part = defs[i].part;
	}
	for (size_t i = 0; r->map && i < r->map->n; i++) {
		const struct lr_map_entry *e = &r->map->e[i];
		struct lr_want *w = NULL;

		for (size_t j = 0; j < r->nwant; j++)
			if (r->want[j].plen == e->plen &&
			    memcmp(r->want[j].path, e->path, e->plen) == 0)
				w = &r->want[j];
		if (w == NULL) {
			if (r->nwant == LR_WANT_MAX)
				break;
			w = &r->want[r->nwant++];
			w->name = e->name;
			w->path = e->path;
			w->plen = e->plen;
			w->part = LR_PART_NONE;
		}
		w->kind = e->kind;
	}
	r->url_field = url_field;
	/* "uri=ignore" (or the format's path field) turns the composed URL
	 * off. */
	for (size_t j = 0; j < r->nwant; j++)
		if (r->want[j].part == LR_PART_PATH &&
		    r->want[j].kind == LR_IGNORE)
			r->url_field = NULL;
}

const struct lr_want *lr_want_find(const struct lr *r, const char *p, size_t n)
{
	for (size_t i = 0; i < r->nwant; i++)
		if (r->want[i].plen == n && memcmp(r->want[i].path, p, n) == 0)
			return &r->want[i];
	return NULL;
}

/* Records. */

void lr_begin(struct lr *r, const char *p, size_t n)
{
	size_t need = 2 * n + 64;

	if (r->scap < need) {
		free(r->scratch);
		r->scap = CIRT_MAX(need, (size_t)(64u << 10));
		r->scratch = cirt_xmalloc(r->scap);
	}
	r->slen = 0;
	r->rec.time_us = 0;
	r->rec.line = r->lineno;
	r->rec.nvalues = 0;
	r->rec.text = p;
	r->rec.text_len = n;
	r->part[LR_PART_HOST] = r->part[LR_PART_PATH] = NULL;
}

char *lr_scratch(struct lr *r, size_t n)
{
	char *p;

	if (n > r->scap - r->slen)
		return NULL;
	p = r->scratch + r->slen;
	r->slen += n;
	return p;
}

static bool unset(const char *v, size_t n)
{
	return n == 0 || (n == 1 && v[0] == '-') ||
	       (n == 7 && memcmp(v, "(empty)", 7) == 0);
}

/* A dotted quad as inet_pton takes it: four numbers 0..255 without
 * leading zeros. */
static bool ipv4(const char *s, size_t n)
{
	unsigned parts = 0, v = 0, digits = 0;

	for (size_t i = 0; i <= n; i++) {
		char c = i < n ? s[i] : '.';

		if (c == '.') {
			if (digits == 0 || v > 255 || ++parts > 4)
				return false;
			v = 0;
			digits = 0;
		} else if (c >= '0' && c <= '9' && !(digits == 1 && v == 0) &&
			   digits < 3) {
			v = v * 10 + (unsigned)(c - '0');
			digits++;
		} else {
			return false;
		}
	}
	return parts == 4;
}

const char *lr_find(const char *p, size_t n, const char *s, size_t k)
{
	const char *end = p + n, *q;

	if (k == 0 || k > n)
		return k == 0 ? p : NULL;
	while ((q = memchr(p, s[0], (size_t)(end - p) - k + 1)) != NULL) {
		if (memcmp(q, s, k) == 0)
			return q;
		p = q + 1;
		if ((size_t)(end - p) < k)
			break;
	}
	return NULL;
}

bool lr_is_ip(const char *s, size_t n)
{
	bool colon = false;

	if (n == 0 || n > INET6_ADDRSTRLEN)
		return false;
	if (s[0] >= '0' && s[0] <= '9' && ipv4(s, n))
		return true;
	/* Most names fail at their first letter that is not a hex digit. */
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == ':')
			colon = true;
		else if (!((c >= '0' && c <= '9') || c == '.' ||
			   (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	/* No name has a colon: the matcher parses it (once) and finds
	 * whether it is a valid IPv6 address. */
	return colon;
}

void lr_add(struct lr *r, const char *field, unsigned kind, const char *v,
	    size_t n)
{
	struct cirt_log_value *val;

	if (unset(v, n))
		return;
	switch (kind) {
	case LR_HOST:
		kind = lr_is_ip(v, n) ? CIRT_IOC_IP : CIRT_IOC_DOMAIN;
		break;
	case LR_HASH:
		if (cirt_ioc_hash_kind(n) < 0)
			return;
		kind = (unsigned)cirt_ioc_hash_kind(n);
		break;
	default:
		if (kind >= CIRT_IOC_KINDS)
			return;
		break;
	}
	if (r->rec.nvalues == CIRT_LOG_VALUES_MAX)
		return;
	val = &r->rec.values[r->rec.nvalues++];
	val->field = field;
	val->kind = (enum cirt_ioc_kind)kind;
	val->v = v;
	val->n = n;
}

void lr_part(struct lr *r, unsigned part, const char *v, size_t n)
{
	if (part == LR_PART_NONE || part > LR_PART_PATH || unset(v, n))
		return;
	r->part[part] = v;
	r->partn[part] = n;
}

/* "scheme://": a URL that needs no host put in front. */
static bool absolute(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && i < 16 &&
	       ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		(i > 0 && ((s[i] >= '0' && s[i] <= '9') || s[i] == '+' ||
			   s[i] == '-' || s[i] == '.'))))
		i++;
	return i > 0 && n - i >= 3 && memcmp(s + i, "://", 3) == 0;
}

void lr_compose(struct lr *r)
{
	const char *path = r->part[LR_PART_PATH], *host = r->part[LR_PART_HOST];
	size_t pn = r->partn[LR_PART_PATH], hn = r->partn[LR_PART_HOST];
	char *u;

	if (r->url_field == NULL || path == NULL)
		return;
	if (absolute(path, pn)) {
		lr_add(r, r->url_field, CIRT_IOC_URL, path, pn);
		return;
	}
	if (host == NULL || path[0] != '/')
		return;
	u = lr_scratch(r, 7 + hn + pn);
	if (u == NULL)
		return;
	memcpy(u, "http://", 7);
	memcpy(u + 7, host, hn);
	memcpy(u + 7 + hn, path, pn);
	lr_add(r, r->url_field, CIRT_IOC_URL, u, 7 + hn + pn);
}

int lr_emit(struct lr *r)
{
	int rc;

	r->st->records++;
	r->st->values += r->rec.nvalues;
	rc = r->fn(&r->rec, r->arg);
	return rc < 0 ? rc : 0;
}

int lr_bad(struct lr *r, const char *fmt, ...)
{
	uint64_t i = r->st->malformed++;
	va_list ap;

	if (i < CIRT_LOG_BAD_KEEP) {
		r->st->bad[i].line = r->lineno;
		va_start(ap, fmt);
		vsnprintf(r->st->bad[i].reason, sizeof(r->st->bad[i].reason),
			  fmt, ap);
		va_end(ap);
	}
	return 0;
}

/* Times. */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dm[] = {31, 28, 31, 30, 31, 30,
					   31, 31, 30, 31, 30, 31};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* n decimal digits at s into *v. */
static bool num(const char *s, size_t n, unsigned *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

/* A fraction ".ddd" at s[0..n): its microseconds, and its length. */
static size_t fraction(const char *s, size_t n, int64_t *us)
{
	size_t i = 1;
	int64_t v = 0;

	*us = 0;
	if (n < 2 || s[0] != '.' || s[1] < '0' || s[1] > '9')
		return 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		if (i <= 6)
			v = v * 10 + (s[i] - '0');
	for (size_t k = i; k <= 6; k++)
		v *= 10;
	*us = v;
	return i;
}

static bool civil(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi,
		  unsigned s, int64_t *us)
{
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || s > 60)
		return false;
	*us = (((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 + s) *
	      CIRT_US_PER_SEC;
	return true;
}

bool lr_time_epoch(const char *s, size_t n, int64_t *us)
{
	int64_t sec = 0, frac = 0;
	size_t i = 0;

	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		if (i == 12)
			return false;
		sec = sec * 10 + (s[i] - '0');
	}
	if (i == 0)
		return false;
	if (i < n) {
		size_t f = fraction(s + i, n - i, &frac);

		if (f == 0 || i + f != n)
			return false;
	}
	*us = sec * CIRT_US_PER_SEC + frac;
	return true;
}

bool lr_time_iso(const char *s, size_t n, int64_t *us)
{
	unsigned y, mo, d, h, mi, sec, oh = 0, om = 0;
	int64_t frac = 0, off = 0;
	size_t i = 19;

	if (n < 19 || s[4] != '-' || s[7] != '-' || s[13] != ':' ||
	    s[16] != ':' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !num(s, 4, &y) || !num(s + 5, 2, &mo) || !num(s + 8, 2, &d) ||
	    !num(s + 11, 2, &h) || !num(s + 14, 2, &mi) ||
	    !num(s + 17, 2, &sec))
		return false;
	i += fraction(s + i, n - i, &frac);
	if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		/* "+01:00" (RFC 3339) or "+0100" (Suricata). */
		size_t m = n - i - 1;
		const char *z = s + i + 1;

		if (!(m == 5 && z[2] == ':' && num(z, 2, &oh) &&
		      num(z + 3, 2, &om)) &&
		    !(m == 4 && num(z, 2, &oh) && num(z + 2, 2, &om)))
			return false;
		if (oh > 23 || om > 59)
			return false;
		off = ((int64_t)oh * 60 + om) * 60 * CIRT_US_PER_SEC;
		if (s[i] == '-')
			off = -off;
		i = n;
	}
	if (i != n || !civil(y, mo, d, h, mi, sec, us))
		return false;
	*us += frac - off;
	return true;
}

bool lr_time_bind(const char *s, size_t n, int64_t *us, size_t *used)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	unsigned d, y, h, mi, sec, mo = 0;
	int64_t frac = 0;
	size_t i = 20;

	if (n < 20 || s[2] != '-' || s[6] != '-' || s[11] != ' ' ||
	    s[14] != ':' || s[17] != ':' || !num(s, 2, &d) ||
	    !num(s + 7, 4, &y) || !num(s + 12, 2, &h) || !num(s + 15, 2, &mi) ||
	    !num(s + 18, 2, &sec))
		return false;
	for (unsigned k = 0; k < 12; k++)
		if (memcmp(s + 3, months + 3 * k, 3) == 0)
			mo = k + 1;
	if (mo == 0 || !civil(y, mo, d, h, mi, sec, us))
		return false;
	i += fraction(s + i, n - i, &frac);
	*us += frac;
	*used = i;
	return true;
}

bool lr_time_any(const char *s, size_t n, int64_t *us)
{
	if (n >= 19 && s[4] == '-')
		return lr_time_iso(s, n, us);
	return lr_time_epoch(s, n, us);
}

/* Input. */

struct src {
	gzFile gz; /* NULL: memory */
	const char *mem;
	size_t mlen, mpos;
	char *buf; /* window of cap bytes, unread data buf[start..end) */
	size_t cap, start, end, scan;
	bool eof;
	struct lr *r;
};

static int src_fill(struct src *s)
{
	size_t room;
	int got;

	if (s->start > 0 && s->cap - s->end < LR_CHUNK) {
		memmove(s->buf, s->buf + s->start, s->end - s->start);
		s->end -= s->start;
		s->scan -= s->start;
		s->start = 0;
	}
	room = CIRT_MIN(s->cap - s->end, (size_t)LR_CHUNK);
	got = gzread(s->gz, s->buf + s->end, (unsigned)room);
	if (got <= 0) {
		int zerr;
		const char *msg = gzerror(s->gz, &zerr);

		/* zlib ends a cut gzip stream as if it were the end, with
		 * Z_BUF_ERROR set, so that a growing file can be read on. */
		if (got < 0 || zerr == Z_BUF_ERROR)
			return cirt_diag_set(s->r->d, -CIRT_EIO, s->r->name,
					     "cannot read %s: %s", s->r->name,
					     zerr == Z_ERRNO ? strerror(errno)
							     : msg);
		s->eof = true;
	}
	s->end += (size_t)got;
	s->r->st->bytes += (uint64_t)got;
	return 0;
}

/* Skip the rest of a line too long to keep: 1 when its end (or the end of
 * the input) is reached. */
static int src_skip(struct src *s)
{
	for (;;) {
		const char *nl;
		int rc;

		s->start = s->scan = s->end = 0;
		if (s->eof)
			return 1;
		rc = src_fill(s);
		if (rc < 0)
			return rc;
		nl = memchr(s->buf, '\n', s->end);
		if (nl != NULL) {
			s->start = s->scan = (size_t)(nl - s->buf) + 1;
			return 1;
		}
	}
}

/* The next line into p[0..n) without its LF: 1, 0 at the end of the
 * input, or a negative code. *p is NULL for a line too long. */
static int src_next(struct src *s, const char **p, size_t *n)
{
	const char *nl;
	int rc;

	if (s->gz == NULL) {
		if (s->mpos >= s->mlen)
			return 0;
		*p = s->mem + s->mpos;
		nl = memchr(*p, '\n', s->mlen - s->mpos);
		*n = nl ? (size_t)(nl - *p) : s->mlen - s->mpos;
		s->mpos += *n + (nl != NULL);
		return 1;
	}
	for (;;) {
		nl = memchr(s->buf + s->scan, '\n', s->end - s->scan);
		if (nl != NULL) {
			*p = s->buf + s->start;
			*n = (size_t)(nl - *p);
			s->start = s->scan = (size_t)(nl - s->buf) + 1;
			return 1;
		}
		s->scan = s->end;
		if (s->end - s->start > CIRT_LOG_LINE_MAX + 1) {
			rc = src_skip(s);
			*p = NULL;
			*n = 0;
			return rc;
		}
		if (s->eof) {
			if (s->start == s->end)
				return 0;
			*p = s->buf + s->start;
			*n = s->end - s->start;
			s->start = s->scan = s->end;
			return 1;
		}
		rc = src_fill(s);
		if (rc < 0)
			return rc;
	}
}

/* Formats. */

struct lr_ops {
	int (*init)(struct lr *r);
	int (*line)(struct lr *r, const char *p, size_t n);
	void (*done)(struct lr *r);
};

static const struct lr_ops ops[] = {
	[CIRT_LOG_ZEEK] = {lr_zeek_init, lr_zeek_line, lr_zeek_done},
	[CIRT_LOG_ZEEK_JSON] = {lr_json_init, lr_json_line, lr_json_done},
	[CIRT_LOG_EVE] = {lr_json_init, lr_json_line, lr_json_done},
	[CIRT_LOG_BIND] = {lr_bind_init, lr_bind_line, NULL},
	[CIRT_LOG_SQUID] = {lr_squid_init, lr_squid_line, NULL},
	[CIRT_LOG_CSV] = {lr_csv_init, lr_csv_line, lr_csv_done},
};

static bool starts(const char *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	return n >= k && memcmp(p, s, k) == 0;
}

/* The format of a log whose first line is p[0..n), or -1. */
static int detect(const char *p, size_t n)
{
	int64_t us;
	size_t i = 0, used;

	if (starts(p, n, "#separator") || starts(p, n, "#fields"))
		return CIRT_LOG_ZEEK;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i < n && p[i] == '{')
		return lr_find(p, n, "\"event_type\"", 12) ? CIRT_LOG_EVE
							   : CIRT_LOG_ZEEK_JSON;
	if (lr_time_bind(p, n, &us, &used) || starts(p, n, "client ") ||
	    (lr_find(p, n, "client ", 7) && lr_find(p, n, " query: ", 8)))
		return CIRT_LOG_BIND;
	for (i = 0; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		;
	if (i > 0 && i < n && p[i] == '.') {
		size_t j = ++i;

		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i > j && i < n && p[i] == ' ')
			return CIRT_LOG_SQUID;
	}
	return -1;
}

static int start_format(struct lr *r, enum cirt_log_format f)
{
	r->fmt = f;
	return ops[f].init(r);
}

static int read_lines(struct lr *r, struct src *s)
{
	const char *p;
	size_t n;
	int rc;

	if (r->fmt != CIRT_LOG_AUTO) {
		rc = start_format(r, r->fmt);
		if (rc < 0)
			return rc;
	}
	while ((rc = src_next(s, &p, &n)) > 0) {
		r->st->lines++;
		r->lineno++;
		if (p != NULL && n > 0 && p[n - 1] == '\r')
			n--;
		if (p == NULL || n > CIRT_LOG_LINE_MAX) {
			lr_bad(r, "longer than %d bytes", CIRT_LOG_LINE_MAX);
			continue;
		}
		if (n == 0)
			continue;
		if (r->fmt == CIRT_LOG_AUTO) {
			int f = detect(p, n);

			if (f < 0)
				return cirt_diag_set(
					r->d, -CIRT_EINVAL, "format",
					"cannot tell the format of %s from its "
					"first line: give it with --format",
					r->name);
			rc = start_format(r, (enum cirt_log_format)f);
			if (rc < 0)
				return rc;
		}
		rc = ops[r->fmt].line(r, p, n);
		if (rc < 0)
			return rc;
	}
	return rc;
}

static int run(struct src *s, const char *name, enum cirt_log_format f,
	       const struct cirt_log_map *map, cirt_log_fn fn, void *arg,
	       struct cirt_log_stats *st, struct cirt_diag *d)
{
	struct cirt_log_stats dummy;
	struct lr *r;
	int rc;

	if ((unsigned)f >= CIRT_ARRAY_LEN(format_names))
		return cirt_diag_set(d, -CIRT_EINVAL, "format",
				     "unknown log format %d", (int)f);
	if (st == NULL) {
		memset(&dummy, 0, sizeof(dummy));
		st = &dummy;
	}
	r = cirt_xcalloc(1, sizeof(*r));
	r->fmt = f;
	r->name = name ? name : "input";
	r->map = map;
	r->fn = fn;
	r->arg = arg;
	r->st = st;
	r->d = d;
	s->r = r;
	rc = read_lines(r, s);
	if (r->fmt != CIRT_LOG_AUTO && ops[r->fmt].done != NULL)
		ops[r->fmt].done(r);
	free(r->scratch);
	free(r);
	return rc;
}

int cirt_log_read(int fd, const char *name, enum cirt_log_format f,
		  const struct cirt_log_map *map, cirt_log_fn fn, void *arg,
		  struct cirt_log_stats *st, struct cirt_diag *d)
{
	struct src s = {0};
	int fd2, rc;

	if (name == NULL)
		name = "input";
	fd2 = dup(fd);
	if (fd2 < 0)
		return cirt_diag_set(d, -CIRT_EIO, name, "cannot read %s: %s",
				     name, strerror(errno));
	s.gz = gzdopen(fd2, "rb");
	if (s.gz == NULL) {
		close(fd2);
		return cirt_diag_set(d, -CIRT_EIO, name, "cannot read %s",
				     name);
	}
	gzbuffer(s.gz, LR_CHUNK);
	s.cap = CIRT_LOG_LINE_MAX + 2 + LR_CHUNK;
	s.buf = cirt_xmalloc(s.cap);
	rc = run(&s, name, f, map, fn, arg, st, d);
	free(s.buf);
	gzclose(s.gz);
	return rc;
}

int cirt_log_read_mem(const char *text, size_t len, const char *name,
		      enum cirt_log_format f, const struct cirt_log_map *map,
		      cirt_log_fn fn, void *arg, struct cirt_log_stats *st,
		      struct cirt_diag *d)
{
	struct src s = {0};

	s.mem = text ? text : "";
	s.mlen = text ? len : 0;
	if (st != NULL)
		st->bytes += s.mlen;
	return run(&s, name, f, map, fn, arg, st, d);
}
