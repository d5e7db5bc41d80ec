# test_managesieve.py: ManageSieve through perdition to Dovecot's
# managesieve and to a fake back-end.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""ManageSieve client side (SPEC 3.4, D-7), real-server side (3.5), relay
timeout (3.7) and the Auth line (6.2): sieve-connect manages scripts
through the proxy, plain and with STARTTLS; raw sockets check every error
reply byte for byte, with the challenges a careless or hostile client
sends."""

import base64
import os
import ssl
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403

OK_GREETING = re.compile(r'^OK "perdition ready on \S+ [0-9a-f]{8}"$')
DEFAULT_CAPS = [
    '"IMPLEMENTATION" "perdition"',
    '"SIEVE" "comparator-i;octet comparator-i;ascii-casemap fileinto '
    'reject envelope encoded-character vacation subaddress '
    'comparator-i;ascii-numeric relational regex imap4flags copy include '
    'variables body enotify environment mailbox date"',
    '"SASL" "PLAIN"',
    '"NOTIFY" "mailto"',
    '"VERSION" "1.0"',
]

# Every NO text of SPEC 3.4 (the inner quotes are not escaped, as 2.2).
UNKNOWN = 'NO "Unknown command, mate"'
CAPA_ARGS = 'NO "Too many arguments, expected CAPABILITY, mate"'
NOOP_ARGS = 'NO "Too many arguments, expected NOOP [String], mate"'
NOOP_BAD = 'NO "Invalid AUTHENTICATE PLAIN challenge, mate"'
LOGOUT_ARGS = 'NO "Too many arguments, expected LOGOUT, mate"'
AUTH_ARGS = ('NO "Incorrect argument count, expected AUTHENTICATE '
             '<mechanism> [<challenge>], mate"')
AUTH_MECH = 'NO "Unknown SASL mechanism, mate"'
PLAIN_BAD = 'NO "Invalid AUTHENTICATE "PLAIN" challenge, mate"'
BASE64 = 'NO "Invalid base64 encoded challenge, mate"'
EMPTY = 'NO "Empty challenge, mate"'
NO_AUTHC = 'NO "Challenge has no authentication id, mate"'
EMPTY_AUTHC = 'NO "Empty authentication id, mate"'
NO_PASSWD = 'NO "Challenge has no password, mate"'
TRAILING = 'NO "Trailing garbage in challenge, mate"'
REAUTH = 'NO "failed: Re-Authentication Failure"'
NOOP_OK = 'OK "NOOP completed, mate"'
SO_IN = 'OK "You are so in"'

SCRIPT = (b'require ["fileinto"];\r\n'
          b'if header :contains "subject" "perdition" {\r\n'
          b'  fileinto "INBOX";\r\n'
          b'}\r\n')


def b64(raw):
    """base64 of bytes (or latin-1 str) as str."""
    if isinstance(raw, str):
        raw = raw.encode("latin-1")
    return base64.b64encode(raw).decode()


def plain(authz, authc, pw):
    """The base64 SASL PLAIN blob authzid NUL authcid NUL passwd."""
    return b64("%s\0%s\0%s" % (authz, authc, pw))


def read_greeting(c):
    """Capability lines then the OK line; returns (caps, ok line)."""
    lines = c.lines_until(lambda l: not l.startswith('"'), limit=64)
    return lines[:-1], lines[-1]


def sieve_client(tc, proxy):
    """A Client on proxy with its greeting read into c.caps / c.greeting."""
    c = tc.client(proxy, greeting=False)
    c.caps, c.greeting = read_greeting(c)
    return c


def listscripts(c, send=True):
    """Send LISTSCRIPTS (unless send is false); return Dovecot's final
    status line (the script lines before it depend on other tests)."""
    if send:
        c.send_line("LISTSCRIPTS")
    return c.lines_until(lambda l: not l.startswith('"'), limit=64)[-1]


_CERT = None


def cert_and_key():
    """(cert, key) paths of a self-signed certificate for localhost, made
    with openssl once per process."""
    global _CERT
    if _CERT is None:
        d = util.make_tempdir("pdtest-sievecert-", True)
        cert = os.path.join(d, "cert.pem")
        key = os.path.join(d, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                        "-subj", "/CN=localhost"], check=True,
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=60)
        os.chmod(key, 0o644)
        _CERT = (cert, key)
    return _CERT


def tls_args():
    cert, key = cert_and_key()
    return ["--ssl_mode", "tls_listen", "--ssl_cert_file", cert,
            "--ssl_key_file", key]


def start_tls(c):
    """Wrap the Client's socket in TLS (no verification: a test cert)."""
    assert not c.buf, "unread bytes before TLS: %r" % c.buf
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    c.sock = ctx.wrap_socket(c.sock, server_hostname="localhost")
    c.sock.settimeout(c.timeout)


