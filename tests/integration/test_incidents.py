# SPDX-License-Identifier: Apache-2.0
#
# Incident handling end to end, against docs/incidents.md and
# ../shared/docs/standards.md sections 3 (IODEF) and 5 (TLP), through the
# HTTP API and the command line: identifiers (PREFIX-YEAR-NNNNNN, the
# prefix from incident_prefix), the whole life from report to closure
# along every legal move of the workflow and a 409 naming the allowed
# ones for every illegal move, duplicates, playbook tasks on creation
# (class:type before class), tasks, the timeline, evidence by SHA-256
# (evidence_max just under and over), relations, observables and STIX
# links; optimistic concurrency (ETag, If-Match, 409, 428); list filters,
# full-text search, paging and bad parameters; what constituents and
# partners see and may do; IODEF export validated offline with xmllint
# against iodef-2.0.xsd, the TLP to restriction mapping, import of the
# RFC 7970 examples (once), invalid documents refused with line numbers
# (built-in rules and schema mode), all or none; STIX export and sharing
# into TAXII collections within their TLP ceiling; SLA clocks and the
# sla=due list; national statistics by class, sector, constituent and
# month against a hand count; the audit trail; input limits.
import csv
import datetime
import hashlib
import io
import json
import os
import re
import statistics
import xml.etree.ElementTree as ET

import iodef_check
from harness import PASSWORD, CirtTestCase, uniq
from test_taxii import (TLP2, Tx, add_collection, bundle, import_objects,
                        indicator, write_json)

API = "/api/v1/incidents"
IODEF_NS = "urn:ietf:params:xml:ns:iodef-2.0"
STIX_CTYPE = "application/stix+json;version=2.1"

STATUSES = ["new", "triaged", "in-progress", "contained", "eradicated",
            "recovered", "resolved", "closed", "rejected", "duplicate"]
ALLOWED = {
    "new": ["triaged", "rejected", "duplicate"],
    "triaged": ["in-progress", "resolved", "rejected", "duplicate"],
    "in-progress": ["contained", "resolved", "duplicate"],
    "contained": ["eradicated", "in-progress"],
    "eradicated": ["recovered", "in-progress"],
    "recovered": ["resolved", "in-progress"],
    "resolved": ["closed", "in-progress"],
    "closed": ["in-progress"],
    "rejected": ["triaged"],
    "duplicate": ["triaged"],
}
# A legal way from new to each status.
PATH = {
    "new": [],
    "triaged": ["triaged"],
    "in-progress": ["triaged", "in-progress"],
    "contained": ["triaged", "in-progress", "contained"],
    "eradicated": ["triaged", "in-progress", "contained", "eradicated"],
    "recovered": ["triaged", "in-progress", "contained", "eradicated", "recovered"],
    "resolved": ["triaged", "resolved"],
    "closed": ["triaged", "resolved", "closed"],
    "rejected": ["rejected"],
    "duplicate": ["duplicate"],
}
TLPS = ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"]
RESTRICTION = {
    "TLP:CLEAR": ("public", None),
    "TLP:GREEN": ("green", None),
    "TLP:AMBER": ("amber", None),
    "TLP:AMBER+STRICT": ("ext-value", "amber+strict"),
    "TLP:RED": ("red", None),
}
SLA_DEFAULTS = {  # minutes: acknowledge, resolve
    "critical": (15, 24 * 60), "high": (60, 72 * 60),
    "medium": (4 * 60, 7 * 24 * 60), "low": (24 * 60, 30 * 24 * 60),
}
CODES = {400: "invalid", 403: "forbidden", 404: "not_found", 409: "conflict",
         413: "too_large"}
TIME_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def ts(dt):
    """RFC 3339 UTC with milliseconds."""
    dt = dt.astimezone(datetime.timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def parse_ts(s):
    if s is None:
        return None
    m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$", s)
    assert m, "not an RFC 3339 UTC time: %r" % s
    dt = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=datetime.timezone.utc)
    if m.group(2):
        dt += datetime.timedelta(microseconds=round(float(m.group(2)) * 1e6))
    return dt


def secs(a, b):
    """Seconds from RFC 3339 time a to b."""
    return (parse_ts(b) - parse_ts(a)).total_seconds()


def etag(version):
    return '"%d"' % version


def items_of(doc):
    """The incidents of a CLI JSON list: an array or {"items": [...]}."""
    if isinstance(doc, dict):
        return doc["items"]
    return doc


def median(xs):
    return statistics.median(xs) if xs else None


def mean(xs):
    return sum(xs) / len(xs) if xs else None


class IncidentCase(CirtTestCase):
    """A store and server per class; ENV holds CIRTKIT_* settings given to
    both `serve` and every command."""

    ENV = {}
    PREFIX = "CIRT"

    @classmethod
    def setUpClass(cls):
        cls.SERVER_ENV = dict(cls.ENV)
        super().setUpClass()

    # ---- command line ----

    def cli(self, *args, input=None):
        return self.store.cli(*args, input=input, env=self.ENV)

    def ok(self, *args, input=None):
        rc, out, err = self.cli(*args, input=input)
        self.assertEqual(rc, 0, "cirtkit %s: exit %d\n%s%s" % (" ".join(args), rc, out, err))
        return out

    def add(self, title=None, cls="fraud:phishing", severity="medium", tlp="amber",
            *extra):
        """`cirtkit incident add`; the identifier it printed (alone)."""
        out = self.ok("incident", "add", "--title", title or uniq("Incident "),
                      "--class", cls, "--severity", severity, "--tlp", tlp, *extra)
        lines = out.splitlines()
        self.assertEqual(len(lines), 1, "incident add printed %r" % out)
        self.assertRegex(lines[0], r"^%s-\d{4}-\d{6}$" % re.escape(self.PREFIX))
        return lines[0]

    def show(self, ref):
        return json.loads(self.ok("incident", "show", ref, "--format", "json"))

    def audit(self):
        return json.loads(self.ok("audit", "list", "--format", "json"))

    # ---- HTTP ----

    def create(self, client=None, expect=201, **body):
        """POST /api/v1/incidents with defaults for the required fields."""
        body.setdefault("title", uniq("Incident "))
        body.setdefault("class", "fraud:phishing")
        body.setdefault("severity", "medium")
        body.setdefault("tlp", "TLP:AMBER")
        r = (client or self.admin).post(API, body)
        if expect != 201:
            return r
        self.assertEqual(r.status, 201, r)
        inc = r.json
        self.assertRegex(inc["id"], r"^%s-\d{4}-\d{6}$" % re.escape(self.PREFIX))
        self.assertEqual(r.headers.get("Location", "").rsplit("/", 1)[-1], inc["id"], r)
        return inc

    def get(self, ref, client=None):
        r = (client or self.admin).get(API + "/" + ref)
        self.assertEqual(r.status, 200, r)
        return r.json

    def patch(self, ref, body, client=None, version=None, expect=200):
        """PATCH with If-Match of the current (or given) version."""
        if version is None:
            version = self.get(ref)["version"]
        r = (client or self.admin).patch(API + "/" + ref, body,
                                         headers={"If-Match": etag(version)})
        if expect is not None:
            self.assertEqual(r.status, expect, r)
        return r

    def move(self, ref, *statuses, duplicate_of=None):
        inc = None
        for s in statuses:
            body = {"status": s}
            if s == "duplicate":
                body["duplicate_of"] = duplicate_of or self.create()["id"]
            inc = self.patch(ref, body).json
            self.assertEqual(inc["status"], s, inc)
        return inc

    def all_ids(self, query=None, client=None):
        return [i["id"] for i in (client or self.admin).list_all(API, query)]

    def assertErr(self, r, status, field=Ellipsis, message=None):
        if status in CODES:
            self.assertError(r, status, CODES[status], field=field, message=message)
            return r.json["error"]
        self.assertEqual(r.status, status, r)
        self.assertIsNotNone(r.json, r)
        self.assertIn("error", r.json, r)
        e = r.json["error"]
        self.assertTrue(e.get("message"), r)
        if field is not Ellipsis:
            self.assertEqual(e.get("field"), field, r)
        for m in ([message] if isinstance(message, str) else message or []):
            self.assertIn(m.lower(), e["message"].lower(), r)
        return e

    def assertAllowedMessage(self, msg, src, dst):
        self.assertIn("cannot move from %s to %s" % (src, dst), msg)
        m = re.search(r"allowed:\s*(.*)$", msg)
        self.assertTrue(m, "no 'allowed:' in %r" % msg)
        got = {x.strip().rstrip(".") for x in m.group(1).split(",") if x.strip()}
        self.assertEqual(got, set(ALLOWED[src]), msg)

    # ---- IODEF ----

    def assertIodefValid(self, data, what):
        reason = iodef_check.skip_reason()
        if reason:
            return None
        ok, out = iodef_check.validate_bytes(data, self.store.tmp,
                                             uniq("iodef") + ".xml")
        self.assertTrue(ok, "%s does not validate against iodef-2.0.xsd:\n%s\n%s"
                        % (what, out, data[:3000]))
        return ET.fromstring(data)

    def export_iodef(self, ref):
        """The incident's IODEF from the command line and the API, both
        validated against the schema; the API's parsed root."""
        path = self.store.path(uniq("export") + ".xml")
        self.ok("incident", "export", ref, "--format", "iodef", "-o", path)
        with open(path, "rb") as f:
            cli_doc = f.read()
        self.assertIodefValid(cli_doc, "cirtkit incident export %s" % ref)
        stdout = self.ok("incident", "export", ref, "--format", "iodef")
        self.assertIodefValid(stdout.encode(), "cirtkit incident export %s (stdout)" % ref)
        r = self.admin.get(API + "/" + ref + "/iodef")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers.get("Content-Type", "").startswith("application/iodef+xml"),
                        r.headers.get("Content-Type"))
        root = self.assertIodefValid(r.raw, "GET %s/iodef" % ref)
        return root if root is not None else ET.fromstring(r.raw)

    def export_all_iodef(self):
        """Export every incident in the store (test's end)."""
        for ref in self.all_ids():
            with self.subTest(export=ref):
                self.export_iodef(ref)

    def assertAuditGood(self):
        rc, out, err = self.cli("audit", "verify")
        self.assertEqual(rc, 0, "audit verify:\n" + out + err)


def need_iodef(test):
    reason = iodef_check.skip_reason()
    if reason:
        test.skipTest(reason)


# ---------------------------------------------------------------------------
# identifiers, the workflow, tasks, timeline, relations, observables

