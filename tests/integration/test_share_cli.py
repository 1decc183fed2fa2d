# SPDX-License-Identifier: Apache-2.0
#
# Sharing from the command line: `cirtkit import` (bundles, a lone object,
# standard input, a refused object in the middle of a bundle: the others
# stay stored, exit 1 and a line naming the object, path, rule and reason;
# TLP refusals; duplicates counted as already there; a malformed bundle
# keeps what came before the bad byte), `cirtkit export` (a round trip
# through another collection gives the same objects byte for byte, every
# version; -o FILE is whole or absent), `cirtkit validate` (every example
# of ../shared/data/stix/examples has no finding; broken objects name
# object, path and rule), `cirtkit collection add` errors, kill -9 in the
# middle of a large import (every batch committed and audited is there,
# nothing else; `cirtkit check` passes), and the audit entries of import
# and TAXII POST.
import datetime
import glob
import json
import os
import pwd
import random
import re
import signal
import subprocess
import threading
import time

import harness
from harness import CirtTestCase, child_env, run_cli, uniq
from test_taxii import (TLP1, TLP2, Tx, add_collection, bundle, identity,
                        import_objects, indicator, ipv4, malware, new_id, stamp,
                        statement_marking, write_json)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STIX_DATA = os.path.join(REPO, "..", "shared", "data", "stix")
ACTOR = "cli:" + pwd.getpwuid(os.geteuid()).pw_name
SUMMARY = re.compile(r"^(.*): (\d+) stored, (\d+) already there, (\d+) refused$", re.M)


class ShareCliCase(CirtTestCase):
    def summary(self, out, path):
        """(stored, already there, refused) of path in import's output."""
        got = [m.groups()[1:] for m in SUMMARY.finditer(out) if m.group(1) == path]
        self.assertEqual(len(got), 1, out)
        return tuple(int(x) for x in got[0])

    def export(self, cid, *args):
        """`cirtkit export`; (the bundle's text, its parsed form)."""
        rc, out, err = self.store.cli("export", "--collection", cid, *args, timeout=120)
        self.assertEqual(rc, 0, err)
        self.assertRegex(err, r"exported \d+ object versions")
        return out, json.loads(out)

    def stored(self, cid):
        """(id, modified or created) of every version in cid, in order."""
        return [(o["id"], o.get("modified", o.get("created")))
                for o in self.export(cid)[1].get("objects", [])]

    def audit(self):
        rc, out, err = self.store.cli("audit", "list", "--format", "json")
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    def assertStoreGood(self):
        rc, out, err = self.store.cli("check")
        self.assertEqual(rc, 0, "cirtkit check:\n" + out + err)
        rc, out, err = self.store.cli("audit", "verify")
        self.assertEqual(rc, 0, "audit verify:\n" + out + err)


