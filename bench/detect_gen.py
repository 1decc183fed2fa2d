#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# Data for bench/detect.sh (bench/README.md): an indicator file and Zeek
# conn.log and dns.log files with a known set of lines that touch an
# indicator. Python 3 standard library only; the same seed gives the same
# bytes.
#
#   detect_gen.py --out DIR [--indicators N] [--also M,...] [--pool-from P]
#                 [--conn L] [--dns L] [--seed S]
#
# writes into DIR:
#
#   indicators-N.txt  a comment line, then N distinct indicators, one a
#                     line, mixed: 35 % IPv4 addresses, 3 % IPv6
#                     addresses, 1.9 % IPv4 ranges /16 to /24 and 0.1 %
#                     IPv6 /48, 30 % domain names of 2 to 4 labels, 15 %
#                     URLs, 4 % each MD5, SHA-1 and SHA-256, 3 % e-mail
#                     addresses. The file is also the pattern file of
#                     `grep -F -f`.
#   indicators-M.txt  its first M indicators (--also), for smaller runs
#   conn.log, dns.log Zeek TSV logs with the whole header block and #close
#   expected.tsv      every planted hit: log, line, field, value, the
#                     indicator's line, and how it matches (exact, cidr,
#                     subdomain)
#
# and prints a JSON summary on stdout. About 1 % of the log lines touch
# an indicator, all taken from the first P indicators (--pool-from,
# default the smallest file), so the expected hits are the same for every
# indicator file written. Nothing else can hit: the address and name
# spaces are split so that no other log value is, or is inside, or under,
# an indicator:
#
#   IPv4 addresses  11-99/8 (in the logs: hits only)
#   IPv4 ranges     128-191/8 but 169 and 172 (hits only)
#   other traffic   1-9, 101-126, 193-197, 199-202, 204-223 /8, and the
#                   private ranges for the inside hosts
#   IPv6            indicators 2a01-2a0f, ranges 2a10-2a1f; other
#                   traffic 2600-260f, inside hosts fd00::/8
#   domain names    the indicators' second-level labels are made of 8
#                   letters alternating consonant and vowel, optionally
#                   after "word-" and before digits, and each is used by
#                   one indicator only; no other name in the logs has
#                   such a label under an indicator top-level domain
#
# All indicator addresses are public (outside the special-purpose ranges
# of RFC 6890), as `cirtkit match` drops the others by default.
# Uniqueness is by construction: IPv4 addresses, second-level labels,
# URL paths and e-mail local parts come from bijections of a counter;
# ranges are kept in a set; IPv6 addresses and hashes are 100 to 256
# random bits.

import argparse
import json
import math
import os
import random
import re
import sys
import time

CONS = "bcdfghjklmnprstvwxyz"
VOWELS = "aeiou"
PAIRS = [c + v for c in CONS for v in VOWELS]          # 100
QUAD = [a + b for a in PAIRS for b in PAIRS]           # 10,000
CORE_SPACE = 10 ** 8                                   # 8-letter labels
TLDS = ["com", "net", "org", "info", "ru", "cn", "xyz", "top"]
WORDS = ["secure", "login", "my", "update", "account", "pay", "mail",
         "support", "verify", "cloud", "online", "service", "web", "app",
         "get", "best", "free", "shop", "bank", "office"]
SUBLABELS = ["www", "mail", "login", "secure", "cdn", "api", "update", "m",
             "portal", "account", "docs", "files", "dl", "app", "support",
             "verify", "static", "img", "auth", "webmail"]
IND_LABEL = re.compile(r"(?:^|-)(?:[%s][%s]){4}[0-9]*$" % (CONS, VOWELS))

A_OCTETS = list(range(11, 100))
C_OCTETS = [o for o in range(128, 192) if o not in (169, 172)]
B_OCTETS = list(range(1, 10)) + list(range(101, 127)) + \
    list(range(193, 198)) + list(range(199, 203)) + list(range(204, 224))

# kind, weight in 1/10,000
MIX = [("ipv4", 3500), ("ipv6", 300), ("cidr4", 190), ("cidr6", 10),
       ("domain", 3000), ("url", 1500), ("md5", 400), ("sha1", 400),
       ("sha256", 400), ("email", 300)]
