#!/usr/bin/env python3
# bench.py: run the same workloads against a direct Dovecot, Debian's
# perdition 2.2 and ours, interleaved over several rounds; print medians
# and ratios.
#
# Copyright (C) 2026 The perdition developers
# SPDX-License-Identifier: GPL-2.0-or-later
"""Usage: bench.py --perdition BUILD/perdition --loadgen BUILD/bench/loadgen
                   [--floor BUILD/bench/floor] [--rounds 5] [--quick]
                   [--out results.md] [--work DIR]

Starts a private Dovecot tuned not to be the bottleneck (high-performance
login processes, reused imap/pop3 processes, high client and process
limits, maildir with a 50 MB message), our daemon, Debian's perdition 2.2
(fetched with `apt-get download`, unpacked with `dpkg-deb -x`, never
installed) and bench/floor (a bare forking byte copier, for the login
storms and idle memory) in front of it, then measures (see bench/README):

  login storms (POP3 and IMAP, concurrency 1, 16, 64): logins/s, p50/p99
  latency, proxy CPU per login;
  a 50 MB fetch (RETR / FETCH BODY[]): MB/s and proxy CPU per GB;
  idle hold of N IMAP sessions: PSS + page tables per session;
  the most idle sessions held (up to 5000);
  TLS: IMAPS (ssl_listen) and ssl_outgoing, handshake CPU apart.

Daemons run with RLIMIT_NOFILE 1024 (the usual default) unless a figure
says otherwise; the load generator takes its hard limit.
"""

import argparse
import base64
import glob
import os
import pwd
import grp
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TICK = os.sysconf("SC_CLK_TCK")
USER, PASSWD = "bench", "benchpw"
BIG_USER = "big"
BIG_SIZE = 50 * 1000 * 1000
IDLE_SETTLE = 1.5  # seconds held sessions stay quiet before measuring


def log(msg):
    sys.stderr.write("bench: %s\n" % msg)
    sys.stderr.flush()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_listening(port, proc, timeout=20.0, what="daemon"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError("%s exited (%s)" % (what, proc.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("%s: port %d not listening" % (what, port))


def limit_nofile(n):
    def f():
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if n > hard:
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))
                return
            except (ValueError, OSError):
                pass  # no CAP_SYS_RESOURCE: the hard limit it is
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(n, hard), hard))
    return f


# ------------------------------------------------------------ /proc

