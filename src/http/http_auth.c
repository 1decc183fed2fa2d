/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Credentials of a request, in order: the Authorization header (Bearer
 * TOKEN, or Basic with either a password or a token as the password, the
 * way TAXII clients send them), else the session cookie. A session must
 * echo its CSRF token in X-CSRF-Token on any method other than GET and
 * HEAD. RFC 6750 (Bearer), RFC 7617 (Basic), RFC 6265 (cookies).
 *
 * Layer: http. Runs on worker threads with the request's store connection.
 */
#include <string.h>
#include <strings.h>

#include "account/session.h"
#include "account/token.h"
#include "account/user.h"
#include "core/crypto.h"
#include "core/mem.h"
#include "http/http_int.h"
#include "core/banned.h"

/* Case-insensitive scheme match; returns the credentials after it. */
static const char *after_scheme(const char *h, const char *scheme)
{
	size_t n = strlen(scheme);

	if (strncasecmp(h, scheme, n) != 0 || h[n] != ' ')
		return NULL;
	h += n;
	while (*h == ' ')
		h++;
	return h;
}

static int basic(struct cirt_req *r, struct cirt_diag *d)
{
	char *pw = NULL;
	char *user = MHD_basic_auth_get_username_password(r->conn, &pw);
	size_t len;
	int rc;

	if (user == NULL || pw == NULL) {
		MHD_free(user);
		MHD_free(pw);
		return cirt_diag_set(d, -CIRT_EAUTH, NULL,
				     "malformed Basic credentials");
	}
	len = strlen(pw);
	if (cirt_token_looks_like(pw, len)) {
		rc = cirt_token_authenticate(r->db, pw, len, &r->who, d);
		if (rc == 0 && strcmp(r->who.user, user) != 0)
			rc = cirt_diag_set(d, -CIRT_EAUTH, NULL,
					   "token does not belong to user "
					   "'%s'",
					   user);
	} else {
		rc = cirt_user_login(r->db, user, pw, len, &r->who, d);
	}
	cirt_wipe(pw, len);
	MHD_free(user);
	MHD_free(pw);
	return rc;
}

static bool safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

static int session(struct cirt_req *r, const char *cookie, struct cirt_diag *d)
{
	const char *csrf;
	int rc = cirt_session_authenticate(r->db, cookie, strlen(cookie),
					   &r->who, d);

	if (rc < 0 || safe_method(r->method))
		return rc;
	csrf = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
					   "X-CSRF-Token");
	if (csrf == NULL || strlen(csrf) != CIRT_CSRF_LEN ||
	    !cirt_ct_equal(csrf, r->who.csrf, CIRT_CSRF_LEN)) {
		memset(&r->who, 0, sizeof(r->who));
		return cirt_diag_set(d, -CIRT_EPERM, NULL,
				     "missing or wrong X-CSRF-Token header "
				     "for a session request that changes "
				     "state");
	}
	return 0;
}

int cirt_http_authenticate(struct cirt_req *r, struct cirt_diag *d)
{
	const char *h, *cred, *cookie;
	int rc;

	memset(&r->who, 0, sizeof(r->who));
	h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_AUTHORIZATION);
	if (h != NULL) {
		if ((cred = after_scheme(h, "Bearer")) != NULL)
			rc = cirt_token_authenticate(r->db, cred, strlen(cred),
						     &r->who, d);
		else if (after_scheme(h, "Basic") != NULL)
			rc = basic(r, d);
		else
			rc = cirt_diag_set(d, -CIRT_EAUTH, NULL,
					   "unsupported authorization scheme: "
					   "use Bearer or Basic");
	} else {
		cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
						     CIRT_SESSION_COOKIE);
		rc = cookie ? session(r, cookie, d) : 0;
	}
	if (rc < 0)
		memset(&r->who, 0, sizeof(r->who));
	return rc;
}
