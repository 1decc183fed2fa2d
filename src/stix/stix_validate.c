/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX object validation (stix/stix.h): dispatch on the type, the common
 * properties of STIX 2.1 section 3.2 and which categories may or must
 * carry them, the value types of every property (the per-type tables are
 * in stix_types.c), markings (section 7.2), extensions (7.3), custom
 * content (section 11), bundles (section 8), and the facts the store
 * needs (struct cirt_stix_meta). Does not follow references to other
 * objects nor compare versions of one object (the store does, STIX-12).
 *
 * Layer: stix. Pure functions over jansson values, thread-safe.
 *
 * Design: one pass over the members of the object; each member is looked
 * up in the common table, then in its type's table (short linear scans
 * over constant tables), and its value checked by type. Nothing is
 * allocated and nothing compiled per call; the JSON path of the finding
 * is kept in a fixed buffer grown and shrunk as the walk descends. The
 * walk follows the schema, so its depth is that of the tables (four at
 * most), never that of the input, and every step is linear in the size
 * of what it reads. Once CIRT_STIX_FINDINGS_MAX findings are kept the
 * loops stop early.
 *
 * References: standards.md 1.1 to 1.10, 1.13, 1.14 (rule ids STIX-01 to
 * STIX-19); STIX 2.1 Errata01 sections 2, 3, 7, 8 and 11.
 */
#include "stix/stix.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "stix/stix_id.h"
#include "stix/stix_int.h"
#include "core/banned.h"

#define ALL_CATS (CAT_SDO | CAT_SRO | CAT_SCO | CAT_LC | CAT_MD | CAT_ED)
#define INT53	 ((INT64_C(1) << 53) - 1)

/* ---- findings ------------------------------------------------------ */

void cirt_stix_findings_init(struct cirt_stix_findings *f)
{
	memset(f, 0, sizeof(*f));
}

int cirt_stix_find(struct cirt_stix_findings *f, const char *path,
		   const char *rule, const char *fmt, ...)
{
	va_list ap;

	if (f->n < CIRT_STIX_FINDINGS_MAX) {
		struct cirt_stix_finding *x = &f->f[f->n++];

		snprintf(x->path, sizeof(x->path), "%s", path);
		snprintf(x->rule, sizeof(x->rule), "%s", rule);
		va_start(ap, fmt);
		vsnprintf(x->message, sizeof(x->message), fmt, ap);
		va_end(ap);
		cirt_utf8_mend(x->path);
		cirt_utf8_mend(x->message);
	}
	f->total++;
	return -CIRT_EINVAL;
}

void cirt_stix_vfind(struct cirt_stix_v *v, const char *rule, const char *fmt,
		     ...)
{
	char msg[sizeof(v->out->f[0].message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cirt_stix_find(v->out, v->path, rule, "%s", msg);
}

bool cirt_stix_full(const struct cirt_stix_v *v)
{
	return v->out->n >= CIRT_STIX_FINDINGS_MAX;
}

/* ---- the JSON path of the walk -------------------------------------- */

/* Append n bytes to the path, cut at its size (the path of a finding
 * may then be truncated, never overflowed). No printf: this runs for
 * every member of every object. */
static void path_put(struct cirt_stix_v *v, const char *s, size_t n)
{
	size_t room = sizeof(v->path) - 1 - v->plen;

	if (n > room)
		n = room;
	memcpy(v->path + v->plen, s, n);
	v->plen += n;
	v->path[v->plen] = '\0';
}

static bool plain_key(const char *k)
{
	if (*k == '\0' || (*k >= '0' && *k <= '9'))
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
		      (*k >= '0' && *k <= '9') || *k == '_'))
			return false;
	return true;
}

size_t cirt_stix_path_key(struct cirt_stix_v *v, const char *key)
{
	size_t old = v->plen;

	if (plain_key(key)) {
		path_put(v, ".", 1);
		path_put(v, key, strlen(key));
	} else {
		path_put(v, "['", 2);
		path_put(v, key, strlen(key));
		path_put(v, "']", 2);
	}
	return old;
}

size_t cirt_stix_path_idx(struct cirt_stix_v *v, size_t i)
{
	size_t old = v->plen;
	char buf[24];
	size_t n = sizeof(buf);

	buf[--n] = ']';
	do {
		buf[--n] = (char)('0' + i % 10);
		i /= 10;
	} while (i > 0);
	buf[--n] = '[';
	path_put(v, buf + n, sizeof(buf) - n);
	return old;
}

void cirt_stix_path_pop(struct cirt_stix_v *v, size_t len)
{
	v->plen = len;
	v->path[len] = '\0';
}

/* ---- names (STIX-02) ------------------------------------------------ */

bool cirt_stix_prop_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n < 3 || n > 250 || name[0] < 'a' || name[0] > 'z')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			return false;
	return true;
}

/* Section 3.1 (and 7.3 for extension types): a-z, 0-9 and '-', starting
 * with a letter, no "--", not ending in '-', 3 to 250 characters. */
