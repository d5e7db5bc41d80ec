# test_logging.py: the log lines (SPEC 6, D-4, D-8, D-11) and fail2ban.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Every session log line of SPEC 6.2 byte for byte, log_passwd (D-4),
escaping of control bytes (D-11), -q, -d, -C, connect_relog, database
passwords masked in the option log and the reload line (D-16), what a
missing or damaged map file logs, and that Debian's stock fail2ban
filter for perdition matches a failed login."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403

PREFIX = r"^[A-Z][a-z]{2} [ 0-9][0-9] \d\d:\d\d:\d\d %s\[\d+\]: "
FAIL2BAN_FILTER = "/etc/fail2ban/filter.d/perdition.conf"


def ft(c, proxy):
    """The " SRC:SPORT->DST:DPORT" text for client c of proxy."""
    return " 127.0.0.1:%d->127.0.0.1:%d" % (c.sock.getsockname()[1],
                                            proxy.port)


class Lines(PerditionTestCase):
    """Connect:, Auth:, Closing session:, Closing NULL session:, Fatal."""

    tap_parallel = 8

    def setUp(self):
        self.dc = self.dovecot()

    def test_prefix(self):
        """every line is 'Mon DD HH:MM:SS perdition[pid]: ...'"""
        p = self.pop3_proxy()
        c = self.client(p)
        c.cmd("QUIT")
        p.wait_log("Closing NULL session")
        lines = p.log().splitlines()
        self.assertTrue(lines)
        for l in lines:
            self.assertRegex(l, PREFIX % "perdition")

    def test_prefix_invocation_name(self):
        """the ident is the invocation name (perdition.pop3)"""
        p = self.pop3_proxy(name="perdition.pop3")
        c = self.client(p)
        c.cmd("QUIT")
        p.wait_log(PREFIX % r"perdition\.pop3" + "Closing NULL session")

    def test_connect(self):
        """Connect:  SRC:SPORT->DST:DPORT (two spaces)"""
        p = self.pop3_proxy()
        c = self.client(p)
        p.wait_log(PREFIX % "perdition" + re.escape("Connect: " + ft(c, p))
                   + "$")

    def test_auth_ok_pop3(self):
        """Auth: line of a good POP3 login, exact"""
        p = self.pop3_proxy()
        c = self.client(p)
        c.pop3_login("alice", "alicepw")
        p.wait_log(PREFIX % "perdition" + re.escape(
            'Auth:%s client-secure=plaintext authorisation_id=NONE '
            'authentication_id="alice" server="127.0.0.1:%d" protocol=POP3 '
            'server-secure=plaintext status="ok"'
            % (ft(c, p), self.dc.pop3_port)) + "$")

    def test_auth_failed_pop3(self):
        """Auth: line of a failed POP3 login, exact"""
        p = self.pop3_proxy()
        c = self.client(p)
        c.pop3_login("alice", "nope")
        p.wait_log(PREFIX % "perdition" + re.escape(
            'Auth:%s client-secure=plaintext authorisation_id=NONE '
            'authentication_id="alice" server="127.0.0.1:%d" protocol=POP3 '
            'server-secure=plaintext status="failed: Re-Authentication '
            'Failure"' % (ft(c, p), self.dc.pop3_port)) + "$")

    def test_auth_ok_imap(self):
        """Auth: line of a good IMAP login, exact"""
        p = self.imap_proxy()
        c = self.client(p)
        c.imap_cmd("a", 'LOGIN bob "good pass"')
        p.wait_log(PREFIX % "perdition" + re.escape(
            'Auth:%s client-secure=plaintext authorisation_id=NONE '
            'authentication_id="bob" server="127.0.0.1:%d" protocol=IMAP4 '
            'server-secure=plaintext status="ok"'
            % (ft(c, p), self.dc.imap_port)) + "$")

    def test_closing_session_counts(self):
        """Closing session: ... received=N sent=N (relay bytes only)"""
        p = self.pop3_proxy()
        c = self.client(p)
        c.pop3_login("alice", "alicepw")
        sent = len(b"STAT\r\nQUIT\r\n")
        c.send_line("STAT")
        got = len(c.readline_raw())
        c.send_line("QUIT")
        got += len(c.readline_raw())
        self.assertTrue(c.eof(5))
        p.wait_log(PREFIX % "perdition" + re.escape(
            'Closing session:%s authorisation_id=NONE '
            'authentication_id="alice" received=%d sent=%d'
            % (ft(c, p), sent, got)) + "$")

    def test_closing_null_session(self):
        """QUIT before login: Closing NULL session: ..."""
        p = self.pop3_proxy()
        c = self.client(p)
        c.cmd("QUIT")
        p.wait_log(PREFIX % "perdition" + re.escape(
            'Closing NULL session:%s authorisation_id=NONE '
            'authentication_id="(null)"' % ft(c, p)) + "$")

    def test_closing_null_session_imap(self):
        """LOGOUT before login: Closing NULL session: ..."""
        p = self.imap_proxy()
        c = self.client(p)
        c.imap_cmd("a", "LOGOUT")
        p.wait_log(re.escape('Closing NULL session:%s authorisation_id=NONE '
                             'authentication_id="(null)"' % ft(c, p)) + "$")

    def test_fatal_eof(self):
        """client EOF pre-auth: the Fatal Error line"""
        p = self.pop3_proxy()
        c = self.client(p)
        f = ft(c, p)
        c.close()
        p.wait_log(PREFIX % "perdition" + re.escape(
            "Fatal Error reading authentication information from client%s: "
            "Exiting child" % f) + "$")

    def test_no_password_logged(self):
        """without log_passwd the password never reaches the log"""
        p = self.pop3_proxy("-d")
        c = self.client(p)
        c.pop3_login("alice", "alicepw")
        c.cmd("QUIT")
        p.wait_log("Closing session:")
        self.assertNotIn("alicepw", p.log())

    def test_connect_relog(self):
        """--connect_relog 1: the same Auth line again while relaying"""
        p = self.pop3_proxy("--connect_relog", "1")
        c = self.client(p)
        c.pop3_login("alice", "alicepw")
        ms = p.wait_log(r"Auth: .* status=\"ok\"$", count=3, timeout=8)
        self.assertEqual(len({m.string.split(": ", 1)[1] for m in ms}), 1)

    def test_quiet(self):
        """-q: no Connect/Auth/Closing lines"""
        p = self.pop3_proxy("-q")
        c = self.client(p)
        c.pop3_login("alice", "alicepw")
        c.cmd("QUIT")
        self.assertTrue(c.eof(5))
        time.sleep(0.5)
        log = p.log()
        for word in ("Connect:", "Auth:", "Closing"):
            self.assertNotIn(word, log)

    def test_quiet_fatal(self):
        """-q still logs the Fatal Error line"""
        p = self.pop3_proxy("-q")
        c = self.client(p)
        c.close()
        p.wait_log("Fatal Error reading authentication information")

    def test_debug_options(self):
        """-d logs Starting ... and the option lines"""
        p = self.pop3_proxy("-d")
        p.wait_log(r"Starting perdition version=\S+ protocol=POP3$")
        p.wait_log(r'add_domain="", .*timeout=1800, .*quiet=off '
                   r'\(mask=0x[0-9a-f]{8} [0-9a-f]{8}\)$')

    def test_connection_logging(self):
        """-C -d: CLIENT:, SELF:   and REAL:   dumps"""
        p = self.pop3_proxy("-C", "-d")
        c = self.client(p)
        c.pop3_login("alice", "alicepw")
        p.wait_log(r'CLIENT: "USER alice')
        p.wait_log(r'SELF:   "')
        p.wait_log(r'REAL:   "')


