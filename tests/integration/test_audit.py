# SPDX-License-Identifier: Apache-2.0
#
# The audit log: every change (org add, user add, token create and revoke,
# user disable, enable, role and password, session login and logout) is an
# entry with actor, address, action and object, through the API and
# through the CLI; the hash chain verifies through `cirtkit audit verify`,
# `cirtkit check` and GET /api/v1/audit/verify; and tampering with the
# store directly (an edited detail, a deleted middle row, a deleted last
# row, a row inserted past the end, a replaced hash) is found, naming the
# first broken entry.
import json
import os
import pwd
import re

from harness import PASSWORD, CirtTestCase, Server, Store, uniq

ACTOR = "cli:" + pwd.getpwuid(os.geteuid()).pw_name


class AuditTrailTests(CirtTestCase):
    def new_entries(self, after):
        return [e for e in self.admin.list_all("/api/v1/audit") if e["seq"] > after]

    def last_seq(self):
        items = self.admin.list_all("/api/v1/audit")
        return items[-1]["seq"] if items else 0

    def assertEntry(self, e, action, actor, obj, addr="127.0.0.1", detail=None):
        self.assertEqual(e["action"], action, e)
        self.assertEqual(e["actor"], actor, e)
        self.assertEqual(e["addr"], addr, e)
        self.assertEqual(e["object"], obj, e)
        self.assertRegex(e["hash"], r"^[0-9a-f]{64}$")
        self.assertRegex(e["time"], r"Z$")
        self.assertIsInstance(e["detail"], dict)
        if detail:
            for k, v in detail.items():
                self.assertEqual(e["detail"].get(k), v, e)

    def test_every_api_change_is_audited(self):
        seq = self.last_seq()
        admin2 = self.make_user("admin")
        c2 = self.server.client(token=self.make_token(admin2))
        start = self.last_seq()
        org = uniq("Audited ")
        self.assertEqual(c2.post("/api/v1/orgs", {"name": org, "kind": "partner"}).status, 201)
        user = uniq("aud")
        self.assertEqual(c2.post("/api/v1/users", {"name": user, "org": org, "role": "partner",
                                                   "password": PASSWORD}).status, 201)
        r = c2.post("/api/v1/tokens", {"user": user, "label": "audited", "expires_days": 7})
        tid = r.json["id"]
        self.assertEqual(c2.delete("/api/v1/tokens/%d" % tid).status, 204)
        self.assertEqual(c2.patch("/api/v1/users/" + user, {"disabled": True}).status, 200)
        self.assertEqual(c2.patch("/api/v1/users/" + user, {"disabled": False}).status, 200)
        self.assertEqual(c2.patch("/api/v1/users/" + user,
                                  {"password": "a changed password"}).status, 200)
        r, secret = self.login(user, "a changed password")
        s = self.server.client(cookie=secret, csrf=r.json["csrf_token"])
        self.assertEqual(s.delete("/api/v1/session").status, 204)
        analyst = self.make_user("analyst")
        self.assertEqual(c2.patch("/api/v1/users/" + analyst, {"role": "admin"}).status, 200)
        e = self.new_entries(start)
        actions = [x["action"] for x in e]
        self.assertEqual(actions, ["org.add", "user.add", "token.create", "token.revoke",
                                   "user.disable", "user.enable", "user.password",
                                   "session.create", "session.delete",
                                   "user.add", "user.role"],
                         actions)
        self.assertEntry(e[0], "org.add", admin2, "org:" + org, detail={"kind": "partner"})
        self.assertEntry(e[1], "user.add", admin2, "user:" + user)
        self.assertEntry(e[2], "token.create", admin2, "token:%d" % tid,
                         detail={"user": user, "label": "audited"})
        self.assertEntry(e[3], "token.revoke", admin2, "token:%d" % tid,
                         detail={"user": user})
        self.assertEntry(e[4], "user.disable", admin2, "user:" + user)
        self.assertEntry(e[5], "user.enable", admin2, "user:" + user)
        self.assertEntry(e[6], "user.password", admin2, "user:" + user)
        self.assertEqual(e[7]["action"], "session.create")
        self.assertEqual(e[7]["actor"], user)
        self.assertEqual(e[7]["addr"], "127.0.0.1")
        self.assertRegex(e[7]["object"], r"^session:\d+$")
        self.assertEntry(e[8], "session.delete", user, e[7]["object"])
        self.assertEqual(e[-1]["action"], "user.role")
        self.assertEntry(e[-1], "user.role", admin2, "user:" + analyst)
        # seq numbers are consecutive, and nothing secret is in the log
        all_entries = self.admin.list_all("/api/v1/audit")
        self.assertEqual([x["seq"] for x in all_entries],
                         list(range(1, len(all_entries) + 1)))
        text = json.dumps(all_entries)
        self.assertNotIn(PASSWORD, text)
        self.assertNotIn("a changed password", text)
        self.assertNotIn(secret, text)
        self.assertNotIn(r.json["csrf_token"], text)
        self.assertGreater(start, seq)

    def test_refusals_are_not_audited(self):
        seq = self.last_seq()
        self.admin.post("/api/v1/orgs", {"name": "CIRT", "kind": "partner"})
        self.admin.post("/api/v1/session", {"user": "admin", "password": "wrong password"})
        self.admin.patch("/api/v1/users/admin", {"disabled": True})
        self.admin.delete("/api/v1/tokens/999999")
        self.assertEqual(self.new_entries(seq), [])

    def test_cli_changes_are_audited(self):
        seq = self.last_seq()
        org = uniq("Cli org ")
        user = uniq("cliaud")
        self.assertEqual(self.store.cli("org", "add", org, "--kind", "constituent")[0], 0)
        rc, out, err = self.store.cli("user", "add", user, "--org", org, "--role",
                                      "constituent")
        self.assertEqual(rc, 0, err)
        rc, out, err = self.store.cli("token", "create", user, "--label", "cli")
        tid = int(re.search(r"token (\d+)", err).group(1))
        self.assertEqual(self.store.cli("token", "revoke", str(tid))[0], 0)
        self.assertEqual(self.store.cli("user", "disable", user)[0], 0)
        self.assertEqual(self.store.cli("user", "enable", user)[0], 0)
        self.assertEqual(self.store.cli("user", "password", user)[0], 0)
        e = self.new_entries(seq)
        self.assertEqual([x["action"] for x in e],
                         ["org.add", "user.add", "token.create", "token.revoke",
                          "user.disable", "user.enable", "user.password"])
        for x in e:
            self.assertEqual((x["actor"], x["addr"]), (ACTOR, "local"), x)
        self.assertEqual(e[0]["object"], "org:" + org)
        self.assertEqual(e[2]["object"], "token:%d" % tid)
        # the CLI's own listing agrees with the API
        rc, out, err = self.store.cli("audit", "list", "--after", str(seq), "--format", "json")
        self.assertEqual(json.loads(out), e)

    def test_verify_intact(self):
        r = self.admin.get("/api/v1/audit/verify")
        self.assertEqual(r.status, 200, r)
        entries = self.admin.list_all("/api/v1/audit")
        self.assertEqual(r.json["intact"], True)
        self.assertIsNone(r.json["broken_entry"])
        self.assertGreaterEqual(r.json["entries"], len(entries))
        self.assertRegex(r.json["head"], r"^[0-9a-f]{64}$")
        rc, out, err = self.store.cli("audit", "verify")
        self.assertEqual(rc, 0, out + err)
        self.assertIn("intact", out)
        rc, out, err = self.store.cli("check")
        self.assertEqual(rc, 0, out + err)


