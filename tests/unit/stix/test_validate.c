/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX object validation (stix/stix.h): one table of positive and
 * negative cases per rule of standards.md 1.14 (STIX-01 to STIX-16), the
 * shared data (STIX-13 TLP objects, STIX-19 examples), STIX 2.0 objects,
 * meta, findings, hostile input and the cost of a typical indicator.
 * Per-type required properties of every type are in test_types.c.
 */
#include "testlib.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/time.h"
#include "stix/stix.h"
#include "stix/stix_pattern.h"

#include "fixtures.h"

/* STIX-17 cases need the pattern parser; while it is the placeholder
 * that answers "not implemented yet", they are skipped. */
static bool pattern_parser_ready(void)
{
	static const char p[] = "[ipv4-addr:value = '10.0.0.1']";
	struct cirt_pattern *pat = NULL;
	struct cirt_diag d;

	cirt_diag_init(&d);
	if (cirt_pattern_parse(p, sizeof(p) - 1, &pat, &d) == 0) {
		cirt_pattern_free(pat);
		return true;
	}
	if (strcmp(d.message, "not implemented yet") == 0) {
		printf("# SKIP the STIX pattern parser is not there yet\n");
		return false;
	}
	return true;
}

static const struct vcase stix01[] = {
	{"STIX-01 valid id", CAMPAIGN, NULL, NULL, NULL},
	{"STIX-01 upper-case hex is valid", CAMPAIGN,
	 "{`id`:`campaign--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F`}", NULL, NULL},
	{"STIX-01 not a UUID", CAMPAIGN, "{`id`:`campaign--1234`}", "STIX-01",
	 "$.id"},
	{"STIX-01 single dash", CAMPAIGN, "{`id`:`campaign-" U "`}", "STIX-01",
	 "$.id"},
	{"STIX-01 UUID version 0", CAMPAIGN,
	 "{`id`:`campaign--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f`}", "STIX-01",
	 "$.id"},
	{"STIX-01 UUID variant 0", CAMPAIGN,
	 "{`id`:`campaign--8e2e2d2b-17d4-4cbf-138f-98ee46b3cd3f`}", "STIX-01",
	 "$.id"},
	{"STIX-01 prefix is not the type", CAMPAIGN,
	 "{`id`:`indicator--" U "`}", "STIX-01", "$.id"},
	{"STIX-01 missing id", CAMPAIGN, "{`id`:null}", "STIX-01", "$.id"},
	{"STIX-01 id not a string", CAMPAIGN, "{`id`:5}", "STIX-01", "$.id"},
	{"STIX-01 reference not an id", CAMPAIGN,
	 "{`created_by_ref`:`identity--xyz`}", "STIX-01", "$.created_by_ref"},
	{"STIX-01 custom _ref not an id", CAMPAIGN, "{`x_acme_ref`:`nope`}",
	 "STIX-01", "$.x_acme_ref"},
	{"STIX-01 reference in a list", NOTE,
	 "{`object_refs`:[`campaign--" U "`,`bad`]}", "STIX-01",
	 "$.object_refs[1]"},
};

static void test_validate_stix01_identifiers(void **state)
{
	(void)state;
	FX_RUN(stix01);
}

static const struct vcase stix02[] = {
	{"STIX-02 custom x_ property", CAMPAIGN, "{`x_acme_score`:5}", NULL,
	 NULL},
	{"STIX-02 custom property without x_", CAMPAIGN, "{`acme_score`:5}",
	 NULL, NULL},
	{"STIX-02 custom x- type", "{" SDO("x-acme-widget") ",`size`:3}", NULL,
	 NULL, NULL},
	{"STIX-02 upper-case property", CAMPAIGN, "{`Acme`:1}", "STIX-02",
	 "$.Acme"},
	{"STIX-02 two-character property", CAMPAIGN, "{`xy`:1}", "STIX-02",
	 "$.xy"},
	{"STIX-02 property with '-'", CAMPAIGN, "{`x-acme`:1}", "STIX-02",
	 "$['x-acme']"},
	{"STIX-02 property starting with a digit", CAMPAIGN, "{`1abc`:1}",
	 "STIX-02", "$['1abc']"},
	{"STIX-02 upper-case type", "{" SDO("X-Acme") "}", NULL, "STIX-02",
	 "$.type"},
	{"STIX-02 two-character type", "{" SDO("xy") "}", NULL, "STIX-02",
	 "$.type"},
	{"STIX-02 type with --", "{" SDO("x--acme") "}", NULL, "STIX-02",
	 "$.type"},
	{"STIX-02 type with '_'", "{" SDO("x_acme") "}", NULL, "STIX-02",
	 "$.type"},
	{"STIX-02 reserved type action", "{" SDO("action") "}", NULL, "STIX-02",
	 "$.type"},
	{"STIX-02 reserved property severity", CAMPAIGN, "{`severity`:`high`}",
	 "STIX-02", "$.severity"},
	{"STIX-02 reserved property phone_numbers", IDENTITY,
	 "{`phone_numbers`:[`1`]}", "STIX-02", "$.phone_numbers"},
	{"STIX-02 _enc with its base", DIRECTORY, "{`path_enc`:`cp1252`}", NULL,
	 NULL},
	{"STIX-02 _enc without its base", FILE_SCO,
	 "{`name`:null,`name_enc`:`cp1252`}", "STIX-02", "$.name_enc"},
};

static void test_validate_stix02_names(void **state)
{
	(void)state;
	FX_RUN(stix02);
}

static const struct vcase stix03[] = {
	{"STIX-03 created with microseconds", CAMPAIGN,
	 "{`created`:`2016-04-06T20:03:00.123456Z`,"
	 "`modified`:`2016-04-06T20:03:00.123456Z`}",
	 NULL, NULL},
	{"STIX-03 first_seen without fraction", CAMPAIGN,
	 "{`first_seen`:`2016-04-06T20:03:00Z`}", NULL, NULL},
	{"STIX-03 leap second", CAMPAIGN,
	 "{`first_seen`:`2016-12-31T23:59:60Z`}", NULL, NULL},
	{"STIX-03 created without milliseconds", CAMPAIGN,
	 "{`created`:`2016-04-06T20:03:00Z`}", "STIX-03", "$.created"},
	{"STIX-03 modified with 2 digits", CAMPAIGN,
	 "{`modified`:`2016-04-06T20:03:00.12Z`}", "STIX-03", "$.modified"},
	{"STIX-03 no Z", CAMPAIGN, "{`first_seen`:`2016-04-06T20:03:00`}",
	 "STIX-03", "$.first_seen"},
	{"STIX-03 offset instead of Z", CAMPAIGN,
	 "{`first_seen`:`2016-04-06T20:03:00+02:00`}", "STIX-03",
	 "$.first_seen"},
	{"STIX-03 '.' without digits", CAMPAIGN,
	 "{`first_seen`:`2016-04-06T20:03:00.Z`}", "STIX-03", "$.first_seen"},
	{"STIX-03 February 30", CAMPAIGN,
	 "{`created`:`2016-02-30T20:03:00.000Z`}", "STIX-03", "$.created"},
	{"STIX-03 February 29 of a common year", INDICATOR,
	 "{`valid_from`:`2023-02-29T00:00:00Z`}", "STIX-03", "$.valid_from"},
	{"STIX-03 timestamp not a string", CAMPAIGN, "{`last_seen`:1}",
	 "STIX-03", "$.last_seen"},
	{"STIX-03 in an SCO", NETWORK_TRAFFIC,
	 "{`start`:`2016-04-06 20:03:00Z`}", "STIX-03", "$.start"},
};

static void test_validate_stix03_timestamps(void **state)
{
	(void)state;
	FX_RUN(stix03);
}

