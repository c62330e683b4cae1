/*
 * The checker's own sockets to a real server: opened non-blocking and
 * close-on-exec, connecting at once; and how a connect that was in
 * progress ended.  Every probe that speaks over a socket of its own
 * (not libcurl's, not the parent's ICMP ones) opens it here.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>

#include "checker.h"

/*
 * A socket of type (SOCK_STREAM or SOCK_DGRAM) to addr:port, connecting:
 * 0 connected (a datagram socket always is), 1 in progress, or -1 with
 * errno set and *what naming the call that failed.  *fdp is the socket,
 * or -1 if none could be opened; the caller closes it in every case.
 */
int
sock_connect(const struct addr *addr, uint16_t port, int type, int *fdp,
    const char **what)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;

	sslen = addr_to_sockaddr(addr, port, &ss);
	*what = "socket";
	if ((*fdp = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	*what = "connect";
	if (connect(*fdp, (struct sockaddr *)&ss, sslen) == 0)
		return 0;
	return errno == EINPROGRESS ? 1 : -1;
}

/*
 * How the connect in progress on fd ended, told by its first event:
 * 0, or its errno.  A socket whose connect failed polls as an error or a
 * hang-up, so a lone EPOLLOUT (or EPOLLIN) is a connection made, without
 * a getsockopt(SO_ERROR) to ask.
 */
int
sock_connected(int fd, uint32_t events)
{
	if (!(events & (EPOLLERR | EPOLLHUP)))
		return 0;
	return sock_error(fd);
}

/* How the connect that was in progress on fd ended: 0, or its errno. */
int
sock_error(int fd)
{
	socklen_t	 len = sizeof(int);
	int		 error = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == -1)
		return errno;
	return error;
}
