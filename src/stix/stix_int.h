/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Internals of the STIX validator shared by stix_validate.c (the engine:
 * common properties, markings, extensions, custom content, value types),
 * stix_types.c (the per-type tables of STIX 2.1 sections 4 to 7) and
 * stix_vocab.c (enumerations and open vocabularies). Not for use outside
 * src/stix/.
 *
 * Layer: stix. Every table is a static constant, nothing is built at run
 * time. A struct cirt_stix_v lives on the stack of one
 * cirt_stix_validate() call.
 */
#ifndef CIRT_STIX_INT_H
#define CIRT_STIX_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/compiler.h"
#include "stix/stix.h"

/* Categories of object types (STIX 2.1 section 3.2 table). */
enum {
	CAT_SDO = 1 << 0,
	CAT_SRO = 1 << 1,
	CAT_SCO = 1 << 2,
	CAT_LC = 1 << 3, /* language-content */
	CAT_MD = 1 << 4, /* marking-definition */
	CAT_ED = 1 << 5, /* extension-definition */
	CAT_BUNDLE = 1 << 6,
	CAT_CUSTOM = 1 << 7, /* a type STIX 2.1 does not define */
};
#define CAT_SMO	    (CAT_LC | CAT_MD | CAT_ED)
#define CAT_OBJECTS (CAT_SDO | CAT_SRO | CAT_SCO | CAT_SMO | CAT_CUSTOM)

/* Value types of properties. */
enum cirt_stix_vt {
	VT_ANY,	    /* any JSON value (lists must not be empty) */
	VT_STR,	    /* string */
	VT_BOOL,    /* true or false */
	VT_INT,	    /* integer in [-(2^53)+1, 2^53-1]; arg: irange or NULL */
	VT_NUM,	    /* number; arg: drange or NULL */
	VT_TIME,    /* timestamp */
	VT_TIME_MS, /* timestamp with at least 3 fraction digits */
	VT_REF,	    /* identifier; arg: struct cirt_stix_refs or NULL */
	VT_HASHES,  /* hashes dictionary */
	VT_DICT, /* dictionary; arg: the prop its values must match, or NULL */
	VT_HEX,	 /* hex string, even length */
	VT_BIN,	 /* base64 (RFC 4648) */
	VT_ENUM, /* string from a closed enumeration; arg: vocab */
	VT_OV,	 /* string, open vocabulary (SHOULD only); arg: vocab */
	VT_OBJ,	 /* embedded object; arg: struct cirt_stix_schema */
	VT_LANG, /* RFC 5646 language tag */
	VT_URL,	 /* RFC 3986 URL */
	VT_CPE,	 /* CPE 2.3 formatted string */
	VT_SPECIAL, /* checked by the engine itself (markings, extensions) */
};

/* Flags of a property. */
enum {
	P_REQ = 1 << 0,	 /* required */
	P_LIST = 1 << 1, /* a non-empty list of values of the type */
};

struct cirt_stix_irange {
	int64_t min, max;
};

struct cirt_stix_drange {
	double min, max;
};

/* Allowed targets of a reference: categories and named types. */
struct cirt_stix_refs {
	unsigned cats;
	const char *const *types; /* NULL-terminated, or NULL */
};

struct cirt_stix_vocab {
	const char *name; /* "opinion-enum" */
	const char *const *values;
	size_t n;
};

struct cirt_stix_prop {
	const char *name;
	uint8_t vt;
	uint8_t flags;
	const void *arg;
};

struct cirt_stix_v;

/* Rules that tables cannot say (conditional presence, ordering). */
typedef void cirt_stix_check_fn(struct cirt_stix_v *v, json_t *obj);

enum {
	S_ANY1 = 1 << 0, /* at least one property of the table is present */
};

/* The properties of a type, a predefined extension or an embedded type. */
struct cirt_stix_schema {
	const char *name;
	const struct cirt_stix_prop *props;
	size_t nprops;
	cirt_stix_check_fn *check;
	unsigned flags;
};

struct cirt_stix_type {
	const char *name;
	unsigned cat;
	const struct cirt_stix_schema *schema;
	/* Predefined extensions (SCOs), NULL-terminated, or NULL. */
	const struct cirt_stix_schema *const *exts;
};

/* The state of one validation. */
struct cirt_stix_v {
	struct cirt_stix_findings *out;
	json_t *obj;
	const char *type;
	const struct cirt_stix_type *t; /* NULL for a custom type */
	unsigned cat;
	bool v20;
	const char *id;
	size_t plen;
	char path[256];
};

/* ---- stix_validate.c: the engine ---------------------------------- */

/* Add a finding at the current path. */
void cirt_stix_vfind(struct cirt_stix_v *v, const char *rule, const char *fmt,
		     ...) CIRT_PRINTF(3, 4);

/* True once CIRT_STIX_FINDINGS_MAX findings are kept: stop descending. */
bool cirt_stix_full(const struct cirt_stix_v *v);

/* Append ".key" (or "['key']") / "[i]" to the path; return the length to
 * give back to cirt_stix_path_pop(). */
size_t cirt_stix_path_key(struct cirt_stix_v *v, const char *key);
size_t cirt_stix_path_idx(struct cirt_stix_v *v, size_t i);
void cirt_stix_path_pop(struct cirt_stix_v *v, size_t len);

/* Check the members of obj against schema s: known ones by type, missing
 * required ones, names of unknown ones, then s->check. The path must
 * already point at obj. rule is the rule of missing or mistyped
 * properties ("STIX-05"). */
