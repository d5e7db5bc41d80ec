# test_package.py: build the Debian packages, install them on this machine
# and drive the init script against the private Dovecot.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Packaging (SPEC 10, issues 6 and 12): dpkg-buildpackage builds
perdition, perdition-dev and the map library packages perdition-mysql,
-postgresql, -ldap and -odbc (split as 2.2's), lintian finds no errors,
dpkg -i installs them, each holds its own files and the main package none
of theirs, /etc/init.d/perdition starts POP3 and IMAP4 as
/etc/default/perdition says, both log in to Dovecot (POP3 through the
popmap built by /etc/perdition/Makefile with the default map library),
reload is SIGHUP, status, restart and stop behave, the pid files go,
dpkg -r leaves no systemd link to a removed unit behind, and dpkg --purge
removes everything.

This installs into the real system: it runs only as root, and is skipped
inside a package build (PDTEST_NO_PACKAGE) and where the tools are
missing.  PERDITION_DEBS=DIR uses the .deb files in DIR instead of
building them.  Built packages are cached under /var/tmp by a hash of the
source tree, so the plain and the sanitizer test runs build only once.
The steps run in order; a step whose predecessor failed is skipped.
"""

import glob
import hashlib
import imaplib
import os
import poplib
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
# Building the packages takes minutes: widen the per-test watchdog unless
# the caller chose a limit.
os.environ.setdefault("PDTEST_TIMEOUT", "1800")
from harness import *  # noqa: E402,F403

CACHE_ROOT = "/var/tmp/perdition-pkgtest"
MODES = ("pop3", "pop3s", "imap4", "imaps", "managesieve")
INIT = "/etc/init.d/perdition"
DEFAULTS = "/etc/default/perdition"
MAPLIBS = ("mysql", "postgresql", "ldap", "odbc")
PACKAGES = ("perdition", "perdition-dev") + tuple(
    "perdition-" + m for m in MAPLIBS)
SYSTEMD_DIR = "/etc/systemd/system"


def pidfile(mode):
    return "/var/run/perdition.%s/perdition.%s.pid" % (mode, mode)


def read_pid(mode):
    """The pid in a mode's pid file, or None."""
    try:
        with open(pidfile(mode)) as f:
            return int(f.read().strip() or "0") or None
    except (OSError, ValueError):
        return None


def alive(pid):
    """pid runs and is not a zombie (an init that does not reap, as in
    some containers, leaves the daemons' exits as zombies)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        pass
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def run(cmd, timeout=120, **kw):
    """Run cmd bounded; returns CompletedProcess with text output."""
    # SYSTEMCTL_SKIP_REDIRECT: where systemd runs, test the init script
    # itself rather than the units LSB's init-functions would hand over to.
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive", LC_ALL="C",
               SYSTEMCTL_SKIP_REDIRECT="1", _SYSTEMCTL_SKIP_REDIRECT="1")
    env.update(kw.pop("env", {}))
    return subprocess.run(cmd, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace", timeout=timeout,
                          env=env, **kw)


def installed_version(pkg):
    r = run(["dpkg-query", "-W", "-f=${Status} ${Version}", pkg], 30)
    if r.returncode != 0 or " installed " not in r.stdout + " ":
        return None
    return r.stdout.split()[-1]


def package_files(pkg):
    """The paths dpkg -L lists for an installed package."""
    r = run(["dpkg", "-L", pkg], 30)
    return set(r.stdout.split()) if r.returncode == 0 else set()


def plugin_files(libdir, name):
    """What perdition-<name> holds, as 2.2's package: the library, its
    makedb script and that script's page; ldap also the schema (our
    Makefile installs it in $(datadir)/perdition, with a cn=config form)."""
    files = [os.path.join(libdir, "libperditiondb_%s.so.0" % name),
             "/usr/sbin/perditiondb_%s_makedb" % name,
             "/usr/share/man/man8/perditiondb_%s_makedb.8.gz" % name]
    if name == "ldap":
        files += ["/usr/share/perdition/perdition.schema",
                  "/usr/share/perdition/perdition.ldif"]
    return files


def unit_links():
    """{link: target} of the perdition*.service links in the .wants
    directories of /etc/systemd/system."""
    return {l: os.readlink(l) for l in glob.glob(os.path.join(
        SYSTEMD_DIR, "*.wants", "perdition*.service")) if os.path.islink(l)}


def source_version():
    """The version in debian/changelog's first line."""
    path = os.path.join(util.TOP_SRCDIR, "debian", "changelog")
    with open(path) as f:
        first = f.readline()
    return first.split("(", 1)[1].split(")", 1)[0]