static const struct vcase stix04[] = {
	{"STIX-04 SDO with all common properties", CAMPAIGN,
	 "{`created_by_ref`:`identity--" U "`,`revoked`:false,"
	 "`labels`:[`x`],`confidence`:50,`lang`:`en`,"
	 "`external_references`:[{`source_name`:`a`,`url`:`https://a.b/`}],"
	 "`object_marking_refs`:[`" TLP1_RED "`]}",
	 NULL, NULL},
	{"STIX-04 SCO without spec_version", IPV4, "{`spec_version`:null}",
	 NULL, NULL},
	{"STIX-04 SCO defanged", URL, "{`defanged`:true}", NULL, NULL},
	{"STIX-04 missing created", CAMPAIGN, "{`created`:null}", "STIX-04",
	 "$"},
	{"STIX-04 missing modified", CAMPAIGN, "{`modified`:null}", "STIX-04",
	 "$"},
	{"STIX-04 missing type", CAMPAIGN, "{`type`:null}", "STIX-04",
	 "$.type"},
	{"STIX-04 spec_version 2.0 on a 2.1 object", CAMPAIGN,
	 "{`spec_version`:`2.0`}", "STIX-04", "$.spec_version"},
	{"STIX-04 spec_version 2.2", IPV4, "{`spec_version`:`2.2`}", "STIX-04",
	 "$.spec_version"},
	{"STIX-04 defanged on an SDO", CAMPAIGN, "{`defanged`:true}", "STIX-04",
	 "$.defanged"},
	{"STIX-04 created on an SCO", IPV4, "{`created`:`" T0 "`}", "STIX-04",
	 "$.created"},
	{"STIX-04 lang on an SCO", IPV4, "{`lang`:`en`}", "STIX-04", "$.lang"},
	{"STIX-04 extensions on an extension-definition", EXTENSION_DEFINITION,
	 "{`extensions`:{`x-ext`:{`a_b`:1}}}", "STIX-04", "$.extensions"},
	{"STIX-04 extension-definition without created_by_ref",
	 EXTENSION_DEFINITION, "{`created_by_ref`:null}", "STIX-04", "$"},
	{"STIX-04 revoked not a boolean", CAMPAIGN, "{`revoked`:`yes`}",
	 "STIX-04", "$.revoked"},
	{"STIX-04 lang not RFC 5646", CAMPAIGN, "{`lang`:`english language`}",
	 "STIX-04", "$.lang"},
	{"STIX-04 not an object", "[1]", NULL, "STIX-04", "$"},
};

static void test_validate_stix04_common(void **state)
{
	(void)state;
	FX_RUN(stix04);
}

static const struct vcase stix05[] = {
	{"STIX-05 malware family with name", MALWARE, NULL, NULL, NULL},
	{"STIX-05 malware instance without name", MALWARE,
	 "{`name`:null,`is_family`:false}", NULL, NULL},
	{"STIX-05 malware family without name", MALWARE, "{`name`:null}",
	 "STIX-05", "$"},
	{"STIX-05 malware without is_family", MALWARE, "{`is_family`:null}",
	 "STIX-05", "$"},
	{"STIX-05 location by coordinates", LOCATION,
	 "{`region`:null,`latitude`:48.8,`longitude`:2.3}", NULL, NULL},
	{"STIX-05 location without region, country or coordinates", LOCATION,
	 "{`region`:null,`city`:`Paris`}", "STIX-05", "$"},
	{"STIX-05 malware-analysis with analysis_sco_refs only",
	 MALWARE_ANALYSIS,
	 "{`result`:null,`analysis_sco_refs`:[`file--" U "`]}", NULL, NULL},
	{"STIX-05 malware-analysis without result or analysis_sco_refs",
	 MALWARE_ANALYSIS, "{`result`:null}", "STIX-05", "$"},
	{"STIX-05 file with hashes only", FILE_SCO, "{`name`:null}", NULL,
	 NULL},
	{"STIX-05 file without hashes or name", FILE_SCO,
	 "{`name`:null,`hashes`:null,`size`:3}", "STIX-05", "$"},
	{"STIX-05 network-traffic with dst_ref only", NETWORK_TRAFFIC,
	 "{`src_ref`:null,`dst_ref`:`ipv6-addr--" U "`}", NULL, NULL},
	{"STIX-05 network-traffic without src_ref or dst_ref", NETWORK_TRAFFIC,
	 "{`src_ref`:null}", "STIX-05", "$"},
	{"STIX-05 network-traffic active with end", NETWORK_TRAFFIC,
	 "{`is_active`:true,`end`:`" T1 "`}", "STIX-05", "$.end"},
	{"STIX-05 artifact by url and hashes", ARTIFACT,
	 "{`payload_bin`:null,`url`:`https://a.b/x`,"
	 "`hashes`:{`SHA-256`:`" SHA256 "`}}",
	 NULL, NULL},
	{"STIX-05 artifact with payload_bin and url", ARTIFACT,
	 "{`url`:`https://a.b/x`,`hashes`:{`SHA-256`:`" SHA256 "`}}", "STIX-05",
	 "$"},
	{"STIX-05 artifact with neither", ARTIFACT, "{`payload_bin`:null}",
	 "STIX-05", "$"},
	{"STIX-05 artifact url without hashes", ARTIFACT,
	 "{`payload_bin`:null,`url`:`https://a.b/x`}", "STIX-05", "$.url"},
	{"STIX-05 artifact decryption_key without algorithm", ARTIFACT,
	 "{`decryption_key`:`k`}", "STIX-05", "$.decryption_key"},
	{"STIX-05 artifact encryption_algorithm not in the enum", ARTIFACT,
	 "{`encryption_algorithm`:`ROT13`}", "STIX-05",
	 "$.encryption_algorithm"},
	{"STIX-05 payload_bin not base64", ARTIFACT, "{`payload_bin`:`a$==`}",
	 "STIX-05", "$.payload_bin"},
	{"STIX-05 opinion not in opinion-enum", OPINION, "{`opinion`:`maybe`}",
	 "STIX-05", "$.opinion"},
	{"STIX-05 email body with is_multipart true", EMAIL_MESSAGE,
	 "{`is_multipart`:true}", "STIX-05", "$.body"},
	{"STIX-05 email MIME part with both body and body_raw_ref",
	 EMAIL_MESSAGE,
	 "{`is_multipart`:true,`body`:null,`body_multipart`:[{`body`:`a`,"
	 "`body_raw_ref`:`artifact--" U "`}]}",
	 "STIX-05", "$.body_multipart[0]"},
	{"STIX-05 mac-addr upper case", MAC, "{`value`:`D2:FB:49:24:37:18`}",
	 "STIX-05", "$.value"},
	{"STIX-05 ipv4-addr CIDR", IPV4, "{`value`:`10.0.0.0/8`}", NULL, NULL},
	{"STIX-05 ipv4-addr octet 256", IPV4, "{`value`:`10.0.0.256`}",
	 "STIX-05", "$.value"},
	{"STIX-05 ipv6-addr bad", IPV6, "{`value`:`2001:db8:::1`}", "STIX-05",
	 "$.value"},
	{"STIX-05 software cpe not CPE 2.3", SOFTWARE,
	 "{`cpe`:`cpe:/a:microsoft:word:2000`}", "STIX-05", "$.cpe"},
	{"STIX-05 registry key with abbreviated hive", REGISTRY,
	 "{`key`:`HKLM\\\\Software`}", "STIX-05", "$.key"},
	{"STIX-05 hash of the wrong length", FILE_SCO,
	 "{`hashes`:{`MD5`:`abc`}}", "STIX-05", "$.hashes.MD5"},
	{"STIX-05 custom hash algorithm", FILE_SCO,
	 "{`hashes`:{`x-blake3`:`abc`}}", NULL, NULL},
	{"STIX-05 custom observable with a property",
	 "{" SCO("x-acme-obs") ",`value`:`x`}", NULL, NULL, NULL},
	{"STIX-05 custom observable without a property",
	 "{" SCO("x-acme-obs") "}", NULL, "STIX-05", "$"},
	{"STIX-05 name not a string", CAMPAIGN, "{`name`:42}", "STIX-05",
	 "$.name"},
	{"STIX-05 relationship_type with upper case", RELATIONSHIP,
	 "{`relationship_type`:`Indicates`}", "STIX-05", "$.relationship_type"},
	{"STIX-05 custom _hex not hex", CAMPAIGN, "{`x_acme_hex`:`abc`}",
	 "STIX-05", "$.x_acme_hex"},
	{"STIX-05 language-content key not a language tag", LANGUAGE_CONTENT,
	 "{`contents`:{`german language`:{`name`:`x`}}}", "STIX-05",
	 "$.contents['german language']"},
	{"STIX-05 observed-data with objects and object_refs", OBSERVED_DATA,
	 "{`objects`:{`0`:{`type`:`ipv4-addr`,`value`:`1.2.3.4`}}}", "STIX-05",
	 "$"},
	{"STIX-05 observed-data with objects only (deprecated)", OBSERVED_DATA,
	 "{`object_refs`:null,"
	 "`objects`:{`0`:{`type`:`ipv4-addr`,`value`:`1.2.3.4`}}}",
	 NULL, NULL},
	{"STIX-05 predefined extension missing a required property", FILE_SCO,
	 "{`extensions`:{`archive-ext`:{`comment`:`zip`}}}", "STIX-05",
	 "$.extensions['archive-ext']"},
	{"STIX-05 predefined extension valid", FILE_SCO,
	 "{`extensions`:{`ntfs-ext`:{`sid`:`S-1-5-18`}}}", NULL, NULL},
	{"STIX-05 windows-pebinary-ext without pe_type", FILE_SCO,
	 "{`extensions`:{`windows-pebinary-ext`:{`imphash`:`x`}}}", "STIX-05",
	 "$.extensions['windows-pebinary-ext']"},
	{"STIX-05 socket-ext address_family not in the enum", NETWORK_TRAFFIC,
	 "{`extensions`:{`socket-ext`:{`address_family`:`AF_X`}}}", "STIX-05",
	 "$.extensions['socket-ext'].address_family"},
	{"STIX-05 extension-definition extension_properties without "
	 "toplevel-property-extension",
	 EXTENSION_DEFINITION, "{`extension_properties`:[`x_toplevel`]}",
	 "STIX-05", "$.extension_properties"},
};

