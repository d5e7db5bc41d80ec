# test_imap.py: IMAP4 through perdition to Dovecot and to fake back-ends.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""IMAP client side (SPEC 3.1, 3.3), real-server side (3.5, 3.6),
literals {n} and {n+}, quoted strings (D-10), pipelining (D-5), -o (D-6)
and the timeouts, with imaplib, raw sockets and curl."""

import imaplib
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403

REAUTH = "NO failed: Re-Authentication Failure"
BAD_LOGIN = "a BAD Mate, try LOGIN <username> <passwd>"


def tagged(c, tag):
    """Read past untagged lines (Dovecot sends * CAPABILITY during LOGIN,
    which perdition forwards) to the line tagged `tag`."""
    return c.lines_until(lambda l: l.startswith(tag + " "))[-1]
CONT = "+ OK ready for additional input"


class Login(PerditionTestCase):
    """Logins through a pure IMAP proxy in front of Dovecot."""

    tap_parallel = 6

    def setUp(self):
        self.p = self.imap_proxy()

    def test_greeting(self):
        """greeting: * OK [CAPABILITY IMAP4 IMAP4REV1] perdition ready..."""
        c = self.client(self.p)
        self.assertRegex(c.greeting, IMAP_GREETING)

    def test_login_atoms(self):
        """a LOGIN alice alicepw: a OK You are so in"""
        c = self.client(self.p)
        self.assertEqual(c.imap_cmd("a", "LOGIN alice alicepw")[1],
                         "a OK You are so in")
        untagged, done = c.imap_cmd("b", "SELECT INBOX")
        self.assertTrue(done.startswith("b OK"), done)
        self.assertIn("* 2 EXISTS", untagged)

    def test_login_quoted(self):
        """l LOGIN "bob" "good pass" succeeds"""
        c = self.client(self.p)
        self.assertEqual(c.imap_cmd("l", 'LOGIN "bob" "good pass"')[1],
                         "l OK You are so in")

    def test_imaplib(self):
        """imaplib logs in, selects and fetches the small message"""
        m = imaplib.IMAP4("127.0.0.1", self.p.port, timeout=20)
        try:
            typ, data = m.login("bob", "good pass")
            self.assertEqual(typ, "OK")
            self.assertEqual(data, [b"You are so in"])
            typ, data = m.select("INBOX")
            self.assertEqual(data, [b"1"])
            typ, data = m.fetch("1", "(BODY.PEEK[])")
            self.assertEqual(data[0][1], dovecot.messages_for("bob")[0])
        finally:
            m.logout()

    def test_fetch_5mb_byte_exact(self):
        """FETCH BODY[] of the 5 MB message is byte-exact"""
        c = self.client(self.p)
        c.imap_cmd("a", "LOGIN alice alicepw")
        c.imap_cmd("b", "SELECT INBOX")
        c.send_line("c FETCH 2 (BODY.PEEK[])")
        head = c.readline(30)
        m = re.match(r"^\* 2 FETCH \(BODY\[\] \{(\d+)\}$", head)
        self.assertTrue(m, head)
        big = dovecot.big_message()
        self.assertEqual(int(m.group(1)), len(big))
        self.assertTrue(c.read_exact(len(big), 60) == big, "body differs")
        self.assertEqual(c.readline(), ")")
        self.assertTrue(c.readline().startswith("c OK"))

    def test_curl_fetch(self):
        """curl imap://alice:alicepw@.../INBOX;MAILINDEX=2 is exact"""
        r = subprocess.run(
            ["curl", "-sS", "--max-time", "60",
             "imap://alice:alicepw@127.0.0.1:%d/INBOX;MAILINDEX=2"
             % self.p.port], capture_output=True, timeout=90)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout == dovecot.big_message(),
                        "curl got %d bytes" % len(r.stdout))

    def test_curl_bad_password(self):
        """curl with a bad password fails with a login error (67)"""
        r = subprocess.run(
            ["curl", "-sS", "--max-time", "30",
             "imap://alice:nope@127.0.0.1:%d/INBOX" % self.p.port],
            capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 67, r.stderr)

    def test_failed_then_retry(self):
        """bad password: NO failed: Re-Authentication Failure after 3 s;
        a second LOGIN in the same session works"""
        c = self.client(self.p)
        t0 = time.monotonic()
        self.assertEqual(c.imap_cmd("a", "LOGIN alice wrong")[1],
                         "a " + REAUTH)
        self.assertGreaterEqual(time.monotonic() - t0, 2.5)
        self.assertEqual(c.imap_cmd("b", "LOGIN alice alicepw")[1],
                         "b OK You are so in")

    def test_literal_sync(self):
        """{n} literals get + OK ready for additional input"""
        c = self.client(self.p)
        self.assertEqual(c.cmd("a LOGIN {5}"), CONT)
        self.assertEqual(c.cmd("alice {7}"), CONT)
        c.send_line("alicepw")
        self.assertEqual(tagged(c, "a"), "a OK You are so in")

    def test_literal_plus_one_write(self):
        """{n+} literals in one write: no continuation lines"""
        c = self.client(self.p)
        c.send("a LOGIN {3+}\r\nbob {9+}\r\ngood pass\r\n")
        self.assertEqual(tagged(c, "a"), "a OK You are so in")

    def test_quoted_user_literal_password(self):
        """quoted user, literal password"""
        c = self.client(self.p)
        self.assertEqual(c.cmd('a LOGIN "bob" {9}'), CONT)
        c.send_line("good pass")
        self.assertEqual(tagged(c, "a"), "a OK You are so in")

    def test_literal_user_quoted_password(self):
        """literal user, quoted password (D-10: decoded by its own type)"""
        c = self.client(self.p)
        self.assertEqual(c.cmd("a LOGIN {3}"), CONT)
        c.send_line('bob "good pass"')
        self.assertEqual(tagged(c, "a"), "a OK You are so in")

    def test_ok_line(self):
        """-O Welcome: a OK Welcome"""
        p = self.imap_proxy("-O", "Welcome")
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", "LOGIN bob \"good pass\"")[1],
                         "a OK Welcome")

    def test_logout_preauth(self):
        """LOGOUT: * BYE IMAP4 server logging out, mate + a OK LOGOUT"""
        c = self.client(self.p)
        self.assertEqual(c.imap_cmd("a", "LOGOUT"),
                         (["* BYE IMAP4 server logging out, mate"],
                          "a OK LOGOUT"))
        self.assertTrue(c.eof(5))


