# proxy.py: run the perdition daemon under test.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Start $top_builddir/perdition in the foreground on a free loopback
port, read its log, stop it by pid.  Also run one inetd-mode session.

Typical use::

    p = Perdition(backend=dc.pop3_port).start()   # pure POP3 proxy
    c = p.connect(); c.readline()                  # greeting
    p.wait_log(r"Auth: .* status=\"ok\"")
    p.stop()

Defaults: --no_daemon, -f "" (no system config), -M "" (no map),
--pid_file "", -F <tmpdir>/perdition.log, -l <free port> -b 127.0.0.1,
-u/-g the current user and group.  Pass extra options in `args`.
"""

import os
import re
import signal
import socket
import subprocess
import time

import util
from client import Client

PROTO_NAMES = {"pop3": "perdition.pop3", "imap4": "perdition.imap4",
               "managesieve": "perdition.managesieve"}


def invocation(name, directory):
    """Path of a symlink called `name` to the daemon, made in directory
    (perdition picks its protocol from basename(argv[0]))."""
    if name == "perdition":
        return util.perdition_binary()
    link = os.path.join(directory, name)
    if not os.path.lexists(link):
        os.symlink(util.perdition_binary(), link)
    return link


class Perdition:
    """One daemon process.

    backend: port (int) or "host:port" for -s; None for no -s.
    name: invocation name (e.g. "perdition.imap4" selects IMAP).
    protocol: value for -P (alternative to name).
    log: "file" (default, -F <dir>/perdition.log), "+" or "-", or None
      to pass no -F.
    pid_file: False for --pid_file "", True for <dir>/run/<name>.pid, or a
      path.
    map_library: value for -M (default "" = pure proxy); None omits -M.
    config: text of a config file to pass with -f; None gives -f "".
    args: further options (list of str).
    """

    def __init__(self, args=(), backend=None, name="perdition",
                 protocol=None, log="file", pid_file=False, map_library="",
                 config=None, user=True, port=None, no_daemon=True,
                 env=None):
        self.dir = util.make_tempdir("pdtest-perdition-", True)
        self.auto_port = port is None
        self.port = port or util.free_port()
        self.name = name
        self.argv0 = invocation(name, self.dir)
        self.log_path = os.path.join(self.dir, "perdition.log")
        self.out_path = os.path.join(self.dir, "stdout")
        self.err_path = os.path.join(self.dir, "stderr")
        self.pid_path = None
        self.proc = None
        cmd = [self.argv0]
        if no_daemon:
            cmd.append("--no_daemon")
        if log == "file":
            cmd += ["-F", self.log_path]
        elif log is not None:
            cmd += ["-F", log]
        if config is None:
            cmd += ["-f", ""]
        else:
            path = os.path.join(self.dir, "perdition.conf")
            with open(path, "w") as f:
                f.write(config)
            cmd += ["-f", path]
        if pid_file is False:
            cmd += ["--pid_file", ""]
        else:
            if pid_file is True:
                pid_file = os.path.join(self.dir, "run", name + ".pid")
            self.pid_path = pid_file
            cmd += ["--pid_file", pid_file]
        if map_library is not None:
            cmd += ["-M", map_library]
        if backend is not None:
            if isinstance(backend, int):
                backend = "127.0.0.1:%d" % backend
            cmd += ["-s", backend]
        if protocol:
            cmd += ["-P", protocol]
        cmd += ["-l", str(self.port), "-b", "127.0.0.1"]
        if user:
            cmd += ["-u", util.current_user(), "-g", util.current_group()]
        cmd += list(args)
        self.cmd = cmd
        self.env = dict(os.environ, **(env or {}))
        self.env.setdefault("ASAN_OPTIONS", "detect_leaks=0")

    def start(self, wait=True, timeout=10.0):
        """Start the daemon; with wait, block (bounded) until it listens.
        If a port we picked was taken meanwhile (bind fails), pick another
        and try again (a few times)."""
        for attempt in range(4):
            try:
                return self._start(wait, timeout)
            except RuntimeError as e:
                if not (self.auto_port and "in use" in str(e)) or \
                        attempt == 3:
                    raise
                old = str(self.port)
                self.port = util.free_port()
                i = self.cmd.index("-l")
                if self.cmd[i + 1] == old:
                    self.cmd[i + 1] = str(self.port)
        return self

    def _start(self, wait, timeout):
        out = open(self.out_path, "wb")
        err = open(self.err_path, "wb")
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                     stdout=out, stderr=err, env=self.env)
        out.close()
        err.close()
        util.register_process(self.proc)
        if wait:
            try:
                util.wait_listening(self.port, timeout, self.proc)
            except Exception as e:
                self.stop()
                raise RuntimeError("%s\ncommand: %s\nstderr: %s\nlog: %s"
                                   % (e, self.cmd, self.stderr()[-2000:],
                                      self.log()[-2000:]))
        return self

    @property
    def pid(self):
        return self.proc.pid

    def running(self):
        """True while the daemon process is alive."""
        return self.proc is not None and self.proc.poll() is None

    def send_signal(self, sig):
        """Send a signal to the daemon's pid."""
        os.kill(self.proc.pid, sig)

    def stop(self, sig=signal.SIGTERM, timeout=5.0):
        """Stop by pid (sig, then SIGKILL after timeout); return status."""
        if self.proc is None:
            return None
        return util.stop_process(self.proc, timeout, sig)

    def wait_exit(self, timeout=10.0):
        """Wait (bounded) for the process to exit by itself; status."""
        return self.proc.wait(timeout)

    def connect(self, timeout=10.0):
        """A Client connected to the daemon's port."""
        return Client.connect(self.port, timeout=timeout)

    def log(self):
        """Text of the log file (-F file)."""
        return util.read_file(self.log_path)

    def stderr(self):
        """What the daemon wrote to stderr."""
        return util.read_file(self.err_path)

    def stdout(self):
        """What the daemon wrote to stdout."""
        return util.read_file(self.out_path)

    def wait_log(self, pattern, timeout=10.0, count=1, source=None):
        """Wait (bounded) until regex `pattern` matches `count` lines of
        the log (or of source(), e.g. self.stderr); return the matches."""
        rx = re.compile(pattern)
        source = source or self.log

        def found():
            ms = [m for m in (rx.search(l) for l in source().splitlines())
                  if m]
            return ms if len(ms) >= count else None
        try:
            return util.wait_until(found, timeout, what=pattern)
        except TimeoutError:
            raise AssertionError("log never matched %r (x%d); log:\n%s"
                                 % (pattern, count, source()[-3000:]))

    def sanitizer_errors(self):
        """ASan/UBSan report lines found on stderr/stdout/log."""
        return util.sanitizer_errors(self.stderr() + self.stdout() +
                                     self.log())


