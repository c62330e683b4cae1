/*
 * lvsd-checker: the process.  It confines itself before it reads a
 * message, takes its config from the parent, runs every check on one
 * event loop and reports: up/down per real to ipvsd, why to the parent.
 *
 *	lvsd-checker -u UID:GID -r CHROOTDIR [-v]
 *
 * The parent starts it with its channel on descriptor 3 and an empty
 * environment, and restarts it when it exits.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert.h"
#include "checker.h"
#include "log.h"
#include "msg.h"
#include "child.h"
#include "sandbox.h"

/*
 * Most reals one config may list.  ipvsd holds far fewer in practice;
 * this only bounds the table a CONF_BEGIN makes the checker allocate.
 */
#define CHECKER_MAX_REALS	(1U << 20)

struct checker_env {
	struct msg_chan	 ce_parent;
	struct msg_chan	 ce_peer;	/* to ipvsd; mc_fd -1 while none */
	struct msg_chan	 ce_exec;	/* to lvsd-exec; -1 while none */
	int		 ce_configured;	/* a config has been applied */
	uint32_t	 ce_gen;	/* its generation */
	struct check	**ce_checks;	/* by real id; NULL: not probed */
	uint32_t	 ce_nchecks;	/* reals in the config */
	struct reload	*ce_reload;	/* between CONF_BEGIN and CONF_END */
};

static struct checker_env	 env;
/* where checker_check reads a CHECK */
static struct msg_check		 checker_msg_check;

static void	checker_dispatch_parent(struct msg_chan *,
		    const struct msg_hdr *, const void *, int);
static void	checker_dispatch_peer(struct msg_chan *,
		    const struct msg_hdr *, const void *, int);
static void	checker_parent_closed(struct msg_chan *);
static void	checker_peer_closed(struct msg_chan *);
static void	checker_dispatch_exec(struct msg_chan *,
		    const struct msg_hdr *, const void *, int);
static void	checker_exec_closed(struct msg_chan *);
static void	checker_snapshot(void);

/*
 * Every probe in flight holds a descriptor, and one that cannot open its
 * socket fails its check: take the hard limit on open files, not the
 * soft one (1024 by default under systemd, which thousands of reals
 * with slow answers exceed).
 */
static void
checker_raise_nofile(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		log_warn("setrlimit RLIMIT_NOFILE");
}

int
main(int argc, char *argv[])
{
	struct child_opts	 co;

	/* keeps the parent's raw ICMP sockets too (check_ping.c) */
	child_start(argc, argv, "checker", CHILD_ROOT, MSG_ICMP6_FD, &co);

	/* everything that touches a file, before the sandbox */
	checker_raise_nofile();
	ev_init();
	http_loop_init();
	ping_init();
	sched_gate_init();	/* counts what the above opened */
	checker_sandbox(co.co_root, co.co_uid, co.co_gid);

	env.ce_peer.mc_fd = -1;
	env.ce_exec.mc_fd = -1;
	msg_chan_init(&env.ce_parent, MSG_PARENT_FD, "parent",
	    MSG_ALLOW(MSG_CONF_BEGIN) | MSG_ALLOW(MSG_CHECK) |
	    MSG_ALLOW(MSG_CHECK_LIKE) | MSG_ALLOW(MSG_CONF_END) |
	    MSG_ALLOW(MSG_PEER) | MSG_ALLOW(MSG_EXEC_PEER) |
	    MSG_ALLOW(MSG_PING) | MSG_ALLOW(MSG_CA) | MSG_ALLOW(MSG_ALERT),
	    checker_dispatch_parent, checker_parent_closed, NULL);
	log_queue_on(&env.ce_parent);
	if (msg_chan_send(&env.ce_parent, MSG_READY, 0, NULL, 0) == -1)
		fatalx("cannot tell the parent that the checker is ready");
	ev_loop();
	return 0;
}

/* The parent hung up, or was hung up on: the parent restarts us. */
static void
checker_parent_closed(struct msg_chan *mc)
{
	exit(child_exit_status());
}

static void
checker_conf_begin(const struct msg_hdr *hdr, const void *data)
{
	struct msg_conf_begin	 cb;

	memcpy(&cb, data, sizeof(cb));
	if (env.ce_reload != NULL)
		child_drop_parent(&env.ce_parent, "CONF_BEGIN inside a config");
	else if (env.ce_configured && hdr->mh_gen <= env.ce_gen)
		child_drop_parent(&env.ce_parent,
		    "CONF_BEGIN generation %u is not newer than %u",
		    hdr->mh_gen, env.ce_gen);
	else if (cb.cb_ndests > CHECKER_MAX_REALS)
		child_drop_parent(&env.ce_parent,
		    "CONF_BEGIN with %u reals, more than %u",
		    cb.cb_ndests, CHECKER_MAX_REALS);
	else {
		tls_ca_abort();
		env.ce_reload = reload_begin(hdr->mh_gen, cb.cb_ndests);
	}
}

