/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX fixtures shared by the validator tests: valid objects of every
 * type, written with ` for " so that they stay readable (no fixture
 * contains a backquote), and a runner for tables of (base object, patch,
 * expected rule). A patch is a JSON object whose members replace those of
 * the base; a null member removes it.
 */
#ifndef CIRT_TESTS_STIX_FIXTURES_H
#define CIRT_TESTS_STIX_FIXTURES_H

#include <stdio.h>
#include <string.h>

#include "stix/stix.h"

#define U  "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
#define U5 "28bb3599-77cd-5a82-a950-b5bc3caf07c4"
#define T0 "2016-04-06T20:03:00.000Z"
#define T1 "2016-05-07T11:22:30.000Z"

#define SDO(t)                                                     \
	"`type`:`" t "`,`spec_version`:`2.1`,`id`:`" t "--" U "`," \
	"`created`:`" T0 "`,`modified`:`" T0 "`"
#define SCO(t) "`type`:`" t "`,`spec_version`:`2.1`,`id`:`" t "--" U "`"

#define SHA256 \
	"841a8921140aba50671ebb0770fecc4ee308c4952cfeff8de154ab14eeef4649"

/* Valid objects of each type (STIX 2.1 sections 4 to 7). */
#define ATTACK_PATTERN "{" SDO("attack-pattern") ",`name`:`Spear Phishing`}"
#define CAMPAIGN       "{" SDO("campaign") ",`name`:`Green Group Attacks`}"
#define COURSE	       "{" SDO("course-of-action") ",`name`:`Block it`}"
#define GROUPING                                                \
	"{" SDO("grouping") ",`context`:`suspicious-activity`," \
			    "`object_refs`:[`indicator--" U "`]}"
#define IDENTITY \
	"{" SDO("identity") ",`name`:`ACME`,`identity_class`:`organization`}"
#define INCIDENT "{" SDO("incident") ",`name`:`Breach`}"
#define INDICATOR                                                 \
	"{" SDO("indicator") ",`name`:`evil`,`pattern`:`^evil$`," \
			     "`pattern_type`:`pcre`,`valid_from`:`" T0 "`}"
#define INDICATOR_STIX                                                      \
	"{" SDO("indicator") ",`pattern`:`[ipv4-addr:value = '10.0.0.1']`," \
			     "`pattern_type`:`stix`,`valid_from`:`" T0 "`}"
#define INFRASTRUCTURE "{" SDO("infrastructure") ",`name`:`C2`}"
#define INTRUSION_SET  "{" SDO("intrusion-set") ",`name`:`Bear`}"
#define LOCATION       "{" SDO("location") ",`region`:`europe`}"
#define MALWARE	       "{" SDO("malware") ",`name`:`Ivy`,`is_family`:true}"
#define MALWARE_ANALYSIS \
	"{" SDO("malware-analysis") ",`product`:`av`,`result`:`malicious`}"
#define NOTE \
	"{" SDO("note") ",`content`:`seen`,`object_refs`:[`campaign--" U "`]}"
#define OBSERVED_DATA                                          \
	"{" SDO("observed-data") ",`first_observed`:`" T0 "`," \
				 "`last_observed`:`" T1        \
				 "`,`number_observed`:1,"      \
				 "`object_refs`:[`ipv4-addr--" U "`]}"
#define OPINION \
	"{" SDO("opinion") ",`opinion`:`agree`,`object_refs`:[`note--" U "`]}"
#define REPORT                                                 \
	"{" SDO("report") ",`name`:`Q1`,`published`:`" T1 "`," \
			  "`object_refs`:[`campaign--" U "`]}"
#define THREAT_ACTOR  "{" SDO("threat-actor") ",`name`:`Evil Org`}"
#define TOOL	      "{" SDO("tool") ",`name`:`nmap`}"
#define VULNERABILITY "{" SDO("vulnerability") ",`name`:`CVE-2021-44228`}"
#define RELATIONSHIP                                                \
	"{" SDO("relationship") ",`relationship_type`:`indicates`," \
				"`source_ref`:`indicator--" U       \
				"`,`target_ref`:`malware--" U "`}"
#define SIGHTING   "{" SDO("sighting") ",`sighting_of_ref`:`indicator--" U "`}"
#define ARTIFACT   "{" SCO("artifact") ",`payload_bin`:`aGVsbG8=`}"
#define AS	   "{" SCO("autonomous-system") ",`number`:15139}"
#define DIRECTORY  "{" SCO("directory") ",`path`:`C:\\\\Windows`}"
#define DOMAIN	   "{" SCO("domain-name") ",`value`:`example.com`}"
#define EMAIL_ADDR "{" SCO("email-addr") ",`value`:`john@example.com`}"
#define EMAIL_MESSAGE                                                 \
	"{" SCO("email-message") ",`is_multipart`:false,`body`:`hi`," \
				 "`from_ref`:`email-addr--" U "`}"
#define FILE_SCO \
	"{" SCO("file") ",`name`:`a.exe`,`hashes`:{`SHA-256`:`" SHA256 "`}}"
#define IPV4  "{" SCO("ipv4-addr") ",`value`:`198.51.100.3`}"
#define IPV6  "{" SCO("ipv6-addr") ",`value`:`2001:db8::1/64`}"
#define MAC   "{" SCO("mac-addr") ",`value`:`d2:fb:49:24:37:18`}"
#define MUTEX "{" SCO("mutex") ",`name`:`__CLEANSWEEP__`}"
#define NETWORK_TRAFFIC                                             \
	"{" SCO("network-traffic") ",`src_ref`:`ipv4-addr--" U "`," \
				   "`protocols`:[`ipv4`,`tcp`]}"
#define PROCESS "{" SCO("process") ",`pid`:1221}"
#define SOFTWARE                                                               \
	"{" SCO("software") ",`name`:`Word`,"                                  \
			    "`cpe`:`cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*" \
			    ":*`}"
#define URL	     "{" SCO("url") ",`value`:`https://example.com/a`}"
#define USER_ACCOUNT "{" SCO("user-account") ",`user_id`:`1001`}"
#define REGISTRY \
	"{" SCO("windows-registry-key") ",`key`:`HKEY_LOCAL_MACHINE\\\\x`}"