class InetdSession:
    """One inetd-mode session (-i): a real TCP connection whose server end
    becomes the daemon's stdin and stdout, so getpeername() works.
    .client is the Client end; .wait() gives the exit status."""

    def __init__(self, args=(), backend=None, name="perdition",
                 map_library="", log="file", config=None, stdin=None,
                 env=None, user=True):
        self.dir = util.make_tempdir("pdtest-inetd-", True)
        self.argv0 = invocation(name, self.dir)
        self.log_path = os.path.join(self.dir, "perdition.log")
        self.err_path = os.path.join(self.dir, "stderr")
        cmd = [self.argv0, "-i"]
        if log == "file":
            cmd += ["-F", self.log_path]
        elif log is not None:
            cmd += ["-F", log]
        cmd += ["-f", ""] if config is None else ["-f", config]
        if map_library is not None:
            cmd += ["-M", map_library]
        if backend is not None:
            if isinstance(backend, int):
                backend = "127.0.0.1:%d" % backend
            cmd += ["-s", backend]
        if user:
            cmd += ["-u", util.current_user(), "-g", util.current_group()]
        cmd += list(args)
        self.cmd = cmd
        self.env = dict(os.environ, **(env or {}))
        self.env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
        self.stdin = stdin
        self.client = None
        self.proc = None

    def start(self):
        """Connect a TCP pair on loopback and start the daemon on it (or on
        the given stdin file object when one was passed)."""
        err = open(self.err_path, "wb")
        if self.stdin is not None:
            self.proc = subprocess.Popen(self.cmd, stdin=self.stdin,
                                         stdout=subprocess.PIPE, stderr=err,
                                         env=self.env)
        else:
            ls = socket.socket()
            ls.bind(("127.0.0.1", 0))
            ls.listen(1)
            ls.settimeout(10)
            csock = socket.create_connection(ls.getsockname(), 10)
            ssock, _ = ls.accept()
            ls.close()
            self.proc = subprocess.Popen(self.cmd, stdin=ssock, stdout=ssock,
                                         stderr=err, env=self.env)
            ssock.close()
            self.client = Client(csock)
        err.close()
        util.register_process(self.proc)
        return self

    def wait(self, timeout=10.0):
        """Exit status of the session process (bounded wait)."""
        return self.proc.wait(timeout)

    def stop(self):
        """Stop the session process by pid if it still runs."""
        if self.client:
            self.client.close()
        return util.stop_process(self.proc, 3.0)

    def log(self):
        """Text of the session's log file."""
        return util.read_file(self.log_path)

    def stderr(self):
        """What the session wrote to stderr."""
        return util.read_file(self.err_path)

    def sanitizer_errors(self):
        """ASan/UBSan report lines found on stderr or in the log."""
        return util.sanitizer_errors(self.stderr() + self.log())
