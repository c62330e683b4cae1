/*
 * service dns: one query for request to the real, over UDP or, when the
 * virtual service is TCP, over TCP with its two-byte length; up iff the
 * answer holds a record whose text matches receive (dns_wire.c).  As in
 * ldirectord an IPv4 address as request asks for its PTR record; a
 * receive with a ":" in it asks for AAAA, else A.  Nothing is resolved
 * through the system: the real is asked directly, once, with one
 * deadline (the negotiate timeout) for the whole exchange.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "log.h"

/* The largest answer read: UDP without EDNS is 512, TCP up to 65535. */
#define DNS_UDP_MAX	4096
#define DNS_TCP_MAX	(2 + 65535)

static void	check_dns_event(struct ev_io *, uint32_t, void *);
static void	check_dns_timeout(void *);

static void
check_dns_finish(struct check *ck, int up, const char *why)
{
	check_dns_stop(ck);
	sched_done(ck, up, why);
}

static void
check_dns_fail(struct check *ck, const char *what, int error)
{
	char	 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "dns: %s: %s", what, strerror(error));
	check_dns_finish(ck, 0, why);
}

/*
 * A query id.  It only tells this probe's answer from a stray one: the
 * real it asks is the party that could lie, so it need not be secret,
 * and a PRNG spares the sandbox a getrandom(2).
 */
static uint16_t
check_dns_next_id(void)
{
	static uint32_t	 x;

	if (x == 0)
		x = (uint32_t)ev_now() | 1;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return (uint16_t)(x >> 8);
}

/* The query type and name for ck's request and receive. */
static uint16_t
check_dns_question(const struct check *ck, char *name, size_t len)
{
	const char	*req = ck->ck_msg->ck_request;

	if (*req == '/')
		req++;
	if (dns_ptr_name(req, name, len) == 0)
		return DNS_T_PTR;
	strlcpy(name, req, len);
	return strchr(ck->ck_msg->ck_receive, ':') != NULL ? DNS_T_AAAA :
	    DNS_T_A;
}

/* The query into ck_out, two length bytes first if over TCP. */
static int
check_dns_query(struct check *ck)
{
	char	 name[DNS_NAME_MAX + 1];
	size_t	 n, pre;

	ck->ck_dns_type = check_dns_question(ck, name, sizeof(name));
	ck->ck_dns_id = check_dns_next_id();
	pre = ck->ck_msg->ck_proto == PROTO_TCP ? 2 : 0;
	if ((ck->ck_out = malloc(DNS_QUERY_MAX + 2)) == NULL)
		fatal("%s", __func__);
	n = dns_query_build((uint8_t *)ck->ck_out + pre, DNS_QUERY_MAX,
	    ck->ck_dns_id, name, ck->ck_dns_type);
	if (n == 0)
		return -1;
	if (pre) {
		ck->ck_out[0] = (char)(n >> 8);
		ck->ck_out[1] = (char)(n & 0xff);
	}
	ck->ck_outlen = n + pre;
	return 0;
}

void
check_dns_start(struct check *ck)
{
	const char	*what;
	int		 tcp = ck->ck_msg->ck_proto == PROTO_TCP;

	ck->ck_bodylen = ck->ck_outoff = 0;
	if (check_dns_query(ck) == -1) {
		check_dns_finish(ck, 0, "dns: request is not a domain name");
		return;
	}
	if (sock_connect(&ck->ck_addr, ck->ck_port,
	    tcp ? SOCK_STREAM : SOCK_DGRAM, &ck->ck_fd, &what) == -1) {
		check_dns_fail(ck, what, errno);
		return;
	}
	ev_io_set(&ck->ck_io, ck->ck_fd, check_dns_event, ck);
	ev_io_add(&ck->ck_io, EPOLLOUT);
	ev_timer_set(&ck->ck_deadline, check_dns_timeout, ck);
	ev_timer_add(&ck->ck_deadline, ck->ck_msg->ck_negotiate_timeout_ms);
}

/* Send the rest of the query; then wait for the answer. */
static void
check_dns_send(struct check *ck)
{
	ssize_t		 n;
	int		 error = sock_error(ck->ck_fd);

	if (error != 0) {
		check_dns_fail(ck, "connect", error);
		return;
	}
	n = send(ck->ck_fd, ck->ck_out + ck->ck_outoff,
	    ck->ck_outlen - ck->ck_outoff, MSG_NOSIGNAL);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1) {
		check_dns_fail(ck, "send", errno);
		return;
	}
	ck->ck_outoff += (size_t)n;
	if (ck->ck_outoff == ck->ck_outlen)
		ev_io_mod(&ck->ck_io, EPOLLIN);
}

static void
check_dns_answer(struct check *ck, const uint8_t *m, size_t len)
{
	char	 why[CHECK_REASON_LEN];
	int	 up;

	up = dns_answer_check(m, len, ck->ck_dns_id, ck->ck_dns_type,
	    ck->ck_has_re ? ck->ck_re : NULL, why, sizeof(why));
	check_dns_finish(ck, up, why);
}

/* UDP: one datagram is the answer; another id is someone else's. */
static void
check_dns_read_udp(struct check *ck)
{
	uint8_t	 buf[DNS_UDP_MAX];
	ssize_t	 n;

	if ((n = recv(ck->ck_fd, buf, sizeof(buf), 0)) == -1) {
		if (errno != EAGAIN && errno != EINTR)
			check_dns_fail(ck, "recv", errno);
		return;
	}
	if (n >= 2 && (buf[0] << 8 | buf[1]) != ck->ck_dns_id)
		return;
	check_dns_answer(ck, buf, (size_t)n);
}

/* TCP: two length bytes, then that many. */
static void
check_dns_read_tcp(struct check *ck)
{
	size_t	 want;
	ssize_t	 n;

	if (ck->ck_body == NULL && (ck->ck_body = calloc(1, DNS_TCP_MAX)) ==
	    NULL)
		fatal("%s", __func__);
	want = ck->ck_bodylen < 2 ? 2 : 2 +
	    ((size_t)(uint8_t)ck->ck_body[0] << 8 | (uint8_t)ck->ck_body[1]);
	n = recv(ck->ck_fd, ck->ck_body + ck->ck_bodylen,
	    want - ck->ck_bodylen, 0);
	if (n == -1) {
		if (errno != EAGAIN && errno != EINTR)
			check_dns_fail(ck, "recv", errno);
		return;
	}
	if (n == 0) {
		check_dns_finish(ck, 0, "dns: connection closed");
		return;
	}
	ck->ck_bodylen += (size_t)n;
	if (ck->ck_bodylen >= 2 && ck->ck_bodylen == 2 +
	    ((size_t)(uint8_t)ck->ck_body[0] << 8 | (uint8_t)ck->ck_body[1]))
		check_dns_answer(ck, (uint8_t *)ck->ck_body + 2,
		    ck->ck_bodylen - 2);
}

static void
check_dns_event(struct ev_io *io, uint32_t events, void *arg)
{
	struct check	*ck = arg;

	if (ck->ck_outoff < ck->ck_outlen)
		check_dns_send(ck);
	else if (ck->ck_msg->ck_proto == PROTO_TCP)
		check_dns_read_tcp(ck);
	else
		check_dns_read_udp(ck);
}

static void
check_dns_timeout(void *arg)
{
	struct check	*ck = arg;
	char		 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "dns: timeout after %u ms",
	    ck->ck_msg->ck_negotiate_timeout_ms);
	check_dns_finish(ck, 0, why);
}

/* Abandon the probe in flight, if any; no verdict. */
void
check_dns_stop(struct check *ck)
{
	check_release_probe(ck);
}
