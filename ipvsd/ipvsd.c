/*
 * lvsd-ipvsd: keeps only CAP_NET_ADMIN, holds the IPVS netlink socket,
 * takes the desired table from the parent and up/down states from the
 * checker, and makes the kernel's table match.
 *
 * The parent is trusted but still checked: a message that breaks the
 * protocol ends this process (the parent restarts it, and the restart
 * leaves the kernel's table as it is).  The checker is not trusted: a
 * violation closes its channel and nothing else.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipvsd.h"
#include "log.h"
#include "child.h"
#include "sandbox.h"

/*
 * After a refused change or a failed read of the table, ipvsd reads the
 * kernel's table again and retries, first after IPVSD_RETRY_MS, then at
 * doubling intervals up to IPVSD_RETRY_MAX_MS: a transient refusal heals
 * by itself, a permanent one logs once in a while, not in a loop.
 */
#define IPVSD_RETRY_MS		1000
#define IPVSD_RETRY_MAX_MS	((uint64_t)5 * 60 * 1000)
/* Attempts at a dump that the table keeps changing under. */
#define IPVSD_DUMP_TRIES 3

struct ipvsd_env {
	struct msg_chan	 e_parent;
	struct msg_chan	 e_checker;
	struct table	*e_table;	/* in force; NULL before the first */
	struct table	*e_staging;	/* being received */
	int		 e_resync;	/* read the kernel's table first */
	uint64_t	 e_retry_ms;	/* next retry after a failure */
	struct plan	 e_plan;
	struct ev_timer	 e_flush;	/* plan the services marked dirty */
	struct ev_timer	 e_retry;	/* read and plan it all again */
	int		*e_errs;
	size_t		 e_errcap;
};

static struct ipvsd_env	 env;

static void
ipvsd_parent_closed(struct msg_chan *mc)
{
	/* the kernel's table stays as it is; the parent restarts ipvsd */
	exit(child_exit_status());
}

/* Something failed: read the table again and plan it all, later. */
static void
ipvsd_retry(void)
{
	env.e_resync = 1;
	if (env.e_retry_ms == 0)
		env.e_retry_ms = IPVSD_RETRY_MS;
	log_info("trying again in %llu s",
	    (unsigned long long)env.e_retry_ms / 1000);
	/* from now: the apply or dump that failed may have taken seconds */
	(void)ev_now_update();
	ev_timer_add(&env.e_retry, env.e_retry_ms);
	env.e_retry_ms *= 2;
	if (env.e_retry_ms > IPVSD_RETRY_MAX_MS)
		env.e_retry_ms = IPVSD_RETRY_MAX_MS;
}

struct ipvsd_dump {
	struct table	*d_table;
	struct table	*d_old;
};

static void
ipvsd_dump_service(const struct ipvs_service *vs, void *arg)
{
	struct ipvsd_dump	*d = arg;
	struct table_service	*ts;

	if ((ts = table_find_service(d->d_table, vs)) != NULL)
		table_kernel_service(ts, vs);
	if (d->d_old != NULL &&
	    (ts = table_find_service(d->d_old, vs)) != NULL)
		ts->ts_kpresent = 1;
}

static void
ipvsd_dump_dest(const struct ipvs_dest *rd, void *arg)
{
	table_kernel_dest(arg, rd);
}

/* The kernel's dests of service ts, into its model, in key order. */
static int
ipvsd_read_dests(struct table_service *ts)
{
	if (ipvs_dump_dests(&ts->ts_want, ipvsd_dump_dest, ts) == -1)
		return -1;
	table_kernel_sort(ts);
	return 0;
}

static int
ipvsd_dump_once(struct table *t, struct table *old)
{
	struct ipvsd_dump	 d;
	struct table_service	*ts;
	uint32_t		 s;

	table_kernel_reset(t);
	if (old != NULL)
		table_kernel_reset(old);
	d.d_table = t;
	d.d_old = old;
	if (ipvs_dump_services(ipvsd_dump_service, &d) == -1)
		return -1;
	for (s = 0; s < t->t_nservices; s++) {
		ts = &t->t_services[s];
		if (ts->ts_kpresent && ipvsd_read_dests(ts) == -1)
			return -1;
	}
	return 0;
}

