/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The constituency registry (constituent.h). One function, apply(),
 * checks a body and writes it inside the caller's transaction; adding,
 * and each row of an import, go through it, so the API, the command line
 * and the CSV file validate alike. Networks are stored canonical, so the
 * unique (kind, value) index is what finds a network owned twice.
 */
#include "feed/constituent.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "account/org.h"
#include "core/csv.h"
#include "core/ip.h"
#include "core/json.h"
#include "core/text.h"
#include "core/time.h"
#include "core/tlp.h"
#include "feed/enrich.h"

#include "core/banned.h"

const char *const cirt_contact_roles[] = {"abuse", "security", "technical",
					  "management", NULL};
const char *const cirt_contact_frequencies[] = {"immediate", "daily", "weekly",
						"never", NULL};
const char *const cirt_contact_formats[] = {"csv", "xarf", "iodef", NULL};

static const struct cirt_sql q_owner = {
	"SELECT o.id, o.name FROM org_networks n JOIN orgs o ON o.id = "
	"n.org_id WHERE n.kind = ? AND n.value = ?",
	NULL};
static const struct cirt_sql q_net_insert = {
	"INSERT INTO org_networks (org_id, kind, value) VALUES (?, ?, ?)",
	NULL};
static const struct cirt_sql q_contact_find = {
	"SELECT id FROM contacts WHERE org_id = ? AND email = ?", NULL};
static const struct cirt_sql q_contact_insert = {
	"INSERT INTO contacts (org_id, email, lang, role, frequency, format, "
	"tlp_max, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	NULL};
static const struct cirt_sql q_set_country = {
	"UPDATE orgs SET country = ? WHERE id = ?", NULL};
static const struct cirt_sql q_org = {
	"SELECT id, name, kind, sector, country, created_at FROM orgs "
	"WHERE name = ?",
	NULL};
static const struct cirt_sql q_networks = {
	"SELECT kind, value FROM org_networks WHERE org_id = ? "
	"ORDER BY kind, value",
	NULL};
static const struct cirt_sql q_contacts = {
	"SELECT email, lang, role, frequency, format, tlp_max FROM contacts "
	"WHERE org_id = ? ORDER BY email",
	NULL};
static const struct cirt_sql q_list = {
	"SELECT o.name, o.sector, o.country, "
	"(SELECT COUNT(*) FROM org_networks n WHERE n.org_id = o.id), "
	"(SELECT COUNT(*) FROM contacts c WHERE c.org_id = o.id) "
	"FROM orgs o WHERE o.kind = 'constituent' ORDER BY o.name",
	NULL};

static int in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

int cirt_email_check(const char *s, const char *field, struct cirt_diag *d)
{
	if (!cirt_email_valid(s))
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "is not an e-mail address digests can be "
				     "sent to (local@domain.tld, ASCII)");
	return 0;
}

/* Where a change is going: the organisation, and what to count. */
struct target {
	int64_t org;
	const char *name;
	struct cirt_constituent_import *count; /* may be NULL */
	bool merge;			       /* what exists stays (import) */
};

/* Insert one network unless this org has it; another owner conflicts. */
static int put_network(struct cirt_db *db, const struct target *t,
		       const char *kind, const char *value, const char *field,
		       struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_owner, d);
	int rc;

	if (!s)
		return d->code;
	cirt_stmt_bind_str(s, 1, kind);
	cirt_stmt_bind_str(s, 2, value);
	rc = cirt_stmt_step(s, d);
	if (rc == CIRT_DB_ROW) {
		int64_t owner = cirt_stmt_i64(s, 0);
		char other[CIRT_ORG_NAME_MAX + 1];

		snprintf(other, sizeof other, "%s", cirt_stmt_text(s, 1));
		cirt_stmt_reset(s);
		if (owner == t->org && t->merge)
			return 0;
		if (owner == t->org)
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "gives %s twice", value);
		return cirt_diag_set(d, -CIRT_ECONFLICT, field,
				     "%s is already owned by '%s'", value,
				     other);
	}
	cirt_stmt_reset(s);
	if (rc < 0)
		return rc;
	s = cirt_db_stmt(db, &q_net_insert, d);
	if (!s)
		return d->code;
	cirt_stmt_bind_i64(s, 1, t->org);
	cirt_stmt_bind_str(s, 2, kind);
	cirt_stmt_bind_str(s, 3, value);
	rc = cirt_stmt_exec(s, d);
	if (rc == 0 && t->count)
		t->count->networks++;
	return rc;
}

