# SPDX-License-Identifier: Apache-2.0
#
# Shared fixtures of the integration suite: a throwaway store (a SQLite data
# directory, or a fresh schema on the PostgreSQL server named by
# CIRT_TEST_PG_DSN), the command line (run_cli), a `cirtkit serve` process
# that fails the test on a bad exit status or a sanitizer report, a small
# HTTP(S) client on http.client, and a TestCase base with the helpers the
# test modules share (a server per class, users and tokens, error checks,
# store snapshots). Only the Python standard library.
import base64
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

# Set by run.py (configure) before the test modules are imported.
BIN = None
BACKEND = "sqlite"
PG_DSN = ""

SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "runtime error")
READY_RE = re.compile(r"listening on (https?)://(\S+):(\d+)")
PASSWORD = "correct horse battery staple"  # 28 bytes, for test users

_live_servers = set()
_live_stores = set()
_lock = threading.Lock()
_counter = [0]


def schema_version():
    """The schema version this binary's `cirtkit version` reports."""
    out = subprocess.run([BIN, "version"], stdout=subprocess.PIPE,
                         check=True).stdout.decode()
    return int(re.search(r"\(schema (\d+)\)", out).group(1))


def configure(bin_path, backend):
    global BIN, BACKEND, PG_DSN
    BIN = os.path.abspath(bin_path)
    BACKEND = backend
    PG_DSN = os.environ.get("CIRT_TEST_PG_DSN", "")
    if backend == "pg" and not PG_DSN:
        raise SystemExit("run.py: --backend pg needs CIRT_TEST_PG_DSN")


def cleanup_all():
    """Last resort at exit: kill servers and drop stores still around."""
    for s in list(_live_servers):
        try:
            s.proc.kill()
            s.proc.wait(5)
        except Exception:
            pass
        _live_servers.discard(s)
    for st in list(_live_stores):
        try:
            st.close()
        except Exception:
            pass


def uniq(prefix="t"):
    """A name unique in this run: lower case, fit for user names too."""
    with _lock:
        _counter[0] += 1
        n = _counter[0]
    return "%s%d-%s" % (prefix, n, secrets.token_hex(3))


def child_env(extra=None):
    """The environment for cirtkit: ours without any CIRTKIT_* setting,
    plus extra (a value of None removes the variable)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIRTKIT_")}
    for k, v in (extra or {}).items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def sanitizer_report(text):
    return any(m in text for m in SANITIZER_MARKS)


def run_cli(args, input=None, env=None, timeout=60):
    """Run `cirtkit ARGS` (str or bytes each). Returns (exit code, stdout,
    stderr) as text; raises AssertionError on a sanitizer report."""
    if isinstance(input, str):
        input = input.encode()
    p = subprocess.run(
        [BIN] + list(args),
        input=input if input is not None else b"",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(env),
        timeout=timeout,
    )
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    if sanitizer_report(err):
        raise AssertionError(
            "sanitizer report from cirtkit %r:\n%s" % (args, err[-6000:])
        )
    return p.returncode, out, err


def psql(sql, conninfo=None, timeout=60):
    """Run SQL through psql; returns the rows (tuples of text)."""
    p = subprocess.run(
        ["psql", conninfo or PG_DSN, "-X", "-q", "-A", "-t", "-F", "\x1f",
         "-v", "ON_ERROR_STOP=1", "-c", sql],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=timeout,
    )
    if p.returncode != 0:
        raise RuntimeError("psql failed (%d): %s\n%s" % (
            p.returncode, sql, p.stderr.decode("utf-8", "replace")))
    out = p.stdout.decode("utf-8", "replace")
    return [tuple(line.split("\x1f")) for line in out.splitlines() if line != ""]


class Store:
    """A fresh, empty store: a SQLite data directory in a temporary
    directory, or a fresh PostgreSQL schema. `args` are the flags that
    point cirtkit at it."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="cirt-it-")
        self.admin_password = None
        self.closed = False
        if BACKEND == "pg":
            self.schema = "s_" + secrets.token_hex(8)
            psql("CREATE SCHEMA %s" % self.schema)
            self.conninfo = "%s options='-csearch_path=%s'" % (PG_DSN, self.schema)
            self.args = ["--db", self.conninfo]
            self.data = None
        else:
            self.schema = None
            self.data = os.path.join(self.tmp, "data")
            self.args = ["--data", self.data]
        _live_stores.add(self)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def cli(self, *args, input=None, env=None, timeout=60):
        """cirtkit ARGS on this store (the store flags go last)."""
        return run_cli(list(args) + self.args, input=input, env=env,
                       timeout=timeout)

    def init(self, *extra, env=None):
        """`cirtkit init`; returns the admin password it printed."""
        rc, out, err = self.cli("init", *extra, env=env)
        if rc != 0:
            raise AssertionError("cirtkit init failed (%d): %s%s" % (rc, out, err))
        pw = parse_admin_password(out)
        if pw is not None:
            self.admin_password = pw
        return pw

    def sql(self, query):
        """Run SQL directly on the store (to simulate time or tampering).
        Returns rows as tuples of text (None for NULL on SQLite)."""
        if BACKEND == "pg":
            return psql(query, self.conninfo)
        con = sqlite3.connect(os.path.join(self.data, "cirtkit.db"), timeout=30)
        try:
            cur = con.execute(query)
            rows = cur.fetchall()
            con.commit()
        finally:
            con.close()
        return [tuple(None if v is None else str(v) for v in r) for r in rows]

    def close(self):
        if self.closed:
            return
        self.closed = True
        _live_stores.discard(self)
        try:
            if self.schema:
                psql("DROP SCHEMA IF EXISTS %s CASCADE" % self.schema)
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


