# SPDX-License-Identifier: Apache-2.0
#
# What surrounds the incidents, through the API and the command line: the
# taxonomy (GET /api/v1/taxonomy, `cirtkit taxonomy`), the SLA targets
# (GET/PUT /api/v1/sla, `cirtkit sla list|set`: limits, audit, roles),
# the playbooks (`cirtkit init` puts the shipped ones in once and never
# again, /api/v1/playbooks and `cirtkit playbook`: checks naming the
# field, one playbook per class, audit, roles), organisations' sectors
# (`org add --sector`, POST /api/v1/orgs), and the national statistics
# (GET /api/v1/stats as JSON and CSV, `cirtkit stats` as table, CSV and
# JSON) over incidents written straight into the store, every figure
# checked against a count made here.
import csv
import io
import json
import os
import statistics

from harness import CirtTestCase, q, run_cli, uniq

SEVERITIES = ["low", "medium", "high", "critical"]
SHIPPED = ["account-compromise", "data-leak", "ddos", "intrusion",
           "malware-infection", "phishing", "ransomware", "scanning",
           "vulnerable-system", "web-defacement"]
SECTORS_SOME = ["energy", "banking", "health", "digital-infrastructure",
                "public-administration", "other"]
BASE = 1735689600  # 2025-01-01T00:00:00Z
DAY = 86400


def audit_actions(store):
    rc, out, err = store.cli("audit", "list", "--format", "json")
    assert rc == 0, err
    return [e["action"] for e in json.loads(out)]


class StatsData:
    """A few constituents with sectors and incidents written straight
    into the store, and the figures they must give."""

    ORGS = [("Grid", "energy"), ("Bank A", "banking"), ("Bank B", "banking"),
            ("Clinic, North", "health"), ("Nobody knows", "")]
    # class, type, status, reported (days after BASE), ack s, res s, orgs
    INCIDENTS = [
        ("fraud", "phishing", "closed", 0, 60, 3600, [1, 2]),
        ("fraud", "phishing", "resolved", 1, 120, 7200, [0]),
        ("fraud", "phishing", "in-progress", 40, 30, None, []),
        ("availability", "ddos", "new", 2, None, None, [4]),
        ("availability", "ddos", "triaged", 70, 45, None, [0, 3]),
        ("availability", "ddos", "rejected", 3, 1, 2, [4]),
        ("malicious-code", "ransomware", "duplicate", 4, 1, 2, []),
        ("malicious-code", "ransomware", "closed", 95, 600, 86400, [3]),
    ]

    def __init__(self, case, suffix):
        self.names = []
        for name, sector in self.ORGS:
            full = "%s %s" % (name, suffix)
            body = {"name": full, "kind": "constituent"}
            if sector:
                body["sector"] = sector
            r = case.admin.post("/api/v1/orgs", body)
            case.assertEqual(r.status, 201, r)
            case.assertEqual(r.json["sector"], sector)
            self.names.append(full)
        st = case.store
        ids = {}
        for name in self.names:
            ids[name] = int(st.sql("SELECT id FROM orgs WHERE name = '%s'"
                                   % name)[0][0])
        for n, (cls, typ, status, day, ack, res, orgs) in enumerate(self.INCIDENTS):
            rep = (BASE + day * DAY) * 1000000
            a = "NULL" if ack is None else str(rep + ack * 1000000)
            r = "NULL" if res is None else str(rep + res * 1000000)
            st.sql("INSERT INTO incidents (uuid, ref, title, description, "
                   "class, type, severity, impact, tlp, status, reporter_kind, "
                   "reporter, version, reported_at, created_at, updated_at, "
                   "acknowledged_at, resolved_at, closed_at) VALUES "
                   "('%s-%d', 'STAT-%s-%d', 'stats', '', '%s', '%s', 1, "
                   "'unknown', 2, '%s', 'team', 'test', 1, %d, %d, %d, %s, "
                   "%s, NULL)" % (suffix, n, suffix, n, cls, typ, status, rep,
                                  rep, rep, a, r))
            iid = int(st.sql("SELECT id FROM incidents WHERE ref = 'STAT-%s-%d'"
                             % (suffix, n))[0][0])
            for o in orgs:
                st.sql("INSERT INTO incident_orgs (incident_id, org_id) "
                       "VALUES (%d, %d)" % (iid, ids[self.names[o]]))

    def expected(self, by, start=None, end=None):
        """{key: figures} and the total, counted here."""
        groups, total = {}, []
        for cls, typ, status, day, ack, res, orgs in self.INCIDENTS:
            t = BASE + day * DAY
            if status in ("rejected", "duplicate"):
                continue
            if (start is not None and t < start) or (end is not None and t >= end):
                continue
            inc = (ack, res)
            total.append(inc)
            if by == "class":
                keys = ["%s:%s" % (cls, typ)]
            elif by == "month":
                keys = ["2025-%02d" % (1 + [31, 59, 90, 120].index(
                    min(m for m in [31, 59, 90, 120] if day < m)))]
            elif by == "constituent":
                keys = [self.names[o] for o in orgs] or ["(none)"]
            else:
                keys = sorted({self.ORGS[o][1] or "(unknown)" for o in orgs}) \
                    or ["(none)"]
            for k in keys:
                groups.setdefault(k, []).append(inc)
        return {k: figures(v) for k, v in groups.items()}, figures(total)


