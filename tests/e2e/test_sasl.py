# test_sasl.py: SASL PLAIN on every protocol (issue 14 points 1-4):
# IMAP AUTHENTICATE PLAIN, POP3 AUTH PLAIN, ManageSieve's empty
# challenge, and the IMAP back-end login by AUTHENTICATE PLAIN.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""SASL PLAIN through perdition to the private Dovecot with real clients
(imaplib, poplib, curl, sieve-connect) and raw sockets for every refusal;
the back-end AUTHENTICATE against a scripted fake server."""

import base64
import imaplib
import os
import poplib
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403


def plain(authz, authc, pw):
    """The base64 SASL PLAIN message authzid NUL authcid NUL passwd."""
    raw = ("%s\0%s\0%s" % (authz, authc, pw)).encode("latin-1")
    return base64.b64encode(raw).decode()


def sieve_greeting(c):
    """Read ManageSieve capability lines up to the OK line."""
    while True:
        line = c.readline()
        if not line.startswith('"'):
            return line


def auth_line(authz, authc, protocol, status="ok"):
    """A pattern for the Auth line of a login."""
    z = "NONE" if authz is None else '"%s"' % re.escape(authz)
    return (r'Auth: \S+ client-secure=plaintext authorisation_id=%s '
            r'authentication_id="%s" server="[^"]*" protocol=%s '
            r'server-secure=plaintext status="%s"'
            % (z, re.escape(authc), protocol, re.escape(status)))


SO_IN = 'OK "You are so in"'


class ManageSieve(PerditionTestCase):
    """AUTHENTICATE "PLAIN" with an empty challenge (point 3)."""

    tap_parallel = 6

    @classmethod
    def setUpClass(cls):
        dovecot.shared()

    def setUp(self):
        self.p = self.proxy(backend=self.dovecot().sieve_port,
                            protocol="managesieve")
        self.c = self.client(self.p, greeting=False)
        sieve_greeting(self.c)

    def test_continuation_quoted(self):
        """empty challenge "" then a quoted response logs in"""
        self.assertEqual(self.c.cmd('AUTHENTICATE "PLAIN"'), '""')
        self.assertEqual(self.c.cmd('"%s"' % plain("", "alice", "alicepw")),
                         SO_IN)
        self.assertLogMatches(self.p, auth_line(None, "alice", "MANAGESIEVE"))

    def test_continuation_literal(self):
        """empty challenge then a {n+} literal response logs in"""
        b = plain("", "bob", "good pass")
        self.assertEqual(self.c.cmd('AUTHENTICATE "PLAIN"'), '""')
        self.c.send("{%d+}\r\n%s\r\n" % (len(b), b))
        self.assertEqual(self.c.readline(), SO_IN)

    def test_continuation_authzid(self):
        """the authorisation id is logged as today"""
        self.assertEqual(self.c.cmd('AUTHENTICATE "PLAIN"'), '""')
        self.assertEqual(self.c.cmd('"%s"' % plain("alice", "alice",
                                                   "alicepw")), SO_IN)
        self.assertLogMatches(self.p, auth_line("alice", "alice",
                                                "MANAGESIEVE"))

    def test_cancel(self):
        """"*" cancels: NO, and the session goes on"""
        self.assertEqual(self.c.cmd('AUTHENTICATE "PLAIN"'), '""')
        self.assertEqual(self.c.cmd('"*"'),
                         'NO "Authentication cancelled, mate"')
        self.assertEqual(self.c.cmd("NOOP"), 'OK "NOOP completed, mate"')

    def test_bad_response(self):
        """an atom, two strings or bad base64 are refused clearly"""
        for line, want in (
                ("AGJvYgBwdw==",
                 'NO "Expected one string as the SASL response, mate"'),
                ('"a" "b"',
                 'NO "Expected one string as the SASL response, mate"'),
                ('"!!!!"', 'NO "Invalid base64 encoded challenge, mate"'),
                ('"AGJvYgBwdw"', 'NO "Invalid base64 encoded challenge, mate"')):
            self.assertEqual(self.c.cmd('AUTHENTICATE "PLAIN"'), '""')
            self.assertEqual(self.c.cmd(line, timeout=10), want)
        self.assertEqual(self.c.cmd("NOOP"), 'OK "NOOP completed, mate"')

    def test_wrong_password(self):
        """a wrong password in the continuation fails as a login does"""
        self.assertEqual(self.c.cmd('AUTHENTICATE "PLAIN"'), '""')
        self.assertEqual(self.c.cmd('"%s"' % plain("", "alice", "nope"),
                                    timeout=15),
                         'NO "failed: Re-Authentication Failure"')
        self.assertLogMatches(self.p, auth_line(
            None, "alice", "MANAGESIEVE",
            "failed: Re-Authentication Failure"))


if __name__ == "__main__":
    tap.main()
