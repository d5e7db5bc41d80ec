# test_compat.py: compatibility with Debian's perdition 2.2 package
# (issue 3 point 5; SPEC 5).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Debian's perdition 2.2 is fetched and unpacked by tests/lib/deb22.py.
Then:

  (a) its libperditiondb_gdbm.so.0, libperditiondb_posix_regex.so.0 and
      libperditiondb_daemon.so.0 load in our daemon and route users to
      the private Dovecot (the daemon map through our exported `opt`);
  (b) its perdition binary loads our gdbm, posix_regex and daemon map
      libraries and routes users the same way;
  (c) a popmap written by its makegdbm is read by ours and the reverse.

Without the packages every test is skipped with the reason."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403

from deb22 import *  # noqa: E402,F403


def popmap_text(dc):
    return ("alice:carol@127.0.0.1:%d\nbob:127.0.0.1:%d\n"
            % (dc.pop3_port, dc.pop3_port))


def regex_text(dc):
    return ("^alice$ carol@127.0.0.1:%d\n^(b[a-z]*)$ $1@127.0.0.1:%d\n"
            % (dc.pop3_port, dc.pop3_port))


class DebianLibsInOurs(CompatTestCase):
    """(a) Debian's map libraries in our daemon."""

    tap_parallel = 2

    def test_debian_gdbm(self):
        """Debian's libperditiondb_gdbm.so.0 routes in our daemon"""
        lib = self.deb(LIBDIR, "libperditiondb_gdbm.so.0")
        dc = self.dovecot()
        mk = our_makegdbm()
        if mk is None:
            self.skipTest("our makegdbm is not built")
        db = self.gdbm_map(mk, popmap_text(dc))
        p = self.proxy("-m", db, "-U", map_library=lib,
                       backend=dead_server())
        self.assert_routed(p, "alice", dc.users["carol"], "carol")
        self.assert_routed(p, "bob", dc.users["bob"], "bob")

    def test_debian_posix_regex(self):
        """Debian's libperditiondb_posix_regex.so.0 routes in our daemon"""
        lib = self.deb(LIBDIR, "libperditiondb_posix_regex.so.0")
        dc = self.dovecot()
        re_map = self.regex_map(regex_text(dc))
        p = self.proxy("-m", re_map, "-U", map_library=lib,
                       backend=dead_server())
        self.assert_routed(p, "alice", dc.users["carol"], "carol")
        self.assert_routed(p, "bob", dc.users["bob"], "bob")

    def test_debian_daemon_map(self):
        """Debian's libperditiondb_daemon.so.0 reads -D from our opt"""
        import test_daemon_map as tdm
        if not os.path.exists(tdm.mapserver_binary()):
            self.skipTest("mapserver not built")
        lib = self.deb(LIBDIR, "libperditiondb_daemon.so.0")
        dc = self.dovecot()
        # The library sends opt.domain_delimiter (SPEC 5, D-14) and the
        # map server splits the user off at the delimiter it was sent:
        # only "%" read from the right bytes finds carol.
        m = tdm.MapServer("alice:carol%%127.0.0.1:%d\n" % dc.pop3_port)
        self.addCleanup(m.stop)
        # Its libperditiondb_daemon_base.so.0 lives beside it.
        env = {"LD_LIBRARY_PATH": os.path.join(debian_root(), LIBDIR)}
        p = self.proxy("-m", m.sock + ":1:3", "-U", "-D", "%",
                       map_library=lib, backend=dead_server(), env=env)
        self.assert_routed(p, "alice", dc.users["carol"], "carol")
        req = m.requests()[0]
        self.assertEqual(req["key"], "alice")
        self.assertEqual(req["delimiter"], "%")


