/*
 * checktype ping, and the echo requests that a UDP connect check sends:
 * ICMP echo over the two raw sockets the parent opened (MSG_ICMP4_FD,
 * MSG_ICMP6_FD), shared by every check.  All pings of this process carry
 * one identifier, drawn at start, and a sequence number of their own;
 * a reply is taken for the ping in flight with its sequence number only
 * if it also carries the identifier, the process's cookie as data and
 * comes from the address pinged.  Any other reply (another program's
 * ping, an old one, a forged one) is dropped.
 */
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/tree.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker.h"
#include "log.h"

/* Replies read per wake-up, so that a flood cannot starve the rest. */
#define PING_READS_PER_EVENT	64

RB_HEAD(ping_tree, check);
static int	ping_cmp(const struct check *, const struct check *);
/* RB_*_STATIC want a __unused that libbsd leaves undefined on Linux */
#define PING_TREE_ATTR	__attribute__((__unused__)) static
RB_PROTOTYPE_INTERNAL(ping_tree, check, ck_ping_node, ping_cmp,
    PING_TREE_ATTR)

struct ping_sock {
	int			 ps_fd;		/* -1: none */
	int			 ps_family;
	int			 ps_proto;
	struct ev_io		 ps_io;
	struct ping_tree	 ps_pending;	/* by ck_ping_seq */
	uint16_t		 ps_next_seq;
};

static struct ping_sock	 ping_socks[2] = {
	{ MSG_ICMP4_FD, AF_INET, IPPROTO_ICMP, { 0 }, RB_INITIALIZER(), 0 },
	{ MSG_ICMP6_FD, AF_INET6, IPPROTO_ICMPV6, { 0 }, RB_INITIALIZER(), 0 },
};
static uint16_t		 ping_ident;
static uint8_t		 ping_cookie[PING_DATA_LEN];

static void	ping_readable(struct ev_io *, uint32_t, void *);

static int
ping_cmp(const struct check *a, const struct check *b)
{
	return (int)a->ck_ping_seq - (int)b->ck_ping_seq;
}

RB_GENERATE_INTERNAL(ping_tree, check, ck_ping_node, ping_cmp, PING_TREE_ATTR)

/* Is fd a raw socket of family and proto? */
static int
ping_sock_is(int fd, int family, int proto)
{
	int		 v;
	socklen_t	 len = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) == -1 ||
	    v != SOCK_RAW)
		return 0;
	len = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len) == -1 ||
	    v != family)
		return 0;
	len = sizeof(v);
	return getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len) == 0 &&
	    v == proto;
}

/*
 * Before the sandbox: take the sockets the parent left on their fixed
 * descriptors, if it did, and draw the identifier and the cookie.
 */
void
ping_init(void)
{
	struct ping_sock	*ps;
	size_t			 i;

	arc4random_buf(&ping_ident, sizeof(ping_ident));
	arc4random_buf(ping_cookie, sizeof(ping_cookie));
	for (i = 0; i < sizeof(ping_socks) / sizeof(ping_socks[0]); i++) {
		ps = &ping_socks[i];
		if (fcntl(ps->ps_fd, F_GETFD) == -1) {
			ps->ps_fd = -1;
			continue;
		}
		if (!ping_sock_is(ps->ps_fd, ps->ps_family, ps->ps_proto) ||
		    fcntl(ps->ps_fd, F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(ps->ps_fd, F_SETFD, FD_CLOEXEC) == -1) {
			log_warnx("descriptor %d is not a raw ICMP socket; "
			    "ignored", ps->ps_fd);
			ps->ps_fd = -1;
			continue;
		}
		ev_io_set(&ps->ps_io, ps->ps_fd, ping_readable, ps);
		ev_io_add(&ps->ps_io, EPOLLIN);
	}
}

static struct ping_sock *
ping_sock_for(const struct check *ck)
{
	return &ping_socks[ck->ck_addr.a_af == AF_INET ? 0 : 1];
}

/* A sequence number no ping in flight on ps has, or -1. */
static int
ping_seq_take(struct ping_sock *ps, struct check *ck)
{
	unsigned int	 tries;

	for (tries = 0; tries <= UINT16_MAX; tries++) {
		ck->ck_ping_seq = ps->ps_next_seq++;
		if (RB_FIND(ping_tree, &ps->ps_pending, ck) == NULL)
			return 0;
	}
	return -1;
}

/*
 * Send an echo request to ck's real; reply(ck, rtt_us) runs when the
 * answer comes.  -1 and errno if it cannot go (EAFNOSUPPORT: there is
 * no socket for the family).
 */
int
ping_send(struct check *ck, void (*reply)(struct check *, uint32_t))
{
	struct ping_sock	*ps = ping_sock_for(ck);
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	uint8_t			 pkt[ICMP_ECHO_HDR + PING_DATA_LEN];
	size_t			 len;

	if (ps->ps_fd == -1) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (ping_seq_take(ps, ck) == -1) {
		errno = ENOBUFS;
		return -1;
	}
	len = icmp_echo_build(pkt, sizeof(pkt), ps->ps_family, ping_ident,
	    ck->ck_ping_seq, ping_cookie, sizeof(ping_cookie));
	sslen = addr_to_sockaddr(&ck->ck_addr, 0, &ss);
	if (sendto(ps->ps_fd, pkt, len, 0, (struct sockaddr *)&ss, sslen) ==
	    -1)
		return -1;
	ck->ck_ping_reply = reply;
	ck->ck_ping_sent_us = sched_now_us();
	RB_INSERT(ping_tree, &ps->ps_pending, ck);
	ck->ck_ping_pending = 1;
	return 0;
}

/* Forget ck's ping in flight, if any: a late reply is then dropped. */
void
ping_cancel(struct check *ck)
{
	if (!ck->ck_ping_pending)
		return;
	RB_REMOVE(ping_tree, &ping_sock_for(ck)->ps_pending, ck);
	ck->ck_ping_pending = 0;
}

/* Did the reply come from ck's address? */
static int
ping_from(const struct check *ck, const struct sockaddr_storage *ss)
{
	const struct addr	*a = &ck->ck_addr;

	if (ss->ss_family != a->a_af)
		return 0;
	if (a->a_af == AF_INET)
		return memcmp(&((const struct sockaddr_in *)ss)->sin_addr,
		    &a->a_u.v4, sizeof(a->a_u.v4)) == 0;
	return memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr,
	    &a->a_u.v6, sizeof(a->a_u.v6)) == 0;
}

