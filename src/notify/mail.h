/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Notification e-mail: building an RFC 5322 / MIME message (a UTF-8
 * text, optionally one attachment) and sending it over SMTP with
 * libcurl. Does not decide what to say (notify/render.h) or when and to
 * whom (notify.c), and keeps no queue: a failed send is the caller's to
 * retry.
 *
 * Addresses are checked with a deliberately simple addr-spec rule
 * (cirt_email_valid (core/text.h)) and header values may not hold CR, LF or NUL,
 * so nothing a constituent record holds can add a header or a
 * recipient.
 *
 * Layer: notify. Building is a pure function (apart from the clock and
 * random ids); sending blocks for up to the timeout. Both are
 * thread-safe.
 *
 * References: RFC 5322 (message format), RFC 2045-2047 and 2231 (MIME,
 * encoded words, parameter values), RFC 3834 (Auto-Submitted), RFC 5321
 * (SMTP), RFC 3207 (STARTTLS).
 */
#ifndef CIRT_NOTIFY_MAIL_H
#define CIRT_NOTIFY_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/compiler.h"
#include "core/err.h"

#define CIRT_MAIL_MAX_RCPT    100 /* To and Cc together; SMTP recipients */
#define CIRT_MAIL_MAX_HEADERS 20  /* extra headers */
#define CIRT_MAIL_VALUE_MAX   900 /* bytes of a header value or name */
#define CIRT_MAIL_MSGID_MAX   300 /* a Message-ID with its <> */

/* An extra header, e.g. {"X-CIRT-Digest", "42"}. */
struct cirt_mail_header {
	const char *name;
	const char *value;
};

/* One attachment; data is borrowed. */
struct cirt_mail_attachment {
	const char *filename;  /* UTF-8; RFC 2231-encoded if not a token */
	const char *mime_type; /* "text/csv; charset=utf-8" */
	const void *data;
	size_t len;
};

/* A message to build. Every string is borrowed, UTF-8. */
struct cirt_mail_msg {
	const char *from;      /* addr-spec */
	const char *from_name; /* display name, or NULL */
	const char *const *to; /* addr-specs, at least one */
	size_t nto;
	const char *const *cc; /* or NULL */
	size_t ncc;
	const char *reply_to; /* addr-spec, or NULL */
	const char *subject;  /* one line; RFC 2047-encoded when not ASCII */
	const char *body;     /* the text (LF or CRLF line ends) */
	const char *lang;     /* Content-Language of the text, or NULL */
	const struct cirt_mail_attachment *attachment; /* or NULL */
	const struct cirt_mail_header *headers;	       /* or NULL */
	size_t nheaders;
	const char *message_id; /* "<left@right>", or NULL to make one */
	int64_t date;		/* µs since the epoch, 0 for the clock */
};

/*
 * Build m as a message, appending it to out: From, To, Cc, Reply-To,
 * Subject, Date (RFC 5322, UTC), Message-ID, MIME-Version,
 * Auto-Submitted: auto-generated, the extra headers, then either the
 * text alone (text/plain; charset=utf-8, quoted-printable) or
 * multipart/mixed with the text and the attachment (base64,
 * Content-Disposition: attachment; filename=...). CRLF line ends;
 * header fields folded at 78 bytes where they can be (an address, a
 * Message-ID or an extra header is never split), no line over 998.
 *
 * msgid (may be NULL) receives the Message-ID used: m->message_id, or
 * "<uuid@domain>" with the domain of m->from.
 *
 * 0; -CIRT_EINVAL naming the field ("to[1]", "subject",
 * "headers[0].value", ...) for an address that fails
 * cirt_email_valid (core/text.h), CR, LF or NUL in a header value, a body that is
 * not UTF-8, an extra header that is not printable ASCII or that names a
 * header this function writes; -CIRT_ELIMIT past the limits above or
 * out's ceiling. On failure out is as it was.
 */
int cirt_mail_build(const struct cirt_mail_msg *m, struct cirt_buf *out,
		    char msgid[CIRT_MAIL_MSGID_MAX + 1],
		    struct cirt_diag *d) CIRT_MUST_CHECK;

/* Where and how to send. Strings are borrowed. */
struct cirt_mail_smtp {
	const char *url;      /* smtp://host[:port] or smtps://host[:port] */
	const char *user;     /* or NULL: no AUTH */
	const char *password; /* or NULL */
	bool require_tls;     /* smtp://: fail unless STARTTLS succeeds */
	const char *ca_file;  /* CA bundle for the server's certificate, or
			       * NULL for the system's */
	long timeout_ms;      /* the whole exchange; 0 is 60 s */
};

/*
 * Send msg[0..len) (a built message) over SMTP: MAIL FROM:<from>, one
 * RCPT TO per recipient, DATA. With a user name, TLS is required
 * (smtps, or STARTTLS on smtp) so that the password never travels in
 * the clear. STARTTLS is also used when the server offers it.
 *
 * 0 when the server accepted the message for every recipient;
 * -CIRT_EINVAL for a URL that is not smtp:// or smtps:// or an address
 * that fails cirt_email_valid (core/text.h) (naming "url", "from" or "rcpt[i]");
 * -CIRT_ELIMIT past CIRT_MAIL_MAX_RCPT; -CIRT_EIO when the exchange
 * fails (no connection, TLS, a refused recipient or message, the
 * timeout), with the server's last reply in the message.
 */
int cirt_mail_send(const struct cirt_mail_smtp *smtp, const char *from,
		   const char *const *rcpt, size_t nrcpt, const char *msg,
		   size_t len, struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
