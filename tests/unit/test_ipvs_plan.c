/*
 * The table policy of lvsd-ipvsd without a kernel: configured tables are
 * built through the same validation the parent's messages go through, the
 * kernel's table is written into the model by hand, and the planned
 * operations are compared as text, one line each:
 *	new-svc | set-svc | del-svc (why)
 *	new|set|del ADDR:PORT wWEIGHT FWD (why)
 */
#include <sys/socket.h>

#include <linux/ip_vs.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsd.h"
#include "log.h"
#include "tap.h"

#define VIP	"127.0.0.100"

static struct plan	 p;
static char		 out[8192];

static const char *
why_name(int why)
{
	static const char *const names[] = {
		[WHY_CONFIG] = "config", [WHY_REMOVED] = "removed",
		[WHY_SHUTDOWN] = "shutdown", [WHY_UP] = "up",
		[WHY_DOWN] = "down", [WHY_UNCHECKED] = "unchecked",
		[WHY_FALLBACK_ON] = "fb-on", [WHY_FALLBACK_OFF] = "fb-off",
		[WHY_PURGE] = "purge", [WHY_DISABLED] = "disabled",
	};

	return names[why];
}

/* The plan as text; empty when there is nothing to do. */
static const char *
render(void)
{
	static const char *const cmds[] = {
		[PLAN_NEW_SERVICE] = "new-svc", [PLAN_SET_SERVICE] = "set-svc",
		[PLAN_DEL_SERVICE] = "del-svc", [PLAN_NEW_DEST] = "new",
		[PLAN_SET_DEST] = "set", [PLAN_DEL_DEST] = "del",
	};
	const struct plan_op	*op;
	char			 line[256], ap[ADDR_STRLEN];
	size_t			 i;

	out[0] = '\0';
	for (i = 0; i < p.p_nops; i++) {
		op = &p.p_ops[i];
		if (op->op_cmd <= PLAN_DEL_SERVICE)
			snprintf(line, sizeof(line), "%s (%s)\n",
			    cmds[op->op_cmd], why_name(op->op_why));
		else
			snprintf(line, sizeof(line), "%s %s w%u %s (%s)\n",
			    cmds[op->op_cmd], addr_port_ntop(&op->op_rd.rd_addr,
			    op->op_rd.rd_port, ap, sizeof(ap)),
			    op->op_rd.rd_weight, describe_fwd(op->op_rd.rd_fwd),
			    why_name(op->op_why));
		strlcat(out, line, sizeof(out));
	}
	return out;
}

static const char *
plan_all(struct table *t)
{
	plan_clear(&p);
	plan_table(&p, t);
	return render();
}

static struct msg_service
svc(uint32_t id, const char *addr, uint16_t port, int quiescent)
{
	struct msg_service	 sv;

	memset(&sv, 0, sizeof(sv));
	sv.sv_id = id;
	sv.sv_proto = PROTO_TCP;
	sv.sv_quiescent = quiescent;
	sv.sv_port = port;
	addr_parse(addr, AF_UNSPEC, &sv.sv_addr);
	strlcpy(sv.sv_sched, "wrr", sizeof(sv.sv_sched));
	return sv;
}

static void
fallback(struct msg_service *sv, const char *addr, uint16_t port, int fwd)
{
	sv->sv_has_fallback = 1;
	sv->sv_fb_fwd = fwd;
	sv->sv_fb_port = port;
	addr_parse(addr, AF_UNSPEC, &sv->sv_fb_addr);
}

static struct msg_dest
real(uint32_t id, uint32_t service, const char *addr, uint16_t port, int fwd,
    uint32_t weight)
{
	struct msg_dest	 ds;

	memset(&ds, 0, sizeof(ds));
	ds.ds_id = id;
	ds.ds_service = service;
	addr_parse(addr, AF_UNSPEC, &ds.ds_addr);
	ds.ds_port = port;
	ds.ds_fwd = fwd;
	ds.ds_weight = weight;
	return ds;
}

/* Build a table the way the parent's messages do; NULL on a refusal. */
static struct table *
build(uint32_t gen, const struct msg_service *s, uint32_t ns,
    const struct msg_dest *d, uint32_t nd, const char **why)
{
	struct msg_conf_begin	 cb;
	struct table		*t;
	uint32_t		 i;
	const char		*dummy;

	if (why == NULL)
		why = &dummy;
	*why = NULL;
	cb.cb_nservices = ns;
	cb.cb_ndests = nd;
	if ((t = table_begin(gen, &cb, why)) == NULL)
		return NULL;
	for (i = 0; i < ns && *why == NULL; i++)
		*why = table_add_service(t, &s[i]);
	for (i = 0; i < nd && *why == NULL; i++)
		*why = table_add_dest(t, &d[i]);
	if (*why == NULL)
		*why = table_end(t);
	if (*why != NULL) {
		table_free(t);
		return NULL;
	}
	table_inherit(t, NULL);
	return t;
}

/*
 * A reload's table as far as its END: every SERVICE and DEST taken, so
 * that a test can put STATEs that overtook the END in before it.
 */
static struct table *
staged(uint32_t gen, const struct msg_service *s, uint32_t ns,
    const struct msg_dest *d, uint32_t nd)
{
	struct msg_conf_begin	 cb;
	struct table		*t;
	const char		*why = NULL;
	uint32_t		 i;

	cb.cb_nservices = ns;
	cb.cb_ndests = nd;
	if ((t = table_begin(gen, &cb, &why)) == NULL)
		abort();
	for (i = 0; i < ns; i++)
		if (table_add_service(t, &s[i]) != NULL)
			abort();
	for (i = 0; i < nd; i++)
		if (table_add_dest(t, &d[i]) != NULL)
			abort();
	return t;
}

/* The kernel has service s as configured (sorted dests added after). */
static void
kern_svc(struct table *t, uint32_t s)
{
	table_kernel_service(&t->t_services[s], &t->t_services[s].ts_want);
}