# ------------------------------------------------------------ the build

_TOP_SKIP = {"Makefile", "config.status", "config.log", "config.h",
             "libtool", "stamp-h1", "perdition", ".git", "autom4te.cache"}
_ANY_SKIP = {".git", "autom4te.cache", ".libs", ".deps", "__pycache__"}
_DEBIAN_SKIP = {"tmp", ".debhelper", "files", "debhelper-build-stamp",
                "autoreconf.before", "autoreconf.after"} | {
    p + sfx for p in PACKAGES for sfx in ("", "-dbgsym")}


def _ignore(top):
    def ignore(d, names):
        out = set()
        rel = os.path.relpath(d, top)
        for n in names:
            p = os.path.join(d, n)
            if n in _ANY_SKIP or n.endswith(("~", ".o", ".lo", ".la",
                                             ".trs", ".log", ".tar.gz")):
                out.add(n)
            elif rel == "." and (n in _TOP_SKIP or (
                    os.path.isdir(p) and not os.path.islink(p) and
                    os.path.exists(os.path.join(p, "config.status")))):
                # In-tree configuration and out-of-tree build dirs.
                out.add(n)
            elif rel == "debian" and (n in _DEBIAN_SKIP or
                                      n.endswith(".substvars")):
                out.add(n)
        return out
    return ignore


def copy_source(dst):
    """Copy the source tree without build products to dst."""
    top = util.TOP_SRCDIR
    shutil.copytree(top, dst, symlinks=True, ignore=_ignore(top))


