/*
 * Logging, relayd-style.  The parent logs to syslog (or stderr with -d);
 * a child sends every line to the parent as one MSG_LOG record.
 */
#include <errno.h>
#include <fcntl.h>
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

/* The longest process name a child's line starts with. */
#define LOG_NAME_MAX		32
/* A child waits up to LOG_SEND_TRIES x LOG_SEND_WAIT_MS for the parent. */
#define LOG_SEND_TRIES		10
#define LOG_SEND_WAIT_MS	100

static int		 log_debug_mode;	/* LOG_MODE_* */
static char		 log_file[1024];	/* "": syslog */
static char		 log_tag[64];		/* the config's name, in a file */
static int		 log_verbose;		/* 1: LOG_DEBUG too */
static int		 log_parent_fd = -1;	/* child: the parent channel */
static struct msg_chan	*log_parent_chan;	/* child: queue lines here */
static unsigned long long log_unsent;	/* child: kept back, crowded */
static const char	*log_procname = "lvsd";

void
log_init(int foreground, int facility)
{
	log_debug_mode = foreground;
	if (!foreground)
		openlog("lvsd", LOG_PID | LOG_NDELAY, facility);
	tzset();
}

/* A syslog facility by the name ldirectord's logfile= gives it; -1. */
int
log_facility(const char *name)
{
	static const struct {
		const char	*name;
		int		 facility;
	} f[] = {
		{ "auth", LOG_AUTH }, { "authpriv", LOG_AUTHPRIV },
		{ "cron", LOG_CRON }, { "daemon", LOG_DAEMON },
		{ "ftp", LOG_FTP }, { "kern", LOG_KERN }, { "lpr", LOG_LPR },
		{ "mail", LOG_MAIL }, { "news", LOG_NEWS },
		{ "syslog", LOG_SYSLOG }, { "user", LOG_USER },
		{ "uucp", LOG_UUCP }, { "local0", LOG_LOCAL0 },
		{ "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
		{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 },
		{ "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
		{ "local7", LOG_LOCAL7 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (strcmp(name, f[i].name) == 0)
			return f[i].facility;
	return -1;
}

/*
 * Where the parent logs when not in the foreground, as ldirectord's
 * logfile=: a path (starting with '/') or a syslog facility; NULL: the
 * daemon facility.  tag names the config in a file's lines.
 */
void
log_target(const char *spec, const char *tag)
{
	int	 facility = LOG_DAEMON;

	log_file[0] = '\0';
	strlcpy(log_tag, tag != NULL ? tag : "lvsd", sizeof(log_tag));
	if (spec != NULL && spec[0] == '/') {
		strlcpy(log_file, spec, sizeof(log_file));
		return;
	}
	if (spec != NULL && (facility = log_facility(spec)) == -1)
		facility = LOG_DAEMON;
	if (!log_debug_mode) {
		closelog();
		openlog("lvsd", LOG_PID | LOG_NDELAY, facility);
	}
}

/*
 * One line to the log file, opened and closed each time as ldirectord
 * does, so that logrotate needs no signal; 0, or -1 if it cannot be.
 */
static int
log_file_line(const char *line)
{
	char		 when[64];
	struct tm	 tm;
	time_t		 now = time(NULL);
	int		 fd, n;

	if ((fd = open(log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0640)) == -1)
		return -1;
	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
	n = dprintf(fd, "[%s|%s|%ld] %s\n", when, log_tag, (long)getpid(),
	    line);
	close(fd);
	return n < 0 ? -1 : 0;
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

/*
 * The child's lines join mc's queue, behind its other records, instead
 * of waiting for room in the socket: the checker's event loop must not
 * stall while the parent catches up with thousands of state changes
 * (issue 7).  A fatal line is still sent at once, since the queue dies
 * with the process.
 */
void
log_queue_on(struct msg_chan *mc)
{
	log_parent_chan = mc;
}

/*
 * mc is being dropped: the lines that say so, and any after, go to the
 * socket at once.  Queued, they would die with the channel, and a line
 * that the full queue refused would drop it again, and log that.
 */
void
log_queue_off(const struct msg_chan *mc)
{
	if (log_parent_chan == mc)
		log_parent_chan = NULL;
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

/* The LOG record of line. */
static void
log_record(struct msg_log *lg, int pri, const char *line)
{
	memset(lg, 0, sizeof(*lg));
	lg->lg_priority = pri;
	strlcpy(lg->lg_text, line, sizeof(lg->lg_text));
}

/* One line to the parent's queue; -1 if it cannot take it. */
static int
log_queue_line(int pri, const char *line)
{
	struct msg_log	 lg;

	log_record(&lg, pri, line);
	return msg_chan_send(log_parent_chan, MSG_LOG, 0, &lg, sizeof(lg));
}

/* How many lines the crowded queue kept back, once there is room. */
static void
log_say_unsent(void)
{
	char	 line[128];

	if (log_unsent == 0)
		return;
	snprintf(line, sizeof(line), "%.32s: %llu log lines not sent: the "
	    "parent read them slower than they came", log_procname, log_unsent);
	log_unsent = 0;
	(void)log_queue_line(LOG_WARNING, line);
}

/*
 * The queue to the parent has drained: say what it kept back now, not
 * with the next line, which may be long in coming.
 */
void
log_queue_drained(const struct msg_chan *mc)
{
	if (mc == log_parent_chan)
		log_say_unsent();
}

/*
 * A child's line joins its queue to the parent (log_queue_on), but not
 * while the queue is crowded: a storm of lines (thousands of reals
 * changing state while the parent is slow to write them) would fill it,
 * and the channel, results and all, be dropped.  Those lines are
 * counted, and the count said once there is room.  Without a queue, or
 * for a fatal line, it goes to the socket at once, and waits a little
 * for room there rather than lose the line.  A child never falls back
 * to stderr: its sandbox may not allow write(2), and the parent is the
 * only log it has.
 */
static void
log_send_parent(int pri, const char *line)
{
	struct msg_log	 lg;
	struct pollfd	 pfd;
	int		 tries;

	if (log_parent_chan != NULL && pri > LOG_CRIT &&
	    msg_chan_open(log_parent_chan)) {
		if (msg_chan_crowded(log_parent_chan)) {
			log_unsent++;
			return;
		}
		log_say_unsent();
		(void)log_queue_line(pri, line);
		return;
	}
	log_record(&lg, pri, line);
	if (log_holding() && pri > LOG_CRIT) {
		log_hold_record(log_parent_fd, &lg);
		return;
	}
	log_flush();		/* the lines held back come first */
	for (tries = 0; tries < LOG_SEND_TRIES; tries++) {
		if (msg_send_raw(log_parent_fd, MSG_LOG, 0, &lg, sizeof(lg),
		    -1) == 0 || (errno != EAGAIN && errno != EINTR))
			return;
		pfd.fd = log_parent_fd;
		pfd.events = POLLOUT;
		(void)poll(&pfd, 1, LOG_SEND_WAIT_MS);
	}
}

/*
 * A foreground line to fd, held back (loghold.c) if lines are held and
 * it is not a warning or worse, which is written at once, after them.
 */
static void
log_fd_line(int fd, int pri, const char *line)
{
	log_hold_text(fd, line);
	if (!log_holding() || pri <= LOG_WARNING)
		log_flush();
}

/*
 * supervised=yes: "[Mon Nov 30 06:00:00 2026] line" on stdout, as
 * ldirectord writes it, for a supervisor that keeps stdout as the log.
 */
static void
log_stdout_line(int pri, const char *line)
{
	char		 when[64], dated[MSG_LOG_LEN + 128];
	struct tm	 tm;
	time_t		 now = time(NULL);

	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
	snprintf(dated, sizeof(dated), "[%s] %s", when, line);
	log_fd_line(STDOUT_FILENO, pri, dated);
}

/* Write one finished line where this process logs. */
void
log_line(int pri, const char *line)
{
	if (pri == LOG_DEBUG && !log_verbose)
		return;
	if (log_parent_fd != -1)
		log_send_parent(pri, line);
	else if (log_debug_mode == LOG_MODE_SUPERVISED)
		log_stdout_line(pri, line);
	else if (log_debug_mode)
		log_fd_line(STDERR_FILENO, pri, line);
	else if (log_file[0] == '\0' || log_file_line(line) == -1)
		syslog(pri, "%s", line);
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char	 line[LOG_NAME_MAX + 2 + MSG_LOG_LEN];
	size_t	 off = 0;
	int	 saved = errno;

	/*
	 * The parent names itself; children are named in their lines.  The
	 * name goes first and the message is formatted after it, in one
	 * pass: a large table logs a line per real.
	 */
	if (log_parent_fd != -1) {
		off = strnlen(log_procname, LOG_NAME_MAX);
		memcpy(line, log_procname, off);
		line[off++] = ':';
		line[off++] = ' ';
	}
	vsnprintf(line + off, MSG_LOG_LEN, fmt, ap);
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
