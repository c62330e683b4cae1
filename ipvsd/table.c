/*
 * The configured table as ipvsd holds it: received from the parent item by
 * item and validated, converted into the kernel's terms, indexed for
 * lookups, with each real server's state and a model of what the kernel
 * has for every configured service.
 */
#include <sys/socket.h>

#include <linux/ip_vs.h>
#include <netinet/in.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ipvsd.h"
#include "log.h"

/* Order by the kernel's key: family, then fwmark or proto+addr+port. */
int
ipvs_service_cmp(const struct ipvs_service *a, const struct ipvs_service *b)
{
	int	 r;

	if (a->vs_addr.a_af != b->vs_addr.a_af)
		return a->vs_addr.a_af < b->vs_addr.a_af ? -1 : 1;
	if (a->vs_proto != b->vs_proto)
		return a->vs_proto < b->vs_proto ? -1 : 1;
	if (a->vs_proto == 0) {
		if (a->vs_fwmark != b->vs_fwmark)
			return a->vs_fwmark < b->vs_fwmark ? -1 : 1;
		return 0;
	}
	if ((r = addr_cmp(&a->vs_addr, &b->vs_addr)) != 0)
		return r;
	if (a->vs_port != b->vs_port)
		return a->vs_port < b->vs_port ? -1 : 1;
	return 0;
}

/*
 * Same attributes?  Timeout and netmask mean something only for a
 * persistent service, so they are compared only then: a difference the
 * kernel ignores is not worth a change.
 */
int
ipvs_service_same(const struct ipvs_service *a, const struct ipvs_service *b)
{
	if (strcmp(a->vs_sched, b->vs_sched) != 0 ||
	    a->vs_flags != b->vs_flags)
		return 0;
	if (!(a->vs_flags & IP_VS_SVC_F_PERSISTENT))
		return 1;
	return a->vs_timeout == b->vs_timeout &&
	    a->vs_netmask == b->vs_netmask;
}

int
ipvs_dest_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	int	 r;

	if ((r = addr_cmp(&a->rd_addr, &b->rd_addr)) != 0)
		return r;
	if (a->rd_port != b->rd_port)
		return a->rd_port < b->rd_port ? -1 : 1;
	return 0;
}

int
ipvs_dest_same(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	return a->rd_fwd == b->rd_fwd && a->rd_weight == b->rd_weight &&
	    a->rd_uthresh == b->rd_uthresh && a->rd_lthresh == b->rd_lthresh;
}

static void *
table_calloc(size_t n, size_t size)
{
	void	*p;

	/* never NULL for an empty table, so NULL always means no memory */
	if ((p = calloc(n == 0 ? 1 : n, size)) == NULL)
		fatal("%s", __func__);
	return p;
}

/*
 * CONF_BEGIN: a new table, empty, sized by the counts.  The caller has
 * checked the generation.
 */
struct table *
table_begin(uint32_t gen, const struct msg_conf_begin *cb, const char **why)
{
	struct table	*t;

	if (cb->cb_nservices > TABLE_MAX_SERVICES) {
		*why = "too many services";
		return NULL;
	}
	if (cb->cb_ndests > TABLE_MAX_DESTS) {
		*why = "too many real servers";
		return NULL;
	}
	t = table_calloc(1, sizeof(*t));
	t->t_gen = gen;
	t->t_nservices = cb->cb_nservices;
	t->t_ndests = cb->cb_ndests;
	t->t_services = table_calloc(t->t_nservices, sizeof(*t->t_services));
	t->t_dests = table_calloc(t->t_ndests, sizeof(*t->t_dests));
	t->t_early = table_calloc(t->t_ndests, sizeof(*t->t_early));
	return t;
}

static int
ipvs_fwd(uint8_t fwd)
{
	switch (fwd) {
	case FWD_GATE:
		return IP_VS_CONN_F_DROUTE;
	case FWD_MASQ:
		return IP_VS_CONN_F_MASQ;
	case FWD_IPIP:
		return IP_VS_CONN_F_TUNNEL;
	}
	return -1;
}

/*
 * Direct routing and tunnelling deliver the packet as it came, to the
 * virtual's port; ipvsadm therefore gives such a real the virtual's port,
 * and the kernel keeps whatever port it is given.  ipvsd does as ipvsadm
 * does, so that a table built by ipvsadm or ldirectord matches.
 */
