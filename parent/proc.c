/*
 * Supervision of the three children: fork+exec with the channel on a
 * fixed descriptor, the config push, the checker <-> ipvsd and checker
 * <-> exec channels, the messages children send up, and restarts with
 * exponential back-off.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "icmpsock.h"
#include "log.h"
#include "lvsd.h"

static void	proc_dispatch_child(struct msg_chan *, const struct msg_hdr *,
		    const void *, int);
static void	proc_child_closed(struct msg_chan *);
static void	proc_restart_due(void *);
static void	proc_watchdog(void *);
static int	proc_alive(void);

/*
 * The raw sockets of the ping checks, opened once: the checker holds no
 * privilege to open one, and gets them again at each restart.  Without
 * them (not root, no IPv6) pings of that family are down, and say why.
 */
static void
proc_open_icmp(void)
{
	static const int	 fams[2] = { AF_INET, AF_INET6 };
	int			 i;

	for (i = 0; i < 2; i++)
		if ((env->e_icmp[i] = icmpsock_open(fams[i])) == -1)
			log_warn("no raw %s socket for ping checks",
			    fams[i] == AF_INET ? "ICMP" : "ICMPv6");
}

void
proc_init(void)
{
	struct child	*ipvsd = &env->e_children[CHILD_IPVSD];
	struct child	*checker = &env->e_children[CHILD_CHECKER];
	struct child	*exec = &env->e_children[CHILD_EXEC];
	const uint32_t	 common = MSG_ALLOW(MSG_READY) | MSG_ALLOW(MSG_LOG) |
	    MSG_ALLOW(MSG_PONG);
	int		 i;

	ipvsd->ch_name = "ipvsd";
	ipvsd->ch_prog = "lvsd-ipvsd";
	ipvsd->ch_allowed = common | MSG_ALLOW(MSG_APPLIED);
	checker->ch_name = "checker";
	checker->ch_prog = "lvsd-checker";
	checker->ch_allowed = common | MSG_ALLOW(MSG_RESULT) |
	    MSG_ALLOW(MSG_STATS);
	exec->ch_name = "exec";
	exec->ch_prog = "lvsd-exec";
	exec->ch_allowed = common;
	for (i = 0; i < CHILD_COUNT; i++) {
		env->e_children[i].ch_chan.mc_fd = -1;
		env->e_children[i].ch_backoff = CHILD_BACKOFF_MIN_MS;
		ev_timer_set(&env->e_children[i].ch_restart,
		    proc_restart_due, &env->e_children[i]);
	}
	ev_timer_set(&env->e_watchdog, proc_watchdog, NULL);
	ev_timer_add(&env->e_watchdog, WATCHDOG_INTERVAL_MS);
	proc_open_icmp();
}

/* How long a child may leave a PING unanswered, for the table in force. */
static uint64_t
proc_watchdog_timeout(void)
{
	uint64_t	 reals = env->e_conf != NULL ? env->e_conf->c_nreals : 0;

	return WATCHDOG_TIMEOUT_MS + reals * WATCHDOG_US_PER_REAL / 1000;
}

/*
 * The heartbeat: each running child gets a PING unless one is still
 * unanswered; a child that has left one unanswered for too long is
 * hung, and is killed: SIGKILL works on a stopped process too, and its
 * death goes the usual way, a restart with back-off.
 */
static void
proc_watchdog(void *arg)
{
	struct child		*ch;
	struct msg_ping		 pg;
	uint64_t		 now = ev_now();
	int			 i;

	ev_timer_add(&env->e_watchdog, WATCHDOG_INTERVAL_MS);
	for (i = 0; i < CHILD_COUNT && !env->e_stopping; i++) {
		ch = &env->e_children[i];
		if (ch->ch_pid == 0 || ch->ch_hung ||
		    !msg_chan_open(&ch->ch_chan))
			continue;
		if (ch->ch_ping_since != 0) {
			if (now - ch->ch_ping_since < proc_watchdog_timeout())
				continue;
			log_warnx("%s (pid %ld) has not answered the heartbeat "
			    "for %llu s: hung, killing it", ch->ch_name,
			    (long)ch->ch_pid, (unsigned long long)
			    (now - ch->ch_ping_since) / 1000);
			ch->ch_hung = 1;
			kill(ch->ch_pid, SIGKILL);
			continue;
		}
		memset(&pg, 0, sizeof(pg));
		pg.pg_seq = ++ch->ch_ping_seq;
		ch->ch_ping_since = now;
		msg_chan_send(&ch->ch_chan, MSG_PING, env->e_gen, &pg,
		    sizeof(pg));
	}
}

