# test_cli.py: command line of the daemon (SPEC 2.1, 2.2, D-1, D-15).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""--help, --version, usage errors, trailing arguments and the protocol
chosen by the invocation name."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from harness import *  # noqa: E402,F403


def option_names():
    """Long option names of the ONE option table (src/options.h)."""
    text = util.read_file(os.path.join(util.TOP_SRCDIR, "src", "options.h"))
    return re.findall(r"^\s*X\(\w+, (\w+), ", text, re.M)


def run(args, argv0=None, timeout=10.0):
    """Run the daemon with args; returns CompletedProcess (text)."""
    exe = argv0 or util.perdition_binary()
    return subprocess.run([exe] + list(args), stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=timeout,
                          env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"),
                          errors="replace")


def usage_error(test, args, *needles):
    """args must exit 1 promptly, print one line to stderr naming every
    needle, and nothing to stdout (D-1)."""
    t0 = time.monotonic()
    r = run(args)
    took = time.monotonic() - t0
    test.assertEqual(r.returncode, 1, "%s: rc %d, stderr %r"
                     % (args, r.returncode, r.stderr))
    lines = r.stderr.strip("\n").splitlines()
    test.assertEqual(len(lines), 1, "want one line, got %r" % r.stderr)
    for n in needles:
        test.assertIn(n, lines[0])
    test.assertEqual(r.stdout, "")
    test.assertLess(took, 2.0, "usage error must be prompt")


