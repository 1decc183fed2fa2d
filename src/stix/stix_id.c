/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX identifiers, JCS and deterministic SCO ids. See
 * stix/stix_id.h.
 *
 * Design: the id check is a single pass over the characters (no regex),
 * since every object and every reference goes through it. JCS is only
 * used to make SCO ids, so it favours plain code over speed: keys are
 * sorted with qsort and numbers found by trying 1 to 17 significant
 * digits until one reads back as the same double, which gives the
 * shortest round-trip form that ECMAScript's Number::toString prints.
 *
 * RFC 4122, RFC 8785, STIX 2.1 section 2.9, standards.md 1.4.
 */
#include "stix/stix_id.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/uuid.h"
#include "core/mem.h"
#include "core/banned.h"

/* Largest name of a deterministic id (the JCS of the contributing
 * properties); an SCO bigger than this is refused, not hashed. */
#define SCO_NAME_MAX (1u << 20)

static bool id_type_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

bool cirt_stix_id_valid(const char *id, size_t len, size_t *type_len)
{
	const char *u;
	size_t tl;
	unsigned char b[16];

	if (len < 3 + 2 + CIRT_UUID_LEN || len > CIRT_STIX_ID_MAX)
		return false;
	tl = len - 2 - CIRT_UUID_LEN;
	u = id + tl + 2;
	if (id[tl] != '-' || id[tl + 1] != '-')
		return false;
	if (id[0] < 'a' || id[0] > 'z' || id[tl - 1] == '-')
		return false;
	for (size_t i = 1; i < tl; i++)
		if (!id_type_char(id[i]))
			return false;
	if (cirt_uuid_parse(u, CIRT_UUID_LEN, b) < 0)
		return false;
	/* RFC 4122: version 1 to 5 and the variant bits 10. */
	if ((b[6] >> 4) < 1 || (b[6] >> 4) > 5 || (b[8] & 0xc0) != 0x80)
		return false;
	if (type_len)
		*type_len = tl;
	return true;
}

int cirt_stix_id_uuid_version(const char *id, size_t len)
{
	unsigned char b[16];

	if (!cirt_stix_id_valid(id, len, NULL))
		return 0;
	(void)cirt_uuid_parse(id + len - CIRT_UUID_LEN, CIRT_UUID_LEN, b);
	return b[6] >> 4;
}

/* ---- RFC 8785 ---------------------------------------------------- */

/* RFC 8785 section 3.2.2.2: the short escapes, other controls as \u00xx
 * in lower case, everything else (DEL and non-ASCII too) as it is. */
static int jcs_string(const char *s, size_t len, struct cirt_buf *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t start = 0;
	char esc[7];
	int rc = cirt_buf_add(out, "\"", 1);

	for (size_t i = 0; rc == 0 && i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		rc = cirt_buf_add(out, s + start, i - start);
		if (rc < 0)
			break;
		start = i + 1;
		esc[0] = '\\';
		esc[2] = '\0';
		switch (c) {
		case '"':
			esc[1] = '"';
			break;
		case '\\':
			esc[1] = '\\';
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\t':
			esc[1] = 't';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0x0f];
			esc[6] = '\0';
			break;
		}
		rc = cirt_buf_adds(out, esc);
	}
	if (rc == 0)
		rc = cirt_buf_add(out, s + start, len - start);
	if (rc == 0)
		rc = cirt_buf_add(out, "\"", 1);
	return rc;
}

/* Shortest digits d1..dk and exponent n such that x = 0.d1..dk * 10^n
 * reads back as x (x finite and > 0). */
