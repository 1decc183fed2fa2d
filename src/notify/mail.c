/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Building a notification message by hand and sending it with libcurl's
 * SMTP. See notify/mail.h for the contracts.
 *
 * Why by hand rather than with GMime: the output is small and fixed in
 * shape (a text, at most one attachment), and writing it directly keeps
 * CRLF line ends, folding and the 998-byte line limit under this file's
 * control without stream filters; the unit tests parse every message
 * back with GMime. Every field is checked before a byte is written, the
 * message goes into a private buffer capped at what is left under out's
 * ceiling, and it is appended to out only when whole.
 *
 * Encodings: the text is quoted-printable (lines of at most 76 bytes,
 * '=' soft breaks, trailing white space and a leading '.' encoded); the
 * attachment is base64 in lines of 76; a Subject or display name that is
 * not plain ASCII, holds "=?" or cannot be folded is written as RFC 2047
 * "B" encoded words of at most 36 bytes of UTF-8 each (never splitting a
 * character); a file name that is not a plain token is written as an
 * RFC 2231 filename*=UTF-8''... parameter. The multipart boundary starts
 * with "=_", which neither encoding can produce.
 */
#include "notify/mail.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "core/crypto.h"
#include "core/text.h"
#include "core/time.h"
#include "core/uuid.h"
#include "core/banned.h"

#define LINE_SOFT	   78 /* header folding column */
#define QP_LINE		   76 /* quoted-printable line, '=' included */
#define B64_LINE	   76
#define WORD_BYTES	   36 /* UTF-8 bytes per encoded word: 48 base64 */
#define FILENAME_MAX_BYTES 100
#define MIME_TYPE_MAX	   200
#define LANG_MAX	   35
#define URL_MAX		   2048
#define REPLY_MAX	   400 /* bytes of a server reply kept for messages */

/* ---- checks ---- */

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* RFC 5322 atext. */
static bool is_atext(char c)
{
	return is_alnum(c) ||
	       (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static int check_addr(const char *s, const char *field, struct cirt_diag *d)
{
	if (s == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, field, "%s is required",
				     field);
	if (!cirt_email_valid(s))
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s is not an e-mail address this "
				     "program sends to (local@domain.tld)",
				     field);
	return 0;
}

/* A header value: UTF-8, one line, no control characters but TAB. */
static int check_value(const char *s, const char *field, struct cirt_diag *d)
{
	size_t n = strlen(s);

	if (strchr(s, '\r') != NULL || strchr(s, '\n') != NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s must not contain CR or LF", field);
	if (n > CIRT_MAIL_VALUE_MAX)
		return cirt_diag_set(d, -CIRT_ELIMIT, field,
				     "%s is longer than %d bytes", field,
				     CIRT_MAIL_VALUE_MAX);
	if (!cirt_utf8_valid(s, n, NULL))
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s is not valid UTF-8", field);
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f)
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "%s contains a control character",
					     field);
	return 0;
}

