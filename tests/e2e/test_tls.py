# test_tls.py: SSL/TLS on both sides of perdition (SPEC 8, 3.2, 3.3).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Every ssl_mode and its invalid combinations, POP3S/IMAP4S defaults,
STLS/STARTTLS on both sides, certificate checks of the back-end, the
key/passphrase/cert startup errors, protocol versions and cipher lists,
byte-exact 5 MB fetches through TLS in every direction mix, and the
attacks that must fail.  Clients: openssl s_client, curl, python ssl,
poplib, imaplib.  Back-ends: a private Dovecot with TLS on a certificate
this test makes with openssl, and python ssl fakes that record what they
got (and the SNI name)."""

import imaplib
import os
import poplib
import ssl
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403

STARTTLS_OK = "OK Begin TLS negotiation now"
STLS_OK = "+OK Begin TLS negotiation, mate"
OK_IN = "+OK You are so in"


# ------------------------------------------------------------------ PKI

class PKI:
    """A test CA and certificates made with the openssl command line:
    localhost (SAN DNS:localhost), other (SAN DNS:mail.example.org),
    cnonly (CN=localhost, no SAN), selfsigned (localhost, not from the
    CA), an encrypted copy of localhost's key, a hashed CA directory,
    DH parameters alone (dh.pem) and after localhost's certificate
    (localhost-dh.pem)."""

    PASS = "sekrit phrase"

    def __init__(self):
        self.dir = util.make_tempdir("pdtest-pki-", world_readable=True)
        self.ca = self.path("ca.pem")
        self.ca_key = self.path("ca.key")
        self._run("req", "-x509", "-newkey", "rsa:2048", "-nodes",
                  "-keyout", self.ca_key, "-out", self.ca, "-days", "3650",
                  "-subj", "/CN=perdition test CA",
                  "-addext", "basicConstraints=critical,CA:TRUE",
                  "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        self.leaf("localhost", "localhost", "DNS:localhost")
        self.leaf("other", "mail.example.org", "DNS:mail.example.org")
        self.leaf("cnonly", "localhost", None)
        self._run("req", "-x509", "-newkey", "rsa:2048", "-nodes",
                  "-keyout", self.path("selfsigned.key"),
                  "-out", self.path("selfsigned.pem"), "-days", "365",
                  "-subj", "/CN=localhost",
                  "-addext", "subjectAltName=DNS:localhost")
        self.enc_key = self.path("enc.key")
        self._run("pkey", "-in", self.key("localhost"), "-aes256",
                  "-passout", "pass:" + self.PASS, "-out", self.enc_key)
        # DSA-style generation: seconds, not minutes, for 2048 bits.
        self.dh = self.path("dh.pem")
        self._run("dhparam", "-dsaparam", "-out", self.dh, "2048")
        self.cert_dh = self.path("localhost-dh.pem")
        with open(self.cert_dh, "w") as dst:
            for src in (self.cert("localhost"), self.dh):
                with open(src) as f:
                    dst.write(f.read())
        self.pass_file = self.path("pass.txt")
        with open(self.pass_file, "w") as f:
            f.write(self.PASS + "\n")
        self.wrong_pass_file = self.path("wrongpass.txt")
        with open(self.wrong_pass_file, "w") as f:
            f.write("not it\n")
        # ssl_ca_path: a directory of <subject hash>.0 files.
        self.ca_dir = self.path("ca.d")
        os.mkdir(self.ca_dir)
        h = self._run("x509", "-hash", "-noout", "-in", self.ca).strip()
        with open(self.ca) as src, \
                open(os.path.join(self.ca_dir, h + ".0"), "w") as dst:
            dst.write(src.read())
        for name in os.listdir(self.dir):
            os.chmod(self.path(name), 0o755 if name.endswith(".d")
                     else 0o644)

    def path(self, name):
        return os.path.join(self.dir, name)

    def cert(self, name):
        return self.path(name + ".pem")

    def key(self, name):
        return self.path(name + ".key")

    def _run(self, *args):
        r = subprocess.run(["openssl"] + list(args), capture_output=True,
                           timeout=60)
        if r.returncode != 0:
            raise RuntimeError("openssl %s: %s" % (args[0], r.stderr))
        return r.stdout.decode()

    def leaf(self, name, cn, san):
        csr = self.path(name + ".csr")
        ext = self.path(name + ".ext")
        with open(ext, "w") as f:
            f.write("basicConstraints=CA:FALSE\n"
                    "extendedKeyUsage=serverAuth\n")
            if san:
                f.write("subjectAltName=%s\n" % san)
        self._run("req", "-newkey", "rsa:2048", "-nodes",
                  "-keyout", self.key(name), "-out", csr,
                  "-subj", "/CN=" + cn)
        self._run("x509", "-req", "-in", csr, "-CA", self.ca,
                  "-CAkey", self.ca_key, "-CAcreateserial",
                  "-out", self.cert(name), "-days", "365",
                  "-extfile", ext)

    def server_ctx(self, name="localhost", **kw):
        """A python server-side SSLContext on one of our certificates."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert(name), self.key(name))
        for k, v in kw.items():
            setattr(ctx, k, v)
        return ctx

    def client_ctx(self, **kw):
        """A python client SSLContext trusting the test CA."""
        ctx = ssl.create_default_context(cafile=self.ca)
        for k, v in kw.items():
            setattr(ctx, k, v)
        return ctx


_pki = None
_pki_lock = threading.Lock()


def pki():
    global _pki
    with _pki_lock:
        if _pki is None:
            _pki = PKI()
        return _pki


_tls_dc = None
_dc_lock = threading.Lock()


def tls_dovecot():
    """A private Dovecot with TLS on the localhost certificate: STARTTLS
    and STLS on imap_port/pop3_port, implicit TLS on imaps/pop3s."""
    global _tls_dc
    with _dc_lock:
        if _tls_dc is None:
            k = pki()
            _tls_dc = dovecot.Dovecot(
                protocols=("imap", "pop3"),
                ssl=(k.cert("localhost"), k.key("localhost"))).start()
        return _tls_dc


def listen_args(*mode, name="localhost"):
    """--ssl_mode plus the listening certificate and key."""
    k = pki()
    args = ["--ssl_cert_file", k.cert(name), "--ssl_key_file", k.key(name)]
    if mode:
        args = ["--ssl_mode", ",".join(mode)] + args
    return args


def ca_args():
    """Verify back-ends against the test CA only."""
    return ["--ssl_ca_file", pki().ca, "--ssl_ca_path", ""]


def tls_wrap(c, ctx=None, hostname="localhost"):
    """Upgrade a Client to TLS in place (after STLS/STARTTLS).  Nothing
    may be waiting in plaintext."""
    assert c.buf == b"", "plaintext after the STARTTLS reply: %r" % c.buf
    ctx = ctx or pki().client_ctx()
    c.sock = ctx.wrap_socket(c.sock, server_hostname=hostname)
    return c


def tls_connect(port, ctx=None, hostname="localhost", greeting=True):
    """A Client over implicit TLS to 127.0.0.1:port."""
    c = Client.connect(port, timeout=20)
    tls_wrap(c, ctx, hostname)
    if greeting:
        c.greeting = c.readline()
    return c


def auth_line(p, client, server, status="ok", count=1):
    """Wait for an Auth line with these secure values and status."""
    return p.wait_log(r"Auth: .* client-secure=%s .* server-secure=%s "
                      r'status="%s"' % (client, server, re.escape(status)),
                      count=count)


