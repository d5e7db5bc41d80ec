# test_map_postgresql.py: routing through the PostgreSQL map library
# (issue 12; SPEC 5, D-12, D-16, D-20).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Users routed by rows of a table in a private PostgreSQL server
(tests/lib/pgsql.py) through our libperditiondb_postgresql, in front of
the private Dovecot, with a dead default server unless a test says
otherwise: rows reach the right mailbox, missing rows and broken
databases fall back as SPEC 5 says, user names never change the query,
time-outs bound a silent server, the database password is never logged,
Debian's 2.2 library and daemon agree with ours, and
perditiondb_postgresql_makedb makes a table that works."""

import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403
from maptest import *  # noqa: E402,F403

import pgsql  # noqa: E402
from deb22 import LIBDIR  # noqa: E402

#: The role the library logs in as and its password (a marker that must
#: never show up in a log).
ROLE = "perdition"
DBPASS = "Pg-S3cret-4f9a"
DB = "dbperdition"

LIBNAME = "perditiondb_postgresql"


def pg_library():
    """The freshly built postgresql map library."""
    return library("postgresql")


# 2.2's makedb table: CHAR columns, so values come back blank-padded.
SCHEMA = """
CREATE TABLE tblPerdition (
    "user" char(16) NOT NULL PRIMARY KEY,
    servername char(255) NOT NULL,
    port char(8) DEFAULT NULL
);
CREATE VIEW tblslow AS SELECT t."user", t.servername, t.port
    FROM tblPerdition t CROSS JOIN pg_sleep(30);
"""


def rows(dc):
    """(key, server, port) rows; -U makes the server's user@ count."""
    p = str(dc.pop3_port)
    return [("alice", "127.0.0.1", p),
            ("robert", "bob@127.0.0.1", p),
            ("carol", "carol@127.0.0.1", None),
            ("bob@example.com", "bob@127.0.0.1", p),
            ("o'neil", "carol@127.0.0.1", p),
            ("a\\", "bob@127.0.0.1", p),
            ("j\u00f6rg", "alice@127.0.0.1", p)]


_ready = []
_lock = threading.Lock()


def database():
    """The shared server with DB filled (once per process)."""
    pg = pgsql.shared()
    dc = dovecot.shared()
    with _lock:
        if not _ready:
            pg.create_user(ROLE, DBPASS)
            pg.create_db(DB, owner=ROLE)
            sql = SCHEMA + "".join(
                "INSERT INTO tblPerdition VALUES (%s, %s, %s);\n"
                % (pgsql.quote_literal(k), pgsql.quote_literal(s),
                   "NULL" if p is None else pgsql.quote_literal(p))
                for k, s, p in rows(dc))
            pg.sql(sql, db=DB, user=ROLE, password=DBPASS)
            _ready.append(pg)
    return pg


def map_opt(pg, host="127.0.0.1", port=None, password=DBPASS, table="",
            tail=""):
    """map_library_opt for the shared database."""
    return "%s:%d:%s:%s:%s:%s%s" % (host, pg.port if port is None else port,
                                    DB, table or "tblPerdition", ROLE,
                                    password, tail)


class PgCase(MapCase):
    libname = LIBNAME
    map_name = "postgresql"
    server_available = staticmethod(pgsql.available)

    def setUp(self):
        self.pg = database()
        self.dc = self.dovecot()

    def pg_proxy(self, *args, opt=None, **kw):
        """A proxy using our library with opt (default: the shared DB)."""
        kw.setdefault("backend", dead_server())
        return self.proxy("-m", opt or map_opt(self.pg), *args,
                          map_library=pg_library(), **kw)


