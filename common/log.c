/*
 * Logging, relayd-style.  The parent logs to syslog (or stderr with -d);
 * a child sends every line to the parent as one MSG_LOG record.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "msg.h"

/* A child waits up to LOG_SEND_TRIES x LOG_SEND_WAIT_MS for the parent. */
#define LOG_SEND_TRIES		10
#define LOG_SEND_WAIT_MS	100

static int		 log_debug_mode;	/* 1: stderr, not syslog */
static int		 log_verbose;		/* 1: LOG_DEBUG too */
static int		 log_parent_fd = -1;	/* child: the parent channel */
static const char	*log_procname = "lvsd";

void
log_init(int foreground, int facility)
{
	log_debug_mode = foreground;
	if (!foreground)
		openlog("lvsd", LOG_PID | LOG_NDELAY, facility);
	tzset();
}

void
log_procinit(const char *name)
{
	if (name != NULL)
		log_procname = name;
}

void
log_to_parent(int fd)
{
	log_parent_fd = fd;
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

int
log_getverbose(void)
{
	return log_verbose;
}

/*
 * A child's line goes to the parent.  The channel is non-blocking: if the
 * parent is slow to read, wait a little for room rather than lose the
 * line.  A child never falls back to stderr: its sandbox may not allow
 * write(2), and the parent is the only log it has.
 */
static void
log_send_parent(int pri, const char *line)
{
	struct msg_log	 lg;
	struct pollfd	 pfd;
	int		 tries;

	memset(&lg, 0, sizeof(lg));
	lg.lg_priority = pri;
	strlcpy(lg.lg_text, line, sizeof(lg.lg_text));
	for (tries = 0; tries < LOG_SEND_TRIES; tries++) {
		if (msg_send_raw(log_parent_fd, MSG_LOG, 0, &lg, sizeof(lg),
		    -1) == 0 || (errno != EAGAIN && errno != EINTR))
			return;
		pfd.fd = log_parent_fd;
		pfd.events = POLLOUT;
		(void)poll(&pfd, 1, LOG_SEND_WAIT_MS);
	}
}

/* Write one finished line where this process logs. */
void
log_line(int pri, const char *line)
{
	if (pri == LOG_DEBUG && !log_verbose)
		return;
	if (log_parent_fd != -1)
		log_send_parent(pri, line);
	else if (log_debug_mode) {
		fprintf(stderr, "%s\n", line);
		fflush(stderr);
	} else
		syslog(pri, "%s", line);
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char	 msg[MSG_LOG_LEN], line[MSG_LOG_LEN + 40];
	int	 saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* the parent names itself; children are named in their lines */
	if (log_parent_fd != -1)
		snprintf(line, sizeof(line), "%.32s: %s", log_procname, msg);
	else
		strlcpy(line, msg, sizeof(line));
	log_line(pri, line);
	errno = saved;
}

void
logit(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

/* Like log_warnx, with ": strerror(errno)" appended. */
void
log_warn(const char *fmt, ...)
{
	char	 buf[MSG_LOG_LEN];
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	logit(LOG_ERR, "%s: %s", buf, strerror(saved));
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

static void __attribute__((noreturn))
vfatalc(int code, const char *fmt, va_list ap)
{
	char	 buf[MSG_LOG_LEN];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (code)
		logit(LOG_CRIT, "fatal in %s: %s: %s", log_procname, buf,
		    strerror(code));
	else
		logit(LOG_CRIT, "fatal in %s: %s", log_procname, buf);
	exit(1);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 code = errno;

	va_start(ap, fmt);
	vfatalc(code, fmt, ap);
	va_end(ap);		/* not reached */
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vfatalc(0, fmt, ap);
	va_end(ap);		/* not reached */
}
