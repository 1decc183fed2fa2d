# SPDX-License-Identifier: Apache-2.0
#
# TAXII GET benchmark, run by bench/taxii.sh (which installs and builds
# first). Python 3 standard library only. It measures, against baselines
# taken in the same run (docs: /work/shared/docs/PERFORMANCE.md):
#
#   stores     one collection of --small (10,000) and one of --large
#              (1,000,000) objects, and with --big N one more, made with
#              `cirtkit import` of bench/stix_gen.py bundles, plus a tail
#              of 100 objects imported apart (so that one page has exactly
#              100 objects and no next page)
#   routes     wrk -t2 -c64 -d10s --latency on pages of 100: the first
#              page of objects/, of manifest/, of objects/ with
#              match[type]=indicator and with added_after in the middle of
#              the collection, and the tail page (more=false: no paging
#              cursor is signed); and a walk following `next` through the
#              whole collection on --walkers connections (a wrk Lua script
#              made in the temporary directory)
#   baseline   the same routes on the small store (page cost should not
#              grow with the collection), and the tail page (the cost of a
#              page without the cursor a `more` page signs)
#
# on SQLite, and with --pg (or CIRT_TEST_PG_DSN) on PostgreSQL, where the
# stores are copies of the SQLite ones (rows moved with COPY, then
# ANALYZE), since `cirtkit import` on PostgreSQL is too slow today for a
# million objects (bench/import.sh); --pg-import makes them with it. It
# prints one report. It reports and never judges: the exit status is 0
# whenever the benchmark ran, whatever the figures; 1 when it could not.
# bench/README.md says how to read the figures.

import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http_bench as hb  # noqa: E402
import import_bench as ib  # noqa: E402

ROOT = hb.ROOT
TARGET_PAGES = 5000.0
TARGET_P99_MS = 20.0
TAXII_MEDIA = ib.TAXII_MEDIA
BenchError = hb.BenchError
note = hb.note
CLEANUP = hb.CLEANUP
TAIL = 100  # objects imported apart, after the bundle


