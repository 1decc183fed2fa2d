/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The "arf" parser: one abuse e-mail in, its events out. It reads three
 * kinds of report and nothing else (any other message is one malformed
 * record, with a message saying what was looked for):
 *
 *  - ARF (RFC 5965, updated by RFC 6650; standards.md 6.1): the
 *    message/feedback-report part of a multipart/report. Feedback-Type,
 *    User-Agent and Version (1) are required exactly once (ARF-02); an
 *    unknown Feedback-Type is read as "other" (ARF-03). Mapping (ARF-04):
 *    abuse -> abusive-content:spam, fraud -> fraud:phishing, virus ->
 *    malicious-code:malware-distribution, other -> other:other,
 *    auth-failure -> fraud:masquerade. A not-spam report (RFC 6430) says
 *    that a message was wrongly taken for spam: nothing happened at the
 *    source, so it is counted as a record and gives no event. Source-IP
 *    is source.ip, Arrival-Date (or the historic Received-Date) is
 *    time.source, the first Reported-Domain source.fqdn, the first http(s)
 *    Reported-URI source.url; the other fields and the original message's
 *    Subject go to extra (repeated fields joined with ", ", but
 *    Authentication-Results with a line break).
 *  - legacy X-ARF 0.1/0.2 (standards.md 6.2): a message with an X-XARF
 *    (or X-ARF) header whose second part, report.txt, is a YAML report.
 *    Only the flat "Key: value" subset is read (quotes removed, comments
 *    and indented continuation lines handled), which is all those reports
 *    use; Report-Type (else Category) gives the classification by the
 *    table legacy_types below.
 *  - X-ARF v4 JSON as the body or an attachment (application/json, a
 *    *.json file, or text that is a JSON object naming xarf_version):
 *    checked and mapped by parse_xarf.c.
 *
 * It is not a general MIME library: GMime 3 parses the message (from
 * memory, after the whole message was read, because the raw record is the
 * message), and this file only walks the parts and reads the few fields
 * above. Dates are RFC 5322 (with the obsolete zone names of section 4.3)
 * or RFC 3339.
 *
 * Limits: one message of at most CIRT_FEED_MAIL_MAX bytes (option max=).
 * GMime builds an object for every part and every header field, so the
 * raw text is checked first (over_budget): at most MIME_PARTS_MAX
 * "Content-Type:" lines (which also bounds GMime's recursion),
 * BOUNDARY_LINES_MAX lines starting "--" and FIELD_LINES_MAX lines that
 * could be header fields. Then multiparts nested at most MIME_DEPTH_MAX
 * deep; at most HB_FIELDS fields in a report block; extra values at most
 * JOIN_MAX bytes each. Over a limit, the message is a malformed record.
 *
 * The xarf parser hands an input that is an e-mail to this file
 * (cirt_feed_mail_input, feed/parse_int.h); the run machinery is
 * parse_util.c's.
 *
 * Layer: feed. g_mime_init() runs once (pthread_once); a run is
 * single-threaded and keeps no global state.
 */
#include "feed/parser.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "core/mem.h"
#include "core/time.h"
#include "feed/parse_int.h"
#include "core/banned.h"

#define MIME_PARTS_MAX	   256
#define MIME_DEPTH_MAX	   16
#define BOUNDARY_LINES_MAX (16 * MIME_PARTS_MAX)
#define FIELD_LINES_MAX	   10000
#define LEAVES_MAX	   32
#define HB_FIELDS	   128
#define JOIN_MAX	   8192
#define READ_CHUNK	   (64u << 10)

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Read the rest of the input after head into out (initialised here):
 * 0, 1 if it is longer than r->max (out released), or -CIRT_EIO. */
static int read_all(struct cirt_feed_run *r, const char *head, size_t head_len,
		    struct cirt_buf *out)
{
	char *chunk;
	ssize_t got;
	int rc = 0;

	cirt_buf_init(out, r->max);
	if (head_len > r->max)
		return 1;
	if (head_len > 0 && cirt_buf_add(out, head, head_len) < 0)
		return 1;
	chunk = cirt_xmalloc(READ_CHUNK);
	for (;;) {
		got = cirt_feed_read(r->src->fd, chunk, READ_CHUNK, r->d);
		if (got <= 0) {
			rc = (int)got;
			break;
		}
		if ((size_t)got > r->max - out->len ||
		    cirt_buf_add(out, chunk, (size_t)got) < 0) {
			cirt_buf_release(out);
			rc = 1;
			break;
		}
	}
	free(chunk);
	return rc;
}

/* ---- header-style blocks: the feedback report, legacy X-ARF YAML ---- */

struct hfield {
	const char *name;
	char *val; /* unfolded, trimmed, NUL-terminated */
	size_t vlen;
};

/* The fields of one block, in order; text holds their copies. */
struct hblock {
	char *text;
	size_t n;
	struct hfield f[HB_FIELDS];
};

/* A field name: printable US-ASCII but ':' (RFC 5322 ftext). */
static bool good_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == ':')
			return false;
	return true;
}

/* End the value being written at *w (trailing white space dropped). */
static void hb_close(struct hfield *f, char **w)
{
	if (f == NULL)
		return;
	while (f->vlen > 0 && is_wsp(f->val[f->vlen - 1]))
		f->vlen--;
	f->val[f->vlen] = '\0';
	*w = f->val + f->vlen + 1;
}

