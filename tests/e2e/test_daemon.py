# test_daemon.py: process model (SPEC 7, D-2, D-8).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Pid file, signals, connection_limit, inetd mode and detaching."""

import os
import pwd
import resource
import stat
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403


def pid_alive(pid):
    """True while a process with this pid exists (and is no zombie)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def children_of(pid):
    """Pids of the live children of pid."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split() if pid_alive(int(x))]
    except OSError:
        return []


class PidFile(PerditionTestCase):
    """--pid_file (SPEC 7, checklist 96-99)."""

    tap_parallel = 4

    def test_content_and_mode(self):
        """pid file holds the pid without newline, mode 0660"""
        p = self.proxy(pid_file=True)
        util.wait_until(lambda: os.path.exists(p.pid_path), 5,
                        what="pid file")
        with open(p.pid_path) as f:
            self.assertEqual(f.read(), str(p.pid))
        self.assertEqual(stat.S_IMODE(os.stat(p.pid_path).st_mode), 0o660)
        self.assertEqual(os.stat(p.pid_path).st_uid, os.geteuid())

    def test_sigterm_removes(self):
        """SIGTERM: pid file removed, exit 0, Exiting on signal 15"""
        p = self.proxy(pid_file=True)
        util.wait_until(lambda: os.path.exists(p.pid_path), 5,
                        what="pid file")
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait_exit(10), 0)
        self.assertFalse(os.path.exists(p.pid_path))
        p.wait_log(r"Exiting on signal 15$")

    def test_live_pid_file(self):
        """a second instance with a live pid file exits with an error"""
        p = self.proxy(pid_file=True)
        util.wait_until(lambda: os.path.exists(p.pid_path), 5,
                        what="pid file")
        q = self.proxy(pid_file=p.pid_path, log="+", start=False)
        q.start(wait=False)
        # 2.2 leaves through its "signal 1" path here (status 0).
        self.assertIn(q.wait_exit(10), (0, 255))
        self.assertRegex(q.stderr(), r"Pid file \[%s\] exists for process "
                         r"\[%d\] which appears to be running"
                         % (re.escape(p.pid_path), p.pid))
        self.assertTrue(p.running())

    def test_stale_pid_file(self):
        """a stale pid file is removed and replaced"""
        d = util.make_tempdir()
        path = os.path.join(d, "stale.pid")
        with open(path, "w") as f:
            f.write("999999")
        p = self.proxy(pid_file=path)
        util.wait_until(lambda: util.read_file(path) == str(p.pid), 5,
                        what="new pid in pid file")
        p.wait_log(r"Removed stale pid-file \[%s\]" % re.escape(path))

    def test_pid_dir_created(self):
        """a missing pid directory is created, mode 0770 & umask"""
        d = util.make_tempdir()
        path = os.path.join(d, "sub", "p.pid")
        p = self.proxy(pid_file=path)
        util.wait_until(lambda: os.path.exists(path), 5, what="pid file")
        mode = stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode)
        self.assertEqual(mode & ~0o770, 0)


