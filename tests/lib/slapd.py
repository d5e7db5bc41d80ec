# slapd.py: a private, throwaway OpenLDAP server for the end-to-end tests.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""A private slapd: the mdb back-end, a cn=config directory (slapd.d)
made with slapadd in a temporary directory, the core, cosine,
inetorgperson and nis schemas plus perdition's (perdition.ldif, so the
test proves that file), listening only on ldap://127.0.0.1:PORT and
ldaps://127.0.0.1:PORT2 (never 389/636) with a self-signed certificate
made with openssl for 127.0.0.1 and localhost.

Usage::

    ds = slapd.shared()        # one per test process, stopped at exit;
                               # raises unittest.SkipTest without slapd
    ds.url, ds.ldaps_url       # "ldap://127.0.0.1:PORT", "ldaps://..."
    ds.add(ldif_text)          # as the root DN (ldapadd)
    ds.cacert                  # the certificate, for LDAPTLS_CACERT
    ds.tls_env()               # {"LDAPTLS_CACERT": ...} for clients
    ds.log()                   # slapd's own log (-d stats)

The suffix is dc=nodomain (perdition's default URL) with
ou=mailbox,dc=nodomain under it.  The root DN is cn=admin,dc=nodomain
(password ROOTPW).  cn=perdition,dc=nodomain (password BINDPW) may read
ou=private,dc=nodomain, which anonymous clients cannot see.
Works as root and as an ordinary user (everything runs as the caller).
"""

import os
import shutil
import subprocess
import unittest

import dbserver
import util

SLAPD = os.environ.get("PDTEST_SLAPD", "/usr/sbin/slapd")
SLAPADD = os.environ.get("PDTEST_SLAPADD", "/usr/sbin/slapadd")
SCHEMA_DIR = "/etc/ldap/schema"
MODULE_DIR = "/usr/lib/ldap"

SUFFIX = "dc=nodomain"
ROOTDN = "cn=admin,dc=nodomain"
ROOTPW = "r00t-Secret"
BINDDN = "cn=perdition,dc=nodomain"
BINDPW = "Bind-pw-4-perdition"


def available():
    """(True, "") when slapd, slapadd and openssl are there, else
    (False, why)."""
    for p in (SLAPD, SLAPADD):
        if not os.access(p, os.X_OK):
            return False, "slapd not installed (%s missing)" % p
    if shutil.which("openssl") is None:
        return False, "openssl not installed"
    for s in ("core", "cosine", "inetorgperson", "nis"):
        if not os.path.exists(os.path.join(SCHEMA_DIR, s + ".ldif")):
            return False, "%s/%s.ldif missing" % (SCHEMA_DIR, s)
    return True, ""


def tool(name):
    """Path of an ldap-utils client (ldapadd, ldapsearch) or None."""
    return shutil.which(name)


def _config_ldif(d, schema_ldif):
    includes = "".join("include: file://%s/%s.ldif\n\n" % (SCHEMA_DIR, s)
                       for s in ("core", "cosine", "inetorgperson", "nis"))
    includes += "include: file://%s\n\n" % schema_ldif
    return """dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: {d}/slapd.pid
olcArgsFile: {d}/slapd.args
olcTLSCertificateFile: {d}/cert.pem
olcTLSCertificateKeyFile: {d}/key.pem
olcSizeLimit: 50

dn: cn=module{{0}},cn=config
objectClass: olcModuleList
cn: module{{0}}
olcModulePath: {mod}
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

{includes}dn: olcDatabase={{-1}}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {{-1}}frontend

dn: olcDatabase={{0}}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {{0}}config
olcAccess: {{0}}to * by * none

dn: olcDatabase={{1}}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {{1}}mdb
olcSuffix: {suffix}
olcRootDN: {rootdn}
olcRootPW: {rootpw}
olcDbDirectory: {d}/db
olcDbMaxSize: 16777216
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcAccess: {{0}}to attrs=userPassword by anonymous auth by * none
olcAccess: {{1}}to dn.subtree="ou=private,{suffix}" by dn.exact="{binddn}" read by * none
olcAccess: {{2}}to * by * read
""".format(d=d, mod=MODULE_DIR, includes=includes, suffix=SUFFIX,
           rootdn=ROOTDN, rootpw=ROOTPW, binddn=BINDDN)


def _base_ldif():
    return """dn: {suffix}
objectClass: top
objectClass: dcObject
objectClass: organization
o: nodomain
dc: nodomain

dn: ou=mailbox,{suffix}
objectClass: top
objectClass: organizationalUnit
ou: mailbox

dn: ou=private,{suffix}
objectClass: top
objectClass: organizationalUnit
ou: private

dn: {binddn}
objectClass: top
objectClass: person
cn: perdition
sn: perdition
userPassword: {bindpw}
""".format(suffix=SUFFIX, binddn=BINDDN, bindpw=BINDPW)


class Slapd(dbserver.DbServer):
    """One private slapd.  start() is bounded; stop() sends SIGTERM to
    its pid (SIGKILL after a bound)."""

    name = "slapd"

    def __init__(self, data=""):
        self.dir = util.make_tempdir("pdtest-slapd-", world_readable=True)
        self.port = util.free_port()
        self.ldaps_port = util.free_port()
        self.url = "ldap://127.0.0.1:%d" % self.port
        self.ldaps_url = "ldaps://127.0.0.1:%d" % self.ldaps_port
        self.cacert = os.path.join(self.dir, "cert.pem")
        self.log_path = os.path.join(self.dir, "slapd.log")
        self.confdir = os.path.join(self.dir, "slapd.d")
        self.data = data
        self.proc = None

    def _run(self, argv, what, **kw):
        r = subprocess.run(argv, cwd=self.dir, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=60, **kw)
        if r.returncode != 0:
            raise RuntimeError("%s failed (%d): %s" % (
                what, r.returncode,
                (r.stdout + r.stderr).decode(errors="replace")[-3000:]))
        return r

    def _make_cert(self):
        self._run(["openssl", "req", "-x509", "-newkey", "ec",
                   "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                   "-days", "3", "-subj", "/CN=127.0.0.1",
                   "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                   "-keyout", os.path.join(self.dir, "key.pem"),
                   "-out", self.cacert], "openssl req")

    def _setup(self):
        self._make_cert()
        schema = os.path.join(util.TOP_SRCDIR, "perditiondb", "ldap",
                              "perdition.ldif")
        cfg = os.path.join(self.dir, "config.ldif")
        with open(cfg, "w") as f:
            f.write(_config_ldif(self.dir, schema))
        data = os.path.join(self.dir, "data.ldif")
        with open(data, "w") as f:
            f.write(_base_ldif() + "\n" + self.data)
        os.mkdir(self.confdir, 0o700)
        os.mkdir(os.path.join(self.dir, "db"), 0o700)
        self._run([SLAPADD, "-n", "0", "-F", self.confdir, "-l", cfg],
                  "slapadd (cn=config)")
        self._run([SLAPADD, "-q", "-n", "1", "-F", self.confdir, "-l", data],
                  "slapadd (data)")

    def start(self, timeout=20.0):
        """Make the config and data, start slapd in the foreground, wait
        until both ports listen and an anonymous search answers."""
        self._setup()
        # -d stats: stay in the foreground and log each operation (the
        # filters the tests look at) to stderr.
        self.spawn([SLAPD, "-d", "stats", "-F", self.confdir,
                    "-h", "%s/ %s/" % (self.url, self.ldaps_url)],
                   open(self.log_path, "wb"))
        ready = None
        if tool("ldapsearch"):
            def ready():
                return self.search(SUFFIX, "base") is not None
        return self.wait_started([self.port, self.ldaps_port], ready,
                                 timeout, "slapd to answer")

    def tls_env(self):
        """Environment that makes libldap trust this server's cert."""
        return {"LDAPTLS_CACERT": self.cacert}

    def client_env(self):
        env = dict(os.environ)
        env.update(self.tls_env())
        return env

    def add(self, ldif, binddn=ROOTDN, bindpw=ROOTPW):
        """Add entries with ldapadd (ldap-utils; skips without it)."""
        if not tool("ldapadd"):
            raise unittest.SkipTest("ldapadd (ldap-utils) not installed")
        r = subprocess.run(["ldapadd", "-x", "-H", self.url, "-D", binddn,
                            "-w", bindpw], input=ldif.encode(),
                           capture_output=True, timeout=30,
                           env=self.client_env())
        if r.returncode != 0:
            raise RuntimeError("ldapadd failed (%d): %s" % (
                r.returncode, (r.stdout + r.stderr).decode(errors="replace")))

    def search(self, base, scope="sub", filt="(objectClass=*)", *attrs):
        """ldapsearch -LLL output (str), or None when it failed; skips
        without ldapsearch (ldap-utils)."""
        if not tool("ldapsearch"):
            raise unittest.SkipTest("ldapsearch (ldap-utils) not installed")
        r = subprocess.run(["ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no",
                            "-H", self.url, "-b", base, "-s", scope, filt]
                           + list(attrs), capture_output=True, timeout=30,
                           env=self.client_env())
        if r.returncode != 0:
            return None
        return r.stdout.decode(errors="replace")



# No atexit handler: util stops every registered process at exit.
_shared = dbserver.Shared(available, Slapd, keep_error=False,
                          stop_at_exit=False)


def shared(data=""):
    """The process-wide slapd, started on first use with data (LDIF
    entries under dc=nodomain, loaded by slapadd before the start);
    stopped at exit.  Raises unittest.SkipTest when slapd is missing."""
    return _shared.get(data)
