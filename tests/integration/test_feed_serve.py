# SPDX-License-Identifier: Apache-2.0
#
# Feeds and digests inside `cirtkit serve`, and the budgets of issue 5 at
# their edges:
#
#  - the scheduler of `cirtkit serve` (CIRTKIT_SCHEDULE seconds) runs a
#    feed that is due without anyone asking, moves its next run on, and
#    then sends the digest that is due to a real SMTP server (aiosmtpd);
#  - notify_max: a digest holds at most that many events, the rest go in
#    the next one, and no event is sent twice;
#  - a feed's options, 1024 bytes accepted and 1025 refused; a feed name of
#    64 bytes accepted and 65 refused; a deduplication window of 366 days
#    accepted and one day more refused.
import json
import os
import shutil
import tempfile
import time

from harness import CirtTestCase, uniq
from mailsink import MailSink, skip_reason

LINE = '"2026-11-20 10:00:%02d",192.0.2.%d,tcp,22,,ssh,64512,XX\n'
HEADER = '"timestamp","ip","protocol","port","hostname","tag","asn","geo"\n'


def report(path, n, first=1):
    with open(path, "w") as f:
        f.write(HEADER)
        for i in range(first, first + n):
            f.write(LINE % (i % 60, i))


class Scheduler(CirtTestCase):
    """A server whose scheduler looks every second."""

    @classmethod
    def setUpClass(cls):
        why = skip_reason()
        if why:
            raise __import__("unittest").SkipTest(why)
        cls.tmp = tempfile.mkdtemp(prefix="cirt-sched-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.sink = MailSink(os.path.join(cls.tmp, "maildir"))
        cls.sink.start()
        cls.addClassCleanup(cls.sink.stop)
        cls.SERVER_ENV = {"CIRTKIT_SMTP": cls.sink.url(),
                          "CIRTKIT_SCHEDULE": "1",
                          "CIRTKIT_TEAM_DOMAIN": "cert.example"}
        super().setUpClass()

    def test_scheduled_feed_and_digest(self):
        org = uniq("Sched ")
        rc, out, err = self.store.cli(
            "constituent", "add", org, "--cidr", "192.0.2.0/24",
            "--email", "soc@sched.example", "--frequency", "immediate")
        self.assertEqual(rc, 0, err)
        path = os.path.join(self.tmp, "2026-11-20-scan_ssh-xx.csv")
        report(path, 5)
        name = uniq("sched-")
        rc, out, err = self.store.cli("feed", "add", name, "--parser",
                                      "shadowserver", "--file", path,
                                      "--every", "1h")
        self.assertEqual(rc, 0, err)
        # Nobody runs it: the server's scheduler does, then mails.
        deadline = time.time() + 30
        msgs = []
        while time.time() < deadline:
            msgs = [m for m in self.sink.messages()
                    if "soc@sched.example" in (m.get("To") or "")]
            if msgs:
                break
            time.sleep(0.3)
        self.assertEqual(len(msgs), 1, "the scheduler sent no digest")
        rc, out, err = self.store.cli("event", "list", "--constituent", org,
                                      "--format", "json")
        self.assertEqual(len(json.loads(out)), 5)
        rc, out, err = self.store.cli("feed", "list", "--format", "json")
        feed = [f for f in json.loads(out) if f["name"] == name][0]
        self.assertEqual(feed["last_run"]["status"], "ok")
        # Its next run is an hour on: later looks do not run it again.
        time.sleep(2.5)
        rows = self.store.sql("SELECT COUNT(*) FROM feed_runs WHERE "
                              "feed = '%s'" % name)
        self.assertEqual(rows[0][0], "1")
        self.assertIn("feed %s: ok" % name, self.server.stderr())


class Budgets(CirtTestCase):
    SERVER = False

    def test_notify_max(self):
        why = skip_reason()
        if why:
            self.skipTest(why)
        tmp = tempfile.mkdtemp(prefix="cirt-nmax-")
        self.addCleanup(shutil.rmtree, tmp, True)
        sink = MailSink(os.path.join(tmp, "maildir"))
        sink.start()
        self.addCleanup(sink.stop)
        env = {"CIRTKIT_SMTP": sink.url(), "CIRTKIT_NOTIFY_MAX": "3"}
        org = uniq("Max ")
        rc, out, err = self.store.cli(
            "constituent", "add", org, "--cidr", "192.0.2.0/24",
            "--email", "max@max.example", "--frequency", "immediate")
        self.assertEqual(rc, 0, err)
        path = os.path.join(tmp, "2026-11-20-scan_ssh-xx.csv")
        report(path, 4)
        rc, out, err = self.store.cli("feed", "ingest", "--parser",
                                      "shadowserver", path)
        self.assertEqual(rc, 0, err)
        counts = []
        for _ in range(3):
            rc, out, err = self.store.cli("notify", "run", "--format",
                                          "json", env=env)
            self.assertEqual(rc, 0, err)
            counts.append(json.loads(out)["events"])
        self.assertEqual(counts, [3, 1, 0])
        rc, out, err = self.store.cli("notify", "log", "--format", "json",
                                      "--constituent", org)
        self.assertEqual(sorted(d["events"] for d in json.loads(out)),
                         [1, 3])
        self.assertEqual(len(sink.messages()), 2)

    def test_feed_limits(self):
        def add(name, **kw):
            args = ["feed", "add", name, "--parser", "openphish",
                    "--file", "/dev/null"]
            for k, v in kw.items():
                args += ["--" + k, v]
            return self.store.cli(*args)

        # options are kept as "k=v": 1024 bytes in all.
        rc, out, err = add(uniq("o"), option="k=" + "v" * 1022)
        self.assertEqual(rc, 0, err)
        rc, out, err = add(uniq("o"), option="k=" + "v" * 1023)
        self.assertEqual(rc, 1)
        self.assertIn("options", err)
        rc, out, err = add("n" * 64)
        self.assertEqual(rc, 0, err)
        rc, out, err = add("n" * 65)
        self.assertEqual(rc, 1)
        rc, out, err = add(uniq("d"), dedup="366d")
        self.assertEqual(rc, 0, err)
        rc, out, err = add(uniq("d"), dedup="367d")
        self.assertEqual(rc, 1)
        self.assertIn("dedup", err)
        rc, out, err = add(uniq("e"), every="59s")
        self.assertEqual(rc, 1)
        self.assertIn("every", err)