/*
 * Read what the kernel has of the configured services (and which of the
 * previous configuration's it still has).  Never trust a model that a
 * refused change may have made wrong: this runs at the first
 * configuration, after every refusal, and at the next reload after one.
 */
static int
ipvsd_dump(struct table *t, struct table *old)
{
	int	 i;

	for (i = 0; i < IPVSD_DUMP_TRIES; i++) {
		if (ipvsd_dump_once(t, old) == 0) {
			log_debug("read the kernel's whole table");
			env.e_resync = 0;
			return 0;
		}
		if (errno != EAGAIN)
			break;
	}
	log_warn("cannot read the kernel's IPVS table");
	ipvsd_retry();
	return -1;
}

/* What the kernel has of one service: its attributes and dests. */
static int
ipvsd_read_service(struct table_service *ts)
{
	struct ipvs_service	 kern;
	int			 r;

	ts->ts_kpresent = 0;
	ts->ts_nkdests = 0;
	if ((r = ipvs_get_service(&ts->ts_want, &kern)) != 1)
		return r;
	table_kernel_service(ts, &kern);
	return ipvsd_read_dests(ts);
}

/*
 * A reload, when the model is sound (no refusal since the last full
 * read): the services the previous table had keep its model, which every
 * accepted change has kept up to date, and only the new ones are read
 * from the kernel.  Its cost follows what the reload changes, not the
 * size of the table.  On a failure, the whole table is read.
 */
static int
ipvsd_read_new(struct table *t, struct table *old)
{
	struct table_service	*ts, *os;
	uint32_t		 s, nread = 0;

	for (s = 0; s < t->t_nservices; s++) {
		ts = &t->t_services[s];
		if ((os = table_find_service_at(old, s, &ts->ts_want)) !=
		    NULL) {
			table_kernel_take(ts, os);
			continue;
		}
		nread++;
		if (ipvsd_read_service(ts) == -1) {
			log_warn("cannot read a service from the kernel");
			return ipvsd_dump(t, old);
		}
	}
	log_debug("read %u of %u services from the kernel", nread,
	    t->t_nservices);
	return 0;
}

/* The kernel model for table t, which replaces old (NULL: none). */
static int
ipvsd_read(struct table *t, struct table *old)
{
	if (old != NULL && !env.e_resync)
		return ipvsd_read_new(t, old);
	return ipvsd_dump(t, old);
}

/* Send the plan; log every change; count them and the refusals. */
static void
ipvsd_run(struct table *t, struct msg_applied *ap)
{
	struct plan	*p = &env.e_plan;
	char		 text[512];
	size_t		 i;
	uint32_t	 nerrors = 0;
	int		*q;

	if (p->p_nops > env.e_errcap) {
		if ((q = reallocarray(env.e_errs, p->p_nops,
		    sizeof(*q))) == NULL)
			fatal("%s", __func__);
		env.e_errs = q;
		env.e_errcap = p->p_nops;
	}
	ipvs_apply(p->p_ops, p->p_nops, env.e_errs);
	/* a line per change, many to a system call (loghold.c) */
	log_hold(1);
	for (i = 0; i < p->p_nops; i++) {
		describe_op(&p->p_ops[i], text, sizeof(text));
		if (env.e_errs[i] == 0) {
			log_info("%s", text);
			plan_commit(t, &p->p_ops[i]);
			continue;
		}
		log_warnx("failed: %s: %s", text, strerror(env.e_errs[i]));
		nerrors++;
	}
	log_hold(0);
	ap->ap_nops += p->p_nops;
	ap->ap_nerrors += nerrors;
	plan_clear(p);
	if (nerrors > 0)
		ipvsd_retry();
	else {
		/* all is well again: a later failure starts over */
		ev_timer_del(&env.e_retry);
		env.e_retry_ms = 0;
	}
}