static void test_validate_stix05_specific(void **state)
{
	(void)state;
	FX_RUN(stix05);
}

static const struct vcase stix06[] = {
	{"STIX-06 modified equal to created", CAMPAIGN, NULL, NULL, NULL},
	{"STIX-06 last_seen equal to first_seen", CAMPAIGN,
	 "{`first_seen`:`" T1 "`,`last_seen`:`2016-05-07T11:22:30Z`}", NULL,
	 NULL},
	{"STIX-06 modified before created", CAMPAIGN,
	 "{`modified`:`2016-04-06T20:02:59.999Z`}", "STIX-06", "$.modified"},
	{"STIX-06 last_seen before first_seen", CAMPAIGN,
	 "{`first_seen`:`" T1 "`,`last_seen`:`" T0 "`}", "STIX-06",
	 "$.last_seen"},
	{"STIX-06 threat-actor last_seen before first_seen", THREAT_ACTOR,
	 "{`first_seen`:`" T1 "`,`last_seen`:`" T0 "`}", "STIX-06",
	 "$.last_seen"},
	{"STIX-06 valid_until after valid_from", INDICATOR,
	 "{`valid_until`:`2016-04-06T20:03:00.001Z`}", NULL, NULL},
	{"STIX-06 valid_until equal to valid_from", INDICATOR,
	 "{`valid_until`:`2016-04-06T20:03:00Z`}", "STIX-06", "$.valid_until"},
	{"STIX-06 stop_time equal to start_time", RELATIONSHIP,
	 "{`start_time`:`" T0 "`,`stop_time`:`" T0 "`}", "STIX-06",
	 "$.stop_time"},
	{"STIX-06 sighting last_seen before first_seen", SIGHTING,
	 "{`first_seen`:`" T1 "`,`last_seen`:`" T0 "`}", "STIX-06",
	 "$.last_seen"},
	{"STIX-06 last_observed before first_observed", OBSERVED_DATA,
	 "{`last_observed`:`2016-04-06T20:02:00Z`}", "STIX-06",
	 "$.last_observed"},
	{"STIX-06 network-traffic end before start", NETWORK_TRAFFIC,
	 "{`start`:`" T1 "`,`end`:`" T0 "`}", "STIX-06", "$.end"},
};

static void test_validate_stix06_order(void **state)
{
	(void)state;
	FX_RUN(stix06);
}

static const struct vcase stix07[] = {
	{"STIX-07 confidence 0", CAMPAIGN, "{`confidence`:0}", NULL, NULL},
	{"STIX-07 confidence 100", CAMPAIGN, "{`confidence`:100}", NULL, NULL},
	{"STIX-07 confidence 101", CAMPAIGN, "{`confidence`:101}", "STIX-07",
	 "$.confidence"},
	{"STIX-07 confidence -1", CAMPAIGN, "{`confidence`:-1}", "STIX-07",
	 "$.confidence"},
	{"STIX-07 number_observed 999999999", OBSERVED_DATA,
	 "{`number_observed`:999999999}", NULL, NULL},
	{"STIX-07 number_observed 0", OBSERVED_DATA, "{`number_observed`:0}",
	 "STIX-07", "$.number_observed"},
	{"STIX-07 number_observed 1000000000", OBSERVED_DATA,
	 "{`number_observed`:1000000000}", "STIX-07", "$.number_observed"},
	{"STIX-07 count 0", SIGHTING, "{`count`:0}", NULL, NULL},
	{"STIX-07 count -1", SIGHTING, "{`count`:-1}", "STIX-07", "$.count"},
	{"STIX-07 latitude 91", LOCATION, "{`latitude`:91,`longitude`:0}",
	 "STIX-07", "$.latitude"},
	{"STIX-07 longitude -180.5", LOCATION,
	 "{`latitude`:0,`longitude`:-180.5}", "STIX-07", "$.longitude"},
	{"STIX-07 latitude without longitude", LOCATION, "{`latitude`:10}",
	 "STIX-07", "$.latitude"},
	{"STIX-07 precision without coordinates", LOCATION,
	 "{`precision`:10.5}", "STIX-07", "$.precision"},
	{"STIX-07 precision with coordinates", LOCATION,
	 "{`precision`:10.5,`latitude`:1,`longitude`:2}", NULL, NULL},
	{"STIX-07 dst_port 65536", NETWORK_TRAFFIC, "{`dst_port`:65536}",
	 "STIX-07", "$.dst_port"},
	{"STIX-07 integer beyond 2^53", AS, "{`number`:9007199254740993}",
	 "STIX-07", "$.number"},
};

static void test_validate_stix07_ranges(void **state)
{
	(void)state;
	FX_RUN(stix07);
}

