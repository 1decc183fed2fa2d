/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Storing and querying STIX objects of collections. See
 * share/share_object.h.
 *
 * The list query comes in three shapes, each walking an index in
 * (date_added, seq) order from the keyset position: any objects
 * (stix_objects_added), one type (stix_objects_type), or named ids
 * (stix_objects_version, then sorted: few rows). Version and spec
 * version filters are correlated subqueries on stix_objects_version, so
 * their cost per row does not grow with the collection. Lists of values
 * are bound as one JSON array, expanded by json_each() in SQLite and
 * json_array_elements_text() in PostgreSQL, the one place the dialects
 * differ.
 */
#include "share/share_object.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/time.h"
#include "core/banned.h"

/* ---- the list query, in both dialects ---- */

#define SQ_IN(x) x " IN (SELECT value FROM json_each(?))"
#define PG_IN(x) x " IN (SELECT json_array_elements_text(CAST(? AS json)))"

/* A text parameter tested for NULL: PostgreSQL cannot infer the type of
 * a bare "? IS NULL". */
#define NULL_TEXT    "CAST(? AS TEXT) IS NULL"

#define SQ_IN_INT(x) SQ_IN(x)
#define PG_IN_INT(x)                                                    \
	x " IN (SELECT CAST(json_array_elements_text(CAST(? AS json)) " \
	  "AS BIGINT))"

/*
 * Which versions: every one; the newest and the oldest the reader sees,
 * by the columns kept by mark_versions below (the lowest TLP of the
 * object's newer or older versions: none of them is visible when it is
 * above the reader's ceiling), "in_spec" within the row's spec version or
 * "any" across them; exact versions (SCOs, which have none, by their
 * date_added). Plain columns rather than subqueries, so that both
 * planners see what a page costs and walk the date index. Parameters:
 * all, last, ceiling, first, ceiling, keys, keys, added.
 */
#define VERSION(IN, INT, cols)                                       \
	"(? = 1 OR (? = 1 AND o.newer_" cols " > ?) OR "             \
	"(? = 1 AND o.older_" cols " > ?) OR (NOT " NULL_TEXT        \
	" AND (" IN("o.version_key") " OR (o.version = '' AND " INT( \
		"o.date_added") "))))"

/* Which spec versions (STIX 2.0 and 2.1 are the only ones stored): each
 * object's newest the reader sees (parameter: ceiling), one named (a
 * parameter), or both. */
#define SPEC_LATEST(IN, INT) "o.newer_spec > ? AND " VERSION(IN, INT, "in_spec")
#define SPEC_ONE(IN, INT)    "o.spec_version = ? AND " VERSION(IN, INT, "in_spec")
#define SPEC_BOTH(IN, INT)   VERSION(IN, INT, "any")

#define SELECT(from, body)                                              \
	"SELECT o.seq, o.date_added, o.stix_id, o.type, o.version, "    \
	"o.spec_version, " body " FROM " from " "                       \
	"WHERE o.collection_id = ? AND (o.date_added, o.seq) > (?, ?) " \
	"AND o.tlp <= ? AND "

#define TAIL	     " ORDER BY o.date_added, o.seq LIMIT ?"

#define ANY_TYPE(IN) "(" NULL_TEXT " OR " IN("o.type") ")"
#define ANY_ID(IN)   "(" NULL_TEXT " OR " IN("o.stix_id") ")"

#define ROWS	     "stix_objects o"
/* A few ids among millions of rows: SQLite cannot tell how few a JSON
 * list holds and would walk the date index; send it to the ids. */
#define SQ_BY_ID "stix_objects o INDEXED BY stix_objects_version"

/* The rows: any (with optional type and id lists), one type, or ids. */
#define Q_ALL(IN, from, body, spec) \
	SELECT(ROWS, body) ANY_TYPE(IN) " AND " ANY_ID(IN) " AND " spec TAIL
#define Q_TYPE(IN, from, body, spec) \
	SELECT(ROWS, body) "o.type = ? AND " ANY_ID(IN) " AND " spec TAIL
#define Q_IDS(IN, from, body, spec) \
	SELECT(from, body)          \
	ANY_TYPE(IN) " AND " IN("o.stix_id") " AND " spec TAIL

#define Q_DIALECTS(Q, spec, body)                                    \
	{                                                            \
		Q(SQ_IN, SQ_BY_ID, body, spec(SQ_IN, SQ_IN_INT)),    \
			Q(PG_IN, ROWS, body, spec(PG_IN, PG_IN_INT)) \
	}
