/*
 * What is decided once a block, then the whole file, has been read: the
 * defaults that depend on other values, ldirectord's rules of
 * precedence between per-virtual and global values, and the checks that
 * need a complete picture (duplicates, a check with no port to use).
 * After this a reader of struct conf needs to know none of the rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* "tcp 192.0.2.1:80" or "fwm 7", for messages. */
static const char *
conf_vname(const struct conf_virtual *v, char *buf, size_t len)
{
	char	 hp[ADDR_STRLEN];

	if (v->v_proto == PROTO_FWM)
		snprintf(buf, len, "fwm%s %u", v->v_addr.a_af == AF_INET6 ?
		    "6" : "", v->v_fwmark);
	else
		snprintf(buf, len, "%s %s", conf_proto_name(v->v_proto),
		    addr_port_ntop(&v->v_addr, v->v_port, hp, sizeof(hp)));
	return buf;
}

/* Where a directive of this block was set: its line, else the virtual's. */
static void
conf_where(const struct conf_pvirt *pv, const char *name, unsigned int *line,
    unsigned int *col)
{
	const struct conf_seen	*sn;

	if ((sn = conf_seen_find(pv->p_v, conf_dir_index(name))) != NULL) {
		*line = sn->s_line;
		*col = sn->s_col;
	} else {
		*line = pv->p_v->v_line;
		*col = pv->p_col;
	}
}

/* A check that talks to the real server's port, not one that pings. */
static int
conf_check_uses_port(const struct conf_virtual *v)
{
	switch (v->v_checktype) {
	case CHECK_CONNECT:
		return 1;
	case CHECK_NEGOTIATE:
	case CONF_CHECK_COMBINED:
		return v->v_service != SERVICE_NONE;
	default:
		return 0;
	}
}

static int
conf_is_http(const struct conf_virtual *v)
{
	return v->v_service == SERVICE_HTTP || v->v_service == CONF_SVC_HTTPS ||
	    v->v_service == CONF_SVC_HTTP_PROXY;
}

/* service= unset: ldirectord derives it from the virtual's port. */
static void
conf_default_service(struct conf_ctx *x, struct conf_pvirt *pv)
{
	struct conf_virtual	*v = pv->p_v;
	char			 buf[ADDR_STRLEN + 16];

	v->v_service = v->v_proto == PROTO_FWM ? SERVICE_NONE :
	    conf_service_by_port(v->v_port);
	if (v->v_service == SERVICE_NONE && v->v_checktype == CHECK_NEGOTIATE &&
	    x->x_nerrors == pv->p_errors)
		conf_diag_at(x, 0, v->v_line, pv->p_col, "virtual service %s "
		    "is never checked: its service is none, so every real "
		    "server counts as up; set service= or checktype=",
		    conf_vname(v, buf, sizeof(buf)));
}

/* An HTTP request line has no room for a blank in its target. */
static void
conf_check_requests(struct conf_ctx *x, struct conf_pvirt *pv)
{
	struct conf_virtual	*v = pv->p_v;
	struct conf_real	*r;
	unsigned int		 line, col;

	if (!conf_is_http(v) || !conf_check_uses_port(v))
		return;
	if (strpbrk(v->v_request, " \t") != NULL) {
		conf_where(pv, "request", &line, &col);
		conf_diag_at(x, 1, line, col, "request '%s' contains a blank, "
		    "which an HTTP request cannot carry (encode it, as %%20)",
		    v->v_request);
	}
	TAILQ_FOREACH(r, &v->v_reals, r_entry)
		if (r->r_request != NULL && strpbrk(r->r_request, " \t"))
			conf_diag_at(x, 1, r->r_line, 1, "request '%s' "
			    "contains a blank, which an HTTP request cannot "
			    "carry (encode it, as %%20)", r->r_request);
}

/*
 * ldirectord's ld_checkport: checkport, else the real's port, else the
 * service's well-known port.  A firewall-mark real may have none.
 */
