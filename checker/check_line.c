/*
 * The negotiate checks that are a dialogue of text lines over TCP: smtp,
 * pop, imap, nntp, ftp and simpletcp, pops and imaps over TLS; and ldap,
 * a dialogue of binary messages, and ldaps over TLS.  This file is the engine: it connects
 * without blocking, reads the real's bytes into one bounded buffer, cuts
 * them into lines (or messages, by the service's ls_frame) and hands each
 * to the service's step function (line_mail.c, line_simpletcp.c,
 * line_ftp.c, line_ldap.c), which queues what to send next and says when
 * the verdict is known.  The bytes go over a plain socket, or over a TLS
 * stream (tls_conn.c) that libcurl connects and that the engine then
 * reads and writes the same way.
 *
 * A hostile real costs one failed check and no more: the whole exchange
 * has the negotiate timeout, a line longer than LINE_LEN_MAX or more than
 * LINE_TOTAL_MAX bytes in all end it as down, and the reason quotes at
 * most a few dozen of its bytes, control characters replaced.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker.h"
#include "log.h"

/* The longest line a real may send; RFC 5321 allows 512 for SMTP. */
#define LINE_LEN_MAX		2048
/* Bytes a real may send in one exchange: greetings and capabilities. */
#define LINE_TOTAL_MAX		((size_t)64 * 1024)
/* The longest command the checker sends: a login of two credentials. */
#define LINE_OUT_MAX		(64 + 4 * MSG_CRED_LEN + MSG_REQUEST_LEN)
/* How much of a real's line a reason quotes. */
#define LINE_QUOTE_MAX		48

static void	line_event(struct ev_io *, uint32_t, void *);
static void	line_timeout(void *);
static void	line_connected(struct check *);
static void	line_read(struct check *);
static void	line_write(struct check *);
static void	line_end(struct check *);
static void	line_lines(struct check *);
static int	line_cut_lines(struct check *, size_t *, char *, size_t);
static int	line_cut_messages(struct check *, size_t *, char *, size_t);
static void	line_tls_ready(struct check *, int);

/* The step function of each line service, by enum msg_service_kind. */
static const struct line_service *
line_service(const struct msg_check *m)
{
	switch (m->ck_service) {
	case SERVICE_SMTP:
		return &line_smtp;
	case SERVICE_POP:
		return &line_pop;
	case SERVICE_IMAP:
		return &line_imap;
	case SERVICE_NNTP:
		return &line_nntp;
	case SERVICE_SIMPLETCP:
		return &line_simpletcp;
	case SERVICE_FTP:
		return &line_ftp;
	case SERVICE_LDAP:
		return &line_ldap;
	case SERVICE_LDAPS:
		return &line_ldaps;
	case SERVICE_POPS:
		return &line_pops;
	case SERVICE_IMAPS:
		return &line_imaps;
	default:
		return NULL;
	}
}

/* Release what the probe holds, then hand its verdict on. */
void
line_finish(struct check *ck, int up, const char *why)
{
	check_line_stop(ck);
	sched_done(ck, up, why);
}

static void
line_fail_errno(struct check *ck, const char *what, int error)
{
	char	 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "%s: %s: %s", ck->ck_line->ls_name, what,
	    strerror(error));
	line_finish(ck, 0, why);
}

static int
line_over_tls(const struct msg_check *m)
{
	return m->ck_service == SERVICE_POPS || m->ck_service == SERVICE_IMAPS ||
	    m->ck_service == SERVICE_LDAPS;
}

/* One deadline for the whole exchange, TLS handshake included. */
static void
line_deadline(struct check *ck)
{
	ev_timer_set(&ck->ck_deadline, line_timeout, ck);
	ev_timer_add(&ck->ck_deadline, ck->ck_msg->ck_negotiate_timeout_ms);
}

/* libcurl connects and makes the handshake; line_tls_ready goes on. */
static void
line_tls_start(struct check *ck)
{
	char	 why[CHECK_REASON_LEN];

	ck->ck_tls = 1;
	ck->ck_connecting = 1;
	line_deadline(ck);
	if (tls_conn_start(ck, line_tls_ready) == -1) {
		snprintf(why, sizeof(why), "%s: cannot set up the TLS "
		    "connection", ck->ck_line->ls_name);
		line_finish(ck, 0, why);
	}
}

