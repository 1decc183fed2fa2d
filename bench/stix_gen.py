# SPDX-License-Identifier: Apache-2.0
#
# Synthetic STIX 2.1 bundles for the benchmarks (bench/README.md): a feed
# like a national CERT's, deterministic from a seed, written as it is made
# so that a bundle of millions of objects needs no memory. Python 3
# standard library only.
#
#   /usr/bin/python3 bench/stix_gen.py -n 100000 [--seed 1] -o bundle.json
#   /usr/bin/python3 bench/stix_gen.py -n 1000 -o - | less
#
# The mix, by share of the objects after the opening identities:
#
#   indicator      78 %  patterns over ipv4-addr (single addresses and
#                        CIDR ranges), domain-name, url and file hashes
#                        (MD5, SHA-1, SHA-256), about 6 % of them compound
#   new version     2 %  a later version of a recent indicator (same id,
#                        created and creator, a later modified; 1 in 10
#                        of them revokes it)
#   relationship   13 %  indicator "indicates" malware
#   malware         4 %  families and variants
#   vulnerability   2 %  CVE entries
#   identity        1 %  constituents (sector, contact); the first
#                        objects are the producers: the CERT and partners
#
# Markings: most objects are TLP:GREEN or TLP:AMBER (TLP 2.0 ids), some
# TLP:CLEAR, some unmarked; nothing above AMBER, so a collection made with
# --tlp-max amber refuses nothing. Every object is valid for
# `cirtkit validate`. Objects are 400 to 1200 bytes, 870 on average
# (indicators about 900, relationships 730, identities 600).
#
# As a module: objects(n, seed) yields each object's JSON text (compact,
# one line); write_bundle(out, n, seed) writes a bundle and returns its
# statistics. In a bundle, each object is on a line of its own.

import argparse
import random
import sys
import time

GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
CLEAR = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"

BASE_TIME = 1735689600  # 2025-01-01T00:00:00Z

PRODUCERS = [
    ("CERT-XX", "government", "cert@cert.example"),
    ("Partner CSIRT Energy", "energy", "soc@energy-csirt.example"),
    ("Partner CSIRT Finance", "financial-services", "csirt@fin.example"),
    ("National Telecom SOC", "telecommunications", "soc@telco.example"),
    ("University CERT", "education", "cert@uni.example"),
    ("Health ISAC", "healthcare", "isac@health.example"),
    ("Transport CSIRT", "transportation", "csirt@transport.example"),
    ("Vendor Threat Lab", "technology", "intel@vendor.example"),
]
SECTORS = ["energy", "financial-services", "government", "healthcare",
           "telecommunications", "transportation", "education",
           "manufacturing", "utilities", "retail", "technology", "defense"]
FAMILIES = ["Emotet", "QakBot", "IcedID", "AgentTesla", "Formbook",
            "RedLine", "Lumma", "AsyncRAT", "Remcos", "CobaltStrike",
            "Sliver", "BumbleBee", "Pikabot", "DarkGate", "SmokeLoader",
            "NjRAT", "Mirai", "LockBit", "BlackCat", "Akira"]
MALWARE_TYPES = [["trojan"], ["bot"], ["ransomware"], ["remote-access-trojan"],
                 ["spyware", "keylogger"], ["downloader", "dropper"],
                 ["backdoor"], ["worm", "bot"]]
PHASES = ["reconnaissance", "initial-access", "execution", "persistence",
          "defense-evasion", "credential-access", "discovery",
          "lateral-movement", "command-and-control", "exfiltration",
          "impact"]
IND_TYPES = [["malicious-activity"], ["malicious-activity"],
             ["malicious-activity", "attribution"], ["anomalous-activity"],
             ["compromised"], ["benign"]]
SYLLABLES = ["ka", "lo", "mi", "ne", "po", "ra", "si", "tu", "va", "xe",
             "zo", "bri", "cor", "dan", "fel", "gor", "hel", "jin", "mor",
             "nix", "qua", "sta", "tri", "vel", "wex"]
TLDS = ["com", "net", "org", "info", "biz", "ru", "cn", "top", "xyz",
        "online", "site", "example"]
PATHS = ["login", "update", "gate.php", "wp-admin/admin-ajax.php",
         "invoice", "download", "api/v1/beacon", "secure/verify",
         "files/doc.zip", "panel/index.php"]
WORDS = ("observed campaign infrastructure delivering payloads via phishing "
         "email attachments with malicious macros targeting organisations in "
         "the sector reported by constituents and confirmed by sensor "
         "telemetry at the national level blocked at resolvers since first "
         "seen during incident handling shared under the information "
         "exchange agreement with partner teams").split()


