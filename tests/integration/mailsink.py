# SPDX-License-Identifier: Apache-2.0
#
# Helpers of the feed and notification tests (no tests of their own):
#
#   MailSink    an SMTP server on loopback that delivers every message it
#               accepts into a Maildir: Debian's aiosmtpd run as a separate
#               process (python3 -m aiosmtpd ... -c aiosmtpd.handlers.Mailbox
#               DIR), started on a free port (or the one given) and waited
#               for until the port accepts connections;
#   FeedServer  tests/integration/feedserver.py (files with ETag and
#               Last-Modified, TAXII 2.1 collections, a request log) as a
#               separate process that ends when its stdin closes;
#   free_port() a loopback TCP port nothing listens on (for "SMTP down").
#
# Only the Python standard library; aiosmtpd is needed by MailSink alone
# (skip_reason() says when it is missing).
import email
import email.policy
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def port_open(port, timeout=0.2):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=timeout).close()
        return True
    except OSError:
        return False


def skip_reason():
    """Why MailSink cannot run here, or None."""
    p = subprocess.run([PYTHON, "-c", "import aiosmtpd.handlers"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if p.returncode != 0:
        return "aiosmtpd is not installed for %s (Debian python3-aiosmtpd)" % PYTHON
    return None


class MailSink:
    """aiosmtpd delivering into the Maildir `path` (made here)."""

    def __init__(self, path, port=None):
        self.path = path
        self.port = port
        self.proc = None
        self.log_path = path.rstrip("/") + ".log"

    def start(self, timeout=15):
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(self.path, sub), exist_ok=True)
        for attempt in range(3):
            port = self.port or free_port()
            log = open(self.log_path, "ab")
            try:
                self.proc = subprocess.Popen(
                    [PYTHON, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % port,
                     "-c", "aiosmtpd.handlers.Mailbox", self.path],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log)
            finally:
                log.close()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if port_open(port):
                    self.port = port
                    return self
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
            self.stop()
            if self.port:  # a port we were told to use: no second try
                break
        raise AssertionError("aiosmtpd did not start; its log:\n%s" % self.log())

    def url(self):
        return "smtp://127.0.0.1:%d" % self.port

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")[-4000:]
        except FileNotFoundError:
            return ""

    def messages(self):
        """Every message delivered so far, as email.message.EmailMessage,
        in the order of delivery."""
        found = []
        for sub in ("new", "cur"):
            d = os.path.join(self.path, sub)
            for name in os.listdir(d):
                path = os.path.join(d, name)
                with open(path, "rb") as f:
                    raw = f.read()
                found.append((os.stat(path).st_mtime_ns, name, raw))
        found.sort()
        return [email.message_from_bytes(raw, policy=email.policy.default)
                for _, _, raw in found]

    def stop(self):
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class FeedServer:
    """feedserver.py serving the directory `path` on a free port."""

    def __init__(self, path, *args):
        self.path = path
        self.args = list(args)
        self.proc = None
        self.port = None

    def start(self, timeout=15):
        os.makedirs(self.path, exist_ok=True)
        self.proc = subprocess.Popen(
            [PYTHON, os.path.join(HERE, "feedserver.py"), "--dir", self.path,
             "--port", "0", "--exit-on-stdin-eof"] + self.args,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL)
        line = self.proc.stdout.readline().decode().strip()
        if not line.isdigit():
            self.stop()
            raise AssertionError("feedserver.py did not print its port: %r" % line)
        self.port = int(line)
        deadline = time.monotonic() + timeout
        while not port_open(self.port):
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError("feedserver.py does not accept connections")
            time.sleep(0.05)
        return self

    def url(self, path):
        return "http://127.0.0.1:%d/%s" % (self.port, path.lstrip("/"))

    def log(self):
        """The requests so far (GET /_log)."""
        with urllib.request.urlopen(self.url("/_log"), timeout=10) as r:
            return json.loads(r.read().decode())

    def reset(self):
        req = urllib.request.Request(self.url("/_reset"), data=b"", method="POST")
        urllib.request.urlopen(req, timeout=10).read()

    def stop(self):
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        try:
            proc.stdin.close()  # --exit-on-stdin-eof
            proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        proc.stdout.close()
