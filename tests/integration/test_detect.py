# SPDX-License-Identifier: Apache-2.0
#
# Detection end to end (src/detect/detect.h, logread.h, matcher.h):
# `cirtkit match`, `cirtkit indicators` and /api/v1/detect/*.
#
#  - every log format with a line written here in its real layout (Zeek
#    TSV conn, dns, http, files and smtp with the whole header block, Zeek
#    JSON, Suricata EVE dns, http, tls and fileinfo, the BIND 9 query log,
#    Squid's native access.log, CSV with a field map), each matched
#    against an indicator file and read the same with --format auto;
#    gzip input, standard input ("-" and no file);
#  - each indicator kind through the command line: IPv4, IPv6 written
#    another way, IPv4-mapped IPv6, CIDR edges, domain names with their
#    subdomains, a trailing dot and any case, URL normalisation, MD5,
#    SHA-1 and SHA-256, e-mail addresses;
#  - malformed lines counted and reported, never fatal;
#  - the store's STIX indicators: simple, OR, FOLLOWEDBY (uncompilable,
#    with its reason), expired, not yet valid, revoked by a newer version,
#    TLP:RED (refused on import); Sightings that grow from run to run,
#    events routed to the constituent and one incident from the shipped
#    rule "detection";
#  - the allow-lists: special ranges, detect_allow_networks (which holds
#    the team's own networks), the popular domains file, and the report
#    of what they left out;
#  - feed events as indicators ("event:N");
#  - --watch DIR, with an indicator file and with the store;
#  - the server: the report, matches of a posted log, a new indicator
#    matched within seconds without a restart, TLP ceilings, roles, store
#    flag, query parameter limits and the upload limit.
#
# Documentation addresses are in the special-purpose ranges, which the
# allow-list drops by default: the tests that match them say
# --keep-special (or CIRTKIT_DETECT_ALLOW_SPECIAL=false for `serve` and
# `indicators`).
import datetime
import gzip
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import uuid

import harness
from harness import CirtTestCase, run_cli, uniq

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))

SUMMARY_RE = re.compile(r"^summary: (\d+) lines read, (\d+) lines/s, (\d+) "
                        r"matches, (\d+) malformed$", re.M)
COMPILED_RE = re.compile(r"^indicators: (\d+) compiled in [0-9.]+ s, (\d+) "
                         r"bytes, (\d+) dropped$", re.M)
RECORDED_RE = re.compile(r"^recorded: (\d+) sightings, (\d+) events, (\d+) "
                         r"incidents$", re.M)
MALFORMED_RE = re.compile(r"^malformed: line (\d+): (.+)$", re.M)
MATCH_KEYS = {"time", "source", "line", "field", "kind", "value",
              "matched_as", "indicators", "tlp", "confidence"}

