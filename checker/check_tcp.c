/*
 * checktype connect over TCP: up iff a non-blocking connect() to the real
 * completes within the connect timeout.  Nothing is sent; the socket is
 * closed as soon as the handshake is done, as ldirectord does.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "checker.h"
#include "log.h"

static void	check_tcp_event(struct ev_io *, uint32_t, void *);
static void	check_tcp_timeout(void *);

/* Release what the probe holds, then hand its verdict on. */
static void
check_tcp_finish(struct check *ck, int up, const char *why)
{
	check_tcp_stop(ck);
	sched_done(ck, up, why);
}

static void
check_tcp_fail(struct check *ck, const char *what, int error)
{
	char	 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "%s: %s", what, strerror(error));
	check_tcp_finish(ck, 0, why);
}

void
check_tcp_start(struct check *ck)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;

	sslen = addr_to_sockaddr(&ck->ck_msg.ck_addr, ck->ck_msg.ck_port, &ss);
	if ((ck->ck_fd = socket(ss.ss_family,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1) {
		check_tcp_fail(ck, "socket", errno);
		return;
	}
	if (connect(ck->ck_fd, (struct sockaddr *)&ss, sslen) == 0) {
		check_tcp_finish(ck, 1, "connect: connected");
		return;
	}
	if (errno != EINPROGRESS) {
		check_tcp_fail(ck, "connect", errno);
		return;
	}
	ev_io_set(&ck->ck_io, ck->ck_fd, check_tcp_event, ck);
	ev_io_add(&ck->ck_io, EPOLLOUT);
	ev_timer_set(&ck->ck_deadline, check_tcp_timeout, ck);
	ev_timer_add(&ck->ck_deadline, ck->ck_msg.ck_connect_timeout_ms);
}

static void
check_tcp_event(struct ev_io *io, uint32_t events, void *arg)
{
	struct check	*ck = arg;
	socklen_t	 len = sizeof(int);
	int		 error = 0;

	if (getsockopt(ck->ck_fd, SOL_SOCKET, SO_ERROR, &error, &len) == -1)
		error = errno;
	if (error != 0)
		check_tcp_fail(ck, "connect", error);
	else if (events & EPOLLOUT)
		check_tcp_finish(ck, 1, "connect: connected");
	else
		check_tcp_finish(ck, 0, "connect: hung up");
}

static void
check_tcp_timeout(void *arg)
{
	struct check	*ck = arg;
	char		 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "timeout after %u ms",
	    ck->ck_msg.ck_connect_timeout_ms);
	check_tcp_finish(ck, 0, why);
}

/* Abandon the probe in flight, if any; no verdict. */
void
check_tcp_stop(struct check *ck)
{
	ev_timer_del(&ck->ck_deadline);
	if (ck->ck_fd == -1)
		return;
	ev_io_del(&ck->ck_io);
	close(ck->ck_fd);
	ck->ck_fd = -1;
}
