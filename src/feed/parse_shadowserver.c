/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The "shadowserver" parser: any Shadowserver report (CSV with a header
 * row, one report type per file), read generically from its header, so a
 * report type or a column never seen before still becomes events with
 * all of its columns (FEED-07). It does not fetch reports nor check their
 * signature.
 *
 * Report type: the option report=, else the input's name without its
 * directories, its extension, a leading "YYYY-MM-DD-" and anything from
 * the first '-' on ("2019-09-04-scan_ntp-nation.csv" is scan_ntp). IPv6
 * reports (scan6_*, event6_*) classify as their IPv4 twins.
 *
 * Classification, the longest entry of the table below that the report
 * type starts with (an entry matches whole words: scan_ntp is not a
 * prefix of scan_ntpmonitor):
 *  - UDP services that amplify floods (chargen, qotd, ntp, ntpmonitor,
 *    memcached, ssdp, snmp, netbios, mdns, portmapper, open DNS
 *    resolvers, ldap_udp, mssql, ard, coap, ubiquiti, rdpeudp, db2,
 *    dvr_dhcpdiscover, ws_discovery, xdmcp, tftp, sentinel, slp, stun):
 *    vulnerable:ddos-amplifier;
 *  - scan_http_vulnerable, scan_exchange, scan_isakmp:
 *    vulnerable:vulnerable-system; scan_ssl_poodle, scan_ssl_freak:
 *    vulnerable:weak-crypto;
 *  - databases that answer anyone (elasticsearch, mongodb, redis,
 *    couchdb, cassandra, hadoop): vulnerable:information-disclosure;
 *  - every other scan_* (rdp, smb, telnet, ssh, vnc, ftp, ...): a service
 *    reachable that most owners do not mean to expose,
 *    vulnerable:potentially-unwanted-accessible;
 *  - sinkholes (event4_sinkhole*, event4_microsoft_sinkhole*, and the old
 *    drone reports): malicious-code:infected-system, identifier from the
 *    "infection" column, malware.name from "family";
 *  - event4_honeypot_brute_force: intrusion-attempts:brute-force
 *    (identifier from "infection"); event4_honeypot_ddos*,
 *    event4_ddos_participant: availability:ddos; other honeypot and
 *    darknet reports: information-gathering:scanner;
 *  - blocklist: other:other, identifier "blocklist"; malware_url:
 *    malicious-code:malware-distribution; phish_url: fraud:phishing;
 *    compromised_website: intrusions:system-compromise; device_id:
 *    other:other;
 *  - anything else: other:undetermined.
 * The identifier is the report type unless said otherwise; scan reports
 * set protocol.application from their name (scan_ntp: ntp).
 *
 * Columns: timestamp is time.source; ip (an address or a prefix), port,
 * asn, geo, url and host the source's (host only when it is a name, or
 * the address when ip is empty); protocol and application are
 * protocol.transport and protocol.application; src_* and dst_* the
 * source's and destination's; http_host the destination's name;
 * hostname extra "source.reverse_dns". Every other non-empty
 * column goes to extra under its own name. A bad time or IP makes the row
 * malformed (counted, skipped); any other value that does not fit its
 * field goes to extra instead. A row with more fields than the header is
 * malformed; fewer is fine.
 *
 * The option schema=PATH names a Shadowserver/IntelMQ schema file
 * (report -> constant_fields, required_fields, optional_fields of
 * [target, column, conversion]). When the report type is in it (as a key
 * or a "file_name"), its mappings take the columns it names and its
 * constants are set last, so both win over the table. Targets cirt_event
 * does not know ("source.reverse_dns") go to extra under the target
 * name; conversions understood are invalidate_zero, validate_to_none and
 * convert_bool, others keep the text. A required column that is in the
 * header but empty in a row makes the row malformed.
 *
 * Layer: feed. One run is single-threaded; memory is one record, the
 * header's names and the schema entry.
 */
#include "feed/parser.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/csv.h"
#include "core/json.h"
#include "core/mem.h"
#include "feed/parse_int.h"
#include "core/banned.h"

#define SCHEMA_MAX  (16u << 20)
#define TYPE_MAX    64
#define PATH_OPTION 1024

enum {
	R_INFECTION = 1,
	R_MALWARE = 2,
	R_SCAN = 4
};

