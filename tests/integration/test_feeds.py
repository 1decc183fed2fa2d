# SPDX-License-Identifier: Apache-2.0
#
# Feeds end to end (issue 5; ../shared/docs/standards.md 6.3, FEED-01 to
# FEED-08), through the command line and the HTTP API:
#
#  - every sample of ../shared/data/feeds and ../shared/data/abuse-reporting
#    (Shadowserver, Spamhaus DROP/ASN-DROP/CERT, URLhaus, Feodo Tracker CSV
#    and JSON, PhishTank, OpenPhish, blocklist.de, ARF, X-ARF v4 and v3)
#    ingests with the counts and RSIT classification read from the sample
#    here, and is routed to the constituent that owns it (longest prefix,
#    then AS number, then domain suffix), the rest counted and listed as
#    unrouted;
#  - a Shadowserver report type never seen (new columns) parses generically
#    and keeps its columns in extra;
#  - CRLF, quoted fields, comment and blank lines; times as UTC RFC 3339;
#    IPv6 and CIDR canonical; malformed records counted, not fatal;
#  - deduplication within the window: the same file twice stores nothing;
#  - crash safety: a 60,000-row ingest killed with SIGKILL and run again
#    ends with exactly the events of one clean run;
#  - the collectors: a URL with a conditional GET (feedserver.py), a
#    directory, a maildir and a TAXII 2.1 collection;
#  - the constituency registry (CLI and API, conflicts, CSV import, limits);
#  - rules that open incidents; who sees which events through the API; the
#    raw record kept for evidence.
#
# Samples are read from ../shared/data (the tests that need them skip when
# it is absent); files made here go into the store's temporary directory.
import base64
import datetime
import json
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import harness
from harness import CirtTestCase, Store, q, uniq
from mailsink import FeedServer

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))
RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")

NTP_HEADER = ('"timestamp","ip","protocol","port","hostname","tag","asn","geo",'
              '"region","city","version","clk_wander","clock","error",'
              '"frequency","jitter","leap","mintc","noise","offset","peer",'
              '"phase","poll","precision","processor","refid","reftime",'
              '"rootdelay","rootdispersion","stability","state","stratum",'
              '"system","tai","tc","naics","sic","sector","response_size",'
              '"amplification"')
NTP_TAIL = (',4,,0xe6ac3809.363028e7,,2.018,0.977,0,,0.984,0.557,18986,,10,'
            '-10,unknown,81.15.252.130,0xe6ac35ba.2d2e8f2b,17.685,61.254,'
            '0.027,4,4,UNIX,,,0,0,,324,27.00')


def need_data(test=None):
    if not os.path.isdir(os.path.join(DATA, "feeds")):
        msg = "no sample data: %s is absent" % DATA
        if test is None:
            raise unittest.SkipTest(msg)
        test.skipTest(msg)


def sample(rel):
    return os.path.join(DATA, rel)


def ntp_row(ip, when="2024-05-01 00:00:00", port=123, asn=64512):
    """One scan_ntp record as Shadowserver writes it."""
    return '"%s",%s,udp,%d,,ntpversion,%d,ZZ,Region,City%s' % (
        when, ip, port, asn, NTP_TAIL)


def write(path, text, newline="\n"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text if isinstance(text, bytes) else text.replace("\n", newline).encode()
    with open(path, "wb") as f:
        f.write(data)
    return path


def ntp_file(path, ips, when="2024-05-01 00:00:00"):
    return write(path, "\n".join([NTP_HEADER] + [ntp_row(ip, when) for ip in ips]) + "\n")


def rfc3339(s):
    """An RFC 3339 UTC time as a datetime."""
    assert RFC3339_UTC.match(s), s
    base, _, frac = s[:-1].partition(".")
    t = datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=datetime.timezone.utc)
    return t + datetime.timedelta(microseconds=int((frac + "000000")[:6]) if frac else 0)


def utc(*a):
    return datetime.datetime(*a, tzinfo=datetime.timezone.utc)


class FeedCase(CirtTestCase):
    """Command-line helpers on the class's store."""

    SERVER = False

    def ok(self, *args, env=None, timeout=120):
        rc, out, err = self.store.cli(*args, env=env, timeout=timeout)
        self.assertEqual(rc, 0, "cirtkit %s: exit %d\n%s%s" % (
            " ".join(args), rc, out, err))
        return out

    def ok_json(self, *args, **kw):
        out = self.ok(*args, "--format", "json", **kw)
        try:
            return json.loads(out)
        except ValueError:
            self.fail("cirtkit %s: not JSON: %r" % (" ".join(args), out[:2000]))

    def ingest(self, parser, *files, feed=None, args=(), rc=0):
        """`feed ingest` with --format json: the report."""
        cmd = ["feed", "ingest", "--parser", parser] + list(files)
        if feed:
            cmd += ["--feed", feed]
        cmd += list(args) + ["--format", "json"]
        got, out, err = self.store.cli(*cmd, timeout=300)
        self.assertEqual(got, rc, "cirtkit %s: exit %d\n%s%s" % (
            " ".join(cmd), got, out, err))
        try:
            return json.loads(out)
        except ValueError:
            self.fail("cirtkit %s: report is not JSON: %r %r" % (
                " ".join(cmd), out[:2000], err[-2000:]))

    def run_feed(self, name, rc=0):
        got, out, err = self.store.cli("feed", "run", name, "--format", "json",
                                       timeout=300)
        self.assertEqual(got, rc, "feed run %s: exit %d\n%s%s" % (name, got, out, err))
        return json.loads(out)

    def events(self, *filters):
        return self.ok_json("event", "list", "--limit", "100000", *filters)

    def add_constituent(self, name, *args):
        self.ok("constituent", "add", name, *args)
        return name

    def assertReport(self, r, **want):
        got = {k: r.get(k) for k in want}
        self.assertEqual(got, want, "report: %s" % json.dumps(r))

    def count_events(self, where="1 = 1"):
        return int(self.store.sql("SELECT COUNT(*) FROM events WHERE " + where)[0][0])


def cls_of(e):
    return "%s:%s" % (e.get("classification.taxonomy"), e.get("classification.type"))


def addr_of(e):
    for k in ("source.url", "source.ip", "source.network", "source.fqdn"):
        if k in e:
            return e[k]
    if "source.asn" in e:
        return e["source.asn"]
    return None


# ---- the samples, as read here ----

A, B, C, D, E = "Ministry A", "Agency B", "Hosting C", "Registry D", "Mailer E"
CONSTITUENTS = [
    (A, ["--cidr", "192.168.0.0/24", "--cidr", "1.4.0.0/16",
         "--cidr", "2a06:e480::/29"]),
    (B, ["--cidr", "192.168.0.2/32", "--cidr", "198.123.245.0/24"]),
    (C, ["--asn", "16276", "--asn", "AS64512", "--asn", "260"]),
    (D, ["--domain", "example.com"]),
    (E, ["--domain", "example.net"]),
]

SS = "feeds/shadowserver/"
AMP = "vulnerable:ddos-amplifier"
PUA = "vulnerable:potentially-unwanted-accessible"
# key (feed name), parser, sample, records, events, malformed, duplicates,
# classification of every event ("class:type", or "class" alone where the
# sample leaves the type to judgement), events left unrouted by CONSTITUENTS.
SAMPLES = [
    ("ss-blocklist", "shadowserver", SS + "blocklist.csv", 3, 3, 0, 0, "other:other", 0),
    ("ss-bruteforce", "shadowserver", SS + "event4_honeypot_brute_force.csv",
     6, 6, 0, 0, "intrusion-attempts:brute-force", 6),
    ("ss-mssinkhole", "shadowserver", SS + "event4_microsoft_sinkhole.csv",
     6, 6, 0, 0, "malicious-code:infected-system", 6),
    # the third row's dst_ip "148.81.111.11.12" is not an address
    ("ss-sinkhole", "shadowserver", SS + "event4_sinkhole.csv",
     3, 2, 1, 0, "malicious-code:infected-system", 2),
    ("ss-malwareurl", "shadowserver", SS + "malware_url.csv",
     3, 3, 0, 0, "malicious-code:malware-distribution", 3),
    ("ss-phishurl", "shadowserver", SS + "phish_url.csv", 3, 3, 0, 0, "fraud:phishing", 0),
    ("ss-httpvuln", "shadowserver", SS + "scan_http_vulnerable.csv",
     3, 3, 0, 0, "vulnerable:vulnerable-system", 0),
    ("ss-memcached", "shadowserver", SS + "scan_memcached.csv", 3, 3, 0, 0, AMP, 0),
    ("ss-ntp", "shadowserver", SS + "scan_ntp.csv", 3, 3, 0, 0, AMP, 0),
    ("ss-rdp", "shadowserver", SS + "scan_rdp.csv", 2, 2, 0, 0, PUA, 0),
    ("ss-smb", "shadowserver", SS + "scan_smb.csv", 3, 3, 0, 0, PUA, 0),
    ("ss-ssdp", "shadowserver", SS + "scan_ssdp.csv", 3, 3, 0, 0, AMP, 0),
    ("ss-ssh", "shadowserver", SS + "scan_ssh.csv", 3, 3, 0, 0, PUA, 3),
    # the same host and port 6 seconds apart: one event, one duplicate
    ("ss-telnet", "shadowserver", SS + "scan_telnet.csv", 2, 2, 0, 1, PUA, 0),
    ("drop", "spamhaus-drop", "feeds/spamhaus/drop.txt", 2, 2, 0, 0,
     "abusive-content:spam", 0),
    ("asndrop", "spamhaus-asndrop", "feeds/spamhaus/asndrop.txt", 2, 2, 0, 0,
     "abusive-content:spam", 1),
    ("cert", "spamhaus-cert", "feeds/spamhaus/cert.txt", 19, 19, 0, 0, None, 19),
    ("urlhaus", "urlhaus", "feeds/abusech/urlhaus-2019.csv", 2, 2, 0, 0,
     "malicious-code:malware-distribution", 2),
    ("feodo-csv", "feodo", "feeds/abusech/feodotracker-ipblocklist-2021.csv",
     2, 2, 0, 0, "malicious-code:c2-server", 2),
    ("feodo-json", "feodo", "feeds/abusech/feodotracker-ipblocklist-sample.json",
     4, 4, 0, 0, "malicious-code:c2-server", 1),
    ("phishtank", "phishtank", "feeds/phishtank/online-valid-sample.json",
     3, 3, 0, 0, "fraud:phishing", 3),
    ("openphish", "openphish", "feeds/openphish/feed.txt", 2, 2, 0, 0, "fraud:phishing", 2),
    ("blocklistde", "blocklist", "feeds/blocklistde/imap.txt", 6, 6, 0, 0,
     "intrusion-attempts:brute-force", 6),
    ("arf", "arf", "abuse-reporting/arf/rfc5965-appB2-style-abuse-report.eml",
     1, 1, 0, 0, "abusive-content:spam", 0),
]
XARF4 = {  # sample -> (classification, routed to)
    "connection-ddos": ("availability:ddos", None),
    "connection-infected-host": ("malicious-code:infected-system", None),
    "connection-login-attack": ("intrusion-attempts:brute-force", None),
    "connection-port-scan": ("information-gathering:scanner", None),
    "connection-reconnaissance": ("information-gathering:scanner", None),
    "connection-vulnerability-scan": ("information-gathering", None),
    "content-brand-infringement": ("fraud", D),
    "content-csam": ("abusive-content:violence", None),
    "content-csem": ("abusive-content:violence", None),
    "content-fraud": ("fraud", D),
    "content-malware": ("malicious-code:malware-distribution", None),
    "content-phishing": ("fraud:phishing", None),
    "content-remote-compromise": ("intrusions", D),
    "content-suspicious-registration": ("fraud", D),
    "copyright-copyright": ("fraud:copyright", None),
    "copyright-cyberlocker": ("fraud:copyright", D),
    "copyright-link-site": ("fraud:copyright", E),
    "copyright-p2p": ("fraud:copyright", None),
    "copyright-ugc-platform": ("fraud:copyright", D),
    "copyright-usenet": ("fraud:copyright", D),
    "infrastructure-botnet": ("malicious-code", None),
    "messaging-spam": ("abusive-content:spam", None),
    "reputation-blocklist": ("other", None),
    "reputation-threat-intelligence": ("other", None),
    "vulnerability-cve": ("vulnerable:vulnerable-system", None),
    "vulnerability-misconfiguration": ("vulnerable", None),
}
XARF3 = {
    "botnet_v3_sample": "malicious-code",
    "ddos_v3_sample": "availability:ddos",
    "phishing_v3_sample": "fraud:phishing",
    "spam_v3_sample": "abusive-content:spam",
}
for _name, (_cls, _owner) in sorted(XARF4.items()):
    SAMPLES.append(("x4-" + _name, "xarf",
                    "abuse-reporting/xarf/samples/v4/%s.json" % _name,
                    1, 1, 0, 0, _cls, 0 if _owner else 1))
