/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * IODEF: libxml2 set-up, the offline schema loader, the TLP crosswalk,
 * the enumerations and the error list. See iodef/iodef.h; the reader is
 * iodef_read.c, the writer iodef_write.c, the mapping docs/internals/
 * iodef.md.
 *
 * The schema's imports name remote files (http://www.w3.org/...,
 * https://www.iana.org/...). cirt_iodef_setup() installs, once, an
 * external entity loader in front of libxml2's own. While a schema is
 * being loaded on this thread (loading != NULL) it maps every reference
 * that is not an existing local file to a local file by its basename:
 * first in the schema's directory, then in its "validation-stubs"
 * subdirectory (where the stubs carry short names: ds.xsd, enum.xsd,
 * sci.xsd). Anything else is refused and fails the load. At any other
 * time it refuses every URL with a scheme other than file, so libxml2
 * never reaches the network from this process; local files go to the
 * default loader.
 */
#include "iodef/iodef.h"

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "core/mem.h"
#include "core/text.h"
#include "iodef/iodef_int.h"
#include "core/banned.h"

/* The schema load in progress on this thread. */
struct load {
	char dir[PATH_MAX];	   /* the schema's directory */
	char unresolved[PATH_MAX]; /* the first reference without a file */
	struct cirt_diag first;	   /* the first error of the parse */
	const char *path;
};

static pthread_once_t setup_once = PTHREAD_ONCE_INIT;
static xmlExternalEntityLoader default_loader;
static _Thread_local struct load *loading;

/* ---- enumerations (RFC 7970 section 3, iodef-2.0.xsd) ---- */

const char *const iodef_purpose_values[] = {
	"traceback", "mitigation", "reporting", "watch",
	"other",     "ext-value",  NULL,
};

const char *const iodef_status_values[] = {
	"new",	  "in-progress", "forwarded", "resolved",
	"future", "ext-value",	 NULL,
};

const char *const iodef_restriction_values[] = {
	"default", "public", "partner", "need-to-know", "private", "white",
	"green",   "amber",  "red",	"ext-value",	NULL,
};

const char *const iodef_contact_role_values[] = {
	"creator", "reporter",	      "admin",	   "tech",   "provider",
	"user",	   "billing",	      "legal",	   "abuse",  "irt",
	"cc",	   "cc-irt",	      "leo",	   "vendor", "vendor-support",
	"victim",  "victim-notified", "ext-value", NULL,
};

const char *const iodef_contact_type_values[] = {
	"person",
	"organization",
	"ext-value",
	NULL,
};

const char *const iodef_system_category_values[] = {
	"source",	  "target",    "intermediate", "sensor",
	"infrastructure", "ext-value", NULL,
};

const char *const iodef_address_category_values[] = {
	"asn",	     "atm",	 "e-mail",	    "mac",
	"ipv4-addr", "ipv4-net", "ipv4-net-masked", "ipv4-net-mask",
	"ipv6-addr", "ipv6-net", "ipv6-net-masked", "site-uri",
	"ext-value", NULL,
};

const char *const iodef_severity_values[] = {
	"low",
	"medium",
	"high",
	NULL,
};

const char *const cirt_iodef_business_impacts[] = {
	"breach-proprietary",
	"breach-privacy",
	"breach-credential",
	"loss-of-integrity",
	"loss-of-service",
	"theft-financial",
	"theft-service",
	"degraded-reputation",
	"asset-damage",
	"asset-manipulation",
	"legal",
	"extortion",
	"unknown",
	"ext-value",
	NULL,
};

const char *const iodef_action_values[] = {
	"nothing",
	"contact-source-site",
	"contact-target-site",
	"contact-sender",
	"investigate",
	"block-host",
	"block-network",
	"block-port",
	"rate-limit-host",
	"rate-limit-network",
	"rate-limit-port",
	"redirect-traffic",
	"honeypot",
	"upgrade-software",
	"rebuild-asset",
	"harden-asset",
	"remediate-other",
	"status-triage",
	"status-new-info",
	"watch-and-report",
	"training",
	"defined-coa",
	"other",
	"ext-value",
	NULL,
};

static const char *const yes_no_unknown[] = {"yes", "no", "unknown", NULL};

static const char *const occurrence[] = {"actual", "potential", NULL};