static bool type_name_ok(const char *s, size_t n)
{
	if (n < 3 || n > 250 || s[0] < 'a' || s[0] > 'z' || s[n - 1] == '-')
		return false;
	for (size_t i = 1; i < n; i++) {
		if (s[i] == '-' && s[i - 1] == '-')
			return false;
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	}
	return true;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Reserved property names (STIX 2.1 section 3.3 and core.json). */
static bool reserved(const char *key)
{
	static const char *const names[] = {"severity", "action", "username",
					    "phone_numbers"};

	for (size_t i = 0; i < CIRT_ARRAY_LEN(names); i++)
		if (key[0] == names[i][0] && strcmp(key, names[i]) == 0)
			return true;
	return false;
}

/* ---- value types ------------------------------------------------------ */

/* What a message calls a property: its name, or "each value" inside a
 * dictionary. */
static const char *label(const struct cirt_stix_prop *p)
{
	return p->name[0] ? p->name : "each value";
}

static void check_time(struct cirt_stix_v *v, const char *name, json_t *val,
		       int min_frac)
{
	struct cirt_timestamp t;
	const char *why;

	if (!json_is_string(val)) {
		cirt_stix_vfind(v, "STIX-03", "%s must be a timestamp string",
				name);
		return;
	}
	if (cirt_time_parse(json_string_value(val), json_string_length(val), &t,
			    &why) < 0)
		cirt_stix_vfind(v, "STIX-03", "%s %s", name, why);
	else if (t.frac_digits < min_frac)
		cirt_stix_vfind(v, "STIX-03",
				"%s must have at least %d fraction digits "
				"(millisecond precision)",
				name, min_frac);
}

static void check_int(struct cirt_stix_v *v, const struct cirt_stix_prop *p,
		      json_t *val, const char *rule)
{
	const struct cirt_stix_irange *r = p->arg;
	json_int_t i;

	if (!json_is_integer(val)) {
		cirt_stix_vfind(v, rule, "%s must be an integer", label(p));
		return;
	}
	i = json_integer_value(val);
	if (i < -INT53 || i > INT53)
		cirt_stix_vfind(v, "STIX-07",
				"%s must be within -(2^53)+1 and 2^53-1",
				label(p));
	else if (r && (i < r->min || i > r->max))
		cirt_stix_vfind(v, "STIX-07",
				"%s must be between %lld and %lld, not %lld",
				label(p), (long long)r->min, (long long)r->max,
				(long long)i);
}

static void check_num(struct cirt_stix_v *v, const struct cirt_stix_prop *p,
		      json_t *val, const char *rule)
{
	const struct cirt_stix_drange *r = p->arg;
	double x;

	if (!json_is_number(val)) {
		cirt_stix_vfind(v, rule, "%s must be a number", label(p));
		return;
	}
	x = json_number_value(val);
	if (r && (x < r->min || x > r->max))
		cirt_stix_vfind(v, "STIX-07", "%s must be between %g and %g",
				label(p), r->min, r->max);
}

/* An identifier (STIX-01) of one of the allowed target types (STIX-10). */
static void check_ref(struct cirt_stix_v *v, const char *name, json_t *val,
		      const struct cirt_stix_refs *r)
{
	const char *s = json_string_value(val);
	size_t n = json_string_length(val), tl;

	if (s == NULL || !cirt_stix_id_valid(s, n, &tl)) {
		cirt_stix_vfind(v, "STIX-01",
				"%s must be an identifier <type>--<RFC 4122 "
				"UUID>",
				name);
		return;
	}
	if (r == NULL || (cirt_stix_type_cat(s, tl) & r->cats))
		return;
	for (size_t i = 0; r->types && r->types[i]; i++)
		if (strlen(r->types[i]) == tl &&
		    memcmp(s, r->types[i], tl) == 0)
			return;
	cirt_stix_vfind(v, "STIX-10", "%s must not refer to a %.*s object",
			name, (int)tl, s);
}

static bool dict_key_ok(const char *k, size_t min)
{
	size_t n = strlen(k);

	if (n < min || n > 250)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') ||
		      (k[i] >= 'A' && k[i] <= 'Z') ||
		      (k[i] >= '0' && k[i] <= '9') || k[i] == '_' ||
		      k[i] == '-'))
			return false;
	return true;
}

/* Dictionaries (section 2.8, STIX-08); values checked against vp. */
static void check_dict(struct cirt_stix_v *v, const struct cirt_stix_prop *p,
		       json_t *val, const char *rule)
{
	const struct cirt_stix_prop *vp = p->arg;
	const char *key;
	json_t *el;
	size_t l;

	if (!json_is_object(val)) {
		cirt_stix_vfind(v, rule, "%s must be a dictionary", label(p));
		return;
	}
	if (json_object_size(val) == 0)
		cirt_stix_vfind(v, "STIX-08",
				"%s must not be an empty dictionary", label(p));
	json_object_foreach (val, key, el) {
		if (cirt_stix_full(v))
			break;
		l = cirt_stix_path_key(v, key);
		if (!dict_key_ok(key, 1))
			cirt_stix_vfind(
				v, "STIX-08",
				"dictionary keys of %s must be 1 to 250 "
				"ASCII letters, digits, '_' or '-'",
				label(p));
		if (vp)
			cirt_stix_check_value(v, vp, el, rule);
		else if (json_is_array(el) && json_array_size(el) == 0)
			cirt_stix_vfind(v, "STIX-08",
					"%s must not hold an empty list",
					label(p));
		cirt_stix_path_pop(v, l);
	}
}

/* Hashes (section 2.7): keys 3 to 250 characters, values valid for
 * their algorithm. */
static void check_hashes(struct cirt_stix_v *v, const struct cirt_stix_prop *p,
			 json_t *val, const char *rule)
{
	const char *key;
	json_t *h;
	size_t l;

	if (!json_is_object(val)) {
		cirt_stix_vfind(v, rule, "%s must be a hashes dictionary",
				label(p));
		return;
	}
	if (json_object_size(val) == 0)
		cirt_stix_vfind(v, "STIX-08",
				"%s must not be an empty dictionary", label(p));
	json_object_foreach (val, key, h) {
		if (cirt_stix_full(v))
			break;
		l = cirt_stix_path_key(v, key);
		if (!dict_key_ok(key, 3))
			cirt_stix_vfind(v, "STIX-08",
					"hash names must be 3 to 250 ASCII "
					"letters, digits, '_' or '-'");
		else if (!json_is_string(h))
			cirt_stix_vfind(v, rule, "the %s hash must be a string",
					key);
		else if (!cirt_stix_hash_value_ok(key, json_string_value(h),
						  json_string_length(h)))
			cirt_stix_vfind(v, rule,
					"the %s hash is not a valid %s value",
					key, key);
		cirt_stix_path_pop(v, l);
	}
}