static bool is_ascii_line(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* Headers this file writes, which extra headers may not repeat. */
static const char *const own_headers[] = {
	"from",		"to",
	"cc",		"bcc",
	"reply-to",	"subject",
	"date",		"message-id",
	"mime-version", "auto-submitted",
	"sender",	"return-path",
	NULL,
};

static int check_extra(const struct cirt_mail_header *h, size_t i,
		       struct cirt_diag *d)
{
	char f[64];
	size_t n;

	snprintf(f, sizeof(f), "headers[%zu].name", i);
	n = h->name != NULL ? strlen(h->name) : 0;
	if (n == 0 || n > 76)
		return cirt_diag_set(d, -CIRT_EINVAL, f,
				     "%s must have 1 to 76 characters", f);
	for (size_t k = 0; k < n; k++)
		if (h->name[k] <= 32 || h->name[k] >= 127 || h->name[k] == ':')
			return cirt_diag_set(d, -CIRT_EINVAL, f,
					     "%s may hold printable ASCII "
					     "but ':' only",
					     f);
	for (size_t k = 0; own_headers[k] != NULL; k++)
		if (strcasecmp(h->name, own_headers[k]) == 0 ||
		    strncasecmp(h->name, "content-", 8) == 0)
			return cirt_diag_set(d, -CIRT_EINVAL, f,
					     "%s names a header the message "
					     "has already",
					     f);
	snprintf(f, sizeof(f), "headers[%zu].value", i);
	if (h->value == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, f, "%s is required", f);
	n = strlen(h->value);
	if (strchr(h->value, '\r') != NULL || strchr(h->value, '\n') != NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, f,
				     "%s must not contain CR or LF", f);
	if (n > CIRT_MAIL_VALUE_MAX)
		return cirt_diag_set(d, -CIRT_ELIMIT, f,
				     "%s is longer than %d bytes", f,
				     CIRT_MAIL_VALUE_MAX);
	for (size_t k = 0; k < n; k++)
		if (((unsigned char)h->value[k] < 0x20 &&
		     h->value[k] != '\t') ||
		    (unsigned char)h->value[k] > 0x7e)
			return cirt_diag_set(d, -CIRT_EINVAL, f,
					     "%s may hold printable ASCII "
					     "only",
					     f);
	return 0;
}

/* "<left@right>" with atext, dots and one '@' inside. */
static bool msgid_ok(const char *s)
{
	size_t n = strlen(s), ats = 0;

	if (n < 5 || n > CIRT_MAIL_MSGID_MAX || s[0] != '<' || s[n - 1] != '>')
		return false;
	for (size_t i = 1; i + 1 < n; i++) {
		if (s[i] == '@')
			ats++;
		else if (s[i] != '.' && !is_atext(s[i]))
			return false;
	}
	return ats == 1 && s[1] != '@' && s[n - 2] != '@';
}

static int check_attachment(const struct cirt_mail_attachment *a,
			    struct cirt_diag *d)
{
	const char *fn = a->filename, *mt = a->mime_type;
	size_t n = fn != NULL ? strlen(fn) : 0;

	if (n == 0 || n > FILENAME_MAX_BYTES || !cirt_utf8_valid(fn, n, NULL))
		return cirt_diag_set(d, -CIRT_EINVAL, "attachment.filename",
				     "attachment.filename must be 1 to %d "
				     "bytes of UTF-8",
				     FILENAME_MAX_BYTES);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)fn[i] < 0x20 || fn[i] == 0x7f ||
		    fn[i] == '/' || fn[i] == '\\')
			return cirt_diag_set(d, -CIRT_EINVAL,
					     "attachment.filename",
					     "attachment.filename must be a "
					     "file name without control "
					     "characters or slashes");
	if (mt == NULL || strlen(mt) > MIME_TYPE_MAX || !is_ascii_line(mt) ||
	    strchr(mt, '/') == NULL || mt[0] == '/')
		return cirt_diag_set(d, -CIRT_EINVAL, "attachment.mime_type",
				     "attachment.mime_type must be a MIME "
				     "type such as text/csv");
	if (a->len > 0 && a->data == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, "attachment.data",
				     "attachment.data is missing");
	return 0;
}

static int check_lang(const char *s, struct cirt_diag *d)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		if (!is_alnum(s[i]) && (s[i] != '-' || i == 0))
			n = 0;
	if (n == 0 || n > LANG_MAX)
		return cirt_diag_set(d, -CIRT_EINVAL, "lang",
				     "lang must be a language tag such as fr "
				     "or zh-Hans");
	return 0;
}

static int check_list(const char *const *list, size_t n, const char *name,
		      struct cirt_diag *d)
{
	char f[32];
	int rc = 0;

	if (n > 0 && list == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, name, "%s is missing",
				     name);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		snprintf(f, sizeof(f), "%s[%zu]", name, i);
		rc = check_addr(list[i], f, d);
	}
	return rc;
}

