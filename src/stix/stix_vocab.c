/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX 2.1 vocabularies (section 10) and the small value grammars the
 * validator needs: RFC 5646 language tags, CPE 2.3, base64, hex, URLs
 * and hash values. Enumerations are MUST (a value outside one is an
 * error); open vocabularies are SHOULD, so the validator only uses them
 * to say which vocabulary a property takes (stix2-validator checks them
 * among its "shoulds" only). Values are taken from the STIX 2.1 Errata01
 * vocabulary sections and the JSON schemas in ../shared/data/stix/schemas.
 *
 * Layer: stix. Constant tables, pure functions, thread-safe.
 */
#include "stix/stix_int.h"

#include <string.h>

#include "core/banned.h"

#define VOCAB(var, label, ...)                                   \
	static const char *const var##_values[] = {__VA_ARGS__}; \
	const struct cirt_stix_vocab var = {label, var##_values, \
					    CIRT_ARRAY_LEN(var##_values)}

/* ---- enumerations (closed: MUST) ---------------------------------- */

VOCAB(cirt_stix_extension_type_enum, "extension-type-enum", "new-sdo",
      "new-sco", "new-sro", "property-extension",
      "toplevel-property-extension");
VOCAB(cirt_stix_opinion_enum, "opinion-enum", "strongly-disagree", "disagree",
      "neutral", "agree", "strongly-agree");
VOCAB(cirt_stix_encryption_algorithm_enum, "encryption-algorithm-enum",
      "AES-256-GCM", "ChaCha20-Poly1305", "mime-type-indicated");
VOCAB(cirt_stix_integrity_level_enum, "windows-integrity-level-enum", "low",
      "medium", "high", "system");
VOCAB(cirt_stix_registry_datatype_enum, "windows-registry-datatype-enum",
      "REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
      "REG_DWORD_BIG_ENDIAN", "REG_DWORD_LITTLE_ENDIAN", "REG_LINK",
      "REG_MULTI_SZ", "REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTION",
      "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD", "REG_INVALID_TYPE");
VOCAB(cirt_stix_service_start_type_enum, "windows-service-start-type-enum",
      "SERVICE_AUTO_START", "SERVICE_BOOT_START", "SERVICE_DEMAND_START",
      "SERVICE_DISABLED", "SERVICE_SYSTEM_ALERT");
VOCAB(cirt_stix_service_type_enum, "windows-service-type-enum",
      "SERVICE_KERNEL_DRIVER", "SERVICE_FILE_SYSTEM_DRIVER",
      "SERVICE_WIN32_OWN_PROCESS", "SERVICE_WIN32_SHARE_PROCESS");
VOCAB(cirt_stix_service_status_enum, "windows-service-status-enum",
      "SERVICE_CONTINUE_PENDING", "SERVICE_PAUSE_PENDING", "SERVICE_PAUSED",
      "SERVICE_RUNNING", "SERVICE_START_PENDING", "SERVICE_STOP_PENDING",
      "SERVICE_STOPPED");
VOCAB(cirt_stix_socket_address_family_enum,
      "network-socket-address-family-enum", "AF_UNSPEC", "AF_INET", "AF_IPX",
      "AF_APPLETALK", "AF_NETBIOS", "AF_INET6", "AF_IRDA", "AF_BTH");
VOCAB(cirt_stix_socket_type_enum, "network-socket-type-enum", "SOCK_STREAM",
      "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET");

/* ---- open vocabularies (suggested values: SHOULD) ------------------ */

VOCAB(cirt_stix_account_type_ov, "account-type-ov", "facebook", "ldap", "nis",
      "openid", "radius", "skype", "tacacs", "twitter", "unix", "windows-local",
      "windows-domain");
VOCAB(cirt_stix_attack_motivation_ov, "attack-motivation-ov", "accidental",
      "coercion", "dominance", "ideology", "notoriety", "organizational-gain",
      "personal-gain", "personal-satisfaction", "revenge", "unpredictable");
VOCAB(cirt_stix_attack_resource_level_ov, "attack-resource-level-ov",
      "individual", "club", "contest", "team", "organization", "government");
VOCAB(cirt_stix_grouping_context_ov, "grouping-context-ov",
      "suspicious-activity", "malware-analysis", "unspecified");
VOCAB(cirt_stix_hash_algorithm_ov, "hash-algorithm-ov", "MD5", "SHA-1",
      "SHA-256", "SHA-512", "SHA3-256", "SHA3-512", "SSDEEP", "TLSH");
VOCAB(cirt_stix_identity_class_ov, "identity-class-ov", "individual", "group",
      "system", "organization", "class", "unknown");
VOCAB(cirt_stix_implementation_language_ov, "implementation-language-ov",
      "applescript", "bash", "c", "c++", "c#", "go", "java", "javascript",
      "lua", "objective-c", "perl", "php", "powershell", "python", "ruby",
      "scala", "swift", "typescript", "visual-basic", "x86-32", "x86-64");
VOCAB(cirt_stix_indicator_type_ov, "indicator-type-ov", "anomalous-activity",
      "anonymization", "benign", "compromised", "malicious-activity",
      "attribution", "unknown");
VOCAB(cirt_stix_industry_sector_ov, "industry-sector-ov", "agriculture",
      "aerospace", "automotive", "chemical", "commercial", "communications",
      "construction", "defense", "education", "energy", "entertainment",
      "financial-services", "government", "government-emergency-services",
      "government-local", "government-national", "government-public-services",
      "government-regional", "healthcare", "hospitality-leisure",
      "infrastructure", "infrastructure-dams", "infrastructure-nuclear",
      "infrastructure-water", "insurance", "manufacturing", "mining",
      "non-profit", "pharmaceuticals", "retail", "technology",
      "telecommunications", "transportation", "utilities");
VOCAB(cirt_stix_infrastructure_type_ov, "infrastructure-type-ov",
      "amplification", "anonymization", "botnet", "command-and-control",
      "control-system", "exfiltration", "firewall", "hosting-malware",
      "hosting-target-lists", "phishing", "reconnaissance", "routers-switches",
      "staging", "workstation", "unknown");
VOCAB(cirt_stix_malware_capabilities_ov, "malware-capabilities-ov",
      "accesses-remote-machines", "anti-debugging", "anti-disassembly",
      "anti-emulation", "anti-memory-forensics", "anti-sandbox", "anti-vm",
      "captures-input-peripherals", "captures-output-peripherals",
      "captures-system-state-data", "cleans-traces-of-infection",
      "commits-fraud", "communicates-with-c2", "compromises-data-availability",
      "compromises-data-integrity", "compromises-system-availability",
      "controls-local-machine", "degrades-security-software",
      "degrades-system-updates", "determines-c2-server", "emails-spam",
      "escalates-privileges", "evades-av", "exfiltrates-data",
      "fingerprints-host", "hides-artifacts", "hides-executing-code",
      "infects-files", "infects-remote-machines", "installs-other-components",
      "persists-after-system-reboot", "prevents-artifact-access",
      "prevents-artifact-deletion", "probes-network-environment",
      "self-modifies", "steals-authentication-credentials",
      "violates-system-operational-integrity");
VOCAB(cirt_stix_malware_result_ov, "malware-result-ov", "malicious",
      "suspicious", "benign", "unknown");
VOCAB(cirt_stix_malware_type_ov, "malware-type-ov", "adware", "backdoor", "bot",
      "bootkit", "ddos", "downloader", "dropper", "exploit-kit", "keylogger",
      "ransomware", "remote-access-trojan", "resource-exploitation",
      "rogue-security-software", "rootkit", "screen-capture", "spyware",
      "trojan", "unknown", "virus", "webshell", "wiper", "worm");
VOCAB(cirt_stix_pattern_type_ov, "pattern-type-ov", "stix", "pcre", "sigma",
      "snort", "suricata", "yara");
VOCAB(cirt_stix_processor_architecture_ov, "processor-architecture-ov", "alpha",
      "arm", "ia-64", "mips", "powerpc", "sparc", "x86", "x86-64");
VOCAB(cirt_stix_region_ov, "region-ov", "africa", "eastern-africa",
      "middle-africa", "northern-africa", "southern-africa", "western-africa",
      "americas", "caribbean", "central-america", "latin-america-caribbean",
      "northern-america", "south-america", "asia", "central-asia",
      "eastern-asia", "southern-asia", "south-eastern-asia", "western-asia",
      "europe", "eastern-europe", "northern-europe", "southern-europe",
      "western-europe", "oceania", "antarctica", "australia-new-zealand",
      "melanesia", "micronesia", "polynesia");
VOCAB(cirt_stix_report_type_ov, "report-type-ov", "attack-pattern", "campaign",
      "identity", "indicator", "intrusion-set", "malware", "observed-data",
      "threat-actor", "threat-report", "tool", "vulnerability");
VOCAB(cirt_stix_threat_actor_role_ov, "threat-actor-role-ov", "agent",
      "director", "independent", "infrastructure-architect",
      "infrastructure-operator", "malware-author", "sponsor");
VOCAB(cirt_stix_threat_actor_sophistication_ov,
      "threat-actor-sophistication-ov", "none", "minimal", "intermediate",
      "advanced", "expert", "innovator", "strategic");
VOCAB(cirt_stix_threat_actor_type_ov, "threat-actor-type-ov", "activist",
      "competitor", "crime-syndicate", "criminal", "hacker",
      "insider-accidental", "insider-disgruntled", "nation-state",
      "sensationalist", "spy", "terrorist", "unknown");
VOCAB(cirt_stix_tool_type_ov, "tool-type-ov", "denial-of-service",
      "exploitation", "information-gathering", "network-capture",
      "credential-exploitation", "remote-access", "vulnerability-scanning",
      "unknown");
VOCAB(cirt_stix_pebinary_type_ov, "windows-pebinary-type-ov", "dll", "exe",
      "sys");

bool cirt_stix_vocab_has(const struct cirt_stix_vocab *voc, const char *s)
{
	for (size_t i = 0; i < voc->n; i++)
		if (strcmp(s, voc->values[i]) == 0)
			return true;
	return false;
}

/* ---- value grammars ------------------------------------------------ */

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

static bool all(const char *s, size_t n, bool (*pred)(char))
{
	for (size_t i = 0; i < n; i++)
		if (!pred(s[i]))
			return false;
	return true;
}

/* RFC 5646 section 2.1 langtag, privateuse and the "i-" irregular
 * grandfathered tags; case-insensitive. States follow the order of the
 * subtags: language, extlang, script, region, variant, extension,
 * private use. */
bool cirt_stix_lang_valid(const char *s, size_t len)
{
	size_t i = 0, n, nsub = 0, nextlang = 0;
	int state = 0; /* 0 language, 1 extlang.., 2 script, 3 region,
			  4 variant, 5 extension, 6 private use */
	const char *t;
	bool ext_open = false;

	if (len == 0 || len > 250)
		return false;
	while (i <= len) {
		t = s + i;
		n = 0;
		while (i + n < len && s[i + n] != '-')
			n++;
		if (n == 0 || n > 8 || !all(t, n, is_alnum))
			return false;
		if (nsub == 0) {
			if (n == 1 && strchr("xXiI", t[0]) != NULL) {
				ext_open = true;
				state = 6;
			} else if (n < 2 || !all(t, n, is_alpha)) {
				return false;
			} else {
				state = n <= 3 ? 1 : 2;
			}
		} else if (state == 6) {
			ext_open = false; /* private use: 1*8 alphanum */
		} else if (state == 5 && n == 1) {
			if (ext_open)
				return false;
			ext_open = true;
			state = (t[0] == 'x' || t[0] == 'X') ? 6 : 5;
		} else if (state == 5) {
			if (n < 2)
				return false;
			ext_open = false;
		} else if (n == 1) {
			ext_open = true;
			state = (t[0] == 'x' || t[0] == 'X') ? 6 : 5;
		} else if (state <= 1 && n == 3 && all(t, n, is_alpha) &&
			   nextlang < 3) {
			nextlang++;
		} else if (state <= 2 && n == 4 && all(t, n, is_alpha)) {
			state = 3;
		} else if (state <= 3 && ((n == 2 && all(t, n, is_alpha)) ||
					  (n == 3 && all(t, n, is_digit)))) {
			state = 4;
		} else if (state <= 4 &&
			   (n >= 5 || (n == 4 && is_digit(t[0])))) {
			state = 4;
		} else {
			return false;
		}
		nsub++;
		i += n + 1;
	}
	return !ext_open;
}

static bool cpe_char(char c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '-' || c == '*' ||
	       c == '?';
}

/* NISTIR 7695 section 6.2: "cpe:2.3:" and eleven components. */
bool cirt_stix_cpe_valid(const char *s, size_t len)
{
	size_t ncomp = 1, clen = 0;

	if (len < 8 || memcmp(s, "cpe:2.3:", 8) != 0)
		return false;
	if (len < 9 || (strchr("aoh*-", s[8]) == NULL) ||
	    (len > 9 && s[9] != ':'))
		return false;
	for (size_t i = 8; i < len; i++) {
		if (s[i] == ':') {
			if (clen == 0)
				return false;
			ncomp++;
			clen = 0;
		} else if (s[i] == '\\') {
			if (i + 1 >= len || (unsigned char)s[i + 1] <= 0x20 ||
			    (unsigned char)s[i + 1] >= 0x7f)
				return false;
			i++;
			clen++;
		} else if (cpe_char(s[i])) {
			clen++;
		} else {
			return false;
		}
	}
	return clen > 0 && ncomp == 11;
}

static bool b64_char(char c)
{
	return is_alnum(c) || c == '+' || c == '/';
}

bool cirt_stix_base64_valid(const char *s, size_t len)
{
	size_t pad = 0;

	if (len == 0 || len % 4 != 0)
		return false;
	while (pad < 2 && s[len - 1 - pad] == '=')
		pad++;
	return all(s, len - pad, b64_char);
}

static bool hex_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool cirt_stix_hex_valid(const char *s, size_t len)
{
	return len > 0 && len % 2 == 0 && all(s, len, hex_char);
}

bool cirt_stix_url_valid(const char *s, size_t len)
{
	size_t i = 1;

	if (len < 3 || !is_alpha(s[0]))
		return false;
	while (i < len &&
	       (is_alnum(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
		i++;
	if (i >= len - 1 || s[i] != ':')
		return false;
	for (; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool ssdeep_char(char c)
{
	return is_alnum(c) || c == '/' || c == '+' || c == ':' || c == '.';
}

/* Lengths from hashes-type.json; TLSH also in its "T1"-prefixed form. */
bool cirt_stix_hash_value_ok(const char *algo, const char *val, size_t len)
{
	static const struct {
		const char *algo;
		size_t hexlen;
	} hexes[] = {
		{"MD5", 32},	  {"SHA-1", 40},    {"SHA-256", 64},
		{"SHA-512", 128}, {"SHA3-256", 64}, {"SHA3-512", 128},
	};

	for (size_t i = 0; i < CIRT_ARRAY_LEN(hexes); i++)
		if (strcmp(algo, hexes[i].algo) == 0)
			return len == hexes[i].hexlen &&
			       all(val, len, hex_char);
	if (strcmp(algo, "SSDEEP") == 0)
		return len >= 1 && len <= 128 && all(val, len, ssdeep_char);
	if (strcmp(algo, "TLSH") == 0) {
		if (len == 72 && val[0] == 'T' && val[1] == '1')
			return all(val + 2, 70, hex_char);
		return len == 70 && all(val, len, hex_char);
	}
	return true;
}