/* A string checked by a grammar; msg completes "<name> must be ...". */
static void check_string(struct cirt_stix_v *v, const char *name, json_t *val,
			 const char *rule, bool (*ok)(const char *, size_t),
			 const char *msg)
{
	if (!json_is_string(val) ||
	    !ok(json_string_value(val), json_string_length(val)))
		cirt_stix_vfind(v, rule, "%s must be %s", name, msg);
}

static void check_vocab(struct cirt_stix_v *v, const struct cirt_stix_prop *p,
			json_t *val, const char *rule)
{
	const struct cirt_stix_vocab *voc = p->arg;

	if (!json_is_string(val))
		cirt_stix_vfind(v, rule, "%s must be a string from %s",
				label(p), voc->name);
	else if (p->vt == VT_ENUM &&
		 !cirt_stix_vocab_has(voc, json_string_value(val)))
		cirt_stix_vfind(v, rule, "%s must be one of the values of %s",
				label(p), voc->name);
}

static void check_scalar(struct cirt_stix_v *v, const struct cirt_stix_prop *p,
			 json_t *val, const char *rule)
{
	switch (p->vt) {
	case VT_ANY:
		if (json_is_array(val) && json_array_size(val) == 0)
			cirt_stix_vfind(v, "STIX-08",
					"%s must not be an empty list",
					label(p));
		break;
	case VT_STR:
		if (!json_is_string(val))
			cirt_stix_vfind(v, rule, "%s must be a string",
					label(p));
		break;
	case VT_BOOL:
		if (!json_is_boolean(val))
			cirt_stix_vfind(v, rule, "%s must be true or false",
					label(p));
		break;
	case VT_INT:
		check_int(v, p, val, rule);
		break;
	case VT_NUM:
		check_num(v, p, val, rule);
		break;
	case VT_TIME:
	case VT_TIME_MS:
		check_time(v, label(p), val, p->vt == VT_TIME_MS ? 3 : 0);
		break;
	case VT_REF:
		check_ref(v, label(p), val, p->arg);
		break;
	case VT_HASHES:
		check_hashes(v, p, val, rule);
		break;
	case VT_DICT:
		check_dict(v, p, val, rule);
		break;
	case VT_HEX:
		check_string(v, label(p), val, rule, cirt_stix_hex_valid,
			     "an even number of hex digits");
		break;
	case VT_BIN:
		check_string(v, label(p), val, rule, cirt_stix_base64_valid,
			     "base64 (RFC 4648)");
		break;
	case VT_ENUM:
	case VT_OV:
		check_vocab(v, p, val, rule);
		break;
	case VT_OBJ:
		cirt_stix_check_schema(v, val, p->arg, rule);
		break;
	case VT_LANG:
		check_string(v, label(p), val, rule, cirt_stix_lang_valid,
			     "an RFC 5646 language tag");
		break;
	case VT_URL:
		check_string(v, label(p), val, rule, cirt_stix_url_valid,
			     "a URL (RFC 3986)");
		break;
	case VT_CPE:
		check_string(v, label(p), val, rule, cirt_stix_cpe_valid,
			     "a CPE 2.3 formatted string");
		break;
	default:
		break;
	}
}

void cirt_stix_check_value(struct cirt_stix_v *v,
			   const struct cirt_stix_prop *p, json_t *val,
			   const char *rule)
{
	json_t *el;
	size_t i, l;

	if (!(p->flags & P_LIST)) {
		check_scalar(v, p, val, rule);
		return;
	}
	if (!json_is_array(val)) {
		cirt_stix_vfind(v, rule, "%s must be a list", label(p));
		return;
	}
	if (json_array_size(val) == 0)
		cirt_stix_vfind(v, "STIX-08", "%s must not be an empty list",
				label(p));
	json_array_foreach (val, i, el) {
		if (cirt_stix_full(v))
			break;
		l = cirt_stix_path_idx(v, i);
		check_scalar(v, p, el, rule);
		cirt_stix_path_pop(v, l);
	}
}

void cirt_stix_check_order(struct cirt_stix_v *v, json_t *obj, const char *a,
			   const char *b, bool strict)
{
	const char *ta = json_string_value(json_object_get(obj, a));
	const char *tb = json_string_value(json_object_get(obj, b));
	struct cirt_timestamp xa, xb;
	int c;
	size_t l;

	if (ta == NULL || tb == NULL ||
	    cirt_time_parse(ta, strlen(ta), &xa, NULL) < 0 ||
	    cirt_time_parse(tb, strlen(tb), &xb, NULL) < 0)
		return;
	c = strcmp(xb.key, xa.key);
	if (c > 0 || (c == 0 && !strict))
		return;
	l = cirt_stix_path_key(v, b);
	cirt_stix_vfind(v, "STIX-06", "%s must be %s %s", b,
			strict ? "later than" : "equal to or later than", a);
	cirt_stix_path_pop(v, l);
}

/* ---- members of an object ------------------------------------------- */

static const struct cirt_stix_prop *find_prop(const struct cirt_stix_schema *s,
					      const char *key)
{
	for (size_t i = 0; s && i < s->nprops; i++)
		if (s->props[i].name[0] == key[0] &&
		    strcmp(s->props[i].name, key) == 0)
			return &s->props[i];
	return NULL;
}