class ImportTests(ShareCliCase):
    def test_import_bundles(self):
        cid = add_collection(self.store, tlp_max="amber")
        a = [indicator(n=i) for i in range(3)] + [malware(), identity(), ipv4()]
        b = [indicator(n=10), statement_marking()]
        pa, pb = write_json(self.store, bundle(a)), write_json(self.store, bundle(b))
        rc, out, err = self.store.cli("import", "--collection", cid, pa, pb)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.summary(out, pa), (6, 0, 0))
        self.assertEqual(self.summary(out, pb), (2, 0, 0))
        self.assertEqual([o for o in self.export(cid)[1]["objects"]], a + b)

    def test_import_by_alias(self):
        alias = uniq("alias")
        cid = add_collection(self.store, alias=alias)
        o = indicator()
        import_objects(self, self.store, alias, [o])
        self.assertEqual(self.export(cid)[1]["objects"], [o])

    def test_import_lone_object(self):
        cid = add_collection(self.store)
        o = indicator(n=1)
        path = write_json(self.store, o)
        rc, out, err = self.store.cli("import", "--collection", cid, path)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.summary(out, path), (1, 0, 0))
        self.assertEqual(self.export(cid)[1]["objects"], [o])
        # A lone object that is not valid is refused like any other.
        bad = write_json(self.store, indicator(n=2, confidence=-1))
        rc, out, err = self.store.cli("import", "--collection", cid, bad)
        self.assertEqual(rc, 1, out + err)
        self.assertIn("$.confidence: STIX-07", out)
        self.assertEqual(self.summary(out, bad), (0, 0, 1))

    def test_import_stdin(self):
        cid = add_collection(self.store)
        objs = [indicator(n=i) for i in range(5)]
        rc, out, err = self.store.cli("import", "--collection", cid, "-",
                                      input=json.dumps(bundle(objs)))
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.summary(out, "-"), (5, 0, 0))
        self.assertEqual(self.export(cid)[1]["objects"], objs)
        # A lone object on stdin too.
        o = indicator(n=9)
        rc, out, err = self.store.cli("import", "--collection", cid, "-", input=json.dumps(o))
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.summary(out, "-"), (1, 0, 0))

    def test_import_bad_object_in_the_middle(self):
        cid = add_collection(self.store)
        good = [indicator(n=i) for i in range(4)]
        bad = indicator(n=99, confidence=101)
        wrong_id = indicator(n=98)
        wrong_id["id"] = new_id("malware")
        objs = good[:2] + [bad] + good[2:3] + [wrong_id] + good[3:]
        path = write_json(self.store, bundle(objs))
        rc, out, err = self.store.cli("import", "--collection", cid, path)
        self.assertEqual(rc, 1, out + err)
        self.assertIn("%s: object 2 (%s): $.confidence: STIX-07: " % (path, bad["id"]), out)
        self.assertRegex(out, r"(?m)^%s: object 4 \(%s\): \$\.id: STIX-01: .+$"
                         % (re.escape(path), re.escape(wrong_id["id"])))
        self.assertEqual(self.summary(out, path), (4, 0, 2))
        self.assertEqual(self.export(cid)[1]["objects"], good)

    def test_import_malformed_bundle_keeps_what_came_before(self):
        cid = add_collection(self.store)
        objs = [indicator(n=i) for i in range(3)]
        text = json.dumps(bundle(objs))
        cut = text.index(json.dumps(objs[2]))
        path = self.store.path("truncated.json")
        with open(path, "w") as f:
            f.write(text[:cut] + '{"type": "indicator", "id": ')
        rc, out, err = self.store.cli("import", "--collection", cid, path)
        self.assertEqual(rc, 1, out + err)
        self.assertIn(path, out + err)
        self.assertEqual(self.export(cid)[1]["objects"], objs[:2])
        # Not JSON at all: nothing stored, exit 1 naming the file.
        junk = self.store.path("junk.json")
        with open(junk, "w") as f:
            f.write("this is not JSON")
        rc, out, err = self.store.cli("import", "--collection", cid, junk)
        self.assertEqual(rc, 1, out + err)
        self.assertIn(junk, out + err)
        self.assertEqual(len(self.export(cid)[1]["objects"]), 2)
        self.assertStoreGood()

    def test_import_tlp_refusals(self):
        cid = add_collection(self.store, tlp_max="green")
        ok = [indicator(n=1), indicator(n=2, markings=[TLP2["green"]]),
              indicator(n=3, markings=[TLP1["white"]])]
        amber = indicator(n=4, markings=[TLP2["amber"]])
        amber1 = indicator(n=5, markings=[TLP1["amber"]])
        red = indicator(n=6, markings=[TLP2["red"]])
        strict = indicator(n=7, granular=TLP2["amber+strict"])
        path = write_json(self.store, bundle([ok[0], amber, ok[1], red, amber1, strict, ok[2]]))
        rc, out, err = self.store.cli("import", "--collection", cid, path)
        self.assertEqual(rc, 1, out + err)
        self.assertEqual(self.summary(out, path), (3, 0, 4))
        for i, o, label in ((1, amber, "TLP:AMBER"), (3, red, "TLP:RED"),
                            (4, amber1, "TLP:AMBER"), (5, strict, "TLP:AMBER+STRICT")):
            line = [l for l in out.splitlines() if l.startswith("%s: object %d (%s): "
                                                                % (path, i, o["id"]))]
            self.assertEqual(len(line), 1, out)
            self.assertIn(label, line[0])
            if o is not red:
                self.assertIn("ceiling TLP:GREEN", line[0])
        self.assertEqual(self.export(cid)[1]["objects"], ok)

    def test_import_duplicates_are_already_there(self):
        cid = add_collection(self.store)
        objs = [indicator(n=i) for i in range(4)]
        path = write_json(self.store, bundle(objs))
        rc, out, err = self.store.cli("import", "--collection", cid, path)
        self.assertEqual(self.summary(out, path), (4, 0, 0))
        rc, out, err = self.store.cli("import", "--collection", cid, path)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.summary(out, path), (0, 4, 0))
        # The same version twice in one bundle, and a new version.
        newer = dict(objs[0], modified=stamp(100))
        path = write_json(self.store, bundle([objs[1], objs[1], newer, newer]))
        rc, out, err = self.store.cli("import", "--collection", cid, path)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.summary(out, path), (1, 3, 0))
        self.assertEqual(len(self.stored(cid)), 5)

    def test_import_versioning_rules(self):
        cid = add_collection(self.store)
        o = indicator(n=1, created=stamp(0), modified=stamp(10))
        import_objects(self, self.store, cid, [o])
        moved = dict(o, created=stamp(5), modified=stamp(20))
        other = dict(o, modified=stamp(30), created_by_ref=new_id("identity"))
        path = write_json(self.store, bundle([moved, other]))
        rc, out, err = self.store.cli("import", "--collection", cid, path)
        self.assertEqual(rc, 1, out + err)
        self.assertRegex(out, r"object 0 \(%s\): .*STIX-12.*created" % re.escape(o["id"]))
        self.assertRegex(out, r"object 1 \(%s\): .*STIX-12.*creator" % re.escape(o["id"]))
        self.assertEqual(self.stored(cid), [(o["id"], o["modified"])])

    def test_import_errors(self):
        cid = add_collection(self.store)
        path = write_json(self.store, bundle([indicator()]))
        rc, out, err = self.store.cli("import", "--collection", uniq("nothere"), path)
        self.assertEqual(rc, 1, out + err)
        self.assertIn("no collection", err)
        rc, out, err = self.store.cli("import", path)
        self.assertEqual(rc, 2, out + err)
        self.assertIn("--collection", err)
        rc, out, err = self.store.cli("import", "--collection", cid)
        self.assertEqual(rc, 2, out + err)
        # A missing file is named; the other files are still imported.
        missing = self.store.path("missing.json")
        rc, out, err = self.store.cli("import", "--collection", cid, missing, path)
        self.assertEqual(rc, 1, out + err)
        self.assertIn("missing.json", err)
        self.assertEqual(self.summary(out, path), (1, 0, 0))

    def test_import_batch_limits(self):
        cid = add_collection(self.store)
        objs = [indicator(n=i) for i in range(3)]
        path = write_json(self.store, bundle(objs))
        for bad in ("0", "1000001", "-1", "x", ""):
            rc, out, err = self.store.cli("import", "--collection", cid, "--batch", bad, path)
            self.assertEqual(rc, 2, bad)
            self.assertIn("--batch must be a number from 1 to 1000000", err)
        # 1 commits each object on its own; the largest is taken.
        before = len(self.audit())
        rc, out, err = self.store.cli("import", "--collection", cid, "--batch", "1", path)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual([e["detail"]["objects"] for e in self.audit()[before:]
                          if e["action"] == "objects.import"], [1, 1, 1])
        cid = add_collection(self.store)
        rc, out, err = self.store.cli("import", "--collection", cid, "--batch", "1000000",
                                      path)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.summary(out, path), (3, 0, 0))


