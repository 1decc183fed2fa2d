/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The normalised event (event.h): setting fields by name from text, and
 * the extra members built as JSON text. This is on the hot path of every
 * feed (once per column of every record), so nothing here allocates
 * except extra's buffer, which is kept between records.
 *
 * Times: feeds write them many ways. Accepted: RFC 3339 with Z or a
 * numeric offset, the same with a space for the T, without a zone (UTC is
 * assumed: Shadowserver, abuse.ch and Spamhaus all write UTC), a bare
 * date, and Unix seconds. Everything goes through the one RFC 3339 parser
 * (core/time.h) after it is rewritten to its UTC form.
 */
#include "feed/event.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/parse.h"
#include "core/text.h"
#include "core/time.h"

#include "core/banned.h"

const char *const cirt_event_fields[] = {
	"time.source",
	"source.ip",
	"source.network",
	"source.port",
	"source.asn",
	"source.geolocation.cc",
	"source.fqdn",
	"source.url",
	"destination.ip",
	"destination.network",
	"destination.port",
	"destination.asn",
	"destination.geolocation.cc",
	"destination.fqdn",
	"protocol.transport",
	"protocol.application",
	"classification.taxonomy",
	"classification.type",
	"classification.identifier",
	"malware.name",
	"extra.*",
	"__IGNORE__",
	NULL,
};

static void end_reset(struct cirt_event_end *e)
{
	memset(e, 0, sizeof *e);
	e->port = -1;
}

void cirt_event_init(struct cirt_event *ev)
{
	memset(ev, 0, sizeof *ev);
	cirt_buf_init(&ev->extra, CIRT_EVENT_EXTRA_MAX);
	cirt_event_reset(ev);
}

void cirt_event_release(struct cirt_event *ev)
{
	cirt_buf_release(&ev->extra);
}

void cirt_event_reset(struct cirt_event *ev)
{
	struct cirt_buf extra = ev->extra;

	ev->time_source = 0;
	ev->time_observation = 0;
	end_reset(&ev->src);
	end_reset(&ev->dst);
	ev->url[0] = '\0';
	ev->transport[0] = '\0';
	ev->application[0] = '\0';
	ev->cls[0] = '\0';
	ev->type[0] = '\0';
	ev->identifier[0] = '\0';
	ev->malware[0] = '\0';
	ev->raw = NULL;
	ev->raw_len = 0;
	ev->tlp = -1;
	ev->line = 0;
	ev->constituent = 0;
	ev->route[0] = '\0';
	extra.len = 0;
	if (extra.data)
		extra.data[0] = '\0';
	ev->extra = extra;
}

void cirt_event_classify(struct cirt_event *ev, const char *cls,
			 const char *type)
{
	snprintf(ev->cls, sizeof ev->cls, "%s", cls ? cls : "");
	snprintf(ev->type, sizeof ev->type, "%s", type ? type : "");
}

/* Copy v[0..n) into out (size cap) if it fits and is clean text. */
static int copy_text(char *out, size_t cap, const char *v, size_t n, bool lower,
		     const char *field, struct cirt_diag *d)
{
	if (n >= cap)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "is longer than %zu bytes", cap - 1);
	if (cirt_text_check_line(v, n, 1, cap - 1, field, d) < 0)
		return -CIRT_EINVAL;
	for (size_t i = 0; i < n; i++)
		out[i] = lower ? (char)tolower((unsigned char)v[i]) : v[i];
	out[n] = '\0';
	return 0;
}

int cirt_event_parse_time(const char *s, size_t n, int64_t *us)
{
	char buf[CIRT_TIME_TEXT_MAX + 8];
	size_t len = 0;
	int64_t offset = 0;
	struct cirt_timestamp t;
	bool digits = n > 0;

	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			digits = false;
	if (digits) {
		int64_t sec;
		char num[24];

		if (n >= sizeof num)
			return -1;
		memcpy(num, s, n);
		num[n] = '\0';
		/* Unix seconds, up to the year 9999. */
		if (cirt_parse_i64(num, 0, 253402300799, &sec) < 0)
			return -1;
		*us = sec * 1000000;
		return 0;
	}
	if (n < 10 || n > CIRT_TIME_TEXT_MAX + 6)
		return -1;
	memcpy(buf, s, n);
	len = n;
	if (len == 10) {
		memcpy(buf + 10, "T00:00:00Z", 10);
		len = 20;
	} else {
		if (buf[10] == ' ')
			buf[10] = 'T';
		/* A numeric offset: +HH:MM, +HHMM, +HH. */
		for (size_t i = len; i > 19; i--) {
			char c = buf[i - 1];

			if (c == '+' || c == '-') {
				const char *o = buf + i;
				size_t olen = len - i;
				int h, m = 0;

				if (olen == 5 && o[2] == ':' &&
				    sscanf(o, "%2d:%2d", &h, &m) == 2) {
				} else if (olen == 4 &&
					   sscanf(o, "%2d%2d", &h, &m) == 2) {
				} else if (olen == 2 &&
					   sscanf(o, "%2d", &h) == 1) {
				} else {
					return -1;
				}
				if (h > 23 || m > 59)
					return -1;
				offset = (int64_t)(h * 60 + m) * 60 * 1000000;
				if (c == '-')
					offset = -offset;
				len = i - 1;
				break;
			}
		}
		if (len > 0 && (buf[len - 1] == 'z'))
			buf[len - 1] = 'Z';
		if (len > 0 && buf[len - 1] != 'Z')
			buf[len++] = 'Z';
	}
	if (cirt_time_parse(buf, len, &t, NULL) < 0)
		return -1;
	*us = t.us - offset;
	return 0;
}

