# test_failover.py: per-user failover (issue 14 point 7): a popmap result
# listing several servers, "[user@]h1[:p1],h2[:p2],...".
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""A GDBM popmap names a broken first server (refused, silent, unroutable)
and the private Dovecot second: the login must reach Dovecot before the
client hears anything, with one skip line per broken server and exactly
one Auth line naming Dovecot."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403
from maptest import *  # noqa: E402,F403


def makegdbm():
    """The freshly built makegdbm, or None."""
    p = os.path.join(util.TOP_BUILDDIR, "makegdbm", "makegdbm")
    return p if os.access(p, os.X_OK) else None


SKIP = r"Real server 127\.0\.0\.1:%d unavailable 127\.0\.0\.1:\d+->" \
       r"127\.0\.0\.1:\d+: trying the next one"


class Failover(MapCase):
    """bob's map line lists two or more servers."""

    tap_parallel = 4

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not os.path.exists(library("gdbm")) or makegdbm() is None:
            raise unittest.SkipTest("gdbm map library not built")

    def map_proxy(self, servers, *args, **kw):
        """A POP3 proxy whose GDBM map sends bob to servers (a list of
        "host:port"); the default server is dead."""
        d = util.make_tempdir("pdtest-failover-")
        db = os.path.join(d, "map.db")
        r = subprocess.run([makegdbm(), db], input="bob:%s\n"
                           % ",".join(servers), capture_output=True,
                           text=True, timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)
        kw.setdefault("backend", dead_server())
        return self.proxy("-m", db, *args, map_library=library("gdbm"), **kw)

    def auth_lines(self, p):
        return [l for l in p.log().splitlines() if "Auth:" in l]

    def assert_failover(self, first_port, servers, *args, within=10.0):
        """bob reaches Dovecot through servers; the skip line names
        first_port; one Auth line, naming Dovecot."""
        dc = self.dovecot()
        p = self.map_proxy(servers, *args)
        start = time.monotonic()
        self.assert_mailbox(p, "bob", dc.users["bob"], "bob")
        self.assertLess(time.monotonic() - start, within)
        p.wait_log(SKIP % first_port)
        p.wait_log(r'Closing session:')
        auth = self.auth_lines(p)
        self.assertEqual(len(auth), 1, auth)
        self.assertRegex(auth[0], r'authentication_id="bob" server="127\.0\.0'
                         r'\.1:%d" .*status="ok"' % dc.pop3_port)
        return p

    def test_refused_first(self):
        """a refused connect moves on to the next server at once"""
        dead = util.free_port()
        self.assert_failover(dead, ["127.0.0.1:%d" % dead,
                                    "127.0.0.1:%d" % self.dovecot().pop3_port],
                             within=6)

    def test_silent_first(self):
        """a server that accepts and never greets is skipped after
        server_timeout"""
        silent = SilentServer(accept=True)
        self.addCleanup(silent.close)
        self.assert_failover(silent.port, [
            "127.0.0.1:%d" % silent.port,
            "127.0.0.1:%d" % self.dovecot().pop3_port],
            "--server_timeout", "2", within=8)

    def test_closes_before_greeting(self):
        """a server that accepts and closes at once is skipped"""
        fs = self.fake(script_handler([("close",)]))
        self.assert_failover(fs.port, [
            "127.0.0.1:%d" % fs.port,
            "127.0.0.1:%d" % self.dovecot().pop3_port], within=6)

    def test_unroutable_first(self):
        """an address nothing answers from (TEST-NET-1) times out or is
        unreachable; then the next server"""
        dc = self.dovecot()
        p = self.map_proxy(["192.0.2.1:110", "127.0.0.1:%d" % dc.pop3_port],
                           "--server_timeout", "2")
        start = time.monotonic()
        self.assert_mailbox(p, "bob", dc.users["bob"], "bob")
        self.assertLess(time.monotonic() - start, 8)
        p.wait_log(r"Real server 192\.0\.2\.1:110 unavailable .*: trying "
                   r"the next one")
        auth = self.auth_lines(p)
        self.assertEqual(len(auth), 1, auth)
        self.assertIn('server="127.0.0.1:%d"' % dc.pop3_port, auth[0])

    def test_kernel_only_first(self):
        """a listener that never accepts (the kernel completes the
        handshake): skipped after server_timeout"""
        silent = SilentServer(accept=False)
        self.addCleanup(silent.close)
        self.assert_failover(silent.port, [
            "127.0.0.1:%d" % silent.port,
            "127.0.0.1:%d" % self.dovecot().pop3_port],
            "--server_timeout", "1", within=7)

    def test_login_deadline_stops_failover(self):
        """the login's deadline ends the list: a silent first server
        uses it up and the client hears a failure, no next server"""
        silent = SilentServer(accept=True)
        self.addCleanup(silent.close)
        fs = self.fake(pop3_handler())
        p = self.map_proxy(["127.0.0.1:%d" % silent.port,
                            "127.0.0.1:%d" % fs.port],
                           "--login_timeout", "2")
        start = time.monotonic()
        self.assert_refused(p, "bob", "good pass")
        self.assertLess(time.monotonic() - start, 8)
        p.wait_log(r'Auth: .*server="127\.0\.0\.1:%d" .*status="failed'
                   % silent.port)
        self.assertEqual(fs.connections, 0)

    def test_imap_refused_first(self):
        """IMAP: the same list, Dovecot's IMAP port second"""
        dc = self.dovecot()
        dead = util.free_port()
        p = self.map_proxy(["127.0.0.1:%d" % dead,
                            "127.0.0.1:%d" % dc.imap_port], protocol="IMAP4")
        self.assert_imap_mailbox(p, "bob \"%s\"" % dc.users["bob"], "bob")
        p.wait_log(SKIP % dead)
        auth = self.auth_lines(p)
        self.assertEqual(len(auth), 1, auth)
        self.assertRegex(auth[0], r'server="127\.0\.0\.1:%d" .*'
                         r'protocol=IMAP4 .*status="ok"' % dc.imap_port)

    def test_two_skipped(self):
        """two broken servers, two skip lines, the third works"""
        dead1, dead2 = util.free_port(), util.free_port()
        p = self.assert_failover(dead1, [
            "127.0.0.1:%d" % dead1, "127.0.0.1:%d" % dead2,
            "127.0.0.1:%d" % self.dovecot().pop3_port], within=6)
        p.wait_log(SKIP % dead2)

    def test_all_fail(self):
        """every server refused: the client hears one failure; one Auth
        line naming the last server"""
        dead1, dead2 = util.free_port(), util.free_port()
        p = self.map_proxy(["127.0.0.1:%d" % dead1, "127.0.0.1:%d" % dead2])
        self.assert_refused(p, "bob", "x", "Could not connect to server")
        p.wait_log(SKIP % dead1)
        p.wait_log(r"Auth: .*status=")
        auth = self.auth_lines(p)
        self.assertEqual(len(auth), 1, auth)
        self.assertIn('server="127.0.0.1:%d"' % dead2, auth[0])
        self.assertEqual(len(re.findall("trying the next one", p.log())), 1)

    def test_working_first_no_skip(self):
        """the first server works: no skip line, the others untouched"""
        dc = self.dovecot()
        fs = self.fake(pop3_handler())
        p = self.map_proxy(["127.0.0.1:%d" % dc.pop3_port,
                            "127.0.0.1:%d" % fs.port])
        self.assert_mailbox(p, "bob", dc.users["bob"], "bob")
        p.wait_log(r'Auth: .*status="ok"')
        self.assertNotIn("trying the next one", p.log())
        self.assertEqual(fs.connections, 0)

    def test_refused_login_is_not_failover(self):
        """a server that answers and refuses the password is final"""
        dc = self.dovecot()
        fs = self.fake(pop3_handler(users={"bob": "other"}))
        p = self.map_proxy(["127.0.0.1:%d" % fs.port,
                            "127.0.0.1:%d" % dc.pop3_port])
        self.assert_refused(p, "bob", dc.users["bob"])
        p.wait_log(r'Auth: .*server="127\.0\.0\.1:%d" .*status="failed'
                   % fs.port)
        self.assertNotIn("trying the next one", p.log())


if __name__ == "__main__":
    tap.main()