static void
kern_dest(struct table *t, uint32_t s, const char *addr, uint16_t port,
    int fwd, uint32_t weight)
{
	struct ipvs_dest	 rd;

	memset(&rd, 0, sizeof(rd));
	addr_parse(addr, AF_UNSPEC, &rd.rd_addr);
	rd.rd_port = port;
	rd.rd_fwd = fwd;
	rd.rd_weight = weight;
	table_kernel_dest(&t->t_services[s], &rd);
	table_kernel_sort(&t->t_services[s]);
}

/* The kernel accepts every op: after them, nothing is left to do. */
static void
converges(struct table *t, const char *what)
{
	size_t	 i;
	char	 desc[256];

	plan_clear(&p);
	plan_table(&p, t);
	for (i = 0; i < p.p_nops; i++)
		plan_commit(t, &p.p_ops[i]);
	snprintf(desc, sizeof(desc), "%s: a second plan is empty", what);
	is_str(plan_all(t), "", desc);
}

static void
test_fresh_start(void)
{
	struct msg_service	 s[1] = { svc(0, VIP, 80, 0) };
	struct msg_dest		 d[2] = {
		real(0, 0, "127.0.0.2", 80, FWD_MASQ, 3),
		real(1, 0, "127.0.0.3", 80, FWD_MASQ, 1),
	};
	struct table		*t;

	t = build(1, s, 1, d, 2, NULL);
	ok(t != NULL, "a small table is accepted");
	is_str(plan_all(t), "new-svc (config)\n",
	    "empty kernel, not checked yet: only the service is created");
	converges(t, "fresh start");
	table_set_state(t, 0, 1);
	is_str(plan_all(t), "new 127.0.0.2:80 w3 masq (up)\n",
	    "UP: added with its weight");
	converges(t, "up");
	table_free(t);

	s[0].sv_quiescent = 1;
	t = build(1, s, 1, d, 2, NULL);
	is_str(plan_all(t), "new-svc (config)\n"
	    "new 127.0.0.2:80 w0 masq (unchecked)\n"
	    "new 127.0.0.3:80 w0 masq (unchecked)\n",
	    "quiescent: unchecked reals are added with weight 0");
	converges(t, "fresh quiescent start");
	table_free(t);
}

static void
test_restart(void)
{
	struct msg_service	 s[1] = { svc(0, VIP, 80, 1) };
	struct msg_dest		 d[3] = {
		real(0, 0, "127.0.0.2", 80, FWD_MASQ, 3),
		real(1, 0, "127.0.0.3", 80, FWD_MASQ, 1),
		real(2, 0, "127.0.0.4", 80, FWD_MASQ, 5),
	};
	struct table		*t;

	t = build(1, s, 1, d, 3, NULL);
	kern_svc(t, 0);
	kern_dest(t, 0, "127.0.0.2", 80, IP_VS_CONN_F_MASQ, 3);
	kern_dest(t, 0, "127.0.0.3", 80, IP_VS_CONN_F_MASQ, 0);
	kern_dest(t, 0, "127.0.0.4", 80, IP_VS_CONN_F_MASQ, 5);
	is_str(plan_all(t), "", "restart: healthy table, states unknown: "
	    "no change");
	table_set_state(t, 1, 0);
	is_str(plan_all(t), "", "DOWN, already quiesced: no change");
	table_set_state(t, 0, 0);
	is_str(plan_all(t), "set 127.0.0.2:80 w0 masq (down)\n",
	    "DOWN in a quiescent service: weight 0");
	describe_op(&p.p_ops[0], out, sizeof(out));
	is_str(out, "real 127.0.0.2:80 of TCP 127.0.0.100:80 down: weight 0 "
	    "(quiescent)", "the log line says so");
	table_free(t);

	/* a different weight than configured is corrected, 0 is left */
	t = build(1, s, 1, d, 3, NULL);
	t->t_services[0].ts_quiescent = 0;
	kern_svc(t, 0);
	kern_dest(t, 0, "127.0.0.2", 80, IP_VS_CONN_F_MASQ, 7);
	kern_dest(t, 0, "127.0.0.3", 80, IP_VS_CONN_F_MASQ, 0);
	kern_dest(t, 0, "127.0.0.4", 80, IP_VS_CONN_F_DROUTE, 5);
	is_str(plan_all(t), "set 127.0.0.2:80 w3 masq (unchecked)\n"
	    "set 127.0.0.4:80 w5 masq (unchecked)\n",
	    "unchecked reals in service are corrected, weight 0 is left");
	describe_op(&p.p_ops[1], out, sizeof(out));
	is_str(out, "real 127.0.0.4:80 of TCP 127.0.0.100:80 not checked "
	    "yet, in service: corrected to weight 5, masq (was weight 5, "
	    "gate)", "the correction is logged with old and new values");
	converges(t, "corrections");
	table_free(t);
}

/*
 * A quiesced real someone removed by hand: put back by a new
 * configuration, or with readdquiescent; otherwise it stays out.
 */
static void
test_readd(void)
{
	struct msg_service	 s[1] = { svc(0, VIP, 80, 1) };
	struct msg_dest		 d[2] = {
		real(0, 0, "127.0.0.2", 80, FWD_MASQ, 3),
		real(1, 0, "127.0.0.3", 80, FWD_MASQ, 1),
	};
	struct table		*t;

	t = build(1, s, 1, d, 2, NULL);
	kern_svc(t, 0);
	kern_dest(t, 0, "127.0.0.3", 80, IP_VS_CONN_F_MASQ, 1);
	table_set_state(t, 0, 0);
	table_set_state(t, 1, 1);
	is_str(plan_all(t), "", "readdquiescent=no: a down real missing "
	    "from the kernel stays out");
	p.p_newconf = 1;
	is_str(plan_all(t), "new 127.0.0.2:80 w0 masq (down)\n",
	    "a new configuration puts it back with weight 0");
	p.p_newconf = 0;
	table_set_state(t, 0, 1);
	is_str(plan_all(t), "new 127.0.0.2:80 w3 masq (up)\n",
	    "up again: back with its weight, readdquiescent or not");
	table_free(t);

	s[0].sv_readd = 1;
	t = build(1, s, 1, d, 2, NULL);
	kern_svc(t, 0);
	kern_dest(t, 0, "127.0.0.3", 80, IP_VS_CONN_F_MASQ, 1);
	table_set_state(t, 0, 0);
	is_str(plan_all(t), "new 127.0.0.2:80 w0 masq (down)\n",
	    "readdquiescent=yes: put back with weight 0");
	converges(t, "readd");
	table_free(t);

	t = build(1, s, 1, d, 2, NULL);
	t->t_services[0].ts_quiescent = 0;
	kern_svc(t, 0);
	table_set_state(t, 0, 0);
	p.p_newconf = 1;
	is_str(plan_all(t), "", "not quiescent: a down real is never added");
	p.p_newconf = 0;
	table_free(t);
}

