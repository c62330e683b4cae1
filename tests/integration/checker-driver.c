/*
 * checker-driver: plays the parent and ipvsd for lvsd-checker in the
 * integration tests (tests/integration/3*-checker*.t).
 *
 *	checker-driver CHECKER [ARG ...]
 *
 * It starts CHECKER with its channel on descriptor 3, the parent's raw
 * ICMP and ICMPv6 sockets on 4 and 5 (none if CHECKER_DRIVER_NO_ICMP is
 * set, or the driver may not open them) and an empty environment, reads
 * commands from stdin and prints what the checker says on stdout, one
 * line each, so that a test can wait for a line.
 *
 * Commands:
 *	check ID TYPE PROTO ADDR PORT [KEY=VALUE ...]
 *		stage one CHECK; TYPE is connect, http, head, none, smtp,
 *		pop, imap, nntp, simpletcp, dns, radius, sip, ftp, ldap,
 *		ldaps, ping, mysql, pgsql, https, https-head, http_proxy,
 *		pops, imaps, on, off, external or perl; PROTO tcp or udp.
 *		KEYs: interval (1000), ctimeout and ntimeout (3000 ms),
 *		fail (1), request (/), receive, vhost, login, passwd,
 *		secret, database, query, service, method, pad, rise,
 *		count (checkcount), combined (N: makes a negotiate TYPE
 *		checktype N), verify (N: TLS verification against CA N,
 *		a CA id + 1), redirects
 *	like ID ADDR PORT [PAD]
 *		stage one CHECK_LIKE: the CHECK staged before it, for
 *		real ID at ADDR PORT (cl_pad PAD, 0 if not given)
 *	ca ID PATH	stage CA bundle ID (MSG_CA with PATH open)
 *	conf GEN NDESTS	CONF_BEGIN, the staged CAs and CHECKs, CONF_END
 *	peer		a new channel to ipvsd (PEER); the old one is closed
 *	unpeer		close the channel to ipvsd
 *	snapshot GEN	SNAPSHOT_REQUEST of GEN on the channel to ipvsd
 *	ping SEQ	PING
 *	raw TYPE	a message of TYPE (a number) with a zeroed payload
 *	peerraw TYPE	the same on the channel to ipvsd
 *	alert ADDR PORT TIMEOUT_MS RCPT|FROM|HELO|SUBJECT|BODY
 *		an ALERT (e-mail alert) at once; the text fields are
 *		split on '|', a "\n" in any becomes a newline
 *	await PREFIX	read on until a line starting with PREFIX is out
 *	quit		close the channel to the checker
 * and for lvsd-exec (checktypes external and perl):
 *	exec PROG [ARG ...]	start lvsd-exec, playing its parent too
 *	cmd ID KIND VADDR VPORT RADDR RPORT TIMEOUT_MS PATH
 *		stage one EXEC_CMD; KIND external or perl, VADDR fwm:N
 *		for a fwmark service
 *	hook ID fallback VADDR VPORT tcp|udp|fwm TIMEOUT_MS LINE...
 *	hook ID callback TIMEOUT_MS ARG LINE...
 *		stage one EXEC_HOOK (fallbackcommand, callback); VADDR
 *		fwm:N for a fwmark; a '+' in ARG becomes a space
 *	execconf GEN NDESTS [NSERVICES]	CONF_BEGIN, the staged EXEC_CMDs
 *			and EXEC_HOOKs, CONF_END
 *	fire GEN ID start|stop|run|N [PAD]	EXEC_FIRE to lvsd-exec
 *	execpeer	a channel between the checker and lvsd-exec
 *	execself	a channel between the driver and lvsd-exec: the
 *			driver plays the checker (run)
 *	run GEN ID SEQ [PAD]	EXEC_RUN on that channel
 *	execping SEQ	PING to lvsd-exec
 *	execterm	SIGTERM to lvsd-exec
 * Output:
 *	pid PID | ready | pong SEQ | log TEXT
 *	state GEN ID up|down			(from the ipvsd channel)
 *	result GEN ID VERDICT STATE LATENCY_US REASON
 *	exit CODE | killed SIGNAL-NAME		(then the driver exits 0)
 *	exec pid PID | exec ready | exec pong SEQ | exec log TEXT
 *	exec exit CODE | exec killed SIGNAL-NAME
 *	done GEN ID SEQ RESULT STATUS MS	(EXEC_DONE, execself)
 *	execself closed
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "icmpsock.h"
#include "msg.h"

/* Most EXEC_CMDs one execconf command sends: plenty for a test. */
#define DRIVER_MAX_CHECKS	256
/* Most CHECKs one conf sends: make bench stages 50,000 and more. */
#define DRIVER_MAX_CONF		((size_t)1024 * 1024)

static struct msg_check	*drv_checks;
static unsigned char	*drv_likes;	/* 1: send drv_checks[i] as a CHECK_LIKE */
static size_t		 drv_nchecks, drv_checks_room;
static struct {
	uint32_t	 id;
	int		 fd;
}			 drv_cas[MSG_CA_FILES + 1];
static size_t		 drv_ncas;
static int		 drv_parent = -1, drv_peer = -1;
static pid_t		 drv_pid;

