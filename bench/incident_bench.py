# SPDX-License-Identifier: Apache-2.0
#
# Incident benchmark, run by bench/incident.sh (which installs and builds
# first). Python 3 standard library only. It measures, against baselines
# taken in the same run (docs: /work/shared/docs/PERFORMANCE.md):
#
#   loading    --small (10,000) incidents, then up to --large (100,000),
#              through the product: POST /api/v1/incidents from --loaders
#              threads on keep-alive connections, with the PATCHes that
#              move a tenth of them on (triaged, resolved) and a note
#              (POST .../timeline) on one in --notes-every; incidents/s
#   routes     at each size, --clients threads on keep-alive connections,
#              --requests requests each route (or --route-seconds): the
#              first page of GET /api/v1/incidents (limit 100), the list
#              with each filter (status, class, severity, constituent,
#              assignee, from/to), a page 50 pages deep (its cursor
#              found by following next_cursor), q with a rare word, a
#              broad word and a word only in notes, and a filter with q;
#              p50, p99, requests/s and server CPU per request
#   baseline   GET /api/v1/whoami in the same run (one token lookup): each
#              route's x whoami; and each route at --large over the same
#              route at --small (how the cost grows with the store)
#
# on SQLite, and with --pg (or CIRT_TEST_PG_DSN) on PostgreSQL. The
# incidents come from a deterministic generator (--seed), so every answer
# is checked against what was loaded: each route is walked to its end
# with limit=1000 and must give exactly the incidents that match, newest
# first, none twice. It reports and never judges: the exit status is 0
# whenever the benchmark ran, whatever the figures; 1 when it could not or
# when an answer was wrong (after printing the report and the wrong
# answers). bench/README.md says how to read the figures.

import argparse
import calendar
import datetime
import json
import os
import random
import re
import resource
import statistics
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http_bench as hb  # noqa: E402
import import_bench as ib  # noqa: E402

BenchError = hb.BenchError
note = hb.note
CLEANUP = hb.CLEANUP
API = "/api/v1/incidents"
WHOAMI_TIMES = 10  # the baseline is fast: more requests

# ---- the generator ----

CLASSES = [  # (class:type, weight)
    ("fraud:phishing", 22), ("availability:ddos", 8),
    ("malicious-code:ransomware", 8), ("malicious-code:infected-system", 14),
    ("information-gathering:scanner", 20), ("abusive-content:spam", 12),
    ("intrusions:system-compromise", 9),
    ("information-content-security:data-leak", 7)]
SEVERITIES = [("low", 40), ("medium", 35), ("high", 20), ("critical", 5)]
TLPS = [("clear", 10), ("green", 40), ("amber", 45), ("red", 5)]
CONSTITUENTS = [f"Constituent {k:02d}" for k in range(1, 21)]
ANALYSTS = [f"analyst{k:02d}" for k in range(1, 6)]
START = calendar.timegm((2024, 1, 1, 0, 0, 0))   # reported_at: two years
SPAN = calendar.timegm((2026, 1, 1, 0, 0, 0)) - START
RANGE = ("2025-03-01", "2025-04-01")               # the from/to filter
RARE, BROAD, NOTE = "quokka", "outage", "heliotrope"
P_RARE, P_BROAD = 0.001, 0.10
P_TRIAGED, P_RESOLVED = 0.08, 0.02  # resolved ones go through triaged


def vocabulary(seed):
    """2,000 made-up words of two to four syllables: each is in about 2 %
    of the incidents, none is one of the three search words."""
    syl = ["ka", "lo", "mi", "ne", "ru", "ta", "po", "se", "vi", "da",
           "gu", "fe", "zo", "bi", "la", "mo", "ri", "te", "wa", "ny"]
    rng = random.Random(seed)
    words = set()
    while len(words) < 2000:
        w = "".join(rng.choice(syl) for _ in range(rng.randint(2, 4)))
        if w not in (RARE, BROAD, NOTE):
            words.add(w)
    return sorted(words)


def weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def incident(seed, vocab, i, notes_every):
    """Incident number i (0-based): the POST body, and what the bench needs
    to know of it (the status it ends in, its note, its attributes for the
    expected answers). The same for a given seed and i, whatever the order
    in which the loaders take them."""
    rng = random.Random(seed * 1000003 + i)
    cls = weighted(rng, CLASSES)
    sev = weighted(rng, SEVERITIES)
    orgs = [rng.choice(CONSTITUENTS)]
    if rng.random() < 0.1:
        other = rng.choice(CONSTITUENTS)
        if other != orgs[0]:
            orgs.append(other)
    assignee = rng.choice(ANALYSTS) if rng.random() < 0.3 else None
    ts = START + rng.randrange(SPAN)
    title = [rng.choice(vocab) for _ in range(rng.randint(4, 8))]
    desc = [rng.choice(vocab) for _ in range(rng.randint(20, 60))]
    if rng.random() < P_BROAD:
        (title if rng.random() < 0.3 else desc).insert(
            rng.randrange(3), BROAD)
    if rng.random() < P_RARE:
        desc.insert(rng.randrange(len(desc)), RARE)
    r = rng.random()
    status = ("resolved" if r < P_RESOLVED else
              "triaged" if r < P_RESOLVED + P_TRIAGED else "new")
    body = {
        "title": " ".join(title).capitalize(),
        "description": " ".join(desc).capitalize() + ".",
        "class": cls, "severity": sev, "tlp": weighted(rng, TLPS),
        "constituents": orgs,
        "reporter": ({"kind": "constituent", "name": orgs[0]}
                     if rng.random() < 0.5 else
                     {"kind": "person", "name": f"soc{i % 97}@example.org"}),
        "reported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts)),
    }
    if assignee:
        body["assignee"] = assignee
    note_text = None
    if i % notes_every == notes_every // 2:
        note_text = (f"Called the constituent's {rng.choice(vocab)} desk; "
                     f"{NOTE} {' '.join(rng.choice(vocab) for _ in range(8))}")
    words = set(title) | set(desc)
    attrs = {"class": cls, "severity": sev, "orgs": orgs,
             "assignee": assignee, "status": status, "ts": ts,
             "words": words, "note": note_text is not None}
    return body, status, note_text, attrs


# ---- the routes ----

