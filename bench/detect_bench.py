# SPDX-License-Identifier: Apache-2.0
#
# Detection benchmark, run by bench/detect.sh (which installs and builds
# first). Python 3 standard library only. On Zeek conn.log and dns.log
# files and mixed indicator files written by bench/detect_gen.py, it
# measures in the same run (docs: /work/shared/docs/PERFORMANCE.md):
#
#   cirtkit   `cirtkit match --indicators FILE --format zeek conn.log
#             dns.log`: once with an empty indicator file (the memory and
#             the speed of reading alone), then --repeat times at each
#             size: lines/s over the matching time (from its summary
#             line; the median), wall time, peak RSS (VmHWM sampled every
#             0.1 s), compile time and the bytes the matcher reports;
#             bytes per indicator both ways, (VmHWM - VmHWM empty) / N
#             and reported / N; every match is checked against the hits
#             the generator planted
#   ceiling   bench/hash_ceiling.c (compiled here, no project code): a
#             hash set of the same indicators, the same columns taken
#             from the same files: one lookup per value (exact), the
#             same plus ranges and parent names (full), and the kept
#             keys looked up again from memory (pure)
#   grep      `LC_ALL=C grep -F -c -f FILE conn.log dns.log` (time and
#             memory capped), and once with /dev/null to time its
#             pattern compilation alone
#
# It reports and never judges: exit 0 whenever it ran, whatever the
# figures; 1 when it could not (cirtkit failed, or its matches are not
# the planted ones). bench/README.md says how to read the figures.

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import detect_gen  # noqa: E402
import http_bench as hb  # noqa: E402
import import_bench as ib  # noqa: E402

BenchError = hb.BenchError
note = hb.note
BENCH = os.path.join(hb.ROOT, "bench")
TARGET_LPS = 2000000.0     # log lines/s per core
TARGET_BPI = 48.0          # bytes per indicator
TARGET_GREP = 10.0         # times faster than grep -F -f
NUM = r"([0-9][0-9.,e+]*)"
COMPILED = re.compile(r"^indicators: %s compiled in %s s, %s bytes, %s "
                      r"dropped" % (NUM, NUM, NUM, NUM), re.M)
SUMMARY = re.compile(r"^summary: %s lines read, %s lines/s, %s matches, %s "
                     r"malformed" % (NUM, NUM, NUM, NUM), re.M)
CONN_COLS = "id.orig_h,id.resp_h"
# what cirtkit's default Zeek field map looks up in dns.log
DNS_COLS = "id.orig_h,id.resp_h,query,answers"


def num(s):
    return float(s.replace(",", ""))


def mb(kb):
    return kb / 1024.0


# ---- cirtkit match ----

def match_run(binary, ind, logs, work, tag, perf_data=None, perf_delay=0):
    """One `cirtkit match`, stdout to TAG.out, stderr to TAG.err; under
    perf record when perf_data is given, from perf_delay ms on."""
    out = os.path.join(work, tag + ".out")
    err = os.path.join(work, tag + ".err")
    cmd = [binary, "match", "--indicators", ind, "--format", "zeek", *logs]
    if perf_data:
        cmd = ["perf", "record", "-q", "-g", "-o", perf_data,
               f"--delay={perf_delay}", "--"] + cmd
    # through a shell that execs it, so that the measured process (same
    # PID) is cirtkit and its stderr goes apart from the matches
    r = ib.run_measured(["sh", "-c", 'e=$1; shift; exec "$@" 2>"$e"', "sh",
                         err] + cmd, out)
    with open(err, errors="replace") as f:
        r["err"] = f.read()
    if r["rc"] != 0:
        raise BenchError(f"{tag}: cirtkit match exited with {r['rc']}:\n"
                         f"{r['err'][-2000:]}")
    c, s = COMPILED.search(r["err"]), SUMMARY.search(r["err"])
    if c is None or s is None:
        raise BenchError(f"{tag}: no 'indicators:' or 'summary:' line on "
                         f"stderr:\n{r['err'][-2000:]}")
    r["n"], r["compile_s"], r["bytes"], r["dropped"] = \
        (num(x) for x in c.groups())
    r["lines"], r["lps"], r["matches"], r["malformed"] = \
        (num(x) for x in s.groups())
    r["cpu"] = r["ru"].ru_utime + r["ru"].ru_stime
    r["cpu_wall"] = r["cpu"] / r["wall"] if r["wall"] > 0 else 0.0
    r["hwm_kb"] = r["hwm"] * 1024.0
    r["out_path"] = out
    return r