class Gen:
    """The state of one feed: the timeline, the producers, and what later
    objects may refer to (bounded, so memory does not grow with n)."""

    RING = 4096  # recent indicators, for new versions and relationships

    def __init__(self, seed):
        self.r = random.Random(seed)
        self.t_ms = BASE_TIME * 1000
        self.producers = []      # identity ids
        self.malware = []        # (id, name), at most 2000 kept
        self.ring = []           # recent indicators, as dicts of fields
        self.ring_pos = 0
        self.seq = 0
        self.counts = {}
        self.revoked = 0
        self.versions = 0

    # ---- small pieces ----

    def uuid(self):
        h = "%032x" % self.r.getrandbits(128)
        return (f"{h[:8]}-{h[8:12]}-4{h[13:16]}-"
                f"{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}")

    def tick(self):
        """Advance the timeline by 0.5 to 60 s; return the time text."""
        self.t_ms += self.r.randint(500, 60000)
        return self.ts(self.t_ms)

    @staticmethod
    def ts(ms):
        s, m = divmod(ms, 1000)
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + \
            f".{m:03d}Z"

    def marking(self, green=55, amber=20, clear=15):
        x = self.r.randrange(100)
        if x < green:
            return f',"object_marking_refs":["{GREEN}"]'
        if x < green + amber:
            return f',"object_marking_refs":["{AMBER}"]'
        if x < green + amber + clear:
            return f',"object_marking_refs":["{CLEAR}"]'
        return ""

    def sentence(self, lo, hi):
        r = self.r
        n = r.randint(lo, hi)
        return " ".join(r.choice(WORDS) for _ in range(n)).capitalize() + "."

    def domain(self):
        r = self.r
        label = "".join(r.choice(SYLLABLES) for _ in range(r.randint(2, 4)))
        if r.random() < 0.3:
            label = f"{r.choice(['mail', 'cdn', 'login', 'api', 'update'])}.{label}"
        return f"{label}{r.randint(0, 99) if r.random() < 0.4 else ''}.{r.choice(TLDS)}"

    def ipv4(self):
        r = self.r
        return f"{r.randint(1, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def hexd(self, bits):
        return "%0*x" % (bits // 4, self.r.getrandbits(bits))

    def pattern(self):
        """(pattern, short name, kill chain phase)"""
        r = self.r
        x = r.random()
        if x < 0.33:
            ip = self.ipv4()
            if r.random() < 0.1:
                net = ip.rsplit(".", 1)[0] + ".0/24"
                return (f"[ipv4-addr:value ISSUBSET '{net}']",
                        f"Malicious range {net}", "command-and-control")
            return (f"[ipv4-addr:value = '{ip}']", f"Malicious IP {ip}",
                    "command-and-control")
        if x < 0.58:
            d = self.domain()
            return (f"[domain-name:value = '{d}']", f"Malicious domain {d}",
                    "command-and-control")
        if x < 0.73:
            d = self.domain()
            u = f"http{'s' if r.random() < 0.6 else ''}://{d}/{r.choice(PATHS)}"
            if r.random() < 0.2:
                return (f"[url:value = '{u}'] AND [domain-name:value = '{d}']",
                        f"Phishing URL on {d}", "initial-access")
            return (f"[url:value = '{u}']", f"Malicious URL {u}",
                    "initial-access")
        y = r.random()
        if y < 0.6:
            h = self.hexd(256)
            return (f"[file:hashes.'SHA-256' = '{h}']",
                    f"Malicious file {h[:16]}", "execution")
        if y < 0.8:
            h = self.hexd(128)
            return (f"[file:hashes.MD5 = '{h}']",
                    f"Malicious file {h[:16]}", "execution")
        if y < 0.9:
            h = self.hexd(160)
            return (f"[file:hashes.'SHA-1' = '{h}']",
                    f"Malicious file {h[:16]}", "execution")
        h1, h2 = self.hexd(128), self.hexd(256)
        return (f"[file:hashes.MD5 = '{h1}' OR file:hashes.'SHA-256' = '{h2}']",
                f"Malicious file {h2[:16]}", "execution")

    def producer(self):
        # The CERT itself produces half of the feed.
        p = self.producers
        return p[0] if self.r.random() < 0.5 else self.r.choice(p)

    def count(self, t):
        self.counts[t] = self.counts.get(t, 0) + 1

    # ---- objects ----

    def identity(self, name, sector, contact, creator):
        now = self.tick()
        i = f"identity--{self.uuid()}"
        by = f'"created_by_ref":"{creator}",' if creator else ""
        self.count("identity")
        return i, (
            f'{{"type":"identity","spec_version":"2.1","id":"{i}",{by}'
            f'"created":"{now}","modified":"{now}","name":"{name}",'
            f'"description":"{self.sentence(12, 30)}",'
            f'"identity_class":"organization","sectors":["{sector}"],'
            f'"contact_information":"{contact}"'
            f'{self.marking(10, 0, 60)}}}')

    def constituent(self):
        r = self.r
        n = "".join(r.choice(SYLLABLES) for _ in range(3)).capitalize()
        sector = r.choice(SECTORS)
        return self.identity(f"{n} {r.choice(['Ltd', 'SA', 'GmbH', 'Agency', 'Hospital', 'Council'])}",
                             sector, f"security@{n.lower()}.example",
                             self.producers[0])[1]

    def malware_obj(self):
        r = self.r
        now = self.tick()
        i = f"malware--{self.uuid()}"
        fam = r.choice(FAMILIES)
        name = fam if r.random() < 0.5 else f"{fam} variant {r.randint(1, 999)}"
        if len(self.malware) < 2000:
            self.malware.append((i, name))
        else:
            self.malware[r.randrange(2000)] = (i, name)
        types = '","'.join(r.choice(MALWARE_TYPES))
        self.count("malware")
        return (
            f'{{"type":"malware","spec_version":"2.1","id":"{i}",'
            f'"created_by_ref":"{self.producer()}","created":"{now}",'
            f'"modified":"{now}","name":"{name}",'
            f'"description":"{self.sentence(20, 50)}",'
            f'"malware_types":["{types}"],"is_family":'
            f'{"true" if name == fam else "false"},'
            f'"aliases":["{fam.lower()}-{r.randint(1, 99)}"],'
            f'"kill_chain_phases":[{{"kill_chain_name":"mitre-attack",'
            f'"phase_name":"{r.choice(PHASES)}"}}],'
            f'"first_seen":"{now}"{self.marking(70, 10, 20)}}}')

    def indicator_text(self, f, modified, revoked=False):
        rev = ',"revoked":true' if revoked else ""
        ext = ""
        if f["ext"]:
            ext = (f',"external_references":[{{"source_name":"cert-xx",'
                   f'"url":"https://cert.example/advisories/{f["ext"]}",'
                   f'"external_id":"CERT-XX-{f["ext"]}"}}]')
        return (
            f'{{"type":"indicator","spec_version":"2.1","id":"{f["id"]}",'
            f'"created_by_ref":"{f["by"]}","created":"{f["created"]}",'
            f'"modified":"{modified}","name":"{f["name"]}",'
            f'"description":"{f["desc"]}",'
            f'"indicator_types":["{f["types"]}"],'
            f'"pattern":"{f["pattern"]}","pattern_type":"stix",'
            f'"pattern_version":"2.1","valid_from":"{f["created"]}",'
            f'"valid_until":"{f["until"]}",'
            f'"kill_chain_phases":[{{"kill_chain_name":"mitre-attack",'
            f'"phase_name":"{f["phase"]}"}}],'
            f'"labels":["{f["label"]}"],"confidence":{f["conf"]}'
            f'{rev}{ext}{f["mark"]}}}')

    def indicator(self):
        r = self.r
        now = self.tick()
        pattern, name, phase = self.pattern()
        fam = r.choice(FAMILIES)
        f = {
            "id": f"indicator--{self.uuid()}",
            "by": self.producer(),
            "created": now,
            "name": f"{name} ({fam})",
            "desc": self.sentence(5, 24),
            "types": '","'.join(r.choice(IND_TYPES)),
            "pattern": pattern,
            "until": self.ts(self.t_ms + r.randint(30, 365) * 86400000),
            "phase": phase,
            "label": fam.lower(),
            "conf": r.choice([15, 50, 70, 85, 100]),
            "ext": (f"{2025 + (self.t_ms // 1000 - BASE_TIME) // 31536000}"
                    f"-{r.randint(1, 9999):04d}") if r.random() < 0.35 else "",
            "mark": self.marking(),
        }
        if len(self.ring) < self.RING:
            self.ring.append(f)
        else:
            self.ring[self.ring_pos] = f
            self.ring_pos = (self.ring_pos + 1) % self.RING
        self.count("indicator")
        return self.indicator_text(f, now)

    def new_version(self):
        """A later version of a recent indicator: new modified, new
        confidence and valid_until; sometimes revoked (then forgotten, as
        revocation is final)."""
        r = self.r
        if not self.ring:
            return self.indicator()
        k = r.randrange(len(self.ring))
        f = self.ring[k]
        now = self.tick()
        f["conf"] = r.choice([15, 50, 70, 85, 100])
        f["until"] = self.ts(self.t_ms + r.randint(30, 365) * 86400000)
        revoke = r.random() < 0.1
        self.versions += 1
        self.count("indicator")
        if revoke:
            self.revoked += 1
            last = self.ring.pop()
            if k < len(self.ring):
                self.ring[k] = last
            self.ring_pos = min(self.ring_pos, max(len(self.ring) - 1, 0))
        return self.indicator_text(f, now, revoke)

    def relationship(self):
        r = self.r
        if not self.ring or not self.malware:
            return self.indicator()
        now = self.tick()
        src = r.choice(self.ring)
        tgt, name = r.choice(self.malware)
        i = f"relationship--{self.uuid()}"
        self.count("relationship")
        return (
            f'{{"type":"relationship","spec_version":"2.1","id":"{i}",'
            f'"created_by_ref":"{src["by"]}","created":"{now}",'
            f'"modified":"{now}","relationship_type":"indicates",'
            f'"description":"{src["name"]} indicates {name}. '
            f'{self.sentence(5, 25)}",'
            f'"source_ref":"{src["id"]}","target_ref":"{tgt}",'
            f'"confidence":{r.choice([50, 70, 85])},'
            f'"start_time":"{now}"{self.marking(60, 25, 10)}}}')

    def vulnerability(self):
        r = self.r
        now = self.tick()
        year = 2015 + r.randrange(11)
        cve = f"CVE-{year}-{r.randint(1000, 49999)}"
        i = f"vulnerability--{self.uuid()}"
        self.count("vulnerability")
        return (
            f'{{"type":"vulnerability","spec_version":"2.1","id":"{i}",'
            f'"created_by_ref":"{self.producer()}","created":"{now}",'
            f'"modified":"{now}","name":"{cve}",'
            f'"description":"{self.sentence(20, 60)}",'
            f'"external_references":[{{"source_name":"cve",'
            f'"external_id":"{cve}","url":"https://www.cve.org/CVERecord?'
            f'id={cve}"}}]{self.marking(40, 0, 50)}}}')


def objects(n, seed=1, gen=None, versions=True):
    """Yield the JSON text of n objects (compact, one line each); with
    versions False, no later versions of an id (each object is its id's
    only version)."""
    g = gen or Gen(seed)
    nprod = min(len(PRODUCERS), max(1, n // 1000 + 1))
    made = 0
    for k in range(nprod):
        if made == n:
            return
        name, sector, contact = PRODUCERS[k]
        i, text = g.identity(name, sector, contact,
                             g.producers[0] if g.producers else None)
        g.producers.append(i)
        made += 1
        yield text
    r = g.r
    while made < n:
        x = r.randrange(100)
        if x < 78:
            yield g.indicator()
        elif x < 80:
            yield g.new_version() if versions else g.indicator()
        elif x < 93:
            yield g.relationship()
        elif x < 97:
            yield g.malware_obj()
        elif x < 99:
            yield g.vulnerability()
        else:
            yield g.constituent()
        made += 1


def write_bundle(out, n, seed=1, versions=True):
    """Write a bundle of n objects to the binary file out; return
    {"objects", "bytes", "counts", "versions", "revoked", "seconds"}."""
    t0 = time.perf_counter()
    g = Gen(seed)
    bid = f"bundle--{Gen(seed + 0x5EED).uuid()}"
    head = f'{{"type":"bundle","id":"{bid}","objects":[\n'.encode()
    out.write(head)
    size = len(head)
    buf = []
    first = True
    for text in objects(n, seed, g, versions):
        if not first:
            buf.append(",\n")
        buf.append(text)
        first = False
        if len(buf) >= 2048:
            chunk = "".join(buf).encode()
            out.write(chunk)
            size += len(chunk)
            buf.clear()
    buf.append("\n]}\n")
    chunk = "".join(buf).encode()
    out.write(chunk)
    size += len(chunk)
    return {"objects": n, "bytes": size, "counts": dict(g.counts),
            "versions": g.versions, "revoked": g.revoked,
            "seconds": time.perf_counter() - t0}


def main():
    ap = argparse.ArgumentParser(
        description="Write a synthetic STIX 2.1 bundle (a national CERT's "
                    "feed), deterministic from the seed.")
    ap.add_argument("-n", "--objects", type=int, default=1000,
                    help="objects in the bundle (default 1000)")
    ap.add_argument("--seed", type=int, default=1,
                    help="random seed (default 1)")
    ap.add_argument("-o", "--output", default="-",
                    help="output file, - for stdout (default)")
    ap.add_argument("--stats", action="store_true",
                    help="print what was written on stderr")
    args = ap.parse_args()
    if args.objects < 1:
        ap.error("-n must be at least 1")
    if args.output == "-":
        st = write_bundle(sys.stdout.buffer, args.objects, args.seed)
        sys.stdout.buffer.flush()
    else:
        with open(args.output, "wb", buffering=1 << 20) as f:
            st = write_bundle(f, args.objects, args.seed)
    if args.stats:
        kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(st["counts"].items()))
        print(f"stix_gen: {st['objects']:,} objects, {st['bytes']:,} bytes "
              f"({st['bytes'] / st['objects']:.0f} B/object) in "
              f"{st['seconds']:.1f} s: {kinds}; {st['versions']:,} later "
              f"versions ({st['revoked']:,} revoking)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