class Routing(PgCase):
    """Rows route POP3 and IMAP logins; fallbacks as with file maps."""

    tap_parallel = 4

    def test_pop3_rows_with_U(self):
        """-U: a row's user@ is the back-end login, others keep theirs"""
        p = self.pg_proxy("-U")
        self.assert_mailbox(p, "alice", self.dc.users["alice"], "alice")
        self.assert_mailbox(p, "robert", self.dc.users["bob"], "bob")
        p.wait_log(r'Auth: .*authentication_id="bob" server="127\.0\.0\.1'
                   r':%d" .*status="ok"' % self.dc.pop3_port)
        util.wait_until(lambda: re.search(r"Login: user=<bob>",
                                          self.dc.log()), 10,
                        what="dovecot login of bob")
        self.assertEqual(self.lib_lines(p), [])

    def test_imap_port_column_number(self):
        """IMAP; a number as the port column is every row's port"""
        opt = map_opt(self.pg, tail=":servername:user:%d"
                      % self.dc.imap_port)
        p = self.pg_proxy("-U", opt=opt, protocol="IMAP4")
        self.assert_imap_mailbox(p, 'robert "%s"' % self.dc.users["bob"],
                                 "bob")

    def test_null_port_takes_outgoing_port(self):
        """a NULL port means the -p port (no ':' appended)"""
        p = self.pg_proxy("-U", "-p", str(self.dc.pop3_port))
        self.assert_mailbox(p, "carol", self.dc.users["carol"], "carol")

    def test_not_found(self):
        """no row: the -s server; without -s: Could not determine server"""
        p1 = self.pg_proxy(backend=self.dc.pop3_port)
        p2 = self.pg_proxy(backend=None)
        self.assert_mailbox(p1, "bob", self.dc.users["bob"], "bob")
        self.assert_refused(p2, "bob", self.dc.users["bob"],
                            "Could not determine server")
        self.assertEqual(self.lib_lines(p1) + self.lib_lines(p2), [])

    def test_query_key(self):
        """--query_key \\u\\D\\d,\\u: the full key, then the bare name"""
        p = self.pg_proxy("-U", "--query_key", "\\u\\D\\d,\\u",
                          "-S", "remote_login")
        parallel(
            lambda: self.assert_mailbox(p, "bob@example.com",
                                        self.dc.users["bob"], "bob"),
            lambda: self.assert_mailbox(p, "alice@example.org",
                                        self.dc.users["alice"], "alice"))

    def test_several_hosts_first_dead(self):
        """hosts are tried in order: a refused first host is skipped"""
        p = self.pg_proxy(opt=map_opt(self.pg, host="127.0.0.2,127.0.0.1"))
        self.assert_mailbox(p, "alice", self.dc.users["alice"], "alice")
        errs = self.lib_lines(p)
        self.assertEqual(len(errs), 1, errs)
        self.assertRegex(errs[0], r'cannot connect on host "127\.0\.0\.2"')