/* A folded line s[0..n) continues f's value (always the last thing
 * written): its leading white space becomes one space. */
static void hb_continue(struct hfield *f, const char *s, size_t n, char **w)
{
	while (n > 0 && is_wsp(*s)) {
		s++;
		n--;
	}
	if (n == 0)
		return;
	while (f->vlen > 0 && is_wsp(f->val[f->vlen - 1]))
		f->vlen--;
	if (f->vlen > 0)
		f->val[f->vlen++] = ' ';
	memcpy(f->val + f->vlen, s, n);
	f->vlen += n;
	*w = f->val + f->vlen;
}

/* Start a field at the line s[0..n): *cur is the new field, or NULL for
 * a line without a good name before a ':' (skipped). -1 when the block
 * has too many fields. */
static int hb_field(struct hblock *h, const char *s, size_t n, char **w,
		    struct hfield **cur)
{
	const char *colon = memchr(s, ':', n);
	const char *v;
	size_t nl, vl;
	struct hfield *f;

	*cur = NULL;
	if (colon == NULL)
		return 0;
	nl = (size_t)(colon - s);
	while (nl > 0 && is_wsp(s[nl - 1]))
		nl--;
	if (!good_name(s, nl))
		return 0;
	if (h->n == HB_FIELDS)
		return -1;
	f = &h->f[h->n++];
	memcpy(*w, s, nl);
	(*w)[nl] = '\0';
	f->name = *w;
	*w += nl + 1;
	v = colon + 1;
	vl = n - (size_t)(v - s);
	while (vl > 0 && is_wsp(*v)) {
		v++;
		vl--;
	}
	f->val = *w;
	memcpy(f->val, v, vl);
	f->vlen = vl;
	*w += vl;
	*cur = f;
	return 0;
}

static bool blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_wsp(s[i]))
			return false;
	return true;
}

/*
 * Read "Name: value" lines from p[0..n) (RFC 5322 header syntax, CRLF or
 * LF, folded lines unfolded) until a blank line, or for yaml to the end
 * (blank lines, '#' comments and "---" / "..." markers skipped). Each
 * field takes at most its line's bytes and a NUL, so text is allocated
 * once. 0, or -1 with more than HB_FIELDS fields; release with
 * hb_release either way.
 */
static int hb_parse(struct hblock *h, const char *p, size_t n, bool yaml)
{
	struct hfield *cur = NULL;
	const char *s, *nl;
	size_t i = 0, sl;
	char *w;

	h->n = 0;
	h->text = cirt_xmalloc(n + 2 * HB_FIELDS + 2);
	w = h->text;
	while (i < n) {
		s = p + i;
		nl = memchr(s, '\n', n - i);
		sl = nl != NULL ? (size_t)(nl - s) : n - i;
		i += sl + (nl != NULL);
		if (sl > 0 && s[sl - 1] == '\r')
			sl--;
		if (cur != NULL && sl > 0 && is_wsp(s[0]) && !blank(s, sl)) {
			hb_continue(cur, s, sl, &w);
			continue;
		}
		hb_close(cur, &w);
		cur = NULL;
		if (blank(s, sl)) {
			if (!yaml)
				break;
			continue;
		}
		if (yaml &&
		    (s[0] == '#' || (sl >= 3 && (!memcmp(s, "---", 3) ||
						 !memcmp(s, "...", 3)))))
			continue;
		if (hb_field(h, s, sl, &w, &cur) < 0)
			return -1;
	}
	hb_close(cur, &w);
	return 0;
}

static void hb_release(struct hblock *h)
{
	CIRT_FREE(h->text);
	h->n = 0;
}

/* The idx-th field named name (any case), or NULL. */
static const struct hfield *hb_get(const struct hblock *h, const char *name,
				   size_t idx)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (strcasecmp(h->f[i].name, name) == 0 && idx-- == 0)
			return &h->f[i];
	return NULL;
}

static size_t hb_count(const struct hblock *h, const char *name)
{
	size_t i, c = 0;

	for (i = 0; i < h->n; i++)
		if (strcasecmp(h->f[i].name, name) == 0)
			c++;
	return c;
}

/*
 * Add every non-empty value of field to extra under key, joined with sep,
 * at most JOIN_MAX bytes (later values dropped, a first one cut). 0, or
 * -1 (record counted as malformed).
 */
static int extra_join(struct cirt_feed_run *r, const struct hblock *h,
		      const char *field, const char *key, const char *sep)
{
	char buf[JOIN_MAX];
	size_t len = 0, i;
	const struct hfield *f;

	for (i = 0; (f = hb_get(h, field, i)) != NULL; i++) {
		if (f->vlen == 0)
			continue;
		if (len == 0 && f->vlen > sizeof(buf)) {
			memcpy(buf, f->val, sizeof(buf));
			len = sizeof(buf);
			break;
		}
		if (!cirt_feed_join(buf, sizeof(buf), &len, sep, f->val,
				    f->vlen))
			break;
	}
	if (len == 0)
		return 0;
	return cirt_feed_run_extra(r, key, buf, len);
}

/* ---- dates: RFC 5322 section 3.3, with the obsolete forms of 4.3 ---- */

struct cur {
	const char *p, *e;
};