def figures(incs):
    acks = [a for a, _ in incs if a is not None]
    ress = [r for _, r in incs if r is not None]
    return {
        "incidents": len(incs),
        "acknowledged": len(acks),
        "acknowledge_mean_s": statistics.mean(acks) if acks else None,
        "acknowledge_median_s": statistics.median(acks) if acks else None,
        "resolved": len(ress),
        "resolve_mean_s": statistics.mean(ress) if ress else None,
        "resolve_median_s": statistics.median(ress) if ress else None,
    }


class IncidentAdminApi(CirtTestCase):
    def put(self, client, path, body):
        return client.request("PUT", path, body)

    def test_taxonomy(self):
        r = self.admin.get("/api/v1/taxonomy")
        self.assertEqual(r.status, 200, r)
        classes = {c["class"]: c for c in r.json["classes"]}
        self.assertEqual(len(classes), 11)
        types = {t["type"]: t for t in classes["fraud"]["types"]}
        self.assertEqual(types["pharming"]["rsit_type"], "phishing")
        self.assertEqual(types["pharming"]["wtsa"], ["pharming"])
        self.assertNotIn("rsit_type", types["phishing"])
        self.assertEqual(classes["fraud"]["label"], "Fraud")
        # Constituents see it too (they classify what they report);
        # partners do not.
        _, const = self.user_client("constituent")
        self.assertEqual(const.get("/api/v1/taxonomy").status, 200)
        _, partner = self.user_client("partner")
        self.assertError(partner.get("/api/v1/taxonomy"), 403, "forbidden")
        self.assertError(self.admin.get("/api/v1/taxonomy", query={"x": "1"}),
                         400, "invalid", field="x")

    def test_sla(self):
        _, analyst = self.user_client("analyst")
        r = analyst.get("/api/v1/sla")
        self.assertEqual(r.status, 200, r)
        self.assertEqual([t["severity"] for t in r.json["items"]], SEVERITIES)
        before = {t["severity"]: t for t in r.json["items"]}
        self.assertEqual(before["critical"]["acknowledge_minutes"], 15)
        self.assertEqual(before["critical"]["resolve_minutes"], 1440)
        self.assertError(self.put(analyst, "/api/v1/sla/low",
                                  {"acknowledge_minutes": 10,
                                   "resolve_minutes": 20}), 403, "forbidden")
        r = self.put(self.admin, "/api/v1/sla/low",
                     {"acknowledge_minutes": 720, "resolve_minutes": 20160})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"severity": "low", "acknowledge_minutes": 720,
                                  "resolve_minutes": 20160})
        r = analyst.get("/api/v1/sla")
        self.assertEqual(r.json["items"][0]["acknowledge_minutes"], 720)
        self.assertEqual(r.json["items"][1], before["medium"])
        e = self.admin.list_all("/api/v1/audit")[-1]
        self.assertEqual((e["action"], e["object"]), ("sla.set", "sla:low"))
        self.assertEqual(e["detail"]["acknowledge_minutes"], 720)
        self.assertEqual(e["detail"]["was_acknowledge_minutes"], 1440)
        bad = [
            ({"acknowledge_minutes": 10}, "resolve_minutes", "required"),
            ({"acknowledge_minutes": 0, "resolve_minutes": 10},
             "acknowledge_minutes", "between 1 and 525600"),
            ({"acknowledge_minutes": 10, "resolve_minutes": 525601},
             "resolve_minutes", "between 1 and 525600"),
            ({"acknowledge_minutes": 30, "resolve_minutes": 20},
             "acknowledge_minutes", "not be more than"),
            ({"acknowledge_minutes": "10", "resolve_minutes": 20},
             "acknowledge_minutes", "integer"),
            ({"acknowledge_minutes": 1, "resolve_minutes": 2, "x": 1}, "x",
             "unknown"),
        ]
        snap = self.snapshot()
        for body, field, msg in bad:
            with self.subTest(body=body):
                self.assertError(self.put(self.admin, "/api/v1/sla/high", body),
                                 400, "invalid", field=field, message=msg)
        self.assertError(self.put(self.admin, "/api/v1/sla/urgent",
                                  {"acknowledge_minutes": 1,
                                   "resolve_minutes": 2}),
                         404, "not_found", field="severity", message="critical")
        self.assertUnchanged(snap)

    def test_playbooks(self):
        _, analyst = self.user_client("analyst")
        r = analyst.get("/api/v1/playbooks")
        self.assertEqual(r.status, 200, r)
        self.assertEqual([p["name"] for p in r.json["items"]], SHIPPED)
        for p in r.json["items"]:
            self.assertTrue(5 <= len(p["tasks"]) <= 10, p)
            self.assertEqual(set(p), {"name", "title", "classes", "tasks",
                                      "updated_at"})
        r = analyst.get("/api/v1/playbooks/ransomware")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["classes"], ["malicious-code:ransomware"])
        _, const = self.user_client("constituent")
        self.assertError(const.get("/api/v1/playbooks"), 403, "forbidden")
        self.assertError(const.get("/api/v1/playbooks/ddos"), 403, "forbidden")

        name = uniq("pb")
        body = {"title": "Drill", "classes": ["test:test"],
                "tasks": [{"title": "Start the drill", "due_hours": 1},
                          {"title": "Write it up", "due_hours": 0}]}
        self.assertError(self.put(analyst, "/api/v1/playbooks/" + name, body),
                         403, "forbidden")
        r = self.put(self.admin, "/api/v1/playbooks/" + name, body)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["tasks"], body["tasks"])
        body["title"] = "Drill 2"
        r = self.put(self.admin, "/api/v1/playbooks/" + name, body)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(analyst.get("/api/v1/playbooks/" + name).json["title"],
                         "Drill 2")
        snap = self.snapshot()
        bad = [
            ({"title": "T", "classes": ["fraud:phish"], "tasks": body["tasks"]},
             400, "invalid", "classes[0]", ["phishing", "pharming"]),
            ({"title": "T", "classes": ["test"], "tasks": [{"title": "x",
                                                            "due_hours": 9000}]},
             400, "invalid", "tasks[0].due_hours", "8760"),
            ({"title": "T", "classes": ["test"], "tasks": []}, 400, "invalid",
             "tasks", "1 to 100"),
            ({"title": "T", "classes": ["test"], "tasks": body["tasks"],
              "owner": "x"}, 400, "invalid", "owner", "unknown"),
            ({"title": "T", "classes": ["availability:ddos"],
              "tasks": body["tasks"]}, 409, "conflict", "classes", "'ddos'"),
        ]
        other = uniq("pb")
        for b, status, code, field, msg in bad:
            with self.subTest(field=field):
                self.assertError(self.put(self.admin, "/api/v1/playbooks/" + other, b),
                                 status, code, field=field, message=msg)
        self.assertError(self.put(self.admin, "/api/v1/playbooks/Bad%20Name", body),
                         400, "invalid", field="name")
        self.assertError(analyst.get("/api/v1/playbooks/" + other), 404,
                         "not_found", field="name")
        self.assertError(analyst.get("/api/v1/playbooks/%E2%82%AC"), 404,
                         "not_found", field="name")
        self.assertUnchanged(snap)
        r = self.admin.delete("/api/v1/playbooks/" + name)
        self.assertEqual(r.status, 204, r)
        self.assertError(self.admin.delete("/api/v1/playbooks/" + name), 404,
                         "not_found")
        actions = [(e["action"], e["object"]) for e in
                   self.admin.list_all("/api/v1/audit")]
        self.assertEqual(actions.count(("playbook.put", "playbook:" + name)), 2)
        self.assertIn(("playbook.delete", "playbook:" + name), actions)
        self.assertEqual([a for a, _ in actions].count("playbook.seed"), 1)

    def test_org_sector(self):
        name = uniq("Utility ")
        r = self.admin.post("/api/v1/orgs", {"name": name, "kind": "constituent",
                                             "sector": "drinking-water"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["sector"], "drinking-water")
        self.assertEqual(self.admin.get("/api/v1/orgs/" + q(name)).json["sector"],
                         "drinking-water")
        snap = self.snapshot()
        for sector, msg in (("water", ["not a sector", "drinking-water",
                                       "financial-market-infrastructure"]),
                            ("Energy", "not a sector"), (5, "string")):
            with self.subTest(sector=sector):
                self.assertError(self.admin.post("/api/v1/orgs", {
                    "name": uniq("X "), "kind": "constituent", "sector": sector}),
                    400, "invalid", field="sector", message=msg)
        self.assertUnchanged(snap)

    def check_stats(self, got, want, total):
        self.assertEqual([r["key"] for r in got["rows"]], sorted(want))
        for row in got["rows"] + [dict(got["total"], key=None)]:
            exp = total if row["key"] is None else want[row["key"]]
            for k, v in exp.items():
                if v is None or isinstance(v, int) and k in ("incidents", "acknowledged",
                                                             "resolved"):
                    self.assertEqual(row[k], v, (row, k))
                else:
                    self.assertAlmostEqual(row[k], v, places=3, msg=(row, k))

    def test_stats(self):
        data = StatsData(self, uniq("s"))
        _, analyst = self.user_client("analyst")
        for by in ("class", "sector", "constituent", "month"):
            with self.subTest(by=by):
                r = analyst.get("/api/v1/stats", query={"by": by})
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json["by"], by)
                self.assertIsNone(r.json["from"])
                want, total = data.expected(by)
                # Constituents made by other tests count under no name
                # of ours: only this class's orgs have incidents.
                self.check_stats(r.json, want, total)
        # [from, to): 2025-01-02 up to the day of the last ddos (70).
        start, end = BASE + DAY, BASE + 70 * DAY
        r = analyst.get("/api/v1/stats", query={
            "by": "class", "from": "2025-01-02", "to": "2025-03-12T00:00:00Z"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["from"], "2025-01-02T00:00:00.000Z")
        want, total = data.expected("class", start, end)
        self.check_stats(r.json, want, total)
        # CSV: the same figures.
        r = analyst.get("/api/v1/stats", query={"by": "constituent", "format": "csv"})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["Content-Type"].startswith("text/csv"), r.headers)
        rows = list(csv.reader(io.StringIO(r.raw.decode("utf-8"))))
        self.assertEqual(rows[0], ["key", "incidents", "acknowledged",
                                   "acknowledge_mean_s", "acknowledge_median_s",
                                   "resolved", "resolve_mean_s", "resolve_median_s"])
        want, total = data.expected("constituent")
        self.assertEqual([x[0] for x in rows[1:]], sorted(want) + ["total"])
        clinic = [x for x in rows if x[0].startswith("Clinic, North")][0]
        self.assertEqual(clinic[1:], ["2", "2", "322.5", "322.5", "1", "86400",
                                      "86400"])
        self.assertEqual(rows[-1][1], str(total["incidents"]))
        # Who may, and what is refused.
        _, const = self.user_client("constituent")
        self.assertError(const.get("/api/v1/stats"), 403, "forbidden")
        for query, field in (({"by": "org"}, "by"), ({"format": "xml"}, "format"),
                             ({"from": "2025-02-30"}, "from"),
                             ({"to": "yesterday"}, "to"),
                             ({"from": "2025-02-01", "to": "2025-01-01"}, "to"),
                             ({"per": "x"}, "per")):
            with self.subTest(query=query):
                self.assertError(analyst.get("/api/v1/stats", query=query), 400,
                                 "invalid", field=field)


