# test_sasl.py: SASL PLAIN on every protocol (issue 14 points 1-4):
# IMAP AUTHENTICATE PLAIN, POP3 AUTH PLAIN, ManageSieve's empty
# challenge, and the IMAP back-end login by AUTHENTICATE PLAIN.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""SASL PLAIN through perdition to the private Dovecot with real clients
(imaplib, poplib, curl, sieve-connect) and raw sockets for every refusal;
the back-end AUTHENTICATE against a scripted fake server."""

import base64
import imaplib
import os
import poplib
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403


def plain(authz, authc, pw):
    """The base64 SASL PLAIN message authzid NUL authcid NUL passwd."""
    raw = ("%s\0%s\0%s" % (authz, authc, pw)).encode("latin-1")
    return base64.b64encode(raw).decode()


def sieve_greeting(c):
    """Read ManageSieve capability lines up to the OK line."""
    while True:
        line = c.readline()
        if not line.startswith('"'):
            return line


def auth_line(authz, authc, protocol, status="ok"):
    """A pattern for the Auth line of a login."""
    z = "NONE" if authz is None else '"%s"' % re.escape(authz)
    return (r'Auth: \S+ client-secure=plaintext authorisation_id=%s '
            r'authentication_id="%s" server="[^"]*" protocol=%s '
            r'server-secure=plaintext status="%s"'
            % (z, re.escape(authc), protocol, re.escape(status)))


SO_IN = 'OK "You are so in"'

IMAP_CAPS = "IMAP4 IMAP4REV1 AUTH=PLAIN SASL-IR"
POP_CAPS = "UIDL.USER.SASL PLAIN"


def curl(url, *args):
    """Run curl (bounded); returns the CompletedProcess (text)."""
    return subprocess.run(["curl", "-sS", "--max-time", "30"] + list(args)
                          + [url], capture_output=True, text=True,
                          timeout=60)


class Imap(PerditionTestCase):
    """IMAP AUTHENTICATE PLAIN (point 1) against the private Dovecot."""

    tap_parallel = 8

    @classmethod
    def setUpClass(cls):
        dovecot.shared()

    def setUp(self):
        self.p = self.imap_proxy("--imap_capability", IMAP_CAPS)

    def test_imaplib_continuation(self):
        """imaplib authenticate('PLAIN') (continuation) logs in"""
        m = imaplib.IMAP4("127.0.0.1", self.p.port, timeout=30)
        typ, _ = m.authenticate("PLAIN",
                                lambda _: b"\0alice\0alicepw")
        self.assertEqual(typ, "OK")
        typ, data = m.select("INBOX")
        self.assertEqual(typ, "OK")
        m.logout()
        self.assertLogMatches(self.p, auth_line(None, "alice", "IMAP4"))

    def test_curl_sasl_ir(self):
        """curl --login-options AUTH=PLAIN --sasl-ir lists the mailbox"""
        r = curl("imap://127.0.0.1:%d/INBOX" % self.p.port, "-u",
                 "bob:good pass", "--login-options", "AUTH=PLAIN",
                 "--sasl-ir", "-X", "EXAMINE INBOX")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("EXISTS", r.stdout)
        self.assertLogMatches(self.p, auth_line(None, "bob", "IMAP4"))

    def test_curl_no_sasl_ir(self):
        """curl --login-options AUTH=PLAIN without SASL-IR logs in"""
        r = curl("imap://127.0.0.1:%d/INBOX" % self.p.port, "-u",
                 "alice:alicepw", "--login-options", "AUTH=PLAIN",
                 "-X", "EXAMINE INBOX")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("EXISTS", r.stdout)

    def test_raw_ir_and_pipelined(self):
        """a SASL-IR line logs in; the authzid equal to the authcid is
        logged"""
        c = self.client(self.p)
        self.assertIn("AUTH=PLAIN SASL-IR", c.greeting)
        self.assertEqual(c.cmd("a AUTHENTICATE PLAIN %s"
                               % plain("alice", "alice", "alicepw")),
                         "a OK You are so in")
        self.assertTrue(c.cmd("b NOOP").startswith("b OK"))
        self.assertLogMatches(self.p, auth_line("alice", "alice", "IMAP4"))

    def test_refusals(self):
        """bad base64, missing NUL, long field, "*", "=": clear replies,
        each after the pause; the session goes on"""
        c = self.client(self.p)
        cases = [
            ("a AUTHENTICATE PLAIN !!!!",
             "a BAD Invalid base64 in SASL PLAIN response, mate"),
            ("a AUTHENTICATE PLAIN AGJvYg",
             "a BAD Invalid base64 in SASL PLAIN response, mate"),
            ("a AUTHENTICATE PLAIN %s" % base64.b64encode(b"bob").decode(),
             "a NO SASL PLAIN response has no authentication id, mate"),
            ("a AUTHENTICATE PLAIN %s" % plain("", "bob", "x\0y"),
             "a NO Trailing garbage in SASL PLAIN response, mate"),
            ("a AUTHENTICATE PLAIN =",
             "a NO Empty SASL PLAIN response, mate"),
            ("a AUTHENTICATE PLAIN x y",
             "a BAD Mate, try AUTHENTICATE <mechanism>"),
        ]
        for line, want in cases:
            t0 = time.monotonic()
            self.assertEqual(c.cmd(line, timeout=10), want)
            self.assertGreaterEqual(time.monotonic() - t0, 2.5)
        # continuation: "*" cancels, an over-long field is refused
        self.assertEqual(c.cmd("b AUTHENTICATE PLAIN"), "+ ")
        self.assertEqual(c.cmd("*", timeout=10),
                         "b BAD Authentication cancelled, mate")
        self.assertEqual(c.cmd("c AUTHENTICATE PLAIN"), "+ ")
        self.assertEqual(c.cmd(plain("", "bob", "p" * 5000), timeout=10),
                         "c NO SASL PLAIN field too long, mate")
        self.assertEqual(c.cmd("d NOOP"), "d OK NOOP")
        self.assertNotIn("Auth:", self.p.log())

    def test_wrong_password(self):
        """a wrong password: failed: Re-Authentication Failure, Auth line"""
        c = self.client(self.p)
        self.assertEqual(c.cmd("a AUTHENTICATE PLAIN %s"
                               % plain("", "alice", "nope"), timeout=15),
                         "a NO failed: Re-Authentication Failure")
        self.assertLogMatches(self.p, auth_line(
            None, "alice", "IMAP4", "failed: Re-Authentication Failure"))

    def test_authzid_refused(self):
        """an authzid differing from the authcid is refused by default"""
        c = self.client(self.p)
        self.assertEqual(
            c.cmd("a AUTHENTICATE PLAIN %s" % plain("bob", "alice",
                                                    "alicepw"), timeout=10),
            "a NO Authorisation id differs from authentication id, "
            "not allowed, mate")
        self.assertEqual(c.cmd("b NOOP"), "b OK NOOP")

    def test_login_disabled(self):
        """with login_disabled AUTHENTICATE is refused like LOGIN"""
        p = self.imap_proxy("--imap_capability", IMAP_CAPS,
                            "--login_disabled")
        c = self.client(p)
        self.assertIn("LOGINDISABLED", c.greeting)
        self.assertEqual(c.cmd("a AUTHENTICATE PLAIN %s"
                               % plain("", "alice", "alicepw"), timeout=15),
                         "a NO failed: Login Disabled")
        self.assertLogMatches(p, auth_line(None, "alice", "IMAP4",
                                           "failed: Login Disabled"))


class ImapBackend(PerditionTestCase):
    """Back-end AUTHENTICATE PLAIN (point 4) on a scripted server."""

    tap_parallel = 6

    def backend(self, caps, expect_ir):
        """A fake IMAP server listing caps that takes AUTHENTICATE PLAIN
        (bob / good pass) and refuses LOGIN."""
        def handler(conn):
            conn.send("* OK [CAPABILITY IMAP4rev1 %s] fake ready" % caps)
            while True:
                line = conn.readline()
                if line is None:
                    return
                tag, _, rest = line.partition(" ")
                if rest.upper().startswith("AUTHENTICATE PLAIN"):
                    ir = rest[len("AUTHENTICATE PLAIN"):].strip()
                    if not ir:
                        conn.send("+ ")
                        ir = conn.readline()
                    ok = ir == plain(expect_ir, "bob", "good pass")
                    conn.send("%s %s" % (tag, "OK in" if ok else "NO bad"))
                elif rest.upper().startswith("LOGOUT"):
                    conn.send("* BYE\r\n%s OK bye" % tag)
                    return
                else:
                    conn.send("%s NO not here" % tag)
        return self.fake(handler)

    def login(self, fs, line, *args):
        p = self.proxy(*args, backend=fs.port, protocol="IMAP4")
        c = self.client(p)
        return p, c.cmd(line, timeout=15)

    def test_sasl_ir(self):
        """LOGINDISABLED AUTH=PLAIN SASL-IR: AUTHENTICATE PLAIN <ir>"""
        fs = self.backend("LOGINDISABLED AUTH=PLAIN SASL-IR", "")
        p, got = self.login(fs, "a LOGIN bob \"good pass\"")
        self.assertEqual(got, "a OK You are so in")
        self.assertIn("flim07 AUTHENTICATE PLAIN %s"
                      % plain("", "bob", "good pass"), fs.received)

    def test_continuation(self):
        """LOGINDISABLED AUTH=PLAIN without SASL-IR: continuation"""
        fs = self.backend("LOGINDISABLED AUTH=PLAIN", "")
        p, got = self.login(fs, "a LOGIN bob \"good pass\"")
        self.assertEqual(got, "a OK You are so in")
        self.assertIn("flim07 AUTHENTICATE PLAIN", fs.received)
        self.assertIn(plain("", "bob", "good pass"), fs.received)

    def test_no_auth_plain(self):
        """LOGINDISABLED without AUTH=PLAIN: Login Disabled as before"""
        fs = self.backend("LOGINDISABLED", "")
        p, got = self.login(fs, "a LOGIN bob \"good pass\"")
        self.assertEqual(got, "a NO failed: Login Disabled")
        self.assertFalse(any("AUTHENTICATE" in x for x in fs.received))

    def test_plain_login_unchanged(self):
        """AUTH=PLAIN without LOGINDISABLED: LOGIN as before (no
        AUTHENTICATE)"""
        fs = self.backend("AUTH=PLAIN SASL-IR", "")
        p, got = self.login(fs, "a LOGIN bob \"good pass\"")
        self.assertEqual(got, "a NO failed: Re-Authentication Failure")
        self.assertFalse(any("AUTHENTICATE" in x for x in fs.received))

    def test_authzid_passed(self):
        """sasl_authorisation_id: the authzid goes on by AUTHENTICATE"""
        fs = self.backend("AUTH=PLAIN SASL-IR", "carol")
        p, got = self.login(fs, "a AUTHENTICATE PLAIN %s"
                            % plain("carol", "bob", "good pass"),
                            "--sasl_authorisation_id")
        self.assertEqual(got, "a OK You are so in")
        self.assertLogMatches(p, auth_line("carol", "bob", "IMAP4"))

    def test_authzid_needs_auth_plain(self):
        """sasl_authorisation_id, back-end without AUTH=PLAIN: the
        authzid is never dropped for a LOGIN; SASL mechanism unavailable"""
        fs = self.backend("LITERAL+", "carol")
        p, got = self.login(fs, "a AUTHENTICATE PLAIN %s"
                            % plain("carol", "bob", "good pass"),
                            "--sasl_authorisation_id")
        self.assertEqual(got, "a NO failed: SASL mechanism unavailable")
        self.assertFalse(any("LOGIN" in x for x in fs.received))
        self.assertLogMatches(p, auth_line(
            "carol", "bob", "IMAP4", "failed: SASL mechanism unavailable"))


class Pop3(PerditionTestCase):
    """POP3 AUTH PLAIN (point 2) against the private Dovecot."""

    tap_parallel = 8

    @classmethod
    def setUpClass(cls):
        dovecot.shared()

    def setUp(self):
        self.p = self.pop3_proxy("--pop_capability", POP_CAPS)

    def test_curl_sasl_ir(self):
        """curl pop3 --login-options AUTH=PLAIN --sasl-ir lists"""
        r = curl("pop3://127.0.0.1:%d/" % self.p.port, "-u", "bob:good pass",
                 "--login-options", "AUTH=PLAIN", "--sasl-ir")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^1 \d+")
        self.assertLogMatches(self.p, auth_line(None, "bob", "POP3"))

    def test_curl_continuation(self):
        """curl pop3 --login-options AUTH=PLAIN (continuation) lists"""
        r = curl("pop3://127.0.0.1:%d/" % self.p.port, "-u",
                 "alice:alicepw", "--login-options", "AUTH=PLAIN")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"^1 \d+")

    def test_poplib_ir(self):
        """poplib AUTH PLAIN <ir> logs in"""
        m = poplib.POP3("127.0.0.1", self.p.port, timeout=30)
        self.addCleanup(m.close)
        self.assertTrue(m._shortcmd("AUTH PLAIN %s" % plain(
            "", "alice", "alicepw")).startswith(b"+OK"))
        self.assertGreater(m.stat()[0], 0)
        m.quit()

    def test_poplib_continuation(self):
        """poplib AUTH PLAIN, "+ ", response logs in"""
        m = poplib.POP3("127.0.0.1", self.p.port, timeout=30)
        self.addCleanup(m.close)
        m._putcmd("AUTH PLAIN")
        self.assertEqual(m._getline()[0], b"+ ")
        self.assertTrue(m._shortcmd(plain("", "bob", "good pass"))
                        .startswith(b"+OK"))
        m.quit()

    def test_auth_list_and_capa(self):
        """AUTH alone lists PLAIN; CAPA shows SASL PLAIN when configured"""
        c = self.client(self.p)
        c.send_line("AUTH")
        self.assertEqual(c.pop3_multiline(timeout=5),
                         b"+OK Mechanisms follow, mate\r\nPLAIN\r\n.\r\n")
        c.send_line("CAPA")
        self.assertIn(b"\r\nSASL PLAIN\r\n", c.pop3_multiline(timeout=5))

    def test_refusals(self):
        """bad base64, cancel, authzid: clear -ERR after the pause, no
        Auth line; the session goes on"""
        c = self.client(self.p)
        for line, want in (
                ("AUTH PLAIN !!!!",
                 "-ERR Invalid base64 in SASL PLAIN response, mate"),
                ("AUTH PLAIN %s" % base64.b64encode(b"bob").decode(),
                 "-ERR SASL PLAIN response has no authentication id, mate"),
                ("AUTH PLAIN %s" % plain("bob", "alice", "alicepw"),
                 "-ERR Authorisation id differs from authentication id, "
                 "not allowed, mate"),
                ("AUTH PLAIN %s" % plain("", "alice", ""),
                 "-ERR Empty password, mate")):
            t0 = time.monotonic()
            self.assertEqual(c.cmd(line, timeout=10), want)
            self.assertGreaterEqual(time.monotonic() - t0, 2.5)
        self.assertEqual(c.cmd("AUTH PLAIN"), "+ ")
        self.assertEqual(c.cmd("*", timeout=10),
                         "-ERR Authentication cancelled, mate")
        self.assertTrue(c.cmd("CAPA").startswith("+OK"))
        self.assertNotIn("Auth:", self.p.log())

    def test_authzid_allowed_passed_on(self):
        """sasl_authorisation_id: AUTH PLAIN with the authzid to the
        real server, which takes it"""
        def handler(conn):
            conn.send("+OK fake ready")
            while True:
                line = conn.readline()
                if line is None:
                    return
                if line.startswith("AUTH PLAIN "):
                    ok = line[11:] == plain("carol", "bob", "good pass")
                    conn.send("+OK in" if ok else "-ERR bad")
                elif line == "QUIT":
                    conn.send("+OK bye")
                    return
                else:
                    conn.send("-ERR no")
        fs = self.fake(handler)
        p = self.proxy("--sasl_authorisation_id", backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.cmd("AUTH PLAIN %s" % plain("carol", "bob",
                                                       "good pass"),
                               timeout=15), "+OK You are so in")
        self.assertLogMatches(p, auth_line("carol", "bob", "POP3"))
        self.assertIn("AUTH PLAIN %s" % plain("carol", "bob", "good pass"),
                      fs.received)


class ManageSieve(PerditionTestCase):
    """AUTHENTICATE "PLAIN" with an empty challenge (point 3)."""

    tap_parallel = 6

    @classmethod
    def setUpClass(cls):
        dovecot.shared()

    def setUp(self):
        self.p = self.proxy(backend=self.dovecot().sieve_port,
                            protocol="managesieve")
        self.c = self.client(self.p, greeting=False)
        sieve_greeting(self.c)

    def test_continuation_quoted(self):
        """empty challenge "" then a quoted response logs in"""
        self.assertEqual(self.c.cmd('AUTHENTICATE "PLAIN"'), '""')
        self.assertEqual(self.c.cmd('"%s"' % plain("", "alice", "alicepw")),
                         SO_IN)
        self.assertLogMatches(self.p, auth_line(None, "alice", "MANAGESIEVE"))

    def test_continuation_literal(self):
        """empty challenge then a {n+} literal response logs in"""
        b = plain("", "bob", "good pass")
        self.assertEqual(self.c.cmd('AUTHENTICATE "PLAIN"'), '""')
        self.c.send("{%d+}\r\n%s\r\n" % (len(b), b))
        self.assertEqual(self.c.readline(), SO_IN)

    def test_continuation_authzid(self):
        """the authorisation id is logged as today"""
        self.assertEqual(self.c.cmd('AUTHENTICATE "PLAIN"'), '""')
        self.assertEqual(self.c.cmd('"%s"' % plain("alice", "alice",
                                                   "alicepw")), SO_IN)
        self.assertLogMatches(self.p, auth_line("alice", "alice",
                                                "MANAGESIEVE"))

    def test_cancel(self):
        """"*" cancels: NO, and the session goes on"""
        self.assertEqual(self.c.cmd('AUTHENTICATE "PLAIN"'), '""')
        self.assertEqual(self.c.cmd('"*"'),
                         'NO "Authentication cancelled, mate"')
        self.assertEqual(self.c.cmd("NOOP"), 'OK "NOOP completed, mate"')

    def test_bad_response(self):
        """an atom, two strings or bad base64 are refused clearly"""
        for line, want in (
                ("AGJvYgBwdw==",
                 'NO "Expected one string as the SASL response, mate"'),
                ('"a" "b"',
                 'NO "Expected one string as the SASL response, mate"'),
                ('"!!!!"', 'NO "Invalid base64 encoded challenge, mate"'),
                ('"AGJvYgBwdw"', 'NO "Invalid base64 encoded challenge, mate"')):
            self.assertEqual(self.c.cmd('AUTHENTICATE "PLAIN"'), '""')
            self.assertEqual(self.c.cmd(line, timeout=10), want)
        self.assertEqual(self.c.cmd("NOOP"), 'OK "NOOP completed, mate"')

    def test_wrong_password(self):
        """a wrong password in the continuation fails as a login does"""
        self.assertEqual(self.c.cmd('AUTHENTICATE "PLAIN"'), '""')
        self.assertEqual(self.c.cmd('"%s"' % plain("", "alice", "nope"),
                                    timeout=15),
                         'NO "failed: Re-Authentication Failure"')
        self.assertLogMatches(self.p, auth_line(
            None, "alice", "MANAGESIEVE",
            "failed: Re-Authentication Failure"))


class Counting(PerditionTestCase):
    """A refused SASL exchange counts as a failed login attempt."""

    def test_max_failed_logins(self):
        """--max_failed_logins 2: two bad AUTHENTICATE PLAIN end the
        session with the protocol's reply and the log line"""
        p = self.imap_proxy("--max_failed_logins", "2")
        c = self.client(p)
        self.assertEqual(c.cmd("a AUTHENTICATE PLAIN !!!!", timeout=10),
                         "a BAD Invalid base64 in SASL PLAIN response, mate")
        self.assertEqual(c.cmd("b AUTHENTICATE PLAIN", timeout=10), "+ ")
        self.assertEqual(c.cmd("*", timeout=10),
                         "b BAD Authentication cancelled, mate")
        self.assertEqual(c.readline(timeout=10),
                         "* BYE Too many failed logins")
        self.assertTrue(c.eof(5))
        p.wait_log(r"Too many failed logins \(2\) from client")


class SieveConnect(PerditionTestCase):
    """sieve-connect's AUTHENTICATE "PLAIN" through the proxy."""

    def test_list(self):
        """sieve-connect --authmech PLAIN --list logs in through perdition"""
        p = self.proxy(backend=self.dovecot().sieve_port,
                       protocol="managesieve")
        r, w = os.pipe()
        os.write(w, b"alicepw\n")
        os.close(w)
        try:
            res = subprocess.run(
                ["sieve-connect", "--debug", "-s", "127.0.0.1", "-p",
                 str(p.port), "-u", "alice", "--passwordfd", str(r),
                 "--notlsverify", "--authmech", "PLAIN", "--clearchan",
                 "--list"], pass_fds=[r], stdin=subprocess.DEVNULL,
                capture_output=True, text=True, timeout=60)
        finally:
            os.close(r)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        self.assertIn('AUTHENTICATE "PLAIN"', res.stdout + res.stderr)
        self.assertLogMatches(p, auth_line(None, "alice", "MANAGESIEVE"))


if __name__ == "__main__":
    tap.main()
