# deb22.py: Debian's perdition 2.2 packages as a reference for the tests.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Debian's perdition 2.2 and its map-library packages (perdition-mysql,
-postgresql, -ldap, -odbc) are fetched with `apt-get download` and
unpacked with dpkg-deb -x into one tree (never installed: their
maintainer scripts would start daemons and they depend on 2.2 exactly).

Set PERDITION22_ROOT to an already unpacked tree (or PERDITION22_DEB to a
directory holding the .deb files) to avoid the download.  Without the
packages every test that needs them is skipped with the reason.  Their
runtime libraries (libvanessa-*, libpopt0, libidn12, libnsl2, the
database clients) come from ./bootstrap's package list.

CompatTestCase gives a test the unpacked files (deb), our built map
libraries (ours) and Debian's daemon run like ours (perdition22)."""

import glob
import os
import re
import shutil
import subprocess
import tempfile
import threading
import unittest

import util
from harness import PerditionTestCase
from proxy import Perdition

#: The Debian packages the tree is made of.
PACKAGES = ("perdition", "perdition-mysql", "perdition-postgresql",
            "perdition-ldap", "perdition-odbc")

#: Where the Debian packages put the map libraries.
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
    cache = built("tests", "debian-2.2")
    if os.path.exists(os.path.join(cache, "usr", "sbin", "perdition")):
        return cache
    debdir = os.environ.get("PERDITION22_DEB")
    if not debdir:
        debdir = util.make_tempdir("pdtest-deb-")
        if shutil.which("apt-get") is None:
            raise unittest.SkipTest("no apt-get to fetch Debian's perdition")
        # apt drops to _apt for downloads: let it write there.
        os.chmod(debdir, 0o777)
        r = subprocess.run(["apt-get", "download", "-q"] + list(PACKAGES),
                           cwd=debdir, capture_output=True, text=True,
                           timeout=180)
        if r.returncode != 0:
            raise unittest.SkipTest(
                "apt-get download %s failed: %s" % (" ".join(PACKAGES),
                (r.stderr.strip().splitlines() or ["?"])[-1]))
    elif os.path.isfile(debdir):  # one .deb, as before
        debdir = os.path.dirname(debdir)
    debs = sorted(glob.glob(os.path.join(debdir, "perdition*.deb")))
    if not debs:
        raise unittest.SkipTest("no perdition .deb in %s" % debdir)
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    # A private directory: other test processes (and threads) may be
    # unpacking too; the first rename wins.
    part = tempfile.mkdtemp(prefix="debian-2.2.part",
                            dir=os.path.dirname(cache))
    os.chmod(part, 0o755)
    for deb in debs:
        r = subprocess.run(["dpkg-deb", "-x", deb, part],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            shutil.rmtree(part, ignore_errors=True)
            raise unittest.SkipTest("dpkg-deb -x %s failed: %s"
                                    % (os.path.basename(deb),
                                       r.stderr.strip()))
    try:
        os.rename(part, cache)
    except OSError:  # another run won the race
        shutil.rmtree(part, ignore_errors=True)
    return cache


_root_lock = threading.Lock()


def debian_root():
    with _root_lock:
        return _debian_root()


def _debian_root():
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