for _name, _cls in sorted(XARF3.items()):
    SAMPLES.append(("x3-" + _name.split("_")[0], "xarf",
                    "abuse-reporting/xarf/samples/v3/%s.json" % _name,
                    1, 1, 0, 0, _cls, 1))


class SampleFeeds(FeedCase):
    """FEED-01, FEED-06, FEED-08: every sample, ingested once into one
    store with five constituents set up first."""

    @classmethod
    def setUpClass(cls):
        need_data()
        super().setUpClass()
        for name, args in CONSTITUENTS:
            rc, out, err = cls.store.cli("constituent", "add", name, *args)
            if rc != 0:
                raise AssertionError("constituent add %s: %s%s" % (name, out, err))
        cls.reports = {}
        cls.failures = []
        for key, parser, rel, *_ in SAMPLES:
            rc, out, err = cls.store.cli("feed", "ingest", "--parser", parser,
                                         "--feed", key, sample(rel),
                                         "--format", "json")
            try:
                cls.reports[key] = json.loads(out)
            except ValueError:
                cls.reports[key] = None
            if rc != 0:
                cls.failures.append("%s (%s): exit %d %s" % (key, rel, rc, err.strip()))
        rc, out, err = cls.store.cli("event", "list", "--limit", "100000",
                                     "--format", "json")
        cls.all = json.loads(out) if rc == 0 else []
        cls.by_feed = {}
        for e in cls.all:
            cls.by_feed.setdefault(e.get("feed.name"), []).append(e)

    def one(self, feed, **match):
        """The only event of feed whose fields have these values."""
        found = [e for e in self.by_feed.get(feed, [])
                 if all(e.get(k.replace("__", ".")) == v for k, v in match.items())]
        self.assertEqual(len(found), 1, "%s %r in %s" % (
            feed, match, json.dumps(self.by_feed.get(feed), indent=1)[:3000]))
        return found[0]

    def assertRouted(self, e, owner, route):
        self.assertEqual((e.get("constituent"), e.get("route")), (owner, route),
                         json.dumps(e))

    def test_counts_and_classification(self):
        """Each sample: its records, events, malformed, duplicates, stored,
        unrouted, and the classification of its events."""
        with self.subTest("exit status of every ingest"):
            self.assertEqual(self.failures, [])
        for key, parser, rel, records, events, bad, dups, want, unrouted in SAMPLES:
            with self.subTest(sample=rel):
                r = self.reports[key]
                self.assertIsNotNone(r, "no report for %s" % key)
                self.assertReport(r, status="ok", inputs=1, records=records,
                                  events=events, bad=bad, duplicates=dups,
                                  stored=events - dups, unrouted=unrouted)
                self.assertEqual(len(r["first_bad"]), bad, r)
                stored = self.by_feed.get(key, [])
                self.assertEqual(len(stored), events - dups)
                for e in stored:
                    self.assertEqual(e.get("tlp"), "amber", e)
                    self.assertIn(e.get("classification.taxonomy"),
                                  {"abusive-content", "malicious-code",
                                   "information-gathering", "intrusion-attempts",
                                   "intrusions", "availability", "fraud",
                                   "vulnerable", "other",
                                   "information-content-security"}, e)
                    self.assertTrue(e.get("classification.type"), e)
                    self.assertIsNotNone(addr_of(e), e)
                    if want is None:
                        continue
                    if ":" in want:
                        self.assertEqual(cls_of(e), want, e)
                    else:
                        self.assertEqual(e.get("classification.taxonomy"), want, e)
        self.assertEqual(len(self.all), sum(s[4] - s[6] for s in SAMPLES))

    def test_fields(self):
        """What each kind of sample puts in its events."""
        # Shadowserver scan: time, port, transport, extra columns
        e = self.one("ss-ntp", source__ip="192.168.0.1")
        self.assertEqual(rfc3339(e["time.source"]), utc(2010, 2, 10))
        self.assertEqual(e.get("source.port"), 123)
        self.assertEqual(e.get("source.asn"), 64512)
        self.assertEqual(e.get("protocol.transport"), "udp")
        self.assertEqual(e.get("classification.identifier"), "scan_ntp")
        self.assertEqual(e["extra"].get("amplification"), "27.00")
        self.assertEqual(e["extra"].get("refid"), "81.15.252.130")
        # sinkholes: malware.name from the family
        names = sorted(e.get("malware.name") for e in self.by_feed["ss-sinkhole"])
        self.assertEqual(names, ["victorygate.b", "virut"])
        self.assertEqual({e.get("malware.name") for e in self.by_feed["ss-mssinkhole"]},
                         {"zeroaccess"})
        e = self.one("ss-sinkhole", source__ip="35.205.9.10")
        self.assertEqual(e.get("destination.ip"), "148.81.9.10")
        self.assertEqual(e.get("destination.port"), 80)
        # honeypot: identifier from "infection"
        ids = sorted(e.get("classification.identifier") for e in self.by_feed["ss-bruteforce"])
        self.assertEqual(ids, ["ssh-brute-force"] * 4 + ["telnet-brute-force"] * 2)
        # URL reports
        e = self.one("ss-phishurl", source__ip="172.245.0.0")
        self.assertEqual(e.get("source.url"), "https://priceless-pare.example.net/Postal-/acec6/")
        self.assertEqual(e.get("source.fqdn"), "priceless-pare.example.net")
        e = self.one("urlhaus", source__ip="83.166.138.63")
        self.assertEqual(e.get("source.url"), "http://cbd-planet.ch/sec.myacc.send.com/")
        self.assertEqual(e.get("source.asn"), 29222)
        self.assertEqual(rfc3339(e["time.source"]), utc(2019, 2, 12, 14, 27, 3))
        # Spamhaus: networks, AS numbers, Unix times, bot names
        self.assertEqual(sorted(e.get("source.network") for e in self.by_feed["drop"]),
                         ["1.4.0.0/17", "2a06:e480::/29"])
        for e in self.by_feed["drop"]:
            self.assertNotIn("source.ip", e)
        self.assertEqual(sorted(e.get("source.asn") for e in self.by_feed["asndrop"]),
                         [260, 10516])
        e = self.one("cert", classification__identifier="asprox")
        self.assertEqual(e.get("source.ip"), "109.126.64.2")
        self.assertEqual(e.get("source.asn"), 12635)
        self.assertEqual(cls_of(e), "malicious-code:infected-system")
        self.assertEqual(e.get("malware.name"), "asprox")
        self.assertEqual(rfc3339(e["time.source"]),
                         datetime.datetime.fromtimestamp(1441008970, datetime.timezone.utc))
        self.assertEqual(cls_of(self.one("cert", classification__identifier="sshauth")),
                         "intrusion-attempts:brute-force")
        self.assertEqual(cls_of(self.one("cert", classification__identifier="l_spamlink")),
                         "abusive-content:spam")
        # abuse.ch, PhishTank, OpenPhish, blocklist.de
        e = self.one("feodo-json", source__ip="51.178.161.32")
        self.assertEqual(e.get("malware.name"), "dridex")
        self.assertEqual(e.get("source.port"), 4643)
        self.assertEqual(sorted(e.get("source.ip") for e in self.by_feed["feodo-csv"]),
                         ["10.213.75.205", "192.16.238.101"])
        self.assertEqual(sorted(e.get("source.url") for e in self.by_feed["phishtank"]),
                         ["https://ardentig.top/",
                          "https://attmailupdateinc2022update.square.site/",
                          "https://newlife209.godaddysites.com/"])
        self.assertEqual(sorted(e.get("source.url") for e in self.by_feed["openphish"]),
                         ["http://www..example.com/phishing",
                          "http://www..example.invalid/phishing"])
        self.assertEqual(sorted(e.get("source.ip") for e in self.by_feed["blocklistde"]),
                         sorted(["192.0.2.4", "192.0.2.45", "198.51.100.34",
                                 "198.51.100.80", "203.0.113.34", "203.0.113.254"]))
        # ARF: the reported source and its domain
        e = self.one("arf", source__ip="192.0.2.1")
        self.assertEqual(cls_of(e), "abusive-content:spam")
        # X-ARF v4 and v3
        e = self.one("x4-connection-login-attack", source__ip="198.51.100.77")
        self.assertEqual(cls_of(e), "intrusion-attempts:brute-force")
        self.assertEqual(e.get("source.port"), 45621)
        self.assertEqual(rfc3339(e["time.source"]), utc(2025, 1, 11, 12, 17, 20))
        e = self.one("x4-content-malware", source__ip="192.0.2.75")
        self.assertEqual(e.get("source.url"), "http://download-center.example.com/setup.exe")
        self.one("x3-spam", source__ip="192.168.1.100")
        self.one("x3-ddos", source__ip="172.16.254.10")
        e = self.one("x3-phishing", source__url="https://malicious-example.net/banking-login/")
        self.assertEqual(cls_of(e), "fraud:phishing")
        e = self.one("x3-botnet", source__ip="198.51.100.25")
        self.assertEqual(e.get("malware.name"), "conficker")
        # every time is UTC RFC 3339
        for e in self.all:
            for k in ("time.source", "time.observation"):
                if k in e:
                    self.assertRegex(e[k], RFC3339_UTC)

    def test_routing(self):
        """Longest prefix, then AS number, then domain suffix."""
        self.assertRouted(self.one("ss-ntp", source__ip="192.168.0.1"), A, "cidr")
        self.assertRouted(self.one("ss-ntp", source__ip="192.168.0.2"), B, "cidr")
        self.assertRouted(self.one("ss-ntp", source__ip="192.168.0.3"), A, "cidr")
        self.assertRouted(self.one("ss-smb", source__ip="192.168.0.2"), B, "cidr")
        # a network event inside, or equal to, an owned range
        self.assertRouted(self.one("drop", source__network="1.4.0.0/17"), A, "cidr")
        self.assertRouted(self.one("drop", source__network="2a06:e480::/29"), A, "cidr")
        self.assertRouted(self.one("ss-blocklist", source__network="198.123.245.0/24"),
                          B, "cidr")
        self.assertRouted(self.one("ss-blocklist", source__ip="198.123.245.134"), B, "cidr")
        # AS number when no range: also before the domain (phish_url names
        # hosts under example.net, which E owns)
        self.assertRouted(self.one("asndrop", source__asn=260), C, "asn")
        self.assertNotIn("constituent", self.one("asndrop", source__asn=10516))
        self.assertRouted(self.one("feodo-json", source__ip="51.178.161.32"), C, "asn")
        self.assertNotIn("constituent", self.one("feodo-json", source__ip="1.234.21.73"))
        for e in self.by_feed["ss-phishurl"]:
            self.assertRouted(e, C, "asn")
        # domain suffix, label by label; the cidr of a more specific range
        # does not matter to a name
        self.assertRouted(self.one("arf", source__ip="192.0.2.1"), E, "domain")
        e = self.one("x4-copyright-usenet")
        self.assertEqual(e.get("source.fqdn"), "news.usenet-provider.example.com")
        self.assertRouted(e, D, "domain")
        self.assertRouted(self.one("x4-content-fraud"), D, "domain")
        self.assertRouted(self.one("x4-copyright-link-site"), E, "domain")
        # "malicious-example.net" is not under "example.net"
        self.assertNotIn("constituent", self.one("x3-phishing"))
        # unrouted events are counted and listed
        want_unrouted = sum(s[8] for s in SAMPLES)
        unrouted = self.events("--unrouted")
        self.assertEqual(len(unrouted), want_unrouted)
        for e in unrouted:
            self.assertNotIn("constituent", e)
            self.assertFalse(e.get("route"), e)
        blde = self.events("--unrouted", "--feed", "blocklistde")
        self.assertEqual(len(blde), 6)
        self.assertEqual(self.events("--unrouted", "--feed", "ss-ntp"), [])
        # a constituent's events, and nothing else
        for name in (A, B, C, D, E):
            mine = self.events("--constituent", name)
            want = [e for e in self.all if e.get("constituent") == name]
            self.assertEqual(sorted(e["id"] for e in mine), sorted(e["id"] for e in want))
            self.assertTrue(mine, name)
        self.assertEqual(len([e for e in self.all if "constituent" in e]),
                         len(self.all) - want_unrouted)
        self.assertEqual(
            sorted(e["feed.name"] for e in self.events("--constituent", D)),
            sorted("x4-" + k for k, v in XARF4.items() if v[1] == D))
        # filters: by class and class:type
        amp = self.events("--class", AMP)
        self.assertEqual(len(amp), 9)
        self.assertEqual(len(self.events("--class", "vulnerable")),
                         len([e for e in self.all
                              if e["classification.taxonomy"] == "vulnerable"]))

    def test_raw_kept(self):
        """FEED-08: `event show` gives the record as received."""
        e = self.one("ss-ntp", source__ip="192.168.0.2")
        shown = json.loads(self.ok("event", "show", str(e["id"])))
        with open(sample(SS + "scan_ntp.csv"), "rb") as f:
            line = f.read().splitlines()[2]
        self.assertEqual(base64.b64decode(shown["raw"]).rstrip(b"\r\n"), line)
        for k in ("source.ip", "classification.type", "feed.name", "constituent"):
            self.assertEqual(shown.get(k), e.get(k))
        e = self.one("blocklistde", source__ip="198.51.100.80")
        shown = json.loads(self.ok("event", "show", str(e["id"])))
        self.assertEqual(base64.b64decode(shown["raw"]).strip(), b"198.51.100.80")
        # an e-mail report keeps the message
        e = self.one("arf", source__ip="192.0.2.1")
        raw = base64.b64decode(json.loads(self.ok("event", "show", str(e["id"])))["raw"])
        self.assertIn(b"Source-IP: 192.0.2.1", raw)
        rc, out, err = self.store.cli("event", "show", "999999999")
        self.assertNotEqual(rc, 0)