def load_expected(path):
    with open(path) as f:
        return [(a, int(b), c, d, int(e), g) for a, b, c, d, e, g in
                (line.rstrip("\n").split("\t") for line in f)]


def verify(out_path, expected):
    """The matches against the planted hits, by (log, line, value)."""
    want = {(e[0], e[1], e[3]): e for e in expected}
    got, fields, badref, parse = {}, {}, 0, 0
    with open(out_path, errors="replace") as f:
        for line in f:
            try:
                m = json.loads(line)
                key = (os.path.basename(m["source"]), int(m["line"]),
                       str(m["value"]))
            except (ValueError, KeyError, TypeError):
                parse += 1
                continue
            got[key] = m
            fields[m.get("field")] = fields.get(m.get("field"), 0) + 1
            e = want.get(key)
            if e and "line:%d" % e[4] not in m.get("indicators", []):
                badref += 1
    missing = [k for k in want if k not in got]
    extra = [k for k in got if k not in want]
    return {"matched": len(got), "missing": missing, "extra": extra,
            "badref": badref, "unparsed": parse, "fields": fields}


# ---- the baselines ----

def build_ceiling(args, work):
    exe = os.path.join(work, "hash_ceiling")
    cmd = [args.cc, "-O2", "-std=c11", "-Wall", "-Wextra", "-o", exe,
           os.path.join(BENCH, "hash_ceiling.c")]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError(f"{' '.join(cmd)}:\n{r.stderr}")
    return exe