static void
conf_check_ports(struct conf_ctx *x, struct conf_pvirt *pv)
{
	struct conf_virtual	*v = pv->p_v;
	struct conf_real	*r;
	char			 buf[ADDR_STRLEN];

	if (v->v_checkport != 0 || !conf_check_uses_port(v) ||
	    conf_service_port(v->v_service) != 0)
		return;
	TAILQ_FOREACH(r, &v->v_reals, r_entry)
		if (r->r_port == 0)
			conf_diag_at(x, 1, r->r_line, 1, "real server %s has "
			    "no port to check; give it one or set checkport=",
			    addr_ntop(&r->r_addr, buf, sizeof(buf)));
}

/* ldirectord sets ops only on UDP and drops it silently elsewhere. */
static void
conf_check_ops(struct conf_ctx *x, struct conf_pvirt *pv)
{
	unsigned int	 line, col;

	if (!pv->p_v->v_ops || pv->p_v->v_proto == PROTO_UDP)
		return;
	conf_where(pv, "ops", &line, &col);
	conf_diag_at(x, 0, line, col, "ops only applies to UDP services; "
	    "ignored here, as ldirectord ignores it");
	pv->p_v->v_ops = 0;
}

/*
 * schedflags as bits, each flag checked against the scheduler, as
 * ipvsadm does: sh-port means nothing to wrr, and the kernel would take
 * its bit in silence.
 */
static void
conf_check_schedflags(struct conf_ctx *x, struct conf_pvirt *pv)
{
	struct conf_virtual	*v = pv->p_v;
	const char		*s, *comma, *sched;
	unsigned int		 line, col;
	size_t			 len;

	v->v_schedbits = 0;
	for (s = v->v_schedflags; s != NULL; s = comma ? comma + 1 : NULL) {
		comma = strchr(s, ',');
		len = comma ? (size_t)(comma - s) : strlen(s);
		v->v_schedbits |= conf_schedflag_bit(s, len, &sched);
		if (sched[0] == '\0' || strcmp(sched, v->v_sched) == 0)
			continue;
		conf_where(pv, "schedflags", &line, &col);
		conf_diag_at(x, 1, line, col, "scheduler flag '%.*s' is for "
		    "the %s scheduler, not %s", (int)len, s, sched,
		    v->v_sched);
	}
}

/* A real as the kernel keys it: gate and ipip reals get the VIP's port. */
struct conf_rkey {
	const struct conf_real	*k_r;
	uint16_t		 k_port;
};

static uint16_t
conf_kernel_port(const struct conf_virtual *v, const struct conf_real *r)
{
	if (v->v_proto != PROTO_FWM && r->r_fwd != FWD_MASQ)
		return v->v_port;
	return r->r_port;
}

static int
conf_rkey_cmp(const void *a, const void *b)
{
	const struct conf_rkey	*ka = a, *kb = b;
	const struct conf_real	*ra = ka->k_r, *rb = kb->k_r;
	int			 c;

	if (ra->r_addr.a_af != rb->r_addr.a_af)
		return ra->r_addr.a_af < rb->r_addr.a_af ? -1 : 1;
	if ((c = memcmp(ra->r_addr.a_u.raw, rb->r_addr.a_u.raw, 16)) != 0)
		return c;
	if (ka->k_port != kb->k_port)
		return ka->k_port < kb->k_port ? -1 : 1;
	return ra->r_line < rb->r_line ? -1 : ra->r_line > rb->r_line;
}

/*
 * Two reals the kernel cannot tell apart; sorted, so that a range of
 * thousands costs no quadratic time.
 */