POOLED = ("ipv4", "ipv6", "cidr4", "cidr6", "domain")
POOL_SIZE = 5000
CIDR4_LENS = [(24, 60), (23, 10), (22, 10), (21, 5), (20, 10), (18, 3),
              (16, 2)]

FIRST = ["anna", "maria", "john", "david", "elena", "ivan", "li", "wei",
         "sara", "omar", "peter", "julia", "alex", "chris", "nina", "paul",
         "olga", "tom", "lucas", "emma"]
LAST = ["smith", "ivanov", "wang", "garcia", "muller", "rossi", "kim",
        "nowak", "silva", "brown", "jones", "petrov", "chen", "lopez",
        "novak", "meyer", "khan", "sato", "dubois", "jensen"]
MAILDOMS = ["gmail.com", "mail.ru", "yandex.ru", "outlook.com", "qq.com",
            "163.com", "protonmail.com", "yahoo.com", "gmx.net", "aol.com"]
PATHS = ["/wp-content/uploads/%s.php", "/%s/login.php", "/images/%s.jpg",
         "/dl/%s.exe", "/index.php?id=%s", "/gate.php?bot=%s", "/%s",
         "/update/%s/setup.msi", "/api/v2/%s/check", "/files/%s.zip",
         "/admin/%s/", "/invoice/%s.pdf.js"]

# Names the inside hosts look up that touch no indicator.
POPULAR = [
    "www.google.com", "google.com", "www.youtube.com", "i.ytimg.com",
    "www.facebook.com", "graph.facebook.com", "www.microsoft.com",
    "login.microsoftonline.com", "outlook.office365.com",
    "settings-win.data.microsoft.com", "ctldl.windowsupdate.com",
    "www.apple.com", "gateway.icloud.com", "mesu.apple.com",
    "www.amazon.com", "s3.amazonaws.com", "www.wikipedia.org",
    "en.wikipedia.org", "twitter.com", "api.twitter.com",
    "www.linkedin.com", "www.instagram.com", "github.com",
    "api.github.com", "raw.githubusercontent.com", "www.netflix.com",
    "ocsp.digicert.com", "ocsp.pki.goog", "crl.globalsign.net",
    "time.windows.com", "pool.ntp.org", "0.debian.pool.ntp.org",
    "deb.debian.org", "security.debian.org", "archive.ubuntu.com",
    "www.bbc.co.uk", "www.spiegel.de", "www.lemonde.fr", "www.gov.uk",
    "slack.com", "zoom.us", "teams.microsoft.com", "dropbox.com",
    "www.dropbox.com", "clients4.google.com", "fonts.gstatic.com",
    "ajax.googleapis.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com",
    "connectivity-check.ubuntu.com", "detectportal.firefox.com",
    "incoming.telemetry.mozilla.org", "safebrowsing.googleapis.com",
    "update.googleapis.com", "www.paypal.com", "www.reddit.com",
    "www.yahoo.com", "mail.yahoo.com", "www.bing.com", "duckduckgo.com",
]
BENIGN_SLDS = ["amazonaws.com", "cloudfront.net", "akamaiedge.net",
               "googlevideo.com", "fbcdn.net", "azureedge.net",
               "cloudflare.net", "edgekey.net", "trafficmanager.net",
               "akamaihd.net", "herokuapp.com", "github.io"]
OTHER_TLDS = ["de", "fr", "nl", "uk", "jp", "br", "it", "pl", "io", "eu"]

CONN_FIELDS = [
    ("ts", "time"), ("uid", "string"), ("id.orig_h", "addr"),
    ("id.orig_p", "port"), ("id.resp_h", "addr"), ("id.resp_p", "port"),
    ("proto", "enum"), ("service", "string"), ("duration", "interval"),
    ("orig_bytes", "count"), ("resp_bytes", "count"),
    ("conn_state", "string"), ("local_orig", "bool"),
    ("local_resp", "bool"), ("missed_bytes", "count"),
    ("history", "string"), ("orig_pkts", "count"),
    ("orig_ip_bytes", "count"), ("resp_pkts", "count"),
    ("resp_ip_bytes", "count"), ("tunnel_parents", "set[string]")]