#define A50 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const struct vcase stix08[] = {
	{"STIX-08 empty labels", CAMPAIGN, "{`labels`:[]}", "STIX-08",
	 "$.labels"},
	{"STIX-08 empty object_refs", NOTE, "{`object_refs`:[]}", "STIX-08",
	 "$.object_refs"},
	{"STIX-08 empty custom list", CAMPAIGN, "{`x_acme_tags`:[]}", "STIX-08",
	 "$.x_acme_tags"},
	{"STIX-08 empty hashes", FILE_SCO, "{`hashes`:{}}", "STIX-08",
	 "$.hashes"},
	{"STIX-08 empty extensions", CAMPAIGN, "{`extensions`:{}}", "STIX-08",
	 "$.extensions"},
	{"STIX-08 dictionary key with a space", PROCESS,
	 "{`environment_variables`:{`MY VAR`:`1`}}", "STIX-08",
	 "$.environment_variables['MY VAR']"},
	{"STIX-08 dictionary key of 251 characters", PROCESS,
	 "{`environment_variables`:{`" A50 A50 A50 A50 A50 "a`:`1`}}",
	 "STIX-08", NULL},
	{"STIX-08 dictionary key of 250 characters", PROCESS,
	 "{`environment_variables`:{`" A50 A50 A50 A50 A50 "`:`1`}}", NULL,
	 NULL},
	{"STIX-08 dictionary with valid keys", PROCESS,
	 "{`environment_variables`:{`PATH`:`/bin`,`my-var_2`:`x`}}", NULL,
	 NULL},
	{"STIX-08 hash name too short", FILE_SCO, "{`hashes`:{`md`:`x`}}",
	 "STIX-08", "$.hashes.md"},
};

static void test_validate_stix08_lists_dicts(void **state)
{
	(void)state;
	FX_RUN(stix08);
}

static const struct vcase stix09[] = {
	{"STIX-09 capec reference", ATTACK_PATTERN,
	 "{`external_references`:[{`source_name`:`capec`,"
	 "`external_id`:`CAPEC-163`}]}",
	 NULL, NULL},
	{"STIX-09 cve reference", VULNERABILITY,
	 "{`external_references`:[{`source_name`:`cve`,"
	 "`external_id`:`CVE-2021-44228`}]}",
	 NULL, NULL},
	{"STIX-09 description only", CAMPAIGN,
	 "{`external_references`:[{`source_name`:`blog`,"
	 "`description`:`post`}]}",
	 NULL, NULL},
	{"STIX-09 no source_name", CAMPAIGN,
	 "{`external_references`:[{`url`:`https://a.b/`}]}", "STIX-09",
	 "$.external_references[0]"},
	{"STIX-09 only source_name", CAMPAIGN,
	 "{`external_references`:[{`source_name`:`blog`}]}", "STIX-09",
	 "$.external_references[0]"},
	{"STIX-09 source_name not a string", CAMPAIGN,
	 "{`external_references`:[{`source_name`:1,`url`:`https://a.b/`}]}",
	 "STIX-09", "$.external_references[0].source_name"},
	{"STIX-09 capec id malformed", ATTACK_PATTERN,
	 "{`external_references`:[{`source_name`:`capec`,"
	 "`external_id`:`163`}]}",
	 "STIX-09", "$.external_references[0].external_id"},
	{"STIX-09 cve id malformed", VULNERABILITY,
	 "{`external_references`:[{`source_name`:`cve`,"
	 "`external_id`:`CVE-21-1`}]}",
	 "STIX-09", "$.external_references[0].external_id"},
	{"STIX-09 cve without external_id", VULNERABILITY,
	 "{`external_references`:[{`source_name`:`cve`,`url`:`https://a.b`}]}",
	 "STIX-09", "$.external_references[0].external_id"},
	{"STIX-09 url not a URL", CAMPAIGN,
	 "{`external_references`:[{`source_name`:`a`,`url`:`not a url`}]}",
	 "STIX-09", "$.external_references[0].url"},
};

static void test_validate_stix09_external_references(void **state)
{
	(void)state;
	FX_RUN(stix09);
}

static const struct vcase stix10[] = {
	{"STIX-10 relationship to an SCO", RELATIONSHIP,
	 "{`target_ref`:`ipv4-addr--" U "`}", NULL, NULL},
	{"STIX-10 relationship to a custom object", RELATIONSHIP,
	 "{`target_ref`:`x-acme-widget--" U "`}", NULL, NULL},
	{"STIX-10 relationship from a relationship", RELATIONSHIP,
	 "{`source_ref`:`relationship--" U "`}", "STIX-10", "$.source_ref"},
	{"STIX-10 relationship to a sighting", RELATIONSHIP,
	 "{`target_ref`:`sighting--" U "`}", "STIX-10", "$.target_ref"},
	{"STIX-10 relationship to a bundle", RELATIONSHIP,
	 "{`target_ref`:`bundle--" U "`}", "STIX-10", "$.target_ref"},
	{"STIX-10 relationship to a marking-definition", RELATIONSHIP,
	 "{`target_ref`:`marking-definition--" U "`}", "STIX-10",
	 "$.target_ref"},
	{"STIX-10 relationship to a language-content", RELATIONSHIP,
	 "{`target_ref`:`language-content--" U "`}", "STIX-10", "$.target_ref"},
	{"STIX-10 sighting of an SCO", SIGHTING,
	 "{`sighting_of_ref`:`ipv4-addr--" U "`}", "STIX-10",
	 "$.sighting_of_ref"},
	{"STIX-10 sighting of a relationship", SIGHTING,
	 "{`sighting_of_ref`:`relationship--" U "`}", "STIX-10",
	 "$.sighting_of_ref"},
	{"STIX-10 observed_data_refs to observed-data", SIGHTING,
	 "{`observed_data_refs`:[`observed-data--" U "`]}", NULL, NULL},
	{"STIX-10 observed_data_refs to an indicator", SIGHTING,
	 "{`observed_data_refs`:[`indicator--" U "`]}", "STIX-10",
	 "$.observed_data_refs[0]"},
	{"STIX-10 where_sighted_refs to identity and location", SIGHTING,
	 "{`where_sighted_refs`:[`identity--" U "`,`location--" U "`]}", NULL,
	 NULL},
	{"STIX-10 where_sighted_refs to a campaign", SIGHTING,
	 "{`where_sighted_refs`:[`campaign--" U "`]}", "STIX-10",
	 "$.where_sighted_refs[0]"},
	{"STIX-10 created_by_ref to a campaign", CAMPAIGN,
	 "{`created_by_ref`:`campaign--" U "`}", "STIX-10", "$.created_by_ref"},
	{"STIX-10 object_marking_refs to an identity", CAMPAIGN,
	 "{`object_marking_refs`:[`identity--" U "`]}", "STIX-10",
	 "$.object_marking_refs[0]"},
	{"STIX-10 process image_ref to a directory", PROCESS,
	 "{`image_ref`:`directory--" U "`}", "STIX-10", "$.image_ref"},
	{"STIX-10 domain-name resolves_to_refs to a url", DOMAIN,
	 "{`resolves_to_refs`:[`url--" U "`]}", "STIX-10",
	 "$.resolves_to_refs[0]"},
	{"STIX-10 email from_ref to a user-account", EMAIL_MESSAGE,
	 "{`from_ref`:`user-account--" U "`}", "STIX-10", "$.from_ref"},
	{"STIX-10 malware operating_system_refs to a software", MALWARE,
	 "{`operating_system_refs`:[`software--" U "`]}", NULL, NULL},
	{"STIX-10 observed-data object_refs without an SCO", OBSERVED_DATA,
	 "{`object_refs`:[`relationship--" U "`]}", "STIX-10", "$.object_refs"},
	{"STIX-10 observed-data object_refs to an SDO", OBSERVED_DATA,
	 "{`object_refs`:[`ipv4-addr--" U "`,`campaign--" U "`]}", "STIX-10",
	 "$.object_refs[1]"},
	{"STIX-10 language-content about a language-content", LANGUAGE_CONTENT,
	 "{`object_ref`:`language-content--" U "`}", "STIX-10", "$.object_ref"},
};