/* Whether hdr belongs to the config being sent. */
static int
checker_in_config(const struct msg_hdr *hdr)
{
	return env.ce_reload != NULL && hdr->mh_gen == reload_gen(env.ce_reload);
}

/* A CA bundle of the config being sent; fd is the file, closed here. */
static void
checker_ca(const struct msg_hdr *hdr, const void *data, int fd)
{
	struct msg_ca	 msg;
	char		 why[128];

	memcpy(&msg, data, sizeof(msg));
	if (!checker_in_config(hdr))
		child_drop_parent(&env.ce_parent, "CA outside its config");
	else if (tls_ca_stage(&msg, fd, why, sizeof(why)) == -1)
		child_drop_parent(&env.ce_parent, "%s", why);
	close(fd);
}

/* Stage cs, a CHECK or CHECK_LIKE: the reload takes it over, or it goes. */
static void
checker_stage(struct check_spec *cs)
{
	char	 why[256];

	if (reload_add(env.ce_reload, cs, why, sizeof(why)) == -1) {
		check_spec_release(cs);
		child_drop_parent(&env.ce_parent, "%s", why);
	}
}

static void
checker_check(const struct msg_hdr *hdr, const void *data)
{
	struct msg_check	*msg = &checker_msg_check;
	struct check_spec	 cs;
	char			 why[256];

	/* 2.4 KiB: copied once, aligned, off the stack */
	memcpy(msg, data, sizeof(*msg));
	if (!checker_in_config(hdr))
		child_drop_parent(&env.ce_parent, "CHECK outside its config");
	else if (!tls_ca_staged_has(msg->ck_tls_ca))
		child_drop_parent(&env.ce_parent,
		    "CHECK %u: CA file %u not sent", msg->ck_id,
		    msg->ck_tls_ca);
	else if (check_spec_make(msg, &cs, why, sizeof(why)) == -1)
		child_drop_parent(&env.ce_parent,
		    "CHECK %u: %s", msg->ck_id, why);
	else
		checker_stage(&cs);
}

/*
 * The CHECK before it, with its own id, address and port: what the
 * reload staged last, whose parameters are that CHECK's and valid.
 */
static void
checker_check_like(const struct msg_hdr *hdr, const void *data)
{
	struct msg_check_like	 cl;
	const struct check_spec	*like;
	struct check_spec	 cs;
	char			 why[256];

	memcpy(&cl, data, sizeof(cl));
	if (!checker_in_config(hdr))
		child_drop_parent(&env.ce_parent,
		    "CHECK_LIKE outside its config");
	else if ((like = reload_last(env.ce_reload)) == NULL)
		child_drop_parent(&env.ce_parent,
		    "CHECK_LIKE %u with no CHECK before it", cl.cl_id);
	else if (check_spec_like(like, &cl, &cs, why, sizeof(why)) == -1)
		child_drop_parent(&env.ce_parent,
		    "CHECK_LIKE %u: %s", cl.cl_id, why);
	else
		checker_stage(&cs);
}

/*
 * An e-mail alert to send, at any time: it belongs to no config, so its
 * generation is not looked at.  The parent composed it; a bad one is a
 * broken parent, as any bad message is.
 */
static void
checker_alert(const void *data)
{
	struct msg_alert	 msg;
	const char		*why;

	memcpy(&msg, data, sizeof(msg));
	if ((why = alert_validate(&msg)) != NULL)
		child_drop_parent(&env.ce_parent, "ALERT: %s", why);
	else
		alert_send(&msg);
}

static void
checker_conf_end(const struct msg_hdr *hdr)
{
	if (!checker_in_config(hdr)) {
		child_drop_parent(&env.ce_parent,
		    "CONF_END outside its config");
		return;
	}
	env.ce_gen = hdr->mh_gen;
	env.ce_configured = 1;
	tls_ca_apply();
	reload_apply(env.ce_reload, &env.ce_checks, &env.ce_nchecks);
	env.ce_reload = NULL;
	msg_chan_room(&env.ce_parent, (size_t)env.ce_nchecks *
	    (2 * sizeof(struct msg_hdr) + sizeof(struct msg_result) +
	    sizeof(struct msg_log)));
	log_info("config %u applied: %u reals", env.ce_gen, env.ce_nchecks);
	/* a kept check may have a new id: tell ipvsd what it is now */
	checker_snapshot();
}