/* The canonical text of one network of kind (asns, cidrs, domains). */
static int canon_network(const char *kind, json_t *v, char *out, size_t n,
			 const char *field, struct cirt_diag *d)
{
	const char *s = json_string_value(v);

	if (strcmp(kind, "asns") == 0) {
		json_int_t asn = 0;

		if (json_is_integer(v)) {
			asn = json_integer_value(v);
		} else if (s) {
			const char *p = s;
			char *end;
			long long x;

			if ((p[0] == 'A' || p[0] == 'a') &&
			    (p[1] == 'S' || p[1] == 's'))
				p += 2;
			x = isdigit((unsigned char)*p) ? strtoll(p, &end, 10)
						       : -1;
			asn = x >= 0 && *end == '\0' ? x : -1;
		} else {
			asn = -1;
		}
		if (asn < 1 || asn > 4294967295LL)
			return cirt_diag_set(d, -CIRT_EINVAL, field,
					     "is not an AS number (1 to "
					     "4294967295, or AS1 ...)");
		snprintf(out, n, "%lld", (long long)asn);
		return 0;
	}
	if (!s)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "must be a string");
	if (strcmp(kind, "cidrs") == 0) {
		struct cirt_ip ip;

		if (cirt_ip_parse(s, strlen(s), true, false, &ip, field, d) < 0)
			return -CIRT_EINVAL;
		cirt_ip_format(&ip, out);
		return 0;
	}
	if (cirt_domain_canon(s, strlen(s), out, field, d) < 0)
		return -CIRT_EINVAL;
	if (psl_builtin() && psl_is_public_suffix(psl_builtin(), out))
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s is a public suffix, under which "
				     "others register names: give the "
				     "constituent's own domains",
				     out);
	return 0;
}

static int put_contact(struct cirt_db *db, const struct target *t, json_t *c,
		       const char *field, struct cirt_diag *d)
{
	static const char *const names[] = {"email",	 "lang",   "role",
					    "frequency", "format", "tlp"};
	const char *email, *lang = "en", *role = "abuse", *freq = "daily";
	const char *format = "csv", *tlp_text = "amber";
	char addr[CIRT_EMAIL_MAX + 1];
	enum cirt_tlp tlp;
	struct cirt_stmt *s;
	char f[96];
	int rc;

	if (!json_is_object(c))
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "must be an object");
	if (cirt_json_only(c, names, 6, d) < 0 ||
	    cirt_json_get_str(c, "email", true, &email, NULL, d) < 0)
		return -CIRT_EINVAL;
	snprintf(f, sizeof f, "%s.email", field);
	if (strlen(email) > CIRT_EMAIL_MAX)
		return cirt_diag_set(d, -CIRT_EINVAL, f,
				     "is longer than %d bytes", CIRT_EMAIL_MAX);
	/* The domain of an address is case-blind: kept in lower case. */
	snprintf(addr, sizeof addr, "%s", email);
	for (char *p = strrchr(addr, '@'); p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	email = addr;
	if (cirt_email_check(email, f, d) < 0)
		return -CIRT_EINVAL;
#define OPT_STR(key, var)                                               \
	do {                                                            \
		const char *v_;                                         \
		if (cirt_json_get_str(c, key, false, &v_, NULL, d) < 0) \
			return -CIRT_EINVAL;                            \
		if (v_)                                                 \
			var = v_;                                       \
	} while (0)
	OPT_STR("lang", lang);
	OPT_STR("role", role);
	OPT_STR("frequency", freq);
	OPT_STR("format", format);
	OPT_STR("tlp", tlp_text);
#undef OPT_STR
	{
		size_t n = strlen(lang), i = 0;

		while (i < n && islower((unsigned char)lang[i]))
			i++;
		if (i < 2 || i > 3 || (i < n && lang[i] != '-') || n > 35 ||
		    cirt_text_check_ident(lang, n, 35, field, NULL) < 0) {
			snprintf(f, sizeof f, "%s.lang", field);
			return cirt_diag_set(d, -CIRT_EINVAL, f,
					     "must be a language tag such as "
					     "en, fr or pt-br");
		}
	}
	if (!in_list(cirt_contact_roles, role)) {
		snprintf(f, sizeof f, "%s.role", field);
		return cirt_diag_set(d, -CIRT_EINVAL, f,
				     "must be abuse, security, technical or "
				     "management");
	}
	if (!in_list(cirt_contact_frequencies, freq)) {
		snprintf(f, sizeof f, "%s.frequency", field);
		return cirt_diag_set(d, -CIRT_EINVAL, f,
				     "must be immediate, daily, weekly or "
				     "never");
	}
	if (!in_list(cirt_contact_formats, format)) {
		snprintf(f, sizeof f, "%s.format", field);
		return cirt_diag_set(d, -CIRT_EINVAL, f,
				     "must be csv, xarf or iodef");
	}
	if (cirt_tlp_parse(tlp_text, &tlp) < 0 || tlp == CIRT_TLP_NONE) {
		snprintf(f, sizeof f, "%s.tlp", field);
		return cirt_diag_set(d, -CIRT_EINVAL, f,
				     "must be clear, green, amber, "
				     "amber+strict or red");
	}
	s = cirt_db_stmt(db, &q_contact_find, d);
	if (!s)
		return d->code;
	cirt_stmt_bind_i64(s, 1, t->org);
	cirt_stmt_bind_str(s, 2, email);
	rc = cirt_stmt_step(s, d);
	cirt_stmt_reset(s);
	if (rc == CIRT_DB_ROW) {
		if (t->merge)
			return 0;
		return cirt_diag_set(d, -CIRT_EINVAL, field, "gives %s twice",
				     email);
	}
	if (rc < 0)
		return rc;
	s = cirt_db_stmt(db, &q_contact_insert, d);
	if (!s)
		return d->code;
	cirt_stmt_bind_i64(s, 1, t->org);
	cirt_stmt_bind_str(s, 2, email);
	cirt_stmt_bind_str(s, 3, lang);
	cirt_stmt_bind_str(s, 4, role);
	cirt_stmt_bind_str(s, 5, freq);
	cirt_stmt_bind_str(s, 6, format);
	cirt_stmt_bind_i64(s, 7, (int64_t)tlp);
	cirt_stmt_bind_i64(s, 8, cirt_time_now_us());
	rc = cirt_stmt_exec(s, d);
	if (rc == 0 && t->count)
		t->count->contacts++;
	return rc;
}