DNS_FIELDS = [
    ("ts", "time"), ("uid", "string"), ("id.orig_h", "addr"),
    ("id.orig_p", "port"), ("id.resp_h", "addr"), ("id.resp_p", "port"),
    ("proto", "enum"), ("trans_id", "count"), ("rtt", "interval"),
    ("query", "string"), ("qclass", "count"), ("qclass_name", "string"),
    ("qtype", "count"), ("qtype_name", "string"), ("rcode", "count"),
    ("rcode_name", "string"), ("AA", "bool"), ("TC", "bool"),
    ("RD", "bool"), ("RA", "bool"), ("Z", "count"),
    ("answers", "vector[string]"), ("TTLs", "vector[interval]"),
    ("rejected", "bool")]

START = 1795867200       # 2026-11-28 12:00:00 UTC: the logs' first second
CHUNK = 1 << 16          # lines per write


def coprime_step(m, seed):
    """A multiplier coprime with m: i -> (i * step + off) % m is then a
    bijection of [0, m)."""
    step = int((math.sqrt(5) - 1) / 2 * m) | 1
    step += 2 * (seed % 1000)
    while math.gcd(step, m) != 1:
        step += 2
    return step


def mix24(v):
    """A bijection of 24-bit integers that scatters neighbours."""
    v = (v * 0x9E3779) & 0xFFFFFF
    v ^= v >> 12
    return (v * 0x5BD1E5) & 0xFFFFFF


def mix32(v):
    v = (v * 0x9E3779B1) & 0xFFFFFFFF
    v ^= v >> 16
    return (v * 0x85EBCA6B) & 0xFFFFFFFF


def ip4(a):
    return "%d.%d.%d.%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255)


def v6groups(r):
    """Six 16-bit groups of r, each at least 0x1000, so that the address
    has one textual form (no "::", no leading zeros)."""
    return [((r >> s) & 0xFFFF) | 0x1000 for s in range(0, 96, 16)]


