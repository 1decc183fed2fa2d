/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * API tokens. See account/token.h.
 */
#include "account/token.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "account/account_int.h"
#include "account/user.h"
#include "core/crypto.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/time.h"
#include "core/banned.h"

#define TOUCH_EVERY_US (3600 * CIRT_US_PER_SEC)

#define TOKEN_COLS                                                   \
	"t.id, t.user_id, u.name, u.org_id, t.label, t.created_at, " \
	"t.expires_at, t.revoked_at, t.last_used_at"

static const struct cirt_sql q_insert = {
	"INSERT INTO tokens (user_id, hash, label, created_at, expires_at) "
	"VALUES (?, ?, ?, ?, ?) RETURNING id",
	NULL};
static const struct cirt_sql q_get = {
	"SELECT " TOKEN_COLS " FROM tokens t JOIN users u ON u.id = t.user_id "
	"WHERE t.id = ?",
	NULL};
static const struct cirt_sql q_list = {
	"SELECT " TOKEN_COLS " FROM tokens t JOIN users u ON u.id = t.user_id "
	"WHERE t.id > ? AND (CAST(? AS BIGINT) = 0 OR t.user_id = ?) "
	"AND (CAST(? AS BIGINT) = 0 OR u.org_id = ?) ORDER BY t.id LIMIT ?",
	NULL};
static const struct cirt_sql q_revoke = {
	"UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
	NULL};
static const struct cirt_sql q_auth = {
	"SELECT " CIRT_PRINCIPAL_COLS ", t.id, t.expires_at, t.revoked_at, "
	"t.last_used_at FROM tokens t JOIN users u ON u.id = "
	"t.user_id" CIRT_PRINCIPAL_JOIN "WHERE t.hash = ?",
	NULL};
static const struct cirt_sql q_touch = {
	"UPDATE tokens SET last_used_at = ? WHERE id = ?", NULL};

bool cirt_token_looks_like(const char *s, size_t len)
{
	if (len != CIRT_TOKEN_LEN || memcmp(s, CIRT_TOKEN_PREFIX, 5) != 0)
		return false;
	for (size_t i = 5; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static void read_token(struct cirt_stmt *s, struct cirt_token *t)
{
	memset(t, 0, sizeof(*t));
	t->id = cirt_stmt_i64(s, 0);
	t->user_id = cirt_stmt_i64(s, 1);
	snprintf(t->user, sizeof(t->user), "%s", cirt_stmt_text(s, 2));
	t->org_id = cirt_stmt_i64(s, 3);
	snprintf(t->label, sizeof(t->label), "%s", cirt_stmt_text(s, 4));
	t->created_at = cirt_stmt_i64(s, 5);
	t->expires_at = cirt_stmt_i64(s, 6);
	t->revoked_at = cirt_stmt_i64(s, 7);
	t->last_used_at = cirt_stmt_i64(s, 8);
}

static int insert(struct cirt_db *db, const struct cirt_user *u,
		  const char *hash, const char *label, size_t label_len,
		  int64_t now, int64_t expires, int64_t *id,
		  struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_insert, d);
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, u->id);
	cirt_stmt_bind_str(s, 2, hash);
	cirt_stmt_bind_text(s, 3, label, label_len);
	cirt_stmt_bind_i64(s, 4, now);
	if (expires)
		cirt_stmt_bind_i64(s, 5, expires);
	else
		cirt_stmt_bind_null(s, 5);
	rc = cirt_stmt_step(s, d);
	if (rc != CIRT_DB_ROW)
		return rc < 0 ? rc : -CIRT_EINTERNAL;
	*id = cirt_stmt_i64(s, 0);
	cirt_stmt_reset(s);
	return 0;
}

static void new_secret(char secret[CIRT_TOKEN_LEN + 1])
{
	unsigned char raw[32];

	cirt_random_bytes(raw, sizeof(raw));
	memcpy(secret, CIRT_TOKEN_PREFIX, 5);
	cirt_hex_encode(raw, sizeof(raw), secret + 5);
	cirt_wipe(raw, sizeof(raw));
}

int cirt_token_create(struct cirt_db *db, const struct cirt_actor *who,
		      const char *user, const char *label, size_t label_len,
		      int64_t days, struct cirt_token *out,
		      char secret[CIRT_TOKEN_LEN + 1], struct cirt_diag *d)
{
	char hash[CIRT_SHA256_HEX_LEN], object[32];
	int64_t id = 0, expires = 0, now = cirt_time_now_us();
	struct cirt_user u;
	json_t *detail;
	int rc;

	if (label == NULL) {
		label = "";
		label_len = 0;
	}
	if (days < 0 || days > CIRT_TOKEN_DAYS_MAX)
		return cirt_diag_set(d, -CIRT_EINVAL, "expires_days",
				     "expires_days must be 0 (never) to %d",
				     CIRT_TOKEN_DAYS_MAX);
	if (label_len > 0) {
		rc = cirt_text_check_line(label, label_len, 1,
					  CIRT_TOKEN_LABEL_MAX, "label", d);
		if (rc < 0)
			return rc;
	}
	if (days > 0)
		expires = now + days * CIRT_US_PER_DAY;
	new_secret(secret);
	cirt_sha256_hex(secret, CIRT_TOKEN_LEN, hash);
	rc = cirt_db_begin(db, d);
	if (rc < 0)
		goto out;
	rc = cirt_user_get(db, user, &u, d);
	if (rc == 0)
		rc = insert(db, &u, hash, label, label_len, now, expires, &id,
			    d);
	if (rc == 0) {
		snprintf(object, sizeof(object), "token:%" PRId64, id);
		detail = json_pack("{s:s, s:s%, s:o}", "user", u.name, "label",
				   label, label_len, "expires_at",
				   cirt_json_time(expires));
		rc = cirt_audit_append(db, who, "token.create", object, detail,
				       d);
		json_decref(detail);
	}
	rc = cirt_db_end(db, rc, d);
	if (rc == 0 && out)
		rc = cirt_token_get(db, id, out, d);
out:
	if (rc < 0)
		cirt_wipe(secret, CIRT_TOKEN_LEN + 1);
	return rc;
}