static int check_msg(const struct cirt_mail_msg *m, struct cirt_diag *d)
{
	int rc = check_addr(m->from, "from", d);

	if (rc == 0 && m->nto == 0)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "to",
				   "a message needs a recipient");
	if (rc == 0 && m->nto + m->ncc > CIRT_MAIL_MAX_RCPT)
		rc = cirt_diag_set(d, -CIRT_ELIMIT, "to",
				   "%zu recipients are more than %d",
				   m->nto + m->ncc, CIRT_MAIL_MAX_RCPT);
	if (rc == 0)
		rc = check_list(m->to, m->nto, "to", d);
	if (rc == 0)
		rc = check_list(m->cc, m->ncc, "cc", d);
	if (rc == 0 && m->reply_to != NULL)
		rc = check_addr(m->reply_to, "reply_to", d);
	if (rc == 0 && m->from_name != NULL)
		rc = check_value(m->from_name, "from_name", d);
	if (rc == 0 && m->subject == NULL)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "subject",
				   "subject is required");
	if (rc == 0)
		rc = check_value(m->subject, "subject", d);
	if (rc == 0 && m->body == NULL)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "body", "body is required");
	if (rc == 0 && !cirt_utf8_valid(m->body, strlen(m->body), NULL))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "body",
				   "body is not valid UTF-8");
	if (rc == 0 && m->lang != NULL)
		rc = check_lang(m->lang, d);
	if (rc == 0 && m->message_id != NULL && !msgid_ok(m->message_id))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "message_id",
				   "message_id must look like <left@right>");
	if (rc == 0 && m->attachment != NULL)
		rc = check_attachment(m->attachment, d);
	if (rc == 0 && m->nheaders > CIRT_MAIL_MAX_HEADERS)
		rc = cirt_diag_set(d, -CIRT_ELIMIT, "headers",
				   "%zu extra headers are more than %d",
				   m->nheaders, CIRT_MAIL_MAX_HEADERS);
	if (rc == 0 && m->nheaders > 0 && m->headers == NULL)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "headers",
				   "headers is missing");
	for (size_t i = 0; rc == 0 && i < m->nheaders; i++)
		rc = check_extra(&m->headers[i], i, d);
	return rc;
}

/* ---- encodings ---- */

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of p[0..n) on one line (no line breaks). */
static int b64_add(struct cirt_buf *b, const unsigned char *p, size_t n)
{
	char q[4];
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n; i += 3) {
		uint32_t w = (uint32_t)p[i] << 16;

		if (i + 1 < n)
			w |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			w |= p[i + 2];
		q[0] = b64[w >> 18 & 63];
		q[1] = b64[w >> 12 & 63];
		q[2] = i + 1 < n ? b64[w >> 6 & 63] : '=';
		q[3] = i + 2 < n ? b64[w & 63] : '=';
		rc = cirt_buf_add(b, q, 4);
	}
	return rc;
}

/* Base64 in lines of B64_LINE characters, each ended by CRLF. */
static int b64_lines(struct cirt_buf *b, const unsigned char *p, size_t n)
{
	const size_t chunk = B64_LINE / 4 * 3;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n; i += chunk) {
		rc = b64_add(b, p + i, CIRT_MIN(chunk, n - i));
		if (rc == 0)
			rc = cirt_buf_add(b, "\r\n", 2);
	}
	return rc;
}

/* Quoted-printable (RFC 2045 6.7) of the text s, LF or CRLF line ends
 * becoming CRLF; ends with CRLF. */