static int find_org(struct cirt_db *db, const char *name, int64_t *id,
		    char kind[16], struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_org, d);
	int rc;

	if (!s)
		return d->code;
	cirt_stmt_bind_str(s, 1, name);
	rc = cirt_stmt_step(s, d);
	if (rc == CIRT_DB_ROW) {
		*id = cirt_stmt_i64(s, 0);
		snprintf(kind, 16, "%s", cirt_stmt_text(s, 2));
	}
	cirt_stmt_reset(s);
	if (rc < 0)
		return rc;
	return rc == CIRT_DB_ROW ? 0 : -CIRT_ENOTFOUND;
}

/* Check body and write it inside the open transaction. */
static int apply(struct cirt_db *db, json_t *body, bool merge,
		 struct cirt_constituent_import *count, struct cirt_diag *d)
{
	static const char *const names[] = {"name",    "sector", "country",
					    "asns",    "cidrs",	 "domains",
					    "contacts"};
	static const char *const kinds[][2] = {
		{"asns", "asn"}, {"cidrs", "cidr"}, {"domains", "domain"}};
	const char *name, *sector = NULL, *country = NULL;
	char cc[3] = "";
	size_t name_len;
	struct target t = {0, NULL, count, merge};
	char kind[16] = "";
	json_t *contacts;
	int rc;