class OurLibsIn22(CompatTestCase):
    """(b) Debian's perdition 2.2 with our map libraries."""

    tap_parallel = 2

    def test_our_gdbm(self):
        """perdition 2.2 loads our gdbm library and routes"""
        lib = self.ours("gdbm")
        dc = self.dovecot()
        mk = our_makegdbm()
        if mk is None:
            self.skipTest("our makegdbm is not built")
        db = self.gdbm_map(mk, popmap_text(dc))
        p = self.perdition22("-m", db, "-U", map_library=lib)
        self.assert_routed(p, "alice", dc.users["carol"], "carol")
        self.assert_routed(p, "bob", dc.users["bob"], "bob")

    def test_our_posix_regex(self):
        """perdition 2.2 loads our posix_regex library and routes"""
        lib = self.ours("posix_regex")
        dc = self.dovecot()
        p = self.perdition22("-m", self.regex_map(regex_text(dc)), "-U",
                             map_library=lib)
        self.assert_routed(p, "alice", dc.users["carol"], "carol")
        self.assert_routed(p, "bob", dc.users["bob"], "bob")

    def test_daemon_map_wire(self):
        """2.2 with our daemon library and with its own: same requests"""
        import test_daemon_map as tdm
        ours = self.ours("daemon")
        if not os.path.exists(tdm.mapserver_binary()):
            self.skipTest("mapserver not built")
        theirs = self.deb(LIBDIR, "libperditiondb_daemon.so.0")
        dc = self.dovecot()
        seen = []
        for lib in (ours, theirs):
            m = tdm.MapServer("alice:carol@127.0.0.1:%d\n" % dc.pop3_port)
            self.addCleanup(m.stop)
            p = self.perdition22("-m", m.sock + ":1:3", "-U",
                                 map_library=lib)
            c, r = self.login(p, "alice", dc.users["carol"])
            self.assertTrue(r.startswith("+OK"), "%s: %r" % (lib, r))
            req = m.requests()[0]
            self.assertEqual(req["sport"], str(c.sock.getsockname()[1]))
            self.assertEqual(req["dport"], str(p.port))
            seen.append(req)
        for f in ("type", "key", "delimiter", "saddr", "daddr"):
            self.assertEqual(seen[0][f], seen[1][f], f)
        self.assertEqual(seen[0]["saddr"], "127.0.0.1")
        # Byte for byte equal but for the client and listener ports.
        a, b = (bytes.fromhex(s["hex"]) for s in seen)
        self.assertEqual(a[:20] + a[24:], b[:20] + b[24:])


class Makegdbm22(CompatTestCase):
    """(c) GDBM popmaps across the two makegdbm tools."""

    tap_parallel = 2

    def dump(self, makegdbm, db):
        env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(
            debian_root(), LIBDIR))
        r = subprocess.run([makegdbm, "-u", db], capture_output=True,
                           timeout=10, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        # 2.2 writes "key:\0value\n\0" (SPEC 5): drop its stray NULs.
        return sorted(r.stdout.replace(b"\0", b"").decode().splitlines())

    def test_22_map_read_by_ours(self):
        """a map from 2.2's makegdbm: our -u dump and our daemon read it"""
        theirs = self.deb("usr", "bin", "makegdbm")
        mk = our_makegdbm()
        if mk is None:
            self.skipTest("our makegdbm is not built")
        dc = self.dovecot()
        text = popmap_text(dc) + "x:u@[::1]:110\n"
        db = self.gdbm_map(theirs, text)
        self.assertEqual(self.dump(mk, db), sorted(text.splitlines()))
        p = self.proxy("-m", db, "-U", map_library=self.ours("gdbm"),
                       backend=dead_server())
        self.assert_routed(p, "alice", dc.users["carol"], "carol")

    def test_our_map_read_by_22(self):
        """a map from our makegdbm: 2.2's -u dump and 2.2 itself read it"""
        theirs = self.deb("usr", "bin", "makegdbm")
        mk = our_makegdbm()
        if mk is None:
            self.skipTest("our makegdbm is not built")
        dc = self.dovecot()
        text = popmap_text(dc) + "x:u@[::1]:110\n"
        db = self.gdbm_map(mk, text)
        self.assertEqual(self.dump(theirs, db), sorted(text.splitlines()))
        lib = self.deb(LIBDIR, "libperditiondb_gdbm.so.0")
        p = self.perdition22("-m", db, "-U", map_library=lib)
        self.assert_routed(p, "alice", dc.users["carol"], "carol")


if __name__ == "__main__":
    tap.main()