# ----------------------------------------------------------- TLS fakes

class TLSFake(FakeServer):
    """A FakeServer whose connections speak TLS from the first byte
    (implicit=True), or that can be upgraded with upgrade(conn).  Records
    SNI names, negotiated ciphers and handshake errors."""

    def __init__(self, handler, ctx, implicit=True):
        super().__init__(handler)
        self.ctx = ctx
        self.implicit = implicit
        self.sni = []
        self.ciphers = []
        self.errors = []
        ctx.sni_callback = self._sni

    def _sni(self, sslobj, name, ctx):
        self.sni.append(name)
        return None

    def upgrade(self, conn):
        conn.sock = self.ctx.wrap_socket(conn.sock, server_side=True)
        self.ciphers.append(conn.sock.cipher())

    def _serve(self, s):
        if self.implicit:
            s.settimeout(15)
            try:
                s = self.ctx.wrap_socket(s, server_side=True)
            except (ssl.SSLError, OSError) as e:
                self.errors.append(str(e))
                s.close()
                return
            self.ciphers.append(s.cipher())
        super()._serve(s)


def pop3_stls_handler(server_ref, stls=True, inject=""):
    """POP3 back-end offering STLS (upgrading through server_ref[0]);
    inject is sent in plaintext right after the STLS +OK, in the same
    write."""
    def handler(conn):
        conn.send("+OK fake POP3 ready")
        while True:
            line = conn.readline()
            if line is None:
                return
            w = line.split(" ", 1)[0].upper()
            if w == "CAPA":
                conn.send("+OK\r\n" + ("STLS\r\n" if stls else "") +
                          "USER\r\n.\r\n")
            elif w == "STLS" and stls:
                conn.send("+OK Begin TLS\r\n" + inject)
                server_ref[0].upgrade(conn)
            elif w == "USER":
                conn.send("+OK")
            elif w == "PASS":
                conn.send("+OK Logged in." if line == "PASS good pass"
                          else "-ERR [AUTH] Authentication failed.")
            elif w == "QUIT":
                conn.send("+OK bye")
                return
            else:
                conn.send("+OK echo " + line)
    return handler


# --------------------------------------------------------------- checks

def retr_big(test, c):
    """Log alice in over c (POP3), RETR 2, compare byte for byte."""
    test.assertEqual(c.pop3_login("alice", "alicepw"), OK_IN)
    c.send_line("RETR 2")
    first = c.readline(30)
    test.assertTrue(first.startswith("+OK"), first)
    # Exact length (no dot-stuffing in this message); read_until would
    # rescan the buffer for every 16 KB TLS record.
    body = c.read_exact(len(dovecot.big_message()) + 3, 90)
    test.assertTrue(body == dovecot.big_message() + b".\r\n",
                    "5 MB body differs")
    test.assertTrue(c.cmd("QUIT").startswith("+OK"))


def fetch_big(test, c):
    """Log alice in over c (IMAP), FETCH 2 BODY[], compare exactly."""
    untagged, done = c.imap_cmd("a", "LOGIN alice alicepw")
    test.assertEqual(done, "a OK You are so in")
    untagged, done = c.imap_cmd("b", "SELECT INBOX")
    test.assertTrue(done.startswith("b OK"), done)
    c.send_line("c FETCH 2 (BODY.PEEK[])")
    head = c.readline(30)
    m = re.match(r"^\* 2 FETCH \(BODY\[\] \{(\d+)\}$", head)
    test.assertTrue(m, head)
    big = dovecot.big_message()
    test.assertEqual(int(m.group(1)), len(big))
    test.assertTrue(c.read_exact(len(big), 90) == big, "body differs")
    test.assertEqual(c.readline(), ")")
    test.assertTrue(c.readline().startswith("c OK"))