/*
 * Make the kernel's sync daemons what t says, t replacing prev (NULL:
 * nothing to stop).  Only when one of them names sync daemons: else the
 * kernel's are left alone, not even read.
 */
static void
ipvsd_sync(const struct table *t, const struct sync_set *prev,
    struct msg_applied *ap)
{
	struct sync_set	 kern;
	struct sync_op	 ops[SYNC_OPS_MAX];
	char		 text[256];
	int		 errs[SYNC_OPS_MAX];
	size_t		 i, n;
	uint32_t	 nerrors = 0;

	if (!t->t_sync.ss_named && (prev == NULL || !prev->ss_named))
		return;
	if (ipvs_dump_daemons(&kern) == -1) {
		log_warn("cannot read the kernel's sync daemons");
		ap->ap_nerrors++;
		ipvsd_retry();
		return;
	}
	n = sync_plan(&t->t_sync, prev, &kern, ops);
	ipvs_sync_apply(ops, n, errs);
	for (i = 0; i < n; i++) {
		sync_describe(&ops[i], text, sizeof(text));
		if (errs[i] == 0)
			log_info("%s", text);
		else {
			log_warnx("failed: %s: %s", text, strerror(errs[i]));
			nerrors++;
		}
	}
	ap->ap_nops += n;
	ap->ap_nerrors += nerrors;
	if (nerrors > 0)
		ipvsd_retry();
}

/* Plan the dirty services (all of them after a fresh dump) and apply. */
static void
ipvsd_reconcile(void *arg)
{
	struct table	*t = env.e_table;
	struct msg_applied ap;
	uint32_t	*dirty, n, i;
	int		 all = 0;

	if (t == NULL)
		return;
	if (env.e_resync) {
		if (ipvsd_dump(t, NULL) == -1)
			return;
		all = 1;
	}
	memset(&ap, 0, sizeof(ap));
	n = table_take_dirty(t, &dirty);
	if (all)
		plan_table(&env.e_plan, t);
	else
		for (i = 0; i < n; i++)
			plan_service(&env.e_plan, t, dirty[i]);
	ipvsd_run(t, &ap);
	if (all)
		ipvsd_sync(t, NULL, &ap);
}

/* Coalesce a burst of STATEs (a snapshot, a reload) into one batch. */
static void
ipvsd_schedule(void)
{
	if (!ev_timer_pending(&env.e_flush))
		ev_timer_add(&env.e_flush, 0);
}

static void
ipvsd_snapshot_request(void)
{
	if (msg_chan_open(&env.e_checker) && env.e_table != NULL)
		msg_chan_send(&env.e_checker, MSG_SNAPSHOT_REQUEST,
		    env.e_table->t_gen, NULL, 0);
}

/* CONF_END: the new table takes over, the kernel is made to match. */
static void
ipvsd_apply_config(void)
{
	struct table		*old = env.e_table, *t = env.e_staging;
	struct msg_applied	 ap;
	uint32_t		*dirty;

	env.e_staging = NULL;
	table_inherit(t, old);
	env.e_table = t;
	ev_timer_del(&env.e_flush);
	memset(&ap, 0, sizeof(ap));
	ap.ap_nservices = t->t_nservices;
	ap.ap_ndests = t->t_ndests;
	if (ipvsd_read(t, old) == 0) {
		if (old != NULL)
			plan_removed(&env.e_plan, old, t);
		env.e_plan.p_newconf = 1;
		plan_table(&env.e_plan, t);
		env.e_plan.p_newconf = 0;
		/* all planned: the next STATEs plan only their services */
		(void)table_take_dirty(t, &dirty);
		ipvsd_run(t, &ap);
		ipvsd_sync(t, old != NULL ? &old->t_sync : NULL, &ap);
	} else
		ap.ap_nerrors++;
	table_free(old);
	log_info("configuration %u in force: %u services, %u real servers, "
	    "%u changes, %u refused", t->t_gen, ap.ap_nservices,
	    ap.ap_ndests, ap.ap_nops, ap.ap_nerrors);
	msg_chan_send(&env.e_parent, MSG_APPLIED, t->t_gen, &ap, sizeof(ap));
	/* ask again: states of the reals that are new to this table */
	ipvsd_snapshot_request();
}

