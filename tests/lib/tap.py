# tap.py: run a module's unittest test cases and print TAP.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run the unittest test cases of a module and print TAP version 12 for
automake's tap-driver.sh: "1..N", then one "ok"/"not ok" line per test
method, failures followed by "# " diagnostic lines.

Call ``tap.main()`` at the bottom of a test script.  A TestCase class may
set ``tap_parallel = N`` to run its methods in N threads at once (for the
many cases that wait out perdition's 3 s error sleep); output order stays
the order of the methods.  Set PDTEST_FILTER=substring to run a subset.
"""

import concurrent.futures
import os
import sys
import threading
import time
import traceback
import unittest


class _Result(unittest.TestResult):
    """Collects the outcome of exactly one test."""

    def __init__(self):
        super().__init__()
        self.status = "ok"
        self.directive = ""
        self.diag = ""

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.status = "not ok"
        self.diag += self._exc_info_to_string(err, test)

    def addError(self, test, err):
        super().addError(test, err)
        self.status = "not ok"
        self.diag += self._exc_info_to_string(err, test)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.directive = " # SKIP %s" % reason

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.status = "not ok"
        self.directive = " # TODO expected failure"

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.status = "ok"
        self.directive = " # TODO unexpectedly passed"

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self.status = "not ok"
            self.diag += "%s\n%s" % (subtest, self._exc_info_to_string(
                err, test))


def _flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from _flatten(t)
        else:
            yield t


def _name(test):
    tid = test.id()
    parts = tid.split(".")
    name = ".".join(parts[-2:]) if len(parts) >= 2 else tid
    doc = test.shortDescription()
    if doc:
        name += ": " + doc
    return name.replace("#", "\\#")


def _run_one(test):
    result = _Result()
    t0 = time.monotonic()
    try:
        test(result)
    except Exception:  # a broken fixture must not kill the whole run
        result.status = "not ok"
        result.diag += traceback.format_exc()
    result.elapsed = time.monotonic() - t0
    return result


def _class_setup(cls, done, lock):
    """Run setUpClass once per class (unittest's suite would do it)."""
    with lock:
        if cls in done:
            return done[cls]
        err = None
        try:
            cls.setUpClass()
        except unittest.SkipTest as e:
            err = unittest.SkipTest(str(e))
        except Exception:
            err = traceback.format_exc()
        done[cls] = err
        return err


class _Watchdog:
    """Ends the run if one test (or one parallel group) takes longer than
    `limit` seconds: stops every process the fixtures started, prints a
    Bail out! line and exits, so make check never hangs."""

    def __init__(self, limit):
        self.limit = limit
        self.deadline = None
        self.what = ""
        t = threading.Thread(target=self._loop, daemon=True)
        t.start()

    def arm(self, what):
        self.what = what
        self.deadline = time.monotonic() + self.limit

    def disarm(self):
        self.deadline = None

    def _loop(self):
        while True:
            time.sleep(1.0)
            d = self.deadline
            if d is not None and time.monotonic() > d:
                sys.stdout.write("Bail out! %s took over %.0fs\n"
                                 % (self.what, self.limit))
                sys.stdout.flush()
                try:
                    import util
                    util.stop_all_processes()
                except Exception:
                    pass
                os._exit(1)


def main(module="__main__"):
    """Load every test of `module`, run it, print TAP, exit 0 (the TAP
    driver decides pass/fail from the lines; exit 1 only if no test ran)."""
    mod = sys.modules[module] if isinstance(module, str) else module
    loader = unittest.TestLoader()
    tests = list(_flatten(loader.loadTestsFromModule(mod)))
    flt = os.environ.get("PDTEST_FILTER")
    if flt:
        tests = [t for t in tests if flt in t.id()]
    out = sys.stdout
    out.write("1..%d\n" % len(tests))
    out.flush()
    if not tests:
        return 0

    # Group consecutive tests by class so setUpClass/tearDownClass wrap them
    # and parallel classes can run their methods together.
    groups = []
    for t in tests:
        if groups and type(t) is groups[-1][0]:
            groups[-1][1].append(t)
        else:
            groups.append((type(t), [t]))

    lock = threading.Lock()
    setups = {}
    counter = [0]

    def emit(t, r):
        counter[0] += 1
        out.write("%s %d - %s%s\n" % (r.status, counter[0], _name(t),
                                      r.directive))
        if r.diag:
            for line in r.diag.rstrip("\n").splitlines():
                out.write("# %s\n" % line)
        if r.elapsed >= 1.0:
            out.write("# time %.1fs\n" % r.elapsed)
        out.flush()

    watchdog = _Watchdog(float(os.environ.get("PDTEST_TIMEOUT", "300")))
    for cls, members in groups:
        err = _class_setup(cls, setups, lock)
        if err is not None:
            for t in members:
                r = _Result()
                r.elapsed = 0.0
                if isinstance(err, unittest.SkipTest):
                    r.directive = " # SKIP %s" % err
                else:
                    r.status = "not ok"
                    r.diag = "setUpClass failed:\n" + err
                emit(t, r)
            continue
        width = getattr(cls, "tap_parallel", 1)
        last = None
        if width > 1 and len(members) > 1:
            watchdog.arm(_name(members[0]))
            with concurrent.futures.ThreadPoolExecutor(width) as ex:
                results = list(ex.map(_run_one, members))
            for t, r in zip(members[:-1], results[:-1]):
                emit(t, r)
            last = results[-1]
        else:
            for t in members[:-1]:
                watchdog.arm(_name(t))
                emit(t, _run_one(t))
            watchdog.arm(_name(members[-1]))
            last = _run_one(members[-1])
        try:
            cls.tearDownClass()
        except Exception:
            last.status = "not ok"
            last.diag += "tearDownClass failed:\n" + traceback.format_exc()
        emit(members[-1], last)
    watchdog.disarm()
    return 0


if __name__ == "__main__":
    sys.exit(main())
