/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Reading an IODEF-Document (cirt_iodef_read, iodef/iodef.h): parse,
 * check, map.
 *
 * Parse: at most CIRT_IODEF_MAX_BYTES, with XML_PARSE_NONET and without
 * DTD loading, entity substitution or XInclude. A DOCTYPE stops the
 * parser where it starts: IODEF uses no DTD, and refusing it keeps
 * entity declarations (external ones, and the "billion laughs") out
 * entirely. libxml2's depth and text limits stay on (no XML_PARSE_HUGE).
 * Every message of the parser and of the schema validator is collected
 * through a structured handler with its line, never printed.
 *
 * Check: with a schema, xmlSchemaValidateDoc with a validation context of
 * this call (the compiled schema is shared read-only); without one, the
 * rules of standards.md 3.3 a schema would enforce (IODEF-01 to -06:
 * root, Incident sequence and required members, the enumerations of
 * iodef_int.h, Node, Indicator, HistoryItem, TimeImpact, Confidence,
 * Counter). Either way then the rules no XSD can express: version
 * present, an "ext-value" always with its ext-* attribute (IODEF-03), an
 * Address whose text fits its (possibly default) category (IODEF-04),
 * private-enum-id only with private-enum-name (IODEF-09).
 *
 * Map: into struct cirt_iodef_doc, as docs/internals/iodef.md describes;
 * timestamps need a time zone. Any error leaves out empty.
 */
#include "iodef/iodef.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "core/mem.h"
#include "core/time.h"
#include "iodef/iodef_int.h"
#include "core/banned.h"

#define READ_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA)

#define X(s)	     ((const xmlChar *)(s))

struct rd {
	struct iodef_errors e;
	bool schema;
};

/* ---- nodes ---- */

static bool is_iodef(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	       n->ns->href != NULL &&
	       strcmp((const char *)n->ns->href, IODEF_NS) == 0;
}

static bool is(const xmlNode *n, const char *name)
{
	return is_iodef(n) && strcmp((const char *)n->name, name) == 0;
}

static const char *name_of(const xmlNode *n)
{
	return (const char *)n->name;
}

static long line_of(const xmlNode *n)
{
	return xmlGetLineNo(n);
}

/* The first child element named name after (not including) after, or
 * the first one at all when after is NULL. */
static xmlNode *child(const xmlNode *parent, const char *name,
		      const xmlNode *after)
{
	xmlNode *n = after != NULL ? after->next : parent->children;

	for (; n != NULL; n = n->next) {
		if (is(n, name))
			return n;
	}
	return NULL;
}

#define FOR_CHILD(c, parent, name)                                  \
	for (xmlNode *c = child((parent), (name), NULL); c != NULL; \
	     c = child((parent), (name), c))

/* An attribute (no namespace) as libxml2 holds it; xmlFree it. */
static char *prop(const xmlNode *n, const char *name)
{
	return (char *)xmlGetNoNsProp(n, X(name));
}

static bool has_prop(const xmlNode *n, const char *name)
{
	return xmlHasNsProp(n, X(name), NULL) != NULL;
}

/* Copy s (xmlChar *) into a malloc'd string and release it; with trim,
 * without the white space an xs:NMTOKEN or xs:dateTime may carry. */
static char *own(xmlChar *s, bool trim)
{
	const char *p = (const char *)s;
	size_t n;
	char *r;

	if (s == NULL)
		return NULL;
	n = strlen(p);
	if (trim) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
			n--;
		}
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
				 p[n - 1] == '\n' || p[n - 1] == '\r'))
			n--;
	}
	r = cirt_xstrndup(p, n);
	xmlFree(s);
	return r;
}

static char *text_of(const xmlNode *n)
{
	char *s = own(xmlNodeGetContent(n), false);

	return s != NULL ? s : cirt_xstrdup("");
}

static char *attr_of(const xmlNode *n, const char *name)
{
	return own(xmlGetNoNsProp(n, X(name)), true);
}

