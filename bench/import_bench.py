# SPDX-License-Identifier: Apache-2.0
#
# STIX ingest benchmark, run by bench/import.sh (which installs and builds
# first). Python 3 standard library only. It measures, against baselines
# taken in the same run (docs: /work/shared/docs/PERFORMANCE.md):
#
#   baseline   jansson alone on the same bundle (bench/jansson_parse.c,
#              compiled here): the whole document with json_loadf, and one
#              object at a time as cirtkit's reader does (the ceiling)
#   import     `cirtkit import` of a bundle of N objects and of 10 N (fresh
#              stores), and of N again (every object already there): wall
#              time, objects/s committed, / jansson's, CPU, RSS
#              (VmRSS and VmHWM sampled every 0.1 s), bytes read and
#              written through system calls
#   TAXII POST the same N objects in envelopes of 1000 (under the API
#              root's max_content_length) on one keep-alive connection to
#              `cirtkit serve`, into a fresh store: objects/s
#
# on SQLite, and with --pg (or CIRT_TEST_PG_DSN) on PostgreSQL, where each
# import and the POSTs stop after --pg-timeout seconds. It prints one
# report. It reports and never judges: the exit status is 0 whenever the
# benchmark ran, whatever the figures; 1 when it could not.
# bench/README.md says how to read the figures.
#
# The generic helpers (clean-up, servers, tables, /proc readers) are
# bench/http_bench.py's; bench/taxii_bench.py uses this file's.

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http_bench as hb  # noqa: E402
import stix_gen  # noqa: E402

ROOT = hb.ROOT
BENCH = os.path.join(ROOT, "bench")
TARGET_OPS = 40000.0   # objects/s into SQLite, committed
TARGET_RSS_MB = 128.0
TAXII_MEDIA = "application/taxii+json;version=2.1"
BenchError = hb.BenchError
note = hb.note
CLEANUP = hb.CLEANUP


# ---- what the run is made of ----

def snapshot(binary, work):
    """A copy of the binary in the work directory, run instead of it: the
    tree is shared, and a rebuild during the run would change or break
    the binary under us."""
    copy = os.path.join(work, "cirtkit")
    shutil.copy2(binary, copy)
    return copy


def meta_header(binary, title):
    """Date, machine, versions and the source tree, for the header."""
    ver = hb.cli(binary, ["version"]).splitlines()
    head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short",
                           "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain",
                            "--", "src", "meson.build"],
                           capture_output=True, text=True)
    changed = [line[3:] for line in dirty.stdout.splitlines()]
    src = f"git {head.stdout.strip() or '?'}"
    if changed:
        shown = ", ".join(c.replace("src/", "") for c in changed[:6])
        more = f" and {len(changed) - 6} more" if len(changed) > 6 else ""
        src += f" + uncommitted changes in src/ ({shown}{more})"
    return {
        "title": title,
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "host": " ".join(os.uname()[i] for i in (0, 2, 4)),
        "cpus": os.cpu_count(),
        "load0": hb.loadavg(),
        "version": ver[0],
        "libs": ver[1] if len(ver) > 1 else "",
        "source": src,
    }


def print_header(meta, lines):
    w = print
    w()
    w("=" * 78)
    w(f"{meta['title']}, {meta['when']}")
    w(f"{meta['host']}; {meta['cpus']} CPUs; {meta['version']}")
    if meta["libs"]:
        w(meta["libs"])
    w(f"source: {meta['source']}")
    for line in lines:
        w(line)
    w("=" * 78)


def gen_bundle(path, n, seed, versions=True):
    note(f"generating {n:,} objects (seed {seed}) into {path}")
    with open(path, "wb", buffering=1 << 20) as f:
        st = stix_gen.write_bundle(f, n, seed, versions)
    return st


def mix_text(st):
    n = st["objects"]
    kinds = ", ".join(f"{k} {100.0 * v / n:.1f}%" for k, v in
                      sorted(st["counts"].items(), key=lambda kv: -kv[1]))
    return (f"{kinds}; {100.0 * st['versions'] / n:.1f}% are later versions "
            f"of an id ({st['revoked']:,} revoking)")


