/*
 * What the parent knows of each real server: the checker's RESULTs (state,
 * last verdict, why, how long it took), when the state last changed, and
 * the kernel's weight; shown by `lvsd show` (text or JSON) and `lvsd
 * metrics` (Prometheus text format).  One entry per real of the config in
 * force, by the id the parent gave it; a reload keeps the entries of the
 * reals it keeps.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"

static struct rstatus	*st_tab;
static uint32_t		 st_n;

/*
 * A new config is in force (its old one not freed yet): one entry per
 * real, what was known of a kept real stays.
 */
void
status_rebuild(const struct conf *c)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	struct rstatus			*tab;
	struct keyidx			 old;
	uint64_t			 now = ev_now();
	uint32_t			 i = 0;
	long				 o;

	if ((tab = calloc(c->c_nreals ? c->c_nreals : 1, sizeof(*tab))) ==
	    NULL)
		fatal("%s", __func__);
	keyidx_build(&old, st_tab, st_n, sizeof(*st_tab),
	    offsetof(struct rstatus, st_v), offsetof(struct rstatus, st_r));
	TAILQ_FOREACH(v, &c->c_virtuals, v_entry)
		TAILQ_FOREACH(r, &v->v_reals, r_entry) {
			if ((o = keyidx_find_at(&old, i, v, r)) != -1)
				tab[i] = st_tab[o];
			else
				tab[i].st_since_ms = now;
			tab[i].st_v = v;
			tab[i].st_r = r;
			tab[i].st_disabled = maint_is_disabled(&r->r_addr,
			    r->r_port);
			i++;
		}
	keyidx_free(&old);
	free(st_tab);
	st_tab = tab;
	st_n = i;
}

/* disable/enable changed: mark the entries again. */
void
status_maint_changed(void)
{
	uint32_t	 i;

	for (i = 0; i < st_n; i++)
		st_tab[i].st_disabled = maint_is_disabled(&st_tab[i].st_r->r_addr,
		    st_tab[i].st_r->r_port);
	hooks_evaluate_all();
	alerts_evaluate_all();
}

/* A RESULT from the checker; a malformed one drops the checker. */
void
status_result(struct msg_chan *mc, uint32_t gen, const struct msg_result *rs)
{
	struct rstatus	*st;
	char		*p;
	int		 changed, was_known;

	if (gen > env->e_gen || rs->rs_up > STATE_UP ||
	    rs->rs_state > STATE_UNKNOWN || rs->rs_pad != 0 ||
	    !msg_str_ok(rs->rs_reason, sizeof(rs->rs_reason))) {
		msg_chan_drop(mc, "malformed RESULT");
		return;
	}
	if (gen < env->e_gen)
		return;		/* a reload raced it */
	if (rs->rs_id >= st_n) {
		msg_chan_drop(mc, "RESULT for real %u of %u", rs->rs_id, st_n);
		return;
	}
	st = &st_tab[rs->rs_id];
	/* a verdict, up or down: unknown is none */
	was_known = st->st_known && st->st_up != STATE_UNKNOWN;
	changed = !st->st_known || st->st_up != rs->rs_state;
	if (changed) {
		/* from up to down or back: not from or to unknown */
		if (st->st_known && st->st_up != STATE_UNKNOWN &&
		    rs->rs_state != STATE_UNKNOWN)
			st->st_transitions++;
		st->st_since_ms = ev_now();
	}
	st->st_known = 1;
	st->st_up = rs->rs_state;
	st->st_last_up = rs->rs_up;
	st->st_latency_us = rs->rs_latency_us;
	strlcpy(st->st_reason, rs->rs_reason, sizeof(st->st_reason));
	/* from a process a real server may have taken over: printable only */
	for (p = st->st_reason; *p != '\0'; p++)
		if (!isprint((unsigned char)*p) || *p == '"' || *p == '\\')
			*p = '?';
	monitor_result(st->st_v, st->st_r, rs->rs_up, st->st_reason);
	if (changed) {
		hooks_real_changed(rs->rs_id);
		alerts_real_changed(rs->rs_id, was_known);
	}
}

