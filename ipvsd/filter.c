/*
 * ipvsd's seccomp allow-list.  Everything it opens is open before this is
 * loaded (the IPVS netlink socket, the epoll descriptor, the channel to
 * the parent); the checker's channel arrives by SCM_RIGHTS.  So: no
 * socket(), no open(), no exec, no network family.  The set was taken
 * with strace in the test VM.
 */
#include <errno.h>
#include <seccomp.h>
#include <stddef.h>

#include "ipvsd.h"
#include "sandbox.h"

static const struct sandbox_rule filter_allow[] = {
	/* the event loop */
	{ SCMP_SYS(epoll_wait), "ev_loop: wait for the channels" },
	{ SCMP_SYS(epoll_pwait), "ev_loop: epoll_wait on some libcs" },
	{ SCMP_SYS(epoll_ctl), "msg_chan: add and remove the checker" },
	{ SCMP_SYS(clock_gettime), "ev_now: timers (when not in the vDSO)" },
	/* the channels */
	{ SCMP_SYS(recvmsg), "msg_chan and netlink: read a record" },
	{ SCMP_SYS(recvmmsg), "msg_chan's batches of records, netlink's "
	    "acknowledgements" },
	{ SCMP_SYS(sendmmsg), "msg_chan: queued records in one call; "
	    "loghold: a batch of log lines" },
	{ SCMP_SYS(sendmsg), "msg_chan, log lines and netlink requests" },
	{ SCMP_SYS(fcntl), "msg_chan_init: the checker's descriptor" },
	{ SCMP_SYS(close), "msg_chan_close: an old checker channel" },
	/* netlink */
	{ SCMP_SYS(poll), "netlink: wait for an answer that is late; log: "
	    "wait for room in the channel to the parent" },
	{ SCMP_SYS(ppoll), "netlink: poll on some libcs" },
	/* memory */
	{ SCMP_SYS(brk), "malloc" },
	{ SCMP_SYS(mmap), "malloc of large blocks" },
	{ SCMP_SYS(munmap), "free of large blocks" },
	{ SCMP_SYS(mremap), "realloc of large blocks" },
	{ SCMP_SYS(madvise), "free: glibc trims arenas" },
	/* the rest */
	{ SCMP_SYS(sysinfo), "qsort (glibc): the memory size, big sorts" },
	{ SCMP_SYS(rt_sigreturn), "return from a signal handler" },
	{ SCMP_SYS(restart_syscall), "an interrupted syscall resumes" },
	{ SCMP_SYS(exit_group), "exit" },
	{ SCMP_SYS(exit), "exit" },
};

/* glibc may look at files it does not need: refuse quietly. */
static const struct sandbox_deny filter_deny[] = {
	{ SCMP_SYS(openat), EACCES },
	{ SCMP_SYS(open), EACCES },
	{ SCMP_SYS(newfstatat), EACCES },
	{ SCMP_SYS(fstat), EACCES },
	{ SCMP_SYS(statx), EACCES },
};

void
filter_install(void)
{
	sandbox_filter(filter_allow, sizeof(filter_allow) /
	    sizeof(filter_allow[0]), filter_deny, sizeof(filter_deny) /
	    sizeof(filter_deny[0]), NULL);
}
