/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * /api/v1/session: browser login (POST, no credentials needed), the
 * current session (GET) and logout (DELETE). The session secret travels
 * only in an HttpOnly, SameSite=Strict cookie (Secure under HTTPS); the
 * CSRF token is in the answer for the page to send back in X-CSRF-Token.
 *
 * Layer: api.
 */
#include "api/api.h"

#include <inttypes.h>
#include <stdio.h>

#include "account/session.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/time.h"
#include "core/banned.h"

static void set_cookie(struct cirt_req *r, const char *value, int64_t age)
{
	char cookie[256];

	snprintf(cookie, sizeof(cookie),
		 CIRT_SESSION_COOKIE "=%s; Path=/; Max-Age=%" PRId64
				     "; HttpOnly; SameSite=Strict%s",
		 value, age, cirt_req_settings(r)->tls ? "; Secure" : "");
	cirt_req_add_header(r, "Set-Cookie", cookie);
	cirt_wipe(cookie, sizeof(cookie));
}

int cirt_api_session_create(struct cirt_req *r, struct cirt_diag *d)
{
	static const char *const fields[] = {"user", "password"};
	const struct cirt_http_settings *s = cirt_req_settings(r);
	char secret[CIRT_SESSION_SECRET_LEN + 1];
	json_t *b = cirt_req_body(r), *out;
	struct cirt_principal p;
	const char *user, *pw;
	int64_t expires;
	size_t len;
	int rc;

	rc = cirt_json_only(b, fields, 2, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "user", true, &user, NULL, d);
	if (rc == 0)
		rc = cirt_json_get_str(b, "password", true, &pw, &len, d);
	if (rc == 0)
		rc = cirt_session_login(cirt_req_db(r), user, pw, len,
					cirt_req_addr(r), s->session_hours,
					secret, &expires, &p, d);
	if (rc < 0)
		return rc;
	out = cirt_api_principal_json(&p);
	json_object_set_new(out, "csrf_token", json_string(p.csrf));
	json_object_set_new(out, "expires_at", cirt_json_time(expires));
	cirt_req_reply_json(r, 201, out);
	set_cookie(r, secret, s->session_hours * 3600);
	cirt_wipe(secret, sizeof(secret));
	return 0;
}

int cirt_api_session_get(struct cirt_req *r, struct cirt_diag *d)
{
	const struct cirt_principal *p = cirt_req_principal(r);
	json_t *out = cirt_api_principal_json(p);

	(void)d;
	if (p->via == CIRT_VIA_SESSION)
		json_object_set_new(out, "csrf_token", json_string(p->csrf));
	return cirt_req_reply_json(r, 200, out);
}

int cirt_api_session_delete(struct cirt_req *r, struct cirt_diag *d)
{
	const struct cirt_principal *p = cirt_req_principal(r);
	int rc;

	if (p->via != CIRT_VIA_SESSION)
		return cirt_diag_set(d, -CIRT_EINVAL, NULL,
				     "this request did not come with a "
				     "session cookie; there is no session to "
				     "end");
	rc = cirt_session_end(cirt_req_db(r), cirt_req_actor(r), p->cred_id, d);
	if (rc < 0)
		return rc;
	cirt_req_reply_json(r, 204, NULL);
	set_cookie(r, "", 0);
	return 0;
}
