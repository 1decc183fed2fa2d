/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The incident classification table: RSIT's 11 classes and their types
 * with the values and labels of the MISP "rsit" machine tags (the
 * descriptions are ours, short), our six types for WTSA Resolution 50
 * terms that RSIT folds into a broader type, each with the RSIT type it
 * rolls up to, and the WTSA term mapping. See incident/taxonomy.h.
 *
 * Layer: incident. Constant data; every function is pure and thread-safe.
 *
 * References: docs/incidents.md "Taxonomy"; the RSIT working group's
 * taxonomy (ENISA / TF-CSIRT), as ../shared/data/taxonomies/
 * rsit.machinetag.json carries it.
 */
#include "incident/taxonomy.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/banned.h"

#define C_ABUSE	  "abusive-content", "Abusive Content"
#define C_MALWARE "malicious-code", "Malicious Code"
#define C_GATHER  "information-gathering", "Information Gathering"
#define C_ATTEMPT "intrusion-attempts", "Intrusion Attempts"
#define C_INTRUDE "intrusions", "Intrusions"
#define C_AVAIL	  "availability", "Availability"
#define C_INFOSEC "information-content-security", "Information Content Security"
#define C_FRAUD	  "fraud", "Fraud"
#define C_VULN	  "vulnerable", "Vulnerable"
#define C_OTHER	  "other", "Other"
#define C_TEST	  "test", "Test"

/* A row: class and its label, type, label, rsit_type, wtsa, description. */
#define T(...) T_(__VA_ARGS__)
#define T_(c, cl, t, l, r, w, d)     \
	{                            \
		c, t, cl, l, r, w, d \
	}