/* lvsd-exec: its parent channel, the driver's own checker channel */
static struct msg_exec_cmd drv_cmds[DRIVER_MAX_CHECKS];
static size_t		 drv_ncmds;
static struct msg_exec_hook drv_hooks[16];
static size_t		 drv_nhooks;
static int		 drv_exec = -1, drv_execself = -1;
static pid_t		 drv_exec_pid;

static const char	*drv_awaited;	/* a line prefix "await" waits for */
static int		 drv_arrived;

static void	drv_command(char *);

/* Print one line of output, and note whether "await" waits for it. */
static void __attribute__((format(printf, 1, 2)))
drv_emit(const char *fmt, ...)
{
	char	 line[2048];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("%s\n", line);
	if (drv_awaited != NULL &&
	    strncmp(line, drv_awaited, strlen(drv_awaited)) == 0)
		drv_arrived = 1;
}

static void
drv_send(int fd, enum msg_type type, uint32_t gen, const void *p,
    size_t len, int passfd)
{
	if (fd == -1 || msg_send_raw(fd, type, gen, p, len, passfd) == -1)
		drv_emit("error cannot send %s: %s", msg_type_name(type),
		    fd == -1 ? "no channel" : strerror(errno));
}

/*
 * Start a child with its channel on fd 3 and, if icmp, the ICMP sockets
 * on 4 and 5 as the parent gives them to the checker; our end in *fd.
 */
static pid_t
drv_spawn(char **argv, int *fd, int icmp)
{
	char	*envp[] = { NULL };
	int	 sv[2], fds[3] = { -1, -1, -1 };
	pid_t	 pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	fds[0] = sv[1];
	if (icmp && getenv("CHECKER_DRIVER_NO_ICMP") == NULL) {
		fds[1] = icmpsock_open(AF_INET);
		fds[2] = icmpsock_open(AF_INET6);
	}
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if (icmpsock_place(fds, 3, MSG_PARENT_FD) == -1)
			err(1, "placing the descriptors");
		execve(argv[0], argv, envp);
		err(127, "execve %s", argv[0]);
	}
	close(sv[1]);
	if (fds[1] != -1)
		close(fds[1]);
	if (fds[2] != -1)
		close(fds[2]);
	*fd = sv[0];
	return pid;
}

static void
drv_start(char **argv)
{
	drv_pid = drv_spawn(argv, &drv_parent, 1);
	drv_emit("pid %d", (int)drv_pid);
}

/* The checker hung up: report how it ended, and stop. */
static void
drv_reap(void)
{
	int	 status;

	if (waitpid(drv_pid, &status, 0) == -1)
		err(1, "waitpid");
	if (WIFSIGNALED(status))
		drv_emit("killed %s", sigabbrev_np(WTERMSIG(status)) ?
		    sigabbrev_np(WTERMSIG(status)) : "?");
	else
		drv_emit("exit %d", WEXITSTATUS(status));
	exit(0);
}

/* "stats GEN ID CHECKS LATENCY_US F0,..,F6 B0,..,B8" */
static void
drv_print_stats(const struct msg_hdr *h, const void *p)
{
	struct msg_stats	 sa;
	char			 fails[128] = "", buckets[160] = "", n[16];
	int			 i;

	memcpy(&sa, p, sizeof(sa));
	for (i = 0; i < FAIL_CLASS_MAX; i++) {
		snprintf(n, sizeof(n), "%s%u", i ? "," : "", sa.sa_fails[i]);
		strlcat(fails, n, sizeof(fails));
	}
	for (i = 0; i < MSG_STATS_BUCKETS; i++) {
		snprintf(n, sizeof(n), "%s%u", i ? "," : "", sa.sa_buckets[i]);
		strlcat(buckets, n, sizeof(buckets));
	}
	drv_emit("stats %u %u %u %llu %s %s", h->mh_gen, sa.sa_id,
	    sa.sa_checks, (unsigned long long)sa.sa_latency_us, fails,
	    buckets);
}

