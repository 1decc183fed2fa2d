#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# Source checks that the compiler cannot make, printed as TAP (one line per
# rule) so tests/run.sh counts them with the other suites:
#
#   spdx       every source, script and build file starts with the SPDX line
#   banned     every src/**/*.c includes core/banned.h, as its last include
#   own-header a .c file with a header of its own includes it first
#   guards     headers under src/ are guarded by CIRT_<PATH>_H
#   layers     nothing includes from a layer above it (ARCHITECTURE.md)
#   width      no line over 100 columns (tabs count 8)
#   format     C files are as clang-format (.clang-format) leaves them;
#              skipped when clang-format is not installed
#
# Usage: tools/checksrc.py [ROOT]   (exit 1 if any rule fails)
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), ".."))

# Which layers each layer may include (besides system headers).
BELOW = {
    "core": set(),
    "os": {"core"},
    "store": {"core"},
    "stix": {"core"},
    "iodef": {"core"},
    "audit": {"core", "store"},
    "account": {"core", "store", "audit"},
    "share": {"core", "store", "audit", "account", "stix"},
    "incident": {"core", "store", "audit", "account", "stix", "iodef",
                 "share"},
    "feed": {"core", "os", "store", "audit", "account", "stix", "iodef",
             "share", "incident"},
    "notify": {"core", "os", "store", "audit", "account", "stix", "iodef",
               "share", "incident", "feed"},
    "detect": {"core", "os", "store", "audit", "account", "stix", "iodef",
               "share", "incident", "feed"},
    "http": {"core", "os", "store", "audit", "account"},
    "api": {"core", "os", "store", "audit", "account", "stix", "share",
            "iodef", "incident", "feed", "notify", "detect", "http"},
    "taxii": {"core", "os", "store", "audit", "account", "stix", "share",
              "http"},
    "cli": {"core", "os", "store", "audit", "account", "stix", "share",
            "iodef", "incident", "feed", "notify", "detect", "http", "api",
            "taxii"},
}
LAYERS = {name: below | {name} for name, below in BELOW.items()}
INCLUDE = re.compile(r'^#include\s+"([^"]+)"', re.M)
ANY_INCLUDE = re.compile(r'^#include\s+[<"]([^>"]+)[>"]', re.M)


def files(*dirs, exts=(".c", ".h")):
    for d in dirs:
        for base, _, names in os.walk(os.path.join(ROOT, d)):
            for n in sorted(names):
                if n.endswith(exts):
                    yield os.path.join(base, n)


def rel(p):
    return os.path.relpath(p, ROOT)


def check_spdx():
    bad = []
    paths = list(files("src", "tests", "tools", "bench", "fuzz",
                       exts=(".c", ".h", ".py", ".sh", ".sql")))
    paths += [os.path.join(ROOT, n) for n in
              ("meson.build", "meson_options.txt", "run.sh", "check.sh")]
    for p in paths:
        with open(p, encoding="utf-8", errors="replace") as f:
            head = f.read(400)
        if "SPDX-License-Identifier: Apache-2.0" not in head:
            bad.append(rel(p))
    return bad


def check_banned():
    bad = []
    for p in files("src", exts=(".c",)):
        incs = ANY_INCLUDE.findall(open(p).read())
        if not incs or incs[-1] != "core/banned.h":
            bad.append(rel(p))
    return bad


def check_own_header():
    bad = []
    for p in files("src", exts=(".c",)):
        own = p[:-2] + ".h"
        if not os.path.exists(own):
            continue
        incs = ANY_INCLUDE.findall(open(p).read())
        if not incs or incs[0] != rel(own)[len("src/"):]:
            bad.append(rel(p))
    return bad


def check_guards():
    bad = []
    for p in files("src", exts=(".h",)):
        r = rel(p)[len("src/"):-2]
        parts = r.split("/")
        # src/core/buf.h -> CIRT_CORE_BUF_H; a file named like its
        # directory prefix (account/account_int.h) is not repeated.
        name = parts[-1].upper()
        mod = parts[0].upper() if len(parts) > 1 else ""
        want = {"CIRT_%s_%s_H" % (mod, name), "CIRT_%s_H" % name,
                "CIRT_%s_%s_H" % (mod, name.replace(mod + "_", "", 1))}
        text = open(p).read()
        m = re.search(r"^#ifndef (CIRT_\w+_H)\n#define \1$", text, re.M)
        if not m or m.group(1) not in want:
            bad.append("%s (want %s)" % (rel(p), sorted(want)[0]))
    return bad


def check_layers():
    bad = []
    for p in files("src"):
        r = rel(p)[len("src/"):]
        layer = r.split("/")[0] if "/" in r else None
        if layer is None:
            continue  # main.c may include everything
        if layer not in LAYERS:
            bad.append("%s is in a layer checksrc does not know" % r)
            continue
        for inc in INCLUDE.findall(open(p).read()):
            target = inc.split("/")[0] if "/" in inc else None
            if target in LAYERS and target not in LAYERS[layer]:
                bad.append("%s includes %s" % (r, inc))
    return bad


def check_width():
    bad = []
    for p in files("src", "tests/unit", "tests/lib", "tools", "fuzz"):
        for n, line in enumerate(open(p, encoding="utf-8"), 1):
            if len(line.rstrip("\n").expandtabs(8)) > 100:
                bad.append("%s:%d" % (rel(p), n))
    return bad


def check_format():
    tool = shutil.which("clang-format")
    if tool is None:
        return None
    bad = []
    for p in files("src", "tests/unit", "tests/lib", "fuzz"):
        out = subprocess.run([tool, "--style=file", p], cwd=ROOT,
                             capture_output=True, text=True).stdout
        if out != open(p, encoding="utf-8").read():
            bad.append(rel(p))
    return bad


def main():
    rules = [("spdx", check_spdx), ("banned", check_banned),
             ("own-header", check_own_header), ("guards", check_guards),
             ("layers", check_layers), ("width", check_width),
             ("format", check_format)]
    failed = 0
    print("1..%d" % len(rules))
    for i, (name, fn) in enumerate(rules, 1):
        bad = fn()
        if bad is None:
            print("ok %d - %s # SKIP clang-format is not installed"
                  % (i, name))
        elif bad:
            failed += 1
            print("not ok %d - %s" % (i, name))
            for b in bad[:50]:
                print("#   %s" % b)
        else:
            print("ok %d - %s" % (i, name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