static int qp_add(struct cirt_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	int rc = 0;

	for (; rc == 0 && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		bool eol = s[1] == '\0' || s[1] == '\n' ||
			   (s[1] == '\r' && s[2] == '\n');
		bool enc;
		char e[3];

		if (c == '\r' && s[1] == '\n')
			continue;
		if (c == '\n') {
			rc = cirt_buf_add(b, "\r\n", 2);
			col = 0;
			continue;
		}
		enc = c == '=' || c > 126 || (c < 32 && c != '\t') ||
		      ((c == ' ' || c == '\t') && eol) ||
		      (c == '.' && col == 0);
		if (col + (enc ? 3 : 1) > QP_LINE - 1) {
			rc = cirt_buf_add(b, "=\r\n", 3);
			col = 0;
		}
		e[0] = '=';
		e[1] = hex[c >> 4];
		e[2] = hex[c & 15];
		if (rc == 0)
			rc = enc ? cirt_buf_add(b, e, 3)
				 : cirt_buf_add(b, s, 1);
		col += enc ? 3 : 1;
	}
	if (rc == 0 && col > 0)
		rc = cirt_buf_add(b, "\r\n", 2);
	return rc;
}

/* RFC 2047 "B" encoded words for s, folded; *col is the column the
 * first starts at and becomes the column after the last. */
static int words_add(struct cirt_buf *b, const char *s, size_t *col)
{
	size_t n = strlen(s);
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n;) {
		size_t k = CIRT_MIN((size_t)WORD_BYTES, n - i), k3;

		/* Never split a UTF-8 sequence. */
		while (i + k < n && ((unsigned char)s[i + k] & 0xc0) == 0x80)
			k--;
		/* And prefer a multiple of 3 bytes: no '=' padding inside
		 * a run of words, which decoders that join adjacent words
		 * before decoding (GMime) would stop at. */
		for (k3 = k; i + k3 < n && k3 > 0; k3--)
			if (k3 % 3 == 0 &&
			    ((unsigned char)s[i + k3] & 0xc0) != 0x80)
				break;
		if (k3 > 0 && i + k < n)
			k = k3;
		if (i > 0) {
			rc = cirt_buf_add(b, "\r\n ", 3);
			*col = 1;
		}
		if (rc == 0)
			rc = cirt_buf_adds(b, "=?UTF-8?B?");
		if (rc == 0)
			rc = b64_add(b, (const unsigned char *)s + i, k);
		if (rc == 0)
			rc = cirt_buf_adds(b, "?=");
		*col += 12 + (k + 2) / 3 * 4;
		i += k;
	}
	return rc;
}

/* True if s can be written as it is and folded at its spaces: printable
 * ASCII, no "=?", no word too long for a line. */
static bool foldable(const char *s, size_t first_col)
{
	size_t word = first_col;

	if (!is_ascii_line(s) || strstr(s, "=?") != NULL)
		return false;
	for (; *s != '\0'; s++) {
		word = *s == ' ' ? 1 : word + 1;
		if (word > LINE_SOFT)
			return false;
	}
	return true;
}

/* "Name: text" folded at spaces, or as encoded words. */
static int text_header(struct cirt_buf *b, const char *name, const char *s)
{
	size_t col = strlen(name) + 2;
	int rc = cirt_buf_addf(b, "%s: ", name);

	if (rc == 0 && !foldable(s, col)) {
		rc = words_add(b, s, &col);
		return rc == 0 ? cirt_buf_add(b, "\r\n", 2) : rc;
	}
	while (rc == 0 && *s != '\0') {
		const char *sp = strchr(s + 1, ' ');
		size_t n = sp != NULL ? (size_t)(sp - s) : strlen(s);

		if (*s == ' ' && col + n > LINE_SOFT) {
			rc = cirt_buf_add(b, "\r\n", 2);
			col = 0;
		}
		if (rc == 0)
			rc = cirt_buf_add(b, s, n);
		col += n;
		s += n;
	}
	return rc == 0 ? cirt_buf_add(b, "\r\n", 2) : rc;
}

