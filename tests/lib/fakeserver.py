# fakeserver.py: tiny scripted POP3/IMAP back-ends on a thread.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Fake back-end servers for what Dovecot can't produce: bad greetings,
LOGINDISABLED, untagged lines during LOGIN, and exact recording of every
line the proxy sent.

FakeServer(handler) listens on a free loopback port and calls
handler(conn) in a thread per connection; conn is a FakeConn.  Every line
the proxy sent is appended to server.received (and conn.received).
pop3_handler() and imap_handler() build the usual handlers::

    fs = FakeServer(pop3_handler(users={"bob": "good pass"})).start()
    ... perdition -s 127.0.0.1:<fs.port> ...
    fs.received  ->  ["USER bob", "PASS good pass", ...]
"""

import socket
import threading
import time

import util


class FakeConn:
    """One accepted connection: line reads/writes, all reads bounded."""

    def __init__(self, sock, server):
        self.sock = sock
        self.sock.settimeout(15.0)
        self.server = server
        self.buf = b""
        self.partial = ""
        self.received = []

    def send(self, data):
        """Send str/bytes; a str without a line end gets CRLF."""
        if isinstance(data, str):
            if not data.endswith("\n"):
                data += "\r\n"
            data = data.encode("latin-1")
        self.sock.sendall(data)

    def _record(self, item):
        self.received.append(item)
        with self.server.lock:
            self.server.received.append(item)

    def readline(self):
        """Next line as str without CRLF (recorded); None at EOF."""
        while b"\n" not in self.buf:
            try:
                data = self.sock.recv(65536)
            except (socket.timeout, OSError):
                data = b""
            if not data:
                return None
            self.buf += data
        i = self.buf.index(b"\n") + 1
        line, self.buf = self.buf[:i], self.buf[i:]
        text = line.rstrip(b"\r\n").decode("latin-1")
        self._record(self.partial + text)
        self.partial = ""
        return text

    def read_exact(self, n):
        """n raw bytes; None at EOF.  They are recorded joined with the
        rest of their line, so "bob" + " {9}" is recorded as "bob {9}"."""
        while len(self.buf) < n:
            try:
                data = self.sock.recv(65536)
            except (socket.timeout, OSError):
                data = b""
            if not data:
                return None
            self.buf += data
        data, self.buf = self.buf[:n], self.buf[n:]
        self.partial += data.decode("latin-1")
        return data

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class FakeServer:
    """A threaded TCP server on 127.0.0.1 running handler; .port is known
    after start() (a port given to the constructor is used as is)."""

    def __init__(self, handler, port=None):
        self.handler = handler
        self.port = port  # None: bind port 0 in start(), no race
        self.received = []
        self.connections = 0
        self.lock = threading.Lock()
        self.sock = None
        self.stopping = False

    def start(self):
        """Listen and accept in a daemon thread; returns self."""
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port or 0))
        self.port = self.sock.getsockname()[1]
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self):
        while not self.stopping:
            try:
                s, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(s,),
                             daemon=True).start()

    def _serve(self, s):
        conn = FakeConn(s, self)
        try:
            self.handler(conn)
        except (OSError, ValueError):
            pass
        finally:
            conn.close()

    def stop(self):
        """Stop accepting (open connections end with their handlers)."""
        self.stopping = True
        if self.sock:
            self.sock.close()

    def wait_received(self, pred, timeout=10.0):
        """Wait (bounded) until pred(list of received lines) is true."""
        return util.wait_until(lambda: pred(list(self.received)), timeout,
                               what="fake server to receive")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def pop3_handler(greeting="+OK fake POP3 ready", users=None,
                 capa=("UIDL", "USER"), after_login=None):
    """A POP3 back-end: USER/PASS checked against users (dict), CAPA,
    QUIT.  After a successful PASS each line gets "+OK echo <line>"
    (or after_login(conn) runs instead)."""
    users = users if users is not None else {"bob": "good pass"}

    def handler(conn):
        conn.send(greeting)
        user = None
        while True:
            line = conn.readline()
            if line is None:
                return
            word = line.split(" ", 1)[0].upper()
            arg = line[5:]
            if word == "QUIT":
                conn.send("+OK bye")
                return
            if word == "CAPA":
                conn.send("+OK\r\n" + "".join(c + "\r\n" for c in capa) +
                          ".\r\n")
            elif word == "USER":
                user = arg
                conn.send("+OK")
            elif word == "PASS":
                if user in users and users[user] == arg:
                    conn.send("+OK Logged in.")
                    if after_login:
                        return after_login(conn)
                    while True:
                        l2 = conn.readline()
                        if l2 is None:
                            return
                        conn.send("+OK echo " + l2)
                        if l2.upper() == "QUIT":
                            return
                else:
                    conn.send("-ERR [AUTH] Authentication failed.")
                    user = None
            else:
                conn.send("-ERR unknown command")
    return handler


def imap_handler(greeting="* OK fake IMAP ready", users=None,
                 caps="IMAP4rev1", untagged_login=(),
                 after_login=None):
    """An IMAP back-end: CAPABILITY, LOGIN (atoms, quoted strings and
    {n}/{n+} literals, as perdition sends them), LOGOUT.  untagged_login
    lines are sent before the tagged OK of a successful LOGIN.  After
    login every command gets "<tag> OK echo <rest>"."""
    users = users if users is not None else {"bob": "good pass"}

    def read_args(conn, text):
        # Parse "u p" where either may be a literal announced at line end.
        args = []
        while True:
            text = text.lstrip(" ")
            if not text:
                return args
            if text.endswith("}") and "{" in text and \
                    text.rindex("{") == 0:
                n = text[1:-1].rstrip("+")
                if not text[1:-1].endswith("+"):
                    conn.send("+ go ahead")
                data = conn.read_exact(int(n))
                if data is None:
                    return None
                args.append(data.decode("latin-1"))
                nxt = conn.readline()
                if nxt is None:
                    return None
                text = nxt
                continue
            if text.startswith('"'):
                i, out = 1, ""
                while i < len(text) and text[i] != '"':
                    if text[i] == "\\" and i + 1 < len(text):
                        i += 1
                    out += text[i]
                    i += 1
                args.append(out)
                text = text[i + 1:]
            else:
                tok, _, text = text.partition(" ")
                args.append(tok)
                text = " " + text if text else ""

    def handler(conn):
        conn.send(greeting)
        while True:
            line = conn.readline()
            if line is None:
                return
            tag, _, rest = line.partition(" ")
            cmd, _, args = rest.partition(" ")
            cmd = cmd.upper()
            if cmd == "CAPABILITY":
                conn.send("* CAPABILITY " + caps)
                conn.send(tag + " OK CAPABILITY completed")
            elif cmd == "LOGOUT":
                conn.send("* BYE bye")
                conn.send(tag + " OK LOGOUT completed")
                return
            elif cmd == "LOGIN":
                a = read_args(conn, args)
                if a is None:
                    return
                if len(a) == 2 and users.get(a[0]) == a[1]:
                    for u in untagged_login:
                        conn.send(u)
                    conn.send(tag + " OK [CAPABILITY IMAP4rev1] Logged in")
                    if after_login:
                        return after_login(conn)
                    while True:
                        l2 = conn.readline()
                        if l2 is None:
                            return
                        t2, _, r2 = l2.partition(" ")
                        conn.send("%s OK echo %s" % (t2, r2))
                        if r2.upper() == "LOGOUT":
                            return
                else:
                    conn.send(tag + " NO [AUTHENTICATIONFAILED] "
                              "Authentication failed.")
            else:
                conn.send(tag + " BAD unknown command")
    return handler


def script_handler(steps):
    """A handler from a list of steps: ("send", text) sends a line,
    ("recv",) reads one line, ("close",) closes, ("sleep", s) sleeps."""
    def handler(conn):
        for step in steps:
            if step[0] == "send":
                conn.send(step[1])
            elif step[0] == "recv":
                if conn.readline() is None:
                    return
            elif step[0] == "sleep":
                time.sleep(step[1])
            elif step[0] == "close":
                return
        while conn.readline() is not None:
            pass
    return handler
