# test_popmap.py: routing through the gdbm map library (SPEC 4, 5; 13.110,
# 13.116-118, 13.120, 13.100).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Users routed by a GDBM popmap made with our makegdbm, in front of the
private Dovecot: the back-end must receive the user name the map says,
and only mapped users may reach it (the default server is dead)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403
from maptest import *  # noqa: E402,F403


def gdbm_library():
    """The freshly built gdbm map library."""
    return library("gdbm")


def makegdbm():
    """The freshly built makegdbm (in makegdbm/ of the build tree)."""
    for p in (os.path.join(util.TOP_BUILDDIR, "makegdbm", "makegdbm"),
              util.makegdbm_binary()):
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def make_map(path, text):
    """Write the popmap text to the GDBM file path with makegdbm."""
    r = subprocess.run([makegdbm(), path], input=text, capture_output=True,
                       text=True, timeout=10)
    if r.returncode != 0:
        raise AssertionError("makegdbm failed: %r" % r.stderr)


class GdbmRouting(MapCase):
    """Two users routed by the map; one not in it."""

    tap_parallel = 4

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(gdbm_library()) or makegdbm() is None:
            raise unittest.SkipTest("gdbm map library not built")

    def map_proxy(self, popmap, *args, **kw):
        """A POP3 proxy using a fresh GDBM map made from popmap."""
        dc = self.dovecot()
        db = os.path.join(util.make_tempdir("pdtest-popmap-"), "map.db")
        make_map(db, popmap % {"pop3": dc.pop3_port, "imap": dc.imap_port})
        kw.setdefault("backend", dead_server())
        p = self.proxy("-m", db, *args, map_library=gdbm_library(), **kw)
        p.db = db
        return p

    def test_username_from_database(self):
        """13.110: alice:carol@host:port with -U logs in as carol"""
        dc = self.dovecot()
        p = self.map_proxy("alice:carol@127.0.0.1:%(pop3)d\n"
                           "bob:127.0.0.1:%(pop3)d\n", "-U")
        c, r = self.login(p, "alice", dc.users["carol"])
        self.assertTrue(r.startswith("+OK"), r)
        self.assertIn(b"Hello carol.", retr1(c))
        self.assertEqual(c.cmd("QUIT")[:3], "+OK")
        p.wait_log(r'Auth: .*authentication_id="carol" server="127\.0\.0\.1'
                   r':%d" .*status="ok"' % dc.pop3_port)
        # Dovecot itself saw carol log in over POP3.
        util.wait_until(lambda: re.search(r"pop3-login: .*Login: user=<carol>",
                                          dc.log()), 10,
                        what="dovecot POP3 login of carol")
        # bob is routed by host:port only and keeps his own name.
        c, r = self.login(p, "bob", dc.users["bob"])
        self.assertTrue(r.startswith("+OK"), r)
        self.assertIn(b"Hello bob.", retr1(c))
        p.wait_log(r'Auth: .*authentication_id="bob" .*status="ok"')

    def test_without_u_keeps_name(self):
        """without -U the map's user part only routes"""
        dc = self.dovecot()
        p = self.map_proxy("alice:carol@127.0.0.1:%(pop3)d\n")
        c, r = self.login(p, "alice", dc.users["alice"])
        self.assertTrue(r.startswith("+OK"), r)
        self.assertIn(b"Hello alice.", retr1(c))

    def test_unmapped_user_uses_default(self):
        """a user not in the map goes to the (dead) default server"""
        dc = self.dovecot()
        p = self.map_proxy("alice:127.0.0.1:%(pop3)d\n")
        c, r = self.login(p, "carol", dc.users["carol"])
        self.assertTrue(r.startswith("-ERR"), r)
        # The map itself still works for alice on the same daemon.
        c, r = self.login(p, "alice", dc.users["alice"])
        self.assertTrue(r.startswith("+OK"), r)

    def test_default_server_for_unmapped(self):
        """13.117: not found in the map falls back to -s"""
        dc = self.dovecot()
        p = self.map_proxy("alice:%s\n" % dead_server(),
                           backend=dc.pop3_port)
        c, r = self.login(p, "bob", dc.users["bob"])
        self.assertTrue(r.startswith("+OK"), r)
        self.assertIn(b"Hello bob.", retr1(c))

    def test_query_key(self):
        """13.116: --query_key tries \\u\\D\\d, then \\u"""
        dc = self.dovecot()
        p = self.map_proxy("bob@example.com:127.0.0.1:%(pop3)d\n"
                           "alice:127.0.0.1:%(pop3)d\n",
                           "--query_key", "\\u\\D\\d,\\u",
                           "-S", "remote_login")
        c, r = self.login(p, "bob@example.com", dc.users["bob"])
        self.assertTrue(r.startswith("+OK"), r)
        self.assertIn(b"Hello bob.", retr1(c))
        c, r = self.login(p, "alice@example.org", dc.users["alice"])
        self.assertTrue(r.startswith("+OK"), r)
        self.assertIn(b"Hello alice.", retr1(c))

    def test_query_key_unknown_escape(self):
        """13.116: \\q abandons the lookup (default server used)"""
        dc = self.dovecot()
        p = self.map_proxy("alice:127.0.0.1:%(pop3)d\n",
                           "--query_key", "\\q,\\U")
        c, r = self.login(p, "alice", dc.users["alice"])
        self.assertTrue(r.startswith("-ERR"), r)

    def test_map_rebuilt_while_running(self):
        """the map is read per lookup: makegdbm takes effect at once"""
        dc = self.dovecot()
        p = self.map_proxy("alice:%s\n" % dead_server())
        c, r = self.login(p, "alice", dc.users["alice"])
        self.assertTrue(r.startswith("-ERR"), r)
        make_map(p.db, "alice:127.0.0.1:%d\n" % dc.pop3_port)
        c, r = self.login(p, "alice", dc.users["alice"])
        self.assertTrue(r.startswith("+OK"), r)

    def test_sighup_reload(self):
        """13.100: SIGHUP logs the reload and keeps routing"""
        dc = self.dovecot()
        p = self.map_proxy("alice:127.0.0.1:%(pop3)d\n")
        p.send_signal(signal.SIGHUP)
        p.wait_log(r'Reloading map library "%s" with options "%s"'
                   % (re.escape(gdbm_library()), re.escape(p.db)))
        self.assertTrue(p.running())
        c, r = self.login(p, "alice", dc.users["alice"])
        self.assertTrue(r.startswith("+OK"), r)
        self.assertIn(b"Hello alice.", retr1(c))

    def test_imap(self):
        """IMAP4 routing by the map, with -U"""
        dc = self.dovecot()
        p = self.map_proxy("alice:carol@127.0.0.1:%(imap)d\n", "-U",
                           protocol="IMAP4")
        self.assert_imap_mailbox(p, "alice %s" % dc.users["carol"], "carol")