int cirt_token_get(struct cirt_db *db, int64_t id, struct cirt_token *out,
		   struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_get, d);
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, id);
	rc = cirt_stmt_step(s, d);
	if (rc < 0)
		return rc;
	if (rc == CIRT_DB_DONE)
		return cirt_diag_set(d, -CIRT_ENOTFOUND, "id",
				     "no token with id %" PRId64, id);
	read_token(s, out);
	cirt_stmt_reset(s);
	return 0;
}

int cirt_token_revoke(struct cirt_db *db, const struct cirt_actor *who,
		      int64_t id, struct cirt_diag *d)
{
	struct cirt_token t;
	struct cirt_stmt *s;
	json_t *detail;
	char object[32];
	int rc;

	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	rc = cirt_token_get(db, id, &t, d);
	if (rc == 0 && t.revoked_at != 0)
		rc = cirt_diag_set(d, -CIRT_ECONFLICT, "id",
				   "token %" PRId64 " is already revoked", id);
	if (rc == 0) {
		s = cirt_db_stmt(db, &q_revoke, d);
		if (s == NULL)
			return cirt_db_end(db, d->code, d);
		cirt_stmt_bind_i64(s, 1, cirt_time_now_us());
		cirt_stmt_bind_i64(s, 2, id);
		rc = cirt_stmt_exec(s, d);
	}
	if (rc == 0) {
		snprintf(object, sizeof(object), "token:%" PRId64, id);
		detail = json_pack("{s:s}", "user", t.user);
		rc = cirt_audit_append(db, who, "token.revoke", object, detail,
				       d);
		json_decref(detail);
	}
	return cirt_db_end(db, rc, d);
}

int cirt_token_list(struct cirt_db *db, const struct cirt_token_filter *f,
		    cirt_token_fn fn, void *arg, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_list, d);
	struct cirt_token t;
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, f->after);
	cirt_stmt_bind_i64(s, 2, f->user_id);
	cirt_stmt_bind_i64(s, 3, f->user_id);
	cirt_stmt_bind_i64(s, 4, f->org_id);
	cirt_stmt_bind_i64(s, 5, f->org_id);
	cirt_stmt_bind_i64(s, 6, f->limit);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		read_token(s, &t);
		rc = fn(&t, arg);
		if (rc < 0) {
			cirt_stmt_reset(s);
			return rc;
		}
	}
	return rc;
}

/* Record use, at most once an hour: a write per request would serialise
 * every reader on the SQLite write lock. */
static void touch(struct cirt_db *db, int64_t id, int64_t last, int64_t now)
{
	struct cirt_stmt *s;

	if (now - last < TOUCH_EVERY_US)
		return;
	s = cirt_db_stmt(db, &q_touch, NULL);
	if (s == NULL)
		return;
	cirt_stmt_bind_i64(s, 1, now);
	cirt_stmt_bind_i64(s, 2, id);
	if (cirt_stmt_exec(s, NULL) < 0)
		return; /* bookkeeping only; the request goes on */
}

int cirt_token_authenticate(struct cirt_db *db, const char *secret, size_t len,
			    struct cirt_principal *out, struct cirt_diag *d)
{
	const int c = CIRT_PRINCIPAL_NCOLS;
	char hash[CIRT_SHA256_HEX_LEN];
	int64_t now = cirt_time_now_us(), expires, revoked, last;
	struct cirt_stmt *s;
	bool disabled;
	int rc;

	if (!cirt_token_looks_like(secret, len))
		return cirt_diag_set(d, -CIRT_EAUTH, NULL,
				     "malformed token: expected cirt_ and 64 "
				     "hex digits");
	cirt_sha256_hex(secret, len, hash);
	s = cirt_db_stmt(db, &q_auth, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_str(s, 1, hash);
	rc = cirt_stmt_step(s, d);
	if (rc < 0)
		return rc;
	if (rc == CIRT_DB_DONE)
		return cirt_diag_set(d, -CIRT_EAUTH, NULL, "unknown token");
	disabled = cirt_principal_read(s, 0, out);
	out->via = CIRT_VIA_TOKEN;
	out->cred_id = cirt_stmt_i64(s, c);
	expires = cirt_stmt_i64(s, c + 1);
	revoked = cirt_stmt_i64(s, c + 2);
	last = cirt_stmt_i64(s, c + 3);
	cirt_stmt_reset(s);
	if (revoked)
		return cirt_diag_set(d, -CIRT_EAUTH, NULL,
				     "token has been revoked");
	if (expires && expires <= now)
		return cirt_diag_set(d, -CIRT_EAUTH, NULL, "token has expired");
	if (disabled)
		return cirt_diag_set(d, -CIRT_EAUTH, NULL,
				     "user '%s' is disabled", out->user);
	touch(db, out->cred_id, last, now);
	return 0;
}

json_t *cirt_token_json(const struct cirt_token *t)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o}", "id",
			 (json_int_t)t->id, "user", t->user, "label", t->label,
			 "created_at", cirt_json_time(t->created_at),
			 "expires_at", cirt_json_time(t->expires_at),
			 "revoked_at", cirt_json_time(t->revoked_at),
			 "last_used_at", cirt_json_time(t->last_used_at));
}
