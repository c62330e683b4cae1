/*
 * checktype negotiate, service http, when no redirect is to be followed:
 * one GET (or HEAD) over a plain non-blocking socket, the reply read by
 * http_reply.c.  It asks and decides what check_http.c does through
 * libcurl (the same request line and headers; up iff the status is 2xx
 * and receive matches the body, in the same words; a malformed reply
 * is down in words of its own) at about half the CPU time per check:
 * libcurl spends 18 system calls and many allocations on a transfer
 * that needs six (tests/bench).  https, http_proxy, httpredirects and a
 * virtualhost libcurl would refuse stay with it.
 *
 * A probe waiting for its real holds no buffer: the request is built on
 * the stack when the socket is writable (kept only if the socket takes
 * part of it), the reply state made when the first bytes come.  Ten
 * thousand probes in flight would otherwise hold 60 MB.
 *
 * The whole exchange has the negotiate timeout, as the libcurl transfer
 * has.  The request asks the real to close after its reply; the reply
 * ends at its framing (Content-Length, the last chunk) or at the close.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker.h"
#include "log.h"

/* "GET " + the request + " HTTP/1.1\r\nHost: " + ... */
#define HTTP_PLAIN_OUT_MAX	(128 + MSG_REQUEST_LEN + MSG_VHOST_LEN + \
	ADDR_STRLEN)
/* What one read takes from the socket. */
#define HTTP_PLAIN_READ		4096
#define HTTP_PLAIN_EVENTS	(EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET)
/* ck_step */
#define HTTP_PLAIN_SENDING	0
#define HTTP_PLAIN_READING	1

static void	http_plain_event(struct ev_io *, uint32_t, void *);
static void	http_plain_timeout(void *);
static void	http_plain_send(struct check *);
static void	http_plain_keep_rest(struct check *, const char *, size_t);
static void	http_plain_read(struct check *);

/*
 * Whether the plain probe does what libcurl would for this check: http
 * (not https or http_proxy), no redirect to follow.
 */
int
check_http_plain_fits(const struct msg_check *m)
{
	const char	*first = strchr(m->ck_vhost, ':');

	/* an IPv6 virtualhost without brackets: libcurl's URL error */
	if (first != NULL && m->ck_vhost[0] != '[' &&
	    strchr(first + 1, ':') != NULL)
		return 0;
	return m->ck_service == SERVICE_HTTP && m->ck_redirects == 0;
}

/*
 * The request as libcurl makes it for http://HOST/REQUEST, and a
 * Connection: close: the Host is the virtualhost, else the real's
 * address, with its port unless it is 80.  Its length.
 */
size_t
check_http_plain_request(const struct check *ck, char *buf, size_t len)
{
	const struct msg_check	*m = ck->ck_msg;
	char			 host[MSG_VHOST_LEN + ADDR_STRLEN];
	size_t			 n;
	int			 w;

	strlcpy(host, m->ck_vhost[0] != '\0' ? m->ck_vhost : ck->ck_name,
	    sizeof(host));
	n = strlen(host);
	/* ":80" ends an IPv6 literal only after its "]" */
	if (n > 3 && strcmp(host + n - 3, ":80") == 0 &&
	    (host[0] != '[' || host[n - 4] == ']'))
		host[n - 3] = '\0';
	/* a URL's #fragment is not sent */
	w = snprintf(buf, len, "%s %.*s HTTP/1.1\r\nHost: %s\r\n"
	    "User-Agent: lvsd-checker\r\nAccept: */*\r\n"
	    "Connection: close\r\n\r\n",
	    m->ck_method == HTTP_HEAD ? "HEAD" : "GET",
	    (int)strcspn(m->ck_request, "#"), m->ck_request, host);
	if (w < 0 || (size_t)w >= len)
		fatalx("%s: request too long", __func__);
	return (size_t)w;
}

/* Release what the probe holds, then hand its verdict on. */
static void
http_plain_finish(struct check *ck, int up, const char *why)
{
	check_http_plain_stop(ck);
	sched_done(ck, up, why);
}

static void
http_plain_fail(struct check *ck, const char *what, int error)
{
	char	 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "%s: %s", what, strerror(error));
	http_plain_finish(ck, 0, why);
}

void
check_http_plain_start(struct check *ck)
{
	const char	*what;
	int		 r;

	ck->ck_step = HTTP_PLAIN_SENDING;
	if ((r = sock_connect(&ck->ck_addr, ck->ck_port, SOCK_STREAM,
	    &ck->ck_fd, &what)) == -1) {
		http_plain_fail(ck, what, errno);
		return;
	}
	ck->ck_connecting = r == 1;
	ev_io_set(&ck->ck_io, ck->ck_fd, http_plain_event, ck);
	ev_io_add(&ck->ck_io, HTTP_PLAIN_EVENTS);
	ev_timer_set(&ck->ck_deadline, http_plain_timeout, ck);
	ev_timer_add(&ck->ck_deadline, ck->ck_msg->ck_negotiate_timeout_ms);
}