/* Skip folding white space and (nested) comments. */
static void skip_cfws(struct cur *c)
{
	size_t depth = 0;

	while (c->p < c->e) {
		char ch = *c->p;

		if (depth > 0) {
			if (ch == '\\' && c->p + 1 < c->e)
				c->p++;
			else if (ch == '(')
				depth++;
			else if (ch == ')')
				depth--;
		} else if (ch == '(') {
			depth = 1;
		} else if (!(is_wsp(ch) || ch == '\r' || ch == '\n')) {
			break;
		}
		c->p++;
	}
}

/* min to max digits, not followed by another digit. */
static bool digits(struct cur *c, int min, int max, int *v)
{
	int k = 0;

	*v = 0;
	while (c->p < c->e && k < max && is_digit(*c->p)) {
		*v = *v * 10 + (*c->p - '0');
		c->p++;
		k++;
	}
	return k >= min && !(c->p < c->e && is_digit(*c->p));
}

/* A word of letters, lower-cased into w (cut to n - 1); its length. */
static size_t word(struct cur *c, char *w, size_t n)
{
	size_t k = 0;

	while (c->p < c->e && is_alpha(*c->p)) {
		if (k + 1 < n)
			w[k] = (char)(*c->p | 0x20);
		k++;
		c->p++;
	}
	w[k < n ? k : n - 1] = '\0';
	return k;
}

/* Minutes east of UTC of a zone name; RFC 5322 4.3 reads the military
 * letters and other names as -0000, that is 0. */
static int zone_minutes(const char *w)
{
	static const struct {
		const char *name;
		int min;
	} zones[] = {
		{"est", -300}, {"edt", -240}, {"cst", -360}, {"cdt", -300},
		{"mst", -420}, {"mdt", -360}, {"pst", -480}, {"pdt", -420},
	};
	size_t i;

	for (i = 0; i < CIRT_ARRAY_LEN(zones); i++)
		if (strcmp(w, zones[i].name) == 0)
			return zones[i].min;
	return 0;
}

/* The month (1..12) named by the three letters w, or 0. */
static int month_of(const char *w)
{
	static const char *const names[12] = {"jan", "feb", "mar", "apr",
					      "may", "jun", "jul", "aug",
					      "sep", "oct", "nov", "dec"};
	int i;

	for (i = 0; i < 12; i++)
		if (strcmp(w, names[i]) == 0)
			return i + 1;
	return 0;
}

/* The zone at c: "+hhmm", "-hhmm", a name, or none (0). */
static bool zone(struct cur *c, int *min)
{
	char w[8];
	int sign, v;

	*min = 0;
	if (c->p < c->e && (*c->p == '+' || *c->p == '-')) {
		sign = *c->p == '-' ? -1 : 1;
		c->p++;
		if (!digits(c, 4, 4, &v) || v % 100 > 59)
			return false;
		*min = sign * ((v / 100) * 60 + v % 100);
	} else if (c->p < c->e && is_alpha(*c->p)) {
		word(c, w, sizeof(w));
		*min = zone_minutes(w);
	}
	return true;
}

/* "[Thu,] 8 Mar 2005 14:00[:00] -0500|EDT" into µs since the epoch. */
static int date_5322(const char *s, size_t n, int64_t *us)
{
	struct cur c = {s, s + n};
	struct cirt_timestamp t;
	const char *y0;
	char w[8], text[64];
	int day, mon, year, hh, mm, ss = 0, zmin;

	skip_cfws(&c);
	if (c.p < c.e && is_alpha(*c.p)) {
		word(&c, w, sizeof(w));
		skip_cfws(&c);
		if (c.p < c.e && *c.p == ',')
			c.p++;
		skip_cfws(&c);
	}
	if (!digits(&c, 1, 2, &day))
		return -1;
	skip_cfws(&c);
	if (word(&c, w, sizeof(w)) != 3 || (mon = month_of(w)) == 0)
		return -1;
	skip_cfws(&c);
	y0 = c.p;
	if (!digits(&c, 2, 4, &year))
		return -1;
	if (c.p - y0 == 2)
		year += year < 50 ? 2000 : 1900;
	else if (c.p - y0 == 3)
		year += 1900;
	skip_cfws(&c);
	if (!digits(&c, 1, 2, &hh))
		return -1;
	skip_cfws(&c);
	if (c.p >= c.e || *c.p++ != ':')
		return -1;
	skip_cfws(&c);
	if (!digits(&c, 2, 2, &mm))
		return -1;
	skip_cfws(&c);
	if (c.p < c.e && *c.p == ':') {
		c.p++;
		skip_cfws(&c);
		if (!digits(&c, 2, 2, &ss))
			return -1;
		skip_cfws(&c);
	}
	if (!zone(&c, &zmin))
		return -1;
	skip_cfws(&c);
	if (c.p != c.e || year < 1900 || hh > 23 || mm > 59 || ss > 60)
		return -1;
	/* The calendar is core/time.c's: the date in RFC 3339, a leap
	 * second at any minute folded into :59. */
	snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02dZ", year,
		 mon, day, hh, mm, ss == 60 ? 59 : ss);
	if (cirt_time_parse(text, strlen(text), &t, NULL) < 0)
		return -1;
	*us = t.us - (int64_t)zmin * 60 * CIRT_US_PER_SEC;
	return 0;
}

