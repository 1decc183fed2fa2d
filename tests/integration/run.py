# SPDX-License-Identifier: Apache-2.0
#
# The integration suite's runner: discovers tests/integration/test_*.py,
# runs them with unittest against one cirtkit binary and one store backend,
# and prints TAP to stdout ("ok N - module.Class.test", "not ok N - ...",
# skips as "ok N - ... # SKIP reason", failure details on "# " lines).
# Exit status 0 only if nothing failed.
#
#   /usr/bin/python3 tests/integration/run.py --bin build/cirtkit \
#       --backend sqlite|pg [-k PATTERN]...
#
# With --backend pg, CIRT_TEST_PG_DSN is the libpq conninfo of a server
# where the suite may create and drop schemas.
import argparse
import atexit
import os
import signal
import sys
import time
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

HERE = os.path.dirname(os.path.abspath(__file__))
TEST_TIMEOUT = 240  # seconds for any one test


class TapResult(unittest.TestResult):
    def __init__(self, stream, verbose=False):
        super().__init__()
        self.verbose = verbose
        self.stream = stream
        self.n = 0
        self.failed = 0
        self.skipped_n = 0
        self.cur = None

    def emit(self, ok, name, directive="", details=()):
        self.n += 1
        line = "%s %d - %s%s" % ("ok" if ok else "not ok", self.n, name, directive)
        out = [line]
        for d in details:
            for l in d.rstrip("\n").splitlines():
                out.append("# " + l)
        self.stream.write("\n".join(out) + "\n")
        self.stream.flush()
        if not ok:
            self.failed += 1

    @staticmethod
    def name_of(test):
        if isinstance(test, unittest.TestCase):
            return test.id()
        return str(test)  # _ErrorHolder: "setUpClass (module.Class)"

    def startTest(self, test):
        super().startTest(test)
        self.cur = {"fail": [], "skip": None, "start": time.monotonic()}
        signal.alarm(TEST_TIMEOUT)

    def stopTest(self, test):
        signal.alarm(0)
        super().stopTest(test)
        cur, self.cur = self.cur, None
        if cur is None:
            return
        name = self.name_of(test)
        if cur["fail"]:
            self.emit(False, name, details=cur["fail"])
        elif cur["skip"] is not None:
            self.skipped_n += 1
            self.emit(True, name, " # SKIP %s" % cur["skip"])
        else:
            self.emit(True, name)
        if self.verbose:
            self.stream.write("# %.2f s\n" % (time.monotonic() - cur["start"]))

    def _record(self, test, text):
        if self.cur is None or not isinstance(test, unittest.TestCase):
            # A class or module fixture failed: report it on its own.
            self.emit(False, self.name_of(test), details=[text])
        else:
            self.cur["fail"].append(text)

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, self._exc_info_to_string(err, test))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, self._exc_info_to_string(err, test))

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._record(test, "%s\n%s" % (subtest._subDescription(),
                                           self._exc_info_to_string(err, test)))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        if self.cur is None or not isinstance(test, unittest.TestCase):
            self.skipped_n += 1
            self.emit(True, self.name_of(test), " # SKIP %s" % reason)
        else:
            self.cur["skip"] = reason

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "unexpected success")


def on_alarm(signum, frame):
    raise TimeoutError("test took longer than %d s" % TEST_TIMEOUT)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bin", required=True, help="the cirtkit binary")
    ap.add_argument("--backend", required=True, choices=("sqlite", "pg"))
    ap.add_argument("-k", dest="patterns", action="append", default=[],
                    help="only tests whose name contains PATTERN "
                         "(wildcards allowed; may be repeated)")
    ap.add_argument("-v", dest="verbose", action="store_true",
                    help="print each test's duration")
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        print("not ok 1 - %s is not an executable" % args.bin)
        print("1..1")
        return 1

    sys.path.insert(0, HERE)
    import harness

    harness.configure(args.bin, args.backend)
    atexit.register(harness.cleanup_all)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda s, f: sys.exit(128 + s))
    signal.signal(signal.SIGALRM, on_alarm)

    loader = unittest.TestLoader()
    if args.patterns:
        loader.testNamePatterns = [p if "*" in p else "*%s*" % p
                                   for p in args.patterns]
    suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    print("# cirtkit integration suite: %s, backend %s" % (args.bin, args.backend))
    sys.stdout.flush()
    result = TapResult(sys.stdout, args.verbose)
    start = time.monotonic()
    suite.run(result)
    harness.cleanup_all()
    print("1..%d" % result.n)
    print("# %d tests, %d failed, %d skipped, %.1f s" % (
        result.n, result.failed, result.skipped_n, time.monotonic() - start))
    return 1 if result.failed or not result.wasSuccessful() else 0


if __name__ == "__main__":
    sys.exit(main())
