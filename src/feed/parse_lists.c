/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Parsers of the line-oriented lists: Spamhaus DROP/EDROP, ASN-DROP and
 * the CERT portal CSV, OpenPhish, blocklist.de. One record a line, read
 * with the CSV reader (core/csv.h); they do not fetch the lists.
 *
 * spamhaus-drop: "CIDR ; SBLnnn" with ';' comments (DROP and EDROP), or
 * the JSON-lines form ({"cidr": ..., "sblid": ..., "rir": ...}, the
 * "metadata" line skipped): source.network, abusive-content:spam,
 * identifier spamhaus-drop (spamhaus-edrop for an input named edrop*),
 * extra blocklist_id (and rir).
 *
 * spamhaus-asndrop: "ASnnnn ; CC | NAME", or JSON lines with asn, cc,
 * asname, domain, rir: source.asn, source.geolocation.cc, extra as_name;
 * abusive-content:spam, identifier spamhaus-asndrop.
 *
 * spamhaus-cert: "ip, asn, country, lastseen, botname, domain, remote_ip,
 * remote_port, local_port, protocol" (lastseen in Unix seconds; "-" and
 * "?" mean empty). The identifier is the botname; botnames that name a
 * behaviour rather than a malware family classify as in the table below
 * (openrelay: vulnerable:vulnerable-system; sshauth, telnetauth,
 * smtpauth, imap, iotrdp, w_wplogin: intrusion-attempts:brute-force with
 * the protocol; iotscan, wpscanner, proxyget: information-gathering:
 * scanner; l_spamlink, extortion, authspoofbadehlo: abusive-content:spam
 * (l_spamlink's domain is the spammed URL, source.url); misc: other:other;
 * auto: malicious-code:infected-system without a family). Every other
 * botname is a family: malicious-code:infected-system, malware.name.
 * domain is destination.fqdn (or destination.ip when it is an address),
 * remote_ip/remote_port the destination's, local_port the source's. A bad
 * ip or lastseen, or fewer than five fields, makes the row malformed;
 * other values that do not fit go to extra under their column name, and
 * columns added after the ten known ones under "colN".
 *
 * openphish: one URL a line: source.url as written (enrichment
 * canonicalises it), fraud:phishing, identifier openphish.
 *
 * blocklist: blocklist.de, one IP a line, one list per service: the
 * option service=, else the input's name without its extension
 * ("imap.txt": imap). bots and ircbot: malicious-code:infected-system;
 * every other service: intrusion-attempts:brute-force with
 * protocol.application (mail: smtp, apache and bruteforcelogin: http,
 * all and strongips: none, else the service). Identifier
 * "blocklist.de-<service>".
 *
 * Layer: feed. One run is single-threaded; memory is one record.
 */
#include "feed/parser.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/csv.h"
#include "feed/parse_int.h"
#include "core/text.h"

#include "core/banned.h"

#define SERVICE_MAX 48

struct run {
	struct cirt_feed_run fr;
	const char *ident;	   /* classification.identifier */
	char service[SERVICE_MAX]; /* blocklist: the service */
	const char *app;	   /* blocklist: protocol.application */
	bool bot;		   /* blocklist: bots, not logins */
};

/* The members of the JSON-lines form of the Spamhaus lists: where each
 * goes (NULL: extra under its name), and whether a bad value spoils the
 * record. */
struct member {
	const char *name, *field;
	bool strict;
};

static const struct member drop_json[] = {
	{"cidr", "source.network", true},
	{"sblid", "extra.blocklist_id", false},
	{"rir", NULL, false},
};

static const struct member asndrop_json[] = {
	{"asn", "source.asn", true},
	{"cc", "source.geolocation.cc", false},
	{"asname", "extra.as_name", false},
	{"domain", NULL, false},
	{"rir", NULL, false},
};

/* A JSON-lines record; CIRT_FEED_SKIP for the metadata line. */
static int json_rec(struct run *r, const struct cirt_csv_rec *rec,
		    const struct member *m, size_t n)
{
	json_error_t err;
	json_t *o;
	size_t i;
	int rc = CIRT_FEED_EMIT;

	o = json_loadb(rec->raw, rec->raw_len, JSON_REJECT_DUPLICATES, &err);
	if (!json_is_object(o)) {
		json_decref(o);
		cirt_diag_set(&r->fr.rd, -CIRT_EINVAL, NULL,
			      "malformed JSON: %s", err.text);
		return CIRT_FEED_BAD;
	}
	if (json_object_get(o, "type") != NULL)
		rc = CIRT_FEED_SKIP;
	for (i = 0; rc == CIRT_FEED_EMIT && i < n; i++)
		if (cirt_feed_rec_member(&r->fr, o, m[i].name, m[i].field,
					 m[i].strict) < 0)
			rc = CIRT_FEED_BAD;
	json_decref(o);
	return rc;
}

/* The first field, which must be there, into name: EMIT or BAD. */
static int first_field(struct run *r, const struct cirt_csv_rec *rec,
		       const char *name, const char *what)
{
	if (rec->f[0].n == 0) {
		cirt_diag_set(&r->fr.rd, -CIRT_EINVAL, NULL, "no %s", what);
		return CIRT_FEED_BAD;
	}
	if (cirt_feed_rec_set(&r->fr, name, rec->f[0].p, rec->f[0].n) < 0)
		return CIRT_FEED_BAD;
	return CIRT_FEED_EMIT;
}

static int drop_rec(void *arg, const struct cirt_csv_rec *rec)
{
	struct run *r = arg;

	cirt_event_classify(&r->fr.ev, "abusive-content", "spam");
	cirt_feed_copy(r->fr.ev.identifier, sizeof(r->fr.ev.identifier),
		       r->ident);
	if (rec->raw_len > 0 && rec->raw[0] == '{')
		return json_rec(r, rec, drop_json, CIRT_ARRAY_LEN(drop_json));
	if (first_field(r, rec, "source.network", "network") != CIRT_FEED_EMIT)
		return CIRT_FEED_BAD;
	if (rec->nf > 1 && cirt_feed_rec_extra(&r->fr, "blocklist_id",
					       rec->f[1].p, rec->f[1].n) < 0)
		return CIRT_FEED_BAD;
	return CIRT_FEED_EMIT;
}

static int asndrop_rec(void *arg, const struct cirt_csv_rec *rec)
{
	struct run *r = arg;
	const char *v, *bar, *name;
	size_t n, k;

	cirt_event_classify(&r->fr.ev, "abusive-content", "spam");
	cirt_feed_copy(r->fr.ev.identifier, sizeof(r->fr.ev.identifier),
		       r->ident);
	if (rec->raw_len > 0 && rec->raw[0] == '{')
		return json_rec(r, rec, asndrop_json,
				CIRT_ARRAY_LEN(asndrop_json));
	if (first_field(r, rec, "source.asn", "AS number") != CIRT_FEED_EMIT)
		return CIRT_FEED_BAD;
	if (rec->nf < 2)
		return CIRT_FEED_EMIT;
	v = rec->f[1].p;
	n = rec->f[1].n;
	bar = memchr(v, '|', n);
	if (bar == NULL)
		return cirt_feed_rec_extra(&r->fr, "as_name", v, n) < 0
			       ? CIRT_FEED_BAD
			       : CIRT_FEED_EMIT;
	name = bar + 1;
	k = n - (size_t)(bar - v) - 1;
	cirt_text_trim_blanks(&name, &k);
	if (cirt_feed_rec_soft(&r->fr, "source.geolocation.cc", "cc", v,
			       (size_t)(bar - v)) < 0 ||
	    cirt_feed_rec_extra(&r->fr, "as_name", name, k) < 0)
		return CIRT_FEED_BAD;
	return CIRT_FEED_EMIT;
}

/* Spamhaus CERT botnames that are behaviours, not malware families. */
static const struct {
	const char *bot, *cls, *type, *app;
} cert_bots[] = {
	{"openrelay", "vulnerable", "vulnerable-system", "smtp"},
	{"sshauth", "intrusion-attempts", "brute-force", "ssh"},
	{"telnetauth", "intrusion-attempts", "brute-force", "telnet"},
	{"smtpauth", "intrusion-attempts", "brute-force", "smtp"},
	{"imap", "intrusion-attempts", "brute-force", "imap"},
	{"iotrdp", "intrusion-attempts", "brute-force", "rdp"},
	{"w_wplogin", "intrusion-attempts", "brute-force", "http"},
	{"iotscan", "information-gathering", "scanner", NULL},
	{"wpscanner", "information-gathering", "scanner", "http"},
	{"proxyget", "information-gathering", "scanner", "http"},
	{"l_spamlink", "abusive-content", "spam", NULL},
	{"extortion", "abusive-content", "spam", "smtp"},
	{"authspoofbadehlo", "abusive-content", "spam", "smtp"},
	{"misc", "other", "other", NULL},
	{"auto", "malicious-code", "infected-system", NULL},
};

/* The CERT portal's columns, in order. */
enum {
	CERT_IP,
	CERT_ASN,
	CERT_CC,
	CERT_LASTSEEN,
	CERT_BOT,
	CERT_DOMAIN,
	CERT_RIP,
	CERT_RPORT,
	CERT_LPORT,
	CERT_PROTO,
	CERT_NCOLS
};

static const char *const cert_cols[CERT_NCOLS] = {
	"ip",	  "asn",       "country",     "lastseen",   "botname",
	"domain", "remote_ip", "remote_port", "local_port", "protocol",
};

static bool cert_empty(const struct cirt_csv_field *f)
{
	return f->n == 0 || (f->n == 1 && (f->p[0] == '-' || f->p[0] == '?'));
}

static void cert_classify(struct run *r, const char *bot, size_t n)
{
	struct cirt_event *ev = &r->fr.ev;
	size_t i;

	snprintf(ev->identifier, sizeof(ev->identifier), "%.*s", (int)n, bot);
	for (i = 0; i < CIRT_ARRAY_LEN(cert_bots); i++) {
		if (strlen(cert_bots[i].bot) != n ||
		    memcmp(cert_bots[i].bot, bot, n) != 0)
			continue;
		cirt_event_classify(ev, cert_bots[i].cls, cert_bots[i].type);
		if (cert_bots[i].app)
			cirt_feed_copy(ev->application, sizeof(ev->application),
				       cert_bots[i].app);
		return;
	}
	cirt_event_classify(ev, "malicious-code", "infected-system");
	if (cirt_event_set(ev, "malware.name", bot, n, NULL) < 0)
		ev->malware[0] = '\0';
}

/* The domain column: a URL, an address, a name, or "host:port". */
static int cert_domain(struct run *r, const struct cirt_csv_field *f,
		       bool spamlink)
{
	struct cirt_ip ip;
	const char *field = "destination.fqdn";

	if (spamlink)
		field = "source.url";
	else if (cirt_ip_parse(f->p, f->n, false, false, &ip, NULL, NULL) == 0)
		field = "destination.ip";
	else if (memchr(f->p, ':', f->n) || memchr(f->p, '/', f->n))
		return cirt_feed_rec_extra(&r->fr, "domain", f->p, f->n);
	return cirt_feed_rec_soft(&r->fr, field, "domain", f->p, f->n);
}

static int cert_rec(void *arg, const struct cirt_csv_rec *rec)
{
	static const char *const fields[CERT_NCOLS] = {
		[CERT_ASN] = "source.asn",
		[CERT_CC] = "source.geolocation.cc",
		[CERT_RIP] = "destination.ip",
		[CERT_RPORT] = "destination.port",
		[CERT_LPORT] = "source.port",
		[CERT_PROTO] = "protocol.transport",
	};
	struct run *r = arg;
	const struct cirt_csv_field *f = rec->f;
	char col[32];
	bool spamlink;
	size_t i;
	int rc;

	if (rec->nf < CERT_BOT + 1) {
		cirt_diag_set(&r->fr.rd, -CIRT_EINVAL, NULL,
			      "%zu fields, not %d", rec->nf, CERT_NCOLS);
		return CIRT_FEED_BAD;
	}
	if (cirt_feed_rec_set(&r->fr, "source.ip", f[CERT_IP].p, f[CERT_IP].n) <
		    0 ||
	    cirt_feed_rec_set(&r->fr, "time.source", f[CERT_LASTSEEN].p,
			      f[CERT_LASTSEEN].n) < 0)
		return CIRT_FEED_BAD;
	cert_classify(r, f[CERT_BOT].p, f[CERT_BOT].n);
	spamlink = f[CERT_BOT].n == 10 &&
		   memcmp(f[CERT_BOT].p, "l_spamlink", 10) == 0;
	for (i = 0; i < rec->nf; i++) {
		if (cert_empty(&f[i]))
			continue;
		if (i >= CERT_NCOLS) {
			snprintf(col, sizeof(col), "col%zu", i + 1);
			rc = cirt_feed_rec_extra(&r->fr, col, f[i].p, f[i].n);
		} else if (i == CERT_DOMAIN) {
			rc = cert_domain(r, &f[i], spamlink);
		} else if (fields[i] != NULL) {
			rc = cirt_feed_rec_soft(&r->fr, fields[i], cert_cols[i],
						f[i].p, f[i].n);
		} else {
			continue;
		}
		if (rc < 0)
			return CIRT_FEED_BAD;
	}
	return CIRT_FEED_EMIT;
}

static int openphish_rec(void *arg, const struct cirt_csv_rec *rec)
{
	struct run *r = arg;

	cirt_event_classify(&r->fr.ev, "fraud", "phishing");
	cirt_feed_copy(r->fr.ev.identifier, sizeof(r->fr.ev.identifier),
		       "openphish");
	return cirt_feed_rec_set(&r->fr, "source.url", rec->f[0].p,
				 rec->f[0].n) < 0
		       ? CIRT_FEED_BAD
		       : CIRT_FEED_EMIT;
}

static int blocklist_rec(void *arg, const struct cirt_csv_rec *rec)
{
	struct run *r = arg;
	struct cirt_event *ev = &r->fr.ev;

	if (r->bot)
		cirt_event_classify(ev, "malicious-code", "infected-system");
	else
		cirt_event_classify(ev, "intrusion-attempts", "brute-force");
	snprintf(ev->identifier, sizeof(ev->identifier), "blocklist.de-%s",
		 r->service);
	if (r->app)
		cirt_feed_copy(ev->application, sizeof(ev->application),
			       r->app);
	return cirt_feed_rec_set(&r->fr, "source.ip", rec->f[0].p,
				 rec->f[0].n) < 0
		       ? CIRT_FEED_BAD
		       : CIRT_FEED_EMIT;
}

static const struct cirt_csv_opts spamhaus_opts = {
	.sep = ';',
	.comment = ';',
	.trim = true,
};

static const struct cirt_csv_opts cert_opts = {
	.sep = ',',
	.comment = ';',
	.trim = true,
};

/* One URL or address a line. */
static const struct cirt_csv_opts line_opts = {
	.comment = '#',
	.trim = true,
};

/* The blocklist.de service: option service=, else the file's name. */
static int blocklist_service(struct run *r)
{
	static const struct {
		const char *service, *app;
	} apps[] = {
		{"mail", "smtp"},
		{"apache", "http"},
		{"bruteforcelogin", "http"},
		{"all", NULL},
		{"strongips", NULL},
		{"bots", NULL},
		{"ircbot", NULL},
	};
	const char *b;
	size_t i, n;
	int rc;

	rc = cirt_feed_run_option(&r->fr, "service", r->service,
				  sizeof(r->service));
	if (rc < 0)
		return rc;
	if (rc == 0) {
		b = cirt_feed_src_base(r->fr.src);
		n = CIRT_MIN(strcspn(b, "."), sizeof(r->service) - 1);
		memcpy(r->service, b, n);
		r->service[n] = '\0';
	}
	cirt_feed_lower_str(r->service);
	if (r->service[0] == '\0')
		cirt_feed_copy(r->service, sizeof(r->service), "all");
	r->app = r->service;
	for (i = 0; i < CIRT_ARRAY_LEN(apps); i++)
		if (strcmp(apps[i].service, r->service) == 0)
			r->app = apps[i].app;
	r->bot = strcmp(r->service, "bots") == 0 ||
		 strcmp(r->service, "ircbot") == 0;
	return 0;
}

/* The parsers of this file, by what tells them apart. */
enum list {
	L_DROP,
	L_ASNDROP,
	L_CERT,
	L_OPENPHISH,
	L_BLOCKLIST,
};

static const struct {
	cirt_feed_csv_fn fn;
	const struct cirt_csv_opts *o;
	const char *ident;
} lists[] = {
	[L_DROP] = {drop_rec, &spamhaus_opts, "spamhaus-drop"},
	[L_ASNDROP] = {asndrop_rec, &spamhaus_opts, "spamhaus-asndrop"},
	[L_CERT] = {cert_rec, &cert_opts, NULL},
	[L_OPENPHISH] = {openphish_rec, &line_opts, NULL},
	[L_BLOCKLIST] = {blocklist_rec, &line_opts, NULL},
};

static int run_list(enum list l, const struct cirt_feed_src *src,
		    cirt_emit_fn emit, void *arg, struct cirt_feed_stats *st,
		    struct cirt_diag *d)
{
	struct run r = {.ident = lists[l].ident};
	int rc = 0;

	cirt_feed_run_init(&r.fr, src, emit, arg, st, d);
	if (l == L_DROP && strncmp(cirt_feed_src_base(src), "edrop", 5) == 0)
		r.ident = "spamhaus-edrop";
	if (l == L_BLOCKLIST)
		rc = blocklist_service(&r);
	if (rc == 0)
		rc = cirt_feed_csv_each(&r.fr, lists[l].o, NULL, 0, lists[l].fn,
					&r);
	cirt_feed_run_release(&r.fr);
	return rc;
}

static int run_drop(const struct cirt_feed_src *src, cirt_emit_fn emit,
		    void *arg, struct cirt_feed_stats *st, struct cirt_diag *d)
{
	return run_list(L_DROP, src, emit, arg, st, d);
}

static int run_asndrop(const struct cirt_feed_src *src, cirt_emit_fn emit,
		       void *arg, struct cirt_feed_stats *st,
		       struct cirt_diag *d)
{
	return run_list(L_ASNDROP, src, emit, arg, st, d);
}

static int run_cert(const struct cirt_feed_src *src, cirt_emit_fn emit,
		    void *arg, struct cirt_feed_stats *st, struct cirt_diag *d)
{
	return run_list(L_CERT, src, emit, arg, st, d);
}

static int run_openphish(const struct cirt_feed_src *src, cirt_emit_fn emit,
			 void *arg, struct cirt_feed_stats *st,
			 struct cirt_diag *d)
{
	return run_list(L_OPENPHISH, src, emit, arg, st, d);
}

static int run_blocklist(const struct cirt_feed_src *src, cirt_emit_fn emit,
			 void *arg, struct cirt_feed_stats *st,
			 struct cirt_diag *d)
{
	return run_list(L_BLOCKLIST, src, emit, arg, st, d);
}

const struct cirt_parser cirt_parser_spamhaus_drop = {
	"spamhaus-drop",
	"Spamhaus DROP and EDROP (CIDR ; SBL id, or JSON lines)",
	run_drop,
};

const struct cirt_parser cirt_parser_spamhaus_asndrop = {
	"spamhaus-asndrop",
	"Spamhaus ASN-DROP (ASn ; CC | name, or JSON lines)",
	run_asndrop,
};

const struct cirt_parser cirt_parser_spamhaus_cert = {
	"spamhaus-cert",
	"Spamhaus CERT portal CSV (ip, asn, country, lastseen, botname, ...)",
	run_cert,
};

const struct cirt_parser cirt_parser_openphish = {
	"openphish",
	"OpenPhish feed (one URL a line)",
	run_openphish,
};

const struct cirt_parser cirt_parser_blocklist = {
	"blocklist",
	"blocklist.de lists (one IP a line; service from option or name)",
	run_blocklist,
};