class LogPasswd(PerditionTestCase):
    """--log_passwd with -d (D-4, checklist 84, 85)."""

    tap_parallel = 10

    def auth_line(self, *args, good=True):
        p = self.pop3_proxy(*args)
        c = self.client(p)
        c.pop3_login("alice", "alicepw" if good else "wrongpw")
        return p.wait_log(r"Auth: .*status=")[0].string

    def check(self, mode, good, logged, debug=True):
        args = ["--log_passwd", mode] + (["-d"] if debug else [])
        line = self.auth_line(*args, good=good)
        pw = "alicepw" if good else "wrongpw"
        if logged:
            self.assertIn(' authentication_id="alice" passwd="%s" server='
                          % pw, line)
        else:
            self.assertNotIn("passwd=", line)
            self.assertNotIn(pw, line)

    def test_never_ok(self):
        """never: not on success"""
        self.check("never", True, False)

    def test_never_fail(self):
        """never: not on failure"""
        self.check("never", False, False)

    def test_fail_fail(self):
        """fail: on failure"""
        self.check("fail", False, True)

    def test_fail_ok(self):
        """fail: not on success (D-4)"""
        self.check("fail", True, False)

    def test_ok_ok(self):
        """ok: on success"""
        self.check("ok", True, True)

    def test_ok_fail(self):
        """ok: not on failure"""
        self.check("ok", False, False)

    def test_always_ok(self):
        """always: on success"""
        self.check("always", True, True)

    def test_always_fail(self):
        """always: on failure"""
        self.check("always", False, True)

    def test_without_debug(self):
        """always without -d: never logged"""
        self.check("always", False, False, debug=False)