static void
conf_dup_reals(struct conf_ctx *x, struct conf_virtual *v)
{
	struct conf_rkey	*ks;
	struct conf_real	*r;
	char			 buf[ADDR_STRLEN];
	size_t			 n = 0, i, first = 0;

	if (v->v_nreals < 2 ||
	    (ks = conf_calloc(x, v->v_nreals, sizeof(*ks))) == NULL)
		return;
	TAILQ_FOREACH(r, &v->v_reals, r_entry) {
		ks[n].k_r = r;
		ks[n++].k_port = conf_kernel_port(v, r);
	}
	qsort(ks, n, sizeof(*ks), conf_rkey_cmp);
	for (i = 1; i < n; i++) {
		if (ks[i].k_port != ks[first].k_port ||
		    !addr_eq(&ks[i].k_r->r_addr, &ks[first].k_r->r_addr)) {
			first = i;
			continue;
		}
		conf_diag_at(x, 1, ks[i].k_r->r_line, 1, "duplicate real "
		    "server %s (also at line %u)",
		    addr_port_ntop(&ks[i].k_r->r_addr, ks[i].k_port, buf,
		    sizeof(buf)), ks[first].k_r->r_line);
	}
	free(ks);
}

/* ipvsd never adds a fallback that is one of the reals: say so now. */
static void
conf_fallback_is_real(struct conf_ctx *x, const struct conf_virtual *v)
{
	const struct conf_fallback	*fb = &v->v_fallback;
	const struct conf_real		*r;
	char				 buf[ADDR_STRLEN];
	uint16_t			 port;

	if (!fb->fb_set)
		return;
	port = v->v_proto != PROTO_FWM && fb->fb_fwd != FWD_MASQ ?
	    v->v_port : fb->fb_port;
	TAILQ_FOREACH(r, &v->v_reals, r_entry) {
		if (addr_eq(&r->r_addr, &fb->fb_addr) &&
		    conf_kernel_port(v, r) == port) {
			conf_diag_at(x, 0, r->r_line, 1, "real server %s is "
			    "also the fallback, which will never be used",
			    addr_port_ntop(&r->r_addr, port, buf,
			    sizeof(buf)));
			return;
		}
	}
}

static void
conf_default_netmask(struct conf_ctx *x, struct conf_pvirt *pv)
{
	struct conf_virtual	*v = pv->p_v;
	unsigned int		 line, col;

	if (v->v_persistent == 0 && v->v_netmask != 0) {
		conf_where(pv, "netmask", &line, &col);
		conf_diag_at(x, 0, line, col, "netmask is ignored without "
		    "persistent");
		v->v_netmask = 0;
	}
	if (v->v_netmask == 0)
		v->v_netmask = v->v_addr.a_af == AF_INET6 ? 128 : 0xffffffffU;
}

/* The defaults of a block that do not depend on the globals. */
static void
conf_block_defaults(struct conf_ctx *x, struct conf_virtual *v)
{
	if (v->v_proto == 0)
		v->v_proto = v->v_port == 53 ? PROTO_UDP : PROTO_TCP;
	if (v->v_sched[0] == '\0')
		strlcpy(v->v_sched, CONF_DEF_SCHED, sizeof(v->v_sched));
	if (v->v_checktype == 0)
		v->v_checktype = CHECK_NEGOTIATE;
	if (v->v_httpmethod == 0)
		v->v_httpmethod = HTTP_GET;
	if (v->v_request == NULL)
		v->v_request = conf_strdup(x, "/");
	if (v->v_receive == NULL)
		v->v_receive = conf_strdup(x, "");
	if (v->v_checkcommand == NULL)
		v->v_checkcommand = conf_strdup(x, CONF_DEF_CHECKCOMMAND);
}

/* The end of a virtual block: its own defaults and checks. */
void
conf_block_end(struct conf_ctx *x, struct conf_pvirt *pv)
{
	struct conf_virtual	*v = pv->p_v;
	char			 buf[ADDR_STRLEN + 16];

	if (!pv->p_ok)
		return;
	conf_block_defaults(x, v);
	if (x->x_oom)
		return;
	if (v->v_service == 0)
		conf_default_service(x, pv);
	conf_check_requests(x, pv);
	conf_block_quirks(x, pv);
	conf_check_ops(x, pv);
	conf_check_schedflags(x, pv);
	conf_default_netmask(x, pv);
	conf_check_ports(x, pv);
	/* a block with errors may well have lost its reals to them */
	if (v->v_nreals == 0 && x->x_nerrors == pv->p_errors)
		conf_diag_at(x, 0, v->v_line, pv->p_col, "virtual service %s "
		    "has no real servers", conf_vname(v, buf, sizeof(buf)));
	conf_dup_reals(x, v);
}

