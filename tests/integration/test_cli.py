# SPDX-License-Identifier: Apache-2.0
#
# The command line: --help of every command (exit 0, usage on stdout),
# usage errors (exit 2, reason and usage on stderr), failures (exit 1,
# "cirtkit: ..." on stderr, store unchanged), `init` idempotence,
# configuration precedence (default < file < environment < flag) for
# `team` and `listen`, configuration errors naming file:line, `check` and
# `audit verify` on a good store, data alone on stdout (tokens, passwords),
# and bad text in every argument: invalid UTF-8, SQL meta-characters and
# every length limit just under and just over.
import json
import os
import pwd
import re

import harness
from harness import PASSWORD, CirtTestCase, Server, Store, run_cli, uniq

COMMANDS = [
    ["init"], ["serve"], ["org", "add"], ["org", "list"], ["user", "add"],
    ["user", "list"], ["user", "disable"], ["user", "enable"], ["user", "password"],
    ["token", "create"], ["token", "revoke"], ["token", "list"], ["audit", "verify"],
    ["audit", "list"], ["check"], ["version"],
]

ACTOR = "cli:" + pwd.getpwuid(os.geteuid()).pw_name


class CliTests(CirtTestCase):
    SERVER = False

    def cli(self, *args, **kw):
        return self.store.cli(*args, **kw)

    def state(self):
        """Everything in the store, through the CLI."""
        out = {}
        for what in (("audit", "list"), ("org", "list"), ("user", "list"),
                     ("token", "list")):
            rc, text, err = self.cli(*what, "--format", "json")
            self.assertEqual(rc, 0, err)
            out[what[0]] = json.loads(text)
        return out

    def setUp(self):
        self.seq = None  # the audit log's last entry, once known

    def last_seq(self):
        rc, out, err = self.cli("audit", "list", "--format", "json")
        self.assertEqual(rc, 0, err)
        entries = json.loads(out)
        return entries[-1]["seq"] if entries else 0

    def fails(self, args, message=None, code=1, input=None, env=None, audit=True):
        """args fail with exit code, "cirtkit: " and message on stderr,
        nothing on stdout, and no new audit entry. (Tests made only of
        failures also compare the whole state before and after.)
        Commands that change the store on purpose reset self.seq."""
        if self.seq is None:
            self.seq = self.last_seq()
        rc, out, err = self.cli(*args, input=input, env=env)
        self.assertEqual(rc, code, "%r: %s%s" % (args, out, err))
        self.assertTrue(err.startswith("cirtkit: "), err)
        self.assertEqual(out, "", args)
        if message is not None:
            for m in ([message] if isinstance(message, str) else message):
                self.assertIn(m.lower(), err.lower(), args)
        if code == 2:
            self.assertIn("usage: cirtkit", err)
        if audit:
            rc, out, _ = self.cli("audit", "list", "--after", str(self.seq),
                                  "--format", "json")
            self.assertEqual(json.loads(out), [], "%r left audit entries" % (args,))
        return err

    # ---- help and usage ----

    def test_help_of_every_command(self):
        for cmd in COMMANDS:
            with self.subTest(cmd=cmd):
                rc, out, err = run_cli(cmd + ["--help"])
                self.assertEqual(rc, 0, err)
                self.assertTrue(out.startswith("usage: cirtkit " + " ".join(cmd)), out)
                self.assertEqual(err, "")
        for args in (["help"], ["--help"], ["-h"], ["org", "--help"], ["user", "help"],
                     ["token", "-h"], ["audit", "--help"]):
            with self.subTest(args=args):
                rc, out, err = run_cli(args)
                self.assertEqual(rc, 0, err)
                self.assertIn("usage: cirtkit", out)
                self.assertEqual(err, "")
        rc, out, err = run_cli(["help"])
        for cmd in COMMANDS:
            self.assertIn(" ".join(cmd), out)

    def test_version(self):
        rc, out, err = run_cli(["version"])
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"^cirtkit \d+\.\d+\.\d+ \(schema [1-9]\d*\)\n")
        rc, out2, err = run_cli(["--version"])
        self.assertEqual((rc, out2), (0, out))

    def test_usage_errors_exit_2(self):
        cases = [
            [], ["frobnicate"], ["org"], ["org", "frob"], ["org", "add"],
            ["org", "add", "X"], ["org", "add", "X", "--kind"],
            ["org", "add", "X", "--kind", "galaxy"], ["org", "add", "X", "Y", "--kind", "partner"],
            ["org", "list", "--bogus"], ["org", "list", "--format", "xml"],
            ["org", "list", "--kind", "vendor"], ["org", "list", "-z"],
            ["user", "add", "x"], ["user", "add", "x", "--org", "CIRT"],
            ["user", "add", "x", "--org", "CIRT", "--role", "boss"],
            ["user", "add", "--org", "CIRT", "--role", "analyst"],
            ["user", "list", "extra"], ["user", "disable"], ["user", "disable", "a", "b"],
            ["user", "enable"], ["user", "password"], ["user", "password", "a", "--bogus"],
            ["token", "create"], ["token", "create", "admin", "--expires-days", "3651"],
            ["token", "create", "admin", "--expires-days", "-1"],
            ["token", "create", "admin", "--expires-days", "ten"],
            ["token", "create", "admin", "--label"],
            ["token", "revoke"], ["token", "revoke", "abc"], ["token", "revoke", "0"],
            ["token", "list", "--format", "csv"], ["audit", "list", "--limit", "x"],
            ["audit", "list", "--after", "-3"], ["audit", "verify", "now"],
            ["check", "extra"], ["init", "extra"], ["init", "--team"], ["serve", "extra"],
            ["serve", "--bogus"], ["version", "extra"], ["check", "--data"],
        ]
        before = self.state()
        for args in cases:
            with self.subTest(args=args):
                self.fails(args, code=2, audit=False)
        self.assertEqual(self.state(), before)

    def test_failures_exit_1(self):
        rc, tok, err = self.cli("token", "create", "admin")
        tid = re.search(r"token (\d+)", err).group(1)
        self.assertEqual(self.cli("token", "revoke", tid)[0], 0)
        ghost = uniq("ghost")
        cases = [
            (["org", "add", "CIRT", "--kind", "partner"], "already exists"),
            (["org", "add", uniq("T"), "--kind", "team"], "team"),
            (["user", "add", uniq("x"), "--org", "Nowhere", "--role", "analyst"],
             "no organisation"),
            (["user", "add", "admin", "--org", "CIRT", "--role", "admin"], "admin"),
            (["user", "add", uniq("x"), "--org", "CIRT", "--role", "partner"], "role"),
            (["user", "disable", ghost], ghost),
            (["user", "enable", ghost], ghost),
            (["user", "password", ghost], ghost),
            (["token", "create", ghost], ghost),
            (["token", "revoke", "987654"], "987654"),
            (["token", "revoke", tid], "already revoked"),
            (["token", "list", "--user", ghost], ghost),
            (["user", "list", "--org", "Nowhere " + ghost], "no organisation"),
        ]
        before = self.state()
        for args, msg in cases:
            with self.subTest(args=args):
                self.fails(args, msg)
        with self.subTest("empty stdin"):
            self.fails(["user", "add", uniq("x"), "--org", "CIRT", "--role", "analyst",
                        "--password-stdin"], "password", input=b"")
        self.assertEqual(self.state(), before)

    def test_no_store(self):
        missing = self.store.path("missing", "data")
        for args in (["org", "list"], ["check"], ["audit", "verify"],
                     ["token", "create", "admin"]):
            with self.subTest(args=args, store="missing sqlite"):
                rc, out, err = run_cli(args + ["--data", missing])
                self.assertEqual(rc, 1, err)
                self.assertTrue(err.startswith("cirtkit: "), err)
                self.assertFalse(os.path.exists(missing))
            with self.subTest(args=args, store="unreachable PostgreSQL"):
                rc, out, err = run_cli(args + ["--db", "host=%s port=1 user=cirt "
                                               "dbname=postgres connect_timeout=2"
                                               % self.store.path("nosock")])
                self.assertEqual(rc, 1, err)
                self.assertTrue(err.startswith("cirtkit: "), err)
        # a store that exists but was never initialised
        empty = Store()
        self.addCleanup(empty.close)
        if empty.data:
            os.makedirs(empty.data)
            open(os.path.join(empty.data, "cirtkit.db"), "wb").close()
        rc, out, err = empty.cli("org", "list")
        self.assertEqual(rc, 1, err)
        self.assertTrue(err.startswith("cirtkit: "), err)
        rc, out, err = empty.cli("serve", "--listen", "127.0.0.1:0")
        self.assertEqual(rc, 1, err)
        self.assertTrue(err.startswith("cirtkit: ") or "cirtkit: " in err, err)

    # ---- init ----

    def test_init_is_idempotent(self):
        before = self.state()
        for _ in range(2):
            rc, out, err = self.cli("init")
            self.assertEqual(rc, 0, err)
            self.assertNotIn("created", out)
            self.assertNotIn("password", out)
            self.assertIn("up to date", out)
            self.assertIn("team:    CIRT", out)
            self.assertEqual(self.state(), before)
        rc, out, err = self.cli("check")
        self.assertEqual(rc, 0, out + err)

    def test_init_output(self):
        st = Store()
        self.addCleanup(st.close)
        rc, out, err = st.cli("init")
        self.assertEqual(rc, 0, err)
        self.assertIn("created organisation 'CIRT'", out)
        lines = out.splitlines()
        i = [n for n, l in enumerate(lines) if "its password is shown only now:" in l][0]
        pw = lines[i + 1]
        self.assertRegex(pw, r"^\S{12,}$")
        self.assertEqual(len(lines), i + 2)
        if st.data:
            self.assertEqual(os.stat(st.data).st_mode & 0o777, 0o700)
        rc, out, err = st.cli("audit", "list", "--format", "json")
        entries = json.loads(out)
        self.assertEqual([e["action"] for e in entries],
                         ["org.add", "root.add", "playbook.seed", "user.add"])
        self.assertEqual({e["actor"] for e in entries}, {ACTOR})
        self.assertEqual({e["addr"] for e in entries}, {"local"})
        self.assertNotIn(pw, out)
        rc, out, err = st.cli("user", "list", "--format", "json")
        self.assertEqual([u["name"] for u in json.loads(out)], ["admin"])

    # ---- configuration ----

    def write(self, name, text):
        path = self.store.path(name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def team_of(self, store):
        rc, out, err = store.cli("org", "list", "--kind", "team", "--format", "json")
        self.assertEqual(rc, 0, err)
        return [o["name"] for o in json.loads(out)]

    def test_team_precedence(self):
        conf = self.write("team.conf", "# a comment\n\n  team = \"File Team\"  \n")
        cases = [
            ([], {}, "CIRT"),
            (["--config", conf], {}, "File Team"),
            ([], {"CIRTKIT_CONFIG": conf}, "File Team"),
            (["--config", conf], {"CIRTKIT_TEAM": "Env Team"}, "Env Team"),
            (["--config", conf, "--team", "Flag Team"], {"CIRTKIT_TEAM": "Env Team"},
             "Flag Team"),
            (["--team", "Flag Team"], {"CIRTKIT_TEAM": "Env Team"}, "Flag Team"),
        ]
        for args, env, want in cases:
            with self.subTest(args=args, env=env):
                st = Store()
                try:
                    pw = st.init(*args, env=env)
                    self.assertIsNotNone(pw)
                    self.assertEqual(self.team_of(st), [want])
                    rc, out, err = st.cli("user", "list", "--format", "json")
                    self.assertEqual(json.loads(out)[0]["org"], want)
                finally:
                    st.close()

    def test_listen_precedence(self):
        conf = self.write("listen.conf", "listen = 127.0.0.2:0\n")
        cases = [
            ([], {}, ["--config", conf], "127.0.0.2"),
            ([], {"CIRTKIT_LISTEN": "127.0.0.3:0"}, ["--config", conf], "127.0.0.3"),
            (["--listen", "127.0.0.1:0"], {"CIRTKIT_LISTEN": "127.0.0.3:0"},
             ["--config", conf], "127.0.0.1"),
            (["--listen", "127.0.0.4:0"], {}, [], "127.0.0.4"),
        ]
        for flag, env, conf_args, host in cases:
            with self.subTest(flag=flag, env=env, conf=conf_args):
                srv = Server(self.store, env=env, args=flag + conf_args, listen=None)
                srv.start()
                try:
                    m = re.search(r"listening on http://(\S+):(\d+)", srv.stderr())
                    self.assertEqual(m.group(1), host)
                    r = srv.client()
                    r.host = host
                    self.assertEqual(r.get("/healthz").status, 200)
                finally:
                    srv.stop()

    def test_config_errors_name_file_and_line(self):
        cases = [
            ("# ok\ndata = /tmp/x\ncolour = blue\n", 3, ["unknown configuration key", "colour"]),
            ("threads = lots\n", 1, ["threads"]),
            ("\n\nmax_body = 5t\n", 3, ["max_body"]),
            ("max_body = 512\n", 1, ["max_body"]),
            ("insecure_http = maybe\n", 1, ["insecure_http", "true or false"]),
            ("session_hours = 0\n", 1, ["session_hours"]),
            ("token_days = 3651\n", 1, ["token_days"]),
            ("log_level = loud\n", 1, ["log_level"]),
            ("team = x\njust some words\n", 2, ["key = value"]),
        ]
        before = self.state()
        for i, (text, line, msgs) in enumerate(cases):
            path = self.write("bad%d.conf" % i, text)
            for cmd in (["org", "list"], ["init"], ["org", "add", "X", "--kind", "partner"]):
                with self.subTest(config=text, cmd=cmd):
                    self.fails(cmd + ["--config", path], ["%s:%d" % (path, line)] + msgs,
                               audit=False)
            with self.subTest(config=text, via="CIRTKIT_CONFIG"):
                self.fails(["org", "list"], "%s:%d" % (path, line),
                           env={"CIRTKIT_CONFIG": path}, audit=False)
        self.fails(["org", "list", "--config", self.store.path("nope.conf")],
                   "nope.conf", audit=False)
        self.assertEqual(self.state(), before)

    def test_bad_environment_values(self):
        for var, value in (("CIRTKIT_THREADS", "-1"), ("CIRTKIT_TOKEN_DAYS", "3651"),
                           ("CIRTKIT_MAX_BODY", "1"), ("CIRTKIT_INSECURE_HTTP", "sure"),
                           ("CIRTKIT_SESSION_HOURS", "721"), ("CIRTKIT_LOG_LEVEL", "x")):
            with self.subTest(var=var):
                self.fails(["org", "add", uniq("Env"), "--kind", "partner"], var,
                           env={var: value})

    def test_env_data_and_flag(self):
        if not self.store.data:
            self.skipTest("data directories are for SQLite")
        other = Store()
        self.addCleanup(other.close)
        other.init("--team", "Other Team")
        # env names the other store; the flag (last) names ours
        rc, out, err = run_cli(["org", "list", "--kind", "team", "--format", "json"],
                               env={"CIRTKIT_DATA": other.data})
        self.assertEqual([o["name"] for o in json.loads(out)], ["Other Team"])
        rc, out, err = run_cli(["org", "list", "--kind", "team", "--format", "json",
                                "--data", self.store.data], env={"CIRTKIT_DATA": other.data})
        self.assertEqual([o["name"] for o in json.loads(out)], ["CIRT"])
        conf = self.write("data.conf", "data = %s\n" % other.data)
        rc, out, err = run_cli(["org", "list", "--kind", "team", "--format", "json",
                                "--config", conf])
        self.assertEqual([o["name"] for o in json.loads(out)], ["Other Team"])
        rc, out, err = run_cli(["org", "list", "--kind", "team", "--format", "json",
                                "--config", conf], env={"CIRTKIT_DATA": self.store.data})
        self.assertEqual([o["name"] for o in json.loads(out)], ["CIRT"])

    # ---- good store ----

    def test_check_and_verify(self):
        rc, out, err = self.cli("check")
        self.assertEqual(rc, 0, out + err)
        self.assertIn("consistent", out)
        self.assertIn("schema:  version %d" % harness.schema_version(), out)
        self.assertRegex(out, r"audit:\s+intact")
        rc, out, err = self.cli("audit", "verify")
        self.assertEqual(rc, 0, out + err)
        self.assertRegex(out, r"intact, \d+ entries, head [0-9a-f]{64}")

    # ---- data on stdout ----

    def test_token_create_prints_token_alone(self):
        rc, out, err = self.cli("token", "create", "admin", "--label", "for a script")
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"\Acirt_[0-9a-f]{64}\n\Z")
        m = re.search(r"token (\d+) for 'admin'", err)
        self.assertIsNotNone(m, err)
        rc, text, _ = self.cli("token", "list", "--user", "admin", "--format", "json")
        tokens = {t["id"]: t for t in json.loads(text)}
        t = tokens[int(m.group(1))]
        self.assertEqual(t["label"], "for a script")
        self.assertIsNotNone(t["expires_at"])
        self.assertNotIn(out.strip(), text)
        rc, out, err = self.cli("token", "create", "admin", "--expires-days", "0")
        self.assertEqual(rc, 0, err)
        self.assertIn("never", err)
        rc, out, err = self.cli("token", "create", "admin", "--expires-days", "3650")
        self.assertEqual(rc, 0, err)

    def test_token_revoke_and_list(self):
        rc, out, err = self.cli("token", "create", "admin")
        tid = re.search(r"token (\d+)", err).group(1)
        rc, out, err = self.cli("token", "revoke", tid)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "")
        rc, out, err = self.cli("token", "list", "--format", "json")
        t = [x for x in json.loads(out) if x["id"] == int(tid)][0]
        self.assertIsNotNone(t["revoked_at"])
        rc, out, err = self.cli("token", "list")
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith("ID "), out)

    def test_user_add_and_password_print_password_alone(self):
        name = uniq("cli")
        rc, out, err = self.cli("user", "add", name, "--org", "CIRT", "--role", "analyst")
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"\A\S{12,}\n\Z")
        self.assertIn(name, err)
        rc, out2, err = self.cli("user", "password", name)
        self.assertEqual(rc, 0, err)
        self.assertRegex(out2, r"\A\S{12,}\n\Z")
        self.assertNotEqual(out, out2)
        # --password-stdin takes the first line only, prints nothing
        rc, out, err = self.cli("user", "password", name, "--password-stdin",
                                input="first line password\nsecond line\n")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "")
        rc, out, err = self.cli("user", "add", uniq("cli"), "--org", "CIRT", "--role",
                                "admin", "--password-stdin", input=PASSWORD + "\r\n")
        self.assertEqual((rc, out), (0, ""), err)

    def test_lists(self):
        for what in ("org", "user", "token", "audit"):
            with self.subTest(what=what):
                rc, out, err = self.cli(what, "list")
                self.assertEqual(rc, 0, err)
                self.assertTrue(out.startswith("ID ") or out.startswith("SEQ "), out)
                rc, out, err = self.cli(what, "list", "--format", "json")
                self.assertEqual(rc, 0, err)
                self.assertIsInstance(json.loads(out), list)
        rc, out, err = self.cli("user", "list", "--org", "CIRT", "--format", "json")
        self.assertTrue(all(u["org"] == "CIRT" for u in json.loads(out)))

    def test_audit_list_options(self):
        for _ in range(3):
            self.cli("token", "create", "admin")
        rc, out, err = self.cli("audit", "list", "--format", "json")
        full = json.loads(out)
        self.assertGreaterEqual(len(full), 5)
        self.assertEqual([e["seq"] for e in full], list(range(1, len(full) + 1)))
        for e in full:
            self.assertEqual(set(e), {"seq", "time", "actor", "addr", "action", "object",
                                      "detail", "hash"})
        rc, out, err = self.cli("audit", "list", "--limit", "2", "--format", "json")
        self.assertEqual(json.loads(out), full[:2])
        rc, out, err = self.cli("audit", "list", "--after", "2", "--limit", "2",
                                "--format", "json")
        self.assertEqual(json.loads(out), full[2:4])
        rc, out, err = self.cli("audit", "list", "--after", str(len(full)), "--format", "json")
        self.assertEqual(json.loads(out), [])
        rc, out, err = self.cli("audit", "list", "--limit", "0", "--format", "json")
        self.assertEqual(json.loads(out), [])

    # ---- bad text in arguments ----

    def test_invalid_utf8_arguments(self):
        before = self.state()
        for raw in (b"\xff", b"abc\xfe", b"\xc3\x28", b"\xc0\xaf", b"\xf4\x90\x80\x80"):
            with self.subTest(field="org name", value=raw):
                self.fails([b"org", b"add", raw, b"--kind", b"partner"], ["name", "UTF-8"])
        for raw in (b"\xff", b"\xed\xa0\x80surrogate"):
            with self.subTest(field="org name", value=raw):
                self.fails([b"org", b"add", raw, b"--kind", b"partner"], ["name", "UTF-8"])
            with self.subTest(field="user name", value=raw):
                self.fails([b"user", b"add", raw, b"--org", b"CIRT", b"--role", b"analyst"],
                           "name")
            with self.subTest(field="user org", value=raw):
                self.fails([b"user", b"add", b"okname", b"--org", raw, b"--role",
                            b"analyst"], "organisation")
            with self.subTest(field="token label", value=raw):
                self.fails([b"token", b"create", b"admin", b"--label", raw],
                           ["label", "UTF-8"])
            with self.subTest(field="token user", value=raw):
                self.fails([b"token", b"create", raw], "user")
            with self.subTest(field="password", value=raw):
                self.fails(["user", "add", uniq("pw"), "--org", "CIRT", "--role", "analyst",
                            "--password-stdin"], ["password", "UTF-8"],
                           input=b"twelve bytes " + raw + b" and more\n")
                self.fails(["user", "password", "admin", "--password-stdin"],
                           ["password", "UTF-8"], input=b"twelve bytes " + raw + b" more\n")
            with self.subTest(field="user disable", value=raw):
                self.fails([b"user", b"disable", raw], "user")
            with self.subTest(field="list filter", value=raw):
                self.fails([b"user", b"list", b"--org", raw], "organisation")
                self.fails([b"token", b"list", b"--user", raw], "user")
        # control characters and white space at the ends cannot pass either
        self.fails(["org", "add", "tab\there", "--kind", "partner"], ["name", "control"])
        self.fails(["org", "add", " lead", "--kind", "partner"], ["name", "white space"])
        self.fails(["token", "create", "admin", "--label", "trail "], ["label", "white space"])
        self.fails(["user", "add", uniq("pw"), "--org", "CIRT", "--role", "analyst",
                    "--password-stdin"], "password", input=b"has a \x01 control char\n")
        self.assertEqual(self.state(), before)

    def test_sql_meta_arguments(self):
        for text in ("'; DROP TABLE users; --", 'quote " and \\ back\\slash 100% ?'):
            name = text + " " + uniq()
            with self.subTest(org=name):
                before = self.state()
                rc, out, err = self.cli("org", "add", name, "--kind", "constituent")
                self.assertEqual(rc, 0, err)
                after = self.state()
                self.assertEqual(after["org"][:-1], before["org"])
                self.assertEqual(after["org"][-1]["name"], name)
                self.assertEqual(after["user"], before["user"])
                self.assertEqual(after["token"], before["token"])
                self.assertEqual(len(after["audit"]), len(before["audit"]) + 1)
                self.assertEqual(after["audit"][-1]["object"], "org:" + name)
                rc, out, err = self.cli("user", "list", "--org", name, "--format", "json")
                self.assertEqual((rc, json.loads(out)), (0, []))
            with self.subTest(label=text):
                rc, out, err = self.cli("token", "create", "admin", "--label", text)
                self.assertEqual(rc, 0, err)
                tid = int(re.search(r"token (\d+)", err).group(1))
                rc, out, err = self.cli("token", "list", "--format", "json")
                self.assertEqual([t for t in json.loads(out) if t["id"] == tid][0]["label"],
                                 text)
            self.seq = None
            with self.subTest(user=text):
                self.fails(["user", "add", text, "--org", "CIRT", "--role", "analyst"],
                           "name")
                self.fails(["token", "create", text], "user")
                self.fails(["user", "disable", text], "user")
                self.fails(["token", "revoke", text], code=2)
            with self.subTest(password=text):
                pw = (text + " padding")[:40]
                rc, out, err = self.cli("user", "add", uniq("sql"), "--org", "CIRT", "--role",
                                        "analyst", "--password-stdin", input=pw + "\n")
                self.assertEqual(rc, 0, err)
            self.seq = None
        rc, out, err = self.cli("check")
        self.assertEqual(rc, 0, out + err)

    def test_length_limits(self):
        for name, ok in (("a" * 128, True), ("b" * 129, False), ("\u00e9" * 64, True),
                         ("\u00e9" * 64 + "c", False), ("\U0001F600" * 32, True),
                         ("\U0001F600" * 32 + "d", False)):
            with self.subTest(org_bytes=len(name.encode())):
                if ok:
                    rc, out, err = self.cli("org", "add", name, "--kind", "partner")
                    self.assertEqual(rc, 0, err)
                    self.seq = None
                else:
                    self.fails(["org", "add", name, "--kind", "partner"],
                               ["name", "128", str(len(name.encode()))])
        base = uniq("l").replace("-", "")
        rc, out, err = self.cli("user", "add", (base + "u" * 64)[:64], "--org", "CIRT",
                                "--role", "analyst")
        self.assertEqual(rc, 0, err)
        self.seq = None
        self.fails(["user", "add", (base + "v" * 65)[:65], "--org", "CIRT", "--role",
                    "analyst"], ["name", "64"])
        rc, out, err = self.cli("token", "create", "admin", "--label", "l" * 128)
        self.assertEqual(rc, 0, err)
        self.seq = None
        self.fails(["token", "create", "admin", "--label", "m" * 129], ["label", "128"])
        for pw, ok in (("p" * 12, True), ("q" * 11, False), ("r" * 1024, True),
                       ("s" * 1025, False), ("\u00e9" * 512, True),
                       ("\u00e9" * 512 + "t", False)):
            with self.subTest(password_bytes=len(pw.encode())):
                args = ["user", "add", uniq("pl"), "--org", "CIRT", "--role", "analyst",
                        "--password-stdin"]
                if ok:
                    rc, out, err = self.cli(*args, input=pw + "\n")
                    self.assertEqual(rc, 0, err)
                    self.seq = None
                else:
                    self.fails(args, "password", input=pw + "\n")
        self.fails(["token", "create", "admin", "--expires-days", "3651"], "3650", code=2)
