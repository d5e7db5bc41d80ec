# test_client_address.py: IMAP ID before login and the client's address
# to the back-end (issue 14 point 5, forward_client_address).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""The client's IMAP ID is answered with ours and passed on before LOGIN;
forward_client_address adds x-originating-ip & co. (IMAP) or sends
XCLIENT (POP3, ManageSieve).  Against a private Dovecot with
login_trusted_networks = 127.0.0.0/8 and imap_id_log = *, whose log
shows rip=127.0.0.2 (the client binds that address; perdition connects
from 127.0.0.1) and the client's ID; and against fake back-ends that
record exactly what they got (option off: the wire is unchanged); and
through STARTTLS/STLS to a Dovecot with a self-signed certificate."""

import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403

CLIENT_ADDR = "127.0.0.2"
ID_REPLY = '* ID ("name" "perdition")'
SID = re.compile(r"Session: 127\.0\.0\.2:(\d+)->127\.0\.0\.1:(\d+) "
                 r"session=([0-9a-f]{16})$", re.M)

_dc = None
_dc_lock = threading.Lock()


def trusting_dovecot():
    """A private Dovecot trusting loopback proxies (one per process)."""
    global _dc
    with _dc_lock:
        for attempt in range(3):
            if _dc is not None:
                break
            try:
                _dc = dovecot.Dovecot(trusted_networks="127.0.0.0/8",
                                      extra_conf="imap_id_log = *\n")
                _dc.start()
            except RuntimeError:
                _dc = None
                if attempt == 2:
                    raise
    return _dc


_tls_dc = None


def tls_dovecot():
    """A trusting Dovecot with STARTTLS on a self-signed certificate
    (one per process)."""
    global _tls_dc
    with _dc_lock:
        if _tls_dc is None:
            d = util.make_tempdir("pdtest-xclient-pki-", world_readable=True)
            cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                            "-nodes", "-keyout", key, "-out", cert, "-days",
                            "2", "-subj", "/CN=localhost"], check=True,
                           timeout=60, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            os.chmod(key, 0o644)
            _tls_dc = dovecot.Dovecot(ssl=(cert, key),
                                      trusted_networks="127.0.0.0/8",
                                      extra_conf="imap_id_log = *\n")
            _tls_dc.start()
    return _tls_dc


def stop_dovecot():
    for dc in (_dc, _tls_dc):
        if dc is not None:
            dc.stop()


class Base(PerditionTestCase):
    """Helpers: a client bound to 127.0.0.2, the session id of a log."""

    def connect_from(self, proxy, greeting=True):
        s = socket.socket()
        s.settimeout(10.0)
        s.bind((CLIENT_ADDR, 0))
        s.connect(("127.0.0.1", proxy.port))
        c = Client(s)
        self.addCleanup(c.close)
        if greeting:
            c.greeting = c.readline()
        return c

    def session(self, proxy):
        """(client port, proxy port, session id) of the Session: line."""
        self.assertLogMatches(proxy, SID.pattern)
        m = SID.search(proxy.log())
        return int(m.group(1)), int(m.group(2)), m.group(3)

    def dovecot_line(self, pattern, timeout=10.0):
        """Wait (bounded) for a line of Dovecot's log matching pattern."""
        rx = re.compile(pattern, re.M)
        return util.wait_until(lambda: rx.search(trusting_dovecot().log()),
                               timeout, what="dovecot log: " + pattern)


