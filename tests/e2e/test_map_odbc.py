# test_map_odbc.py: routing through the ODBC map library (issue 12;
# SPEC 5, D-12, D-16, D-20).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Users routed by rows of a table that our libperditiondb_odbc reads
through unixODBC: a DSN in a private odbc.ini (ODBCINI, ODBCSYSINI in the
daemon's environment) points at a private PostgreSQL (tests/lib/pgsql.py)
through the psqlODBC driver.  In front of the private Dovecot, with a
dead default server unless a test says otherwise: rows reach the right
mailbox, missing rows and broken data sources fall back as SPEC 5 says,
user names never change the query, time-outs bound a silent server, the
database password is never logged, Debian's 2.2 library and daemon agree
with ours, and perditiondb_odbc_makedb makes a table that works."""

import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403
from maptest import *  # noqa: E402,F403

import pgsql  # noqa: E402
import deb22  # noqa: E402
from deb22 import LIBDIR  # noqa: E402

#: The role the library logs in as and its password (a marker that must
#: never show up in a log).
ROLE = "perdition"
DBPASS = "Odbc-S3cret-91d7"
DB = "dbperdition"
DSN = "dbPerdition"
LIBNAME = "perditiondb_odbc"

#: psqlODBC (Debian's odbc-postgresql), the Unicode flavour.
DRIVER = os.environ.get("PDTEST_PSQLODBC",
                        "/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so")
#: MariaDB Connector/ODBC (odbc-mariadb): it ignores the ODBC time-outs
#: for a server that accepts and never answers.
MARIADB_DRIVER = "/usr/lib/x86_64-linux-gnu/odbc/libmaodbc.so"


def odbc_library():
    """The freshly built odbc map library."""
    return library("odbc")


# The table as perditiondb_odbc_makedb makes it on PostgreSQL ("user"
# quoted); a copy whose user column 2.2's unquoted query can name; a view
# that never finishes; a table whose rows lack a server.
SCHEMA = """
CREATE TABLE tblPerdition (
    "user" varchar(128) NOT NULL PRIMARY KEY,
    servername varchar(255) NOT NULL,
    port varchar(8) DEFAULT NULL
);
CREATE TABLE tblcompat (
    username varchar(128) NOT NULL PRIMARY KEY,
    servername varchar(255) NOT NULL,
    port varchar(8) NOT NULL
);
CREATE VIEW tblslow AS SELECT t."user", t.servername, t.port
    FROM tblPerdition t CROSS JOIN pg_sleep(30);
CREATE TABLE tblnoserver (
    "user" varchar(128), servername varchar(255), port varchar(8)
);
INSERT INTO tblnoserver VALUES ('alice', NULL, '1'), ('bob', '', '1');
"""


def rows(dc):
    """(key, server, port) rows; -U makes the server's user@ count."""
    p = str(dc.pop3_port)
    return [("alice", "127.0.0.1", p),
            ("robert", "bob@127.0.0.1", p),
            ("carol", "carol@127.0.0.1", None),
            ("dave", "alice@127.0.0.1", ""),
            ("bob@example.com", "bob@127.0.0.1", p),
            ("o'neil", "carol@127.0.0.1", p),
            ("a\\", "bob@127.0.0.1", p),
            ("*)(uid=*", "alice@127.0.0.1", p),
            ("j\u00f6rg", "carol@127.0.0.1", p)]


def compat_rows(dc):
    """Rows 2.2's library reads right: its query names the user column
    bare, and it appends garbage for a NULL port (D-20).  The first row
    is what its unescaped x'OR'1'='1 finds."""
    p = str(dc.pop3_port)
    return [("alice", "carol@127.0.0.1", p),
            ("robert", "bob@127.0.0.1", p),
            ("bob", "127.0.0.1", p)]


def insert_sql(table, rs):
    return "".join("INSERT INTO %s VALUES (%s, %s, %s);\n"
                   % (table, pgsql.quote_literal(k), pgsql.quote_literal(s),
                      "NULL" if p is None else pgsql.quote_literal(p))
                   for k, s, p in rs)


class Odbc:
    """The shared database and a private unixODBC configuration: the DSN
    dbPerdition, one for a server that is down (pdDown), one for a
    server that never answers (pdSilent, and pdSilentMaria through the
    MariaDB driver), one that carries its own credentials
    (pdOwnCreds)."""

    def __init__(self, pg, dc):
        self.pg = pg
        pg.create_user(ROLE, DBPASS)
        pg.create_db(DB, owner=ROLE)
        pg.sql(SCHEMA + insert_sql("tblPerdition", rows(dc)) +
               insert_sql("tblcompat", compat_rows(dc)),
               db=DB, user=ROLE, password=DBPASS)
        self.silent = SilentServer()
        self.dir = util.make_tempdir("pdtest-odbc-", True)
        self.odbcinst = os.path.join(self.dir, "odbcinst.ini")
        self.odbcini = os.path.join(self.dir, "odbc.ini")
        with open(self.odbcinst, "w") as f:
            f.write("[pdtest-psqlodbc]\nDriver = %s\n" % DRIVER)
            f.write("[pdtest-maodbc]\nDriver = %s\n" % MARIADB_DRIVER)
        with open(self.odbcini, "w") as f:
            f.write(self.dsn(DSN, pg.port) +
                    self.dsn("pdDown", util.free_port()) +
                    self.dsn("pdSilent", self.silent.port) +
                    self.dsn("pdOwnCreds", pg.port,
                             "Username = %s\nPassword = %s\n"
                             % (ROLE, DBPASS)) +
                    "[pdSilentMaria]\nDriver = pdtest-maodbc\n"
                    "Server = 127.0.0.1\nPort = %d\nDatabase = %s\n\n"
                    % (self.silent.port, DB))
        for path in (self.odbcinst, self.odbcini):
            os.chmod(path, 0o644)

    @staticmethod
    def dsn(name, port, extra=""):
        return ("[%s]\nDriver = pdtest-psqlodbc\nServername = 127.0.0.1\n"
                "Port = %d\nDatabase = %s\n%s\n" % (name, port, DB, extra))

    def env(self, base=None):
        """Environment that makes unixODBC read our files only."""
        e = dict(base or {})
        e.update(ODBCSYSINI=self.dir, ODBCINI=self.odbcini)
        return e


_shared = []
_lock = threading.Lock()


def odbc():
    """The shared Odbc (once per process)."""
    pg = pgsql.shared()
    dc = dovecot.shared()
    with _lock:
        if not _shared:
            _shared.append(Odbc(pg, dc))
    return _shared[0]


def map_opt(dsn=DSN, table="tblPerdition", user=ROLE, password=DBPASS,
            tail="", host="localhost:0"):
    """map_library_opt: host and port are ignored, dbname is the DSN."""
    return "%s:%s:%s:%s:%s%s" % (host, dsn, table, user, password, tail)


def assert_no_secret(secret, *procs, extra=()):
    """No log, stderr or stdout line of procs (nor any text of extra)
    holds secret; the failure names the lines that do."""
    texts = list(extra)
    for p in procs:
        texts += [p.log(), p.stderr(), p.stdout()]
    bad = [l[:300] for t in texts for l in t.splitlines() if secret in l]
    if bad:
        raise AssertionError("%r logged in:\n%s" % (secret, "\n".join(bad)))


def skip_reason():
    """Why these tests cannot run here, or None."""
    why = map_skip_reason("odbc")
    if why is None and not os.path.exists(DRIVER):
        why = "psqlODBC driver %s not installed (odbc-postgresql)" % DRIVER
    return why or map_skip_reason("odbc", pgsql.available)


class OdbcCase(MapCase):
    libname = LIBNAME

    @classmethod
    def setUpClass(cls):
        why = skip_reason()
        if why:
            raise unittest.SkipTest(why)

    def setUp(self):
        self.odbc = odbc()
        self.dc = self.dovecot()

    def odbc_proxy(self, *args, opt=None, **kw):
        """A proxy using our library with opt (default: the DSN)."""
        kw.setdefault("backend", dead_server())
        kw["env"] = self.odbc.env(kw.get("env"))
        return self.proxy("-m", opt or map_opt(), *args,
                          map_library=odbc_library(), **kw)


class Routing(OdbcCase):
    """Rows route POP3 and IMAP logins; fallbacks as with file maps."""

    tap_parallel = 4

    def test_pop3_rows_with_U(self):
        """-U: a row's user@ is the back-end login, others keep theirs"""
        p = self.odbc_proxy("-U")
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
        opt = map_opt(tail=":servername:user:%d" % self.dc.imap_port)
        p = self.odbc_proxy("-U", opt=opt, protocol="IMAP4")
        self.assert_imap_mailbox(p, 'robert "%s"' % self.dc.users["bob"],
                                 "bob")

    def test_null_port_takes_outgoing_port(self):
        """D-20: a NULL or empty port means the -p port, nothing appended"""
        p = self.odbc_proxy("-U", "-d", "-p", str(self.dc.pop3_port))
        self.assert_mailbox(p, "carol", self.dc.users["carol"], "carol")
        self.assert_mailbox(p, "dave", self.dc.users["alice"], "alice")
        p.wait_log(r'"carol" -> "carol@127\.0\.0\.1"$')
        p.wait_log(r'"dave" -> "alice@127\.0\.0\.1"$')

    def test_not_found(self):
        """no row: the -s server; without -s: Could not determine server"""
        p1 = self.odbc_proxy(backend=self.dc.pop3_port)
        p2 = self.odbc_proxy(backend=None)
        self.assert_mailbox(p1, "bob", self.dc.users["bob"], "bob")
        self.assert_refused(p2, "bob", self.dc.users["bob"],
                            "Could not determine server")
        self.assertEqual(self.lib_lines(p1) + self.lib_lines(p2), [])

    def test_query_key(self):
        """--query_key \\u\\D\\d,\\u: the full key, then the bare name"""
        p = self.odbc_proxy("-U", "--query_key", "\\u\\D\\d,\\u",
                            "-S", "remote_login")
        parallel(
            lambda: self.assert_mailbox(p, "bob@example.com",
                                        self.dc.users["bob"], "bob"),
            lambda: self.assert_mailbox(p, "alice@example.org",
                                        self.dc.users["alice"], "alice"))

    def test_option_string_as_22(self):
        """as 2.2: host, port, a tenth field ignored; empty portcol: port"""
        opt = map_opt(host="no such host:not a port",
                      tail=":servername:user::extra")
        p = self.odbc_proxy("-U", "-d", opt=opt)
        self.assert_mailbox(p, "robert", self.dc.users["bob"], "bob")
        p.wait_log(r'"robert" -> "bob@127\.0\.0\.1:%d"$' % self.dc.pop3_port)
        p.wait_log(LIBNAME + r": map_library_opt has more than 9 fields; "
                   r"the rest is ignored")

    def test_dsn_credentials(self):
        """empty user and password fields: the DSN's own from odbc.ini"""
        p = self.odbc_proxy("-U", opt=map_opt(dsn="pdOwnCreds", user="",
                                              password=""))
        self.assert_mailbox(p, "robert", self.dc.users["bob"], "bob")
        self.assertEqual(self.lib_lines(p), [])


class Failures(OdbcCase):
    """Broken data sources: one log line, then the default server."""

    tap_parallel = 4

    def test_unknown_dsn(self):
        """a DSN that odbc.ini lacks: -s server used, one clear line"""
        p = self.odbc_proxy(opt=map_opt(dsn="noSuchDsn"),
                            backend=self.dc.pop3_port)
        self.assert_mailbox(p, "alice", self.dc.users["alice"], "alice")
        self.one_error(p, r'connecting on DSN "noSuchDsn" failed: \[IM002\] '
                       r'.*Data source name not found')

    def test_database_down(self):
        """nothing listens: -s server used, else a clean failed: reply"""
        opt = map_opt(dsn="pdDown")
        p1 = self.odbc_proxy(opt=opt, backend=self.dc.pop3_port)
        p2 = self.odbc_proxy(opt=opt, backend=None)
        parallel(lambda: self.assert_mailbox(p1, "alice",
                                             self.dc.users["alice"],
                                             "alice"),
                 lambda: self.assert_refused(p2, "alice", "x",
                                             "Could not determine server"))
        for p in (p1, p2):
            self.one_error(p, r'connecting on DSN "pdDown" failed: \[08001\] '
                           r'.*[Cc]onnection refused')
            self.assertTrue(p.running())

    def test_bad_credentials(self):
        """a wrong database password: one line, default server"""
        wrong = "Wr0ng-Pw-3e8d"
        p = self.odbc_proxy("-d", opt=map_opt(password=wrong),
                            backend=self.dc.pop3_port)
        self.assert_mailbox(p, "alice", self.dc.users["alice"], "alice")
        self.one_error(p, r'connecting on DSN "dbPerdition" failed: .*'
                       r'password authentication failed for user '
                       r'\\"perdition\\"')
        assert_no_secret(wrong, p)

    def test_silent_server(self):
        """a server that never answers: the login ends within seconds"""
        p1 = self.odbc_proxy(opt=map_opt(dsn="pdSilent"),
                             backend=self.dc.pop3_port)
        p2 = self.odbc_proxy(opt=map_opt(dsn="pdSilent"), backend=None)
        t0 = time.monotonic()
        parallel(lambda: self.assert_mailbox(p1, "alice",
                                             self.dc.users["alice"],
                                             "alice"),
                 lambda: self.assert_refused(p2, "alice", "x",
                                             "Could not determine server"))
        self.assertLess(time.monotonic() - t0, 12)
        for p in (p1, p2):
            self.one_error(p, r'connecting on DSN "pdSilent" failed: ')

    def test_silent_server_driver_without_timeouts(self):
        """a driver that ignores the time-outs: cut off at 12 seconds"""
        if not os.path.exists(MARIADB_DRIVER):
            self.skipTest("MariaDB ODBC driver %s not installed "
                          "(odbc-mariadb)" % MARIADB_DRIVER)
        p = self.odbc_proxy(opt=map_opt(dsn="pdSilentMaria"),
                            backend=self.dc.pop3_port)
        t0 = time.monotonic()
        c = self.client(p)
        self.assertEqual(c.cmd("USER alice")[:3], "+OK")
        r = c.cmd("PASS " + self.dc.users["alice"], timeout=30)
        self.assertTrue(r.startswith("+OK"), r)
        self.assertLess(time.monotonic() - t0, 17)
        self.assertIn(b"Hello alice.", retr1(c))
        self.one_error(p, r'no answer from DSN "pdSilentMaria" within 12 '
                       r'seconds')

    def test_slow_query(self):
        """a query that does not finish is cut off by the time-out"""
        p = self.odbc_proxy(opt=map_opt(table="tblslow"),
                            backend=self.dc.pop3_port)
        t0 = time.monotonic()
        self.assert_mailbox(p, "alice", self.dc.users["alice"], "alice")
        self.assertLess(time.monotonic() - t0, 12)
        self.one_error(p, r'the query on DSN "dbPerdition" failed: .*'
                       r'statement timeout')

    def test_query_error(self):
        """a missing table: the driver's reason, default server"""
        p = self.odbc_proxy(opt=map_opt(table="nosuchtable"),
                            backend=self.dc.pop3_port)
        self.assert_mailbox(p, "bob", self.dc.users["bob"], "bob")
        self.one_error(p, r'the query on DSN "dbPerdition" failed: '
                       r'\[42P01\] .*relation \\"nosuchtable\\" does not '
                       r'exist')

    def test_row_without_server(self):
        """a row with a NULL or empty server is an error, not a route"""
        p = self.odbc_proxy(opt=map_opt(table="tblnoserver"),
                            backend=self.dc.pop3_port)
        parallel(lambda: self.assert_mailbox(p, "alice",
                                             self.dc.users["alice"],
                                             "alice"),
                 lambda: self.assert_mailbox(p, "bob", self.dc.users["bob"],
                                             "bob"))
        p.wait_log(LIBNAME + r': the row for "alice" has no server')
        p.wait_log(LIBNAME + r': the row for "bob" has no server')

    def test_bad_option_string(self):
        """a bad map_library_opt stops the start with a clear line"""
        cases = [(map_opt(table="x;drop"),
                  r'the table in map_library_opt, "x;drop", is not a '
                  r'plain SQL name'),
                 (map_opt(tail=":servername:user id"),
                  r'the user column in map_library_opt'),
                 (map_opt(tail=":servername:user:1x"),
                  r'the port column in map_library_opt')]
        for opt, pattern in cases:
            p = self.odbc_proxy(opt=opt, start=False)
            p.start(wait=False)
            self.assertNotEqual(p.wait_exit(10), 0, opt)
            text = p.log() + p.stderr()
            self.assertRegex(text, LIBNAME + ": " + pattern)
            self.assertNotIn(DBPASS, p.stderr())


class Injection(OdbcCase):
    """D-12: a user name never changes the query."""

    def test_names(self):
        """each name gets its own row or none, never another's"""
        p = self.odbc_proxy("-U", "-d")
        u = self.dc.users
        found = [("o'neil", u["carol"], "carol"), ("a\\", u["bob"], "bob"),
                 ("*)(uid=*", u["alice"], "alice"),
                 ("j\u00f6rg", u["carol"], "carol")]
        # Each would get some other row if the name were SQL.
        missing = ["x'OR'1'='1", "ali*", "ali%", "alice'--", "alice\\",
                   "' OR ''='", b"j\xf6rg", b"\xff\xfe"]
        calls = [(lambda n=n, pw=pw, o=o:
                  self.assert_mailbox(p, wire(n), pw, o))
                 for n, pw, o in found]
        calls += [(lambda n=n: self.assert_refused(p, wire(n), u["alice"]))
                  for n in missing]
        parallel(*calls)
        hits = re.findall(r'"[^"]*" -> "[^"]*"', p.log())
        self.assertEqual(len(hits), len(found), hits)
        # Not found is not an error; a name the database cannot even
        # hold (invalid UTF-8) is not found either.
        self.assertEqual(self.lib_lines(p), [])


class Secrets(OdbcCase):
    """D-16: the database password never reaches a log line."""

    def test_password_not_logged(self):
        """-d, logins, a failed query and a SIGHUP reload: no password"""
        p = self.odbc_proxy("-d", backend=self.dc.pop3_port)
        p2 = self.odbc_proxy("-d", opt=map_opt(table="nosuchtable"),
                             backend=self.dc.pop3_port)
        self.assert_mailbox(p, "alice", self.dc.users["alice"], "alice")
        self.assert_mailbox(p, "bob", self.dc.users["bob"], "bob")
        self.assert_mailbox(p2, "bob", self.dc.users["bob"], "bob")
        p.send_signal(signal.SIGHUP)
        p.wait_log(r"Reloading map library")
        self.assert_mailbox(p, "alice", self.dc.users["alice"], "alice")
        assert_no_secret(DBPASS, p, p2, extra=[self.dc.log()])


class Compat22(MapCompatCase):
    """Two-way ABI: Debian's 2.2 library in our daemon, ours in 2.2."""

    tap_parallel = 3

    def setUp(self):
        why = skip_reason()
        if why:
            self.skipTest(why)
        self.odbc = odbc()
        # One fetch of Debian's packages, not one per parallel test:
        # deb22 unpacks into a directory named after the process.
        with _lock:
            try:
                deb22.debian_root()
            except unittest.SkipTest:
                pass  # deb() skips with the reason

    def opt(self):
        return map_opt(table="tblcompat", tail=":servername:username:port")

    def check(self, p):
        self.assert_routes(p, [("alice", "carol"), ("robert", "bob"),
                               ("bob", "bob")])

    def test_debian_library_in_ours(self):
        """Debian's libperditiondb_odbc.so.0 routes in our daemon"""
        lib = self.deb(LIBDIR, "libperditiondb_odbc.so.0")
        p = self.proxy("-m", self.opt(), "-U", map_library=lib,
                       backend=dead_server(), env=self.odbc.env())
        self.check(p)

    def test_ours_in_22(self):
        """perdition 2.2 loads our odbc library and routes"""
        self.ours("odbc")
        p = self.perdition22("-m", self.opt(), "-U",
                             map_library=odbc_library(),
                             env=self.odbc.env())
        self.check(p)

    def test_injection_fixed(self):
        """D-12: x'OR'1'='1 gets 2.2's library a row; ours none"""
        lib = self.deb(LIBDIR, "libperditiondb_odbc.so.0")
        dc = self.dovecot()
        theirs = self.proxy("-m", self.opt(), "-U", map_library=lib,
                            backend=dead_server(), env=self.odbc.env())
        ours = self.proxy("-m", self.opt(), "-U", map_library=odbc_library(),
                          backend=dead_server(), env=self.odbc.env())
        self.assert_routed(theirs, "x'OR'1'='1", dc.users["carol"], "carol")
        c, r = self.login(ours, "x'OR'1'='1", dc.users["carol"])
        self.assertTrue(r.startswith("-ERR"), r)


class Makedb(OdbcCase):
    """perditiondb_odbc_makedb through the DSN to the private server."""

    def run_makedb(self, args, stdin="", password=DBPASS):
        env = self.odbc.env(os.environ)
        env.pop("PERDITIONDB_PASSWORD", None)
        if password is not None:
            env["PERDITIONDB_PASSWORD"] = password
        return run_makedb("odbc", args, env, stdin)

    def popmap(self, text):
        path = os.path.join(util.make_tempdir("pdtest-odbcmk-"), "popmap")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_batch_load_makes_working_table(self):
        """--batch --load: a table our library routes by, 2.2's columns"""
        pop3 = self.dc.pop3_port
        src = self.popmap("alice:carol@127.0.0.1:%d\n\nbob:127.0.0.1\n"
                          "o'neil:bob@127.0.0.1:%d\n" % (pop3, pop3))
        args = ["--batch", "-t", "tblMade", "-l", src]
        r = self.run_makedb(args + ["-y"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("with 3 rows", r.stdout)
        self.assertIn("::dbPerdition:tblMade:perdition:PASSWORD:"
                      "servername:user:port", r.stdout)
        self.assertNotIn(DBPASS, r.stdout + r.stderr)
        out = self.odbc.pg.sql('SELECT "user", servername, '
                               'coalesce(port, \'NULL\') FROM tblmade '
                               'ORDER BY 1;', db=DB)
        self.assertEqual(out.split("\n")[:3],
                         ["alice|carol@127.0.0.1|%d" % pop3,
                          "bob|127.0.0.1|NULL",
                          "o'neil|bob@127.0.0.1|%d" % pop3])
        p = self.odbc_proxy("-U", "-p", str(pop3),
                            opt=map_opt(table="tblMade"))
        self.assert_mailbox(p, "alice", self.dc.users["carol"], "carol")
        self.assert_mailbox(p, "bob", self.dc.users["bob"], "bob")
        self.assert_mailbox(p, "o'neil", self.dc.users["bob"], "bob")
        # Without -y an existing table is kept and the run fails ...
        r = self.run_makedb(args)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("already exists", r.stderr)
        # ... and --keep adds to it.
        r = self.run_makedb(["--batch", "-k", "-t", "tblMade", "-l", "-"],
                            stdin="carol:127.0.0.1:%d\n" % pop3)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_mailbox(p, "carol", self.dc.users["carol"], "carol")

    def test_interactive(self):
        """answers on standard input, as 2.2's script asks them"""
        answers = ["y", DSN, "tblAsk", "", DBPASS, "y"]
        r = self.run_makedb([], "\n".join(answers) + "\n", password=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Data source name (DSN) [dbPerdition]", r.stderr)
        self.assertNotIn(DBPASS, r.stdout + r.stderr)
        out = self.odbc.pg.sql("INSERT INTO tblask VALUES ('bob', 'h', "
                               "NULL); SELECT \"user\", servername FROM "
                               "tblAsk;", db=DB)
        self.assertEqual(out.split(), ["bob|h"])
        # "n" to the first question: nothing done, status 0.
        r = self.run_makedb([], "n\n", password=None)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Bailing", r.stderr)

    def test_errors(self):
        """unknown DSN, wrong password, bad names: status 1, clear text"""
        r = self.run_makedb(["--batch", "-d", "noSuchDsn"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("Data source name not found", r.stderr)
        wrong = "Wr0ng-mk-5b1c"
        r = self.run_makedb(["--batch", "-t", "tblWrong"], password=wrong)
        self.assertEqual(r.returncode, 1)
        self.assertIn("password authentication failed", r.stderr)
        self.assertNotIn(wrong, r.stdout + r.stderr)
        r = self.run_makedb(["--batch", "-t", "t;DROP TABLE x"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("is not a plain SQL name", r.stderr)
        r = self.run_makedb(["--batch", "-t", "tblBad", "-l", "-"],
                            stdin="alice:127.0.0.1\nnocolon\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("invalid input on line 2", r.stderr)
        r = self.run_makedb(["--bogus"])
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    tap.main()
