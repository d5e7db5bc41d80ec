# test_proxy_protocol.py: perdition behind a real HAProxy (PROXY protocol).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Issue 14 point 6: proxy_protocol and proxy_protocol_trusted.  A real
HAProxy (tests/lib/haproxy.py) with send-proxy (v1) and send-proxy-v2 in
front of perdition in front of the private Dovecot; the client connects
from 127.0.0.2 so its address differs from HAProxy's 127.0.0.1.  Raw
sockets send the bad headers.  Without the option: 2.2's behaviour."""

import os
import ssl
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403
import haproxy  # noqa: E402

CLIENT_IP = "127.0.0.2"
BAD = r"PROXY protocol: bad header 127\.0\.0\.1:\d+->127\.0\.0\.1:%d: %s$"
V2_SIG = b"\r\n\r\n\x00\r\nQUIT\n"


def v2_header(src, sport, dst, dport, tlv=b""):
    """A PROXY v2 PROXY/TCP4 header (with optional raw TLV bytes)."""
    body = (socket.inet_aton(src) + socket.inet_aton(dst)
            + struct.pack(">HH", sport, dport) + tlv)
    return V2_SIG + bytes([0x21, 0x11]) + struct.pack(">H", len(body)) + body


def ft(client, port):
    """The from_to regex of a client socket seen by perdition at port."""
    host, cport = client.sock.getsockname()
    return r"%s:%d->127\.0\.0\.1:%d" % (re.escape(host), cport, port)


@unittest.skipUnless(haproxy.available(), "haproxy not installed")
class ViaHAProxy(PerditionTestCase):
    """Logins through HAProxy v1 and v2 show the client's own address."""

    tap_parallel = 3

    def haproxy(self, backend, **kw):
        h = haproxy.HAProxy(backend, **kw).start()
        self.addCleanup(h.stop)
        return h

    def test_imap_v1(self):
        """send-proxy (v1): IMAP login works; Connect/Auth/Close show 127.0.0.2"""
        p = self.imap_proxy("--proxy_protocol")
        h = self.haproxy(p.port, version=1)
        c = h.connect(CLIENT_IP)
        self.addCleanup(c.close)
        self.assertRegex(c.readline(), IMAP_GREETING)
        _, tagged = c.imap_cmd("a", "LOGIN alice alicepw")
        self.assertTrue(tagged.startswith("a OK"), tagged)
        _, tagged = c.imap_cmd("b", "LOGOUT")
        where = ft(c, h.port)
        p.wait_log(r"Connect: +%s$" % where)
        p.wait_log(r"Auth: +%s client-secure=plaintext .*"
                   r"authentication_id=\"alice\" .*status=\"ok\"" % where)
        p.wait_log(r"Closing session: +%s " % where)
        self.assertNotIn("PROXY protocol", p.log())

    def test_pop3_v2(self):
        """send-proxy-v2: POP3 login works; Auth shows 127.0.0.2"""
        p = self.pop3_proxy("--proxy_protocol")
        h = self.haproxy(p.port, version=2)
        c = h.connect(CLIENT_IP)
        self.addCleanup(c.close)
        self.assertRegex(c.readline(), POP3_GREETING)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        self.assertTrue(c.cmd("STAT").startswith("+OK"))
        where = ft(c, h.port)
        p.wait_log(r"Connect: +%s$" % where)
        p.wait_log(r"Auth: +%s .*status=\"ok\"" % where)

    def test_imaps_v2(self):
        """IMAPS through HAProxy v2: the header comes before TLS"""
        d = util.make_tempdir("pdtest-ppcert-")
        cert, key = os.path.join(d, "c.pem"), os.path.join(d, "k.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                        "-nodes", "-keyout", key, "-out", cert, "-days",
                        "2", "-subj", "/CN=localhost"], check=True,
                       capture_output=True, timeout=60)
        p = self.proxy("--proxy_protocol", "--ssl_mode", "ssl_listen",
                       "--ssl_cert_file", cert, "--ssl_key_file", key,
                       protocol="IMAP4S", backend=self.dovecot().imap_port)
        h = self.haproxy(p.port, version=2)
        raw = h.connect(CLIENT_IP)
        self.addCleanup(raw.close)
        where = ft(raw, h.port)
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        c = Client(ctx.wrap_socket(raw.sock, server_hostname="localhost"))
        self.assertRegex(c.readline(), IMAP_GREETING)
        _, tagged = c.imap_cmd("a", "LOGIN alice alicepw")
        self.assertTrue(tagged.startswith("a OK"), tagged)
        p.wait_log(r"Auth: +%s client-secure=ssl .*status=\"ok\"" % where)

    def test_health_checks(self):
        """v2 health checks (LOCAL) are accepted: the server goes UP and
        no bad-header line is logged; the check's real address stands"""
        p = self.imap_proxy("--proxy_protocol")
        h = self.haproxy(p.port, version=2, check=True, expect="OK")
        util.wait_until(lambda: h.server_status() == "UP", 10,
                        what="haproxy server UP")
        p.wait_log(r"Connect: +127\.0\.0\.1:\d+->127\.0\.0\.1:%d$" % p.port)
        self.assertNotIn("PROXY protocol", p.log())
        self.assertNotIn("127.0.0.2", p.log())

    def test_scaling_out_dovecot_sees_client(self):
        """HAProxy -> perdition (forward_client_address) -> Dovecot with
        login_trusted_networks: Dovecot logs the client behind HAProxy"""
        dc = dovecot.Dovecot(protocols=("imap",),
                             trusted_networks="127.0.0.0/8")
        dc.start()
        self.addCleanup(dc.stop)
        p = self.proxy("--proxy_protocol", "--forward_client_address",
                       backend=dc.imap_port, protocol="IMAP4")
        h = self.haproxy(p.port, version=2)
        c = h.connect("127.0.0.3")
        self.addCleanup(c.close)
        self.assertRegex(c.readline(), IMAP_GREETING)
        _, tagged = c.imap_cmd("a", "LOGIN carol carolpw")
        self.assertTrue(tagged.startswith("a OK"), tagged)
        util.wait_until(lambda: re.search(
            r"Login: user=<carol>, .*rip=127\.0\.0\.3, ", dc.log()), 10,
            what="dovecot Login line with rip=127.0.0.3")