/* An enumerated attribute, the ext-* value when it is "ext-value". */
static char *enum_of(const xmlNode *n, const char *name)
{
	char ext[64];
	char *v = attr_of(n, name);

	if (v == NULL || strcmp(v, "ext-value") != 0)
		return v;
	free(v);
	snprintf(ext, sizeof(ext), "ext-%s", name);
	return own(xmlGetNoNsProp(n, X(ext)), false); /* xs:string */
}

/* ---- parse ---- */

static void parse_error(void *arg, xmlErrorPtr err)
{
	xmlParserCtxtPtr ctxt = arg;
	struct rd *r = ctxt->_private;

	if (r == NULL || err == NULL || err->level < XML_ERR_ERROR)
		return;
	iodef_error_xml(&r->e, -CIRT_EINVAL, err->line, err->message);
}

/* Errors raised without a parser context (encoding conversion, I/O):
 * libxml2 sends them to the thread's handler, set for the read. */
static void thread_error(void *arg, xmlErrorPtr err)
{
	struct rd *r = arg;

	if (err == NULL || err->level < XML_ERR_ERROR)
		return;
	iodef_error_xml(&r->e, -CIRT_EINVAL, err->line, err->message);
}

static void refuse_doctype(void *arg, const xmlChar *name,
			   const xmlChar *external_id, const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = arg;
	struct rd *r = ctxt->_private;

	(void)name;
	(void)external_id;
	(void)system_id;
	iodef_error(&r->e, -CIRT_EINVAL, xmlSAX2GetLineNumber(ctxt),
		    "a DOCTYPE is not allowed in an IODEF document (no DTD, "
		    "no entity declarations)");
	xmlStopParser(ctxt);
}

static xmlDocPtr parse(struct rd *r, const char *xml, size_t len)
{
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlDocPtr doc;

	if (ctxt == NULL) {
		iodef_error(&r->e, -CIRT_EINTERNAL, 0,
			    "cannot create an XML parser");
		return NULL;
	}
	ctxt->_private = r;
	ctxt->sax->serror = parse_error;
	ctxt->sax->internalSubset = refuse_doctype;
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, NULL, READ_OPTIONS);
	if (doc != NULL && (r->e.n > 0 || !ctxt->wellFormed)) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (doc == NULL && r->e.n == 0)
		iodef_error(&r->e, -CIRT_EINVAL, 0,
			    "the document is not well-formed XML");
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* ---- checks ---- */

static void valid_error(void *arg, xmlErrorPtr err)
{
	struct rd *r = arg;

	if (err == NULL || err->level < XML_ERR_ERROR)
		return;
	iodef_error_xml(&r->e, -CIRT_EINVAL, err->line, err->message);
}

static void validate(struct rd *r, const struct cirt_iodef_schema *schema,
		     xmlDocPtr doc)
{
	xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema->xsd);
	size_t before = r->e.n;
	int rc;

	if (v == NULL) {
		iodef_error(&r->e, -CIRT_EINTERNAL, 0,
			    "cannot create a schema validation context");
		return;
	}
	xmlSchemaSetValidStructuredErrors(v, valid_error, r);
	rc = xmlSchemaValidateDoc(v, doc);
	xmlSchemaFreeValidCtxt(v);
	if (rc != 0 && r->e.n == before)
		iodef_error(&r->e, rc < 0 ? -CIRT_EINTERNAL : -CIRT_EINVAL, 0,
			    "the document does not validate against the "
			    "IODEF schema");
}

/* One element of an XSD sequence. */
struct seq {
	const char *name;
	bool many;
	bool required;
};

static const struct seq root_seq[] = {
	{"Incident", true, true},
	{"AdditionalData", true, false},
};

static const struct seq incident_seq[] = {
	{"IncidentID", false, true},	  {"AlternativeID", false, false},
	{"RelatedActivity", true, false}, {"DetectTime", false, false},
	{"StartTime", false, false},	  {"EndTime", false, false},
	{"RecoveryTime", false, false},	  {"ReportTime", false, false},
	{"GenerationTime", false, true},  {"Description", true, false},
	{"Discovery", true, false},	  {"Assessment", true, false},
	{"Method", true, false},	  {"Contact", true, true},
	{"EventData", true, false},	  {"IndicatorData", false, false},
	{"History", false, false},	  {"AdditionalData", true, false},
};

