/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Enrichment (enrich.h): canonical names and URLs, and ASN and country
 * from offline data. Runs once per event: the ASCII name is the common
 * case and is handled without libidn2; libidn2 sees only names with
 * bytes above 0x7f.
 */
#include "feed/enrich.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>
#include <maxminddb.h>

#include "core/lpm.h"
#include "core/mem.h"
#include "core/parse.h"

#include "core/banned.h"

/* Check an ASCII name in place: labels of 1..63 of [a-z0-9_-]. */
static bool ascii_name_ok(const char *s, size_t n)
{
	size_t label = 0;

	if (n == 0 || n > CIRT_EVENT_FQDN_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		/* Lower case by now: no locale lookups per byte. */
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

int cirt_domain_canon(const char *in, size_t n, char *out, const char *field,
		      struct cirt_diag *d)
{
	char tmp[4 * CIRT_EVENT_FQDN_MAX + 8];
	bool ascii = true;

	while (n > 0 && isspace((unsigned char)in[0])) {
		in++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)in[n - 1]))
		n--;
	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n == 0 || n >= sizeof tmp)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 0x80)
			ascii = false;
		tmp[i] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
	}
	tmp[n] = '\0';
	if (!ascii) {
		char *a = NULL;
		int rc = idn2_to_ascii_8z(
			tmp, &a, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);

		if (rc != IDN2_OK || a == NULL || strlen(a) >= sizeof tmp) {
			idn2_free(a);
			goto bad;
		}
		n = strlen(a);
		for (size_t i = 0; i < n; i++)
			tmp[i] = (char)tolower((unsigned char)a[i]);
		tmp[n] = '\0';
		idn2_free(a);
	}
	if (!ascii_name_ok(tmp, n))
		goto bad;
	memcpy(out, tmp, n + 1);
	return 0;
bad:
	out[0] = '\0';
	return cirt_diag_set(d, -CIRT_EINVAL, field,
			     "is not a valid domain name");
}

int cirt_url_canon(const char *in, char *out, char *host, const char *field,
		   struct cirt_diag *d)
{
	const char *p = in, *scheme_end, *auth, *auth_end, *h, *h_end;
	const char *port = NULL;
	char scheme[16];
	size_t slen;
	int n;

	out[0] = host[0] = '\0';
	while (isspace((unsigned char)*p))
		p++;
	scheme_end = strstr(p, "://");
	slen = scheme_end ? (size_t)(scheme_end - p) : 0;
	if (slen == 0 || slen >= sizeof scheme)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "is not a URL with a scheme");
	for (size_t i = 0; i < slen; i++) {
		if (!isalnum((unsigned char)p[i]) && p[i] != '+' &&
		    p[i] != '-' && p[i] != '.')
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "has a bad scheme");
		scheme[i] = (char)tolower((unsigned char)p[i]);
	}
	scheme[slen] = '\0';
	auth = scheme_end + 3;
	auth_end = auth + strcspn(auth, "/?#");
	/* Userinfo, then host, then port. */
	h = auth;
	for (const char *q = auth; q < auth_end; q++)
		if (*q == '@')
			h = q + 1;
	if (*h == '[') {
		h_end = memchr(h, ']', (size_t)(auth_end - h));
		if (!h_end)
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "has a bad IPv6 host");
		if (h_end + 1 < auth_end && h_end[1] == ':')
			port = h_end + 2;
		{
			struct cirt_ip ip;

			if (cirt_ip_parse(h + 1, (size_t)(h_end - h - 1), false,
					  false, &ip, field, d) < 0)
				return -CIRT_EINVAL;
			cirt_ip_format(&ip, host);
		}
		h_end++;
	} else {
		struct cirt_ip ip;
		struct cirt_diag ignore;

		h_end = h;
		while (h_end < auth_end && *h_end != ':')
			h_end++;
		if (h_end < auth_end)
			port = h_end + 1;
		cirt_diag_init(&ignore);
		if (cirt_ip_parse(h, (size_t)(h_end - h), false, false, &ip,
				  NULL, &ignore) == 0)
			cirt_ip_format(&ip, host);
		else if (cirt_domain_canon(h, (size_t)(h_end - h), host, field,
					   d) < 0)
			return -CIRT_EINVAL;
	}
	if (port && port < auth_end) {
		size_t plen = (size_t)(auth_end - port);

		if ((strcmp(scheme, "http") == 0 && plen == 2 &&
		     memcmp(port, "80", 2) == 0) ||
		    (strcmp(scheme, "https") == 0 && plen == 3 &&
		     memcmp(port, "443", 3) == 0) ||
		    plen == 0)
			port = NULL;
	} else {
		port = NULL;
	}
	{
		bool v6 = strchr(host, ':') != NULL;
		const char *rest = auth_end;
		size_t rlen = strlen(rest);

		while (rlen > 0 && isspace((unsigned char)rest[rlen - 1]))
			rlen--;
		/* An empty path is "/": "http://h?q" is "http://h/?q". */
		n = snprintf(out, CIRT_EVENT_URL_MAX + 1,
			     "%s://%.*s%s%s%s%s%.*s%s%.*s", scheme,
			     (int)(h - auth), auth, v6 ? "[" : "", host,
			     v6 ? "]" : "", port ? ":" : "",
			     port ? (int)(auth_end - port) : 0,
			     port ? port : "",
			     rlen == 0 || rest[0] != '/' ? "/" : "", (int)rlen,
			     rest);
		if (n < 0 || n > CIRT_EVENT_URL_MAX) {
			out[0] = host[0] = '\0';
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "is longer than %d bytes",
					     CIRT_EVENT_URL_MAX);
		}
	}
	return 0;
}