static void
test_down_removed(void)
{
	struct msg_service	 s[1] = { svc(0, VIP, 80, 0) };
	struct msg_dest		 d[2] = {
		real(0, 0, "127.0.0.2", 80, FWD_MASQ, 3),
		real(1, 0, "127.0.0.3", 80, FWD_MASQ, 1),
	};
	struct table		*t;

	t = build(1, s, 1, d, 2, NULL);
	kern_svc(t, 0);
	kern_dest(t, 0, "127.0.0.2", 80, IP_VS_CONN_F_MASQ, 3);
	table_set_state(t, 0, 0);
	table_set_state(t, 1, 0);
	is_str(plan_all(t), "del 127.0.0.2:80 w3 masq (down)\n",
	    "DOWN, not quiescent: removed; an absent one stays absent");
	describe_op(&p.p_ops[0], out, sizeof(out));
	is_str(out, "real 127.0.0.2:80 of TCP 127.0.0.100:80 down: removed",
	    "the log line says so");
	converges(t, "down");
	ok(table_set_state(t, 0, 1) == 1 && t->t_services[0].ts_dirty,
	    "a change of state marks the service");
	ok(table_set_state(t, 0, 1) == 0, "the same state again is no change");
	is_str(plan_all(t), "new 127.0.0.2:80 w3 masq (up)\n",
	    "UP again: back with its weight");
	describe_op(&p.p_ops[0], out, sizeof(out));
	is_str(out, "real 127.0.0.2:80 of TCP 127.0.0.100:80 up: added, "
	    "weight 3, masq", "the log line says so");
	table_free(t);
}

static void
test_fallback(void)
{
	struct msg_service	 s[1] = { svc(0, VIP, 80, 1) };
	struct msg_dest		 d[2] = {
		real(0, 0, "127.0.0.2", 80, FWD_MASQ, 3),
		real(1, 0, "127.0.0.3", 80, FWD_MASQ, 1),
	};
	struct table		*t;

	fallback(&s[0], "127.0.0.1", 8080, FWD_MASQ);
	t = build(1, s, 1, d, 2, NULL);
	kern_svc(t, 0);
	kern_dest(t, 0, "127.0.0.2", 80, IP_VS_CONN_F_MASQ, 3);
	kern_dest(t, 0, "127.0.0.3", 80, IP_VS_CONN_F_MASQ, 1);
	is_str(plan_all(t), "", "no fallback while reals are not checked");
	table_set_state(t, 0, 0);
	is_str(plan_all(t), "set 127.0.0.2:80 w0 masq (down)\n",
	    "one DOWN, one unchecked: still no fallback");
	converges(t, "one down");
	table_set_state(t, 1, 0);
	is_str(plan_all(t), "new 127.0.0.1:8080 w1 masq (fb-on)\n"
	    "set 127.0.0.3:80 w0 masq (down)\n",
	    "all DOWN: the fallback, before the last real goes");
	describe_op(&p.p_ops[0], out, sizeof(out));
	is_str(out, "fallback 127.0.0.1:8080 of TCP 127.0.0.100:80 on (no "
	    "real server up): added, weight 1, masq", "logged as fallback");
	converges(t, "all down");
	table_set_state(t, 1, 1);
	is_str(plan_all(t), "set 127.0.0.3:80 w1 masq (up)\n"
	    "del 127.0.0.1:8080 w1 masq (fb-off)\n",
	    "one UP: the real first, then the fallback goes");
	converges(t, "one up");
	table_free(t);

	/* restart with the fallback in: it stays while nothing is UP */
	t = build(1, s, 1, d, 2, NULL);
	kern_svc(t, 0);
	kern_dest(t, 0, "127.0.0.1", 8080, IP_VS_CONN_F_MASQ, 1);
	kern_dest(t, 0, "127.0.0.2", 80, IP_VS_CONN_F_MASQ, 0);
	kern_dest(t, 0, "127.0.0.3", 80, IP_VS_CONN_F_MASQ, 0);
	is_str(plan_all(t), "", "restart: the fallback stays, no change");
	table_set_state(t, 0, 0);
	is_str(plan_all(t), "", "one DOWN, one unchecked: it still stays");
	table_set_state(t, 1, 1);
	is_str(plan_all(t), "set 127.0.0.3:80 w1 masq (up)\n"
	    "del 127.0.0.1:8080 w1 masq (fb-off)\n",
	    "then one UP: it goes");
	table_free(t);

	/* a service without reals has only its fallback */
	t = build(1, s, 1, NULL, 0, NULL);
	is_str(plan_all(t), "new-svc (config)\n"
	    "new 127.0.0.1:8080 w1 masq (fb-on)\n",
	    "no reals at all: the fallback is in");
	table_free(t);
}

static void
test_fallback_is_real(void)
{
	struct msg_service	 s[1] = { svc(0, VIP, 80, 0) };
	struct msg_dest		 d[1] = {
		real(0, 0, "127.0.0.2", 80, FWD_MASQ, 3),
	};
	struct table		*t;

	fallback(&s[0], "127.0.0.2", 80, FWD_MASQ);
	t = build(1, s, 1, d, 1, NULL);
	ok(t != NULL && !t->t_services[0].ts_has_fallback,
	    "a fallback that is also a real is not used");
	kern_svc(t, 0);
	kern_dest(t, 0, "127.0.0.2", 80, IP_VS_CONN_F_MASQ, 1);
	table_set_state(t, 0, 0);
	is_str(plan_all(t), "del 127.0.0.2:80 w1 masq (down)\n",
	    "the real's state decides");
	table_free(t);
}

