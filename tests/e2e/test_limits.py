# test_limits.py: per-address limits and the memory of failed logins
# (issue 15 point 2).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""connection_limit_per_address, login_failures_delay/refuse/window, the
Limit: log lines and the shipped fail2ban filter.  Clients come from
127.0.0.2 and 127.0.0.3 (bound source addresses on loopback)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403

FILTER = os.path.join(os.environ.get("top_srcdir", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")),
    "etc", "fail2ban", "perdition-limits.conf")
BUSY = "-ERR Too many connections, mate"
FAILED = "-ERR failed: Re-Authentication Failure"


def connect_from(p, source, timeout=15.0):
    """A Client to proxy p from the loopback address source."""
    s = socket.create_connection(("127.0.0.1", p.port), timeout,
                                 source_address=(source, 0))
    return Client(s, timeout)


class Limits(PerditionTestCase):
    """Per-address caps, delays and refusals (fake POP3 back-end)."""

    tap_parallel = 3

    def setUp(self):
        self.backend = self.fake(pop3_handler(users={"bob": "good"}))

    def limited(self, *args):
        return self.proxy(*args, backend=self.backend.port)

    def login_from(self, p, source, user, password):
        """Greeting, USER/PASS from source; (reply, seconds taken)."""
        with connect_from(p, source) as c:
            c.readline()
            t0 = time.monotonic()
            r = c.pop3_login(user, password)
            return r, time.monotonic() - t0

    def test_per_address_cap(self):
        """a third session from 127.0.0.2 is refused, 127.0.0.3 served"""
        p = self.limited("--connection_limit_per_address", "2")
        held = [connect_from(p, "127.0.0.2") for _ in range(2)]
        for c in held:
            self.addCleanup(c.close)
            self.assertRegex(c.readline(), POP3_GREETING)
        with connect_from(p, "127.0.0.2") as c:
            self.assertEqual(c.readline(), BUSY)
            self.assertTrue(c.eof())
        with connect_from(p, "127.0.0.3") as c:
            self.assertRegex(c.readline(), POP3_GREETING)
        p.wait_log(r"Limit: refusing connection from 127\.0\.0\.2: 2 "
                   r"connections open from this address "
                   r"\(connection_limit_per_address\)$")
        # One goes: the address may connect again (once its child is
        # reaped; bounded retries).
        held[0].cmd("QUIT")
        held[0].close()

        def again():
            with connect_from(p, "127.0.0.2") as c:
                return POP3_GREETING.match(c.readline())
        util.wait_until(again, 10, what="a slot for 127.0.0.2")

    def test_failures_delay_then_refuse(self):
        """failures from one address: growing delay, then refusal"""
        p = self.limited("--login_failures_delay", "2",
                         "--login_failures_refuse", "3",
                         "--login_failures_window", "60")
        # Three failures at once; the 2nd and 3rd are delayed 1 and 2 s.
        res = parallel(*[lambda: self.login_from(p, "127.0.0.2", "bob",
                                                 "bad")] * 3)
        for r, _ in res:
            self.assertEqual(r, FAILED)
        took = sorted(t for _, t in res)
        self.assertGreaterEqual(took[1], 3.9)
        self.assertGreaterEqual(took[2], 4.9)
        p.wait_log(r"Limit: delaying the reply to a failed login from "
                   r"127\.0\.0\.2 by 1 s: 2 failed logins from this "
                   r"address within 60 s$")
        p.wait_log(r"Limit: delaying the reply to a failed login from "
                   r"127\.0\.0\.2 by 2 s: 3 failed logins from this "
                   r"address within 60 s$")
        with connect_from(p, "127.0.0.2") as c:
            self.assertEqual(c.readline(), BUSY)
        p.wait_log(r"Limit: refusing connection from 127\.0\.0\.2: 3 failed "
                   r"logins from this address within 60 s "
                   r"\(login_failures_refuse\)$")
        # Another address still logs in, undelayed.
        r, t = self.login_from(p, "127.0.0.3", "bob", "good")
        self.assertEqual(r, "+OK You are so in", p.log())
        self.assertLess(t, 2)

    def test_refused_sasl_counts(self):
        """refused SASL exchanges count against the address too"""
        p = self.limited("--login_failures_refuse", "2",
                         "--login_failures_window", "60")
        for _ in range(2):
            with connect_from(p, "127.0.0.2") as c:
                c.readline()
                self.assertTrue(c.cmd("AUTH PLAIN !!!!").startswith("-ERR"))

        # The module answered before the child told the daemon: retry
        # (bounded) until the daemon has counted both.
        def refused():
            with connect_from(p, "127.0.0.2") as c:
                return c.readline() == BUSY
        util.wait_until(refused, 5, what="127.0.0.2 refused")
        p.wait_log(r"Limit: refusing connection from 127\.0\.0\.2: 2 failed "
                   r"logins from this address within 60 s "
                   r"\(login_failures_refuse\)$")

    def test_user_name_delay_only(self):
        """failures for one user from many addresses: delay, no refusal"""
        p = self.limited("--login_failures_delay", "2",
                         "--login_failures_refuse", "2")
        r, t = self.login_from(p, "127.0.0.2", "victim", "x")
        self.assertLess(t, 3.9)
        r, t = self.login_from(p, "127.0.0.3", "victim", "y")
        self.assertGreaterEqual(t, 3.9)
        p.wait_log(r'Limit: delaying the reply to a failed login from '
                   r'127\.0\.0\.3 by 1 s: 2 failed logins for user '
                   r'"victim" within 900 s$')
        r, t = self.login_from(p, "127.0.0.4", "victim", "z")
        self.assertEqual(r, FAILED)
        self.assertGreaterEqual(t, 4.9)
        # No address reached 2 failures: nobody is refused.
        with connect_from(p, "127.0.0.2") as c:
            self.assertRegex(c.readline(), POP3_GREETING)
        self.assertNotIn("Limit: refusing", p.log())

    def test_off_by_default(self):
        """without the options: no delay, no Limit line"""
        p = self.limited()
        for _ in range(2):
            r, t = self.login_from(p, "127.0.0.2", "bob", "bad")
            self.assertLess(t, 3.9)
        self.assertNotIn("Limit:", p.log())

    def test_fail2ban_filter(self):
        """fail2ban-regex: the shipped filter matches delays and refusals
        for failures, not the per-address cap"""
        if subprocess.run(["which", "fail2ban-regex"],
                          capture_output=True).returncode != 0:
            self.skipTest("fail2ban-regex is not installed")
        p = self.limited("--login_failures_delay", "1",
                         "--login_failures_refuse", "1",
                         "--connection_limit_per_address", "1")
        held = connect_from(p, "127.0.0.3")
        self.addCleanup(held.close)
        held.readline()
        with connect_from(p, "127.0.0.3") as c:
            self.assertEqual(c.readline(), BUSY)
        self.login_from(p, "127.0.0.2", "bob", "bad")
        p.wait_log(r"Fatal Error reading authentication information from "
                   r"client 127\.0\.0\.2")
        with connect_from(p, "127.0.0.2") as c:
            self.assertEqual(c.readline(), BUSY)
        p.wait_log(r"Limit: refusing connection from 127\.0\.0\.2: 1 failed")
        # The filter reads common.conf from its own directory.
        d = util.make_tempdir("pdtest-f2b-")
        for src in (FILTER, "/etc/fail2ban/filter.d/common.conf"):
            with open(src) as f, \
                    open(os.path.join(d, os.path.basename(src)), "w") as g:
                g.write(f.read())
        r = subprocess.run(["fail2ban-regex", "--print-all-matched",
                            p.log_path,
                            os.path.join(d, os.path.basename(FILTER))],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        m = re.search(r"Lines: (\d+) lines, (\d+) ignored, (\d+) matched",
                      r.stdout)
        self.assertTrue(m, r.stdout)
        self.assertEqual(int(m.group(3)), 2, r.stdout + "\n" + p.log())
        self.assertIn("127.0.0.2", r.stdout)
        self.assertNotIn("127.0.0.3", r.stdout.split("Lines:")[0])


class Descriptors(PerditionTestCase):
    """Descriptor exhaustion in the daemon (issue 15 point 8)."""

    def test_emfile(self):
        """out of descriptors: daemon survives, one line per 10 s with a
        count, service resumes"""
        import resource
        p = self.pop3_proxy()
        # The daemon holds no descriptor per session (accept, fork,
        # close), so exhaust it from outside: its soft limit down to what
        # it has open, so every accept() fails with EMFILE.
        soft, hard = resource.prlimit(p.pid, resource.RLIMIT_NOFILE)
        used = len(os.listdir("/proc/%d/fd" % p.pid))
        resource.prlimit(p.pid, resource.RLIMIT_NOFILE, (used, hard))
        waiting = []
        for _ in range(3):
            c = p.connect()
            self.addCleanup(c.close)
            waiting.append(c)
        p.wait_log(r"Error accepting connection: Too many open files$")
        time.sleep(2)   # about 20 more failures, none of them logged
        self.assertTrue(p.running())
        self.assertEqual(p.log().count("Error accepting connection"), 1,
                         p.log())
        # Descriptors again: the queued clients are served and the
        # failures left out are counted.
        resource.prlimit(p.pid, resource.RLIMIT_NOFILE, (soft, hard))
        for c in waiting:
            self.assertRegex(c.readline(), POP3_GREETING)
        m = p.wait_log(r"Error accepting connection: Too many open files "
                       r"\(repeated (\d+) times\)$")
        self.assertGreaterEqual(int(m[0].group(1)), 5)
        c = self.client(p)
        self.assertRegex(c.greeting, POP3_GREETING)
        self.assertTrue(p.running())


class ProxyProtocol(PerditionTestCase):
    """With the PROXY protocol the announced address counts."""

    def announce(self, p, client_ip):
        c = p.connect()
        self.addCleanup(c.close)
        c.send("PROXY TCP4 %s 127.0.0.1 40000 %d\r\n" % (client_ip, p.port))
        return c, c.readline()

    def test_announced_address_counts(self):
        """the cap counts the address in the PROXY header, not the
        balancer's"""
        backend = self.fake(pop3_handler(users={"bob": "good"}))
        p = self.proxy("--proxy_protocol", "--proxy_protocol_trusted",
                       "127.0.0.0/8", "--connection_limit_per_address", "1",
                       backend=backend.port)
        _, first = self.announce(p, "192.0.2.7")
        self.assertRegex(first, POP3_GREETING)
        c, second = self.announce(p, "192.0.2.7")
        self.assertEqual(second, BUSY)
        self.assertTrue(c.eof())
        p.wait_log(r"Limit: refusing connection from 192\.0\.2\.7: 1 "
                   r"connections open from this address")
        _, other = self.announce(p, "192.0.2.8")
        self.assertRegex(other, POP3_GREETING)


if __name__ == "__main__":
    sys.exit(tap.main())
