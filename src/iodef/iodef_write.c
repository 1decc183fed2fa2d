/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Writing an IODEF-Document (cirt_iodef_write, iodef/iodef.h).
 *
 * Two passes: every incident is checked first (required members, values
 * the schema would refuse, text XML cannot carry, the limits), so that a
 * document is either written whole or not at all and out is left as it
 * was on any failure. The second pass writes with libxml2's xmlTextWriter,
 * which escapes every string (<, >, &, quotes, and CR/LF/tab inside
 * attributes), into a private buffer capped at CIRT_IODEF_MAX_BYTES,
 * appended to out at the end. Elements follow the XSD sequence of each
 * class; what goes where is docs/internals/iodef.md.
 *
 * Text that XML cannot carry (control characters other than tab, LF and
 * CR; U+FFFE, U+FFFF; invalid UTF-8) is refused with -CIRT_EINVAL naming
 * the field, never stripped: a report must not change silently.
 */
#include "iodef/iodef.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/time.h"
#include "iodef/iodef_int.h"
#include "iodef/iodef_xml.h"
#include "core/banned.h"

/* xs:dateTime years 0001 to 9999. */
#define TIME_MIN (INT64_C(-62135596800) * CIRT_US_PER_SEC)
#define TIME_MAX (INT64_C(253402300800) * CIRT_US_PER_SEC - 1)

/* ---- pass 1: checks ---- */

struct chk {
	struct cirt_diag *d;
	char field[CIRT_DIAG_FIELD_MAX];
};

/* Name the member: "incidents[2].contacts[0].email". */
static const char *fld(struct chk *c, size_t i, const char *list, size_t j,
		       const char *member)
{
	if (list == NULL)
		snprintf(c->field, sizeof(c->field), "incidents[%zu].%s", i,
			 member);
	else
		snprintf(c->field, sizeof(c->field),
			 "incidents[%zu].%s[%zu]%s%s", i, list, j,
			 member[0] != '\0' ? "." : "", member);
	return c->field;
}

static int text(struct chk *c, const char *s, bool required, const char *field)
{
	if (s == NULL || s[0] == '\0') {
		if (!required)
			return 0;
		return cirt_diag_set(c->d, -CIRT_EINVAL, field,
				     "%s is required", field);
	}
	return iodef_check_text(s, field, c->d);
}

/* An enumerated value written as itself or as ext-value + ext-*. */
static int enum_text(struct chk *c, const char *s, bool required,
		     const char *field)
{
	int rc = text(c, s, required, field);

	if (rc == 0 && s != NULL && strcmp(s, "ext-value") == 0)
		return cirt_diag_set(c->d, -CIRT_EINVAL, field,
				     "%s cannot be \"ext-value\"; give the "
				     "value itself",
				     field);
	return rc;
}

static int when(struct chk *c, int64_t us, bool required, const char *field)
{
	if (us == 0 && required)
		return cirt_diag_set(c->d, -CIRT_EINVAL, field,
				     "%s is required", field);
	if (us != 0 && (us < TIME_MIN || us > TIME_MAX))
		return cirt_diag_set(c->d, -CIRT_EINVAL, field,
				     "%s is outside the years 0001 to 9999",
				     field);
	return 0;
}

static bool is_address_category(const char *s)
{
	return strcmp(s, "ext-value") != 0 &&
	       iodef_enum_has(iodef_address_category_values, s);
}

static int limit(struct chk *c, size_t n, const char *field)
{
	if (n > CIRT_IODEF_MAX_ITEMS)
		return cirt_diag_set(c->d, -CIRT_ELIMIT, field,
				     "%s has %zu entries, more than %d", field,
				     n, CIRT_IODEF_MAX_ITEMS);
	return 0;
}

static int check_contacts(struct chk *c, size_t i,
			  const struct cirt_iodef_incident *in)
{
	int rc = limit(c, in->ncontacts, fld(c, i, NULL, 0, "contacts"));

	for (size_t j = 0; rc == 0 && j < in->ncontacts; j++) {
		const struct cirt_iodef_contact *ct = &in->contacts[j];

		rc = enum_text(c, ct->role, true,
			       fld(c, i, "contacts", j, "role"));
		if (rc == 0)
			rc = enum_text(c, ct->type, true,
				       fld(c, i, "contacts", j, "type"));
		if (rc == 0)
			rc = text(c, ct->name, false,
				  fld(c, i, "contacts", j, "name"));
		if (rc == 0)
			rc = text(c, ct->email, false,
				  fld(c, i, "contacts", j, "email"));
		if (rc == 0)
			rc = text(c, ct->phone, false,
				  fld(c, i, "contacts", j, "phone"));
	}
	return rc;
}