class FeedFormats(FeedCase):
    """FEED-02 to FEED-05 and FEED-07 on files written here."""

    def test_new_shadowserver_report(self):
        """FEED-07: a report type and columns never seen parse generically."""
        path = write(self.store.path("new", "2026-11-20-scan_brandnew_thing-nation.csv"),
                     '"timestamp","ip","protocol","port","hostname","tag","asn",'
                     '"geo","region","city","naics","sic","sector",'
                     '"widget_vendor","widget_firmware","exposed_endpoints"\n'
                     '"2026-11-19 08:00:00","198.18.0.1","tcp",7547,,'
                     '"brandnew",64500,"ZZ","R","C",0,0,,"Acme Widgets","1.2.3","/a;/b"\n'
                     '"2026-11-19 08:00:05","198.18.0.2","tcp",7547,,'
                     '"brandnew",64500,"ZZ","R","C",0,0,,"Other Co",,"/c"\n')
        r = self.ingest("shadowserver", path, feed="newtype")
        self.assertReport(r, status="ok", records=2, events=2, bad=0, stored=2)
        evs = sorted(self.events("--feed", "newtype"), key=lambda e: e["source.ip"])
        self.assertEqual([e["source.ip"] for e in evs], ["198.18.0.1", "198.18.0.2"])
        e = evs[0]
        self.assertEqual(e.get("classification.identifier"), "scan_brandnew_thing")
        self.assertEqual(cls_of(e), PUA)
        self.assertEqual(e.get("source.port"), 7547)
        self.assertEqual(rfc3339(e["time.source"]), utc(2026, 11, 19, 8))
        self.assertEqual(e["extra"].get("widget_vendor"), "Acme Widgets")
        self.assertEqual(e["extra"].get("widget_firmware"), "1.2.3")
        self.assertEqual(e["extra"].get("exposed_endpoints"), "/a;/b")
        self.assertNotIn("widget_firmware", evs[1]["extra"])  # empty: left out
        # an event4_ report never seen, with src_/dst_ columns and new ones
        path = write(self.store.path("new", "event4_newthing.csv"),
                     '"timestamp","protocol","src_ip","src_port","src_asn",'
                     '"dst_ip","dst_port","infection","family","gizmo_score"\n'
                     '"2026-11-19 09:00:00","tcp","198.18.1.1",40000,64501,'
                     '"203.0.113.9",443,"newbot","newfamily",97\n')
        r = self.ingest("shadowserver", path, feed="newtype4")
        self.assertReport(r, status="ok", records=1, events=1, bad=0, stored=1)
        e = self.events("--feed", "newtype4")[0]
        self.assertEqual(e.get("source.ip"), "198.18.1.1")
        self.assertEqual(e.get("destination.ip"), "203.0.113.9")
        self.assertEqual(e.get("destination.port"), 443)
        self.assertEqual(e.get("classification.identifier"), "event4_newthing")
        self.assertEqual(cls_of(e), "other:undetermined")
        self.assertEqual(e["extra"].get("gizmo_score"), "97")

    def test_crlf_quotes_comments(self):
        """FEED-02, FEED-03, FEED-04: CRLF, quoted fields (commas, doubled
        quotes, line breaks), comment and blank lines; UTC RFC 3339 times;
        IPv6 and CIDR canonical."""
        # Shadowserver with CRLF, quoting and a blank line
        rows = [
            NTP_HEADER,
            ntp_row("2001:DB8:0:0:0:0:0:1", "2024-03-01 12:00:00").replace(
                "ntpversion", '"ntp, version"').replace(
                "Region,City", '"Region ""quoted""","Two\r\nLines"'),
            "",
            ntp_row("2001:0db8:0000:0000:0000:ff00:0042:8329", "2024-03-01 12:00:01"),
            ntp_row("192.0.2.33", "2024-03-01 23:59:59"),
        ]
        path = write(self.store.path("f2", "scan_ntp.csv"), "\r\n".join(rows) + "\r\n")
        r = self.ingest("shadowserver", path, feed="crlf-ss")
        self.assertReport(r, status="ok", records=3, events=3, bad=0, stored=3)
        evs = {e["source.ip"]: e for e in self.events("--feed", "crlf-ss")}
        self.assertEqual(sorted(evs), sorted(["2001:db8::1", "2001:db8::ff00:42:8329",
                                              "192.0.2.33"]))
        e = evs["2001:db8::1"]
        self.assertEqual(e["extra"].get("tag"), "ntp, version")
        self.assertEqual(e["extra"].get("region"), 'Region "quoted"')
        self.assertIn(e["extra"].get("city"), ("Two\r\nLines", "Two\nLines"))
        self.assertEqual(rfc3339(e["time.source"]), utc(2024, 3, 1, 12))
        self.assertEqual(rfc3339(evs["192.0.2.33"]["time.source"]),
                         utc(2024, 3, 1, 23, 59, 59))
        for e in evs.values():
            self.assertNotIn("\r", json.dumps({k: v for k, v in e.items() if k != "extra"}))
        # Spamhaus DROP with CRLF, comments, blank lines, CIDRs to canonicalise
        path = write(self.store.path("f2", "drop.txt"),
                     "; Spamhaus DROP List\r\n; Last-Modified: today\r\n\r\n"
                     "198.51.100.0/24 ; SBL000001\r\n"
                     "2A06:E480:0:0::/29 ; SBL000002\r\n"
                     "\r\n; a comment between\r\n"
                     "2001:DB8:00A0::/44 ; SBL000003\r\n")
        r = self.ingest("spamhaus-drop", path, feed="crlf-drop")
        self.assertReport(r, status="ok", records=3, events=3, bad=0, stored=3)
        self.assertEqual(sorted(e.get("source.network")
                                for e in self.events("--feed", "crlf-drop")),
                         sorted(["198.51.100.0/24", "2a06:e480::/29", "2001:db8:a0::/44"]))
        # Feodo Tracker CSV with CRLF and # comments before and after
        path = write(self.store.path("f2", "feodo.csv"),
                     "#####\r\n# abuse.ch Feodo Tracker\r\n#\r\n"
                     '"first_seen_utc","dst_ip","dst_port","c2_status",'
                     '"last_online","malware"\r\n'
                     '"2024-02-01 10:00:00","198.51.100.77","8080","online",'
                     '"2024-02-02","QakBot"\r\n'
                     "# END (1) entries\r\n")
        r = self.ingest("feodo", path, feed="crlf-feodo")
        self.assertReport(r, status="ok", records=1, events=1, bad=0, stored=1)
        e = self.events("--feed", "crlf-feodo")[0]
        self.assertEqual((e.get("source.ip"), e.get("source.port"), e.get("malware.name")),
                         ("198.51.100.77", 8080, "qakbot"))
        self.assertEqual(rfc3339(e["time.source"]), utc(2024, 2, 1, 10))
        # any CSV, mapped: time zones and Unix seconds to UTC
        path = write(self.store.path("f2", "generic.csv"),
                     "# exported by a partner\r\n"
                     "when;addr;note\r\n"
                     "2024-03-01T14:00:00+02:00;192.0.2.50;\"a; b\"\r\n"
                     "2024-03-01 12:00:01;192.0.2.51;plain\r\n"
                     "1709294402;192.0.2.52;unix\r\n"
                     "2024-02-29T23:00:03.5-13:00;192.0.2.53;frac\r\n")
        r = self.ingest("csv", path, feed="generic",
                        args=["--option", "map=when:time.source,addr:source.ip",
                              "--option", "sep=semicolon", "--option", "comment=#",
                              "--class", "other:other"])
        self.assertReport(r, status="ok", records=4, events=4, bad=0, stored=4)
        evs = {e["source.ip"]: e for e in self.events("--feed", "generic")}
        self.assertEqual(rfc3339(evs["192.0.2.50"]["time.source"]), utc(2024, 3, 1, 12))
        self.assertEqual(rfc3339(evs["192.0.2.51"]["time.source"]), utc(2024, 3, 1, 12, 0, 1))
        self.assertEqual(rfc3339(evs["192.0.2.52"]["time.source"]), utc(2024, 3, 1, 12, 0, 2))
        self.assertEqual(rfc3339(evs["192.0.2.53"]["time.source"]),
                         utc(2024, 3, 1, 12, 0, 3, 500000))
        self.assertEqual(evs["192.0.2.50"]["extra"].get("note"), "a; b")
        self.assertEqual(cls_of(evs["192.0.2.50"]), "other:other")

    def test_malformed_counted(self):
        """Malformed records are counted and skipped; the rest is stored."""
        rows = [NTP_HEADER,
                ntp_row("192.0.2.61"),
                ntp_row("999.1.1.1"),                              # bad address
                ntp_row("192.0.2.62", when="yesterday at noon"),   # bad time
                ntp_row("192.0.2.63") + ",extra,fields",           # too many
                ntp_row("192.0.2.64")]
        path = write(self.store.path("bad", "scan_ntp.csv"), "\n".join(rows) + "\n")
        r = self.ingest("shadowserver", path, feed="bad-ss")
        self.assertReport(r, status="ok", records=5, events=2, bad=3, stored=2)
        self.assertEqual(len(r["first_bad"]), 3)
        for n, msg in zip((3, 4, 5), r["first_bad"]):
            self.assertIn("line %d" % n, msg)
        self.assertEqual(sorted(e["source.ip"] for e in self.events("--feed", "bad-ss")),
                         ["192.0.2.61", "192.0.2.64"])
        # the table report says it too
        out = self.ok("feed", "ingest", "--parser", "shadowserver", "--feed", "bad-ss2", path)
        self.assertIn("3 malformed", out)
        # a list with garbage: bytes that are not text, a name, an empty line
        path = write(self.store.path("bad", "ssh.txt"),
                     b"192.0.2.71\nnot-an-address\n\xff\xfe\x00\x01junk\n\n192.0.2.72\n"
                     b"192.0.2.300\n")
        r = self.ingest("blocklist", path, feed="bad-list")
        self.assertReport(r, status="ok", events=2, bad=3, stored=2)
        # a JSON feed with one broken element
        path = write(self.store.path("bad", "feodo.json"), json.dumps([
            {"ip_address": "192.0.2.81", "port": 443, "malware": "Emotet",
             "first_seen": "2024-01-01 00:00:00"},
            {"ip_address": "not an ip", "port": 443, "malware": "Emotet"},
            {"ip_address": "192.0.2.82", "port": 447, "malware": "TrickBot",
             "first_seen": "2024-01-01 00:00:00"}]))
        r = self.ingest("feodo", path, feed="bad-json")
        self.assertReport(r, status="ok", records=3, events=2, bad=1, stored=2)

    def test_hostile_inputs(self):
        """Whatever the bytes, every parser ends with a report (ok or error),
        never a crash; what is not its format stores nothing."""
        rnd = random.Random(5)
        noise = bytes(rnd.getrandbits(8) for _ in range(20000))
        inputs = {
            "empty.txt": b"",
            "noise.bin": noise,
            "nul.txt": b"\x00" * 5000,
            "long-line.txt": b"1" * (2 << 20),
            "quotes.csv": b'"' * 10000 + b"\n" + b'a,"b\n' * 1000,
            "deep.json": b"[" * 100000 + b"]" * 100000,
            "truncated.json": b'[{"ip_address": "192.0.2.1", "port": 4',
            "objects.json": b'{"type": "bundle", "objects": [' + b'{"type": 1},' * 1000
                            + b'{}]}',
            "mail.eml": b"From: x\r\nContent-Type: multipart/report; boundary=\"b\"\r\n"
                        b"\r\n--b\r\n" * 200,
        }
        paths = [write(self.store.path("hostile", n), data) for n, data in inputs.items()]
        parsers = [line.split()[0] for line in self.ok("feed", "parsers").splitlines()
                   if line.strip()]
        self.assertEqual(sorted(parsers), sorted([
            "arf", "blocklist", "csv", "feodo", "openphish", "phishtank", "shadowserver",
            "spamhaus-asndrop", "spamhaus-cert", "spamhaus-drop", "stix", "urlhaus",
            "xarf"]))
        before = self.count_events()
        for parser in parsers:
            args = ["--option", "map=#1:source.ip"] if parser == "csv" else []
            for path in paths:
                with self.subTest(parser=parser, input=os.path.basename(path)):
                    rc, out, err = self.store.cli("feed", "ingest", "--parser", parser,
                                                  path, "--feed", "hostile", *args,
                                                  "--format", "json", timeout=120)
                    self.assertIn(rc, (0, 1), err[-2000:])
                    r = json.loads(out)
                    self.assertIn(r["status"], ("ok", "error"))
                    if rc == 1:
                        self.assertTrue(err.strip())
        # a few of these may hold something that reads as an address; none
        # of them holds many
        self.assertLess(self.count_events() - before, 100)
        rc, out, err = self.store.cli("feed", "ingest", "--parser", "blocklist",
                                      self.store.path("hostile", "missing.txt"))
        self.assertEqual(rc, 1)
        self.assertTrue(err.strip())

    def test_dedup_and_idempotence(self):
        """FEED-05: the same file twice stores nothing the second time; the
        window is the feed's; another feed is another key."""
        need_data(self)
        f = sample(SS + "scan_ntp.csv")
        r = self.ingest("shadowserver", f, feed="dd")
        self.assertReport(r, events=3, stored=3, duplicates=0)
        before = self.count_events()
        r = self.ingest("shadowserver", f, feed="dd")
        self.assertReport(r, status="ok", records=3, events=3, stored=0, duplicates=3)
        self.assertEqual(self.count_events(), before)
        r = self.ingest("shadowserver", f, feed="dd-other")
        self.assertReport(r, stored=3, duplicates=0)
        # within 24 hours a duplicate, beyond it a new event
        path = ntp_file(self.store.path("dd", "scan_ntp.csv"), [])
        with open(path, "a") as out:
            out.write(ntp_row("192.0.2.91", "2024-01-01 00:00:00") + "\n")
            out.write(ntp_row("192.0.2.91", "2024-01-01 23:00:00") + "\n")
            out.write(ntp_row("192.0.2.91", "2024-01-03 00:00:00") + "\n")
            out.write(ntp_row("192.0.2.91", "2024-01-01 00:00:00", port=1123) + "\n")
        r = self.ingest("shadowserver", path, feed="dd-window")
        self.assertReport(r, records=4, events=4, stored=3, duplicates=1)
        # a feed with a shorter window keeps both
        self.ok("feed", "add", "dd-short", "--parser", "shadowserver", "--file", path,
                "--dedup", "1h")
        r = self.run_feed("dd-short")
        self.assertReport(r, status="ok", records=4, stored=4, duplicates=0)
        r = self.run_feed("dd-short")
        self.assertReport(r, stored=0, duplicates=4)
        # --dry-run and --parse-only store nothing
        before = self.count_events()
        r = self.ingest("shadowserver", f, feed="dd-dry", args=["--dry-run"])
        self.assertEqual(r["events"], 3)
        r = self.ingest("shadowserver", f, feed="dd-dry", args=["--parse-only"])
        self.assertEqual(r["records"], 3)
        self.assertEqual(self.count_events(), before)