static void test_validate_stix10_reference_types(void **state)
{
	(void)state;
	FX_RUN(stix10);
}

static const struct vcase stix11[] = {
	{"STIX-11 deterministic v5 SCO id", IPV4, "{`id`:`ipv4-addr--" U5 "`}",
	 NULL, NULL},
	{"STIX-11 v4 SCO id (SHOULD v5, not MUST)", IPV4, NULL, NULL, NULL},
	{"STIX-11 process with a v4 id", PROCESS, NULL, NULL, NULL},
	{"STIX-11 process with a v5 id", PROCESS, "{`id`:`process--" U5 "`}",
	 "STIX-11", "$.id"},
	{"STIX-11 user-account without contributing properties, v5",
	 USER_ACCOUNT,
	 "{`user_id`:null,`display_name`:`J`,"
	 "`id`:`user-account--" U5 "`}",
	 "STIX-11", "$.id"},
	{"STIX-11 user-account without contributing properties, v4",
	 USER_ACCOUNT, "{`user_id`:null,`display_name`:`J`}", NULL, NULL},
};

static void test_validate_stix11_sco_ids(void **state)
{
	(void)state;
	FX_RUN(stix11);
}

static const struct vcase stix13[] = {
	{"STIX-13 statement marking", MARKING, NULL, NULL, NULL},
	{"STIX-13 custom marking by extension", MARKING,
	 "{`definition_type`:null,`definition`:null,"
	 "`extensions`:{`extension-definition--" U "`:{"
	 "`extension_type`:`property-extension`,`level`:`x`}}}",
	 NULL, NULL},
	{"STIX-13 marking-definition with modified", MARKING,
	 "{`modified`:`" T0 "`}", "STIX-13", "$.modified"},
	{"STIX-13 no definition and no extensions", MARKING,
	 "{`definition`:null}", "STIX-13", "$"},
	{"STIX-13 statement without statement", MARKING,
	 "{`definition`:{`text`:`x`}}", "STIX-13", "$.definition"},
	{"STIX-13 custom tlp definition", MARKING,
	 "{`definition_type`:`tlp`,`definition`:{`tlp`:`red`}}", "STIX-13",
	 "$.definition_type"},
	{"STIX-13 official TLP 1.0 id with other content", MARKING,
	 "{`id`:`" TLP1_RED "`,`created`:`2017-01-20T00:00:00.000Z`,"
	 "`definition_type`:`tlp`,`definition`:{`tlp`:`white`}}",
	 "STIX-13", "$"},
	{"STIX-13 official TLP 1.0 id as a statement", MARKING,
	 "{`id`:`" TLP1_RED "`}", "STIX-13", "$"},
	{"STIX-13 TLP 2.0 extension on another id", MARKING,
	 "{`definition_type`:null,`definition`:null,`extensions`:{`" TLP2_EXT
	 "`:{`extension_type`:`property-extension`,`tlp_2_0`:`red`}}}",
	 "STIX-13", "$.extensions"},
	{"STIX-13 official TLP 2.0 id with another level", MARKING,
	 "{`id`:`" TLP2_GREEN "`,`created`:`2022-10-01T00:00:00.000Z`,"
	 "`definition_type`:null,`definition`:null,`extensions`:{`" TLP2_EXT
	 "`:{`extension_type`:`property-extension`,`tlp_2_0`:`red`}}}",
	 "STIX-13", "$"},
};

static void test_validate_stix13_marking_definitions(void **state)
{
	(void)state;
	FX_RUN(stix13);
}

static const struct vcase stix14[] = {
	{"STIX-14 granular marking by marking_ref", CAMPAIGN,
	 "{`granular_markings`:[{`selectors`:[`name`],"
	 "`marking_ref`:`" TLP1_RED "`}]}",
	 NULL, NULL},
	{"STIX-14 granular marking by lang", CAMPAIGN,
	 "{`granular_markings`:[{`selectors`:[`name`],`lang`:`fr`}]}", NULL,
	 NULL},
	{"STIX-14 selector into a list", CAMPAIGN,
	 "{`external_references`:[{`source_name`:`a`,`url`:`https://a.b`}],"
	 "`granular_markings`:[{`selectors`:["
	 "`external_references.[0].source_name`],"
	 "`marking_ref`:`" TLP1_RED "`}]}",
	 NULL, NULL},
	{"STIX-14 object marking of itself", MARKING,
	 "{`object_marking_refs`:[`marking-definition--" U "`]}", "STIX-14",
	 "$.object_marking_refs[0]"},
	{"STIX-14 granular marking of itself", MARKING,
	 "{`granular_markings`:[{`selectors`:[`definition.statement`],"
	 "`marking_ref`:`marking-definition--" U "`}]}",
	 "STIX-14", "$.granular_markings[0].marking_ref"},
	{"STIX-14 both marking_ref and lang", CAMPAIGN,
	 "{`granular_markings`:[{`selectors`:[`name`],`lang`:`fr`,"
	 "`marking_ref`:`" TLP1_RED "`}]}",
	 "STIX-14", "$.granular_markings[0]"},
	{"STIX-14 neither marking_ref nor lang", CAMPAIGN,
	 "{`granular_markings`:[{`selectors`:[`name`]}]}", "STIX-14",
	 "$.granular_markings[0]"},
	{"STIX-14 selector of absent content", CAMPAIGN,
	 "{`granular_markings`:[{`selectors`:[`description`],"
	 "`marking_ref`:`" TLP1_RED "`}]}",
	 "STIX-14", "$.granular_markings[0].selectors[0]"},
	{"STIX-14 selector indexing a string", CAMPAIGN,
	 "{`granular_markings`:[{`selectors`:[`name.[0]`],"
	 "`marking_ref`:`" TLP1_RED "`}]}",
	 "STIX-14", "$.granular_markings[0].selectors[0]"},
	{"STIX-14 selector index out of range", CAMPAIGN,
	 "{`labels`:[`a`],`granular_markings`:[{`selectors`:[`labels.[1]`],"
	 "`marking_ref`:`" TLP1_RED "`}]}",
	 "STIX-14", "$.granular_markings[0].selectors[0]"},
	{"STIX-14 empty selectors", CAMPAIGN,
	 "{`granular_markings`:[{`selectors`:[],"
	 "`marking_ref`:`" TLP1_RED "`}]}",
	 "STIX-14", "$.granular_markings[0].selectors"},
};

static void test_validate_stix14_markings(void **state)
{
	(void)state;
	FX_RUN(stix14);
}

