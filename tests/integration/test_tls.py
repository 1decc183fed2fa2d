# SPDX-License-Identifier: Apache-2.0
#
# HTTPS: a self-signed certificate made with the openssl command; `serve
# --tls-cert --tls-key` answers over TLS 1.2 and TLS 1.3 (and not over
# plain HTTP on the same port), the session cookie is Secure under HTTPS;
# TLS settings that cannot work fail at start with exit 1; plain HTTP on an
# address that is not loopback is refused unless insecure_http is set.
import json
import os
import re
import socket
import ssl
import subprocess
import warnings

import harness
from harness import CirtTestCase, Server, child_env


def make_cert(dir_path):
    cert, key = dir_path + "/cert.pem", dir_path + "/key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
         "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
    return cert, key


def context(cert, version=None):
    ctx = ssl.create_default_context(cafile=cert)
    if version is not None:
        ctx.minimum_version = version
        ctx.maximum_version = version
    return ctx


def start_tls_server(cls):
    """For a test class's setUpClass: a certificate, an HTTPS server on
    the class's store (stopped at the class's end); the admin's token."""
    cls.cert, cls.key = make_cert(cls.store.tmp)
    cls.server = Server(cls.store, tls=(cls.cert, cls.key))
    cls.server.start()
    cls.addClassCleanup(cls.server.stop)
    rc, out, err = cls.store.cli("token", "create", "admin")
    return out.strip()


