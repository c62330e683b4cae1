/*
 * monitorfile=: a line for every check result the checker reports of a
 * real server of the virtual service, appended to the virtual's file in
 * ldirectord's format:
 *	[Mon Nov 30 06:00:00 2026] [1234] negotiate http tcp 192.0.2.2 80
 *	    1 gate / OK [down] timeout after 5000 ms
 * The parent writes it: the checker, chrooted, opens no file.  The
 * checker reports a result when its verdict differs from the one before
 * or the state changes, so this is one line per change, not per check
 * as in ldirectord.  The file
 * is opened and closed for every line, as the log file is, so logrotate
 * needs no signal; it is never opened by lvsd -t, status or stop.  A
 * write that fails is logged (once until one works again) and lvsd goes
 * on, where ldirectord dies.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"

/* 0: the last write worked, so the next failure is worth a warning. */
static int	 monitor_failing;

static const char *
monitor_fwd(unsigned int fwd)
{
	return fwd == FWD_MASQ ? "masq" : fwd == FWD_IPIP ? "ipip" : "gate";
}

/*
 * ldirectord's identity of a real, check:protocol:rip:rport:virtualhost:
 * checkport:weight:forward:request:receive, with every run of ':' made
 * one ' ' and '\' dropped, as it writes it in the monitor file.
 */
static void
monitor_real_id(char *buf, size_t len, const struct conf_virtual *v,
    const struct conf_real *r)
{
	char	 raw[MONITOR_LINE_MAX], check[MSG_PATH_LEN + 32], a[ADDR_STRLEN];
	char	 cport[8] = "";
	size_t	 i, n = 0;

	if (v->v_checktype == CHECK_NEGOTIATE)
		snprintf(check, sizeof(check), "negotiate:%s",
		    conf_service_name(v->v_service));
	else if (v->v_checktype == CONF_CHECK_COMBINED)
		snprintf(check, sizeof(check), "combined:%s",
		    conf_service_name(v->v_service));
	else if (v->v_checktype == CHECK_EXTERNAL)
		snprintf(check, sizeof(check), "external:%s",
		    v->v_checkcommand);
	else
		strlcpy(check, conf_checktype_name(v->v_checktype),
		    sizeof(check));
	if (v->v_checkport != 0)
		snprintf(cport, sizeof(cport), "%u", v->v_checkport);
	snprintf(raw, sizeof(raw), "%s:%s:%s:%u:%s:%s:%u:%s:%s:%s", check,
	    v->v_proto == PROTO_UDP ? "udp" : v->v_proto == PROTO_FWM ?
	    "fwm" : "tcp", addr_ntop(&r->r_addr, a, sizeof(a)),
	    r->r_port, v->v_virtualhost != NULL ? v->v_virtualhost : "", cport,
	    r->r_weight, monitor_fwd(r->r_fwd),
	    r->r_request != NULL ? r->r_request : v->v_request,
	    r->r_receive != NULL ? r->r_receive : v->v_receive);
	for (i = 0; raw[i] != '\0' && n + 1 < len; i++) {
		if (raw[i] == '\\' || (raw[i] == ':' && n > 0 &&
		    buf[n - 1] == ' '))
			continue;
		buf[n++] = raw[i] == ':' ? ' ' : raw[i];
	}
	while (n > 0 && buf[n - 1] == ' ')	/* an empty last field */
		n--;
	buf[n] = '\0';
}

/* The reason with '%', '|', CR and LF as %XX, as ldirectord escapes it. */
static void
monitor_escape(char *buf, size_t len, const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0' && n + 4 < len; s++) {
		if (*s == '%' || *s == '|' || *s == '\r' || *s == '\n')
			n += (size_t)snprintf(buf + n, len - n, "%%%02X",
			    (unsigned char)*s);
		else
			buf[n++] = *s;
	}
	buf[n] = '\0';
}

/* The line for a result of r of v, newline included. */
void
monitor_format(char *buf, size_t len, time_t now, long pid,
    const struct conf_virtual *v, const struct conf_real *r, int up,
    const char *reason)
{
	char		 when[64], id[MONITOR_LINE_MAX / 2], why[512];
	struct tm	 tm;

	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
	monitor_real_id(id, sizeof(id), v, r);
	monitor_escape(why, sizeof(why), reason);
	snprintf(buf, len, "[%s] [%ld] %s [%s] %s\n", when, pid, id,
	    up ? "up" : "down", why);
}

static int
monitor_append(const char *path, const char *line)
{
	ssize_t	 n;
	int	 fd, saved;

	/* O_NONBLOCK: a FIFO nobody reads must not stop the parent */
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, 0640)) == -1)
		return -1;
	n = write(fd, line, strlen(line));
	saved = errno;
	close(fd);
	errno = saved;
	if (n >= 0 && (size_t)n != strlen(line))
		errno = ENOSPC;
	return n >= 0 && (size_t)n == strlen(line) ? 0 : -1;
}

/* A result of real r of v: a line in v's monitorfile if it has one. */
void
monitor_result(const struct conf_virtual *v, const struct conf_real *r,
    int up, const char *reason)
{
	char	 line[MONITOR_LINE_MAX];

	if (v->v_monitorfile == NULL)
		return;
	monitor_format(line, sizeof(line), time(NULL), (long)getpid(), v, r,
	    up, reason);
	if (monitor_append(v->v_monitorfile, line) == 0) {
		monitor_failing = 0;
		return;
	}
	if (!monitor_failing)
		log_warn("monitorfile %s", v->v_monitorfile);
	monitor_failing = 1;
}
