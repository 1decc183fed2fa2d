# SPDX-License-Identifier: Apache-2.0
#
# The TAXII 2.1 server over real HTTP on loopback, rule by rule
# (../shared/docs/standards.md 2.8, TAXII-01 to TAXII-23, and the TLP
# rules of section 5): discovery and API roots, content negotiation (406,
# 415), body limits (413 at max_content_length + 1, never below), 401 with
# a Basic challenge, collections and every cell of the access matrix, POST
# statuses and duplicates, date_added order and the X-TAXII-Date-Added
# headers, limit and next paging (250 objects seven at a time, no
# duplicate, no loss; next bound to its filters and reader), added_after,
# match[id|type|version|spec_version] with STIX 2.0 objects, DELETE, `{}`
# for empty results, microsecond timestamps, trailing slashes, error
# resources with the TAXII Content-Type, TLP ceilings on the way in
# (collection) and out (reader), and TLS 1.2 without 0-RTT. Data comes in
# through `cirtkit collection add`, `cirtkit import` of bundles made here,
# and TAXII POST. The helpers at the top are shared with
# test_taxii_medallion.py and test_share_cli.py.
import datetime
import json
import os
import re
import shutil
import ssl
import subprocess
import urllib.parse
import uuid

from harness import PASSWORD, CirtTestCase, uniq

TAXII = "application/taxii+json;version=2.1"
TS_US = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")

# TLP 2.0 and TLP 1.0 marking-definition ids (standards.md 1.8).
TLP2 = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP1 = {
    "white": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
    "green": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "amber": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "red": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
}
# A deterministic SCO id (standards.md 1.4 test vector).
IPV4_ID = "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"


# ---- STIX objects and bundles ----

def new_id(type_):
    return "%s--%s" % (type_, uuid.uuid4())