static const struct vcase stix16[] = {
	{"STIX-16 property extension", CAMPAIGN,
	 "{`extensions`:{`extension-definition--" U "`:{"
	 "`extension_type`:`property-extension`,`rank`:5}}}",
	 NULL, NULL},
	{"STIX-16 toplevel property extension", CAMPAIGN,
	 "{`rank`:5,`extensions`:{`extension-definition--" U "`:{"
	 "`extension_type`:`toplevel-property-extension`}}}",
	 NULL, NULL},
	{"STIX-16 new SDO type",
	 "{" SDO("acme-widget") ",`size`:3,"
				"`extensions`:{`extension-definition--" U
				"`:{`extension_type`:`new-sdo`}}}",
	 NULL, NULL, NULL},
	{"STIX-16 new SCO type",
	 "{" SCO("acme-gadget") ",`value`:`x`,"
				"`extensions`:{`extension-definition--" U
				"`:{`extension_type`:`new-sco`}}}",
	 NULL, NULL, NULL},
	{"STIX-16 deprecated custom -ext", FILE_SCO,
	 "{`extensions`:{`x-acme-ext`:{`x_field`:1}}}", NULL, NULL},
	{"STIX-16 key neither id nor -ext", CAMPAIGN,
	 "{`extensions`:{`acme`:{`a_b`:1}}}", "STIX-16", "$.extensions.acme"},
	{"STIX-16 key an invalid extension-definition id", CAMPAIGN,
	 "{`extensions`:{`extension-definition--1`:{"
	 "`extension_type`:`property-extension`}}}",
	 "STIX-16", "$.extensions['extension-definition--1']"},
	{"STIX-16 no extension_type", CAMPAIGN,
	 "{`extensions`:{`extension-definition--" U "`:{`rank`:5}}}", "STIX-16",
	 "$.extensions['extension-definition--" U "'].extension_type"},
	{"STIX-16 extension_type not in the enum", CAMPAIGN,
	 "{`extensions`:{`extension-definition--" U "`:{"
	 "`extension_type`:`new-thing`}}}",
	 "STIX-16", NULL},
	{"STIX-16 new-sdo on a STIX 2.1 type", CAMPAIGN,
	 "{`extensions`:{`extension-definition--" U "`:{"
	 "`extension_type`:`new-sdo`}}}",
	 "STIX-16", NULL},
	{"STIX-16 extension not an object", CAMPAIGN,
	 "{`extensions`:{`extension-definition--" U "`:5}}", "STIX-16", NULL},
	{"STIX-16 extensions not a dictionary", CAMPAIGN, "{`extensions`:[1]}",
	 "STIX-16", "$.extensions"},
	{"STIX-16 extension property with a bad name", CAMPAIGN,
	 "{`extensions`:{`extension-definition--" U "`:{"
	 "`extension_type`:`property-extension`,`Rank`:5}}}",
	 "STIX-02", NULL},
	{"STIX-16 extension-definition with a bad extension_types",
	 EXTENSION_DEFINITION, "{`extension_types`:[`new-thing`]}", "STIX-05",
	 "$.extension_types[0]"},
};

static void test_validate_stix16_extensions(void **state)
{
	(void)state;
	FX_RUN(stix16);
}

/* STIX-15: the members of a bundle other than its objects. */
static void test_validate_stix15_bundle(void **state)
{
	static const struct {
		const char *json;
		bool ok;
	} cases[] = {
		{"{`type`:`bundle`,`id`:`bundle--" U "`}", true},
		{"{`type`:`bundle`,`id`:`bundle--" U "`,`objects`:[{}]}", true},
		{"{`type`:`bundle`,`id`:`bundle--" U "`,`spec_version`:`2.0`}",
		 true},
		{"{`type`:`bundle`,`id`:`bundle--" U "`,`objects`:[]}", false},
		{"{`type`:`bundle`,`id`:`bundle--" U "`,`objects`:{}}", false},
		{"{`type`:`bundle`,`id`:`bundle--" U "`,`spec_version`:`2.1`}",
		 false},
		{"{`type`:`bundle`,`id`:`bundle--" U "`,`created`:`" T0 "`}",
		 false},
		{"{`type`:`Bundle`,`id`:`bundle--" U "`}", false},
		{"{`type`:`bundle`,`id`:`campaign--" U "`}", false},
		{"{`type`:`bundle`,`id`:`bundle--1`}", false},
		{"{`type`:`bundle`}", false},
	};
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;
	json_t *o;
	int rc;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = fx(cases[i].json);
		rc = cirt_stix_validate_bundle(o, 1, &f);
		if ((rc == 0) != cases[i].ok) {
			fx_print(&f);
			fail_msg("STIX-15 case %zu", i);
		}
		if (rc < 0)
			assert_true(fx_has(&f, "STIX-15", NULL));
		json_decref(o);
	}
	/* A bundle is not an object cirt_stix_validate() accepts. */
	o = fx("{`type`:`bundle`,`id`:`bundle--" U "`,`objects`:[]}");
	assert_int_equal(cirt_stix_validate(o, &m, &f), -CIRT_EINVAL);
	assert_true(fx_has(&f, "STIX-15", "$.type"));
	json_decref(o);
}

/* STIX-17: a "stix" pattern must parse; the message carries the
 * parser's. Other pattern types are not parsed. */
static void test_validate_stix17_pattern(void **state)
{
	static const struct vcase cases[] = {
		{"STIX-17 valid pattern", INDICATOR_STIX, NULL, NULL, NULL},
		{"STIX-17 invalid pattern", INDICATOR_STIX,
		 "{`pattern`:`[ipv4-addr:value = ]`}", "STIX-17", "$.pattern"},
		{"STIX-17 not a pattern at all", INDICATOR_STIX,
		 "{`pattern`:`evil.com`}", "STIX-17", "$.pattern"},
	};
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;
	json_t *o;

	(void)state;
	/* Not parsed when the pattern_type is not stix. */
	o = fx_patched(INDICATOR_STIX, "{`pattern_type`:`snort`,"
				       "`pattern`:`alert any`}");
	assert_int_equal(cirt_stix_validate(o, &m, &f), 0);
	json_decref(o);
	if (!pattern_parser_ready())
		return;
	FX_RUN(cases);
	o = fx_patched(INDICATOR_STIX, "{`pattern`:`[ipv4-addr:value = ]`}");
	assert_int_equal(cirt_stix_validate(o, &m, &f), -CIRT_EINVAL);
	assert_non_null(strstr(f.f[0].message, "not valid STIX patterning: "));
	assert_true(strlen(f.f[0].message) >
		    strlen("pattern is not valid STIX patterning: "));
	json_decref(o);
}

/* ---- STIX 2.0, meta, findings ---------------------------------------- */

#define INDICATOR20                                                       \
	"{`type`:`indicator`,`id`:`indicator--" U "`,`created`:`" T0 "`," \
	"`modified`:`" T0 "`,`labels`:[`malicious-activity`],"            \
	"`pattern`:`[ipv4-addr:value = '10.0.0.1']`,`valid_from`:`" T0 "`}"

static void test_validate_stix20_objects(void **state)
{
	static const struct vcase cases[] = {
		{"2.0 indicator (no pattern_type)", INDICATOR20, NULL, NULL,
		 NULL},
		{"2.0 marking-definition",
		 "{`type`:`marking-definition`,"
		 "`id`:`" TLP1_RED "`,"
		 "`created`:`2017-01-20T00:00:00.000Z`,"
		 "`definition_type`:`tlp`,"
		 "`definition`:{`tlp`:`red`}}",
		 NULL, NULL, NULL},
		{"2.0 custom object",
		 "{`type`:`x-acme`,`id`:`x-acme--" U "`,"
		 "`created`:`" T0 "`,`modified`:`" T0 "`,`x_size`:1}",
		 NULL, NULL, NULL},
		{"2.0 missing modified", INDICATOR20, "{`modified`:null}",
		 "STIX-04", "$"},
		{"2.0 created without milliseconds", INDICATOR20,
		 "{`created`:`2016-04-06T20:03:00Z`}", "STIX-03", "$.created"},
		{"2.0 bad id", INDICATOR20, "{`id`:`indicator--1`}", "STIX-01",
		 "$.id"},
		{"2.0 valid_from not a timestamp", INDICATOR20,
		 "{`valid_from`:`yesterday`}", "STIX-03", "$.valid_from"},
		{"2.0 official TLP id with other content",
		 "{`type`:`marking-definition`,`id`:`" TLP1_RED "`,"
		 "`created`:`2017-01-20T00:00:00.000Z`,"
		 "`definition_type`:`tlp`,`definition`:{`tlp`:`green`}}",
		 NULL, "STIX-13", "$"},
	};
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;
	json_t *o;

	(void)state;
	FX_RUN(cases);
	o = fx(INDICATOR20);
	assert_int_equal(cirt_stix_validate(o, &m, &f), 0);
	assert_string_equal(m.spec_version, "2.0");
	json_decref(o);
	/* A top-level SCO without spec_version is 2.1. */
	o = fx_patched(IPV4, "{`spec_version`:null}");
	assert_int_equal(cirt_stix_validate(o, &m, &f), 0);
	assert_string_equal(m.spec_version, "2.1");
	json_decref(o);
}

