/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Text validation. See core/text.h.
 */
#include "core/text.h"

#include <stdint.h>
#include <string.h>

#include "core/banned.h"

/* Length of the UTF-8 sequence at s (at most n bytes), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0];
	size_t len;
	uint32_t min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3fu);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

bool cirt_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		/* ASCII eight bytes at a time: JSON is mostly ASCII. */
		if (len - i >= 8) {
			uint64_t w;

			memcpy(&w, p + i, 8);
			if ((w & 0x8080808080808080u) == 0) {
				i += 8;
				continue;
			}
		}
		n = utf8_seq(p + i, len - i, &cp);
		if (n == 0) {
			if (bad)
				*bad = i;
			return false;
		}
		i += n;
	}
	return true;
}

void cirt_utf8_mend(char *s)
{
	size_t len = strlen(s), bad;

	while (!cirt_utf8_valid(s, len, &bad)) {
		s[bad] = '?';
		s += bad + 1;
		len -= bad + 1;
	}
}

/* One more than the value of a hex digit, 0 for other bytes: a table,
 * since STIX ids and UUIDs are read by the million. */
static const unsigned char hex_values[256] = {
	['0'] = 1,  ['1'] = 2,	['2'] = 3,  ['3'] = 4,	['4'] = 5,  ['5'] = 6,
	['6'] = 7,  ['7'] = 8,	['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
	['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

int cirt_hex_value(char c)
{
	return (int)hex_values[(unsigned char)c] - 1;
}

bool cirt_hex_decode(const char *s, size_t len, unsigned char *out)
{
	if (len % 2)
		return false;
	for (size_t i = 0; i < len; i += 2) {
		int hi = cirt_hex_value(s[i]), lo = cirt_hex_value(s[i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

static bool is_space(uint32_t cp)
{
	return cp == ' ' || cp == 0xa0 || cp == 0x3000 ||
	       (cp >= 0x2000 && cp <= 0x200b);
}

/* The one walk behind both text rules: a line (no control characters,
 * no white space at either end) or a block (tab and line breaks allowed
 * inside). */
static int check_text(const char *s, size_t len, bool block, const char *field,
		      struct cirt_diag *d)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp = 0;

	while (i < len) {
		n = utf8_seq(p + i, len - i, &cp);
		if (n == 0)
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "%s is not valid UTF-8 (bad byte "
					     "at offset %zu)",
					     field, i);
		if (is_control(cp) &&
		    !(block && (cp == '\n' || cp == '\t' || cp == '\r')))
			return cirt_diag_set(
				d, -CIRT_EINVAL, field,
				"%s must not contain control characters%s "
				"(U+%04X at offset %zu)",
				field,
				block ? " other than tab and line breaks" : "",
				(unsigned)cp, i);
		if (!block && is_space(cp) && (i == 0 || i + n == len))
			return cirt_diag_set(
				d, -CIRT_EINVAL, field,
				"%s must not start or end with white space",
				field);
		i += n;
	}
	return 0;
}

int cirt_text_check_line(const char *s, size_t len, size_t min, size_t max,
			 const char *field, struct cirt_diag *d)
{
	if (len < min || len > max)
		return cirt_diag_set(
			d, -CIRT_EINVAL, field,
			"%s must be %zu to %zu bytes long, not %zu", field, min,
			max, len);
	return check_text(s, len, false, field, d);
}

int cirt_text_check_block(const char *s, size_t len, size_t max,
			  const char *field, struct cirt_diag *d)
{
	if (len > max)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s must be at most %zu bytes long, not "
				     "%zu",
				     field, max, len);
	return check_text(s, len, true, field, d);
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '@' || c == '-';
}

int cirt_text_check_ident(const char *s, size_t len, size_t max,
			  const char *field, struct cirt_diag *d)
{
	if (len == 0 || len > max)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s must be 1 to %zu characters long",
				     field, max);
	for (size_t i = 0; i < len; i++) {
		if (!ident_char(s[i]))
			return cirt_diag_set(
				d, -CIRT_EINVAL, field,
				"%s may contain only a-z, 0-9, '.', '_', '@' "
				"and '-' (bad character at offset %zu)",
				field, i);
	}
	if (s[0] == '.' || s[0] == '_' || s[0] == '@' || s[0] == '-')
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s must start with a letter or digit",
				     field);
	return 0;
}

/* ---- e-mail addresses ---- */

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

static bool local_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return false;
		} else if (!is_atext(s[i])) {
			return false;
		}
	}
	return true;
}

static bool domain_ok(const char *s)
{
	size_t label = 0, labels = 1, n = strlen(s);

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			labels++;
		} else if (is_alnum(s[i]) || (s[i] == '-' && label > 0)) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return label > 0 && s[n - 1] != '-' && labels >= 2;
}

bool cirt_email_valid(const char *s)
{
	const char *at;

	if (s == NULL || strlen(s) > CIRT_EMAIL_MAX)
		return false;
	at = strrchr(s, '@');
	return at != NULL && local_ok(s, (size_t)(at - s)) && domain_ok(at + 1);
}

static bool blank_char(char c)
{
	return c == ' ' || c == '\t';
}

static bool space_char(char c)
{
	return blank_char(c) || (c >= '\n' && c <= '\r');
}

static void trim_with(const char **p, size_t *n, bool (*drop)(char))
{
	while (*n > 0 && drop(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && drop((*p)[*n - 1]))
		(*n)--;
}

void cirt_text_trim_blanks(const char **p, size_t *n)
{
	trim_with(p, n, blank_char);
}

void cirt_text_trim(const char **p, size_t *n)
{
	trim_with(p, n, space_char);
}