/* The display name as a quoted string or encoded words. */
static int phrase_add(struct cirt_buf *b, const char *s, size_t *col)
{
	int rc;

	if (!is_ascii_line(s) || strstr(s, "=?") != NULL ||
	    *col + strlen(s) + 2 > LINE_SOFT)
		return words_add(b, s, col);
	rc = cirt_buf_add(b, "\"", 1);
	for (; rc == 0 && *s != '\0'; s++) {
		if (*s == '"' || *s == '\\') {
			rc = cirt_buf_add(b, "\\", 1);
			(*col)++;
		}
		if (rc == 0)
			rc = cirt_buf_add(b, s, 1);
		(*col)++;
	}
	*col += 2;
	return rc == 0 ? cirt_buf_add(b, "\"", 1) : rc;
}

static int from_header(struct cirt_buf *b, const struct cirt_mail_msg *m)
{
	size_t col = 6;
	int rc = cirt_buf_adds(b, "From: ");

	if (m->from_name == NULL || m->from_name[0] == '\0')
		return rc == 0 ? cirt_buf_addf(b, "%s\r\n", m->from) : rc;
	if (rc == 0)
		rc = phrase_add(b, m->from_name, &col);
	if (rc == 0 && col + strlen(m->from) + 3 > LINE_SOFT)
		rc = cirt_buf_add(b, "\r\n", 2);
	return rc == 0 ? cirt_buf_addf(b, " <%s>\r\n", m->from) : rc;
}

/* "Name: a, b, ..." folded between addresses. */
static int list_header(struct cirt_buf *b, const char *name,
		       const char *const *list, size_t n)
{
	size_t col = strlen(name) + 1;
	int rc = cirt_buf_addf(b, "%s:", name);

	for (size_t i = 0; rc == 0 && i < n; i++) {
		size_t len = strlen(list[i]);

		if (i > 0)
			rc = cirt_buf_add(b, ",", 1);
		col += i > 0;
		if (rc == 0 && i > 0 && col + 1 + len > LINE_SOFT) {
			rc = cirt_buf_add(b, "\r\n", 2);
			col = 0;
		}
		if (rc == 0)
			rc = cirt_buf_addf(b, " %s", list[i]);
		col += 1 + len;
	}
	return rc == 0 ? cirt_buf_add(b, "\r\n", 2) : rc;
}

static int date_header(struct cirt_buf *b, int64_t us)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed",
					   "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
					     "May", "Jun", "Jul", "Aug",
					     "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)(us / CIRT_US_PER_SEC);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    tm.tm_mon < 0 || tm.tm_mon > 11)
		return -CIRT_EINVAL;
	return cirt_buf_addf(
		b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
		days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* A plain RFC 2045 token, safe in a quoted string too. */
static bool is_token(const char *s)
{
	for (; *s != '\0'; s++)
		if (!is_alnum(*s) && strchr("!#$%&'*+-.^_`|~", *s) == NULL)
			return false;
	return true;
}

/* filename="x" for a token, filename*=UTF-8''%xx... otherwise. */
static int filename_param(struct cirt_buf *b, const char *name, const char *fn)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc;

	if (is_token(fn))
		return cirt_buf_addf(b, ";\r\n %s=\"%s\"", name, fn);
	rc = cirt_buf_addf(b, ";\r\n %s*=UTF-8''", name);
	for (; rc == 0 && *fn != '\0'; fn++) {
		unsigned char c = (unsigned char)*fn;
		char e[3] = {'%', hex[c >> 4], hex[c & 15]};

		rc = is_alnum(*fn) || strchr("!#$&+-.^_`|~", *fn) != NULL
			     ? cirt_buf_add(b, fn, 1)
			     : cirt_buf_add(b, e, 3);
	}
	return rc;
}

static int text_part(struct cirt_buf *b, const struct cirt_mail_msg *m)
{
	int rc = cirt_buf_adds(b, "Content-Type: text/plain; charset=utf-8\r\n"
				  "Content-Transfer-Encoding: "
				  "quoted-printable\r\n");

	if (rc == 0 && m->lang != NULL)
		rc = cirt_buf_addf(b, "Content-Language: %s\r\n", m->lang);
	if (rc == 0)
		rc = cirt_buf_add(b, "\r\n", 2);
	if (rc == 0)
		rc = qp_add(b, m->body);
	return rc;
}