def stamp(n=0, year=2020):
    """A STIX timestamp (millisecond precision), n seconds into year."""
    return "%d-01-%02dT%02d:%02d:%02d.000Z" % (
        year, 1 + n // 86400, n // 3600 % 24, n // 60 % 60, n % 60)


def indicator(oid=None, modified=None, created=None, markings=None,
              granular=None, n=0, **extra):
    """A valid STIX 2.1 indicator; markings: marking ids."""
    created = created or stamp(0)
    o = {"type": "indicator", "spec_version": "2.1",
         "id": oid or new_id("indicator"), "created": created,
         "modified": modified or created, "name": "indicator %d" % n,
         "description": "test indicator",
         "pattern": "[ipv4-addr:value = '198.51.%d.%d']" % (n // 256 % 256, n % 256),
         "pattern_type": "stix", "valid_from": "2020-01-01T00:00:00Z"}
    if markings:
        o["object_marking_refs"] = list(markings)
    if granular:
        o["granular_markings"] = [{"selectors": ["description"], "marking_ref": granular}]
    o.update(extra)
    return o


def malware(oid=None, modified=None, created=None, v20=False, **extra):
    """A malware family; v20: a STIX 2.0 object (no spec_version)."""
    created = created or stamp(0)
    o = {"type": "malware", "id": oid or new_id("malware"), "created": created,
         "modified": modified or created, "name": "Poison Ivy", "is_family": True,
         "malware_types": ["remote-access-trojan"]}
    if not v20:
        o["spec_version"] = "2.1"
    o.update(extra)
    return o


def identity(oid=None, modified=None, created=None):
    created = created or stamp(0)
    return {"type": "identity", "spec_version": "2.1", "id": oid or new_id("identity"),
            "created": created, "modified": modified or created,
            "name": "ACME CERT", "identity_class": "organization"}


def statement_marking(created=None):
    """A marking-definition: not versioned, its version is created."""
    return {"type": "marking-definition", "spec_version": "2.1",
            "id": new_id("marking-definition"), "created": created or stamp(7),
            "definition_type": "statement",
            "definition": {"statement": "Copyright ACME CERT"}}


def ipv4(value="198.51.100.3", oid=IPV4_ID):
    return {"type": "ipv4-addr", "spec_version": "2.1", "id": oid, "value": value}


def bundle(objects):
    return {"type": "bundle", "id": new_id("bundle"), "objects": list(objects)}


def write_json(store, doc, name=None):
    """Write doc as JSON in the store's temporary directory; its path."""
    path = store.path(name or "%s.json" % uniq("bundle"))
    with open(path, "w") as f:
        json.dump(doc, f)
    return path


def import_objects(test, store, collection, objects, expect_rc=0):
    """`cirtkit import` of a bundle of objects; (stdout, stderr)."""
    path = write_json(store, bundle(objects))
    rc, out, err = store.cli("import", "--collection", collection, path, timeout=120)
    test.assertEqual(rc, expect_rc, "import: %s%s" % (out, err))
    return out, err


def add_collection(store, title=None, root="default", alias=None, read=(),
                   write=(), tlp_max=None):
    """`cirtkit collection add`; the new collection's id."""
    args = ["collection", "add", "--root", root, "--title", title or uniq("Collection ")]
    if alias:
        args += ["--alias", alias]
    if read:
        args += ["--read", ",".join(read)]
    if write:
        args += ["--write", ",".join(write)]
    if tlp_max:
        args += ["--tlp-max", tlp_max]
    rc, out, err = store.cli(*args)
    if rc != 0:
        raise AssertionError("collection add failed (%d): %s%s" % (rc, out, err))
    return out.strip()


# ---- HTTP ----

def qs(query):
    """A query string from a dict or a list of pairs (kept in order, so a
    parameter may repeat); brackets, commas and colons stay readable."""
    pairs = query.items() if isinstance(query, dict) else query
    return "&".join("%s=%s" % (urllib.parse.quote(k, safe="[]"),
                               urllib.parse.quote(v, safe=",:"))
                    for k, v in pairs)


def tjson(r):
    try:
        return json.loads(r.raw) if r.raw else None
    except ValueError:
        return None


class Tx:
    """A TAXII client over a harness Client: sends Accept (and for bodies
    Content-Type) application/taxii+json;version=2.1 unless told
    otherwise, and parses every answer into r.tj."""

    def __init__(self, client, root="default"):
        self.c = client
        self.root = root

    def path(self, *parts):
        return "/taxii2/%s/" % self.root + "".join("%s/" % p for p in parts)

    def coll(self, cid, *parts):
        return self.path("collections", cid, *parts)

    def request(self, method, path, body=None, query=None, accept=TAXII,
                ctype=TAXII, headers=None):
        h = dict(headers or {})
        if accept is not None:
            h.setdefault("Accept", accept)
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        if query:
            path += "?" + qs(query)
        r = self.c.request(method, path, body, headers=h, content_type=ctype)
        r.tj = tjson(r)
        return r

    def get(self, path, query=None, **kw):
        return self.request("GET", path, None, query, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)

    def delete(self, path, query=None, **kw):
        return self.request("DELETE", path, None, query, **kw)


class TaxiiCase(CirtTestCase):
    """Helpers for TAXII tests (no tests of its own)."""

    @classmethod
    def org_user(cls, kind):
        """A new organisation of kind and a user of it with a token:
        (org name, Tx client)."""
        org = "CIRT"
        if kind != "team":
            org = uniq("TX %s " % kind)
            r = cls.admin.post("/api/v1/orgs", {"name": org, "kind": kind})
            assert r.status == 201, r
        role = {"team": "analyst", "constituent": "constituent", "partner": "partner"}[kind]
        name = uniq(role[:4])
        r = cls.admin.post("/api/v1/users", {"name": name, "org": org, "role": role,
                                             "password": PASSWORD})
        assert r.status == 201, r
        r = cls.admin.post("/api/v1/tokens", {"user": name, "label": "taxii"})
        assert r.status == 201, r
        tx = Tx(cls.server.client(token=r.json["token"]))
        tx.user, tx.org = name, org
        return org, tx

    def assertTaxii(self, r, status=200):
        """r is status with the TAXII Content-Type (TAXII-02); its body."""
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.headers.get("Content-Type"), TAXII, r)
        return r.tj

    def assertTaxiiError(self, r, status, *message):
        """r is a TAXII error resource (TAXII-02, TAXII-19) whose
        description contains each of message, case-insensitively."""
        body = self.assertTaxii(r, status)
        self.assertIsInstance(body, dict, r)
        self.assertIsInstance(body.get("title"), str, r)
        self.assertTrue(body["title"], r)
        self.assertEqual(body.get("http_status"), str(status), r)
        for m in message:
            self.assertIn(m.lower(), body.get("description", "").lower(), r)
        return body

    def post_ok(self, tx, cid, objects):
        """POST objects; the status, which must be complete without
        failures."""
        r = tx.post(tx.coll(cid, "objects"), {"objects": objects})
        st = self.assertTaxii(r, 202)
        self.assertEqual(st["status"], "complete", st)
        self.assertEqual(st["failure_count"], 0, st)
        return st

    def fetch_all(self, tx, path, query=None, key="objects"):
        """Follow next through every page; (items, pages)."""
        q = dict(query or {})
        items, pages = [], []
        for _ in range(10000):
            r = tx.get(path, q)
            body = self.assertTaxii(r)
            pages.append(r)
            items += body.get(key, [])
            if not body.get("more"):
                return items, pages
            self.assertIn("next", body, body)
            q["next"] = body["next"]
        self.fail("paging did not end")

    def manifest_of(self, tx, cid, query=None):
        return self.fetch_all(tx, tx.coll(cid, "manifest"), query)[0]

    def ids_versions(self, objects):
        return [(o["id"], o.get("modified", o.get("created"))) for o in objects]


# ---- transport, discovery, API roots, statuses ----

class TaxiiTransportTests(TaxiiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tx = Tx(cls.admin)
        cls.cid = add_collection(cls.store, alias=uniq("transport"))
        cls.obj = indicator(n=1)
        r = cls.tx.post(cls.tx.coll(cls.cid, "objects"), {"objects": [cls.obj]})
        assert r.status == 202, r
        cls.status_id = r.tj["id"]

    def endpoints(self):
        """(method, path) of every TAXII endpoint, on data that exists."""
        c, o = self.cid, self.obj["id"]
        t = self.tx
        return [("GET", "/taxii2/"), ("GET", t.path()),
                ("GET", t.path("status", self.status_id)),
                ("GET", t.path("collections")), ("GET", t.coll(c)),
                ("GET", t.coll(c, "manifest")), ("GET", t.coll(c, "objects")),
                ("POST", t.coll(c, "objects")), ("GET", t.coll(c, "objects", o)),
                ("DELETE", t.coll(c, "objects", o)),
                ("GET", t.coll(c, "objects", o, "versions"))]

    def test_taxii_01_discovery(self):
        body = self.assertTaxii(self.tx.get("/taxii2/"))
        self.assertIsInstance(body["title"], str)
        self.assertTrue(body["title"])
        roots = body["api_roots"]
        self.assertIsInstance(roots, list)
        self.assertIn("/taxii2/default/", roots)
        self.assertIn(body["default"], roots)
        for url in roots:
            with self.subTest(url=url):
                self.assertTrue(url.startswith("/") and not url.startswith("//"), url)
                self.assertNotIn("../", url)
                self.assertNotIn("?", url)
                self.assertTrue(url.endswith("/"), url)
                root = self.assertTaxii(self.tx.get(url))
                self.assertIn("title", root)
        # A root added later is listed too.
        add_collection(self.store, root="tx-extra")
        body = self.assertTaxii(self.tx.get("/taxii2/"))
        self.assertIn("/taxii2/tx-extra/", body["api_roots"])

    def test_taxii_02_content_type_on_every_answer(self):
        t, c = self.tx, self.cid
        other = new_id("indicator")
        self.post_ok(t, c, [indicator(oid=other)])
        cases = [
            (t.get("/taxii2/"), 200),
            (t.get(t.coll(c, "objects"), {"limit": "1"}), 200),
            (t.post(t.coll(c, "objects"), {"objects": [indicator()]}), 202),
            (t.delete(t.coll(c, "objects", other)), 200),
            (t.get(t.coll(c, "objects"), {"limit": "0"}), 400),
            (Tx(self.anon).get(t.path("collections")), 401),
            (t.get(t.coll(str(uuid.uuid4()))), 404),
            (t.request("PUT", t.coll(c, "objects"), b"{}"), 405),
            (t.get(t.path("collections"), accept="application/json"), 406),
            (t.post(t.coll(c, "objects"), {"objects": []}, ctype="application/json"), 415),
            (t.post(t.coll(c, "objects"), {"more": False}), 422),
            (t.get("/taxii2/no-such-root/"), 404),
            (t.get("/taxii2"), 404),
        ]
        for r, status in cases:
            with self.subTest(status=status):
                self.assertTaxii(r, status)
        # DELETE answers 200 without a body, still with the TAXII type.
        r = cases[3][0]
        self.assertEqual(r.raw, b"")

    def test_taxii_03_accept(self):
        path = self.tx.path("collections")
        for accept in (TAXII, "application/taxii+json", "application/taxii+json; version=2.1",
                       "application/json, application/taxii+json;version=2.1",
                       "text/html;q=0.9, application/taxii+json;version=2.1;q=0.8",
                       "Application/TAXII+JSON;version=2.1"):
            with self.subTest(accept=accept):
                self.assertTaxii(self.tx.get(path, accept=accept), 200)
        for accept in (None, "application/json", "*/*", "application/stix+json;version=2.1",
                       "application/taxii+json;version=2.0",
                       "application/taxii+json;version=3.0", "application/taxii+jsonx", ""):
            with self.subTest(accept=accept):
                r = self.tx.get(path, accept=accept, headers={"Accept": accept})
                self.assertTaxiiError(r, 406, "accept")
        # POST too: a defined Content-Type with a bad Accept is 406.
        r = self.tx.post(self.tx.coll(self.cid, "objects"), {"objects": [indicator()]},
                         accept="application/json")
        self.assertTaxiiError(r, 406)

    def test_taxii_04_content_type_of_post(self):
        path = self.tx.coll(self.cid, "objects")
        before = self.manifest_of(self.tx, self.cid)
        for ctype in (None, "application/json", "application/stix+json;version=2.1",
                      "application/taxii+json;version=2.0", "text/plain", "multipart/form-data"):
            with self.subTest(ctype=ctype):
                r = self.tx.post(path, {"objects": [indicator()]}, ctype=ctype)
                self.assertTaxiiError(r, 415, "content-type")
        self.assertEqual(self.manifest_of(self.tx, self.cid), before)
        for ctype in (TAXII, "application/taxii+json"):
            with self.subTest(ctype=ctype):
                self.assertTaxii(self.tx.post(path, {"objects": [indicator()]}, ctype=ctype), 202)

    def test_taxii_05_unauthenticated_is_401_with_basic_challenge(self):
        clients = {"none": self.anon, "bad token": self.server.client(token="x" * 40),
                   "bad password": self.server.client(basic=("admin", "wrong password")),
                   "unknown user": self.server.client(basic=("nobody", PASSWORD))}
        for label, client in clients.items():
            for method, path in self.endpoints():
                with self.subTest(who=label, method=method, path=path):
                    body = {"objects": [indicator()]} if method == "POST" else None
                    r = Tx(client).request(method, path, body)
                    self.assertTaxiiError(r, 401)
                    www = r.headers.get("WWW-Authenticate", "")
                    self.assertRegex(www, r'(^|[ ,])Basic realm="[^"]+"', www)
        # The object is still there: the DELETEs were refused.
        self.assertTaxii(self.tx.get(self.tx.coll(self.cid, "objects", self.obj["id"])))

    def test_taxii_05_basic_with_password_or_token(self):
        name, _ = self.user_client("analyst")
        token = self.make_token(name)
        for cred in ((name, PASSWORD), (name, str(token))):
            with self.subTest(cred=cred[1][:4]):
                tx = Tx(self.server.client(basic=cred))
                body = self.assertTaxii(tx.get(tx.path("collections")))
                self.assertIn(self.cid, [c["id"] for c in body["collections"]])
                self.assertTaxii(tx.post(tx.coll(self.cid, "objects"),
                                         {"objects": [indicator()]}), 202)

    def test_taxii_06_api_root(self):
        body = self.assertTaxii(self.tx.get(self.tx.path()))
        self.assertIsInstance(body["title"], str)
        self.assertIn(TAXII, body["versions"])
        for v in body["versions"]:
            self.assertIn(";version=", v)
        self.assertIsInstance(body["max_content_length"], int)
        self.assertGreater(body["max_content_length"], 0)
        self.assertEqual(body["max_content_length"], 1 << 20)  # max_body 1m
        self.assertTaxiiError(self.tx.get("/taxii2/%s/" % uniq("noroot")), 404)

    def test_taxii_07_collections(self):
        # A root without collections, and a user who may see none: {}.
        add_collection(self.store, root="tx-empty-probe")
        _, partner = self.org_user("partner")
        r = partner.get(partner.path("collections"))
        self.assertEqual(self.assertTaxii(r), {})
        for root in ("tx-empty-probe", "default"):
            self.assertEqual(self.assertTaxii(Tx(partner.c, root).get(
                Tx(partner.c, root).path("collections"))), {})
        # Each collection: id (UUID), title, can_read, can_write, media
        # types; a stable order, the order of creation.
        made = [add_collection(self.store, root="tx-order", title="T%d" % i) for i in range(4)]
        tx = Tx(self.admin, "tx-order")
        first = self.assertTaxii(tx.get(tx.path("collections")))
        self.assertEqual([c["id"] for c in first["collections"]], made)
        for c in first["collections"]:
            self.assertEqual(str(uuid.UUID(c["id"])), c["id"])
            self.assertEqual(uuid.UUID(c["id"]).version, 4)
            self.assertIsInstance(c["title"], str)
            self.assertIs(c["can_read"], True)
            self.assertIs(c["can_write"], True)
            self.assertIn("application/stix+json;version=2.1", c["media_types"])
            self.assertEqual(self.assertTaxii(tx.get(tx.coll(c["id"]))), c)
        for _ in range(3):
            again = self.assertTaxii(tx.get(tx.path("collections")))
            self.assertEqual(again, first)
        # By alias too: the same resource.
        alias = uniq("alias")
        cid = add_collection(self.store, alias=alias)
        self.assertEqual(self.assertTaxii(self.tx.get(self.tx.coll(alias))),
                         self.assertTaxii(self.tx.get(self.tx.coll(cid))))

    def test_taxii_09_status(self):
        good, dup = indicator(n=9), indicator(n=10)
        self.post_ok(self.tx, self.cid, [dup])
        bad = indicator(n=11, confidence=101)
        red = indicator(n=12, markings=[TLP2["red"]])
        r = self.tx.post(self.tx.coll(self.cid, "objects"), {"objects": [good, bad, dup, red]})
        st = self.assertTaxii(r, 202)
        self.assertEqual(uuid.UUID(st["id"]).version, 4)
        self.assertEqual(st["status"], "complete")
        self.assertRegex(st["request_timestamp"], TS_US)
        self.assertEqual(st["total_count"], 4)
        self.assertEqual(st["success_count"], 2)
        self.assertEqual(st["failure_count"], 2)
        self.assertEqual(st["pending_count"], 0)
        self.assertEqual(st["success_count"] + st["failure_count"] + st["pending_count"],
                         st["total_count"])
        self.assertEqual(len(st["successes"]), st["success_count"])
        self.assertEqual(len(st["failures"]), st["failure_count"])
        self.assertNotIn("pendings", st)  # empty lists are left out
        self.assertEqual([(s["id"], s["version"]) for s in st["successes"]],
                         [(good["id"], good["modified"]), (dup["id"], dup["modified"])])
        self.assertEqual([(f["id"], f["version"]) for f in st["failures"]],
                         [(bad["id"], bad["modified"]), (red["id"], red["modified"])])
        self.assertIn("STIX-07", st["failures"][0]["message"])
        self.assertIn("confidence", st["failures"][0]["message"])
        self.assertIn("TLP:RED", st["failures"][1]["message"])
        # GET status/{id}/ gives the same resource, later and again.
        for _ in range(2):
            again = self.assertTaxii(self.tx.get(self.tx.path("status", st["id"])))
            self.assertEqual(again, st)
        # Unknown, malformed or another root's: 404.
        self.assertTaxiiError(self.tx.get(self.tx.path("status", str(uuid.uuid4()))), 404)
        self.assertTaxiiError(self.tx.get(self.tx.path("status", "22101993")), 404)
        add_collection(self.store, root="tx-status-other")
        other = Tx(self.admin, "tx-status-other")
        self.assertTaxiiError(other.get(other.path("status", st["id"])), 404)

    def test_taxii_09_post_is_one_transaction(self):
        # The second element is not an object: nothing of it is kept.
        first = indicator(n=20)
        before = self.manifest_of(self.tx, self.cid)
        r = self.tx.post(self.tx.coll(self.cid, "objects"),
                         b'{"objects": [%s, 1]}' % json.dumps(first).encode())
        self.assertTaxiiError(r, 400, "object 1")
        self.assertTaxiiError(self.tx.get(self.tx.coll(self.cid, "objects", first["id"])), 404)
        self.assertEqual(self.manifest_of(self.tx, self.cid), before)

    def test_taxii_10_duplicate_post_is_not_a_failure(self):
        o = indicator(n=30)
        first = self.post_ok(self.tx, self.cid, [o])
        self.assertNotIn("message", first["successes"][0])
        for body in ({"objects": [o]}, {"objects": [o, o]}):
            r = self.tx.post(self.tx.coll(self.cid, "objects"), body)
            st = self.assertTaxii(r, 202)
            self.assertNotIn("failures", st)
            self.assertEqual(st["failure_count"], 0)
            self.assertEqual(st["success_count"], len(body["objects"]))
            for s in st["successes"]:
                self.assertEqual((s["id"], s["version"]), (o["id"], o["modified"]))
                self.assertTrue(s.get("message"), s)  # "already there"
        versions = self.assertTaxii(self.tx.get(
            self.tx.coll(self.cid, "objects", o["id"], "versions")))
        self.assertEqual(versions["versions"], [o["modified"]])

    def test_taxii_19_error_resources(self):
        t, c = self.tx, self.cid
        cases = [
            (t.get(t.coll(c, "objects"), {"limit": "abc"}), 400, "limit"),
            (t.get(t.coll(c, "objects"), [("match[type]", "indicator"),
                                          ("match[type]", "malware")]), 400, "match[type]"),
            (Tx(self.anon).get(t.path()), 401, "authentication"),
            (t.get(t.coll(str(uuid.uuid4()), "objects")), 404, "collection"),
            (t.get(t.coll(c, "objects", new_id("indicator"))), 404, "object"),
            (t.get(t.path(), accept="text/html"), 406, "accept"),
            (t.post(t.coll(c, "objects"), {"objects": []}, ctype="application/json"), 415,
             "content-type"),
            (t.post(t.coll(c, "objects"), indicator()), 422, "objects"),
            (t.post(t.coll(c, "objects"), b"this is not JSON"), 400, "json"),
            (t.post(t.coll(c, "objects"), b"[]"), 400, "json"),
            (t.post(t.coll(c, "objects"), b'{"objects": "x"}'), 400, "objects"),
        ]
        for r, status, words in cases:
            with self.subTest(status=status, words=words):
                self.assertTaxiiError(r, status, words)

    def test_taxii_20_trailing_slash(self):
        t, c, o = self.tx, self.cid, self.obj["id"]
        for path in ("/taxii2", "/taxii2/default", "/taxii2/default/collections",
                     "/taxii2/default/status/" + self.status_id,
                     t.coll(c)[:-1], t.coll(c, "manifest")[:-1], t.coll(c, "objects")[:-1],
                     t.coll(c, "objects", o)[:-1], t.coll(c, "objects", o, "versions")[:-1]):
            with self.subTest(path=path):
                r = t.get(path)
                if 300 <= r.status < 400:
                    self.assertEqual(r.headers.get("Location"), path + "/")
                else:
                    self.assertTaxiiError(r, 404)
        r = t.post(t.coll(c, "objects")[:-1], {"objects": [indicator()]})
        self.assertIn(r.status, (404, 405, 307, 308), r)
        self.assertNotEqual(r.status, 202)

    def test_taxii_22_timestamps_have_microseconds(self):
        t, c = self.tx, self.cid
        st = self.post_ok(t, c, [indicator(n=40), ipv4()])
        self.assertRegex(st["request_timestamp"], TS_US)
        r = t.get(t.coll(c, "manifest"), {"match[version]": "all"})
        body = self.assertTaxii(r)
        for rec in body["objects"]:
            self.assertRegex(rec["date_added"], TS_US)
            self.assertTrue(rec["version"])
        for h in ("X-TAXII-Date-Added-First", "X-TAXII-Date-Added-Last"):
            self.assertRegex(r.headers.get(h, ""), TS_US)
        # The SCO's version (no modified, no created) is a TAXII timestamp.
        recs = [x for x in body["objects"] if x["id"] == IPV4_ID]
        self.assertEqual(len(recs), 1)
        self.assertRegex(recs[0]["version"], TS_US)


class TaxiiBodyLimitTests(TaxiiCase):
    """TAXII-04 and TAXII-06 on a server with max_body 64k."""

    SERVER_ENV = {"CIRTKIT_MAX_BODY": "64k"}
    LIMIT = 64 * 1024

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tx = Tx(cls.admin)
        cls.cid = add_collection(cls.store)

    def envelope(self, size, n):
        """An envelope of exactly size bytes holding as many indicators as
        fit (at least one), padded with JSON white space; (bytes, objs)."""
        objs = [indicator(n=n)]
        while True:
            nxt = objs + [indicator(n=n + len(objs))]
            if len(json.dumps({"objects": nxt})) > size - 64:
                break
            objs = nxt
        raw = json.dumps({"objects": objs}).encode()
        self.assertLessEqual(len(raw), size)
        pad = size - len(raw)
        raw = raw[:-1] + b" \n\t\r" * (pad // 4) + b" " * (pad % 4) + b"}"
        self.assertEqual(len(raw), size)
        return raw, objs

    def test_taxii_06_max_content_length_is_the_limit(self):
        body = self.assertTaxii(self.tx.get(self.tx.path()))
        self.assertEqual(body["max_content_length"], self.LIMIT)

    def test_taxii_04_body_at_max_content_length_is_taken(self):
        raw, objs = self.envelope(self.LIMIT, 100)
        r = self.tx.post(self.tx.coll(self.cid, "objects"), raw)
        st = self.assertTaxii(r, 202)
        self.assertEqual(st["success_count"], len(objs), st)
        self.assertGreater(len(objs), 50)
        # Chunked, the same size, is taken too (duplicates now).
        r = self.tx.post(self.tx.coll(self.cid, "objects"),
                         iter([raw[i:i + 5000] for i in range(0, len(raw), 5000)]))
        st = self.assertTaxii(r, 202)
        self.assertNotIn("failures", st)
        # And smaller bodies never get 413.
        for size in (self.LIMIT - 1, self.LIMIT // 2, 1000):
            raw, _ = self.envelope(size, 1000 + size)
            self.assertTaxii(self.tx.post(self.tx.coll(self.cid, "objects"), raw), 202)

    def test_taxii_04_one_byte_over_is_413(self):
        before = self.manifest_of(self.tx, self.cid)
        audit = len(self.admin.list_all("/api/v1/audit"))
        raw, _ = self.envelope(self.LIMIT + 1, 5000)
        r = self.tx.post(self.tx.coll(self.cid, "objects"), raw)
        self.assertTaxiiError(r, 413, str(self.LIMIT))
        r = self.tx.post(self.tx.coll(self.cid, "objects"),
                         iter([raw[i:i + 7000] for i in range(0, len(raw), 7000)]))
        self.assertTaxiiError(r, 413)
        self.assertEqual(self.manifest_of(self.tx, self.cid), before)
        self.assertEqual(len(self.admin.list_all("/api/v1/audit")), audit)
        # The server still answers.
        self.assertTaxii(self.tx.get(self.tx.path()))


# ---- access ----

class TaxiiAccessTests(TaxiiCase):
    """TAXII-08: every cell of the access matrix, for a partner and a
    constituent organisation, and the team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = Tx(cls.admin)
        _, cls.analyst = cls.org_user("team")
        cls.P, cls.partner = cls.org_user("partner")
        cls.C, cls.constituent = cls.org_user("constituent")
        both = (cls.P, cls.C)
        cls.colls = {
            "none": add_collection(cls.store, title="none"),
            "read": add_collection(cls.store, title="read", read=both),
            "write": add_collection(cls.store, title="write", write=both),
            "rw": add_collection(cls.store, title="rw", read=both, write=both),
        }
        cls.seed = {}
        for key, cid in cls.colls.items():
            cls.seed[key] = [indicator(n=i) for i in range(6)]
            rc, out, err = cls.store.cli("import", "--collection", cid,
                                         write_json(cls.store, bundle(cls.seed[key])))
            assert rc == 0, out + err

    def check_reads(self, tx, cid, oid, status):
        paths = [tx.coll(cid, "manifest"), tx.coll(cid, "objects"),
                 tx.coll(cid, "objects", oid), tx.coll(cid, "objects", oid, "versions")]
        for p in paths:
            with self.subTest(path=p):
                r = tx.get(p)
                if status == 200:
                    body = self.assertTaxii(r)
                    self.assertTrue(body.get("objects") or body.get("versions"), body)
                else:
                    self.assertTaxiiError(r, status)

    def test_taxii_08_access_matrix(self):
        # key: (collection GET, reads, POST, DELETE, listed, can_read, can_write)
        expect = {
            "none": (404, 404, 404, 404, False, None, None),
            "read": (200, 200, 403, 403, True, True, False),
            "write": (200, 403, 202, 403, True, False, True),
            "rw": (200, 200, 202, 200, True, True, True),
        }
        for who, tx in (("partner", self.partner), ("constituent", self.constituent)):
            listed = {c["id"]: c for c in self.assertTaxii(
                tx.get(tx.path("collections"))).get("collections", [])}
            for key, (cget, reads, post, delete, shown, cr, cw) in expect.items():
                with self.subTest(who=who, grant=key):
                    cid = self.colls[key]
                    objs = self.seed[key]
                    victim = objs.pop()
                    r = tx.get(tx.coll(cid))
                    if cget == 200:
                        c = self.assertTaxii(r)
                        self.assertEqual((c["can_read"], c["can_write"]), (cr, cw))
                        self.assertEqual(listed[cid], c)
                    else:
                        self.assertTaxiiError(r, cget, "collection")
                        self.assertNotIn(cid, listed)
                    self.assertEqual(cid in listed, shown)
                    self.check_reads(tx, cid, objs[0]["id"], reads)
                    new = indicator(n=77)
                    r = tx.post(tx.coll(cid, "objects"), {"objects": [new]})
                    if post == 202:
                        st = self.assertTaxii(r, 202)
                        self.assertEqual(st["success_count"], 1, st)
                        self.assertTaxii(self.team.get(self.team.coll(cid, "objects", new["id"])))
                    else:
                        self.assertTaxiiError(r, post)
                        self.assertTaxiiError(
                            self.team.get(self.team.coll(cid, "objects", new["id"])), 404)
                    r = tx.delete(tx.coll(cid, "objects", victim["id"]))
                    if delete == 200:
                        self.assertTaxii(r, 200)
                        self.assertTaxiiError(
                            self.team.get(self.team.coll(cid, "objects", victim["id"])), 404)
                    else:
                        self.assertTaxiiError(r, delete)
                        self.assertTaxii(self.team.get(
                            self.team.coll(cid, "objects", victim["id"])))

    def test_taxii_08_team_reads_and_writes_everything(self):
        for who, tx in (("admin", self.team), ("analyst", self.analyst)):
            listed = self.assertTaxii(tx.get(tx.path("collections")))["collections"]
            mine = {c["id"]: c for c in listed}
            for key, cid in self.colls.items():
                with self.subTest(who=who, grant=key):
                    self.assertEqual((mine[cid]["can_read"], mine[cid]["can_write"]),
                                     (True, True))
                    self.check_reads(tx, cid, self.seed[key][0]["id"], 200)
                    new = indicator(n=88)
                    self.assertTaxii(tx.post(tx.coll(cid, "objects"), {"objects": [new]}), 202)
                    self.assertTaxii(tx.delete(tx.coll(cid, "objects", new["id"])), 200)

    def test_taxii_08_other_organisation_sees_nothing(self):
        _, stranger = self.org_user("partner")
        self.assertEqual(self.assertTaxii(stranger.get(stranger.path("collections"))), {})
        for cid in self.colls.values():
            for path in (stranger.coll(cid), stranger.coll(cid, "objects"),
                         stranger.coll(cid, "manifest")):
                self.assertTaxiiError(stranger.get(path), 404)
            self.assertTaxiiError(stranger.post(stranger.coll(cid, "objects"),
                                                {"objects": [indicator()]}), 404)

    def test_taxii_08_refusals_are_not_audited(self):
        before = len(self.admin.list_all("/api/v1/audit"))
        self.partner.post(self.partner.coll(self.colls["read"], "objects"),
                          {"objects": [indicator()]})
        self.partner.delete(self.partner.coll(self.colls["read"], "objects",
                                              self.seed["read"][0]["id"]))
        self.partner.post(self.partner.coll(self.colls["none"], "objects"),
                          {"objects": [indicator()]})
        self.assertEqual(len(self.admin.list_all("/api/v1/audit")), before)


# ---- filters, order, headers, DELETE, empty results ----

class TaxiiFilterTests(TaxiiCase):
    """A collection filled by four POSTs (four date_added instants):
      1: indicator A v1, malware M (2.1)
      2: indicator A v2, identity I
      3: indicator A v3, malware M as a STIX 2.0 object (later modified)
      4: a statement marking-definition D (unversioned), an ipv4-addr SCO S
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tx = t = Tx(cls.admin)
        cls.cid = add_collection(cls.store, tlp_max="amber")
        a = new_id("indicator")
        m = new_id("malware")
        cls.A = [indicator(oid=a, created=stamp(0), modified=stamp(i * 60), n=i)
                 for i in range(3)]
        cls.M21 = malware(oid=m, created=stamp(5), modified=stamp(5))
        cls.M20 = malware(oid=m, created=stamp(5), modified=stamp(3600), v20=True)
        cls.I = identity()
        cls.D = statement_marking()
        cls.S = ipv4()
        batches = [[cls.A[0], cls.M21], [cls.A[1], cls.I], [cls.A[2], cls.M20], [cls.D, cls.S]]
        cls.added = []
        for b in batches:
            r = t.post(t.coll(cls.cid, "objects"), {"objects": b})
            assert r.status == 202 and r.tj["success_count"] == 2, r
            cls.added.append(r.tj["request_timestamp"])

    def get(self, query=None, part="objects", *more):
        return self.assertTaxii(self.tx.get(self.tx.coll(self.cid, part, *more), query))

    def pairs(self, body, key="objects"):
        return sorted(self.ids_versions(body.get(key, [])))

    def test_taxii_11_order_and_date_headers(self):
        for part in ("manifest", "objects"):
            for query in ({}, {"match[version]": "all"}, {"match[type]": "indicator"},
                          {"match[spec_version]": "2.0,2.1", "match[version]": "all"}):
                with self.subTest(part=part, query=query):
                    r = self.tx.get(self.tx.coll(self.cid, part), query)
                    body = self.assertTaxii(r)
                    man = self.get(query, "manifest")["objects"]
                    dates = [x["date_added"] for x in man]
                    self.assertEqual(dates, sorted(dates))
                    self.assertEqual(r.headers["X-TAXII-Date-Added-First"], dates[0])
                    self.assertEqual(r.headers["X-TAXII-Date-Added-Last"], dates[-1])
                    if part == "objects":
                        # The SCO has no STIX version: its record's is the
                        # server's.
                        self.assertEqual(
                            [(o["id"], o.get("modified", o.get("created")))
                             for o in body["objects"]],
                            [(x["id"], x["version"] if x["id"] != self.S["id"] else None)
                             for x in man])
        # The object and versions endpoints carry them too.
        r = self.tx.get(self.tx.coll(self.cid, "objects", self.A[0]["id"]),
                        {"match[version]": "all"})
        self.assertEqual(self.ids_versions(self.assertTaxii(r)["objects"]),
                         self.ids_versions(self.A))
        self.assertEqual(r.headers["X-TAXII-Date-Added-First"], self.added[0])
        self.assertEqual(r.headers["X-TAXII-Date-Added-Last"], self.added[2])
        r = self.tx.get(self.tx.coll(self.cid, "objects", self.A[0]["id"], "versions"))
        self.assertEqual(self.assertTaxii(r)["versions"], [o["modified"] for o in self.A])
        self.assertEqual(r.headers["X-TAXII-Date-Added-First"], self.added[0])
        self.assertEqual(r.headers["X-TAXII-Date-Added-Last"], self.added[2])
        # Manifest records: id, date_added, version, media_type.
        for rec in self.get({"match[version]": "all", "match[spec_version]": "2.0,2.1"},
                            "manifest")["objects"]:
            self.assertEqual(set(rec), {"id", "date_added", "version", "media_type"})
            self.assertIn(rec["media_type"], ("application/stix+json;version=2.1",
                                              "application/stix+json;version=2.0"))
        # Empty pages have no date headers, no lists.
        r = self.tx.get(self.tx.coll(self.cid, "objects"), {"match[type]": "report"})
        self.assertEqual(self.assertTaxii(r), {})
        self.assertNotIn("X-TAXII-Date-Added-First", r.headers)

    def test_taxii_13_added_after_is_strict(self):
        every = {"match[version]": "all", "match[spec_version]": "2.0,2.1"}
        dates = [x["date_added"] for x in self.get(every, "manifest")["objects"]]
        # Every version has a date_added of its own (a microsecond apart
        # within one POST), so a client paging by added_after and the
        # Date-Added-Last header loses nothing; the first of a POST's is
        # its request time.
        self.assertEqual(len(dates), 8)
        self.assertEqual(dates, sorted(set(dates)))
        self.assertEqual(dates[::2], self.added)
        for i, t in enumerate(dates):
            with self.subTest(after=i):
                man = self.get(dict(every, added_after=t), "manifest").get("objects", [])
                self.assertEqual([x["date_added"] for x in man], dates[i + 1:])
                # One microsecond earlier takes that version in.
                earlier = (datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ")
                           - datetime.timedelta(microseconds=1)).strftime(
                               "%Y-%m-%dT%H:%M:%S.%fZ")
                man = self.get(dict(every, added_after=earlier), "manifest")["objects"]
                self.assertEqual([x["date_added"] for x in man], dates[i:])
        # Whole seconds and millisecond forms are read as instants too.
        body = self.get({"added_after": "2000-01-01T00:00:00Z"})
        self.assertEqual(len(body["objects"]), 5)
        self.assertEqual(self.get({"added_after": "2999-01-01T00:00:00.000Z"}), {})
        # It compares date_added, never the STIX dates.
        self.assertEqual(len(self.get({"added_after": "2021-01-01T00:00:00Z"})["objects"]), 5)
        # One value, once.
        for bad in ([("added_after", self.added[0]), ("added_after", self.added[1])],
                    {"added_after": "yesterday"}, {"added_after": "2020-01-01"},
                    {"added_after": "2020-01-01T00:00:00+01:00"},
                    {"added_after": "%s,%s" % (self.added[0], self.added[1])}):
            with self.subTest(bad=bad):
                self.assertTaxiiError(self.tx.get(self.tx.coll(self.cid, "objects"), bad),
                                      400, "added_after")

    def test_taxii_14_match_id_and_type(self):
        a, m, i = self.A[0]["id"], self.M21["id"], self.I["id"]
        self.assertEqual([o["id"] for o in self.get({"match[type]": "indicator"})["objects"]], [a])
        got = self.get({"match[type]": "indicator,malware,identity"})["objects"]
        self.assertEqual(sorted(o["id"] for o in got), sorted([a, m, i]))
        got = self.get({"match[id]": "%s,%s" % (a, i)})["objects"]
        self.assertEqual(sorted(o["id"] for o in got), sorted([a, i]))
        # AND across fields.
        self.assertEqual(self.get({"match[id]": a, "match[type]": "malware"}), {})
        got = self.get({"match[id]": "%s,%s" % (a, m), "match[type]": "malware"})["objects"]
        self.assertEqual([o["id"] for o in got], [m])
        # A STIX 2.1 type that is not there is no error; neither is an
        # unknown id.
        for q in ({"match[type]": "report"}, {"match[type]": "x-acme-thing"},
                  {"match[id]": new_id("indicator")}):
            with self.subTest(q=q):
                self.assertEqual(self.get(q), {})
                self.assertEqual(self.get(q, "manifest"), {})
        # The manifest filters the same way, by the underlying object.
        man = self.get({"match[type]": "indicator"}, "manifest")["objects"]
        self.assertEqual([(x["id"], x["version"]) for x in man], [(a, self.A[2]["modified"])])
        # Unknown match fields are ignored.
        self.assertEqual(self.get({"match[colour]": "blue", "match[type]": "identity"}),
                         self.get({"match[type]": "identity"}))
        # A repeated field, or a malformed value, is 400.
        for bad in ([("match[type]", "indicator"), ("match[type]", "malware")],
                    [("match[id]", a), ("match[id]", m)],
                    {"match[id]": "not-an-id"}, {"match[type]": "Indicator"},
                    {"match[type]": "indicator,"}, {"match[type]": "indicator, malware"}):
            with self.subTest(bad=bad):
                r = self.tx.get(self.tx.coll(self.cid, "objects"), bad)
                self.assertTaxiiError(r, 400, "match[")

    def test_taxii_15_match_version(self):
        a = self.A[0]["id"]

        def versions_of(query):
            got = self.get(dict(query, **{"match[id]": a}))["objects"]
            return [o["modified"] for o in got]

        last = [self.A[2]["modified"]]
        self.assertEqual(versions_of({}), last)  # the default
        self.assertEqual(versions_of({"match[version]": "last"}), last)
        self.assertEqual(versions_of({"match[version]": "first"}), [self.A[0]["modified"]])
        self.assertEqual(versions_of({"match[version]": "all"}), [o["modified"] for o in self.A])
        self.assertEqual(versions_of({"match[version]": "first,last"}),
                         [self.A[0]["modified"], self.A[2]["modified"]])
        self.assertEqual(versions_of({"match[version]": self.A[1]["modified"]}),
                         [self.A[1]["modified"]])
        self.assertEqual(versions_of({"match[version]": "%s,%s" % (
            self.A[0]["modified"], self.A[2]["modified"])}),
            [self.A[0]["modified"], self.A[2]["modified"]])
        # An exact version is an instant: other spellings match it.
        plain = self.A[1]["modified"].replace(".000Z", "Z")
        self.assertEqual(versions_of({"match[version]": plain}), [self.A[1]["modified"]])
        micro = self.A[1]["modified"].replace(".000Z", ".000000Z")
        self.assertEqual(versions_of({"match[version]": micro}), [self.A[1]["modified"]])
        self.assertEqual(self.get({"match[version]": "2001-01-01T00:00:00.000Z"}), {})
        # Unversioned objects (marking-definitions) use created.
        got = self.get({"match[version]": self.D["created"]})["objects"]
        self.assertEqual([o["id"] for o in got], [self.D["id"]])
        for v in ("first", "last", "all"):
            got = self.get({"match[version]": v, "match[id]": self.D["id"]})["objects"]
            self.assertEqual(len(got), 1)
        # On the manifest too.
        man = self.get({"match[version]": "all", "match[id]": a}, "manifest")["objects"]
        self.assertEqual([x["version"] for x in man], [o["modified"] for o in self.A])
        # all is alone; no value twice; nothing else.
        for bad in ("all,first", "last,all", "first,first", "all,all", "newest",
                    "2020-13-01T00:00:00Z", "first,", "all,%s" % self.A[0]["modified"]):
            with self.subTest(bad=bad):
                r = self.tx.get(self.tx.coll(self.cid, "objects"), {"match[version]": bad})
                self.assertTaxiiError(r, 400, "match[version]")

    def test_taxii_15_sco_version_from_the_manifest_selects_it(self):
        # An SCO has neither modified nor created: its version is the
        # server's (its date_added, docs/taxii.md); asking for that exact
        # version must find it like any other version the manifest names.
        rec = [x for x in self.get({}, "manifest")["objects"] if x["id"] == self.S["id"]]
        self.assertEqual(len(rec), 1)
        version = rec[0]["version"]
        r = self.tx.get(self.tx.coll(self.cid, "objects", self.S["id"]),
                        {"match[version]": version})
        body = self.assertTaxii(r)
        self.assertEqual([o["id"] for o in body["objects"]], [self.S["id"]])
        got = self.get({"match[version]": version})
        self.assertEqual([o["id"] for o in got["objects"]], [self.S["id"]])

    def test_taxii_16_match_spec_version(self):
        m = self.M21["id"]

        def of_m(query, part="objects", *more):
            return self.get(dict(query, **{"match[id]": m}) if not more else query, part, *more)

        # Default: the latest spec version of each object (2.1 here,
        # though the 2.0 version is newer).
        got = of_m({})["objects"]
        self.assertEqual([(o["spec_version"], o["modified"]) for o in got],
                         [("2.1", self.M21["modified"])])
        self.assertTrue(all(o.get("spec_version") == "2.1" for o in self.get()["objects"]))
        got = of_m({"match[spec_version]": "2.0"})["objects"]
        self.assertEqual([o["modified"] for o in got], [self.M20["modified"]])
        self.assertNotIn("spec_version", got[0])
        self.assertEqual(of_m({"match[spec_version]": "2.1"})["objects"][0]["modified"],
                         self.M21["modified"])
        # Both: the last version of either.
        got = of_m({"match[spec_version]": "2.0,2.1"})["objects"]
        self.assertEqual([o["modified"] for o in got], [self.M20["modified"]])
        got = of_m({"match[spec_version]": "2.0,2.1", "match[version]": "all"})["objects"]
        self.assertEqual(sorted(o["modified"] for o in got),
                         sorted([self.M20["modified"], self.M21["modified"]]))
        # Only 2.0 objects for 2.0: none of the others.
        got = self.get({"match[spec_version]": "2.0"})["objects"]
        self.assertEqual([o["id"] for o in got], [m])
        # Manifest media types and versions endpoint.
        man = self.get({"match[spec_version]": "2.0"}, "manifest")["objects"]
        self.assertEqual([(x["version"], x["media_type"]) for x in man],
                         [(self.M20["modified"], "application/stix+json;version=2.0")])
        self.assertEqual(self.get({}, "objects", m, "versions")["versions"],
                         [self.M21["modified"]])
        got = self.get({"match[spec_version]": "2.0,2.1"}, "objects", m, "versions")["versions"]
        self.assertEqual(sorted(got), sorted([self.M20["modified"], self.M21["modified"]]))
        # The collection lists both media types.
        c = self.assertTaxii(self.tx.get(self.tx.coll(self.cid)))
        self.assertEqual(sorted(c["media_types"]), ["application/stix+json;version=2.0",
                                                    "application/stix+json;version=2.1"])
        # 3.0 is well-formed and matches nothing; garbage is 400.
        self.assertEqual(self.get({"match[spec_version]": "3.0"}), {})
        for bad in ("2", "2.1.0", "two", "2.1,"):
            r = self.tx.get(self.tx.coll(self.cid, "objects"), {"match[spec_version]": bad})
            self.assertTaxiiError(r, 400, "match[spec_version]")

    def test_taxii_17_object_endpoint(self):
        for o in (self.A[2], self.I, self.D, self.S):
            with self.subTest(id=o["id"]):
                r = self.tx.get(self.tx.coll(self.cid, "objects", o["id"]))
                body = self.assertTaxii(r)
                self.assertEqual(set(body), {"more", "objects"})
                self.assertIs(body["more"], False)
                self.assertEqual(body["objects"], [o])
                self.assertIn("X-TAXII-Date-Added-First", r.headers)
        for oid in (new_id("indicator"), "indicator--zzz", "nonsense", IPV4_ID.replace("2", "3")):
            with self.subTest(unknown=oid):
                r = self.tx.get(self.tx.coll(self.cid, "objects", oid))
                if r.status == 200:
                    self.assertEqual(self.assertTaxii(r), {})
                else:
                    self.assertTaxiiError(r, 404)
        # An object of another collection is not in this one.
        other = add_collection(self.store)
        self.assertTaxiiError(self.tx.get(self.tx.coll(other, "objects", self.I["id"])), 404)

    def test_taxii_18_delete(self):
        cid = add_collection(self.store)
        oid = new_id("indicator")
        vers = [indicator(oid=oid, modified=stamp(60 * i), n=i) for i in range(4)]
        m20 = malware(modified=stamp(999), v20=True)
        m21 = malware(oid=m20["id"], modified=stamp(5))
        keep = indicator(n=50)
        self.post_ok(self.tx, cid, vers + [m20, m21, keep])

        def obj(o, *p):
            return self.tx.coll(cid, "objects", o, *p)

        # One version.
        self.assertTaxii(self.tx.delete(obj(oid), {"match[version]": vers[1]["modified"]}))
        body = self.assertTaxii(self.tx.get(obj(oid, "versions")))
        self.assertEqual(body["versions"], [vers[0]["modified"], vers[2]["modified"],
                                            vers[3]["modified"]])
        self.assertTaxiiError(self.tx.get(obj(oid), {"match[version]": vers[1]["modified"]}),
                              404)
        # first, then last.
        self.assertTaxii(self.tx.delete(obj(oid), {"match[version]": "first"}))
        self.assertTaxii(self.tx.delete(obj(oid), {"match[version]": "last"}))
        self.assertEqual(self.assertTaxii(self.tx.get(obj(oid, "versions")))["versions"],
                         [vers[2]["modified"]])
        # A version that is not there: 404, nothing removed.
        self.assertTaxiiError(self.tx.delete(obj(oid), {"match[version]": vers[1]["modified"]}),
                              404)
        # Without match[version]: every version; then 404 everywhere.
        self.assertTaxii(self.tx.post(self.tx.coll(cid, "objects"), {"objects": vers}), 202)
        self.assertTaxii(self.tx.delete(obj(oid)))
        self.assertTaxiiError(self.tx.get(obj(oid)), 404)
        self.assertTaxiiError(self.tx.get(obj(oid), {"match[version]": "all"}), 404)
        self.assertTaxiiError(self.tx.get(obj(oid, "versions")), 404)
        self.assertTaxiiError(self.tx.delete(obj(oid)), 404)
        man = self.manifest_of(self.tx, cid, {"match[version]": "all",
                                              "match[spec_version]": "2.0,2.1"})
        self.assertNotIn(oid, [x["id"] for x in man])
        everything = self.fetch_all(self.tx, self.tx.coll(cid, "objects"),
                                    {"match[version]": "all"})[0]
        self.assertNotIn(oid, [o["id"] for o in everything])
        self.assertEqual(self.assertTaxii(self.tx.get(self.tx.coll(cid, "objects"),
                                                      {"match[id]": oid})), {})
        # match[spec_version]: only the 2.0 version goes.
        self.assertTaxii(self.tx.delete(obj(m20["id"]), {"match[spec_version]": "2.0"}))
        got = self.assertTaxii(self.tx.get(obj(m20["id"], "versions"),
                                           {"match[spec_version]": "2.0,2.1"}))
        self.assertEqual(got["versions"], [m21["modified"]])
        # The others are untouched; the deletions are audited.
        self.assertEqual(self.assertTaxii(self.tx.get(obj(keep["id"])))["objects"], [keep])
        audit = [e for e in self.admin.list_all("/api/v1/audit")
                 if e["action"] == "object.delete" and e["object"] == oid]
        self.assertEqual(len(audit), 4)
        self.assertEqual(audit[-1]["detail"].get("versions"), 4)
        self.assertEqual(audit[-1]["actor"], "admin")
        # Bad filters are 400, not a deletion.
        self.assertTaxiiError(self.tx.delete(obj(keep["id"]), {"match[version]": "all,first"}),
                              400)
        self.assertTaxii(self.tx.get(obj(keep["id"])))

    def test_taxii_21_empty_envelope_and_manifest(self):
        for part in ("objects", "manifest"):
            for q in ({"match[type]": "report"}, {"added_after": "2999-01-01T00:00:00Z"},
                      {"match[id]": new_id("tool")}, {"match[spec_version]": "2.0",
                                                      "match[type]": "indicator"}):
                with self.subTest(part=part, q=q):
                    r = self.tx.get(self.tx.coll(self.cid, part), q)
                    self.assertEqual(r.raw, b"{}")
                    self.assertTaxii(r)
        empty = add_collection(self.store)
        for part in ("objects", "manifest"):
            self.assertEqual(self.assertTaxii(self.tx.get(self.tx.coll(empty, part))), {})

    def test_taxii_21_empty_versions_of_a_known_object(self):
        # The object is there; a filter leaves none of its versions: the
        # versions resource is {} (TAXII-21; medallion does the same).
        r = self.tx.get(self.tx.coll(self.cid, "objects", self.A[0]["id"], "versions"),
                        {"added_after": "2999-01-01T00:00:00Z"})
        self.assertEqual(self.assertTaxii(r), {})
        self.assertNotIn("X-TAXII-Date-Added-First", r.headers)

    def test_taxii_21_empty_envelope_of_a_known_object(self):
        r = self.tx.get(self.tx.coll(self.cid, "objects", self.A[0]["id"]),
                        {"added_after": self.added[3]})
        self.assertEqual(self.assertTaxii(r), {})
        # A version asked for by name and not there is 404, as a deleted
        # one must be (TAXII-18), even though medallion answers {}.
        r = self.tx.get(self.tx.coll(self.cid, "objects", self.M21["id"]),
                        {"match[version]": "2001-01-01T00:00:00.000Z"})
        self.assertTaxiiError(r, 404)


# ---- paging ----

class TaxiiPagingTests(TaxiiCase):
    """TAXII-12: 250 objects (three imports: 100, 100 and 50, each sharing
    one date_added) paged 7 at a time; 1005 objects for the limit clamp."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tx = Tx(cls.admin)
        cls.cid = add_collection(cls.store, alias=uniq("paging"))
        cls.objs = [indicator(n=i) for i in range(250)]
        for lo, hi in ((0, 100), (100, 200), (200, 250)):
            rc, out, err = cls.store.cli("import", "--collection", cls.cid, write_json(
                cls.store, bundle(cls.objs[lo:hi])))
            assert rc == 0, out + err
        cls.big = add_collection(cls.store)
        rc, out, err = cls.store.cli("import", "--collection", cls.big, write_json(
            cls.store, bundle(indicator(n=i) for i in range(1005))))
        assert rc == 0, out + err

    def test_taxii_12_limit_paging(self):
        for part in ("objects", "manifest"):
            with self.subTest(part=part):
                items, pages = self.fetch_all(self.tx, self.tx.coll(self.cid, part),
                                              {"limit": "7"})
                self.assertEqual(len(pages), 36)
                ids = [x["id"] for x in items]
                self.assertEqual(len(ids), 250)
                self.assertEqual(len(set(ids)), 250, "duplicates across pages")
                self.assertEqual(set(ids), {o["id"] for o in self.objs})
                for i, r in enumerate(pages):
                    body = r.tj
                    n = len(body["objects"])
                    self.assertLessEqual(n, 7)
                    self.assertEqual(body["more"], i < len(pages) - 1, i)
                    self.assertEqual("next" in body, i < len(pages) - 1, i)
                    if part == "manifest":
                        self.assertEqual(r.headers["X-TAXII-Date-Added-First"],
                                         body["objects"][0]["date_added"])
                        self.assertEqual(r.headers["X-TAXII-Date-Added-Last"],
                                         body["objects"][-1]["date_added"])
                # The same list, in the same order, as in one page.
                one = self.assertTaxii(self.tx.get(self.tx.coll(self.cid, part),
                                                   {"limit": "1000"}))
                self.assertIs(one["more"], False)
                self.assertNotIn("next", one)
                self.assertEqual(items, one["objects"])
                if part == "objects":
                    self.assertEqual(items, self.objs)  # import order kept
                else:
                    dates = [x["date_added"] for x in items]
                    self.assertEqual(dates, sorted(dates))
                    self.assertEqual(len(set(dates)), 250)  # one each

    def test_taxii_12_paging_by_added_after_loses_nothing(self):
        # What many clients do instead of next: ask again with added_after
        # = the last page's X-TAXII-Date-Added-Last. The 1005 objects came
        # in one import (one transaction); none may be skipped.
        path = self.tx.coll(self.big, "objects")
        seen, q = [], {"limit": "100"}
        for _ in range(20):
            r = self.tx.get(path, q)
            body = self.assertTaxii(r)
            if not body:
                break
            seen += [o["id"] for o in body["objects"]]
            q = {"limit": "100", "added_after": r.headers["X-TAXII-Date-Added-Last"]}
        self.assertEqual(len(seen), 1005)
        self.assertEqual(len(set(seen)), 1005)

    def test_taxii_12_paging_with_filters(self):
        some = [o["id"] for o in self.objs[::10]]
        q = {"limit": "4", "match[id]": ",".join(some), "match[type]": "indicator"}
        items, pages = self.fetch_all(self.tx, self.tx.coll(self.cid, "objects"), q)
        self.assertEqual([o["id"] for o in items], some)
        self.assertEqual(len(pages), 7)
        # By alias as well as id.
        alias = self.assertTaxii(self.tx.get(self.tx.coll(self.cid)))["alias"]
        items2, _ = self.fetch_all(self.tx, self.tx.coll(alias, "objects"), q)
        self.assertEqual(items2, items)

    def test_taxii_12_default_and_limits_around_1000(self):
        path = self.tx.coll(self.big, "objects")
        body = self.assertTaxii(self.tx.get(path))
        self.assertEqual(len(body["objects"]), 100)  # the default
        self.assertIs(body["more"], True)
        for limit, n in (("999", 999), ("1000", 1000), ("1001", 1000), ("5000", 1000)):
            with self.subTest(limit=limit):
                body = self.assertTaxii(self.tx.get(path, {"limit": limit}))
                self.assertEqual(len(body["objects"]), n)
                self.assertIs(body["more"], True)
                rest = self.assertTaxii(self.tx.get(path, {"limit": limit,
                                                           "next": body["next"]}))
                self.assertEqual(len(rest["objects"]), 1005 - n)
                self.assertIs(rest["more"], False)
                ids = [o["id"] for o in body["objects"] + rest["objects"]]
                self.assertEqual(len(set(ids)), 1005)
        # Everything fits the limit: everything is returned, more false.
        body = self.assertTaxii(self.tx.get(self.tx.coll(self.cid, "objects"),
                                            {"limit": "250"}))
        self.assertEqual(len(body["objects"]), 250)
        self.assertIs(body["more"], False)

    def test_taxii_12_bad_limits(self):
        for limit in ("0", "-1", "-20", "abc", "1.5", "", "7x", "0x10", " 7"):
            for part in ("objects", "manifest"):
                with self.subTest(limit=limit, part=part):
                    r = self.tx.get(self.tx.coll(self.cid, part), {"limit": limit})
                    self.assertTaxiiError(r, 400, "limit")
        oid = self.objs[0]["id"]
        for part in ((oid,), (oid, "versions")):
            r = self.tx.get(self.tx.coll(self.cid, "objects", *part), {"limit": "0"})
            self.assertTaxiiError(r, 400, "limit")

    def test_taxii_12_next_is_bound_to_its_query(self):
        path = self.tx.coll(self.cid, "objects")
        q = {"limit": "5", "match[type]": "indicator", "match[version]": "all"}
        nxt = self.assertTaxii(self.tx.get(path, q))["next"]
        changed = [
            {"match[type]": "indicator,malware"}, {"match[type]": None},
            {"match[version]": "first"}, {"match[version]": None},
            {"added_after": "2000-01-01T00:00:00Z"}, {"match[spec_version]": "2.1"},
            {"match[id]": self.objs[3]["id"]},
        ]
        for change in changed:
            with self.subTest(change=change):
                q2 = dict(q, next=nxt)
                for k, v in change.items():
                    if v is None:
                        q2.pop(k)
                    else:
                        q2[k] = v
                self.assertTaxiiError(self.tx.get(path, q2), 400, "next")
        # Another endpoint or collection, unknown or garbage cursors.
        self.assertTaxiiError(self.tx.get(self.tx.coll(self.cid, "manifest"),
                                          dict(q, next=nxt)), 400, "next")
        self.assertTaxiiError(self.tx.get(self.tx.coll(self.big, "objects"),
                                          dict(q, next=nxt)), 400, "next")
        for bad in (str(uuid.uuid4()), "garbage", "", "' OR 1=1 --"):
            self.assertTaxiiError(self.tx.get(path, dict(q, next=bad)), 400, "next")
        # The same filters with another limit are fine, and the cursor may
        # be used again.
        for limit in ("5", "3", "1000"):
            body = self.assertTaxii(self.tx.get(path, dict(q, next=nxt, limit=limit)))
            self.assertEqual(body["objects"][0]["id"], self.objs[5]["id"])

    def test_taxii_12_objects_added_while_paging(self):
        cid = add_collection(self.store)
        objs = [indicator(n=i) for i in range(30)]
        import_objects(self, self.store, cid, objs)
        path = self.tx.coll(cid, "objects")
        seen, q = [], {"limit": "7"}
        late = indicator(n=999)
        for i in range(20):
            body = self.assertTaxii(self.tx.get(path, q))
            seen += [o["id"] for o in body.get("objects", [])]
            if i == 1:
                self.post_ok(self.tx, cid, [late])
            if not body.get("more"):
                break
            q["next"] = body["next"]
        self.assertEqual(seen, [o["id"] for o in objs] + [late["id"]])

    def test_taxii_12_versions_paging(self):
        cid = add_collection(self.store)
        oid = new_id("indicator")
        vers = [indicator(oid=oid, modified=stamp(i), n=i) for i in range(12)]
        self.post_ok(self.tx, cid, vers)
        items, pages = self.fetch_all(self.tx, self.tx.coll(cid, "objects", oid, "versions"),
                                      {"limit": "5"}, key="versions")
        self.assertEqual(items, [v["modified"] for v in vers])
        self.assertEqual([len(p.tj["versions"]) for p in pages], [5, 5, 2])
        items, pages = self.fetch_all(self.tx, self.tx.coll(cid, "objects", oid),
                                      {"limit": "5", "match[version]": "all"})
        self.assertEqual(items, vers)


# ---- TLP ----

class TaxiiTlpTests(TaxiiCase):
    """TLP on the way out (each reader's ceiling: team AMBER+STRICT,
    constituent AMBER, partner GREEN; unmarked is below all) and on the
    way in (the collection's ceiling; TLP:RED never)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = Tx(cls.admin)
        cls.C, cls.constituent = cls.org_user("constituent")
        cls.P, cls.partner = cls.org_user("partner")
        cls.cid = add_collection(cls.store, tlp_max="amber+strict", read=(cls.C, cls.P))
        cls.level = {}
        first = {
            "unmarked": indicator(n=1),
            "clear": indicator(n=2, markings=[TLP2["clear"]]),
            "green": indicator(n=3, markings=[TLP2["green"]]),
            "green1": indicator(n=4, markings=[TLP1["green"]]),
            "white1": indicator(n=5, markings=[TLP1["white"]]),
        }
        second = {
            "amber": indicator(n=6, markings=[TLP2["amber"]]),
            "amber1": indicator(n=7, markings=[TLP1["amber"]]),
            "granular": indicator(n=8, granular=TLP2["amber"]),
            "green+amber": indicator(n=9, markings=[TLP2["green"], TLP2["amber"]]),
            "strict": indicator(n=10, markings=[TLP2["amber+strict"]]),
            "x1": indicator(n=11, markings=[TLP2["green"]]),
        }
        x2 = dict(second["x1"], modified=stamp(600), object_marking_refs=[TLP2["amber"]])
        third = {"x2": x2, "strict2": indicator(n=12, markings=[TLP2["amber+strict"]])}
        fourth = {"amber-last": indicator(n=13, markings=[TLP2["amber"]])}
        cls.obj = {}
        for group in (first, second, third, fourth):
            rc, out, err = cls.store.cli("import", "--collection", cls.cid, write_json(
                cls.store, bundle(group.values())))
            assert rc == 0, out + err
            cls.obj.update(group)
        cls.visible = {
            "team": set(cls.obj),
            "constituent": set(cls.obj) - {"strict", "strict2"},
            "partner": {"unmarked", "clear", "green", "green1", "white1", "x1"},
        }
        cls.readers = {"team": cls.team, "constituent": cls.constituent,
                       "partner": cls.partner}

    def key_of(self, o):
        for k, v in self.obj.items():
            if (v["id"], v["modified"]) == (o["id"], o["modified"]):
                return k
        self.fail("unknown object %r" % o["id"])

    def seen(self, tx, query=None):
        items = self.fetch_all(tx, tx.coll(self.cid, "objects"),
                               dict({"match[version]": "all"}, **(query or {})))[0]
        return [self.key_of(o) for o in items]

    def test_tlp_each_reader_sees_only_up_to_its_ceiling(self):
        for who, tx in self.readers.items():
            with self.subTest(reader=who):
                keys = self.seen(tx)
                self.assertEqual(set(keys), self.visible[who])
                self.assertEqual(len(keys), len(set(keys)))
                # Two at a time, the same.
                self.assertEqual(self.seen(tx, {"limit": "2"}), keys)

    def test_tlp_unmarked_and_clear_visible_to_all(self):
        for who, tx in self.readers.items():
            for k in ("unmarked", "clear", "white1"):
                with self.subTest(reader=who, obj=k):
                    body = self.assertTaxii(tx.get(tx.coll(self.cid, "objects",
                                                           self.obj[k]["id"])))
                    self.assertEqual(body["objects"], [self.obj[k]])

    def test_tlp_partner_never_sees_amber(self):
        tx = self.partner
        hidden = ("amber", "amber1", "granular", "green+amber", "strict", "strict2",
                  "amber-last")
        for k in hidden:
            with self.subTest(obj=k):
                oid = self.obj[k]["id"]
                self.assertTaxiiError(tx.get(tx.coll(self.cid, "objects", oid)), 404)
                self.assertTaxiiError(tx.get(tx.coll(self.cid, "objects", oid, "versions")), 404)
                for part in ("objects", "manifest"):
                    r = tx.get(tx.coll(self.cid, part), {"match[id]": oid})
                    self.assertEqual(self.assertTaxii(r), {})
        man = self.manifest_of(tx, self.cid, {"match[version]": "all"})
        self.assertEqual({x["id"] for x in man},
                         {self.obj[k]["id"] for k in self.visible["partner"]})
        # The date headers are those of what the partner sees: the last
        # import held only AMBER objects.
        r = tx.get(tx.coll(self.cid, "objects"), {"match[version]": "all"})
        self.assertEqual(r.headers["X-TAXII-Date-Added-Last"], man[-1]["date_added"])
        team_last = self.team.get(self.team.coll(self.cid, "objects")).headers[
            "X-TAXII-Date-Added-Last"]
        self.assertLess(man[-1]["date_added"], team_last)

    def test_tlp_constituent_never_sees_amber_strict(self):
        tx = self.constituent
        for k in ("strict", "strict2"):
            oid = self.obj[k]["id"]
            self.assertTaxiiError(tx.get(tx.coll(self.cid, "objects", oid)), 404)
            self.assertTaxiiError(tx.get(tx.coll(self.cid, "objects", oid, "versions")), 404)
            self.assertEqual(self.assertTaxii(tx.get(tx.coll(self.cid, "manifest"),
                                                     {"match[id]": oid})), {})
        for k in ("amber", "amber1", "granular", "green+amber", "x2"):
            got = self.assertTaxii(tx.get(tx.coll(self.cid, "objects", self.obj[k]["id"])))
            self.assertEqual(got["objects"], [self.obj[k]])

    def test_tlp_latest_version_a_reader_may_see(self):
        oid = self.obj["x1"]["id"]
        for who, want in (("team", ["x2"]), ("constituent", ["x2"]), ("partner", ["x1"])):
            with self.subTest(reader=who):
                tx = self.readers[who]
                got = self.assertTaxii(tx.get(tx.coll(self.cid, "objects", oid)))["objects"]
                self.assertEqual([self.key_of(o) for o in got], want)
                vers = self.assertTaxii(tx.get(tx.coll(self.cid, "objects", oid, "versions")))
                expect = [self.obj["x1"]["modified"]] + (
                    [self.obj["x2"]["modified"]] if who != "partner" else [])
                self.assertEqual(vers["versions"], expect)
                r = tx.get(tx.coll(self.cid, "objects", oid),
                           {"match[version]": self.obj["x2"]["modified"]})
                if who == "partner":  # as if x2 were not there
                    if r.status == 200:
                        self.assertEqual(self.assertTaxii(r), {})
                    else:
                        self.assertTaxiiError(r, 404)
                else:
                    self.assertEqual(self.assertTaxii(r)["objects"], [self.obj["x2"]])

    def test_tlp_next_cursor_is_bound_to_the_reader(self):
        path = self.team.coll(self.cid, "objects")
        nxt = self.assertTaxii(self.team.get(path, {"limit": "2"}))["next"]
        r = self.partner.get(path, {"limit": "2", "next": nxt})
        self.assertTaxiiError(r, 400, "next")

    def test_tlp_red_never_enters(self):
        cid = add_collection(self.store, tlp_max="amber+strict")
        for marking in (TLP2["red"], TLP1["red"]):
            with self.subTest(marking=marking):
                red = indicator(n=20, markings=[marking])
                granular = indicator(n=21, granular=marking)
                r = self.team.post(self.team.coll(cid, "objects"), {"objects": [red, granular]})
                st = self.assertTaxii(r, 202)
                self.assertEqual(st["failure_count"], 2, st)
                for f in st["failures"]:
                    self.assertIn("TLP:RED", f["message"])
                out, _ = import_objects(self, self.store, cid, [red, indicator(n=22)], 1)
                self.assertRegex(out, r"object 0 \(%s\): .*TLP:RED" % re.escape(red["id"]))
                self.assertIn("1 stored, 0 already there, 1 refused", out)
                for o in (red, granular):
                    self.assertTaxiiError(self.team.get(self.team.coll(cid, "objects",
                                                                       o["id"])), 404)

    def test_tlp_above_the_collection_ceiling_is_refused(self):
        cases = [("clear", TLP2["green"], "TLP:GREEN", "TLP:CLEAR"),
                 ("green", TLP2["amber"], "TLP:AMBER", "TLP:GREEN"),
                 ("green", TLP1["amber"], "TLP:AMBER", "TLP:GREEN"),
                 ("amber", TLP2["amber+strict"], "TLP:AMBER+STRICT", "TLP:AMBER")]
        for ceiling, marking, label, ceiling_label in cases:
            with self.subTest(ceiling=ceiling, marking=marking):
                cid = add_collection(self.store, tlp_max=ceiling)
                over = indicator(n=30, markings=[marking])
                ok = indicator(n=31)
                r = self.team.post(self.team.coll(cid, "objects"), {"objects": [over, ok]})
                st = self.assertTaxii(r, 202)
                self.assertEqual((st["success_count"], st["failure_count"]), (1, 1), st)
                msg = st["failures"][0]["message"]
                self.assertEqual(st["failures"][0]["id"], over["id"])
                self.assertIn(label, msg)
                self.assertIn("ceiling %s" % ceiling_label, msg)
                out, _ = import_objects(self, self.store, cid, [over], 1)
                self.assertIn("ceiling %s" % ceiling_label, out)
                self.assertTaxiiError(self.team.get(self.team.coll(cid, "objects",
                                                                   over["id"])), 404)
        # The default ceiling is GREEN.
        cid = add_collection(self.store)
        st = self.assertTaxii(self.team.post(self.team.coll(cid, "objects"), {
            "objects": [indicator(n=32, markings=[TLP2["amber"]])]}), 202)
        self.assertIn("ceiling TLP:GREEN", st["failures"][0]["message"])

    def test_tlp_partner_cannot_delete_what_it_cannot_see(self):
        # A partner that may read and write a collection deletes an AMBER
        # object it may not see: that must be exactly like an object that
        # is not there (404), and the object must stay.
        cid = add_collection(self.store, tlp_max="amber", read=(self.P,), write=(self.P,))
        amber = indicator(n=40, markings=[TLP2["amber"]])
        green = indicator(n=41, markings=[TLP2["green"]])
        import_objects(self, self.store, cid, [amber, green])
        ghost_id = new_id("indicator")
        ghost = self.partner.delete(self.partner.coll(cid, "objects", ghost_id))
        self.assertTaxiiError(ghost, 404)
        r = self.partner.delete(self.partner.coll(cid, "objects", amber["id"]))
        self.assertTaxiiError(r, 404)
        self.assertEqual(r.tj["description"].replace(amber["id"], "X"),
                         ghost.tj["description"].replace(ghost_id, "X"))
        body = self.assertTaxii(self.team.get(self.team.coll(cid, "objects", amber["id"])))
        self.assertEqual(body["objects"], [amber])
        # What it can see, it can delete.
        self.assertTaxii(self.partner.delete(self.partner.coll(cid, "objects", green["id"])))


# ---- HTTPS ----

class TaxiiTlsTests(TaxiiCase):
    """TAXII-23: TAXII over HTTPS with TLS 1.2 (and 1.3), Basic
    credentials, and no TLS 1.3 0-RTT."""

    SERVER = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from test_tls import start_tls_server
        cls.token = start_tls_server(cls)
        cls.cid = add_collection(cls.store)

    def tx(self, version, **cred):
        from test_tls import context
        return Tx(self.server.client(context=context(self.cert, version), **cred))

    def test_taxii_23_tls12_and_basic(self):
        for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            for cred in ({"basic": ("admin", self.store.admin_password)},
                         {"basic": ("admin", self.token)}, {"token": self.token}):
                with self.subTest(version=version.name, cred=list(cred)[0]):
                    tx = self.tx(version, **cred)
                    self.assertEqual(self.assertTaxii(tx.get("/taxii2/"))["default"],
                                     "/taxii2/default/")
                    o = indicator()
                    self.assertTaxii(tx.post(tx.coll(self.cid, "objects"), {"objects": [o]}),
                                     202)
                    body = self.assertTaxii(tx.get(tx.coll(self.cid, "objects", o["id"])))
                    self.assertEqual(body["objects"], [o])
        r = self.tx(ssl.TLSVersion.TLSv1_2).get("/taxii2/")
        self.assertTaxiiError(r, 401)
        self.assertIn('Basic realm="', r.headers.get("WWW-Authenticate", ""))

    def test_taxii_23_no_0rtt(self):
        if shutil.which("openssl") is None:
            self.skipTest("no openssl command")
        sess = self.store.path("tls13.sess")
        early = self.store.path("early.txt")
        req = ("GET /taxii2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: %s\r\n"
               "Authorization: Bearer %s\r\nConnection: close\r\n\r\n" % (TAXII, self.token))
        with open(early, "w") as f:
            f.write(req)
        base = ["openssl", "s_client", "-connect", "127.0.0.1:%d" % self.server.port,
                "-tls1_3", "-CAfile", self.cert, "-ign_eof"]
        p = subprocess.run(base + ["-sess_out", sess], input=req.encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
        out = p.stdout.decode("utf-8", "replace")
        self.assertIn("TLSv1.3", out)
        self.assertIn("HTTP/1.1 200", out)
        if not os.path.exists(sess) or os.path.getsize(sess) == 0:
            return  # no session ticket: no resumption, so no 0-RTT at all
        info = subprocess.run(["openssl", "sess_id", "-in", sess, "-text", "-noout"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=30).stdout.decode("utf-8", "replace")
        m = re.search(r"Max Early Data:\s*(\d+)", info)
        if m:
            self.assertEqual(int(m.group(1)), 0, info)
        p = subprocess.run(base + ["-sess_in", sess, "-early_data", early],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=30)
        out = p.stdout.decode("utf-8", "replace")
        self.assertNotIn("Early data was accepted", out)