#define Q_SPECS(Q, body)                               \
	{                                              \
		Q_DIALECTS(Q, SPEC_LATEST, body),      \
			Q_DIALECTS(Q, SPEC_ONE, body), \
			Q_DIALECTS(Q, SPEC_BOTH, body) \
	}
#define Q_BODIES(Q)                                    \
	{                                              \
		Q_SPECS(Q, "''"), Q_SPECS(Q, "o.body") \
	}

enum rows {
	ROWS_ALL,
	ROWS_TYPE,
	ROWS_IDS
};

enum spec {
	SPEC_LATEST,
	SPEC_ONE,
	SPEC_BOTH,
	SPEC_NONE /* asked only for spec versions never stored: no query */
};

/* [rows][with body][spec] */
static const struct cirt_sql q_list[3][2][3] = {
	Q_BODIES(Q_ALL),
	Q_BODIES(Q_TYPE),
	Q_BODIES(Q_IDS),
};

/* ---- storing ---- */

static const struct cirt_sql q_existing = {
	"SELECT count(*), "
	"coalesce(max(CASE WHEN version_key = ? THEN 1 ELSE 0 END), 0), "
	"coalesce(min(created), ''), coalesce(max(created), ''), "
	"coalesce(min(created_by_ref), ''), coalesce(max(created_by_ref), ''), "
	"coalesce(max(CASE WHEN revoked = 1 THEN version_key END), '') "
	"FROM stix_objects WHERE collection_id = ? AND stix_id = ?",
	NULL};
static const struct cirt_sql q_last_added = {
	"SELECT coalesce(max(date_added), 0) FROM stix_objects "
	"WHERE collection_id = ?",
	NULL};
