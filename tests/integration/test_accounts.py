# SPDX-License-Identifier: Apache-2.0
#
# Accounts end to end through the HTTP API: organisations (kinds, one team,
# unique names, percent-encoded and Unicode names), users (role must fit
# the organisation's kind, generated passwords shown once), tokens (secret
# shown once, expiry, revocation), PATCH of users (role, disabled,
# password; never oneself; all or nothing), and paging with limit, cursor
# and next_cursor on every list.
import datetime

from harness import PASSWORD, CirtTestCase, q, uniq

TIME_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"


def parse_time(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")


class OrgTests(CirtTestCase):
    def test_create_get_list(self):
        name = uniq("Ministry of Health ")
        r = self.admin.post("/api/v1/orgs", {"name": name, "kind": "constituent"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(set(r.json), {"id", "name", "kind", "sector", "created_at"})
        self.assertEqual(r.json["sector"], "")
        self.assertEqual(r.json["name"], name)
        self.assertEqual(r.json["kind"], "constituent")
        self.assertRegex(r.json["created_at"], TIME_RE)
        created = r.json
        self.make_org("partner")
        r = self.admin.get("/api/v1/orgs/" + q(name))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, created)
        items = self.admin.list_all("/api/v1/orgs")
        self.assertIn(created, items)
        ids = [o["id"] for o in items]
        self.assertEqual(ids, sorted(ids))
        for kind in ("team", "constituent", "partner"):
            with self.subTest(kind=kind):
                got = self.admin.list_all("/api/v1/orgs", {"kind": kind})
                self.assertTrue(got)
                self.assertEqual({o["kind"] for o in got}, {kind})
        team = self.admin.list_all("/api/v1/orgs", {"kind": "team"})
        self.assertEqual([o["name"] for o in team], ["CIRT"])

    def test_duplicate_name_is_409(self):
        name = self.make_org("partner")
        before = self.snapshot()
        for kind in ("partner", "constituent"):
            r = self.admin.post("/api/v1/orgs", {"name": name, "kind": kind})
            self.assertError(r, 409, "conflict", field="name",
                             message=["already exists", name])
        self.assertUnchanged(before)
        # names differ by case or by white space inside: distinct
        r = self.admin.post("/api/v1/orgs", {"name": name.upper(), "kind": "partner"})
        self.assertEqual(r.status, 201, r)

    def test_second_team_is_409(self):
        before = self.snapshot()
        r = self.admin.post("/api/v1/orgs", {"name": uniq("Team two "), "kind": "team"})
        self.assertError(r, 409, "conflict", field="kind", message="team")
        self.assertUnchanged(before)

    def test_percent_encoded_names(self):
        for name in ("A/B " + uniq(), uniq("x") + " 100%", uniq("q") + "?x=1", uniq("h") + "#frag",
                     uniq("p") + "+plus", uniq("d") + "/..", "../" + uniq("e"),
                     uniq("amp") + "&a=b", uniq("s") + ";semi"):
            with self.subTest(name=name):
                r = self.admin.post("/api/v1/orgs", {"name": name, "kind": "partner"})
                self.assertEqual(r.status, 201, r)
                r = self.admin.get("/api/v1/orgs/" + q(name))
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json["name"], name)
                r = self.admin.get("/api/v1/orgs/" + q(name) + "/")
                self.assertEqual(r.status, 200, r)
                r = self.admin.get("/api/v1/users", query={"org": name})
                self.assertEqual(r.status, 200, r)
        # '+' is a plus in a path, not a space
        name = uniq("plus") + "+sign"
        self.make_org("partner", name=name)
        r = self.admin.get("/api/v1/orgs/" + name)
        self.assertEqual(r.status, 200, r)
        r = self.admin.get("/api/v1/orgs/" + name.replace("+", " ").replace(" ", "%20"))
        self.assertEqual(r.status, 404, r)
        # the literal A/B unencoded is two segments: no such route
        r = self.admin.get("/api/v1/orgs/A/B")
        self.assertError(r, 404, "not_found")

    def test_unicode_names(self):
        for name in ("Minist\u00e8re de la Sant\u00e9 " + uniq(),
                     "\u6771\u4eac\u90fd\u5e81 " + uniq(),
                     "\u0412\u0435\u0440\u0445\u043e\u0432\u043d\u0430 \u0420\u0430\u0434\u0430 " + uniq(),
                     "\u0648\u0632\u0627\u0631\u0629 " + uniq(),
                     uniq("Emoji ") + " \U0001F6E1\uFE0F",
                     "Cafe\u0301 " + uniq()):
            with self.subTest(name=name):
                r = self.admin.post("/api/v1/orgs", {"name": name, "kind": "constituent"})
                self.assertEqual(r.status, 201, r)
                self.assertEqual(r.json["name"], name)
                r = self.admin.get("/api/v1/orgs/" + q(name))
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json["name"], name)
                u = self.make_user("constituent", org=name)
                r = self.admin.get("/api/v1/users/" + u)
                self.assertEqual(r.json["org"], name)
                r = self.admin.get("/api/v1/users", query={"org": name})
                self.assertEqual([x["name"] for x in r.json["items"]], [u])
        # Unicode text is compared byte for byte: a different normal form
        # is a different name.
        r = self.admin.get("/api/v1/orgs/" + q("Caf\u00e9 x"))
        self.assertEqual(r.status, 404, r)