def mb(nbytes):
    return nbytes / 1e6


# ---- stores ----

class StoreMaker:
    """Fresh stores: SQLite in the work directory, PostgreSQL in fresh
    schemas (CIRT_TEST_PG_DSN, or a throwaway cluster with --pg), each
    dropped at the end."""

    def __init__(self, args, binary, work):
        self.args = args
        self.binary = binary
        self.work = work
        self.dsn = None
        self.k = 0

    def pg_wanted(self):
        return bool(os.environ.get("CIRT_TEST_PG_DSN") or self.args.pg)

    def pg_start(self):
        self.dsn = hb.pg_dsn(self.args)
        if self.dsn is None:
            raise BenchError("PostgreSQL wanted without a DSN or --pg")

    def psql(self, sql, schema=None):
        dsn = self.dsn
        if schema:
            dsn += f" options='-csearch_path={schema}'"
        r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v",
                            "ON_ERROR_STOP=1", dsn,
                            "-c", "SET client_min_messages = warning",
                            "-c", sql], capture_output=True, text=True)
        if r.returncode != 0:
            raise BenchError(f"psql: {sql}: {r.stderr.strip()}")
        return r.stdout.strip()

    def new(self, backend, label):
        """A fresh store with the admin token and one collection (alias
        'feed', TLP ceiling amber); returns the Store, with .coll (its
        id), .schema or .dir."""
        self.k += 1
        if backend == "sqlite":
            d = os.path.join(self.work, f"store{self.k}")
            store = hb.Store(label, ["--data", d])
            store.dir, store.schema = d, None
        else:
            if self.dsn is None:
                self.pg_start()
            schema = f"cirtkit_bench_{os.getpid()}_{self.k}"
            self.psql(f"CREATE SCHEMA {schema}")
            CLEANUP.later(lambda: self.psql(
                f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            store = hb.Store(label, [
                "--db", f"{self.dsn} options='-csearch_path={schema}'"])
            store.dir, store.schema = None, schema
        store.backend = backend
        hb.cli(self.binary, ["init", *store.args, "--team", "CIRT"])
        store.token = hb.cli(self.binary, [
            "token", "create", "admin", *store.args, "--expires-days", "0",
            "--label", "bench"]).strip()
        store.coll = hb.cli(self.binary, [
            "collection", "add", *store.args, "--root", "default",
            "--title", "National feed", "--alias", "feed",
            "--tlp-max", "amber"]).strip()
        return store

    def size(self, store):
        """Bytes of the store: the SQLite files, or the PostgreSQL
        schema's tables and indexes."""
        if store.dir:
            return sum(os.path.getsize(os.path.join(store.dir, f))
                       for f in os.listdir(store.dir))
        return int(self.psql(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            f"WHERE n.nspname = '{store.schema}' AND c.relkind = 'r'"))

    def count(self, store):
        """Object versions in the store."""
        if store.dir:
            import sqlite3
            con = sqlite3.connect(
                f"file:{os.path.join(store.dir, 'cirtkit.db')}?mode=ro",
                uri=True)
            try:
                return con.execute(
                    "SELECT count(*) FROM stix_objects").fetchone()[0]
            finally:
                con.close()
        return int(self.psql("SELECT count(*) FROM stix_objects",
                             store.schema))


# ---- a process measured from start to exit ----

def proc_io(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/io") as f:
            for line in f:
                k, _, v = line.partition(":")
                out[k] = int(v)
    except OSError:
        pass
    return out


def run_measured(cmd, out_path, timeout=None, progress=None, every=0.1):
    """Run cmd to its end (or SIGTERM after timeout seconds), sampling
    its VmRSS, VmHWM and /proc/PID/io every `every` s, and progress()
    every 5 s when given. Returns wall, exit code, rusage (wait4: CPU),
    the samples, the peak RSS (the last VmHWM sampled: wait4's ru_maxrss
    would count the Python that forked it) and whether it was stopped."""
    samples, prog = [], []
    hwm = 0.0
    with open(out_path, "w") as out:
        t0 = time.perf_counter()
        p = CLEANUP.track(subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, env=hb.child_env()))
    stopped = False
    next_prog = t0 + 5.0
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        now = time.perf_counter()
        if pid:
            break
        try:
            st = hb.proc_status(p.pid)
            samples.append((now - t0, st.get("VmRSS", 0.0),
                            proc_io(p.pid)))
            hwm = max(hwm, st.get("VmHWM", 0.0))
        except OSError:
            pass
        if progress and now >= next_prog:
            try:
                prog.append((now - t0, progress()))
            except BenchError:
                pass
            next_prog = now + 5.0
        if timeout and now - t0 > timeout and not stopped:
            p.send_signal(signal.SIGTERM)
            stopped = True
        time.sleep(every)
    wall = now - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    CLEANUP.forget(p)
    with open(out_path, errors="replace") as f:
        text = f.read()
    return {"wall": wall, "rc": p.returncode, "ru": ru, "samples": samples,
            "hwm": hwm,
            "progress": prog, "stopped": stopped, "out": text}


# ---- baselines ----

def build_parser(args, work):
    exe = os.path.join(work, "jansson_parse")
    cmd = [args.cc, "-O2", "-std=c11", "-Wall", "-Wextra", "-o", exe,
           os.path.join(BENCH, "jansson_parse.c"), "-ljansson"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError(f"{' '.join(cmd)}:\n{r.stderr}")
    return exe


def jansson(exe, mode, path):
    r = subprocess.run([exe, mode, path], capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError(f"jansson_parse {mode} {path}: {r.stderr.strip()}")
    kv = dict(f.split("=", 1) for f in r.stdout.split())
    return {"bytes": int(kv["bytes"]), "objects": int(kv["objects"]),
            "s": float(kv["seconds"]), "free": float(kv["free_seconds"]),
            "rss": int(kv["maxrss_kb"]) / 1024.0}


def baselines(args, exe, files):
    """jansson on the N bundle (read, whole document, per object, the
    last 3 times: the median) and per object on the 10 N bundle."""
    note("baseline: jansson alone on the same files")
    small = files["N"]
    res = {"read": jansson(exe, "read", small),
           "load": jansson(exe, "load", small)}
    runs = sorted((jansson(exe, "stream", small)
                   for _ in range(args.baseline_runs)), key=lambda r: r["s"])
    res["stream"] = runs[len(runs) // 2]
    res["stream"]["range"] = (runs[0]["s"], runs[-1]["s"])
    if "10N" in files:
        res["stream_big"] = jansson(exe, "stream", files["10N"])
    return res


# ---- imports ----

IMPORT_LINE = re.compile(r": (\d+) stored, (\d+) already there, "
                         r"(\d+) refused")


def do_import(args, binary, maker, store, path, tag, timeout=None,
              expect_stored=None, perf=False):
    note(f"{tag}: cirtkit import ({store.label})")
    cmd = [binary, "import", *store.args, "--collection", "feed", path]
    perf_data = None
    if perf:
        perf_data = os.path.join(maker.work, "perf-import.data")
        cmd = ["perf", "record", "-q", "-g", "-o", perf_data, "--"] + cmd
    progress = (lambda: maker.count(store)) if store.schema else None
    r = run_measured(cmd, os.path.join(maker.work, f"import{maker.k}.out"),
                     timeout=timeout, progress=progress)
    m = IMPORT_LINE.search(r["out"])
    if r["stopped"]:
        r["stored"] = maker.count(store)
        r["present"] = r["refused"] = 0
    elif r["rc"] != 0 or m is None:
        raise BenchError(f"{tag}: cirtkit import exited with {r['rc']}:\n"
                         f"{r['out'][-2000:]}")
    else:
        r["stored"], r["present"], r["refused"] = map(int, m.groups())
        if expect_stored is not None and r["stored"] != expect_stored:
            raise BenchError(f"{tag}: {r['stored']} stored, expected "
                             f"{expect_stored}:\n{r['out'][-2000:]}")
    r["tag"], r["store"] = tag, store.label
    r["size"] = maker.size(store)
    r["perf"] = perf_summary(perf_data) if perf_data else None
    return r


def perf_summary(data):
    """Shares of the samples by library, and the top symbols."""
    def rep(sort, limit):
        out = subprocess.run(
            ["perf", "report", "-i", data, "--no-children", "--stdio",
             "-g", "none", "--percent-limit", "0.7", "--sort", sort],
            capture_output=True, text=True).stdout
        rows = [line.strip() for line in out.splitlines()
                if re.match(r"\s+\d+\.\d+%", line)]
        return rows[:limit]
    return {"dso": rep("dso", 8), "sym": rep("dso,sym", 25)}


# ---- TAXII POST ----

def envelopes(path, limit_bytes, per=1000):
    """Envelopes of up to `per` objects, each under limit_bytes, from a
    bundle written by stix_gen (one object per line)."""
    head, tail = b'{"objects":[', b"]}"
    batch, size = [], len(head) + len(tail)
    with open(path, "rb") as f:
        f.readline()  # the bundle's opening line
        for line in f:
            line = line.rstrip(b"\n").rstrip(b",")
            if not line.startswith(b"{"):
                continue
            if batch and (len(batch) == per or
                          size + len(line) + 1 > limit_bytes):
                yield len(batch), head + b",".join(batch) + tail
                batch, size = [], len(head) + len(tail)
            batch.append(line)
            size += len(line) + 1
    if batch:
        yield len(batch), head + b",".join(batch) + tail


def taxii_post(args, binary, maker, store, path, tag, timeout=None):
    note(f"{tag}: TAXII POST in envelopes of {args.envelope} objects")
    srv = hb.Server(binary, store, maker.work, tag).start()
    srv.wait_ready()
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=300)
    hdr = {"Authorization": f"Bearer {store.token}", "Accept": TAXII_MEDIA}
    c.request("GET", "/taxii2/default/", headers=hdr)
    r = c.getresponse()
    body = r.read()
    if r.status != 200:
        raise BenchError(f"GET /taxii2/default/: {r.status} {body[:300]!r}")
    limit = json.loads(body)["max_content_length"]
    url = f"/taxii2/default/collections/{store.coll}/objects/"
    post_hdr = dict(hdr, **{"Content-Type": TAXII_MEDIA})
    lat, sizes, counts = [], [], []
    closes = 0
    cpu0 = hb.proc_cpu(srv.pid)
    t0 = time.perf_counter()
    stopped = False
    for n, env in envelopes(path, limit, args.envelope):
        if timeout and time.perf_counter() - t0 > timeout:
            stopped = True
            break
        t = time.perf_counter()
        c.request("POST", url, body=env, headers=post_hdr)
        r = c.getresponse()
        body = r.read()
        lat.append((time.perf_counter() - t) * 1000.0)
        if r.status != 202:
            raise BenchError(f"{tag}: POST {url}: {r.status} "
                             f"{body[:300]!r}")
        st = json.loads(body)
        if st.get("success_count") != n or st.get("failure_count"):
            raise BenchError(f"{tag}: POST of {n} objects: "
                             f"{st.get('success_count')} successes, "
                             f"{st.get('failure_count')} failures: "
                             f"{json.dumps(st.get('failures', [])[:3])}")
        if r.will_close:
            closes += 1
        sizes.append(len(env))
        counts.append(n)
    wall = time.perf_counter() - t0
    cpu = hb.proc_cpu(srv.pid) - cpu0
    mem = hb.proc_status(srv.pid)
    c.close()
    srv.stop()
    return {"tag": tag, "store": store.label, "lat": lat, "sizes": sizes,
            "counts": counts, "wall": wall, "cpu": cpu, "rss": mem["VmRSS"],
            "hwm": mem["VmHWM"], "closes": closes, "limit": limit,
            "stopped": stopped, "problems": srv.log_problems(),
            "size": maker.size(store)}


# ---- the report ----

def rss_profile(r):
    """Largest VmRSS sample in each quarter of the run, in MB."""
    s = r["samples"]
    if not s:
        return ["-"] * 4
    end = r["wall"]
    out = []
    for q in range(4):
        part = [rss for t, rss, _ in s if q * end / 4 <= t < (q + 1) * end / 4]
        out.append(f"{max(part):.1f}" if part else "-")
    return out


def last_io(r):
    for _, _, io in reversed(r["samples"]):
        if io:
            return io
    return {}


def report(args, meta, gen, base, imports, posts, files_meta):
    w = print
    lines = [f"bundles (bench/stix_gen.py, seed {args.seed}): " +
             "; ".join(f"{k} = {g['objects']:,} objects, "
                       f"{mb(g['bytes']):.1f} MB, "
                       f"{g['bytes'] / g['objects']:.0f} B/object, made in "
                       f"{g['seconds']:.1f} s" for k, g in gen.items()),
             "mix: " + mix_text(gen["N"])]
    print_header(meta, lines)

    # baselines
    w(f"\nBASELINE: jansson alone on the same files (bench/jansson_parse.c, "
      f"{args.cc} -O2)\n")
    rows = []

    def brow(what, bundle, r, secs):
        ops = r["objects"] / secs if r["objects"] else 0
        rows.append([what, bundle, f"{secs:.2f}",
                     f"{mb(r['bytes']) / secs:,.0f}",
                     f"{ops:,.0f}" if ops else "-", f"{r['rss']:.1f}"])
    brow("read the file, nothing else (the I/O floor)", "N", base["read"],
         base["read"]["s"])
    brow("json_loadf, whole bundle: parse", "N", base["load"],
         base["load"]["s"])
    brow("json_loadf, whole bundle: parse + free", "N", base["load"],
         base["load"]["s"] + base["load"]["free"])
    lo, hi = base["stream"]["range"]
    brow(f"per object as cirtkit reads (parse + free), "
         f"median of {args.baseline_runs}", "N", base["stream"],
         base["stream"]["s"])
    if "stream_big" in base:
        brow("per object as cirtkit reads (parse + free)", "10N",
             base["stream_big"], base["stream_big"]["s"])
    w(hb.table(["what", "bundle", "seconds", "MB/s", "objects/s",
                "peak RSS MB"], rows, 1))
    ceiling = base["stream"]["objects"] / base["stream"]["s"]
    w(f"\nthe ceiling: {ceiling:,.0f} objects/s (jansson per object on N; "
      f"range of the runs {base['stream']['objects'] / hi:,.0f} to "
      f"{base['stream']['objects'] / lo:,.0f}); the whole tree of N "
      f"holds {base['load']['rss']:.0f} MB = "
      f"{base['load']['rss'] / (base['load']['bytes'] / 2**20):.1f} x "
      f"the file")
    ceil = {"N": ceiling}
    if "stream_big" in base:
        ceil["10N"] = base["stream_big"]["objects"] / base["stream_big"]["s"]

    # imports
    w(f"\nIMPORT: cirtkit import --collection feed FILE (one process: a "
      f"reader thread parses, the main thread stores; commits every "
      f"10,000 objects)\n")
    w(f"x jansson: objects/s / jansson's per object on the same file; "
      f"x target: / {TARGET_OPS:,.0f} objects/s")
    w("objects/s counts the objects stored, or for `N again` those found "
      "already there\n")
    rows, mem = [], []
    for r in imports:
        done = r["stored"] + r["present"]
        ops = done / r["wall"]
        bundle = r["bundle"]
        xj = ops / ceil[bundle] if bundle in ceil else None
        ru = r["ru"]
        rows.append([
            r["store"], r["tag"], f"{done:,}" + (" (stopped)" if r["stopped"]
                                                 else ""),
            f"{r['wall']:.1f}", f"{ops:,.0f}",
            f"{xj:.2f}" if xj else "-",
            f"{ops / TARGET_OPS:.2f}",
            f"{ru.ru_utime:.1f} + {ru.ru_stime:.1f}",
            f"{100.0 * (ru.ru_utime + ru.ru_stime) / r['wall']:.0f}%",
            f"{r['hwm']:.1f}",
            f"{r['size'] / max(r['stored'], 1) if r['stored'] else 0:,.0f}"
            if r["stored"] else "-"])
        io = last_io(r)
        q = rss_profile(r)
        mem.append([r["store"], r["tag"], *q, f"{r['hwm']:.1f}",
                    f"{io.get('rchar', 0) / max(done, 1):,.0f}",
                    f"{io.get('wchar', 0) / max(done, 1):,.0f}",
                    f"{io.get('write_bytes', 0) / max(done, 1):,.0f}"])
    w(hb.table(["store", "bundle", "objects", "wall s", "objects/s",
                "x jansson", "x target", "CPU user + sys s", "CPU/wall",
                "peak RSS MB", "store B/object"], rows, 2))

    w("\nMEMORY AND I/O OF THE SAME IMPORTS (VmRSS: the largest sample "
      "in each quarter of the run, MB; peak: VmHWM;\n"
      "bytes per object through read/pread (rchar) and write/pwrite "
      "(wchar), and to the disk (write_bytes), from /proc/PID/io)\n")
    w(hb.table(["store", "bundle", "1st quarter", "2nd", "3rd", "4th",
                "peak", "read B/obj", "written B/obj", "disk B/obj"],
               mem, 2))

    # posts
    if posts:
        w(f"\nTAXII POST: envelopes of up to {args.envelope} objects on one "
          f"keep-alive connection, the N bundle into a fresh store\n")
        rows = []
        for p in posts:
            n = sum(p["counts"])
            ops = n / p["wall"]
            imp = next((r for r in imports if r["store"] == p["store"]
                        and r["bundle"] == "N" and not r["present"]), None)
            x_imp = (ops / (imp["stored"] / imp["wall"])
                     if imp and imp["stored"] else None)
            rows.append([
                p["store"], f"{len(p['counts']):,}" +
                (" (stopped)" if p["stopped"] else ""),
                f"{n:,}", f"{statistics.mean(p['sizes']) / 1e3:,.0f}",
                f"{ops:,.0f}", f"{x_imp:.2f}" if x_imp else "-",
                f"{ops / TARGET_OPS:.2f}",
                f"{statistics.median(p['lat']):.0f}",
                f"{hb.quantile(p['lat'], 0.99):.0f}",
                f"{max(p['lat']):.0f}",
                f"{100.0 * p['cpu'] / p['wall']:.0f}%",
                f"{n / p['cpu']:,.0f}" if p["cpu"] else "-",
                f"{p['hwm']:.1f}"])
        w(hb.table(["store", "envelopes", "objects", "KB each", "objects/s",
                    "x import", "x target", "p50 ms", "p99 ms", "max ms",
                    "server CPU", "objects per server CPU-s",
                    "server VmHWM MB"], rows, 1))

    # targets
    w("\nAGAINST THE TARGETS\n")
    for r in imports:
        if r["store"] != "sqlite" or r["present"]:
            continue
        ops = r["stored"] / r["wall"]
        w(f"- sqlite {r['tag']}: {ops:,.0f} objects/s = "
          f"{ops / TARGET_OPS:.2f} of the {TARGET_OPS:,.0f} target "
          f"({'met' if ops >= TARGET_OPS else 'MISSED'}); peak RSS "
          f"{r['hwm']:.1f} MB "
          f"({'under' if r['hwm'] < TARGET_RSS_MB else 'OVER'}"
          f" {TARGET_RSS_MB:.0f} MB)")
    for store in ("sqlite", "postgresql"):
        a = next((r for r in imports if r["store"] == store and
                  r["bundle"] == "N" and not r["present"]), None)
        b = next((r for r in imports if r["store"] == store and
                  r["bundle"] == "10N"), None)
        if a and b:
            ra, rb = a["hwm"], b["hwm"]
            oa, ob = a["stored"] / a["wall"], b["stored"] / b["wall"]
            w(f"- {store} 10N / N: peak RSS {rb:.1f} / {ra:.1f} MB = "
              f"{rb / ra:.2f} ({'flat' if rb / ra < 1.2 else 'GROWS'} "
              f"for a bundle {b['stored'] / max(a['stored'], 1):.0f} x "
              f"larger); objects/s {ob:,.0f} / {oa:,.0f} = {ob / oa:.2f}")

    # notes
    w("\nNOTES\n")
    for r in imports:
        ru = r["ru"]
        busy = (ru.ru_utime + ru.ru_stime) / r["wall"]
        w(f"- {r['store']} {r['tag']}: {r['stored']:,} stored, "
          f"{r['present']:,} already there, {r['refused']:,} refused; "
          f"{busy:.2f} of {os.cpu_count()} CPUs busy on average over the "
          f"{r['wall']:.1f} s wall (2.00 on 2: both pipeline threads "
          f"never wait); store {mb(r['size']):,.0f} MB")
        if r["progress"]:
            pts = [(0.0, 0)] + r["progress"]
            rates = [(pts[i][0], (pts[i][1] - pts[i - 1][1]) /
                      (pts[i][0] - pts[i - 1][0]))
                     for i in range(1, len(pts))]
            shown = rates if len(rates) <= 6 else rates[:3] + rates[-3:]
            w("    committed objects/s over the run (5 s steps, from a "
              "count in the store): " +
              ", ".join(f"{t:.0f} s: {v:,.0f}" for t, v in shown))
        if r["stopped"]:
            w(f"    stopped (SIGTERM) after {args.pg_timeout} s: "
              f"objects/s is of what was committed by then")
        if r.get("perf"):
            w(f"    perf record -g of another import of the same bundle "
              f"into a fresh store ({r['perf_wall']:.1f} s under perf)")
            w("    perf (where the import's CPU goes, by library): " +
              "; ".join(re.sub(r"\s+", " ", x) for x in r["perf"]["dso"]))
            w("    perf, top symbols:")
            for x in r["perf"]["sym"]:
                w(f"      {re.sub(r'  +', '  ', x)}")
    for p in posts:
        w(f"- {p['store']} TAXII POST: {sum(p['counts']):,} objects in "
          f"{len(p['counts'])} envelopes (max_content_length "
          f"{p['limit']:,} B, largest envelope {max(p['sizes']):,} B); "
          f"{p['closes']} server closes; {len(p['problems'])} warning or "
          f"error lines in the server's log; store {mb(p['size']):,.0f} MB")
        for line in p["problems"][:5]:
            w(f"    {line}")
    fs = statistics.median(files_meta["fsync"])
    w(f"- one write + fdatasync in the work directory: p50 {fs:.2f} ms "
      f"(a commit costs at least one)")
    w(f"- the bundles are in the page cache (written just before): the "
      f"read floor above is memory bandwidth, not the disk")
    w(f"- load average at the start {meta['load0']}, at the end "
      f"{hb.loadavg()}")


def main():
    ap = argparse.ArgumentParser(
        description="STIX ingest benchmark: cirtkit import and TAXII POST "
                    "against jansson's parse rate (bench/README.md).")
    hb.add_common_args(ap, "bundles, stores")
    ap.add_argument("--objects", "-n", type=int, default=100000,
                    help="objects in the bundle N (default 100,000)")
    ap.add_argument("--big", type=int, default=None,
                    help="objects in the large bundle (default 10 x N; "
                         "0: none)")
    ap.add_argument("--seed", type=int, default=1,
                    help="stix_gen seed (default 1)")
    ap.add_argument("--envelope", type=int, default=1000,
                    help="objects per TAXII POST (default 1000)")
    ap.add_argument("--no-post", action="store_true",
                    help="skip the TAXII POST runs")
    ap.add_argument("--no-again", action="store_true",
                    help="skip importing N a second time")
    ap.add_argument("--pg-timeout", type=int, default=120,
                    help="seconds after which a PostgreSQL import or POST "
                         "run is stopped (default 120)")
    ap.add_argument("--pg-big", action="store_true",
                    help="also import the 10 N bundle into PostgreSQL")
    ap.add_argument("--baseline-runs", type=int, default=3,
                    help="runs of jansson per object on N (default 3)")
    ap.add_argument("--perf", action="store_true",
                    help="profile the SQLite import of N with perf record "
                         "and print where the CPU goes")
    ap.add_argument("--cc", default="cc", help="C compiler (default cc)")
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    if args.big is None:
        args.big = 10 * args.objects
    if args.objects < 1000 or args.envelope < 1 or args.baseline_runs < 1:
        ap.error("need --objects >= 1000, --envelope and --baseline-runs "
                 ">= 1")
    real = hb.check_binary(ap, args)
    if args.perf and shutil.which("perf") is None:
        ap.error("--perf: perf is not installed")

    def body(work):
        binary = snapshot(real, work)
        meta = meta_header(binary, "cirtkit STIX ingest benchmark")
        exe = build_parser(args, work)
        files, gen = {}, {}
        files["N"] = os.path.join(work, "bundle-N.json")
        gen["N"] = gen_bundle(files["N"], args.objects, args.seed)
        if args.big:
            files["10N"] = os.path.join(work, "bundle-10N.json")
            gen["10N"] = gen_bundle(files["10N"], args.big, args.seed)
        base = baselines(args, exe, files)
        files_meta = {"fsync": hb.fsync_floor(work)}
        maker = StoreMaker(args, binary, work)
        imports, posts = [], []
        want = gen["N"]["objects"]

        s = maker.new("sqlite", "sqlite")
        r = do_import(args, binary, maker, s, files["N"], "N (fresh)",
                      expect_stored=want)
        r["bundle"] = "N"
        imports.append(r)
        if args.perf:
            # apart from the measured run, which perf would slow down
            p = do_import(args, binary, maker, maker.new("sqlite", "sqlite"),
                          files["N"], "N (fresh, under perf)",
                          expect_stored=want, perf=True)
            r["perf"], r["perf_wall"] = p["perf"], p["wall"]
        if not args.no_again:
            r = do_import(args, binary, maker, s, files["N"],
                          "N again (all there)")
            r["bundle"] = "N"
            imports.append(r)
        if args.big:
            s = maker.new("sqlite", "sqlite")
            r = do_import(args, binary, maker, s, files["10N"], "10N (fresh)",
                          expect_stored=gen["10N"]["objects"])
            r["bundle"] = "10N"
            imports.append(r)
        if not args.no_post:
            s = maker.new("sqlite", "sqlite")
            posts.append(taxii_post(args, binary, maker, s, files["N"],
                                    "sqlite-post"))
        if maker.pg_wanted():
            s = maker.new("postgresql", "postgresql")
            r = do_import(args, binary, maker, s, files["N"], "N (fresh)",
                          timeout=args.pg_timeout)
            r["bundle"] = "N"
            imports.append(r)
            if args.big and args.pg_big:
                s = maker.new("postgresql", "postgresql")
                r = do_import(args, binary, maker, s, files["10N"],
                              "10N (fresh)", timeout=args.pg_timeout)
                r["bundle"] = "10N"
                imports.append(r)
            if not args.no_post:
                s = maker.new("postgresql", "postgresql")
                posts.append(taxii_post(args, binary, maker, s, files["N"],
                                        "postgresql-post",
                                        timeout=args.pg_timeout))
        report(args, meta, gen, base, imports, posts, files_meta)
    return hb.run_main("cirtkit-import-", args.keep, body)


if __name__ == "__main__":
    sys.exit(main())