static void
drv_print(const struct msg_hdr *h, const void *p, const char *who)
{
	struct msg_state	 st;
	struct msg_result	 rs;
	struct msg_log		 lg;
	struct msg_ping		 pg;
	struct msg_exec_done	 ed;

	switch (h->mh_type) {
	case MSG_READY:
		drv_emit("%sready", who);
		break;
	case MSG_PONG:
		memcpy(&pg, p, sizeof(pg));
		drv_emit("%spong %llu", who, (unsigned long long)pg.pg_seq);
		break;
	case MSG_LOG:
		memcpy(&lg, p, sizeof(lg));
		lg.lg_text[sizeof(lg.lg_text) - 1] = '\0';
		drv_emit("%slog %s", who, lg.lg_text);
		break;
	case MSG_EXEC_DONE:
		memcpy(&ed, p, sizeof(ed));
		drv_emit("done %u %u %llu %u %d %u", h->mh_gen, ed.ed_id,
		    (unsigned long long)ed.ed_seq, ed.ed_result,
		    ed.ed_status, ed.ed_ms);
		break;
	case MSG_STATE:
		memcpy(&st, p, sizeof(st));
		drv_emit("state %u %u %s", h->mh_gen, st.st_id,
		    st.st_up == STATE_UP ? "up" : "down");
		break;
	case MSG_RESULT:
		memcpy(&rs, p, sizeof(rs));
		rs.rs_reason[sizeof(rs.rs_reason) - 1] = '\0';
		drv_emit("result %u %u %s %s %u %s", h->mh_gen, rs.rs_id,
		    rs.rs_up ? "up" : "down", rs.rs_state == STATE_UP ? "up" :
		    rs.rs_state == STATE_DOWN ? "down" : "unknown",
		    rs.rs_latency_us, rs.rs_reason);
		break;
	case MSG_STATS:
		drv_print_stats(h, p);
		break;
	default:
		drv_emit("error unexpected %s", msg_type_name(h->mh_type));
		break;
	}
}

/* One datagram from fd and its records; 0 on EOF.  who prefixes a line. */
static int
drv_read_from(int fd, const char *who)
{
	unsigned char		 in[MSG_MAX];
	union msg_record	 rec;
	ssize_t			 n;
	size_t			 off = 0;
	int			 r;

	/*
	 * A peer that closes with records unread leaves ECONNRESET, which
	 * Linux reports before the records it sent: read on past it.
	 */
	while ((n = recv(fd, in, sizeof(in), 0)) == -1)
		if (errno != ECONNRESET && errno != EINTR)
			err(1, "recv");
	if (n == 0)
		return 0;
	while ((r = msg_unpack(in, n, &off, &rec)) == 1)
		drv_print(&rec.hdr, rec.buf + sizeof(rec.hdr), who);
	if (r == -1)
		drv_emit("error malformed record at byte %zu of %zd", off, n);
	return 1;
}

static int
drv_read(int fd)
{
	return drv_read_from(fd, "");
}

/* lvsd-exec hung up: how it ended; the driver goes on. */
static void
drv_exec_reap(void)
{
	int	 status;

	close(drv_exec);
	drv_exec = -1;
	if (waitpid(drv_exec_pid, &status, 0) == -1)
		err(1, "waitpid exec");
	if (WIFSIGNALED(status))
		drv_emit("exec killed %s", sigabbrev_np(WTERMSIG(status)) ?
		    sigabbrev_np(WTERMSIG(status)) : "?");
	else
		drv_emit("exec exit %d", WEXITSTATUS(status));
}

/* Handle what the checker says within ms ms; 1 if stdin is readable. */
static int
drv_poll(int with_stdin, int ms)
{
	struct pollfd	 pfd[5];
	int		 i;

	pfd[0].fd = drv_parent;
	pfd[1].fd = drv_peer;
	pfd[2].fd = with_stdin ? 0 : -1;
	pfd[3].fd = drv_exec;
	pfd[4].fd = drv_execself;
	for (i = 0; i < 5; i++) {
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	if (poll(pfd, 5, ms) == -1 && errno != EINTR)
		err(1, "poll");
	if ((pfd[3].revents & (POLLIN | POLLHUP)) &&
	    !drv_read_from(drv_exec, "exec "))
		drv_exec_reap();
	if ((pfd[4].revents & (POLLIN | POLLHUP)) &&
	    !drv_read_from(drv_execself, "")) {
		close(drv_execself);
		drv_execself = -1;
		drv_emit("execself closed");
	}
	if ((pfd[0].revents & (POLLIN | POLLHUP)) && !drv_read(drv_parent))
		drv_reap();
	if ((pfd[1].revents & (POLLIN | POLLHUP)) && !drv_read(drv_peer)) {
		close(drv_peer);
		drv_peer = -1;
		drv_emit("peer closed");
	}
	return (pfd[2].revents & (POLLIN | POLLHUP)) != 0;
}

/* await PREFIX: wait (10 s at most) until a line starting so is out. */
static void
drv_await(const char *prefix)
{
	int	 i;

	drv_awaited = prefix;
	drv_arrived = 0;
	for (i = 0; i < 100 && !drv_arrived; i++)
		drv_poll(0, 100);
	if (!drv_arrived)
		drv_emit("error no '%s' within 10 s", prefix);
	drv_awaited = NULL;
}

static void
drv_loop(void)
{
	char		 line[4096];
	size_t		 have = 0;
	ssize_t		 n;
	char		*nl;

	for (;;) {
		if (!drv_poll(1, -1))
			continue;
		if ((n = read(0, line + have, sizeof(line) - 1 - have)) <= 0) {
			drv_command("quit");
			continue;
		}
		have += (size_t)n;
		line[have] = '\0';
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			drv_command(line);
			have -= (size_t)(nl + 1 - line);
			memmove(line, nl + 1, have + 1);
		}
		if (have == sizeof(line) - 1)
			errx(1, "command line too long");
	}
}

