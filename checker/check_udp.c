/*
 * checktype connect over UDP.  UDP has no handshake.  ldirectord pings
 * the real instead, which tells that the host is there but not that
 * anything listens on the port; lvsd does both at once: it sends one
 * empty datagram on a connected socket, where the kernel turns an ICMP
 * port unreachable from the real into ECONNREFUSED, and an ICMP echo
 * request (check_ping.c).
 *
 *	an answer on the port		up, at once
 *	port unreachable, any error	down, at once
 *	an echo reply			up, once CHECK_UDP_GRACE_MS more
 *					(and the reply's round trip) have
 *					brought no port unreachable
 *	nothing within checktimeout	down: the host does not answer
 *
 * Without a raw socket for the family (lvsd not run as root) it cannot
 * ping, and the real is up unless an error arrives, as the reason says.
 * This finds a dead host, a closed port and a host that answers for a
 * dead one, not a hung service: the best a protocol-blind check can do.
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
/*
 * After the echo reply, how long a port unreachable sent before it may
 * still take to arrive (it left the real first; this is for reordering
 * and the real's own ICMP rate limit's first token).
 */
#define CHECK_UDP_GRACE_MS	100

static void	check_udp_event(struct ev_io *, uint32_t, void *);
static void	check_udp_timeout(void *);
static void	check_udp_echoed(struct check *, uint32_t);

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
	const char	*what;

	if (sock_connect(&ck->ck_addr, ck->ck_port, SOCK_DGRAM,
	    &ck->ck_fd, &what) == -1) {
		check_udp_fail(ck, ck->ck_fd == -1 ? what : "udp connect",
		    errno);
		return;
	}
	if (send(ck->ck_fd, "", 0, 0) == -1) {
		check_udp_fail(ck, "udp send", errno);
		return;
	}
	ck->ck_udp_echoed = 0;
	if (ping_send(ck, check_udp_echoed) == -1) {
		if (errno != EAFNOSUPPORT) {
			check_udp_fail(ck, "udp: ping", errno);
			return;
		}
		ck->ck_udp_echoed = -1;
	}
	ev_io_set(&ck->ck_io, ck->ck_fd, check_udp_event, ck);
	ev_io_add(&ck->ck_io, EPOLLIN);
	ev_timer_set(&ck->ck_deadline, check_udp_timeout, ck);
	ev_timer_add(&ck->ck_deadline, ck->ck_msg->ck_connect_timeout_ms);
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

/* The host answered: wait a little more for a port unreachable. */
static void
check_udp_echoed(struct check *ck, uint32_t rtt_us)
{
	uint64_t	 end, grace;

	ck->ck_udp_echoed = 1;
	end = ck->ck_started_ms + ck->ck_msg->ck_connect_timeout_ms;
	grace = ev_now() + rtt_us / 1000 + CHECK_UDP_GRACE_MS;
	if (grace < end)
		ev_timer_at(&ck->ck_deadline, grace);
}

static void
check_udp_timeout(void *arg)
{
	struct check	*ck = arg;
	char		 why[CHECK_REASON_LEN];

	if (ck->ck_udp_echoed == 1)
		check_udp_finish(ck, 1, "udp: echo reply, no port unreachable");
	else if (ck->ck_udp_echoed == 0) {
		snprintf(why, sizeof(why), "udp: no echo reply within %u ms",
		    ck->ck_msg->ck_connect_timeout_ms);
		check_udp_finish(ck, 0, why);
	} else {
		snprintf(why, sizeof(why), "udp: no error within %u ms (no "
		    "raw ICMP socket: host not pinged)",
		    ck->ck_msg->ck_connect_timeout_ms);
		check_udp_finish(ck, 1, why);
	}
}

void
check_udp_stop(struct check *ck)
{
	ev_timer_del(&ck->ck_deadline);
	ping_cancel(ck);
	if (ck->ck_fd == -1)
		return;
	ev_io_del_closing(&ck->ck_io);
	close(ck->ck_fd);
	ck->ck_fd = -1;
}
