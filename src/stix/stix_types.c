/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The per-type rules of STIX 2.1: for each of the 19 SDOs, 2 SROs, 18
 * SCOs (with their predefined extensions), language-content,
 * marking-definition and extension-definition, a table of its specific
 * properties (value type, required or not, vocabulary, allowed reference
 * targets) and a function for the rules a table cannot say (conditional
 * presence, timestamp order, TLP markings). The common properties,
 * markings, extensions and custom content are stix_validate.c's.
 *
 * Layer: stix. Constant tables and pure functions, thread-safe. Lookups
 * are linear over short tables with a first-character test, which costs
 * less than a hash for 40 types and 20 properties.
 *
 * Sources: STIX 2.1 Errata01 sections 4 to 7 (property tables), the JSON
 * schemas in ../shared/data/stix/schemas, stix2-validator's musts.py and
 * enums.py (reference targets), standards.md 1.3, 1.8 and 1.13. Rule ids
 * are those of standards.md 1.14.
 */
#include "stix/stix_int.h"

#include <float.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>

#include "stix/stix_pattern.h"
#include "stix/stix_tlp.h"
#include "core/banned.h"

#define INT53	   ((INT64_C(1) << 53) - 1)

#define TYPES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Property shorthands: name, then what the value must be. */
#define STR(n)                     \
	{                          \
		n, VT_STR, 0, NULL \
	}
#define STR_R(n)                       \
	{                              \
		n, VT_STR, P_REQ, NULL \
	}
#define STRS(n)                         \
	{                               \
		n, VT_STR, P_LIST, NULL \
	}
#define BOOL(n)                     \
	{                           \
		n, VT_BOOL, 0, NULL \
	}
#define BOOL_R(n)                       \
	{                               \
		n, VT_BOOL, P_REQ, NULL \
	}
#define INT(n, r)               \
	{                       \
		n, VT_INT, 0, r \
	}
#define NUM(n, r)               \
	{                       \
		n, VT_NUM, 0, r \
	}
#define TIME(n)                     \
	{                           \
		n, VT_TIME, 0, NULL \
	}
#define TIME_R(n)                       \
	{                               \
		n, VT_TIME, P_REQ, NULL \
	}
#define REF(n, r)               \
	{                       \
		n, VT_REF, 0, r \
	}
#define REF_R(n, r)                 \
	{                           \
		n, VT_REF, P_REQ, r \
	}
#define REFS(n, r)                   \
	{                            \
		n, VT_REF, P_LIST, r \
	}
#define REFS_R(n, r)                         \
	{                                    \
		n, VT_REF, P_LIST | P_REQ, r \
	}
#define OV(n, voc)                \
	{                         \
		n, VT_OV, 0, &voc \
	}
#define OV_R(n, voc)                  \
	{                             \
		n, VT_OV, P_REQ, &voc \
	}
#define OVS(n, voc)                    \
	{                              \
		n, VT_OV, P_LIST, &voc \
	}
#define ENUM(n, voc)                \
	{                           \
		n, VT_ENUM, 0, &voc \
	}
#define HASHES(n)                     \
	{                             \
		n, VT_HASHES, 0, NULL \
	}
#define HEX(n)                     \
	{                          \
		n, VT_HEX, 0, NULL \
	}
#define DICT(n, vp)               \
	{                         \
		n, VT_DICT, 0, vp \
	}
#define OBJ(n, s)                \
	{                        \
		n, VT_OBJ, 0, &s \
	}
#define OBJS(n, s)                    \
	{                             \
		n, VT_OBJ, P_LIST, &s \
	}
#define KCPS OBJS("kill_chain_phases", cirt_stix_kill_chain_phase)

