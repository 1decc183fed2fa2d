/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * IP addresses and prefixes (ip.h). Text goes through inet_pton, which
 * is strict (no octal, no short forms for IPv4, no zone ids), so what is
 * accepted here has exactly one canonical form on the way out.
 */
#include "core/ip.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/parse.h"

#include "core/banned.h"

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0,    0,
					    0, 0, 0, 0, 0xff, 0xff};

bool cirt_ip_is_v4(const struct cirt_ip *ip)
{
	return memcmp(ip->a, v4_mapped, sizeof v4_mapped) == 0;
}

void cirt_ip_mask(struct cirt_ip *ip, unsigned len)
{
	if (len > 128)
		len = 128;
	ip->len = (uint8_t)len;
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = i * 8;
		if (bits >= len)
			ip->a[i] = 0;
		else if (len - bits < 8)
			ip->a[i] &= (unsigned char)(0xff << (8 - (len - bits)));
	}
}

/* A dotted quad as inet_pton reads it (four decimal parts of 0 to 255,
 * no leading zeros), without copying: logs are mostly IPv4. */
static bool parse_quad(const char *s, size_t n, unsigned char *out)
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		unsigned v = 0;
		size_t start = i;

		while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 3)
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
			return false;
		out[part] = (unsigned char)v;
		if (part < 3 && (i >= n || s[i++] != '.'))
			return false;
	}
	return i == n;
}

int cirt_ip_parse(const char *s, size_t n, bool allow_prefix, bool loose,
		  struct cirt_ip *out, const char *field, struct cirt_diag *d)
{
	char text[INET6_ADDRSTRLEN + 8];
	const char *slash;
	size_t alen;
	struct cirt_ip ip;
	unsigned len, shift = 0;

	if (n <= 15 && parse_quad(s, n, out->a + 12)) {
		memcpy(out->a, v4_mapped, sizeof v4_mapped);
		out->len = 128;
		return 0;
	}
	slash = memchr(s, '/', n);
	alen = slash ? (size_t)(slash - s) : n;

	memset(&ip, 0, sizeof ip);
	if (alen == 0 || alen >= INET6_ADDRSTRLEN)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "is not an IP address");
	memcpy(text, s, alen);
	text[alen] = '\0';
	if (inet_pton(AF_INET, text, ip.a + 12) == 1) {
		memcpy(ip.a, v4_mapped, sizeof v4_mapped);
		len = 32;
		shift = 96; /* written as IPv4: its length is in IPv4 terms */
	} else if (inet_pton(AF_INET6, text, ip.a) == 1) {
		len = 128;
	} else {
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "is not an IP address: \"%.*s\"",
				     (int)(alen > 60 ? 60 : alen), s);
	}
	if (slash) {
		size_t plen = n - alen - 1;
		int64_t v;
		char num[8];

		if (!allow_prefix)
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "must be one address, not a "
					     "prefix");
		if (plen == 0 || plen >= sizeof num)
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "has a bad prefix length");
		/* s is not terminated: look at the plen bytes only. */
		memcpy(num, slash + 1, plen);
		num[plen] = '\0';
		if (strspn(num, "0123456789") < plen)
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "has a bad prefix length");
		if (cirt_parse_i64(num, 0, len, &v) < 0)
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "has a prefix length that is not "
					     "0 to %u",
					     len);
		len = (unsigned)v;
	}
	{
		struct cirt_ip masked = ip;
		unsigned total = len + shift;

		cirt_ip_mask(&masked, total);
		if (!loose && memcmp(masked.a, ip.a, 16) != 0)
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "has host bits set beyond /%u",
					     len);
		*out = masked;
	}
	return 0;
}

unsigned cirt_ip_prefix_len(const struct cirt_ip *ip)
{
	if (cirt_ip_is_v4(ip))
		return ip->len >= 96 ? ip->len - 96u : 0;
	return ip->len;
}