/* The children of n follow seq, in order, each within its count. */
static void check_sequence(struct rd *r, const xmlNode *n,
			   const struct seq *seq, size_t nseq, const char *rule)
{
	size_t counts[32] = {0}, at = 0, k;

	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (k = 0; k < nseq; k++) {
			if (is(c, seq[k].name))
				break;
		}
		if (k == nseq) {
			iodef_error(&r->e, -CIRT_EINVAL, line_of(c),
				    "%s may not contain %s (%s)", name_of(n),
				    name_of(c), rule);
			continue;
		}
		if (k < at)
			iodef_error(&r->e, -CIRT_EINVAL, line_of(c),
				    "%s comes after %s in %s, out of the "
				    "schema's order (%s)",
				    name_of(c), seq[at].name, name_of(n), rule);
		else
			at = k;
		if (++counts[k] == 2 && !seq[k].many)
			iodef_error(&r->e, -CIRT_EINVAL, line_of(c),
				    "%s has more than one %s (%s)", name_of(n),
				    name_of(c), rule);
	}
	for (k = 0; k < nseq; k++) {
		if (seq[k].required && counts[k] == 0)
			iodef_error(&r->e, -CIRT_EINVAL, line_of(n),
				    "%s has no %s; at least one is required "
				    "(%s)",
				    name_of(n), seq[k].name, rule);
	}
}

static void require_attr(struct rd *r, const xmlNode *n, const char *attr,
			 const char *rule)
{
	if (!has_prop(n, attr))
		iodef_error(&r->e, -CIRT_EINVAL, line_of(n),
			    "%s lacks the required attribute %s (%s)",
			    name_of(n), attr, rule);
}

static void require_child(struct rd *r, const xmlNode *n, const char *name,
			  const char *rule)
{
	if (child(n, name, NULL) == NULL)
		iodef_error(&r->e, -CIRT_EINVAL, line_of(n),
			    "%s has no %s, which is required (%s)", name_of(n),
			    name, rule);
}

/* The attributes X for which iodef-2.0.xsd has an ext-X. */
static bool has_ext(const char *attr)
{
	static const char *const names[] = {
		"action",	  "category",	 "domain-status", "dtype",
		"duration",	  "metric",	 "offsetunit",	  "operator",
		"ownership",	  "purpose",	 "rating",	  "registry",
		"registryaction", "restriction", "role",	  "scope",
		"severity",	  "source",	 "spec-name",	  "status",
		"system-status",  "type",	 "unit",	  NULL,
	};

	return iodef_enum_has(names, attr);
}

/* IODEF-03: enumerated attributes hold a listed value (no schema), and
 * an "ext-value" comes with its ext-* attribute (always). */
static void check_attrs(struct rd *r, const xmlNode *n)
{
	for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
		const char *an = (const char *)a->name;
		char ext[128];
		char *v;

		if (a->ns != NULL)
			continue;
		v = attr_of(n, an);
		if (v == NULL)
			continue;
		if (strcmp(v, "ext-value") == 0 && has_ext(an)) {
			snprintf(ext, sizeof(ext), "ext-%s", an);
			if (!has_prop(n, ext))
				iodef_error(&r->e, -CIRT_EINVAL, line_of(n),
					    "%s has %s=\"ext-value\" without "
					    "%s (IODEF-03)",
					    name_of(n), an, ext);
		}
		for (size_t i = 0; !r->schema && i < iodef_enum_nattrs; i++) {
			const struct iodef_enum_attr *ea = &iodef_enum_attrs[i];

			if (strcmp(ea->attr, an) != 0 ||
			    (ea->element != NULL &&
			     strcmp(ea->element, name_of(n)) != 0))
				continue;
			if (!iodef_enum_has(ea->values, v))
				iodef_error(&r->e, -CIRT_EINVAL, line_of(n),
					    "%s %s \"%.64s\" is not a value "
					    "of its enumeration (IODEF-03)",
					    name_of(n), an, v);
			break;
		}
		free(v);
	}
}

