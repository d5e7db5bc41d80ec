# pgsql.py: a private, throwaway PostgreSQL server for the end-to-end tests.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""A private PostgreSQL 15: its own cluster in a temporary directory,
listening only on 127.0.0.1 at a free port (never 5432), its unix socket
inside that directory.  TCP logins need a password (scram-sha-256), so a
test can show what bad credentials do; the socket trusts local users.

Usage::

    pg = pgsql.shared()       # one per test process, stopped at exit;
                              # raises unittest.SkipTest when PostgreSQL
                              # is not installed
    pg.host, pg.port          # "127.0.0.1", int
    pg.superuser, pg.password # a superuser and its password
    pg.create_db("dbperdition")            # drops an old one first
    pg.create_user("perdition", "secret")  # a LOGIN role (or new pw)
    pg.sql("SELECT 1", db="dbperdition")   # -> "1\\n" (psql -A -t)
    pg.env()                  # PGHOST/PGPORT/PGUSER/PGPASSWORD for tools
    pg.stop()

initdb refuses to run as root: as root the cluster is owned by and runs
as the `postgres` system user (or `nobody`); otherwise as yourself.
"""

import os
import pwd
import signal
import subprocess

import dbserver
import util

#: Where Debian's postgresql-15 puts the server binaries.
BINDIR = os.environ.get("PDTEST_PG_BINDIR", "/usr/lib/postgresql/15/bin")
#: psql (postgresql-client); the server's own copy as a fallback.
PSQL = next((p for p in ("/usr/bin/psql", os.path.join(BINDIR, "psql"))
             if os.access(p, os.X_OK)), "/usr/bin/psql")

SUPERUSER = "pdsuper"
SUPERPASS = "Sup3r-secret-pw"


class PgError(RuntimeError):
    """A psql command failed; the message has psql's stderr."""


def available():
    """(True, "") when the server binaries are there, else (False, why)."""
    for name in ("initdb", "postgres"):
        p = os.path.join(BINDIR, name)
        if not os.access(p, os.X_OK):
            return False, "PostgreSQL server not installed (%s missing)" % p
    if not os.access(PSQL, os.X_OK):
        return False, "psql not installed (%s missing)" % PSQL
    return True, ""


def _run_as():
    """(uid, gid) to run the server as when root, else None."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pw = pwd.getpwnam(name)
            return pw.pw_uid, pw.pw_gid
        except KeyError:
            pass
    raise RuntimeError("running as root and no postgres/nobody user")


def _demote(ids):
    """preexec_fn that drops to ids=(uid, gid), or None."""
    if ids is None:
        return None

    def demote():
        os.setgroups([])
        os.setgid(ids[1])
        os.setuid(ids[0])
    return demote


def _chown_tree(path, ids):
    if ids is None:
        return
    for dirpath, dirnames, filenames in os.walk(path):
        os.chown(dirpath, *ids)
        for fn in filenames:
            os.chown(os.path.join(dirpath, fn), *ids)


def quote_literal(text):
    """SQL string literal for text (doubles single quotes; standard
    conforming strings are on, so backslashes stay as they are)."""
    return "'" + text.replace("'", "''") + "'"


def quote_ident(name):
    """SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'