static int check_observables(struct chk *c, size_t i,
			     const struct cirt_iodef_incident *in)
{
	int rc = limit(c, in->nobservables, fld(c, i, NULL, 0, "observables"));

	for (size_t j = 0; rc == 0 && j < in->nobservables; j++) {
		const struct cirt_iodef_observable *o = &in->observables[j];
		const char *f;

		f = fld(c, i, "observables", j, "category");
		rc = text(c, o->category, true, f);
		if (rc == 0 && strcmp(o->category, "domain-name") != 0 &&
		    !is_address_category(o->category))
			rc = cirt_diag_set(c->d, -CIRT_EINVAL, f,
					   "%s is not an IODEF Address "
					   "category or domain-name",
					   f);
		if (rc == 0)
			rc = text(c, o->value, true,
				  fld(c, i, "observables", j, "value"));
		f = fld(c, i, "observables", j, "role");
		if (rc == 0 && o->role != NULL &&
		    strcmp(o->role, "source") != 0 &&
		    strcmp(o->role, "target") != 0 &&
		    strcmp(o->role, "other") != 0)
			rc = cirt_diag_set(c->d, -CIRT_EINVAL, f,
					   "%s must be source, target or other",
					   f);
	}
	return rc;
}

static int check_history(struct chk *c, size_t i,
			 const struct cirt_iodef_incident *in)
{
	int rc = limit(c, in->nhistory, fld(c, i, NULL, 0, "history"));

	for (size_t j = 0; rc == 0 && j < in->nhistory; j++) {
		const struct cirt_iodef_history *h = &in->history[j];

		rc = when(c, h->at, true, fld(c, i, "history", j, "at"));
		if (rc == 0)
			rc = enum_text(c, h->action, true,
				       fld(c, i, "history", j, "action"));
		if (rc == 0)
			rc = text(c, h->text, false,
				  fld(c, i, "history", j, "text"));
	}
	return rc;
}

static int check_incident(struct chk *c, size_t i,
			  const struct cirt_iodef_incident *in)
{
	const int64_t times[] = {in->generation_time, in->report_time,
				 in->detect_time, in->start_time, in->end_time};
	static const char *const time_names[] = {"generation_time",
						 "report_time", "detect_time",
						 "start_time", "end_time"};
	int rc;

	rc = text(c, in->id_name, true, fld(c, i, NULL, 0, "id_name"));
	if (rc == 0)
		rc = text(c, in->id, true, fld(c, i, NULL, 0, "id"));
	if (rc == 0)
		rc = enum_text(c, in->purpose, true,
			       fld(c, i, NULL, 0, "purpose"));
	if (rc == 0)
		rc = enum_text(c, in->status, false,
			       fld(c, i, NULL, 0, "status"));
	if (rc == 0 && in->lang != NULL && !cirt_iodef_lang_valid(in->lang))
		rc = cirt_diag_set(c->d, -CIRT_EINVAL,
				   fld(c, i, NULL, 0, "lang"),
				   "%s is not a language tag", c->field);
	if (rc == 0)
		rc = text(c, in->alt_id_name, in->alt_id != NULL,
			  fld(c, i, NULL, 0, "alt_id_name"));
	if (rc == 0)
		rc = text(c, in->alt_id, in->alt_id_name != NULL,
			  fld(c, i, NULL, 0, "alt_id"));
	for (size_t k = 0; rc == 0 && k < CIRT_ARRAY_LEN(times); k++)
		rc = when(c, times[k], k == 0,
			  fld(c, i, NULL, 0, time_names[k]));
	if (rc == 0)
		rc = text(c, in->title, false, fld(c, i, NULL, 0, "title"));
	if (rc == 0)
		rc = text(c, in->description, false,
			  fld(c, i, NULL, 0, "description"));
	if (rc == 0)
		rc = text(c, in->category, false,
			  fld(c, i, NULL, 0, "category"));
	if (rc == 0 && in->severity != NULL &&
	    !iodef_enum_has(iodef_severity_values, in->severity))
		rc = cirt_diag_set(c->d, -CIRT_EINVAL,
				   fld(c, i, NULL, 0, "severity"),
				   "%s must be low, medium or high", c->field);
	if (rc == 0)
		rc = enum_text(c, in->impact, false,
			       fld(c, i, NULL, 0, "impact"));
	if (rc == 0)
		rc = limit(c, in->nrelated, fld(c, i, NULL, 0, "related"));
	for (size_t j = 0; rc == 0 && j < in->nrelated; j++)
		rc = text(c, in->related[j], true, fld(c, i, "related", j, ""));
	if (rc == 0)
		rc = check_contacts(c, i, in);
	if (rc == 0)
		rc = check_observables(c, i, in);
	if (rc == 0)
		rc = check_history(c, i, in);
	return rc;
}

