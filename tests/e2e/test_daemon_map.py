# test_daemon_map.py: routing through the daemon map library and the
# reference map server, and the nis map library without a YP server
# (SPEC 5).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Users routed by perditiondb_daemon via perditiondb/daemon/mapserver
to the private Dovecot: the map server must see the key, the delimiter
and the client's addresses; a map server that is down, silent or talks
garbage costs the client its login, never the daemon."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403


def built(*parts):
    return os.path.join(util.TOP_BUILDDIR, *parts)


def daemon_library():
    return built("perditiondb", ".libs", "libperditiondb_daemon.so.0")


def nis_library():
    return built("perditiondb", ".libs", "libperditiondb_nis.so.0")


def mapserver_binary():
    return built("perditiondb", "daemon", "mapserver")


def dead_server():
    return "127.0.0.1:%d" % util.free_port()


class MapServer:
    """perditiondb/daemon/mapserver on a socket in a fresh directory."""

    def __init__(self, popmap=None, fixed=None, quiet=False):
        self.dir = util.make_tempdir("pdtest-mapd-", True)
        self.sock = os.path.join(self.dir, "map.sock")
        self.log_path = os.path.join(self.dir, "mapserver.log")
        cmd = [mapserver_binary(), "-l", self.log_path]
        if popmap is not None:
            path = os.path.join(self.dir, "popmap")
            with open(path, "w") as f:
                f.write(popmap)
            cmd += ["-f", path]
        if fixed is not None:
            cmd += ["-r", fixed]
        if quiet:
            cmd.append("-q")
        self.proc = util.register_process(subprocess.Popen(
            cmd + [self.sock], stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE))
        util.wait_until(lambda: "ready" in self.log() or
                        self.proc.poll() is not None, 10,
                        what="mapserver to start")
        if self.proc.poll() is not None:
            raise RuntimeError("mapserver failed: %r"
                               % self.proc.stderr.read())

    def log(self):
        return util.read_file(self.log_path)

    def requests(self):
        """The request lines, as dicts of their key="value" fields."""
        out = []
        for line in self.log().splitlines():
            if line.startswith("request "):
                d = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', line))
                d["type"] = re.search(r"type=(\S+)", line).group(1)
                d["hex"] = re.search(r"hex=([0-9a-f]*)", line).group(1)
                out.append(d)
        return out

    def stop(self):
        util.stop_process(self.proc, 3.0)


class DaemonMapTestCase(PerditionTestCase):
    def setUp(self):
        for path in (daemon_library(), mapserver_binary()):
            if not os.path.exists(path):
                self.skipTest("%s not built" % path)

    def mapserver(self, *args, **kw):
        m = MapServer(*args, **kw)
        self.addCleanup(m.stop)
        return m

    def map_proxy(self, mopt, *args, **kw):
        kw.setdefault("backend", dead_server())
        return self.proxy("-m", mopt, *args, map_library=daemon_library(),
                          **kw)

    def login(self, p, user, password, host="127.0.0.1"):
        c = Client.connect(p.port, host=host)
        self.addCleanup(c.close)
        c.greeting = c.readline()
        self.assertRegex(c.greeting, POP3_GREETING)
        return c, c.pop3_login(user, password)

    def retr1(self, c):
        r = c.cmd("RETR 1")
        self.assertTrue(r.startswith("+OK"), r)
        return c.pop3_multiline()


