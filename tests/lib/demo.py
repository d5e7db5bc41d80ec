# demo.py: the throwaway Dovecot behind `./bootstrap demo`.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Start the private Dovecot of the tests and keep it running.

    python3 tests/lib/demo.py PORTFILE

writes "pop3 <port>\\nimap <port>\\nsieve <port>\\n" to PORTFILE once
Dovecot listens, then waits until SIGTERM/SIGINT or stdin closes, and
stops Dovecot by its pid."""

import os
import signal
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dovecot  # noqa: E402
import util  # noqa: E402


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: demo.py PORTFILE\n")
        return 1
    stop = threading.Event()
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, lambda *a: stop.set())
    dc = dovecot.shared()
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write("pop3 %d\nimap %d\nsieve %d\n"
                % (dc.pop3_port, dc.imap_port, dc.sieve_port))
    os.rename(tmp, sys.argv[1])
    while not stop.wait(1.0):
        if dc.proc is None or dc.proc.poll() is not None:
            sys.stderr.write("dovecot exited; log:\n%s\n"
                             % util.read_file(dc.log_path)[-2000:])
            return 1
    dc.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