def parse_admin_password(out):
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if "its password is shown only now:" in line and i + 1 < len(lines):
            return lines[i + 1].strip()
    return None


class Server:
    """`cirtkit serve` on 127.0.0.1 and a free port (unless listen is
    given). stdout (the access log) and stderr go to files in the store's
    temporary directory. stop() fails on a non-zero exit status or a
    sanitizer report."""

    def __init__(self, store, env=None, args=(), listen="127.0.0.1:0",
                 tls=None):
        self.store = store
        self.env = dict(env or {})
        self.args = list(args)
        self.listen = listen
        self.tls = tls  # (cert, key) paths
        self.proc = None
        self.port = None
        self.scheme = None
        with _lock:
            _counter[0] += 1
            n = _counter[0]
        self.log_path = store.path("access-%d.log" % n)
        self.err_path = store.path("serve-%d.err" % n)

    def command(self):
        cmd = [BIN, "serve"]
        if self.listen is not None:
            cmd += ["--listen", self.listen]
        if self.tls:
            cmd += ["--tls-cert", self.tls[0], "--tls-key", self.tls[1]]
        return cmd + self.args + self.store.args

    def start(self, timeout=15):
        if self.store.admin_password is None:
            self.store.init()
        out = open(self.log_path, "wb")
        err = open(self.err_path, "wb")
        try:
            self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                         stdout=out, stderr=err,
                                         env=child_env(self.env))
        finally:
            out.close()
            err.close()
        _live_servers.add(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = READY_RE.search(self.stderr())
            if m:
                self.scheme = m.group(1)
                self.port = int(m.group(3))
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        rc = self.proc.poll()
        if rc is None:
            self.proc.kill()
            self.proc.wait()
        _live_servers.discard(self)
        raise AssertionError("cirtkit serve did not become ready (exit %r):\n%s"
                             % (rc, self.stderr()[-4000:]))

    def stderr(self):
        try:
            with open(self.err_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def access_log(self):
        """The access log lines, parsed."""
        with open(self.log_path, "rb") as f:
            return [json.loads(line) for line in f.read().splitlines() if line.strip()]

    def client(self, **kw):
        ctx = kw.pop("context", None)
        if self.scheme == "https" and ctx is None:
            raise ValueError("an HTTPS server needs an ssl context")
        return Client(self.port, context=ctx if self.scheme == "https" else None, **kw)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=20):
        """SIGTERM, wait, and fail unless it exited 0 without a sanitizer
        report."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            _live_servers.discard(self)
            raise AssertionError("cirtkit serve did not stop within %d s after "
                                 "SIGTERM:\n%s" % (timeout, self.stderr()[-4000:]))
        _live_servers.discard(self)
        text = self.stderr()
        if sanitizer_report(text):
            raise AssertionError("sanitizer report from cirtkit serve:\n%s"
                                 % text[-8000:])
        if rc != 0:
            raise AssertionError("cirtkit serve exited with status %d:\n%s"
                                 % (rc, text[-4000:]))

    def kill9(self):
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _live_servers.discard(self)


class Response:
    """status, headers (case-insensitive), raw body bytes, and json (the
    parsed body when it is JSON, else None). Unpacks as
    (status, headers, json-or-bytes)."""

    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        self.json = None
        ctype = headers.get("Content-Type", "") or ""
        if raw and ctype.startswith("application/json"):
            self.json = json.loads(raw.decode("utf-8"))

    @property
    def body(self):
        return self.json if self.json is not None else self.raw

    def __iter__(self):
        return iter((self.status, self.headers, self.body))

    def cookies(self):
        """Set-Cookie headers as a list of strings."""
        return self.headers.get_all("Set-Cookie") or []

    def __repr__(self):
        return "<Response %d %r>" % (self.status, self.raw[:300])


def q(name):
    """Percent-encode one path segment (every reserved character)."""
    if isinstance(name, str):
        name = name.encode("utf-8")
    return urllib.parse.quote(name, safe="")


class Client:
    """A small HTTP client: one connection per request. Credentials:
    token (Bearer), basic=(user, password), cookie (session secret) and
    csrf (X-CSRF-Token)."""

    def __init__(self, port, host="127.0.0.1", context=None, token=None,
                 basic=None, cookie=None, csrf=None, timeout=30):
        self.port = port
        self.host = host
        self.context = context
        self.token = token
        self.basic = basic
        self.cookie = cookie
        self.csrf = csrf
        self.timeout = timeout

    def with_(self, **kw):
        c = Client(self.port, self.host, self.context, self.token, self.basic,
                   self.cookie, self.csrf, self.timeout)
        for k, v in kw.items():
            setattr(c, k, v)
        return c

    def connection(self):
        if self.context is not None:
            return http.client.HTTPSConnection(self.host, self.port,
                                               timeout=self.timeout,
                                               context=self.context)
        return http.client.HTTPConnection(self.host, self.port,
                                          timeout=self.timeout)

    def headers_for(self, headers=None, body=None, content_type="application/json"):
        h = {}
        if self.token is not None:
            h["Authorization"] = "Bearer " + self.token
        elif self.basic is not None:
            u, p = self.basic
            raw = (u.encode() if isinstance(u, str) else u) + b":" + (
                p.encode() if isinstance(p, str) else p)
            h["Authorization"] = "Basic " + base64.b64encode(raw).decode()
        if self.cookie is not None:
            h["Cookie"] = "cirtkit_session=" + self.cookie
        if self.csrf is not None:
            h["X-CSRF-Token"] = self.csrf
        if body is not None and content_type is not None:
            h["Content-Type"] = content_type
        for k, v in (headers or {}).items():
            if v is None:
                h.pop(k, None)
            else:
                h[k] = v
        return h

    def request(self, method, path, body=None, headers=None,
                content_type="application/json", query=None):
        """body: dict/list (sent as JSON), str or bytes (sent as is), or
        an iterator of bytes (sent chunked)."""
        chunked = False
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode("utf-8")
        elif body is not None and not isinstance(body, bytes):
            chunked = True
        if query:
            path += "?" + urllib.parse.urlencode(query)
        conn = self.connection()
        try:
            conn.request(method, path, body=body,
                         headers=self.headers_for(headers, body, content_type),
                         encode_chunked=chunked)
            resp = conn.getresponse()
            raw = resp.read()
            return Response(resp.status, resp.headers, raw)
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def list_all(self, path, query=None, limit=1000):
        """Every item of a paged list."""
        items, cursor = [], None
        while True:
            qs = dict(query or {})
            qs["limit"] = str(limit)
            if cursor is not None:
                qs["cursor"] = cursor
            r = self.get(path, query=qs)
            if r.status != 200:
                raise AssertionError("GET %s: %d %r" % (path, r.status, r.raw))
            items += r.json["items"]
            cursor = r.json.get("next_cursor")
            if cursor is None:
                return items


def raw_http(port, data, timeout=10):
    """Send raw bytes on a fresh connection and return everything read
    until the server closes or the answer is complete: (status, head text,
    body bytes)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        buf = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            buf += chunk
            head, sep, body = buf.partition(b"\r\n\r\n")
            if sep:
                m = re.search(rb"(?i)content-length:\s*(\d+)", head)
                if m and len(body) >= int(m.group(1)):
                    break
    finally:
        s.close()
    head, _, body = buf.partition(b"\r\n\r\n")
    m = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    return (int(m.group(1)) if m else None, head.decode("latin-1"), body)


class Token(str):
    """A token's secret, with its id."""

    def __new__(cls, secret, id):
        t = super().__new__(cls, secret)
        t.id = id
        return t


class CirtTestCase(unittest.TestCase):
    """A store and a server per class (unless SERVER is False), with the
    admin's token. Tests must use unique names (uniq())."""

    SERVER = True
    SERVER_ENV = {}

    @classmethod
    def setUpClass(cls):
        cls.store = Store()
        cls.addClassCleanup(cls.store.close)
        cls.store.init()
        cls.server = None
        if cls.SERVER:
            cls.server = Server(cls.store, env=cls.SERVER_ENV)
            cls.server.start()
            cls.addClassCleanup(cls.server.stop)
            rc, out, err = cls.store.cli("token", "create", "admin",
                                         "--label", "suite admin")
            if rc != 0:
                raise AssertionError("token create failed: %s" % err)
            cls.admin_token = out.strip()
            cls.anon = cls.server.client()
            cls.admin = cls.server.client(token=cls.admin_token)

    # ---- accounts through the API (as admin) ----

    def make_org(self, kind="constituent", name=None):
        name = name or uniq("Org ")
        r = self.admin.post("/api/v1/orgs", {"name": name, "kind": kind})
        self.assertEqual(r.status, 201, r)
        return name

    def make_user(self, role, org=None, name=None, password=PASSWORD):
        """A user (and its organisation when needed); returns its name."""
        if org is None:
            org = "CIRT" if role in ("admin", "analyst") else self.make_org(
                "constituent" if role == "constituent" else "partner")
        name = name or uniq("u")
        body = {"name": name, "org": org, "role": role}
        if password is not None:
            body["password"] = password
        r = self.admin.post("/api/v1/users", body)
        self.assertEqual(r.status, 201, r)
        return name

    def make_token(self, user, **kw):
        """A new token of user (made by the admin): the secret, a str
        with the token's id as .id."""
        body = dict(kw)
        body["user"] = user
        r = self.admin.post("/api/v1/tokens", body)
        self.assertEqual(r.status, 201, r)
        return Token(r.json["token"], r.json["id"])

    def user_client(self, role, org=None):
        """(name, client with a token of a new user of this role)."""
        name = self.make_user(role, org)
        return name, self.server.client(token=self.make_token(name))

    def login(self, user, password=PASSWORD, client=None):
        """POST /api/v1/session; returns (response, session secret)."""
        r = (client or self.anon).post("/api/v1/session",
                                       {"user": user, "password": password})
        self.assertEqual(r.status, 201, r)
        secret = None
        for c in r.cookies():
            m = re.match(r"cirtkit_session=([^;]*)", c)
            if m:
                secret = m.group(1)
        self.assertTrue(secret, "no session cookie in %r" % r.cookies())
        return r, secret

    # ---- checks ----

    def assertError(self, r, status, code, field=Ellipsis, message=None):
        """r is an error answer of the documented shape. field: expected
        value (None for null; Ellipsis: do not check). message: substrings
        (or one) that the message must contain, case-insensitively."""
        self.assertEqual(r.status, status, r)
        self.assertIsNotNone(r.json, "error answer is not JSON: %r" % r)
        self.assertEqual(set(r.json), {"error"}, r)
        e = r.json["error"]
        self.assertEqual(set(e), {"code", "message", "field"}, r)
        self.assertEqual(e["code"], code, r)
        self.assertIsInstance(e["message"], str)
        self.assertTrue(e["message"], r)
        if field is not Ellipsis:
            self.assertEqual(e["field"], field, r)
        if message is not None:
            for m in ([message] if isinstance(message, str) else message):
                self.assertIn(m.lower(), e["message"].lower(), r)
        if status == 401:
            www = r.headers.get("WWW-Authenticate", "")
            self.assertTrue(www.startswith('Bearer realm="cirtkit", Basic realm="cirtkit"'),
                            "WWW-Authenticate: %r" % www)

    def snapshot(self):
        """What the store holds, as the admin sees it through the API."""
        return {
            "audit": self.admin.list_all("/api/v1/audit"),
            "orgs": self.admin.list_all("/api/v1/orgs"),
            "users": self.admin.list_all("/api/v1/users"),
            "tokens": self.admin.list_all("/api/v1/tokens"),
        }

    def assertUnchanged(self, before):
        """Nothing was added or changed since snapshot() gave before.
        A token's last_used_at is bookkeeping of its use and is ignored."""
        after = self.snapshot()
        for snap in (before, after):
            for t in snap["tokens"]:
                t.pop("last_used_at", None)
        result = {k: list(v) for k, v in after.items()}
        for k in before:
            self.assertEqual(len(after[k]), len(before[k]),
                             "%s changed: %d -> %d entries; new: %r" % (
                                 k, len(before[k]), len(after[k]),
                                 after[k][len(before[k]):]))
            self.assertEqual(after[k], before[k], "%s changed" % k)
        return result
