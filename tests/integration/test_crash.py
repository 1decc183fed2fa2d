# SPDX-License-Identifier: Apache-2.0
#
# Crash safety, on both backends: 8 threads POST distinct organisations as
# fast as they can, the server is killed with SIGKILL in the middle, and
# then `cirtkit check` and `cirtkit audit verify` must pass, every org whose
# POST was answered 201 must be in `cirtkit org list`, every org in the
# store must have its audit entry, and a new server must start on the
# store and work.
import json
import threading
import time

from harness import CirtTestCase, Server, uniq

THREADS = 8


class CrashTests(CirtTestCase):
    SERVER = False

    def burst(self, srv, token, prefix, stop_after_acks=40, max_seconds=10):
        """Run the writers; kill -9 the server once enough POSTs were
        acknowledged. Returns (acknowledged names, attempted names)."""
        acked, tried = [], []
        lock = threading.Lock()
        stop = threading.Event()

        def writer(n):
            c = srv.client(token=token, timeout=10)
            i = 0
            while not stop.is_set():
                name = "%s t%d #%d" % (prefix, n, i)
                i += 1
                with lock:
                    tried.append(name)
                try:
                    r = c.post("/api/v1/orgs", {"name": name, "kind": "constituent"})
                except Exception:
                    continue  # the server is gone
                if r.status == 201:
                    with lock:
                        acked.append(name)

        threads = [threading.Thread(target=writer, args=(n,), daemon=True)
                   for n in range(THREADS)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + max_seconds
        while time.monotonic() < deadline:
            with lock:
                if len(acked) >= stop_after_acks:
                    break
            time.sleep(0.005)
        srv.kill9()  # in the middle of the burst
        stop.set()
        for t in threads:
            t.join(30)
        with lock:
            return list(acked), list(tried)

    def test_kill9_during_concurrent_writes(self):
        srv = Server(self.store, env={"CIRTKIT_THREADS": "4"})
        srv.start()
        try:
            rc, out, err = self.store.cli("token", "create", "admin")
            self.assertEqual(rc, 0, err)
            prefix = uniq("Crash")
            acked, tried = self.burst(srv, out.strip(), prefix)
        finally:
            srv.kill9()
        self.assertGreaterEqual(len(acked), 1, "no POST was acknowledged")

        rc, out, err = self.store.cli("check")
        self.assertEqual(rc, 0, "cirtkit check after kill -9:\n" + out + err)
        rc, out, err = self.store.cli("audit", "verify")
        self.assertEqual(rc, 0, "audit verify after kill -9:\n" + out + err)
        rc, out, err = self.store.cli("org", "list", "--format", "json")
        self.assertEqual(rc, 0, err)
        stored = {o["name"] for o in json.loads(out)}
        missing = [n for n in acked if n not in stored]
        self.assertEqual(missing, [], "acknowledged but lost: %r" % missing)
        ours = {n for n in stored if n.startswith(prefix + " ")}
        self.assertTrue(ours <= set(tried))
        # every stored org has its audit entry (one transaction)
        rc, out, err = self.store.cli("audit", "list", "--format", "json")
        audited = {e["object"][4:] for e in json.loads(out) if e["action"] == "org.add"}
        self.assertEqual(ours - audited, set())

        # the store is usable by a new server
        srv2 = Server(self.store)
        srv2.start()
        try:
            rc, out, err = self.store.cli("token", "create", "admin")
            c = srv2.client(token=out.strip())
            r = c.post("/api/v1/orgs", {"name": uniq("After crash "), "kind": "partner"})
            self.assertEqual(r.status, 201, r)
            r = c.get("/api/v1/audit/verify")
            self.assertIs(r.json["intact"], True, r.json)
        finally:
            srv2.stop()