static const char *const completion[] = {"failed", "succeeded", NULL};

static const char *const system_impact_type[] = {
	"takeover-account",
	"takeover-service",
	"takeover-system",
	"cps-manipulation",
	"cps-damage",
	"availability-data",
	"availability-account",
	"availability-service",
	"availability-system",
	"damaged-system",
	"damaged-data",
	"breach-proprietary",
	"breach-privacy",
	"breach-credential",
	"breach-configuration",
	"integrity-data",
	"integrity-configuration",
	"integrity-hardware",
	"traffic-redirection",
	"monitoring-traffic",
	"monitoring-host",
	"policy",
	"unknown",
	"ext-value",
	NULL,
};

static const char *const time_metric[] = {
	"labor", "elapsed", "downtime", "ext-value", NULL,
};

static const char *const duration[] = {
	"second",  "minute", "hour",	  "day", "month",
	"quarter", "year",   "ext-value", NULL,
};

static const char *const confidence_rating[] = {
	"low", "medium", "high", "numeric", "unknown", "ext-value", NULL,
};

static const char *const counter_type[] = {
	"count", "peak", "average", "ext-value", NULL,
};

static const char *const counter_unit[] = {
	"byte",		"mbit",	     "packet",	"flow", "session",
	"event",	"alert",     "message", "host", "site",
	"organization", "ext-value", NULL,
};

static const char *const email_type[] = {
	"direct",
	"hotline",
	"ext-value",
	NULL,
};

static const char *const telephone_type[] = {
	"wired", "mobile", "fax", "hotline", "ext-value", NULL,
};

static const char *const bulk_observable_type[] = {
	"asn",
	"atm",
	"e-mail",
	"ipv4-addr",
	"ipv4-net",
	"ipv4-net-mask",
	"ipv6-addr",
	"ipv6-net",
	"ipv6-net-mask",
	"mac",
	"site-uri",
	"domain-name",
	"domain-to-ipv4",
	"domain-to-ipv6",
	"domain-to-ipv4-timestamp",
	"domain-to-ipv6-timestamp",
	"ipv4-port",
	"ipv6-port",
	"windows-reg-key",
	"file-hash",
	"email-x-mailer",
	"email-subject",
	"http-user-agent",
	"http-request-uri",
	"mutex",
	"file-path",
	"user-name",
	"ext-value",
	NULL,
};

const struct iodef_enum_attr iodef_enum_attrs[] = {
	{NULL, "restriction", iodef_restriction_values},
	{"Incident", "purpose", iodef_purpose_values},
	{"Incident", "status", iodef_status_values},
	{"Contact", "role", iodef_contact_role_values},
	{"Contact", "type", iodef_contact_type_values},
	{"Email", "type", email_type},
	{"Telephone", "type", telephone_type},
	{"System", "category", iodef_system_category_values},
	{"System", "spoofed", yes_no_unknown},
	{"System", "virtual", yes_no_unknown},
	{"Address", "category", iodef_address_category_values},
	{"Assessment", "occurrence", occurrence},
	{"SystemImpact", "severity", iodef_severity_values},
	{"SystemImpact", "completion", completion},
	{"SystemImpact", "type", system_impact_type},
	{"BusinessImpact", "type", cirt_iodef_business_impacts},
	{"TimeImpact", "metric", time_metric},
	{"TimeImpact", "duration", duration},
	{"Confidence", "rating", confidence_rating},
	{"Counter", "type", counter_type},
	{"Counter", "unit", counter_unit},
	{"Counter", "duration", duration},
	{"HistoryItem", "action", iodef_action_values},
	{"BulkObservable", "type", bulk_observable_type},
};

const size_t iodef_enum_nattrs = CIRT_ARRAY_LEN(iodef_enum_attrs);

bool iodef_enum_has(const char *const *values, const char *v)
{
	for (; *values != NULL; values++) {
		if (strcmp(*values, v) == 0)
			return true;
	}
	return false;
}

/* ---- errors ---- */

void iodef_errors_init(struct iodef_errors *e)
{
	e->list = json_array();
	e->n = 0;
	e->code = 0;
	if (e->list == NULL)
		abort(); /* only allocation fails here */
}

