/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The per-type rules of stix_types.c (STIX-05): a valid object of each
 * of the 19 SDOs, 2 SROs, 18 SCOs and 3 SMOs is accepted, and removing
 * any one of its required properties (standards.md 1.3, the JSON schemas)
 * is refused with a STIX-05 finding (STIX-04 for the common ones). Also
 * the predefined SCO extensions and the open vocabularies (SHOULD only).
 */
#include "testlib.h"

#include <string.h>

#include "stix/stix.h"

#include "fixtures.h"

/* Each type, a valid instance and its required specific properties. */
static const struct {
	const char *type;
	const char *json;
	const char *required[5];
} types[] = {
	{"attack-pattern", ATTACK_PATTERN, {"name"}},
	{"campaign", CAMPAIGN, {"name"}},
	{"course-of-action", COURSE, {"name"}},
	{"grouping", GROUPING, {"context", "object_refs"}},
	{"identity", IDENTITY, {"name"}},
	{"incident", INCIDENT, {"name"}},
	{"indicator", INDICATOR, {"pattern", "pattern_type", "valid_from"}},
	{"infrastructure", INFRASTRUCTURE, {"name"}},
	{"intrusion-set", INTRUSION_SET, {"name"}},
	{"location", LOCATION, {"region"}},
	{"malware", MALWARE, {"is_family", "name"}},
	{"malware-analysis", MALWARE_ANALYSIS, {"product", "result"}},
	{"note", NOTE, {"content", "object_refs"}},
	{"observed-data",
	 OBSERVED_DATA,
	 {"first_observed", "last_observed", "number_observed", "object_refs"}},
	{"opinion", OPINION, {"opinion", "object_refs"}},
	{"report", REPORT, {"name", "published", "object_refs"}},
	{"threat-actor", THREAT_ACTOR, {"name"}},
	{"tool", TOOL, {"name"}},
	{"vulnerability", VULNERABILITY, {"name"}},
	{"relationship",
	 RELATIONSHIP,
	 {"relationship_type", "source_ref", "target_ref"}},
	{"sighting", SIGHTING, {"sighting_of_ref"}},
	{"artifact", ARTIFACT, {"payload_bin"}},
	{"autonomous-system", AS, {"number"}},
	{"directory", DIRECTORY, {"path"}},
	{"domain-name", DOMAIN, {"value"}},
	{"email-addr", EMAIL_ADDR, {"value"}},
	{"email-message", EMAIL_MESSAGE, {"is_multipart"}},
	{"file", FILE_SCO, {NULL}},
	{"ipv4-addr", IPV4, {"value"}},
	{"ipv6-addr", IPV6, {"value"}},
	{"mac-addr", MAC, {"value"}},
	{"mutex", MUTEX, {"name"}},
	{"network-traffic", NETWORK_TRAFFIC, {"protocols", "src_ref"}},
	{"process", PROCESS, {"pid"}},
	{"software", SOFTWARE, {"name"}},
	{"url", URL, {"value"}},
	{"user-account", USER_ACCOUNT, {"user_id"}},
	{"windows-registry-key", REGISTRY, {"key"}},
	{"x509-certificate", X509, {"serial_number"}},
	{"language-content", LANGUAGE_CONTENT, {"object_ref", "contents"}},
	{"marking-definition", MARKING, {"definition"}},
	{"extension-definition",
	 EXTENSION_DEFINITION,
	 {"name", "schema", "version", "extension_types"}},
};

static void test_types_every_type_valid(void **state)
{
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;
	json_t *o;

	(void)state;
	assert_int_equal(sizeof(types) / sizeof(types[0]), 19 + 2 + 18 + 3);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		o = fx(types[i].json);
		if (cirt_stix_validate(o, &m, &f) != 0) {
			fx_print(&f);
			fail_msg("STIX-05 %s: valid instance refused",
				 types[i].type);
		}
		assert_string_equal(m.type, types[i].type);
		json_decref(o);
	}
}