class IncidentAdminCli(CirtTestCase):
    SERVER = False

    def cli_ok(self, *args, input=None):
        rc, out, err = self.store.cli(*args, input=input)
        self.assertEqual(rc, 0, out + err)
        return out

    def cli_fails(self, rc_want, *args, message=None, input=None):
        rc, out, err = self.store.cli(*args, input=input)
        self.assertEqual(rc, rc_want, out + err)
        self.assertTrue(err.startswith("cirtkit: "), err)
        for m in ([message] if isinstance(message, str) else message or []):
            self.assertIn(m, err)
        return err

    def test_seeded_once(self):
        self.assertEqual(audit_actions(self.store).count("playbook.seed"), 1)
        names = [p["name"] for p in json.loads(self.cli_ok(
            "playbook", "list", "--format", "json"))]
        self.assertEqual(names, SHIPPED)
        name = "web-defacement"
        self.cli_ok("playbook", "delete", name)
        self.store.init()
        names = [p["name"] for p in json.loads(self.cli_ok(
            "playbook", "list", "--format", "json"))]
        self.assertNotIn(name, names)
        self.assertEqual(audit_actions(self.store).count("playbook.seed"), 1)
        # Put back by the admin from the shipped file.
        here = os.path.dirname(os.path.abspath(__file__))
        path = os.path.join(here, "..", "..", "data", "playbooks", name + ".json")
        out = self.cli_ok("playbook", "set", name, path)
        self.assertIn("saved", out)

    def test_playbook_commands(self):
        out = self.cli_ok("playbook", "list")
        self.assertTrue(out.startswith("NAME"), out)
        self.assertIn("ransomware", out)
        shown = json.loads(self.cli_ok("playbook", "show", "ddos"))
        self.assertEqual(shown["name"], "ddos")
        # What show prints, set takes back (through standard input).
        shown["title"] = "DDoS, edited"
        name = uniq("pb")
        shown["name"] = name
        shown["classes"] = ["test"]
        self.cli_ok("playbook", "set", name, "-", input=json.dumps(shown))
        self.assertEqual(json.loads(self.cli_ok("playbook", "show", name))["title"],
                         "DDoS, edited")
        path = self.store.path(name + ".json")
        with open(path, "w") as f:
            f.write('{"title": "x", "classes": ["intrusions:apt"], "tasks": '
                    '[{"title": "a", "due_hours": 1}]}')
        self.cli_fails(1, "playbook", "set", uniq("pb"), path,
                       message=["intrusions:apt", "'intrusion'"])
        with open(path, "w") as f:
            f.write('{"title": "x", "classes": ["test:test"], "tasks": '
                    '[{"title": "a", "due_hours": 1}')
        self.cli_fails(1, "playbook", "set", uniq("pb"), path)
        self.cli_fails(1, "playbook", "set", uniq("pb"), path + ".missing",
                       message="cannot read")
        self.cli_fails(1, "playbook", "show", "nope", message="no playbook named 'nope'")
        self.cli_fails(2, "playbook", "show")
        self.cli_fails(2, "playbook", "list", "--format", "xml")
        self.cli_ok("playbook", "delete", name)
        self.cli_fails(1, "playbook", "delete", name, message="no playbook")
        actions = audit_actions(self.store)
        self.assertIn("playbook.put", actions)
        self.assertIn("playbook.delete", actions)

    def test_sla_commands(self):
        out = self.cli_ok("sla", "list")
        self.assertRegex(out, r"(?m)^critical\s+15m\s+1d\s")
        self.assertRegex(out, r"(?m)^low\s+1d\s+30d\s")
        out = self.cli_ok("sla", "set", "medium", "--acknowledge", "120")
        self.assertIn("120 minutes", out)
        targets = json.loads(self.cli_ok("sla", "list", "--format", "json"))
        self.assertEqual(targets[1], {"severity": "medium", "acknowledge_minutes": 120,
                                      "resolve_minutes": 10080})
        self.cli_ok("sla", "set", "medium", "--resolve", "20160", "--acknowledge", "60")
        targets = json.loads(self.cli_ok("sla", "list", "--format", "json"))
        self.assertEqual(targets[1]["resolve_minutes"], 20160)
        self.assertEqual(targets[1]["acknowledge_minutes"], 60)
        self.assertEqual(audit_actions(self.store).count("sla.set"), 2)
        self.cli_fails(2, "sla", "set", "urgent", "--acknowledge", "1",
                       message="low, medium, high or critical")
        self.cli_fails(2, "sla", "set", "high", message="--acknowledge")
        self.cli_fails(2, "sla", "set", "high", "--resolve", "0")
        self.cli_fails(2, "sla", "set", "high", "--resolve", "525601")
        self.cli_fails(1, "sla", "set", "high", "--resolve", "30",
                       message="must not be more than")
        self.assertEqual(audit_actions(self.store).count("sla.set"), 2)

    def test_taxonomy_command(self):
        # No store is needed.
        rc, out, err = run_cli(["taxonomy"])
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"(?m)^fraud:pharming\s+Pharming\s+\(ours, rolls up to "
                              r"phishing; WTSA: pharming\)$")
        rc, out, err = run_cli(["taxonomy", "--format", "json"])
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(json.loads(out)["classes"]), 11)

    def test_org_sector_commands(self):
        name = uniq("Grid ")
        out = self.cli_ok("org", "add", name, "--kind", "constituent",
                          "--sector", "energy")
        self.assertIn(name, out)
        orgs = {o["name"]: o for o in json.loads(self.cli_ok(
            "org", "list", "--format", "json"))}
        self.assertEqual(orgs[name]["sector"], "energy")
        self.assertEqual(orgs["CIRT"]["sector"], "")
        self.cli_fails(2, "org", "add", uniq("X "), "--kind", "constituent",
                       "--sector", "fishing", message=["not a sector", "energy",
                                                       "waste-water"])

    def test_stats_commands(self):
        # Straight into the store, as in the API test.
        st = self.store
        for n, (day, ack) in enumerate([(0, 60), (1, 120), (35, None)]):
            rep = (BASE + day * DAY) * 1000000
            st.sql("INSERT INTO incidents (uuid, ref, title, description, class, "
                   "type, severity, impact, tlp, status, reporter_kind, reporter, "
                   "version, reported_at, created_at, updated_at, acknowledged_at) "
                   "VALUES ('cli-%d', 'CLI-%d', 't', '', 'fraud', 'phishing', 1, "
                   "'unknown', 2, 'new', 'team', 'test', 1, %d, %d, %d, %s)"
                   % (n, n, rep, rep, rep,
                      "NULL" if ack is None else rep + ack * 1000000))
        got = json.loads(self.cli_ok("stats", "--format", "json", "--by", "month"))
        self.assertEqual([(r["key"], r["incidents"]) for r in got["rows"]],
                         [("2025-01", 2), ("2025-02", 1)])
        self.assertEqual(got["rows"][0]["acknowledge_median_s"], 90)
        out = self.cli_ok("stats", "--format", "csv", "--from", "2025-01-02")
        self.assertEqual(out.splitlines()[1:],
                         ["fraud:phishing,2,1,120,120,0,,", "total,2,1,120,120,0,,"])
        out = self.cli_ok("stats", "--to", "2025-01-02T00:00:00Z")
        self.assertRegex(out, r"(?m)^fraud:phishing\s+1\s+1\s+1m 00s\s+1m 00s\s+0\s+-\s+-$")
        self.assertRegex(out, r"(?m)^total\s+1\s")
        out = self.cli_ok("stats", "--by", "sector")
        self.assertRegex(out, r"(?m)^\(none\)\s+3\s")
        self.cli_fails(2, "stats", "--by", "org", message="--by")
        self.cli_fails(2, "stats", "--format", "xml", message="--format")
        self.cli_fails(2, "stats", "--from", "2025-02-30", message="--from")
        self.cli_fails(2, "stats", "--from", "2025-02-01", "--to", "2025-01-01",
                       message="--to must be after --from")