def sieve_connect(port, user, password, *args, tls=False, timeout=60):
    """Run sieve-connect against 127.0.0.1:port with the password on a
    pipe; returns the CompletedProcess (text)."""
    r, w = os.pipe()
    os.write(w, password.encode() + b"\n")
    os.close(w)
    cmd = ["sieve-connect", "--debug", "-s", "127.0.0.1", "-p", str(port),
           "-u", user, "--passwordfd", str(r), "--notlsverify",
           "--authmech", "PLAIN"]
    cmd.append("--noclearchan" if tls else "--clearchan")
    cmd += list(args)
    try:
        return subprocess.run(cmd, pass_fds=[r], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True,
                              timeout=timeout)
    finally:
        os.close(r)


class SieveConnect(PerditionTestCase):
    """sieve-connect manages scripts through the proxy."""

    tap_parallel = 2

    @classmethod
    def setUpClass(cls):
        # Start the shared Dovecot once, before the threads race for it.
        dovecot.shared()

    def run_ok(self, port, user, password, *args, tls=False):
        r = sieve_connect(port, user, password, *args, tls=tls)
        self.assertEqual(r.returncode, 0, "sieve-connect %s failed:\n%s\n%s"
                         % (" ".join(args), r.stdout, r.stderr))
        return r

    def script_cycle(self, p, user, password, tls):
        d = tempfile.mkdtemp(prefix="pdtest-sieve-")
        self.addCleanup(subprocess.run, ["rm", "-rf", d])
        src = os.path.join(d, "in.sieve")
        dst = os.path.join(d, "out.sieve")
        with open(src, "wb") as f:
            f.write(SCRIPT)
        name = "pdtest"
        port = p.port

        r = self.run_ok(port, user, password, "--list", tls=tls)
        self.assertNotIn(name, r.stdout)
        if tls:
            self.assertIn("STARTTLS", r.stderr)
        self.run_ok(port, user, password, "--upload", "--localsieve", src,
                    "--remotesieve", name, tls=tls)
        r = self.run_ok(port, user, password, "--list", tls=tls)
        self.assertIn(name, r.stdout)
        self.assertNotRegex(r.stdout, "(?i)" + name + r".*active")
        self.run_ok(port, user, password, "--download", "--remotesieve",
                    name, "--localsieve", dst, tls=tls)
        with open(dst, "rb") as f:
            got = f.read()
        self.assertEqual(got.replace(b"\r\n", b"\n"),
                         SCRIPT.replace(b"\r\n", b"\n"))
        self.run_ok(port, user, password, "--activate", "--remotesieve",
                    name, tls=tls)
        r = self.run_ok(port, user, password, "--list", tls=tls)
        self.assertRegex(r.stdout, "(?i)" + name + r".*active")
        self.run_ok(port, user, password, "--deactivate", tls=tls)
        self.run_ok(port, user, password, "--delete", "--remotesieve", name,
                    tls=tls)
        r = self.run_ok(port, user, password, "--list", tls=tls)
        self.assertNotIn(name, r.stdout)
        secure = "starttls" if tls else "plaintext"
        self.assertLogMatches(
            p, r'Auth: .* client-secure=%s authorisation_id=NONE '
            r'authentication_id="%s" server="127\.0\.0\.1:\d+" '
            r'protocol=MANAGESIEVE server-secure=plaintext status="ok"'
            % (secure, user), count=7)

    def test_plain(self):
        """list, put, get, activate, delete a script in plaintext"""
        p = self.proxy(backend=self.dovecot().sieve_port,
                       protocol="managesieve")
        self.script_cycle(p, "carol", "carolpw", tls=False)

    def test_starttls(self):
        """the same with STARTTLS to a tls_listen proxy"""
        p = self.proxy(*tls_args(), backend=self.dovecot().sieve_port,
                       protocol="managesieve")
        self.script_cycle(p, "bob", "good pass", tls=True)

    def test_bad_password(self):
        """sieve-connect with a wrong password fails cleanly"""
        p = self.proxy(backend=self.dovecot().sieve_port,
                       protocol="managesieve")
        r = sieve_connect(p.port, "alice", "wrong", "--list")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("failed: Re-Authentication Failure",
                      r.stdout + r.stderr)
        self.assertLogMatches(
            p, r'Auth: .* authentication_id="alice" .*protocol=MANAGESIEVE'
            r' .*status="failed: Re-Authentication Failure"')


