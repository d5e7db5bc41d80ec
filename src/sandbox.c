/*
 * sandbox.c: the session's seccomp allow-list and no_new_privs.
 *
 * The list is generous for ordinary I/O: a session reads and writes
 * sockets, resolves names, opens map files and CA directories, and map
 * libraries (loaded before the filter) may start threads.  What no
 * session ever needs, and an attacker would want, kills the process.
 *
 * Copyright (C) 2026 The perdition developers
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>

#include "log.h"
#include "sandbox.h"

/* The sanitizers' runtimes need calls we would refuse (and their
 * reports go through them): no filter in a sanitizer build. */
#if defined(__SANITIZE_ADDRESS__) || defined(SANITIZER_BUILD)
#define SANDBOX_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define SANDBOX_SANITIZED 1
#endif
#endif

#if defined(WITH_SECCOMP) && !defined(SANDBOX_SANITIZED)
#define SANDBOX_FILTER 1
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"
#endif

bool sandbox_seccomp_available(void)
{
#ifdef SANDBOX_FILTER
	return true;
#else
	return false;
#endif
}

#ifdef SANDBOX_FILTER
/* Allowed: what a session does before and after login, and what the
 * C library, OpenSSL, the resolver and map libraries do for it.  Names
 * this architecture lacks are skipped. */
static const char *const allowed[] = {
	/* descriptors and I/O */
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv",
	"pwritev", "preadv2", "pwritev2", "splice", "tee", "sendfile", "close",
	"close_range", "dup", "dup2", "dup3", "fcntl", "fcntl64", "ioctl",
	"lseek", "_llseek", "pipe", "pipe2", "eventfd", "eventfd2", "fsync",
	"fdatasync", "flock", "fadvise64", "fadvise64_64", "ftruncate",
	"ftruncate64",
	/* waiting */
	"poll", "ppoll", "ppoll_time64", "select", "_newselect", "pselect6",
	"pselect6_time64", "epoll_create", "epoll_create1", "epoll_ctl",
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "timerfd_create",
	"timerfd_settime", "timerfd_gettime",
	/* sockets, DNS, SCM_RIGHTS, datagrams to the parent */
	"socket", "socketpair", "connect", "bind", "getsockopt", "setsockopt",
	"getpeername", "getsockname", "sendto", "sendmsg", "sendmmsg",
	"recvfrom", "recvmsg", "recvmmsg", "shutdown", "socketcall",
	/* files: map files, CA directories, /etc for the resolver */
	"open", "openat", "openat2", "stat", "stat64", "fstat", "fstat64",
	"lstat", "lstat64", "newfstatat", "fstatat64", "statx", "statfs",
	"fstatfs", "access", "faccessat", "faccessat2", "readlink",
	"readlinkat", "getdents", "getdents64", "getcwd",
	/* the daemon map library's own socket in a private temp directory */
	"mkdir", "mkdirat", "unlink", "unlinkat", "rmdir", "chmod", "fchmod",
	"fchmodat",
	/* memory */
	"mmap", "mmap2", "munmap", "mprotect", "mremap", "madvise", "brk",
	"mlock", "munlock", "membarrier",
	/* time */
	"clock_gettime", "clock_gettime64", "clock_getres", "clock_nanosleep",
	"clock_nanosleep_time64", "nanosleep", "gettimeofday", "time",
	"alarm", "setitimer", "getitimer",
	/* signals */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigreturn",
	"rt_sigtimedwait", "rt_sigsuspend", "sigaltstack", "kill", "tgkill",
	"tkill", "restart_syscall", "pause",
	/* identity and limits (reading them only) */
	"getpid", "gettid", "getppid", "getuid", "geteuid", "getgid",
	"getegid", "getuid32", "geteuid32", "getgid32", "getegid32",
	"getgroups", "getresuid", "getresgid", "getpgrp", "getpgid",
	"getsid", "uname", "sysinfo", "getrlimit", "ugetrlimit", "prlimit64",
	"getrusage", "umask", "prctl", "arch_prctl", "sched_getaffinity",
	"sched_yield", "getpriority", "getcpu",
	/* threads some map libraries start; the end */
	"clone", "clone3", "futex", "futex_time64", "set_robust_list",
	"get_robust_list", "set_tid_address", "rseq", "exit", "exit_group",
	"wait4", "waitid",
	"getrandom",
};