struct cirt_geo {
	struct cirt_lpm *table; /* value: asn << 16 | cc[0] << 8 | cc[1] */
	MMDB_s asn_db, cc_db;
	bool has_asn, has_cc;
};

static int load_table(struct cirt_geo *g, const char *path, struct cirt_diag *d)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int64_t lineno = 0;

	if (!f)
		return cirt_diag_set(d, -CIRT_EIO, "geo_table",
				     "cannot open %s: %s", path,
				     strerror(errno));
	g->table = cirt_lpm_new();
	while (getline(&line, &cap, f) >= 0) {
		char net[64], cc[8] = "";
		long long asn = 0;
		struct cirt_ip ip;
		int got;

		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		got = sscanf(line, "%63s %lld %7s", net, &asn, cc);
		if (got < 2 || asn < 0 || asn > 4294967295LL ||
		    (got == 3 && strlen(cc) != 2 && strcmp(cc, "-") != 0) ||
		    cirt_ip_parse(net, strlen(net), true, false, &ip, NULL,
				  NULL) < 0) {
			free(line);
			fclose(f);
			return cirt_diag_set(d, -CIRT_EINVAL, "geo_table",
					     "%s:%lld: expected \"PREFIX ASN "
					     "CC\"",
					     path, (long long)lineno);
		}
		if (strcmp(cc, "-") == 0)
			cc[0] = '\0';
		cirt_lpm_add(g->table, &ip,
			     (uint64_t)asn << 16 |
				     (uint64_t)(unsigned char)toupper(
					     (unsigned char)cc[0])
					     << 8 |
				     (uint64_t)(unsigned char)toupper(
					     (unsigned char)cc[1]));
	}
	free(line);
	fclose(f);
	return 0;
}

static int open_mmdb(const char *path, MMDB_s *db, const char *field,
		     struct cirt_diag *d)
{
	int rc = MMDB_open(path, MMDB_MODE_MMAP, db);

	if (rc != MMDB_SUCCESS)
		return cirt_diag_set(d, -CIRT_EIO, field, "cannot open %s: %s",
				     path, MMDB_strerror(rc));
	return 0;
}

int cirt_geo_open(struct cirt_geo **out, const char *table,
		  const char *asn_mmdb, const char *country_mmdb,
		  struct cirt_diag *d)
{
	struct cirt_geo *g;
	int rc = 0;

	*out = NULL;
	if ((!table || !*table) && (!asn_mmdb || !*asn_mmdb) &&
	    (!country_mmdb || !*country_mmdb))
		return 0;
	g = cirt_xcalloc(1, sizeof *g);
	if (table && *table)
		rc = load_table(g, table, d);
	if (rc == 0 && asn_mmdb && *asn_mmdb) {
		rc = open_mmdb(asn_mmdb, &g->asn_db, "geo_asn_mmdb", d);
		g->has_asn = rc == 0;
	}
	if (rc == 0 && country_mmdb && *country_mmdb) {
		rc = open_mmdb(country_mmdb, &g->cc_db, "geo_country_mmdb", d);
		g->has_cc = rc == 0;
	}
	if (rc < 0) {
		cirt_geo_close(g);
		return rc;
	}
	*out = g;
	return 0;
}