class Signals(PerditionTestCase):
    """SIGHUP and other signals (SPEC 7, checklist 99, 100)."""

    tap_parallel = 3

    def test_sighup(self):
        """SIGHUP: Reopened logger, keeps serving"""
        p = self.pop3_proxy()
        p.send_signal(signal.SIGHUP)
        p.wait_log(r"Reopened logger$")
        self.assertTrue(p.running())
        c = self.client(p)
        self.assertRegex(c.greeting, POP3_GREETING)

    def test_sighup_reopens_moved_log(self):
        """SIGHUP after moving the log file: new lines go to a new file"""
        p = self.pop3_proxy()
        os.rename(p.log_path, p.log_path + ".1")
        p.send_signal(signal.SIGHUP)
        p.wait_log(r"Reopened logger$")
        c = self.client(p)
        c.cmd("QUIT")
        p.wait_log(r"Closing NULL session:")

    def test_sigint(self):
        """SIGINT: exit 0"""
        p = self.pop3_proxy()
        p.send_signal(signal.SIGINT)
        self.assertEqual(p.wait_exit(10), 0)
        p.wait_log(r"Exiting on signal 2$")

    def test_child_signals(self):
        """a session child outlives SIGHUP/URG/WINCH, SIGTERM ends it alone"""
        p = self.pop3_proxy(pid_file=True)
        util.wait_until(lambda: os.path.exists(p.pid_path), 5,
                        what="pid file")
        c = self.client(p)
        kids = util.wait_until(lambda: children_of(p.pid), 5,
                               what="session child")
        self.assertEqual(len(kids), 1)
        kid = kids[0]
        for sig in (signal.SIGHUP, signal.SIGURG, signal.SIGWINCH):
            os.kill(kid, sig)
        time.sleep(0.3)
        self.assertTrue(pid_alive(kid))
        self.assertTrue(c.cmd("CAPA").startswith("+OK"))
        c.lines_until(lambda l: l == ".")
        os.kill(kid, signal.SIGTERM)
        util.wait_until(lambda: not pid_alive(kid), 5, what="child gone")
        self.assertTrue(c.eof(5))
        time.sleep(0.3)
        self.assertTrue(p.running())
        self.assertTrue(os.path.exists(p.pid_path))
        self.assertNotIn("Exiting on signal", p.log())
        c2 = self.client(p)
        self.assertRegex(c2.greeting, POP3_GREETING)

    def test_sigusr1_ignored(self):
        """SIGUSR1 is ignored"""
        p = self.pop3_proxy()
        p.send_signal(signal.SIGUSR1)
        time.sleep(0.5)
        self.assertTrue(p.running())


class ConnectionLimit(PerditionTestCase):
    """-L (D-2): the over-limit client gets the error, the daemon lives."""

    tap_parallel = 2

    def test_pop3(self):
        """-L 1: second client gets -ERR and EOF; daemon keeps serving"""
        p = self.pop3_proxy("-L", "1")
        c1 = self.client(p)
        self.assertRegex(c1.greeting, POP3_GREETING)
        c2 = p.connect()
        self.addCleanup(c2.close)
        line = c2.readline()
        self.assertTrue(line.startswith("-ERR"), line)
        self.assertTrue(c2.eof(5))
        self.assertTrue(p.running())
        c1.cmd("QUIT")
        c1.close()
        # The slot frees when the child is reaped.
        def fresh():
            c = p.connect()
            try:
                return c.readline().startswith("+OK")
            finally:
                c.close()
        util.wait_until(fresh, 10, 0.3, what="a free slot")

    def test_imap(self):
        """-L 1 for IMAP: the over-limit client gets * BYE"""
        p = self.imap_proxy("-L", "1")
        c1 = self.client(p)
        c2 = p.connect()
        self.addCleanup(c2.close)
        self.assertTrue(c2.readline().startswith("* BYE"))
        self.assertTrue(c2.eof(5))
        self.assertTrue(p.running())
        self.assertEqual(c1.cmd("a NOOP"), "a OK NOOP")


class AcceptErrors(PerditionTestCase):
    """accept() out of descriptors (EMFILE) is logged at most once per
    10 s, then with how many were left out (issue 15): it used to log ten
    lines a second."""

    def test_emfile_rate_limited(self):
        """RLIMIT_NOFILE at the parent's lowest free descriptor: one
        Error accepting connection line in 2 s, then (repeated N times)"""
        p = self.pop3_proxy()
        fds = {int(x) for x in os.listdir("/proc/%d/fd" % p.pid)}
        low = min(set(range(len(fds) + 1)) - fds)
        old = resource.prlimit(p.pid, resource.RLIMIT_NOFILE)
        resource.prlimit(p.pid, resource.RLIMIT_NOFILE, (low, old[1]))
        c = self.client(p, greeting=False)
        line = r"Error accepting connection: Too many open files"
        p.wait_log(line + "$")
        time.sleep(2)
        self.assertEqual(len(re.findall(line, p.log())), 1, p.log())
        resource.prlimit(p.pid, resource.RLIMIT_NOFILE, old)
        self.assertTrue(c.readline(10).startswith("+OK"))
        m = p.wait_log(line + r" \(repeated (\d+) times\)$")[0]
        self.assertGreaterEqual(int(m.group(1)), 5)
        self.assertTrue(p.running())