class ExportTests(ShareCliCase):
    RAW = ('{ "name" : "caf\\u00e9 \\"quoted\\"",  "type":"indicator","spec_version":"2.1",'
           '\n  "id":"%s","created":"2020-01-01T00:00:00.000Z",'
           '"modified":"2020-01-01T00:00:00.000Z","pattern_type":"stix",'
           '"pattern":"[ipv4-addr:value = \'198.51.100.7\']","valid_from":"2020-01-01T00:00:00Z",'
           '"x_acme_score": 1.50, "labels": [ "a",   "b" ]}')

    def test_export_round_trip_byte_for_byte(self):
        src = add_collection(self.store, tlp_max="amber+strict")
        dst = add_collection(self.store, tlp_max="amber+strict")
        oid = new_id("indicator")
        versions = [indicator(oid=oid, modified=stamp(60 * i), n=i) for i in range(3)]
        m = malware(created=stamp(1), modified=stamp(1))
        m20 = malware(oid=m["id"], created=stamp(1), modified=stamp(500), v20=True)
        objs = versions + [m, m20, ipv4(), statement_marking(), identity(),
                           indicator(n=5, markings=[TLP2["amber+strict"]])]
        # Odd spacing, key order and escapes must come back unchanged.
        raw_id = new_id("indicator")
        raw = self.RAW % raw_id
        path = self.store.path("raw.json")
        with open(path, "w") as f:
            f.write('{"type": "bundle", "id": "%s", "objects": [%s,\n %s]}' % (
                new_id("bundle"), ",".join(json.dumps(o) for o in objs[:4]),
                ",  ".join([raw] + [json.dumps(o) for o in objs[4:]])))
        rc, out, err = self.store.cli("import", "--collection", src, path)
        self.assertEqual(rc, 0, out + err)
        text, parsed = self.export(src)
        head, _, body = text.partition("\n")
        self.assertRegex(head, r'^\{"type":"bundle","id":"bundle--[0-9a-f-]{36}","objects":\[$')
        texts = [json.dumps(o) for o in objs[:4]] + [raw] + [json.dumps(o) for o in objs[4:]]
        self.assertEqual(body, ",\n".join(texts) + "\n]}\n")
        self.assertEqual(len(parsed["objects"]), len(texts))
        # Into another collection and out again: the same bytes.
        out_file = self.store.path("export.json")
        rc, out, err = self.store.cli("export", "--collection", src, "-o", out_file)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "")
        rc, out, err = self.store.cli("import", "--collection", dst, out_file)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.summary(out, out_file), (len(texts), 0, 0))
        text2, _ = self.export(dst)
        self.assertEqual(text2.partition("\n")[2], body)
        # Importing it again into the first: everything already there.
        rc, out, err = self.store.cli("import", "--collection", src, out_file)
        self.assertEqual(self.summary(out, out_file), (0, len(texts), 0))

    def test_export_filters(self):
        cid = add_collection(self.store)
        first = [indicator(n=1), malware()]
        import_objects(self, self.store, cid, first)
        time.sleep(0.01)
        mark = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        time.sleep(0.01)
        second = [indicator(n=2), identity()]
        import_objects(self, self.store, cid, second)
        _, b = self.export(cid, "--type", "indicator")
        self.assertEqual(b["objects"], [first[0], second[0]])
        _, b = self.export(cid, "--type", "malware,identity")
        self.assertEqual(b["objects"], [first[1], second[1]])
        _, b = self.export(cid, "--added-after", mark)
        self.assertEqual(b["objects"], second)
        _, b = self.export(cid, "--added-after", "2999-01-01T00:00:00Z")
        self.assertEqual(b.get("objects", []), [])
        rc, out, err = self.store.cli("export", "--collection", cid, "--added-after", "yesterday")
        self.assertEqual(rc, 2, err)

    def test_export_output_is_whole_or_absent(self):
        cid = add_collection(self.store)
        objs = [indicator(n=i) for i in range(50)]
        import_objects(self, self.store, cid, objs)
        target = self.store.path("out.json")
        with open(target, "w") as f:
            f.write("old contents")
        ino = os.stat(target).st_ino
        rc, out, err = self.store.cli("export", "--collection", cid, "-o", target)
        self.assertEqual(rc, 0, err)
        with open(target) as f:
            self.assertEqual(json.load(f)["objects"], objs)
        self.assertNotEqual(os.stat(target).st_ino, ino, "written in place, not renamed")
        self.assertFalse(os.path.exists(target + ".tmp"))
        # Failures leave the old file alone and no temporary behind.
        with open(target, "w") as f:
            f.write("old contents")
        rc, out, err = self.store.cli("export", "--collection", uniq("nothere"), "-o", target)
        self.assertEqual(rc, 1, err)
        os.mkdir(target + ".tmp")  # the temporary cannot be made
        rc, out, err = self.store.cli("export", "--collection", cid, "-o", target)
        self.assertEqual(rc, 1, err)
        self.assertIn(target, err)
        os.rmdir(target + ".tmp")
        with open(target) as f:
            self.assertEqual(f.read(), "old contents")
        nowhere = self.store.path("no", "such", "dir.json")
        rc, out, err = self.store.cli("export", "--collection", cid, "-o", nowhere)
        self.assertEqual(rc, 1, err)
        self.assertFalse(os.path.exists(nowhere))