/* Classes in RSIT order; within a class RSIT's types first, then ours. */
static const struct cirt_taxonomy_type types[] = {
	T(C_ABUSE, "spam", "Spam", NULL, "spam",
	  "Bulk messages the recipients never asked for."),
	T(C_ABUSE, "harmful-speech", "Harmful Speech", NULL, NULL,
	  "Harassment, bullying, threats or discrimination aimed at people."),
	T(C_ABUSE, "violence",
	  "(Child) Sexual Exploitation/Sexual/Violent Content", NULL, NULL,
	  "Child sexual abuse material, sexual or violent content."),

	T(C_MALWARE, "infected-system", "Infected System", NULL, "malware",
	  "A device running malware, often seen talking to a sinkhole."),
	T(C_MALWARE, "c2-server", "C2 Server", NULL, NULL,
	  "A server that commands infected systems."),
	T(C_MALWARE, "malware-distribution", "Malware Distribution", NULL, NULL,
	  "A location that hands out malware."),
	T(C_MALWARE, "malware-configuration", "Malware Configuration", NULL,
	  NULL, "A location that serves configuration to malware."),
	T(C_MALWARE, "ransomware", "Ransomware", "infected-system",
	  "ransomware",
	  "Malware that encrypts or locks data and demands a ransom."),

	T(C_GATHER, "scanner", "Scanning", NULL, "scanning",
	  "Probing systems for services and weaknesses."),
	T(C_GATHER, "sniffing", "Sniffing", NULL, NULL,
	  "Capturing other parties' network traffic."),
	T(C_GATHER, "social-engineering", "Social Engineering", NULL, NULL,
	  "Getting information out of people by deceit or pressure."),

	T(C_ATTEMPT, "ids-alert", "Exploitation of Known Vulnerabilities", NULL,
	  NULL, "An attempt to exploit a published vulnerability (a CVE)."),
	T(C_ATTEMPT, "brute-force", "Login Attempts", NULL, NULL,
	  "Repeated guessing of passwords or other credentials."),
	T(C_ATTEMPT, "exploit", "New Attack Signature", NULL, NULL,
	  "An attempt using an exploit not known before."),

	T(C_INTRUDE, "privileged-account-compromise",
	  "Privileged Account Compromise", NULL, NULL,
	  "An attacker gained administrator rights on a system."),
	T(C_INTRUDE, "unprivileged-account-compromise",
	  "Unprivileged Account Compromise", NULL, NULL,
	  "An attacker got in through an ordinary user or service account."),
	T(C_INTRUDE, "application-compromise", "Application Compromise", NULL,
	  NULL, "An application taken over through a flaw in it."),
	T(C_INTRUDE, "system-compromise", "System Compromise", NULL,
	  "intrusion", "A system taken over, e.g. unauthorised logins."),
	T(C_INTRUDE, "burglary", "Burglary", NULL, NULL,
	  "Physical break-in to premises or a data centre."),
	T(C_INTRUDE, "apt", "Advanced Persistent Threat", "system-compromise",
	  "APT", "A targeted, long-running intrusion by a capable actor."),

	T(C_AVAIL, "dos", "Denial of Service", NULL, NULL,
	  "A service slowed down or stopped from a single source."),
	T(C_AVAIL, "ddos", "Distributed Denial of Service", NULL, "DDoS",
	  "A service flooded from many sources, e.g. by a botnet."),
	T(C_AVAIL, "misconfiguration", "Misconfiguration", NULL, NULL,
	  "A service unavailable because of a configuration error."),
	T(C_AVAIL, "sabotage", "Sabotage", NULL, NULL,
	  "Deliberate physical damage that stops a service."),
	T(C_AVAIL, "outage", "Outage", NULL, NULL,
	  "A service down without malice, e.g. power or cooling failure."),

	T(C_INFOSEC, "unauthorised-information-access",
	  "Unauthorised Access to Information", NULL, "unauthorised access",
	  "Someone read information they had no right to."),
	T(C_INFOSEC, "unauthorised-information-modification",
	  "Unauthorised Modification of Information", NULL, NULL,
	  "Someone changed information they had no right to."),
	T(C_INFOSEC, "data-loss", "Data Loss", NULL, NULL,
	  "Data lost, e.g. through a failed disk or a stolen device."),
	T(C_INFOSEC, "data-leak", "Leak of Confidential Information", NULL,
	  NULL,
	  "Confidential data such as credentials or personal data exposed."),
	T(C_INFOSEC, "defacement", "Web Defacement",
	  "unauthorised-information-modification", "web defacement",
	  "The content of a website replaced or altered by an attacker."),
	T(C_INFOSEC, "data-poisoning", "Data Poisoning",
	  "unauthorised-information-modification", "data poisoning",
	  "Training or reference data tampered with to mislead its users."),

	T(C_FRAUD, "unauthorised-use-of-resources",
	  "Unauthorised Use of Resources", NULL, NULL,
	  "Resources used for purposes their owner did not allow."),
	T(C_FRAUD, "copyright", "Copyright", NULL, NULL,
	  "Unlicensed copies of software or other protected works."),
	T(C_FRAUD, "masquerade", "Masquerade", NULL, NULL,
	  "Pretending to be someone else for gain."),
	T(C_FRAUD, "phishing", "Phishing", NULL, "phishing",
	  "Posing as a trusted party to obtain credentials or data."),
	T(C_FRAUD, "pharming", "Pharming", "phishing", "pharming",
	  "Sending users to a fake site by tampering with name resolution."),
	T(C_FRAUD, "spoofing", "Spoofing", "masquerade", "spoofing",
	  "Forged sender addresses, caller ids or network addresses."),

	T(C_VULN, "weak-crypto", "Weak Cryptography", NULL, NULL,
	  "A public service offering weak or broken cryptography."),
	T(C_VULN, "ddos-amplifier", "DDoS Amplifier", NULL, NULL,
	  "A public service that can be abused to amplify floods."),
	T(C_VULN, "potentially-unwanted-accessible",
	  "Potentially Unwanted Accessible Services", NULL, NULL,
	  "A service reachable from the internet that should not be."),
	T(C_VULN, "information-disclosure", "Information disclosure", NULL,
	  NULL, "A public service that gives away sensitive information."),
	T(C_VULN, "vulnerable-system", "Vulnerable System", NULL, NULL,
	  "A system open to known attacks, e.g. out of date software."),

	T(C_OTHER, "other", "Uncategorised", NULL, NULL,
	  "Fits no other class (many of these means the taxonomy needs "
	  "review)."),
	T(C_OTHER, "undetermined", "Undetermined", NULL, NULL,
	  "Not classified yet."),

	T(C_TEST, "test", "Test", NULL, NULL, "For testing only."),
};

#define NTYPES (sizeof(types) / sizeof(types[0]))

size_t cirt_taxonomy_count(void)
{
	return NTYPES;
}

const struct cirt_taxonomy_type *cirt_taxonomy_at(size_t i)
{
	return i < NTYPES ? &types[i] : NULL;
}

/* The first type of class cls[0..len), or NULL. */
static const struct cirt_taxonomy_type *find_class(const char *cls, size_t len)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (strlen(types[i].cls) == len &&
		    memcmp(types[i].cls, cls, len) == 0)
			return &types[i];
	return NULL;
}