static void
test_purge_and_attrs(void)
{
	struct msg_service	 s[2] = { svc(0, VIP, 80, 0),
	    svc(1, VIP, 443, 0) };
	struct msg_dest		 d[1] = {
		real(0, 0, "127.0.0.2", 80, FWD_MASQ, 3),
	};
	struct table		*t;

	t = build(1, s, 2, d, 1, NULL);
	kern_svc(t, 0);
	kern_svc(t, 1);
	kern_dest(t, 0, "127.0.0.2", 80, IP_VS_CONN_F_MASQ, 3);
	kern_dest(t, 0, "127.0.0.9", 80, IP_VS_CONN_F_MASQ, 3);
	kern_dest(t, 1, "127.0.0.9", 443, IP_VS_CONN_F_MASQ, 0);
	is_str(plan_all(t), "del 127.0.0.9:80 w3 masq (purge)\n"
	    "del 127.0.0.9:443 w0 masq (purge)\n",
	    "reals the configuration does not have are purged");
	converges(t, "purge");

	strlcpy(t->t_services[1].ts_kern.vs_sched, "rr",
	    sizeof(t->t_services[1].ts_kern.vs_sched));
	is_str(plan_all(t), "set-svc (config)\n",
	    "another scheduler in the kernel: corrected");
	describe_op(&p.p_ops[0], out, sizeof(out));
	is_str(out, "service TCP 127.0.0.100:443 changed: scheduler wrr (was "
	    "scheduler rr)", "the log line says what changed");
	converges(t, "scheduler");

	/* timeout and netmask mean nothing without persistence */
	t->t_services[0].ts_kern.vs_timeout = 77;
	t->t_services[0].ts_kern.vs_netmask = 0;
	t->t_services[0].ts_kern.vs_flags |= 0;
	is_str(plan_all(t), "", "non-persistent: timeout and netmask "
	    "differences are ignored");
	t->t_services[0].ts_kern.vs_flags = IP_VS_SVC_F_PERSISTENT;
	is_str(plan_all(t), "set-svc (config)\n",
	    "persistence the configuration lacks: removed");
	table_free(t);
}

static void
test_persistence(void)
{
	struct msg_service	 s[1] = { svc(0, VIP, 80, 0) };
	struct table		*t;

	s[0].sv_persistent = 300;
	s[0].sv_netmask = 0xffffff00;
	t = build(1, s, 1, NULL, 0, NULL);
	ok(t != NULL && t->t_services[0].ts_want.vs_flags ==
	    IP_VS_SVC_F_PERSISTENT && t->t_services[0].ts_want.vs_timeout ==
	    300, "persistent: the flag and the timeout");
	is_int(ntohl(t->t_services[0].ts_want.vs_netmask), 0xffffff00,
	    "the IPv4 netmask goes in network order");
	plan_all(t);
	describe_op(&p.p_ops[0], out, sizeof(out));
	is_str(out, "service TCP 127.0.0.100:80 added: scheduler wrr, "
	    "persistent 300 s, netmask 255.255.255.0", "logged in full");
	kern_svc(t, 0);
	t->t_services[0].ts_kern.vs_timeout = 60;
	is_str(plan_all(t), "set-svc (config)\n", "another timeout: set");
	table_free(t);

	s[0].sv_netmask = 0;
	t = build(1, s, 1, NULL, 0, NULL);
	is_int(t->t_services[0].ts_want.vs_netmask, 0xffffffff,
	    "netmask 0 means the default, a single address");
	table_free(t);
}

/* ops and the scheduler flags: in the kernel's bits, kept, changed. */
static void
test_service_flags(void)
{
	struct msg_service	 s[1] = { svc(0, VIP, 53, 0) };
	struct table		*t;

	s[0].sv_proto = PROTO_UDP;
	s[0].sv_flags = MSG_SVC_ONEPACKET | MSG_SVC_SCHED1 | MSG_SVC_SCHED2;
	strlcpy(s[0].sv_sched, "sh", sizeof(s[0].sv_sched));
	t = build(1, s, 1, NULL, 0, NULL);
	ok(t != NULL && t->t_services[0].ts_want.vs_flags ==
	    (IP_VS_SVC_F_ONEPACKET | IP_VS_SVC_F_SCHED_SH_FALLBACK |
	    IP_VS_SVC_F_SCHED_SH_PORT), "ops, sh-fallback, sh-port: the "
	    "kernel's bits");
	is_str(plan_all(t), "new-svc (config)\n", "created with them");
	describe_op(&p.p_ops[0], out, sizeof(out));
	is_str(out, "service UDP 127.0.0.100:53 added: scheduler sh, ops, "
	    "scheduler flags 1 2", "logged");
	kern_svc(t, 0);
	is_str(plan_all(t), "", "the kernel has them: nothing to do");
	t->t_services[0].ts_kern.vs_flags = IP_VS_SVC_F_ONEPACKET;
	is_str(plan_all(t), "set-svc (config)\n", "one missing: set");
	describe_op(&p.p_ops[0], out, sizeof(out));
	is_str(out, "service UDP 127.0.0.100:53 changed: scheduler sh, ops, "
	    "scheduler flags 1 2 (was scheduler sh, ops)", "logged with the "
	    "old ones");
	t->t_services[0].ts_kern.vs_flags |= IP_VS_SVC_F_SCHED1 |
	    IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_SCHED3;
	is_str(plan_all(t), "set-svc (config)\n", "one too many: set");
	table_free(t);

	s[0].sv_flags = MSG_SVC_SCHED3;
	s[0].sv_persistent = 60;
	t = build(1, s, 1, NULL, 0, NULL);
	ok(t != NULL && t->t_services[0].ts_want.vs_flags ==
	    (IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_SCHED3),
	    "flag-3 beside persistence");
	table_free(t);
}