static void
ipvsd_conf_begin(const struct msg_hdr *hdr, const struct msg_conf_begin *cb)
{
	const char	*why;

	if (env.e_staging != NULL) {
		child_drop_parent(&env.e_parent,
		    "CONF_BEGIN inside a configuration");
		return;
	}
	if (env.e_table != NULL && hdr->mh_gen <= env.e_table->t_gen) {
		child_drop_parent(&env.e_parent,
		    "configuration %u is not newer than %u",
		    hdr->mh_gen, env.e_table->t_gen);
		return;
	}
	if ((env.e_staging = table_begin(hdr->mh_gen, cb, &why)) == NULL)
		child_drop_parent(&env.e_parent, "CONF_BEGIN: %s", why);
}

/* SERVICE, DEST, CONF_END: only inside BEGIN..END, of its generation. */
static int
ipvsd_conf_item_ok(const struct msg_hdr *hdr)
{
	if (env.e_staging == NULL) {
		child_drop_parent(&env.e_parent, "%s outside a configuration",
		    msg_type_name(hdr->mh_type));
		return 0;
	}
	if (hdr->mh_gen != env.e_staging->t_gen) {
		child_drop_parent(&env.e_parent,
		    "%s of generation %u inside configuration %u",
		    msg_type_name(hdr->mh_type), hdr->mh_gen,
		    env.e_staging->t_gen);
		return 0;
	}
	return 1;
}

/* One SYNC per configuration at most, from the parent only. */
static const char *
ipvsd_conf_sync(struct table *t, const struct msg_sync *sy)
{
	const char	*why;

	if (t->t_sync.ss_named)
		return "a second SYNC in one configuration";
	if ((why = sync_msg_check(sy)) != NULL)
		return why;
	sync_from_msg(&t->t_sync, sy);
	return NULL;
}

static void
ipvsd_conf_item(const struct msg_hdr *hdr, const void *payload)
{
	const char	*why;

	if (!ipvsd_conf_item_ok(hdr))
		return;
	switch (hdr->mh_type) {
	case MSG_SERVICE:
		why = table_add_service(env.e_staging, payload);
		break;
	case MSG_DEST:
		why = table_add_dest(env.e_staging, payload);
		break;
	case MSG_SYNC:
		why = ipvsd_conf_sync(env.e_staging, payload);
		break;
	default:
		if ((why = table_end(env.e_staging)) == NULL) {
			ipvsd_apply_config();
			return;
		}
		break;
	}
	if (why != NULL)
		child_drop_parent(&env.e_parent,
		    "%s: %s", msg_type_name(hdr->mh_type), why);
}

static void
ipvsd_dispatch_checker(struct msg_chan *mc, const struct msg_hdr *hdr,
    const void *payload, int fd)
{
	const struct msg_state	*st = payload;
	struct table		*t = env.e_table, *next = env.e_staging;

	/* the channel lets only STATE through */
	if (st->st_up > STATE_UP || st->st_pad[0] || st->st_pad[1] ||
	    st->st_pad[2]) {
		msg_chan_drop(mc, "malformed STATE");
		return;
	}
	if (t != NULL && hdr->mh_gen == t->t_gen) {
		if (st->st_id >= t->t_ndests)
			msg_chan_drop(mc, "STATE for real %u of %u",
			    st->st_id, t->t_ndests);
		else if (table_set_state(t, st->st_id, st->st_up))
			ipvsd_schedule();
	} else if (next != NULL && hdr->mh_gen == next->t_gen) {
		/* it overtook the configuration's END: keep it for then */
		if (st->st_id >= next->t_ndests)
			msg_chan_drop(mc, "STATE for real %u of %u",
			    st->st_id, next->t_ndests);
		else
			table_early_state(next, st->st_id, st->st_up);
	} else if ((t != NULL && hdr->mh_gen < t->t_gen) ||
	    (next != NULL && hdr->mh_gen < next->t_gen))
		/* a reload raced it; the checker's next snapshot follows */
		log_debug("STATE of configuration %u, now %u: ignored",
		    hdr->mh_gen, next != NULL ? next->t_gen : t->t_gen);
	else
		msg_chan_drop(mc, "STATE of configuration %u, which ipvsd "
		    "does not have", hdr->mh_gen);
}