static void test_validate_meta(void **state)
{
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;
	json_t *o;

	(void)state;
	o = fx_patched(CAMPAIGN,
		       "{`modified`:`2017-01-01T00:00:00.123456Z`,"
		       "`created_by_ref`:`identity--" U "`,`revoked`:true,"
		       "`object_marking_refs`:[`" TLP2_GREEN "`],"
		       "`granular_markings`:[{`selectors`:[`name`],"
		       "`marking_ref`:`" TLP2_AMBER "`}]}");
	assert_int_equal(cirt_stix_validate(o, &m, &f), 0);
	assert_string_equal(m.type, "campaign");
	assert_string_equal(m.id, "campaign--" U);
	assert_string_equal(m.spec_version, "2.1");
	assert_string_equal(m.created, T0);
	assert_string_equal(m.modified, "2017-01-01T00:00:00.123456Z");
	assert_string_equal(m.version, "2017-01-01T00:00:00.123456Z");
	assert_string_equal(m.created_by_ref, "identity--" U);
	assert_int_equal(m.tlp, CIRT_TLP_AMBER);
	assert_true(m.revoked);
	json_decref(o);
	/* TLP 1.0 red in object markings beats TLP 2.0 amber. */
	o = fx_patched(CAMPAIGN, "{`object_marking_refs`:[`" TLP2_AMBER
				 "`,`" TLP1_RED "`]}");
	assert_int_equal(cirt_stix_validate(o, &m, &f), 0);
	assert_int_equal(m.tlp, CIRT_TLP_RED);
	assert_false(m.revoked);
	assert_string_equal(m.created_by_ref, "");
	json_decref(o);
	/* An SCO: no created, modified, version nor TLP. */
	o = fx(IPV4);
	assert_int_equal(cirt_stix_validate(o, &m, &f), 0);
	assert_string_equal(m.created, "");
	assert_string_equal(m.modified, "");
	assert_string_equal(m.version, "");
	assert_int_equal(m.tlp, CIRT_TLP_NONE);
	json_decref(o);
	/* A marking-definition: version is created. */
	o = fx(MARKING);
	assert_int_equal(cirt_stix_validate(o, &m, &f), 0);
	assert_string_equal(m.version, T0);
	json_decref(o);
}

/* Several findings per object, each with path, rule and message; the
 * list stops at CIRT_STIX_FINDINGS_MAX but total counts on. */
static void test_validate_findings(void **state)
{
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;
	char patch[4096];
	size_t n = 0;
	json_t *o;

	(void)state;
	o = fx_patched(CAMPAIGN, "{`confidence`:200,`labels`:[],"
				 "`external_references`:[{`url`:`x y`}]}");
	assert_int_equal(cirt_stix_validate(o, &m, &f), -CIRT_EINVAL);
	assert_true(f.n >= 3);
	assert_true(fx_has(&f, "STIX-07", "$.confidence"));
	assert_true(fx_has(&f, "STIX-08", "$.labels"));
	assert_true(
		fx_has(&f, "STIX-09", "$.external_references[0].source_name") ||
		fx_has(&f, "STIX-09", "$.external_references[0]"));
	for (size_t i = 0; i < f.n; i++) {
		assert_true(f.f[i].message[0] != '\0');
		assert_int_equal(strncmp(f.f[i].path, "$", 1), 0);
	}
	assert_non_null(strstr(f.f[0].message, "confidence"));
	json_decref(o);
	n += (size_t)snprintf(patch + n, sizeof(patch) - n, "{");
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(patch + n, sizeof(patch) - n,
				      "%s`x_bad_%d_ref`:`nope`", i ? "," : "",
				      i);
	snprintf(patch + n, sizeof(patch) - n, "}");
	o = fx_patched(CAMPAIGN, patch);
	assert_int_equal(cirt_stix_validate(o, &m, &f), -CIRT_EINVAL);
	assert_int_equal(f.n, CIRT_STIX_FINDINGS_MAX);
	assert_true(f.total >= CIRT_STIX_FINDINGS_MAX);
	json_decref(o);
}

/* Hostile input: deep custom values are not walked, long lists are
 * walked once; nothing blows the stack or takes quadratic time. */
static void test_validate_hostile_input(void **state)
{
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;
	json_t *o, *deep, *refs;
	int64_t t0;

	(void)state;
	o = fx(NOTE);
	deep = json_array();
	json_object_set_new(o, "x_deep", deep);
	for (int i = 0; i < 5000; i++) {
		json_t *inner = json_array();

		json_array_append_new(deep, inner);
		deep = inner;
	}
	json_array_append_new(deep, json_integer(1));
	refs = json_object_get(o, "object_refs");
	for (int i = 0; i < 100000; i++)
		json_array_append_new(refs, json_string("campaign--" U));
	t0 = cirt_time_mono_ns();
	assert_int_equal(cirt_stix_validate(o, &m, &f), 0);
	printf("# 100000 references validated in %lld us\n",
	       (long long)((cirt_time_mono_ns() - t0) / 1000));
	json_decref(o);
	/* Non-UTF-8-safe truncation of a long key in a finding. */
	o = fx_patched(CAMPAIGN,
		       "{`\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9`:1}");
	assert_int_equal(cirt_stix_validate(o, &m, &f), -CIRT_EINVAL);
	assert_true(
		cirt_utf8_valid(f.f[0].message, strlen(f.f[0].message), NULL));
	json_decref(o);
}

/* ---- shared data: STIX-13 TLP objects, STIX-19 examples ---------------- */

static void validate_all(json_t *doc, const char *name, size_t *nobj)
{
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;
	json_t *objects, *hdr, *o;
	size_t i;

	if (json_is_array(doc)) {
		json_array_foreach (doc, i, o)
			validate_all(o, name, nobj);
		return;
	}
	if (!json_is_string(json_object_get(doc, "type")) ||
	    strcmp(json_string_value(json_object_get(doc, "type")), "bundle") !=
		    0) {
		if (cirt_stix_validate(doc, &m, &f) != 0) {
			fx_print(&f);
			fail_msg("%s: object %s is refused", name,
				 json_string_value(json_object_get(doc, "id")));
		}
		(*nobj)++;
		return;
	}
	objects = json_object_get(doc, "objects");
	hdr = json_copy(doc);
	json_object_del(hdr, "objects");
	if (cirt_stix_validate_bundle(hdr, json_array_size(objects), &f) != 0) {
		fx_print(&f);
		fail_msg("%s: bundle refused", name);
	}
	json_decref(hdr);
	json_array_foreach (objects, i, o)
		validate_all(o, name, nobj);
}

static json_t *load_file(const char *path)
{
	json_error_t e;
	size_t len;
	char *text = test_read_file(path, &len);
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);

	free(text);
	if (doc == NULL)
		fail_msg("%s: %s", path, e.text);
	return doc;
}

/* STIX-13: the TLP 1.0 and 2.0 objects of data/stix/tlp validate, and
 * their meta carries their level. */
static void test_validate_stix13_tlp_files(void **state)
{
	static const char *const files[] = {
		"tlp1-marking-definitions-stix21.json",
		"tlp2-marking-definitions-bundle.json",
	};
	const char *data = test_shared_data("TLP marking objects");
	char path[512];
	size_t n = 0;
	json_t *doc;

	(void)state;
	if (data == NULL)
		return;
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/stix/tlp/%s", data, files[i]);
		doc = load_file(path);
		validate_all(doc, files[i], &n);
		json_decref(doc);
	}
	assert_int_equal(n, 4 + 6);
}