static const struct cirt_sql q_insert = {
	"INSERT INTO stix_objects (collection_id, stix_id, type, version, "
	"version_key, spec_version, created, created_by_ref, revoked, tlp, "
	"date_added, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	NULL};

/* The lowest TLP among some of one object's versions, 9 if none. */
#define LOWEST(col, cond)                                                 \
	col " = coalesce((SELECT min(s.tlp) FROM stix_objects s "         \
	    "WHERE s.collection_id = ? AND s.stix_id = ? AND " cond "), " \
	    "9)"
#define SAME_SPEC "s.spec_version = stix_objects.spec_version AND "
#define NEWER	  "s.version_key > stix_objects.version_key"
#define OLDER	  "s.version_key < stix_objects.version_key"

/* Set the columns the list query reads on every version of one object.
 * Parameters: (collection, id) six times. */
/* clang-format off */
#define MARK                                                         \
	"UPDATE stix_objects SET "                                   \
	LOWEST("newer_in_spec", SAME_SPEC NEWER) ", "                \
	LOWEST("older_in_spec", SAME_SPEC OLDER) ", "                \
	LOWEST("newer_any", NEWER) ", "                              \
	LOWEST("older_any", OLDER) ", "                              \
	LOWEST("newer_spec",                                         \
	       "s.spec_version > stix_objects.spec_version")         \
	" WHERE collection_id = ? AND stix_id = ?"
/* clang-format on */
static const struct cirt_sql q_mark = {MARK, NULL};
static const struct cirt_sql q_spec_versions = {
	"UPDATE collections SET spec_versions = ? WHERE id = ?", NULL};
static const struct cirt_sql q_delete = {
	"DELETE FROM stix_objects WHERE seq = ?", NULL};

static int refuse(struct cirt_share_result *r, const char *fmt, ...)
	CIRT_PRINTF(2, 3);

static int refuse(struct cirt_share_result *r, const char *fmt, ...)
{
	va_list ap;

	r->outcome = CIRT_SHARE_REFUSED;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	return 0;
}

/* A refusal for validation findings: the first one is the message. */
static int refuse_findings(struct cirt_share_result *r, json_t *obj)
{
	const struct cirt_stix_finding *f = &r->findings.f[0];
	const char *id = json_string_value(json_object_get(obj, "id"));
	const char *v = json_string_value(json_object_get(obj, "modified"));

	if (v == NULL)
		v = json_string_value(json_object_get(obj, "created"));
	if (id && strlen(id) < sizeof(r->id))
		snprintf(r->id, sizeof(r->id), "%s", id);
	/* The version it claims, when that much is readable. */
	if (v && cirt_time_parse(v, strlen(v), NULL, NULL) == 0)
		snprintf(r->version, sizeof(r->version), "%s", v);
	return refuse(r, "%s: %s: %s%s", f->path, f->rule, f->message,
		      r->findings.total > 1 ? " (and more)" : "");
}

static int check_tlp(const struct cirt_collection *c,
		     const struct cirt_stix_meta *m,
		     struct cirt_share_result *r)
{
	if (m->tlp == CIRT_TLP_RED)
		return refuse(r, "TLP: the object is marked TLP:RED, which "
				 "never enters a shared collection");
	if (m->tlp > c->tlp_max)
		return refuse(r,
			      "TLP: the object is marked %s, above this "
			      "collection's ceiling %s",
			      cirt_tlp_label(m->tlp),
			      cirt_tlp_label(c->tlp_max));
	return 0;
}

/* STIX-12: what a new version may be, given the stored ones. */
static int check_versions(struct cirt_db *db, const struct cirt_collection *c,
			  const struct cirt_stix_meta *m, const char *key,
			  int64_t *count, struct cirt_share_result *r,
			  struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_existing, d);
	char created[CIRT_STIX_TIME_MAX], creator[CIRT_STIX_ID_MAX + 1];
	char revoked[CIRT_TIME_KEY_LEN];
	bool same_created, same_creator;
	int64_t dup;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_str(s, 1, key);
	cirt_stmt_bind_i64(s, 2, c->id);
	cirt_stmt_bind_str(s, 3, m->id);
	rc = cirt_stmt_step(s, d);
	if (rc != CIRT_DB_ROW)
		return rc < 0 ? rc : -CIRT_EINTERNAL;
	*count = cirt_stmt_i64(s, 0);
	dup = cirt_stmt_i64(s, 1);
	snprintf(created, sizeof(created), "%s", cirt_stmt_text(s, 2));
	same_created = strcmp(created, cirt_stmt_text(s, 3)) == 0 &&
		       strcmp(created, m->created) == 0;
	snprintf(creator, sizeof(creator), "%s", cirt_stmt_text(s, 4));
	same_creator = strcmp(creator, cirt_stmt_text(s, 5)) == 0 &&
		       strcmp(creator, m->created_by_ref) == 0;
	snprintf(revoked, sizeof(revoked), "%s", cirt_stmt_text(s, 6));
	cirt_stmt_reset(s);
	if (*count == 0)
		return 0;
	if (dup) {
		r->outcome = CIRT_SHARE_DUPLICATE;
		snprintf(r->message, sizeof(r->message),
			 "this version is in the collection already");
		return 0;
	}
	/* The stored versions' values are not told: the writer may not be
	 * allowed to read them. */
	if (!same_created)
		return refuse(r, "STIX-12: created differs from that of the "
				 "stored versions: a new version keeps "
				 "created");
	if (!same_creator)
		return refuse(r, "STIX-12: only the object's creator may make "
				 "new versions; publish a new object with a "
				 "derived-from relationship instead");
	if (revoked[0] && strcmp(key, revoked) > 0)
		return refuse(r, "STIX-12: the object was revoked; revocation "
				 "is final");
	return 0;
}

static int insert(struct cirt_db *db, const struct cirt_collection *c,
		  const struct cirt_stix_meta *m, const char *key,
		  const char *bytes, size_t len, int64_t date_added,
		  struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_insert, d);

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, c->id);
	cirt_stmt_bind_str(s, 2, m->id);
	cirt_stmt_bind_str(s, 3, m->type);
	cirt_stmt_bind_str(s, 4, m->version);
	cirt_stmt_bind_str(s, 5, key);
	cirt_stmt_bind_str(s, 6, m->spec_version);
	cirt_stmt_bind_str(s, 7, m->created);
	cirt_stmt_bind_str(s, 8, m->created_by_ref);
	cirt_stmt_bind_i64(s, 9, m->revoked);
	cirt_stmt_bind_i64(s, 10, m->tlp);
	cirt_stmt_bind_i64(s, 11, date_added);
	cirt_stmt_bind_text(s, 12, bytes, len);
	return cirt_stmt_exec(s, d);
}

/* Recompute what each of stix_id's versions has newer and older. */
static int mark_versions(struct cirt_db *db, int64_t collection_id,
			 const char *stix_id, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_mark, d);

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	for (int i = 0; i < 6; i++) {
		cirt_stmt_bind_i64(s, 2 * i + 1, collection_id);
		cirt_stmt_bind_str(s, 2 * i + 2, stix_id);
	}
	return cirt_stmt_exec(s, d);
}