static void
ipvsd_checker_closed(struct msg_chan *mc)
{
	log_info("the channel to the checker is closed");
}

/* PEER: a fresh channel to the checker replaces the old one. */
static void
ipvsd_peer(int fd)
{
	if (msg_chan_open(&env.e_checker))
		msg_chan_close(&env.e_checker);
	msg_chan_init(&env.e_checker, fd, "checker", MSG_ALLOW(MSG_STATE),
	    ipvsd_dispatch_checker, ipvsd_checker_closed, NULL);
	ipvsd_snapshot_request();
}

static void
ipvsd_shutdown(const struct msg_shutdown *sd)
{
	struct msg_applied	 ap;
	struct table		*t = env.e_table;

	if (sd->sd_cleanstop > 1 || sd->sd_pad[0] || sd->sd_pad[1] ||
	    sd->sd_pad[2]) {
		child_drop_parent(&env.e_parent, "malformed SHUTDOWN");
		return;
	}
	if (sd->sd_cleanstop && t != NULL && ipvsd_dump(t, NULL) == 0) {
		memset(&ap, 0, sizeof(ap));
		plan_shutdown(&env.e_plan, t);
		ipvsd_run(t, &ap);
	}
	log_info("stopped%s", sd->sd_cleanstop ?
	    ", virtual services removed" : ", IPVS table left in place");
	exit(0);
}

static void
ipvsd_dispatch_parent(struct msg_chan *mc, const struct msg_hdr *hdr,
    const void *payload, int fd)
{
	switch (hdr->mh_type) {
	case MSG_CONF_BEGIN:
		ipvsd_conf_begin(hdr, payload);
		break;
	case MSG_SERVICE:
	case MSG_DEST:
	case MSG_SYNC:
	case MSG_CONF_END:
		ipvsd_conf_item(hdr, payload);
		break;
	case MSG_PEER:
		ipvsd_peer(fd);
		break;
	case MSG_SHUTDOWN:
		ipvsd_shutdown(payload);
		break;
	case MSG_PING:
		msg_chan_send(mc, MSG_PONG, hdr->mh_gen, payload,
		    sizeof(struct msg_ping));
		break;
	default:
		child_drop_parent(&env.e_parent,
		    "unexpected %s", msg_type_name(hdr->mh_type));
		break;
	}
}

int
main(int argc, char **argv)
{
	struct child_opts	 co;

	child_start(argc, argv, "ipvsd", CHILD_ROOT, MSG_PARENT_FD, &co);

	/* while root: the IPVS socket and its family id */
	ipvs_open();
	ev_init();
	sandbox_drop(co.co_root, co.co_uid, co.co_gid, SANDBOX_KEEP_NET_ADMIN);
	filter_install();

	env.e_checker.mc_fd = -1;
	plan_init(&env.e_plan);
	ev_timer_set(&env.e_flush, ipvsd_reconcile, NULL);
	ev_timer_set(&env.e_retry, ipvsd_reconcile, NULL);
	msg_chan_init(&env.e_parent, MSG_PARENT_FD, "parent",
	    MSG_ALLOW(MSG_CONF_BEGIN) | MSG_ALLOW(MSG_SERVICE) |
	    MSG_ALLOW(MSG_DEST) | MSG_ALLOW(MSG_CONF_END) |
	    MSG_ALLOW(MSG_SYNC) |
	    MSG_ALLOW(MSG_PEER) | MSG_ALLOW(MSG_SHUTDOWN) |
	    MSG_ALLOW(MSG_PING), ipvsd_dispatch_parent, ipvsd_parent_closed,
	    NULL);
	msg_chan_send(&env.e_parent, MSG_READY, 0, NULL, 0);
	ev_loop();
	return 0;
}