class LifecycleTests(IncidentCase):
    ENV = {"CIRTKIT_INCIDENT_PREFIX": "XIR9", "CIRTKIT_TEAM_DOMAIN": "cirt.example.org"}
    PREFIX = "XIR9"

    def test_identifier_format_prefix_and_year(self):
        ident = self.add()
        self.assertTrue(ident.startswith("XIR9-%d-" % utcnow().year), ident)
        # the year is the reported year; each year counts from 1
        a = self.add(None, "fraud:phishing", "low", "green", "--reported-at",
                     "2011-05-01T10:00:00Z")
        b = self.add(None, "fraud:phishing", "low", "green", "--reported-at",
                     "2011-12-31T23:59:59Z")
        c = self.create(reported_at="2011-07-01T00:00:00Z")["id"]
        d = self.add(None, "fraud:phishing", "low", "green", "--reported-at",
                     "2012-01-01T00:00:00Z")
        self.assertEqual([a, b, c, d], ["XIR9-2011-000001", "XIR9-2011-000002",
                                        "XIR9-2011-000003", "XIR9-2012-000001"])
        inc = self.show(a)
        self.assertEqual(inc["id"], a)
        self.assertEqual(inc["reported_at"][:19], "2011-05-01T10:00:00")
        # the UUID is accepted wherever an identifier is
        self.assertRegex(inc["uuid"], r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                                      r"[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        self.assertEqual(self.get(inc["uuid"])["id"], a)
        self.assertEqual(self.show(inc["uuid"])["id"], a)
        r = self.admin.get(API + "/XIR9-2011-999999")
        self.assertErr(r, 404)
        rc, out, err = self.cli("incident", "show", "XIR9-2011-999999")
        self.assertEqual(rc, 1, out + err)

    def test_bad_prefix_setting(self):
        for bad in ("xir", "X" * 17, "X-1", ""):
            with self.subTest(prefix=bad):
                rc, out, err = self.store.cli("incident", "list",
                                              env={"CIRTKIT_INCIDENT_PREFIX": bad})
                self.assertNotEqual(rc, 0, out + err)
                self.assertIn("incident_prefix", err)
        # 16 characters is the longest
        rc, out, err = self.store.cli("incident", "add", "--title", "sixteen",
                                      "--class", "fraud:phishing", "--severity", "low",
                                      "--tlp", "clear",
                                      env={"CIRTKIT_INCIDENT_PREFIX": "ABCDEFGHIJKLMNO9"})
        self.assertEqual(rc, 0, out + err)
        self.assertRegex(out.strip(), r"^ABCDEFGHIJKLMNO9-\d{4}-\d{6}$")

    def test_create_shape_and_defaults(self):
        analyst = self.make_user("analyst")
        org = self.make_org("constituent")
        inc = self.create(title="Phishing wave", description="Mails from x",
                          severity="high", tlp="green", constituents=[org],
                          reporter={"kind": "person", "name": "alice@example.org"},
                          assignee=analyst,
                          observables=[{"type": "domain-name", "value": "evil.example",
                                        "role": "source"}])
        for k in ("id", "uuid", "title", "description", "class", "severity", "impact",
                  "tlp", "status", "constituents", "reporter", "assignee", "related",
                  "observables", "stix_refs", "tasks", "sla", "version", "reported_at",
                  "created_at", "updated_at", "acknowledged_at", "resolved_at",
                  "closed_at"):
            self.assertIn(k, inc)
        self.assertEqual(inc["title"], "Phishing wave")
        self.assertEqual(inc["class"], "fraud:phishing")
        self.assertEqual(inc["severity"], "high")
        self.assertEqual(inc["impact"], "unknown")
        self.assertEqual(inc["tlp"], "TLP:GREEN")
        self.assertEqual(inc["status"], "new")
        self.assertEqual(inc["version"], 1)
        self.assertEqual(inc["assignee"], analyst)
        self.assertEqual(inc["reporter"], {"kind": "person", "name": "alice@example.org"})
        self.assertEqual([c["org"] for c in inc["constituents"]], [org])
        self.assertIsNone(inc["constituents"][0]["acknowledged_at"])
        self.assertEqual(inc["observables"], [{"type": "domain-name", "value": "evil.example",
                                               "role": "source"}])
        for k in ("reported_at", "created_at", "updated_at"):
            self.assertRegex(inc[k], TIME_RE)
        for k in ("acknowledged_at", "resolved_at", "closed_at"):
            self.assertIsNone(inc[k])
        self.assertNotIn("source", inc)
        self.assertEqual(set(inc["sla"]), {"acknowledge_by", "resolve_by",
                                           "acknowledge_breached", "resolve_breached"})
        self.assertEqual(self.get(inc["id"]), self.get(inc["uuid"]))
        # the command line shows the same incident, with its timeline
        shown = self.show(inc["id"])
        for k in ("id", "uuid", "title", "class", "tlp", "status", "version"):
            self.assertEqual(shown[k], inc[k])
        self.assertIn("timeline", shown)
        rc, out, err = self.cli("incident", "show", inc["id"])
        self.assertEqual(rc, 0, err)
        self.assertIn(inc["id"], out)
        self.assertIn("Phishing wave", out)

    def test_whole_life_through_the_api(self):
        inc = self.create(severity="critical", tlp="amber")
        ref = inc["id"]
        r = self.admin.get(API + "/" + ref)
        self.assertEqual(r.headers.get("ETag"), etag(1))
        version = 1
        path = ["triaged", "in-progress", "contained", "eradicated", "recovered",
                "resolved", "closed"]
        for s in path:
            with self.subTest(to=s):
                r = self.patch(ref, {"status": s}, version=version)
                self.assertEqual(r.json["status"], s)
                self.assertEqual(r.json["version"], version + 1)
                version += 1
                got = self.admin.get(API + "/" + ref)
                self.assertEqual(got.headers.get("ETag"), etag(version))
                inc = got.json
                self.assertIsNotNone(inc["acknowledged_at"])
                if s in ("resolved", "closed"):
                    self.assertIsNotNone(inc["resolved_at"])
                else:
                    self.assertIsNone(inc["resolved_at"])
                if s == "closed":
                    self.assertIsNotNone(inc["closed_at"])
                else:
                    self.assertIsNone(inc["closed_at"])
        ack = inc["acknowledged_at"]
        # reopening clears resolved_at and closed_at, not acknowledged_at
        inc = self.patch(ref, {"status": "in-progress"}, version=version).json
        self.assertIsNone(inc["resolved_at"])
        self.assertIsNone(inc["closed_at"])
        self.assertEqual(inc["acknowledged_at"], ack)
        self.assertEqual(inc["version"], version + 1)
        # every move is an event on the timeline, oldest first
        r = self.admin.get(API + "/" + ref + "/timeline")
        self.assertEqual(r.status, 200, r)
        events = [e for e in r.json["items"] if e["kind"] == "event"]
        self.assertGreaterEqual(len(events), len(path) + 1, events)
        for e, s in zip(events[-(len(path) + 1):], path + ["in-progress"]):
            self.assertIn(s, e["body"])
        self.export_iodef(ref)

    def test_whole_life_through_the_command_line(self):
        ref = self.add("CLI life", "availability:ddos", "high", "TLP:GREEN")
        version = self.show(ref)["version"]
        for s in ["triaged", "in-progress", "contained", "eradicated", "recovered",
                  "resolved", "closed"]:
            with self.subTest(to=s):
                out = self.ok("incident", "set", ref, "--status", s)
                self.assertEqual(out.strip(), str(version + 1))
                version += 1
                self.assertEqual(self.show(ref)["status"], s)
        inc = self.show(ref)
        self.assertIsNotNone(inc["acknowledged_at"])
        self.assertIsNotNone(inc["resolved_at"])
        self.assertIsNotNone(inc["closed_at"])
        # illegal: closed -> resolved, exit 1 naming the allowed ones
        rc, out, err = self.cli("incident", "set", ref, "--status", "resolved")
        self.assertEqual(rc, 1, out + err)
        self.assertIn("cannot move from closed to resolved", err)
        self.assertIn("allowed: in-progress", err)
        self.assertEqual(self.show(ref)["version"], version)
        # other fields
        out = self.ok("incident", "set", ref, "--status", "in-progress", "--title", "renamed",
                      "--severity", "low", "--tlp", "amber+strict", "--impact", "loss-of-service")
        self.assertEqual(out.strip(), str(version + 1))
        inc = self.show(ref)
        self.assertEqual((inc["status"], inc["title"], inc["severity"], inc["tlp"], inc["impact"]),
                         ("in-progress", "renamed", "low", "TLP:AMBER+STRICT", "loss-of-service"))
        self.assertIsNone(inc["closed_at"])
        # --if-version: a stale one is refused
        rc, out, err = self.cli("incident", "set", ref, "--title", "stale", "--if-version",
                                str(version))
        self.assertEqual(rc, 1, out + err)
        self.assertEqual(self.show(ref)["title"], "renamed")
        out = self.ok("incident", "set", ref, "--title", "fresh", "--if-version",
                      str(version + 1))
        self.assertEqual(out.strip(), str(version + 2))
        self.export_iodef(ref)

    def test_every_legal_move(self):
        for src, dsts in ALLOWED.items():
            for dst in dsts:
                with self.subTest(move="%s -> %s" % (src, dst)):
                    ref = self.create()["id"]
                    self.move(ref, *PATH[src])
                    body = {"status": dst}
                    if dst == "duplicate":
                        body["duplicate_of"] = self.create()["id"]
                    before = self.get(ref)
                    inc = self.patch(ref, body).json
                    self.assertEqual(inc["status"], dst)
                    self.assertEqual(inc["version"], before["version"] + 1)
                    self.assertIsNotNone(inc["acknowledged_at"])
                    if dst in ("resolved", "rejected", "duplicate", "closed"):
                        self.assertIsNotNone(inc["resolved_at"], inc)
                    if dst in ("in-progress", "triaged"):
                        self.assertIsNone(inc["resolved_at"], inc)
                        self.assertIsNone(inc["closed_at"], inc)
                    if dst == "closed":
                        self.assertIsNotNone(inc["closed_at"])

    def test_every_illegal_move_is_409_naming_the_allowed(self):
        for src in STATUSES:
            ref = self.create()["id"]
            self.move(ref, *PATH[src])
            before = self.get(ref)
            for dst in STATUSES:
                if dst in ALLOWED[src] or dst == src:
                    continue
                with self.subTest(move="%s -> %s" % (src, dst)):
                    body = {"status": dst}
                    if dst == "duplicate":
                        body["duplicate_of"] = self.create()["id"]
                    r = self.patch(ref, body, version=before["version"], expect=None)
                    e = self.assertErr(r, 409)
                    self.assertAllowedMessage(e["message"], src, dst)
            self.assertEqual(self.get(ref), before)
        # the example of the documentation, from the command line too
        ref = self.add()
        rc, out, err = self.cli("incident", "set", ref, "--status", "closed")
        self.assertEqual(rc, 1, out + err)
        self.assertIn("cannot move from new to closed; allowed: triaged, rejected, duplicate",
                      err)

    def test_duplicate_needs_duplicate_of(self):
        orig = self.create()["id"]
        ref = self.create()["id"]
        before = self.get(ref)
        r = self.patch(ref, {"status": "duplicate"}, expect=None)
        self.assertIn(r.status, (400, 409), r)
        self.assertIn("duplicate_of", json.dumps(r.json), r)
        self.assertEqual(self.get(ref), before)
        # unknown other incident
        r = self.patch(ref, {"status": "duplicate", "duplicate_of": "XIR9-1999-000001"},
                       expect=None)
        self.assertIn(r.status, (400, 404), r)
        self.assertEqual(self.get(ref), before)
        inc = self.patch(ref, {"status": "duplicate", "duplicate_of": orig}).json
        self.assertEqual(inc["status"], "duplicate")
        self.assertIn({"relation": "duplicate-of", "incident": orig}, inc["related"])
        self.assertIsNotNone(inc["resolved_at"])
        self.assertIsNotNone(inc["acknowledged_at"])
        other = self.get(orig)
        self.assertTrue(any(ref in json.dumps(x) for x in other["referenced_by"]),
                        other["referenced_by"])
        # an existing duplicate-of relation is enough
        ref2 = self.create()["id"]
        r = self.admin.post(API + "/" + ref2 + "/relations",
                            {"relation": "duplicate-of", "incident": orig})
        self.assertIn(r.status, (200, 201, 204), r)
        self.assertEqual(self.patch(ref2, {"status": "duplicate"}).json["status"], "duplicate")
        # the command line: --duplicate-of
        ref3 = self.add()
        rc, out, err = self.cli("incident", "set", ref3, "--status", "duplicate")
        self.assertEqual(rc, 1, out + err)
        self.assertEqual(self.show(ref3)["status"], "new")
        self.ok("incident", "set", ref3, "--status", "duplicate", "--duplicate-of", orig)
        inc = self.show(ref3)
        self.assertEqual(inc["status"], "duplicate")
        self.assertIn({"relation": "duplicate-of", "incident": orig}, inc["related"])
        # back to triaged
        self.assertIsNone(self.move(ref3, "triaged")["resolved_at"])

    def test_playbook_tasks_on_creation(self):
        r = self.admin.get("/api/v1/playbooks")
        self.assertEqual(r.status, 200, r)
        books = r.json["items"] if isinstance(r.json, dict) else r.json
        self.assertTrue(books, r)
        by_name = {b["name"]: b for b in books}
        reported = "2020-03-04T05:06:07.000Z"
        used = {}
        for cls in ("fraud:phishing", "availability:ddos", "malicious-code:ransomware",
                    "information-content-security:defacement",
                    "malicious-code:infected-system"):
            with self.subTest(cls=cls):
                inc = self.create(**{"class": cls, "reported_at": reported})
                tasks = inc["tasks"]
                self.assertTrue(tasks, "no playbook tasks for %s" % cls)
                names = {t["playbook"] for t in tasks}
                self.assertEqual(len(names), 1, tasks)
                name = names.pop()
                used[cls] = name
                r = self.admin.get("/api/v1/playbooks/" + name)
                self.assertEqual(r.status, 200, r)
                book = r.json
                self.assertTrue(cls in book["classes"] or cls.split(":")[0] in book["classes"],
                                book)
                # class:type before class: no other playbook names cls exactly
                # when this one names only the class
                if cls not in book["classes"]:
                    self.assertFalse([b for b in by_name.values() if cls in b["classes"]])
                self.assertEqual([t["title"] for t in tasks],
                                 [t["title"] for t in book["tasks"]])
                for t, bt in zip(tasks, book["tasks"]):
                    self.assertFalse(t["done"])
                    if bt["due_hours"]:
                        self.assertAlmostEqual(secs(reported, t["due"]),
                                               bt["due_hours"] * 3600, delta=1)
                # the command line shows them too
                self.assertEqual([t["title"] for t in self.show(inc["id"])["tasks"]],
                                 [t["title"] for t in tasks])
        # phishing, DDoS and ransomware each have a playbook of their own
        self.assertEqual(len({used["fraud:phishing"], used["availability:ddos"],
                              used["malicious-code:ransomware"]}), 3, used)

    def test_playbook_class_type_before_class(self):
        tax = self.admin.get("/api/v1/taxonomy").json
        books = self.admin.get("/api/v1/playbooks").json
        books = books["items"] if isinstance(books, dict) else books
        mentioned = {c.split(":")[0] for b in books for c in b["classes"]}
        free = [c for c in tax["classes"]
                if c["class"] not in mentioned and len(c["types"]) >= 2]
        if not free:
            self.skipTest("every class with two types has a shipped playbook")
        cls = free[0]["class"]
        exact = "%s:%s" % (cls, free[0]["types"][0]["type"])
        broad = "%s:%s" % (cls, free[0]["types"][1]["type"])
        for name, classes, title in ((uniq("pb-exact"), [exact], "exact task"),
                                     (uniq("pb-class"), [cls], "class task")):
            r = self.admin.request("PUT", "/api/v1/playbooks/" + name,
                                   {"title": title, "classes": classes,
                                    "tasks": [{"title": title, "due_hours": 5},
                                              {"title": title + " 2", "due_hours": 0}]})
            self.assertIn(r.status, (200, 201), r)
        inc = self.create(**{"class": exact})
        self.assertEqual([t["title"] for t in inc["tasks"]], ["exact task", "exact task 2"])
        self.assertIsNone(inc["tasks"][1]["due"])
        inc = self.create(**{"class": broad})
        self.assertEqual([t["title"] for t in inc["tasks"]], ["class task", "class task 2"])
        # an analyst may not edit playbooks
        _, analyst = self.user_client("analyst")
        r = analyst.request("PUT", "/api/v1/playbooks/" + uniq("pb"),
                            {"title": "x", "classes": ["vulnerable"], "tasks": []})
        self.assertErr(r, 403)

    def test_tasks(self):
        analyst = self.make_user("analyst")
        ref = self.create(**{"class": "test:test"})["id"]
        n = len(self.get(ref)["tasks"])
        r = self.admin.post(API + "/" + ref + "/tasks",
                            {"title": "Call the ISP", "owner": analyst,
                             "due": "2030-01-01T00:00:00Z"})
        self.assertEqual(r.status, 201, r)
        task = r.json
        self.assertEqual((task["title"], task["owner"], task["done"]),
                         ("Call the ISP", analyst, False))
        self.assertEqual(task["due"][:19], "2030-01-01T00:00:00")
        r = self.admin.get(API + "/" + ref + "/tasks")
        self.assertEqual(r.status, 200, r)
        tasks = r.json["items"] if isinstance(r.json, dict) else r.json
        self.assertEqual(len(tasks), n + 1)
        r = self.admin.patch(API + "/" + ref + "/tasks/%s" % task["id"], {"done": True})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["done"])
        self.assertTrue([t for t in self.get(ref)["tasks"] if t["id"] == task["id"]][0]["done"])
        r = self.admin.patch(API + "/" + ref + "/tasks/%s" % task["id"],
                             {"done": False, "title": "Call the ISP again"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["done"], r.json["title"]), (False, "Call the ISP again"))
        r = self.admin.patch(API + "/" + ref + "/tasks/999999", {"done": True})
        self.assertErr(r, 404)
        r = self.admin.post(API + "/" + ref + "/tasks", {"title": "x", "colour": "red"})
        self.assertErr(r, 400, field="colour")
        r = self.admin.post(API + "/" + ref + "/tasks", {"title": ""})
        self.assertErr(r, 400, field="title")
        # command line
        self.ok("incident", "task", "add", ref, "--title", "Block the domain",
                "--owner", analyst, "--due", "2030-02-01T00:00:00Z")
        t = [t for t in self.show(ref)["tasks"] if t["title"] == "Block the domain"]
        self.assertEqual(len(t), 1)
        self.assertFalse(t[0]["done"])
        self.ok("incident", "task", "done", ref, str(t[0]["id"]))
        done = [x for x in self.show(ref)["tasks"] if x["id"] == t[0]["id"]][0]
        self.assertTrue(done["done"], done)
        self.assertEqual((done["title"], done["owner"]), ("Block the domain", analyst), done)

    def test_timeline(self):
        ref = self.create()["id"]
        entries = [{"kind": "note", "body": "internal thoughts"},
                   {"kind": "comment", "body": "we are on it"},
                   {"kind": "in", "body": "ISP says fixed", "counterpart": "abuse@isp.example"},
                   {"kind": "out", "body": "please take down", "counterpart": "registrar"}]
        for e in entries:
            r = self.admin.post(API + "/" + ref + "/timeline", e)
            self.assertEqual(r.status, 201, r)
            self.assertEqual(r.json["kind"], e["kind"])
            self.assertEqual(r.json["body"], e["body"])
        self.ok("incident", "note", ref, "a note from the shell")
        self.ok("incident", "note", ref, "mail sent", "--kind", "out", "--counterpart",
                "cert@example.net")
        self.move(ref, "triaged")
        r = self.admin.get(API + "/" + ref + "/timeline")
        self.assertEqual(r.status, 200, r)
        items = r.json["items"]
        said = [i for i in items if i["kind"] != "event"]
        self.assertEqual([(i["kind"], i["body"]) for i in said],
                         [(e["kind"], e["body"]) for e in entries] +
                         [("note", "a note from the shell"), ("out", "mail sent")])
        self.assertEqual(said[2]["counterpart"], "abuse@isp.example")
        self.assertEqual(said[5]["counterpart"], "cert@example.net")
        self.assertEqual(items[-1]["kind"], "event")
        self.assertIn("triaged", items[-1]["body"])
        # paged, oldest first
        got, cursor = [], None
        while True:
            q = {"limit": "2"}
            if cursor:
                q["cursor"] = cursor
            r = self.admin.get(API + "/" + ref + "/timeline", query=q)
            self.assertEqual(r.status, 200, r)
            self.assertLessEqual(len(r.json["items"]), 2)
            got += r.json["items"]
            cursor = r.json.get("next_cursor")
            if not cursor:
                break
        self.assertEqual(got, items)
        self.assertEqual([e["body"] for e in self.show(ref)["timeline"]],
                         [i["body"] for i in items])
        for bad in ({"kind": "gossip", "body": "x"}, {"kind": "note", "body": ""},
                    {"kind": "note", "body": "x" * (64 * 1024 + 1)},
                    {"kind": "note", "body": "x", "extra": 1}):
            with self.subTest(body=str(bad)[:60]):
                r = self.admin.post(API + "/" + ref + "/timeline", bad)
                self.assertErr(r, 400)
        r = self.admin.post(API + "/" + ref + "/timeline",
                            {"kind": "note", "body": "x" * (64 * 1024)})
        self.assertEqual(r.status, 201, r)

    def test_relations(self):
        a, b, c = (self.create()["id"] for _ in range(3))
        r = self.admin.post(API + "/" + a + "/relations",
                            {"relation": "related-to", "incident": b})
        self.assertIn(r.status, (200, 201, 204), r)
        self.ok("incident", "relate", a, "split-from", c)
        inc = self.get(a)
        self.assertIn({"relation": "related-to", "incident": b}, inc["related"])
        self.assertIn({"relation": "split-from", "incident": c}, inc["related"])
        self.assertTrue(any(a in json.dumps(x) for x in self.get(b)["referenced_by"]))
        self.assertTrue(any(a in json.dumps(x) for x in self.get(c)["referenced_by"]))
        r = self.admin.delete(API + "/" + a + "/relations/related-to/" + b)
        self.assertIn(r.status, (200, 204), r)
        inc = self.get(a)
        self.assertNotIn({"relation": "related-to", "incident": b}, inc["related"])
        self.assertFalse(any(a in json.dumps(x) for x in self.get(b)["referenced_by"]))
        r = self.admin.post(API + "/" + a + "/relations", {"relation": "cousin-of", "incident": b})
        self.assertErr(r, 400, field="relation")
        r = self.admin.post(API + "/" + a + "/relations",
                            {"relation": "related-to", "incident": "XIR9-1999-000009"})
        self.assertIn(r.status, (400, 404), r)
        rc, out, err = self.cli("incident", "relate", a, "cousin-of", b)
        self.assertNotEqual(rc, 0, out + err)

    def test_observables(self):
        ref = self.create()["id"]
        good = [("ipv4-addr", "192.0.2.1", "source"), ("ipv6-addr", "2001:db8::1", "target"),
                ("domain-name", "evil.example", "other"),
                ("url", "https://evil.example/x", "source"),
                ("email-addr", "phish@evil.example", "source"),
                ("file-sha256", hashlib.sha256(b"x").hexdigest(), "other"),
                ("asn", "64496", "source"),
                ("url", "https://example.com/" + "a" * (2048 - 20), "other")]
        for t, v, role in good:
            with self.subTest(type=t, value=v[:40]):
                self.assertEqual(len(v.encode()) <= 2048, True)
                r = self.admin.post(API + "/" + ref + "/observables",
                                    {"type": t, "value": v, "role": role})
                self.assertIn(r.status, (200, 201, 204), r)
        obs = self.get(ref)["observables"]
        for t, v, role in good:
            self.assertIn({"type": t, "value": v, "role": role}, obs)
        bad = [({"type": "mac-addr", "value": "x", "role": "source"}, "type"),
               ({"type": "ipv4-addr", "value": "192.0.2.1", "role": "victim"}, "role"),
               ({"type": "ipv4-addr", "value": "", "role": "source"}, "value"),
               ({"type": "url", "value": "https://example.com/" + "a" * (2049 - 20),
                 "role": "source"}, "value"),
               ({"type": "ipv4-addr", "value": "192.0.2.1", "role": "source", "x": 1}, "x")]
        for body, field in bad:
            with self.subTest(bad=field):
                r = self.admin.post(API + "/" + ref + "/observables", body)
                e = self.assertErr(r, 400)
                # the spec does not say how a member is named: "type" or
                # "observable.type"
                self.assertTrue(e["field"] == field or
                                (e["field"] or "").endswith("." + field), r)
        # on creation and from the command line
        r = self.create(observables=[{"type": "ipv4-addr", "value": "198.51.100.%d" % i,
                                      "role": "source"} for i in range(100)])
        self.assertEqual(len(r["observables"]), 100)
        r = self.create(expect=400, observables=[
            {"type": "ipv4-addr", "value": "198.51.100.%d" % i, "role": "source"}
            for i in range(101)])
        self.assertErr(r, 400, field="observables")
        ref2 = self.add(None, "fraud:phishing", "low", "clear",
                        "--observable", "ipv4-addr:203.0.113.9:target",
                        "--observable", "domain-name:phish.example")
        obs = self.show(ref2)["observables"]
        self.assertIn({"type": "ipv4-addr", "value": "203.0.113.9", "role": "target"}, obs)
        self.assertEqual([o["type"] for o in obs if o["value"] == "phish.example"],
                         ["domain-name"])
        self.export_iodef(ref)
        self.export_iodef(ref2)

    def test_stix_links(self):
        cid = add_collection(self.store, tlp_max="amber")
        ind = indicator(n=7)
        import_objects(self, self.store, cid, [ind])
        ref = self.create()["id"]
        r = self.admin.post(API + "/" + ref + "/stix", {"id": ind["id"]})
        self.assertIn(r.status, (200, 201, 204), r)
        self.assertEqual(self.get(ref)["stix_refs"], [ind["id"]])
        missing = "indicator--00000000-0000-4000-8000-000000000001"
        r = self.admin.post(API + "/" + ref + "/stix", {"id": missing})
        self.assertIn(r.status, (400, 404, 409), r)
        r = self.admin.post(API + "/" + ref + "/stix", {"id": "not-a-stix-id"})
        self.assertErr(r, 400, field="id")
        self.assertEqual(self.get(ref)["stix_refs"], [ind["id"]])
        r = self.admin.delete(API + "/" + ref + "/stix/" + ind["id"])
        self.assertIn(r.status, (200, 204), r)
        self.assertEqual(self.get(ref)["stix_refs"], [])
        # the command line
        self.ok("incident", "link", ref, ind["id"])
        self.assertEqual(self.show(ref)["stix_refs"], [ind["id"]])
        rc, out, err = self.cli("incident", "link", ref, missing)
        self.assertEqual(rc, 1, out + err)
        self.assertEqual(self.show(ref)["stix_refs"], [ind["id"]])
        self.export_iodef(ref)

    def test_taxonomy(self):
        r = self.admin.get("/api/v1/taxonomy")
        self.assertEqual(r.status, 200, r)
        classes = {c["class"]: c for c in r.json["classes"]}
        rsit = {"abusive-content", "malicious-code", "information-gathering",
                "intrusion-attempts", "intrusions", "availability",
                "information-content-security", "fraud", "vulnerable", "other", "test"}
        self.assertTrue(rsit <= set(classes), sorted(classes))
        have = {"%s:%s" % (c, t["type"]): t for c in classes for t in classes[c]["types"]}
        ours = {"fraud:pharming": "phishing", "intrusions:apt": "system-compromise",
                "information-content-security:defacement": "unauthorised-information-modification",
                "malicious-code:ransomware": "infected-system",
                "information-content-security:data-poisoning":
                    "unauthorised-information-modification",
                "fraud:spoofing": "masquerade"}
        for ct in ("abusive-content:spam", "information-gathering:scanner",
                   "intrusions:system-compromise", "availability:ddos",
                   "information-content-security:unauthorised-information-access",
                   "malicious-code:infected-system", "fraud:phishing") + tuple(ours):
            self.assertIn(ct, have)
        for ct, up in ours.items():
            self.assertEqual((have[ct].get("rsit_type") or "").split(":")[-1], up, have[ct])
        out = self.ok("taxonomy", "--format", "json")
        self.assertEqual(json.loads(out), r.json)