/*
 * Edge-triggered, for both directions at once: the socket is watched
 * with one epoll_ctl for the whole probe, not one to send and another to
 * read.  An edge is a change, so whatever is readable is read to the end
 * (http_plain_read), and a writable edge once the request is out (the
 * real's ACK freeing send buffer) is nothing to do.
 */
static void
http_plain_event(struct ev_io *io, uint32_t events, void *arg)
{
	struct check	*ck = arg;
	int		 error;

	if (ck->ck_connecting) {
		if ((error = sock_connected(ck->ck_fd, events)) != 0) {
			http_plain_fail(ck, "connect", error);
			return;
		}
		ck->ck_connecting = 0;
	}
	if (ck->ck_step == HTTP_PLAIN_SENDING) {
		http_plain_send(ck);
		/* ended, or the rest waits for room */
		if (ck->ck_fd == -1 || ck->ck_step == HTTP_PLAIN_SENDING)
			return;
	}
	/* a real that spoke first: its bytes came with this edge */
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP))
		http_plain_read(ck);
}

/*
 * Send the request, or what the socket did not take of it; then wait
 * for the reply.
 */
static void
http_plain_send(struct check *ck)
{
	char		 buf[HTTP_PLAIN_OUT_MAX];
	const char	*p = buf;
	size_t		 len;
	ssize_t		 n;

	if (ck->ck_out == NULL)
		len = check_http_plain_request(ck, buf, sizeof(buf));
	else {
		p = ck->ck_out + ck->ck_outoff;
		len = ck->ck_outlen - ck->ck_outoff;
	}
	do
		n = send(ck->ck_fd, p, len, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	if (n == -1 && errno != EAGAIN) {
		http_plain_fail(ck, "http: send", errno);
		return;
	}
	if (n == -1)
		n = 0;
	if ((size_t)n == len) {
		free(ck->ck_out);
		ck->ck_out = NULL;
		ck->ck_step = HTTP_PLAIN_READING;
	} else if (ck->ck_out != NULL)
		ck->ck_outoff += (size_t)n;
	else
		http_plain_keep_rest(ck, buf + n, len - (size_t)n);
}

/* The socket took part of the request: keep the rest for the next edge. */
static void
http_plain_keep_rest(struct check *ck, const char *rest, size_t len)
{
	if ((ck->ck_out = malloc(len)) == NULL)
		fatal("%s", __func__);
	memcpy(ck->ck_out, rest, len);
	ck->ck_outlen = len;
	ck->ck_outoff = 0;
}

/* The reply sink: check_http.c keeps the body if receive needs it. */
static int
http_plain_body(void *arg, const char *p, size_t len)
{
	struct check	*ck = arg;

	return check_http_body(ck, p, len) == len ? 0 : -1;
}

/*
 * What http_reply.c said of the bytes so far, or of the close: a whole
 * reply is judged as libcurl's is (check_http.c).
 */
static void
http_plain_outcome(struct check *ck, int r, char *why, size_t len)
{
	int	 up;

	if (r == HR_END) {
		up = check_http_judge(ck, ck->ck_reply->hr_status, why, len);
		http_plain_finish(ck, up, why);
	} else if (r == HR_BAD) {
		if (ck->ck_overflow)
			check_http_too_big(ck, why, len);
		http_plain_finish(ck, 0, why);
	}
}

static void
http_plain_read(struct check *ck)
{
	const struct http_reply_sink	 sink = { http_plain_body, ck };
	char				 buf[HTTP_PLAIN_READ];
	char				 why[CHECK_REASON_LEN];
	ssize_t				 n;

	if (ck->ck_reply == NULL) {
		if ((ck->ck_reply = malloc(sizeof(*ck->ck_reply))) == NULL)
			fatal("%s", __func__);
		http_reply_init(ck->ck_reply,
		    ck->ck_msg->ck_method == HTTP_HEAD);
	}
	/* until the probe ends (its socket is closed) or nothing is left */
	while (ck->ck_fd != -1) {
		if ((n = recv(ck->ck_fd, buf, sizeof(buf), 0)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				http_plain_fail(ck, "http: recv", errno);
			return;
		}
		if (n == 0)
			http_plain_outcome(ck, http_reply_eof(ck->ck_reply,
			    why, sizeof(why)), why, sizeof(why));
		else
			http_plain_outcome(ck, http_reply_feed(ck->ck_reply,
			    buf, (size_t)n, &sink, why, sizeof(why)), why,
			    sizeof(why));
	}
}

static void
http_plain_timeout(void *arg)
{
	struct check	*ck = arg;
	char		 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "timeout after %u ms",
	    ck->ck_msg->ck_negotiate_timeout_ms);
	http_plain_finish(ck, 0, why);
}

/* Abandon the probe in flight, if any; no verdict. */
void
check_http_plain_stop(struct check *ck)
{
	free(ck->ck_reply);
	ck->ck_reply = NULL;
	ck->ck_connecting = 0;
	ck->ck_overflow = 0;
	check_release_probe(ck);
}