class TamperTests(CirtTestCase):
    """Each test tampers with a store of its own."""
    SERVER = False

    def setUp(self):
        self.st = Store()
        self.addCleanup(self.st.close)
        self.st.init()
        for i in range(2):
            rc, out, err = self.st.cli("org", "add", "Tamper %d" % i, "--kind", "partner")
            self.assertEqual(rc, 0, err)
        rc, out, err = self.st.cli("audit", "list", "--format", "json")
        self.entries = json.loads(out)
        # init: org.add, root.add, playbook.seed, user.add; then 2 org.add
        self.assertEqual(len(self.entries), 6)
        rc, out, err = self.st.cli("audit", "verify")
        self.assertEqual(rc, 0, out + err)
        self.srv = Server(self.st)
        self.srv.start()
        self.addCleanup(self.srv.stop)
        rc, out, err = self.st.cli("token", "create", "admin")
        self.admin = self.srv.client(token=out.strip())
        self.n = 7  # the token.create above

    def assertBroken(self, entry, reason_re):
        rc, out, err = self.st.cli("audit", "verify")
        self.assertEqual(rc, 1, out + err)
        self.assertRegex(out + err, r"\b%d\b" % entry)
        self.assertRegex(out + err, r"(?i)broken at entry %d\b" % entry)
        self.assertRegex(out + err, reason_re)
        rc, out2, err2 = self.st.cli("check")
        self.assertEqual(rc, 1, out2 + err2)
        self.assertIn("entry %d" % entry, out2 + err2)
        r = self.admin.get("/api/v1/audit/verify")
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.json["intact"], False, r.json)
        self.assertEqual(r.json["broken_entry"], entry, r.json)
        self.assertRegex(r.json["reason"], reason_re)
        return out + err

    def test_edited_detail(self):
        self.st.sql("UPDATE audit SET detail = '{\"id\":3,\"kind\":\"constituent\"}' "
                    "WHERE seq = 4")
        self.assertBroken(4, "edited")

    def test_edited_actor_of_first_entry(self):
        self.st.sql("UPDATE audit SET actor = 'somebody-else' WHERE seq = 1")
        self.assertBroken(1, "edited")

    def test_deleted_middle_row(self):
        self.st.sql("DELETE FROM audit WHERE seq = 3")
        self.assertBroken(3, "deleted")

    def test_deleted_and_renumbered(self):
        # delete entry 3 and move the later ones down to close the gap
        self.st.sql("DELETE FROM audit WHERE seq = 3")
        for s in range(4, self.n + 1):
            self.st.sql("UPDATE audit SET seq = %d WHERE seq = %d" % (s - 1, s))
        self.st.sql("UPDATE audit_head SET seq = %d" % (self.n - 1))
        self.assertBroken(3, "prev_hash|deleted|inserted|replaced")

    def test_deleted_last_row(self):
        self.st.sql("DELETE FROM audit WHERE seq = %d" % self.n)
        self.assertBroken(self.n, "deleted at the end")

    def test_deleted_last_row_and_head_rewound(self):
        # also move the head back: the head's hash still gives it away
        self.st.sql("DELETE FROM audit WHERE seq = %d" % self.n)
        self.st.sql("UPDATE audit_head SET seq = %d" % (self.n - 1))
        # the entry that is gone is the last one
        self.assertBroken(self.n, "head|deleted")

    def test_inserted_past_the_end(self):
        last = self.admin.list_all("/api/v1/audit")[-1]
        self.st.sql("INSERT INTO audit (seq, at, actor, addr, action, object, detail, "
                    "prev_hash, hash) VALUES (%d, %d, 'mallory', '10.0.0.1', 'org.add', "
                    "'org:Fake', '{}', '%s', '%s')"
                    % (self.n + 1, 1700000000000000, last["hash"], "ab" * 32))
        self.assertBroken(self.n + 1, "after the head|inserted")

    def test_replaced_hash(self):
        self.st.sql("UPDATE audit SET hash = '%s' WHERE seq = 2" % ("0" * 64))
        self.assertBroken(2, "edited|prev_hash")

    def test_verify_failure_reason_on_stderr(self):
        # docs/cli.md: exit 1 is failure "(the reason is on stderr)".
        self.st.sql("DELETE FROM audit WHERE seq = 2")
        rc, out, err = self.st.cli("audit", "verify")
        self.assertEqual(rc, 1, out + err)
        self.assertIn("2", err, "the broken entry is not named on stderr: stdout=%r "
                                "stderr=%r" % (out, err))
        self.assertTrue(err.startswith("cirtkit: "), err)
