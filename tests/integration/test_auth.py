# SPDX-License-Identifier: Apache-2.0
#
# Authentication: missing, bad, malformed, unknown, expired and revoked
# tokens and tokens of a disabled user (401 with a clear message and
# WWW-Authenticate, store unchanged); Basic with a password or a token;
# browser sessions (HttpOnly SameSite=Strict cookie, CSRF token on every
# state-changing request, logout, expiry, password change); disabling a user
# stops every token and session at once, enabling brings the tokens back
# (through the API and through the CLI while the server runs).
import base64

from harness import PASSWORD, CirtTestCase, uniq


class AuthTests(CirtTestCase):
    def unauthorized(self, client, message, path="/api/v1/whoami", method="GET",
                     body=None):
        before = self.snapshot()
        r = client.request(method, path, body)
        self.assertError(r, 401, "unauthorized", field=None, message=message)
        self.assertUnchanged(before)
        return r

    def token_id(self, token):
        """The id of a token (and use it once)."""
        c = self.server.client(token=token)
        self.assertEqual(c.get("/api/v1/whoami").status, 200)
        return token.id

    def test_no_credentials(self):
        for method, path in (("GET", "/api/v1/whoami"), ("GET", "/api/v1/orgs"),
                             ("POST", "/api/v1/orgs"), ("GET", "/api/v1/audit"),
                             ("GET", "/metrics"), ("DELETE", "/api/v1/session"),
                             ("GET", "/api/v1/session"),
                             ("PATCH", "/api/v1/users/admin")):
            with self.subTest(method=method, path=path):
                self.unauthorized(self.anon, "authentication required", path, method,
                                  {"name": "x", "kind": "partner"} if method != "GET" else None)

    def test_bad_tokens(self):
        cases = [
            ("", "malformed token"),
            ("abc", "malformed token"),
            ("cirt_" + "0" * 63, "malformed token"),
            ("cirt_" + "0" * 65, "malformed token"),
            ("cirt_" + "A" * 64, "malformed token"),
            ("CIRT_" + "a" * 64, "malformed token"),
            ("tok_" + "a" * 65, "malformed token"),
            ("cirt_" + "g" * 64, "malformed token"),
            ("cirt_" + "0" * 64, "unknown token"),
            ("cirt_" + "f" * 64, "unknown token"),
            (self.admin_token[:-1] + ("0" if self.admin_token[-1] != "0" else "1"),
             "unknown token"),
            ("'; DROP TABLE tokens; --", "malformed token"),
        ]
        for tok, msg in cases:
            with self.subTest(token=tok):
                self.unauthorized(self.server.client(token=tok), msg)

    def test_unsupported_scheme_and_malformed_basic(self):
        for header, msg in (("Digest username=admin", "unsupported"),
                            ("Token abc", "unsupported"),
                            ("Bearer", "unsupported"),
                            ("Basic !!!notbase64", "malformed Basic"),
                            ("Basic " + base64.b64encode(b"nocolon").decode(),
                             "malformed Basic")):
            with self.subTest(header=header):
                before = self.snapshot()
                r = self.anon.get("/api/v1/whoami", headers={"Authorization": header})
                self.assertError(r, 401, "unauthorized", message=msg)
                self.assertUnchanged(before)

    def test_expired_token(self):
        user = self.make_user("analyst")
        tok = self.make_token(user, expires_days=1)
        c = self.server.client(token=tok)
        self.assertEqual(c.get("/api/v1/whoami").status, 200)
        tid = self.token_id(tok)
        self.store.sql("UPDATE tokens SET expires_at = 1000000 WHERE id = %d" % tid)
        self.unauthorized(c, "expired")
        # also through Basic with the token as the password
        self.unauthorized(self.server.client(basic=(user, tok)), "expired")
        # a token that expires right now is expired too
        import time
        now_us = int(time.time() * 1e6)
        self.store.sql("UPDATE tokens SET expires_at = %d WHERE id = %d" % (now_us, tid))
        self.unauthorized(c, "expired")
        # and the list shows it with its expiry
        r = self.admin.get("/api/v1/tokens/%d" % tid)
        self.assertEqual(r.status, 200)
        self.assertIsNotNone(r.json["expires_at"])

    def test_revoked_token(self):
        user = self.make_user("partner")
        tok = self.make_token(user)
        c = self.server.client(token=tok)
        self.assertEqual(c.get("/api/v1/whoami").status, 200)
        tid = self.token_id(tok)
        r = c.delete("/api/v1/tokens/%d" % tid)  # users revoke their own
        self.assertEqual(r.status, 204, r)
        self.assertEqual(r.raw, b"")
        self.unauthorized(c, "revoked")
        self.unauthorized(self.server.client(basic=(user, tok)), "revoked")
        r = self.admin.delete("/api/v1/tokens/%d" % tid)
        self.assertError(r, 409, "conflict", field="id", message="already revoked")
        r = self.admin.get("/api/v1/tokens/%d" % tid)
        self.assertIsNotNone(r.json["revoked_at"])

    def test_disabled_user_token_and_basic(self):
        user = self.make_user("constituent")
        tok = self.make_token(user)
        c = self.server.client(token=tok)
        self.assertEqual(c.get("/api/v1/whoami").status, 200)
        r = self.admin.patch("/api/v1/users/" + user, {"disabled": True})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["disabled"])
        self.unauthorized(c, "disabled")
        self.unauthorized(self.server.client(basic=(user, tok)), "disabled")
        self.unauthorized(self.server.client(basic=(user, PASSWORD)), "disabled")
        r = self.anon.post("/api/v1/session", {"user": user, "password": PASSWORD})
        self.assertError(r, 401, "unauthorized")

    def test_basic_with_password_and_with_token(self):
        user = self.make_user("analyst")
        r = self.server.client(basic=(user, PASSWORD)).get("/api/v1/whoami")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"user": user, "org": "CIRT", "org_kind": "team",
                                  "role": "analyst", "auth": "password"})
        tok = self.make_token(user)
        r = self.server.client(basic=(user, tok)).get("/api/v1/whoami")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["auth"], "token")
        r = self.server.client(token=tok).get("/api/v1/whoami")
        self.assertEqual(r.json["auth"], "token")
        # wrong password, unknown user: the same message
        r1 = self.unauthorized(self.server.client(basic=(user, PASSWORD + "!")),
                               "wrong user name or password")
        r2 = self.unauthorized(self.server.client(basic=(uniq("ghost"), PASSWORD)),
                               "wrong user name or password")
        self.assertEqual(r1.json, r2.json)
        # someone else's token as the password
        self.unauthorized(self.server.client(basic=("admin", tok)), "does not belong")

    def test_basic_with_bad_bytes(self):
        # Raw bytes a client sends in Basic credentials: every one is just
        # a wrong user name or password (401), never a store error.
        for user, pw in ((b"\xff", b"some password here"),
                         (b"adm\xc3in", b"some password here"),
                         (b"\xed\xa0\x80", b"some password here"),
                         (b"admin", b"\xff\xfe not utf-8 at all"),
                         (b"admin' --", b"' OR '1'='1"),
                         (b"admin", b"")):
            with self.subTest(user=user, password=pw):
                r = self.unauthorized(self.server.client(basic=(user, pw)),
                                      "wrong user name or password")
                self.assertEqual(r.json["error"]["field"], None)

    # ---- sessions ----

    def test_session_login_cookie_and_csrf(self):
        user = self.make_user("analyst")
        r, secret = self.login(user)
        self.assertEqual(r.json["user"], user)
        self.assertEqual(r.json["role"], "analyst")
        self.assertEqual(r.json["auth"], "session")
        self.assertRegex(r.json["csrf_token"], r"^[0-9a-f]{64}$")
        self.assertRegex(r.json["expires_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertRegex(secret, r"^[0-9a-f]{64}$")
        cookie = [c for c in r.cookies() if c.startswith("cirtkit_session=")][0]
        attrs = [a.strip() for a in cookie.split(";")[1:]]
        self.assertIn("HttpOnly", attrs)
        self.assertIn("SameSite=Strict", attrs)
        self.assertIn("Path=/", attrs)
        self.assertIn("Max-Age=43200", attrs)
        self.assertNotIn("Secure", attrs)  # plain HTTP
        self.assertNotIn(secret, r.raw.decode())  # only in the cookie
        csrf = r.json["csrf_token"]

        s = self.server.client(cookie=secret)
        r = s.get("/api/v1/whoami")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["auth"], "session")
        r = s.get("/api/v1/session")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["csrf_token"], csrf)
        self.assertEqual(r.json["user"], user)

        # state-changing requests need X-CSRF-Token
        for bad in (None, "", "0" * 64, csrf[:-1], csrf.upper(), csrf + "0"):
            with self.subTest(csrf=bad):
                before = self.snapshot()
                r = s.with_(csrf=bad).post("/api/v1/tokens", {"label": "csrf"})
                self.assertError(r, 403, "forbidden", field=None, message="X-CSRF-Token")
                r = s.with_(csrf=bad).delete("/api/v1/session")
                self.assertError(r, 403, "forbidden", message="X-CSRF-Token")
                r = s.with_(csrf=bad).patch("/api/v1/users/" + user,
                                            {"password": "a-brand-new-password",
                                             "current_password": PASSWORD})
                self.assertError(r, 403, "forbidden", message="X-CSRF-Token")
                self.assertUnchanged(before)
        # the CSRF token is not a credential on its own
        r = self.anon.with_(csrf=csrf).get("/api/v1/whoami")
        self.assertError(r, 401, "unauthorized")
        r = s.with_(csrf=csrf).post("/api/v1/tokens", {"label": "with csrf"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["user"], user)

        # logout
        r = s.with_(csrf=csrf).delete("/api/v1/session")
        self.assertEqual(r.status, 204, r)
        cleared = [c for c in r.cookies() if c.startswith("cirtkit_session=")]
        self.assertEqual(len(cleared), 1, r.cookies())
        self.assertIn("Max-Age=0", cleared[0])
        self.assertTrue(cleared[0].startswith("cirtkit_session=;"), cleared)
        r = s.get("/api/v1/whoami")
        self.assertError(r, 401, "unauthorized", message="session has ended")
        r = s.with_(csrf=csrf).delete("/api/v1/session")
        self.assertError(r, 401, "unauthorized")

    def test_session_cookie_of_another_session_csrf(self):
        user = self.make_user("analyst")
        r1, s1 = self.login(user)
        r2, s2 = self.login(user)
        self.assertNotEqual(s1, s2)
        self.assertNotEqual(r1.json["csrf_token"], r2.json["csrf_token"])
        # the CSRF token of session 2 does not work with the cookie of 1
        r = self.server.client(cookie=s1, csrf=r2.json["csrf_token"]).post(
            "/api/v1/tokens", {})
        self.assertError(r, 403, "forbidden")
        # logging out of one session leaves the other
        r = self.server.client(cookie=s1, csrf=r1.json["csrf_token"]).delete(
            "/api/v1/session")
        self.assertEqual(r.status, 204)
        self.assertEqual(self.server.client(cookie=s2).get("/api/v1/whoami").status, 200)

    def test_bad_session_cookies(self):
        for cookie, msg in (("x", "malformed session cookie"),
                            ("0" * 63, "malformed session cookie"),
                            ("G" * 64, "malformed session cookie"),
                            ("0" * 64, "session has ended")):
            with self.subTest(cookie=cookie):
                self.unauthorized(self.server.client(cookie=cookie), msg)

    def test_wrong_login(self):
        user = self.make_user("partner")
        before = self.snapshot()
        r1 = self.anon.post("/api/v1/session", {"user": user, "password": "wrong password!"})
        self.assertError(r1, 401, "unauthorized", message="wrong user name or password")
        r2 = self.anon.post("/api/v1/session", {"user": uniq("nobody"),
                                                "password": "wrong password!"})
        self.assertError(r2, 401, "unauthorized", message="wrong user name or password")
        self.assertEqual(r1.json, r2.json)
        self.assertEqual(r1.cookies(), [])
        self.assertUnchanged(before)

    def test_session_expiry(self):
        user = self.make_user("analyst")
        _, secret = self.login(user)
        s = self.server.client(cookie=secret)
        self.assertEqual(s.get("/api/v1/whoami").status, 200)
        self.store.sql("UPDATE sessions SET expires_at = 1000 WHERE user_id = "
                       "(SELECT id FROM users WHERE name = '%s')" % user)
        self.unauthorized(s, "expired")

    def test_session_delete_needs_a_session(self):
        user = self.make_user("analyst")
        c = self.server.client(token=self.make_token(user))
        before = self.snapshot()
        r = c.delete("/api/v1/session")
        self.assertError(r, 400, "invalid", field=None, message="session")
        r = self.server.client(basic=(user, PASSWORD)).delete("/api/v1/session")
        self.assertError(r, 400, "invalid", message="session")
        self.assertUnchanged(before)
        r = c.get("/api/v1/session")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["auth"], "token")
        self.assertNotIn("csrf_token", r.json)

    def test_password_change_ends_sessions_keeps_tokens(self):
        user = self.make_user("constituent")
        tok = self.make_token(user)
        r, secret = self.login(user)
        csrf = r.json["csrf_token"]
        s = self.server.client(cookie=secret, csrf=csrf)
        new = "another long password"
        r = s.patch("/api/v1/users/" + user, {"password": new,
                                              "current_password": PASSWORD})
        self.assertEqual(r.status, 200, r)
        self.unauthorized(s, "session has ended")
        self.assertEqual(self.server.client(token=tok).get("/api/v1/whoami").status, 200)
        self.unauthorized(self.server.client(basic=(user, PASSWORD)), "wrong")
        r = self.server.client(basic=(user, new)).get("/api/v1/whoami")
        self.assertEqual(r.status, 200, r)

    def test_disable_stops_everything_enable_restores_tokens(self):
        user = self.make_user("analyst")
        toks = [self.make_token(user, label="t%d" % i) for i in range(3)]
        sessions = [self.login(user)[1] for _ in range(2)]
        clients = [self.server.client(token=t) for t in toks] + [
            self.server.client(cookie=s) for s in sessions]
        for c in clients:
            self.assertEqual(c.get("/api/v1/whoami").status, 200)
        r = self.admin.patch("/api/v1/users/" + user, {"disabled": True})
        self.assertEqual(r.status, 200, r)
        for c in clients:
            r = c.get("/api/v1/whoami")
            self.assertError(r, 401, "unauthorized")
        for c in clients[:3]:
            self.assertIn("disabled", c.get("/api/v1/orgs").json["error"]["message"])
        r = self.admin.patch("/api/v1/users/" + user, {"disabled": False})
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json["disabled"])
        for c in clients[:3]:
            self.assertEqual(c.get("/api/v1/whoami").status, 200)
        for c in clients[3:]:  # sessions ended for good
            self.assertError(c.get("/api/v1/whoami"), 401, "unauthorized",
                             message="session has ended")
        # a revoked token stays revoked across disable/enable
        tid = self.token_id(toks[0])
        self.assertEqual(self.admin.delete("/api/v1/tokens/%d" % tid).status, 204)
        self.admin.patch("/api/v1/users/" + user, {"disabled": True})
        self.admin.patch("/api/v1/users/" + user, {"disabled": False})
        self.assertError(clients[0].get("/api/v1/whoami"), 401, "unauthorized",
                         message="revoked")
        self.assertEqual(clients[1].get("/api/v1/whoami").status, 200)

    def test_cli_disable_while_serving(self):
        user = self.make_user("partner")
        tok = self.make_token(user)
        _, secret = self.login(user)
        c, s = self.server.client(token=tok), self.server.client(cookie=secret)
        rc, out, err = self.store.cli("user", "disable", user)
        self.assertEqual(rc, 0, err)
        self.assertError(c.get("/api/v1/whoami"), 401, "unauthorized", message="disabled")
        self.assertError(s.get("/api/v1/whoami"), 401, "unauthorized")
        rc, out, err = self.store.cli("user", "enable", user)
        self.assertEqual(rc, 0, err)
        self.assertEqual(c.get("/api/v1/whoami").status, 200)
        self.assertError(s.get("/api/v1/whoami"), 401, "unauthorized")

    def test_last_used_at(self):
        user = self.make_user("analyst")
        tok = self.make_token(user)
        tid = self.token_id(tok)  # uses it
        r = self.admin.get("/api/v1/tokens/%d" % tid)
        self.assertIsNotNone(r.json["last_used_at"], r.json)
        self.assertRegex(r.json["last_used_at"], r"Z$")


