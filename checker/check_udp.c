/*
 * checktype connect over UDP.  UDP has no handshake, so the probe sends
 * one empty datagram on a connected socket and listens: the kernel turns
 * an ICMP port unreachable from the real into ECONNREFUSED on that
 * socket.  The real is up unless such an error (or another one) arrives
 * within the connect timeout; an answer from the service is up at once.
 * This finds a closed port or a dead host whose neighbour answers for it,
 * not a hung service: it is the best a protocol-blind check can do.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "checker.h"
#include "log.h"

/* Enough to see that an answer came; its content is not looked at. */
#define CHECK_UDP_READ		512

static void	check_udp_event(struct ev_io *, uint32_t, void *);
static void	check_udp_timeout(void *);

static void
check_udp_finish(struct check *ck, int up, const char *why)
{
	check_udp_stop(ck);
	sched_done(ck, up, why);
}

static void
check_udp_fail(struct check *ck, const char *what, int error)
{
	char	 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "%s: %s", what, strerror(error));
	check_udp_finish(ck, 0, why);
}

void
check_udp_start(struct check *ck)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;

	sslen = addr_to_sockaddr(&ck->ck_msg.ck_addr, ck->ck_msg.ck_port, &ss);
	if ((ck->ck_fd = socket(ss.ss_family,
	    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1) {
		check_udp_fail(ck, "socket", errno);
		return;
	}
	if (connect(ck->ck_fd, (struct sockaddr *)&ss, sslen) == -1) {
		check_udp_fail(ck, "udp connect", errno);
		return;
	}
	if (send(ck->ck_fd, "", 0, 0) == -1) {
		check_udp_fail(ck, "udp send", errno);
		return;
	}
	ev_io_set(&ck->ck_io, ck->ck_fd, check_udp_event, ck);
	ev_io_add(&ck->ck_io, EPOLLIN);
	ev_timer_set(&ck->ck_deadline, check_udp_timeout, ck);
	ev_timer_add(&ck->ck_deadline, ck->ck_msg.ck_connect_timeout_ms);
}

static void
check_udp_event(struct ev_io *io, uint32_t events, void *arg)
{
	struct check	*ck = arg;
	char		 buf[CHECK_UDP_READ];

	if (recv(ck->ck_fd, buf, sizeof(buf), 0) != -1)
		check_udp_finish(ck, 1, "udp: answered");
	else if (errno != EAGAIN && errno != EINTR)
		check_udp_fail(ck, "udp", errno);
}

static void
check_udp_timeout(void *arg)
{
	struct check	*ck = arg;
	char		 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "udp: no error within %u ms",
	    ck->ck_msg.ck_connect_timeout_ms);
	check_udp_finish(ck, 1, why);
}

void
check_udp_stop(struct check *ck)
{
	ev_timer_del(&ck->ck_deadline);
	if (ck->ck_fd == -1)
		return;
	ev_io_del(&ck->ck_io);
	close(ck->ck_fd);
	ck->ck_fd = -1;
}