struct report {
	const char *prefix;
	const char *cls, *type;
	unsigned flags;
	const char *ident; /* NULL: the report type */
};

#define AMP(t)                                                          \
	{                                                               \
		"scan_" t, "vulnerable", "ddos-amplifier", R_SCAN, NULL \
	}
#define VULN(t)                                                            \
	{                                                                  \
		"scan_" t, "vulnerable", "vulnerable-system", R_SCAN, NULL \
	}
#define CRYPTO(t)                                                    \
	{                                                            \
		"scan_" t, "vulnerable", "weak-crypto", R_SCAN, NULL \
	}
#define OPEN(t)                                                            \
	{                                                                  \
		"scan_" t, "vulnerable", "information-disclosure", R_SCAN, \
			NULL                                               \
	}
#define SINK(t)                                         \
	{                                               \
		t, "malicious-code", "infected-system", \
			R_INFECTION | R_MALWARE, NULL   \
	}

static const struct report reports[] = {
	AMP("chargen"),
	AMP("qotd"),
	AMP("ntp"),
	AMP("ntpmonitor"),
	AMP("memcached"),
	AMP("ssdp"),
	AMP("snmp"),
	AMP("netbios"),
	AMP("mdns"),
	AMP("portmapper"),
	AMP("dns"),
	AMP("ldap_udp"),
	AMP("mssql"),
	AMP("ard"),
	AMP("coap"),
	AMP("ubiquiti"),
	AMP("rdpeudp"),
	AMP("db2"),
	AMP("dvr_dhcpdiscover"),
	AMP("ws_discovery"),
	AMP("xdmcp"),
	AMP("tftp"),
	AMP("sentinel"),
	AMP("slp"),
	AMP("stun"),
	VULN("http_vulnerable"),
	VULN("exchange"),
	VULN("isakmp"),
	CRYPTO("ssl_poodle"),
	CRYPTO("ssl_freak"),
	OPEN("elasticsearch"),
	OPEN("mongodb"),
	OPEN("redis"),
	OPEN("couchdb"),
	OPEN("cassandra"),
	OPEN("hadoop"),
	{"scan_", "vulnerable", "potentially-unwanted-accessible", R_SCAN,
	 NULL},
	SINK("event4_sinkhole"),
	SINK("event4_microsoft_sinkhole"),
	SINK("botnet_drone"),
	SINK("drone"),
	SINK("microsoft_sinkhole"),
	SINK("sinkhole_http_drone"),
	{"event4_honeypot_brute_force", "intrusion-attempts", "brute-force",
	 R_INFECTION, NULL},
	{"event4_honeypot_ddos", "availability", "ddos", 0, NULL},
	{"event4_ddos_participant", "availability", "ddos", 0, NULL},
	{"event4_honeypot", "information-gathering", "scanner", 0, NULL},
	{"event4_darknet", "information-gathering", "scanner", 0, NULL},
	{"blocklist", "other", "other", 0, "blocklist"},
	{"malware_url", "malicious-code", "malware-distribution", 0, NULL},
	{"phish_url", "fraud", "phishing", 0, NULL},
	{"compromised_website", "intrusions", "system-compromise", 0, NULL},
	{"device_id", "other", "other", 0, NULL},
};

static const struct report undetermined = {"", "other", "undetermined", 0,
					   NULL};

/* What a column does. */
enum act {
	A_EXTRA,     /* extra under name */
	A_SET,	     /* field name; a bad value goes to extra instead */
	A_HARD,	     /* field name; a bad value spoils the row */
	A_IP,	     /* source.ip or source.network */
	A_HOST,	     /* source.fqdn, or source.ip if it is an address */
	A_INFECTION, /* the identifier (R_INFECTION), else extra */
	A_FAMILY,    /* malware.name (R_MALWARE), else extra */
	A_IGNORE,
};

enum conv {
	C_TEXT,
	C_ZERO, /* "0" is no value */
	C_BOOL, /* Y/N, yes/no, true/false, 1/0 into true/false */
};