/*
 * ldirectord's ld_setup: each timeout falls back on the other one of the
 * same virtual before the globals, so a per-virtual negotiatetimeout
 * beats a global checktimeout.
 */
static void
conf_inherit_timeouts(const struct conf *c, struct conf_virtual *v)
{
	unsigned int	 ct = v->v_checktimeout, nt = v->v_negotiatetimeout;

	v->v_checktimeout = ct ? ct : nt ? nt : c->c_checktimeout ?
	    c->c_checktimeout : c->c_negotiatetimeout ?
	    c->c_negotiatetimeout : CONF_DEF_CHECKTIMEOUT;
	v->v_negotiatetimeout = nt ? nt : ct ? ct : c->c_negotiatetimeout ?
	    c->c_negotiatetimeout : c->c_checktimeout ?
	    c->c_checktimeout : CONF_DEF_NEGOTIATE;
	if (v->v_checkinterval == 0)
		v->v_checkinterval = c->c_checkinterval;
	if (v->v_failurecount == 0)
		v->v_failurecount = c->c_failurecount;
	if (v->v_rise == 0)
		v->v_rise = c->c_rise;
	if (v->v_checkcount == 0)
		v->v_checkcount = c->c_checkcount;
}

static void
conf_inherit_str(struct conf_ctx *x, char **v, const char *global)
{
	if (*v == NULL && global != NULL)
		*v = conf_strdup(x, global);
}

static void
conf_inherit_alerts(struct conf_ctx *x, struct conf_virtual *v)
{
	const struct conf	*c = x->x_conf;

	if (v->v_quiescent == -1)
		v->v_quiescent = c->c_quiescent;
	if (v->v_cleanstop == -1)
		v->v_cleanstop = c->c_cleanstop;
	if (v->v_emailalertfreq == -1)
		v->v_emailalertfreq = c->c_emailalertfreq;
	if (v->v_emailalertstatus == CONF_ALERT_UNSET)
		v->v_emailalertstatus = c->c_emailalertstatus;
	conf_inherit_str(x, &v->v_fallbackcommand, c->c_fallbackcommand);
	conf_inherit_str(x, &v->v_emailalert, c->c_emailalert);
	if (v->v_smtp == NULL) {
		v->v_smtp_addr = c->c_smtp_addr;
		v->v_smtp_port = c->c_smtp_port;
	}
	conf_inherit_str(x, &v->v_smtp, c->c_smtp);
}

/*
 * The global fallback of the virtual's family.  ldirectord keys it by
 * tcp and udp only, so on a firewall-mark service it adds "-r :0" and
 * fails; lvsd adds it, and says so.
 */
static void
conf_inherit_fallback(struct conf_ctx *x, struct conf_pvirt *pv)
{
	struct conf_virtual		*v = pv->p_v;
	const struct conf_fallback	*g;

	g = v->v_addr.a_af == AF_INET6 ? &x->x_conf->c_fallback6 :
	    &x->x_conf->c_fallback;
	if (!v->v_fallback.fb_set && g->fb_set) {
		v->v_fallback = *g;
		if (v->v_proto == PROTO_FWM)
			conf_diag_at(x, 0, v->v_line, pv->p_col, "the global "
			    "fallback applies to this firewall-mark service; "
			    "ldirectord fails to add it");
	}
	if (v->v_fallback.fb_set && v->v_fallback.fb_port == 0)
		v->v_fallback.fb_port = v->v_port;
}

