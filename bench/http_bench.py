# SPDX-License-Identifier: Apache-2.0
#
# HTTP benchmark of `cirtkit serve`, run by bench/http.sh (which installs
# and builds first). Python 3 standard library only. It measures, against
# baselines taken in the same run (docs: /work/shared/docs/PERFORMANCE.md):
#
#   start-up   process start to the first 200 from /healthz, N times;
#              baseline: process start to exit of `cirtkit version`
#   memory     VmRSS and VmHWM of the server process (/proc/PID/status)
#              when ready, idle, under load and after it
#   throughput wrk at 64 connections on /healthz (the baseline, the
#              ceiling), /api/v1/whoami and /api/v1/orgs?limit=100, with
#              the access log off, then to a file, then (optionally) on
#              PostgreSQL
#
# and prints one table. It reports and never judges: the exit status is 0
# whenever the benchmark ran, whatever the figures; 1 when it could not.
# bench/README.md says how to read the figures.

import argparse
import http.client
import json
import math
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICK = os.sysconf("SC_CLK_TCK")
IDLE_TARGET_MB = 16.0
READY_TARGET_MS = 100.0
ENDPOINTS = [
    # (path, needs the token)
    ("/healthz", False),
    ("/api/v1/whoami", True),
    ("/api/v1/orgs?limit=100", True),
]


class BenchError(Exception):
    """The benchmark itself could not go on (not a missed target)."""


