# dovecot.py: a private, throwaway Dovecot for the end-to-end tests.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""A private Dovecot: own config, base_dir, state_dir and log in a temp
dir; IMAP, POP3 and ManageSieve on free loopback ports; passwd-file users
with plaintext passwords; maildirs pre-filled with known messages.

Usage::

    dc = dovecot.shared()          # one per test process, stopped at exit
    dc.pop3_port, dc.imap_port, dc.sieve_port
    dc.message("alice", 2)         # exact bytes of alice's 2nd message

Works as root (service and mail users become unprivileged system users,
Dovecot refuses UID 0 for mail) and as an ordinary user (everything runs
as that user, no chroots).
"""

import base64
import grp
import os
import pwd
import random
import shutil
import subprocess
import threading

import util

#: Test users and their plaintext passwords.
USERS = {
    "alice": "alicepw",
    "bob": "good pass",
    "carol": "carolpw",
}


def _small_message(user):
    return ("From: Carol Example <carol@example.com>\r\n"
            "To: %s@example.com\r\n"
            "Subject: small test message\r\n"
            "Date: Mon, 24 Nov 2025 04:00:00 +0000\r\n"
            "Message-ID: <small-%s@example.com>\r\n"
            "\r\n"
            "Hello %s.\r\n"
            "This is the small message.\r\n" % (user, user, user)).encode()


def _big_message():
    # 5 MB of base64 text from a seeded generator: the same bytes on
    # every run, no line starting with "." (so no dot-stuffing).
    rnd = random.Random(20260101)
    raw = rnd.randbytes(3_932_160)
    body = base64.encodebytes(raw).replace(b"\n", b"\r\n")
    head = (b"From: Big Sender <big@example.com>\r\n"
            b"To: alice@example.com\r\n"
            b"Subject: five megabytes\r\n"
            b"Date: Mon, 24 Nov 2025 04:01:00 +0000\r\n"
            b"Message-ID: <big@example.com>\r\n"
            b"MIME-Version: 1.0\r\n"
            b"Content-Type: application/octet-stream\r\n"
            b"Content-Transfer-Encoding: base64\r\n"
            b"\r\n")
    return head + body


_BIG = None


def big_message():
    """The 5 MB message (bytes, CRLF lines), built once per process."""
    global _BIG
    if _BIG is None:
        _BIG = _big_message()
    return _BIG


def messages_for(user):
    """List of the messages (bytes) in user's INBOX, in UID order:
    alice has the small one then the 5 MB one; others the small one."""
    if user == "alice":
        return [_small_message(user), big_message()]
    return [_small_message(user)]


def _ids_for_root():
    """(login user, internal user, mail uid, mail gid) when run as root."""
    def user_or(name, fallback):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            return fallback
    login = user_or("dovenull", "nobody")
    internal = user_or("dovecot", "nobody")
    pw = pwd.getpwnam("nobody")
    return login, internal, pw.pw_uid, pw.pw_gid


class Dovecot:
    """One private Dovecot instance.  start() is bounded; stop() sends
    SIGTERM to the master's pid (SIGKILL after a bound)."""

    def __init__(self, protocols=("imap", "pop3", "sieve"), ssl=None,
                 trusted_networks="", extra_conf=""):
        self.protocols = protocols
        # trusted_networks: login_trusted_networks (a proxy there may
        # forward the client's address: IMAP ID x-originating-ip, POP3
        # and ManageSieve XCLIENT); extra_conf: lines appended to the
        # config (e.g. "imap_id_log = *").
        self.trusted_networks = trusted_networks
        self.extra_conf = extra_conf
        # ssl: None (plaintext only, the default) or (cert_path, key_path):
        # then STARTTLS/STLS on the plain ports and imaps/pop3s listeners
        # on imaps_port/pop3s_port.
        self.ssl = ssl
        self.imaps_port = util.free_port() if ssl else 0
        self.pop3s_port = util.free_port() if ssl else 0
        self.dir = util.make_tempdir("pdtest-dovecot-", world_readable=True)
        self.conf = os.path.join(self.dir, "dovecot.conf")
        self.log_path = os.path.join(self.dir, "dovecot.log")
        self.imap_port = util.free_port()
        self.pop3_port = util.free_port()
        self.sieve_port = util.free_port()
        self.proc = None
        self.users = dict(USERS)

    def message(self, user, n):
        """Exact bytes of user's message number n (1-based)."""
        return messages_for(user)[n - 1]

    def _write_mail(self, uid, gid):
        home_root = os.path.join(self.dir, "home")
        os.mkdir(home_root)
        for user in self.users:
            home = os.path.join(home_root, user)
            md = os.path.join(home, "Maildir")
            for sub in ("cur", "new", "tmp"):
                os.makedirs(os.path.join(md, sub))
            for i, msg in enumerate(messages_for(user), 1):
                name = "%d.M%dP1.pdtest,S=%d:2,S" % (1700000000 + i, i,
                                                    len(msg))
                with open(os.path.join(md, "cur", name), "wb") as f:
                    f.write(msg)
            for dirpath, dirnames, filenames in os.walk(home):
                os.chown(dirpath, uid, gid)
                for fn in filenames:
                    os.chown(os.path.join(dirpath, fn), uid, gid)
            os.chmod(home, 0o700)
        return home_root

    def _write_config(self):
        group_line = ""
        if os.geteuid() == 0:
            login, internal, uid, gid = _ids_for_root()
        else:
            login = internal = util.current_user()
            uid, gid = os.geteuid(), os.getegid()
            # Unix listeners belong to this group; a non-root master can
            # only chown them to one of its own groups.
            group_line = "default_internal_group = %s\n" % \
                util.current_group()
        home_root = self._write_mail(uid, gid)
        passwd = os.path.join(self.dir, "passwd")
        with open(passwd, "w") as f:
            for user, pw in self.users.items():
                # nodelay/nopenalty: failed logins answer at once, else
                # Dovecot's growing per-IP penalty slows every test down.
                f.write("%s:{PLAIN}%s::::::nodelay nopenalty\n"
                        % (user, pw))
        os.chmod(passwd, 0o644)
        for d in ("run", "state"):
            os.mkdir(os.path.join(self.dir, d))
        conf = """\
# private Dovecot written by tests/lib/dovecot.py
protocols = %(protocols)s
listen = 127.0.0.1
base_dir = %(dir)s/run
state_dir = %(dir)s/state
instance_name = pdtest-%(imap)d
log_path = %(log)s
info_log_path = %(log)s
auth_verbose = yes
auth_failure_delay = 0
auth_mechanisms = plain login
disable_plaintext_auth = no
%(ssl_conf)s
login_trusted_networks = %(trusted)s
default_login_user = %(login)s
default_internal_user = %(internal)s
%(group_line)sfirst_valid_uid = 1
mail_uid = %(uid)d
mail_gid = %(gid)d
mail_location = maildir:~/Maildir
shutdown_clients = yes
passdb {
  driver = passwd-file
  args = scheme=PLAIN %(passwd)s
}
userdb {
  driver = static
  args = uid=%(uid)d gid=%(gid)d home=%(home)s/%%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %(imap)d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %(imaps)d
  }
}
service pop3-login {
  chroot =
  inet_listener pop3 {
    address = 127.0.0.1
    port = %(pop3)d
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = %(pop3s)d
  }
}
service managesieve-login {
  chroot =
  inet_listener sieve {
    address = 127.0.0.1
    port = %(sieve)d
  }
}
service anvil {
  chroot =
  # No auth penalty: tests fail logins on purpose, many from 127.0.0.1.
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
}
%(extra)s
""" % dict(trusted=self.trusted_networks, extra=self.extra_conf,
           protocols=" ".join(self.protocols), dir=self.dir,
           log=self.log_path, login=login, internal=internal, uid=uid,
           gid=gid, passwd=passwd, home=home_root, imap=self.imap_port,
           pop3=self.pop3_port, sieve=self.sieve_port,
           group_line=group_line, imaps=self.imaps_port,
           pop3s=self.pop3s_port, ssl_conf=self._ssl_conf())
        with open(self.conf, "w") as f:
            f.write(conf)

    def _ssl_conf(self):
        if not self.ssl:
            return "ssl = no"
        cert, key = self.ssl
        return ("ssl = yes\nssl_cert = <%s\nssl_key = <%s\n"
                "ssl_min_protocol = TLSv1.2" % (cert, key))

    def ports(self):
        """The ports of the enabled protocols (and imaps/pop3s with ssl)."""
        m = {"imap": self.imap_port, "pop3": self.pop3_port,
             "sieve": self.sieve_port}
        ports = [m[p] for p in self.protocols]
        if self.ssl:
            if "imap" in self.protocols:
                ports.append(self.imaps_port)
            if "pop3" in self.protocols:
                ports.append(self.pop3s_port)
        return ports

    def start(self, timeout=20.0):
        """Write config and mail, start `dovecot -F -c conf`, wait until
        every port listens.  Raises with the log's tail on failure."""
        self._write_config()
        out = open(os.path.join(self.dir, "dovecot.stdout"), "wb")
        self.proc = subprocess.Popen(
            ["dovecot", "-F", "-c", self.conf], stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT)
        out.close()
        util.register_process(self.proc)
        try:
            for port in self.ports():
                util.wait_listening(port, timeout, self.proc)
        except Exception as e:
            self.stop()
            raise RuntimeError("dovecot did not start: %s\n%s\n%s" % (
                e, util.read_file(os.path.join(self.dir, "dovecot.stdout")),
                util.read_file(self.log_path)[-3000:]))
        return self

    def stop(self):
        """Stop the master by its pid (children follow)."""
        if self.proc is not None:
            util.stop_process(self.proc, timeout=10.0)
            self.proc = None

    def log(self):
        """Text of Dovecot's log file."""
        return util.read_file(self.log_path)


_shared = None
# tap_parallel runs setUp in threads: without the lock each could start
# its own Dovecot.
_shared_lock = threading.Lock()


def shared():
    """The process-wide Dovecot, started on first use, stopped at exit."""
    global _shared
    with _shared_lock:
        for attempt in range(3):
            if _shared is not None:
                break
            try:
                _shared = Dovecot().start()
            except RuntimeError:
                # Most likely a port taken between picking and binding.
                if attempt == 2:
                    raise
    return _shared
