/*
 * Check counts, failures by reason and latency for `lvsd metrics`.  The
 * checker counts its probes and sends them as STATS in answer to each
 * PING (checker/stats.c); they are added here to the real's entry of
 * status.c, which a reload keeps for the reals it keeps.  So the figures
 * lag the checks by at most one heartbeat (WATCHDOG_INTERVAL_MS), and
 * the probes counted by a checker that dies before its next PONG are
 * lost: counters that may miss a few, never count one twice.
 */
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "lvsd.h"

static const char *const metrics_reasons[FAIL_CLASS_MAX] = {
	[FAIL_REFUSED] = "refused",
	[FAIL_TIMEOUT] = "timeout",
	[FAIL_UNREACHABLE] = "unreachable",
	[FAIL_CLOSED] = "closed",
	[FAIL_MISMATCH] = "mismatch",
	[FAIL_PROTOCOL] = "protocol",
	[FAIL_OTHER] = "other",
};

/* The label value of a failure class. */
const char *
metrics_reason_name(unsigned int class)
{
	return class < FAIL_CLASS_MAX ? metrics_reasons[class] : "?";
}

static void
metrics_add64(uint64_t *total, uint64_t n)
{
	*total = *total > UINT64_MAX - n ? UINT64_MAX : *total + n;
}

/* Add the counts of one STATS, already checked, to rc. */
void
metrics_add(struct rcounts *rc, const struct msg_stats *sa)
{
	int	 i;

	metrics_add64(&rc->rc_checks, sa->sa_checks);
	metrics_add64(&rc->rc_latency_us, sa->sa_latency_us);
	for (i = 0; i < FAIL_CLASS_MAX; i++)
		metrics_add64(&rc->rc_fails[i], sa->sa_fails[i]);
	for (i = 0; i < MSG_STATS_BUCKETS; i++)
		metrics_add64(&rc->rc_buckets[i], sa->sa_buckets[i]);
}

/* A STATS from the checker; a malformed one drops the checker. */
void
metrics_stats(struct msg_chan *mc, uint32_t gen, const void *payload)
{
	struct msg_stats	 copy;
	const struct msg_stats	*sa = &copy;
	struct rcounts		*rc;

	/* the payload follows an 8-byte header in a 4-aligned buffer */
	memcpy(&copy, payload, sizeof(copy));
	if (gen > env->e_gen || !msg_stats_ok(sa)) {
		msg_chan_drop(mc, "malformed STATS");
		return;
	}
	if (gen < env->e_gen)
		return;		/* counted for a config no longer in force */
	if ((rc = status_counts(sa->sa_id)) == NULL) {
		msg_chan_drop(mc, "STATS for real %u, out of range", sa->sa_id);
		return;
	}
	metrics_add(rc, sa);
}

/* virtual="TCP 192.0.2.1:80",real="10.0.0.1:80" */
void
metrics_labels(const struct rstatus *st, char *buf, size_t len)
{
	const struct conf_virtual	*v = st->st_v;
	char				 vn[ADDR_STRLEN], rn[ADDR_STRLEN];

	if (v->v_proto == PROTO_FWM)
		snprintf(vn, sizeof(vn), "%u", v->v_fwmark);
	else
		addr_port_ntop(&v->v_addr, v->v_port, vn, sizeof(vn));
	addr_port_ntop(&st->st_r->r_addr, st->st_r->r_port, rn, sizeof(rn));
	snprintf(buf, len, "virtual=\"%s %s\",real=\"%s\"",
	    v->v_proto == PROTO_FWM ? "FWM" : v->v_proto == PROTO_UDP ?
	    "UDP" : "TCP", vn, rn);
}

static void
metrics_write_checks(FILE *out, const struct rstatus *tab, uint32_t n)
{
	char		 lb[METRICS_LABELS_LEN];
	uint32_t	 i;
	unsigned int	 c;

	fprintf(out, "# HELP lvsd_real_checks_total Checks that ended.\n"
	    "# TYPE lvsd_real_checks_total counter\n");
	for (i = 0; i < n; i++) {
		metrics_labels(&tab[i], lb, sizeof(lb));
		fprintf(out, "lvsd_real_checks_total{%s} %llu\n", lb,
		    (unsigned long long)tab[i].st_counts.rc_checks);
	}
	fprintf(out, "# HELP lvsd_real_check_failures_total Checks that "
	    "failed, by reason.\n"
	    "# TYPE lvsd_real_check_failures_total counter\n");
	for (i = 0; i < n; i++) {
		metrics_labels(&tab[i], lb, sizeof(lb));
		for (c = 0; c < FAIL_CLASS_MAX; c++)
			fprintf(out, "lvsd_real_check_failures_total{%s,"
			    "reason=\"%s\"} %llu\n", lb, metrics_reasons[c],
			    (unsigned long long)tab[i].st_counts.rc_fails[c]);
	}
}

/* One real's histogram: cumulative buckets, then sum and count. */
static void
metrics_write_histogram(FILE *out, const char *lb, const struct rcounts *rc)
{
	static const uint32_t	 bounds[] = MSG_STATS_BOUNDS_US;
	uint64_t		 cum = 0;
	int			 b;

	for (b = 0; b < MSG_STATS_BUCKETS; b++) {
		cum += rc->rc_buckets[b];
		if (b < MSG_STATS_BUCKETS - 1)
			fprintf(out, "lvsd_real_check_duration_seconds_bucket"
			    "{%s,le=\"%g\"} %llu\n", lb, bounds[b] / 1e6,
			    (unsigned long long)cum);
		else
			fprintf(out, "lvsd_real_check_duration_seconds_bucket"
			    "{%s,le=\"+Inf\"} %llu\n", lb,
			    (unsigned long long)cum);
	}
	fprintf(out, "lvsd_real_check_duration_seconds_sum{%s} %.6f\n"
	    "lvsd_real_check_duration_seconds_count{%s} %llu\n", lb,
	    rc->rc_latency_us / 1e6, lb, (unsigned long long)rc->rc_checks);
}

/* The check metrics of the n reals of tab, in Prometheus text format. */
void
metrics_write(FILE *out, const struct rstatus *tab, uint32_t n)
{
	char		 lb[METRICS_LABELS_LEN];
	uint32_t	 i;

	metrics_write_checks(out, tab, n);
	fprintf(out, "# HELP lvsd_real_check_duration_seconds How long the "
	    "checks took.\n"
	    "# TYPE lvsd_real_check_duration_seconds histogram\n");
	for (i = 0; i < n; i++) {
		metrics_labels(&tab[i], lb, sizeof(lb));
		metrics_write_histogram(out, lb, &tab[i].st_counts);
	}
}