static void
test_gate_port(void)
{
	struct msg_service	 s[1] = { svc(0, VIP, 80, 0) };
	struct msg_dest		 d[3] = {
		real(0, 0, "127.0.0.2", 8080, FWD_GATE, 1),
		real(1, 0, "127.0.0.3", 8080, FWD_IPIP, 1),
		real(2, 0, "127.0.0.4", 8080, FWD_MASQ, 1),
	};
	struct table		*t;

	t = build(1, s, 1, d, 3, NULL);
	is_int(t->t_dests[0].td_want.rd_port, 80, "gate: the virtual's port");
	is_int(t->t_dests[1].td_want.rd_port, 80, "ipip: the virtual's port");
	is_int(t->t_dests[2].td_want.rd_port, 8080, "masq: its own port");
	kern_svc(t, 0);
	kern_dest(t, 0, "127.0.0.2", 80, IP_VS_CONN_F_DROUTE, 1);
	kern_dest(t, 0, "127.0.0.3", 80, IP_VS_CONN_F_TUNNEL, 1);
	kern_dest(t, 0, "127.0.0.4", 8080, IP_VS_CONN_F_MASQ, 1);
	is_str(plan_all(t), "", "a table as ipvsadm builds it matches");
	table_free(t);

	/* the same real twice, once as gate: one kernel entry */
	d[1] = real(1, 0, "127.0.0.2", 80, FWD_GATE, 5);
	t = build(1, s, 1, d, 2, NULL);
	ok(t != NULL && !t->t_dests[0].td_shadowed &&
	    t->t_dests[1].td_shadowed, "a second real with the same key is "
	    "ignored");
	table_set_state(t, 0, 1);
	table_set_state(t, 1, 0);
	is_str(plan_all(t), "new-svc (config)\nnew 127.0.0.2:80 w1 gate (up)\n",
	    "only the first is managed");
	table_free(t);
}

static void
test_fwmark_v6(void)
{
	struct msg_service	 s[2] = { svc(0, "::1", 80, 0),
	    svc(1, "::", 0, 0) };
	struct msg_dest		 d[1] = {
		real(0, 0, "::2", 8080, FWD_MASQ, 2),
	};
	struct table		*t;

	s[1].sv_proto = PROTO_FWM;
	s[1].sv_fwmark = 7;
	t = build(1, s, 2, d, 1, NULL);
	ok(t != NULL, "IPv6 and fwmark services are accepted");
	is_int(t->t_services[0].ts_want.vs_netmask, 128,
	    "IPv6 without persistence: prefix 128");
	table_set_state(t, 0, 1);
	is_str(plan_all(t), "new-svc (config)\nnew [::2]:8080 w2 masq (up)\n"
	    "new-svc (config)\n", "IPv6 and fwmark services are planned");
	describe_op(&p.p_ops[1], out, sizeof(out));
	is_str(out, "real [::2]:8080 of TCP [::1]:80 up: added, weight 2, "
	    "masq", "IPv6 addresses are bracketed");
	describe_op(&p.p_ops[2], out, sizeof(out));
	is_str(out, "service FWM 7 IPv6 added: scheduler wrr",
	    "a fwmark service is named by its mark");
	table_free(t);
}

static void
test_removed_shutdown(void)
{
	struct msg_service	 s[2] = { svc(0, VIP, 80, 0),
	    svc(1, VIP, 443, 0) };
	struct table		*old, *t;

	s[0].sv_cleanstop = 1;
	s[1].sv_cleanstop = 1;
	old = build(1, s, 2, NULL, 0, NULL);
	kern_svc(old, 0);
	kern_svc(old, 1);
	t = build(2, s, 1, NULL, 0, NULL);
	kern_svc(t, 0);
	plan_clear(&p);
	plan_removed(&p, old, t);
	is_str(render(), "del-svc (removed)\n",
	    "a service the reload dropped is deleted");
	describe_op(&p.p_ops[0], out, sizeof(out));
	is_str(out, "service TCP 127.0.0.100:443 deleted (removed from the "
	    "configuration)", "logged");
	plan_commit(t, &p.p_ops[0]);
	ok(t->t_services[0].ts_kpresent, "committing it leaves the new table "
	    "alone");
	plan_clear(&p);
	plan_shutdown(&p, old);
	is_str(render(), "del-svc (shutdown)\ndel-svc (shutdown)\n",
	    "clean stop: every configured service");
	table_free(old);
	table_free(t);

	s[1].sv_cleanstop = 0;
	t = build(1, s, 2, NULL, 0, NULL);
	kern_svc(t, 0);
	kern_svc(t, 1);
	plan_clear(&p);
	plan_shutdown(&p, t);
	is_str(render(), "del-svc (shutdown)\n", "cleanstop=no in a block: "
	    "that service stays");
	ok(p.p_nops == 1 && p.p_ops[0].op_vs.vs_port == 80, "  the other goes");
	table_free(t);
}

static void
test_inherit(void)
{
	struct msg_service	 s[1] = { svc(0, VIP, 80, 0) };
	struct msg_dest		 d[3] = {
		real(0, 0, "127.0.0.2", 80, FWD_MASQ, 3),
		real(1, 0, "127.0.0.3", 80, FWD_MASQ, 1),
		real(2, 0, "127.0.0.4", 80, FWD_MASQ, 1),
	};
	struct msg_dest		 nd[3] = {
		real(0, 0, "127.0.0.4", 80, FWD_MASQ, 1),
		real(1, 0, "127.0.0.5", 80, FWD_MASQ, 1),
		real(2, 0, "127.0.0.2", 80, FWD_MASQ, 9),
	};
	struct table		*old, *t;

	old = build(1, s, 1, d, 3, NULL);
	table_set_state(old, 0, 1);
	table_set_state(old, 2, 0);
	t = staged(2, s, 1, nd, 3);
	table_early_state(t, 0, 1);
	ok(table_end(t) == NULL, "a reload is accepted");
	table_inherit(t, old);
	is_int(t->t_dests[2].td_state, RS_UP,
	    "a real that stays keeps its state (matched by address)");
	is_int(t->t_dests[1].td_state, RS_UNKNOWN, "a new real is unknown");
	is_int(t->t_dests[0].td_state, RS_UP,
	    "a STATE that overtook the END wins over the old state");
	table_free(old);
	table_free(t);
}