static const struct {
	const char *col;
	enum act act;
	const char *name;
} columns[] = {
	{"timestamp", A_HARD, "time.source"},
	{"ip", A_IP, "source.ip"},
	{"src_ip", A_HARD, "source.ip"},
	{"dst_ip", A_HARD, "destination.ip"},
	{"port", A_SET, "source.port"},
	{"src_port", A_SET, "source.port"},
	{"dst_port", A_SET, "destination.port"},
	{"protocol", A_SET, "protocol.transport"},
	{"asn", A_SET, "source.asn"},
	{"src_asn", A_SET, "source.asn"},
	{"dst_asn", A_SET, "destination.asn"},
	{"geo", A_SET, "source.geolocation.cc"},
	{"src_geo", A_SET, "source.geolocation.cc"},
	{"dst_geo", A_SET, "destination.geolocation.cc"},
	{"hostname", A_EXTRA, "source.reverse_dns"},
	{"src_hostname", A_EXTRA, "source.reverse_dns"},
	{"dst_hostname", A_EXTRA, "destination.reverse_dns"},
	{"url", A_SET, "source.url"},
	{"host", A_HOST, "source.fqdn"},
	{"http_host", A_SET, "destination.fqdn"},
	{"application", A_SET, "protocol.application"},
	{"infection", A_INFECTION, "classification.identifier"},
	{"family", A_FAMILY, "malware.name"},
};

struct col {
	enum act act;
	enum conv conv;
	bool required;
	char *name; /* event field or extra key (owned) */
	char *col;  /* the column's header name (owned) */
};