def children_of(pid):
    """Pids whose parent is pid (from /proc)."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(d))
    return out


def read_to_eof(c, timeout):
    """Everything the peer sends until it closes; fails the test (via
    socket.timeout) if it does not close within timeout seconds."""
    try:
        return _read_eof(c, timeout)
    except ConnectionResetError:
        return b""


def _read_eof(c, timeout):
    deadline = time.monotonic() + timeout
    data = c.buf
    c.buf = b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout("peer did not close in %.0fs" % timeout)
        c.sock.settimeout(left)
        got = c.sock.recv(65536)
        if not got:
            return data
        data += got


def fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def client_hello():
    """The bytes of a real TLS ClientHello for localhost."""
    ctx = pki().client_ctx()
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname="localhost")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


# ================================================================ tests

class Startup(PerditionTestCase):
    """Option checks and startup errors (SPEC 8, checklist 124-129)."""

    tap_parallel = 8

    def start_ok(self, *args, **kw):
        p = self.proxy(*args, **kw)
        self.assertTrue(p.running())
        return p

    def start_fails(self, *args, needle=None, **kw):
        """Start, expect a prompt non-zero exit; needle must appear in
        stderr or the log."""
        p = self.proxy(*args, start=False, **kw)
        p.start(wait=False)
        rc = p.wait_exit(15)
        self.assertNotEqual(rc, 0)
        text = p.stderr() + p.log()
        if needle is not None:
            self.assertIn(needle, text)
        return rc, text

    def test_every_valid_mode(self):
        """each ssl_mode value (and empty) starts and serves a greeting"""
        for mode in ("", "none", "ssl_listen", "ssl_outgoing", "ssl_all",
                     "tls_listen", "tls_outgoing", "tls_all",
                     "tls_listen_force", "tls_outgoing_force",
                     "tls_all_force", "ssl_listen,tls_outgoing",
                     "tls_listen,ssl_outgoing"):
            with self.subTest(mode=mode):
                p = self.start_ok("--ssl_mode", mode, *listen_args())
                if "ssl_listen" in mode or "ssl_all" in mode:
                    c = tls_connect(p.port)
                else:
                    c = self.client(p)
                self.assertRegex(c.greeting, POP3_GREETING)
                c.close()
                p.stop()

    def test_invalid_combinations(self):
        """ssl+tls on one side, or none with others: clear error, exit"""
        for mode in ("ssl_listen,tls_listen", "ssl_outgoing,tls_outgoing",
                     "ssl_all,tls_all", "none,ssl_listen",
                     "tls_listen_force,ssl_listen", "ssl_all,tls_outgoing",
                     "none,tls_all_force", "bogus", "ssl_listen,"):
            with self.subTest(mode=mode):
                rc, text = self.start_fails("--ssl_mode", mode,
                                            *listen_args(),
                                            needle="ssl_mode")

    def test_missing_cert(self):
        """missing cert: Error loading certificate chain file, exit"""
        rc, text = self.start_fails(
            "--ssl_mode", "ssl_listen", "--ssl_cert_file", "/nonexistent.pem",
            "--ssl_key_file", pki().key("localhost"),
            needle='Error loading certificate chain file "/nonexistent.pem"')
        self.assertIn("Fatal error establishing SSL context for listening",
                      text)
        self.assertEqual(rc, 255)

    def test_missing_key(self):
        """missing key file: clear error naming it, exit"""
        self.start_fails("--ssl_mode", "tls_listen", "--ssl_cert_file",
                         pki().cert("localhost"), "--ssl_key_file",
                         "/nonexistent.key", needle="/nonexistent.key")

    def test_key_does_not_match(self):
        """key of another certificate: clear error, exit"""
        self.start_fails("--ssl_mode", "ssl_listen", "--ssl_cert_file",
                         pki().cert("localhost"), "--ssl_key_file",
                         pki().key("other"),
                         needle="Error loading private key file")

    def test_cert_not_pem(self):
        """a certificate file that is not PEM: clear error, exit"""
        self.start_fails("--ssl_mode", "ssl_listen", "--ssl_cert_file",
                         pki().pass_file, "--ssl_key_file",
                         pki().key("localhost"),
                         needle="Error loading certificate chain file")

    def test_wrong_passphrase(self):
        """encrypted key, wrong passphrase file: clear error, exit"""
        self.start_fails("--ssl_mode", "ssl_listen", "--ssl_cert_file",
                         pki().cert("localhost"), "--ssl_key_file",
                         pki().enc_key, "--ssl_passphrase_file",
                         pki().wrong_pass_file, needle=pki().enc_key)

    def test_no_passphrase(self):
        """encrypted key, no passphrase (stdin is /dev/null): exit"""
        self.start_fails("--ssl_mode", "ssl_listen", "--ssl_cert_file",
                         pki().cert("localhost"), "--ssl_key_file",
                         pki().enc_key, needle=pki().enc_key)

    def test_missing_passphrase_file(self):
        """--ssl_passphrase_file that does not exist: exit"""
        self.start_fails("--ssl_mode", "ssl_listen", "--ssl_cert_file",
                         pki().cert("localhost"), "--ssl_key_file",
                         pki().enc_key, "--ssl_passphrase_file",
                         "/nonexistent.pass", needle="/nonexistent.pass")

    def test_passphrase_file(self):
        """--ssl_passphrase_file unlocks the key; TLS works"""
        p = self.start_ok("--ssl_mode", "ssl_listen", "--ssl_cert_file",
                          pki().cert("localhost"), "--ssl_key_file",
                          pki().enc_key, "--ssl_passphrase_file",
                          pki().pass_file)
        c = tls_connect(p.port)
        self.addCleanup(c.close)
        self.assertRegex(c.greeting, POP3_GREETING)

    def test_passphrase_fd(self):
        """--ssl_passphrase_fd 0 reads the passphrase from stdin"""
        p = self.proxy("--ssl_mode", "ssl_listen", "--ssl_cert_file",
                       pki().cert("localhost"), "--ssl_key_file",
                       pki().enc_key, "--ssl_passphrase_fd", "0",
                       start=False)
        with open(pki().pass_file, "rb") as stdin, \
                open(p.err_path, "wb") as err:
            p.proc = subprocess.Popen(p.cmd, stdin=stdin,
                                      stdout=subprocess.DEVNULL,
                                      stderr=err, env=p.env)
        util.register_process(p.proc)
        util.wait_listening(p.port, 10, p.proc)
        c = tls_connect(p.port)
        self.addCleanup(c.close)
        self.assertRegex(c.greeting, POP3_GREETING)

    def test_passphrase_fd_and_file(self):
        """--ssl_passphrase_fd with --ssl_passphrase_file: usage error"""
        self.start_fails("--ssl_passphrase_fd", "3", "--ssl_passphrase_file",
                         pki().pass_file, *listen_args("ssl_listen"),
                         needle="passphrase")

    def test_dh_params_missing(self):
        """--ssl_dh_params_file /missing is fatal"""
        self.start_fails("--ssl_dh_params_file", "/nonexistent.dh",
                         *listen_args("ssl_listen"),
                         needle="/nonexistent.dh")

    def test_dh_from_cert_logged(self):
        """a cert without DH params: logged, the daemon continues"""
        p = self.start_ok(*listen_args("ssl_listen"))
        p.wait_log(r'could not read DH params from cert file "%s"'
                   % re.escape(pki().cert("localhost")))

    def test_dh_params_file_logged(self):
        """--ssl_dh_params_file: Loaded Diffie-Hellman parameters:
        "FILE" at start-up, before any connection, as 2.2 (seed 004)"""
        p = self.start_ok("--ssl_dh_params_file", pki().dh,
                          *listen_args("ssl_listen"))
        p.wait_log(r'\]: Loaded Diffie-Hellman parameters: "%s"$'
                   % re.escape(pki().dh))
        c = tls_connect(p.port)
        self.addCleanup(c.close)
        self.assertRegex(c.greeting, POP3_GREETING)
        log = p.log()
        self.assertLess(log.index("Loaded Diffie-Hellman"),
                        log.index("Connect:"))
        self.assertNotIn("could not read DH params", log)

    def test_dh_from_cert_file_logged(self):
        """DH parameters in the certificate file: the same line names
        the certificate file (2.2 does so)"""
        k = pki()
        p = self.start_ok("--ssl_mode", "ssl_listen", "--ssl_cert_file",
                          k.cert_dh, "--ssl_key_file", k.key("localhost"))
        p.wait_log(r'Loaded Diffie-Hellman parameters: "%s"$'
                   % re.escape(k.cert_dh))
        self.assertNotIn("could not read DH params", p.log())

    def test_dh_line_is_info(self):
        """the line is at info level, as 2.2's: -q (errors only) hides
        it, and a cert without DH parameters logs no such line"""
        p = self.start_ok("-q", "--ssl_dh_params_file", pki().dh,
                          *listen_args("ssl_listen"))
        c = tls_connect(p.port)
        c.close()
        p2 = self.start_ok(*listen_args("ssl_listen"))
        p2.wait_log("could not read DH params from cert file")
        self.assertNotIn("Loaded Diffie-Hellman", p.log())
        self.assertNotIn("Loaded Diffie-Hellman", p2.log())

    def test_bad_cipher_list(self):
        """a cipher list OpenSSL rejects: clear error, exit"""
        self.start_fails("--ssl_listen_ciphers", "NO-SUCH-CIPHER",
                         *listen_args("ssl_listen"), needle="NO-SUCH-CIPHER")

    def test_min_proto_empty(self):
        """--ssl_listen_min_proto_version "": usage error"""
        self.start_fails("--ssl_listen_min_proto_version", "",
                         *listen_args("ssl_listen"),
                         needle="ssl_listen_min_proto_version")

    def test_listen_only_needs_no_cert_for_outgoing(self):
        """ssl_outgoing alone needs no listening certificate"""
        self.start_ok("--ssl_mode", "ssl_outgoing", "--ssl_cert_file",
                      "/nonexistent.pem")

    def test_pop3s_default_ssl_all(self):
        """-P pop3s with empty ssl_mode logs ssl_mode="ssl_all" """
        p = self.start_ok("-P", "pop3s", "-d", *listen_args())
        p.wait_log(r'ssl_mode="ssl_all"')
        c = tls_connect(p.port)
        self.addCleanup(c.close)
        self.assertRegex(c.greeting, POP3_GREETING)

    def test_imap4s_default_ssl_all(self):
        """-P imap4s with empty ssl_mode is ssl_all"""
        p = self.start_ok("-P", "imap4s", "-d", *listen_args())
        p.wait_log(r'ssl_mode="ssl_all"')
        c = tls_connect(p.port)
        self.addCleanup(c.close)
        self.assertRegex(c.greeting, IMAP_GREETING)


class ListenPOP3(PerditionTestCase):
    """POP3 client side: POP3S and STLS (SPEC 3.2, checklist 10, 14, 26,
    27, 122, 123)."""

    tap_parallel = 8

    def test_ssl_listen_login(self):
        """ssl_listen: login over TLS, Auth client-secure=ssl"""
        p = self.pop3_proxy(*listen_args("ssl_listen"))
        c = tls_connect(p.port)
        self.addCleanup(c.close)
        self.assertRegex(c.greeting, POP3_GREETING)
        self.assertEqual(c.pop3_login("alice", "alicepw"), OK_IN)
        self.assertTrue(c.cmd("STAT").startswith("+OK 2 "))
        auth_line(p, "ssl", "plaintext")

    def test_plaintext_to_ssl_listen_fails(self):
        """ssl_listen: a plaintext client gets no greeting"""
        p = self.pop3_proxy("--authenticate_timeout", "3",
                            *listen_args("ssl_listen"))
        c = self.client(p, greeting=False)
        c.send_line("USER alice")
        try:
            data = c.read_all(8)
        except ConnectionResetError:
            data = b""
        self.assertNotIn(b"+OK", data)

    def test_capa_stls(self):
        """tls_listen: CAPA has STLS before TLS and not after"""
        p = self.pop3_proxy(*listen_args("tls_listen"))
        c = self.client(p)
        c.send_line("CAPA")
        self.assertEqual(c.lines_until(lambda l: l == "."),
                         ["+OK Capability list follows, mate", "UIDL",
                          "USER", "STLS", "."])
        self.assertEqual(c.cmd("STLS"), STLS_OK)
        tls_wrap(c)
        c.send_line("CAPA")
        self.assertEqual(c.lines_until(lambda l: l == "."),
                         ["+OK Capability list follows, mate", "UIDL",
                          "USER", "."])
        self.assertEqual(c.cmd("STLS"), "-ERR TLS already active, mate")
        self.assertEqual(c.pop3_login("alice", "alicepw"), OK_IN)
        auth_line(p, "starttls", "plaintext")

    def test_capa_no_stls_without_tls_listen(self):
        """no tls_listen: CAPA has no STLS, STLS is an unknown command"""
        p = self.pop3_proxy()
        c = self.client(p)
        c.send_line("CAPA")
        self.assertNotIn("STLS", c.lines_until(lambda l: l == "."))
        self.assertEqual(c.cmd("STLS"), "-ERR Mate, the command must be "
                         "one of CAPA, USER, PASS or QUIT")

    def test_error_lists_stls(self):
        """tls_listen: the command list names STLS until TLS is up"""
        p = self.pop3_proxy(*listen_args("tls_listen"))
        c = self.client(p)
        self.assertEqual(c.cmd("AU"), "-ERR Mate, the command is too short, "
                         "must be one of STLS, CAPA, USER, PASS or QUIT")
        self.assertEqual(c.cmd("STLS"), STLS_OK)
        tls_wrap(c)
        self.assertEqual(c.cmd("AU"), "-ERR Mate, the command is too short, "
                         "must be one of CAPA, USER, PASS or QUIT")

    def test_stls_with_argument(self):
        """STLS x: -ERR Mate, try: STLS"""
        p = self.pop3_proxy(*listen_args("tls_listen"))
        c = self.client(p)
        self.assertEqual(c.cmd("STLS x"), "-ERR Mate, try: STLS")

    def test_force_refuses_plaintext_login(self):
        """tls_listen_force: PASS before TLS gets failed: Login Disabled,
        nothing reaches the back-end; after STLS the login works"""
        fs = self.fake(pop3_handler())
        p = self.proxy(*listen_args("tls_listen_force"), backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"),
                         "-ERR failed: Login Disabled")
        p.wait_log(r'Auth: .* client-secure=plaintext .* '
                   r'server="\(null\):\(null\)" .* '
                   r'status="failed: Login Disabled"')
        self.assertEqual(fs.connections, 0)
        self.assertEqual(c.cmd("STLS"), STLS_OK)
        tls_wrap(c)
        self.assertEqual(c.pop3_login("bob", "good pass"), OK_IN)
        auth_line(p, "starttls", "plaintext")

    def test_poplib_pop3_ssl(self):
        """poplib.POP3_SSL through ssl_listen"""
        p = self.pop3_proxy(*listen_args("ssl_listen"))
        pop = poplib.POP3_SSL("localhost", p.port,
                              context=pki().client_ctx(), timeout=20)
        try:
            pop.user("bob")
            self.assertEqual(pop.pass_("good pass"), OK_IN.encode())
            self.assertEqual(pop.stat()[0], 1)
        finally:
            pop.quit()

    def test_poplib_stls(self):
        """poplib.stls() through tls_listen"""
        p = self.pop3_proxy(*listen_args("tls_listen"))
        pop = poplib.POP3("localhost", p.port, timeout=20)
        try:
            self.assertIn("STLS", pop.capa())
            pop.stls(context=pki().client_ctx())
            self.assertNotIn("STLS", pop.capa())
            pop.user("bob")
            self.assertEqual(pop.pass_("good pass"), OK_IN.encode())
        finally:
            pop.quit()
        auth_line(p, "starttls", "plaintext")

    def test_s_client_starttls_pop3(self):
        """openssl s_client -starttls pop3 logs in and STATs"""
        p = self.pop3_proxy(*listen_args("tls_listen"))
        r = subprocess.run(
            ["openssl", "s_client", "-connect", "127.0.0.1:%d" % p.port,
             "-starttls", "pop3", "-CAfile", pki().ca, "-verify_hostname",
             "localhost", "-verify_return_error", "-crlf", "-quiet"],
            input=b"USER alice\nPASS alicepw\nSTAT\nQUIT\n",
            capture_output=True, timeout=60)
        out = r.stdout.decode("latin-1")
        self.assertIn(OK_IN, out, r.stderr)
        self.assertIn("+OK 2 ", out)
        auth_line(p, "starttls", "plaintext")

    def test_s_client_tls13_default(self):
        """TLS 1.3 negotiates with the default max version"""
        p = self.pop3_proxy(*listen_args("ssl_listen"))
        c = tls_connect(p.port)
        self.addCleanup(c.close)
        self.assertEqual(c.sock.version(), "TLSv1.3")

    def test_min_tls13(self):
        """ssl_listen_min_proto_version tlsv1.3: a TLS 1.2 client fails,
        a TLS 1.3 client works"""
        p = self.pop3_proxy("--ssl_listen_min_proto_version", "tlsv1.3",
                            *listen_args("ssl_listen"))
        ctx = pki().client_ctx(maximum_version=ssl.TLSVersion.TLSv1_2)
        with self.assertRaises((ssl.SSLError, OSError, EOFError)):
            tls_connect(p.port, ctx)
        c = tls_connect(p.port)
        self.addCleanup(c.close)
        self.assertEqual(c.sock.version(), "TLSv1.3")

    def test_max_tls12(self):
        """ssl_listen_max_proto_version tlsv1.2 caps the version"""
        p = self.pop3_proxy("--ssl_listen_max_proto_version", "tlsv1.2",
                            *listen_args("ssl_listen"))
        c = tls_connect(p.port)
        self.addCleanup(c.close)
        self.assertEqual(c.sock.version(), "TLSv1.2")

    def test_curl_pop3s(self):
        """curl pop3s:// fetches the exact 5 MB message (TLS client,
        plain back-end)"""
        p = self.pop3_proxy(*listen_args("ssl_listen"))
        r = subprocess.run(
            ["curl", "-sS", "--max-time", "90", "--cacert", pki().ca,
             "pop3s://alice:alicepw@localhost:%d/2" % p.port],
            capture_output=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout == dovecot.big_message(),
                        "curl got %d bytes" % len(r.stdout))

    def test_curl_ssl_reqd_stls(self):
        """curl --ssl-reqd pop3:// uses STLS"""
        p = self.pop3_proxy(*listen_args("tls_listen"))
        r = subprocess.run(
            ["curl", "-sS", "--max-time", "60", "--ssl-reqd", "--cacert",
             pki().ca, "pop3://bob:good%%20pass@localhost:%d/" % p.port],
            capture_output=True, timeout=90)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.decode(), "1 %d\r\n"
                         % len(dovecot.messages_for("bob")[0]))
        auth_line(p, "starttls", "plaintext")

    def test_curl_ssl_reqd_without_stls(self):
        """curl --ssl-reqd against a proxy without tls_listen fails"""
        p = self.pop3_proxy()
        r = subprocess.run(
            ["curl", "-sS", "--max-time", "30", "--ssl-reqd",
             "pop3://bob:good%%20pass@localhost:%d/" % p.port],
            capture_output=True, timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stdout, b"")