static int attachment_part(struct cirt_buf *b,
			   const struct cirt_mail_attachment *a)
{
	int rc = cirt_buf_addf(b, "Content-Type: %s", a->mime_type);

	if (rc == 0)
		rc = filename_param(b, "name", a->filename);
	if (rc == 0)
		rc = cirt_buf_adds(b,
				   "\r\nContent-Transfer-Encoding: base64\r\n"
				   "Content-Disposition: attachment");
	if (rc == 0)
		rc = filename_param(b, "filename", a->filename);
	if (rc == 0)
		rc = cirt_buf_adds(b, "\r\n\r\n");
	if (rc == 0)
		rc = b64_lines(b, a->data, a->len);
	return rc;
}

static int headers(struct cirt_buf *b, const struct cirt_mail_msg *m,
		   const char *msgid)
{
	int rc = from_header(b, m);

	if (rc == 0)
		rc = list_header(b, "To", m->to, m->nto);
	if (rc == 0 && m->ncc > 0)
		rc = list_header(b, "Cc", m->cc, m->ncc);
	if (rc == 0 && m->reply_to != NULL)
		rc = cirt_buf_addf(b, "Reply-To: %s\r\n", m->reply_to);
	if (rc == 0)
		rc = text_header(b, "Subject", m->subject);
	if (rc == 0)
		rc = date_header(b,
				 m->date != 0 ? m->date : cirt_time_now_us());
	if (rc == 0)
		rc = cirt_buf_addf(b,
				   "Message-ID: %s\r\nMIME-Version: 1.0\r\n"
				   "Auto-Submitted: auto-generated\r\n",
				   msgid);
	for (size_t i = 0; rc == 0 && i < m->nheaders; i++)
		rc = cirt_buf_addf(b, "%s: %s\r\n", m->headers[i].name,
				   m->headers[i].value);
	return rc;
}

static int write_msg(struct cirt_buf *b, const struct cirt_mail_msg *m,
		     const char *msgid)
{
	unsigned char r[16];
	char boundary[48], hex[33];
	int rc = headers(b, m, msgid);

	if (m->attachment == NULL)
		return rc == 0 ? text_part(b, m) : rc;
	cirt_random_bytes(r, sizeof(r));
	cirt_hex_encode(r, sizeof(r), hex);
	snprintf(boundary, sizeof(boundary), "=_cirt_%s", hex);
	if (rc == 0)
		rc = cirt_buf_addf(b,
				   "Content-Type: multipart/mixed;\r\n"
				   " boundary=\"%s\"\r\n\r\n"
				   "This is a multi-part message in MIME "
				   "format.\r\n\r\n--%s\r\n",
				   boundary, boundary);
	if (rc == 0)
		rc = text_part(b, m);
	if (rc == 0)
		rc = cirt_buf_addf(b, "\r\n--%s\r\n", boundary);
	if (rc == 0)
		rc = attachment_part(b, m->attachment);
	if (rc == 0)
		rc = cirt_buf_addf(b, "\r\n--%s--\r\n", boundary);
	return rc;
}

