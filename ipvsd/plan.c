/*
 * The table policy: from the configured table, each real server's state
 * and the model of the kernel's table, the list of netlink operations that
 * makes the kernel what it should be.  Pure: no I/O, no clock, so every
 * rule can be tested without a kernel.
 *
 *  - A real the checker said UP is present with its configured weight,
 *    forwarding method and thresholds.
 *  - DOWN: present with weight 0 in a quiescent service, else absent.
 *    But a quiesced real that someone else removed from the kernel is
 *    put back only by a new configuration (start, reload), as
 *    ldirectord's start does, or with readdquiescent, whenever ipvsd
 *    reads the table again (after a refused change): without it, it
 *    stays out until it is up again, as in ldirectord.
 *  - Not checked yet (UNKNOWN): whatever the kernel has stays.  Only a
 *    real in service (weight > 0) with other attributes than configured
 *    is corrected; an absent one is added with weight 0 if the service is
 *    quiescent.  So nothing gets traffic before the checker said UP,
 *    except a real the kernel already sends traffic to: a restart of lvsd
 *    or ipvsd does not disturb a running table.
 *  - A real whose check needs no probe (checktype on, off, service
 *    none) is UP or DOWN from the start: the config says (td_fixed).
 *  - The fallback is present iff every real is DOWN; while some are not
 *    checked yet and none is UP, a fallback already present stays.
 *  - Any other real in a configured service is purged.
 *  - A real disabled by hand is DOWN, whatever the checker says.
 * Within a service, operations that put a server in service come before
 * those that take one out, so it is never left without one in between.
 */
#include <stdlib.h>
#include <string.h>

#include "ipvsd.h"
#include "log.h"

void
plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
}

void
plan_clear(struct plan *p)
{
	p->p_nops = 0;
	p->p_ndels = 0;
}

void
plan_free(struct plan *p)
{
	free(p->p_ops);
	free(p->p_dels);
	free(p->p_seen);
	plan_init(p);
}

static struct plan_op *
plan_grow(struct plan_op **ops, size_t *n, size_t *cap)
{
	struct plan_op	*p;
	size_t		 ncap;

	if (*n == *cap) {
		ncap = *cap == 0 ? 16 : *cap * 2;
		if ((p = reallocarray(*ops, ncap, sizeof(*p))) == NULL)
			fatal("%s", __func__);
		*ops = p;
		*cap = ncap;
	}
	p = &(*ops)[(*n)++];
	memset(p, 0, sizeof(*p));
	return p;
}

static struct plan_op *
plan_push(struct plan *p, int cmd, int why, const struct table *t,
    uint32_t s)
{
	struct plan_op	*op;

	if (cmd == PLAN_DEL_DEST)
		op = plan_grow(&p->p_dels, &p->p_ndels, &p->p_delcap);
	else
		op = plan_grow(&p->p_ops, &p->p_nops, &p->p_cap);
	op->op_cmd = cmd;
	op->op_why = why;
	op->op_service = s;
	op->op_vs = t->t_services[s].ts_want;
	return op;
}

static void
plan_dest(struct plan *p, int cmd, int why, const struct table *t,
    uint32_t s, const struct ipvs_dest *rd, const struct ipvs_dest *old)
{
	struct plan_op	*op;

	op = plan_push(p, cmd, why, t, s);
	op->op_rd = *rd;
	if (old != NULL)
		op->op_oldrd = *old;
}

/* Make the kernel's entry kd (NULL: none) into want. */
static void
plan_make(struct plan *p, int why, const struct table *t, uint32_t s,
    const struct ipvs_dest *want, const struct ipvs_dest *kd)
{
	if (kd == NULL)
		plan_dest(p, PLAN_NEW_DEST, why, t, s, want, NULL);
	else if (!ipvs_dest_same(kd, want))
		plan_dest(p, PLAN_SET_DEST, why, t, s, want, kd);
}

/* Find the kernel's entry for rd and mark it as accounted for. */
static const struct ipvs_dest *
plan_match(struct plan *p, const struct table_service *ts,
    const struct ipvs_dest *rd)
{
	const struct ipvs_dest	*kd;

	if (!ts->ts_kpresent || (kd = table_kernel_find(ts, rd)) == NULL)
		return NULL;
	p->p_seen[kd - ts->ts_kdests] = 1;
	return kd;
}

/* The state the table follows: the checker's, unless disabled. */
static int
plan_state(const struct table_dest *td)
{
	return td->td_disabled ? RS_DOWN : td->td_state;
}

static void
plan_real(struct plan *p, const struct table *t, uint32_t s,
    const struct table_dest *td)
{
	const struct table_service	*ts = &t->t_services[s];
	const struct ipvs_dest		*kd;
	struct ipvs_dest		 want = td->td_want;
	int				 why;

	kd = plan_match(p, ts, &want);
	why = td->td_disabled ? WHY_DISABLED : WHY_DOWN;
	switch (plan_state(td)) {
	case RS_UP:
		plan_make(p, WHY_UP, t, s, &want, kd);
		break;
	case RS_DOWN:
		want.rd_weight = 0;
		if (ts->ts_quiescent && (kd != NULL || ts->ts_readd ||
		    p->p_newconf))
			plan_make(p, why, t, s, &want, kd);
		else if (kd != NULL)
			plan_dest(p, PLAN_DEL_DEST, why, t, s, kd, NULL);
		break;
	default:
		if (kd != NULL && kd->rd_weight > 0)
			plan_make(p, WHY_UNCHECKED, t, s, &want, kd);
		else if (kd == NULL && ts->ts_quiescent) {
			want.rd_weight = 0;
			plan_make(p, WHY_UNCHECKED, t, s, &want, NULL);
		}
		break;
	}
}