def rfc3339(us):
    s, frac = divmod(us, 1000000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + \
        f".{frac:06d}Z"


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---- the stores ----

def store_query(maker, store, sql):
    """One value from the store (read-only on SQLite)."""
    if store.dir:
        con = sqlite3.connect(
            f"file:{os.path.join(store.dir, 'cirtkit.db')}?mode=ro",
            uri=True)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    return maker.psql(sql, store.schema)


def make_sqlite(args, binary, maker, size, work):
    """A SQLite store of `size` objects and the tail; the bundle file is
    removed after use unless PostgreSQL will import it too."""
    store = maker.new("sqlite", "sqlite")
    main = os.path.join(work, f"bundle-{size}.json")
    tail = os.path.join(work, f"tail-{size}.json")
    g = ib.gen_bundle(main, size, args.seed)
    gt = ib.gen_bundle(tail, TAIL, args.seed + 1000, versions=False)
    r = ib.do_import(args, binary, maker, store, main, f"{size:,}",
                     expect_stored=size)
    t_main = int(store_query(maker, store,
                             "SELECT max(date_added) FROM stix_objects"))
    ib.do_import(args, binary, maker, store, tail, "tail",
                 expect_stored=TAIL)
    store.size_n = size
    store.gen, store.gen_tail = g, gt
    store.built = {"how": "cirtkit import", "wall": r["wall"],
                   "ops": size / r["wall"], "hwm": r["hwm"]}
    store.files = (main, tail)
    store.t_main = t_main
    return store


def copy_to_pg(maker, src, dst):
    """Move the stix_objects rows of the SQLite store src into the
    PostgreSQL store dst with COPY, then ANALYZE."""
    con = sqlite3.connect(
        f"file:{os.path.join(src.dir, 'cirtkit.db')}?mode=ro", uri=True)
    cols = [row[1] for row in con.execute("PRAGMA table_info(stix_objects)")]
    src_coll = con.execute("SELECT id, spec_versions FROM collections "
                           "WHERE alias = 'feed'").fetchone()
    dst_coll = int(maker.psql("SELECT id FROM collections WHERE alias = "
                              "'feed'", dst.schema))
    ci = cols.index("collection_id")
    p = CLEANUP.track(subprocess.Popen(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
         f"{maker.dsn} options='-csearch_path={dst.schema}'",
         "-c", f"COPY stix_objects ({', '.join(cols)}) FROM STDIN"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE))

    def esc(v):
        if v is None:
            return "\\N"
        if isinstance(v, int):
            return str(v)
        return (v.replace("\\", "\\\\").replace("\t", "\\t")
                .replace("\n", "\\n").replace("\r", "\\r"))
    buf = []
    try:
        for row in con.execute(f"SELECT {', '.join(cols)} FROM stix_objects "
                               f"WHERE collection_id = {src_coll[0]} "
                               "ORDER BY seq"):
            row = list(row)
            row[ci] = dst_coll
            buf.append("\t".join(esc(v) for v in row))
            if len(buf) == 5000:
                p.stdin.write(("\n".join(buf) + "\n").encode())
                buf.clear()
        if buf:
            p.stdin.write(("\n".join(buf) + "\n").encode())
        p.stdin.close()
    finally:
        con.close()
    err = p.stderr.read().decode()
    p.wait()
    CLEANUP.forget(p)
    if p.returncode != 0:
        raise BenchError(f"COPY into {dst.schema}: {err.strip()}")
    maker.psql("SELECT setval(pg_get_serial_sequence('stix_objects', "
               "'seq'), (SELECT max(seq) FROM stix_objects)); "
               f"UPDATE collections SET spec_versions = '{src_coll[1]}' "
               f"WHERE id = {dst_coll}; ANALYZE stix_objects", dst.schema)


def make_pg(args, binary, maker, src):
    store = maker.new("postgresql", "postgresql")
    t0 = time.perf_counter()
    if args.pg_import:
        main, tail = src.files
        ib.do_import(args, binary, maker, store, main, f"{src.size_n:,}",
                     expect_stored=src.size_n)
        t_main = int(store_query(maker, store,
                                 "SELECT max(date_added) FROM stix_objects"))
        ib.do_import(args, binary, maker, store, tail, "tail",
                     expect_stored=TAIL)
        how = "cirtkit import"
    else:
        note(f"postgresql: copying the {src.size_n:,}-object store (COPY)")
        copy_to_pg(maker, src, store)
        t_main = src.t_main
        how = "COPY of the SQLite rows, then ANALYZE"
    wall = time.perf_counter() - t0
    store.size_n = src.size_n
    store.gen, store.gen_tail = src.gen, src.gen_tail
    store.built = {"how": how, "wall": wall, "ops": (src.size_n + TAIL) / wall,
                   "hwm": None}
    store.t_main = t_main
    return store


def mid_added(maker, store):
    """Just before the date_added of the row in the middle of the
    collection: added_after it starts at the import batch (1,000 rows
    share a date_added) holding the middle row."""
    n = int(store_query(maker, store, "SELECT count(*) FROM stix_objects"))
    return int(store_query(
        maker, store, "SELECT date_added FROM stix_objects ORDER BY "
        f"date_added, seq LIMIT 1 OFFSET {n // 2}")) - 1


# ---- routes ----

def routes(store, t_mid):
    c = f"/taxii2/default/collections/{store.coll}"
    return [
        # (key, label, path, what a page must hold)
        ("first", "objects/, first page", f"{c}/objects/?limit=100",
         "more"),
        ("tail", "objects/, last page (no more)",
         f"{c}/objects/?limit=100&added_after={rfc3339(store.t_main)}",
         "last"),
        ("manifest", "manifest/, first page", f"{c}/manifest/?limit=100",
         "more"),
        ("type", "objects/, match[type]=indicator",
         f"{c}/objects/?limit=100&match%5Btype%5D=indicator", "more"),
        ("added", "objects/, added_after = middle",
         f"{c}/objects/?limit=100&added_after={rfc3339(t_mid)}", "more"),
    ]


class Taxii:
    """A keep-alive TAXII client (http.client)."""

    def __init__(self, port, token):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.hdr = {"Authorization": f"Bearer {token}",
                    "Accept": TAXII_MEDIA}
        self.closes = 0

    def get(self, path):
        self.conn.request("GET", path, headers=self.hdr)
        r = self.conn.getresponse()
        body = r.read()
        if r.will_close:
            self.closes += 1
        if r.status != 200:
            raise BenchError(f"GET {path}: {r.status} {body[:300]!r}")
        return r, json.loads(body), len(body)

    def close(self):
        self.conn.close()


def sanity(srv, store, rts, t_mid):
    """Each route answers 200 with a page of 100, as it should, 50 times
    on one connection without the server closing it. Returns the bytes
    of each answer and the closes."""
    c = Taxii(srv.port, store.token)
    sizes = {}
    for key, label, path, kind in rts:
        for _ in range(50):
            r, page, size = c.get(path)
        objs = page.get("objects", [])
        if len(objs) != 100:
            raise BenchError(f"{store.label}: {label}: {len(objs)} objects, "
                             f"not 100")
        if kind == "more" and not (page.get("more") and page.get("next")):
            raise BenchError(f"{store.label}: {label}: no more/next")
        if kind == "last" and (page.get("more") or "next" in page):
            raise BenchError(f"{store.label}: {label}: more or next on the "
                             f"last page")
        if key == "type" and any(o["type"] != "indicator" for o in objs):
            raise BenchError(f"{store.label}: {label}: not all indicators")
        if key == "manifest" and any(set(o) != {"id", "date_added",
                                                "version", "media_type"}
                                     for o in objs):
            raise BenchError(f"{store.label}: {label}: odd entries")
        if key in ("added", "tail"):
            first = r.getheader("X-TAXII-Date-Added-First", "")
            bound = rfc3339(t_mid if key == "added" else store.t_main)
            if not first or parse_time(first) <= parse_time(bound):
                raise BenchError(f"{store.label}: {label}: first date_added "
                                 f"{first!r} not after {bound}")
        sizes[key] = size
    closes = c.closes
    c.close()
    return sizes, closes


def walk_check(srv, store, max_pages=None):
    """Follow next from the first page: every page has 100 objects but
    the last, no id comes twice; with max_pages None, to the end, where
    the count must be every object's latest version. Returns (pages,
    objects, seconds)."""
    c = Taxii(srv.port, store.token)
    base = f"/taxii2/default/collections/{store.coll}/objects/?limit=100"
    path, pages, seen = base, 0, set()
    t0 = time.perf_counter()
    while True:
        _, page, _ = c.get(path)
        objs = page.get("objects", [])
        pages += 1
        for o in objs:
            if o["id"] in seen:
                raise BenchError(f"{store.label}: walk: {o['id']} twice")
            seen.add(o["id"])
        if not page.get("more"):
            break
        if len(objs) != 100:
            raise BenchError(f"{store.label}: walk: page {pages} has "
                             f"{len(objs)} objects")
        if max_pages and pages >= max_pages:
            break
        path = f"{base}&next={page['next']}"
    secs = time.perf_counter() - t0
    c.close()
    if max_pages is None:
        want = (store.size_n - store.gen["versions"] + TAIL -
                store.gen_tail["versions"])
        if len(seen) != want:
            raise BenchError(f"{store.label}: walk: {len(seen):,} objects, "
                             f"expected {want:,} (latest versions)")
    return pages, len(seen), secs


WALK_LUA = r"""-- made by bench/taxii_bench.py: each connection follows `next`
-- through the collection, and starts again at the first page at the end.
-- One connection per wrk thread, so each thread's `path` is its own.
local first = "%(first)s"
local path = first
pages, walks, bad = 0, 0, 0
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function request()
   return wrk.format("GET", path)
end

function response(status, headers, body)
   pages = pages + 1
   if status ~= 200 then
      bad = bad + 1
      path = first
      return
   end
   local nxt = string.match(body, '^{"more":true,"next":"([%%x%%-]+)"')
   if nxt then
      path = first .. "&next=" .. nxt
   else
      walks = walks + 1
      path = first
   end
end

function done(summary, latency, requests)
   local p, w, b = 0, 0, 0
   for _, t in ipairs(threads) do
      p = p + t:get("pages")
      w = w + t:get("walks")
      b = b + t:get("bad")
   end
   io.write(string.format("WALK pages=%%d walks=%%d bad=%%d\n", p, w, b))
end
"""


def wrk_run(args, srv, store, path, duration, conns, threads, script=None,
            sample=True):
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}s",
           "--latency", "-H", f"Authorization: Bearer {store.token}",
           "-H", f"Accept: {TAXII_MEDIA}"]
    if script:
        cmd += ["-s", script]
    cmd.append(f"http://127.0.0.1:{srv.port}{path}")
    peak = 0.0
    cpu0, busy0, kids0 = (hb.proc_cpu(srv.pid), hb.machine_busy(),
                          hb.children_cpu())
    p = CLEANUP.track(subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True))
    while p.poll() is None:
        if sample:
            peak = max(peak, hb.proc_status(srv.pid)["VmRSS"])
        time.sleep(0.1)
    out = p.stdout.read()
    p.stdout.close()
    CLEANUP.forget(p)
    cpu = hb.proc_cpu(srv.pid) - cpu0
    wrk_cpu = hb.children_cpu() - kids0
    other = hb.machine_busy() - busy0 - cpu - wrk_cpu
    if p.returncode != 0:
        raise BenchError(f"wrk exited with {p.returncode}:\n{out}")
    if srv.proc.poll() is not None:
        raise BenchError(f"{srv.tag}: the server died under load:\n"
                         f"{srv.stderr_tail()}")
    r = hb.parse_wrk(out)
    m = re.search(r"WALK pages=(\d+) walks=(\d+) bad=(\d+)", out)
    if m:
        r["walk"] = tuple(map(int, m.groups()))
    after = hb.proc_status(srv.pid)
    r.update(cpu=cpu, wrk_cpu=wrk_cpu, other_cpu=max(other, 0.0),
             peak_rss=peak, rss_after=after["VmRSS"], seconds=float(duration))
    return r


