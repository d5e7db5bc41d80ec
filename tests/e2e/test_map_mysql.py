# test_map_mysql.py: the MySQL/MariaDB map library on a real server
# (issue 12; SPEC 5, D-12, D-16, D-20).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Real POP3 and IMAP logins routed by libperditiondb_mysql through a
private MariaDB (tests/lib/mariadb.py) to the private Dovecot, with the
default server dead unless a test says otherwise: routing and -U, not
found, --query_key, several hosts, a database that is down, refuses the
password or never answers, bad option strings, user names that try to
change the query, the seed 002 deployment, the password kept out of the
log, Debian 2.2's library and daemon both ways, and
perditiondb_mysql_makedb.  Skipped with the reason when the library is
not built or MariaDB is not installed."""

import os
import secrets
import socket
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403
from maptest import *  # noqa: E402,F403

import mariadb  # noqa: E402
from deb22 import LIBDIR, CompatTestCase  # noqa: E402

LIB = "perditiondb_mysql"
DBNAME = "pdmap"
DBUSER = "pdmap"
#: A password unlike anything else in a log, so a grep for it means it.
DBPASS = "Db-pw-" + secrets.token_hex(6)
TABLE = "tblPerdition"


def mysql_library():
    """The freshly built mysql map library."""
    return library("mysql")


def lit(text):
    """SQL literal of a str, or of bytes (as a hex literal)."""
    if isinstance(text, bytes):
        return "X'%s'" % text.hex()
    return mariadb.quote_literal(text)


def wire(name):  # noqa: F811 (not maptest's: a str is sent as it is)
    """A user name as the client sends it (str of latin-1 code points:
    Client sends each as one byte); bytes are sent as they are."""
    return name.decode("latin-1") if isinstance(name, bytes) else name


#: Rows of the injection test: name -> the Dovecot user its own row
#: routes to with -U (None: no row, so "not found").
INJECTION = [
    ("o'neil", "bob"),
    ("a\\", "carol"),
    ("ali*", "alice"),
    ("\u00e9".encode(), "bob"),  # UTF-8 e-acute
    ("x'OR'1'='1", None),
    ("*)(uid=*", None),
    ("alice'#", None),
    ("%", None),
    ("a\\'", None),
    (b"\xe9", None),             # latin-1 e-acute: not UTF-8
    (b"\xff\xfe", None),
]


class Database:
    """The private MariaDB with the tables every test reads."""

    def __init__(self, srv, dc):
        self.srv = srv
        self.port = srv.port
        self.dc = dc
        srv.admin(self._schema(dc))

    def _schema(self, dc):
        pop3, imap = dc.pop3_port, dc.imap_port
        rows = [("alice", "carol@127.0.0.1", pop3, imap),
                ("bob", "127.0.0.1", pop3, imap),
                ("bob@example.com", "127.0.0.1", pop3, imap),
                ("noserver", "", pop3, imap),
                # Per-user failover: nothing listens on 127.0.0.9, and the
                # port column's port goes to both hosts.
                ("twohosts", "carol@127.0.0.9,127.0.0.1", pop3, imap)]
        rows += [(n, "%s@127.0.0.1" % u, pop3, imap)
                 for n, u in INJECTION if u]
        sql = ("DROP DATABASE IF EXISTS %(db)s;\n"
               "CREATE DATABASE %(db)s CHARACTER SET utf8mb4;\n"
               "USE %(db)s;\n"
               "CREATE TABLE %(t)s (user VARCHAR(128) NOT NULL PRIMARY KEY,"
               " servername VARCHAR(255) NOT NULL, port VARCHAR(8),"
               " imap_port VARCHAR(8));\n"
               "CREATE TABLE latin (user VARCHAR(128) NOT NULL PRIMARY KEY,"
               " servername VARCHAR(255) NOT NULL, port VARCHAR(8))"
               " CHARACTER SET latin1;\n"
               "INSERT INTO latin VALUES ('\u00e9', 'bob@127.0.0.1', %(p)s),"
               " ('?', 'alice@127.0.0.1', %(p)s);\n"
               "CREATE USER IF NOT EXISTS '%(u)s'@'127.0.0.1';\n"
               "ALTER USER '%(u)s'@'127.0.0.1' IDENTIFIED BY '%(pw)s';\n"
               "GRANT SELECT ON %(db)s.* TO '%(u)s'@'127.0.0.1';\n"
               % {"db": DBNAME, "t": TABLE, "u": DBUSER, "pw": DBPASS,
                  "p": lit(str(pop3))})
        for r in rows:
            sql += "INSERT INTO %s VALUES (%s, %s, '%d', '%d');\n" % (
                TABLE, lit(r[0]), lit(r[1]), r[2], r[3])
        return sql

    def opt(self, hosts="127.0.0.1", port=None, table=TABLE,
            password=DBPASS, portcol="port", db=DBNAME, user=DBUSER):
        return "%s:%d:%s:%s:%s:%s:servername:user:%s" % (
            hosts, self.port if port is None else port, db, table, user,
            password, portcol)


_db = []
_db_lock = threading.Lock()


def database():
    """The shared Database (made once per process)."""
    with _db_lock:
        if not _db:
            _db.append(Database(mariadb.shared(), dovecot.shared()))
        return _db[0]


class MysqlCase(MapCase):
    """Skips when the library or MariaDB is missing; gives self.db."""

    libname = LIB
    map_name = "mysql"
    server_available = staticmethod(mariadb.available)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = database()

    def map_proxy(self, opt, *args, **kw):
        kw.setdefault("backend", dead_server())
        return self.proxy("-m", opt, *args, map_library=mysql_library(),
                          **kw)


class Routing(MysqlCase):
    """Users routed by the table, over POP3 and IMAP."""

    tap_parallel = 4

    def test_pop3_routing(self):
        """POP3: alice -> carol@ (with -U), bob -> his own mailbox"""
        dc = self.dovecot()
        p = self.map_proxy(self.db.opt(), "-U")
        self.assert_mailbox(p, "alice", dc.users["carol"], "carol")
        p.wait_log(r'Auth: .*authentication_id="carol" server="127\.0\.0\.1'
                   r':%d" .*status="ok"' % dc.pop3_port)
        util.wait_until(lambda: re.search(r"pop3-login: .*Login: "
                                          r"user=<carol>", dc.log()),
                        10, what="dovecot POP3 login of carol")
        self.assert_mailbox(p, "bob", dc.users["bob"], "bob")
        p.wait_log(r'Auth: .*authentication_id="bob" .*status="ok"')
        self.assertEqual(self.lib_lines(p), [])

    def test_without_u_keeps_name(self):
        """without -U the row's user part only routes"""
        dc = self.dovecot()
        p = self.map_proxy(self.db.opt())
        self.assert_mailbox(p, "alice", dc.users["alice"], "alice")

    def test_imap_routing(self):
        """IMAP: the port column named in the option string is used"""
        dc = self.dovecot()
        p = self.map_proxy(self.db.opt(portcol="imap_port"), "-U",
                           protocol="IMAP4")
        self.assert_imap_mailbox(p, "alice %s" % dc.users["carol"], "carol")
        p.wait_log(r'Auth: .*authentication_id="carol" server="127\.0\.0\.1'
                   r':%d" protocol=IMAP4 .*status="ok"' % dc.imap_port)

    def test_not_found_default_server(self):
        """a user with no row goes to the -s default server"""
        dc = self.dovecot()
        p = self.map_proxy(self.db.opt(), backend=dc.pop3_port)
        self.assert_mailbox(p, "carol", dc.users["carol"], "carol")
        # Not found is not an error: nothing logged about it.
        self.assertEqual(self.lib_lines(p), [])
        self.assertNotIn("Map library lookup", p.log())

    def test_not_found_dead_default(self):
        """a user with no row fails on the dead default server"""
        dc = self.dovecot()
        dead = dead_server()
        p = self.map_proxy(self.db.opt(), backend=dead)
        c, r = self.login(p, "carol", dc.users["carol"])
        self.assertTrue(r.startswith("-ERR"), r)
        p.wait_log(r'Auth: .*server="%s" .*status="failed' % dead)

    def test_query_key(self):
        """--query_key \\u\\D\\d,\\u: the first key found wins, a
        not-found key falls through to the next"""
        dc = self.dovecot()
        p = self.map_proxy(self.db.opt(), "--query_key", "\\u\\D\\d,\\u",
                           "-S", "remote_login")
        self.assert_mailbox(p, "bob@example.com", dc.users["bob"], "bob")
        self.assert_mailbox(p, "alice@example.org", dc.users["alice"],
                            "alice")

    def test_empty_server_is_error(self):
        """a row with an empty server: an error (as 2.2), default used"""
        dc = self.dovecot()
        p = self.map_proxy(self.db.opt(), backend=dc.pop3_port)
        # "noserver" is no Dovecot user: the default server says no.
        c, r = self.login(p, "noserver", "x")
        self.assertTrue(r.startswith("-ERR"), r)
        p.wait_log(r'%s: the row for "noserver" has no server' % LIB)
        p.wait_log(r'Auth: .*server="127\.0\.0\.1:%d"' % dc.pop3_port)

    def test_several_hosts(self):
        """hosts are tried in order: a dead first one, then the live one"""
        dc = self.dovecot()
        p = self.map_proxy(self.db.opt(hosts="127.0.0.2,127.0.0.1"), "-U")
        self.assert_mailbox(p, "alice", dc.users["carol"], "carol")
        lines = self.lib_lines(p)
        self.assertEqual(len(lines), 1, lines)
        self.assertIn('cannot connect on host "127.0.0.2"', lines[0])

    def test_failover_list_takes_port_column(self):
        """a failover list in the server column: the port column's port
        goes to every host, so the second one is Dovecot"""
        dc = self.dovecot()
        p = self.map_proxy(self.db.opt(), "-U")
        self.assert_mailbox(p, "twohosts", dc.users["carol"], "carol")
        p.wait_log(r"Real server 127\.0\.0\.9:%d unavailable .*: trying "
                   r"the next one" % dc.pop3_port)
        p.wait_log(r'Auth: .*authentication_id="carol" server="127\.0\.0\.1'
                   r':%d" .*status="ok"' % dc.pop3_port)