class ClientSide(PerditionTestCase):
    """Greeting, CAPABILITY, NOOP, LOGOUT, logins with raw sockets."""

    tap_parallel = 12

    @classmethod
    def setUpClass(cls):
        # Start the shared Dovecot once, before the threads race for it.
        dovecot.shared()

    def setUp(self):
        self.dc = self.dovecot()
        self.p = self.proxy(backend=self.dc.sieve_port,
                            protocol="managesieve")

    def test_greeting(self):
        """greeting: default capability lines then OK "perdition ready" """
        c = sieve_client(self, self.p)
        self.assertEqual(c.caps, DEFAULT_CAPS)
        self.assertRegex(c.greeting, OK_GREETING)

    def test_capability(self):
        """CAPABILITY re-sends the capability lines, no sleep"""
        c = sieve_client(self, self.p)
        t0 = time.monotonic()
        c.send_line("CAPABILITY")
        caps, ok = read_greeting(c)
        self.assertLess(time.monotonic() - t0, 2.0)
        self.assertEqual(caps, DEFAULT_CAPS)
        self.assertEqual(ok, 'OK "CAPABILITY completed, mate"')

    def test_capability_lower_case(self):
        """capability in lower case is the same command"""
        c = sieve_client(self, self.p)
        c.send_line("capability")
        caps, ok = read_greeting(c)
        self.assertEqual(caps, DEFAULT_CAPS)
        self.assertEqual(ok, 'OK "CAPABILITY completed, mate"')

    def test_capability_option(self):
        """--managesieve_capability: one line per two-space separated
        entry"""
        p = self.proxy("--managesieve_capability",
                       '"IMPLEMENTATION" "x"  "SASL" "PLAIN"',
                       backend=self.dc.sieve_port, protocol="managesieve")
        c = sieve_client(self, p)
        self.assertEqual(c.caps, ['"IMPLEMENTATION" "x"', '"SASL" "PLAIN"'])

    def test_noop(self):
        """NOOP: OK "NOOP completed, mate" at once"""
        c = sieve_client(self, self.p)
        t0 = time.monotonic()
        self.assertEqual(c.cmd("NOOP"), NOOP_OK)
        self.assertLess(time.monotonic() - t0, 2.0)

    def test_noop_tag(self):
        """NOOP "x": OK (TAG "x") "NOOP completed, mate" (D-7)"""
        c = sieve_client(self, self.p)
        self.assertEqual(c.cmd('NOOP "x"'),
                         'OK (TAG "x") "NOOP completed, mate"')

    def test_noop_tag_literal(self):
        """NOOP {3}: a literal tag is echoed as a quoted string"""
        c = sieve_client(self, self.p)
        c.send("NOOP {3}\r\nabc\r\n")
        self.assertEqual(c.readline(), 'OK (TAG "abc") "NOOP completed, mate"')
        self.assertEqual(c.cmd("NOOP"), NOOP_OK)

    def test_logout(self):
        """LOGOUT: OK "LOGOUT completed, mate", close, Closing NULL
        session"""
        c = sieve_client(self, self.p)
        self.assertEqual(c.cmd("LOGOUT"), 'OK "LOGOUT completed, mate"')
        self.assertTrue(c.eof(5))
        self.assertLogMatches(self.p, r"Closing NULL session: "
                              r"127\.0\.0\.1:\d+->127\.0\.0\.1:\d+ "
                              r'authorisation_id=NONE '
                              r'authentication_id="\(null\)"')

    def test_login_quoted(self):
        """AUTHENTICATE "PLAIN" "<b64>" logs in; Dovecot answers after"""
        c = sieve_client(self, self.p)
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "alice", "alicepw")), SO_IN)
        self.assertEqual(listscripts(c), 'OK "Listscripts completed."')
        self.assertTrue(c.cmd("LOGOUT").startswith("OK"))
        self.assertTrue(c.eof(5))
        self.assertLogMatches(
            self.p, r'Auth: 127\.0\.0\.1:\d+->127\.0\.0\.1:\d+ '
            r'client-secure=plaintext authorisation_id=NONE '
            r'authentication_id="alice" server="127\.0\.0\.1:%d" '
            r'protocol=MANAGESIEVE server-secure=plaintext status="ok"'
            % self.dc.sieve_port)
        self.assertLogMatches(
            self.p, r'Closing session: .* authorisation_id=NONE '
            r'authentication_id="alice" received=\d+ sent=\d+')

    def test_login_literal(self):
        """a {n} literal challenge (next line empty) logs in"""
        c = sieve_client(self, self.p)
        blob = plain("", "bob", "good pass")
        c.send('AUTHENTICATE "PLAIN" {%d}\r\n%s\r\n' % (len(blob), blob))
        self.assertEqual(c.readline(), SO_IN)
        self.assertEqual(listscripts(c), 'OK "Listscripts completed."')

    def test_login_literal_plus(self):
        """a {n+} literal challenge logs in too"""
        c = sieve_client(self, self.p)
        blob = plain("", "carol", "carolpw")
        c.send('authenticate "plain" {%d+}\r\n%s\r\n' % (len(blob), blob))
        self.assertEqual(c.readline(), SO_IN)

    def test_pipelined_after_auth(self):
        """a command pipelined after AUTHENTICATE reaches Dovecot (D-5)"""
        c = sieve_client(self, self.p)
        c.send('AUTHENTICATE "PLAIN" "%s"\r\nLISTSCRIPTS\r\n'
               % plain("", "alice", "alicepw"))
        self.assertEqual(c.readline(), SO_IN)
        self.assertEqual(listscripts(c, send=False),
                         'OK "Listscripts completed."')

    def test_bad_password_then_retry(self):
        """wrong password: NO "failed: Re-Authentication Failure", then
        a retry in the same session logs in"""
        c = sieve_client(self, self.p)
        t0 = time.monotonic()
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "alice", "nope"), timeout=20),
                         REAUTH)
        self.assertGreaterEqual(time.monotonic() - t0, 2.5)
        self.assertLogMatches(
            self.p, r'Auth: .* authorisation_id=NONE '
            r'authentication_id="alice" .*protocol=MANAGESIEVE '
            r'.*status="failed: Re-Authentication Failure"')
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "alice", "alicepw"), timeout=20),
                         SO_IN)

    def test_ok_line(self):
        """--ok_line replaces "You are so in" """
        p = self.proxy("--ok_line", "Welcome aboard",
                       backend=self.dc.sieve_port, protocol="managesieve")
        c = sieve_client(self, p)
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "carol", "carolpw")),
                         'OK "Welcome aboard"')

    def test_no_server(self):
        """unreachable back-end: NO "failed: Could not connect to
        server" """
        p = self.proxy(backend=util.free_port(), protocol="managesieve")
        c = sieve_client(self, p)
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "alice", "alicepw"), timeout=20),
                         'NO "failed: Could not connect to server"')

    def test_default_port(self):
        """-P managesieve: the default outgoing port is sieve"""
        p = self.proxy("-d", backend=self.dc.sieve_port,
                       protocol="managesieve")
        self.assertLogMatches(p, r'outgoing_port="sieve", .*'
                              r'protocol="MANAGESIEVE"', timeout=5)