class Pipelining(PerditionTestCase):
    """Commands in one write are all answered in order (D-5)."""

    tap_parallel = 3

    def setUp(self):
        self.p = self.imap_proxy()

    def test_after_login(self):
        """LOGIN, SELECT, LOGOUT in one write"""
        c = self.client(self.p)
        c.send("a LOGIN alice alicepw\r\nb SELECT INBOX\r\nc LOGOUT\r\n")
        self.assertEqual(tagged(c, "a"), "a OK You are so in")
        lines = c.lines_until(lambda l: l.startswith("b "))
        self.assertTrue(lines[-1].startswith("b OK"), lines)
        lines = c.lines_until(lambda l: l.startswith("c "))
        self.assertTrue(lines[-1].startswith("c OK"), lines)

    def test_before_login(self):
        """CAPABILITY, NOOP, LOGIN in one write"""
        c = self.client(self.p)
        c.send("a CAPABILITY\r\nb NOOP\r\nc LOGIN bob \"good pass\"\r\n")
        self.assertEqual(c.readline(), "* CAPABILITY IMAP4 IMAP4REV1")
        self.assertEqual(c.readline(), "a OK CAPABILITY")
        self.assertEqual(c.readline(), "b OK NOOP")
        self.assertEqual(tagged(c, "c"), "c OK You are so in")

    def test_after_failed_login(self):
        """a failed LOGIN, then pipelined LOGIN and SELECT still run"""
        c = self.client(self.p)
        c.send("a LOGIN alice bad\r\nb LOGIN alice alicepw\r\n"
               "c SELECT INBOX\r\n")
        self.assertEqual(c.readline(), "a " + REAUTH)
        self.assertEqual(tagged(c, "b"), "b OK You are so in")
        lines = c.lines_until(lambda l: l.startswith("c "))
        self.assertTrue(lines[-1].startswith("c OK"), lines)


