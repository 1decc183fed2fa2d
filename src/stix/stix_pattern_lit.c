/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Decoders for the values STIX patterns compare: timestamps, base64, hex
 * and IP addresses or CIDR blocks. The parser uses them on constants
 * (t'..', b'..', h'..', the operand of ISSUBSET) and the evaluator on the
 * values of observed objects (_bin and _hex properties, ipv4-addr values,
 * timestamp properties). They do not allocate.
 *
 * Layer: stix. Pure functions over (pointer, length), thread-safe; they
 * never read past s + n.
 *
 * STIX 2.1 sections 2.1 (binary), 2.8 (hex), 2.16 (timestamp, read by
 * core/time.h), 6.4-6.5
 * (ipv4-addr, ipv6-addr values), 9.2 (constants); RFC 3339, RFC 4648.
 */
#include "stix/stix_pattern_int.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "core/time.h"

#include "core/banned.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The value of n decimal digits at s (callers checked they are digits). */
static unsigned digits(const char *s, size_t n)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

int cirt_pattern_time_parse(const char *s, size_t n,
			    struct cirt_pattern_time *out, const char **why)
{
	struct cirt_timestamp t;
	int rc = cirt_time_parse(s, n, &t, why);

	if (rc == 0) {
		out->sec = t.sec;
		out->nsec = (uint32_t)t.nsec;
	}
	return rc;
}

int cirt_pattern_time_cmp(const struct cirt_pattern_time *a,
			  const struct cirt_pattern_time *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->nsec != b->nsec)
		return a->nsec < b->nsec ? -1 : 1;
	return 0;
}

int64_t cirt_pattern_time_us_ceil(const struct cirt_pattern_time *t)
{
	return t->sec * 1000000 + (t->nsec + 999) / 1000;
}

/* The 6-bit value of a base64 character, or -1. */
static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int cirt_pattern_base64_decode(const char *s, size_t n, bool allow_lf,
			       unsigned char *out, size_t *outlen)
{
	uint32_t acc = 0;
	size_t k = 0, pad = 0, o = 0;
	int v;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n' && allow_lf)
			continue;
		if (c == '=') {
			/* only as the last one or two of a group of four */
			if (k % 4 < 2 || ++pad > 2)
				return -CIRT_EINVAL;
			acc <<= 6;
			k++;
		} else {
			if (pad > 0 || (v = b64_value(c)) < 0)
				return -CIRT_EINVAL;
			acc = acc << 6 | (uint32_t)v;
			k++;
		}
		if (k % 4 == 0) {
			out[o++] = (unsigned char)(acc >> 16);
			if (pad < 2)
				out[o++] = (unsigned char)(acc >> 8);
			if (pad < 1)
				out[o++] = (unsigned char)acc;
			acc = 0;
		}
	}
	if (k % 4 != 0)
		return -CIRT_EINVAL;
	*outlen = o;
	return 0;
}

int cirt_pattern_hex_decode(const char *s, size_t n, unsigned char *out)
{
	int hi, lo;

	if (n % 2 != 0)
		return -CIRT_EINVAL;
	for (size_t i = 0; i < n; i += 2) {
		hi = cirt_hex_value(s[i]);
		lo = cirt_hex_value(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -CIRT_EINVAL;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

unsigned char *cirt_pattern_latin1(const char *s, size_t n, size_t *outlen)
{
	unsigned char *out = cirt_xmalloc(n + 1);
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (u[i] < 0x80) {
			out[o++] = u[i];
		} else if ((u[i] == 0xc2 || u[i] == 0xc3) && i + 1 < n &&
			   (u[i + 1] & 0xc0) == 0x80) {
			out[o++] = (unsigned char)((u[i] & 0x03) << 6 |
						   (u[i + 1] & 0x3f));
			i++;
		} else {
			free(out);
			return NULL;
		}
	}
	*outlen = o;
	return out;
}

/* A decimal number of 1 to 3 digits without a leading zero, <= max. */
static int small_number(const char *s, size_t n, unsigned max, unsigned *out)
{
	if (n < 1 || n > 3 || (n > 1 && s[0] == '0'))
		return -CIRT_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -CIRT_EINVAL;
	}
	*out = digits(s, n);
	return *out <= max ? 0 : -CIRT_EINVAL;
}

/* Dotted-quad IPv4, four decimal parts of 0-255, no leading zeros (they
 * read as octal elsewhere). */
static int ipv4_parse(const char *s, size_t n, uint8_t *addr)
{
	size_t part = 0, start = 0;
	unsigned v;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (part == 4 || small_number(s + start, i - start, 255, &v))
			return -CIRT_EINVAL;
		addr[part++] = (uint8_t)v;
		start = i + 1;
	}
	return part == 4 ? 0 : -CIRT_EINVAL;
}

static int ipv6_parse(const char *s, size_t n, uint8_t *addr)
{
	char buf[64];

	if (n == 0 || n >= sizeof(buf) || memchr(s, '\0', n))
		return -CIRT_EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET6, buf, addr) == 1 ? 0 : -CIRT_EINVAL;
}

int cirt_pattern_net_parse(const char *s, size_t n,
			   struct cirt_pattern_net *out)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	unsigned max, prefix;

	memset(out, 0, sizeof(*out));
	if (memchr(s, ':', alen)) {
		out->family = 6;
		max = 128;
		if (ipv6_parse(s, alen, out->addr))
			return -CIRT_EINVAL;
	} else {
		out->family = 4;
		max = 32;
		if (ipv4_parse(s, alen, out->addr))
			return -CIRT_EINVAL;
	}
	prefix = max;
	if (slash && small_number(slash + 1, n - alen - 1, max, &prefix))
		return -CIRT_EINVAL;
	out->prefix = (uint8_t)prefix;
	return 0;
}

/* The first bits of a and b agree. */
static bool prefix_equal(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;
	uint8_t mask;

	if (memcmp(a, b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xffu << (8 - rest));
	return ((a[full] ^ b[full]) & mask) == 0;
}

bool cirt_pattern_net_within(const struct cirt_pattern_net *a,
			     const struct cirt_pattern_net *b)
{
	return a->family == b->family && a->prefix >= b->prefix &&
	       prefix_equal(a->addr, b->addr, b->prefix);
}
