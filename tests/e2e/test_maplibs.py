# test_maplibs.py: routing through the posix_regex, cdb and bdb map
# libraries, and the makebdb tool (SPEC 5; 13.121).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Users routed by posix_regex, cdb and bdb popmaps to two private Dovecot
back-ends: each back-end must receive the user name the map says, and a
user the map does not know goes to the (dead) default server."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403
from maptest import *  # noqa: E402,F403


def makebdb():
    """The freshly built makebdb, or None."""
    p = os.path.join(util.TOP_BUILDDIR, "makebdb", "makebdb")
    return p if os.path.isfile(p) and os.access(p, os.X_OK) else None


def which(prog):
    for d in os.environ.get("PATH", "/usr/bin:/bin").split(os.pathsep):
        p = os.path.join(d, prog)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


#: The user of SPEC 13.121 exists only on the second back-end.
USER_121 = "user_x.y"
PASS_121 = "pw121"

_second = None


def second_dovecot():
    """A second private Dovecot (POP3 and IMAP) that also has USER_121;
    started once for this file, stopped at exit."""
    global _second
    if _second is None:
        d = dovecot.Dovecot(protocols=("imap", "pop3"))
        d.users[USER_121] = PASS_121
        _second = d.start()
    return _second


class MapTestCase(MapCase):
    """Shared helpers: two back-ends, login, the back-end's own log."""

    lib = None

    # Skips happen in setUp: tests/lib/tap.py counts a SkipTest raised in
    # setUpClass as a failure.
    def setUp(self):
        if not os.path.exists(library(self.lib)):
            self.skipTest("%s map library not built" % self.lib)

    def backends(self):
        """Format values for map texts: d1/d2 POP3 and IMAP ports."""
        d1, d2 = self.dovecot(), second_dovecot()
        return d1, d2, {"d1": d1.pop3_port, "d2": d2.pop3_port,
                        "d1imap": d1.imap_port, "d2imap": d2.imap_port}

    def map_proxy(self, opt, *args, **kw):
        kw.setdefault("backend", dead_server())
        return self.proxy("-m", opt, *args, map_library=library(self.lib),
                          **kw)

    def assertReceived(self, d, user, proto="pop3"):
        """Dovecot d saw user log in (the name the back-end received)."""
        util.wait_until(
            lambda: re.search(r"%s-login: .*Login: user=<%s>"
                              % (proto, re.escape(user)), d.log()),
            10, what="%s login of %s" % (proto, user))

    def assertRoutes(self, p, d, user, password, received):
        """user logs in through p and reads received's mailbox on d: the
        proxy says it used d's port, and d saw received log in."""
        c, r = self.login(p, user, password)
        self.assertTrue(r.startswith("+OK"), r)
        self.assertIn(("Hello %s." % received).encode(), retr1(c))
        self.assertEqual(c.cmd("QUIT")[:3], "+OK")
        p.wait_log(r'Auth: .*server="127\.0\.0\.1:%d" .*status="ok"'
                   % d.pop3_port)
        self.assertReceived(d, received)


# ---------------------------------------------------------------- posix_regex