static uint16_t
table_dest_port(const struct ipvs_service *vs, uint16_t fwd, uint16_t port)
{
	if (vs->vs_proto != 0 && (fwd == IP_VS_CONN_F_DROUTE ||
	    fwd == IP_VS_CONN_F_TUNNEL))
		return vs->vs_port;
	return port;
}

/* A scheduler name becomes a module name in the kernel: be strict. */
static int
table_sched_ok(const char *s, size_t len)
{
	size_t	 i;

	if (!msg_str_ok(s, len) || s[0] == '\0')
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

/* The persistence attributes as the kernel holds them. */
static const char *
table_persistence(struct ipvs_service *vs, const struct msg_service *sv)
{
	int	 v6 = sv->sv_addr.a_af == AF_INET6;

	if (v6 && sv->sv_netmask > 128)
		return "IPv6 persistence prefix above 128";
	if (sv->sv_persistent == 0) {
		/* what ipvsadm sends for a service without persistence */
		vs->vs_netmask = v6 ? 128 : 0xffffffff;
		return NULL;
	}
	vs->vs_flags = IP_VS_SVC_F_PERSISTENT;
	vs->vs_timeout = sv->sv_persistent;
	if (sv->sv_netmask == 0)
		vs->vs_netmask = v6 ? 128 : 0xffffffff;
	else
		vs->vs_netmask = v6 ? sv->sv_netmask : htonl(sv->sv_netmask);
	return NULL;
}

static const char *
table_service_key(struct ipvs_service *vs, const struct msg_service *sv)
{
	switch (sv->sv_proto) {
	case PROTO_TCP:
	case PROTO_UDP:
		if (!msg_addr_ok(&sv->sv_addr))
			return "bad virtual address";
		if (sv->sv_fwmark != 0)
			return "fwmark on a TCP or UDP service";
		vs->vs_proto = sv->sv_proto == PROTO_TCP ? IPPROTO_TCP :
		    IPPROTO_UDP;
		vs->vs_addr = sv->sv_addr;
		vs->vs_port = sv->sv_port;
		return NULL;
	case PROTO_FWM:
		if (sv->sv_addr.a_af != AF_INET &&
		    sv->sv_addr.a_af != AF_INET6)
			return "bad fwmark service family";
		if (sv->sv_fwmark == 0 || sv->sv_port != 0)
			return "fwmark service with no mark, or a port";
		memset(&vs->vs_addr, 0, sizeof(vs->vs_addr));
		vs->vs_addr.a_af = sv->sv_addr.a_af;
		vs->vs_fwmark = sv->sv_fwmark;
		return NULL;
	}
	return "bad protocol";
}

static const char *
table_fallback(struct table_service *ts, const struct msg_service *sv)
{
	struct ipvs_dest	*fb = &ts->ts_fallback;
	int			 fwd;

	if (sv->sv_has_fallback > 1)
		return "bad has_fallback";
	if (!sv->sv_has_fallback)
		return NULL;
	if ((fwd = ipvs_fwd(sv->sv_fb_fwd)) == -1)
		return "bad fallback forwarding method";
	if (!msg_addr_ok(&sv->sv_fb_addr))
		return "bad fallback address";
	ts->ts_has_fallback = 1;
	fb->rd_addr = sv->sv_fb_addr;
	fb->rd_fwd = fwd;
	fb->rd_port = table_dest_port(&ts->ts_want, fwd, sv->sv_fb_port);
	fb->rd_weight = FALLBACK_WEIGHT;
	return NULL;
}

/* ops and the scheduler flags, in the kernel's bits. */
static uint32_t
table_svc_flags(uint32_t flags)
{
	uint32_t	 f = 0;

	if (flags & MSG_SVC_ONEPACKET)
		f |= IP_VS_SVC_F_ONEPACKET;
	if (flags & MSG_SVC_SCHED1)
		f |= IP_VS_SVC_F_SCHED1;
	if (flags & MSG_SVC_SCHED2)
		f |= IP_VS_SVC_F_SCHED2;
	if (flags & MSG_SVC_SCHED3)
		f |= IP_VS_SVC_F_SCHED3;
	return f;
}

/* SERVICE: the next one, in order, checked field by field. */
const char *
table_add_service(struct table *t, const struct msg_service *sv)
{
	struct table_service	*ts;
	const char		*why;

	if (t->t_gotservices == t->t_nservices)
		return "more services than announced";
	if (sv->sv_id != t->t_gotservices)
		return "service id out of order";
	if (sv->sv_quiescent > 1)
		return "bad quiescent";
	if (sv->sv_readd > 1 || sv->sv_cleanstop > 1 || sv->sv_pad[0] ||
	    sv->sv_pad[1])
		return "bad readdquiescent or cleanstop";
	if (!table_sched_ok(sv->sv_sched, sizeof(sv->sv_sched)))
		return "bad scheduler name";
	if (!msg_svc_flags_ok(sv->sv_flags, sv->sv_proto))
		return "bad service flags";
	ts = &t->t_services[sv->sv_id];
	if ((why = table_service_key(&ts->ts_want, sv)) != NULL ||
	    (why = table_persistence(&ts->ts_want, sv)) != NULL ||
	    (why = table_fallback(ts, sv)) != NULL)
		return why;
	strlcpy(ts->ts_want.vs_sched, sv->sv_sched,
	    sizeof(ts->ts_want.vs_sched));
	ts->ts_want.vs_flags |= table_svc_flags(sv->sv_flags);
	ts->ts_quiescent = sv->sv_quiescent;
	ts->ts_readd = sv->sv_readd;
	ts->ts_cleanstop = sv->sv_cleanstop;
	t->t_gotservices++;
	return NULL;
}

/* A real whose check needs no probe has its state from the start. */
static void
table_dest_fix(struct table_dest *td, uint8_t fixed)
{
	td->td_fixed = fixed != FIXED_NONE;
	if (fixed == FIXED_UP)
		td->td_state = RS_UP;
	else if (fixed == FIXED_DOWN)
		td->td_state = RS_DOWN;
}

/* DEST: the next one, in order, of a service already received. */
const char *
table_add_dest(struct table *t, const struct msg_dest *ds)
{
	struct table_dest	*td;
	const struct ipvs_service *vs;
	int			 fwd;

	if (t->t_gotservices != t->t_nservices)
		return "real server before the last service";
	if (t->t_gotdests == t->t_ndests)
		return "more real servers than announced";
	if (ds->ds_id != t->t_gotdests)
		return "real server id out of order";
	if (ds->ds_service >= t->t_nservices)
		return "real server of an unknown service";
	if (!msg_addr_ok(&ds->ds_addr))
		return "bad real server address";
	if ((fwd = ipvs_fwd(ds->ds_fwd)) == -1)
		return "bad forwarding method";
	/* the kernel's weight is an int */
	if (ds->ds_weight > INT32_MAX)
		return "weight out of range";
	if (ds->ds_disabled > 1)
		return "bad disabled flag";
	if (ds->ds_fixed >= FIXED_MAX || ds->ds_pad[0] || ds->ds_pad[1] ||
	    ds->ds_pad[2])
		return "bad fixed state";
	vs = &t->t_services[ds->ds_service].ts_want;
	td = &t->t_dests[ds->ds_id];
	td->td_service = ds->ds_service;
	td->td_want.rd_addr = ds->ds_addr;
	td->td_want.rd_fwd = fwd;
	td->td_want.rd_port = table_dest_port(vs, fwd, ds->ds_port);
	td->td_want.rd_weight = ds->ds_weight;
	td->td_want.rd_uthresh = ds->ds_uthresh;
	td->td_want.rd_lthresh = ds->ds_lthresh;
	td->td_disabled = ds->ds_disabled;
	table_dest_fix(td, ds->ds_fixed);
	t->t_gotdests++;
	return NULL;
}

static int
table_svckey_cmp(const void *a, const void *b, void *arg)
{
	const struct table	*t = arg;

	return ipvs_service_cmp(
	    &t->t_services[*(const uint32_t *)a].ts_want,
	    &t->t_services[*(const uint32_t *)b].ts_want);
}

/* By service key, then real key, then id: the first of equals wins. */
static int
table_destkey_cmp(const void *a, const void *b, void *arg)
{
	const struct table	*t = arg;
	uint32_t		 ia = *(const uint32_t *)a;
	uint32_t		 ib = *(const uint32_t *)b;
	const struct table_dest	*da = &t->t_dests[ia], *db = &t->t_dests[ib];
	int			 r;

	if (da->td_service != db->td_service &&
	    (r = ipvs_service_cmp(&t->t_services[da->td_service].ts_want,
	    &t->t_services[db->td_service].ts_want)) != 0)
		return r;
	if ((r = ipvs_dest_cmp(&da->td_want, &db->td_want)) != 0)
		return r;
	return ia < ib ? -1 : ia > ib;
}

/* Group the reals by service, keeping the parent's order in each. */
static void
table_group(struct table *t)
{
	uint32_t	 i, s, pos;

	t->t_order = table_calloc(t->t_ndests, sizeof(*t->t_order));
	for (i = 0; i < t->t_ndests; i++)
		t->t_services[t->t_dests[i].td_service].ts_nreals++;
	for (pos = 0, s = 0; s < t->t_nservices; s++) {
		t->t_services[s].ts_first = pos;
		pos += t->t_services[s].ts_nreals;
		t->t_services[s].ts_nreals = 0;
	}
	for (i = 0; i < t->t_ndests; i++) {
		struct table_service *ts =
		    &t->t_services[t->t_dests[i].td_service];

		t->t_order[ts->ts_first + ts->ts_nreals++] = i;
	}
}

static void
table_warn_dest(const struct table *t, uint32_t id, const char *what)
{
	const struct table_dest	*td = &t->t_dests[id];
	char			 svc[ADDR_STRLEN + 16], rs[ADDR_STRLEN];

	log_warnx("real %s of %s %s",
	    addr_port_ntop(&td->td_want.rd_addr, td->td_want.rd_port, rs,
	    sizeof(rs)),
	    describe_service(&t->t_services[td->td_service].ts_want, svc,
	    sizeof(svc)), what);
}

/*
 * Two reals of one service that the kernel would see as one (gate and
 * ipip reals take the virtual's port) cannot both be managed: the first
 * is, the others are ignored, and the log says so.
 */
static void
table_mark_shadowed(struct table *t)
{
	uint32_t		 i;
	struct table_dest	*prev, *cur;

	t->t_destkey = table_calloc(t->t_ndests, sizeof(*t->t_destkey));
	for (i = 0; i < t->t_ndests; i++)
		t->t_destkey[i] = i;
	qsort_r(t->t_destkey, t->t_ndests, sizeof(*t->t_destkey),
	    table_destkey_cmp, t);
	for (i = 1; i < t->t_ndests; i++) {
		prev = &t->t_dests[t->t_destkey[i - 1]];
		cur = &t->t_dests[t->t_destkey[i]];
		if (prev->td_service != cur->td_service ||
		    ipvs_dest_cmp(&prev->td_want, &cur->td_want) != 0)
			continue;
		cur->td_shadowed = 1;
		table_warn_dest(t, t->t_destkey[i], "is listed twice "
		    "(the kernel keys reals by address and port, and gate and "
		    "ipip reals take the virtual's port): only the first is "
		    "managed");
	}
}

/*
 * A fallback that is also one of the service's reals would put a real
 * the checker found down back in service: the real wins, the fallback is
 * not used for that service.
 */
static void
table_check_fallbacks(struct table *t)
{
	struct table_service	*ts;
	uint32_t		 s, i;

	for (s = 0; s < t->t_nservices; s++) {
		ts = &t->t_services[s];
		if (!ts->ts_has_fallback)
			continue;
		for (i = 0; i < ts->ts_nreals; i++)
			if (ipvs_dest_cmp(&ts->ts_fallback,
			    &t->t_dests[t->t_order[ts->ts_first + i]].td_want)
			    == 0)
				break;
		if (i == ts->ts_nreals)
			continue;
		table_warn_dest(t, t->t_order[ts->ts_first + i],
		    "is also the service's fallback: the fallback is not used "
		    "for this service");
		ts->ts_has_fallback = 0;
	}
}

/* CONF_END: complete?  Then index it.  NULL, or why not. */
const char *
table_end(struct table *t)
{
	uint32_t	 i;

	if (t->t_gotservices != t->t_nservices ||
	    t->t_gotdests != t->t_ndests)
		return "fewer items than announced";
	t->t_svckey = table_calloc(t->t_nservices, sizeof(*t->t_svckey));
	for (i = 0; i < t->t_nservices; i++)
		t->t_svckey[i] = i;
	qsort_r(t->t_svckey, t->t_nservices, sizeof(*t->t_svckey),
	    table_svckey_cmp, t);
	for (i = 1; i < t->t_nservices; i++)
		if (ipvs_service_cmp(&t->t_services[t->t_svckey[i - 1]].ts_want,
		    &t->t_services[t->t_svckey[i]].ts_want) == 0)
			return "the same virtual service twice";
	table_group(t);
	table_mark_shadowed(t);
	table_check_fallbacks(t);
	t->t_dirty = table_calloc(t->t_nservices, sizeof(*t->t_dirty));
	for (i = 0; i < t->t_nservices; i++) {
		t->t_services[i].ts_dirty = 1;
		t->t_dirty[i] = i;
	}
	t->t_ndirty = t->t_nservices;
	return NULL;
}

/* A STATE of this table's generation that came before its END. */
void
table_early_state(struct table *t, uint32_t id, int up)
{
	t->t_early[id] = 1 + (up ? RS_UP : RS_DOWN);
}

struct table_service *
table_find_service(const struct table *t, const struct ipvs_service *key)
{
	size_t	 lo = 0, hi = t->t_nservices, mid;
	int	 r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = ipvs_service_cmp(key,
		    &t->t_services[t->t_svckey[mid]].ts_want);
		if (r == 0)
			return &t->t_services[t->t_svckey[mid]];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * table_find_service, trying service s of t first: a reload that keeps
 * the order of the file has each service where it was.  No two services
 * of a table share a key (table_end refuses it): that one is the one.
 */
struct table_service *
table_find_service_at(const struct table *t, uint32_t s,
    const struct ipvs_service *key)
{
	if (s < t->t_nservices &&
	    ipvs_service_cmp(key, &t->t_services[s].ts_want) == 0)
		return &t->t_services[s];
	return table_find_service(t, key);
}

/* Compare a (service, real) key with the configured real id of t. */
static int
table_destkey_find_cmp(const struct table *t, const struct ipvs_service *vs,
    const struct ipvs_dest *rd, uint32_t id)
{
	const struct table_dest	*td = &t->t_dests[id];
	int			 r;

	if ((r = ipvs_service_cmp(vs,
	    &t->t_services[td->td_service].ts_want)) != 0)
		return r;
	return ipvs_dest_cmp(rd, &td->td_want);
}

/*
 * The configured real of t with this service and real key: the first of
 * equals, the one that was managed.
 */
static const struct table_dest *
table_find_dest(const struct table *t, const struct ipvs_service *vs,
    const struct ipvs_dest *rd)
{
	size_t	 lo = 0, hi = t->t_ndests, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (table_destkey_find_cmp(t, vs, rd, t->t_destkey[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == t->t_ndests ||
	    table_destkey_find_cmp(t, vs, rd, t->t_destkey[lo]) != 0)
		return NULL;
	return &t->t_dests[t->t_destkey[lo]];
}

/*
 * table_find_dest, trying real id of t first, as a reload that keeps the
 * order of the file has it.  A real that is not shadowed is the first of
 * its key (table_mark_shadowed): the one the search finds too.
 */
static const struct table_dest *
table_find_dest_at(const struct table *t, uint32_t id,
    const struct ipvs_service *vs, const struct ipvs_dest *rd)
{
	if (id < t->t_ndests && !t->t_dests[id].td_shadowed &&
	    table_destkey_find_cmp(t, vs, rd, id) == 0)
		return &t->t_dests[id];
	return table_find_dest(t, vs, rd);
}

/*
 * A reload keeps what the checker said about the reals that stay (same
 * service, same address and port), then takes the STATEs of the new
 * generation that overtook its END; a real whose state is fixed keeps
 * the config's.
 */
void
table_inherit(struct table *t, const struct table *old)
{
	const struct table_dest	*od;
	struct table_dest	*td;
	uint32_t		 i;

	for (i = 0; old != NULL && i < t->t_ndests; i++) {
		td = &t->t_dests[i];
		od = table_find_dest_at(old, i,
		    &t->t_services[td->td_service].ts_want, &td->td_want);
		if (od != NULL && !td->td_fixed)
			td->td_state = od->td_state;
	}
	for (i = 0; i < t->t_ndests; i++)
		if (t->t_early[i] != 0 && !t->t_dests[i].td_fixed)
			t->t_dests[i].td_state = t->t_early[i] - 1;
	free(t->t_early);
	t->t_early = NULL;
}

/* 1 if the state changed (and the service needs planning), else 0. */
int
table_set_state(struct table *t, uint32_t id, int up)
{
	struct table_dest	*td = &t->t_dests[id];
	uint8_t			 st = up ? RS_UP : RS_DOWN;

	if (td->td_state == st || td->td_fixed)
		return 0;
	td->td_state = st;
	if (!t->t_services[td->td_service].ts_dirty) {
		t->t_services[td->td_service].ts_dirty = 1;
		t->t_dirty[t->t_ndirty++] = td->td_service;
	}
	return 1;
}

static int
table_id_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The services marked dirty since the last call, in id order, into *ids
 * (valid until the next call); they are no longer marked.  A burst of
 * STATEs costs what it changes, not a walk of every service.
 */
uint32_t
table_take_dirty(struct table *t, uint32_t **ids)
{
	uint32_t	 i, n = t->t_ndirty;

	qsort(t->t_dirty, n, sizeof(*t->t_dirty), table_id_cmp);
	for (i = 0; i < n; i++)
		t->t_services[t->t_dirty[i]].ts_dirty = 0;
	t->t_ndirty = 0;
	*ids = t->t_dirty;
	return n;
}

void
table_free(struct table *t)
{
	uint32_t	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->t_nservices; i++)
		free(t->t_services[i].ts_kdests);
	free(t->t_services);
	free(t->t_dests);
	free(t->t_order);
	free(t->t_svckey);
	free(t->t_destkey);
	free(t->t_dirty);
	free(t->t_early);
	free(t);
}

/* Forget the kernel model before a dump fills it again. */
void
table_kernel_reset(struct table *t)
{
	uint32_t	 i;

	for (i = 0; i < t->t_nservices; i++) {
		t->t_services[i].ts_kpresent = 0;
		t->t_services[i].ts_nkdests = 0;
	}
}

/*
 * A reload keeps a service: its model moves from the previous table's
 * entry (from) to the new one's (ts), which has none yet.
 */
void
table_kernel_take(struct table_service *ts, struct table_service *from)
{
	free(ts->ts_kdests);
	ts->ts_kpresent = from->ts_kpresent;
	ts->ts_kern = from->ts_kern;
	ts->ts_kdests = from->ts_kdests;
	ts->ts_nkdests = from->ts_nkdests;
	ts->ts_kcap = from->ts_kcap;
	from->ts_kdests = NULL;
	from->ts_nkdests = 0;
	from->ts_kcap = 0;
}

void
table_kernel_service(struct table_service *ts, const struct ipvs_service *vs)
{
	ts->ts_kpresent = 1;
	ts->ts_kern = *vs;
	ts->ts_nkdests = 0;
}

/* Append one dest; table_kernel_sort() restores the order after a dump. */
void
table_kernel_dest(struct table_service *ts, const struct ipvs_dest *rd)
{
	struct ipvs_dest	*p;
	size_t			 cap;

	if (ts->ts_nkdests == ts->ts_kcap) {
		cap = ts->ts_kcap == 0 ? 8 : ts->ts_kcap * 2;
		if ((p = reallocarray(ts->ts_kdests, cap, sizeof(*p))) ==
		    NULL)
			fatal("%s", __func__);
		ts->ts_kdests = p;
		ts->ts_kcap = cap;
	}
	ts->ts_kdests[ts->ts_nkdests++] = *rd;
}

static int
table_kdest_cmp(const void *a, const void *b)
{
	return ipvs_dest_cmp(a, b);
}

void
table_kernel_sort(struct table_service *ts)
{
	if (ts->ts_nkdests > 1)
		qsort(ts->ts_kdests, ts->ts_nkdests, sizeof(*ts->ts_kdests),
		    table_kdest_cmp);
}

struct ipvs_dest *
table_kernel_find(const struct table_service *ts, const struct ipvs_dest *key)
{
	if (ts->ts_nkdests == 0)
		return NULL;
	return bsearch(key, ts->ts_kdests, ts->ts_nkdests,
	    sizeof(*ts->ts_kdests), table_kdest_cmp);
}

/* Insert rd, or replace the dest with its key; the order is kept. */
void
table_kernel_put(struct table_service *ts, const struct ipvs_dest *rd)
{
	struct ipvs_dest	*old;
	size_t			 lo = 0, hi = ts->ts_nkdests, mid;

	if ((old = table_kernel_find(ts, rd)) != NULL) {
		*old = *rd;
		return;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ipvs_dest_cmp(rd, &ts->ts_kdests[mid]) < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	table_kernel_dest(ts, rd);
	memmove(&ts->ts_kdests[lo + 1], &ts->ts_kdests[lo],
	    (ts->ts_nkdests - 1 - lo) * sizeof(*ts->ts_kdests));
	ts->ts_kdests[lo] = *rd;
}

void
table_kernel_del(struct table_service *ts, const struct ipvs_dest *key)
{
	struct ipvs_dest	*rd;
	size_t			 i;

	if ((rd = table_kernel_find(ts, key)) == NULL)
		return;
	i = rd - ts->ts_kdests;
	memmove(rd, rd + 1, (ts->ts_nkdests - i - 1) * sizeof(*rd));
	ts->ts_nkdests--;
}
