/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The matcher: an immutable, compiled set of indicators that answers "is
 * this address, name, URL, file hash or e-mail address a known one, and
 * which indicators say so" at the speed of reading logs (docs/detection.md).
 *
 * A builder takes values one at a time, makes each canonical (the same
 * rules as a looked-up value, below), drops those an allow-list covers
 * (counting them by reason) and freezes into a snapshot:
 *
 *  - IPv4 addresses: one open-addressing table of 32-bit keys.
 *  - IPv4 and IPv6 ranges (CIDR): a longest-prefix-match table
 *    (core/lpm.h), each range linked to the next shorter listed range
 *    that contains it, so a lookup yields every listed range containing
 *    the address (of the address's own family: an IPv6 range spanning
 *    the IPv4-mapped block matches no IPv4 address); for IPv4 a bitmap
 *    of /24 blocks screens addresses no range touches.
 *  - Everything else (IPv6 addresses, domain names, URLs, MD5, SHA-1,
 *    SHA-256, e-mail addresses): one open-addressing table of 64-bit
 *    fingerprints, SipHash-1-3 of the canonical value under a key drawn
 *    at random for each snapshot, the kind folded into the key. Two
 *    different values share a fingerprint with probability 2^-64 per
 *    comparison, and without the key nobody can make them.
 *  - Domain names match themselves and their subdomains: a name is looked
 *    up whole, then without its first label, and so on (only with as
 *    many labels as listed names have).
 *  - Screens in front of the tables, small enough to stay in cache: a bit
 *    per IPv4 /24 holding a listed address, a bit per block a range
 *    touches, a filter of about 4 bits per fingerprint; tables of
 *    megabytes ask for huge pages.
 *
 * Canonical forms (the one documented normalisation):
 *  - IP: inet_pton; an IPv4-mapped IPv6 address is the IPv4 address; a
 *    range has its host bits cleared ("loose" indicators) and /32 (/128)
 *    is an address.
 *  - domain: lower case, one trailing dot dropped, IDN as A-labels
 *    (feed/enrich.h cirt_domain_canon).
 *  - URL: feed/enrich.h cirt_url_canon (scheme and host lower case, the
 *    default port dropped, an empty path made "/", the rest byte for
 *    byte), and the fragment ("#...") dropped.
 *  - hash: hexadecimal of the right length for its kind, either case.
 *  - e-mail: "local@domain", surrounding "<>" dropped, all lower case,
 *    the domain as a domain name.
 *
 * Every value carries where it came from (struct cirt_ioc_src); a value
 * listed by several indicators matches them all.
 *
 * Layer: detect. A snapshot is read-only and may be shared by any number
 * of threads; a builder belongs to one thread.
 */
#ifndef CIRT_DETECT_MATCHER_H
#define CIRT_DETECT_MATCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/ip.h"

enum cirt_ioc_kind {
	CIRT_IOC_IP, /* an address or a range */
	CIRT_IOC_DOMAIN,
	CIRT_IOC_URL,
	CIRT_IOC_MD5,
	CIRT_IOC_SHA1,
	CIRT_IOC_SHA256,
	CIRT_IOC_EMAIL,
	CIRT_IOC_KINDS
};

/* "ip", "domain", "url", "md5", "sha1", "sha256", "email". */
const char *cirt_ioc_kind_name(enum cirt_ioc_kind k);
/* The kind named s, or -1. */
int cirt_ioc_kind_parse(const char *s);

enum cirt_ioc_origin {
	CIRT_IOC_STIX,	/* a STIX indicator; id is its UUID */
	CIRT_IOC_EVENT, /* a feed event; key is its row id */
	CIRT_IOC_FILE,	/* a line of an indicator file; key is the line */
};

/* Where an indicator came from. */
struct cirt_ioc_src {
	enum cirt_ioc_origin origin;
	int64_t key;		/* EVENT: event id; FILE: line; STIX: unused */
	unsigned char uuid[16]; /* STIX: the indicator's UUID */
	uint8_t tlp;		/* enum cirt_tlp */
	uint8_t confidence;	/* 0..100 */
};

/* The hash kind of a hexadecimal digest of hexlen digits (32 MD5, 40
 * SHA-1, 64 SHA-256), or -1. */
int cirt_ioc_hash_kind(size_t hexlen);

/* Longest values accepted, in bytes (longer ones are refused). */
#define CIRT_IOC_VALUE_MAX 2048

/* Why a value was left out of a snapshot. */
enum cirt_ioc_drop {
	CIRT_IOC_DROP_SPECIAL, /* private, reserved, documentation ... */
	CIRT_IOC_DROP_NETWORK, /* inside an allowed network */
	CIRT_IOC_DROP_DOMAIN,  /* an allowed (popular) domain */
	CIRT_IOC_DROP_BROAD,   /* a range wider than /8 (IPv4), /32 (IPv6),
				* or a domain of one label or that is a
				* public suffix of the ICANN section
				* ("co.uk"; not private ones such as
				* compute-1.amazonaws.com names) */
	CIRT_IOC_DROP_REASONS
};

/* "special-range", "allowed-network", "allowed-domain", "too-broad". */
const char *cirt_ioc_drop_name(enum cirt_ioc_drop r);