/* Add m's spec version to the collection's list if it is new there. */
static int note_spec(struct cirt_db *db, struct cirt_collection *c,
		     const char *spec, struct cirt_diag *d)
{
	char list[sizeof(c->spec_versions) + 16];
	struct cirt_stmt *s;

	if (strstr(c->spec_versions, spec) != NULL)
		return 0;
	/* Two versions exist: keep them in order, "2.0,2.1". */
	if (c->spec_versions[0] == '\0')
		snprintf(list, sizeof(list), "%s", spec);
	else if (strcmp(spec, c->spec_versions) < 0)
		snprintf(list, sizeof(list), "%s,%s", spec, c->spec_versions);
	else
		snprintf(list, sizeof(list), "%s,%s", c->spec_versions, spec);
	if (strlen(list) >= sizeof(c->spec_versions))
		return cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
				     "too many spec versions in a collection");
	s = cirt_db_stmt(db, &q_spec_versions, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_str(s, 1, list);
	cirt_stmt_bind_i64(s, 2, c->id);
	if (cirt_stmt_exec(s, d) < 0)
		return d ? d->code : -CIRT_EIO;
	memcpy(c->spec_versions, list, strlen(list) + 1);
	return 0;
}

void cirt_share_check(const struct cirt_collection *c, json_t *obj,
		      struct cirt_share_offer *o, struct cirt_share_result *r)
{
	struct cirt_timestamp v = {.key = ""};
	struct cirt_stix_meta *m = &o->m;

	/* Not memset: the 9 KiB of findings are filled by the validator. */
	r->outcome = CIRT_SHARE_STORED;
	r->date_added = 0;
	r->id[0] = r->version[0] = r->message[0] = '\0';
	if (cirt_stix_validate(obj, m, &r->findings) < 0) {
		refuse_findings(r, obj);
		return;
	}
	snprintf(r->id, sizeof(r->id), "%s", m->id);
	snprintf(r->version, sizeof(r->version), "%s", m->version);
	if (m->version[0] &&
	    cirt_time_parse(m->version, strlen(m->version), &v, NULL) < 0) {
		refuse(r, "STIX-03: %s is not a timestamp", m->version);
		return;
	}
	memcpy(o->key, v.key, sizeof(o->key));
	check_tlp(c, m, r);
}

int cirt_share_store(struct cirt_db *db, struct cirt_collection *c,
		     const struct cirt_share_offer *o, const char *bytes,
		     size_t len, int64_t date_added,
		     struct cirt_share_result *r, struct cirt_diag *d)
{
	const struct cirt_stix_meta *m = &o->m;
	int64_t existing = 0;
	int rc;

	r->outcome = CIRT_SHARE_STORED;
	r->message[0] = '\0';
	r->date_added = 0;
	r->findings.n = r->findings.total = 0;
	snprintf(r->id, sizeof(r->id), "%s", m->id);
	snprintf(r->version, sizeof(r->version), "%s", m->version);
	rc = check_versions(db, c, m, o->key, &existing, r, d);
	if (rc < 0 || r->outcome != CIRT_SHARE_STORED)
		return rc;
	/* A first version is all of them: its flags' defaults say so. */
	r->date_added = date_added;
	rc = insert(db, c, m, o->key, bytes, len, date_added, d);
	if (rc == 0 && existing > 0)
		rc = mark_versions(db, c->id, m->id, d);
	if (rc == 0)
		rc = note_spec(db, c, m->spec_version, d);
	return rc;
}

int cirt_share_last_added(struct cirt_db *db, const struct cirt_collection *c,
			  int64_t *added, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_last_added, d);
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, c->id);
	rc = cirt_stmt_step(s, d);
	if (rc != CIRT_DB_ROW)
		return rc < 0 ? rc : -CIRT_EINTERNAL;
	*added = cirt_stmt_i64(s, 0);
	cirt_stmt_reset(s);
	return 0;
}

int cirt_share_put(struct cirt_db *db, struct cirt_collection *c,
		   const char *bytes, size_t len, json_t *obj,
		   int64_t date_added, struct cirt_share_result *r,
		   struct cirt_diag *d)
{
	struct cirt_share_offer o;

	cirt_share_check(c, obj, &o, r);
	if (r->outcome != CIRT_SHARE_STORED)
		return 0;
	return cirt_share_store(db, c, &o, bytes, len, date_added, r, d);
}

