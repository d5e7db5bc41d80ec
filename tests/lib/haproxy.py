# haproxy.py: a private HAProxy in front of perdition (PROXY protocol tests).
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Start /usr/sbin/haproxy in the foreground (-db) on a free loopback port,
in `mode tcp`, with one server (perdition) that gets `send-proxy` (v1) or
`send-proxy-v2` (v2); optionally health checks (`check`, `option
tcp-check`, which with send-proxy-v2 send LOCAL headers).  Stopped by pid.

    h = HAProxy(perdition_port, version=2, check=True).start()
    c = h.connect(source="127.0.0.2")      # the client's address
    h.server_status()                      # "UP" once checks passed
    h.stop()
"""

import os
import socket
import subprocess

import util
from client import Client

HAPROXY = "/usr/sbin/haproxy"

CONFIG = """global
    maxconn 64
    stats socket %(stats)s mode 600 level user
defaults
    mode tcp
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout check 2s
frontend fe
    bind 127.0.0.1:%(port)d
    default_backend be
backend be
%(options)s    server perdition 127.0.0.1:%(backend)d %(send)s%(check)s
"""


def available():
    """True when the HAProxy binary is installed."""
    return os.access(HAPROXY, os.X_OK)


class HAProxy:
    """One HAProxy process.

    backend: perdition's port.  version: 1 (send-proxy) or 2
    (send-proxy-v2).  check: health checks every 200 ms, expecting the
    greeting's first bytes when `expect` is given (else connect only).
    """

    def __init__(self, backend, version=2, check=False, expect=None):
        self.dir = util.make_tempdir("pdtest-haproxy-", True)
        self.port = util.free_port()
        self.stats_path = os.path.join(self.dir, "stats.sock")
        self.cfg_path = os.path.join(self.dir, "haproxy.cfg")
        self.err_path = os.path.join(self.dir, "stderr")
        self.proc = None
        options = ""
        if check:
            options = "    option tcp-check\n"
            if expect:
                options += "    tcp-check expect string %s\n" % expect
        with open(self.cfg_path, "w") as f:
            f.write(CONFIG % {
                "stats": self.stats_path, "port": self.port,
                "backend": backend, "options": options,
                "send": "send-proxy" if version == 1 else "send-proxy-v2",
                "check": " check inter 200ms" if check else ""})

    def start(self, timeout=10.0):
        """Start in the foreground; wait (bounded) until it listens."""
        err = open(self.err_path, "wb")
        self.proc = subprocess.Popen([HAPROXY, "-db", "-f", self.cfg_path],
                                     stdin=subprocess.DEVNULL,
                                     stdout=err, stderr=err)
        err.close()
        util.register_process(self.proc)
        try:
            util.wait_listening(self.port, timeout, self.proc)
        except Exception as e:
            self.stop()
            raise RuntimeError("haproxy did not start: %s\n%s"
                               % (e, util.read_file(self.err_path)))
        return self

    def stop(self):
        """Stop by pid; the exit status."""
        return util.stop_process(self.proc, 5.0)

    def connect(self, source="127.0.0.2", timeout=10.0):
        """A Client connected to HAProxy from the given source address."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout,
                                     source_address=(source, 0))
        return Client(s, timeout)

    def server_status(self):
        """The server's status from the stats socket ("UP", "DOWN", ...),
        or "" when it cannot be read."""
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(5)
            s.connect(self.stats_path)
            s.sendall(b"show stat\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            s.close()
        except OSError:
            return ""
        lines = data.decode("latin-1").splitlines()
        if not lines:
            return ""
        head = lines[0].lstrip("# ").split(",")
        for line in lines[1:]:
            row = dict(zip(head, line.split(",")))
            if row.get("svname") == "perdition":
                return row.get("status", "")
        return ""

    def stderr(self):
        """What HAProxy wrote."""
        return util.read_file(self.err_path)