/* IODEF-04: the text of an Address fits its category, and an IPv4
 * address is not left to the default category ipv6-addr. */
static void check_address(struct rd *r, const xmlNode *n)
{
	char *cat = attr_of(n, "category");
	char *v = own(xmlNodeGetContent(n), true);
	unsigned char bin[16];
	bool v4, v6;

	if (v == NULL)
		v = cirt_xstrdup("");
	v4 = inet_pton(AF_INET, v, bin) == 1;
	v6 = inet_pton(AF_INET6, v, bin) == 1;
	if (cat == NULL && v4)
		iodef_error(&r->e, -CIRT_EINVAL, line_of(n),
			    "Address \"%.64s\" is IPv4 but has no category, "
			    "so it reads as the default ipv6-addr (IODEF-04)",
			    v);
	else if ((cat == NULL || strcmp(cat, "ipv6-addr") == 0) && !v6)
		iodef_error(&r->e, -CIRT_EINVAL, line_of(n),
			    "Address \"%.64s\" is not an IPv6 address, as its "
			    "category %s says (IODEF-04)",
			    v,
			    cat != NULL ? "ipv6-addr" : "(default ipv6-addr)");
	else if (cat != NULL && strcmp(cat, "ipv4-addr") == 0 && !v4)
		iodef_error(&r->e, -CIRT_EINVAL, line_of(n),
			    "Address \"%.64s\" is not an IPv4 address, as its "
			    "category ipv4-addr says (IODEF-04)",
			    v);
	free(cat);
	free(v);
}

static void check_indicator(struct rd *r, const xmlNode *n)
{
	static const char *const kinds[] = {"Observable", "ObservableReference",
					    "IndicatorExpression",
					    "IndicatorReference"};
	const xmlNode *id = child(n, "IndicatorID", NULL);
	size_t found = 0;

	if (id == NULL) {
		require_child(r, n, "IndicatorID", "IODEF-05");
	} else {
		require_attr(r, id, "name", "IODEF-05");
		require_attr(r, id, "version", "IODEF-05");
	}
	for (size_t k = 0; k < CIRT_ARRAY_LEN(kinds); k++) {
		FOR_CHILD(c, n, kinds[k])
		{
			found++;
		}
	}
	if (found != 1)
		iodef_error(&r->e, -CIRT_EINVAL, line_of(n),
			    "Indicator has %zu of Observable, "
			    "ObservableReference, IndicatorExpression and "
			    "IndicatorReference; exactly one is required "
			    "(IODEF-05)",
			    found);
}

/* The rules of one element without a schema (IODEF-02, -04 to -06). */
static void check_element(struct rd *r, const xmlNode *n)
{
	const char *name = name_of(n);

	if (strcmp(name, "Incident") == 0) {
		require_attr(r, n, "purpose", "IODEF-02");
		check_sequence(r, n, incident_seq, CIRT_ARRAY_LEN(incident_seq),
			       "IODEF-02");
	} else if (strcmp(name, "IncidentID") == 0) {
		require_attr(r, n, "name", "IODEF-02");
	} else if (strcmp(name, "Contact") == 0) {
		require_attr(r, n, "role", "IODEF-02");
		require_attr(r, n, "type", "IODEF-02");
	} else if (strcmp(name, "Node") == 0) {
		if (child(n, "Address", NULL) == NULL &&
		    child(n, "DomainData", NULL) == NULL)
			iodef_error(&r->e, -CIRT_EINVAL, line_of(n),
				    "Node has neither Address nor DomainData; "
				    "one is required (IODEF-04)");
	} else if (strcmp(name, "DomainData") == 0) {
		require_child(r, n, "Name", "IODEF-04");
	} else if (strcmp(name, "Indicator") == 0) {
		check_indicator(r, n);
	} else if (strcmp(name, "HistoryItem") == 0) {
		require_child(r, n, "DateTime", "IODEF-06");
		require_attr(r, n, "action", "IODEF-06");
	} else if (strcmp(name, "TimeImpact") == 0) {
		require_attr(r, n, "metric", "IODEF-06");
	} else if (strcmp(name, "Confidence") == 0) {
		require_attr(r, n, "rating", "IODEF-06");
	} else if (strcmp(name, "Counter") == 0) {
		require_attr(r, n, "type", "IODEF-06");
		require_attr(r, n, "unit", "IODEF-06");
	}
}