class CrashSafety(FeedCase):
    """An ingest killed with SIGKILL and run again ends with what one clean
    run stores: nothing lost, nothing twice."""

    ROWS = 60000

    def make_file(self):
        path = self.store.path("big", "2024-05-01-scan_ntp-big.csv")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(NTP_HEADER + "\n")
            for i in range(self.ROWS):
                ip = "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255)
                when = "2024-05-01 %02d:%02d:%02d" % (i // 3600 % 24, i // 60 % 60, i % 60)
                f.write(ntp_row(ip, when) + "\n")
        return path

    def snapshot(self, store):
        return store.sql("SELECT src_ip, src_port, time_source, class, type, "
                         "identifier, dedup FROM events ORDER BY src_ip, "
                         "time_source")

    def test_kill_and_rerun(self):
        path = self.make_file()
        cmd = [harness.BIN, "feed", "ingest", "--feed", "big", "--parser",
               "shadowserver", path, "--format", "json"] + self.store.args
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=harness.child_env())
        seen = 0
        deadline = time.monotonic() + 120
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    seen = int(self.store.sql("SELECT COUNT(*) FROM events")[0][0])
                except Exception:
                    seen = 0  # the store is busy: look again
                if seen >= 1000:
                    break
                time.sleep(0.02)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.wait()
        after_kill = self.count_events()
        self.assertGreater(after_kill, 0, "nothing was committed before the kill")
        self.assertLess(after_kill, self.ROWS,
                        "the ingest finished before it could be killed (%d s)" % 120)
        # the same command again, to completion
        r = self.ingest("shadowserver", path, feed="big")
        self.assertReport(r, status="ok", records=self.ROWS, events=self.ROWS, bad=0,
                          stored=self.ROWS - after_kill, duplicates=after_kill)
        n = self.store.sql("SELECT COUNT(*), COUNT(DISTINCT dedup) FROM events")[0]
        self.assertEqual(n, (str(self.ROWS), str(self.ROWS)))
        # the killed run is recorded as cut short, the second as ok
        runs = self.store.sql("SELECT status, error FROM feed_runs WHERE "
                              "feed = 'big' ORDER BY id")
        self.assertEqual([r[0] for r in runs], ["error", "ok"])
        self.assertIn("interrupted", runs[0][1])
        # one clean run on another store
        clean = Store()
        self.addCleanup(clean.close)
        clean.init()
        rc, out, err = clean.cli("feed", "ingest", "--feed", "big", "--parser",
                                 "shadowserver", path, "--format", "json", timeout=300)
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["stored"], self.ROWS)
        mine, theirs = self.snapshot(self.store), self.snapshot(clean)
        self.assertEqual(len(mine), self.ROWS)
        self.assertTrue(mine == theirs, "the events differ from a clean run's")


