# client.py: a raw line-oriented TCP client for driving perdition.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Client: a socket with bounded reads, for byte-exact protocol tests.

Lines are returned as str (latin-1, so every byte survives) without the
trailing CRLF.  Every read has a timeout; a read that times out raises
socket.timeout, EOF raises EOFError (use .eof() to test for it)."""

import socket
import time


class Client:
    """A line-oriented client over a connected socket."""

    def __init__(self, sock, timeout=10.0):
        self.sock = sock
        self.sock.settimeout(timeout)
        self.timeout = timeout
        self.buf = b""

    @classmethod
    def connect(cls, port, host="127.0.0.1", timeout=10.0):
        """Connect to host:port (bounded)."""
        return cls(socket.create_connection((host, port), timeout), timeout)

    def close(self):
        """Close the socket (idempotent)."""
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---------------------------------------------------------- writing
    def send(self, data):
        """Send str (latin-1) or bytes as they are, in one write."""
        if isinstance(data, str):
            data = data.encode("latin-1")
        self.sock.sendall(data)

    def send_line(self, line):
        """Send one line with CRLF appended."""
        self.send((line.encode("latin-1") if isinstance(line, str)
                   else line) + b"\r\n")

    def shutdown_write(self):
        """Half-close: the peer reads EOF, we can still read."""
        self.sock.shutdown(socket.SHUT_WR)

    # ---------------------------------------------------------- reading
    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout("timed out")
        self.sock.settimeout(left)
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("connection closed by peer; unread %r"
                           % self.buf[:200])
        self.buf += data

    def readline_raw(self, timeout=None):
        """One line as bytes including its terminator (LF)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while b"\n" not in self.buf:
            self._fill(deadline)
        i = self.buf.index(b"\n") + 1
        line, self.buf = self.buf[:i], self.buf[i:]
        return line

    def readline(self, timeout=None):
        """One line as str without CRLF."""
        return self.readline_raw(timeout).rstrip(b"\r\n").decode("latin-1")

    def read_exact(self, n, timeout=None):
        """Exactly n bytes."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while len(self.buf) < n:
            self._fill(deadline)
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read_until(self, marker, timeout=None):
        """Bytes up to and including marker (bytes)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while marker not in self.buf:
            self._fill(deadline)
        i = self.buf.index(marker) + len(marker)
        data, self.buf = self.buf[:i], self.buf[i:]
        return data

    def read_all(self, timeout=None):
        """Everything until EOF (bounded)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        try:
            while True:
                self._fill(deadline)
        except EOFError:
            pass
        data, self.buf = self.buf, b""
        return data

    def eof(self, timeout=None):
        """True if the peer closes (with no more data) within timeout;
        False if data arrives or the wait times out."""
        if self.buf:
            return False
        deadline = time.monotonic() + (timeout or self.timeout)
        try:
            self._fill(deadline)
        except EOFError:
            return True
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True
        return False

    def cmd(self, line, timeout=None):
        """Send a line, return the next reply line."""
        self.send_line(line)
        return self.readline(timeout)

    def lines_until(self, pred, timeout=None, limit=10000):
        """Read lines until pred(line) is true; return them all."""
        out = []
        for _ in range(limit):
            line = self.readline(timeout)
            out.append(line)
            if pred(line):
                return out
        raise AssertionError("no terminating line in %d lines" % limit)

    # ------------------------------------------------------ POP3 helpers
    def pop3_multiline(self, timeout=None):
        """Raw bytes of a POP3 multi-line body up to and including the
        terminating CRLF.CRLF (dot-stuffing left as is)."""
        return self.read_until(b"\r\n.\r\n", timeout)

    def pop3_login(self, user, password):
        """USER then PASS; returns the PASS reply line."""
        r = self.cmd("USER " + user)
        if not r.startswith("+OK"):
            return r
        return self.cmd("PASS " + password)

    # ------------------------------------------------------ IMAP helpers
    def imap_cmd(self, tag, command, timeout=None):
        """Send "tag command", return (untagged lines, tagged line)."""
        self.send_line("%s %s" % (tag, command))
        lines = self.lines_until(lambda l: l.startswith(tag + " "), timeout)
        return lines[:-1], lines[-1]