# ---------------------------------------------------------------------------
# evidence

class EvidenceTests(IncidentCase):
    ENV = {"CIRTKIT_EVIDENCE_MAX": "64k"}
    MAX = 64 * 1024

    def test_upload_list_download(self):
        ref = self.create()["id"]
        data = os.urandom(3000) + b"\x00\xff"
        sha = hashlib.sha256(data).hexdigest()
        r = self.admin.post(API + "/" + ref + "/evidence", data, content_type="image/png",
                            query={"name": "shot.png"})
        self.assertEqual(r.status, 201, r)
        ev = r.json
        self.assertEqual(set(ev), {"sha256", "name", "size", "media_type", "added_by",
                                   "created_at"})
        self.assertEqual((ev["sha256"], ev["name"], ev["size"], ev["media_type"],
                          ev["added_by"]), (sha, "shot.png", len(data), "image/png", "admin"))
        r = self.admin.get(API + "/" + ref + "/evidence")
        self.assertEqual(r.status, 200, r)
        lst = r.json["items"] if isinstance(r.json, dict) else r.json
        self.assertEqual([e["sha256"] for e in lst], [sha])
        r = self.admin.get(API + "/" + ref + "/evidence/" + sha)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.raw, data)
        self.assertEqual(hashlib.sha256(r.raw).hexdigest(), sha)
        self.assertTrue(r.headers.get("Content-Type", "").startswith("image/png"))
        r = self.admin.get(API + "/" + ref + "/evidence/" + "0" * 64)
        self.assertErr(r, 404)
        # the same bytes in another incident: the same hash
        ref2 = self.create()["id"]
        r = self.admin.post(API + "/" + ref2 + "/evidence", data,
                            content_type="application/octet-stream", query={"name": "copy.bin"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["sha256"], sha)
        r = self.admin.get(API + "/" + ref2 + "/evidence/" + sha)
        self.assertEqual(r.raw, data)
        # a media type keeps its type/subtype, not its parameters
        r = self.admin.post(API + "/" + ref2 + "/evidence", b"hello",
                            content_type="text/plain; charset=utf-8",
                            query={"name": "note.txt"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["media_type"], "text/plain")
        r = self.admin.post(API + "/" + ref2 + "/evidence", b"hello",
                            content_type="text/" + "p" * 200,
                            query={"name": "long.txt"})
        self.assertErr(r, 400, field="media_type")
        # the command line prints the SHA-256
        path = self.store.path("mail.eml")
        body = b"From: phish@evil.example\r\nSubject: win\r\n\r\nclick\r\n"
        with open(path, "wb") as f:
            f.write(body)
        out = self.ok("incident", "attach", ref, path, "--media-type", "message/rfc822")
        self.assertEqual(out.strip(), hashlib.sha256(body).hexdigest())
        r = self.admin.get(API + "/" + ref + "/evidence")
        lst = r.json["items"] if isinstance(r.json, dict) else r.json
        e = [e for e in lst if e["sha256"] == out.strip()][0]
        self.assertEqual((e["name"], e["media_type"], e["size"]),
                         ("mail.eml", "message/rfc822", len(body)))
        out = self.ok("incident", "attach", ref2, path, "--name", "renamed.eml")
        self.assertEqual(out.strip(), hashlib.sha256(body).hexdigest())

    def test_size_limit(self):
        ref = self.create()["id"]
        at = os.urandom(self.MAX)
        r = self.admin.post(API + "/" + ref + "/evidence", at,
                            content_type="application/octet-stream", query={"name": "max.bin"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["size"], self.MAX)
        self.assertEqual(self.admin.get(API + "/" + ref + "/evidence/" + r.json["sha256"]).raw, at)
        over = os.urandom(self.MAX + 1)
        r = self.admin.post(API + "/" + ref + "/evidence", over,
                            content_type="application/octet-stream", query={"name": "over.bin"})
        self.assertErr(r, 413)
        r = self.admin.get(API + "/" + ref + "/evidence")
        lst = r.json["items"] if isinstance(r.json, dict) else r.json
        self.assertEqual([e["name"] for e in lst], ["max.bin"])
        # the command line: the same limit
        p_at, p_over = self.store.path("at.bin"), self.store.path("over.bin")
        with open(p_at, "wb") as f:
            f.write(os.urandom(self.MAX))
        with open(p_over, "wb") as f:
            f.write(over)
        self.ok("incident", "attach", ref, p_at)
        rc, out, err = self.cli("incident", "attach", ref, p_over)
        self.assertEqual(rc, 1, out + err)
        self.assertEqual(out, "")
        r = self.admin.get(API + "/" + ref + "/evidence")
        lst = r.json["items"] if isinstance(r.json, dict) else r.json
        self.assertEqual(sorted(e["name"] for e in lst), ["at.bin", "max.bin"])

    def test_evidence_needs_a_name_and_an_incident(self):
        ref = self.create()["id"]
        r = self.admin.post(API + "/" + ref + "/evidence", b"abc",
                            content_type="text/plain")
        self.assertErr(r, 400, field="name")
        r = self.admin.post(API + "/CIRT-1999-000001/evidence", b"abc",
                            content_type="text/plain", query={"name": "a.txt"})
        self.assertErr(r, 404)


# ---------------------------------------------------------------------------
# optimistic concurrency

class ConcurrencyTests(IncidentCase):
    def test_etag_if_match_version(self):
        inc = self.create()
        ref = inc["id"]
        r = self.admin.get(API + "/" + ref)
        self.assertEqual(r.headers.get("ETag"), '"1"')
        # right If-Match: 200, version + 1
        r = self.admin.patch(API + "/" + ref, {"title": "two"}, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["version"], 2)
        self.assertEqual(self.admin.get(API + "/" + ref).headers.get("ETag"), '"2"')
        before = self.get(ref)
        # stale If-Match: 409, nothing changed
        r = self.admin.patch(API + "/" + ref, {"title": "stale"}, headers={"If-Match": '"1"'})
        self.assertErr(r, 409)
        # neither If-Match nor version: 428
        r = self.admin.patch(API + "/" + ref, {"title": "blind"})
        self.assertErr(r, 428)
        # stale version in the body: 409
        r = self.admin.patch(API + "/" + ref, {"title": "stale", "version": 1})
        self.assertErr(r, 409)
        self.assertEqual(self.get(ref), before)
        # right version in the body
        r = self.admin.patch(API + "/" + ref, {"title": "three", "version": 2})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["version"], r.json["title"]), (3, "three"))
        # a second writer with the same view loses
        r1 = self.admin.patch(API + "/" + ref, {"severity": "high"}, headers={"If-Match": '"3"'})
        r2 = self.admin.patch(API + "/" + ref, {"severity": "low"}, headers={"If-Match": '"3"'})
        self.assertEqual(r1.status, 200, r1)
        self.assertErr(r2, 409)
        self.assertEqual(self.get(ref)["severity"], "high")
        # a malformed If-Match
        r = self.admin.patch(API + "/" + ref, {"title": "x"}, headers={"If-Match": "four"})
        self.assertIn(r.status, (400, 409, 412), r)
        self.assertEqual(self.get(ref)["version"], 4)

    def test_every_change_bumps_the_version(self):
        org = self.make_org("constituent")
        analyst = self.make_user("analyst")
        ref = self.create(constituents=[org])["id"]
        v = self.get(ref)["version"]
        for body in ({"description": "d"}, {"class": "availability:ddos"}, {"severity": "low"},
                     {"impact": "extortion"}, {"tlp": "red"}, {"assignee": analyst},
                     {"assignee": None}, {"reporter": {"kind": "feed", "name": "x"}},
                     {"constituents": []}, {"status": "triaged"}):
            with self.subTest(body=body):
                inc = self.patch(ref, body, version=v).json
                self.assertEqual(inc["version"], v + 1)
                v += 1
        self.assertEqual(self.get(ref)["tlp"], "TLP:RED")
        self.assertEqual(self.get(ref)["impact"], "extortion")


# ---------------------------------------------------------------------------
# listing: filters, full-text search, bad parameters

class ListTests(IncidentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        t = cls

        def mk(**b):
            b.setdefault("title", uniq("Listed "))
            b.setdefault("tlp", "TLP:GREEN")
            r = t.admin.post(API, b)
            assert r.status == 201, r
            return r.json

        r = t.admin.post("/api/v1/orgs", {"name": uniq("ListOrg A "), "kind": "constituent"})
        assert r.status == 201, r
        cls.org_a = r.json["name"]
        r = t.admin.post("/api/v1/orgs", {"name": uniq("ListOrg B "), "kind": "constituent"})
        cls.org_b = r.json["name"]
        cls.analyst = uniq("lista")
        r = t.admin.post("/api/v1/users", {"name": cls.analyst, "org": "CIRT",
                                           "role": "analyst", "password": PASSWORD})
        assert r.status == 201, r
        cls.inc = {}
        cls.inc["phish"] = mk(**{"class": "fraud:phishing", "severity": "high",
                                 "constituents": [cls.org_a], "assignee": cls.analyst,
                                 "reported_at": "2024-01-10T08:00:00Z",
                                 "title": "Bank lookalike mails",
                                 "description": "credential harvesting kiwi"})
        cls.inc["pharm"] = mk(**{"class": "fraud:pharming", "severity": "low",
                                 "constituents": [cls.org_a, cls.org_b],
                                 "reported_at": "2024-02-01T00:00:00Z",
                                 "title": "DNS hijack mango"})
        cls.inc["ddos"] = mk(**{"class": "availability:ddos", "severity": "critical",
                                "constituents": [cls.org_b], "assignee": cls.analyst,
                                "reported_at": "2024-02-15T12:00:00Z",
                                "title": "Flood on the portal"})
        cls.inc["spam"] = mk(**{"class": "abusive-content:spam", "severity": "low",
                                "reported_at": "2024-03-01T00:00:00Z",
                                "title": "Spam run"})
        cls.inc["ransom"] = mk(**{"class": "malicious-code:ransomware", "severity": "high",
                                  "constituents": [cls.org_b],
                                  "reported_at": "2024-03-20T23:59:59Z",
                                  "title": "Encrypted file server"})
        for k, st in (("ddos", ["triaged", "in-progress"]), ("spam", ["rejected"]),
                      ("ransom", ["triaged"])):
            ref = cls.inc[k]["id"]
            for s in st:
                v = t.admin.get(API + "/" + ref).json["version"]
                r = t.admin.patch(API + "/" + ref, {"status": s}, headers={"If-Match": etag(v)})
                assert r.status == 200, r
        r = t.admin.post(API + "/" + cls.inc["ransom"]["id"] + "/timeline",
                         {"kind": "note", "body": "the attacker left a papaya note"})
        assert r.status == 201, r
        r = t.admin.post(API + "/" + cls.inc["ddos"]["id"] + "/timeline",
                         {"kind": "comment", "body": "upstream scrubbing guava"})
        assert r.status == 201, r

    def ids(self, *keys):
        return [self.inc[k]["id"] for k in keys]

    def check(self, query, keys):
        got = self.all_ids(query)
        self.assertEqual(got, self.ids(*keys), query)

    def test_newest_first_and_items_without_tasks(self):
        r = self.admin.get(API)
        self.assertEqual(r.status, 200, r)
        self.assertEqual([i["id"] for i in r.json["items"]],
                         self.ids("ransom", "spam", "ddos", "pharm", "phish"))
        for i in r.json["items"]:
            self.assertNotIn("tasks", i)
            self.assertIn("status", i)

    def test_filters(self):
        cases = [
            ({"status": "new"}, ["pharm", "phish"]),
            ({"status": "triaged,rejected"}, ["ransom", "spam"]),
            ({"status": "in-progress"}, ["ddos"]),
            ({"class": "fraud"}, ["pharm", "phish"]),
            ({"class": "fraud:phishing"}, ["phish"]),
            ({"class": "fraud:pharming"}, ["pharm"]),
            ({"class": "malicious-code"}, ["ransom"]),
            ({"severity": "low"}, ["spam", "pharm"]),
            ({"severity": "critical"}, ["ddos"]),
            ({"constituent": self.org_a}, ["pharm", "phish"]),
            ({"constituent": self.org_b}, ["ransom", "ddos", "pharm"]),
            ({"assignee": self.analyst}, ["ddos", "phish"]),
            ({"assignee": "none"}, ["ransom", "spam", "pharm"]),
            ({"from": "2024-02-01"}, ["ransom", "spam", "ddos", "pharm"]),
            ({"to": "2024-02-01"}, ["phish"]),
            ({"from": "2024-02-01", "to": "2024-03-01"}, ["ddos", "pharm"]),
            ({"from": "2024-02-15T12:00:00Z", "to": "2024-03-20T23:59:59Z"}, ["spam", "ddos"]),
            ({"to": "2024-03-21"}, ["ransom", "spam", "ddos", "pharm", "phish"]),
            ({"severity": "high", "status": "new"}, ["phish"]),
            ({"constituent": self.org_b, "class": "fraud"}, ["pharm"]),
        ]
        for query, keys in cases:
            with self.subTest(query=query):
                self.check(query, keys)

    def test_full_text(self):
        cases = [("kiwi", ["phish"]),              # description
                 ("mango", ["pharm"]),             # title
                 ("papaya", ["ransom"]),           # a note only
                 ("guava", ["ddos"]),              # a comment only
                 ("DNS hijack", ["pharm"]),        # every word
                 ("credential mango", []),         # not every word in one incident
                 ("nothinglikethis", [])]
        for q, keys in cases:
            with self.subTest(q=q):
                self.check({"q": q}, keys)
        self.check({"q": "papaya", "status": "triaged"}, ["ransom"])
        self.check({"q": "papaya", "status": "new"}, [])
        out = self.ok("incident", "list", "--search", "papaya", "--format", "json")
        self.assertEqual([i["id"] for i in items_of(json.loads(out))], self.ids("ransom"))

    def test_command_line_filters(self):
        cases = [(["--status", "triaged,rejected"], ["ransom", "spam"]),
                 (["--class", "fraud"], ["pharm", "phish"]),
                 (["--class", "fraud:phishing"], ["phish"]),
                 (["--severity", "low"], ["spam", "pharm"]),
                 (["--constituent", self.org_b], ["ransom", "ddos", "pharm"]),
                 (["--assignee", "none"], ["ransom", "spam", "pharm"]),
                 (["--assignee", self.analyst], ["ddos", "phish"]),
                 (["--from", "2024-02-01", "--to", "2024-03-01"], ["ddos", "pharm"]),
                 (["--limit", "2"], ["ransom", "spam"]),
                 ([], ["ransom", "spam", "ddos", "pharm", "phish"])]
        for args, keys in cases:
            with self.subTest(args=args):
                out = self.ok("incident", "list", *args, "--format", "json")
                self.assertEqual([i["id"] for i in items_of(json.loads(out))], self.ids(*keys))
        out = self.ok("incident", "list")
        for ref in self.ids("ransom", "spam", "ddos", "pharm", "phish"):
            self.assertIn(ref, out)
        rc, out, err = self.cli("incident", "list", "--status", "bogus")
        self.assertNotEqual(rc, 0)
        self.assertIn("status", err)

    def test_bad_parameters(self):
        cases = [({"status": "bogus"}, "status"), ({"status": "new,bogus"}, "status"),
                 ({"class": "nope"}, "class"), ({"class": "fraud:nope"}, "class"),
                 ({"severity": "extreme"}, "severity"), ({"from": "2024-13-01"}, "from"),
                 ({"from": "yesterday"}, "from"), ({"to": "2024-02-30"}, "to"),
                 ({"q": ""}, "q"), ({"q": "x" * 201}, "q"), ({"sla": "soon"}, "sla"),
                 ({"sla": "due", "within": "-1"}, "within"),
                 ({"sla": "due", "within": "ten"}, "within"),
                 ({"limit": "0"}, "limit"), ({"limit": "1001"}, "limit"),
                 ({"limit": "ten"}, "limit"), ({"cursor": "garbage"}, "cursor"),
                 ({"colour": "red"}, "colour")]
        for query, field in cases:
            with self.subTest(query=query):
                r = self.admin.get(API, query=query)
                self.assertErr(r, 400, field=field)
        # 200 bytes of search text is the longest
        r = self.admin.get(API, query={"q": "x" * 200})
        self.assertEqual(r.status, 200, r)
        # names of things that do not exist
        for query in ({"constituent": uniq("No such org ")}, {"assignee": uniq("nobody")}):
            with self.subTest(query=query):
                r = self.admin.get(API, query=query)
                self.assertIn(r.status, (400, 404), r)
                self.assertEqual(r.json["error"]["field"], list(query)[0], r)


class PagingTests(IncidentCase):
    def test_cursor_paging_newest_first(self):
        made = [self.create(reported_at="2023-0%d-01T00:00:00Z" % (i + 1))["id"]
                for i in range(5)]
        pages, cursor = [], None
        while True:
            q = {"limit": "2"}
            if cursor:
                q["cursor"] = cursor
            r = self.admin.get(API, query=q)
            self.assertEqual(r.status, 200, r)
            pages.append([i["id"] for i in r.json["items"]])
            cursor = r.json.get("next_cursor")
            if not cursor:
                break
            self.assertLess(len(pages), 10)
        self.assertEqual([len(p) for p in pages], [2, 2, 1])
        seen = [x for p in pages for x in p]
        self.assertEqual(seen, list(reversed(made)))
        # a cursor keeps its place after a new incident arrives
        r = self.admin.get(API, query={"limit": "2"})
        cur = r.json["next_cursor"]
        self.create(reported_at="2023-06-01T00:00:00Z")
        r = self.admin.get(API, query={"limit": "2", "cursor": cur})
        self.assertEqual([i["id"] for i in r.json["items"]], list(reversed(made))[2:4])
        # a filter with paging
        r = self.admin.get(API, query={"limit": "1", "from": "2023-02-01", "to": "2023-04-01"})
        self.assertEqual([i["id"] for i in r.json["items"]], [made[2]])
        r = self.admin.get(API, query={"limit": "1", "from": "2023-02-01", "to": "2023-04-01",
                                       "cursor": r.json["next_cursor"]})
        self.assertEqual([i["id"] for i in r.json["items"]], [made[1]])
        self.assertNotIn("next_cursor", r.json)


# ---------------------------------------------------------------------------
# who sees what

class AccessTests(IncidentCase):
    def setup_orgs(self):
        a = self.make_org("constituent")
        b = self.make_org("constituent")
        user, c = self.user_client("constituent", org=a)
        return a, b, c

    def test_constituent_sees_own_up_to_amber(self):
        a, b, c = self.setup_orgs()
        visible = [self.create(tlp=t, constituents=[a])["id"]
                   for t in ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER")]
        visible.append(self.create(tlp="TLP:AMBER", constituents=[b, a])["id"])
        hidden = [self.create(tlp=t, constituents=[a])["id"]
                  for t in ("TLP:AMBER+STRICT", "TLP:RED")]
        hidden += [self.create(tlp=t, constituents=[b])["id"]
                   for t in ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER")]
        hidden.append(self.create(tlp="TLP:CLEAR")["id"])
        for ref in visible:
            with self.subTest(visible=ref):
                r = c.get(API + "/" + ref)
                self.assertEqual(r.status, 200, r)
                self.assertFalse(r.json.get("tasks"), r.json.get("tasks"))
                r = c.get(API + "/" + self.get(ref)["uuid"])
                self.assertEqual(r.status, 200, r)
        for ref in hidden:
            with self.subTest(hidden=ref):
                self.assertErr(c.get(API + "/" + ref), 404)
                self.assertErr(c.get(API + "/" + self.get(ref)["uuid"]), 404)
                self.assertErr(c.get(API + "/" + ref + "/timeline"), 404)
                self.assertErr(c.get(API + "/" + ref + "/iodef"), 404)
                self.assertErr(c.post(API + "/" + ref + "/timeline",
                                      {"kind": "comment", "body": "hello"}), 404)
                self.assertErr(c.post(API + "/" + ref + "/acknowledge"), 404)
        got = c.list_all(API)
        self.assertEqual([i["id"] for i in got], list(reversed(visible)))
        # filters never widen it
        self.assertEqual([i["id"] for i in c.list_all(API, {"constituent": a})],
                         list(reversed(visible)))
        # naming B: 404 (http-api.md), or only what affects A and B too
        r = c.get(API, query={"constituent": b})
        self.assertTrue(r.status == 404 or (r.status == 200 and [
            i["id"] for i in r.json["items"]] == [visible[3]]), r)
        self.assertEqual([i["id"] for i in c.list_all(API, {"q": "Incident"})],
                         list(reversed(visible)))
        # the team sees all of them, RED included
        self.assertTrue(set(visible + hidden) <= set(self.all_ids()))
        _, analyst = self.user_client("analyst")
        for ref in hidden:
            self.assertEqual(analyst.get(API + "/" + ref).status, 200)

    def test_constituent_timeline_comments_and_events_only(self):
        a, b, c = self.setup_orgs()
        ref = self.create(tlp="TLP:GREEN", constituents=[a])["id"]
        for kind in ("note", "comment", "in", "out"):
            r = self.admin.post(API + "/" + ref + "/timeline",
                                {"kind": kind, "body": "secret-%s" % kind,
                                 "counterpart": "someone"})
            self.assertEqual(r.status, 201, r)
        self.move(ref, "triaged")
        r = self.admin.post(API + "/" + ref + "/evidence", b"evidence bytes",
                            content_type="text/plain", query={"name": "e.txt"})
        self.assertEqual(r.status, 201, r)
        sha = r.json["sha256"]
        r = c.get(API + "/" + ref + "/timeline")
        self.assertEqual(r.status, 200, r)
        kinds = [e["kind"] for e in r.json["items"]]
        self.assertEqual(set(kinds), {"comment", "event"}, kinds)
        self.assertEqual(kinds.count("comment"), 1, kinds)
        self.assertIn("triaged", r.json["items"][-1]["body"])
        self.assertNotIn("secret-note", r.raw.decode())
        self.assertNotIn("secret-in", r.raw.decode())
        self.assertNotIn("secret-out", r.raw.decode())
        r = c.get(API + "/" + ref)
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("secret-", r.raw.decode())
        self.assertFalse(r.json.get("tasks"), r.json.get("tasks"))
        for path in ("/tasks", "/evidence", "/evidence/" + sha):
            with self.subTest(path=path):
                r = c.get(API + "/" + ref + path)
                self.assertIn(r.status, (403, 404), r)
                self.assertNotIn(b"evidence bytes", r.raw)
        # the list has the incident but no notes
        items = c.list_all(API)
        self.assertEqual([i["id"] for i in items], [ref])
        # searching a note's words finds nothing for the constituent
        self.assertEqual(c.list_all(API, {"q": "secret-note"}), [])

    def test_constituent_comments_and_acknowledges(self):
        a, b, c = self.setup_orgs()
        ref = self.create(tlp="TLP:AMBER", constituents=[a, b])["id"]
        v = self.get(ref)["version"]
        r = c.post(API + "/" + ref + "/timeline", {"kind": "comment", "body": "seen, thanks"})
        self.assertEqual(r.status, 201, r)
        for kind in ("note", "in", "out"):
            with self.subTest(kind=kind):
                r = c.post(API + "/" + ref + "/timeline", {"kind": kind, "body": "x"})
                self.assertErr(r, 403)
        r = c.post(API + "/" + ref + "/acknowledge")
        self.assertEqual(r.status, 200, r)
        inc = self.get(ref)
        ack = {x["org"]: x["acknowledged_at"] for x in inc["constituents"]}
        self.assertIsNotNone(ack[a])
        self.assertIsNone(ack[b])
        self.assertIsNone(inc["acknowledged_at"])  # the team's clock still runs
        self.assertEqual(inc["status"], "new")
        r = c.post(API + "/" + ref + "/acknowledge")  # idempotent
        self.assertEqual(r.status, 200, r)
        self.assertEqual({x["org"]: x["acknowledged_at"] for x in self.get(ref)["constituents"]},
                         ack)
        bodies = [e["body"] for e in self.admin.get(API + "/" + ref + "/timeline").json["items"]]
        self.assertIn("seen, thanks", bodies)
        self.assertGreaterEqual(self.get(ref)["version"], v)

    def test_constituent_may_not_change_or_create(self):
        a, b, c = self.setup_orgs()
        ref = self.create(tlp="TLP:GREEN", constituents=[a])["id"]
        before = self.get(ref)
        r = c.patch(API + "/" + ref, {"title": "mine now"},
                    headers={"If-Match": etag(before["version"])})
        self.assertErr(r, 403)
        r = c.post(API, {"title": "x", "class": "fraud:phishing", "severity": "low",
                         "tlp": "clear", "constituents": [a]})
        self.assertErr(r, 403)
        for path, body in (("/tasks", {"title": "t"}),
                           ("/relations", {"relation": "related-to", "incident": ref}),
                           ("/observables", {"type": "ipv4-addr", "value": "192.0.2.1",
                                             "role": "source"}),
                           ("/share", {"collection": "x"})):
            with self.subTest(path=path):
                self.assertErr(c.post(API + "/" + ref + path, body), 403)
        r = c.post(API + "/" + ref + "/evidence", b"x", content_type="text/plain",
                   query={"name": "x.txt"})
        self.assertErr(r, 403)
        self.assertEqual(self.get(ref), before)
        self.assertErr(c.get("/api/v1/stats?by=class"), 403)

    def test_partner_sees_nothing(self):
        _, p = self.user_client("partner")
        ref = self.create(tlp="TLP:CLEAR")["id"]
        self.assertErr(p.get(API), 403)
        r = p.get(API + "/" + ref)
        self.assertIn(r.status, (403, 404), r)
        self.assertErr(p.post(API, {"title": "x", "class": "fraud:phishing",
                                    "severity": "low", "tlp": "clear"}), 403)
        r = p.post(API + "/" + ref + "/timeline", {"kind": "comment", "body": "x"})
        self.assertIn(r.status, (403, 404), r)
        self.assertNotIn(ref.encode(), r.raw)

    def test_analyst_does_everything(self):
        name, a = self.user_client("analyst")
        inc = self.create(client=a, tlp="TLP:RED", assignee=name)
        ref = inc["id"]
        r = a.patch(API + "/" + ref, {"status": "triaged"}, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 200, r)
        r = a.post(API + "/" + ref + "/timeline", {"kind": "note", "body": "n"})
        self.assertEqual(r.status, 201, r)
        r = a.get(API, query={"assignee": name})
        self.assertEqual([i["id"] for i in r.json["items"]], [ref])
        r = a.request("PUT", "/api/v1/sla/low", {"acknowledge_minutes": 1,
                                                 "resolve_minutes": 2})
        self.assertErr(r, 403)


# ---------------------------------------------------------------------------
# IODEF

class IodefExportTests(IncidentCase):
    ENV = {"CIRTKIT_TEAM_DOMAIN": "cirt.example.org"}

    def setUp(self):
        need_iodef(self)

    def test_export_validates_and_maps_tlp(self):
        org = self.make_org("constituent")
        analyst = self.make_user("analyst")
        for tlp in TLPS:
            with self.subTest(tlp=tlp):
                inc = self.create(tlp=tlp, description="what & <happened>",
                                  constituents=[org], assignee=analyst,
                                  impact="breach-credential",
                                  reporter={"kind": "person", "name": "bob@example.org"},
                                  observables=[
                                      {"type": t, "value": v, "role": r} for t, v, r in (
                                          ("ipv4-addr", "192.0.2.7", "source"),
                                          ("ipv6-addr", "2001:db8::7", "target"),
                                          ("domain-name", "evil.example", "source"),
                                          ("url", "http://evil.example/a?b=c&d", "source"),
                                          ("email-addr", "x@evil.example", "source"),
                                          ("file-sha256", "ab" * 32, "other"),
                                          ("asn", "64500", "source"))])
                ref = inc["id"]
                root = self.export_iodef(ref)
                self.assertEqual(root.tag, "{%s}IODEF-Document" % IODEF_NS)
                self.assertEqual(root.get("version"), "2.00")
                incs = root.findall("{%s}Incident" % IODEF_NS)
                self.assertEqual(len(incs), 1)
                el = incs[0]
                rid = el.find("{%s}IncidentID" % IODEF_NS)
                self.assertEqual(rid.get("name"), "cirt.example.org")
                self.assertEqual(rid.text.strip(), ref)
                restriction, ext = RESTRICTION[tlp]
                self.assertEqual(el.get("restriction"), restriction)
                self.assertEqual(el.get("ext-restriction"), ext)
                # no IPv4 address left to the ipv6-addr default (IODEF-04)
                for a in el.iter("{%s}Address" % IODEF_NS):
                    if a.text and a.text.strip() == "192.0.2.7":
                        self.assertEqual(a.get("category"), "ipv4-addr")
                self.assertIn("breach-credential", ET.tostring(el).decode())

    def test_export_every_kind_of_incident(self):
        # every status, relations, notes, tasks, links, reporter kinds
        org = self.make_org("constituent")
        partner = self.make_org("partner")
        base = self.create()["id"]
        for s in STATUSES:
            with self.subTest(status=s):
                ref = self.create(reporter={"kind": "constituent", "name": org},
                                  constituents=[org])["id"]
                self.move(ref, *PATH[s], duplicate_of=base)
        ref = self.create(reporter={"kind": "partner", "name": partner})["id"]
        self.create(reporter={"kind": "feed", "name": "shadowserver"})
        self.create(reporter={"kind": "team", "name": "CIRT"}, severity="critical",
                    **{"class": "malicious-code:ransomware"})
        self.admin.post(API + "/" + ref + "/timeline", {"kind": "out", "body": "mail",
                                                        "counterpart": "isp"})
        self.admin.post(API + "/" + ref + "/relations", {"relation": "related-to",
                                                         "incident": base})
        self.ok("incident", "add", "--title", "Unicode \u00e9\u6771 title", "--class",
                "information-gathering:scanner", "--severity", "low", "--tlp", "white")
        self.export_all_iodef()

    def test_unknown_format_and_incident(self):
        ref = self.create()["id"]
        rc, out, err = self.cli("incident", "export", ref, "--format", "pdf")
        self.assertEqual(rc, 2, out + err)
        rc, out, err = self.cli("incident", "export", "CIRT-1999-000001", "--format", "iodef")
        self.assertEqual(rc, 1, out + err)
        self.assertErr(self.admin.get(API + "/CIRT-1999-000001/iodef"), 404)


class IodefImportTests(IncidentCase):
    def setUp(self):
        need_iodef(self)

    def fixture(self, name):
        return os.path.join(iodef_check.IODEF_DIR, name)

    def read(self, name):
        with open(self.fixture(name), "rb") as f:
            return f.read()

    def count(self):
        return len(self.all_ids())

    def import_errors(self, r):
        """The errors of a refused import: 400, the error shape, and
        "errors": [{"line", "message"}] beside "error" (docs/incidents.md:
        "the error shape plus errors") or, accepted too, inside it."""
        self.assertEqual(r.status, 400, r)
        self.assertIsNotNone(r.json, r)
        e = r.json["error"]
        self.assertEqual(e["code"], "invalid", r)
        self.assertTrue(e["message"], r)
        where = [x for x in (r.json, e) if "errors" in x]
        self.assertEqual(len(where), 1, "errors in neither or both places: %r" % r.json)
        self.assertTrue(set(r.json) <= {"error", "errors"}, r.json)
        errors = where[0]["errors"]
        self.assertIsInstance(errors, list, r.json)
        self.assertTrue(errors, r.json)
        for x in errors:
            self.assertEqual(set(x), {"line", "message"}, x)
            self.assertIsInstance(x["line"], int, x)
            self.assertGreaterEqual(x["line"], 1, x)
            self.assertTrue(x["message"], x)
        return errors

    def test_import_rfc_examples_once(self):
        n0 = self.count()
        out = self.ok("incident", "import", self.fixture("rfc7970-sec7.1-minimal.xml"))
        created = out.split()
        self.assertEqual(len(created), 1, out)
        inc = self.show(created[0])
        self.assertEqual(inc["source"], "csirt.example.com:492382")
        self.assertEqual(inc["status"], "new")
        self.assertEqual(self.count(), n0 + 1)
        # again: nothing new
        rc, out, err = self.cli("incident", "import", self.fixture("rfc7970-sec7.1-minimal.xml"))
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(out.strip(), "")
        self.assertEqual(self.count(), n0 + 1)
        # through the API
        r = self.admin.post(API + "/import", self.read("rfc7970-sec7.2-indicators-campaign.xml"),
                            content_type="application/iodef+xml")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(len(r.json["created"]), 1, r.json)
        self.assertEqual(r.json["existing"], [])
        camp = self.get(r.json["created"][0])
        self.assertEqual(camp["source"], "csirt.example.com:897923")
        # IODEF has no title: the Description may become either
        self.assertIn("Orange Giraffe", camp["title"] + " " + camp["description"])
        self.assertEqual(camp["tlp"], "TLP:GREEN")
        self.assertEqual(camp["impact"], "breach-proprietary")
        self.assertEqual(self.count(), n0 + 2)
        for name, ref in (("rfc7970-sec7.1-minimal.xml", created[0]),
                          ("rfc7970-sec7.2-indicators-campaign.xml", camp["id"])):
            with self.subTest(again=name):
                r = self.admin.post(API + "/import", self.read(name),
                                    content_type="application/xml")
                self.assertEqual(r.status, 201, r)
                self.assertEqual(r.json, {"created": [], "existing": [ref]})
        rc, out, err = self.cli("incident", "import",
                                self.fixture("rfc7970-sec7.2-indicators-campaign.xml"))
        self.assertEqual((rc, out.strip()), (0, ""), err)
        self.assertEqual(self.count(), n0 + 2)
        # what was imported exports as valid IODEF
        self.export_iodef(created[0])
        self.export_iodef(camp["id"])

    def check_invalid(self):
        for name in ("invalid-missing-contact.xml", "invalid-missing-purpose.xml"):
            with self.subTest(cli=name):
                n = self.count()
                path = self.fixture(name)
                rc, out, err = self.cli("incident", "import", path)
                self.assertEqual(rc, 1, out + err)
                self.assertEqual(out.strip(), "")
                lines = re.findall(r"(?m)^%s:(\d+): (.+)$" % re.escape(path), err)
                self.assertTrue(lines, err)
                for line, msg in lines:
                    self.assertTrue(4 <= int(line) <= 7, err)
                    self.assertTrue(msg.strip())
                msg = " ".join(m for _, m in lines).lower()
                self.assertIn("contact" if "contact" in name else "purpose", msg)
                self.assertEqual(self.count(), n)
            with self.subTest(api=name):
                n = self.count()
                r = self.admin.post(API + "/import", self.read(name),
                                    content_type="application/iodef+xml")
                errors = self.import_errors(r)
                for e in errors:
                    self.assertEqual(set(e), {"line", "message"})
                    self.assertIsInstance(e["line"], int)
                    self.assertTrue(4 <= e["line"] <= 7, e)
                    self.assertTrue(e["message"])
                self.assertIn("contact" if "contact" in name else "purpose",
                              json.dumps(errors).lower())
                self.assertEqual(self.count(), n)

    def test_invalid_documents_create_nothing(self):
        self.check_invalid()

    def test_all_or_none(self):
        good = self.read("rfc7970-sec7.1-minimal.xml").decode()
        second = ('  <Incident purpose="reporting">\n'
                  '    <IncidentID name="csirt.example.com">all-or-none-%s</IncidentID>\n'
                  '    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>\n'
                  '  </Incident>\n') % uniq("x")
        first = good.replace(">492382<", ">%s<" % uniq("aon"))
        doc = first.replace("</IODEF-Document>", second + "</IODEF-Document>")
        line = doc[:doc.index(second)].count("\n") + 1
        path = self.store.path("two.xml")
        with open(path, "w") as f:
            f.write(doc)
        n = self.count()
        rc, out, err = self.cli("incident", "import", path)
        self.assertEqual(rc, 1, out + err)
        self.assertRegex(err, r"(?m)^%s:(%d|%d|%d|%d): " % (re.escape(path), line, line + 1,
                                                            line + 2, line + 3))
        r = self.admin.post(API + "/import", doc, content_type="application/iodef+xml")
        self.assertTrue(any(line <= e["line"] <= line + 3 for e in self.import_errors(r)),
                        r.json)
        self.assertEqual(self.count(), n)
        # not XML at all, and not IODEF
        for body in (b"<IODEF-Document", b"not xml", b'<?xml version="1.0"?><html/>'):
            with self.subTest(body=body):
                r = self.admin.post(API + "/import", body, content_type="application/xml")
                self.import_errors(r)
                self.assertEqual(self.count(), n)
        r = self.admin.post(API + "/import", good, content_type="application/json")
        self.assertIn(r.status, (400, 415), r)


class IodefSchemaModeTests(IodefImportTests):
    """The same, with iodef_schema pointing at iodef-2.0.xsd."""
    ENV = {"CIRTKIT_IODEF_SCHEMA": iodef_check.XSD} if iodef_check.have_data() else {}

    def test_schema_mode_valid_documents(self):
        n = self.count()
        doc = self.read("rfc7970-sec7.2-indicators-campaign.xml").replace(
            b">897923<", (">%s<" % uniq("schema")).encode())
        path = self.store.path("schema-mode.xml")
        with open(path, "wb") as f:
            f.write(doc)
        out = self.ok("incident", "import", path)
        self.assertEqual(len(out.split()), 1, out)
        self.assertEqual(self.count(), n + 1)

    def test_schema_setting_missing_file(self):
        rc, out, err = self.store.cli("incident", "import",
                                      self.fixture("rfc7970-sec7.1-minimal.xml"),
                                      env={"CIRTKIT_IODEF_SCHEMA": "/nonexistent/iodef.xsd"})
        self.assertNotEqual(rc, 0, out + err)
        self.assertIn("schema", err + out)


# ---------------------------------------------------------------------------
# STIX export and sharing

class StixTests(IncidentCase):
    def bundle_of(self, ref):
        path = self.store.path(uniq("stix") + ".json")
        self.ok("incident", "export", ref, "--format", "stix", "-o", path)
        with open(path) as f:
            b = json.load(f)
        r = self.admin.get(API + "/" + ref + "/stix")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers.get("Content-Type"), STIX_CTYPE)
        b2 = json.loads(r.raw)
        # the STIX rules of `cirtkit validate`
        rc, out, err = self.cli("validate", path)
        self.assertEqual(rc, 0, "cirtkit validate of the export:\n" + out + err)
        return b, b2

    def test_export_stix(self):
        for tlp, level in (("TLP:CLEAR", "clear"), ("TLP:GREEN", "green"),
                           ("TLP:AMBER", "amber"), ("TLP:AMBER+STRICT", "amber+strict"),
                           ("TLP:RED", "red")):
            with self.subTest(tlp=tlp):
                inc = self.create(tlp=tlp, title="Stix " + level, observables=[
                    {"type": "ipv4-addr", "value": "192.0.2.44", "role": "source"},
                    {"type": "domain-name", "value": "c2.example", "role": "source"}])
                for b in self.bundle_of(inc["id"]):
                    self.assertEqual(b["type"], "bundle")
                    self.assertRegex(b["id"], r"^bundle--")
                    incs = [o for o in b["objects"] if o["type"] == "incident"]
                    self.assertEqual(len(incs), 1, b)
                    o = incs[0]
                    self.assertEqual(o["spec_version"], "2.1")
                    self.assertEqual(o["name"], "Stix " + level)
                    self.assertEqual(o["object_marking_refs"], [TLP2[level]])
                    marks = [x for x in b["objects"] if x["type"] == "marking-definition"]
                    self.assertIn(TLP2[level], [m["id"] for m in marks])
                    types = {x["type"] for x in b["objects"]}
                    self.assertTrue({"ipv4-addr", "domain-name"} <= types, types)

    def test_share_to_a_collection(self):
        cid = add_collection(self.store, tlp_max="amber", alias=uniq("inc-share"))
        tx = Tx(self.admin)
        green = self.create(tlp="TLP:GREEN", title="shared green")["id"]
        self.ok("incident", "share", green, "--collection", cid)
        amber = self.create(tlp="TLP:AMBER", title="shared amber", observables=[
            {"type": "ipv4-addr", "value": "192.0.2.99", "role": "source"}])["id"]
        r = self.admin.post(API + "/" + amber + "/share", {"collection": cid})
        self.assertIn(r.status, (200, 201), r)
        r = tx.get(tx.coll(cid, "objects"))
        self.assertEqual(r.status, 200, r)
        objs = r.tj["objects"]
        names = sorted(o["name"] for o in objs if o["type"] == "incident")
        self.assertEqual(names, ["shared amber", "shared green"])
        self.assertIn("192.0.2.99", [o.get("value") for o in objs])
        for o in objs:
            if o["type"] == "incident":
                self.assertEqual(len(o["object_marking_refs"]), 1)
        # above the ceiling, or RED: refused, field tlp
        n = len(objs)
        strict = self.create(tlp="TLP:AMBER+STRICT")["id"]
        red = self.create(tlp="TLP:RED")["id"]
        for ref in (strict, red):
            with self.subTest(ref=ref):
                r = self.admin.post(API + "/" + ref + "/share", {"collection": cid})
                self.assertErr(r, 409, field="tlp")
                rc, out, err = self.cli("incident", "share", ref, "--collection", cid)
                self.assertEqual(rc, 1, out + err)
        top = add_collection(self.store, tlp_max="amber+strict")
        r = self.admin.post(API + "/" + strict + "/share", {"collection": top})
        self.assertIn(r.status, (200, 201), r)
        r = self.admin.post(API + "/" + red + "/share", {"collection": top})
        self.assertErr(r, 409, field="tlp")
        self.assertEqual(len(tx.get(tx.coll(cid, "objects")).tj["objects"]), n)
        # unknown collection
        r = self.admin.post(API + "/" + green + "/share", {"collection": uniq("nocoll")})
        self.assertIn(r.status, (400, 404), r)
        # a constituent of the collection reads the shared incident through TAXII
        org = self.make_org("constituent")
        rd = add_collection(self.store, tlp_max="green", read=[org])
        self.ok("incident", "share", green, "--collection", rd)
        _, c = self.user_client("constituent", org=org)
        r = Tx(c).get(Tx(c).coll(rd, "objects"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual([o["name"] for o in r.tj["objects"] if o["type"] == "incident"],
                         ["shared green"])


# ---------------------------------------------------------------------------
# SLAs

class SlaTests(IncidentCase):
    def due(self, within=None):
        q = {"sla": "due"}
        if within is not None:
            q["within"] = str(within)
        return self.all_ids(q)

    def test_targets_defaults(self):
        r = self.admin.get("/api/v1/sla")
        self.assertEqual(r.status, 200, r)
        got = r.json["items"] if isinstance(r.json, dict) else r.json
        self.assertEqual({t["severity"]: (t["acknowledge_minutes"], t["resolve_minutes"])
                          for t in got}, SLA_DEFAULTS)
        out = self.ok("sla", "list")
        for sev in SLA_DEFAULTS:
            self.assertIn(sev, out)

    def test_breached_and_due(self):
        now = utcnow()
        high = self.create(severity="high", reported_at=ts(now - datetime.timedelta(hours=2)))
        self.assertTrue(high["sla"]["acknowledge_breached"])
        self.assertFalse(high["sla"]["resolve_breached"])
        self.assertAlmostEqual(secs(high["reported_at"], high["sla"]["acknowledge_by"]), 3600,
                               delta=1)
        self.assertAlmostEqual(secs(high["reported_at"], high["sla"]["resolve_by"]), 72 * 3600,
                               delta=1)
        crit = self.create(severity="critical",
                           reported_at=ts(now - datetime.timedelta(minutes=10)))
        low = self.create(severity="low")
        old = self.create(severity="critical", reported_at=ts(now - datetime.timedelta(days=2)))
        self.move(old["id"], "triaged", "resolved")
        rej = self.create(severity="critical", reported_at=ts(now - datetime.timedelta(days=2)))
        self.move(rej["id"], "rejected")
        self.assertEqual(self.due(), [high["id"]])
        self.assertEqual(self.due(0), [high["id"]])
        self.assertEqual(self.due(10), [crit["id"], high["id"]])
        self.assertEqual(self.due(24 * 60 + 1), [low["id"], crit["id"], high["id"]])
        self.assertEqual(self.due(24 * 60 - 2), [crit["id"], high["id"]])
        out = self.ok("incident", "list", "--sla-due", "10", "--format", "json")
        self.assertEqual([i["id"] for i in items_of(json.loads(out))], [crit["id"], high["id"]])
        # acknowledging stops the acknowledge clock
        r = self.admin.post(API + "/" + high["id"] + "/acknowledge")
        self.assertEqual(r.status, 200, r)
        acked = r.json
        self.assertIsNotNone(acked["acknowledged_at"])
        self.assertTrue(acked["sla"]["acknowledge_breached"])
        self.assertEqual(acked["status"], "new")
        self.assertNotIn(high["id"], self.due(60))
        self.assertEqual(self.due(10), [crit["id"]])
        r = self.admin.post(API + "/" + high["id"] + "/acknowledge")  # idempotent
        self.assertEqual(r.json["acknowledged_at"], acked["acknowledged_at"])
        # the command line acknowledges too
        self.ok("incident", "ack", crit["id"])
        self.assertIsNotNone(self.show(crit["id"])["acknowledged_at"])
        self.assertFalse(self.get(crit["id"])["sla"]["acknowledge_breached"])
        self.assertEqual(self.due(10), [])


class SlaTargetTests(IncidentCase):
    def test_set_targets(self):
        r = self.admin.request("PUT", "/api/v1/sla/low", {"acknowledge_minutes": 5,
                                                          "resolve_minutes": 100})
        self.assertEqual(r.status, 200, r)
        got = self.admin.get("/api/v1/sla").json
        got = got["items"] if isinstance(got, dict) else got
        self.assertIn({"severity": "low", "acknowledge_minutes": 5, "resolve_minutes": 100}, got)
        inc = self.create(severity="low",
                          reported_at=ts(utcnow() - datetime.timedelta(minutes=6)))
        self.assertTrue(inc["sla"]["acknowledge_breached"])
        self.assertIn(inc["id"], self.all_ids({"sla": "due"}))
        self.ok("sla", "set", "medium", "--acknowledge", "7", "--resolve", "70")
        got = self.admin.get("/api/v1/sla").json
        got = got["items"] if isinstance(got, dict) else got
        self.assertIn({"severity": "medium", "acknowledge_minutes": 7, "resolve_minutes": 70},
                      got)
        for sev, body, field in (("low", {"acknowledge_minutes": 0, "resolve_minutes": 5},
                                  "acknowledge_minutes"),
                                 ("low", {"acknowledge_minutes": 5, "resolve_minutes": 525601},
                                  "resolve_minutes"),
                                 ("low", {"acknowledge_minutes": 5, "resolve_minutes": 6,
                                          "x": 1}, "x")):
            with self.subTest(body=body):
                self.assertErr(self.admin.request("PUT", "/api/v1/sla/" + sev, body), 400,
                               field=field)
        r = self.admin.request("PUT", "/api/v1/sla/extreme", {"acknowledge_minutes": 5,
                                                              "resolve_minutes": 6})
        self.assertIn(r.status, (400, 404), r)


# ---------------------------------------------------------------------------
# national statistics

class StatsTests(IncidentCase):
    CLASSES = ["fraud:phishing", "availability:ddos", "malicious-code:ransomware",
               "intrusions:system-compromise", "abusive-content:spam"]
    SEVERITIES = ["low", "medium", "high", "critical"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = None

    def dataset(self):
        if StatsTests.data is not None:
            return StatsTests.data
        orgs = {}
        for name, sector in (("energy", "energy"), ("energy2", "energy"),
                             ("health", "health"), ("banking", "banking")):
            n = uniq("Stats %s " % name)
            self.ok("org", "add", n, "--kind", "constituent", "--sector", sector)
            orgs[name] = (n, sector)
        groups = [[], [orgs["energy"]], [orgs["energy"], orgs["energy2"]],
                  [orgs["health"], orgs["banking"]], [orgs["health"]]]
        refs = []
        for i in range(40):
            cls = self.CLASSES[i % 5]
            reported = "2023-%02d-%02dT%02d:%02d:00Z" % (1 + i % 6, 1 + i % 27, i % 24, i % 60)
            args = ["--reported-at", reported]
            for org, _ in groups[i % 5 if i % 7 else 2]:
                args += ["--constituent", org]
            ref = self.add("Stats %d" % i, cls, self.SEVERITIES[i % 4],
                           ["clear", "green", "amber"][i % 3], *args)
            refs.append(ref)
            kind = i % 8
            moves = {0: [], 1: ["triaged"], 2: ["triaged", "resolved"],
                     3: ["triaged", "in-progress", "resolved", "closed"], 4: ["rejected"],
                     5: ["duplicate"], 6: ["triaged", "in-progress"],
                     7: ["triaged", "resolved", "closed"]}[kind]
            for s in moves:
                extra = ["--duplicate-of", refs[0]] if s == "duplicate" else []
                self.ok("incident", "set", ref, "--status", s, *extra)
            if kind == 0 and i % 16 == 0:
                self.ok("incident", "ack", ref)
        # an incident outside the year, to test from/to
        self.add("Stats outside", "fraud:phishing", "low", "clear",
                 "--reported-at", "2022-12-31T23:59:59Z")
        data = [self.show(r) for r in refs]
        StatsTests.data = data
        return data

    def keys(self, inc, by):
        if by == "class":
            return [inc["class"]]
        if by == "month":
            return [inc["reported_at"][:7]]
        if by == "constituent":
            return [c["org"] for c in inc["constituents"]] or ["(none)"]
        if by == "sector":
            return sorted({c["sector"] for c in inc["constituents"]}) or ["(none)"]
        raise ValueError(by)

    def expected(self, by, incs):
        rows = {}
        counted = [i for i in incs if i["status"] not in ("rejected", "duplicate")]
        for inc in counted:
            for k in self.keys(inc, by):
                rows.setdefault(k, []).append(inc)

        def figures(lst):
            ack = [secs(i["reported_at"], i["acknowledged_at"]) for i in lst
                   if i["acknowledged_at"]]
            res = [secs(i["reported_at"], i["resolved_at"]) for i in lst if i["resolved_at"]]
            return {"incidents": len(lst), "acknowledged": len(ack),
                    "acknowledge_mean_s": mean(ack), "acknowledge_median_s": median(ack),
                    "resolved": len(res), "resolve_mean_s": mean(res),
                    "resolve_median_s": median(res)}

        out = []
        for k in sorted(rows):
            f = figures(rows[k])
            f["key"] = k
            out.append(f)
        return out, figures(counted)

    def assertFigures(self, got, want, what):
        for k, v in want.items():
            if k == "key":
                self.assertEqual(got["key"], v, what)
            elif v is None:
                self.assertIsNone(got.get(k), "%s %s" % (what, k))
            elif k.endswith("_s"):
                self.assertIsNotNone(got.get(k), "%s %s" % (what, k))
                self.assertAlmostEqual(float(got[k]), v, delta=1.0, msg="%s %s" % (what, k))
            else:
                self.assertEqual(got.get(k), v, "%s %s: %r" % (what, k, got))

    def check(self, by, incs, frm=None, to=None):
        args = ["stats", "--by", by, "--format", "json"]
        q = {"by": by}
        if frm:
            args += ["--from", frm, "--to", to]
            q.update({"from": frm, "to": to})
        got = json.loads(self.ok(*args))
        rows, total = self.expected(by, incs)
        self.assertEqual(got["by"], by)
        self.assertEqual([r["key"] for r in got["rows"]], [r["key"] for r in rows], got)
        for g, w in zip(got["rows"], rows):
            self.assertFigures(g, w, "%s row %s" % (by, w["key"]))
        self.assertFigures(got["total"], total, "%s total" % by)
        # the API answers the same
        r = self.admin.get("/api/v1/stats", query=q)
        self.assertEqual(r.status, 200, r)
        self.assertEqual([x["key"] for x in r.json["rows"]], [x["key"] for x in rows])
        for g, w in zip(r.json["rows"], rows):
            self.assertFigures(g, w, "API %s row %s" % (by, w["key"]))
        self.assertFigures(r.json["total"], total, "API %s total" % by)
        # and CSV: a header, a line per row, then total
        fmt = args.index("--format") + 1
        text = self.ok(*(args[:fmt] + ["csv"] + args[fmt + 1:]))
        table = list(csv.reader(io.StringIO(text)))
        header, body = table[0], table[1:]
        self.assertEqual(len(body), len(rows) + 1, text)
        self.assertEqual([line[0] for line in body], [r["key"] for r in rows] + ["total"])
        for line, g in zip(body, got["rows"] + [got["total"]]):
            for col, cell in zip(header, line):
                if col in ("incidents", "acknowledged", "resolved"):
                    self.assertEqual(int(cell), g[col], (col, line))
                elif col.endswith("_s"):
                    if g[col] is None:
                        self.assertIn(cell, ("", "null", "-"), (col, line))
                    else:
                        self.assertAlmostEqual(float(cell), float(g[col]), delta=1.0)
        r = self.admin.get("/api/v1/stats", query=dict(q, format="csv"))
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers.get("Content-Type", "").startswith("text/csv"), r.headers)
        self.assertEqual(r.raw.decode().replace("\r\n", "\n"), text.replace("\r\n", "\n"))

    def year(self, incs):
        return [i for i in incs if i["reported_at"].startswith("2023")]

    def test_stats_by_class(self):
        self.check("class", self.dataset() + [self.outside()])

    def test_stats_by_sector(self):
        self.check("sector", self.dataset() + [self.outside()])

    def test_stats_by_constituent(self):
        self.check("constituent", self.dataset() + [self.outside()])

    def test_stats_by_month(self):
        data = self.dataset()
        self.check("month", data + [self.outside()])
        # from/to: to is exclusive
        part = [i for i in data if "2023-03" <= i["reported_at"][:7] < "2023-05"]
        self.check("month", part, "2023-03-01", "2023-05-01")
        self.check("class", part, "2023-03-01", "2023-05-01")

    def test_stats_table_and_errors(self):
        self.dataset()
        out = self.ok("stats", "--by", "sector")
        for s in ("energy", "health", "banking", "(none)"):
            self.assertIn(s, out)
        rc, out, err = self.cli("stats", "--by", "colour")
        self.assertEqual(rc, 2, out + err)
        r = self.admin.get("/api/v1/stats", query={"by": "colour"})
        self.assertErr(r, 400, field="by")
        r = self.admin.get("/api/v1/stats", query={"by": "class", "from": "2023-99-01"})
        self.assertErr(r, 400, field="from")

    def outside(self):
        for i in self.all_ids():
            inc = self.get(i)
            if inc["title"] == "Stats outside":
                return inc
        self.fail("no outside incident")


# ---------------------------------------------------------------------------
# the audit trail

class AuditTests(IncidentCase):
    def test_every_change_is_audited(self):
        org = self.make_org("constituent")
        cid = add_collection(self.store, tlp_max="amber")
        ind = indicator(n=3)
        import_objects(self, self.store, cid, [ind])
        other = self.create()["id"]

        state = {"seq": self.audit()[-1]["seq"]}

        def audited(what, ref=None):
            entries = [e for e in self.audit() if e["seq"] > state["seq"]]
            self.assertTrue(entries, "no audit entry for %s" % what)
            self.assertTrue(ref is None or any(ref in json.dumps(e) for e in entries),
                            "no audit entry of %s names %s: %r" % (what, ref, entries))
            state["seq"] = entries[-1]["seq"]

        def not_audited(what):
            entries = [e for e in self.audit() if e["seq"] > state["seq"]]
            self.assertEqual(entries, [], "a refused %s was audited" % what)

        inc = self.create(constituents=[org])
        ref = inc["id"]
        audited("create", ref)
        self.patch(ref, {"title": "changed"})
        audited("patch", ref)
        self.patch(ref, {"status": "triaged"})
        audited("status", ref)
        r = self.admin.patch(API + "/" + ref, {"title": "stale"}, headers={"If-Match": '"1"'})
        self.assertEqual(r.status, 409)
        not_audited("stale patch")
        self.admin.post(API + "/" + ref + "/timeline", {"kind": "note", "body": "n"})
        audited("note", ref)
        r = self.admin.post(API + "/" + ref + "/tasks", {"title": "t"})
        audited("task add", ref)
        self.admin.patch(API + "/" + ref + "/tasks/%s" % r.json["id"], {"done": True})
        audited("task done", ref)
        self.admin.post(API + "/" + ref + "/evidence", b"ev", content_type="text/plain",
                        query={"name": "a.txt"})
        audited("evidence", ref)
        self.admin.post(API + "/" + ref + "/relations", {"relation": "related-to",
                                                         "incident": other})
        audited("relation", ref)
        self.admin.delete(API + "/" + ref + "/relations/related-to/" + other)
        audited("relation delete", ref)
        self.admin.post(API + "/" + ref + "/observables", {"type": "ipv4-addr",
                                                           "value": "192.0.2.5",
                                                           "role": "source"})
        audited("observable", ref)
        self.admin.post(API + "/" + ref + "/stix", {"id": ind["id"]})
        audited("stix link", ref)
        self.admin.post(API + "/" + ref + "/share", {"collection": cid})
        audited("share")
        ref2 = self.create()["id"]
        state["seq"] = self.audit()[-1]["seq"]
        self.admin.post(API + "/" + ref2 + "/acknowledge")
        audited("acknowledge", ref2)
        ref3 = self.add()
        audited("cli add", ref3)
        self.ok("incident", "ack", ref3)
        audited("cli ack", ref3)
        self.ok("incident", "set", ref3, "--status", "triaged")
        audited("cli set", ref3)
        self.ok("incident", "note", ref3, "from the shell")
        audited("cli note", ref3)
        r = self.admin.post(API, {"title": "x" * 201, "class": "fraud:phishing",
                                  "severity": "low", "tlp": "clear"})
        self.assertEqual(r.status, 400)
        not_audited("refused create")
        if iodef_check.have_data():
            out = self.ok("incident", "import", os.path.join(iodef_check.IODEF_DIR,
                                                             "rfc7970-sec7.1-minimal.xml"))
            audited("import", out.split()[0])
        self.ok("sla", "set", "low", "--acknowledge", "1440", "--resolve", "43200")
        entries = [e for e in self.audit() if e["seq"] > state["seq"]]
        self.assertTrue(entries, "sla set not audited")
        self.assertAuditGood()
        rc, out, err = self.cli("check")
        self.assertEqual(rc, 0, out + err)


# ---------------------------------------------------------------------------
# input limits

class InputTests(IncidentCase):
    def test_title(self):
        self.assertEqual(self.create(title="x" * 200)["title"], "x" * 200)
        self.assertEqual(self.create(title="\u00e9" * 100)["title"], "\u00e9" * 100)
        n = len(self.all_ids())
        for bad in ("x" * 201, "\u00e9" * 100 + "x", "", "two\nlines", 5, None):
            with self.subTest(title=repr(bad)[:30]):
                self.assertErr(self.create(expect=400, title=bad), 400, field="title")
        r = self.admin.post(API, {"class": "fraud:phishing", "severity": "low", "tlp": "clear"})
        self.assertErr(r, 400, field="title")
        rc, out, err = self.cli("incident", "add", "--title", "x" * 201, "--class",
                                "fraud:phishing", "--severity", "low", "--tlp", "clear")
        self.assertNotEqual(rc, 0)
        self.assertIn("title", err)
        self.assertEqual(len(self.all_ids()), n)
        ref = self.create()["id"]
        self.assertErr(self.patch(ref, {"title": "x" * 201}, expect=None), 400, field="title")

    def test_fields(self):
        n = len(self.all_ids())
        cases = [({"colour": "red"}, "colour", None),
                 ({"class": "nonsense"}, "class", ["fraud", "availability", "malicious-code"]),
                 ({"class": "fraud:nonsense"}, "class", ["phishing", "pharming"]),
                 ({"class": "fraud"}, "class", None),
                 ({"severity": "extreme"}, "severity", None),
                 ({"tlp": "purple"}, "tlp", None), ({"tlp": "TLP:WHITE+STRICT"}, "tlp", None),
                 ({"impact": "catastrophic"}, "impact", None),
                 ({"reported_at": ts(utcnow() + datetime.timedelta(hours=1))}, "reported_at",
                  None),
                 ({"reported_at": "last tuesday"}, "reported_at", None),
                 ({"description": "x" * (64 * 1024 + 1)}, "description", None),
                 ({"reporter": {"kind": "alien", "name": "x"}}, "reporter", None),
                 ({"constituents": "not a list"}, "constituents", None),
                 ({"observables": [{"type": "mac", "value": "1.2.3.4", "role": "source"}]},
                  "observables", None)]
        for body, field, words in cases:
            with self.subTest(body=str(body)[:60]):
                r = self.create(expect=400, **body)
                e = self.assertErr(r, 400)
                f = e["field"] or ""
                self.assertTrue(f == field or f.startswith(field + ".")
                                or f.startswith(field + "[")
                                or (field == "observables" and f == "type"), r)
                for w in words or []:
                    self.assertIn(w, e["message"])
        for missing in ("class", "severity", "tlp"):
            with self.subTest(missing=missing):
                body = {"title": "t", "class": "fraud:phishing", "severity": "low",
                        "tlp": "clear"}
                del body[missing]
                self.assertErr(self.admin.post(API, body), 400, field=missing)
        self.assertEqual(len(self.all_ids()), n)
        self.assertEqual(self.create(description="x" * (64 * 1024))["description"],
                         "x" * (64 * 1024))

    def test_tlp_spellings(self):
        for given, canon in (("clear", "TLP:CLEAR"), ("white", "TLP:CLEAR"),
                             ("TLP:WHITE", "TLP:CLEAR"), ("tlp:green", "TLP:GREEN"),
                             ("Amber", "TLP:AMBER"), ("amber+strict", "TLP:AMBER+STRICT"),
                             ("TLP:Amber+Strict", "TLP:AMBER+STRICT"), ("RED", "TLP:RED")):
            with self.subTest(tlp=given):
                self.assertEqual(self.create(tlp=given)["tlp"], canon)
        ref = self.add(None, "fraud:phishing", "low", "White")
        self.assertEqual(self.show(ref)["tlp"], "TLP:CLEAR")
        rc, out, err = self.cli("incident", "add", "--title", "t", "--class", "fraud:phishing",
                                "--severity", "low", "--tlp", "purple")
        self.assertNotEqual(rc, 0, out)
        self.assertIn("tlp", err.lower())
        rc, out, err = self.cli("incident", "add", "--title", "t", "--class", "fraud:nonsense",
                                "--severity", "low", "--tlp", "red")
        self.assertNotEqual(rc, 0, out)
        self.assertIn("phishing", err)

    def test_reporter_and_people(self):
        con = self.make_org("constituent")
        par = self.make_org("partner")
        for rep in ({"kind": "constituent", "name": con}, {"kind": "partner", "name": par},
                    {"kind": "feed", "name": "shadowserver"},
                    {"kind": "person", "name": "someone@example.org"}):
            with self.subTest(reporter=rep):
                self.assertEqual(self.create(reporter=rep)["reporter"], rep)
        for rep in ({"kind": "constituent", "name": par}, {"kind": "partner", "name": con},
                    {"kind": "constituent", "name": uniq("nobody ")}):
            with self.subTest(bad=rep):
                r = self.create(expect=400, reporter=rep)
                self.assertIn(r.status, (400, 404), r)
        r = self.create(expect=400, constituents=[par])
        self.assertIn(r.status, (400, 404), r)
        self.assertEqual(r.json["error"]["field"], "constituents", r)
        r = self.create(expect=400, constituents=[uniq("No such ")])
        self.assertIn(r.status, (400, 404), r)
        cuser = self.make_user("constituent", org=con)
        r = self.create(expect=400, assignee=cuser)
        self.assertErr(r, 400, field="assignee")
        r = self.create(expect=400, assignee=uniq("ghost"))
        self.assertIn(r.status, (400, 404), r)
        ref = self.add(None, "fraud:phishing", "low", "green", "--reporter",
                       "constituent:" + con, "--constituent", con)
        inc = self.show(ref)
        self.assertEqual(inc["reporter"], {"kind": "constituent", "name": con})
        self.assertEqual([c["org"] for c in inc["constituents"]], [con])

    def test_bodies(self):
        r = self.admin.post(API, b"{not json")
        self.assertErr(r, 400)
        r = self.admin.post(API, b'{"title": "a", "title": "b", "class": "fraud:phishing",'
                                 b' "severity": "low", "tlp": "clear"}')
        self.assertErr(r, 400)
        r = self.admin.post(API, {"title": "t", "class": "fraud:phishing", "severity": "low",
                                  "tlp": "clear"}, content_type="text/plain")
        self.assertEqual(r.status, 415, r)
        ref = self.create()["id"]
        self.assertErr(self.patch(ref, {"status": "triaged", "nope": 1}, expect=None), 400,
                       field="nope")
        self.assertErr(self.patch(ref, {"id": "CIRT-2020-000001"}, expect=None), 400)
        self.assertErr(self.admin.get(API + "/NOT-AN-ID"), 404)
        self.assertErr(self.admin.get(API + "/" + ref + "/nothing-here"), 404)