def profile(args, srv, store, label, path, work):
    """perf record -g of the server through an extra wrk run of path, and
    strace -c -f through another: where a page's time goes."""
    note(f"{srv.tag}: perf and strace of the server on {label}")
    data = os.path.join(work, "perf-server.data")
    perf = CLEANUP.track(subprocess.Popen(
        ["perf", "record", "-q", "-g", "-o", data, "-p", str(srv.pid)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    r = wrk_run(args, srv, store, path, 5, args.connections, args.threads,
                sample=False)
    perf.send_signal(signal.SIGINT)
    perf.wait()
    CLEANUP.forget(perf)
    res = {"perf": ib.perf_summary(data), "perf_pages": r["requests"]}
    trace = os.path.join(work, "strace.txt")
    st = CLEANUP.track(subprocess.Popen(
        ["strace", "-c", "-f", "-o", trace, "-p", str(srv.pid)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    time.sleep(0.5)
    r = wrk_run(args, srv, store, path, 3, args.connections, args.threads,
                sample=False)
    st.send_signal(signal.SIGINT)
    st.wait()
    CLEANUP.forget(st)
    calls = []
    with open(trace) as f:
        for line in f:
            x = line.split()
            if len(x) >= 5 and re.fullmatch(r"[\d.]+", x[0]) and \
                    x[-1] != "total":
                calls.append((x[-1], int(x[3]), float(x[1])))
    calls.sort(key=lambda c: -c[1])
    res["strace"] = calls[:10]
    res["strace_pages"] = r["requests"]
    res["label"] = label
    return res


def measure_store(args, binary, maker, store, work):
    """One server on the store: sanity, each route, the walk."""
    tag = f"{store.label}-{store.size_n}"
    t_mid = mid_added(maker, store)
    rts = routes(store, t_mid)
    srv = hb.Server(binary, store, work, tag).start()
    res = {"store": store, "tag": tag, "runs": {}, "label": store.label}
    res["ready_ms"] = srv.wait_ready(60.0)
    res["idle"] = hb.proc_status(srv.pid)
    note(f"{tag}: checking the routes and the paging")
    res["sizes"], res["closes"] = sanity(srv, store, rts, t_mid)
    if store.size_n <= args.check_walk:
        res["check"] = walk_check(srv, store)
    else:
        res["check"] = walk_check(srv, store, 50)
    res["check_full"] = store.size_n <= args.check_walk
    for key, label, path, _ in rts:
        note(f"{tag}: wrk on {label}")
        if args.warmup:
            wrk_run(args, srv, store, path, args.warmup, args.connections,
                    args.threads, sample=False)
        r = wrk_run(args, srv, store, path, args.duration, args.connections,
                    args.threads)
        r["label"] = label
        res["runs"][key] = r
    script = os.path.join(work, "walk.lua")
    first = f"/taxii2/default/collections/{store.coll}/objects/?limit=100"
    with open(script, "w") as f:
        f.write(WALK_LUA % {"first": first})
    note(f"{tag}: wrk walking next on {args.walkers} connections")
    r = wrk_run(args, srv, store, first, args.duration, args.walkers,
                args.walkers, script)
    if "walk" not in r:
        raise BenchError(f"{tag}: the walk script printed no summary")
    r["label"] = f"walk: next to the end, {args.walkers} conns"
    res["runs"]["walk"] = r
    if args.perf and store.dir and store.size_n == max(args.sizes):
        res["profile"] = [profile(args, srv, store, label, path, work)
                          for key, label, path, _ in rts
                          if key in ("first", "tail")]
    res["after"] = hb.proc_status(srv.pid)
    res["stop_ms"] = srv.stop()
    res["problems"] = srv.log_problems()
    res["db_size"] = maker.size(store)
    return res


# ---- the report ----

ORDER = ["first", "tail", "manifest", "type", "added", "walk"]


def report(args, meta, results, fsync):
    w = print
    small = min(args.sizes)
    lines = [f"stores: one collection each of " +
             ", ".join(f"{s:,}" for s in args.sizes) +
             f" objects (bench/stix_gen.py, seed {args.seed}) + a tail of "
             f"{TAIL} imported apart",
             "mix: " + ib.mix_text(results[0]["store"].gen),
             f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s "
             f"--latency after {args.warmup} s of warm-up; the walk: "
             f"wrk -t{args.walkers} -c{args.walkers} with a Lua script"]
    ib.print_header(meta, lines)

    w("\nTHROUGHPUT AND LATENCY (pages of 100 objects; loopback; 1 run "
      "each)\n")
    w("x first page: pages/s / those of the first page of objects/ on the "
      "same store\n")
    rows = []
    for res in results:
        base = res["runs"]["first"]["rps"]
        for key in ORDER:
            x = res["runs"][key]
            rows.append([
                res["label"], f"{res['store'].size_n:,}", x["label"],
                f"{x['rps']:,.0f}", f"{100 * x['rps']:,.0f}",
                f"{x['rps'] / base:.2f}", f"{x['p50']:.2f}",
                f"{x['p90']:.2f}", f"{x['p99']:.2f}", f"{x['max']:.1f}",
                hb.fmt_errors(x)])
    w(hb.table(["store", "objects", "route", "pages/s", "objects/s",
                "x first page", "p50 ms", "p90 ms", "p99 ms", "max ms",
                "errors"], rows, 3))

    w("\nCOST OF THE SAME RUNS (CPU: user+system seconds / wall seconds, "
      "100% = one core)\n")
    rows = []
    for res in results:
        for key in ORDER:
            x = res["runs"][key]
            rows.append([
                res["label"], f"{res['store'].size_n:,}", x["label"],
                f"{100.0 * x['cpu'] / x['seconds']:.0f}%",
                f"{100.0 * x['wrk_cpu'] / x['seconds']:.0f}%",
                f"{100.0 * x['other_cpu'] / x['seconds']:.0f}%",
                f"{x['requests'] / x['cpu']:,.0f}" if x["cpu"] else "-",
                f"{1e6 * x['cpu'] / max(x['requests'], 1):,.0f}",
                f"{x['peak_rss']:.1f} / {x['rss_after']:.1f}"])
    w(hb.table(["store", "objects", "route", "server CPU", "wrk CPU",
                "other CPU", "pages per server CPU-s", "server CPU us/page",
                "server RSS MB peak / after"], rows, 3))

    w(f"\nPAGE COST AS THE COLLECTION GROWS (each store / the {small:,} "
      f"store of the same backend, same route)\n")
    rows = []
    for res in results:
        if res["store"].size_n == small:
            continue
        ref = next(r for r in results if r["label"] == res["label"] and
                   r["store"].size_n == small)
        for key in ORDER:
            a, b = ref["runs"][key], res["runs"][key]
            ca = a["cpu"] / max(a["requests"], 1)
            cb = b["cpu"] / max(b["requests"], 1)
            rows.append([
                res["label"], f"{res['store'].size_n:,}", b["label"],
                f"{b['rps'] / a['rps']:.2f}", f"{cb / ca:.2f}" if ca else "-",
                f"{b['p99'] / a['p99']:.2f}"])
    if rows:
        w(hb.table(["store", "objects", "route", "x pages/s",
                    "x server CPU per page", "x p99"], rows, 3))
        w("\n(1.00 = flat; x server CPU per page above 1 is a page that "
          "costs more on the larger collection)")

    w("\nAGAINST THE TARGETS (objects/, first page, 64 connections)\n")
    for res in results:
        x = res["runs"]["first"]
        w(f"- {res['label']} {res['store'].size_n:,}: {x['rps']:,.0f} "
          f"pages/s = {x['rps'] / TARGET_PAGES:.2f} of {TARGET_PAGES:,.0f} "
          f"({'met' if x['rps'] >= TARGET_PAGES else 'MISSED'}); p99 "
          f"{x['p99']:.1f} ms = {x['p99'] / TARGET_P99_MS:.2f} of "
          f"{TARGET_P99_MS:.0f} ms "
          f"({'met' if x['p99'] < TARGET_P99_MS else 'MISSED'}); "
          f"{x['requests'] / x['cpu']:,.0f} pages per server CPU-s "
          f"(5,000 pages/s on 2 cores needs at least 2,500)")
    for res in results:
        if res["store"].size_n == small:
            continue
        ref = next(r for r in results if r["label"] == res["label"] and
                   r["store"].size_n == small)
        a, b = ref["runs"]["first"], res["runs"]["first"]
        ratio = (b["cpu"] / b["requests"]) / (a["cpu"] / a["requests"])
        w(f"- page cost, {res['label']} {res['store'].size_n:,} / "
          f"{small:,}: {ratio:.2f} x server CPU per first page, "
          f"{b['rps'] / a['rps']:.2f} x pages/s "
          f"({'flat' if ratio < 1.25 else 'GROWS'}; the target compares "
          f"10 million with 10 thousand)")

    w("\nNOTES\n")
    for res in results:
        st = res["store"]
        b = st.built
        walk = res["runs"]["walk"]
        pages, objs, secs = res["check"]
        w(f"- {res['tag']}: built by {b['how']} in {b['wall']:.1f} s "
          f"({b['ops']:,.0f} objects/s"
          + (f", import peak RSS {b['hwm']:.1f} MB" if b["hwm"] else "")
          + f"); store {ib.mb(res['db_size']):,.0f} MB; server ready in "
          f"{res['ready_ms']:.0f} ms, {res['idle']['VmRSS']:.1f} MB idle, "
          f"VmHWM {res['after']['VmHWM']:.1f} MB at the end")
        w(f"    answers: " + ", ".join(f"{k} {v:,} B" for k, v in
                                       res["sizes"].items()) +
          f"; keep-alive: {res['closes']} server closes in "
          f"{50 * len(res['sizes'])} sequential requests")
        w(f"    paging check (Python, one connection): "
          + (f"walked all {pages:,} pages, {objs:,} objects = every "
             f"object's latest version, none twice"
             if res["check_full"] else
             f"first {pages} pages of 100, no id twice")
          + f", {pages / secs:,.0f} pages/s")
        p, wk, bad = walk["walk"]
        w(f"    wrk walk: {p:,} pages, {wk:,} walks to the end, {bad} "
          f"answers not 200")
        w(f"    {len(res['problems'])} warning or error lines in the "
          f"server's log")
        for line in res["problems"][:5]:
            w(f"      {line}")
        for pr in res.get("profile", []):
            w(f"    perf record -g of the server through 5 s more of "
              f"{pr['label']} ({pr['perf_pages']:,} pages), by "
              f"library: " + "; ".join(re.sub(r"\s+", " ", x)
                                       for x in pr["perf"]["dso"]))
            w("    perf, top symbols:")
            for x in pr["perf"]["sym"]:
                w(f"      {re.sub(r'  +', '  ', x)}")
            n = max(pr["strace_pages"], 1)
            w(f"    strace -c -f through 3 s more ({n:,} pages, slowed by "
              f"strace): system calls per page: " +
              ", ".join(f"{name} {calls / n:.1f} ({secs * 1e6 / n:,.0f} "
                        f"us)" for name, calls, secs in pr["strace"]))
    w(f"- one write + fdatasync in the work directory: p50 "
      f"{statistics.median(fsync):.2f} ms")
    w(f"- wrk and the server share the {meta['cpus']} CPUs; other CPU is "
      f"everything else on the machine: PostgreSQL's backends, and other "
      f"people's work (the noise)")
    w(f"- load average at the start {meta['load0']}, at the end "
      f"{hb.loadavg()}")
    if args.server_threads:
        w(f"- servers ran with CIRTKIT_THREADS={args.server_threads}")


def main():
    ap = argparse.ArgumentParser(
        description="TAXII GET benchmark of cirtkit serve: pages of 100 "
                    "objects from collections of 10 thousand and 1 million "
                    "objects (bench/README.md).")
    hb.add_common_args(ap, "stores, logs", wrk=True)
    ap.add_argument("--small", type=int, default=10000,
                    help="objects in the small collection (default 10,000)")
    ap.add_argument("--large", type=int, default=1000000,
                    help="objects in the large collection (default "
                         "1,000,000; 0: none)")
    ap.add_argument("--big", type=int, default=0,
                    help="objects in a third collection, such as 10000000 "
                         "(default: none; an hour or more)")
    ap.add_argument("--seed", type=int, default=1,
                    help="stix_gen seed (default 1)")
    ap.add_argument("--walkers", type=int, default=4,
                    help="connections walking next (default 4)")
    ap.add_argument("--check-walk", type=int, default=100000,
                    help="walk every page in Python to check the paging of "
                         "stores up to this size (default 100,000)")
    ap.add_argument("--pg-import", action="store_true",
                    help="make the PostgreSQL stores with cirtkit import "
                         "(slow) rather than by copying the SQLite rows")
    ap.add_argument("--perf", action="store_true",
                    help="profile the server on the largest SQLite store "
                         "(perf record, strace -c) after the measured runs")
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    args.sizes = [s for s in (args.small, args.large, args.big) if s]
    if args.small < 1000 or args.duration < 1:
        ap.error("need --small >= 1000 and --duration >= 1")
    binary = hb.check_binary(ap, args, wrk=True)
    hb.Server.threads = args.server_threads
    if args.perf and (shutil.which("perf") is None or
                      shutil.which("strace") is None):
        ap.error("--perf needs perf and strace")

    def body(work):
        exe = ib.snapshot(binary, work)
        meta = ib.meta_header(exe, "cirtkit TAXII GET benchmark")
        fsync = hb.fsync_floor(work)
        maker = ib.StoreMaker(args, exe, work)
        results, sqlite_stores = [], []
        for size in args.sizes:
            st = make_sqlite(args, exe, maker, size, work)
            sqlite_stores.append(st)
            results.append(measure_store(args, exe, maker, st, work))
            if not (maker.pg_wanted() and args.pg_import):
                for f in st.files:
                    os.unlink(f)
        if maker.pg_wanted():
            for src in sqlite_stores:
                st = make_pg(args, exe, maker, src)
                results.append(measure_store(args, exe, maker, st, work))
        report(args, meta, results, fsync)
    return hb.run_main("cirtkit-taxii-", args.keep, body)


if __name__ == "__main__":
    sys.exit(main())