static int set_port(int32_t *out, const char *v, size_t n, const char *field,
		    struct cirt_diag *d)
{
	char num[8];
	int64_t p;

	if (n >= sizeof num)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "is not a port number");
	memcpy(num, v, n);
	num[n] = '\0';
	if (cirt_parse_i64(num, 0, 65535, &p) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "is not a port number (0 to 65535): "
				     "\"%s\"",
				     num);
	*out = (int32_t)p;
	return 0;
}

static int set_asn(int64_t *out, const char *v, size_t n, const char *field,
		   struct cirt_diag *d)
{
	char num[16];
	int64_t a;

	if (n >= 2 && (v[0] == 'A' || v[0] == 'a') &&
	    (v[1] == 'S' || v[1] == 's')) {
		v += 2;
		n -= 2;
	}
	if (n == 0 || n >= sizeof num)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "is not an AS number");
	memcpy(num, v, n);
	num[n] = '\0';
	if (cirt_parse_i64(num, 0, 4294967295, &a) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "is not an AS number: \"%s\"", num);
	*out = a;
	return 0;
}

static int set_cc(char out[3], const char *v, size_t n, const char *field,
		  struct cirt_diag *d)
{
	if (n != 2 || !isalpha((unsigned char)v[0]) ||
	    !isalpha((unsigned char)v[1]))
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "is not a two-letter country code");
	out[0] = (char)toupper((unsigned char)v[0]);
	out[1] = (char)toupper((unsigned char)v[1]);
	out[2] = '\0';
	return 0;
}

static int set_fqdn(char *out, const char *v, size_t n, const char *field,
		    struct cirt_diag *d)
{
	if (n > 0 && v[n - 1] == '.')
		n--;
	if (n == 0)
		return 0;
	if (n > CIRT_EVENT_FQDN_MAX)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "is longer than 253 bytes");
	return copy_text(out, CIRT_EVENT_FQDN_MAX + 1, v, n, true, field, d);
}

static int set_end(struct cirt_event_end *e, const char *what, const char *v,
		   size_t n, const char *field, struct cirt_diag *d)
{
	if (strcmp(what, "ip") == 0 || strcmp(what, "network") == 0) {
		/* An address, or for a network a prefix (host bits
		 * cleared: feeds write "198.51.100.7/24"). */
		if (cirt_ip_parse(v, n, what[0] == 'n', true, &e->ip, field,
				  d) < 0)
			return -CIRT_EINVAL;
		e->has_ip = true;
		return 0;
	}
	if (strcmp(what, "port") == 0)
		return set_port(&e->port, v, n, field, d);
	if (strcmp(what, "asn") == 0)
		return set_asn(&e->asn, v, n, field, d);
	if (strcmp(what, "geolocation.cc") == 0)
		return set_cc(e->cc, v, n, field, d);
	if (strcmp(what, "fqdn") == 0)
		return set_fqdn(e->fqdn, v, n, field, d);
	return cirt_diag_set(d, -CIRT_EINVAL, field, "is not an event field");
}

int cirt_event_set(struct cirt_event *ev, const char *name, const char *v,
		   size_t n, struct cirt_diag *d)
{
	cirt_text_trim(&v, &n);
	if (n == 0 || strcmp(name, "__IGNORE__") == 0)
		return 0;
	if (strncmp(name, "extra.", 6) == 0) {
		if (cirt_event_extra(ev, name + 6, v, n) < 0)
			return cirt_diag_set(d, -CIRT_ELIMIT, name,
					     "makes extra longer than %d "
					     "bytes",
					     CIRT_EVENT_EXTRA_MAX);
		return 0;
	}
	if (strcmp(name, "source.url") == 0) {
		if (n > CIRT_EVENT_URL_MAX)
			return cirt_diag_set(d, -CIRT_EINVAL, name,
					     "is longer than %d bytes",
					     CIRT_EVENT_URL_MAX);
		return copy_text(ev->url, sizeof ev->url, v, n, false, name, d);
	}
	if (strncmp(name, "source.", 7) == 0)
		return set_end(&ev->src, name + 7, v, n, name, d);
	if (strncmp(name, "destination.", 12) == 0)
		return set_end(&ev->dst, name + 12, v, n, name, d);
	if (strcmp(name, "time.source") == 0) {
		if (cirt_event_parse_time(v, n, &ev->time_source) < 0)
			return cirt_diag_set(d, -CIRT_EINVAL, name,
					     "is not a time: \"%.*s\"",
					     (int)(n > 40 ? 40 : n), v);
		return 0;
	}
	if (strcmp(name, "protocol.transport") == 0)
		return copy_text(ev->transport, sizeof ev->transport, v, n,
				 true, name, d);
	if (strcmp(name, "protocol.application") == 0)
		return copy_text(ev->application, sizeof ev->application, v, n,
				 true, name, d);
	if (strcmp(name, "classification.taxonomy") == 0)
		return copy_text(ev->cls, sizeof ev->cls, v, n, true, name, d);
	if (strcmp(name, "classification.type") == 0)
		return copy_text(ev->type, sizeof ev->type, v, n, true, name,
				 d);
	if (strcmp(name, "classification.identifier") == 0)
		return copy_text(ev->identifier, sizeof ev->identifier, v, n,
				 false, name, d);
	if (strcmp(name, "malware.name") == 0)
		return copy_text(ev->malware, sizeof ev->malware, v, n, true,
				 name, d);
	return cirt_diag_set(d, -CIRT_EINVAL, name,
			     "is not an event field (see docs/feeds.md)");
}