class Failures(MysqlCase):
    """The database down, refusing, silent; a bad option string."""

    tap_parallel = 4

    def one_error_then_default(self, opt, cause):
        """One log line naming the library and cause, then -s."""
        dc = self.dovecot()
        p = self.map_proxy(opt, backend=dc.pop3_port)
        self.assert_mailbox(p, "alice", dc.users["alice"], "alice")
        p.wait_log(r"%s: .*%s" % (LIB, cause))
        lines = self.lib_lines(p)
        self.assertEqual(len(lines), 1, lines)
        self.assertNotIn(DBPASS, p.log())
        return p

    def test_database_down(self):
        """database down: one clear line, then the default server"""
        self.one_error_then_default(self.db.opt(port=util.free_port()),
                                    'cannot connect on host "127.0.0.1": '
                                    "Can't connect")

    def test_bad_credentials(self):
        """a wrong database password: one clear line, then -s"""
        self.one_error_then_default(self.db.opt(password="wrong-pw"),
                                    "Access denied for user 'pdmap'")

    def test_no_such_table(self):
        """a table that is not there: one clear line, then -s"""
        self.one_error_then_default(self.db.opt(table="nosuch"),
                                    "cannot prepare the query.*"
                                    "doesn't exist")

    def test_down_without_default(self):
        """database down and no -s: failed: Could not determine server"""
        dc = self.dovecot()
        p = self.map_proxy(self.db.opt(port=util.free_port()),
                           backend=None)
        c, r = self.login(p, "alice", dc.users["alice"])
        self.assertEqual(r, "-ERR failed: Could not determine server")
        p.wait_log(r"%s: cannot connect" % LIB)
        self.assertTrue(p.running())

    def test_silent_database(self):
        """a "database" that accepts and never answers: the login ends
        within a few seconds"""
        lsock = socket.socket()
        lsock.bind(("127.0.0.1", 0))
        lsock.listen(8)
        self.addCleanup(lsock.close)
        held = []

        def accept():
            try:
                while True:
                    held.append(lsock.accept()[0])
            except OSError:
                pass
        threading.Thread(target=accept, daemon=True).start()
        self.addCleanup(lambda: [s.close() for s in held])
        dc = self.dovecot()
        p = self.map_proxy(self.db.opt(port=lsock.getsockname()[1]),
                           backend=dc.pop3_port)
        t0 = time.monotonic()
        self.assert_mailbox(p, "alice", dc.users["alice"], "alice")
        elapsed = time.monotonic() - t0
        self.assertTrue(held, "the library never connected")
        self.assertLess(elapsed, 9.0)
        p.wait_log(r"%s: cannot connect on host \"127\.0\.0\.1\"" % LIB)

    def test_bad_option_strings(self):
        """bad option strings stop the daemon at start, naming the field"""
        cases = [(self.db.opt(table="t;drop"), r'the table in map_library'
                  r'_opt, "t;drop", is not a plain SQL name'),
                 (self.db.opt(portcol="port,user"), r'the port column in '
                  r'map_library_opt, "port,user"'),
                 (self.db.opt().replace(":%d:" % self.db.port, ":99999:"),
                  r"the port in map_library_opt is not a number")]
        for opt, want in cases:
            p = self.proxy("-m", opt, map_library=mysql_library(),
                           backend=dead_server(), start=False)
            p.start(wait=False)
            self.assertNotEqual(p.wait_exit(10), 0, opt)
            text = p.log() + p.stderr()
            self.assertRegex(text, "%s: %s" % (LIB, want))
            self.assertNotIn(DBPASS, text)


