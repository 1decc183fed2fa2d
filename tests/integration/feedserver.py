#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# A small HTTP(S) server on loopback that plays the feeds' side for the
# collector's tests (tests/unit/feed/test_fetch.c and the integration
# suite). Python standard library only; run with /usr/bin/python3:
#
#   feedserver.py --dir DIR [--port 0] [--bind 127.0.0.1]
#                 [--taxii-user U:P] [--taxii-token T] [--tls CERT KEY]
#                 [--exit-on-stdin-eof]
#
# The chosen port is the first line of stdout. What it serves:
#
#   GET /<file>              DIR/<file>, with ETag (the sha256 of the
#                            content) and Last-Modified (its mtime); 304
#                            to a matching If-None-Match or, without
#                            one, If-Modified-Since
#   POST /_fail?n=N&status=S&retry_after=R
#                            the next N GETs answer S (503) with
#                            Retry-After: R (0)
#   POST /_reset             forget the failures and the log
#   GET /_slow?seconds=S     answers after S seconds
#   GET /_big?bytes=N[&chunked=1]
#                            streams N bytes, with Content-Length or
#                            chunked (no length known in advance)
#   GET /_loop?n=K           K redirects, then "ok"
#   GET /_redirect?to=URL    one redirect to URL (any scheme)
#   GET /_headers?h=Name:Value[&h=...]
#                            "ok" with these response headers
#   GET /_log                the requests so far, as JSON
#   GET /taxii2/<root>/collections/<id>/objects/
#                            the objects of the bundle DIR/taxii/<id>.json
#                            in pages (TAXII 2.1 section 5.4): limit, next
#                            (an opaque "n+<offset>"), added_after (against
#                            each object's modified, else created), more,
#                            X-TAXII-Date-Added-First and -Last; a file
#                            that is not a bundle is sent as it is (for
#                            tests of broken envelopes); Authorization is
#                            required when --taxii-user or --taxii-token
#                            is given
import argparse
import base64
import email.utils
import hashlib
import json
import os
import re
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TAXII_TYPE = "application/taxii+json;version=2.1"
OBJECTS_RE = re.compile(r"^/taxii2/[^/]+/collections/([A-Za-z0-9._-]+)/objects/$")


def time_key(s):
    """An RFC 3339 UTC timestamp as a string that sorts as the instant."""
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z", s or "")
    if not m:
        raise ValueError(s)
    return m.group(1) + "." + ((m.group(2) or "") + "0" * 12)[:12]


def date_added(obj):
    return obj.get("modified") or obj.get("created") or "1970-01-01T00:00:00Z"