/* A member no table knows: a custom property (section 11.1). Its name
 * must follow section 3.1 and its suffix says its type (section 2). */
static void check_custom(struct cirt_stix_v *v, const char *key, json_t *val)
{
	static const struct cirt_stix_prop refs = {"", VT_REF, P_LIST, NULL};
	size_t n = strlen(key);

	if (!cirt_stix_prop_name_ok(key)) {
		cirt_stix_vfind(v, "STIX-02",
				"property name '%.64s' must be 3 to 250 "
				"characters of a-z, 0-9 and '_', starting with "
				"a letter",
				key);
		return;
	}
	if (ends_with(key, n, "_bin"))
		check_string(v, key, val, "STIX-05", cirt_stix_base64_valid,
			     "base64 (RFC 4648), as its _bin suffix says");
	else if (ends_with(key, n, "_hex"))
		check_string(v, key, val, "STIX-05", cirt_stix_hex_valid,
			     "hex digits, as its _hex suffix says");
	else if (ends_with(key, n, "_ref"))
		check_ref(v, key, val, NULL);
	else if (ends_with(key, n, "_refs"))
		cirt_stix_check_value(v, &refs, val, "STIX-01");
	else if (json_is_array(val) && json_array_size(val) == 0)
		cirt_stix_vfind(v, "STIX-08", "%s must not be an empty list",
				key);
}

/* Section 2: an _enc property needs its base property. */
static void check_enc(struct cirt_stix_v *v, json_t *obj, const char *key)
{
	size_t n = strlen(key);

	if (ends_with(key, n, "_enc") && n > 4 &&
	    json_object_getn(obj, key, n - 4) == NULL)
		cirt_stix_vfind(v, "STIX-02",
				"%s must not be present without %.*s", key,
				(int)(n - 4), key);
}

/* Missing required properties and the "at least one" rule of s. */
static void check_required(struct cirt_stix_v *v, json_t *obj,
			   const struct cirt_stix_schema *s, const char *rule)
{
	bool any = false;

	for (size_t i = 0; i < s->nprops; i++) {
		if (json_object_get(obj, s->props[i].name)) {
			any = true;
			continue;
		}
		if (s->props[i].flags & P_REQ)
			cirt_stix_vfind(v, rule, "%s is required in a %s",
					s->props[i].name, s->name);
	}
	if ((s->flags & S_ANY1) && !any && !json_object_get(obj, "extensions"))
		cirt_stix_vfind(v, rule,
				"a %s needs at least one of its own properties",
				s->name);
}

void cirt_stix_check_schema(struct cirt_stix_v *v, json_t *obj,
			    const struct cirt_stix_schema *s, const char *rule)
{
	const struct cirt_stix_prop *p;
	const char *key;
	json_t *val;
	size_t l;

	if (!json_is_object(obj)) {
		cirt_stix_vfind(v, rule, "a %s must be an object", s->name);
		return;
	}
	json_object_foreach (obj, key, val) {
		if (cirt_stix_full(v))
			return;
		l = cirt_stix_path_key(v, key);
		p = find_prop(s, key);
		if (p)
			cirt_stix_check_value(v, p, val, rule);
		else
			check_custom(v, key, val);
		check_enc(v, obj, key);
		cirt_stix_path_pop(v, l);
	}
	check_required(v, obj, s, rule);
	if (s->check && !cirt_stix_full(v))
		s->check(v, obj);
}

/* ---- common properties (section 3.2) --------------------------------- */

static const struct cirt_stix_refs t_identity = {
	0, (const char *const[]){"identity", NULL}};
static const struct cirt_stix_refs t_marking = {
	0, (const char *const[]){"marking-definition", NULL}};
static const struct cirt_stix_irange r_confidence = {0, 100};

/* The common properties; a category in neither req nor opt must not
 * have it (the "-" cells of the table of standards.md 1.2). */
/* Indexes in commons[] of the entries the engine checks itself. */
enum {
	C_MARKINGS = 11,
	C_GRANULAR = 12,
	C_EXTENSIONS = 14
};

static const struct common {
	struct cirt_stix_prop p;
	unsigned req;
	unsigned opt;
	const char *rule;
} commons[] = {
	{{"type", VT_SPECIAL, 0, NULL}, ALL_CATS, 0, "STIX-04"},
	{{"spec_version", VT_SPECIAL, 0, NULL},
	 CAT_SDO | CAT_SRO | CAT_SMO,
	 CAT_SCO,
	 "STIX-04"},
	{{"id", VT_SPECIAL, 0, NULL}, ALL_CATS, 0, "STIX-01"},
	{{"created_by_ref", VT_REF, 0, &t_identity},
	 CAT_ED,
	 CAT_SDO | CAT_SRO | CAT_LC | CAT_MD,
	 "STIX-04"},
	{{"created", VT_TIME_MS, 0, NULL},
	 CAT_SDO | CAT_SRO | CAT_SMO,
	 0,
	 "STIX-04"},
	{{"modified", VT_TIME_MS, 0, NULL},
	 CAT_SDO | CAT_SRO | CAT_LC | CAT_ED,
	 0,
	 "STIX-04"},
	{{"revoked", VT_BOOL, 0, NULL},
	 0,
	 CAT_SDO | CAT_SRO | CAT_LC | CAT_ED,
	 "STIX-04"},
	{{"labels", VT_STR, P_LIST, NULL},
	 0,
	 CAT_SDO | CAT_SRO | CAT_LC | CAT_ED,
	 "STIX-04"},
	{{"confidence", VT_INT, 0, &r_confidence},
	 0,
	 CAT_SDO | CAT_SRO | CAT_LC,
	 "STIX-07"},
	{{"lang", VT_LANG, 0, NULL}, 0, CAT_SDO | CAT_SRO, "STIX-04"},
	{{"external_references", VT_OBJ, P_LIST, &cirt_stix_external_reference},
	 0,
	 CAT_SDO | CAT_SRO | CAT_SMO,
	 "STIX-09"},
	{{"object_marking_refs", VT_REF, P_LIST, &t_marking},
	 0,
	 ALL_CATS,
	 "STIX-14"},
	{{"granular_markings", VT_SPECIAL, 0, NULL}, 0, ALL_CATS, "STIX-14"},
	{{"defanged", VT_BOOL, 0, NULL}, 0, CAT_SCO, "STIX-04"},
	{{"extensions", VT_SPECIAL, 0, NULL},
	 0,
	 CAT_SDO | CAT_SRO | CAT_SCO | CAT_LC | CAT_MD,
	 "STIX-16"},
};

