# maptest.py: what the end-to-end tests of the map libraries share.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers and a base TestCase for tests/e2e/test_map_*.py,
test_popmap.py and test_maplibs.py: where the freshly built libraries
and makedb scripts are, a dead default server, a listener that never
answers, the library's own log lines, and POP3/IMAP logins that must
reach (or not reach) a Dovecot mailbox.

    from harness import *
    from maptest import *

    class PgCase(MapCase):
        libname = "perditiondb_postgresql"
        map_name = "postgresql"      # skip unless built and ...
        server_available = staticmethod(pgsql.available)  # ... says so

        def test_x(self):
            p = self.proxy("-m", opt, map_library=library("postgresql"),
                           backend=dead_server())
            self.assert_mailbox(p, "alice", password, "alice")
            self.assertEqual(self.lib_lines(p), [])
"""

import os
import socket
import subprocess
import threading
import time
import unittest

import util
from deb22 import CompatTestCase
from harness import IMAP_GREETING, POP3_GREETING, PerditionTestCase

__all__ = ["MapCase", "MapCompatCase", "SilentServer", "dead_server",
           "lib_lines", "library", "makedb_script", "map_skip_reason",
           "retr1", "run_makedb", "wire"]


def library(name):
    """The freshly built map library libperditiondb_<name>.so.0."""
    return os.path.join(util.TOP_BUILDDIR, "perditiondb", ".libs",
                        "libperditiondb_%s.so.0" % name)


def makedb_script(name):
    """perditiondb_<name>_makedb of the source tree."""
    return os.path.join(util.TOP_SRCDIR, "perditiondb", name,
                        "perditiondb_%s_makedb" % name)


def run_makedb(name, args, env, stdin=""):
    """Run perditiondb_<name>_makedb with bash: the CompletedProcess,
    text output captured."""
    return subprocess.run(["bash", makedb_script(name)] + args, input=stdin,
                          capture_output=True, text=True, timeout=60,
                          env=env)


def map_skip_reason(name, available=None):
    """Why the tests of the map library name cannot run here, or None:
    the library is not built, or available() (such as mariadb.available,
    which returns (ok, why)) says its server is missing."""
    if not os.path.exists(library(name)):
        return "%s map library not built" % name
    if available is not None:
        ok, why = available()
        if not ok:
            return why
    return None


def dead_server():
    """host:port where nothing listens (the default server)."""
    return "127.0.0.1:%d" % util.free_port()


def wire(name):
    """A user name as the client sends it: str of latin-1 code points
    standing for the bytes (UTF-8 for a str, raw for bytes)."""
    raw = name if isinstance(name, bytes) else name.encode("utf-8")
    return raw.decode("latin-1")


def retr1(c):
    """The first message of the mailbox c is logged in to."""
    r = c.cmd("RETR 1")
    if not r.startswith("+OK"):
        raise AssertionError("RETR 1: %r" % r)
    return c.pop3_multiline()


def lib_lines(p, libname):
    """The log lines of proxy p that the library libname wrote."""
    return [l for l in p.log().splitlines() if libname + ":" in l]


class SilentServer:
    """Listens on ip:port (port 0: a free one, in self.port) and never
    answers.  accept=False: nothing accepts, the kernel alone completes
    the TCP handshake; accept=True: a thread accepts each connection and
    keeps it open, silent (what a TLS client needs to hang)."""

    def __init__(self, ip="127.0.0.1", port=0, accept=False):
        self.sock = socket.socket()
        self.sock.bind((ip, port))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.stop = False
        self.thread = None
        if accept:
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()

    def _run(self):
        self.sock.settimeout(0.2)
        while not self.stop:
            try:
                self.conns.append(self.sock.accept()[0])
            except OSError:
                pass

    def close(self):
        self.stop = True
        if self.thread is not None:
            self.thread.join(5)
        for c in self.conns:
            c.close()
        self.sock.close()


class MapCase(PerditionTestCase):
    """Logins through a proxy whose default server is dead, and the log
    lines of the library under test (libname, e.g. "perditiondb_mysql",
    the prefix of its lines).  With map_name set (e.g. "mysql") the
    class skips when map_skip_reason(map_name, server_available) says
    why."""

    libname = None
    map_name = None
    server_available = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.map_name is not None:
            why = map_skip_reason(cls.map_name, cls.server_available)
            if why:
                raise unittest.SkipTest(why)

    def login(self, p, user, password):
        """A POP3 client of p, greeted, and its reply to USER/PASS."""
        c = self.client(p)
        self.assertRegex(c.greeting, POP3_GREETING)
        return c, c.pop3_login(user, password)

    def assert_mailbox(self, p, user, password, owner):
        """user logs in over POP3 and sees owner's mail."""
        c, r = self.login(p, user, password)
        self.assertTrue(r.startswith("+OK"), "%r: %r\nlog: %s"
                        % (user, r, p.log()[-2000:]))
        self.assertIn(("Hello %s." % owner).encode(), retr1(c))
        self.assertEqual(c.cmd("QUIT")[:3], "+OK")

    def assert_refused(self, p, user, password, reason=None):
        """user's login fails (the default server is dead); the reply."""
        c, r = self.login(p, user, password)
        self.assertTrue(r.startswith("-ERR"), "%r: %r" % (user, r))
        if reason:
            self.assertIn(reason, r)
        return r

    def assert_imap_mailbox(self, p, login, owner):
        """IMAP4: LOGIN with the arguments login, SELECT INBOX, and the
        first message is owner's."""
        c = self.client(p)
        self.assertRegex(c.greeting, IMAP_GREETING)
        _, r = c.imap_cmd("a1", "LOGIN " + login)
        self.assertTrue(r.startswith("a1 OK"), r)
        _, r = c.imap_cmd("a2", "SELECT INBOX")
        self.assertTrue(r.startswith("a2 OK"), r)
        lines, r = c.imap_cmd("a3", "FETCH 1 BODY[TEXT]")
        self.assertTrue(r.startswith("a3 OK"), r)
        self.assertIn("Hello %s." % owner, "\n".join(lines))

    def lib_lines(self, p):
        """The log lines of p that the library under test wrote."""
        return lib_lines(p, self.libname)

    def one_error(self, p, pattern):
        """Exactly one line of the library, matching pattern."""
        p.wait_log(self.libname + ": " + pattern)
        time.sleep(0.2)
        lines = self.lib_lines(p)
        self.assertEqual(len(lines), 1, lines)
        return lines[0]


class MapCompatCase(CompatTestCase):
    """Debian 2.2's library and daemon against ours: setUp skips, as
    MapCase's setUpClass, when map_skip_reason(map_name,
    server_available) says why."""

    map_name = None
    server_available = None

    def setUp(self):
        why = map_skip_reason(self.map_name, self.server_available)
        if why:
            self.skipTest(why)

    def assert_routes(self, p, routes):
        """Each (user, owner) of routes logs in through p with owner's
        password and reads owner's mail."""
        dc = self.dovecot()
        for user, owner in routes:
            self.assert_routed(p, user, dc.users[owner], owner)