class Escaping(PerditionTestCase):
    """Control bytes and quotes in logged strings are escaped (D-11)."""

    tap_parallel = 3

    def test_pop3_control_bytes(self):
        """USER with \\x01, \\t and \" is escaped in the Auth line"""
        fs = self.fake(pop3_handler(users={}))
        p = self.proxy(backend=fs.port)
        c = self.client(p)
        c.send(b'USER ev\x01il"x\ty\r\n')
        c.readline()
        c.cmd("PASS x")
        m = p.wait_log(r"Auth: .*status=")[0]
        self.assertIn(r'authentication_id="ev\x01il\"x\ty"', m.string)
        self.assertIsNone(re.search(r"[\x00-\x08\x0b-\x1f\x7f]", p.log()))

    def test_imap_literal_crlf(self):
        """an IMAP literal user with CRLF cannot forge a log line"""
        fs = self.fake(imap_handler(users={}))
        p = self.imap_proxy(backend=fs.port)
        c = self.client(p)
        user = "bob\r\nMon 01 00:00:00 perdition[1]: Auth: forged"
        c.send("a LOGIN {%d+}\r\n%s x\r\n" % (len(user), user))
        c.readline(15)
        m = p.wait_log(r"Auth: .*status=")[0]
        self.assertIn(r'authentication_id="bob\r\nMon 01', m.string)
        for l in p.log().splitlines():
            self.assertRegex(l, PREFIX % "perdition")
        self.assertNotIn("\r", p.log())

    def test_high_bytes(self):
        """bytes >= 0x7f are escaped"""
        fs = self.fake(pop3_handler(users={}))
        p = self.proxy(backend=fs.port)
        c = self.client(p)
        c.send(b"USER \xffz\x7f\r\n")
        c.readline()
        c.cmd("PASS x")
        m = p.wait_log(r"Auth: .*status=")[0]
        self.assertIn(r'authentication_id="\xffz\x7f"', m.string)


def gdbm_library():
    """The freshly built gdbm map library, or None."""
    lib = os.path.join(util.TOP_BUILDDIR, "perditiondb", ".libs",
                       "libperditiondb_gdbm.so.0")
    return lib if os.path.exists(lib) else None


