# test_pop3.py: POP3 through perdition to Dovecot and to fake back-ends.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""POP3 client side (SPEC 3.1, 3.2), real-server side (3.5, 3.6), relay
(3.7), pipelining (D-5) and the timeouts, with poplib, raw sockets and
curl."""

import os
import poplib
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403

MUST_BE = "-ERR Mate, the command must be one of CAPA, USER, PASS or QUIT"
TOO_SHORT = ("-ERR Mate, the command is too short, must be one of CAPA, "
             "USER, PASS or QUIT")
REAUTH = "-ERR failed: Re-Authentication Failure"


class Login(PerditionTestCase):
    """Logins through a pure proxy in front of Dovecot."""

    tap_parallel = 6

    def setUp(self):
        self.dc = self.dovecot()
        self.p = self.pop3_proxy()

    def test_greeting(self):
        """greeting is +OK POP3 perdition ready on <host> <8 hex> (D-9)"""
        c = self.client(self.p)
        self.assertRegex(c.greeting, POP3_GREETING)

    def test_login_ok(self):
        """USER/PASS logs in: +OK You are so in, then Dovecot answers"""
        c = self.client(self.p)
        self.assertEqual(c.cmd("USER alice"), "+OK USER alice set, mate")
        self.assertEqual(c.cmd("PASS alicepw"), "+OK You are so in")
        size = sum(len(m) for m in dovecot.messages_for("alice"))
        self.assertEqual(c.cmd("STAT"), "+OK 2 %d" % size)
        self.assertTrue(c.cmd("QUIT").startswith("+OK"))
        self.assertTrue(c.eof(5))

    def test_password_with_space(self):
        """PASS good pass: the password keeps its space"""
        c = self.client(self.p)
        self.assertEqual(c.pop3_login("bob", "good pass"),
                         "+OK You are so in")

    def test_lower_case_commands(self):
        """user/pass in lower case are accepted"""
        c = self.client(self.p)
        self.assertEqual(c.cmd("user bob"), "+OK USER bob set, mate")
        self.assertEqual(c.cmd("pass good pass"), "+OK You are so in")

    def test_poplib(self):
        """poplib logs in and lists the messages"""
        pop = poplib.POP3("127.0.0.1", self.p.port, timeout=20)
        try:
            self.assertRegex(pop.getwelcome().decode(), POP3_GREETING)
            pop.user("alice")
            self.assertEqual(pop.pass_("alicepw"), b"+OK You are so in")
            msgs = dovecot.messages_for("alice")
            self.assertEqual(pop.stat(), (2, sum(len(m) for m in msgs)))
            resp, lines, _ = pop.retr(1)
            self.assertEqual(b"\r\n".join(lines) + b"\r\n", msgs[0])
        finally:
            pop.quit()

    def test_retr_5mb_byte_exact(self):
        """RETR of the 5 MB message is byte-exact"""
        c = self.client(self.p)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        c.send_line("RETR 2")
        first = c.readline(30)
        self.assertTrue(first.startswith("+OK"), first)
        body = c.pop3_multiline(60)
        self.assertEqual(len(body), len(dovecot.big_message()) + 3)
        self.assertTrue(body == dovecot.big_message() + b".\r\n",
                        "5 MB body differs")

    def test_curl_retr(self):
        """curl pop3://alice:alicepw@.../2 gets the exact 5 MB message"""
        r = subprocess.run(
            ["curl", "-sS", "--max-time", "60",
             "pop3://alice:alicepw@127.0.0.1:%d/2" % self.p.port],
            capture_output=True, timeout=90)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout == dovecot.big_message(),
                        "curl got %d bytes" % len(r.stdout))

    def test_curl_list(self):
        """curl lists the mailbox"""
        r = subprocess.run(
            ["curl", "-sS", "--max-time", "30",
             "pop3://bob:good%%20pass@127.0.0.1:%d/" % self.p.port],
            capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.decode(), "1 %d\r\n"
                         % len(dovecot.messages_for("bob")[0]))

    def test_curl_bad_password(self):
        """curl with a bad password fails with a login error (67)"""
        r = subprocess.run(
            ["curl", "-sS", "--max-time", "30",
             "pop3://alice:nope@127.0.0.1:%d/" % self.p.port],
            capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 67, r.stderr)

    def test_failed_then_retry(self):
        """a failed PASS gets Re-Authentication Failure; USER+PASS again
        in the same session logs in"""
        c = self.client(self.p)
        c.cmd("USER alice")
        t0 = time.monotonic()
        self.assertEqual(c.cmd("PASS wrong"), REAUTH)
        self.assertGreaterEqual(time.monotonic() - t0, 2.5)
        self.assertEqual(c.cmd("PASS alicepw"),
                         "-ERR USER not yet set, mate")
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        self.assertTrue(c.cmd("STAT").startswith("+OK 2 "))

    def test_ok_line(self):
        """-O Welcome gives +OK Welcome"""
        p = self.pop3_proxy("-O", "Welcome aboard")
        c = self.client(p)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK Welcome aboard")

    def test_server_resp_line(self):
        """-o relays Dovecot's own +OK line"""
        p = self.pop3_proxy("-o")
        c = self.client(p)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK Logged in.")

    def test_quit_preauth(self):
        """QUIT before login: +OK QUIT and close"""
        c = self.client(self.p)
        self.assertEqual(c.cmd("QUIT"), "+OK QUIT")
        self.assertTrue(c.eof(5))