class Replies(PerditionTestCase):
    """Pre-auth reply texts of SPEC 3.3 / checklist 32-45, 53-58.  Most
    errors sleep 3 s, so the cases run in parallel."""

    tap_parallel = 16

    @classmethod
    def setUpClass(cls):
        cls.p = Perdition(backend=dovecot.shared().imap_port,
                          protocol="IMAP4").start()

    @classmethod
    def tearDownClass(cls):
        cls.p.stop()
        errs = cls.p.sanitizer_errors()
        if errs:
            raise AssertionError("\n".join(errs[:20]))

    def reply(self, line, n=1, slow=None):
        """Send one line; return the next n reply lines (list if n>1)."""
        c = self.client(self.p)
        t0 = time.monotonic()
        c.send_line(line)
        out = [c.readline() for _ in range(n)]
        took = time.monotonic() - t0
        if slow is False:
            self.assertLess(took, 1.5, "reply should be immediate")
        elif slow is True:
            self.assertGreaterEqual(took, 2.5, "reply came too soon")
        return out[0] if n == 1 else out

    def test_capability(self):
        """a CAPABILITY"""
        self.assertEqual(self.reply("a CAPABILITY", 2, slow=False),
                         ["* CAPABILITY IMAP4 IMAP4REV1", "a OK CAPABILITY"])

    def test_noop(self):
        """b NOOP: b OK NOOP at once"""
        self.assertEqual(self.reply("b NOOP", slow=False), "b OK NOOP")

    def test_noop_arg(self):
        """c NOOP x: argument given"""
        self.assertEqual(self.reply("c NOOP x"), "c BAD Argument given to "
                         "NOOP but there shouldn't be one, mate")

    def test_capability_arg(self):
        """a CAPABILITY x: argument given"""
        self.assertEqual(self.reply("a CAPABILITY x"), "a BAD Argument given"
                         " to CAPABILITY but there shouldn't be one, mate")

    def test_logout_arg(self):
        """a LOGOUT x: argument given"""
        self.assertEqual(self.reply("a LOGOUT x"), "a BAD Argument given to "
                         "LOGOUT but there shouldn't be one, mate")

    def test_bad_tags(self):
        """tags with % * ( " \\ ] { or a control byte: * BAD Invalid tag"""
        tags = ["a%b", "a*", "(a", 'a"', "a\\", "a]", "a{", "a\x01"]
        res = parallel(*[(lambda t=t: self.reply(t + " NOOP"))
                         for t in tags])
        self.assertEqual(res, ["* BAD Invalid tag, mate"] * len(tags))

    def test_missing_command(self):
        """h alone: h BAD Missing command, mate"""
        self.assertEqual(self.reply("h"), "h BAD Missing command, mate")

    def test_null_command(self):
        """i  NOOP: i BAD Null command, mate"""
        self.assertEqual(self.reply("i  NOOP"), "i BAD Null command, mate")

    def test_unrecognised(self):
        """g FOO, x XYZZY (...), x SELECT INBOX: Unrecognised command"""
        res = parallel(lambda: self.reply("g FOO"),
                       lambda: self.reply('x XYZZY ("name" "t")'),
                       lambda: self.reply("x SELECT INBOX"))
        self.assertEqual(res, ["g BAD Unrecognised command, mate",
                               "x BAD Unrecognised command, mate",
                               "x BAD Unrecognised command, mate"])

    def test_authenticate_other(self):
        """e AUTHENTICATE CRAM-MD5: NO mechanism not supported, at once"""
        self.assertEqual(self.reply("e AUTHENTICATE CRAM-MD5", slow=False),
                         "e NO AUTHENTICATE mechanism not supported, mate")

    def test_authenticate_no_arg(self):
        """f AUTHENTICATE: BAD Mate, try AUTHENTICATE <mechanism>"""
        self.assertEqual(self.reply("f AUTHENTICATE"),
                         "f BAD Mate, try AUTHENTICATE <mechanism>")

    def test_starttls_disabled(self):
        """d STARTTLS without tls_listen: BAD STARTTLS disabled, mate"""
        self.assertEqual(self.reply("d STARTTLS"),
                         "d BAD STARTTLS disabled, mate")

    def test_login_one_arg(self):
        """j LOGIN bob: BAD Mate, try LOGIN <username> <passwd>"""
        self.assertEqual(self.reply("j LOGIN bob"),
                         "j BAD Mate, try LOGIN <username> <passwd>")

    def test_login_three_args(self):
        """j LOGIN a b c: BAD Mate, try LOGIN ..."""
        self.assertEqual(self.reply("j LOGIN a b c"),
                         "j BAD Mate, try LOGIN <username> <passwd>")

    def test_login_empty_user(self):
        """LOGIN "" x is rejected"""
        self.assertEqual(self.reply('j LOGIN "" x'),
                         "j BAD Mate, try LOGIN <username> <passwd>")

    def test_zero_literal_user(self):
        """LOGIN {0}: syntax BAD"""
        self.assertTrue(self.reply("j LOGIN {0}").startswith("j BAD"))

    def test_huge_literal(self):
        """LOGIN {4294967296}: BAD, no continuation, no crash"""
        r = self.reply("j LOGIN {4294967296}")
        self.assertTrue(r.startswith("j BAD") or r.startswith("* BAD"), r)

    def test_over_limit_plus_literal(self):
        """LOGIN {5000+} holding "b LOGOUT" lines: BAD; the bytes are
        dropped, not run (issue 15; D-18)"""
        c = self.client(self.p)
        c.send("a LOGIN {5000+}\r\n" + "b LOGOUT\r\n" * 500 +
               "\r\nc NOOP\r\n")
        self.assertEqual(c.readline(), BAD_LOGIN)
        self.assertEqual(c.readline(), "c OK NOOP")
        c.send_line("d NOOP")
        self.assertEqual(c.readline(), "d OK NOOP")

    def test_plus_literal_past_bound(self):
        """LOGIN {100000+}: BAD, then the connection is closed"""
        c = self.client(self.p)
        c.send("a LOGIN {100000+}\r\n")
        self.assertEqual(c.readline(), BAD_LOGIN)
        self.assertTrue(c.eof(10), "connection left open")

    def test_case_insensitive(self):
        """a capability (lower case) works"""
        self.assertEqual(self.reply("a capability", 2)[1],
                         "a OK CAPABILITY")

    def test_long_line(self):
        """a 5000-byte line: BAD (or a close), no crash"""
        c = self.client(self.p)
        c.send_line("a LOGIN " + "x" * 5000 + " y")
        try:
            self.assertIn("BAD", c.readline(10))
        except EOFError:
            pass
        c2 = self.client(self.p)
        self.assertEqual(c2.cmd("b NOOP"), "b OK NOOP")