static void check_tree(struct rd *r, const xmlNode *n)
{
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if (!is_iodef(c))
			continue;
		check_attrs(r, c);
		if (!r->schema)
			check_element(r, c);
		if (is(c, "Address"))
			check_address(r, c);
		check_tree(r, c);
	}
}

static void check_doc(struct rd *r, const xmlNode *root)
{
	char *version;

	if (!is(root, "IODEF-Document")) {
		/* With a schema, the validator has said so already. */
		if (!r->schema)
			iodef_error(&r->e, -CIRT_EINVAL, line_of(root),
				    "the root element %s in %s%s is not "
				    "IODEF-Document in the namespace %s "
				    "(IODEF-01)",
				    name_of(root),
				    root->ns != NULL ? "the namespace "
						     : "no namespace",
				    root->ns != NULL && root->ns->href != NULL
					    ? (const char *)root->ns->href
					    : "",
				    IODEF_NS);
		return;
	}
	version = prop(root, "version");
	if (version == NULL)
		iodef_error(&r->e, -CIRT_EINVAL, line_of(root),
			    "IODEF-Document lacks the attribute version, "
			    "which must be \"2.00\" (IODEF-01)");
	else if (!r->schema && strcmp(version, "2.00") != 0)
		iodef_error(&r->e, -CIRT_EINVAL, line_of(root),
			    "IODEF-Document version is \"%.32s\", not "
			    "\"2.00\" (IODEF-01)",
			    version);
	xmlFree(version);
	if (has_prop(root, "private-enum-id") &&
	    !has_prop(root, "private-enum-name"))
		iodef_error(&r->e, -CIRT_EINVAL, line_of(root),
			    "IODEF-Document has private-enum-id without "
			    "private-enum-name (IODEF-09)");
	check_attrs(r, root);
	if (!r->schema)
		check_sequence(r, root, root_seq, CIRT_ARRAY_LEN(root_seq),
			       "IODEF-02");
	check_tree(r, root);
}

/* ---- map ---- */

/*
 * An xs:dateTime with a time zone (Z or +hh:mm/-hh:mm) into
 * microseconds. The date and time go through the one RFC 3339 parser
 * (core/time.h) as UTC; the offset is taken off after. 0 or -1 with why.
 */
static int parse_time(const char *s, int64_t *us, const char **why)
{
	char buf[CIRT_TIME_TEXT_MAX + 8];
	struct cirt_timestamp ts;
	size_t len = strlen(s), body;
	int64_t off = 0;

	*why = "is not an xs:dateTime with a time zone";
	if (len >= 1 && s[len - 1] == 'Z') {
		body = len - 1;
	} else if (len >= 6 && (s[len - 6] == '+' || s[len - 6] == '-') &&
		   s[len - 3] == ':') {
		int hh, mm;
		const char *z = s + len - 5;

		if (z[0] < '0' || z[0] > '9' || z[1] < '0' || z[1] > '9' ||
		    z[3] < '0' || z[3] > '9' || z[4] < '0' || z[4] > '9')
			return -1;
		hh = (z[0] - '0') * 10 + (z[1] - '0');
		mm = (z[3] - '0') * 10 + (z[4] - '0');
		if (hh > 14 || mm > 59 || (hh == 14 && mm > 0)) {
			*why = "has a time zone offset out of range";
			return -1;
		}
		off = (int64_t)(hh * 60 + mm) * 60 * CIRT_US_PER_SEC;
		if (s[len - 6] == '-')
			off = -off;
		body = len - 6;
	} else {
		*why = "has no time zone (Z or +hh:mm)";
		return -1;
	}
	if (body + 2 > sizeof(buf))
		return -1;
	memcpy(buf, s, body);
	buf[body] = 'Z';
	buf[body + 1] = '\0';
	if (cirt_time_parse(buf, body + 1, &ts, why) < 0)
		return -1;
	*us = ts.us - off;
	return 0;
}