def note(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# ---- processes we start, and the clean-up of everything we made ----

class Cleanup:
    def __init__(self):
        self.procs = []     # Popen objects still to stop
        self.actions = []   # callables, run last first

    def track(self, proc):
        self.procs.append(proc)
        return proc

    def forget(self, proc):
        if proc in self.procs:
            self.procs.remove(proc)

    def later(self, fn):
        self.actions.append(fn)

    def run(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        self.procs.clear()
        for fn in reversed(self.actions):
            try:
                fn()
            except Exception as e:  # keep cleaning up
                note(f"clean-up: {e}")
        self.actions.clear()


CLEANUP = Cleanup()


def child_env(**extra):
    """The environment without any CIRTKIT_* setting of the caller's, so a
    configuration file or store in the caller's shell cannot leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIRTKIT_")}
    env.update(extra)
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid):
    """VmRSS and VmHWM in MB, and the thread count, of a live process."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024.0
            elif key == "Threads":
                out[key] = int(value)
    return out


def proc_cpu(pid):
    """User plus system CPU seconds of a live process."""
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rpartition(")")[2].split()
    return (int(rest[11]) + int(rest[12])) / TICK


def machine_busy():
    """CPU seconds the whole machine has spent busy in processes, or
    stolen by the hypervisor: user, nice, system and steal. Interrupt
    time is left out, since it is charged to no process (with loopback
    traffic, most of it is ours)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return (v[0] + v[1] + v[2] + v[7]) / TICK


def children_cpu():
    """CPU seconds of our children that have been waited for."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def quantile(values, q):
    """Nearest-rank quantile (q in 0..1) of a non-empty list."""
    s = sorted(values)
    return s[max(0, math.ceil(q * len(s)) - 1)]


# ---- the cirtkit binary ----

class Store:
    """Where the data is: a label, and the options that name it."""

    def __init__(self, label, args):
        self.label = label
        self.args = args
        self.token = None


def cli(binary, args):
    r = subprocess.run([binary, *args], capture_output=True, text=True,
                       env=child_env())
    if r.returncode != 0:
        raise BenchError(f"cirtkit {' '.join(args[:2])} failed "
                         f"({r.returncode}): {r.stderr.strip()}")
    return r.stdout


class Server:
    """One `cirtkit serve` process, started directly (no shell), so its
    PID is the server's own and /proc/PID/status is the server's memory."""

    threads = 0  # CIRTKIT_THREADS when not 0 (--server-threads)

    def __init__(self, binary, store, work, tag, access_log="off"):
        self.binary = binary
        self.store = store
        self.port = free_port()
        self.tag = tag
        self.stderr_path = os.path.join(
            work, re.sub(r"[^a-z0-9]+", "-", tag) + ".stderr")
        self.env = child_env(CIRTKIT_ACCESS_LOG=access_log)
        if Server.threads:
            self.env["CIRTKIT_THREADS"] = str(Server.threads)
        self.proc = None
        self.t0 = 0.0

    @property
    def pid(self):
        return self.proc.pid

    def start(self):
        with open(self.stderr_path, "w") as err:
            self.t0 = time.perf_counter()
            self.proc = CLEANUP.track(subprocess.Popen(
                [self.binary, "serve", *self.store.args,
                 "--listen", f"127.0.0.1:{self.port}"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=err, env=self.env))
        return self

    def stderr_tail(self):
        with open(self.stderr_path, errors="replace") as f:
            return f.read()[-2000:].strip()

    def log_problems(self):
        """Lines the server logged at level warning or error."""
        with open(self.stderr_path, errors="replace") as f:
            return [line.rstrip() for line in f
                    if re.search(r"\] (warning|error): ", line)]

    def wait_ready(self, timeout=15.0):
        """Milliseconds from just before the process was started to the
        first 200 from /healthz. Polls with a connect-retry loop: a
        refused connect costs the server nothing, so we retry after
        0.2 ms."""
        deadline = self.t0 + timeout
        while True:
            status = healthz_once(self.port)
            now = time.perf_counter()
            if status == 200:
                break
            if self.proc.poll() is not None:
                raise BenchError(f"{self.tag}: the server exited with "
                                 f"{self.proc.returncode}:\n"
                                 f"{self.stderr_tail()}")
            if now > deadline:
                raise BenchError(f"{self.tag}: no 200 from /healthz in "
                                 f"{timeout:.0f} s:\n{self.stderr_tail()}")
            time.sleep(0.0002)
        exe = os.readlink(f"/proc/{self.pid}/exe")
        if exe != self.binary:
            raise BenchError(f"{self.tag}: PID {self.pid} is {exe}, "
                             f"not {self.binary}")
        return (now - self.t0) * 1000.0

    def stop(self):
        """Milliseconds from SIGTERM to exit; the exit status must be 0."""
        t = time.perf_counter()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise BenchError(f"{self.tag}: did not stop within 10 s of "
                             f"SIGTERM")
        ms = (time.perf_counter() - t) * 1000.0
        CLEANUP.forget(self.proc)
        if rc != 0:
            raise BenchError(f"{self.tag}: exit status {rc} after SIGTERM:"
                             f"\n{self.stderr_tail()}")
        with open(self.stderr_path, errors="replace") as f:
            ready_line = "listening on http://127.0.0.1:" in f.read()
        if not ready_line:
            raise BenchError(f"{self.tag}: no 'listening on' line on stderr")
        return ms


def healthz_once(port):
    """The status of one GET /healthz on a fresh connection, or None."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      b"Connection: close\r\n\r\n")
            data = b""
            while len(data) < 12:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return int(m[1]) if m else None


class Client:
    """One keep-alive HTTP/1.1 connection (http.client)."""

    def __init__(self, port, token=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.token = token
        self.closes = 0  # answers after which the server closed

    def request(self, method, path, body=None, auth=True):
        headers = {}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=headers)
        r = self.conn.getresponse()
        payload = r.read()
        if r.will_close:
            self.closes += 1
        return r.status, payload

    def close(self):
        self.conn.close()


# ---- wrk ----

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def to_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not m:
        raise BenchError(f"wrk: cannot read the time '{text}'")
    return float(m[1]) * UNITS_MS[m[2]]


def parse_wrk(out):
    def find(pattern, conv=float, default=None):
        m = re.search(pattern, out)
        if m is None:
            if default is not None:
                return default
            raise BenchError(f"wrk: no match for {pattern!r} in:\n{out}")
        return conv(m[1])
    r = {
        "rps": find(r"Requests/sec:\s+([\d.]+)"),
        "requests": find(r"(\d+) requests in", int),
        "non2xx": find(r"Non-2xx or 3xx responses: (\d+)", int, 0),
    }
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), "
                     r"write (\d+), timeout (\d+)", out)
    r["sockerr"] = dict(zip(("connect", "read", "write", "timeout"),
                            map(int, sock.groups()))) if sock else {}
    for q in ("50", "75", "90", "99"):
        r["p" + q] = to_ms(find(rf"\n\s+{q}%\s+(\S+)", str))
    r["max"] = to_ms(find(r"Latency\s+\S+\s+\S+\s+(\S+)", str))
    return r


def wrk(args, server, path, token, duration, sample=True):
    """One wrk run against a live server; samples the server's memory
    every 0.1 s and its CPU time before and after."""
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}",
           f"-d{duration}s", "--latency"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    cmd.append(f"http://127.0.0.1:{server.port}{path}")
    peak = 0.0
    cpu0, busy0, kids0 = proc_cpu(server.pid), machine_busy(), children_cpu()
    p = CLEANUP.track(subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True))
    while p.poll() is None:
        if sample:
            peak = max(peak, proc_status(server.pid)["VmRSS"])
        time.sleep(0.1)
    out = p.stdout.read()
    p.stdout.close()
    CLEANUP.forget(p)
    cpu = proc_cpu(server.pid) - cpu0
    wrk_cpu = children_cpu() - kids0
    other = machine_busy() - busy0 - cpu - wrk_cpu
    if p.returncode != 0:
        raise BenchError(f"wrk exited with {p.returncode}:\n{out}")
    if server.proc.poll() is not None:
        raise BenchError(f"{server.tag}: the server died under load:\n"
                         f"{server.stderr_tail()}")
    r = parse_wrk(out)
    after = proc_status(server.pid)
    r.update(cpu=cpu, wrk_cpu=wrk_cpu, other_cpu=max(other, 0.0),
             peak_rss=peak, rss_after=after["VmRSS"],
             hwm_after=after["VmHWM"], seconds=float(duration))
    return r


# ---- the benchmarks ----

def fsync_floor(directory, n=50):
    """Milliseconds of one 100-byte write and fdatasync in directory:
    the floor of a committed write to a store there."""
    path = os.path.join(directory, "fsync-probe")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    times = []
    try:
        for _ in range(n):
            os.write(fd, b"x" * 100)
            t = time.perf_counter()
            os.fdatasync(fd)
            times.append((time.perf_counter() - t) * 1000.0)
    finally:
        os.close(fd)
        os.unlink(path)
    return times


def make_store(args, binary, store, work):
    """Create the store, a token for admin, and args.orgs organisations
    in all (the team's and the rest) through the API, so list routes do
    real work. Returns the POST latencies in ms."""
    note(f"{store.label}: init, token, {args.orgs} organisations")
    cli(binary, ["init", *store.args, "--team", "CIRT"])
    store.token = cli(binary, ["token", "create", "admin", *store.args,
                               "--expires-days", "0",
                               "--label", "bench"]).strip()
    if not store.token.startswith("cirt_"):
        raise BenchError(f"token create printed {store.token!r}")
    srv = Server(binary, store, work, f"setup-{store.label}").start()
    srv.wait_ready()
    c = Client(srv.port, store.token)
    times = []
    for i in range(1, args.orgs):
        kind = "constituent" if i % 4 else "partner"
        t = time.perf_counter()
        status, body = c.request("POST", "/api/v1/orgs",
                                 {"name": f"Bench org {i:05d}", "kind": kind})
        times.append((time.perf_counter() - t) * 1000.0)
        if status != 201:
            raise BenchError(f"POST /api/v1/orgs: {status} {body[:300]!r}")
    c.close()
    srv.stop()
    return times


def startup(args, binary, store, work):
    """Start-up against two floors, each args.starts times."""
    note(f"start-up: {args.starts} x /bin/true, cirtkit version, "
         f"cirtkit serve")
    env = child_env()

    def spawn_to_exit(cmd):
        t = time.perf_counter()
        subprocess.run(cmd, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env, check=True)
        return (time.perf_counter() - t) * 1000.0

    true = [spawn_to_exit(["/bin/true"]) for _ in range(args.starts)]
    version = [spawn_to_exit([binary, "version"]) for _ in range(args.starts)]
    ready, stop, rss = [], [], []
    for i in range(args.starts):
        srv = Server(binary, store, work, "startup").start()
        ready.append(srv.wait_ready())
        rss.append(proc_status(srv.pid)["VmRSS"])
        stop.append(srv.stop())
    return {"true": true, "version": version, "ready": ready,
            "stop": stop, "rss": rss}


def sanity(server, token):
    """Each route answers 200 with what we expect, and keeps the
    connection open over 100 requests (a libmicrohttpd trap closes it
    after every answer). Returns the bytes of each answer and the
    number of closes."""
    c = Client(server.port, token)
    sizes, closes = {}, {}
    for path, auth in ENDPOINTS:
        c.closes = 0
        for _ in range(100):
            status, body = c.request("GET", path, auth=auth)
            if status != 200:
                raise BenchError(f"GET {path}: {status} {body[:300]!r}")
        sizes[path] = len(body)
        closes[path] = c.closes
    items = json.loads(body)["items"]
    if len(items) != 100:
        raise BenchError(f"GET /api/v1/orgs?limit=100 gave {len(items)} "
                         f"items, not 100")
    c.close()
    return sizes, closes


def throughput(args, binary, store, work, tag, access_log="off"):
    """One server: memory when ready and idle, the wrk runs (each
    endpoint args.repeat times after a warm-up; the run of median
    requests/s is kept), memory after."""
    note(f"{tag}: wrk -t{args.threads} -c{args.connections} "
         f"-d{args.duration}s on {len(ENDPOINTS)} routes")
    srv = Server(binary, store, work, tag, access_log).start()
    res = {"tag": tag, "runs": {}, "mem": {}}
    res["ready_ms"] = srv.wait_ready()
    res["mem"]["ready (first 200)"] = proc_status(srv.pid)
    cpu0 = proc_cpu(srv.pid)
    time.sleep(2.0)
    res["idle_cpu_ms"] = (proc_cpu(srv.pid) - cpu0) * 1000.0
    res["mem"]["idle 2 s"] = proc_status(srv.pid)
    res["sizes"], res["closes"] = sanity(srv, store.token)
    peak = 0.0
    total = 0
    for path, auth in ENDPOINTS:
        token = store.token if auth else None
        if args.warmup > 0:
            total += wrk(args, srv, path, token, args.warmup, False)["requests"]
        runs = [wrk(args, srv, path, token, args.duration)
                for _ in range(args.repeat)]
        total += sum(r["requests"] for r in runs)
        peak = max([peak] + [r["peak_rss"] for r in runs])
        runs.sort(key=lambda r: r["rps"])
        best = dict(runs[(len(runs) - 1) // 2])  # the lower median
        best["spread"] = (runs[0]["rps"], runs[-1]["rps"])
        res["runs"][path] = best
    after = proc_status(srv.pid)
    res["mem"]["during load (peak sample)"] = {
        "VmRSS": peak, "VmHWM": after["VmHWM"], "Threads": after["Threads"]}
    res["mem"]["after load"] = after
    time.sleep(2.0)
    res["mem"]["after load + 2 s idle"] = proc_status(srv.pid)
    res["stop_ms"] = srv.stop()
    res["log_problems"] = srv.log_problems()
    res["wrk_requests"] = total
    return res


def access_log_lines(path):
    lines = size = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
            size += len(chunk)
    return lines, size


def pg_dsn(args):
    """CIRT_TEST_PG_DSN, or with --pg a throwaway cluster's (tests/pg.sh,
    stopped and removed at the end); None when neither."""
    dsn = os.environ.get("CIRT_TEST_PG_DSN", "")
    if dsn or not args.pg:
        return dsn or None
    cluster = tempfile.mkdtemp(prefix="pgb-", dir="/tmp")
    CLEANUP.later(lambda: shutil.rmtree(cluster, ignore_errors=True))
    note(f"postgresql: starting a throwaway cluster in {cluster}")
    r = subprocess.run([os.path.join(ROOT, "tests/pg.sh"), "start",
                        cluster], capture_output=True, text=True)
    CLEANUP.later(lambda: subprocess.run(
        [os.path.join(ROOT, "tests/pg.sh"), "stop", cluster]))
    dsn = r.stdout.strip()
    if r.returncode != 0 or not dsn:
        raise BenchError(f"tests/pg.sh start failed: {r.stderr}")
    return dsn


def pg_store(args, work):
    """A fresh schema on CIRT_TEST_PG_DSN, or on a throwaway cluster
    (tests/pg.sh) with --pg; None when neither."""
    dsn = pg_dsn(args)
    if dsn is None:
        return None
    schema = f"cirtkit_bench_{os.getpid()}"

    def psql(sql):
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", dsn,
                        "-c", "SET client_min_messages = warning",
                        "-c", sql], check=True, stdout=subprocess.DEVNULL)
    psql(f"CREATE SCHEMA {schema}")
    CLEANUP.later(lambda: psql(f"DROP SCHEMA {schema} CASCADE"))
    return Store("postgresql",
                 ["--db", f"{dsn} options='-csearch_path={schema}'"])


# ---- the report ----

def table(headers, rows, right=None):
    """Text table; columns from index `right` on are right-aligned."""
    right = len(headers) if right is None else right
    cells = [headers] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    out = []
    for n, r in enumerate(cells):
        out.append("  ".join(c.ljust(w) if i < right else c.rjust(w)
                             for i, (c, w) in enumerate(zip(r, widths)))
                   .rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def fmt_errors(r):
    parts = []
    if r["non2xx"]:
        parts.append(f"non-2xx {r['non2xx']}")
    parts += [f"{k} {v}" for k, v in r["sockerr"].items() if v]
    return ", ".join(parts) or "0"


def report(args, meta, st, runs, log_lines):
    w = print
    w()
    w("=" * 78)
    w(f"cirtkit HTTP benchmark, {meta['when']}")
    w(f"{meta['host']}; {meta['cpus']} CPUs; {meta['version']}")
    w(f"{meta['wrk']}; store: {args.orgs} organisations, 1 admin token")
    w("=" * 78)

    w(f"\nSTART-UP ({args.starts} runs each; ms from just before the "
      f"process is started)\n")
    rows = []
    for label, key in (("/bin/true, to exit (spawn floor)", "true"),
                       ("cirtkit version, to exit (exec + linking floor)",
                        "version"),
                       ("cirtkit serve, to first 200 from /healthz", "ready"),
                       ("cirtkit serve, SIGTERM to exit", "stop")):
        v = st[key]
        rows.append([label, f"{statistics.median(v):.1f}",
                     f"{quantile(v, 0.9):.1f}", f"{min(v):.1f}",
                     f"{max(v):.1f}"])
    w(table(["what", "median", "p90", "min", "max"], rows, 1))
    ready, version = statistics.median(st["ready"]), \
        statistics.median(st["version"])
    w(f"\nready median {ready:.1f} ms = {ready / READY_TARGET_MS:.2f} of "
      f"the {READY_TARGET_MS:.0f} ms target "
      f"({'under' if ready < READY_TARGET_MS else 'OVER'}); "
      f"{ready / version:.1f} x `cirtkit version`; "
      f"{ready - version:.1f} ms above it")
    w(f"resident at ready: median {statistics.median(st['rss']):.1f} MB")

    w("\nRESIDENT MEMORY of the server process (MB, /proc/PID/status: "
      "VmRSS / VmHWM)\n")
    phases = list(runs[0]["mem"].keys())
    headers = ["phase"] + [r["tag"] for r in runs]
    rows = [[ph] + [f"{r['mem'][ph]['VmRSS']:.1f} / {r['mem'][ph]['VmHWM']:.1f}"
                    for r in runs] for ph in phases]
    rows.append(["threads"] + [str(r["mem"]["after load"]["Threads"])
                               for r in runs])
    rows.append(["CPU used in the 2 s idle (ms)"] +
                [f"{r['idle_cpu_ms']:.0f}" for r in runs])
    w(table(headers, rows, 1))
    idle = runs[0]["mem"]["idle 2 s"]["VmRSS"]
    w(f"\nidle ({runs[0]['tag']}) {idle:.1f} MB = "
      f"{idle / IDLE_TARGET_MB:.2f} of the {IDLE_TARGET_MB:.0f} MB target "
      f"({'under' if idle < IDLE_TARGET_MB else 'OVER'})")

    base = runs[0]["runs"]["/healthz"]["rps"]
    w(f"\nTHROUGHPUT AND LATENCY (wrk -t{args.threads} "
      f"-c{args.connections} -d{args.duration}s --latency, loopback, "
      f"{'median of ' + str(args.repeat) + ' runs' if args.repeat > 1 else '1 run'}"
      f" each)\n")
    w(f"x ceiling: requests/s / those of /healthz on {runs[0]['tag']} "
      f"({base:,.0f}/s), the ceiling of the same run")
    w(f"x same route: / the same route on {runs[0]['tag']}\n")
    rows, cost = [], []
    for r in runs:
        for path, _ in ENDPOINTS:
            x = r["runs"][path]
            same = runs[0]["runs"][path]["rps"]
            rows.append([
                r["tag"], path, f"{x['rps']:,.0f}",
                f"{x['rps'] / base:.2f}",
                "" if r is runs[0] else f"{x['rps'] / same:.2f}",
                f"{x['p50']:.2f}", f"{x['p90']:.2f}", f"{x['p99']:.2f}",
                f"{x['max']:.1f}", fmt_errors(x)]
                + ([f"{x['spread'][0]:,.0f}-{x['spread'][1]:,.0f}"]
                   if args.repeat > 1 else []))
            cost.append([
                r["tag"], path,
                f"{100.0 * x['cpu'] / x['seconds']:.0f}%",
                f"{100.0 * x['wrk_cpu'] / x['seconds']:.0f}%",
                f"{100.0 * x['other_cpu'] / x['seconds']:.0f}%",
                f"{x['requests'] / x['cpu']:,.0f}" if x["cpu"] else "-",
                f"{x['peak_rss']:.1f} / {x['rss_after']:.1f}"])
    headers = ["server", "route", "req/s", "x ceiling", "x same route",
               "p50 ms", "p90 ms", "p99 ms", "max ms", "errors"]
    if args.repeat > 1:
        headers.append("req/s range")
    w(table(headers, rows, 2))
    w("\nCOST OF THE SAME RUNS (CPU: user+system seconds / wall seconds, "
      "100% = one core)\n")
    w(table(["server", "route", "server CPU", "wrk CPU", "other CPU",
             "req per server CPU-s", "server RSS MB peak / after"],
            cost, 2))

    w("\nNOTES\n")
    w(f"- servers: sqlite = SQLite store, CIRTKIT_ACCESS_LOG=off; "
      f"sqlite+accesslog = the same with the access log to a file; "
      f"postgresql = PostgreSQL store, access log off")
    w("- answer bodies: " + ", ".join(
        f"{path} {size:,} B" for path, size in runs[0]["sizes"].items()))
    for r in runs:
        closes = sum(r["closes"].values())
        w(f"- {r['tag']}: keep-alive: {closes} server closes in "
          f"{100 * len(ENDPOINTS)} sequential requests on one connection; "
          f"ready in {r['ready_ms']:.1f} ms; stopped in "
          f"{r['stop_ms']:.0f} ms; {len(r['log_problems'])} warning or "
          f"error lines in its log")
        for line in r["log_problems"][:5]:
            w(f"    {line}")
    if log_lines:
        lines, size, sent = log_lines
        w(f"- access log file: {lines:,} lines, {size / 1e6:.1f} MB, "
          f"{size / max(lines, 1):.0f} B/line; wrk counted {sent:,} "
          f"answers (plus {100 * len(ENDPOINTS)} sanity requests and up "
          f"to {args.connections} in flight at each run's end)")
    post, fs = meta["post"], statistics.median(meta["fsync"])
    w(f"- setup: {len(post)} x POST /api/v1/orgs on one connection "
      f"(SQLite): {1000.0 * len(post) / sum(post):,.0f}/s, "
      f"p50 {statistics.median(post):.2f} ms, p99 "
      f"{quantile(post, 0.99):.2f} ms; its floor, one write + fdatasync "
      f"in the store's directory: p50 {fs:.2f} ms, so p50 = "
      f"{statistics.median(post) / fs:.1f} x fdatasync")
    if meta.get("post_pg"):
        post = meta["post_pg"]
        w(f"- setup: {len(post)} x POST /api/v1/orgs on one connection "
          f"(PostgreSQL): {1000.0 * len(post) / sum(post):,.0f}/s, "
          f"p50 {statistics.median(post):.2f} ms, p99 "
          f"{quantile(post, 0.99):.2f} ms")
    w(f"- wrk and the server share the {meta['cpus']} CPUs; other CPU is "
      f"everything else on the machine: PostgreSQL's backends, and "
      f"other people's work (the noise)")
    w(f"- load average at the start {meta['load0']}, at the end "
      f"{loadavg()}")
    if args.server_threads:
        w(f"- servers ran with CIRTKIT_THREADS={args.server_threads}")



# ---- shared by the benchmarks' main()s (bench/*_bench.py) ----

def add_common_args(ap, keep_what, wrk=False):
    """The options every benchmark takes: --bin, --pg, --keep, and with
    wrk the load options."""
    ap.add_argument("--bin", default=os.path.join(ROOT, "build/cirtkit"),
                    help="the cirtkit binary (default build/cirtkit)")
    ap.add_argument("--pg", action="store_true",
                    help="also PostgreSQL, on a throwaway cluster when "
                         "CIRT_TEST_PG_DSN is not set")
    ap.add_argument("--keep", action="store_true",
                    help=f"keep the temporary directory ({keep_what})")
    if wrk:
        ap.add_argument("--duration", type=int, default=10,
                        help="seconds per wrk run (default 10)")
        ap.add_argument("--warmup", type=int, default=1,
                        help="seconds of unreported wrk before each route "
                             "(default 1; 0 for none)")
        ap.add_argument("--connections", type=int, default=64,
                        help="wrk connections (default 64)")
        ap.add_argument("--threads", type=int, default=2,
                        help="wrk threads (default 2)")
        ap.add_argument("--server-threads", type=int, default=0,
                        help="CIRTKIT_THREADS for the servers (default: "
                             "the server's own default)")


def check_binary(ap, args, wrk=False):
    """The binary's real path, after checking it (and wrk) are there."""
    binary = os.path.realpath(args.bin)
    if not os.access(binary, os.X_OK):
        ap.error(f"{binary} is not an executable; run tools/build.sh")
    if wrk and shutil.which("wrk") is None:
        ap.error("wrk is not installed; run tools/deps.sh bench")
    return binary


def run_main(prefix, keep, body):
    """Run body(work) in a fresh temporary directory, removed at the end
    unless keep; SIGTERM and SIGHUP end the run through the clean-up, like
    Ctrl-C. Returns the exit status: 0, 1 if the benchmark broke, 130 if
    interrupted."""
    def stop(sig, frame):
        note(f"signal {sig}: cleaning up")
        sys.exit(128 + sig)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    work = tempfile.mkdtemp(prefix=prefix)
    if keep:
        note(f"keeping {work}")
    else:
        CLEANUP.later(lambda: shutil.rmtree(work, ignore_errors=True))
    try:
        body(work)
        return 0
    except (BenchError, OSError) as e:
        note(f"FAILED: {e}")
        return 1
    except KeyboardInterrupt:
        note("interrupted")
        return 130
    finally:
        CLEANUP.run()

def main():
    ap = argparse.ArgumentParser(
        description="HTTP benchmark of cirtkit serve: start-up, resident "
                    "memory, requests/s and latency (bench/README.md).")
    add_common_args(ap, "logs, stores", wrk=True)
    ap.add_argument("--starts", type=int, default=20,
                    help="start-up measurements (default 20)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="wrk runs per route; the median is reported "
                         "(default 1)")
    ap.add_argument("--orgs", type=int, default=1000,
                    help="organisations in the store (default 1000)")
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    if args.orgs < 101 or args.starts < 1 or args.repeat < 1 or \
            args.duration < 1:
        ap.error("need --orgs >= 101 and --starts, --repeat, --duration >= 1")
    binary = check_binary(ap, args, wrk=True)
    Server.threads = args.server_threads

    def body(work):
        meta = {
            "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "host": " ".join(os.uname()[i] for i in (0, 2, 4)),
            "cpus": os.cpu_count(),
            "load0": loadavg(),
            "version": cli(binary, ["version"]).splitlines()[0],
            "wrk": subprocess.run(["wrk", "-v"], capture_output=True,
                                  text=True).stdout.split(" Copyright")[0],
        }
        sqlite = Store("sqlite", ["--data", os.path.join(work, "store")])
        meta["fsync"] = fsync_floor(work)
        meta["post"] = make_store(args, binary, sqlite, work)
        st = startup(args, binary, sqlite, work)
        runs = [throughput(args, binary, sqlite, work, "sqlite")]
        log_path = os.path.join(work, "access.log")
        runs.append(throughput(args, binary, sqlite, work,
                               "sqlite+accesslog", log_path))
        lines, size = access_log_lines(log_path)
        log_lines = (lines, size, runs[-1]["wrk_requests"])
        os.unlink(log_path)
        pg = pg_store(args, work)
        if pg is not None:
            meta["post_pg"] = make_store(args, binary, pg, work)
            runs.append(throughput(args, binary, pg, work,
                                   "postgresql"))
        report(args, meta, st, runs, log_lines)
    return run_main("cirtkit-bench-", args.keep, body)


if __name__ == "__main__":
    sys.exit(main())
