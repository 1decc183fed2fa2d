# SPDX-License-Identifier: Apache-2.0
#
# Several servers on one PostgreSQL store behave as one (PostgreSQL only;
# skipped on SQLite): an org made through A is seen through B, a token made
# through A works on B, a session cookie from A works on B (with its CSRF
# token), disabling a user through B stops their token on A at once, and
# concurrent writes through both keep the audit chain intact.
import threading
import unittest

import harness
from harness import PASSWORD, CirtTestCase, Server, Store, uniq
from test_taxii import Tx, add_collection, indicator


@unittest.skipUnless(harness.BACKEND == "pg",
                     "several servers share a store only on PostgreSQL")
class MultiServerTests(CirtTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()  # server A, with the admin token
        cls.a = cls.server
        cls.b = Server(cls.store)
        cls.b.start()
        cls.addClassCleanup(cls.b.stop)
        cls.admin_b = cls.b.client(token=cls.admin_token)

    def test_org_through_a_visible_through_b(self):
        name = uniq("Shared ")
        r = self.admin.post("/api/v1/orgs", {"name": name, "kind": "constituent"})
        self.assertEqual(r.status, 201, r)
        r = self.admin_b.get("/api/v1/orgs/" + harness.q(name))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["name"], name)
        # and a conflict is seen across servers
        r = self.admin_b.post("/api/v1/orgs", {"name": name, "kind": "partner"})
        self.assertError(r, 409, "conflict", field="name")

    def test_token_from_a_works_on_b(self):
        user = self.make_user("analyst")
        r = self.admin.post("/api/v1/tokens", {"user": user})
        self.assertEqual(r.status, 201, r)
        tok, tid = r.json["token"], r.json["id"]
        r = self.b.client(token=tok).get("/api/v1/whoami")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["user"], user)
        # revoked through B: refused by A at once
        self.assertEqual(self.admin_b.delete("/api/v1/tokens/%d" % tid).status, 204)
        r = self.a.client(token=tok).get("/api/v1/whoami")
        self.assertError(r, 401, "unauthorized", message="revoked")

    def test_session_from_a_works_on_b(self):
        user = self.make_user("constituent")
        r, secret = self.login(user)
        csrf = r.json["csrf_token"]
        sb = self.b.client(cookie=secret)
        r = sb.get("/api/v1/session")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["user"], r.json["auth"], r.json["csrf_token"]),
                         (user, "session", csrf))
        r = sb.post("/api/v1/tokens", {})
        self.assertError(r, 403, "forbidden")
        r = sb.with_(csrf=csrf).post("/api/v1/tokens", {"label": "via b"})
        self.assertEqual(r.status, 201, r)
        # logout through B ends it on A
        self.assertEqual(sb.with_(csrf=csrf).delete("/api/v1/session").status, 204)
        r = self.a.client(cookie=secret).get("/api/v1/whoami")
        self.assertError(r, 401, "unauthorized")

    def test_disable_through_b_stops_token_on_a(self):
        user = self.make_user("partner")
        tok = self.make_token(user)
        _, secret = self.login(user)
        ca, sa = self.a.client(token=tok), self.a.client(cookie=secret)
        self.assertEqual(ca.get("/api/v1/whoami").status, 200)
        self.assertEqual(sa.get("/api/v1/whoami").status, 200)
        r = self.admin_b.patch("/api/v1/users/" + user, {"disabled": True})
        self.assertEqual(r.status, 200, r)
        self.assertError(ca.get("/api/v1/whoami"), 401, "unauthorized", message="disabled")
        self.assertError(sa.get("/api/v1/whoami"), 401, "unauthorized")
        r = self.admin_b.patch("/api/v1/users/" + user, {"disabled": False})
        self.assertEqual(ca.get("/api/v1/whoami").status, 200)

    def test_password_change_through_a_seen_by_b(self):
        user = self.make_user("analyst")
        r = self.admin.patch("/api/v1/users/" + user, {"password": "changed on server a"})
        self.assertEqual(r.status, 200, r)
        r = self.b.client(basic=(user, PASSWORD)).get("/api/v1/whoami")
        self.assertEqual(r.status, 401, r)
        r = self.b.client(basic=(user, "changed on server a")).get("/api/v1/whoami")
        self.assertEqual(r.status, 200, r)

    def test_concurrent_writes_through_both(self):
        before = len(self.admin.list_all("/api/v1/audit"))
        prefix = uniq("Both")
        results = []
        lock = threading.Lock()

        def writer(srv, n):
            c = srv.client(token=self.admin_token)
            for i in range(12):
                if i % 3 == 2:
                    r = c.post("/api/v1/tokens", {"label": "%s %d/%d" % (prefix, n, i),
                                                  "expires_days": 1})
                else:
                    r = c.post("/api/v1/orgs", {"name": "%s %d/%d" % (prefix, n, i),
                                                "kind": "partner"})
                with lock:
                    results.append(r.status)

        threads = [threading.Thread(target=writer, args=(srv, n))
                   for n, srv in enumerate([self.a, self.b] * 3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(results, [201] * len(results), results)
        self.assertEqual(len(results), 6 * 12)
        for c in (self.admin, self.admin_b):
            r = c.get("/api/v1/audit/verify")
            self.assertEqual(r.status, 200, r)
            self.assertIs(r.json["intact"], True, r.json)
        audit = self.admin_b.list_all("/api/v1/audit")
        self.assertEqual(len(audit), before + len(results))
        self.assertEqual([e["seq"] for e in audit], list(range(1, len(audit) + 1)))
        rc, out, err = self.store.cli("audit", "verify")
        self.assertEqual(rc, 0, out + err)
        rc, out, err = self.store.cli("check")
        self.assertEqual(rc, 0, out + err)
        names = {o["name"] for o in self.admin.list_all("/api/v1/orgs")}
        self.assertEqual(len([n for n in names if n.startswith(prefix)]), 6 * 8)


@unittest.skipUnless(harness.BACKEND == "pg",
                     "dropping store connections needs PostgreSQL")
class StoreOutageTests(CirtTestCase):
    SERVER = False

    def test_lost_connections_are_503_then_recover(self):
        # A store of its own, reached as a database role of its own, so
        # that only its connections are ended.
        st = Store()
        role = "r_outage_" + st.schema
        harness.psql("CREATE ROLE %s LOGIN SUPERUSER" % role)
        self.addCleanup(harness.psql, "DROP ROLE IF EXISTS %s" % role)
        self.addCleanup(st.close)
        st.conninfo += " user=" + role
        st.args = ["--db", st.conninfo]
        st.init()
        srv = Server(st)
        srv.start()
        self.addCleanup(srv.stop)
        rc, out, err = st.cli("token", "create", "admin")
        c = srv.client(token=out.strip())
        self.assertEqual(c.get("/api/v1/orgs").status, 200)
        ended = harness.psql("SELECT count(pg_terminate_backend(pid)) FROM "
                             "pg_stat_activity WHERE usename = '%s'" % role)
        self.assertGreaterEqual(int(ended[0][0]), 1)
        statuses = []
        for _ in range(8):
            for path in ("/healthz", "/api/v1/orgs"):
                r = c.get(path)
                statuses.append(r.status)
                self.assertIn(r.status, (200, 503), r)
                if r.status == 503:
                    self.assertError(r, 503, "unavailable", field=None)
                    self.assertNotIn("postgresql", r.raw.decode().lower())
        self.assertEqual(statuses[-4:], [200] * 4, statuses)
        r = c.post("/api/v1/orgs", {"name": uniq("After outage "), "kind": "partner"})
        self.assertEqual(r.status, 201, r)
        r = c.get("/api/v1/audit/verify")
        self.assertIs(r.json["intact"], True)


@unittest.skipUnless(harness.BACKEND == "pg",
                     "several servers share a store only on PostgreSQL")
class MultiServerTaxiiTests(CirtTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = Server(cls.store)
        cls.b.start()
        cls.addClassCleanup(cls.b.stop)
        cls.ta = Tx(cls.admin)
        cls.tb = Tx(cls.b.client(token=cls.admin_token))

    def test_next_from_a_is_followed_on_b(self):
        cid = add_collection(self.store)
        objs = [indicator(n=i) for i in range(25)]
        r = self.ta.post(self.ta.coll(cid, "objects"), {"objects": objs})
        self.assertEqual(r.status, 202, r)
        # The status written through A is read through B.
        st = self.tb.get(self.tb.path("status", r.tj["id"]))
        self.assertEqual(st.status, 200, st)
        self.assertEqual(st.tj["success_count"], 25)
        # Pages alternate between the servers and still make the whole.
        seen, q, k = [], {"limit": "4"}, 0
        while True:
            tx = (self.ta, self.tb)[k % 2]
            r = tx.get(tx.coll(cid, "objects"), q)
            self.assertEqual(r.status, 200, r)
            seen += [o["id"] for o in r.tj["objects"]]
            k += 1
            if not r.tj.get("more"):
                break
            q = {"limit": "4", "next": r.tj["next"]}
        self.assertEqual(seen, [o["id"] for o in objs])
        self.assertEqual(k, 7)