TLP2 = {
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

# 2026-01-01T00:00:00Z
T2026 = 1767225600


# ---- helpers ----

def write(path, data):
    if isinstance(data, str):
        data = data.encode()
    with open(path, "wb") as f:
        f.write(data)
    return path


def stix_time(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def iso_ms(epoch):
    """An epoch time as the match lines write it."""
    dt = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    return stix_time(dt)


def indicator(pattern, oid=None, days_old=2, valid_from=None, **extra):
    """A STIX 2.1 indicator created days_old days ago, valid from then."""
    created = stix_time(utcnow() - datetime.timedelta(days=days_old))
    o = {"type": "indicator", "spec_version": "2.1",
         "id": oid or "indicator--%s" % uuid.uuid4(),
         "created": created, "modified": created,
         "name": "detect test", "pattern": pattern, "pattern_type": "stix",
         "valid_from": valid_from or created}
    o.update(extra)
    return o


def bundle(*objs):
    return json.dumps({"type": "bundle", "id": "bundle--%s" % uuid.uuid4(),
                       "objects": list(objs)})


def parse_matches(out):
    lines = [l for l in out.splitlines() if l.strip()]
    return [json.loads(l) for l in lines]


def summary(err):
    m = SUMMARY_RE.search(err)
    assert m, "no summary line in:\n%s" % err
    return {"lines": int(m.group(1)), "matches": int(m.group(3)),
            "malformed": int(m.group(4))}


def recorded(err):
    m = RECORDED_RE.search(err)
    assert m, "no recorded line in:\n%s" % err
    return {"sightings": int(m.group(1)), "events": int(m.group(2)),
            "incidents": int(m.group(3))}


# ---- log samples in their real layouts ----

ZEEK_HEAD = ("#separator \\x09\n"
             "#set_separator\t,\n"
             "#empty_field\t(empty)\n"
             "#unset_field\t-\n"
             "#path\t%s\n"
             "#open\t2026-01-01-00-00-00\n"
             "#fields\t%s\n"
             "#types\t%s\n")
ZEEK_CLOSE = "#close\t2026-01-01-00-10-00\n"
ZEEK_FIRST = 9  # the line number of the first record

ZEEK_LOGS = {
    "conn": (
        "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service "
        "duration orig_bytes resp_bytes conn_state local_orig local_resp "
        "missed_bytes history orig_pkts orig_ip_bytes resp_pkts "
        "resp_ip_bytes tunnel_parents",
        "time string addr port addr port enum string interval count count "
        "string bool bool count string count count count count set[string]"),
    "dns": (
        "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto trans_id rtt "
        "query qclass qclass_name qtype qtype_name rcode rcode_name AA TC RD "
        "RA Z answers TTLs rejected",
        "time string addr port addr port enum count interval string count "
        "string count string count string bool bool bool bool count "
        "vector[string] vector[interval] bool"),
    "http": (
        "ts uid id.orig_h id.orig_p id.resp_h id.resp_p trans_depth method "
        "host uri referrer version user_agent origin request_body_len "
        "response_body_len status_code status_msg info_code info_msg tags "
        "username password proxied orig_fuids orig_filenames "
        "orig_mime_types resp_fuids resp_filenames resp_mime_types",
        "time string addr port addr port count string string string string "
        "string string string count count count string count string "
        "set[enum] string string set[string] vector[string] vector[string] "
        "vector[string] vector[string] vector[string] vector[string]"),
    "files": (
        "ts fuid tx_hosts rx_hosts conn_uids source depth analyzers "
        "mime_type filename duration local_orig is_orig seen_bytes "
        "total_bytes missing_bytes overflow_bytes timedout parent_fuid md5 "
        "sha1 sha256 extracted extracted_cutoff extracted_size",
        "time string set[addr] set[addr] set[string] string count "
        "set[string] string string interval bool bool count count count "
        "count bool string string string string string bool count"),
    "smtp": (
        "ts uid id.orig_h id.orig_p id.resp_h id.resp_p trans_depth helo "
        "mailfrom rcptto date from to cc reply_to msg_id in_reply_to "
        "subject x_originating_ip first_received second_received "
        "last_reply path user_agent tls fuids",
        "time string addr port addr port count string string set[string] "
        "string string set[string] set[string] string string string string "
        "addr string string string vector[addr] string bool vector[string]"),
}


def zeek(log, *rows):
    """A Zeek TSV log with Zeek's whole header block; rows are lists."""
    fields, types = ZEEK_LOGS[log]
    fields, types = fields.split(), types.split()
    text = ZEEK_HEAD % (log, "\t".join(fields), "\t".join(types))
    for r in rows:
        assert len(r) == len(fields), (log, len(r), len(fields))
        text += "\t".join(r) + "\n"
    return text + ZEEK_CLOSE


def conn_row(ts, orig, resp, port="443"):
    return [ts, "CmES5u32sYpV7JYN1", orig, "49152", resp, port, "tcp", "ssl",
            "1.250000", "517", "3800", "SF", "-", "-", "0", "ShADadFf", "12",
            "1149", "10", "4320", "(empty)"]


def dns_row(ts, query, answers):
    return [ts, "C8blOJ21azwJ8cRh4", "192.0.2.10", "53530", "192.0.2.53",
            "53", "udp", "4242", "0.012000", query, "1", "C_INTERNET", "1",
            "A", "0", "NOERROR", "F", "F", "T", "T", "0", answers,
            ",".join(["300.000000"] * len(answers.split(","))), "F"]


def http_row(ts, host, uri):
    return [ts, "CHhAvVGS1DHFjwGM9", "192.0.2.10", "50000", "192.0.2.80",
            "80", "1", "GET", host, uri, "-", "1.1", "Mozilla/5.0", "-", "0",
            "1024", "200", "OK", "-", "-", "(empty)", "-", "-", "-", "-",
            "-", "-", "FhEaf31hH0lK2u3iWf", "-", "application/x-dosexec"]


def files_row(ts, md5="-", sha1="-", sha256="-"):
    return [ts, "FhEaf31hH0lK2u3iWf", "192.0.2.80", "192.0.2.10",
            "CHhAvVGS1DHFjwGM9", "HTTP", "0", "MD5,SHA1,SHA256",
            "application/x-dosexec", "payload.exe", "0.010000", "-", "F",
            "1024", "1024", "0", "0", "F", "-", md5, sha1, sha256, "-", "-",
            "-"]


def smtp_row(ts, mailfrom, rcptto):
    return [ts, "CmES5u32sYpV7JYN2", "192.0.2.25", "49200", "192.0.2.26",
            "25", "1", "mail.example.org", mailfrom, rcptto,
            "Thu, 01 Jan 2026 00:00:04 +0000", "Sender <s@example.org>",
            "<alice@example.com>", "(empty)", "-", "<m1@example.org>", "-",
            "Invoice", "-", "-", "-", "250 2.0.0 Ok: queued",
            "192.0.2.26,192.0.2.25", "-", "F", "(empty)"]


def eve(event_type, ts, src, dest, sport, dport, proto, **body):
    o = {"timestamp": ts, "flow_id": 1234567890123456, "in_iface": "eth0",
         "event_type": event_type, "src_ip": src, "src_port": sport,
         "dest_ip": dest, "dest_port": dport, "proto": proto}
    o.update(body)
    return json.dumps(o, separators=(",", ":"))


EVE_DNS = eve("dns", "2026-01-01T00:00:10.250000+0000", "192.0.2.53",
              "192.0.2.10", 53, 53530, "UDP",
              dns={"version": 2, "type": "answer", "id": 4242,
                   "flags": "8180", "qr": True, "rd": True, "ra": True,
                   "opcode": 0, "rrname": "www.evil.example.com",
                   "rrtype": "A", "rcode": "NOERROR",
                   "answers": [{"rrname": "www.evil.example.com",
                                "rrtype": "A", "ttl": 300,
                                "rdata": "203.0.113.5"}],
                   "grouped": {"A": ["203.0.113.5"]}})
EVE_HTTP = eve("http", "2026-01-01T01:00:11.000000+0100", "192.0.2.10",
               "192.0.2.80", 50000, 80, "TCP", tx_id=0,
               http={"hostname": "bad.example.net",
                     "url": "/x/payload.exe",
                     "http_user_agent": "Mozilla/5.0",
                     "http_content_type": "application/x-dosexec",
                     "http_method": "GET", "protocol": "HTTP/1.1",
                     "status": 200, "length": 1024})
EVE_TLS = eve("tls", "2026-01-01T00:00:12.000000+0000", "192.0.2.10",
              "192.0.2.81", 50001, 443, "TCP",
              tls={"subject": "CN=c2.evil.example.com",
                   "issuerdn": "C=US, O=Example CA, CN=Example CA R1",
                   "serial": "04:A1:B2", "fingerprint": "ab:cd:ef:01",
                   "sni": "c2.evil.example.com", "version": "TLS 1.3",
                   "notbefore": "2025-12-01T00:00:00",
                   "notafter": "2026-03-01T00:00:00",
                   "ja3": {"hash": "e7d705a3286e19ea42f587b344ee6865"}})
MD5 = "44d88612fea8a8f36de82e1278abb02f"
SHA1 = "3395856ce81f2b7382dee72602f798b642f14140"
SHA256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
EVE_FILEINFO = eve("fileinfo", "2026-01-01T00:00:13.000000+0000",
                   "192.0.2.80", "192.0.2.10", 80, 50000, "TCP",
                   http={"hostname": "files.example.org",
                         "url": "/payload.exe", "http_method": "GET",
                         "status": 200},
                   app_proto="http",
                   fileinfo={"filename": "/payload.exe", "magic": "PE32",
                             "gaps": False, "state": "CLOSED",
                             "md5": MD5, "sha1": SHA1, "sha256": SHA256,
                             "stored": False, "size": 1024, "tx_id": 0})
BIND_LINE = ("01-Jan-2026 00:00:05.123 queries: info: client @0x7f8a1c012345 "
             "192.0.2.10#53530 (www.evil.example.com): query: "
             "www.evil.example.com IN A +E(0)K (192.0.2.53)")
SQUID_LINE = ("1767225606.789    120 192.0.2.10 TCP_MISS/200 4120 GET "
              "http://www.evil.example.com/dl/file.bin - "
              "HIER_DIRECT/192.0.2.99 application/octet-stream")
ZEEK_JSON_DNS = json.dumps({
    "ts": 1767225601.5, "uid": "C8blOJ21azwJ8cRh4",
    "id.orig_h": "192.0.2.10", "id.orig_p": 53530,
    "id.resp_h": "192.0.2.53", "id.resp_p": 53, "proto": "udp",
    "trans_id": 4242, "rtt": 0.012, "query": "www.evil.example.com",
    "qclass": 1, "qclass_name": "C_INTERNET", "qtype": 1, "qtype_name": "A",
    "rcode": 0, "rcode_name": "NOERROR", "AA": False, "TC": False,
    "RD": True, "RA": True, "Z": 0, "answers": ["203.0.113.5"],
    "TTLs": [300.0], "rejected": False}, separators=(",", ":"))
ZEEK_JSON_CONN = json.dumps({
    "ts": 1767225602.25, "uid": "CmES5u32sYpV7JYN1",
    "id.orig_h": "192.0.2.10", "id.orig_p": 49152,
    "id.resp_h": "198.51.100.7", "id.resp_p": 443, "proto": "tcp",
    "service": "ssl", "duration": 1.25, "orig_bytes": 517,
    "resp_bytes": 3800, "conn_state": "SF", "missed_bytes": 0,
    "history": "ShADadFf", "orig_pkts": 12, "orig_ip_bytes": 1149,
    "resp_pkts": 10, "resp_ip_bytes": 4320}, separators=(",", ":"))

# The indicator file most format tests use: line numbers are what the
# matches name ("line:N").
INDICATORS = """# detection test indicators
198.51.100.7
evil.example.com
203.0.113.5
http://bad.example.net/x/payload.exe
%s
%s
%s
bad@example.org
""" % (MD5, SHA1.upper(), SHA256)
LINE_IP, LINE_DOMAIN, LINE_ANSWER, LINE_URL = "line:2", "line:3", "line:4", "line:5"
LINE_MD5, LINE_SHA1, LINE_SHA256, LINE_EMAIL = "line:6", "line:7", "line:8", "line:9"


class FileCase(unittest.TestCase):
    """`cirtkit match` with --indicators FILE: no store."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="cirt-detect-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)

    def path(self, name):
        return os.path.join(self.tmp, uniq("f") + "-" + name)

    def indicators(self, text=INDICATORS):
        return write(self.path("ioc.txt"), text)

    def log(self, text, name="log", gz=False):
        data = text.encode() if isinstance(text, str) else text
        if gz:
            data = gzip.compress(data)
        return write(self.path(name), data)

    def match(self, *args, ind=None, input=None, rc=0, keep_special=True,
              env=None):
        """`cirtkit match --indicators IND ...`: (matches, stderr)."""
        cmd = ["match", "--indicators", ind or self.indicators()]
        if keep_special:
            cmd.append("--keep-special")
        got, out, err = run_cli(cmd + list(args), input=input, env=env)
        self.assertEqual(got, rc, "cirtkit %s: exit %d\n%s%s" % (
            " ".join(cmd + list(args)), got, out, err))
        return parse_matches(out), err

    def assertMatch(self, m, **want):
        self.assertEqual(set(m), MATCH_KEYS, m)
        got = {k: m[k] for k in want}
        self.assertEqual(got, want, m)


class Formats(FileCase):
    """One real line of each format, named or guessed."""

    def both(self, fmt, path, **kw):
        """Match with --format fmt and with the format guessed: the same
        matches (auto for every format but csv)."""
        named, err = self.match("--format", fmt, path, **kw)
        if fmt != "csv":
            guessed, err2 = self.match(path, **kw)
            self.assertEqual(guessed, named)
        return named, err

    def test_zeek_conn(self):
        path = self.log(zeek("conn",
                             conn_row("%d.123456" % T2026, "192.0.2.10",
                                      "198.51.100.7"),
                             conn_row("%d.2" % (T2026 + 1), "192.0.2.10",
                                      "198.51.100.8")), "conn.log")
        ms, err = self.both("zeek", path)
        self.assertEqual(len(ms), 1, ms)
        self.assertMatch(ms[0], time="2026-01-01T00:00:00.123Z", source=path,
                         line=ZEEK_FIRST, field="id.resp_h", kind="ip",
                         value="198.51.100.7", matched_as="value",
                         indicators=[LINE_IP], tlp="amber", confidence=None)
        # 11 lines: 8 of header, 2 records, #close.
        self.assertEqual(summary(err), {"lines": 11, "matches": 1,
                                        "malformed": 0})
        m = COMPILED_RE.search(err)
        self.assertTrue(m, err)
        self.assertEqual(int(m.group(1)), 8)
        self.assertNotIn("recorded:", err)

    def test_zeek_dns(self):
        path = self.log(zeek("dns", dns_row("%d.000000" % (T2026 + 1),
                                            "www.evil.example.com",
                                            "192.0.2.99,203.0.113.5")),
                        "dns.log")
        ms, err = self.both("zeek", path)
        self.assertEqual(len(ms), 2, ms)
        self.assertMatch(ms[0], line=ZEEK_FIRST, field="query", kind="domain",
                         value="www.evil.example.com", matched_as="value",
                         indicators=[LINE_DOMAIN],
                         time="2026-01-01T00:00:01.000Z")
        self.assertMatch(ms[1], line=ZEEK_FIRST, field="answers", kind="ip",
                         value="203.0.113.5", indicators=[LINE_ANSWER])

    def test_zeek_http(self):
        path = self.log(zeek("http", http_row("%d.5" % (T2026 + 2),
                                              "bad.example.net",
                                              "/x/payload.exe"),
                             http_row("%d.6" % (T2026 + 2), "bad.example.net",
                                      "/x/other.exe")), "http.log")
        ms, err = self.both("zeek", path)
        self.assertEqual(len(ms), 1, ms)
        self.assertMatch(ms[0], line=ZEEK_FIRST, field="url", kind="url",
                         value="http://bad.example.net/x/payload.exe",
                         matched_as="value", indicators=[LINE_URL],
                         time="2026-01-01T00:00:02.500Z")

    def test_zeek_json(self):
        path = self.log(ZEEK_JSON_DNS + "\n" + ZEEK_JSON_CONN + "\n",
                        "dns.json")
        ms, err = self.both("zeek-json", path)
        got = [(m["line"], m["field"], m["value"], m["indicators"])
               for m in ms]
        self.assertEqual(got, [
            (1, "query", "www.evil.example.com", [LINE_DOMAIN]),
            (1, "answers", "203.0.113.5", [LINE_ANSWER]),
            (2, "id.resp_h", "198.51.100.7", [LINE_IP]),
        ])
        self.assertEqual(ms[0]["time"], "2026-01-01T00:00:01.500Z")
        self.assertEqual(ms[2]["time"], "2026-01-01T00:00:02.250Z")
        self.assertEqual(summary(err)["malformed"], 0)

    def test_eve_dns(self):
        ms, err = self.both("eve", self.log(EVE_DNS + "\n", "eve.json"))
        got = [(m["field"], m["kind"], m["value"], m["indicators"])
               for m in ms]
        # The v2 answer names the address twice (answers and grouped): one
        # indicator is reported once per line.
        self.assertEqual(got, [
            ("dns.rrname", "domain", "www.evil.example.com", [LINE_DOMAIN]),
            ("dns.answers[].rdata", "ip", "203.0.113.5", [LINE_ANSWER]),
        ])
        self.assertEqual(ms[0]["time"], "2026-01-01T00:00:10.250Z")

    def test_eve_dns_v3_and_alert(self):
        v3 = eve("dns", "2026-01-01T00:00:14.000000+0000", "192.0.2.10",
                 "192.0.2.53", 53531, 53, "UDP",
                 dns={"version": 3, "type": "request", "tx_id": 0,
                      "id": 777, "flags": "0100", "rd": True, "opcode": 0,
                      "queries": [{"rrname": "c2.evil.example.com",
                                   "rrtype": "A"}]})
        alert = eve("alert", "2026-01-01T00:00:15.000000+0000", "192.0.2.10",
                    "192.0.2.80", 50002, 80, "TCP", tx_id=0,
                    alert={"action": "allowed", "gid": 1,
                           "signature_id": 2024000, "rev": 3,
                           "signature": "ET MALWARE Test", "category":
                           "A Network Trojan was detected", "severity": 1},
                    http={"hostname": "bad.example.net",
                          "url": "/x/payload.exe", "http_method": "GET",
                          "status": 200, "length": 1024},
                    app_proto="http")
        # CRLF line ends, as a log copied from Windows has.
        ms, err = self.both("eve", self.log(v3 + "\r\n" + alert + "\r\n"))
        got = [(m["line"], m["field"], m["value"], m["indicators"])
               for m in ms]
        self.assertEqual(got, [
            (1, "dns.queries[].rrname", "c2.evil.example.com",
             [LINE_DOMAIN]),
            (2, "http.url", "http://bad.example.net/x/payload.exe",
             [LINE_URL]),
        ])
        self.assertEqual(summary(err)["malformed"], 0)

    def test_eve_http(self):
        ms, err = self.both("eve", self.log(EVE_HTTP + "\n", "eve.json"))
        self.assertEqual(len(ms), 1, ms)
        # The time is given at +01:00: the match says UTC.
        self.assertMatch(ms[0], time="2026-01-01T00:00:11.000Z", line=1,
                         field="http.url", kind="url",
                         value="http://bad.example.net/x/payload.exe",
                         matched_as="value", indicators=[LINE_URL])

    def test_eve_tls(self):
        ms, err = self.both("eve", self.log(EVE_TLS + "\n", "eve.json"))
        self.assertEqual(len(ms), 1, ms)
        self.assertMatch(ms[0], field="tls.sni", kind="domain",
                         value="c2.evil.example.com", indicators=[LINE_DOMAIN])

    def test_eve_fileinfo(self):
        ms, err = self.both("eve", self.log(EVE_FILEINFO + "\n", "eve.json"))
        got = sorted((m["field"], m["kind"], m["value"], m["indicators"])
                     for m in ms)
        self.assertEqual(got, [
            ("fileinfo.md5", "md5", MD5, [LINE_MD5]),
            ("fileinfo.sha1", "sha1", SHA1, [LINE_SHA1]),
            ("fileinfo.sha256", "sha256", SHA256, [LINE_SHA256]),
        ])

    def test_bind(self):
        path = self.log("%s\n" % BIND_LINE, "query.log")
        ms, err = self.both("bind", path)
        self.assertEqual(len(ms), 1, ms)
        self.assertMatch(ms[0], time="2026-01-01T00:00:05.123Z", line=1,
                         field="query", kind="domain",
                         value="www.evil.example.com", matched_as="value",
                         indicators=[LINE_DOMAIN])

    def test_bind_syslog_prefix_and_view(self):
        line = ("Jan  1 00:00:05 ns1 named[812]: client @0x7f8a1c012345 "
                "192.0.2.10#53530 (c2.evil.example.com): view internal: "
                "query: c2.evil.example.com IN AAAA +E(0)K (192.0.2.53)")
        ms, err = self.match("--format", "bind", self.log(line + "\n"))
        self.assertEqual([(m["field"], m["value"]) for m in ms],
                         [("query", "c2.evil.example.com")])

    def test_squid_url_host_listed_as_domain(self):
        path = self.log(SQUID_LINE + "\n", "access.log")
        ms, err = self.both("squid", path)
        self.assertEqual(len(ms), 1, ms)
        self.assertMatch(ms[0], time="2026-01-01T00:00:06.789Z", line=1,
                         field="url", kind="url",
                         value="www.evil.example.com", matched_as="host",
                         indicators=[LINE_DOMAIN])

    def test_squid_connect_and_peer(self):
        text = ("1767225607.000      5 192.0.2.10 TCP_TUNNEL/200 5120 CONNECT "
                "c2.evil.example.com:443 - HIER_DIRECT/198.51.100.7 -\n")
        ms, err = self.match("--format", "squid", self.log(text))
        got = sorted((m["field"], m["value"], m["indicators"][0]) for m in ms)
        self.assertEqual(got, [("peer", "198.51.100.7", LINE_IP),
                               ("url", "c2.evil.example.com", LINE_DOMAIN)])

    def test_csv_with_fields(self):
        text = ("timestamp,src,dst,qname,note\n"
                "2026-01-01T00:00:07Z,192.0.2.10,198.51.100.7,"
                "www.example.org,\"a, quoted note\"\n"
                "2026-01-01T00:00:08Z,192.0.2.10,192.0.2.1,"
                "www.evil.example.com,plain\n")
        path = self.log(text, "log.csv")
        ms, err = self.match("--format", "csv", "--fields",
                             "timestamp=time,src=ip,dst=ip,qname=domain",
                             path)
        got = [(m["line"], m["field"], m["kind"], m["value"], m["time"],
                m["indicators"]) for m in ms]
        self.assertEqual(got, [
            (2, "dst", "ip", "198.51.100.7", "2026-01-01T00:00:07.000Z",
             [LINE_IP]),
            (3, "qname", "domain", "www.evil.example.com",
             "2026-01-01T00:00:08.000Z", [LINE_DOMAIN]),
        ])

    def test_csv_needs_a_map_and_its_format(self):
        text = "src,dst\n192.0.2.10,198.51.100.7\n"
        path = self.log(text, "log.csv")
        # No map: csv cannot be read.
        got, out, err = run_cli(["match", "--indicators", self.indicators(),
                                 "--format", "csv", path])
        self.assertEqual(got, 1, err)
        self.assertIn("fields", err)
        # A CSV's header is no format's first line.
        got, out, err = run_cli(["match", "--indicators", self.indicators(),
                                 "--fields", "dst=ip", path])
        self.assertEqual(got, 1, err)
        self.assertIn("--format", err)
        # A map naming a column the header lacks.
        got, out, err = run_cli(["match", "--indicators", self.indicators(),
                                 "--format", "csv", "--fields", "nope=ip",
                                 path])
        self.assertEqual(got, 1, err)
        self.assertIn("nope", err)
        # By column number.
        ms, err = self.match("--format", "csv", "--fields", "2=ip", path)
        self.assertEqual([(m["field"], m["value"]) for m in ms],
                         [("2", "198.51.100.7")])

    def test_bad_format_and_fields(self):
        got, out, err = run_cli(["match", "--indicators", self.indicators(),
                                 "--format", "syslog", "/dev/null"])
        self.assertEqual(got, 2, err)
        self.assertIn("--format", err)
        for bad in ("dst", "dst=colour", "a=ip,,b=ip", "a=ip,a=domain"):
            with self.subTest(fields=bad):
                got, out, err = run_cli(["match", "--indicators",
                                         self.indicators(), "--fields", bad,
                                         "/dev/null"])
                self.assertEqual(got, 1, err)
                self.assertIn("fields", err)

    def test_gzip(self):
        text = zeek("conn", conn_row("%d.0" % T2026, "192.0.2.10",
                                     "198.51.100.7"))
        path = self.log(text, "conn.log.gz", gz=True)
        ms, err = self.match(path)
        self.assertEqual([(m["line"], m["value"]) for m in ms],
                         [(ZEEK_FIRST, "198.51.100.7")])
        # Two files, one plain and one compressed, in one run.
        plain = self.log(SQUID_LINE + "\n", "access.log")
        ms, err = self.match(plain, path)
        self.assertEqual([m["source"] for m in ms], [plain, path])
        self.assertEqual(summary(err)["matches"], 2)

    def test_stdin(self):
        text = SQUID_LINE + "\n" + BIND_LINE + "\n"
        for args in (["-"], []):
            with self.subTest(args=args):
                ms, err = self.match(*args, input=SQUID_LINE + "\n")
                self.assertEqual(len(ms), 1, ms)
                self.assertMatch(ms[0], source="stdin", line=1,
                                 value="www.evil.example.com",
                                 matched_as="host")
        # Gzip on stdin too.
        ms, err = self.match("-", input=gzip.compress(
            zeek("dns", dns_row("%d.0" % T2026, "evil.example.com",
                                "-")).encode()))
        self.assertEqual([m["value"] for m in ms], ["evil.example.com"])
        # The first line decides the format: a BIND line after a Squid
        # one is malformed Squid.
        ms, err = self.match(input=text)
        self.assertEqual(summary(err)["malformed"], 1)

    def test_auto_detection_of_each_format(self):
        samples = {
            "zeek": zeek("dns", dns_row("%d.0" % T2026, "x.evil.example.com",
                                        "-")),
            "zeek-json": ZEEK_JSON_DNS + "\n",
            "eve": EVE_TLS + "\n",
            "bind": BIND_LINE + "\n",
            "squid": SQUID_LINE + "\n",
        }
        for fmt, text in samples.items():
            with self.subTest(format=fmt):
                ms, err = self.match(self.log(text, fmt))
                self.assertTrue(ms, "%s: nothing matched\n%s" % (fmt, err))
                self.assertEqual(summary(err)["malformed"], 0, err)
                # The wrong format named: nothing read as records.
                other = "squid" if fmt != "squid" else "bind"
                ms, err = self.match("--format", other, self.log(text, fmt))
                self.assertEqual(ms, [])

    def test_missing_file(self):
        got, out, err = run_cli(["match", "--indicators", self.indicators(),
                                 self.path("absent.log")])
        self.assertEqual(got, 1)
        self.assertIn("absent.log", err)
        self.assertTrue(SUMMARY_RE.search(err), err)
        got, out, err = run_cli(["match", "--indicators",
                                 self.path("absent.txt"), "/dev/null"])
        self.assertEqual(got, 1)
        self.assertIn("absent.txt", err)


class Kinds(FileCase):
    """Each kind of indicator, as logs write it."""

    def csv(self, *rows, kind="host"):
        """A one-column CSV of values read as kind."""
        text = "v\n" + "".join(r + "\n" for r in rows)
        return ["--format", "csv", "--fields", "v=%s" % kind,
                self.log(text, "kinds.csv")]

    def hits(self, ind_text, rows, kind="host"):
        """The values (by line, 2 on) that matched, with their ids."""
        ms, err = self.match(*self.csv(*rows, kind=kind),
                             ind=self.indicators(ind_text))
        self.assertEqual(summary(err)["malformed"], 0, err)
        return {(m["line"], m["value"], tuple(m["indicators"])) for m in ms}

    def test_ipv4_and_ipv6_notations(self):
        got = self.hits("198.51.100.7\n2001:db8::5\n",
                        ["198.51.100.7", "198.51.100.70",
                         "2001:0DB8:0000:0000:0000:0000:0000:0005",
                         "2001:db8:0:0::5", "2001:db8::6",
                         "::ffff:198.51.100.7"])
        self.assertEqual(got, {
            (2, "198.51.100.7", ("line:1",)),
            (4, "2001:0DB8:0000:0000:0000:0000:0000:0005", ("line:2",)),
            (5, "2001:db8:0:0::5", ("line:2",)),
            (7, "::ffff:198.51.100.7", ("line:1",)),
        })

    def test_indicator_written_another_way(self):
        got = self.hits("2001:DB8:0:0:0:0:0:5\n", ["2001:db8::5"])
        self.assertEqual(got, {(2, "2001:db8::5", ("line:1",))})

    def test_cidr_edges(self):
        got = self.hits("203.0.113.16/28\n2001:db8:1::/48\n",
                        ["203.0.113.15", "203.0.113.16", "203.0.113.31",
                         "203.0.113.32", "2001:db8:1::", "2001:db8:1:ffff::1",
                         "2001:db8:2::1", "2001:db8:0:ffff:ffff:ffff:ffff:ffff"])
        self.assertEqual(got, {
            (3, "203.0.113.16", ("line:1",)),
            (4, "203.0.113.31", ("line:1",)),
            (6, "2001:db8:1::", ("line:2",)),
            (7, "2001:db8:1:ffff::1", ("line:2",)),
        })

    def test_nested_ranges_and_address_all_named(self):
        got = self.hits("203.0.113.0/24\n203.0.113.64/26\n203.0.113.70\n",
                        ["203.0.113.70", "203.0.113.65", "203.0.113.1"])
        byline = {l: set(ids) for l, v, ids in got}
        self.assertEqual(byline, {2: {"line:1", "line:2", "line:3"},
                                  3: {"line:1", "line:2"},
                                  4: {"line:1"}})

    def test_domain_subdomains_dot_and_case(self):
        got = self.hits("Evil.Example.COM.\n",
                        ["evil.example.com", "WWW.EVIL.example.com.",
                         "a.b.evil.example.com", "notevil.example.com",
                         "example.com", "evil.example.com.invalid"],
                        kind="domain")
        self.assertEqual(got, {
            (2, "evil.example.com", ("line:1",)),
            (3, "WWW.EVIL.example.com.", ("line:1",)),
            (4, "a.b.evil.example.com", ("line:1",)),
        })

    def test_url_normalisation(self):
        got = self.hits("http://bad.example.net/x/payload.exe\n"
                        "HTTPS://Other.Example.NET:443\n",
                        ["HTTP://BAD.Example.NET:80/x/payload.exe",
                         "http://bad.example.net/x/payload.exe#frag",
                         "http://bad.example.net:8080/x/payload.exe",
                         "http://bad.example.net/X/payload.exe",
                         "https://bad.example.net/x/payload.exe",
                         "https://other.example.net/",
                         "https://other.example.net"],
                        kind="url")
        self.assertEqual(got, {
            (2, "HTTP://BAD.Example.NET:80/x/payload.exe", ("line:1",)),
            (3, "http://bad.example.net/x/payload.exe#frag", ("line:1",)),
            (7, "https://other.example.net/", ("line:2",)),
            (8, "https://other.example.net", ("line:2",)),
        })

    def test_url_host_as_address(self):
        ms, err = self.match(*self.csv("http://198.51.100.7:8080/gate.php",
                                       kind="url"))
        self.assertEqual(len(ms), 1, ms)
        self.assertMatch(ms[0], value="198.51.100.7", matched_as="host",
                         kind="url", indicators=[LINE_IP])

    def test_hashes_in_zeek_files_log(self):
        path = self.log(zeek("files",
                             files_row("%d.0" % T2026, md5=MD5.upper()),
                             files_row("%d.0" % T2026, sha1=SHA1),
                             files_row("%d.0" % T2026, sha256=SHA256),
                             files_row("%d.0" % T2026, md5="0" * 32,
                                       sha1="0" * 40, sha256="0" * 64)),
                        "files.log")
        ms, err = self.match(path)
        got = [(m["line"], m["field"], m["kind"], m["indicators"])
               for m in ms]
        self.assertEqual(got, [
            (ZEEK_FIRST, "md5", "md5", [LINE_MD5]),
            (ZEEK_FIRST + 1, "sha1", "sha1", [LINE_SHA1]),
            (ZEEK_FIRST + 2, "sha256", "sha256", [LINE_SHA256]),
        ])
        # tx_hosts is a set of addresses.
        ind = self.indicators("192.0.2.80\n")
        ms, err = self.match(path, ind=ind)
        self.assertEqual({(m["field"], m["value"]) for m in ms},
                         {("tx_hosts", "192.0.2.80")})

    def test_hash_kind_by_length_in_csv(self):
        ms, err = self.match(*self.csv(MD5, SHA1, SHA256, "abc", kind="hash"))
        self.assertEqual([(m["kind"], m["indicators"]) for m in ms],
                         [("md5", [LINE_MD5]), ("sha1", [LINE_SHA1]),
                          ("sha256", [LINE_SHA256])])

    def test_email_in_smtp_log(self):
        ind = self.indicators("bad@example.org\n<Bob@Example.COM>\n")
        path = self.log(zeek("smtp",
                             smtp_row("%d.0" % T2026, "<Bad@Example.ORG>",
                                      "<alice@example.com>"),
                             smtp_row("%d.0" % (T2026 + 1),
                                      "<alice@example.com>",
                                      "<carol@example.com>,<bob@example.com>"),
                             smtp_row("%d.0" % (T2026 + 2),
                                      "<notbad@example.org>", "(empty)")),
                        "smtp.log")
        ms, err = self.match(path, ind=ind)
        got = [(m["line"], m["field"], m["kind"], m["value"],
                m["indicators"]) for m in ms]
        self.assertEqual(got, [
            (ZEEK_FIRST, "mailfrom", "email", "<Bad@Example.ORG>",
             ["line:1"]),
            (ZEEK_FIRST + 1, "rcptto", "email", "<bob@example.com>",
             ["line:2"]),
        ])

    def test_one_value_many_indicators(self):
        ind = self.indicators("evil.example.com\nwww.evil.example.com\n"
                              "www.evil.example.com\n")
        ms, err = self.match(*self.csv("www.evil.example.com",
                                       kind="domain"), ind=ind)
        self.assertEqual(len(ms), 1, ms)
        self.assertEqual(set(ms[0]["indicators"]),
                         {"line:1", "line:2", "line:3"})

    def test_indicator_file_report(self):
        ind = self.indicators("# comment\n\n198.51.100.7\n"
                              "not..a..name\n203.0.113.0/24\n"
                              "http://bad.example.net/\n" + MD5 + "\n")
        env = {"CIRTKIT_DETECT_ALLOW_SPECIAL": "false"}
        got, out, err = run_cli(["indicators", "--indicators", ind,
                                 "--format", "json"], env=env)
        self.assertEqual(got, 0, err)
        r = json.loads(out)
        self.assertEqual(r["sources"], 4)
        self.assertEqual(r["ranges"], 1)
        self.assertEqual(r["by_kind"]["ip"], 2)
        self.assertEqual(r["by_kind"]["url"], 1)
        self.assertEqual(r["by_kind"]["md5"], 1)
        self.assertEqual(r["invalid_count"], 1)
        self.assertEqual(r["invalid"][0]["source"], "line:4")
        self.assertEqual(r["invalid"][0]["value"], "not..a..name")
        self.assertEqual(r["excluded_count"], 0)
        # The table says the same.
        got, out, err = run_cli(["indicators", "--indicators", ind], env=env)
        self.assertEqual(got, 0, err)
        self.assertIn('invalid line:4 "not..a..name"', out)


class Malformed(FileCase):

    def test_malformed_lines_counted_not_fatal(self):
        good = zeek("conn", conn_row("%d.0" % T2026, "192.0.2.10",
                                     "198.51.100.7")).splitlines()
        # A record with a column missing, after the first good one.
        bad = "\t".join(conn_row("%d.0" % T2026, "192.0.2.10",
                                 "198.51.100.7")[:-1])
        lines = good[:ZEEK_FIRST] + [bad] + good[ZEEK_FIRST - 1:]
        ms, err = self.match(self.log("\n".join(lines) + "\n"))
        self.assertEqual([m["line"] for m in ms], [ZEEK_FIRST, ZEEK_FIRST + 2])
        self.assertEqual(summary(err)["malformed"], 1)
        self.assertEqual(MALFORMED_RE.findall(err),
                         [(str(ZEEK_FIRST + 1),
                           "has 20 columns where #fields names 21")])

    def test_json_lines(self):
        text = "\n".join([
            EVE_TLS,
            "{\"event_type\": \"tls\", \"tls\": {\"sni\": ",  # truncated
            "not json at all",
            "[1, 2, 3]",
            EVE_TLS + " trailing",
            EVE_TLS,
        ]) + "\n"
        ms, err = self.match("--format", "eve", self.log(text))
        self.assertEqual([m["line"] for m in ms], [1, 6])
        s = summary(err)
        self.assertEqual((s["lines"], s["malformed"]), (6, 4))
        self.assertEqual([int(n) for n, _ in MALFORMED_RE.findall(err)],
                         [2, 3, 4, 5])

    def test_many_malformed_lines(self):
        text = SQUID_LINE + "\n" + "garbage line\n" * 25 + SQUID_LINE + "\n"
        ms, err = self.match(self.log(text))
        self.assertEqual([m["line"] for m in ms], [1, 27])
        self.assertEqual(summary(err)["malformed"], 25)
        found = MALFORMED_RE.findall(err)
        self.assertEqual(len(found), 10)  # the first ten are listed
        self.assertEqual([int(n) for n, _ in found], list(range(2, 12)))
        for _, why in found:
            self.assertIn("Squid", why)

    def test_bind_and_csv_malformed(self):
        text = BIND_LINE + "\nclient garbage\n" + BIND_LINE + "\n"
        ms, err = self.match("--format", "bind", self.log(text))
        self.assertEqual([m["line"] for m in ms], [1, 3])
        self.assertEqual(MALFORMED_RE.findall(err)[0][0], "2")
        text = "a,b\n192.0.2.1,198.51.100.7\nonly-one\n\"open,198.51.100.7\n"
        ms, err = self.match("--format", "csv", "--fields", "b=ip",
                             self.log(text))
        self.assertEqual([m["line"] for m in ms], [2])
        self.assertEqual(summary(err)["malformed"], 2)

    def test_binary_and_long_lines(self):
        data = (b"\x00\xff\xfe garbage\n" + b"x" * (1024 * 1024 + 10) + b"\n"
                + SQUID_LINE.encode() + b"\n")
        # The first line decides: name the format.
        ms, err = self.match("--format", "squid", self.log(data))
        self.assertEqual([m["line"] for m in ms], [3])
        self.assertEqual(summary(err)["malformed"], 2)
        self.assertIn("longer than", err)


class StoreCase(CirtTestCase):
    """Command-line helpers on the class's store."""

    SERVER = False

    def ok(self, *args, env=None, input=None):
        rc, out, err = self.store.cli(*args, env=env, input=input)
        self.assertEqual(rc, 0, "cirtkit %s: exit %d\n%s%s" % (
            " ".join(args), rc, out, err))
        return out, err

    def collection(self, alias=None):
        alias = alias or uniq("ioc")
        self.ok("collection", "add", "--root", "default", "--title",
                "Indicators " + alias, "--alias", alias, "--tlp-max",
                "amber+strict")
        return alias

    def import_(self, alias, text, rc=0):
        path = os.path.join(self.store.tmp, uniq("b") + ".json")
        write(path, text)
        got, out, err = self.store.cli("import", "--collection", alias, path)
        self.assertEqual(got, rc, "import: exit %d\n%s%s" % (got, out, err))
        return out

    def report(self, env=None):
        out, err = self.ok("indicators", "--format", "json", env=env)
        return json.loads(out)

    def smatch(self, *args, input=None, env=None, rc=0):
        """`cirtkit match --keep-special ARGS` on the store."""
        got, out, err = self.store.cli("match", "--keep-special", *args,
                                       input=input, env=env)
        self.assertEqual(got, rc, "match: exit %d\n%s%s" % (got, out, err))
        return parse_matches(out), err

    def log(self, text, name="log"):
        return write(os.path.join(self.store.tmp, uniq("l") + "-" + name),
                     text)

    def events(self, *filters):
        out, err = self.ok("event", "list", "--limit", "100000", "--format",
                           "json", *filters)
        return json.loads(out)

    def sightings(self):
        """Every version of every object of the sightings collection."""
        path = os.path.join(self.store.tmp, uniq("s") + ".json")
        rc, out, err = self.store.cli("export", "--collection", "sightings",
                                      "-o", path)
        if rc != 0:
            return []
        with open(path) as f:
            return json.load(f).get("objects", [])


def squid(epoch, client, url, peer="192.0.2.99"):
    return ("%.3f    120 %s TCP_MISS/200 4120 GET %s - HIER_DIRECT/%s "
            "text/html\n" % (epoch, client, url, peer))


class Stix(StoreCase):
    """Indicators from the store's STIX objects."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = utcnow()
        ids = {k: "indicator--%s" % uuid.uuid4() for k in (
            "simple", "or", "followedby", "expired", "notyet", "revoked",
            "red", "range", "hash", "email", "sql")}
        cls.ids = ids
        cls.objs = [
            indicator("[ipv4-addr:value = '198.51.100.20']", ids["simple"],
                      confidence=80, object_marking_refs=[TLP2["green"]]),
            indicator("[domain-name:value = 'or.evil.example.com'] OR "
                      "[url:value = 'http://or.example.net/gate'] OR "
                      "[ipv6-addr:value = '2001:db8::20']", ids["or"]),
            indicator("[ipv4-addr:value = '198.51.100.21'] FOLLOWEDBY "
                      "[ipv4-addr:value = '198.51.100.22']",
                      ids["followedby"]),
            indicator("[ipv4-addr:value = '198.51.100.23']", ids["expired"],
                      valid_until=stix_time(now - datetime.timedelta(hours=1))),
            indicator("[ipv4-addr:value = '198.51.100.24']", ids["notyet"],
                      valid_from=stix_time(now + datetime.timedelta(days=30))),
            indicator("[ipv4-addr:value = '198.51.100.25']", ids["revoked"]),
            indicator("[ipv4-addr:value = '198.51.100.26']", ids["red"],
                      object_marking_refs=[TLP2["red"]]),
            indicator("[ipv4-addr:value ISSUBSET '203.0.113.64/27']",
                      ids["range"]),
            indicator("[file:hashes.'SHA-256' = '%s']" % SHA256, ids["hash"],
                      confidence=50),
            indicator("[email-addr:value = 'phish@example.org']",
                      ids["email"]),
            indicator("[ipv4-addr:value = '198.51.100.27' AND "
                      "ipv4-addr:value = '198.51.100.28']", ids["sql"]),
        ]
        cls.alias = uniq("ioc")
        rc, out, err = cls.store.cli(
            "collection", "add", "--root", "default", "--title", "IOC",
            "--alias", cls.alias, "--tlp-max", "amber+strict")
        assert rc == 0, err
        path = cls.store.path("bundle.json")
        write(path, bundle(*cls.objs))
        rc, out, err = cls.store.cli("import", "--collection", cls.alias, path)
        # TLP:RED never enters a collection: that one is refused.
        assert rc == 1 and "1 refused" in out and ids["red"] in out, out + err
        cls.import_out = out
        rev = dict(cls.objs[5])
        rev["modified"] = stix_time(now - datetime.timedelta(days=1))
        rev["revoked"] = True
        write(path, json.dumps(rev))
        rc, out, err = cls.store.cli("import", "--collection", cls.alias, path)
        assert rc == 0, out + err

    def test_red_refused_on_import(self):
        self.assertIn("TLP:RED", self.import_out)
        self.assertIn("10 stored", self.import_out)

    def test_report(self):
        env = {"CIRTKIT_DETECT_ALLOW_SPECIAL": "false"}
        r = self.report(env=env)
        self.assertEqual(r["stix"], {"indicators": 10, "compiled": 5,
                                     "revoked": 1, "expired": 1,
                                     "not_yet_valid": 1, "uncompilable": 2})
        unc = {u["id"]: u["reason"] for u in r["uncompilable_list"]}
        self.assertEqual(set(unc), {self.ids["followedby"], self.ids["sql"]})
        self.assertIn("FOLLOWEDBY", unc[self.ids["followedby"]])
        self.assertEqual(r["uncompilable_count"], 2)
        # simple 1, or 3, range 1, hash 1, email 1
        self.assertEqual(r["sources"], 7)
        self.assertEqual(r["ranges"], 1)
        self.assertEqual(r["by_kind"], {"ip": 3, "domain": 1, "url": 1,
                                        "md5": 0, "sha1": 0, "sha256": 1,
                                        "email": 1})
        self.assertEqual(r["excluded_count"], 0)
        # Without that setting the documentation addresses are left out.
        r = self.report()
        self.assertEqual(r["excluded_by_reason"]["special-range"], 3)
        self.assertEqual({e["source"] for e in r["excluded"]},
                         {self.ids["simple"], self.ids["or"],
                          self.ids["range"]})
        # The OR keeps its name and URL; the address and the range alone
        # are left with nothing.
        self.assertEqual(r["stix"]["compiled"], 3)
        unc = {u["id"]: u["reason"] for u in r["uncompilable_list"]}
        self.assertEqual(set(unc), {self.ids["followedby"], self.ids["sql"],
                                    self.ids["simple"], self.ids["range"]})
        self.assertIn("left out", unc[self.ids["simple"]])

    def test_matches_name_the_right_ids(self):
        base = T2026 + 3600
        text = "".join([
            squid(base, "192.0.2.10", "http://or.example.net/gate",
                  "198.51.100.20"),
            squid(base + 1, "192.0.2.10", "http://x.or.evil.example.com/",
                  "198.51.100.21"),
            squid(base + 2, "192.0.2.10", "http://[2001:db8::20]/",
                  "198.51.100.23"),
            squid(base + 3, "192.0.2.10", "http://example.org/",
                  "198.51.100.24"),
            squid(base + 4, "192.0.2.10", "http://example.org/",
                  "198.51.100.25"),
            squid(base + 5, "192.0.2.10", "http://example.org/",
                  "203.0.113.95"),
            squid(base + 6, "192.0.2.10", "http://example.org/",
                  "198.51.100.26"),
        ])
        ms, err = self.smatch("--no-store", self.log(text, "access.log"))
        got = [(m["line"], m["field"], m["value"], m["indicators"], m["tlp"],
                m["confidence"]) for m in ms]
        self.assertEqual(got, [
            (1, "url", "http://or.example.net/gate", [self.ids["or"]],
             "amber", None),
            (1, "peer", "198.51.100.20", [self.ids["simple"]], "green", 80),
            (2, "url", "x.or.evil.example.com", [self.ids["or"]], "amber",
             None),
            (3, "url", "2001:db8::20", [self.ids["or"]], "amber", None),
            (6, "peer", "203.0.113.95", [self.ids["range"]], "amber", None),
        ])
        self.assertNotIn("recorded:", err)

    def test_sightings_events_and_one_incident(self):
        org = uniq("Ministry ")
        self.ok("constituent", "add", org, "--cidr", "192.0.2.0/26")
        t1 = T2026 + 86400 * 10
        text = (squid(t1, "192.0.2.11", "http://example.org/",
                      "198.51.100.20")
                + squid(t1 + 60, "192.0.2.12", "http://example.org/",
                        "198.51.100.20")
                + squid(t1 + 120, "192.0.2.200", "http://example.org/",
                        "203.0.113.70"))
        ms, err = self.smatch(self.log(text))
        self.assertEqual(len(ms), 3, ms)
        self.assertEqual(recorded(err), {"sightings": 2, "events": 3,
                                         "incidents": 1})
        evs = self.events("--feed", "detect")
        mine = [e for e in evs if e.get("constituent") == org]
        self.assertEqual(len(mine), 2, evs)
        for e in mine:
            self.assertEqual(e["classification.taxonomy"],
                             "intrusion-attempts")
            self.assertEqual(e["classification.type"], "ids-alert")
            self.assertEqual(e["classification.identifier"],
                             self.ids["simple"])
            self.assertEqual(e["destination.ip"], "198.51.100.20")
            self.assertIn(e["source.ip"], ("192.0.2.11", "192.0.2.12"))
            # The event has the TLP of the indicator it names.
            self.assertEqual(e["tlp"], "green")
            self.assertEqual(e["extra"]["field"], "peer")
            self.assertEqual(e["extra"]["local_field"], "client")
        # 192.0.2.200 is nobody's: that match goes to no constituent.
        other = [e for e in evs if e.get("destination.ip") == "203.0.113.70"]
        self.assertEqual(len(other), 1, evs)
        self.assertNotIn("constituent", other[0])

        def incidents():
            out, err = self.ok("incident", "list", "--format", "json")
            return [i for i in json.loads(out)
                    if any(c["org"] == org for c in i["constituents"])]

        inc = incidents()
        self.assertEqual(len(inc), 1, inc)
        self.assertEqual(inc[0]["class"], "intrusion-attempts:ids-alert")
        self.assertEqual(inc[0]["reporter"], {"kind": "feed",
                                              "name": "detection"})

        def sighting_of(ind):
            vs = [o for o in self.sightings() if o["type"] == "sighting"
                  and o["sighting_of_ref"] == ind]
            return sorted(vs, key=lambda o: o["modified"])

        vs = sighting_of(self.ids["simple"])
        self.assertEqual(len(vs), 1, vs)
        s1 = vs[-1]
        self.assertEqual(s1["count"], 2)
        self.assertEqual(s1["first_seen"], iso_ms(t1))
        self.assertEqual(s1["last_seen"], iso_ms(t1 + 60))
        self.assertEqual(s1["object_marking_refs"], [TLP2["green"]])
        idents = {o["id"]: o for o in self.sightings()
                  if o["type"] == "identity"}
        self.assertEqual(len(s1["where_sighted_refs"]), 1)
        self.assertEqual(idents[s1["where_sighted_refs"][0]]["name"], org)
        # The range's Sighting is the team's own (no constituent).
        vr = sighting_of(self.ids["range"])
        self.assertEqual(len(vr), 1, vr)
        self.assertNotEqual(vr[0]["where_sighted_refs"],
                            s1["where_sighted_refs"])

        # A second run, a day later in the log and earlier too: the
        # Sighting grows, a new version; events stored; no new incident.
        text = (squid(t1 + 86400, "192.0.2.13", "http://example.org/",
                      "198.51.100.20")
                + squid(t1 - 3600, "192.0.2.13", "http://example.org/",
                        "198.51.100.20"))
        ms, err = self.smatch(self.log(text))
        self.assertEqual(recorded(err), {"sightings": 1, "events": 2,
                                         "incidents": 0})
        vs = sighting_of(self.ids["simple"])
        self.assertEqual(len(vs), 2, vs)
        s2 = vs[-1]
        self.assertEqual(s2["id"], s1["id"])
        self.assertEqual(s2["created"], s1["created"])
        self.assertGreater(s2["modified"], s1["modified"])
        self.assertEqual(s2["count"], 4)
        self.assertEqual(s2["first_seen"], iso_ms(t1 - 3600))
        self.assertEqual(s2["last_seen"], iso_ms(t1 + 86400))
        self.assertEqual(len(incidents()), 1)
        self.assertEqual(
            len([e for e in self.events("--feed", "detect")
                 if e.get("constituent") == org]), 4)
        # The same log again: its events are duplicates, the Sighting
        # still counts what was seen.
        ms, err = self.smatch(self.log(text))
        self.assertEqual(recorded(err)["events"], 0)
        self.assertEqual(sighting_of(self.ids["simple"])[-1]["count"], 6)
        # Detection's own events are never indicators.
        r = self.report()
        self.assertEqual(r["events"], 0, r)

    def test_no_store_records_nothing(self):
        before = len(self.events())
        sightings = len(self.sightings())
        text = squid(T2026 + 7200, "192.0.2.14", "http://example.org/",
                     "198.51.100.20")
        ms, err = self.smatch("--no-store", "--quiet", self.log(text))
        self.assertEqual(ms, [])  # --quiet
        self.assertEqual(summary(err)["matches"], 1)
        self.assertNotIn("recorded:", err)
        self.assertEqual(len(self.events()), before)
        self.assertEqual(len(self.sightings()), sightings)
        # With --indicators nothing is recorded either.
        ind = write(self.store.path(uniq("i") + ".txt"), "198.51.100.20\n")
        ms, err = self.smatch("--indicators", ind, self.log(text))
        self.assertEqual(len(ms), 1)
        self.assertNotIn("recorded:", err)
        self.assertEqual(len(self.events()), before)

    def test_hash_and_email_from_stix(self):
        ms, err = self.smatch("--no-store", self.log(EVE_FILEINFO + "\n"))
        self.assertEqual([(m["field"], m["indicators"], m["confidence"])
                          for m in ms],
                         [("fileinfo.sha256", [self.ids["hash"]], 50)])
        path = self.log(zeek("smtp", smtp_row("%d.0" % T2026,
                                              "<PHISH@example.org>", "-")))
        ms, err = self.smatch("--no-store", path)
        self.assertEqual([(m["field"], m["indicators"]) for m in ms],
                         [("mailfrom", [self.ids["email"]])])

    def test_detect_collection_setting(self):
        alias = uniq("sight")
        env = {"CIRTKIT_DETECT_COLLECTION": alias}
        text = squid(T2026 + 9000, "192.0.2.15", "http://example.org/",
                     "198.51.100.20")
        ms, err = self.smatch(self.log(text), env=env)
        self.assertEqual(recorded(err)["sightings"], 1)
        out, err = self.ok("collection", "list", "--format", "json")
        got = [c for c in json.loads(out) if c["alias"] == alias]
        self.assertEqual(len(got), 1, out)
        out, err = self.ok("export", "--collection", alias)
        objs = json.loads(out)["objects"]
        self.assertEqual({o["type"] for o in objs}, {"identity", "sighting"})


class SightingsRefused(StoreCase):
    """A sightings collection whose TLP ceiling is below an indicator's."""

    def test_events_and_incident_despite_refused_sighting(self):
        # Made beforehand with the default ceiling, TLP:GREEN.
        self.ok("collection", "add", "--root", "default", "--title",
                "Sightings", "--alias", "sightings")
        alias = self.collection()
        oid = "indicator--%s" % uuid.uuid4()
        self.import_(alias, bundle(indicator(
            "[ipv4-addr:value = '198.51.100.50']", oid)))
        org = uniq("Office ")
        self.ok("constituent", "add", org, "--cidr", "192.0.2.0/24")
        ms, err = self.smatch(self.log(squid(T2026, "192.0.2.40",
                                             "http://example.org/",
                                             "198.51.100.50")), rc=1)
        self.assertEqual(len(ms), 1, ms)
        self.assertIn("refused", err)
        # Sightings, events and incidents are each committed on their own
        # (detect.h): the refused Sighting neither loses the event nor
        # keeps the rule from opening the incident.
        self.assertEqual(len([e for e in self.events("--feed", "detect")
                              if e.get("constituent") == org]), 1)
        out, _ = self.ok("incident", "list", "--format", "json")
        self.assertEqual(len([i for i in json.loads(out)
                              if any(c["org"] == org
                                     for c in i["constituents"])]), 1, err)


class AllowLists(StoreCase):
    """What the allow-lists leave out, and the report saying why."""

    def ind(self, text):
        return write(self.store.path(uniq("i") + ".txt"), text)

    def fmatch(self, ind, text, *args, env=None):
        """Match with an indicator file, without --keep-special."""
        rc, out, err = run_cli(["match", "--indicators", ind] + list(args)
                               + ["--format", "csv", "--fields", "v=host",
                                  self.log("v\n" + text)], env=env)
        self.assertEqual(rc, 0, err)
        return {m["value"] for m in parse_matches(out)}, err

    def file_report(self, ind, env=None):
        rc, out, err = run_cli(["indicators", "--indicators", ind,
                                "--format", "json"], env=env)
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    def test_special_ranges(self):
        ind = self.ind("10.1.2.3\n192.168.0.0/16\n198.51.100.7\n"
                       "2001:db8::1\n127.0.0.1\n::1\n100.64.0.1\n"
                       "192.16.238.101\n")
        text = ("10.1.2.3\n192.168.4.4\n198.51.100.7\n2001:db8::1\n"
                "127.0.0.1\n192.16.238.101\n")
        got, err = self.fmatch(ind, text)
        self.assertEqual(got, {"192.16.238.101"})
        m = COMPILED_RE.search(err)
        self.assertEqual((m.group(1), m.group(3)), ("1", "7"))
        got, err = self.fmatch(ind, text, "--keep-special")
        self.assertEqual(got, {"10.1.2.3", "192.168.4.4", "198.51.100.7",
                               "2001:db8::1", "127.0.0.1", "192.16.238.101"})
        r = self.file_report(ind)
        self.assertEqual(r["excluded_by_reason"]["special-range"], 7)
        self.assertEqual(r["excluded_count"], 7)
        self.assertEqual({(e["value"], e["reason"], e["source"])
                          for e in r["excluded"]},
                         {("10.1.2.3", "special-range", "line:1"),
                          ("192.168.0.0/16", "special-range", "line:2"),
                          ("198.51.100.7", "special-range", "line:3"),
                          ("2001:db8::1", "special-range", "line:4"),
                          ("127.0.0.1", "special-range", "line:5"),
                          ("::1", "special-range", "line:6"),
                          ("100.64.0.1", "special-range", "line:7")})
        # The setting does what the flag does.
        r = self.file_report(ind, env={"CIRTKIT_DETECT_ALLOW_SPECIAL":
                                       "false"})
        self.assertEqual(r["excluded_count"], 0)
        self.assertEqual(r["sources"], 8)

    def test_special_setting_for_match(self):
        # A setting from the environment holds unless a flag says
        # otherwise (docs/cli.md, Configuration): without --keep-special,
        # match keeps what detect_allow_special = false keeps.
        ind = self.ind("198.51.100.7\n")
        got, err = self.fmatch(ind, "198.51.100.7\n",
                               env={"CIRTKIT_DETECT_ALLOW_SPECIAL": "false"})
        self.assertEqual(got, {"198.51.100.7"}, err)

    def test_too_broad(self):
        ind = self.ind("64.0.0.0/7\n64.0.0.0/8\n2600::/31\n2600::/32\n"
                       "com\nco.uk\nexample.co.uk\n")
        r = self.file_report(ind)
        self.assertEqual({e["value"] for e in r["excluded"]
                          if e["reason"] == "too-broad"},
                         {"64.0.0.0/7", "2600::/31", "com", "co.uk"})
        self.assertEqual(r["sources"], 3)

    def test_allow_networks_setting(self):
        ind = self.ind("192.16.238.101\n192.16.238.0/25\n192.16.239.5\n"
                       "2a00:1450::1\n")
        env = {"CIRTKIT_DETECT_ALLOW_NETWORKS":
               "192.16.238.0/24, 2a00:1450::/32"}
        got, err = self.fmatch(ind, "192.16.238.101\n192.16.239.5\n"
                               "2a00:1450::1\n", env=env)
        self.assertEqual(got, {"192.16.239.5"})
        r = self.file_report(ind, env=env)
        self.assertEqual(r["excluded_by_reason"]["allowed-network"], 3)
        self.assertEqual({(e["value"], e["reason"]) for e in r["excluded"]},
                         {("192.16.238.101", "allowed-network"),
                          ("192.16.238.0/25", "allowed-network"),
                          ("2a00:1450::1", "allowed-network")})
        # A bad entry is an error naming the setting.
        rc, out, err = run_cli(["indicators", "--indicators", ind],
                               env={"CIRTKIT_DETECT_ALLOW_NETWORKS":
                                    "192.16.238.0/24,nonsense"})
        self.assertEqual(rc, 1, err)
        self.assertIn("detect_allow_networks", err)

    def test_allow_domains_file(self):
        pop = write(self.store.path(uniq("top") + ".csv"),
                    "# rank,domain\n1,popular.example.com\n"
                    "2,cdn.example.net\r\nother.example.org\n")
        ind = self.ind("popular.example.com\nevil.popular.example.com\n"
                       "cdn.example.net\nother.example.org\n"
                       "fine.example.org\n")
        env = {"CIRTKIT_DETECT_ALLOW_DOMAINS": pop}
        got, err = self.fmatch(ind, "popular.example.com\n"
                               "www.popular.example.com\n"
                               "x.evil.popular.example.com\n"
                               "cdn.example.net\nother.example.org\n"
                               "fine.example.org\n", env=env)
        # The exact popular names are left out; a listed subdomain of one
        # stays matchable.
        self.assertEqual(got, {"x.evil.popular.example.com",
                               "fine.example.org"})
        r = self.file_report(ind, env=env)
        self.assertEqual({(e["value"], e["reason"]) for e in r["excluded"]},
                         {("popular.example.com", "allowed-domain"),
                          ("cdn.example.net", "allowed-domain"),
                          ("other.example.org", "allowed-domain")})
        rc, out, err = run_cli(["indicators", "--indicators", ind],
                               env={"CIRTKIT_DETECT_ALLOW_DOMAINS":
                                    self.store.path("absent.csv")})
        self.assertEqual(rc, 1, err)
        self.assertIn("detect_allow_domains", err)

    def test_allow_networks_on_store_indicators(self):
        # The team's own networks are listed in detect_allow_networks
        # (detect.h): a STIX indicator inside them is left out, named in
        # the report, and one left with nothing is uncompilable.
        env = {"CIRTKIT_DETECT_ALLOW_NETWORKS": "192.16.240.0/24"}
        alias = self.collection()
        ids = ["indicator--%s" % uuid.uuid4() for _ in range(2)]
        self.import_(alias, bundle(
            indicator("[ipv4-addr:value = '192.16.240.9']", ids[0]),
            indicator("[ipv4-addr:value = '192.16.241.9']", ids[1])))
        r = self.report(env=env)
        self.assertIn({"value": "192.16.240.9", "kind": "ip",
                       "reason": "allowed-network", "source": ids[0]},
                      r["excluded"])
        self.assertIn(ids[0], {u["id"] for u in r["uncompilable_list"]})
        text = (squid(T2026, "192.0.2.10", "http://example.org/",
                      "192.16.240.9")
                + squid(T2026, "192.0.2.10", "http://example.org/",
                        "192.16.241.9"))
        ms, err = self.smatch("--no-store", self.log(text), env=env)
        self.assertEqual([m["indicators"] for m in ms], [[ids[1]]])
        ms, err = self.smatch("--no-store", self.log(text))
        self.assertEqual(len(ms), 2, ms)


class FeedEvents(StoreCase):
    """Feed events as indicators."""

    def test_urlhaus_sample(self):
        sample = os.path.join(DATA, "feeds", "abusech", "urlhaus-2019.csv")
        if not os.path.exists(sample):
            self.skipTest("no sample data: %s is absent" % sample)
        rows = []
        with open(sample) as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                rows.append(line.rstrip("\n").split(","))
        # Dateadded, URL, URL_status, Threat, Host, IPaddress, ...
        url, host, ip = rows[0][1], rows[0][4], rows[0][5]
        self.ok("feed", "ingest", "--parser", "urlhaus", sample)
        evs = [e for e in self.events("--feed", "ingest-urlhaus")
               if e.get("source.url") == url]
        self.assertEqual(len(evs), 1, evs)
        eid = "event:%d" % evs[0]["id"]
        # Every row of the sample is an indicator (other tests of the
        # class may have stored events before).
        r = self.report()
        evs = self.events("--feed", "ingest-urlhaus")
        self.assertEqual(len(evs), len(rows))
        self.assertGreaterEqual(r["events"], len(rows))
        text = (squid(T2026, "192.0.2.10", url, ip)
                + squid(T2026 + 1, "192.0.2.10",
                        "http://sub.%s/other" % host))
        ms, err = self.smatch("--no-store", self.log(text))
        got = [(m["line"], m["field"], m["value"], m["matched_as"],
                m["indicators"]) for m in ms]
        # The URL, its host and the peer address are all the one
        # event's: a line names an indicator once, at its first value.
        self.assertEqual(got, [
            (1, "url", url, "value", [eid]),
            (2, "url", "sub." + host, "host", [eid]),
        ])

    def test_feed_events_written_here(self):
        # OpenPhish: one URL per line.
        feed = write(self.store.path(uniq("op") + ".txt"),
                     "http://login.phish.example.com/account/verify\n")
        self.ok("feed", "ingest", "--parser", "openphish", feed)
        ev = [e for e in self.events("--feed", "ingest-openphish")
              if "phish.example.com" in e.get("source.url", "")]
        self.assertEqual(len(ev), 1, ev)
        eid = "event:%d" % ev[0]["id"]
        text = squid(T2026, "192.0.2.10",
                     "HTTP://LOGIN.phish.example.com:80/account/verify")
        ms, err = self.smatch("--no-store", self.log(text))
        self.assertIn(eid, [i for m in ms for i in m["indicators"]])
        # A victims' class (vulnerable) is not a threat: not compiled.
        before = self.report()["events"]
        ss = write(self.store.path("2026-01-01-scan_ntp-xx.csv"),
                   '"timestamp","ip","protocol","port","hostname","tag",'
                   '"asn","geo"\n"2026-01-01 00:00:00",192.16.238.7,udp,'
                   '123,,ntpversion,64512,XX\n')
        self.ok("feed", "ingest", "--parser", "shadowserver", ss)
        self.assertEqual(self.report()["events"], before)
        # Feed events of long ago are not: detect_event_days.
        r = self.report(env={"CIRTKIT_DETECT_EVENT_DAYS": "0"})
        self.assertEqual(r["events"], 0)


class WatchMixin:
    """Helpers to run `cirtkit match --watch` and read its lines."""

    def start(self, args, env=None):
        proc = subprocess.Popen([harness.BIN, "match"] + args,
                                stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE,
                                env=harness.child_env(env))
        lines = queue.Queue()

        def reader():
            for line in proc.stdout:
                lines.put(line.decode())
            lines.put(None)

        threading.Thread(target=reader, daemon=True).start()

        def cleanup():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stderr.close()
        self.addCleanup(cleanup)
        return proc, lines

    def drop(self, watch, name, text):
        """A file appears in watch whole: written aside, then renamed."""
        part = os.path.join(self.tmp, "." + name + ".part")
        write(part, text)
        os.rename(part, os.path.join(watch, name))

    def next_match(self, lines, timeout=8):
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            self.fail("no match line within %d s" % timeout)
        self.assertIsNotNone(line, "match exited")
        return json.loads(line)

    def stop(self, proc):
        """SIGTERM: exit 0 without a sanitizer report; its stderr."""
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            self.fail("match --watch did not stop within 10 s of SIGTERM")
        err = proc.stderr.read().decode("utf-8", "replace")
        self.assertFalse(harness.sanitizer_report(err), err)
        self.assertEqual(proc.returncode, 0, err)
        return err


class Watch(WatchMixin, unittest.TestCase):
    """--watch DIR: files dropped into it are read as they come."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cirt-watch-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def test_watch_indicator_file(self):
        ind = write(os.path.join(self.tmp, "ioc.txt"), INDICATORS)
        watch = os.path.join(self.tmp, "in")
        os.mkdir(watch)
        # A file there before the start is read too.
        write(os.path.join(watch, "a.log"), SQUID_LINE + "\n")
        proc, lines = self.start(["--indicators", ind, "--keep-special",
                                  "--watch", watch])
        m = self.next_match(lines)
        self.assertEqual(m["source"], os.path.join(watch, "a.log"))
        t0 = time.monotonic()
        self.drop(watch, "b.log.gz", gzip.compress(
            zeek("conn", conn_row("%d.0" % T2026, "192.0.2.10",
                                  "198.51.100.7")).encode()))
        m = self.next_match(lines)
        self.assertLess(time.monotonic() - t0, 8)
        self.assertEqual(m["source"], os.path.join(watch, "b.log.gz"))
        self.assertEqual(m["value"], "198.51.100.7")
        self.assertEqual(m["line"], ZEEK_FIRST)
        err = self.stop(proc)
        # Each file once; both counted in the summary.
        self.assertTrue(lines.get(timeout=5) is None)
        s = summary(err)
        self.assertEqual(s["matches"], 2)
        self.assertEqual(s["lines"], 1 + 10)

    def test_watch_argument_errors(self):
        got, out, err = run_cli(["match", "--indicators", "/dev/null",
                                 "--watch", self.tmp, "x.log"])
        self.assertEqual(got, 2, err)
        proc, lines = self.start(["--indicators", "/dev/null", "--watch",
                                  os.path.join(self.tmp, "absent")])
        try:
            proc.wait(1.5)
        except subprocess.TimeoutExpired:
            pass
        # A missing directory is reported; the watch may go on or stop,
        # but it must say so and stop on SIGTERM with status 1 at most.
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(10)
        err = proc.stderr.read().decode("utf-8", "replace")
        self.assertIn("absent", err)
        self.assertIn(proc.returncode, (0, 1))


class WatchStore(WatchMixin, StoreCase):
    """--watch with the store: a new indicator is picked up."""

    def test_watch_recompiles(self):
        self.tmp = tempfile.mkdtemp(prefix="cirt-watch-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        watch = os.path.join(self.tmp, "in")
        os.mkdir(watch)
        proc, lines = self.start(["--keep-special", "--no-store", "--watch",
                                  watch] + self.store.args)
        alias = self.collection()
        oid = "indicator--%s" % uuid.uuid4()
        self.import_(alias, bundle(indicator(
            "[domain-name:value = 'watch.example.net']", oid)))
        line = BIND_LINE.replace("www.evil.example.com",
                                 "www.watch.example.net") + "\n"
        deadline = time.monotonic() + 10
        n = 0
        while True:
            self.assertLess(time.monotonic(), deadline,
                            "the new indicator was not matched within 10 s")
            n += 1
            self.drop(watch, "q%d.log" % n, line)
            try:
                got = lines.get(timeout=2.5)
            except queue.Empty:
                continue
            self.assertIsNotNone(got, "match exited")
            self.assertEqual(json.loads(got)["indicators"], [oid])
            break
        err = self.stop(proc)
        self.assertTrue(SUMMARY_RE.search(err), err)
        # The first set, then the one with the new indicator.
        self.assertGreaterEqual(len(COMPILED_RE.findall(err)), 2, err)


class Server(CirtTestCase):
    """/api/v1/detect on a running server."""

    SERVER_ENV = {"CIRTKIT_DETECT_ALLOW_SPECIAL": "false",
                  "CIRTKIT_EVIDENCE_MAX": "64k"}
    LIMIT = 64 * 1024

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias = uniq("ioc")
        rc, out, err = cls.store.cli(
            "collection", "add", "--root", "default", "--title", "IOC",
            "--alias", cls.alias, "--tlp-max", "amber+strict")
        assert rc == 0, err
        cls.first = "indicator--%s" % uuid.uuid4()
        path = cls.store.path("first.json")
        write(path, bundle(indicator("[ipv4-addr:value = '198.51.100.40']",
                                     cls.first, confidence=70)))
        rc, out, err = cls.store.cli("import", "--collection", cls.alias,
                                     path)
        assert rc == 0, out + err
        cls.org = uniq("Agency ")
        rc, out, err = cls.store.cli("constituent", "add", cls.org,
                                     "--cidr", "192.0.2.0/24")
        assert rc == 0, err
        # The set compiles in the background; then it sees the import.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            r = cls.admin.get("/api/v1/detect/indicators")
            if r.status == 200 and r.json["stix"]["compiled"] >= 1:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the indicator set never compiled: %r" % r)

    def post(self, text, client=None, **query):
        return (client or self.admin).post(
            "/api/v1/detect/logs", text.encode() if isinstance(text, str)
            else text, content_type="text/plain", query=query or None)

    def count_events(self):
        return int(self.store.sql("SELECT COUNT(*) FROM events WHERE "
                                  "feed = 'detect'")[0][0])

    def test_indicators_report(self):
        r = self.admin.get("/api/v1/detect/indicators")
        self.assertEqual(r.status, 200, r)
        for k in ("compiled_at", "values", "sources", "ranges", "by_kind",
                  "bytes", "stix", "events", "excluded_by_reason",
                  "excluded_count", "excluded", "invalid_count", "invalid",
                  "uncompilable_count", "uncompilable_list"):
            self.assertIn(k, r.json)
        self.assertGreaterEqual(r.json["stix"]["compiled"], 1)
        r = self.admin.get("/api/v1/detect/indicators", query={"x": "1"})
        self.assertError(r, 400, "invalid")

    def test_post_log_matches(self):
        t = T2026 + 5000
        text = (squid(t, "192.0.2.30", "http://example.org/",
                      "198.51.100.40")
                + "garbage\n"
                + squid(t + 1, "192.0.2.30", "http://example.org/",
                        "192.0.2.99"))
        n = self.count_events()
        r = self.post(text, source="proxy-1/access.log", format="squid")
        self.assertEqual(r.status, 200, r)
        b = r.json
        self.assertEqual(set(b), {"matches", "truncated", "summary",
                                  "recorded", "indicators"})
        self.assertEqual(len(b["matches"]), 1, b)
        m = b["matches"][0]
        self.assertEqual(set(m), MATCH_KEYS)
        self.assertEqual((m["source"], m["line"], m["field"], m["value"],
                          m["indicators"], m["confidence"], m["time"]),
                         ("proxy-1/access.log", 1, "peer", "198.51.100.40",
                          [self.first], 70, iso_ms(t)))
        self.assertFalse(b["truncated"])
        self.assertEqual(b["summary"]["lines"], 3)
        self.assertEqual(b["summary"]["records"], 2)
        self.assertEqual(b["summary"]["matches"], 1)
        self.assertEqual(b["summary"]["malformed"], 1)
        self.assertEqual(b["summary"]["malformed_lines"][0]["line"], 2)
        self.assertEqual(b["recorded"]["events"], 1)
        self.assertEqual(b["recorded"]["sightings"], 1)
        self.assertGreaterEqual(b["indicators"]["values"], 1)
        self.assertTrue(b["indicators"]["compiled_at"].endswith("Z"))
        self.assertEqual(self.count_events(), n + 1)
        ev = [e for e in self.admin.list_all("/api/v1/events")
              if e.get("feed.name") == "detect"
              and e.get("source.ip") == "192.0.2.30"]
        self.assertEqual(len(ev), 1, ev)
        # Format guessed, default source.
        r = self.post(squid(t + 2, "192.0.2.30", "http://example.org/",
                            "198.51.100.40"), store="false")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["matches"][0]["source"], "request")
        # An empty body is an empty log.
        r = self.post(b"", store="false")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["summary"]["lines"], 0)

    def test_new_indicator_within_seconds(self):
        oid = "indicator--%s" % uuid.uuid4()
        log = squid(T2026, "192.0.2.31", "http://late.example.net/x")
        r = self.post(log, store="false")
        self.assertEqual(r.json["matches"], [])
        path = self.store.path(uniq("late") + ".json")
        write(path, bundle(indicator(
            "[domain-name:value = 'late.example.net']", oid)))
        rc, out, err = self.store.cli("import", "--collection", self.alias,
                                      path)
        self.assertEqual(rc, 0, out + err)
        t0 = time.monotonic()
        while True:
            r = self.post(log, store="false")
            self.assertEqual(r.status, 200, r)
            if r.json["matches"]:
                break
            self.assertLess(time.monotonic() - t0, 10,
                            "a new indicator is not matched 10 s later")
            time.sleep(0.1)
        self.assertEqual(r.json["matches"][0]["indicators"], [oid])
        self.assertEqual(r.json["matches"][0]["matched_as"], "host")

    def test_red_not_named(self):
        # TLP:RED comes from a feed event (collections refuse it).
        host = uniq("red") + ".example.com"
        url = "http://%s/login" % host
        feed = write(self.store.path(uniq("op") + ".txt"), url + "\n")
        rc, out, err = self.store.cli("feed", "ingest", "--parser",
                                      "openphish", "--tlp", "red",
                                      "--feed", uniq("red-"), feed)
        self.assertEqual(rc, 0, out + err)
        rid = self.store.sql("SELECT id FROM events WHERE url = '%s'" % url)
        self.assertEqual(len(rid), 1, rid)
        eid = "event:%s" % rid[0][0]
        amber = "indicator--%s" % uuid.uuid4()
        path = self.store.path(uniq("amber") + ".json")
        write(path, bundle(indicator("[domain-name:value = '%s']" % host,
                                     amber)))
        rc, out, err = self.store.cli("import", "--collection", self.alias,
                                      path)
        self.assertEqual(rc, 0, out + err)
        log = (squid(T2026, "192.0.2.32", url)
               + squid(T2026 + 1, "192.0.2.32", "http://example.org/"))
        _, analyst = self.user_client("analyst")
        t0 = time.monotonic()
        while True:
            r = self.post(log, client=analyst, store="false")
            self.assertEqual(r.status, 200, r)
            if r.json["summary"]["matches"] >= 2:
                break
            self.assertLess(time.monotonic() - t0, 10, r.json)
            time.sleep(0.1)
        # The URL itself is a RED event alone: left out; its host is the
        # amber indicator's and the RED event's: only the amber one named.
        self.assertEqual(r.json["summary"]["matches"], 2)
        self.assertEqual(len(r.json["matches"]), 1, r.json)
        m = r.json["matches"][0]
        self.assertEqual(m["indicators"], [amber])
        self.assertEqual(m["tlp"], "amber")
        self.assertNotIn(eid, json.dumps(r.json))
        # The command line runs with the team's rights: it names both.
        rc, out, err = self.store.cli("match", "--keep-special",
                                      "--no-store", "-", input=log)
        self.assertEqual(rc, 0, err)
        named = {i for mm in parse_matches(out) for i in mm["indicators"]}
        self.assertEqual(named, {eid, amber})
        self.assertIn('"tlp":"red"', out)

    def test_roles(self):
        log = squid(T2026, "192.0.2.33", "http://example.org/",
                    "198.51.100.40")
        for role in ("constituent", "partner"):
            with self.subTest(role=role):
                _, c = self.user_client(role)
                n = self.count_events()
                self.assertError(self.post(log, client=c), 403, "forbidden")
                self.assertError(c.get("/api/v1/detect/indicators"), 403,
                                 "forbidden")
                self.assertEqual(self.count_events(), n)
        _, analyst = self.user_client("analyst")
        r = self.post(log, client=analyst, store="false")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json["matches"]), 1)
        self.assertEqual(analyst.get("/api/v1/detect/indicators").status, 200)
        self.assertError(self.anon.post("/api/v1/detect/logs", log.encode(),
                                        content_type="text/plain"),
                         401, "unauthorized")
        self.assertError(self.anon.get("/api/v1/detect/indicators"), 401,
                         "unauthorized")

    def test_store_false_records_nothing(self):
        log = squid(T2026 + 86400 * 3, "192.0.2.34", "http://example.org/",
                    "198.51.100.40")
        n = self.count_events()
        audit = len(self.admin.list_all("/api/v1/audit"))
        r = self.post(log, store="false")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json["matches"]), 1)
        self.assertEqual(r.json["recorded"], {"sightings": 0, "events": 0,
                                              "incidents": 0})
        self.assertEqual(self.count_events(), n)
        self.assertEqual(len(self.admin.list_all("/api/v1/audit")), audit)
        r = self.post(log, store="true")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["recorded"]["events"], 1)
        self.assertEqual(self.count_events(), n + 1)
        self.assertError(self.post(log, store="yes"), 400, "invalid",
                         field="store")

    def test_bad_format(self):
        r = self.post(SQUID_LINE, format="syslog")
        self.assertError(r, 400, "invalid", field="format")
        # A log whose format cannot be guessed.
        r = self.post("a,b\n1,2\n", store="false")
        self.assertError(r, 400, "invalid", field="format")
        # csv without a map.
        r = self.post("a,b\n1,2\n", format="csv", store="false")
        self.assertError(r, 400, "invalid", field="fields")
        r = self.post(SQUID_LINE, nope="1")
        self.assertError(r, 400, "invalid")

    def test_fields_limit(self):
        cols = ["c%d" % i for i in range(1, 66)]
        row = ["192.0.2.%d" % (i % 250) for i in range(1, 66)]
        row[63] = "198.51.100.40"  # c64
        log = ",".join(cols) + "\n" + ",".join(row) + "\n"
        fields = ",".join("%s=ip" % c for c in cols[:64])
        r = self.post(log, format="csv", fields=fields, store="false")
        self.assertEqual(r.status, 200, r)
        self.assertEqual([(m["field"], m["value"]) for m in r.json["matches"]],
                         [("c64", "198.51.100.40")])
        # 65 entries: over CIRT_LOG_MAP_MAX, a budget (-CIRT_ELIMIT, 413).
        r = self.post(log, format="csv", store="false",
                      fields=fields + ",c65=ip")
        self.assertError(r, 413, "too_large", field="fields")
        r = self.post(log, format="csv", store="false", fields="c1=colour")
        self.assertError(r, 400, "invalid", field="fields")

    def test_source_length(self):
        log = squid(T2026, "192.0.2.35", "http://example.org/",
                    "198.51.100.40")
        r = self.post(log, source="s" * 200, store="false")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["matches"][0]["source"], "s" * 200)
        r = self.post(log, source="s" * 201, store="false")
        self.assertError(r, 400, "invalid", field="source")
        r = self.post(log, source="", store="false")
        self.assertError(r, 400, "invalid", field="source")

    def test_upload_limit(self):
        line = squid(T2026, "192.0.2.36", "http://example.org/",
                     "198.51.100.40").encode()
        filler = b"#" * (self.LIMIT - len(line) - 1) + b"\n"
        body = line + filler
        self.assertEqual(len(body), self.LIMIT)
        r = self.post(body, format="squid", store="false")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["summary"]["matches"], 1)
        self.assertEqual(r.json["summary"]["malformed"], 1)
        r = self.post(body + b"\n", format="squid", store="false")
        self.assertError(r, 413, "too_large")
        # Sent in chunks, without a length: the same limit.
        r = self.admin.post("/api/v1/detect/logs",
                            iter([body[:30000], body[30000:], b"x"]),
                            content_type="text/plain",
                            query={"store": "false"})
        self.assertError(r, 413, "too_large")
        self.assertTrue(self.server.running())


class ServerBeforeCompile(CirtTestCase):
    """The set is compiled right after the start: GET answers 200 within
    moments, with the indicators the store already held."""

    SERVER = False

    def test_first_compile(self):
        rc, out, err = self.store.cli(
            "collection", "add", "--root", "default", "--title", "IOC",
            "--alias", "ioc", "--tlp-max", "amber")
        self.assertEqual(rc, 0, err)
        path = self.store.path("b.json")
        oid = "indicator--%s" % uuid.uuid4()
        write(path, bundle(indicator("[domain-name:value = "
                                     "'early.example.com']", oid)))
        rc, out, err = self.store.cli("import", "--collection", "ioc", path)
        self.assertEqual(rc, 0, out + err)
        srv = harness.Server(self.store,
                             env={"CIRTKIT_DETECT_POLL": "3600"})
        srv.start()
        self.addCleanup(srv.stop)
        rc, out, err = self.store.cli("token", "create", "admin")
        self.assertEqual(rc, 0, err)
        admin = srv.client(token=out.strip())
        t0 = time.monotonic()
        while True:
            r = admin.get("/api/v1/detect/indicators")
            if r.status == 200:
                break
            self.assertError(r, 503, "busy", field="indicators")
            self.assertLess(time.monotonic() - t0, 5, r)
            time.sleep(0.05)
        self.assertEqual(r.json["stix"]["compiled"], 1)
        r = admin.post("/api/v1/detect/logs",
                       BIND_LINE.replace("www.evil.example.com",
                                         "early.example.com").encode(),
                       content_type="text/plain", query={"store": "false"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["matches"][0]["indicators"], [oid])