int cirt_share_put_made(struct cirt_db *db, struct cirt_collection *c,
			json_t *obj, int64_t date_added, const char *field,
			struct cirt_share_result *r, struct cirt_diag *d)
{
	size_t len;
	char *bytes = cirt_json_dump(obj, &len);
	int rc = cirt_share_put(db, c, bytes, len, obj, date_added, r, d);

	free(bytes);
	if (rc == 0 && r->outcome == CIRT_SHARE_REFUSED)
		rc = cirt_diag_set(d, -CIRT_EINVAL, field, "%s refused: %s",
				   r->id, r->message);
	return rc;
}

/* ---- listing ---- */

/* Binds parameters in order, whatever the statement's shape. */
struct binder {
	struct cirt_stmt *s;
	int n;
};

static void bind_i(struct binder *b, int64_t v)
{
	cirt_stmt_bind_i64(b->s, ++b->n, v);
}

static void bind_s(struct binder *b, const char *v)
{
	cirt_stmt_bind_str(b->s, ++b->n, v);
}

/* The single type of a one-element match[type] list, copied into out. */
static bool one_type(const char *types, char *out, size_t n)
{
	json_t *a = types ? json_loads(types, 0, NULL) : NULL;
	bool one = json_is_array(a) && json_array_size(a) == 1 &&
		   json_is_string(json_array_get(a, 0));

	if (one)
		snprintf(out, n, "%s", json_string_value(json_array_get(a, 0)));
	json_decref(a);
	return one;
}

/* How q's spec versions select: *one gets the single one asked for. */
static enum spec spec_mode(const struct cirt_share_query *q, char one[8])
{
	static const char *const known[] = {"2.0", "2.1"};
	json_t *a =
		q->spec_versions ? json_loads(q->spec_versions, 0, NULL) : NULL;
	int hits = 0;
	json_t *v;
	size_t i;

	if (q->spec_versions == NULL)
		return SPEC_LATEST;
	for (size_t k = 0; k < CIRT_ARRAY_LEN(known); k++) {
		json_array_foreach (a, i, v) {
			if (json_is_string(v) &&
			    strcmp(json_string_value(v), known[k]) == 0) {
				snprintf(one, 8, "%s", known[k]);
				hits++;
				break;
			}
		}
	}
	json_decref(a);
	return hits == 2 ? SPEC_BOTH : hits == 1 ? SPEC_ONE : SPEC_NONE;
}

static struct cirt_stmt *prepare(struct cirt_db *db,
				 const struct cirt_collection *c,
				 const struct cirt_share_query *q,
				 enum spec spec, const char *one_spec,
				 struct binder *b, struct cirt_diag *d)
{
	char type[CIRT_STIX_TYPE_MAX + 1];
	enum rows rows = q->ids					  ? ROWS_IDS
			 : one_type(q->types, type, sizeof(type)) ? ROWS_TYPE
								  : ROWS_ALL;

	b->n = 0;
	b->s = cirt_db_stmt(db, &q_list[rows][q->with_body][spec], d);
	if (b->s == NULL)
		return NULL;
	bind_i(b, c->id);
	bind_i(b, q->after_added);
	bind_i(b, q->after_seq);
	bind_i(b, q->ceiling);
	if (rows == ROWS_TYPE) {
		bind_s(b, type);
	} else {
		bind_s(b, q->types);
		bind_s(b, q->types);
	}
	if (rows != ROWS_IDS)
		bind_s(b, q->ids);
	bind_s(b, q->ids);
	if (spec == SPEC_LATEST)
		bind_i(b, q->ceiling);
	if (spec == SPEC_ONE)
		bind_s(b, one_spec);
	bind_i(b, q->all);
	bind_i(b, q->last);
	bind_i(b, q->ceiling);
	bind_i(b, q->first);
	bind_i(b, q->ceiling);
	bind_s(b, q->version_keys);
	bind_s(b, q->version_keys);
	bind_s(b, q->version_added);
	bind_i(b, q->limit);
	return b->s;
}