class ListenIMAP(PerditionTestCase):
    """IMAP client side: IMAPS and STARTTLS (SPEC 3.3, checklist 40-42,
    122, 123)."""

    tap_parallel = 8

    def test_greeting_and_capability(self):
        """tls_listen: STARTTLS in greeting and CAPABILITY until TLS"""
        p = self.imap_proxy(*listen_args("tls_listen"))
        c = self.client(p)
        self.assertIn("[CAPABILITY IMAP4 IMAP4REV1 STARTTLS]", c.greeting)
        self.assertEqual(c.imap_cmd("a", "CAPABILITY"),
                         (["* CAPABILITY IMAP4 IMAP4REV1 STARTTLS"],
                          "a OK CAPABILITY"))
        self.assertEqual(c.cmd("b STARTTLS"), "b " + STARTTLS_OK)
        tls_wrap(c)
        self.assertEqual(c.imap_cmd("c", "CAPABILITY"),
                         (["* CAPABILITY IMAP4 IMAP4REV1"],
                          "c OK CAPABILITY"))
        self.assertEqual(c.cmd("d STARTTLS"), "d BAD SSL already active, mate")
        self.assertEqual(c.imap_cmd("e", "LOGIN alice alicepw")[1],
                         "e OK You are so in")
        auth_line(p, "starttls", "plaintext")

    def test_starttls_disabled(self):
        """no tls_listen: STARTTLS gets BAD STARTTLS disabled, mate"""
        p = self.imap_proxy()
        c = self.client(p)
        self.assertNotIn("STARTTLS", c.greeting)
        self.assertEqual(c.cmd("a STARTTLS"), "a BAD STARTTLS disabled, mate")

    def test_starttls_argument(self):
        """STARTTLS x: BAD Argument given ..."""
        p = self.imap_proxy(*listen_args("tls_listen"))
        c = self.client(p)
        self.assertEqual(c.cmd("a STARTTLS x"), "a BAD Argument given to "
                         "STARTTLS but there shouldn't be one, mate")

    def test_force_logindisabled(self):
        """tls_listen_force: greeting ends STARTTLS LOGINDISABLED, LOGIN
        before TLS fails, after TLS LOGINDISABLED is gone and LOGIN works"""
        p = self.imap_proxy(*listen_args("tls_listen_force"))
        c = self.client(p)
        self.assertIn("IMAP4REV1 STARTTLS LOGINDISABLED]", c.greeting)
        self.assertEqual(c.imap_cmd("a", "LOGIN alice alicepw")[1],
                         "a NO failed: Login Disabled")
        self.assertEqual(c.cmd("b STARTTLS"), "b " + STARTTLS_OK)
        tls_wrap(c)
        self.assertEqual(c.imap_cmd("c", "CAPABILITY")[0],
                         ["* CAPABILITY IMAP4 IMAP4REV1"])
        self.assertEqual(c.imap_cmd("d", "LOGIN alice alicepw")[1],
                         "d OK You are so in")
        auth_line(p, "starttls", "plaintext")

    def test_login_disabled_logindisabled(self):
        """--login_disabled: greeting ends LOGINDISABLED"""
        p = self.imap_proxy("--login_disabled")
        c = self.client(p)
        self.assertIn("IMAP4REV1 LOGINDISABLED]", c.greeting)

    def test_imaps_login(self):
        """ssl_listen: IMAPS login, Auth client-secure=ssl"""
        p = self.imap_proxy(*listen_args("ssl_listen"))
        c = tls_connect(p.port)
        self.addCleanup(c.close)
        self.assertRegex(c.greeting, IMAP_GREETING)
        self.assertEqual(c.imap_cmd("a", "LOGIN alice alicepw")[1],
                         "a OK You are so in")
        auth_line(p, "ssl", "plaintext")

    def test_imaplib_ssl(self):
        """imaplib.IMAP4_SSL fetches the small message"""
        p = self.imap_proxy(*listen_args("ssl_listen"))
        m = imaplib.IMAP4_SSL("localhost", p.port,
                              ssl_context=pki().client_ctx(), timeout=20)
        try:
            self.assertEqual(m.login("bob", "good pass")[0], "OK")
            m.select("INBOX")
            typ, data = m.fetch("1", "(BODY.PEEK[])")
            self.assertEqual(data[0][1], dovecot.messages_for("bob")[0])
        finally:
            m.logout()

    def test_imaplib_starttls(self):
        """imaplib.starttls() through tls_listen"""
        p = self.imap_proxy(*listen_args("tls_listen"))
        m = imaplib.IMAP4("localhost", p.port, timeout=20)
        try:
            self.assertIn("STARTTLS", m.capabilities)
            m.starttls(ssl_context=pki().client_ctx())
            self.assertNotIn("STARTTLS", m.capabilities)
            self.assertEqual(m.login("bob", "good pass")[0], "OK")
        finally:
            m.logout()
        auth_line(p, "starttls", "plaintext")

    def test_s_client_starttls_imap(self):
        """openssl s_client -starttls imap logs in"""
        p = self.imap_proxy(*listen_args("tls_listen"))
        r = subprocess.run(
            ["openssl", "s_client", "-connect", "127.0.0.1:%d" % p.port,
             "-starttls", "imap", "-CAfile", pki().ca, "-verify_hostname",
             "localhost", "-verify_return_error", "-crlf", "-quiet"],
            input=b"a LOGIN alice alicepw\nb LOGOUT\n",
            capture_output=True, timeout=60)
        out = r.stdout.decode("latin-1")
        self.assertIn("a OK You are so in", out, r.stderr)
        auth_line(p, "starttls", "plaintext")

    def test_curl_imaps(self):
        """curl imaps:// fetches the exact 5 MB message"""
        p = self.imap_proxy(*listen_args("ssl_listen"))
        r = subprocess.run(
            ["curl", "-sS", "--max-time", "90", "--cacert", pki().ca,
             "imaps://alice:alicepw@localhost:%d/INBOX;MAILINDEX=2"
             % p.port], capture_output=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout == dovecot.big_message(),
                        "curl got %d bytes" % len(r.stdout))

    def test_curl_ssl_reqd_starttls(self):
        """curl --ssl-reqd imap:// uses STARTTLS"""
        p = self.imap_proxy(*listen_args("tls_listen"))
        r = subprocess.run(
            ["curl", "-sS", "--max-time", "60", "--ssl-reqd", "--cacert",
             pki().ca, "imap://bob:good%%20pass@localhost:%d/INBOX;UID=1"
             % p.port], capture_output=True, timeout=90)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, dovecot.messages_for("bob")[0])
        auth_line(p, "starttls", "plaintext")


