/*
 * Confinement of the children: chroot, unprivileged ids, capabilities
 * down to what the process needs (nothing, or CAP_NET_ADMIN for ipvsd),
 * then a libseccomp allow-list whose default action kills the process.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <linux/capability.h>
#include <linux/netlink.h>

#include <errno.h>
#include <grp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "msg.h"
#include "sandbox.h"

#ifdef LVSD_SANITIZE
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

/* "UID:GID" as the parent passes it on the command line. */
void
sandbox_parse_ids(const char *s, uid_t *uid, gid_t *gid)
{
	char		 buf[32], *colon;
	const char	*errstr;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf) ||
	    (colon = strchr(buf, ':')) == NULL)
		fatalx("bad ids '%s', expected UID:GID", s);
	*colon = '\0';
	*uid = strtonum(buf, 1, UINT32_MAX - 1, &errstr);
	if (errstr != NULL)
		fatalx("uid '%s' is %s (root is refused)", buf, errstr);
	*gid = strtonum(colon + 1, 1, UINT32_MAX - 1, &errstr);
	if (errstr != NULL)
		fatalx("gid '%s' is %s (root is refused)", colon + 1, errstr);
}

/*
 * Set up what every child needs before it confines itself; descriptors
 * above lastfd (the fixed ones the parent passed) are closed.
 */
void
sandbox_child_common(int lastfd)
{
	/* die with the parent; the kernel table stays as it is */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		fatal("prctl PR_SET_PDEATHSIG");
	if (getppid() == 1)
		fatalx("parent died before the child started");
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	closefrom(lastfd + 1);
}

/* Drop every capability from the bounding set except keep (or none). */
static void
sandbox_bound_caps(int keep)
{
	int	 cap;

	for (cap = 0; cap <= CAP_LAST_CAP; cap++) {
		if (keep == SANDBOX_KEEP_NET_ADMIN && cap == CAP_NET_ADMIN)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1 &&
		    errno != EINVAL)
			fatal("prctl PR_CAPBSET_DROP %d", cap);
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL)
		fatal("prctl PR_CAP_AMBIENT_CLEAR_ALL");
}

/* After setresuid with KEEPCAPS: effective = permitted = NET_ADMIN. */
static void
sandbox_set_caps(int keep)
{
	struct __user_cap_header_struct	 hdr;
	struct __user_cap_data_struct	 data[2];

	memset(&hdr, 0, sizeof(hdr));
	memset(data, 0, sizeof(data));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (keep == SANDBOX_KEEP_NET_ADMIN) {
		data[0].effective = 1U << CAP_NET_ADMIN;
		data[0].permitted = 1U << CAP_NET_ADMIN;
	}
	if (syscall(SYS_capset, &hdr, data) == -1)
		fatal("capset");
	if (prctl(PR_SET_KEEPCAPS, 0) == -1)
		fatal("prctl PR_SET_KEEPCAPS");
}

#ifdef LVSD_SANITIZE
/*
 * The sanitizer build only (make check-asan, build/asan; -DLVSD_SANITIZE,
 * never in an installed executable: tests/unit/linkage.t).  The children
 * run with an empty environment, so their options are compiled in: no
 * leak check (LeakSanitizer stops the world with clone and ptrace and
 * reads /proc, none of which the filters allow), no symbolizer (it would
 * open the executable or exec one; the report gives module+offset
 * instead, for addr2line), every report on stderr (the parent's, which
 * the tests keep), and the first error is fatal.
 */
const char *
__asan_default_options(void)
{
	return "detect_leaks=0:symbolize=0:log_path=stderr:color=never:"
	    "halt_on_error=1";
}

const char	*__ubsan_default_options(void);
const char *
__ubsan_default_options(void)
{
	return "symbolize=0:log_path=stderr:color=never:halt_on_error=1:"
	    "print_stacktrace=1";
}

/*
 * What the runtime needs besides what the filters allow, taken with
 * strace of a report written under the filter (49-sanitizer.t) and of
 * a clean exit; the files it would open, /proc/self/maps say, fail
 * softly already.
 */
static const struct sandbox_rule sandbox_san_allow[] = {
	{ SCMP_SYS(write), "the report, on stderr" },
	{ SCMP_SYS(getpid), "the report's ==pid== prefix" },
	{ SCMP_SYS(gettid), "the report: which thread" },
	{ SCMP_SYS(sched_yield), "the runtime's spin locks, if contended" },
	{ SCMP_SYS(futex), "the runtime's mutexes (ipvsd's filter lacks it)" },
	{ SCMP_SYS(madvise), "the allocator may give pages back" },
	{ SCMP_SYS(sigaltstack), "at exit: the runtime's signal stack goes" },
};

/*
 * Before the chroot: the runtime reads /proc/self/maps once more and keeps
 * it, for the module+offset of every frame in a report.
 */
static void
sandbox_san_prepare(void)
{
	__sanitizer_sandbox_arguments	 args;

	memset(&args, 0, sizeof(args));
	__sanitizer_sandbox_on_notify(&args);
}

static void
sandbox_san_rules(scmp_filter_ctx ctx)
{
	size_t	 i;
	int	 r;

	for (i = 0; i < sizeof(sandbox_san_allow) /
	    sizeof(sandbox_san_allow[0]); i++)
		if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
		    sandbox_san_allow[i].sr_nr, 0)) != 0 && r != -EEXIST)
			fatalx("seccomp allow %s (sanitizer): %s",
			    sandbox_san_allow[i].sr_why, strerror(-r));
}
#endif