class Indicators:
    """The i-th indicator of each kind, from the seed."""

    def __init__(self, seed):
        self.rnd = random.Random(seed)
        ma = len(A_OCTETS) << 24
        self.a_space = ma
        self.a_step = coprime_step(ma, seed)
        self.a_off = random.Random(seed + 1).randrange(ma)
        self.d_step = coprime_step(CORE_SPACE, seed + 2)
        self.d_off = random.Random(seed + 3).randrange(CORE_SPACE)
        self.e_step = coprime_step(10 ** 7, seed + 4)
        self.cidrs = set()

    def ipv4(self, i):
        x = (i * self.a_step + self.a_off) % self.a_space
        a = ((A_OCTETS[x >> 24]) << 24) | mix24(x & 0xFFFFFF)
        return ip4(a), a

    def ipv6(self, i):
        r = self.rnd.getrandbits(100)
        g = v6groups(r)
        return ("%x:%x:%x:%x:%x:%x:%x:%x" %
                (0x2A01 + (r >> 96) % 15, (r >> 84) & 0xFFF | 0x1000,
                 *g), None)

    def cidr4(self, i):
        rnd = self.rnd
        while True:
            r = rnd.getrandbits(24)
            p = rnd.randrange(100)
            for ln, w in CIDR4_LENS:
                if p < w:
                    break
                p -= w
            a = (C_OCTETS[(r >> 16) % len(C_OCTETS)] << 24) | \
                ((r & 0xFFFF) << 8)
            net = a & ~((1 << (32 - ln)) - 1) & 0xFFFFFFFF
            if (net, ln) not in self.cidrs:
                self.cidrs.add((net, ln))
                return "%s/%d" % (ip4(net), ln), (net, ln)

    def cidr6(self, i):
        while True:
            r = self.rnd.getrandbits(36)
            key = (0x2A10 + (r >> 32), ((r >> 16) & 0xFFFF) | 0x1000,
                   (r & 0xFFFF) | 0x1000)
            if key not in self.cidrs:
                self.cidrs.add(key)
                return "%x:%x:%x::/48" % key, key

    def core(self, i):
        x = (i * self.d_step + self.d_off) % CORE_SPACE
        return QUAD[x // 10000] + QUAD[x % 10000]

    def domain(self, i):
        rnd = self.rnd
        r = rnd.getrandbits(32)
        sld = self.core(i)
        if r & 7 < 2:
            sld = WORDS[(r >> 3) % len(WORDS)] + "-" + sld
        if (r >> 8) & 7 == 0:
            sld += str((r >> 11) % 100)
        name = sld + "." + TLDS[(r >> 18) % len(TLDS)]
        extra = (r >> 21) % 20
        if extra >= 11:
            name = SUBLABELS[(r >> 26) % len(SUBLABELS)] + "." + name
            if extra >= 17:
                name = QUAD[rnd.randrange(10000)][:3 + extra % 3] + "." + \
                    name
        return name, None

    def url(self, i):
        r = self.rnd.getrandbits(64)
        if r & 3 == 0:
            x = r >> 8
            host = ip4((A_OCTETS[x % len(A_OCTETS)] << 24) |
                       ((x >> 8) & 0xFFFFFF))
        else:
            host = QUAD[(r >> 8) % 10000] + QUAD[(r >> 22) % 10000][:2 + (
                r >> 36) % 3] + "." + TLDS[(r >> 40) % len(TLDS)]
            if (r >> 44) & 3 == 0:
                host = "www." + host
        if (r >> 46) & 15 == 0:
            host += ":8080"
        scheme = "https" if (r >> 50) % 5 < 2 else "http"
        return (scheme + "://" + host +
                PATHS[(r >> 53) % len(PATHS)] % ("%08x" % mix32(i)), None)

    def md5(self, i):
        return "%032x" % self.rnd.getrandbits(128), None

    def sha1(self, i):
        return "%040x" % self.rnd.getrandbits(160), None

    def sha256(self, i):
        return "%064x" % self.rnd.getrandbits(256), None

    def email(self, i):
        r = self.rnd.getrandbits(24)
        num = (i * self.e_step + 12345) % 10 ** 7
        dom = MAILDOMS[r % len(MAILDOMS)] if r & 0x300 else \
            QUAD[(r >> 10) % 10000] + "." + TLDS[(r >> 4) % len(TLDS)]
        return "%s.%s%d@%s" % (FIRST[(r >> 12) % 20], LAST[(r >> 17) % 20],
                               num, dom), None


def write_indicators(out, n, also, pool_from, seed):
    """Write indicators-N.txt (and the prefixes of --also); returns the
    pools of hits and the count of each kind."""
    if n > CORE_SPACE:
        raise ValueError("at most %d indicators" % CORE_SPACE)
    gen = Indicators(seed)
    kinds = [k for k, _ in MIX]
    cum, t = [], 0
    for _, w in MIX:
        t += w
        cum.append(t)
    funcs = [getattr(gen, k) for k in kinds]
    pools = {k: [] for k in POOLED}
    seen = {k: 0 for k in POOLED}
    prnd = random.Random(seed + 99)
    pick = random.Random(seed + 7)
    counts = [0] * len(kinds)
    path = os.path.join(out, "indicators-%d.txt" % n)
    head = ("# cirtkit bench/detect_gen.py indicators, seed %d: %d mixed "
            "(addresses, ranges, domains, URLs, hashes, e-mail)\n"
            % (seed, n)).encode()
    cuts = {}
    written = len(head)
    line = 2
    with open(path, "wb") as f:
        f.write(head)
        done = 0
        while done < n:
            k = min(CHUNK, n - done)
            buf = []
            for kind in pick.choices(range(len(kinds)), cum_weights=cum,
                                     k=k):
                i = counts[kind]
                counts[kind] = i + 1
                text, extra = funcs[kind](i)
                buf.append(text)
                name = kinds[kind]
                if done + len(buf) <= pool_from and name in pools:
                    s = seen[name]
                    seen[name] = s + 1
                    item = (line + len(buf) - 1, text, extra)
                    if s < POOL_SIZE:
                        pools[name].append(item)
                    else:
                        j = prnd.randrange(s + 1)
                        if j < POOL_SIZE:
                            pools[name][j] = item
            data = ("\n".join(buf) + "\n").encode()
            for m in also:
                if done < m <= done + k:
                    # bytes up to and including the m-th indicator
                    cuts[m] = written + len(
                        ("\n".join(buf[:m - done]) + "\n").encode())
            f.write(data)
            written += len(data)
            done += k
            line += k
    for m, cut in cuts.items():
        copy_prefix(path, os.path.join(out, "indicators-%d.txt" % m), cut,
                    head.replace(b": %d mixed" % n, b": %d mixed" % m))
    return pools, dict(zip(kinds, counts))


def copy_prefix(src, dst, nbytes, head):
    """dst = src's first nbytes, with src's first line replaced by head
    (same length or not)."""
    with open(src, "rb") as f, open(dst, "wb") as g:
        first = f.readline()
        g.write(head)
        left = nbytes - len(first)
        while left > 0:
            b = f.read(min(left, 1 << 24))
            if not b:
                break
            g.write(b)
            left -= len(b)


def zeek_header(path, fields):
    return ("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n"
            "#unset_field\t-\n#path\t%s\n#open\t%s\n#fields\t%s\n"
            "#types\t%s\n" %
            (path, time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime(START)),
             "\t".join(f for f, _ in fields),
             "\t".join(t for _, t in fields)))