class Help(PerditionTestCase):
    """--help and --version."""

    def test_help_exits_0(self):
        """--help prints usage to stdout and exits 0"""
        r = run(["--help"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("--help", r.stdout)
        self.assertEqual(r.stderr, "")

    def test_short_h(self):
        """-h is --help"""
        r = run(["-h"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, run(["--help"]).stdout)

    def test_help_lists_every_option(self):
        """--help names every option of the table"""
        names = option_names()
        self.assertGreater(len(names), 60)
        out = run(["--help"]).stdout
        missing = [n for n in names if "--" + n not in out]
        self.assertEqual(missing, [])

    def test_help_shows_short_letters(self):
        """--help shows the short letters (-s, -t, -P ...)"""
        out = run(["--help"]).stdout
        for letter in "AbCcDdeFfgIiLlMmnOopPqSstuU":
            self.assertRegex(out, r"(^|[\s,])-%s\b" % letter)

    def test_help_shows_defaults(self):
        """--help shows defaults, pop_capability as UIDL.USER (D-15)"""
        out = run(["--help"]).stdout
        for d in ("UIDL.USER", "1800", "You are so in", "IMAP4 IMAP4REV1",
                  "300"):
            self.assertIn(d, out)
        line = [l for l in out.splitlines() if "pop_capability" in l]
        self.assertTrue(line)
        block = out[out.index("--pop_capability"):][:400]
        self.assertIn("UIDL.USER", block)
        self.assertNotIn("IMAP4REV1", block.split("--", 2)[1])

    def test_version(self):
        """--version prints the name and a version, exits 0"""
        r = run(["--version"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"perdition.*\d+\.\d+")


class UsageErrors(PerditionTestCase):
    """One clear line on stderr and exit 1, at once (D-1)."""

    tap_parallel = 4

    def test_unknown_long_option(self):
        """unknown --bogus: one line naming it, exit 1"""
        usage_error(self, ["--bogus"], "bogus")

    def test_unknown_short_option(self):
        """unknown -j: one line naming it, exit 1"""
        usage_error(self, ["-j"], "j")

    def test_missing_argument(self):
        """-t with no argument"""
        usage_error(self, ["-t"], "t")

    def test_timeout_not_number(self):
        """-t abc: must be a positive integer"""
        usage_error(self, ["-t", "abc"], "timeout",
                    "must be a positive integer")

    def test_negative_number(self):
        """--authenticate_timeout -1 is rejected"""
        usage_error(self, ["--authenticate_timeout", "-1"],
                    "authenticate_timeout")

    def test_connection_limit_not_number(self):
        """-L 1x is rejected"""
        usage_error(self, ["-L", "1x"], "connection_limit")

    def test_unknown_protocol(self):
        """-P foo: Unknown protocol: "foo\""""
        usage_error(self, ["-P", "foo"], 'Unknown protocol: "foo"')

    def test_bad_log_passwd(self):
        """--log_passwd sometimes is rejected"""
        usage_error(self, ["--log_passwd", "sometimes"], "log_passwd")

    def test_relative_pid_file(self):
        """--pid_file relative: Invalid pid file"""
        usage_error(self, ["--pid_file", "relative"],
                    'Invalid pid file: "relative"')

    def test_trailing_argument(self):
        """trailing argument: X"""
        usage_error(self, ["-f", "", "extra"], "trailing argument: extra")

    def test_bad_state(self):
        """-S nowhere is rejected"""
        usage_error(self, ["-S", "nowhere"], "nowhere")

    def test_bad_ssl_mode(self):
        """--ssl_mode bogus is rejected"""
        usage_error(self, ["--ssl_mode", "bogus"], "ssl_mode")

    def test_ssl_mode_conflict(self):
        """--ssl_mode ssl_listen,tls_listen is rejected"""
        usage_error(self, ["--ssl_mode", "ssl_listen,tls_listen"],
                    "ssl_mode")

    def test_empty_min_proto(self):
        """--ssl_listen_min_proto_version "" is rejected"""
        usage_error(self, ["--ssl_listen_min_proto_version", ""],
                    "ssl_listen_min_proto_version")

    def test_passphrase_fd_and_file(self):
        """--ssl_passphrase_fd with --ssl_passphrase_file is rejected"""
        usage_error(self, ["--ssl_passphrase_fd", "3",
                           "--ssl_passphrase_file", "/nonexistent"],
                    "ssl_passphrase")

    def test_tlsv13_accepted(self):
        """tlsv1.3 is a valid protocol version (D-13)"""
        r = run(["--ssl_listen_min_proto_version", "tlsv1.3", "--help"])
        self.assertEqual(r.returncode, 0, r.stderr)


class InvocationName(PerditionTestCase):
    """basename(argv[0]) picks the protocol (SPEC 2.1)."""

    tap_parallel = 4

    def started_protocol(self, name, *args):
        """Protocol named in the debug startup log of `name`."""
        p = self.proxy("-d", *args, name=name, log="+", start=False)
        p.start(wait=False)
        m = p.wait_log(r"Starting perdition version=\S+ protocol=(\S+)",
                       source=p.stderr)
        return m[0].group(1)

    def greeting(self, **kw):
        p = self.proxy(**kw)
        c = self.client(p)
        return c.greeting

    def test_pop3_name(self):
        """perdition.pop3 serves POP3"""
        self.assertRegex(self.greeting(name="perdition.pop3"),
                         POP3_GREETING)

    def test_imap4_name(self):
        """perdition.imap4 serves IMAP4"""
        self.assertRegex(self.greeting(name="perdition.imap4"),
                         IMAP_GREETING)

    def test_unknown_name_is_pop3(self):
        """an unknown basename serves POP3"""
        self.assertRegex(self.greeting(name="mailproxy"), POP3_GREETING)

    def test_plain_name_is_pop3(self):
        """perdition serves POP3"""
        self.assertRegex(self.greeting(), POP3_GREETING)

    def test_protocol_option_lower_case(self):
        """-P imap4 (lower case) is accepted"""
        self.assertRegex(self.greeting(protocol="imap4"), IMAP_GREETING)

    def test_protocol_option_beats_name(self):
        """-P POP3 beats the name perdition.imap4"""
        self.assertRegex(self.greeting(name="perdition.imap4",
                                       protocol="POP3"), POP3_GREETING)

    def test_names_in_startup_log(self):
        """each invocation name's protocol in the debug startup log"""
        want = {"perdition.pop3": "POP3", "perdition.pop3s": "POP3S",
                "perdition.imap4": "IMAP4", "perdition.imap4s": "IMAP4S",
                "perdition.imaps": "IMAP4S",
                "perdition.managesieve": "MANAGESIEVE",
                "perdition": "POP3", "whatever": "POP3"}
        # --ssl_mode none: the SSL names need no certificate this way.
        got = {n: self.started_protocol(n, "--ssl_mode", "none")
               for n in want}
        self.assertEqual(got, want)


def hardened_in_conf():
    """[(option, value)] of etc/perdition.conf's Hardened example."""
    text = util.read_file(os.path.join(util.TOP_SRCDIR, "etc",
                                       "perdition.conf"))
    block = text.split("# Hardened example", 1)[1]
    return re.findall(r"^#(\w+) (\S+)$", block, re.M)


def hardened_in_readme():
    """[(option, value)] of README's Hardened example block."""
    text = util.read_file(os.path.join(util.TOP_SRCDIR, "README"))
    block = text.split("\nHardened - ", 1)[1].split("\n\n", 2)[1]
    return re.findall(r"^    (\w+) (\S+)", block, re.M)


class HardenedExample(PerditionTestCase):
    """The hardened example of perdition.conf and README (issue 15)."""

    def test_same_in_readme_and_conf(self):
        """README and perdition.conf show the same hardened numbers"""
        conf = hardened_in_conf()
        self.assertGreaterEqual(len(conf), 8)
        self.assertEqual(hardened_in_readme(), conf)

    def test_example_runs(self):
        """the hardened example, uncommented, serves a login"""
        conf = "".join("%s %s\n" % kv for kv in hardened_in_conf())
        p = self.imap_proxy("-d", config=conf)
        c = self.client(p)
        self.assertEqual(c.imap_cmd("a", "LOGIN alice alicepw")[1],
                         "a OK You are so in")
        # 2.2's startup line names only 2.2's options; the new ones
        # were accepted, or the daemon would not have started.
        self.assertLogMatches(p, r"authenticate_timeout=30, ")
        self.assertLogMatches(p, r"connection_limit=200, ")


if __name__ == "__main__":
    sys.exit(tap.main())
