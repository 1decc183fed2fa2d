# SPDX-License-Identifier: Apache-2.0
#
# Authorisation, route by route and role by role, against the table in
# docs/http-api.md: admin, analyst, constituent and partner. A route whose
# action the role may not perform is 403 naming the role and the action;
# one object outside the role's scope is 404 exactly as if it did not exist;
# lists are filtered to the scope. Every refusal leaves the store unchanged.
from harness import PASSWORD, CirtTestCase, uniq

ROLES = ("admin", "analyst", "constituent", "partner")


class AuthzTests(CirtTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.admin

        def org(kind):
            name = uniq("Authz %s " % kind)
            r = a.post("/api/v1/orgs", {"name": name, "kind": kind})
            assert r.status == 201, r
            return name

        def user(role, org):
            name = uniq(role[:4])
            r = a.post("/api/v1/users", {"name": name, "org": org, "role": role,
                                         "password": PASSWORD})
            assert r.status == 201, r
            r = a.post("/api/v1/tokens", {"user": name, "label": "authz"})
            assert r.status == 201, r
            return name, cls.server.client(token=r.json["token"]), r.json["id"]

        cls.C1, cls.C2 = org("constituent"), org("constituent")
        cls.P1, cls.P2 = org("partner"), org("partner")
        cls.u = {}
        cls.c = {}
        cls.tid = {}
        for key, role, o in (("analyst", "analyst", "CIRT"),
                             ("c1a", "constituent", cls.C1),
                             ("c1b", "constituent", cls.C1),
                             ("c2a", "constituent", cls.C2),
                             ("p1a", "partner", cls.P1),
                             ("p1b", "partner", cls.P1),
                             ("p2a", "partner", cls.P2)):
            cls.u[key], cls.c[key], cls.tid[key] = user(role, o)
        cls.u["admin"], cls.c["admin"] = "admin", cls.admin
        cls.tid["admin"] = [t for t in a.list_all("/api/v1/tokens", {"user": "admin"})
                            if t["label"] == "suite admin"][0]["id"]
        cls.c["constituent"], cls.c["partner"] = cls.c["c1a"], cls.c["p1a"]
        cls.u["constituent"], cls.u["partner"] = cls.u["c1a"], cls.u["p1a"]

    def refused(self, client, method, path, body, status, code, message=None,
                field=Ellipsis):
        before = self.snapshot()
        r = client.request(method, path, body)
        self.assertError(r, status, code, field=field, message=message)
        self.assertUnchanged(before)
        return r

    def same_as_missing(self, client, path, missing_path):
        """path answers exactly like a path to nothing (with the name
        swapped)."""
        r = self.refused(client, "GET", path, None, 404, "not_found")
        m = client.get(missing_path)
        self.assertEqual(m.status, 404)
        name = path.rsplit("/", 1)[1]
        ghost = missing_path.rsplit("/", 1)[1]
        self.assertEqual(r.json["error"]["message"].replace(name.replace("%20", " "), "X"),
                         m.json["error"]["message"].replace(ghost, "X"))
        self.assertEqual(r.json["error"]["field"], m.json["error"]["field"])

    def test_whoami_every_role(self):
        expect = {"admin": ("CIRT", "team"), "analyst": ("CIRT", "team"),
                  "constituent": (self.C1, "constituent"), "partner": (self.P1, "partner")}
        for role in ROLES:
            with self.subTest(role=role):
                r = self.c[role].get("/api/v1/whoami")
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json, {"user": self.u[role], "org": expect[role][0],
                                          "org_kind": expect[role][1], "role": role,
                                          "auth": "token"})

    def test_org_create_admin_only(self):
        for role in ("analyst", "constituent", "partner"):
            with self.subTest(role=role):
                self.refused(self.c[role], "POST", "/api/v1/orgs",
                             {"name": uniq("Nope "), "kind": "partner"}, 403, "forbidden",
                             message=["role '%s'" % role, "org.create"], field=None)
        r = self.admin.post("/api/v1/orgs", {"name": uniq("Yes "), "kind": "partner"})
        self.assertEqual(r.status, 201, r)

    def test_org_read_scope(self):
        every = {o["name"] for o in self.admin.list_all("/api/v1/orgs")}
        self.assertTrue({self.C1, self.C2, self.P1, self.P2, "CIRT"} <= every)
        for role, visible in (("admin", every), ("analyst", every),
                              ("c1a", {self.C1}), ("c2a", {self.C2}),
                              ("p1a", {self.P1}), ("p2a", {self.P2})):
            with self.subTest(role=role):
                got = [o["name"] for o in self.c[role].list_all("/api/v1/orgs")]
                self.assertEqual(set(got), visible)
                self.assertEqual(len(got), len(visible))
                got = self.c[role].list_all("/api/v1/orgs", {"kind": "team"})
                self.assertEqual([o["name"] for o in got],
                                 ["CIRT"] if role in ("admin", "analyst") else [])
                for name in (self.C1, self.C2, self.P1, self.P2, "CIRT"):
                    path = "/api/v1/orgs/" + name.replace(" ", "%20")
                    if name in visible:
                        r = self.c[role].get(path)
                        self.assertEqual(r.status, 200, r)
                        self.assertEqual(r.json["name"], name)
                    else:
                        self.same_as_missing(self.c[role], path,
                                             "/api/v1/orgs/" + uniq("Ghost"))

    def test_user_read_scope(self):
        every = {u["name"] for u in self.admin.list_all("/api/v1/users")}
        scope = {
            "admin": every, "analyst": every,
            "c1a": {self.u["c1a"], self.u["c1b"]}, "c2a": {self.u["c2a"]},
            "p1a": {self.u["p1a"]}, "p1b": {self.u["p1b"]}, "p2a": {self.u["p2a"]},
        }
        for who, visible in scope.items():
            with self.subTest(who=who):
                got = [u["name"] for u in self.c[who].list_all("/api/v1/users")]
                self.assertEqual(set(got), visible)
                for target in ("admin", "analyst", "c1a", "c1b", "c2a", "p1a", "p1b", "p2a"):
                    name = self.u[target]
                    if name in visible:
                        r = self.c[who].get("/api/v1/users/" + name)
                        self.assertEqual(r.status, 200, r)
                        self.assertEqual(r.json["name"], name)
                        self.assertNotIn("password", r.json)
                        self.assertNotIn("password_hash", r.json)
                    else:
                        self.same_as_missing(self.c[who], "/api/v1/users/" + name,
                                             "/api/v1/users/" + uniq("ghost"))
        # filters never widen the scope
        r = self.c["c1a"].get("/api/v1/users", query={"org": self.C2})
        self.assertEqual(r.status in (200, 404), True, r)
        if r.status == 200:
            self.assertEqual(r.json["items"], [])
        r = self.c["p1a"].get("/api/v1/users", query={"org": self.P1})
        self.assertEqual([u["name"] for u in r.json["items"]], [self.u["p1a"]])
        r = self.c["c1a"].get("/api/v1/users", query={"role": "admin"})
        self.assertEqual(r.json["items"], [])

    def test_filter_by_org_outside_sight_reveals_nothing(self):
        # ?org= naming an organisation the caller may not see must answer
        # like one that does not exist: otherwise the answer tells which
        # organisations the team serves.
        for who, other in (("c1a", "C2"), ("c1a", "P1"), ("p1a", "P2"), ("p1a", "C1")):
            with self.subTest(who=who, org=other):
                ghost = uniq("Ghost org ")
                r = self.c[who].get("/api/v1/users", query={"org": getattr(self, other)})
                m = self.c[who].get("/api/v1/users", query={"org": ghost})
                self.assertEqual(r.status, m.status, (r, m))
                if r.status == 200:
                    self.assertEqual(r.json, m.json)
                else:
                    self.assertEqual(r.json["error"]["message"].replace(
                        getattr(self, other), "X"),
                        m.json["error"]["message"].replace(ghost, "X"))

    def test_user_create_admin_only(self):
        for role in ("analyst", "constituent", "partner"):
            with self.subTest(role=role):
                self.refused(self.c[role], "POST", "/api/v1/users",
                             {"name": uniq("x"), "org": "CIRT", "role": "analyst",
                              "password": PASSWORD},
                             403, "forbidden", message=["role '%s'" % role, "user.create"])

    def test_user_update_admin_only(self):
        for who, target, status in (("analyst", "c1a", 403), ("analyst", "admin", 403),
                                    ("c1a", "c1b", 403), ("c1a", "c2a", 404),
                                    ("p1a", "p1b", 404), ("p1a", "p1a", 403),
                                    ("analyst", "analyst", 403), ("c1a", "c1a", 403)):
            for body in ({"disabled": True}, {"role": "admin"}, {"disabled": False}):
                with self.subTest(who=who, target=target, body=body):
                    self.refused(self.c[who], "PATCH", "/api/v1/users/" + self.u[target],
                                 body, status,
                                 "forbidden" if status == 403 else "not_found",
                                 message="user.update" if status == 403 else "no user")

    def test_user_password_scope(self):
        new = {"password": "a new password here"}
        for who, target, status in (("analyst", "c1a", 403), ("analyst", "admin", 403),
                                    ("c1a", "c1b", 403), ("c1a", "c2a", 404),
                                    ("p1a", "p1b", 404), ("p2a", "analyst", 404)):
            with self.subTest(who=who, target=target):
                body = dict(new, current_password=PASSWORD)
                self.refused(self.c[who], "PATCH", "/api/v1/users/" + self.u[target],
                             body, status, "forbidden" if status == 403 else "not_found")

    def test_token_scope(self):
        # lists: own tokens only, unless admin
        for who in ("analyst", "c1a", "p1a"):
            with self.subTest(who=who, what="list"):
                items = self.c[who].list_all("/api/v1/tokens")
                self.assertTrue(items)
                self.assertEqual({t["user"] for t in items}, {self.u[who]})
                for t in items:
                    self.assertNotIn("token", t)
        users = {t["user"] for t in self.admin.list_all("/api/v1/tokens")}
        self.assertTrue({self.u["c1a"], self.u["p1a"], "admin"} <= users)
        # one token of someone else: 404 as if absent, for read and revoke
        for who, target in (("analyst", "c1a"), ("c1a", "c1b"), ("p1a", "p1b"),
                            ("c1a", "admin"), ("p2a", "analyst")):
            with self.subTest(who=who, target=target):
                path = "/api/v1/tokens/%d" % self.tid[target]
                r = self.refused(self.c[who], "GET", path, None, 404, "not_found",
                                 field="id")
                ghost = self.c[who].get("/api/v1/tokens/999999")
                self.assertEqual(r.json["error"]["message"].replace(
                    str(self.tid[target]), "N"),
                    ghost.json["error"]["message"].replace("999999", "N"))
                self.refused(self.c[who], "DELETE", path, None, 404, "not_found")
                self.assertEqual(self.c[target].get("/api/v1/whoami").status, 200)
        # own token: visible
        r = self.c["p1a"].get("/api/v1/tokens/%d" % self.tid["p1a"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["user"], self.u["p1a"])

    def test_token_create_for_others(self):
        # A user the caller can see but may not create tokens for: 403.
        for who, target in (("analyst", "c1a"), ("c1a", "c1b")):
            with self.subTest(who=who, target=target):
                self.refused(self.c[who], "POST", "/api/v1/tokens",
                             {"user": self.u[target]}, 403, "forbidden", field="user")
                self.refused(self.c[who], "GET", "/api/v1/tokens?user=" + self.u[target],
                             None, 403, "forbidden", field="user")
        # For oneself it works, naming oneself or not.
        r = self.c["p1a"].post("/api/v1/tokens", {"user": self.u["p1a"], "label": "own"})
        self.assertEqual(r.status, 201, r)
        r = self.c["p1a"].post("/api/v1/tokens", {})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["user"], self.u["p1a"])
        r = self.admin.post("/api/v1/tokens", {"user": self.u["p2a"]})
        self.assertEqual(r.status, 201, r)

    def test_token_of_user_outside_sight_is_404(self):
        # A user outside what the caller may see must answer exactly like
        # a user that does not exist (docs: "an object outside what the
        # caller may see is also 404"), or the answer tells who exists.
        ghost = uniq("ghost")
        for who, target in (("p1a", "p1b"), ("p1a", "c1a"), ("c1a", "c2a"),
                            ("c1a", "admin")):
            with self.subTest(who=who, target=target, what="create"):
                m = self.c[who].post("/api/v1/tokens", {"user": ghost})
                self.assertError(m, 404, "not_found", field="user")
                r = self.refused(self.c[who], "POST", "/api/v1/tokens",
                                 {"user": self.u[target]}, 404, "not_found", field="user")
                self.assertEqual(r.json["error"]["message"].replace(self.u[target], "X"),
                                 m.json["error"]["message"].replace(ghost, "X"))
            with self.subTest(who=who, target=target, what="list"):
                m = self.c[who].get("/api/v1/tokens?user=" + ghost)
                self.assertError(m, 404, "not_found", field="user")
                self.refused(self.c[who], "GET", "/api/v1/tokens?user=" + self.u[target],
                             None, 404, "not_found", field="user")

    def test_audit_admin_only(self):
        for role in ("analyst", "constituent", "partner"):
            for path in ("/api/v1/audit", "/api/v1/audit/verify"):
                with self.subTest(role=role, path=path):
                    self.refused(self.c[role], "GET", path, None, 403, "forbidden",
                                 message=["role '%s'" % role, "audit.read"], field=None)
        self.assertEqual(self.admin.get("/api/v1/audit").status, 200)
        self.assertEqual(self.admin.get("/api/v1/audit/verify").status, 200)

    def test_metrics_admin_and_analyst(self):
        for role, status in (("admin", 200), ("analyst", 200), ("constituent", 403),
                             ("partner", 403)):
            with self.subTest(role=role):
                r = self.c[role].get("/metrics")
                self.assertEqual(r.status, status, r)

    def test_session_routes_every_role(self):
        for role in ROLES:
            with self.subTest(role=role):
                r = self.c[role].get("/api/v1/session")
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json["role"], role)
                self.refused(self.c[role], "DELETE", "/api/v1/session", None, 400,
                             "invalid")

    def test_own_password_every_role(self):
        for role in ("analyst", "constituent", "partner"):
            with self.subTest(role=role):
                name = self.make_user(role)  # in an organisation of its own
                c = self.server.client(token=self.make_token(name))
                r = c.patch("/api/v1/users/" + name, {"password": "a new password 1"})
                self.assertError(r, 400, "invalid", field="current_password",
                                 message="current_password")
                r = c.patch("/api/v1/users/" + name, {"password": "a new password 1",
                                                      "current_password": "not it at all"})
                self.assertError(r, 403, "forbidden", field="current_password",
                                 message="wrong")
                r = c.patch("/api/v1/users/" + name, {"password": "a new password 1",
                                                      "current_password": PASSWORD})
                self.assertEqual(r.status, 200, r)
                r = self.server.client(basic=(name, "a new password 1")).get(
                    "/api/v1/whoami")
                self.assertEqual(r.status, 200, r)