int cirt_share_list(struct cirt_db *db, const struct cirt_collection *c,
		    const struct cirt_share_query *q, cirt_share_row_fn fn,
		    void *arg, struct cirt_diag *d)
{
	struct cirt_share_row row;
	struct binder b;
	char one_spec[8] = "";
	enum spec spec = spec_mode(q, one_spec);
	int rc;

	if (spec == SPEC_NONE)
		return 0;
	if (prepare(db, c, q, spec, one_spec, &b, d) == NULL)
		return d ? d->code : -CIRT_EIO;
	while ((rc = cirt_stmt_step(b.s, d)) == CIRT_DB_ROW) {
		row.seq = cirt_stmt_i64(b.s, 0);
		row.date_added = cirt_stmt_i64(b.s, 1);
		row.id = cirt_stmt_text(b.s, 2);
		row.type = cirt_stmt_text(b.s, 3);
		row.version = cirt_stmt_text(b.s, 4);
		row.spec_version = cirt_stmt_text(b.s, 5);
		row.body = cirt_stmt_text(b.s, 6);
		row.body_len = cirt_stmt_len(b.s, 6);
		rc = fn(&row, arg);
		if (rc < 0) {
			cirt_stmt_reset(b.s);
			return rc;
		}
	}
	return rc;
}

static int found(const struct cirt_share_row *row, void *arg)
{
	(void)row;
	*(int *)arg = 1;
	return 0;
}

int cirt_share_has(struct cirt_db *db, const struct cirt_collection *c,
		   const char *stix_id, enum cirt_tlp ceiling,
		   struct cirt_diag *d)
{
	struct cirt_share_query q = {
		.after_added = -1, .all = true, .ceiling = ceiling, .limit = 1};
	json_t *ids = json_pack("[s]", stix_id);
	char *text = cirt_json_dump(ids, NULL);
	int has = 0, rc;

	q.ids = text;
	rc = cirt_share_list(db, c, &q, found, &has, d);
	free(text);
	json_decref(ids);
	return rc < 0 ? rc : has;
}

/* ---- deleting ---- */

#define DELETE_MAX 10000 /* versions of one object deleted at once */

struct victims {
	int64_t seq[DELETE_MAX];
	size_t n;
};

static int collect(const struct cirt_share_row *row, void *arg)
{
	struct victims *v = arg;

	if (v->n == DELETE_MAX)
		return -CIRT_ELIMIT;
	v->seq[v->n++] = row->seq;
	return 0;
}

static int delete_tx(struct cirt_db *db, const struct cirt_actor *who,
		     const struct cirt_collection *c, const char *stix_id,
		     const struct cirt_share_query *q, struct victims *v,
		     struct cirt_diag *d)
{
	struct cirt_share_query only = *q;
	json_t *ids = json_pack("[s]", stix_id), *detail;
	char *ids_text = cirt_json_dump(ids, NULL);
	struct cirt_stmt *s;
	int rc;

	only.ids = ids_text;
	only.after_added = -1;
	only.after_seq = 0;
	only.limit = DELETE_MAX + 1;
	only.with_body = false;
	rc = cirt_share_list(db, c, &only, collect, v, d);
	if (rc == -CIRT_ELIMIT)
		rc = cirt_diag_set(d, rc, "id",
				   "%s has more than %d versions to delete",
				   stix_id, DELETE_MAX);
	if (rc == 0 && v->n == 0)
		rc = cirt_diag_set(d, -CIRT_ENOTFOUND, "id",
				   "no object %s in this collection", stix_id);
	for (size_t i = 0; rc == 0 && i < v->n; i++) {
		s = cirt_db_stmt(db, &q_delete, d);
		if (s == NULL)
			rc = d ? d->code : -CIRT_EIO;
		else {
			cirt_stmt_bind_i64(s, 1, v->seq[i]);
			rc = cirt_stmt_exec(s, d);
		}
	}
	if (rc == 0) /* the versions left get their newest and oldest */
		rc = mark_versions(db, c->id, stix_id, d);
	if (rc == 0) {
		detail = json_pack("{s:s, s:I}", "collection", c->uuid,
				   "versions", (json_int_t)v->n);
		rc = cirt_audit_append(db, who, "object.delete", stix_id,
				       detail, d);
		json_decref(detail);
	}
	free(ids_text);
	json_decref(ids);
	return rc;
}

int cirt_share_delete(struct cirt_db *db, const struct cirt_actor *who,
		      const struct cirt_collection *c, const char *stix_id,
		      const struct cirt_share_query *q, int64_t *deleted,
		      struct cirt_diag *d)
{
	struct victims *v = cirt_xcalloc(1, sizeof(*v));
	int rc = cirt_db_begin(db, d);

	if (rc == 0) {
		rc = delete_tx(db, who, c, stix_id, q, v, d);
		rc = cirt_db_end(db, rc, d);
	}
	*deleted = rc == 0 ? (int64_t)v->n : 0;
	free(v);
	return rc;
}