static int
conf_same_virtual(const struct conf_virtual *a, const struct conf_virtual *b)
{
	if (a->v_proto != b->v_proto || a->v_addr.a_af != b->v_addr.a_af)
		return 0;
	if (a->v_proto == PROTO_FWM)
		return a->v_fwmark == b->v_fwmark;
	return a->v_port == b->v_port && addr_eq(&a->v_addr, &b->v_addr);
}

/* Virtuals in the kernel's key order, then by line. */
static int
conf_vkey_cmp(const void *pa, const void *pb)
{
	const struct conf_pvirt *const	*ppa = pa, *const *ppb = pb;
	const struct conf_virtual	*a = (*ppa)->p_v, *b = (*ppb)->p_v;
	int				 c;

	if (a->v_proto != b->v_proto)
		return a->v_proto < b->v_proto ? -1 : 1;
	if (a->v_addr.a_af != b->v_addr.a_af)
		return a->v_addr.a_af < b->v_addr.a_af ? -1 : 1;
	if (a->v_proto == PROTO_FWM && a->v_fwmark != b->v_fwmark)
		return a->v_fwmark < b->v_fwmark ? -1 : 1;
	if (a->v_proto != PROTO_FWM) {
		if ((c = memcmp(a->v_addr.a_u.raw, b->v_addr.a_u.raw,
		    a->v_addr.a_af == AF_INET6 ? 16 : 4)) != 0)
			return c;
		if (a->v_port != b->v_port)
			return a->v_port < b->v_port ? -1 : 1;
	}
	return a->v_line < b->v_line ? -1 : a->v_line > b->v_line;
}

/*
 * Keyed after resolution, as ldirectord does: :http and :80 collide.
 * Sorted, so 10,000 virtual services cost no quadratic time.
 */
static void
conf_dup_virtuals(struct conf_ctx *x)
{
	struct conf_pvirt	**s;
	char			 buf[ADDR_STRLEN + 16];
	size_t			 i, n = 0, first = 0;

	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	if (x->x_npv < 2 || (s = conf_calloc(x, x->x_npv, sizeof(*s))) ==
	    NULL)
		return;
	for (i = 0; i < x->x_npv; i++)
		if (x->x_pv[i]->p_ok)
			s[n++] = x->x_pv[i];
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): as above */
	qsort(s, n, sizeof(*s), conf_vkey_cmp);
	for (i = 1; i < n; i++) {
		if (!conf_same_virtual(s[first]->p_v, s[i]->p_v)) {
			first = i;
			continue;
		}
		conf_diag_at(x, 1, s[i]->p_v->v_line, s[i]->p_col,
		    "duplicate virtual service %s (also at line %u)",
		    conf_vname(s[i]->p_v, buf, sizeof(buf)),
		    s[first]->p_v->v_line);
	}
	free(s);
}

/* The end of the file: globals are final, so virtuals can inherit. */
void
conf_finish(struct conf_ctx *x)
{
	struct conf		*c = x->x_conf;
	struct conf_virtual	*v;
	size_t			 i;

	for (i = 0; i < x->x_npv; i++) {
		if (x->x_pv[i]->p_ok) {
			conf_inherit_timeouts(c, x->x_pv[i]->p_v);
			conf_inherit_alerts(x, x->x_pv[i]->p_v);
			conf_inherit_fallback(x, x->x_pv[i]);
			conf_tls_resolve(x, x->x_pv[i]->p_v);
			conf_fallback_is_real(x, x->x_pv[i]->p_v);
		}
	}
	conf_dup_virtuals(x);
	conf_tls_count(x);
	conf_sync_finish(x);
	c->c_nvirtuals = 0;
	c->c_nreals = 0;
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry) {
		c->c_nvirtuals++;
		c->c_nreals += v->v_nreals;
	}
	if (c->c_nvirtuals == 0 && x->x_nerrors == 0)
		conf_diag_at(x, 0, 0, 0, "no virtual services are defined");
}