static const struct common *find_common(const char *key)
{
	for (size_t i = 0; i < CIRT_ARRAY_LEN(commons); i++)
		if (commons[i].p.name[0] == key[0] &&
		    strcmp(commons[i].p.name, key) == 0)
			return &commons[i];
	return NULL;
}

static const char *cat_name(unsigned cat)
{
	switch (cat) {
	case CAT_SDO:
		return "domain object (SDO)";
	case CAT_SRO:
		return "relationship object (SRO)";
	case CAT_SCO:
		return "cyber-observable object (SCO)";
	case CAT_LC:
		return "language-content";
	case CAT_MD:
		return "marking-definition";
	case CAT_ED:
		return "extension-definition";
	default:
		return "STIX object";
	}
}

/* ---- markings (section 7.2, STIX-14) ---------------------------------- */

/* A selector (section 7.2.3.1) names content present in obj: property
 * names or dictionary keys and "[n]" list indexes, joined by '.'. */
static bool selector_resolves(json_t *obj, const char *sel)
{
	json_t *cur = obj;
	const char *p = sel, *e;
	size_t n, idx;

	for (;;) {
		e = strchr(p, '.');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0)
			return false;
		if (p[0] == '[') {
			if (n < 3 || n > 11 || p[n - 1] != ']' ||
			    !json_is_array(cur))
				return false;
			idx = 0;
			for (size_t i = 1; i < n - 1; i++) {
				if (p[i] < '0' || p[i] > '9')
					return false;
				idx = idx * 10 + (size_t)(p[i] - '0');
			}
			cur = json_array_get(cur, idx);
		} else {
			cur = json_is_object(cur) ? json_object_getn(cur, p, n)
						  : NULL;
		}
		if (cur == NULL)
			return false;
		if (e == NULL)
			return true;
		p = e + 1;
	}
}

static void check_selectors(struct cirt_stix_v *v, json_t *sel)
{
	json_t *s;
	size_t i, l;

	if (!json_is_array(sel) || json_array_size(sel) == 0) {
		cirt_stix_vfind(v, "STIX-14",
				"selectors must be a non-empty list");
		return;
	}
	json_array_foreach (sel, i, s) {
		if (cirt_stix_full(v))
			break;
		l = cirt_stix_path_idx(v, i);
		if (!json_is_string(s) ||
		    !selector_resolves(v->obj, json_string_value(s)))
			cirt_stix_vfind(
				v, "STIX-14",
				"each selector must name content present "
				"in the object");
		cirt_stix_path_pop(v, l);
	}
}

static void check_granular_one(struct cirt_stix_v *v, json_t *g)
{
	static const struct cirt_stix_prop mref = {"marking_ref", VT_REF, 0,
						   &t_marking};
	static const struct cirt_stix_prop lang = {"lang", VT_LANG, 0, NULL};
	json_t *sel = json_object_get(g, "selectors");
	json_t *m = json_object_get(g, "marking_ref");
	json_t *lg = json_object_get(g, "lang");
	size_t l;

	if (!json_is_object(g)) {
		cirt_stix_vfind(v, "STIX-14",
				"each granular marking must be an object");
		return;
	}
	if ((m == NULL) == (lg == NULL))
		cirt_stix_vfind(v, "STIX-14",
				"a granular marking needs exactly one of "
				"marking_ref and lang");
	l = cirt_stix_path_key(v, "selectors");
	check_selectors(v, sel);
	cirt_stix_path_pop(v, l);
	if (m) {
		l = cirt_stix_path_key(v, "marking_ref");
		cirt_stix_check_value(v, &mref, m, "STIX-14");
		if (json_is_string(m) &&
		    strcmp(json_string_value(m), v->id) == 0)
			cirt_stix_vfind(
				v, "STIX-14",
				"marking_ref must not refer to the object "
				"itself");
		cirt_stix_path_pop(v, l);
	}
	if (lg) {
		l = cirt_stix_path_key(v, "lang");
		cirt_stix_check_value(v, &lang, lg, "STIX-14");
		cirt_stix_path_pop(v, l);
	}
}

static void check_granular(struct cirt_stix_v *v, json_t *val)
{
	json_t *g;
	size_t i, l;

	if (!json_is_array(val) || json_array_size(val) == 0) {
		cirt_stix_vfind(v, json_is_array(val) ? "STIX-08" : "STIX-14",
				"granular_markings must be a non-empty list");
		return;
	}
	json_array_foreach (val, i, g) {
		if (cirt_stix_full(v))
			break;
		l = cirt_stix_path_idx(v, i);
		check_granular_one(v, g);
		cirt_stix_path_pop(v, l);
	}
}