void
check_line_start(struct check *ck)
{
	const char	*what;

	ck->ck_line = line_service(ck->ck_msg);
	ck->ck_step = 0;
	ck->ck_bodylen = ck->ck_outlen = ck->ck_outoff = 0;
	ck->ck_total = 0;
	ck->ck_shut_wr = 0;
	ck->ck_end_sent = 0;
	ck->ck_tls = 0;
	if (line_over_tls(ck->ck_msg)) {
		line_tls_start(ck);
		return;
	}
	switch (sock_connect(&ck->ck_addr, ck->ck_port,
	    SOCK_STREAM, &ck->ck_fd, &what)) {
	case -1:
		line_fail_errno(ck, what, errno);
		return;
	case 0:
		ev_io_set(&ck->ck_io, ck->ck_fd, line_event, ck);
		line_deadline(ck);
		ev_io_add(&ck->ck_io, EPOLLIN);
		line_connected(ck);
		return;
	}
	ev_io_set(&ck->ck_io, ck->ck_fd, line_event, ck);
	line_deadline(ck);
	ck->ck_connecting = 1;
	ev_io_add(&ck->ck_io, EPOLLOUT);
}

/*
 * The TLS stream is up (res CURLE_OK), or failed: watch its socket, and
 * read at once what the handshake may have brought along.
 */
static void
line_tls_ready(struct check *ck, int res)
{
	char	 why[CHECK_REASON_LEN];
	int	 fd;

	if (res != 0 || (fd = tls_conn_fd(ck)) == -1) {
		snprintf(why, sizeof(why), "%s: tls: %s", ck->ck_line->ls_name,
		    tls_conn_strerror(ck, res));
		line_finish(ck, 0, why);
		return;
	}
	ev_io_set(&ck->ck_io, fd, line_event, ck);
	ev_io_add(&ck->ck_io, EPOLLIN);
	line_connected(ck);
	if (ck->ck_busy)
		line_read(ck);
}

/* Connected: make the buffers, let the service speak first if it must. */
static void
line_connected(struct check *ck)
{
	ck->ck_connecting = 0;
	if (ck->ck_body == NULL && (ck->ck_body = malloc(LINE_LEN_MAX)) == NULL)
		fatal("%s", __func__);
	if (ck->ck_out == NULL && (ck->ck_out = malloc(LINE_OUT_MAX)) == NULL)
		fatal("%s", __func__);
	if (ck->ck_line->ls_begin != NULL)
		ck->ck_line->ls_begin(ck);
	line_write(ck);
}

static void
line_event(struct ev_io *io, uint32_t events, void *arg)
{
	struct check	*ck = arg;
	int		 error;

	if (ck->ck_connecting) {
		if ((error = sock_connected(ck->ck_fd, events)) != 0) {
			line_fail_errno(ck, "connect", error);
			return;
		}
		line_connected(ck);
		return;
	}
	if (events & EPOLLOUT)
		line_write(ck);
	else if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		line_read(ck);
}

static void
line_fail_text(struct check *ck, const char *what, const char *err)
{
	char	 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "%s: %s: %s", ck->ck_line->ls_name, what,
	    err);
	line_finish(ck, 0, why);
}

/*
 * Send some of what is queued: how much went, or -1 if the socket has
 * no room (EPOLLOUT is then awaited) or the probe has failed.
 */
static ssize_t
line_send(struct check *ck)
{
	const char	*err;
	ssize_t		 n;

	if (ck->ck_tls)
		n = tls_conn_send(ck, ck->ck_out + ck->ck_outoff,
		    ck->ck_outlen - ck->ck_outoff, &err);
	else {
		do
			n = send(ck->ck_fd, ck->ck_out + ck->ck_outoff,
			    ck->ck_outlen - ck->ck_outoff, MSG_NOSIGNAL);
		while (n == -1 && errno == EINTR);
		err = n == -1 && errno != EAGAIN ? strerror(errno) : NULL;
	}
	if (n == -1 && err == NULL)
		ev_io_mod(&ck->ck_io, EPOLLOUT);
	else if (n == -1)
		line_fail_text(ck, "send", err);
	return n;
}

/*
 * Read into the line buffer: how much came (0: the real closed), or -1
 * if nothing has (wait for EPOLLIN) or the probe has failed.
 */