static void shortest(double x, char dig[24], int *k, int *n)
{
	char buf[40];
	const char *e;
	int j = 0;

	for (int p = 1; p <= 17; p++) {
		snprintf(buf, sizeof(buf), "%.*e", p - 1, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	/* buf is "d.ddde+XX" (the point may be another character). */
	e = strchr(buf, 'e');
	for (const char *c = buf; c < e; c++)
		if (*c >= '0' && *c <= '9')
			dig[j++] = *c;
	while (j > 1 && dig[j - 1] == '0')
		j--;
	dig[j] = '\0';
	*k = j;
	*n = (int)strtol(e + 1, NULL, 10) + 1;
}

/* ECMA-262 Number::toString(x) for a finite double (RFC 8785 3.2.2.3). */
static int jcs_double(double x, struct cirt_buf *out)
{
	char dig[24];
	int k, n, rc = 0;

	if (!isfinite(x))
		return -CIRT_EINVAL;
	if (x == 0)
		return cirt_buf_add(out, "0", 1);
	if (x < 0) {
		rc = cirt_buf_add(out, "-", 1);
		x = -x;
	}
	if (rc < 0)
		return rc;
	shortest(x, dig, &k, &n);
	if (k <= n && n <= 21) {
		rc = cirt_buf_add(out, dig, (size_t)k);
		for (int i = k; rc == 0 && i < n; i++)
			rc = cirt_buf_add(out, "0", 1);
		return rc;
	}
	if (n > 0 && n <= 21)
		return cirt_buf_addf(out, "%.*s.%s", n, dig, dig + n);
	if (n > -6 && n <= 0) {
		rc = cirt_buf_add(out, "0.", 2);
		for (int i = 0; rc == 0 && i < -n; i++)
			rc = cirt_buf_add(out, "0", 1);
		return rc < 0 ? rc : cirt_buf_add(out, dig, (size_t)k);
	}
	if (k == 1)
		return cirt_buf_addf(out, "%ce%c%d", dig[0],
				     n - 1 >= 0 ? '+' : '-', abs(n - 1));
	return cirt_buf_addf(out, "%c.%se%c%d", dig[0], dig + 1,
			     n - 1 >= 0 ? '+' : '-', abs(n - 1));
}

static int jcs_integer(json_int_t i, struct cirt_buf *out)
{
	/* Beyond 2^53 a JSON number is a double to ECMAScript. */
	if (i > (INT64_C(1) << 53) || i < -(INT64_C(1) << 53))
		return jcs_double((double)i, out);
	return cirt_buf_addf(out, "%lld", (long long)i);
}

/* The next UTF-16 code unit of a UTF-8 string (valid, as jansson keeps
 * only valid UTF-8); *pend holds a pending low surrogate. */
static unsigned next_unit(const unsigned char **p, unsigned *pend)
{
	const unsigned char *s = *p;
	unsigned cp;

	if (*pend) {
		cp = *pend;
		*pend = 0;
		return cp;
	}
	if (s[0] < 0x80) {
		cp = s[0];
		*p += 1;
	} else if (s[0] < 0xe0) {
		cp = (s[0] & 0x1fu) << 6 | (s[1] & 0x3fu);
		*p += 2;
	} else if (s[0] < 0xf0) {
		cp = (s[0] & 0x0fu) << 12 | (s[1] & 0x3fu) << 6 |
		     (s[2] & 0x3fu);
		*p += 3;
	} else {
		cp = (s[0] & 0x07u) << 18 | (s[1] & 0x3fu) << 12 |
		     (s[2] & 0x3fu) << 6 | (s[3] & 0x3fu);
		*p += 4;
	}
	if (cp < 0x10000)
		return cp;
	cp -= 0x10000;
	*pend = 0xdc00 + (cp & 0x3ff);
	return 0xd800 + (cp >> 10);
}

/* RFC 8785 3.2.3: member names sorted by their UTF-16 code units. */
static int utf16_cmp(const void *a, const void *b)
{
	const unsigned char *p = *(const unsigned char *const *)a;
	const unsigned char *q = *(const unsigned char *const *)b;
	unsigned pa = 0, pb = 0, ua, ub;

	for (;;) {
		if ((*p == 0 && pa == 0) || (*q == 0 && pb == 0))
			return (*p != 0 || pa != 0) - (*q != 0 || pb != 0);
		ua = next_unit(&p, &pa);
		ub = next_unit(&q, &pb);
		if (ua != ub)
			return ua < ub ? -1 : 1;
	}
}

static int jcs_value(const json_t *v, struct cirt_buf *out, int depth);

static int jcs_object(const json_t *v, struct cirt_buf *out, int depth)
{
	size_t n = json_object_size(v), i = 0;
	const char **keys;
	const char *key;
	json_t *child;
	int rc;

	keys = cirt_xcalloc(n ? n : 1, sizeof(*keys));
	json_object_foreach ((json_t *)(uintptr_t)v, key, child)
		keys[i++] = key;
	qsort(keys, n, sizeof(*keys), utf16_cmp);
	rc = cirt_buf_add(out, "{", 1);
	for (i = 0; rc == 0 && i < n; i++) {
		if (i > 0)
			rc = cirt_buf_add(out, ",", 1);
		if (rc == 0)
			rc = jcs_string(keys[i], strlen(keys[i]), out);
		if (rc == 0)
			rc = cirt_buf_add(out, ":", 1);
		if (rc == 0)
			rc = jcs_value(json_object_get(v, keys[i]), out,
				       depth + 1);
	}
	free(keys);
	if (rc == 0)
		rc = cirt_buf_add(out, "}", 1);
	return rc;
}

static int jcs_value(const json_t *v, struct cirt_buf *out, int depth)
{
	int rc;

	if (depth > CIRT_STIX_JCS_DEPTH_MAX) {
		cirt_buf_release(out);
		return -CIRT_ELIMIT;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return jcs_object(v, out, depth);
	case JSON_ARRAY:
		rc = cirt_buf_add(out, "[", 1);
		for (size_t i = 0; rc == 0 && i < json_array_size(v); i++) {
			if (i > 0)
				rc = cirt_buf_add(out, ",", 1);
			if (rc == 0)
				rc = jcs_value(json_array_get(v, i), out,
					       depth + 1);
		}
		return rc < 0 ? rc : cirt_buf_add(out, "]", 1);
	case JSON_STRING:
		return jcs_string(json_string_value(v), json_string_length(v),
				  out);
	case JSON_INTEGER:
		return jcs_integer(json_integer_value(v), out);
	case JSON_REAL:
		return jcs_double(json_real_value(v), out);
	case JSON_TRUE:
		return cirt_buf_add(out, "true", 4);
	case JSON_FALSE:
		return cirt_buf_add(out, "false", 5);
	case JSON_NULL:
		return cirt_buf_add(out, "null", 4);
	}
	return -CIRT_EINVAL;
}

int cirt_stix_jcs(const json_t *v, struct cirt_buf *out)
{
	int rc = jcs_value(v, out, 0);

	if (rc == -CIRT_EINVAL)
		cirt_buf_release(out);
	return rc;
}

/* ---- deterministic SCO ids ---------------------------------------- */

/* STIX 2.1 section 6 (each SCO's "ID Contributing Properties"),
 * standards.md 1.4. */
#define PROPS(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct {
	const char *type;
	const char *const *props;
} contributing[] = {
	{"artifact", PROPS("hashes", "payload_bin")},
	{"autonomous-system", PROPS("number")},
	{"directory", PROPS("path")},
	{"domain-name", PROPS("value")},
	{"email-addr", PROPS("value")},
	{"email-message", PROPS("from_ref", "subject", "body")},
	{"file", PROPS("hashes", "name", "extensions", "parent_directory_ref")},
	{"ipv4-addr", PROPS("value")},
	{"ipv6-addr", PROPS("value")},
	{"mac-addr", PROPS("value")},
	{"mutex", PROPS("name")},
	{"network-traffic",
	 PROPS("start", "end", "src_ref", "dst_ref", "src_port", "dst_port",
	       "protocols", "extensions")},
	{"process", PROPS(NULL)},
	{"software", PROPS("name", "cpe", "swid", "vendor", "version")},
	{"url", PROPS("value")},
	{"user-account", PROPS("account_type", "user_id", "account_login")},
	{"windows-registry-key", PROPS("key", "values")},
	{"x509-certificate", PROPS("hashes", "serial_number")},
};

const char *const *cirt_stix_id_contributing(const char *type)
{
	for (size_t i = 0; i < CIRT_ARRAY_LEN(contributing); i++)
		if (strcmp(type, contributing[i].type) == 0)
			return contributing[i].props;
	return NULL;
}

/* One hash of a hashes dictionary, in the order of STIX 2.1 2.9. */
static json_t *one_hash(json_t *hashes)
{
	static const char *const order[] = {"MD5", "SHA-1", "SHA-256",
					    "SHA-512"};
	const char *key;
	json_t *v;

	if (!json_is_object(hashes) || json_object_size(hashes) == 0)
		return NULL;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(order); i++) {
		v = json_object_get(hashes, order[i]);
		if (v)
			return json_pack("{sO}", order[i], v);
	}
	json_object_foreach (hashes, key, v)
		return json_pack("{sO}", key, v);
	return NULL;
}