/* A date as RFC 5322 or as cirt_event_set reads times. */
static int parse_date(const char *s, size_t n, int64_t *us)
{
	if (date_5322(s, n, us) == 0)
		return 0;
	return cirt_event_parse_time(s, n, us);
}

/* Set time.source from field name of h, if there: 0, or -1 (record
 * counted as malformed). *found tells if it was there. */
static int set_date(struct cirt_feed_run *r, const struct hblock *h,
		    const char *name, bool *found)
{
	const struct hfield *f = hb_get(h, name, 0);
	int64_t us;

	*found = f != NULL && f->vlen > 0;
	if (!*found)
		return 0;
	if (parse_date(f->val, f->vlen, &us) < 0) {
		cirt_feed_bad(r->st, r->ev.line,
			      "%s: \"%.60s\" is not an RFC 5322 date", name,
			      f->val);
		return -1;
	}
	r->ev.time_source = us;
	return 0;
}

/* ---- MIME ---- */

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_setup(void)
{
	g_mime_init();
}

/* What the walk found, in document order. */
struct parts {
	GMimeObject *report; /* message/feedback-report */
	GMimeObject *orig;   /* message/rfc822 or text/rfc822-headers */
	GMimeObject *leaf[LEAVES_MAX]; /* other leaves (the first ones) */
	size_t nleaf;
	size_t count;
	bool deep;
};

static bool is_type(GMimeObject *o, const char *type, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);

	return ct != NULL && g_mime_content_type_is_type(ct, type, subtype);
}

/* Walk the parts under o, not into attached messages (the original
 * message of a report is the spam, not a report). */
static void walk(GMimeObject *o, unsigned depth, struct parts *ps)
{
	int i, n;

	if (o == NULL || ++ps->count > MIME_PARTS_MAX)
		return;
	if (GMIME_IS_MULTIPART(o)) {
		if (depth >= MIME_DEPTH_MAX) {
			ps->deep = true;
			return;
		}
		n = g_mime_multipart_get_count((GMimeMultipart *)o);
		for (i = 0; i < n; i++)
			walk(g_mime_multipart_get_part((GMimeMultipart *)o, i),
			     depth + 1, ps);
	} else if (GMIME_IS_MESSAGE_PART(o)) {
		if (ps->orig == NULL)
			ps->orig = o;
	} else if (GMIME_IS_PART(o)) {
		if (is_type(o, "message", "feedback-report")) {
			if (ps->report == NULL)
				ps->report = o;
		} else if (is_type(o, "text", "rfc822-headers")) {
			if (ps->orig == NULL)
				ps->orig = o;
		} else if (ps->nleaf < LEAVES_MAX) {
			ps->leaf[ps->nleaf++] = o;
		}
	}
}

/* The decoded content of leaf part o, NUL-terminated (free() it), or
 * NULL. Decoding never makes it longer than the message. */
static char *part_content(GMimeObject *o, size_t *len)
{
	GMimeDataWrapper *dw;
	GMimeStream *ms;
	GByteArray *ba;
	char *out;

	*len = 0;
	if (!GMIME_IS_PART(o))
		return NULL;
	dw = g_mime_part_get_content((GMimePart *)o);
	if (dw == NULL)
		return NULL;
	ms = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(dw, ms) < 0) {
		g_object_unref(ms);
		return NULL;
	}
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(ms));
	out = cirt_xmalloc(ba->len + 1);
	if (ba->len > 0)
		memcpy(out, ba->data, ba->len);
	out[ba->len] = '\0';
	*len = ba->len;
	g_object_unref(ms);
	return out;
}

/* The first byte that is not white space (or a UTF-8 BOM), or '\0'. */
static char first_byte(const char *s, size_t n)
{
	size_t i = 0;

	if (n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		i = 3;
	for (; i < n; i++)
		if (!(is_wsp(s[i]) || s[i] == '\r' || s[i] == '\n'))
			return s[i];
	return '\0';
}

/* True if the line s[0..n) could be a header field: a name of ftext
 * and a ':'. */
static bool field_line(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 80; i++) {
		if (s[i] == ':')
			return i > 0;
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	}
	return false;
}

/*
 * What GMime would build more objects for than we allow, judged on the
 * raw text before it builds them: lines that open a part ("Content-Type:"
 * ones), that could be boundaries ("--"), or that could be header fields
 * (each becomes an object tens of times its size). NULL, or the
 * limit passed.
 */
static const char *over_budget(const char *m, size_t n)
{
	size_t i = 0, ct = 0, dash = 0, fields = 0, len;
	const char *nl;

	while (i < n) {
		nl = memchr(m + i, '\n', n - i);
		len = nl != NULL ? (size_t)(nl - m) - i : n - i;
		if (len >= 13 && strncasecmp(m + i, "content-type:", 13) == 0)
			ct++;
		else if (len >= 2 && m[i] == '-' && m[i + 1] == '-')
			dash++;
		if (field_line(m + i, len))
			fields++;
		if (ct > MIME_PARTS_MAX)
			return "MIME parts";
		if (dash > BOUNDARY_LINES_MAX)
			return "lines that could be MIME boundaries";
		if (fields > FIELD_LINES_MAX)
			return "lines that could be header fields";
		if (nl == NULL)
			break;
		i += len + 1;
	}
	return NULL;
}