class ValidateTests(ShareCliCase):
    SERVER = False

    def test_validate_shared_examples(self):
        files = sorted(glob.glob(os.path.join(STIX_DATA, "examples", "*.json")))
        files += [f for f in glob.glob(os.path.join(STIX_DATA, "tlp", "*.json"))
                  if "bundle" in os.path.basename(f)]
        if not files:
            self.skipTest("no ../shared/data/stix/examples")
        rc, out, err = run_cli(["validate"] + files)
        self.assertEqual(rc, 0, out + err)
        for f in files:
            self.assertRegex(out, r"(?m)^%s: \d+ objects, 0 with findings$" % re.escape(f))
        self.assertNotIn(": object ", out)
        # Each file alone too...
        cid = add_collection(self.store, tlp_max="amber+strict")
        for f in files:
            with self.subTest(file=os.path.basename(f)):
                rc, out, err = run_cli(["validate", f])
                self.assertEqual(rc, 0, out + err)
                # ...and import, but for TLP:RED, which never enters a
                # collection (interop-objectmarking-test.json has one).
                rc, out, err = self.store.cli("import", "--collection", cid, f)
                refusals = [l for l in out.splitlines() if ": object " in l]
                self.assertTrue(all("TLP:RED" in l for l in refusals), out)
                self.assertEqual(self.summary(out, f)[2], len(refusals))
                self.assertEqual(rc, 1 if refusals else 0, out + err)

    def test_validate_broken_objects(self):
        a = indicator(n=1, created="2020-01-01T00:00:00Z", modified="2020-01-01T00:00:00.000Z")
        b = malware()
        del b["name"]
        c = indicator(n=3, pattern="[ipv4-addr:value = ]")
        d = indicator(n=4, confidence=101)
        d["id"] = new_id("malware")
        e = indicator(n=5, labels=[])
        f = indicator(n=6, valid_until="2019-01-01T00:00:00Z")
        objs = [a, indicator(n=2), b, c, d, e, f]
        path = write_json(self.store, bundle(objs))
        rc, out, err = run_cli(["validate", path])
        self.assertEqual(rc, 1, out + err)
        want = [(0, a, "$.created", "STIX-03"), (2, b, "$", "STIX-05"),
                (3, c, "$.pattern", "STIX-17"), (4, d, "$.id", "STIX-01"),
                (4, d, "$.confidence", "STIX-07"), (5, e, "$.labels", "STIX-08"),
                (6, f, "$.valid_until", "STIX-06")]
        for i, o, where, rule in want:
            with self.subTest(object=i, rule=rule):
                self.assertRegex(out, r"(?m)^%s: object %d \(%s\): %s: %s: \S.*$" % (
                    re.escape(path), i, re.escape(o["id"]), re.escape(where), rule))
        self.assertNotIn("object 1 ", out)
        self.assertIn("%s: 7 objects, 6 with findings" % path, out)
        # A lone broken object, a bad bundle id, not JSON.
        lone = write_json(self.store, d)
        rc, out, err = run_cli(["validate", lone])
        self.assertEqual(rc, 1, out + err)
        self.assertIn("%s: object 0 (%s): $.confidence: STIX-07: " % (lone, d["id"]), out)
        bad_bundle = write_json(self.store, {"type": "bundle", "id": "bundle--1",
                                             "objects": [indicator()]})
        rc, out, err = run_cli(["validate", bad_bundle])
        self.assertEqual(rc, 1, out + err)
        self.assertIn("%s: bundle: $.id: STIX-15: " % bad_bundle, out)
        junk = self.store.path("junk.json")
        with open(junk, "w") as fh:
            fh.write("{nope")
        rc, out, err = run_cli(["validate", junk, path])
        self.assertEqual(rc, 1, out + err)
        self.assertIn(junk, out + err)
        self.assertIn("%s: 7 objects, 6 with findings" % path, out)  # went on
        # validate stores nothing.
        self.assertEqual(self.store.cli("collection", "list", "--format", "json")[1].strip(), "[]")


    def test_validate_bundle_with_empty_objects(self):
        # STIX-15: objects, when present, is a non-empty list.
        empty = write_json(self.store, {"type": "bundle", "id": new_id("bundle"), "objects": []})
        rc, out, err = run_cli(["validate", empty])
        self.assertIn("%s: bundle: $.objects: STIX-15: " % empty, out)
        self.assertEqual(rc, 1, out + err)


