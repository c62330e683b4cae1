/*
 * Opening the raw ICMP sockets that the checker's ping probes use, and
 * placing descriptors at fixed numbers before an exec.  The socket is
 * filtered before it is handed on: the kernel queues only echo replies
 * on it, so the unprivileged checker that holds it reads no other ICMP
 * message sent to this host (its seccomp filter keeps it from changing
 * the socket's filter; SECURITY.md).
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <netinet/in.h>
#include <stdint.h>
#include <unistd.h>

#include "icmpsock.h"

/* Room for the replies of a few thousand pings sent together. */
#define ICMPSOCK_RCVBUF		(1024 * 1024)

static int
icmpsock_filter(int fd, int family)
{
	struct icmp_filter	 f4;
	struct icmp6_filter	 f6;
	unsigned int		 i;

	if (family == AF_INET) {
		/* a set bit drops that type */
		f4.data = ~(1U << ICMP_ECHOREPLY);
		return setsockopt(fd, SOL_RAW, ICMP_FILTER, &f4, sizeof(f4));
	}
	/* here too a set bit drops that type: all but the echo reply */
	for (i = 0; i < 8; i++)
		f6.data[i] = UINT32_MAX;
	f6.data[ICMPV6_ECHO_REPLY >> 5] &= ~(1U << (ICMPV6_ECHO_REPLY & 31));
	return setsockopt(fd, IPPROTO_ICMPV6, ICMPV6_FILTER, &f6, sizeof(f6));
}

/*
 * A raw, non-blocking, close-on-exec socket for ICMP echo over family
 * (AF_INET or AF_INET6) that receives echo replies only; -1 and errno
 * if this process may not open one or the family is not there.
 */
int
icmpsock_open(int family)
{
	int	 fd, size = ICMPSOCK_RCVBUF, saved;

	if ((fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6)) == -1)
		return -1;
	if (icmpsock_filter(fd, family) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	/* a smaller buffer only means more lost replies under load */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return fd;
}

/*
 * In a child before exec: put src[i] on descriptor first + i, without
 * close-on-exec, for i < n; a src of -1 leaves that number closed.  For
 * the checker: its channel on 3 (MSG_PARENT_FD), ICMP sockets on 4, 5.
 * Every source is first copied above the targets, so that a source that
 * sits on another's target is not lost.  -1 on a failure.
 */
int
icmpsock_place(const int *src, int n, int first)
{
	int	 tmp[8], i;

	if (n > 8)
		return -1;
	for (i = 0; i < n; i++)
		if (src[i] != -1 && (tmp[i] = fcntl(src[i], F_DUPFD_CLOEXEC,
		    first + n)) == -1)
			return -1;
	for (i = 0; i < n; i++) {
		if (src[i] == -1) {
			close(first + i);
			continue;
		}
		/* dup2 clears close-on-exec on the copy */
		if (dup2(tmp[i], first + i) == -1)
			return -1;
		close(tmp[i]);
	}
	return 0;
}