class RegexRouting(MapTestCase):
    """popmap.re rules route and rename users."""

    lib = "posix_regex"
    tap_parallel = 4

    def regex_proxy(self, text, *args, **kw):
        d1, d2, ports = self.backends()
        path = os.path.join(util.make_tempdir("pdtest-maplibs-"),
                            "popmap.re")
        with open(path, "w") as f:
            f.write(text % ports)
        p = self.map_proxy(path, *args, **kw)
        p.map_path = path
        return p, d1, d2

    def test_item_121(self):
        """13.121: (.*)@(.*): $1_$2@host maps user@x.y to user_x.y"""
        p, d1, d2 = self.regex_proxy(
            "# SPEC 13.121, routed to the second back-end\n"
            "(.*)@(.*): $1_$2@127.0.0.1:%(d2)d\n", "-U")
        self.assertRoutes(p, d2, "user@x.y", PASS_121, USER_121)
        p.wait_log(r'Auth: .*authentication_id="%s" server="127\.0\.0\.1'
                   r':%d" .*status="ok"' % (re.escape(USER_121),
                                            d2.pop3_port))

    def test_two_backends_first_match(self):
        """first matching rule wins; each user reaches its back-end"""
        p, d1, d2 = self.regex_proxy(
            "^alice$:\t127.0.0.1:%(d1)d\n"
            "^bob$ 127.0.0.1:%(d2)d\n"
            "^a.*$: %(dead)s\n".replace("%(dead)s", dead_server()))
        self.assertRoutes(p, d1, "alice", d1.users["alice"], "alice")
        self.assertRoutes(p, d2, "bob", d2.users["bob"], "bob")

    def test_prefix_kept_suffix_dropped(self):
        """the text before the match stays, the text after it goes"""
        p, d1, d2 = self.regex_proxy(
            "-(o)(l)-: $1$2@127.0.0.1:%(d1)d\n", "-U")
        # "car" + "ol@..." ; "-trailing" after the match is dropped.
        self.assertRoutes(p, d1, "car-ol-trailing", d1.users["carol"],
                          "carol")

    def test_unmatched_uses_default(self):
        """a user no rule matches goes to the default server"""
        p, d1, d2 = self.regex_proxy("^alice$: 127.0.0.1:%(d1)d\n",
                                     backend=self.dovecot().pop3_port)
        self.assertRoutes(p, d1, "bob", d1.users["bob"], "bob")

    def test_unmatched_dead_default(self):
        """not matched and a dead default: the login fails, no crash"""
        p, d1, d2 = self.regex_proxy("^alice$: 127.0.0.1:%(d1)d\n")
        c, r = self.login(p, "x" * 3000, "pw")
        self.assertTrue(r.startswith("-ERR"), r)
        self.assertTrue(p.running())

    def test_imap(self):
        """IMAP4 routed and renamed by a rule"""
        p, d1, d2 = self.regex_proxy(
            "^(.*)@x\\\\.y$: $1_x.y@127.0.0.1:%(d2imap)d\n", "-U",
            protocol="IMAP4")
        c = self.client(p)
        self.assertRegex(c.greeting, IMAP_GREETING)
        _, r = c.imap_cmd("a1", "LOGIN user@x.y %s" % PASS_121)
        self.assertTrue(r.startswith("a1 OK"), r)
        _, r = c.imap_cmd("a2", "SELECT INBOX")
        self.assertTrue(r.startswith("a2 OK"), r)
        self.assertReceived(d2, USER_121, "imap")

    def test_sighup_rereads(self):
        """SIGHUP runs fini and init: an edited popmap.re takes effect"""
        p, d1, d2 = self.regex_proxy("^bob$: 127.0.0.1:%(d1)d\n", "-U")
        self.assertRoutes(p, d1, "bob", d1.users["bob"], "bob")
        with open(p.map_path, "w") as f:
            f.write("^bob$: carol@127.0.0.1:%d\n" % d2.pop3_port)
        p.send_signal(signal.SIGHUP)
        p.wait_log(r'Reloading map library "%s"' % re.escape(library(self.lib)))
        self.assertTrue(p.running())
        self.assertRoutes(p, d2, "bob", d2.users["carol"], "carol")

    def test_bad_regex_is_fatal(self):
        """a regex that does not compile stops the start, naming the
        file and the line"""
        d = util.make_tempdir("pdtest-maplibs-")
        path = os.path.join(d, "popmap.re")
        with open(path, "w") as f:
            f.write("^alice$: h1\n\n(unclosed: h2\n")
        p = self.proxy("-m", path, map_library=library(self.lib),
                       backend=dead_server(), start=False)
        p.start(wait=False)
        self.assertNotEqual(p.wait_exit(10), 0)
        text = p.log() + p.stderr()
        self.assertIn(path, text)
        self.assertIn("line 3", text)
        self.assertIn("dbserver_init", text)

    def test_unreadable_map_is_fatal(self):
        """a popmap.re that cannot be read stops the start"""
        d = util.make_tempdir("pdtest-maplibs-")
        for path in (os.path.join(d, "missing.re"), d):
            p = self.proxy("-m", path, map_library=library(self.lib),
                           backend=dead_server(), start=False)
            p.start(wait=False)
            self.assertNotEqual(p.wait_exit(10), 0)
            self.assertIn(path, p.log() + p.stderr())


# ---------------------------------------------------------------- cdb

