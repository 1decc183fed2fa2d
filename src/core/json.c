/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * JSON helpers on jansson. See core/json.h.
 */
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"
#include "core/banned.h"

static void *json_alloc(size_t n)
{
	return cirt_xmalloc(n);
}

void cirt_json_setup(void)
{
	json_set_alloc_funcs(json_alloc, free);
}

/* Depth of v: 0 for scalars, 1 + deepest child for containers. Stops
 * descending once limit is passed (the result is then limit + 1). */
static size_t depth_of(json_t *v, size_t limit)
{
	size_t best = 0, d;
	const char *key;
	json_t *child;
	size_t i;

	if (!json_is_object(v) && !json_is_array(v))
		return 0;
	if (limit == 0)
		return 1;
	if (json_is_object(v)) {
		json_object_foreach (v, key, child) {
			d = depth_of(child, limit - 1);
			if (d > best)
				best = d;
		}
	} else {
		json_array_foreach (v, i, child) {
			d = depth_of(child, limit - 1);
			if (d > best)
				best = d;
		}
	}
	return best + 1;
}

static int too_deep(size_t max_depth, struct cirt_diag *d)
{
	return cirt_diag_set(d, -CIRT_ELIMIT, NULL,
			     "JSON nesting is deeper than %zu levels",
			     max_depth);
}

int cirt_json_parse(const char *p, size_t n, size_t max_depth, json_t **out,
		    struct cirt_diag *d)
{
	json_error_t err;
	json_t *v;
	int rc;

	*out = NULL;
	v = json_loadb(p, n, JSON_REJECT_DUPLICATES, &err);
	/* jansson's own depth limit (2048) is the same budget as ours. */
	if (v == NULL && json_error_code(&err) == json_error_stack_overflow)
		return too_deep(max_depth, d);
	if (v == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, NULL,
				     "malformed JSON at line %d column %d: %s",
				     err.line, err.column, err.text);
	rc = cirt_json_check_depth(v, max_depth, d);
	if (rc < 0) {
		json_decref(v);
		return rc;
	}
	*out = v;
	return 0;
}

int cirt_json_check_depth(json_t *v, size_t max_depth, struct cirt_diag *d)
{
	return depth_of(v, max_depth) > max_depth ? too_deep(max_depth, d) : 0;
}

int cirt_json_only(json_t *obj, const char *const *names, size_t n,
		   struct cirt_diag *d)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach (obj, key, v) {
		for (i = 0; i < n; i++)
			if (strcmp(key, names[i]) == 0)
				break;
		if (i == n)
			return cirt_diag_set(d, -CIRT_EINVAL, key,
					     "unknown field '%s'", key);
	}
	return 0;
}

int cirt_json_get_str(const json_t *obj, const char *name, bool required,
		      const char **out, size_t *len, struct cirt_diag *d)
{
	const json_t *v = json_object_get(obj, name);

	*out = NULL;
	if (len)
		*len = 0;
	if (v == NULL) {
		if (required)
			return cirt_diag_set(d, -CIRT_EINVAL, name,
					     "%s is required", name);
		return 0;
	}
	if (!json_is_string(v))
		return cirt_diag_set(d, -CIRT_EINVAL, name,
				     "%s must be a string", name);
	*out = json_string_value(v);
	if (len)
		*len = json_string_length(v);
	return 0;
}

int cirt_json_get_int(const json_t *obj, const char *name, bool required,
		      int64_t min, int64_t max, int64_t *out, bool *present,
		      struct cirt_diag *d)
{
	const json_t *v = json_object_get(obj, name);
	json_int_t i;

	*present = false;
	if (v == NULL) {
		if (required)
			return cirt_diag_set(d, -CIRT_EINVAL, name,
					     "%s is required", name);
		return 0;
	}
	if (!json_is_integer(v))
		return cirt_diag_set(d, -CIRT_EINVAL, name,
				     "%s must be an integer", name);
	i = json_integer_value(v);
	if (i < min || i > max)
		return cirt_diag_set(d, -CIRT_EINVAL, name,
				     "%s must be between %lld and %lld", name,
				     (long long)min, (long long)max);
	*out = (int64_t)i;
	*present = true;
	return 0;
}

int cirt_json_get_bool(const json_t *obj, const char *name, bool *out,
		       bool *present, struct cirt_diag *d)
{
	const json_t *v = json_object_get(obj, name);

	*present = false;
	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return cirt_diag_set(d, -CIRT_EINVAL, name,
				     "%s must be true or false", name);
	*out = json_is_true(v);
	*present = true;
	return 0;
}

json_t *cirt_json_time(int64_t us)
{
	char ts[CIRT_TIME_LEN];

	if (us == 0)
		return json_null();
	cirt_time_format(us, ts);
	return json_string(ts);
}

char *cirt_json_dump(const json_t *v, size_t *len)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(9));

	if (s == NULL)
		cirt_fatalx("cannot serialise JSON");
	if (len)
		*len = strlen(s);
	return s;
}

/* The escape of a byte JSON strings may not hold as it is. */
static int add_escape(struct cirt_buf *b, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[6] = {'\\', (char)c, 0, 0, 0, 0};
	size_t n = 2;

	switch (c) {
	case '"':
	case '\\':
		break;
	case '\b':
		esc[1] = 'b';
		break;
	case '\f':
		esc[1] = 'f';
		break;
	case '\n':
		esc[1] = 'n';
		break;
	case '\r':
		esc[1] = 'r';
		break;
	case '\t':
		esc[1] = 't';
		break;
	default:
		memcpy(esc + 1, "u00", 3);
		esc[4] = hex[c >> 4];
		esc[5] = hex[c & 0x0f];
		n = 6;
	}
	return cirt_buf_add(b, esc, n);
}

int cirt_json_add_string(struct cirt_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	int rc = cirt_buf_add(b, "\"", 1);

	for (; rc == 0; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		/* the plain bytes before p, then p escaped (or the end) */
		rc = cirt_buf_add(b, run, (size_t)(p - run));
		if (rc < 0 || *p == '\0')
			break;
		rc = add_escape(b, *p);
		run = p + 1;
	}
	return rc < 0 ? rc : cirt_buf_add(b, "\"", 1);
}

json_t *cirt_json_split(const char *list)
{
	json_t *a = json_array();
	const char *p = list;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		json_array_append_new(a, json_stringn(p, n));
		if (end == NULL)
			break;
		p = end + 1;
		while (*p == ' ')
			p++;
	}
	return a;
}
