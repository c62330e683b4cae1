/*
 * The checker's confinement: an empty chroot, the unprivileged ids, no
 * capability, and the system calls below and no others.  The list was
 * taken from strace -f of the checker running every kind of probe
 * (connect over TCP and UDP, HTTP GET with a body and HEAD, ping);
 * anything else kills the process, and the parent restarts it.  The
 * checker opens no raw socket: the parent hands it its two (icmpsock.c)
 * before exec, and this filter keeps it from reconfiguring them.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "checker.h"
#include "log.h"
#include "sandbox.h"

/*
 * Soft-denied: glibc, libcurl or OpenSSL may probe for a file and cope
 * with a failure; the chroot is empty anyway.
 */
static const struct sandbox_deny checker_deny[] = {
	{ SCMP_SYS(open), EACCES },
	{ SCMP_SYS(openat), EACCES },
	{ SCMP_SYS(stat), EACCES },
	{ SCMP_SYS(lstat), EACCES },
	{ SCMP_SYS(newfstatat), EACCES },
	{ SCMP_SYS(statx), EACCES },
};

static const struct sandbox_rule checker_allow[] = {
	/* the event loop (common/ev.c) */
	{ SCMP_SYS(epoll_wait), "ev_loop" },
	{ SCMP_SYS(epoll_pwait), "ev_loop, if libc maps epoll_wait" },
	{ SCMP_SYS(epoll_ctl), "ev_io_add/mod/del" },
	{ SCMP_SYS(clock_gettime), "ev_now, latency; vDSO fallback" },
	{ SCMP_SYS(gettimeofday), "libcurl's clock; vDSO fallback" },
	/* the channels to the parent and ipvsd (common/msg.c) */
	{ SCMP_SYS(sendmsg), "msg_chan_send, log lines to the parent" },
	{ SCMP_SYS(recvmsg), "msg_chan reads, the PEER descriptor" },
	{ SCMP_SYS(sendmmsg), "msg_chan: queued records in one call" },
	{ SCMP_SYS(recvmmsg), "msg_chan: a batch of records in one call" },
	{ SCMP_SYS(fcntl), "msg_chan_init O_NONBLOCK; libcurl sockets" },
	/* a descriptor the parent opened; the checker can open none */
	{ SCMP_SYS(read), "tls_ca: the CA bundle of a CA message" },
	/* the probes */
	{ SCMP_SYS(connect), "check_tcp, check_udp, libcurl" },
	{ SCMP_SYS(close), "every probe socket" },
	{ SCMP_SYS(getsockopt), "SO_ERROR after connect; PEER SO_TYPE" },
	{ SCMP_SYS(getsockname), "libcurl: local address of the probe" },
	{ SCMP_SYS(getpeername), "libcurl: remote address of the probe" },
	{ SCMP_SYS(sendto), "check_udp send(); check_ping; libcurl writes" },
	{ SCMP_SYS(recvfrom), "check_udp recv(); check_ping; libcurl reads" },
	{ SCMP_SYS(shutdown), "check_line: simpletcp's end of request" },
	{ SCMP_SYS(poll), "libcurl: connection checks; log: wait for the parent" },
	/* getrandom: TLS (libcurl's OpenSSL) seeds its generator with it */
	{ SCMP_SYS(getpid), "OpenSSL: its random generator checks for a fork" },
	{ SCMP_SYS(getrandom), "OpenSSL's seed; the radius authenticator, sip Call-ID (check_exchange), pgsql's SCRAM nonce (check_sql)" },
	/* memory */
	{ SCMP_SYS(brk), "malloc" },
	{ SCMP_SYS(mmap), "malloc of large blocks" },
	{ SCMP_SYS(munmap), "free of large blocks" },
	{ SCMP_SYS(mremap), "realloc of large blocks" },
	/* single-threaded, but libc and OpenSSL lock and unlock at exit */
	{ SCMP_SYS(futex), "exit handlers: pthread_once, locks" },
	/* the end */
	{ SCMP_SYS(exit_group), "exit" },
	{ SCMP_SYS(exit), "exit" },
	{ SCMP_SYS(rt_sigreturn), "return from a signal handler" },
	{ SCMP_SYS(restart_syscall), "a call interrupted by a stop" },
};

static void	checker_filter_setsockopt(scmp_filter_ctx);

/*
 * socket() only for what the probes use: TCP and UDP over IPv4 and IPv6,
 * with any of the SOCK_NONBLOCK and SOCK_CLOEXEC flags.  AF_UNIX (glibc's
 * nscd probe, should anything look a name up) fails softly.
 */
static void
checker_filter_socket(void *arg)
{
	static const int	 fams[] = { AF_INET, AF_INET6 };
	static const int	 types[] = { SOCK_STREAM, SOCK_DGRAM };
	/* the low 32 bits: an int argument's upper half is not defined */
	const scmp_datum_t	 mask = UINT32_MAX &
	    ~(scmp_datum_t)(SOCK_NONBLOCK | SOCK_CLOEXEC);
	scmp_filter_ctx		 ctx = arg;
	size_t			 i, j;
	int			 r;

	for (i = 0; i < sizeof(fams) / sizeof(fams[0]); i++)
		for (j = 0; j < sizeof(types) / sizeof(types[0]); j++)
			if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
			    SCMP_SYS(socket), 2,
			    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fams[i]),
			    SCMP_A1(SCMP_CMP_MASKED_EQ, mask,
			    (scmp_datum_t)types[j]))) != 0)
				fatalx("seccomp socket rule: %s", strerror(-r));
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
	    SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, AF_UNIX))) != 0)
		fatalx("seccomp socket deny: %s", strerror(-r));
	checker_filter_setsockopt(ctx);
}

/*
 * setsockopt() only at level IPPROTO_TCP (libcurl's TCP_NODELAY).  The
 * raw ICMP sockets from the parent are why: at the IP levels the checker
 * could set IP_HDRINCL (and send any IP packet, with any source address)
 * or clear the ICMP filter the parent set (and read every ICMP message
 * to this host); at SOL_SOCKET, SO_BROADCAST (and ping a broadcast
 * address).  Those levels fail softly; any other kills.
 */
static void
checker_filter_setsockopt(scmp_filter_ctx ctx)
{
	static const int	 denied[] = { SOL_SOCKET, IPPROTO_IP,
	    IPPROTO_IPV6, SOL_RAW, IPPROTO_ICMPV6 };
	const scmp_datum_t	 low = UINT32_MAX;
	size_t			 i;
	int			 r;

	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setsockopt), 1,
	    SCMP_A1(SCMP_CMP_MASKED_EQ, low, IPPROTO_TCP))) != 0)
		fatalx("seccomp setsockopt rule: %s", strerror(-r));
	for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		if ((r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
		    SCMP_SYS(setsockopt), 1, SCMP_A1(SCMP_CMP_MASKED_EQ, low,
		    (scmp_datum_t)denied[i]))) != 0)
			fatalx("seccomp setsockopt deny: %s", strerror(-r));
}

/* Confine this process for good; fatal on any failure. */
void
checker_sandbox(const char *root, uid_t uid, gid_t gid)
{
	sandbox_drop(root, uid, gid, SANDBOX_KEEP_NONE);
	sandbox_filter(checker_allow,
	    sizeof(checker_allow) / sizeof(checker_allow[0]),
	    checker_deny, sizeof(checker_deny) / sizeof(checker_deny[0]),
	    checker_filter_socket);
}