#define X509 "{" SCO("x509-certificate") ",`serial_number`:`36:f7`}"
#define LANGUAGE_CONTENT                                               \
	"{" SDO("language-content") ",`object_ref`:`campaign--" U "`," \
				    "`contents`:{`de`:{`name`:`Gruppe`}}}"
#define MARKING                                                \
	"{`type`:`marking-definition`,`spec_version`:`2.1`,"   \
	"`id`:`marking-definition--" U "`,`created`:`" T0 "`," \
	"`definition_type`:`statement`,"                       \
	"`definition`:{`statement`:`Copyright ACME`}}"
#define EXTENSION_DEFINITION                                                   \
	"{" SDO("extension-definition") ",`created_by_ref`:`identity--" U      \
					"`,`name`:`ext`,`schema`:`https://"    \
					"example.com/s`,"                      \
					"`version`:`1.0`,`extension_types`:[`" \
					"property-extension`]}"

#define TLP2_EXT   "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
#define TLP1_RED   "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"
#define TLP2_GREEN "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
#define TLP2_AMBER "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"

struct vcase {
	const char *what;  /* the rule shown and how */
	const char *base;  /* a valid object */
	const char *patch; /* members to replace (null: remove), or NULL */
	const char *rule;  /* expected rule of a finding; NULL: valid */
	const char *path;  /* expected path of that finding, or NULL */
};

/* Parse a fixture written with ` for ". */
static inline json_t *fx(const char *text)
{
	static char buf[16384];
	json_error_t e;
	size_t n = strlen(text);
	json_t *v;

	if (n >= sizeof(buf))
		fail_msg("fixture too long");
	for (size_t i = 0; i <= n; i++)
		buf[i] = text[i] == '`' ? '"' : text[i];
	v = json_loads(buf, JSON_REJECT_DUPLICATES, &e);
	if (v == NULL)
		fail_msg("bad fixture (%s): %s", e.text, buf);
	return v;
}

static inline json_t *fx_patched(const char *base, const char *patch)
{
	json_t *o = fx(base), *p, *val;
	const char *k;

	if (patch == NULL)
		return o;
	p = fx(patch);
	json_object_foreach (p, k, val) {
		if (json_is_null(val))
			json_object_del(o, k);
		else
			json_object_set(o, k, val);
	}
	json_decref(p);
	return o;
}

static inline void fx_print(const struct cirt_stix_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		printf("#   %s %s: %s\n", f->f[i].rule, f->f[i].path,
		       f->f[i].message);
}

/* True if f holds a finding of rule (at path, if not NULL). */
static inline bool fx_has(const struct cirt_stix_findings *f, const char *rule,
			  const char *path)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->f[i].rule, rule) == 0 &&
		    (path == NULL || strcmp(f->f[i].path, path) == 0))
			return true;
	return false;
}

static inline void fx_run(const struct vcase *c, size_t n)
{
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;
	json_t *o;
	int rc;

	for (size_t i = 0; i < n; i++) {
		o = fx_patched(c[i].base, c[i].patch);
		rc = cirt_stix_validate(o, &m, &f);
		json_decref(o);
		if (c[i].rule == NULL && rc != 0) {
			fx_print(&f);
			fail_msg("%s: expected valid", c[i].what);
		}
		if (c[i].rule == NULL)
			continue;
		if (rc != -CIRT_EINVAL || !fx_has(&f, c[i].rule, c[i].path)) {
			fx_print(&f);
			fail_msg("%s: expected a %s finding at %s", c[i].what,
				 c[i].rule, c[i].path ? c[i].path : "any path");
		}
	}
}

#define FX_RUN(table) fx_run(table, sizeof(table) / sizeof(table[0]))

#endif