struct cirt_matcher_builder;
struct cirt_matcher;

/* A new builder; allow_special drops indicators inside the special-purpose
 * ranges of cirt_ip_is_special(), and makes a snapshot that matches no
 * address in them (the allow-list applies to log values too, so a
 * private address is never looked up; a listed 192.0.0.0/8 does not
 * match 192.168.1.1). Memory is taken with core/mem.h (out of
 * memory aborts). */
struct cirt_matcher_builder *cirt_matcher_builder_new(bool allow_special);
void cirt_matcher_builder_free(struct cirt_matcher_builder *b);

/* Allow-list: an IP address or range (text), or a domain name (exact
 * name only: a popular site's subdomains stay matchable). 0 or
 * -CIRT_EINVAL naming "allow". */
int cirt_matcher_allow_ip(struct cirt_matcher_builder *b, const char *text,
			  size_t n, struct cirt_diag *d);
int cirt_matcher_allow_domain(struct cirt_matcher_builder *b, const char *text,
			      size_t n, struct cirt_diag *d);

/*
 * Add the value v[0..n) of kind k from src. 1 when added, 0 when an
 * allow-list or a width rule left it out (*why says which, if why is not
 * NULL), -CIRT_EINVAL with the reason when it is not a valid value of its
 * kind ("is not a valid domain name"), -CIRT_ELIMIT past 2^32 - 2
 * values.
 */
int cirt_matcher_add(struct cirt_matcher_builder *b, enum cirt_ioc_kind k,
		     const char *v, size_t n, const struct cirt_ioc_src *src,
		     enum cirt_ioc_drop *why, struct cirt_diag *d);

/* Freeze b into a snapshot (b is consumed). */
struct cirt_matcher *cirt_matcher_build(struct cirt_matcher_builder *b);

void cirt_matcher_free(struct cirt_matcher *m);

/* What a snapshot holds. */
struct cirt_matcher_info {
	uint64_t values;		  /* distinct values */
	uint64_t sources;		  /* (value, source) pairs */
	uint64_t by_kind[CIRT_IOC_KINDS]; /* sources per kind */
	uint64_t ranges;		  /* distinct ranges */
	uint64_t dropped[CIRT_IOC_DROP_REASONS];
	size_t bytes; /* memory it holds */
};

void cirt_matcher_info(const struct cirt_matcher *m,
		       struct cirt_matcher_info *out);

/*
 * Look up the value v[0..n) of kind k as found in a log: made canonical
 * as above, then matched (a domain with its parent domains, an address
 * against addresses and every range containing it). The sources that
 * match go to refs[0..max) (indexes for cirt_matcher_src); the return is
 * how many matched (more than max if refs was too small), 0 for none, or
 * -1 when v is not a valid value of kind k.
 */
int cirt_matcher_lookup(const struct cirt_matcher *m, enum cirt_ioc_kind k,
			const char *v, size_t n, uint32_t *refs, size_t max);

/* An address already parsed: the same as a CIRT_IOC_IP lookup. */
int cirt_matcher_lookup_ip(const struct cirt_matcher *m,
			   const struct cirt_ip *ip, uint32_t *refs,
			   size_t max);

/* Longest host of a URL (a domain name). */
#define CIRT_MATCHER_HOST_MAX 253

/* Fingerprints a query holds; a name with more parents to try has the
 * rest hashed as it is probed. */
#define CIRT_MATCHER_FPS 8

/* A lookup in two steps, so that the lookups of a log line's values wait
 * for memory together, not in turn: cirt_matcher_prepare() makes the
 * value canonical, hashes it (a name with each parent domain that
 * listed names could be) and starts loading the table slots it will
 * read; cirt_matcher_probe() then reads them. */
struct cirt_matcher_query {
	enum cirt_ioc_kind kind;
	struct cirt_ip ip; /* IP */
	bool skip;	   /* IP: allowed, nothing to look up */
	unsigned nfp;	   /* fingerprints in fp */
	uint64_t fp[CIRT_MATCHER_FPS];
	uint16_t len, more; /* the canonical name's length; where the
				 * parents not in fp begin, 0 none */
	char name[CIRT_IOC_VALUE_MAX + 1];    /* canonical, not for IP */
	char host[CIRT_MATCHER_HOST_MAX + 1]; /* URL: its host, canonical */
};

/* 0, or -1 when v is not a valid value of kind k. */
int cirt_matcher_prepare(const struct cirt_matcher *m, enum cirt_ioc_kind k,
			 const char *v, size_t n, struct cirt_matcher_query *q);

/* As cirt_matcher_lookup() does, for a prepared query. */
int cirt_matcher_probe(const struct cirt_matcher *m,
		       const struct cirt_matcher_query *q, uint32_t *refs,
		       size_t max);

/* The source behind ref. */
void cirt_matcher_src(const struct cirt_matcher *m, uint32_t ref,
		      struct cirt_ioc_src *out);

/* A source's id as text into out (64 bytes): "indicator--<uuid>",
 * "event:<id>" or "line:<n>". */
void cirt_ioc_src_id(const struct cirt_ioc_src *src, char *out);

/* The same for the source behind ref. */
void cirt_matcher_src_id(const struct cirt_matcher *m, uint32_t ref, char *out);

#endif