/* A descriptor from the parent must be a SOCK_SEQPACKET socket. */
static int
checker_seqpacket(int fd, const char *what)
{
	socklen_t	 len = sizeof(int);
	int		 type = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_SEQPACKET) {
		close(fd);
		child_drop_parent(&env.ce_parent,
		    "%s descriptor is not a SOCK_SEQPACKET socket",
		    what);
		return 0;
	}
	return 1;
}

/* A new channel to ipvsd replaces the old one. */
static void
checker_peer(int fd)
{
	if (!checker_seqpacket(fd, "PEER"))
		return;
	msg_chan_close(&env.ce_peer);
	msg_chan_init(&env.ce_peer, fd, "ipvsd",
	    MSG_ALLOW(MSG_SNAPSHOT_REQUEST), checker_dispatch_peer,
	    checker_peer_closed, NULL);
	log_debug("new channel to ipvsd");
	checker_snapshot();
}

/*
 * A new channel to lvsd-exec replaces the old one, whose requests will
 * not be answered: their checks fail now rather than at their deadline.
 */
static void
checker_exec_peer(int fd)
{
	if (!checker_seqpacket(fd, "EXEC_PEER"))
		return;
	msg_chan_close(&env.ce_exec);
	check_exec_lost();
	msg_chan_init(&env.ce_exec, fd, "exec", MSG_ALLOW(MSG_EXEC_DONE),
	    checker_dispatch_exec, checker_exec_closed, NULL);
	log_debug("new channel to exec");
}

static void
checker_dispatch_parent(struct msg_chan *mc, const struct msg_hdr *hdr,
    const void *data, int fd)
{
	switch (hdr->mh_type) {
	case MSG_CONF_BEGIN:
		checker_conf_begin(hdr, data);
		break;
	case MSG_CHECK:
		checker_check(hdr, data);
		break;
	case MSG_CHECK_LIKE:
		checker_check_like(hdr, data);
		break;
	case MSG_CONF_END:
		checker_conf_end(hdr);
		break;
	case MSG_PEER:
		checker_peer(fd);
		break;
	case MSG_EXEC_PEER:
		checker_exec_peer(fd);
		break;
	case MSG_PING:
		/* the counts first: at the PONG the parent has them all */
		stats_flush(mc, env.ce_gen, env.ce_checks, env.ce_nchecks);
		msg_chan_send(mc, MSG_PONG, hdr->mh_gen, data,
		    sizeof(struct msg_ping));
		break;
	case MSG_CA:
		checker_ca(hdr, data, fd);
		break;
	case MSG_ALERT:
		checker_alert(data);
		break;
	default:
		child_drop_parent(&env.ce_parent,
		    "unexpected %s", msg_type_name(hdr->mh_type));
		break;
	}
}

/*
 * ipvsd may only ask for the current states.  The parent configures
 * ipvsd first: a request for a configuration the checker does not have
 * yet is answered by the snapshot at its CONF_END, while states of the
 * one before would all be ignored.
 */
static void
checker_dispatch_peer(struct msg_chan *mc, const struct msg_hdr *hdr,
    const void *data, int fd)
{
	if (hdr->mh_type == MSG_SNAPSHOT_REQUEST) {
		if (hdr->mh_gen == env.ce_gen)
			checker_snapshot();
		else
			log_debug("snapshot of configuration %u asked at %u: "
			    "sent at its CONF_END", hdr->mh_gen, env.ce_gen);
	} else
		msg_chan_drop(mc, "unexpected %s",
		    msg_type_name(hdr->mh_type));
}

/* Checks go on; the next PEER from the parent gets a snapshot. */
static void
checker_peer_closed(struct msg_chan *mc)
{
	log_debug("channel to ipvsd closed");
}

/* The helper may only answer. */
static void
checker_dispatch_exec(struct msg_chan *mc, const struct msg_hdr *hdr,
    const void *data, int fd)
{
	struct msg_exec_done	 ed;
	char			 bad[128];

	if (hdr->mh_type != MSG_EXEC_DONE) {
		msg_chan_drop(mc, "unexpected %s",
		    msg_type_name(hdr->mh_type));
		return;
	}
	memcpy(&ed, data, sizeof(ed));
	if (check_exec_done(&ed, bad, sizeof(bad)) == -1)
		msg_chan_drop(mc, "%s", bad);
}

