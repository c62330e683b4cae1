/*
 * lvsd-exec: the process.  It drops to the unprivileged user before it
 * reads a message, takes the table of commands from the parent, and
 * runs one for the checker when asked, answering how it ended.
 *
 *	lvsd-exec -u UID:GID [-v]
 *
 * The parent starts it with its channel on descriptor 3 and an empty
 * environment, and restarts it when it exits; the channel to the
 * checker comes from the parent (PEER).
 */
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "log.h"
#include "child.h"
#include "sandbox.h"

struct exec_env {
	struct msg_chan	 xe_parent;
	struct msg_chan	 xe_checker;	/* mc_fd -1 while none */
	struct ev_io	 xe_signals;
	int		 xe_configured;
	uint32_t	 xe_gen;	/* the table in force */
	int		 xe_loading;	/* between CONF_BEGIN and CONF_END */
	uint32_t	 xe_load_gen;
	uint32_t	 xe_load_n;
	uint32_t	 xe_load_nhooks;	/* virtuals, and the callback */
};

static struct exec_env	 env;

static void	exec_dispatch_parent(struct msg_chan *, const struct msg_hdr *,
		    const void *, int);
static void	exec_dispatch_checker(struct msg_chan *,
		    const struct msg_hdr *, const void *, int);
static void	exec_parent_closed(struct msg_chan *);
static void	exec_checker_closed(struct msg_chan *);
static void	exec_done(const struct exec_job *, int, int32_t);

/*
 * The commands run as this user, with no capability in any set and
 * no_new_privs: not even a set-user-ID program gives one back.  No
 * chroot: the commands live anywhere.
 */
static void
exec_confine(uid_t uid, gid_t gid)
{
	sandbox_drop(NULL, uid, gid, SANDBOX_KEEP_NONE);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("prctl PR_SET_NO_NEW_PRIVS");
	/* what a command leaves behind becomes ours to reap */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		fatal("prctl PR_SET_CHILD_SUBREAPER");
}

