/*
 * The SQL negotiate checks' socket: connect without blocking, send what
 * the protocol (sql_mysql.c, sql_pgsql.c) queued, read the server's
 * bytes into the protocol's bounded buffer and let it step, all within
 * one deadline, the negotiate timeout.  At the verdict, what the
 * protocol queued last (COM_QUIT, Terminate) is sent if the socket takes
 * it at once, then the socket is closed.
 */
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "log.h"
#include "sql.h"

static void	sql_event(struct ev_io *, uint32_t, void *);
static void	sql_timeout(void *);
static void	sql_write(struct check *);

static const char *
sql_name(const struct check *ck)
{
	return ck->ck_msg->ck_service == SERVICE_MYSQL ? "mysql" : "pgsql";
}

static void
sql_finish(struct check *ck, int up, const char *why)
{
	check_sql_stop(ck);
	sched_done(ck, up, why);
}

static void
sql_fail_errno(struct check *ck, const char *what, int error)
{
	char	 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "%s: %s: %s", sql_name(ck), what,
	    strerror(error));
	sql_finish(ck, 0, why);
}

/*
 * The protocol's state, and for SCRAM a client nonce: it need not be
 * secret, but a server must not be able to predict it, as RFC 5802
 * asks, so it comes from the kernel.
 */
static int
sql_conn_new(struct check *ck)
{
	struct sql_conn	*sc;

	if ((sc = malloc(sizeof(*sc))) == NULL)
		fatal("%s", __func__);
	sql_conn_init(sc, ck->ck_msg);
	ck->ck_sql = sc;
	if (ck->ck_msg->ck_service == SERVICE_PGSQL &&
	    getrandom(sc->sc_nonce_raw, sizeof(sc->sc_nonce_raw),
	    GRND_NONBLOCK) != (ssize_t)sizeof(sc->sc_nonce_raw))
		return -1;
	return 0;
}

void
check_sql_start(struct check *ck)
{
	const char	*what;

	if (sql_conn_new(ck) == -1) {
		sql_fail_errno(ck, "getrandom", errno);
		return;
	}
	if (sock_connect(&ck->ck_addr, ck->ck_port, SOCK_STREAM,
	    &ck->ck_fd, &what) == -1) {
		sql_fail_errno(ck, what, errno);
		return;
	}
	ev_io_set(&ck->ck_io, ck->ck_fd, sql_event, ck);
	ev_timer_set(&ck->ck_deadline, sql_timeout, ck);
	ev_timer_add(&ck->ck_deadline, ck->ck_msg->ck_negotiate_timeout_ms);
	ck->ck_connecting = 1;
	ev_io_add(&ck->ck_io, EPOLLOUT);
}

/* Connected: the protocol may speak first (pgsql), or wait (mysql). */
static void
sql_connected(struct check *ck)
{
	struct sql_conn	*sc = ck->ck_sql;

	ck->ck_connecting = 0;
	if (sc->sc_proto->sp_begin != NULL)
		sc->sc_proto->sp_begin(sc);
	sql_write(ck);
}

/* Send what is queued; wait for room, or listen once all is out. */
static void
sql_write(struct check *ck)
{
	struct sql_conn	*sc = ck->ck_sql;
	ssize_t		 n;

	while (sc->sc_outlen > 0) {
		n = send(ck->ck_fd, sc->sc_out, sc->sc_outlen, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			ev_io_mod(&ck->ck_io, EPOLLOUT);
			return;
		}
		if (n == -1) {
			sql_fail_errno(ck, "send", errno);
			return;
		}
		memmove(sc->sc_out, sc->sc_out + n, sc->sc_outlen - (size_t)n);
		sc->sc_outlen -= (size_t)n;
	}
	ev_io_mod(&ck->ck_io, EPOLLIN);
}

/* The verdict: a goodbye if the socket takes it now, then the end. */
static void
sql_verdict(struct check *ck, int v, const char *why)
{
	struct sql_conn	*sc = ck->ck_sql;

	if (sc->sc_outlen > 0)
		(void)send(ck->ck_fd, sc->sc_out, sc->sc_outlen,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
	sql_finish(ck, v == SQL_UP, why);
}

static void
sql_read(struct check *ck)
{
	struct sql_conn	*sc = ck->ck_sql;
	char		 why[CHECK_REASON_LEN];
	ssize_t		 n;
	int		 v;

	n = recv(ck->ck_fd, sc->sc_in + sc->sc_inlen,
	    sizeof(sc->sc_in) - sc->sc_inlen, 0);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1) {
		sql_fail_errno(ck, "recv", errno);
		return;
	}
	if (n == 0) {
		snprintf(why, sizeof(why), "%s: connection closed",
		    sql_name(ck));
		sql_finish(ck, 0, why);
		return;
	}
	sc->sc_inlen += (size_t)n;
	sc->sc_total += (size_t)n;
	why[0] = '\0';
	if (sc->sc_total > SQL_TOTAL_MAX)
		v = sql_fail(sc, why, sizeof(why), "more than %zu bytes",
		    SQL_TOTAL_MAX);
	else
		v = sql_steps(sc, why, sizeof(why));
	if (v == SQL_MORE && sc->sc_inlen == sizeof(sc->sc_in))
		v = sql_fail(sc, why, sizeof(why), "a packet longer than %zu "
		    "bytes", SQL_PACKET_MAX);
	if (v != SQL_MORE)
		sql_verdict(ck, v, why);
	else
		sql_write(ck);
}

static void
sql_event(struct ev_io *io, uint32_t events, void *arg)
{
	struct check	*ck = arg;
	int		 error;

	if (ck->ck_connecting) {
		if ((error = sock_connected(ck->ck_fd, events)) != 0)
			sql_fail_errno(ck, "connect", error);
		else
			sql_connected(ck);
		return;
	}
	if (events & EPOLLOUT)
		sql_write(ck);
	else if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		sql_read(ck);
}

static void
sql_timeout(void *arg)
{
	struct check	*ck = arg;
	char		 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "%s: timeout after %u ms%s", sql_name(ck),
	    ck->ck_msg->ck_negotiate_timeout_ms,
	    ck->ck_connecting ? " connecting" : "");
	sql_finish(ck, 0, why);
}

/* Abandon the probe in flight, if any; no verdict. */
void
check_sql_stop(struct check *ck)
{
	check_release_probe(ck);
	ck->ck_connecting = 0;
	if (ck->ck_sql != NULL)
		explicit_bzero(ck->ck_sql, sizeof(struct sql_conn));
	free(ck->ck_sql);
	ck->ck_sql = NULL;
}