#define SCHEMA_DEF(storage, var, label, fn, fl, ...)                      \
	static const struct cirt_stix_prop var##_props[] = {__VA_ARGS__}; \
	storage const struct cirt_stix_schema var = {                     \
		label, var##_props, CIRT_ARRAY_LEN(var##_props), fn, fl}
#define SCHEMA(...) SCHEMA_DEF(static, __VA_ARGS__)

/* ---- value ranges ------------------------------------------------- */

static const struct cirt_stix_irange r_nonneg = {0, INT53};
static const struct cirt_stix_irange r_port = {0, 65535};
static const struct cirt_stix_irange r_count = {0, 999999999};
static const struct cirt_stix_irange r_observed = {1, 999999999};
static const struct cirt_stix_drange r_lat = {-90.0, 90.0};
static const struct cirt_stix_drange r_lon = {-180.0, 180.0};

/* ---- reference targets (STIX-10; stix2-validator enums.py) -------- */

static const struct cirt_stix_refs t_any_object = {
	CAT_SDO | CAT_SRO | CAT_SCO | CAT_MD | CAT_ED | CAT_CUSTOM, NULL};
static const struct cirt_stix_refs t_sdo = {CAT_SDO | CAT_CUSTOM, NULL};
static const struct cirt_stix_refs t_sdo_sco = {CAT_SDO | CAT_SCO | CAT_CUSTOM,
						NULL};
static const struct cirt_stix_refs t_sco = {CAT_SCO | CAT_CUSTOM, NULL};
static const struct cirt_stix_refs t_sco_sro = {CAT_SCO | CAT_SRO | CAT_CUSTOM,
						NULL};
static const struct cirt_stix_refs t_identity_location = {
	0, TYPES("identity", "location")};
static const struct cirt_stix_refs t_observed_data = {0,
						      TYPES("observed-data")};
static const struct cirt_stix_refs t_software = {0, TYPES("software")};
static const struct cirt_stix_refs t_file = {0, TYPES("file")};
static const struct cirt_stix_refs t_artifact = {0, TYPES("artifact")};
static const struct cirt_stix_refs t_file_artifact = {
	0, TYPES("file", "artifact")};
static const struct cirt_stix_refs t_sample = {
	0, TYPES("file", "network-traffic", "artifact")};
static const struct cirt_stix_refs t_file_directory = {
	0, TYPES("file", "directory")};
static const struct cirt_stix_refs t_directory = {0, TYPES("directory")};
static const struct cirt_stix_refs t_resolves = {
	0, TYPES("ipv4-addr", "ipv6-addr", "domain-name")};
static const struct cirt_stix_refs t_mac = {0, TYPES("mac-addr")};
static const struct cirt_stix_refs t_as = {0, TYPES("autonomous-system")};
static const struct cirt_stix_refs t_email_addr = {0, TYPES("email-addr")};
static const struct cirt_stix_refs t_user = {0, TYPES("user-account")};
static const struct cirt_stix_refs t_endpoint = {
	0, TYPES("ipv4-addr", "ipv6-addr", "mac-addr", "domain-name")};
static const struct cirt_stix_refs t_traffic = {0, TYPES("network-traffic")};
static const struct cirt_stix_refs t_process = {0, TYPES("process")};

static const struct cirt_stix_prop v_str = {"", VT_STR, 0, NULL};
static const struct cirt_stix_prop v_strs = {"", VT_STR, P_LIST, NULL};
static const struct cirt_stix_prop v_int = {"", VT_INT, 0, NULL};

/* ---- helpers for the check functions ------------------------------ */

static bool has(json_t *obj, const char *name)
{
	return json_object_get(obj, name) != NULL;
}

static const char *str(json_t *obj, const char *name)
{
	return json_string_value(json_object_get(obj, name));
}

/* A finding about property name of the object at the current path. */
static void find_at(struct cirt_stix_v *v, const char *name, const char *rule,
		    const char *msg)
{
	size_t l = name ? cirt_stix_path_key(v, name) : v->plen;

	cirt_stix_vfind(v, rule, "%s", msg);
	cirt_stix_path_pop(v, l);
}

static void check_seen(struct cirt_stix_v *v, json_t *obj)
{
	cirt_stix_check_order(v, obj, "first_seen", "last_seen", false);
}

/* ---- embedded types used by the engine ----------------------------- */

static bool cve_id(const char *s)
{
	size_t n = strlen(s), i;

	/* CVE-YYYY-NNNN..., four digits at least, no leading zero beyond
	 * four (json schema external-reference.json). */
	if (n < 13 || memcmp(s, "CVE-", 4) != 0 || s[8] != '-')
		return false;
	for (i = 4; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	for (i = 9; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n == 13 || s[9] != '0';
}

static bool capec_id(const char *s)
{
	size_t n = strlen(s);

	if (n < 7 || memcmp(s, "CAPEC-", 6) != 0)
		return false;
	for (size_t i = 6; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* STIX-09: STIX 2.1 section 2.5 and external-reference.json. */
static void extref_check(struct cirt_stix_v *v, json_t *obj)
{
	const char *src = str(obj, "source_name");
	const char *xid = str(obj, "external_id");

	if (!has(obj, "description") && !has(obj, "url") &&
	    !has(obj, "external_id"))
		find_at(v, NULL, "STIX-09",
			"an external reference needs at least one of "
			"description, url and external_id besides "
			"source_name");
	if (src && strcmp(src, "capec") == 0 && !(xid && capec_id(xid)))
		find_at(v, "external_id", "STIX-09",
			"external_id of a 'capec' reference must be "
			"CAPEC-<number>");
	if (src && strcmp(src, "cve") == 0 && !(xid && cve_id(xid)))
		find_at(v, "external_id", "STIX-09",
			"external_id of a 'cve' reference must be the CVE id "
			"(CVE-YYYY-NNNN)");
}

SCHEMA_DEF(, cirt_stix_external_reference, "external-reference", extref_check,
	   0, STR_R("source_name"), STR("description"),
	   {"url", VT_URL, 0, NULL}, HASHES("hashes"), STR("external_id"));

SCHEMA_DEF(, cirt_stix_kill_chain_phase, "kill-chain-phase", NULL, 0,
	   STR_R("kill_chain_name"), STR_R("phase_name"));

/* ---- SDOs (STIX 2.1 section 4) -------------------------------------- */

/* STIX-06, STIX-17: valid_until after valid_from; a "stix" pattern must
 * parse (the parser's message names the position and the reason). */
static void indicator_check(struct cirt_stix_v *v, json_t *obj)
{
	const char *type = str(obj, "pattern_type");
	json_t *pat = json_object_get(obj, "pattern");
	struct cirt_pattern *p = NULL;
	struct cirt_diag d;
	size_t l;

	cirt_stix_check_order(v, obj, "valid_from", "valid_until", true);
	if (type == NULL || strcmp(type, "stix") != 0 || !json_is_string(pat))
		return;
	cirt_diag_init(&d);
	if (cirt_pattern_parse(json_string_value(pat), json_string_length(pat),
			       &p, &d) == 0) {
		cirt_pattern_free(p);
		return;
	}
	l = cirt_stix_path_key(v, "pattern");
	cirt_stix_vfind(v, "STIX-17",
			"pattern is not valid STIX patterning: %s", d.message);
	cirt_stix_path_pop(v, l);
}

/* STIX-05, STIX-07: section 4.9 and location.json. */
static void location_check(struct cirt_stix_v *v, json_t *obj)
{
	bool lat = has(obj, "latitude"), lon = has(obj, "longitude");

	if (!has(obj, "region") && !has(obj, "country") && !(lat && lon))
		find_at(v, NULL, "STIX-05",
			"a location needs region, country, or latitude and "
			"longitude");
	if (lat != lon)
		find_at(v, lat ? "latitude" : "longitude", "STIX-07",
			"latitude and longitude must be given together");
	if (has(obj, "precision") && !(lat && lon))
		find_at(v, "precision", "STIX-07",
			"precision requires latitude and longitude");
}

static void malware_check(struct cirt_stix_v *v, json_t *obj)
{
	if (json_is_true(json_object_get(obj, "is_family")) &&
	    !has(obj, "name"))
		find_at(v, NULL, "STIX-05",
			"name is required when is_family is true");
	check_seen(v, obj);
}

static void malware_analysis_check(struct cirt_stix_v *v, json_t *obj)
{
	if (!has(obj, "result") && !has(obj, "analysis_sco_refs"))
		find_at(v, NULL, "STIX-05",
			"a malware-analysis needs result or analysis_sco_refs");
}

/* The category of the type part of a valid identifier. */
static unsigned ref_cat(const char *id)
{
	size_t n = strlen(id);

	return n > 38 ? cirt_stix_type_cat(id, n - 38) : CAT_CUSTOM;
}

/* Section 4.13: exactly one of objects (deprecated) and object_refs;
 * object_refs holds at least one SCO. */
static void observed_data_check(struct cirt_stix_v *v, json_t *obj)
{
	json_t *refs = json_object_get(obj, "object_refs");
	json_t *objects = json_object_get(obj, "objects");
	const char *key;
	json_t *o;
	bool sco = false;
	size_t i, l;

	cirt_stix_check_order(v, obj, "first_observed", "last_observed", false);
	if ((refs != NULL) == (objects != NULL))
		find_at(v, NULL, "STIX-05",
			"an observed-data needs exactly one of object_refs and "
			"objects");
	json_array_foreach (refs, i, o)
		if (json_is_string(o) &&
		    ref_cat(json_string_value(o)) & (CAT_SCO | CAT_CUSTOM))
			sco = true;
	if (json_is_array(refs) && json_array_size(refs) > 0 && !sco)
		find_at(v, "object_refs", "STIX-10",
			"object_refs must refer to at least one "
			"cyber-observable object");
	if (objects == NULL)
		return;
	if (!json_is_object(objects) || json_object_size(objects) == 0) {
		find_at(v, "objects", "STIX-08",
			"objects must be a non-empty dictionary");
		return;
	}
	l = cirt_stix_path_key(v, "objects");
	json_object_foreach (objects, key, o) {
		if (!json_is_string(json_object_get(o, "type")))
			find_at(v, key, "STIX-05",
				"each member of objects must be an object with "
				"a type");
		if (cirt_stix_full(v))
			break;
	}
	cirt_stix_path_pop(v, l);
}

static void relationship_check(struct cirt_stix_v *v, json_t *obj)
{
	const char *rt = str(obj, "relationship_type");

	cirt_stix_check_order(v, obj, "start_time", "stop_time", true);
	if (rt == NULL)
		return;
	for (const char *c = rt; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '-')) {
			find_at(v, "relationship_type", "STIX-05",
				"relationship_type may contain only a-z, 0-9 "
				"and '-'");
			return;
		}
	if (*rt == '\0')
		find_at(v, "relationship_type", "STIX-05",
			"relationship_type must not be empty");
}

SCHEMA(attack_pattern, "attack-pattern", NULL, 0, STR_R("name"),
       STR("description"), STRS("aliases"), KCPS);
SCHEMA(campaign, "campaign", check_seen, 0, STR_R("name"), STR("description"),
       STRS("aliases"), TIME("first_seen"), TIME("last_seen"),
       STR("objective"));
SCHEMA(course_of_action, "course-of-action", NULL, 0, STR_R("name"),
       STR("description"));
SCHEMA(grouping, "grouping", NULL, 0, STR("name"), STR("description"),
       OV_R("context", cirt_stix_grouping_context_ov),
       REFS_R("object_refs", NULL));
SCHEMA(identity, "identity", NULL, 0, STR_R("name"), STR("description"),
       STRS("roles"), OV("identity_class", cirt_stix_identity_class_ov),
       OVS("sectors", cirt_stix_industry_sector_ov),
       STR("contact_information"));
SCHEMA(incident, "incident", NULL, 0, STR_R("name"), STR("description"), KCPS);
SCHEMA(indicator, "indicator", indicator_check, 0, STR("name"),
       STR("description"), OVS("indicator_types", cirt_stix_indicator_type_ov),
       STR_R("pattern"), OV_R("pattern_type", cirt_stix_pattern_type_ov),
       STR("pattern_version"), TIME_R("valid_from"), TIME("valid_until"), KCPS);
SCHEMA(infrastructure, "infrastructure", check_seen, 0, STR_R("name"),
       STR("description"),
       OVS("infrastructure_types", cirt_stix_infrastructure_type_ov),
       STRS("aliases"), KCPS, TIME("first_seen"), TIME("last_seen"));
SCHEMA(intrusion_set, "intrusion-set", check_seen, 0, STR_R("name"),
       STR("description"), STRS("aliases"), TIME("first_seen"),
       TIME("last_seen"), STRS("goals"),
       OV("resource_level", cirt_stix_attack_resource_level_ov),
       OV("primary_motivation", cirt_stix_attack_motivation_ov),
       OVS("secondary_motivations", cirt_stix_attack_motivation_ov));
SCHEMA(location, "location", location_check, 0, STR("name"), STR("description"),
       NUM("latitude", &r_lat), NUM("longitude", &r_lon),
       NUM("precision", NULL), OV("region", cirt_stix_region_ov),
       STR("country"), STR("administrative_area"), STR("city"),
       STR("street_address"), STR("postal_code"));
SCHEMA(malware, "malware", malware_check, 0, STR("name"), STR("description"),
       OVS("malware_types", cirt_stix_malware_type_ov), BOOL_R("is_family"),
       STRS("aliases"), KCPS, TIME("first_seen"), TIME("last_seen"),
       REFS("operating_system_refs", &t_software),
       OVS("architecture_execution_envs", cirt_stix_processor_architecture_ov),
       OVS("implementation_languages", cirt_stix_implementation_language_ov),
       OVS("capabilities", cirt_stix_malware_capabilities_ov),
       REFS("sample_refs", &t_file_artifact));
SCHEMA(malware_analysis, "malware-analysis", malware_analysis_check, 0,
       STR_R("product"), STR("version"), REF("host_vm_ref", &t_software),
       REF("operating_system_ref", &t_software),
       REFS("installed_software_refs", &t_software),
       STR("configuration_version"), STRS("modules"),
       STR("analysis_engine_version"), STR("analysis_definition_version"),
       TIME("submitted"), TIME("analysis_started"), TIME("analysis_ended"),
       STR("result_name"), OV("result", cirt_stix_malware_result_ov),
       REFS("analysis_sco_refs", &t_sco), REF("sample_ref", &t_sample));
SCHEMA(note, "note", NULL, 0, STR("abstract"), STR_R("content"),
       STRS("authors"), REFS_R("object_refs", NULL));
SCHEMA(observed_data, "observed-data", observed_data_check, 0,
       TIME_R("first_observed"), TIME_R("last_observed"),
       {"number_observed", VT_INT, P_REQ, &r_observed},
       {"objects", VT_ANY, 0, NULL}, REFS("object_refs", &t_sco_sro));
SCHEMA(opinion, "opinion", NULL, 0, STR("explanation"), STRS("authors"),
       {"opinion", VT_ENUM, P_REQ, &cirt_stix_opinion_enum},
       REFS_R("object_refs", NULL));
SCHEMA(report, "report", NULL, 0, STR_R("name"), STR("description"),
       OVS("report_types", cirt_stix_report_type_ov), TIME_R("published"),
       REFS_R("object_refs", NULL));
SCHEMA(threat_actor, "threat-actor", check_seen, 0, STR_R("name"),
       STR("description"),
       OVS("threat_actor_types", cirt_stix_threat_actor_type_ov),
       STRS("aliases"), TIME("first_seen"), TIME("last_seen"),
       OVS("roles", cirt_stix_threat_actor_role_ov), STRS("goals"),
       OV("sophistication", cirt_stix_threat_actor_sophistication_ov),
       OV("resource_level", cirt_stix_attack_resource_level_ov),
       OV("primary_motivation", cirt_stix_attack_motivation_ov),
       OVS("secondary_motivations", cirt_stix_attack_motivation_ov),
       OVS("personal_motivations", cirt_stix_attack_motivation_ov));
SCHEMA(tool, "tool", NULL, 0, STR_R("name"), STR("description"),
       OVS("tool_types", cirt_stix_tool_type_ov), STRS("aliases"), KCPS,
       STR("tool_version"));
SCHEMA(vulnerability, "vulnerability", NULL, 0, STR_R("name"),
       STR("description"));

/* ---- SROs (section 5) ------------------------------------------------ */

SCHEMA(relationship, "relationship", relationship_check, 0,
       STR_R("relationship_type"), STR("description"),
       REF_R("source_ref", &t_sdo_sco), REF_R("target_ref", &t_sdo_sco),
       TIME("start_time"), TIME("stop_time"));
SCHEMA(sighting, "sighting", check_seen, 0, STR("description"),
       TIME("first_seen"), TIME("last_seen"), INT("count", &r_count),
       REF_R("sighting_of_ref", &t_sdo),
       REFS("observed_data_refs", &t_observed_data),
       REFS("where_sighted_refs", &t_identity_location), BOOL("summary"));

/* ---- SCOs (section 6) and their predefined extensions --------------- */

/* Section 6.1: exactly one of payload_bin and url; url needs hashes;
 * decryption_key needs encryption_algorithm. */
static void artifact_check(struct cirt_stix_v *v, json_t *obj)
{
	if (has(obj, "payload_bin") == has(obj, "url"))
		find_at(v, NULL, "STIX-05",
			"an artifact needs exactly one of payload_bin and url");
	if (has(obj, "url") && !has(obj, "hashes"))
		find_at(v, "url", "STIX-05",
			"an artifact with url must also have hashes");
	if (has(obj, "decryption_key") && !has(obj, "encryption_algorithm"))
		find_at(v, "decryption_key", "STIX-05",
			"decryption_key requires encryption_algorithm");
}

static void email_message_check(struct cirt_stix_v *v, json_t *obj)
{
	json_t *multi = json_object_get(obj, "is_multipart");

	if (has(obj, "body") && !json_is_false(multi))
		find_at(v, "body", "STIX-05",
			"body may be used only when is_multipart is false");
	if (has(obj, "body_multipart") && !json_is_true(multi))
		find_at(v, "body_multipart", "STIX-05",
			"body_multipart may be used only when is_multipart is "
			"true");
}

static void mime_part_check(struct cirt_stix_v *v, json_t *obj)
{
	if (has(obj, "body") == has(obj, "body_raw_ref"))
		find_at(v, NULL, "STIX-05",
			"a MIME part needs exactly one of body and "
			"body_raw_ref");
}

static void file_check(struct cirt_stix_v *v, json_t *obj)
{
	if (!has(obj, "hashes") && !has(obj, "name"))
		find_at(v, NULL, "STIX-05", "a file needs hashes or name");
}

/* A decimal of 1 to 3 digits up to max, no leading zero; the end. */
static const char *octet(const char *s, int max)
{
	const char *p = s;
	int n = 0;

	while (*p >= '0' && *p <= '9' && p - s < 3)
		n = n * 10 + (*p++ - '0');
	if (p == s || n > max || (p - s > 1 && *s == '0'))
		return NULL;
	return p;
}

/* Section 6.7 and ipv4-addr.json: a dotted quad, optionally /0-32. */
static void ipv4_check(struct cirt_stix_v *v, json_t *obj)
{
	const char *p = str(obj, "value");

	if (p == NULL)
		return;
	p = octet(p, 255);
	for (int i = 0; i < 3 && p; i++)
		p = *p == '.' ? octet(p + 1, 255) : NULL;
	if (p && *p == '/')
		p = octet(p + 1, 32);
	if (p == NULL || *p != '\0')
		find_at(v, "value", "STIX-05",
			"value must be an IPv4 address or CIDR block");
}

static void ipv6_check(struct cirt_stix_v *v, json_t *obj)
{
	const char *s = str(obj, "value");
	const char *slash;
	unsigned char addr[16];
	char buf[64];
	size_t n;
	bool ok;

	if (s == NULL)
		return;
	slash = strchr(s, '/');
	n = slash ? (size_t)(slash - s) : strlen(s);
	ok = n < sizeof(buf);
	if (ok) {
		memcpy(buf, s, n);
		buf[n] = '\0';
		ok = inet_pton(AF_INET6, buf, addr) == 1;
	}
	if (ok && slash) {
		const char *b = slash + 1;
		int bits = 0;

		ok = *b != '\0' && strlen(b) <= 3;
		for (; ok && *b; b++) {
			ok = *b >= '0' && *b <= '9';
			bits = bits * 10 + (*b - '0');
		}
		ok = ok && bits <= 128;
	}
	if (!ok)
		find_at(v, "value", "STIX-05",
			"value must be an IPv6 address or CIDR block");
}

/* Section 6.9: lower-case, colon-delimited MAC-48. */
static void mac_check(struct cirt_stix_v *v, json_t *obj)
{
	const char *s = str(obj, "value");
	bool ok = s && strlen(s) == 17;

	for (size_t i = 0; ok && i < 17; i++)
		ok = i % 3 == 2 ? s[i] == ':'
				: (s[i] >= '0' && s[i] <= '9') ||
					  (s[i] >= 'a' && s[i] <= 'f');
	if (s && !ok)
		find_at(v, "value", "STIX-05",
			"value must be a lower-case, colon-delimited MAC-48 "
			"address");
}

/* Section 6.12: at least one of src_ref and dst_ref; an active flow has
 * no end yet; end not before start. */
static void network_traffic_check(struct cirt_stix_v *v, json_t *obj)
{
	if (!has(obj, "src_ref") && !has(obj, "dst_ref"))
		find_at(v, NULL, "STIX-05",
			"a network-traffic needs src_ref or dst_ref");
	if (json_is_true(json_object_get(obj, "is_active")) && has(obj, "end"))
		find_at(v, "end", "STIX-05",
			"end must not be present when is_active is true");
	cirt_stix_check_order(v, obj, "start", "end", false);
}

/* Section 6.17: the full hive name, never an abbreviation. */
static void registry_check(struct cirt_stix_v *v, json_t *obj)
{
	static const char *const abbrev[] = {"hklm", "hkcc", "hkcr", "hkcu",
					     "hku"};
	const char *k = str(obj, "key");
	size_t n;

	for (size_t i = 0; k && i < CIRT_ARRAY_LEN(abbrev); i++) {
		n = strlen(abbrev[i]);
		if (strncasecmp(k, abbrev[i], n) == 0 &&
		    (k[n] == '\\' || k[n] == '\0')) {
			find_at(v, "key", "STIX-05",
				"key must name the hive in full (e.g. "
				"HKEY_LOCAL_MACHINE), not abbreviated");
			return;
		}
	}
}

SCHEMA(artifact, "artifact", artifact_check, 0, STR("mime_type"),
       {"payload_bin", VT_BIN, 0, NULL}, {"url", VT_URL, 0, NULL},
       HASHES("hashes"),
       ENUM("encryption_algorithm", cirt_stix_encryption_algorithm_enum),
       STR("decryption_key"));
SCHEMA(autonomous_system, "autonomous-system", NULL, 0,
       {"number", VT_INT, P_REQ, &r_nonneg}, STR("name"), STR("rir"));
SCHEMA(directory, "directory", NULL, 0, STR_R("path"), STR("path_enc"),
       TIME("ctime"), TIME("mtime"), TIME("atime"),
       REFS("contains_refs", &t_file_directory));
SCHEMA(domain_name, "domain-name", NULL, 0, STR_R("value"),
       REFS("resolves_to_refs", &t_resolves));
SCHEMA(email_addr, "email-addr", NULL, 0, STR_R("value"), STR("display_name"),
       REF("belongs_to_ref", &t_user));
SCHEMA(mime_part, "email-mime-part-type", mime_part_check, 0, STR("body"),
       REF("body_raw_ref", &t_file_artifact), STR("content_type"),
       STR("content_disposition"));
SCHEMA(email_message, "email-message", email_message_check, 0,
       BOOL_R("is_multipart"), TIME("date"), STR("content_type"),
       REF("from_ref", &t_email_addr), REF("sender_ref", &t_email_addr),
       REFS("to_refs", &t_email_addr), REFS("cc_refs", &t_email_addr),
       REFS("bcc_refs", &t_email_addr), STR("message_id"), STR("subject"),
       STRS("received_lines"), DICT("additional_header_fields", NULL),
       STR("body"), OBJS("body_multipart", mime_part),
       REF("raw_email_ref", &t_artifact));

SCHEMA(archive_ext, "archive-ext", NULL, 0,
       REFS_R("contains_refs", &t_file_directory), STR("comment"));
SCHEMA(ads, "alternate-data-stream-type", NULL, 0, STR_R("name"),
       HASHES("hashes"), INT("size", &r_nonneg));
SCHEMA(ntfs_ext, "ntfs-ext", NULL, S_ANY1, STR("sid"),
       OBJS("alternate_data_streams", ads));
SCHEMA(pdf_ext, "pdf-ext", NULL, S_ANY1, STR("version"), BOOL("is_optimized"),
       DICT("document_info_dict", &v_str), STR("pdfid0"), STR("pdfid1"));
SCHEMA(raster_image_ext, "raster-image-ext", NULL, S_ANY1,
       INT("image_height", NULL), INT("image_width", NULL),
       INT("bits_per_pixel", NULL), DICT("exif_tags", NULL));
SCHEMA(pe_optional_header, "windows-pe-optional-header-type", NULL, S_ANY1,
       HEX("magic_hex"), INT("major_linker_version", NULL),
       INT("minor_linker_version", NULL), INT("size_of_code", &r_nonneg),
       INT("size_of_initialized_data", &r_nonneg),
       INT("size_of_uninitialized_data", &r_nonneg),
       INT("address_of_entry_point", NULL), INT("base_of_code", NULL),
       INT("base_of_data", NULL), INT("image_base", NULL),
       INT("section_alignment", NULL), INT("file_alignment", NULL),
       INT("major_os_version", NULL), INT("minor_os_version", NULL),
       INT("major_image_version", NULL), INT("minor_image_version", NULL),
       INT("major_subsystem_version", NULL),
       INT("minor_subsystem_version", NULL), HEX("win32_version_value_hex"),
       INT("size_of_image", &r_nonneg), INT("size_of_headers", &r_nonneg),
       HEX("checksum_hex"), HEX("subsystem_hex"),
       HEX("dll_characteristics_hex"), INT("size_of_stack_reserve", &r_nonneg),
       INT("size_of_stack_commit", &r_nonneg),
       INT("size_of_heap_reserve", &r_nonneg),
       INT("size_of_heap_commit", &r_nonneg), HEX("loader_flags_hex"),
       INT("number_of_rva_and_sizes", NULL), HASHES("hashes"));
SCHEMA(pe_section, "windows-pe-section-type", NULL, 0, STR_R("name"),
       INT("size", &r_nonneg), NUM("entropy", NULL), HASHES("hashes"));
SCHEMA(pebinary_ext, "windows-pebinary-ext", NULL, 0,
       OV_R("pe_type", cirt_stix_pebinary_type_ov), STR("imphash"),
       HEX("machine_hex"), INT("number_of_sections", &r_nonneg),
       TIME("time_date_stamp"), HEX("pointer_to_symbol_table_hex"),
       INT("number_of_symbols", &r_nonneg),
       INT("size_of_optional_header", &r_nonneg), HEX("characteristics_hex"),
       HASHES("file_header_hashes"), OBJ("optional_header", pe_optional_header),
       OBJS("sections", pe_section));
static const struct cirt_stix_schema *const file_exts[] = {
	&archive_ext,	   &ntfs_ext,	  &pdf_ext,
	&raster_image_ext, &pebinary_ext, NULL};
SCHEMA(file, "file", file_check, 0, HASHES("hashes"), INT("size", &r_nonneg),
       STR("name"), STR("name_enc"), HEX("magic_number_hex"), STR("mime_type"),
       TIME("ctime"), TIME("mtime"), TIME("atime"),
       REF("parent_directory_ref", &t_directory), REFS("contains_refs", &t_sco),
       REF("content_ref", &t_artifact));

SCHEMA(ipv4_addr, "ipv4-addr", ipv4_check, 0, STR_R("value"),
       REFS("resolves_to_refs", &t_mac), REFS("belongs_to_refs", &t_as));
SCHEMA(ipv6_addr, "ipv6-addr", ipv6_check, 0, STR_R("value"),
       REFS("resolves_to_refs", &t_mac), REFS("belongs_to_refs", &t_as));
SCHEMA(mac_addr, "mac-addr", mac_check, 0, STR_R("value"));
SCHEMA(mutex, "mutex", NULL, 0, STR_R("name"));

SCHEMA(http_request_ext, "http-request-ext", NULL, 0, STR_R("request_method"),
       STR_R("request_value"), STR("request_version"),
       DICT("request_header", &v_strs), INT("message_body_length", &r_nonneg),
       REF("message_body_data_ref", &t_artifact));
SCHEMA(icmp_ext, "icmp-ext", NULL, 0, {"icmp_type_hex", VT_HEX, P_REQ, NULL},
       {"icmp_code_hex", VT_HEX, P_REQ, NULL});
SCHEMA(socket_ext, "socket-ext", NULL, 0,
       {"address_family", VT_ENUM, P_REQ,
	&cirt_stix_socket_address_family_enum},
       BOOL("is_blocking"), BOOL("is_listening"), DICT("options", &v_int),
       ENUM("socket_type", cirt_stix_socket_type_enum),
       INT("socket_descriptor", &r_nonneg), INT("socket_handle", NULL));
SCHEMA(tcp_ext, "tcp-ext", NULL, S_ANY1, HEX("src_flags_hex"),
       HEX("dst_flags_hex"));
static const struct cirt_stix_schema *const traffic_exts[] = {
	&http_request_ext, &icmp_ext, &socket_ext, &tcp_ext, NULL};
SCHEMA(network_traffic, "network-traffic", network_traffic_check, 0,
       TIME("start"), TIME("end"), BOOL("is_active"),
       REF("src_ref", &t_endpoint), REF("dst_ref", &t_endpoint),
       INT("src_port", &r_port), INT("dst_port", &r_port),
       {"protocols", VT_STR, P_REQ | P_LIST, NULL},
       INT("src_byte_count", &r_nonneg), INT("dst_byte_count", &r_nonneg),
       INT("src_packets", &r_nonneg), INT("dst_packets", &r_nonneg),
       DICT("ipfix", NULL), REF("src_payload_ref", &t_artifact),
       REF("dst_payload_ref", &t_artifact),
       REFS("encapsulates_refs", &t_traffic),
       REF("encapsulated_by_ref", &t_traffic));

SCHEMA(windows_process_ext, "windows-process-ext", NULL, S_ANY1,
       BOOL("aslr_enabled"), BOOL("dep_enabled"), STR("priority"),
       STR("owner_sid"), STR("window_title"), DICT("startup_info", NULL),
       ENUM("integrity_level", cirt_stix_integrity_level_enum));
SCHEMA(windows_service_ext, "windows-service-ext", NULL, S_ANY1,
       STR("service_name"), STRS("descriptions"), STR("display_name"),
       STR("group_name"), ENUM("start_type", cirt_stix_service_start_type_enum),
       REFS("service_dll_refs", &t_file),
       ENUM("service_type", cirt_stix_service_type_enum),
       ENUM("service_status", cirt_stix_service_status_enum));
static const struct cirt_stix_schema *const process_exts[] = {
	&windows_process_ext, &windows_service_ext, NULL};
SCHEMA(process, "process", NULL, S_ANY1, BOOL("is_hidden"),
       INT("pid", &r_nonneg), TIME("created_time"), STR("cwd"),
       STR("command_line"), DICT("environment_variables", NULL),
       REFS("opened_connection_refs", &t_traffic),
       REF("creator_user_ref", &t_user), REF("image_ref", &t_file),
       REF("parent_ref", &t_process), REFS("child_refs", &t_process));

SCHEMA(software, "software", NULL, 0, STR_R("name"), {"cpe", VT_CPE, 0, NULL},
       STR("swid"), {"languages", VT_LANG, P_LIST, NULL}, STR("vendor"),
       STR("version"));
SCHEMA(url, "url", NULL, 0, {"value", VT_URL, P_REQ, NULL});

SCHEMA(unix_account_ext, "unix-account-ext", NULL, S_ANY1, INT("gid", NULL),
       STRS("groups"), STR("home_dir"), STR("shell"));
static const struct cirt_stix_schema *const account_exts[] = {&unix_account_ext,
							      NULL};
SCHEMA(user_account, "user-account", NULL, S_ANY1, STR("user_id"),
       STR("credential"), STR("account_login"),
       OV("account_type", cirt_stix_account_type_ov), STR("display_name"),
       BOOL("is_service_account"), BOOL("is_privileged"),
       BOOL("can_escalate_privs"), BOOL("is_disabled"), TIME("account_created"),
       TIME("account_expires"), TIME("credential_last_changed"),
       TIME("account_first_login"), TIME("account_last_login"));

SCHEMA(registry_value, "windows-registry-value-type", NULL, S_ANY1, STR("name"),
       STR("data"), ENUM("data_type", cirt_stix_registry_datatype_enum));
SCHEMA(windows_registry_key, "windows-registry-key", registry_check, S_ANY1,
       STR("key"), OBJS("values", registry_value), TIME("modified_time"),
       REF("creator_user_ref", &t_user), INT("number_of_subkeys", &r_nonneg));

SCHEMA(x509_v3_extensions, "x509-v3-extensions-type", NULL, S_ANY1,
       STR("basic_constraints"), STR("name_constraints"),
       STR("policy_constraints"), STR("key_usage"), STR("extended_key_usage"),
       STR("subject_key_identifier"), STR("authority_key_identifier"),
       STR("subject_alternative_name"), STR("issuer_alternative_name"),
       STR("subject_directory_attributes"), STR("crl_distribution_points"),
       STR("inhibit_any_policy"), TIME("private_key_usage_period_not_before"),
       TIME("private_key_usage_period_not_after"), STR("certificate_policies"),
       STR("policy_mappings"));
SCHEMA(x509_certificate, "x509-certificate", NULL, S_ANY1,
       BOOL("is_self_signed"), HASHES("hashes"), STR("version"),
       STR("serial_number"), STR("signature_algorithm"), STR("issuer"),
       TIME("validity_not_before"), TIME("validity_not_after"), STR("subject"),
       STR("subject_public_key_algorithm"), STR("subject_public_key_modulus"),
       INT("subject_public_key_exponent", NULL),
       OBJ("x509_v3_extensions", x509_v3_extensions));

/* ---- SMOs (section 7) ------------------------------------------------ */

/* Section 7.1: contents keys are RFC 5646 language tags. */
static void language_content_check(struct cirt_stix_v *v, json_t *obj)
{
	json_t *contents = json_object_get(obj, "contents");
	const char *key;
	json_t *val;
	size_t l;

	if (!json_is_object(contents))
		return;
	l = cirt_stix_path_key(v, "contents");
	json_object_foreach (contents, key, val) {
		if (!cirt_stix_lang_valid(key, strlen(key)))
			find_at(v, key, "STIX-05",
				"each key of contents must be an RFC 5646 "
				"language tag");
		else if (!json_is_object(val) || json_object_size(val) == 0)
			find_at(v, key, "STIX-05",
				"each value of contents must be a non-empty "
				"dictionary of translated properties");
		if (cirt_stix_full(v))
			break;
	}
	cirt_stix_path_pop(v, l);
}

#define TLP2_EXT "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

/* The official TLP marking-definitions: TLP 1.0 (section 7.2.1.4) and
 * TLP 2.0 (OASIS cti-stix-common-objects), standards.md 1.8. */
static const struct {
	const char *id;
	const char *level; /* definition.tlp or tlp_2_0 */
	const char *name;
	bool v2;
} tlp_markings[] = {
	{"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "white",
	 "TLP:WHITE", false},
	{"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "green",
	 "TLP:GREEN", false},
	{"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "amber",
	 "TLP:AMBER", false},
	{"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "red",
	 "TLP:RED", false},
	{"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear",
	 "TLP:CLEAR", true},
	{"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green",
	 "TLP:GREEN", true},
	{"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber",
	 "TLP:AMBER", true},
	{"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	 "amber+strict", "TLP:AMBER+STRICT", true},
	{"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red",
	 "TLP:RED", true},
};

static bool str_is(json_t *obj, const char *name, const char *want)
{
	const char *s = str(obj, name);

	return s && strcmp(s, want) == 0;
}

/* Every member of obj is one of names. */
static bool only(json_t *obj, const char *const *names)
{
	const char *key;
	json_t *val;
	size_t i;

	json_object_foreach (obj, key, val) {
		for (i = 0; names[i]; i++)
			if (strcmp(key, names[i]) == 0)
				break;
		if (names[i] == NULL)
			return false;
	}
	return true;
}

/* STIX-13: an object with an official TLP id is that official object. */
static void tlp_check(struct cirt_stix_v *v, json_t *obj, size_t i)
{
	json_t *def = json_object_get(obj, "definition");
	json_t *ext = json_object_get(obj, "extensions");
	json_t *e = json_object_get(ext, TLP2_EXT);
	const char *name = str(obj, "name");
	bool ok;

	if (!tlp_markings[i].v2)
		ok = str_is(obj, "created", "2017-01-20T00:00:00.000Z") &&
		     str_is(obj, "definition_type", "tlp") &&
		     json_object_size(def) == 1 &&
		     str_is(def, "tlp", tlp_markings[i].level) &&
		     only(obj, TYPES("type", "spec_version", "id", "created",
				     "definition_type", "name", "definition"));
	else
		ok = str_is(obj, "created", "2022-10-01T00:00:00.000Z") &&
		     json_object_size(ext) == 1 && json_object_size(e) == 2 &&
		     str_is(e, "extension_type", "property-extension") &&
		     str_is(e, "tlp_2_0", tlp_markings[i].level) &&
		     only(obj, TYPES("type", "spec_version", "id", "created",
				     "name", "extensions"));
	if (name && strcmp(name, tlp_markings[i].name) != 0)
		ok = false;
	if (!ok)
		cirt_stix_vfind(v, "STIX-13",
				"this id is the official %s marking-definition "
				"of TLP %s, whose content must not differ",
				tlp_markings[i].name,
				tlp_markings[i].v2 ? "2.0" : "1.0");
}

/* STIX-13: section 7.2.1 (definition_type and definition unless
 * extensions; statement markings) and the TLP rules of 7.2.1.4. */
static void marking_definition_check(struct cirt_stix_v *v, json_t *obj)
{
	json_t *dt = json_object_get(obj, "definition_type");
	json_t *def = json_object_get(obj, "definition");
	const char *dts = json_string_value(dt);

	if (!has(obj, "extensions") && (dt == NULL || def == NULL))
		find_at(v, NULL, "STIX-13",
			"a marking-definition without extensions needs "
			"definition_type and definition");
	else if ((dt == NULL) != (def == NULL))
		find_at(v, NULL, "STIX-13",
			"definition_type and definition must be given "
			"together");
	if (def && !json_is_object(def))
		find_at(v, "definition", "STIX-13",
			"definition must be an object");
	if (dts && strcmp(dts, "statement") == 0 &&
	    !json_is_string(json_object_get(def, "statement")))
		find_at(v, "definition", "STIX-13",
			"a statement marking needs definition.statement, a "
			"string");
	for (size_t i = 0; i < CIRT_ARRAY_LEN(tlp_markings); i++) {
		if (strcmp(v->id, tlp_markings[i].id) == 0) {
			tlp_check(v, obj, i);
			return;
		}
	}
	if (dts && strcmp(dts, "tlp") == 0)
		find_at(v, "definition_type", "STIX-13",
			"definition_type 'tlp' is reserved to the four TLP 1.0 "
			"marking-definitions of STIX 2.1 section 7.2.1.4");
	if (json_object_get(json_object_get(obj, "extensions"), TLP2_EXT))
		find_at(v, "extensions", "STIX-13",
			"the TLP 2.0 extension is reserved to the five "
			"official TLP 2.0 marking-definitions");
}

/* Section 7.3: extension_properties only for toplevel-property-extension;
 * they name top-level properties. */
static void extension_definition_check(struct cirt_stix_v *v, json_t *obj)
{
	json_t *types = json_object_get(obj, "extension_types");
	json_t *props = json_object_get(obj, "extension_properties");
	json_t *t;
	bool top = false;
	size_t i, l;

	json_array_foreach (types, i, t)
		if (json_is_string(t) &&
		    strcmp(json_string_value(t),
			   "toplevel-property-extension") == 0)
			top = true;
	if (props && !top)
		find_at(v, "extension_properties", "STIX-05",
			"extension_properties is allowed only with "
			"toplevel-property-extension in extension_types");
	l = cirt_stix_path_key(v, "extension_properties");
	json_array_foreach (props, i, t) {
		if (json_is_string(t) &&
		    !cirt_stix_prop_name_ok(json_string_value(t))) {
			size_t li = cirt_stix_path_idx(v, i);

			cirt_stix_vfind(
				v, "STIX-02",
				"extension_properties must hold property "
				"names (a-z, 0-9, '_', 3 to 250)");
			cirt_stix_path_pop(v, li);
		}
	}
	cirt_stix_path_pop(v, l);
}

SCHEMA(language_content, "language-content", language_content_check, 0,
       REF_R("object_ref", &t_any_object), TIME("object_modified"),
       {"contents", VT_DICT, P_REQ, NULL});
SCHEMA(marking_definition, "marking-definition", marking_definition_check, 0,
       STR("name"), STR("definition_type"), {"definition", VT_ANY, 0, NULL});
SCHEMA(extension_definition, "extension-definition", extension_definition_check,
       0, STR_R("name"), STR("description"), STR_R("schema"), STR_R("version"),
       {"extension_types", VT_ENUM, P_REQ | P_LIST,
	&cirt_stix_extension_type_enum},
       STRS("extension_properties"));

/* ---- the type table ------------------------------------------------- */

static const struct cirt_stix_type types[] = {
	{"attack-pattern", CAT_SDO, &attack_pattern, NULL},
	{"campaign", CAT_SDO, &campaign, NULL},
	{"course-of-action", CAT_SDO, &course_of_action, NULL},
	{"grouping", CAT_SDO, &grouping, NULL},
	{"identity", CAT_SDO, &identity, NULL},
	{"incident", CAT_SDO, &incident, NULL},
	{"indicator", CAT_SDO, &indicator, NULL},
	{"infrastructure", CAT_SDO, &infrastructure, NULL},
	{"intrusion-set", CAT_SDO, &intrusion_set, NULL},
	{"location", CAT_SDO, &location, NULL},
	{"malware", CAT_SDO, &malware, NULL},
	{"malware-analysis", CAT_SDO, &malware_analysis, NULL},
	{"note", CAT_SDO, &note, NULL},
	{"observed-data", CAT_SDO, &observed_data, NULL},
	{"opinion", CAT_SDO, &opinion, NULL},
	{"report", CAT_SDO, &report, NULL},
	{"threat-actor", CAT_SDO, &threat_actor, NULL},
	{"tool", CAT_SDO, &tool, NULL},
	{"vulnerability", CAT_SDO, &vulnerability, NULL},
	{"relationship", CAT_SRO, &relationship, NULL},
	{"sighting", CAT_SRO, &sighting, NULL},
	{"artifact", CAT_SCO, &artifact, NULL},
	{"autonomous-system", CAT_SCO, &autonomous_system, NULL},
	{"directory", CAT_SCO, &directory, NULL},
	{"domain-name", CAT_SCO, &domain_name, NULL},
	{"email-addr", CAT_SCO, &email_addr, NULL},
	{"email-message", CAT_SCO, &email_message, NULL},
	{"file", CAT_SCO, &file, file_exts},
	{"ipv4-addr", CAT_SCO, &ipv4_addr, NULL},
	{"ipv6-addr", CAT_SCO, &ipv6_addr, NULL},
	{"mac-addr", CAT_SCO, &mac_addr, NULL},
	{"mutex", CAT_SCO, &mutex, NULL},
	{"network-traffic", CAT_SCO, &network_traffic, traffic_exts},
	{"process", CAT_SCO, &process, process_exts},
	{"software", CAT_SCO, &software, NULL},
	{"url", CAT_SCO, &url, NULL},
	{"user-account", CAT_SCO, &user_account, account_exts},
	{"windows-registry-key", CAT_SCO, &windows_registry_key, NULL},
	{"x509-certificate", CAT_SCO, &x509_certificate, NULL},
	{"language-content", CAT_LC, &language_content, NULL},
	{"marking-definition", CAT_MD, &marking_definition, NULL},
	{"extension-definition", CAT_ED, &extension_definition, NULL},
};

const struct cirt_stix_type *cirt_stix_type_find(const char *name, size_t len)
{
	const struct cirt_stix_type *t;

	for (size_t i = 0; i < CIRT_ARRAY_LEN(types); i++) {
		t = &types[i];
		if (t->name[0] == name[0] && strncmp(t->name, name, len) == 0 &&
		    t->name[len] == '\0')
			return t;
	}
	return NULL;
}

unsigned cirt_stix_type_cat(const char *name, size_t len)
{
	const struct cirt_stix_type *t = cirt_stix_type_find(name, len);

	if (t)
		return t->cat;
	if (len == 6 && memcmp(name, "bundle", 6) == 0)
		return CAT_BUNDLE;
	return CAT_CUSTOM;
}

const struct cirt_stix_schema *
cirt_stix_type_ext(const struct cirt_stix_type *t, const char *name)
{
	for (size_t i = 0; t && t->exts && t->exts[i]; i++)
		if (strcmp(t->exts[i]->name, name) == 0)
			return t->exts[i];
	return NULL;
}
