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
	const char	*what;

	switch (sock_connect(&ck->ck_addr, ck->ck_port,
	    SOCK_STREAM, &ck->ck_fd, &what)) {
	case -1:
		check_tcp_fail(ck, what, errno);
		return;
	case 0:
		check_tcp_finish(ck, 1, "connect: connected");
		return;
	}
	ev_io_set(&ck->ck_io, ck->ck_fd, check_tcp_event, ck);
	ev_io_add(&ck->ck_io, EPOLLOUT);
	ev_timer_set(&ck->ck_deadline, check_tcp_timeout, ck);
	ev_timer_add(&ck->ck_deadline, ck->ck_msg->ck_connect_timeout_ms);
}

static void
check_tcp_event(struct ev_io *io, uint32_t events, void *arg)
{
	struct check	*ck = arg;
	int		 error = sock_connected(ck->ck_fd, events);

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
	    ck->ck_msg->ck_connect_timeout_ms);
	check_tcp_finish(ck, 0, why);
}

/* Abandon the probe in flight, if any; no verdict. */
void
check_tcp_stop(struct check *ck)
{
	ev_timer_del(&ck->ck_deadline);
	if (ck->ck_fd == -1)
		return;
	ev_io_del_closing(&ck->ck_io);
	close(ck->ck_fd);
	ck->ck_fd = -1;
}