class Refusals(PerditionTestCase):
    """Untrusted peers and bad headers: one log line, closed, no greeting."""

    tap_parallel = 4

    def assertClosedWithLine(self, p, c, reason, timeout=10):
        self.assertTrue(c.eof(timeout), "connection not closed")
        p.wait_log(BAD % (p.port, re.escape(reason)))
        self.assertEqual(p.log().count("PROXY protocol:"), 1, p.log())
        self.assertNotIn("Connect:", p.log())

    def test_untrusted(self):
        """a peer outside proxy_protocol_trusted is refused, one line"""
        p = self.pop3_proxy("--proxy_protocol",
                            "--proxy_protocol_trusted", "10.0.0.0/8, ::1")
        c = self.client(p, greeting=False)
        c.send(b"PROXY TCP4 192.0.2.1 127.0.0.1 1234 110\r\n")
        self.assertTrue(c.eof(10))
        p.wait_log(r"PROXY protocol: untrusted peer 127\.0\.0\.1:\d+->"
                   r"127\.0\.0\.1:%d: refused$" % p.port)
        self.assertEqual(p.log().count("PROXY protocol:"), 1)
        self.assertNotIn("192.0.2.1", p.log())

    def test_garbage(self):
        """a client speaking POP3 at once: not a PROXY header"""
        p = self.pop3_proxy("--proxy_protocol")
        c = self.client(p, greeting=False)
        c.send(b"USER alice\r\n")
        self.assertClosedWithLine(p, c, "not a PROXY header")

    def test_garbage_bytes_not_logged(self):
        """peer bytes never reach the log line (format characters, NUL)"""
        p = self.pop3_proxy("--proxy_protocol")
        c = self.client(p, greeting=False)
        c.send(b"PROXY TCP4 %s%n\x00\x1b[31m 1 2\r\n")
        self.assertClosedWithLine(p, c, "v1 header holds a control byte")
        self.assertNotIn("%n", p.log())

    def test_truncated(self):
        """a header cut short by the peer's close"""
        p = self.pop3_proxy("--proxy_protocol")
        c = self.client(p, greeting=False)
        c.send(b"PROXY TCP4 192.0.2.1 127.0.0.1 12")
        c.shutdown_write()
        self.assertClosedWithLine(p, c, "truncated (connection closed)")

    def test_v1_too_long(self):
        """a v1 line past 107 bytes"""
        p = self.pop3_proxy("--proxy_protocol")
        c = self.client(p, greeting=False)
        c.send(b"PROXY UNKNOWN " + b"x" * 200 + b"\r\n")
        self.assertClosedWithLine(p, c, "v1 header too long")

    def test_v2_too_long(self):
        """a v2 header announcing 65535 bytes"""
        p = self.pop3_proxy("--proxy_protocol")
        c = self.client(p, greeting=False)
        c.send(V2_SIG + b"\x21\x11\xff\xff" + b"\x00" * 100)
        self.assertClosedWithLine(p, c, "v2 header too long")

    def test_v2_bad_tlv(self):
        """a v2 TLV running past the header's end"""
        p = self.pop3_proxy("--proxy_protocol")
        c = self.client(p, greeting=False)
        c.send(v2_header("192.0.2.1", 1, "127.0.0.1", 110, b"\x04\x00\x09ab"))
        self.assertClosedWithLine(p, c, "v2 header: malformed TLV")

    def test_slow(self):
        """a header not complete in time (authenticate_timeout 1 s < 5 s)"""
        p = self.pop3_proxy("--proxy_protocol", "--authenticate_timeout", "1")
        c = self.client(p, greeting=False)
        t0 = time.monotonic()
        c.send(b"PROXY TCP4 ")
        self.assertClosedWithLine(p, c, "timeout", timeout=8)
        self.assertLess(time.monotonic() - t0, 4)