class CollectionAddTests(ShareCliCase):
    SERVER = False

    def collections(self):
        rc, out, err = self.store.cli("collection", "list", "--format", "json")
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    def test_collection_add(self):
        rc, out, err = self.store.cli("org", "add", "Partner A", "--kind", "partner")
        self.assertEqual(rc, 0, err)
        rc, out, err = self.store.cli("org", "add", "Const B", "--kind", "constituent")
        alias = uniq("feed")
        rc, out, err = self.store.cli("collection", "add", "--root", "default", "--title",
                                      "Feed", "--description", "Indicators", "--alias", alias,
                                      "--read", "Partner A,Const B", "--write", "Const B",
                                      "--tlp-max", "AMBER")
        self.assertEqual(rc, 0, out + err)
        cid = out.strip()
        self.assertRegex(cid, r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}"
                              r"-[0-9a-f]{12}$")
        c = [x for x in self.collections() if x["id"] == cid][0]
        self.assertEqual((c["root"], c["title"], c["alias"], c["tlp_max"]),
                         ("default", "Feed", alias, "amber"))
        self.assertEqual(sorted((g["org"], g["read"], g["write"]) for g in c["grants"]),
                         [("Const B", True, True), ("Partner A", True, False)])
        e = [x for x in self.audit() if x["action"] == "collection.add"][-1]
        self.assertEqual(e["object"], "collection:" + cid)
        self.assertEqual(e["actor"], ACTOR)
        self.assertEqual(e["detail"]["tlp_max"], "amber")
        # A new root is made on the way, and the default ceiling is green.
        root = uniq("root")
        cid = add_collection(self.store, root=root)
        c = [x for x in self.collections() if x["id"] == cid][0]
        self.assertEqual((c["root"], c["tlp_max"], c["grants"]), (root, "green", []))

    def test_collection_add_errors(self):
        self.store.cli("org", "add", "Partner Z", "--kind", "partner")
        taken = uniq("taken")
        add_collection(self.store, alias=taken)
        base = ["collection", "add", "--root", "default", "--title", "T"]
        cases = [
            (["--alias", "12345678-1234-4234-8234-123456789012"], 1, "UUID"),
            (["--alias", "91A7B528-80EB-42ED-A74D-C6FBD5A26116"], 1, "alias"),
            (["--alias", taken], 1, "alias"),
            (["--alias", "has space"], 1, "alias"),
            (["--read", "No Such Org"], 1, "No Such Org"),
            (["--write", "Partner Z,Ghost Org"], 1, "Ghost Org"),
            (["--read", "CIRT"], 1, "team"),
            (["--read", "Partner Z,,Partner Z"], 2, "empty"),
            (["--tlp-max", "red"], 2, "--tlp-max"),
            (["--tlp-max", "TLP:RED"], 2, "--tlp-max"),
            (["--tlp-max", "purple"], 2, "--tlp-max"),
            (["--tlp-max", ""], 2, "--tlp-max"),
            (["--title", ""], 1, "title"),
        ]
        before = self.collections()
        for extra, code, msg in cases:
            with self.subTest(args=extra):
                rc, out, err = self.store.cli(*(base + extra))
                self.assertEqual(rc, code, out + err)
                self.assertEqual(out, "")
                self.assertIn(msg.lower(), err.lower())
                self.assertEqual(self.collections(), before)
        for args in (["collection", "add", "--title", "T"],
                     ["collection", "add", "--root", "default"],
                     ["collection", "add", "--root", "bad root", "--title", "T"]):
            rc, out, err = self.store.cli(*args)
            self.assertIn(rc, (1, 2), out + err)
            self.assertEqual(self.collections(), before)