static void
exec_signal(struct ev_io *io, uint32_t events, void *arg)
{
	struct signalfd_siginfo	 si;

	while (read(io->io_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			job_reap();
		else if (si.ssi_signo == SIGTERM) {
			job_kill_all();
			exit(0);
		}
	}
}

static void
exec_signals_open(void)
{
	sigset_t	 set;
	int		 fd;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		fatal("sigprocmask");
	if ((fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		fatal("signalfd");
	ev_io_set(&env.xe_signals, fd, exec_signal, NULL);
	ev_io_add(&env.xe_signals, EPOLLIN);
}

int
main(int argc, char *argv[])
{
	struct child_opts	 co;

	child_start(argc, argv, "exec", CHILD_NO_ROOT, MSG_PARENT_FD, &co);
	exec_confine(co.co_uid, co.co_gid);

	ev_init();
	exec_signals_open();
	job_init(exec_done);
	env.xe_checker.mc_fd = -1;
	msg_chan_init(&env.xe_parent, MSG_PARENT_FD, "parent",
	    MSG_ALLOW(MSG_CONF_BEGIN) | MSG_ALLOW(MSG_EXEC_CMD) |
	    MSG_ALLOW(MSG_EXEC_HOOK) | MSG_ALLOW(MSG_EXEC_FIRE) |
	    MSG_ALLOW(MSG_CONF_END) | MSG_ALLOW(MSG_PEER) |
	    MSG_ALLOW(MSG_PING), exec_dispatch_parent, exec_parent_closed,
	    NULL);
	if (msg_chan_send(&env.xe_parent, MSG_READY, 0, NULL, 0) == -1)
		fatalx("cannot tell the parent that exec is ready");
	ev_loop();
	return 0;
}

/* The parent hung up, or was hung up on: nothing may outlive us. */
static void
exec_parent_closed(struct msg_chan *mc)
{
	job_kill_all();
	exit(child_exit_status());
}

static void
exec_conf_begin(uint32_t gen, const void *data)
{
	struct msg_conf_begin	 cb;

	memcpy(&cb, data, sizeof(cb));
	if (env.xe_loading)
		child_drop_parent(&env.xe_parent, "CONF_BEGIN inside a config");
	else if (env.xe_configured && gen <= env.xe_gen)
		child_drop_parent(&env.xe_parent,
		    "CONF_BEGIN generation %u is not newer "
		    "than %u", gen, env.xe_gen);
	else if (cb.cb_nservices >= EXEC_MAX_IDS)
		child_drop_parent(&env.xe_parent,
		    "CONF_BEGIN with %u services, more than %u",
		    cb.cb_nservices, EXEC_MAX_IDS - 1);
	else if (job_table_begin(cb.cb_ndests) == -1)
		child_drop_parent(&env.xe_parent,
		    "CONF_BEGIN with %u reals, more than %u",
		    cb.cb_ndests, EXEC_MAX_IDS);
	else {
		(void)hook_table_begin(cb.cb_nservices + 1);
		env.xe_loading = 1;
		env.xe_load_gen = gen;
		env.xe_load_n = cb.cb_ndests;
		env.xe_load_nhooks = cb.cb_nservices + 1;
	}
}

static void
exec_cmd(uint32_t gen, const void *data)
{
	struct msg_exec_cmd	 cmd;
	char			 why[128];

	memcpy(&cmd, data, sizeof(cmd));
	if (!env.xe_loading || gen != env.xe_load_gen)
		child_drop_parent(&env.xe_parent,
		    "EXEC_CMD outside its config");
	else if (exec_cmd_validate(&cmd, env.xe_load_n, why, sizeof(why))
	    == -1)
		child_drop_parent(&env.xe_parent,
		    "EXEC_CMD %u: %s", cmd.ec_id, why);
	else
		job_table_set(&cmd);
}

/* A fallbackcommand or the callback, in the table being loaded. */
static void
exec_hook(uint32_t gen, const void *data)
{
	struct msg_exec_hook	 h;
	char			 why[128];

	memcpy(&h, data, sizeof(h));
	if (!env.xe_loading || gen != env.xe_load_gen)
		child_drop_parent(&env.xe_parent,
		    "EXEC_HOOK outside its config");
	else if (exec_hook_validate(&h, env.xe_load_nhooks, why,
	    sizeof(why)) == -1)
		child_drop_parent(&env.xe_parent,
		    "EXEC_HOOK %u: %s", h.eh_id, why);
	else
		hook_table_set(&h);
}

/*
 * The parent names a hook of the table in force: it sends each table
 * before any EXEC_FIRE for it, so any other generation, index or
 * action is a violation.
 */
static void
exec_fire(uint32_t gen, const void *data)
{
	struct msg_exec_fire	 ef;
	char			 why[128];

	memcpy(&ef, data, sizeof(ef));
	if (!env.xe_configured || env.xe_loading || gen != env.xe_gen)
		child_drop_parent(&env.xe_parent,
		    "EXEC_FIRE for configuration %u, not the "
		    "one in force", gen);
	else if (exec_fire_validate(&ef, hook_lookup(gen, ef.ef_id), why,
	    sizeof(why)) == -1)
		child_drop_parent(&env.xe_parent, "EXEC_FIRE: %s", why);
	else
		hook_fire(ef.ef_id, ef.ef_action);
}

static void
exec_conf_end(uint32_t gen)
{
	if (!env.xe_loading || gen != env.xe_load_gen) {
		child_drop_parent(&env.xe_parent,
		    "CONF_END outside its config");
		return;
	}
	job_table_end(gen);
	hook_table_end(gen);
	env.xe_loading = 0;
	env.xe_configured = 1;
	env.xe_gen = gen;
}

/* A new channel to the checker replaces the old one. */
static void
exec_peer(int fd)
{
	socklen_t	 len = sizeof(int);
	int		 type = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_SEQPACKET) {
		close(fd);
		child_drop_parent(&env.xe_parent,
		    "PEER descriptor is not a SOCK_SEQPACKET "
		    "socket");
		return;
	}
	msg_chan_close(&env.xe_checker);
	msg_chan_init(&env.xe_checker, fd, "checker",
	    MSG_ALLOW(MSG_EXEC_RUN), exec_dispatch_checker,
	    exec_checker_closed, NULL);
	log_debug("new channel to the checker");
}

static void
exec_dispatch_parent(struct msg_chan *mc, const struct msg_hdr *hdr,
    const void *data, int fd)
{
	switch (hdr->mh_type) {
	case MSG_CONF_BEGIN:
		exec_conf_begin(hdr->mh_gen, data);
		break;
	case MSG_EXEC_CMD:
		exec_cmd(hdr->mh_gen, data);
		break;
	case MSG_EXEC_HOOK:
		exec_hook(hdr->mh_gen, data);
		break;
	case MSG_EXEC_FIRE:
		exec_fire(hdr->mh_gen, data);
		break;
	case MSG_CONF_END:
		exec_conf_end(hdr->mh_gen);
		break;
	case MSG_PEER:
		exec_peer(fd);
		break;
	case MSG_PING:
		msg_chan_send(mc, MSG_PONG, hdr->mh_gen, data,
		    sizeof(struct msg_ping));
		break;
	default:
		child_drop_parent(&env.xe_parent, "unexpected %s",
		    msg_type_name(hdr->mh_type));
		break;
	}
}

/* The answer to one EXEC_RUN, in the generation it was asked in. */
static void
exec_answer(uint32_t gen, uint32_t id, uint64_t seq, int result,
    int32_t status, uint32_t ms)
{
	struct msg_exec_done	 ed;

	memset(&ed, 0, sizeof(ed));
	ed.ed_id = id;
	ed.ed_seq = seq;
	ed.ed_result = result;
	ed.ed_status = status;
	ed.ed_ms = ms;
	if (msg_chan_open(&env.xe_checker))
		msg_chan_send(&env.xe_checker, MSG_EXEC_DONE, gen, &ed,
		    sizeof(ed));
}

static void
exec_done(const struct exec_job *xj, int result, int32_t status)
{
	uint64_t	 ms = 0;

	if (result != EXEC_BUSY && result != EXEC_STALE)
		ms = ev_now() - xj->xj_started;
	exec_answer(xj->xj_gen, xj->xj_cmd.ec_id, xj->xj_seq, result, status,
	    ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms);
}

/*
 * The checker names a real of its generation: ours, or the one before
 * while the checker waits for the new one.  Any other is a race with a
 * reload (the checker may be ahead of us): it is told so and asks
 * again.  In a generation we have, the id must have a command: anything
 * else is a forged request, and the checker is dropped.
 */
static void
exec_run(struct msg_chan *mc, uint32_t gen, const void *data)
{
	struct msg_exec_run	 er;
	struct exec_job		*xj;

	memcpy(&er, data, sizeof(er));
	if (er.er_pad != 0) {
		msg_chan_drop(mc, "EXEC_RUN with padding");
		return;
	}
	if (!job_table_known(gen)) {
		exec_answer(gen, er.er_id, er.er_seq, EXEC_STALE, 0, 0);
		return;
	}
	if ((xj = job_lookup(gen, er.er_id)) == NULL) {
		msg_chan_drop(mc, "EXEC_RUN for id %u, which has no command "
		    "in configuration %u (of %u ids)", er.er_id, gen,
		    job_table_size(gen));
		return;
	}
	job_request(xj, er.er_seq, gen);
}

static void
exec_dispatch_checker(struct msg_chan *mc, const struct msg_hdr *hdr,
    const void *data, int fd)
{
	if (hdr->mh_type == MSG_EXEC_RUN)
		exec_run(mc, hdr->mh_gen, data);
	else
		msg_chan_drop(mc, "unexpected %s",
		    msg_type_name(hdr->mh_type));
}

/* Commands in flight go on; their answers have nowhere to go. */
static void
exec_checker_closed(struct msg_chan *mc)
{
	log_debug("channel to the checker closed");
}
