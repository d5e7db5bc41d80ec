# test_faults.py: the fault suite (issue 15 point 8; SPEC D-21): slow
# clients, silent and dying back-ends, resets mid-transfer, too many
# failed logins.  Every test is bounded in time.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Faults a proxy meets in the wild, against scripted back-ends
(tests/lib/fakeserver.py): none may hang a session past its deadline or
end it without its log lines."""

import os
import random
import struct
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403
from maptest import SilentServer  # noqa: E402


def trickle(port, stop, result, seed):
    """Connect and send "NOOP\\r\\n" one byte every 2-5 s until the peer
    closes or stop is set; result gets the time the close was seen
    (None if it was not)."""
    rnd = random.Random(seed)
    data = b"NOOP\r\n"
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    start = time.monotonic()
    try:
        i = 0
        while not stop.is_set():
            try:
                s.sendall(data[i % len(data):i % len(data) + 1])
            except OSError:
                break
            i += 1
            end = time.monotonic() + rnd.uniform(2, 5)
            closed = False
            while time.monotonic() < end and not stop.is_set():
                s.settimeout(max(0.05, min(0.5, end - time.monotonic())))
                try:
                    if s.recv(4096) == b"":
                        closed = True
                        break
                except socket.timeout:
                    continue
                except OSError:
                    closed = True
                    break
            if closed:
                result.append(time.monotonic() - start)
                return
        result.append(None)
    finally:
        s.close()


def reset(conn):
    """Close a fake back-end's connection with a TCP RST."""
    conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
    conn.sock.close()


