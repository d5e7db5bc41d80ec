# mariadb.py: a private, throwaway MariaDB server for the end-to-end tests.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""A private MariaDB: its own data directory, socket, pid file and error
log in a temporary directory, listening only on 127.0.0.1 at a free port
(never 3306), no option files read (--no-defaults), names not resolved
(--skip-name-resolve: a TCP login from 127.0.0.1 matches accounts for
'127.0.0.1' or '%', never 'localhost').

Usage::

    db = mariadb.shared()     # one per test process, stopped at exit;
                              # raises unittest.SkipTest when MariaDB is
                              # not installed
    db.host, db.port          # "127.0.0.1", int
    db.socket                 # its unix socket
    db.root_password          # root's password (over TCP and the socket)
    db.admin("CREATE DATABASE x")          # SQL as root -> output
    db.admin("SELECT 1", db="x")           # "1\\n" (tab-separated rows)
    db.admin(sql, user="u", password="pw", tcp=True)  # as u@127.0.0.1
    db.client_env()           # MYSQL_PWD for root, for mariadb tools
    db.stop()

As root the server runs as root (--user=root); otherwise as yourself.
"""

import os
import shutil
import subprocess

import dbserver
import util

MARIADBD = next((p for p in ("/usr/sbin/mariadbd", "/usr/sbin/mysqld")
                 if os.access(p, os.X_OK)), "/usr/sbin/mariadbd")
INSTALL_DB = shutil.which("mariadb-install-db") or \
    shutil.which("mysql_install_db") or "/usr/bin/mariadb-install-db"
CLIENT = shutil.which("mariadb") or shutil.which("mysql") or \
    "/usr/bin/mariadb"

ROOT_PASSWORD = "R00t-secret-pw"

# Small InnoDB files and buffers: a test server holds a few rows.
_SERVER_OPTS = ["--innodb-buffer-pool-size=8M",
                "--innodb-log-file-size=4M",
                "--innodb-data-file-path=ibdata1:4M:autoextend"]


class MariaDBError(RuntimeError):
    """A client command failed; the message has the client's stderr."""


def available():
    """(True, "") when the server and client are there, else (False, why)."""
    for p in (MARIADBD, INSTALL_DB, CLIENT):
        if not os.access(p, os.X_OK):
            return False, "MariaDB not installed (%s missing)" % p
    return True, ""


def quote_literal(text):
    """SQL string literal for text (str or bytes -> str), safe whatever
    sql_mode says about backslashes: both ' and \\ are doubled."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "surrogateescape")
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


class MariaDB(dbserver.DbServer):
    """One private server.  start() is bounded; stop() sends SIGTERM to
    the server's pid (SIGKILL after a bound)."""

    name = "mariadbd"
    stop_timeout = 15.0

    def __init__(self):
        self.host = "127.0.0.1"
        self.port = util.free_port()
        self.dir = util.make_tempdir("pdtest-mariadb-")
        self.data = os.path.join(self.dir, "data")
        self.socket = os.path.join(self.dir, "mysqld.sock")
        self.pid_file = os.path.join(self.dir, "mysqld.pid")
        self.log_path = os.path.join(self.dir, "error.log")
        self.root_password = ROOT_PASSWORD
        self.proc = None
        self._password_set = False

    def _user_opt(self):
        return ["--user=root"] if os.geteuid() == 0 else []

    def _install(self):
        r = subprocess.run(
            [INSTALL_DB, "--no-defaults", "--datadir=" + self.data,
             "--auth-root-authentication-method=normal", "--skip-test-db",
             "--skip-name-resolve"] + self._user_opt() + _SERVER_OPTS,
            cwd=self.dir, stdin=subprocess.DEVNULL, capture_output=True,
            timeout=120)
        if r.returncode != 0:
            raise RuntimeError("mariadb-install-db failed (%d): %s" % (
                r.returncode, (r.stdout + r.stderr).decode(errors="replace")
                [-3000:]))

    def _server_argv(self):
        return [MARIADBD, "--no-defaults", "--datadir=" + self.data,
                "--port=%d" % self.port, "--bind-address=127.0.0.1",
                "--socket=" + self.socket, "--pid-file=" + self.pid_file,
                "--log-error=" + self.log_path, "--tmpdir=" + self.dir,
                "--skip-name-resolve", "--performance-schema=OFF",
                "--innodb-flush-log-at-trx-commit=0",
                "--max-connections=200"] + self._user_opt() + _SERVER_OPTS

    def start(self, timeout=60.0):
        """Install the system tables, start the server, wait (bounded)
        until root can run a query, then give root its password."""
        self._install()
        self.spawn(self._server_argv(),
                   open(os.path.join(self.dir, "mariadbd.out"), "wb"))
        return self.wait_started([self.port], self._ready, timeout,
                                 "mariadbd to answer queries")

    def started(self):
        """Give root its password."""
        self.admin("".join(
            "ALTER USER 'root'@'%s' IDENTIFIED BY %s;\n"
            % (h, quote_literal(self.root_password))
            for h in ("localhost", "127.0.0.1", "::1")))
        self._password_set = True

    def _ready(self):
        self.check_running()
        try:
            return self.admin("SELECT 1").strip() == "1"
        except MariaDBError:
            return False

    def client_env(self, password=None):
        """Environment for the mariadb tools: the password (root's by
        default) in MYSQL_PWD, never on a command line."""
        env = dict(os.environ)
        pw = self.root_password if password is None else password
        if self._password_set or password is not None:
            env["MYSQL_PWD"] = pw
        else:
            env.pop("MYSQL_PWD", None)
        return env

    def admin(self, sql, db=None, user="root", password=None, tcp=False,
              timeout=30):
        """Run SQL (str or bytes, several statements allowed) as user
        (root by default) over the socket, or over TCP from 127.0.0.1
        with tcp; stop at the first error.  Returns the output: rows of
        tab-separated columns, no header.  Raises MariaDBError on
        failure."""
        data = sql.encode("utf-8", "surrogateescape") \
            if isinstance(sql, str) else sql
        where = ["--host=" + self.host, "--port=%d" % self.port,
                 "--protocol=TCP"] if tcp else ["--socket=" + self.socket]
        argv = [CLIENT, "--no-defaults"] + where + [
                "--user=" + user, "--batch", "--skip-column-names",
                "--default-character-set=utf8mb4"]
        if db:
            argv.append("--database=" + db)
        r = subprocess.run(argv, input=data, capture_output=True,
                           timeout=timeout, env=self.client_env(password))
        if r.returncode != 0:
            raise MariaDBError("%s failed (%d): %s" % (
                os.path.basename(CLIENT), r.returncode,
                r.stderr.decode(errors="replace").strip()))
        return r.stdout.decode("utf-8", "replace")


_shared = dbserver.Shared(available, MariaDB)


def shared():
    """The process-wide server, started on first use, stopped at exit.
    Raises unittest.SkipTest with the reason when MariaDB is missing."""
    return _shared.get()
