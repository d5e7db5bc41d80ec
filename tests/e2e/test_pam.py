# test_pam.py: authenticate_in (-a) with PAM, run under pam_wrapper.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""PAM local authentication (SPEC 9, 3.6): the daemon checks the
credentials with the PAM service "perdition" before it logs in to the
private Dovecot.  Debian's libpam-wrapper (LD_PRELOAD libpam_wrapper.so)
points libpam at a service directory of our own, and pam_matrix checks
users against a passdb file, so no system account is touched:
good password, bad password, retry in the same session, locked account,
and a child that is never root (PAM runs in the monitor)."""

import atexit
import glob
import os
import pwd
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403

LIBDIRS = ["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
           "/usr/local/lib"]


def _find(names):
    for d in LIBDIRS:
        for n in names:
            p = os.path.join(d, n)
            if os.path.exists(p):
                return p
    return None


#: libpam_wrapper.so and pam_matrix.so (None when not installed).
WRAPPER = _find(["libpam_wrapper.so", "libpam_wrapper.so.0"])
MATRIX = _find(["pam_wrapper/pam_matrix.so"])

#: pam_matrix passdb: user:password:service.  dave's service is not
#: "perdition": his password is right but account management refuses
#: him (a locked account).  erin is locked by pam_deny in her service
#: variant.  alice and bob have the same passwords as at Dovecot.
PASSDB = ("alice:alicepw:perdition\n"
          "bob:good pass:perdition\n"
          "carol:carolpw:perdition\n"
          "dave:davepw:otherservice\n")

POP3_FAIL = "-ERR Authentication failure, mate"
LOCAL_FAIL = "Local authentication failure for client: Allowing retry."


def pam_env(service_dir):
    """Environment that makes the daemon's libpam read service_dir."""
    asan = os.environ.get("ASAN_OPTIONS", "detect_leaks=0")
    return {
        "LD_PRELOAD": WRAPPER,
        "PAM_WRAPPER": "1",
        "PAM_WRAPPER_SERVICE_DIR": service_dir,
        # Deep binding and sanitizers do not mix (the ASan build aborts
        # in dlopen); pam_wrapper 1.1.4 reads the variable under the
        # uid_wrapper name.  A preloaded library before the ASan runtime
        # is fine for these tests.
        "PAM_WRAPPER_DISABLE_DEEPBIND": "1",
        "UID_WRAPPER_DISABLE_DEEPBIND": "1",
        "ASAN_OPTIONS": asan + ":verify_asan_link_order=0",
    }


