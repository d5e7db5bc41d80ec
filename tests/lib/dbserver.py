# dbserver.py: what the private database servers of the tests share.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""The process handling of tests/lib/mariadb.py, pgsql.py and slapd.py:
one server process in a temporary directory, started and waited for
within a bound, stopped by its pid, and one server shared by a test
process, started on first use (a few tries: a free port may be taken
before the server binds it) and stopped at exit.

    class MyServer(dbserver.DbServer):
        name = "myd"                   # in messages
        stop_timeout = 10.0            # SIGTERM (stop_signal), then SIGKILL

        def start(self, timeout=30.0):
            ...                        # set self.dir, self.log_path first
            self.spawn(argv, open(self.log_path, "wb"))
            return self.wait_started([self.port], self._ready, timeout,
                                     "myd to answer")

    _shared = dbserver.Shared(available, MyServer)
    def shared():
        return _shared.get()           # unittest.SkipTest when missing
"""

import atexit
import shutil
import signal
import subprocess
import threading
import unittest

import util


class DbServer:
    """One server process: self.dir (its temporary directory, the cwd),
    self.log_path (its log) and self.proc (None when not running)."""

    #: The server's name in messages ("mariadbd did not start: ...").
    name = "server"
    #: How long stop() waits after stop_signal before SIGKILL.
    stop_timeout = 10.0
    stop_signal = signal.SIGTERM

    proc = None
    dir = None
    log_path = None

    def spawn(self, argv, out, preexec_fn=None):
        """Start argv in self.dir, stdout and stderr to the file out
        (closed here), registered with util so that it never outlives
        the tests."""
        self.proc = subprocess.Popen(
            argv, cwd=self.dir, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, preexec_fn=preexec_fn)
        out.close()
        util.register_process(self.proc)

    def wait_started(self, ports, ready, timeout, what):
        """Wait (bounded) until each of ports listens and ready() (if not
        None) is true, then run self.started(); returns self.  On any
        failure stops the server and raises RuntimeError with the end of
        its log."""
        try:
            for port in ports:
                util.wait_listening(port, timeout, self.proc)
            if ready is not None:
                util.wait_until(ready, timeout, interval=0.2, what=what)
            self.started()
        except Exception as e:
            self.stop()
            raise RuntimeError("%s did not start: %s\n%s" % (
                self.name, e, self.log()[-3000:]))
        return self

    def started(self):
        """What to do once the server answers (in wait_started's bound
        and error handling): nothing unless a subclass says so."""

    def check_running(self):
        """Raise RuntimeError when the server has exited (for ready())."""
        if self.proc.poll() is not None:
            raise RuntimeError("%s exited with %s"
                               % (self.name, self.proc.returncode))

    def stop(self):
        """Stop the server by its pid (stop_signal, SIGKILL after
        stop_timeout)."""
        if self.proc is not None:
            util.stop_process(self.proc, timeout=self.stop_timeout,
                              sig=self.stop_signal)
            self.proc = None

    def log(self):
        """Text of the server's log."""
        return util.read_file(self.log_path)


class Shared:
    """The process-wide server of one kind: get() starts it on first use
    (make(*args).start(), up to three tries, each failed try's directory
    removed) and returns it; raises unittest.SkipTest with the reason
    when available() says (False, why).  keep_error: after the third
    failure every later get() fails at once.  stop_at_exit: stopped by an
    atexit handler registered now, so after util's and run before them
    (atexit is LIFO), while its directory is still there."""

    def __init__(self, available, make, keep_error=True, stop_at_exit=True):
        self.available = available
        self.make = make
        self.keep_error = keep_error
        self.server = None
        self.error = None
        # tap_parallel runs setUp in threads: without the lock each could
        # start its own server.
        self.lock = threading.Lock()
        if stop_at_exit:
            atexit.register(self.stop)

    def get(self, *args):
        ok, why = self.available()
        if not ok:
            raise unittest.SkipTest(why)
        with self.lock:
            if self.error is not None:
                raise RuntimeError(self.error)
            for attempt in range(3):
                if self.server is not None:
                    break
                srv = self.make(*args)
                try:
                    self.server = srv.start()
                except RuntimeError as e:
                    # Most likely the port was taken between picking and
                    # binding; a third failure is real.
                    shutil.rmtree(srv.dir, ignore_errors=True)
                    if attempt == 2:
                        if self.keep_error:
                            self.error = str(e)
                        raise
        return self.server

    def stop(self):
        if self.server is not None:
            self.server.stop()