def _no_case(line, want, label=None):
    """A test method: after the greeting send `line` (str or bytes, sent
    as is), expect the reply `want` after perdition's 3 s sleep, then a
    NOOP still works (the session goes on)."""
    def test(self):
        c = sieve_client(self, self.__class__.p)
        t0 = time.monotonic()
        c.send(line)
        got = c.readline(timeout=20)
        elapsed = time.monotonic() - t0
        self.assertEqual(got, want)
        self.assertGreaterEqual(elapsed, 2.5, "NO came without the sleep")
        self.assertEqual(c.cmd("NOOP"), NOOP_OK)
    test.__doc__ = "%s -> %s" % (label or repr(line)[:60], want[:60])
    return test


# (name, bytes sent, expected reply).  Each line ends with CRLF.
NO_CASES = [
    ("capability_args", "CAPABILITY x\r\n", CAPA_ARGS),
    ("noop_two_args", 'NOOP "a" "b"\r\n', NOOP_ARGS),
    ("noop_atom", "NOOP x\r\n", NOOP_BAD),
    ("logout_args", "LOGOUT x\r\n", LOGOUT_ARGS),
    ("starttls_disabled", "STARTTLS\r\n", UNKNOWN),
    ("unknown", "LISTSCRIPTS\r\n", UNKNOWN),
    ("empty_line", "\r\n", UNKNOWN),
    ("havespace", 'HAVESPACE "x" 10\r\n', UNKNOWN),
    ("auth_no_args", "AUTHENTICATE\r\n", AUTH_ARGS),
    ("auth_three_args", 'AUTHENTICATE "PLAIN" "AGFAYg==" "x"\r\n',
     AUTH_ARGS),
    ("auth_mech_atom", "AUTHENTICATE PLAIN \"%s\"\r\n"
     % plain("", "a", "b"), AUTH_MECH),
    ("auth_mech_login", 'AUTHENTICATE "LOGIN" "AGFAYg=="\r\n', AUTH_MECH),
    ("auth_mech_lower", 'AUTHENTICATE "plain" "%s"\r\n'
     % plain("", "a", "b"), None),
    ("plain_atom_challenge", "AUTHENTICATE \"PLAIN\" %s\r\n"
     % plain("", "a", "b"), PLAIN_BAD),
    ("literal_4294967296", 'AUTHENTICATE "PLAIN" {4294967296}\r\n',
     PLAIN_BAD),
    ("literal_4294967296_plus", 'AUTHENTICATE "PLAIN" {4294967296+}\r\n',
     PLAIN_BAD),
    ("literal_huge_digits", 'AUTHENTICATE "PLAIN" {%s}\r\n' % ("9" * 40),
     PLAIN_BAD),
    ("literal_over_limit", 'AUTHENTICATE "PLAIN" {4097}\r\n', PLAIN_BAD),
    ("base64_bad_chars", 'AUTHENTICATE "PLAIN" "!!!!"\r\n', BASE64),
    ("base64_space", 'AUTHENTICATE "PLAIN" "AGFs aWNlAGFsaWNlcHc="\r\n',
     BASE64),
    ("base64_tab", 'AUTHENTICATE "PLAIN" "AGFsaWNl\tAGFsaWNlcHc="\r\n',
     BASE64),
    ("base64_leading_space", 'AUTHENTICATE "PLAIN" " AGFsaWNlAGFsaWNlcHc="'
     '\r\n', BASE64),
    ("base64_trailing_space", 'AUTHENTICATE "PLAIN" "AGFsaWNlAGFsaWNlcHc= "'
     '\r\n', BASE64),
    ("base64_crlf_in_literal", 'AUTHENTICATE "PLAIN" {22}\r\n'
     'AGFsaWNl\r\nAGFsaWNlcHc=\r\n', BASE64),
    ("base64_bad_length", 'AUTHENTICATE "PLAIN" "AGFsaWNlAGFsaWNlcH"\r\n',
     BASE64),
    ("base64_inner_pad", 'AUTHENTICATE "PLAIN" "AG==AGFsaWNlcHc="\r\n',
     BASE64),
    ("base64_url_alphabet", 'AUTHENTICATE "PLAIN" "AGFs-WNl_GFsaWNlcHc="'
     '\r\n', BASE64),
    ("plain_empty", 'AUTHENTICATE "PLAIN" ""\r\n', EMPTY),
    ("plain_no_nul", 'AUTHENTICATE "PLAIN" "%s"\r\n' % b64("alice"),
     NO_AUTHC),
    ("plain_empty_authcid", 'AUTHENTICATE "PLAIN" "%s"\r\n'
     % b64("\0\0pw"), EMPTY_AUTHC),
    ("plain_authcid_at_end", 'AUTHENTICATE "PLAIN" "%s"\r\n'
     % b64("admin\0"), EMPTY_AUTHC),
    ("plain_no_password", 'AUTHENTICATE "PLAIN" "%s"\r\n'
     % b64("\0alice"), NO_PASSWD),
    ("plain_extra_nul", 'AUTHENTICATE "PLAIN" "%s"\r\n'
     % b64("\0alice\0pw\0"), TRAILING),
    ("plain_extra_field", 'AUTHENTICATE "PLAIN" "%s"\r\n'
     % b64("a\0alice\0pw\0more"), TRAILING),
    ("plain_only_nuls", 'AUTHENTICATE "PLAIN" "%s"\r\n' % b64("\0\0\0\0"),
     EMPTY_AUTHC),
    ("plain_literal_extra_nul", 'AUTHENTICATE "PLAIN" {%d+}\r\n%s\r\n'
     % (len(b64("\0bob\0x\0y")), b64("\0bob\0x\0y")), TRAILING),
    ("nul_byte_in_command", b"NO\0OP\r\n", UNKNOWN),
    ("control_bytes", b"\x01\x02\x1b[2J\r\n", UNKNOWN),
]