/* Checks that wait for the helper fail; the parent sends a new one. */
static void
checker_exec_closed(struct msg_chan *mc)
{
	log_debug("channel to exec closed");
	check_exec_lost();
}

/* Ask lvsd-exec to run a command; -1 if there is no helper now. */
int
checker_exec_send(const struct msg_exec_run *er)
{
	if (!msg_chan_open(&env.ce_exec))
		return -1;
	return msg_chan_send(&env.ce_exec, MSG_EXEC_RUN, env.ce_gen, er,
	    sizeof(*er));
}

/* ck's state, for real id (one of ck's ids). */
static void
checker_send_state(const struct check *ck, uint32_t id)
{
	struct msg_state	 st;

	if (!msg_chan_open(&env.ce_peer) || ck->ck_fsm.fsm_state == CS_UNKNOWN)
		return;
	memset(&st, 0, sizeof(st));
	st.st_id = id;
	st.st_up = ck->ck_fsm.fsm_state == CS_UP ? STATE_UP : STATE_DOWN;
	msg_chan_send(&env.ce_peer, MSG_STATE, env.ce_gen, &st, sizeof(st));
}

/* Every known state, for an ipvsd that (re)starts or asks. */
static void
checker_snapshot(void)
{
	uint32_t	 i;

	msg_chan_cork(&env.ce_peer);
	for (i = 0; i < env.ce_nchecks && msg_chan_open(&env.ce_peer); i++)
		if (env.ce_checks[i] != NULL)
			checker_send_state(env.ce_checks[i], i);
	msg_chan_uncork(&env.ce_peer);
}

static void
checker_send_result(const struct check *ck, uint32_t id, int up,
    const char *why, uint32_t latency_us)
{
	struct msg_result	 rs;

	memset(&rs, 0, sizeof(rs));
	rs.rs_id = id;
	rs.rs_up = up ? STATE_UP : STATE_DOWN;
	/* a first failure below failurecount leaves the state unknown */
	rs.rs_state = ck->ck_fsm.fsm_state == CS_UP ? STATE_UP :
	    ck->ck_fsm.fsm_state == CS_DOWN ? STATE_DOWN : STATE_UNKNOWN;
	rs.rs_latency_us = latency_us;
	strlcpy(rs.rs_reason, why, sizeof(rs.rs_reason));
	msg_chan_send(&env.ce_parent, MSG_RESULT, env.ce_gen, &rs, sizeof(rs));
}

/*
 * Where every verdict ends.  A state change goes to ipvsd, the log and
 * the parent; a verdict that differs from the one before (the first
 * soft failure, a recovery) goes to the parent for status.  A run of
 * equal verdicts sends nothing, so a steady state costs no messages.
 * force (checktype on/off) sets the state without the failure count,
 * and logs it at debug only: ipvsd has logged the real with the state
 * its config gave it, and 100,000 such reals made as many log lines.
 * A check shared by several reals (the same real in several virtual
 * services) reports for each of their ids.
 */
void
checker_verdict(struct check *ck, int up, int force, const char *why,
    uint32_t latency_us)
{
	const struct check_fsm	*f = &ck->ck_fsm;
	uint32_t		 i;
	int			 changed;

	if (force)
		changed = check_fsm_force(&ck->ck_fsm, up);
	else {
		stats_count(&ck->ck_stats, up, why, latency_us);
		changed = check_fsm_verdict(&ck->ck_fsm, up,
		    ck->ck_msg->ck_failurecount, ck->ck_msg->ck_rise);
	}
	if (changed && force)
		log_debug("real %s %s (%s)", ck->ck_name,
		    check_state_name(f->fsm_state), why);
	else if (changed)
		log_info("real %s %s (%s)", ck->ck_name,
		    check_state_name(f->fsm_state), why);
	if (changed) {
		for (i = 0; i < ck->ck_nids; i++)
			checker_send_state(ck, ck->ck_ids[i]);
	} else if (!up && f->fsm_state != CS_DOWN)
		log_debug("real %s failure %u of %u (%s)", ck->ck_name,
		    f->fsm_fails, ck->ck_msg->ck_failurecount, why);
	else if (up && f->fsm_state == CS_DOWN)
		log_debug("real %s success %u of %u to rise (%s)",
		    ck->ck_name, f->fsm_oks, ck->ck_msg->ck_rise, why);
	if (changed || up != ck->ck_last_up)
		for (i = 0; i < ck->ck_nids; i++)
			checker_send_result(ck, ck->ck_ids[i], up, why,
			    latency_us);
	ck->ck_last_up = up;
}