class Outgoing(PerditionTestCase):
    """Real-server side: implicit TLS and STLS/STARTTLS to Dovecot, the
    forced variants, certificate verification, SNI, cipher lists."""

    tap_parallel = 10

    def dc(self):
        return tls_dovecot()

    def test_pop3_ssl_outgoing_dovecot(self):
        """ssl_outgoing to Dovecot pop3s: server-secure=ssl"""
        p = self.proxy("--ssl_mode", "ssl_outgoing", *ca_args(),
                       backend="localhost:%d" % self.dc().pop3s_port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"), OK_IN)
        self.assertTrue(c.cmd("STAT").startswith("+OK 1 "))
        auth_line(p, "plaintext", "ssl")

    def test_pop3_tls_outgoing_dovecot(self):
        """tls_outgoing to Dovecot's STLS: server-secure=starttls"""
        p = self.proxy("--ssl_mode", "tls_outgoing", *ca_args(),
                       backend="localhost:%d" % self.dc().pop3_port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"), OK_IN)
        self.assertTrue(c.cmd("STAT").startswith("+OK 1 "))
        auth_line(p, "plaintext", "starttls")

    def test_imap_ssl_outgoing_dovecot(self):
        """ssl_outgoing to Dovecot imaps"""
        p = self.proxy("--ssl_mode", "ssl_outgoing", *ca_args(),
                       protocol="IMAP4",
                       backend="localhost:%d" % self.dc().imaps_port)
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", "LOGIN bob \"good pass\"")[1],
                         "a OK You are so in")
        auth_line(p, "plaintext", "ssl")

    def test_imap_tls_outgoing_dovecot(self):
        """tls_outgoing_force to Dovecot's STARTTLS"""
        p = self.proxy("--ssl_mode", "tls_outgoing_force", *ca_args(),
                       protocol="IMAP4",
                       backend="localhost:%d" % self.dc().imap_port)
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", "LOGIN bob \"good pass\"")[1],
                         "a OK You are so in")
        auth_line(p, "plaintext", "starttls")

    def test_pop3s_default(self):
        """-P pop3s: SSL on both sides by default"""
        p = self.proxy("-P", "pop3s", *listen_args(), *ca_args(),
                       backend="localhost:%d" % self.dc().pop3s_port)
        c = tls_connect(p.port)
        self.addCleanup(c.close)
        self.assertEqual(c.pop3_login("bob", "good pass"), OK_IN)
        auth_line(p, "ssl", "ssl")

    def test_imap4s_default(self):
        """-P imap4s: SSL on both sides by default"""
        p = self.proxy("-P", "imap4s", *listen_args(), *ca_args(),
                       backend="localhost:%d" % self.dc().imaps_port)
        c = tls_connect(p.port)
        self.addCleanup(c.close)
        self.assertEqual(c.imap_cmd("a", "LOGIN alice alicepw")[1],
                         "a OK You are so in")
        auth_line(p, "ssl", "ssl")

    def test_tls_outgoing_without_stls_plaintext(self):
        """tls_outgoing, back-end without STLS: login in plaintext"""
        fs = self.fake(pop3_handler())
        p = self.proxy("--ssl_mode", "tls_outgoing", *ca_args(),
                       backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"), OK_IN)
        auth_line(p, "plaintext", "plaintext")

    def test_pop3_force_without_stls(self):
        """tls_outgoing_force, POP3 back-end without STLS: -ERR failed:
        TLS not present; USER/PASS never sent"""
        fs = self.fake(pop3_handler())
        p = self.proxy("--ssl_mode", "tls_outgoing_force", *ca_args(),
                       backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"),
                         "-ERR failed: TLS not present")
        p.wait_log(r'status="failed: TLS not present"')
        self.assertEqual(fs.connections, 1)
        self.assertFalse([l for l in fs.received
                          if l.upper().startswith(("USER", "PASS"))],
                         fs.received)
        self.assertNotIn("good pass", " ".join(fs.received))

    def test_imap_force_without_starttls(self):
        """tls_outgoing_force, IMAP back-end without STARTTLS: NO failed:
        Connection Negotiation Failure; LOGIN never sent"""
        fs = self.fake(imap_handler())
        p = self.proxy("--ssl_mode", "tls_outgoing_force", *ca_args(),
                       protocol="IMAP4", backend=fs.port)
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", "LOGIN bob \"good pass\"")[1],
                         "a NO failed: Connection Negotiation Failure")
        self.assertEqual(fs.connections, 1)
        self.assertFalse([l for l in fs.received if "LOGIN" in l.upper()],
                         fs.received)
        self.assertNotIn("good pass", " ".join(fs.received))

    def fake_tls(self, cert="localhost", implicit=True, handler=None,
                 **ctxkw):
        ref = [None]
        fs = TLSFake(handler or pop3_handler(),
                     pki().server_ctx(cert, **ctxkw), implicit)
        ref[0] = fs
        fs.start()
        self.addCleanup(fs.stop)
        return fs

    def outgoing_login(self, fs, *args, host="localhost"):
        p = self.proxy("--ssl_mode", "ssl_outgoing", *args,
                       backend="%s:%d" % (host, fs.port))
        c = self.client(p)
        return p, c.pop3_login("bob", "good pass")

    def test_verify_good_ca_file(self):
        """ssl_ca_file trusts the back-end's cert; SNI is localhost"""
        fs = self.fake_tls()
        p, r = self.outgoing_login(fs, *ca_args())
        self.assertEqual(r, OK_IN)
        self.assertEqual(fs.sni, ["localhost"])

    def test_verify_ca_path(self):
        """ssl_ca_path (hashed dir) trusts the back-end's cert"""
        fs = self.fake_tls()
        p, r = self.outgoing_login(fs, "--ssl_ca_path", pki().ca_dir)
        self.assertEqual(r, OK_IN)

    def test_verify_ca_chain_file(self):
        """ssl_ca_chain_file alone also trusts the CA"""
        fs = self.fake_tls()
        p, r = self.outgoing_login(fs, "--ssl_ca_chain_file", pki().ca,
                                   "--ssl_ca_path", "")
        self.assertEqual(r, OK_IN)

    def test_verify_cn_only(self):
        """a cert with CN=localhost and no SAN matches localhost"""
        fs = self.fake_tls("cnonly")
        p, r = self.outgoing_login(fs, *ca_args())
        self.assertEqual(r, OK_IN)

    def test_wrong_host_name(self):
        """back-end cert for mail.example.org: login fails, credentials
        never sent"""
        fs = self.fake_tls("other")
        p, r = self.outgoing_login(fs, *ca_args())
        self.assertTrue(r.startswith("-ERR failed: "), r)
        self.assertEqual(fs.received, [])
        p.wait_log(r"Certificate was not verified")

    def test_wrong_host_name_no_cn_verify(self):
        """--ssl_no_cn_verify accepts the other host's cert"""
        fs = self.fake_tls("other")
        p, r = self.outgoing_login(fs, "--ssl_no_cn_verify", *ca_args())
        self.assertEqual(r, OK_IN)

    def test_untrusted(self):
        """self-signed back-end cert: login fails, nothing sent"""
        fs = self.fake_tls("selfsigned")
        p, r = self.outgoing_login(fs, *ca_args())
        self.assertTrue(r.startswith("-ERR failed: "), r)
        self.assertEqual(fs.received, [])
        p.wait_log(r"Certificate was not verified")

    def test_untrusted_no_cert_verify(self):
        """--ssl_no_cert_verify accepts the self-signed cert"""
        fs = self.fake_tls("selfsigned")
        p, r = self.outgoing_login(fs, "--ssl_no_cert_verify", *ca_args())
        self.assertEqual(r, OK_IN)

    def test_self_signed_accept_option(self):
        """--ssl_cert_accept_self_signed accepts a self-signed leaf"""
        fs = self.fake_tls("selfsigned")
        p, r = self.outgoing_login(fs, "--ssl_cert_accept_self_signed",
                                   *ca_args())
        self.assertEqual(r, OK_IN)

    def test_sni_dovecot_host(self):
        """SNI carries the -s host name; an IP literal sends none"""
        fs = self.fake_tls()
        p, r = self.outgoing_login(fs, "--ssl_no_cert_verify",
                                   host="127.0.0.1")
        self.assertEqual(r, OK_IN)
        self.assertEqual(fs.sni, [None])

    def test_ciphers_kept_apart(self):
        """ssl_listen_ciphers applies to clients only and
        ssl_outgoing_ciphers to back-ends only (CVE-2013-4584)"""
        fs = self.fake_tls()
        p = self.proxy("--ssl_mode", "ssl_all", *listen_args(), *ca_args(),
                       "--ssl_listen_ciphers", "ECDHE-RSA-AES128-GCM-SHA256",
                       "--ssl_outgoing_ciphers",
                       "ECDHE-RSA-AES256-GCM-SHA384",
                       "--ssl_listen_max_proto_version", "tlsv1.2",
                       "--ssl_outgoing_max_proto_version", "tlsv1.2",
                       backend="localhost:%d" % fs.port)
        c = tls_connect(p.port)
        self.addCleanup(c.close)
        self.assertEqual(c.sock.cipher()[0], "ECDHE-RSA-AES128-GCM-SHA256")
        self.assertEqual(c.pop3_login("bob", "good pass"), OK_IN)
        self.assertEqual(fs.ciphers[0][0], "ECDHE-RSA-AES256-GCM-SHA384")

    def test_outgoing_min_tls13(self):
        """ssl_outgoing_min_proto_version tlsv1.3 against a TLS 1.2-only
        back-end fails"""
        fs = self.fake_tls(maximum_version=ssl.TLSVersion.TLSv1_2)
        p, r = self.outgoing_login(fs, *ca_args(),
                                   "--ssl_outgoing_min_proto_version",
                                   "tlsv1.3")
        self.assertTrue(r.startswith("-ERR failed: "), r)
        self.assertEqual(fs.received, [])

    def test_stls_injection_discarded(self):
        """plaintext a back-end sends after its STLS +OK is never taken
        as a reply inside TLS"""
        ref = [None]
        fs = TLSFake(pop3_stls_handler(ref, inject="+OK injected\r\n"),
                     pki().server_ctx(), implicit=False)
        ref[0] = fs
        fs.start()
        self.addCleanup(fs.stop)
        p = self.proxy("--ssl_mode", "tls_outgoing", *ca_args(),
                       backend="localhost:%d" % fs.port)
        c = self.client(p)
        r = c.pop3_login("bob", "good pass")
        # Either the handshake broke on the injected bytes, or they were
        # discarded; never did "+OK injected" answer USER or PASS.
        if r == OK_IN:
            auth_line(p, "plaintext", "starttls")
            self.assertIn("PASS good pass", fs.received)
            # In step: had "+OK injected" answered USER, the real PASS
            # reply would come out here.
            self.assertEqual(c.cmd("NOOP"), "+OK echo NOOP")
        else:
            self.assertTrue(r.startswith("-ERR failed: "), r)
            self.assertNotIn("PASS good pass", fs.received)

    def test_stls_fake_sni(self):
        """tls_outgoing through STLS sends SNI too"""
        ref = [None]
        fs = TLSFake(pop3_stls_handler(ref), pki().server_ctx(),
                     implicit=False)
        ref[0] = fs
        fs.start()
        self.addCleanup(fs.stop)
        p = self.proxy("--ssl_mode", "tls_outgoing_force", *ca_args(),
                       backend="localhost:%d" % fs.port)
        c = self.client(p)
        self.assertEqual(c.pop3_login("bob", "good pass"), OK_IN)
        self.assertEqual(fs.sni, ["localhost"])
        self.assertEqual(c.cmd("NOOP"), "+OK echo NOOP")
        auth_line(p, "plaintext", "starttls")


