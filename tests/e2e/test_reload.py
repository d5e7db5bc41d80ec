# test_reload.py: graceful operations (issue 15 point 6): SIGTERM with
# shutdown_grace, SIGHUP re-reading the configuration file.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""shutdown_grace: the listener closes at once, open sessions finish or
are ended with their Close line; SIGHUP applies a changed option, logs a
restart-only change and keeps the old settings for a bad file."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403


def refused(port):
    """True when nothing listens on port any more."""
    try:
        socket.create_connection(("127.0.0.1", port), 2).close()
        return False
    except OSError:
        return True


class Grace(PerditionTestCase):
    """SIGTERM with --shutdown_grace."""

    tap_parallel = 2

    def logged_in(self, p):
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good"), "+OK You are so in")
        return c

    def setUp(self):
        self.backend = self.fake(pop3_handler(users={"bob": "good"}))

    def test_session_finishes(self):
        """listener closed at once, the session goes on and closes"""
        p = self.proxy("--shutdown_grace", "10", backend=self.backend.port)
        c = self.logged_in(p)
        t0 = time.monotonic()
        p.send_signal(signal.SIGTERM)
        p.wait_log(r"Stopping on signal 15: no new connections, waiting "
                   r"up to 10 s for 1 sessions$")
        util.wait_until(lambda: refused(p.port), 3, what="listener closed")
        self.assertTrue(p.running())
        self.assertEqual(c.cmd("NOOP"), "+OK echo NOOP")
        c.cmd("QUIT")
        c.close()
        self.assertEqual(p.wait_exit(8), 0)
        self.assertLess(time.monotonic() - t0, 8)
        log = p.log()
        self.assertRegex(log, r"Closing session: .*authentication_id=\"bob\"")
        self.assertNotIn("Ending", log)
        self.assertRegex(log, r"Exiting on signal 15\n$")

    def test_session_ended_after_grace(self):
        """a session still open after the grace is ended with its Close"""
        p = self.proxy("--shutdown_grace", "2", backend=self.backend.port)
        c = self.logged_in(p)
        t0 = time.monotonic()
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait_exit(10), 0)
        took = time.monotonic() - t0
        self.assertGreaterEqual(took, 1.9)
        self.assertLess(took, 6)
        p.wait_log(r"Ending 1 sessions still open$")
        p.wait_log(r"Closing session: .*authentication_id=\"bob\"")
        self.assertTrue(c.eof())

    def test_preauth_ended_after_grace(self):
        """a client still before login when the grace ends: closed, with
        the Close line a QUIT would give"""
        p = self.proxy("--shutdown_grace", "1", backend=self.backend.port)
        c = self.client(p)
        self.assertEqual(c.cmd("USER bob"), "+OK USER bob set, mate")
        t0 = time.monotonic()
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait_exit(10), 0)
        self.assertLess(time.monotonic() - t0, 3, p.log())
        log = p.log()
        self.assertIn("Ending 1 sessions still open", log)
        self.assertRegex(log, r"Closing NULL session: 127\.0\.0\.1:\d+->"
                         r"127\.0\.0\.1:\d+ authorisation_id=NONE "
                         r'authentication_id="\(null\)"\n')
        self.assertTrue(c.eof())

    def test_grace_capped(self):
        """shutdown_grace above 25 waits 25 s at most"""
        p = self.proxy("--shutdown_grace", "90", backend=self.backend.port)
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait_exit(10), 0)
        p.wait_log(r"waiting up to 25 s for 0 sessions$")

    def test_default_no_grace(self):
        """without shutdown_grace: exit at once, as 2.2"""
        p = self.proxy(backend=self.backend.port)
        self.logged_in(p)
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait_exit(5), 0)
        self.assertNotIn("Stopping", p.log())


class Reload(PerditionTestCase):
    """SIGHUP re-reads the configuration file."""

    tap_parallel = 2

    def setUp(self):
        self.backend = self.fake(pop3_handler(users={"bob": "good"}))

    def start(self, config, *args):
        p = self.proxy(*args, backend=self.backend.port, config=config)
        self.conf = os.path.join(p.dir, "perdition.conf")
        return p

    def rewrite(self, p, text, expect):
        with open(self.conf, "w") as f:
            f.write(text)
        n = p.log().count("Reopened logger")
        p.send_signal(signal.SIGHUP)
        p.wait_log(r"Reopened logger$", count=n + 1)
        if expect:
            p.wait_log(expect)

    def ok_reply(self, p):
        c = self.client(p)
        r = c.pop3_login("bob", "good")
        c.cmd("QUIT")
        c.close()
        return r

    def test_changed_option_applies(self):
        """a changed ok_line applies to new connections"""
        p = self.start("ok_line first\n")
        self.assertEqual(self.ok_reply(p), "+OK first")
        self.rewrite(p, "ok_line second\n", r"Reload: option ok_line changed$")
        self.assertEqual(self.ok_reply(p), "+OK second")
        self.assertTrue(p.running())

    def test_restart_only_kept(self):
        """a restart-only change is logged and kept, the rest applies"""
        p = self.start("ok_line first\n")
        self.rewrite(p, "ok_line second\ndomain_delimiter %\n",
                     r"Reload: option domain_delimiter changed: it needs a "
                     r"restart, keeping the old value$")
        p.wait_log(r"Reload: option ok_line changed$")
        self.assertEqual(self.ok_reply(p), "+OK second")

    def test_command_line_wins(self):
        """an option given on the command line is not taken from the file"""
        p = self.start("ok_line first\n", "--ok_line", "cli")
        self.rewrite(p, "ok_line second\n", None)
        self.assertEqual(self.ok_reply(p), "+OK cli")
        self.assertNotIn("Reload:", p.log())

    def test_limits_follow(self):
        """a reload changes connection_limit_per_address in the daemon"""
        p = self.start("connection_limit_per_address 1\n")
        held = self.client(p)
        self.assertRegex(held.greeting, POP3_GREETING)
        c = self.client(p)
        self.assertEqual(c.greeting, "-ERR Too many connections, mate")
        self.rewrite(p, "connection_limit_per_address 2\n",
                     r"Reload: option connection_limit_per_address changed$")
        c = self.client(p)
        self.assertRegex(c.greeting, POP3_GREETING)

    def test_limits_off_at_start_need_restart(self):
        """turning the limits on needs a restart (no channel yet)"""
        p = self.start("")
        self.rewrite(p, "connection_limit_per_address 1\n",
                     r"Reload: option connection_limit_per_address changed: "
                     r"it needs a restart")

    def test_bad_file_keeps_old(self):
        """a file with an error changes nothing and says why"""
        p = self.start("ok_line first\n")
        self.rewrite(p, "ok_line second\nno_such_option 1\n",
                     r"Reload: configuration not changed: .*no_such_option")
        self.assertEqual(self.ok_reply(p), "+OK first")
        self.assertNotIn("Reload: option", p.log())


if __name__ == "__main__":
    sys.exit(tap.main())
