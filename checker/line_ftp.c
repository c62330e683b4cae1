/*
 * service ftp, a dialogue of the line engine (check_line.c) with a second
 * connection for the file:
 *
 *	220 greeting, USER (login, or anonymous) answered 331 or 230,
 *	PASS answered 230, TYPE I answered 200, PASV (EPSV over IPv6)
 *	answered 227 (229), the data connection opened, RETR request
 *	answered 150 and then 226; the file read to its end; QUIT.
 *
 * Up iff every step was accepted and the file matches receive (any file
 * does without one).  Passive mode only: the checker never listens.  The
 * data connection goes to the real's own address whatever address the
 * PASV reply names, so a real cannot aim the checker at a third host.
 * It shares the probe's one deadline (the negotiate timeout), and the
 * file is held up to FTP_FILE_MAX bytes: a larger one is down.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker.h"
#include "log.h"

/* The largest file fetched: a health file is small; this bounds memory. */
#define FTP_FILE_MAX	((size_t)64 * 1024)

enum {
	FTP_GREETING, FTP_USER, FTP_PASS, FTP_TYPE, FTP_PASV, FTP_RETR,
	FTP_QUIT
};

/* ck_count's bits while the file comes */
#define FTP_F_MULTI	0x1	/* inside a multi-line reply */
#define FTP_F_CTL_DONE	0x2	/* RETR answered 226 */
#define FTP_F_DATA_EOF	0x4	/* the data connection closed */

static void	ftp_data_event(struct ev_io *, uint32_t, void *);

/*
 * The code of a final reply line; 0 for a line a multi-line reply goes
 * on with ("220-Welcome", then free text); -1 if line is no reply.
 */
static int
ftp_reply_code(struct check *ck, const char *line)
{
	int	 code, digits;

	digits = isdigit((unsigned char)line[0]) &&
	    isdigit((unsigned char)line[1]) && isdigit((unsigned char)line[2]);
	code = digits ? (line[0] - '0') * 100 + (line[1] - '0') * 10 +
	    (line[2] - '0') : -1;
	if (digits && line[3] == '-') {
		ck->ck_count |= FTP_F_MULTI;
		return 0;
	}
	if (digits && (line[3] == ' ' || line[3] == '\0')) {
		ck->ck_count &= ~FTP_F_MULTI;
		return code;
	}
	return ck->ck_count & FTP_F_MULTI ? 0 : -1;
}

/* Close the data connection, if open. */
static void
ftp_data_close(struct check *ck)
{
	if (ck->ck_data_fd == -1)
		return;
	ev_io_del_closing(&ck->ck_data_io);
	close(ck->ck_data_fd);
	ck->ck_data_fd = -1;
	ck->ck_data_connecting = 0;
}

/* Connect to the real's own address, port; 0, or an errno. */
static int
ftp_data_open(struct check *ck, int port)
{
	const char	*what;
	int		 r;

	if (ck->ck_data == NULL && (ck->ck_data = malloc(FTP_FILE_MAX + 1)) ==
	    NULL)
		fatal("%s", __func__);
	ck->ck_datalen = 0;
	if ((r = sock_connect(&ck->ck_addr, (uint16_t)port,
	    SOCK_STREAM, &ck->ck_data_fd, &what)) == -1)
		return errno;
	ev_io_set(&ck->ck_data_io, ck->ck_data_fd, ftp_data_event, ck);
	ck->ck_data_connecting = r == 1;
	ev_io_add(&ck->ck_data_io, r == 1 ? EPOLLOUT : EPOLLIN);
	return 0;
}

/* The file is whole and RETR answered: match it, then say goodbye. */
static int
ftp_verdict(struct check *ck, char *why, size_t len)
{
	ck->ck_data[ck->ck_datalen] = '\0';
	if (ck->ck_has_re && regexec(ck->ck_re, ck->ck_data, 0, NULL, 0) !=
	    0) {
		snprintf(why, len, "ftp: %.80s does not match '%.80s'",
		    ck->ck_msg->ck_request, ck->ck_msg->ck_receive);
		return LINE_DOWN;
	}
	line_sendf(ck, "QUIT\r\n");
	ck->ck_step = FTP_QUIT;
	return LINE_MORE;
}

/* A verdict reached on the data side, outside a step. */
static void
ftp_data_verdict(struct check *ck)
{
	char	 why[CHECK_REASON_LEN];

	if (ftp_verdict(ck, why, sizeof(why)) == LINE_MORE)
		line_flush(ck);
	else
		line_finish(ck, 0, why);
}

static void
ftp_data_fail(struct check *ck, const char *what, int error)
{
	char	 why[CHECK_REASON_LEN];

	snprintf(why, sizeof(why), "ftp: data connection: %s: %s", what,
	    strerror(error));
	line_finish(ck, 0, why);
}