def tree_hash(top):
    """sha256 over the paths, link targets and contents below top."""
    h = hashlib.sha256()
    for d, dirs, files in os.walk(top):
        dirs.sort()
        for n in sorted(files + [x for x in dirs
                                 if os.path.islink(os.path.join(d, x))]):
            p = os.path.join(d, n)
            h.update(os.path.relpath(p, top).encode() + b"\0")
            if os.path.islink(p):
                h.update(b"L" + os.readlink(p).encode() + b"\0")
            else:
                with open(p, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()[:16]


def find_debs(d):
    """{package: path} of the perdition .debs in d."""
    out = {}
    for pkg in PACKAGES:
        hits = sorted(glob.glob(os.path.join(d, "%s_*.deb" % pkg)))
        if hits:
            out[pkg] = hits[-1]
    return out


def build_packages():
    """Build (or take from the cache) the .debs; returns (dir, log)."""
    os.makedirs(CACHE_ROOT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="work-", dir=CACHE_ROOT)
    try:
        src = os.path.join(work, "perdition")
        copy_source(src)
        key = tree_hash(src)
        cache = os.path.join(CACHE_ROOT, key)
        if len(find_debs(cache)) == len(PACKAGES):
            return cache, "cached build %s" % key
        jobs = max(1, min(4, os.cpu_count() or 1))
        r = run(["dpkg-buildpackage", "-us", "-uc", "-b", "-Pnocheck"],
                timeout=1500, cwd=src,
                env={"DEB_BUILD_OPTIONS": "nocheck parallel=%d" % jobs,
                     "DEB_BUILD_PROFILES": "nocheck"})
        if r.returncode != 0:
            raise AssertionError("dpkg-buildpackage failed (%d):\n%s"
                                 % (r.returncode, r.stdout[-6000:]))
        # Keep one build only.
        for old in glob.glob(os.path.join(CACHE_ROOT, "*")):
            if old != work:
                shutil.rmtree(old, ignore_errors=True)
        tmp = cache + ".new"
        os.makedirs(tmp)
        for f in glob.glob(os.path.join(work, "*.deb")) + \
                glob.glob(os.path.join(work, "*.changes")):
            shutil.move(f, tmp)
        os.rename(tmp, cache)
        return cache, r.stdout
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------ the test

class Package(PerditionTestCase):
    """Build, install, run through the init script, purge."""

    debs = None         # {package: path}
    done = set()        # steps that passed
    log_dir = None
    ports = {}

    @classmethod
    def skip_reason(cls):
        if os.environ.get("PDTEST_NO_PACKAGE"):
            return "inside a package build"
        if os.geteuid() != 0:
            return "needs root: installs the package into this system"
        for tool in ("dpkg", "dpkg-query", "start-stop-daemon"):
            if shutil.which(tool) is None:
                return "%s is missing (not a Debian system)" % tool
        if not os.environ.get("PERDITION_DEBS"):
            for tool in ("dpkg-buildpackage", "dh"):
                if shutil.which(tool) is None:
                    return "%s is missing (install dpkg-dev debhelper)" \
                        % tool
            if not os.path.isdir(os.path.join(util.TOP_SRCDIR, "debian")):
                return "no debian/ directory in the source tree"
        # Never replace a perdition this test did not install.
        ours = None
        try:
            ours = source_version()
        except (OSError, IndexError):
            pass
        for pkg in PACKAGES:
            v = installed_version(pkg)
            if v is not None and v != ours:
                return "%s %s is installed; not replacing it" % (pkg, v)
        return None

    def step(self, name, needs=None):
        """Skip unless the step `needs` passed; the caller marks itself
        done with self.done.add(name) at its end."""
        reason = self.skip_reason()
        if reason:
            self.skipTest(reason)
        if needs and needs not in self.done:
            self.skipTest("needs step %s, which failed" % needs)

    @classmethod
    def tearDownClass(cls):
        # Whatever happened: stop the daemons, remove the packages.
        if cls.skip_reason() is not None:
            return
        if os.path.exists(INIT) and installed_version("perdition"):
            run([INIT, "stop"], 90)
        for mode in MODES:
            pid = read_pid(mode)
            if pid and alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        if any(installed_version(p) for p in PACKAGES) or \
                os.path.exists(INIT):
            run(["dpkg", "--purge"] + list(PACKAGES), 300)
        if cls.log_dir:
            shutil.rmtree(cls.log_dir, ignore_errors=True)

    # -------------------------------------------------------- steps
    def test_01_build(self):
        """dpkg-buildpackage -b builds perdition, perdition-dev and the
        four map library packages"""
        self.step("build")
        given = os.environ.get("PERDITION_DEBS")
        if given:
            d, out = given, "given"
        else:
            d, out = build_packages()
        debs = find_debs(d)
        self.assertEqual(sorted(debs), sorted(PACKAGES),
                         "packages in %s: %s\n%s"
                         % (d, os.listdir(d), out[-3000:]))
        type(self).debs = debs
        type(self).deb_dir = d
        self.done.add("build")

    def test_02_lintian(self):
        """lintian reports no errors on the packages"""
        self.step("lintian", "build")
        if shutil.which("lintian") is None:
            self.skipTest("lintian is missing")
        r = run(["lintian", "--fail-on", "error", "--tag-display-limit", "0"]
                + sorted(self.debs.values()), 600)
        self.assertEqual(r.returncode, 0, r.stdout)
        errors = [l for l in r.stdout.splitlines() if l.startswith("E:")]
        self.assertEqual(errors, [])

    def test_03_install(self):
        """dpkg -i installs all six packages; nothing starts; the files,
        the default map library, each map library package's own files and
        the systemd links are where they should be"""
        self.step("install", "build")
        # A leftover of an earlier, interrupted run goes first.
        if any(installed_version(p) for p in PACKAGES):
            run([INIT, "stop"], 90)
            run(["dpkg", "--purge"] + list(PACKAGES), 300)
        r = run(["dpkg", "-i", "--force-confnew"]
                + [self.debs[p] for p in PACKAGES], 300)
        self.assertEqual(r.returncode, 0, r.stdout)
        for p in PACKAGES:
            self.assertIsNotNone(installed_version(p), p)
        for path in (["/usr/sbin/perdition", "/usr/bin/makegdbm",
                      "/usr/bin/makebdb", INIT, DEFAULTS,
                      "/etc/pam.d/perdition", "/etc/perdition/perdition.conf",
                      "/etc/perdition/popmap", "/etc/perdition/popmap.re",
                      "/etc/perdition/Makefile",
                      "/etc/perdition/Makefile.popmap",
                      "/usr/include/perditiondb.h",
                      "/usr/share/man/man8/perdition.8.gz",
                      "/usr/share/man/man5/perditiondb.5.gz",
                      "/usr/share/man/man1/makegdbm.1.gz",
                      "/usr/share/man/man1/makebdb.1.gz",
                      "/lib/systemd/system/perdition.service"] +
                     ["/usr/sbin/perdition.%s" % m for m in
                      ("pop3", "pop3s", "imap4", "imap4s", "imaps",
                       "managesieve")] +
                     ["/lib/systemd/system/perdition-%s.service" % m
                      for m in MODES]):
            self.assertTrue(os.path.exists(path), path)
        self.assertTrue(os.access(INIT, os.X_OK))
        # The shipped defaults start nothing.
        for mode in MODES:
            self.assertFalse(os.path.exists(pidfile(mode)), pidfile(mode))
        # The compiled-in default map library is the installed gdbm one.
        r = run(["/usr/sbin/perdition", "--help"], 30)
        self.assertEqual(r.returncode, 0, r.stdout)
        m = re.search(r"(/\S*libperditiondb_gdbm\.so\.0)\b", r.stdout)
        self.assertIsNotNone(m, "no gdbm default in --help")
        self.assertTrue(os.path.exists(m.group(1)), m.group(1))
        for lib in ("gdbm", "bdb", "cdb", "posix_regex", "nis", "daemon"):
            self.assertTrue(os.path.exists(os.path.join(
                os.path.dirname(m.group(1)),
                "libperditiondb_%s.so.0" % lib)), lib)
        self.check_plugin_packages(os.path.dirname(m.group(1)))
        self.check_unit_links()
        # With RUN_PERDITION=no, start says so and succeeds.
        r = run([INIT, "start"], 60)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("RUN_PERDITION", r.stdout)
        r = run([INIT, "status"], 60)
        self.assertEqual(r.returncode, 3, r.stdout)
        self.done.add("install")

    def check_plugin_packages(self, libdir):
        """Each map library package holds exactly its own files, depends
        on this very perdition; the main package holds none of them."""
        main = package_files("perdition")
        version = installed_version("perdition")
        for name in MAPLIBS:
            pkg = "perdition-" + name
            files = package_files(pkg)
            for path in plugin_files(libdir, name):
                self.assertTrue(os.path.exists(path), path)
                self.assertIn(path, files, pkg)
                self.assertNotIn(path, main, path)
            self.assertTrue(os.access("/usr/sbin/perditiondb_%s_makedb"
                                      % name, os.X_OK), name)
            # Nothing but those (and docs, lintian overrides, dirs).
            extra = [f for f in files if not f.startswith(
                ("/usr/share/doc/", "/usr/share/lintian/")) and
                not os.path.isdir(f) and
                f not in plugin_files(libdir, name) and
                not re.search(r"/libperditiondb_%s\.so\.0\.\d+\.\d+$"
                              % name, f)]
            self.assertEqual(extra, [], pkg)
            r = run(["dpkg-query", "-W", "-f=${Depends}", pkg], 30)
            self.assertIn("perdition (= %s)" % version, r.stdout, pkg)
        self.assertEqual([f for f in main if re.search(
            r"perditiondb_(mysql|postgresql|ldap|odbc)|/usr/share/perdition/",
            f)], [])

    def check_unit_links(self):
        """deb-systemd-helper enabled the units (links made even where
        systemd does not run)"""
        if shutil.which("deb-systemd-helper") is None:
            return
        links = unit_links()
        want = os.path.join(SYSTEMD_DIR, "multi-user.target.wants",
                            "perdition.service")
        self.assertIn(want, links, links)
        self.assertTrue(links[want].endswith(
            "/systemd/system/perdition.service"), links[want])
        for mode in MODES:
            self.assertIn(os.path.join(SYSTEMD_DIR, "perdition.service.wants",
                                       "perdition-%s.service" % mode), links)
        self.assertEqual([l for l in links if not os.path.exists(l)], [])

    def test_04_popmap(self):
        """/etc/perdition/Makefile builds popmap.gdbm.db with makegdbm"""
        self.step("popmap", "install")
        dc = self.dovecot()
        with open("/etc/perdition/popmap", "w") as f:
            f.write("# routed by the test\n\nalice:127.0.0.1:%d\n"
                    % dc.pop3_port)
        r = run(["make", "-C", "/etc/perdition"], 60)
        self.assertEqual(r.returncode, 0, r.stdout)
        db = "/etc/perdition/popmap.gdbm.db"
        self.assertTrue(os.path.exists(db))
        r = run(["makegdbm", "-u", db], 30)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("alice:127.0.0.1:%d" % dc.pop3_port, r.stdout)
        # Up to date: make does nothing the second time.
        r = run(["make", "-C", "/etc/perdition"], 60)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertNotIn("makegdbm", r.stdout)
        self.done.add("popmap")

    def test_05_start(self):
        """RUN_PERDITION=yes, POP3=yes, IMAP4=yes: start runs exactly
        those two daemons, each with its pid file"""
        self.step("start", "popmap")
        dc = self.dovecot()
        d = util.make_tempdir("pdtest-pkg-", world_readable=True)
        type(self).log_dir = d
        type(self).log_path = os.path.join(d, "perdition.log")
        pop3, imap4 = util.free_port(), util.free_port()
        dead = util.free_port()  # POP3 users not in the popmap go nowhere
        type(self).ports = {"pop3": pop3, "imap4": imap4}
        with open(DEFAULTS, "w") as f:
            f.write("# written by tests/e2e/test_package.py\n"
                    "RUN_PERDITION=yes\n"
                    "POP3=yes\nPOP3S=no\nIMAP4=yes\nIMAP4S=no\n"
                    "MANAGESIEVE=no\n"
                    "FLAGS='-b 127.0.0.1 -F %s'\n"
                    "POP3_FLAGS='-l %d -s 127.0.0.1:%d'\n"
                    "IMAP4_FLAGS='-M \"\" -l %d -s 127.0.0.1:%d'\n"
                    % (self.log_path, pop3, dead, imap4, dc.imap_port))
        r = run([INIT, "start"], 90)
        self.assertEqual(r.returncode, 0, r.stdout + util.read_file(
            self.log_path))
        for mode in ("pop3", "imap4"):
            pid = read_pid(mode)
            self.assertIsNotNone(pid, "no pid file for %s" % mode)
            self.assertTrue(alive(pid), mode)
        for mode in ("pop3s", "imaps", "managesieve"):
            self.assertFalse(os.path.exists(pidfile(mode)), mode)
        util.wait_listening(pop3, 10)
        util.wait_listening(imap4, 10)
        # A second start is a no-op that succeeds.
        pids = (read_pid("pop3"), read_pid("imap4"))
        r = run([INIT, "start"], 90)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertEqual((read_pid("pop3"), read_pid("imap4")), pids)
        self.done.add("start")

    def login_both(self):
        dc = self.dovecot()
        pop = poplib.POP3("127.0.0.1", self.ports["pop3"], timeout=20)
        try:
            self.assertRegex(pop.getwelcome().decode(), POP3_GREETING)
            pop.user("alice")
            self.assertEqual(pop.pass_("alicepw"), b"+OK You are so in")
            self.assertEqual(pop.stat()[0], len(dovecot.messages_for(
                "alice")))
        finally:
            pop.quit()
        imap = imaplib.IMAP4("127.0.0.1", self.ports["imap4"], timeout=20)
        try:
            typ, data = imap.login("bob", "good pass")
            self.assertEqual(typ, "OK")
            typ, data = imap.select("INBOX", readonly=True)
            self.assertEqual(typ, "OK")
            self.assertEqual(int(data[0]), len(dovecot.messages_for("bob")))
        finally:
            imap.logout()
        # alice reached Dovecot's POP3 port through the popmap.
        util.wait_until(lambda: re.search(
            r'perdition\.pop3\[\d+\]: Auth: .*authentication_id="alice" '
            r'server="127\.0\.0\.1:%d" protocol=POP3 .*status="ok"'
            % dc.pop3_port, util.read_file(self.log_path)), 10,
            what="the POP3 Auth line")

    def test_06_login(self):
        """POP3 (routed by the popmap) and IMAP4 logins through the
        init-script daemons reach Dovecot"""
        self.step("login", "start")
        self.login_both()
        self.done.add("login")

    def test_07_reload(self):
        """reload sends SIGHUP: both daemons stay, reopen their log, and
        still serve"""
        self.step("reload", "start")
        pids = {m: read_pid(m) for m in ("pop3", "imap4")}
        before = util.read_file(self.log_path).count("Reopened logger")
        r = run([INIT, "reload"], 60)
        self.assertEqual(r.returncode, 0, r.stdout)
        util.wait_until(lambda: util.read_file(self.log_path).count(
            "Reopened logger") >= before + 2, 10, what="Reopened logger x2")
        for mode, pid in pids.items():
            self.assertEqual(read_pid(mode), pid, mode)
            self.assertTrue(alive(pid), mode)
        r = run([INIT, "force-reload"], 60)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.login_both()
        self.done.add("reload")

    def test_08_status(self):
        """status is 0 and names both running daemons"""
        self.step("status", "start")
        r = run([INIT, "status"], 60)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("perdition.pop3", r.stdout)
        self.assertIn("perdition.imap4", r.stdout)
        self.done.add("status")

    def test_09_restart(self):
        """restart replaces both daemons with new ones that serve"""
        self.step("restart", "start")
        old = {m: read_pid(m) for m in ("pop3", "imap4")}
        r = run([INIT, "restart"], 120)
        self.assertEqual(r.returncode, 0, r.stdout)
        for mode, pid in old.items():
            new = read_pid(mode)
            self.assertIsNotNone(new, mode)
            self.assertNotEqual(new, pid, mode)
            self.assertFalse(alive(pid), mode)
        util.wait_listening(self.ports["pop3"], 10)
        util.wait_listening(self.ports["imap4"], 10)
        self.login_both()
        self.done.add("restart")

    def test_10_stop(self):
        """stop ends both daemons and their pid files go; status is 3;
        a second stop succeeds"""
        self.step("stop", "start")
        pids = [read_pid(m) for m in ("pop3", "imap4")]
        r = run([INIT, "stop"], 120)
        self.assertEqual(r.returncode, 0, r.stdout)
        for mode in MODES:
            self.assertFalse(os.path.exists(pidfile(mode)), pidfile(mode))
        for pid in pids:
            if pid:
                util.wait_until(lambda: not alive(pid), 10,
                                what="pid %d to exit" % pid)
        self.assertFalse(util.is_listening(self.ports["pop3"]))
        self.assertFalse(util.is_listening(self.ports["imap4"]))
        r = run([INIT, "status"], 60)
        self.assertEqual(r.returncode, 3, r.stdout)
        r = run([INIT, "stop"], 60)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.done.add("stop")

    def test_11_remove(self):
        """dpkg -r removes all six packages and leaves no systemd link to
        their units (going back to 2.2 left dangling ones); the
        configuration stays until purge"""
        self.step("remove", "install")
        before = unit_links()
        if shutil.which("deb-systemd-helper") is not None:
            self.assertTrue(before, "no unit links before dpkg -r")
        r = run(["dpkg", "-r"] + list(PACKAGES), 300)
        self.assertEqual(r.returncode, 0, r.stdout)
        for p in PACKAGES:
            self.assertIsNone(installed_version(p), p)
        after = unit_links()
        self.assertEqual([l for l in after if not os.path.exists(l)], [],
                         "dangling links after dpkg -r")
        self.assertEqual({l: t for l, t in after.items()
                          if "/systemd/system/perdition" in t}, {})
        self.assertFalse(os.path.lexists(os.path.join(
            SYSTEMD_DIR, "perdition.service.wants")))
        self.assertTrue(os.path.exists("/etc/perdition/perdition.conf"))
        self.assertFalse(os.path.lexists("/usr/sbin/perdition"))
        self.done.add("remove")

    def test_12_purge(self):
        """dpkg --purge removes the packages (removed already or not),
        their configuration and the built popmap"""
        self.step("purge", "install")
        r = run(["dpkg", "--purge"] + list(PACKAGES), 300)
        self.assertEqual(r.returncode, 0, r.stdout)
        for p in PACKAGES:
            self.assertIsNone(installed_version(p), p)
        for path in ("/usr/sbin/perdition", "/usr/sbin/perdition.pop3",
                     INIT, DEFAULTS, "/etc/pam.d/perdition",
                     "/etc/perdition", "/usr/include/perditiondb.h"):
            self.assertFalse(os.path.lexists(path), path)
        self.done.add("purge")


if __name__ == "__main__":
    tap.main()