/*
 * A reload looks for each real and service at its own place in the old
 * table first (table_find_dest_at, table_find_service_at), and searches
 * when it is not there; a shadowed real in that place is not the one
 * the reload keeps: the first of its key is.
 */
static void
test_inherit_in_place(void)
{
	struct msg_service	 s[2] = { svc(0, VIP, 80, 0),
				    svc(1, VIP, 81, 0) };
	struct msg_service	 ns[2] = { svc(0, VIP, 81, 0),
				    svc(1, VIP, 82, 0) };
	struct msg_dest		 d[3] = {
		real(0, 0, "127.0.0.2", 80, FWD_GATE, 1),
		real(1, 0, "127.0.0.2", 80, FWD_GATE, 5),
		real(2, 0, "127.0.0.3", 80, FWD_MASQ, 1),
	};
	struct msg_dest		 nd[3] = {
		real(0, 0, "127.0.0.9", 80, FWD_MASQ, 1),
		real(1, 0, "127.0.0.2", 80, FWD_GATE, 1),
		real(2, 0, "127.0.0.3", 80, FWD_MASQ, 1),
	};
	struct table		*old, *t;

	old = build(1, s, 1, d, 3, NULL);
	ok(old != NULL && old->t_dests[1].td_shadowed, "real 1 of the old "
	    "table is shadowed by real 0");
	table_set_state(old, 0, 1);
	table_set_state(old, 1, 0);
	table_set_state(old, 2, 0);
	t = staged(2, s, 1, nd, 3);
	ok(table_end(t) == NULL, "the reload is accepted");
	table_inherit(t, old);
	is_int(t->t_dests[1].td_state, RS_UP, "the real in the place of a "
	    "shadowed one keeps the state of the first of its key");
	is_int(t->t_dests[2].td_state, RS_DOWN,
	    "a real in its old place keeps its state");
	is_int(t->t_dests[0].td_state, RS_UNKNOWN, "a new real is unknown");
	table_free(t);
	table_free(old);

	d[0] = real(0, 1, "127.0.0.3", 80, FWD_MASQ, 1);
	old = build(1, s, 2, d, 1, NULL);
	nd[0] = real(0, 0, "127.0.0.3", 80, FWD_MASQ, 1);
	t = build(2, ns, 2, nd, 1, NULL);
	if (old == NULL || t == NULL)
		abort();
	ok(table_find_service_at(old, 1, &t->t_services[0].ts_want) ==
	    &old->t_services[1], "a service in its old place");
	ok(table_find_service_at(old, 0, &t->t_services[0].ts_want) ==
	    &old->t_services[1], "a service that moved: found by the search");
	ok(table_find_service_at(old, 7, &t->t_services[0].ts_want) ==
	    &old->t_services[1], "a place past the end: the search");
	ok(table_find_service_at(old, 1, &t->t_services[1].ts_want) == NULL,
	    "a service the old table has not: none");
	table_free(t);
	table_free(old);
}

/* A reload that changes one weight: one SET_DEST, nothing else. */
static void
test_reload_weight(void)
{
	struct msg_service	 s[1] = { svc(0, VIP, 80, 0) };
	struct msg_dest		 d[2] = {
		real(0, 0, "127.0.0.2", 80, FWD_MASQ, 3),
		real(1, 0, "127.0.0.3", 80, FWD_MASQ, 1),
	};
	struct table		*old, *t;

	old = build(1, s, 1, d, 2, NULL);
	table_set_state(old, 0, 1);
	table_set_state(old, 1, 1);
	d[1].ds_weight = 4;
	t = staged(2, s, 1, d, 2);
	ok(table_end(t) == NULL, "the reload is accepted");
	table_inherit(t, old);
	kern_svc(t, 0);
	kern_dest(t, 0, "127.0.0.2", 80, IP_VS_CONN_F_MASQ, 3);
	kern_dest(t, 0, "127.0.0.3", 80, IP_VS_CONN_F_MASQ, 1);
	is_str(plan_all(t), "set 127.0.0.3:80 w4 masq (up)\n",
	    "reload with one changed weight: exactly one SET_DEST");
	converges(t, "reload");
	table_free(old);
	table_free(t);
}

/*
 * A reload that trusts the model: the kept service's kernel model moves
 * from the old table to the new one, which then plans exactly the one
 * change; freeing both tables frees the model once.
 */
static void
test_reload_takes_model(void)
{
	struct msg_service	 s[1] = { svc(0, VIP, 80, 0) };
	struct msg_dest		 d[2] = {
		real(0, 0, "127.0.0.2", 80, FWD_MASQ, 3),
		real(1, 0, "127.0.0.3", 80, FWD_MASQ, 1),
	};
	struct table		*old, *t;
	struct table_service	*ts;

	old = build(1, s, 1, d, 2, NULL);
	table_set_state(old, 0, 1);
	table_set_state(old, 1, 1);
	kern_svc(old, 0);
	kern_dest(old, 0, "127.0.0.3", 80, IP_VS_CONN_F_MASQ, 1);
	kern_dest(old, 0, "127.0.0.2", 80, IP_VS_CONN_F_MASQ, 3);
	d[1].ds_weight = 4;
	t = build(2, s, 1, d, 2, NULL);
	table_set_state(t, 0, 1);
	table_set_state(t, 1, 1);
	ts = table_find_service(t, &old->t_services[0].ts_want);
	ok(ts == &t->t_services[0], "the new table has the old service");
	table_kernel_take(ts, &old->t_services[0]);
	ok(ts->ts_kpresent && ts->ts_nkdests == 2 &&
	    old->t_services[0].ts_kdests == NULL &&
	    old->t_services[0].ts_nkdests == 0,
	    "the model moves to the new table, the old one keeps none");
	is_str(plan_all(t), "set 127.0.0.3:80 w4 masq (up)\n",
	    "planned on the moved model: exactly one SET_DEST");
	converges(t, "reload on a moved model");
	table_free(old);
	table_free(t);
}