/* Never needed by a session, wanted by an attacker: the process dies. */
static const char *const fatal[] = {
	"execve", "execveat", "ptrace", "process_vm_readv",
	"process_vm_writev", "mount", "umount", "umount2", "pivot_root",
	"chroot", "setuid", "setgid", "setreuid", "setregid", "setresuid",
	"setresgid", "setgroups", "setfsuid", "setfsgid", "setuid32",
	"setgid32", "setreuid32", "setregid32", "setresuid32", "setresgid32",
	"setgroups32", "setfsuid32", "setfsgid32", "capset", "kexec_load",
	"kexec_file_load", "bpf", "init_module", "finit_module",
	"delete_module", "reboot", "swapon", "swapoff", "unshare", "setns",
	"keyctl", "add_key", "request_key", "perf_event_open", "userfaultfd",
	"open_by_handle_at", "personality", "acct", "quotactl", "iopl",
	"ioperm", "settimeofday", "clock_settime", "adjtimex",
	"clock_adjtime", "sethostname", "setdomainname", "fanotify_init",
	"move_mount", "fsopen", "fsmount", "fspick", "open_tree",
};

/* Add rules for every name of list this architecture knows. */
static int add_rules(scmp_filter_ctx ctx, uint32_t action, const char *const *list,
		     size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name(list[i]);
		int r;

		if (nr == __NR_SCMP_ERROR)
			continue;
		r = seccomp_rule_add(ctx, action, nr, 0);
		/* A pseudo-number the kernel lacks (-EDOM, -EOPNOTSUPP)
		 * is as good as absent. */
		if (r < 0 && r != -EDOM && r != -EOPNOTSUPP) {
			log_err("seccomp: rule for %s: %s", list[i], strerror(-r));
			return -1;
		}
	}
	return 0;
}

/* The compiled filter: built once in the parent, loaded by each child
 * with one prctl() (libseccomp would compile it again every time). */
static struct sock_fprog prog;

/* Compile ctx to BPF into prog (through a memfd: libseccomp 2.5 exports
 * to a descriptor only). */
static int export_filter(scmp_filter_ctx ctx)
{
	int fd = memfd_create("perdition-seccomp", MFD_CLOEXEC);
	struct stat st;
	int r = -1;

	if (fd < 0) {
		log_err("seccomp: memfd_create: %s", strerror(errno));
		return -1;
	}
	if (seccomp_export_bpf(ctx, fd) < 0 || fstat(fd, &st) < 0 || st.st_size <= 0 ||
	    st.st_size % (off_t)sizeof(struct sock_filter) != 0 ||
	    st.st_size / (off_t)sizeof(struct sock_filter) > 0xffff) {
		log_err("seccomp: could not export the filter");
		goto out;
	}
	prog.filter = xmalloc((size_t)st.st_size);
	if (pread(fd, prog.filter, (size_t)st.st_size, 0) != st.st_size) {
		log_err("seccomp: could not read the filter back");
		free(prog.filter);
		prog.filter = NULL;
		goto out;
	}
	prog.len = (unsigned short)(st.st_size / (off_t)sizeof(struct sock_filter));
	r = 0;
out:
	close(fd);
	return r;
}

int sandbox_prepare(const struct sandbox_config *cfg)
{
	scmp_filter_ctx ctx;
	int r = -1;

	if (!cfg->seccomp || prog.filter != NULL)
		return 0;
	ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (ctx == NULL) {
		log_err("seccomp: could not set up the filter");
		return -1;
	}
	/* A binary tree of the ~200 numbers rather than a list: every
	 * system call of every session walks the filter. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
		log_debug("seccomp: no binary tree optimisation");
	if (add_rules(ctx, SCMP_ACT_ALLOW, allowed, sizeof(allowed) / sizeof(allowed[0])) == 0 &&
	    add_rules(ctx, SCMP_ACT_KILL_PROCESS, fatal, sizeof(fatal) / sizeof(fatal[0])) == 0)
		r = export_filter(ctx);
	seccomp_release(ctx);
	return r;
}

static int load_filter(void)
{
	if (prog.filter == NULL) {
		log_err("seccomp: no filter prepared");
		return -1;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) {
		log_err("seccomp: could not load the filter: %s", strerror(errno));
		return -1;
	}
	return 0;
}
#else
int sandbox_prepare(const struct sandbox_config *cfg)
{
	(void)cfg;
	return 0;
}
#endif

int sandbox_enter(const struct sandbox_config *cfg)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		log_err("prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
		return -1;
	}
#ifdef SANDBOX_FILTER
	if (cfg->seccomp)
		return load_filter();
#else
	(void)cfg;
#endif
	return 0;
}