class Errors(PerditionTestCase):
    """Every SPEC 3.4 NO reply, exact text, each after the 3 s sleep."""

    tap_parallel = len(NO_CASES) + 4

    @classmethod
    def setUpClass(cls):
        cls.p = Perdition(backend=dovecot.shared().sieve_port,
                          protocol="managesieve").start()

    @classmethod
    def tearDownClass(cls):
        cls.p.stop()
        errs = cls.p.sanitizer_errors()
        if errs:
            raise AssertionError("sanitizer report:\n" + "\n".join(errs))

    def test_long_line(self):
        """a line over 4096 bytes gets a NO and the session goes on"""
        c = sieve_client(self, self.p)
        c.send("NOOP " + "x" * 10000 + "\r\n")
        self.assertTrue(c.readline(timeout=20).startswith("NO "))
        self.assertEqual(c.cmd("NOOP"), NOOP_OK)

    def test_many_args(self):
        """a command with 100 arguments gets a NO, session goes on"""
        c = sieve_client(self, self.p)
        c.send("AUTHENTICATE" + ' "x"' * 100 + "\r\n")
        self.assertEqual(c.readline(timeout=20), AUTH_ARGS)
        self.assertEqual(c.cmd("NOOP"), NOOP_OK)

    def test_unterminated_quote(self):
        """an unterminated quoted string gets a NO, session goes on"""
        c = sieve_client(self, self.p)
        c.send('AUTHENTICATE "PLAIN" "AGFAYg==\r\n')
        self.assertTrue(c.readline(timeout=20).startswith("NO "))
        self.assertEqual(c.cmd("NOOP"), NOOP_OK)

    def test_eof_preauth(self):
        """EOF before authentication: the child logs the fatal read"""
        c = sieve_client(self, self.p)
        c.close()
        self.assertLogMatches(
            self.p, r"Fatal Error reading authentication information from "
            r"client 127\.0\.0\.1:\d+->127\.0\.0\.1:%d: Exiting child"
            % self.p.port)


