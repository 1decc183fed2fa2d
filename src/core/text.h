/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Validation of text that users give us: strict UTF-8 (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), no control
 * characters, and length limits. Every text field of every object passes
 * through one of these before it is stored, whether it came from the HTTP
 * API, the command line or a file.
 *
 * Layer: core. Pure functions, thread-safe. Messages go into a diag and
 * name the field.
 */
#ifndef CIRT_CORE_TEXT_H
#define CIRT_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/*
 * True if s[0..len) is valid UTF-8. On false, *bad (if not NULL) is the
 * offset of the first byte that is not part of a valid sequence.
 */
bool cirt_utf8_valid(const char *s, size_t len, size_t *bad);

/* Make the NUL-terminated s valid UTF-8 in place: each byte that does not
 * start a valid sequence (input echoed in a message, or a character cut
 * by truncation) becomes '?'. For text bound for JSON. */
void cirt_utf8_mend(char *s);

/* Drop spaces and tabs from both ends of *p[0..*n). */
void cirt_text_trim_blanks(const char **p, size_t *n);

/* Drop ASCII white space (space, \t, \n, \v, \f, \r) from both ends. */
void cirt_text_trim(const char **p, size_t *n);

/* The value of the hex digit c (either case), or -1. */
int cirt_hex_value(char c);

/* Decode len hex digits (either case; len even) into len / 2 bytes at
 * out; false, with out partly written, if any is not a hex digit. */
bool cirt_hex_decode(const char *s, size_t len, unsigned char *out);

/*
 * Check a one-line free-text field: valid UTF-8, between min and max bytes,
 * no control characters (C0, DEL, C1), no leading or trailing white space.
 * Returns 0 or -CIRT_EINVAL with a message naming field.
 */
int cirt_text_check_line(const char *s, size_t len, size_t min, size_t max,
			 const char *field, struct cirt_diag *d);

/* Check a block of text (a description, a note): valid UTF-8, at most max
 * bytes, no control characters but tab, CR and LF. */
int cirt_text_check_block(const char *s, size_t len, size_t max,
			  const char *field, struct cirt_diag *d);

/*
 * Check an identifier such as a user name: 1 to max bytes of a-z, 0-9,
 * '.', '_', '@', '-', starting with a letter or digit.
 */
int cirt_text_check_ident(const char *s, size_t len, size_t max,
			  const char *field, struct cirt_diag *d);

/* Longest e-mail address: the RFC 5321 path limit. */
#define CIRT_EMAIL_MAX 254

/* True if s is an e-mail address this program sends to: a plain
 * addr-spec local@domain (RFC 5322 dot-atom local part of 1 to 64 bytes,
 * no quoted strings; a domain of at least two labels of letters, digits
 * and inner '-'; no address literals; ASCII only), at most
 * CIRT_EMAIL_MAX bytes. NULL is not. */
bool cirt_email_valid(const char *s);

#endif