class Faults(PerditionTestCase):

    tap_parallel = 4

    def test_trickling_clients_do_not_lock_out(self):
        """20 clients trickling a byte every 2-5 s with -L 20
        --authenticate_timeout 10 hold every slot, then are gone after
        the deadline: a real login works"""
        fs = self.fake(pop3_handler())
        p = self.proxy("-L", "20", "--authenticate_timeout", "10",
                       backend=fs.port)
        stop = threading.Event()
        self.addCleanup(stop.set)
        results = []
        threads = [threading.Thread(target=trickle, daemon=True,
                                    args=(p.port, stop, results, i))
                   for i in range(20)]
        for t in threads:
            t.start()
        p.wait_log(r"Connect: ", count=20)
        # Every slot is taken: a 21st client is turned away.
        c = self.client(p)
        self.assertIn("Too many connections", c.greeting)
        # After the deadline (10 s from each connect) they are all gone,
        # whatever they kept sending.
        deadline = time.monotonic() + 20
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        stop.set()
        self.assertEqual(len(results), 20, results)
        self.assertTrue(all(r is not None and r < 14 for r in results),
                        results)
        p.wait_log(r"Timeout reading authentication information", count=20)
        c = self.client(p)
        self.assertRegex(c.greeting, POP3_GREETING)
        self.assertTrue(c.pop3_login("bob", "good pass").startswith("+OK"))
        self.assertEqual(c.cmd("QUIT")[:3], "+OK")

    def test_flooding_client_bounded(self):
        """a client sending CAPA as fast as it can is still gone at
        login_timeout"""
        fs = self.fake(pop3_handler())
        p = self.proxy("--login_timeout", "2", backend=fs.port)
        c = self.client(p)
        start = time.monotonic()
        closed = False
        while time.monotonic() - start < 8:
            # CAPA is answered at once (an unknown command would sleep).
            try:
                c.send_line("CAPA")
                self.assertTrue(c.readline(timeout=3).startswith("+OK"))
                c.pop3_multiline(timeout=3)
            except (EOFError, ConnectionError):
                closed = True
                break
        self.assertTrue(closed, "still served after login_timeout")
        self.assertLess(time.monotonic() - start, 5)
        p.wait_log(r"Timeout reading authentication information")

    def test_failure_sleep_within_deadline(self):
        """the sleep after a failed login (3 s, more with the limits'
        delay) ends at login_timeout: the reply comes then, and the
        session ends"""
        fs = self.fake(pop3_handler(users={"bob": "good"}))
        p = self.proxy("--login_timeout", "2", "--login_failures_delay", "1",
                       backend=fs.port)
        c = self.client(p)
        start = time.monotonic()
        self.assertEqual(c.pop3_login("bob", "bad"),
                         "-ERR failed: Re-Authentication Failure")
        took = time.monotonic() - start
        self.assertGreaterEqual(took, 1.5)
        self.assertLess(took, 2.9)
        self.assertTrue(c.eof(timeout=5))
        p.wait_log(r"Timeout reading authentication information")

    def test_silent_backend(self):
        """a back-end that accepts and never speaks: with server_timeout
        the client hears a clear failure quickly, and can go on"""
        silent = SilentServer(accept=True)
        self.addCleanup(silent.close)
        p = self.proxy("--server_timeout", "2", backend=silent.port)
        c = self.client(p)
        start = time.monotonic()
        r = c.pop3_login("bob", "x")
        self.assertTrue(r.startswith("-ERR failed"), r)
        self.assertLess(time.monotonic() - start, 8)
        p.wait_log(r'Auth: .*server="127\.0\.0\.1:%d" .*status="failed'
                   % silent.port)
        self.assertEqual(c.cmd("QUIT")[:3], "+OK")

    def test_silent_backend_imap(self):
        """IMAP: the same, a tagged NO within the bound"""
        silent = SilentServer(accept=True)
        self.addCleanup(silent.close)
        p = self.proxy("--server_timeout", "1", protocol="IMAP4",
                       backend=silent.port)
        c = self.client(p)
        start = time.monotonic()
        _, r = c.imap_cmd("a1", "LOGIN bob x", timeout=10)
        self.assertTrue(r.startswith("a1 NO"), r)
        self.assertLess(time.monotonic() - start, 7)

    def test_backend_resets_mid_retr(self):
        """the back-end resets in the middle of a big RETR: the client
        sees the close and the Close line is logged"""
        def after_login(conn):
            while True:
                line = conn.readline()
                if line is None:
                    return
                if line.upper().startswith("RETR"):
                    conn.send("+OK 20000000 octets")
                    chunk = (b"x" * 998 + b"\r\n") * 1000
                    for _ in range(3):
                        conn.send(chunk)
                    reset(conn)
                    return
                conn.send("+OK")
        fs = self.fake(pop3_handler(after_login=after_login))
        p = self.proxy(backend=fs.port)
        c = self.client(p)
        self.assertTrue(c.pop3_login("bob", "good pass").startswith("+OK"))
        c.send_line("RETR 1")
        got = 0
        try:
            while True:
                data = c.sock.recv(65536)
                if not data:
                    break
                got += len(data)
        except (ConnectionResetError, socket.timeout):
            pass
        self.assertGreater(got, 100000)
        self.assertLess(got, 20000000)
        p.wait_log(r'Closing session: .*authentication_id="bob" '
                   r'received=\d+ sent=\d+')

    def test_backend_resets_mid_fetch(self):
        """IMAP: the back-end resets in the middle of a big FETCH"""
        def after_login(conn):
            line = conn.readline()
            if line is None:
                return
            tag = line.split(" ", 1)[0]
            conn.send("* 1 FETCH (BODY[] {20000000}")
            for _ in range(3):
                conn.send((b"y" * 998 + b"\r\n") * 1000)
            reset(conn)
            del tag
        fs = self.fake(imap_handler(after_login=after_login))
        p = self.proxy(protocol="IMAP4", backend=fs.port)
        c = self.client(p)
        _, r = c.imap_cmd("a1", "LOGIN bob \"good pass\"")
        self.assertTrue(r.startswith("a1 OK"), r)
        c.send_line("a2 FETCH 1 BODY[]")
        self.assertTrue(c.eof(timeout=10) or len(c.read_all(10)) > 0)
        p.wait_log(r'Closing session: .*authentication_id="bob"')

    def test_backend_dies_during_login(self):
        """the back-end closes after USER: the client hears a failure,
        one failed Auth line, and the session goes on"""
        fs = self.fake(script_handler([("send", "+OK hello"), ("recv",),
                                       ("close",)]))
        p = self.proxy(backend=fs.port)
        c = self.client(p)
        r = c.pop3_login("bob", "x")
        self.assertTrue(r.startswith("-ERR"), r)
        p.wait_log(r'Auth: .*status="failed')
        self.assertEqual(c.cmd("QUIT")[:3], "+OK")
        p.wait_log(r"Closing NULL session")

    def test_backend_resets_during_login(self):
        """the back-end resets after USER"""
        def handler(conn):
            conn.send("+OK hello")
            conn.readline()
            reset(conn)
        fs = self.fake(handler)
        p = self.proxy(backend=fs.port)
        c = self.client(p)
        r = c.pop3_login("bob", "x")
        self.assertTrue(r.startswith("-ERR"), r)
        p.wait_log(r'Auth: .*status="failed')

    def test_max_failed_logins_pop3(self):
        """--max_failed_logins 2: the second failure ends the
        connection, with a clear reply and a log line"""
        fs = self.fake(pop3_handler())
        p = self.proxy("--max_failed_logins", "2", backend=fs.port)
        c = self.client(p)
        for _ in range(2):
            r = c.pop3_login("bob", "bad")
            self.assertTrue(r.startswith("-ERR"), r)
        self.assertEqual(c.readline(), "-ERR Too many failed logins")
        self.assertTrue(c.eof(timeout=5))
        p.wait_log(r"Too many failed logins \(2\) from client 127\.0\.0\.1:"
                   r"\d+->127\.0\.0\.1:\d+: Closing session")
        self.assertEqual(fs.connections, 2)

    def test_max_failed_logins_imap(self):
        """IMAP: * BYE after the last allowed failure"""
        fs = self.fake(imap_handler())
        p = self.proxy("--max_failed_logins", "1", protocol="IMAP4",
                       backend=fs.port)
        c = self.client(p)
        _, r = c.imap_cmd("a1", "LOGIN bob bad")
        self.assertTrue(r.startswith("a1 NO"), r)
        self.assertEqual(c.readline(), "* BYE Too many failed logins")
        self.assertTrue(c.eof(timeout=5))
        p.wait_log(r"Too many failed logins \(1\) from client")

    def test_max_failed_logins_managesieve(self):
        """ManageSieve (real Dovecot): BYE after the last allowed
        failure"""
        import base64
        dc = self.dovecot()
        p = self.proxy("--max_failed_logins", "1", protocol="managesieve",
                       backend=dc.sieve_port)
        c = self.client(p, greeting=False)
        c.lines_until(lambda l: not l.startswith('"'), limit=64)
        blob = base64.b64encode(b"\0alice\0nope").decode()
        r = c.cmd('AUTHENTICATE "PLAIN" "%s"' % blob, timeout=20)
        self.assertTrue(r.startswith("NO"), r)
        self.assertEqual(c.readline(), 'BYE "Too many failed logins"')
        self.assertTrue(c.eof(timeout=5))
        p.wait_log(r"Too many failed logins \(1\) from client")

    def test_failed_logins_unlimited_by_default(self):
        """no max_failed_logins: a third failure still gets a reply and
        the connection stays"""
        fs = self.fake(pop3_handler())
        p = self.proxy(backend=fs.port)
        c = self.client(p)
        for _ in range(3):
            r = c.pop3_login("bob", "bad")
            self.assertTrue(r.startswith("-ERR"), r)
        self.assertTrue(c.pop3_login("bob", "good pass").startswith("+OK"))
        self.assertNotIn("Too many failed logins", p.log())

    def test_relay_outlives_login_timeout(self):
        """the login deadlines do not bound the relay after login"""
        fs = self.fake(pop3_handler())
        p = self.proxy("--login_timeout", "2", "--authenticate_timeout",
                       "2", "--server_timeout", "1", backend=fs.port)
        c = self.client(p)
        self.assertTrue(c.pop3_login("bob", "good pass").startswith("+OK"))
        time.sleep(3.5)
        self.assertEqual(c.cmd("STAT"), "+OK echo STAT")
        self.assertEqual(c.cmd("QUIT"), "+OK echo QUIT")
        p.wait_log(r'Closing session: .*authentication_id="bob"')


if __name__ == "__main__":
    tap.main()
