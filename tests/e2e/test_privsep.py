# test_privsep.py: privilege separation and the session sandbox.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""A pre-auth child that can do no harm (issue 15 point 3, SPEC D-19):
a waiting child's /proc/PID/status shows the run user, NoNewPrivs 1 and
Seccomp 2 (filter mode); --no_seccomp leaves the filter off but not
no_new_privs; --chroot confines the daemon and its children.  That
sessions still work under the filter end to end is shown here for POP3,
IMAP and ManageSieve and by every other e2e file (TLS, the map
libraries), which run with the filter on by default."""

import grp
import os
import pwd
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403


def proc_status(pid):
    """The fields of /proc/PID/status as a dict of strings."""
    fields = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            fields[k] = v.strip()
    return fields


def nobody():
    """(user, group, uid) to run as when we are root."""
    group = "nogroup"
    try:
        grp.getgrnam(group)
    except KeyError:
        group = "nobody"
    return "nobody", group, pwd.getpwnam("nobody").pw_uid


def child_pid(proxy, count=1):
    """pid of the count-th session child (its Connect line)."""
    m = proxy.wait_log(r"perdition[^\[]*\[(\d+)\]: Connect: ", count=count)
    return int(m[count - 1].group(1))


def seccomp_built():
    """Is the filter compiled in (not --disable-seccomp, no sanitizers)?"""
    cfg = os.path.join(util.TOP_BUILDDIR, "config.h")
    try:
        with open(cfg) as f:
            text = f.read()
    except OSError:
        return True
    return ("#define WITH_SECCOMP 1" in text and
            "#define SANITIZER_BUILD 1" not in text)


class Sandbox(PerditionTestCase):
    """What a waiting pre-auth child may do."""

    tap_parallel = 4

    def run_args(self):
        if os.geteuid() == 0:
            u, g, _ = nobody()
            return {"user": False, "extra": ["-u", u, "-g", g]}
        return {"user": True, "extra": []}

    def waiting_child(self, *args, protocol="pop3"):
        ra = self.run_args()
        dc = self.dovecot()
        port = {"pop3": dc.pop3_port, "imap4": dc.imap_port,
                "managesieve": dc.sieve_port}[protocol]
        p = self.proxy(*ra["extra"], *args, backend=port,
                       protocol=protocol.upper(), user=ra["user"])
        c = self.client(p, greeting=protocol != "managesieve")
        return p, c, child_pid(p)

    def test_pop3_child_confined(self):
        """POP3: the waiting child runs as -u, NoNewPrivs 1, Seccomp 2,
        then the login and a command work under the filter"""
        p, c, pid = self.waiting_child()
        st = proc_status(pid)
        self.assertEqual(st["NoNewPrivs"], "1")
        if seccomp_built():
            self.assertEqual(st["Seccomp"], "2")
        if os.geteuid() == 0:
            uid = nobody()[2]
            self.assertEqual(st["Uid"].split()[:4], [str(uid)] * 4)
            self.assertEqual(proc_status(p.pid)["Uid"].split()[0],
                             str(uid))
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        self.assertTrue(c.cmd("STAT").startswith("+OK 2 "))
        c.cmd("QUIT")
        self.assertLogMatches(p, r"Closing session: .*"
                              r'authentication_id="alice"')

    def test_imap_works_under_filter(self):
        """IMAP: login, SELECT and FETCH through a filtered child"""
        p, c, pid = self.waiting_child(protocol="imap4")
        if seccomp_built():
            self.assertEqual(proc_status(pid)["Seccomp"], "2")
        _, tagged = c.imap_cmd("a1", "LOGIN alice alicepw")
        self.assertEqual(tagged, "a1 OK You are so in")
        _, tagged = c.imap_cmd("a2", "SELECT INBOX")
        self.assertTrue(tagged.startswith("a2 OK"), tagged)
        untagged, tagged = c.imap_cmd("a3", "FETCH 1 RFC822.SIZE")
        self.assertTrue(tagged.startswith("a3 OK"), tagged)

    def test_managesieve_works_under_filter(self):
        """ManageSieve: the capability greeting and a login through a
        filtered child"""
        p, c, pid = self.waiting_child(protocol="managesieve")
        if seccomp_built():
            self.assertEqual(proc_status(pid)["Seccomp"], "2")
        lines = c.lines_until(lambda l: l.startswith("OK"))
        self.assertTrue(lines[-1].startswith("OK"), lines)
        import base64
        tok = base64.b64encode(b"\0alice\0alicepw").decode()
        c.send_line('AUTHENTICATE "PLAIN" "%s"' % tok)
        self.assertTrue(c.readline().startswith("OK"))

    def test_no_seccomp(self):
        """--no_seccomp: Seccomp 0 but still NoNewPrivs 1"""
        p, c, pid = self.waiting_child("--no_seccomp")
        st = proc_status(pid)
        self.assertEqual(st["Seccomp"], "0")
        self.assertEqual(st["NoNewPrivs"], "1")
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")

    def test_daemon_not_filtered(self):
        """the listening daemon itself has no filter (it forks, reloads
        maps, reopens its log)"""
        p, c, pid = self.waiting_child()
        self.assertEqual(proc_status(p.pid)["Seccomp"], "0")

    def test_chroot(self):
        """--chroot DIR: the daemon and its child see DIR as /, and a
        numeric pure proxy still works inside it"""
        if os.geteuid() != 0:
            self.skipTest("chroot needs root")
        root = util.make_tempdir("pdtest-chroot-", True)
        os.chmod(root, 0o755)
        p, c, pid = self.waiting_child("--chroot", root, "-n")
        self.assertEqual(os.readlink("/proc/%d/root" % pid), root)
        self.assertEqual(os.readlink("/proc/%d/root" % p.pid), root)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        self.assertTrue(c.cmd("STAT").startswith("+OK 2 "))

    def test_chroot_missing_dir(self):
        """--chroot to a missing directory is fatal at start-up"""
        if os.geteuid() != 0:
            self.skipTest("chroot needs root")
        u, g, _ = nobody()
        p = self.proxy("-u", u, "-g", g, "--chroot", "/nonexistent/x",
                       backend=self.dovecot().pop3_port, user=False,
                       start=False)
        p.start(wait=False)
        self.assertNotEqual(p.wait_exit(10), 0)
        self.assertLogMatches(p, r'Fatal error: chroot "/nonexistent/x"')


def monitor_pids(daemon_pid):
    """pids of the daemon's children titled "...: monitor"."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            st = proc_status(int(d))
            with open("/proc/%s/cmdline" % d, "rb") as f:
                title = f.read()
        except OSError:
            continue
        if st.get("PPid") == str(daemon_pid) and b": monitor" in title:
            out.append(int(d))
    return out