class Failures(PgCase):
    """Broken databases: one log line, then the default server."""

    tap_parallel = 4

    def test_database_down(self):
        """nothing listens: -s server used, else a clean failed: reply"""
        opt = map_opt(self.pg, port=util.free_port())
        p1 = self.pg_proxy(opt=opt, backend=self.dc.pop3_port)
        p2 = self.pg_proxy(opt=opt, backend=None)
        parallel(lambda: self.assert_mailbox(p1, "alice",
                                             self.dc.users["alice"],
                                             "alice"),
                 lambda: self.assert_refused(p2, "alice", "x",
                                             "Could not determine server"))
        for p in (p1, p2):
            self.one_error(p, r'cannot connect on host "127\.0\.0\.1": .*'
                           r'[Cc]onnection refused')
            self.assertTrue(p.running())

    def test_bad_credentials(self):
        """a wrong database password: one line, default server"""
        wrong = "Wr0ng-Pw-77c1"
        opt = map_opt(self.pg, password=wrong)
        p = self.pg_proxy("-d", opt=opt, backend=self.dc.pop3_port)
        self.assert_mailbox(p, "alice", self.dc.users["alice"], "alice")
        self.one_error(p, r'cannot connect on host "127\.0\.0\.1": .*'
                       r'password authentication failed for user '
                       r'\\"perdition\\"')
        for text in (p.log(), p.stderr(), p.stdout()):
            self.assertNotIn(wrong, text)

    def test_silent_server(self):
        """a server that never answers: the login ends within seconds,
        and the next host is tried"""
        s = SilentServer("127.0.0.3", self.pg.port)
        self.addCleanup(s.close)
        p1 = self.pg_proxy(opt=map_opt(self.pg, host="127.0.0.3"),
                           backend=self.dc.pop3_port)
        p2 = self.pg_proxy(opt=map_opt(self.pg, host="127.0.0.3,127.0.0.1"))
        t0 = time.monotonic()
        parallel(lambda: self.assert_mailbox(p1, "alice",
                                             self.dc.users["alice"],
                                             "alice"),
                 lambda: self.assert_mailbox(p2, "alice",
                                             self.dc.users["alice"],
                                             "alice"))
        self.assertLess(time.monotonic() - t0, 12)
        for p in (p1, p2):
            self.one_error(p, r'cannot connect on host "127\.0\.0\.3": '
                           r'no answer within 5 seconds')

    def test_slow_query(self):
        """a query that does not finish is cut off by the time-out"""
        opt = map_opt(self.pg, table="tblslow")
        p = self.pg_proxy(opt=opt, backend=self.dc.pop3_port)
        t0 = time.monotonic()
        self.assert_mailbox(p, "alice", self.dc.users["alice"], "alice")
        self.assertLess(time.monotonic() - t0, 12)
        self.one_error(p, r'query failed on host "127\.0\.0\.1": .*'
                       r'statement timeout')

    def test_bad_option_string(self):
        """a bad map_library_opt stops the start with a clear line"""
        cases = [(map_opt(self.pg, table="x;drop"),
                  r'the table in map_library_opt, "x;drop", is not a '
                  r'plain SQL name'),
                 (map_opt(self.pg, tail=":servername:user id"),
                  r'the user column in map_library_opt'),
                 ("127.0.0.1:port5432", r'the port in map_library_opt'),
                 (map_opt(self.pg, tail=":servername:user:p-1"),
                  r'the port column in map_library_opt, "p-1"')]
        for opt, pattern in cases:
            p = self.pg_proxy(opt=opt, start=False)
            p.start(wait=False)
            self.assertNotEqual(p.wait_exit(10), 0, opt)
            text = p.log() + p.stderr()
            self.assertRegex(text, LIBNAME + ": " + pattern)
            self.assertNotIn(DBPASS, p.stderr())


class Injection(PgCase):
    """D-12: a user name never changes the query."""

    def test_names(self):
        """each name gets its own row or none, never another's"""
        p = self.pg_proxy("-U", "-d")
        u = self.dc.users
        found = [("o'neil", u["carol"], "carol"), ("a\\", u["bob"], "bob"),
                 ("j\u00f6rg", u["alice"], "alice")]
        # Each would get alice's (the first) row if the name were SQL.
        missing = ["x'OR'1'='1", "ali*", "*)(uid=*", "alice'--",
                   "alice\\", b"j\xf6rg", b"\xff\xfe"]
        calls = [(lambda n=n, pw=pw, o=o:
                  self.assert_mailbox(p, wire(n), pw, o))
                 for n, pw, o in found]
        calls += [(lambda n=n: self.assert_refused(p, wire(n), u["alice"]))
                  for n in missing]
        parallel(*calls)
        # Not found is not an error: no line from the library.
        self.assertEqual(self.lib_lines(p), [])
        hits = re.findall(r'"[^"]*" -> "[^"]*"', p.log())
        self.assertEqual(len(hits), len(found), hits)


class Secrets(PgCase):
    """D-16: the database password never reaches a log line."""

    def test_password_not_logged(self):
        """-d, a login, a failed lookup and a SIGHUP reload: no password"""
        p = self.pg_proxy("-d", backend=self.dc.pop3_port)
        self.assert_mailbox(p, "alice", self.dc.users["alice"], "alice")
        self.assert_mailbox(p, "bob", self.dc.users["bob"], "bob")
        p.send_signal(signal.SIGHUP)
        p.wait_log(r"Reloading map library")
        self.assert_mailbox(p, "alice", self.dc.users["alice"], "alice")
        for text in (p.log(), p.stderr(), p.stdout()):
            self.assertNotIn(DBPASS, text)
        self.assertNotIn(DBPASS, self.dc.log())