/* One packet from ps's socket: the reply of a ping in flight, or not. */
static void
ping_packet(struct ping_sock *ps, const uint8_t *buf, size_t len,
    const struct sockaddr_storage *from)
{
	struct icmp_echo	 echo;
	struct check		 key, *ck;
	uint64_t		 rtt;

	if (icmp_echo_reply_parse(ps->ps_family, buf, len, &echo) == -1 ||
	    echo.ie_id != ping_ident)
		return;
	/* only the sequence is compared; the rest zero for the analyzers */
	memset(&key, 0, sizeof(key));
	key.ck_ping_seq = echo.ie_seq;
	if ((ck = RB_FIND(ping_tree, &ps->ps_pending, &key)) == NULL)
		return;
	if (!ping_from(ck, from) || echo.ie_datalen != sizeof(ping_cookie) ||
	    memcmp(echo.ie_data, ping_cookie, sizeof(ping_cookie)) != 0) {
		log_debug("echo reply %u for %s from elsewhere or with other "
		    "data; dropped", echo.ie_seq, ck->ck_name);
		return;
	}
	ping_cancel(ck);
	rtt = sched_now_us() - ck->ck_ping_sent_us;
	ck->ck_ping_reply(ck, rtt > UINT32_MAX ? UINT32_MAX : (uint32_t)rtt);
}

static void
ping_readable(struct ev_io *io, uint32_t events, void *arg)
{
	struct ping_sock	*ps = arg;
	struct sockaddr_storage	 from;
	socklen_t		 fromlen;
	uint8_t			 buf[PING_PACKET_MAX];
	ssize_t			 n;
	int			 i;

	for (i = 0; i < PING_READS_PER_EVENT; i++) {
		fromlen = sizeof(from);
		memset(&from, 0, sizeof(from));
		/* a longer packet is cut short, and is no reply of ours */
		if ((n = recvfrom(ps->ps_fd, buf, sizeof(buf), MSG_TRUNC,
		    (struct sockaddr *)&from, &fromlen)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("%s: recvfrom", __func__);
			return;
		}
		if ((size_t)n <= sizeof(buf))
			ping_packet(ps, buf, (size_t)n, &from);
	}
}

/* ---- checktype ping ---- */

static void	check_ping_timeout(void *);

static void
check_ping_finish(struct check *ck, int up, const char *why)
{
	check_ping_stop(ck);
	sched_done(ck, up, why);
}

static void
check_ping_echoed(struct check *ck, uint32_t rtt_us)
{
	char	 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "ping: echo reply in %u.%03u ms",
	    rtt_us / 1000, rtt_us % 1000);
	check_ping_finish(ck, 1, why);
}

/*
 * One echo request of a ping probe, which sends up to checkcount of
 * them, one per checktimeout, as ldirectord does; the first reply ends it.
 */
static void
check_ping_try(struct check *ck)
{
	char	 why[CHECK_REASON_LEN];

	ck->ck_ping_tries++;
	if (ping_send(ck, check_ping_echoed) == -1) {
		snprintf(why, sizeof(why), "ping: %s", errno == EAFNOSUPPORT ?
		    "no raw ICMP socket for this family (is lvsd root?)" :
		    strerror(errno));
		check_ping_finish(ck, 0, why);
		return;
	}
	ev_timer_set(&ck->ck_deadline, check_ping_timeout, ck);
	ev_timer_add(&ck->ck_deadline, ck->ck_msg->ck_connect_timeout_ms);
}

void
check_ping_start(struct check *ck)
{
	ck->ck_ping_tries = 0;
	check_ping_try(ck);
}

static void
check_ping_timeout(void *arg)
{
	struct check	*ck = arg;
	char		 why[CHECK_REASON_LEN];

	if (ck->ck_ping_tries < ck->ck_msg->ck_checkcount) {
		ping_cancel(ck);
		check_ping_try(ck);
		return;
	}
	if (ck->ck_ping_tries > 1)
		snprintf(why, sizeof(why), "ping: no echo reply to %u "
		    "requests, %u ms each", ck->ck_ping_tries,
		    ck->ck_msg->ck_connect_timeout_ms);
	else
		snprintf(why, sizeof(why), "ping: no echo reply within %u ms",
		    ck->ck_msg->ck_connect_timeout_ms);
	check_ping_finish(ck, 0, why);
}

void
check_ping_stop(struct check *ck)
{
	ev_timer_del(&ck->ck_deadline);
	ping_cancel(ck);
}