def day(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%d"))


def routes():
    """(key, label, query, matches(attrs)) of every measured list."""
    lo, hi = day(RANGE[0]), day(RANGE[1])
    c7, cls = CONSTITUENTS[6], "malicious-code:ransomware"
    return [
        ("first", "list, first page", "", lambda a: True),
        ("status", "status=triaged,resolved", "status=triaged,resolved",
         lambda a: a["status"] in ("triaged", "resolved")),
        ("class", f"class={cls}", f"class={cls}",
         lambda a: a["class"] == cls),
        ("severity", "severity=critical", "severity=critical",
         lambda a: a["severity"] == "critical"),
        ("constituent", f"constituent={c7}",
         "constituent=" + urllib.parse.quote(c7),
         lambda a: c7 in a["orgs"]),
        ("assignee", f"assignee={ANALYSTS[2]}", f"assignee={ANALYSTS[2]}",
         lambda a: a["assignee"] == ANALYSTS[2]),
        ("range", f"from={RANGE[0]}&to={RANGE[1]}",
         f"from={RANGE[0]}&to={RANGE[1]}",
         lambda a: lo <= a["ts"] < hi),
        ("deep", "page 51 (50 next_cursor in)", None, lambda a: True),
        ("rare", f"q={RARE} (rare word)", f"q={RARE}",
         lambda a: RARE in a["words"]),
        ("broad", f"q={BROAD} (broad word)", f"q={BROAD}",
         lambda a: BROAD in a["words"]),
        ("notes", f"q={NOTE} (only in notes)", f"q={NOTE}",
         lambda a: a["note"]),
        ("combined", f"severity=high&q={BROAD}", f"severity=high&q={BROAD}",
         lambda a: a["severity"] == "high" and BROAD in a["words"]),
    ]


def list_path(query, limit, cursor=None):
    qs = [f"limit={limit}"] + ([query] if query else [])
    if cursor:
        qs.append("cursor=" + urllib.parse.quote(cursor))
    return f"{API}?{'&'.join(qs)}"


def get_json(client, path):
    status, body = client.request("GET", path)
    if status != 200:
        raise BenchError(f"GET {path}: {status} {body[:300]!r}")
    return json.loads(body), len(body)


# ---- loading ----

class Loader:
    """Puts incidents lo..hi-1 of the generator in through the API from
    n threads, each on its own keep-alive connection."""

    def __init__(self, args, srv, store, vocab):
        self.args, self.srv, self.store, self.vocab = args, srv, store, vocab
        self.threads = (args.pg_loaders if store.schema else args.loaders)
        self.lock = threading.Lock()
        self.errors = []

    def run(self, lo, hi, attrs):
        self.next = lo
        self.hi = hi
        times = {"post": [], "patch": [], "note": []}
        per_thread = []
        cpu0, busy0, self0 = (cpu_ns(self.srv.pid), hb.machine_busy(),
                              own_cpu())
        io0 = ib.proc_io(self.srv.pid)
        db0 = db_cpu(self.store)
        t0 = time.perf_counter()
        threads = []
        for _ in range(self.threads):
            mine = {"post": [], "patch": [], "note": [], "closes": 0}
            per_thread.append(mine)
            t = threading.Thread(target=self.worker, args=(mine, attrs))
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        cpu = cpu_ns(self.srv.pid) - cpu0
        client = own_cpu() - self0
        db = db_cpu(self.store) - db0
        other = hb.machine_busy() - busy0 - cpu - client - db
        io1 = ib.proc_io(self.srv.pid)
        if self.errors:
            raise BenchError(f"{self.srv.tag}: loading: {self.errors[0]}")
        for k in times:
            for m in per_thread:
                times[k] += m[k]
        return {"n": hi - lo, "wall": wall, "times": times, "cpu": cpu,
                "db_cpu": db,
                "client_cpu": client, "other_cpu": max(other, 0.0),
                "closes": sum(m["closes"] for m in per_thread),
                "wchar": io1.get("wchar", 0) - io0.get("wchar", 0)}

    def take(self):
        with self.lock:
            if self.errors or self.next >= self.hi:
                return None
            i = self.next
            self.next += 1
            return i

    def worker(self, mine, attrs):
        c = hb.Client(self.srv.port, self.store.token)
        try:
            while (i := self.take()) is not None:
                body, status, note_text, a = incident(
                    self.args.seed, self.vocab, i, self.args.notes_every)
                attrs[i] = a
                t = time.perf_counter()
                st, out = c.request("POST", API, body)
                mine["post"].append(time.perf_counter() - t)
                if st != 201:
                    raise BenchError(f"POST {API} {json.dumps(body)[:200]}"
                                     f": {st} {out[:300]!r}")
                inc = json.loads(out)
                a["id"] = inc["id"]
                path = f"{API}/{urllib.parse.quote(inc['id'])}"
                version = inc["version"]
                steps = {"new": [], "triaged": ["triaged"],
                         "resolved": ["triaged", "resolved"]}[status]
                for to in steps:
                    t = time.perf_counter()
                    st, out = c.request("PATCH", path,
                                        {"status": to, "version": version})
                    mine["patch"].append(time.perf_counter() - t)
                    if st != 200:
                        raise BenchError(f"PATCH {path} status={to} "
                                         f"version={version}: {st} "
                                         f"{out[:300]!r}")
                    version = json.loads(out)["version"]
                if note_text:
                    t = time.perf_counter()
                    st, out = c.request("POST", f"{path}/timeline",
                                        {"kind": "note", "body": note_text})
                    mine["note"].append(time.perf_counter() - t)
                    if st != 201:
                        raise BenchError(f"POST {path}/timeline: {st} "
                                         f"{out[:300]!r}")
        except Exception as e:  # stop the others, report the first
            with self.lock:
                self.errors.append(str(e))
        finally:
            mine["closes"] = c.closes
            c.close()


def own_cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_ns(pid):
    """CPU seconds of every live thread of a process, from the
    scheduler's nanosecond counts (/proc/PID/task/*/schedstat): clock
    ticks are too coarse for a few hundred fast requests."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0.0
    for t in tasks:
        try:
            with open(f"/proc/{pid}/task/{t}/schedstat") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total / 1e9


def postmaster_pid(dsn):
    """The PID of the PostgreSQL server of a throwaway cluster
    (tests/pg.sh: host= is its directory), or None for another server."""
    m = re.search(r"host=(\S+)", dsn or "")
    try:
        with open(os.path.join(m[1], "data", "postmaster.pid")) as f:
            return int(f.readline())
    except (TypeError, OSError, ValueError):
        return None


def db_cpu(store):
    """CPU seconds of PostgreSQL's processes (the postmaster's children:
    the backends, and the writer, checkpointer and autovacuum) while they
    live; 0 for SQLite or a server we did not start. A backend that exits
    between two readings takes its time with it; the server's pool keeps
    its connections."""
    pid = getattr(store, "pg_pid", None)
    if not pid:
        return 0.0
    total = 0.0
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid or int(d) == pid:
            total += cpu_ns(d)
    return total


# ---- checking the answers ----

def ms_between(a, b):
    def t(x):
        return datetime.datetime.fromisoformat(x.replace("Z", "+00:00"))
    return (t(a) - t(b)).total_seconds() * 1000.0


def check_route(srv, store, key, label, query, matches, attrs, size,
                wrong, order):
    """Walk the route to its end with limit=1000: exactly the incidents
    that match, none twice, each item as the filter says. Appends what is
    wrong to `wrong`; returns the hits. The list is newest first by the
    store's row id: with concurrent POSTs a row may have a created_at a
    little later than the row after it; order[key] gets how many, and by
    how much at most."""
    want = {a["id"] for a in attrs[:size] if matches(a)}
    by_id = {a["id"]: a for a in attrs[:size]}
    c = hb.Client(srv.port, store.token)
    got, last, cursor, pages = [], None, None, 0
    late, late_ms = 0, 0.0
    try:
        while True:
            path = list_path(query, 1000, cursor)
            page, _ = get_json(c, path)
            pages += 1
            for item in page["items"]:
                got.append(item["id"])
                if last is not None and item["created_at"] > last:
                    late += 1
                    late_ms = max(late_ms, ms_between(item["created_at"],
                                                      last))
                last = item["created_at"]
                a = by_id.get(item["id"])
                if a is not None and not matches(a):
                    wrong.append(f"{store.label} {size:,}: {label}: "
                                 f"{item['id']} does not match (GET {path})")
            cursor = page.get("next_cursor")
            if not cursor:
                break
            if pages > size // 1000 + 5:
                wrong.append(f"{store.label} {size:,}: {label}: more than "
                             f"{pages} pages of 1000")
                break
    finally:
        c.close()
    order[key] = (late, late_ms)
    if len(got) != len(set(got)):
        wrong.append(f"{store.label} {size:,}: {label}: "
                     f"{len(got) - len(set(got))} incidents twice")
    if set(got) != want:
        miss, extra = want - set(got), set(got) - want
        wrong.append(f"{store.label} {size:,}: GET {list_path(query, 1000)}"
                     f": {len(set(got)):,} incidents, expected {len(want):,}"
                     f" ({len(miss):,} missing, e.g. {sorted(miss)[:3]}; "
                     f"{len(extra):,} not matching, e.g. "
                     f"{sorted(extra)[:3]})")
    return len(want)


def deep_cursor(srv, store, pages):
    """Follow next_cursor `pages` pages in (limit 100) on one connection;
    returns (the cursor of page pages+1, the latencies, the ids seen)."""
    c = hb.Client(srv.port, store.token)
    cursor, times, seen = None, [], []
    try:
        for _ in range(pages):
            path = list_path("", 100, cursor)
            t = time.perf_counter()
            page, _ = get_json(c, path)
            times.append(time.perf_counter() - t)
            seen += [x["id"] for x in page["items"]]
            cursor = page.get("next_cursor")
            if not cursor:
                raise BenchError(f"{store.label}: no next_cursor after "
                                 f"{len(times)} pages of 100")
    finally:
        c.close()
    return cursor, times, seen


# ---- measuring ----

def measure(args, srv, store, path, n_req):
    """n_req GETs of path from args.clients threads, each on its own
    keep-alive connection, after 3 unreported each; stops early after
    args.route_seconds. Latencies in ms, requests/s, CPU."""
    lock = threading.Lock()
    lat, errors, sizes = [], [], set()
    left = [n_req]
    mark = {}

    def go():  # run by the last thread to reach the barrier
        mark["deadline"] = time.perf_counter() + args.route_seconds
        mark["cpu0"], mark["busy0"], mark["self0"], mark["db0"] = (
            cpu_ns(srv.pid), hb.machine_busy(), own_cpu(), db_cpu(store))
        mark["t0"] = time.perf_counter()
    start = threading.Barrier(args.clients + 1, action=go)

    def worker():
        c = hb.Client(srv.port, store.token)
        mine = []
        try:
            for _ in range(3):
                c.request("GET", path)
            start.wait()
            while True:
                with lock:
                    if left[0] <= 0 or \
                            time.perf_counter() > mark["deadline"]:
                        break
                    left[0] -= 1
                t = time.perf_counter()
                st, body = c.request("GET", path)
                mine.append((time.perf_counter() - t) * 1000.0)
                if st != 200:
                    with lock:
                        errors.append(f"{st} {body[:200]!r}")
                else:
                    sizes.add(len(body))
        except Exception as e:
            with lock:
                errors.append(str(e))
            start.abort()
        finally:
            c.close()
            with lock:
                lat.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(args.clients)]
    for t in threads:
        t.start()
    try:
        start.wait()
    except threading.BrokenBarrierError:
        pass
    for t in threads:
        t.join()
    if "t0" not in mark:
        raise BenchError(f"{srv.tag}: GET {path}: {errors[:1]}")
    t0, cpu0, busy0, self0 = (mark["t0"], mark["cpu0"], mark["busy0"],
                              mark["self0"])
    wall = time.perf_counter() - t0
    cpu = cpu_ns(srv.pid) - cpu0
    client = own_cpu() - self0
    db = db_cpu(store) - mark["db0"]
    other = hb.machine_busy() - busy0 - cpu - client - db
    if srv.proc.poll() is not None:
        raise BenchError(f"{srv.tag}: the server died:\n{srv.stderr_tail()}")
    if not lat:
        raise BenchError(f"{srv.tag}: GET {path}: no answer: {errors[:1]}")
    return {"n": len(lat), "wall": wall, "rps": len(lat) / wall,
            "p50": statistics.median(lat), "p99": hb.quantile(lat, 0.99),
            "max": max(lat), "cpu": cpu, "db_cpu": db, "client_cpu": client,
            "other_cpu": max(other, 0.0), "errors": errors,
            "bytes": max(sizes) if sizes else 0,
            "capped": len(lat) < n_req}


def pg_analyze(maker, store):
    tables = maker.psql("SELECT string_agg(quote_ident(tablename), ', ') "
                        "FROM pg_tables WHERE schemaname = "
                        f"'{store.schema}'", store.schema)
    maker.psql(f"ANALYZE {tables}", store.schema)


def run_backend(args, exe, maker, backend, work, wrong):
    store = maker.new(backend, backend)
    store.pg_pid = postmaster_pid(maker.dsn) if store.schema else None
    note(f"{backend}: {len(CONSTITUENTS)} constituents, "
         f"{len(ANALYSTS)} analysts")
    for name in CONSTITUENTS:
        hb.cli(exe, ["org", "add", name, "--kind", "constituent",
                     *store.args])
    for name in ANALYSTS:
        hb.cli(exe, ["user", "add", name, "--org", "CIRT", "--role",
                     "analyst", *store.args])
    srv = hb.Server(exe, store, work, backend).start()
    res = {"label": backend, "ready_ms": srv.wait_ready(60.0), "sizes": [],
           "pg_pid": store.pg_pid}
    vocab = vocabulary(args.seed)
    attrs = [None] * args.large
    loader = Loader(args, srv, store, vocab)
    loaded = 0
    for size in args.sizes:
        note(f"{backend}: loading incidents {loaded:,} to {size:,} from "
             f"{loader.threads} threads")
        ld = loader.run(loaded, size, attrs)
        ld["threads"] = loader.threads
        loaded = size
        ld["db_size"] = maker.size(store)
        ld["rss"] = hb.proc_status(srv.pid)
        if store.schema:
            t = time.perf_counter()
            pg_analyze(maker, store)
            ld["analyze_s"] = time.perf_counter() - t
        at = {"size": size, "load": ld, "runs": {}, "hits": {},
              "order": {}}
        note(f"{backend} {size:,}: checking every route to its end")
        rts = routes()
        for key, label, query, matches in rts:
            if query is not None:
                at["hits"][key] = check_route(srv, store, key, label, query,
                                              matches, attrs, size, wrong,
                                              at["order"])
        cursor, walk, seen = deep_cursor(srv, store, args.pages)
        at["walk"] = walk
        if len(set(seen)) != len(seen):
            wrong.append(f"{backend} {size:,}: the walk of {args.pages} "
                         f"pages gave {len(seen) - len(set(seen))} "
                         f"incidents twice")
        deep_path = list_path("", 100, cursor)
        c = hb.Client(srv.port, store.token)
        page, _ = get_json(c, deep_path)
        c.close()
        if page["items"] and page["items"][0]["id"] in seen:
            wrong.append(f"{backend} {size:,}: page {args.pages + 1} "
                         f"repeats an incident of the walk")
        at["hits"]["deep"] = len(page["items"])
        paths = [("whoami", "/api/v1/whoami")]
        for key, label, query, _ in rts:
            paths.append((key, deep_path if key == "deep"
                          else list_path(query, 100)))
        labels = {"whoami": "/api/v1/whoami (baseline)"}
        labels.update({k: lab for k, lab, _, _ in rts})
        for key, path in paths:
            n = args.requests * (WHOAMI_TIMES if key == "whoami" else 1)
            note(f"{backend} {size:,}: {n} x GET {labels[key]} from "
                 f"{args.clients} threads")
            r = measure(args, srv, store, path, n)
            r["label"] = labels[key]
            if r["errors"]:
                wrong.append(f"{backend} {size:,}: GET {path}: "
                             f"{len(r['errors'])} errors, e.g. "
                             f"{r['errors'][0]}")
            at["runs"][key] = r
        at["rss"] = hb.proc_status(srv.pid)
        res["sizes"].append(at)
    res["stop_ms"] = srv.stop()
    res["problems"] = srv.log_problems()
    return res


# ---- the report ----

ORDER = ["whoami", "first", "status", "class", "severity", "constituent",
         "assignee", "range", "deep", "rare", "broad", "notes", "combined"]


def ratio(x):
    return f"{x:.0f}" if x >= 10 else f"{x:.1f}"


def cpu_per(r):
    """Server and PostgreSQL CPU seconds per request of a measured run."""
    return (r["cpu"] + r["db_cpu"]) / r["n"]


def db_pct(res, cpu, wall):
    return pct(cpu, wall) if res["pg_pid"] else "-"


def pct(a, b):
    return f"{100.0 * a / b:.0f}%" if b else "-"


def report(args, meta, results, wrong, fsync):
    w = print
    ib.print_header(meta, [
        f"incidents: {', '.join(f'{s:,}' for s in args.sizes)} "
        f"(seed {args.seed}; {len(CONSTITUENTS)} constituents, "
        f"{len(ANALYSTS)} analysts, reported over 2024-2025), "
        f"loaded by {args.loaders} threads ({args.pg_loaders} on "
        f"PostgreSQL)",
        f"reads: {args.clients} threads, {args.requests} requests a route "
        f"({WHOAMI_TIMES * args.requests} of whoami) "
        f"(at most {args.route_seconds} s), keep-alive, Python http.client"])

    w("\nLOADING (POST /api/v1/incidents, and the PATCHes and notes that "
      "come with them)\n")
    rows = []
    for res in results:
        for at in res["sizes"]:
            ld = at["load"]
            t = ld["times"]
            post = [x * 1000.0 for x in t["post"]]
            patch = [x * 1000.0 for x in t["patch"]]
            wall = ld["wall"]
            rows.append([
                res["label"], f"{at['size'] - ld['n']:,} -> {at['size']:,}",
                str(ld["threads"]), f"{ld['wall']:.1f}",
                f"{ld['n'] / ld['wall']:,.0f}",
                f"{(len(post) + len(patch) + len(t['note'])) / wall:,.0f}",
                f"{statistics.median(post):.2f}",
                f"{hb.quantile(post, 0.99):.2f}", f"{max(post):,.0f}",
                f"{statistics.median(patch):.2f}" if patch else "-",
                f"{len(patch):,} / {len(t['note']):,}",
                pct(ld["cpu"], ld["wall"]), db_pct(res, ld["db_cpu"],
                                                   ld["wall"]),
                pct(ld["client_cpu"], ld["wall"]),
                pct(ld["other_cpu"], ld["wall"]),
                f"{ld['wchar'] / ld['n'] / 1000:,.0f}" if ld["wchar"] else "-",
                f"{ib.mb(ld['db_size']) * 1e6 / at['size']:,.0f}"])
    w(hb.table(["store", "incidents", "threads", "wall s", "incidents/s",
                "requests/s", "POST p50 ms", "POST p99 ms", "POST max ms",
                "PATCH p50 ms", "PATCHes / notes", "server CPU", "db CPU",
                "client CPU", "other CPU", "written KB/incident",
                "store B/incident"], rows, 3))
    w("\n(written: bytes the server process wrote, /proc/PID/io wchar, "
      "SQLite's WAL and checkpoints; db CPU: PostgreSQL's processes)")

    w("\nREADS (pages of up to 100 incidents; x whoami: over GET "
      "/api/v1/whoami on the same store, same run; CPU us/req: server + "
      "db)\n")
    rows = []
    for res in results:
        for at in res["sizes"]:
            base = at["runs"]["whoami"]
            for key in ORDER:
                r = at["runs"][key]
                rows.append([
                    res["label"], f"{at['size']:,}", r["label"],
                    "" if key == "whoami" else f"{at['hits'][key]:,}",
                    f"{r['n']:,}" + ("*" if r["capped"] else ""),
                    f"{r['rps']:,.0f}", f"{r['p50']:.2f}", f"{r['p99']:.2f}",
                    ratio(r["p50"] / base["p50"]),
                    f"{1e6 * cpu_per(r):,.0f}",
                    ratio(cpu_per(r) / cpu_per(base)) if cpu_per(base)
                    else "-",
                    f"{r['bytes'] / 1000:,.1f}"])
    w(hb.table(["store", "incidents", "route", "hits", "requests",
                "req/s", "p50 ms", "p99 ms", "x whoami p50", "CPU us/req",
                "x whoami CPU", "answer KB"], rows, 3))
    if any(r["capped"] for res in results for at in res["sizes"]
           for r in at["runs"].values()):
        w(f"\n* stopped after {args.route_seconds:.0f} s, before "
          f"{args.requests} requests")

    sizes = args.sizes
    if len(sizes) > 1:
        w(f"\nAS THE STORE GROWS ({sizes[-1]:,} over {sizes[0]:,} "
          f"incidents, same route, same backend)\n")
        rows = []
        for res in results:
            a, b = res["sizes"][0], res["sizes"][-1]
            for key in ORDER:
                ra, rb = a["runs"][key], b["runs"][key]
                rows.append([res["label"], rb["label"],
                             f"{rb['p50'] / ra['p50']:.2f}",
                             f"{rb['p99'] / ra['p99']:.2f}",
                             f"{cpu_per(rb) / cpu_per(ra):.2f}"
                             if cpu_per(ra) else "-",
                             f"{rb['rps'] / ra['rps']:.2f}"])
        w(hb.table(["store", "route", "x p50", "x p99", "x CPU/req",
                    "x req/s"], rows, 2))
        w(f"\n(1.00 = flat; {sizes[-1] / sizes[0]:.0f} = grows with the "
          f"store)")

    w("\nCOST OF THE READS (CPU seconds / wall seconds, 100% = one core)\n")
    rows = []
    for res in results:
        for at in res["sizes"]:
            for key in ORDER:
                r = at["runs"][key]
                rows.append([res["label"], f"{at['size']:,}", r["label"],
                             pct(r["cpu"], r["wall"]),
                             db_pct(res, r["db_cpu"], r["wall"]),
                             pct(r["client_cpu"], r["wall"]),
                             pct(r["other_cpu"], r["wall"]),
                             f"{r['max']:.1f}"])
    w(hb.table(["store", "incidents", "route", "server CPU", "db CPU",
                "client CPU", "other CPU", "max ms"], rows, 3))

    w("\nNOTES\n")
    for res in results:
        w(f"- {res['label']}: server ready in {res['ready_ms']:.0f} ms, "
          f"stopped in {res['stop_ms']:.0f} ms; "
          f"{len(res['problems'])} warning or error lines in its log")
        for line in res["problems"][:5]:
            w(f"    {line}")
        for at in res["sizes"]:
            ld, walk = at["load"], [x * 1000.0 for x in at["walk"]]
            w(f"    {at['size']:,}: store {ib.mb(ld['db_size']):,.1f} MB; "
              f"server VmRSS {at['rss']['VmRSS']:.1f} MB, VmHWM "
              f"{at['rss']['VmHWM']:.1f} MB; loader keep-alive: "
              f"{ld['closes']} server closes"
              + (f"; ANALYZE after loading {ld['analyze_s']:.1f} s"
                 if "analyze_s" in ld else ""))
            w(f"      walk of {len(walk)} pages of 100 by next_cursor "
              f"(one connection): {len(walk) / (sum(walk) / 1000):,.0f} "
              f"pages/s, page 1 {walk[0]:.1f} ms, page {len(walk)} "
              f"{walk[-1]:.1f} ms, p50 {statistics.median(walk):.1f} ms")
            late, late_ms = at["order"].get("first", (0, 0.0))
            w(f"      order of the whole list (by row id): {late:,} "
              f"incidents created after the one listed before them"
              + (f", by {late_ms:.0f} ms at most (concurrent POSTs)"
                 if late else ""))
    w(f"- search words: {RARE} in {100 * P_RARE:.1f} % of descriptions, "
      f"{BROAD} in {100 * P_BROAD:.0f} % of titles or descriptions, "
      f"{NOTE} only in the note on one incident in {args.notes_every}; "
      f"statuses: {100 * P_TRIAGED:.0f} % triaged, {100 * P_RESOLVED:.0f} % "
      f"resolved (PATCHed after the POST), the rest new")
    w("- every route was walked to its end with limit=1000 before it was "
      "measured and compared with the incidents loaded: "
      + (f"{len(wrong)} WRONG ANSWERS, below" if wrong else "all right"))
    for line in wrong[:20]:
        w(f"    {line}")
    w(f"- one write + fdatasync in the work directory: p50 "
      f"{statistics.median(fsync):.2f} ms")
    w(f"- the clients and the server share the {meta['cpus']} CPUs (the "
      f"Python clients hold one lock: about one core at most); db CPU is "
      f"PostgreSQL's processes (when the script started the cluster); "
      f"other CPU is everything else on the machine, other people's work "
      f"(the noise)")
    w(f"- load average at the start {meta['load0']}, at the end "
      f"{hb.loadavg()}")
    if args.server_threads:
        w(f"- servers ran with CIRTKIT_THREADS={args.server_threads}")


def main():
    ap = argparse.ArgumentParser(
        description="Incident benchmark of cirtkit serve: loading 10 and "
                    "100 thousand incidents through the API, then the "
                    "list, its filters, paging and full-text search "
                    "(bench/README.md).")
    hb.add_common_args(ap, "stores, logs")
    ap.add_argument("--small", type=int, default=10000,
                    help="incidents at the first measurement (default "
                         "10,000; 0: none)")
    ap.add_argument("--large", type=int, default=100000,
                    help="incidents at the second (default 100,000)")
    ap.add_argument("--loaders", type=int, default=4,
                    help="threads POSTing incidents (default 4)")
    ap.add_argument("--pg-loaders", type=int, default=8,
                    help="threads POSTing incidents into PostgreSQL "
                         "(default 8)")
    ap.add_argument("--no-sqlite", action="store_true",
                    help="PostgreSQL only (with --pg or CIRT_TEST_PG_DSN)")
    ap.add_argument("--clients", type=int, default=4,
                    help="threads reading (default 4)")
    ap.add_argument("--requests", type=int, default=400,
                    help="measured requests a route (default 400)")
    ap.add_argument("--route-seconds", type=float, default=20.0,
                    help="stop a route after this long (default 20)")
    ap.add_argument("--pages", type=int, default=50,
                    help="pages followed for the deep page (default 50)")
    ap.add_argument("--notes-every", type=int, default=500,
                    help="a note on one incident in N (default 500)")
    ap.add_argument("--seed", type=int, default=1,
                    help="generator seed (default 1)")
    ap.add_argument("--server-threads", type=int, default=0,
                    help="CIRTKIT_THREADS for the servers (default: the "
                         "server's own default)")
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    args.sizes = [s for s in (args.small, args.large) if s]
    if args.large < max(args.small, 100 * (args.pages + 1)) or \
            min(args.loaders, args.pg_loaders, args.clients,
                args.requests) < 1:
        ap.error("need --large >= --small and >= 100 x (--pages + 1), "
                 "and --loaders, --pg-loaders, --clients, --requests >= 1")
    if args.small and args.small < 100 * (args.pages + 1):
        ap.error("--small must hold --pages + 1 pages of 100")
    binary = hb.check_binary(ap, args)
    hb.Server.threads = args.server_threads

    def body(work):
        exe = ib.snapshot(binary, work)
        meta = ib.meta_header(exe, "cirtkit incident benchmark")
        fsync = hb.fsync_floor(work)
        maker = ib.StoreMaker(args, exe, work)
        wrong, results = [], []
        backends = ([] if args.no_sqlite else ["sqlite"]) + \
            (["postgresql"] if maker.pg_wanted() else [])
        if not backends:
            raise BenchError("--no-sqlite without --pg or CIRT_TEST_PG_DSN")
        for backend in backends:
            results.append(run_backend(args, exe, maker, backend, work,
                                       wrong))
        report(args, meta, results, wrong, fsync)
        if wrong:
            raise BenchError(f"{len(wrong)} wrong answers (NOTES above)")
    return hb.run_main("cirtkit-incident-", args.keep, body)


if __name__ == "__main__":
    sys.exit(main())
