/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Browser login sessions (for the web UI): a login with user name and
 * password creates a session whose secret goes to the browser as an
 * HttpOnly cookie and is stored only as its SHA-256, with an absolute
 * expiry (session_hours). Each session also has a CSRF token that the
 * browser must echo in X-CSRF-Token on every request that changes state.
 * Sessions live in the store, so every server sharing it accepts them.
 *
 * Layer: account. Login and logout are audited.
 */
#ifndef CIRT_ACCOUNT_SESSION_H
#define CIRT_ACCOUNT_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "account/authz.h"
#include "audit/audit.h"
#include "store/db.h"

#define CIRT_SESSION_COOKIE	"cirtkit_session"
#define CIRT_SESSION_SECRET_LEN 64

/*
 * Log user in from addr for hours hours: checks the password (-CIRT_EAUTH),
 * stores a new session and fills secret (the cookie value), *expires and
 * out (via = CIRT_VIA_SESSION, cred_id = session id, csrf set).
 */
int cirt_session_login(struct cirt_db *db, const char *user, const char *pw,
		       size_t len, const char *addr, int64_t hours,
		       char secret[CIRT_SESSION_SECRET_LEN + 1],
		       int64_t *expires, struct cirt_principal *out,
		       struct cirt_diag *d) CIRT_MUST_CHECK;

/* Authenticate a cookie value; -CIRT_EAUTH if unknown or expired, or the
 * user is disabled. */
int cirt_session_authenticate(struct cirt_db *db, const char *secret,
			      size_t len, struct cirt_principal *out,
			      struct cirt_diag *d) CIRT_MUST_CHECK;

/* End session id (log out). */
int cirt_session_end(struct cirt_db *db, const struct cirt_actor *who,
		     int64_t id, struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