class CdbRouting(MapTestCase):
    """A TinyCDB popmap made with cdb -c (keys without a NUL)."""

    lib = "cdb"
    tap_parallel = 3

    def setUp(self):
        super().setUp()
        if which("cdb") is None:
            self.skipTest("tinycdb's cdb tool not installed")

    def make_cdb(self, entries):
        """A cdb file from (key, value) pairs, in cdbmake's record
        format: +klen,dlen:key->value (lengths in bytes, no NUL)."""
        d = util.make_tempdir("pdtest-maplibs-")
        src = os.path.join(d, "popmap.in")
        db = os.path.join(d, "popmap.cdb")
        with open(src, "wb") as f:
            for k, v in entries:
                k, v = k.encode(), v.encode()
                f.write(b"+%d,%d:%s->%s\n" % (len(k), len(v), k, v))
            f.write(b"\n")
        subprocess.run(["cdb", "-c", db, src], check=True, timeout=10)
        return db

    def test_routes_and_renames(self):
        """alice -> carol on d2 (-U), bob -> d1 under his own name"""
        d1, d2, ports = self.backends()
        db = self.make_cdb([("alice", "carol@127.0.0.1:%d" % ports["d2"]),
                            ("bob", "127.0.0.1:%d" % ports["d1"])])
        p = self.map_proxy(db, "-U")
        self.assertRoutes(p, d2, "alice", d2.users["carol"], "carol")
        self.assertRoutes(p, d1, "bob", d1.users["bob"], "bob")

    def test_cdb_tool_agrees(self):
        """the key is stored without a NUL: cdb -q finds it as typed"""
        db = self.make_cdb([("alice", "h1")])
        r = subprocess.run(["cdb", "-q", db, "alice"], capture_output=True,
                           timeout=10)
        self.assertEqual(r.stdout, b"h1")

    def test_unmapped_and_missing(self):
        """unknown user, then a vanished file: default server, no crash"""
        d1, d2, ports = self.backends()
        db = self.make_cdb([("alice", "127.0.0.1:%d" % ports["d2"])])
        p = self.map_proxy(db, backend=d1.pop3_port)
        self.assertRoutes(p, d1, "bob", d1.users["bob"], "bob")
        self.assertRoutes(p, d2, "alice", d2.users["alice"], "alice")
        os.unlink(db)
        self.assertRoutes(p, d1, "alice", d1.users["alice"], "alice")
        self.assertTrue(p.running())

    def test_corrupt_file(self):
        """a corrupt file is an error for the lookup, never a crash"""
        d = util.make_tempdir("pdtest-maplibs-")
        db = os.path.join(d, "bad.cdb")
        with open(db, "wb") as f:
            f.write(b"\xff" * 2048 + b"garbage" * 100)
        p = self.map_proxy(db)
        c, r = self.login(p, "alice", "pw")
        self.assertTrue(r.startswith("-ERR"), r)
        self.assertTrue(p.running())


# ---------------------------------------------------------------- bdb

def run_makebdb(args, text=""):
    return subprocess.run([makebdb()] + args, input=text,
                          capture_output=True, text=True, timeout=10)


class BdbRouting(MapTestCase):
    """A Berkeley DB popmap made with our makebdb."""

    lib = "bdb"
    tap_parallel = 3

    def setUp(self):
        super().setUp()
        if makebdb() is None:
            self.skipTest("makebdb not built")

    def make_bdb(self, text, db=None):
        if db is None:
            db = os.path.join(util.make_tempdir("pdtest-maplibs-"),
                              "popmap.bdb.db")
        r = run_makebdb([db], text)
        if r.returncode != 0:
            raise AssertionError("makebdb failed: %r" % r.stderr)
        return db

    def test_routes_and_renames(self):
        """alice -> carol on d2 (-U), bob -> d1 under his own name"""
        d1, d2, ports = self.backends()
        db = self.make_bdb("alice:carol@127.0.0.1:%(d2)d\n"
                           "bob:127.0.0.1:%(d1)d\n" % ports)
        p = self.map_proxy(db, "-U")
        self.assertRoutes(p, d2, "alice", d2.users["carol"], "carol")
        self.assertRoutes(p, d1, "bob", d1.users["bob"], "bob")
        p.wait_log(r'Auth: .*authentication_id="carol" .*status="ok"')

    def test_no_match_logged(self):
        """an unknown user logs No match for <key> and uses the default"""
        d1, d2, ports = self.backends()
        db = self.make_bdb("alice:127.0.0.1:%(d2)d\n" % ports)
        p = self.map_proxy(db, backend=d1.pop3_port)
        self.assertRoutes(p, d1, "bob", d1.users["bob"], "bob")
        p.wait_log(r"No match for bob")

    def test_rebuilt_while_running(self):
        """the map is read per lookup: makebdb takes effect at once"""
        d1, d2, ports = self.backends()
        db = self.make_bdb("alice:%s\n" % dead_server())
        p = self.map_proxy(db)
        c, r = self.login(p, "alice", d1.users["alice"])
        self.assertTrue(r.startswith("-ERR"), r)
        self.make_bdb("alice:127.0.0.1:%(d1)d\n" % ports, db)
        self.assertRoutes(p, d1, "alice", d1.users["alice"], "alice")

    def test_corrupt_and_missing(self):
        """a corrupt or missing file: the lookup fails, the daemon lives"""
        d = util.make_tempdir("pdtest-maplibs-")
        db = os.path.join(d, "bad.db")
        with open(db, "wb") as f:
            f.write(os.urandom(16384))
        for path in (db, os.path.join(d, "missing.db")):
            p = self.map_proxy(path)
            c, r = self.login(p, "alice", "pw")
            self.assertTrue(r.startswith("-ERR"), r)
            c, r = self.login(p, "a" * 3000, "pw")
            self.assertTrue(r.startswith("-ERR"), r)
            self.assertTrue(p.running())