class LifetimeSettingsTests(CirtTestCase):
    """session_hours and token_days from the environment."""
    SERVER_ENV = {"CIRTKIT_SESSION_HOURS": "1", "CIRTKIT_TOKEN_DAYS": "7"}

    def test_session_hours(self):
        user = self.make_user("analyst")
        r, secret = self.login(user)
        cookie = [c for c in r.cookies() if c.startswith("cirtkit_session=")][0]
        self.assertIn("Max-Age=3600", [a.strip() for a in cookie.split(";")])
        import datetime
        exp = datetime.datetime.strptime(r.json["expires_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
        left = (exp - datetime.datetime.utcnow()).total_seconds()
        self.assertTrue(3500 < left <= 3600, left)

    def test_token_days(self):
        import datetime
        fmt = "%Y-%m-%dT%H:%M:%S.%fZ"
        r = self.admin.post("/api/v1/tokens", {})
        self.assertEqual(r.status, 201, r)
        d = (datetime.datetime.strptime(r.json["expires_at"], fmt)
             - datetime.datetime.strptime(r.json["created_at"], fmt))
        self.assertAlmostEqual(d.total_seconds(), 7 * 86400, delta=5)
        # the CLI reads the same setting
        rc, out, err = self.store.cli("token", "create", "admin",
                                      env={"CIRTKIT_TOKEN_DAYS": "0"})
        self.assertEqual(rc, 0, err)
        self.assertIn("never", err)