/* The time in child name of parent, 0 if there is none; an error (and
 * 0) if it is not an instant. */
static void map_time(struct rd *r, const xmlNode *parent, const char *name,
		     int64_t *out)
{
	const xmlNode *n = child(parent, name, NULL);
	const char *why;
	char *s;

	*out = 0;
	if (n == NULL)
		return;
	s = own(xmlNodeGetContent(n), true);
	if (s == NULL)
		s = cirt_xstrdup("");
	if (parse_time(s, out, &why) < 0) {
		iodef_error(&r->e, -CIRT_EINVAL, line_of(n), "%s \"%.64s\" %s",
			    name, s, why);
		*out = 0;
	}
	free(s);
}

/* Room for one more in *v of n items of size; -1 past the limit. */
static int grow(struct rd *r, const xmlNode *at, void **v, size_t n,
		size_t size, const char *what)
{
	if (n >= CIRT_IODEF_MAX_ITEMS) {
		iodef_error(&r->e, -CIRT_ELIMIT, line_of(at),
			    "Incident has more than %d %s",
			    CIRT_IODEF_MAX_ITEMS, what);
		return -1;
	}
	if ((n & (n - 1)) == 0) /* 0, 1, 2, 4, 8, ...: double */
		*v = cirt_xrealloc(*v, (n == 0 ? 1 : 2 * n) * size);
	return 0;
}

static int map_contacts(struct rd *r, const xmlNode *inc,
			struct cirt_iodef_incident *out)
{
	FOR_CHILD(n, inc, "Contact")
	{
		struct cirt_iodef_contact *c;
		const xmlNode *e;

		if (grow(r, n, (void **)&out->contacts, out->ncontacts,
			 sizeof(*c), "contacts") < 0)
			return -1;
		c = &out->contacts[out->ncontacts++];
		memset(c, 0, sizeof(*c));
		c->role = enum_of(n, "role");
		c->type = enum_of(n, "type");
		if ((e = child(n, "ContactName", NULL)) != NULL)
			c->name = text_of(e);
		if ((e = child(n, "Email", NULL)) != NULL &&
		    (e = child(e, "EmailTo", NULL)) != NULL)
			c->email = text_of(e);
		if ((e = child(n, "Telephone", NULL)) != NULL &&
		    (e = child(e, "TelephoneNumber", NULL)) != NULL)
			c->phone = text_of(e);
	}
	return 0;
}

static int add_observable(struct rd *r, const xmlNode *at,
			  struct cirt_iodef_incident *out, char *category,
			  char *value, const char *role)
{
	struct cirt_iodef_observable *o;

	if (grow(r, at, (void **)&out->observables, out->nobservables,
		 sizeof(*o), "observables") < 0) {
		free(category);
		free(value);
		return -1;
	}
	o = &out->observables[out->nobservables++];
	o->category = category;
	o->value = value;
	o->role = cirt_xstrdup(role);
	return 0;
}

static int map_system(struct rd *r, const xmlNode *sys,
		      struct cirt_iodef_incident *out)
{
	char *cat = attr_of(sys, "category");
	const char *role = "other";
	int rc = 0;

