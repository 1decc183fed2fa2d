/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * TAXII filter parameters (TAXII 2.1 section 3.4; standards.md 2.4):
 * added_after, limit, next, match[id], match[type], match[version],
 * match[spec_version]. Values are comma-separated lists without spaces;
 * a repeated parameter is refused by the HTTP layer, anything malformed
 * here (TAXII-12 to TAXII-16). See taxii/taxii.h.
 */
#include "taxii/taxii.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/parse.h"
#include "core/time.h"
#include "share/share.h"
#include "core/banned.h"

#define LIST_MAX 100 /* values in one match[...] */

static int bad(struct cirt_diag *d, const char *param, const char *why,
	       const char *value)
{
	return cirt_diag_set(d, -CIRT_EINVAL, param, "%s %s, not '%.100s'",
			     param, why, value);
}

/* type--uuid, with a type of a-z, 0-9 and '-' (STIX 2.1 section 2.9). */
static bool stix_id_like(const char *s, size_t n)
{
	char uuid[CIRT_UUID_LEN + 1];
	size_t t;

	if (n < 3 + 2 + CIRT_UUID_LEN || n > CIRT_STIX_ID_MAX)
		return false;
	t = n - CIRT_UUID_LEN - 2;
	if (s[t] != '-' || s[t + 1] != '-')
		return false;
	for (size_t i = 0; i < t; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	memcpy(uuid, s + t + 2, CIRT_UUID_LEN);
	uuid[CIRT_UUID_LEN] = '\0';
	return cirt_uuid_valid(uuid);
}

static bool type_like(const char *s, size_t n)
{
	if (n < 3 || n > CIRT_STIX_TYPE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static bool spec_like(const char *s, size_t n)
{
	return n == 3 && s[0] >= '0' && s[0] <= '9' && s[1] == '.' &&
	       s[2] >= '0' && s[2] <= '9';
}

/* Split a comma list, checking each value; a JSON array of them in *out
 * (owned), or NULL when the parameter is absent. */
static int list(const char *param, const char *value,
		bool (*ok)(const char *, size_t), char **out,
		struct cirt_diag *d)
{
	json_t *a = json_array();
	const char *p = value, *comma;
	size_t n;
	int rc = 0;

	*out = NULL;
	while (rc == 0) {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == 0 || !ok(p, n))
			rc = bad(d, param, "has a malformed value", value);
		else if (json_array_size(a) == LIST_MAX)
			rc = cirt_diag_set(d, -CIRT_EINVAL, param,
					   "%s has more than %d values", param,
					   LIST_MAX);
		else
			json_array_append_new(a, json_stringn(p, n));
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	if (rc == 0)
		*out = cirt_json_dump(a, NULL);
	json_decref(a);
	return rc;
}

/* match[version]: first, last, all (alone), or exact timestamps. */
static int versions(struct cirt_taxii_params *p, const char *value,
		    struct cirt_diag *d)
{
	const char *s = value, *comma;
	struct cirt_timestamp t;
	json_t *keys = json_array(), *added = json_array();
	int count = 0, rc = 0;
	size_t n;

	while (rc == 0) {
		comma = strchr(s, ',');
		n = comma ? (size_t)(comma - s) : strlen(s);
		count++;
		if (n == 5 && memcmp(s, "first", 5) == 0 && !p->q.first)
			p->q.first = true;
		else if (n == 4 && memcmp(s, "last", 4) == 0 && !p->q.last)
			p->q.last = true;
		else if (n == 3 && memcmp(s, "all", 3) == 0 && !p->q.all)
			p->q.all = true;
		else if (cirt_time_parse(s, n, &t, NULL) == 0) {
			json_array_append_new(keys, json_string(t.key));
			json_array_append_new(added, json_integer(t.us));
		} else
			rc = bad(d, "match[version]",
				 "takes first, last, all or timestamps, each "
				 "once",
				 value);
		if (comma == NULL)
			break;
		s = comma + 1;
	}
	if (rc == 0 && p->q.all && count > 1)
		rc = bad(d, "match[version]", "takes 'all' only alone", value);
	if (rc == 0 && json_array_size(keys) > 0) {
		p->keys = cirt_json_dump(keys, NULL);
		p->added = cirt_json_dump(added, NULL);
	}
	json_decref(keys);
	json_decref(added);
	p->q.version_keys = p->keys;
	p->q.version_added = p->added;
	return rc;
}

static bool want(unsigned mask, unsigned f)
{
	return (mask & f) != 0;
}

static int sig_add(struct cirt_taxii_params *p, const char *k, const char *v)
{
	return v ? cirt_buf_addf(&p->sig, "%s=%s;", k, v) : 0;
}

int cirt_taxii_params(const struct cirt_req *r, unsigned mask,
		      struct cirt_taxii_params *p, struct cirt_diag *d)
{
	const char *aa = cirt_req_query(r, "added_after");
	const char *lim = cirt_req_query(r, "limit");
	const char *v, *why;
	struct cirt_timestamp t;
	int64_t limit = CIRT_TAXII_PAGE_DEFAULT;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	cirt_buf_init(&p->sig, 16u << 10);
	p->q.after_added = -1;
	if (want(mask, TAXII_F_ADDED_AFTER) && aa) {
		if (cirt_time_parse(aa, strlen(aa), &t, &why) < 0)
			return bad(d, "added_after", why, aa);
		p->q.after_added = t.us;
	}
	/* Strictly after: from the last row of that instant on. */
	p->q.after_seq = aa ? INT64_MAX : 0;
	if (want(mask, TAXII_F_LIMIT) && lim &&
	    cirt_parse_i64(lim, 1, INT64_MAX, &limit) < 0)
		return bad(d, "limit", "must be a positive integer", lim);
	p->q.limit = CIRT_MIN(limit, CIRT_TAXII_PAGE_MAX);
	if (want(mask, TAXII_F_LIMIT))
		p->next = cirt_req_query(r, "next");
	if (want(mask, TAXII_F_ID) && (v = cirt_req_query(r, "match[id]")))
		rc = list("match[id]", v, stix_id_like, &p->ids, d);
	if (rc == 0 && want(mask, TAXII_F_TYPE) &&
	    (v = cirt_req_query(r, "match[type]")))
		rc = list("match[type]", v, type_like, &p->types, d);
	if (rc == 0 && want(mask, TAXII_F_SPEC) &&
	    (v = cirt_req_query(r, "match[spec_version]")))
		rc = list("match[spec_version]", v, spec_like, &p->specs, d);
	if (rc == 0 && want(mask, TAXII_F_VERSION) &&
	    (v = cirt_req_query(r, "match[version]"))) {
		p->version_given = true;
		rc = versions(p, v, d);
	}
	if (rc < 0)
		return rc;
	p->q.ids = p->ids;
	p->q.types = p->types;
	p->q.spec_versions = p->specs;
	if (!p->version_given)
		p->q.last = true; /* the default (section 3.4.2) */
	rc = sig_add(p, "added_after",
		     want(mask, TAXII_F_ADDED_AFTER) ? aa : NULL);
	if (rc == 0)
		rc = sig_add(p, "id", p->ids);
	if (rc == 0)
		rc = sig_add(p, "type", p->types);
	if (rc == 0)
		rc = sig_add(p, "spec", p->specs);
	if (rc == 0)
		rc = cirt_buf_addf(&p->sig, "version=%d%d%d;%s", p->q.first,
				   p->q.last, p->q.all, p->keys ? p->keys : "");
	return rc < 0 ? cirt_diag_set(d, rc, NULL, "filters too long") : 0;
}

void cirt_taxii_params_release(struct cirt_taxii_params *p)
{
	free(p->ids);
	free(p->types);
	free(p->specs);
	free(p->keys);
	free(p->added);
	cirt_buf_release(&p->sig);
	memset(p, 0, sizeof(*p));
}

int cirt_taxii_reply(struct cirt_req *r, int status, json_t *body)
{
	size_t len;
	char *text = cirt_json_dump(body, &len);

	json_decref(body);
	return cirt_req_reply_text(r, status, CIRT_TAXII_MEDIA, text, len);
}