class ImportCrashTests(ShareCliCase):
    SERVER = False

    def batches(self, cid, name):
        return [e["detail"]["objects"] for e in self.audit()
                if e["action"] == "objects.import" and e["object"] == "collection:" + cid
                and e["detail"].get("file") == name]

    def wait_batches(self, cid, name, n, proc, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.batches(cid, name)
            if len(got) >= n:
                return got
            if proc.poll() is not None:
                self.fail("import ended early: %r" % (proc.communicate(),))
            time.sleep(0.02)
        self.fail("no %d batches after %d s" % (n, timeout))

    def start_import(self, cid, path, stdin=None):
        return subprocess.Popen([harness.BIN, "import", "--collection", cid,
                                 "--batch", "1000", path]
                                + self.store.args, stdin=stdin or subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=child_env())

    def test_kill9_in_the_middle_of_a_batch(self):
        # 2500 objects of 8 KiB through a pipe that stays open: the
        # importer (--batch 1000) commits what it has read in batches of
        # 1000, then waits
        # for more input with the rest of a batch open when kill -9 comes.
        cid = add_collection(self.store)
        objs = [indicator(n=i, description="x" * 8000) for i in range(2500)]
        proc = self.start_import(cid, "-", stdin=subprocess.PIPE)
        data = ('{"type": "bundle", "id": "%s", "objects": [' % new_id("bundle")).encode()
        data += ",".join(json.dumps(o) for o in objs).encode() + b","
        writer = threading.Thread(target=self.feed, args=(proc.stdin, data), daemon=True)
        writer.start()
        try:
            got = self.wait_batches(cid, "-", 2, proc)
            writer.join(60)
            time.sleep(0.3)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
        self.assertEqual(got[:2], [1000, 1000])
        self.assertStoreGood()
        counts = self.batches(cid, "-")
        self.assertTrue(all(n == 1000 for n in counts), counts)
        stored = self.stored(cid)
        self.assertEqual(len(stored), sum(counts))
        self.assertEqual(stored, [(o["id"], o["modified"]) for o in objs[:len(stored)]])
        self.assertLess(len(stored), len(objs))
        # Importing again takes the rest.
        path = write_json(self.store, bundle(objs))
        rc, out, err = self.store.cli("import", "--collection", cid, path, timeout=120)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.summary(out, path), (len(objs) - len(stored), len(stored), 0))

    @staticmethod
    def feed(pipe, data):
        try:
            pipe.write(data)
            pipe.flush()
        except (BrokenPipeError, ValueError):
            pass

    def test_kill9_during_a_large_import(self):
        cid = add_collection(self.store)
        objs = [indicator(n=i) for i in range(40000)]
        path = write_json(self.store, bundle(objs))
        proc = self.start_import(cid, path)
        try:
            self.wait_batches(cid, path, 1, proc, timeout=120)
            time.sleep(random.uniform(0.0, 0.05))
        finally:
            proc.send_signal(signal.SIGKILL)
            out, err = proc.communicate()
        self.assertNotIn(b"AddressSanitizer", err)
        self.assertStoreGood()
        counts = self.batches(cid, path)
        self.assertGreaterEqual(len(counts), 1)
        self.assertTrue(all(n == 1000 for n in counts[:-1]), counts)
        stored = self.stored(cid)
        # Every batch audited is there, and nothing that was not audited.
        self.assertEqual(len(stored), sum(counts))
        self.assertEqual(stored, [(o["id"], o["modified"]) for o in objs[:len(stored)]])
        if proc.returncode != -signal.SIGKILL:
            self.skipTest("the import ended before the kill (%d objects)" % len(stored))