static ssize_t
line_recv(struct check *ck)
{
	const char	*err;
	size_t		 room = LINE_LEN_MAX - 1 - ck->ck_bodylen;
	ssize_t		 n;

	if (ck->ck_tls)
		n = tls_conn_recv(ck, ck->ck_body + ck->ck_bodylen, room, &err);
	else {
		do
			n = recv(ck->ck_fd, ck->ck_body + ck->ck_bodylen, room,
			    0);
		while (n == -1 && errno == EINTR);
		err = n == -1 && errno != EAGAIN ? strerror(errno) : NULL;
	}
	if (n == -1 && err != NULL)
		line_fail_text(ck, "recv", err);
	return n;
}

/*
 * Send what is queued; wait for room if the socket has none.  Once all
 * is out, listen, and half-close if the service asked for it.
 */
static void
line_write(struct check *ck)
{
	ssize_t	 n;

	while (ck->ck_outoff < ck->ck_outlen) {
		if ((n = line_send(ck)) == -1)
			return;
		ck->ck_outoff += (size_t)n;
	}
	ck->ck_outoff = ck->ck_outlen = 0;
	if (ck->ck_end_sent) {
		line_end(ck);
		return;
	}
	if (ck->ck_shut_wr == 1 && !ck->ck_tls) {
		(void)shutdown(ck->ck_fd, SHUT_WR);
		ck->ck_shut_wr = 2;
	}
	ev_io_mod(&ck->ck_io, EPOLLIN);
}

/*
 * The exchange is over, the service's last word: the real has closed
 * the connection, or the last request is out (line_end_after_send).
 */
static void
line_end(struct check *ck)
{
	char	 why[CHECK_REASON_LEN];
	int	 v;

	why[0] = '\0';
	v = ck->ck_line->ls_step(ck, NULL, why, sizeof(why));
	if (v == LINE_MORE)
		snprintf(why, sizeof(why), "%s: connection closed",
		    ck->ck_line->ls_name);
	line_finish(ck, v == LINE_UP, why);
}

/*
 * Read what has come.  A TLS stream is read until it has nothing more:
 * what its layer holds already decrypted would raise no event.
 */
static void
line_read(struct check *ck)
{
	ssize_t	 n;

	do {
		if ((n = line_recv(ck)) == -1)
			return;
		if (n == 0) {
			line_end(ck);
			return;
		}
		ck->ck_bodylen += (size_t)n;
		ck->ck_total += (size_t)n;
		line_lines(ck);
	} while (ck->ck_tls && ck->ck_busy);
}

/*
 * Hand every complete line (or message) to the service, until it has a
 * verdict; keep what is left of the last one for the next read.
 */
static void
line_lines(struct check *ck)
{
	char	 why[CHECK_REASON_LEN];
	size_t	 used = 0;
	int	 v;

	why[0] = '\0';
	if (ck->ck_line->ls_frame != NULL)
		v = line_cut_messages(ck, &used, why, sizeof(why));
	else
		v = line_cut_lines(ck, &used, why, sizeof(why));
	if (v != LINE_MORE) {
		line_finish(ck, v == LINE_UP, why);
		return;
	}
	ck->ck_bodylen -= used;
	memmove(ck->ck_body, ck->ck_body + used, ck->ck_bodylen);
	if (ck->ck_bodylen == LINE_LEN_MAX - 1)
		snprintf(why, sizeof(why), "%s: a %s longer than %d bytes",
		    ck->ck_line->ls_name, ck->ck_line->ls_frame != NULL ?
		    "message" : "line", LINE_LEN_MAX - 1);
	else if (ck->ck_total > LINE_TOTAL_MAX)
		snprintf(why, sizeof(why), "%s: more than %zu bytes",
		    ck->ck_line->ls_name, LINE_TOTAL_MAX);
	else {
		line_write(ck);
		return;
	}
	line_finish(ck, 0, why);
}