def stat_of(pid):
    """(utime+stime, cutime+cstime) in ticks and minor faults (own +
    reaped children's) of one process; zeros once it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0, 0, 0
    # fields[0] is field 3 (state): minflt is field 10, utime field 14.
    ut, st, cut, cst = (int(x) for x in fields[11:15])
    return ut + st, cut + cst, int(fields[7]) + int(fields[8])


def cpu_of(pid):
    """(own utime+stime, reaped children's cutime+cstime) in seconds,
    and minor faults (own + reaped children's).  Ours counts its
    long-lived monitor as its own: it writes every session's log lines
    (D-17), and is never reaped while the daemon runs."""
    own, reaped, flt = stat_of(pid)
    for h in helpers(pid):
        h_own, h_reaped, h_flt = stat_of(h)
        own += h_own + h_reaped
        flt += h_flt
    return own / TICK, reaped / TICK, flt


def all_children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def is_helper(pid):
    """Ours' privileged monitor (process title "<name>: monitor")."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return b": monitor" in f.read()
    except OSError:
        return False


def helpers(pid):
    return [c for c in all_children(pid) if is_helper(c)]


def children(pid):
    """The session children (not the monitor, which lives on)."""
    return [c for c in all_children(pid) if not is_helper(c)]


def wait_reaped(pid, timeout=15.0):
    end = time.monotonic() + timeout
    while children(pid) and time.monotonic() < end:
        time.sleep(0.02)
    return not children(pid)


def mem_of(pid):
    """(PSS KiB, page tables KiB) of one process."""
    pss = pte = 0
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmPTE:"):
                    pte = int(line.split()[1])
    except OSError:
        pass
    return pss, pte


# ------------------------------------------------------------ Dovecot

class Dovecot:
    def __init__(self, work, cert, key):
        self.dir = os.path.join(work, "dovecot")
        os.makedirs(self.dir)
        os.chmod(self.dir, 0o755)
        self.cert, self.key = cert, key
        self.ports = {k: free_port() for k in ("imap", "pop3", "imaps")}
        self.proc = None

    def _mail(self, uid, gid):
        home_root = os.path.join(self.dir, "home")
        small = (b"From: bench@example.com\r\nTo: bench@example.com\r\n"
                 b"Subject: small\r\n\r\nhello\r\n")
        for user, msg in ((USER, small), (BIG_USER, None)):
            md = os.path.join(home_root, user, "Maildir")
            for sub in ("cur", "new", "tmp"):
                os.makedirs(os.path.join(md, sub))
            if msg is None:
                path = self.big_path
                size = os.path.getsize(path)
            else:
                path = os.path.join(self.dir, "small.eml")
                with open(path, "wb") as f:
                    f.write(msg)
                size = len(msg)
            # S= and W= let Dovecot answer sizes without reading the file.
            name = "1700000000.M1P1.bench,S=%d,W=%d:2,S" % (size, size)
            shutil.copyfile(path, os.path.join(md, "cur", name))
            for dp, dns, fns in os.walk(os.path.join(home_root, user)):
                os.chown(dp, uid, gid)
                for fn in fns:
                    os.chown(os.path.join(dp, fn), uid, gid)
        return home_root

    def make_big(self, loadgen):
        """The 50 MB message: base64 lines of seeded random bytes, CRLF,
        no line starting with '.'; returns (size, checksum)."""
        self.big_path = os.path.join(self.dir, "big.eml")
        head = (b"From: big@example.com\r\nTo: big@example.com\r\n"
                b"Subject: fifty megabytes\r\nMIME-Version: 1.0\r\n"
                b"Content-Transfer-Encoding: base64\r\n\r\n")
        line_raw = 57  # 76 base64 characters a line
        n_lines = (BIG_SIZE - len(head)) // 78
        import random
        rnd = random.Random(7)
        raw = rnd.randbytes(n_lines * line_raw)
        body = base64.encodebytes(raw).replace(b"\n", b"\r\n")
        with open(self.big_path, "wb") as f:
            f.write(head)
            f.write(body)
            pad = BIG_SIZE - len(head) - len(body)
            if pad >= 2:
                f.write(b"x" * (pad - 2) + b"\r\n")
        out = subprocess.run([loadgen, "sum", self.big_path], check=True,
                             capture_output=True, text=True).stdout
        kv = parse_kv(out)
        return int(kv["size"]), kv["sum"]

    def start(self):
        if os.geteuid() == 0:
            def have(n):
                try:
                    pwd.getpwnam(n)
                    return n
                except KeyError:
                    return "nobody"
            login, internal = have("dovenull"), have("dovecot")
            pw = pwd.getpwnam("nobody")
            uid, gid = pw.pw_uid, pw.pw_gid
            group_line = ""
        else:
            login = internal = pwd.getpwuid(os.geteuid()).pw_name
            uid, gid = os.geteuid(), os.getegid()
            group_line = "default_internal_group = %s\n" % \
                grp.getgrgid(os.getegid()).gr_name
        home = self._mail(uid, gid)
        passwd = os.path.join(self.dir, "passwd")
        with open(passwd, "w") as f:
            for u in (USER, BIG_USER):
                f.write("%s:{PLAIN}%s::::::nodelay nopenalty\n" % (u, PASSWD))
        os.chmod(passwd, 0o644)
        for d in ("run", "state"):
            os.mkdir(os.path.join(self.dir, d))
        conf = """\
# private Dovecot of bench/bench.py, tuned not to be the bottleneck
protocols = imap pop3
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/state
instance_name = pdbench-{imap}
log_path = {dir}/dovecot.log
info_log_path = /dev/null
auth_failure_delay = 0
auth_mechanisms = plain login
disable_plaintext_auth = no
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
login_trusted_networks =
default_login_user = {login}
default_internal_user = {internal}
{group_line}first_valid_uid = 1
mail_uid = {uid}
mail_gid = {gid}
mail_location = maildir:~/Maildir
mail_fsync = never
maildir_very_dirty_syncs = yes
pop3_no_flag_updates = yes
shutdown_clients = yes
default_process_limit = 10000
default_client_limit = 40000
default_vsz_limit = 0
protocol imap {{
  mail_max_userip_connections = 100000
}}
protocol pop3 {{
  mail_max_userip_connections = 100000
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {passwd}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={home}/%u
}}
service imap-login {{
  chroot =
  service_count = 0
  process_min_avail = 2
  process_limit = 4
  client_limit = 10000
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
    ssl = yes
  }}
}}
service pop3-login {{
  chroot =
  service_count = 0
  process_min_avail = 2
  process_limit = 4
  client_limit = 10000
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {pop3}
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service imap {{
  service_count = 0
  process_limit = 2000
  client_limit = 10
  process_min_avail = 4
}}
service pop3 {{
  service_count = 0
  process_limit = 2000
  client_limit = 10
  process_min_avail = 4
}}
service auth {{
  client_limit = 40000
}}
service anvil {{
  chroot =
  client_limit = 40000
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
""".format(dir=self.dir, cert=self.cert, key=self.key, login=login,
           internal=internal, group_line=group_line, uid=uid, gid=gid,
           passwd=passwd, home=home, **self.ports)
        self.conf = os.path.join(self.dir, "dovecot.conf")
        with open(self.conf, "w") as f:
            f.write(conf)
        out = open(os.path.join(self.dir, "stdout"), "wb")
        self.proc = subprocess.Popen(
            ["dovecot", "-F", "-c", self.conf], stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT,
            preexec_fn=limit_nofile(200000))
        out.close()
        for p in self.ports.values():
            wait_listening(p, self.proc, what="dovecot")

    def stop(self):
        stop(self.proc)


def stop(proc, timeout=10.0):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ------------------------------------------------------------ proxies

def fetch_22(cache):
    """The unpacked Debian perdition 2.2 tree (cached)."""
    binary = os.path.join(cache, "usr", "sbin", "perdition")
    if os.path.exists(binary):
        return cache
    for alt in (os.environ.get("PERDITION22_ROOT"),
                os.path.join(os.path.dirname(os.path.dirname(cache)),
                             "tests", "perdition-2.2")):
        # The tree test_compat.py unpacked, if there is one.
        if alt and os.path.exists(os.path.join(alt, "usr", "sbin",
                                               "perdition")):
            return alt
    # Name the archive's 2.x version: a locally built package of ours
    # may be installed under the same name.
    want = "perdition"
    r = subprocess.run(["apt-cache", "madison", "perdition"],
                       capture_output=True, text=True, timeout=60)
    for line in r.stdout.splitlines():
        f = [x.strip() for x in line.split("|")]
        if len(f) >= 2 and f[1].startswith("2."):
            want = "perdition=" + f[1]
            break
    tmp = tempfile.mkdtemp(prefix="pdbench-deb-")
    try:
        r = subprocess.run(["apt-get", "download", "-q", want],
                           cwd=tmp, capture_output=True, text=True,
                           timeout=300)
        debs = glob.glob(os.path.join(tmp, "perdition_*.deb"))
        if r.returncode != 0 or not debs:
            raise RuntimeError("apt-get download perdition failed: %s"
                               % r.stderr.strip()[-300:])
        part = cache + ".part%d" % os.getpid()
        subprocess.run(["dpkg-deb", "-x", debs[0], part], check=True,
                       timeout=120)
        os.rename(part, cache)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return cache


class Daemon:
    """A forking daemon under test, started by start() in a subclass."""

    proc = None

    def ready(self, what):
        wait_listening(self.port, self.proc, what=what)
        # The probe connection's child must be gone before measuring.
        wait_reaped(self.proc.pid)

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        stop(self.proc)


class Floor(Daemon):
    """bench/floor: a bare fork-per-connection byte copier, the floor
    under any daemon of that model on this machine (login storms and
    memory per idle session only)."""

    def __init__(self, binary, backend_port):
        self.port = free_port()
        self.cmd = [binary, str(self.port), str(backend_port)]

    def start(self):
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                     preexec_fn=limit_nofile(1024))
        self.ready("floor")


class Proxy(Daemon):
    """One perdition daemon (ours or 2.2) for one protocol."""

    def __init__(self, name, binary, env, work, protocol, backend,
                 extra=(), nofile=1024, is22=False):
        self.name = name
        self.port = free_port()
        self.log = os.path.join(work, "%s-%s.log" % (name, self.port))
        if os.geteuid() == 0:
            ug = ["-u", "nobody", "-g",
                  grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name]
        else:
            ug = ["-u", pwd.getpwuid(os.geteuid()).pw_name,
                  "-g", grp.getgrgid(os.getegid()).gr_name]
        self.cmd = [binary, "--no_daemon", "-F", self.log,
                    "-f", "/dev/null" if is22 else "", "--pid_file", "",
                    "-M", "", "-P", protocol, "-s", backend,
                    "-l", str(self.port), "-b", "127.0.0.1"] + ug + \
            list(extra)
        self.env = env
        self.nofile = nofile
        self.proc = None

    def start(self):
        # A log file the dropped daemon can still write.
        open(self.log, "a").close()
        os.chmod(self.log, 0o666)
        errf = open(self.log + ".stderr", "wb")
        self.proc = subprocess.Popen(self.cmd, env=self.env,
                                     stdin=subprocess.DEVNULL, stdout=errf,
                                     stderr=subprocess.STDOUT,
                                     preexec_fn=limit_nofile(self.nofile))
        errf.close()
        self.ready(self.name)


# ------------------------------------------------------------ load

def parse_kv(text):
    kv = {}
    for line in text.splitlines():
        for tok in line.split():
            if "=" in tok:
                k, v = tok.split("=", 1)
                kv[k] = v
    return kv


class Failure(Exception):
    pass


class Bench:
    def __init__(self, args):
        self.args = args
        self.loadgen = args.loadgen
        self.results = {}   # (figure, subject) -> [values]
        self.failures = []
        self.capped = []

    def note(self, fig, subj, value):
        if value is not None:
            self.results.setdefault((fig, subj), []).append(value)

    def run_loadgen(self, argv, timeout=180):
        r = subprocess.run([self.loadgen] + argv, capture_output=True,
                           text=True, timeout=timeout)
        kv = parse_kv(r.stdout)
        if r.returncode != 0:
            raise Failure("loadgen %s: rc=%d %s %s" % (
                " ".join(argv), r.returncode, r.stdout.strip(),
                r.stderr.strip()[-600:]))
        return kv

    def measured(self, pid, fn):
        """Run fn(); return (its result, proxy CPU seconds used)."""
        self.last_faults = None
        if pid is None:
            return fn(), None
        wait_reaped(pid)
        own0, ch0, f0 = cpu_of(pid)
        res = fn()
        if not wait_reaped(pid):
            log("warning: children of %d not reaped" % pid)
        own1, ch1, f1 = cpu_of(pid)
        self.last_faults = f1 - f0
        return res, (own1 - own0) + (ch1 - ch0)

    # ---- workloads

    def login(self, subj, tag, port, pid, proto, conc, secs, tls=False):
        argv = ["login", "-P", proto, "-p", str(port), "-u", USER,
                "-w", PASSWD, "-c", str(conc), "-t", str(secs),
                "-n", str(max(2000, conc * 200))]
        if tls:
            argv.append("-s")
        kv, cpu = self.measured(pid, lambda: self.run_loadgen(argv))
        ok = int(kv["ok"])
        self.note("%s logins/s" % tag, subj, float(kv["rate"]))
        self.note("%s p50 ms" % tag, subj, float(kv["p50_ms"]))
        self.note("%s p99 ms" % tag, subj, float(kv["p99_ms"]))
        if cpu is not None and ok > 0:
            self.note("%s CPU ms/login" % tag, subj, cpu / ok * 1e3)
            if not tls and conc == 16:
                self.note("%s page faults/login" % tag, subj,
                          self.last_faults / ok)
        return kv

    def fetch(self, subj, tag, port, pid, proto, tls=False):
        argv = ["fetch", "-P", proto, "-p", str(port), "-u", BIG_USER,
                "-w", PASSWD, "-r", str(self.args.fetch_reps),
                "-S", str(self.big_size), "-K", self.big_sum]
        if tls:
            argv.append("-s")
        kv, cpu = self.measured(pid, lambda: self.run_loadgen(argv))
        self.note("%s MB/s" % tag, subj, float(kv["mbps"]))
        if cpu is not None:
            self.note("%s CPU s/GB" % tag, subj,
                      cpu / (int(kv["bytes"]) / 1e9))
        return kv

    def hold(self, subj, port, pid, n, tag, record_mem=True, deadline=120):
        """Hold n IMAP sessions; returns (sessions held, whether the
        deadline stopped it, stderr)."""
        argv = [self.loadgen, "hold", "-P", "imap", "-p", str(port),
                "-u", USER, "-w", PASSWD, "-N", str(n), "-c", "64",
                "-T", str(deadline)]
        p = subprocess.Popen(argv, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        first = ""
        try:
            while True:
                line = p.stdout.readline()
                if not line or line.strip() == "HELD":
                    break
                first += line
            kv = parse_kv(first)
            got = int(kv.get("held", 0))
            if pid is not None and record_mem and got == n:
                # Idle means quiet: ours gives the login phase's memory
                # back after 1 s without traffic (relay.c).
                time.sleep(IDLE_SETTLE)
                kids = children(pid)
                pss = pte = 0
                for k in kids:
                    a, b = mem_of(k)
                    pss += a
                    pte += b
                if kids:
                    self.note("idle %s PSS KiB" % tag, subj, pss / len(kids))
                    self.note("idle %s PTE KiB" % tag, subj, pte / len(kids))
                    self.note("idle %s KiB/session" % tag, subj,
                              (pss + pte) / len(kids))
            p.stdin.write("\n")
            p.stdin.flush()
            out, err = p.communicate(timeout=120)
        except Exception:
            p.kill()
            p.wait()
            raise
        if p.returncode != 0 and got == n:
            raise Failure("hold %s %d: %s %s" % (subj, n, out.strip(),
                                                  err.strip()[-600:]))
        if pid is not None:
            wait_reaped(pid, 60)
        return got, kv.get("timed_out") == "1", err

    def attempt(self, what, fn):
        try:
            return fn()
        except (Failure, subprocess.TimeoutExpired, KeyError,
                ValueError) as e:
            self.failures.append("%s: %s" % (what, e))
            log("FAILED %s: %s" % (what, e))
            return None


# ------------------------------------------------------------ report

NAMES = {"direct": "direct", "floor": "floor", "22": "perdition 2.2",
         "ours": "ours"}


def names_of(s):
    return NAMES[s]


def median(v):
    return statistics.median(v) if v else None


def fmt(v):
    if v is None:
        return "-"
    if v >= 1000:
        return "%.0f" % v
    if v >= 100:
        return "%.1f" % v
    if v >= 10:
        return "%.2f" % v
    return "%.3f" % v


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "-"
    return "%.2f×" % (a / b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--perdition", required=True)
    ap.add_argument("--loadgen", required=True)
    ap.add_argument("--floor", default=None,
                    help="bench/floor binary (a column for logins and idle memory)")
    ap.add_argument("--cache", default=None,
                    help="where Debian's perdition 2.2 is unpacked")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--secs", type=float, default=1.0,
                    help="seconds per login storm")
    ap.add_argument("--fetch-reps", type=int, default=2)
    ap.add_argument("--max-hold", type=int, default=5000)
    ap.add_argument("--budget", type=float, default=540,
                    help="seconds the whole run should take at most")
    ap.add_argument("--quick", action="store_true",
                    help="one round, short storms (a smoke test)")
    ap.add_argument("--only", default="",
                    help="comma list of subjects: direct,22,ours")
    ap.add_argument("--out", default=None, help="also write the table here")
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    # SIGTERM (make's, timeout's) must still stop every daemon started.
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    if args.quick:
        args.rounds, args.secs, args.max_hold = 1, 0.5, 1000
    t_start = time.monotonic()
    work = args.work or tempfile.mkdtemp(prefix="pdbench-")
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o755)
    perdition = os.path.abspath(args.perdition)
    args.loadgen = os.path.abspath(args.loadgen)
    cache = args.cache or os.path.join(os.path.dirname(perdition), "bench",
                                       "perdition-2.2")
    b = Bench(args)
    procs = []
    load0 = os.getloadavg()
    try:
        # ---- set up
        cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "30",
                        "-subj", "/CN=localhost"], check=True,
                       capture_output=True)
        os.chmod(key, 0o644)
        dc = Dovecot(work, cert, key)
        b.big_size, b.big_sum = dc.make_big(args.loadgen)
        dc.start()
        procs.append(dc)
        d_pop3 = "127.0.0.1:%d" % dc.ports["pop3"]
        d_imap = "127.0.0.1:%d" % dc.ports["imap"]
        d_imaps = "127.0.0.1:%d" % dc.ports["imaps"]
        tls_args = ["--ssl_cert_file", cert, "--ssl_key_file", key]
        # Dovecot's certificate is self-signed for CN=localhost.
        out_args = ["--ssl_mode", "ssl_outgoing", "--ssl_no_cert_verify",
                    "--ssl_no_cn_verify"]
        subjects = {}
        env_ours = dict(os.environ)
        want = set((args.only or "direct,floor,22,ours").split(","))
        if "22" in want:
            try:
                root = fetch_22(os.path.abspath(cache))
                env22 = dict(os.environ, LD_LIBRARY_PATH=os.path.join(
                    root, "usr", "lib", "x86_64-linux-gnu"))
                bin22 = os.path.join(root, "usr", "sbin", "perdition")
                subjects["22"] = (bin22, env22, True)
            except (RuntimeError, subprocess.SubprocessError, OSError) as e:
                b.failures.append("perdition 2.2 unavailable: %s" % e)
                log("perdition 2.2 unavailable: %s" % e)
        if "ours" in want:
            subjects["ours"] = (perdition, env_ours, False)
        # ports[subject][mode] = (port, pid)
        ports = {}
        if "direct" in want:
            ports["direct"] = {"pop3": (dc.ports["pop3"], None),
                               "imap": (dc.ports["imap"], None),
                               "imaps": (dc.ports["imaps"], None)}
        if "floor" in want and args.floor:
            ports["floor"] = {}
            for proto in ("pop3", "imap"):
                f = Floor(os.path.abspath(args.floor), dc.ports[proto])
                f.start()
                procs.append(f)
                ports["floor"][proto] = (f.port, f.pid)
        for s, (binary, env, is22) in subjects.items():
            mk = lambda mode, proto, backend, extra=(), nofile=1024: Proxy(
                "%s-%s" % (s, mode), binary, env, work, proto, backend,
                extra, nofile, is22)
            ps = {"pop3": mk("pop3", "POP3", d_pop3),
                  "imap": mk("imap", "IMAP4", d_imap),
                  "imaps": mk("imaps", "IMAP4S", d_imap,
                              ["--ssl_mode", "ssl_listen"] + tls_args),
                  "sslout": mk("sslout", "IMAP4", d_imaps,
                               out_args + tls_args),
                  "nofile": mk("nofile", "IMAP4", d_imap, nofile=65536)}
            ports[s] = {}
            for m, p in ps.items():
                p.start()
                procs.append(p)
                ports[s][m] = (p.port, p.pid)
        order = [s for s in ("direct", "floor", "22", "ours") if s in ports]
        # The floor only takes part in the login storms and idle memory.
        full = [s for s in order if s != "floor"]
        log("subjects: %s; work dir %s" % (", ".join(order), work))

        # ---- rounds, interleaved
        for rnd in range(args.rounds):
            if rnd > 0 and time.monotonic() - t_start > args.budget * 0.6:
                log("time budget: stopping after %d rounds" % rnd)
                b.failures.append("only %d of %d rounds (time budget)"
                                  % (rnd, args.rounds))
                break
            rot = order[rnd % len(order):] + order[:rnd % len(order)]
            rot_full = [s for s in rot if s != "floor"]
            log("round %d/%d (load %.2f)" % (rnd + 1, args.rounds,
                                              os.getloadavg()[0]))
            for proto in ("pop3", "imap"):
                for conc in (1, 16, 64):
                    for s in rot:
                        port, pid = ports[s][proto]
                        b.attempt("%s %s c%d" % (s, proto, conc),
                                  lambda: b.login(s, "%s c%d" % (proto, conc),
                                                  port, pid, proto, conc,
                                                  args.secs))
            for s in rot_full:
                if "nofile" in ports[s]:
                    port, pid = ports[s]["nofile"]
                    b.attempt("%s nofile" % s, lambda: b.login(
                        s, "imap c16 nofile=65536", port, pid, "imap", 16,
                        args.secs))
            for proto in ("pop3", "imap"):
                for s in rot_full:
                    port, pid = ports[s][proto]
                    b.attempt("%s fetch %s" % (s, proto), lambda: b.fetch(
                        s, "%s fetch" % proto, port, pid, proto))
            # Memory per idle session hardly varies: N=1000 once.  The
            # floor's sessions show what the model costs by itself.
            for n in (200, 1000) if rnd == 0 else (200,):
                for s in rot:
                    if s == "direct":
                        continue
                    port, pid = ports[s]["imap"]
                    b.attempt("%s hold %d" % (s, n), lambda: b.hold(
                        s, port, pid, n, "N=%d" % n))
            # TLS: IMAPS on the client side (direct: Dovecot's imaps) and
            # ssl_outgoing (client plain, proxy to Dovecot's imaps).
            for s in rot_full:
                port, pid = ports[s]["imaps"]
                b.attempt("%s imaps login" % s, lambda: b.login(
                    s, "imaps c16", port, pid, "imap", 16, args.secs,
                    tls=True))
                b.attempt("%s imaps fetch" % s, lambda: b.fetch(
                    s, "imaps fetch", port, pid, "imap", tls=True))
                if s == "direct":
                    continue
                port, pid = ports[s]["sslout"]
                b.attempt("%s sslout login" % s, lambda: b.login(
                    s, "ssl_outgoing c16", port, pid, "imap", 16, args.secs))
                b.attempt("%s sslout fetch" % s, lambda: b.fetch(
                    s, "ssl_outgoing fetch", port, pid, "imap"))

        # ---- the most idle sessions held, once per subject, within
        # what is left of the time budget.
        left = args.budget - (time.monotonic() - t_start) - 20
        per = max(15.0, min(90.0, left / max(1, len(full))))
        for s in full:
            port, pid = ports[s]["imap"]
            r = b.attempt("%s max hold" % s, lambda: b.hold(
                s, port, pid, args.max_hold, "max", record_mem=False,
                deadline=per))
            if r is not None:
                got, capped, err = r
                b.note("idle sessions held (of %d)" % args.max_hold, s, got)
                if capped:
                    b.capped.append("%s: %d sessions in %.0f s" % (
                        names_of(s), got, per))
                if got < args.max_hold:
                    log("%s held %d%s: %s" % (s, got, " (time cap)" if capped
                                              else "", err.strip()[-300:]))
    finally:
        for p in reversed(procs):
            p.stop()

    # ---- report
    load1 = os.getloadavg()
    for s in list(order):
        for fig in ("imaps c16", "ssl_outgoing c16"):
            tls = median(b.results.get(("%s CPU ms/login" % fig, s)))
            plain = median(b.results.get(("imap c16 CPU ms/login", s)))
            if tls is not None and plain is not None:
                b.note("%s handshake CPU ms" % fig, s, tls - plain)
    figs = []
    for (fig, s) in b.results:
        if fig not in figs:
            figs.append(fig)
    names = NAMES
    cols = [s for s in ("direct", "floor", "22", "ours")]
    lines = ["| figure (median of %d rounds) | %s | ours/2.2 | ours/direct "
             "| ours/floor |"
             % (args.rounds, " | ".join(names[c] for c in cols)),
             "|---|" + "---:|" * (len(cols) + 3)]
    for fig in figs:
        vals = {c: median(b.results.get((fig, c))) for c in cols}
        lines.append("| %s | %s | %s | %s | %s |" % (
            fig, " | ".join(fmt(vals[c]) for c in cols),
            ratio(vals["ours"], vals["22"]),
            ratio(vals["ours"], vals["direct"]),
            ratio(vals["ours"], vals["floor"])))
    table = "\n".join(lines)
    checks = targets(b)
    elapsed = time.monotonic() - t_start
    head = ("Machine: %d CPUs, %s; load average %.2f at start, %.2f at end; "
            "%d rounds, %.1f s per login storm; %.0f s in all.\n"
            % (os.cpu_count(), os.uname().release, load0[0], load1[0],
               args.rounds, args.secs, elapsed))
    text = head + "\n" + table + "\n\n" + checks + "\n"
    if b.capped:
        text += ("\nThe most-sessions search ran out of its time share "
                 "(logins are slow on this machine): " +
                 "; ".join(b.capped) + ".\n")
    if b.failures:
        text += "\nFailures:\n" + "\n".join("- " + f for f in b.failures) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    return 1 if b.failures else 0