static int
drv_type(const char *s, struct msg_check *ck)
{
	static const struct {
		const char	*name;
		uint8_t		 type, service, method;
	} types[] = {
		{ "connect", CHECK_CONNECT, 0, 0 },
		{ "http", CHECK_NEGOTIATE, SERVICE_HTTP, HTTP_GET },
		{ "head", CHECK_NEGOTIATE, SERVICE_HTTP, HTTP_HEAD },
		{ "none", CHECK_NEGOTIATE, SERVICE_NONE, 0 },
		{ "smtp", CHECK_NEGOTIATE, SERVICE_SMTP, 0 },
		{ "pop", CHECK_NEGOTIATE, SERVICE_POP, 0 },
		{ "imap", CHECK_NEGOTIATE, SERVICE_IMAP, 0 },
		{ "nntp", CHECK_NEGOTIATE, SERVICE_NNTP, 0 },
		{ "simpletcp", CHECK_NEGOTIATE, SERVICE_SIMPLETCP, 0 },
		{ "dns", CHECK_NEGOTIATE, SERVICE_DNS, 0 },
		{ "radius", CHECK_NEGOTIATE, SERVICE_RADIUS, 0 },
		{ "sip", CHECK_NEGOTIATE, SERVICE_SIP, 0 },
		{ "ftp", CHECK_NEGOTIATE, SERVICE_FTP, 0 },
		{ "ldap", CHECK_NEGOTIATE, SERVICE_LDAP, 0 },
		{ "ldaps", CHECK_NEGOTIATE, SERVICE_LDAPS, 0 },
		{ "ping", CHECK_PING, 0, 0 },
		{ "mysql", CHECK_NEGOTIATE, SERVICE_MYSQL, 0 },
		{ "pgsql", CHECK_NEGOTIATE, SERVICE_PGSQL, 0 },
		{ "https", CHECK_NEGOTIATE, SERVICE_HTTPS, HTTP_GET },
		{ "https-head", CHECK_NEGOTIATE, SERVICE_HTTPS, HTTP_HEAD },
		{ "http_proxy", CHECK_NEGOTIATE, SERVICE_HTTP_PROXY, HTTP_GET },
		{ "pops", CHECK_NEGOTIATE, SERVICE_POPS, 0 },
		{ "imaps", CHECK_NEGOTIATE, SERVICE_IMAPS, 0 },
		{ "on", CHECK_ON, 0, 0 },
		{ "off", CHECK_OFF, 0, 0 },
		{ "external", CHECK_EXTERNAL, SERVICE_NONE, 0 },
		{ "perl", CHECK_EXTERNAL_PERL, SERVICE_NONE, 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(s, types[i].name) == 0) {
			ck->ck_type = types[i].type;
			ck->ck_service = types[i].service;
			ck->ck_method = types[i].method;
			return 0;
		}
	return -1;
}

/* An SQL query for request: commands split at spaces, so '+' is one. */
static void
drv_query(char *dst, size_t len, const char *v)
{
	char	*p;

	strlcpy(dst, v, len);
	for (p = dst; *p != '\0'; p++)
		if (*p == '+')
			*p = ' ';
}

/* KEY=VALUE; the driver checks nothing the checker should check. */
static int
drv_option(struct msg_check *ck, char *kv)
{
	char		*v;
	unsigned long	 n;

	if ((v = strchr(kv, '=')) == NULL)
		return -1;
	*v++ = '\0';
	n = strtoul(v, NULL, 0);
	if (strcmp(kv, "interval") == 0)
		ck->ck_interval_ms = n;
	else if (strcmp(kv, "ctimeout") == 0)
		ck->ck_connect_timeout_ms = n;
	else if (strcmp(kv, "ntimeout") == 0)
		ck->ck_negotiate_timeout_ms = n;
	else if (strcmp(kv, "fail") == 0)
		ck->ck_failurecount = n;
	else if (strcmp(kv, "service") == 0)
		ck->ck_service = n;
	else if (strcmp(kv, "method") == 0)
		ck->ck_method = n;
	else if (strcmp(kv, "pad") == 0)
		ck->ck_pad = n;
	else if (strcmp(kv, "rise") == 0)
		ck->ck_rise = n;
	else if (strcmp(kv, "count") == 0)
		ck->ck_checkcount = n;
	else if (strcmp(kv, "combined") == 0) {
		ck->ck_type = CHECK_COMBINED;
		ck->ck_combined = n;
	}
	else if (strcmp(kv, "request") == 0)
		strlcpy(ck->ck_request, v, sizeof(ck->ck_request));
	else if (strcmp(kv, "receive") == 0)
		strlcpy(ck->ck_receive, v, sizeof(ck->ck_receive));
	else if (strcmp(kv, "vhost") == 0)
		strlcpy(ck->ck_vhost, v, sizeof(ck->ck_vhost));
	else if (strcmp(kv, "login") == 0)
		strlcpy(ck->ck_login, v, sizeof(ck->ck_login));
	else if (strcmp(kv, "passwd") == 0)
		strlcpy(ck->ck_passwd, v, sizeof(ck->ck_passwd));
	else if (strcmp(kv, "secret") == 0)
		strlcpy(ck->ck_secret, v, sizeof(ck->ck_secret));
	else if (strcmp(kv, "database") == 0)
		strlcpy(ck->ck_database, v, sizeof(ck->ck_database));
	else if (strcmp(kv, "query") == 0)
		drv_query(ck->ck_request, sizeof(ck->ck_request), v);
	else if (strcmp(kv, "verify") == 0) {
		ck->ck_tls_verify = 1;
		ck->ck_tls_ca = n;
	} else if (strcmp(kv, "redirects") == 0)
		ck->ck_redirects = n;
	else
		return -1;
	return 0;
}

/* The next staged CHECK, zeroed; like: it goes as a CHECK_LIKE. */
static struct msg_check *
drv_stage(int like)
{
	struct msg_check	*ck;

	if (drv_nchecks == drv_checks_room) {
		if (drv_checks_room == DRIVER_MAX_CONF)
			errx(1, "too many checks");
		drv_checks_room = drv_checks_room ? drv_checks_room * 2 : 256;
		drv_checks = reallocarray(drv_checks, drv_checks_room,
		    sizeof(*drv_checks));
		if (drv_checks == NULL)
			err(1, "reallocarray");
		drv_likes = realloc(drv_likes, drv_checks_room);
		if (drv_likes == NULL)
			err(1, "realloc");
	}
	drv_likes[drv_nchecks] = (unsigned char)like;
	ck = &drv_checks[drv_nchecks++];
	memset(ck, 0, sizeof(*ck));
	return ck;
}

/* like ID ADDR PORT [PAD]: a CHECK_LIKE, the CHECK before it for this real */
static void
drv_like(char *args)
{
	struct msg_check	*ck = drv_stage(1);
	char			*id, *addr, *port, *pad;

	id = strsep(&args, " ");
	addr = strsep(&args, " ");
	port = strsep(&args, " ");
	pad = strsep(&args, " ");
	if (port == NULL || addr_parse(addr, AF_UNSPEC, &ck->ck_addr) == -1)
		errx(1, "like ID ADDR PORT [PAD]");
	ck->ck_id = strtoul(id, NULL, 0);
	ck->ck_port = strtoul(port, NULL, 0);
	if (pad != NULL)
		ck->ck_pad = strtoul(pad, NULL, 0);
}

static void
drv_check(char *args)
{
	struct msg_check	*ck = drv_stage(0);
	char			*id, *type, *proto, *addr, *port, *kv;

	/* generous: a test VM under TCG is slow */
	ck->ck_interval_ms = 1000;
	ck->ck_connect_timeout_ms = 3000;
	ck->ck_negotiate_timeout_ms = 3000;
	ck->ck_failurecount = 1;
	strlcpy(ck->ck_request, "/", sizeof(ck->ck_request));
	id = strsep(&args, " ");
	type = strsep(&args, " ");
	proto = strsep(&args, " ");
	addr = strsep(&args, " ");
	port = strsep(&args, " ");
	if (port == NULL || drv_type(type, ck) == -1 ||
	    addr_parse(addr, AF_UNSPEC, &ck->ck_addr) == -1)
		errx(1, "bad check command");
	ck->ck_id = strtoul(id, NULL, 0);
	ck->ck_proto = strcmp(proto, "udp") == 0 ? PROTO_UDP : PROTO_TCP;
	ck->ck_port = strtoul(port, NULL, 0);
	while ((kv = strsep(&args, " ")) != NULL)
		if (*kv != '\0' && drv_option(ck, kv) == -1)
			errx(1, "bad option %s", kv);
}

/* ca ID PATH: a CA bundle for the next conf. */
static void
drv_ca(char *args)
{
	char	*id = strsep(&args, " ");

	if (args == NULL || drv_ncas == MSG_CA_FILES + 1)
		errx(1, "ca ID PATH");
	drv_cas[drv_ncas].id = strtoul(id, NULL, 0);
	if ((drv_cas[drv_ncas].fd = open(args, O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "%s", args);
	drv_ncas++;
}

static void
drv_send_check(uint32_t gen, size_t i)
{
	struct msg_check_like	 cl;

	if (!drv_likes[i]) {
		drv_send(drv_parent, MSG_CHECK, gen, &drv_checks[i],
		    sizeof(drv_checks[i]), -1);
		return;
	}
	memset(&cl, 0, sizeof(cl));
	cl.cl_id = drv_checks[i].ck_id;
	cl.cl_addr = drv_checks[i].ck_addr;
	cl.cl_port = drv_checks[i].ck_port;
	cl.cl_pad = drv_checks[i].ck_pad;
	drv_send(drv_parent, MSG_CHECK_LIKE, gen, &cl, sizeof(cl), -1);
}

static void
drv_conf(char *args)
{
	struct msg_ca		 ca;
	struct msg_conf_begin	 cb;
	uint32_t		 gen;
	size_t			 i;

	memset(&cb, 0, sizeof(cb));
	gen = strtoul(strsep(&args, " "), NULL, 0);
	if (args == NULL)
		errx(1, "conf GEN NDESTS");
	cb.cb_ndests = strtoul(args, NULL, 0);
	drv_send(drv_parent, MSG_CONF_BEGIN, gen, &cb, sizeof(cb), -1);
	for (i = 0; i < drv_ncas; i++) {
		memset(&ca, 0, sizeof(ca));
		ca.ca_id = drv_cas[i].id;
		drv_send(drv_parent, MSG_CA, gen, &ca, sizeof(ca),
		    drv_cas[i].fd);
		close(drv_cas[i].fd);
	}
	drv_ncas = 0;
	for (i = 0; i < drv_nchecks; i++)
		drv_send_check(gen, i);
	drv_send(drv_parent, MSG_CONF_END, gen, NULL, 0, -1);
	drv_nchecks = 0;
}

/* "\n" in s becomes a newline, in place. */
static void
drv_unescape(char *s)
{
	char	*d = s;

	for (; *s != '\0'; s++)
		if (s[0] == '\\' && s[1] == 'n') {
			*d++ = '\n';
			s++;
		} else
			*d++ = *s;
	*d = '\0';
}

/* alert ADDR PORT TIMEOUT_MS RCPT|FROM|HELO|SUBJECT|BODY */
static void
drv_alert(char *args)
{
	struct msg_alert	 al;
	char			*f[3], *t[5];
	int			 i;

	memset(&al, 0, sizeof(al));
	for (i = 0; i < 3; i++)
		f[i] = strsep(&args, " ");
	for (i = 0; i < 5; i++)
		t[i] = args != NULL ? strsep(&args, "|") : NULL;
	if (t[4] == NULL || addr_parse(f[0], AF_UNSPEC, &al.al_server) == -1)
		errx(1, "alert ADDR PORT MS RCPT|FROM|HELO|SUBJECT|BODY");
	al.al_port = strtoul(f[1], NULL, 0);
	al.al_timeout_ms = strtoul(f[2], NULL, 0);
	for (i = 0; i < 5; i++)
		drv_unescape(t[i]);
	strlcpy(al.al_rcpt, t[0], sizeof(al.al_rcpt));
	strlcpy(al.al_from, t[1], sizeof(al.al_from));
	strlcpy(al.al_helo, t[2], sizeof(al.al_helo));
	strlcpy(al.al_subject, t[3], sizeof(al.al_subject));
	strlcpy(al.al_body, t[4], sizeof(al.al_body));
	drv_send(drv_parent, MSG_ALERT, 0, &al, sizeof(al), -1);
}

static void
drv_new_peer(void)
{
	int	 sv[2];

	if (drv_peer != -1)
		close(drv_peer);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	drv_peer = sv[0];
	drv_send(drv_parent, MSG_PEER, 0, NULL, 0, sv[1]);
	close(sv[1]);
}

static void
drv_raw(int fd, unsigned int type)
{
	unsigned char	 zero[MSG_MAX];
	size_t		 len = msg_payload_len(type);

	memset(zero, 0, sizeof(zero));
	if (len == SIZE_MAX)
		len = 0;
	drv_send(fd, type, 0, zero, len, -1);
}

static void
drv_exec_start(char *args)
{
	char	*argv[16];
	int	 n = 0;

	while (n < 15 && (argv[n] = strsep(&args, " ")) != NULL)
		if (*argv[n] != '\0')
			n++;
	argv[n] = NULL;
	drv_exec_pid = drv_spawn(argv, &drv_exec, 0);
	drv_emit("exec pid %d", (int)drv_exec_pid);
}

/* cmd ID KIND VADDR VPORT RADDR RPORT TIMEOUT_MS PATH */
static void
drv_cmd(char *args)
{
	struct msg_exec_cmd	*c;
	char			*f[8];
	int			 i;

	if (drv_ncmds == DRIVER_MAX_CHECKS)
		errx(1, "too many commands");
	for (i = 0; i < 8; i++)
		if ((f[i] = strsep(&args, " ")) == NULL)
			errx(1, "cmd ID KIND VADDR VPORT RADDR RPORT TIMEOUT "
			    "PATH");
	c = &drv_cmds[drv_ncmds++];
	memset(c, 0, sizeof(*c));
	c->ec_id = strtoul(f[0], NULL, 0);
	c->ec_kind = strcmp(f[1], "perl") == 0 ? EXEC_EXTERNAL_PERL :
	    EXEC_EXTERNAL;
	if (strncmp(f[2], "fwm:", 4) == 0) {
		c->ec_fwm = 1;
		c->ec_fwmark = strtoul(f[2] + 4, NULL, 0);
	} else if (addr_parse(f[2], AF_UNSPEC, &c->ec_vaddr) == -1)
		errx(1, "bad address %s", f[2]);
	c->ec_vport = strtoul(f[3], NULL, 0);
	if (addr_parse(f[4], AF_UNSPEC, &c->ec_raddr) == -1)
		errx(1, "bad address %s", f[4]);
	c->ec_rport = strtoul(f[5], NULL, 0);
	c->ec_timeout_ms = strtoul(f[6], NULL, 0);
	strlcpy(c->ec_path, f[7], sizeof(c->ec_path));
}

/* The next n space-separated fields of *args, or exit with usage. */
static void
drv_fields(char **args, char **f, int n, const char *usage)
{
	int	 i;

	for (i = 0; i < n; i++)
		if ((f[i] = strsep(args, " ")) == NULL || *args == NULL)
			errx(1, "%s", usage);
}

/* The virtual service of a fallbackcommand: VADDR VPORT PROTO. */
static void
drv_hook_place(struct msg_exec_hook *h, char **f)
{
	if (strncmp(f[0], "fwm:", 4) == 0)
		h->eh_fwmark = strtoul(f[0] + 4, NULL, 0);
	else if (addr_parse(f[0], AF_UNSPEC, &h->eh_vaddr) == -1)
		errx(1, "bad address %s", f[0]);
	h->eh_vport = strtoul(f[1], NULL, 0);
	h->eh_proto = strcmp(f[2], "fwm") == 0 ? PROTO_FWM :
	    strcmp(f[2], "udp") == 0 ? PROTO_UDP : PROTO_TCP;
}

/* hook ID fallback VADDR VPORT PROTO TIMEOUT LINE | ID callback ... */
static void
drv_hook(char *args)
{
	static const char	 usage[] = "hook ID fallback VADDR VPORT PROTO "
	    "TIMEOUT LINE | hook ID callback TIMEOUT ARG LINE";
	struct msg_exec_hook	*h;
	char			*f[5], *p;

	if (drv_nhooks == sizeof(drv_hooks) / sizeof(drv_hooks[0]))
		errx(1, "too many hooks");
	h = &drv_hooks[drv_nhooks++];
	memset(h, 0, sizeof(*h));
	drv_fields(&args, f, 2, usage);
	h->eh_id = strtoul(f[0], NULL, 0);
	if (strcmp(f[1], "callback") == 0) {
		h->eh_kind = HOOK_CALLBACK;
		drv_fields(&args, f, 2, usage);
		h->eh_timeout_ms = strtoul(f[0], NULL, 0);
		for (p = f[1]; *p != '\0'; p++)
			if (*p == '+')
				*p = ' ';
		strlcpy(h->eh_arg, f[1], sizeof(h->eh_arg));
	} else {
		h->eh_kind = HOOK_FALLBACK;
		drv_fields(&args, f, 4, usage);
		drv_hook_place(h, f);
		h->eh_timeout_ms = strtoul(f[3], NULL, 0);
	}
	strlcpy(h->eh_cmd, args, sizeof(h->eh_cmd));
}

/* execconf GEN NDESTS [NSERVICES] */
static void
drv_execconf(char *args)
{
	struct msg_conf_begin	 cb;
	uint32_t		 gen;
	size_t			 i;
	char			*f;

	memset(&cb, 0, sizeof(cb));
	gen = strtoul(strsep(&args, " "), NULL, 0);
	if (args == NULL)
		errx(1, "execconf GEN NDESTS [NSERVICES]");
	cb.cb_ndests = strtoul(strsep(&args, " "), NULL, 0);
	if ((f = strsep(&args, " ")) != NULL)
		cb.cb_nservices = strtoul(f, NULL, 0);
	drv_send(drv_exec, MSG_CONF_BEGIN, gen, &cb, sizeof(cb), -1);
	for (i = 0; i < drv_ncmds; i++)
		drv_send(drv_exec, MSG_EXEC_CMD, gen, &drv_cmds[i],
		    sizeof(drv_cmds[i]), -1);
	for (i = 0; i < drv_nhooks; i++)
		drv_send(drv_exec, MSG_EXEC_HOOK, gen, &drv_hooks[i],
		    sizeof(drv_hooks[i]), -1);
	drv_send(drv_exec, MSG_CONF_END, gen, NULL, 0, -1);
	drv_ncmds = 0;
	drv_nhooks = 0;
}

/* fire GEN ID start|stop|run|N [PAD] */
static void
drv_fire(char *args)
{
	struct msg_exec_fire	 ef;
	uint32_t		 gen;
	char			*f[2], *a, *pad;

	memset(&ef, 0, sizeof(ef));
	drv_fields(&args, f, 2, "fire GEN ID ACTION [PAD]");
	gen = strtoul(f[0], NULL, 0);
	ef.ef_id = strtoul(f[1], NULL, 0);
	a = strsep(&args, " ");
	ef.ef_action = strcmp(a, "start") == 0 ? HOOK_START :
	    strcmp(a, "stop") == 0 ? HOOK_STOP : strcmp(a, "run") == 0 ?
	    HOOK_RUN : strtoul(a, NULL, 0);
	if ((pad = strsep(&args, " ")) != NULL)
		ef.ef_pad[0] = strtoul(pad, NULL, 0);
	drv_send(drv_exec, MSG_EXEC_FIRE, gen, &ef, sizeof(ef), -1);
}

/* A channel to lvsd-exec for the checker, or for the driver itself. */
static void
drv_execpeer(int self)
{
	int	 sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	drv_send(drv_exec, MSG_PEER, 0, NULL, 0, sv[0]);
	close(sv[0]);
	if (self) {
		if (drv_execself != -1)
			close(drv_execself);
		drv_execself = sv[1];
		return;
	}
	drv_send(drv_parent, MSG_EXEC_PEER, 0, NULL, 0, sv[1]);
	close(sv[1]);
}

/* run GEN ID SEQ [PAD] */
static void
drv_run(char *args)
{
	struct msg_exec_run	 er;
	uint32_t		 gen;
	char			*pad;

	memset(&er, 0, sizeof(er));
	gen = strtoul(strsep(&args, " "), NULL, 0);
	if (args == NULL)
		errx(1, "run GEN ID SEQ [PAD]");
	er.er_id = strtoul(strsep(&args, " "), NULL, 0);
	if (args == NULL)
		errx(1, "run GEN ID SEQ [PAD]");
	er.er_seq = strtoull(strsep(&args, " "), NULL, 0);
	if ((pad = strsep(&args, " ")) != NULL)
		er.er_pad = strtoul(pad, NULL, 0);
	drv_send(drv_execself, MSG_EXEC_RUN, gen, &er, sizeof(er), -1);
}

/* The commands for lvsd-exec; 0 if line is none of them. */
static int
drv_exec_command(const char *cmd, char *line)
{
	struct msg_ping	 pg;

	if (strcmp(cmd, "exec") == 0 && line != NULL)
		drv_exec_start(line);
	else if (strcmp(cmd, "cmd") == 0 && line != NULL)
		drv_cmd(line);
	else if (strcmp(cmd, "execconf") == 0 && line != NULL)
		drv_execconf(line);
	else if (strcmp(cmd, "hook") == 0 && line != NULL)
		drv_hook(line);
	else if (strcmp(cmd, "fire") == 0 && line != NULL)
		drv_fire(line);
	else if (strcmp(cmd, "execpeer") == 0)
		drv_execpeer(0);
	else if (strcmp(cmd, "execself") == 0)
		drv_execpeer(1);
	else if (strcmp(cmd, "run") == 0 && line != NULL)
		drv_run(line);
	else if (strcmp(cmd, "execping") == 0 && line != NULL) {
		memset(&pg, 0, sizeof(pg));
		pg.pg_seq = strtoull(line, NULL, 0);
		drv_send(drv_exec, MSG_PING, 0, &pg, sizeof(pg), -1);
	} else if (strcmp(cmd, "execterm") == 0 && drv_exec_pid > 0)
		kill(drv_exec_pid, SIGTERM);
	else
		return 0;
	return 1;
}

static void
drv_command(char *line)
{
	struct msg_ping	 pg;
	char		*cmd;

	cmd = strsep(&line, " ");
	if (drv_exec_command(cmd, line))
		return;
	if (strcmp(cmd, "check") == 0 && line != NULL)
		drv_check(line);
	else if (strcmp(cmd, "like") == 0 && line != NULL)
		drv_like(line);
	else if (strcmp(cmd, "conf") == 0 && line != NULL)
		drv_conf(line);
	else if (strcmp(cmd, "ca") == 0 && line != NULL)
		drv_ca(line);
	else if (strcmp(cmd, "alert") == 0 && line != NULL)
		drv_alert(line);
	else if (strcmp(cmd, "peer") == 0)
		drv_new_peer();
	else if (strcmp(cmd, "unpeer") == 0 && drv_peer != -1) {
		close(drv_peer);
		drv_peer = -1;
	} else if (strcmp(cmd, "snapshot") == 0 && line != NULL)
		drv_send(drv_peer, MSG_SNAPSHOT_REQUEST,
		    strtoul(line, NULL, 0), NULL, 0, -1);
	else if (strcmp(cmd, "ping") == 0 && line != NULL) {
		memset(&pg, 0, sizeof(pg));
		pg.pg_seq = strtoull(line, NULL, 0);
		drv_send(drv_parent, MSG_PING, 0, &pg, sizeof(pg), -1);
	} else if (strcmp(cmd, "raw") == 0 && line != NULL)
		drv_raw(drv_parent, strtoul(line, NULL, 0));
	else if (strcmp(cmd, "peerraw") == 0 && line != NULL)
		drv_raw(drv_peer, strtoul(line, NULL, 0));
	else if (strcmp(cmd, "await") == 0 && line != NULL)
		drv_await(line);
	else if (strcmp(cmd, "quit") == 0) {
		if (drv_exec != -1) {
			shutdown(drv_exec, SHUT_WR);
			while (drv_read_from(drv_exec, "exec "))
				;
			drv_exec_reap();
		}
		shutdown(drv_parent, SHUT_WR);
		for (;;)	/* drain what it still says, until it exits */
			if (!drv_read(drv_parent))
				drv_reap();
	} else if (*cmd != '\0')
		drv_emit("error unknown command '%s'", cmd);
}

int
main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "usage: checker-driver checker [arg ...]\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	drv_start(argv + 1);
	drv_loop();
	return 0;
}