int cirt_stix_sco_id(const json_t *obj, char out[CIRT_STIX_ID_MAX + 1])
{
	const char *const *props;
	const char *type = json_string_value(json_object_get(obj, "type"));
	unsigned char ns[16], u[16];
	char uuid[CIRT_UUID_LEN + 1];
	struct cirt_buf name;
	json_t *sel, *v;
	int rc;

	if (type == NULL || (props = cirt_stix_id_contributing(type)) == NULL)
		return -CIRT_EINVAL;
	sel = json_object();
	for (size_t i = 0; props[i]; i++) {
		v = json_object_get(obj, props[i]);
		if (v && strcmp(props[i], "hashes") == 0)
			json_object_set_new(sel, props[i], one_hash(v));
		else if (v)
			json_object_set(sel, props[i], v);
	}
	rc = -CIRT_ENOTFOUND;
	if (json_object_size(sel) == 0)
		goto out;
	cirt_buf_init(&name, SCO_NAME_MAX);
	rc = cirt_stix_jcs(sel, &name);
	if (rc < 0)
		goto out;
	if (cirt_uuid_parse(CIRT_STIX_SCO_NAMESPACE, CIRT_UUID_LEN, ns) < 0)
		cirt_fatalx("bad SCO namespace");
	cirt_uuid5(ns, name.data, name.len, u);
	cirt_buf_release(&name);
	cirt_uuid_format(u, uuid);
	snprintf(out, CIRT_STIX_ID_MAX + 1, "%s--%s", type, uuid);
out:
	json_decref(sel);
	return rc;
}