class MapLoading(PerditionTestCase):
    """Bad map libraries stop the daemon at start."""

    tap_parallel = 2

    def test_missing_library(self):
        """13.118: a map library that cannot be loaded is fatal"""
        p = self.proxy(map_library="/nonexistent/libperditiondb_x.so",
                       backend=dead_server(), start=False)
        p.start(wait=False)
        rc = p.wait_exit(10)
        self.assertNotEqual(rc, 0)
        text = p.log() + p.stderr()
        self.assertIn("/nonexistent/libperditiondb_x.so", text)

    def test_library_without_symbols(self):
        """13.118: a library without dbserver_get(2) is refused"""
        d = util.make_tempdir("pdtest-popmap-")
        src = os.path.join(d, "nosym.c")
        so = os.path.join(d, "libnosym.so")
        with open(src, "w") as f:
            f.write("int not_a_map(void) { return 0; }\n")
        subprocess.run([os.environ.get("CC", "cc"), "-shared", "-fPIC",
                        "-o", so, src], check=True, timeout=60)
        p = self.proxy(map_library=so, backend=dead_server(), start=False)
        p.start(wait=False)
        rc = p.wait_exit(10)
        self.assertNotEqual(rc, 0)
        self.assertIn("dbserver_get", p.log() + p.stderr())


class Makegdbm(PerditionTestCase):
    """13.120: the makegdbm tool itself."""

    @classmethod
    def setUpClass(cls):
        if makegdbm() is None:
            raise unittest.SkipTest("makegdbm not built")

    def run_mk(self, args, text=""):
        return subprocess.run([makegdbm()] + args, input=text,
                              capture_output=True, text=True, timeout=10)

    def test_round_trip(self):
        """key:value lines in, the same entries out with -u"""
        db = os.path.join(util.make_tempdir("pdtest-popmap-"), "m.db")
        text = "horms:localhost\n\ntymm:u@[::1]:110\nx:a:b:c\n"
        r = self.run_mk([db], text)
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        r = self.run_mk(["-u", db])
        self.assertEqual(r.returncode, 0)
        self.assertEqual(sorted(r.stdout.splitlines()),
                         ["horms:localhost", "tymm:u@[::1]:110", "x:a:b:c"])

    def test_invalid_line(self):
        """a line without a colon is reported with its number"""
        db = os.path.join(util.make_tempdir("pdtest-popmap-"), "m.db")
        r = self.run_mk([db], "a:b\n\nnocolon\n")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("makegdbm: invalid input on line: 3", r.stderr)
        self.assertFalse(os.path.exists(db))

    def test_duplicate(self):
        """a key given twice is reported"""
        db = os.path.join(util.make_tempdir("pdtest-popmap-"), "m.db")
        r = self.run_mk([db], "a:b\na:c\n")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("makegdbm: dupicate key: a", r.stderr)

    def test_usage(self):
        """-h: usage on stdout, 0; wrong arguments: 255"""
        r = self.run_mk(["-h"])
        self.assertEqual(r.returncode, 0)
        self.assertIn("Usage:", r.stdout)
        self.assertEqual(self.run_mk([]).returncode, 255)
        self.assertEqual(self.run_mk(["a", "b"]).returncode, 255)
        self.assertEqual(self.run_mk(["-x", "a"]).returncode, 255)


if __name__ == "__main__":
    tap.main()