/* The entry of real id of the config in force, or NULL. */
const struct rstatus *
status_get(uint32_t id)
{
	return id < st_n ? &st_tab[id] : NULL;
}

/* The check counts of real id, for metrics.c to add to, or NULL. */
struct rcounts *
status_counts(uint32_t id)
{
	return id < st_n ? &st_tab[id].st_counts : NULL;
}

static const char *
status_state(const struct rstatus *st)
{
	if (st->st_disabled)
		return "disabled";
	if (!st->st_known || st->st_up == STATE_UNKNOWN)
		return "unknown";
	return st->st_up ? "up" : "down";
}

static const char *
status_proto(const struct conf_virtual *v)
{
	return v->v_proto == PROTO_FWM ? "FWM" : v->v_proto == PROTO_UDP ?
	    "UDP" : "TCP";
}

static void
status_virtual_name(const struct conf_virtual *v, char *buf, size_t len)
{
	if (v->v_proto == PROTO_FWM)
		snprintf(buf, len, "%u", v->v_fwmark);
	else
		addr_port_ntop(&v->v_addr, v->v_port, buf, len);
}

static const char *
status_fwd(unsigned int fwd)
{
	return fwd == FWD_MASQ ? "masq" : fwd == FWD_IPIP ? "ipip" : "gate";
}

static void
status_text_real(FILE *out, const struct rstatus *st, const struct ktable *kt,
    uint64_t now)
{
	char	 rn[ADDR_STRLEN], kw[24];
	long	 w;

	addr_port_ntop(&st->st_r->r_addr, st->st_r->r_port, rn, sizeof(rn));
	if ((w = kernel_weight(kt, st->st_v, &st->st_r->r_addr,
	    st->st_r->r_port)) < 0)
		strlcpy(kw, "-", sizeof(kw));
	else
		snprintf(kw, sizeof(kw), "%ld", w);
	fprintf(out, "  %-30s %-8s %7llus %6u %6s  ", rn, status_state(st),
	    (unsigned long long)(now - st->st_since_ms) / 1000,
	    st->st_r->r_weight, kw);
	if (st->st_known)
		fprintf(out, "%s in %u ms (%s)\n", st->st_last_up ? "ok" :
		    "failed", st->st_latency_us / 1000, st->st_reason);
	else
		fprintf(out, "none yet\n");
}

/* The fallback's port: its own, else the virtual's (as confmsg.c). */
static uint16_t
status_fb_port(const struct conf_virtual *v)
{
	return v->v_fallback.fb_port != 0 ? v->v_fallback.fb_port : v->v_port;
}

static void
status_show_text(FILE *out, const struct ktable *kt)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	char				 vn[ADDR_STRLEN], fn[ADDR_STRLEN];
	uint64_t			 now = ev_now();
	uint32_t			 i = 0;
	long				 w;

	fprintf(out, "configuration %u of %s\n", env->e_gen, env->e_conffile);
	showsync_text(out, env->e_conf);
	TAILQ_FOREACH(v, &env->e_conf->c_virtuals, v_entry) {
		status_virtual_name(v, vn, sizeof(vn));
		fprintf(out, "\n%s %s %s%s\n  %-30s %-8s %8s %6s %6s  %s\n",
		    status_proto(v), vn, v->v_sched,
		    v->v_quiescent ? " quiescent" : "", "REAL", "STATE",
		    "SINCE", "WEIGHT", "IPVS", "LAST CHECK");
		TAILQ_FOREACH(r, &v->v_reals, r_entry)
			if (i < st_n)
				status_text_real(out, &st_tab[i++], kt, now);
		if (!v->v_fallback.fb_set)
			continue;
		addr_port_ntop(&v->v_fallback.fb_addr, status_fb_port(v), fn,
		    sizeof(fn));
		w = kernel_weight(kt, v, &v->v_fallback.fb_addr,
		    status_fb_port(v));
		fprintf(out, "  %-30s %-8s %8s %6s %6s\n", fn, "fallback", "",
		    "", w < 0 ? "-" : "1");
	}
}

