# test_map_ldap.py: routing through the LDAP map library (issue 12;
# SPEC 5, D-12, D-14, D-16, D-20).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Users routed by entries of a private slapd (tests/lib/slapd.py)
through our libperditiondb_ldap, in front of the private Dovecot, with a
dead default server unless a test says otherwise: entries reach the
right mailbox over POP3 and IMAP, missing entries and broken directories
fall back as SPEC 5 says, user names never change the filter or the DN,
time-outs bound a silent server (also over ldaps://), the bind password
is never logged, Debian's 2.2 library and daemon agree with ours, and
perditiondb_ldap_makedb makes entries that work."""

import base64
import os
import shutil
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403
from maptest import *  # noqa: E402,F403

import slapd  # noqa: E402
from deb22 import LIBDIR  # noqa: E402

LIBNAME = "perditiondb_ldap"
MAILBOX = "ou=mailbox,dc=nodomain"


def ldap_library():
    """The freshly built LDAP map library."""
    return library("ldap")


def dn_value(v):
    """RFC 4514 escaping of one DN value (for the test's own LDIF)."""
    out = ""
    for i, c in enumerate(v):
        if c in '",+;<>=\\' or (c in " #" and i == 0) or \
                (c == " " and i == len(v) - 1):
            out += "\\%02X" % ord(c)
        else:
            out += c
    return out


def ldif_line(attr, value):
    """attr:: base64 (any value is safe that way)."""
    return "%s:: %s\n" % (attr, base64.b64encode(value.encode()).decode())


def entry(uid, base=MAILBOX, **attrs):
    text = ldif_line("dn", "uid=%s,%s" % (dn_value(uid), base))
    text += "objectClass: top\nobjectClass: uidObject\n" \
            "objectClass: perditionPopmap\n"
    text += ldif_line("uid", uid)
    for a in ("username", "mailhost", "port"):
        if a in attrs:
            text += ldif_line(a, str(attrs[a]))
    return text + "\n"


def container(ou):
    return "dn: ou=%s,dc=nodomain\nobjectClass: organizationalUnit\n" \
           "ou: %s\n\n" % (ou, ou)


#: (uid, Dovecot user it routes to) of the entries whose names would
#: change an unescaped filter or DN.
ODD_NAMES = [("x'OR'1'='1", "carol"), ("o'neil", "bob"), ("a\\", "alice"),
             ("j\u00fcrgen", "bob"), ("ali,ou=private", "carol")]


def directory_ldif(dc):
    """The entries every test shares."""
    h, p = "127.0.0.1", dc.pop3_port
    text = container("dups") + container("made")
    text += entry("alice", username="alice", mailhost=h, port=p)
    text += entry("bob", mailhost=h, port=p)
    text += entry("carol", username="bob", mailhost=h, port=p)
    text += entry("dan", username="carol", mailhost=h, port=p)
    # Only the first attribute: read as [user@]host[:port].
    text += entry("frank", username="carol@%s:%d" % (h, p))
    text += entry("alice@example.org", username="carol", mailhost=h, port=p)
    for uid, owner in ODD_NAMES:
        text += entry(uid, username=owner, mailhost=h, port=p)
    # Two entries any filter of ou=dups matches.
    for uid in ("dupa", "dupb"):
        text += entry(uid, base="ou=dups,dc=nodomain", username="alice",
                      mailhost=h, port=p)
    # Readable only after a bind as slapd.BINDDN.
    text += entry("alice", base="ou=private,dc=nodomain", username="carol",
                  mailhost=h, port=p)
    return text


_ds = []


def directory():
    """The shared slapd with directory_ldif() loaded."""
    if not _ds:
        _ds.append(slapd.shared(directory_ldif(dovecot.shared())))
    return _ds[0]


def url(ds, base=MAILBOX, attrs="username,mailhost,port", scope="one",
        filt="(uid=%s)", ext="", ldaps=False, version="3:", host=None):
    """map_library_opt for the shared directory."""
    if host is None:
        host = ds.ldaps_url if ldaps else ds.url
    u = "%s%s/%s?%s?%s?%s" % (version, host, base, attrs, scope, filt)
    return u + ("?" + ext if ext else "")


def bind_ext(password=slapd.BINDPW, crit=""):
    return "%sbindname=%s,x-bindpw=%s" % (
        crit, slapd.BINDDN.replace(",", "%2c"), password)


class LdapCase(MapCase):
    libname = LIBNAME
    map_name = "ldap"
    server_available = staticmethod(slapd.available)

    def setUp(self):
        self.ds = directory()
        self.dc = self.dovecot()

    def ldap_proxy(self, *args, opt=None, **kw):
        """A proxy using our library with opt (default: the default
        layout on the shared directory)."""
        kw.setdefault("backend", dead_server())
        env = dict(self.ds.tls_env())
        env.update(kw.pop("env", {}))
        return self.proxy("-m", opt or url(self.ds), *args,
                          map_library=ldap_library(), env=env, **kw)


class Routing(LdapCase):
    """Entries route POP3 and IMAP logins; fallbacks as with file maps."""

    tap_parallel = 4

    def test_pop3_with_U(self):
        """-U: the username attribute is the back-end login"""
        p = self.ldap_proxy("-U")
        u = self.dc.users
        self.assert_mailbox(p, "alice", u["alice"], "alice")
        self.assert_mailbox(p, "bob", u["bob"], "bob")  # no username
        self.assert_mailbox(p, "dan", u["carol"], "carol")
        self.assert_mailbox(p, "carol", u["bob"], "bob")
        p.wait_log(r'Auth: .*authentication_id="carol" server="127\.0\.0\.1'
                   r':%d"' % self.dc.pop3_port)

    def test_without_U(self):
        """without -U the username attribute only routes"""
        p = self.ldap_proxy()
        self.assert_mailbox(p, "carol", self.dc.users["carol"], "carol")

    def test_first_attribute_only(self):
        """only the first attribute set: read as user@host:port"""
        p = self.ldap_proxy("-U")
        self.assert_mailbox(p, "frank", self.dc.users["carol"], "carol")
        # The same value through a URL that names one attribute.
        p = self.ldap_proxy("-U", opt=url(self.ds, attrs="username"))
        self.assert_mailbox(p, "frank", self.dc.users["carol"], "carol")

    def test_imap(self):
        """IMAP4: no port attribute, so --outgoing_port applies"""
        p = self.ldap_proxy("-U", "-p", str(self.dc.imap_port),
                            opt=url(self.ds, attrs="username,mailhost"),
                            protocol="IMAP4")
        self.assert_imap_mailbox(p, "dan %s" % self.dc.users["carol"],
                                 "carol")

    def test_not_found(self):
        """no entry: the -s server, or a clean failed: reply; no log line
        of the library (not found is no error)"""
        opt = url(self.ds, filt="(uid=nomatch-%s)")
        p1 = self.ldap_proxy(opt=opt, backend=self.dc.pop3_port)
        p2 = self.ldap_proxy(opt=opt, backend=None)
        self.assert_mailbox(p1, "alice", self.dc.users["alice"], "alice")
        self.assert_refused(p2, "alice", "x", "Could not determine server")
        self.assertEqual(self.lib_lines(p1) + self.lib_lines(p2), [])

    def test_query_key(self):
        """--query_key: a key not found falls through to the next"""
        p = self.ldap_proxy("-U", "--query_key", "\\u\\D\\d,\\u",
                            "-S", "remote_login")
        # bob@example.com is not there, bob is.
        self.assert_mailbox(p, "bob@example.com", self.dc.users["bob"], "bob")
        # alice@example.org is there (-> carol), alice not tried.
        self.assert_mailbox(p, "alice@example.org", self.dc.users["carol"],
                            "carol")

    def test_version_prefix(self):
        """no prefix binds v3 (D-20); 3: too; 2: is refused by slapd:
        one line naming the library and the cause, default server"""
        p1 = self.ldap_proxy(opt=url(self.ds, version=""))
        p2 = self.ldap_proxy(opt=url(self.ds, version="3:"))
        p3 = self.ldap_proxy(opt=url(self.ds, version="2:"),
                             backend=self.dc.pop3_port)
        self.assert_mailbox(p1, "carol", self.dc.users["carol"], "carol")
        self.assert_mailbox(p2, "carol", self.dc.users["carol"], "carol")
        self.assert_mailbox(p3, "alice", self.dc.users["alice"], "alice")
        self.one_error(p3, r'bind as "" on ldap://127\.0\.0\.1:\d+ failed: '
                       r'Protocol error')

    def test_per_user_dn(self):
        """%s in the base DN (scope base): the key is DN-escaped"""
        opt = url(self.ds, base="uid=%s," + MAILBOX, scope="base",
                  filt="(objectClass=perditionPopmap)")
        p = self.ldap_proxy("-U", opt=opt)
        self.assert_mailbox(p, "dan", self.dc.users["carol"], "carol")
        self.assert_mailbox(p, wire("x'OR'1'='1"), self.dc.users["carol"],
                            "carol")
        self.assert_refused(p, "nobody", "x")
        self.assertEqual(self.lib_lines(p), [])

    def test_several_hosts(self):
        """space-separated hosts: a dead one first, then the live one"""
        # One port for all, as in 2.2's URLs; slapd only listens on
        # 127.0.0.1, so 127.0.0.2 refuses the connection.
        host = "ldap://127.0.0.2 127.0.0.1:%d" % self.ds.port
        p = self.ldap_proxy("-U", opt=url(self.ds, host=host))
        self.assert_mailbox(p, "dan", self.dc.users["carol"], "carol")
        self.assertEqual(self.lib_lines(p), [])


class Injection(LdapCase):
    """D-12: a user name never changes the filter or the DN."""

    tap_parallel = 2

    def check_names(self, opt):
        p = self.ldap_proxy("-U", "-d", opt=opt)
        u = self.dc.users
        found = [(n, u[o], o) for n, o in ODD_NAMES]
        # Unescaped, ali* and *)(uid=* would find alice (2.2 did), the
        # others break the filter or find nothing.
        missing = ["ali*", "*)(uid=*", "*", "alice)(uid=bob",
                   "alice\\2a", b"j\xfcrgen", b"\xff\xfe", "al\x01ice"]
        calls = [(lambda n=n, pw=pw, o=o:
                  self.assert_mailbox(p, wire(n), pw, o))
                 for n, pw, o in found]
        calls += [(lambda n=n: self.assert_refused(p, wire(n), u["alice"]))
                  for n in missing]
        parallel(*calls)
        # Not found is no error: no line from the library.
        self.assertEqual(self.lib_lines(p), [])
        return p

    def test_filter(self):
        """%s in the filter: each name its own entry or none"""
        self.check_names(url(self.ds))
        # What slapd was asked: the escaped forms, never a wildcard.
        log = self.ds.log()
        self.assertIn(r'filter="(uid=ali\2A)"', log)
        self.assertIn(r'filter="(uid=\2A\29\28uid=\2A)"', log)
        self.assertNotIn('filter="(uid=ali*)"', log)

    def test_dn(self):
        """%s in the base DN: each name its own entry or none"""
        self.check_names(url(self.ds, base="uid=%s," + MAILBOX,
                             scope="base",
                             filt="(objectClass=perditionPopmap)"))


class Bind(LdapCase):
    """bindname and x-bindpw: a simple bind; the password never logged."""

    tap_parallel = 3

    def test_bind_good(self):
        """the right password reads the entry only a bind can see"""
        opt = url(self.ds, base="ou=private,dc=nodomain", ext=bind_ext())
        p = self.ldap_proxy("-U", "-d", opt=opt)
        self.assert_mailbox(p, "alice", self.dc.users["carol"], "carol")
        p.send_signal(signal.SIGHUP)
        p.wait_log(r"Reloading map library")
        self.assert_mailbox(p, "alice", self.dc.users["carol"], "carol")
        for text in (p.log(), p.stderr(), p.stdout()):
            self.assertNotIn(slapd.BINDPW, text)
        self.assertEqual(self.lib_lines(p), [])

    def test_bind_critical_ext(self):
        """'!bindname': critical and supported, so it works"""
        opt = url(self.ds, base="ou=private,dc=nodomain",
                  ext=bind_ext(crit="!"))
        p = self.ldap_proxy("-U", opt=opt)
        self.assert_mailbox(p, "alice", self.dc.users["carol"], "carol")

    def test_bind_bad_password(self):
        """a wrong password: one line, then the -s server or failed:"""
        wrong = "Wr0ng-Bind-pw-31"
        opt = url(self.ds, base="ou=private,dc=nodomain",
                  ext=bind_ext(wrong))
        p1 = self.ldap_proxy("-U", "-d", opt=opt, backend=self.dc.pop3_port)
        p2 = self.ldap_proxy("-U", opt=opt, backend=None)
        parallel(lambda: self.assert_mailbox(p1, "alice",
                                             self.dc.users["alice"], "alice"),
                 lambda: self.assert_refused(p2, "alice", "x",
                                             "Could not determine server"))
        for p in (p1, p2):
            self.one_error(p, r'bind as "cn=perdition,dc=nodomain" on '
                           r'ldap://127\.0\.0\.1:\d+ failed: Invalid '
                           r'credentials')
            for text in (p.log(), p.stderr(), p.stdout()):
                self.assertNotIn(wrong, text)


class Failures(LdapCase):
    """Broken directories: one log line, then the default server."""

    tap_parallel = 6

    def test_server_down(self):
        """nothing listens: -s server used, else a clean failed: reply"""
        opt = url(self.ds, host="ldap://127.0.0.1:%d" % util.free_port())
        p1 = self.ldap_proxy(opt=opt, backend=self.dc.pop3_port)
        p2 = self.ldap_proxy(opt=opt, backend=None)
        parallel(lambda: self.assert_mailbox(p1, "alice",
                                             self.dc.users["alice"], "alice"),
                 lambda: self.assert_refused(p2, "alice", "x",
                                             "Could not determine server"))
        for p in (p1, p2):
            self.one_error(p, r"search on ldap://127\.0\.0\.1:\d+ failed: "
                           r"Can't contact LDAP server")
            self.assertTrue(p.running())

    def silent(self, scheme):
        s = SilentServer(accept=True)
        self.addCleanup(s.close)
        opt = url(self.ds, host="%s://127.0.0.1:%d" % (scheme, s.port))
        p = self.ldap_proxy(opt=opt, backend=self.dc.pop3_port)
        t0 = time.monotonic()
        c = p.connect(timeout=30)
        self.addCleanup(c.close)
        self.assertRegex(c.readline(), POP3_GREETING)
        r = c.pop3_login("alice", self.dc.users["alice"])
        self.assertTrue(r.startswith("+OK"), r)
        # The lookup gave up after 10 s; the default server took over.
        self.assertLess(time.monotonic() - t0, 14)
        self.assertIn(b"Hello alice.", retr1(c))
        self.one_error(p, r"search on %s://127\.0\.0\.1:\d+ failed: (no answer "
                       r"within 10 seconds|Timed out)" % scheme)

    def test_silent_server(self):
        """an ldap:// server that never answers: the login goes on
        within about 10 s"""
        self.silent("ldap")

    def test_silent_server_ldaps(self):
        """the same over ldaps:// (libldap alone would wait for ever)"""
        self.silent("ldaps")

    def test_ldaps(self):
        """ldaps:// with the test CA routes; without it the server's
        certificate is refused: one line, default server"""
        opt = url(self.ds, ldaps=True)
        p1 = self.ldap_proxy("-U", opt=opt)
        p2 = self.ldap_proxy("-U", opt=opt, backend=self.dc.pop3_port,
                             env={"LDAPTLS_CACERT": "/dev/null"})
        self.assert_mailbox(p1, "dan", self.dc.users["carol"], "carol")
        self.assert_mailbox(p2, "alice", self.dc.users["alice"], "alice")
        self.one_error(p2, r"search on ldaps://127\.0\.0\.1:\d+ failed: "
                       r"Can't contact LDAP server")
        # slapd saw the TLS connection of p1.
        self.assertRegex(self.ds.log(), r"TLS established")

    def test_several_matches(self):
        """a filter that matches two entries: the first, a warning line,
        no crash (2.2 crashed)"""
        opt = url(self.ds, base="ou=dups,dc=nodomain",
                  filt="(objectClass=perditionPopmap)")
        p = self.ldap_proxy("-U", opt=opt)
        self.assert_mailbox(p, "anyone", self.dc.users["alice"], "alice")
        self.one_error(p, r'several entries match "\(objectClass='
                       r'perditionPopmap\)"; using the first, '
                       r'"uid=dup[ab],ou=dups,dc=nodomain"')
        self.assertTrue(p.running())

    def test_bad_option_string(self):
        """a bad map_library_opt stops the start with a clear line"""
        cases = [(url(self.ds, version="4:"),
                  r'LDAP version "4" is out of range \(2 to 3\)'),
                 ("http://example.com/", r"not an LDAP URL"),
                 (url(self.ds, attrs=""), r"the URL names no attributes"),
                 (url(self.ds, ext="!x-secret=Zz9-secret"),
                  r'critical extension "x-secret" is not supported'),
                 (url(self.ds, ext="x-bindpw=Zz9-secret"),
                  r"x-bindpw given without bindname"),
                 (url(self.ds, attrs="username,%s"),
                  r"%s may only stand in the base DN and the filter"),
                 (url(self.ds, filt="(uid=%2000s)"), r"bad %s in the URL")]
        for opt, pattern in cases:
            p = self.ldap_proxy(opt=opt, start=False)
            p.start(wait=False)
            self.assertNotEqual(p.wait_exit(10), 0, opt)
            text = p.log() + p.stderr()
            self.assertRegex(text, LIBNAME + ": " + pattern)
            self.assertNotIn("Zz9-secret", text)


class Compat22(MapCompatCase):
    """Two-way ABI: Debian's 2.2 library in our daemon (it calls our
    user_server_port_* helpers, D-14), ours in 2.2's daemon."""

    # One at a time: the first test may fetch and unpack Debian's
    # packages into a cache that two threads would race for.
    tap_parallel = 1

    map_name = "ldap"
    server_available = staticmethod(slapd.available)

    def setUp(self):
        super().setUp()
        self.ds = directory()

    def check(self, p):
        # frank: only the first attribute, split by user_server_port_*.
        self.assert_routes(p, [("alice", "alice"), ("dan", "carol"),
                               ("frank", "carol"), ("bob", "bob")])

    def test_debian_library_in_ours(self):
        """Debian's libperditiondb_ldap.so.0 routes in our daemon"""
        lib = self.deb(LIBDIR, "libperditiondb_ldap.so.0")
        p = self.proxy("-m", url(self.ds), "-U", map_library=lib,
                       backend=dead_server())
        self.check(p)

    def test_ours_in_22(self):
        """perdition 2.2 loads our ldap library and routes"""
        self.ours("ldap")
        p = self.perdition22("-m", url(self.ds), "-U",
                             map_library=ldap_library())
        self.check(p)


class Makedb(LdapCase):
    """perditiondb_ldap_makedb against the private slapd."""

    tap_parallel = 2

    def run_makedb(self, args, stdin="", env=None):
        if not shutil.which("ldapadd"):
            self.skipTest("ldapadd (ldap-utils) not installed")
        e = dict(os.environ, **self.ds.tls_env())
        e.update(env or {})
        return run_makedb("ldap", args, e, stdin)

    def test_batch_from_popmap(self):
        """--batch -f: one entry per popmap line, and they route"""
        dc = self.dovecot()
        popmap = ("mia:carol@127.0.0.1:%d\nbob:127.0.0.1:%d\n"
                  "o'hara:bob@127.0.0.1:%d\n" % ((dc.pop3_port,) * 3))
        base = "ou=made,dc=nodomain"
        r = self.run_makedb(["--batch", "-H", self.ds.url, "-b", base,
                             "-f", "-"], stdin=popmap,
                            env={"PERDITIONDB_LDAP_BINDDN": slapd.ROOTDN,
                                 "PERDITIONDB_LDAP_BINDPW": slapd.ROOTPW})
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn(slapd.ROOTPW, r.stdout + r.stderr)
        p = self.ldap_proxy("-U", opt=url(self.ds, base=base))
        self.assert_mailbox(p, "mia", dc.users["carol"], "carol")
        self.assert_mailbox(p, "bob", dc.users["bob"], "bob")
        self.assert_mailbox(p, wire("o'hara"), dc.users["bob"], "bob")
        # The container exists now: a second run adds to it.
        r = self.run_makedb(["--batch", "-H", self.ds.url, "-b", base,
                             "-D", slapd.ROOTDN, "-w", slapd.ROOTPW,
                             "-f", "-"],
                            stdin="carol:127.0.0.1:%d\n" % dc.pop3_port)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("exists already", r.stdout)
        self.assert_mailbox(p, "carol", dc.users["carol"], "carol")

    def test_interactive(self):
        """as 2.2's: asks about the schema, the bind DN and password,
        then adds the container and the sample entry (horms)"""
        base = "ou=asked,dc=nodomain"
        r = self.run_makedb(["-H", self.ds.url, "-b", base],
                            stdin="y\n%s\n%s\n" % (slapd.ROOTDN,
                                                   slapd.ROOTPW))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        out = self.ds.search(base, "sub", "(uid=horms)")
        self.assertIsNotNone(out)
        self.assertIn("mailhost: localhost", out)
        self.assertIn("port: 110", out)
        self.assertIn("objectClass: perditionPopmap", out)
        # "n" to the schema question: nothing is done.
        r = self.run_makedb(["-H", self.ds.url, "-b", "ou=no,dc=nodomain"],
                            stdin="n\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIsNone(self.ds.search("ou=no,dc=nodomain", "base"))

    def test_errors(self):
        """bad input and bad credentials: non-zero, a clear message"""
        r = self.run_makedb(["--batch", "-p", "-f", "-"],
                            stdin="good:host\nbad line\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("invalid input on line 2", r.stderr)
        r = self.run_makedb(["--batch", "-H", self.ds.url, "-w", "nope",
                             "-b", "ou=never,dc=nodomain"])
        self.assertEqual(r.returncode, 1)
        self.assertIn("Invalid credentials", r.stderr)
        r = self.run_makedb(["--batch", "-H", self.ds.url, "-b",
                             "ou=never,dc=nodomain"],
                            env={"PERDITIONDB_LDAP_BINDPW": ""})
        self.assertEqual(r.returncode, 1)
        self.assertIn("no password", r.stderr)


class Schema(LdapCase):
    """perdition.schema and perdition.ldif: 2.2's names and OIDs."""

    def test_schema_files(self):
        """slaptest takes perdition.schema; both files define the same
        names with 2.2's OIDs (the running slapd proved the .ldif)"""
        src = os.path.join(util.TOP_SRCDIR, "perditiondb", "ldap")
        want = {"1.3.6.1.4.1.12856.10.10": "username",
                "1.3.6.1.4.1.12856.10.11": "mailhost",
                "1.3.6.1.4.1.12856.10.12": "port",
                "1.3.6.1.4.1.12856.10.100": "perditionPopmap"}
        for name in ("perdition.schema", "perdition.ldif"):
            text = util.read_file(os.path.join(src, name))
            got = dict(re.findall(r"\(\s*([0-9.]+)\s+NAME\s+'(\w+)'", text))
            self.assertEqual(got, want, name)
        slaptest = "/usr/sbin/slaptest"
        if not os.access(slaptest, os.X_OK):
            self.skipTest("slaptest not installed")
        d = util.make_tempdir("pdtest-slaptest-")
        conf = os.path.join(d, "slapd.conf")
        with open(conf, "w") as f:
            for s in ("core", "cosine", "inetorgperson", "nis"):
                f.write("include %s/%s.schema\n" % (slapd.SCHEMA_DIR, s))
            f.write("include %s/perdition.schema\n" % src)
            f.write("modulepath %s\nmoduleload back_mdb\n"
                    "database mdb\nsuffix dc=nodomain\ndirectory %s\n"
                    % (slapd.MODULE_DIR, d))
        r = subprocess.run([slaptest, "-u", "-f", conf], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # A directory the search sees: the objectClass is known.
        out = self.ds.search(MAILBOX, "one", "(objectClass=perditionPopmap)",
                             "uid")
        self.assertIn("uid: alice", out)


if __name__ == "__main__":
    tap.main()