/* ---- pass 2: writing ---- */

/* attr="value", or attr="ext-value" ext-attr="value" off the list. */
static void enum_attr(struct cirt_iodef_xw *w, const char *name,
		      const char *value, const char *const *values)
{
	char ext[64];

	if (iodef_enum_has(values, value)) {
		cirt_iodef_xw_attr(w, name, value);
		return;
	}
	snprintf(ext, sizeof(ext), "ext-%s", name);
	cirt_iodef_xw_attr(w, name, "ext-value");
	cirt_iodef_xw_attr(w, ext, value);
}

static void incident_id(struct cirt_iodef_xw *w, const char *name,
			const char *id)
{
	cirt_iodef_xw_start(w, "IncidentID");
	cirt_iodef_xw_attr(w, "name", name);
	cirt_iodef_xw_text(w, id);
	cirt_iodef_xw_end(w);
}

static void write_assessment(struct cirt_iodef_xw *w,
			     const struct cirt_iodef_incident *in)
{
	if (in->category == NULL && in->severity == NULL && in->impact == NULL)
		return;
	cirt_iodef_xw_start(w, "Assessment");
	if (in->category != NULL)
		cirt_iodef_xw_element(w, "IncidentCategory", in->category);
	if (in->severity != NULL) {
		cirt_iodef_xw_start(w, "SystemImpact");
		cirt_iodef_xw_attr(w, "severity", in->severity);
		cirt_iodef_xw_end(w);
	}
	/* Always one BusinessImpact, so the choice of impacts is never
	 * empty; "unknown" stands for none and reads back as NULL. */
	cirt_iodef_xw_start(w, "BusinessImpact");
	enum_attr(w, "type", in->impact != NULL ? in->impact : "unknown",
		  cirt_iodef_business_impacts);
	cirt_iodef_xw_end(w);
	cirt_iodef_xw_end(w);
}

static void write_contact(struct cirt_iodef_xw *w, const char *role,
			  const char *type, const char *name, const char *email,
			  const char *phone)
{
	cirt_iodef_xw_start(w, "Contact");
	enum_attr(w, "role", role, iodef_contact_role_values);
	enum_attr(w, "type", type, iodef_contact_type_values);
	if (name != NULL)
		cirt_iodef_xw_element(w, "ContactName", name);
	if (email != NULL) {
		cirt_iodef_xw_start(w, "Email");
		cirt_iodef_xw_element(w, "EmailTo", email);
		cirt_iodef_xw_end(w);
	}
	if (phone != NULL) {
		cirt_iodef_xw_start(w, "Telephone");
		cirt_iodef_xw_element(w, "TelephoneNumber", phone);
		cirt_iodef_xw_end(w);
	}
	cirt_iodef_xw_end(w);
}

static void write_contacts(struct cirt_iodef_xw *w,
			   const struct cirt_iodef_incident *in)
{
	bool creator = false;

	for (size_t j = 0; j < in->ncontacts; j++) {
		const struct cirt_iodef_contact *c = &in->contacts[j];

		write_contact(w, c->role, c->type, c->name, c->email, c->phone);
		if (strcmp(c->role, "creator") == 0)
			creator = true;
	}
	/* None: the issuing team, named by its domain. */
	if (!creator)
		write_contact(w, "creator", "organization", in->id_name, NULL,
			      NULL);
}

static const char *role_of(const struct cirt_iodef_observable *o)
{
	return o->role != NULL ? o->role : "other";
}

static void write_observables(struct cirt_iodef_xw *w,
			      const struct cirt_iodef_incident *in)
{
	const char *flow_role = NULL;

	if (in->nobservables == 0)
		return;
	cirt_iodef_xw_start(w, "EventData");
	for (size_t j = 0; j < in->nobservables; j++) {
		const struct cirt_iodef_observable *o = &in->observables[j];
		const char *role = role_of(o);

		/* One Flow per run of observables with the same role. */
		if (flow_role == NULL || strcmp(flow_role, role) != 0) {
			if (flow_role != NULL)
				cirt_iodef_xw_end(w);
			cirt_iodef_xw_start(w, "Flow");
			flow_role = role;
		}
		cirt_iodef_xw_start(w, "System");
		if (strcmp(role, "other") != 0)
			cirt_iodef_xw_attr(w, "category", role);
		cirt_iodef_xw_start(w, "Node");
		if (strcmp(o->category, "domain-name") == 0) {
			cirt_iodef_xw_start(w, "DomainData");
			cirt_iodef_xw_element(w, "Name", o->value);
			cirt_iodef_xw_end(w);
		} else {
			cirt_iodef_xw_start(w, "Address");
			cirt_iodef_xw_attr(w, "category", o->category);
			cirt_iodef_xw_text(w, o->value);
			cirt_iodef_xw_end(w);
		}
		cirt_iodef_xw_end(w); /* Node */
		cirt_iodef_xw_end(w); /* System */
	}
	cirt_iodef_xw_end(w); /* Flow */
	cirt_iodef_xw_end(w); /* EventData */
}