class LoginDisabled(PerditionTestCase):
    """--login_disabled (checklist 42, 43)."""

    tap_parallel = 2

    def setUp(self):
        self.p = self.imap_proxy("--login_disabled")

    def test_greeting(self):
        """greeting caps end LOGINDISABLED"""
        c = self.client(self.p)
        self.assertTrue(c.greeting.startswith(
            "* OK [CAPABILITY IMAP4 IMAP4REV1 LOGINDISABLED] perdition "
            "ready on "), c.greeting)

    def test_login(self):
        """LOGIN: NO failed: Login Disabled"""
        c = self.client(self.p)
        self.assertEqual(c.imap_cmd("a", "LOGIN bob x")[1],
                         "a NO failed: Login Disabled")


class Backends(PerditionTestCase):
    """Real-server side with fake back-ends (SPEC 3.5, checklist 47-52)."""

    tap_parallel = 10

    def test_backend_sees_flim_tags(self):
        """back-end sees flim07 CAPABILITY, flim08 LOGIN {3}, bob {9}"""
        fs = self.fake(imap_handler())
        p = self.imap_proxy(backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.imap_cmd("l", 'LOGIN "bob" "good pass"')[1],
                         "l OK You are so in")
        self.assertEqual(fs.received[:4], ["flim07 CAPABILITY",
                                           "flim08 LOGIN {3}", "bob {9}",
                                           "good pass"])

    def test_tags_continue_across_retries(self):
        """after a failure: flim09 LOGOUT, then flim0a CAPABILITY ..."""
        fs = self.fake(imap_handler())
        p = self.imap_proxy(backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", "LOGIN bob bad")[1], "a " + REAUTH)
        self.assertEqual(c.imap_cmd("b", 'LOGIN bob "good pass"')[1],
                         "b OK You are so in")
        tags = [l.split(" ")[0] for l in fs.received
                if l.startswith("flim")]
        self.assertEqual(tags, ["flim07", "flim08", "flim09", "flim0a",
                                "flim0b"])
        self.assertIn("flim09 LOGOUT", fs.received)

    def test_escaped_quote_user(self):
        """LOGIN "b\\"o" x sends the user b"o (D-10)"""
        fs = self.fake(imap_handler(users={'b"o': "x"}))
        p = self.imap_proxy(backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", 'LOGIN "b\\"o" x')[1],
                         "a OK You are so in")
        self.assertIn('b"o {1}', fs.received)

    def test_untagged_forwarded(self):
        """untagged lines during LOGIN reach the client before the OK"""
        fs = self.fake(imap_handler(untagged_login=["* 3 EXISTS",
                                                    "* OK hello"]))
        p = self.imap_proxy(backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", 'LOGIN bob "good pass"'),
                         (["* 3 EXISTS", "* OK hello"],
                          "a OK You are so in"))

    def test_server_resp_line(self):
        """-o relays the back-end OK line with the client's tag (D-6)"""
        fs = self.fake(imap_handler(untagged_login=["* OK first"]))
        p = self.imap_proxy("-o", backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", 'LOGIN bob "good pass"'),
                         (["* OK first"],
                          "a OK [CAPABILITY IMAP4rev1] Logged in"))

    def test_backend_logindisabled(self):
        """back-end LOGINDISABLED: NO failed: Login Disabled"""
        fs = self.fake(imap_handler(caps="IMAP4rev1 LOGINDISABLED"))
        p = self.imap_proxy(backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", 'LOGIN bob "good pass"', 20)[1],
                         "a NO failed: Login Disabled")

    def test_preauth_greeting(self):
        """* PREAUTH greeting: Connection Negotiation Failure"""
        fs = self.fake(imap_handler(greeting="* PREAUTH hi"))
        p = self.imap_proxy(backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", "LOGIN bob x")[1],
                         "a NO failed: Connection Negotiation Failure")

    def test_bye_greeting(self):
        """* BYE greeting: Connection Negotiation Failure"""
        fs = self.fake(imap_handler(greeting="* BYE busy"))
        p = self.imap_proxy(backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", "LOGIN bob x")[1],
                         "a NO failed: Connection Negotiation Failure")

    def test_loop(self):
        """perdition pointed at itself: Connection Negotiation Failure"""
        port = util.free_port()
        p = self.imap_proxy(backend=port, port=port)
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", "LOGIN bob x", 20)[1],
                         "a NO failed: Connection Negotiation Failure")

    def test_unreachable(self):
        """closed back-end port: Could not connect to server"""
        p = self.imap_proxy(backend=util.free_port())
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", "LOGIN bob x")[1],
                         "a NO failed: Could not connect to server")

    def test_relay_after_login(self):
        """commands after login reach the back-end verbatim"""
        fs = self.fake(imap_handler())
        p = self.imap_proxy(backend=fs.port)
        c = self.client(p)
        c.send('a LOGIN bob "good pass"\r\nb XFOO "x y" {3+}\r\n')
        self.assertEqual(c.readline(), "a OK You are so in")
        self.assertEqual(c.readline(), 'b OK echo XFOO "x y" {3+}')