class Compat22(MapCompatCase):
    """Two-way ABI: Debian's 2.2 library in our daemon, ours in 2.2."""

    # One at a time: the first test fetches and unpacks Debian's packages
    # into a cache that two threads would race for.
    tap_parallel = 1

    map_name = "postgresql"
    server_available = staticmethod(pgsql.available)

    def setUp(self):
        super().setUp()
        self.pg = database()

    def check(self, p):
        self.assert_routes(p, [("alice", "alice"), ("robert", "bob"),
                               ("carol", "carol")])

    def test_debian_library_in_ours(self):
        """Debian's libperditiondb_postgresql.so.0 routes in our daemon"""
        lib = self.deb(LIBDIR, "libperditiondb_postgresql.so.0")
        p = self.proxy("-m", map_opt(self.pg), "-U", "-p",
                       str(self.dovecot().pop3_port), map_library=lib,
                       backend=dead_server())
        self.check(p)

    def test_ours_in_22(self):
        """perdition 2.2 loads our postgresql library and routes"""
        self.ours("postgresql")
        p = self.perdition22("-m", map_opt(self.pg), "-U", "-p",
                             str(self.dovecot().pop3_port),
                             map_library=pg_library())
        self.check(p)


class Makedb(PgCase):
    """perditiondb_postgresql_makedb against the private server."""

    def run_makedb(self, args, env, stdin=""):
        return run_makedb("postgresql", args, env, stdin)

    def test_batch_makes_working_table(self):
        """--batch: database, table and role; our library routes by it"""
        pw = "mk'pw $x"
        env = self.pg.env()
        env["PERDITIONDB_PASSWORD"] = pw
        args = ["--batch", "-y", "-a", self.pg.superuser, "-d", "dbmkbatch",
                "-u", "pdmkbatch"]
        r = self.run_makedb(args, env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("dbmkbatch:tblPerdition:pdmkbatch:PASSWORD", r.stdout)
        self.assertNotIn(pw, r.stdout + r.stderr)
        # The role itself fills its table (it owns it), as with 2.2.
        self.pg.sql("INSERT INTO tblPerdition VALUES ('alice', '127.0.0.1', "
                    "'%d');" % self.dc.pop3_port, db="dbmkbatch",
                    user="pdmkbatch", password=pw)
        opt = "127.0.0.1:%d:dbmkbatch:tblPerdition:pdmkbatch:%s" % (
            self.pg.port, pw)
        p = self.pg_proxy(opt=opt)
        self.assert_mailbox(p, "alice", self.dc.users["alice"], "alice")
        # Without -y an existing database is kept and the run fails.
        r = self.run_makedb(args[:1] + args[2:], env)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("already exists", r.stderr)

    def test_interactive(self):
        """answers on standard input, as 2.2's script asks them"""
        env = self.pg.env()
        del env["PGPASSWORD"]
        answers = ["dbmkask", "tblAsk", "pdmkask", "pw1", "pw2", "pw1",
                   "pw1", "", "", self.pg.superuser, "y", self.pg.password]
        r = self.run_makedb([], env, "\n".join(answers) + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("do not match", r.stderr)
        out = self.pg.sql("INSERT INTO tblask VALUES ('bob', 'h', NULL);"
                          "SELECT \"user\", servername FROM tblAsk;",
                          db="dbmkask", user="pdmkask", password="pw1")
        self.assertEqual(out.split(), ["bob|h"])

    def test_bad_name_refused(self):
        """a name that is not a plain SQL name is refused up front"""
        env = self.pg.env()
        env["PERDITIONDB_PASSWORD"] = "x"
        r = self.run_makedb(["--batch", "-t", "t;DROP TABLE x"], env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("is not a plain SQL name", r.stderr)


if __name__ == "__main__":
    tap.main()