static GMimeMessage *parse_message(const char *m, size_t n)
{
	GMimeStream *s;
	GMimeParser *p;
	GMimeMessage *msg;

	pthread_once(&gmime_once, gmime_setup);
	s = g_mime_stream_mem_new_with_buffer(m, n);
	p = g_mime_parser_new_with_stream(s);
	g_object_unref(s);
	msg = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	return msg;
}

/* ---- ARF ---- */

/* Feedback-Type to RSIT (ARF-04); cls NULL: no event. */
static const struct {
	const char *type, *cls, *rsit;
} arf_types[] = {
	{"abuse", "abusive-content", "spam"},
	{"fraud", "fraud", "phishing"},
	{"virus", "malicious-code", "malware-distribution"},
	{"other", "other", "other"},
	{"auth-failure", "fraud", "masquerade"},
	{"not-spam", NULL, NULL},
};

/* Fields that go to extra as they are; repeated ones joined. */
static const struct {
	const char *field, *key, *sep;
} arf_extra[] = {
	{"Feedback-Type", "feedback_type", ", "},
	{"User-Agent", "user_agent", ", "},
	{"Original-Mail-From", "original_mail_from", ", "},
	{"Original-Rcpt-To", "original_rcpt_to", ", "},
	{"Original-Envelope-Id", "original_envelope_id", ", "},
	{"Reporting-MTA", "reporting_mta", ", "},
	{"Reported-Domain", "reported_domains", ", "},
	{"Reported-URI", "reported_uris", ", "},
	{"Authentication-Results", "authentication_results", "\n"},
	{"Incidents", "incidents", ", "},
	{"Auth-Failure", "auth_failure", ", "},
	{"Delivery-Result", "delivery_result", ", "},
	{"DKIM-Domain", "dkim_domain", ", "},
	{"DKIM-Identity", "dkim_identity", ", "},
	{"DKIM-Selector", "dkim_selector", ", "},
	{"SPF-DNS", "spf_dns", ", "},
	{"Identity-Alignment", "identity_alignment", ", "},
};

/* ARF-02: the fields required exactly once, and Version 1. */
static bool arf_required(struct cirt_feed_run *r, const struct hblock *h)
{
	static const char *const once[] = {"Feedback-Type", "User-Agent",
					   "Version"};
	const struct hfield *v;
	size_t i, c;

	for (i = 0; i < CIRT_ARRAY_LEN(once); i++) {
		c = hb_count(h, once[i]);
		if (c != 1) {
			cirt_feed_bad(r->st, r->ev.line,
				      "%s: %s; a feedback report has it "
				      "exactly once (RFC 5965 3.1)",
				      once[i], c == 0 ? "missing" : "repeated");
			return false;
		}
	}
	v = hb_get(h, "Version", 0);
	if (v == NULL || strcmp(v->val, "1") != 0) {
		cirt_feed_bad(r->st, r->ev.line,
			      "Version: \"%.20s\" is not 1 (RFC 5965 3.1)",
			      v != NULL ? v->val : "");
		return false;
	}
	return true;
}

/* Source-IP, without the brackets some reporters write. */
static int arf_source_ip(struct cirt_feed_run *r, const struct hblock *h)
{
	const struct hfield *f = hb_get(h, "Source-IP", 0);
	const char *v;
	size_t n;

	if (f == NULL || f->vlen == 0)
		return 0;
	v = f->val;
	n = f->vlen;
	if (n >= 2 && v[0] == '[' && v[n - 1] == ']') {
		v++;
		n -= 2;
	}
	return cirt_feed_run_set(r, "source.ip", v, n);
}

/* source.fqdn and source.url from the first Reported-Domain and the first
 * http(s) Reported-URI. */
static int arf_reported(struct cirt_feed_run *r, const struct hblock *h)
{
	const struct hfield *f = hb_get(h, "Reported-Domain", 0);
	const char *v;
	size_t i, n;

	if (f != NULL && f->vlen > 0 &&
	    cirt_feed_run_set(r, "source.fqdn", f->val, f->vlen) < 0)
		return -1;
	for (i = 0; (f = hb_get(h, "Reported-URI", i)) != NULL; i++) {
		v = f->val;
		n = f->vlen;
		if (n >= 2 && v[0] == '<' && v[n - 1] == '>') {
			v++;
			n -= 2;
		}
		if ((n > 7 && strncasecmp(v, "http://", 7) == 0) ||
		    (n > 8 && strncasecmp(v, "https://", 8) == 0))
			return cirt_feed_run_set(r, "source.url", v, n);
	}
	return 0;
}

/* The original message's Subject into extra. */
static int arf_subject(struct cirt_feed_run *r, GMimeObject *orig)
{
	GMimeMessage *om;
	struct hblock h;
	const struct hfield *f;
	const char *s;
	char *text, *dec;
	size_t n;
	int rc = 0;

	if (orig == NULL)
		return 0;
	if (GMIME_IS_MESSAGE_PART(orig)) {
		om = g_mime_message_part_get_message((GMimeMessagePart *)orig);
		s = om != NULL ? g_mime_message_get_subject(om) : NULL;
		if (s == NULL)
			return 0;
		return cirt_feed_run_extra(r, "subject", s,
					   strnlen(s, JOIN_MAX));
	}
	text = part_content(orig, &n);
	if (text == NULL)
		return 0;
	if (hb_parse(&h, text, n, false) == 0 &&
	    (f = hb_get(&h, "Subject", 0)) != NULL) {
		dec = g_mime_utils_header_decode_text(NULL, f->val);
		rc = cirt_feed_run_extra(r, "subject", dec,
					 strnlen(dec, JOIN_MAX));
		g_free(dec);
	}
	hb_release(&h);
	free(text);
	return rc;
}

