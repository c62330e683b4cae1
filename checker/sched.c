/*
 * When each real server is probed.  Every check has its own timer on the
 * one event loop, so all checks run concurrently and a slow real delays
 * nobody else.
 *
 * Check i of the n checks of a config runs at its own phase in each
 * interval, i * interval / n, its first probe sooner: sched_offset.c
 * says when.  Ids are dense (0 .. n-1), so spacing by id gives every two
 * neighbours the same gap, where a hash would clump some.  After the
 * second probe each check runs every interval, counted from the start
 * of its previous probe, so the phase is kept; a reload leaves running
 * checks alone, and so on their phase.  The next probe is armed only
 * when the previous one has ended: two probes of one real are never in
 * flight together, and a probe that overruns its interval is followed
 * by the next one at once.
 *
 * checktype N (combined) alternates, as ldirectord does: a negotiate
 * probe; after a good one, N connect probes; after any failure, or the
 * N connects, a negotiate probe again.
 */
#include <stdint.h>
#include <time.h>

#include "checker.h"
#include "log.h"

static void	sched_fire(void *);

uint64_t
sched_now_us(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Schedule the first probe of ck, which is check idx of n. */
void
sched_start(struct check *ck, uint32_t idx, uint32_t n)
{
	uint64_t	 interval = ck->ck_msg->ck_interval_ms;

	ck->ck_first_round = 1;
	ck->ck_second_ms = ev_now() + sched_second_ms(interval, idx, n);
	ev_timer_set(&ck->ck_timer, sched_fire, ck);
	ev_timer_add(&ck->ck_timer, sched_first_ms(interval, idx, n));
	ck->ck_running = 1;
}

/* The probe ck's next round runs (enum check_probe). */
int
sched_probe_for(const struct check *ck)
{
	const struct msg_check	*m = ck->ck_msg;
	int			 negotiate;

	if (m->ck_type == CHECK_PING)
		return PROBE_PING;
	if (check_is_exec(m))
		return PROBE_EXEC;
	negotiate = m->ck_type == CHECK_NEGOTIATE ||
	    (m->ck_type == CHECK_COMBINED && ck->ck_connects_left == 0);
	if (!negotiate)
		return m->ck_proto == PROTO_UDP ? PROBE_UDP : PROBE_TCP;
	if (m->ck_service == SERVICE_NONE)
		return PROBE_NONE;
	if (check_line_handles(m))
		return PROBE_LINE;
	if (check_is_dns(m))
		return PROBE_DNS;
	if (check_is_exchange(m))
		return PROBE_EXCHANGE;
	if (check_is_sql(m))
		return PROBE_SQL;
	if (check_http_plain_fits(m))
		return PROBE_HTTP_PLAIN;
	return PROBE_HTTP;
}

static void
sched_fire(void *arg)
{
	struct check	*ck = arg;
	const char	*why;
	int		 up;

	/* on, off, service none: one verdict, then nothing to do */
	if (check_static_verdict(ck->ck_msg, &up, &why)) {
		checker_verdict(ck, up, 1, why, 0);
		return;
	}
	ck->ck_probe = sched_probe_for(ck);
	if (!sched_gate_enter(ck, ck->ck_probe))
		return;		/* in line for a descriptor */
	ck->ck_busy = 1;
	ck->ck_due_ms = ck->ck_timer.tm_when;
	ck->ck_started_ms = ev_now();
	ck->ck_started_us = sched_now_us();
	switch (ck->ck_probe) {
	case PROBE_NONE:
		sched_done(ck, 1, "service none");
		break;
	case PROBE_LINE:
		check_line_start(ck);
		break;
	case PROBE_DNS:
		check_dns_start(ck);
		break;
	case PROBE_EXCHANGE:
		check_exchange_start(ck);
		break;
	case PROBE_SQL:
		check_sql_start(ck);
		break;
	case PROBE_EXEC:
		check_exec_start(ck);
		break;
	case PROBE_HTTP:
		check_http_start(ck);
		break;
	case PROBE_HTTP_PLAIN:
		check_http_plain_start(ck);
		break;
	case PROBE_PING:
		check_ping_start(ck);
		break;
	case PROBE_UDP:
		check_udp_start(ck);
		break;
	default:
		check_tcp_start(ck);
		break;
	}
}

/* checktype N: what the next round is, after this one's verdict. */
static void
sched_combined(struct check *ck, int up)
{
	if (ck->ck_msg->ck_type != CHECK_COMBINED)
		return;
	if (!up)
		ck->ck_connects_left = 0;
	else if (ck->ck_probe != PROBE_TCP && ck->ck_probe != PROBE_UDP)
		ck->ck_connects_left = ck->ck_msg->ck_combined;
	else
		ck->ck_connects_left--;
}

/* A probe of ck has ended; arm the next one and report the verdict. */
void
sched_done(struct check *ck, int up, const char *why)
{
	uint64_t	 lat, next, now;

	if (!ck->ck_busy)
		fatalx("%s: no probe of %s in flight", __func__, ck->ck_name);
	ck->ck_busy = 0;
	sched_gate_leave(ck);
	sched_combined(ck, up);
	lat = sched_now_us() - ck->ck_started_us;
	now = ev_now();
	if (ck->ck_first_round)
		next = ck->ck_second_ms;
	else
		next = sched_next_ms(ck->ck_msg->ck_interval_ms,
		    ck->ck_due_ms, ck->ck_started_ms);
	ck->ck_first_round = 0;
	ev_timer_at(&ck->ck_timer, next > now ? next : now);
	checker_verdict(ck, up, 0, why, lat > UINT32_MAX ? UINT32_MAX :
	    (uint32_t)lat);
}

/* Stop ck: no probe in flight, none to come. */
void
sched_stop(struct check *ck)
{
	ev_timer_del(&ck->ck_timer);
	ck->ck_running = 0;
	sched_gate_leave(ck);
	if (!ck->ck_busy)
		return;
	ck->ck_busy = 0;
	switch (ck->ck_probe) {
	case PROBE_LINE:
		check_line_stop(ck);
		break;
	case PROBE_DNS:
		check_dns_stop(ck);
		break;
	case PROBE_EXCHANGE:
		check_exchange_stop(ck);
		break;
	case PROBE_SQL:
		check_sql_stop(ck);
		break;
	case PROBE_EXEC:
		check_exec_stop(ck);
		break;
	case PROBE_HTTP:
		check_http_stop(ck);
		break;
	case PROBE_HTTP_PLAIN:
		check_http_plain_stop(ck);
		break;
	case PROBE_PING:
		check_ping_stop(ck);
		break;
	case PROBE_UDP:
		check_udp_stop(ck);
		break;
	case PROBE_TCP:
		check_tcp_stop(ck);
		break;
	default:
		break;
	}
}
