# SPDX-License-Identifier: Apache-2.0
#
# HTTP details: /healthz without credentials, 404 for unknown routes, 405
# with Allow, HEAD, the trailing slash, bad percent-encoding and unknown
# query parameters, /metrics (who may read it, request counters with route
# and status labels, the latency histogram, store figures) and the JSON
# access log (one line per request).
import json
import os
import re
import time

import harness
from harness import CirtTestCase, Server, raw_http, uniq


class HttpTests(CirtTestCase):
    def test_healthz_without_credentials(self):
        r = self.anon.get("/healthz")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["status"], "ok")
        self.assertEqual(r.json["schema"], harness.schema_version())
        self.assertIsInstance(r.json["version"], str)
        self.assertTrue(r.headers["Content-Type"].startswith("application/json"))

    def test_unknown_route_is_404(self):
        for path in ("/", "/api/v1/nothing", "/api/v2/orgs", "/api/v1/orgs/x/y",
                     "/healthz/x", "/api//v1/orgs"):
            with self.subTest(path=path):
                r = self.admin.get(path)
                self.assertError(r, 404, "not_found", field=None)
        r = self.anon.get("/api/v1/nothing")
        self.assertIn(r.status, (401, 404), r)

    def test_wrong_method_is_405_with_allow(self):
        cases = [
            ("DELETE", "/api/v1/orgs", {"GET", "POST"}),
            ("PUT", "/api/v1/users/admin", {"GET", "PATCH"}),
            ("POST", "/api/v1/tokens/1", {"GET", "DELETE"}),
            ("POST", "/healthz", {"GET"}),
            ("PATCH", "/api/v1/session", {"POST", "GET", "DELETE"}),
            ("DELETE", "/api/v1/audit/verify", {"GET"}),
        ]
        for method, path, allow in cases:
            with self.subTest(method=method, path=path):
                r = self.admin.request(method, path)
                self.assertError(r, 405, "method_not_allowed")
                got = {m.strip() for m in r.headers.get("Allow", "").split(",")}
                self.assertEqual(got, allow, r.headers)

    def test_head_works_where_get_does(self):
        for path in ("/healthz", "/api/v1/orgs", "/api/v1/whoami",
                     "/api/v1/orgs/CIRT", "/metrics"):
            with self.subTest(path=path):
                g = self.admin.get(path)
                h = self.admin.request("HEAD", path)
                self.assertEqual(h.status, 200, h)
                self.assertEqual(h.raw, b"")
                self.assertEqual(h.headers.get("Content-Type"),
                                 g.headers.get("Content-Type"))
        r = self.anon.request("HEAD", "/api/v1/orgs")
        self.assertEqual(r.status, 401)

    def test_trailing_slash_is_ignored(self):
        r = self.admin.get("/api/v1/orgs/")
        self.assertEqual(r.status, 200, r)
        r = self.admin.get("/api/v1/orgs/CIRT/")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["name"], "CIRT")
        r = self.admin.get("/api/v1/orgs//")
        self.assertEqual(r.status, 404, r)

    def test_bad_percent_encoding_is_400(self):
        for path in ("/api/v1/orgs/%zz", "/api/v1/orgs/%4", "/api/v1/users/a%",
                     "/api/v1/orgs?kind=%G0"):
            with self.subTest(path=path):
                r = self.admin.get(path)
                self.assertError(r, 400, "invalid", message="percent-encoding")

    def test_unknown_or_repeated_query_parameter_is_400(self):
        r = self.admin.get("/api/v1/orgs?colour=red")
        self.assertError(r, 400, "invalid", field="colour", message="colour")
        r = self.admin.get("/api/v1/audit?kind=team")
        self.assertError(r, 400, "invalid", field="kind", message="kind")
        r = self.admin.get("/api/v1/orgs?limit=1&limit=2")
        self.assertError(r, 400, "invalid", field="limit", message="limit")
        r = self.admin.get("/api/v1/orgs?kind=galaxy")
        self.assertError(r, 400, "invalid", field="kind", message="kind")

    def test_error_answers_are_not_cached(self):
        r = self.admin.get("/api/v1/orgs/nope-%s" % uniq())
        self.assertError(r, 404, "not_found", field="org", message="no organisation")
        self.assertEqual(r.headers.get("Cache-Control"), "no-store")
        self.assertEqual(r.headers.get("X-Content-Type-Options"), "nosniff")

    def test_metrics_needs_admin_or_analyst(self):
        r = self.anon.get("/metrics")
        self.assertError(r, 401, "unauthorized")
        _, analyst = self.user_client("analyst")
        r = analyst.get("/metrics")
        self.assertEqual(r.status, 200, r)
        for role in ("constituent", "partner"):
            with self.subTest(role=role):
                _, c = self.user_client(role)
                r = c.get("/metrics")
                self.assertError(r, 403, "forbidden", field=None,
                                 message=["role '%s'" % role, "metrics.read"])

    def test_metrics_counts_requests(self):
        def count(text, route, status):
            total = 0.0
            for line in text.splitlines():
                if (line.startswith("cirtkit_http_requests_total{")
                        and 'route="%s"' % route in line and 'status="%s"' % status in line
                        and 'method="GET"' in line):
                    total += float(line.rsplit(" ", 1)[1])
            return total

        before = self.admin.get("/metrics").raw.decode()
        for _ in range(3):
            self.admin.get("/api/v1/whoami")
        self.anon.get("/api/v1/whoami")
        # A request is counted when it completes, which can be just after
        # its answer reached us: look again for a moment if need be.
        deadline = time.monotonic() + 3
        while True:
            after = self.admin.get("/metrics").raw.decode()
            got = (count(after, "/api/v1/whoami", "200") - count(before, "/api/v1/whoami", "200"),
                   count(after, "/api/v1/whoami", "401") - count(before, "/api/v1/whoami", "401"))
            if got == (3, 1) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(got, (3, 1))
        self.assertGreaterEqual(count(after, "/metrics", "200")
                                - count(before, "/metrics", "200"), 1)

    def test_metrics_content(self):
        self.admin.get("/api/v1/orgs")
        self.admin.get("/api/v1/orgs/nope-%s" % uniq())
        self.admin.get("/no/such/route")

        def labels(s):
            return dict(re.findall(r'(\w+)="([^"]*)"', s))

        deadline = time.monotonic() + 3
        while True:
            r = self.admin.get("/metrics")
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.headers["Content-Type"].startswith("text/plain; version=0.0.4"),
                            r.headers)
            text = r.raw.decode()
            samples = {}
            for line in text.splitlines():
                if not line or line.startswith("#"):
                    continue
                m = re.match(r"^([a-z_]+)(\{.*\})? (\S+)$", line)
                self.assertIsNotNone(m, "bad metrics line: %r" % line)
                samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
            reqs = [(labels(k), v) for k, v in samples.items()
                    if k.startswith("cirtkit_http_requests_total{")]
            seen = (
                any(l.get("route") == "/api/v1/orgs" and l.get("status") == "200"
                    and l.get("method") == "GET" and v >= 1 for l, v in reqs),
                any(l.get("route") == "/api/v1/orgs/{name}" and l.get("status") == "404"
                    for l, v in reqs),
                any(l.get("route") == "unmatched" and l.get("status") == "404"
                    for l, v in reqs))
            if all(seen) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(seen, (True, True, True), reqs)
        self.assertIn("# TYPE cirtkit_http_request_duration_seconds histogram", text)
        buckets = [(labels(k), v) for k, v in samples.items()
                   if k.startswith("cirtkit_http_request_duration_seconds_bucket{")]
        inf = [v for l, v in buckets if l.get("route") == "/api/v1/orgs"
               and l.get("method") == "GET" and l.get("le") == "+Inf"]
        self.assertEqual(len(inf), 1, buckets)
        self.assertGreaterEqual(inf[0], 1)
        self.assertTrue(any(k.startswith("cirtkit_http_request_duration_seconds_count{")
                            for k in samples))
        self.assertTrue(any(k.startswith("cirtkit_http_request_duration_seconds_sum{")
                            for k in samples))
        for name in ("cirtkit_process_resident_memory_bytes",
                     "cirtkit_process_start_time_seconds",
                     "cirtkit_store_tokens_active", "cirtkit_store_bytes",
                     "cirtkit_store_schema_version"):
            self.assertIn(name, samples, name)
        self.assertGreater(samples["cirtkit_process_resident_memory_bytes"], 0)
        self.assertEqual(samples["cirtkit_store_schema_version"],
                         harness.schema_version())
        self.assertGreaterEqual(samples["cirtkit_store_tokens_active"], 1)
        self.assertTrue(any(k.startswith("cirtkit_build_info{") for k in samples))
        orgs = self.admin.list_all("/api/v1/orgs")
        users = self.admin.list_all("/api/v1/users")
        self.assertEqual(samples['cirtkit_store_rows{table="orgs"}'], len(orgs))
        self.assertEqual(samples['cirtkit_store_rows{table="users"}'], len(users))
        self.assertIn('cirtkit_store_rows{table="sessions"}', samples)
        self.assertGreaterEqual(samples['cirtkit_store_rows{table="audit"}'], 2)

    def test_access_log_one_json_line_per_request(self):
        marker = uniq("logmark")
        reqs = [("GET", "/api/v1/orgs/" + marker, self.admin, 404),
                ("HEAD", "/api/v1/users/" + marker, self.admin, 404),
                ("DELETE", "/api/v1/orgs/" + marker, self.anon, 405),
                ("GET", "/api/v1/users/" + marker, self.anon, 401),
                ("PATCH", "/api/v1/users/" + marker, self.admin, 404)]
        for method, path, c, _ in reqs:
            c.request(method, path)
        # The line is written when the request completes: give it a moment.
        deadline = time.monotonic() + 5
        while True:
            lines = [l for l in self.server.access_log() if marker in l.get("path", "")]
            if len(lines) >= len(reqs) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(len(lines), len(reqs), lines)
        # Lines are written as requests complete, on worker threads: match
        # them by method and path rather than by order.
        by_key = {(l["method"], l["path"]): l for l in lines}
        self.assertEqual(len(by_key), len(reqs), lines)
        for method, path, c, status in reqs:
            line = by_key[(method, path)]
            self.assertEqual(line["status"], status, line)
            self.assertIsInstance(line["duration_ms"], (int, float))
            self.assertGreaterEqual(line["duration_ms"], 0)
            self.assertEqual(line["addr"], "127.0.0.1")
            self.assertRegex(line["time"], r"^\d{4}-\d\d-\d\dT.*Z$")
            self.assertIsInstance(line["bytes"], int)
            if status != 405:
                self.assertEqual(line["user"], "admin" if c is self.admin else None, line)
        self.assertEqual(by_key[reqs[0][:2]]["route"], "/api/v1/orgs/{name}")
        self.assertEqual(by_key[reqs[1][:2]]["route"], "/api/v1/users/{name}")
        self.assertEqual(by_key[reqs[3][:2]]["route"], "/api/v1/users/{name}")

    def test_access_log_survives_hostile_paths(self):
        marker = uniq("hostile")
        status, head, body = raw_http(
            self.server.port,
            b"GET /api/v1/orgs/" + marker.encode() + b"\xff\x01\"\\ HTTP/1.1\r\n"
            b"Host: x\r\nUser-Agent: evil\"\\\xfe\r\nConnection: close\r\n\r\n")
        self.assertIn(status, (400, 401, 404), head)
        # Every line is JSON (access_log() parses each).
        deadline = time.monotonic() + 5
        while True:
            lines = [l for l in self.server.access_log() if marker in l.get("path", "")]
            if lines or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(len(lines), 1, lines)
        self.assertNotIn("\xff", lines[0]["path"])
        self.assertEqual(lines[0]["agent"], 'evil"\\?')


class AccessLogSettingTests(CirtTestCase):
    SERVER = False

    def test_access_log_to_a_file_and_off(self):
        path = self.store.path("access.jsonl")
        srv = Server(self.store, env={"CIRTKIT_ACCESS_LOG": path}).start()
        try:
            self.assertEqual(srv.client().get("/healthz").status, 200)
            srv.client().get("/nope")
        finally:
            srv.stop()
        with open(path) as f:
            lines = [json.loads(l) for l in f]
        # A line is written when its request completes, on whichever
        # worker thread served it: two requests may log in either order.
        self.assertEqual(sorted((l["path"], l["status"]) for l in lines),
                         [("/healthz", 200), ("/nope", 404)])
        self.assertEqual(srv.access_log(), [])  # nothing on stdout
        self.assertEqual(os.stat(path).st_mode & 0o077, 0)  # not for everyone
        srv = Server(self.store, env={"CIRTKIT_ACCESS_LOG": "off"}).start()
        try:
            self.assertEqual(srv.client().get("/healthz").status, 200)
        finally:
            srv.stop()
        self.assertEqual(srv.access_log(), [])