int cirt_mail_build(const struct cirt_mail_msg *m, struct cirt_buf *out,
		    char msgid[CIRT_MAIL_MSGID_MAX + 1], struct cirt_diag *d)
{
	char id[CIRT_MAIL_MSGID_MAX + 1], uuid[CIRT_UUID_LEN + 1];
	struct cirt_buf b;
	int rc = check_msg(m, d);

	if (rc < 0)
		return rc;
	if (m->message_id != NULL) {
		snprintf(id, sizeof(id), "%s", m->message_id);
	} else {
		cirt_uuid4(uuid);
		snprintf(id, sizeof(id), "<%s@%s>", uuid,
			 strrchr(m->from, '@') + 1);
	}
	cirt_buf_init(&b, out->max > out->len ? out->max - out->len : 0);
	rc = write_msg(&b, m, id);
	if (rc == -CIRT_EINVAL)
		rc = cirt_diag_set(d, rc, "date", "date is out of range");
	else if (rc < 0)
		rc = cirt_diag_set(d, rc, "message",
				   "the message is larger than %zu bytes",
				   b.max);
	if (rc == 0)
		rc = cirt_buf_add(out, b.data, b.len);
	cirt_buf_release(&b);
	if (rc == 0 && msgid != NULL)
		snprintf(msgid, CIRT_MAIL_MSGID_MAX + 1, "%s", id);
	return rc;
}

/* ---- sending ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_setup(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct upload {
	const char *p;
	size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = CIRT_MIN(size * nitems, u->left);

	if (n == 0)
		return 0;
	memcpy(buf, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* The server's replies: the last one, and the last that was an error
 * (4xx, 5xx), which is what a failure is explained by (the last is
 * usually the answer to QUIT). */
struct replies {
	char last[REPLY_MAX + 1];
	char error[REPLY_MAX + 1];
};

static void keep_line(char *to, const char *p, size_t n)
{
	size_t k = 0;

	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	for (size_t i = 0; i < n && k < REPLY_MAX; i++)
		to[k++] = (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '?';
	to[k] = '\0';
}

static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size,
		    void *arg)
{
	struct replies *r = arg;
	size_t start = 0;

	(void)h;
	if (type != CURLINFO_HEADER_IN)
		return 0;
	/* One callback may carry several lines; keep each in turn. */
	for (size_t i = 0; i <= size; i++) {
		if (i < size && data[i] != '\n')
			continue;
		if (i > start) {
			keep_line(r->last, data + start, i - start);
			if (r->last[0] == '4' || r->last[0] == '5')
				memcpy(r->error, r->last, sizeof(r->error));
		}
		start = i + 1;
	}
	return 0;
}

static int check_url(const char *url, struct cirt_diag *d)
{
	size_t skip;

	if (url == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, "url", "url is required");
	if (strncasecmp(url, "smtp://", 7) == 0)
		skip = 7;
	else if (strncasecmp(url, "smtps://", 8) == 0)
		skip = 8;
	else
		return cirt_diag_set(d, -CIRT_EINVAL, "url",
				     "url must start with smtp:// or "
				     "smtps://");
	if (strlen(url) > URL_MAX || !is_ascii_line(url) ||
	    strchr(url, ' ') != NULL || url[skip] == '\0' || url[skip] == '/')
		return cirt_diag_set(d, -CIRT_EINVAL, "url",
				     "url must name a host, in printable "
				     "ASCII without spaces");
	return 0;
}

static int check_envelope(const struct cirt_mail_smtp *s, const char *from,
			  const char *const *rcpt, size_t nrcpt,
			  struct cirt_diag *d)
{
	int rc = check_url(s->url, d);

	if (rc == 0)
		rc = check_addr(from, "from", d);
	if (rc == 0 && nrcpt == 0)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "rcpt",
				   "a message needs a recipient");
	if (rc == 0 && nrcpt > CIRT_MAIL_MAX_RCPT)
		rc = cirt_diag_set(d, -CIRT_ELIMIT, "rcpt",
				   "%zu recipients are more than %d", nrcpt,
				   CIRT_MAIL_MAX_RCPT);
	if (rc == 0)
		rc = check_list(rcpt, nrcpt, "rcpt", d);
	if (rc == 0 && (s->user != NULL) != (s->password != NULL))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "user",
				   "user and password go together");
	if (rc == 0 && s->timeout_ms < 0)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "timeout_ms",
				   "timeout_ms must not be negative");
	if (rc == 0 && s->user != NULL)
		rc = check_value(s->user, "user", d);
	if (rc == 0 && s->password != NULL && strpbrk(s->password, "\r\n"))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "password",
				   "password must not contain CR or LF");
	if (rc == 0 && s->ca_file != NULL && !is_ascii_line(s->ca_file))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "ca_file",
				   "ca_file must be a path in printable ASCII");
	return rc;
}