class Pipelining(PerditionTestCase):
    """Commands sent in one write are all answered, in order (D-5)."""

    tap_parallel = 4

    def setUp(self):
        self.p = self.pop3_proxy()

    def test_after_pass(self):
        """USER, PASS, STAT, QUIT in one write"""
        c = self.client(self.p)
        c.send("USER alice\r\nPASS alicepw\r\nSTAT\r\nQUIT\r\n")
        self.assertEqual(c.readline(), "+OK USER alice set, mate")
        self.assertEqual(c.readline(), "+OK You are so in")
        self.assertTrue(c.readline().startswith("+OK 2 "))
        self.assertTrue(c.readline().startswith("+OK"))
        self.assertTrue(c.eof(5))

    def test_before_login(self):
        """CAPA, USER in one write, then PASS"""
        c = self.client(self.p)
        c.send("CAPA\r\nUSER bob\r\n")
        self.assertEqual(c.lines_until(lambda l: l == "."),
                         ["+OK Capability list follows, mate", "UIDL",
                          "USER", "."])
        self.assertEqual(c.readline(), "+OK USER bob set, mate")
        self.assertEqual(c.cmd("PASS good pass"), "+OK You are so in")

    def test_after_failed_pass(self):
        """after a failed PASS the pipelined USER/PASS/STAT still run"""
        c = self.client(self.p)
        c.send("USER alice\r\nPASS bad\r\nUSER alice\r\nPASS alicepw\r\n"
               "STAT\r\n")
        self.assertEqual(c.readline(), "+OK USER alice set, mate")
        self.assertEqual(c.readline(), REAUTH)
        self.assertEqual(c.readline(), "+OK USER alice set, mate")
        self.assertEqual(c.readline(), "+OK You are so in")
        self.assertTrue(c.readline().startswith("+OK 2 "))

    def test_retr_pipelined(self):
        """login and RETR 1, RETR 2 in one write: exact bytes"""
        c = self.client(self.p)
        c.send("USER alice\r\nPASS alicepw\r\nRETR 1\r\nRETR 2\r\n")
        c.readline()
        self.assertEqual(c.readline(), "+OK You are so in")
        msgs = dovecot.messages_for("alice")
        for m in msgs:
            self.assertTrue(c.readline().startswith("+OK"))
            self.assertTrue(c.pop3_multiline(60) == m + b".\r\n")


class Capabilities(PerditionTestCase):
    """CAPA and pop_capability (SPEC 3.2, checklist 8, 9)."""

    tap_parallel = 4

    def capa(self, *args):
        p = self.proxy(*args)
        c = self.client(p)
        c.send_line("CAPA")
        return c.lines_until(lambda l: l == ".")

    def test_default(self):
        """CAPA: UIDL, USER"""
        self.assertEqual(self.capa(), ["+OK Capability list follows, mate",
                                       "UIDL", "USER", "."])

    def test_dot_separated(self):
        """--pop_capability TOP.UIDL.USER"""
        self.assertEqual(self.capa("--pop_capability", "TOP.UIDL.USER")[1:],
                         ["TOP", "UIDL", "USER", "."])

    def test_two_space_separated(self):
        """--pop_capability "TOP  UIDL" (no dot)"""
        self.assertEqual(self.capa("--pop_capability", "TOP  UIDL")[1:],
                         ["TOP", "UIDL", "."])

    def test_capability_option(self):
        """-I sets the POP3 capabilities too"""
        self.assertEqual(self.capa("-I", "SASL.TOP")[1:],
                         ["SASL", "TOP", "."])