static void
ftp_data_read(struct check *ck)
{
	char	 why[CHECK_REASON_LEN];
	ssize_t	 n;

	n = recv(ck->ck_data_fd, ck->ck_data + ck->ck_datalen,
	    FTP_FILE_MAX + 1 - ck->ck_datalen, 0);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1) {
		ftp_data_fail(ck, "recv", errno);
		return;
	}
	ck->ck_datalen += (size_t)n;
	if (ck->ck_datalen > FTP_FILE_MAX) {
		snprintf(why, sizeof(why), "ftp: %.80s is larger than %zu "
		    "bytes", ck->ck_msg->ck_request, FTP_FILE_MAX);
		line_finish(ck, 0, why);
		return;
	}
	if (n > 0)
		return;
	ftp_data_close(ck);
	ck->ck_count |= FTP_F_DATA_EOF;
	if (ck->ck_count & FTP_F_CTL_DONE)
		ftp_data_verdict(ck);
}

static void
ftp_data_event(struct ev_io *io, uint32_t events, void *arg)
{
	struct check	*ck = arg;
	int		 error;

	if (!ck->ck_data_connecting) {
		ftp_data_read(ck);
		return;
	}
	if ((error = sock_connected(ck->ck_data_fd, events)) != 0) {
		ftp_data_fail(ck, "connect", error);
		return;
	}
	ck->ck_data_connecting = 0;
	ev_io_mod(&ck->ck_data_io, EPOLLIN);
}

/* 227 or 229: open the data connection, then ask for the file. */
static int
ftp_passive(struct check *ck, const char *line, char *why, size_t len)
{
	int	 port, error;

	if ((port = ftp_passive_port(line)) == -1)
		return line_refused(ck, ck->ck_addr.a_af == AF_INET6 ?
		    "EPSV refused" : "PASV refused", line, why, len);
	if ((error = ftp_data_open(ck, port)) != 0) {
		snprintf(why, len, "ftp: data connection to port %d: %s",
		    port, strerror(error));
		return LINE_DOWN;
	}
	line_sendf(ck, "RETR %s\r\n", ck->ck_msg->ck_request);
	ck->ck_step = FTP_RETR;
	return LINE_MORE;
}

/* RETR's replies: 125 or 150 first, then 226 (or 250) at the end. */
static int
ftp_retr_reply(struct check *ck, int code, const char *line, char *why,
    size_t len)
{
	if (code == 125 || code == 150)
		return LINE_MORE;
	if (code != 226 && code != 250)
		return line_refused(ck, "RETR refused", line, why, len);
	ck->ck_count |= FTP_F_CTL_DONE;
	if (ck->ck_count & FTP_F_DATA_EOF)
		return ftp_verdict(ck, why, len);
	return LINE_MORE;
}

/* The steps to the login: greeting, USER and PASS. */
static int
ftp_login_step(struct check *ck, int code, const char *line, char *why,
    size_t len)
{
	const struct msg_check	*m = ck->ck_msg;

	if (ck->ck_step == FTP_GREETING) {
		if (code != 220)
			return line_refused(ck, "greeting", line, why, len);
		line_sendf(ck, "USER %s\r\n", m->ck_login[0] != '\0' ?
		    m->ck_login : "anonymous");
		ck->ck_step = FTP_USER;
		return LINE_MORE;
	}
	if (ck->ck_step == FTP_USER && code == 331) {
		line_sendf(ck, "PASS %s\r\n", m->ck_login[0] != '\0' ?
		    m->ck_passwd : "lvsd@");
		ck->ck_step = FTP_PASS;
		return LINE_MORE;
	}
	if (code != 230 && !(ck->ck_step == FTP_PASS && code == 202))
		return line_refused(ck, ck->ck_step == FTP_USER ?
		    "USER refused" : "PASS refused", line, why, len);
	line_sendf(ck, "TYPE I\r\n");
	ck->ck_step = FTP_TYPE;
	return LINE_MORE;
}

static int
ftp_step(struct check *ck, const char *line, char *why, size_t len)
{
	int	 code;

	if (ck->ck_step == FTP_QUIT) {
		snprintf(why, len, "ftp: %.80s: %zu bytes",
		    ck->ck_msg->ck_request, ck->ck_datalen);
		return LINE_UP;
	}
	if (line == NULL) {
		snprintf(why, len, "ftp: connection closed");
		return LINE_DOWN;
	}
	if ((code = ftp_reply_code(ck, line)) == 0)
		return LINE_MORE;
	if (code == -1)
		return line_refused(ck, "not an FTP reply", line, why, len);
	switch (ck->ck_step) {
	case FTP_TYPE:
		if (code != 200)
			return line_refused(ck, "TYPE I refused", line, why,
			    len);
		line_sendf(ck, ck->ck_addr.a_af == AF_INET6 ?
		    "EPSV\r\n" : "PASV\r\n");
		ck->ck_step = FTP_PASV;
		return LINE_MORE;
	case FTP_PASV:
		return ftp_passive(ck, line, why, len);
	case FTP_RETR:
		return ftp_retr_reply(ck, code, line, why, len);
	default:
		return ftp_login_step(ck, code, line, why, len);
	}
}

static void
ftp_begin(struct check *ck)
{
	ck->ck_count = 0;
	ck->ck_datalen = 0;
	ck->ck_data_connecting = 0;
}

const struct line_service line_ftp = { "ftp", ftp_begin, ftp_step, NULL };
