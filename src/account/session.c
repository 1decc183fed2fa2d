/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Browser sessions. See account/session.h.
 */
#include "account/session.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "account/account_int.h"
#include "account/user.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "core/time.h"
#include "core/banned.h"

static const struct cirt_sql q_purge = {
	"DELETE FROM sessions WHERE expires_at <= ?", NULL};
static const struct cirt_sql q_insert = {
	"INSERT INTO sessions (user_id, hash, csrf, addr, created_at, "
	"expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
	NULL};
static const struct cirt_sql q_auth = {
	"SELECT " CIRT_PRINCIPAL_COLS ", s.id, s.expires_at, s.csrf "
	"FROM sessions s JOIN users u ON u.id = s.user_id" CIRT_PRINCIPAL_JOIN
	"WHERE s.hash = ?",
	NULL};
static const struct cirt_sql q_delete = {"DELETE FROM sessions WHERE id = ?",
					 NULL};

static void random_hex(char out[CIRT_SESSION_SECRET_LEN + 1])
{
	unsigned char raw[CIRT_SESSION_SECRET_LEN / 2];

	cirt_random_bytes(raw, sizeof(raw));
	cirt_hex_encode(raw, sizeof(raw), out);
	cirt_wipe(raw, sizeof(raw));
}

static int run(struct cirt_db *db, const struct cirt_sql *q, int64_t arg,
	       struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, q, d);

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, arg);
	return cirt_stmt_exec(s, d);
}

static int insert(struct cirt_db *db, const struct cirt_principal *p,
		  const char *hash, const char *addr, int64_t now,
		  int64_t expires, int64_t *id, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_insert, d);
	int rc;

	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_i64(s, 1, p->user_id);
	cirt_stmt_bind_str(s, 2, hash);
	cirt_stmt_bind_str(s, 3, p->csrf);
	cirt_stmt_bind_str(s, 4, addr);
	cirt_stmt_bind_i64(s, 5, now);
	cirt_stmt_bind_i64(s, 6, expires);
	rc = cirt_stmt_step(s, d);
	if (rc != CIRT_DB_ROW)
		return rc < 0 ? rc : -CIRT_EINTERNAL;
	*id = cirt_stmt_i64(s, 0);
	cirt_stmt_reset(s);
	return 0;
}

int cirt_session_login(struct cirt_db *db, const char *user, const char *pw,
		       size_t len, const char *addr, int64_t hours,
		       char secret[CIRT_SESSION_SECRET_LEN + 1],
		       int64_t *expires, struct cirt_principal *out,
		       struct cirt_diag *d)
{
	char hash[CIRT_SHA256_HEX_LEN], object[32];
	int64_t now = cirt_time_now_us(), id = 0;
	struct cirt_actor who;
	int rc;

	rc = cirt_user_login(db, user, pw, len, out, d);
	if (rc < 0)
		return rc;
	random_hex(secret);
	random_hex(out->csrf);
	cirt_sha256_hex(secret, CIRT_SESSION_SECRET_LEN, hash);
	*expires = now + hours * 3600 * CIRT_US_PER_SEC;
	who.name = out->user;
	who.addr = addr;
	rc = cirt_db_begin(db, d);
	if (rc < 0)
		goto out;
	rc = run(db, &q_purge, now, d);
	if (rc == 0)
		rc = insert(db, out, hash, addr, now, *expires, &id, d);
	if (rc == 0) {
		snprintf(object, sizeof(object), "session:%" PRId64, id);
		rc = cirt_audit_append(db, &who, "session.create", object, NULL,
				       d);
	}
	rc = cirt_db_end(db, rc, d);
	out->via = CIRT_VIA_SESSION;
	out->cred_id = id;
out:
	if (rc < 0)
		cirt_wipe(secret, CIRT_SESSION_SECRET_LEN + 1);
	return rc;
}

static bool is_hex(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

int cirt_session_authenticate(struct cirt_db *db, const char *secret,
			      size_t len, struct cirt_principal *out,
			      struct cirt_diag *d)
{
	const int c = CIRT_PRINCIPAL_NCOLS;
	char hash[CIRT_SHA256_HEX_LEN];
	struct cirt_stmt *s;
	int64_t expires;
	bool disabled;
	int rc;

	if (len != CIRT_SESSION_SECRET_LEN || !is_hex(secret, len))
		return cirt_diag_set(d, -CIRT_EAUTH, NULL,
				     "malformed session cookie");
	cirt_sha256_hex(secret, len, hash);
	s = cirt_db_stmt(db, &q_auth, d);
	if (s == NULL)
		return d ? d->code : -CIRT_EIO;
	cirt_stmt_bind_str(s, 1, hash);
	rc = cirt_stmt_step(s, d);
	if (rc < 0)
		return rc;
	if (rc == CIRT_DB_DONE)
		return cirt_diag_set(d, -CIRT_EAUTH, NULL,
				     "session has ended; log in again");
	disabled = cirt_principal_read(s, 0, out);
	out->via = CIRT_VIA_SESSION;
	out->cred_id = cirt_stmt_i64(s, c);
	expires = cirt_stmt_i64(s, c + 1);
	snprintf(out->csrf, sizeof(out->csrf), "%s", cirt_stmt_text(s, c + 2));
	cirt_stmt_reset(s);
	if (expires <= cirt_time_now_us())
		return cirt_diag_set(d, -CIRT_EAUTH, NULL,
				     "session has expired; log in again");
	if (disabled)
		return cirt_diag_set(d, -CIRT_EAUTH, NULL,
				     "user '%s' is disabled", out->user);
	return 0;
}

int cirt_session_end(struct cirt_db *db, const struct cirt_actor *who,
		     int64_t id, struct cirt_diag *d)
{
	char object[32];
	int rc;

	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	rc = run(db, &q_delete, id, d);
	if (rc == 0) {
		snprintf(object, sizeof(object), "session:%" PRId64, id);
		rc = cirt_audit_append(db, who, "session.delete", object, NULL,
				       d);
	}
	return cirt_db_end(db, rc, d);
}
