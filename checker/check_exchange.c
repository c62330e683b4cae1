/*
 * The request-and-reply probes, radius, sip and simpletcp of a UDP
 * service: one request to the real over UDP (sent again, at growing
 * intervals, while no reply comes) or, for a sip check of a TCP service,
 * over TCP; then the real's bytes go to the service's reader
 * (radius_wire.c, sip_wire.c, check_simpleudp.c) until it has a
 * verdict.  One deadline, the negotiate timeout, covers the exchange;
 * what is read is bounded by the service's xs_reply_max.
 */
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "log.h"

/* The first wait before a UDP request goes again; it doubles each time. */
#define EXCHANGE_RESEND_MS	1000

static void	exchange_event(struct ev_io *, uint32_t, void *);
static void	exchange_timeout(void *);
static void	exchange_resend(void *);

static int
exchange_udp(const struct check *ck)
{
	return ck->ck_xs->xs_udp_only || ck->ck_msg->ck_proto == PROTO_UDP;
}

static void
exchange_finish(struct check *ck, int up, const char *why)
{
	check_exchange_stop(ck);
	sched_done(ck, up, why);
}

static void
exchange_fail(struct check *ck, const char *what, int error)
{
	char	 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "%s: %s: %s", ck->ck_xs->xs_name, what,
	    strerror(error));
	exchange_finish(ck, 0, why);
}

/* The checker's own end of the probe's socket. */
int
exchange_local(struct check *ck, struct addr *a, uint16_t *port)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	if (getsockname(ck->ck_fd, (struct sockaddr *)&ss, &len) == -1)
		return -1;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;

		addr_from_raw(a, AF_INET, &sin->sin_addr);
		*port = ntohs(sin->sin_port);
	} else {
		struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;

		addr_from_raw(a, AF_INET6, &sin6->sin6_addr);
		*port = ntohs(sin6->sin6_port);
	}
	return 0;
}

static const struct exchange_service *
exchange_service_of(const struct check *ck)
{
	switch (ck->ck_msg->ck_service) {
	case SERVICE_RADIUS:
		return &exchange_radius;
	case SERVICE_SIMPLETCP:
		return &exchange_simpleudp;
	default:
		return &exchange_sip;
	}
}

/* Connected: the service writes its request, which goes now. */
static void
exchange_connected(struct check *ck)
{
	char	 why[CHECK_REASON_LEN];

	if (ck->ck_xs->xs_request(ck, why, sizeof(why)) == -1) {
		exchange_finish(ck, 0, why);
		return;
	}
	ck->ck_connecting = 0;
	ev_io_mod(&ck->ck_io, EPOLLOUT);
	if (exchange_udp(ck)) {
		ck->ck_resend_ms = EXCHANGE_RESEND_MS;
		ev_timer_set(&ck->ck_resend, exchange_resend, ck);
		ev_timer_add(&ck->ck_resend, ck->ck_resend_ms);
	}
}

void
check_exchange_start(struct check *ck)
{
	const char	*what;
	int		 type;

	ck->ck_xs = exchange_service_of(ck);
	ck->ck_bodylen = ck->ck_outoff = ck->ck_outlen = 0;
	ck->ck_connecting = 1;
	/* a request authenticator must be unpredictable (RFC 2865 3) */
	if (getrandom(ck->ck_nonce, sizeof(ck->ck_nonce), 0) !=
	    (ssize_t)sizeof(ck->ck_nonce)) {
		exchange_fail(ck, "getrandom", errno);
		return;
	}
	type = exchange_udp(ck) ? SOCK_DGRAM : SOCK_STREAM;
	if (sock_connect(&ck->ck_addr, ck->ck_port, type,
	    &ck->ck_fd, &what) == -1) {
		exchange_fail(ck, what, errno);
		return;
	}
	ev_io_set(&ck->ck_io, ck->ck_fd, exchange_event, ck);
	ev_io_add(&ck->ck_io, EPOLLOUT);
	ev_timer_set(&ck->ck_deadline, exchange_timeout, ck);
	ev_timer_add(&ck->ck_deadline, ck->ck_msg->ck_negotiate_timeout_ms);
	if (type == SOCK_DGRAM)
		exchange_connected(ck);
}

/* Send what is left of the request; then wait for the reply. */
static void
exchange_send(struct check *ck)
{
	ssize_t	 n;

	n = send(ck->ck_fd, ck->ck_out + ck->ck_outoff,
	    ck->ck_outlen - ck->ck_outoff, MSG_NOSIGNAL);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1) {
		exchange_fail(ck, "send", errno);
		return;
	}
	ck->ck_outoff += (size_t)n;
	if (ck->ck_outoff == ck->ck_outlen)
		ev_io_mod(&ck->ck_io, EPOLLIN);
}