for _name, _line, _want in NO_CASES:
    if _want is None:
        continue
    setattr(Errors, "test_" + _name, _no_case(_line, _want, _name))


class LowerCaseMech(PerditionTestCase):
    """The mechanism is compared case-insensitively."""

    def test_plain_lower_case(self):
        """AUTHENTICATE "plain" "<b64>" logs in"""
        p = self.proxy(backend=self.dovecot().sieve_port,
                       protocol="managesieve")
        c = sieve_client(self, p)
        self.assertEqual(c.cmd('AUTHENTICATE "plain" "%s"'
                               % plain("", "alice", "alicepw")), SO_IN)


class StartTLS(PerditionTestCase):
    """STARTTLS on a tls_listen proxy (SPEC 3.4, 8)."""

    tap_parallel = 6

    @classmethod
    def setUpClass(cls):
        # Start the shared Dovecot once, before the threads race for it.
        dovecot.shared()

    def setUp(self):
        self.dc = self.dovecot()
        self.p = self.proxy(*tls_args(), backend=self.dc.sieve_port,
                            protocol="managesieve")

    def starttls(self, c):
        self.assertEqual(c.cmd("STARTTLS"), 'OK "Begin TLS negotiation, mate"')
        start_tls(c)
        caps, ok = read_greeting(c)
        self.assertEqual(caps, DEFAULT_CAPS)
        self.assertEqual(ok, 'OK "TLS negotiation completed, mate"')

    def test_greeting_offers_starttls(self):
        """greeting: "STARTTLS" after the configured capabilities"""
        c = sieve_client(self, self.p)
        self.assertEqual(c.caps, DEFAULT_CAPS + ['"STARTTLS"'])
        self.assertRegex(c.greeting, OK_GREETING)

    def test_starttls_resends_capabilities(self):
        """STARTTLS: handshake, then capabilities without STARTTLS"""
        c = sieve_client(self, self.p)
        self.starttls(c)
        c.send_line("CAPABILITY")
        caps, ok = read_greeting(c)
        self.assertEqual(caps, DEFAULT_CAPS)
        self.assertEqual(ok, 'OK "CAPABILITY completed, mate"')

    def test_starttls_twice(self):
        """STARTTLS once TLS is up: NO "Unknown command, mate" """
        c = sieve_client(self, self.p)
        self.starttls(c)
        t0 = time.monotonic()
        self.assertEqual(c.cmd("STARTTLS", timeout=20), UNKNOWN)
        self.assertGreaterEqual(time.monotonic() - t0, 2.5)
        self.assertEqual(c.cmd("NOOP"), NOOP_OK)

    def test_starttls_with_args(self):
        """STARTTLS x: NO "Unknown command, mate" """
        c = sieve_client(self, self.p)
        self.assertEqual(c.cmd("STARTTLS x", timeout=20), UNKNOWN)

    def test_login_after_starttls(self):
        """login over TLS; the Auth line says client-secure=starttls"""
        c = sieve_client(self, self.p)
        self.starttls(c)
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "carol", "carolpw")), SO_IN)
        self.assertEqual(listscripts(c), 'OK "Listscripts completed."')
        self.assertLogMatches(
            self.p, r'Auth: .* client-secure=starttls authorisation_id=NONE'
            r' authentication_id="carol" .*status="ok"')

    def test_login_plaintext_still_allowed(self):
        """tls_listen without force still allows a plaintext login"""
        c = sieve_client(self, self.p)
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "alice", "alicepw")), SO_IN)
        self.assertLogMatches(
            self.p, r'Auth: .* client-secure=plaintext .*'
            r'authentication_id="alice" .*status="ok"')

    def test_force_refuses_plaintext_login(self):
        """tls_listen_force: a plaintext login fails with Login
        Disabled"""
        cert, key = cert_and_key()
        p = self.proxy("--ssl_mode", "tls_listen_force", "--ssl_cert_file",
                       cert, "--ssl_key_file", key,
                       backend=self.dc.sieve_port, protocol="managesieve")
        c = sieve_client(self, p)
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "alice", "alicepw"), timeout=20),
                         'NO "failed: Login Disabled"')


