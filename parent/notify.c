/*
 * systemd's readiness and watchdog protocol, spoken by hand: one datagram
 * of "KEY=value" lines to the unix socket named by $NOTIFY_SOCKET (a
 * path, or an abstract name written "@name").  No libsystemd: lvsd needs
 * four messages, not a library.  Without $NOTIFY_SOCKET nothing is sent.
 *
 *	READY=1		ipvsd applied the first config (or a reload's)
 *	RELOADING=1	a reload parsed and is being applied
 *	STOPPING=1	a stop began
 *	WATCHDOG=1	every half $WATCHDOG_USEC, while both children
 *			answer their heartbeat
 *
 * READY also goes, once, to the `lvsd start` that daemonized us and
 * waits for it (lvsd.c): one byte on a pipe; its end closed unwritten
 * says that lvsd gave up.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "lvsd.h"

static struct sockaddr_un	 notify_sun;
static socklen_t		 notify_len;
static int			 notify_fd = -1;
static struct ev_timer		 notify_wd;
static uint64_t			 notify_wd_ms;

/* the pipe to the `lvsd start` that waits for us; -1: none */
static int			 notify_starter_fd = -1;

static void	notify_watchdog(void *);

/* Read the environment systemd gave us; call before daemon(3). */
void
notify_init(void)
{
	const char	*path, *usec, *pid, *errstr;
	long long	 us;
	size_t		 len;

	if ((path = getenv("NOTIFY_SOCKET")) == NULL || path[0] == '\0')
		return;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') ||
	    len >= sizeof(notify_sun.sun_path)) {
		log_warnx("NOTIFY_SOCKET %s: not a unix socket path", path);
		return;
	}
	memset(&notify_sun, 0, sizeof(notify_sun));
	notify_sun.sun_family = AF_UNIX;
	memcpy(notify_sun.sun_path, path, len);
	if (path[0] == '@')
		notify_sun.sun_path[0] = '\0';	/* abstract namespace */
	notify_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    len + (path[0] == '/'));
	if ((notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		fatal("%s: socket", __func__);
	/* the watchdog is ours only if it names our pid, or no pid */
	usec = getenv("WATCHDOG_USEC");
	pid = getenv("WATCHDOG_PID");
	if (usec != NULL && (pid == NULL ||
	    strtonum(pid, 1, INT32_MAX, &errstr) == (long long)getpid())) {
		us = strtonum(usec, 1000, 3600LL * 1000000, &errstr);
		if (errstr == NULL)
			notify_wd_ms = (uint64_t)us / 1000 / 2;
	}
	/* the children must not see them */
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

/* After daemon(3): the pid systemd should watch may have changed. */
void
notify_start(void)
{
	if (notify_fd == -1 || notify_wd_ms == 0)
		return;
	ev_timer_set(&notify_wd, notify_watchdog, NULL);
	ev_timer_add(&notify_wd, notify_wd_ms);
}

void
notify_send(const char *fmt, ...)
{
	char	 buf[256];
	va_list	 ap;
	int	 n;

	if (notify_fd == -1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return;
	if (sendto(notify_fd, buf, (size_t)n, MSG_NOSIGNAL,
	    (struct sockaddr *)&notify_sun, notify_len) == -1)
		log_warn("%s: sendto", __func__);
}

/* After daemonizing: fd is the starting process's pipe. */
void
notify_starter(int fd)
{
	notify_starter_fd = fd;
}

/* Ready: the table is in place. */
void
notify_ready(void)
{
	if (notify_starter_fd != -1) {
		if (write(notify_starter_fd, "R", 1) != 1)
			log_warn("%s: the starting lvsd is gone", __func__);
		close(notify_starter_fd);
		notify_starter_fd = -1;
	}
	notify_send("READY=1\nMAINPID=%ld\nSTATUS=configuration %u in force",
	    (long)getpid(), env->e_gen);
}

void
notify_reloading(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	notify_send("RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000 +
	    (unsigned long long)ts.tv_nsec / 1000);
}

/*
 * systemd restarts lvsd if this stops: so it stops when the parent's
 * loop does, or when a child has been hung for longer than the
 * parent's own watchdog would allow (proc.c kills it first).
 */
static void
notify_watchdog(void *arg)
{
	ev_timer_add(&notify_wd, notify_wd_ms);
	if (proc_healthy())
		notify_send("WATCHDOG=1");
}