static void
status_json_real(FILE *out, const struct rstatus *st, const struct ktable *kt,
    uint64_t now)
{
	char	 a[ADDR_STRLEN];
	long	 w;

	w = kernel_weight(kt, st->st_v, &st->st_r->r_addr, st->st_r->r_port);
	fprintf(out, "{\"address\": \"%s\", \"port\": %u, \"forward\": "
	    "\"%s\", \"weight\": %u, \"state\": \"%s\", \"disabled\": %s, "
	    "\"since_change_s\": %llu, ", addr_ntop(&st->st_r->r_addr, a,
	    sizeof(a)), st->st_r->r_port, status_fwd(st->st_r->r_fwd),
	    st->st_r->r_weight, status_state(st),
	    st->st_disabled ? "true" : "false",
	    (unsigned long long)(now - st->st_since_ms) / 1000);
	if (w < 0)
		fprintf(out, "\"ipvs_weight\": null, ");
	else
		fprintf(out, "\"ipvs_weight\": %ld, ", w);
	if (st->st_known)
		fprintf(out, "\"last_check\": {\"up\": %s, \"latency_ms\": "
		    "%.3f, \"reason\": \"%s\"}}", st->st_last_up ? "true" :
		    "false", st->st_latency_us / 1000.0, st->st_reason);
	else
		fprintf(out, "\"last_check\": null}");
}

static void
status_json_fallback(FILE *out, const struct conf_virtual *v,
    const struct ktable *kt)
{
	char	 a[ADDR_STRLEN];
	long	 w;

	if (!v->v_fallback.fb_set) {
		fprintf(out, "\"fallback\": null");
		return;
	}
	w = kernel_weight(kt, v, &v->v_fallback.fb_addr, status_fb_port(v));
	fprintf(out, "\"fallback\": {\"address\": \"%s\", \"port\": %u, "
	    "\"forward\": \"%s\", \"in_table\": %s}",
	    addr_ntop(&v->v_fallback.fb_addr, a, sizeof(a)),
	    status_fb_port(v), status_fwd(v->v_fallback.fb_fwd),
	    w < 0 ? "false" : "true");
}

static void
status_show_json(FILE *out, const struct ktable *kt)
{
	const struct conf_virtual	*v;
	const struct conf_real		*r;
	char				 a[ADDR_STRLEN];
	uint64_t			 now = ev_now();
	uint32_t			 i = 0;

	fprintf(out, "{\"generation\": %u, \"sync\": ", env->e_gen);
	showsync_json(out, env->e_conf);
	fprintf(out, ", \"virtuals\": [");
	TAILQ_FOREACH(v, &env->e_conf->c_virtuals, v_entry) {
		fprintf(out, "%s{\"protocol\": \"%s\", \"address\": \"%s\", "
		    "\"port\": %u, \"fwmark\": %u, \"scheduler\": \"%s\", "
		    "\"quiescent\": %s, ",
		    v == TAILQ_FIRST(&env->e_conf->c_virtuals) ? "" : ", ",
		    status_proto(v), v->v_proto == PROTO_FWM ? "" :
		    addr_ntop(&v->v_addr, a, sizeof(a)), v->v_port,
		    v->v_fwmark, v->v_sched,
		    v->v_quiescent ? "true" : "false");
		status_json_fallback(out, v, kt);
		fprintf(out, ", \"reals\": [");
		TAILQ_FOREACH(r, &v->v_reals, r_entry) {
			if (i >= st_n)
				break;
			if (r != TAILQ_FIRST(&v->v_reals))
				fprintf(out, ", ");
			status_json_real(out, &st_tab[i++], kt, now);
		}
		fprintf(out, "]}");
	}
	fprintf(out, "]}\n");
}

