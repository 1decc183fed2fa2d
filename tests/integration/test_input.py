# SPDX-License-Identifier: Apache-2.0
#
# Bad input through the HTTP API, on every route that takes a body and in
# every text field: malformed JSON, duplicate keys, non-objects, unknown
# fields, wrong types, content types, invalid UTF-8 (raw bytes, lone
# surrogates, \u0000), SQL meta-characters (stored and returned verbatim
# where the field allows them, refused where it does not), bad path
# segments and query parameters, and every length limit just under and just
# over. Each refusal must have the documented status, code, field and a
# message naming the problem, and leave the store unchanged.
import datetime
import json

from harness import PASSWORD, CirtTestCase, q, uniq

SQL_META = [
    "'; DROP TABLE users; --",
    "Robert'); DROP TABLE orgs;--",
    'say "hi" \\ back\\slash',
    "100% sure?",
    "a%_b?c' OR '1'='1",
    "\\'\\\"; SELECT * FROM tokens; --",
]

# (method, path, a valid body) for every route that reads a body.
def body_routes(user):
    return [
        ("POST", "/api/v1/orgs", {"name": uniq("Valid "), "kind": "partner"}),
        ("POST", "/api/v1/users", {"name": uniq("v"), "org": "CIRT", "role": "analyst",
                                   "password": PASSWORD}),
        ("PATCH", "/api/v1/users/" + user, {"role": "admin"}),
        ("POST", "/api/v1/tokens", {"label": "valid"}),
        ("POST", "/api/v1/session", {"user": user, "password": PASSWORD}),
    ]