class Injection(MysqlCase):
    """D-12: a user name can never change the query."""

    def test_names_get_own_row_or_none(self):
        """quotes, backslashes, wildcards, LDAP syntax and 8-bit bytes:
        each name its own row or not found"""
        dc = self.dovecot()
        dead = dead_server()
        p = self.map_proxy(self.db.opt(), "-U", backend=dead)

        def one(name, owner):
            c, r = self.login(p, wire(name), dc.users[owner or "alice"])
            if owner is None:
                return r
            if not r.startswith("+OK"):
                return r
            return "+OK " + retr1(c).decode("latin-1")
        got = parallel(*[lambda n=n, o=o: one(n, o) for n, o in INJECTION])
        for (name, owner), r in zip(INJECTION, got):
            if owner:
                self.assertIn("Hello %s." % owner, r, name)
            else:
                self.assertTrue(r.startswith("-ERR"), (name, r))
        # Not found means the dead default server, never a row.
        n_none = sum(1 for _, o in INJECTION if o is None)
        p.wait_log(r'Auth: .*server="%s" .*status="failed' % dead,
                   count=n_none)
        self.assertEqual(self.lib_lines(p), [])

    def test_latin1_table(self):
        """a latin1 table: UTF-8 e-acute finds its row, a bare 8-bit byte
        that is no UTF-8 is not found (not an error, not the '?' row)"""
        dc = self.dovecot()
        dead = dead_server()
        p = self.map_proxy(self.db.opt(table="latin"), "-U", backend=dead)
        self.assert_mailbox(p, wire("\u00e9".encode()), dc.users["bob"],
                            "bob")
        c, r = self.login(p, wire(b"\xe9"), dc.users["alice"])
        self.assertTrue(r.startswith("-ERR"), r)
        p.wait_log(r'Auth: .*server="%s"' % dead)
        self.assertEqual(self.lib_lines(p), [])
        self.assertNotIn("Map library lookup", p.log())