/* STIX-05: without any one of its required properties, refused. */
static void test_types_required_missing(void **state)
{
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;
	const char *p;
	json_t *o;

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		for (size_t k = 0; (p = types[i].required[k]) != NULL; k++) {
			o = fx(types[i].json);
			json_object_del(o, p);
			if (cirt_stix_validate(o, &m, &f) != -CIRT_EINVAL ||
			    !(fx_has(&f, "STIX-05", NULL) ||
			      fx_has(&f, "STIX-13", NULL))) {
				fx_print(&f);
				fail_msg("STIX-05 %s without %s accepted",
					 types[i].type, p);
			}
			json_decref(o);
		}
	}
}

/* STIX-04: every common required property, on each type that needs it. */
static void test_types_common_required_missing(void **state)
{
	static const char *const common[] = {"type", "id", "spec_version",
					     "created", "modified"};
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;
	json_t *o;

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		for (size_t k = 0; k < 5; k++) {
			o = fx(types[i].json);
			if (json_object_get(o, common[k]) == NULL ||
			    (k == 2 && json_object_get(o, "created") == NULL)) {
				json_decref(o);
				continue;
			}
			json_object_del(o, common[k]);
			/* Without spec_version an SDO is read as STIX 2.0,
			 * where it is legal: not a finding. */
			if (k == 2) {
				json_decref(o);
				continue;
			}
			if (cirt_stix_validate(o, &m, &f) != -CIRT_EINVAL) {
				fx_print(&f);
				fail_msg("STIX-04 %s without %s accepted",
					 types[i].type, common[k]);
			}
			json_decref(o);
		}
	}
}