HEADER_LINES = 8


def zeek_close(end):
    return "#close\t%s\n" % time.strftime("%Y-%m-%d-%H-%M-%S",
                                          time.gmtime(end))


class Common:
    """Pieces every log line draws from, precomputed."""

    def __init__(self, rnd):
        alnum = ("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrst"
                 "uvwxyz")
        self.uid_a = ["".join(rnd.choices(alnum, k=8)) for _ in range(4096)]
        self.uid_b = ["".join(rnd.choices(alnum, k=9)) for _ in range(4096)]
        self.inside4 = ["10.%d.%d.%d" % (rnd.randrange(256),
                                         rnd.randrange(256),
                                         rnd.randrange(1, 255))
                        for _ in range(1500)]
        self.inside4 += ["192.168.%d.%d" % (rnd.randrange(256),
                                            rnd.randrange(1, 255))
                         for _ in range(400)]
        self.inside4 += ["172.%d.%d.%d" % (rnd.randrange(16, 32),
                                           rnd.randrange(256),
                                           rnd.randrange(1, 255))
                         for _ in range(148)]
        self.inside6 = ["fd%02x:%x:%x:%x:%x:%x:%x:%x" %
                        (rnd.randrange(256), *v6groups(rnd.getrandbits(96)),
                         rnd.randrange(0x1000, 0x10000))
                        for _ in range(256)]
        self.b_octets = B_OCTETS

    def uid(self, r, first):
        return first + self.uid_a[r & 4095] + self.uid_b[(r >> 12) & 4095]

    def outside4(self, r):
        return "%d.%d.%d.%d" % (self.b_octets[(r >> 24) % len(B_OCTETS)],
                                (r >> 16) & 255, (r >> 8) & 255,
                                1 + (r & 255) % 254)

    def outside6(self, r):
        g = v6groups(r >> 8)
        return "%x:%x:%x:%x:%x:%x:%x:%x" % (0x2600 + (r & 15), 0x1000 | (
            (r >> 4) & 0xFFF), *g)