void
sandbox_drop(const char *root, uid_t uid, gid_t gid, int keep)
{
#ifdef LVSD_SANITIZE
	sandbox_san_prepare();
#endif
	/* NULL: no chroot, for lvsd-exec, whose commands live anywhere */
	if (root != NULL && chroot(root) == -1)
		fatal("chroot %s", root);
	if (chdir("/") == -1)
		fatal("chdir /");
	sandbox_bound_caps(keep);
	if (keep == SANDBOX_KEEP_NET_ADMIN &&
	    prctl(PR_SET_KEEPCAPS, 1) == -1)
		fatal("prctl PR_SET_KEEPCAPS");
	if (setgroups(1, &gid) == -1)
		fatal("setgroups");
	if (setresgid(gid, gid, gid) == -1)
		fatal("setresgid %u", (unsigned int)gid);
	if (setresuid(uid, uid, uid) == -1)
		fatal("setresuid %u", (unsigned int)uid);
	sandbox_set_caps(keep);
	/* the drop must be irreversible */
	if (setresuid(0, 0, 0) != -1 || setresgid(0, 0, 0) != -1)
		fatalx("could regain root after dropping it");
	if (prctl(PR_SET_DUMPABLE, 0) == -1)
		fatal("prctl PR_SET_DUMPABLE");
}

#ifdef LVSD_SECCOMP_DEBUG
/* Debug builds only: name the syscall that the filter refused. */
static void
sandbox_sigsys(int sig, siginfo_t *info, void *ctx)
{
	char	 msg[64];
	int	 n;

	n = snprintf(msg, sizeof(msg), "seccomp: refused syscall %d\n",
	    info->si_syscall);
	if (n > 0)
		(void)write(STDERR_FILENO, msg, (size_t)n);
	_exit(1);
}

static uint32_t
sandbox_default_action(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sandbox_sigsys;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSYS, &sa, NULL) == -1)
		fatal("sigaction SIGSYS");
	return SCMP_ACT_TRAP;
}
#else
static uint32_t
sandbox_default_action(void)
{
	return SCMP_ACT_KILL_PROCESS;
}
#endif

#ifdef LVSD_TEST_HOOKS
/*
 * Test builds only (tests/hooks/, never installed): SIGUSR1 makes the
 * process do what a compromised child would try first, exec a shell;
 * SIGUSR2 opens a netlink socket.  Under the filter either kills the
 * process with SIGSYS.  Should the call return, the filter let it
 * through, and the exit status says so.  The hook's log line carries
 * control characters for the parent to neutralize.
 */
#define SANDBOX_TEST_SURVIVED	99

static void
sandbox_test_forbidden(int sig)
{
	char	*argv[] = { "sh", NULL };
	char	*envp[] = { NULL };

	if (sig == SIGUSR1)
		(void)execve("/bin/sh", argv, envp);
	else
		(void)socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	_exit(SANDBOX_TEST_SURVIVED);
}

#ifdef LVSD_SANITIZE
/*
 * And in the sanitizer build: SIGWINCH reads one byte past a heap block,
 * so that a test sees a report written from inside the sandbox
 * (tests/integration/49-sanitizer.t).
 */
static char	*sandbox_test_block;

static void
sandbox_test_overflow(int sig)
{
	volatile char	*p = sandbox_test_block;

	_exit(p[8] == 'x' ? SANDBOX_TEST_SURVIVED : SANDBOX_TEST_SURVIVED + 1);
}

static void
sandbox_test_san_hook(void)
{
	struct sigaction	 sa;

	if ((sandbox_test_block = calloc(1, 8)) == NULL)
		fatal("calloc");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sandbox_test_overflow;
	if (sigaction(SIGWINCH, &sa, NULL) == -1)
		fatal("sigaction: lvsd sanitizer test hook");
}
#endif

static void
sandbox_test_hooks(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sandbox_test_forbidden;
	if (sigaction(SIGUSR1, &sa, NULL) == -1 ||
	    sigaction(SIGUSR2, &sa, NULL) == -1)
		fatal("sigaction: lvsd test hook");
#ifdef LVSD_SANITIZE
	sandbox_test_san_hook();
#endif
	/* and a log line as a compromised child would forge it */
	log_info("lvsd test hook: SIGUSR1 execs, SIGUSR2 opens netlink; "
	    "a forged line follows\nlvsd: FORGED\r\033[2K\t\a\177\377 end");
}
#endif

void
sandbox_filter(const struct sandbox_rule *allow, size_t nallow,
    const struct sandbox_deny *deny, size_t ndeny, sandbox_extra_fn extra)
{
	scmp_filter_ctx	 ctx;
	size_t		 i;
	int		 r;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("prctl PR_SET_NO_NEW_PRIVS");
	if ((ctx = seccomp_init(sandbox_default_action())) == NULL)
		fatalx("seccomp_init failed");
	/* a syscall of another ABI kills the process, not one thread */
	if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS)) != 0)
		fatalx("seccomp_attr_set BADARCH: %s", strerror(-r));
	for (i = 0; i < ndeny; i++)
		if ((r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(deny[i].sd_errno),
		    deny[i].sd_nr, 0)) != 0)
			fatalx("seccomp deny %d: %s", deny[i].sd_nr,
			    strerror(-r));
	for (i = 0; i < nallow; i++)
		if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
		    allow[i].sr_nr, 0)) != 0)
			fatalx("seccomp allow %d (%s): %s", allow[i].sr_nr,
			    allow[i].sr_why, strerror(-r));
	if (extra != NULL)
		extra(ctx);
#ifdef LVSD_SANITIZE
	sandbox_san_rules(ctx);
#endif
#ifdef LVSD_TEST_HOOKS
	sandbox_test_hooks();
#endif
	if ((r = seccomp_load(ctx)) != 0)
		fatalx("seccomp_load: %s", strerror(-r));
	seccomp_release(ctx);
}