static void check_object_markings(struct cirt_stix_v *v, json_t *val)
{
	json_t *m;
	size_t i, l;

	json_array_foreach (val, i, m) {
		if (json_is_string(m) &&
		    strcmp(json_string_value(m), v->id) == 0) {
			l = cirt_stix_path_idx(v, i);
			cirt_stix_vfind(v, "STIX-14",
					"object_marking_refs must not refer to "
					"the object itself");
			cirt_stix_path_pop(v, l);
		}
	}
}

/* ---- extensions (section 7.3, STIX-16) --------------------------------- */

static bool is_ext_def_key(const char *key)
{
	return strncmp(key, "extension-definition--", 22) == 0;
}

/* The members of an extension-definition's extension: property names. */
static void check_ext_names(struct cirt_stix_v *v, json_t *e)
{
	const char *key;
	json_t *val;
	size_t l;

	json_object_foreach (e, key, val) {
		if (cirt_stix_full(v))
			break;
		if (strcmp(key, "extension_type") == 0)
			continue;
		l = cirt_stix_path_key(v, key);
		check_custom(v, key, val);
		cirt_stix_path_pop(v, l);
	}
}

static void check_ext_def(struct cirt_stix_v *v, const char *key, json_t *e)
{
	const char *et =
		json_string_value(json_object_get(e, "extension_type"));
	size_t l;

	if (!cirt_stix_id_valid(key, strlen(key), NULL)) {
		cirt_stix_vfind(v, "STIX-16",
				"an extension key must be an "
				"extension-definition identifier or a name "
				"ending in -ext");
		return;
	}
	l = cirt_stix_path_key(v, "extension_type");
	if (et == NULL)
		cirt_stix_vfind(v, "STIX-16",
				"extension_type is required in an extension "
				"keyed by an extension-definition id");
	else if (!cirt_stix_vocab_has(&cirt_stix_extension_type_enum, et))
		cirt_stix_vfind(v, "STIX-16",
				"extension_type must be one of the values of "
				"extension-type-enum");
	else if (strncmp(et, "new-", 4) == 0 && v->t != NULL)
		cirt_stix_vfind(v, "STIX-16",
				"%s is a STIX 2.1 type, so no extension may "
				"define it as a new type (%s)",
				v->type, et);
	cirt_stix_path_pop(v, l);
	check_ext_names(v, e);
}

static void check_extension(struct cirt_stix_v *v, const char *key, json_t *e)
{
	const struct cirt_stix_schema *s;
	size_t n = strlen(key);

	if (!json_is_object(e) || json_object_size(e) == 0) {
		cirt_stix_vfind(v, "STIX-16",
				"each extension must be a non-empty object");
		return;
	}
	if (is_ext_def_key(key)) {
		check_ext_def(v, key, e);
		return;
	}
	if (!ends_with(key, n, "-ext") || !type_name_ok(key, n)) {
		cirt_stix_vfind(v, "STIX-16",
				"an extension key must be an "
				"extension-definition identifier or a name "
				"ending in -ext");
		return;
	}
	s = v->v20 ? NULL : cirt_stix_type_ext(v->t, key);
	if (s)
		cirt_stix_check_schema(v, e, s, "STIX-05");
	else
		check_ext_names(v, e);
}

static void check_extensions(struct cirt_stix_v *v, json_t *val)
{
	const char *key;
	json_t *e;
	size_t l;

	if (!json_is_object(val)) {
		cirt_stix_vfind(v, "STIX-16",
				"extensions must be a dictionary");
		return;
	}
	if (json_object_size(val) == 0)
		cirt_stix_vfind(v, "STIX-08",
				"extensions must not be an empty dictionary");
	json_object_foreach (val, key, e) {
		if (cirt_stix_full(v))
			break;
		l = cirt_stix_path_key(v, key);
		check_extension(v, key, e);
		cirt_stix_path_pop(v, l);
	}
}

/* The category a custom type declares through an extension ("new-sdo",
 * "new-sco", "new-sro"), or 0. */
static unsigned declared_cat(json_t *obj)
{
	json_t *exts = json_object_get(obj, "extensions");
	const char *key, *et;
	json_t *e;

	json_object_foreach (exts, key, e) {
		et = json_string_value(json_object_get(e, "extension_type"));
		if (et == NULL || !is_ext_def_key(key))
			continue;
		if (strcmp(et, "new-sdo") == 0)
			return CAT_SDO;
		if (strcmp(et, "new-sco") == 0)
			return CAT_SCO;
		if (strcmp(et, "new-sro") == 0)
			return CAT_SRO;
	}
	return 0;
}

/* ---- the top level ---------------------------------------------------- */

static void check_common(struct cirt_stix_v *v, const struct common *c,
			 json_t *val)
{
	if (!v->v20 && !((c->req | c->opt) & v->cat)) {
		if (v->cat == CAT_MD && strcmp(c->p.name, "modified") == 0)
			cirt_stix_vfind(
				v, "STIX-13",
				"a marking-definition has no modified: "
				"marking-definitions are not versioned");
		else
			cirt_stix_vfind(v, "STIX-04",
					"%s is not a property of a %s",
					c->p.name, cat_name(v->cat));
		return;
	}
	if (c == &commons[C_GRANULAR])
		check_granular(v, val);
	else if (c == &commons[C_EXTENSIONS])
		check_extensions(v, val);
	else if (c->p.vt != VT_SPECIAL)
		cirt_stix_check_value(v, &c->p, val, c->rule);
	if (c == &commons[C_MARKINGS])
		check_object_markings(v, val);
}