class Collectors(FeedCase):
    """The ways a feed's inputs arrive: url, dir, maildir, taxii."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.web = FeedServer(cls.store.path("www"))
        cls.web.start()
        cls.addClassCleanup(cls.web.stop)

    def web_file(self, name, text):
        return write(os.path.join(self.web.path, name), text)

    def test_url_conditional_get(self):
        name = "2024-05-01-scan_ntp-nation.csv"
        path = ntp_file(os.path.join(self.web.path, name),
                        ["192.0.2.1", "192.0.2.2", "192.0.2.3"])
        self.ok("feed", "add", "web", "--parser", "shadowserver",
                "--url", self.web.url(name), "--every", "30m")
        r = self.run_feed("web")
        self.assertReport(r, status="ok", inputs=1, records=3, events=3, stored=3)
        r = self.run_feed("web")
        self.assertEqual(r["status"], "not-modified", r)
        self.assertEqual(r["stored"], 0, r)
        gets = [g for g in self.web.log() if g["path"].endswith(name)]
        self.assertEqual(len(gets), 2, gets)
        self.assertIsNone(gets[0]["if_none_match"])
        self.assertTrue(gets[1]["if_none_match"], gets)
        self.assertTrue(gets[0]["user_agent"], gets)
        # the file changes: a full download, only the new rows are stored
        with open(path, "a") as f:
            f.write(ntp_row("192.0.2.4") + "\n" + ntp_row("192.0.2.5") + "\n")
        r = self.run_feed("web")
        self.assertReport(r, status="ok", records=5, events=5, stored=2, duplicates=3)
        self.assertEqual(sorted(e["source.ip"] for e in self.events("--feed", "web")),
                         ["192.0.2.%d" % i for i in range(1, 6)])
        feeds = {f["name"]: f for f in self.ok_json("feed", "list")}
        self.assertEqual(feeds["web"]["collector"], "url")
        self.assertEqual(feeds["web"]["last_run"]["status"], "ok")
        # a server error is a failed run that stores nothing, not a crash
        with open(path, "a") as f:
            f.write(ntp_row("192.0.2.6") + "\n")
        req = "POST /_fail?n=10&status=503 HTTP/1.0\r\nContent-Length: 0\r\n\r\n"
        harness.raw_http(self.web.port, req.encode())
        rc, out, err = self.store.cli("feed", "run", "web", "--format", "json",
                                      timeout=120)
        self.assertNotEqual(rc, 0)
        self.assertEqual(json.loads(out)["status"], "error")
        self.web.reset()
        r = self.run_feed("web")
        self.assertReport(r, status="ok", stored=1)

    def test_dir(self):
        d = self.store.path("dropdir")
        ntp_file(os.path.join(d, "2024-05-01-scan_ntp-a.csv"), ["198.18.10.1", "198.18.10.2"])
        ntp_file(os.path.join(d, "2024-05-02-scan_ntp-b.csv"), ["198.18.10.3"])
        self.ok("feed", "add", "dropdir", "--parser", "shadowserver", "--dir", d)
        r = self.run_feed("dropdir")
        self.assertReport(r, status="ok", inputs=2, records=3, stored=3)
        r = self.run_feed("dropdir")
        self.assertReport(r, status="ok", inputs=0, records=0, stored=0)
        ntp_file(os.path.join(d, "2024-05-03-scan_ntp-c.csv"), ["198.18.10.4", "198.18.10.5"])
        r = self.run_feed("dropdir")
        self.assertReport(r, status="ok", inputs=1, records=2, stored=2)
        # the same content under another name has been seen
        shutil.copy(os.path.join(d, "2024-05-01-scan_ntp-a.csv"),
                    os.path.join(d, "2024-05-04-scan_ntp-copy.csv"))
        r = self.run_feed("dropdir")
        self.assertReport(r, inputs=0, records=0, stored=0)
        self.assertEqual(len(self.events("--feed", "dropdir")), 5)

    def test_maildir(self):
        need_data(self)
        md = self.store.path("maildir")
        for sub in ("new", "cur", "tmp"):
            os.makedirs(os.path.join(md, sub))
        shutil.copy(sample("abuse-reporting/arf/rfc5965-appB2-style-abuse-report.eml"),
                    os.path.join(md, "new", "1700000000.M1P1.test"))
        self.ok("feed", "add", "mail", "--parser", "arf", "--maildir", md)
        r = self.run_feed("mail")
        self.assertReport(r, status="ok", inputs=1, events=1, stored=1)
        self.assertEqual(os.listdir(os.path.join(md, "new")), [])
        cur = os.listdir(os.path.join(md, "cur"))
        self.assertEqual(len(cur), 1)
        self.assertTrue(cur[0].startswith("1700000000.M1P1.test"), cur)
        evs = self.events("--feed", "mail")
        self.assertEqual([(e.get("source.ip"), cls_of(e)) for e in evs],
                         [("192.0.2.1", "abusive-content:spam")])
        r = self.run_feed("mail")
        self.assertReport(r, status="ok", stored=0)
        self.assertEqual(len(self.events("--feed", "mail")), 1)
        self.assertEqual(len(os.listdir(os.path.join(md, "cur"))), 1)

    def test_taxii(self):
        user, password = "feeduser", "pw-" + uniq("s")
        taxii = FeedServer(self.store.path("taxii-www"), "--taxii-user",
                           "%s:%s" % (user, password))
        taxii.start()
        self.addCleanup(taxii.stop)
        cid = "91a7b528-80eb-42ed-a74d-c6fbd5a26116"

        def ind(n, pattern, types, when):
            return {"type": "indicator", "spec_version": "2.1",
                    "id": "indicator--00000000-0000-4000-8000-%012d" % n,
                    "created": when, "modified": when, "valid_from": when,
                    "name": "ind %d" % n, "indicator_types": types,
                    "pattern": pattern, "pattern_type": "stix"}

        objects = [
            {"type": "identity", "spec_version": "2.1",
             "id": "identity--00000000-0000-4000-8000-000000000099",
             "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
             "name": "partner", "identity_class": "organization"},
            ind(1, "[ipv4-addr:value = '198.51.100.7']", ["compromised"],
                "2024-01-02T00:00:00.000Z"),
            ind(2, "[domain-name:value = 'bad.example.org']", ["malicious-activity"],
                "2024-01-03T00:00:00.000Z"),
            ind(3, "[url:value = 'http://bad.example.org/x']", ["malicious-activity"],
                "2024-01-04T00:00:00.000Z"),
        ]
        bundle_path = os.path.join(taxii.path, "taxii", cid + ".json")

        def publish():
            write(bundle_path, json.dumps({"type": "bundle",
                                           "id": "bundle--00000000-0000-4000-8000-000000000001",
                                           "objects": objects}))
        publish()
        url = taxii.url("/taxii2/api1/collections/%s/" % cid)
        self.ok("feed", "add", "partner-taxii", "--parser", "stix", "--taxii", url,
                "--class", "malicious-code:malware-distribution",
                "--option", "user=" + user, "--option", "password=" + password)
        r = self.run_feed("partner-taxii")
        self.assertReport(r, status="ok", events=3, stored=3, bad=0)
        evs = self.events("--feed", "partner-taxii")
        got = sorted((addr_of(e), cls_of(e)) for e in evs)
        self.assertEqual(got, sorted([
            ("198.51.100.7", "malicious-code:infected-system"),
            ("bad.example.org", "malicious-code:malware-distribution"),
            ("http://bad.example.org/x", "malicious-code:malware-distribution")]))
        reqs = [g for g in taxii.log() if "/objects/" in g["path"]]
        self.assertTrue(reqs)
        self.assertTrue(all(g["authorization"] for g in reqs), reqs)
        self.assertTrue(all("taxii" in (g["accept"] or "") for g in reqs), reqs)
        # the password is not shown back
        self.assertNotIn(password, self.ok("feed", "list", "--format", "json"))
        self.assertNotIn(password, self.ok("feed", "list"))
        # nothing new: nothing stored
        r = self.run_feed("partner-taxii")
        self.assertEqual(r["stored"], 0, r)
        # one more indicator, added later: only it is stored
        objects.append(ind(4, "[ipv4-addr:value = '198.51.100.8']", ["compromised"],
                           "2024-02-01T00:00:00.000Z"))
        publish()
        r = self.run_feed("partner-taxii")
        self.assertReport(r, status="ok", stored=1)
        self.assertEqual(len(self.events("--feed", "partner-taxii")), 4)
        # a wrong password is a failed run
        self.ok("feed", "add", "bad-taxii", "--parser", "stix", "--taxii", url,
                "--option", "user=" + user, "--option", "password=wrong")
        rc, out, err = self.store.cli("feed", "run", "bad-taxii", "--format", "json")
        self.assertNotEqual(rc, 0)
        self.assertEqual(json.loads(out)["status"], "error")


CSV_HEADER = "name,sector,country,asns,cidrs,domains,email,lang,role,frequency,format,tlp\n"


class Registry(FeedCase):
    """The constituency registry through the command line and the API."""

    SERVER = True

    def show(self, name):
        return json.loads(self.ok("constituent", "show", name))

    def test_add_show_list(self):
        name = uniq("Cli Const ")
        self.ok("constituent", "add", name, "--sector", "energy", "--country", "FR",
                "--asn", "AS64700", "--asn", "64701", "--cidr", "10.70.0.0/16",
                "--cidr", "2001:DB8:70:0::/48", "--domain", "Reg-Example.ORG",
                "--email", "a@reg.example", "--email", "b@reg.example", "--lang", "fr",
                "--role", "security", "--frequency", "weekly", "--attachment", "iodef",
                "--tlp", "green")
        c = self.show(name)
        self.assertEqual(c["name"], name)
        self.assertEqual(c["sector"], "energy")
        self.assertEqual(c["country"], "FR")
        self.assertEqual(sorted(c["asns"]), [64700, 64701])
        self.assertEqual(sorted(c["cidrs"]), ["10.70.0.0/16", "2001:db8:70::/48"])
        self.assertEqual(c["domains"], ["reg-example.org"])
        self.assertEqual(sorted(x["email"] for x in c["contacts"]),
                         ["a@reg.example", "b@reg.example"])
        for x in c["contacts"]:
            self.assertEqual((x["lang"], x["role"], x["frequency"], x["format"], x["tlp"]),
                             ("fr", "security", "weekly", "iodef", "green"))
        # the API's view is the same
        r = self.admin.get("/api/v1/constituents/" + q(name))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, c)
        # through the API
        api_name = uniq("Api Const ")
        body = {"name": api_name, "sector": "banking", "country": "DE",
                "asns": [64702, "AS64703"], "cidrs": ["10.71.0.0/16"],
                "domains": ["api-const.example"],
                "contacts": [{"email": "x@api.example", "format": "xarf",
                              "frequency": "immediate", "tlp": "amber"},
                             {"email": "y@api.example", "lang": "es"}]}
        r = self.admin.post("/api/v1/constituents", body)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["name"], api_name)
        self.assertEqual(sorted(r.json["asns"]), [64702, 64703])
        self.assertEqual(r.json, self.show(api_name))
        y = [x for x in r.json["contacts"] if x["email"] == "y@api.example"][0]
        self.assertEqual((y["lang"], y["role"], y["frequency"], y["format"], y["tlp"]),
                         ("es", "abuse", "daily", "csv", "amber"))
        # listed by both
        listed = {x["name"]: x for x in self.ok_json("constituent", "list")}
        self.assertEqual(listed[name]["networks"], 5)
        self.assertEqual(listed[name]["contacts"], 2)
        self.assertEqual(listed[api_name]["networks"], 4)
        api_listed = {x["name"]: x for x in
                      self.admin.get("/api/v1/constituents").json["items"]}
        self.assertEqual(api_listed[name], listed[name])
        self.assertIn(name, self.ok("constituent", "list"))
        # the name is taken
        rc, out, err = self.store.cli("constituent", "add", name)
        self.assertEqual(rc, 1, err)
        r = self.admin.post("/api/v1/constituents", {"name": api_name})
        self.assertError(r, 409, "conflict", field="name")
        # no such constituent
        r = self.admin.get("/api/v1/constituents/" + q(uniq("Nobody ")))
        self.assertError(r, 404, "not_found")
        # bad values name their field
        for bad, field in ((["cidrs", ["10.0.0.0/33"]], "cidrs"),
                           (["asns", ["ASX"]], "asns"),
                           (["domains", ["not a domain"]], "domains"),
                           (["contacts", [{"email": "nobody"}]], "contacts")):
            r = self.admin.post("/api/v1/constituents",
                                {"name": uniq("Bad "), bad[0]: bad[1]})
            self.assertEqual(r.status, 400, r)
            self.assertTrue((r.json["error"]["field"] or "").startswith(field), r.json)
        # roles: an analyst reads, a constituent sees itself, a partner nothing
        _, analyst = self.user_client("analyst")
        self.assertEqual(analyst.get("/api/v1/constituents/" + q(name)).status, 200)
        r = analyst.post("/api/v1/constituents", {"name": uniq("By Analyst ")})
        self.assertError(r, 403, "forbidden")
        _, own = self.user_client("constituent", org=name)
        self.assertEqual([x["name"] for x in own.get("/api/v1/constituents").json["items"]],
                         [name])
        self.assertEqual(own.get("/api/v1/constituents/" + q(api_name)).status, 404)
        _, partner = self.user_client("partner")
        self.assertEqual(partner.get("/api/v1/constituents").status, 403)

    def test_conflicts(self):
        owner = uniq("Owner ")
        self.ok("constituent", "add", owner, "--asn", "64710", "--cidr", "10.72.0.0/16",
                "--domain", "owned.example")
        other = uniq("Other ")
        for flag, value in (("--cidr", "10.72.0.0/16"), ("--asn", "AS64710"),
                            ("--domain", "OWNED.example")):
            rc, out, err = self.store.cli("constituent", "add", other, flag, value)
            self.assertEqual(rc, 1, (flag, out, err))
            self.assertIn("already owned by", err)
            self.assertIn(owner, err)
        rc, _, _ = self.store.cli("constituent", "show", other)
        self.assertNotEqual(rc, 0, "a refused constituent was kept")
        for key, value in (("cidrs", ["10.72.0.0/16"]), ("asns", [64710]),
                           ("domains", ["owned.example"])):
            r = self.admin.post("/api/v1/constituents",
                                {"name": uniq("Api Other "), key: value})
            self.assertError(r, 409, "conflict", message="already owned by")
            self.assertTrue((r.json["error"]["field"] or "").startswith(key), r.json)
        # a more specific range, or a subdomain, may have another owner
        self.ok("constituent", "add", other, "--cidr", "10.72.1.0/24",
                "--domain", "sub.owned.example")
        self.assertEqual(self.show(other)["cidrs"], ["10.72.1.0/24"])

    def test_import(self):
        a, b = uniq("Imp A "), uniq("Imp B ")
        text = (CSV_HEADER +
                '%s,energy,FR,AS64720;64721,10.73.0.0/16 2001:db8:73::/48,imp-a.example,'
                'soc@imp-a.example,fr,abuse,immediate,csv,amber\n' % a +
                '%s,,,,,,cert@imp-a.example,en,security,daily,xarf,red\n' % a +
                '"%s",health,,,"10.74.0.0/16;10.75.0.0/16",,,,,,,\n' % b)
        path = write(self.store.path("imp", "one.csv"), text)
        out = self.ok("constituent", "import", path)
        self.assertIn("3 rows", out)
        self.assertIn("2 constituents created", out)
        self.assertIn("7 networks", out)
        self.assertIn("2 contacts", out)
        ca, cb = self.show(a), self.show(b)
        self.assertEqual(sorted(ca["asns"]), [64720, 64721])
        self.assertEqual(sorted(ca["cidrs"]), ["10.73.0.0/16", "2001:db8:73::/48"])
        self.assertEqual(sorted((x["email"], x["format"], x["tlp"]) for x in ca["contacts"]),
                         [("cert@imp-a.example", "xarf", "red"),
                          ("soc@imp-a.example", "csv", "amber")])
        self.assertEqual(cb["sector"], "health")
        self.assertEqual(sorted(cb["cidrs"]), ["10.74.0.0/16", "10.75.0.0/16"])
        # again: nothing changes
        out = self.ok("constituent", "import", path)
        self.assertIn("0 constituents created", out)
        self.assertIn("0 networks", out)
        self.assertIn("0 contacts", out)
        self.assertEqual((self.show(a), self.show(b)), (ca, cb))
        # through the API, and again
        c = uniq("Imp C ")
        body = CSV_HEADER + "%s,,,64722,10.76.0.0/16,,noc@imp-c.example,,,,,\n" % c
        r = self.admin.post("/api/v1/constituents/import", body, content_type="text/csv")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json, {"rows": 1, "created": 1, "networks": 2, "contacts": 1})
        r = self.admin.post("/api/v1/constituents/import", body, content_type="text/csv")
        self.assertEqual(r.json, {"rows": 1, "created": 0, "networks": 0, "contacts": 0})
        r = self.admin.post("/api/v1/constituents/import", body)  # JSON type
        self.assertEqual(r.status, 415, r)
        # a bad line: an error naming it, nothing kept
        good, bad = uniq("Kept Not "), uniq("Bad Line ")
        path = write(self.store.path("imp", "bad.csv"),
                     CSV_HEADER + "%s,,,,10.77.0.0/16,,,,,,,\n" % good +
                     "%s,,,,10.78.0.0/33,,,,,,,\n" % bad)
        rc, out, err = self.store.cli("constituent", "import", path)
        self.assertEqual(rc, 1, out + err)
        self.assertIn("line 3", err)
        for n in (good, bad):
            rc, _, _ = self.store.cli("constituent", "show", n)
            self.assertNotEqual(rc, 0, "%s was kept" % n)
        r = self.admin.post("/api/v1/constituents/import",
                            CSV_HEADER + "%s,,,,10.77.0.0/16,,,,,,,\n" % good +
                            "%s,,,,10.78.0.0/16,,,,,,,\n" % bad +
                            "%s,,,,,,,,,weekly-ish,,\n" % bad,
                            content_type="text/csv")
        self.assertEqual(r.status, 400, r)
        self.assertIn("line 4", r.json["error"]["message"])
        self.assertEqual(self.admin.get("/api/v1/constituents/" + q(good)).status, 404)
        # a network owned by another is a conflict naming the line
        path = write(self.store.path("imp", "conflict.csv"),
                     CSV_HEADER + "%s,,,,10.73.0.0/16,,,,,,,\n" % uniq("Thief "))
        rc, out, err = self.store.cli("constituent", "import", path)
        self.assertEqual(rc, 1)
        self.assertIn("line 2", err)
        self.assertIn("already owned by", err)

    def test_name_limits(self):
        ok = "\u00e9" * 64  # 128 bytes
        self.ok("constituent", "add", ok)
        self.assertEqual(self.show(ok)["name"], ok)
        rc, out, err = self.store.cli("constituent", "add", ok + "x")
        self.assertNotEqual(rc, 0)
        self.assertIn("128", err)
        r = self.admin.post("/api/v1/constituents", {"name": "n" * 129})
        self.assertError(r, 400, "invalid", field="name")
        r = self.admin.post("/api/v1/constituents", {"name": "n" * 128})
        self.assertEqual(r.status, 201, r)
        r = self.admin.post("/api/v1/constituents", {"name": ""})
        self.assertError(r, 400, "invalid", field="name")


class Rules(FeedCase):
    """Rules open one incident per constituent and window."""

    def incidents(self, rule=None):
        found = self.ok_json("incident", "list")
        return [i for i in found if i.get("reporter", {}).get("kind") == "feed" and
                (rule is None or i["reporter"].get("name") == rule)]

    def test_c2_rule(self):
        need_data(self)
        owner = self.add_constituent(uniq("C2 Owner "), "--cidr", "10.213.75.205/32")
        f = sample("feeds/abusech/feodotracker-ipblocklist-2021.csv")
        r = self.ingest("feodo", f, feed="feodo-rule")
        self.assertReport(r, status="ok", stored=2, unrouted=1, incidents=1)
        found = self.incidents("c2")
        self.assertEqual(len(found), 1, found)
        inc = found[0]
        self.assertEqual(inc["reporter"], {"kind": "feed", "name": "c2"})
        self.assertEqual(inc["class"], "malicious-code:c2-server")
        self.assertEqual([c["org"] for c in inc["constituents"]], [owner])
        # again, and from another feed: no second incident in the window
        r = self.ingest("feodo", f, feed="feodo-rule")
        self.assertReport(r, status="ok", stored=0, incidents=0)
        r = self.ingest("feodo", f, feed="feodo-rule-2")
        self.assertReport(r, status="ok", stored=2, incidents=0)
        self.assertEqual(len(self.incidents("c2")), 1)

    def test_custom_rule(self):
        owner = self.add_constituent(uniq("Brute Owner "), "--cidr", "198.18.50.0/24")
        self.ok("rule", "add", "three-logins", "--class", "intrusion-attempts:brute-force",
                "--threshold", "3", "--window", "1d", "--severity", "low")
        rules = {x["name"]: x for x in self.ok_json("rule", "list")}
        self.assertEqual(rules["three-logins"]["threshold"], 3)
        self.assertEqual(rules["three-logins"]["window_s"], 86400)
        self.assertIn("c2", rules)
        self.assertIn("infected-systems", rules)
        # two events: below the threshold
        f = write(self.store.path("rules", "a", "ssh.txt"), "198.18.50.1\n198.18.50.2\n")
        r = self.ingest("blocklist", f, feed="bl-rule")
        self.assertReport(r, stored=2, incidents=0)
        self.assertEqual(self.incidents("three-logins"), [])
        # events of another constituent or none do not count
        f = write(self.store.path("rules", "b", "ssh.txt"), "198.18.51.1\n198.18.51.2\n")
        r = self.ingest("blocklist", f, feed="bl-rule")
        self.assertReport(r, stored=2, incidents=0)
        # the third
        f = write(self.store.path("rules", "c", "ssh.txt"), "198.18.50.3\n")
        r = self.ingest("blocklist", f, feed="bl-rule")
        self.assertReport(r, stored=1, incidents=1)
        found = self.incidents("three-logins")
        self.assertEqual(len(found), 1, found)
        self.assertEqual([c["org"] for c in found[0]["constituents"]], [owner])
        self.assertEqual(found[0]["severity"], "low")
        # a fourth in the same window: still one
        f = write(self.store.path("rules", "d", "ssh.txt"), "198.18.50.4\n")
        r = self.ingest("blocklist", f, feed="bl-rule")
        self.assertReport(r, stored=1, incidents=0)
        self.assertEqual(len(self.incidents("three-logins")), 1)
        # bad rules are refused; delete
        rc, out, err = self.store.cli("rule", "add", "bad", "--class", "no-such:class",
                                      "--threshold", "1", "--window", "1d")
        self.assertNotEqual(rc, 0)
        rc, out, err = self.store.cli("rule", "add", "three-logins", "--class", "fraud",
                                      "--threshold", "1", "--window", "1d")
        self.assertNotEqual(rc, 0)
        self.ok("rule", "delete", "three-logins")
        self.assertNotIn("three-logins", {x["name"] for x in self.ok_json("rule", "list")})


class EventApi(FeedCase):
    """Who sees which events through /api/v1/events."""

    SERVER = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.k, cls.l = "Vis K", "Vis L"
        for name, cidr in ((cls.k, "10.80.0.0/16"), (cls.l, "10.81.0.0/16")):
            rc, out, err = cls.store.cli("constituent", "add", name, "--cidr", cidr)
            assert rc == 0, err
        d = cls.store.path("vis")
        cls.amber_file = ntp_file(os.path.join(d, "amber", "scan_ntp.csv"),
                                  ["10.80.0.1", "10.80.0.2", "10.81.0.1", "10.99.0.1"])
        cls.red_file = ntp_file(os.path.join(d, "red", "scan_ntp.csv"), ["10.80.0.9"])
        cls.clear_file = ntp_file(os.path.join(d, "clear", "scan_ntp.csv"), ["10.80.0.10"])
        for args in (["feed", "add", "vis-amber", "--parser", "shadowserver",
                      "--file", cls.amber_file],
                     ["feed", "add", "vis-red", "--parser", "shadowserver",
                      "--file", cls.red_file, "--tlp", "red"],
                     ["feed", "add", "vis-clear", "--parser", "shadowserver",
                      "--file", cls.clear_file, "--tlp", "clear"],
                     ["feed", "run", "vis-amber"], ["feed", "run", "vis-red"],
                     ["feed", "run", "vis-clear"]):
            rc, out, err = cls.store.cli(*args)
            assert rc == 0, (args, out, err)
        cls.ids = {}
        for row in cls.store.sql("SELECT id, src_ip FROM events"):
            cls.ids[row[1]] = int(row[0])

    def ips(self, items):
        return sorted(e["source.ip"] for e in items)

    def test_team_sees_all(self):
        total = self.count_events()
        self.assertEqual(total, 6)
        items = self.admin.list_all("/api/v1/events")
        self.assertEqual(len(items), total)
        self.assertEqual(self.ips(self.admin.list_all("/api/v1/events", limit=2)),
                         self.ips(items))
        _, analyst = self.user_client("analyst")
        self.assertEqual(self.ips(analyst.list_all("/api/v1/events")), self.ips(items))
        got = self.admin.list_all("/api/v1/events", {"constituent": self.l})
        self.assertEqual(self.ips(got), ["10.81.0.1"])
        got = self.admin.list_all("/api/v1/events", {"unrouted": "true"})
        self.assertEqual(self.ips(got), ["10.99.0.1"])
        got = self.admin.list_all("/api/v1/events", {"feed": "vis-red"})
        self.assertEqual([(e["source.ip"], e["tlp"]) for e in got], [("10.80.0.9", "red")])
        got = self.admin.list_all("/api/v1/events", {"class": "vulnerable:ddos-amplifier"})
        self.assertEqual(len(got), total)
        self.assertEqual(self.admin.list_all("/api/v1/events", {"class": "fraud"}), [])
        r = self.admin.get("/api/v1/events/%d" % self.ids["10.80.0.9"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["constituent"], self.k)
        self.assertEqual(r.json["route"], "cidr")
        r = self.admin.get("/api/v1/events", query={"limit": "0"})
        self.assertEqual(r.status, 400, r)
        r = self.admin.get("/api/v1/events", query={"bogus": "1"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(self.admin.get("/api/v1/events/999999999").status, 404)

    def test_constituent_sees_its_own(self):
        user = self.make_user("constituent", org=self.k)
        c = self.server.client(token=self.make_token(user))
        want = ["10.80.0.1", "10.80.0.10", "10.80.0.2"]  # not the red one
        self.assertEqual(self.ips(c.list_all("/api/v1/events")), want)
        for query in ({"constituent": self.l}, {"unrouted": "true"}, {"feed": "vis-red"}):
            got = c.list_all("/api/v1/events", query)
            self.assertTrue(set(self.ips(got)) <= set(want), (query, got))
            for e in got:
                self.assertEqual(e.get("constituent"), self.k)
        r = c.get("/api/v1/events/%d" % self.ids["10.80.0.1"])
        self.assertEqual(r.status, 200, r)
        self.assertIn("raw", r.json)
        for ip in ("10.81.0.1", "10.99.0.1", "10.80.0.9"):
            self.assertEqual(c.get("/api/v1/events/%d" % self.ids[ip]).status, 404, ip)
        # the other constituent
        user = self.make_user("constituent", org=self.l)
        c = self.server.client(token=self.make_token(user))
        self.assertEqual(self.ips(c.list_all("/api/v1/events")), ["10.81.0.1"])

    def test_partner_refused(self):
        _, partner = self.user_client("partner")
        self.assertError(partner.get("/api/v1/events"), 403, "forbidden")
        self.assertError(partner.get("/api/v1/events/%d" % self.ids["10.80.0.1"]),
                         403, "forbidden")
        self.assertEqual(self.anon.get("/api/v1/events").status, 401)

    def test_raw_is_the_record(self):
        with open(self.amber_file, "rb") as f:
            lines = f.read().splitlines()
        for n, ip in ((1, "10.80.0.1"), (3, "10.81.0.1")):
            shown = json.loads(self.ok("event", "show", str(self.ids[ip])))
            self.assertEqual(base64.b64decode(shown["raw"]).rstrip(b"\r\n"), lines[n])
            r = self.admin.get("/api/v1/events/%d" % self.ids[ip])
            self.assertEqual(r.json["raw"], shown["raw"])


class Schedule(FeedCase):
    """`feed run --due` runs the enabled feeds whose time has come."""

    def test_due(self):
        dirs = {n: self.store.path("due", n) for n in ("hourly", "asked", "off")}
        for n, d in dirs.items():
            ntp_file(os.path.join(d, "2024-05-01-scan_ntp-%s.csv" % n),
                     ["198.18.20.%d" % (len(n))])
        self.ok("feed", "add", "hourly", "--parser", "shadowserver", "--dir",
                dirs["hourly"], "--every", "1h")
        self.ok("feed", "add", "asked", "--parser", "shadowserver", "--dir", dirs["asked"])
        self.ok("feed", "add", "off", "--parser", "shadowserver", "--dir", dirs["off"],
                "--every", "30m", "--disabled")

        def ran(out):
            return sorted(line.split(":")[0] for line in out.splitlines()
                          if re.match(r"^[a-z]+: (ok|not-modified|error);", line))

        self.assertEqual(ran(self.ok("feed", "run", "--due")), ["hourly"])
        self.assertEqual(self.count_events("feed = 'hourly'"), 1)
        self.assertEqual(ran(self.ok("feed", "run", "--due")), [])
        feeds = {f["name"]: f for f in self.ok_json("feed", "list")}
        self.assertEqual(feeds["hourly"]["every_s"], 3600)
        self.assertEqual(feeds["hourly"]["last_run"]["status"], "ok")
        self.assertGreater(rfc3339(feeds["hourly"]["next_run"]),
                           datetime.datetime.now(datetime.timezone.utc))
        self.assertFalse(feeds["off"]["enabled"])
        self.assertNotIn("last_run", feeds["asked"])
        # its time comes again
        self.store.sql("UPDATE feeds SET next_run = 0 WHERE name = 'hourly'")
        self.assertEqual(ran(self.ok("feed", "run", "--due")), ["hourly"])
        # asked by name, a feed without a schedule runs
        r = self.run_feed("asked")
        self.assertReport(r, status="ok", stored=1)
        # bad feeds are refused, naming what is wrong
        for args in (["nope", "--parser", "no-such-parser", "--dir", dirs["asked"]],
                     ["nope", "--parser", "shadowserver"],
                     ["nope", "--parser", "shadowserver", "--dir", dirs["asked"],
                      "--url", "http://127.0.0.1:1/x"],
                     ["nope", "--parser", "shadowserver", "--dir", dirs["asked"],
                      "--every", "often"],
                     ["nope", "--parser", "shadowserver", "--dir", dirs["asked"],
                      "--tlp", "purple"],
                     ["nope", "--parser", "shadowserver", "--dir", dirs["asked"],
                      "--class", "no-such:class"],
                     ["hourly", "--parser", "shadowserver", "--dir", dirs["asked"]],
                     ["x" * 65, "--parser", "shadowserver", "--dir", dirs["asked"]]):
            rc, out, err = self.store.cli("feed", "add", *args)
            self.assertNotEqual(rc, 0, args)
            self.assertTrue(err.strip(), args)
        self.assertEqual(sorted(self.ok_json("feed", "list"), key=lambda f: f["name"])[0]
                         ["name"], "asked")
        self.assertEqual(len(self.ok_json("feed", "list")), 3)
        rc, out, err = self.store.cli("feed", "run", "no-such-feed")
        self.assertNotEqual(rc, 0)


class FeedApi(FeedCase):
    """/api/v1/feeds and /api/v1/feeds/{name}/run. The API names local
    files only below feed_root: here the temporary directory the stores
    live in."""

    SERVER = True
    SERVER_ENV = {"CIRTKIT_FEED_ROOT": tempfile.gettempdir()}

    def test_local_files_below_feed_root_only(self):
        for key, where in (("file", "/etc/hostname"), ("dir", "/etc"),
                           ("maildir", "/root")):
            r = self.admin.post("/api/v1/feeds", {"name": uniq("outside-"),
                                                  "parser": "csv", key: where})
            self.assertError(r, 403, "forbidden", field=key)
        r = self.admin.post("/api/v1/feeds", {
            "name": uniq("escape-"), "parser": "csv",
            "file": os.path.join(tempfile.gettempdir(), "..", "etc", "hostname")})
        self.assertError(r, 403, "forbidden", field="file")
        # the command line, run by the machine's own user, may
        rc, out, err = self.store.cli("feed", "add", uniq("cli-"), "--parser",
                                      "csv", "--file", "/etc/hostname")
        self.assertEqual(rc, 0, err)

    def test_feeds_api(self):
        path = ntp_file(self.store.path("api", "2024-05-01-scan_ntp-api.csv"),
                        ["198.18.30.1", "198.18.30.2"])
        r = self.admin.post("/api/v1/feeds", {"name": "api-feed", "parser": "shadowserver",
                                              "file": path, "tlp": "green",
                                              "class": "vulnerable", "every": "6h"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["name"], r.json["collector"], r.json["tlp"],
                          r.json["every_s"]), ("api-feed", "file", "green", 21600))
        r = self.admin.post("/api/v1/feeds", {"name": "api-feed", "parser": "shadowserver",
                                              "file": path})
        self.assertError(r, 409, "conflict", field="name")
        r = self.admin.post("/api/v1/feeds", {"name": "api-bad", "parser": "nope",
                                              "file": path})
        self.assertError(r, 400, "invalid", field="parser")
        _, analyst = self.user_client("analyst")
        _, constituent = self.user_client("constituent")
        _, partner = self.user_client("partner")
        self.assertError(analyst.post("/api/v1/feeds", {"name": "by-analyst",
                                                        "parser": "csv", "file": path}),
                         403, "forbidden")
        for c in (constituent, partner):
            self.assertError(c.get("/api/v1/feeds"), 403, "forbidden")
            self.assertError(c.post("/api/v1/feeds/api-feed/run"), 403, "forbidden")
        r = analyst.post("/api/v1/feeds/api-feed/run", query={"dry_run": "true"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["events"], 2, r.json)
        self.assertEqual(self.count_events(), 0)
        r = analyst.post("/api/v1/feeds/api-feed/run")
        self.assertEqual(r.status, 200, r)
        self.assertReport(r.json, feed="api-feed", status="ok", records=2, stored=2)
        evs = self.events("--feed", "api-feed")
        self.assertEqual({e["tlp"] for e in evs}, {"green"})
        r = self.admin.get("/api/v1/feeds/api-feed")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["name"], "api-feed")
        listed = analyst.get("/api/v1/feeds").json["items"]
        self.assertEqual([f["name"] for f in listed], ["api-feed"])
        self.assertEqual(listed[0]["last_run"]["status"], "ok")
        self.assertEqual(self.admin.get("/api/v1/feeds/none").status, 404)
        self.assertEqual(self.admin.post("/api/v1/feeds/none/run").status, 404)