class Deployment(MysqlCase):
    """Seed 002 as deployed, and the password out of the log."""

    tap_parallel = 2

    SEED = os.path.join(os.path.dirname(util.TOP_SRCDIR), "shared", "seeds",
                        "002_84fb3edace178968.txt")

    def seed_config(self):
        """The perdition.imap4.conf section of seed 002 (the file, or the
        copy below when the seeds are not beside the tree)."""
        text = util.read_file(self.SEED)
        m = re.search(r"codetitle\. /etc/perdition/perdition\.imap4\.conf"
                      r"\n\n(.*?)\n\n", text, re.S)
        if m:
            return m.group(1) + "\n"
        return SEED_002_IMAP4

    def test_seed_002(self):
        """seed 002's perdition.imap4.conf verbatim (hosts, ports, paths,
        certs aside): every user goes to storage_ip:<constant port>"""
        dc = self.dovecot()
        srv = self.db.srv
        srv.admin(
            "DROP DATABASE IF EXISTS nest; CREATE DATABASE nest;\n"
            "CREATE TABLE nest.mailboxes (address VARCHAR(128) PRIMARY KEY,"
            " storage_ip VARCHAR(64), port INT);\n"
            # The port column holds something else: the constant wins.
            "INSERT INTO nest.mailboxes VALUES ('alice@riseup.net',"
            " '127.0.0.1', 1), ('bob@riseup.net', '127.0.0.1', 2);\n"
            "CREATE USER IF NOT EXISTS 'nest_mail'@'127.0.0.1';\n"
            "ALTER USER 'nest_mail'@'127.0.0.1' IDENTIFIED BY 'xxxxxxx';\n"
            "GRANT SELECT ON nest.* TO 'nest_mail'@'127.0.0.1';\n")
        d = util.make_tempdir("pdtest-seed002-", True)
        cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                        "-nodes", "-subj", "/CN=localhost", "-days", "2",
                        "-keyout", key, "-out", cert], check=True,
                       capture_output=True, timeout=60)
        conf = self.seed_config()
        self.assertIn("map_library_opt dbhost-vpn:3306:nest:mailboxes:"
                      "nest_mail:xxxxxxx:storage_ip:address:143\n", conf)
        conf = (conf.replace("/etc/certs/mail.riseup.net/cert.pem", cert)
                .replace("/etc/certs/mail.riseup.net/key.pem", key)
                .replace("/usr/lib/libperditiondb_mysql.so.0.0.0",
                         mysql_library())
                .replace("dbhost-vpn:3306:", "127.0.0.1:%d:" % self.db.port)
                .replace(":address:143", ":address:%d" % dc.imap_port))
        p = self.proxy(config=conf, map_library=None, backend=None,
                       name="perdition.imap4")
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        for user, tls in (("Alice", True), ("BOB", False)):
            c = self.client(p)
            self.assertIn("perdition ready", c.greeting)
            if tls:
                _, r = c.imap_cmd("s", "STARTTLS")
                self.assertTrue(r.startswith("s OK"), r)
                c.sock = ctx.wrap_socket(c.sock)
            owner = user.lower()
            _, r = c.imap_cmd("a1", "LOGIN %s \"%s\"" %
                              (user, dc.users[owner]))
            self.assertTrue(r.startswith("a1 OK"), r)
            lines, r = c.imap_cmd("a2", "SELECT INBOX")
            self.assertTrue(r.startswith("a2 OK"), r)
            lines, r = c.imap_cmd("a3", "FETCH 1 BODY[TEXT]")
            self.assertIn("Hello %s." % owner, "\n".join(lines))
            p.wait_log(r'Auth: .*authentication_id="%s" server="127\.0\.0'
                       r'\.1:%d" protocol=IMAP4 .*status="ok"'
                       % (user, dc.imap_port))
        # Not in the table, no -s: as the deployment would answer.
        c = self.client(p)
        _, r = c.imap_cmd("a1", "LOGIN carol %s" % dc.users["carol"])
        self.assertEqual(r, "a1 NO failed: Could not determine server")

    def test_password_not_logged(self):
        """the database password is in no log line, also with -d:
        start-up, logins, errors, SIGHUP reload"""
        dc = self.dovecot()
        p = self.map_proxy(self.db.opt(hosts="127.0.0.2,127.0.0.1"),
                           "-d", "-U", backend=dc.pop3_port)
        self.assert_mailbox(p, "alice", dc.users["carol"], "carol")
        self.assert_mailbox(p, "carol", dc.users["carol"], "carol")
        p.send_signal(signal.SIGHUP)
        p.wait_log(r"Reloading map library")
        self.assert_mailbox(p, "bob", dc.users["bob"], "bob")
        p.wait_log(r'Auth: .*authentication_id="bob" .*status="ok"')
        p.wait_log(r'%s: cannot connect on host "127\.0\.0\.2"' % LIB,
                   count=3)
        log = p.log() + p.stderr()
        self.assertIn("map_library_opt", log)
        self.assertNotIn(DBPASS, log)