void iodef_error_xml(struct iodef_errors *e, int code, long line,
		     const char *msg)
{
	char text[CIRT_DIAG_MSG_MAX];
	json_t *o, *last;
	size_t n;

	snprintf(text, sizeof(text), "%s", msg != NULL ? msg : "(no message)");
	n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' ||
			 text[n - 1] == ' '))
		text[--n] = '\0';
	cirt_utf8_mend(text);
	if (line < 0)
		line = 0;
	/* libxml2 may say the same thing twice (encoding errors). */
	last = json_array_get(e->list, json_array_size(e->list) - 1);
	if (last != NULL &&
	    json_integer_value(json_object_get(last, "line")) == line &&
	    strcmp(json_string_value(json_object_get(last, "message")), text) ==
		    0)
		return;
	if (e->n++ == 0)
		e->code = code;
	if (e->n > CIRT_IODEF_MAX_ERRORS)
		return;
	o = json_pack("{s:I, s:s}", "line", (json_int_t)line, "message", text);
	if (o == NULL || json_array_append_new(e->list, o) < 0)
		abort(); /* only allocation fails here */
}

void iodef_error(struct iodef_errors *e, int code, long line, const char *fmt,
		 ...)
{
	char text[CIRT_DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	iodef_error_xml(e, code, line, text);
}

struct sorted {
	json_int_t line;
	size_t index;
	json_t *v;
};

static int by_line(const void *a, const void *b)
{
	const struct sorted *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int iodef_errors_finish(struct iodef_errors *e, json_t *out,
			struct cirt_diag *d)
{
	size_t n = json_array_size(e->list);
	struct sorted *s;
	int code = e->code;

	if (n > 0) {
		s = cirt_xcalloc(n, sizeof(*s));
		for (size_t i = 0; i < n; i++) {
			s[i].v = json_array_get(e->list, i);
			s[i].line = json_integer_value(
				json_object_get(s[i].v, "line"));
			s[i].index = i;
		}
		qsort(s, n, sizeof(*s), by_line);
		cirt_diag_set(
			d, code, NULL, "line %lld: %s", (long long)s[0].line,
			json_string_value(json_object_get(s[0].v, "message")));
		for (size_t i = 0; out != NULL && i < n; i++) {
			if (json_array_append(out, s[i].v) < 0)
				abort(); /* only allocation fails here */
		}
		free(s);
	}
	json_decref(e->list);
	e->list = NULL;
	return code;
}

/* ---- text ---- */

int iodef_check_text(const char *s, const char *field, struct cirt_diag *d)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), bad;

	if (!cirt_utf8_valid(s, len, &bad))
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s is not valid UTF-8 (byte %zu)", field,
				     bad);
	for (size_t i = 0; i < len; i++) {
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "%s holds the control character "
					     "0x%02x, which XML cannot carry",
					     field, p[i]);
		/* U+FFFE and U+FFFF are EF BF BE and EF BF BF. */
		if (p[i] == 0xef && i + 2 < len && p[i + 1] == 0xbf &&
		    (p[i + 2] == 0xbe || p[i + 2] == 0xbf))
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "%s holds U+FFF%c, which XML "
					     "cannot carry",
					     field,
					     p[i + 2] == 0xbe ? 'E' : 'F');
	}
	return 0;
}

/* ---- set-up and the loader ---- */

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The local path a URL names, or NULL if it has a scheme other than
 * file: (a remote resource). */
static const char *local_path(const char *url)
{
	const char *p;

	if (strncmp(url, "file://", 7) == 0)
		return url[7] == '/' ? url + 7 : NULL;
	for (p = url; *p != '\0' && *p != '/' && *p != ':'; p++)
		;
	return *p == ':' ? NULL : url;
}

/* The short names the validation stubs use for the schema's imports. */
static const char *stub_name(const char *base)
{
	static const char *const alias[][2] = {
		{"xmldsig-core-schema.xsd", "ds.xsd"},
		{"iodef-enum-1.0.xsd", "enum.xsd"},
		{"iodef-sci-1.0.xsd", "sci.xsd"},
	};

	for (size_t i = 0; i < CIRT_ARRAY_LEN(alias); i++) {
		if (strcmp(base, alias[i][0]) == 0)
			return alias[i][1];
	}
	return NULL;
}