class TlsTests(CirtTestCase):
    SERVER = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_token = start_tls_server(cls)

    def client(self, version=None, **kw):
        return self.server.client(context=context(self.cert, version), **kw)

    def test_ready_line_says_https(self):
        self.assertEqual(self.server.scheme, "https")

    def test_tls_versions(self):
        for version, name in ((ssl.TLSVersion.TLSv1_2, "TLSv1.2"),
                              (ssl.TLSVersion.TLSv1_3, "TLSv1.3")):
            with self.subTest(version=name):
                ctx = context(self.cert, version)
                with socket.create_connection(("127.0.0.1", self.server.port), 10) as raw:
                    with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
                        self.assertEqual(s.version(), name)
                        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                  b"Connection: close\r\n\r\n")
                        data = b""
                        while True:
                            chunk = s.recv(4096)
                            if not chunk:
                                break
                            data += chunk
                self.assertTrue(data.startswith(b"HTTP/1.1 200"), data[:100])
                body = json.loads(data.split(b"\r\n\r\n", 1)[1])
                self.assertEqual(body["status"], "ok")
                r = self.client(version, token=self.admin_token).get("/api/v1/whoami")
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json["user"], "admin")

    def test_old_tls_refused(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(self.cert)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                ctx.minimum_version = ssl.TLSVersion.TLSv1_1
                ctx.maximum_version = ssl.TLSVersion.TLSv1_1
                ctx.set_ciphers("ALL:@SECLEVEL=0")
            except (ValueError, ssl.SSLError) as e:
                self.skipTest("this Python cannot offer TLS 1.1: %s" % e)
        with socket.create_connection(("127.0.0.1", self.server.port), 10) as raw:
            try:
                with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as s:
                    version = s.version()
            except (ssl.SSLError, ConnectionError) as e:
                if "NO_PROTOCOLS_AVAILABLE" in str(e) or "no protocols" in str(e):
                    self.skipTest("this OpenSSL cannot offer TLS 1.1: %s" % e)
                return  # the server refused the handshake
        self.fail("the server accepted %s" % version)

    def test_plain_http_on_tls_port_gets_no_api(self):
        with socket.create_connection(("127.0.0.1", self.server.port), 10) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            s.settimeout(5)
            data = b""
            try:
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except (socket.timeout, ConnectionResetError):
                pass
        self.assertNotIn(b'"status":"ok"', data)

    def test_secure_session_cookie(self):
        c = self.client()
        r = c.post("/api/v1/session", {"user": "admin", "password": self.store.admin_password})
        self.assertEqual(r.status, 201, r)
        cookie = [x for x in r.cookies() if x.startswith("cirtkit_session=")][0]
        attrs = [a.strip() for a in cookie.split(";")[1:]]
        for a in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/"):
            self.assertIn(a, attrs)
        secret = re.match(r"cirtkit_session=([0-9a-f]+);", cookie).group(1)
        s = self.client(cookie=secret)
        self.assertEqual(s.get("/api/v1/whoami").json["auth"], "session")
        r = s.with_(csrf=r.json["csrf_token"]).delete("/api/v1/session")
        self.assertEqual(r.status, 204, r)
        self.assertIn("Secure", r.headers.get("Set-Cookie", ""))

    def test_wrong_certificate_is_not_trusted(self):
        other = self.store.path("other")
        os.makedirs(other, exist_ok=True)
        other_cert, _ = make_cert(other)
        c = self.server.client(context=context(other_cert))
        with self.assertRaises(ssl.SSLCertVerificationError):
            c.get("/healthz")
        self.assertEqual(self.client().get("/healthz").status, 200)

    def test_bad_tls_settings_fail_at_start(self):
        missing = self.store.path("missing.pem")
        cases = [
            (["--tls-cert", self.cert], "TLS needs both"),
            (["--tls-key", self.key], "TLS needs both"),
            (["--tls-cert", missing, "--tls-key", self.key], "missing.pem"),
            (["--tls-cert", self.cert, "--tls-key", missing], "missing.pem"),
        ]
        for args, msg in cases:
            with self.subTest(args=args):
                p = subprocess.run([harness.BIN, "serve", "--listen", "127.0.0.1:0"] + args
                                   + self.store.args, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=child_env(), timeout=30)
                err = p.stderr.decode()
                self.assertEqual(p.returncode, 1, err)
                self.assertIn("cirtkit: ", err)
                self.assertIn(msg, err)
        # garbage PEM: refused at start, not at the first connection
        bad = self.store.path("garbage.pem")
        with open(bad, "w") as f:
            f.write("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
        p = subprocess.run([harness.BIN, "serve", "--listen", "127.0.0.1:0", "--tls-cert", bad,
                            "--tls-key", self.key] + self.store.args,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=child_env(), timeout=30)
        self.assertEqual(p.returncode, 1, p.stderr.decode())
        self.assertNotIn("AddressSanitizer", p.stderr.decode())


class ListenTests(CirtTestCase):
    SERVER = False

    def serve_refused(self, listen):
        """Run `cirtkit serve --listen LISTEN`, expect exit 1; its stderr."""
        p = subprocess.run([harness.BIN, "serve", "--listen", listen] + self.store.args,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=child_env(), timeout=30)
        err = p.stderr.decode()
        self.assertEqual(p.returncode, 1, err)
        self.assertIn("cirtkit: ", err)
        self.assertNotIn("AddressSanitizer", err)
        return err

    def test_plain_http_refused_off_loopback(self):
        for listen in ("0.0.0.0:0", "[::]:0"):
            with self.subTest(listen=listen):
                err = self.serve_refused(listen)
                self.assertIn("refusing plain HTTP", err)
                self.assertIn("insecure_http", err)
                self.assertNotIn("listening", err)

    def test_insecure_http_allows_it(self):
        srv = Server(self.store, env={"CIRTKIT_INSECURE_HTTP": "true"}, listen="0.0.0.0:0")
        srv.start()
        try:
            self.assertIn("listening on http://0.0.0.0:", srv.stderr())
            r = srv.client().get("/healthz")
            self.assertEqual(r.status, 200, r)
        finally:
            srv.stop()
        conf = self.store.path("insecure.conf")
        with open(conf, "w") as f:
            f.write("insecure_http = true\n")
        srv = Server(self.store, args=["--config", conf], listen="0.0.0.0:0")
        srv.start()
        try:
            self.assertEqual(srv.client().get("/healthz").status, 200)
        finally:
            srv.stop()

    def test_tls_off_loopback_is_fine(self):
        cert, key = make_cert(self.store.tmp)
        srv = Server(self.store, listen="0.0.0.0:0", tls=(cert, key))
        srv.start()
        try:
            r = srv.client(context=context(cert)).get("/healthz")
            self.assertEqual(r.status, 200, r)
        finally:
            srv.stop()

    def test_bad_listen_addresses(self):
        for listen in ("nonsense", "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:-1",
                       "999.0.0.1:0", ":0"):
            with self.subTest(listen=listen):
                self.serve_refused(listen)

    def test_port_in_use(self):
        srv = Server(self.store).start()
        try:
            p = subprocess.run([harness.BIN, "serve", "--listen", "127.0.0.1:%d" % srv.port]
                               + self.store.args, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=child_env(), timeout=30)
            err = p.stderr.decode()
            self.assertEqual(p.returncode, 1, err)
            self.assertIn("cirtkit: ", err)
            self.assertEqual(srv.client().get("/healthz").status, 200)
        finally:
            srv.stop()