class Masking(PerditionTestCase):
    """A database password in map_library_opt never reaches the log: not
    in the option log (-d), not in the SIGHUP reload line (D-16, SPEC
    6.3), not anywhere else; the rest of the string is logged as is."""

    tap_parallel = 3
    SECRET = "SECRETPW"

    def named_map(self, name):
        """The gdbm library under another file name: its lookups open the
        option string as a file (not there: not found, quietly), which is
        all a test of the log needs."""
        lib = gdbm_library()
        if lib is None:
            self.skipTest("the gdbm map library is not built")
        link = os.path.join(util.make_tempdir("pdtest-mask-", True), name)
        os.symlink(os.path.abspath(lib), link)
        return link

    def check(self, name, opt, shown):
        lib = self.named_map(name)
        p = self.pop3_proxy("-d", "-m", opt, map_library=lib)
        want = 'map_library="%s", map_library_opt="%s", ' % (lib, shown)
        p.wait_log(re.escape(want))
        c = self.client(p)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        c.cmd("QUIT")
        p.send_signal(signal.SIGHUP)
        p.wait_log(PREFIX % "perdition" + re.escape(
            'Reloading map library "%s" with options "%s"' % (lib, shown))
            + "$")
        p.wait_log("Reopened logger")
        self.assertTrue(p.running())
        text = p.log() + p.stderr() + p.stdout()
        self.assertNotIn(self.SECRET, text)
        return p

    def test_sql_password(self):
        """mysql: the sixth field becomes ******** in the option log and
        the reload line, the other eight stay"""
        self.check("libperditiondb_mysql.so.0",
                   "db1,db2:3306:pdb:tbl:puser:%s:srv:usr:prt" % self.SECRET,
                   "db1,db2:3306:pdb:tbl:puser:********:srv:usr:prt")

    def test_ldap_bindpw(self):
        """ldap: the x-bindpw extension's value becomes ********"""
        url = ("ldap://127.0.0.1/ou=m,dc=x?uid,mailhost?one?(uid=%%s)?"
               "bindname=cn=admin%%2Cdc=x,x-bindpw=%s")
        self.check("libperditiondb_ldap.so.0", url % self.SECRET,
                   url % "********")

    def test_greeting_token_stable(self):
        """the greeting's token (from the masked option log) stays the
        same across connections and SIGHUP (D-9)"""
        lib = self.named_map("libperditiondb_postgresql.so.0")
        p = self.pop3_proxy("-m", "h:5432:db:t:u:%s" % self.SECRET,
                            map_library=lib)
        tokens = [self.client(p).greeting.rsplit(" ", 1)[1]]
        tokens.append(self.client(p).greeting.rsplit(" ", 1)[1])
        p.send_signal(signal.SIGHUP)
        p.wait_log("Reloading map library")
        tokens.append(self.client(p).greeting.rsplit(" ", 1)[1])
        self.assertRegex(tokens[0], r"^[0-9a-f]{8}$")
        self.assertEqual(len(set(tokens)), 1, tokens)
        self.assertNotIn(self.SECRET, p.log())

    def test_file_map_opt_unmasked(self):
        """a file map's option (a path, colons and all) is logged as is"""
        lib = gdbm_library()
        if lib is None:
            self.skipTest("the gdbm map library is not built")
        path = "/nonexistent/a:b:c:d:e:not-a-password:g"
        p = self.pop3_proxy("-d", "-m", path, map_library=lib)
        p.wait_log(re.escape('map_library_opt="%s", ' % path))