class ShareAuditTests(ShareCliCase):
    def test_audit_of_import(self):
        cid = add_collection(self.store)
        before = len(self.audit())
        small = write_json(self.store, bundle([indicator(n=i) for i in range(3)]))
        big = write_json(self.store, bundle([indicator(n=i) for i in range(2500)]))
        rc, out, err = self.store.cli("import", "--collection", cid, "--batch", "1000",
                                      small, big)
        self.assertEqual(rc, 0, out + err)
        new = [e for e in self.audit()[before:] if e["action"] == "objects.import"]
        self.assertEqual([(e["detail"]["file"], e["detail"]["objects"]) for e in new],
                         [(small, 3), (big, 1000), (big, 1000), (big, 500)])
        for e in new:
            self.assertEqual(e["object"], "collection:" + cid)
            self.assertEqual(e["actor"], ACTOR)
        # The default batch is 10,000 objects.
        cid2 = add_collection(self.store)
        huge = write_json(self.store, bundle([indicator(n=i) for i in range(10001)]))
        before = len(self.audit())
        rc, out, err = self.store.cli("import", "--collection", cid2, huge, timeout=120)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual([e["detail"]["objects"] for e in self.audit()[before:]
                          if e["action"] == "objects.import"], [10000, 1])
        # Duplicates store nothing: no entry claims they were stored.
        before = len(self.audit())
        rc, out, err = self.store.cli("import", "--collection", cid, small)
        self.assertEqual(sum(e["detail"]["objects"] for e in self.audit()[before:]
                             if e["action"] == "objects.import"), 0)
        self.assertStoreGood()

    def test_audit_of_taxii_post(self):
        cid = add_collection(self.store)
        tx = Tx(self.admin)
        dup = indicator(n=1)
        import_objects(self, self.store, cid, [dup])
        before = self.audit()[-1]["seq"]
        objs = [indicator(n=2), indicator(n=3), dup, indicator(n=4, confidence=200)]
        r = tx.post(tx.coll(cid, "objects"), {"objects": objs})
        self.assertEqual(r.status, 202, r)
        st = r.tj
        new = [e for e in self.audit() if e["seq"] > before]
        self.assertEqual([e["action"] for e in new], ["objects.add"])
        e = new[0]
        self.assertEqual(e["actor"], "admin")
        self.assertEqual(e["addr"], "127.0.0.1")
        self.assertEqual(e["object"], "collection:" + cid)
        self.assertEqual(e["detail"]["status"], st["id"])
        self.assertEqual(e["detail"]["total"], 4)
        self.assertEqual(e["detail"]["refused"], 1)
        # Refused and malformed POSTs leave no entry.
        r = tx.post(tx.coll(cid, "objects"), b'{"objects": [1]}')
        self.assertEqual(r.status, 400, r)
        r = tx.post(tx.coll(cid, "objects"), {"objects": []}, ctype="application/json")
        self.assertEqual(r.status, 415, r)
        self.assertEqual(self.audit()[-1]["seq"], e["seq"])
        self.assertStoreGood()

    def test_audit_of_taxii_post_counts_what_was_stored(self):
        # An objects.add entry says how many objects the POST stored: a
        # version that was already there is a success of the POST (TAXII-10)
        # but nothing was stored, as `import` counts it.
        cid = add_collection(self.store)
        tx = Tx(self.admin)
        dup = indicator(n=1)
        import_objects(self, self.store, cid, [dup])
        r = tx.post(tx.coll(cid, "objects"), {"objects": [indicator(n=2), dup]})
        self.assertEqual(r.status, 202, r)
        self.assertEqual(r.tj["success_count"], 2)
        e = self.audit()[-1]
        self.assertEqual(e["action"], "objects.add")
        self.assertEqual(e["detail"]["stored"], 1, e)
        r = tx.post(tx.coll(cid, "objects"), {"objects": [dup]})
        e = self.audit()[-1]
        self.assertEqual(e["detail"]["stored"], 0, e)