/* In the child after fork: put the channel on fd 3 and exec. */
static void __attribute__((noreturn))
proc_exec(const struct child *ch, int fd)
{
	char	 path[1024], ids[64];
	char	*argv[8];
	char	*envp[] = { NULL };
	sigset_t set;
	int	 argc = 0, fds[3];

	/* the parent blocks signals for its signalfd; the child must not */
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);

	/* the checker also gets its ICMP sockets, on 4 and 5 */
	fds[0] = fd;
	fds[1] = env->e_icmp[0];
	fds[2] = env->e_icmp[1];
	if (icmpsock_place(fds, ch == &env->e_children[CHILD_CHECKER] ? 3 : 1,
	    MSG_PARENT_FD) == -1)
		_exit(127);
	snprintf(path, sizeof(path), "%s/%s", env->e_libexecdir, ch->ch_prog);
	snprintf(ids, sizeof(ids), "%u:%u", (unsigned int)env->e_uid,
	    (unsigned int)env->e_gid);
	argv[argc++] = (char *)(uintptr_t)ch->ch_prog;
	argv[argc++] = "-u";
	argv[argc++] = ids;
	/* lvsd-exec is not chrooted: its commands live anywhere */
	if (ch != &env->e_children[CHILD_EXEC]) {
		argv[argc++] = "-r";
		argv[argc++] = LVSD_EMPTYDIR;
	}
	if (env->e_verbose)
		argv[argc++] = "-v";
	argv[argc] = NULL;
	/* an empty environment: no proxy variables, no locale surprises */
	execve(path, argv, envp);
	fprintf(stderr, "lvsd: exec %s: %s\n", path, strerror(errno));
	_exit(127);
}

static void
proc_spawn(struct child *ch)
{
	int	 sp[2];
	pid_t	 pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) == -1)
		fatal("socketpair");
	log_flush();		/* the child must not inherit held lines */
	switch ((pid = fork())) {
	case -1:
		fatal("fork");
	case 0:
		close(sp[0]);
		proc_exec(ch, sp[1]);
	default:
		break;
	}
	close(sp[1]);
	ch->ch_pid = pid;
	ch->ch_ready = 0;
	ch->ch_gen = 0;
	ch->ch_hung = 0;
	ch->ch_ping_since = 0;
	ch->ch_started = ev_now();
	msg_chan_init(&ch->ch_chan, sp[0], ch->ch_name, ch->ch_allowed,
	    proc_dispatch_child, proc_child_closed, ch);
	log_debug("started %s, pid %ld", ch->ch_name, (long)pid);
}

/*
 * A fresh channel between the checker and other (ipvsd or exec); each
 * side gets one end.  The checker knows the exec helper's end by its
 * own message type, EXEC_PEER.
 */
static void
proc_connect(struct child *other)
{
	struct child	*checker = &env->e_children[CHILD_CHECKER];
	int		 sp[2];

	if (!msg_chan_open(&other->ch_chan) ||
	    !msg_chan_open(&checker->ch_chan))
		return;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) == -1)
		fatal("socketpair");
	msg_chan_send_fd(&other->ch_chan, MSG_PEER, env->e_gen, NULL, 0,
	    sp[0]);
	msg_chan_send_fd(&checker->ch_chan,
	    other == &env->e_children[CHILD_EXEC] ? MSG_EXEC_PEER : MSG_PEER,
	    env->e_gen, NULL, 0, sp[1]);
}

/* The channels of a child that has just started. */
static void
proc_connect_peers(struct child *ch)
{
	if (ch != &env->e_children[CHILD_EXEC])
		proc_connect(&env->e_children[CHILD_IPVSD]);
	if (ch != &env->e_children[CHILD_IPVSD])
		proc_connect(&env->e_children[CHILD_EXEC]);
}