static void check_member(struct cirt_stix_v *v, const char *key, json_t *val)
{
	const struct common *c;
	const struct cirt_stix_prop *p = NULL;

	if (reserved(key)) {
		cirt_stix_vfind(v, "STIX-02", "%s is a reserved property name",
				key);
		return;
	}
	c = find_common(key);
	if (c) {
		check_common(v, c, val);
		return;
	}
	if (v->t)
		p = find_prop(v->t->schema, key);
	/* STIX 2.0 objects: only the timestamps of the 2.1 tables apply. */
	if (p && v->v20 && p->vt != VT_TIME)
		p = NULL;
	if (p)
		cirt_stix_check_value(v, p, val, "STIX-05");
	else
		check_custom(v, key, val);
}

/* Required common properties of the category; 2.0 objects need type,
 * id, created and (but marking-definitions) modified. */
static void check_common_required(struct cirt_stix_v *v)
{
	for (size_t i = 0; i < CIRT_ARRAY_LEN(commons); i++) {
		const struct common *c = &commons[i];

		if (!(c->req & v->cat) || json_object_get(v->obj, c->p.name))
			continue;
		if (v->v20 && (strcmp(c->p.name, "spec_version") == 0 ||
			       strcmp(c->p.name, "created_by_ref") == 0))
			continue;
		cirt_stix_vfind(v, "STIX-04", "%s is required in a %s",
				c->p.name, cat_name(v->cat));
	}
}

/* STIX-11: process and SCOs with none of their ID contributing
 * properties have a UUIDv4 id (STIX 2.1 section 2.9). */
static void check_sco_id(struct cirt_stix_v *v)
{
	const char *const *props = cirt_stix_id_contributing(v->type);
	int ver = cirt_stix_id_uuid_version(v->id, strlen(v->id));
	size_t l;

	if (props == NULL || ver == 0 || ver == 4)
		return;
	for (size_t i = 0; props[i]; i++)
		if (json_object_get(v->obj, props[i]))
			return;
	l = cirt_stix_path_key(v, "id");
	if (props[0] == NULL)
		cirt_stix_vfind(v, "STIX-11",
				"the id of a process must be a "
				"UUIDv4");
	else
		cirt_stix_vfind(v, "STIX-11",
				"the id of a %s without any of its ID "
				"contributing properties must be a UUIDv4",
				v->type);
	cirt_stix_path_pop(v, l);
}

static int classify_fail(struct cirt_stix_v *v, const char *key,
			 const char *rule, const char *msg)
{
	size_t l = cirt_stix_path_key(v, key);

	cirt_stix_vfind(v, rule, "%s", msg);
	cirt_stix_path_pop(v, l);
	return -CIRT_EINVAL;
}

/* type and id (STIX-01, STIX-02), the spec version and the category. A
 * failure here stops the validation: nothing else can be judged. */
static int classify(struct cirt_stix_v *v)
{
	json_t *t = json_object_get(v->obj, "type");
	json_t *id = json_object_get(v->obj, "id");
	json_t *sv = json_object_get(v->obj, "spec_version");
	size_t tn = json_string_length(t), tl = 0;

	if (!json_is_string(t))
		return classify_fail(v, "type", "STIX-04",
				     "type is required and must be a string");
	v->type = json_string_value(t);
	if (strcmp(v->type, "bundle") == 0)
		return classify_fail(v, "type", "STIX-15",
				     "a bundle is not a STIX object: validate "
				     "the objects it holds");
	if (!type_name_ok(v->type, tn) || strcmp(v->type, "action") == 0)
		return classify_fail(v, "type", "STIX-02",
				     "type must be 3 to 250 characters of a-z, "
				     "0-9 and single '-', starting with a "
				     "letter, and not a reserved name");
	if (!json_is_string(id))
		return classify_fail(v, "id", "STIX-01",
				     "id is required and must be a string");
	v->id = json_string_value(id);
	if (!cirt_stix_id_valid(v->id, json_string_length(id), &tl))
		classify_fail(v, "id", "STIX-01",
			      "id must be <type>--<RFC 4122 UUID>");
	else if (tl != tn || memcmp(v->id, v->type, tn) != 0)
		classify_fail(v, "id", "STIX-01",
			      "the type part of id must equal type");
	v->t = cirt_stix_type_find(v->type, tn);
	if (sv &&
	    !(json_is_string(sv) && strcmp(json_string_value(sv), "2.1") == 0))
		classify_fail(v, "spec_version", "STIX-04",
			      "spec_version must be \"2.1\"");
	if (v->t) {
		v->cat = v->t->cat;
	} else {
		v->cat = declared_cat(v->obj);
		if (v->cat == 0)
			v->cat = json_object_get(v->obj, "created") ||
						 json_object_get(v->obj,
								 "modified")
					 ? CAT_SDO
					 : CAT_SCO;
	}
	/* No spec_version: STIX 2.0, except on SCOs, where 2.1 is the
	 * default (section 3.2). */
	v->v20 = sv == NULL && v->cat != CAT_SCO;
	return 0;
}

/* Does obj have a member that is not a common property? */
static bool custom_content(json_t *obj)
{
	const char *key;
	json_t *val;

	json_object_foreach (obj, key, val)
		if (find_common(key) == NULL)
			return true;
	return false;
}