class BigThroughTLS(PerditionTestCase):
    """Byte-exact 5 MB fetches in every direction mix."""

    tap_parallel = 10

    def dc(self):
        return tls_dovecot()

    def run_pop3(self, mode, backend_port, listen="none"):
        p = self.proxy("--ssl_mode", mode, *listen_args(), *ca_args(),
                       backend="localhost:%d" % backend_port)
        if listen == "ssl":
            c = tls_connect(p.port)
            self.addCleanup(c.close)
        else:
            c = self.client(p)
            if listen == "starttls":
                self.assertEqual(c.cmd("STLS"), STLS_OK)
                tls_wrap(c)
        retr_big(self, c)
        return p

    def run_imap(self, mode, backend_port, listen="none"):
        p = self.proxy("--ssl_mode", mode, *listen_args(), *ca_args(),
                       protocol="IMAP4",
                       backend="localhost:%d" % backend_port)
        if listen == "ssl":
            c = tls_connect(p.port)
            self.addCleanup(c.close)
        else:
            c = self.client(p)
            if listen == "starttls":
                self.assertEqual(c.cmd("s STARTTLS"), "s " + STARTTLS_OK)
                tls_wrap(c)
        fetch_big(self, c)
        return p

    def test_pop3_tls_client_plain_backend(self):
        """POP3: TLS client, plaintext back-end"""
        p = self.run_pop3("ssl_listen", self.dc().pop3_port, "ssl")
        auth_line(p, "ssl", "plaintext")

    def test_pop3_plain_client_tls_backend(self):
        """POP3: plaintext client, TLS back-end"""
        p = self.run_pop3("ssl_outgoing", self.dc().pop3s_port)
        auth_line(p, "plaintext", "ssl")

    def test_pop3_tls_both(self):
        """POP3: TLS on both sides"""
        p = self.run_pop3("ssl_all", self.dc().pop3s_port, "ssl")
        auth_line(p, "ssl", "ssl")

    def test_pop3_starttls_both(self):
        """POP3: STLS on both sides"""
        p = self.run_pop3("tls_all", self.dc().pop3_port, "starttls")
        auth_line(p, "starttls", "starttls")

    def test_pop3_starttls_client_ssl_backend(self):
        """POP3: STLS client, implicit TLS back-end"""
        p = self.run_pop3("tls_listen,ssl_outgoing", self.dc().pop3s_port,
                          "starttls")
        auth_line(p, "starttls", "ssl")

    def test_imap_tls_client_plain_backend(self):
        """IMAP: TLS client, plaintext back-end"""
        p = self.run_imap("ssl_listen", self.dc().imap_port, "ssl")
        auth_line(p, "ssl", "plaintext")

    def test_imap_plain_client_tls_backend(self):
        """IMAP: plaintext client, TLS back-end"""
        p = self.run_imap("ssl_outgoing", self.dc().imaps_port)
        auth_line(p, "plaintext", "ssl")

    def test_imap_tls_both(self):
        """IMAP: TLS on both sides"""
        p = self.run_imap("ssl_all", self.dc().imaps_port, "ssl")
        auth_line(p, "ssl", "ssl")

    def test_imap_starttls_both(self):
        """IMAP: STARTTLS on both sides"""
        p = self.run_imap("tls_all_force", self.dc().imap_port, "starttls")
        auth_line(p, "starttls", "starttls")

    def test_imap_plain_client_starttls_backend(self):
        """IMAP: plaintext client, STARTTLS back-end"""
        p = self.run_imap("tls_outgoing", self.dc().imap_port)
        auth_line(p, "plaintext", "starttls")