void cirt_geo_close(struct cirt_geo *g)
{
	if (!g)
		return;
	if (g->table)
		cirt_lpm_free(g->table);
	if (g->has_asn)
		MMDB_close(&g->asn_db);
	if (g->has_cc)
		MMDB_close(&g->cc_db);
	free(g);
}

/* Look ip up in db and read the value at path into *e. */
static bool mmdb_get(const MMDB_s *db, const struct cirt_ip *ip,
		     MMDB_entry_data_s *e, const char *const *path)
{
	struct sockaddr_storage ss;
	MMDB_lookup_result_s r;
	int err = 0;

	memset(&ss, 0, sizeof ss);
	if (cirt_ip_is_v4(ip)) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, ip->a + 12, 4);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, ip->a, 16);
	}
	r = MMDB_lookup_sockaddr((MMDB_s *)(uintptr_t)db,
				 (const struct sockaddr *)&ss, &err);
	if (err != MMDB_SUCCESS || !r.found_entry)
		return false;
	return MMDB_aget_value(&r.entry, e, (const char *const *)path) ==
		       MMDB_SUCCESS &&
	       e->has_data;
}

void cirt_geo_lookup(const struct cirt_geo *g, const struct cirt_ip *ip,
		     int64_t *asn, char cc[3])
{
	uint64_t v;

	*asn = 0;
	cc[0] = '\0';
	if (!g)
		return;
	if (g->table && cirt_lpm_find(g->table, ip, &v, NULL)) {
		*asn = (int64_t)(v >> 16);
		if ((v & 0xffff) != 0) {
			cc[0] = (char)((v >> 8) & 0xff);
			cc[1] = (char)(v & 0xff);
			cc[2] = '\0';
		}
	}
	if (*asn == 0 && g->has_asn) {
		static const char *const path[] = {"autonomous_system_number",
						   NULL};
		MMDB_entry_data_s e;

		if (mmdb_get(&g->asn_db, ip, &e, path) &&
		    e.type == MMDB_DATA_TYPE_UINT32)
			*asn = e.uint32;
	}
	if (cc[0] == '\0' && g->has_cc) {
		static const char *const path[] = {"country", "iso_code", NULL};
		MMDB_entry_data_s e;

		if (mmdb_get(&g->cc_db, ip, &e, path) &&
		    e.type == MMDB_DATA_TYPE_UTF8_STRING && e.data_size == 2) {
			cc[0] = (char)toupper((unsigned char)e.utf8_string[0]);
			cc[1] = (char)toupper((unsigned char)e.utf8_string[1]);
			cc[2] = '\0';
		}
	}
}

static void enrich_end(struct cirt_event_end *e, const struct cirt_geo *g,
		       uint64_t *dropped)
{
	if (e->fqdn[0]) {
		char canon[CIRT_EVENT_FQDN_MAX + 1];

		if (cirt_domain_canon(e->fqdn, strlen(e->fqdn), canon, NULL,
				      NULL) == 0) {
			memcpy(e->fqdn, canon, strlen(canon) + 1);
		} else {
			e->fqdn[0] = '\0';
			if (dropped)
				(*dropped)++;
		}
	}
	if (e->has_ip && g && (e->asn == 0 || e->cc[0] == '\0')) {
		int64_t asn;
		char cc[3];

		cirt_geo_lookup(g, &e->ip, &asn, cc);
		if (e->asn == 0)
			e->asn = asn;
		if (e->cc[0] == '\0')
			memcpy(e->cc, cc, 3);
	}
}

void cirt_event_enrich(struct cirt_event *ev, const struct cirt_geo *g,
		       uint64_t *dropped)
{
	if (ev->url[0]) {
		char url[CIRT_EVENT_URL_MAX + 1];
		char host[CIRT_EVENT_FQDN_MAX + 1];

		if (cirt_url_canon(ev->url, url, host, NULL, NULL) == 0) {
			memcpy(ev->url, url, strlen(url) + 1);
			if (!ev->src.has_ip && ev->src.fqdn[0] == '\0') {
				if (cirt_ip_parse(host, strlen(host), false,
						  false, &ev->src.ip, NULL,
						  NULL) == 0)
					ev->src.has_ip = true;
				else
					memcpy(ev->src.fqdn, host,
					       strlen(host) + 1);
			}
		}
	}
	enrich_end(&ev->src, g, dropped);
	enrich_end(&ev->dst, g, dropped);
}