class UserTests(CirtTestCase):
    def test_create_with_generated_password(self):
        name = uniq("gen")
        r = self.admin.post("/api/v1/users", {"name": name, "org": "CIRT", "role": "analyst"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(set(r.json), {"id", "name", "org", "role", "disabled",
                                       "created_at", "updated_at", "password"})
        pw = r.json["password"]
        self.assertRegex(pw, r"^\S{12,1024}$")
        self.assertEqual(r.json["org"], "CIRT")
        self.assertEqual(r.json["role"], "analyst")
        self.assertIs(r.json["disabled"], False)
        self.assertRegex(r.json["created_at"], TIME_RE)
        r = self.admin.get("/api/v1/users/" + name)
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("password", r.json)
        for u in self.admin.list_all("/api/v1/users"):
            self.assertNotIn("password", u)
        r = self.server.client(basic=(name, pw)).get("/api/v1/whoami")
        self.assertEqual(r.status, 200, r)
        # the audit entry does not carry the password either
        audit = self.admin.list_all("/api/v1/audit")
        self.assertNotIn(pw, str(audit))

    def test_given_password_is_not_echoed(self):
        name = uniq("given")
        r = self.admin.post("/api/v1/users", {"name": name, "org": "CIRT", "role": "admin",
                                              "password": PASSWORD})
        self.assertEqual(r.status, 201, r)
        self.assertNotIn("password", r.json)
        self.assertNotIn(PASSWORD, r.raw.decode())

    def test_role_must_fit_org_kind(self):
        const, partner = self.make_org("constituent"), self.make_org("partner")
        bad = [("admin", const), ("analyst", const), ("partner", const),
               ("admin", partner), ("analyst", partner), ("constituent", partner),
               ("constituent", "CIRT"), ("partner", "CIRT")]
        for role, org in bad:
            with self.subTest(role=role, org=org):
                before = self.snapshot()
                r = self.admin.post("/api/v1/users", {"name": uniq("fit"), "org": org,
                                                      "role": role, "password": PASSWORD})
                self.assertError(r, 400, "invalid", field="role", message=[role, org])
                self.assertUnchanged(before)
        for role, org in (("admin", "CIRT"), ("analyst", "CIRT"),
                          ("constituent", const), ("partner", partner)):
            with self.subTest(role=role, org=org):
                self.make_user(role, org=org)

    def test_unknown_org_and_duplicate_name(self):
        before = self.snapshot()
        r = self.admin.post("/api/v1/users", {"name": uniq("x"), "org": uniq("Nowhere "),
                                              "role": "analyst", "password": PASSWORD})
        self.assertError(r, 404, "not_found", field="org", message="no organisation")
        self.assertUnchanged(before)
        name = self.make_user("analyst")
        before = self.snapshot()
        r = self.admin.post("/api/v1/users", {"name": name, "org": "CIRT", "role": "admin",
                                              "password": PASSWORD})
        self.assertError(r, 409, "conflict", field="name", message=name)
        self.assertUnchanged(before)

    def test_get_unknown_user(self):
        r = self.admin.get("/api/v1/users/nobody-" + uniq())
        self.assertError(r, 404, "not_found", field="user", message="no user named")

    def test_patch_role_and_disabled(self):
        name = self.make_user("analyst")
        r = self.admin.patch("/api/v1/users/" + name, {"role": "admin"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["role"], "admin")
        self.assertGreaterEqual(r.json["updated_at"], r.json["created_at"])
        c = self.server.client(token=self.make_token(name))
        self.assertEqual(c.get("/api/v1/audit").status, 200)  # now an admin
        r = self.admin.patch("/api/v1/users/" + name, {"role": "analyst", "disabled": True})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["role"], r.json["disabled"]), ("analyst", True))
        r = self.admin.get("/api/v1/users/" + name)
        self.assertEqual((r.json["role"], r.json["disabled"]), ("analyst", True))
        r = self.admin.patch("/api/v1/users/" + name, {"disabled": False})
        self.assertEqual(r.json["disabled"], False)
        # an empty PATCH changes nothing and answers the user
        before = self.snapshot()
        r = self.admin.patch("/api/v1/users/" + name, {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["name"], name)
        self.assertUnchanged(before)

    def test_patch_role_must_fit(self):
        name = self.make_user("analyst")
        before = self.snapshot()
        r = self.admin.patch("/api/v1/users/" + name, {"role": "partner"})
        self.assertError(r, 400, "invalid", field="role", message="partner")
        self.assertUnchanged(before)

    def test_patch_is_all_or_nothing(self):
        name = self.make_user("analyst")
        before = self.snapshot()
        # the role change is valid, the password is not
        r = self.admin.patch("/api/v1/users/" + name, {"role": "admin", "password": "short"})
        self.assertError(r, 400, "invalid", field="password")
        # disabling is valid, the role does not fit
        r = self.admin.patch("/api/v1/users/" + name, {"disabled": True,
                                                       "role": "constituent"})
        self.assertError(r, 400, "invalid", field="role")
        r = self.admin.patch("/api/v1/users/" + name, {"disabled": True, "role": "admin",
                                                       "password": "x" * 1025})
        self.assertError(r, 400, "invalid", field="password")
        self.assertUnchanged(before)
        r = self.admin.get("/api/v1/users/" + name)
        self.assertEqual((r.json["role"], r.json["disabled"]), ("analyst", False))

    def test_never_oneself(self):
        name = self.make_user("admin")
        c = self.server.client(token=self.make_token(name))
        before = self.snapshot()
        for body in ({"disabled": True}, {"role": "analyst"}, {"disabled": False},
                     {"role": "admin"}, {"role": "analyst", "password": "long enough pw"}):
            with self.subTest(body=body):
                r = c.patch("/api/v1/users/" + name, body)
                self.assertError(r, 409, "conflict", message="your own")
        self.assertUnchanged(before)
        r = self.admin.patch("/api/v1/users/admin", {"disabled": True})
        self.assertError(r, 409, "conflict")
        self.assertEqual(c.get("/api/v1/whoami").status, 200)

    def test_admin_sets_password_without_current(self):
        name = self.make_user("partner")
        r = self.admin.patch("/api/v1/users/" + name, {"password": "set by the admin"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.server.client(basic=(name, "set by the admin"))
                         .get("/api/v1/whoami").status, 200)
        self.assertEqual(self.server.client(basic=(name, PASSWORD))
                         .get("/api/v1/whoami").status, 401)

    def test_unknown_user_patch(self):
        before = self.snapshot()
        r = self.admin.patch("/api/v1/users/" + uniq("ghost"), {"disabled": True})
        self.assertError(r, 404, "not_found", field="user")
        self.assertUnchanged(before)


class TokenTests(CirtTestCase):
    def test_token_shown_once(self):
        user = self.make_user("analyst")
        r = self.admin.post("/api/v1/tokens", {"user": user, "label": "TAXII client"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(set(r.json), {"id", "user", "label", "created_at", "expires_at",
                                       "revoked_at", "last_used_at", "token"})
        tok = r.json["token"]
        self.assertRegex(tok, r"^cirt_[0-9a-f]{64}$")
        self.assertEqual(r.json["user"], user)
        self.assertEqual(r.json["label"], "TAXII client")
        self.assertIsNone(r.json["revoked_at"])
        self.assertIsNone(r.json["last_used_at"])
        d = parse_time(r.json["expires_at"]) - parse_time(r.json["created_at"])
        self.assertAlmostEqual(d.total_seconds(), 90 * 86400, delta=5)
        tid = r.json["id"]
        r = self.admin.get("/api/v1/tokens/%d" % tid)
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("token", r.json)
        self.assertNotIn(tok, r.raw.decode())
        lst = self.admin.get("/api/v1/tokens", query={"user": user})
        self.assertNotIn(tok, lst.raw.decode())
        self.assertNotIn(tok, str(self.admin.list_all("/api/v1/audit")))
        r = self.server.client(token=tok).get("/api/v1/whoami")
        self.assertEqual(r.json["user"], user)

    def test_expiry_choices(self):
        for days in (1, 30, 3650):
            with self.subTest(days=days):
                r = self.admin.post("/api/v1/tokens", {"expires_days": days})
                self.assertEqual(r.status, 201, r)
                d = parse_time(r.json["expires_at"]) - parse_time(r.json["created_at"])
                self.assertAlmostEqual(d.total_seconds(), days * 86400, delta=5)
        r = self.admin.post("/api/v1/tokens", {"expires_days": 0})
        self.assertIsNone(r.json["expires_at"])
        self.assertEqual(self.server.client(token=r.json["token"])
                         .get("/api/v1/whoami").status, 200)

    def test_revoke(self):
        user = self.make_user("constituent")
        t1, t2 = self.make_token(user), self.make_token(user)
        r = self.admin.delete("/api/v1/tokens/%d" % t1.id)
        self.assertEqual(r.status, 204, r)
        r = self.admin.get("/api/v1/tokens/%d" % t1.id)
        self.assertRegex(r.json["revoked_at"], TIME_RE)
        self.assertEqual(self.server.client(token=t1).get("/api/v1/whoami").status, 401)
        self.assertEqual(self.server.client(token=t2).get("/api/v1/whoami").status, 200)
        before = self.snapshot()
        r = self.admin.delete("/api/v1/tokens/%d" % t1.id)
        self.assertError(r, 409, "conflict", field="id", message="already revoked")
        r = self.admin.delete("/api/v1/tokens/987654321")
        self.assertError(r, 404, "not_found", field="id")
        self.assertUnchanged(before)
        # a token may revoke itself
        c = self.server.client(token=t2)
        self.assertEqual(c.delete("/api/v1/tokens/%d" % t2.id).status, 204)
        self.assertEqual(c.get("/api/v1/whoami").status, 401)

    def test_list_filters(self):
        user = self.make_user("analyst")
        toks = [self.make_token(user, label="n%d" % i) for i in range(3)]
        items = self.admin.list_all("/api/v1/tokens", {"user": user})
        self.assertEqual([t["id"] for t in items], [t.id for t in toks])
        self.assertEqual([t["label"] for t in items], ["n0", "n1", "n2"])
        r = self.admin.get("/api/v1/tokens", query={"user": uniq("ghost")})
        self.assertError(r, 404, "not_found", field="user")


class PagingTests(CirtTestCase):
    def pages(self, path, query, limit):
        """Walk a list page by page; returns the pages."""
        pages, cursor = [], None
        for _ in range(1000):
            qs = dict(query, limit=str(limit))
            if cursor is not None:
                qs["cursor"] = cursor
            r = self.admin.get(path, query=qs)
            self.assertEqual(r.status, 200, r)
            self.assertLessEqual(len(r.json["items"]), limit)
            pages.append(r.json["items"])
            cursor = r.json.get("next_cursor")
            if cursor is None:
                return pages
            self.assertIsInstance(cursor, str)
            self.assertEqual(len(r.json["items"]), limit)
        self.fail("paging does not end")

    def check_paging(self, path, query, key):
        full = self.admin.list_all(path, query)
        self.assertGreaterEqual(len(full), 5)
        for limit in (1, 2, 3, len(full) - 1, len(full), len(full) + 1):
            with self.subTest(path=path, limit=limit):
                pages = self.pages(path, query, limit)
                flat = [x for p in pages for x in p]
                self.assertEqual(flat, full)
                keys = [x[key] for x in flat]
                self.assertEqual(keys, sorted(keys))
                self.assertEqual(len(set(keys)), len(keys))
                self.assertTrue(all(pages[:-1]))
                if limit >= len(full):
                    self.assertEqual(len(pages), 1)

    def test_paging_orgs(self):
        for _ in range(5):
            self.make_org("partner")
        self.check_paging("/api/v1/orgs", {}, "id")
        self.check_paging("/api/v1/orgs", {"kind": "partner"}, "id")

    def test_paging_tokens_and_audit(self):
        user = self.make_user("analyst")
        for i in range(6):
            self.make_token(user, label="page %d" % i)
        self.check_paging("/api/v1/tokens", {"user": user}, "id")
        self.check_paging("/api/v1/tokens", {}, "id")
        self.check_paging("/api/v1/audit", {}, "seq")

    def test_paging_users(self):
        org = self.make_org("constituent")
        for _ in range(5):
            self.make_user("constituent", org=org)
        self.check_paging("/api/v1/users", {"org": org}, "id")
        self.check_paging("/api/v1/users", {"role": "constituent"}, "id")

    def test_default_limit_is_100(self):
        user = self.make_user("analyst")
        for i in range(101):
            r = self.admin.post("/api/v1/tokens", {"user": user, "expires_days": 1})
            self.assertEqual(r.status, 201)
        r = self.admin.get("/api/v1/tokens", query={"user": user})
        self.assertEqual(len(r.json["items"]), 100)
        self.assertIn("next_cursor", r.json)
        r2 = self.admin.get("/api/v1/tokens",
                            query={"user": user, "cursor": r.json["next_cursor"]})
        self.assertEqual(len(r2.json["items"]), 1)
        self.assertNotIn("next_cursor", r2.json)

    def test_cursor_past_the_end_and_bad_cursors(self):
        r = self.admin.get("/api/v1/orgs", query={"cursor": "999999999"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"items": []})
        for bad in ("abc", "-1", "1.5", "", "1 ", "0x10", "99999999999999999999999"):
            with self.subTest(cursor=bad):
                r = self.admin.get("/api/v1/orgs", query={"cursor": bad})
                self.assertError(r, 400, "invalid", field="cursor", message="cursor")