class Makebdb(PerditionTestCase):
    """makebdb: the grammar and messages of makegdbm (SPEC 5)."""

    def setUp(self):
        if makebdb() is None:
            self.skipTest("makebdb not built")

    def db(self):
        return os.path.join(util.make_tempdir("pdtest-maplibs-"), "m.db")

    def test_round_trip(self):
        """key:value lines in, the same entries out with -u"""
        db = self.db()
        text = "horms:localhost\n\ntymm:u@[::1]:110\nx:a:b:c\ncr:h\r\n"
        r = run_makebdb([db], text)
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        r = run_makebdb(["-u", db])
        self.assertEqual(r.returncode, 0)
        self.assertEqual(sorted(r.stdout.splitlines()),
                         ["cr:h", "horms:localhost", "tymm:u@[::1]:110",
                          "x:a:b:c"])

    def test_hash_without_nul(self):
        """a DB_HASH file whose keys carry no NUL (2.2's format)"""
        dump = which("db5.3_dump") or which("db_dump")
        if dump is None:
            self.skipTest("db_dump not installed")
        db = self.db()
        self.assertEqual(run_makebdb([db], "alice:h1\n").returncode, 0)
        r = subprocess.run([dump, "-p", db], capture_output=True, text=True,
                           timeout=10)
        self.assertIn("type=hash", r.stdout)
        self.assertIn("\n alice\n h1\n", r.stdout)

    def test_invalid_line(self):
        """a line without a colon is reported with its number"""
        db = self.db()
        r = run_makebdb([db], "a:b\n\nnocolon\n:x\ny:\n")
        self.assertNotEqual(r.returncode, 0)
        for n in (3, 4, 5):
            self.assertIn("makebdb: invalid input on line: %d" % n, r.stderr)
        self.assertFalse(os.path.exists(db))

    def test_duplicate_keeps_old_map(self):
        """a key given twice is reported; the old map stays"""
        db = self.db()
        self.assertEqual(run_makebdb([db], "a:old\n").returncode, 0)
        r = run_makebdb([db], "a:b\na:c\n")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("makebdb: dupicate key: a", r.stderr)
        self.assertEqual(run_makebdb(["-u", db]).stdout, "a:old\n")

    def test_long_and_binary_lines(self):
        """over-long lines and NUL bytes are invalid input, not a crash"""
        db = self.db()
        r = run_makebdb([db], "k:" + "v" * 10000 + "\nz:\0\n")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("invalid input on line: 1", r.stderr)
        self.assertIn("invalid input on line: 2", r.stderr)

    def test_dump_errors(self):
        """-u on a missing or non-Berkeley-DB file fails cleanly"""
        d = util.make_tempdir("pdtest-maplibs-")
        r = run_makebdb(["-u", os.path.join(d, "missing.db")])
        self.assertEqual(r.returncode, 1)
        self.assertIn("makebdb:", r.stderr)
        junk = os.path.join(d, "junk.db")
        with open(junk, "wb") as f:
            f.write(b"not a database\n" * 1000)
        r = run_makebdb(["-u", junk])
        self.assertEqual(r.returncode, 1)

    def test_usage(self):
        """-h: usage on stdout, 0; wrong arguments: 255"""
        r = run_makebdb(["-h"])
        self.assertEqual(r.returncode, 0)
        self.assertIn("Usage:", r.stdout)
        self.assertEqual(run_makebdb([]).returncode, 255)
        self.assertEqual(run_makebdb(["a", "b"]).returncode, 255)
        self.assertEqual(run_makebdb(["-x", "a"]).returncode, 255)


if __name__ == "__main__":
    tap.main()