def ceiling(exe, ind, conn, dns, dns_cols):
    r = subprocess.run([exe, ind, f"{conn}:{CONN_COLS}", f"{dns}:{dns_cols}"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError(f"hash_ceiling {ind}: {r.stderr.strip()}")
    kv = dict(f.split("=", 1) for f in r.stdout.split())
    return {k: float(v) for k, v in kv.items()}


def ceiling_runs(args, exe, ind, conn, dns, cols, repeat):
    runs = [ceiling(exe, ind, conn, dns, cols) for _ in range(repeat)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    for k in ("exact", "full"):
        med[k + "_lpcs"] = statistics.median(
            r["lines"] / r[k + "_cpu"] for r in runs)
    med["runs"] = runs
    return med


def grep_run(args, ind, files, work, tag):
    """grep -F -c -f under a memory cap and a time limit. Returns wall,
    peak RSS, the per-file counts, or why it did not finish."""
    out = os.path.join(work, tag + ".out")
    cap_kb = int(args.grep_mem_gb * 1024 * 1024)
    cmd = ["sh", "-c", 'ulimit -v "$1"; shift; export LC_ALL=C; '
           'exec grep -F -c -f "$@"', "sh", str(cap_kb), ind, *files]
    r = ib.run_measured(cmd, out, timeout=args.grep_timeout)
    r["counts"] = {}
    for line in r["out"].splitlines():
        name, _, count = line.rpartition(":")
        if count.isdigit():
            r["counts"][os.path.basename(name) or "-"] = int(count)
    r["why"] = None
    if r["stopped"]:
        r["why"] = f"> {args.grep_timeout} s"
    elif r["rc"] not in (0, 1):
        short = "memory exhausted" if "memory" in r["out"].lower() else \
            f"exit {r['rc']}"
        r["why"] = f"{short} (cap {args.grep_mem_gb:g} GB)"
    return r


# ---- the report ----

def fmt(v, digits=0):
    return f"{v:,.{digits}f}"


def med(runs, key):
    vals = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def report(args, meta, gen, empty, sizes, ceil, ref, greps, perf):
    w = print
    total_lines = gen["conn_lines"] + gen["dns_lines"] + \
        2 * gen["header_lines"]
    log_mb = (gen["bytes"]["conn.log"] + gen["bytes"]["dns.log"]) / 1e6
    ib.print_header(meta, [
        f"logs: conn.log {gen['conn_lines']:,} + dns.log "
        f"{gen['dns_lines']:,} records ({total_lines:,} lines with the "
        f"Zeek headers, {log_mb:,.0f} MB); {gen['hits']:,} planted hits "
        f"({100.0 * gen['hits'] / total_lines:.2f} % of the lines)",
        "indicators: " + ", ".join(
            f"{k} {100.0 * v / gen['indicators']:.1f}%"
            for k, v in gen["kinds"].items()) +
        f" (of {gen['indicators']:,}; smaller files are its first lines)",
        f"generated in {gen['indicator_seconds']:.1f} s (indicators) + "
        f"{gen['log_seconds']:.1f} s (logs), seed {args.seed}; "
        f"{args.repeat} runs of each measurement, the median shown",
    ])

    w("\nSPEED (cirtkit match --format zeek conn.log dns.log, one "
      "process)\n")
    rows = []
    for n, runs in [(0, [empty])] + sizes:
        lpcs = med(runs, "lpcs")
        c = ceil.get(n)
        g = greps.get(n)
        row = [fmt(n), fmt(lpcs) if lpcs else "-",
               f"{lpcs / TARGET_LPS:.2f}" if lpcs else "-",
               fmt(med(runs, "lps")),
               f"{min(r['lps'] for r in runs):,.0f}-"
               f"{max(r['lps'] for r in runs):,.0f}",
               f"{med(runs, 'wall'):.2f}",
               f"{100 * med(runs, 'cpu_wall'):.0f}%"]
        if c and lpcs:
            row += [f"{lpcs / c['exact_lpcs']:.2f}",
                    f"{lpcs / c['full_lpcs']:.2f}"]
        else:
            row += ["-", "-"]
        if g and not g["why"] and lpcs:
            gl = g.get("match_lpcs")
            row += [f"{lpcs / gl:,.1f}" if gl else "-",
                    f"{g['wall'] / med(runs, 'wall'):,.1f}"]
        else:
            row += ["-", "-"]
        rows.append(row)
    print(hb.table(["indicators", "lines/CPU-s", "x 2M target",
                    "lines/s (reported)", "range", "wall s", "CPU/wall",
                    "x ceiling exact", "x ceiling full", "x grep",
                    "x grep wall"], rows, right=1))
    w("\nlines/CPU-s: log lines over the CPU time of matching (the run's "
      "CPU minus that of the same command on a log of headers only), the "
      "per-core rate; lines/s (reported): from cirtkit's summary line, "
      "over the wall time of matching. x ceiling exact / full: over "
      "hash_ceiling's lines/CPU-s on the same columns, one lookup a value "
      "(exact) or also ranges and parent names (full). x grep: over grep's "
      "lines/CPU-s without its compile time; x grep wall: grep's wall "
      "time over cirtkit's, both compiling their patterns.")

    w("\nMEMORY AND COMPILING\n")
    rows = []
    base = empty["hwm_kb"]
    for n, runs in sizes:
        hwm = max(r["hwm_kb"] for r in runs)
        rep = med(runs, "bytes")
        comp = med(runs, "compile_s")
        bpi = (hwm - base) * 1024.0 / n
        c = ceil.get(n)
        rows.append([fmt(n), f"{comp:.2f}",
                     fmt(n / comp) if comp > 0 else "-",
                     fmt(runs[0]["dropped"]), f"{rep / 1e6:,.1f}",
                     f"{rep / n:.1f}", f"{mb(hwm):,.1f}", f"{bpi:.1f}",
                     f"{max(bpi, rep / n) / TARGET_BPI:.2f}",
                     f"{c['table_bytes'] / n:.1f}" if c else "-",
                     f"{c['maxrss_kb'] / 1024:,.1f}" if c else "-"])
    print(hb.table(["indicators", "compile s", "indicators/s", "dropped",
                    "matcher MB", "B/ind (matcher)", "peak RSS MB",
                    "B/ind (RSS)", "x 48 B target", "ceiling B/ind",
                    "ceiling RSS MB"], rows, right=1))
    w(f"\nB/ind (RSS) = (peak RSS - {mb(base):.1f} MB, the peak with an "
      f"empty indicator file) / N; B/ind (matcher) = the bytes cirtkit "
      f"reports / N; x 48 B target: the larger of the two over 48. "
      f"hash_ceiling keeps 64-bit hashes only (no values, no sources).")

    w(f"\nMATCHES (against the {gen['hits']:,} hits planted: "
      + ", ".join(f"{k} {v:,}" for k, v in sorted(gen["how"].items()))
      + ")\n")
    rows = []
    for n, runs in sizes:
        v = runs[0]["verify"]
        c = ceil.get(n)
        g = greps.get(n)
        stable = len({r["matches"] for r in runs}) == 1
        rows.append([fmt(n), fmt(runs[0]["matches"]),
                     "yes" if stable else "NO",
                     fmt(len(v["missing"])), fmt(len(v["extra"])),
                     fmt(v["badref"]), fmt(runs[0]["malformed"]),
                     f"{c['exact_hits']:,.0f} / {gen['exact_hits']:,}"
                     if c else "-",
                     f"{c['full_hits']:,.0f}" if c else "-",
                     f"{sum(g['counts'].values()):,}"
                     if g and not g["why"] else "-"])
    print(hb.table(["indicators", "matches", "stable", "missing", "extra",
                    "wrong indicator", "malformed",
                    "ceiling exact / planted exact", "ceiling full",
                    "grep lines"], rows, right=1))
    w("\nmissing, extra: planted hits cirtkit did not report, matches it "
      "reported that were not planted (by log, line and value); wrong "
      "indicator: matches without the planted indicator's line:N. grep "
      "counts lines holding any indicator as a substring (no ranges, "
      "and more than whole values).")

    w("\nBASELINES (rates per CPU-second)\n")
    rows = []
    for n in sorted(set(ceil) | set(greps)):
        c = ceil.get(n)
        if c:
            rows.append([fmt(n), "hash_ceiling load",
                         f"{c['load_seconds']:.2f}", f"{c['load_cpu']:.2f}",
                         fmt(c["indicators"] / c["load_cpu"]) + " ind/s",
                         f"{c['maxrss_kb'] / 1024:,.1f}"])
            for k, label in (("exact", "exact, 1 lookup a value"),
                             ("full", "full, + ranges, parents")):
                rows.append([fmt(n), f"hash_ceiling {label}",
                             f"{c[k + '_seconds']:.2f}",
                             f"{c[k + '_cpu']:.2f}",
                             fmt(c[k + "_lpcs"]) + " lines/s", ""])
            rows.append([fmt(n), "hash_ceiling pure (keys in memory)",
                         f"{c['pure_seconds']:.3f}", f"{c['pure_cpu']:.3f}",
                         fmt(c["pure_keys"] / c["pure_cpu"]) +
                         " lookups/s", ""])
            r = ref.get(n)
            if r:
                rows.append([fmt(n), "hash_ceiling exact, dns query only",
                             f"{r['exact_seconds']:.2f}",
                             f"{r['exact_cpu']:.2f}",
                             fmt(r["exact_lpcs"]) + " lines/s", ""])
        g = greps.get(n)
        if g:
            if g["why"]:
                rows.append([fmt(n), "grep -F -f, both logs",
                             f"{g['wall']:.1f}", f"{g['cpu']:.1f}",
                             g["why"], f"{g['hwm']:,.1f}"])
                continue
            rows.append([fmt(n), "grep -F -f, both logs",
                         f"{g['wall']:.1f}", f"{g['cpu']:.1f}",
                         fmt(total_lines / g["cpu"]) + " lines/s",
                         f"{g['hwm']:,.1f}"])
            cw = g.get("compile")
            if cw:
                rows.append([fmt(n), "grep -F -f, /dev/null (compiling)",
                             f"{cw['wall']:.1f}", f"{cw['cpu']:.1f}",
                             fmt(n / cw["cpu"]) + " ind/s",
                             f"{cw['hwm']:,.1f}"])
            if g.get("match_lpcs"):
                rows.append([fmt(n), "grep, matching alone (difference)",
                             f"{g['wall'] - cw['wall']:.1f}",
                             f"{g['cpu'] - cw['cpu']:.1f}",
                             fmt(g["match_lpcs"]) + " lines/s", ""])
    print(hb.table(["indicators", "what", "wall s", "CPU s", "rate",
                    "peak RSS MB"], rows, right=2))

    w("\nNOTES\n")
    big_n, big = sizes[-1]
    lpcs = med(big, "lpcs")
    if lpcs:
        w(f"- at {big_n:,} indicators: {lpcs:,.0f} lines per CPU-second "
          f"= {lpcs / TARGET_LPS:.2f} of the 2,000,000 target")
    for n, runs in sizes:
        v = runs[0]["verify"]
        if v["missing"] or v["extra"] or v["badref"] or v["unparsed"]:
            w(f"- {n:,}: {len(v['missing'])} planted hits not reported, "
              f"e.g. {v['missing'][:3]}; {len(v['extra'])} matches not "
              f"planted, e.g. {v['extra'][:3]}; {v['badref']} without "
              f"the planted indicator's line; {v['unparsed']} output lines "
              f"not JSON with source, line and value")
        if runs[0]["dropped"]:
            w(f"- {n:,}: cirtkit dropped {runs[0]['dropped']:,.0f} "
              f"indicators (the generator means none to be special)")
    fields = sizes[0][1][0]["verify"]["fields"]
    w("- fields of the matches: " +
      ", ".join(f"{k} {v:,}" for k, v in sorted(fields.items(),
                                                   key=str)))
    w(f"- empty indicator file: {empty['lpcs'] or 0:,.0f} lines/CPU-s "
      f"({empty['lps']:,.0f} lines/s reported), peak RSS "
      f"{empty['hwm']:.1f} MB: reading and splitting, no lookup hits")
    w(f"- hash_ceiling columns: conn.log {CONN_COLS}; dns.log "
      f"{args.dns_columns}")
    for n, g in sorted(greps.items()):
        if g["why"]:
            w(f"- grep at {n:,} indicators did not finish: {g['why']}")
    if perf:
        w(f"- perf record -g of one more run at {big_n:,} indicators, "
          f"matching only (from {perf['delay'] / 1000:.1f} s on, after "
          f"compiling; {perf['wall']:.1f} s under perf), by library: " +
          "; ".join(re.sub(r"\s+", " ", x) for x in perf["dso"]))
        w("  top symbols:")
        for x in perf["sym"]:
            w(f"    {re.sub(r'  +', '  ', x)}")
    w(f"- load average at the start {meta['load0']}, at the end "
      f"{hb.loadavg()}")


# ---- the run ----

def per_cpu(r, floor_cpu):
    """Lines per CPU-second of matching: the run's CPU minus that of the
    same command on a log of headers only (start-up and compiling)."""
    r["mcpu"] = r["cpu"] - floor_cpu
    r["lpcs"] = r["lines"] / r["mcpu"] if r["mcpu"] > 0.005 else None
    return r


def grep_all(args, files, logs, total_lines, work):
    greps = {}
    for n in sorted(files):
        note(f"grep -F -f, {n:,} indicators (at most {args.grep_timeout} s, "
             f"{args.grep_mem_gb:g} GB)")
        g = grep_run(args, files[n], logs, work, f"grep-{n}")
        g["cpu"] = g["ru"].ru_utime + g["ru"].ru_stime
        if not g["why"]:
            c = grep_run(args, files[n], ["/dev/null"], work,
                         f"grep-{n}-compile")
            c["cpu"] = c["ru"].ru_utime + c["ru"].ru_stime
            if not c["why"]:
                g["compile"] = c
                if g["cpu"] > c["cpu"]:
                    g["match_lpcs"] = total_lines / (g["cpu"] - c["cpu"])
        greps[n] = g
    return greps


def body(args, binary, work):
    meta = ib.meta_header(binary, "cirtkit detection benchmark")
    sizes_n = sorted(args.sizes)
    note(f"generating {sizes_n[-1]:,} indicators, {args.conn:,} conn and "
         f"{args.dns:,} dns lines into {work}")
    gen = detect_gen.generate(work, sizes_n[-1], sizes_n[:-1],
                              pool_from=sizes_n[0], conn=args.conn,
                              dns=args.dns, seed=args.seed)
    note(f"generated in {gen['indicator_seconds']:.1f} + "
         f"{gen['log_seconds']:.1f} s")
    total_lines = args.conn + args.dns + 2 * gen["header_lines"]
    conn = os.path.join(work, "conn.log")
    dns = os.path.join(work, "dns.log")
    logs = [conn, dns]
    files = {n: os.path.join(work, f"indicators-{n}.txt") for n in sizes_n}
    expected = load_expected(os.path.join(work, "expected.tsv"))
    exe = build_ceiling(args, work)
    empty_path = os.path.join(work, "indicators-0.txt")
    open(empty_path, "w").close()
    # the same header as conn.log and no record: what a run costs
    # besides matching (start-up, compiling the indicators)
    hdr_log = os.path.join(work, "headers-only.log")
    with open(hdr_log, "w") as f:
        f.write(detect_gen.zeek_header("conn", detect_gen.CONN_FIELDS))
        f.write(detect_gen.zeek_close(detect_gen.START))

    note("cirtkit match, empty indicator file")
    floor = match_run(binary, empty_path, [hdr_log], work, "floor-0")
    empty = per_cpu(match_run(binary, empty_path, logs, work, "match-empty"),
                    floor["cpu"])
    os.unlink(empty["out_path"])
    sizes, ceil, ref = [], {}, {}
    for n in sizes_n:
        floor = match_run(binary, files[n], [hdr_log], work, f"floor-{n}")
        runs = []
        for k in range(args.repeat):
            note(f"cirtkit match, {n:,} indicators, run {k + 1}")
            r = match_run(binary, files[n], logs, work, f"match-{n}-{k}")
            per_cpu(r, floor["cpu"])
            if k == 0:
                r["verify"] = verify(r["out_path"], expected)
            os.unlink(r["out_path"])
            runs.append(r)
        sizes.append((n, runs))
        note(f"hash_ceiling, {n:,} indicators")
        ceil[n] = ceiling_runs(args, exe, files[n], conn, dns,
                               args.dns_columns, args.repeat)
        if args.dns_columns != "query":
            ref[n] = ceiling_runs(args, exe, files[n], conn, dns, "query", 1)
    perf = None
    if args.perf:
        note("cirtkit match under perf")
        data = os.path.join(work, "perf.data")
        # from after compiling (its median time, and a quarter more for
        # perf's own cost), so that the profile is of matching
        delay = int(1000 * (0.2 + 1.25 * med(sizes[-1][1], "compile_s")))
        p = match_run(binary, files[sizes_n[-1]], logs, work, "match-perf",
                      perf_data=data, perf_delay=delay)
        perf = ib.perf_summary(data)
        perf["wall"], perf["delay"] = p["wall"], delay
        os.unlink(data)
    greps = {} if args.no_grep else grep_all(args, files, logs, total_lines,
                                             work)
    report(args, meta, gen, empty, sizes, ceil, ref, greps, perf)
    bad = [n for n, runs in sizes if runs[0]["verify"]["missing"] or
           runs[0]["verify"]["extra"]]
    if bad:
        raise BenchError(f"matches differ from the planted hits at "
                         f"{', '.join(f'{n:,}' for n in bad)} indicators "
                         f"(see NOTES)")


def main():
    ap = argparse.ArgumentParser(
        description="cirtkit match benchmark: lines/s, bytes per indicator, "
                    "against grep -F -f and a bare hash loop "
                    "(bench/detect.sh, bench/README.md)")
    ap.add_argument("--bin", default=os.path.join(hb.ROOT, "build/cirtkit"),
                    help="the cirtkit binary (default build/cirtkit)")
    ap.add_argument("--quick", action="store_true",
                    help="100,000 indicators, 250,000 + 250,000 lines")
    ap.add_argument("--sizes", default=None,
                    help="indicator counts, comma-separated (default "
                         "1000000,10000000)")
    ap.add_argument("--conn", type=int, default=None,
                    help="conn.log records (default 2,000,000)")
    ap.add_argument("--dns", type=int, default=None,
                    help="dns.log records (default 2,000,000)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each measurement (default 3)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--grep-timeout", type=int, default=300,
                    help="seconds after which grep is stopped (default 300)")
    ap.add_argument("--grep-mem-gb", type=float, default=6.0,
                    help="address-space cap of grep in GB (default 6)")
    ap.add_argument("--no-grep", action="store_true", help="skip grep")
    ap.add_argument("--dns-columns", default=DNS_COLS,
                    help="dns.log columns hash_ceiling looks up (default "
                         "those of cirtkit's Zeek field map: %s)" % DNS_COLS)
    ap.add_argument("--perf", action="store_true",
                    help="profile one more run at the largest size with "
                         "perf record and print where the time goes")
    ap.add_argument("--cc", default="cc", help="C compiler (default cc)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary directory (data, outputs)")
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    quick = args.quick
    if args.sizes is None:
        args.sizes = "100000" if quick else "1000000,10000000"
    args.sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    if args.conn is None:
        args.conn = 250000 if quick else 2000000
    if args.dns is None:
        args.dns = 250000 if quick else 2000000
    if not args.sizes or min(args.sizes) < 1000 or args.repeat < 1 or \
            args.conn < 1000 or args.dns < 1000:
        ap.error("need sizes >= 1000, --conn and --dns >= 1000, "
                 "--repeat >= 1")
    binary = os.path.realpath(args.bin)
    if not os.access(binary, os.X_OK):
        ap.error(f"{binary} is not an executable; run tools/build.sh")
    if args.perf and shutil.which("perf") is None:
        ap.error("--perf: perf is not installed")

    def run(work):
        note(f"working in {work}")
        t0 = time.perf_counter()
        body(args, ib.snapshot(binary, work), work)
        note(f"done in {time.perf_counter() - t0:.0f} s")
    return hb.run_main("cirt-detect-bench-", args.keep, run)


if __name__ == "__main__":
    sys.exit(main())
