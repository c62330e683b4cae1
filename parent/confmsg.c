/*
 * The parsed config turned into wire messages: the table for ipvsd, the
 * checks for the checker.  Real server ids are the order of the reals in
 * the config, numbered across all virtual services, the same on both
 * channels, so a STATE from the checker names the DEST ipvsd knows.
 */
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"

/* The port a real is probed on: checkport, the real's, the virtual's. */
static uint16_t
confmsg_check_port(const struct conf_virtual *v, const struct conf_real *r)
{
	if (v->v_checkport != 0)
		return v->v_checkport;
	if (r->r_port != 0)
		return r->r_port;
	return v->v_port;
}

/* Every check that probes needs a port; fwmark reals may have none. */
int
confmsg_validate(const struct conf *c, FILE *errs)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	char				 a[ADDR_STRLEN];
	int				 bad = 0;

	TAILQ_FOREACH(v, &c->c_virtuals, v_entry)
		TAILQ_FOREACH(r, &v->v_reals, r_entry) {
			if (v->v_checktype != CHECK_CONNECT &&
			    (v->v_checktype != CHECK_NEGOTIATE ||
			    v->v_service == SERVICE_NONE))
				continue;
			if (confmsg_check_port(v, r) != 0)
				continue;
			fprintf(errs, "%s:%u: error: real %s has no port "
			    "to check; set checkport=\n", c->c_path,
			    r->r_line, addr_ntop(&r->r_addr, a, sizeof(a)));
			bad = 1;
		}
	return bad ? -1 : 0;
}

static void
confmsg_service(struct msg_service *sv, uint32_t id,
    const struct conf_virtual *v)
{
	memset(sv, 0, sizeof(*sv));
	sv->sv_id = id;
	sv->sv_proto = v->v_proto;
	sv->sv_quiescent = v->v_quiescent ? 1 : 0;
	sv->sv_port = v->v_port;
	sv->sv_addr = v->v_addr;
	sv->sv_fwmark = v->v_fwmark;
	sv->sv_persistent = v->v_persistent;
	sv->sv_netmask = v->v_netmask;
	strlcpy(sv->sv_sched, v->v_sched, sizeof(sv->sv_sched));
	if (v->v_fallback.fb_set) {
		sv->sv_has_fallback = 1;
		sv->sv_fb_fwd = v->v_fallback.fb_fwd;
		sv->sv_fb_addr = v->v_fallback.fb_addr;
		sv->sv_fb_port = v->v_fallback.fb_port != 0 ?
		    v->v_fallback.fb_port : v->v_port;
	}
}

static void
confmsg_dest(struct msg_dest *ds, uint32_t id, uint32_t svc,
    const struct conf_real *r)
{
	memset(ds, 0, sizeof(*ds));
	ds->ds_id = id;
	ds->ds_service = svc;
	ds->ds_addr = r->r_addr;
	ds->ds_port = r->r_port;
	ds->ds_fwd = r->r_fwd;
	ds->ds_weight = r->r_weight;
	ds->ds_uthresh = r->r_uthresh;
	ds->ds_lthresh = r->r_lthresh;
	ds->ds_disabled = maint_is_disabled(&r->r_addr, r->r_port);
}

static void
confmsg_begin(struct msg_chan *mc, const struct conf *c, uint32_t gen)
{
	struct msg_conf_begin	 cb;

	memset(&cb, 0, sizeof(cb));
	cb.cb_nservices = c->c_nvirtuals;
	cb.cb_ndests = c->c_nreals;
	msg_chan_send(mc, MSG_CONF_BEGIN, gen, &cb, sizeof(cb));
}

void
confmsg_send_ipvsd(struct msg_chan *mc, const struct conf *c, uint32_t gen)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	struct msg_service		 sv;
	struct msg_dest			 ds;
	uint32_t			 vid = 0, rid = 0;

	confmsg_begin(mc, c, gen);
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry) {
		confmsg_service(&sv, vid++, v);
		msg_chan_send(mc, MSG_SERVICE, gen, &sv, sizeof(sv));
	}
	vid = 0;
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry) {
		TAILQ_FOREACH(r, &v->v_reals, r_entry) {
			confmsg_dest(&ds, rid++, vid, r);
			msg_chan_send(mc, MSG_DEST, gen, &ds, sizeof(ds));
		}
		vid++;
	}
	msg_chan_send(mc, MSG_CONF_END, gen, NULL, 0);
}

/* The real's own value if it has one, else the virtual's, else "". */
static void
confmsg_str(char *dst, size_t len, const char *real, const char *virt)
{
	strlcpy(dst, real != NULL ? real : virt != NULL ? virt : "", len);
}

static void
confmsg_check(struct msg_check *ck, uint32_t id, const struct conf_virtual *v,
    const struct conf_real *r)
{
	memset(ck, 0, sizeof(*ck));
	ck->ck_id = id;
	ck->ck_type = v->v_checktype;
	ck->ck_service = v->v_service;
	ck->ck_proto = v->v_proto == PROTO_UDP ? PROTO_UDP : PROTO_TCP;
	ck->ck_method = v->v_httpmethod;
	ck->ck_addr = r->r_addr;
	ck->ck_port = confmsg_check_port(v, r);
	ck->ck_interval_ms = v->v_checkinterval * 1000;
	ck->ck_connect_timeout_ms = v->v_checktimeout * 1000;
	ck->ck_negotiate_timeout_ms = v->v_negotiatetimeout * 1000;
	ck->ck_failurecount = v->v_failurecount;
	confmsg_str(ck->ck_request, sizeof(ck->ck_request), r->r_request,
	    v->v_request);
	confmsg_str(ck->ck_receive, sizeof(ck->ck_receive), r->r_receive,
	    v->v_receive);
	if (v->v_virtualhost != NULL)
		strlcpy(ck->ck_vhost, v->v_virtualhost, sizeof(ck->ck_vhost));
}

void
confmsg_send_checker(struct msg_chan *mc, const struct conf *c, uint32_t gen)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	struct msg_check		 ck;
	uint32_t			 rid = 0;

	confmsg_begin(mc, c, gen);
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry)
		TAILQ_FOREACH(r, &v->v_reals, r_entry) {
			confmsg_check(&ck, rid++, v, r);
			msg_chan_send(mc, MSG_CHECK, gen, &ck, sizeof(ck));
		}
	msg_chan_send(mc, MSG_CONF_END, gen, NULL, 0);
}