class Replies(PerditionTestCase):
    """Every pre-auth reply text of SPEC 3.2 / checklist 11-19.  Each test
    sends one line to a fresh connection; most errors sleep 3 s, so the
    cases run in parallel."""

    tap_parallel = 16

    @classmethod
    def setUpClass(cls):
        cls.p = Perdition(backend=dovecot.shared().pop3_port).start()

    @classmethod
    def tearDownClass(cls):
        cls.p.stop()
        errs = cls.p.sanitizer_errors()
        if errs:
            raise AssertionError("\n".join(errs[:20]))

    def reply(self, *lines, slow=None):
        """Send lines one by one; return the reply to the last one.
        slow=True/False asserts that reply came after >=2.5 s / <1.5 s."""
        c = self.client(self.p)
        for line in lines[:-1]:
            c.cmd(line)
        t0 = time.monotonic()
        r = c.cmd(lines[-1])
        took = time.monotonic() - t0
        if slow is True:
            self.assertGreaterEqual(took, 2.5, "reply came too soon")
        elif slow is False:
            self.assertLess(took, 1.5, "reply should be immediate")
        return r

    def test_null_command(self):
        """empty line: -ERR Null command, mate (after 3 s)"""
        self.assertEqual(self.reply("", slow=True), "-ERR Null command, mate")

    def test_too_short_auth_prefix(self):
        """AU: too short, no delay"""
        self.assertEqual(self.reply("AU", slow=False), TOO_SHORT)

    def test_too_short_other(self):
        """XY: too short, after 3 s"""
        self.assertEqual(self.reply("XY", slow=True), TOO_SHORT)

    def test_too_long_command(self):
        """USERS bob: too short/long first token is an error"""
        self.assertEqual(self.reply("USERS bob"), TOO_SHORT)

    def test_noop_not_allowed(self):
        """NOOP: must be one of ..., after 3 s"""
        self.assertEqual(self.reply("NOOP", slow=True), MUST_BE)

    def test_auth_other(self):
        """AUTH CRAM-MD5: an unrecognised mechanism, no delay"""
        self.assertEqual(self.reply("AUTH CRAM-MD5", slow=False),
                         "-ERR Unrecognised authentication mechanism, mate")

    def test_user_set(self):
        """USER bob: +OK USER bob set, mate"""
        self.assertEqual(self.reply("USER bob", slow=False),
                         "+OK USER bob set, mate")

    def test_user_replaced(self):
        """a second USER replaces the first"""
        self.assertEqual(self.reply("USER bob", "USER carol"),
                         "+OK USER carol set, mate")

    def test_user_two_args(self):
        """USER a b: -ERR Mate, try: USER <username>"""
        self.assertEqual(self.reply("USER a b"),
                         "-ERR Mate, try: USER <username>")

    def test_user_two_spaces(self):
        """USER  bob: -ERR Mate, try: USER <username>"""
        self.assertEqual(self.reply("USER  bob"),
                         "-ERR Mate, try: USER <username>")

    def test_user_no_arg(self):
        """USER: -ERR Mate, try: USER <username>"""
        self.assertEqual(self.reply("USER"),
                         "-ERR Mate, try: USER <username>")

    def test_pass_before_user(self):
        """PASS x before USER: -ERR USER not yet set, mate"""
        self.assertEqual(self.reply("PASS x", slow=True),
                         "-ERR USER not yet set, mate")

    def test_pass_no_arg(self):
        """bare PASS: -ERR Mate, try: PASS <password>"""
        self.assertEqual(self.reply("USER bob", "PASS"),
                         "-ERR Mate, try: PASS <password>")

    def test_capa_arg(self):
        """CAPA x: -ERR Mate, try: CAPA"""
        self.assertEqual(self.reply("CAPA x"), "-ERR Mate, try: CAPA")

    def test_quit_arg(self):
        """QUIT x: -ERR Mate, try: QUIT"""
        self.assertEqual(self.reply("QUIT x"), "-ERR Mate, try: QUIT")

    def test_long_line(self):
        """a 5000-byte line gets -ERR (or a close), no crash"""
        c = self.client(self.p)
        c.send_line("USER " + "x" * 5000)
        try:
            self.assertTrue(c.readline(10).startswith("-ERR"))
        except EOFError:
            pass  # closing with a clear error is allowed too
        c2 = self.client(self.p)
        self.assertEqual(c2.cmd("USER bob"), "+OK USER bob set, mate")

    def test_nul_byte(self):
        """a NUL byte in a command does not crash the session"""
        c = self.client(self.p)
        c.send(b"US\x00R bob\r\n")
        self.assertTrue(c.readline(10).startswith("-ERR"))
        self.assertEqual(c.cmd("USER bob"), "+OK USER bob set, mate")

    def test_commands_case_insensitive(self):
        """CaPa works"""
        self.assertEqual(self.reply("CaPa"),
                         "+OK Capability list follows, mate")