class PgServer(dbserver.DbServer):
    """One private cluster.  start() is bounded; stop() sends SIGINT
    (fast shutdown) to the postmaster's pid, SIGKILL after a bound."""

    name = "postgres"
    stop_signal = signal.SIGINT

    def __init__(self):
        self.host = "127.0.0.1"
        self.port = util.free_port()
        self.superuser = SUPERUSER
        self.password = SUPERPASS
        self.dir = util.make_tempdir("pdtest-pgsql-", world_readable=True)
        self.data = os.path.join(self.dir, "data")
        self.socket_dir = os.path.join(self.dir, "sock")
        self.log_path = os.path.join(self.dir, "postgres.log")
        self.proc = None
        self._ids = _run_as()

    def _initdb(self):
        pwfile = os.path.join(self.dir, "pwfile")
        with open(pwfile, "w") as f:
            f.write(self.password + "\n")
        os.mkdir(self.socket_dir, 0o755)
        _chown_tree(self.dir, self._ids)
        r = subprocess.run(
            [os.path.join(BINDIR, "initdb"), "-D", self.data,
             "-U", self.superuser, "--pwfile=" + pwfile, "-E", "UTF8",
             "--locale=C", "--no-sync", "--auth-local=trust",
             "--auth-host=scram-sha-256"],
            cwd=self.dir, stdin=subprocess.DEVNULL, capture_output=True,
            preexec_fn=_demote(self._ids), timeout=120)
        os.unlink(pwfile)
        if r.returncode != 0:
            raise RuntimeError("initdb failed (%d): %s" % (
                r.returncode, (r.stdout + r.stderr).decode(errors="replace")))
        with open(os.path.join(self.data, "pg_hba.conf"), "w") as f:
            f.write("local all all trust\n"
                    "host all all 127.0.0.1/32 scram-sha-256\n")

    def _server_argv(self):
        opts = {"listen_addresses": "127.0.0.1", "port": str(self.port),
                "unix_socket_directories": self.socket_dir,
                "fsync": "off", "synchronous_commit": "off",
                "full_page_writes": "off", "shared_buffers": "16MB",
                "max_connections": "60", "logging_collector": "off",
                "log_connections": "on", "password_encryption":
                "scram-sha-256", "max_wal_size": "64MB"}
        argv = [os.path.join(BINDIR, "postgres"), "-D", self.data]
        for k, v in opts.items():
            argv += ["-c", "%s=%s" % (k, v)]
        return argv

    def start(self, timeout=30.0):
        """initdb, start postgres, wait until a password login works."""
        self._initdb()
        log = open(self.log_path, "ab")
        if self._ids:
            os.chown(self.log_path, *self._ids)
        self.spawn(self._server_argv(), log, _demote(self._ids))
        return self.wait_started([self.port], self._ready, timeout,
                                 "postgres to accept logins")

    def _ready(self):
        self.check_running()
        try:
            return self.sql("SELECT 1").strip() == "1"
        except PgError:
            return False

    def env(self, user=None, password=None, db=None):
        """Environment for libpq tools (psql, makedb scripts) over TCP."""
        e = dict(os.environ)
        e.update(PGHOST=self.host, PGPORT=str(self.port),
                 PGUSER=user or self.superuser,
                 PGPASSWORD=self.password if password is None else password,
                 PGCONNECT_TIMEOUT="5")
        if db:
            e["PGDATABASE"] = db
        return e

    def sql(self, text, db="postgres", user=None, password=None,
            timeout=30):
        """Run SQL (str or bytes, several statements allowed; each runs on
        its own, so CREATE DATABASE works) through psql over TCP with a
        password; stop at the first error.  Returns psql's unaligned,
        tuples-only output ("a|b" per row).  Raises PgError on failure."""
        data = text.encode() if isinstance(text, str) else text
        r = subprocess.run(
            [PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-d", db, "-f", "-"],
            input=data, capture_output=True, timeout=timeout,
            env=self.env(user, password))
        if r.returncode != 0:
            raise PgError("psql failed (%d): %s" % (
                r.returncode, r.stderr.decode(errors="replace").strip()))
        return r.stdout.decode("utf-8", "replace")

    def create_db(self, name, owner=None, encoding=None):
        """(Re)create database `name`; encoding e.g. "SQL_ASCII" to store
        any bytes.  Returns name."""
        q = "DROP DATABASE IF EXISTS %s WITH (FORCE);\n" % quote_ident(name)
        q += "CREATE DATABASE %s" % quote_ident(name)
        if owner:
            q += " OWNER %s" % quote_ident(owner)
        if encoding:
            q += " ENCODING %s TEMPLATE template0 LC_COLLATE 'C' " \
                 "LC_CTYPE 'C'" % quote_literal(encoding)
        self.sql(q + ";\n")
        return name

    def drop_db(self, name):
        """Drop database `name` if it exists."""
        self.sql("DROP DATABASE IF EXISTS %s WITH (FORCE);\n"
                 % quote_ident(name))

    def create_user(self, name, password):
        """Create a LOGIN role with a password, or give an existing one
        this password (roles that own databases cannot simply be
        dropped).  Returns name."""
        verb = "ALTER" if self.role_exists(name) else "CREATE"
        self.sql("%s ROLE %s LOGIN PASSWORD %s;\n"
                 % (verb, quote_ident(name), quote_literal(password)))
        return name

    def role_exists(self, name):
        """True when role `name` exists."""
        return self.sql("SELECT count(*) FROM pg_roles WHERE rolname = %s;\n"
                        % quote_literal(name)).strip() == "1"


# Stopped at exit before util's handlers: the fast shutdown, not util's
# SIGTERM (which waits for clients).
_shared = dbserver.Shared(available, PgServer)


def shared():
    """The process-wide server, started on first use, stopped at exit.
    Raises unittest.SkipTest with the reason when PostgreSQL is missing."""
    return _shared.get()