def targets(b):
    """The targets of the issue, checked on the medians."""
    def m(fig, s):
        return median(b.results.get((fig, s)))
    out = ["Targets (ours):"]

    def check(name, ok, detail):
        out.append("- [%s] %s: %s" % ("x" if ok else " ", name, detail))
    for proto in ("pop3", "imap"):
        v = m("%s c16 CPU ms/login" % proto, "ours")
        fl = m("%s c16 CPU ms/login" % proto, "floor")
        check("%s CPU per login <= 0.5 ms" % proto, v is not None and v <= 0.5,
              fmt(v) + " ms" + ("" if fl is None else
                                " (bench/floor, fork + copy only: %s ms)"
                                % fmt(fl)))
        for c in (16, 64):
            o, d = m("%s c%d logins/s" % (proto, c), "ours"), \
                m("%s c%d logins/s" % (proto, c), "direct")
            check("%s c%d logins/s >= 0.75x direct" % (proto, c),
                  o is not None and d and o / d >= 0.75, ratio(o, d))
        o, d = m("%s c1 p50 ms" % proto, "ours"), m("%s c1 p50 ms" % proto,
                                                      "direct")
        add = o - d if o is not None and d is not None else None
        check("%s added p50 at c1 <= 0.5 ms" % proto,
              add is not None and add <= 0.5, fmt(add) + " ms")
        o, d = m("%s fetch MB/s" % proto, "ours"), m("%s fetch MB/s" % proto,
                                                      "direct")
        check("%s relay >= 0.6x direct MB/s" % proto,
              o is not None and d and o / d >= 0.6, ratio(o, d))
        v = m("%s fetch CPU s/GB" % proto, "ours")
        check("%s relay CPU <= 0.6 s/GB" % proto, v is not None and v <= 0.6,
              fmt(v) + " s/GB")
    for n in (200, 1000):
        v = m("idle N=%d KiB/session" % n, "ours")
        check("idle N=%d <= 48 KiB/session" % n, v is not None and v <= 48,
              fmt(v) + " KiB")
    held = [v for (f, s), v in b.results.items()
            if s == "ours" and f.startswith("idle sessions held")]
    check("5000 idle sessions held", bool(held) and held[0][0] >= 5000,
          str(held[0][0]) if held else "-")
    a, z = m("imap c16 CPU ms/login", "ours"), \
        m("imap c16 nofile=65536 CPU ms/login", "ours")
    check("CPU per login independent of the fd limit",
          a is not None and z is not None and z <= a * 1.25 + 0.05,
          "%s ms at 1024, %s ms at 65536" % (fmt(a), fmt(z)))
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
