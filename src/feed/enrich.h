/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Enrichment: making an event's names canonical, and adding what offline
 * data knows about its addresses.
 *
 *  - Domain names become A-labels (IDN to punycode with libidn2, UTS #46
 *    non-transitional), lower case, without a trailing dot; labels of 1
 *    to 63 bytes of letters, digits, '-' and '_', at most 253 bytes.
 *  - URLs: scheme and host in lower case, the host as above, a default
 *    port (:80 for http, :443 for https) dropped, an empty path made "/";
 *    the rest is kept byte for byte (no percent-decoding, so nothing that
 *    distinguishes two URLs is lost). A URL whose host is not a valid
 *    name is kept as received, trimmed.
 *  - An event with a URL but no name or address gets the URL's host as
 *    source.fqdn (or source.ip when the host is an address literal).
 *  - ASN and country come from a prefix table (a text file of lines
 *    "PREFIX ASN CC", '#' comments; docs/feeds.md) and from MaxMind-format
 *    databases (GeoLite2-ASN, GeoLite2-Country or compatible) through
 *    libmaxminddb, when configured; they fill only what the feed left
 *    empty, and the table wins over the databases.
 *
 * Layer: feed. A struct cirt_geo is read-only once open and may be shared
 * by threads.
 */
#ifndef CIRT_FEED_ENRICH_H
#define CIRT_FEED_ENRICH_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/ip.h"
#include "feed/event.h"

/* Canonical domain name of in[0..n) into out (CIRT_EVENT_FQDN_MAX + 1
 * bytes). 0 or -CIRT_EINVAL naming field. */
int cirt_domain_canon(const char *in, size_t n, char *out, const char *field,
		      struct cirt_diag *d);

/* Canonical URL of in (NUL-terminated) into out (CIRT_EVENT_URL_MAX + 1
 * bytes); its host (canonical name or address text) into host
 * (CIRT_EVENT_FQDN_MAX + 1 bytes). 0, or -CIRT_EINVAL when the URL has no
 * scheme or a host that is not valid (out and host are then empty). */
int cirt_url_canon(const char *in, char *out, char *host, const char *field,
		   struct cirt_diag *d);

struct cirt_geo;

/* Open the configured sources (each may be NULL or ""). -CIRT_EIO or
 * -CIRT_EINVAL naming the file and line. *out is NULL when none is
 * given. */
int cirt_geo_open(struct cirt_geo **out, const char *table,
		  const char *asn_mmdb, const char *country_mmdb,
		  struct cirt_diag *d) CIRT_MUST_CHECK;
void cirt_geo_close(struct cirt_geo *g);

/* Fill *asn (0 unknown) and cc ("" unknown) for ip. g may be NULL. */
void cirt_geo_lookup(const struct cirt_geo *g, const struct cirt_ip *ip,
		     int64_t *asn, char cc[3]);

/* Canonicalise the event's names and URL and fill ASN and country of its
 * source and destination where unset. Never fails: a name that cannot be
 * made canonical is dropped and counted in *dropped (may be NULL). */
void cirt_event_enrich(struct cirt_event *ev, const struct cirt_geo *g,
		       uint64_t *dropped);

#endif