class MapFile(PerditionTestCase):
    """A missing map file is an empty map, quietly, as 2.2; a damaged one
    is an error in the log (issue 12)."""

    tap_parallel = 3

    def login(self, *args):
        lib = gdbm_library()
        if lib is None:
            self.skipTest("the gdbm map library is not built")
        p = self.pop3_proxy(*args, map_library=lib)
        c = self.client(p)
        self.assertEqual(c.pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        p.wait_log(r'Auth: .*authentication_id="alice" .*status="ok"')
        return p

    def test_missing_file_quiet(self):
        """no popmap file: the default server, and no line about the map
        (2.2 logs nothing either)"""
        d = util.make_tempdir("pdtest-mapfile-")
        p = self.login("-m", os.path.join(d, "popmap.gdbm.db"))
        log = p.log()
        self.assertNotIn("Map library", log)
        self.assertNotIn("failed: -", log)

    def test_missing_file_debug(self):
        """with -d: one debug line that the key was not found"""
        d = util.make_tempdir("pdtest-mapfile-")
        p = self.login("-d", "-m", os.path.join(d, "popmap.gdbm.db"))
        p.wait_log(r'popmap_lookup: "alice" not found$')
        self.assertNotIn("Map library lookup", p.log())

    def test_damaged_file_logged(self):
        """a file that is no GDBM map: Map library lookup of "alice"
        failed: -1 (an error), then the default server"""
        d = util.make_tempdir("pdtest-mapfile-")
        db = os.path.join(d, "popmap.gdbm.db")
        with open(db, "wb") as f:
            f.write(b"no gdbm file here\n" * 64)
        p = self.login("-m", db)
        p.wait_log(PREFIX % "perdition" +
                   r'Map library lookup of "alice" failed: -1$')


class MapReload(PerditionTestCase):
    """A SIGHUP whose map library fails to load keeps the library loaded
    before, and says so (issue 15; D-18): 2.2 was left with no map."""

    def test_failed_reload_keeps_old(self):
        """map_library a symlink turned to garbage: SIGHUP logs that the
        old library is kept; logins still route through the map"""
        lib = gdbm_library()
        if lib is None or not os.path.exists(util.makegdbm_binary()):
            self.skipTest("the gdbm map library is not built")
        dc = self.dovecot()
        d = util.make_tempdir("pdtest-reload-", True)
        db = os.path.join(d, "popmap.db")
        subprocess.run([util.makegdbm_binary(), db], check=True,
                       input="alice:127.0.0.1:%d\n" % dc.pop3_port,
                       text=True)
        link = os.path.join(d, "libmap.so")
        os.symlink(os.path.abspath(lib), link)
        p = self.pop3_proxy("-m", db, map_library=link,
                            backend=util.free_port())
        self.assertEqual(self.client(p).pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        junk = os.path.join(d, "junk.so")
        with open(junk, "wb") as f:
            f.write(b"not a library\n" * 64)
        os.unlink(link)
        os.symlink(junk, link)
        p.send_signal(signal.SIGHUP)
        p.wait_log(PREFIX % "perdition" + re.escape(
            'Reloading map library "%s" failed: keeping the one loaded '
            'before' % link) + "$")
        self.assertTrue(p.running())
        self.assertEqual(self.client(p).pop3_login("alice", "alicepw"),
                         "+OK You are so in")
        p.wait_log(r'Auth: .*authentication_id="alice" .*status="ok"',
                   count=2)


class Fail2ban(PerditionTestCase):
    """Debian's stock fail2ban filter matches our failed-login lines."""

    tap_parallel = 2

    def fail2ban(self, name):
        if not os.path.exists(FAIL2BAN_FILTER):
            self.skipTest("fail2ban's perdition filter is not installed")
        p = self.pop3_proxy(name=name)
        c = self.client(p)
        self.assertEqual(c.pop3_login("mallory", "guess"),
                         "-ERR failed: Re-Authentication Failure")
        c.close()
        p.wait_log("Fatal Error reading authentication information")
        r = subprocess.run(["fail2ban-regex", "--print-all-matched",
                            p.log_path, FAIL2BAN_FILTER],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        m = re.search(r"Lines: (\d+) lines, (\d+) ignored, (\d+) matched",
                      r.stdout)
        self.assertTrue(m, r.stdout)
        self.assertEqual(int(m.group(3)), 2, r.stdout + "\n" + p.log())
        self.assertIn("127.0.0.1", r.stdout)

    def test_perdition_pop3_name(self):
        """fail2ban-regex matches Auth failed + Fatal Error (perdition.pop3)"""
        self.fail2ban("perdition.pop3")

    def test_plain_name(self):
        """fail2ban-regex matches the lines of plain 'perdition' too"""
        self.fail2ban("perdition")


if __name__ == "__main__":
    sys.exit(tap.main())