class DaemonRouting(DaemonMapTestCase):
    """The map server decides where users go."""

    tap_parallel = 4

    def test_route_and_addresses(self):
        """-U: alice is sent as carol; the server sees key and addresses"""
        dc = self.dovecot()
        m = self.mapserver("alice:carol@127.0.0.1:%d\n" % dc.pop3_port)
        p = self.map_proxy(m.sock + ":1:3", "-U")
        c, r = self.login(p, "alice", dc.users["carol"])
        self.assertTrue(r.startswith("+OK"), r)
        self.assertIn(b"Hello carol.", self.retr1(c))
        req = m.requests()[0]
        self.assertEqual(req["type"], "req")
        self.assertEqual(req["key"], "alice")
        self.assertEqual(req["delimiter"], "@")
        # The old IPv4 request carries both ends of the client connection.
        self.assertEqual(req["saddr"], "127.0.0.1")
        self.assertEqual(req["sport"], str(c.sock.getsockname()[1]))
        self.assertEqual(req["daddr"], "127.0.0.1")
        self.assertEqual(req["dport"], str(p.port))
        p.wait_log(r'Auth: .*authentication_id="carol" server="127\.0\.0\.1'
                   r':%d" .*status="ok"' % dc.pop3_port)
        util.wait_until(lambda: re.search(r"pop3-login: .*Login: "
                                          r"user=<carol>", dc.log()), 10,
                        what="dovecot POP3 login of carol")

    def test_host_only_keeps_name(self):
        """a host:port answer routes bob under his own name"""
        dc = self.dovecot()
        m = self.mapserver("bob:127.0.0.1:%d\n" % dc.pop3_port)
        p = self.map_proxy(m.sock, "-U")
        c, r = self.login(p, "bob", dc.users["bob"])
        self.assertTrue(r.startswith("+OK"), r)
        self.assertIn(b"Hello bob.", self.retr1(c))

    def test_not_found_uses_default(self):
        """an empty answer is "not found": the -s server is used"""
        dc = self.dovecot()
        m = self.mapserver("alice:%s\n" % dead_server())
        p = self.map_proxy(m.sock, backend=dc.pop3_port)
        c, r = self.login(p, "bob", dc.users["bob"])
        self.assertTrue(r.startswith("+OK"), r)
        self.assertEqual(m.requests()[0]["key"], "bob")

    def test_query_key_and_delimiter(self):
        """--query_key tries keys in order; the 4th field sets the delimiter"""
        dc = self.dovecot()
        m = self.mapserver("bob:127.0.0.1:%d\n" % dc.pop3_port)
        p = self.map_proxy(m.sock + ":1:2:%", "-D", "%",
                           "--query_key", "\\u\\D\\d,\\u",
                           "-S", "remote_login")
        c, r = self.login(p, "bob%example.com", dc.users["bob"])
        self.assertTrue(r.startswith("+OK"), r)
        reqs = m.requests()
        self.assertEqual([q["key"] for q in reqs],
                         ["bob%example.com", "bob"])
        self.assertEqual(reqs[0]["delimiter"], "%")

    def test_imap(self):
        """IMAP4 routing through the map server"""
        dc = self.dovecot()
        m = self.mapserver(fixed="carol@127.0.0.1:%d" % dc.imap_port)
        p = self.map_proxy(m.sock, "-U", protocol="IMAP4")
        c = self.client(p)
        _, r = c.imap_cmd("a1", "LOGIN whoever %s" % dc.users["carol"])
        self.assertTrue(r.startswith("a1 OK"), r)
        _, r = c.imap_cmd("a2", "SELECT INBOX")
        self.assertTrue(r.startswith("a2 OK"), r)
        lines, r = c.imap_cmd("a3", "FETCH 1 BODY[TEXT]")
        self.assertIn("Hello carol.", "\n".join(lines))

    def test_ipv6_string_request(self):
        """a client on ::1 gives the string request with text addresses"""
        try:
            s = socket.socket(socket.AF_INET6)
            s.bind(("::1", 0))
            s.close()
        except OSError:
            self.skipTest("no IPv6 loopback")
        dc = self.dovecot()
        m = self.mapserver("alice:127.0.0.1:%d\n" % dc.pop3_port)
        p = self.map_proxy(m.sock, "-b", "[::1]")
        c, r = self.login(p, "alice", dc.users["alice"], host="::1")
        self.assertTrue(r.startswith("+OK"), r)
        req = m.requests()[0]
        self.assertEqual(req["type"], "str-req")
        self.assertEqual(req["key"], "alice")
        self.assertEqual(req["saddr"], "::1")
        self.assertEqual(req["sport"], str(c.sock.getsockname()[1]))
        self.assertEqual(req["daddr"], "::1")
        self.assertEqual(req["dport"], str(p.port))


class DaemonFailures(DaemonMapTestCase):
    """Map server trouble: the login fails, the daemon lives on."""

    tap_parallel = 4

    def expect_failure(self, p):
        c, r = self.login(p, "alice", "whatever")
        self.assertTrue(r.startswith("-ERR"), r)
        self.assertTrue(p.running())

    def test_server_down(self):
        """no map server: a logged error, the client gets -ERR"""
        d = util.make_tempdir("pdtest-mapd-")
        p = self.map_proxy(os.path.join(d, "none.sock") + ":1:2",
                           backend=None)
        self.expect_failure(p)

    def test_silent_server(self):
        """a map server that never answers: bounded by timeout x retries"""
        m = self.mapserver(fixed="127.0.0.1:1", quiet=True)
        p = self.map_proxy(m.sock + ":1:2", backend=None)
        t0 = time.monotonic()
        self.expect_failure(p)
        self.assertLess(time.monotonic() - t0, 9)
        self.assertEqual(len(m.requests()), 2)

    def test_garbage_server(self):
        """garbage answers are ignored: nothing breaks, the login fails"""
        d = util.make_tempdir("pdtest-mapd-")
        path = os.path.join(d, "g.sock")
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        srv.bind(path)
        self.addCleanup(srv.close)
        stop = []

        def answer():
            srv.settimeout(0.2)
            junk = [b"", b"\x07" * 3, b"\x07\x07\x07\x07" + b"\xff" * 60,
                    bytes.fromhex("07070707000100020020000000000000"
                                  "00000000000000000000ffff00000000"),
                    b"A" * 5000]
            while not stop:
                try:
                    _, addr = srv.recvfrom(70000)
                except OSError:
                    continue
                for j in junk:
                    try:
                        srv.sendto(j, addr)
                    except OSError:
                        pass
        import threading
        t = threading.Thread(target=answer, daemon=True)
        t.start()
        self.addCleanup(stop.append, 1)
        p = self.map_proxy(path + ":1:1", backend=None)
        self.expect_failure(p)

    def test_bad_option(self):
        """a bad map_library_opt stops the daemon at start"""
        p = self.map_proxy("/tmp/x.sock:0", start=False)
        p.start(wait=False)
        self.assertNotEqual(p.wait_exit(10), 0)
        self.assertIn("bad timeout", p.log() + p.stderr())


class NisMap(PerditionTestCase):
    """perditiondb_nis without a YP server: every key is "not found".
    (A lookup that succeeds needs a NIS server, which the tests do not
    run.)"""

    def setUp(self):
        if not os.path.exists(nis_library()):
            self.skipTest("nis map library not built")

    def test_not_found_uses_default(self):
        """the library loads; users go to the -s server"""
        dc = self.dovecot()
        p = self.proxy("-m", "perdition_test_map", map_library=nis_library(),
                       backend=dc.pop3_port)
        c = self.client(p)
        r = c.pop3_login("alice", dc.users["alice"])
        self.assertTrue(r.startswith("+OK"), r)
        p.wait_log(r'Auth: .*authentication_id="alice" server="127\.0\.0\.1'
                   r':%d" .*status="ok"' % dc.pop3_port)


if __name__ == "__main__":
    tap.main()