	if (!json_is_object(body))
		return cirt_diag_set(d, -CIRT_EINVAL, NULL,
				     "the body must be a JSON object");
	if (cirt_json_only(body, names, 7, d) < 0 ||
	    cirt_json_get_str(body, "name", true, &name, &name_len, d) < 0 ||
	    cirt_json_get_str(body, "sector", false, &sector, NULL, d) < 0 ||
	    cirt_json_get_str(body, "country", false, &country, NULL, d) < 0)
		return -CIRT_EINVAL;
	if (country && *country) {
		if (strlen(country) != 2 ||
		    !isalpha((unsigned char)country[0]) ||
		    !isalpha((unsigned char)country[1]))
			return cirt_diag_set(d, -CIRT_EINVAL, "country",
					     "must be an ISO 3166-1 alpha-2 "
					     "code, such as FR");
		cc[0] = (char)toupper((unsigned char)country[0]);
		cc[1] = (char)toupper((unsigned char)country[1]);
		country = cc;
	}
	t.name = name;
	rc = find_org(db, name, &t.org, kind, d);
	if (rc == 0 && (!merge || strcmp(kind, "constituent") != 0))
		return cirt_diag_set(d, -CIRT_ECONFLICT, "name",
				     "an organisation named '%s' exists "
				     "already%s",
				     name,
				     strcmp(kind, "constituent") != 0
					     ? " and is not a constituent"
					     : "");
	if (rc == -CIRT_ENOTFOUND) {
		struct cirt_org_new n = {name, name_len, CIRT_ORG_CONSTITUENT,
					 sector};
		struct cirt_org o;

		rc = cirt_org_insert(db, &n, &o, d);
		if (rc < 0)
			return rc;
		t.org = o.id;
		if (count)
			count->created++;
	} else if (rc < 0) {
		return rc;
	}
	if (country && *country) {
		struct cirt_stmt *s = cirt_db_stmt(db, &q_set_country, d);

		if (!s)
			return d->code;
		cirt_stmt_bind_str(s, 1, country);
		cirt_stmt_bind_i64(s, 2, t.org);
		rc = cirt_stmt_exec(s, d);
		if (rc < 0)
			return rc;
	}
	for (size_t k = 0; k < 3; k++) {
		json_t *arr = json_object_get(body, kinds[k][0]), *v;
		size_t i;

		if (!arr)
			continue;
		if (!json_is_array(arr) ||
		    json_array_size(arr) > CIRT_CONSTITUENT_ITEMS_MAX)
			return cirt_diag_set(d, -CIRT_EINVAL, kinds[k][0],
					     "must be an array of at most %d",
					     CIRT_CONSTITUENT_ITEMS_MAX);
		json_array_foreach (arr, i, v) {
			char field[40], value[CIRT_EVENT_FQDN_MAX + 1];

			snprintf(field, sizeof field, "%s[%zu]", kinds[k][0],
				 i);
			rc = canon_network(kinds[k][0], v, value, sizeof value,
					   field, d);
			if (rc == 0)
				rc = put_network(db, &t, kinds[k][1], value,
						 field, d);
			if (rc < 0)
				return rc;
		}
	}
	contacts = json_object_get(body, "contacts");
	if (contacts) {
		json_t *c;
		size_t i;

		if (!json_is_array(contacts) ||
		    json_array_size(contacts) > CIRT_CONSTITUENT_ITEMS_MAX)
			return cirt_diag_set(d, -CIRT_EINVAL, "contacts",
					     "must be an array of at most %d",
					     CIRT_CONSTITUENT_ITEMS_MAX);
		json_array_foreach (contacts, i, c) {
			char field[40];

			snprintf(field, sizeof field, "contacts[%zu]", i);
			rc = put_contact(db, &t, c, field, d);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int audit(struct cirt_db *db, const struct cirt_actor *who,
		 const char *action, const char *object, json_t *detail,
		 struct cirt_diag *d)
{
	int rc = cirt_audit_append(db, who, action, object, detail, d);

	json_decref(detail);
	return rc;
}

int cirt_constituent_add(struct cirt_db *db, const struct cirt_actor *who,
			 json_t *body, json_t **out, struct cirt_diag *d)
{
	char object[CIRT_ORG_NAME_MAX + 16];
	int rc;

	if (out)
		*out = NULL;
	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	rc = apply(db, body, false, NULL, d);
	if (rc == 0) {
		snprintf(object, sizeof object, "org:%s",
			 json_string_value(json_object_get(body, "name")));
		rc = audit(db, who, "constituent.add", object,
			   json_deep_copy(body), d);
	}
	rc = cirt_db_end(db, rc, d);
	if (rc == 0 && out)
		rc = cirt_constituent_get(
			db, json_string_value(json_object_get(body, "name")),
			out, d);
	return rc;
}

/* Split a CSV cell of spaces or ';' into a JSON array of strings. */
static json_t *split_cell(const char *p, size_t n)
{
	json_t *a = json_array();
	size_t i = 0;

	while (i < n) {
		size_t j;

		while (i < n && (p[i] == ' ' || p[i] == ';' || p[i] == '\t'))
			i++;
		j = i;
		while (j < n && p[j] != ' ' && p[j] != ';' && p[j] != '\t')
			j++;
		if (j > i)
			json_array_append_new(a, json_stringn(p + i, j - i));
		i = j;
	}
	return a;
}

enum col {
	COL_NAME,
	COL_SECTOR,
	COL_COUNTRY,
	COL_ASNS,
	COL_CIDRS,
	COL_DOMAINS,
	COL_EMAIL,
	COL_LANG,
	COL_ROLE,
	COL_FREQUENCY,
	COL_FORMAT,
	COL_TLP,
	COL_COUNT
};
static const char *const col_names[COL_COUNT] = {
	"name",	 "sector", "country", "asns",	   "cidrs",  "domains",
	"email", "lang",   "role",    "frequency", "format", "tlp"};

/* The body of one CSV row; NULL with d set if a cell is not text. */
static json_t *row_body(const struct cirt_csv_rec *rec, const int *map,
			size_t ncols, struct cirt_diag *d)
{
	json_t *b = json_object(), *contact = NULL;

	if (rec->nf > ncols) {
		json_decref(b);
		cirt_diag_set(d, -CIRT_EINVAL, "csv",
			      "has %zu fields, more than the header's %zu",
			      rec->nf, ncols);
		return NULL;
	}
	for (size_t i = 0; i < rec->nf; i++) {
		const struct cirt_csv_field *f = &rec->f[i];
		json_t *v;

		if (map[i] < 0 || f->n == 0)
			continue;
		if (!cirt_utf8_valid(f->p, f->n, NULL)) {
			json_decref(b);
			cirt_diag_set(d, -CIRT_EINVAL, col_names[map[i]],
				      "is not UTF-8");
			return NULL;
		}
		switch (map[i]) {
		case COL_ASNS:
		case COL_CIDRS:
		case COL_DOMAINS:
			json_object_set_new(b, col_names[map[i]],
					    split_cell(f->p, f->n));
			break;
		case COL_EMAIL:
		case COL_LANG:
		case COL_ROLE:
		case COL_FREQUENCY:
		case COL_FORMAT:
		case COL_TLP:
			if (!contact)
				contact = json_object();
			v = json_stringn(f->p, f->n);
			json_object_set_new(contact, col_names[map[i]], v);
			break;
		default:
			json_object_set_new(b, col_names[map[i]],
					    json_stringn(f->p, f->n));
		}
	}
	if (contact)
		json_object_set_new(b, "contacts", json_pack("[o]", contact));
	return b;
}

int cirt_constituent_import_csv(struct cirt_db *db,
				const struct cirt_actor *who, int fd,
				struct cirt_constituent_import *r,
				struct cirt_diag *d)
{
	struct cirt_csv_opts o = cirt_csv_default_opts;
	struct cirt_csv csv;
	struct cirt_csv_rec rec;
	int map[64];
	size_t ncols = 0;
	bool header = true;
	int rc;

	memset(r, 0, sizeof *r);
	o.trim = true;
	o.comment = '#';
	o.fields_max = 64;
	rc = cirt_csv_open(&csv, fd, NULL, 0, &o, d);
	if (rc < 0)
		return rc;
	rc = cirt_db_begin(db, d);
	while (rc == 0 && (rc = cirt_csv_next(&csv, &rec, d)) == 1) {
		json_t *body;

		rc = 0;
		if (rec.bad) {
			rc = cirt_diag_set(d, -CIRT_EINVAL, "csv",
					   "line %lld: %s", (long long)rec.line,
					   rec.bad);
			break;
		}
		if (header) {
			bool has_name = false;

			for (size_t i = 0; i < rec.nf; i++) {
				map[i] = -1;
				for (int k = 0; k < COL_COUNT; k++)
					if (strlen(col_names[k]) ==
						    rec.f[i].n &&
					    strncmp(col_names[k], rec.f[i].p,
						    rec.f[i].n) == 0)
						map[i] = k;
				if (map[i] < 0) {
					rc = cirt_diag_set(
						d, -CIRT_EINVAL, "csv",
						"line %lld: unknown column "
						"'%.*s'; the columns are name, "
						"sector, country, asns, cidrs, "
						"domains, email, lang, role, "
						"frequency, format, tlp",
						(long long)rec.line,
						(int)(rec.f[i].n > 40
							      ? 40
							      : rec.f[i].n),
						rec.f[i].p);
					break;
				}
				has_name |= map[i] == COL_NAME;
			}
			if (rc == 0 && !has_name)
				rc = cirt_diag_set(d, -CIRT_EINVAL, "csv",
						   "line %lld: the header has "
						   "no 'name' column",
						   (long long)rec.line);
			header = false;
			ncols = rec.nf;
			continue;
		}
		body = row_body(&rec, map, ncols, d);
		rc = body ? apply(db, body, true, r, d) : -CIRT_EINVAL;
		json_decref(body);
		if (rc < 0) {
			/* Say where: the line, then what apply said. */
			char msg[CIRT_DIAG_MSG_MAX];
			char field[CIRT_DIAG_FIELD_MAX];

			snprintf(msg, sizeof msg, "%s", d->message);
			snprintf(field, sizeof field, "%s", d->field);
			cirt_diag_init(d);
			cirt_diag_set(d, rc, field, "line %lld: %s%s%s",
				      (long long)rec.line, field,
				      field[0] ? " " : "", msg);
			break;
		}
		r->rows++;
	}
	if (rc == 0 && header)
		rc = cirt_diag_set(d, -CIRT_EINVAL, "csv",
				   "the file is empty: it needs a header row");
	if (rc == 0)
		rc = audit(db, who, "constituent.import", "constituents",
			   json_pack("{s:I, s:I, s:I, s:I}", "rows",
				     (json_int_t)r->rows, "created",
				     (json_int_t)r->created, "networks",
				     (json_int_t)r->networks, "contacts",
				     (json_int_t)r->contacts),
			   d);
	cirt_csv_close(&csv);
	return cirt_db_end(db, rc, d);
}

int cirt_constituent_get(struct cirt_db *db, const char *name, json_t **out,
			 struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_org, d);
	json_t *c, *asns, *cidrs, *domains, *contacts;
	int64_t id;
	int rc;

	*out = NULL;
	if (!s)
		return d->code;
	cirt_stmt_bind_str(s, 1, name);
	rc = cirt_stmt_step(s, d);
	if (rc != CIRT_DB_ROW || strcmp(cirt_stmt_text(s, 2), "constituent")) {
		cirt_stmt_reset(s);
		if (rc < 0)
			return rc;
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "name",
				     "no constituent named '%s'", name);
	}
	id = cirt_stmt_i64(s, 0);
	c = json_pack("{s:s, s:s, s:s, s:o}", "name", cirt_stmt_text(s, 1),
		      "sector", cirt_stmt_text(s, 3), "country",
		      cirt_stmt_text(s, 4), "created_at",
		      cirt_json_time(cirt_stmt_i64(s, 5)));
	cirt_stmt_reset(s);
	asns = json_array();
	cidrs = json_array();
	domains = json_array();
	contacts = json_array();
	json_object_set_new(c, "asns", asns);
	json_object_set_new(c, "cidrs", cidrs);
	json_object_set_new(c, "domains", domains);
	json_object_set_new(c, "contacts", contacts);
	s = cirt_db_stmt(db, &q_networks, d);
	if (!s) {
		json_decref(c);
		return d->code;
	}
	cirt_stmt_bind_i64(s, 1, id);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		const char *k = cirt_stmt_text(s, 0), *v = cirt_stmt_text(s, 1);

		if (strcmp(k, "asn") == 0)
			json_array_append_new(
				asns, json_integer(strtoll(v, NULL, 10)));
		else
			json_array_append_new(strcmp(k, "cidr") == 0 ? cidrs
								     : domains,
					      json_string(v));
	}
	cirt_stmt_reset(s);
	if (rc == 0) {
		s = cirt_db_stmt(db, &q_contacts, d);
		rc = s ? 0 : d->code;
	}
	if (rc == 0) {
		cirt_stmt_bind_i64(s, 1, id);
		while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW)
			json_array_append_new(
				contacts,
				json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
					  "email", cirt_stmt_text(s, 0), "lang",
					  cirt_stmt_text(s, 1), "role",
					  cirt_stmt_text(s, 2), "frequency",
					  cirt_stmt_text(s, 3), "format",
					  cirt_stmt_text(s, 4), "tlp",
					  cirt_tlp_name(
						  (enum cirt_tlp)cirt_stmt_i64(
							  s, 5))));
		cirt_stmt_reset(s);
	}
	if (rc < 0) {
		json_decref(c);
		return rc;
	}
	*out = c;
	return 0;
}

int cirt_constituent_list(struct cirt_db *db, json_t **out, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_list, d);
	json_t *a;
	int rc;

	*out = NULL;
	if (!s)
		return d->code;
	a = json_array();
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW)
		json_array_append_new(
			a,
			json_pack("{s:s, s:s, s:s, s:I, s:I}", "name",
				  cirt_stmt_text(s, 0), "sector",
				  cirt_stmt_text(s, 1), "country",
				  cirt_stmt_text(s, 2), "networks",
				  (json_int_t)cirt_stmt_i64(s, 3), "contacts",
				  (json_int_t)cirt_stmt_i64(s, 4)));
	cirt_stmt_reset(s);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}