class TestClientId(Base):
    """Pre-login ID towards the client (no back-end needed)."""

    tap_parallel = 8

    def setUp(self):
        self.p = self.proxy(backend=1, protocol="IMAP4")
        self.c = self.client(self.p)

    def test_id_list(self):
        """a ID ("name" "x"): our * ID, then OK"""
        un, tagged = self.c.imap_cmd("a", 'ID ("name" "x" "os" NIL)')
        self.assertEqual(un, [ID_REPLY])
        self.assertEqual(tagged, "a OK ID completed")

    def test_id_nil(self):
        """b id nil: our * ID, then OK"""
        un, tagged = self.c.imap_cmd("b", "id nil")
        self.assertEqual((un, tagged), ([ID_REPLY], "b OK ID completed"))

    def test_id_literal(self):
        """an ID with a synchronising literal gets a continuation"""
        self.c.send_line('c ID ("name" {4}')
        self.assertEqual(self.c.readline(), "+ OK ready for additional input")
        self.c.send(b'te"t "version" {2+}\r\n1.)\r\n')
        self.assertEqual(self.c.readline(), ID_REPLY)
        self.assertEqual(self.c.readline(), "c OK ID completed")

    def test_id_bad(self):
        """malformed lists: BAD, the session goes on"""
        bad = ["ID", "ID (", 'ID ("name")', 'ID ("a" "b" "c" "d" x)',
               'ID ("%s" "v")' % ("k" * 31), "ID () x",
               'ID ("a" "%s")' % ("v" * 1025), 'ID ("a"\x00 "b")']

        def one(cmd):
            # Each on its own connection: the 3 s error sleeps overlap.
            c = self.client(self.p)
            un, tagged = c.imap_cmd("t", cmd)
            self.assertEqual(un, [])
            self.assertTrue(tagged.startswith("t BAD Mate, try ID "), tagged)
            return c.imap_cmd("n", "NOOP")[1]
        res = parallel(*[(lambda cmd=cmd: one(cmd)) for cmd in bad])
        self.assertEqual(res, ["n OK NOOP"] * len(bad))

    def test_id_big_literal(self):
        """{2000}: refused without a continuation; {2000+} skipped"""
        un, tagged = self.c.imap_cmd("d", 'ID ("name" {2000}')
        self.assertTrue(tagged.startswith("d BAD "), tagged)
        self.c.send(b'e ID ("name" {2000+}\r\n' + b"x" * 2000 + b")\r\n")
        self.assertTrue(self.c.readline().startswith("e BAD "))
        un, tagged = self.c.imap_cmd("f", "NOOP")
        self.assertEqual(tagged, "f OK NOOP")


def imap_fake(caps):
    return imap_handler(greeting="* OK [CAPABILITY %s] fake" % caps)