def conn_tails(rnd):
    """For each service profile: (port, proto, service, tails), a tail
    being everything from duration to tunnel_parents."""
    def tail(tcp, big):
        state = rnd.choices(["SF", "S0", "REJ", "RSTO", "RSTR", "SH", "OTH",
                             "S1"], [70, 10, 5, 5, 4, 2, 2, 2])[0] \
            if tcp else rnd.choice(["SF", "S0", "SF"])
        if state in ("S0", "REJ"):
            hist = "S" if state == "S0" else "Sr"
            ob = rb = 0
            dur = "-" if rnd.random() < 0.5 else "%.6f" % rnd.uniform(0, 3)
            op, rp = rnd.randrange(1, 4), 0 if state == "S0" else 1
            ob_s = rb_s = "0" if dur != "-" else "-"
        else:
            hist = rnd.choice(["ShADadFf", "ShADadfF", "ShADadFfR", "ShAdDaFf",
                               "ShADadR", "ShADdaFf"]) if tcp else \
                rnd.choice(["Dd", "D", "Dd"])
            ob = int(rnd.lognormvariate(6 if not big else 7, 1.5))
            rb = int(rnd.lognormvariate(7 if not big else 10, 2))
            dur = "%.6f" % rnd.lognormvariate(-1, 2)
            op = max(1, ob // 1200 + rnd.randrange(1, 8))
            rp = max(1, rb // 1400 + rnd.randrange(1, 8))
            ob_s, rb_s = str(ob), str(rb)
        hdr = 40 if tcp else 28
        return "%s\t%s\t%s\t%s\tT\tF\t0\t%s\t%d\t%d\t%d\t%d\t(empty)" % (
            dur, ob_s, rb_s, state, hist, op, ob + op * hdr, rp,
            rb + rp * hdr)
    profiles = [(443, "tcp", "ssl", 40, True), (80, "tcp", "http", 12, True),
                (53, "udp", "dns", 20, False), (123, "udp", "ntp", 4, False),
                (22, "tcp", "ssh", 2, False), (25, "tcp", "smtp", 2, False),
                (993, "tcp", "ssl", 3, False), (8080, "tcp", "http", 2, True),
                (3389, "tcp", "-", 1, False), (0, "tcp", "-", 8, False),
                (0, "udp", "-", 5, False), (8, "icmp", "-", 1, False)]
    out = []
    for port, proto, svc, w, big in profiles:
        tails = [tail(proto == "tcp", big) for _ in range(512)]
        out.append((port, proto, svc, w, tails))
    return out


def pick_profile(profiles):
    table = []
    for p in profiles:
        table += [p] * p[3]
    return table


def write_conn(path, lines, pools, seed, common):
    """conn.log; returns the planted hits."""
    rnd = random.Random(seed + 11)
    profiles = pick_profile(conn_tails(rnd))
    hits = []
    v4, v6 = pools["ipv4"], pools["ipv6"]
    c4, c6 = pools["cidr4"], pools["cidr6"]
    inside4, inside6 = common.inside4, common.inside6
    t = START * 1000000
    bits = rnd.getrandbits
    with open(path, "w") as f:
        f.write(zeek_header("conn", CONN_FIELDS))
        done = 0
        while done < lines:
            k = min(CHUNK, lines - done)
            buf = []
            for j in range(k):
                r = bits(64)
                t += r & 1023
                prof = profiles[(r >> 10) % len(profiles)]
                port = prof[0]
                if port == 0:
                    port = 1024 + (r >> 20) % 64000
                orig_p = 1024 + (r >> 36) % 64000
                hit = (r >> 52) % 1000 < 10 and v4
                v6line = (r >> 62) == 0 and (r >> 20) & 7 < 2
                if hit:
                    h = bits(32)
                    kind = h % 100
                    if kind < 75:
                        ln, val, _ = v4[(h >> 8) % len(v4)]
                        how = "exact"
                    elif kind < 90 and c4:
                        ln, _, (net, plen) = c4[(h >> 8) % len(c4)]
                        val = ip4(net | ((bits(32) & ((1 << (32 - plen)) -
                                                      1)) | 1))
                        how = "cidr"
                    elif kind < 97 and v6:
                        ln, val, _ = v6[(h >> 8) % len(v6)]
                        how = "exact"
                    elif c6:
                        ln, _, key = c6[(h >> 8) % len(c6)]
                        g = v6groups(bits(80))
                        val = "%x:%x:%x:%x:%x:%x:%x:%x" % (*key, *g[:5])
                        how = "cidr"
                    else:
                        ln, val, _ = v4[(h >> 8) % len(v4)]
                        how = "exact"
                    inside = inside6[(h >> 20) & 255] if ":" in val else \
                        inside4[(h >> 20) % len(inside4)]
                    if (h >> 30) == 0:     # a quarter: inbound, from it
                        orig, resp, field = val, inside, "id.orig_h"
                        port = (22, 3389, 443, 445)[(h >> 28) & 3]
                    else:
                        orig, resp, field = inside, val, "id.resp_h"
                    hits.append(("conn.log", HEADER_LINES + done + j + 1,
                                 field, val, ln, how))
                elif v6line:
                    orig = inside6[(r >> 40) & 255]
                    resp = common.outside6(bits(104))
                else:
                    orig = inside4[(r >> 40) % len(inside4)]
                    resp = common.outside4(bits(32))
                buf.append("%d.%06d\t%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\n" % (
                    t // 1000000, t % 1000000, common.uid(r >> 24, "C"), orig,
                    orig_p, resp, port, prof[1], prof[2],
                    prof[4][(r >> 44) & 511]))
            f.write("".join(buf))
            done += k
        f.write(zeek_close(t // 1000000 + 1))
    return hits


def benign_names(rnd):
    """Names that are under no indicator: the popular ones, and made-up
    ones under benign second-level domains or other top-level domains."""
    ok = [n for n in POPULAR + BENIGN_SLDS
          if not (n.split(".")[-1] in TLDS and
                  IND_LABEL.search(n.split(".")[-2]))]
    made = []
    for _ in range(20000):
        r = rnd.getrandbits(48)
        kind = r % 4
        if kind == 0:
            made.append("%x%x.%s" % (r >> 8 & 0xFFFF, r >> 24 & 0xFFFF,
                                     BENIGN_SLDS[(r >> 2) % len(BENIGN_SLDS)]))
        elif kind == 1:
            made.append("ec2-%d-%d-%d-%d.compute-1.amazonaws.com" %
                        (B_OCTETS[(r >> 8) % len(B_OCTETS)], r >> 16 & 255,
                         r >> 24 & 255, r >> 32 & 255))
        elif kind == 2:
            made.append("%s%d.%s" % (QUAD[(r >> 8) % 10000][:5],
                                     (r >> 24) % 100,
                                     OTHER_TLDS[(r >> 32) % len(OTHER_TLDS)]))
        else:
            made.append("www.%s-%s.%s" % (QUAD[(r >> 8) % 10000][:4],
                                          WORDS[(r >> 24) % len(WORDS)],
                                          OTHER_TLDS[(r >> 32) %
                                                     len(OTHER_TLDS)]))
    return ok, made


QTYPES = [(1, "A", 60), (28, "AAAA", 25), (65, "HTTPS", 5), (15, "MX", 2),
          (16, "TXT", 2), (12, "PTR", 5), (33, "SRV", 1)]


def write_dns(path, lines, pools, seed, common):
    """dns.log; returns the planted hits."""
    rnd = random.Random(seed + 13)
    doms = pools["domain"]
    popular, made = benign_names(rnd)
    qtab = []
    for q in QTYPES:
        qtab += [q] * q[2]
    resolvers = ["10.0.0.53", "10.0.0.54", "192.168.1.1", "8.8.8.8",
                 "1.1.1.1", "9.9.9.9"]
    inside4 = common.inside4
    hits = []
    t = START * 1000000 + 5000
    bits = rnd.getrandbits
    with open(path, "w") as f:
        f.write(zeek_header("dns", DNS_FIELDS))
        done = 0
        while done < lines:
            k = min(CHUNK, lines - done)
            buf = []
            for j in range(k):
                r = bits(64)
                t += r & 1023
                qt = qtab[(r >> 10) % 100]
                hit = (r >> 17) % 1000 < 10 and doms
                if hit:
                    h = bits(32)
                    ln, dom, _ = doms[h % len(doms)]
                    if (h >> 20) & 1:
                        q = dom
                        how = "exact"
                    else:
                        q = (SUBLABELS[(h >> 21) % len(SUBLABELS)]
                             if (h >> 26) & 1 else
                             "%x" % (bits(24) | 0x100)) + "." + dom
                        how = "subdomain"
                    hits.append(("dns.log", HEADER_LINES + done + j + 1,
                                 "query", q, ln, how))
                    if qt[1] == "PTR":
                        qt = qtab[0]
                elif qt[1] == "PTR":
                    q = "%d.%d.%d.%d.in-addr.arpa" % (
                        (r >> 20) & 255, (r >> 28) & 255, (r >> 36) & 255,
                        B_OCTETS[(r >> 44) % len(B_OCTETS)])
                elif (r >> 20) & 3 == 0:
                    q = popular[(r >> 22) % len(popular)]
                else:
                    q = made[(r >> 22) % len(made)]
                rc = (r >> 40) % 100
                if rc < 90:
                    rcode, rname = 0, "NOERROR"
                elif rc < 98:
                    rcode, rname = 3, "NXDOMAIN"
                else:
                    rcode, rname = 2, "SERVFAIL"
                ans = ttls = "-"
                if rcode == 0:
                    a = bits(40)
                    n = 1 + (a & 3) % 3
                    if qt[1] == "A":
                        vals = [common.outside4(bits(32)) for _ in range(n)]
                    elif qt[1] == "AAAA":
                        vals = [common.outside6(bits(104))]
                    elif qt[1] == "PTR":
                        vals = [made[(a >> 4) % len(made)]]
                    elif qt[1] == "MX":
                        vals = ["mx%d.%s" % (n, made[(a >> 4) % len(made)])]
                    elif qt[1] == "TXT":
                        vals = ["TXT 43 v=spf1 include:_spf.%s ~all" %
                                made[(a >> 4) % len(made)]]
                    else:
                        vals = []
                    if vals and (a >> 20) & 7 == 0:
                        vals.insert(0, made[(a >> 23) % len(made)])
                    if vals:
                        ttl = (60, 300, 3600, 20, 86400)[(a >> 2) % 5]
                        ans = ",".join(vals)
                        ttls = ",".join(["%d.000000" % ttl] * len(vals))
                proto = "udp" if (r >> 47) & 15 else "tcp"
                rtt = "-" if rcode == 2 else "0.%06d" % ((r >> 50) % 90000)
                buf.append(
                    "%d.%06d\t%s\t%s\t%d\t%s\t53\t%s\t%d\t%s\t%s\t1\t"
                    "C_INTERNET\t%d\t%s\t%d\t%s\tF\tF\tT\t%s\t0\t%s\t%s\t"
                    "F\n" % (
                        t // 1000000, t % 1000000, common.uid(r >> 20, "D"),
                        inside4[(r >> 44) % len(inside4)],
                        1024 + (r >> 30) % 64000,
                        resolvers[(r >> 54) % len(resolvers)], proto,
                        (r >> 24) & 0xFFFF, rtt, q, qt[0], qt[1], rcode,
                        rname, "T" if rcode != 2 else "F", ans, ttls))
            f.write("".join(buf))
            done += k
        f.write(zeek_close(t // 1000000 + 1))
    return hits


def generate(out, n, also=(), pool_from=None, conn=2000000, dns=2000000,
             seed=1):
    """Write everything; returns the summary."""
    also = sorted(m for m in set(also) if 0 < m < n)
    if pool_from is None:
        pool_from = also[0] if also else n
    os.makedirs(out, exist_ok=True)
    t0 = time.perf_counter()
    pools, kinds = write_indicators(out, n, also, pool_from, seed)
    t1 = time.perf_counter()
    common = Common(random.Random(seed + 5))
    hits = write_conn(os.path.join(out, "conn.log"), conn, pools, seed,
                      common)
    hits += write_dns(os.path.join(out, "dns.log"), dns, pools, seed, common)
    t2 = time.perf_counter()
    with open(os.path.join(out, "expected.tsv"), "w") as f:
        for h in hits:
            f.write("%s\t%d\t%s\t%s\t%d\t%s\n" % h)
    how = {}
    for h in hits:
        key = h[0].split(".")[0] + " " + h[5]
        how[key] = how.get(key, 0) + 1
    return {
        "indicators": n, "files": [n] + also, "pool_from": pool_from,
        "kinds": kinds, "conn_lines": conn, "dns_lines": dns,
        "header_lines": HEADER_LINES + 1, "hits": len(hits), "how": how,
        "exact_hits": sum(1 for h in hits if h[5] == "exact"),
        "pool": {k: len(v) for k, v in pools.items()},
        "indicator_seconds": t1 - t0, "log_seconds": t2 - t1,
        "bytes": {os.path.basename(p): os.path.getsize(p) for p in
                  [os.path.join(out, "indicators-%d.txt" % m)
                   for m in [n] + also] +
                  [os.path.join(out, "conn.log"),
                   os.path.join(out, "dns.log")]},
    }


def main():
    ap = argparse.ArgumentParser(description="indicators and Zeek logs for "
                                 "bench/detect.sh (bench/README.md)")
    ap.add_argument("--out", required=True, help="directory to write into")
    ap.add_argument("--indicators", "-n", type=int, default=10000000,
                    help="indicators in the largest file (default 10 M)")
    ap.add_argument("--also", default="",
                    help="comma-separated smaller counts: prefixes of it")
    ap.add_argument("--pool-from", type=int, default=None,
                    help="plant hits from the first P indicators only "
                         "(default: the smallest file)")
    ap.add_argument("--conn", type=int, default=2000000,
                    help="conn.log lines (default 2 M)")
    ap.add_argument("--dns", type=int, default=2000000,
                    help="dns.log lines (default 2 M)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    also = [int(x) for x in args.also.split(",") if x.strip()]
    if args.indicators < 100 or args.conn < 0 or args.dns < 0:
        ap.error("need --indicators >= 100")
    s = generate(args.out, args.indicators, also, args.pool_from, args.conn,
                 args.dns, args.seed)
    json.dump(s, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