/* UDP: no reply yet; the same request again, the next wait doubled. */
static void
exchange_resend(void *arg)
{
	struct check	*ck = arg;

	if (send(ck->ck_fd, ck->ck_out, ck->ck_outlen, MSG_NOSIGNAL) == -1 &&
	    errno != EAGAIN && errno != EINTR) {
		exchange_fail(ck, "send", errno);
		return;
	}
	ck->ck_resend_ms *= 2;
	ev_timer_add(&ck->ck_resend, ck->ck_resend_ms);
}

/*
 * UDP: a datagram is one reply, read whole; another id's is skipped.
 * MSG_TRUNC has recv() tell a datagram's whole length: one longer than
 * xs_reply_max is down, not read cut short.
 */
static void
exchange_read_udp(struct check *ck)
{
	uint8_t	*buf;
	char	 why[CHECK_REASON_LEN];
	size_t	 used = 0;
	ssize_t	 n;
	int	 r;

	if ((buf = malloc(ck->ck_xs->xs_reply_max)) == NULL)
		fatal("%s", __func__);
	n = recv(ck->ck_fd, buf, ck->ck_xs->xs_reply_max, MSG_TRUNC);
	if (n == -1) {
		free(buf);
		if (errno != EAGAIN && errno != EINTR)
			exchange_fail(ck, "recv", errno);
		return;
	}
	if ((size_t)n > ck->ck_xs->xs_reply_max) {
		free(buf);
		snprintf(why, sizeof(why), "%s: a reply of %zd bytes, over "
		    "%zu", ck->ck_xs->xs_name, n, ck->ck_xs->xs_reply_max);
		exchange_finish(ck, 0, why);
		return;
	}
	r = ck->ck_xs->xs_reply(ck, buf, (size_t)n, &used, why, sizeof(why));
	free(buf);
	if (r == WIRE_UP || r == WIRE_DOWN || r == WIRE_PARTIAL)
		exchange_finish(ck, r == WIRE_UP, why);
}

/* TCP: the stream, message after message, until one has a verdict. */
static void
exchange_read_tcp(struct check *ck)
{
	char	 why[CHECK_REASON_LEN];
	size_t	 max = ck->ck_xs->xs_reply_max, used = 0;
	ssize_t	 n;
	int	 r;

	if (ck->ck_body == NULL && (ck->ck_body = malloc(max)) == NULL)
		fatal("%s", __func__);
	n = recv(ck->ck_fd, ck->ck_body + ck->ck_bodylen, max - ck->ck_bodylen,
	    0);
	if (n == -1) {
		if (errno != EAGAIN && errno != EINTR)
			exchange_fail(ck, "recv", errno);
		return;
	}
	if (n == 0) {
		snprintf(why, sizeof(why), "%s: connection closed after %zu "
		    "bytes", ck->ck_xs->xs_name, ck->ck_bodylen);
		exchange_finish(ck, 0, why);
		return;
	}
	ck->ck_bodylen += (size_t)n;
	while ((r = ck->ck_xs->xs_reply(ck, (uint8_t *)ck->ck_body,
	    ck->ck_bodylen, &used, why, sizeof(why))) == WIRE_SKIP) {
		ck->ck_bodylen -= used;
		memmove(ck->ck_body, ck->ck_body + used, ck->ck_bodylen);
	}
	if (r == WIRE_PARTIAL && ck->ck_bodylen == max)
		snprintf(why, sizeof(why), "%s: no whole reply in %zu bytes",
		    ck->ck_xs->xs_name, max);
	else if (r == WIRE_PARTIAL)
		return;
	exchange_finish(ck, r == WIRE_UP, why);
}

static void
exchange_event(struct ev_io *io, uint32_t events, void *arg)
{
	struct check	*ck = arg;
	int		 error;

	if (ck->ck_connecting) {
		if ((error = sock_connected(ck->ck_fd, events)) != 0)
			exchange_fail(ck, "connect", error);
		else
			exchange_connected(ck);
	} else if (ck->ck_outoff < ck->ck_outlen)
		exchange_send(ck);
	else if (exchange_udp(ck))
		exchange_read_udp(ck);
	else
		exchange_read_tcp(ck);
}

static void
exchange_timeout(void *arg)
{
	struct check	*ck = arg;
	char		 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "%s: no reply within %u ms",
	    ck->ck_xs->xs_name, ck->ck_msg->ck_negotiate_timeout_ms);
	exchange_finish(ck, 0, why);
}

/* Abandon the probe in flight, if any; no verdict. */
void
check_exchange_stop(struct check *ck)
{
	ev_timer_del(&ck->ck_resend);
	check_release_probe(ck);
}
