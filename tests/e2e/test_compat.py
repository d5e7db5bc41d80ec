# test_compat.py: compatibility with Debian's perdition 2.2 package
# (issue 3 point 5; SPEC 5).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Debian's perdition 2.2 is fetched with `apt-get download perdition` and
unpacked with dpkg-deb -x (never installed: its maintainer scripts would
start daemons).  Then:

  (a) its libperditiondb_gdbm.so.0 and libperditiondb_posix_regex.so.0
      load in our daemon and route users to the private Dovecot;
  (b) its perdition binary loads our gdbm, posix_regex and daemon map
      libraries and routes users the same way;
  (c) a popmap written by its makegdbm is read by ours and the reverse.

Set PERDITION22_ROOT to an already unpacked tree (or PERDITION22_DEB to
the .deb) to avoid the download.  Without the package every test is
skipped with the reason.  Its runtime libraries (libvanessa-*, libpopt0,
libidn12, libnsl2) come from ./bootstrap's package list."""

import glob
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403

LIBDIR = os.path.join("usr", "lib", "x86_64-linux-gnu")


def built(*parts):
    return os.path.join(util.TOP_BUILDDIR, *parts)


def our_lib(name):
    return built("perditiondb", ".libs", "libperditiondb_%s.so.0" % name)


def our_makegdbm():
    for p in (built("makegdbm", "makegdbm"), built("makegdbm")):
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


_root = []


def _fetch():
    """The unpacked Debian perdition tree, or raise SkipTest."""
    root = os.environ.get("PERDITION22_ROOT")
    if root:
        return root
    cache = built("tests", "perdition-2.2")
    if os.path.exists(os.path.join(cache, "usr", "sbin", "perdition")):
        return cache
    deb = os.environ.get("PERDITION22_DEB")
    tmp = util.make_tempdir("pdtest-deb-")
    if not deb:
        if shutil.which("apt-get") is None:
            raise unittest.SkipTest("no apt-get to fetch Debian's perdition")
        r = subprocess.run(["apt-get", "download", "-q", "perdition"],
                           cwd=tmp, capture_output=True, text=True,
                           timeout=120)
        debs = glob.glob(os.path.join(tmp, "perdition_*.deb"))
        if r.returncode != 0 or not debs:
            raise unittest.SkipTest(
                "apt-get download perdition failed: %s"
                % (r.stderr.strip().splitlines() or ["?"])[-1])
        deb = debs[0]
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    part = cache + ".part%d" % os.getpid()
    shutil.rmtree(part, ignore_errors=True)
    r = subprocess.run(["dpkg-deb", "-x", deb, part], capture_output=True,
                       text=True, timeout=60)
    if r.returncode != 0:
        raise unittest.SkipTest("dpkg-deb -x failed: %s" % r.stderr.strip())
    try:
        os.rename(part, cache)
    except OSError:  # another run won the race
        shutil.rmtree(part, ignore_errors=True)
    return cache


def debian_root():
    if not _root:
        try:
            _root.append((_fetch(), None))
        except unittest.SkipTest as e:
            _root.append((None, str(e)))
    root, why = _root[0]
    if root is None:
        raise unittest.SkipTest(why)
    return root


def missing_libs(path, root):
    """Shared libraries path needs that are not found (ldd)."""
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(root, LIBDIR))
    r = subprocess.run(["ldd", path], capture_output=True, text=True,
                       env=env, timeout=30)
    return [l.split()[0] for l in r.stdout.splitlines() if "not found" in l]


def sanitizer_preload(lib):
    """The sanitizer runtimes an (--enable-sanitizers) library of ours
    needs.  They must come first in a process, so the uninstrumented 2.2
    binary gets them through LD_PRELOAD."""
    r = subprocess.run(["ldd", lib], capture_output=True, text=True,
                       timeout=30)
    return [f[2] for f in (l.split() for l in r.stdout.splitlines())
            if len(f) >= 3 and f[1] == "=>" and
            re.match(r"lib(asan|ubsan)\.so", f[0])]


def dead_server():
    return "127.0.0.1:%d" % util.free_port()


class CompatTestCase(PerditionTestCase):
    def deb(self, *parts):
        """A file of the unpacked package; skips when it is unusable."""
        root = debian_root()
        path = os.path.join(root, *parts)
        if not os.path.exists(path):
            self.skipTest("%s not in Debian's package" % "/".join(parts))
        miss = missing_libs(path, root)
        if miss:
            self.skipTest("%s needs %s (install the packages of "
                          "./bootstrap)" % (parts[-1], ", ".join(miss)))
        return path

    def ours(self, name):
        path = our_lib(name)
        if not os.path.exists(path):
            self.skipTest("our %s map library is not built" % name)
        return path

    def tmp(self):
        return util.make_tempdir("pdtest-compat-", True)

    def gdbm_map(self, makegdbm, text):
        """A GDBM popmap written by the given makegdbm."""
        db = os.path.join(self.tmp(), "popmap.db")
        env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(
            debian_root(), LIBDIR))
        r = subprocess.run([makegdbm, db], input=text, capture_output=True,
                           text=True, timeout=10, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        os.chmod(db, 0o644)
        return db

    def regex_map(self, text):
        path = os.path.join(self.tmp(), "popmap.re")
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o644)
        return path

    def perdition22(self, *args, **kw):
        """Debian's perdition 2.2 run the way the harness runs ours: in the
        foreground, -f /dev/null (2.2 reads no empty-named file), a file
        log, no pid file, as the current user."""
        binary = self.deb("usr", "sbin", "perdition")
        kw.setdefault("backend", dead_server())
        p = Perdition(args=args, **kw)
        p.cmd[0] = binary
        i = p.cmd.index("-f")
        p.cmd[i + 1] = "/dev/null"
        p.env["LD_LIBRARY_PATH"] = os.path.join(debian_root(), LIBDIR)
        preload = sanitizer_preload(kw.get("map_library") or "")
        if preload:
            p.env["LD_PRELOAD"] = " ".join(preload)
        self.addCleanup(self._check_sanitizers, p)
        self.addCleanup(p.stop)
        p.start()
        return p

    def login(self, p, user, password):
        c = self.client(p)
        # 2.2 greets "perditon" (SPEC 0); ours "perdition" (D-9).
        self.assertRegex(c.greeting, r"^\+OK POP3 perditi?on ready on ")
        return c, c.pop3_login(user, password)

    def assert_routed(self, p, user, password, want):
        """user logs in and RETR 1 shows want's mail."""
        c, r = self.login(p, user, password)
        self.assertTrue(r.startswith("+OK"), "%s: %r\nlog: %s"
                        % (user, r, p.log()[-2000:]))
        r = c.cmd("RETR 1")
        self.assertTrue(r.startswith("+OK"), r)
        self.assertIn(("Hello %s." % want).encode(), c.pop3_multiline())
        self.assertEqual(c.cmd("QUIT")[:3], "+OK")


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
