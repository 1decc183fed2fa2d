# SPDX-License-Identifier: Apache-2.0
#
# Notifications end to end (issue 5): events routed to constituents are
# sent to their contacts as digests over real SMTP (aiosmtpd on loopback
# delivering into a Maildir, tests/integration/mailsink.py), and read back
# from the Maildir:
#
#  - one message per contact, with To, From, Subject, a Message-ID equal to
#    the one `notify log` shows, a text/plain part in the contact's
#    language and the attachment in its format (events.csv, xarf.json,
#    iodef.xml validated offline against iodef-2.0.xsd); exactly the events
#    the constituent owns, none above the contact's TLP ceiling, none of
#    another constituent's, no unrouted one; --dry-run sends nothing;
#  - nothing twice: a second run sends nothing; new events make a new
#    digest with only them for an immediate contact, and for a daily one
#    once its last digest is a day old; "never" gets nothing;
#  - SMTP down: the digest is recorded as failed (exit 1), not retried
#    before its next try, then sent with the same Message-ID and the same
#    events once the server is back; new events go into a new digest;
#  - the API: POST /api/v1/notifications/run (dry_run, roles) and
#    GET /api/v1/notifications.
import csv
import io
import json
import os
import re
import shutil
import tempfile
import unittest
import xml.etree.ElementTree as ET

import iodef_check
import mailsink
from harness import CirtTestCase, uniq
from mailsink import MailSink, free_port
from test_feeds import FeedCase, ntp_file, write

TEAM_DOMAIN = "cert.example"
CSV_HEADER = "name,sector,country,asns,cidrs,domains,email,lang,role,frequency,format,tlp\n"
IODEF_NS = "{urn:ietf:params:xml:ns:iodef-2.0}"
FRENCH = ("Madame", "Cordialement", "événement", "évènement", "Bonjour")


def need_smtp():
    reason = mailsink.skip_reason()
    if reason:
        raise unittest.SkipTest(reason)


def parts(msg):
    """(text/plain body, attachment file name, attachment bytes)."""
    text, name, data = None, None, None
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.get_filename():
            name, data = part.get_filename(), part.get_payload(decode=True)
        elif part.get_content_type() == "text/plain" and text is None:
            text = part.get_content()
    return text, name, data


XARF_SCHEMAS = os.path.join(iodef_check.REPO, "..", "shared", "data", "abuse-reporting",
                            "xarf", "schemas", "v4")
JSON_TYPES = {"string": str, "integer": int, "number": (int, float), "array": list,
              "object": dict, "boolean": bool}
UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
DATE_TIME = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"