class Debian22(CompatTestCase, MysqlCase):
    """Two-way ABI: Debian's library in our daemon, ours in 2.2's."""

    tap_parallel = 2

    def routes_the_same(self, p):
        dc = self.dovecot()
        self.assert_routed(p, "alice", dc.users["carol"], "carol")
        self.assert_routed(p, "bob", dc.users["bob"], "bob")
        c, r = self.login(p, "carol", dc.users["carol"])
        self.assertTrue(r.startswith("-ERR"), r)
        c, r = self.login(p, "o'neil", dc.users["bob"])
        self.assertTrue(r.startswith("+OK"), r)

    def test_debian_library_in_ours(self):
        """Debian's libperditiondb_mysql.so.0 routes in our daemon"""
        lib = self.deb(LIBDIR, "libperditiondb_mysql.so.0")
        p = self.proxy("-m", self.db.opt(), "-U", map_library=lib,
                       backend=dead_server())
        self.routes_the_same(p)

    def test_ours_in_debian_daemon(self):
        """perdition 2.2 loads our library and routes the same"""
        p = self.perdition22("-m", self.db.opt(), "-U",
                             map_library=self.ours("mysql"))
        self.routes_the_same(p)


class Makedb(MysqlCase):
    """perditiondb_mysql_makedb against the private server."""

    def run_makedb(self, args, env=None, stdin=""):
        e = self.db.srv.client_env()
        e.pop("MYSQL_PWD", None)
        e.update(env or {})
        return run_makedb("mysql", args, e, stdin)

    def check_table(self, dbname, table, user, password):
        """The new table routes alice through our library."""
        dc = self.dovecot()
        srv = self.db.srv
        # The new user owns its table: it adds the row itself.
        srv.admin("INSERT INTO %s VALUES ('alice', 'carol@127.0.0.1', "
                  "'%d')" % (table, dc.pop3_port), db=dbname, user=user,
                  password=password, tcp=True)
        opt = "127.0.0.1:%d:%s:%s:%s:%s" % (srv.port, dbname, table, user,
                                            password)
        p = self.map_proxy(opt, "-U")
        self.assert_mailbox(p, "alice", dc.users["carol"], "carol")

    def test_batch(self):
        """--batch: flags, passwords from the environment, --yes"""
        srv = self.db.srv
        pw = "mk-pw-'\"\\-" + secrets.token_hex(4)
        r = self.run_makedb(
            ["--batch", "--host", "127.0.0.1", "--port", str(srv.port),
             "--dbname", "mkdb", "--table", "tblMk", "--user", "mkuser",
             "--allow-from", "%"],
            env={"MYSQL_PWD": srv.root_password,
                 "PERDITIONDB_PASSWORD": pw})
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn(pw, r.stdout + r.stderr)
        self.assertNotIn(srv.root_password, r.stdout + r.stderr)
        cols = srv.admin("SELECT column_name, is_nullable FROM "
                         "information_schema.columns WHERE table_schema="
                         "'mkdb' AND table_name='tblMk' ORDER BY "
                         "ordinal_position")
        self.assertEqual(cols.split("\n")[:3], ["user\tNO", "servername\tNO",
                                                "port\tYES"])
        self.check_table("mkdb", "tblMk", "mkuser", pw)
        # Again: an existing table is kept unless --yes replaces it.
        args = ["-b", "-H", "127.0.0.1", "-P", str(srv.port), "-d", "mkdb",
                "-t", "tblMk", "-u", "mkuser", "-A", "%"]
        env = {"MYSQL_PWD": srv.root_password, "PERDITIONDB_PASSWORD": pw}
        r = self.run_makedb(args, env=env)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("mkdb.tblMk exists", r.stderr)
        self.assertEqual(srv.admin("SELECT COUNT(*) FROM mkdb.tblMk"),
                         "1\n")
        r = self.run_makedb(args + ["-y"], env=env)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(srv.admin("SELECT COUNT(*) FROM mkdb.tblMk"),
                         "0\n")

    def test_interactive(self):
        """answers on standard input, as an administrator types them"""
        srv = self.db.srv
        pw = "ia-pw-" + secrets.token_hex(4)
        answers = ["127.0.0.1", srv.root_password, "iadb", "tblIa",
                   "iauser", pw, pw, "127.0.0.1", "y"]
        r = self.run_makedb(["--port", str(srv.port)],
                            stdin="\n".join(answers) + "\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("Enter database name [dbPerdition]", r.stdout +
                      r.stderr)
        self.check_table("iadb", "tblIa", "iauser", pw)

    def test_refusals(self):
        """bad names, a wrong root password, no password in batch mode"""
        srv = self.db.srv
        base = ["-b", "-y", "-H", "127.0.0.1", "-P", str(srv.port),
                "-d", "refdb"]
        env = {"MYSQL_PWD": srv.root_password, "PERDITIONDB_PASSWORD": "pw"}
        r = self.run_makedb(base + ["-t", "t;drop"], env=env)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('table name "t;drop" is not a plain SQL name',
                      r.stderr)
        r = self.run_makedb(base, env={"MYSQL_PWD": "no",
                                       "PERDITIONDB_PASSWORD": "pw"})
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("cannot connect", r.stderr)
        r = self.run_makedb(base, env={"MYSQL_PWD": srv.root_password})
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("PERDITIONDB_PASSWORD", r.stderr)
        r = self.run_makedb(["--help"])
        self.assertEqual(r.returncode, 0)
        self.assertIn("--batch", r.stdout)


#: seed 002's perdition.imap4.conf, for a tree without ../shared/seeds.
SEED_002_IMAP4 = """\
connection_limit 0
imap_capability "IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT \
THREAD=REFERENCES SORT QUOTA IDLE STARTTLS"
ssl_cert_file /etc/certs/mail.riseup.net/cert.pem
ssl_key_file /etc/certs/mail.riseup.net/key.pem 
map_library /usr/lib/libperditiondb_mysql.so.0.0.0
map_library_opt dbhost-vpn:3306:nest:mailboxes:nest_mail:xxxxxxx:storage_ip:\
address:143
no_lookup
lower_case all
explicit_domain 'riseup.net'
add_domain servername_lookup
ssl_mode tls_listen
"""


if __name__ == "__main__":
    tap.main()
