# SPDX-License-Identifier: Apache-2.0
#
# Feed benchmark, run by bench/feed.sh (which installs and builds first).
# Python 3 standard library only. On one generated Shadowserver-style
# scan_ntp report (17 columns, UTC timestamps, a tenth of the rows with
# extra quoting) it measures, in the same run:
#
#   read      `wc -l` over the file: the floor of reading it at all
#   parse     `cirtkit feed ingest --parse-only`: the parser alone
#   route     `--dry-run`: parser, enrichment (canonical names, a geo
#             prefix table), deduplication key and routing against
#             --constituents (10,000) constituents, each owning a /24,
#             an AS number and a domain; nothing stored
#   store     the whole pipeline into a fresh SQLite store, on
#             --store-rows rows (storage is not what the 200,000/s
#             target is about, but it is what a feed run costs)
#
# events/s, x the read floor, and peak RSS (VmHWM), at --small and
# --rows rows: memory must be flat. The generator is deterministic
# (--seed): 80% of rows fall in a constituent's range, 10% outside any
# but with a constituent's AS number, 10% nowhere; the routed counts are
# checked. It reports and never judges: exit 0 whenever it ran.

import argparse
import json
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http_bench as hb  # noqa: E402
import import_bench as ib  # noqa: E402

BenchError = hb.BenchError
note = hb.note
HEADER = ('"timestamp","ip","protocol","port","hostname","tag","asn",'
          '"geo","region","city","naics","sic","sector","response_size",'
          '"amplification","version","stratum"\n')


def owner_net(i):
    return "20.%d.%d" % (i >> 8, i & 255)


def asn_of(i):
    return 4200000000 + i


def gen_constituents(path, n):
    with open(path, "w") as f:
        f.write("name,country,asns,cidrs,domains,email\n")
        for i in range(n):
            f.write("Org %05d,XX,%d,%s.0/24,org%05d.example,"
                    "abuse@org%05d.example\n"
                    % (i, asn_of(i), owner_net(i), i, i))


def gen_report(path, rows, n, seed):
    """Rows of a scan_ntp report; returns (cidr, asn, none) counts."""
    rnd = random.Random(seed)
    counts = [0, 0, 0]
    base = 1763769600  # 2025-11-22
    with open(path, "w") as f:
        f.write(HEADER)
        for r in range(rows):
            i = rnd.randrange(n)
            kind = rnd.randrange(10)
            if kind < 8:
                ip = "%s.%d" % (owner_net(i), rnd.randrange(1, 255))
                asn = asn_of(i)
                counts[0] += 1
            elif kind == 8:
                ip = "30.%d.%d.%d" % (rnd.randrange(256), rnd.randrange(256),
                                      rnd.randrange(1, 255))
                asn = asn_of(i)
                counts[1] += 1
            else:
                ip = "40.%d.%d.%d" % (rnd.randrange(256), rnd.randrange(256),
                                      rnd.randrange(1, 255))
                asn = 64496
                counts[2] += 1
            t = time.strftime("%Y-%m-%d %H:%M:%S",
                              time.gmtime(base + r % 86400))
            quoted = '"node-%d.example.net"' % r if r % 10 == 0 else \
                "node-%d.example.net" % r
            f.write('"%s",%s,udp,123,%s,ntpversion,%d,XX,Region,City,0,0,'
                    '"Communications, Service Provider, and Hosting '
                    'Service",%d,%.2f,4,%d\n'
                    % (t, ip, quoted, asn, 400 + r % 100,
                       27 + (r % 50) / 10, 1 + r % 15))
    return counts


def ingest(binary, data, path, mode, work, tag):
    cmd = [binary, "feed", "ingest", "--parser", "shadowserver",
           "--feed", "bench", "--format", "json", "--data", data, path]
    if mode:
        cmd.insert(7, mode)
    out = os.path.join(work, tag + ".out")
    r = ib.run_measured(cmd, out)
    if r["rc"] != 0:
        raise BenchError(f"{tag}: exit {r['rc']}: {r['out'][-2000:]}")
    text = r["out"]
    rep = json.loads(text[text.index("{"):])
    return r, rep


def read_floor(path):
    t0 = time.perf_counter()
    subprocess.run(["wc", "-l", path], stdout=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - t0


def body(args, binary, work):
    meta = ib.meta_header(binary, "cirtkit feed benchmark")
    data = os.path.join(work, "data")
    hb.cli(binary, ["init", "--data", data])
    cons = os.path.join(work, "constituents.csv")
    gen_constituents(cons, args.constituents)
    t0 = time.perf_counter()
    hb.cli(binary, ["constituent", "import", cons, "--data", data])
    import_s = time.perf_counter() - t0
    rows = []
    checks = []
    for n in (args.small, args.rows):
        path = os.path.join(work, "2025-11-22-scan_ntp-bench-%d.csv" % n)
        note(f"generating {n} rows")
        want = gen_report(path, n, args.constituents, args.seed)
        size = os.path.getsize(path)
        floor = min(read_floor(path) for _ in range(3))
        rows.append([f"{n:,}", "read (wc -l)", "-",
                     f"{n / floor:,.0f}", "1.00", "-"])
        for tag, mode in (("parse", "--parse-only"), ("route", "--dry-run")):
            note(f"{tag} {n}")
            r, rep = ingest(binary, data, path, mode, work, f"{tag}-{n}")
            rate = rep["events"] / r["wall"]
            rows.append([f"{n:,}", tag, f"{r['wall']:.2f}",
                         f"{rate:,.0f}",
                         f"{(n / floor) / rate:.2f}",
                         f"{r['hwm']:.1f}"])
            if tag == "route":
                routed = rep["events"] - rep["unrouted"]
                checks.append((n, routed, want[0] + want[1]))
        note(f"{size / 1e6:.0f} MB")
    path = os.path.join(work, "2025-11-22-scan_ntp-store.csv")
    gen_report(path, args.store_rows, args.constituents, args.seed + 1)
    note(f"store {args.store_rows}")
    r, rep = ingest(binary, data, path, None, work, "store")
    rows.append([f"{args.store_rows:,}", "store (SQLite)",
                 f"{r['wall']:.2f}", f"{rep['stored'] / r['wall']:,.0f}",
                 "-", f"{r['hwm']:.1f}"])
    ib.print_header(meta, [
        f"{args.constituents:,} constituents (a /24, an AS number and a "
        f"domain each), imported from CSV in {import_s:.1f} s",
        "x read = how many times slower than reading the file with wc -l",
    ])
    print(hb.table(["rows", "stage", "wall s", "events/s", "x read",
                    "peak RSS MB"], rows, right=2))
    print()
    for n, got, want in checks:
        state = "ok" if got == want else "WRONG"
        print(f"routed at {n:,} rows: {got:,} (generator: {want:,}) {state}")
        if got != want:
            raise BenchError("routing gave the wrong count")


def main():
    ap = argparse.ArgumentParser(description="cirtkit feed benchmark "
                                 "(bench/feed.sh, bench/README.md)")
    ap.add_argument("--bin", default="build/cirtkit")
    ap.add_argument("--rows", type=int, default=2000000)
    ap.add_argument("--small", type=int, default=200000)
    ap.add_argument("--store-rows", type=int, default=100000)
    ap.add_argument("--constituents", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    binary = os.path.realpath(args.bin)

    def run(work):
        body(args, ib.snapshot(binary, work), work)
    return hb.run_main("cirt-feed-bench-", args.keep, run)


if __name__ == "__main__":
    sys.exit(main())