class Direct(PerditionTestCase):
    """Headers sent by hand: v2 TLVs, LOCAL, UNKNOWN, inetd mode, and the
    option off."""

    tap_parallel = 3

    def test_v2_tlvs_skipped(self):
        """v2 with TLVs: the announced address, the bytes after it intact"""
        p = self.pop3_proxy("--proxy_protocol")
        c = self.client(p, greeting=False)
        c.send(v2_header("192.0.2.9", 4242, "198.51.100.1", 995,
                         b"\x01\x00\x04imap\x04\x00\x00")
               + b"USER alice\r\n")
        self.assertRegex(c.readline(), POP3_GREETING)
        self.assertEqual(c.readline(), "+OK USER alice set, mate")
        self.assertEqual(c.cmd("PASS alicepw"), "+OK You are so in")
        p.wait_log(r"Connect: +192\.0\.2\.9:4242->198\.51\.100\.1:995$")
        p.wait_log(r"Auth: +192\.0\.2\.9:4242->198\.51\.100\.1:995 "
                   r".*status=\"ok\"")

    def test_v1_tcp6(self):
        """v1 TCP6: IPv6 client address in the log"""
        p = self.pop3_proxy("--proxy_protocol")
        c = self.client(p, greeting=False)
        c.send(b"PROXY TCP6 2001:db8::7 2001:db8::1 5000 110\r\n")
        self.assertRegex(c.readline(), POP3_GREETING)
        p.wait_log(r"Connect: +2001:db8::7:5000->2001:db8::1:110$")

    def test_local_and_unknown(self):
        """v2 LOCAL and v1 UNKNOWN keep the real addresses"""
        p = self.pop3_proxy("--proxy_protocol")
        c = self.client(p, greeting=False)
        c.send(V2_SIG + b"\x20\x00\x00\x00")
        self.assertRegex(c.readline(), POP3_GREETING)
        p.wait_log(r"Connect: +%s$" % ft(c, p.port))
        d = self.client(p, greeting=False)
        d.send(b"PROXY UNKNOWN\r\n")
        self.assertRegex(d.readline(), POP3_GREETING)
        p.wait_log(r"Connect: +%s$" % ft(d, p.port))
        self.assertNotIn("PROXY protocol", p.log())

    def test_inetd(self):
        """inetd mode (-i) reads the header too"""
        s = self.inetd("--proxy_protocol", "-P", "POP3",
                       backend=self.dovecot().pop3_port)
        s.client.send(b"PROXY TCP4 192.0.2.5 192.0.2.6 777 110\r\n")
        self.assertRegex(s.client.readline(), POP3_GREETING)
        self.assertEqual(s.client.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        s.client.send_line("QUIT")
        s.client.read_all(5)
        s.client.close()
        self.assertEqual(s.wait(10), 0)
        self.assertRegex(s.log(), r"Connect: +192\.0\.2\.5:777->"
                         r"192\.0\.2\.6:110 inetd_pid=\d+")
        self.assertRegex(s.log(), r"Auth: +192\.0\.2\.5:777->192\.0\.2\.6:110 ")

    def test_option_off(self):
        """without proxy_protocol: 2.2's behaviour, the header is a command"""
        p = self.pop3_proxy()
        c = self.client(p)
        self.assertRegex(c.greeting, POP3_GREETING)
        c.send_line("PROXY TCP4 192.0.2.1 127.0.0.1 1234 110")
        self.assertTrue(c.readline().startswith("-ERR"))
        p.wait_log(r"Connect: +%s$" % ft(c, p.port))
        self.assertNotIn("192.0.2.1", p.log())
        self.assertNotIn("PROXY protocol", p.log())

    def test_bad_trusted_list(self):
        """a malformed proxy_protocol_trusted is a startup error"""
        r = subprocess.run([util.perdition_binary(), "-f", "", "--no_daemon",
                            "-b", "127.0.0.1", "-l", str(util.free_port()),
                            "-u", util.current_user(), "-g",
                            util.current_group(), "--proxy_protocol",
                            "--proxy_protocol_trusted", "10.0.0.0/33"],
                           capture_output=True, timeout=10)
        self.assertEqual(r.returncode, 1)
        self.assertIn(b'proxy_protocol_trusted: bad network "10.0.0.0/33"',
                      r.stderr)


if __name__ == "__main__":
    tap.main()