void cirt_stix_check_schema(struct cirt_stix_v *v, json_t *obj,
			    const struct cirt_stix_schema *s, const char *rule);

/* Check one value against p; the path must point at the value. */
void cirt_stix_check_value(struct cirt_stix_v *v,
			   const struct cirt_stix_prop *p, json_t *val,
			   const char *rule);

/* STIX-06: if both a and b are valid timestamps, b >= a (b > a when
 * strict), else a finding at b. */
void cirt_stix_check_order(struct cirt_stix_v *v, json_t *obj, const char *a,
			   const char *b, bool strict);

/* Does this property name follow STIX 2.1 section 3.1 (a-z, 0-9, '_',
 * starting with a letter, 3 to 250 characters)? */
bool cirt_stix_prop_name_ok(const char *name);

/* ---- stix_types.c: the tables -------------------------------------- */

/* The type named name[0..len), or NULL if STIX 2.1 does not define it. */
const struct cirt_stix_type *cirt_stix_type_find(const char *name, size_t len);

/* The category of a type name (CAT_BUNDLE, or CAT_CUSTOM when unknown). */
unsigned cirt_stix_type_cat(const char *name, size_t len);

/* The predefined extension name of type t, or NULL. */
const struct cirt_stix_schema *
cirt_stix_type_ext(const struct cirt_stix_type *t, const char *name);

/* The schema of an embedded object (external reference, granular
 * marking, kill chain phase) used by the engine. */
extern const struct cirt_stix_schema cirt_stix_external_reference;
extern const struct cirt_stix_schema cirt_stix_kill_chain_phase;

/* ---- stix_vocab.c: vocabularies and small grammars ------------------ */

bool cirt_stix_vocab_has(const struct cirt_stix_vocab *voc, const char *s);

/* RFC 5646 language tag (syntax, not the registry). */
bool cirt_stix_lang_valid(const char *s, size_t len);

/* CPE 2.3 formatted string binding (NISTIR 7695 section 6.2), syntax. */
bool cirt_stix_cpe_valid(const char *s, size_t len);

/* RFC 4648 base64, padded, non-empty. */
bool cirt_stix_base64_valid(const char *s, size_t len);

/* Hex digits, even and non-zero count. */
bool cirt_stix_hex_valid(const char *s, size_t len);

/* An absolute URL: RFC 3986 scheme ":" and no white space or control. */
bool cirt_stix_url_valid(const char *s, size_t len);

/* The value of a hash of a known algorithm is well formed (STIX 2.1
 * hash-algorithm-ov); unknown algorithms pass. */
bool cirt_stix_hash_value_ok(const char *algo, const char *val, size_t len);

/* Closed enumerations of STIX 2.1 section 10. */
extern const struct cirt_stix_vocab cirt_stix_extension_type_enum;
extern const struct cirt_stix_vocab cirt_stix_opinion_enum;
extern const struct cirt_stix_vocab cirt_stix_encryption_algorithm_enum;
extern const struct cirt_stix_vocab cirt_stix_integrity_level_enum;
extern const struct cirt_stix_vocab cirt_stix_registry_datatype_enum;
extern const struct cirt_stix_vocab cirt_stix_service_start_type_enum;
extern const struct cirt_stix_vocab cirt_stix_service_type_enum;
extern const struct cirt_stix_vocab cirt_stix_service_status_enum;
extern const struct cirt_stix_vocab cirt_stix_socket_address_family_enum;
extern const struct cirt_stix_vocab cirt_stix_socket_type_enum;

/* Open vocabularies (suggested values; other values are legal). */
extern const struct cirt_stix_vocab cirt_stix_account_type_ov;
extern const struct cirt_stix_vocab cirt_stix_attack_motivation_ov;
extern const struct cirt_stix_vocab cirt_stix_attack_resource_level_ov;
extern const struct cirt_stix_vocab cirt_stix_grouping_context_ov;
extern const struct cirt_stix_vocab cirt_stix_hash_algorithm_ov;
extern const struct cirt_stix_vocab cirt_stix_identity_class_ov;
extern const struct cirt_stix_vocab cirt_stix_implementation_language_ov;
extern const struct cirt_stix_vocab cirt_stix_indicator_type_ov;
extern const struct cirt_stix_vocab cirt_stix_industry_sector_ov;
extern const struct cirt_stix_vocab cirt_stix_infrastructure_type_ov;
extern const struct cirt_stix_vocab cirt_stix_malware_capabilities_ov;
extern const struct cirt_stix_vocab cirt_stix_malware_result_ov;
extern const struct cirt_stix_vocab cirt_stix_malware_type_ov;
extern const struct cirt_stix_vocab cirt_stix_pattern_type_ov;
extern const struct cirt_stix_vocab cirt_stix_processor_architecture_ov;
extern const struct cirt_stix_vocab cirt_stix_region_ov;
extern const struct cirt_stix_vocab cirt_stix_report_type_ov;
extern const struct cirt_stix_vocab cirt_stix_threat_actor_role_ov;
extern const struct cirt_stix_vocab cirt_stix_threat_actor_sophistication_ov;
extern const struct cirt_stix_vocab cirt_stix_threat_actor_type_ov;
extern const struct cirt_stix_vocab cirt_stix_tool_type_ov;
extern const struct cirt_stix_vocab cirt_stix_pebinary_type_ov;

#endif