/* lvsd disable: down whatever the checker says; enable gives it back. */
static void
test_disabled(void)
{
	struct msg_service	 s[1] = { svc(0, VIP, 80, 1) };
	struct msg_dest		 d[2] = {
		real(0, 0, "127.0.0.2", 80, FWD_MASQ, 3),
		real(1, 0, "127.0.0.3", 80, FWD_MASQ, 1),
	};
	struct table		*t;
	const char		*why;

	d[0].ds_disabled = 1;
	t = build(1, s, 1, d, 2, NULL);
	ok(t != NULL, "a DEST flagged disabled is accepted");
	kern_svc(t, 0);
	kern_dest(t, 0, "127.0.0.2", 80, IP_VS_CONN_F_MASQ, 3);
	kern_dest(t, 0, "127.0.0.3", 80, IP_VS_CONN_F_MASQ, 1);
	table_set_state(t, 0, 1);
	table_set_state(t, 1, 1);
	is_str(plan_all(t), "set 127.0.0.2:80 w0 masq (disabled)\n",
	    "disabled and UP, quiescent: weight 0");
	describe_op(&p.p_ops[0], out, sizeof(out));
	is_str(out, "real 127.0.0.2:80 of TCP 127.0.0.100:80 disabled: "
	    "weight 0 (quiescent)", "the log line says why");
	converges(t, "disabled");
	t->t_services[0].ts_quiescent = 0;
	is_str(plan_all(t), "del 127.0.0.2:80 w0 masq (disabled)\n",
	    "disabled, not quiescent: removed");
	t->t_dests[0].td_disabled = 0;
	t->t_services[0].ts_quiescent = 1;
	is_str(plan_all(t), "set 127.0.0.2:80 w3 masq (up)\n",
	    "enabled again: the checker's UP counts");
	table_free(t);

	d[0].ds_disabled = 2;
	ok(build(1, s, 1, d, 2, &why) == NULL && why != NULL &&
	    strcmp(why, "bad disabled flag") == 0,
	    "a disabled flag other than 0 or 1 is refused");
}

/*
 * A real whose check needs no probe (checktype on or off, service none)
 * has its state from the config: in at its weight, or down, before any
 * STATE; the checker's word and a reload's old state change nothing.
 */
static void
test_fixed(void)
{
	struct msg_service	 s[2] = { svc(0, VIP, 80, 1),
	    svc(1, VIP, 81, 1) };
	struct msg_dest		 d[3] = {
		real(0, 0, "127.0.0.2", 80, FWD_MASQ, 3),
		real(1, 0, "127.0.0.3", 80, FWD_MASQ, 1),
		real(2, 1, "127.0.0.4", 81, FWD_MASQ, 2),
	};
	struct table		*old, *t;
	const char		*why = NULL;

	d[0].ds_fixed = FIXED_UP;
	d[2].ds_fixed = FIXED_DOWN;
	fallback(&s[1], "127.0.0.1", 8080, FWD_MASQ);
	t = build(1, s, 2, d, 3, NULL);
	ok(t != NULL, "DESTs with a fixed state are accepted");
	is_str(plan_all(t), "new-svc (config)\n"
	    "new 127.0.0.2:80 w3 masq (up)\n"
	    "new 127.0.0.3:80 w0 masq (unchecked)\n"
	    "new-svc (config)\n"
	    "new 127.0.0.1:8080 w1 masq (fb-on)\n",
	    "fixed up: in at its weight at once; fixed down: its service's "
	    "fallback in, before any STATE");
	converges(t, "fixed");
	ok(table_set_state(t, 0, 0) == 0 && table_set_state(t, 2, 1) == 0,
	    "a STATE against a fixed state changes nothing");
	is_str(plan_all(t), "", "and plans nothing");
	old = t;
	table_set_state(old, 1, 0);
	/* the reload fixes the checked real, frees the fixed one */
	d[0].ds_fixed = FIXED_NONE;
	d[1].ds_fixed = FIXED_UP;
	t = staged(2, s, 2, d, 3);
	table_early_state(t, 2, 1);
	ok(table_end(t) == NULL, "a reload is accepted");
	table_inherit(t, old);
	is_int(t->t_dests[1].td_state, RS_UP,
	    "a reload that fixes a DOWN real up: up, not the old state");
	is_int(t->t_dests[0].td_state, RS_UP,
	    "one no longer fixed keeps its state until the checker says");
	is_int(t->t_dests[2].td_state, RS_DOWN,
	    "an early STATE does not undo a fixed state either");
	table_free(old);
	table_free(t);

	d[1].ds_fixed = FIXED_MAX;
	ok(build(1, s, 2, d, 3, &why) == NULL && why != NULL &&
	    strcmp(why, "bad fixed state") == 0,
	    "a fixed state out of range is refused");
	d[1].ds_fixed = FIXED_NONE;
	d[1].ds_pad[1] = 1;
	ok(build(1, s, 2, d, 3, &why) == NULL && why != NULL &&
	    strcmp(why, "bad fixed state") == 0,
	    "so is a DEST whose padding is not zero");
}