/* Find a local copy of url for the schema load l into path. */
static bool find_copy(const struct load *l, const char *url,
		      char path[PATH_MAX])
{
	char base[256];
	const char *slash = strrchr(url, '/');
	const char *names[2];
	size_t n;
	int w;

	snprintf(base, sizeof(base), "%s", slash != NULL ? slash + 1 : url);
	n = strcspn(base, "?#");
	base[n] = '\0';
	if (n == 0 || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return false;
	names[0] = base;
	names[1] = stub_name(base);
	w = snprintf(path, PATH_MAX, "%s/%s", l->dir, base);
	if (w > 0 && w < PATH_MAX && is_file(path))
		return true;
	for (size_t i = 0; i < 2 && names[i] != NULL; i++) {
		w = snprintf(path, PATH_MAX, "%s/validation-stubs/%s", l->dir,
			     names[i]);
		if (w > 0 && w < PATH_MAX && is_file(path))
			return true;
	}
	return false;
}

static xmlParserInputPtr loader(const char *url, const char *id,
				xmlParserCtxtPtr ctxt)
{
	struct load *l = loading;
	const char *local;
	char path[PATH_MAX];

	if (url == NULL)
		return NULL;
	local = local_path(url);
	if (l == NULL)
		return local != NULL ? default_loader(url, id, ctxt) : NULL;
	if (local != NULL && is_file(local))
		return default_loader(url, id, ctxt);
	if (find_copy(l, url, path))
		return default_loader(path, id, ctxt);
	if (l->unresolved[0] == '\0')
		snprintf(l->unresolved, sizeof(l->unresolved), "%s", url);
	return NULL;
}

static void setup(void)
{
	xmlInitParser();
	default_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(loader);
}

void cirt_iodef_setup(void)
{
	pthread_once(&setup_once, setup);
}

/* ---- schema ---- */

static void schema_error(void *arg, xmlErrorPtr err)
{
	struct load *l = arg;
	char msg[CIRT_DIAG_MSG_MAX];
	size_t n;

	if (err == NULL || err->level < XML_ERR_ERROR)
		return;
	snprintf(msg, sizeof(msg), "%s",
		 err->message != NULL ? err->message : "error");
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	cirt_diag_set(&l->first, -CIRT_EINVAL, "schema", "%s:%d: %s",
		      err->file != NULL ? err->file : l->path, err->line, msg);
}

/* The directory of path into dir; false if it does not fit. */
static bool dir_of(const char *path, char dir[PATH_MAX])
{
	const char *slash = strrchr(path, '/');
	int w;

	if (slash == NULL)
		w = snprintf(dir, PATH_MAX, ".");
	else if (slash == path)
		w = snprintf(dir, PATH_MAX, "/");
	else
		w = snprintf(dir, PATH_MAX, "%.*s", (int)(slash - path), path);
	return w > 0 && w < PATH_MAX;
}

int cirt_iodef_schema_load(const char *path, struct cirt_iodef_schema **out,
			   struct cirt_diag *d)
{
	xmlStructuredErrorFunc old_fn;
	void *old_ctx;
	xmlSchemaParserCtxtPtr pctxt;
	xmlSchemaPtr xsd;
	struct load *l;
	int rc = 0;

	*out = NULL;
	cirt_iodef_setup();
	if (!is_file(path))
		return cirt_diag_set(d, -CIRT_EIO, "schema",
				     "cannot read the IODEF schema %s", path);
	l = cirt_xcalloc(1, sizeof(*l));
	cirt_diag_init(&l->first);
	l->path = path;
	if (!dir_of(path, l->dir)) {
		free(l);
		return cirt_diag_set(d, -CIRT_EINVAL, "schema",
				     "the schema path %s is too long", path);
	}
	pctxt = xmlSchemaNewParserCtxt(path);
	if (pctxt == NULL) {
		free(l);
		return cirt_diag_set(d, -CIRT_EINTERNAL, "schema",
				     "cannot create a schema parser");
	}
	/* The parsers of the imported files report through the thread's
	 * handler: catch them too, so nothing goes to stderr. */
	old_fn = xmlStructuredError;
	old_ctx = xmlStructuredErrorContext;
	xmlSchemaSetParserStructuredErrors(pctxt, schema_error, l);
	xmlSetStructuredErrorFunc(l, schema_error);
	loading = l;
	xsd = xmlSchemaParse(pctxt);
	loading = NULL;
	xmlSetStructuredErrorFunc(old_ctx, old_fn);
	xmlSchemaFreeParserCtxt(pctxt);

	if (l->unresolved[0] != '\0')
		rc = cirt_diag_set(d, -CIRT_EIO, "schema",
				   "%s imports %s, which has no local copy in "
				   "%s or %s/validation-stubs (the network is "
				   "never used)",
				   path, l->unresolved, l->dir, l->dir);
	else if (xsd == NULL && l->first.code != 0)
		rc = cirt_diag_set(d, l->first.code, "schema", "%s",
				   l->first.message);
	else if (xsd == NULL)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "schema",
				   "%s is not a usable XML schema", path);
	free(l);
	if (rc < 0) {
		if (xsd != NULL)
			xmlSchemaFree(xsd);
		return rc;
	}
	*out = cirt_xcalloc(1, sizeof(**out));
	(*out)->xsd = xsd;
	return 0;
}