class TestFakeBackends(Base):
    """What a back-end gets, byte for byte."""

    tap_parallel = 8

    def login_imap(self, fake, args=(), id_cmd=None):
        p = self.proxy(*args, backend=fake.port, protocol="IMAP4")
        c = self.connect_from(p)
        if id_cmd:
            self.assertEqual(c.imap_cmd("a", id_cmd)[1], "a OK ID completed")
        self.assertEqual(c.imap_cmd("b", 'LOGIN bob "good pass"')[1],
                         "b OK You are so in")
        fake.wait_received(lambda r: any("LOGIN" in x for x in r))
        return p, list(fake.received)

    def test_off_no_id_unchanged(self):
        """option off, no client ID: LOGIN only, though the back-end has ID"""
        fake = self.fake(imap_fake("IMAP4rev1 ID LITERAL+"))
        p, got = self.login_imap(fake)
        self.assertTrue(got[0].startswith("flim07 LOGIN "), got)
        self.assertFalse(any(" ID " in x for x in got), got)
        self.assertNotIn("Session:", p.log())

    def test_off_client_id_passed(self):
        """option off: the client's ID, forgeries dropped, before LOGIN"""
        fake = self.fake(imap_fake("IMAP4rev1 ID LITERAL+"))
        p, got = self.login_imap(
            fake, id_cmd='ID ("name" "m\\"ua" "X-Originating-IP" "6.6.6.6" '
            '"x-session-id" "f" "os" {3+}\r\nL\rx)')
        self.assertEqual(got[0], 'flim07 ID ("name" "m\\"ua" "os" "Lx")')
        self.assertTrue(got[1].startswith("flim08 LOGIN "), got)
        self.assertNotIn("Session:", p.log())

    def test_no_id_capability(self):
        """a back-end without ID gets none, even with the option"""
        fake = self.fake(imap_fake("IMAP4rev1 LITERAL+"))
        p, got = self.login_imap(fake, args=["--forward_client_address"],
                                 id_cmd='ID ("name" "x")')
        self.assertTrue(got[0].startswith("flim07 LOGIN "), got)

    def test_on_imap(self):
        """option on: client pairs, then address, port and session id"""
        fake = self.fake(imap_fake("IMAP4rev1 ID LITERAL+"))
        p, got = self.login_imap(
            fake, args=["--forward_client_address"],
            id_cmd='ID ("name" "x" "x-originating-ip" "6.6.6.6")')
        cport, pport, sid = self.session(p)
        self.assertEqual(
            got[0], 'flim07 ID ("name" "x" "x-originating-ip" "127.0.0.2" '
            '"x-originating-port" "%d" "x-connected-ip" "127.0.0.1" '
            '"x-connected-port" "%d" "x-session-id" "%s")'
            % (cport, pport, sid))
        # The fake answered BAD: the login went on.
        self.assertTrue(got[1].startswith("flim08 LOGIN "), got)

    def test_on_imap_without_client_id(self):
        """option on and no client ID: ID with our pairs alone"""
        fake = self.fake(imap_fake("IMAP4rev1 ID LITERAL+"))
        p, got = self.login_imap(fake, args=["--forward_client_address"])
        self.assertTrue(got[0].startswith(
            'flim07 ID ("x-originating-ip" "127.0.0.2" '), got)

    def login_pop3(self, fake, args=()):
        p = self.proxy(*args, backend=fake.port)
        c = self.connect_from(p)
        self.assertEqual(c.cmd("USER bob"), "+OK USER bob set, mate")
        self.assertEqual(c.cmd("PASS good pass"), "+OK You are so in")
        fake.wait_received(lambda r: "PASS good pass" in r)
        return p, list(fake.received)

    def test_off_pop3_unchanged(self):
        """option off: USER and PASS only, though XCLIENT is offered"""
        fake = self.fake(pop3_handler(greeting="+OK [XCLIENT] fake",
                                      capa=("USER", "XCLIENT")))
        p, got = self.login_pop3(fake)
        self.assertEqual(got, ["USER bob", "PASS good pass"])

    def test_on_pop3_greeting(self):
        """option on, [XCLIENT] greeting: XCLIENT first, no CAPA"""
        fake = self.fake(pop3_handler(greeting="+OK [XCLIENT] fake"))
        p, got = self.login_pop3(fake, ["--forward_client_address"])
        cport, pport, sid = self.session(p)
        self.assertEqual(got, ["XCLIENT ADDR=127.0.0.2 PORT=%d SESSION=%s"
                               % (cport, sid), "USER bob", "PASS good pass"])

    def test_on_pop3_capa(self):
        """option on: CAPA asked; XCLIENT only when listed"""
        fake = self.fake(pop3_handler(capa=("USER", "XCLIENT")))
        p, got = self.login_pop3(fake, ["--forward_client_address"])
        self.assertEqual(got[0], "CAPA")
        self.assertTrue(got[1].startswith("XCLIENT ADDR=127.0.0.2 "), got)
        self.assertEqual(got[2:], ["USER bob", "PASS good pass"])
        self.assertLogMatches(p, "Real server refused XCLIENT")
        fake2 = self.fake(pop3_handler(capa=("USER",)))
        p, got = self.login_pop3(fake2, ["--forward_client_address"])
        self.assertEqual(got, ["CAPA", "USER bob", "PASS good pass"])