class State:
    def __init__(self, args):
        self.dir = os.path.realpath(args.dir)
        self.auth = set()
        if args.taxii_user:
            self.auth.add("Basic " + base64.b64encode(
                args.taxii_user.encode()).decode())
        if args.taxii_token:
            self.auth.add("Bearer " + args.taxii_token)
        self.lock = threading.Lock()
        self.log = []
        self.fail = (0, 503, "0")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "feedserver/1"

    def log_message(self, fmt, *args):
        pass

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True

    def reply(self, status, body=b"", ctype="text/plain", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def record(self):
        h = self.headers
        entry = {"method": self.command, "path": self.path,
                 "if_none_match": h.get("If-None-Match"),
                 "if_modified_since": h.get("If-Modified-Since"),
                 "authorization": h.get("Authorization") is not None,
                 "accept": h.get("Accept"), "user_agent": h.get("User-Agent")}
        with STATE.lock:
            STATE.log.append(entry)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.record()
        with STATE.lock:
            if url.path == "/_fail":
                STATE.fail = (int(q.get("n", "1")), int(q.get("status", "503")),
                              q.get("retry_after", "0"))
            elif url.path == "/_reset":
                STATE.fail = (0, 503, "0")
                STATE.log.clear()
            else:
                return self.reply(404, b"no such control\n")
        self.reply(200, b"ok\n")

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        arg = {k: v[-1] for k, v in q.items()}
        if url.path == "/_log":
            with STATE.lock:
                body = json.dumps(STATE.log).encode()
            return self.reply(200, body, "application/json")
        self.record()
        with STATE.lock:
            n, status, retry_after = STATE.fail
            if n > 0:
                STATE.fail = (n - 1, status, retry_after)
        if n > 0:
            return self.reply(status, b"failing on purpose\n",
                              headers=[("Retry-After", retry_after)])
        m = OBJECTS_RE.match(url.path)
        if m:
            return self.taxii_objects(m.group(1), arg)
        if url.path == "/_slow":
            time.sleep(float(arg.get("seconds", "1")))
            return self.reply(200, b"slow\n")
        if url.path == "/_big":
            return self.big(int(arg.get("bytes", "0")), arg.get("chunked") == "1")
        if url.path == "/_loop":
            k = int(arg.get("n", "0"))
            if k > 0:
                return self.reply(302, headers=[("Location", "/_loop?n=%d" % (k - 1))])
            return self.reply(200, b"ok\n")
        if url.path == "/_redirect":
            return self.reply(302, headers=[("Location", arg.get("to", "/"))])
        if url.path == "/_headers":
            return self.reply(200, b"ok\n", headers=[
                (h.partition(":")[0], h.partition(":")[2].strip())
                for h in q.get("h", [])])
        self.serve_file(urllib.parse.unquote(url.path))

    def big(self, n, chunked):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(n))
        self.end_headers()
        block = b"x" * 65536
        while n > 0:
            part = block[:min(n, len(block))]
            n -= len(part)
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            else:
                self.wfile.write(part)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def serve_file(self, path):
        full = os.path.realpath(os.path.join(STATE.dir, path.lstrip("/")))
        if not full.startswith(STATE.dir + os.sep) or not os.path.isfile(full):
            return self.reply(404, b"not found\n")
        with open(full, "rb") as f:
            body = f.read()
        mtime = int(os.stat(full).st_mtime)
        etag = '"%s"' % hashlib.sha256(body).hexdigest()
        headers = [("ETag", etag),
                   ("Last-Modified", email.utils.formatdate(mtime, usegmt=True))]
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm is not None:
            fresh = inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")]
        else:
            try:
                fresh = ims is not None and mtime <= \
                    email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                fresh = False
        self.reply(304 if fresh else 200, body, headers=headers)

    def taxii_error(self, status, title):
        body = json.dumps({"title": title, "http_status": str(status)}).encode()
        self.reply(status, body, TAXII_TYPE)

    def taxii_objects(self, cid, arg):
        if STATE.auth and self.headers.get("Authorization") not in STATE.auth:
            return self.reply(401, b'{"title": "authentication required"}',
                              TAXII_TYPE,
                              headers=[("WWW-Authenticate", 'Basic realm="taxii"')])
        accept = self.headers.get("Accept", "*/*")
        if "application/taxii+json" not in accept and "*/*" not in accept:
            return self.taxii_error(406, "not acceptable")
        path = os.path.join(STATE.dir, "taxii", cid + ".json")
        if not os.path.isfile(path):
            return self.taxii_error(404, "no such collection")
        with open(path, "rb") as f:
            raw = f.read()
        try:
            doc = json.loads(raw)
        except ValueError:
            doc = None
        if not isinstance(doc, dict) or doc.get("type") != "bundle":
            return self.reply(200, raw, TAXII_TYPE)  # broken on purpose
        objects = doc.get("objects", [])
        try:
            objects.sort(key=lambda o: time_key(date_added(o)))
            if "added_after" in arg:
                after = time_key(arg["added_after"])
                objects = [o for o in objects if time_key(date_added(o)) > after]
            limit = int(arg.get("limit", "100"))
            nxt = arg.get("next", "n+0")
            start = int(nxt[2:]) if nxt.startswith("n+") else -1
            if not 1 <= limit <= 1000 or start < 0:
                raise ValueError("limit or next")
        except ValueError as e:
            return self.taxii_error(400, "bad parameter: %s" % e)
        page = objects[start:start + limit]
        env = {"more": start + limit < len(objects)}
        if env["more"]:
            env["next"] = "n+%d" % (start + limit)
        headers = []
        if page:
            env["objects"] = page
            headers = [("X-TAXII-Date-Added-First", date_added(page[0])),
                       ("X-TAXII-Date-Added-Last", date_added(page[-1]))]
        self.reply(200, json.dumps(env).encode(), TAXII_TYPE, headers)


def main():
    global STATE
    p = argparse.ArgumentParser(description="loopback feed server for tests")
    p.add_argument("--dir", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--taxii-user", help="U:P required as Basic auth")
    p.add_argument("--taxii-token", help="token accepted as Bearer auth")
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--exit-on-stdin-eof", action="store_true")
    args = p.parse_args()
    STATE = State(args)
    server = ThreadingHTTPServer((args.bind, args.port), Handler)
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    if args.exit_on_stdin_eof:
        def watch():
            sys.stdin.buffer.read()
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


STATE = None
if __name__ == "__main__":
    main()