def fake_sieve(caps=('"IMPLEMENTATION" "fake"', '"SASL" "PLAIN"',
                     '"VERSION" "1.0"'), accept=True):
    """A ManageSieve back-end: capabilities, OK, then AUTHENTICATE
    answered OK (accept) or NO; after login each line is answered
    OK "echo <line>"."""
    def handler(conn):
        for cap in caps:
            conn.send(cap)
        conn.send('OK "fake ready"')
        while True:
            line = conn.readline()
            if line is None:
                return
            if line.upper().startswith("AUTHENTICATE"):
                if accept:
                    conn.send('OK "fake logged in"')
                    break
                conn.send('NO "fake says no"')
            elif line.upper() == "LOGOUT":
                conn.send('OK "bye"')
                return
            else:
                conn.send('NO "fake: unexpected"')
        while True:
            line = conn.readline()
            if line is None:
                return
            conn.send('OK "echo %s"' % line)
    return handler


class ServerSide(PerditionTestCase):
    """What perdition sends to the real server, authzid, relay timeout."""

    tap_parallel = 6

    @classmethod
    def setUpClass(cls):
        # Start the shared Dovecot once, before the threads race for it.
        dovecot.shared()

    def test_authzid_logged(self):
        """an authzid is sent on and logged as authorisation_id="admin" """
        fs = self.fake(fake_sieve())
        p = self.proxy(backend=fs.port, protocol="managesieve")
        c = sieve_client(self, p)
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("admin", "alice", "secret")), SO_IN)
        self.assertEqual(c.cmd("HELLO"), 'OK "echo HELLO"')
        self.assertIn('AUTHENTICATE "PLAIN" "%s"'
                      % plain("admin", "alice", "secret"), fs.received)
        self.assertLogMatches(
            p, r'Auth: .* client-secure=plaintext authorisation_id="admin" '
            r'authentication_id="alice" server="127\.0\.0\.1:%d" '
            r'protocol=MANAGESIEVE server-secure=plaintext status="ok"'
            % fs.port)
        c.close()
        self.assertLogMatches(
            p, r'Closing session: .* authorisation_id="admin" '
            r'authentication_id="alice" received=\d+ sent=\d+')

    def test_nul_in_name_refused_before_lookup(self):
        """a NUL inside a SASL PLAIN name (\\0ali\\0ce\\0pw, or in the
        authzid) is refused as 2.2 does, NO "Trailing garbage...", before
        any lookup: no map line, no back-end connection, no name cut at
        the NUL; the same session then logs in"""
        fs = self.fake(fake_sieve())
        p = self.proxy("-d", backend=fs.port, protocol="managesieve")
        blobs = (b64("\0ali\0ce\0alicepw"), b64("ad\0min\0ali\0pw"),
                 b64("\0ali\0ce\0"))
        clients = [sieve_client(self, p) for _ in blobs]
        # One session each, so their 3 s pauses overlap.
        got = parallel(*[lambda c=c, b=b: c.cmd('AUTHENTICATE "PLAIN" "%s"'
                                                % b, timeout=20)
                         for c, b in zip(clients, blobs)])
        self.assertEqual(got, [TRAILING] * len(blobs))
        self.assertEqual(fs.connections, 0)
        c = clients[0]
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "alice", "pw")), SO_IN)
        self.assertLogMatches(p, r'Auth: .* authentication_id="alice" '
                              r'server="127\.0\.0\.1:%d" .*status="ok"'
                              % fs.port)
        log = p.log()
        self.assertEqual(len(re.findall(r"Auth: ", log)), 1, log)
        self.assertNotIn('"ali"', log)
        self.assertEqual(fs.received, ['AUTHENTICATE "PLAIN" "%s"'
                                       % plain("", "alice", "pw")])

    def test_no_authzid_sent_empty(self):
        """without an authzid the back-end gets an empty one"""
        fs = self.fake(fake_sieve())
        p = self.proxy(backend=fs.port, protocol="managesieve")
        c = sieve_client(self, p)
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "bob", "good pass")), SO_IN)
        self.assertEqual(fs.received[0], 'AUTHENTICATE "PLAIN" "%s"'
                         % plain("", "bob", "good pass"))

    def test_rejected_sends_logout(self):
        """a back-end NO: NO "failed: Re-Authentication Failure", then
        LOGOUT to the back-end"""
        fs = self.fake(fake_sieve(accept=False))
        p = self.proxy(backend=fs.port, protocol="managesieve")
        c = sieve_client(self, p)
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "bob", "x"), timeout=20), REAUTH)
        fs.wait_received(lambda r: "LOGOUT" in r)

    def test_no_sasl_line(self):
        """a back-end without a "SASL" line: SASL mechanism
        unavailable"""
        fs = self.fake(fake_sieve(caps=('"IMPLEMENTATION" "fake"',)))
        p = self.proxy(backend=fs.port, protocol="managesieve")
        c = sieve_client(self, p)
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "bob", "x"), timeout=30),
                         'NO "failed: SASL mechanism unavailable"')

    def test_bad_greeting(self):
        """a back-end greeting ending in NO: Connection Negotiation
        Failure"""
        def handler(conn):
            conn.send('"SASL" "PLAIN"')
            conn.send('NO "go away"')
            conn.readline()
        fs = self.fake(handler)
        p = self.proxy(backend=fs.port, protocol="managesieve")
        c = sieve_client(self, p)
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "bob", "x"), timeout=30),
                         'NO "failed: Connection Negotiation Failure"')

    def test_relay_timeout(self):
        """idle relay past --timeout: BYE "Timeout", then close"""
        p = self.proxy("-t", "1", backend=self.dovecot().sieve_port,
                       protocol="managesieve")
        c = sieve_client(self, p)
        self.assertEqual(c.cmd('AUTHENTICATE "PLAIN" "%s"'
                               % plain("", "bob", "good pass")), SO_IN)
        self.assertEqual(c.readline(timeout=15), 'BYE "Timeout"')
        self.assertTrue(c.eof(10))
        self.assertLogMatches(p, r"Timeout piping data\.")


if __name__ == "__main__":
    tap.main()