static const struct vcase conditional[] = {
	{"STIX-05 file extension archive-ext", FILE_SCO,
	 "{`extensions`:{`archive-ext`:{`contains_refs`:[`file--" U "`]}}}",
	 NULL, NULL},
	{"STIX-05 archive-ext refers to a url", FILE_SCO,
	 "{`extensions`:{`archive-ext`:{`contains_refs`:[`url--" U "`]}}}",
	 "STIX-10", "$.extensions['archive-ext'].contains_refs[0]"},
	{"STIX-05 pebinary with sections", FILE_SCO,
	 "{`extensions`:{`windows-pebinary-ext`:{`pe_type`:`exe`,"
	 "`machine_hex`:`014c`,`sections`:[{`name`:`.data`,`size`:4096,"
	 "`entropy`:7.98}]}}}",
	 NULL, NULL},
	{"STIX-05 pebinary section without name", FILE_SCO,
	 "{`extensions`:{`windows-pebinary-ext`:{`pe_type`:`exe`,"
	 "`sections`:[{`size`:4096}]}}}",
	 "STIX-05", "$.extensions['windows-pebinary-ext'].sections[0]"},
	{"STIX-05 pebinary machine_hex odd", FILE_SCO,
	 "{`extensions`:{`windows-pebinary-ext`:{`pe_type`:`exe`,"
	 "`machine_hex`:`14c`}}}",
	 "STIX-05", "$.extensions['windows-pebinary-ext'].machine_hex"},
	{"STIX-05 ntfs-ext empty of its properties", FILE_SCO,
	 "{`extensions`:{`ntfs-ext`:{`x_other`:1}}}", "STIX-05",
	 "$.extensions['ntfs-ext']"},
	{"STIX-05 http-request-ext", NETWORK_TRAFFIC,
	 "{`extensions`:{`http-request-ext`:{`request_method`:`get`,"
	 "`request_value`:`/`,`request_header`:{`Host`:[`a.b`]}}}}",
	 NULL, NULL},
	{"STIX-05 http-request-ext without request_value", NETWORK_TRAFFIC,
	 "{`extensions`:{`http-request-ext`:{`request_method`:`get`}}}",
	 "STIX-05", "$.extensions['http-request-ext']"},
	{"STIX-05 icmp-ext without code", NETWORK_TRAFFIC,
	 "{`extensions`:{`icmp-ext`:{`icmp_type_hex`:`08`}}}", "STIX-05",
	 "$.extensions['icmp-ext']"},
	{"STIX-05 tcp-ext", NETWORK_TRAFFIC,
	 "{`extensions`:{`tcp-ext`:{`src_flags_hex`:`00000002`}}}", NULL, NULL},
	{"STIX-05 windows-service-ext start_type", PROCESS,
	 "{`extensions`:{`windows-service-ext`:{`start_type`:`AUTO`}}}",
	 "STIX-05", "$.extensions['windows-service-ext'].start_type"},
	{"STIX-05 windows-process-ext integrity", PROCESS,
	 "{`extensions`:{`windows-process-ext`:{`integrity_level`:`high`}}}",
	 NULL, NULL},
	{"STIX-05 unix-account-ext", USER_ACCOUNT,
	 "{`extensions`:{`unix-account-ext`:{`gid`:1001,"
	 "`groups`:[`wheel`]}}}",
	 NULL, NULL},
	{"STIX-05 process with nothing of its own", PROCESS, "{`pid`:null}",
	 "STIX-05", "$"},
	{"STIX-05 process with extensions only", PROCESS,
	 "{`pid`:null,`extensions`:{`windows-process-ext`:{`priority`:`x`}}}",
	 NULL, NULL},
	{"STIX-05 registry values", REGISTRY,
	 "{`values`:[{`name`:`Foo`,`data`:`x`,`data_type`:`REG_SZ`}]}", NULL,
	 NULL},
	{"STIX-05 registry value data_type not in the enum", REGISTRY,
	 "{`values`:[{`name`:`Foo`,`data_type`:`REG_FOO`}]}", "STIX-05",
	 "$.values[0].data_type"},
	{"STIX-05 x509 v3 extensions", X509,
	 "{`x509_v3_extensions`:{`basic_constraints`:`CA:TRUE`}}", NULL, NULL},
	{"STIX-05 x509 v3 extensions empty of its properties", X509,
	 "{`x509_v3_extensions`:{`x_other`:`1`}}", "STIX-05",
	 "$.x509_v3_extensions"},
	{"STIX-05 email-message multipart", EMAIL_MESSAGE,
	 "{`is_multipart`:true,`body`:null,`body_multipart`:[{`body`:`a`},"
	 "{`body_raw_ref`:`artifact--" U "`}]}",
	 NULL, NULL},
	{"STIX-05 software languages", SOFTWARE, "{`languages`:[`eng`,`fr`]}",
	 NULL, NULL},
	{"STIX-05 software languages not tags", SOFTWARE,
	 "{`languages`:[`English language`]}", "STIX-05", "$.languages[0]"},
	{"SHOULD only: indicator_types outside the vocabulary", INDICATOR,
	 "{`indicator_types`:[`Something-Else`]}", NULL, NULL},
	{"SHOULD only: pattern_type outside the vocabulary", INDICATOR,
	 "{`pattern_type`:`kql`}", NULL, NULL},
	{"STIX-05 open vocabulary value must be a string", INDICATOR,
	 "{`indicator_types`:[5]}", "STIX-05", "$.indicator_types[0]"},
	{"STIX-05 kill chain phase without phase_name", TOOL,
	 "{`kill_chain_phases`:[{`kill_chain_name`:`lockheed`}]}", "STIX-05",
	 "$.kill_chain_phases[0]"},
};

static void test_types_conditional(void **state)
{
	(void)state;
	FX_RUN(conditional);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types_every_type_valid),
		cmocka_unit_test(test_types_required_missing),
		cmocka_unit_test(test_types_common_required_missing),
		cmocka_unit_test(test_types_conditional),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