/*
 * ipvsd and exec get a config as soon as there is one; the checker only
 * once ipvsd has applied it, so that every STATE the checker sends names
 * a real of a table ipvsd has, and ipvsd has read the kernel's table
 * before the first one arrives.  exec, being ahead, has the commands of
 * a generation before the checker asks for one of them.
 */
static void
proc_send_config(struct child *ch)
{
	if (!msg_chan_open(&ch->ch_chan) || ch->ch_gen == env->e_gen)
		return;
	/* room for every record of the config, at most MSG_MAX each */
	msg_chan_burst(&ch->ch_chan, ((size_t)env->e_conf->c_nvirtuals +
	    env->e_conf->c_nreals + 3) * (sizeof(struct msg_hdr) + MSG_MAX));
	if (ch == &env->e_children[CHILD_CHECKER] &&
	    env->e_applied_gen != env->e_gen) {
		log_debug("%s: configuration %u waits for ipvsd",
		    ch->ch_name, env->e_gen);
		return;
	}
	msg_chan_cork(&ch->ch_chan);
	if (ch == &env->e_children[CHILD_IPVSD])
		confmsg_send_ipvsd(&ch->ch_chan, env->e_conf, env->e_gen);
	else if (ch == &env->e_children[CHILD_EXEC])
		confmsg_send_exec(&ch->ch_chan, env->e_conf, env->e_gen);
	else
		confmsg_send_checker(&ch->ch_chan, env->e_conf, env->e_gen);
	msg_chan_uncork(&ch->ch_chan);
	ch->ch_gen = env->e_gen;
	/* a fallbackcommand due while lvsd-exec was away runs now */
	if (ch == &env->e_children[CHILD_EXEC])
		hooks_evaluate_all();
}

/* A reload made env->e_conf generation env->e_gen: exec and ipvsd first. */
void
proc_push_config(void)
{
	proc_send_config(&env->e_children[CHILD_EXEC]);
	proc_send_config(&env->e_children[CHILD_IPVSD]);
}

/*
 * Start one child: its config first, then the channel to its peer, so
 * it knows the config before the first message from the peer arrives.
 */
static void
proc_start(struct child *ch)
{
	proc_spawn(ch);
	proc_send_config(ch);
	proc_connect_peers(ch);
}

/*
 * ipvsd alone: exec and the checker start at its first APPLIED
 * (proc_after_apply).  The checker would have no configuration before,
 * and their start (the checker's libcurl, and all it loads) would only
 * take CPU from putting the table in place.
 */
void
proc_start_all(void)
{
	proc_start(&env->e_children[CHILD_IPVSD]);
}

static void
proc_restart_due(void *arg)
{
	struct child	*ch = arg;

	if (env->e_stopping || ch->ch_pid != 0)
		return;
	ch->ch_restarts++;
	log_info("restarting %s (restart %u)", ch->ch_name, ch->ch_restarts);
	proc_start(ch);
}

/* Replace control characters, so a child cannot forge log lines. */
static void
proc_sanitize(char *s)
{
	for (; *s != '\0'; s++)
		if (!isprint((unsigned char)*s))
			*s = '?';
}

static void
proc_handle_log(struct child *ch, const struct msg_log *lg)
{
	char	 text[MSG_LOG_LEN];

	if (lg->lg_priority < LOG_EMERG || lg->lg_priority > LOG_DEBUG ||
	    !msg_str_ok(lg->lg_text, sizeof(lg->lg_text))) {
		msg_chan_drop(&ch->ch_chan, "malformed LOG");
		return;
	}
	strlcpy(text, lg->lg_text, sizeof(text));
	proc_sanitize(text);
	log_line(lg->lg_priority, text);
}

/*
 * ipvsd's table is in place: exec and the checker start, the first
 * time; later, the checker gets the configuration ipvsd applied.
 */
static void
proc_after_apply(void)
{
	struct child	*exec = &env->e_children[CHILD_EXEC];
	struct child	*checker = &env->e_children[CHILD_CHECKER];

	if (env->e_stopping)
		return;
	if (exec->ch_started == 0)
		proc_start(exec);
	if (checker->ch_started == 0)
		proc_start(checker);
	else
		proc_send_config(checker);
}