/* Every refusal of table.c, one bad field at a time. */
static void
test_validation(void)
{
	struct msg_service	 s[2] = { svc(0, VIP, 80, 0),
	    svc(1, VIP, 443, 0) };
	struct msg_dest		 d[1] = { real(0, 0, "127.0.0.2", 80,
	    FWD_MASQ, 1) };
	struct msg_service	 bs;
	struct msg_dest		 bd;
	struct msg_conf_begin	 cb = { TABLE_MAX_SERVICES + 1, 0 };
	const char		*why;
	struct table		*t;

	ok(table_begin(1, &cb, &why) == NULL, "too many services");
	cb.cb_nservices = 1;
	cb.cb_ndests = TABLE_MAX_DESTS + 1;
	ok(table_begin(1, &cb, &why) == NULL, "too many reals");

#define REFUSED(desc, ...) do {						\
	t = build(1, __VA_ARGS__, &why);				\
	ok(t == NULL, desc);						\
	if (t == NULL) diag("refused: %s", why);			\
	table_free(t);							\
} while (0)
	bs = s[1];
	bs.sv_id = 2;
	REFUSED("service id out of order", (struct msg_service[]){ s[0], bs },
	    2, NULL, 0);
	cb.cb_nservices = 1;
	cb.cb_ndests = 0;
	t = table_begin(1, &cb, &why);
	ok(table_add_service(t, &s[0]) == NULL &&
	    table_add_service(t, &s[1]) != NULL,
	    "more services than announced");
	table_free(t);
	bs = s[0];
	bs.sv_proto = PROTO_MAX;
	REFUSED("bad protocol", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_quiescent = 2;
	REFUSED("quiescent not 0/1", &bs, 1, NULL, 0);
	bs = s[0];
	memset(bs.sv_sched, 'r', sizeof(bs.sv_sched));
	REFUSED("scheduler name without its NUL", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_sched[0] = '\0';
	REFUSED("empty scheduler name", &bs, 1, NULL, 0);
	bs = s[0];
	strlcpy(bs.sv_sched, "../x", sizeof(bs.sv_sched));
	REFUSED("scheduler name with a slash", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_addr.a_af = 99;
	REFUSED("bad address family", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_addr.a_u.raw[9] = 1;
	REFUSED("IPv4 address with bytes past its end", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_fwmark = 3;
	REFUSED("a TCP service with a mark", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_proto = PROTO_FWM;
	REFUSED("fwmark 0", &bs, 1, NULL, 0);
	bs = svc(0, "::1", 80, 0);
	bs.sv_persistent = 10;
	bs.sv_netmask = 129;
	REFUSED("IPv6 prefix above 128", &bs, 1, NULL, 0);
	bs = s[0];
	fallback(&bs, "127.0.0.1", 80, FWD_MAX);
	REFUSED("bad fallback forwarding method", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_readd = 2;
	REFUSED("readdquiescent not 0/1", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_pad[1] = 1;
	REFUSED("service padding not zero", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_cleanstop = 2;
	REFUSED("cleanstop not 0/1", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_flags = 0x10;
	REFUSED("an unknown service flag", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_flags = 0x80000000U;
	REFUSED("the top service flag", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_flags = MSG_SVC_ONEPACKET;
	REFUSED("ops on a TCP service", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_has_fallback = 2;
	REFUSED("has_fallback not 0/1", &bs, 1, NULL, 0);
	bs = s[0];
	bs.sv_id = 1;
	REFUSED("the same virtual service twice",
	    (struct msg_service[]){ s[0], bs }, 2, NULL, 0);

	bd = d[0];
	bd.ds_id = 1;
	REFUSED("real id out of order", s, 1, &bd, 1);
	bd = d[0];
	bd.ds_service = 1;
	REFUSED("real of an unknown service", s, 1, &bd, 1);
	bd = d[0];
	bd.ds_fwd = 0;
	REFUSED("forwarding method 0", s, 1, &bd, 1);
	bd = d[0];
	bd.ds_weight = 0x80000000U;
	REFUSED("weight above INT32_MAX", s, 1, &bd, 1);
	bd = d[0];
	bd.ds_addr.a_pad[1] = 1;
	REFUSED("address padding not zero", s, 1, &bd, 1);
#undef REFUSED

	/* a DEST before the last SERVICE, and an END too early */
	cb.cb_nservices = 2;
	cb.cb_ndests = 1;
	t = table_begin(1, &cb, &why);
	ok(table_add_service(t, &s[0]) == NULL, "first service");
	ok(table_add_dest(t, &d[0]) != NULL, "a real before the last service");
	ok(table_end(t) != NULL, "END before every item came");
	table_free(t);
}

/* STATEs mark their services; only those are handed out, in id order. */
static void
test_dirty(void)
{
	struct msg_service	 s[3] = {
		svc(0, VIP, 80, 1), svc(1, VIP, 81, 1), svc(2, VIP, 82, 1)
	};
	struct msg_dest		 d[4] = {
		real(0, 0, "127.0.0.2", 80, FWD_MASQ, 1),
		real(1, 1, "127.0.0.3", 80, FWD_MASQ, 1),
		real(2, 2, "127.0.0.4", 80, FWD_MASQ, 1),
		real(3, 2, "127.0.0.5", 80, FWD_MASQ, 1),
	};
	struct table		*t;
	uint32_t		*ids, n;

	t = build(1, s, 3, d, 4, NULL);
	n = table_take_dirty(t, &ids);
	ok(n == 3 && ids[0] == 0 && ids[1] == 1 && ids[2] == 2,
	    "a new table: every service is dirty");
	is_int(table_take_dirty(t, &ids), 0, "  and then none");
	table_set_state(t, 3, 1);
	table_set_state(t, 0, 1);
	table_set_state(t, 2, 1);
	n = table_take_dirty(t, &ids);
	ok(n == 2 && ids[0] == 0 && ids[1] == 2 && !t->t_services[2].ts_dirty,
	    "two STATEs of one service mark it once; in id order");
	table_set_state(t, 2, 1);
	is_int(table_take_dirty(t, &ids), 0, "no change of state: nothing");
	table_free(t);
}

int
main(void)
{
	log_init(1, LOG_DAEMON);
	plan_init(&p);
	test_fresh_start();
	test_restart();
	test_readd();
	test_down_removed();
	test_dirty();
	test_fallback();
	test_fallback_is_real();
	test_purge_and_attrs();
	test_persistence();
	test_service_flags();
	test_gate_port();
	test_fwmark_v6();
	test_removed_shutdown();
	test_inherit();
	test_inherit_in_place();
	test_reload_weight();
	test_reload_takes_model();
	test_disabled();
	test_fixed();
	test_validation();
	plan_free(&p);
	return tap_done();
}