class Inetd(PerditionTestCase):
    """-i: one session on fds 0 and 1 (SPEC 7, checklist 77)."""

    tap_parallel = 3

    def test_pop3_login(self):
        """inetd POP3 session logs in to Dovecot and exits 0"""
        s = self.inetd(backend=self.dovecot().pop3_port)
        c = s.client
        self.assertRegex(c.readline(), POP3_GREETING)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        self.assertTrue(c.cmd("STAT").startswith("+OK 2 "))
        c.cmd("QUIT")
        self.assertEqual(s.wait(10), 0)
        self.assertRegex(s.log(), r"Connect:  127\.0\.0\.1:\d+->127\.0\.0\.1"
                         r":\d+ inetd_pid=%d\n" % os.getpid())

    def test_imap_quit(self):
        """inetd IMAP session: LOGOUT exits 0"""
        s = self.inetd("-P", "IMAP4", backend=self.dovecot().imap_port)
        c = s.client
        self.assertRegex(c.readline(), IMAP_GREETING)
        self.assertEqual(c.imap_cmd("a", "LOGOUT")[1], "a OK LOGOUT")
        self.assertEqual(s.wait(10), 0)

    def test_pipes(self):
        """stdin/stdout pipes: Connect:  inetd_pid=N, QUIT works"""
        s = InetdSession(backend=self.dovecot().pop3_port,
                         stdin=subprocess.PIPE)
        s.start()
        self.addCleanup(s.stop)
        out, _ = s.proc.communicate(b"QUIT\r\n", timeout=10)
        lines = out.decode("latin-1").split("\r\n")
        self.assertRegex(lines[0], POP3_GREETING)
        self.assertEqual(lines[1], "+OK QUIT")
        self.assertEqual(s.proc.returncode, 0)
        self.assertRegex(s.log(), r"Connect:  inetd_pid=%d\n" % os.getpid())

    def test_drops_privileges(self):
        """inetd as root: the session runs as -u/-g, not as root"""
        if os.geteuid() != 0:
            self.skipTest("needs root")
        s = self.inetd("-u", "nobody", "-g", "nogroup",
                       backend=self.dovecot().pop3_port)
        self.assertRegex(s.client.readline(), POP3_GREETING)
        with open("/proc/%d/status" % s.proc.pid) as f:
            ids = dict(line.split(":", 1) for line in f if ":" in line)
        nobody = pwd.getpwnam("nobody").pw_uid
        self.assertEqual(ids["Uid"].split(), [str(nobody)] * 4)
        s.client.send(b"QUIT\r\n")
        self.assertEqual(s.wait(10), 0)

    def test_eof(self):
        """client EOF pre-auth: exit 255"""
        s = self.inetd(backend=self.dovecot().pop3_port)
        s.client.readline()
        s.client.close()
        self.assertEqual(s.wait(10), 255)


class Detach(PerditionTestCase):
    """Without --no_daemon perdition detaches; -F file still logs (D-8)."""

    def test_daemon_mode(self):
        """detached daemon writes its pid file, serves, logs, stops"""
        p = self.pop3_proxy(pid_file=True, no_daemon=False, start=False)
        p.start(wait=False)
        self.assertEqual(p.wait_exit(10), 0)
        util.wait_until(lambda: util.read_file(p.pid_path).isdigit(), 10,
                        what="pid file")
        pid = int(util.read_file(p.pid_path))
        try:
            util.wait_listening(p.port, 10)
            self.assertNotEqual(pid, p.pid)
            c = self.client(p)
            self.assertRegex(c.greeting, POP3_GREETING)
            self.assertEqual(c.pop3_login("alice", "alicepw"),
                             "+OK You are so in")
            c.cmd("QUIT")
            p.wait_log(r"Auth: .* status=\"ok\"$")
            p.wait_log(r"Starting perdition version=\S+ protocol=POP3$")
        finally:
            os.kill(pid, signal.SIGTERM)
            try:
                util.wait_until(lambda: not pid_alive(pid), 10,
                                what="daemon to exit")
            except TimeoutError:
                os.kill(pid, signal.SIGKILL)
                raise
        self.assertFalse(os.path.exists(p.pid_path))


if __name__ == "__main__":
    sys.exit(tap.main())