def xarf_parts(path):
    """The object schemas a type schema is made of, following $ref (the
    core schema last)."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    out = []
    for part in doc.get("allOf", [doc]):
        if "$ref" in part:
            out += xarf_parts(os.path.normpath(os.path.join(os.path.dirname(path),
                                                            part["$ref"])))
        else:
            out.append(part)
    return out


def xarf_problems(report):
    """What makes report break the X-ARF v4 schemas of
    ../shared/data/abuse-reporting/xarf/schemas/v4: required members,
    const, enum and JSON types (if/then and anyOf are not checked).
    None when the schemas are absent."""
    if not os.path.isdir(XARF_SCHEMAS):
        return None
    cat, typ = report.get("category"), report.get("type")
    path = None
    for name in ("%s-%s" % (cat, typ), "%s-%s" % (cat, str(typ).replace("_", "-"))):
        if os.path.isfile(os.path.join(XARF_SCHEMAS, "types", name + ".json")):
            path = os.path.join(XARF_SCHEMAS, "types", name + ".json")
    if path is None:
        return ["no schema for %s/%s" % (cat, typ)]
    problems = []
    with open(os.path.join(XARF_SCHEMAS, "xarf-core.json"), encoding="utf-8") as f:
        core = json.load(f)
    for who in ("reporter", "sender"):
        for k in core["$defs"]["contact_info"].get("required", []):
            if not isinstance(report.get(who), dict) or k not in report[who]:
                problems.append("%s.%s missing" % (who, k))
    if not re.match(UUID, str(report.get("report_id", ""))):
        problems.append("report_id is not a UUID")
    if not re.match(DATE_TIME, str(report.get("timestamp", ""))):
        problems.append("timestamp is not a date-time")
    for part in xarf_parts(path):
        for k in part.get("required", []):
            if k not in report:
                problems.append("%s missing" % k)
        for k, rule in part.get("properties", {}).items():
            if k not in report:
                continue
            v = report[k]
            if "const" in rule and v != rule["const"]:
                problems.append("%s is %r, not %r" % (k, v, rule["const"]))
            if "enum" in rule and v not in rule["enum"]:
                problems.append("%s %r is not one of %r" % (k, v, rule["enum"]))
            t = JSON_TYPES.get(rule.get("type"))
            if t and (not isinstance(v, t) or (t is int and isinstance(v, bool))):
                problems.append("%s is not of type %s" % (k, rule["type"]))
    return problems


def csv_rows(data):
    text = data.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


class NotifyCase(FeedCase):
    """A store, an SMTP sink, and `notify` run against both."""

    @classmethod
    def setUpClass(cls):
        need_smtp()
        super().setUpClass()

    def start_sink(self, port=None):
        sink = MailSink(self.store.path(uniq("maildir")), port=port)
        sink.start()
        self.addCleanup(sink.stop)
        return sink

    def env(self, sink_or_url):
        url = sink_or_url if isinstance(sink_or_url, str) else sink_or_url.url()
        return {"CIRTKIT_SMTP": url, "CIRTKIT_TEAM_DOMAIN": TEAM_DOMAIN}

    def notify(self, sink, *args, rc=0):
        got, out, err = self.store.cli("notify", "run", "--format", "json", *args,
                                       env=self.env(sink), timeout=120)
        self.assertEqual(got, rc, "notify run: exit %d\n%s%s" % (got, out, err))
        return json.loads(out)

    def log(self):
        return self.ok_json("notify", "log")

    def import_constituents(self, text):
        path = write(self.store.path(uniq("const") + ".csv"), CSV_HEADER + text)
        self.ok("constituent", "import", path)

    def by_rcpt(self, msgs):
        out = {}
        for m in msgs:
            self.assertNotIn(str(m["To"]), out, "two messages to %s" % m["To"])
            out[str(m["To"])] = m
        return out


class Digests(NotifyCase):

    X, Y = "Notify X", "Notify Y"

    def test_digests(self):
        self.import_constituents(
            "%s,,FR,,10.10.0.0/16,,csv@x.example,en,abuse,immediate,csv,amber\n" % self.X +
            "%s,,,,,,xarf@x.example,en,security,daily,xarf,red\n" % self.X +
            "%s,,,,,,never@x.example,en,management,never,csv,red\n" % self.X +
            "%s,,,,10.20.0.0/16,,fr@y.example,fr,abuse,immediate,iodef,amber\n" % self.Y)
        d = self.store.path("n")
        r = self.ingest("shadowserver", ntp_file(
            os.path.join(d, "1", "scan_ntp.csv"),
            ["10.10.0.1", "10.10.0.2", "10.10.0.3", "10.20.0.1", "10.20.0.2", "10.99.0.1"]),
            feed="n-amber")
        self.assertReport(r, stored=6, unrouted=1)
        r = self.ingest("shadowserver", ntp_file(os.path.join(d, "2", "scan_ntp.csv"),
                                                 ["10.10.0.9"]),
                        feed="n-red", args=["--tlp", "red"])
        self.assertReport(r, stored=1)
        r = self.ingest("blocklist", write(os.path.join(d, "bl", "ssh.txt"), "10.10.0.20\n"),
                        feed="n-ssh")
        self.assertReport(r, stored=1)
        r = self.ingest("csv", write(os.path.join(d, "ph", "phish.csv"),
                                     "when,ip,url\n2024-05-01 00:00:00,10.10.0.21,"
                                     "http://login.bank-x.example/verify?a=1\n"),
                        feed="n-phish", args=["--class", "fraud:phishing", "--option",
                                              "map=when:time.source,ip:source.ip,"
                                              "url:source.url"])
        self.assertReport(r, stored=1)
        x_amber = ["10.10.0.1", "10.10.0.2", "10.10.0.20", "10.10.0.21", "10.10.0.3"]
        sink = self.start_sink()

        # --dry-run says what is due and sends nothing
        rep = self.notify(sink, "--dry-run")
        self.assertEqual(rep["due"], 3, rep)
        self.assertEqual(rep["sent"], 0, rep)
        self.assertEqual(sink.messages(), [])
        self.assertEqual(self.log(), [])

        rep = self.notify(sink)
        self.assertEqual((rep["due"], rep["sent"], rep["failed"]), (3, 3, 0), rep)
        msgs = self.by_rcpt(sink.messages())
        self.assertEqual(sorted(msgs), ["csv@x.example", "fr@y.example", "xarf@x.example"])
        log = {e["recipient"]: e for e in self.log()}
        self.assertEqual(sorted(log), sorted(msgs))
        for rcpt, m in msgs.items():
            entry = log[rcpt]
            self.assertEqual(entry["status"], "sent", entry)
            self.assertEqual(m["Message-ID"], entry["message_id"])
            self.assertRegex(entry["message_id"], r"^<[^<>@\s]+@[^<>@\s]+>$")
            self.assertEqual(m.get_content_type(), "multipart/mixed")
            self.assertIn("cirt@" + TEAM_DOMAIN, str(m["From"]))
            self.assertTrue(str(m["Subject"]).strip())
            self.assertNotIn("\n", str(m["Subject"]))
            self.assertTrue(m["Date"])
        self.assertEqual(log["csv@x.example"]["constituent"], self.X)
        self.assertEqual(log["fr@y.example"]["constituent"], self.Y)
        self.assertEqual((log["csv@x.example"]["events"], log["xarf@x.example"]["events"],
                          log["fr@y.example"]["events"]), (5, 6, 2))

        # CSV: X's events up to AMBER, nothing else
        text, name, data = parts(msgs["csv@x.example"])
        self.assertEqual(name, "events.csv")
        self.assertIn("TLP:AMBER", str(msgs["csv@x.example"]["Subject"]))
        self.assertIn("events.csv", text)
        rows = csv_rows(data)
        self.assertEqual(sorted(r["source.ip"] for r in rows), x_amber)
        for col in ("time.source", "source.ip", "source.port", "source.url",
                    "classification.taxonomy", "classification.type", "feed.name",
                    "tlp", "constituent"):
            self.assertIn(col, rows[0], col)
        self.assertEqual(list(rows[0])[-1], "extra")
        for r in rows:
            self.assertEqual(r["tlp"], "amber", r)
            self.assertEqual(r["constituent"], self.X, r)
        by_ip = {r["source.ip"]: r for r in rows}
        self.assertEqual((by_ip["10.10.0.1"]["classification.type"],
                          by_ip["10.10.0.1"]["feed.name"], by_ip["10.10.0.1"]["source.port"]),
                         ("ddos-amplifier", "n-amber", "123"))
        self.assertEqual(by_ip["10.10.0.20"]["classification.type"], "brute-force")
        self.assertEqual(by_ip["10.10.0.21"]["source.url"],
                         "http://login.bank-x.example/verify?a=1")
        self.assertEqual(json.loads(by_ip["10.10.0.1"]["extra"])["amplification"], "27.00")
        self.assertTrue(data.endswith(b"\r\n"))

        # X-ARF: the RED event too (the contact's ceiling is RED)
        m = msgs["xarf@x.example"]
        text, name, data = parts(m)
        self.assertEqual(name, "xarf.json")
        self.assertIn("TLP:RED", str(m["Subject"]))
        reports = json.loads(data)
        self.assertIsInstance(reports, list)
        self.assertEqual(sorted(x["source_identifier"] for x in reports),
                         sorted(x_amber + ["10.10.0.9"]))
        kinds = {x["source_identifier"]: (x["category"], x["type"]) for x in reports}
        self.assertEqual(kinds["10.10.0.1"], ("vulnerability", "open_service"))
        self.assertEqual(kinds["10.10.0.20"], ("connection", "login_attack"))
        self.assertEqual(kinds["10.10.0.21"], ("content", "phishing"))
        for x in reports:
            with self.subTest(xarf="%s/%s" % (x["category"], x["type"])):
                self.assertEqual(xarf_problems(x) or [], [], json.dumps(x))
            self.assertTrue(x["xarf_version"].startswith("4."), x)
            self.assertTrue(x["report_id"], x)
            self.assertIn("category", x)
            self.assertIn("type", x)
            self.assertEqual(x["reporter"]["domain"], TEAM_DOMAIN, x)
        self.assertEqual(len({x["report_id"] for x in reports}), 6)

        # IODEF, in French
        m = msgs["fr@y.example"]
        text, name, data = parts(m)
        self.assertEqual(name, "iodef.xml")
        self.assertTrue(any(w in text for w in FRENCH), text)
        root = ET.fromstring(data)
        self.assertEqual(root.tag, IODEF_NS + "IODEF-Document")
        self.assertEqual(len(root.findall(IODEF_NS + "Incident")), 2)
        self.assertIn(b"10.20.0.1", data)
        self.assertIn(b"10.20.0.2", data)
        for ip in (b"10.10.0.", b"10.99.0.1"):
            self.assertNotIn(ip, data)
        reason = iodef_check.skip_reason()
        if reason is None:
            ok, out = iodef_check.validate_bytes(data, self.store.tmp, "digest.xml")
            self.assertTrue(ok, out)
        else:
            print("# iodef.xml not validated: %s" % reason)

        # a second run sends nothing
        rep = self.notify(sink)
        self.assertEqual((rep["due"], rep["sent"]), (0, 0), rep)
        self.assertEqual(len(sink.messages()), 3)

        # new events: a digest of them alone to the immediate contacts
        r = self.ingest("shadowserver", ntp_file(os.path.join(d, "3", "scan_ntp.csv"),
                                                 ["10.10.0.4", "10.20.0.3", "10.99.0.2"]),
                        feed="n-amber-2")
        self.assertReport(r, stored=3)
        rep = self.notify(sink)
        self.assertEqual(rep["sent"], 2, rep)
        new = self.by_rcpt(sink.messages()[3:])
        self.assertEqual(sorted(new), ["csv@x.example", "fr@y.example"])
        rows = csv_rows(parts(new["csv@x.example"])[2])
        self.assertEqual([r["source.ip"] for r in rows], ["10.10.0.4"])
        data = parts(new["fr@y.example"])[2]
        self.assertEqual(len(ET.fromstring(data).findall(IODEF_NS + "Incident")), 1)
        self.assertIn(b"10.20.0.3", data)
        self.assertNotEqual(new["csv@x.example"]["Message-ID"],
                            msgs["csv@x.example"]["Message-ID"])
        # the daily contact once its last digest is a day old
        self.assertEqual(self.notify(sink)["sent"], 0)
        self.store.sql("UPDATE notifications SET created_at = created_at - 90000000000")
        rep = self.notify(sink)
        self.assertEqual(rep["sent"], 1, rep)
        last = sink.messages()[5:]
        self.assertEqual([str(m["To"]) for m in last], ["xarf@x.example"])
        reports = json.loads(parts(last[0])[2])
        self.assertEqual([x["source_identifier"] for x in reports], ["10.10.0.4"])
        self.assertEqual(self.notify(sink)["sent"], 0)
        self.assertEqual(len(sink.messages()), 6)
        self.assertNotIn("never@x.example", [str(m["To"]) for m in sink.messages()])
        self.assertEqual(len(self.log()), 6)
        self.assertEqual([e["recipient"] for e in
                          self.ok_json("notify", "log", "--constituent", self.Y)],
                         ["fr@y.example", "fr@y.example"])


class Retry(NotifyCase):

    def test_smtp_down(self):
        z = uniq("Notify Z ")
        self.add_constituent(z, "--cidr", "10.30.0.0/16", "--email", "z@z.example",
                             "--frequency", "immediate", "--attachment", "csv")
        d = self.store.path("r")
        r = self.ingest("shadowserver", ntp_file(os.path.join(d, "1", "scan_ntp.csv"),
                                                 ["10.30.0.1", "10.30.0.2"]), feed="r1")
        self.assertReport(r, stored=2)
        port = free_port()
        down = "smtp://127.0.0.1:%d" % port
        rep = self.notify(down, rc=1)
        self.assertEqual((rep["sent"], rep["failed"]), (0, 1), rep)
        log = self.log()
        self.assertEqual(len(log), 1, log)
        self.assertEqual((log[0]["status"], log[0]["attempts"]), ("failed", 1), log)
        self.assertTrue(log[0]["error"], log)
        mid = log[0]["message_id"]
        # new events meanwhile
        r = self.ingest("shadowserver", ntp_file(os.path.join(d, "2", "scan_ntp.csv"),
                                                 ["10.30.0.3"]), feed="r2")
        self.assertReport(r, stored=1)
        # the server is back, but the next try is not yet due
        sink = self.start_sink(port=port)
        self.notify(sink)
        sent = [m for m in sink.messages() if m["Message-ID"] == mid]
        self.assertEqual(sent, [], "retried before its next try")
        self.assertEqual([e["attempts"] for e in self.log() if e["message_id"] == mid], [1])
        # the next try is due: the same message, with the same events
        self.store.sql("UPDATE notifications SET next_try = 0")
        rep = self.notify(sink)
        self.assertEqual(rep["failed"], 0, rep)
        msgs = sink.messages()
        self.assertEqual(len(msgs), 2, [m["Message-ID"] for m in msgs])
        retried = [m for m in msgs if m["Message-ID"] == mid]
        self.assertEqual(len(retried), 1)
        rows = csv_rows(parts(retried[0])[2])
        self.assertEqual(sorted(r["source.ip"] for r in rows), ["10.30.0.1", "10.30.0.2"])
        other = [m for m in msgs if m["Message-ID"] != mid][0]
        self.assertEqual([r["source.ip"] for r in csv_rows(parts(other)[2])], ["10.30.0.3"])
        log = {e["message_id"]: e for e in self.log()}
        self.assertEqual(len(log), 2)
        self.assertEqual((log[mid]["status"], log[mid]["attempts"]), ("sent", 2))
        self.assertTrue(log[mid]["sent_at"])
        # nothing twice
        self.store.sql("UPDATE notifications SET next_try = 0")
        rep = self.notify(sink)
        self.assertEqual((rep["due"], rep["sent"]), (0, 0), rep)
        self.assertEqual(len(sink.messages()), 2)


class NotifyApi(CirtTestCase):
    """POST /api/v1/notifications/run and GET /api/v1/notifications."""

    @classmethod
    def setUpClass(cls):
        need_smtp()
        cls.sink_dir = tempfile.mkdtemp(prefix="cirt-it-mail-")
        cls.sink = MailSink(os.path.join(cls.sink_dir, "maildir"))
        cls.sink.start()
        cls.addClassCleanup(cls.sink.stop)
        cls.addClassCleanup(shutil.rmtree, cls.sink_dir, True)
        cls.SERVER_ENV = {"CIRTKIT_SMTP": cls.sink.url(),
                          "CIRTKIT_TEAM_DOMAIN": TEAM_DOMAIN}
        super().setUpClass()
        cls.w = "Notify W"
        rc, out, err = cls.store.cli("constituent", "add", cls.w, "--cidr", "10.40.0.0/16",
                                     "--email", "w@w.example", "--frequency", "immediate")
        assert rc == 0, err
        path = ntp_file(cls.store.path("api", "scan_ntp.csv"), ["10.40.0.1", "10.40.0.2"])
        rc, out, err = cls.store.cli("feed", "ingest", "--parser", "shadowserver", path)
        assert rc == 0, err

    def test_run_and_list(self):
        run = "/api/v1/notifications/run"
        _, constituent = self.user_client("constituent", org=self.w)
        _, partner = self.user_client("partner")
        _, analyst = self.user_client("analyst")
        self.assertError(constituent.post(run, query={"dry_run": "true"}), 403, "forbidden")
        self.assertError(partner.post(run), 403, "forbidden")
        self.assertError(constituent.get("/api/v1/notifications"), 403, "forbidden")
        self.assertEqual(self.anon.post(run).status, 401)
        # a dry run as admin
        r = self.admin.post(run, query={"dry_run": "true"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["due"], r.json["sent"]), (1, 0), r.json)
        self.assertEqual(self.sink.messages(), [])
        self.assertEqual(self.admin.get("/api/v1/notifications").json["items"], [])
        self.assertEqual(self.admin.post(run, query={"bogus": "1"}).status, 400)
        # for real, as an analyst
        r = analyst.post(run)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["sent"], r.json["failed"], r.json["events"]), (1, 0, 2),
                         r.json)
        msgs = self.sink.messages()
        self.assertEqual([str(m["To"]) for m in msgs], ["w@w.example"])
        items = self.admin.get("/api/v1/notifications").json["items"]
        self.assertEqual(len(items), 1)
        n = items[0]
        self.assertEqual((n["recipient"], n["constituent"], n["status"], n["events"]),
                         ("w@w.example", self.w, "sent", 2))
        self.assertEqual(n["message_id"], msgs[0]["Message-ID"])
        self.assertEqual(r.json["digests"][0]["message_id"], n["message_id"])
        self.assertEqual(analyst.get("/api/v1/notifications").json["items"], items)
        got = self.admin.get("/api/v1/notifications", query={"constituent": self.w})
        self.assertEqual(got.json["items"], items)
        got = self.admin.get("/api/v1/notifications", query={"constituent": "Nobody"})
        self.assertEqual(got.json["items"], [])
        self.assertEqual(self.admin.get("/api/v1/notifications",
                                        query={"limit": "0"}).status, 400)
        # again: nothing
        r = self.admin.post(run)
        self.assertEqual((r.json["due"], r.json["sent"]), (0, 0), r.json)
        self.assertEqual(len(self.sink.messages()), 1)
