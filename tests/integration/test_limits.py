# SPDX-License-Identifier: Apache-2.0
#
# Body size and JSON depth limits, on a server started with
# CIRTKIT_MAX_BODY=2k: a valid body of exactly 2048 bytes is taken, 2049
# bytes are refused with 413 (declared by Content-Length, or sent chunked),
# on every route that reads a body and also on one that does not; JSON
# nested 32 levels deep reaches the handler, 33 levels is 413. Refusals
# leave the store unchanged and the connection usable for the next request.
import json
import socket

from harness import PASSWORD, CirtTestCase, uniq

LIMIT = 2048


def padded(body, size):
    """body as JSON, padded with JSON white space to exactly size bytes."""
    raw = json.dumps(body).encode()
    assert len(raw) <= size, (len(raw), size)
    return raw[:-1] + b" \t\r\n" * ((size - len(raw)) // 4) + b" " * (
        (size - len(raw)) % 4) + b"}"


class MaxBodyTests(CirtTestCase):
    SERVER_ENV = {"CIRTKIT_MAX_BODY": "2k"}

    def test_exactly_max_body_is_accepted(self):
        name = uniq("Padded ")
        raw = padded({"name": name, "kind": "partner"}, LIMIT)
        self.assertEqual(len(raw), LIMIT)
        r = self.admin.post("/api/v1/orgs", raw)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["name"], name)
        r = self.admin.get("/api/v1/orgs/" + name.replace(" ", "%20"))
        self.assertEqual(r.status, 200, r)

    def test_one_byte_over_is_413(self):
        cases = [
            ("POST", "/api/v1/orgs", {"name": uniq("Over "), "kind": "partner"}),
            ("POST", "/api/v1/users", {"name": uniq("over"), "org": "CIRT",
                                       "role": "analyst", "password": PASSWORD}),
            ("POST", "/api/v1/tokens", {"label": "over"}),
            ("PATCH", "/api/v1/users/admin", {"password": PASSWORD}),
            ("POST", "/api/v1/session", {"user": "admin", "password": PASSWORD}),
        ]
        for method, path, body in cases:
            with self.subTest(path=path):
                raw = padded(body, LIMIT + 1)
                self.assertEqual(len(raw), LIMIT + 1)
                before = self.snapshot()
                r = self.admin.request(method, path, raw)
                self.assertError(r, 413, "too_large", field=None,
                                 message=["larger than", "2048"])
                self.assertUnchanged(before)

    def test_chunked_oversize_is_413(self):
        name = uniq("Chunked ")
        raw = padded({"name": name, "kind": "partner"}, 3 * LIMIT)
        chunks = [raw[i:i + 500] for i in range(0, len(raw), 500)]
        before = self.snapshot()
        r = self.admin.post("/api/v1/orgs", iter(chunks))
        self.assertError(r, 413, "too_large", field=None, message="2048")
        self.assertUnchanged(before)
        # A chunked body just under the limit is fine.
        raw = padded({"name": name, "kind": "partner"}, LIMIT)
        r = self.admin.post("/api/v1/orgs", iter([raw[:1000], raw[1000:]]))
        self.assertEqual(r.status, 201, r)
        # And one byte over, chunked, is not.
        raw = padded({"name": uniq("Chunked "), "kind": "partner"}, LIMIT + 1)
        before = self.snapshot()
        r = self.admin.post("/api/v1/orgs", iter([raw[:1000], raw[1000:]]))
        self.assertError(r, 413, "too_large")
        self.assertUnchanged(before)

    def test_large_declared_length_is_refused_before_reading(self):
        # Claim 1 GB but send nothing more: the answer must come at once.
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        try:
            s.sendall(b"POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\n"
                      b"Authorization: Bearer " + self.admin_token.encode() + b"\r\n"
                      b"Content-Type: application/json\r\n"
                      b"Content-Length: 1000000000\r\n\r\n{")
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        finally:
            s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 413"), data[:200])

    def test_oversize_body_on_a_route_without_body(self):
        r = self.admin.request("GET", "/api/v1/whoami", b" " * (LIMIT + 1))
        self.assertError(r, 413, "too_large")

    def test_server_keeps_working_after_refusals(self):
        for _ in range(3):
            self.admin.post("/api/v1/orgs", b" " * (LIMIT + 10))
            self.admin.post("/api/v1/orgs", iter([b" " * 4000]))
        r = self.admin.get("/healthz")
        self.assertEqual(r.status, 200, r)

    def test_nesting_depth_32_with_a_scalar_at_the_bottom(self):
        # 32 levels whose innermost container holds a value (not empty):
        # scalars are not levels, so this is still 32 and must reach the
        # handler (400 for the type), like the empty case above.
        before = self.snapshot()
        raw = b'{"name": ' + b"[" * 31 + b'"x"' + b"]" * 31 + b', "kind": "partner"}'
        r = self.admin.post("/api/v1/orgs", raw)
        self.assertError(r, 400, "invalid", field="name", message="must be a string")
        deep = '{"a":' * 31 + "1" + "}" * 31
        r = self.admin.post("/api/v1/orgs", ('{"x": %s}' % deep).encode())
        self.assertError(r, 400, "invalid", field="x", message="unknown field")
        self.assertUnchanged(before)

    def test_nesting_depth(self):
        # The body object is level 1; 31 arrays inside make 32 levels: the
        # parser accepts it and the handler refuses the type.
        for path, field in (("/api/v1/orgs", "name"), ("/api/v1/tokens", "label")):
            with self.subTest(path=path, depth=32):
                raw = ('{"%s": ' % field + "[" * 31 + "]" * 31 + "}").encode()
                before = self.snapshot()
                r = self.admin.post(path, raw)
                self.assertError(r, 400, "invalid", field=field,
                                 message="must be a string")
                self.assertUnchanged(before)
            with self.subTest(path=path, depth=33):
                raw = ('{"%s": ' % field + "[" * 32 + "]" * 32 + "}").encode()
                r = self.admin.post(path, raw)
                self.assertError(r, 413, "too_large", field=None, message=["nest", "32"])
                self.assertUnchanged(before)
        # Objects count as levels too.
        deep = '{"a":' * 32 + "{}" + "}" * 32
        r = self.admin.post("/api/v1/orgs", ('{"x": %s}' % deep).encode())
        self.assertError(r, 413, "too_large")
        # Very deep nesting (far past any stack) is refused, not a crash.
        r = self.admin.post("/api/v1/orgs", b"[" * 1000 + b"]" * 1000)
        self.assertIn(r.status, (400, 413), r)
        r = self.admin.get("/healthz")
        self.assertEqual(r.status, 200, r)