void cirt_ip_format(const struct cirt_ip *ip, char *out)
{
	char text[INET6_ADDRSTRLEN];
	bool v4 = cirt_ip_is_v4(ip) && ip->len >= 96;
	unsigned len = cirt_ip_prefix_len(ip);

	if (v4)
		inet_ntop(AF_INET, ip->a + 12, text, sizeof text);
	else
		inet_ntop(AF_INET6, ip->a, text, sizeof text);
	if (ip->len < 128)
		snprintf(out, CIRT_IP_TEXT_MAX + 1, "%s/%u", text, len);
	else
		snprintf(out, CIRT_IP_TEXT_MAX + 1, "%s", text);
}

bool cirt_ip_contains(const struct cirt_ip *prefix, const struct cirt_ip *addr)
{
	struct cirt_ip m = *addr;

	if (addr->len < prefix->len)
		return false;
	cirt_ip_mask(&m, prefix->len);
	return memcmp(m.a, prefix->a, 16) == 0;
}

/* Special-purpose ranges (IANA registries, RFC 6890 and successors). */
static const struct {
	const char *net;
} special[] = {
	{"0.0.0.0/8"},	    {"10.0.0.0/8"},	{"100.64.0.0/10"},
	{"127.0.0.0/8"},    {"169.254.0.0/16"}, {"172.16.0.0/12"},
	{"192.0.0.0/24"},   {"192.0.2.0/24"},	{"192.88.99.0/24"},
	{"192.168.0.0/16"}, {"198.18.0.0/15"},	{"198.51.100.0/24"},
	{"203.0.113.0/24"}, {"224.0.0.0/4"},	{"240.0.0.0/4"},
	{"::/128"},	    {"::1/128"},	{"64:ff9b:1::/48"},
	{"100::/64"},	    {"2001::/23"},	{"2001:db8::/32"},
	{"fc00::/7"},	    {"fe80::/10"},	{"ff00::/8"},
};

#define NSPECIAL (sizeof special / sizeof special[0])

/* Each range as two 64-bit halves and their masks, parsed once: a log
 * reader asks for every address it reads. */
static struct {
	uint64_t hi, lo, mhi, mlo;
	uint8_t len;
} special_net[NSPECIAL];
static pthread_once_t special_once = PTHREAD_ONCE_INIT;

static uint64_t be64(const unsigned char *a)
{
	return (uint64_t)a[0] << 56 | (uint64_t)a[1] << 48 |
	       (uint64_t)a[2] << 40 | (uint64_t)a[3] << 32 |
	       (uint64_t)a[4] << 24 | (uint64_t)a[5] << 16 |
	       (uint64_t)a[6] << 8 | a[7];
}

/* The mask of the first len of 64 bits. */
static uint64_t mask64(unsigned len)
{
	return len == 0 ? 0 : len >= 64 ? UINT64_MAX : UINT64_MAX << (64 - len);
}

static void special_parse(void)
{
	for (size_t i = 0; i < NSPECIAL; i++) {
		struct cirt_ip n;

		if (cirt_ip_parse(special[i].net, strlen(special[i].net), true,
				  false, &n, NULL, NULL) != 0) {
			special_net[i].len = 255; /* never contains */
			continue;
		}
		special_net[i].hi = be64(n.a);
		special_net[i].lo = be64(n.a + 8);
		special_net[i].mhi = mask64(n.len);
		special_net[i].mlo = mask64(n.len > 64 ? n.len - 64u : 0);
		special_net[i].len = n.len;
	}
}

bool cirt_ip_is_special(const struct cirt_ip *ip)
{
	uint64_t hi = be64(ip->a), lo = be64(ip->a + 8);

	pthread_once(&special_once, special_parse);
	for (size_t i = 0; i < NSPECIAL; i++)
		if (special_net[i].len <= ip->len &&
		    (hi & special_net[i].mhi) == special_net[i].hi &&
		    (lo & special_net[i].mlo) == special_net[i].lo)
			return true;
	return false;
}