class TestDovecot(Base):
    """A real Dovecot that trusts the proxy."""

    tap_parallel = 4

    def test_imap_forwarded(self):
        """IMAP: rip=127.0.0.2, the client's ID logged, forgery ignored"""
        dc = trusting_dovecot()
        p = self.proxy("--forward_client_address", backend=dc.imap_port,
                       protocol="IMAP4")
        c = self.connect_from(p)
        un, tagged = c.imap_cmd(
            "a", 'ID ("name" "pdtest-on" "x-originating-ip" "6.6.6.6")')
        self.assertEqual(tagged, "a OK ID completed")
        self.assertEqual(c.imap_cmd("b", 'LOGIN bob "good pass"')[1],
                         "b OK You are so in")
        sid = self.session(p)[2]
        self.dovecot_line(r"Login: user=<bob>, method=PLAIN, "
                          r"rip=127\.0\.0\.2, .*session=<%s>" % sid)
        line = self.dovecot_line(r"ID sent: name=pdtest-on, .*$").group(0)
        self.assertNotIn("6.6.6.6", line)
        self.assertIn("x-originating-ip=127.0.0.2", line)

    def test_imap_no_client_id(self):
        """IMAP, the client sent no ID: rip=127.0.0.2 all the same"""
        dc = trusting_dovecot()
        p = self.proxy("--forward_client_address", backend=dc.imap_port,
                       protocol="IMAP4")
        c = self.connect_from(p)
        self.assertEqual(c.imap_cmd("b", 'LOGIN carol carolpw')[1],
                         "b OK You are so in")
        sid = self.session(p)[2]
        self.dovecot_line(r"Login: user=<carol>, .*rip=127\.0\.0\.2, "
                          r".*session=<%s>" % sid)

    def test_imap_option_off(self):
        """option off: the client's ID reaches Dovecot, rip is the proxy"""
        dc = trusting_dovecot()
        p = self.proxy(backend=dc.imap_port, protocol="IMAP4")
        c = self.connect_from(p)
        c.imap_cmd("a", 'ID ("name" "pdtest-off")')
        self.assertEqual(c.imap_cmd("b", 'LOGIN bob "good pass"')[1],
                         "b OK You are so in")
        line = self.dovecot_line(r"ID sent: name=pdtest-off: .*$").group(0)
        self.assertIn("rip=127.0.0.1,", line)
        self.assertNotIn("Session:", p.log())

    def test_pop3_forwarded(self):
        """POP3: XCLIENT, Dovecot logs rip=127.0.0.2 and our session id"""
        dc = trusting_dovecot()
        p = self.proxy("--forward_client_address", backend=dc.pop3_port)
        c = self.connect_from(p)
        self.assertEqual(c.cmd("USER alice"), "+OK USER alice set, mate")
        self.assertEqual(c.cmd("PASS alicepw"), "+OK You are so in")
        sid = self.session(p)[2]
        self.dovecot_line(r"pop3-login: Info: Login: user=<alice>, .*"
                          r"rip=127\.0\.0\.2, .*session=<%s>" % sid)

    def test_managesieve_forwarded(self):
        """ManageSieve: XCLIENT, Dovecot logs rip=127.0.0.2"""
        dc = trusting_dovecot()
        p = self.proxy("--forward_client_address", backend=dc.sieve_port,
                       protocol="MANAGESIEVE")
        c = self.connect_from(p, greeting=False)
        c.lines_until(lambda l: l.startswith("OK"))
        c.send_line('AUTHENTICATE "PLAIN" "AGFsaWNlAGFsaWNlcHc="')
        self.assertEqual(c.readline(), 'OK "You are so in"')
        sid = self.session(p)[2]
        self.dovecot_line(r"managesieve-login: Info: Login: user=<alice>, "
                          r".*rip=127\.0\.0\.2, .*session=<%s>" % sid)


class TestDovecotTls(Base):
    """tls_outgoing: the address goes after STARTTLS, before the login."""

    tap_parallel = 2

    def test_imap_after_starttls(self):
        """IMAP over STARTTLS: Dovecot logs TLS, rip=127.0.0.2, our id"""
        dc = tls_dovecot()
        p = self.proxy("--forward_client_address", "--ssl_mode",
                       "tls_outgoing_force", "--ssl_no_cert_verify",
                       backend=dc.imap_port, protocol="IMAP4")
        c = self.connect_from(p)
        c.imap_cmd("a", 'ID ("name" "pdtest-tls")')
        self.assertEqual(c.imap_cmd("b", 'LOGIN bob "good pass"')[1],
                         "b OK You are so in")
        self.assertLogMatches(p, r'server-secure=starttls status="ok"')
        sid = self.session(p)[2]
        rx = re.compile(r"imap-login: Info: Login: user=<bob>, .*"
                        r"rip=127\.0\.0\.2, .*TLS.*session=<%s>" % sid)
        util.wait_until(lambda: rx.search(dc.log()), 10.0,
                        what="dovecot TLS login line")
        self.assertIn("ID sent: name=pdtest-tls", dc.log())

    def test_pop3_after_stls(self):
        """POP3 over STLS: XCLIENT inside TLS, rip=127.0.0.2"""
        dc = tls_dovecot()
        p = self.proxy("--forward_client_address", "--ssl_mode",
                       "tls_outgoing_force", "--ssl_no_cert_verify",
                       backend=dc.pop3_port)
        c = self.connect_from(p)
        self.assertEqual(c.cmd("USER alice"), "+OK USER alice set, mate")
        self.assertEqual(c.cmd("PASS alicepw"), "+OK You are so in")
        self.assertLogMatches(p, r'server-secure=starttls status="ok"')
        sid = self.session(p)[2]
        rx = re.compile(r"pop3-login: Info: Login: user=<alice>, .*"
                        r"rip=127\.0\.0\.2, .*TLS.*session=<%s>" % sid)
        util.wait_until(lambda: rx.search(dc.log()), 10.0,
                        what="dovecot TLS login line")


if __name__ == "__main__":
    try:
        rc = tap.main()
    finally:
        stop_dovecot()
    sys.exit(rc)