class InputTests(CirtTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A user to PATCH and to log in as; it is never changed.
        cls.victim = uniq("victim")
        r = cls.admin.post("/api/v1/users", {"name": cls.victim, "org": "CIRT",
                                             "role": "analyst", "password": PASSWORD})
        assert r.status == 201, r

    def bad(self, method, path, body, status, code, field=Ellipsis, message=None,
            **kw):
        """Send it, expect the error, and check nothing changed. The
        snapshot is kept for the next call (a refusal changes nothing);
        tests that change the store on purpose reset self.snap to None."""
        before = self.snap if self.snap is not None else self.snapshot()
        self.snap = None
        r = self.admin.request(method, path, body, **kw)
        self.assertError(r, status, code, field=field, message=message)
        self.snap = self.assertUnchanged(before)
        return r

    def setUp(self):
        self.snap = None

    # ---- JSON itself ----

    def test_malformed_json(self):
        for method, path, _ in body_routes(self.victim):
            for raw in (b'{"name": ', b"{name: 1}", b'{"a": 1,}', b"{'a': 1}",
                        b'{"a": tru}', b'{"a": 1} trailing', b"\xef\xbb\xbf{}",
                        b'{"a": "unterminated}', b"{}{}"):
                with self.subTest(path=path, body=raw):
                    self.bad(method, path, raw, 400, "invalid", field=None,
                             message="malformed JSON")

    def test_duplicate_keys(self):
        for method, path, body in body_routes(self.victim):
            key = next(iter(body))
            text = json.dumps(body)
            raw = ('{"%s": %s, ' % (key, json.dumps(body[key])) + text[1:]).encode()
            with self.subTest(path=path):
                self.bad(method, path, raw, 400, "invalid", field=None,
                         message=["malformed JSON", "duplicate"])

    def test_not_an_object(self):
        for method, path, _ in body_routes(self.victim):
            for raw in (b"[]", b'["name"]', b'"name"', b"42", b"null", b"true"):
                with self.subTest(path=path, body=raw):
                    r = self.bad(method, path, raw, 400, "invalid", field=None)
                    # jansson's own words, or ours for [] and the like
                    self.assertRegex(r.json["error"]["message"],
                                     r"must be a JSON object|'\[' or '\{' expected")

    def test_unknown_field(self):
        for method, path, body in body_routes(self.victim):
            for extra in ("colour", "Name", "id", "is_admin", ""):
                b = dict(body)
                b[extra] = "x"
                with self.subTest(path=path, field=extra):
                    self.bad(method, path, b, 400, "invalid", field=extra or None,
                             message="unknown field '%s'" % extra)

    def test_wrong_types(self):
        cases = [
            ("POST", "/api/v1/orgs", {"kind": "partner"}, "name", "must be a string"),
            ("POST", "/api/v1/orgs", {"name": uniq("T ")}, "kind", "must be a string"),
            ("POST", "/api/v1/users", {"org": "CIRT", "role": "analyst"}, "name",
             "must be a string"),
            ("POST", "/api/v1/users", {"name": uniq("t"), "role": "analyst"}, "org",
             "must be a string"),
            ("POST", "/api/v1/users", {"name": uniq("t"), "org": "CIRT"}, "role",
             "must be a string"),
            ("POST", "/api/v1/users", {"name": uniq("t"), "org": "CIRT", "role": "analyst"},
             "password", "must be a string"),
            ("PATCH", "/api/v1/users/" + self.victim, {}, "role", "must be a string"),
            ("PATCH", "/api/v1/users/" + self.victim, {}, "password", "must be a string"),
            ("PATCH", "/api/v1/users/" + self.victim, {}, "current_password",
             "must be a string"),
            ("POST", "/api/v1/tokens", {}, "user", "must be a string"),
            ("POST", "/api/v1/tokens", {}, "label", "must be a string"),
            ("POST", "/api/v1/session", {"password": PASSWORD}, "user", "must be a string"),
            ("POST", "/api/v1/session", {"user": self.victim}, "password",
             "must be a string"),
        ]
        for method, path, base, field, msg in cases:
            for value in (1, 1.5, True, None, [], ["x"], {}, {"a": "x"}):
                b = dict(base)
                b[field] = value
                with self.subTest(path=path, field=field, value=value):
                    self.bad(method, path, b, 400, "invalid", field=field,
                             message=[field, msg])
        for value in ("true", 1, 0, None, [], {}):
            with self.subTest(field="disabled", value=value):
                self.bad("PATCH", "/api/v1/users/" + self.victim, {"disabled": value},
                         400, "invalid", field="disabled",
                         message=["disabled", "true or false"])
        for value in ("30", 1.5, 30.0, True, None, [], {}):
            with self.subTest(field="expires_days", value=value):
                self.bad("POST", "/api/v1/tokens", {"expires_days": value}, 400,
                         "invalid", field="expires_days",
                         message=["expires_days", "integer"])

    def test_missing_required_fields(self):
        cases = [
            ("POST", "/api/v1/orgs", {"kind": "partner"}, "name"),
            ("POST", "/api/v1/orgs", {"name": uniq("T ")}, "kind"),
            ("POST", "/api/v1/users", {"org": "CIRT", "role": "analyst"}, "name"),
            ("POST", "/api/v1/users", {"name": uniq("t"), "role": "analyst"}, "org"),
            ("POST", "/api/v1/users", {"name": uniq("t"), "org": "CIRT"}, "role"),
            ("POST", "/api/v1/session", {"password": PASSWORD}, "user"),
            ("POST", "/api/v1/session", {"user": self.victim}, "password"),
        ]
        for method, path, body, field in cases:
            with self.subTest(path=path, field=field):
                self.bad(method, path, body, 400, "invalid", field=field,
                         message="%s is required" % field)
        # An empty body counts as {}.
        self.bad("POST", "/api/v1/orgs", b"", 400, "invalid", field="name",
                 message="name is required", content_type=None)

    def test_bad_enumerations(self):
        for kind in ("Partner", "team ", "", "vendor", "'; --"):
            with self.subTest(kind=kind):
                self.bad("POST", "/api/v1/orgs", {"name": uniq("E "), "kind": kind},
                         400, "invalid", field="kind", message="kind must be")
        for role in ("Admin", "root", "", "analyst\n"):
            with self.subTest(role=role):
                self.bad("POST", "/api/v1/users",
                         {"name": uniq("e"), "org": "CIRT", "role": role},
                         400, "invalid", field="role", message="role must be")
                self.bad("PATCH", "/api/v1/users/" + self.victim, {"role": role},
                         400, "invalid", field="role", message="role must be")

    # ---- content type ----

    def test_wrong_content_type_is_415(self):
        for method, path, body in body_routes(self.victim):
            for ctype in ("text/plain", "application/x-www-form-urlencoded",
                          "application/jsonx", "application/json-patch+json",
                          "multipart/form-data; boundary=x", "json"):
                with self.subTest(path=path, content_type=ctype):
                    self.bad(method, path, body, 415, "unsupported_media_type",
                             field=None, message="Content-Type",
                             content_type=ctype)

    def test_missing_content_type_with_a_body_is_415(self):
        for method, path, body in body_routes(self.victim):
            with self.subTest(path=path):
                self.bad(method, path, body, 415, "unsupported_media_type",
                         field=None, message="Content-Type", content_type=None)

    def test_json_content_type_variants_are_accepted(self):
        for ctype in ("application/json", "application/json; charset=utf-8",
                      "Application/JSON", "application/json;charset=UTF-8"):
            with self.subTest(content_type=ctype):
                name = uniq("Ctype ")
                r = self.admin.post("/api/v1/orgs", {"name": name, "kind": "partner"},
                                    content_type=ctype)
                self.assertEqual(r.status, 201, r)
                self.assertEqual(r.json["name"], name)

    # ---- invalid UTF-8, surrogates, NUL: in every text field ----

    TEXT_FIELDS = [
        # (method, path, body, field holding the bad text)
        ("POST", "/api/v1/orgs", {"name": "X", "kind": "partner"}, "name"),
        ("POST", "/api/v1/orgs", {"name": "Y", "kind": "partner"}, "kind"),
        ("POST", "/api/v1/users", {"name": "x", "org": "CIRT", "role": "analyst",
                                   "password": PASSWORD}, "name"),
        ("POST", "/api/v1/users", {"name": "x", "org": "CIRT", "role": "analyst",
                                   "password": PASSWORD}, "org"),
        ("POST", "/api/v1/users", {"name": "x", "org": "CIRT", "role": "analyst",
                                   "password": PASSWORD}, "role"),
        ("POST", "/api/v1/users", {"name": "x", "org": "CIRT", "role": "analyst",
                                   "password": PASSWORD}, "password"),
        ("PATCH", None, {"password": PASSWORD}, "password"),
        ("PATCH", None, {"role": "admin"}, "role"),
        ("POST", "/api/v1/tokens", {"label": "lbl"}, "label"),
        ("POST", "/api/v1/tokens", {"user": "admin"}, "user"),
        ("POST", "/api/v1/session", {"user": "admin", "password": PASSWORD}, "user"),
        ("POST", "/api/v1/session", {"user": "admin", "password": PASSWORD}, "password"),
    ]

    def _with_raw(self, body, field, raw_value):
        """The body as JSON text with field's string replaced by raw bytes
        (already JSON-escaped where wanted)."""
        marker = "@@MARK@@"
        b = dict(body)
        b[field] = marker
        text = json.dumps(b).encode()
        return text.replace(b'"' + marker.encode() + b'"', b'"' + raw_value + b'"')

    def test_invalid_utf8_in_every_text_field(self):
        bad_values = [
            (b"abc\xffdef-long-enough", "decode byte"),
            (b"\xc3\x28 overlong and more", "decode"),
            (b"\xc0\xafslash-overlong-12", "decode"),
            (b"\xed\xa0\x80 encoded surrogate", "decode"),
            (b"\xf4\x90\x80\x80 past U+10FFFF", "decode"),
            (b"truncated \xe2\x82", "decode"),
        ]
        for method, path, body, field in self.TEXT_FIELDS:
            path = path or "/api/v1/users/" + self.victim
            for raw, why in bad_values:
                with self.subTest(path=path, field=field, value=raw):
                    self.bad(method, path, self._with_raw(body, field, raw), 400,
                             "invalid", field=None, message="malformed JSON")

    def test_lone_surrogate_and_nul_escapes(self):
        for method, path, body, field in self.TEXT_FIELDS:
            path = path or "/api/v1/users/" + self.victim
            for esc, why in ((rb"long enough \ud800 here", "\\uD800"),
                             (rb"\udc00 low surrogate alone", "\\uDC00"),
                             (rb"\ud800\u0041 not a pair", "\\uD800"),
                             (rb"nul \u0000 inside it", "\\u0000"),
                             (rb"\u0000", "\\u0000")):
                with self.subTest(path=path, field=field, value=esc):
                    self.bad(method, path, self._with_raw(body, field, esc), 400,
                             "invalid", field=None, message=["malformed JSON", why])

    def test_valid_surrogate_pair_is_text(self):
        name = uniq("Pair ") + " \U0001F600"
        raw = self._with_raw({"name": "x", "kind": "partner"}, "name",
                             json.dumps(name)[1:-1].encode())
        self.assertIn(b"\\ud83d\\ude00", raw)
        r = self.admin.post("/api/v1/orgs", raw)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["name"], name)
        r = self.admin.get("/api/v1/orgs/" + q(name))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["name"], name)

    def test_control_characters_and_edge_whitespace(self):
        for value in ("tab\there", "new\nline", "cr\rhere", "bell\x07", "del\x7fx",
                      "c1\u0085control", " leading", "trailing ", "\u00a0nbsp",
                      "ideo\u3000", "zwsp\u200b"):
            with self.subTest(field="org name", value=value):
                self.bad("POST", "/api/v1/orgs", {"name": value, "kind": "partner"},
                         400, "invalid", field="name", message="name")
            with self.subTest(field="label", value=value):
                self.bad("POST", "/api/v1/tokens", {"label": value}, 400, "invalid",
                         field="label", message="label")
            pw = value + "-padding-to-length"
            if value.endswith(" ") or value.endswith("\u3000") or value.endswith("\u200b"):
                pw = "padding-to-length-" + value
            with self.subTest(field="password", value=pw):
                self.bad("POST", "/api/v1/users",
                         {"name": uniq("cc"), "org": "CIRT", "role": "analyst",
                          "password": pw},
                         400, "invalid", field="password", message="password")
        self.bad("POST", "/api/v1/orgs", {"name": "", "kind": "partner"}, 400,
                 "invalid", field="name", message="name must be 1 to 128 bytes")

    # ---- SQL meta-characters ----

    def test_sql_meta_in_org_name_stored_verbatim(self):
        for text in SQL_META:
            name = text + " " + uniq("o")
            with self.subTest(name=name):
                before = self.snapshot()
                r = self.admin.post("/api/v1/orgs", {"name": name, "kind": "constituent"})
                self.assertEqual(r.status, 201, r)
                self.assertEqual(r.json["name"], name)
                r = self.admin.get("/api/v1/orgs/" + q(name))
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json["name"], name)
                after = self.snapshot()
                self.assertEqual(after["orgs"][:-1], before["orgs"])
                self.assertEqual(after["orgs"][-1]["name"], name)
                self.assertEqual(after["users"], before["users"])
                self.assertEqual(len(after["audit"]), len(before["audit"]) + 1)
                self.assertEqual(after["audit"][-1]["object"], "org:" + name)
                # and it filters users by that name
                r = self.admin.get("/api/v1/users", query={"org": name})
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json["items"], [])

    def test_sql_meta_in_user_name_refused(self):
        for text in SQL_META + ["bob' --", "a%", "a?", "a\\b", "Admin", "bob smith",
                                ".dot", "-dash", "@at", "_under"]:
            with self.subTest(name=text):
                self.bad("POST", "/api/v1/users",
                         {"name": text, "org": "CIRT", "role": "analyst",
                          "password": PASSWORD},
                         400, "invalid", field="name", message="name")

    def test_sql_meta_in_password_works_verbatim(self):
        for text in SQL_META[:3] + ["%?%?%?%?%?%?", "\\\\\\\\\\\\\\\\''''"]:
            pw = text if len(text.encode()) >= 12 else text + "-padding!"
            with self.subTest(password=pw):
                name = uniq("pw")
                r = self.admin.post("/api/v1/users", {"name": name, "org": "CIRT",
                                                      "role": "analyst", "password": pw})
                self.assertEqual(r.status, 201, r)
                self.assertNotIn("password", r.json)
                c = self.server.client(basic=(name, pw))
                r = c.get("/api/v1/whoami")
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json["user"], name)
                self.assertEqual(r.json["auth"], "password")
                r = self.server.client(basic=(name, pw + "x")).get("/api/v1/whoami")
                self.assertError(r, 401, "unauthorized")
        # a wrong password made of SQL changes nothing
        before = self.snapshot()
        r = self.anon.post("/api/v1/session", {"user": "admin",
                                               "password": "' OR '1'='1' --"})
        self.assertError(r, 401, "unauthorized", message="wrong user name or password")
        r = self.anon.post("/api/v1/session", {"user": "admin' --",
                                               "password": "whatever-long"})
        self.assertError(r, 401, "unauthorized", message="wrong user name or password")
        self.assertUnchanged(before)

    def test_sql_meta_in_token_label_stored_verbatim(self):
        for text in SQL_META:
            with self.subTest(label=text):
                r = self.admin.post("/api/v1/tokens", {"label": text, "expires_days": 1})
                self.assertEqual(r.status, 201, r)
                self.assertEqual(r.json["label"], text)
                r = self.admin.get("/api/v1/tokens/%d" % r.json["id"])
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.json["label"], text)
                self.assertNotIn("token", r.json)
        labels = [t["label"] for t in self.admin.list_all("/api/v1/tokens")]
        for text in SQL_META:
            self.assertIn(text, labels)
        audit = self.admin.list_all("/api/v1/audit")
        self.assertEqual(audit[-1]["detail"]["label"], SQL_META[-1])

    def test_sql_meta_in_path_segments(self):
        for text in SQL_META + ["..", "%", "?", "#", "/"]:
            with self.subTest(segment=text):
                self.bad("GET", "/api/v1/orgs/" + q(text), None, 404, "not_found",
                         field="org", message="no organisation named '%s'" % text)
                self.bad("GET", "/api/v1/users/" + q(text), None, 404, "not_found",
                         field="user", message="no user named")
                self.bad("PATCH", "/api/v1/users/" + q(text), {"disabled": True}, 404,
                         "not_found", field="user", message="no user named")
                self.bad("GET", "/api/v1/tokens/" + q(text), None, 404, "not_found",
                         field="id")
                self.bad("DELETE", "/api/v1/tokens/" + q(text), None, 404, "not_found",
                         field="id")
        for seg in ("1 OR 1=1", "1;DELETE FROM tokens", "0x1", "-1", "0", "1.0",
                    "99999999999999999999999"):
            with self.subTest(token_id=seg):
                self.bad("DELETE", "/api/v1/tokens/" + q(seg), None, 404, "not_found",
                         field="id")

    def test_sql_meta_in_query_parameters(self):
        for text in SQL_META:
            with self.subTest(value=text):
                self.bad("GET", "/api/v1/users?org=" + q(text), None, 404, "not_found",
                         field="org", message="no organisation")
                self.bad("GET", "/api/v1/tokens?user=" + q(text), None, 404,
                         "not_found", field="user", message="no user")
                self.bad("GET", "/api/v1/orgs?kind=" + q(text), None, 400, "invalid",
                         field="kind")
                self.bad("GET", "/api/v1/users?role=" + q(text), None, 400, "invalid",
                         field="role")
                self.bad("GET", "/api/v1/audit?cursor=" + q(text), None, 400,
                         "invalid", field="cursor", message="cursor")
                self.bad("GET", "/api/v1/orgs?limit=" + q(text), None, 400, "invalid",
                         field="limit", message="limit")

    def test_invalid_utf8_in_path_and_query(self):
        for seg in ("%FF", "abc%C3%28", "%ED%A0%80", "%C0%AF", "%F4%90%80%80",
                    "nul%00byte"):
            for path in ("/api/v1/orgs/", "/api/v1/users/", "/api/v1/tokens/"):
                with self.subTest(path=path + seg):
                    self.bad("GET", path + seg, None, 400, "invalid", field="path",
                             message="UTF-8")
            with self.subTest(query=seg):
                self.bad("GET", "/api/v1/users?org=" + seg, None, 400, "invalid",
                         field="org", message="UTF-8")
                self.bad("GET", "/api/v1/orgs?" + seg + "=1", None, 400, "invalid",
                         message="UTF-8")
        self.bad("PATCH", "/api/v1/users/%FF", {"disabled": True}, 400, "invalid",
                 field="path", message="UTF-8")

    # ---- length limits ----

    def test_org_name_length(self):
        for name, ok in [("a" * 128, True), ("b" * 129, False),
                         ("\u00e9" * 64, True), ("\u00e8" * 64 + "x", False),
                         ("\u20ac" * 42 + "ab", True), ("\u20ac" * 43, False),
                         ("\U0001F600" * 32, True), ("\U0001F601" * 32 + "z", False),
                         ("\u00e0" * 63 + "xyz", False), ("c", True)]:
            n = len(name.encode())
            with self.subTest(bytes=n, chars=len(name)):
                if ok:
                    r = self.admin.post("/api/v1/orgs", {"name": name, "kind": "partner"})
                    self.assertEqual(r.status, 201, r)
                    self.snap = None
                    self.assertEqual(r.json["name"], name)
                    r = self.admin.get("/api/v1/orgs/" + q(name))
                    self.assertEqual(r.status, 200, r)
                    self.assertEqual(r.json["name"], name)
                else:
                    self.bad("POST", "/api/v1/orgs", {"name": name, "kind": "partner"},
                             400, "invalid", field="name",
                             message=["name", "128", str(n)])

    def test_user_name_length(self):
        base = uniq("n").replace("-", "")
        long64 = (base + "x" * 64)[:64]
        r = self.admin.post("/api/v1/users", {"name": long64, "org": "CIRT",
                                              "role": "analyst"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["name"], long64)
        self.assertEqual(len(r.json["password"]), 20)
        r = self.admin.get("/api/v1/users/" + long64)
        self.assertEqual(r.status, 200, r)
        self.bad("POST", "/api/v1/users", {"name": (base + "y" * 65)[:65], "org": "CIRT",
                                           "role": "analyst"},
                 400, "invalid", field="name", message=["name", "64"])
        self.bad("POST", "/api/v1/users", {"name": "", "org": "CIRT", "role": "analyst"},
                 400, "invalid", field="name", message="name")
        # multi-byte characters are never allowed in a user name
        self.bad("POST", "/api/v1/users", {"name": "jos\u00e9", "org": "CIRT",
                                           "role": "analyst"},
                 400, "invalid", field="name", message="name")

    def test_token_label_length(self):
        for label, ok in [("l" * 128, True), ("m" * 129, False), ("\u00e9" * 64, True),
                          ("\u00e9" * 64 + "x", False), ("", True)]:
            with self.subTest(bytes=len(label.encode())):
                if ok:
                    r = self.admin.post("/api/v1/tokens", {"label": label})
                    self.assertEqual(r.status, 201, r)
                    self.snap = None
                    self.assertEqual(r.json["label"], label)
                else:
                    self.bad("POST", "/api/v1/tokens", {"label": label}, 400, "invalid",
                             field="label", message=["label", "128"])

    def test_password_length(self):
        for pw, ok in [("p" * 12, True), ("q" * 11, False), ("r" * 1024, True),
                       ("s" * 1025, False), ("\u00e9" * 6, True), ("\u00e9" * 5 + "x", False),
                       ("\u00e9" * 512, True), ("\u00e9" * 512 + "x", False), ("", False)]:
            n = len(pw.encode())
            with self.subTest(bytes=n):
                name = uniq("len")
                body = {"name": name, "org": "CIRT", "role": "analyst", "password": pw}
                if ok:
                    r = self.admin.post("/api/v1/users", body)
                    self.assertEqual(r.status, 201, r)
                    self.snap = None
                    r = self.server.client(basic=(name, pw)).get("/api/v1/whoami")
                    self.assertEqual(r.status, 200, r)
                else:
                    self.bad("POST", "/api/v1/users", body, 400, "invalid",
                             field="password", message=["password", "12", "1024"])
                    self.bad("PATCH", "/api/v1/users/" + self.victim, {"password": pw},
                             400, "invalid", field="password",
                             message=["password", "12", "1024"])

    def test_limit_parameter(self):
        for path in ("/api/v1/orgs", "/api/v1/users", "/api/v1/tokens", "/api/v1/audit"):
            with self.subTest(path=path):
                r = self.admin.get(path + "?limit=1000")
                self.assertEqual(r.status, 200, r)
                r = self.admin.get(path + "?limit=1")
                self.assertEqual(r.status, 200, r)
                self.assertEqual(len(r.json["items"]), 1)
                for bad in ("1001", "0", "-1", "abc", "", "1e3", " 5", "10000000000000000000000"):
                    self.bad("GET", path + "?limit=" + q(bad), None, 400, "invalid",
                             field="limit", message=["limit", "1", "1000"])

    def test_expires_days(self):
        r = self.admin.post("/api/v1/tokens", {"expires_days": 3650})
        self.assertEqual(r.status, 201, r)
        fmt = "%Y-%m-%dT%H:%M:%S.%fZ"
        d = (datetime.datetime.strptime(r.json["expires_at"], fmt)
             - datetime.datetime.strptime(r.json["created_at"], fmt))
        self.assertAlmostEqual(d.total_seconds(), 3650 * 86400, delta=5)
        r = self.admin.post("/api/v1/tokens", {"expires_days": 0})
        self.assertEqual(r.status, 201, r)
        self.assertIsNone(r.json["expires_at"])
        self.snap = None
        for bad in (3651, -1, 2 ** 40, -(2 ** 63)):
            with self.subTest(expires_days=bad):
                self.bad("POST", "/api/v1/tokens", {"expires_days": bad}, 400, "invalid",
                         field="expires_days", message=["expires_days", "3650"])
        self.bad("POST", "/api/v1/tokens", b'{"expires_days": 1e400}', 400, "invalid")
        self.bad("POST", "/api/v1/tokens", b'{"expires_days": 99999999999999999999999}',
                 400, "invalid")

    def test_long_multibyte_text_in_error_messages(self):
        # Messages quote what was sent; a long quote must still leave a
        # message that names the problem (and the field), whatever the
        # length and however the cut falls between the bytes of a character.
        for n in (100, 101, 1000, 1001):
            with self.subTest(n=n, where="user path"):
                self.bad("GET", "/api/v1/users/" + q("x" + "\u00e9" * n), None, 404,
                         "not_found", field="user", message="no user named")
            with self.subTest(n=n, where="org path"):
                self.bad("GET", "/api/v1/orgs/" + q("x" + "\u00e9" * n), None, 404,
                         "not_found", field="org", message="no organisation named")
            with self.subTest(n=n, where="org query"):
                self.bad("GET", "/api/v1/users", None, 404, "not_found", field="org",
                         message="no organisation named",
                         query={"org": "y" + "\u00e9" * n})
            with self.subTest(n=n, where="unknown field"):
                key = "z" + "\u00e9" * n
                r = self.bad("POST", "/api/v1/orgs", {"name": "X", "kind": "partner",
                                                      key: 1},
                             400, "invalid", message="unknown field")
                self.assertTrue(key.startswith(r.json["error"]["field"] or "?"), r)
            with self.subTest(n=n, where="unknown query parameter"):
                self.bad("GET", "/api/v1/orgs?" + q("k" + "\u00e9" * n) + "=1", None, 400,
                         "invalid", message="unknown query parameter")