/*
 * ipvsd has made the kernel's table match configuration gen: now the
 * checker may have it, and `lvsd reload` its answer.
 */
static void
proc_handle_applied(struct child *ch, uint32_t gen,
    const struct msg_applied *ap)
{
	if (gen == 0 || gen > ch->ch_gen) {
		msg_chan_drop(&ch->ch_chan, "APPLIED of configuration %u, "
		    "sent %u", gen, ch->ch_gen);
		return;
	}
	log_info("ipvsd applied configuration %u: %u services, %u real "
	    "servers, %u changes, %u refused by the kernel", gen,
	    ap->ap_nservices, ap->ap_ndests, ap->ap_nops, ap->ap_nerrors);
	if (gen != env->e_gen)
		return;		/* a newer one is on its way */
	env->e_applied_gen = gen;
	/* `lvsd reload` hears first: the checker's share may be long */
	control_applied(gen, ap);
	proc_after_apply();
	notify_ready();
}

/* A PONG answers the last PING, or an older one; never a future one. */
static void
proc_handle_pong(struct child *ch, const struct msg_ping *pg)
{
	if (pg->pg_seq > ch->ch_ping_seq) {
		msg_chan_drop(&ch->ch_chan, "PONG %llu to PING %llu",
		    (unsigned long long)pg->pg_seq,
		    (unsigned long long)ch->ch_ping_seq);
		return;
	}
	if (pg->pg_seq == ch->ch_ping_seq)
		ch->ch_ping_since = 0;
}

static void
proc_dispatch_child(struct msg_chan *mc, const struct msg_hdr *hdr,
    const void *payload, int fd)
{
	struct child	*ch = mc->mc_arg;

	switch (hdr->mh_type) {
	case MSG_READY:
		ch->ch_ready = 1;
		ch->ch_early_deaths = 0;
		log_debug("%s ready", ch->ch_name);
		break;
	case MSG_LOG:
		proc_handle_log(ch, payload);
		break;
	case MSG_APPLIED:
		proc_handle_applied(ch, hdr->mh_gen, payload);
		break;
	case MSG_PONG:
		proc_handle_pong(ch, payload);
		break;
	case MSG_RESULT:
		status_result(mc, hdr->mh_gen, payload);
		break;
	case MSG_STATS:
		metrics_stats(mc, hdr->mh_gen, payload);
		break;
	default:
		msg_chan_drop(mc, "unexpected %s", msg_type_name(hdr->mh_type));
	}
}

/* The channel closed: the child is dead or broke the protocol. */
static void
proc_child_closed(struct msg_chan *mc)
{
	struct child	*ch = mc->mc_arg;

	if (ch->ch_pid != 0 && !env->e_stopping)
		kill(ch->ch_pid, SIGKILL);
}

static void
proc_describe_exit(char *buf, size_t len, int status)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		snprintf(buf, len, "killed by SIGSYS (seccomp: a forbidden "
		    "system call)");
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "stopped, status %#x", status);
}

static void
proc_schedule_restart(struct child *ch)
{
	uint64_t	 lived = ev_now() - ch->ch_started;

	if (!ch->ch_ready && ++ch->ch_early_deaths >= CHILD_MAX_EARLY_DEATHS)
		fatalx("%s died %u times before it was ready; giving up "
		    "(see the messages above)", ch->ch_name,
		    ch->ch_early_deaths);
	if (lived >= CHILD_STABLE_MS)
		ch->ch_backoff = CHILD_BACKOFF_MIN_MS;
	log_info("%s will be restarted in %llu ms", ch->ch_name,
	    (unsigned long long)ch->ch_backoff);
	ev_timer_add(&ch->ch_restart, ch->ch_backoff);
	ch->ch_backoff *= 2;
	if (ch->ch_backoff > CHILD_BACKOFF_MAX_MS)
		ch->ch_backoff = CHILD_BACKOFF_MAX_MS;
}