class ClientReset(PerditionTestCase):
    """A client that resets in the middle of a 20 MB FETCH: the child
    gets EPIPE, not a fatal SIGPIPE, and still logs its Close line
    (issue 15; D-18)."""

    def test_reset_mid_fetch(self):
        """RST after 1 MB of 4 x 5 MB FETCH: Closing session: logged"""
        p = self.imap_proxy()
        c = self.client(p)
        c.imap_cmd("a", "LOGIN alice alicepw")
        c.imap_cmd("b", "SELECT INBOX")
        c.send("".join("f%d FETCH 2 (BODY.PEEK[])\r\n" % i
                       for i in range(4)))
        c.read_exact(1 << 20, 30)
        c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                          struct.pack("ii", 1, 0))
        c.close()
        p.wait_log(r"Closing session: .*authentication_id=\"alice\"", 30)
        self.assertNotIn("signal 13", p.log())
        c2 = self.client(p)
        self.assertEqual(c2.imap_cmd("a", "LOGIN bob {9+}\r\ngood pass")[1],
                         "a OK You are so in")


class NulInName(PerditionTestCase):
    """A literal user name holding a NUL byte is refused before any
    lookup (issue 12; D-12): 2.2 looked up, logged and logged in as the
    part before the NUL."""

    def test_literal_nul_refused_before_lookup(self):
        """a LOGIN {6}\\r\\nali\\0ce pw: a NO failed: Re-Authentication
        Failure after the usual pause, an Auth line naming "ali\\x00ce"
        and no server, no map lookup, no back-end; a good login follows"""
        makegdbm = os.path.join(util.TOP_BUILDDIR, "makegdbm", "makegdbm")
        lib = os.path.join(util.TOP_BUILDDIR, "perditiondb", ".libs",
                           "libperditiondb_gdbm.so.0")
        if not (os.access(makegdbm, os.X_OK) and os.path.exists(lib)):
            self.skipTest("the gdbm map library or makegdbm is not built")
        routed = self.fake(imap_handler(users={"ali": "pw"}))
        default = self.fake(imap_handler())
        db = os.path.join(util.make_tempdir("pdtest-imap-", True), "map.db")
        r = subprocess.run([makegdbm, db], input="ali:127.0.0.1:%d\n"
                           % routed.port, capture_output=True, text=True,
                           timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)
        p = self.imap_proxy("-d", "-m", db, map_library=lib,
                            backend=default.port)
        c = self.client(p)
        t0 = time.monotonic()
        c.send(b"a LOGIN {6}\r\n")
        self.assertEqual(c.readline(), CONT)
        c.send(b"ali\0ce pw\r\n")
        self.assertEqual(c.readline(10), "a " + REAUTH)
        self.assertGreaterEqual(time.monotonic() - t0, 2.5)
        m = p.wait_log(r"Auth: .*status=")[0]
        self.assertIn('authorisation_id=NONE authentication_id="ali\\x00ce" '
                      'server="(null):(null)" protocol=IMAP4 '
                      'server-secure=plaintext '
                      'status="failed: Re-Authentication Failure"', m.string)
        self.assertEqual((routed.connections, default.connections), (0, 0))
        # The map is consulted for the next, proper name.
        self.assertEqual(c.imap_cmd("b", "LOGIN ali pw")[1],
                         "b OK You are so in")
        self.assertEqual(routed.connections, 1)
        self.assertEqual(default.connections, 0)
        self.assertEqual(len(re.findall(r'popmap_lookup: "ali"', p.log())),
                         1, p.log())


class Timeouts(PerditionTestCase):
    """authenticate_timeout and -t for IMAP."""

    tap_parallel = 2

    def test_authenticate_timeout(self):
        """--authenticate_timeout 2 drops a silent client"""
        p = self.imap_proxy("--authenticate_timeout", "2")
        c = self.client(p)
        t0 = time.monotonic()
        self.assertTrue(c.eof(8))
        self.assertGreater(time.monotonic() - t0, 1.5)

    def test_idle_timeout(self):
        """-t 2: idle relay closed after 2 s, nothing sent"""
        p = self.imap_proxy("-t", "2")
        c = self.client(p)
        c.imap_cmd("a", "LOGIN alice alicepw")
        self.assertEqual(c.read_all(8), b"")
        p.wait_log(r"Timeout piping data\.$")


if __name__ == "__main__":
    sys.exit(tap.main())