/* The RSIT mapping of the Feedback-Type; unknown types are "other"
 * (ARF-03). */
static size_t arf_type(const struct hblock *h)
{
	const struct hfield *f = hb_get(h, "Feedback-Type", 0);
	size_t i;

	for (i = 0; f != NULL && i < CIRT_ARRAY_LEN(arf_types); i++)
		if (strcasecmp(f->val, arf_types[i].type) == 0)
			return i;
	for (i = 0; strcmp(arf_types[i].type, "other") != 0; i++)
		;
	return i;
}

/* Fill r->ev from the feedback report h: 1 to emit it, 0 not (a
 * not-spam report, or a malformed one, counted). */
static int arf_map(struct cirt_feed_run *r, const struct hblock *h,
		   GMimeObject *orig)
{
	size_t t, i;
	bool found;

	if (!arf_required(r, h))
		return 0;
	t = arf_type(h);
	if (arf_types[t].cls == NULL)
		return 0;
	cirt_event_classify(&r->ev, arf_types[t].cls, arf_types[t].rsit);
	cirt_feed_copy(r->ev.identifier, sizeof(r->ev.identifier),
		       arf_types[t].type);
	if (arf_source_ip(r, h) < 0 || arf_reported(r, h) < 0 ||
	    set_date(r, h, "Arrival-Date", &found) < 0 ||
	    (!found && set_date(r, h, "Received-Date", &found) < 0))
		return 0;
	for (i = 0; i < CIRT_ARRAY_LEN(arf_extra); i++)
		if (extra_join(r, h, arf_extra[i].field, arf_extra[i].key,
			       arf_extra[i].sep) < 0)
			return 0;
	return arf_subject(r, orig) < 0 ? 0 : 1;
}

static int arf(struct cirt_feed_run *r, const struct parts *ps, const char *m,
	       size_t n)
{
	struct hblock h;
	char *body;
	size_t blen;
	int rc = 0;

	body = part_content(ps->report, &blen);
	if (body == NULL) {
		cirt_feed_bad(r->st, r->ev.line,
			      "message/feedback-report: cannot be decoded");
		return 0;
	}
	if (hb_parse(&h, body, blen, false) < 0)
		cirt_feed_bad(r->st, r->ev.line,
			      "message/feedback-report: more than %d fields",
			      HB_FIELDS);
	else if (arf_map(r, &h, ps->orig) == 1)
		rc = cirt_feed_run_emit(r, m, n);
	hb_release(&h);
	free(body);
	return rc;
}

/* ---- legacy X-ARF 0.1/0.2 ---- */

/* Report-Type (lower case, '_' as '-') to RSIT. */
static const struct {
	const char *name, *cls, *rsit;
} legacy_types[] = {
	{"login-attack", "intrusion-attempts", "brute-force"},
	{"brute-force", "intrusion-attempts", "brute-force"},
	{"bruteforce", "intrusion-attempts", "brute-force"},
	{"spam", "abusive-content", "spam"},
	{"phishing", "fraud", "phishing"},
	{"fraud", "fraud", "masquerade"},
	{"malware", "malicious-code", "malware-distribution"},
	{"malware-attack", "malicious-code", "infected-system"},
	{"botnet", "malicious-code", "infected-system"},
	{"bot", "malicious-code", "infected-system"},
	{"infected-host", "malicious-code", "infected-system"},
	{"port-scan", "information-gathering", "scanner"},
	{"portscan", "information-gathering", "scanner"},
	{"scan", "information-gathering", "scanner"},
	{"harvesting", "information-gathering", "scanner"},
	{"ddos", "availability", "ddos"},
	{"dos", "availability", "dos"},
	{"copyright", "fraud", "copyright"},
	{"hack-attack", "intrusion-attempts", "exploit"},
	{"web-attack", "intrusion-attempts", "exploit"},
	{"sql-injection", "intrusion-attempts", "exploit"},
	{"exploit", "intrusion-attempts", "exploit"},
};

/* Category, when the Report-Type is not known. */
static const struct {
	const char *name, *cls, *rsit;
} legacy_categories[] = {
	{"abuse", "other", "other"},
	{"fraud", "fraud", "masquerade"},
	{"malware", "malicious-code", "malware-distribution"},
	{"info", "information-gathering", "scanner"},
};

/* Remove the quotes of quoted YAML values ('...' or "..."). */
static void yaml_unquote(struct hblock *h)
{
	struct hfield *f;
	size_t i;

	for (i = 0; i < h->n; i++) {
		f = &h->f[i];
		if (f->vlen >= 2 && (f->val[0] == '"' || f->val[0] == '\'') &&
		    f->val[f->vlen - 1] == f->val[0]) {
			f->val++;
			f->vlen -= 2;
			f->val[f->vlen] = '\0';
		}
	}
}

/* The value of field name, or NULL. */
static const char *yval(const struct hblock *h, const char *name, size_t *n)
{
	const struct hfield *f = hb_get(h, name, 0);

	*n = f != NULL ? f->vlen : 0;
	return f != NULL ? f->val : NULL;
}