class Backends(PerditionTestCase):
    """Real-server side (SPEC 3.5, 3.6) with fake back-ends."""

    tap_parallel = 12

    def test_sends_user_pass(self):
        """back-end sees USER bob, PASS good pass and no CAPA"""
        fs = self.fake(pop3_handler())
        p = self.proxy(backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"),
                         "+OK You are so in")
        self.assertEqual(fs.received[:2], ["USER bob", "PASS good pass"])

    def test_pass_spacing_preserved(self):
        """PASS a  b reaches the back-end as PASS a  b"""
        fs = self.fake(pop3_handler(users={"bob": "a  b"}))
        p = self.proxy(backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "a  b"), "+OK You are so in")
        self.assertIn("PASS a  b", fs.received)

    def test_relay_after_login(self):
        """after login, lines reach the back-end verbatim"""
        fs = self.fake(pop3_handler())
        p = self.proxy(backend=fs.port)
        c = self.client(p)
        c.send("USER bob\r\nPASS good pass\r\nLIST\r\nXTND foo bar\r\n")
        c.readline()
        self.assertEqual(c.readline(), "+OK You are so in")
        self.assertEqual(c.readline(), "+OK echo LIST")
        self.assertEqual(c.readline(), "+OK echo XTND foo bar")

    def test_reject_sends_quit(self):
        """a rejected PASS: client gets Re-Authentication Failure, the
        back-end gets QUIT"""
        fs = self.fake(pop3_handler())
        p = self.proxy(backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "bad"), REAUTH)
        fs.wait_received(lambda r: "QUIT" in r)

    def test_server_resp_line_failure(self):
        """-o relays the back-end's -ERR line on failure"""
        fs = self.fake(pop3_handler())
        p = self.proxy("-o", backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "bad"),
                         "-ERR [AUTH] Authentication failed.")

    def test_bad_greeting(self):
        """back-end greeting not +OK: Connection Negotiation Failure"""
        fs = self.fake(pop3_handler(greeting="-ERR go away"))
        p = self.proxy(backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"),
                         "-ERR failed: Connection Negotiation Failure")

    def test_loop(self):
        """perdition pointed at itself: Connection Negotiation Failure"""
        port = util.free_port()
        p = self.proxy(backend=port, port=port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"),
                         "-ERR failed: Connection Negotiation Failure")

    def test_unreachable(self):
        """closed back-end port: Could not connect to server"""
        p = self.proxy(backend=util.free_port())
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"),
                         "-ERR failed: Could not connect to server")

    def test_no_server(self):
        """-M "" and no -s: Could not determine server"""
        p = self.proxy()
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"),
                         "-ERR failed: Could not determine server")

    def test_login_disabled(self):
        """--login_disabled: -ERR failed: Login Disabled"""
        fs = self.fake(pop3_handler())
        p = self.proxy("--login_disabled", backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"),
                         "-ERR failed: Login Disabled")
        self.assertEqual(fs.connections, 0)

    def test_round_robin_retry(self):
        """two -s servers: a retry goes to the other one"""
        fa = self.fake(pop3_handler(users={}))
        fb = self.fake(pop3_handler(users={}))
        p = self.proxy(backend="127.0.0.1:%d,127.0.0.1:%d"
                       % (fa.port, fb.port))
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "x"), REAUTH)
        self.assertEqual(c.pop3_login("bob", "x"), REAUTH)
        self.assertEqual((fa.connections, fb.connections), (1, 1))

    def test_backend_closes_after_login(self):
        """back-end closing after login closes the client"""
        fs = self.fake(pop3_handler(after_login=lambda conn: None))
        p = self.proxy(backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"),
                         "+OK You are so in")
        self.assertTrue(c.eof(5))


class Timeouts(PerditionTestCase):
    """authenticate_timeout and timeout (SPEC 3.7, checklist 81, 82)."""

    tap_parallel = 2

    def test_authenticate_timeout(self):
        """--authenticate_timeout 2: a silent client is dropped after 2 s"""
        p = self.pop3_proxy("--authenticate_timeout", "2")
        c = self.client(p)
        t0 = time.monotonic()
        self.assertTrue(c.eof(8))
        took = time.monotonic() - t0
        self.assertGreater(took, 1.5)
        self.assertLess(took, 6)
        p.wait_log(r"Fatal Error: Timeout reading authentication "
                   r"information from client 127\.0\.0\.1:\d+->127\.0\.0\.1:"
                   r"%d: Exiting child$" % p.port)

    def test_idle_timeout(self):
        """-t 2: an idle relay ends after 2 s with Timeout piping data."""
        p = self.pop3_proxy("-t", "2")
        c = self.client(p)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        self.assertTrue(c.cmd("NOOP").startswith("+OK"))
        t0 = time.monotonic()
        self.assertTrue(c.eof(8))
        self.assertGreater(time.monotonic() - t0, 1.5)
        p.wait_log(r"Timeout piping data\.$")
        p.wait_log(r"Closing session: ")


if __name__ == "__main__":
    sys.exit(tap.main())