int cirt_taxonomy_is_class(const char *cls)
{
	return find_class(cls, strlen(cls)) != NULL;
}

const struct cirt_taxonomy_type *cirt_taxonomy_find(const char *s)
{
	const char *colon = strchr(s, ':');
	size_t n;

	if (colon == NULL)
		return NULL;
	n = (size_t)(colon - s);
	for (size_t i = 0; i < NTYPES; i++)
		if (strlen(types[i].cls) == n &&
		    memcmp(types[i].cls, s, n) == 0 &&
		    strcmp(types[i].type, colon + 1) == 0)
			return &types[i];
	return NULL;
}

/* "a, b, c": the classes, or the types of class cls. */
static void allowed(const char *cls, char *out, size_t size)
{
	size_t used = 0;
	int n;

	out[0] = '\0';
	for (size_t i = 0; i < NTYPES; i++) {
		const char *name;

		if (cls && strcmp(types[i].cls, cls) != 0)
			continue;
		if (!cls && i > 0 &&
		    strcmp(types[i].cls, types[i - 1].cls) == 0)
			continue;
		name = cls ? types[i].type : types[i].cls;
		n = snprintf(out + used, size - used, "%s%s", used ? ", " : "",
			     name);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}

int cirt_taxonomy_parse(const char *s, const char *field,
			const struct cirt_taxonomy_type **out,
			struct cirt_diag *d)
{
	const struct cirt_taxonomy_type *t = cirt_taxonomy_find(s);
	const struct cirt_taxonomy_type *c;
	const char *colon = strchr(s, ':');
	size_t len = colon ? (size_t)(colon - s) : strlen(s);
	int n = len > CIRT_TAXONOMY_CLASS_MAX ? CIRT_TAXONOMY_CLASS_MAX
					      : (int)len;
	char list[400];

	if (t) {
		if (out)
			*out = t;
		return 0;
	}
	c = find_class(s, len);
	if (c == NULL) {
		allowed(NULL, list, sizeof(list));
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s must be class:type; '%.*s' is not a "
				     "class; classes: %s",
				     field, n, s, list);
	}
	allowed(c->cls, list, sizeof(list));
	if (colon == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s must be class:type; types of class "
				     "%s: %s",
				     field, c->cls, list);
	return cirt_diag_set(d, -CIRT_EINVAL, field,
			     "%s: class %s has no type '%.*s'; its types: %s",
			     field, c->cls, CIRT_TAXONOMY_TYPE_MAX, colon + 1,
			     list);
}

/* Equal ignoring ASCII case, with '-' and '_' taken as ' '. */
static bool term_eq(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen && b[i]; i++) {
		char x = a[i], y = b[i];

		if (x == '-' || x == '_')
			x = ' ';
		if (y == '-' || y == '_')
			y = ' ';
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return i == alen && b[i] == '\0';
}

/* True if the comma-separated list has term. */
static bool list_has(const char *list, const char *term)
{
	const char *p = list;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (term_eq(p, n, term))
			return true;
		p = end ? end + 1 : NULL;
		while (p && *p == ' ')
			p++;
	}
	return false;
}

const struct cirt_taxonomy_type *cirt_taxonomy_wtsa(const char *term)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (types[i].wtsa && list_has(types[i].wtsa, term))
			return &types[i];
	return NULL;
}

static json_t *type_json(const struct cirt_taxonomy_type *t)
{
	json_t *o = json_pack("{s:s, s:s}", "type", t->type, "label", t->label);

	if (t->rsit_type)
		json_object_set_new(o, "rsit_type", json_string(t->rsit_type));
	if (t->wtsa)
		json_object_set_new(o, "wtsa", cirt_json_split(t->wtsa));
	json_object_set_new(o, "description", json_string(t->description));
	return o;
}

json_t *cirt_taxonomy_json(void)
{
	json_t *classes = json_array();
	json_t *cur = NULL;

	for (size_t i = 0; i < NTYPES; i++) {
		if (i == 0 || strcmp(types[i].cls, types[i - 1].cls) != 0) {
			cur = json_array();
			json_array_append_new(
				classes,
				json_pack("{s:s, s:s, s:o}", "class",
					  types[i].cls, "label",
					  types[i].cls_label, "types", cur));
		}
		json_array_append_new(cur, type_json(&types[i]));
	}
	return json_pack("{s:o}", "classes", classes);
}