static void write_history(struct cirt_iodef_xw *w,
			  const struct cirt_iodef_incident *in)
{
	if (in->nhistory == 0)
		return;
	cirt_iodef_xw_start(w, "History");
	for (size_t j = 0; j < in->nhistory; j++) {
		const struct cirt_iodef_history *h = &in->history[j];

		cirt_iodef_xw_start(w, "HistoryItem");
		enum_attr(w, "action", h->action, iodef_action_values);
		cirt_iodef_xw_time(w, "DateTime", h->at);
		if (h->text != NULL)
			cirt_iodef_xw_element(w, "Description", h->text);
		cirt_iodef_xw_end(w);
	}
	cirt_iodef_xw_end(w);
}

/* doc_lang: the document's xml:lang, which the incident inherits. */
static void write_incident(struct cirt_iodef_xw *w,
			   const struct cirt_iodef_incident *in,
			   const char *doc_lang)
{
	const char *restriction, *ext;

	cirt_iodef_xw_start(w, "Incident");
	enum_attr(w, "purpose", in->purpose, iodef_purpose_values);
	if (in->status != NULL)
		enum_attr(w, "status", in->status, iodef_status_values);
	if (in->lang != NULL && strcmp(in->lang, doc_lang) != 0)
		cirt_iodef_xw_attr(w, "xml:lang", in->lang);
	restriction = cirt_iodef_restriction(in->tlp, &ext);
	if (restriction != NULL)
		cirt_iodef_xw_attr(w, "restriction", restriction);
	if (ext != NULL)
		cirt_iodef_xw_attr(w, "ext-restriction", ext);

	incident_id(w, in->id_name, in->id);
	if (in->alt_id != NULL) {
		cirt_iodef_xw_start(w, "AlternativeID");
		incident_id(w, in->alt_id_name, in->alt_id);
		cirt_iodef_xw_end(w);
	}
	if (in->nrelated > 0) {
		cirt_iodef_xw_start(w, "RelatedActivity");
		for (size_t j = 0; j < in->nrelated; j++)
			incident_id(w, in->id_name, in->related[j]);
		cirt_iodef_xw_end(w);
	}
	cirt_iodef_xw_time(w, "DetectTime", in->detect_time);
	cirt_iodef_xw_time(w, "StartTime", in->start_time);
	cirt_iodef_xw_time(w, "EndTime", in->end_time);
	cirt_iodef_xw_time(w, "ReportTime", in->report_time);
	cirt_iodef_xw_time(w, "GenerationTime", in->generation_time);
	if (in->title != NULL)
		cirt_iodef_xw_element(w, "Description", in->title);
	if (in->description != NULL)
		cirt_iodef_xw_element(w, "Description", in->description);
	write_assessment(w, in);
	write_contacts(w, in);
	write_observables(w, in);
	write_history(w, in);
	cirt_iodef_xw_end(w); /* Incident */
}

int cirt_iodef_write(const struct cirt_iodef_doc *doc, struct cirt_buf *out,
		     struct cirt_diag *d)
{
	struct chk c = {d, ""};
	struct cirt_iodef_xw w;
	const char *lang;
	int rc = 0;

	cirt_iodef_setup();
	if (doc->nincidents == 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "incidents",
				     "an IODEF document needs an incident");
	if (doc->nincidents > CIRT_IODEF_MAX_INCIDENTS)
		return cirt_diag_set(d, -CIRT_ELIMIT, "incidents",
				     "%zu incidents are more than %d",
				     doc->nincidents, CIRT_IODEF_MAX_INCIDENTS);
	for (size_t i = 0; rc == 0 && i < doc->nincidents; i++)
		rc = check_incident(&c, i, &doc->incidents[i]);
	if (rc < 0)
		return rc;

	lang = doc->incidents[0].lang != NULL ? doc->incidents[0].lang : "en";
	rc = cirt_iodef_xw_begin(&w, lang, CIRT_IODEF_MAX_BYTES, d);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < doc->nincidents && !w.failed && !w.full; i++)
		write_incident(&w, &doc->incidents[i], lang);
	return cirt_iodef_xw_finish(&w, out, d);
}