	if (cat != NULL && strcmp(cat, "source") == 0)
		role = "source";
	else if (cat != NULL && strcmp(cat, "target") == 0)
		role = "target";
	free(cat);
	FOR_CHILD(node, sys, "Node")
	{
		for (const xmlNode *n = node->children; rc == 0 && n != NULL;
		     n = n->next) {
			const xmlNode *name;

			if (is(n, "Address")) {
				char *c = enum_of(n, "category");

				rc = add_observable(
					r, n, out,
					c != NULL ? c
						  : cirt_xstrdup("ipv6-addr"),
					text_of(n), role);
			} else if (is(n, "DomainData") &&
				   (name = child(n, "Name", NULL)) != NULL) {
				rc = add_observable(r, n, out,
						    cirt_xstrdup("domain-name"),
						    text_of(name), role);
			}
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The Systems of an EventData, its Flows and its nested EventData. */
static int map_event(struct rd *r, const xmlNode *ev,
		     struct cirt_iodef_incident *out)
{
	FOR_CHILD(flow, ev, "Flow")
	{
		FOR_CHILD(sys, flow, "System")
		{
			if (map_system(r, sys, out) < 0)
				return -1;
		}
	}
	FOR_CHILD(sub, ev, "EventData")
	{
		if (map_event(r, sub, out) < 0)
			return -1;
	}
	return 0;
}

static int map_history(struct rd *r, const xmlNode *inc,
		       struct cirt_iodef_incident *out)
{
	const xmlNode *hist = child(inc, "History", NULL);

	if (hist == NULL)
		return 0;
	FOR_CHILD(n, hist, "HistoryItem")
	{
		struct cirt_iodef_history *h;
		const xmlNode *e;

		if (grow(r, n, (void **)&out->history, out->nhistory,
			 sizeof(*h), "history items") < 0)
			return -1;
		h = &out->history[out->nhistory++];
		memset(h, 0, sizeof(*h));
		h->action = enum_of(n, "action");
		if ((e = child(n, "Description", NULL)) != NULL)
			h->text = text_of(e);
		map_time(r, n, "DateTime", &h->at);
	}
	return 0;
}

static int map_related(struct rd *r, const xmlNode *inc,
		       struct cirt_iodef_incident *out)
{
	FOR_CHILD(ra, inc, "RelatedActivity")
	{
		FOR_CHILD(id, ra, "IncidentID")
		{
			if (grow(r, id, (void **)&out->related, out->nrelated,
				 sizeof(char *), "related incidents") < 0)
				return -1;
			out->related[out->nrelated++] = text_of(id);
		}
	}
	return 0;
}

static void map_descriptions(const xmlNode *inc,
			     struct cirt_iodef_incident *out)
{
	struct cirt_buf b;

	cirt_buf_init(&b, CIRT_IODEF_MAX_BYTES);
	FOR_CHILD(n, inc, "Description")
	{
		char *s = text_of(n);

		if (out->title == NULL) {
			out->title = s;
			continue;
		}
		/* Never past MAX_BYTES: the document held these. */
		if ((b.len > 0 && cirt_buf_adds(&b, "\n\n") < 0) ||
		    cirt_buf_adds(&b, s) < 0) {
			free(s);
			break;
		}
		free(s);
	}
	if (b.data != NULL)
		out->description = cirt_buf_detach(&b, NULL);
	cirt_buf_release(&b);
}

static void map_assessment(const xmlNode *inc, struct cirt_iodef_incident *out)
{
	FOR_CHILD(a, inc, "Assessment")
	{
		const xmlNode *n;

		if (out->category == NULL &&
		    (n = child(a, "IncidentCategory", NULL)) != NULL)
			out->category = text_of(n);
		FOR_CHILD(si, a, "SystemImpact")
		{
			if (out->severity == NULL)
				out->severity = attr_of(si, "severity");
		}
		FOR_CHILD(bi, a, "BusinessImpact")
		{
			char *t;

			if (out->impact != NULL)
				break;
			/* "unknown" is how the writer says "none". */
			t = enum_of(bi, "type");
			if (t != NULL && strcmp(t, "unknown") == 0)
				CIRT_FREE(t);
			out->impact = t;
		}
	}
}

/* Map one incident; errors go into r (the caller checks r->e.n). -1
 * only when a limit stops the mapping. */
static int map_incident(struct rd *r, const xmlNode *inc,
			struct cirt_iodef_incident *out)
{
	const xmlNode *n;
	char *restriction, *ext;

	if ((n = child(inc, "IncidentID", NULL)) != NULL) {
		out->id_name = own(xmlGetNoNsProp(n, X("name")), false);
		out->id = text_of(n);
	}
	if ((n = child(inc, "AlternativeID", NULL)) != NULL &&
	    (n = child(n, "IncidentID", NULL)) != NULL) {
		out->alt_id_name = own(xmlGetNoNsProp(n, X("name")), false);
		out->alt_id = text_of(n);
	}
	out->purpose = enum_of(inc, "purpose");
	out->status = enum_of(inc, "status");
	restriction = attr_of(inc, "restriction");
	ext = own(xmlGetNoNsProp(inc, X("ext-restriction")), false);
	out->tlp = cirt_iodef_tlp(restriction, ext);
	free(restriction);
	free(ext);
	out->lang = own(xmlNodeGetLang(inc), true);
	map_time(r, inc, "GenerationTime", &out->generation_time);
	map_time(r, inc, "ReportTime", &out->report_time);
	map_time(r, inc, "DetectTime", &out->detect_time);
	map_time(r, inc, "StartTime", &out->start_time);
	map_time(r, inc, "EndTime", &out->end_time);
	map_descriptions(inc, out);
	map_assessment(inc, out);
	if (map_related(r, inc, out) < 0 || map_contacts(r, inc, out) < 0)
		return -1;
	FOR_CHILD(ev, inc, "EventData")
	{
		if (map_event(r, ev, out) < 0)
			return -1;
	}
	return map_history(r, inc, out);
}

static void map_doc(struct rd *r, const xmlNode *root,
		    struct cirt_iodef_doc *out)
{
	size_t n = 0;

	FOR_CHILD(inc, root, "Incident")
	{
		n++;
	}
	if (n == 0)
		return;
	out->incidents = cirt_xcalloc(n, sizeof(*out->incidents));
	FOR_CHILD(inc, root, "Incident")
	{
		struct cirt_iodef_incident *in =
			&out->incidents[out->nincidents++];

		in->tlp = CIRT_TLP_NONE;
		if (map_incident(r, inc, in) < 0)
			return;
	}
}

/* -1 (and an error) if root holds more than CIRT_IODEF_MAX_INCIDENTS. */
static int count_incidents(struct rd *r, const xmlNode *root)
{
	size_t n = 0;

	FOR_CHILD(inc, root, "Incident")
	{
		if (++n > CIRT_IODEF_MAX_INCIDENTS) {
			iodef_error(&r->e, -CIRT_ELIMIT, line_of(inc),
				    "the document holds more than %d "
				    "incidents",
				    CIRT_IODEF_MAX_INCIDENTS);
			return -1;
		}
	}
	return 0;
}

int cirt_iodef_read(const char *xml, size_t len,
		    const struct cirt_iodef_schema *schema,
		    struct cirt_iodef_doc *out, json_t *errors,
		    struct cirt_diag *d)
{
	xmlStructuredErrorFunc old_fn = xmlStructuredError;
	void *old_ctx = xmlStructuredErrorContext;
	xmlDocPtr doc = NULL;
	xmlNode *root;
	struct rd r;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	iodef_errors_init(&r.e);
	r.schema = schema != NULL;
	cirt_iodef_setup();
	if (len > CIRT_IODEF_MAX_BYTES) {
		iodef_error(&r.e, -CIRT_ELIMIT, 0,
			    "the document is %zu bytes, more than the %u an "
			    "IODEF document may have",
			    len, CIRT_IODEF_MAX_BYTES);
		goto out;
	}
	xmlSetStructuredErrorFunc(&r, thread_error);
	doc = parse(&r, xml, len);
	if (doc == NULL)
		goto out;
	root = xmlDocGetRootElement(doc);
	if (root == NULL) {
		iodef_error(&r.e, -CIRT_EINVAL, 0, "the document is empty");
		goto out;
	}
	if (count_incidents(&r, root) < 0)
		goto out;
	if (schema != NULL)
		validate(&r, schema, doc);
	check_doc(&r, root);
	if (r.e.n == 0)
		map_doc(&r, root, out);
out:
	xmlSetStructuredErrorFunc(old_ctx, old_fn);
	if (doc != NULL)
		xmlFreeDoc(doc);
	if (r.e.n > 0)
		cirt_iodef_doc_release(out);
	return iodef_errors_finish(&r.e, errors, d);
}
