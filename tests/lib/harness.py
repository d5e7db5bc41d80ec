# harness.py: the one import an end-to-end test needs.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Base TestCase and re-exports for tests/e2e/*.py.

    import os, sys
    sys.path.insert(0, os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "..", "lib"))
    from harness import *

    class T(PerditionTestCase):
        def test_x(self):
            p = self.proxy(backend=self.dovecot().pop3_port)
            ...
    if __name__ == "__main__":
        tap.main()
"""

import concurrent.futures
import os
import re
import signal
import socket
import subprocess
import sys
import time
import unittest

import dovecot
import tap
import util
from client import Client
from fakeserver import (FakeServer, imap_handler, pop3_handler,
                        script_handler)
from proxy import InetdSession, Perdition

__all__ = ["Client", "FakeServer", "InetdSession", "Perdition",
           "PerditionTestCase", "POP3_GREETING", "IMAP_GREETING",
           "imap_handler", "pop3_handler", "script_handler", "dovecot",
           "parallel", "re", "signal", "socket", "subprocess", "sys",
           "tap", "time", "unittest", "util", "os"]

#: perdition's POP3 greeting (D-9).
POP3_GREETING = re.compile(r"^\+OK POP3 perdition ready on \S+ [0-9a-f]{8}$")
#: perdition's default IMAP greeting.
IMAP_GREETING = re.compile(r"^\* OK \[CAPABILITY IMAP4 IMAP4REV1\] "
                           r"perdition ready on \S+ [0-9a-f]{8}$")


def parallel(*funcs):
    """Run the callables at once in threads; return their results in
    order, re-raising the first exception.  Use it to wait out several of
    perdition's 3 s error sleeps together."""
    with concurrent.futures.ThreadPoolExecutor(max(1, len(funcs))) as ex:
        futures = [ex.submit(f) for f in funcs]
        return [f.result() for f in futures]


class PerditionTestCase(unittest.TestCase):
    """TestCase with fixtures that clean themselves up: every proxy,
    inetd session and fake server made through these helpers is stopped
    by pid after the test, and any sanitizer report fails the test."""

    maxDiff = None

    def dovecot(self):
        """The shared private Dovecot (started on first use)."""
        return dovecot.shared()

    def proxy(self, *args, start=True, **kw):
        """A Perdition(args=args, **kw), started unless start=False."""
        p = Perdition(args=args, **kw)
        self.addCleanup(self._check_sanitizers, p)
        self.addCleanup(p.stop)
        if start:
            p.start()
        return p

    def pop3_proxy(self, *args, **kw):
        """A started pure POP3 proxy in front of the shared Dovecot."""
        kw.setdefault("backend", self.dovecot().pop3_port)
        return self.proxy(*args, **kw)

    def imap_proxy(self, *args, **kw):
        """A started pure IMAP proxy in front of the shared Dovecot."""
        kw.setdefault("backend", self.dovecot().imap_port)
        kw.setdefault("protocol", "IMAP4")
        return self.proxy(*args, **kw)

    def inetd(self, *args, **kw):
        """A started InetdSession(args=args, **kw)."""
        s = InetdSession(args=args, **kw)
        self.addCleanup(self._check_sanitizers, s)
        self.addCleanup(s.stop)
        return s.start()

    def fake(self, handler):
        """A started FakeServer running handler, stopped after the test."""
        fs = FakeServer(handler).start()
        self.addCleanup(fs.stop)
        return fs

    def client(self, proxy, greeting=True):
        """A Client connected to proxy; reads the greeting line(s) when
        greeting is true (for IMAP/POP3 a single line)."""
        c = proxy.connect()
        self.addCleanup(c.close)
        if greeting:
            c.greeting = c.readline()
        return c

    def _check_sanitizers(self, p):
        errs = p.sanitizer_errors()
        if errs:
            self.fail("sanitizer report:\n" + "\n".join(errs[:20]))

    def assertLogMatches(self, proxy, pattern, timeout=10.0, count=1):
        """Wait (bounded) until the proxy's log matches pattern."""
        return proxy.wait_log(pattern, timeout, count)