static void
proc_child_died(struct child *ch, int status)
{
	char	 why[128];
	pid_t	 pid = ch->ch_pid;

	proc_describe_exit(why, sizeof(why), status);
	ch->ch_pid = 0;
	ch->ch_ping_since = 0;
	msg_chan_close(&ch->ch_chan);
	if (env->e_stopping) {
		log_debug("%s %s", ch->ch_name, why);
		if (!proc_alive())
			ev_break();
		return;
	}
	log_warnx("%s (pid %ld) %s", ch->ch_name, (long)pid, why);
	proc_schedule_restart(ch);
}

/* SIGCHLD: collect every dead child. */
void
proc_reap(void)
{
	pid_t	 pid;
	int	 status, i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (i = 0; i < CHILD_COUNT; i++)
			if (env->e_children[i].ch_pid == pid)
				proc_child_died(&env->e_children[i], status);
}

static int
proc_alive(void)
{
	int	 i, alive = 0;

	for (i = 0; i < CHILD_COUNT; i++)
		alive += env->e_children[i].ch_pid != 0;
	return alive;
}

/* For `lvsd status`: exec and the checker wait for ipvsd's first APPLIED. */
const char *
proc_state_name(const struct child *ch)
{
	if (ch->ch_pid != 0)
		return "running";
	return ch->ch_started == 0 ? "waiting for ipvsd" : "restarting";
}

/* For systemd's watchdog: no child hung past what proc_watchdog allows. */
int
proc_healthy(void)
{
	uint64_t	 now = ev_now();
	int		 i;

	for (i = 0; i < CHILD_COUNT; i++)
		if (env->e_children[i].ch_ping_since != 0 &&
		    now - env->e_children[i].ch_ping_since >
		    2 * proc_watchdog_timeout())
			return 0;
	return 1;
}

static void
proc_shutdown_timeout(void *arg)
{
	int	 i;

	for (i = 0; i < CHILD_COUNT; i++)
		if (env->e_children[i].ch_pid != 0) {
			log_warnx("%s did not stop in time; killing it",
			    env->e_children[i].ch_name);
			kill(env->e_children[i].ch_pid, SIGKILL);
		}
}

/* Is there a virtual service to remove at a clean stop? */
static int
proc_any_cleanstop(const struct conf *c)
{
	const struct conf_virtual	*v;

	TAILQ_FOREACH(v, &c->c_virtuals, v_entry)
		if (v->v_cleanstop)
			return 1;
	return 0;
}

/*
 * Stop: the checker first, so no state change races the shutdown, and
 * exec, which kills the commands it runs; then ipvsd, which removes the
 * services whose cleanstop (their own, else the global one) says so.  The loop runs on until all have
 * exited.
 */
void
proc_shutdown(void)
{
	static struct ev_timer	 timeout;
	struct child		*ipvsd = &env->e_children[CHILD_IPVSD];
	struct child		*checker = &env->e_children[CHILD_CHECKER];
	struct child		*exec = &env->e_children[CHILD_EXEC];
	struct msg_shutdown	 sd;
	int			 i;

	if (env->e_stopping)
		return;
	env->e_stopping = 1;
	notify_send("STOPPING=1");
	/* a restart keeps the table, and the other instances running */
	if (!env->e_keep_table)
		execute_all(env->e_conf, "stop");
	alerts_stop();
	for (i = 0; i < CHILD_COUNT; i++)
		ev_timer_del(&env->e_children[i].ch_restart);
	if (checker->ch_pid != 0)
		kill(checker->ch_pid, SIGTERM);
	if (exec->ch_pid != 0)
		kill(exec->ch_pid, SIGTERM);
	memset(&sd, 0, sizeof(sd));
	sd.sd_cleanstop = proc_any_cleanstop(env->e_conf) &&
	    !env->e_keep_table;
	if (ipvsd->ch_pid != 0 && (!msg_chan_open(&ipvsd->ch_chan) ||
	    msg_chan_send(&ipvsd->ch_chan, MSG_SHUTDOWN, env->e_gen, &sd,
	    sizeof(sd)) == -1))
		kill(ipvsd->ch_pid, SIGTERM);
	if (!proc_alive()) {
		ev_break();
		return;
	}
	ev_timer_set(&timeout, proc_shutdown_timeout, NULL);
	ev_timer_add(&timeout, PROC_STOP_TIMEOUT_MS);
}
