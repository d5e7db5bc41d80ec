# util.py: paths, free ports, bounded waits and process helpers shared by
# the end-to-end tests.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Small helpers every fixture uses: where the tree is, free loopback
ports, bounded waits, temporary directories and stopping processes."""

import atexit
import grp
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

LIB_DIR = os.path.dirname(os.path.abspath(__file__))

#: Source tree (set by make check; else two levels above tests/lib).
TOP_SRCDIR = os.environ.get("top_srcdir") or \
    os.path.normpath(os.path.join(LIB_DIR, "..", ".."))
#: Build tree (set by make check; else build/ or the source tree).
TOP_BUILDDIR = os.environ.get("top_builddir") or next(
    (d for d in (os.path.join(TOP_SRCDIR, "build"), TOP_SRCDIR)
     if os.path.exists(os.path.join(d, "perdition"))),
    TOP_SRCDIR)


def perdition_binary():
    """Path of the freshly built daemon ($top_builddir/perdition)."""
    return os.path.join(TOP_BUILDDIR, "perdition")


def makegdbm_binary():
    """Path of the built makegdbm tool (may not exist)."""
    for p in (os.path.join(TOP_BUILDDIR, "makegdbm", "makegdbm"),
              os.path.join(TOP_BUILDDIR, "makegdbm")):
        if os.path.isfile(p):
            return p
    return os.path.join(TOP_BUILDDIR, "makegdbm", "makegdbm")


def current_user():
    """Name of the effective user (the one the daemon should run as)."""
    return pwd.getpwuid(os.geteuid()).pw_name


def current_group():
    """Name of the effective group."""
    return grp.getgrgid(os.getegid()).gr_name


_given_ports = set()
_port_lock = threading.Lock()


def _port_range():
    """Ports to hand out: below the kernel's ephemeral range, so that no
    outgoing connection's source port can take one before it is bound."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    if low < 12000:
        return None
    return (max(10000, low - 16000), low - 1)


def free_port():
    """A loopback TCP port that is free now and was not handed out before
    in this process.  Picked at random below the ephemeral range (see
    _port_range); a fixture that binds the port itself should prefer
    binding port 0."""
    rng = _port_range()
    with _port_lock:
        for _ in range(200):
            if rng:
                port = random.randint(*rng)
            else:
                s = socket.socket()
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
                s.close()
            if port in _given_ports:
                continue
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            finally:
                s.close()
            _given_ports.add(port)
            return port
    raise RuntimeError("no free port found")


def wait_until(pred, timeout=10.0, interval=0.05, what="condition"):
    """Poll pred() until it returns a true value, at most timeout seconds.
    Returns that value; raises TimeoutError naming `what` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= deadline:
            raise TimeoutError("timed out after %.1fs waiting for %s"
                               % (timeout, what))
        time.sleep(interval)


def _listening_ports():
    ports = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "0A":  # TCP_LISTEN
                        ports.add(int(fields[1].rsplit(":", 1)[1], 16))
        except OSError:
            pass
    return ports


def is_listening(port):
    """True when some socket on this host listens on TCP `port`.  Reads
    /proc so that checking does not open a session in the daemon."""
    if os.path.exists("/proc/net/tcp"):
        return port in _listening_ports()
    try:
        socket.create_connection(("127.0.0.1", port), 0.5).close()
        return True
    except OSError:
        return False


def wait_listening(port, timeout=10.0, proc=None):
    """Wait (bounded) until `port` listens; fail early if proc exited."""
    def ready():
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("process exited with %s before listening on %d"
                               % (proc.returncode, port))
        return is_listening(port)
    wait_until(ready, timeout, what="port %d to listen" % port)


_tempdirs = []


def make_tempdir(prefix="pdtest-", world_readable=False):
    """A fresh temporary directory removed at exit.  world_readable makes it
    0755 so unprivileged service users (Dovecot run as root) can enter."""
    d = tempfile.mkdtemp(prefix=prefix)
    if world_readable:
        os.chmod(d, 0o755)
    _tempdirs.append(d)
    return d


def _cleanup_tempdirs():
    if os.environ.get("PDTEST_KEEP"):
        return
    for d in _tempdirs:
        shutil.rmtree(d, ignore_errors=True)


atexit.register(_cleanup_tempdirs)


_processes = []


def register_process(proc):
    """Remember a started Popen so it is stopped at exit (or by the TAP
    watchdog) even when a test forgets."""
    _processes.append(proc)
    return proc


def stop_all_processes():
    """Stop every registered process that still runs (by its pid)."""
    for p in reversed(_processes):
        try:
            stop_process(p, timeout=3.0)
        except Exception:
            pass


atexit.register(stop_all_processes)


def stop_process(proc, timeout=5.0, sig=signal.SIGTERM):
    """Stop a subprocess.Popen by its pid: `sig`, then SIGKILL after
    `timeout` seconds.  Returns the exit status (negative = signal)."""
    if proc is None:
        return None
    if proc.poll() is None:
        try:
            os.kill(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout)
    return proc.returncode


def read_file(path, default=""):
    """Text of a file (bytes decoded leniently), or default if missing."""
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return default


def sanitizer_errors(text):
    """Lines of an ASan/UBSan report found in text (empty list if none)."""
    marks = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
             "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer")
    return [l for l in text.splitlines() if any(m in l for m in marks)]
