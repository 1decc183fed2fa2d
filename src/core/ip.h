/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * IP addresses and prefixes, one representation for both families: an
 * IPv4 address is kept as its IPv4-mapped IPv6 form (::ffff:a.b.c.d,
 * RFC 4291 2.5.5.2), so one 16-byte key and one prefix length in the
 * 128-bit space serve everywhere (a /24 of IPv4 is /120 here). Text goes
 * in through inet_pton (so "010.1.1.1" and zone ids are refused) and out
 * in the canonical form: dotted quad for IPv4, RFC 5952 for IPv6.
 *
 * Layer: core. Pure functions, thread-safe.
 */
#ifndef CIRT_CORE_IP_H
#define CIRT_CORE_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Longest text: a full IPv6 address with an IPv4 tail and "/128". */
#define CIRT_IP_TEXT_MAX 50

struct cirt_ip {
	unsigned char a[16]; /* network byte order; host bits zero for
			      * a prefix */
	uint8_t len;	     /* prefix length in the 128-bit space; 128 for
			      * one address */
};

/* True if ip is IPv4 (mapped). */
bool cirt_ip_is_v4(const struct cirt_ip *ip);

/*
 * Parse s[0..n): an address, or with allow_prefix a prefix "addr/len"
 * (len 0..32 for IPv4, 0..128 for IPv6). Host bits must be zero unless
 * loose, in which case they are cleared (feeds write "198.51.100.7/24").
 * 0 or -CIRT_EINVAL naming field.
 */
int cirt_ip_parse(const char *s, size_t n, bool allow_prefix, bool loose,
		  struct cirt_ip *out, const char *field, struct cirt_diag *d);

/* Canonical text into out (CIRT_IP_TEXT_MAX + 1 bytes): the address,
 * followed by "/len" when it is a prefix (len < 128; IPv4 lengths shown
 * in IPv4 terms). */
void cirt_ip_format(const struct cirt_ip *ip, char *out);

/* The prefix length as the user would write it (32 for one IPv4). */
unsigned cirt_ip_prefix_len(const struct cirt_ip *ip);

/* True if addr lies inside prefix. */
bool cirt_ip_contains(const struct cirt_ip *prefix, const struct cirt_ip *addr);

/* Clear the host bits of ip beyond len (0..128) and set ip->len. */
void cirt_ip_mask(struct cirt_ip *ip, unsigned len);

/* True if ip (an address, or a prefix wholly inside one) is in the
 * private, loopback, link-local, documentation, multicast and other
 * special-purpose ranges (RFC 6890 registries); for allow-lists. */
bool cirt_ip_is_special(const struct cirt_ip *ip);

#endif