static void legacy_classify(struct cirt_feed_run *r, const char *rt,
			    const char *cat)
{
	size_t i;

	for (i = 0; i < CIRT_ARRAY_LEN(legacy_types); i++)
		if (strcmp(rt, legacy_types[i].name) == 0) {
			cirt_event_classify(&r->ev, legacy_types[i].cls,
					    legacy_types[i].rsit);
			return;
		}
	for (i = 0; i < CIRT_ARRAY_LEN(legacy_categories); i++)
		if (strcmp(cat, legacy_categories[i].name) == 0) {
			cirt_event_classify(&r->ev, legacy_categories[i].cls,
					    legacy_categories[i].rsit);
			return;
		}
}

/* Source, by its Source-Type when given (ipv4, ipv6, ip-address, uri,
 * url, domain), else by its form. */
static int legacy_source(struct cirt_feed_run *r, const struct hblock *h)
{
	const char *v, *t;
	size_t n, tn;
	char type[16];
	int rc;

	v = yval(h, "Source", &n);
	t = yval(h, "Source-Type", &tn);
	if (v == NULL || n == 0) {
		cirt_feed_bad(r->st, r->ev.line,
			      "Source: missing in the X-ARF report");
		return -1;
	}
	cirt_feed_norm_name(t != NULL ? t : "", tn, '_', '-', type,
			    sizeof(type));
	if (strncmp(type, "ip", 2) == 0)
		return cirt_feed_run_set(r, "source.ip", v, n);
	if (strcmp(type, "uri") == 0 || strcmp(type, "url") == 0)
		return cirt_feed_run_set(r, "source.url", v, n);
	if (strcmp(type, "domain") == 0)
		return cirt_feed_run_set(r, "source.fqdn", v, n);
	rc = cirt_feed_run_source(r, v, n);
	if (rc == 1)
		return cirt_feed_run_extra(r, "source", v, n);
	return rc;
}

/* The YAML fields that go to extra. */
static const struct {
	const char *field, *key;
} legacy_extra[] = {
	{"Reported-From", "reported_from"},
	{"Category", "category"},
	{"Report-Type", "report_type"},
	{"Report-ID", "report_id"},
	{"User-Agent", "user_agent"},
	{"Version", "xarf_version"},
	{"Service", "service"},
};

/* Fill r->ev from the YAML report h: 1 to emit it, 0 not (counted). */
static int legacy_map(struct cirt_feed_run *r, const struct hblock *h)
{
	char rt[32], cat[32];
	const char *v;
	size_t n, i;
	int64_t us;

	v = yval(h, "Report-Type", &n);
	cirt_feed_norm_name(v != NULL ? v : "", n, '_', '-', rt, sizeof(rt));
	v = yval(h, "Category", &n);
	cirt_feed_norm_name(v != NULL ? v : "", n, '_', '-', cat, sizeof(cat));
	if (rt[0] == '\0' && cat[0] == '\0') {
		cirt_feed_bad(r->st, r->ev.line,
			      "Report-Type: missing in the X-ARF report");
		return 0;
	}
	legacy_classify(r, rt, cat);
	snprintf(r->ev.identifier, sizeof(r->ev.identifier), "%s%s%s", cat,
		 cat[0] != '\0' && rt[0] != '\0' ? "/" : "", rt);
	if (legacy_source(r, h) < 0)
		return 0;
	v = yval(h, "Port", &n);
	if (v != NULL && cirt_feed_run_set(r, "source.port", v, n) < 0)
		return 0;
	v = yval(h, "Service", &n);
	if (v != NULL && cirt_feed_run_set(r, "protocol.application", v, n) < 0)
		return 0;
	v = yval(h, "Date", &n);
	if (v != NULL && n > 0) {
		if (parse_date(v, n, &us) < 0) {
			cirt_feed_bad(r->st, r->ev.line,
				      "Date: \"%.60s\" is not a date", v);
			return 0;
		}
		r->ev.time_source = us;
	}
	for (i = 0; i < CIRT_ARRAY_LEN(legacy_extra); i++) {
		v = yval(h, legacy_extra[i].field, &n);
		if (v != NULL &&
		    cirt_feed_run_extra(r, legacy_extra[i].key, v, n) < 0)
			return 0;
	}
	return 1;
}

/* The report part: the one named report.txt, else the second part (the
 * first when there is only one). */
static GMimeObject *legacy_part(const struct parts *ps)
{
	const char *name;
	size_t i;

	for (i = 0; i < ps->nleaf; i++) {
		name = g_mime_part_get_filename((GMimePart *)ps->leaf[i]);
		if (name != NULL && strcasecmp(name, "report.txt") == 0)
			return ps->leaf[i];
	}
	if (ps->nleaf >= 2)
		return ps->leaf[1];
	return ps->nleaf == 1 ? ps->leaf[0] : NULL;
}