class Monitor(PerditionTestCase):
    """The privileged monitor holds the log file (D-17) and answers PAM
    (D-19; test_pam.py covers the PAM answers)."""

    tap_parallel = 4

    def root_proxy(self, *args, **kw):
        if os.geteuid() != 0:
            self.skipTest("needs root")
        u, g, _ = nobody()
        return self.proxy("-u", u, "-g", g, *args, user=False,
                          backend=self.dovecot().pop3_port, **kw)

    def test_log_file_held_by_root(self):
        """as root with a log file: one monitor (root), the log file
        stays root's and mode 0644, so neither the daemon (nobody) nor
        a session can rewrite it; the session's lines carry its pid"""
        p = self.root_proxy()
        c = self.client(p)
        pid = child_pid(p)
        mons = monitor_pids(p.pid)
        self.assertEqual(len(mons), 1, mons)
        self.assertEqual(proc_status(mons[0])["Uid"].split()[0], "0")
        st = os.stat(p.log_path)
        self.assertEqual((st.st_uid, st.st_mode & 0o777), (0, 0o644))
        uid = nobody()[2]
        for who in (pid, p.pid):
            self.assertEqual(proc_status(who)["Uid"].split()[0], str(uid))
            # Neither holds the file open.
            for fd in os.listdir("/proc/%d/fd" % who):
                try:
                    target = os.readlink("/proc/%d/fd/%s" % (who, fd))
                except OSError:
                    continue
                self.assertNotEqual(target, p.log_path)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        c.cmd("QUIT")
        self.assertLogMatches(p, r"perdition\[%d\]: Closing session: " % pid)

    def test_logrotate(self):
        """rename the log file and send SIGHUP: the monitor opens a new
        file (root's), and later lines of the daemon and a session go
        there"""
        p = self.root_proxy()
        self.client(p).close()
        self.assertLogMatches(p, r"Connect: ")
        old = p.log_path + ".1"
        os.rename(p.log_path, old)
        p.send_signal(signal.SIGHUP)
        util.wait_until(lambda: os.path.exists(p.log_path), 10,
                        what="a new log file")
        self.assertLogMatches(p, r"Reopened logger")
        c = self.client(p)
        pid = child_pid(p)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        self.assertLogMatches(p, r"perdition\[%d\]: Auth: .*"
                              r'authentication_id="alice"' % pid)
        self.assertEqual(os.stat(p.log_path).st_uid, 0)
        self.assertNotIn("Reopened logger", util.read_file(old))

    def test_no_monitor_without_need(self):
        """syslog and no -a: no monitor (nothing to hold)"""
        if os.geteuid() != 0:
            self.skipTest("needs root")
        u, g, _ = nobody()
        p = self.proxy("-u", u, "-g", g, user=False, log="+",
                       backend=self.dovecot().pop3_port)
        self.client(p)
        self.assertEqual(monitor_pids(p.pid), [])

    def test_monitor_outlives_daemon_for_sessions(self):
        """a session still open when the daemon is stopped keeps its log
        (the monitor ends after the last session)"""
        p = self.root_proxy()
        c = self.client(p)
        pid = child_pid(p)
        mons = monitor_pids(p.pid)
        p.stop()
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        c.cmd("QUIT")
        self.assertLogMatches(p, r"perdition\[%d\]: Closing session: " % pid)
        util.wait_until(lambda: not os.path.exists("/proc/%d" % mons[0]),
                        10, what="the monitor to end")

    def test_inetd_monitor(self):
        """inetd mode as root with a log file: the session runs as -u,
        confined, its lines reach the root-owned file"""
        if os.geteuid() != 0:
            self.skipTest("needs root")
        u, g, uid = nobody()
        s = self.inetd("-u", u, "-g", g, backend=self.dovecot().pop3_port,
                       user=False)
        self.assertRegex(s.client.readline(), POP3_GREETING)
        st = proc_status(s.proc.pid)
        self.assertEqual(st["Uid"].split()[0], str(uid))
        if seccomp_built():
            self.assertEqual(st["Seccomp"], "2")
        self.assertEqual(s.client.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        s.client.cmd("QUIT")
        s.wait()
        util.wait_until(lambda: "Closing session" in s.log(), 10,
                        what="the Close line")
        self.assertEqual(os.stat(s.log_path).st_uid, 0)


class DumpMask(PerditionTestCase):
    """-d -C masks passwords unless log_passwd is always (D-16)."""

    tap_parallel = 3

    def test_pop3_masked(self):
        """POP3: the client's PASS and ours to the server are logged as
        PASS ********; the password appears nowhere in the log"""
        p = self.pop3_proxy("-d", "-C")
        c = self.client(p)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        c.cmd("QUIT")
        self.assertLogMatches(p, r'CLIENT: "PASS \*{8}"')
        self.assertLogMatches(p, r'SELF: +"PASS \*{8}\\r\\n"')
        self.assertLogMatches(p, r'CLIENT: "USER alice"')
        self.assertLogMatches(p, r"Closing session")
        self.assertNotIn("alicepw", p.log())

    def test_imap_masked(self):
        """IMAP: LOGIN user ******** from the client and to the server"""
        p = self.imap_proxy("-d", "-C")
        c = self.client(p)
        _, tagged = c.imap_cmd("a1", 'LOGIN alice "alicepw"')
        self.assertEqual(tagged, "a1 OK You are so in")
        c.imap_cmd("a2", "LOGOUT")
        self.assertLogMatches(p, r'CLIENT: "a1 LOGIN alice \*{8}"')
        self.assertLogMatches(p, r"Closing session")
        self.assertNotIn("alicepw", p.log())

    def test_log_passwd_always_shows(self):
        """--log_passwd always: the traffic is logged as it was"""
        p = self.pop3_proxy("-d", "-C", "--log_passwd", "always")
        c = self.client(p)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        self.assertLogMatches(p, r'CLIENT: "PASS alicepw"')


if __name__ == "__main__":
    tap.main()