void
status_show(FILE *out, int json)
{
	struct ktable	 kt;

	kernel_table_read(&kt);
	if (json)
		status_show_json(out, &kt);
	else
		status_show_text(out, &kt);
	kernel_table_free(&kt);
}

enum metric {
	M_UP,
	M_LATENCY,
	M_TRANSITIONS,
	M_DISABLED,
	M_WEIGHT,
	M_COUNT
};

static const char *const metric_head[M_COUNT] = {
	"lvsd_real_up 1 up, 0 down, -1 not checked yet.\n"
	"# TYPE lvsd_real_up gauge",
	"lvsd_real_check_latency_seconds How long the last check took.\n"
	"# TYPE lvsd_real_check_latency_seconds gauge",
	"lvsd_real_transitions_total Changes of state since lvsd started.\n"
	"# TYPE lvsd_real_transitions_total counter",
	"lvsd_real_disabled 1 if taken out by lvsd disable.\n"
	"# TYPE lvsd_real_disabled gauge",
	"lvsd_real_ipvs_weight The weight in the kernel's table; no "
	"sample if absent.\n# TYPE lvsd_real_ipvs_weight gauge",
};

/* One sample of metric m for st, or none. */
static void
status_sample(FILE *out, enum metric m, const struct rstatus *st,
    const struct ktable *kt)
{
	char	 lb[METRICS_LABELS_LEN], name[64];
	long	 w;

	metrics_labels(st, lb, sizeof(lb));
	strlcpy(name, metric_head[m], sizeof(name));
	name[strcspn(name, " ")] = '\0';
	fprintf(out, "%s{%s} ", name, lb);
	switch (m) {
	case M_UP:
		fprintf(out, "%d\n", st->st_known &&
		    st->st_up != STATE_UNKNOWN ? st->st_up : -1);
		break;
	case M_LATENCY:
		fprintf(out, "%.6f\n", st->st_latency_us / 1e6);
		break;
	case M_TRANSITIONS:
		fprintf(out, "%llu\n", (unsigned long long)st->st_transitions);
		break;
	case M_DISABLED:
		fprintf(out, "%d\n", st->st_disabled);
		break;
	default:
		w = kernel_weight(kt, st->st_v, &st->st_r->r_addr,
		    st->st_r->r_port);
		fprintf(out, "%ld\n", w);
		break;
	}
}

/* Prometheus text exposition format 0.0.4: each metric in one group. */
void
status_metrics(FILE *out)
{
	struct ktable	 kt;
	uint32_t	 i;
	int		 c, m;

	kernel_table_read(&kt);
	fprintf(out, "# HELP lvsd_config_generation The configuration in "
	    "force.\n# TYPE lvsd_config_generation gauge\n"
	    "lvsd_config_generation %u\n", env->e_gen);
	fprintf(out, "# HELP lvsd_reloads_total Reloads, by result.\n"
	    "# TYPE lvsd_reloads_total counter\n"
	    "lvsd_reloads_total{result=\"ok\"} %u\n"
	    "lvsd_reloads_total{result=\"failed\"} %u\n",
	    env->e_reloads, env->e_reload_failures);
	fprintf(out, "# HELP lvsd_child_restarts_total Restarts of a child "
	    "process.\n# TYPE lvsd_child_restarts_total counter\n");
	for (c = 0; c < CHILD_COUNT; c++)
		fprintf(out, "lvsd_child_restarts_total{child=\"%s\"} %u\n",
		    env->e_children[c].ch_name, env->e_children[c].ch_restarts);
	for (m = 0; m < M_COUNT; m++) {
		fprintf(out, "# HELP %s\n", metric_head[m]);
		for (i = 0; i < st_n; i++)
			if (m != M_WEIGHT || kernel_weight(&kt, st_tab[i].st_v,
			    &st_tab[i].st_r->r_addr, st_tab[i].st_r->r_port) >= 0)
				status_sample(out, m, &st_tab[i], &kt);
	}
	showsync_metrics(out, env->e_conf);
	metrics_write(out, st_tab, st_n);
	kernel_table_free(&kt);
}