/* The lines of ck_body to the step function; *used: the bytes taken. */
static int
line_cut_lines(struct check *ck, size_t *used, char *why, size_t len)
{
	char	*line, *nl, *end;
	int	 v = LINE_MORE;

	line = ck->ck_body;
	end = ck->ck_body + ck->ck_bodylen;
	while (v == LINE_MORE && (nl = memchr(line, '\n', end - line)) != NULL) {
		*nl = '\0';
		if (nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		why[0] = '\0';
		v = ck->ck_line->ls_step(ck, line, why, len);
		line = nl + 1;
	}
	*used = (size_t)(line - ck->ck_body);
	return v;
}

/* The messages of ck_body to the step function, as ls_frame cuts them. */
static int
line_cut_messages(struct check *ck, size_t *used, char *why, size_t len)
{
	const uint8_t	*p = (const uint8_t *)ck->ck_body;
	size_t		 left = ck->ck_bodylen;
	ssize_t		 n;
	int		 v = LINE_MORE;

	while (v == LINE_MORE &&
	    (n = ck->ck_line->ls_frame(p, left, LINE_LEN_MAX - 1)) > 0) {
		ck->ck_msglen = (size_t)n;
		why[0] = '\0';
		v = ck->ck_line->ls_step(ck, (const char *)p, why, len);
		p += n;
		left -= (size_t)n;
	}
	*used = ck->ck_bodylen - left;
	if (v == LINE_MORE && n == -1) {
		snprintf(why, len, "%s: a malformed message, or one longer "
		    "than %d bytes", ck->ck_line->ls_name, LINE_LEN_MAX - 1);
		return LINE_DOWN;
	}
	return v;
}

static void
line_timeout(void *arg)
{
	struct check	*ck = arg;
	char		 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "%s: timeout after %u ms%s",
	    ck->ck_line->ls_name, ck->ck_msg->ck_negotiate_timeout_ms,
	    ck->ck_connecting ? " connecting" : "");
	line_finish(ck, 0, why);
}

/* Abandon the probe in flight, if any; no verdict. */
void
check_line_stop(struct check *ck)
{
	if (ck->ck_tls)
		tls_conn_stop(ck);
	check_release_probe(ck);
	ck->ck_connecting = 0;
}

/* Send what is queued now, from outside a step (ftp's data side). */
void
line_flush(struct check *ck)
{
	line_write(ck);
}

/* Queue a command; it goes out when the service's step returns. */
void
line_sendf(struct check *ck, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(ck->ck_out + ck->ck_outlen, LINE_OUT_MAX - ck->ck_outlen,
	    fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= LINE_OUT_MAX - ck->ck_outlen)
		fatalx("%s: command too long", __func__);
	ck->ck_outlen += (size_t)n;
}

/* Queue raw bytes (simpletcp's request); 0, or -1 if too long. */
int
line_send_bytes(struct check *ck, const char *p, size_t len)
{
	if (len > LINE_OUT_MAX - ck->ck_outlen)
		return -1;
	memcpy(ck->ck_out + ck->ck_outlen, p, len);
	ck->ck_outlen += len;
	return 0;
}

/* The verdict is due once everything queued is out: nothing is awaited. */
void
line_end_after_send(struct check *ck)
{
	ck->ck_end_sent = 1;
}

/* Half-close once everything queued is out. */
void
line_shutdown_after_send(struct check *ck)
{
	ck->ck_shut_wr = 1;
}

/* LINE_DOWN, with why = "SERVICE: WHAT: 'the line'", quoted. */
int
line_refused(struct check *ck, const char *what, const char *line,
    char *why, size_t len)
{
	char	 q[LINE_QUOTE_MAX + 4];

	snprintf(why, len, "%s: %s: '%s'", ck->ck_line->ls_name, what,
	    line_quote(line, SIZE_MAX, q, sizeof(q)));
	return LINE_DOWN;
}

/*
 * The checker's own address as an SMTP address literal, "[192.0.2.1]"
 * or "[IPv6:2001:db8::1]": the chroot has no host name to offer.
 */
void
line_local_literal(struct check *ck, char *buf, size_t len)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	struct addr		 a;
	char			 s[ADDR_STRLEN];

	memset(&ss, 0, sizeof(ss));
	if (getsockname(ck->ck_fd, (struct sockaddr *)&ss, &sslen) == -1) {
		strlcpy(buf, "[127.0.0.1]", len);
		return;
	}
	if (ss.ss_family == AF_INET6)
		addr_from_raw(&a, AF_INET6,
		    &((struct sockaddr_in6 *)&ss)->sin6_addr);
	else
		addr_from_raw(&a, AF_INET,
		    &((struct sockaddr_in *)&ss)->sin_addr);
	addr_ntop(&a, s, sizeof(s));
	snprintf(buf, len, "[%s%s]", a.a_af == AF_INET6 ? "IPv6:" : "", s);
}