def remove_stale_wrapper_dirs():
    """Remove the /tmp/pam.<letter> copies whose process is gone.

    pam_wrapper (1.1.4) copies the service dir to /tmp/pam.<letter> in
    every process that starts PAM (the daemon, and each PAM worker the
    monitor forks); a copy whose process ended without exit() (_exit,
    a signal) stays.  The next start-up that meets it removes it in a
    loop that also removes what another process is creating under the
    same letter meanwhile (which then exits 1 or reads another daemon's
    PAM stack), and two start-ups that draw the same free letter at once
    share one copy.  So these tests start PAM in one process at a time
    (tap_parallel 1) and clear the leftovers first."""
    for d in glob.glob("/tmp/pam.?"):
        try:
            os.kill(int(util.read_file(os.path.join(d, "pid"))), 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except (OSError, ValueError):
            pass


atexit.register(remove_stale_wrapper_dirs)


def make_service_dir(account_lines=None):
    """A pam_wrapper service directory with a "perdition" service using
    pam_matrix for auth and account (or account_lines), and its passdb."""
    d = util.make_tempdir("pdtest-pam-", True)
    passdb = os.path.join(d, "passdb")
    with open(passdb, "w") as f:
        f.write(PASSDB)
    os.chmod(passdb, 0o644)
    if account_lines is None:
        account_lines = ["account required %s passdb=%s" % (MATRIX, passdb)]
    with open(os.path.join(d, "perdition"), "w") as f:
        f.write("# perdition under pam_wrapper (tests/e2e/test_pam.py)\n")
        f.write("auth required %s passdb=%s\n" % (MATRIX, passdb))
        for line in account_lines:
            f.write(line + "\n")
    # libpam complains on stderr when the directory has no "other".
    with open(os.path.join(d, "other"), "w") as f:
        f.write("auth required pam_deny.so\naccount required pam_deny.so\n")
    return d


def run_user():
    """-u/-g for the daemon: nobody/nogroup as root, else ourselves."""
    if os.geteuid() == 0:
        group = "nogroup"
        try:
            import grp
            grp.getgrnam(group)
        except KeyError:
            group = "nobody"
        return ["-u", "nobody", "-g", group]
    return ["-u", util.current_user(), "-g", util.current_group()]


def proc_uid(pid):
    """Real, effective uids of a process from /proc (None if gone)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("Uid:"):
                    return [int(x) for x in line.split()[1:3]]
    except OSError:
        return None
    return None


def session_pid(proxy, user):
    """pid of the child whose Auth line names user (from the log)."""
    m = proxy.wait_log(r'perdition[^\[]*\[(\d+)\]: Auth: .*'
                       r'authentication_id="%s"' % user)
    return int(m[-1].group(1))


@unittest.skipIf(WRAPPER is None or MATRIX is None,
                 "libpam-wrapper (libpam_wrapper.so, pam_matrix.so) "
                 "not installed")
class Pam(PerditionTestCase):
    """-a in front of the private Dovecot, PAM through pam_matrix."""

    # One at a time: see remove_stale_wrapper_dirs().
    tap_parallel = 1

    @classmethod
    def setUpClass(cls):
        dovecot.shared()

    def setUp(self):
        super().setUp()
        remove_stale_wrapper_dirs()

    def pam_proxy(self, protocol="pop3", service_dir=None, args=()):
        dc = self.dovecot()
        service_dir = service_dir or make_service_dir()
        backend = dc.pop3_port if protocol == "pop3" else dc.imap_port
        return self.proxy("-a", *run_user(), *args, backend=backend,
                          protocol=protocol.upper(), user=False,
                          env=pam_env(service_dir))

    def test_pop3_good_password(self):
        """POP3: the right password passes PAM, Dovecot answers"""
        p = self.pam_proxy()
        c = self.client(p)
        self.assertRegex(c.greeting, POP3_GREETING)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        self.assertTrue(c.cmd("STAT").startswith("+OK 2 "))
        self.assertLogMatches(
            p, r'Auth: .* authorisation_id=NONE authentication_id="alice" '
            r'.*protocol=POP3 .*status="ok"')
        self.assertNotIn(LOCAL_FAIL, p.log())

    def test_pop3_password_with_space(self):
        """POP3: a password with a space reaches PAM whole"""
        p = self.pam_proxy()
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"),
                         "+OK You are so in")

    def test_pop3_bad_password(self):
        """POP3: a wrong password fails in PAM, 3 s sleep, the PAM
        reply, Auth status and log line; Dovecot is never asked"""
        p = self.pam_proxy()
        c = self.client(p)
        self.assertEqual(c.cmd("USER alice"), "+OK USER alice set, mate")
        t0 = time.monotonic()
        self.assertEqual(c.cmd("PASS wrong", timeout=20), POP3_FAIL)
        self.assertGreaterEqual(time.monotonic() - t0, 2.5)
        self.assertLogMatches(p, re.escape(LOCAL_FAIL))
        self.assertLogMatches(
            p, r'Auth: 127\.0\.0\.1:\d+->127\.0\.0\.1:%d '
            r'client-secure=plaintext authorisation_id=NONE '
            r'authentication_id="alice" server="127\.0\.0\.1:%d" '
            r'protocol=POP3 server-secure=plaintext '
            r'status="failed: local authentication failure"'
            % (p.port, self.dovecot().pop3_port))

    def test_pop3_unknown_user(self):
        """POP3: a user PAM does not know fails the same way"""
        p = self.pam_proxy()
        c = self.client(p)
        self.assertEqual(c.pop3_login("mallory", "alicepw"), POP3_FAIL)
        self.assertLogMatches(p, r'authentication_id="mallory" .*'
                              r'status="failed: local authentication '
                              r'failure"')

    def test_pop3_retry(self):
        """POP3: after a PAM failure the same session may log in (USER
        again)"""
        p = self.pam_proxy()
        c = self.client(p)
        self.assertEqual(c.pop3_login("alice", "wrong"), POP3_FAIL)
        self.assertEqual(c.cmd("PASS alicepw", timeout=20),
                         "-ERR USER not yet set, mate")
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        self.assertTrue(c.cmd("STAT").startswith("+OK 2 "))

    def test_pop3_locked_account(self):
        """POP3: right password, account management refuses (pam_matrix
        service mismatch): PAM failure"""
        p = self.pam_proxy()
        c = self.client(p)
        self.assertEqual(c.pop3_login("dave", "davepw"), POP3_FAIL)
        self.assertLogMatches(p, r'authentication_id="dave" .*'
                              r'status="failed: local authentication '
                              r'failure"')
        # The same password passes when the account stack permits: it
        # was pam_acct_mgmt that refused (Dovecot then knows no dave).
        d = make_service_dir(["account required pam_permit.so"])
        p2 = self.pam_proxy(service_dir=d)
        c2 = self.client(p2)
        self.assertEqual(c2.pop3_login("dave", "davepw"),
                         "-ERR failed: Re-Authentication Failure")
        self.assertNotIn(LOCAL_FAIL, p2.log())

    def test_pop3_account_deny(self):
        """POP3: an "account requisite pam_deny.so" service refuses even
        a good password"""
        d = make_service_dir(["account requisite pam_deny.so"])
        p = self.pam_proxy(service_dir=d)
        c = self.client(p)
        self.assertEqual(c.pop3_login("alice", "alicepw"), POP3_FAIL)
        self.assertLogMatches(p, r'authentication_id="alice" .*'
                              r'status="failed: local authentication '
                              r'failure"')

    def test_imap_good_password(self):
        """IMAP: the right password passes PAM, Dovecot answers"""
        p = self.pam_proxy("imap4")
        c = self.client(p)
        _, tagged = c.imap_cmd("a1", "LOGIN alice alicepw")
        self.assertEqual(tagged, "a1 OK You are so in")
        _, tagged = c.imap_cmd("a2", "SELECT INBOX")
        self.assertTrue(tagged.startswith("a2 OK"), tagged)

    def test_imap_bad_password_then_retry(self):
        """IMAP: <tag> NO Authentication failure, then a retry works"""
        p = self.pam_proxy("imap4")
        c = self.client(p)
        t0 = time.monotonic()
        _, tagged = c.imap_cmd("a1", 'LOGIN bob "bad pass"', timeout=20)
        self.assertEqual(tagged, "a1 NO Authentication failure")
        self.assertGreaterEqual(time.monotonic() - t0, 2.5)
        self.assertLogMatches(p, re.escape(LOCAL_FAIL))
        self.assertLogMatches(
            p, r'Auth: .* authentication_id="bob" .*protocol=IMAP4 .*'
            r'status="failed: local authentication failure"')
        _, tagged = c.imap_cmd("a2", 'LOGIN bob "good pass"', timeout=20)
        self.assertEqual(tagged, "a2 OK You are so in")

    def test_imap_locked_account(self):
        """IMAP: a locked account gets <tag> NO Authentication failure"""
        p = self.pam_proxy("imap4")
        c = self.client(p)
        _, tagged = c.imap_cmd("x", "LOGIN dave davepw", timeout=20)
        self.assertEqual(tagged, "x NO Authentication failure")

    def test_child_never_root(self):
        """the child runs as -u from its first byte (D-19): PAM runs in
        the root monitor, the daemon itself is -u too"""
        if os.geteuid() != 0:
            self.skipTest("needs root")
        p = self.pam_proxy()
        c = self.client(p)
        nobody = pwd.getpwnam("nobody").pw_uid
        m = p.wait_log(r"perdition[^\[]*\[(\d+)\]: Connect: ")
        pid = int(m[-1].group(1))
        self.assertEqual(proc_uid(pid), [nobody, nobody])
        with open("/proc/%d/status" % pid) as f:
            status = f.read()
        self.assertIn("NoNewPrivs:\t1", status)
        cfg = util.read_file(os.path.join(util.TOP_BUILDDIR, "config.h"))
        if "WITH_SECCOMP 1" in cfg and "SANITIZER_BUILD 1" not in cfg:
            self.assertIn("Seccomp:\t2", status)
        self.assertEqual(c.cmd("USER carol"), "+OK USER carol set, mate")
        self.assertEqual(c.cmd("PASS carolpw"), "+OK You are so in")
        self.assertEqual(session_pid(p, "carol"), pid)
        self.assertEqual(proc_uid(pid), [nobody, nobody])
        self.assertEqual(proc_uid(p.pid), [nobody, nobody])


def maps_libpam(pid):
    """Whether process pid has libpam mapped."""
    with open("/proc/%d/maps" % pid) as f:
        return "/libpam.so" in f.read()


class Loading(PerditionTestCase):
    """libpam is loaded only for authenticate_in (src/pam_auth.c)."""

    def test_loaded_only_with_authenticate_in(self):
        """without -a no libpam in the daemon; with -a it is loaded"""
        plain = self.pop3_proxy()
        self.assertFalse(maps_libpam(plain.pid))
        # No pam_wrapper here: it would bring libpam in by itself.
        p = self.pop3_proxy("-a", *run_user(), user=False)
        self.assertTrue(maps_libpam(p.pid))


class Usage(PerditionTestCase):
    """-a is refused where it cannot work."""

    def test_managesieve_usage_error(self):
        """-a with -P managesieve is a usage error: one line, exit 1"""
        t0 = time.monotonic()
        r = subprocess.run([util.perdition_binary(), "-a", "-P",
                            "managesieve", "-f", "", "--no_daemon",
                            "-l", str(util.free_port()), "-b", "127.0.0.1"],
                           stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=20)
        self.assertEqual(r.returncode, 1, r.stderr)
        lines = r.stderr.strip("\n").splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn("authenticate_in", lines[0])
        self.assertIn("MANAGESIEVE", lines[0])
        self.assertLess(time.monotonic() - t0, 2.0)


class ShippedServiceFile(PerditionTestCase):
    """etc/pam.d/perdition names modules without absolute paths."""

    def test_no_absolute_module_paths(self):
        """every module line names a module without a path"""
        path = os.path.join(util.TOP_SRCDIR, "etc", "pam.d", "perdition")
        with open(path) as f:
            text = f.read()
        seen = 0
        for line in text.splitlines():
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            seen += 1
            if words[0] == "@include":
                continue
            self.assertIn(words[0].lstrip("-"),
                          ("auth", "account", "password", "session"), line)
            module = words[2] if not words[1].startswith("[") else \
                line.split("]", 1)[1].split()[0]
            self.assertNotIn("/", module, line)
        self.assertGreater(seen, 0)


if __name__ == "__main__":
    tap.main()