struct run {
	struct cirt_feed_run fr;
	const struct report *rep;
	char type[TYPE_MAX]; /* the report type */
	char app[TYPE_MAX];  /* protocol.application of scan reports */
	const char *ident;   /* classification.identifier */
	json_t *schema;	     /* the report's schema entry, or NULL */
	struct col *cols;
	size_t ncols;
	bool have_header; /* the first row was read */
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The report type from an input name, into out (TYPE_MAX bytes). */
static void type_from_name(const char *name, char *out)
{
	const char *b = strrchr(name, '/');
	size_t n, i;

	b = b ? b + 1 : name;
	n = strcspn(b, ".");
	if (n > 11 && is_digit(b[0]) && is_digit(b[1]) && is_digit(b[2]) &&
	    is_digit(b[3]) && b[4] == '-' && is_digit(b[5]) && is_digit(b[6]) &&
	    b[7] == '-' && is_digit(b[8]) && is_digit(b[9]) && b[10] == '-') {
		b += 11;
		n -= 11;
	}
	n = CIRT_MIN(n, strcspn(b, "-"));
	n = CIRT_MIN(n, (size_t)TYPE_MAX - 1);
	for (i = 0; i < n; i++)
		out[i] = cirt_feed_lower(b[i]);
	out[n] = '\0';
}

/* The table entry for type (scan6_ and event6_ read as scan_, event4_). */
static const struct report *lookup(const char *type)
{
	const struct report *best = &undetermined;
	char t[TYPE_MAX + 2];
	size_t i, n, bestn = 0;

	if (strncmp(type, "scan6_", 6) == 0)
		snprintf(t, sizeof(t), "scan_%.*s", TYPE_MAX - 6, type + 6);
	else if (strncmp(type, "event6_", 7) == 0)
		snprintf(t, sizeof(t), "event4_%.*s", TYPE_MAX - 7, type + 7);
	else
		snprintf(t, sizeof(t), "%.*s", TYPE_MAX - 1, type);
	for (i = 0; i < CIRT_ARRAY_LEN(reports); i++) {
		n = strlen(reports[i].prefix);
		if (n <= bestn || strncmp(t, reports[i].prefix, n) != 0)
			continue;
		if (reports[i].prefix[n - 1] != '_' && t[n] != '\0' &&
		    t[n] != '_')
			continue;
		best = &reports[i];
		bestn = n;
	}
	return best;
}

/* protocol.application of a scan report: the word after "scan_". */
static void scan_app(const char *type, char *out)
{
	const char *p = strchr(type, '_');
	size_t n;

	out[0] = '\0';
	if (p == NULL)
		return;
	p++;
	n = strcspn(p, "_");
	if (n > 0 && n < TYPE_MAX) {
		memcpy(out, p, n);
		out[n] = '\0';
	}
}

/* Read the file at path (at most SCHEMA_MAX bytes) and parse it. */
static int load_json(const char *path, json_t **out, struct cirt_diag *d)
{
	size_t len = 0, cap = 1u << 16;
	char *buf;
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cirt_diag_set(d, -CIRT_EIO, "schema",
				     "cannot open the schema %s: %s", path,
				     strerror(errno));
	buf = cirt_xmalloc(cap);
	for (;;) {
		if (len == cap) {
			if (cap >= SCHEMA_MAX) {
				rc = cirt_diag_set(d, -CIRT_ELIMIT, "schema",
						   "the schema %s is larger "
						   "than %u bytes",
						   path, SCHEMA_MAX);
				goto out;
			}
			cap *= 2;
			buf = cirt_xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = cirt_diag_set(d, -CIRT_EIO, "schema",
					   "cannot read the schema %s: %s",
					   path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	rc = cirt_json_parse(buf, len, 16, out, d);
out:
	free(buf);
	close(fd);
	return rc;
}

/* The schema's entry for r->type, if the option names a schema. */
static int schema_find(struct run *r)
{
	char path[PATH_OPTION];
	const char *key, *fname;
	json_t *all = NULL, *e;
	int rc;

	rc = cirt_feed_run_option(&r->fr, "schema", path, sizeof(path));
	if (rc < 0)
		return rc;
	if (rc == 0 || path[0] == '\0')
		return 0;
	rc = load_json(path, &all, r->fr.d);
	if (rc < 0)
		return rc;
	if (!json_is_object(all)) {
		json_decref(all);
		return cirt_diag_set(r->fr.d, -CIRT_EINVAL, "schema",
				     "the schema %s is not a JSON object",
				     path);
	}
	json_object_foreach (all, key, e) {
		fname = json_string_value(json_object_get(e, "file_name"));
		if (json_is_object(e) &&
		    (strcmp(key, r->type) == 0 ||
		     (fname && strcmp(fname, r->type) == 0))) {
			r->schema = json_incref(e);
			break;
		}
	}
	json_decref(all);
	return 0;
}

/* Is name one cirt_event_set knows (not counting extra.*)? */
static bool known_field(const char *name)
{
	size_t i;

	for (i = 0; cirt_event_fields[i] != NULL; i++)
		if (strcmp(cirt_event_fields[i], name) == 0)
			return strcmp(name, "extra.*") != 0;
	return false;
}

static bool hard_field(const char *name)
{
	return strcmp(name, "time.source") == 0 ||
	       strcmp(name, "source.ip") == 0 ||
	       strcmp(name, "source.network") == 0 ||
	       strcmp(name, "destination.ip") == 0 ||
	       strcmp(name, "destination.network") == 0;
}

/* A column the schema maps: [target, column, conversion]. */
static void col_from_schema(struct col *c, json_t *m, bool required)
{
	const char *t = json_string_value(json_array_get(m, 0));
	const char *v = json_string_value(json_array_get(m, 2));

	c->required = required;
	c->conv = C_TEXT;
	if (v && strcmp(v, "invalidate_zero") == 0)
		c->conv = C_ZERO;
	else if (v && strcmp(v, "convert_bool") == 0)
		c->conv = C_BOOL;
	free(c->name);
	if (strcmp(t, "__IGNORE__") == 0) {
		c->act = A_IGNORE;
		c->name = cirt_xstrdup(t);
	} else if (strcmp(t, "extra.") == 0) {
		c->act = A_EXTRA;
		c->name = cirt_xstrdup(c->col);
	} else if (strncmp(t, "extra.", 6) == 0) {
		c->act = A_EXTRA;
		c->name = cirt_xstrdup(t + 6);
	} else if (known_field(t)) {
		c->act = hard_field(t) ? A_HARD : A_SET;
		c->name = cirt_xstrdup(t);
	} else {
		c->act = A_EXTRA;
		c->name = cirt_xstrdup(t);
	}
}

/* Let the schema's required_fields/optional_fields take the columns they
 * name. */
static void cols_schema(struct run *r, const char *list, bool required)
{
	json_t *fields = json_object_get(r->schema, list), *m;
	const char *col;
	size_t i, k;

	json_array_foreach (fields, i, m) {
		col = json_string_value(json_array_get(m, 1));
		if (col == NULL ||
		    json_string_value(json_array_get(m, 0)) == NULL)
			continue;
		for (k = 0; k < r->ncols; k++)
			if (strcmp(r->cols[k].col, col) == 0)
				col_from_schema(&r->cols[k], m, required);
	}
}

/* The columns from the header row. */
static int header(struct run *r, const struct cirt_csv_rec *rec)
{
	struct col *c;
	size_t i, k;
	bool ts = false;

	r->cols = cirt_xcalloc(rec->nf, sizeof(*r->cols));
	r->ncols = rec->nf;
	for (i = 0; i < rec->nf; i++) {
		c = &r->cols[i];
		c->col = cirt_xstrndup(rec->f[i].p, rec->f[i].n);
		cirt_feed_lower_str(c->col);
		c->act = A_EXTRA;
		for (k = 0; k < CIRT_ARRAY_LEN(columns); k++)
			if (strcmp(columns[k].col, c->col) == 0)
				break;
		if (k < CIRT_ARRAY_LEN(columns)) {
			c->act = columns[k].act;
			c->name = cirt_xstrdup(columns[k].name);
		} else {
			c->name = cirt_xstrdup(c->col);
		}
		ts = ts || strcmp(c->col, "timestamp") == 0;
	}
	if (!ts)
		return cirt_diag_set(r->fr.d, -CIRT_EINVAL, NULL,
				     "not a Shadowserver report: the first "
				     "line has no \"timestamp\" column");
	if (r->schema) {
		cols_schema(r, "required_fields", true);
		cols_schema(r, "optional_fields", false);
	}
	return 0;
}

/* A value whose column is named "host": a name, or an address. */
static int set_host(struct cirt_feed_run *r, const struct col *c, const char *v,
		    size_t n)
{
	struct cirt_ip ip;

	if (cirt_ip_parse(v, n, false, false, &ip, NULL, NULL) < 0)
		return cirt_feed_rec_soft(r, "source.fqdn", c->col, v, n);
	if (r->ev.src.has_ip)
		return memcmp(&ip, &r->ev.src.ip, sizeof(ip)) == 0
			       ? 0
			       : cirt_feed_rec_extra(r, c->col, v, n);
	r->ev.src.ip = ip;
	r->ev.src.has_ip = true;
	return 0;
}

static int set_col(struct run *r, const struct col *c, const char *v, size_t n)
{
	unsigned f = r->rep->flags;

	switch (c->act) {
	case A_SET:
		return cirt_feed_rec_soft(&r->fr, c->name, c->col, v, n);
	case A_HARD:
		return cirt_feed_rec_set(&r->fr, c->name, v, n);
	case A_IP:
		return cirt_feed_rec_set(&r->fr,
					 memchr(v, '/', n) ? "source.network"
							   : "source.ip",
					 v, n);
	case A_INFECTION:
		if (f & R_INFECTION)
			return cirt_feed_rec_soft(&r->fr, c->name, c->col, v,
						  n);
		return cirt_feed_rec_extra(&r->fr, c->col, v, n);
	case A_FAMILY:
		if (f & R_MALWARE)
			return cirt_feed_rec_soft(&r->fr, c->name, c->col, v,
						  n);
		return cirt_feed_rec_extra(&r->fr, c->col, v, n);
	case A_IGNORE:
		return 0;
	case A_HOST: /* after the others */
		return 0;
	default:
		return cirt_feed_rec_extra(&r->fr, c->name, v, n);
	}
}

/* Apply the conversion of c to v[0..*n): false if no value is left. */
static bool convert(const struct col *c, const char **v, size_t *n)
{
	char b;

	if (c->conv == C_ZERO)
		return !(*n == 1 && **v == '0');
	if (c->conv != C_BOOL)
		return true;
	b = cirt_feed_lower(**v);
	if (b == 'y' || b == 't' || (b == '1' && *n == 1)) {
		*v = "true";
		*n = 4;
	} else if (b == 'n' || b == 'f' || (b == '0' && *n == 1)) {
		*v = "false";
		*n = 5;
	}
	return true;
}

/* The schema's constants, set last so they win. */
static int constants(struct run *r)
{
	json_t *cf = json_object_get(r->schema, "constant_fields"), *v;
	const char *k, *s;
	char num[32];

	json_object_foreach (cf, k, v) {
		s = cirt_feed_json_text(v, num, sizeof(num));
		if (s == NULL)
			continue;
		if (known_field(k) || strncmp(k, "extra.", 6) == 0) {
			if (cirt_feed_rec_set(&r->fr, k, s, strlen(s)) < 0)
				return -1;
		} else if (cirt_feed_rec_extra(&r->fr, k, s, strlen(s)) < 0) {
			return -1;
		}
	}
	return 0;
}

/* Fill r->fr.ev from one row: 0, or -1 with r->fr.rd saying why. */
static int row(struct run *r, const struct cirt_csv_rec *rec)
{
	struct cirt_event *ev = &r->fr.ev;
	const struct col *host = NULL;
	const char *v, *hv = NULL;
	size_t i, n, hn = 0;

	if (rec->nf > r->ncols)
		return cirt_diag_set(&r->fr.rd, -CIRT_EINVAL, NULL,
				     "%zu fields, the header has %zu", rec->nf,
				     r->ncols);
	cirt_feed_copy(ev->cls, sizeof(ev->cls), r->rep->cls);
	cirt_feed_copy(ev->type, sizeof(ev->type), r->rep->type);
	cirt_feed_copy(ev->identifier, sizeof(ev->identifier), r->ident);
	cirt_feed_copy(ev->application, sizeof(ev->application), r->app);
	for (i = 0; i < rec->nf; i++) {
		v = rec->f[i].p;
		n = rec->f[i].n;
		if (n == 0 || !convert(&r->cols[i], &v, &n)) {
			if (r->cols[i].required)
				return cirt_diag_set(&r->fr.rd, -CIRT_EINVAL,
						     r->cols[i].col,
						     "required column \"%s\" "
						     "is empty",
						     r->cols[i].col);
			continue;
		}
		if (r->cols[i].act == A_HOST) {
			host = &r->cols[i];
			hv = v;
			hn = n;
		} else if (set_col(r, &r->cols[i], v, n) < 0) {
			return -1;
		}
	}
	if (host && set_host(&r->fr, host, hv, hn) < 0)
		return -1;
	if (r->schema && constants(r) < 0)
		return -1;
	return 0;
}

/* cirt_feed_csv_fn: the header row first, then the reports' rows. */
static int record(void *arg, const struct cirt_csv_rec *rec)
{
	struct run *r = arg;
	int rc;

	if (!r->have_header) {
		r->have_header = true;
		rc = header(r, rec);
		return rc < 0 ? rc : CIRT_FEED_SKIP;
	}
	return row(r, rec) < 0 ? CIRT_FEED_BAD : CIRT_FEED_EMIT;
}

static int setup(struct run *r)
{
	int rc;

	rc = cirt_feed_run_option(&r->fr, "report", r->type, sizeof(r->type));
	if (rc < 0)
		return rc;
	if (rc == 0)
		type_from_name(cirt_feed_src_base(r->fr.src), r->type);
	cirt_feed_lower_str(r->type);
	r->rep = lookup(r->type);
	r->ident = r->rep->ident ? r->rep->ident
		   : r->type[0]	 ? r->type
				 : "shadowserver";
	if (r->rep->flags & R_SCAN)
		scan_app(r->type, r->app);
	return schema_find(r);
}

static int run(const struct cirt_feed_src *src, cirt_emit_fn emit, void *arg,
	       struct cirt_feed_stats *st, struct cirt_diag *d)
{
	struct run r = {.rep = NULL};
	size_t i;
	int rc;

	cirt_feed_run_init(&r.fr, src, emit, arg, st, d);
	rc = setup(&r);
	if (rc == 0)
		rc = cirt_feed_csv_each(&r.fr, &cirt_csv_default_opts, NULL, 0,
					record, &r);
	if (rc == 0 && !r.have_header)
		rc = cirt_diag_set(d, -CIRT_EINVAL, NULL,
				   "not a Shadowserver report: no header row");
	for (i = 0; i < r.ncols; i++) {
		free(r.cols[i].name);
		free(r.cols[i].col);
	}
	free(r.cols);
	json_decref(r.schema);
	cirt_feed_run_release(&r.fr);
	return rc;
}

const struct cirt_parser cirt_parser_shadowserver = {
	"shadowserver",
	"Shadowserver reports (CSV, any report type, from the header row)",
	run,
};