/* Append s[0..n) as the inside of a JSON string: escapes, and U+FFFD for
 * bytes that are not UTF-8. */
static int add_escaped(struct cirt_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;

	while (i < n) {
		size_t run = i;
		unsigned char c;

		while (run < n && (unsigned char)s[run] >= 0x20 &&
		       (unsigned char)s[run] < 0x80 && s[run] != '"' &&
		       s[run] != '\\')
			run++;
		if (run > i && cirt_buf_add(b, s + i, run - i) < 0)
			return -CIRT_ELIMIT;
		i = run;
		if (i >= n)
			break;
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			if (cirt_buf_add(b, e, 2) < 0)
				return -CIRT_ELIMIT;
			i++;
		} else if (c < 0x20) {
			char e[6] = {'\\', 'u',		'0',
				     '0',  hex[c >> 4], hex[c & 15]};
			if (cirt_buf_add(b, e, 6) < 0)
				return -CIRT_ELIMIT;
			i++;
		} else {
			size_t bad = 0, len = 1;

			/* One UTF-8 sequence: its length from the lead. */
			if (c >= 0xf0)
				len = 4;
			else if (c >= 0xe0)
				len = 3;
			else if (c >= 0xc0)
				len = 2;
			if (i + len <= n && c >= 0xc0 &&
			    cirt_utf8_valid(s + i, len, &bad)) {
				if (cirt_buf_add(b, s + i, len) < 0)
					return -CIRT_ELIMIT;
				i += len;
			} else {
				if (cirt_buf_adds(b, "\xef\xbf\xbd") < 0)
					return -CIRT_ELIMIT;
				i++;
			}
		}
	}
	return 0;
}

static int add_key(struct cirt_event *ev, const char *name)
{
	if (ev->extra.len > 0 && cirt_buf_add(&ev->extra, ",", 1) < 0)
		return -CIRT_ELIMIT;
	if (cirt_buf_add(&ev->extra, "\"", 1) < 0 ||
	    add_escaped(&ev->extra, name, strlen(name)) < 0 ||
	    cirt_buf_add(&ev->extra, "\":", 2) < 0)
		return -CIRT_ELIMIT;
	return 0;
}

/* True if s[0..n) needs no escaping in a JSON string. */
static bool plain(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			return false;
	}
	return true;
}

int cirt_event_extra(struct cirt_event *ev, const char *name, const char *v,
		     size_t n)
{
	size_t kl = strlen(name);

	if (n == 0)
		return 0;
	/* The common case, plain ASCII: one append. */
	if (kl + n + 8 <= 512 && plain(name, kl) && plain(v, n)) {
		char tmp[512];
		size_t at = 0;

		if (ev->extra.len > 0)
			tmp[at++] = ',';
		tmp[at++] = '"';
		memcpy(tmp + at, name, kl);
		at += kl;
		memcpy(tmp + at, "\":\"", 3);
		at += 3;
		memcpy(tmp + at, v, n);
		at += n;
		tmp[at++] = '"';
		return cirt_buf_add(&ev->extra, tmp, at) < 0 ? -CIRT_ELIMIT : 0;
	}
	if (add_key(ev, name) < 0 || cirt_buf_add(&ev->extra, "\"", 1) < 0 ||
	    add_escaped(&ev->extra, v, n) < 0 ||
	    cirt_buf_add(&ev->extra, "\"", 1) < 0)
		return -CIRT_ELIMIT;
	return 0;
}

int cirt_event_extra_int(struct cirt_event *ev, const char *name, int64_t v)
{
	if (add_key(ev, name) < 0 ||
	    cirt_buf_addf(&ev->extra, "%lld", (long long)v) < 0)
		return -CIRT_ELIMIT;
	return 0;
}