static int legacy(struct cirt_feed_run *r, const struct parts *ps,
		  const char *m, size_t n)
{
	GMimeObject *part = legacy_part(ps);
	struct hblock h;
	char *body;
	size_t blen;
	int rc = 0;

	body = part != NULL ? part_content(part, &blen) : NULL;
	if (body == NULL) {
		cirt_feed_bad(r->st, r->ev.line,
			      "X-ARF: no report part (report.txt, the "
			      "second part)");
		return 0;
	}
	if (first_byte(body, blen) == '{') {
		rc = cirt_feed_xarf_json(r, body, blen, m, n, 1);
		free(body);
		return rc;
	}
	if (hb_parse(&h, body, blen, true) < 0) {
		cirt_feed_bad(r->st, r->ev.line,
			      "X-ARF report: more than %d fields", HB_FIELDS);
	} else {
		yaml_unquote(&h);
		if (legacy_map(r, &h) == 1)
			rc = cirt_feed_run_emit(r, m, n);
	}
	hb_release(&h);
	free(body);
	return rc;
}

/* ---- X-ARF v4 JSON in a message ---- */

static bool json_part(GMimeObject *o)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	const char *name = g_mime_part_get_filename((GMimePart *)o);
	const char *sub =
		ct != NULL ? g_mime_content_type_get_media_subtype(ct) : NULL;
	size_t n;

	if (sub != NULL &&
	    (strcasecmp(sub, "json") == 0 ||
	     ((n = strlen(sub)) > 5 && strcasecmp(sub + n - 5, "+json") == 0)))
		return true;
	return name != NULL && (n = strlen(name)) > 5 &&
	       strcasecmp(name + n - 5, ".json") == 0;
}

/* The first JSON part, or text part that is an X-ARF JSON report. */
static int json_parts(struct cirt_feed_run *r, const struct parts *ps,
		      const char *m, size_t n)
{
	char *body;
	size_t i, blen;
	bool json;
	int rc;

	for (i = 0; i < ps->nleaf; i++) {
		json = json_part(ps->leaf[i]);
		if (!json && !is_type(ps->leaf[i], "text", "*"))
			continue;
		body = part_content(ps->leaf[i], &blen);
		if (body == NULL)
			continue;
		if (json ||
		    (first_byte(body, blen) == '{' &&
		     (cirt_feed_contains(body, blen, "\"xarf_version\"") ||
		      cirt_feed_contains(body, blen, "\"ReporterInfo\"")))) {
			rc = cirt_feed_xarf_json(r, body, blen, m, n, 1);
			free(body);
			return rc;
		}
		free(body);
	}
	cirt_feed_bad(r->st, r->ev.line,
		      "not an abuse report: no message/feedback-report part "
		      "(ARF), no X-XARF header, no X-ARF JSON part");
	return 0;
}

/* ---- one message ---- */

static bool legacy_header(GMimeMessage *msg)
{
	return g_mime_object_get_header((GMimeObject *)msg, "X-XARF") != NULL ||
	       g_mime_object_get_header((GMimeObject *)msg, "X-ARF") != NULL;
}

/* One e-mail message m[0..n): one record. */
static int mail_message(struct cirt_feed_run *r, const char *m, size_t n)
{
	GMimeMessage *msg;
	struct parts ps;
	const char *why;
	int rc = 0;

	r->st->records++;
	cirt_feed_rec_begin(r, 1);
	if (first_byte(m, n) == '\0') {
		cirt_feed_bad(r->st, 1, "empty input: no e-mail message");
		return 0;
	}
	why = over_budget(m, n);
	if (why != NULL) {
		cirt_feed_bad(r->st, 1, "too many %s", why);
		return 0;
	}
	msg = parse_message(m, n);
	if (msg == NULL) {
		cirt_feed_bad(r->st, 1, "not an e-mail message (no header)");
		return 0;
	}
	memset(&ps, 0, sizeof(ps));
	walk(g_mime_message_get_mime_part(msg), 0, &ps);
	if (ps.deep || ps.count > MIME_PARTS_MAX)
		cirt_feed_bad(r->st, 1,
			      "MIME parts nested more than %d deep or more "
			      "than %d of them",
			      MIME_DEPTH_MAX, MIME_PARTS_MAX);
	else if (ps.report != NULL)
		rc = arf(r, &ps, m, n);
	else if (legacy_header(msg))
		rc = legacy(r, &ps, m, n);
	else
		rc = json_parts(r, &ps, m, n);
	g_object_unref(msg);
	return rc;
}

int cirt_feed_mail_input(struct cirt_feed_run *r, const char *head,
			 size_t head_len)
{
	struct cirt_buf b;
	int rc;

	rc = read_all(r, head, head_len, &b);
	if (rc == 1) {
		r->st->records++;
		cirt_feed_bad(r->st, 1,
			      "message longer than %zu bytes (parser "
			      "option max=)",
			      r->max);
		rc = 0;
	} else if (rc == 0) {
		rc = mail_message(r, cirt_buf_str(&b), b.len);
	}
	cirt_buf_release(&b);
	return rc;
}

static int arf_run(const struct cirt_feed_src *src, cirt_emit_fn emit,
		   void *arg, struct cirt_feed_stats *st, struct cirt_diag *d)
{
	struct cirt_feed_run r;
	int rc;

	cirt_feed_run_init(&r, src, emit, arg, st, d);
	rc = cirt_feed_run_max(&r, CIRT_FEED_MAIL_MAX);
	if (rc == 0)
		rc = cirt_feed_mail_input(&r, NULL, 0);
	cirt_feed_run_release(&r);
	return rc;
}

const struct cirt_parser cirt_parser_arf = {
	"arf",
	"an abuse e-mail: ARF (RFC 5965), legacy X-ARF or X-ARF v4 JSON",
	arf_run,
};