static bool pattern_in(json_t *doc)
{
	json_t *o;
	size_t i;

	json_array_foreach (json_object_get(doc, "objects"), i, o)
		if (json_object_get(o, "pattern"))
			return true;
	return json_object_get(doc, "pattern") != NULL;
}

/* STIX-19: every example in data/stix/examples validates, all objects.
 * data/stix/interop holds the interop profile's JSON schemas, not STIX
 * content: those files are listed and skipped. */
static void test_validate_stix19_examples(void **state)
{
	const char *data = test_shared_data("STIX examples");
	bool parser = pattern_parser_ready();
	static const char *const dirs[] = {"examples", "interop"};
	char dir[512], path[1024];
	struct dirent *de;
	size_t nfiles = 0, nobj = 0;
	json_t *doc;
	DIR *d;

	(void)state;
	if (data == NULL)
		return;
	for (size_t k = 0; k < 2; k++) {
		snprintf(dir, sizeof(dir), "%s/stix/%s", data, dirs[k]);
		d = opendir(dir);
		assert_non_null(d);
		while ((de = readdir(d)) != NULL) {
			size_t l = strlen(de->d_name);

			if (l < 5 || strcmp(de->d_name + l - 5, ".json") != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			doc = load_file(path);
			if (json_object_get(doc, "$schema")) {
				printf("# %s/%s is a JSON schema, not STIX "
				       "content\n",
				       dirs[k], de->d_name);
			} else if (!parser && pattern_in(doc)) {
				printf("# SKIP %s: needs the pattern parser\n",
				       de->d_name);
			} else {
				validate_all(doc, path, &nobj);
				nfiles++;
			}
			json_decref(doc);
		}
		closedir(d);
	}
	printf("# %zu example files, %zu objects valid\n", nfiles, nobj);
	assert_true(nfiles >= 2);
}

/* STIX-19: negative fixtures, one per rule family, are refused. */
static void test_validate_stix19_negative_fixtures(void **state)
{
	static const struct vcase cases[] = {
		{"STIX-19/01", CAMPAIGN, "{`id`:`campaign--x`}", "STIX-01",
		 NULL},
		{"STIX-19/02", CAMPAIGN, "{`BadName`:1}", "STIX-02", NULL},
		{"STIX-19/03", CAMPAIGN, "{`created`:`2016-04-06`}", "STIX-03",
		 NULL},
		{"STIX-19/04", CAMPAIGN, "{`created`:null}", "STIX-04", NULL},
		{"STIX-19/05", INDICATOR, "{`pattern`:null}", "STIX-05", NULL},
		{"STIX-19/06", INDICATOR,
		 "{`valid_until`:`2015-01-01T00:00:00Z`}", "STIX-06", NULL},
		{"STIX-19/07", SIGHTING, "{`count`:1000000000}", "STIX-07",
		 NULL},
		{"STIX-19/08", REPORT, "{`object_refs`:[]}", "STIX-08", NULL},
		{"STIX-19/09", CAMPAIGN,
		 "{`external_references`:[{`source_name`:`x`}]}", "STIX-09",
		 NULL},
		{"STIX-19/10", RELATIONSHIP, "{`source_ref`:`sighting--" U "`}",
		 "STIX-10", NULL},
		{"STIX-19/11", PROCESS, "{`id`:`process--" U5 "`}", "STIX-11",
		 NULL},
		{"STIX-19/13", MARKING, "{`definition_type`:`tlp`}", "STIX-13",
		 NULL},
		{"STIX-19/14", MARKING,
		 "{`object_marking_refs`:[`marking-definition--" U "`]}",
		 "STIX-14", NULL},
		{"STIX-19/15", "{`type`:`bundle`,`id`:`bundle--" U "`}", NULL,
		 "STIX-15", NULL},
		{"STIX-19/16", CAMPAIGN, "{`extensions`:{`nope`:{`a_b`:1}}}",
		 "STIX-16", NULL},
	};

	(void)state;
	FX_RUN(cases);
}

/* The cost of validating a typical 1 KB indicator (its pattern is not a
 * STIX pattern, so the parser's cost is not counted). */
static void test_validate_cost_of_an_indicator(void **state)
{
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;
	const int n = 20000;
	int64_t t0, ns;
	char *s;
	json_t *o;

	(void)state;
	o = fx_patched(INDICATOR,
		       "{`created_by_ref`:`identity--" U "`,"
		       "`description`:`C2 address seen in the March campaign "
		       "against the finance sector; block at the perimeter "
		       "and hunt for past connections in proxy logs.`,"
		       "`indicator_types`:[`malicious-activity`],"
		       "`valid_until`:`2017-04-06T20:03:00.000Z`,"
		       "`confidence`:80,`labels`:[`c2`,`finance`],"
		       "`kill_chain_phases`:[{`kill_chain_name`:`mitre-attack`,"
		       "`phase_name`:`command-and-control`}],"
		       "`external_references`:[{`source_name`:`acme-cert`,"
		       "`url`:`https://cert.example/advisories/2016-041`,"
		       "`external_id`:`ACME-2016-041`}],"
		       "`object_marking_refs`:[`" TLP2_AMBER "`],"
		       "`granular_markings`:[{`selectors`:[`description`],"
		       "`marking_ref`:`" TLP1_RED "`}]}");
	s = json_dumps(o, JSON_COMPACT);
	printf("# indicator of %zu bytes\n", strlen(s));
	free(s);
	t0 = cirt_time_mono_ns();
	for (int i = 0; i < n; i++)
		assert_int_equal(cirt_stix_validate(o, &m, &f), 0);
	ns = (cirt_time_mono_ns() - t0) / n;
	printf("# cost of one indicator: %lld ns\n", (long long)ns);
	if (pattern_parser_ready()) {
		json_object_set_new(o, "pattern_type", json_string("stix"));
		json_object_set_new(o, "pattern",
				    json_string("[ipv4-addr:value = "
						"'198.51.100.3']"));
		t0 = cirt_time_mono_ns();
		for (int i = 0; i < n; i++)
			assert_int_equal(cirt_stix_validate(o, &m, &f), 0);
		ns = (cirt_time_mono_ns() - t0) / n;
		printf("# with a STIX pattern to parse: %lld ns\n",
		       (long long)ns);
	}
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_stix01_identifiers),
		cmocka_unit_test(test_validate_stix02_names),
		cmocka_unit_test(test_validate_stix03_timestamps),
		cmocka_unit_test(test_validate_stix04_common),
		cmocka_unit_test(test_validate_stix05_specific),
		cmocka_unit_test(test_validate_stix06_order),
		cmocka_unit_test(test_validate_stix07_ranges),
		cmocka_unit_test(test_validate_stix08_lists_dicts),
		cmocka_unit_test(test_validate_stix09_external_references),
		cmocka_unit_test(test_validate_stix10_reference_types),
		cmocka_unit_test(test_validate_stix11_sco_ids),
		cmocka_unit_test(test_validate_stix13_marking_definitions),
		cmocka_unit_test(test_validate_stix13_tlp_files),
		cmocka_unit_test(test_validate_stix14_markings),
		cmocka_unit_test(test_validate_stix15_bundle),
		cmocka_unit_test(test_validate_stix16_extensions),
		cmocka_unit_test(test_validate_stix17_pattern),
		cmocka_unit_test(test_validate_stix19_examples),
		cmocka_unit_test(test_validate_stix19_negative_fixtures),
		cmocka_unit_test(test_validate_stix20_objects),
		cmocka_unit_test(test_validate_meta),
		cmocka_unit_test(test_validate_findings),
		cmocka_unit_test(test_validate_hostile_input),
		cmocka_unit_test(test_validate_cost_of_an_indicator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