static void check_top(struct cirt_stix_v *v)
{
	const char *key;
	json_t *val;
	size_t l;

	json_object_foreach (v->obj, key, val) {
		if (cirt_stix_full(v))
			return;
		l = cirt_stix_path_key(v, key);
		check_member(v, key, val);
		check_enc(v, v->obj, key);
		cirt_stix_path_pop(v, l);
	}
	check_common_required(v);
	if (v->cat & (CAT_SDO | CAT_SRO | CAT_LC | CAT_ED))
		cirt_stix_check_order(v, v->obj, "created", "modified", false);
	if (v->t && v->v20 && v->cat == CAT_MD && v->t->schema->check)
		v->t->schema->check(v, v->obj);
	if (v->t == NULL && v->cat == CAT_SCO && !custom_content(v->obj))
		cirt_stix_vfind(v, "STIX-05",
				"a custom cyber-observable needs at least one "
				"property of its own");
	if (v->t == NULL || v->v20 || cirt_stix_full(v))
		return;
	check_required(v, v->obj, v->t->schema, "STIX-05");
	if (v->t->schema->check && !cirt_stix_full(v))
		v->t->schema->check(v, v->obj);
	if (v->cat == CAT_SCO)
		check_sco_id(v);
}

/* ---- meta --------------------------------------------------------------- */

static void copy(char *dst, size_t cap, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s ? s : "", n);
	dst[n] = '\0';
}

static const char *member(json_t *obj, const char *name)
{
	return json_string_value(json_object_get(obj, name));
}

static enum cirt_tlp tlp_of(json_t *obj)
{
	enum cirt_tlp tlp = CIRT_TLP_NONE;
	json_t *m;
	size_t i;

	json_array_foreach (json_object_get(obj, "object_marking_refs"), i, m)
		if (json_is_string(m))
			tlp = cirt_tlp_max(
				tlp, cirt_tlp_of_marking(json_string_value(m)));
	json_array_foreach (json_object_get(obj, "granular_markings"), i, m) {
		const char *r = member(m, "marking_ref");

		if (r)
			tlp = cirt_tlp_max(tlp, cirt_tlp_of_marking(r));
	}
	return tlp;
}

static void fill_meta(struct cirt_stix_v *v, struct cirt_stix_meta *meta)
{
	const char *created = member(v->obj, "created");
	const char *modified = member(v->obj, "modified");

	copy(meta->type, sizeof(meta->type), v->type);
	copy(meta->id, sizeof(meta->id), v->id);
	copy(meta->spec_version, sizeof(meta->spec_version),
	     v->v20 ? "2.0" : "2.1");
	copy(meta->created, sizeof(meta->created), created);
	copy(meta->modified, sizeof(meta->modified), modified);
	copy(meta->version, sizeof(meta->version),
	     modified ? modified : created);
	copy(meta->created_by_ref, sizeof(meta->created_by_ref),
	     member(v->obj, "created_by_ref"));
	meta->tlp = tlp_of(v->obj);
	meta->revoked = json_is_true(json_object_get(v->obj, "revoked"));
}

static void v_init(struct cirt_stix_v *v, json_t *obj,
		   struct cirt_stix_findings *out)
{
	v->out = out;
	v->obj = obj;
	v->type = "";
	v->t = NULL;
	v->cat = 0;
	v->v20 = false;
	v->id = "";
	v->path[0] = '$';
	v->path[1] = '\0';
	v->plen = 1;
}

int cirt_stix_validate(json_t *obj, struct cirt_stix_meta *meta,
		       struct cirt_stix_findings *out)
{
	struct cirt_stix_v v;

	/* Not cirt_stix_findings_init(): clearing the 9 KiB of unused
	 * entries would cost more than validating most objects. */
	out->n = 0;
	out->total = 0;
	memset(meta, 0, sizeof(*meta));
	meta->tlp = CIRT_TLP_NONE;
	if (!json_is_object(obj))
		return cirt_stix_find(out, "$", "STIX-04",
				      "a STIX object must be a JSON object");
	v_init(&v, obj, out);
	if (classify(&v) < 0)
		return -CIRT_EINVAL;
	check_top(&v);
	fill_meta(&v, meta);
	return out->total ? -CIRT_EINVAL : 0;
}

/* ---- bundles (section 8, STIX-15) ----------------------------------------- */

int cirt_stix_validate_bundle(json_t *hdr, size_t nobjects,
			      struct cirt_stix_findings *out)
{
	json_t *objects = json_object_get(hdr, "objects");
	const char *type = member(hdr, "type"), *id = member(hdr, "id");
	const char *sv = member(hdr, "spec_version");
	size_t tl = 0;

	(void)nobjects; /* 0 means objects was absent, which is legal */
	cirt_stix_findings_init(out);
	if (!json_is_object(hdr))
		return cirt_stix_find(out, "$", "STIX-15",
				      "a bundle must be a JSON object");
	if (type == NULL || strcmp(type, "bundle") != 0)
		cirt_stix_find(out, "$.type", "STIX-15",
			       "type of a bundle must be \"bundle\"");
	if (id == NULL || !cirt_stix_id_valid(id, strlen(id), &tl) || tl != 6 ||
	    memcmp(id, "bundle", 6) != 0)
		cirt_stix_find(out, "$.id", "STIX-15",
			       "id of a bundle is required and must be "
			       "bundle--<RFC 4122 UUID>");
	if (objects &&
	    (!json_is_array(objects) || json_array_size(objects) == 0))
		cirt_stix_find(out, "$.objects", "STIX-15",
			       "objects must be a non-empty list when present");
	if (json_object_get(hdr, "spec_version") &&
	    !(sv && strcmp(sv, "2.0") == 0))
		cirt_stix_find(out, "$.spec_version", "STIX-15",
			       "a STIX 2.1 bundle has no spec_version (only "
			       "STIX 2.0 bundles carry \"2.0\")");
	if (json_object_get(hdr, "created") || json_object_get(hdr, "modified"))
		cirt_stix_find(out, "$", "STIX-15",
			       "a bundle has no created or modified");
	return out->total ? -CIRT_EINVAL : 0;
}