static void
plan_fallback(struct plan *p, const struct table *t, uint32_t s,
    uint32_t nup, uint32_t nunknown)
{
	const struct table_service	*ts = &t->t_services[s];
	const struct ipvs_dest		*kd;

	if (!ts->ts_has_fallback)
		return;
	kd = plan_match(p, ts, &ts->ts_fallback);
	if ((nup == 0 && nunknown == 0) || (nup == 0 && kd != NULL))
		plan_make(p, WHY_FALLBACK_ON, t, s, &ts->ts_fallback, kd);
	else if (kd != NULL)
		plan_dest(p, PLAN_DEL_DEST, WHY_FALLBACK_OFF, t, s, kd, NULL);
}

static void
plan_seen_reset(struct plan *p, size_t n)
{
	uint8_t	*q;

	if (n > p->p_seencap) {
		if ((q = realloc(p->p_seen, n)) == NULL)
			fatal("%s", __func__);
		p->p_seen = q;
		p->p_seencap = n;
	}
	if (n > 0)
		memset(p->p_seen, 0, n);
}

static void
plan_service_attrs(struct plan *p, const struct table *t, uint32_t s)
{
	const struct table_service	*ts = &t->t_services[s];
	struct plan_op			*op;

	if (!ts->ts_kpresent)
		plan_push(p, PLAN_NEW_SERVICE, WHY_CONFIG, t, s);
	else if (!ipvs_service_same(&ts->ts_kern, &ts->ts_want)) {
		op = plan_push(p, PLAN_SET_SERVICE, WHY_CONFIG, t, s);
		op->op_oldvs = ts->ts_kern;
	}
}

/* Append the operations service s needs. */
void
plan_service(struct plan *p, const struct table *t, uint32_t s)
{
	const struct table_service	*ts = &t->t_services[s];
	const struct table_dest		*td;
	uint32_t			 i, nup = 0, nunknown = 0;
	size_t				 k;

	p->p_ndels = 0;
	plan_seen_reset(p, ts->ts_kpresent ? ts->ts_nkdests : 0);
	plan_service_attrs(p, t, s);
	for (i = 0; i < ts->ts_nreals; i++) {
		td = &t->t_dests[t->t_order[ts->ts_first + i]];
		if (td->td_shadowed)
			continue;
		nup += plan_state(td) == RS_UP;
		nunknown += plan_state(td) == RS_UNKNOWN;
	}
	/* first, so that the service always has a server */
	plan_fallback(p, t, s, nup, nunknown);
	for (i = 0; i < ts->ts_nreals; i++) {
		td = &t->t_dests[t->t_order[ts->ts_first + i]];
		if (!td->td_shadowed)
			plan_real(p, t, s, td);
	}
	for (k = 0; ts->ts_kpresent && k < ts->ts_nkdests; k++)
		if (!p->p_seen[k])
			plan_dest(p, PLAN_DEL_DEST, WHY_PURGE, t, s,
			    &ts->ts_kdests[k], NULL);
	for (k = 0; k < p->p_ndels; k++)
		*plan_grow(&p->p_ops, &p->p_nops, &p->p_cap) = p->p_dels[k];
	p->p_ndels = 0;
}

void
plan_table(struct plan *p, const struct table *t)
{
	uint32_t	 s;

	for (s = 0; s < t->t_nservices; s++)
		plan_service(p, t, s);
}

/*
 * A reload dropped these services from the configuration: they were
 * lvsd's, so they go, as ldirectord removes them.  Services lvsd never
 * configured are never touched.
 */
void
plan_removed(struct plan *p, const struct table *old, const struct table *t)
{
	uint32_t	 s;

	for (s = 0; s < old->t_nservices; s++)
		if (old->t_services[s].ts_kpresent &&
		    table_find_service_at(t, s, &old->t_services[s].ts_want)
		    == NULL)
			plan_push(p, PLAN_DEL_SERVICE, WHY_REMOVED, old, s);
}

/* cleanstop: every configured service the kernel has goes. */
void
plan_shutdown(struct plan *p, const struct table *t)
{
	uint32_t	 s;

	for (s = 0; s < t->t_nservices; s++)
		if (t->t_services[s].ts_kpresent &&
		    t->t_services[s].ts_cleanstop)
			plan_push(p, PLAN_DEL_SERVICE, WHY_SHUTDOWN, t, s);
}

/* The kernel accepted op: bring the model of it up to date. */
void
plan_commit(struct table *t, const struct plan_op *op)
{
	struct table_service	*ts;

	/* a removed service belongs to the previous table */
	if (op->op_why == WHY_REMOVED || op->op_service >= t->t_nservices)
		return;
	ts = &t->t_services[op->op_service];
	switch (op->op_cmd) {
	case PLAN_NEW_SERVICE:
		table_kernel_service(ts, &op->op_vs);
		break;
	case PLAN_SET_SERVICE:
		ts->ts_kern = op->op_vs;
		break;
	case PLAN_DEL_SERVICE:
		ts->ts_kpresent = 0;
		ts->ts_nkdests = 0;
		break;
	case PLAN_NEW_DEST:
	case PLAN_SET_DEST:
		table_kernel_put(ts, &op->op_rd);
		break;
	case PLAN_DEL_DEST:
		table_kernel_del(ts, &op->op_rd);
		break;
	}
}