class Attacks(PerditionTestCase):
    """Attacks that must fail."""

    tap_parallel = 8

    def test_imap_pipelined_after_starttls(self):
        """IMAP: a LOGIN in the same write as STARTTLS is never run"""
        fs = self.fake(imap_handler())
        p = self.proxy(*listen_args("tls_listen"), protocol="IMAP4",
                       backend=fs.port)
        c = self.client(p)
        c.send("a STARTTLS\r\nb LOGIN bob \"good pass\"\r\n"
               "c CAPABILITY\r\n")
        self.assertEqual(c.readline(), "a " + STARTTLS_OK)
        time.sleep(0.3)
        tls_wrap(c)
        # The first thing inside TLS answers our own command.
        self.assertEqual(c.imap_cmd("d", "NOOP"), ([], "d OK NOOP"))
        self.assertEqual(c.imap_cmd("e", "CAPABILITY")[1], "e OK CAPABILITY")
        self.assertEqual(fs.connections, 0)
        self.assertNotIn("Auth:", p.log())

    def test_pop3_pipelined_after_stls(self):
        """POP3: USER/PASS in the same write as STLS are never run"""
        fs = self.fake(pop3_handler())
        p = self.proxy(*listen_args("tls_listen"), backend=fs.port)
        c = self.client(p)
        c.send("STLS\r\nUSER bob\r\nPASS good pass\r\n")
        self.assertEqual(c.readline(), STLS_OK)
        time.sleep(0.3)
        tls_wrap(c)
        # Had USER been run, PASS alone would log in now.
        self.assertEqual(c.cmd("PASS good pass"),
                         "-ERR USER not yet set, mate")
        self.assertEqual(fs.connections, 0)
        self.assertNotIn("Auth:", p.log())

    def test_pop3_pipelined_before_tls_force(self):
        """tls_listen_force: USER/PASS pipelined behind STLS neither log
        in nor reach the back-end"""
        fs = self.fake(pop3_handler())
        p = self.proxy(*listen_args("tls_listen_force"), backend=fs.port)
        c = self.client(p)
        c.send("STLS\r\nUSER bob\r\nPASS good pass\r\nSTAT\r\n")
        self.assertEqual(c.readline(), STLS_OK)
        time.sleep(0.3)
        tls_wrap(c)
        self.assertEqual(c.cmd("USER carol"), "+OK USER carol set, mate")
        self.assertEqual(fs.connections, 0)

    def test_garbage_client_hello(self):
        """garbage instead of a ClientHello: the child closes at once,
        the daemon keeps serving"""
        p = self.pop3_proxy(*listen_args("ssl_listen"))
        c = self.client(p, greeting=False)
        c.send(b"GET / HTTP/1.0\r\n\r\n" + bytes(range(256)) * 4)
        self.assertTrue(c.eof(10))
        p.wait_log(r"TLS handshake with client failed")
        c2 = tls_connect(p.port)
        self.addCleanup(c2.close)
        self.assertRegex(c2.greeting, POP3_GREETING)

    def test_garbage_after_stls(self):
        """garbage after STLS +OK: the child closes"""
        p = self.pop3_proxy(*listen_args("tls_listen"))
        c = self.client(p)
        self.assertEqual(c.cmd("STLS"), STLS_OK)
        c.send(b"\x16\x03\x01\x00\x05hello" + b"\xff" * 100)
        data = read_to_eof(c, 10)
        # At most a TLS alert record, never a protocol reply.
        self.assertTrue(data == b"" or data[:1] == b"\x15", data)
        p.wait_log(r"Fatal error negotiating TLS with client")

    def check_cut_hello(self, mode, prefix=None):
        p = self.pop3_proxy("--authenticate_timeout", "2",
                            *listen_args(mode))
        pid = p.pid
        # Settle, then count the daemon's descriptors.
        c0 = tls_connect(p.port) if mode == "ssl_listen" else \
            self.client(p)
        c0.close()
        util.wait_until(lambda: not children_of(pid), 10,
                        what="first child to exit")
        before = fd_count(pid)
        c = self.client(p, greeting=False)
        if prefix:
            c.readline()
            self.assertEqual(c.cmd(prefix), STLS_OK)
        hello = client_hello()
        c.send(hello[:len(hello) // 2])
        t0 = time.monotonic()
        self.assertTrue(c.eof(10))
        took = time.monotonic() - t0
        self.assertGreater(took, 1.5)
        self.assertLess(took, 7)
        util.wait_until(lambda: not children_of(pid), 10,
                        what="child to exit")
        self.assertEqual(fd_count(pid), before)
        self.assertTrue(p.running())

    def test_cut_client_hello_ssl(self):
        """ssl_listen: half a ClientHello, the child closes at
        authenticate_timeout, no descriptor leaks in the daemon"""
        self.check_cut_hello("ssl_listen")

    def test_cut_client_hello_stls(self):
        """tls_listen: half a ClientHello after STLS, same"""
        self.check_cut_hello("tls_listen", prefix="STLS")

    def test_cut_record_after_handshake(self):
        """ssl_listen: half a TLS record after the handshake does not
        hold the child past authenticate_timeout"""
        p = self.pop3_proxy("--authenticate_timeout", "2",
                            *listen_args("ssl_listen"))
        c = self.client(p, greeting=False)
        inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = pki().client_ctx().wrap_bio(inc, out,
                                          server_hostname="localhost")
        while True:
            try:
                obj.do_handshake()
                break
            except ssl.SSLWantReadError:
                data = out.read()
                if data:
                    c.send(data)
                inc.write(c.sock.recv(65536))
        data = out.read()
        if data:
            c.send(data)
        obj.write(b"USER bob\r\n")
        rec = out.read()
        c.send(rec[:len(rec) // 2])
        t0 = time.monotonic()
        while True:
            try:
                got = c.sock.recv(65536)
            except ConnectionResetError:
                got = b""
            if not got:
                break
            self.assertLess(time.monotonic() - t0, 8, "child never closed")
        took = time.monotonic() - t0
        self.assertGreater(took, 1.5)
        self.assertLess(took, 7)
        p.wait_log(r"Fatal Error: Timeout reading authentication "
                   r"information from client")

    def test_backend_wrong_host_imap(self):
        """IMAP, tls_outgoing to Dovecot named by an address its cert
        does not carry (DNS:localhost only): no LOGIN is sent"""
        dc = tls_dovecot()
        host = "127.0.0.1"
        p = self.proxy("--ssl_mode", "tls_outgoing", *ca_args(),
                       protocol="IMAP4",
                       backend="%s:%d" % (host, dc.imap_port))
        c = self.client(p)
        r = c.imap_cmd("a", "LOGIN bob \"good pass\"")[1]
        self.assertEqual(r, "a NO failed: Connection Negotiation Failure")
        p.wait_log(r"Certificate was not verified")


if __name__ == "__main__":
    sys.exit(tap.main())