/* Set the options of one exchange; false if libcurl refused one. */
static bool setup(CURL *h, const struct cirt_mail_smtp *s, const char *from,
		  struct curl_slist *rcpts, struct upload *u, struct replies *r,
		  char *errbuf)
{
	long timeout = s->timeout_ms > 0 ? s->timeout_ms : 60000L;
	bool tls = s->require_tls || s->user != NULL;
	char path[CIRT_EMAIL_MAX + 3];
	CURLcode c = CURLE_OK;

	snprintf(path, sizeof(path), "<%s>", from);
#define SET(opt, v)                                      \
	do {                                             \
		if (c == CURLE_OK)                       \
			c = curl_easy_setopt(h, opt, v); \
	} while (0)
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_URL, s->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_TIMEOUT_MS, timeout);
	SET(CURLOPT_CONNECTTIMEOUT_MS, CIRT_MIN(timeout, 30000L));
	SET(CURLOPT_USE_SSL, (long)(tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
	SET(CURLOPT_MAIL_FROM, path);
	SET(CURLOPT_MAIL_RCPT, rcpts);
	SET(CURLOPT_UPLOAD, 1L);
	SET(CURLOPT_READFUNCTION, read_cb);
	SET(CURLOPT_READDATA, u);
	SET(CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->left);
	SET(CURLOPT_VERBOSE, 1L);
	SET(CURLOPT_DEBUGFUNCTION, debug_cb);
	SET(CURLOPT_DEBUGDATA, r);
	if (s->user != NULL) {
		SET(CURLOPT_USERNAME, s->user);
		SET(CURLOPT_PASSWORD, s->password);
	}
	if (s->ca_file != NULL)
		SET(CURLOPT_CAINFO, s->ca_file);
#undef SET
	return c == CURLE_OK;
}

int cirt_mail_send(const struct cirt_mail_smtp *smtp, const char *from,
		   const char *const *rcpt, size_t nrcpt, const char *msg,
		   size_t len, struct cirt_diag *d)
{
	char errbuf[CURL_ERROR_SIZE] = "", path[CIRT_EMAIL_MAX + 3];
	struct curl_slist *rcpts = NULL, *next;
	struct replies r = {"", ""};
	struct upload u = {msg, len};
	CURLcode c;
	CURL *h;
	int rc = check_envelope(smtp, from, rcpt, nrcpt, d);

	if (rc == 0 && msg == NULL && len > 0)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "msg", "msg is missing");
	if (rc < 0)
		return rc;
	pthread_once(&curl_once, curl_setup);
	for (size_t i = 0; i < nrcpt; i++) {
		snprintf(path, sizeof(path), "<%s>", rcpt[i]);
		next = curl_slist_append(rcpts, path);
		if (next == NULL) {
			curl_slist_free_all(rcpts);
			return cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
					     "out of memory");
		}
		rcpts = next;
	}
	h = curl_easy_init();
	if (h == NULL || !setup(h, smtp, from, rcpts, &u, &r, errbuf)) {
		rc = cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
				   "cannot set up libcurl for SMTP");
		goto out;
	}
	c = curl_easy_perform(h);
	if (c == CURLE_URL_MALFORMAT)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "url", "url is malformed");
	else if (c != CURLE_OK)
		rc = cirt_diag_set(d, -CIRT_EIO, "smtp",
				   "sending the mail failed: %s%s%s; the "
				   "server said \"%s\"",
				   curl_easy_strerror(c), errbuf[0] ? ": " : "",
				   errbuf, r.error[0] ? r.error : r.last);
out:
	curl_easy_cleanup(h);
	curl_slist_free_all(rcpts);
	return rc;
}