void cirt_iodef_schema_free(struct cirt_iodef_schema *s)
{
	if (s == NULL)
		return;
	xmlSchemaFree(s->xsd);
	free(s);
}

/* ---- TLP ---- */

const char *cirt_iodef_restriction(enum cirt_tlp t, const char **ext)
{
	if (ext != NULL)
		*ext = NULL;
	switch (t) {
	case CIRT_TLP_CLEAR:
		return "public";
	case CIRT_TLP_GREEN:
		return "green";
	case CIRT_TLP_AMBER:
		return "amber";
	case CIRT_TLP_AMBER_STRICT:
		if (ext != NULL)
			*ext = "amber+strict";
		return "ext-value";
	case CIRT_TLP_RED:
		return "red";
	case CIRT_TLP_NONE:
	case CIRT_TLP_COUNT:
		break;
	}
	return NULL;
}

enum cirt_tlp cirt_iodef_tlp(const char *restriction, const char *ext)
{
	static const struct {
		const char *name;
		enum cirt_tlp tlp;
	} map[] = {
		{"public", CIRT_TLP_CLEAR}, {"white", CIRT_TLP_CLEAR},
		{"green", CIRT_TLP_GREEN},  {"partner", CIRT_TLP_GREEN},
		{"amber", CIRT_TLP_AMBER},  {"need-to-know", CIRT_TLP_AMBER},
		{"private", CIRT_TLP_RED},  {"red", CIRT_TLP_RED},
	};
	enum cirt_tlp t;

	if (restriction == NULL)
		return CIRT_TLP_NONE;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(map); i++) {
		if (strcmp(restriction, map[i].name) == 0)
			return map[i].tlp;
	}
	/* ext-value: "amber+strict", or any other TLP name ("TLP:RED"). */
	if (strcmp(restriction, "ext-value") == 0 && ext != NULL &&
	    cirt_tlp_parse(ext, &t) == 0)
		return t;
	return CIRT_TLP_NONE;
}

/* ---- the plain structure ---- */

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void incident_release(struct cirt_iodef_incident *in)
{
	free(in->id_name);
	free(in->id);
	free(in->alt_id_name);
	free(in->alt_id);
	free(in->purpose);
	free(in->status);
	free(in->lang);
	free(in->title);
	free(in->description);
	free(in->category);
	free(in->severity);
	free(in->impact);
	free_list(in->related, in->nrelated);
	for (size_t i = 0; i < in->ncontacts; i++) {
		free(in->contacts[i].role);
		free(in->contacts[i].type);
		free(in->contacts[i].name);
		free(in->contacts[i].email);
		free(in->contacts[i].phone);
	}
	free(in->contacts);
	for (size_t i = 0; i < in->nobservables; i++) {
		free(in->observables[i].category);
		free(in->observables[i].value);
		free(in->observables[i].role);
	}
	free(in->observables);
	for (size_t i = 0; i < in->nhistory; i++) {
		free(in->history[i].action);
		free(in->history[i].text);
	}
	free(in->history);
}

void cirt_iodef_doc_release(struct cirt_iodef_doc *doc)
{
	if (doc == NULL)
		return;
	for (size_t i = 0; i < doc->nincidents; i++)
		incident_release(&doc->incidents[i]);
	free(doc->incidents);
	doc->incidents = NULL;
	doc->nincidents = 0;
}
